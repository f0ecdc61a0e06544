"""Corpus tooling: record io, the validator (one test per problem kind), stats,
DocBin / Label Studio / datasets conversions and the `govreport corpus` commands."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import SEED_GOLD
from nlp.corpus import load_records, save_records
from nlp.corpus.convert import (from_docbin, from_labelstudio, label_config, record_to_doc,
                                task_to_record, to_dataset, to_docbin, to_labelstudio)
from nlp.corpus.stats import corpus_stats, format_stats
from nlp.corpus.validate import validate_file, validate_record
from nlp.errors import CorpusError
from nlp.types import Fact, Finding, Record, lines_of

TEXT = "某局2023年政府信息公开工作年度报告\n\n一、总体情况\n共收到申请12件，未收到行政复议。\n"


def small_record() -> Record:
    lines = lines_of(TEXT)
    sections = ["title", "title", "overview", "overview", "overview"]
    for ln, sec in zip(lines, sections):
        ln.section = sec
    lines[0].heading = lines[2].heading = True
    s = TEXT.index("12件")
    z = TEXT.index("未收到行政复议")
    return Record(
        id="t-1", text=TEXT, source="test", agency="某局", year=2023, template="2021", lines=lines,
        facts=[Fact(s, s + 3, "12件", "COUNT", 12, "件", False, "requests.new.total"),
               Fact(z, z + 7, "未收到行政复议", "ZERO", 0, "", False, "review.total")],
        table={"requests.new.total": 12, "review.upheld": 0, "review.corrected": 0,
               "review.other": 0, "review.pending": 0, "review.total": 0},
        missing_cells=[],
    )


@pytest.fixture(scope="module")
def seeds() -> list[Record]:
    return load_records(SEED_GOLD)


# ---------------------------------------------------------------- io
def test_save_and_load_round_trip(tmp_path, seeds):
    path = tmp_path / "c.jsonl"
    save_records(path, seeds)
    assert [r.to_dict() for r in load_records(path)] == [r.to_dict() for r in seeds]
    assert path.read_text(encoding="utf-8") == SEED_GOLD.read_text(encoding="utf-8")


def test_bad_json_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(small_record().to_json() + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:3: not valid JSON"):
        load_records(path)


def test_non_object_line_and_missing_file(tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"list\.jsonl:1: expected a JSON object"):
        load_records(path)
    with pytest.raises(CorpusError, match="cannot open"):
        load_records(tmp_path / "nope.jsonl")


# ---------------------------------------------------------------- validator
def test_small_record_is_valid():
    assert validate_record(small_record()) == []


def _broken(mutate) -> list[str]:
    rec = small_record()
    mutate(rec)
    return validate_record(rec)


def _set(obj, **kw):
    for k, v in kw.items():
        setattr(obj, k, v)


BREAKERS = {
    "out of range": lambda r: _set(r.facts[0], end=len(r.text) + 5),
    "!= text[": lambda r: _set(r.facts[0], text="13件"),
    "do not cover": lambda r: _set(r.lines[1], start=r.lines[1].start + 1),
    "lines: 4 given": lambda r: r.lines.pop(),
    "unknown section": lambda r: _set(r.lines[3], section="summary"),
    "unknown label": lambda r: _set(r.facts[0], label="NUMBER"),
    "unknown indicator": lambda r: _set(r.facts[0], indicator="requests.new.totl"),
    "not in the 2021 template": lambda r: _set(r.facts[0], indicator="active.procurement.count"),
    "empty narrative topic": lambda r: _set(r.facts[0], indicator="narrative."),
    "must be 0": lambda r: _set(r.facts[1], value=3),
    "is not a number": lambda r: _set(r.facts[0], value="12"),
    "table: unknown cell id": lambda r: r.table.update({"requests.new.everyone": 1}),
    "table: cell 'active.fees.prev_items' is not in the 2021": lambda r: r.table.update({"active.fees.prev_items": 0}),
    "table: requests.new.total value": lambda r: r.table.update({"requests.new.total": None}),
    "blank but the table gives it a value": lambda r: r.missing_cells.append("requests.new.total"),
    "missing_cells: unknown cell id": lambda r: r.missing_cells.append("review.lost"),
    "identity review_total (review) broken": lambda r: r.table.update({"review.upheld": 2}),
    "finding 0: unknown type": lambda r: r.findings.append(Finding("typo_found")),
    "table_unreadable names 'table5'": lambda r: r.findings.append(Finding("table_unreadable", "table5")),
    "unknown template": lambda r: _set(r, template="2020"),
    "empty line cannot be a heading": lambda r: _set(r.lines[1], heading=True),
    "duplicate of fact 0": lambda r: r.facts.append(copy.copy(r.facts[0])),
}


@pytest.mark.parametrize("expected", list(BREAKERS))
def test_validator_catches_each_problem_kind(expected):
    problems = _broken(BREAKERS[expected])
    assert any(expected in p for p in problems), problems


def test_listed_identity_violation_is_not_a_problem():
    def mutate(r):
        r.table["review.upheld"] = 2
        r.findings.append(Finding("identity_violation", "review.total", None, 0,
                                  cells=["review.total", "review.upheld"]))
    assert _broken(mutate) == []


def test_a_table_unreadable_finding_names_a_table_not_a_cell():
    """What the reconciler writes for a table it could not read is a valid finding."""
    assert _broken(lambda r: r.findings.extend([Finding("table_unreadable", "table2", severity="warning"),
                                                 Finding("table_unreadable", "tables", severity="info")])) == []


def test_a_text_unreadable_finding_is_valid():
    """What the reconciler writes for characters no reader can read names no cell."""
    assert _broken(lambda r: r.findings.append(Finding("text_unreadable", None, severity="warning"))) == []


def test_identity_over_a_blank_cell_is_not_checked():
    def mutate(r):
        r.table["review.upheld"] = 2
        del r.table["review.total"]
        r.missing_cells.append("review.total")
    assert _broken(mutate) == []


def test_validate_file_reports_file_line_and_duplicates(tmp_path):
    bad = small_record()
    bad.facts[0].text = "x"
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join([small_record().to_json(), bad.to_json(), "{oops"]) + "\n",
                    encoding="utf-8")
    problems = validate_file(path)
    assert any(p.startswith(f"{path}:2: t-1: fact 0: text 'x'") for p in problems), problems
    assert any(f"{path}:2: t-1: duplicate id (first on line 1)" in p for p in problems)
    assert any(p.startswith(f"{path}:3: not valid JSON") for p in problems)


# ---------------------------------------------------------------- stats
def test_stats_counts(seeds):
    stats = corpus_stats(seeds)
    assert stats["totals"]["records"] == 5
    assert stats["totals"]["facts"] == sum(len(r.facts) for r in seeds)
    assert stats["template"] == {"2021": 4, "2019": 1}
    assert stats["label"]["ZERO"] == sum(f.label == "ZERO" for r in seeds for f in r.facts)
    assert stats["indicator"]["requests.new.total"] == 4
    assert sum(stats["section"].values()) == stats["totals"]["lines"]
    assert "| label | count |" in format_stats(stats)


def test_stats_counts_generator_families():
    rec = small_record()
    rec.notes = {"layout": "pipes", "families": ["request.received", "zero.未收到"]}
    stats = corpus_stats([rec, small_record()])
    assert stats["layout"] == {"n/a": 1, "pipes": 1}
    rec.notes = {"style": {"layout": "cells"}}
    assert corpus_stats([rec])["layout"] == {"cells": 1}
    assert stats["family"] == {"request.received": 1, "zero.未收到": 1}


# ---------------------------------------------------------------- conversions
def test_docbin_round_trip_loses_nothing(tmp_path, seeds):
    path = tmp_path / "seeds.spacy"
    assert to_docbin(seeds, path) == 5
    assert [r.to_dict() for r in from_docbin(path)] == [r.to_dict() for r in seeds]


def test_docbin_docs_carry_facts_as_spans_and_entities(seeds):
    import spacy

    rec = next(r for r in seeds if r.id == "seed-001")
    doc = record_to_doc(rec, spacy.blank("zh"))
    assert doc.text == rec.text
    assert len(doc.spans["facts"]) == len(rec.facts)
    # the zero claim denying three indicators is one entity
    assert len(doc.ents) == len({(f.start, f.end) for f in rec.facts}) == len(rec.facts) - 2
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == {
        (f.start, f.end, f.label) for f in rec.facts}


def test_labelstudio_round_trip_loses_nothing(tmp_path, seeds):
    path = tmp_path / "tasks.json"
    records = seeds + [small_record()]
    assert to_labelstudio(records, path) == 6
    assert (tmp_path / "tasks.label_config.xml").read_text(encoding="utf-8") == label_config()
    assert [r.to_dict() for r in from_labelstudio(path)] == [r.to_dict() for r in records]


def test_labelstudio_keeps_empty_lines_that_break_the_rule(tmp_path):
    rec = small_record()
    rec.lines[1].section = "overview"  # empty line labelled with the NEXT section
    to_labelstudio([rec], tmp_path / "t.json")
    assert from_labelstudio(tmp_path / "t.json")[0].to_dict() == rec.to_dict()


def test_labelstudio_import_takes_a_region_drawn_by_a_researcher(tmp_path):
    rec = small_record()
    path = tmp_path / "t.json"
    to_labelstudio([rec], path)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    new = copy.deepcopy(tasks)
    s = TEXT.index("12件")
    # a newer annotation: the fact's indicator corrected, no value/unit areas on a new region
    result = [r for r in new[0]["annotations"][0]["result"] if not r["id"].startswith("fact1")]
    for r in result:
        if r["id"] == "fact0" and r["from_name"] == "indicator":
            r["value"]["text"] = ["requests.total.total"]
    result.append({"id": "new1", "from_name": "fact", "to_name": "text", "type": "labels",
                   "value": {"start": s, "end": s + 3, "text": "12件", "labels": ["COUNT"]}})
    new[0]["annotations"].append({"result": result, "updated_at": "2099-01-01T00:00:00Z"})
    path.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    (back,) = from_labelstudio(path)
    assert [(f.text, f.indicator, f.value, f.unit) for f in back.facts] == [
        ("12件", "requests.total.total", 12, "件"), ("12件", None, 12, "件")]
    assert back.lines == rec.lines


def test_labelstudio_bad_file(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a Label Studio JSON export"):
        from_labelstudio(path)
    with pytest.raises(CorpusError, match="no data.text"):
        task_to_record({"data": {}})


def test_to_dataset_has_typed_features(seeds):
    ds = to_dataset(SEED_GOLD)
    assert ds.num_rows == 5
    section = ds.features["lines"][0]["section"]
    assert section.names[:2] == ["title", "preamble"]
    row = ds[4]
    assert row["id"] == "seed-004" and row["year"] == 2023 and row["text"] == seeds[4].text
    assert section.int2str(row["lines"][0]["section"]) == "title"
    cells = {c["id"]: c["value"] for c in row["table"]}
    assert cells == {k: float(v) for k, v in seeds[4].table.items()}
    assert [f["text"] for f in row["facts"]] == [f.text for f in seeds[4].facts]
    assert ds.features["facts"][0]["label"].int2str(row["facts"][-1]["label"]) == "ZERO"


# ---------------------------------------------------------------- CLI
runner = CliRunner()


def test_cli_validate(tmp_path):
    ok = runner.invoke(app, ["corpus", "validate", str(SEED_GOLD)])
    assert ok.exit_code == 0, ok.output
    bad = small_record()
    bad.lines[3].section = "summary"
    bad.facts[1].value = 1
    path = tmp_path / "bad.jsonl"
    save_records(path, [bad])
    res = runner.invoke(app, ["corpus", "validate", str(SEED_GOLD), str(path)])
    assert res.exit_code == 1
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith(str(path))]
    assert len(lines) == 2 and "unknown section" in lines[0] and "must be 0" in lines[1]


def test_cli_stats(seeds):
    res = runner.invoke(app, ["corpus", "stats", str(SEED_GOLD), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == corpus_stats(seeds)
    res = runner.invoke(app, ["corpus", "stats", str(SEED_GOLD)])
    assert "| records | 5 |" in res.stdout


def test_cli_export_import_round_trip(tmp_path):
    tasks, back = tmp_path / "ls.json", tmp_path / "back.jsonl"
    res = runner.invoke(app, ["corpus", "export", str(SEED_GOLD), "--to", "labelstudio", "-o", str(tasks)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["corpus", "import", str(tasks), "--from", "labelstudio", "-o", str(back)])
    assert res.exit_code == 0, res.output
    assert back.read_bytes() == SEED_GOLD.read_bytes()
    res = runner.invoke(app, ["corpus", "export", str(SEED_GOLD), "--to", "spacy", "-o", str(tmp_path / "s.spacy")])
    assert res.exit_code == 0 and (tmp_path / "s.spacy").stat().st_size > 0


def test_cli_export_rejects_unknown_format(tmp_path):
    res = runner.invoke(app, ["corpus", "export", str(SEED_GOLD), "--to", "csv", "-o", str(tmp_path / "x")])
    assert res.exit_code == 2 and "'csv' is not one of" in res.output and "Traceback" not in res.output
