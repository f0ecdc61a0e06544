"""Cells placed by where a layout-keeping PDF tool prints them.

``pdftotext -layout`` and pdfplumber's ``layout=True`` keep each glyph at its column on
the page.  Under a header whose narrow columns are stacked a character a line (结 / 果 /
维 / 持), the data row prints only the cells that hold something: a blank cell leaves a
wider gap, no mark (``0    0  0 0     0 …``: 10 numbers under 15 columns).  Order alone
cannot place them; the column each number stands under can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nlp.tables.cells import parse_value

__all__ = ["column_centres", "place_under"]

_CHUNK = re.compile(r"\S+")

# How far apart (in characters) a column's pieces on different header lines may print
# (a glyph rounded to the next character), and how far a value may stand from its column.
_SAME_COLUMN = 1.0
_NEAR = 2.0


def column_centres(lines: Iterable[str], labels: frozenset[str]) -> list[float]:
    """Centres of the columns the header lines print: every line made only of pieces of
    ``labels`` (a label whole, or a character of a label stacked a line) gives its pieces'
    centres; pieces of one column on different lines fall together.  Lines with anything
    else (a group's heading spanning several columns, 行政复议) give none."""
    centres = sorted((start + end - 1) / 2 for line in lines for start, end in _label_pieces(line, labels))
    columns: list[list[float]] = []
    for c in centres:
        if columns and c - columns[-1][-1] <= _SAME_COLUMN:
            columns[-1].append(c)
        else:
            columns.append([c])
    return [sum(col) / len(col) for col in columns]


def _label_pieces(line: str, labels: frozenset[str]) -> list[tuple[int, int]]:
    """The line's pieces' (start, end) when each is part of a label, two pieces a single
    space apart joined when together they still are (结果 维持); else []."""
    pieces: list[tuple[int, int, str]] = []
    for m in _CHUNK.finditer(line):
        if pieces and m.start() == pieces[-1][1] + 1 and _part_of(pieces[-1][2] + m.group(), labels):
            pieces[-1] = (pieces[-1][0], m.end(), pieces[-1][2] + m.group())
        else:
            pieces.append((m.start(), m.end(), m.group()))
    if not pieces or not all(_part_of(text, labels) for _, _, text in pieces):
        return []
    return [(start, end) for start, end, _ in pieces]


def _part_of(text: str, labels: frozenset[str]) -> bool:
    return any(text in label for label in labels)


def place_under(line: str, centres: list[float]) -> list[str | None] | None:
    """The line's values, each in the column it stands under (None for a column with
    nothing under it): the one order-keeping placement that puts every value within
    reach of its column with the least drift in all (a tool may print a whole row a
    character off).  None when a piece is no value, or no placement or more than one
    does best."""
    values = [(m.group(), m.start() + (len(m.group()) - 1) / 2) for m in _CHUNK.finditer(line)]
    if not values or any(parse_value(text)[0] == "text" for text, _ in values):
        return None
    columns = _best_placement([centre for _, centre in values], centres)
    if columns is None:
        return None
    got: list[str | None] = [None] * len(centres)
    for (text, _), k in zip(values, columns):
        got[k] = text
    return got


def _best_placement(spots: list[float], centres: list[float]) -> list[int] | None:
    """Increasing columns for the spots, each within ``_NEAR`` of its column, of least
    total distance; None when there is none, or a tie (the row could be read two ways)."""
    inf = float("inf")
    n = len(centres)
    # best[k]: (cost, ways, columns) of placing the spots so far, the last in column k
    best = [(abs(centres[k] - spots[0]), 1, [k]) if abs(centres[k] - spots[0]) <= _NEAR else (inf, 0, [])
            for k in range(n)]
    for spot in spots[1:]:
        step = []
        for k in range(n):
            far = abs(centres[k] - spot)
            before = [best[j] for j in range(k) if best[j][0] < inf]
            if far > _NEAR or not before:
                step.append((inf, 0, []))
                continue
            low = min(b[0] for b in before)
            ways = sum(b[1] for b in before if b[0] == low)
            cols = next(b[2] for b in before if b[0] == low)
            step.append((low + far, ways, [*cols, k]))
        best = step
    low = min(b[0] for b in best)
    if low == inf:
        return None
    winners = [b for b in best if b[0] == low]
    return winners[0][2] if sum(b[1] for b in winners) == 1 else None
