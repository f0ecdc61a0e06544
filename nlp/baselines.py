"""Baseline fact extractors behind the ``Extractor`` interface, reported in every evaluation.

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

Both return ``nlp.types.Fact`` with ``indicator=None``; ``extract(text, spans)`` with
spans given only normalizes those spans (value, unit, approx, label).
"""

from __future__ import annotations

import re
from typing import Iterable

from nlp.numbers import _CN_CHARS, _CN_DIGITS, APPROX_AFTER, parse_quantity
from nlp.types import Fact

__all__ = ["RuleExtractor", "RecognizersExtractor", "span_fact", "FACT_UNITS", "span_prf"]

# The units a narrative fact is counted in (no 日/天/页: those are dates and durations).
FACT_UNITS = tuple(sorted((
    "件", "份", "条", "项", "篇", "个", "次", "人次", "人", "名", "期", "场", "批次", "种",
    "元", "万元", "亿元", "%", "家", "户", "部", "起", "例", "则", "场次", "期次", "件次",
    "个次", "批", "封", "位", "所",
), key=len, reverse=True))
_UNIT = "|".join(re.escape(u) for u in FACT_UNITS)
# A Chinese numeral starts with a digit or 十 (a bare 万 in 单位：万元 is not a number).
_NUMBER = (rf"(?:\d[\d,]*(?:\.\d+)?|(?=[{''.join(_CN_DIGITS)}十])[{_CN_CHARS}]+"
           rf"(?:点[{''.join(_CN_DIGITS)}]+)?)")
FACT_RE = re.compile(
    rf"(?<![\d.A-Za-z第{_CN_CHARS}])(?:百分之{_NUMBER}|{_NUMBER}[万亿]?(?:余|多)?[ \u3000]?(?:{_UNIT}))"
)
# A negated event verb and the rest of its clause, kept when the clause names something
# a report counts (requests, reviews, suits, fees, accountability cases).
ZERO_RE = re.compile(
    r"(?:未(?:曾)?(?:收到|发生|出现|产生|接到|受理|有|收取)|没有(?:收到|发生|出现|收取)"
    r"|无(?=[^，。；\n]{0,12}(?:复议|诉讼)))[^，。；;,\n]{0,30}"
)
_ZERO_TOPIC = re.compile(r"申请|复议|诉讼|起诉|收费|处理费|责任追究|投诉")


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
    is_zero = not re.match(r"\s*[\d百" + _CN_CHARS + "]", span) and q.value == 0
    lab = label or ("ZERO" if is_zero else q.label)
    return Fact(start, end, span, lab, q.value, q.unit, q.approx)


def _given(text: str, spans: Iterable[tuple[int, int]]) -> list[Fact]:
    return [f for s, e in spans if (f := span_fact(text, s, e)) is not None]


class RuleExtractor:
    """Regex number+unit facts and regex zero claims (our rule baseline)."""

    name = "rule"

    def extract(self, text: str, spans: list[tuple[int, int]] | None = None) -> list[Fact]:
        if spans is not None:
            return _given(text, spans)
        facts = []
        for m in FACT_RE.finditer(text):
            fact = span_fact(text, m.start(), m.end())
            if fact is not None and _is_plausible(m.group()):
                facts.append(fact)
        for m in ZERO_RE.finditer(text):
            if _ZERO_TOPIC.search(m.group()):
                facts.append(Fact(m.start(), m.end(), m.group(), "ZERO", 0, "", False))
        return sorted(facts, key=lambda f: (f.start, f.end))


def _is_plausible(span: str) -> bool:
    """Reject bare Chinese enumerators the regex catches (一个 in 一个平台 stays: a baseline).

    >>> _is_plausible("十条"), _is_plausible("一是")
    (True, False)
    """
    return not span.endswith("是")


class RecognizersExtractor:
    """Microsoft Recognizers-Text (Chinese) numbers + the unit that follows them."""

    name = "recognizers"

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

    def extract(self, text: str, spans: list[tuple[int, int]] | None = None) -> list[Fact]:
        if spans is not None:
            return _given(text, spans)
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


_UNIT_AFTER = re.compile(rf"[万亿]?(?:余|多)?[ \u3000]?(?:{_UNIT})")


def _attach_unit(text: str, end: int) -> int:
    """Extend a number span over the 余/多 and unit that follow it.

    >>> t = "发布188余条信息"
    >>> t[2:_attach_unit(t, 5)]
    '188余条'
    """
    m = _UNIT_AFTER.match(text, end)
    return m.end() if m else end


def span_prf(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> dict[str, float]:
    """Exact span P/R/F1 (label-blind) over (start, end, doc) triples; local fallback
    until ``nlp.evaluate.facts`` is there.

    >>> span_prf([(0, 2, "a"), (5, 7, "a")], [(0, 2, "a"), (8, 9, "a")])
    {'precision': 0.5, 'recall': 0.5, 'f1': 0.5, 'gold': 2, 'pred': 2}
    """
    g, p = set(gold), set(pred)
    tp = len(g & p)
    prec = tp / len(p) if p else 0.0
    rec = tp / len(g) if g else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "gold": len(g), "pred": len(p)}


def evaluate_baselines(sets: dict[str, str], keep_errors: bool = False) -> dict[str, dict]:
    """Span/value metrics of both baselines on each named corpus file that exists
    (``nlp.evaluate.facts.evaluate_extractor``); for extractor cards and reports."""
    from pathlib import Path

    from nlp.corpus.io import load_records
    from nlp.evaluate.facts import evaluate_extractor

    extractors = [RuleExtractor()] + ([RecognizersExtractor()] if RecognizersExtractor.available() else [])
    out: dict[str, dict] = {}
    for name, path in sets.items():
        if not Path(path).is_file():
            continue
        records = load_records(path)
        out[name] = {ex.name: evaluate_extractor(ex, records, keep_errors=keep_errors)
                     for ex in extractors}
    return out
