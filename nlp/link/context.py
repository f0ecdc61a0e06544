"""A document as the linker reads it: sentences, clauses and the heading above a figure.

Sentences end at 。；！？ and line ends; clauses also at ，、：and brackets.  Every lookup
is bounded (``MAX_SENTENCE``) and the stops of a text are found once, so work stays
linear in the length of a text however hostile it is.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re

import numpy as np

from nlp import lexicon
from nlp.types import Line, lines_of

__all__ = ["BREAKDOWN", "MAX_SENTENCE", "SENT_END", "sentence_bounds", "clause_start", "clause_end", "period_start",
           "group_start", "fold_digits", "ngram_names", "DocContext"]

SENT_END = "。；;！？!?\n"
_DIGIT = re.compile(r"\d")
_CLAUSE_END = SENT_END + "，,、：:（）()+＋"  # (新收20件+上年结转1件: a sum's parts)
_HEADING_RE = re.compile(lexicon.load("linking")["heading_number"])

MAX_SENTENCE = 2000  # characters either side of a fact: no report sentence is longer


@functools.lru_cache(maxsize=1024)  # asked for each fact by several features; a text's hash is kept
def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (split on 。；！？ and newlines), at most
    ``MAX_SENTENCE`` characters either side of the span: a text without stops (a
    hostile input, a table run together) costs each fact a bounded window, so work
    stays linear in the length of the text.

    >>> t = "概述。共收到申请44件，其中网上申请42件。下一句"
    >>> s, e = sentence_bounds(t, 8, 11); t[s:e]
    '共收到申请44件，其中网上申请42件'
    >>> sentence_bounds("件" * 5000, 2500, 2502)
    (500, 4502)
    """
    stops = _sentence_stops(text)
    k = bisect.bisect_left(stops, start)  # stops before start: stops[:k]
    s = stops[k - 1] + 1 if k else 0
    k = bisect.bisect_left(stops, end, lo=k)
    e = stops[k] if k < len(stops) else len(text)
    return max(s, start - MAX_SENTENCE), min(e, end + MAX_SENTENCE)


# What each character of the Basic Multilingual Plane (every stop is in it) ends: bit 1 a
# clause, bit 2 a sentence (a sentence end ends its clause too).
_ENDS = np.zeros(0x10000, dtype=np.uint8)
_ENDS[[ord(c) for c in _CLAUSE_END]] = 1
_ENDS[[ord(c) for c in SENT_END]] = 3


# The digits of the Basic Multilingual Plane, by code point: those ``\d`` matches.
_BMP_DIGIT = np.zeros(0x10000, dtype=bool)


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text``, one per character as ``str`` indexes them."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _text_of(codes: np.ndarray) -> str:
    return codes.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


_BMP_DIGIT[[m.start() for m in _DIGIT.finditer(_text_of(np.arange(0x10000)))]] = True


@functools.lru_cache(maxsize=8)
def _stops(text: str) -> tuple[list[int], list[int]]:
    """Offsets of every sentence end and of every clause end (sentence ends included) in
    ``text``, found once per document, in one pass: each character's ``_ENDS`` read by its
    code point in numpy (a regex match object per stop cost three times as much).

    >>> _stops("共收到申请44件，其中网上申请42件。\\n")
    ([18, 19], [8, 18, 19])
    """
    ends = _ENDS[np.minimum(_code_points(text), 0xFFFF)]
    return np.flatnonzero(ends & 2).tolist(), np.flatnonzero(ends).tolist()


def _sentence_stops(text: str) -> list[int]:
    """Offsets of every sentence end in ``text``."""
    return _stops(text)[0]


def _clause_stops(text: str) -> list[int]:
    """Offsets of every clause end (sentence ends included)."""
    return _stops(text)[1]


def clause_start(text: str, start: int, floor: int) -> int:
    """Where the clause holding ``start`` begins (after ，、；： …), not before ``floor``.

    >>> t = "共收到申请44件，其中网上申请42件、当面申请2件"
    >>> t[clause_start(t, 23, 0):23]
    '当面申请'
    """
    if start <= floor:
        return start
    stops = _clause_stops(text)
    k = bisect.bisect_left(stops, start)  # the last clause end before start: stops[k - 1]
    return max(floor, stops[k - 1] + 1) if k else floor


def clause_end(text: str, end: int, ceil: int) -> int:
    """Where the clause holding ``end`` stops.

    >>> t = "办结39件，结转5件"
    >>> t[4:clause_end(t, 4, len(t))]
    '件'
    """
    if end >= ceil:
        return end
    stops = _clause_stops(text)
    k = bisect.bisect_left(stops, end)
    return min(ceil, stops[k]) if k < len(stops) else ceil


def period_start(text: str, pos: int) -> int:
    """Where the text before ``pos`` last ends a sentence with 。 or a line (within 200
    characters): ； joins the outcomes of one group (复议3件；维持2件；1件尚未审结).

    >>> period_start("概述。行政复议3件；维持2件", 12)
    3
    """
    return max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos), pos - 201) + 1


BREAKDOWN = lexicon.load("linking")["breakdown"]  # 其中: what opens the parts of a whole


def group_start(text: str, pos: int) -> int:
    """:func:`period_start`, or, when that sentence opens a breakdown (其中结果维持1件…),
    the start of the sentence before it, which states the whole the parts belong to
    (行政复议2件。其中结果维持1件).

    >>> t = "概述。行政复议2件。其中结果维持1件"
    >>> group_start(t, 17), period_start(t, 17)
    (3, 10)
    """
    start = period_start(text, pos)
    if start > 0 and text.startswith(BREAKDOWN, start):
        return period_start(text, start - 1)
    return start


def fold_digits(s: str) -> str:
    """Other figures are not features: digits → ``#``.

    >>> fold_digits("2023年收到44件")
    '####年收到##件'
    """
    return _DIGIT.sub("#", s)


@functools.lru_cache(maxsize=4)
def folded_text(text: str) -> str:
    """:func:`fold_digits` of a whole document, once: a digit becomes one ``#``, so
    ``folded_text(text)[a:b] == fold_digits(text[a:b])``.  Folding each fact's windows
    apart was quadratic on a line of hundreds of thousands of characters with thousands
    of figures (the clause before a fact has no bound there).  The text's hash is kept
    by the string itself: a lookup does not read it again.

    The digits of the Basic Multilingual Plane are replaced in numpy, by code point (the
    regex built a match per digit, and a report's tables are mostly digits); a text with
    characters beyond it (a digit among them may be one ``\\d`` knows) is folded by the regex.

    >>> t = "2023年收到44件"
    >>> folded_text(t)[5:10] == fold_digits(t[5:10]) == "收到##件"
    True
    >>> folded_text("𝟐０2件") == fold_digits("𝟐０2件") == "###件"
    True
    """
    codes = _code_points(text)
    if codes.size and codes.max() > 0xFFFF:
        return _DIGIT.sub("#", text)
    return _text_of(np.where(_BMP_DIGIT[codes], ord("#"), codes))


@functools.lru_cache(maxsize=16384)
def ngram_names(s: str, prefix: str, n_max: int) -> tuple[str, ...]:
    """``prefix:gram`` for every n-gram of ``s`` up to ``n_max``, shortest first, each once.

    Cached: context windows ("共收到", "件，其中") repeat across facts and reports.  A miss
    (every window of a report never seen) makes each n-gram's name as the (n-1)-gram's
    name plus its last character: one new string per name, no slice thrown away, and the
    loop over characters runs inside ``map``.

    >>> ngram_names("收到件", "C", 2)
    ('C:收', 'C:到', 'C:件', 'C:收到', 'C:到件')
    """
    if n_max < 1:
        return ()
    names = list(map((prefix + ":").__add__, s))
    grams = names  # names of the n-grams at position 0, 1, …
    for n in range(2, n_max + 1):
        grams = list(map(operator.add, grams, s[n - 1:]))  # stops at the last whole n-gram
        names += grams
    return tuple(dict.fromkeys(names))


class DocContext:
    """Per-document lookups: line of an offset, its section, the heading above it, and the
    table template the report uses (the one the tables stage found; None when unknown)."""

    def __init__(self, text: str, lines: list[Line] | None = None, template: str | None = None):
        self.text = text
        self.lines = lines if lines else lines_of(text)
        self.starts = [ln.start for ln in self.lines]
        self._above: dict[int, str] = {}  # line index → its heading, for the lines walked over
        self.template = template if template and template != "unknown" else None
        self.candidates: dict[tuple[int, int], list[str]] = {}  # a fact's span → its table ids

    def line_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def section(self, offset: int) -> str:
        return self.lines[self.line_index(offset)].section or "unknown"

    def heading(self, offset: int) -> str:
        """The line's own heading (a heading line holding a fact) or the nearest above.

        Found walking up from the line, and kept for every line walked over: each line is
        read at most once (walking up from every fact was quadratic in long texts without
        headings), and lines no fact asks about (the tables, mostly) are never read."""
        if not self.lines:
            return ""
        above, i = self._above, self.line_index(offset)
        walked = []
        while i >= 0 and i not in above:
            found = self._heading_text(i)
            if found:
                above[i] = found
                break
            walked.append(i)
            i -= 1
        found = above.get(i, "")
        for j in walked:
            above[j] = found
        return found

    def _heading_text(self, i: int) -> str:
        """Line ``i``'s text if it is a heading, else ''."""
        ln = self.lines[i]
        line_text = self.text[ln.start:ln.end].strip()
        if 0 < len(line_text) <= 40 and (ln.heading or _HEADING_RE.match(line_text)):
            return line_text
        return ""
