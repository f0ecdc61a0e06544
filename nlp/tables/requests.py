"""Table 3 (三、收到和处理政府信息公开申请情况): requests received and their outcomes.

Seven applicant columns (natural persons, five kinds of organisation, total) over the
rows new / carried over / outcomes / carried forward.  The header's printed columns set
the column order (a 小计 column some reports add is placed by the numbers); each row is
read under its arithmetic (总计 = the six applicant cells).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import combinations

from nlp import lexicon
from nlp.identities import checked, consistent, sums_agree, sums_hold
from nlp.indicators import INDICATORS, registry
from nlp.tables.aligned import Span, column_spans, figures_only, place_under
from nlp.tables.cells import label_core
from nlp.tables.grid import match_labels, t3_cands
from nlp.tables.rows import (NOTES, Reader, alone, fit_row, float_labels, labels_all_below, lead_for,
                             learn_leads, learn_trail, merge_split, value_runs, values_after)
from nlp.tables.runrows import has_run, run_note, run_splits, run_toks, settle_run_rows
from nlp.tables.tokens import Tok, token

__all__ = ["COLUMNS", "read"]

COLUMNS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
_TABLE_NAME = lexicon.load("tables")["identities"]["table_names"][3]  # 表三
_ORG = ("commercial", "research", "nonprofit", "legal", "other_org")

# A row's read: its cells in column order (None: not printed).
Fitted = list[tuple[str, list[Tok | None]]]
# Rows whose run-together digits split several ways: row → (splits, value tokens).
Pending = dict[str, tuple[list[tuple], list[Tok]]]


def read(toks: list[Tok], template: str, rd: Reader, cut: bool = False, texts: list[str] | None = None) -> None:
    """Read table 3's tokens onto ``requests.*`` ids (``cut``: the text ends inside it;
    ``texts``: the document's lines, where a layout-keeping tool's columns may place a
    row's figures)."""
    head, body = _head_and_body(toks, template, rd)
    if cut and _labels_without_values(body, rd):
        return
    spans = _header_columns(head, texts)
    body = _without_label_spans(head, body)
    runs = value_runs(body, [i for i, t in enumerate(body) if t.cand is not None and t.cand.kind == "row"])
    # each row's values as seven columns take them: the column count looks at them, and
    # the rows read them again when the header has seven columns (most tables)
    after = {i: values_after(body, i, len(COLUMNS), run) for i, run in runs.items()}
    cols = _columns(head, after)
    fitted: Fitted = []
    pending: Pending = {}
    used: set[int] = set()
    rows_n = {i: len(cols) for i in after}
    leads, trail = learn_leads(body, rows_n, runs), learn_trail(body, rows_n, runs)
    for i in rows_n:
        vals = after[i] if len(cols) == len(COLUMNS) else values_after(body, i, len(cols), runs[i])
        used.update(_read_row(body, i, vals, cols, leads, trail, cut, rd, fitted, pending,
                              (texts, spans) if spans and cols == list(COLUMNS) else None))
    if "extra" in cols:
        cols = _place_extra(cols, fitted)
        if cols is None:  # the data contradict every place the 小计 column could have
            for row, _ in fitted:
                rd.doubt([f"requests.{row}.{c}" for c in COLUMNS], NOTES["extra_column"])
            return
    cols_key = tuple(cols)
    for row, got in fitted:
        rd.put_all([(cid, tok) for cid, tok in zip(_cell_ids(row, cols_key), got) if cid is not None])
    if pending:
        settle_run_rows(pending, cols, rd, template)
    if cols == list(COLUMNS):
        _place_unlabelled_rows(body, used, rd, template)
        _place_floated_labels(body, runs, rd, template)
    _doubt_unprinted_columns(cols, template, rd, cut)


# A cut table printing this many row labels and no value is a table without its values.
_LABEL_ROWS = 3


def _labels_without_values(body: list[Tok], rd: Reader) -> bool:
    """Does a table the text stops inside print its rows' labels and not one value or blank
    mark (a page whose figures were images, a scrape that kept the labels)?  Then the
    printed rows' cells are unreadable, which the reconciler says — not absent as the rows
    after the cut are.  (A table printed whole is judged so as a whole: parse_tables.)"""
    rows = [t.cand.id for t in body if t.cand is not None and t.cand.kind == "row"]
    if len(rows) < _LABEL_ROWS or any(t.kind != "text" for t in body):
        return False
    note = NOTES["no_values"].format(table=_TABLE_NAME, printed=0)
    rd.doubt([cid for row in dict.fromkeys(rows) for cid in _cell_ids(row, COLUMNS)], note)
    return True


@lru_cache(maxsize=1024)  # a few rows times a few column orders
def _cell_ids(row: str, cols: tuple[str, ...]) -> tuple[str | None, ...]:
    """The ids of a row's cells in the columns' order (None for the extra column, which
    has no id): formatted once, not for every row of every report."""
    return tuple(None if c == "extra" else f"requests.{row}.{c}" for c in cols)


def _head_and_body(toks: list[Tok], template: str, rd: Reader) -> tuple[list[Tok], list[Tok]]:
    """The header's tokens (before the first row label that is no column label) and the
    body's, each matched against its own labels."""
    head_c, body_c = t3_cands(template)
    col_cores = {c.core for c in head_c}
    # A first look matches every token against the body's labels.  It sets the text
    # tokens' candidates, but the header's are set anew by matching it against its own
    # (match_labels reads no candidate, and sets one on every text token it keeps), and
    # the rest are the body's: no copies of the tokens are needed for it.
    matched = match_labels(toks, body_c)
    at = next((k for k, t in enumerate(matched) if t.cand is not None and t.cand.kind == "row"
               and label_core(t.text) not in col_cores), len(matched))
    first = matched[at].src if at < len(matched) else len(toks)
    head = match_labels(toks[:first], head_c)
    # The body is the first look's from its first row on: matching goes left to right and
    # a token's match depends on it and the next only, so matching toks[first:] again
    # would give the same tokens (their src counting from ``first``, which nothing reads).
    # No token before ``first`` is one of them: it starts the first look's token there.
    body = _without_header_rows(_without_stray_fragments(matched[at:]), col_cores)
    values_above = _trailing_values(head)  # the first row's values, when labels sit below theirs
    if values_above and labels_all_below(values_above + body):
        head, body = head[:-len(values_above)], values_above + body
    body = float_labels(body, rd, lambda row: len(COLUMNS), "requests")
    return head, body


def _without_label_spans(head: list[Tok], body: list[Tok]) -> list[Tok]:
    """The body without the empty cells a row label's merged cell leaves in a grid row
    (一、本年新收… | | | 26 | | … — the label spans three of the header's columns, 自然人
    stands in the fourth): they lie left of the header's first applicant column, and the
    row has more cells after its label than the table has columns.  Other rows keep theirs."""
    firsts = [t.col for t in head if t.row is not None and t.cand is not None and t.cand.kind == "col"]
    if not firsts or min(firsts) == 0:
        return body  # most tables: no grid header, or its columns start the row
    first = min(firsts)
    rows: dict[int, list[Tok]] = {}
    for t in body:
        if t.row is not None:
            rows.setdefault(t.row, []).append(t)
    drop: set[int] = set()
    for cells in rows.values():
        label = next((k for k, t in enumerate(cells) if t.cand is not None and t.cand.kind == "row"), None)
        if label is None:
            continue
        after = cells[label + 1:]
        span = [t for t in after if t.col < first]
        if span and all(t.kind == "blank" for t in span) and len(after) - len(span) == len(COLUMNS):
            drop.update(map(id, span))
    return [t for t in body if id(t) not in drop] if drop else body


def _trailing_values(head: list[Tok]) -> list[Tok]:
    """The value tokens that end the header (a row of numbers after the column labels)."""
    k = len(head)
    while k and head[k - 1].kind != "text":
        k -= 1
    return head[k:]


# A merged cell's text printed down the page (本/年/度/办…, 无法提/供): a PDF tool puts its
# pieces at the start of the lines beside it, value rows included.
_FRAGMENT_CHARS = 3


def _without_stray_fragments(body: list[Tok]) -> list[Tok]:
    """The body without the pieces of a merged cell's text that sit on a row of values
    (``无法提  0 0 0 …``, a piece of the parent label 无法提供): no row label matches them,
    and they would stand between the row's own label, a line above, and its numbers."""
    pieces = [t for t in body if t.kind == "text" and t.row is not None and (t.cand is None or t.cand.kind != "row")
              and len(label_core(t.text)) <= _FRAGMENT_CHARS]
    if not pieces:
        return body  # most tables: no short piece of text that no row label matches
    rows_with_values = {t.row for t in body if t.row is not None and t.kind == "num"}
    stray = {id(t) for t in pieces if t.row in rows_with_values}
    return [t for t in body if id(t) not in stray]


def _without_header_rows(body: list[Tok], col_cores: set[str]) -> list[Tok]:
    """The body with no row label on a column-header line a PDF tool repeats above each
    group (``类别数据1 | 数据2数据 | … | 总计``): a line of text cells only, the label a
    column's (总计 is the (七)总计 row's word too, and would take the group's first values)."""
    lines: dict[int, list[Tok]] = {}
    for t in body:
        if t.row is not None:
            lines.setdefault(t.line, []).append(t)
    for cells in lines.values():
        if len(cells) >= 2 and all(t.kind == "text" for t in cells):
            for t in cells:
                if t.cand is not None and t.cand.kind == "row" and label_core(t.text) in col_cores:
                    t.cand = None
    return body


def _columns(head: list[Tok], after: dict[int, list[Tok]]) -> list[str]:
    """The header's columns; all seven when a header label was lost but the rows plainly
    have seven numbers (``after``: each row label's values, as seven columns take them)."""
    cols = _t3_columns(head)
    if "extra" in cols or len(cols) >= 7:
        return cols  # most headers: the rows' numbers need not be counted
    # (rows with digits run together say nothing of the count: 0 0 0 0 000 is seven; a
    # grid's rows count their empty cells too: | 0 | | | | | | 0 | is seven, its header's
    # 商业 / 企业 split over two header rows and never matched)
    plain = [vals for vals in after.values() if not has_run(vals)]
    counts = Counter([v.kind for v in vals].count("num") for vals in plain)
    cells = Counter(len(vals) for vals in plain if vals and all(v.row is not None and v.row == vals[0].row for v in vals))
    if (counts and counts.most_common(1)[0][0] == 7) or (cells and cells.most_common(1)[0][0] == 7):
        cols = list(COLUMNS)
    return cols


def _read_row(body: list[Tok], i: int, vals: list[Tok], cols: list[str], leads: dict[int, int],
              trail: int | None, cut: bool, rd: Reader, fitted: Fitted, pending: Pending,
              aligned: tuple[list[str], list[Span]] | None = None) -> set[int]:
    """The row labelled at ``body[i]``, its values ``vals`` (``values_after`` for the
    columns): appended to ``fitted`` (or ``pending``), or its cells doubted.  Returns the
    ids of the value tokens it took."""
    t = body[i]
    row = t.cand.id
    n = len(cols)
    if not vals:
        return set()
    if has_run(vals):
        _read_run_row(row, vals, cols, rd, fitted, pending)
        return set(map(id, vals))
    if _cell_dropped(vals):
        rd.doubt([f"requests.{row}.{c}" for c in cols if c != "extra"],
                 NOTES["unreadable_cell"].format(printed=" | ".join(v.text or "∅" for v in vals)))
        return set(map(id, vals))
    cut_here = cut and vals[-1] is body[-1]
    printed = _without_filler(vals)
    if len(printed) < len(vals) and 0 < sum(v.kind == "num" for v in printed) < n and not cut_here:
        # the empty cells printed together after the figures: no mark of where they are
        _read_short_row(row, printed, cols, rd, fitted, pending)
        return set(map(id, vals))
    got = fit_row(vals, n, lead_for(body, i, leads), alone(t, vals), cut_here, trail)
    if got is not None and _placed_by_order(got, vals, cut_here):
        _read_short_row(row, vals, cols, rd, fitted, pending)
        return set(map(id, vals))
    if got is None:
        got = _repair_split_number(vals, cols, row, rd)
    if got is None and aligned is not None:
        got = _placed_under_columns(row, vals, *aligned, rd)
    if got is None and _short_without_trace(vals, n, cut_here):  # a stream that dropped an empty cell
        _read_short_row(row, vals, cols, rd, fitted, pending)
        return set(map(id, vals))
    if got is None:
        ids = [f"requests.{row}.{c}" for c in cols if c != "extra"]
        nums = [v for v in vals if v.kind == "num"]
        rd.doubt(ids, NOTES["count_columns"].format(row=INDICATORS[ids[0]].row, got=len(nums), want=n,
                                                    printed=" | ".join(v.text or "∅" for v in vals)))
    else:
        fitted.append((row, got))
    return set(map(id, vals))


_COLUMN_LABELS = frozenset(c["label"] for c in registry().raw["table3"]["columns"])


_CELL_MARKS = ("|", "｜", "\t")


def _header_columns(head: list[Tok], texts: list[str] | None) -> list[Span] | None:
    """The seven applicant columns where a layout-keeping PDF tool prints the header
    (pdftotext -layout: each label's pieces at their place on the page), else None."""
    if texts is None or not head:
        return None
    first, last = min(t.line for t in head), max(t.line for t in head)
    if any(mark in line for line in texts[first:last + 1] for mark in _CELL_MARKS):
        return None  # cells a page marks (| or a tab) are counted, not placed by position
    spans = column_spans(texts[first:last + 1], _COLUMN_LABELS)
    return spans if len(spans) == len(COLUMNS) else None


def _placed_under_columns(row: str, vals: list[Tok], texts: list[str], spans: list[Span],
                          rd: Reader) -> list[Tok | None] | None:
    """A row printing fewer figures than columns, in a layout-keeping tool's text: each
    figure in the column it stands under (a Word grid's empty cells leave no mark: 一、本年
    新收… 0 under 自然人 and 0 under 总计), when its figures stand on one line and one
    placement alone fits (``nlp.tables.aligned``)."""
    lines = {v.line for v in vals if v.kind == "num"}
    if len(lines) != 1:
        return None
    at = lines.pop()
    cells = place_under(figures_only(texts[at]), spans)
    if cells is None:
        return None
    for c, cell in zip(COLUMNS, cells):
        if cell is None:
            rd.repairs[f"requests.{row}.{c}"] = NOTES["aligned_blank"]
    return [token(cell or "", at, at, k) for k, cell in enumerate(cells)]


def _without_filler(vals: list[Tok]) -> list[Tok]:
    """``vals`` without the blanks a page dump prints together on a line of their own after
    a row's figures, one cell a line (3 |⏎3 |⏎||||||): its empty cells, wherever they
    stood in the row (自然人 and 总计 printed, the five between empty), so not their places.
    ``vals`` itself when its blanks are not such a line.

    >>> from nlp.tables.tokens import Tok
    >>> row = [Tok("3", 1, "num", 3, 1), Tok("3", 2, "num", 3, 2)] + [Tok("", 3, "blank", None, 3, k) for k in range(5)]
    >>> len(_without_filler(row)), len(_without_filler(row[:2] + [Tok("", 2, "blank", None, 2, 1)]))
    (2, 3)
    """
    k = len(vals)
    while k and vals[k - 1].kind == "blank":
        k -= 1
    blanks = vals[k:]
    if (len(blanks) < 2 or not k or len({(b.line, b.row) for b in blanks}) != 1
            or any(v.line == blanks[0].line for v in vals[:k])):
        return vals
    return vals[:k]


def _placed_by_order(got: list[Tok | None], vals: list[Tok], cut: bool) -> bool:
    """Did :func:`fit_row` place fewer numbers than columns by their order alone?  When no
    empty position is printed (rows spaced by blanks, as PDF tools and page dumps give
    them) a missing cell may be any of the row's, not the last."""
    return (not cut and bool(got) and got[-1] is None
            and not any(v.kind == "blank" for v in vals) and any(v.kind == "num" for v in vals))


def _short_without_trace(vals: list[Tok], n: int, cut: bool) -> bool:
    """Fewer numbers than columns, every value a number but blanks after the last (the
    next row's merged label cells): the empty cells left no mark."""
    k = len(vals)
    while k and vals[k - 1].kind == "blank":
        k -= 1
    return not cut and 0 < k < n and all(v.kind == "num" for v in vals[:k])


def _cell_dropped(vals: list[Tok]) -> bool:
    """Did a cell between the row's figures hold something that is no value (290 | 1 | x |
    0: a garbled cell, dropped as noise)?  Its printed positions then skip one, and reading
    the rest in order would move every figure after it — and one before it, from the blank
    of a label column — onto the wrong column."""
    if not vals or any(v.row is None or v.row != vals[0].row for v in vals):
        return False
    cols = [v.col for v in vals]
    nums = [k for k, v in enumerate(vals) if v.kind == "num"]
    return bool(nums) and any(b - a != 1 for a, b in zip(cols[nums[0]:nums[-1]], cols[nums[0] + 1:nums[-1] + 1]))


def _read_short_row(row: str, vals: list[Tok], cols: list[str], rd: Reader, fitted: Fitted,
                    pending: Pending) -> None:
    """A row printing fewer numbers than columns, with no mark of where the blank cells
    are: every placement of its numbers in order (the rest blank) that keeps the row sum
    (a blank counts as nothing) is a candidate, and so is every placement leaving 总计
    blank (no sum to check it by, none to rule it out); one checked candidate alone is
    read, several wait for the column identities (``pending``), none checked leaves the
    row unread — never read by order alone."""
    nums = [v for v in vals if v.kind == "num"]
    n = len(cols)
    found, checked = [], 0
    for slots in combinations(range(n), len(nums)):
        values = [None] * n
        for k, v in zip(slots, nums):
            values[k] = v.value
        if values[-1] is None:  # 总计 blank: nothing checks it, nothing rules it out
            found.append(tuple(values))
        elif _sum_holds(values):
            found.append(tuple(values))
            checked += 1
    if not checked or cols != list(COLUMNS):  # without all seven columns there is no row sum
        found = []
    if len(found) == 1:
        fitted.append((row, run_toks(found[0], vals)))
        for c in cols:
            rd.repairs[f"requests.{row}.{c}"] = run_note(vals, found[0])
    elif found:
        pending[row] = (found, vals)
    else:
        rd.doubt([f"requests.{row}.{c}" for c in cols if c != "extra"],
                 NOTES["count_columns"].format(row=INDICATORS[f"requests.{row}.total"].row, got=len(nums), want=n,
                                               printed=" | ".join(v.text for v in vals)))


def _sum_holds(values: list) -> bool:
    """The placed 总计 is the sum of the applicant cells placed (blanks as none)."""
    placed = [v for v in values[:-1] if v is not None]
    return sums_hold([*placed, values[-1]], len(placed))


def _read_run_row(row: str, vals: list[Tok], cols: list[str], rd: Reader, fitted: Fitted,
                  pending: Pending) -> None:
    """A row whose cells were run together: one split under the row sum is read; several
    wait for the column identities (``pending``); none leaves the row unread."""
    full = cols == list(COLUMNS)
    found = run_splits(vals, len(cols), _row_sum if full else None)
    marked = [v for v in vals if v.kind != "blank" or v.text]
    if len(marked) < len(vals):  # a wide gap read as an empty cell may be a layout's spacing
        found = list(dict.fromkeys([*found, *run_splits(marked, len(cols), _row_sum if full else None)]))
    if len(found) == 1:
        fitted.append((row, run_toks(found[0], vals)))
        for c in cols:
            rd.repairs[f"requests.{row}.{c}"] = run_note(vals, found[0])
    elif found and full:
        pending[row] = (found, vals)
    else:
        rd.doubt([f"requests.{row}.{c}" for c in cols if c != "extra"],
                 NOTES["run_not_unique"].format(printed="".join(v.text for v in vals), n=len(cols)))


def _doubt_unprinted_columns(cols: list[str], template: str, rd: Reader, cut: bool) -> None:
    """A column the table does not print at all: its cells of the rows read (of every
    row, unless the text ends inside the table) are doubtful."""
    if all(c in cols for c in COLUMNS):
        return  # most tables print every column: the rows read need not be gathered
    rows_read = {cid.split(".", 1)[1].rsplit(".", 1)[0] for cid in [*rd.cells, *rd.doubtful]
                 if cid.startswith("requests.")}
    for c in COLUMNS:
        if c not in cols:
            for r in registry().raw["table3"]["rows"]:
                if template in r["templates"] and (r["id"] in rows_read or not cut):
                    rd.doubt([f"requests.{r['id']}.{c}"], NOTES["no_column"].format(column=c))


def _row_sum(cells: list) -> int | float | None:
    """The 总计 cell must print the sum of the six applicant cells before it."""
    if len(cells) == 6 and None not in cells:
        return sum(cells)
    return None


def _t3_columns(head: list[Tok]) -> list[str]:
    """Column order of table 3 from its header tokens: the template order restricted to
    the columns printed, with extra columns (小计) kept in place so they can be skipped."""
    seen = [t.cand for t in head if t.cand is not None and t.cand.kind in ("col", "extra")]
    ids = [c.id for c in seen]
    cols = [c for c in COLUMNS if c in ids]
    if len([c for c in cols if c != "total"]) < 3:
        return list(COLUMNS)  # no usable header: assume the template
    for k, c in enumerate(seen):
        if c.kind != "extra":
            continue
        prev = next((p.id for p in reversed(seen[:k]) if p.kind == "col" and p.id in _ORG + ("natural",)), None)
        if prev is None or prev == "natural":
            pos = cols.index("commercial") if "commercial" in cols else 1
        else:
            pos = cols.index(prev) + 1
        cols.insert(pos, "extra")
    return cols


def _row_ok(vals: dict[str, float | int | None]) -> bool | None:
    """Row identity (总计 = sum of applicant columns) when every cell is present."""
    parts = [vals.get(c) for c in COLUMNS[:-1]]
    if vals.get("total") is None or any(p is None for p in parts):
        return None
    return sums_hold([*parts, vals["total"]], len(parts))


def _place_unlabelled_rows(body: list[Tok], used: set[int], rd: Reader, template: str) -> None:
    """Printed rows of seven numbers whose labels are missing (a PDF tool lost them, or
    wrapped them around the numbers past reading: a piece of the row's own label that no
    label matches whole): between the labelled rows around them, the template leaves as
    many rows unread as there are such rows, and putting the numbers there in order breaks
    no identity of the table — then they are those rows', and the placement is noted;
    otherwise they stay unread."""
    if used.issuperset([id(t) for t in body if t.kind == "num" and t.row is not None]):
        return  # every number printed in a row was read: the usual table (no row of numbers is left)
    order = _row_order(template)
    labelled = {t.cand.id for t in body if t.cand is not None and t.cand.kind == "row"}
    rows: dict[int, list[Tok]] = {}
    for t in body:
        if t.row is not None:
            rows.setdefault(t.row, []).append(t)
    between: dict[tuple[int, int], list[list[Tok]]] = {}
    for row_toks in rows.values():
        if (any(id(t) in used or (t.kind == "text" and t.cand is not None and t.cand.kind == "row")
                or t.kind == "run" for t in row_toks)
                or sum(t.kind == "num" for t in row_toks) != len(COLUMNS)):
            continue  # read already, or labelled (a piece of label no row matches is no label)
        k = body.index(row_toks[0])
        before = next((t.cand.id for t in reversed(body[:k]) if t.cand is not None and t.cand.kind == "row"), None)
        after = next((t.cand.id for t in body[k:] if t.cand is not None and t.cand.kind == "row"), None)
        lo = order.index(before) + 1 if before in order else 0
        hi = order.index(after) if after in order else len(order)
        between.setdefault((lo, hi), []).append(row_toks)
    if not between:
        return  # every printed row of numbers was read or labelled: the usual table
    labels = {r["id"]: label_core(r["label"]) for r in registry().raw["table3"]["rows"]}
    for (lo, hi), printed in between.items():
        free = [r for r in order[lo:hi] if r not in labelled
                and not any(f"requests.{r}.{c}" in rd.cells for c in COLUMNS)]
        if len(free) != len(printed) or not all(
                label_core(t.text) in labels[r] for r, row_toks in zip(free, printed) for t in row_toks if t.kind == "text"):
            continue  # a piece of label on the row must be a piece of the row's own label
        placed = {f"requests.{r}.{c}": tok for r, row_toks in zip(free, printed)
                  for c, tok in zip(COLUMNS, [t for t in row_toks if t.kind == "num"])}
        if not consistent({cid: tok.value for cid, tok in placed.items()}, rd.cells, template):
            continue
        for cid, tok in placed.items():
            rd.put(cid, tok)
            rd.repairs[cid] = NOTES["unlabelled_row"]


def _place_floated_labels(body: list[Tok], runs: dict[int, list[Tok]], rd: Reader, template: str) -> None:
    """A row label a PDF tool printed apart from its figures (pdftotext without -layout
    puts a tall merged cell's label before or after the rows around it: …(七)总计 1 1 0 0 0
    0 2 0 0 0 0 0 0 0, and 四、结转下年度继续办理 elsewhere with no figure of its own): the
    row before it in the template holds twice a row's figures, the second seven are its —
    when both rows are unread, and the identities they take part in hold, at least one of
    each checked."""
    order = _row_order(template)
    labelled = {t.cand.id: k for k, t in enumerate(body) if t.cand is not None and t.cand.kind == "row"}
    n = len(COLUMNS)
    for i, run in runs.items():
        row = body[i].cand.id
        nums = [t for t in run if t.kind == "num"]
        if len(nums) != 2 * n or len(run) != len(nums) or row not in order or row == order[-1]:
            continue
        floated = order[order.index(row) + 1]
        k = labelled.get(floated)
        ids = _cell_ids(row, COLUMNS) + _cell_ids(floated, COLUMNS)
        if k is None or any(t.kind == "num" for t in runs.get(k, ())) or any(cid in rd.cells for cid in ids):
            continue
        placed = dict(zip(ids, nums))
        values = {cid: t.value for cid, t in placed.items()}
        known = {**rd.cells, **values}  # each row is checked against the cells read and the other row
        if not consistent(values, rd.cells, template) or not all(
                checked({cid: v for cid, v in values.items() if cid.startswith(f"requests.{r}.")}, known, template)
                for r in (row, floated)):
            continue
        rd.put_all(placed.items())
        for cid in placed:
            rd.repairs[cid] = NOTES["label_apart"]


@lru_cache(maxsize=4)
def _row_order(template: str) -> tuple[str, ...]:
    """Table 3's rows in the template's order."""
    return tuple(r["id"] for r in registry().raw["table3"]["rows"] if template in r["templates"])


def _place_extra(cols: list[str], fitted: list[tuple[str, list[Tok | None]]]) -> list[str] | None:
    """Where the extra (小计) column sits: the header's guess when the numbers agree with it
    (小计 = sum of the organisation columns, 总计 = all applicants), else the only place
    where they do; None when the numbers rule out the header's guess and no place is unique."""
    base = [c for c in cols if c != "extra"]

    def fits(order: list[str]) -> bool:
        for _, got in fitted:
            v = {c: (t.value if t is not None and t.kind == "num" else None) for c, t in zip(order, got)}
            orgs = [v.get(c) for c in _ORG]
            if v.get("extra") is not None and None not in orgs and not sums_agree([*orgs, v["extra"]], len(orgs)):
                return False
            if _row_ok({c: x for c, x in v.items() if c != "extra"}) is False:
                return False
        return True

    if fits(cols):
        return cols
    options = [base[:p] + ["extra"] + base[p:] for p in range(1, len(base) + 1)]
    good = [o for o in options if fits(o)]

    def values(order: list[str]) -> list:
        return [[(c, t.value if t is not None else None) for c, t in sorted(zip(order, got)) if c != "extra"]
                for _, got in fitted]

    if good and all(values(o) == values(good[0]) for o in good):
        return good[0]  # one place, or several that read every cell the same
    return None


def _repair_split_number(vals: list[Tok], cols: list[str], row: str, rd: Reader) -> list[Tok] | None:
    """One number printed over two cells ("1" | "2"), when only one join makes the row add up."""
    nums = [v for v in vals if v.kind == "num"]
    good = []
    for cand in merge_split(nums, len(cols)):
        named = {c: t.value for c, t in zip(cols, cand) if c != "extra"}
        if _row_ok(named):
            good.append(cand)
    if good and len({tuple(t.value for t in g) for g in good}) == 1:
        g = good[0]
        for c, t in zip(cols, g):
            if "|" in t.text and c != "extra":
                rd.repairs[f"requests.{row}.{c}"] = NOTES["split_number_row"].format(printed=t.text, value=t.value)
        return g
    return None
