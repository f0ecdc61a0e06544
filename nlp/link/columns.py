"""Outcomes told for one kind of applicant: 自然人申请7件（予以公开2件，部分公开2件）.

A figure's own clause names its outcome (予以公开 → ``requests.granted.total``) but not
whose it is; a bracket opened right after one column's requests (``requests.new.natural``)
holds that column's outcomes, so each of its table-3 figures takes the column's cell.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp import lexicon
from nlp.indicators import grid_template, ids_for_template
from nlp.types import Fact

__all__ = ["column_parts"]

_OPEN = tuple(lexicon.words("punctuation", "open_brackets"))
_CLOSE = tuple(lexicon.words("punctuation", "close_brackets"))
_COLUMN_REQUESTS = re.compile(r"requests\.new\.(\w+)")
_ROW_TOTAL = re.compile(r"(requests\.\w+(?:\.\w+)?)\.total")
_BRACKET_CHARS = 200  # a bracket of outcomes is a clause or two, never a paragraph
_SENTENCE_END = "。\n"


def column_parts(text: str, facts: list[Fact], template: str | None) -> list[Fact]:
    """``facts`` (linked) with the table-3 figures in the bracket after one column's requests
    given that column's cells (a cell the template lacks, a composite's, is left as linked).

    >>> t = "其中自然人申请7件（予以公开2件，部分公开2件），法人申请1件。"
    >>> fs = [Fact(7, 9, "7件", "COUNT", 7, "件", indicator="requests.new.natural"),
    ...       Fact(14, 16, "2件", "COUNT", 2, "件", indicator="requests.granted.total"),
    ...       Fact(21, 23, "2件", "COUNT", 2, "件", indicator="requests.partial.total"),
    ...       Fact(29, 31, "1件", "COUNT", 1, "件", indicator="requests.new.total")]
    >>> [f.indicator for f in column_parts(t, fs, "2021")]
    ['requests.new.natural', 'requests.granted.natural', 'requests.partial.natural', 'requests.new.total']
    >>> [f.indicator for f in column_parts(t[:18], fs[:2], "2021")]  # an opening cut inside the bracket
    ['requests.new.natural', 'requests.granted.natural']
    """
    out = list(facts)
    known: set[str] | None = None
    for fact in facts:
        column = _COLUMN_REQUESTS.fullmatch(fact.indicator or "")
        if column is None or column.group(1) == "total":
            continue
        close = _bracket_after(text, fact.end)
        if close is None:
            continue
        known = known if known is not None else set(ids_for_template(grid_template(template)))
        for k, other in enumerate(out):
            row = _ROW_TOTAL.fullmatch(other.indicator or "")
            cell = f"{row.group(1)}.{column.group(1)}" if row else None
            if fact.end < other.start < close and cell in known:
                out[k] = replace(other, indicator=cell)
    return out


def _bracket_after(text: str, end: int) -> int | None:
    """Where the bracket that opens right after a figure closes (None: no bracket there);
    a bracket left open (a scraped opening cut inside it) ends with its sentence."""
    at = end
    while at < len(text) and text[at] in " \u3000":
        at += 1
    if at >= len(text) or text[at] not in _OPEN:
        return None
    depth = 0
    for k in range(at, min(len(text), at + _BRACKET_CHARS)):
        if text[k] in _OPEN:
            depth += 1
        elif text[k] in _CLOSE:
            depth -= 1
            if depth == 0:
                return k
        elif text[k] in _SENTENCE_END:
            return k
    return min(len(text), at + _BRACKET_CHARS)
