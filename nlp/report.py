"""Reports for a run: JSON lines, CSV/Parquet tables, and HTML review pages.

- ``write_jsonl(path, records)`` — one record per line, in the order given.
- ``write_csv(dir, records)`` / ``write_parquet(dir, records)`` — three tables:
  ``indicators`` (document × indicator, long: one row per table cell and per linked
  narrative fact, ``source`` = ``table`` | ``narrative``), ``findings`` (one row per
  finding) and ``documents`` (one row per document, with its error if any).
- ``write_html(dir, records)`` — one self-contained review page per document (inline
  CSS, no scripts or network, ``lang="zh-CN"``) plus ``index.html``: the narrative with
  fact spans highlighted and linked to their table cells, the tables as grids with
  mismatching and blank cells marked, and the findings with their messages.

Every file is written atomically (``nlp.persist.atomic_write_*``): a reader never
sees half a report.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable

from nlp import lexicon
from nlp.errors import printable
from nlp.indicators import INDICATORS, grid_template, ids_for_template
from nlp.persist import atomic_write_bytes, atomic_write_text
from nlp.types import Document, Record

_WORDS = lexicon.load("report")  # nlp/data/lexicon/report.yaml: the pages' words
_L = SimpleNamespace(**_WORDS["labels"])

INDICATOR_COLUMNS = ["id", "path", "agency", "year", "template", "indicator", "value", "raw",
                     "source", "line", "start", "end"]
FINDING_COLUMNS = ["id", "path", "agency", "year", "type", "severity", "indicator",
                   "narrative_value", "table_value", "fact", "cells", "message"]
DOCUMENT_COLUMNS = ["id", "path", "format", "agency", "year", "template", "facts", "cells",
                    "missing_cells", "errors", "warnings", "infos", "error_kind", "error_message"]
BAD_TYPES = ("narrative_table_mismatch", "zero_claim_contradiction", "identity_violation",
             "cross_year_mismatch", "narrative_conflict")


# ---------------------------------------------------------------- JSONL
def write_jsonl(path: str | Path, records: Iterable[Record]) -> None:
    atomic_write_text(Path(path), "".join(r.to_json() + "\n" for r in records))


# ---------------------------------------------------------------- tables
def indicator_rows(records: Iterable[Record]) -> list[dict]:
    """The long documents × indicators table (table cells, then linked narrative facts)."""
    rows = []
    for r in records:
        if r.error is not None:
            continue
        base = {"id": r.id, "path": r.path, "agency": r.agency, "year": r.year, "template": r.template}
        if r.cells is not None:
            for ind, c in r.cells.items():
                rows.append({**base, "indicator": ind, "value": c.value, "raw": c.raw,
                             "source": "table", "line": c.line, "start": None, "end": None})
        else:
            for ind, v in r.table.items():
                rows.append({**base, "indicator": ind, "value": v, "raw": _fmt(v),
                             "source": "table", "line": None, "start": None, "end": None})
        for f in r.facts:
            if f.indicator:
                rows.append({**base, "indicator": f.indicator, "value": f.value, "raw": f.text,
                             "source": "narrative", "line": _line_of(r, f.start),
                             "start": f.start, "end": f.end})
    return rows


def finding_rows(records: Iterable[Record]) -> list[dict]:
    rows = []
    for r in records:
        for f in r.findings:
            rows.append({"id": r.id, "path": r.path, "agency": r.agency, "year": r.year,
                         "type": f.type, "severity": f.severity, "indicator": f.indicator,
                         "narrative_value": f.narrative_value, "table_value": f.table_value,
                         "fact": f.fact, "cells": ";".join(f.cells), "message": f.message})
    return rows


def document_rows(records: Iterable[Record]) -> list[dict]:
    rows = []
    for r in records:
        sev = Counter(f.severity for f in r.findings)
        rows.append({"id": r.id, "path": r.path, "format": r.format, "agency": r.agency,
                     "year": r.year, "template": r.template, "facts": len(r.facts),
                     "cells": len(r.cells) if r.cells is not None else len(r.table),
                     "missing_cells": len(r.missing_cells), "errors": sev["error"],
                     "warnings": sev["warning"], "infos": sev["info"],
                     "error_kind": r.error.kind if r.error else None,
                     "error_message": r.error.message if r.error else None})
    return rows


def _tables(records: Iterable[Record]) -> dict[str, tuple[list[str], list[dict]]]:
    records = list(records)
    return {"indicators": (INDICATOR_COLUMNS, indicator_rows(records)),
            "findings": (FINDING_COLUMNS, finding_rows(records)),
            "documents": (DOCUMENT_COLUMNS, document_rows(records))}


def write_csv(out_dir: str | Path, records: Iterable[Record]) -> list[Path]:
    """``indicators.csv``, ``findings.csv``, ``documents.csv`` (UTF-8 with BOM for Excel)."""
    out_dir = Path(out_dir)
    written = []
    for name, (columns, rows) in _tables(records).items():
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
        path = out_dir / f"{name}.csv"
        atomic_write_text(path, "\ufeff" + buf.getvalue())
        written.append(path)
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


def csv_cell(value) -> object:
    """A value as a CSV cell a spreadsheet will not run: text that starts like a formula
    (``=``, ``+``, ``-``, ``@``, tab, CR — a file named ``=cmd|' /C calc'!A0``) gets a
    leading apostrophe; a plain signed number stays as it is.

    >>> csv_cell("=cmd|' /C calc'!A0"), csv_cell("-3"), csv_cell("@SUM(A1)"), csv_cell(None), csv_cell(-3)
    ("'=cmd|' /C calc'!A0", '-3', "'@SUM(A1)", '', -3)
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


_PARQUET_TYPES = {"year": "Int64", "value": "float64", "line": "Int64", "start": "Int64",
                  "end": "Int64", "narrative_value": "float64", "table_value": "float64",
                  "fact": "Int64"}


def write_parquet(out_dir: str | Path, records: Iterable[Record]) -> list[Path]:
    """The same three tables as Parquet (typed columns; nullable ints)."""
    import pandas as pd

    out_dir = Path(out_dir)
    written = []
    for name, (columns, rows) in _tables(records).items():
        frame = pd.DataFrame(rows, columns=columns)
        for col, dtype in _PARQUET_TYPES.items():
            if col in frame:
                frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(dtype)
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("string")
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False, engine="pyarrow")
        path = out_dir / f"{name}.parquet"
        atomic_write_bytes(path, buf.getvalue())
        written.append(path)
    return written


# ---------------------------------------------------------------- HTML
CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Noto Sans SC","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
margin:0;color:#1d1d1f;background:#fafafa;line-height:1.6}
header{padding:12px 20px;background:#20324a;color:#fff}
header h1{font-size:18px;margin:0}
header .meta{font-size:13px;opacity:.85}
main{display:flex;gap:16px;padding:16px;align-items:flex-start}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px}
#narrative{flex:1 1 50%;max-width:50%}
#tables{flex:1 1 50%;overflow-x:auto}
#findings{margin:16px}
.text{white-space:pre-wrap;font-size:14px}
.line .head{font-weight:bold}
mark.fact{background:#dbeafe;border-bottom:2px solid #3b82f6;padding:0 1px}
mark.fact.unlinked{background:#eee;border-bottom-color:#999}
mark.fact.bad{background:#fde2e2;border-bottom-color:#dc2626}
mark.fact a{color:inherit;text-decoration:none}
details.tablesrc{color:#777;font-size:12px}
table.grid{border-collapse:collapse;font-size:12px;margin:8px 0 16px}
table.grid th,table.grid td{border:1px solid #ccc;padding:2px 6px;text-align:right}
table.grid th{background:#f2f4f7;font-weight:normal;text-align:left}
td.na{background:#f6f6f6}
td.linked{background:#e0f2fe}
td.bad{background:#fecaca;font-weight:bold;outline:2px solid #dc2626}
td.missing{background:#fef9c3}
td.missing::after{content:"%(blank)s";color:#a16207}
li.finding{margin:4px 0}
.sev{display:inline-block;min-width:4.5em;font-size:12px;border-radius:3px;padding:0 4px;color:#fff}
.sev-error{background:#dc2626}.sev-warning{background:#d97706}.sev-info{background:#2563eb}
.error-box{margin:16px;padding:12px;border:2px solid #dc2626;background:#fff5f5}
table.index{border-collapse:collapse;margin:16px;font-size:14px}
table.index th,table.index td{border:1px solid #ccc;padding:3px 8px}
""".replace("%(blank)s", str(_WORDS["blank_cell"]))

_TABLE_TITLES = {int(k): str(v) for k, v in _WORDS["table_titles"].items()}


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _line_of(record: Record, offset: int) -> int | None:
    for i, ln in enumerate(record.lines):
        if ln.start <= offset <= ln.end:
            return i
    return None


MAX_PAGE_NAME = 120  # bytes before ".html": room for the writer's temporary suffix within 255


def page_name(record_id: str) -> str:
    """A file name for a record's page (a long id is cut and keeps a hash of the whole).

    >>> page_name("seed-004"), page_name("a/b c")
    ('seed-004.html', 'a_b_c.html')
    >>> len(page_name("报" * 240).encode()) <= MAX_PAGE_NAME + 5
    True
    """
    name = re.sub(r"[^\w.-]", "_", record_id).strip(".") or "document"
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) > MAX_PAGE_NAME:
        import hashlib
        digest = hashlib.sha256(raw).hexdigest()[:10]
        name = raw[:MAX_PAGE_NAME - 11].decode("utf-8", "ignore") + "-" + digest
    return name + ".html"


def _cell_marks(record: Record) -> dict[str, set[str]]:
    marks: dict[str, set[str]] = defaultdict(set)
    for cid in record.missing_cells:
        marks[cid].add("missing")
    if record.cells:
        for cid, c in record.cells.items():
            if c.value is None:
                marks[cid].add("missing")
    for f in record.findings:
        if f.type in BAD_TYPES:
            for cid in f.cells or ([f.indicator] if f.indicator else []):
                marks[cid].add("bad")
    for fact in record.facts:
        if fact.indicator in INDICATORS:
            marks[fact.indicator].add("linked")
    return marks


def _table_grid(record: Record, table: int, marks: dict[str, set[str]]) -> str:
    template = grid_template(record.template)
    ids = [i for i in ids_for_template(template) if INDICATORS[i].table == table]
    values = {k: c.value for k, c in record.cells.items()} if record.cells is not None else dict(record.table)
    raws = {k: c for k, c in (record.cells or {}).items()}
    rows: dict[str, str] = {}
    cols: dict[str, str] = {}
    for i in ids:
        ind = INDICATORS[i]
        rows.setdefault(ind.row_id, ind.row)
        cols.setdefault(ind.column_id, ind.column)
    head = "".join(f"<th>{html.escape(label)}</th>" for label in cols.values())
    out = [f"<h3>{html.escape(_TABLE_TITLES[table])}</h3><table class=\"grid\" data-table=\"{table}\">",
           f"<tr><th></th>{head}</tr>"]
    for row_id, row_label in rows.items():
        tds = []
        for col_id in cols:
            cid = _compose(table, row_id, col_id)
            if cid not in INDICATORS or cid not in ids:
                tds.append('<td class="na"></td>')
                continue
            cls = " ".join(sorted(marks.get(cid, ())))
            tip = cid
            if cid in raws:
                c = raws[cid]
                tip += f" · {_L.raw} “{c.raw}”" + (f" · {_L.line} {c.line + 1}" if c.line is not None else "")
            tds.append(f'<td id="cell-{html.escape(cid)}" class="cell {cls}" title="{html.escape(tip)}" '
                       f'data-indicator="{html.escape(cid)}">{html.escape(_fmt(values.get(cid)))}</td>')
        out.append(f"<tr><th>{html.escape(row_label)}</th>{''.join(tds)}</tr>")
    out.append("</table>")
    return "".join(out)


def _compose(table: int, row_id: str, col_id: str) -> str:
    if table == 2:
        return f"active.{row_id}.{col_id}"
    if table == 3:
        return f"requests.{row_id}.{col_id}"
    return f"{row_id}.{col_id}"


def _table_line_ranges(record: Record) -> list[tuple[int, int]]:
    """Line ranges (end exclusive) of the tables' source text, folded in the narrative panel."""
    cell_lines = sorted({c.line for c in (record.cells or {}).values() if c.line is not None})
    fact_lines = {_line_of(record, f.start) for f in record.facts}
    ranges: list[list[int]] = []
    for ln in cell_lines:
        if ranges and ln - ranges[-1][1] <= 12 and not any(x in fact_lines for x in range(ranges[-1][1], ln)):
            ranges[-1][1] = ln + 1
        else:
            ranges.append([ln, ln + 1])
    return [(a, b) for a, b in ranges]


class Printed:
    """The text as the report printed it: normalized offsets (what records hold) mapped
    into the source through the reader's offset map, so a page shows "2023年，" and
    "（一）" where the normalized text has "2023年," and "(一)".  Without a source whose
    normalized text is the record's, the record's own text is shown."""

    def __init__(self, record: Record, source: Document | None = None):
        usable = (source is not None and source.offset_map is not None and source.original
                  and source.text == record.text)
        self.text = source.original if usable else record.text
        self.offsets = source.offset_map if usable else None

    def at(self, offset: int) -> int:
        if self.offsets is None:
            return offset
        return self.offsets[min(max(offset, 0), len(self.offsets) - 1)]

    def __call__(self, start: int, end: int) -> str:
        """The printed text of normalized ``[start, end)``."""
        return self.text[self.at(start):self.at(end)] if end > start else ""


HEADING_ENDS = "。：:"  # a heading line may run on into its paragraph after one of these


def heading_end(text: str, start: int, end: int) -> int:
    """Where the heading part of a heading line ends: after the first sentence end when
    the paragraph runs on ("（一）主动公开情况。本年度……"), else the whole line.

    >>> t = "(一)主动公开情况。本年度共发布信息12条。"
    >>> t[:heading_end(t, 0, len(t))]
    '(一)主动公开情况。'
    >>> heading_end("一、总体情况", 0, 6)
    6
    """
    for i in range(start, end):
        if text[i] in HEADING_ENDS:
            return i + 1 if text[i + 1:end].strip() else end
    return end


def _narrative_html(record: Record, bad_facts: dict[int, str], printed: Printed) -> str:
    text = record.text
    lines = record.lines or []
    by_line: dict[int, list[int]] = defaultdict(list)
    for idx, f in enumerate(record.facts):
        ln = _line_of(record, f.start)
        if ln is not None:
            by_line[ln].append(idx)
    folded = {a: b for a, b in _table_line_ranges(record)}
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in folded:
            b = folded[i]
            src = "\n".join(printed(ln.start, ln.end) for ln in lines[i:b])
            out.append(f'<details class="tablesrc"><summary>{_L.table_source}, lines {i + 1}–{b}'
                       f'</summary>{html.escape(src)}</details>')
            i = b
            continue
        ln = lines[i]
        facts = sorted(by_line.get(i, []), key=lambda k: (record.facts[k].start, k))
        split = heading_end(text, ln.start, ln.end) if ln.heading else ln.start
        for idx in facts:  # never cut a fact in two
            f = record.facts[idx]
            if f.start < split < f.end:
                split = min(f.end, ln.end)
        head = _span_html(record, ln.start, split, facts, bad_facts, printed)
        body = _span_html(record, split, ln.end, facts, bad_facts, printed)
        content = (f'<span class="head">{head}</span>' if head else "") + body
        cls = "line heading" if ln.heading else "line"
        out.append(f'<div class="{cls}" data-section="{html.escape(ln.section or "")}">'
                   f'{content or "&#8203;"}</div>')
        i += 1
    if not lines:
        out.append(html.escape(printed(0, len(text))))
    return "".join(out)


def _span_html(record: Record, start: int, end: int, facts: list[int], bad_facts: dict[int, str],
               printed: Printed) -> str:
    """Normalized ``[start, end)`` as printed, with the facts that start in it marked."""
    parts, pos = [], start
    for idx in facts:
        f = record.facts[idx]
        if not start <= f.start < end or f.start < pos:  # elsewhere, or the same span again
            continue
        stop = min(f.end, end)
        parts.append(html.escape(printed(pos, f.start)))
        parts.append(_fact_mark(record, idx, f, bad_facts.get(idx), printed(f.start, stop)))
        pos = stop
    parts.append(html.escape(printed(pos, end)))
    return "".join(parts)


def _fact_mark(record: Record, idx: int, fact, problem: str | None, shown: str) -> str:
    table_value = None
    if fact.indicator in INDICATORS:
        if record.cells is not None and fact.indicator in record.cells:
            table_value = record.cells[fact.indicator].value
        else:
            table_value = record.table.get(fact.indicator)
    cls = "fact" + (" bad" if problem else "") + ("" if fact.indicator else " unlinked")
    tip = f"{fact.label} {_fmt(fact.value)}" + (f" ({_L.approx})" if fact.approx else "")
    tip += f" → {fact.indicator}" if fact.indicator else f" → {_L.unlinked}"
    if fact.indicator in INDICATORS:
        ind = INDICATORS[fact.indicator]
        tip += f"（{ind.row}·{ind.column}）{_L.table} = {_fmt(table_value) or '—'}"
    if problem:
        tip += f" ⚠ {problem}"
    body = html.escape(shown)
    if fact.indicator in INDICATORS:
        body = f'<a href="#cell-{html.escape(fact.indicator)}">{body}</a>'
    return (f'<mark id="fact-{idx}" class="{cls}" data-indicator="{html.escape(fact.indicator or "")}" '
            f'title="{html.escape(tip)}">{body}</mark>')


def _findings_html(record: Record) -> str:
    if not record.findings:
        return f"<p>{_L.no_findings}</p>"
    items = []
    for n, f in enumerate(record.findings):
        links = []
        if f.fact is not None:
            links.append(f'<a href="#fact-{f.fact}">{_L.narrative_link}</a>')
        for cid in f.cells:
            links.append(f'<a href="#cell-{html.escape(cid)}">{html.escape(cid)}</a>')
        items.append(f'<li class="finding" id="finding-{n}" data-type="{f.type}">'
                     f'<span class="sev sev-{f.severity or "info"}">{f.severity or "info"}</span> '
                     f'<b>{html.escape(f.type)}</b> {html.escape(f.message or "")} '
                     f'<small>{" · ".join(links)}</small></li>')
    return f"<ol>{''.join(items)}</ol>"


GENERATOR = '<meta name="generator" content="govreport review page">'


def render_page(record: Record, source: Document | None = None) -> str:
    """One self-contained review page (a string of HTML).  ``source``: the document as read
    (with its offset map), to show the text as printed rather than as normalized."""
    title = f"{record.agency or ''} {record.year or ''} — {record.id}".strip()
    meta = " · ".join(x for x in (f"{_L.file} {record.path}" if record.path else "",
                                  f"{_L.template} {record.template}" if record.template else "",
                                  f"{_L.format} {record.format}" if record.format else "") if x)
    head = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">{GENERATOR}'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f'<header><h1>{html.escape(title)}</h1><div class="meta">{html.escape(meta)}</div>'
            f'<div class="meta"><a style="color:#fff" href="index.html">{_L.index_link}</a></div></header>')
    if record.error is not None:
        return (head + f'<div class="error-box"><b>{_L.could_not_process}</b> '
                f"({html.escape(record.error.kind)}): {html.escape(record.error.message)}</div></body></html>")
    bad_facts = {f.fact: (f.message or f.type) for f in record.findings
                 if f.fact is not None and f.type in BAD_TYPES}
    marks = _cell_marks(record)
    grids = "".join(_table_grid(record, t, marks) for t in (2, 3, 4))
    return (head + f'<section id="findings"><h2>{_L.findings} ({len(record.findings)})</h2>'
            f"{_findings_html(record)}</section><main>"
            f'<section id="narrative"><h2>{_L.narrative}</h2><div class="text">'
            f"{_narrative_html(record, bad_facts, Printed(record, source))}</div></section>"
            f'<section id="tables"><h2>{_L.tables}</h2>{grids}</section></main></body></html>')


def render_index(records: list[Record], names: list[str]) -> str:
    rows = []
    for r, name in zip(records, names):
        sev = Counter(f.severity for f in r.findings)
        status = (f"{_L.failed}: {html.escape(r.error.kind)}" if r.error
                  else STATUS_ZH[outcome_of(r.to_dict()).status])
        rows.append(f'<tr><td><a href="{html.escape(name)}">{html.escape(r.id)}</a></td>'
                    f"<td>{html.escape(r.agency or '')}</td><td>{r.year or ''}</td>"
                    f"<td>{sev['error']}</td><td>{sev['warning']}</td><td>{sev['info']}</td>"
                    f"<td>{status}</td></tr>")
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">{GENERATOR}'
            f"<title>{_L.review}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_L.review_index} ({len(records)})</h1></header>"
            f'<table class="index"><tr>{"".join(f"<th>{c}</th>" for c in _WORDS["index_columns"])}</tr>'
            f"{''.join(rows)}</table></body></html>")


def write_html(out_dir: str | Path, records: Iterable[Record],
               source: Callable[[Record], Document | None] | None = None) -> list[Path]:
    """One page per record plus ``index.html``; returns the paths written.

    ``source(record)`` gives the document as read (see :class:`Printed`).  Review pages of
    an earlier run left in ``out_dir`` (ours carry a generator tag) are removed, so the
    folder shows this run only; other files there are left alone."""
    out_dir = Path(out_dir)
    records = list(records)
    names, used = [], set()
    for r in records:
        name = page_name(r.id)
        n = 2
        while name in used or name == "index.html":
            name = page_name(f"{r.id}~{n}")
            n += 1
        used.add(name)
        names.append(name)
    written = []
    for r, name in zip(records, names):
        doc = source(r) if source is not None and r.error is None else None
        atomic_write_text(out_dir / name, render_page(r, doc))
        written.append(out_dir / name)
    atomic_write_text(out_dir / "index.html", render_index(records, names))
    written.append(out_dir / "index.html")
    _remove_stale_pages(out_dir, set(written))
    return written


def _remove_stale_pages(out_dir: Path, keep: set[Path]) -> None:
    for page in out_dir.glob("*.html"):
        if page in keep or not page.is_file():
            continue
        with open(page, "rb") as fh:
            if GENERATOR.encode() in fh.read(2048):
                page.unlink()


# ---------------------------------------------------------------- console summary
@dataclass(slots=True)
class Outcome:
    """What the console says about one document of a run (read back from the output)."""

    id: str
    path: str
    error: str | None = None  # why the document could not be processed (None: it was)
    error_kind: str | None = None
    severities: dict[str, int] = field(default_factory=dict)
    read: str = "read"  # "read", "no tables read" or "nothing read"
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, type, message)

    @property
    def status(self) -> str:
        """The worst thing about the document: failed, error, warning, nothing read, …, clean."""
        if self.error:
            return "failed"
        for severity in ("error", "warning"):
            if self.severities.get(severity):
                return severity
        if self.read != "read":
            return self.read
        return "info" if self.severities.get("info") else "clean"

    @property
    def name(self) -> str:
        return self.path or self.id


def reading_of(data: dict) -> str:
    """How much of a document was read, from its output record (a dict).

    With ``coverage`` (see ``nlp.types``): no table cell read as a number or seen blank
    and no fact → "nothing read"; facts but no cell → "no tables read".  Records written
    before coverage existed fall back to their cells and facts.

    >>> reading_of({"facts": [], "cells": {}}), reading_of({"facts": [{}], "cells": {}})
    ('nothing read', 'no tables read')
    >>> reading_of({"coverage": {"tables": {"2": {"read": 3, "blank": 0}}, "facts": 0}})
    'read'
    """
    coverage = data.get("coverage")
    if coverage:
        tables = (coverage.get("tables") or {}).values()
        cells = sum((t.get("read") or 0) + (t.get("blank") or 0) for t in tables)
        facts = coverage.get("facts") or 0
    else:
        found = data.get("cells")
        cells = len(found) if found is not None else len(data.get("table") or {})
        facts = len(data.get("facts") or [])
    return _reading(cells, facts)


def _reading(cells: int, facts: int) -> str:
    if cells:
        return "read"
    return "no tables read" if facts else "nothing read"


def outcome_of(data: dict) -> Outcome:
    error = data.get("error")
    path = str(data.get("path") or "")
    if error:
        message = str(error.get("message") or "")
        if path and message.startswith(path):  # messages already name their file
            message = message[len(path):].lstrip(": ")
        return Outcome(str(data.get("id", "")), path, error=message or "failed", error_kind=error.get("kind"))
    findings = [(f.get("severity") or "info", f.get("type") or "", f.get("message") or "")
                for f in data.get("findings") or []]
    return Outcome(str(data.get("id", "")), path, severities=dict(Counter(f[0] for f in findings)),
                   read=reading_of(data), findings=findings)


def plural(n: int, word: str, many: str | None = None) -> str:
    """>>> plural(1, "error"), plural(2, "error"), plural(0, "info", "info")
    ('1 error', '2 errors', '0 info')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


STATUS_ZH = dict(_WORDS["status"])
STATUS_STYLE = {"failed": "bold red", "error": "red", "warning": "yellow", "nothing read": "magenta",
                "no tables read": "magenta", "info": "blue", "clean": "green"}


def console_summary(outcomes: list[Outcome], seconds: float, skipped: int = 0, limit: int = 30):
    """A rich table of the run: every document that is not clean (failed, with findings, or
    with nothing read), at most ``limit`` rows; then a line with the totals.  Thirty rows
    fit a terminal; rich takes about 1.4 ms to draw one, and sixty were more than all the
    rest of a resumed run of 10,000 reports with nothing to do."""
    from rich.table import Table

    statuses = [o.status for o in outcomes]
    failed = statuses.count("failed")
    rate = f", {(len(outcomes) - skipped) / seconds:.1f} documents/s" if seconds and len(outcomes) > skipped else ""
    table = Table(title=f"govreport check — {plural(len(outcomes), 'document')}, {failed} failed{rate}")
    for col in ("document", "errors", "warnings", "info", "status"):
        table.add_column(col, justify="right" if col in ("errors", "warnings", "info") else "left",
                         overflow="fold")
    listed = [o for o, status in zip(outcomes, statuses) if status != "clean"]
    for o in listed[:limit]:
        status = f"failed ({o.error_kind})" if o.error else o.status
        table.add_row(_markup(printable(o.name)), str(o.severities.get("error", 0)), str(o.severities.get("warning", 0)),
                      str(o.severities.get("info", 0)), f"[{STATUS_STYLE[o.status]}]{_markup(status)}[/]")
    totals = severity_totals(outcomes)
    clean = len(outcomes) - len(listed)
    parts = [f"{plural(clean, 'clean document')} not listed"]
    if len(listed) > limit:
        parts.append(f"{len(listed) - limit} more not clean, not shown")
    if skipped:
        parts.append(f"{plural(skipped, 'document')} skipped (already in the output)")
    parts.append(f"totals: {plural(totals['error'], 'error')}, {plural(totals['warning'], 'warning')}, "
                 f"{totals['info']} info")
    from rich.console import Group
    from rich.text import Text

    return Group(table, Text(" · ".join(parts)))  # a line of its own: not wrapped to the table


def severity_totals(outcomes: Iterable[Outcome]) -> Counter:
    """Findings per severity over a run's documents.

    >>> severity_totals([Outcome("a", "a", severities={"error": 2}), Outcome("b", "b"),
    ...                  Outcome("c", "c", severities={"error": 1, "info": 1})])
    Counter({'error': 3, 'info': 1})
    """
    totals: dict[str, int] = {}
    for o in outcomes:
        if o.severities:  # most documents have none: skip them cheaply (ten thousand on a resume)
            for severity, n in o.severities.items():
                totals[severity] = totals.get(severity, 0) + n
    return Counter(totals)


def finding_lines(outcomes: list[Outcome]) -> list[str]:
    """Every finding's message under its document (``--show-findings``), plain text."""
    lines = []
    for o in outcomes:
        if o.findings:
            lines.append(printable(o.name))
            lines.extend(f"  {severity:7s} {kind}: {message}" for severity, kind, message in o.findings)
    return lines


def fails_on(outcomes: list[Outcome], fail_on: str | None) -> bool:
    """Whether a finding at or above ``fail_on`` (error, warning; None: never) exists.

    >>> fails_on([Outcome("a", "a", severities={"warning": 1})], "error")
    False
    >>> fails_on([Outcome("a", "a", severities={"warning": 1})], "warning")
    True
    """
    if fail_on is None:
        return False
    wanted = ("error",) if fail_on == "error" else ("error", "warning")
    return any(o.severities.get(s) for o in outcomes for s in wanted)


def _markup(text: str) -> str:
    from rich.markup import escape
    return escape(text)
