"""Character folding, shared by the stages that look at characters (language layer).

The folding table is data (``nlp/data/lexicon/chars.yaml``): full-width ASCII forms,
spaces of other widths, invisible characters.  :func:`translator` turns a table into
a fast ``str.translate``; :func:`fold_char` folds one character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable

from nlp import lexicon

__all__ = ["FULLWIDTH", "SPACES", "ZERO_WIDTH", "IDEOGRAPH_VARIANTS", "WIDTH_FOLD", "translator", "fold_char",
           "fold_fullwidth", "is_ideograph"]

_DATA = lexicon.load("chars")
_FIRST, _LAST = _DATA["fullwidth"]
#: Full-width ASCII form → its ASCII code point (``（`` → ``(``), one for one.
FULLWIDTH: dict[int, int] = {c: c - 0xFEE0 for c in range(_FIRST, _LAST + 1)}
#: Spaces that fold to one ASCII space.
SPACES = frozenset(_DATA["spaces"])
#: Invisible characters that are dropped.
ZERO_WIDTH = frozenset(_DATA["zero_width"])


def _variants(ranges: list[list[int]]) -> dict[int, int]:
    out = {}
    for first, last in ranges:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                out[code] = ord(folded)
    return out


#: A radical or compatibility ideograph → the ideograph it stands for (``⾏`` → ``行``, ``⺠`` → ``民``).
IDEOGRAPH_VARIANTS: dict[int, int] = {**_variants(_DATA["ideograph_variants"]),
                                      **{ord(k): ord(v) for k, v in _DATA["radical_ideographs"].items()}}


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


def fold_char(ch: str) -> str:
    """One character's folded form ('' to drop it).

    >>> fold_char("（"), fold_char("３"), fold_char("，"), fold_char("\\u3000"), fold_char("\\u200b")
    ('(', '3', ',', ' ', '')
    >>> fold_char("。"), fold_char("⾏"), fold_char("⼀"), fold_char("⺠")
    ('。', '行', '一', '民')
    """
    code = ord(ch)
    if _FIRST <= code <= _LAST:
        return chr(code - 0xFEE0)
    if code in IDEOGRAPH_VARIANTS:
        return chr(IDEOGRAPH_VARIANTS[code])
    if ch in SPACES:
        return " "
    if ch in ZERO_WIDTH:
        return ""
    return ch


#: The fold the trained models' inputs were built with: full-width forms and the two
#: commonest wide spaces (the extractor's tokens; the segmenter's features also drop the
#: zero-width space and the BOM).  Narrower than :func:`fold_char` on purpose: text
#: reaching the models is normalized already, and these keep their features exactly as
#: they were trained.
WIDTH_FOLD: dict[int, int | None] = {**FULLWIDTH, 0x3000: 0x20, 0xA0: 0x20}
fold_fullwidth = translator({**WIDTH_FOLD, 0x200B: None, 0xFEFF: None})


def is_ideograph(ch: str) -> bool:
    r"""An ideograph (CJK extension A and the unified block).  A comparison, not a character
    class: compiling ``[\u3400-\u9fff]`` walks its 27,000 code points at every start (2–4 ms).

    >>> is_ideograph("局"), is_ideograph("。"), is_ideograph("1"), is_ideograph("")
    (True, False, False, False)
    """
    return "\u3400" <= ch <= "\u9fff"

