"""HTML tables as grids of cell texts (``rowspan``/``colspan`` placed), for a web page's
reader and for the HTML tables a text file holds (a converter's Markdown of a PDF)."""

from __future__ import annotations

import re

from nlp.read.common import Block, check_cells, check_rows

__all__ = ["LAYOUT_CELL", "has_table_tag", "html_grid", "text_with_tables"]

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
