"""The heading-regex baseline: a line opening with 一、 … 六、 starts a part of the report."""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.component import Rules, Work
from nlp.segment.features import cn_value, norm
from nlp.segment.lines import content_lines, fill_lines
from nlp.types import Line

_RULE = lexicon.load("sections")["rule"]
_RULE_HEAD = re.compile(_RULE["head"])
_RULE_SUB = re.compile(_RULE["sub"])
# the section a heading's head names, by the first group of words found there
_RULE_KEYS = tuple((str(section), tuple(map(str, words))) for section, words in _RULE["keys"].items())
# the section of a heading whose words name none, by its numeral
_BY_NUMERAL = ("overview", "active", "requests", "review", "problems", "other")


class RuleSegmenter(Rules):
    """Baseline: a line is a section heading when it starts with ``一、`` … ``六、``.

    The section comes from the heading's keyword, else from its numeral (一 → overview,
    二 → active …); lines before the first heading are the title (first line) and the
    preamble; sub-headings (``（一）``, ``1.``, ``一是``) outside table grids are
    flagged as headings too.
    """

    stage = "segmenter"
    backend = "rule"

    def __call__(self, work: Work) -> list[Line]:
        idx, texts, mask = content_lines(work.doc)
        sections, heads = [], []
        current = "title"
        for k, raw in enumerate(texts):
            text = norm(raw).strip()
            m = _RULE_HEAD.match(text)
            head = False
            if m:
                head = True
                current = _section_of(text, m.group(1))
            elif _RULE_SUB.match(text) and mask[k] < 0 and "\t" not in raw and "|" not in text:
                head = True
            elif current in ("title", "preamble"):
                current = "title" if k == 0 else "preamble"
                head = k == 0
            sections.append(current)
            heads.append(head)
        return fill_lines(work.doc, idx, sections, heads, [1.0] * len(texts))


def _section_of(heading: str, numeral: str) -> str:
    """The section a part's heading opens: the one its head's words name, else its numeral's."""
    named = next((s for s, words in _RULE_KEYS if any(w in heading[:20] for w in words)), None)
    return named or _BY_NUMERAL[min(cn_value(numeral), 6) - 1]
