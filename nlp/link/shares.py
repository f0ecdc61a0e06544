"""A share right after a count is that count's part of its whole (工作动态类信息397条，占9.1%):
after a count of published items, the kind's share of what was published — the model,
which learnt shares after request outcomes (予以公开35件，占42.86%), gave it one of those.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp import lexicon
from nlp.types import Fact

__all__ = ["part_shares"]

_SHARE = lexicon.load("linking")["part_share"]
_LEAD = re.compile(_SHARE["lead"])
_OF, _NOT_OF = tuple(_SHARE["of"]), frozenset(_SHARE["not_of"])
_REACH = 16  # characters between a count and its share, at most


def part_shares(text: str, facts: list[Fact]) -> list[Fact]:
    """``facts`` (linked, in text order) with each share that follows a count of published
    items given that kind's share topic.

    >>> t = "其中工作动态类信息397条，占9.1%；办结率100%。"
    >>> fs = [Fact(9, 13, "397条", "COUNT", 397, "条", indicator="narrative.active.work_updates"),
    ...       Fact(15, 19, "9.1%", "PERCENT", 9.1, "%", indicator="narrative.requests.outcome_share"),
    ...       Fact(23, 27, "100%", "PERCENT", 100, "%", indicator="narrative.mailbox.completion")]
    >>> [f.indicator for f in part_shares(t, fs)][1:]
    ['narrative.active.category_share', 'narrative.mailbox.completion']
    >>> t = "通知公告71条，占主动公开信息总量的12%。"
    >>> fs = [Fact(4, 7, "71条", "COUNT", 71, "条", indicator="narrative.active.notices"),
    ...       Fact(18, 21, "12%", "PERCENT", 12, "%", indicator="narrative.requests.outcome_share")]
    >>> part_shares(t, fs)[1].indicator
    'narrative.active.category_share'
    >>> t = "通知公告类120条，占总体的比例为40%。"  # the words of a longer lead
    >>> fs = [Fact(5, 9, "120条", "COUNT", 120, "条", indicator="narrative.active.notices"),
    ...       Fact(17, 20, "40%", "PERCENT", 40, "%", indicator="narrative.requests.online_share")]
    >>> part_shares(t, fs)[1].indicator
    'narrative.active.category_share'
    >>> t = "政府网站公开信息103条，约占97.2%。"  # a channel's part of the items published
    >>> fs = [Fact(8, 12, "103条", "COUNT", 103, "条", indicator="narrative.website.posts"),
    ...       Fact(15, 20, "97.2%", "PERCENT", 97.2, "%", indicator="narrative.requests.online_share")]
    >>> part_shares(t, fs)[1].indicator
    'narrative.active.category_share'
    >>> t = "主动公开信息1200条，占85%。"  # after the total: no kind's share
    >>> fs = [Fact(6, 11, "1200条", "COUNT", 1200, "条", indicator="narrative.active.items"),
    ...       Fact(13, 16, "85%", "PERCENT", 85, "%", indicator="narrative.active.disclosure_rate")]
    >>> part_shares(t, fs)[1].indicator
    'narrative.active.disclosure_rate'
    >>> t = "予以公开35件，占42.86%。"  # a request outcome's share stays one
    >>> fs = [Fact(4, 7, "35件", "COUNT", 35, "件", indicator="requests.granted.total"),
    ...       Fact(9, 15, "42.86%", "PERCENT", 42.86, "%", indicator="narrative.requests.outcome_share")]
    >>> part_shares(t, fs)[1].indicator
    'narrative.requests.outcome_share'
    """
    out = list(facts)
    for k in range(1, len(out)):
        share, count = out[k], out[k - 1]
        kind = count.indicator or ""
        if share.label != "PERCENT" or count.label != "COUNT" or not kind.startswith(_OF) or kind in _NOT_OF:
            continue  # (a share after the total's count is a rate of disclosure, no kind's share)
        if count.end <= share.start <= count.end + _REACH and _LEAD.fullmatch(text, count.end, share.start):
            out[k] = replace(share, indicator=_SHARE["topic"])
    return out
