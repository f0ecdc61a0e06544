"""What a figure's words say about what it counts: its sentence and clause, the cells its
words name, the period it speaks of, zero claims and what they deny, and the scope marks
(channel, unit, topic, period, way of disclosure) that tell two figures of one quantity
from a part and its whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp import lexicon
from nlp.claims import CLAIM_END, scope_rules, zero_claim, zero_scope
from nlp.indicators import INDICATORS, is_composite, is_table_id, registry
from nlp.periods import LAST_YEAR_WORDS, figure_year
from nlp.reconcile.cells import cells_of
from nlp.types import Fact

_WORDS = lexicon.load("reconcile")  # nlp/data/lexicon/reconcile.yaml


# How far back a figure's sentence is read (characters).  Real sentences are far shorter;
# the cap keeps a hostile line of 300,000 characters without a sentence end linear
# (every figure's scope words were read from the line's start: 151 s on one fuzzed input).
MAX_SENTENCE = 400


def sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts (sentences end at 。！？ or a newline);
    looks back only as far as its line, so a long report costs no more per figure.

    >>> t = "发布通知188条，党务信息3条。全年发布信息200条。"
    >>> sentence_start(t, 4), sentence_start(t, 12), sentence_start(t, 22)
    (0, 0, 16)
    """
    start = max(0, offset - MAX_SENTENCE)  # a line with no sentence end must not cost a scan per figure
    for mark in "\n。！？!?":  # each search stops at the latest end found so far
        start = max(start, text.rfind(mark, start, offset) + 1)
    return start


def clause_head(text: str, fact: Fact) -> str:
    """The words of the figure's clause before it.

    >>> clause_head("上年结转0件，本年度办结39件。", Fact(12, 15, "39件", "COUNT", 39))
    '本年度办结'
    """
    return _last_clause(text[sentence_start(text, fact.start):fact.start])


def _last_clause(words: str) -> str:
    """The words after the last clause end (the clause a figure sits in, up to it)."""
    return words[max((m.end() for m in CLAIM_END.finditer(words)), default=0):]


def cells_named(text: str, fact: Fact, template: str = "2021") -> tuple[str, ...]:
    """The cell the words of a figure's own clause name, by the ``zero_scopes`` rules (which
    say what words name which cells; here for a figure, not a denial): the words before the
    figure and the rest of its clause (1件结转下年度继续办理) — but not a bracket after it,
    which describes its parts (处理申请1717件（包含上年结转76件）); when several rules meet
    the words, they name nothing for sure.

    >>> t = "本年度办结10件，1件结转下年度继续办理。处理申请1717件（包含上年结转76件）。"
    >>> cells_named(t, Fact(9, 11, "1件", "COUNT", 1)), cells_named(t, Fact(25, 30, "1717件", "COUNT", 1717))
    (('requests.carried_forward.total',), ())
    """
    tail = zero_claim(text, fact)[len(fact.text):]
    return _named_by(clause_head(text, fact) + ("" if tail.lstrip().startswith(_OPEN_BRACKETS) else tail), template)


@lru_cache(maxsize=4096)
def _named_by(words: str, template: str) -> tuple[str, ...]:
    """The one cell the naming rules give these words, or () (none, or several)."""
    named = {zero_scope(words, template, figure=True, rule=r) for r in scope_rules()}
    named.discard(())
    return named.pop() if len(named) == 1 else ()


_NOT_THIS_YEAR_WORDS = lexicon.words("reconcile", "not_this_year", "words")


_NOT_THIS_YEAR = tuple(re.compile(p) for p in _WORDS["not_this_year"]["patterns"])


_OPEN_BRACKETS = lexicon.words("punctuation", "open_brackets")


def other_period(text: str, fact: Fact, year: int | None, indicator: str = "") -> bool:
    """Does the figure's clause speak of another period than the report's year (上年, 同比,
    1-6月, or a year other than ``year``)?  Such a figure is not this year's table figure —
    unless the cell's own label names that period (二、上年结转…: a cell of this year's table).

    >>> t = "2022年收到申请5件，同比增加2件，2023年收到申请7件，上年结转1件。"
    >>> [other_period(t, Fact(s, s + 2, "", "COUNT", 1), 2023) for s in (9, 16, 25, 33)]
    [True, True, False, True]
    >>> other_period(t, Fact(33, 35, "", "COUNT", 1), 2023, "requests.carried_over.total")
    False
    """
    before = text[sentence_start(text, fact.start):fact.start]  # the sentence up to the figure
    said = figure_year(before)
    if year is not None and said is not None and said != int(year):
        # 2020年…行政许可33项 in the report for 2021 is this table's 上一年项目数量
        return not (said == int(year) - 1 and any(w in _period_label(indicator) for w in LAST_YEAR_WORDS))
    if several_years(before, year):
        return True
    head = _last_clause(before)
    found = [w for w in _NOT_THIS_YEAR_WORDS if w in head] + [m.group() for p in _NOT_THIS_YEAR for m in p.finditer(head)]
    return bool(found) and any(w not in _period_label(indicator) for w in found)


@lru_cache(maxsize=1024)
def _period_label(indicator: str) -> str:
    """The row and column labels of the id's cells: the period they name (二、上年结转, 上一年项目数量)."""
    if not indicator:
        return ""
    return "".join(INDICATORS[c].row + INDICATORS[c].column for c in
                   (*cells_of(indicator, "2021"), *cells_of(indicator, "2019")) if c in INDICATORS)


_SEVERAL_YEARS = re.compile("|".join(_WORDS["several_years"]["patterns"]))
_SINCE_YEAR = re.compile(_WORDS["several_years"]["since_year"])
_THIS_YEAR = tuple(_WORDS["several_years"]["this_year"])


def several_years(words: str, year: int | None) -> bool:
    """Do the words before a figure in its sentence speak of several years (近三年, 多年来,
    2019年以来 in a later year's report)?

    >>> several_years("2019年以来，累计受理", 2023), several_years("2023年以来，共受理", 2023)
    (True, False)
    >>> several_years("近三年共受理", None), several_years("今年以来，共受理", 2023)
    (True, False)
    >>> several_years("2019年以来累计受理申请120件，今年受理", 2023)
    False
    """
    ends = [m.end() for m in _SEVERAL_YEARS.finditer(words)]
    if year is not None:
        ends += [m.end() for m in _SINCE_YEAR.finditer(words) if int(m.group(1)) < int(year)]
    if not ends:
        return False
    after = words[max(ends):]
    return not any(w in after for w in _THIS_YEAR) and not (year is not None and f"{year}年" in after)


def names_cells_object(text: str, fact: Fact, indicator: str, template: str) -> bool:
    """Does the figure's sentence, up to the end of its clause, name what every cell of the id counts?
    Only then is an exact figure that misses its cell a definite disagreement: otherwise
    the link itself may be wrong.

    >>> t = "收到政府信息公开申请44件。本年度办结39件。"
    >>> names_cells_object(t, Fact(10, 13, "44件", "COUNT", 44), "requests.new.total", "2021")
    True
    >>> names_cells_object(t, Fact(19, 22, "39件", "COUNT", 39), "requests.total.total", "2021")
    False
    >>> t = "（二）依申请公开情况。本年度共收到3件。"  # a run-in heading names it for its paragraph
    >>> names_cells_object(t, Fact(17, 19, "3件", "COUNT", 3), "requests.new.total", "2021")
    True
    """
    start = sentence_start(text, fact.start)
    words = run_in_heading(text, start) + text[start:fact.start] + zero_claim(text, fact)  # 收到1件…申请
    return all(_object_named(cid, words) for cid in cells_of(indicator, template))


RUN_IN_HEADING_CHARS = 16  # a numbered first sentence this short is the paragraph's heading


_HEADING_NUMBER = re.compile(_WORDS["heading_number"])


def run_in_heading(text: str, start: int) -> str:
    """The paragraph's first sentence when it is short enough to be a heading printed at the
    start of the paragraph (（二）依申请公开情况。本年度共收到3件…), for a sentence at
    ``start`` after it; else nothing.

    >>> t = "（二）依申请公开情况。本年度共收到3件。全年办结3件。"
    >>> run_in_heading(t, 11), run_in_heading(t, 0), run_in_heading("本年度共收到3件。全年办结3件。", 9)
    ('（二）依申请公开情况。', '', '')
    """
    line = text.rfind("\n", 0, start) + 1
    ends = [i for i in (text.find(m, line, start) for m in "。！？：:") if i >= 0]
    if line == start or not ends or min(ends) + 1 - line > RUN_IN_HEADING_CHARS:
        return ""
    first = text[line:min(ends) + 1]
    return first if _HEADING_NUMBER.match(first) else ""


def _object_named(indicator: str, words: str) -> bool:
    for prefix, spec in registry().objects.items():
        if indicator.startswith(prefix):
            return any(w in words for w in spec.get("words", ()))
    return True


def is_compared(indicator: str | None) -> bool:
    """A table cell or a composite of cells: what a narrative figure is compared with."""
    return is_table_id(indicator) or is_composite(indicator)


def compared_id(linked: str, named: tuple[str, ...], template: str = "2021") -> tuple[str, bool]:
    """The id a figure is compared with, and whether its words confirm its link.  When the
    words of its clause name one cell of another row (1件结转下年度继续办理 linked to
    本年新收), the figure is compared with what its words name, never as a definite error:
    the words and the link disagree.  Cells of one row or group (行政复议3件、维持2件) do
    not overrule the link: the naming rules name a family by its total.

    >>> compared_id("requests.new.total", ("requests.carried_forward.total",))
    ('requests.carried_forward.total', False)
    >>> compared_id("review.upheld", ("review.total",)), compared_id("requests.received.total", ("requests.new.total",))
    (('review.upheld', True), ('requests.received.total', True))
    """
    if len(named) != 1:
        return linked, True
    own, other = cells_of(linked, template), cells_of(named[0], template)
    if any(_same_row(a, b) for a in own for b in other):
        return linked, True
    return named[0], False


def _same_row(a: str, b: str) -> bool:
    x, y = INDICATORS.get(a), INDICATORS.get(b)
    return x is not None and y is not None and x.table == y.table and x.row_id == y.row_id


# Counter words that count the same kind of thing; figures in different groups
# (六个 accounts vs 980条 posts, 4期 trainings vs 5件 requests) are not one quantity.
UNIT_GROUPS = lexicon.units().groups


def same_kind(a: str | None, b: str | None) -> bool:
    """
    >>> same_kind("件", "条"), same_kind("个", "条"), same_kind(None, "期")
    (True, False, True)
    """
    if not a or not b:
        return True
    return UNIT_GROUPS.get(a, a) == UNIT_GROUPS.get(b, b)


_CLAUSE_END = re.compile(r"[，。；：,;:！？!?\n、（）()]")


_FILLER = frozenset(_WORDS["filler"])


def counted_words(text: str, fact: Fact) -> set[str]:
    """Content characters of the words right before a figure (up to 6 characters, inside
    its clause), and right after it when its clause goes on: the noun that says what it
    counts.  Further back a clause often names
    the agency or the portal, which two different figures share (通过门户网站公开公文6件,
    依托门户网站专栏发布46条).

    >>> t = "全年共主动公开政府信息39条"
    >>> sorted(counted_words(t, Fact(11, 14, "39条", "COUNT", 39)))
    ['信', '府', '息', '政']
    >>> t = "全年共发布196条各类政府信息。"
    >>> sorted(counted_words(t, Fact(5, 9, "196条", "COUNT", 196)))
    ['信', '府', '息', '政']
    """
    if fact.label == "ZERO":
        words = fact.text
    else:
        head = text[max(0, fact.start - 6):fact.start]
        words = head[max((m.end() for m in _CLAUSE_END.finditer(head)), default=0):]
        # a figure before what it counts (共发布196条各类政府信息): the words after it too
        tail = text[fact.end:fact.end + 6]
        end = _CLAUSE_END.search(tail)
        words += tail[:end.start() if end else len(tail)]
    return {c for c in words if _is_cjk(c) and c not in _FILLER}


def _is_cjk(char: str) -> bool:
    return 0x4E00 <= ord(char) <= 0x9FFF


_BREAKDOWN = re.compile("|".join(_WORDS["breakdown"]["patterns"]))


def is_breakdown(text: str, fact: Fact) -> bool:
    """Is the figure a part listed after 其中 (or 在…中) in its sentence?

    >>> t = "受理业务1471项，其中：许可类1291项；其他事项4件。政务服务事项54项。在公开的信息中，公告3条。"
    >>> [is_breakdown(t, Fact(a, b, "", "COUNT", 1)) for a, b in ((26, 28), (35, 38), (49, 51))]
    [True, False, True]
    """
    return _BREAKDOWN.search(text, sentence_start(text, fact.start), fact.start) is not None


@dataclass(frozen=True)
class _MarkerKind:
    name: str
    exclusive: bool
    words: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]


_MARKERS = tuple(
    _MarkerKind(name, spec.get("compare") == "exclusive", tuple(spec.get("words") or ()),
                tuple(re.compile(p) for p in spec.get("patterns") or ()))
    for name, spec in _WORDS["scope_markers"].items())


def scope_marks(text: str, fact: Fact) -> dict[str, frozenset[str]]:
    """What the figure's sentence names before it that narrows what it counts, by kind
    (``scope_markers`` of reconcile.yaml: channel, unit, topic, period, mode).

    >>> t = "全年主动公开信息2088条。新媒体发布各类信息1495条。"
    >>> scope_marks(t, Fact(8, 13, "2088条", "COUNT", 2088))["channel"], scope_marks(t, Fact(25, 30, "1495条", "COUNT", 1495))["channel"]
    (frozenset(), frozenset({'媒体'}))
    """
    before = text[sentence_start(text, fact.start):fact.start]
    return {k.name: frozenset([w for w in k.words if w in before] + [m.group() for p in k.patterns
                                                                     for m in p.finditer(before)])
            for k in _MARKERS}


_INCLUDES = lexicon.words("reconcile", "includes")


def includes_more(text: str, fact: Fact) -> bool:
    """Does a bracket right after the figure say it includes another quantity?

    >>> t = "处理申请1717件（包含上年结转76件），收到申请1641件（其中网上申请1156件）"
    >>> includes_more(t, Fact(4, 9, "1717件", "COUNT", 1717)), includes_more(t, Fact(26, 31, "1641件", "COUNT", 1641))
    (True, False)
    """
    after = text[fact.end:fact.end + 8].lstrip()
    return after.startswith(_OPEN_BRACKETS) and any(w in after[1:6] for w in _INCLUDES)


_SHARE_AFTER = re.compile(_WORDS["share_after"])


def is_share(text: str, fact: Fact) -> bool:
    """Does the figure go on to say what share of a whole it is (354条，占75%)?

    >>> t = "全年发布业务信息354条，占75%。"
    >>> is_share(t, Fact(8, 12, "354条", "COUNT", 354))
    True
    """
    return _SHARE_AFTER.match(text, fact.end) is not None


def scope_key(marks: dict[str, frozenset[str]]) -> tuple[frozenset[str], ...]:
    """The marks two figures of one quantity must share exactly (the ``compare: same``
    kinds): figures with different keys never have :func:`same_scope`.

    >>> t = "主动公开信息860条。督促部门发布信息300条。"
    >>> m = [scope_marks(t, Fact(s, s + 1, "", "COUNT", 1)) for s in (6, 17)]
    >>> scope_key(m[0]) == scope_key(m[1]), same_scope(m[0], m[1])
    (False, False)
    """
    return tuple(marks[k.name] for k in _MARKERS if not k.exclusive)


def same_scope(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]) -> bool:
    """Do two figures' scope words allow them to count one quantity?

    >>> t = "主动公开信息860条。督促部门发布信息300条。依申请公开信息3件。公开信息5条。"
    >>> m = [scope_marks(t, Fact(s, s + 1, "", "COUNT", 1)) for s in (6, 17, 27, 34)]
    >>> same_scope(m[0], m[1]), same_scope(m[0], m[2]), same_scope(m[0], m[3])
    (False, False, True)
    """
    for k in _MARKERS:
        x, y = a[k.name], b[k.name]
        if k.exclusive and x and y and not x & y:
            return False
        if not k.exclusive and x != y:
            return False
    return True
