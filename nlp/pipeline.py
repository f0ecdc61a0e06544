"""The whole pipeline for one document: read → segment → tables → extract → link → reconcile.

``Pipeline.load(models_dir)`` loads the segmenter, extractor and linker once;
``process(path)`` / ``process_document(doc)`` / ``process_text(text, id)`` return a
``Record`` in the corpus format with the prediction fields of ``output.md``;
``process_many`` does several files with one extractor call for all of them.  A
document that cannot be read or processed yields ``Record(error=...)``: document
problems never raise.  A missing or incompatible model is not a document problem:
``load`` raises ``ModelError`` naming the model and how to train it — unless
``fallback=True``, which puts the rule baselines in its place and says so in
``versions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nlp
from nlp.component import Work
from nlp.errors import GovReportError, ModelError
from nlp.extract import CANDIDATE_RE  # the extractor's own test for text that can hold a fact
from nlp.persist import META, sha256_file
from nlp.types import SECTIONS, Coverage, Document, Fact, Line, Record, RecordError, TableCoverage

# Sections whose prose holds narrative facts (title/preamble hold years and doc numbers).
NARRATIVE_SECTIONS = frozenset({"overview", "active", "requests", "review", "problems", "other"})


@dataclass
class Pipeline:
    segmenter: Any
    extractor: Any
    linker: Any | None
    versions: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------ loading
    @classmethod
    def load(cls, models_dir: str | Path = "models", fallback: bool = False) -> Pipeline:
        """Load the three models once.  ``fallback=True`` uses the rule baselines for any
        model that is missing (and records ``"rule"`` as its version)."""
        models_dir = Path(models_dir)
        versions = {"govreport": nlp.__version__}
        segmenter = _load_stage("segmenter", models_dir, versions, fallback)
        extractor = _load_stage("extractor", models_dir, versions, fallback)
        linker = _load_stage("linker", models_dir, versions, fallback)
        return cls(segmenter, extractor, linker, versions)

    # ------------------------------------------------------------ processing
    def process(self, path: str | Path, id: str | None = None) -> Record:
        """Read and process one file; errors become ``Record.error``."""
        return self.process_many([(path, id)])[0]

    def process_many(self, items: list[tuple[str | Path, str | None]]) -> list[Record]:
        """Read and process several files (``(path, id)`` pairs) — what batch workers call:
        the extractor reads all their narrative in one call, which shares its per-call
        cost.  Each file's problem is its own record's error."""
        docs: list[tuple[Document | Record, str, str]] = []
        for path, rid in items:
            rid = rid or Path(path).stem
            docs.append((self._read(Path(path), rid), rid, str(path)))
        return self.process_documents(docs)

    def process_text(self, text: str, id: str = "text") -> Record:
        try:
            from nlp.readers import read_text
            doc = read_text(text, path=f"<{id}>")
        except GovReportError as err:
            return self._failed(id, None, "txt", err.kind, str(err))
        return self.process_document(doc, id=id, path=None)

    def process_document(self, doc: Document, id: str | None = None, path: str | None = None) -> Record:
        return self.process_documents([(doc, id or Path(doc.path or "document").stem, path)])[0]

    def process_documents(self, docs: list[tuple[Document | Record, str, str | None]]) -> list[Record]:
        """``(document, id, path)`` triples → records; a Record in place of a document (a
        file that could not be read) passes through."""
        staged = [d if isinstance(d, Record) else self._guard(d, rid, path, self._prepare, d, rid, path)
                  for d, rid, path in docs]
        extracted = iter(self._extract_all([s for s in staged if isinstance(s, _Prepared)]))
        out = []
        for s in staged:
            if isinstance(s, _Prepared):
                facts = next(extracted)  # a failed extraction is already that document's record
                s = facts if isinstance(facts, Record) else self._guard(s.doc, s.rid, s.path, self._finish, s, facts)
            out.append(s)
        return out

    def _read(self, path: Path, rid: str) -> Document | Record:
        try:
            from nlp.readers import read
            return read(path)
        except GovReportError as err:
            return self._failed(rid, str(path), None, err.kind, str(err))
        except Exception as err:  # noqa: BLE001 — one bad file never stops a batch
            return self._failed(rid, str(path), None, "read_error", f"{path}: {type(err).__name__}: {err}")

    def _guard(self, doc: Document, rid: str, path: str | None, stage, *args) -> Any:
        """Run a stage for one document; its failure becomes that document's record."""
        where = path or doc.path
        try:
            return stage(*args)
        except GovReportError as err:
            return self._failed(rid, where, doc.format, err.kind, str(err))
        except Exception as err:  # noqa: BLE001 — report, never crash the batch
            return self._failed(rid, where, doc.format, "internal_error", f"{where}: {type(err).__name__}: {err}")

    def _failed(self, rid: str, path: str | None, fmt: str | None, kind: str, message: str) -> Record:
        return Record(id=rid, path=path, format=fmt, error=RecordError(kind, message),
                      versions=dict(self.versions))

    def _prepare(self, doc: Document, rid: str, path: str | None) -> _Prepared:
        from nlp.tables import parse_tables

        lines = self.segmenter.predict(doc)
        tables = parse_tables(doc, lines)
        spans = narrative_spans(doc, lines, tables.cells)
        return _Prepared(doc, rid, path if path is not None else doc.path, lines, tables, spans)

    def _finish(self, prep: _Prepared, facts: list[Fact]) -> Record:
        from nlp.reconcile import reconcile

        doc, lines, tables = prep.doc, prep.lines, prep.tables
        if self.linker is not None and facts:
            facts = self.linker(Work(doc, lines, tables.template, facts=facts))
        agency, year = title_meta(doc.text, lines)
        record = Record(
            id=prep.rid, text=doc.text, source="prediction", agency=agency, year=year,
            template=tables.template, lines=lines, facts=facts,
            table={k: c.value for k, c in tables.cells.items() if c.value is not None},
            missing_cells=blank_cells(tables, doc), path=prep.path, format=doc.format,
            cells=dict(tables.cells), versions=dict(self.versions))
        record.coverage = coverage(tables, record.missing_cells, lines, facts)
        record.findings = reconcile(record)
        return record

    def _extract_all(self, ready: list[_Prepared]) -> list[list[Fact] | Record]:
        """Facts of each prepared document: one batched call when the extractor has one;
        if it fails, each document alone, so the failure stays with its document."""
        batch = getattr(self.extractor, "extract_batch", None)
        if batch is not None and len(ready) > 1:
            try:
                return batch([(p.doc.text, p.spans) for p in ready])
            except Exception:  # noqa: BLE001 — find the document it belongs to, below
                pass
        return [self._guard(p.doc, p.rid, p.path, self._extract, p.doc.text, p.spans) for p in ready]

    def _extract(self, text: str, spans: list[tuple[int, int]]) -> list[Fact]:
        """Facts inside the narrative blocks.  The trained extractor takes the blocks as
        ``spans`` (one batched call); the rule baselines read ``spans`` as given fact spans,
        so they run on each block and offsets are shifted back into ``text``."""
        if getattr(self.extractor, "name", None) not in ("rule", "recognizers"):
            return list(self.extractor.extract(text, spans)) if spans else []
        facts: list[Fact] = []
        for start, end in spans:
            for f in self.extractor.extract(text[start:end]):
                f.start += start
                f.end += start
                facts.append(f)
        return facts


@dataclass
class _Prepared:
    """A document between the stages before extraction and those after it."""
    doc: Document
    rid: str
    path: str | None
    lines: list[Line]
    tables: Any
    spans: list[tuple[int, int]]


# ---------------------------------------------------------------- model loading
_LOADERS = {
    "segmenter": ("nlp.segment", "load_segmenter"),
    "extractor": ("nlp.extract", "load_extractor"),
    "linker": ("nlp.component", "load"),  # a contract component: load(stage, model_dir)
}


def _fallback(kind: str) -> Any:
    if kind == "segmenter":
        from nlp.segment import RuleSegmenter
        return RuleSegmenter()
    if kind == "extractor":
        from nlp.baselines import RuleExtractor
        return RuleExtractor()
    from nlp.link import RuleLinker
    return RuleLinker()


def _load_stage(kind: str, models_dir: Path, versions: dict[str, str], fallback: bool) -> Any:
    module, loader = _LOADERS[kind]
    model_dir = models_dir / kind
    try:
        mod = __import__(module, fromlist=[loader])
        model = mod.load(kind, model_dir) if module == "nlp.component" else getattr(mod, loader)(model_dir)
    except (ImportError, AttributeError) as err:
        problem = ModelError(str(model_dir), f"the {kind} stage ({module}) is not available: {err}")
    except ModelError as err:
        problem = err
    except (OSError, ValueError) as err:
        problem = ModelError(str(model_dir), f"cannot load the {kind} model: {err}; "
                                             f"train it with `govreport train {kind} --out {model_dir}`")
    else:
        versions[kind] = model_version(model_dir)
        return model
    if not fallback:
        raise problem
    try:
        model = _fallback(kind)
    except ImportError:
        raise problem from None
    versions[kind] = "rule" if model is not None else "none"
    return model


def model_version(model_dir: Path) -> str:
    """``<toolkit version that trained it>+<first 12 hex of meta.json's sha256>``."""
    import json
    card = Path(model_dir) / META
    try:
        meta = json.loads(card.read_text(encoding="utf-8"))
        return f"{meta.get('version') or meta.get('toolkit_version', '?')}+{sha256_file(card)[:12]}"
    except (OSError, ValueError):
        return "unknown"


# ---------------------------------------------------------------- narrative spans
def narrative_spans(doc: Document, lines: list[Line], cells: dict | None = None) -> list[tuple[int, int]]:
    """Character ranges of narrative prose: runs of lines in narrative sections, outside
    every table (its line range or a line a cell was read from), that may hold a number.

    >>> from nlp.types import lines_of, Table
    >>> text = "标题\\n共收到申请3件。\\n规章\\t0\\n无"
    >>> ls = lines_of(text)
    >>> for ln, s in zip(ls, ["title", "overview", "active", "problems"]): ln.section = s
    >>> doc = Document("x", "txt", text, ls, [Table([["规章", "0"]], 2, 3)])
    >>> [text[s:e] for s, e in narrative_spans(doc, ls)]
    ['共收到申请3件。', '无']
    """
    in_table = set()
    for t in doc.tables:
        in_table.update(range(t.line_start, t.line_end))
    for c in (cells or {}).values():
        line = getattr(c, "line", None)
        if line is not None:
            in_table.add(line)
    spans: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        ok = (ln.section in NARRATIVE_SECTIONS and i not in in_table
              and CANDIDATE_RE.search(doc.text, ln.start, ln.end) is not None)
        if not ok:
            continue
        if spans and _only_blank_between(doc.text, spans[-1][1], ln.start):
            spans[-1] = (spans[-1][0], ln.end)
        else:
            spans.append((ln.start, ln.end))
    return spans


def _only_blank_between(text: str, a: int, b: int) -> bool:
    return b - a <= 1 and not text[a:b].strip()


# ---------------------------------------------------------------- blank and unread cells
def blank_cells(tables: Any, doc: Document) -> list[str]:
    """The cells the document leaves blank (annotation.md ``missing_cells``): those the
    table reader saw blank in the source — an empty position, ``/``, ``—``.  A cell it
    could not locate or read is *unread*, not blank (see :func:`coverage`).  At the end
    of a truncated text a blank after the last number read may be a cell cut off, so it
    counts only when a later cell of its table was read or prose follows the table."""
    from nlp.indicators import INDICATORS, grid_template, id_positions

    cells = tables.cells
    order = id_positions(grid_template(tables.template))
    last_read: dict[int, int] = {}
    for cid, c in cells.items():
        if c.value is not None and cid in order:
            t = INDICATORS[cid].table
            last_read[t] = max(last_read.get(t, -1), order[cid])
    regions = getattr(tables, "regions", {}) or {}
    texts = doc.line_texts()
    prose_after = {t: any("。" in x for x in texts[end:]) for t, (_, end) in regions.items()}
    out = []
    for cid in order:
        if cid not in cells or cells[cid].value is not None:
            continue
        t = INDICATORS[cid].table
        if t in last_read and (order[cid] < last_read[t] or prose_after.get(t, False)):
            out.append(cid)
    return out


def coverage(tables: Any, blank: list[str], lines: list[Line], facts: list[Fact]) -> Coverage:
    """What the pipeline read of a document (``blank``: its :func:`blank_cells`): per table, template cells read / seen blank /
    unread (and, of the unread, those inside the table as printed — a table the document
    lacks, or cells past the end of a truncated text, are unread but not unreadable)."""
    from nlp.indicators import INDICATORS, grid_template, ids_for_template

    blank = set(blank)
    located_gaps = set(tables.missing_cells)  # blank, doubtful, or a gap in a printed table
    per: dict[str, TableCoverage] = {}
    for cid in ids_for_template(grid_template(tables.template)):
        cov = per.setdefault(str(INDICATORS[cid].table), TableCoverage(0))
        cov.template += 1
        cell = tables.cells.get(cid)
        if cell is not None and cell.value is not None:
            cov.read += 1
        elif cid in blank:
            cov.blank += 1
        else:
            cov.unread += 1
            cov.unreadable += cid in located_gaps or cid in tables.doubtful
    found = {ln.section for ln in lines if ln.section}
    return Coverage(dict(sorted(per.items())), [s for s in SECTIONS if s in found], len(facts))


# ---------------------------------------------------------------- agency and year
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_TITLE_WORDS = re.compile(r"公开|报告|年报|信息|政务")
_SENTENCE_MARKS = re.compile(r"[。，,；;：:！？>|]")
_AFTER_YEAR = re.compile(r"(?!政府信息|政务信息|政务公开)(.+?)\s*(?:政府信息公开|政务信息公开|政务公开|信息公开)")


def title_meta(text: str, lines: list[Line]) -> tuple[str | None, int | None]:
    """Agency and report year from the title (the segmenter's title block, else the first
    lines); a report that prints no title may name its agency in its opening sentence.

    >>> from nlp.types import lines_of
    >>> title_meta("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文", lines_of("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文"))
    ('孟津区卫生健康委员会', 2023)
    >>> t = "新郑市卫生健康委员会\\n\\n2020年政务信息公开工作年度报告\\n今年以来"
    >>> title_meta(t, lines_of(t))
    ('新郑市卫生健康委员会', 2020)
    >>> t = "石嘴山市卫生健康委关于2023年政府信息\\n公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    ('石嘴山市卫生健康委', 2023)
    >>> t = "2021年度信川市财政局政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    ('信川市财政局', 2021)
    >>> t = "2021年政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    (None, 2021)
    >>> t = "首页 > 政务公开 > 年报\\n榆化区交通运输局2024年度\\n政府信息公开工作年度报告\\n发布时间：2025-01-11"
    >>> title_meta(t, lines_of(t))
    ('榆化区交通运输局', 2024)
    >>> t = "根据《条例》要求，特向社会公布平度市卫生健康局2023年度政府信息公开工作年度报告。"
    >>> title_meta(t, lines_of(t))  # no title: the opening sentence names the agency
    ('平度市卫生健康局', 2023)
    >>> t = "根据《条例》要求，特编制2023年度报告。"
    >>> title_meta(t, lines_of(t))
    (None, 2023)
    """
    head = [text[ln.start:ln.end].strip() for ln in lines[:60]]
    head = [(t, ln) for t, ln in zip(head, lines) if t]
    # the title block the segmenter found (scraped pages put site furniture first), then
    # the first lines of the document; a title is short and has no sentence punctuation
    titled = [k for k, (t, ln) in enumerate(head) if ln.heading and ln.section in ("title", "preamble")]
    for k in dict.fromkeys(titled + list(range(min(6, len(head))))):
        t = head[k][0]
        m = _YEAR.search(t)
        then = head[k + 1][0] if k + 1 < len(head) else ""  # a title may go on below
        if not m or not _is_title(t) or not (_TITLE_WORDS.search(t) or _TITLE_WORDS.search(then)):
            continue
        agency = re.sub(r"(关于|的)$", "", t[:m.start()].strip()).strip()
        if not agency:  # the year first: 2021年度XX局政府信息公开工作年度报告
            after = _AFTER_YEAR.match(re.sub(r"^\s*度", "", t[m.end():]).strip())
            agency = after.group(1) if after else ""
        if not agency and k > 0 and _is_title(head[k - 1][0]) and not _YEAR.search(head[k - 1][0]):
            agency = head[k - 1][0]  # a title in two lines: the agency, then the year
        return re.sub(r"\s+", "", agency) or None, int(m.group(1))
    return opening_agency(" ".join(t for t, _ in head[:3])), opening_year(text)


# A year the report is about, not a date it was published on (2024年1月20日, 2024-01-19)
_REPORT_YEAR = re.compile(_YEAR.pattern + r"(?!\s*\d{1,2}\s*月)")


def opening_year(text: str, chars: int = 1500) -> int | None:
    """The year a report without a title is about: the one its opening names most often
    (the first of those on a tie), dates of publication left out.

    >>> opening_year("时间：2024年1月20日\\n按照《2023年政务公开工作要点》要求，2023年，我局……")
    2023
    >>> opening_year("一、总体情况\\n本机关坚持公开为常态。") is None
    True
    """
    years = [int(m.group(1)) for m in _REPORT_YEAR.finditer(text, 0, chars)]
    return max(years, key=lambda y: (years.count(y), -years.index(y))) if years else None


# A report without a title names itself in its opening sentence: 现公布X2023年度政府信息
# 公开工作年度报告, 本报告由X根据……编制, X编制的2024年度……报告.
_AGENCY = r"([^，、。；：,;:《》〈〉（）()“”\s]{2,24}?(?:局|委员会|委|厅|办公室|政府|中心|院|署|办))"
_OPENING = (re.compile(r"(?:公布|编制|印发)了?" + _AGENCY + _YEAR.pattern + r"度?(?:政府信息公开|政务信息公开|政务公开)"),
            re.compile(r"由" + _AGENCY + r"(?:根据|依据|按照|结合)?[^。]{0,40}?编制"))


def opening_agency(text: str) -> str | None:
    """The agency a report without a title names in its opening sentence, if it does.

    >>> opening_agency("根据《条例》要求，特向社会公布平度市卫生健康局2023年度政府信息公开工作年度报告。")
    '平度市卫生健康局'
    >>> opening_agency("本报告由信川市教育局结合有关统计数据编制。"), opening_agency("根据《条例》，特编制本报告。")
    ('信川市教育局', None)
    >>> opening_agency("结合我委实际，编制并向社会公布信川市卫生健康委2021年度政府信息公开年度报告。")
    '信川市卫生健康委'
    >>> opening_agency("本报告由总体情况、主动公开政府信息情况等六个部分组成，由信川市卫生健康局办公室编制。")
    '信川市卫生健康局'
    """
    for pattern in _OPENING:
        m = pattern.search(text)
        if m:  # 编制并向社会公布X…: the name follows the last verb
            return re.split(r"公布|编制|印发", m.group(1))[-1] or None
    return None


def _is_title(line: str) -> bool:
    return len(line) <= 60 and not _SENTENCE_MARKS.search(line)

