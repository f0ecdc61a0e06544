"""HTML tables as grids of cell texts (``rowspan``/``colspan`` placed), for a web page's
reader and for the HTML tables a text file holds (a converter's Markdown of a PDF)."""

from __future__ import annotations

import re

from nlp.read.common import Block, check_cells, check_rows

__all__ = ["html_grid", "text_with_tables"]

_WS = re.compile(r"[ \t\n\r\f\v]+")


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
    it stays as it is.  A table that does not parse stays text.

    >>> text_with_tables("## 二、主动公开\\n<table><tr><td rowspan=2>规章</td><td>0</td></tr><tr><td>1</td></tr></table>\\n三", "a.md")
    ['## 二、主动公开', [['规章', '0'], ['', '1']], '三']
    """
    import lxml.html
    from lxml.etree import ParserError

    lower = text.lower()
    blocks: list[Block] = []
    at = 0
    start = lower.find("<table", at)
    while start >= 0:
        end = lower.find("</table", start)
        close = lower.find(">", end) if end >= 0 else -1
        if close < 0:
            break  # a table never closed: the rest is text
        try:
            table = lxml.html.fragment_fromstring(text[start:close + 1])
        except (ParserError, ValueError):
            table = None
        if table is not None and table.tag == "table":
            blocks.append(text[at:start].rstrip("\n"))
            blocks.append(html_grid(table, name))
            at = close + 1 + (text[close + 1:close + 2] == "\n")
        start = lower.find("<table", close + 1)
    blocks.append(text[at:])
    return [b for b in blocks if b != ""]
