"""Baseline extractors: simple facts found, offsets right, values normalized."""

from __future__ import annotations

import doctest

import pytest

import nlp.baselines as baselines
from nlp.baselines import RecognizersExtractor, RuleExtractor, span_prf
from nlp.types import Fact

TEXT = ("2023年，本机关共发布通知公告188条，政策解读9篇，培训100余人次，收取信息处理费380元，"
        "网上申请占82.4%。全年未收到政府信息公开申请，依据第二十条办理。")


def _by_text(facts: list[Fact]) -> dict[str, Fact]:
    return {f.text: f for f in facts}


def test_doctests():
    assert doctest.testmod(baselines).failed == 0


def test_rule_finds_simple_facts_with_offsets():
    facts = RuleExtractor().extract(TEXT)
    got = _by_text(facts)
    for f in facts:
        assert TEXT[f.start:f.end] == f.text
        assert f.indicator is None
    assert got["188条"].value == 188 and got["188条"].label == "COUNT"
    assert got["100余人次"].approx and got["100余人次"].unit == "人次"
    assert got["380元"].label == "MONEY"
    assert got["82.4%"].label == "PERCENT" and got["82.4%"].value == 82.4
    zero = [f for f in facts if f.label == "ZERO"]
    assert len(zero) == 1 and zero[0].text.startswith("未收到") and zero[0].value == 0


def test_rule_skips_years_and_ordinals():
    texts = {f.text for f in RuleExtractor().extract(TEXT)}
    assert not any("2023" in t for t in texts)
    assert not any("二十" in t for t in texts)


def test_rule_space_between_number_and_unit():
    facts = RuleExtractor().extract("共发布通知公告 188 条。")
    assert [(f.text, f.value, f.unit) for f in facts] == [("188 条", 188, "条")]


def test_given_spans_are_normalized_only():
    text = "共收到申请3.469万余人次。"
    facts = RuleExtractor().extract(text, spans=[(5, 14)])
    assert len(facts) == 1
    assert (facts[0].value, facts[0].unit, facts[0].approx) == (34690, "人次", True)


@pytest.mark.skipif(not RecognizersExtractor.available(),
                    reason="recognizers-text not importable (needs emoji<1.0)")
def test_recognizers_finds_simple_facts():
    facts = RecognizersExtractor().extract(TEXT)
    got = _by_text(facts)
    for f in facts:
        assert TEXT[f.start:f.end] == f.text
    assert got["188条"].value == 188
    assert got["82.4%"].label == "PERCENT"
    assert got["380元"].label == "MONEY" and got["380元"].value == 380
    assert not [f for f in facts if f.label == "ZERO"]


def test_span_prf_counts():
    m = span_prf([(0, 1, "a"), (2, 3, "a")], [(0, 1, "a")])
    assert m["precision"] == 1.0 and m["recall"] == 0.5
