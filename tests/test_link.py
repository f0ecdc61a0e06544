"""Linker: breakdown vs total, several facts per sentence, zero-claim expansion, safe loading."""

from __future__ import annotations

import doctest
import json
import random
import re

import numpy as np
import pytest

import nlp.link as link
from nlp import component
from nlp.errors import ConfigError, ModelError
from nlp.evaluate.linking import evaluate_linking, gold_spans, work_of
from nlp.pipeline import Pipeline
from nlp.link import Linker, LinkerConfig
from nlp.link.context import SENT_END
from nlp.persist import write_meta
from nlp.train.config import load_config
from nlp.train.linker import fit, linker_config, train
from nlp.types import Fact, Line, Record

from conftest import MODELS

DENY_ALL = ["review.total", "litigation.direct.total", "litigation.after_review.total"]


def _doc(rng: random.Random, i: int) -> Record:
    """A small hand-made report: requests with a breakdown, active disclosure, zero claims."""
    parts: list[tuple[str, str | None, str | list[str] | None]] = []  # (text, label, ids)
    total, online = rng.randint(20, 900), rng.randint(1, 19)
    done, carried = rng.randint(10, 500), rng.randint(0, 9)
    notices, posts = rng.randint(3, 400), rng.randint(10, 900)
    parts += [("一、总体情况\n", None, None)]
    intro = rng.choice(["本年度共发布通知公告", "全年发布通知公告", "通过门户网站发布通知公告"])
    parts += [(intro, None, None), (f"{notices}条", "COUNT", "narrative.active.notices"),
              ("，微信公众号发布信息", None, None), (f"{posts}条", "COUNT", "narrative.new_media.posts"),
              ("。\n二、收到和处理政府信息公开申请情况\n", None, None)]
    verb = rng.choice(["共收到政府信息公开申请", "本年度新收政府信息公开申请", "全年受理依申请公开"])
    parts += [(verb, None, None), (f"{total}件", "COUNT", "requests.new.total"),
              (rng.choice(["，其中网上申请", "，其中通过网络提交"]), None, None),
              (f"{online}件", "COUNT", "narrative.requests.online"),
              ("，上年结转", None, None), (f"{carried}件", "COUNT", "requests.carried_over.total"),
              ("，办结", None, None), (f"{done}件", "COUNT", "requests.total.total"), ("。\n", None, None)]
    parts += [("三、行政复议和行政诉讼情况\n本年度", None, None)]
    kind = i % 3
    if kind == 0:
        parts += [(rng.choice(["未发生行政复议和行政诉讼", "未发生政府信息公开行政复议、行政诉讼"]),
                   "ZERO", DENY_ALL)]
    elif kind == 1:
        parts += [("未发生行政复议", "ZERO", ["review.total"])]
    else:
        parts += [("未发生行政诉讼", "ZERO", ["litigation.direct.total", "litigation.after_review.total"])]
    parts += [("。\n", None, None)]
    text, facts = "", []
    for piece, label, ids in parts:
        if label:
            for ind in ids if isinstance(ids, list) else [ids]:
                value = 0 if label == "ZERO" else int(piece.rstrip("件条"))
                facts.append(Fact(len(text), len(text) + len(piece), piece, label, value,
                                  "" if label == "ZERO" else piece[-1], False, ind))
        text += piece
    lines, pos = [], 0
    for part in text.split("\n"):
        sec = "requests" if "申请" in part else "review" if "复议" in part else "overview"
        lines.append(Line(pos, pos + len(part), sec))
        pos += len(part) + 1
    return Record(id=f"t{i}", text=text, lines=lines, facts=facts)


def _link(linker, text: str, facts: list[Fact], template: str | None = None) -> list[Fact]:
    """The linker on one text, through the component contract."""
    return linker(work_of(Record(id="t", text=text, template=template), facts))


def _at(text: str, span: str) -> Fact:
    start = text.index(span)
    return Fact(start, start + len(span), span, "COUNT", int(span[:-1]), span[-1])


def _zero(text: str, claim: str) -> Fact:
    start = text.index(claim)
    return Fact(start, start + len(claim), claim, "ZERO", 0)


@pytest.fixture(scope="module")
def trained():
    rng = random.Random(0)
    train = [_doc(rng, i) for i in range(90)]
    test = [_doc(random.Random(1), i) for i in range(30)]
    return fit(train, min_count=1), test


@pytest.mark.parametrize("module", ["context", "candidates", "features", "ids", "model", "rules", "sums"])
def test_doctests(module):
    import importlib
    assert doctest.testmod(importlib.import_module(f"nlp.link.{module}")).failed == 0


def test_contract_and_shipped_model_loads():
    """Both backends through the registry; the shipped model directory loads unchanged."""
    from nlp.persist import shipped_models_dir

    shipped = component.load("linker", shipped_models_dir() / "linker")
    assert isinstance(shipped, Linker) and (shipped.stage, shipped.backend) == ("linker", "logreg")
    rule = component.load("linker", "no-such-folder", backend="rule")
    assert (rule.stage, rule.backend) == ("linker", "rule")
    text = "共收到政府信息公开申请44件。"
    works = [work_of(Record(id="a", text=text), [_at(text, "44件")])] * 2
    assert [[f.indicator for f in out] for out in rule.pipe(works)] == [["requests.new.total"]] * 2
    assert shipped.pipe(works) == [shipped(w) for w in works]


def test_breakdown_is_not_the_total(trained):
    linker, _ = trained
    text = "本年度共收到政府信息公开申请57件，其中网上申请12件，办结50件。"
    facts = [_at(text, s) for s in ("57件", "12件", "50件")]
    got = [f.indicator for f in _link(linker, text, facts)]
    assert got == ["requests.new.total", "narrative.requests.online", "requests.total.total"]


def test_zero_claim_denying_several_things_is_expanded(trained):
    linker, _ = trained
    text = "本年度未发生行政复议和行政诉讼。"
    claim = Fact(3, 15, text[3:15], "ZERO", 0, "")
    out = _link(linker, text, [claim])
    assert sorted(f.indicator for f in out) == sorted(DENY_ALL)
    assert {(f.start, f.end) for f in out} == {(3, 15)}
    single = _link(linker, "本年度未发生行政复议。", [Fact(3, 10, "未发生行政复议", "ZERO", 0, "")])
    assert [f.indicator for f in single] == ["review.total"]


def test_held_out_accuracy_above_floor(trained):
    linker, test = trained
    m = evaluate_linking(linker, test)
    assert m["accuracy"] >= 0.9 and m["table_accuracy"] >= 0.9, m


def test_confidence_is_a_probability(trained):
    linker, test = trained
    out = _link(linker, test[0].text, [f for f in test[0].facts if f.label != "ZERO"])
    assert all(0.0 < f.confidence <= 1.0 for f in out)


def test_save_load_roundtrip_and_tamper(trained, tmp_path):
    linker, test = trained
    linker.meta = {"metrics": {}}
    linker.save(tmp_path)
    again = component.load("linker", tmp_path)
    rec = test[0]
    facts = [f for f in gold_spans(rec.facts)]
    assert again.predict_ids(rec.text, [f for f, _ in facts]) == linker.predict_ids(
        rec.text, [f for f, _ in facts])
    classes = json.loads((tmp_path / "classes.json").read_text())
    classes["main"][0] = "requests.granted.total"
    (tmp_path / "classes.json").write_text(json.dumps(classes))
    with pytest.raises(ModelError, match="hash"):
        Linker.load(tmp_path)


def test_refuses_pickle_and_missing_card(trained, tmp_path):
    linker, _ = trained
    linker.save(tmp_path)
    (tmp_path / "meta.json").unlink()
    with pytest.raises(ModelError, match="meta.json"):
        Linker.load(tmp_path)
    write_meta(tmp_path, "linker")
    (tmp_path / "model.pkl").write_bytes(b"\x80\x04")
    with pytest.raises(ModelError, match="pickle"):
        Linker.load(tmp_path)


def test_train_writes_card_and_is_deterministic(tmp_path):
    from nlp.corpus.io import save_records

    rng = random.Random(3)
    corpus = tmp_path / "corpus"
    save_records(corpus / "synth" / "train.jsonl", [_doc(rng, i) for i in range(30)])
    save_records(corpus / "synth" / "test.jsonl", [_doc(rng, i) for i in range(30, 40)])
    settings = tmp_path / "linker.yaml"
    settings.write_text("model:\n  min_count: 1\ndata:\n  measure: {}\n")
    m1 = train(corpus, tmp_path / "m1", settings)
    m2 = train(corpus, tmp_path / "m2", load_config("linker", settings))
    assert m1 == m2 and "synthetic_test" in m1
    meta = json.loads((tmp_path / "m1" / "meta.json").read_text())
    assert meta["kind"] == "linker" and meta["metrics"]["synthetic_test"]["spans"] > 0
    for name in ("coef.data.npy", "vocab.json"):
        assert (tmp_path / "m1" / name).read_bytes() == (tmp_path / "m2" / name).read_bytes()


def test_config_rejects_unknown_keys(tmp_path):
    path = tmp_path / "linker.yaml"
    path.write_text("train:\n  C: 2.0\nmodel:\n  left_windw: 5\n")
    with pytest.raises(ConfigError, match="left_windw"):
        load_config("linker", path)
    path.write_text("C: 2.0\n")  # a setting outside its section
    with pytest.raises(ConfigError, match="'C'"):
        load_config("linker", path)
    path.write_text("train:\n  C: 2.0\ninference:\n  table_margin: 0.3\n")
    cfg, fit_settings = linker_config(load_config("linker", path))
    assert fit_settings["C"] == 2.0 and cfg.table_margin == 0.3 and cfg.cell_words


def test_shipped_settings_load_unchanged():
    """The shipped model's config.json gives the run-time settings it was trained with, its
    card the training settings (configs/linker.yaml); a config.json written before the
    settings schema (training keys and data sets inside) loads to the same settings."""
    from nlp.persist import read_meta, shipped_models_dir

    stored = json.loads((shipped_models_dir() / "linker" / "config.json").read_text(encoding="utf-8"))
    cfg = LinkerConfig.from_dict(stored)
    assert cfg.table_margin == stored["table_margin"] and cfg.objects == stored["objects"]
    assert cfg.cell_words == stored["cell_words"] and cfg.left_window == stored["left_window"]
    default, fit_settings = linker_config(load_config("linker"))
    card = read_meta(shipped_models_dir() / "linker", "linker")["settings"]
    trained_with = {**card["model"], **card["train"], "seed": card["seed"]}
    assert all(trained_with[k] == v for k, v in fit_settings.items())  # configs/linker.yaml = what it was trained with
    assert all(stored[k] == getattr(default, k) for k in ("left_window", "near_window", "right_window",
                                                           "head_window", "zero_threshold", "table_margin"))
    old_style = {**stored, "C": 4.0, "min_count": 2, "train": ["synth/train.jsonl"], "realdev": "x.jsonl"}
    assert LinkerConfig.from_dict(old_style) == cfg


def test_unit_seen_only_with_topics_gets_no_table_id(trained):
    """Table ids only for (label, unit) pairs their table takes in training: 条 counts
    published items there, never requests.  A unit never seen at all (宗) is left to the
    words of the clause."""
    linker, _ = trained
    text = "本年度共收到政府信息公开申请3条。"
    start = text.index("3条")
    out = _link(linker, text, [Fact(start, start + 2, "3条", "COUNT", 3, "条")])
    assert out[0].indicator is None or out[0].indicator.startswith("narrative.")
    assert linker.units["COUNT:件"] and linker.units["COUNT:条"] == []
    text = "本年度共收到政府信息公开申请3宗。"
    out = _link(linker, text, [Fact(start, start + 2, "3宗", "COUNT", 3, "宗")])
    assert out[0].indicator == "requests.new.total"


def test_rule_linker_breakdown_and_denial():
    text = "共收到申请44件，其中网上申请42件。未发生行政复议和行政诉讼"
    facts = [_at(text, "44件"), _at(text, "42件"), Fact(19, 31, text[19:31], "ZERO", 0, "")]
    got = [f.indicator for f in _link(link.RuleLinker(), text, facts)]
    assert got == ["requests.new.total", None] + DENY_ALL


# ------------------------------------------------------------------ precision gate
GATE = LinkerConfig.grounded().objects


@pytest.mark.parametrize("text, ind, ok", [
    ("共收到政府信息公开申请44件", "requests.new.total", True),
    ("受理5件公民、法人提出的政府信息公开申请", "requests.new.total", True),
    ("窗口受理各项业务办理1471项", "active.licensing.decisions", False),  # seed-004: other work
    ("行政处罚31件，行政确认5项", "active.licensing.decisions", False),
    ("人大建议和政协提案办理结果公开23件，其中主办13件", "requests.total.total", False),
    ("全年办理行政许可事项523件", "active.licensing.decisions", True),
    ("梳理公布行政许可事项清单86项", "active.licensing.decisions", False),
    ("公开通知公告12条、行政处罚信息4条", "active.penalty.decisions", False),
    ("清理废止2000年-2022年规范性文件34件", "active.normative.repealed", True),
])
def test_gate_needs_the_cells_object(text: str, ind: str, ok: bool) -> None:
    num = [m for m in __import__("re").finditer(r"\d+[件项条]", text)][-1]
    fact = Fact(num.start(), num.end(), num.group(), "COUNT", 1)
    assert link.names_object(GATE, ind, link.object_scope(text, fact)) is ok


@pytest.mark.parametrize("claim, ind, ok", [
    ("没有发生政务信息公开收费及减免情况", "requests.new.total", False),  # seed-001
    ("无泄露国家秘密和个人隐私的信息被公开", "requests.new.total", False),  # seed-003
    ("未收到政府信息公开申请", "requests.new.total", True),
    ("无因政府信息公开申请引发的行政复议", "requests.new.total", False),
    ("未发生行政复议、起诉", "litigation.direct.total", True),
])
def test_gate_zero_claim_names_its_object(claim: str, ind: str, ok: bool) -> None:
    fact = Fact(0, len(claim), claim, "ZERO", 0)
    assert link.names_object(GATE, ind, link.object_scope(claim, fact), zero=True) is ok


def test_gated_linker_falls_back_to_a_narrative_id() -> None:
    """A fitted linker whose main head says requests.new.total for 信箱 work gives the
    fact a non-table id once the gate is on."""
    recs = [Record(id=f"d{i}", text=f"共收到政府信息公开申请{i + 3}件。领导信箱留言{i + 2}件",
                   facts=[Fact(11, 11 + len(f"{i + 3}件"), f"{i + 3}件", "COUNT", i + 3, "件",
                               indicator="requests.new.total")]) for i in range(6)]
    lk = fit(recs, min_count=1, unit_mask=False)
    t = "领导信箱留言12件"
    f = Fact(6, 9, "12件", "COUNT", 12, "件")
    assert _link(lk, t, [f])[0].indicator == "requests.new.total"  # the model alone
    lk.config = LinkerConfig(objects=GATE)
    assert not link.is_table(_link(lk, t, [f])[0].indicator)


def test_a_change_on_last_year_needs_a_comparison_word() -> None:
    """A linker whose model files 原创稿件N条 under narrative.yoy.change gives the figure its
    next topic unless the clause compares with last year (较上年增加)."""
    recs = []
    for i in range(6):
        t = f"发布信息{i + 30}条。原创稿件{i + 2}条"
        recs.append(Record(id=f"d{i}", text=t, facts=[
            Fact(4, 7, f"{i + 30}条", "COUNT", i + 30, "条", indicator="narrative.active.items"),
            Fact(13, 13 + len(f"{i + 2}条"), f"{i + 2}条", "COUNT", i + 2, "条", indicator="narrative.yoy.change")]))
    lk = fit(recs, min_count=1, unit_mask=False)
    plain = "原创稿件208条"
    compared = "原创稿件较上年增加208条"
    for text, want in ((plain, "narrative.active.items"), (compared, "narrative.yoy.change")):
        f = Fact(len(text) - 4, len(text), "208条", "COUNT", 208, "条")
        assert _link(lk, text, [f])[0].indicator == want, text


def test_an_amount_is_a_fee_only_where_a_fee_is_named() -> None:
    """The shipped linker learnt every amount as 信息处理费: an investment or a subsidy paid
    out gets no topic rather than the fee's, and a fee named keeps it."""
    lk = Linker.load(MODELS / "linker")
    for text, span, value, unit, want in (("本年度收取信息处理费380元。", "380元", 380, "元", "narrative.fees.processing"),
                                          ("新建工程3个，计划投资5500万元。", "5500万元", 5500, "万元", None),
                                          ("全年发放惠民补贴，发放金额15.08万元。", "15.08万元", 15.08, "万元", None),
                                          # the first regulation's words; 费 before a ；
                                          ("依申请提供政府信息收取检索、复制、邮寄成本0元。", "0元", 0, "元",
                                           "narrative.fees.processing"),
                                          ("收取检索、复制、邮寄等成本费用；全年共收取30元。", "30元", 30, "元",
                                           "narrative.fees.processing")):
        start = text.index(span)
        f = Fact(start, start + len(span), span, "MONEY", value, unit)
        assert _link(lk, text, [f])[0].indicator == want, text


def test_an_amount_takes_the_cell_named_in_the_clause_before_it() -> None:
    """政府集中采购18项，资金214万元: the procurement's amount, though its naming word stands in
    the count's clause, not the amount's own — not the fee the model learnt every amount as,
    nor no id at all; an amount whose words name no cell still gets none, and a fee named
    after the cell's word stays a fee."""
    lk = Linker.load(MODELS / "linker")
    for text, span, want in (("2020年政府集中采购18项，资金214万元。", "214万元", "active.procurement.amount"),
                             ("主动公开政府集中采购信息20条，累计金额2017.515万元。", "2017.515万元",
                              "active.procurement.amount"),
                             ("新建工程3个，计划投资5500万元。", "5500万元", None),
                             # the amount's own clause says what it is: no look back (the review)
                             ("全年完成政府集中采购项目5个，节约财政资金30万元。", "30万元", None),
                             ("我局开展政府采购领域专项整治，追回违规资金28万元。", "28万元", None),
                             ("政府采购中未收取费用，收取信息处理费30万元。", "30万元", "narrative.fees.processing")):
        start = text.index(span)
        f = Fact(start, start + len(span), span, "MONEY", float(span[:-2]), "万元")
        assert _link(lk, text, [f])[0].indicator == want, text


def test_an_amount_never_takes_a_count_cell() -> None:
    """本年度政府集中采购2117.27万元 (audit M's page as one line ran 21 into 17.27万元): the
    amount got 采购项目数量 — a money figure on a count cell — as training had seen
    amounts in table 2 and the unit opened all of that table.  An amount takes only the
    money cells its unit took; a count keeps its table (宗 counts cases of all table 4)."""
    lk = Linker.load(MODELS / "linker")
    text = "本年度政府集中采购2117.27万元。"
    start = text.index("2117.27万元")
    f = Fact(start, start + 10, "2117.27万元", "MONEY", 2117.27, "万元")
    assert _link(lk, text, [f], "2019")[0].indicator == "active.procurement.amount"
    text = "本年度政府集中采购项目21个。"
    f = Fact(text.index("21个"), text.index("21个") + 3, "21个", "COUNT", 21, "个")
    assert _link(lk, text, [f], "2019")[0].indicator == "active.procurement.count"


def test_a_kind_of_published_item_counted_in_a_list_takes_no_table_two_cell() -> None:
    """主动公开政府信息52条，其中…行政事业性收费4条: a kind of item published, counted in 条 —
    no fee amount in 万元 (a count's unit states no money cell), and 行政许可类信息3条 /
    行政强制类信息1条 are items of information, not decisions (indicators.yaml objects);
    作出行政许可决定12件 still is one."""
    lk = Linker.load(MODELS / "linker")
    text = ("全年主动公开政府信息52条，其中行政许可类信息3条，行政强制类信息1条，行政事业性收费4条，其他类信息44条。"
            "全年作出行政许可决定12件。")
    got = {f.text: f.indicator for f in _link(lk, text, [_at(text, s) for s in ("3条", "1条", "4条", "12件")])}
    assert not any(v and v.startswith("active.") for k, v in got.items() if k != "12件"), got
    assert got["12件"] == "active.licensing.decisions"


def test_a_courts_civil_suit_and_an_offices_internal_rules_take_no_table_four_or_two_cell() -> None:
    """民事诉讼3件 are a court's civil cases, no suit over disclosure (table 4); 规章制度 an
    office's own rules, no government's 规章 (table 2) — as figures and as what a claim denies
    (a fresh audit's openings: both were put on those cells)."""
    lk = Linker.load(MODELS / "linker")
    text = "本局修订完善内部规章制度5项，作为当事人参与民事诉讼3件。本年度未制定新的规章制度，未发生民事诉讼。"
    facts = [_at(text, "5项"), _at(text, "3件"), _zero(text, "未制定新的规章制度"), _zero(text, "未发生民事诉讼")]
    got = [f.indicator for f in _link(lk, text, facts)]
    assert not [i for i in got if i and i.startswith(("litigation.", "active.rules."))], got


def test_information_another_department_holds_is_not_held() -> None:
    """非本部门掌握2件 (older wording of 本机关不掌握相关政府信息, a fresh audit's opening): the
    not-held outcome, not a channel's topic."""
    lk = Linker.load(MODELS / "linker")
    text = "全年收到政府信息公开申请5件，其中予以公开3件，非本部门掌握2件。"
    got = {f.text: f.indicator for f in _link(lk, text, [_at(text, "5件"), _at(text, "3件"), _at(text, "2件")])}
    assert got["2件"] == "requests.unavailable.not_held.total", got


def test_the_nearest_naming_decides_an_amounts_cell() -> None:
    """A fee denied in a clause before (无行政事业性收费) does not make the procurement's amount
    after it a fee: the procurement's word stands nearer (a real county bureau's opening)."""
    pipe = Pipeline.load(MODELS)
    text = ("一、总体情况\n2020年办理行政许可415件，无行政事业性收费，政府集中采购18项，资金214万元。\n")
    facts = {f.text: f.indicator for f in pipe.process_text(text).facts}
    assert facts["214万元"] == "active.procurement.amount"
    assert facts["18项"] == "active.procurement.count"


def test_a_count_of_requests_without_a_handling_verb_is_no_years_handling() -> None:
    """依申请公开4件 after the items published (sets P, R, AD): the model gave the handling's
    topic (taught on 办理…申请N件), though no handling verb stands in the clause; the one
    cell its words name is new requests.  With 办理 the handling stays."""
    pipe = Pipeline.load(MODELS)
    text = "一、总体情况\n2023年，通过区政府网站主动公开政务信息共计61条，依申请公开4件。\n全年依法办理依申请公开12件。\n"
    facts = {f.text: f.indicator for f in pipe.process_text(text).facts}
    assert facts["4件"] == "requests.new.total"
    assert facts["12件"] == "narrative.requests.handled"


def test_a_count_takes_the_staff_or_the_mail_topic_only_where_its_words_name_them() -> None:
    """Leaders at a press conference are no staff of the disclosure work, proposals received no
    requests by mail: the shipped linker gave them those topics at confidence 1.0."""
    lk = Linker.load(MODELS / "linker")
    cases = (("全力做好4位市政府领导出席新闻发布会的服务保障工作。", "4位", "位", lambda t: t != "narrative.staff.dedicated"),
             ("明确2名工作人员负责信息公开工作。", "2名", "名", lambda t: t == "narrative.staff.dedicated"),
             ("我局收到市级提案5件。", "5件", "件", lambda t: t != "narrative.requests.mail"),
             ("收到信函申请3件。", "3件", "件", lambda t: t == "narrative.requests.mail"))
    for text, span, unit, ok in cases:
        start = text.index(span)
        f = Fact(start, start + len(span), span, "COUNT", int(span[:-1]), unit)
        assert ok(_link(lk, text, [f])[0].indicator), text


def test_a_channel_named_after_the_figure_is_its_channel() -> None:
    """2件为网络申请，2件为信件申请: the channel follows each figure, and the model, reading the
    words before a figure, gave each the channel before it."""
    lk = Linker.load(MODELS / "linker")
    text = "本年度收到政府信息公开申请4件，2件为网络申请，2件为信件申请。"
    facts = [_at(text, "4件")] + [Fact(k, k + 2, "2件", "COUNT", 2, "件") for k in (text.index("，2件") + 1, text.rindex("2件"))]
    assert [f.indicator for f in _link(lk, text, facts)][1:] == ["narrative.requests.online", "narrative.requests.mail"]
    email = "共收到申请12件，其中5件为当面申请，3件为电子邮件申请。"  # an e-mail is the network's, not a letter
    assert _link(lk, email, [_at(email, "12件"), _at(email, "5件"), _at(email, "3件")])[2].indicator != "narrative.requests.mail"


def test_a_part_a_breakdown_opens_never_takes_the_wholes_topic() -> None:
    """主动公开…755条，其中…重点领域…122条: the part is no second total; a figure after 其中
    whose whole's clause does not name the whole (网站发布信息1969条) keeps what it gets."""
    lk = Linker.load(MODELS / "linker")
    text = "全年共主动公开政府信息755条，其中主动公开重点领域政府信息122条。"
    whole, part = _at(text, "755条"), _at(text, "122条")
    got = [f.indicator for f in _link(lk, text, [whole, part])]
    assert got[0] == "narrative.active.items" and got[1] not in (None, "narrative.active.items")
    alone = _link(lk, "主动公开重点领域政府信息122条。", [_at("主动公开重点领域政府信息122条。", "122条")])
    assert alone[0].indicator == "narrative.active.items"  # (what the model gives the words alone)
    site = "网站全年共计发布信息1969条，其中主动公开信息121条。"
    assert _link(lk, site, [_at(site, "1969条"), _at(site, "121条")])[1].indicator == "narrative.active.items"
    # a new year or a comparison after the 其中 opens a new whole; a part is a kind of what
    # the whole counts, or a channel's posts where it names the channel
    years = "2021年全县主动公开政府信息900条，其中政策解读30条，2022年全县主动公开政府信息800条。"
    assert _link(lk, years, [_at(years, s) for s in ("900条", "30条", "800条")])[2].indicator == "narrative.active.items"
    county = "主动公开政府信息2000条（其中县本级主动公开政府信息1500条）。"
    assert _link(lk, county, [_at(county, "2000条"), _at(county, "1500条")])[1].indicator.startswith("narrative.active.")
    wechat = "全年主动公开政府信息755条，其中通过微信公众号主动公开政务信息160条。"
    assert _link(lk, wechat, [_at(wechat, "755条"), _at(wechat, "160条")])[1].indicator == "narrative.new_media.posts"


def test_feature_groups_give_the_matrix_of_the_feature_dicts(trained):
    """The linker maps cached groups of names to columns; each group is a part of the
    fact's feature dict, and the groups share no name."""
    model, test = trained
    for rec in test[:6]:
        ctx = link.DocContext(rec.text, rec.lines)
        rows = link.doc_features(rec.text, rec.facts, ctx, model.config)
        X = model._matrix(rows).toarray()
        for i, groups in enumerate(rows):
            names = [k for g in groups for k in g]
            assert len(names) == len(set(names))
            expected = np.zeros(len(model.vocab), dtype=np.float32)
            expected[[model.index[k] for k in names if k in model.index]] = 1.0
            assert (X[i] == expected).all()
        prev = rows[0]
        assert set(link.fact_features(rec.text, rec.facts[0], ctx, model.config)) == {k for g in prev for k in g}


@pytest.mark.parametrize("seed", range(3))
def test_sentence_bounds_agree_with_a_character_scan(seed):
    """The regex search in widening windows finds what stepping one character at a time finds."""
    def scan(text, start, end):
        s = start
        while s > 0 and text[s - 1] not in SENT_END:
            s -= 1
        e = end
        while e < len(text) and text[e] not in SENT_END:
            e += 1
        return s, e

    rng = random.Random(seed)
    alphabet = "共收到申请件" + SENT_END + "甲乙丙丁" * 30
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 1200)))
        if rng.random() < 0.3:  # long stretches without any sentence end
            text = "".join(c for c in text if c not in SENT_END)
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        assert link.sentence_bounds(text, a, b) == scan(text, a, b)


# ------------------------------------------------------------------ candidates from the template
CFG = LinkerConfig.grounded()
CELL_WORDS = CFG.cell_words


@pytest.mark.parametrize("text, span, template, want", [
    ("全年共收到政府信息公开申请44件，其中网上申请42件", "44件", None, ["requests.new.total"]),
    ("全年共收到政府信息公开申请44件，其中网上申请42件", "42件", None, []),
    ("全年共收到政府信息公开申请44件，按时办结40件", "40件", None, ["requests.total.total"]),
    ("全年共收到申请9件，上年度结转2件", "2件", None, ["requests.carried_over.total"]),
    ("收到申请9件，顺延至下一年度办理3件", "3件", None, ["requests.carried_forward.total"]),
    ("收到申请9件，结转2025年度办理3件", "3件", None, ["requests.carried_forward.total"]),
    ("累计受理申请60件（含上年结转8件）", "60件", None, ["requests.received.total"]),
    ("累计受理申请60件（含上年结转8件）", "8件", None, ["requests.carried_over.total"]),
    ("收到申请60件，予以公开和部分公开的共41件", "41件", None, ["requests.disclosed.total"]),
    ("收到申请60件，依法不予公开5件", "5件", None, ["requests.denied.total"]),
    ("收到申请60件，因属于国家秘密不予公开5件", "5件", None, ["requests.denied.state_secret.total"]),
    ("被申请行政复议3件；复议机关维持2件", "2件", None, ["review.upheld"]),
    ("被提起行政诉讼4件，维持1件", "1件", None, ["litigation.direct.upheld"]),
    ("涉及本机关的行政诉讼案件4件", "4件", None, ["litigation.total"]),
    ("未经复议直接起诉4件", "4件", None, ["litigation.direct.total"]),
    ("引发行政复议和行政诉讼共3件", "3件", None, ["review_litigation.total"]),
    ("本年度印发行政规范性文件7件", "7件", "2021", ["active.normative.issued"]),
    ("本年度印发行政规范性文件7件", "7件", "2019", ["active.normative.made"]),
    ("对规范性文件进行清理，废止6件", "6件", "2021", ["active.normative.repealed"]),
    ("对规范性文件进行清理，当年制发4件，废止6件", "4件", "2021", ["active.normative.issued"]),
    ("发布信息90条，其中有效的行政规范性文件9件", "9件", "2021", ["active.normative.in_force"]),
    ("共收到申请9件，均已办结。下年度继续办理0件", "0件", None, ["requests.carried_forward.total"]),
    # 依申请公开 named, but documents made or steps followed are counted, not requests
    ("全年共制作依申请公开告知书33件", "33件", None, []),
    ("按登记、审核、送达等八个流程办理依申请公开", "八个", None, []),
    ("全年作出行政处罚28件，处理决定28件", "28件", None, ["active.penalty.decisions"]),
    ("领导信箱收到来信12件", "12件", None, []),
    # a cell's noun that only says what the thing counted is about: notices, not documents
    ("主动公开有关规范性文件的通知公告38份", "38份", "2019", []),
    ("主动公开有关规范性文件的通知公告38份", "38份", "2021", []),
    ("公开本年度制发的规范性文件38份", "38份", "2021", ["active.normative.issued"]),
    # a list of kinds before one figure: their sum when the template names it, else no cell
    ("本年度发生行政复议、行政诉讼案件2件", "2件", "2021", ["review_litigation.total"]),
    ("收到自然人、法人申请5件", "5件", "2021", []),
    ("其中网上申请3件、信函申请2件", "2件", "2021", []),
    # channels named as several means (等多种方式): the figure counts them all
    ("通过窗口、网站、信函、传真等多种方式受理申请292件", "292件", "2021", ["requests.new.total"]),
    ("通过网站、信函等渠道收到依申请公开信息16件", "16件", "2021", ["requests.new.total"]),
    ("通过传真方式受理申请3件", "3件", "2021", []),
    # received and handled in one breath: what was received
    ("本年度共收到并妥善处理依申请公开信息13件", "13件", "2021", ["requests.new.total"]),
    ("全年共收到和办理依申请公开12件", "12件", "2021", ["requests.new.total"]),
    ("本年度共处理依申请公开信息13件", "13件", "2021", ["requests.total.total"]),
    # (the information requests asked for is no publication the figure counts instead)
    ("其中予以公开的信息12件", "12件", "2021", ["requests.granted.total"]),
    # words after the figure that say which of the row's cells: they decide
    ("本年度被申请行政复议1件维持原行政行为", "1件", "2021", ["review.upheld"]),
    ("其中不予公开2件属于国家秘密", "2件", "2021", ["requests.denied.state_secret.total"]),
    # words run on after the figure say what became of it; those before it name it
    ("收到政府信息公开申请3项全部予以公开", "3项", "2021", ["requests.new.total"]),
    ("其中3件予以公开", "3件", "2021", ["requests.granted.total"]),
])
def test_cell_candidates_come_from_the_clauses_words(text, span, template, want):
    start = text.rindex(span)
    fact = Fact(start, start + len(span), span, "COUNT", 1, span[-1])
    assert link.fact_candidates(CFG, text, fact, template) == want


def test_a_table_id_only_for_a_cell_the_clause_names():
    """A model that files every 件 under requests.new.total gives a fact a table id only
    when its clause names the cell; other facts fall back to a non-table id."""
    recs = []
    for i in range(6):
        t = f"共收到政府信息公开申请{i + 3}件。公开通知{i + 2}件"
        recs.append(Record(id=f"d{i}", text=t, facts=[
            Fact(11, 11 + len(f"{i + 3}件"), f"{i + 3}件", "COUNT", i + 3, "件", indicator="requests.new.total"),
            Fact(len(t) - len(f"{i + 2}件"), len(t), f"{i + 2}件", "COUNT", i + 2, "件",
                 indicator="requests.new.total" if i < 4 else "narrative.active.notices")]))
    plain = fit(recs, min_count=1, unit_mask=False)
    grounded = fit(recs, LinkerConfig(cell_words=CELL_WORDS, objects=GATE), min_count=1, unit_mask=False)
    text = "本年度办理来信来访9件"
    fact = Fact(8, 10, "9件", "COUNT", 9, "件")
    assert _link(plain, text, [fact])[0].indicator == "requests.new.total"
    assert not link.is_table(_link(grounded, text, [fact])[0].indicator)
    text = "本年度新收政府信息公开申请9件"
    fact = Fact(13, 15, "9件", "COUNT", 9, "件")
    assert _link(grounded, text, [fact])[0].indicator == "requests.new.total"


@pytest.fixture(scope="module")
def shipped():
    from nlp.persist import shipped_models_dir
    return component.load("linker", shipped_models_dir() / "linker")


@pytest.mark.parametrize("text, span, want", [
    ("2023年，本机关共收到政府信息公开申请35件，其中网上申请30件，当面申请5件。", "30件", "narrative."),
    ("2023年，本机关共收到政府信息公开申请35件，办结33件，结转下年度继续办理2件。", "33件", "requests.total.total"),
    ("2023年，本机关共收到政府信息公开申请35件，办结33件，结转下年度继续办理2件。", "2件", "requests.carried_forward.total"),
    ("全年共受理政府信息公开申请35件，其中予以公开及部分公开28件。", "28件", "requests.disclosed.total"),
    ("全年共受理政府信息公开申请35件，作出不予处理决定3件。", "3件", "requests.rejected.total"),
    ("本年度发生政府信息公开行政诉讼案件6件。", "6件", "litigation.total"),
    ("本年度因政府信息公开被申请行政复议3件，其中维持2件、纠正1件。", "2件", "review.upheld"),
    ("2023年，本机关制发行政规范性文件12件。", "12件", "active.normative.issued"),
    # a part the model reads as its row's total: the clause's words say which cell
    ("2022年，本中心受理自然人提出的政府信息公开申请7件，上年结转1件。", "7件", "requests.new.natural"),
    # a cell no training sentence named: the words alone, once the model holds it a table figure
    ("不予公开的8件中有5件属于行政查询事项，3件属于内部事务信息。", "5件", "requests.denied.query.total"),
    # a row no training sentence named (规章): the words alone, on the 2021 grid of a report
    # whose tables are not in view; rules made public are not the year's issued ones
    ("2024年，本机关在专栏发布信息210条，其中制定政府规章2件。", "2件", "active.rules.issued"),
    ("本年度废止政府规章3件。", "3件", "active.rules.repealed"),
    ("通过政府公报主动公开政府规章9件。", "9件", "narrative."),
    ("通过政府公报主动公开本年度制发的政府规章4件。", "4件", "active.rules.issued"),
    # a clause naming its own family is not of the family the list before it names
    ("本年度制发行政规范性文件5件，废止政府规章2件。", "2件", "active.rules.repealed"),
    # a sentence that names no object: the sentence before it says what is counted
    ("2024年共收到政府信息公开申请42件，主要涉及征地拆迁、项目建设等方面。依法办结35件，结转下年度办理7件。",
     "35件", "requests.total.total"),
    ("领导信箱共收到来信12件。依法办结12件。", "12件", "narrative."),
    # the papers a permit asks for are no requests; the papers of requests are
    ("深化“放管服”改革，精简需市场主体提供的申请材料16项。", "16项", "narrative."),
    ("本年度受理依申请公开材料3份。", "3份", "requests.new.total"),
    # another office's applications are not table 3's (a permit's, an allowance's)
    ("全年受理行政许可申请120件，办结118件。", "118件", "narrative."),
    ("本年度共受理政府信息公开申请50件，办理完成48件。", "48件", "requests.total.total"),
    # an outcome group told by its reasons: each reason's own row
    ("共收到政府信息公开申请40件，予以公开20件，属于保护第三方合法权益6件，属于行政查询事项2件。", "6件",
     "requests.denied.third_party.total"),
    ("共收到政府信息公开申请40件，予以公开20件，属于保护第三方合法权益6件，属于行政查询事项2件。", "2件",
     "requests.denied.query.total"),
    ("共收到政府信息公开申请40件，予以公开38件，申请人逾期未补正2件。", "2件", "requests.other.no_correction.total"),
    # the kinds of fee are counted, not the money
    ("本年度共办理行政处罚0件，行政事业性收费项3项。", "3项", "narrative."),
])
def test_shipped_linker_links_what_the_clause_names(shipped, text, span, want):
    """The shipped model on phrasings written for this test (composites and parts included)."""
    start = text.rindex(span)
    fact = Fact(start, start + len(span), span, "COUNT", int(span[:-1]), span[-1])
    got = _link(shipped, text, [fact])[0].indicator or ""
    assert got.startswith(want) if want.endswith(".") else got == want, (text, got)


@pytest.mark.parametrize("template, text, span, want", [
    ("2019", "本年度新公开政府规章2件。", "2件", "active.rules.published"),
    ("2019", "本年度制定政府规章4件。", "4件", "active.rules.made"),
    ("2021", "本年度制定政府规章4件。", "4件", "active.rules.issued"),
])
def test_shipped_linker_reads_a_never_learnt_row_on_the_documents_template(shipped, template, text, span, want):
    assert _link(shipped, text, [_at(text, span)], template)[0].indicator == want


def test_numpy_products_equal_scipy_to_the_bit(shipped):
    """Prediction sums weight rows in numpy (no SciPy at run time); the scores are the
    float32 sums SciPy's CSR product gave, so shipped models predict exactly as before."""
    sparse = pytest.importorskip("scipy.sparse")
    from pathlib import Path

    from nlp.corpus import load_records

    root = Path(__file__).resolve().parent.parent
    for rec in load_records(root / "corpus" / "synth" / "test.jsonl")[:25]:
        rows = link.doc_features(rec.text, rec.facts, link.DocContext(rec.text, rec.lines, rec.template),
                                 shipped.config)
        X = shipped._matrix(rows)
        S = sparse.csr_matrix((np.ones(len(X.indices), dtype=np.float32), X.indices, X.indptr), shape=X.shape)
        for w in (shipped._coef_t, shipped._zero_coef_t):
            assert X.dot(w).dtype == np.asarray(S @ w).dtype
            assert np.array_equal(X.dot(w), np.asarray(S @ w))


def test_malformed_weights_are_refused_not_read(tmp_path):
    """A weight file whose CSR parts do not fit the vocabulary is a ModelError, as when
    SciPy checked them (a column index past the vocabulary, or a negative one)."""
    from nlp.persist import shipped_models_dir

    src = shipped_models_dir() / "linker"
    for bad in (np.array([-1], dtype=np.int32), np.array([10 ** 8], dtype=np.int32)):
        model = tmp_path / f"lk{bad[0]}"
        model.mkdir()
        for f in src.iterdir():
            (model / f.name).write_bytes(f.read_bytes())
        indices = np.load(model / "zero_coef.indices.npy")
        indices[:1] = bad
        np.save(model / "zero_coef.indices.npy", indices)
        write_meta(model, "linker", **{k: v for k, v in json.loads((src / "meta.json").read_text()).items()
                                       if k not in ("kind", "backend", "toolkit_version", "compatible", "files")})
        with pytest.raises(ModelError, match="unreadable linker files"):
            Linker.load(model)


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.uint64])
def test_sparse_weights_load_as_the_sum_of_their_entries(dtype):
    """The linker's saved CSR weights become the dense matrix whatever their index type,
    rows empty, unsorted or naming a column twice (repeats add up, as in CSR)."""
    from nlp.link.model import _dense

    rng = np.random.default_rng(7)
    for _ in range(200):
        rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        counts = rng.integers(0, 5, size=rows)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(dtype)
        indices = rng.integers(0, cols, size=int(counts.sum())).astype(dtype)
        data = rng.normal(size=len(indices)).astype(np.float32)
        want = np.zeros((rows, cols), dtype=np.float32)
        np.add.at(want, (np.repeat(np.arange(rows), counts), indices.astype(np.int64)), data)
        got = _dense(data, indices, indptr, (rows, cols))
        assert got.shape == (rows, cols) and np.array_equal(got, want)
        assert got.T.flags["C_CONTIGUOUS"]  # the linker's product reads the transpose, uncopied


def test_a_figure_gets_only_a_topic_its_label_took_in_training():
    """A share is never a count of posts: the fitted linker keeps, per figure label (and
    per count unit), the narrative topics it took in training (``topics["PERCENT"]``) and
    gives a figure none other, whatever its words; without the mask the words decide."""
    recs = []
    for i in range(30):
        text = f"网站发布信息{i + 10}条。建议办理满意率{90 + i % 9}%。"
        a, b = text.index(f"{i + 10}条"), text.index("%") - 2
        recs.append(Record(id=f"r{i}", text=text, facts=[
            Fact(a, a + len(f"{i + 10}条"), f"{i + 10}条", "COUNT", i + 10, "条", indicator="narrative.website.posts"),
            Fact(b, b + 3, text[b:b + 3], "PERCENT", 90 + i % 9, "%", indicator="narrative.proposals.satisfaction")]))
    masked, plain = fit(recs, min_count=1), fit(recs, min_count=1, unit_mask=False)
    assert masked.topics["PERCENT"] == ["narrative.proposals.satisfaction"]
    assert masked.topics["COUNT:条"] == ["narrative.website.posts"]
    text = "网站发布信息占比达到80%。"
    start = text.index("80%")
    share = [Fact(start, start + 3, "80%", "PERCENT", 80, "%")]
    assert _link(masked, text, share)[0].indicator == "narrative.proposals.satisfaction"
    assert _link(plain, text, share)[0].indicator == "narrative.website.posts"


def test_shipped_linker_gives_a_share_a_rate_topic():
    """The shipped card keeps the topics each figure label took in training: a rate in a
    sentence about other work gets one of the rate topics, never a count of items."""
    from nlp.persist import shipped_models_dir

    shipped = component.load("linker", shipped_models_dir() / "linker")
    rates = set(shipped.topics["PERCENT"])
    assert "narrative.active.items" not in rates and "narrative.proposals.satisfaction" in rates
    text = "所有建议已按程序办理完毕，满意度100%。"
    start = text.index("100%")
    got = _link(shipped, text, [Fact(start, start + 4, "100%", "PERCENT", 100, "%")])[0].indicator
    assert got in rates


@pytest.mark.parametrize("text, span, want", [
    # last year named by its number: carried over; a later year after 结转: carried forward
    ("全年新收申请104件，2024年结转政府信息公开申请0件", "0件", ["requests.carried_over.total"]),
    ("全年新收申请104件， 2024 年度结转至本年办理的申请 0件", "0件", ["requests.carried_over.total"]),
    ("本年结转2025年政府信息公开申请17件", "17件", ["requests.carried_forward.total"]),
    # a figure's words end at the figure before it in the same clause
    ("产生行政复议13件和行政诉讼1件", "1件", ["litigation.total"]),
    ("产生行政复议13件和行政诉讼1件", "13件", ["review.total"]),
    # documents checked or sorted out are not documents issued
    ("2023年共清查规范性文件11件", "11件", []),
    ("全年共制发规范性文件6件", "6件", ["active.normative.issued"]),
    ("代市政府起草规范性文件3件", "3件", []),                      # a draft for another body
    # items of a power list, or a change in them, are no decisions
    ("公开行政许可事项60项、行政处罚事项200项", "200项", []),
    ("本年度行政处罚事项新增10项，处理决定数量29件", "10项", []),
    ("本年度行政处罚事项新增10项，处理决定数量29件", "29件", ["active.penalty.decisions"]),
    # requests: outcomes, other work and a page are no new requests
    ("不作为政府信息公开申请处理11件", "11件", []),
    ("线上办结政务服务业务19件", "19件", []),
    # a reason followed by 等 is one example of the kind: the figure counts the kind's row
    ("因本机关不掌握等原因无法提供846件", "846件", ["requests.unavailable.total"]),
    ("属于信访投诉举报、重复申请等情形不予处理24件", "24件", ["requests.rejected.total"]),
    ("属于重复申请不予处理2件", "2件", ["requests.rejected.duplicate.total"]),
    # ... but only a sub-row's reason gives way to its row: another family's word stays a family's
    ("本年度共收到申请10件，办结行政诉讼等案件3件", "3件", ["litigation.total"]),
    # the words real reports use for a stage or an outcome
    ("办理完结政府信息公开申请141件（含上年度结转申请5件）", "141件", ["requests.total.total"]),
    ("全年共处理政府信息公开申请1261件（含上年度结转申请74件）", "1261件", ["requests.received.total"]),
    ("收到申请20条，及时回复19条", "19条", ["requests.total.total"]),
    ("除1件尚在答复外，其余均已办结", "1件", ["requests.carried_forward.total"]),
    ("受理申请12件，答复7件，不予受理4件", "4件", ["requests.rejected.total"]),
    # an applicant that names no one column of the table (法人 or other organisations: five)
    ("收到申请27件，26件为自然人申请，1件为法人申请", "1件", []),
])
def test_cell_words_name_the_cell(text, span, want):
    from nlp.indicators import registry

    start = text.index(span)
    fact = Fact(start, start + len(span), span, "COUNT", 1, span[-1])
    assert link.cell_candidates(registry().raw["cell_words"], text, fact, "2021") == want


def test_a_count_gets_only_a_topic_its_unit_took_in_training():
    """235条 is never a number of visits: a count gets only a topic a count in its unit took
    in training (``topics["COUNT:条"]``); a unit never seen is left to the words."""
    recs = []
    for i in range(30):
        text = f"网站全年访问量{i + 900}人次。网站发布信息{i + 10}条。"
        a, b = text.index(f"{i + 900}人次"), text.index(f"{i + 10}条")
        recs.append(Record(id=f"r{i}", text=text, facts=[
            Fact(a, a + len(f"{i + 900}人次"), f"{i + 900}人次", "COUNT", i + 900, "人次",
                 indicator="narrative.website.visits"),
            Fact(b, b + len(f"{i + 10}条"), f"{i + 10}条", "COUNT", i + 10, "条", indicator="narrative.website.posts")]))
    masked, plain = fit(recs, min_count=1), fit(recs, min_count=1, unit_mask=False)
    text = "网站全年访问量235条。"
    start = text.index("235条")
    posts = [Fact(start, start + 4, "235条", "COUNT", 235, "条")]
    assert _link(plain, text, posts)[0].indicator == "narrative.website.visits"
    assert _link(masked, text, posts)[0].indicator == "narrative.website.posts"
    visits = [Fact(start, start + 4, "235次", "COUNT", 235, "次")]
    assert _link(masked, text.replace("条", "次"), visits)[0].indicator == "narrative.website.visits"


@pytest.mark.parametrize("text, claim, want", [
    ("本局全年依法办理许可事项200余件，未作出行政强制决定。", "未作出行政强制决定", ["active.coercion.decisions"]),
    ("本年度本单位未收取行政事业性收费，收费金额为零。", "未收取行政事业性收费", ["active.fees.amount"]),
    ("本年度未制发规章和规范性文件。", "未制发规章和规范性文件", None),
    ("全年没有发生因信息公开引起的行政复议。", "没有发生因信息公开引起的行政复议", ["review.total"]),
    # a request in the words of the public asking (the heads gave it a topic of fees)
    ("本年度，未接到群众要求公开的信息。", "未接到群众要求公开的信息", ["requests.new.total"]),
    # ... asking the agency by name (audit L: the heads gave it accountability cases, at 0.0)
    ("2023年，我局未收到公民、法人或其他组织要求本局公开政府信息的情况。",
     "未收到公民、法人或其他组织要求本局公开政府信息的情况", ["requests.new.total"]),
    # requests listed with reviews and suits: all three denied
    ("本年度无政府信息公开申请、行政复议和行政诉讼。", "无政府信息公开申请、行政复议和行政诉讼",
     ["requests.new.total", "review.total", "litigation.direct.total", "litigation.after_review.total"]),
    # 败诉 is a lawsuit lost, with no word of 诉讼 before it
    ("本年度无败诉或纠错的情况。", "无败诉或纠错的情况", ["litigation.direct.corrected", "litigation.after_review.corrected"]),
    # ... but a review's when the claim names 复议
    ("本年度未发生行政复议败诉情况。", "未发生行政复议败诉情况", ["review.corrected"]),
])
def test_a_zero_claim_gets_the_cells_its_words_name(shipped, text, claim, want):
    """What the linker gives a zero claim is what the reconciler checks it against
    (``zero_scopes`` of indicators.yaml, :mod:`nlp.claims`) — not a topic the heads guessed
    (the shipped heads, alone, gave the coercion claim a topic of overdue answers)."""
    from nlp.claims import zero_claim, zero_scope

    start = text.index(claim)
    fact = Fact(start, start + len(claim), claim, "ZERO", 0)
    got = [f.indicator for f in _link(shipped, text, [fact], "2021")]
    named = list(zero_scope(zero_claim(text, fact), "2021"))
    assert named and got == named
    if want is not None:
        assert got == want


def test_a_request_to_correct_what_was_published_denies_no_new_requests():
    """要求更正/撤回已公开的政府信息 is no request for information (the review of the scope
    for the public asking the agency by name): the claim names no requests cell."""
    from nlp.claims import zero_claim, zero_scope

    for text, claim in (("全年未收到公众要求更正本机关公开政府信息的情况。", "未收到公众要求更正本机关公开政府信息的情况"),
                        ("全年没有公民要求我局撤回已公开政府信息的情形。", "没有公民要求我局撤回已公开政府信息的情形")):
        start = text.index(claim)
        fact = Fact(start, start + len(claim), claim, "ZERO", 0)
        assert "requests.new.total" not in zero_scope(zero_claim(text, fact), "2021"), text


def test_a_breakdown_sentence_after_its_total_keeps_the_group():
    """行政复议2件。其中结果维持1件…: the 。 before 其中 does not end the group the outcomes
    belong to (the helper's judging of real openings found them filed as narrative)."""
    from nlp.link.candidates import fact_candidates
    from nlp.link.config import LinkerConfig

    cfg = LinkerConfig.grounded()
    for sep in ("。", "，"):
        t = f"本年度发生政府信息公开行政复议2件{sep}其中结果维持1件，结果纠正1件。"
        found = [fact_candidates(cfg, t, Fact(m.start(), m.end(), m.group(), "COUNT", 1))
                 for m in re.finditer(r"\d件", t)]
        assert found == [["review.total"], ["review.upheld"], ["review.corrected"]], (sep, found)


def test_not_agreeing_to_disclose_is_denied_not_granted():
    """不同意公开的6件 holds 同意公开: it names the denied row, never the granted one (a real
    report's figure was filed under requests.granted.total)."""
    from nlp.link.candidates import fact_candidates
    from nlp.pipeline import Pipeline

    t = "本年度共收到申请10件，同意公开的4件，不同意公开的6件。"
    found = [fact_candidates(LinkerConfig.grounded(), t, Fact(m.start(), m.end(), m.group(), "COUNT", 1))
             for m in re.finditer(r"\d+件", t)]
    assert found == [["requests.new.total"], ["requests.granted.total"], ["requests.denied.total"]]
    rec = Pipeline.load(MODELS).process_text("信川市教育局2023年政府信息公开工作年度报告\n一、总体情况\n" + t + "\n", "t")
    assert [(f.text, f.indicator) for f in rec.facts][-1] == ("6件", "requests.denied.total")


@pytest.mark.parametrize("text, want", [
    ("2024年新收到政府信息公开申请6件，上年结转2件，共计8件。", "requests.received.total"),
    ("予以公开4件，部分公开3件，合计7件。", "requests.disclosed.total"),
    ("2024年新收到政府信息公开申请6件，上年结转2件，共计9件。", None),  # not their sum
    ("予以公开4件，不予公开3件，合计7件。", None),  # no composite of these two
])
def test_a_figure_that_sums_the_ones_before_it_is_their_composite(shipped, text, want):
    facts = [Fact(m.start(), m.end(), m.group(), "COUNT", int(m.group()[:-1]), "件")
             for m in re.finditer(r"[0-9]+件", text)]
    got = _link(shipped, text, facts, "2021")[-1].indicator
    assert got == want if want else not (got or "").startswith(("requests.received", "requests.disclosed")), got


def test_a_zero_count_of_a_sum_is_written_per_cell(shipped):
    """行政诉讼0件 denies both kinds of suit, as 未发生行政诉讼 does: one fact per cell."""
    text = "因政府信息公开引起的行政复议2件，行政诉讼0件。"
    facts = [Fact(m.start(), m.end(), m.group(), "COUNT", int(m.group()[:-1]), "件")
             for m in re.finditer(r"[0-9]+件", text)]
    got = [(f.text, f.indicator) for f in _link(shipped, text, facts, "2021")]
    assert got == [("2件", "review.total"), ("0件", "litigation.direct.total"),
                   ("0件", "litigation.after_review.total")]


def test_a_claim_about_calls_over_denied_requests_denies_no_cell():
    """未接到关于不予公开政府信息的电话咨询 denies calls, not denied requests: the claim
    is not compared with requests.denied.total (a table with denials would be a false
    contradiction)."""
    from nlp.claims import zero_scope

    assert zero_scope("未接到关于不予公开政府信息的电话咨询") == ()
    assert zero_scope("本年度未作出不予公开答复") == ("requests.denied.total",)


def test_a_figure_that_closes_a_list_of_kinds_is_no_kinds_cell():
    """网站留言、市长信箱、依申请公开等45件 counts every kind listed: not the requests'
    cell (compared with the table's, it would be a false mismatch)."""
    from nlp.link.candidates import fact_candidates
    from nlp.link.config import LinkerConfig

    cfg = LinkerConfig.grounded()
    t = "全年共办理网站留言、市长信箱、依申请公开等45件。共收到依申请公开1件。"
    got = [fact_candidates(cfg, t, Fact(t.index(f), t.index(f) + len(f), f, "COUNT", 1)) for f in ("45件", "1件")]
    assert got == [[], ["requests.new.total"]]


def test_a_justice_bureau_s_reviews_as_the_reviewing_body_are_not_table_4(shipped):
    """A justice bureau (or a government) receives reconsideration applications as the
    reviewing body: 受理行政复议申请56件, 办结38件, 撤销4件, 维持12件 count its work on
    others' acts, not reviews of its own disclosure, nor disclosure requests (linked to
    table 4 or 3 they were compared with the tables: false mismatches)."""
    from nlp.indicators import is_table_id

    text = "推动法治政府建设。截至11月底，受理行政复议申请56件，目前已办结38件，撤回申请13件，撤销4件，维持12件。"
    facts = [_at(text, s) for s in ("56件", "38件", "13件", "4件", "12件")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert not any(is_table_id(i) for i in got if i), got
    # … while the same words about reviews of its disclosure keep their cells
    text = "因政府信息公开被申请行政复议5件，其中维持2件。"
    got = [f.indicator for f in _link(shipped, text, [_at(text, "5件"), _at(text, "2件")], "2021")]
    assert got == ["review.total", "review.upheld"]


def test_a_figure_for_each_item_is_no_cells_figure():
    """15位自然人…各1次: one each, not the requests of natural persons (1 against a table
    of 15 would be a false mismatch)."""
    from nlp.link.candidates import fact_candidates
    from nlp.link.config import LinkerConfig

    cfg = LinkerConfig.grounded()
    t = "为15位自然人分别提供申请的气象资料各1次。共收到自然人申请3件。"
    got = [fact_candidates(cfg, t, Fact(t.index(f), t.index(f) + len(f), f, "COUNT", 1)) for f in ("1次", "3件")]
    assert got[0] == [] and got[1] == ["requests.new.natural"]


def test_outcomes_in_the_bracket_after_one_kind_of_applicant_are_that_column_s(shipped):
    """自然人申请7件（予以公开2件…）: the shipped linker reads 予以公开 from the clause, the
    bracket says whose (a report with other applicants would otherwise be wrongly compared)."""
    text = "全年共收到政府信息公开申请9件，其中自然人申请7件（予以公开2件、本机关不掌握相关政府信息5件），法人申请2件。"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\d+件", text)]
    facts = [Fact(s, e, text[s:e], "COUNT", int(text[s:e - 1]), "件") for s, e in spans]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert got[1:4] == ["requests.new.natural", "requests.granted.natural", "requests.unavailable.not_held.natural"]
    assert got[4] != "requests.granted.natural"  # after the bracket: not the column's


def test_last_years_items_in_the_2019_grid_go_to_its_last_year_column():
    """A report for 2021 printed on the 2019 grid: 2020年主动公开行政许可33项，行政处罚36项 are
    the 上一年项目数量 cells (the list's items carry its first clause's year); this year's
    行政处罚0项 stays a decision count — and nothing disagrees with the table."""
    from nlp.pipeline import Pipeline

    grid = ["第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
            "行政许可", "33", "0", "0", "其他对外管理服务事项", "0", "0", "0",
            "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
            "行政处罚", "36", "0", "0", "行政强制", "1", "0", "0"]
    text = "\n".join(["信川县林业局2021年政府信息公开工作年度报告", "一、总体情况",
                      "我局2020年主动公开行政许可33项，行政处罚36项，行政强制1项。2021年新增行政处罚0项。",
                      "二、主动公开政府信息情况", *grid, "三、收到和处理政府信息公开申请情况"])
    rec = Pipeline.load(MODELS).process_text(text, "t")
    assert rec.template == "2019"
    got = {f.text: f.indicator for f in rec.facts if f.text in ("33项", "36项", "1项")}
    assert got == {"33项": "active.licensing.prev_items", "36项": "active.penalty.prev_items",
                   "1项": "active.coercion.prev_items"}
    assert [f for f in rec.findings if f.type in ("narrative_table_mismatch", "narrative_conflict")] == []


@pytest.mark.parametrize("sentence, want", [
    ("行政许可、行政处罚、行政强制决定数量分别为0宗。",
     [("0宗", "active.licensing.decisions"), ("0宗", "active.penalty.decisions"), ("0宗", "active.coercion.decisions")]),
    ("本年制发、废止规范性文件分别为2件、1件，现行有效规范性文件30件。",
     [("2件", "active.normative.issued"), ("1件", "active.normative.repealed"), ("30件", "active.normative.in_force")]),
    ("全年共收到申请12件，予以公开、部分公开分别为5件、7件。",
     [("12件", "requests.new.total"), ("5件", "requests.granted.total"), ("7件", "requests.partial.total")]),
])
def test_figures_given_to_a_list_of_kinds_go_to_each_kinds_cell(sentence, want):
    """分别为 / 均为 after a list of kinds: one figure per kind in order, or one for all."""
    from nlp.pipeline import Pipeline

    rec = Pipeline.load(MODELS).process_text("信川市司法局2023年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n", "t")
    assert [(f.text, f.indicator) for f in rec.facts] == want


@pytest.mark.parametrize("text, span, expected", [
    # a year opening the sentence drew the model towards 新收; 办结 names the stage
    ("2025年本局共办结政府信息公开申请62件。", "62件", "requests.total.total"),
    # 结转下年度 names the stage; the model split the figure between carried over and forward
    ("本局收到申请64件。其中，结转下年度继续办理的政府信息公开申请2件。", "2件", "requests.carried_forward.total"),
])
def test_a_request_stage_named_by_its_words_keeps_its_cell(shipped, text, span, expected):
    facts = [_at(text, s) for s in ("64件", span) if s in text]
    got = {f.text: f.indicator for f in _link(shipped, text, facts, "2021")}
    assert got[span] == expected


def test_an_applicant_column_named_by_its_words_keeps_its_cell(shipped):
    """2件为自然人申请 after the year's requests: the model held it a request-stage figure
    (办结), the words name the applicants' column."""
    text = "今年来我局收到政府信息公开申请3件，2件为自然人申请，1件为商业企业申请。"
    facts = [_at(text, "3件"), _at(text, "2件"), _at(text, "1件")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert got == ["requests.new.total", "requests.new.natural", "requests.new.commercial"]


def test_a_document_counter_the_generator_never_writes_may_take_a_table_id(shipped):
    """规范性文件4篇: 篇 took no table id in training, yet counts the documents 件 does."""
    text = "全年我局主动公开政府信息960条，发布行政规范性文件4篇，政策解读3篇。"
    facts = [Fact(text.index(s), text.index(s) + len(s), s, "COUNT", int(s[:-1]), s[-1])
             for s in ("960条", "4篇", "3篇")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert got[1] == "active.normative.issued" and not got[2].startswith("active.")


def test_a_sibling_outcome_s_reasons_do_not_hide_what_a_breakdown_counts(shipped):
    """其他处理204件 after a sibling whose reasons name 信访 (other work, elsewhere): the
    whole before 其中 says the parts count requests."""
    text = ("本年度新收到政府信息公开申请300件。其中，予以公开101件；"
            "属于信访投诉举报、重复申请等情形不予处理24件；其他处理175件。")
    facts = [_at(text, s) for s in ("300件", "101件", "24件", "175件")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert got == ["requests.new.total", "requests.granted.total", "requests.rejected.total",
                   "requests.other.total"]


def test_outcome_figures_given_before_their_reasons_keep_their_cells(shipped):
    """不予公开2件，其中1件因涉及第三方合法权益，1件属于内部事务信息: the generator names an
    outcome before its figure; the linker is trained on copies that give it after
    (configs/linker.yaml augment_figure_first) and reads the words after the figure too."""
    text = "本年度收到政府信息公开申请9件。其中予以公开7件；不予公开2件，其中1件因涉及第三方合法权益，1件属于内部事务信息。"
    at = text.index("其中1件")
    facts = [_at(text, "9件"), _at(text, "7件"), _at(text, "2件"),
             Fact(at + 2, at + 4, "1件", "COUNT", 1, "件"), Fact(text.rindex("1件"), text.rindex("1件") + 2, "1件", "COUNT", 1, "件")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert got == ["requests.new.total", "requests.granted.total", "requests.denied.total",
                   "requests.denied.third_party.total", "requests.denied.internal.total"]


def test_documents_sorted_by_how_they_may_be_disclosed_are_not_requests(shipped):
    """依申请公开文件12条、不予公开文件36条 count a bureau's documents by their disclosure
    attribute: with a table printed, a request id would raise a false mismatch."""
    text = "本年度共梳理文件60条，其中主动公开文件12条、依申请公开文件12条、不予公开文件36条。"
    facts = [Fact(text.index(s), text.index(s) + len(s), s, "COUNT", int(s[:-1]), "条") for s in ("60条", "36条")]
    got = [f.indicator for f in _link(shipped, text, facts, "2021")]
    assert not any((g or "").startswith("requests.") for g in got)


def test_a_share_after_a_published_kind_is_that_kinds_share(shipped):
    """The model learnt 占X% after request outcomes only; after a count of published items
    it is that kind's share of what was published, and after an outcome it stays one."""
    text = "全年主动公开信息4363条，其中工作动态类信息397条，占9.1%；通知公告2577条，占59%。予以公开35件，占42.86%。"
    def share(span: str) -> Fact:
        start = text.index(span)
        return Fact(start, start + len(span), span, "PERCENT", float(span[:-1]), "%")
    facts = [share(s) if s.endswith("%") else _at(text, s)
             for s in ("4363条", "397条", "9.1%", "2577条", "59%", "35件", "42.86%")]
    shares = [f.indicator for f in _link(shipped, text, facts, "2021") if f.label == "PERCENT"]
    assert shares == ["narrative.active.category_share"] * 2 + ["narrative.requests.outcome_share"]


@pytest.mark.parametrize("text, want", [
    # kinds of published items counted in 件 or 项 (the generator wrote 条): their own topics
    ("全年主动公开政府信息35条，其中人事信息14件、财政预决算6件、年度计划和总结1件。",
     ["narrative.active.items", "narrative.active.personnel", "narrative.active.budget", "narrative.active.plans"]),
    ("公开政策文件29项，政策解读54项。", ["narrative.active.policy_documents", "narrative.policy_interpretation.items"]),
    # table ids keep each counter's own mask: decisions in 件
    ("全年作出行政许可170件，行政处罚16件。", ["active.licensing.decisions", "active.penalty.decisions"]),
])
def test_a_count_takes_the_topics_of_its_counters_group(shipped, text, want):
    facts = [_at(text, m.group()) for m in re.finditer(r"\d+[条件项]", text)]
    assert [f.indicator for f in _link(shipped, text, facts, "2021")] == want


def test_a_stage_cell_the_words_name_wins_over_the_handled_topic(shipped):
    """办理完结…申请141件 is 办理结果总计: the model, taught 办理…申请N件 as the year's
    workload (a topic), put its mass there — mass on a stage, which supports the stage cell
    the words name.  办理…申请N件 alone names no cell and keeps the topic."""
    text = "2025年，办理完结政府信息公开申请141件（含上年度转办件）。共办理政府信息公开申请95件。"
    got = [f.indicator for f in _link(shipped, text, [_at(text, "141件"), _at(text, "95件")], "2021")]
    assert got == ["requests.total.total", "narrative.requests.handled"]


@pytest.mark.parametrize("text, span, not_want", [
    ("全年向申请人发出补正申请告知书12封。", "12封", "requests.new.total"),  # notices sent, no requests
    ("全年开展行政复议和行政诉讼应诉培训2项。", "2项", "review_litigation.total"),  # training, no cases
    ("全年共收到网民咨询问题98件。", "98件", "narrative.content_cleanup.items"),  # no topic only 条 took
])
def test_a_count_keeps_its_counters_own_cells_and_topics(shipped, text, span, not_want):
    """项 and 封 take no cell 件 takes, and a count in 件 takes only the published kinds'
    topics its counter group took (a code review's cases: each was linked so)."""
    start = text.index(span)
    fact = Fact(start, start + len(span), span, "COUNT", int(span[:-1]), span[-1])
    assert [f.indicator for f in _link(shipped, text, [fact], "2021")] != [not_want]


@pytest.mark.parametrize("text, whole, parts", [
    # (audit R) the parts took the whole's clause as theirs: 收到…依申请公开 names new requests
    ("全年共收到依申请公开信息12条，其中：收到邮递依申请公开信息1条，信息公开平台依申请公开11条，均按时答复。",
     "12条", ["1条", "11条"]),
    # a request withdrawn (撤回, 撤销) is no request received
    ("全年收到政府信息公开申请3项，其中1项申请人撤回，2项予以公开。", "3项", ["1项"]),
])
def test_a_part_a_breakdown_takes_counts_no_cell_its_whole_was_given(shipped, text, whole, parts):
    facts = [_at(text, whole), *(_at(text, p) for p in parts)]
    got = _link(shipped, text, facts)
    assert got[0].indicator == "requests.new.total"
    assert not [f.indicator for f in got[1:] if f.indicator == "requests.new.total"]


@pytest.mark.parametrize("text, whole, part, want", [
    ("共收到政府信息公开申请8件，其中自然人申请6件。", "8件", "6件", "requests.new.natural"),
    # (review) a part narrowed to disclosure is the table's count, whatever its whole got
    ("全年共收到行政复议申请12件，其中涉及政府信息公开的复议案件2件。", "12件", "2件", "review.total"),
    ("全年发生行政诉讼案件8件，其中涉及政府信息公开的行政诉讼1件。", "8件", "1件", "litigation.total"),
])
def test_a_part_its_own_words_name_keeps_its_cell(shipped, text, whole, part, want):
    """A part named, or narrowed to what the tables count, in words its whole's clause lacks
    keeps the cell: 其中自然人申请6件, 其中涉及政府信息公开的复议案件2件."""
    got = _link(shipped, text, [_at(text, whole), _at(text, part)])
    assert got[1].indicator == want


@pytest.mark.parametrize("text, span, want", [
    ("全年收到申请5件，其中予以公开3件，因涉及经济安全不予公开2件。", "2件", "requests.denied.three_safety.total"),
    ("全年收到申请5件，其中予以公开3件，不予公开2件。", "2件", "requests.denied.total"),
])
def test_three_safeties_one_stability_named_by_one_of_its_parts(shipped, text, span, want):
    """危及“三安全一稳定”: a danger to national, public or economic security, or to social
    stability — a report names the one it was (audit R: 涉及经济安全不予公开)."""
    facts = [_at(text, s) for s in ("5件", "3件", span)]
    assert _link(shipped, text, facts)[-1].indicator == want
