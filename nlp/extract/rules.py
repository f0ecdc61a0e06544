"""Rule extractors (the baselines reported beside the model, and the ``--rules`` fallback).

- ``RuleExtractor`` — ours: a number+unit regex (Arabic and Chinese numerals read by
  ``nlp.numbers``), a few guards every regex writer adds (no ordinals after 第, no
  digits glued to letters or other digits), and a small zero-claim regex
  (未收到/未发生…申请/复议/诉讼).  It cannot tell a fact from a number that only looks
  like one (a count inside a law title, 六个部分 of the report itself); that is what
  the trained extractor is for.
- ``RecognizersExtractor`` — outside reference: Microsoft Recognizers-Text for Chinese
  (numbers, percentages, currency).  It finds numbers, not facts: we attach the unit
  that follows a number (Recognizers has no 条/件/人次 dimension for Chinese) and keep
  only numbers that carry one.  It never finds zero claims.  ``available()`` is False
  when ``recognizers_text`` cannot be imported (it needs ``emoji<1.0``).

Both are components of the extractor stage (``nlp.component``): ``extractor(work)``
reads each narrative block of ``work.spans`` on its own and returns ``nlp.types.Fact``
with ``indicator=None``, offsets in the document's text.  ``span_fact`` reads one given
span (value, unit, approx, label).  Their words are ``nlp/data/lexicon/extract.yaml``
(``rules``) and ``numerals.yaml``.
"""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.component import Rules, Work
from nlp.numbers import _CN_DIGITS, NUMERAL_CHARS, parse_quantity
from nlp.extract.text import ZERO_RE, ZERO_TOPIC
from nlp.types import Fact

__all__ = ["RuleExtractor", "RecognizersExtractor", "span_fact", "FACT_UNITS"]

_RULES = lexicon.load("extract")["rules"]
_NUMERALS = lexicon.load("numerals")

# The units a narrative fact is counted in (units.yaml `narrative_fact`: no 日/天/页).
FACT_UNITS = tuple(sorted(lexicon.words("units", "narrative_fact"), key=len, reverse=True))
_UNIT = "|".join(re.escape(u) for u in FACT_UNITS)
_DIGIT_CHARS = "".join(_CN_DIGITS)
_TEN = "".join(str(c) for c in _NUMERALS["places"][10][:1])
_SCALES = "".join(lexicon.words("numerals", "money", "scales"))   # 万/亿 before the unit (3万余条)
_BETWEEN = lexicon.pattern("qualifiers", "extract_inside", longest_first=False).pattern
# A Chinese numeral starts with a digit or 十 (a bare 万 in 单位：万元 is not a number).
_NUMBER = (rf"(?:\d[\d,]*(?:\.\d+)?|(?=[{_DIGIT_CHARS}{_TEN}])[{NUMERAL_CHARS}]+"
           rf"(?:{_NUMERALS['point']}[{_DIGIT_CHARS}]+)?)")
FACT_RE = re.compile(
    rf"(?<![\d.A-Za-z{_RULES['ordinal']}{NUMERAL_CHARS}])"
    rf"(?:{_NUMERALS['percent_prefix']}{_NUMBER}|{_NUMBER}[{_SCALES}]?(?:{_BETWEEN})?[ \u3000]?(?:{_UNIT}))"
)
_STARTS_WITH_NUMBER = re.compile(rf"\s*[\d{NUMERAL_CHARS}]")


def span_fact(text: str, start: int, end: int, label: str | None = None) -> Fact | None:
    """A Fact for ``text[start:end]`` with value/unit/approx filled by ``nlp.numbers``.

    >>> span_fact("共发布近600条信息", 4, 8)
    Fact(start=4, end=8, text='600条', label='COUNT', value=600, unit='条', approx=True, indicator=None, confidence=None)
    >>> span_fact("年度未收到申请", 2, 7).label
    'ZERO'
    """
    span = text[start:end]
    try:
        q = parse_quantity(span, before=text[max(0, start - 3):start], after=text[end:end + 2])
    except ValueError:
        return None
    is_zero = not _STARTS_WITH_NUMBER.match(span) and q.value == 0
    lab = label or ("ZERO" if is_zero else q.label)
    return Fact(start, end, span, lab, q.value, q.unit, q.approx)


class _Rules(Rules):
    """What both rule extractors share: no files, and each block read on its own."""

    stage = "extractor"

    def __call__(self, work: Work) -> list[Fact]:
        """The facts of each narrative block, offsets shifted back into the document."""
        facts: list[Fact] = []
        for start, end in work.spans:
            for f in self.find(work.text[start:end]):
                f.start += start
                f.end += start
                facts.append(f)
        return facts

    def find(self, text: str) -> list[Fact]:  # pragma: no cover - each rule set defines it
        raise NotImplementedError


class RuleExtractor(_Rules):
    """Regex number+unit facts and regex zero claims (our rule baseline)."""

    backend = "rule"

    def find(self, text: str) -> list[Fact]:
        """The facts in one block of text."""
        facts = []
        for m in FACT_RE.finditer(text):
            fact = span_fact(text, m.start(), m.end())
            if fact is not None and _is_plausible(m.group()):
                facts.append(fact)
        for m in ZERO_RE.finditer(text):
            if ZERO_TOPIC.search(m.group()):
                facts.append(Fact(m.start(), m.end(), m.group(), "ZERO", 0, "", False))
        return sorted(facts, key=lambda f: (f.start, f.end))


def _is_plausible(span: str) -> bool:
    """Reject bare Chinese enumerators the regex catches (一个 in 一个平台 stays: a baseline).

    >>> _is_plausible("十条"), _is_plausible("一是")
    (True, False)
    """
    return not span.endswith(_RULES["enumerator_end"])


class RecognizersExtractor(_Rules):
    """Microsoft Recognizers-Text (Chinese) numbers + the unit that follows them."""

    backend = "recognizers"

    def __init__(self) -> None:
        from recognizers_number import recognize_number, recognize_percentage
        from recognizers_number_with_unit import recognize_currency
        from recognizers_text import Culture

        self._culture = Culture.Chinese
        self._finders = (recognize_percentage, recognize_currency, recognize_number)

    @staticmethod
    def available() -> bool:
        try:
            import recognizers_number  # noqa: F401
            import recognizers_number_with_unit  # noqa: F401
            import recognizers_text  # noqa: F401
        except Exception:  # ImportError, or emoji>=1.0 breaking the import
            return False
        return True

    def find(self, text: str) -> list[Fact]:
        """The numbers with a unit in one block of text."""
        taken: list[tuple[int, int]] = []
        facts: list[Fact] = []
        for finder in self._finders:  # percentages and money first, bare numbers last
            for res in finder(text, self._culture):
                start, end = res.start, res.end + 1  # Recognizers ends are inclusive
                if any(s < end and start < e for s, e in taken):
                    continue
                end = _attach_unit(text, end)
                fact = span_fact(text, start, end)
                if fact is None or (fact.unit == "" and fact.label != "PERCENT"):
                    continue
                taken.append((start, end))
                facts.append(fact)
        return sorted(facts, key=lambda f: (f.start, f.end))


_UNIT_AFTER = re.compile(rf"[{_SCALES}]?(?:{_BETWEEN})?[ \u3000]?(?:{_UNIT})")


def _attach_unit(text: str, end: int) -> int:
    """Extend a number span over the 余/多 and unit that follow it.

    >>> t = "发布188余条信息"
    >>> t[2:_attach_unit(t, 5)]
    '188余条'
    """
    m = _UNIT_AFTER.match(text, end)
    return m.end() if m else end
