"""Which text the extractor reads, and the facts its spans state — shared by every backend.

A document's narrative blocks (``Work.spans``) are cut into sentences; only the
sentences that can hold a fact (:func:`is_candidate`) are read; long ones may be cut at
commas into clause pieces (:func:`clause_pieces`).  The model always reads width-folded
text (:func:`fold_width`: offsets unchanged).  A predicted span becomes a :class:`Fact`
through :func:`fact_from_span` (value, unit and approximation by ``nlp.numbers``).

The words (candidate numerals, zero-claim openers, negations, counters) are
``nlp/data/lexicon/extract.yaml``.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from nlp import lexicon
from nlp.chars import WIDTH_FOLD, translator
from nlp.claims import CLAIM_END
from nlp.component import Work
from nlp.numbers import NUMERAL_CHARS, parse_quantity
from nlp.types import Document, Fact, lines_of

__all__ = ["COUNTERS", "CANDIDATE_RE", "ZERO_RE", "ZERO_TOPIC", "fold_width", "mask_thresholds", "prose_spans",
           "sentence_spans", "with_list_siblings", "with_thing_counts", "clause_pieces", "is_candidate", "fact_from_span", "text_work"]

_WORDS = lexicon.load("extract")
_CANDIDATE = _WORDS["candidate"]

# Chinese counters (量词) a count can take (training swaps them; units.yaml `extract_counters`).
COUNTERS: tuple[str, ...] = lexicon.words("units", "extract_counters")
# The label a figure's unit decides (380元 is MONEY, 12% PERCENT, whatever the network said:
# money is rare in its training sentences, and it called some amounts counts)
_LABEL_OF_UNIT = {**{u: "MONEY" for u in lexicon.words("units", "money")},
                  **{u: "PERCENT" for u in lexicon.words("units", "percent")}}
# A sentence can hold a fact when it has a digit, a Chinese numeral run just before a
# counter/unit character, or a word that can open a zero claim.
CANDIDATE_RE = re.compile(
    r"[0-9０-９]"
    rf"|[{_CANDIDATE['numerals']}]+(?:{lexicon.pattern('qualifiers', 'extract_inside', longest_first=False).pattern})?"
    rf"[{re.escape(''.join(sorted(set(''.join(COUNTERS)))) + _CANDIDATE['unit_chars'])}]"
    rf"|{lexicon.pattern('extract', 'candidate', 'zero_openers').pattern}"
)

_SENT_END = re.compile(r"[。；;！!？?]")
_CLAIM_TRAIL = re.compile(r"[\s。；;！!？?，,、：:]")  # what a claim's span never ends with
# A comma that is not a thousands separator: no fact spans one (checked on every gold
# fact of the corpus and realdev), so a long sentence can be cut there.
_CLAUSE_CUT = re.compile(r"[，,](?![0-9])|(?<![0-9]),")
_NEGATION = lexicon.pattern("extract", "negations")
_NEGATION_LOOKALIKE = lexicon.pattern("extract", "negation_lookalikes")


def _says_none(words: str, lead: int = 0) -> bool:
    """Do the words, from ``lead`` on, hold a negation that says "none" (not one inside 无效,
    不断 …)?  The words before ``lead`` only tell a lookalike the negation is part of (前所
    before 未有: a span that starts inside 前所未有)."""
    masked = _NEGATION_LOOKALIKE.sub(lambda m: "#" * len(m.group()), words)
    return _NEGATION.search(masked, lead) is not None


# characters before a span a lookalike can start in (前所 of 前所未有)
_LOOKALIKE_LEAD = max(map(len, lexicon.words("extract", "negation_lookalikes"))) - 1
_TITLE_OPEN, _TITLE_CLOSE = lexicon.words("extract", "title_marks")
_LIST_JOINS = "".join(lexicon.words("extract", "list_joins"))
_NOT_AN_ITEM = "".join(lexicon.words("extract", "ordinal_marks"))  # 第2项
# a list of a law's parts one 第 opens, up to the figure (第十九条、二十条; 第二、三款; a
# range, 第19至21条)
_ARTICLE_COUNTERS = "".join(lexicon.words("extract", "article_counters"))
_TITLED_ARTICLE = _WORDS["article_after_title"]
_CITED_PARTS = r"{close}\s*(?:{item}\s*[{joins}]\s*)*{item}".format(
    close=re.escape(_TITLED_ARTICLE["close"]), joins=re.escape("".join(_WORDS["list_joins"])),
    item=r"(?:\d+|[{cn}]+)\s*[{counters}]".format(cn="".join(_WORDS["thing_counts"]["numerals"]),
                                                 counters=re.escape(_ARTICLE_COUNTERS)))
_THEN = "|".join(map(re.escape, _TITLED_ARTICLE["then"]))
_TITLED_ARTICLES = re.compile(r"{}(?=\s*(?:{}))".format(_CITED_PARTS, _THEN))
_LAW_ARTICLES = re.compile(r"{}(?=\s*(?:{}|{}))".format(
    _CITED_PARTS, _THEN, "|".join(map(re.escape, _TITLED_ARTICLE["law_then"]))))
_LAWS = tuple(_TITLED_ARTICLE["laws"])
_TITLED_REACH = 40  # characters from a title's close to the last part it cites, at most
_PLACE_SUFFIXES = tuple(_WORDS["place_suffixes"])
_MONEY_UNITS = tuple(lexicon.units().money)
_RANGE_JOINS = "".join(lexicon.words("extract", "article_range_joins"))  # 第19至21条, 19-21条
_ARTICLE_JOINS = re.escape(_LIST_JOINS + _RANGE_JOINS)
_ARTICLE_LIST = re.compile(
    r"[{mark}](?P<first>[{numerals}\d]+)(?P<counter>[{counters}])?(?:[{joins}][{numerals}\d]+[{counters}]?)*[{joins}]$"
    .format(mark=_NOT_AN_ITEM, numerals=NUMERAL_CHARS, joins=_ARTICLE_JOINS, counters=_ARTICLE_COUNTERS))
_ARTICLE = _WORDS["article"]["numeral"]
_RATING = tuple(lexicon.words("extract", "article", "rating_words"))
_FIGURES_OF_SPEECH = tuple(lexicon.words("extract", "article", "figures_of_speech"))
_FIGURE_OF_SPEECH_WITHIN = 16
_DETERMINERS = "".join(lexicon.words("extract", "article", "determiners"))
_NEGATED_WITHIN = int(_WORDS["article"]["negated_within"])
_ARTICLE_NEGATIONS = tuple(lexicon.words("extract", "article", "negations"))
_VAGUE_COUNTERS = frozenset(lexicon.words("extract", "article", "vague_counters"))
_INSIDE_WORDS = frozenset(lexicon.words("extract", "article", "inside_words"))
_INSIDE = lexicon.pattern("qualifiers", "extract_inside", longest_first=False).pattern  # 3余项
_THING = _WORDS["thing_counts"]
_CN_NUMERALS = "".join(_THING["numerals"])
# digits (not inside a longer number), or Chinese numerals (not inside a longer numeral), a
# counter, then a word or the clause's end, not a word that makes it no count.  (The first
# look-ahead fails at once where no figure starts: 4x faster than trying both branches.)
# words that make a counted figure no count (but those that open an outcome's name)
_NOT_AFTER = "(?!(?<=[{counters}])(?:{but}))(?:{words})".format(
    counters=re.escape("".join(_THING["not_after_but"]["counters"])),
    but="|".join(map(re.escape, _THING["not_after_but"]["words"])), words="|".join(map(re.escape, _THING["not_after"])))
_ANY_COUNTER = "|".join(sorted(map(re.escape, COUNTERS), key=len, reverse=True))  # longest first
_THING_COUNT = re.compile(
    r"(?=[\d{cn}])"
    r"(?:(?<![\d.{nb}])(?<!\d[{ranges}])\d+(?:{counters})(?:{compound})?"  # (not a range's end: 19-21条)
    r"|(?<![{cn}{nb}])[{cn}]{{1,5}}(?:{people}))(?![多余]?(?:{not_after}))"
    r"(?=[\u4e00-\u9fff，,。；;、）)]|$)".format(
        nb="".join(_THING["not_before_chars"]), counters="|".join(_THING["counters"]), cn=_CN_NUMERALS,
        people="|".join(_THING["numeral_counters"]), not_after=_NOT_AFTER,
        compound="|".join(_THING["compound_after"]),
        ranges=re.escape(_RANGE_JOINS)))
# a counter, then a word that makes the figure a duration, a share or a part (15个工作日,
# 12个方面): no count, whoever found it
_THING_COUNTERS = tuple(_THING["counters"])
_SLOGAN = _WORDS["slogan"]
_SLOGAN_HEADS = tuple(_SLOGAN["heads"])
_OPEN_QUOTES, _CLOSE_QUOTES = _WORDS["name_quotes"]["open"], _WORDS["name_quotes"]["close"]
_NICKNAME_WITHIN = int(_WORDS["nickname_within"])
_COUNTER_LOOKALIKES = frozenset(lexicon.words("extract", "counter_lookalikes"))
_LOOKALIKE_NOT = tuple(lexicon.words("extract", "lookalike_not"))
_MEASURE_UNITS = tuple(lexicon.words("extract", "measure_units"))
_SAYINGS = lexicon.words("extract", "sayings")
_SAYING_REACH = max(map(len, _SAYINGS))


def _in_saying(text: str, start: int, end: int) -> bool:
    """Does the span take its figure from a saying (千家万户: 万户 is no count of
    households; 成千上万名: nor 万名)?

    >>> _in_saying("走进千家万户", 4, 6), _in_saying("成千上万名群众", 3, 5), _in_saying("服务农户万户", 4, 6)
    (True, True, False)
    """
    near = text[max(0, start - _SAYING_REACH):end + _SAYING_REACH]
    offset = max(0, start - _SAYING_REACH)
    for saying in _SAYINGS:
        k = near.find(saying)
        while k != -1:
            if offset + k < end and start < offset + k + len(saying):
                return True
            k = near.find(saying, k + 1)
    return False


_NO_COUNT_WORD = re.compile(r"[多余]?(?:{not_after})".format(not_after=_NOT_AFTER))
# ... and after 了, any counter, then what it counts (出台了2份规范性文件)
_PERFECTIVE_COUNT = re.compile(
    r"(?<={mark})\d+(?:{counters})(?![多余]?(?:{not_after}))(?=[\u4e00-\u9fff])".format(
        mark=re.escape(_THING["perfective"]), not_after=_NOT_AFTER, counters=_ANY_COUNTER))
# ... and right after a mark that gives a list of kinds their figures (…决定数量分别为0宗,
# 分别为2件、1件: linking.yaml ``respective``), any counter
_RESPECTIVE_COUNT = re.compile(
    r"(?:{marks})\s*(\d+(?:{counters}))(?![多余]?(?:{not_after}))(?![0-9])".format(
        marks="|".join(map(re.escape, lexicon.words("linking", "respective", "marks"))),
        counters=_ANY_COUNTER, not_after=_NOT_AFTER))
# ... and right after the name of a kind of document (extract.yaml kind_counts: 规章3部),
# any counter
_KIND_COUNT = re.compile(r"(?:{kinds})(\d+(?:{counters}))(?![多余]?(?:{not_after}))(?![0-9])".format(
    kinds="|".join(map(re.escape, _WORDS["kind_counts"])), counters=_ANY_COUNTER, not_after=_NOT_AFTER))
# ... and digits with no counter after a word that names what they count (extract.yaml
# bare_counts: 公开政府信息189（其中…)
_BARE = _WORDS["bare_counts"]
_BARE_COUNT = re.compile(r"(?:(?:{after})|(?:{linked})(?:{links}))(\d{{1,3}}(?:,\d{{3}})+|\d+)(?={then})".format(
    after="|".join(map(re.escape, _BARE["after"])), links="|".join(_BARE["links"]), then=_BARE["then"],
    linked="|".join(re.escape(w) for w in _BARE["after"] if w not in _BARE["no_link"])))
# ... and a round magnitude with a qualifier, no figure before it (extract.yaml
# magnitude_counts: 百余条, 近千人次)
_MAGNITUDE = _WORDS["magnitude_counts"]
_MAGNITUDE_COUNT = re.compile(
    r"(?<![{cn}\d{vague}])(?:(?<=[{before}])[{mag}][{after}]?|[{mag}][{after}])"
    r"(?:{counters})(?:{compound})?(?![多余]?(?:{not_after}))".format(  # (近千条次: the compound read whole)
        cn=_CN_NUMERALS, vague="".join(_MAGNITUDE["vague_before"]), before="".join(_MAGNITUDE["before"]),
        mag="".join(_MAGNITUDE["magnitudes"]), after="".join(_MAGNITUDE["after"]), counters=_ANY_COUNTER,
        compound="|".join(_THING["compound_after"]), not_after=_NOT_AFTER))
# ... and a count of major kinds (units.yaml major_kinds: 6大类, 四大版块)
_MAJOR_COUNT = re.compile(r"(?<![{mark}\d{cn}])(?:\d+|[{cn}]{{1,3}})(?:{kinds})".format(
    mark=_NOT_AN_ITEM, cn=_CN_NUMERALS, kinds=lexicon.pattern("units", "major_kinds").pattern))
# ... and right after a kind whose name opens with a negation (不存在9起, 无法提供2件, 不予公开
# 3件): the network reads the name as a zero claim (dropped: a count follows) and misses
# the count
_NEGATED_KIND_COUNT = re.compile(
    r"(?:{neg})[\u4e00-\u9fff]{{1,8}}?(\d+(?:{counters}))(?![多余]?(?:{not_after}))(?![0-9])".format(
        neg=_NEGATION.pattern, counters=_ANY_COUNTER,
        not_after=_NOT_AFTER))
# ... and an amount in figures and a money unit (units.yaml money): every one is a fact,
# where the network, shown the generator's phrasings, misses one (收费金额为12.5万元: after 为
# it finds none)
_MONEY_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%s)" % lexicon.pattern("units", "money").pattern)
# an enumeration item in any counter of the extractor (digits, a qualifier, the counter)
_ANY_ITEM = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:{inside})?(?:{counters})".format(inside=_INSIDE, counters=_ANY_COUNTER))
# A count a few characters on in the same run of words (no space, mark or bracket between):
# the words a zero claim was cut from go on to say how many
_COUNT_AHEAD = re.compile(r"[^\s，,。；;：:、（()）]{0,8}?" + _ANY_ITEM.pattern)
# A negated event verb and the rest of its clause, a zero claim when the clause names
# something a report counts (requests, reviews, suits, fees, accountability cases): the
# rule baseline's claims, and the network's backstop (未收到“依申请公开”申请: quotation
# marks inside a claim, which the network was never shown)
ZERO_RE = re.compile(_WORDS["rules"]["zero_claim"])
ZERO_TOPIC = lexicon.pattern("extract", "rules", "zero_topics")
# ... as the backstop takes them: ending in what is counted, neither a condition nor a question
_BACKSTOP_END = re.compile("(?:{})$".format(lexicon.pattern("extract", "rules", "backstop_ends").pattern))
_BACKSTOP_NOT_AFTER = lexicon.pattern("extract", "rules", "backstop_not_after")
# the confidence of a count the rule adds: no model weighed the span (a coin, not a certainty)
RULE_CONFIDENCE = 0.5
_CLAUSE_MARKS = re.compile(r"[，,。；;：:！!？?\n]")

_fold_width = translator(WIDTH_FOLD)


def fold_width(text: str) -> str:
    """Full-width ASCII and wide/no-break spaces to ASCII, one character for one.

    The model always sees folded text (training and inference), whether or not the
    caller normalized it; offsets are unchanged.

    >>> fold_width("共１８８条，　无")
    '共188条, 无'
    """
    return _fold_width(text)


# (the network, which never saw such a label, runs it into the count after it: it sees the
# label as word characters that no figure, unit or claim holds — offsets unchanged)
_THRESHOLD = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*[{mags}]?\s*[{marks}](?=\s*[\u4e00-\u9fff])(?!\s*(?:{units}))".format(
    mags=re.escape("".join(_WORDS["threshold_magnitudes"])), marks=re.escape("".join(_WORDS["threshold_marks"])),
    units="|".join(map(re.escape, lexicon.units().all))))
_THRESHOLD_MARKS = tuple(_WORDS["threshold_marks"])
# a word character the network reads as no figure, unit or claim (it saw 某 only in names)
_LABEL_MASK = "某"


def mask_thresholds(text: str) -> str:
    """The text with each reach label (extract.yaml ``threshold_marks``) masked, one
    character for one: what the network reads (folded text, :func:`fold_width`).

    >>> mask_thresholds("其中100万+推文4篇，10W+推文57篇，共发布120篇")
    '其中某某某某某推文4篇，某某某某推文57篇，共发布120篇'
    >>> mask_thresholds("新收20件+上年结转1件，访问量100万+次，粉丝量突破5万+。")  # counts
    '新收20件+上年结转1件，访问量100万+次，粉丝量突破5万+。'
    """
    if not any(m in text for m in _THRESHOLD_MARKS):
        return text
    return _THRESHOLD.sub(lambda m: _LABEL_MASK * len(m.group()), text)


def prose_spans(text: str) -> list[tuple[int, int]]:
    """Prose lines: the ranges of the non-blank lines that are not table grid rows (tabs or
    pipes) — the blocks an extractor reads in a bare text.  Not the pipeline's
    ``nlp.pipeline.narrative_spans``, which gives the narrative by section.

    >>> prose_spans("共188条。\\n规章\\t0\\t0\\n|a|b|\\n24.5万元 |")
    [(0, 6)]
    """
    out = []
    for ln in lines_of(text):
        line = text[ln.start:ln.end]
        if not line.strip() or "\t" in line or line.lstrip().startswith("|") or line.rstrip().endswith("|"):
            continue  # (a pipe row may print no outer pipe before its first cell: 24.5万元 |)
        out.append((ln.start, ln.end))
    return out


def text_work(text: str, spans: Iterable[tuple[int, int]] | None = None, id: str = "text") -> Work:
    """A bare text as one document for an extractor: its blocks are ``spans``, or every
    line but table rows (:func:`prose_spans`).  The pipeline makes its own (by section).

    >>> w = text_work("共188条。\\n规章\\t0"); w.spans
    [(0, 6)]
    """
    doc = Document(id, "txt", text, lines_of(text))
    return Work(doc, spans=list(prose_spans(text) if spans is None else spans))


def sentence_spans(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split each range into sentences (ending at 。；！？ or a newline), blanks dropped.

    >>> t = "共188条。无复议\\n好"
    >>> [t[a:b] for a, b in sentence_spans(t, [(0, len(t))])]
    ['共188条。', '无复议', '好']
    """
    out = []
    for start, end in spans:
        pos = start
        while pos <= end:
            line_end = text.find("\n", pos, end)
            if line_end < 0:
                line_end = end
            for m in _SENT_END.finditer(text, pos, line_end):
                out.append((pos, m.end()))
                pos = m.end()
            out.append((pos, line_end))
            pos = line_end + 1
    return [(a, b) for a, b in out if text[a:b].strip()]


def clause_pieces(text: str, start: int, end: int, max_chars: int, context: int
                  ) -> list[tuple[int, int, int, int]]:
    """Cut a long sentence at commas into pieces of about ``max_chars`` characters.

    Only the pieces that can hold a fact are then read.  Each piece is
    ``(own_start, own_end, input_start, input_end)``: the model reads ``context``
    characters either side of its own part and keeps the facts that start in it.

    >>> t = "共收到申请3件，予以公开2件，不予公开1件"
    >>> [(t[a:b], t[c:d]) for a, b, c, d in clause_pieces(t, 0, len(t), 8, 2)]
    [('共收到申请3件，', '共收到申请3件，予以'), ('予以公开2件，', '件，予以公开2件，不予'), ('不予公开1件', '件，不予公开1件')]
    """
    if max_chars <= 0 or end - start <= max_chars:
        return [(start, end, start, end)]
    cuts = [m.end() for m in _CLAUSE_CUT.finditer(text, start, end)] + [end]
    pieces, own = [], start
    for k, cut in enumerate(cuts):
        nxt = cuts[k + 1] if k + 1 < len(cuts) else None
        if cut == end or nxt is None or nxt - own > max_chars:
            pieces.append((own, cut, max(start, own - context), min(end, cut + context)))
            own = cut
        if own >= end:
            break
    return pieces


def is_candidate(sentence: str) -> bool:
    """Can this sentence hold a fact?

    >>> is_candidate("一是强化组织领导。"), is_candidate("共发布两条"), is_candidate("未发生复议")
    (False, True, True)
    """
    return CANDIDATE_RE.search(sentence) is not None


def _is_article(text: str, start: int, span: str, end: int) -> bool:
    """一 and its counter, then a word that rates what follows (一项重要工作), or after a
    word that picks one out (新一轮), or a vague counter (一批): "a", not a count; inside a
    word (统一部署) no numeral at all; after a
    negation in its clause (未曾出现过一条…), "not a single": a denial, not a count."""
    if span[:1] != _ARTICLE or span[1:] not in COUNTERS:
        return False
    if start > 0 and text[start - 1:start + 1] in _INSIDE_WORDS:
        return True  # 统一部署: the numeral is part of another word
    if span[1:] in _VAGUE_COUNTERS or text.startswith(_RATING, end) or (start > 0 and text[start - 1] in _DETERMINERS):
        return True
    if any(w in _CLAUSE_MARKS.split(text[end:end + _FIGURE_OF_SPEECH_WITHIN], 1)[0] for w in _FIGURES_OF_SPEECH):
        return True  # 交出了一份…的答卷
    return any(w in _clause_before(text, start, _NEGATED_WITHIN) for w in _ARTICLE_NEGATIONS)


def _clause_before(text: str, start: int, reach: int) -> str:
    """The words of ``start``'s clause before it, at most ``reach`` characters back."""
    return _CLAUSE_MARKS.split(text[max(0, start - reach):start])[-1]


def _is_ordinal(text: str, start: int, end: int) -> bool:
    """A figure after 第 (第2件, a page's 第 2 页) or in a list of a law's parts it opens
    (第十九条、二十条), a congress's term or sitting
    (十三届人大四次会议), or bare digits opening a line (1 信川市教育局主动公开数据统计: a
    caption's or heading's number): an ordinal."""
    before = text[max(0, start - 3):start].rstrip()
    if before and before[-1] in _NOT_AN_ITEM:
        return True
    if _in_article_list(text, start, end):
        return True  # 第十九条、二十条: the list's 第 makes each of its items one
    if text[end - 1:end] in _ARTICLE_COUNTERS and _cited_after_title(text, start, end):
        return True  # 《条例》二十条规定: the law's part, 第 left out
    if text[start:end].strip().isdigit() and not text[text.rfind("\n", 0, start) + 1:start].strip():
        return True
    if text.startswith(_SESSION["term"], end):
        return True  # 十三届
    if text[end - 1:end] == _PHASE and _is_phase(text[max(0, start - 2):start], text[start]):
        return True  # 广电中心二期, 提升工程一期: a building's or works' phase
    return (text[end - 1:end] == _SESSION["sitting_counter"] and text.startswith(_SITTINGS, end)
            and _SESSION["term"] in _clause_before(text, start, _SESSION["term_within"]))


def _cited_after_title(text: str, start: int, end: int) -> bool:
    """Is the figure one of the parts a law's title cites with no 第 (extract.yaml
    ``article_after_title``)?

    >>> t = "依《条例》十九条、二十条规定，按《条例》二十条第一款，落实《若干措施》十条要求，落实《条例》三十三条要求"
    >>> [_cited_after_title(t, t.index(s, a), t.index(s, a) + len(s))
    ...  for s, a in (("十九条", 0), ("二十条", 0), ("二十条", 12), ("十条", 28), ("三十三条", 40))]
    [True, True, True, False, True]
    """
    k = text.rfind(_TITLED_ARTICLE["close"], max(0, start - _TITLED_REACH), start)
    if k < 0:
        return False
    # after a law's title (《…条例》) its parts' 要求 are the law's; after a policy's, requirements
    pattern = _LAW_ARTICLES if text[max(0, k - _TITLED_REACH):k].endswith(_LAWS) else _TITLED_ARTICLES
    m = pattern.match(text, k)
    return m is not None and end <= m.end()


def _in_article_list(text: str, start: int, end: int) -> bool:
    """Is the figure an item of a list of a law's parts one 第 opens: a part's counter of its
    own, and the list's first item a part too (第十九条、二十条) or written as the figure is
    (第二、三款) — not a count after a rank (位列第一、3项做法被推广)?"""
    if text[end - 1:end] not in _ARTICLE_COUNTERS:
        return False
    m = _ARTICLE_LIST.search(text, max(0, start - 16), start)
    return m is not None and (m.group("counter") is not None
                              or m.group("first").isdigit() == text[start:end - 1].strip().isdigit())


_SESSION = _WORDS["session"]
_PHASE, _PHASE_OF, _PHASE_OF_WORKS = "期", frozenset(_WORDS["phase_of"]), frozenset(_WORDS["phase_of_works"])


def _is_phase(word: str, first: str) -> bool:
    return word in _PHASE_OF or (word in _PHASE_OF_WORKS and first in _CN_NUMERALS)
_SITTINGS = tuple(_SESSION["sittings"])


_SCHEME_VERBS = tuple(lexicon.words("extract", "scheme", "verbs"))
_SCHEME_COUNTERS = tuple(lexicon.words("extract", "scheme", "counters"))
_SCHEME_REACH = 60  # 分为 and the list of kinds before the count


_REPORT_PARTS = _WORDS["report_parts"]
_REPORT_PART_AFTER = tuple(_REPORT_PARTS["after"])
_REPORT_REACH = 200  # the report named at its sentence's start, its parts listed before the count


def _beside_unreadable(text: str, start: int, end: int) -> bool:
    """Does a character no reader can read stand right before the figure, on its line, or
    right after its last digit ((cid:13)(cid:13)万余人次: its digits were drawn in a font
    that maps its glyphs to no character; reading.yaml ``unreadable_glyph``)?  Its value
    cannot be read.  After a unit (34件\ufffd: a lost 。) the figure is whole.

    >>> _beside_unreadable("浏览(cid:13)(cid:14)万余人次", 18, 22), _beside_unreadable("公开12(cid:5)", 2, 4)
    (True, True)
    >>> _beside_unreadable("(cid:5)。公开12条", 10, 13), _beside_unreadable("公开\ufffd2条", 3, 5)
    (False, True)
    >>> _beside_unreadable("公开34件\ufffd", 2, 5), _beside_unreadable("文件\ufffd\\n34件", 4, 7)
    (False, False)
    """
    return bool(_UNREADABLE_BEFORE.search(text, max(0, start - _UNREADABLE_REACH), start)
                or text[end - 1:end].isdigit() and _UNREADABLE_AFTER.match(text, end))


_UNREADABLE = lexicon.load("reading")["unreadable_glyph"]
_UNREADABLE_BEFORE = re.compile(f"(?:{_UNREADABLE})[ \\t]*\\Z")
_UNREADABLE_AFTER = re.compile(f"[ \\t]*(?:{_UNREADABLE})")
_UNREADABLE_REACH = 16  # longer than any (cid:N) with its spaces


def _is_report_part(text: str, start: int, end: int) -> bool:
    """A count of the report's own parts (本报告包括…等6项内容: annotation.md's counts that
    describe the report itself)."""
    if not text.startswith(_REPORT_PART_AFTER, end):
        return False
    # (the sentence, not the clause: the parts are listed with 、 between the report and the count)
    sentence = _SENT_END.split(text[max(0, start - _REPORT_REACH):start])[-1]
    return any(w in sentence for w in _REPORT_PARTS["subject"])


def _is_scheme(text: str, start: int, span: str) -> bool:
    """A count of kinds after a verb that divides, in its clause (分为A、B、C三类): a
    classification, not a count."""
    if not span.endswith(_SCHEME_COUNTERS):
        return False
    head = _clause_before(text, start, _SCHEME_REACH)
    return any(v in head for v in _SCHEME_VERBS)


def _no_count(text: str, span: str, end: int) -> bool:
    """A counter, then a word that makes it a duration, a share or a part (15个工作日), or
    a counter's character that starts another word (9项目), or a saying's (千家万户)."""
    if text[end - 1:end + 1] in _COUNTER_LOOKALIKES and not text.startswith(_LOOKALIKE_NOT, end - 1):
        return True
    if _in_saying(text, end - len(span), end):
        return True
    if _is_slogan(text, span, end):
        return True
    return span.endswith(_THING_COUNTERS) and _NO_COUNT_WORD.match(text, end) is not None


def fact_from_span(text: str, start: int, end: int, label: str, confidence: float | None) -> Fact | None:
    """Build a Fact with value/unit/approx from the span; None when it is no fact: no value
    can be read, the span sits in the title of a law or document (《…十五条…》), or a
    zero claim has no word that says none (every gold ZERO span has one) or is a kind's
    name followed by its count (信息不存在9起), or 一 and a counter is "a" before a word that
    rates what follows (作为一项重要工作), or a counter is followed by a word that makes the
    figure a duration, a share or a part (15个工作日, 12个方面).

    >>> fact_from_span("无行政复议", 0, 5, "ZERO", None).value
    0
    >>> fact_from_span("公安局110接处警等信息", 3, 12, "ZERO", None) is None
    True
    >>> t = "公开《安全生产十五条硬措施》，罚款64.2万元，定期清理历史无效信息，不存在9起。"
    >>> fact_from_span(t, 7, 10, "COUNT", None), fact_from_span(t, 17, 23, "MONEY", None).value
    (None, 64.2)
    >>> fact_from_span(t, 30, 34, "ZERO", None), fact_from_span(t, 35, 38, "ZERO", None)
    (None, None)
    >>> fact_from_span("深化新一轮改革", 3, 5, "COUNT", None), fact_from_span("申请9000009项目本年", 2, 10, "COUNT", None)
    (None, None)
    >>> fact_from_span("强调发文没有特殊原因均应主动公开", 4, 10, "ZERO", None)  # a condition
    >>> t = "把公开作为一项重要工作，配备一名信息员。"
    >>> fact_from_span(t, 5, 7, "COUNT", None), fact_from_span(t, 14, 16, "COUNT", None).value
    (None, 1)
    >>> fact_from_span("梳理并发布一批高频事项", 5, 7, "COUNT", None)  # "a batch of"
    >>> t = "作为一项基本制度，交出了一份让群众满意的答卷，解读“创业富民30条”，“机关党建”16条。"
    >>> [fact_from_span(t, a, a + 2, "COUNT", None) for a in (2, 12)], fact_from_span(t, 30, 33, "COUNT", None)
    ([None, None], None)
    >>> fact_from_span(t, 41, 44, "COUNT", None).value
    16
    >>> t = "完成绿化18.9万平方米，推进一张网建设。"  # a measure; a slogan
    >>> fact_from_span(t, 4, 9, "COUNT", None), fact_from_span(t, 15, 17, "COUNT", None)
    (None, None)
    >>> t = "坚持做到三个“突出”，开设3个“专栏”，开设两个“疫情防控”专栏。"  # a slogan's numeral in words
    >>> fact_from_span(t, 4, 6, "COUNT", None), [fact_from_span(t, a, a + 2, "COUNT", None).value for a in (13, 22)]
    (None, [3, 2])
    >>> t = '"主动公开政府信息","1200条"，宣传片2部分别播放，公示重点项目3期，提升工程一期。'  # a CSV cell; 分别
    >>> [fact_from_span(t, a, b, "COUNT", None) and fact_from_span(t, a, b, "COUNT", None).value
    ...  for a, b in ((12, 17), (22, 24), (35, 37), (42, 44))]
    [1200, 2, 3, None]
    >>> fact_from_span("按照统一部署", 3, 5, "COUNT", None)  # 统一 is a word
    >>> fact_from_span("其中第2件为咨询", 3, 5, "COUNT", None), fact_from_span("第 2 页", 2, 5, "COUNT", None)  # ordinals
    (None, None)
    >>> t = "办理省十三届人大四次会议建议2件，召开4次会议。"  # a congress's term and sitting
    >>> [fact_from_span(t, a, b, "COUNT", None) for a, b in ((3, 5), (8, 10))], fact_from_span(t, 19, 21, "COUNT", None).value
    ([None, None], 4)
    >>> fact_from_span("区十届人大常委会召开4次会议", 10, 12, "COUNT", None).value  # sittings counted
    4
    >>> t = "地址:广电中心二期,编印简报二期,附表十一部分组成。"  # a building's phase; the report's parts
    >>> fact_from_span(t, 7, 9, "COUNT", None), fact_from_span(t, 14, 16, "COUNT", None).value, fact_from_span(t, 21, 24, "COUNT", None)
    (None, 2, None)
    >>> fact_from_span("有效防止出现超时未答复问题", 8, 11, "ZERO", None)  # an aim
    >>> fact_from_span("结 其 尚 未 总", 6, 9, "ZERO", None)  # a table header's pieces
    >>> fact_from_span("总计 果 果 他 未 总 果 果 他", 9, 18, "ZERO", None)  # … read across its columns
    >>> fact_from_span("未 收 到 政 府 信 息 公 开 申 请", 0, 21, "ZERO", None).text  # letter-spaced, a claim
    '未 收 到 政 府 信 息 公 开 申 请'
    >>> fact_from_span("未 经 复 议 直 接 起 诉", 0, 15, "ZERO", None)  # table 4's header, letter-spaced
    >>> fact_from_span("告知其他途径3起，不存在9起。", 9, 14, "ZERO", None)  # a kind and its count
    >>> fact_from_span("因本机关不掌握等原因无法提供846件。", 0, 11, "ZERO", None)  # the words go on to count
    >>> [fact_from_span(t, 0, 15, "ZERO", None).text for t in ("本年度没有收到政府信息公开申请 本年度公开信息120条",
    ...                                                          "本年度没有收到政府信息公开申请（共0件）")]
    ['本年度没有收到政府信息公开申请', '本年度没有收到政府信息公开申请']
    >>> fact_from_span("公开信息12条。\\n\\n1 信川市教育局公开数据统计", 11, 13, "COUNT", None)  # a caption's number
    >>> fact_from_span("本年度未发生行政复议和行政诉讼。", 3, 6, "ZERO", None).text  # a short span its clause completes
    '未发生行政复议和行政诉讼'
    >>> fact_from_span("全年未制定新的规范性文件?,F行有效", 2, 14, "ZERO", None).text  # a mirror's lost 。
    '未制定新的规范性文件'
    >>> fact_from_span("本年度无行政复议 。", 3, 10, "ZERO", None).text
    '无行政复议'
    >>> fact_from_span("全年未发生网络安全事件", 2, 5, "COUNT", None)  # no figure: no count
    >>> fact_from_span("收取费用380元", 4, 8, "COUNT", None).label  # the unit decides the label
    'MONEY'
    >>> f = fact_from_span("收费总金额约1630万元。", 6, 11, "COUNT", None)  # the unit it stopped before
    >>> f.text, f.label, f.value
    ('1630万元', 'MONEY', 1630)

    >>> t = "一年来未曾出现过一条虚假信息，无法提供一件，设立一个窗口。"
    >>> fact_from_span(t, 8, 10, "COUNT", None), fact_from_span(t, 19, 21, "COUNT", None).value, fact_from_span(t, 24, 26, "COUNT", None).value
    (None, 1, 1)
    >>> t = "政府信息分为主动公开、依申请公开、不予公开三类，共公开8类信息。"
    >>> fact_from_span(t, 21, 23, "COUNT", None), fact_from_span(t, 27, 29, "COUNT", None).value
    (None, 8)
    >>> t = "答复期限由15个工作日改为20个工作日，梳理12个方面，设立12个窗口。"
    >>> [fact_from_span(t, a, b, "COUNT", None) for a, b in ((5, 8), (22, 25))], fact_from_span(t, 30, 33, "COUNT", None).value
    ([None, None], 12)
    >>> t = "依照《条例》第十九条、二十条规定，公开文件12条、规章3条。"  # a list of articles 第 opens
    >>> fact_from_span(t, 11, 14, "COUNT", None), fact_from_span(t, 27, 29, "COUNT", None).value
    (None, 3)
    >>> t = "本报告包括总体情况、存在的问题等6项内容。公开政府信息20条内容涉及公告。"  # the report's parts
    >>> a, b = t.index("6项"), t.index("20条")
    >>> fact_from_span(t, a, a + 2, "COUNT", None), fact_from_span(t, b, b + 3, "COUNT", None).value
    (None, 20)
    >>> fact_from_span("地址：行政中心十一楼", 7, 9, "COUNT", None), fact_from_span("粉丝量超百万", 4, 6, "COUNT", None).value
    (None, 1000000)
    >>> fact_from_span("确定2～3名信息员", 4, 6, "COUNT", None), fact_from_span("2019-2021年共3名", 11, 13, "COUNT", None).value
    (None, 3)
    >>> t = "一般每季度或半年公开一次，全年召开会议4次。"  # how often; how many times
    >>> fact_from_span(t, 10, 12, "COUNT", None), fact_from_span(t, 19, 21, "COUNT", None).value
    (None, 4)
    >>> t = "位列第一、3项做法被推广，排名第二和3个单项第一。"  # counts after a rank
    >>> fact_from_span(t, 5, 7, "COUNT", None).value, fact_from_span(t, 18, 20, "COUNT", None).value
    (3, 3)
    >>> t = "依《条例》二十条规定，对其中2件予以公开，1件部分公开。"  # a law's part; an outcome
    >>> fact_from_span(t, 5, 8, "COUNT", None), fact_from_span(t, 21, 23, "COUNT", None).value
    (None, 1)
    >>> t = "推进企业一套表联网直报，地址：城东街道五元街9号。"  # a system's name; a street's
    >>> fact_from_span(t, 4, 6, "COUNT", None), fact_from_span(t, 19, 21, "COUNT", None)
    (None, None)
    """
    if label != "ZERO":
        end = _with_unit(text, start + len(text[start:end].rstrip()))  # (no space ends a figure)
    span = text[start:end]
    if (_in_title(text, start, end) or _is_nickname(text, start, end) or _is_article(text, start, span, end)
            or _no_count(text, span, end) or _is_scheme(text, start, span) or _is_ordinal(text, start, end)
            or _is_report_part(text, start, end) or label != "ZERO" and _no_figure(text, start, span, end, label)):
        return None
    if label == "ZERO":
        # a count after the words or in the span (不存在9起: the network ran the kind's name
        # and its count together) says how many, not none
        lead = min(start, _LOOKALIKE_LEAD)
        if not _says_none(text[start - lead:end], lead) or text[end:end + 3].lstrip()[:1].isdigit() \
                or _ANY_ITEM.search(span):
            return None
        if _COUNT_AHEAD.match(text, end):
            return None  # 因本机关不掌握等原因无|法提供846件: the words go on to count
        if _is_aim(text, start):
            return None
        end = _before_comparison(text, start, _claim_end(text, end))
        while end > start and _CLAIM_TRAIL.match(text, end - 1):
            end -= 1  # marks and spaces end no claim's words (a mirror's ?, for a lost 。)
        claim = text[start:end]
        # (未 … 总, 未按收: a table header's pieces a PDF tool printed apart, no claim; 均未收费,
        # 无复议: a short claim whole, naming what it denies, is one)
        if len("".join(claim.split())) < _SHORTEST_CLAIM and not (claim.strip() == claim and ZERO_TOPIC.search(claim)):
            return None
        joined = "".join(claim.split())
        if _GLYPH_ROW.fullmatch(claim.strip()) and not (ZERO_TOPIC.search(joined) and _says_none(joined)):
            return None  # 未 总 果 果 他, 未 经 复 议: a header's characters (未 收 到 申 请 is letter-spaced)
        if _UNCOUNTED.search(claim) and not ZERO_TOPIC.search(claim):
            return None  # 未发生网络舆情事件, 未涉及国家秘密: what no report counts
        if _is_notice_outcome(text, start, claim):
            return None  # 公示期满未收到异议: a step of a procedure
        return Fact(start, end, text[start:end], label, 0, None, False, None, confidence)
    if not _FIGURE_CHAR.search(span):
        return None  # 未发生, 冗余无效: a count, an amount or a share is written in figures
    if text.startswith(_MEASURE_UNITS, end):
        return None  # 18.9万平方米: a measure, no count
    try:
        q = parse_quantity(span, before=text[max(0, start - 4):start], after=text[end:end + 3])
    except ValueError:
        return None
    if q.unit in _FREQUENCY["counters"] and _FREQUENCY_PERIOD.search(_clause_before(text, start, _FREQUENCY_REACH)):
        return None  # 每季度公开一次: how often, not how many times
    if _RANGE_END.search(text, max(0, start - 4), start):
        return None  # 确定2～3名信息员: a range's end, no count (nor its start: 2 is cut off)
    if not q.unit and not _DIGIT.search(span) and not span.endswith(_WORD_MAGNITUDES):
        return None  # 行政中心十一楼: a numeral in words with no counter counts nothing (百万 may)
    if _LONE_MAGNITUDE.match(span) and text[max(0, start - 1):start] not in _MAGNITUDE["before"]:
        return None  # 7.61⏎⏎万户: a magnitude no figure, no qualifier comes before is a cut figure's tail
    if not q.unit and _CONTACT_LABEL.search(text, max(0, start - _CONTACT_REACH), start):
        return None  # 邮编：100000: a code
    if label in ("COUNT", "MONEY", "PERCENT"):
        label = _LABEL_OF_UNIT.get(q.unit, "COUNT" if q.unit else label)
    return Fact(start, end, span, label, q.value, q.unit or None, q.approx, None, confidence)


# a character a figure is written in: a digit (Arabic, full-width) or a numeral's
_DIGITS = "0-9０-９"  # Arabic and full-width, as a character class's range
_FIGURE_CHAR = re.compile(f"[{_DIGITS}" + re.escape(NUMERAL_CHARS) + "]")
_DIGIT = re.compile(f"[{_DIGITS}]")
_FREQUENCY = _WORDS["frequency"]
_FREQUENCY_PERIOD = re.compile("{}(?:{})".format(_FREQUENCY["per"], "|".join(sorted(_FREQUENCY["periods"], key=len,
                                                                                   reverse=True))))
_FREQUENCY_REACH = 20  # the words of its clause before a count of times
_RANGE_END = re.compile(r"[{}]\s*[{}]\s*$".format(_DIGITS, re.escape(_RANGE_JOINS)))
# a numeral in words without a counter is a count only as a round magnitude (粉丝量超百万)
_WORD_MAGNITUDES = tuple(lexicon.words("extract", "magnitude_counts", "magnitudes"))
# a magnitude opening a span, no 余/多 after it (万户, not 万余人)
_LONE_MAGNITUDE = re.compile("[{}](?![{}])".format("".join(_WORD_MAGNITUDES), "".join(_MAGNITUDE["after"])))

# a figure's unit after digits or a scale (1630万 + 元): the network may stop before it
_UNIT_AFTER = lexicon.pattern("units", "narrative_fact")
_BARE_END = re.compile(r"[0-9{scales}]$".format(scales="".join(lexicon.words("numerals", "money", "scales"))))


def _with_unit(text: str, end: int) -> int:
    """The end of a figure's span with the unit right after it, when the span stops before
    its unit (约1630万 | 元: every gold span covers its unit)."""
    if not _BARE_END.search(text, max(0, end - 1), end):
        return end
    unit = _UNIT_AFTER.match(text, end)
    return unit.end() if unit else end


# A zero claim says what did not happen, with its clause: none in the gold sets (realdev, M,
# N, the seeds, the synthetic splits) has fewer than five characters (无行政复议) but a
# negation and what it denies whole (均未收费, set AF)
_SHORTEST_CLAIM = 4
_CLAIM_AIMS = tuple(lexicon.words("extract", "claim_aims"))
_CONTACT_LABEL = re.compile("(?:{})\\s*[:：]?\\s*$".format("|".join(map(re.escape, _WORDS["contact_labels"]))))
_CONTACT_REACH = 8  # a contact label and its colon before a code
_UNCOUNTED = re.compile(_WORDS["uncounted_claim"])
_AIM_REACH = 30  # 防止 and what it would prevent before the denial


_NOTICE_CLAIM = _WORDS["notice_claim"]
_NOTICE_REACH = 12  # the notice's word and its period before the denial (公示期满未收到…)


def _is_notice_outcome(text: str, start: int, claim: str) -> bool:
    """A denial of an objection to a public notice (公示无异议): nothing the report counts."""
    return any(w in claim for w in _NOTICE_CLAIM["denied"]) and \
        any(w in _clause_before(text, start, _NOTICE_REACH) + claim for w in _NOTICE_CLAIM["notice"])


def _is_aim(text: str, start: int) -> bool:
    """A denial its clause sets as an aim (防止…出现未答复问题): nothing is claimed."""
    head = _clause_before(text, start, _AIM_REACH)
    return any(w in head for w in _CLAIM_AIMS)


_COMPARISON = _WORDS["claim_comparison"]
_COMPARISON_WORD = re.compile("|".join(map(re.escape, _COMPARISON["words"])))
_COMPARISON_PREDICATE = re.compile("|".join(map(re.escape, _COMPARISON["predicates"])))


def _before_comparison(text: str, start: int, end: int) -> int:
    """Where a claim ends before a comparison with other years that the rest of its clause
    makes (…行政复议、行政诉讼与往年相比数量没有变化), when the words before it deny something
    a report counts; else ``end``.

    >>> t = "未收到政府信息公开申请与往年相比没有变化。未发生与去年同类的行政复议案件。"
    >>> t[:_before_comparison(t, 0, 20)], _before_comparison(t, 21, 36)
    ('未收到政府信息公开申请', 36)
    """
    m = _COMPARISON_WORD.search(text, start + 1, end)
    if m is None or not ZERO_TOPIC.search(text, start, m.start()):
        return end
    stop = CLAIM_END.search(text, m.end())
    return m.start() if _COMPARISON_PREDICATE.search(text, m.end(), stop.start() if stop else len(text)) else end


_CLAIM_TAIL = 30  # a claim's words after what the network marked: at most this many characters
_CLAIM_TAIL_STOPS = tuple(lexicon.words("extract", "claim_tail_stops"))


# Single characters apart, three or more: a table header printed a character a line, which a
# PDF tool reads across its columns (结 结 其 尚 / 果 果 他 未 / 维 纠 结 审), never a sentence.
_GLYPH_ROW = re.compile(r"\S(?:[ \t]+\S){2,}")


def _claim_end(text: str, end: int) -> int:
    """A zero claim reaches the end of its clause (未发生…行政复议、行政诉讼等情况): the
    network often stops inside a long one (…等情况, …有关的费用, 处分); not over a
    "trouble" noun after 的 (…的问题: extract.yaml ``claim_tail_stops``).  Not past a figure
    or another negation (two claims whose comma was lost stay two), nor further than
    ``_CLAIM_TAIL`` characters.

    >>> t = "也未发生因依申请公开引起的复议、诉讼等情况。"
    >>> t[1:_claim_end(t, 15)], _claim_end("未收到申请也未发生复议。", 5)
    ('未发生因依申请公开引起的复议、诉讼等情况', 5)
    >>> t = "未出现过行政复议、行政诉讼的问题。"
    >>> t[:_claim_end(t, 8)]
    '未出现过行政复议、行政诉讼'
    >>> t = "我局未受理政府信息公开申请，行政复议和行政诉讼。"  # the kinds listed after a comma
    >>> t[2:_claim_end(t, 13)], _claim_end("未受理申请，行政复议工作扎实推进。", 5)
    ('未受理政府信息公开申请，行政复议和行政诉讼', 5)
    >>> _claim_end("未收到申请，也未发生行政复议。", 5)  # a claim of its own
    5
    >>> _claim_end("未收到申请，积极应对行政复议和行政诉讼。", 5)  # a clause of its own, no list
    5

    """
    m = CLAIM_END.search(text, end, end + _CLAIM_TAIL + 1)
    if m is None:
        return end
    tail = text[end:m.start()]
    if any(c.isdigit() for c in tail) or _says_none(tail):
        return end
    stop = min((k for w in _CLAIM_TAIL_STOPS if (k := tail.find(w)) >= 0), default=len(tail))
    if stop == len(tail) and m.group() in _COMMAS:
        kinds = _KINDS_CLAUSE.match(text, m.end())
        if kinds and not _says_none(kinds.group(1)):
            return kinds.end(1)  # 未受理申请，行政复议和行政诉讼。: the kinds denied, listed after a comma
    return end + stop


_COMMAS = ("，", ",")
# a clause of kinds alone (行政复议和行政诉讼), perhaps with the words that close a claim
# (…，提起行政诉讼情况发生), then the sentence's end
_KINDS_CLAUSE = re.compile(r"((?:(?:{lead})?[\u4e00-\u9fff]{{0,2}}?(?:{kinds})(?:{joins})?)+?(?:{tails})?)(?=[。；;\n]|$)".format(
    tails="|".join(lexicon.words("extract", "claim_list_tails")),
    lead="|".join(lexicon.words("extract", "claim_list_leads")),
    kinds="|".join(lexicon.words("extract", "claim_list_kinds")),
    joins="|".join(map(re.escape, lexicon.words("extract", "list_joins")))))


def with_list_siblings(text: str, facts: list[Fact]) -> list[Fact]:
    """``facts`` and the figures their enumerations still hold: the items of the clause of a
    figure found there that open with digits and its counter, one of them right after a
    join (、和与及), the other the item before it (3项行政许可、5项行政处罚、4项行政检查:
    the network, trained on 行政许可3项、…, tags one and misses the rest), and the item right
    after a join in another counter (6类、24项).  In text order.

    >>> t = "公开了3项行政许可、5项行政处罚、第2项说明。"  # 第2项 is an ordinal: no join opens it
    >>> [f.text for f in with_list_siblings(t, [fact_from_span(t, 10, 12, "COUNT", None)])]
    ['3项', '5项']
    >>> t = "公开6类、24项权力事项，2021、2022年度。"  # the next item in another counter
    >>> [f.text for f in with_list_siblings(t, [fact_from_span(t, 2, 4, "COUNT", None)])]
    ['6类', '24项']
    """
    seen = {f.start for f in facts}
    in_runs: set[int] = set()  # figures of a run of item clauses already read
    added: list[Fact] = []
    for f in facts:
        if f.label != "COUNT" or not f.unit or f.unit not in COUNTERS:
            continue
        start, end = _clause_of(text, f.start, f.end)
        items = list(_items_of(f.unit).finditer(text[start:end]))
        joined = [m.start() > 0 and text[start + m.start() - 1] in _LIST_JOINS for m in items]
        for k, m in enumerate(items):
            at = start + m.start()
            if at in seen or not (joined[k] or (k + 1 < len(items) and joined[k + 1])):
                continue
            sibling = fact_from_span(text, at, start + m.end(), "COUNT", f.confidence)
            if sibling is not None and sibling.unit == f.unit:
                seen.add(at)
                added.append(sibling)
        # the next item, right after a join, counted in another counter (6类、24项权力事项)
        m = _ANY_ITEM.match(text, f.end + 1) if text[f.end:f.end + 1] in _LIST_JOINS else None
        if m is not None and m.start() not in seen and m.end() <= end:
            sibling = fact_from_span(text, m.start(), m.end(), "COUNT", f.confidence)
            if sibling is not None and sibling.unit in COUNTERS:
                seen.add(m.start())
                added.append(sibling)
        # the other items of a list whose items are clauses of their own (微博6128条，今日头条5135条，
        # 抖音74条。): each clause a short name and a figure in the same counter
        if f.start in in_runs:
            continue  # its run was read from an item before it
        for sibling in _clause_siblings(text, f):
            in_runs.add(sibling.start)
            if sibling.start not in seen:
                seen.add(sibling.start)
                added.append(sibling)
    return sorted([*facts, *added], key=lambda f: (f.start, f.end)) if added else facts


def with_thing_counts(text: str, spans: Iterable[tuple[int, int]], facts: list[Fact]) -> list[Fact]:
    """``facts`` and the counts of things in the narrative ``spans`` that no fact covers
    (extract.yaml ``thing_counts``: 配备了1名工作人员, 将26个区直部门纳入, 出台了2份文件), and the
    zero claims the network missed (:func:`_backstop_claim`), with the
    confidence ``RULE_CONFIDENCE`` (no model weighed them).  In text order.

    >>> t = "配备了1名工作人员，在2个工作日内答复，公开信息12条，每一名群众都满意，明确一名联络员。"
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [fact_from_span(t, 24, 27, "COUNT", 0.9)])]
    ['1名', '12条', '一名']
    >>> t = "获得第十一名，培训3个多月，三位一体，保持两位数增长，统一名称，共有一千二百名职工。"
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['一千二百名']
    >>> t = "出台了2份规范性文件，召开了4场发布会，完成了2022年度报告，用了3个工作日。"
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['2份', '4场']
    >>> t = "公开政府信息189（其中组织机构信息33条），文件数量为0。电话：0591-8709，第711号。"  # no counter
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['189', '33条', '0']
    >>> [(f.text, f.value) for f in with_thing_counts("主动公开政府信息1,159，其中", [(0, 20)], [])]
    [('1,159', 1159)]
    >>> t = "行政许可、行政处罚决定数量分别为0宗，均为3个工作日。"  # figures given to a list of kinds
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['0宗']
    >>> t = "发布政府规章14部、行政规范性文件72件，第3部分。"  # right after a kind of document
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['14部', '72件']
    >>> t = "其中不存在9起，无法提供2件，不予公开的20230101号，未在15个工作日内。"  # kinds that open with a negation
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['9起', '2件']
    >>> t = "全面落实496项涉企经营许可事项，第3项，每2件。"  # 项, 件 and 条 as well
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['496项']
    >>> t = "累计公开信息百余条，接待咨询近千人次，百家号发布，走进千家万户。"  # round magnitudes
    >>> [f.text for f in with_thing_counts(t, [(0, len(t))], [])]
    ['百余条', '千人次']
    >>> t = "本年度未收到“依申请公开”申请，未发现问题。"  # a zero claim the network did not take
    >>> [(f.text, f.label) for f in with_thing_counts(t, [(0, len(t))], [])]
    [('未收到“依申请公开”申请', 'ZERO')]
    >>> t = "收费金额为12.5万元，采购总额为1,200元。"  # amounts in figures
    >>> [(f.text, f.label, f.value) for f in with_thing_counts(t, [(0, len(t))], [])]
    [('12.5万元', 'MONEY', 12.5), ('1,200元', 'MONEY', 1200)]
    """
    taken = {i for f in facts for i in range(f.start, f.end)}  # a set: a long report's facts are many
    found = [(*m.span(), "COUNT") for a, b in spans
             for pattern in (_THING_COUNT, _PERFECTIVE_COUNT, _MAGNITUDE_COUNT, _MAJOR_COUNT)
             for m in pattern.finditer(text, a, b)]
    found += [(*m.span(1), "COUNT") for a, b in spans
              for pattern in (_NEGATED_KIND_COUNT, _RESPECTIVE_COUNT, _KIND_COUNT, _BARE_COUNT)
              for m in pattern.finditer(text, a, b)]
    found += [(*m.span(), "ZERO") for a, b in spans for m in ZERO_RE.finditer(text, a, b) if _backstop_claim(text, m)]
    found += [(*m.span(), "MONEY") for a, b in spans for m in _MONEY_AMOUNT.finditer(text, a, b)]
    added = []
    for start, end, label in found:
        if taken.isdisjoint(range(start, end)) and \
                (fact := fact_from_span(text, start, end, label, RULE_CONFIDENCE)) is not None:
            taken.update(range(start, end))  # the patterns may find one figure
            added.append(fact)
    return sorted([*facts, *added], key=lambda f: (f.start, f.end)) if added else facts


def _backstop_claim(text: str, m: re.Match[str]) -> bool:
    """Is the rule's zero claim one the network's backstop takes: naming what a report
    counts, ending in it, and said outright (not 若…未收到申请, 是否未收到申请)?"""
    claim = m.group()
    return bool(ZERO_TOPIC.search(claim) and _BACKSTOP_END.search(claim)
                and not _BACKSTOP_NOT_AFTER.search(_clause_before(text, m.start(), _BACKSTOP_REACH)))


_BACKSTOP_REACH = 20  # the words before a claim, in its clause, that may make it a condition


_ITEM_END = re.compile(r"\s*(?:[，,。；;！!？?\n]|$)")  # a list item's figure ends its clause
_ITEM_NAME = 12  # a list item's name: at most this many characters


def _clause_siblings(text: str, f: Fact) -> list[Fact]:
    """The items of the run of clauses, each a short name and a figure in ``f``'s counter,
    that holds ``f``'s clause (two such clauses at least).

    >>> t = "发布信息100条，其中微博61条，今日头条51条，抖音7条。另有12条。"
    >>> [g.text for g in _clause_siblings(t, fact_from_span(t, 13, 16, "COUNT", None))]
    ['100条', '61条', '51条', '7条']
    >>> t = "全年通过政府门户网站累计发布各类信息2905条，微博61条"  # a long clause: no list
    >>> _clause_siblings(t, fact_from_span(t, 18, 23, "COUNT", None))
    []
    """
    if not _ITEM_END.match(text, f.end):
        return []  # most figures: their clause goes on after them
    shape = _named_item(f.unit)
    own = _clause_back(text, f.start)
    if own is None or not shape.fullmatch(text, own, f.end):
        return []
    items = [shape.fullmatch(text, own, f.end)]
    at = own - 1  # back over the items before (a comma ends each)
    while at > 0 and text[at] in _COMMAS and (lo := _clause_back(text, at)) is not None \
            and (m := shape.fullmatch(text, lo, at)):
        items.insert(0, m)
        at = lo - 1
    at = f.end  # on over the items after
    while at < len(text) and text[at] in _COMMAS and (m := shape.match(text, at + 1)) and _ITEM_END.match(text, m.end()):
        items.append(m)
        at = m.end()
    if len(items) < 2:
        return []
    found = [fact_from_span(text, m.start(1), m.end(1), "COUNT", f.confidence) for m in items]
    return [g for g in found if g is not None and g.unit == f.unit]


def _clause_back(text: str, end: int) -> int | None:
    """Where the clause ending at ``end`` starts, if no more than a list item's name back."""
    lo = max(0, end - _ITEM_NAME - 24)  # (the figure and its counter too)
    marks = list(_CLAUSE_MARKS.finditer(text, lo, end))
    if marks:
        return marks[-1].end()
    return 0 if lo == 0 else None


@functools.lru_cache(maxsize=64)
def _named_item(unit: str) -> re.Pattern[str]:
    """A clause that is a short name and a figure in ``unit`` (今日头条5135条)."""
    return re.compile(rf"\s*[^\d，,。；;：:]{{1,{_ITEM_NAME}}}?([0-9]+(?:\.[0-9]+)?(?:{_INSIDE})?{re.escape(unit)})\s*")


@functools.lru_cache(maxsize=64)
def _items_of(unit: str) -> re.Pattern[str]:
    """An enumeration item counted in ``unit``: digits (no ordinal before them), a
    qualifier, the counter."""
    return re.compile(rf"(?<![0-9.{_NOT_AN_ITEM}])[0-9]+(?:\.[0-9]+)?(?:{_INSIDE})?{re.escape(unit)}")


def _clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between marks of ，。；：) around ``start:end``."""
    before = max((m.end() for m in _CLAUSE_MARKS.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    after = _CLAUSE_MARKS.search(text, end, end + 200)
    return before, after.start() if after else min(len(text), end + 200)


def _is_nickname(text: str, start: int, end: int) -> bool:
    """Does the figure end a quoted name (“创业富民30条”): its quote closes right after it
    and opened a few characters before, a name's character right before the figure, no
    clause mark between?"""
    if not text[end:end + 1] or text[end] not in _CLOSE_QUOTES or not _is_word_char(text[start - 1:start]):
        return False
    before = text[max(0, start - _NICKNAME_WITHIN):start]
    opened = max(before.rfind(q) for q in _OPEN_QUOTES)
    return opened >= 0 and not _CLAUSE_MARKS.search(before[opened:])


def _opens_quoted_name(text: str, start: int, span: str) -> bool:
    """Does a numeral in words open a quoted name (“一台一报一网”, "两微一端": a slogan's
    words, no count) — its quote right before it, closing within a few characters?

    >>> t = '打造"一台一报一网"矩阵，“一件事一次办”改革，发布信息12条'
    >>> _opens_quoted_name(t, 3, "一台"), _opens_quoted_name(t, 14, "一件"), _opens_quoted_name(t, 28, "12条")
    (True, True, False)
    """
    if span[:1] not in _CN_NUMERALS or text[start - 1:start] not in _OPEN_QUOTES or start == 0:
        return False
    return _quote_closed(text, start + len(span), start + _NICKNAME_WITHIN) >= 0


def _no_figure(text: str, start: int, span: str, end: int, label: str) -> bool:
    """Is a figure's span no figure where it stands: beside characters no reader could read,
    an amount opening a street's name, a reach label (10万+推文), a numeral opening a quoted
    name (“一台一报一网”)?"""
    return (_beside_unreadable(text, start, end) or _opens_place_name(text, span, end)
            or _THRESHOLD.match(text, start) is not None
            or label == "COUNT" and _opens_quoted_name(text, start, span))


def _opens_place_name(text: str, span: str, end: int) -> bool:
    """Does an amount in words open a street's name (地址：三元街18号 — no 3元)?

    >>> _opens_place_name("地址：三元街18号", "三元", 5), _opens_place_name("收费三元，", "三元", 4)
    (True, False)
    >>> _opens_place_name("共有十三个街道", "十三个", 5), _opens_place_name("新建三条路", "三条", 4)
    (False, False)
    """
    return span.endswith(_MONEY_UNITS) and not _DIGIT.search(span) and text.startswith(_PLACE_SUFFIXES, end)


def _is_word_char(ch: str) -> bool:
    return bool(ch) and ch.isalpha()


def _is_slogan(text: str, span: str, end: int) -> bool:
    """三个“突出”: a numeral in words and 个 before a quoted word that ends its clause or
    comes before a slogan's head — not 两个“疫情防控”专栏, a count of columns."""
    if span[:1] not in _CN_NUMERALS or not span.endswith(_SLOGAN["counter"]) or text[end:end + 1] not in _OPEN_QUOTES:
        return False
    closed = _quote_closed(text, end + 1, end + 1 + _NICKNAME_WITHIN)
    after = text[closed + 1:closed + 3]
    return closed >= 0 and (not after or _CLAUSE_MARKS.match(after) is not None or after.startswith(_SLOGAN_HEADS))


def _quote_closed(text: str, start: int, stop: int) -> int:
    """Where the first closing quote of ``text[start:stop]`` stands, or -1."""
    return min((k for k in (text.find(q, start, stop) for q in _CLOSE_QUOTES) if k >= 0), default=-1)


def _in_title(text: str, start: int, end: int) -> bool:
    """Does the span sit between a 《 and its 》 on its line?"""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    opened = text.rfind(_TITLE_OPEN, line_start, start)
    if opened < 0 or text.find(_TITLE_CLOSE, opened, start) >= 0:
        return False
    closed = text.find(_TITLE_CLOSE, end, line_end)
    return closed >= 0 and text.find(_TITLE_OPEN, end, closed) < 0
