"""Character folding: full-width forms and odd spaces as the plain characters they stand for.

Language layer: stages that compare text whatever its reader folded (the segmenter's
features) fold it here.  A fold is a ``str.translate`` table made into a fast function
by :func:`translator`.
"""

from __future__ import annotations

import functools
import re
from typing import Callable

__all__ = ["translator", "FULLWIDTH", "fold_fullwidth"]

# Full-width ASCII (！ … ～) as ASCII; the ideographic and the no-break space as a space;
# zero-width space and byte-order mark dropped.
FULLWIDTH: dict[int, int | None] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x200B: None, 0xFEFF: None})


def translator(table: dict[int, int | str | None]) -> Callable[[str], str]:
    """``str.translate(table)`` as a function that touches only the characters it maps.

    ``translate`` looks every character of a non-ASCII string up in the table (~0.1 µs
    each); in report text, mostly folded already, finding the few that change is ~10×
    faster.

    >>> translator({0xFF08: 0x28, 0x200B: None})("（一）\u200b")
    '(一）'
    """
    by_char = {chr(k): "" if v is None else v if isinstance(v, str) else chr(v) for k, v in table.items()}
    pattern = re.compile("[" + "".join(map(re.escape, sorted(by_char))) + "]")

    def replace(m: re.Match) -> str:
        return by_char[m.group()]

    return functools.partial(pattern.sub, replace)


fold_fullwidth = translator(FULLWIDTH)
