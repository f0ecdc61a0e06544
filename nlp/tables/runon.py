"""Split table cells that were run together with nothing between them.

Some sites' text exports and crawlers print a table row as its label followed by all
its numbers in one string: ``行政规范性文件77132470`` is 77 | 132 | 470, and
``801000081`` may be 80 | 1 | 0 | 0 | 0 | 0 | 81.  The template knows how many cells
the row has and what their arithmetic is (a row's 总计 is the sum of its applicant
columns, a table-4 group's 总计 the sum of its four outcomes), so the ways of cutting the
string can be enumerated: a cell never starts with 0 unless it is 0, and a total cell
must print exactly the sum before it.  A split is used only when it is the only one;
otherwise the cells stay unread.  Nothing here guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Piece", "splits", "RUN_VALUE"]

# What a run-together value string may hold: digits, and blank marks that are cells of
# their own (规章0/0).
RUN_VALUE = re.compile(r"[0-9./—]+")
# One cell: no leading zero; a decimal point only inside a number (amounts in 万元).
_PART = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
# More cut points than this and a string is not enumerated (a 40-digit string is not a row).
MAX_DIGITS = 60
# Work bound: cut points tried per value string (untrusted input never runs away).
MAX_STEPS = 50_000


@dataclass(frozen=True)
class Piece:
    """One value token of a row: a digit string to cut (``run``) or a single cell."""

    run: str | None = None  # digits printed together
    value: float | int | None = None  # a cell read on its own (None: blank)


# A rule for the next cell: given the cells so far, the value it must have, or None.
Forced = Callable[[list], "int | float | None"]


def pieces_of(text: str) -> list[Piece]:
    """A run-together value string as pieces: digit runs, and each blank mark a cell.

    >>> pieces_of("12/3")
    [Piece(run='12', value=None), Piece(run=None, value=None), Piece(run='3', value=None)]
    """
    out = []
    for m in re.finditer(r"[0-9.]+|[/—]", text):
        out.append(Piece(run=m.group()) if m.group()[0].isdigit() else Piece())
    return out


def splits(pieces: list[Piece], n: int, forced: Forced | None = None, limit: int = 2) -> list[tuple]:
    """Up to ``limit`` ways of reading ``pieces`` as exactly ``n`` cells.

    ``forced(cells)`` may name the value the next cell must have (a total); a run is
    cut into numbers without leading zeros.

    >>> splits([Piece(run="77132470")], 3)  # three cells, many cuts: not unique
    [(7, 7, 132470), (7, 71, 32470)]
    >>> row_sum = lambda cells: sum(cells) if len(cells) == 6 else None
    >>> splits([Piece(run="801000081")], 7, row_sum, limit=5)
    [(80, 1, 0, 0, 0, 0, 81)]
    >>> splits([Piece(run="000")], 3), splits([Piece(run="00")], 3)
    ([(0, 0, 0)], [])
    >>> splits([Piece(run="1" * 40)], 7, row_sum)  # more ways than the work bound: unread
    []
    >>> splits([Piece(run="21.43")], 1), splits([Piece(run="321.4")], 2, limit=5)
    ([(21.43,)], [(3, 21.4), (32, 1.4)])
    """
    if sum(len(p.run or "x") for p in pieces) > MAX_DIGITS:
        return []
    out: list[tuple] = []
    budget = [MAX_STEPS]
    min_left = [0] * (len(pieces) + 1)
    max_left = [0] * (len(pieces) + 1)
    for k in range(len(pieces) - 1, -1, -1):
        min_left[k] = min_left[k + 1] + 1
        max_left[k] = max_left[k + 1] + (len(pieces[k].run) if pieces[k].run else 1)

    def rec(k: int, pos: int, cells: list) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfSteps
        if len(out) >= limit:
            return
        if k == len(pieces):
            if len(cells) == n:
                out.append(tuple(cells))
            return
        piece = pieces[k]
        left = n - len(cells)
        rest = len(piece.run) - pos if piece.run else 1
        if left < min_left[k + 1] + 1 or left > max_left[k + 1] + rest:
            return
        want = forced(cells) if forced is not None else None
        if piece.run is None:
            if want is None or piece.value == want:
                rec(k + 1, 0, cells + [piece.value])
            return
        tail = piece.run[pos:]
        for part in _parts(tail, want):
            nxt = pos + len(part)
            value = float(part) if "." in part else int(part)
            if nxt == len(piece.run):
                rec(k + 1, 0, cells + [value])
            else:
                rec(k, nxt, cells + [value])

    try:
        rec(0, 0, [])
    except _OutOfSteps:
        return []  # too many ways to try: the cells stay unread
    return out


class _OutOfSteps(Exception):
    """The enumeration's work bound was reached."""


def _parts(tail: str, want: int | float | None) -> list[str]:
    """Prefixes of ``tail`` that can be the next cell (the forced value's digits only)."""
    if want is not None:
        text = str(int(want)) if float(want).is_integer() else None
        ok = text is not None and tail.startswith(text) and tail[len(text):len(text) + 1] != "."
        return [text] if ok else []
    return [tail[:k] for k in range(1, len(tail) + 1)
            if _PART.fullmatch(tail[:k]) and tail[k:k + 1] != "."]
