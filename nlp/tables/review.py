"""Table 4 (四、政府信息公开行政复议、行政诉讼情况): administrative review and litigation.

Fifteen cells: three groups (review, litigation direct, litigation after review) of five
outcomes (upheld, corrected, other, pending, total), printed as one data row under a
two-level header, or transposed as one row (or one small table) per group.
"""

from __future__ import annotations

from functools import lru_cache

from nlp import lexicon
from nlp.identities import sums_agree
from nlp.indicators import INDICATORS
from nlp.tables.aligned import column_spans, place_under
from nlp.tables.cells import label_core
from nlp.tables.grid import match_labels
from nlp.tables.rows import NOTES, Reader, merge_split, values_after
from nlp.tables.runrows import has_run, put_run_row
from nlp.tables.tokens import Cand, Tok, token

__all__ = ["IDS", "read"]

_LABELS = lexicon.load("tables")["labels"]
_GROUPS = ("review", "litigation.direct", "litigation.after_review")
_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
IDS = [f"{g}.{o}" for g in _GROUPS for o in _OUTCOMES]
_HEADER = tuple(Cand(label_core(x), "col", x) for x in _LABELS["review_header"])


def _group_ok(values: list[float | int | None]) -> bool:
    """Each group's 总计 is the sum of its four outcomes (where all five are read)."""
    for g in range(3):
        part = values[g * 5:g * 5 + 4]
        tot = values[g * 5 + 4]
        if tot is None or any(p is None for p in part):
            continue
        if not sums_agree([*part, tot], len(part)):
            return False
    return True


_GROUP_LABELS = dict(_LABELS["review_groups"])
_OUTCOME_LABELS = frozenset(ind.column for ind in INDICATORS.values() if ind.table == 4)  # 结果维持 … 总计
_OUTCOME_OF = {ind.column: ind.column_id for ind in INDICATORS.values() if ind.table == 4}  # 结果维持 → upheld
_REVIEW_GROUP = _LABELS["review_review_group"]


def _group_of(t: Tok) -> str | None:
    """The table-4 group a label names: 行政复议, or the litigation group it contains
    (行政诉讼（未经复议直接起诉）, as a heading over that group's own small table)."""
    if t.kind != "text":
        return None
    if t.cand is not None and t.cand.id in _GROUP_LABELS:
        return _GROUP_LABELS[t.cand.id]
    return _litigation_group_in(label_core(t.text))


@lru_cache(maxsize=4096)  # table 4's header words repeat across reports
def _litigation_group_in(core: str) -> str | None:
    """The litigation group whose label the label core contains."""
    return next((g for label, g in _GROUP_LABELS.items() if label != _REVIEW_GROUP and label in core), None)


def _read_by_group(toks: list[Tok], rd: Reader) -> bool:
    """The transposed layout: one row per group (行政复议 | 5 numbers, 未经复议直接起诉 | …),
    or one small table per group (行政复议, then 结果维持 … 总计, then its 5 numbers, a stub
    such as 项目 / 数量 before them or not)."""
    labels = [k for k, t in enumerate(toks) if t.kind == "text" and _group_of(t) is not None]
    rows: dict[str, list[Tok]] = {}
    for n, i in enumerate(labels):  # only a label names a group
        upto = labels[n + 1] if n + 1 < len(labels) else len(toks)
        got = _group_values(toks, i, upto)
        if got is not None:
            rows.setdefault(_group_of(toks[i]), got)
    if len(rows) != 3:
        return False
    # every outcome's label read somewhere: the header placed the figures, else the template's
    # order did — then only when no group's total says the order is wrong
    headed = len({t.cand.id for t in toks if t.cand is not None and t.cand.id in _OUTCOME_LABELS}) == len(_OUTCOMES)
    if not headed and not _group_ok([t.value for g in _GROUPS for t in rows[g]]):
        return False
    for group, got in rows.items():
        for outcome, tok in zip(_OUTCOMES, got):
            rd.put(cid := f"{group}.{outcome}", tok)
            if not headed:  # no outcome's label read: placed in the template's column order
                rd.repairs[cid] = NOTES["header_unreadable"]
    return True


def _group_values(toks: list[Tok], i: int, upto: int) -> list[Tok] | None:
    """The five cells of the group labelled at ``toks[i]``, before the next group's label at
    ``upto``: the one line of five figures there; else the figures after its header row;
    else, no figure at all before the next group, five empty cells on its label's row (the
    group printed blank — not the empty cells of a title row with figures below it)."""
    lines = _figures_by_line(toks[i + 1:upto])
    full = [ts for ts in lines.values() if len(ts) == 5]
    if len(full) == 1:
        return full[0]
    label_line, first = toks[i].line, i + 1
    while i + 1 < upto and toks[i + 1].kind == "blank" and toks[i + 1].line == label_line:
        i += 1  # the empty cells of the group's heading row (a merged cell read as a row)
    skipped = toks[first:i + 1]
    while i + 1 < upto and toks[i + 1].cand is not None and toks[i + 1].cand.id in _OUTCOME_LABELS:
        i += 1  # the group's own header row: 结果维持 | 结果纠正 | … | 总计
    vals = values_after(toks, i, 5)
    nums = [v for v in vals if v.kind == "num"]
    if len(nums) == 5:
        return nums
    if len(vals) == 5:
        return vals
    if len(skipped) == 5 and not lines:
        return skipped  # no figures before the next group: its row, printed blank
    return None


_LONG_ROWS = 5  # rows of one cell each, at least, to read a table in the long layout


def _read_long(toks: list[Tok], rd: Reader) -> bool:
    """The long layout, one printed row a cell (| 行政复议 | - | 结果维持 | 27 |, | 行政诉讼 |
    复议后起诉 | 总计 | 10 |), as a converter that unpivots a merged header writes it: each row
    naming its group and its outcome and holding one figure is that cell."""
    rows: dict[int, list[Tok]] = {}
    for t in toks:
        if t.row is not None:
            rows.setdefault(t.row, []).append(t)
    cells: dict[str, Tok] = {}
    for row in rows.values():
        nums = [t for t in row if t.kind == "num"]
        values = nums or [t for t in row[-1:] if t.kind == "blank"]  # its figure, or its last cell left blank
        outcomes = [t.cand.id for t in row if t.cand is not None and t.cand.id in _OUTCOME_LABELS]
        groups = [g for g in map(_group_of, row) if g is not None]
        if len(values) != 1 or len(outcomes) != 1 or not groups:
            continue
        group = next((g for g in groups if g != "review"), groups[0])  # 行政诉讼 | 复议后起诉: the narrower
        cid = f"{group}.{_OUTCOME_OF[outcomes[0]]}"
        if cid in cells:
            return False  # one cell twice: no long table
        cells[cid] = values[0]
    groups = {cid.rsplit(".", 1)[0] for cid in cells}
    if len(cells) < _LONG_ROWS or len(cells) != 5 * len(groups) or _wide_row(toks):
        return False  # a few rows of a list, not a table: each group it names whole, no wide row beside
    rd.put_all(cells.items())
    return True


def _wide_row(toks: list[Tok]) -> bool:
    """Does a line of the region hold five figures or more (a table's wide data row)?"""
    return any(len(ts) >= 5 for ts in _figures_by_line(toks).values())


def _figures_by_line(toks: list[Tok]) -> dict[int, list[Tok]]:
    """The figures of ``toks``, by the line each stands on."""
    lines: dict[int, list[Tok]] = {}
    for t in toks:
        if t.kind == "num":
            lines.setdefault(t.line, []).append(t)
    return lines


def _value_lines(toks: list[Tok], width: int, kinds: tuple[str, ...]) -> list[list[Tok]]:
    """The lines of exactly ``width`` tokens, each of one of ``kinds`` and at least one a
    number, in order."""
    by_line: dict[int, list[Tok]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    return [ts for ts in by_line.values()
            if len(ts) == width and all(t.kind in kinds for t in ts) and any(t.kind == "num" for t in ts)]


def _lone_row(toks: list[Tok]) -> list[Tok] | None:
    """Under a header too garbled to read, table 4's data: the one printed row (a line of
    its own) of exactly 15 cells, numbers or blanks, in the template's column order."""
    rows = _value_lines(toks, 15, ("num", "blank"))
    return rows[0] if len(rows) == 1 else None


def read(toks: list[Tok], rd: Reader, cut: bool = False, texts: list[str] | None = None) -> None:
    """Read table 4's tokens onto its 15 ids (``cut``: the text ends inside it; ``texts``:
    the document's lines, where a layout-keeping tool's columns can be seen)."""
    toks = match_labels(toks, _HEADER)
    labels = _header_labels(toks)
    if not labels:
        if not _read_aligned(toks, rd, texts):
            _read_unlabelled(toks, rd)  # else no table 4 here: its cells are not stated, not blank
        return
    if _read_by_group(toks, rd) or _read_long(toks, rd):
        return
    vals = []  # the data row: value tokens after the last header label, up to the next text
    for t in toks[labels[-1] + 1:]:
        if t.kind == "text":
            break
        vals.append(t)
    head_line = toks[labels[-1]].line
    if any(t.kind != "blank" and t.line != head_line for t in vals):
        # the numbers on lines of their own: the header row's empty cells (an extra 合计
        # column's) are not the data's
        vals = [t for t in vals if t.kind != "blank" or t.line != head_line]
    if has_run(vals):
        put_run_row(rd, IDS, [v for v in vals if v.kind != "blank" or v.text], _group_sum)
        return
    while len(vals) > 15 and vals[-1].kind == "blank":
        vals = vals[:-1]
    while len(vals) > 15 and vals[0].kind == "blank":
        vals = vals[1:]
    got = _data_cells(toks, vals, rd, cut)
    if got is None and _read_aligned(toks, rd, texts):
        return
    if got is None and (got := _numbers_in_order(toks)) is not None:
        for cid in IDS:
            rd.repairs[cid] = NOTES["header_unreadable"]
    if got is None and not vals:
        return  # the words of its header in prose (五、行政复议和行政诉讼情况, then a sentence): no table
    if got is None:
        nums = [t for t in vals if t.kind == "num"]
        rd.doubt(IDS, NOTES["review_count"].format(got=len(nums), printed=" | ".join(v.text or "∅" for v in vals)))
        return
    rd.put_all(zip(IDS, got))


def _read_aligned(toks: list[Tok], rd: Reader, texts: list[str] | None) -> bool:
    """Table 4's one data row placed by the column each value stands under, in a
    layout-keeping tool's text of a header stacked a character a line, where the row's
    blank cells left no mark (``nlp.tables.aligned``).  False when it cannot be."""
    rows = sorted({t.line for t in toks if t.kind == "num"})
    if texts is None or len(rows) != 1 or any(t.kind == "text" for t in toks if t.line == rows[0]):
        return False
    data = rows[0]
    first = min(t.line for t in toks)
    columns = column_spans(texts[first:data], _OUTCOME_LABELS)
    cells = place_under(texts[data], columns) if len(columns) == len(IDS) else None
    if cells is None:
        return False
    placed = [token(cell or "", data, data, k) for k, cell in enumerate(cells)]
    for cid, cell in zip(IDS, cells):
        if cell is None:
            rd.repairs[cid] = NOTES["aligned_blank"]
    rd.put_all(zip(IDS, placed))
    return True


def _read_unlabelled(toks: list[Tok], rd: Reader) -> None:
    """Table 4 with its whole header lost (a PDF tool kept only the data row under the
    section's heading): its one line of 15 cells, or its one run of 15 numbers, read in
    the template's column order only when no group's total contradicts the order (an
    all-zero row proves nothing, but cannot be misplaced either)."""
    row = _lone_row(toks) or _value_run(toks)
    if row is None or not _group_ok([t.value for t in row]):
        return
    for cid in IDS:
        rd.repairs[cid] = NOTES["header_unreadable"]
    rd.put_all(zip(IDS, row))


def _value_run(toks: list[Tok]) -> list[Tok] | None:
    """The one run of exactly 15 numbers with no text between them (one per line, or
    spread over a few lines), when the region holds no other run of numbers."""
    runs, run = [], []
    for t in [*toks, None]:
        if t is not None and t.kind == "num":
            run.append(t)
        elif t is None or t.kind == "text":
            if run:
                runs.append(run)
            run = []
    return runs[0] if len(runs) == 1 and len(runs[0]) == 15 else None


def _header_labels(toks: list[Tok]) -> list[int]:
    """Positions of the header's labels; or of a header run together into one text
    (行政复议行政诉讼结果维持…) right before digits."""
    labels = [i for i, t in enumerate(toks) if t.cand is not None]
    if not labels:
        labels = [i for i, t in enumerate(toks[:-1]) if t.kind == "text" and toks[i + 1].kind == "run"
                  and all(c.core in label_core(t.text) for c in _HEADER[:2])]
    return labels


def _data_cells(toks: list[Tok], vals: list[Tok], rd: Reader, cut: bool) -> list[Tok | None] | None:
    """The 15 cells of the data row: its 15 numbers or 15 values; a row the text stops in;
    16 numbers of which two are one number split (proved by the group totals); or the one
    line of 15 values under a header too garbled to read.  None when none of these holds."""
    nums = [t for t in vals if t.kind == "num"]
    got = nums if len(nums) == 15 else vals if len(vals) == 15 else None
    if got is None and cut and 0 < len(vals) < 15 and vals[-1] is toks[-1] and all(t.row is None for t in vals):
        got = vals + [None] * (15 - len(vals))  # the document stops inside the data row
    if got is None and len(nums) == 16:
        good = [c for c in merge_split(nums, 15) if _group_ok([t.value for t in c])]
        if good and len({tuple(t.value for t in g) for g in good}) == 1:
            got = good[0]
            for cid, t in zip(IDS, got):
                if "|" in t.text:
                    rd.repairs[cid] = NOTES["split_number_total"].format(printed=t.text, value=t.value)
    if got is None and (got := _lone_row(toks) or _group_rows(toks)) is not None:
        for cid in IDS:
            rd.repairs[cid] = NOTES["header_unreadable"]
    return got


def _numbers_in_order(toks: list[Tok]) -> list[Tok] | None:
    """A PDF tool's text that prints the header's words between the data row's figures
    (行政复议 总计 0 1 0 0 1 结果维持 0 未经复议直接起诉 … 0 0 0 行政诉讼 总计 0 …, the
    labels stacked a character a line): the region's figures, exactly 15 and nothing blank
    or run together among them, in the template's order when every group's total is the
    sum of its four outcomes (an all-zero row proves nothing, but cannot be misplaced)."""
    if any(t.kind in ("blank", "run") for t in toks) or not _row_major(toks):
        return None
    nums = [t for t in toks if t.kind == "num"]
    return nums if len(nums) == 15 and _group_ok([t.value for t in nums]) else None


def _row_major(toks: list[Tok]) -> bool:
    """Are the figures not a table printed with its outcomes as rows (结果维持 0 0 0 / … /
    总计 0 0 1: an outcome's label before each group of three figures)?  Such a table holds
    15 figures too, whose group totals may add up read the wrong way (0+1+0+0 = 1)."""
    per_outcome = 0
    for k, t in enumerate(toks):
        if t.cand is not None and t.cand.id in _OUTCOME_LABELS:
            run = 0
            while k + 1 + run < len(toks) and toks[k + 1 + run].kind == "num":
                run += 1
            per_outcome += run == len(_GROUPS)
    return per_outcome < len(_OUTCOMES) - 1


def _group_rows(toks: list[Tok]) -> list[Tok] | None:
    """Under group headings too garbled to read, one small table per group: exactly three
    lines of five numbers, each line's last the sum of its first four, in the template's
    group order (复议, 直接起诉, 复议后起诉)."""
    rows = _value_lines(toks, 5, ("num",))
    if len(rows) != 3 or not _group_ok([t.value for row in rows for t in row]):
        return None
    return [t for row in rows for t in row]


def _group_sum(cells: list) -> int | float | None:
    """A group's total cell must print the sum of the four outcomes before it."""
    k = len(cells)
    if k % 5 == 4 and None not in cells[k - 4:]:
        return sum(cells[k - 4:])
    return None
