"""Character folding shared by the stages (language layer: no stage imports another).

A minimal version written by the extract helper: ``translator`` only, the same function
as ``nlp.normalize.translator``.  The reading stage's own folding tables move here too.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

__all__ = ["translator", "WIDTH_FOLD"]

# Full-width ASCII to ASCII and the wide/no-break spaces to a space, one character for one.
WIDTH_FOLD = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20, 0xA0: 0x20}


def translator(table: dict[int, int | str | None]) -> Callable[[str], str]:
    """``str.translate(table)`` as a function that touches only the characters it maps.

    ``translate`` looks every character of a non-ASCII string up in the table (~0.1 µs
    each); in report text, mostly folded already, finding the few that change is ~10×
    faster.

    >>> translator({0xFF08: 0x28, 0x200B: None})("（一）\\u200b")
    '(一）'
    """
    by_char = {chr(k): "" if v is None else v if isinstance(v, str) else chr(v) for k, v in table.items()}
    pattern = re.compile("[" + "".join(map(re.escape, sorted(by_char))) + "]")

    def replace(m: re.Match) -> str:
        return by_char[m.group()]

    return functools.partial(pattern.sub, replace)
