"""Reading one row: its value tokens, the cells they fill, and the reader's record.

A row label is followed by its value tokens (``values_after``); ``fit_row`` chooses the
row's cells among them, or gives up — never guesses.  ``Reader`` collects the cells read,
the ids left doubtful (with why) and the repairs made.  The notes are
``nlp/data/lexicon/tables.yaml``'s.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from nlp import lexicon
from nlp.indicators import INDICATORS
from nlp.tables.cells import fold
from nlp.tables.tokens import Tok
from nlp.types import Cell

__all__ = ["NOTES", "Reader", "value_runs", "values_after", "fit_row", "alone", "one_printed_row", "merge_split",
           "learn_leads", "lead_for", "float_labels"]

# Why a cell stays unread, how it was repaired (str.format templates).
NOTES = lexicon.load("tables")["notes"]
_YUAN, _WAN_YUAN, _YI_YUAN = lexicon.words("units", "money")  # 元, 万元, 亿元
_YUAN_PER_WAN = 10_000


def _in_column_unit(cid: str, tok: Tok) -> float | int | None:
    """A cell's value in its column's unit: 152790元 under 采购总金额（单位：万元） is 15.279.

    >>> _in_column_unit("active.procurement.amount", Tok("152790元", 0, "num", 152790))
    15.279
    >>> _in_column_unit("active.procurement.amount", Tok("15.279万元", 0, "num", 15.279))
    15.279
    """
    if tok.text.endswith((_WAN_YUAN, _YI_YUAN)) or cid not in INDICATORS or _WAN_YUAN not in INDICATORS[cid].column:
        return tok.value
    return round(tok.value / _YUAN_PER_WAN, 6)


def value_run(toks: list[Tok], i: int) -> list[Tok]:
    """The value tokens (numbers, blanks) right after ``toks[i]``, up to the next text token."""
    run = []
    for j in range(i + 1, len(toks)):  # not toks[i + 1:] nor islice: each walks the rest per label (quadratic)
        t = toks[j]
        if t.kind == "text":
            break
        run.append(t)
    return run


def value_runs(toks: list[Tok], labels: Iterable[int]) -> dict[int, list[Tok]]:
    """:func:`value_run` of each label position in ``labels``: found once by a table's
    reader and handed to :func:`values_after`, :func:`learn_leads` and
    :func:`learn_trail`, which each looked for it again."""
    return {i: value_run(toks, i) for i in labels}


def values_after(toks: list[Tok], i: int, n: int | None = None, run: list[Tok] | None = None) -> list[Tok]:
    """Value tokens (numbers, blanks) after the label at ``i``: on its own grid row when
    that row holds numbers, else up to the next text token.  A row broken over two lines
    (page break) is joined when the numbers up to the next label are exactly ``n``.
    ``run``: the label's :func:`value_run`, when the caller has it (not modified)."""
    lab = toks[i]
    if run is None:
        run = value_run(toks, i)
    row = lab.row
    if row is not None:
        same = [t for t in run if t.row == row]
        nums = [t.kind for t in same].count("num")  # counted in C: this runs per row label, several times
        if nums and n is not None and nums < n and [t.kind for t in run].count("num") == n:
            return [t for t in run if t.kind == "num"]
        if nums:
            return same
    if n is not None and run and all(t.row is not None for t in run) and len({t.row for t in run}) > 1 \
            and not _one_value_a_line(run):  # (2 | / 0 | / 0 |: one row's cells, one a line — too many)
        first = [t for t in run if t.row == run[0].row]  # a label alone, then rows of values:
        if sum(t.kind == "num" for t in first) == n < sum(t.kind == "num" for t in run):
            return first  # its own row; a row after it whose label is missing is not its
    return run


def fit_row(vals: list[Tok], n: int, lead: int | None, stream: bool,
         cut: bool = False, trail: int | None = None) -> list[Tok | None] | None:
    """Choose the ``n`` cells of a row from its value tokens, or None when unsure.

    Blank tokens may be real blank cells or layout filler (merged cells, trailing tabs);
    they are kept only where the layout leaves no doubt (``trail``: the blanks a clean
    row of a one-cell-per-line table leaves after its cells, :func:`learn_trail`)."""
    if cut:  # a blank at the very end of a truncated document is a cell cut off, not blank
        while vals and vals[-1].kind == "blank":
            vals = vals[:-1]
        if not vals:
            return []
    nums = [t for t in vals if t.kind == "num"]
    if len(nums) == n:
        return nums
    if len(nums) > n:
        return None
    if not nums and len(vals) >= n and all(t.kind == "blank" for t in vals):
        return vals[:n]  # nothing printed in the row (行政许可 | then | ||): blank whichever blank is its cell
    marked = [t for t in vals if t.kind == "num" or (t.kind == "blank" and t.text)]
    if len(marked) == n:  # a printed blank mark (/, —) is a cell; empty positions may be filler
        return marked
    if lead is not None:  # this table's clean rows say where the first cell sits
        window = vals[lead:lead + n]
        if window and all(any(t is w for w in window) for t in nums):
            return window + [None] * (n - len(window))
        return None
    if len(vals) == n:
        return vals
    if cut and 0 < len(vals) < n:
        # the document stops inside this row (a stream of cells, or a printed row whose
        # positions its separators keep): the cells before the cut, the rest never printed
        return vals + [None] * (n - len(vals))
    if len(vals) > n and (stream or vals[0].kind == "num" or _printed_row(vals)):
        window = vals[:n]  # blanks after it are the next row's merged label cells
        # a window ending blank is sure only when as many blanks follow it as follow a clean
        # row (else the empty cell's line may be gone and that blank a filler)
        if (all(t in window for t in nums) and all(t.kind == "blank" for t in vals[n:])
                and (window[-1].kind != "blank" or len(vals) - n == trail)):
            return window
    return None


def _printed_row(vals: list[Tok]) -> bool:
    """Are the values one printed row's cells (:func:`one_printed_row`) holding a figure,
    before the blanks a dump ran on from the next row (| 2.其他… | | … | 1 | | | 3.危及: the
    sub-row's merged parent cells)?"""
    return one_printed_row(vals) and any(t.kind == "num" for t in vals)


def one_printed_row(vals: list[Tok]) -> bool:
    """Are the values the cells of one printed row (a pipe or tab row: positions kept)?"""
    return bool(vals) and vals[0].row is not None and all(t.row == vals[0].row for t in vals)


def alone(label: Tok, vals: list[Tok]) -> bool:
    """The label stands alone — on its own line or in a row of its own — and its values
    follow it as a stream (one cell per line, pipes or not)."""
    return label.row is None or not any(v.row == label.row for v in vals)


def merge_split(nums: list[Tok], n: int) -> list[list[Tok]]:
    """Candidate rows of ``n`` cells when one number was split into two cells ("1" | "2")."""
    out = []
    if len(nums) != n + 1:
        return out
    for k in range(len(nums) - 1):
        a, b = nums[k], nums[k + 1]
        if not (isinstance(a.value, int) and isinstance(b.value, int) and a.value > 0 and b.value >= 0):
            continue  # a split number never starts with 0
        digits = re.sub(r"\D", "", fold(a.text)) + re.sub(r"\D", "", fold(b.text))
        m = Tok(f"{a.text}|{b.text}", a.line, "num", int(digits), a.row, a.col)
        out.append(nums[:k] + [m] + nums[k + 2:])
    return out


class Reader:
    """Collects cells, doubtful ids and repairs while tables are read."""

    def __init__(self) -> None:
        self.cells: dict[str, Cell] = {}
        self.doubtful: dict[str, str] = {}
        self.repairs: dict[str, str] = {}
        self.conflicts: set[str] = set()
        self.blank_rows: set[str] = set()  # ids read so far only from rows of blanks
        self.floated: list[str] = []  # rows whose label sat below its values (placed by order)
        self.printed_as: set[str] = set()  # rows (id prefixes) printed in the other template's columns
        self.narrative: Callable[[], list[str]] = list  # sentences outside the tables, on demand

    def put(self, cid: str, tok: Tok | None) -> None:
        self.put_all(((cid, tok),))

    def put_all(self, pairs: Iterable[tuple[str, Tok | None]]) -> None:
        """Each ``(id, token)``'s cell read from the token (a None token puts nothing): a
        row's cells in one call, not a call per cell.

        A row whose every cell is blank beside a row of the same label with figures is the
        label printed over its row (a group heading a merged cell left empty, a converter's
        heading line), not a second reading: the figures are kept, whichever came first."""
        pairs = [(cid, tok) for cid, tok in pairs if tok is not None]
        cells, conflicts, doubtful, headings = self.cells, self.conflicts, self.doubtful, self.blank_rows
        blank_row = len(pairs) > 1 and all(tok.kind != "num" for _cid, tok in pairs)
        for cid, tok in pairs:
            if cid in conflicts:
                continue
            value = (_in_column_unit(cid, tok) if tok.text.endswith(_YUAN) else tok.value) if tok.kind == "num" else None
            old = cells.get(cid)
            if old is not None and old.value != value and (blank_row or cid in headings):
                if blank_row:
                    continue  # the heading copy after its row
                old = None  # the row after its heading copy
            if old is None:
                cells[cid] = Cell(value, tok.text, tok.line)
                doubtful.pop(cid, None)
                if blank_row:
                    headings.add(cid)
                else:
                    headings.discard(cid)
            elif old.value != value:  # two rows read as the same row: trust neither
                conflicts.add(cid)
                del cells[cid]
                doubtful[cid] = NOTES["conflict"].format(old=old.raw or "∅", old_line=old.line,
                                                         new=tok.text or "∅", new_line=tok.line)

    def doubt(self, ids: list[str], why: str) -> None:
        for cid in ids:
            if cid not in self.cells:
                self.doubtful.setdefault(cid, why)


def learn_leads(toks: list[Tok], rows_n: dict[int, int], runs: dict[int, list[Tok]]) -> dict[int, int]:
    """For grid rows that read cleanly: blanks between the label cell and the first number,
    by the label's column (how this table's merged cells shift the numbers).  ``rows_n``:
    each row label's position → its cell count, in token order; ``runs``: their
    :func:`value_runs`."""
    leads: dict[int, Counter] = {}
    for i, n in rows_n.items():  # the row labels, in order (the readers list them so), not every token
        t = toks[i]
        if t.row is None:
            continue
        vals = values_after(toks, i, run=runs[i])
        nums = [v for v in vals if v.kind == "num"]
        if len(nums) == n and nums and vals[0].row == t.row:
            counts = leads.get(t.col)
            if counts is None:  # not setdefault: that builds a Counter for every row
                counts = leads[t.col] = Counter()
            counts[vals.index(nums[0])] += 1
    return {c: cnt.most_common(1)[0][0] for c, cnt in leads.items()}


def learn_trail(toks: list[Tok], rows_n: dict[int, int], runs: dict[int, list[Tok]]) -> int | None:
    """For a table of one cell per line: how many blanks follow a clean row's cells
    before the next label (that row's merged label cells), the count most rows show
    (``rows_n``, ``runs``: as :func:`learn_leads` takes them)."""
    per_line = Counter(t.row for t in toks if t.row is not None)
    if not any(t.row is None or per_line[t.row] == 1 for t in toks if t.kind != "text"):
        return None  # no value stands on a line of its own (0, or 0 | as some pages print it): no stream rows
    counts: Counter = Counter()
    for i, n in rows_n.items():
        vals = values_after(toks, i, run=runs[i])
        if (vals and alone(toks[i], vals) and all(v.row is None or per_line[v.row] == 1 for v in vals) and len(vals) >= n
                and all(v.kind == "num" for v in vals[:n]) and all(v.kind == "blank" for v in vals[n:])):
            counts[len(vals) - n] += 1
    return counts.most_common(1)[0][0] if counts else None


def lead_for(toks: list[Tok], i: int, leads: dict[int, int]) -> int | None:
    t = toks[i]
    if t.row is None:
        return None
    if t.col in leads:
        return leads[t.col]
    if leads and len(set(leads.values())) == 1:
        return next(iter(leads.values()))
    return None


# ---------------------------------------------------------------- labels floated off their values
def _row_labels(toks: list[Tok]) -> list[int]:
    """Positions of the row labels among ``toks``."""
    return [k for k, t in enumerate(toks) if t.cand is not None and t.cand.kind == "row"]


def labels_all_below(toks: list[Tok], labels: list[int] | None = None) -> bool:
    """Does every row label sit on a line of its own *below* its values — a line of values
    before the first label, none after the last?  Then each label's values are the line
    above it, not the next row's (which would shift the whole table by a row).
    ``labels``: the row labels' positions, when the caller has them."""
    if labels is None:
        labels = _row_labels(toks)
    if len(labels) < 2:
        return False
    before = toks[:labels[0]]
    if not before or before[-1].kind not in ("num", "run", "blank"):
        return False  # the cheap test first: most tables open with a label, not values
    last = next((t for t in reversed(before) if t.kind != "blank"), None)
    if last is None or last.kind not in ("num", "run"):
        return False  # a header's closing | (处理决定数量 | |) leaves a blank, no values
    number_lines = {t.line for t in toks if t.kind in ("num", "run")}
    if any(toks[k].line in number_lines for k in labels):
        return False
    return not any(t.kind in ("num", "run") for t in toks[labels[-1] + 1:])


def _one_value_a_line(values: list[Tok]) -> bool:
    """Values printed one a line on two lines or more, each closed by its | (0 | / 0 | / 0 | |):
    a table of one cell per line, whatever its pipes make of each line."""
    per_line = Counter(v.line for v in values if v.kind != "blank")
    return len(per_line) >= 2 and max(per_line.values()) == 1


def float_labels(toks: list[Tok], rd: Reader, n_of, prefix: str) -> list[Tok]:
    """Row labels a PDF tool printed on a line of their own *below* their values: a row
    label followed by no values (or any row label, when every one sits below its values:
    :func:`labels_all_below`), after a line of values that the label before them does
    not need (it has its own line of values first, or it is no row label), takes that line
    — the row is placed by the template's order, and the placement is noted in
    ``rd.repairs``.  Only physical rows (pipe, tab or spaced rows) move, never the cells
    of a one-cell-per-line table."""
    toks = list(toks)
    labels = _row_labels(toks)
    below = labels_all_below(toks, labels)
    # lines holding values (a label row's empty filler cells too, unless every label is below)
    value_lines = {t.line for t in toks if t.kind in ("num", "run") or (t.kind == "blank" and not below)}
    if all(toks[k].line in value_lines for k in labels):
        return toks  # every row label shares a line with values (tab and pipe rows): none moves
    i = 0
    while i < len(toks):
        t = toks[i]
        after = toks[i + 1] if i + 1 < len(toks) else None
        if (t.cand is None or t.cand.kind != "row" or t.line in value_lines
                or (after is not None and after.kind != "text" and not below)):
            i += 1
            continue
        head = i  # a parent label printed on the label's line (三、本年度办理结果 (一) 予以公开) goes with it
        while head > 0 and toks[head - 1].line == t.line:
            head -= 1
        j = head
        while j > 0 and toks[j - 1].kind != "text":
            j -= 1
        before = toks[j:head]
        lines = sorted({v.line for v in before})
        one_a_line = any(v.row is None for v in before) or _one_value_a_line(before)
        if not before or (one_a_line and not below):
            i += 1  # one cell per line (bare, or each closed by its |): never moved
            continue
        prev = toks[j - 1] if j > 0 else None
        prev_is_row = prev is not None and prev.cand is not None and prev.cand.kind == "row"
        if prev_is_row and len(lines) < 2:
            i += 1
            continue
        take = [v for v in before if v.line == lines[-1]] if prev_is_row else before
        nums = sum(v.kind == "num" for v in take)
        if not any(v.kind in ("num", "run") for v in take) or nums > n_of(t.cand.id) \
                or (one_a_line and nums != n_of(t.cand.id)):
            i += 1  # (values one a line move only as a whole row: six of seven are other rows' column)
            continue
        start = head - len(take)
        toks[start:i + 1] = [*toks[head:i + 1], *take]
        rd.floated.append(f"{prefix}.{t.cand.id}.")
        i += 1
    return toks
