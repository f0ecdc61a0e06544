"""The whole pipeline for one document: read → normalize → segment → tables → extract → link → reconcile.

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

import contextlib
import gc
import re
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterator

import nlp
from nlp import component, lexicon, persist
from nlp.component import Work
from nlp.errors import GovReportError, InternalError, LimitExceeded, ModelError
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
    def load(cls, models_dir: str | Path | None = None, fallback: bool = False) -> Pipeline:
        """Load the three models once (``None``: the shipped ones).  ``fallback=True`` uses
        the rule baselines for any model that is missing (and records ``"rule"`` as its version)."""
        models_dir = persist.models_dir(models_dir)
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
        """A report given as text, read as a .txt file of it would be (its Markdown's tables
        too; a corpus record's text is :func:`document_from_text`'s, kept as written)."""
        try:
            doc = report_from_text(text, path=f"<{id}>")
        except GovReportError as err:
            return self._failed(id, None, "txt", err.kind, str(err))
        return self.process_document(doc, id=id, path=None)

    def process_document(self, doc: Document, id: str | None = None, path: str | None = None) -> Record:
        return self.process_documents([(doc, id or Path(doc.path or "document").stem, path)])[0]

    def work_of(self, path: str | Path) -> Work:
        """One file as the trainable stages see it, up to the linker's input: read and
        normalized, segmented, its tables read (the template), its narrative spans and the
        facts extracted from them (not yet linked).  Document problems raise here."""
        from nlp.segment import title_meta

        prep = self._prepare(read_document(path), Path(path).stem, str(path))
        return Work(prep.doc, prep.lines, prep.tables.template, prep.spans, self._extract(prep.doc, prep.spans),
                    year=title_meta(prep.doc.text, prep.lines)[1])

    def process_documents(self, docs: list[tuple[Document | Record, str, str | None]]) -> list[Record]:
        """``(document, id, path)`` triples → records; a Record in place of a document (a
        file that could not be read) passes through."""
        with fewer_collections():
            staged = [d if isinstance(d, Record) else self._guard(d, rid, path, self._prepare, d, rid, path)
                      for d, rid, path in docs]
            extracted = iter(self._extract_all([s for s in staged if isinstance(s, _Prepared)]))
            out = []
            for s in staged:
                if isinstance(s, _Prepared):
                    facts = next(extracted)  # a failed extraction is already that document's record
                    if not isinstance(facts, Record):
                        facts = self._guard(s.doc, s.rid, s.path, self._finish, s, facts)
                    s = facts
                out.append(s)
            return out

    def _read(self, path: Path, rid: str) -> Document | Record:
        try:
            return read_document(path)
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

        lines = self.segmenter(Work(doc))
        tables = parse_tables(doc, lines)
        spans = narrative_spans(doc, lines, tables.cells)
        return _Prepared(doc, rid, path if path is not None else doc.path, lines, tables, spans)

    def _finish(self, prep: _Prepared, facts: list[Fact]) -> Record:
        from nlp.indicators import TEMPLATES
        from nlp.reconcile import reconcile
        from nlp.segment import title_meta
        from nlp.tables.template import template_of_year

        doc, lines, tables = prep.doc, prep.lines, prep.tables
        check_facts(prep.path, facts)
        agency, year = title_meta(doc.text, lines)
        # no table label and no year in the title: the report's year, wherever it was read,
        # says which template its figures are of (全年制定规范性文件0件 in a 2022 opening is
        # 本年制发, not the 2019 grid's 本年新制作) — and the record's, unless cells were read
        # on another grid (a table whose header was lost is read on 2021's)
        template = tables.template if tables.template in TEMPLATES else template_of_year(year)
        if self.linker is not None and facts:
            facts = self.linker(Work(without_own_name(doc, agency), lines, template, year=year, facts=facts))
        record = Record(
            id=prep.rid, text=doc.text, source="prediction", agency=agency, year=year,
            template=tables.template if tables.cells else template, lines=lines, facts=facts,
            table={k: c.value for k, c in tables.cells.items() if c.value is not None},
            missing_cells=blank_cells(tables, doc), path=prep.path, format=doc.format,
            cells=dict(tables.cells), versions=dict(self.versions))
        record.coverage = coverage(tables, record.missing_cells, lines, facts, record.template)
        record.findings = reconcile(record)
        return record

    def _extract_all(self, ready: list[_Prepared]) -> list[list[Fact] | Record]:
        """Facts of each prepared document: one ``pipe`` call for all of them; if it fails,
        each document alone, so the failure stays with its document."""
        if len(ready) > 1:
            try:
                return self.extractor.pipe([Work(p.doc, spans=p.spans) for p in ready])
            except Exception:  # noqa: BLE001 — find the document it belongs to, below
                pass
        return [self._guard(p.doc, p.rid, p.path, self._extract, p.doc, p.spans) for p in ready]

    def _extract(self, doc: Document, spans: list[tuple[int, int]]) -> list[Fact]:
        """Facts inside the narrative blocks ``spans`` (every backend reads them alike)."""
        return list(self.extractor(Work(doc, spans=spans)))


def check_facts(path: str | None, facts: list[Fact]) -> None:
    """Refuse a document with more narrative facts than ``MAX_FACTS``, before the stages
    that pay per fact (a one-line dump of 280,000 characters held 8,795: 5 CPU-s of linking
    and reconciling)."""
    from nlp.read.common import MAX_FACTS, over

    if len(facts) > MAX_FACTS:
        raise over(path or "<text>", len(facts), "numeric facts in the narrative", "MAX_FACTS")


@dataclass
class _Prepared:
    """A document between the stages before extraction and those after it."""
    doc: Document
    rid: str
    path: str | None
    lines: list[Line]
    tables: Any
    spans: list[tuple[int, int]]


# ---------------------------------------------------------------- the cyclic collector
_COLLECTING_LESS = threading.local()  # depth of fewer_collections blocks in this thread


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Processing allocates many short-lived containers while the loaded models and line
    caches hold many long-lived ones: with the default thresholds the cyclic collector
    rescans those over and over (~10 % of a batch run; on one long report, whose own
    objects pile up, a scan per few thousand allocations made time grow faster than its
    length).  Leave what exists now out of the scans and collect the young generation less
    often, for this block only; an inner block (a batch chunk's documents) changes nothing."""
    depth = getattr(_COLLECTING_LESS, "depth", 0)
    _COLLECTING_LESS.depth = depth + 1
    threshold = gc.get_threshold()
    if not depth:
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        if not depth:
            # What the block left alive is what the caches keep (new lines, words, n-grams):
            # tens of thousands of containers, none of them garbage.  Back under the default
            # thresholds, the first allocation after the block would scan them all, once per
            # block; freezing them too puts them straight in the oldest generation, where
            # a full collection still finds any cycle among them.
            gc.freeze()
            gc.unfreeze()
            gc.set_threshold(*threshold)
        _COLLECTING_LESS.depth = depth


# ---------------------------------------------------------------- model loading
def _load_stage(stage: str, models_dir: Path, versions: dict[str, str], fallback: bool) -> Any:
    """``models_dir/<stage>`` through the component registry (its card names the
    backend); with ``fallback``, the stage's rule baseline when that model cannot be used."""
    model_dir = models_dir / stage
    try:
        model = component.load(stage, model_dir)
    except ModelError as err:
        problem = err
    except (OSError, ValueError) as err:
        problem = ModelError(str(model_dir), f"cannot load the {stage} model: {err}; "
                                             f"train it with `govreport train {stage} --out {model_dir}`")
    else:
        versions[stage] = model_version(model_dir)
        return model
    if not fallback:
        raise problem
    versions[stage] = "rule"
    return component.factory(stage, "rule").load(model_dir)


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
    from nlp.extract import CANDIDATE_RE  # the extractor's own test for text that can hold a fact

    in_table = set()
    for t in doc.tables:
        in_table.update(range(t.line_start, t.line_end))
    in_table.update(line for c in (cells or {}).values() if (line := getattr(c, "line", None)) is not None)
    text, may_hold_fact = doc.text, CANDIDATE_RE.search  # looked up once, not per line
    spans: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        start = ln.start if ln.section in NARRATIVE_SECTIONS else _opening_work(text, ln)
        if start is None or i in in_table or may_hold_fact(text, start, ln.end) is None:
            continue
        if spans and _only_blank_between(text, spans[-1][1], start):
            spans[-1] = (spans[-1][0], ln.end)
        else:
            spans.append((start, ln.end))
    return spans


# A title is a line of a few words, a preamble a sentence or two on how the report was made:
# a line put in either that runs this long, in sentences, is the report's opening paragraph
# (a report that prints no title nor heading and opens with its overview, 2016年，审计署党组
# 高度重视…，全年发布重要信息2万多条…; a preamble that goes on to the year's work,
# …统计期限为…。2021年，通过各种媒体公开329条信息，…).
_OPENING = ("title", "preamble")
# a sentence of a preamble on the year's work: after a sentence's end (or at the line's start)
_PREAMBLE_WORK = re.compile("(?:^|(?<=[。！？；;]))\\s*(?:%s)" % lexicon.load("sections")["preamble_work"], re.MULTILINE)
_PARAGRAPH_CHARS = 80
_SENTENCE_MARKS = re.compile(r"[。，,；;]")


def _opening_work(text: str, ln: Line) -> int | None:
    """Where a title or preamble line holds narrative: a title line that is a paragraph,
    whole; a preamble paragraph from its first sentence on the year's work; else None."""
    if ln.section not in _OPENING or not _is_paragraph(text, ln):
        return None
    if ln.section == "title":
        return ln.start
    m = _PREAMBLE_WORK.search(text, ln.start, ln.end)
    return None if m is None else m.start()


def _is_paragraph(text: str, ln: Line) -> bool:
    return ln.end - ln.start >= _PARAGRAPH_CHARS and len(_SENTENCE_MARKS.findall(text, ln.start, ln.end)) >= 3


def _only_blank_between(text: str, a: int, b: int) -> bool:
    return b - a <= 1 and not text[a:b].strip()


# ---------------------------------------------------------------- blank and unread cells
def blank_cells(tables: Any, doc: Document) -> list[str]:
    """The cells the document leaves blank (annotation.md ``missing_cells``): those the
    table reader saw blank in the source — an empty position, ``/``, ``—``.  A cell it
    could not locate or read is *unread*, not blank (see :func:`coverage`).  At the end
    of a truncated text an empty position after the last number read may be a cell cut
    off, so it counts only when a later cell of its table was read, a later row of it was
    located (blank or not) or labelled (the text cut inside that label), or prose or another
    table follows the table; a printed mark (``/``, ``—``) counts wherever it stands."""
    from nlp.indicators import grid_template

    places = _id_places(grid_template(tables.template))
    cells = tables.cells
    printed_blank = [places[cid] for cid, c in cells.items() if c.value is None and cid in places]
    if not printed_blank:
        return []  # most documents: neither the cells read nor the prose after the tables is looked at
    last_read: dict[int, int] = {}
    last_line: dict[int, int] = {}  # the line of each table's last cell located, blank or read
    for cid, c in cells.items():  # one pass over the cells located, not one per id of the template
        place = places.get(cid)
        if place is None:
            continue
        if c.value is not None and place[1] > last_read.get(place[0], -1):
            last_read[place[0]] = place[1]
        if c.line is not None and c.line > last_line.get(place[0], -1):
            last_line[place[0]] = c.line
    regions = getattr(tables, "regions", {}) or {}
    last_stop = _last_line_with(doc, _SENTENCE_END)
    last_start = max((start for start, _ in regions.values()), default=-1)
    # a table another follows, or prose, is printed whole: its blanks are blanks
    whole = {t: last_stop >= end or last_start >= end for t, (_, end) in regions.items()}
    printed_blank.sort(key=lambda place: place[1])  # table order
    # (a row the table goes on past — a later row located, blank or not — was not cut: a
    # table printed all blank, as some agencies leave it, has blanks the text did not cut)
    cut_label = _cut_labels(doc, regions)
    return [cid for table, pos, cid in printed_blank
            if (table in last_read and (pos < last_read[table] or whole.get(table, False)))
            or _line_of(cells[cid]) < last_line.get(table, -1)
            or cells[cid].raw.strip()  # a printed mark (/, —, 无) is a blank, cut text or not
            or _line_of(cells[cid]) < cut_label.get(table, -1)]


def _cut_labels(doc: Document, regions: dict[int, tuple[int, int]]) -> dict[int, int]:
    """The table whose label the text ends inside — the next row's, cut short ((一)予以公开 |
    … | ⏎(二)部分公) — with that line: the rows before it were printed whole.  (A page's
    furniture after a cut table says nothing of where a download cut it.)"""
    from nlp.tables.cells import opens_label

    last = _last_line_with(doc, _NOT_BLANK)
    words = doc.text[doc.lines[last].start:doc.lines[last].end] if last >= 0 else ""
    return {table: last for table, (start, end) in regions.items() if start < last < end and opens_label(words, table)}


def _line_of(cell: Any) -> int:
    return cell.line if cell.line is not None else 1 << 30  # a cell with no line is never before another


def _last_line_with(doc: Document, pattern: re.Pattern[str]) -> int:
    """The index of the document's last line ``pattern`` finds something in (-1: none).
    Looked for from the end: the prose after the tables is near it, and no line needs to be
    cut out."""
    text = doc.text
    for i in range(len(doc.lines) - 1, -1, -1):
        ln = doc.lines[i]
        if pattern.search(text, ln.start, ln.end):
            return i
    return -1


_SENTENCE_END = re.compile("。")  # prose: a line that ends a sentence
_NOT_BLANK = re.compile(r"\S")  # any line with something printed on it


@lru_cache(maxsize=8)
def _id_places(template: str) -> dict[str, tuple[int, int, str]]:
    """Each template id → (its table, its position in table order, the id): looked up once
    per template, not once per cell of every document (do not modify)."""
    from nlp.indicators import INDICATORS, ids_for_template

    return {cid: (INDICATORS[cid].table, pos, cid) for pos, cid in enumerate(ids_for_template(template))}


def coverage(tables: Any, blank: list[str], lines: list[Line], facts: list[Fact],
             template: str | None = None) -> Coverage:
    """What the pipeline read of a document (``blank``: its :func:`blank_cells`): per table, template cells read / seen blank /
    unread (and, of the unread, those inside the table as printed — a table the document
    lacks, or cells past the end of a truncated text, are unread but not unreadable).
    Counted on the grid the cells were read on, else on the record's ``template`` (a 2019
    report's table 2 has 22 cells, 2021's 10)."""
    from nlp.indicators import TEMPLATES, grid_template

    template = grid_template(tables.template if tables.template in TEMPLATES else template)
    key_of = _table_key_of(template)
    cells = tables.cells
    # Counted per table from the cells read, the blanks and the gaps (a few ids each), not
    # by a walk over every id of the template.
    per = {key: TableCoverage(size) for key, size in _table_sizes(template)}
    for cid, c in cells.items():
        if c.value is not None and (key := key_of.get(cid)) is not None:
            per[key].read += 1
    blank = set(blank)
    for cid in blank.union(tables.missing_cells, tables.doubtful):
        key = key_of.get(cid)
        cell = cells.get(cid)
        if key is None or (cell is not None and cell.value is not None):
            continue  # not of the template, or read
        if cid in blank:
            per[key].blank += 1
        else:
            per[key].unreadable += 1  # unread, and located: blank, doubtful, or a gap
    for cov in per.values():
        cov.unread = cov.template - cov.read - cov.blank
    found = set(map(attrgetter("section"), lines))
    return Coverage(per, [s for s in SECTIONS if s in found], len(facts))


@lru_cache(maxsize=8)
def _table_key_of(template: str) -> dict[str, str]:
    """Each template id → its table's key in ``Coverage.tables`` (``"2"``, ``"3"``, ``"4"``):
    looked up once per template, not once per id of every document (do not modify)."""
    from nlp.indicators import INDICATORS, ids_for_template

    return {cid: str(INDICATORS[cid].table) for cid in ids_for_template(template)}


@lru_cache(maxsize=8)
def _table_sizes(template: str) -> tuple[tuple[str, int], ...]:
    """Each table's key with its count of template ids, in key order."""
    return tuple(sorted(Counter(_table_key_of(template).values()).items()))



# ---------------------------------------------------------------- read → normalize
def without_own_name(doc: Document, agency: str | None) -> Document:
    """``doc`` as the linker reads it: the agency's own name (:func:`nlp.segment.own_names`)
    blanked out, offsets kept — a figure's object is never the name of the agency that
    reports it (荣成市信访局共受理申请4件 counts requests, not petitions)."""
    from nlp.segment import own_names

    text = doc.text
    for name in own_names(agency):  # longest first: the whole name before its kind
        text = text.replace(name, " " * len(name))
    return doc if text == doc.text else replace(doc, text=text)


def read_document(path: str | Path) -> Document:
    """Read one file and normalize it: the document the later stages work on.

    The reader only reads (:mod:`nlp.read`); normalizing is its own stage
    (:mod:`nlp.normalize`).  Tools and tests that want a document as the pipeline sees
    it call this (or :func:`document_from_text`, :func:`document_from_bytes`)."""
    from nlp.read import read
    return normalized(read(path))


def document_from_bytes(data: bytes, name: str | Path) -> Document:
    """:func:`read_document` for a file held in memory (``name``'s suffix picks the format)."""
    from nlp.read import read_bytes
    return normalized(read_bytes(data, name))


def document_from_text(text: str, path: str = "<text>", format: str = "txt") -> Document:
    """A normalized Document from an already decoded string (a corpus record's text).

    Never raises for an empty string: corpus tooling reads whatever records hold.

    >>> doc = document_from_text("一、总体情况\\n规章\\t0\\t0\\n规范性文件\\t1\\t1")
    >>> doc.line_texts()[0], doc.tables[0].rows[1], doc.tables[0].line_start
    ('一、总体情况', ['规范性文件', '1', '1'], 1)
    """
    from nlp.read import read_text
    return normalized(read_text(text, path, format), require_text=False)


def report_from_text(text: str, path: str = "<text>") -> Document:
    """A normalized Document from a report given as text, read as a .txt file of it is:
    HTML and pandoc grid tables in its Markdown become grids (the text then differs from
    the string given where they stood)."""
    from nlp.read import read_report_text
    return normalized(read_report_text(text, path), require_text=False)


def normalized(doc: Document, *, require_text: bool = True) -> Document:
    """A document as read, normalized, and held to the reading limits again (the tables
    found in its text count like native ones; a file of invisible characters has no
    text).  A failure here is govreport's own, said as such."""
    from nlp.normalize import normalize_document
    from nlp.read import check

    try:
        return check(normalize_document(doc), require_text=require_text)
    except GovReportError:
        raise
    except MemoryError:
        raise LimitExceeded(doc.path, "out of memory while reading", "memory") from None
    except Exception as err:  # our bug: said as such, not passed off as a bad file
        raise InternalError(doc.path, f"govreport failed reading this {doc.format} file "
                                      f"({type(err).__name__}: {err}); please report it") from err
