"""The hand-annotated gold for the five seeds: valid, faithful to the files, consistent."""

from __future__ import annotations

import pytest

from conftest import SEED_GOLD, seed_paths
from nlp.corpus import load_records
from nlp.corpus.validate import validate_file, validate_record
from nlp.indicators import identities_for, ids_for_template

TABLE_SECTIONS = ("active", "requests", "review")


@pytest.fixture(scope="module")
def gold():
    return {r.id: r for r in load_records(SEED_GOLD)}


def test_seed_gold_validates_with_zero_problems():
    assert validate_file(SEED_GOLD) == []


def test_one_record_per_seed_with_the_exact_file_text(gold):
    paths = seed_paths()
    assert sorted(gold) == [f"seed-{i:03d}" for i in range(len(paths))] and len(paths) == 5
    for i, path in enumerate(paths):
        rec = gold[f"seed-{i:03d}"]
        assert rec.text == path.read_bytes().decode("utf-8"), path.name
        assert rec.source == "seed" and rec.agency and rec.year
        assert rec.template == ("2019" if i == 1 else "2021")
        assert validate_record(rec) == []


def test_every_template_cell_is_stated_or_missing(gold):
    for rec in gold.values():
        assert set(rec.table) | set(rec.missing_cells) == set(ids_for_template(rec.template)), rec.id
        assert not set(rec.table) & set(rec.missing_cells)
    assert gold["seed-003"].missing_cells == [
        "review.upheld", "review.corrected", "review.other", "review.pending", "review.total"]


def test_table_identities_hold_in_every_seed(gold):
    for rec in gold.values():
        for ident in identities_for(rec.template):
            ids = ident.lhs + ident.rhs
            if all(i in rec.table for i in ids):
                assert sum(rec.table[i] for i in ident.lhs) == sum(rec.table[i] for i in ident.rhs), (
                    rec.id, ident.name, ident.key)


@pytest.mark.parametrize("rid, cell, value", [
    ("seed-000", "active.licensing.decisions", 2332),
    ("seed-001", "active.licensing.decisions", 2501),
    ("seed-001", "active.procurement.amount", 2954),
    ("seed-001", "requests.other.total", 0),
    ("seed-002", "review.corrected", 1),
    ("seed-002", "requests.denied.third_party.natural", 1),
    ("seed-003", "active.normative.issued", 3),
    ("seed-003", "active.penalty.decisions", 143),
    ("seed-004", "requests.granted.commercial", 1),
    ("seed-004", "requests.denied.three_safety.total", 1),
    ("seed-004", "active.normative.repealed", 0),
])
def test_table_cells_as_printed(gold, rid, cell, value):
    assert gold[rid].table[cell] == value


def _facts(rec, text):
    return [f for f in rec.facts if f.text == text]


def test_facts_keep_the_printed_span(gold):
    (f,) = _facts(gold["seed-000"], "188 条")
    assert (f.value, f.unit, f.approx) == (188, "条", False)
    (f,) = _facts(gold["seed-004"], "3.469万余人次")
    assert (f.value, f.unit, f.approx) == (34690, "人次", True)
    (f,) = _facts(gold["seed-003"], "600 条")  # 近 precedes the number: outside the span, approx
    assert f.approx and gold["seed-003"].text[f.start - 2:f.start] == "近 "


def test_zero_claims(gold):
    (f,) = _facts(gold["seed-000"], "未收到依申请公开的信息")
    assert (f.label, f.value, f.indicator) == ("ZERO", 0, "requests.new.total")
    denied = _facts(gold["seed-001"], "未出现过行政复议、提起行行政诉讼")
    assert sorted(f.indicator for f in denied) == [
        "litigation.after_review.total", "litigation.direct.total", "review.total"]
    assert len({(f.start, f.end) for f in denied}) == 1


def test_no_distractor_is_a_fact(gold):
    for rec in gold.values():
        for f in rec.facts:
            assert not f.text.endswith(("年", "号", "日")), (rec.id, f.text)
            assert "〔" not in f.text and "第" not in f.text


def test_facts_sit_in_narrative_not_in_table_rows(gold):
    for rec in gold.values():
        for f in rec.facts:
            line = next(ln for ln in rec.lines if ln.start <= f.start < ln.end + 1)
            assert line.section not in TABLE_SECTIONS or line.heading, (rec.id, f.text)


def test_empty_lines_take_the_section_of_the_line_before(gold):
    for rec in gold.values():
        texts = rec.line_texts()
        for i in range(1, len(rec.lines)):
            if not texts[i].strip():
                assert rec.lines[i].section == rec.lines[i - 1].section, (rec.id, i)
                assert not rec.lines[i].heading


def test_headings_open_each_main_section(gold):
    for rec in gold.values():
        first = {}
        for ln, text in zip(rec.lines, rec.line_texts()):
            first.setdefault(ln.section, (ln.heading, text))
        for section in ("overview", "active", "requests", "review", "problems", "other"):
            heading, text = first[section]
            assert heading, (rec.id, section, text)


def test_narrative_table_mismatch_is_a_finding(gold):
    rec = gold["seed-004"]
    (fact,) = [f for f in rec.facts if f.indicator == "active.normative.repealed"]
    assert fact.value == 34 and rec.table["active.normative.repealed"] == 0
    assert [(f.type, f.indicator, f.narrative_value, f.table_value) for f in rec.findings] == [
        ("narrative_table_mismatch", "active.normative.repealed", 34, 0)]


def test_narrative_table_links_agree_elsewhere(gold):
    """Every fact linked to a table cell equals the cell, except what a finding lists."""
    for rec in gold.values():
        flagged = {f.indicator for f in rec.findings if f.type == "narrative_table_mismatch"}
        for f in rec.facts:
            if f.indicator in rec.table and f.indicator not in flagged:
                assert f.value == rec.table[f.indicator], (rec.id, f.text, f.indicator)
