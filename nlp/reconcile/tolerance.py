"""How far a narrative figure may lie from the table value it states: its qualifier word
(近600, 200余, 约50, 不到100, 100以上) and the range of true counts that word allows.

The words and their ranges are ``nlp/data/lexicon/qualifiers.yaml``, read through
:func:`nlp.lexicon.qualifiers` (:meth:`~nlp.lexicon.Qualifier.bounds`) — the same table
the value parser and the synthetic generator use, so the three agree on every qualifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.lexicon import Qualifier, place_value, qualifier_words, qualifiers

__all__ = ["Tolerance", "qualifier", "tolerance_for", "place_value", "ABOUT_SLACK"]

# An "about" figure (约50, or an approximate figure with no word) also allows half a unit
# either way: 约0.5万元 is not a claim to a tenth of a 万元.
ABOUT_SLACK = 0.5
# How far before a figure its qualifier is looked for (接近 …, 未超过 …).
_BEFORE_CHARS = 4


@dataclass(frozen=True)
class Tolerance:
    """Which table values a narrative figure is compatible with: ``low <= t <= high``."""

    low: float
    high: float
    word: str | None = None

    def accepts(self, value: float) -> bool:
        eps = 1e-6 * max(1.0, abs(value))
        return self.low - eps <= value <= self.high + eps


def _approximate(position: str) -> tuple[Qualifier, ...]:
    """The words that make a figure approximate, at one position, longest first (emphasis
    such as 多达 makes the figure no less exact)."""
    return tuple(q for q in qualifiers() if q.position == position and q.approximate)


def qualifier(text: str, start: int, end: int, span_text: str = "") -> str | None:
    """The approximation word around a fact span (inside it, right after, or before it).

    >>> qualifier("清理不规范信息200余条", 7, 12, "200余条")
    '余'
    >>> qualifier("推送信息近 600 条", 5, 10, "600 条")
    '近'
    >>> qualifier("受理申请100件以上", 4, 8)
    '以上'
    >>> qualifier("收到申请不到100件", 6, 10), qualifier("不超过5件", 3, 5)
    ('不到', '不超过')
    >>> qualifier("共 3 件", 2, 5) is None, qualifier("多达300件", 2, 6) is None
    (True, True)
    """
    inside = span_text or text[start:end]
    before = text[max(0, start - _BEFORE_CHARS):start].rstrip()
    after = text[end:end + 3].lstrip()
    for q in _approximate("inside"):
        if q.word in inside:
            return q.word
    for q in _approximate("after"):
        if q.word in inside or after.startswith(q.word):
            return q.word
    for q in _approximate("before"):
        if before.endswith(q.word):
            return q.word
    return None


def _about_word() -> str:
    """The word shown for an approximate figure written with none (约)."""
    return next(q.word for q in reversed(qualifiers()) if q.kind == "about" and q.position == "before")


def tolerance_for(value: float, approx: bool, word: str | None) -> Tolerance:
    """Compatible table values for a narrative figure and its qualifier word.

    >>> tolerance_for(200, True, "余")          # 200余: at least 200, below 300
    Tolerance(low=200, high=299.999, word='余')
    >>> t = tolerance_for(600, True, "近"); (t.accepts(580), t.accepts(510), t.accepts(601), t.accepts(400))
    (True, True, False, False)
    >>> t = tolerance_for(100, True, "以上"); (t.accepts(100), t.accepts(5000), t.accepts(99))
    (True, True, False)
    >>> t = tolerance_for(100, True, "不到"); (t.accepts(60), t.accepts(100), t.accepts(101))
    (True, True, False)
    >>> t = tolerance_for(50, True, "约"); (t.accepts(54), t.accepts(60))
    (True, False)
    >>> tolerance_for(3, False, None).accepts(3)
    True
    """
    if not approx and word is None:
        return Tolerance(value, value, None)
    q = qualifier_words().get(word) if word else None
    if q is None or not q.approximate:  # approximate with no word read: about the figure
        q = qualifier_words()[_about_word()]
        word = word or q.word
    low, high = q.bounds(value)
    if q.direction == "about":
        slack = max(high - value, value - low, ABOUT_SLACK)
        low, high = value - slack, value + slack
    return Tolerance(low, high, word)
