"""Cells placed by where a layout-keeping PDF tool prints them.

``pdftotext -layout`` and pdfplumber's ``layout=True`` keep each glyph near its place on
the page.  Under a header whose narrow columns wrap their labels (结 / 果 / 维 / 持 a
character a line, or 结果 维 / 持), the data row prints only the cells that hold
something: a blank cell leaves a wider gap, no mark (``0    0  0 0     0 …``: 10 numbers
under 15 columns).  Order alone cannot place them; the column each number stands under
can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.tables.cells import parse_value

__all__ = ["column_spans", "figures_only", "place_under"]

_CHUNK = re.compile(r"\S+")

# How far (in characters) a value may stand outside its column's span, and a label's next
# piece from the span of its first: a tool rounds a glyph's place to the next character.
_NEAR = 2.0
_TOUCH = 1

Span = tuple[int, int]  # a column's first character and the one past its last


def column_spans(lines: Iterable[str], labels: frozenset[str]) -> list[Span]:
    """The columns the header lines print, left to right: the extent of the pieces of
    ``labels`` (a label whole, a piece of one wrapped, or a character stacked a line).  A
    piece below joins the column it stands under (within a character) whose label it goes
    on (结果 维 / 持; 其他 结 / 果 a character left of it); other words (a group's heading
    over several columns, 未经复议直 / 接起诉) mark no column."""
    columns: list[list] = []  # [start, end, the label's text so far]
    for line in lines:
        for start, end, text in _label_pieces(line, labels):
            near = [c for c in columns if start < c[1] + _TOUCH and c[0] < end + _TOUCH]
            goes_on = [c for c in near if _part_of(c[2] + text, labels)]
            if len(goes_on) == 1:
                col = goes_on[0]
                col[0], col[1], col[2] = min(col[0], start), max(col[1], end), col[2] + text
            else:
                columns.append([start, end, text])
    return sorted((start, end) for start, end, _ in columns)


def _label_pieces(line: str, labels: frozenset[str]) -> list[tuple[int, int, str]]:
    """The (start, end, text) of the line's pieces of a label, two pieces a single space
    apart joined when together they still are one (结果 维持, 结果 维)."""
    pieces: list[tuple[int, int, str]] = []
    for m in _CHUNK.finditer(line):
        if pieces and m.start() == pieces[-1][1] + 1 and _part_of(pieces[-1][2] + m.group(), labels):
            pieces[-1] = (pieces[-1][0], m.end(), pieces[-1][2] + m.group())
        else:
            pieces.append((m.start(), m.end(), m.group()))
    return [piece for piece in pieces if _part_of(piece[2], labels)]


def _part_of(text: str, labels: frozenset[str]) -> bool:
    return any(text in label for label in labels)


def figures_only(line: str) -> str:
    """The line's figures where they stand, its words blanked out (a row's label before its
    values), for :func:`place_under`.

    >>> figures_only("一、本年新收  3      3")
    '        3      3'
    """
    return _CHUNK.sub(lambda m: m.group() if parse_value(m.group())[0] != "text" else " " * len(m.group()), line)


def place_under(line: str, columns: list[Span]) -> list[str | None] | None:
    """The line's values, each in the column it stands under (None for a column with
    nothing under it): the one order-keeping placement that puts every value within
    reach of its column with the least drift in all.  None when a piece is no value, or
    no placement or more than one does best."""
    values = [(m.group(), m.start() + (len(m.group()) - 1) / 2) for m in _CHUNK.finditer(line)]
    if not values or any(parse_value(text)[0] == "text" for text, _ in values):
        return None
    placed = _best_placement([spot for _, spot in values], columns)
    if placed is None:
        return None
    got: list[str | None] = [None] * len(columns)
    for (text, _), k in zip(values, placed):
        got[k] = text
    return got


def _drift(spot: float, column: Span) -> float:
    """How far a value's centre stands outside the column (0 inside it)."""
    start, end = column
    return max(0.0, start - spot, spot - (end - 1))


def _best_placement(spots: list[float], columns: list[Span]) -> list[int] | None:
    """Increasing columns for the spots, each within ``_NEAR`` of its column, of least
    total drift; None when there is none, or a tie (the row reads two ways)."""
    inf = float("inf")
    # best[k]: (drift, ways, columns) of placing the spots so far, the last in column k
    best = [(d, 1, [k]) if (d := _drift(spots[0], col)) <= _NEAR else (inf, 0, []) for k, col in enumerate(columns)]
    for spot in spots[1:]:
        step = []
        for k, col in enumerate(columns):
            d = _drift(spot, col)
            before = [b for b in best[:k] if b[0] < inf]
            if d > _NEAR or not before:
                step.append((inf, 0, []))
                continue
            low = min(b[0] for b in before)
            ways = sum(b[1] for b in before if b[0] == low)
            step.append((low + d, ways, [*next(b[2] for b in before if b[0] == low), k]))
        best = step
    low = min(b[0] for b in best)
    winners = [b for b in best if b[0] == low]
    if low == inf or sum(b[1] for b in winners) != 1:
        return None
    return winners[0][2]
