"""A figure that only sums the figures before it: 本年新收3件，上年结转1件，共计4件.

Its own clause names no cell (共计 is no cell's word), so the linker gives it a topic;
yet it is the composite whose parts the figures before it in its sentence were linked
to, when it is their sum (``composites`` of nlp/data/indicators.yaml: 新收 + 上年结转 is
``requests.received.total``).  The words that say "in all" are linking.yaml's
``sum_words``.
"""

from __future__ import annotations

import bisect

from dataclasses import replace
from functools import lru_cache

from nlp import lexicon
from nlp.indicators import composite_parts, grid_template, registry
from nlp.link.context import clause_start, sentence_bounds
from nlp.link.ids import is_table
from nlp.types import Fact

__all__ = ["linked_sums", "zero_sums_as_parts"]

_SUM_CLAUSE = lexicon.pattern("linking", "sum_words")


def linked_sums(text: str, facts: list[Fact], template: str | None) -> list[Fact]:
    """``facts`` (linked) with each sum-only figure given the composite its sentence's
    earlier figures are the parts of, when their values add up to it.

    >>> t = "本年新收申请3件，上年结转1件，共计4件。"
    >>> fs = [Fact(6, 8, "3件", "COUNT", 3, "件", indicator="requests.new.total"),
    ...       Fact(13, 15, "1件", "COUNT", 1, "件", indicator="requests.carried_over.total"),
    ...       Fact(18, 20, "4件", "COUNT", 4, "件", indicator="narrative.requests.other")]
    >>> [f.indicator for f in linked_sums(t, fs, "2021")][-1]
    'requests.received.total'
    >>> [f.indicator for f in linked_sums(t.replace("共计4件", "共计5件"), fs[:2] + [replace(fs[2], value=5)], "2021")][-1]
    'narrative.requests.other'
    """
    out = list(facts)
    starts = [f.start for f in facts]  # in text order, as the extractor gives them (else all are looked at)
    ordered = all(a <= b for a, b in zip(starts, starts[1:]))
    for k, fact in enumerate(facts):
        if fact.label != "COUNT" or is_table(fact.indicator) or not _sums_only(text, fact):
            continue
        s0, _s1 = sentence_bounds(text, fact.start, fact.end)
        first = bisect.bisect_left(starts, s0, 0, k) if ordered else 0  # a long report has thousands of facts
        before = [f for f in facts[first:k] if f.start >= s0 and f.indicator and f.unit == fact.unit]
        composite = _composite_of_parts(grid_template(template)).get(frozenset(f.indicator for f in before))
        if composite and len({f.indicator for f in before}) == len(before) \
                and sum(f.value for f in before) == fact.value:
            out[k] = replace(fact, indicator=composite)
    return out


def zero_sums_as_parts(facts: list[Fact], template: str | None) -> list[Fact]:
    """A count of 0 linked to a composite (行政诉讼0件: ``litigation.total``) as one fact per
    cell it sums, same span, as a zero claim that denies several cells is written (none of
    them can be more than 0); composites of more than ``_PARTS_WRITTEN`` cells stay one.

    >>> f = Fact(4, 6, "0件", "COUNT", 0, "件", indicator="litigation.total")
    >>> [x.indicator for x in zero_sums_as_parts([f], "2021")]
    ['litigation.direct.total', 'litigation.after_review.total']
    >>> g = replace(f, indicator="review_litigation.total")  # a cell given twice is written once
    >>> [x.indicator for x in zero_sums_as_parts([replace(f, indicator="review.total"), g], "2021")]
    ['review.total', 'litigation.direct.total', 'litigation.after_review.total']
    """
    out, seen = [], set()
    for fact in facts:
        parts = composite_parts(fact.indicator, grid_template(template)) \
            if fact.label == "COUNT" and fact.value == 0 and fact.indicator else ()
        for one in [replace(fact, indicator=part) for part in parts] if 1 < len(parts) <= _PARTS_WRITTEN else [fact]:
            key = (one.start, one.end, one.label, one.indicator)
            if key not in seen:  # 行政复议和行政诉讼均为0件: review's cell once, by itself and in the sum
                seen.add(key)
                out.append(one)
    return out


_PARTS_WRITTEN = 3  # 行政复议和行政诉讼: three cells; 不予公开's eight sub-rows stay its composite


def _sums_only(text: str, fact: Fact) -> bool:
    """Is the fact's clause, up to it, nothing but a word saying 'in all'?"""
    own = text[clause_start(text, fact.start, sentence_bounds(text, fact.start, fact.end)[0]):fact.start]
    return _SUM_CLAUSE.fullmatch(own.strip()) is not None


@lru_cache(maxsize=4)
def _composite_of_parts(template: str) -> dict[frozenset[str], str]:
    """The set of cells each composite sums → the composite, for one template."""
    return {frozenset(parts): cid for cid in registry().composites
            if len(parts := composite_parts(cid, template)) > 1}
