"""Rule extractors (nlp.extract.rules): simple facts found, offsets right, values normalized;
each narrative block read on its own, as the pipeline gives them."""

from __future__ import annotations

import doctest

import pytest

import nlp.extract.rules as rules
from nlp.component import Work, load
from nlp.extract import text_work
from nlp.extract.rules import RecognizersExtractor, RuleExtractor, span_fact
from nlp.types import Fact

TEXT = ("2023年，本机关共发布通知公告188条，政策解读9篇，培训100余人次，收取信息处理费380元，"
        "网上申请占82.4%。全年未收到政府信息公开申请，依据第二十条办理。")


def _by_text(facts: list[Fact]) -> dict[str, Fact]:
    return {f.text: f for f in facts}


def _whole(extractor, text: str) -> list[Fact]:
    """The extractor on the whole text as one block."""
    return extractor(text_work(text, [(0, len(text))]))


def test_doctests():
    assert doctest.testmod(rules).failed == 0


def test_rule_finds_simple_facts_with_offsets():
    facts = _whole(RuleExtractor(), TEXT)
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
    texts = {f.text for f in _whole(RuleExtractor(), TEXT)}
    assert not any("2023" in t for t in texts)
    assert not any("二十" in t for t in texts)


def test_rule_space_between_number_and_unit():
    facts = _whole(RuleExtractor(), "共发布通知公告 188 条。")
    assert [(f.text, f.value, f.unit) for f in facts] == [("188 条", 188, "条")]


def test_rule_reads_each_block_and_shifts_offsets_back():
    """Only the blocks of ``work.spans`` are read; offsets are the document's; no blocks,
    no facts; ``pipe`` is one call per document."""
    text = "共发布信息35条。\n规章\t3条\n共受理申请7件。"
    rule = RuleExtractor()
    facts = rule(text_work(text))  # every line but the table row
    assert [(f.text, text[f.start:f.end]) for f in facts] == [("35条", "35条"), ("7件", "7件")]
    assert rule(text_work(text, [(16, len(text))])) == [facts[1]]
    assert rule(text_work(text, [])) == []
    assert rule.pipe([text_work(text), text_work(text, [])]) == [facts, []]


def test_rule_components_load_and_save_through_the_registry(tmp_path):
    for backend, cls in (("rule", RuleExtractor), ("recognizers", RecognizersExtractor)):
        if backend == "recognizers" and not RecognizersExtractor.available():
            continue
        got = load("extractor", tmp_path, backend=backend)
        assert type(got) is cls and got.stage == "extractor" and got.backend == backend
        got.save(tmp_path / backend)
        assert type(load("extractor", tmp_path / backend)) is cls  # the card names the backend
        assert isinstance(got(Work(text_work(TEXT).doc)), list)


def test_a_given_span_is_normalized():
    text = "共收到申请3.469万余人次。"
    fact = span_fact(text, 5, 14)
    assert (fact.value, fact.unit, fact.approx) == (34690, "人次", True)


@pytest.mark.skipif(not RecognizersExtractor.available(),
                    reason="recognizers-text not importable (needs emoji<1.0)")
def test_recognizers_finds_simple_facts():
    facts = _whole(RecognizersExtractor(), TEXT)
    got = _by_text(facts)
    for f in facts:
        assert TEXT[f.start:f.end] == f.text
    assert got["188条"].value == 188
    assert got["82.4%"].label == "PERCENT"
    assert got["380元"].label == "MONEY" and got["380元"].value == 380
    assert not [f for f in facts if f.label == "ZERO"]
