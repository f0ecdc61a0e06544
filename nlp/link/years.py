"""Last year's figures in the 2019 grid: 2020年主动公开行政许可33项 in the report for 2021 is
table 2's 上一年项目数量 of 行政许可, not this year's 处理决定数量 — the grid has a column
for the year before, and the year the sentence names (:func:`nlp.periods.figure_year`,
the reconciler's reading too) says the figure is of it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from nlp import lexicon
from nlp.indicators import INDICATORS, grid_template, registry
from nlp.link.context import sentence_bounds
from nlp.periods import LAST_YEAR_WORDS, figure_year
from nlp.types import Fact

__all__ = ["last_year_items"]

_ITEMS = lexicon.load("linking")["last_year_items"]
_ITEM_UNITS, _ITEM_WORDS, _UNLESS = tuple(_ITEMS["units"]), tuple(_ITEMS["words"]), tuple(_ITEMS["unless"])


def last_year_items(text: str, facts: list[Fact], template: str | None, year: int | None) -> list[Fact]:
    """``facts`` (linked) with each count of the year before ``year`` that went to a 2019-grid
    row having a last-year column moved to that column.

    >>> t = "我局2020年主动公开行政许可33项，行政处罚36项。"
    >>> fs = [Fact(14, 17, "33项", "COUNT", 33, "项", indicator="active.licensing.decisions"),
    ...       Fact(22, 25, "36项", "COUNT", 36, "项", indicator="active.penalty.decisions")]
    >>> [f.indicator for f in last_year_items(t, fs, "2019", 2021)]
    ['active.licensing.prev_items', 'active.penalty.prev_items']
    >>> [f.indicator for f in last_year_items(t, fs, "2021", 2021)] == [f.indicator for f in fs]
    True
    >>> t = "我局2020年办理行政许可1200件。"  # cases, not items: last year's decisions, no cell of this table
    >>> [f.indicator for f in last_year_items(t, [Fact(10, 15, "1200件", "COUNT", 1200, "件",
    ...                                             indicator="active.licensing.decisions")], "2019", 2021)]
    ['active.licensing.decisions']
    """
    if year is None or grid_template(template) != "2019":
        return facts
    out = []
    for f in facts:
        column = _last_year_column(f.indicator) if f.label == "COUNT" and f.indicator else None
        if column and column != f.indicator:
            before = text[sentence_bounds(text, f.start, f.end)[0]:f.start]
            counts_items = f.unit in _ITEM_UNITS or any(w in before for w in _ITEM_WORDS)
            if counts_items and figure_year(before) == int(year) - 1 and not any(w in before for w in _UNLESS):
                f = replace(f, indicator=column)
        out.append(f)
    return out


@lru_cache(maxsize=256)
def _last_year_column(indicator: str) -> str | None:
    """The 2019-grid cell of the id's row whose column is labelled by the year before."""
    cell = INDICATORS.get(indicator)
    if cell is None or "2019" not in cell.templates:
        return None
    for other in registry().indicators.values():
        if (other.table, other.row_id) == (cell.table, cell.row_id) and "2019" in other.templates \
                and any(w in other.column for w in LAST_YEAR_WORDS):
            return other.id
    return None
