"""The reconciler on crafted records (one per finding type and tolerance rule),
on the seeds' gold, and on the synthetic test split with injected mismatches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nlp.evaluate.findings import evaluate_findings, per_cell, reconcile_gold
from nlp.indicators import ids_for_template
from nlp.reconcile import reconcile, reconcile_years, tolerance_for
from nlp.types import Cell, Fact, Finding, Record

ROOT = Path(__file__).resolve().parent.parent
SEED_GOLD = ROOT / "corpus" / "seeds.jsonl"
SYNTH_TEST = ROOT / "corpus" / "synth" / "test.jsonl"


def zero_table(template: str = "2021") -> dict[str, int]:
    return {i: 0 for i in ids_for_template(template)}


def record_with(sentence: str, spans: list[tuple[str, str, str, float, bool]], table=None,
                **kw) -> Record:
    """A record whose text is one sentence; spans = (span text, label, indicator, value, approx)."""
    facts = []
    pos = 0
    for span, label, indicator, value, approx in spans:
        start = sentence.index(span, pos)
        facts.append(Fact(start, start + len(span), span, label, value, None, approx, indicator))
        pos = start + len(span)
    return Record(id=kw.pop("id", "t"), text=sentence, template=kw.pop("template", "2021"),
                  facts=facts, table=table if table is not None else zero_table(), **kw)


def types_of(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.type, f.indicator) for f in findings]


# ---------------------------------------------------------------- crafted: each type
def test_exact_mismatch_is_an_error_with_evidence():
    rec = record_with("清理废止规范性文件34件。", [("34件", "COUNT", "active.normative.repealed", 34, False)])
    [f] = reconcile(rec)
    assert (f.type, f.indicator, f.narrative_value, f.table_value) == \
        ("narrative_table_mismatch", "active.normative.repealed", 34, 0)
    assert f.severity == "error" and f.fact == 0 and f.cells == ["active.normative.repealed"]
    assert "34" in f.message and "本年废止" in f.message and "≠" in f.message


def test_matching_figure_is_clean():
    table = zero_table() | {"requests.new.total": 44, "requests.new.natural": 44,
                            "requests.total.total": 44, "requests.total.natural": 44,
                            "requests.granted.total": 44, "requests.granted.natural": 44}
    rec = record_with("共收到申请44件。", [("44件", "COUNT", "requests.new.total", 44, False)], table)
    assert reconcile(rec) == []


def test_zero_claim_contradiction():
    table = zero_table() | {"requests.new.total": 3, "requests.new.natural": 3,
                            "requests.total.total": 3, "requests.total.natural": 3,
                            "requests.granted.total": 3, "requests.granted.natural": 3}
    rec = record_with("本年度未收到政府信息公开申请。",
                      [("未收到政府信息公开申请", "ZERO", "requests.new.total", 0, False)], table)
    [f] = reconcile(rec)
    assert (f.type, f.indicator, f.narrative_value, f.table_value, f.severity) == \
        ("zero_claim_contradiction", "requests.new.total", 0, 3, "error")


def test_zero_claim_consistent_with_zero_table():
    rec = record_with("未出现行政复议。", [("未出现行政复议", "ZERO", "review.total", 0, False)])
    assert reconcile(rec) == []


def test_identity_violation_names_the_broken_cells():
    table = zero_table() | {"requests.new.natural": 3, "requests.new.total": 3,
                            "requests.total.natural": 2, "requests.total.total": 2,
                            "requests.granted.natural": 2, "requests.granted.total": 2}
    found = reconcile(record_with("无。", [], table))
    assert found and all(f.type == "identity_violation" for f in found)
    assert any("requests.new.natural" in f.cells for f in found)
    assert all(f.severity == "error" for f in found)


def test_missing_cells_are_reported_and_identities_with_them_skipped():
    table = zero_table()
    blank = ["review.upheld", "review.corrected", "review.other", "review.pending", "review.total"]
    for cid in blank:
        table.pop(cid)
    found = reconcile(record_with("无。", [], table, missing_cells=blank))
    assert [(f.type, sorted(f.cells)) for f in found] == [("missing_cell", sorted(blank))]  # one per table
    assert "5 格为空" in found[0].message and "5 cells are blank" in found[0].message


def test_narrative_conflict():
    table = zero_table() | {"requests.new.total": 5, "requests.new.natural": 5,
                            "requests.total.total": 5, "requests.total.natural": 5,
                            "requests.granted.total": 5, "requests.granted.natural": 5}
    rec = record_with("共收到申请5件。……全年受理申请7件。",
                      [("5件", "COUNT", "requests.new.total", 5, False),
                       ("7件", "COUNT", "requests.new.total", 7, False)], table)
    assert types_of(reconcile(rec)) == [("narrative_table_mismatch", "requests.new.total"),
                                       ("narrative_conflict", "requests.new.total")]
    assert [f.severity for f in reconcile(rec)] == ["error", "warning"]  # a cell's figures: an alarm


def test_two_figures_of_one_topic_are_info_not_an_alarm():
    """A topic is the linker's reading of what a figure counts; on real reports two figures
    filed under one (a city site's and the county site's, a column's and the year's) were
    different quantities: said, at info, not raised as a warning."""
    topic = "narrative.active.items"
    rec = record_with("全年主动公开政府信息520条。……本年度累计主动公开政府信息310条。",
                      [("520条", "COUNT", topic, 520, False), ("310条", "COUNT", topic, 310, False)])
    found = reconcile(rec)
    assert types_of(found) == [("narrative_conflict", topic)] and found[0].severity == "info"


def test_predicted_cells_take_precedence_over_table():
    rec = record_with("行政处罚31件。", [("31件", "COUNT", "active.penalty.decisions", 31, False)],
                      table={}, )
    rec.cells = {i: Cell(0, "0", 1) for i in ids_for_template("2021")}
    rec.cells["active.penalty.decisions"] = Cell(31, "31", 5)
    assert reconcile(rec) == []
    rec.cells["active.penalty.decisions"] = Cell(None, "", 5)  # unread cell: no guess
    assert [f.type for f in reconcile(rec)] == ["missing_cell"]


# ---------------------------------------------------------------- tolerance rules
@pytest.mark.parametrize("sentence,span,value,table_value,ok", [
    ("清理不规范信息200余条", "200余条", 200, 250, True),
    ("清理不规范信息200余条", "200余条", 200, 199, False),
    ("清理不规范信息200余条", "200余条", 200, 320, False),
    ("推送信息近600条", "600条", 600, 570, True),
    ("推送信息近600条", "600条", 600, 601, False),
    ("推送信息近600条", "600条", 600, 300, False),
    ("推送信息近600条", "600条", 600, 515, True),    # 近: 0.85–1 × the figure (qualifiers.yaml)
    ("推送信息近600条", "600条", 600, 505, False),
    ("处罚不到100件", "100件", 100, 60, True),     # 不到: at most the figure, by any amount
    ("处罚不到100件", "100件", 100, 101, False),
    ("处罚不超过100件", "100件", 100, 100, True),  # 不超过 is not 超过
    ("处罚不超过100件", "100件", 100, 180, False),
    ("处罚100件以下", "100件", 100, 40, True),
    ("办理约50件", "50件", 50, 54, True),
    ("办理约50件", "50件", 50, 60, False),
    ("办理50件左右", "50件", 50, 47, True),
    ("处罚超过100件", "100件", 100, 180, True),
    ("处罚超过100件", "100件", 100, 90, False),
    ("处罚100件以上", "100件", 100, 5000, True),
])
def test_approximate_figures_use_their_word(sentence, span, value, table_value, ok):
    table = zero_table() | {"active.penalty.decisions": table_value}
    sentence = "行政处罚决定：" + sentence  # the sentence names what the cell counts
    rec = record_with(sentence, [(span, "COUNT", "active.penalty.decisions", value, True)], table)
    found = reconcile(rec)
    assert (found == []) is ok, found
    if not ok:
        assert found[0].severity == "warning"  # approximate figure: lower severity


def test_money_in_yuan_compares_with_wan_yuan_column():
    table = zero_table("2019") | {"active.procurement.amount": 2954}
    rec = record_with("采购金额2954万元", [("2954万元", "MONEY", "active.procurement.amount", 29540000, False)],
                      table, template="2019")
    assert reconcile(rec) == []


def test_under_a_figure_is_not_a_mismatch():
    """不到100件 against a table value of 60: the parser reads it as at most 100, and so
    does the reconciler (it once found no qualifier and flagged it)."""
    table = zero_table() | {"active.penalty.decisions": 60}
    rec = record_with("全年作出行政处罚决定不到100件。", [("100件", "COUNT", "active.penalty.decisions", 100, True)], table)
    assert reconcile(rec) == []


def test_reconciler_follows_the_lexicon_on_every_qualifier():
    """Every approximation word of the lexicon: the reconciler finds it where the value
    parser does, and its tolerance is the lexicon's range for it."""
    from nlp.lexicon import qualifiers
    from nlp.reconcile import qualifier

    for q in qualifiers():
        if not q.approximate:
            continue
        text = {"before": f"处罚{q.word}300件", "inside": f"处罚300{q.word}件", "after": f"处罚300件{q.word}"}[q.position]
        span = "300件" if q.position != "inside" else f"300{q.word}件"
        start = text.index(span)
        assert qualifier(text, start, start + len(span), span) == q.word, q
        low, high = q.bounds(300)
        tol = tolerance_for(300, True, q.word)
        assert tol.low <= low + 1e-9 and tol.high >= high - 1e-9, q
        if q.direction != "about":
            assert (tol.low, tol.high) == (low, high), q


def test_tolerance_doc_examples():
    assert tolerance_for(200, True, "余").accepts(299)
    assert not tolerance_for(7, False, None).accepts(8)


# ---------------------------------------------------------------- partial matches
def _requests_table(**cells: int) -> dict[str, int]:
    """A consistent table 3 for natural-person applicants (total column = natural)."""
    table = zero_table()
    for row, v in cells.items():
        table[f"requests.{row}.natural"] = v
        table[f"requests.{row}.total"] = v
    return table


def test_partial_match_single_subrow():
    table = _requests_table(new=300, total=300, granted=31, **{"unavailable.not_held": 265,
                                                               "unavailable.needs_creation": 4})
    rec = record_with("无法提供265件", [("265件", "COUNT", "requests.unavailable.needs_creation.total", 265, False)],
                      table)
    [f] = reconcile(rec)
    assert f.type == "narrative_table_mismatch" and f.severity == "info"  # explained: not a warning
    assert "requests.unavailable.not_held.total" in f.cells
    assert "本机关不掌握" in f.message


def test_partial_match_natural_sum():
    table = _requests_table(new=300, total=300, granted=200, partial=58, **{"unavailable.not_held": 42})
    rec = record_with("予以公开及部分公开258件", [("258件", "COUNT", "requests.granted.total", 258, False)], table)
    [f] = reconcile(rec)
    assert f.severity == "info"
    assert f.cells == ["requests.granted.total", "requests.partial.total"]
    assert "部分公开" in f.message


def test_no_partial_match_for_zero_or_unrelated_values():
    table = _requests_table(new=3, total=3, granted=3)
    rec = record_with("收到申请17件", [("17件", "COUNT", "requests.new.total", 17, False)], table)
    [f] = reconcile(rec)
    assert f.severity == "error" and f.cells == ["requests.new.total"]


# ---------------------------------------------------------------- cross-year
def test_cross_year_mismatch():
    t22 = zero_table() | {"active.normative.in_force": 10, "requests.carried_forward.total": 2,
                          "requests.carried_forward.natural": 2, "requests.new.total": 2,
                          "requests.new.natural": 2}
    t23 = zero_table() | {"active.normative.in_force": 12, "active.normative.issued": 3,
                          "active.normative.repealed": 1, "requests.carried_over.total": 1,
                          "requests.carried_over.natural": 1, "requests.total.total": 1,
                          "requests.total.natural": 1, "requests.granted.total": 1,
                          "requests.granted.natural": 1}
    a = Record("a", agency="某市 卫生健康委员会", year=2022, template="2021", table=t22)
    b = Record("b", agency="某市卫生健康委员会", year=2023, template="2021", table=t23)
    c = Record("c", agency="别的局", year=2023, template="2021", table=t23)
    out = reconcile_years([b, a, c])
    assert list(out) == ["b"]
    [f] = out["b"]
    assert (f.type, f.indicator, f.table_value) == ("cross_year_mismatch", "requests.carried_over.total", 1)
    assert "2" in f.message
    b.table["requests.carried_over.total"] = 2
    assert reconcile_years([a, b]) == {}


# ---------------------------------------------------------------- gold corpora
def _load(path: Path) -> list[Record]:
    return [Record.from_json(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_seed_gold_findings_exactly():
    gold = _load(SEED_GOLD)
    pred = reconcile_gold(gold)
    by_id = {r.id: r for r in pred}
    for g in gold:  # a table's blanks are one finding naming each: compared cell by cell
        got = sorted((f.type, f.indicator, f.narrative_value, f.table_value) for f in per_cell(by_id[g.id].findings))
        want = sorted((f.type, f.indicator, f.narrative_value, f.table_value) for f in g.findings)
        assert got == want, g.id
    seed3 = next(r for r in pred if r.id.startswith("seed-003"))
    assert [len(f.cells) for f in seed3.findings] == [5]
    seed4 = next(r for r in pred if r.id.startswith("seed-004"))
    assert any(f.indicator == "active.normative.repealed" and f.narrative_value == 34 for f in seed4.findings)


def test_synthetic_test_split_precision_recall_per_type():
    gold = _load(SYNTH_TEST)
    metrics = evaluate_findings(gold, reconcile_gold(gold))
    for t, m in metrics.items():
        if t in ("micro", "errors") or m["support"] == 0 and m["fp"] == 0:
            continue
        assert m["precision"] >= 0.95 and m["recall"] >= 0.95, (t, m, metrics["errors"][:5])


def test_figures_in_units_that_cannot_count_the_cell_are_not_compared():
    rec = record_with("组织培训11期", [("11期", "COUNT", "requests.new.total", 11, False)])
    rec.facts[0].unit = "期"
    assert reconcile(rec) == []
    rec.facts[0].unit = "件"
    assert [f.type for f in reconcile(rec)] == ["narrative_table_mismatch"]


def test_conflict_needs_one_kind_of_unit_and_respects_rounding():
    base = "微信公众号发布信息近5900条。抖音号发布短视频5916条。网站发布六个栏目"
    rec = record_with(base, [("5900条", "COUNT", "narrative.new_media.posts", 5900, True),
                             ("5916条", "COUNT", "narrative.new_media.posts", 5916, False),
                             ("六个", "COUNT", "narrative.new_media.posts", 6, False)])
    rec.facts[2].unit = "个"
    for f in rec.facts[:2]:
        f.unit = "条"
    assert reconcile(rec) == []
    rec.facts[1].value = 7000  # other channel (抖音号 vs 公众号): not a restatement
    assert reconcile(rec) == []
    text = "微信公众号发布信息近5900条。全年微信公众号共发布信息7000条。"
    rec = record_with(text, [("5900条", "COUNT", "narrative.new_media.posts", 5900, True),
                             ("7000条", "COUNT", "narrative.new_media.posts", 7000, False)])
    assert [f.type for f in reconcile(rec)] == ["narrative_conflict"]
    rec.text = rec.text.replace("。", "，", 1)  # one sentence listing two figures: parts, no conflict
    assert reconcile(rec) == []


def test_zero_claim_must_name_what_it_denies():
    table = zero_table() | {"review.upheld": 2, "review.total": 2}
    rec = record_with("网站无空白栏目。", [("无空白栏目", "ZERO", "review.total", 0, False)], table)
    assert all(f.type != "zero_claim_contradiction" for f in reconcile(rec))
    rec = record_with("未发生行政复议案件。", [("未发生行政复议案件", "ZERO", "review.total", 0, False)], table)
    assert "zero_claim_contradiction" in [f.type for f in reconcile(rec)]


def test_a_part_after_qizhong_does_not_conflict_with_a_figure_outside_the_breakdown():
    topic = "narrative.active.service_items"
    text = "政务服务事项54项。窗口受理业务1471项，其中：许可类1291项；其他服务事项4项。"
    rec = record_with(text, [("54项", "COUNT", topic, 54, False), ("4项", "COUNT", topic, 4, False)])
    for f in rec.facts:
        f.unit = "项"
    assert reconcile(rec) == []
    # two figures both outside a breakdown, same words, disjoint: a conflict
    text = "政务服务事项54项。全年梳理政务服务事项4项。"
    rec = record_with(text, [("54项", "COUNT", topic, 54, False), ("4项", "COUNT", topic, 4, False)])
    for f in rec.facts:
        f.unit = "项"
    assert types_of(reconcile(rec)) == [("narrative_conflict", topic)]


def test_sentence_start_is_the_last_sentence_end_before_the_offset():
    """``sentence_start`` narrows each search to after the latest end found so far; the
    plain definition searches every mark back to the text's start."""
    import random

    from nlp.reconcile import sentence_start

    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice("ab。！？!?\n5") for _ in range(rng.randint(0, 25)))
        offset = rng.randint(0, len(text))
        assert sentence_start(text, offset) == max(text.rfind(m, 0, offset) for m in "。！？!?\n") + 1


def test_a_channel_or_a_listed_part_does_not_restate_the_years_total():
    """The linker files every "信息N条" under one topic; a channel's own count (政务微博) and a
    part listed after 在…信息中 are not the total restated, while two totals that differ are."""
    topic = "narrative.active.items"

    def conflicts(text: str, first: str, second: str) -> list:
        rec = record_with(text, [(first, "COUNT", topic, int(first[:-1]), False),
                                 (second, "COUNT", topic, int(second[:-1]), False)])
        for f in rec.facts:
            f.unit = "条"
        return types_of(reconcile(rec))

    assert conflicts("本年度主动公开各类信息860条。政务微博发布各类信息420条。", "860条", "420条") == []
    assert conflicts("本年度主动公开政府信息860条。在公开的各类信息中，政策类信息120条。", "860条", "120条") == []
    assert conflicts("本年度主动公开政府信息860条。在政务公开工作中，主动公开政府信息420条。", "860条", "420条") \
        == [("narrative_conflict", topic)]
    assert conflicts("本年度主动公开各类信息860条。全年累计公开各类信息420条。", "860条", "420条") \
        == [("narrative_conflict", topic)]
    # the portal both clauses name says nothing of what each counts: 公文 vs 专栏 posts
    assert conflicts("通过区政府门户网站公开公文6条。依托区政府门户网站专栏发布信息46条。", "6条", "46条") == []
    # drafts with their explanations are a part of the year's interpretations
    assert conflicts("全年发布政策解读39条。公开决策草案及解读14条。", "39条", "14条") == []
    # a newspaper is an outlet of its own, as 微信 or 抖音 are
    assert conflicts("向政务信息平台报送信息275条。向信川日报报送信息185条。", "275条", "185条") == []


# ---------------------------------------------------------------- composites (issue 19)
def _review_table(review: int, direct: int, after: int, corrected: int = 0) -> dict[str, int]:
    table = zero_table()
    table |= {"review.total": review, "review.upheld": review - corrected, "review.corrected": corrected,
              "litigation.direct.total": direct, "litigation.direct.upheld": direct,
              "litigation.after_review.total": after, "litigation.after_review.upheld": after}
    return table


def test_a_composite_figure_is_compared_with_the_sum_of_its_cells():
    table = _review_table(2, 5, 2)
    rec = record_with("行政诉讼案件7件。", [("7件", "COUNT", "litigation.total", 7, False)], table)
    assert reconcile(rec) == []  # 7 = 直接起诉 5 + 复议后起诉 2: consistent, no finding
    rec.facts[0].value = 8
    [f] = reconcile(rec)
    assert (f.type, f.indicator, f.narrative_value, f.table_value, f.severity) == \
        ("narrative_table_mismatch", "litigation.total", 8, 7, "error")
    assert f.cells == ["litigation.direct.total", "litigation.after_review.total"]


def test_a_composite_with_a_blank_part_is_not_compared():
    table = _review_table(2, 5, 2)
    del table["litigation.after_review.total"]
    rec = record_with("行政诉讼案件9件。", [("9件", "COUNT", "litigation.total", 9, False)], table,
                      missing_cells=["litigation.after_review.total"])
    assert {f.type for f in reconcile(rec)} == {"missing_cell"}


def test_disclosed_composite_sums_granted_and_partial():
    table = _requests_table(new=50, total=50, granted=30, partial=12, **{"unavailable.not_held": 8})
    rec = record_with("予以公开及部分公开42件。", [("42件", "COUNT", "requests.disclosed.total", 42, False)], table)
    assert reconcile(rec) == []


def test_a_single_cell_figure_that_equals_a_composite_is_an_explained_difference():
    table = _review_table(61, 3, 10)
    rec = record_with("行政诉讼案件13件。", [("13件", "COUNT", "litigation.direct.total", 13, False)], table)
    [f] = reconcile(rec)
    assert f.severity == "info" and "litigation.after_review.total" in f.cells
    rec = record_with("行政复议和行政诉讼案件74件。", [("74件", "COUNT", "review.total", 74, False)], table)
    [f] = reconcile(rec)
    assert f.severity == "info"


def test_received_figure_is_new_plus_carried_over():
    table = _requests_table(new=713, carried_over=36, total=718, granted=718, carried_forward=31)
    rec = record_with("共受理政府信息公开申请749件。", [("749件", "COUNT", "requests.received.total", 749, False)],
                      table)
    assert reconcile(rec) == []
    rec.facts[0].indicator = "requests.new.total"  # linked to 新收 alone: explained, not a warning
    assert [f.severity for f in reconcile(rec)] == ["info"]


def test_an_exact_figure_whose_sentence_does_not_name_the_cells_object_is_only_a_note():
    """Only the linker ties 办结39件 to 本年新收 (no 申请 in its sentence): an unconfirmed link
    is no alarm, while the same figure in a sentence that names requests is an error."""
    table = _requests_table(new=44, total=44, granted=44)
    rec = record_with("本年度办结39件。", [("39件", "COUNT", "requests.new.total", 39, False)], table)
    [f] = reconcile(rec)
    assert f.severity == "info" and "unconfirmed" in f.message
    rec = record_with("本年度收到申请39件。", [("39件", "COUNT", "requests.new.total", 39, False)], table)
    assert [f.severity for f in reconcile(rec)] == ["error"]


# ---------------------------------------------------------------- zero-claim scope (issue 19)
def test_a_zero_claim_about_corrected_reviews_denies_only_corrected_reviews():
    table = _review_table(55, 0, 0)
    claim = "未发生因依申请公开被行政复议纠错的情况"
    rec = record_with(claim + "。", [(claim, "ZERO", "review.total", 0, False)], table)
    assert reconcile(rec) == []  # 55 reviews, none corrected: consistent
    rec.table = _review_table(55, 0, 0, corrected=2)
    [f] = reconcile(rec)
    assert (f.type, f.indicator, f.table_value, f.severity) == \
        ("zero_claim_contradiction", "review.corrected", 2, "error")


def test_a_zero_claim_about_reviews_and_litigation_denies_all_three_totals_once():
    table = _review_table(0, 3, 1)
    claim = "无行政复议和行政诉讼"
    spans = [(claim, "ZERO", ind, 0, False) for ind in ("review.total", "litigation.direct.total")]
    rec = record_with(claim + "。" + claim + "。", spans, table)
    rec.facts[1] = Fact(0, len(claim), claim, "ZERO", 0, None, False, "litigation.direct.total")
    found = reconcile(rec)
    assert sorted((f.indicator, f.table_value) for f in found) == \
        [("litigation.after_review.total", 1), ("litigation.direct.total", 3)]


@pytest.mark.parametrize("claim,cell,scoped", [
    ("无结转下年度办理的申请", "requests.carried_forward.total", True),
    ("无上年结转的申请", "requests.carried_over.total", True),
    ("无结转", "requests.carried_forward.total", False),   # which year's carry? unclear: not compared
    ("未被提起行政诉讼", "litigation.direct.total", True),
    ("未收到政府信息公开申请", "requests.new.total", True),
    ("未发生与行政诉讼有关的费用", "litigation.direct.total", False),
    ("本年度未作出行政处罚决定", "active.penalty.decisions", True),
    ("未收到行政许可申请", "active.licensing.decisions", False),   # applications, not decisions
    ("未收到行政许可申请", "requests.new.total", False),           # nor 政府信息公开申请
    ("无行政事业性收费", "active.fees.amount", True),
    ("未作出行政处罚和行政强制决定", "active.coercion.decisions", True),   # both decisions denied
    ("未制发规章和规范性文件", "active.rules.issued", True),             # both kinds of document
    ("未制发规章和规范性文件", "active.normative.issued", True),
    ("未发生行政复议被纠错或行政诉讼败诉的情况", "litigation.after_review.corrected", True),
    ("未发生行政复议被纠错或行政诉讼败诉的情况", "review.total", False),      # lost cases, not all cases
    ("未收到政府信息公开申请、未发生行政复议和行政诉讼", "requests.new.total", True),  # a list: each denied
    ("未收到政府信息公开申请、未发生行政复议和行政诉讼", "review.total", True),
    ("未发生因政府信息公开申请引发的行政复议", "requests.new.total", False),  # a review's cause
    ("全年未收到行政许可申请", "requests.new.total", False),                 # another office's applications
    ("未收到低保申请", "requests.new.total", False),
])
def test_zero_claims_are_compared_only_within_the_scope_their_words_give(claim, cell, scoped):
    table = zero_table() | {cell: 2}
    rec = record_with(claim + "。", [(claim, "ZERO", cell, 0, False)], table)
    got = [(f.type, f.indicator) for f in reconcile(rec) if f.type == "zero_claim_contradiction"]
    assert got == ([("zero_claim_contradiction", cell)] if scoped else [])


def test_zero_scopes_are_data():
    from nlp.indicators import registry

    rules = registry().raw["zero_scopes"]
    assert all(set(r) <= {"name", "all", "unless", "cells", "figures_only", "combines", "also"} for r in rules)
    known = set(ids_for_template("2021")) | set(registry().composites) | set(ids_for_template("2019"))
    assert all(c in known for r in rules for c in r["cells"])


# ---------------------------------------------------------------- one quantity (issue 19)
@pytest.mark.parametrize("second", [
    "督促各部门在公开专栏发布信息3044条。",        # departments' share
    "在政府信息公开专栏发布信息3044条。",          # a channel
    "全年发布涉及疫情防控的信息3044条。",          # a subset on a topic
    "全年发布政策解读类信息3044条。",              # a subset of one kind
    "1-6月主动公开政府信息3044条。",               # another period
    "依申请公开政府信息3044条。",                 # the other way of disclosure
    "发布通知、公告、政策文件等3044条。",          # a list's total
    "全年主动公开政府信息3044条（含转载信息）。",   # a sum that says it includes more
    "截至年底网站累计公开政府信息3044条。",        # a running total since the site opened
    "共接到网站留言3044条。",                      # what the public sent in, not posts
    "截至年底，信川政府公开网公开信息3044条。",     # a site of its own beside the portal
    "公开意见征集信息3044条。",                    # calls for comment
    "全年发布业务信息3044条，占67%。",             # a share of some whole
])
def test_no_conflict_between_a_total_and_a_share_of_it(second):
    topic = "narrative.active.items"
    text = "全年主动公开政府信息4511条。" + second
    rec = record_with(text, [("4511条", "COUNT", topic, 4511, False), ("3044条", "COUNT", topic, 3044, False)])
    for f in rec.facts:
        f.unit = "条"
    assert reconcile(rec) == [], second


@pytest.mark.parametrize("second", [
    "全年通过区政务网站主动公开政府信息3044条。",      # the portal, by any of its names
    "全年通过政府信息公开网站主动公开政府信息3044条。",
    "全年在区政府信息网站发布信息3044条。",
    "全年通过电子政务网络主动公开政府信息3044条。",  # a network, not a site of its own
])
def test_the_portal_by_another_name_restates_the_total(second):
    topic = "narrative.active.items"
    rec = record_with("全年主动公开政府信息4511条。" + second,
                      [("4511条", "COUNT", topic, 4511, False), ("3044条", "COUNT", topic, 3044, False)])
    assert types_of(reconcile(rec)) == [("narrative_conflict", topic)]


def test_calls_for_comment_by_either_name_are_one_kind():
    topic = "narrative.active.items"
    rec = record_with("全年公开征求意见信息12条。本年度开展意见征集信息15条。",
                      [("12条", "COUNT", topic, 12, False), ("15条", "COUNT", topic, 15, False)])
    assert types_of(reconcile(rec)) == [("narrative_conflict", topic)]


def test_a_total_stated_twice_differently_still_conflicts():
    topic = "narrative.active.items"
    rec = record_with("全年主动公开政府信息4511条。本年度主动公开政府信息3044条。",
                      [("4511条", "COUNT", topic, 4511, False), ("3044条", "COUNT", topic, 3044, False)])
    assert types_of(reconcile(rec)) == [("narrative_conflict", topic)]


@pytest.mark.parametrize("path", sorted((ROOT / "nlp" / "reconcile").glob("*.py")) + sorted((ROOT / "nlp" / "link").glob("*.py")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stage_code_holds_no_chinese_word_lists(path):
    """Phrasing is data (nlp/data/lexicon/*.yaml): outside docstrings and message f-strings,
    the reconciler's and the linker's string constants hold no Chinese."""
    import ast
    import re

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(n) for n in ast.walk(node))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skip.add(id(body[0].value))  # a docstring
    words = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and id(n) not in skip and re.search(r"[\u4e00-\u9fff]", n.value)]
    assert words == []


def test_a_figure_of_another_period_is_not_compared_with_this_years_cell():
    table = _requests_table(new=7, total=7, granted=7)
    text = "2022年收到政府信息公开申请5件，同比增加2件。"
    rec = record_with(text, [("5件", "COUNT", "requests.new.total", 5, False),
                             ("2件", "COUNT", "requests.new.total", 2, False)], table, year=2023)
    assert [f for f in reconcile(rec) if f.type == "narrative_table_mismatch"] == []
    rec.year = 2022  # the report's own year: compared
    assert [f.narrative_value for f in reconcile(rec) if f.type == "narrative_table_mismatch"] == [5]
    # 上年结转 is a cell of this year's table: its words name it, so it is compared
    table = _requests_table(new=7, carried_over=1, total=8, granted=8)
    rec = record_with("上年结转申请3件。", [("3件", "COUNT", "requests.carried_over.total", 3, False)], table)
    assert [f.table_value for f in reconcile(rec)] == [1]
    # a stock figure as of now is this year's table figure
    rec = record_with("截至目前现行有效规范性文件25件。",
                      [("25件", "COUNT", "active.normative.in_force", 25, False)],
                      zero_table() | {"active.normative.in_force": 24})
    assert [(f.narrative_value, f.table_value, f.severity) for f in reconcile(rec)] == [(25, 24, "error")]


@pytest.mark.parametrize("sentence, compared", [
    ("近三年共受理政府信息公开申请60件，本年收到政府信息公开申请7件。", [7]),
    ("“十四五”期间共受理政府信息公开申请60件。", []),
    ("《条例》实施以来，累计受理政府信息公开申请60件。", []),
    ("2019年以来，累计受理政府信息公开申请60件。", []),
    # the report's year, or the sentence back to this year: this year's figures
    ("2023年以来，共受理政府信息公开申请60件。", [60]),
    ("2019年以来累计受理申请120件，今年受理政府信息公开申请60件。", [60]),
])
def test_a_figure_of_several_years_is_neither_this_years_cell_nor_in_conflict_with_it(sentence, compared):
    table = _requests_table(new=7, total=7, granted=7)
    figures = [(m.group(), "COUNT", "requests.new.total", int(m.group()[:-1]), False)
               for m in re.finditer(r"\d+件", sentence)]
    rec = record_with(sentence, figures, table, year=2023)
    found = reconcile(rec)
    assert [f.narrative_value for f in found if f.type == "narrative_table_mismatch" and f.narrative_value != 7] \
        == [v for v in compared if v != 7]
    assert [f for f in found if f.type == "narrative_conflict"] == []


def test_a_figure_the_table_explains_as_a_sum_does_not_conflict_with_the_cells_own_figure():
    table = _requests_table(new=713, carried_over=36, total=718, granted=718, carried_forward=31)
    text = "全年共受理政府信息公开申请749件。本年新收政府信息公开申请713件。"
    rec = record_with(text, [("749件", "COUNT", "requests.new.total", 749, False),
                             ("713件", "COUNT", "requests.new.total", 713, False)], table)
    assert [(f.type, f.severity) for f in reconcile(rec)] == [("narrative_table_mismatch", "info")]


# ---------------------------------------------------------------- narrative_conflict: bounded work
def _first_disjoint_pairwise(ranges, facts, text):
    """The pairwise comparison ``_first_disjoint`` replaced (quadratic): the reference."""
    from nlp.reconcile.scope import (counted_words, includes_more, is_breakdown, is_compared, is_share, same_kind,
                                     same_scope, scope_marks, sentence_start)
    if max(r.low for _, r in ranges) <= min(r.high for _, r in ranges) + 1e-6:
        return None
    for x in range(len(ranges)):
        for y in range(x + 1, len(ranges)):
            (i, r), (j, s) = ranges[x], ranges[y]
            a, b = facts[i], facts[j]
            if sentence_start(text, a.start) == sentence_start(text, b.start) or not same_kind(a.unit, b.unit):
                continue
            if not is_compared(a.indicator) and len(counted_words(text, a) & counted_words(text, b)) < 2:
                continue
            if (is_breakdown(text, a) != is_breakdown(text, b)
                    or not same_scope(scope_marks(text, a), scope_marks(text, b))
                    or includes_more(text, a) != includes_more(text, b)
                    or is_share(text, a) != is_share(text, b)):
                continue
            if r.high + 1e-6 < s.low or s.high + 1e-6 < r.low:
                return i, j
    return None


def test_conflict_search_finds_what_comparing_every_pair_finds(monkeypatch):
    """The grouped search of ``_first_disjoint`` gives the pairwise result on the seeds, the
    synthetic test split, and those records with their figures' ids shuffled among a few
    (many more figures per id, cells and topics mixed)."""
    import random
    from dataclasses import replace

    from nlp.reconcile import narrative
    fast, calls = narrative._first_disjoint, []

    def both(ranges, facts, text, budget=None):
        got = fast(ranges, facts, text, budget)
        assert got == _first_disjoint_pairwise(ranges, facts, text)
        calls.append((len(ranges), got is not None))
        return got

    monkeypatch.setattr(narrative, "_first_disjoint", both)
    records = _load(SEED_GOLD) + _load(SYNTH_TEST)[:150]
    rng = random.Random(5)
    shuffled = []
    for r in records * 2:
        ids = sorted({f.indicator for f in r.facts if f.indicator})[:rng.choice([2, 4])]
        if ids:
            shuffled.append(replace(r, facts=[replace(f, indicator=rng.choice(ids)) if f.indicator else f
                                              for f in r.facts]))
    joined = []  # fifty reports as one: dozens of figures per id, in many sentences
    for k in range(0, 150, 50):
        text, facts = "", []
        for r in records[k:k + 50]:
            facts += [replace(f, start=f.start + len(text), end=f.end + len(text)) for f in r.facts]
            text += r.text + "\n"
        joined.append(replace(records[k], text=text, facts=facts))
    reconcile_gold(records + shuffled + joined)
    assert sum(n > 2 for n, _ in calls) > 300 and sum(found for _, found in calls) > 100
    assert max(n for n, _ in calls) > 40


def test_conflict_search_is_bounded_on_a_line_of_thousands_of_figures():
    """A fuzzed line of 4,400 figures took 9.4 million pair checks (47 CPU-s); figures that
    cannot count one quantity are no longer compared, and a budget bounds the rest."""
    import time

    from nlp.reconcile.narrative import MAX_CONFLICT_CHECKS, _Budget, _first_disjoint
    from nlp.reconcile.tolerance import Tolerance
    words = "公开信息办理申请答复复议诉讼网站政务发布平台栏目文件通知公告"
    parts, facts, pos = [], [], 0
    rng_words = [words[k % len(words)] + words[(k * 7 + 3) % len(words)] for k in range(3000)]
    for k, w in enumerate(rng_words):
        piece = f"{w}{k}条，"
        start = pos + len(w)
        facts.append(Fact(start, start + len(str(k)) + 1, f"{k}条", "COUNT", k, "条", indicator="narrative.x"))
        parts.append(piece)
        pos += len(piece)
    text = "".join(parts)  # one line, no sentence end: every figure in its own 400-character window
    ranges = [(i, Tolerance(f.value, f.value)) for i, f in enumerate(facts)]
    budget = _Budget()
    t = time.process_time()
    _first_disjoint(ranges, facts, text, budget)
    assert budget.used <= MAX_CONFLICT_CHECKS  # pairwise: 4.5 million checks here
    assert time.process_time() - t < 10  # about 1 s on a busy machine; pairwise took minutes


def test_a_figure_stated_again_and_again_asks_for_the_tables_explanations_once(monkeypatch):
    """A long report restates figures: every one that misses its cell looked for the sums
    of the same table again (issue 21: reconciling grew 8× per character at 64× a seed).
    The explanations of one id are the document's, found once however often it is stated."""
    from nlp.reconcile import cells, narrative

    calls = []
    real = cells.explanations

    def counted(*args, **kw):
        calls.append(args[0])
        return real(*args, **kw)

    monkeypatch.setattr(narrative, "explanations", counted)
    table = _requests_table(new=713, carried_over=36, total=718, granted=718, carried_forward=31)
    sentence = "共受理政府信息公开申请749件。"
    for n in (1, 10, 100):
        rec = record_with(sentence * n, [("749件", "COUNT", "requests.new.total", 749, False)] * n, table)
        calls.clear()
        findings = reconcile(rec)
        assert [f.severity for f in findings] == ["info"] * n  # each restatement explained
        assert calls == ["requests.new.total"]  # once for both passes (mismatches, conflicts), not once per figure


def test_a_catch_all_topic_lumps_unlike_kinds_and_is_never_compared():
    """党务信息 and 水情信息 are both filed under the catch-all topic (``lumps`` in
    narrative_topics.yaml): two figures there count different kinds, not one quantity
    stated twice; a topic that names one kind still conflicts."""
    text = "本年度公开党务信息12条。全年公开水情信息40条。"

    def conflicts(topic: str) -> list:
        rec = record_with(text, [("12条", "COUNT", topic, 12, False), ("40条", "COUNT", topic, 40, False)])
        for f in rec.facts:
            f.unit = "条"
        return types_of(reconcile(rec))

    assert conflicts("narrative.active.other") == []
    assert conflicts("narrative.active.notices") == [("narrative_conflict", "narrative.active.notices")]


# ---------------------------------------------------------------- cells the reader could not read
def test_a_broken_sum_in_a_table_read_mostly_not_at_all_is_info():
    """A PDF tool's text that printed table 3's columns one after another: the few cells
    read may sit out of place, and the sum they break is no evidence of the report's."""
    from nlp.types import Coverage, TableCoverage

    cells = {f"requests.total.{c}": Cell(0, "0") for c in ("natural", "commercial", "research", "nonprofit", "legal")}
    cells |= {"requests.total.other_org": Cell(111, "111"), "requests.total.total": Cell(2, "2")}
    mostly = Coverage({"3": TableCoverage(175, read=7, unread=168, unreadable=168)})
    rec = Record(id="t", text="。", template="2021", cells=cells, coverage=mostly)
    broken = [f for f in reconcile(rec) if f.type == "identity_violation"]
    assert broken and all(f.severity == "info" and "多数格未能读取" in f.message for f in broken)
    rec.coverage = Coverage({"3": TableCoverage(175, read=170, unread=5, unreadable=5)})
    assert {f.severity for f in reconcile(rec) if f.type == "identity_violation"} == {"error"}


def test_prose_against_a_table_read_mostly_not_at_all_is_info():
    """The cell a figure is compared with may sit out of place in such a table: the
    disagreement is said, as info, not as the report's error."""
    from nlp.types import Coverage, TableCoverage

    text = "本年度结转下年度继续办理31件。"
    rec = record_with(text, [("31件", "COUNT", "requests.carried_forward.total", 31, False)],
                      {"requests.carried_forward.total": 0})
    rec.coverage = Coverage({"3": TableCoverage(175, read=7, unread=168, unreadable=168)})
    assert [(f.type, f.severity) for f in reconcile(rec) if f.type == "narrative_table_mismatch"] == \
        [("narrative_table_mismatch", "info")]
    rec.coverage = Coverage({"3": TableCoverage(175, read=170, unread=5, unreadable=5)})
    assert [f.severity for f in reconcile(rec) if f.type == "narrative_table_mismatch"] == ["error"]


@pytest.mark.parametrize("carried, severity", [(None, "info"), (36, "info"), (10, "error")])
def test_a_figure_that_may_be_a_sum_with_an_unread_cell_is_not_an_error(carried, severity):
    """受理749件 against 新收 713: with 上年结转 36 it is their sum (explained); with 上年结转
    unread nothing rules the sum out (info, said unchecked); with 10 it is wrong."""
    table = {"requests.new.total": 713, "requests.new.natural": 713}
    if carried is not None:
        table |= {"requests.carried_over.total": carried, "requests.carried_over.natural": carried}
    rec = record_with("全年收到政府信息公开申请749件。", [("749件", "COUNT", "requests.new.total", 749, False)], table)
    [f] = [f for f in reconcile(rec) if f.type == "narrative_table_mismatch"]
    assert f.severity == severity
    if carried is None:
        assert "requests.carried_over.total" in f.message and "未能读取" in f.message


@pytest.mark.parametrize("sentence, compared", [
    # the list's items carry the year its first clause opens with
    ("我局2022年主动公开行政许可33项，行政处罚36项。", []),
    ("2022年收到政府信息公开申请5件，办结5件。", []),
    # a year that says where a count was carried from, or since when, is its own clause's
    ("2022年结转政府信息公开申请0件，收到政府信息公开申请7件。", [7]),
    ("我局2023年收到政府信息公开申请9件，办结9件。", [9, 9]),
])
def test_a_list_of_figures_is_of_the_year_its_first_clause_names(sentence, compared):
    figures = [(m.group(), "COUNT", "requests.new.total" if "申请" in sentence else "active.penalty.decisions",
                int(m.group()[:-1]), False) for m in re.finditer(r"\d+[件项]", sentence)]
    rec = record_with(sentence, figures, zero_table(), year=2023)
    got = [f.narrative_value for f in reconcile(rec) if f.type == "narrative_table_mismatch"]
    assert got == [v for v in compared if v != 0], got


def test_organisations_figure_is_compared_with_the_sum_of_their_columns():
    # 法人或其他组织申请N件 has a topic, no cell: the reconciler compares it with the five
    # organisation columns of 本年新收 (or, carried over too, of what the year received)
    table = zero_table() | {"requests.new.commercial": 3, "requests.new.legal": 5, "requests.carried_over.legal": 2}
    mismatches = lambda rec: [f for f in reconcile(rec) if f.type == "narrative_table_mismatch"]
    rec = record_with("法人或其他组织申请8件。", [("8件", "COUNT", "narrative.requests.organizations", 8, False)], table)
    assert mismatches(rec) == []
    rec.facts[0].value = 9
    [f] = mismatches(rec)
    assert (f.indicator, f.narrative_value, f.table_value, f.severity) == \
        ("requests.new.organizations", 9, 8, "warning")  # never definite: the stage is the report's
    rec.facts[0].value = 10  # new + carried over: explained
    assert [f.severity for f in mismatches(rec)] == ["info"]
    rec.facts[0].value = 7  # one column's new and carried over (5 + 2): no reading of the five together
    assert [f.severity for f in mismatches(rec)] == ["warning"]
