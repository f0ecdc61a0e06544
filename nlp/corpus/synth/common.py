"""What every part of the generator shares: the word data, numerals, and the one way to
draw from a list (``rng_choice``: its draws are part of every seed's corpus, so it stays)."""

from __future__ import annotations

import random
from typing import Any, Mapping

from nlp import lexicon


def phrases() -> Mapping[str, Any]:
    """The sentence inventory (``nlp/data/lexicon/synth_phrases.yaml``)."""
    return lexicon.load("synth_phrases")


def narrative_topics() -> Mapping[str, dict]:
    """``narrative.*`` id → {desc, range, units, label} (``nlp/data/lexicon/narrative_topics.yaml``)."""
    return lexicon.load("narrative_topics")["topics"]


def words() -> Mapping[str, Any]:
    """The generator's other words: numerals, name parts, table labels, leads
    (``nlp/data/lexicon/synth.yaml``)."""
    return lexicon.load("synth")


NUMERALS = words()["numerals"]
SECTION_NO = list(NUMERALS["section_no"])   # 一、 二、 … and （一） （二） …


def cn_int(n: int) -> str:
    """Chinese numeral for 0 ≤ n < 100000, as reports write counts.

    >>> [cn_int(x) for x in (0, 2, 10, 12, 20, 105, 3200, 1010)]
    ['零', '二', '十', '十二', '二十', '一百零五', '三千二百', '一千零一十']
    """
    digits, zero = NUMERALS["digits"], NUMERALS["zero"]
    if n == 0:
        return zero
    if n < 0 or n >= 100000:
        raise ValueError(n)
    units = NUMERALS["powers"]
    out, zero_pending, started = [], False, False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero_pending:
                out.append(zero)
            out.append(digits[d] + name)
            zero_pending, started = False, True
        elif started and n:
            zero_pending = True
    s = "".join(out)
    return s[1:] if s.startswith(NUMERALS["ten_lead"]) else s


def trim_decimal(x: float, places: int) -> str:
    """
    >>> trim_decimal(3.4690, 4), trim_decimal(12.0, 2), trim_decimal(0.5, 2)
    ('3.469', '12', '0.5')
    """
    s = f"{x:.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def rng_choice(rng: random.Random, seq: list) -> Any:
    return seq[rng.randrange(len(seq))]
