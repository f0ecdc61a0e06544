"""Which year a narrative figure is of: the year its clause opens with (2022年受理申请5件,
我局2020年公开行政许可33项), or, for an item of a list of figures (…行政许可33项，行政处罚36项),
the year of the clause the list opens with.

One reading for two stages: the linker files last year's figures of the 2019 grid under its
上一年项目数量 column, and the reconciler compares no figure of another year with this
year's cells.
"""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.claims import CLAIM_END

__all__ = ["LAST_YEAR_WORDS", "figure_year"]

_WORDS = lexicon.load("reconcile")
_YEAR = re.compile(_WORDS["year_pattern"])
_ITEM_HEAD = re.compile(_WORDS["list_item"]["head"])
_ITEM = re.compile(_WORDS["list_item"]["clause"])
_FIGURE_END = re.compile(_WORDS["list_item"]["figure_end"])
_ORIGIN = re.compile(_WORDS["list_item"]["not_after_year"])
_THIS_YEAR = tuple(str(w) for w in _WORDS["several_years"]["this_year"])  # 今年, 本年, 全年 …
LAST_YEAR_WORDS = tuple(str(w) for w in _WORDS["last_year"])  # words that name the year before the report's


def figure_year(before: str) -> int | None:
    """The year of the figure that ``before`` (its sentence up to the figure) leads to: its
    clause's opening year, else — when the figure is an item of a list (a few words, no
    year) — the year of the clause the list opens with; None when no year is said.

    >>> figure_year("我局2020年主动公开行政许可33项，行政处罚")
    2020
    >>> figure_year("2022年收到申请5件，同比增加2件，2023年收到申请")
    2023
    >>> figure_year("与2022年相比，收到申请"), figure_year("废止2000年-2022年规范性文件")
    (None, None)
    >>> figure_year("2020年，根据工作安排，收到申请")  # a clause with no figure ends the list
    >>> figure_year("2022年结转申请0件，予以公开")  # the year a count was carried from
    >>> figure_year("2019年以来累计受理120件，今年受理")  # the report's own year again
    """
    clauses = CLAIM_END.split(before)
    head = clauses[-1]
    found = _YEAR.match(head)
    if found:
        return int(found.group(1))
    if not _ITEM_HEAD.match(head) or any(w in head for w in _THIS_YEAR):
        return None  # no list item, or one that says it is of the report's year (今年受理…)
    for clause in reversed(clauses[:-1]):  # back over the list's items to the clause it opens with
        if not _FIGURE_END.search(clause):
            return None
        found = _YEAR.match(clause)
        if found:
            return None if _ORIGIN.match(clause, found.end()) else int(found.group(1))
        if not _ITEM.match(clause):
            return None
    return None
