"""A table region as a stream of tokens: labels, numbers, blank cells, digit runs.

Every text layout (tab rows, one cell per line, pipe rows with or without outer pipes,
space-separated pdf text, cells run together after their label) and native grids from
docx/html/pdf become the same stream; each token keeps its line and the physical row it
sat in, which the row readers (``rows``) use to tell a row's cells from the next row's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp import lexicon
from nlp.indicators import registry
from nlp.tables.cells import NUMBERING, figure_text, fold, label_core, parse_value
from nlp.tables.runon import RUN_VALUE
from nlp.types import Document, Table

__all__ = ["Cand", "Tok", "token", "region_tokens", "template_label_cores"]

_WORDS = lexicon.load("tables")
_CELLS = _WORDS["cells"]

@dataclass(frozen=True)
class Cand:
    """A label a token may be: its core, what it names (row, col, parent, extra, ignore,
    or a template tag) and the id it names."""

    core: str
    kind: str  # row | col | parent | extra | ignore
    id: str


@dataclass(slots=True)
class Tok:
    """One cell as read: its text, kind, value, line, and the physical row it sat in."""

    text: str
    line: int
    kind: str  # num | blank | text | run (digits of several cells printed together)
    value: float | int | None = None
    row: int | None = None  # id of the grid/tab row when the cell shared a line/row with others
    col: int = 0  # position in that row
    cand: Cand | None = None
    src: int = -1  # index in the unmatched stream (labels merged over two tokens keep the first)


# A cell as read: its stripped text, kind and value (what :func:`token` makes a Tok of).
CellRead = tuple[str, str, float | int | None]


def token(text: str, line: int, row: int | None, col: int) -> Tok:
    stripped, kind, value = _cell_read(text)
    return Tok(stripped, line, kind, value, row, col)


def _cell_read(text: str) -> CellRead:
    """A cell as a token holds it: its stripped text, kind and value.  Digits with a
    leading zero (``000``, ``01``) are no count but cells run together, as a PDF tool
    prints narrow columns (``0 0 0 0 000``): a ``run``, which the row's arithmetic splits.

    >>> _cell_read(" 000 "), _cell_read("0"), _cell_read("10")
    (('000', 'run', None), ('0', 'num', 0), ('10', 'num', 10))
    >>> _cell_read("0¹"), _cell_read("O12")  # a footnote's mark: no second digit; OCR's O for 0
    (('0¹', 'num', 0), ('O12', 'run', None))
    """
    kind, value = parse_value(text)
    if kind == "num" and _ZERO_LED.fullmatch(figure_text(text)):  # the text parse_value read (0¹ is 0, O12 is 012)
        return text.strip(), "run", None
    return text.strip(), kind, value


_ZERO_LED = re.compile(r"0[0-9]+")


_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}")
_PAGE_NOISE = re.compile(_WORDS["page_noise"])


_SHORT_CELL = 12  # a value cell, or a column label, is at most this long


def _is_pipe_row(line: str) -> bool:
    """``| a | b |`` or ``a | b`` (no outer pipes); never a sentence that quotes a pipe."""
    s = line.strip()
    if "|" not in s or "\t" in line:
        return False
    if s.startswith("|") and s.count("|") >= 2:
        return True
    cells = s.split("|")
    if any(_CELLS["full_stop"] in c for c in cells):
        return False
    # a row label may carry a long note (其他对外管理服务事项（指行政许可以外的…）| 117 | 0 |
    # 165): a long first cell with short cells after it is a row, not prose
    label_with_note = len(cells) >= 3 and all(len(c.strip()) <= _SHORT_CELL for c in cells[1:])
    return label_with_note or all(len(c.strip()) <= 60 for c in cells)


def _space_row(s: str) -> list[str] | None:
    """Cells of a pdf-text row whose cells are separated by spaces: a short label and
    the numbers after it (``规章 0 0 0``), or numbers only; None for anything else.

    >>> _space_row("行政规范性文件 3 1 2"), _space_row("0 0 / 0")
    (['行政规范性文件', '3', '1', '2'], ['0', '0', '/', '0'])
    >>> _space_row("(一) 予以公开 1 0"), _space_row("共收到申请 12 件"), _space_row("规章")
    (['(一) 予以公开', '1', '0'], None, None)
    >>> _space_row("结果维持 结果纠正 总计"), _space_row("结果 维持  结果 纠正  总计")
    (['结果维持', '结果纠正', '总计'], ['结果 维持', '结果 纠正', '总计'])
    >>> _space_row("自然人 法人或其他组织    总计")  # one wide gap: an empty header cell
    ['自然人', '法人或其他组织', '总计']
    >>> _space_row("(三) 不予公开 1. 属于国家秘密 0 0")
    ['(三) 不予公开', '1. 属于国家秘密', '0', '0']
    >>> _space_row("规章  0  0  0  行政")  # the next row's label run on: split off by the reader
    ['规章', '0', '0', '0', '行政']
    >>> _space_row("政府集中采购      31 批次       709455.9 元")  # a space where the font changes
    ['政府集中采购', '31批次', '709455.9元']
    >>> _space_row("行政许可        117 件"), _space_row("共收到申请 12 件")
    (['行政许可', '117件'], None)
    """
    glued = _SPACED_UNIT.sub(r"\1", s)
    if glued != s:  # (a row then: two values at least, or a template row's label; not 共收到申请 12 件)
        row = _space_row(glued)
        if row is not None and (sum(parse_value(c)[0] != "text" for c in row) >= 2 or _begins_a_label(row[0])):
            return row
    indent, s = len(s) - len(s.lstrip()), s.strip()
    parts = s.split()
    if len(parts) >= 3 and _begins_a_label(parts[-1]) and parse_value(parts[-2])[0] != "text":
        row = _space_row(s[:s.rindex(parts[-1])])  # 规章 0 0 0 行政: the next row's label run on
        return None if row is None else [*row, parts[-1]]
    k = len(parts)
    while k > 0 and parse_value(parts[k - 1])[0] != "text":
        k -= 1
    values, label = parts[k:], " ".join(parts[:k])
    if (not values and len(parts) >= 2 and not re.search(_CELLS["clause_marks"], s)
            and all(len(p) <= 12 and parse_value(p)[0] == "text" for p in parts)):
        cells: list[str] = []  # a header row: 结果维持 结果纠正 其他结果 …
        if _spaced_inside_cells(s):
            parts = _WIDE_GAP.split(s)
        for part in parts:
            if cells and not label_core(cells[-1]):
                cells[-1] += " " + part  # "(一)" + "予以公开"
            else:
                cells.append(part)
        return cells
    if not values or (not label and len(values) < 2):
        return None
    values = _with_gap_blanks(s, values, 0 if label else indent)
    labels: list[str] = []  # "（三）不予公开 1.属于国家秘密": one cell per numbered label
    for part in parts[:k]:
        if not labels or NUMBERING.match(fold(part)):
            labels.append(part)
        else:
            labels[-1] += " " + part
    if len(label) > 60 or re.search(_CELLS["label_clause_marks"], label) or any(re.search(r"\d", label_core(x)) for x in labels):
        return None
    return labels + values


# A run-together header (行政复议行政诉讼结果维持…总计) is the longest "label" a row of
# digits follows.
_MAX_RUNON_LABEL = 160
_RUNON = re.compile(_CELLS["runon_row"])


def _runon_row(s: str) -> tuple[str, str] | None:
    """A row label with its cells run together after it (``规章000``): (label, values).

    >>> _runon_row("行政规范性文件77132470"), _runon_row("(七)总计1000001")
    (('行政规范性文件', '77132470'), ('(七)总计', '1000001'))
    >>> _runon_row("第二十条第(八)项"), _runon_row("2021"), _runon_row("合计:12")
    (None, None, None)
    >>> _runon_row("(三)不予公开1.属于国家秘密0000000")  # the parent's merged cell on its first sub-row
    ('(三)不予公开1.属于国家秘密', '0000000')
    """
    m = _RUNON.match(s)
    if m is None or not RUN_VALUE.fullmatch(m.group("values")):
        return None
    label = m.group("label")
    core = label_core(_RUN_IN_NUMBERING.sub("", label))
    if not core or re.search(r"\d", core) or len(label) > _MAX_RUNON_LABEL or re.search(_CELLS["runon_tail_marks"], label[-3:]):
        return None
    return label, m.group("values")


# A sub-row's numbering run into its parent's label, as a merged cell leaves it on the
# sub-row's line: （三）不予公开1.属于国家秘密
_RUN_IN_NUMBERING = re.compile(_WORDS["run_in_numbering"])


def _line_tokens(texts: list[str], start: int, end: int, skip: set[int]) -> list[Tok]:
    """Tokens of lines ``start..end``: tab rows and pipe rows give one token per cell
    (blank cells kept), a ``\\t<cell>`` line one token, a plain line one token; a plain
    line right after a one-cell line continues that cell's label (``商业`` + ``企业``), and
    so does one right after a numbered label standing alone on its line, as a PDF tool
    prints a label its cell wraps (``5.要求行政机关确认`` + ``或重新出具已获取信`` + ``息``)."""
    toks: list[Tok] = []
    continues = False  # may the next plain line continue the last token's label?
    stub: int | None = None  # a row's numbered label cut short (3.危及 0 0 …): its pieces follow
    merged = _wrapped_blocks(texts, start, end, skip) | _numbers_on_two_lines(texts, start, end, skip)
    merged = _unspaced_blocks(texts, start, end, skip, merged) | merged
    for i in range(start, end):
        kind, cells, reads = ("blank", (), ()) if i in skip else _line_reads(merged.get(i, texts[i]))
        if kind == "cell":  # one cell per line, the commonest layout: tested first
            text, what, value = reads[0]
            toks.append(Tok(text, i, what, value, None, 0))
        elif kind == "blank":
            pass
        elif kind == "noise":  # a page number or a separator row: the cell above goes on
            continue
        elif kind == "row":
            reads, next_label = _next_label_off(reads)
            row = [Tok(text, i, what, value, i, k) for k, (text, what, value) in enumerate(reads)]
            toks += _with_item_above(toks, row, i)
            if next_label is not None:  # 规章 0 0 0 行政…: the next row's label, run on (or cut)
                toks.append(Tok(next_label[0], i, "text", None, None, 0))
            stub = _stub_label(toks, row)
            continues = False
            continue
        elif kind == "runon":
            text, what, value = reads[0]
            toks += [Tok(text, i, what, value, i, 0), Tok(cells[1], i, "run", None, i, 1)]
        else:
            text, what, value = reads[0]
            tok = Tok(text, i, what, value, None, 0)
            if stub is not None and kind == "label_part" and tok.kind == "text" and _goes_on(toks[stub].text, cells[0]):
                head = toks[stub]  # the next piece of the stub's label, printed below its values
                toks[stub] = Tok(head.text + cells[0], head.line, head.kind, head.value, head.row, head.col)
                continue
            if (continues and kind == "label_part" and toks and toks[-1].kind == "text" and tok.kind == "text"
                    and not _whole_label(cells[0], _LONG_LABEL)):
                toks[-1] = token(toks[-1].text + cells[0], toks[-1].line, None, 0)
                kind = "cell"  # a third piece may follow
            else:
                toks.append(tok)
                if tok.kind == "text" and NUMBERING.match(fold(cells[0])):
                    kind = "cell"
        continues = kind == "cell"
        stub = None
    return toks


def _blank_line_cells(texts: list[str], start: int, end: int, skip: set[int], width: int) -> list[int]:
    """The empty lines that are blank cells, in a table printed one cell a line with its
    blank cells as empty lines (a web page's cells joined by newlines: 一、本年新收… / 26 /
    five empty lines / 26).  Between one line of words and the next, a row's value and
    empty lines then number exactly the table's ``width`` — in most of the rows whose empty
    lines stand among values (elsewhere empty lines are spacing, and say nothing)."""
    groups: list[list[int]] = []
    group: list[int] | None = None
    for i in range(start, end):
        if i in skip:
            group = None
            continue
        s = texts[i].strip()
        kind = _cell_read(s)[1] if s else "empty"
        if kind == "text":
            group = []
            groups.append(group)
        elif group is not None:
            group.append(i)
    groups = [_row_cells(g, texts, width) for g in groups]
    empty = [[i for i in g if not texts[i].strip()] for g in groups]
    spaced = [(g, e) for g, e in zip(groups, empty) if 0 < len(e) < len(g)]
    rows = [e for g, e in spaced if len(g) == width]
    if len(rows) < 2 or 2 * len(rows) < len(spaced):
        return []
    return [i for e in rows for i in e]


def _row_cells(group: list[int], texts: list[str], width: int) -> list[int]:
    """A row's lines below its label that are its cells: all of them, or, when that makes
    the table's ``width``, without the empty line that sets the row off from its label
    and the one that sets it off from the next (一、本年新收… / empty / six empty cells /
    0 / empty: a page that spaces its blocks by an empty line and prints an empty cell as
    one).  One line too many with an empty line at both ends is either: the row's values
    would stand a column apart, so its empty lines are no cells."""
    if len(group) == width:
        return group
    lead = 1 if group and not texts[group[0]].strip() else 0
    trail = 1 if len(group) > lead and not texts[group[-1]].strip() else 0
    if lead and trail and len(group) == width + 1:
        return group  # one empty line too many at both ends: which sets the row off is not printed
    for a, b in ((lead, 0), (0, trail), (lead, trail)):
        if (a or b) and len(group) - a - b == width:
            return group[a:len(group) - b]
    return group


def _with_blank_lines(toks: list[Tok], lines: list[int]) -> list[Tok]:
    """``toks`` with a blank cell for each of ``lines``, in line order."""
    if not lines:
        return toks
    blanks = [Tok("", i, "blank", None, None, 0) for i in lines]
    return sorted(toks + blanks, key=lambda t: t.line)  # stable: a line's own tokens keep their order


# A piece this long that is a whole label starts a label of its own; a shorter one (其他,
# 总计) is as often the last piece of a longer label wrapped two characters a line
_LONG_LABEL = 4


def _whole_label(text: str, least: int = 0) -> bool:
    """A label of the template as printed whole (信息内容, 本年制发件数, 第二十条第（一）项),
    of at least ``least`` characters: no piece of a wrapped one (二、主动公开政府信息情况
    above it does not go on in it)."""
    core = label_core(text)
    return len(core) >= least and core in template_label_cores()


@lru_cache(maxsize=1)
def template_label_cores() -> frozenset[str]:
    """The cores of tables 2's and 3's labels of both templates (rows, columns, their
    aliases) and of the words table 2 prints above its parts (第二十条第（一）项, 信息内容)."""
    raw = registry().raw
    labels = [x for spec in raw["table2"].values() for part in ("rows", "columns") for r in spec[part]
              for x in (r["label"], *r.get("aliases", []))]
    labels += [x for part in ("rows", "columns") for r in raw["table3"][part] for x in (r["label"], *r.get("aliases", []))]
    labels += _WORDS["labels"]["active_ignore"]
    return frozenset(core for x in labels if (core := label_core(x)))


# A numbered label this short is the first line of one its cell wraps (3.危及 | 4.保护 …)
_STUB_CHARS = 3


def _stub_label(toks: list[Tok], row: list[Tok]) -> int | None:
    """The index in ``toks`` of ``row``'s own label when it is a numbered stub followed by
    values (``3.危及 0 0 0 …``, the rest of the label on the lines below, as a PDF tool
    prints a label its narrow cell wraps two characters a line), or a numbered label cut
    short (:func:`_cut_row_label`); else None."""
    labels = [t for t in row if t.kind == "text"]
    if len(labels) != 1 or not any(t.kind in ("num", "run") for t in row):
        return None
    label = labels[0]
    m = _ITEM.match(fold(label.text))
    if (m is None or len(label_core(label.text)) > _STUB_CHARS) and not _cut_row_label(label.text):
        return None
    return next((k for k in range(len(toks) - 1, -1, -1) if toks[k] is label), None)


def _next_label_off(reads: tuple[CellRead, ...]) -> tuple[tuple[CellRead, ...], CellRead | None]:
    """A row's reads without a last cell of words after its values that begins a template
    label (规章  0  0  0  行政: the next row's label, run on after a dump lost the row's end, or
    cut by the excerpt's end), and that cell; the reads as they are when there is none.

    >>> from nlp.tables.tokens import _line_reads
    >>> reads, off = _next_label_off(_line_reads("规章  0  0  0  行政")[2])
    >>> [r[0] for r in reads], off[0]
    (['规章', '0', '0', '0'], '行政')
    >>> _next_label_off(_line_reads("规章  0  0  0")[2])[1] is None
    True
    """
    if len(reads) < 3 or reads[-1][1] != "text" or reads[-2][1] not in ("num", "run") or reads[0][1] != "text":
        return reads, None
    return (reads[:-1], reads[-1]) if _begins_a_label(reads[-1][0]) else (reads, None)


def _begins_a_label(text: str) -> bool:
    """Words that begin a table label of the template (行政, 行政规范性文件), not a value."""
    core = label_core(text)
    return len(core) >= 2 and parse_value(text)[0] == "text" and _starts_a_label(core)


@lru_cache(maxsize=4096)
def _starts_a_label(core: str) -> bool:
    """Is ``core`` the start of a template label's core (or one whole)?"""
    return any(c.startswith(core) for c in template_label_cores())


def _goes_on(label: str, piece: str) -> bool:
    """May ``piece`` continue a stub's ``label``?  An item's stub (3.危及) takes any piece;
    a numbered label cut short takes only pieces that keep it a template label's start (a
    page's foot and running header below the row — 政府信息公开工作年度报告 — are none)."""
    return not _cut_row_label(label) or _starts_a_label(label_core(label + piece))


def _cut_row_label(text: str) -> bool:
    """A numbered label that is the start of a template label and no label itself (一、本年新收
    政府 0 0 …, the rest 信息公开申请数量 on the line below, as pdftotext -layout prints a
    label its cell wraps).

    >>> _cut_row_label("一、本年新收政府"), _cut_row_label("一、本年新收政府信息公开申请数量"), _cut_row_label("本年新收政府")
    (True, False, False)
    """
    core = label_core(text)
    return bool(core) and NUMBERING.match(fold(text)) is not None and core not in template_label_cores() \
        and _starts_a_label(core)


# A block of a PDF tool's text holding one table row whose label wraps: at most this many lines
_MAX_BLOCK = 6


def _wrapped_blocks(texts: list[str], start: int, end: int, skip: set[int]) -> dict[int, str]:
    """Rows a PDF tool printed as a block between blank lines, their item's label wrapped
    around the line of values (``5.要求行政机关确认或重`` / ``0 0 … 0`` / ``新出具已获取信息``;
    the group's label on the values' line stays first): the block as one line, at the
    values' line (the label's other lines become blank).  Blocks with no values, more than
    one line of values, or a first line that is no item's label are left as printed."""
    out: dict[int, str] = {}
    i = start
    while i < end:
        if i in skip or _bounds_block(texts[i]):
            i += 1
            continue
        j = i
        while j < end and j not in skip and not _bounds_block(texts[j]):
            j += 1
        if 2 <= j - i <= _MAX_BLOCK:
            out.update(_one_row(texts, i, j))
        i = j
    return out


def _unspaced_blocks(texts: list[str], start: int, end: int, skip: set[int], merged: dict[int, str]) -> dict[int, str]:
    """Rows whose item's label wraps around the line of values with no blank line
    between rows, as pdfplumber prints them (``5.要求行政机关确认或重`` / ``0 0 … 0`` /
    ``新出具已获取信息`` / ``1.申请人…``): the values' line with no item number of its own
    (``(六)其他处理 补正、行政机关不再处理其 0 …``, or values alone), the words-only lines
    above it up to an item's number, and the words-only lines below it up to the next
    numbered line, as one block (``_one_row`` checks it)."""
    out: dict[int, str] = {}
    for r in range(start, end):
        # (the line above must be words: tested first, most table lines are rows of values)
        if r == start or r in skip or r in merged or not _words_only(texts[r - 1], skip, r - 1) \
                or not _unnumbered_values(texts[r]):
            continue
        i = r
        while i > start and r - i < _MAX_BLOCK and _words_only(texts[i - 1], skip, i - 1) and not _ITEM.match(fold(texts[i].strip())):
            i -= 1
        j = r + 1
        while j < end and j - i < _MAX_BLOCK and _words_only(texts[j], skip, j, piece=True) and not NUMBERING.match(fold(texts[j].strip())):
            j += 1
        if i < r and _ITEM.match(fold(texts[i].strip())) and not any(k in merged or k in out for k in range(i, j)):
            out.update(_one_row(texts, i, j))
    return out


def _unnumbered_values(line: str) -> bool:
    """A row of values whose own label (after a group's, (六)其他处理) has no item number
    and is no whole label of the template."""
    kind, cells, reads = _line_reads(line)
    if kind != "row" or not any(what in ("num", "run") for _, what, _ in reads):
        return False
    labels = [c for c, (_, what, _) in zip(cells, reads) if what == "text"]
    own = labels[1:] if labels and _GROUP.match(fold(labels[0])) else labels
    return not any(_ITEM.match(fold(x)) or _whole_label(x) for x in own)


def _words_only(line: str, skip: set[int], k: int, piece: bool = False) -> bool:
    """A line of words alone, no values, in no native grid (``piece``: one piece of a
    label, not words a space splits into cells, as a header row's)."""
    if k in skip or not line.strip():
        return False
    kind, _, reads = _line_reads(line)
    if kind in ("plain", "label_part"):
        return True
    return not piece and kind == "row" and all(what == "text" for _, what, _ in reads)


def _bounds_block(line: str) -> bool:
    """A blank line, or a page number (a row's block may follow the page's foot line): the
    line's reading by :func:`_line_reads`, kept per line text ("noise" without a pipe is
    a page number; with one, a pipe table's separator row)."""
    return not line.strip() or (_line_reads(line)[0] == "noise" and "|" not in line)


def _numbers_on_two_lines(texts: list[str], start: int, end: int, skip: set[int]) -> dict[int, str]:
    """A row a PDF tool printed on two lines: the label's first characters with the first
    value (``危及 1``), then the item's number with the other values (``3. 0 0 0 0 0 1``):
    one line, at the second (the first becomes blank).  Only a line of one short word and
    one number right above a line of an item's number alone and numbers."""
    out: dict[int, str] = {}
    for i in range(start, end - 1):
        if i in skip or i + 1 in skip:
            continue
        kind, cells, reads = _line_reads(texts[i])  # (read once per line text: the main loop's too)
        if kind != "row" or len(cells) != 2 or reads[1][1] not in ("num", "run") or len(label_core(cells[0])) > _STUB_CHARS:
            continue
        kind2, cells2, reads2 = _line_reads(texts[i + 1])
        values = [(c, r[1]) for c, r in zip(cells2[1:], reads2[1:]) if c]
        if (kind2 != "row" or not cells2 or not _ITEM.fullmatch(fold(cells2[0]).strip())
                or not values or any(what not in ("num", "run") for _, what in values)):
            continue
        out[i] = ""
        out[i + 1] = "  ".join([cells2[0].strip() + cells[0].strip(), cells[1], *(c for c, _ in values)])
    return out


_MAX_ITEM = 45  # an item's label is short; a section heading (4. 政府信息公开行政复议…) is prose


def _one_row(texts: list[str], i: int, j: int) -> dict[int, str]:
    if any("\t" in texts[k] or "|" in texts[k] for k in range(i, j)):
        return {}  # tab and pipe rows say where a row ends
    kinds = [_line_reads(texts[k]) for k in range(i, j)]
    numbers = [any(what in ("num", "run") for _, what, _ in reads) for _, _, reads in kinds]
    rows = [k for k, (kind, _, _) in enumerate(kinds) if kind == "row" and numbers[k]]
    # the other lines: words only (a label's piece, or one a space splits, 5. 要求…)
    if len(rows) != 1 or any(numbers[k] or kind not in ("plain", "label_part", "row")
                             for k, (kind, _, _) in enumerate(kinds) if k != rows[0]):
        return {}
    r = rows[0]
    _, cells, reads = kinds[r]
    labels = [c for c, (_, what, _) in zip(cells, reads) if what == "text"]
    values = cells[len(labels):]
    if any(what == "text" for _, what, _ in reads[len(labels):]):
        return {}
    group = labels[:1] if labels and _GROUP.match(fold(labels[0])) else []
    own = labels[len(group):]
    above = [" ".join(texts[i + k].split()) for k in range(r)]
    below = [" ".join(texts[i + k].split()) for k in range(r + 1, j - i)]
    item = "".join([*above, *own, *below])
    if not _ITEM.match(fold(item)) or (above and not _ITEM.match(fold(above[0]))) or len(item) > _MAX_ITEM:
        return {}
    line = "  ".join([*group, item, *(c for c in values if c)])  # (a gap is layout, not an empty cell)
    return {k: ("" if k != i + r else line) for k in range(i, j)}


_GROUP = re.compile(_WORDS["group_numbering"])
_ITEM = re.compile(_WORDS["item_numbering"])


def _with_item_above(toks: list[Tok], row: list[Tok], line: int) -> list[Tok]:
    """A row whose only label is its group's ((四) 无法提供 0 0 …) right below an item's
    label standing alone (1.本机关不掌握相关政府): a PDF tool printed the item's wrapped
    label around the line of its values, the group's label beside them.  The item's
    label moves into the row, after the group's (``toks`` loses it)."""
    labels = [t for t in row if t.kind == "text"]
    if (len(labels) != 1 or row[0] is not labels[0] or not _GROUP.match(fold(labels[0].text))
            or not toks or toks[-1].row is not None or toks[-1].kind != "text" or toks[-1].line != line - 1
            or not _ITEM.match(fold(toks[-1].text))):
        return row
    item = toks.pop()
    return [row[0], Tok(item.text, line, "text", None, line, 1),
            *(Tok(t.text, t.line, t.kind, t.value, t.row, t.col + 1) for t in row[1:])]


# A numbered label inside a cell after other words: the sub-row label printed in its
# parent's cell ("(四) 无法提供 1.本机关不掌握相关政府信息").
_INNER_NUMBERING = re.compile(_WORDS["inner_numbering"])


_WIDE_GAP = re.compile(r"\s{2,}")
# digits, one space, then a unit a cell may carry (31 批次, 103.3879 万元: pdftotext -layout
# puts a space where the font changes from digits to the unit)
_SPACED_UNIT = re.compile(r"(\d) (?=(?:%s)(?:\s|$))" % lexicon.pattern("units", "table_cell").pattern)
_SPACED_WORD = 2  # 结果 维持: a header cell typed with a space between its two-character words


def _spaced_inside_cells(s: str) -> bool:
    """Are the cells of this header row apart by wide gaps, a single space sitting inside
    a cell between short words (``结果 维持  结果 纠正``), not between cells (``自然人 法人
    或其他组织    总计``, where the wide gap is an empty cell)?"""
    parts = _WIDE_GAP.split(s)
    inner = [w for p in parts if " " in p for w in p.split()]
    return len(parts) > 1 and bool(inner) and all(len(w) <= _SPACED_WORD for w in inner)


def _with_gap_blanks(s: str, values: list[str], indent: int = 0) -> list[str]:
    """The row's trailing values, with a blank cell wherever the text leaves a gap of
    whole separators: cells joined by one separator (a page dump's spaces) print an
    empty cell as a double one, and a row of values only that opens with empty cells
    is indented by their separators (``indent``).  Only when the separators are regular —
    most gaps the narrowest, every gap a multiple of it; a PDF's aligned columns vary and
    are left alone (the row's arithmetic places their numbers, ``requests._read_short_row``).

    >>> _with_gap_blanks("规章  1  2    3", ["1", "2", "3"]), _with_gap_blanks("规章 1 2 3", ["1", "2", "3"])
    (['1', '2', '', '3'], ['1', '2', '3'])
    >>> _with_gap_blanks("a  12   3  4     5", ["12", "3", "4", "5"])
    ['12', '3', '4', '5']
    >>> _with_gap_blanks("0  0  0", ["0", "0", "0"], indent=4)
    ['', '', '0', '0', '0']
    """
    if len(values) < 3:
        return values
    spans = [m.span() for m in re.finditer(r"\S+", s)][-len(values):]
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:])]
    unit = min(gaps)
    if any(g % unit for g in gaps) or 2 * gaps.count(unit) < len(gaps):
        return values
    lead = indent // unit if indent % unit == 0 else 0
    out = [""] * lead + [values[0]]
    for gap, value in zip(gaps, values[1:]):
        out += [""] * (gap // unit - 1) + [value]
    return out


def _split_sub_labels(cells: list[str]) -> tuple[str, ...]:
    """Cells, with a parent label and its sub-row label in one cell split in two.

    >>> _split_sub_labels(["(四) 无法提供 1.本机关不掌握相关政府信息", "0"])
    ('(四) 无法提供', '1.本机关不掌握相关政府信息', '0')
    >>> _split_sub_labels(["(一) 予以公开", "1.5"])
    ('(一) 予以公开', '1.5')
    """
    out: list[str] = []
    for cell in cells:
        out += _INNER_NUMBERING.split(cell) if parse_value(cell)[0] == "text" else [cell]
    return tuple(out)


@lru_cache(maxsize=16384)  # table lines ("规章 | 0 | 0", row labels) repeat across reports
def _line_reads(raw: str) -> tuple[str, tuple[str, ...], tuple[CellRead, ...]]:
    """:func:`_line_cells` with each cell read as :func:`token` reads it: a line's cells
    are read once, not once per report that prints the line."""
    kind, cells = _line_cells(raw)
    return kind, cells, tuple(map(_cell_read, cells))


def _line_cells(raw: str) -> tuple[str, tuple[str, ...]]:
    """How one line reads in a table region, and its cells: ``blank``; ``noise`` (a page
    number, a pipe-table separator); ``row`` (pipe, tab or space-separated cells);
    ``cell`` (a ``\\t<cell>`` line); ``plain`` or, when it can continue a label broken
    over lines, ``label_part`` (one cell, the stripped line)."""
    line = raw.replace("\f", "").rstrip("\r\n")
    s = line.strip()
    if not s and "\t" not in line:
        return "blank", ()
    if _PAGE_NOISE.match(fold(s)):
        return "noise", ()
    if _is_pipe_row(line):
        if _PIPE_SEP.match(s) and not re.search(r"[^\s|:\-]", s):
            return "noise", ()
        body = line.rstrip()
        body = body[1:] if body.startswith("|") else body  # outer pipes are not cells
        # A closing pipe ends the last cell ("4 |" is one cell, as pdf tools print one cell
        # per line), unless the line is only pipes (empty cells).
        body = body[:-1] if body.endswith("|") and (s.startswith("|") or s.strip("| ")) else body
        return "row", _split_sub_labels(body.split("|"))
    if "\t" in line:
        parts = line.split("\t")
        if len(parts) == 2 and not parts[0].strip():
            return "cell", (parts[1],)
        return "row", _split_sub_labels(parts)
    if (cells := _runon_row(s)) is not None:  # digits right after the label: never spaced cells
        return "runon", cells
    if (cells := _space_row(line.rstrip())) is not None:
        return "row", tuple(cells)
    return ("label_part" if len(s) <= 12 and not NUMBERING.match(fold(s)) else "plain"), (s,)


def _grid_tokens(table: Table, texts: list[str], row_base: int) -> list[Tok]:
    """Tokens of a native grid; each cell's line is found by searching the table's lines."""
    toks: list[Tok] = []
    cursor = table.line_start
    end = max(table.line_end, table.line_start + 1)
    one_line_per_row = len(table.rows) == table.line_end - table.line_start
    for r, row in enumerate(table.rows):
        if one_line_per_row:  # the readers write each grid row as one text line
            cursor = table.line_start + r
        for k, cell in enumerate(row):
            line = cursor
            needle = cell.strip()
            if needle and not one_line_per_row:
                for j in range(cursor, min(end, len(texts))):
                    if needle in texts[j]:
                        line = cursor = j
                        break
            toks.append(token(cell, min(line, max(len(texts) - 1, 0)), row_base + r, k))
    return toks


def region_tokens(doc: Document, texts: list[str], start: int, end: int, width: int = 0) -> list[Tok]:
    """Tokens of a region, from native grids where the reader found them, else from lines
    (``width``: the table's columns, when empty lines may be its blank cells)."""
    natives = [t for t in doc.tables if t.source == "native" and t.line_start < end and t.line_end > start]
    skip: set[int] = set()
    pieces: list[tuple[int, list[Tok]]] = []
    for n, t in enumerate(natives):
        skip.update(range(t.line_start, t.line_end))
        pieces.append((t.line_start, _grid_tokens(t, texts, -1_000_000 * (n + 1))))
    line_toks = _line_tokens(texts, start, end, skip)
    if width and any(not texts[i].strip() for i in range(start, end)):
        line_toks = _with_blank_lines(line_toks, _blank_line_cells(texts, start, end, skip, width))
    pieces.append((start, line_toks))
    pieces.sort(key=lambda p: p[0])
    if len(pieces) == 1:
        return pieces[0][1]
    # interleave by line so order follows the document
    out = [t for _, ts in pieces for t in ts]
    out.sort(key=lambda t: t.line)
    return out

