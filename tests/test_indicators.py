"""The indicator registry (nlp/data/indicators.yaml) against the spec (shared/spec/indicators.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.indicators import (INDICATORS, identities_for, ids_for_template, is_table_id, registry)

SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "indicators.md"

T3_COLS = ["natural", "commercial", "research", "nonprofit", "legal", "other_org", "total"]
T3_ROWS = ["new", "carried_over", "granted", "partial", "denied.state_secret", "denied.law_prohibited",
           "denied.three_safety", "denied.third_party", "denied.internal", "denied.process",
           "denied.enforcement_file", "denied.query", "unavailable.not_held",
           "unavailable.needs_creation", "unavailable.unclear", "rejected.petition",
           "rejected.duplicate", "rejected.publication", "rejected.excessive", "rejected.confirm",
           "other.no_correction", "other.no_fee", "other.other", "other", "total", "carried_forward"]
T4 = [f"{g}.{o}" for g in ("review", "litigation.direct", "litigation.after_review")
      for o in ("upheld", "corrected", "other", "pending", "total")]


def test_counts_per_template():
    assert len(ids_for_template("2021")) == 10 + 25 * 7 + 15
    assert len(ids_for_template("2019")) == 22 + 23 * 7 + 15


def test_table2_ids():
    t21 = {i for i in ids_for_template("2021") if INDICATORS[i].table == 2}
    assert t21 == {"active.rules.issued", "active.rules.repealed", "active.rules.in_force",
                   "active.normative.issued", "active.normative.repealed", "active.normative.in_force",
                   "active.licensing.decisions", "active.penalty.decisions",
                   "active.coercion.decisions", "active.fees.amount"}
    t19 = {i for i in ids_for_template("2019") if INDICATORS[i].table == 2}
    three = ("prev_items", "change", "decisions")
    expect = {f"active.{r}.{c}" for r in ("rules", "normative") for c in ("made", "published", "total_published")}
    expect |= {f"active.{r}.{c}" for r in ("licensing", "other_services", "penalty", "coercion") for c in three}
    expect |= {"active.fees.prev_items", "active.fees.change", "active.procurement.count",
               "active.procurement.amount"}
    assert t19 == expect
    # same meaning, same id in both templates
    assert set(INDICATORS["active.licensing.decisions"].templates) == {"2021", "2019"}


def test_table3_rows_by_template():
    for r in T3_ROWS:
        for c in T3_COLS:
            ind = INDICATORS[f"requests.{r}.{c}"]
            assert ind.table == 3 and ind.row_id == r and ind.column_id == c
    assert INDICATORS["requests.other.total"].templates == ("2019",)
    assert "2019" not in INDICATORS["requests.other.no_fee.total"].templates
    assert INDICATORS["requests.denied.third_party.natural"].parent == "（三）不予公开"


def test_table4_ids():
    for i in T4:
        assert INDICATORS[i].table == 4 and set(INDICATORS[i].templates) == {"2021", "2019"}
    assert INDICATORS["litigation.after_review.pending"].row == "复议后起诉"


def test_identity_counts_and_known_ids():
    for template, rows in (("2021", 25), ("2019", 23)):
        ids = identities_for(template)
        by = {}
        for ident in ids:
            by[ident.name] = by.get(ident.name, 0) + 1
            assert all(i in INDICATORS and template in INDICATORS[i].templates for i in ident.lhs + ident.rhs)
        assert by == {"balance": 7, "outcomes": 7, "row_total": rows, "review_total": 3}, (template, by)


def test_outcomes_identity_sums_every_outcome_row():
    o21 = next(i for i in identities_for("2021") if i.name == "outcomes" and i.key == "natural")
    assert len(o21.rhs) == 21 and "requests.other.other.natural" in o21.rhs
    o19 = next(i for i in identities_for("2019") if i.name == "outcomes" and i.key == "natural")
    assert len(o19.rhs) == 19 and "requests.other.natural" in o19.rhs


def test_cross_year_rules():
    names = {r.name for r in registry().cross_year}
    assert names == {"carried", "normative_in_force", "rules_in_force"}
    assert all(is_table_id(r.this_year) for r in registry().cross_year)


def test_is_table_id():
    assert is_table_id("requests.new.total") and not is_table_id("narrative.fees.processing")
    assert not is_table_id(None)


@pytest.mark.parametrize("alias,expected", [
    ("本年度止件数", "repealed"), ("现行有效件", "in_force"), ("规范性文件", "normative"),
])
def test_aliases_are_registered(alias, expected):
    raw = registry().raw["table2"]["2021"]
    entries = raw["rows"] + raw["columns"]
    assert any(e["id"] == expected and (alias == e["label"] or alias in e.get("aliases", [])) for e in entries)


def test_every_id_in_the_spec_is_registered():
    if not SPEC.is_file():
        pytest.skip(f"spec not found at {SPEC}")
    text = SPEC.read_text(encoding="utf-8")
    ids = set(re.findall(r"`((?:active|requests|review|litigation)\.[a-z_.]+)`", text))
    ids = {i for i in ids if "<" not in i and not i.endswith(".")}
    groups = {k.rsplit(".", 1)[0] for k in INDICATORS}  # `litigation.direct` names a group
    unknown = sorted(i for i in ids if i not in INDICATORS and i not in groups)
    assert not unknown, unknown
    # the 2019 shorthand rows: `active.rules.made` / `.published` / `.total_published`
    for m in re.finditer(r"`(active\.[a-z_]+)\.[a-z_]+`((?:\s*/\s*`\.[a-z_]+`)+)", text):
        for tail in re.findall(r"`\.([a-z_]+)`", m.group(2)):
            assert f"{m.group(1)}.{tail}" in INDICATORS
