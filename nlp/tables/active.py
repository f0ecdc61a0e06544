"""Table 2 (二、主动公开政府信息情况): documents, licensing, penalties, enforcement, fees.

Its rows differ between the templates (the registry's ``table2`` per template lists each
row's cells); a row's numbers follow its label in the template's column order.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import combinations, islice, takewhile

from nlp import lexicon
from nlp.indicators import INDICATORS, TEMPLATES, registry
from nlp.tables.cells import label_core
from nlp.tables.grid import match_labels, t2_cands
from nlp.tables.rows import (NOTES, Reader, alone, fit_row, float_labels, lead_for, learn_leads,
                             learn_trail, one_printed_row, value_runs, values_after)
from nlp.tables.runrows import has_run, put_run_row
from nlp.tables.tokens import Tok

__all__ = ["read"]


def read(toks: list[Tok], template: str, rd: Reader, cut: bool = False) -> None:
    """Read table 2's tokens onto ``active.*`` ids (``cut``: the text ends inside it)."""
    spec = _t2_rows(template)
    toks = float_labels(match_labels(toks, t2_cands(template)), rd, lambda row: len(spec[row]), "active")
    rows_n = {i: len(spec[t.cand.id]) for i, t in enumerate(toks)
              if t.cand is not None and t.cand.kind == "row"}
    runs = value_runs(toks, rows_n)
    leads, trail = learn_leads(toks, rows_n, runs), learn_trail(toks, rows_n, runs)
    other_spec, other_cols = _t2_rows(_OTHER[template]), _other_columns(template)
    header: list[str] = []
    shown: list[str] = []  # the last header read, as printed (its cut labels unplaced)
    cur_cols: list[str] = []
    for i, t in enumerate(toks):
        if t.cand is None:
            if t.kind == "text" and (col := other_cols.get(label_core(t.text))):
                header.append(col)  # the other template's column, printed in this report's grid
            elif t.kind == "text" and _cut_column(label_core(t.text), template):
                header.append(_CUT + label_core(t.text))  # 本年新 (本年新制作数量 cut): its place says which
            elif t.kind == "text":
                header += _run_header(label_core(t.text))  # a header's cells run together
            continue
        if t.cand.kind == "col":
            header.append(t.cand.id)
            continue
        if t.cand.kind != "row":
            continue
        row = t.cand.id
        cols = spec[row]
        if header:
            shown, header = header, []
            cur_cols = _placed(shown, cols)
        if (cur_cols and not _in_columns(shown, cols) and _in_columns(shown, other_spec.get(row, []))
                and _fits_other(runs[i], cols, other_spec[row])):
            cols = other_spec[row]  # a block printed in the other template's columns: read as printed
            rd.printed_as.add(f"active.{row}.")
        run, row_cols = _merged_cell_copies(runs[i], cur_cols, cols)
        _read_row(toks, i, run, cols, row_cols, template, rd, leads, trail, cut)
    _read_column_blocks(toks, spec, rd)


_CUT = "cut:"  # a header cell whose label a scrape cut short (本年新), by its core
_UNIT_NOTE = re.compile(lexicon.load("tables")["unit_note"])


@lru_cache(maxsize=64)
def _cut_column(core: str, template: str) -> bool:
    """Words that begin a column label of the template's table 2 and are none
    (本年新 for 本年新制作数量 and 本年新公开数量: a page that cut its header cells)."""
    cores = [c.core for c in t2_cands(template) if c.kind == "col"]
    return len(core) >= 2 and core not in cores and any(c.startswith(core) for c in cores)


def _placed(header: list[str], cols: list[str]) -> list[str]:
    """The header's columns, each cut label given the template's column its place says
    (the first of the row's columns, in order, whose label it begins and no other header
    cell names): 本年新 | 本年新 | 对外公开总数量 over 规章's three is made, published, total.

    >>> _placed(["cut:本年新", "cut:本年新", "total_published"], ["made", "published", "total_published"])
    ['made', 'published', 'total_published']
    """
    if not any(h.startswith(_CUT) for h in header):
        return header
    labels = _column_labels()
    out, taken = [], {h for h in header if not h.startswith(_CUT)}
    for h in header:
        if h.startswith(_CUT):
            h = next((c for c in cols if c not in taken and any(x.startswith(h[len(_CUT):]) for x in labels.get(c, ()))), h)
            taken.add(h)
        out.append(h)
    return out


def _fits_other(run: list[Tok], cols: list[str], other: list[str]) -> bool:
    """May the row's figures be the other template's cells?  A printed row that keeps its
    positions (| 行政许可 | 12 |  |  |: pipes, tabs) may when it has as many; otherwise not
    when they can be as many as its own template's cells and not as many as the other's: a
    2021 report printing 2019's header over 行政许可 / 37 (or 行政许可37 run together: a run
    of two digits holds one or two figures) has the one figure its own row has."""
    if one_printed_row(run) and len(run) == len(other):
        return True
    least = sum(t.kind in ("num", "run") for t in run)
    most = sum(1 if t.kind == "num" else sum(c.isdigit() for c in t.text) for t in run if t.kind in ("num", "run"))
    return not (least <= len(cols) <= most and not least <= len(other) <= most)


def _in_columns(header: list[str], cols: list[str]) -> bool:
    """Does every cell of the header name one of ``cols``, its cut labels (本年新 / 制作数量
    one a line: 本年新) placed among them?

    >>> _in_columns(["cut:本年新", "cut:本年新", "total_published"], ["made", "published", "total_published"])
    True
    >>> _in_columns(["cut:本年新", "total_published"], ["issued", "repealed", "in_force"])
    False
    """
    return bool(cols) and set(_placed(header, cols)) <= set(cols)


@lru_cache(maxsize=256)
def _run_header(core: str) -> tuple[str, ...]:
    """The columns of a header row whose cells a dump ran together with no separator
    (信息内容本年新制作数量本年新公开数量对外公开总数量), when the words are wholly such labels,
    two or more of them, longest first; else none.

    >>> _run_header("信息内容本年新制作数量本年新公开数量对外公开总数量")
    ('made', 'published', 'total_published')
    >>> _run_header("信息内容本年制发件数"), _run_header("本年新制作数量"), _run_header("行政许可处理决定数量")
    ((), (), ())
    """
    out, i = [], 0
    while i < len(core):
        hit = next(((c, col) for c, col in _header_labels() if core.startswith(c, i)), None)
        if hit is None:
            return ()
        i += len(hit[0])
        if hit[1] is not None:
            out.append(hit[1])
    return tuple(out) if len(out) >= 2 else ()


_HEADER_WORDS = ("信息内容",)  # a header's first cell, over the row labels: no column


@lru_cache(maxsize=1)
def _header_labels() -> tuple[tuple[str, str | None], ...]:
    """(core, column id) of every table-2 column label of both templates, and the header
    words that are no column (id None), longest first."""
    labels = [(c, col) for col, cores in _column_labels().items() for c in cores if c]
    labels += [(label_core(w), None) for w in _HEADER_WORDS]
    return tuple(sorted(labels, key=lambda x: -len(x[0])))


@lru_cache(maxsize=1)
def _column_labels() -> dict[str, tuple[str, ...]]:
    """Table 2's column ids (both templates) → the cores of their labels."""
    out: dict[str, list[str]] = {}
    for template in TEMPLATES:
        for c in t2_cands(template):
            if c.kind == "col":
                out.setdefault(c.id, []).append(c.core)
    return {k: tuple(v) for k, v in out.items()}


def _read_column_blocks(toks: list[Tok], spec: dict[str, list[str]], rd: Reader) -> None:
    """Columns a PDF tool printed one after another (pdfminer: every row label, then 本年制发件数
    0 0, 本年废止件数 0 0, …; pdftotext: 现行有效件数 0 2 after the table): a column label and
    the numbers right after it are that column's cells of the printed rows not yet read, in
    the template's order — when, for every such column, its blocks hold exactly as many
    numbers as there are such rows."""
    blocks = _column_blocks(toks)
    if not blocks:
        return  # most tables: no column label is followed by its numbers
    printed = [t.cand.id for t in toks if t.cand is not None and t.cand.kind == "row"]
    open_rows = {col: [r for r in dict.fromkeys(printed) if col in spec.get(r, ()) and f"active.{r}.{col}" not in rd.cells]
                 for col, _ in blocks}
    sizes = Counter()
    for col, vals in blocks:
        sizes[col] += len(vals)
    if any(sizes[col] != len(rows) for col, rows in open_rows.items()):
        return
    for col, vals in blocks:
        rows, open_rows[col] = open_rows[col][:len(vals)], open_rows[col][len(vals):]
        rd.put_all((f"active.{r}.{col}", v) for r, v in zip(rows, vals))


def _column_blocks(toks: list[Tok]) -> list[tuple[str, list[Tok]]]:
    """(column id, the numbers right after its label) for each column label a number follows."""
    out = []
    for i, t in enumerate(toks):
        if t.cand is None or t.cand.kind != "col":
            continue
        vals = list(takewhile(lambda v: v.kind == "num", islice(toks, i + 1, None)))
        if vals:
            out.append((t.cand.id, vals))
    return out


def _read_row(toks: list[Tok], i: int, run: list[Tok], cols: list[str], cur_cols: list[str], template: str,
              rd: Reader, leads: dict[int, int], trail: int | None, cut: bool) -> None:
    """The row labelled at ``toks[i]`` (``run``: its value run): its cells, or why they stay unread."""
    t = toks[i]
    row = t.cand.id
    ids = [f"active.{row}.{c}" for c in cols]
    vals = values_after(toks, i, len(cols), run)
    if not vals:
        parts = _sub_rows(toks, i, len(cols), template)
        if parts:  # 其他对外管理服务事项 printed as its kinds (行政检查, 行政确认): their sums
            rd.put_all(zip(ids, _column_sums(parts)))
        elif not (cut and i == _last_label(toks)):  # (a text cut after the label: nothing to say)
            rd.doubt(ids, NOTES["row_no_values"].format(row=INDICATORS[ids[0]].row))
        return
    if _printed_column_by_column(toks, i, vals):
        rd.doubt(ids, NOTES["column_by_column"].format(row=INDICATORS[ids[0]].row))
        return
    if has_run(vals):
        put_run_row(rd, ids, vals, labels=_row_labels(template, row))
        return
    nums = [v for v in vals if v.kind == "num"]
    headed = bool(_headed_columns(cols, cur_cols, len(nums)))
    if headed and _read_short_row(rd, row, cols, cur_cols, nums, vals):
        return  # the header says which cells the figures are: not where this table's rows start
    got = fit_row(vals, len(cols), lead_for(toks, i, leads), alone(t, vals), cut and vals[-1] is toks[-1] and not headed,
                  trail)
    if got is not None:
        rd.put_all(zip(ids, got))
        return
    if _read_short_row(rd, row, cols, cur_cols, nums, vals):
        return
    rd.doubt(ids, NOTES["count"].format(row=INDICATORS[ids[0]].row, got=len(nums), want=len(cols),
                                        printed=" | ".join(v.text or "∅" for v in vals)))


def _merged_cell_copies(run: list[Tok], cur_cols: list[str], cols: list[str]) -> tuple[list[Tok], list[str]]:
    """A merged cell a converter repeated in every column it spans (docling: | 本年处理决定数量 |
    本年处理决定数量 | 本年处理决定数量 | over | 2332 | 2332 | 2332 |): the row's value once per
    column the header names — when the header repeats a column side by side, the row's
    figures under the copies are the same figure, and what remains is the row's own columns
    (``cols``); otherwise the row as printed (a header word OCR printed twice over 0 | 0 | 3
    is no merged cell)."""
    distinct = len(set(cur_cols))
    if len(run) != len(cur_cols) or distinct == len(cur_cols) or distinct != len(cols):
        return run, cur_cols
    keep_run, keep_cols = [run[0]], [cur_cols[0]]
    for k in range(1, len(run)):
        if cur_cols[k] == cur_cols[k - 1]:
            if run[k].kind != run[k - 1].kind or run[k].value != run[k - 1].value:
                return run, cur_cols  # different figures under one column's copies: not copies
            continue
        keep_run.append(run[k])
        keep_cols.append(cur_cols[k])
    return keep_run, keep_cols


def _printed_column_by_column(toks: list[Tok], i: int, vals: list[Tok]) -> bool:
    """Are the values one a line after the label at ``i`` a column of a table a PDF tool
    printed column by column (pdfminer: 行政处罚 / 行政强制 / 行政事业性收费 / 517645 /
    本年处理决定数量 / 693957 …)?  Yes when the label follows another row label with no value
    between them and a column label follows the values, unless a row label follows that
    column label: then the column label opens the next block, and the values are the row's
    own, after a row that printed nothing (规章 / 规范性文件 / 2 / 1 / 9 / 本年处理决定数量 /
    行政许可).  (A row printed row by row has its values before the next block's header.)"""
    if any(v.row is not None for v in vals):
        return False  # a physical row (pipe, tab, spaced): its values are its own
    end = toks.index(vals[-1], i) + 1
    rest = (t for t in toks[end:] if t.kind != "blank")
    after = next(rest, None)
    if after is None or after.cand is None or after.cand.kind != "col":
        return False
    # (past a unit's note: 本年处理决定数量 / （单位：件） / 行政许可; not past a block's 第二十条…
    # or 信息内容, which a row-major print puts before its column label, not after)
    then = next((t for t in rest if not (t.kind == "text" and not _is_label(t) and _UNIT_NOTE.match(t.text))), None)
    if then is not None and then.cand is not None and then.cand.kind == "row":
        return False
    before = next((t for t in reversed(toks[:i]) if t.kind != "text" or _is_label(t)), None)
    return before is not None and before.cand is not None and before.cand.kind == "row"


def _is_label(t: Tok) -> bool:
    """A row or column label (not a block's 第二十条第（八）项 or 信息内容)."""
    return t.cand is not None and t.cand.kind in ("row", "col")


def _last_label(toks: list[Tok]) -> int:
    """The position of the last text token (a text cut inside the table ends there)."""
    return max((k for k, t in enumerate(toks) if t.kind == "text"), default=-1)


def _headed_columns(cols: list[str], cur_cols: list[str], n: int) -> list[str]:
    """The row's columns the header above it prints, when they are fewer than the template
    has and as many as the row's ``n`` numbers (本年处理决定数量 / 行政许可 / 7 under the 2019
    template's three columns): then the header places them, and the row is whole as printed
    — a text that stops after it cut nothing.  Else none."""
    sub = [c for c in cur_cols if c in cols]
    return sub if 0 < len(sub) < len(cols) and n == len(sub) else []


def _read_short_row(rd: Reader, row: str, cols: list[str], cur_cols: list[str], nums: list[Tok],
                    vals: list[Tok]) -> bool:
    """A row with fewer numbers than cells: placed by the header printed above it, or by
    the only placement its numbers allow.  False when neither says where they go."""
    sub = _headed_columns(cols, cur_cols, len(nums))
    if sub and len(set(sub)) == len(sub):
        for c, tok in zip(sub, nums):  # header shows which columns are there
            rd.put(f"active.{row}.{c}", tok)
        return True
    only = _only_placement([v.value for v in nums], cols, [_signed(v.text) for v in nums]) \
        if len(nums) == len(vals) else None
    if only is None:
        return False
    for c, tok in zip(only, nums):  # blank cells dropped (one cell per line), yet only one order fits
        rd.put(f"active.{row}.{c}", tok)
    rd.doubt([f"active.{row}.{c}" for c in cols if c not in only],
             NOTES["count_one_blank"].format(row=INDICATORS[f"active.{row}.{cols[0]}"].row, got=len(nums),
                                             want=len(cols)))
    return True


def _sub_rows(toks: list[Tok], i: int, n: int, template: str) -> list[list[Tok]]:
    """The rows an agency prints under a template row that has no numbers of its own
    (其他对外管理服务事项, then 行政检查 0 0 0 and 行政确认 0 0 0): each a label no template row
    has, then ``n`` numbers, up to the next template label.  Empty unless every such row
    is whole (a sum of rows partly read would be a guess), and when a label is a column's
    cut short (本年新 / 0 / 2: a column printed after the run of row labels)."""
    parts, j = [], i + 1
    while j < len(toks) and toks[j].cand is None and toks[j].kind == "text":
        if _cut_column(label_core(toks[j].text), template):
            return []
        nums = toks[j + 1:j + 1 + n]
        if len(nums) < n or any(t.kind != "num" or t.cand is not None for t in nums):
            return []
        parts.append(nums)
        j += 1 + n
    if j < len(toks) and toks[j].cand is None:
        return []  # something else follows the rows: not a row's breakdown
    return parts


def _column_sums(parts: list[list[Tok]]) -> list[Tok]:
    """Per column, a token holding the sum of the rows' numbers (its text shows the addends)."""
    return [Tok("+".join(t.text for t in col), col[0].line, "num", sum(t.value for t in col), col[0].row, col[0].col)
            for col in zip(*parts)]


_OTHER = {"2021": "2019", "2019": "2021"}


@lru_cache(maxsize=2)
def _other_columns(template: str) -> dict[str, str]:
    """The other template's table-2 column labels no column of ``template`` has (本年新制作数量
    in a 2021 report): label core → column id.  A report may print one block in the other
    template's columns (a 2022 report's 规章/规范性文件 block under 本年新制作数量 …)."""
    own = {label_core(x) for c in registry().raw["table2"][template]["columns"] for x in [c["label"], *c.get("aliases", [])]}
    return {label_core(x): c["id"] for c in registry().raw["table2"][_OTHER[template]]["columns"]
            for x in [c["label"], *c.get("aliases", [])] if label_core(x) not in own}


def _row_labels(template: str, row: str) -> list[str]:
    spec = next(r for r in registry().raw["table2"][template]["rows"] if r["id"] == row)
    return [spec["label"], *spec.get("aliases", [])]


def _t2_rows(template: str) -> dict[str, list[str]]:
    return registry().raw["table2"][template]["cells"]


def _fits_column(value: float | int | None, col: str, signed: bool = False) -> bool:
    """Only 本年增/减 can be negative or printed with a sign (+4), and only amounts (万元)
    can have decimals."""
    if value is None:
        return False
    if (value < 0 or signed) and col != "change":
        return False
    return col == "amount" or float(value).is_integer()


def _signed(text: str) -> bool:
    """Is the figure printed with its sign (+4, -3): a change, not a count?"""
    return text.strip().startswith(("+", "-", "＋", "－"))


def _only_placement(values: list, cols: list[str], signed: list[bool] | None = None) -> list[str] | None:
    """The columns of a short row whose blank cells were dropped, when exactly one
    order-preserving placement respects the columns' signs and decimals; else None.

    >>> _only_placement([5, -3], ["prev_items", "change", "decisions"])
    ['prev_items', 'change']
    >>> _only_placement([19, 4], ["prev_items", "change", "decisions"], [False, True])  # printed +4
    ['prev_items', 'change']
    >>> _only_placement([0, 0], ["prev_items", "change", "decisions"]) is None
    True
    >>> _only_placement([12, 3.5], ["count", "amount"]) is None  # full row: not this helper's case
    True
    """
    if not values or len(values) >= len(cols):
        return None
    signed = signed or [False] * len(values)
    fits = [list(pos) for pos in combinations(cols, len(values))
            if all(_fits_column(v, c, s) for v, c, s in zip(values, pos, signed))]
    return fits[0] if len(fits) == 1 else None
