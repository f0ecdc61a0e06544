"""Tables drawn in markup as grids of cell texts (spans placed, a spanned cell's text in its
first row and column): HTML tables, for a web page's reader and for the HTML tables a text
file holds, and pandoc's grid tables a text file holds (a converter's Markdown of a PDF)."""

from __future__ import annotations

import re
import unicodedata

from nlp import lexicon
from nlp.read.common import Block, check_cells, check_rows

__all__ = ["LAYOUT_CELL", "has_table_tag", "html_grid", "text_with_grid_tables", "text_with_tables"]

_WS = re.compile(r"[ \t\n\r\f\v]+")
LAYOUT_CELL = 300  # a table cell this long holds a page, not a value


def _cell_text(cell) -> str:
    """A cell's text on one line; a footnote's <sup> mark is no part of it (2332<sup>1</sup>
    is 2332, never 23321)."""
    parts = []
    for piece in _text_but_notes(cell):
        # Whitespace with a line break is source formatting: join CJK without a space.
        parts.append(re.sub(r"[ \t\f\v]*[\r\n][ \t\r\n\f\v]*", "", piece))
    return _WS.sub(" ", "".join(parts)).strip()


def _text_but_notes(el):
    """``el.itertext()`` without the text inside <sup> (its tail, the text after it, kept)."""
    if el.tag == "sup":
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _text_but_notes(child)
        if child.tail:
            yield child.tail


def html_grid(table, name: str) -> list[list[str]]:
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    check_rows(name, len(rows))
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            check_cells(name, len(grid))  # spans fill positions ahead: bounded before they grow
            while (r, c) in grid:
                c += 1
            rs = _span(cell.get("rowspan"))
            cs = _span(cell.get("colspan"))
            text = _cell_text(cell)
            for dr in range(rs):
                for dc in range(cs):
                    if r + dr < len(rows):
                        grid[(r + dr, c + dc)] = text if dr == dc == 0 else ""
            c += cs
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 64))
    except ValueError:
        return 1


def text_with_tables(text: str, name: str) -> list[Block]:
    """A text file's blocks when it holds HTML tables: a converter's Markdown of a PDF
    (MinerU and others write each table as <table>…</table> between Markdown lines).  Each
    table is its grid (``rowspan``/``colspan`` placed, as in a web page); the text around
    it stays as it is.  What is no data table stays text, as written: ``<table>`` named in a
    sentence (no rows in it), a table never closed, one that holds tables (a page's layout,
    not a report's table), one with a cell as long as a page's text, or one of empty cells.

    >>> text_with_tables("## 二、主动公开\\n<table><tr><td rowspan=2>规章</td><td>0</td></tr><tr><td>1</td></tr></table>\\n三", "a.md")
    ['## 二、主动公开', [['规章', '0'], ['', '1']], '三']
    >>> text_with_tables("改用<table>标签发布。\\n<TABLE><tr><td>规章</td><td>0</td></tr></TABLE>", "a.md")
    ['改用<table>标签发布。', [['规章', '0']]]
    """
    blocks: list[Block] = []
    at = 0
    for start, end in _table_spans(text):
        grid = _data_grid(text[start:end], name)
        if grid is None:
            continue
        blocks.append(text[at:start].rstrip("\n"))
        blocks.append(grid)
        at = end + (text[end:end + 1] == "\n")
    blocks.append(text[at:])
    return [b for b in blocks if b != ""]


_TABLE_TAG = re.compile(r"<(/?)table(?=[\s>/])", re.I)
_ROW_TAG = re.compile(r"<(?:tr|td|th|thead|tbody|caption)(?=[\s>/])", re.I)


def has_table_tag(text: str) -> bool:
    """Does the text hold an HTML table's tag (any case)?"""
    return _TABLE_TAG.search(text) is not None


def _table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost <table>…</table> (nested tables counted, so the one
    that closes it is found); one never closed is none, and a <table> with no row's tag
    before the next table tag is a word in a sentence, not a table's start."""
    spans, depth, start = [], 0, 0
    tags = list(_TABLE_TAG.finditer(text))
    for k, m in enumerate(tags):
        if not m.group(1):
            upto = tags[k + 1].start() if k + 1 < len(tags) else len(text)
            if not _ROW_TAG.search(text, m.end(), upto):
                continue
            depth += 1
            if depth == 1:
                start = m.start()
        elif depth:
            depth -= 1
            close = text.find(">", m.end())
            if depth == 0 and close >= 0:
                spans.append((start, close + 1))
    return spans


def _data_grid(markup: str, name: str) -> list[list[str]] | None:
    """The grid of one table's markup, or None when it is no data table (see
    :func:`text_with_tables`)."""
    import lxml.html
    from lxml.etree import ParserError

    if len(_TABLE_TAG.findall(markup)) > 2:
        return None  # tables inside a table: a page's layout
    try:
        table = lxml.html.fragment_fromstring(markup)
    except (ParserError, ValueError):
        return None
    if table.tag != "table":
        return None
    grid = html_grid(table, name)
    cells = [c for row in grid for c in row]
    if not any(cells) or any(len(c) > LAYOUT_CELL for c in cells):
        return None
    return grid


# ---------------------------------------------------------------- box-drawing tables
def _box_to_ascii() -> dict[int, str]:
    """Every box-drawing character (reading.yaml ``box_drawing``) → its grid table's ASCII."""
    words = lexicon.load("reading")["box_drawing"]
    table = dict.fromkeys(range(0x2500, 0x2580), "+")
    table.update({ord(ch): "|" for ch in words["vertical"]})
    table.update({ord(ch): "-" for ch in words["rule"]})
    table.update({ord(ch): "=" for ch in words["double_rule"]})
    return table


_BOX_TO_ASCII = _box_to_ascii()
_BOX = re.compile("[\u2500-\u257f]")


def has_box_drawing(text: str) -> bool:
    return _BOX.search(text) is not None


def box_drawing_as_ascii(text: str) -> str:
    """A table drawn with box-drawing characters (w3m's or elinks' dump of a web page's
    table) as a grid table drawn in ASCII, character for character (its columns stay
    where they were), so the grid-table reader below reads it.

    >>> box_drawing_as_ascii("┌──┬─┐\\n│规章│0│\\n╞══╪═╡")
    '+--+-+\\n|规章|0|\\n+==+=+'
    """
    return text.translate(_BOX_TO_ASCII)


# ---------------------------------------------------------------- pandoc's grid tables
_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")


def text_with_grid_tables(text: str) -> list[Block]:
    """A text's blocks when it holds pandoc's grid tables (+----+----+ borders, | between
    cells, a cell's text wrapped over several lines, row and column spans drawn by partial
    borders), as pandoc writes a Word report's tables to Markdown: each table is its grid
    (a spanned cell's text in its first row and column, as ``rowspan``/``colspan`` place
    it), the text around it as it is.

    >>> t = "一、总体情况\\n+------+----+\\n| 规章 | 0  |\\n| 文件 |    |\\n+------+----+\\n二、"
    >>> text_with_grid_tables(t)
    ['一、总体情况', [['规章文件', '0']], '二、']
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    at = k = 0
    while k < len(lines):
        end = _grid_end(lines, k) if _GRID_BORDER.match(lines[k]) else None
        if end is None:
            k += 1
            continue
        grid = _grid_cells(lines[k:end + 1])
        if grid:
            if k > at:
                blocks.append("\n".join(lines[at:k]))
            blocks.append(grid)
            at = end + 1
        k = end + 1
    if at < len(lines):
        blocks.append("\n".join(lines[at:]))
    return blocks


def _grid_end(lines: list[str], k: int) -> int | None:
    """The last line of the grid table whose top border is ``lines[k]``: the last border of
    the run of lines drawn with + and | that follows it."""
    end = None
    for j in range(k + 1, len(lines)):
        s = lines[j].lstrip()
        if not s.startswith(("+", "|")):
            break
        if _GRID_BORDER.match(lines[j]):
            end = j
    return end


def _columns(line: str, wide: bool) -> list[tuple[int, str]]:
    """Each character with the column it starts at: a CJK character two wide (``wide``, as
    pandoc pads), or one (as tools that pad by character count do)."""
    out, col = [], 0
    for ch in line:
        out.append((col, ch))
        col += 2 if wide and unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return out


_MAX_GRID_COLUMNS = 40  # a report's table has a few label columns and 5-15 of figures
_RULE = frozenset("-=:")


def _grid_cells(block: list[str]) -> list[list[str]] | None:
    """The grid of one grid table's lines, or None when its drawing is no table's (then the
    lines stay text, read as pipe rows as before).

    Columns are where a border draws a corner: a + in a line of borders, or a + beside a
    border's - or = in a partial one (a + in a cell's words, 新收+结转, is a word).  Every |
    must stand on one, measured as pandoc pads (a CJK character two wide) or as tools that
    pad by characters do; a drawing that fits neither, or has more columns than a report's
    table, is no grid.  A row ends at every line that draws a border under any cell (a
    partial border: the cells it does not close span down, their text — wrapped on, even on
    that line — staying in the row they began)."""
    for wide in (True, False):
        shown = [_columns(line.rstrip(), wide) for line in block]
        edges = _edges(shown)
        if 2 <= len(edges) <= _MAX_GRID_COLUMNS + 1 and _on_edges(shown, edges):
            return _grid_rows(shown, edges)
    return None


def _edges(shown: list[list[tuple[int, str]]]) -> list[int]:
    """The columns where a border draws a corner."""
    edges = set()
    for row in shown:
        chars = [ch for _, ch in row]
        full = bool(chars) and set(chars) <= _RULE | {"+", " "}
        for k, (c, ch) in enumerate(row):
            if ch == "+" and (full or (k > 0 and chars[k - 1] in _RULE) or (k + 1 < len(chars) and chars[k + 1] in _RULE)):
                edges.add(c)
    return sorted(edges)


def _on_edges(shown: list[list[tuple[int, str]]], edges: list[int]) -> bool:
    """Does every | of the drawing stand on a column edge, each line drawn from the first
    edge to the last (no ragged line, no text past the table's right border)?"""
    marks = set(edges)
    for row in shown:
        if any(c not in marks for c, ch in row if ch == "|"):
            return False
        drawn = [c for c, ch in row if ch in "|+"]
        if not drawn or drawn[0] != edges[0] or drawn[-1] != edges[-1] or row[-1][1] not in "|+":
            return False
    return True


def _grid_rows(shown: list[list[tuple[int, str]]], edges: list[int]) -> list[list[str]] | None:
    """The rows of a drawing whose columns are ``edges``."""
    marks = set(edges)
    at_edge = [{c: ch for c, ch in row if c in marks} for row in shown]
    width = len(edges) - 1
    segments = [_segments(row, edges) for row in shown]
    border = [[bool(seg) and set(seg) <= _RULE for seg in line] for line in segments]
    ruled = [any(line) for line in border]  # a line drawing a border under some cell ends a row
    rows: list[list[str]] = []
    open_cell: dict[int, tuple[int, list[str]]] = {}  # column → (its row, its text's pieces)
    cells: list[tuple[int, int, list[str]]] = []  # every cell: its row, its column, its pieces
    starts_row = True
    for k in range(len(shown)):
        if ruled[k]:
            starts_row = True
        j = 0
        while j < width:
            if border[k][j]:
                open_cell.pop(j, None)
                j += 1
                continue
            span = next((m for m in range(j + 1, width + 1) if at_edge[k].get(edges[m]) in ("|", "+")), width)
            piece = "".join(segments[k][m] + (at_edge[k].get(edges[m + 1], "") if m + 1 < span else "")
                            for m in range(j, span)).strip()
            if j not in open_cell and not ruled[k]:
                if starts_row:
                    rows.append([""] * width)
                    starts_row = False
                open_cell[j] = (len(rows) - 1, [])
                cells.append((len(rows) - 1, j, open_cell[j][1]))
            if j in open_cell:
                open_cell[j][1].append(piece)
            j = span
    for row, j, pieces in cells:
        rows[row][j] = "".join(pieces)  # once a cell, not once a line it runs over
    return rows if any(any(row) for row in rows) else None


def _segments(row: list[tuple[int, str]], edges: list[int]) -> list[str]:
    """The characters a line draws between each two edges (not on them), one walk."""
    out: list[list[str]] = [[] for _ in range(len(edges) - 1)]
    j = 0
    for c, ch in row:
        while j < len(edges) - 1 and c >= edges[j + 1]:
            j += 1
        if j < len(out) and edges[j] < c < edges[j + 1]:
            out[j].append(ch)
    return ["".join(x) for x in out]
