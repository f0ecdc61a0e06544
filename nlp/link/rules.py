"""The keyword linker (backend ``rule``): the linking baseline, and the pipeline's fallback.

Its rules are data (``rules`` and ``zero_rules`` of nlp/data/lexicon/linking.yaml): a
figure gets the id of the first rule whose words all appear in the clause before it; a
figure after 其中 (a part) or a percentage gets none; a zero claim gets every id its
words name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from nlp import lexicon
from nlp.component import Rules, Work
from nlp.link.context import BREAKDOWN, clause_start, sentence_bounds
from nlp.types import Fact

__all__ = ["RuleLinker"]

_DATA = lexicon.load("linking")
_RULES: tuple[tuple[tuple[str, ...], str], ...] = tuple((tuple(r["all"]), r["id"]) for r in _DATA["rules"])
_ZERO_RULES: tuple[tuple[str, tuple[str, ...]], ...] = tuple((r["word"], tuple(r["ids"])) for r in _DATA["zero_rules"])


class RuleLinker(Rules):
    """Keyword rules over the clause before a fact: 其中 breakdowns get no id; zero claims
    get every id their keywords name.

    >>> from nlp.types import Document, lines_of
    >>> t = "共收到申请44件，其中网上申请42件。未发生行政复议和行政诉讼"
    >>> facts = [Fact(5, 8, "44件", "COUNT", 44), Fact(15, 18, "42件", "COUNT", 42),
    ...          Fact(19, 31, t[19:31], "ZERO", 0)]
    >>> work = Work(Document("t", "txt", t, lines_of(t)), facts=facts)
    >>> [f.indicator for f in RuleLinker()(work)]
    ['requests.new.total', None, 'review.total', 'litigation.direct.total', 'litigation.after_review.total']
    """

    stage: ClassVar[str] = "linker"
    backend: ClassVar[str] = "rule"
    name = "rule"

    def __call__(self, work: Work) -> list[Fact]:
        out: list[Fact] = []
        for f in work.facts:
            for ind in self._ids(work.text, f):
                out.append(replace(f, indicator=ind, confidence=None))
        return out

    def _ids(self, text: str, f: Fact) -> list[str | None]:
        if f.label == "ZERO":
            ids = [i for key, group in _ZERO_RULES if key in f.text for i in group]
            return list(dict.fromkeys(ids)) or [None]
        s0, _ = sentence_bounds(text, f.start, f.end)
        clause = text[clause_start(text, f.start, s0):f.start]
        if BREAKDOWN in clause or f.label == "PERCENT":
            return [None]
        for keys, ind in _RULES:
            if all(k in clause for k in keys):
                return [ind]
        return [None]
