"""The synthetic report generator: deterministic, valid, consistent, readable back."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from nlp.corpus import synth
from nlp.corpus.validate import validate_record
from nlp.indicators import identities_for, is_composite, is_table_id
from nlp.types import Record

N = 160


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return synth.generate(N, seed=123)


def test_deterministic_per_seed():
    a = [r.to_dict() for r in synth.generate(8, seed=5)]
    b = [r.to_dict() for r in synth.generate(8, seed=5)]
    c = [r.to_dict() for r in synth.generate(8, seed=6)]
    assert a == b
    assert [r["text"] for r in a] != [r["text"] for r in c]
    # a record does not depend on how many come before it (cross-year findings, which
    # compare reports of one run, aside)
    one = synth.generate_one(5, 7).to_dict()
    assert one["findings"] == [f for f in a[7]["findings"] if f["type"] != "cross_year_mismatch"]
    assert {k: v for k, v in one.items() if k not in ("findings", "notes")} == \
        {k: v for k, v in a[7].items() if k not in ("findings", "notes")}


def test_every_record_validates(records):
    problems = {r.id: validate_record(r) for r in records}
    assert {k: v for k, v in problems.items() if v} == {}


def test_offsets_lines_and_labels(records):
    for r in records:
        assert r.source == "synthetic" and r.template == ("2019" if r.year <= 2020 else "2021")
        assert len(r.lines) == r.text.count("\n") + 1
        for f in r.facts:
            assert r.text[f.start:f.end] == f.text
            assert f.text == f.text.strip(), (r.id, f.text)  # no stray space at span edges
            if f.label == "ZERO":
                assert f.value == 0 and f.unit == ""
        assert all(r.text[ln.start:ln.end].strip() for ln in r.lines if ln.heading)


def test_values_parse_back(records):
    """Every span states the value it is annotated with (checked with nlp.numbers)."""
    from nlp import numbers

    for r in records:
        for f in r.facts:
            if f.label == "ZERO":
                continue
            q = numbers.parse_quantity(f.text, before=r.text[max(0, f.start - 3):f.start],
                                       after=r.text[f.end:f.end + 2])
            assert q.value == pytest.approx(f.value), (r.id, f.text, q)
            assert q.approx == f.approx, (r.id, f.text, r.text[f.start - 3:f.end + 2])


def test_tables_consistent_unless_labelled(records):
    for r in records:
        flagged = {c for f in r.findings if f.type == "identity_violation" for c in f.cells}
        for ident in identities_for(r.template):
            ids = ident.lhs + ident.rhs
            if all(i in r.table for i in ids) and not flagged & set(ids):
                assert sum(r.table[i] for i in ident.lhs) == pytest.approx(sum(r.table[i] for i in ident.rhs))


def test_narrative_agrees_with_table_unless_labelled(records):
    for r in records:
        labelled = {f.fact for f in r.findings if f.fact is not None}
        for k, f in enumerate(r.facts):
            if k in labelled or f.indicator not in r.table or f.approx:
                continue
            assert f.value == pytest.approx(r.table[f.indicator]), (r.id, f.text, f.indicator)


def test_injected_errors_are_labelled():
    recs = synth.generate(300, seed=9, error_rate=0.5)
    found = Counter(f.type for r in recs for f in r.findings)
    for kind in synth.ERROR_TYPES:
        assert found[kind] > 0, kind
    clean = [r for r in recs if not r.notes["injected"]]
    assert clean and all(not r.findings for r in clean)
    for r in recs:
        for kind in r.notes["injected"]:
            assert any(f.type == kind for f in r.findings) or r.notes["truncated"], (r.id, kind)
        for f in r.findings:
            if f.type == "missing_cell":
                assert f.indicator in r.missing_cells and f.indicator not in r.table
            if f.type in ("narrative_table_mismatch", "zero_claim_contradiction"):
                fact = r.facts[f.fact]
                assert fact.indicator == f.indicator and r.table[f.indicator] == f.table_value


def test_error_rate_zero_gives_clean_documents():
    recs = synth.generate(40, seed=3, error_rate=0.0)
    assert all(not r.findings and not r.missing_cells for r in recs)


def test_variation(records):
    notes = [r.notes for r in records]
    assert {n["layout"] for n in notes} == {"tabs", "cells", "pipes", "plain"}
    assert len({n["sub_style"] for n in notes}) >= 5
    assert any(n["truncated"] for n in notes) and not all(n["truncated"] for n in notes)
    assert {r.template for r in records} == {"2019", "2021"}
    labels = Counter(f.label for r in records for f in r.facts)
    assert all(labels[x] for x in ("COUNT", "ZERO", "PERCENT", "MONEY"))
    # zero claims denying review and litigation at once: one fact per indicator, same span
    multi = [r for r in records if Counter((f.start, f.end) for f in r.facts if f.label == "ZERO").most_common(1)
             and Counter((f.start, f.end) for f in r.facts if f.label == "ZERO").most_common(1)[0][1] == 3]
    assert multi
    ids = {f.indicator for r in records for f in r.facts}
    assert {"requests.new.total", "review.total", "narrative.active.items"} <= ids
    assert all(i is None or is_table_id(i) or is_composite(i) or i.startswith("narrative.") for i in ids)
    topics = synth.narrative_topics()
    assert all(i in topics for i in ids if i and i.startswith("narrative."))


def test_distractor_numbers_are_not_facts(records):
    """Years, dates and document numbers appear in the text but never inside a fact span."""
    hits = 0
    for r in records:
        covered = set()
        for f in r.facts:
            covered.update(range(f.start, f.end))
        for m in re.finditer(r"20[12]\d ?年|〔20\d\d〕\d+号|第[一二三四五六七八九十]+条|12345", r.text):
            hits += 1
            assert not covered & set(range(m.start(), m.end())), (r.id, m.group())
    assert hits > N


def _squash(text: str) -> str:
    from nlp.normalize import normalize

    return re.sub(r"[\s|]+", "", normalize(text.replace("[bookmark: _GoBack]", "")).text)


def test_txt_reads_back_to_the_same_text(records):
    from nlp.pipeline import document_from_text

    for r in records[:60]:
        doc = document_from_text(r.text, r.id)
        assert re.sub(r"[\s|]+", "", doc.text) == _squash(r.text), r.id
        assert any(ln.strip() for ln in doc.line_texts())


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_rendered_documents_read_back(records, tmp_path, fmt):
    from nlp.pipeline import read_document

    picked = [r for r in records if not r.notes["truncated"]][:6]
    synth.write_documents(picked, tmp_path, [fmt])
    for r in picked:
        doc = read_document(tmp_path / fmt / f"{r.id}.{fmt}")
        assert re.sub(r"[\s|]+", "", doc.text) == _squash(r.text), r.id
        if r.table and r.notes["layout"] != "plain":  # plain: every cell its own paragraph
            assert doc.tables, r.id


def test_cli_writes_a_valid_corpus(tmp_path):
    from typer import testing as typer_testing

    from cli import app

    res = typer_testing.CliRunner().invoke(app, ["corpus", "synth", "-n", "4", "--seed", "2", "-o", str(tmp_path),
                                                 "--formats", "txt"])
    assert res.exit_code == 0, res.output
    lines = (tmp_path / "synth.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    recs = [Record.from_dict(json.loads(x)) for x in lines]
    assert all(not validate_record(r) for r in recs)
    assert (tmp_path / "txt" / f"{recs[0].id}.txt").read_text(encoding="utf-8") == recs[0].text
    bad = typer_testing.CliRunner().invoke(app, ["corpus", "synth", "-n", "1", "-o", str(tmp_path),
                                                 "--formats", "odt"])
    assert bad.exit_code == 2


def test_shipped_splits_are_distinct_and_valid():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "corpus" / "synth"
    ids: dict[str, set[str]] = {}
    texts: dict[str, set[str]] = {}
    for split in ("train", "dev", "test"):
        rows = [json.loads(x) for x in (root / f"{split}.jsonl").read_text(encoding="utf-8").splitlines() if x]
        assert len(rows) == synth.SPLITS[split][0]
        ids[split] = {x["id"] for x in rows}
        texts[split] = {x["text"] for x in rows}
        for row in rows[:50]:
            assert not validate_record(Record.from_dict(row)), row["id"]
    assert not texts["train"] & texts["test"] and not texts["train"] & texts["dev"]
    assert not ids["train"] & ids["test"]


def test_distribution_counts(records):
    d = synth.distribution(records)
    assert sum(d["labels"].values()) == sum(len(r.facts) for r in records)
    assert sum(d["layouts"].values()) == len(records)
    assert d["families"]["num.arabic"] > 0 and "requests.new.total" in d["indicators"]


@pytest.mark.slow
def test_rendered_pdf_reads_back(records, tmp_path):
    from nlp.pipeline import read_document

    picked = [r for r in records if not r.notes["truncated"]][:3]
    synth.write_documents(picked, tmp_path, ["pdf"])
    for r in picked:
        doc = read_document(tmp_path / "pdf" / f"{r.id}.pdf")
        # the PDF font has no glyph for U+00B7 (“12·4”): compare without it
        assert re.sub(r"[\s|·]+", "", doc.text) == _squash(r.text).replace("·", ""), r.id


def test_hard_negatives_link_to_narrative_topics():
    """Other work counted with table words (窗口/信访/信箱/许可事项清单/处罚信息…) is never a
    table cell; 其中主办/协办 add up to the proposals total; the new positives are there."""
    recs = synth.generate(300, seed=11)
    fams = Counter(f for r in recs for f in set(r.notes.get("families", [])))
    assert fams["fact.other_work"] > 30 and fams["fact.other_work_requests"] > 20
    negative = re.compile(r"(窗口|信访|信箱|热线|诉求|权责事项|行政确认|报请|提请|主办|协办)[^，。；]{0,12}$")
    seen_neg = seen_repealed = 0
    for r in recs:
        by_id = {f.indicator: f.value for f in r.facts}
        if "narrative.proposals.hosted" in by_id:
            assert by_id["narrative.proposals.hosted"] + by_id["narrative.proposals.assisted"] == \
                by_id["narrative.active.proposal_replies"]
        for f in r.facts:
            s = r.text.rfind("。", 0, f.start) + 1
            if f.label == "COUNT" and negative.search(r.text[s:f.start]) and "申请" not in r.text[s:f.start]:
                seen_neg += 1
                assert not is_table_id(f.indicator), (r.id, r.text[s:f.end])
            if f.indicator == "active.normative.repealed" and "清理" in r.text[s:f.start]:
                seen_repealed += 1
    assert seen_neg > 30 and seen_repealed > 0


def test_series_continue_last_years_table_and_breaks_are_gold_findings():
    """A series report carries over last year's carried-forward requests column by column
    (its own identities intact) and continues documents in force; an injected break is a
    cross_year_mismatch finding that the reconciler finds on the gold tables."""
    from nlp.evaluate.findings import evaluate_findings, reconcile_gold

    recs = synth.generate(400, seed=21)
    by_id = {r.id: r for r in recs}
    followers = [r for r in recs if "follows" in r.notes]
    assert len(followers) > 15
    broken = 0
    for r in followers:
        prev = by_id[r.notes["follows"]]
        assert (r.agency, r.year) == (prev.agency, prev.year + 1)
        assert not any(f.type == "identity_violation" for f in r.findings) or \
            "identity_violation" in r.notes["attempted"]
        if "cross_year_mismatch" in r.notes["attempted"]:
            broken += 1
            continue
        for col in synth.APPLICANTS:
            this, last = r.table.get(f"requests.carried_over.{col}"), prev.table.get(f"requests.carried_forward.{col}")
            if this is not None and last is not None and "identity_violation" not in prev.notes["attempted"]:
                assert this == last, (r.id, col)
    assert broken > 5
    cross = [f for r in recs for f in r.findings if f.type == "cross_year_mismatch"]
    assert len(cross) >= broken // 2
    m = evaluate_findings(recs, reconcile_gold(recs))["cross_year_mismatch"]
    assert m["support"] == len(cross) and m["precision"] >= 0.95 and m["recall"] >= 0.95, m


def test_plain_layout_blank_cells_are_gold_blanks():
    """The plain layout prints no line for a blank cell: it is still a missing cell."""
    recs = synth.generate(600, seed=31, error_rate=0.6)
    plain = [r for r in recs if r.notes["layout"] == "plain" and "missing_cell" in r.notes["attempted"]
             and not r.notes["truncated"]]
    assert plain, "no plain-layout document with a blank cell in this draw"
    for r in plain:
        assert r.missing_cells and all(c not in r.table for c in r.missing_cells)
        assert {f.indicator for f in r.findings if f.type == "missing_cell"} == set(r.missing_cells)


def test_composites_state_the_sum_of_their_cells(records):
    """予以公开及部分公开 / 不予公开 / 行政诉讼 / 受理（含上年结转） are written with the
    composite ids, as the sum of the template's cells (exact figures; no finding)."""
    from nlp.indicators import composite_parts

    seen = Counter()
    for r in synth.generate(400, seed=21):
        labelled = {f.fact for f in r.findings if f.fact is not None}
        for k, f in enumerate(r.facts):
            if not is_composite(f.indicator) or k in labelled or f.approx:
                continue
            parts = composite_parts(f.indicator, r.template)
            if all(p in r.table for p in parts):
                seen[f.indicator] += 1
                assert f.value == pytest.approx(sum(r.table[p] for p in parts)), (r.id, f.text, f.indicator)
    for ind in ("requests.disclosed.total", "requests.denied.total", "requests.unavailable.total",
                "requests.received.total", "litigation.total", "review_litigation.total"):
        assert seen[ind] > 0, ind


def test_every_table_fact_is_named_by_its_clause(records):
    """The generator's gold agrees with the template's cell words (indicators.yaml
    ``cell_words``): every non-zero fact with a table id names that cell in its clause, so
    the linker can reach every id it is trained on."""
    from nlp.link import LinkerConfig, fact_candidates

    cfg = LinkerConfig.grounded()
    n = missed = 0
    for r in records:
        if r.notes.get("truncated"):  # a cut may fall inside the words after a figure
            continue
        for f in r.facts:
            if f.label != "ZERO" and (is_table_id(f.indicator) or is_composite(f.indicator)):
                n += 1
                missed += f.indicator not in fact_candidates(cfg, r.text, f, r.template)
    assert n > 300 and missed == 0


def test_a_total_split_by_channel_gives_parts_of_it(records):
    """…共主动公开信息N条，其中门户网站A条，微信公众号B条: each channel's count is its own
    topic and a part of the total, never more than it."""
    channels = {"narrative.website.posts", "narrative.new_media.posts"}
    seen = 0
    for r in records:
        facts = sorted(r.facts, key=lambda f: f.start)
        for k, total in enumerate(facts):
            if total.indicator != "narrative.active.items" or total.approx:
                continue
            end = r.text.find("。", total.end)
            after = r.text[total.end:end]
            if "其中" not in after:
                continue
            parts = [f for f in facts[k + 1:] if f.start < end and f.indicator in channels]
            if len(parts) == 2:
                seen += 1
                assert sum(f.value for f in parts) <= total.value, (r.id, r.text[total.start:end])
    assert seen >= 3


def test_kinds_no_topic_names_are_the_catch_all_topic(records):
    """A kind of published information no topic names (党务信息N条 in a list of kinds) is
    ``narrative.active.other``; its span is the figure alone, never the kind's words."""
    other = [(r, f) for r in records for f in r.facts if f.indicator == "narrative.active.other"]
    assert len(other) >= 5
    kinds = synth.common.words()["info_kinds"]["kinds"]
    for r, f in other:
        before = r.text[max(0, f.start - 12):f.start]
        assert any(k in before for k in kinds), before
        assert not any(k in f.text for k in kinds)
