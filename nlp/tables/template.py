"""Which template a report's tables follow: "2021", "2019" or "unknown".

Tables 2 and 3 vote with the labels and row shapes only one template prints; when they
do not tell, the report year in the title decides (2019–2020 reports use the 2019
template, 2021 and later the 2021 one).  The words are ``nlp/data/lexicon/tables.yaml``'s.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from nlp import lexicon
from nlp.tables.cells import fold, label_core
from nlp.tables.grid import best, find_regions, t2_cands
from nlp.tables.rows import values_after
from nlp.tables.tokens import Cand, Tok, region_tokens
from nlp.types import Document, Line

__all__ = ["detect_template", "template_of", "template_votes", "template_from_year", "template_of_year"]

_WORDS = lexicon.load("tables")
_PER_TEMPLATE_ROWS = tuple(Cand(label_core(x), "row", x) for x in _WORDS["labels"]["active_per_template_rows"])
_ROWS_2021 = tuple(Cand(label_core(x), "row", "2021") for x in _WORDS["labels"]["requests_2021_rows"])
_ROWS_2021_CORES = tuple(c.core for c in _ROWS_2021)  # for one str.startswith over them all
_OTHER = _WORDS["labels"]["requests_other"]
_TITLE_YEAR = re.compile(_WORDS["template"]["title_year"])
_PERIOD_YEAR = re.compile(_WORDS["template"]["period_year"])


def detect_template(doc: Document, lines: list[Line] | None = None) -> str:
    """"2021", "2019" or "unknown": from the column labels and row shapes of tables 2 and 3,
    else from the report year in the title (the same rule ``parse_tables`` applies)."""
    texts = doc.line_texts()
    regions = find_regions(texts, lines)
    toks = {k: region_tokens(doc, texts, *regions[k]) if k in regions else [] for k in (2, 3)}
    return template_of(toks[2], toks[3], texts)


def template_of(toks2: list[Tok], toks3: list[Tok], texts: list[str]) -> str:
    """The tables' vote, else the title's year."""
    template = _decide(template_votes(toks2, toks3))
    return template if template != "unknown" else template_from_year(texts)


def _decide(votes: Counter) -> str:
    if votes["2021"] > votes["2019"]:
        return "2021"
    if votes["2019"] > votes["2021"]:
        return "2019"
    return "unknown"


def template_votes(toks2: list[Tok], toks3: list[Tok]) -> Counter:
    """Votes for "2021" and "2019" from table 2's labels and row shapes and table 3's rows."""
    votes: Counter = Counter()
    _vote_table2(toks2, votes)
    _vote_other_rows(toks3, votes)
    return votes


@lru_cache(maxsize=None)
def _template_cands() -> tuple[Cand, ...]:
    """Labels only one template prints (table 2 rows/columns), tagged with that template."""
    c21 = {c.core for c in t2_cands("2021")} - {c.core for c in t2_cands("2019")}
    c19 = {c.core for c in t2_cands("2019")} - {c.core for c in t2_cands("2021")}
    return tuple([Cand(c, "t", "2021") for c in sorted(c21)] + [Cand(c, "t", "2019") for c in sorted(c19)])


def _vote_table2(toks2: list[Tok], votes: Counter) -> None:
    """Table 2's labels only one template prints, and the row shapes: values on the
    licensing/penalty/enforcement rows, 3 (2019) or 1 (2021).  One pass over the labels
    asks both."""
    cands = _template_cands()
    for i in _text_positions(toks2):
        core = label_core(toks2[i].text)
        cand, _ = best(core, cands, 0.8)
        if cand is not None:
            votes[cand.id] += 1
        if best(core, _PER_TEMPLATE_ROWS, 0.9)[0] is not None:
            nums = [v for v in values_after(toks2, i) if v.kind == "num"]
            # values one a line below the label weigh half: a table printed column by column
            # leaves one after each 2019 row, as a 2021 row has
            weight = 2 if _on_its_row(toks2[i], nums) else 1
            if len(nums) == 3:
                votes["2019"] += weight
            elif len(nums) == 1:
                votes["2021"] += weight


def _on_its_row(label: Tok, nums: list[Tok]) -> bool:
    """Do the values stand on the label's own line or grid row (a row's shape, whatever the
    layout), not one a line below it?"""
    return bool(nums) and all(v.line == label.line or (v.row is not None and v.row == label.row) for v in nums)


def _text_positions(toks: list[Tok]) -> list[int]:
    """Where the text tokens are (the labels; most tokens are values)."""
    return [i for i, tok in enumerate(toks) if tok.kind == "text"]


def _vote_other_rows(toks3: list[Tok], votes: Counter) -> None:
    """Table 3's "other handling" row with its own numbers (2019) or with sub-rows (2021)."""
    for i in _text_positions(toks3):
        core = label_core(toks3[i].text)
        if core == _OTHER:
            nums = [v for v in values_after(toks3, i) if v.kind == "num"]
            votes["2019" if len(nums) >= 5 else "2021"] += 1
        elif core.startswith(_ROWS_2021_CORES):
            votes["2021"] += 1


def template_from_year(texts: list[str]) -> str:
    """Fallback when the tables show no template-specific label: the report year in the
    title (2019–2020 reports use the 2019 template, 2021 and later the 2021 one).

    >>> template_from_year(["", "某局2020年政府信息公开工作年度报告"]), template_from_year(["标题"])
    ('2019', 'unknown')
    """
    head = "".join(fold(t).replace(" ", "") for t in texts[:15])  # titles wrap over lines
    m = _TITLE_YEAR.search(head) or _PERIOD_YEAR.search(head)
    if not m:
        return "unknown"
    return template_of_year(int(m.group(1)))


def template_of_year(year: int | None) -> str:
    """The template a report of ``year`` is written on: 2019–2020 the 2019 one, 2021 and
    later the 2021 one.

    >>> template_of_year(2020), template_of_year(2022), template_of_year(None)
    ('2019', '2021', 'unknown')
    """
    if year is None:
        return "unknown"
    return "2019" if year in (2019, 2020) else "2021" if year >= 2021 else "unknown"
