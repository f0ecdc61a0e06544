"""Table parser: the five seeds in their own layout and re-rendered into every other layout,
and the robustness cases real reports produce (issue 3)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import MODELS, SEED_GOLD, seed_paths
from nlp.pipeline import Pipeline
from nlp.evaluate.tables import cell_scores, evaluate_tables
from nlp.identities import check_identities
from nlp.indicators import ids_for_template, registry
from nlp.tables import TableResult, label_core, parse_tables, parse_value
from nlp.types import Document, Line, Record, lines_of


def broken(res: TableResult) -> list:
    """The identity violations among what the tables read (the reconciler's check)."""
    return [f for f in check_identities(res.cells, res.template, missing=res.missing_cells)
            if f.type == "identity_violation"]


# ---------------------------------------------------------------- gold
# Used only when corpus/seeds.jsonl is absent: the complete tables, written out by hand
# from the seed files (every cell 0 unless listed).
_HAND = {
    "000": ("2021", {"active.licensing.decisions": 2332}, []),
    "001": ("2019", {"active.normative.made": 2, "active.normative.published": 2,
                     "active.normative.total_published": 2, "active.licensing.prev_items": 13,
                     "active.licensing.change": 1, "active.licensing.decisions": 2501,
                     "active.penalty.prev_items": 18, "active.penalty.change": 11,
                     "active.penalty.decisions": 218, "active.procurement.count": 4,
                     "active.procurement.amount": 2954}, []),
    "002": ("2021", {"active.penalty.decisions": 48, "requests.new.natural": 1, "requests.new.total": 1,
                     "requests.denied.third_party.natural": 1, "requests.denied.third_party.total": 1,
                     "requests.total.natural": 1, "requests.total.total": 1,
                     "review.corrected": 1, "review.total": 1}, []),
    "003": ("2021", {"active.normative.issued": 3, "active.normative.repealed": 1,
                     "active.normative.in_force": 2, "active.penalty.decisions": 143},
            ["review.upheld", "review.corrected", "review.other", "review.pending", "review.total"]),
    "004": ("2021", {"active.licensing.decisions": 1291, "active.penalty.decisions": 31,
                     "requests.new.natural": 1, "requests.new.commercial": 1, "requests.new.total": 2,
                     "requests.granted.commercial": 1, "requests.granted.total": 1,
                     "requests.denied.three_safety.natural": 1, "requests.denied.three_safety.total": 1,
                     "requests.total.natural": 1, "requests.total.commercial": 1,
                     "requests.total.total": 2}, []),
}


def _hand_gold(key: str) -> tuple[str, dict, list]:
    template, nonzero, missing = _HAND[key]
    table = {i: 0 for i in ids_for_template(template) if i not in missing}
    table.update(nonzero)
    return template, table, list(missing)


def gold_for(key: str) -> tuple[str, dict, list]:
    """(template, table, missing_cells) of seed ``key`` ("000"…"004")."""
    if SEED_GOLD.is_file():
        for line in SEED_GOLD.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.strip() else None
            if rec and rec["id"].endswith(key):
                return rec["template"], rec["table"], rec["missing_cells"]
    return _hand_gold(key)


SEEDS = {p.name[:3]: p for p in seed_paths()}


def doc_of(text: str, path: str = "<text>") -> Document:
    """A Document the way the reader builds it."""
    from nlp.pipeline import document_from_text

    return document_from_text(text, path)


def seed_text(key: str) -> str:
    return SEEDS[key].read_text(encoding="utf-8")


def seed000_with_new_requests_row(row: str) -> TableResult:
    """Seed 000's tables with its 一、本年新收 tab row printed as ``row``."""
    lines = seed_text("000").split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("一、本年新收"))
    lines[i] = row
    return parse_tables(doc_of("\n".join(lines)))


def assert_reads(result: TableResult, table: dict, missing: list, template: str | None = None):
    """Every gold cell read exactly, every gold blank reported missing."""
    if template:
        assert result.template == template
    wrong = {k: (v, result.cells.get(k)) for k, v in table.items()
             if k not in result.cells or result.cells[k].value != v}
    assert not wrong, f"{len(wrong)} cells wrong: {list(wrong.items())[:5]}"
    assert set(missing) <= set(result.missing_cells)
    assert not set(result.missing_cells) - set(missing), sorted(set(result.missing_cells) - set(missing))[:8]


def no_wrong_values(result: TableResult, table: dict) -> None:
    """Robustness contract: a cell is either read correctly or reported missing/doubtful."""
    for k, c in result.cells.items():
        if c.value is not None and k in table:
            assert c.value == table[k], (k, c, result.doubtful.get(k))


# ---------------------------------------------------------------- renderer (text layouts)
_T2 = {
    "2021": [("第二十条第（一）项", ["rules", "normative"], ["本年制发件数", "本年废止件数", "现行有效件数"]),
             ("第二十条第（五）项", ["licensing"], ["本年处理决定数量"]),
             ("第二十条第（六）项", ["penalty", "coercion"], ["本年处理决定数量"]),
             ("第二十条第（八）项", ["fees"], ["本年收费金额（单位：万元）"])],
    "2019": [("第二十条第（一）项", ["rules", "normative"], ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
             ("第二十条第（五）项", ["licensing", "other_services"], ["上一年项目数量", "本年增/减", "处理决定数量"]),
             ("第二十条第（六）项", ["penalty", "coercion"], ["上一年项目数量", "本年增/减", "处理决定数量"]),
             ("第二十条第（八）项", ["fees"], ["上一年项目数量", "本年增/减"]),
             ("第二十条第（九）项", ["procurement"], ["采购项目数量", "采购总金额（单位：万元）"])],
}
T3_COLS = ["natural", "commercial", "research", "nonprofit", "legal", "other_org", "total"]
_PARENT_FIRST = {"denied.state_secret": "（三）不予公开", "unavailable.not_held": "（四）无法提供",
                 "rejected.petition": "（五）不予处理", "other.no_correction": "（六）其他处理"}


def _v(table: dict, cid: str) -> str:
    v = table.get(cid)
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def table_rows(template: str, table: dict, cols: list[str] = T3_COLS,
               extra_col: bool = False) -> list[list[list[str]]]:
    """Tables 2, 3, 4 as grids of cell strings (the official layout, merged cells flattened)."""
    spec = registry().raw["table2"][template]
    labels = {r["id"]: r["label"] for r in spec["rows"]}
    t2 = []
    for title, rows, heads in _T2[template]:
        t2.append([title] + [""] * len(heads))
        t2.append(["信息内容"] + heads)
        for r in rows:
            t2.append([labels[r]] + [_v(table, f"active.{r}.{c}") for c in spec["cells"][r]])
    names = {"natural": "自然人", "commercial": "商业企业", "research": "科研机构", "nonprofit": "社会公益组织",
             "legal": "法律服务机构", "other_org": "其他", "total": "总计"}
    orgs = [names[c] for c in cols if c not in ("natural", "total")] + (["法人或其他组织小计"] if extra_col else [])
    t3 = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "申请人情况"],
          ["", ""] + [names[c] for c in cols if c == "natural"] + ["法人或其他组织"]
          + (["总计"] if "total" in cols else []),
          ["", "", ""] + orgs + [""]]
    for r in registry().raw["table3"]["rows"]:
        if template not in r["templates"]:
            continue
        rid = r["id"]
        vals = [_v(table, f"requests.{rid}.{c}") for c in cols]
        if extra_col:
            parts = [table.get(f"requests.{rid}.{c}") for c in ("commercial", "research", "nonprofit", "legal", "other_org")]
            sub = "" if any(p is None for p in parts) else str(int(sum(parts)))
            vals = vals[:6] + [sub] + vals[6:]
        if r.get("parent"):
            head = ["", _PARENT_FIRST.get(rid, ""), r["label"]]
        elif rid == "granted":
            head = ["三、本年度办理结果", r["label"]]
        else:
            head = [r["label"]]
        t3.append(head + vals)
    groups, outs = ["review", "litigation.direct", "litigation.after_review"], ["upheld", "corrected", "other", "pending", "total"]
    t4 = [["行政复议", "", "", "", "", "行政诉讼"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉"],
          [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
          [_v(table, f"{g}.{o}") for g in groups for o in outs]]
    return [t2, t3, t4]


def render_grid(rows: list[list[str]], layout: str) -> list[str]:
    if layout == "tabs":
        return ["\t".join(r) for r in rows]
    if layout == "cells":
        out = []
        for r in rows:
            out += ["\t" + c for c in r] + [""]
        return out
    if layout == "spaces":  # pdf text without rulings: blank cells simply vanish
        return [" ".join(c for c in r if c) for r in rows]
    if layout == "pipe":
        out = ["| " + " | ".join(r) + " |" for r in rows]
        width = max(len(r) for r in rows)
        return out[:1] + ["|" + "---|" * width] + out[1:]
    raise ValueError(layout)


HEADS = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def render_doc(key: str, layout: str, table: dict | None = None, template: str | None = None,
               grids: list | None = None) -> str:
    """Seed ``key`` with its narrative kept and its three tables re-rendered in ``layout``."""
    text = seed_text(key)
    g_template, g_table, _ = gold_for(key)
    template, table = template or g_template, g_table if table is None else table
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if "主动公开政府信息情况" in ln and len(ln.strip()) < 20)
    end = next(i for i, ln in enumerate(lines) if i > start and re.match(r"\s*五、", ln))
    body = []
    for head, grid in zip(HEADS, grids or table_rows(template, table)):
        body += [head, ""] + render_grid(grid, layout) + [""]
    return "\n".join(lines[:start] + body + lines[end:])


# ---------------------------------------------------------------- the seeds
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_own_layout(key):
    template, table, missing = gold_for(key)
    result = parse_tables(doc_of(seed_text(key), str(SEEDS[key])))
    assert_reads(result, table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_rerendered(key, layout):
    template, table, missing = gold_for(key)
    result = parse_tables(doc_of(render_doc(key, layout)))
    assert_reads(result, table, missing, template)


def _seed_blocks(key: str):
    from nlp.corpus import render
    from nlp.pipeline import document_from_text
    return render, render.blocks_from_document(document_from_text(seed_text(key), str(SEEDS[key])))


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_own_grids_rerendered_by_nlp_render(key, layout):
    """The seed's own grids (merged cells, filler cells and all) written in another layout."""
    render, blocks = _seed_blocks(key)
    template, table, missing = gold_for(key)
    assert_reads(parse_tables(doc_of(render.render_txt(blocks, layout))), table, missing, template)


def _render_native(render, blocks, fmt: str, path) -> None:
    """Write ``blocks`` as ``fmt``: docx/html, ``-merged`` for merged cells, or pdf."""
    kind, _, merged = fmt.partition("-")
    if kind == "pdf":
        render.render_pdf(blocks, path)
    else:
        getattr(render, f"render_{kind}")(blocks, path, merge=bool(merged))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "docx-merged", "html", "html-merged", "pdf"])
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_rendered_formats(key, fmt, tmp_path):
    render, blocks = _seed_blocks(key)
    from nlp.pipeline import read_document
    template, table, missing = gold_for(key)
    kind = fmt.partition("-")[0]
    path = tmp_path / f"seed{key}.{kind}"
    _render_native(render, blocks, fmt, path)
    assert_reads(parse_tables(read_document(path)), table, missing, template)


def test_cells_keep_provenance():
    text = seed_text("000")
    doc = doc_of(text)
    result = parse_tables(doc)
    cell = result.cells["active.licensing.decisions"]
    assert cell.value == 2332 and cell.raw == "2332"
    assert "2332" in doc.line_texts()[cell.line] and "行政许可" in doc.line_texts()[cell.line]
    cell = result.cells["requests.new.total"]
    assert "本年新收" in doc.line_texts()[cell.line]


def test_seed003_blank_review_group_is_missing_not_zero():
    result = parse_tables(doc_of(seed_text("003")))
    for o in ("upheld", "corrected", "other", "pending", "total"):
        assert f"review.{o}" in result.missing_cells
        assert result.cells.get(f"review.{o}") is None or result.cells[f"review.{o}"].value is None
    assert result.cells["litigation.direct.total"].value == 0
    assert result.cells["active.normative.issued"].value == 3
    assert result.cells["active.penalty.decisions"].value == 143


def test_key_cells_by_hand():
    """Independent of the annotated gold: a few cells read off the seed files by eye."""
    r = {k: parse_tables(doc_of(seed_text(k))) for k in SEEDS}
    v = {k: {c: x.value for c, x in res.cells.items()} for k, res in r.items()}
    assert v["000"]["active.licensing.decisions"] == 2332
    assert r["001"].template == "2019"
    assert [v["001"][f"active.licensing.{c}"] for c in ("prev_items", "change", "decisions")] == [13, 1, 2501]
    assert [v["001"][f"active.penalty.{c}"] for c in ("prev_items", "change", "decisions")] == [18, 11, 218]
    assert [v["001"]["active.procurement.count"], v["001"]["active.procurement.amount"]] == [4, 2954]
    assert v["001"]["requests.other.total"] == 0 and "requests.other.other.total" not in v["001"]
    assert v["004"]["requests.new.total"] == 2
    assert v["004"]["requests.denied.three_safety.natural"] == 1
    assert [v["003"][f"active.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [3, 1, 2]
    assert v["002"]["review.corrected"] == 1 and v["002"]["review.total"] == 1


def test_evaluate_tables_on_seeds_is_perfect():
    gold, pred = [], []
    for key in sorted(SEEDS):
        template, table, missing = gold_for(key)
        gold.append(Record(id=key, template=template, table=table, missing_cells=missing))
        res = parse_tables(doc_of(seed_text(key)))
        pred.append(Record(id=key, template=res.template, cells=res.cells, missing_cells=res.missing_cells))
    scores = evaluate_tables(gold, pred)
    for t in ("table2", "table3", "table4", "all"):
        assert scores[t]["accuracy"] == 1.0, (t, scores[t])
        assert scores[t]["spurious"] == 0
    assert scores["template_accuracy"] == 1.0 and scores["perfect_documents"] == 5


def test_evaluate_counts_wrong_and_missing():
    s = cell_scores({"review.total": 1}, ["review.upheld"], {"review.total": 2, "review.upheld": 0})
    assert s["table4"] == {"gold": 2, "correct": 0, "wrong": 2, "absent": 0, "spurious": 0, "extra_missing": 0}


def test_segmenter_sections_bound_the_tables():
    """With the segmenter's lines, tables are found even when their headings are gone."""
    text = seed_text("004")
    doc = doc_of(text)
    plain = parse_tables(doc)
    lines = [Line(ln.start, ln.end) for ln in doc.lines]
    for k, sec in ((2, "active"), (3, "requests"), (4, "review")):
        a, b = plain.regions[k]
        for i in range(a, b):
            lines[i].section = sec
    texts = doc.line_texts()
    for i in (plain.regions[2][0], plain.regions[3][0], plain.regions[4][0]):  # blank the headings
        texts[i] = ""
    doc2 = doc_of("\n".join(texts))
    lines2 = [Line(a.start, a.end, b.section) for a, b in zip(doc2.lines, lines)]
    template, table, missing = gold_for("004")
    assert_reads(parse_tables(doc2, lines2), table, missing, template)


def test_no_headings_found_by_labels():
    template, table, missing = gold_for("002")
    text = "\n".join(ln for ln in render_doc("002", "cells").split("\n") if ln not in HEADS)
    assert_reads(parse_tables(doc_of(text)), table, missing, template)


def test_no_tables_at_all():
    result = parse_tables(doc_of("某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度未收到申请。"))
    assert result.cells == {}
    assert result.template == "2021"  # no table label to go by: the report year decides
    assert not broken(result)
    assert parse_tables(doc_of("某局2020年政务信息公开工作年度报告\n无")).template == "2019"
    assert parse_tables(doc_of("年度报告\n一、总体情况")).template == "unknown"


def test_table_labels_beat_the_title_year():
    text = seed_text("001").replace("2020年政务信息公开", "2023年政务信息公开")
    assert parse_tables(doc_of(text)).template == "2019"


def test_realdev_tables(realdev_path):
    """Measure only: every table cell the real excerpts state is read, none wrongly."""
    gold, pred = [], []
    for line in realdev_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = Record.from_json(line)
        res = parse_tables(doc_of(rec.text, rec.id))
        gold.append(rec)
        pred.append(Record(id=rec.id, template=res.template, cells=res.cells, missing_cells=res.missing_cells))
    scores = evaluate_tables(gold, pred)
    assert scores["all"]["wrong"] == 0 and scores["all"]["spurious"] == 0, scores["all"]
    assert scores["all"]["accuracy"] >= 0.95, scores["all"]
    assert scores["template_accuracy"] >= 0.9


# ---------------------------------------------------------------- values
@pytest.mark.parametrize("raw,kind,value", [
    ("2,332", "num", 2332), ("１２３", "num", 123), ("12.5", "num", 12.5), ("1，234", "num", 1234),
    ("0 ", "num", 0), ("/", "blank", None), ("—", "blank", None), ("-", "blank", None),
    ("无", "blank", None), ("", "blank", None), ("－", "blank", None), ("-2", "num", -2),
    ("3件", "num", 3), ("行政许可", "text", None), ("第二十条", "text", None),
])
def test_parse_value(raw, kind, value):
    assert parse_value(raw) == (kind, value)


def test_value_formats_in_a_table():
    template, table, missing = gold_for("004")
    t = dict(table)
    t["active.licensing.decisions"] = 1291
    t["active.fees.amount"] = 12.5
    grids = table_rows(template, t)
    for row in grids[0]:
        if row[0] == "行政许可":
            row[1] = "1,291"
        if row[0] == "行政处罚":
            row[1] = "３１"
    grids[1][3][1] = "—"   # requests.new.natural blank as a dash
    grids[1][4][1] = "/"   # requests.carried_over.natural blank as a slash
    res = parse_tables(doc_of(render_doc("004", "tabs", t, grids=grids)))
    assert res.cells["active.licensing.decisions"].value == 1291
    assert res.cells["active.licensing.decisions"].raw == "1,291"
    assert res.cells["active.penalty.decisions"].value == 31
    assert res.cells["active.fees.amount"].value == 12.5
    for cid, raw in (("requests.new.natural", "—"), ("requests.carried_over.natural", "/")):
        assert res.cells[cid].value is None and res.cells[cid].raw == raw
        assert cid in res.missing_cells
    assert res.cells["requests.new.commercial"].value == 1


def test_label_core():
    assert label_core("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == label_core(
        "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)")
    assert label_core("1、属于国家秘密") == label_core("1. 属于国家秘密") == "属于国家秘密"


# ---------------------------------------------------------------- robustness (issue 3)
def _grids(key: str, **kw):
    template, table, missing = gold_for(key)
    return template, table, missing, table_rows(template, table, **kw)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_extra_blank_lines(layout):
    template, table, missing = gold_for("004")
    text = render_doc("004", layout)
    lines = text.split("\n")
    a = lines.index(HEADS[0])
    b = next(i for i, ln in enumerate(lines) if re.match(r"五、", ln))
    spaced = lines[:a] + [x for ln in lines[a:b] for x in (ln, "")] + ["", ""] + lines[b:]
    assert_reads(parse_tables(doc_of("\n".join(spaced))), table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_row_missing_is_reported(layout):
    template, table, missing, grids = _grids("004")
    grids[1] = [r for r in grids[1] if "重复申请" not in "".join(r)]
    res = parse_tables(doc_of(render_doc("004", layout, grids=grids)))
    gone = [f"requests.rejected.duplicate.{c}" for c in T3_COLS]
    assert set(gone) <= set(res.missing_cells)
    assert not set(gone) & set(res.cells)
    assert_reads(res, {k: v for k, v in table.items() if k not in gone}, missing + gone, template)


def test_columns_shifted_by_an_empty_cell():
    template, table, missing, grids = _grids("004")
    for row in grids[1][3:]:
        if "本年新收" in row[0] or "予以公开" in "".join(row):
            i = next(k for k, c in enumerate(row) if c and re.fullmatch(r"\d+", c))
            row.insert(i, "")  # an empty cell pushes the numbers right
    for row in grids[0]:
        if row[0] == "行政许可":
            row.insert(1, "")
    assert_reads(parse_tables(doc_of(render_doc("004", "tabs", grids=grids))), table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_table_split_by_page_break(layout):
    template, table, missing = gold_for("004")
    lines = render_doc("004", layout).split("\n")
    cut = next(i for i, ln in enumerate(lines) if "4.保护第三方合法权益" in ln)
    broken = lines[:cut] + ["", "\f- 7 -", "", "第 7 页 共 9 页", ""] + lines[cut:]
    assert_reads(parse_tables(doc_of("\n".join(broken))), table, missing, template)


def test_page_break_inside_a_row_of_cells():
    template, table, missing = gold_for("004")
    lines = render_doc("004", "cells").split("\n")
    cut = next(i for i, ln in enumerate(lines) if "本年新收" in ln) + 3
    broken = lines[:cut] + ["", "- 7 -", ""] + lines[cut:]
    assert_reads(parse_tables(doc_of("\n".join(broken))), table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_totals_column_absent(layout):
    template, table, missing, grids = _grids("004", cols=T3_COLS[:-1])
    res = parse_tables(doc_of(render_doc("004", layout, grids=grids)))
    totals = [f"requests.{r['id']}.total" for r in registry().raw["table3"]["rows"] if template in r["templates"]]
    assert set(totals) <= set(res.missing_cells)
    assert all(t in res.doubtful for t in totals)
    assert_reads(res, {k: v for k, v in table.items() if k not in totals}, missing + totals, template)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_extra_subtotal_column(layout):
    template, table, missing, grids = _grids("004", extra_col=True)
    res = parse_tables(doc_of(render_doc("004", layout, grids=grids)))
    assert_reads(res, table, missing, template)


def test_blank_total_cells_with_parts_filled_tab_rows():
    """Seed 000's tab rows carry filler cells; a blank 总计 must not shift the parts."""
    res = seed000_with_new_requests_row("一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t\t")
    assert res.cells["requests.new.natural"].value == 1
    assert [res.cells[f"requests.new.{c}"].value for c in T3_COLS[1:6]] == [0] * 5
    assert "requests.new.total" in res.missing_cells
    assert res.cells.get("requests.new.total") is None or res.cells["requests.new.total"].value is None


@pytest.mark.parametrize("layout", ["cells", "pipe", "tabs"])
def test_blank_total_cells_with_parts_filled(layout):
    template, table, missing, grids = _grids("004")
    for row in grids[1]:
        if "本年新收" in row[0] or "(七)" in row[0] or "（七）" in row[0]:
            row[-1] = ""
    res = parse_tables(doc_of(render_doc("004", layout, grids=grids)))
    blank = ["requests.new.total", "requests.total.total"]
    assert_reads(res, {k: v for k, v in table.items() if k not in blank}, missing + blank, template)


def test_number_split_across_two_cells_is_repaired_when_arithmetic_proves_it():
    template, table, missing = gold_for("004")
    t = dict(table)
    t.update({"requests.new.natural": 12, "requests.new.commercial": 0, "requests.new.total": 12,
              "litigation.direct.upheld": 10, "litigation.direct.total": 10})
    grids = table_rows(template, t)
    row = next(r for r in grids[1] if "本年新收" in r[0])
    k = row.index("12")
    row[k:k + 1] = ["1", "2"]
    data = grids[2][3]
    k = data.index("10")
    data[k:k + 1] = ["1", "0"]
    res = parse_tables(doc_of(render_doc("004", "tabs", t, grids=grids)))
    assert res.cells["requests.new.natural"].value == 12
    assert res.cells["requests.new.total"].value == 12
    assert res.cells["litigation.direct.upheld"].value == 10
    assert "requests.new.natural" in res.repairs and "litigation.direct.upheld" in res.repairs
    assert_reads(res, t, missing, template)


def test_number_split_ambiguous_in_table3_is_doubtful_not_wrong():
    template, table, missing = gold_for("004")
    t = dict(table, **{"requests.new.natural": 12, "requests.new.total": 13})
    grids = table_rows(template, t)
    row = next(r for r in grids[1] if "本年新收" in r[0])
    row[1:2] = ["1", "2"]  # 1|2|1|0|… : 12,1,0 and 1,2,10 both add up to 13
    res = parse_tables(doc_of(render_doc("004", "tabs", t, grids=grids)))
    assert "requests.new.natural" in res.doubtful and "requests.new.natural" in res.missing_cells
    no_wrong_values(res, t)


def test_number_split_without_proof_is_doubtful_not_wrong():
    template, table, missing = gold_for("004")
    grids = table_rows(template, table)
    row = next(r for r in grids[0] if r[0] == "行政许可")
    row[1:2] = ["12", "91"]  # 1291 split: no identity can confirm table 2
    res = parse_tables(doc_of(render_doc("004", "cells", grids=grids)))
    assert "active.licensing.decisions" in res.doubtful
    assert "active.licensing.decisions" in res.missing_cells
    no_wrong_values(res, table)


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_labels_cut_short_2021(layout):
    template, table, missing, grids = _grids("003")
    for row in grids[0]:
        row[:] = ["现行有效件" if c == "现行有效件数" else "本年度止件数" if c == "本年废止件数" else c for c in row]
    for row in grids[1]:
        row[:] = [{"4.保护第三方合法权益": "4.保护第三方合法", "3.补正后申请内容仍不明确": "3.补正后申请内容仍不明",
                   "2.其他法律行政法规禁止公开": "2.其它法律行政法规禁止公开"}.get(c, c) for c in row]
    assert_reads(parse_tables(doc_of(render_doc("003", layout, grids=grids))), table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_labels_cut_short_2019(layout):
    template, table, missing, grids = _grids("001")
    for row in grids[0]:
        row[:] = ["本年新" if c in ("本年新制作数量", "本年新公开数量") else c for c in row]
    assert_reads(parse_tables(doc_of(render_doc("001", layout, grids=grids))), table, missing, "2019")


def test_labels_split_over_lines_and_cells():
    template, table, missing = gold_for("004")
    lines = render_doc("004", "tabs").split("\n")
    i = next(k for k, ln in enumerate(lines) if "3.危及" in ln)
    cells = lines[i].split("\t")
    j = next(k for k, c in enumerate(cells) if "3.危及" in c)
    lines[i:i + 1] = ["\t".join(cells[:j] + ["3.危及“三安全"]), "\t".join(["一稳定”"] + cells[j + 1:])]
    k = next(n for n, ln in enumerate(lines) if "本年新收" in ln)
    cells = lines[k].split("\t")
    lines[k] = "\t".join(["一、本年新收政府信息", "公开申请数量"] + cells[1:])
    assert_reads(parse_tables(doc_of("\n".join(lines))), table, missing, template)


def test_numbering_variants_and_parent_in_its_own_cell():
    template, table, missing, grids = _grids("004")
    out = []
    for row in grids[1]:
        if len(row) > 2 and row[1] in _PARENT_FIRST.values():
            out.append(["", row[1]])  # （三）不予公开 alone, sub-rows after it
            row = ["", ""] + row[2:]
        row = [re.sub(r"^(\d)\.", lambda m: m.group(1) + ("、" if int(m.group(1)) % 2 else ". "), c) for c in row]
        row = [c.replace("（", "(").replace("）", ")") for c in row]
        out.append(row)
    grids[1] = out
    for layout in ("tabs", "cells"):
        assert_reads(parse_tables(doc_of(render_doc("004", layout, grids=grids))), table, missing, template)


def test_sub_rows_without_numbering():
    template, table, missing, grids = _grids("002")
    for row in grids[1]:
        row[:] = [re.sub(r"^\d\.", "", c) if not c.startswith("3.其他") else c for c in row]
    assert_reads(parse_tables(doc_of(render_doc("002", "cells", grids=grids))), table, missing, template)


def test_table4_short_of_numbers_is_doubtful():
    template, table, missing, grids = _grids("002")
    grids[2][3] = grids[2][3][5:]  # review group cells dropped entirely, not blank
    res = parse_tables(doc_of(render_doc("002", "cells", grids=grids)))
    assert all(f"{g}.{o}" in res.missing_cells for g in ("review", "litigation.direct")
               for o in ("upheld", "total"))
    no_wrong_values(res, table)


def test_full_width_text_not_normalized():
    """The parser does not depend on the reader's normalization."""
    template, table, missing = gold_for("004")
    text = render_doc("004", "cells")
    fw = text.replace("1.", "１．").replace("(", "（").replace(")", "）")
    fw = re.sub(r"(?m)^\t(\d+)$", lambda m: "\t" + "".join(chr(ord(d) + 0xFEE0) for d in m.group(1)), fw)
    assert "\t１２９１" in fw
    assert_reads(parse_tables(Document("<fw>", "txt", fw, lines_of(fw))), table, missing, template)


def test_tab_row_cut_short_after_its_last_number():
    """A pdf/text export that drops the trailing blank cells of a row."""
    res = seed000_with_new_requests_row("一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0")
    assert res.cells["requests.new.natural"].value == 1
    assert res.cells["requests.new.other_org"].value == 0
    assert "requests.new.total" in res.missing_cells


def test_same_row_twice_with_different_numbers_is_doubtful():
    template, table, missing, grids = _grids("004")
    row = next(r for r in grids[1] if "重复申请" in "".join(r))
    grids[1].append(list(row[:-7]) + ["5", "0", "0", "0", "0", "0", "5"])
    res = parse_tables(doc_of(render_doc("004", "cells", grids=grids)))
    assert "requests.rejected.duplicate.natural" in res.doubtful
    assert "requests.rejected.duplicate.natural" in res.missing_cells
    assert "requests.rejected.duplicate.commercial" in res.cells  # both rows agree there
    no_wrong_values(res, table)


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_unrecognizable_row_label_leaves_its_cells_missing(layout):
    template, table, missing, grids = _grids("004")
    for row in grids[1]:
        row[:] = ["5.内部信息（见附表）" if c == "5.属于三类内部事务信息" else c for c in row]
    res = parse_tables(doc_of(render_doc("004", layout, grids=grids)))
    gone = [f"requests.denied.internal.{c}" for c in T3_COLS]
    assert set(gone) <= set(res.missing_cells)
    assert_reads(res, {k: v for k, v in table.items() if k not in gone}, missing + gone, template)


def test_tab_row_broken_by_a_page_break():
    template, table, missing = gold_for("004")
    lines = render_doc("004", "tabs").split("\n")
    k = next(n for n, ln in enumerate(lines) if "本年新收" in ln)
    cells = lines[k].split("\t")
    lines[k:k + 1] = ["\t".join(cells[:4]), "", "\f- 5 -", "\t".join(cells[4:])]
    assert_reads(parse_tables(doc_of("\n".join(lines))), table, missing, template)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_with_the_rule_segmenters_lines(key):
    from nlp import segment
    from nlp.component import Work

    template, table, missing = gold_for(key)
    doc = doc_of(seed_text(key), str(SEEDS[key]))
    assert_reads(parse_tables(doc, segment.RuleSegmenter()(Work(doc))), table, missing, template)


def test_segmenter_off_by_rows_does_not_cut_a_table():
    """Section boundaries a few lines off: the headings still bound the tables."""
    template, table, missing = gold_for("000")
    doc = doc_of(seed_text("000"))
    plain = parse_tables(doc)
    lines = [Line(ln.start, ln.end, "overview") for ln in doc.lines]
    for k, sec in ((2, "active"), (3, "requests"), (4, "review")):
        a, b = plain.regions[k]
        for i in range(a + 3, min(b + 3, len(lines))):
            lines[i].section = sec
    assert_reads(parse_tables(doc, lines), table, missing, template)


@pytest.mark.slow
@pytest.mark.parametrize("key,fmt", [(k, f) for k in ("001", "003", "004") for f in ("docx-merged", "html-merged")]
                         + [("003", "pdf")])
def test_canonical_grids_in_native_formats(key, fmt, tmp_path):
    """The official layout (our renderer's grids) as real docx/html/pdf tables."""
    from nlp.corpus import render
    from nlp.pipeline import read_document

    template, table, missing = gold_for(key)
    blocks = [render.Paragraph(f"某局{2020 if template == '2019' else 2023}年政府信息公开工作年度报告")]
    for head, grid in zip(HEADS, table_rows(template, table)):
        blocks += [render.Paragraph(head), render.TableBlock(grid)]
    blocks.append(render.Paragraph("五、存在的主要问题及改进情况"))
    kind = fmt.partition("-")[0]
    path = tmp_path / f"c{key}.{kind}"
    _render_native(render, blocks, fmt, path)
    assert_reads(parse_tables(read_document(path)), table, missing, template)


def test_subtotal_column_before_the_org_columns():
    template, table, missing = gold_for("004")
    grids = table_rows(template, table, extra_col=True)
    hdr = grids[1][2]
    k = hdr.index("法人或其他组织小计")
    hdr.insert(3, hdr.pop(k))
    for row in grids[1][3:]:
        nums = [i for i, c in enumerate(row) if re.fullmatch(r"\d*", c) and i >= len(row) - 8]
        first, sub = nums[0], nums[6]
        row.insert(first + 1, row.pop(sub))  # natural | 小计 | commercial …
    res = parse_tables(doc_of(render_doc("004", "cells", grids=grids)))
    assert_reads(res, table, missing, template)


def test_two_cells_run_together_are_not_one_number():
    template, table, missing = gold_for("004")
    t = dict(table, **{"requests.new.natural": 1, "requests.new.commercial": 2, "requests.new.total": 3})
    grids = table_rows(template, t)
    row = next(r for r in grids[1] if "本年新收" in r[0])
    row[1:3] = ["1 2"]  # pdf text ran natural and commercial into one cell
    res = parse_tables(doc_of(render_doc("004", "tabs", t, grids=grids)))
    assert "requests.new.natural" in res.missing_cells and "requests.new.commercial" in res.missing_cells
    no_wrong_values(res, t)


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_as_space_separated_pdf_text(key):
    template, table, missing = gold_for(key)
    res = parse_tables(doc_of(render_doc(key, "spaces")))
    if key == "003":  # the blank 行政复议 cells vanished: table 4 cannot be placed, and says so
        no_wrong_values(res, table)
        t4 = [k for k in table if k.startswith("litigation")]
        assert set(t4) <= set(res.missing_cells) and set(t4) <= set(res.doubtful)
        table = {k: v for k, v in table.items() if k not in t4}
        missing = missing + t4
    assert_reads(res, table, missing, template)


def test_missing_cells_are_gaps_in_printed_tables_only():
    """No table → nothing missing; a document cut inside table 3 → the unread rest is not
    'blank', and nothing is flagged as broken arithmetic."""
    res = parse_tables(doc_of("某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度未收到申请。"))
    assert res.missing_cells == [] and res.found == []
    text = seed_text("004")
    cut = text[:text.index("5.属于三类内部事务信息")]
    res = parse_tables(doc_of(cut))
    assert res.found == [2, 3]
    assert res.cells["requests.denied.three_safety.natural"].value == 1
    assert res.missing_cells == []
    assert not broken(res)


def test_native_grid_cells_point_at_their_row_line(tmp_path):
    render, blocks = _seed_blocks("004")
    from nlp.pipeline import read_document
    path = tmp_path / "s.docx"
    render.render_docx(blocks, path, merge=True)
    doc = read_document(path)
    res = parse_tables(doc)
    texts = doc.line_texts()
    for cid, label in (("requests.denied.three_safety.natural", "危及"), ("active.licensing.decisions", "行政许可"),
                       ("requests.total.total", "总计")):
        cell = res.cells[cid]
        assert label in texts[cell.line], (cid, cell, texts[cell.line])


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_single_changed_cell_in_the_text_is_caught(data):
    """End to end: one table-3/4 number changed in a re-rendered seed → parse → an
    identity_violation naming that cell."""
    key = data.draw(st.sampled_from(sorted(SEEDS)), label="seed")
    layout = data.draw(st.sampled_from(["tabs", "cells", "pipe"]), label="layout")
    template, table, missing = gold_for(key)
    cid = data.draw(st.sampled_from(sorted(k for k in table if k.startswith(("requests.", "review.", "litigation.")))),
                    label="cell")
    new = data.draw(st.integers(min_value=0, max_value=999).filter(lambda v: v != table[cid]), label="value")
    changed = dict(table, **{cid: new})
    res = parse_tables(doc_of(render_doc(key, layout, changed)))
    assert res.cells[cid].value == new
    bad = broken(res)
    assert any(cid in f.cells for f in bad), (cid, [f.message for f in bad])


def test_table2_column_missing_uses_its_header():
    from nlp.tables import detect_template
    template, table, missing, grids = _grids("003")
    for row in grids[0]:
        if row[0] == "信息内容" and "本年废止件数" in row:
            del row[2]
        elif row[0] in ("规章", "行政规范性文件"):
            del row[2]
    res = parse_tables(doc_of(render_doc("003", "cells", grids=grids)))
    assert res.cells["active.normative.issued"].value == 3
    assert res.cells["active.normative.in_force"].value == 2
    assert "active.normative.repealed" in res.missing_cells and "active.normative.repealed" not in res.cells
    assert detect_template(doc_of(seed_text("001"))) == "2019"


_PIECES = ["\t", "|", "\n", " ", "0", "12", "3.5", "/", "—", "规章", "行政许可", "本年新收", "自然人", "总计",
           "(三)不予公开", "1.属于国家秘密", "行政复议", "结果维持", "三、收到和处理政府信息公开申请情况",
           "四、政府信息公开行政复议、行政诉讼情况", "\f", "- 3 -", "１２", "1,234", "小计", "3.其他"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=120), st.integers(0, 40), st.integers(0, 40),
       st.lists(st.lists(st.sampled_from(_PIECES), max_size=5), max_size=4))
def test_any_text_and_grid_parse_without_error(pieces, a, b, grid):
    from nlp.types import Table
    text = "".join(pieces)
    doc = Document("x", "txt", text, lines_of(text), [Table(grid, min(a, b), max(a, b), "native")])
    res = parse_tables(doc)
    assert set(res.missing_cells) <= set(ids_for_template(res.template if res.template != "unknown" else "2021"))
    for c in res.cells.values():
        assert c.line is None or 0 <= c.line < len(doc.lines)


def test_subtotal_column_placed_by_the_numbers_when_the_header_misleads():
    """Header lists 小计 after 其他 but the data put it right after 自然人: the arithmetic
    (小计 = organisations, 总计 = all) decides; no value lands in the wrong column."""
    template, table, missing = gold_for("004")
    grids = table_rows(template, table, extra_col=True)  # header: … 其他 | 法人或其他组织小计
    for row in grids[1][3:]:
        nums = [i for i, c in enumerate(row) if re.fullmatch(r"\d*", c) and i >= len(row) - 8]
        first, sub = nums[0], nums[6]
        row.insert(first + 1, row.pop(sub))  # data: 自然人 | 小计 | 商业企业 …
    res = parse_tables(doc_of(render_doc("004", "cells", grids=grids)))
    assert_reads(res, table, missing, template)


def test_subtotal_column_that_fits_nowhere_is_doubtful():
    template, table, missing = gold_for("004")
    grids = table_rows(template, table, extra_col=True)
    for row in grids[1][3:]:
        if "本年新收" in row[0]:
            row[-2] = "9"  # 小计 contradicts the organisation columns wherever it is put
    res = parse_tables(doc_of(render_doc("004", "cells", grids=grids)))
    assert "requests.new.natural" in res.doubtful
    no_wrong_values(res, table)


def test_header_label_lost_but_rows_have_seven_numbers():
    template, table, missing, grids = _grids("004")
    grids[1][2] = [c if c != "科研机构" else "" for c in grids[1][2]]  # header cell lost
    assert_reads(parse_tables(doc_of(render_doc("004", "tabs", grids=grids))), table, missing, template)


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_table4_one_row_per_group(layout):
    template, table, missing, grids = _grids("002")
    outs = ["upheld", "corrected", "other", "pending", "total"]
    grids[2] = [["", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]] + [
        [label] + [_v(table, f"{g}.{o}") for o in outs]
        for label, g in (("行政复议", "review"), ("未经复议直接起诉", "litigation.direct"),
                         ("复议后起诉", "litigation.after_review"))]
    assert_reads(parse_tables(doc_of(render_doc("002", layout, grids=grids))), table, missing, template)


# ---------------------------------------------------------------- plain layout, blank cells dropped
def test_plain_layout_short_row_placed_only_when_one_order_fits():
    """One cell per paragraph with blank cells left out: a short table-2 row is read when
    the signs/decimals allow a single order (a negative only in 本年增/减, a decimal only in
    an amount), and stays doubtful otherwise — never a guessed position."""
    cells = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量",
             "对外公开总数量", "规章", "1", "1", "6", "规范性文件", "4", "3", "20",
             "第二十条第（五）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政许可", "12", "-2",  # 处理决定数量 blank, dropped
             "其他对外管理服务事项", "3", "0", "9",
             "第二十条第（六）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政处罚", "7", "1", "40",
             "行政强制", "2", "5",  # one of three dropped: nothing says which
             "第二十条第（八）项", "信息内容", "上一年项目数量", "本年增/减", "行政事业性收费", "1", "0",
             "第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额", "政府集中采购", "35.6",
             "三、收到和处理政府信息公开申请情况"]
    res = parse_tables(doc_of("\n\n".join(cells) + "\n"))
    assert res.template == "2019"
    got = {k: c.value for k, c in res.cells.items()}
    assert got["active.licensing.prev_items"] == 12 and got["active.licensing.change"] == -2
    assert got["active.procurement.amount"] == 35.6
    assert got["active.penalty.decisions"] == 40 and got["active.fees.change"] == 0
    for cid in ("active.licensing.decisions", "active.procurement.count", "active.coercion.prev_items",
                "active.coercion.change", "active.coercion.decisions"):
        assert cid not in got and cid in res.missing_cells, cid


def test_plain_layout_short_row_with_a_printed_sign_is_placed_by_it():
    """本年增/减 printed with its sign (+4) is the change, whatever its magnitude: a row of
    two figures whose 处理决定数量 was left blank is read as 上一年项目数量 and 本年增/减 (audit
    L's page, whose three rows were dropped), and one without a sign stays doubtful."""
    cells = ["二、主动公开政府信息情况", "第二十条第（五）项", "信息内容", "上一年项目数量", "本年增/减",
             "处理决定数量", "行政许可", "19", "+4", "其他对外管理服务事项",
             "第二十条第（六）项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
             "行政处罚", "35", "+12", "行政强制", "28", "12",
             "三、收到和处理政府信息公开申请情况"]
    res = parse_tables(doc_of("\n\n".join(cells) + "\n"))
    got = {k: c.value for k, c in res.cells.items()}
    assert (got["active.licensing.prev_items"], got["active.licensing.change"]) == (19, 4)
    assert (got["active.penalty.prev_items"], got["active.penalty.change"]) == (35, 12)
    assert "active.licensing.decisions" not in got and "active.penalty.decisions" not in got
    assert not any(k.startswith("active.coercion.") for k in got)  # 28, 12: no sign says where


def test_label_with_an_explanatory_note_matches():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
            "规章 | 0 | 0 | 0 |\n规范性文件（指本机关印发的带文号文件） | 4 | 1 | 30 |\n"
            "三、收到和处理政府信息公开申请情况\n")
    cells = parse_tables(Document("x", "txt", text, lines_of(text))).cells
    assert [cells[f"active.normative.{c}"].value for c in ("made", "published", "total_published")] == [4, 1, 30]


def test_one_cell_per_line_pipes_cut_inside_a_row():
    """``X |`` lines, one cell each, and the text stops inside a row: the cells printed are
    read, the rest are not (and none is called blank); the number the text stops in may be
    cut short, so it is not read either."""
    cols = "".join(f"{c} |\n" for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"))
    text = ("三、收到和处理政府信息公开申请情况\n申请人情况 |\n" + cols + "一、本年新收政府信息公开申请数量 |\n"
            + "".join(f"{v} |\n" for v in (5, 0, 2, 1, 0, 0, 8)) + "三、本年度办理结果 |\n(一)予以公开 |\n4 |\n0 |\n2 |\n1")
    result = parse_tables(Document("x", "txt", text, lines_of(text)))
    assert result.cells["requests.new.total"].value == 8
    assert [result.cells[f"requests.granted.{c}"].value for c in ("natural", "commercial", "research")] == [4, 0, 2]
    for cid in ("requests.granted.nonprofit", "requests.granted.total"):
        assert cid not in result.cells and cid not in result.missing_cells
    ended = parse_tables(Document("x", "txt", text + " |\n", lines_of(text + " |\n")))
    assert ended.cells["requests.granted.nonprofit"].value == 1  # its cell closed: read


@pytest.mark.parametrize("table, text, cid", [
    (3, "三、收到和处理政府信息公开申请情况\n申请人情况 |\n自然人 |\n一、本年新收政府信息公开申请数量 |\n0",
     "requests.new.natural"),
    (2, "二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
        "规章 |\n0 |\n0 |\n0 |\n行政规范性文件 |\n2 |\n0 |\n0", "active.normative.in_force"),
])
def test_a_lone_zero_the_text_stops_at_is_read(table, text, cid):
    """No cut shortens a lone 0 (a count's digits never go on after a leading 0): the text
    that stops at it states the cell, as a reader of the excerpt sees it."""
    result = parse_tables(Document("x", "txt", text, lines_of(text)))
    assert result.cells[cid].value == 0
    shortened = text[:-1] + "1"  # 1 may be the start of 12: not read
    assert cid not in parse_tables(Document("x", "txt", shortened, lines_of(shortened))).cells


@pytest.mark.parametrize("row", ["行政事业性收费 |\n0", "行政事业性收费（万元） |\n0", "行政事业性收费 |\n收费金额 |\n0"])
def test_a_lone_zero_of_an_amount_the_text_stops_at_is_not_read(row):
    """…行政事业性收费 | 0 at the text's end may be 0.35 cut short: an amount's digits go on
    (the row's label with its unit, or the amount's column label printed after it, too)."""
    text = ("二、主动公开政府信息情况\n第二十条第(八)项 |\n信息内容 |\n本年收费金额(单位:万元) |\n" + row)
    assert "active.fees.amount" not in parse_tables(Document("x", "txt", text, lines_of(text))).cells
    ended = text + " |\n"
    assert parse_tables(Document("x", "txt", ended, lines_of(ended))).cells["active.fees.amount"].value == 0


def test_a_printed_blank_mark_is_a_cell_among_filler_positions():
    """Seed 003's tab rows carry empty filler positions; a "/" printed for one cell is that
    cell, blank, and the row's other cells are read."""
    text = seed_text("003").replace("(七) 总计\t\t0\t0", "(七) 总计\t\t0\t/", 1)
    assert text != seed_text("003")
    result = parse_tables(doc_of(text))
    assert result.cells["requests.total.commercial"].value is None
    assert "requests.total.commercial" in result.missing_cells
    assert result.cells["requests.total.research"].value == 0 and result.cells["requests.total.total"].value == 0


def test_a_sentence_naming_table4s_section_does_not_end_table3():
    """A short paragraph in table 3's section that names table 4's section (a one-line dump
    split at sentence ends makes many such lines) is not table 4's heading: the numbered
    heading is."""
    template, table, missing = gold_for("000")
    lines = seed_text("000").split("\n")
    i = lines.index("三、收到和处理政府信息公开申请情况")
    lines.insert(i + 1, "本年度本机关未发生政府信息公开行政复议、行政诉讼情况。")
    result = parse_tables(doc_of("\n".join(lines)))
    assert_reads(result, table, missing, template)
    assert lines[result.regions[4][0]].startswith("四、")


def test_values_after_each_label_is_linear_in_the_table():
    """The value tokens after a label were read from a copy of every token after it: over
    12,000 labels of a fuzzed 1.1 MB html table that was quadratic (5.6 CPU-s)."""
    import time

    from nlp.tables.rows import values_after
    from nlp.tables.tokens import Tok
    toks = []
    for r in range(60_000):
        toks += [Tok("行", r, "text", row=r), Tok("1", r, "num", 1, row=r, col=1)]
    t = time.process_time()
    got = [values_after(toks, i, 1) for i in range(0, len(toks), 2)]
    assert time.process_time() - t < 3  # about 0.1 s; copying the rest per label took 20 s and more
    assert all(len(v) == 1 and v[0].line == k for k, v in enumerate(got))


def test_a_printed_label_equal_to_a_registry_label_is_that_label():
    """The exact-label lookup gives what scoring every candidate gives: the first candidate
    of that core, score 1; a label that is not verbatim is still matched fuzzily."""
    from nlp.tables.grid import _score, best, t2_cands, t3_cands

    for cands in (t2_cands("2021"), t2_cands("2019"), *t3_cands("2021"), *t3_cands("2019")):
        for cand in cands:
            first = next(c for c in cands if _score(cand.core, c.core) == 1.0)
            assert best(cand.core, cands) == (first, 1.0)
    cands = t2_cands("2021")
    near = next(c for c in cands if len(c.core) >= 5)
    got, score = best(near.core[:-1], cands)  # cut short, as PDF tools cut labels
    assert got is not None and got.id == near.id and score < 1.0


# ---------------------------------------------------------------- a blank cell in spaced rows
def _distinct_requests(blank: str, template: str = "2021") -> tuple[dict, list]:
    """A table whose table-3 cells differ from each other (a shifted cell cannot pass for
    right), with ``blank`` printed empty: the arithmetic holds with the blank as nothing."""
    from nlp.corpus.synth.values import APPLICANTS, outcome_rows

    table = {i: 0 for i in ids_for_template(template)}
    rows, step = outcome_rows(template), iter(range(5, 10_000, 7))
    for r in rows:
        for a in APPLICANTS:
            table[f"requests.{r}.{a}"] = next(step) % 89 + 1
    table[blank] = 0
    for a in APPLICANTS:
        table[f"requests.total.{a}"] = sum(table[f"requests.{r}.{a}"] for r in rows)
        table[f"requests.carried_over.{a}"] = next(step) % 13 + 1
        table[f"requests.carried_forward.{a}"] = next(step) % 11 + 1
        table[f"requests.new.{a}"] = (table[f"requests.total.{a}"] + table[f"requests.carried_forward.{a}"]
                                      - table[f"requests.carried_over.{a}"])
    for r in [*rows, "total", "carried_over", "carried_forward", "new"]:
        table[f"requests.{r}.total"] = sum(table[f"requests.{r}.{a}"] for a in APPLICANTS)
    del table[blank]
    return table, [blank]


@pytest.mark.parametrize("blank", ["requests.granted.legal", "requests.denied.process.natural",
                                   "requests.unavailable.unclear.other_org"])
def test_a_blank_cell_that_vanished_from_a_spaced_row_is_placed_by_the_arithmetic(blank):
    """Rows spaced by blanks (PDF text without rulings) lose an empty cell altogether: six
    numbers for seven columns.  Filling from the left read the next column's number into
    the blank (and the total into the last column); the row sum and the column identities
    place them, and nothing is read by order alone."""
    table, missing = _distinct_requests(blank)
    result = parse_tables(doc_of(render_doc("000", "spaces", table)))
    no_wrong_values(result, table)
    assert_reads(result, table, missing)


def test_a_blank_cell_no_arithmetic_places_is_unread_not_guessed():
    """Every applicant cell of a row is 0 but one is printed empty: the six 0s fit any six
    of the seven columns, 总计 included (a blank 总计 has no sum to rule it out) — the
    row's cells are doubtful, none is a 0 the source left blank."""
    table = {i: 0 for i in ids_for_template("2021")}
    del table["requests.granted.legal"]
    result = parse_tables(doc_of(render_doc("000", "spaces", table)))
    no_wrong_values(result, table)
    assert not [k for k in result.cells if k.startswith("requests.granted.")]
    assert {"requests.granted.legal", "requests.granted.natural", "requests.granted.total"} <= set(result.doubtful)


@pytest.mark.parametrize("gap", ["  ", "\u3000"])
def test_an_empty_cell_is_a_double_gap_between_spaced_cells(gap):
    """Cells joined by one separator (a page dump's spaces, full-width spaces): an empty
    cell leaves two side by side, and keeps its column."""
    table, missing = _distinct_requests("requests.granted.legal")
    grids = [[[c for c in row] for row in grid] for grid in table_rows("2021", table)]
    text = render_doc("000", "tabs", table, grids=grids).replace("\t", gap)
    result = parse_tables(doc_of(text))
    assert_reads(result, table, missing)
    assert not any(k.startswith("requests.granted.") for k in result.repairs)  # read by position, not repaired


def test_labels_printed_below_their_numbers_take_the_line_above():
    """A PDF tool that prints every row label on a line below its numbers: read by the
    next label, the whole table would shift a row (every cell wrong); the numbers are the
    line above each label when a line of numbers opens the table and none follows the
    last label."""
    table, missing = _distinct_requests("requests.granted.legal")
    # table 2's rows of one value too, each its own: a row floated whole takes its own
    table.update({"active.licensing.decisions": 117, "active.penalty.decisions": 5, "active.coercion.decisions": 8,
                  "active.fees.amount": 3, "active.rules.issued": 1, "active.normative.issued": 4,
                  "active.normative.in_force": 9})
    lines = []
    for line in render_doc("000", "tabs", table).split("\n"):
        cells = line.split("\t")
        k = next((j for j, c in enumerate(cells) if parse_value(c)[0] == "num"), None)
        if k and any(label_core(c) for c in cells[:k]) and "（一）" not in line[:3]:
            lines += ["\t".join(cells[k:]), "\t".join(cells[:k])]  # the numbers, then their label
        else:
            lines.append(line)
    result = parse_tables(doc_of("\n".join(lines)))
    no_wrong_values(result, table)
    assert_reads(result, table, missing)


def test_a_cell_stream_that_dropped_an_empty_cell_is_placed_by_the_arithmetic():
    """One cell per line, the empty cell's line dropped (a converter skips empty cells):
    the row's six numbers are placed by its sum and the column identities, not read as
    the first six columns."""
    table, missing = _distinct_requests("requests.denied.process.natural")
    text = render_doc("000", "cells", table)
    text = text.replace("6.属于四类过程性信息\n\t\n", "6.属于四类过程性信息\n", 1)  # the row's empty cell
    result = parse_tables(doc_of(text))
    no_wrong_values(result, table)
    assert_reads(result, table, missing)


def test_a_header_rows_trailing_empty_cell_is_not_the_data_rows_first():
    """Table 4's last header row ending in an empty cell (an extra 合计 column's), the data
    row on its own line with its last cell blank: the header's empty cell is no data cell
    (read as one, it shifted all fifteen cells a column)."""
    table = {i: 0 for i in ids_for_template("2021")}
    outcomes = ("upheld", "corrected", "other", "pending")
    for g, base in (("review", 3), ("litigation.direct", 7), ("litigation.after_review", 11)):
        for k, o in enumerate(outcomes):
            table[f"{g}.{o}"] = base + k
        table[f"{g}.total"] = sum(base + k for k in range(4))
    del table["litigation.after_review.total"]
    lines = render_doc("000", "tabs", table).split("\n")
    head = max(k for k, ln in enumerate(lines) if ln.count("结果维持") == 2)
    lines[head] += "\t"
    result = parse_tables(doc_of("\n".join(lines)))
    no_wrong_values(result, table)
    assert [result.cells[f"review.{o}"].value for o in outcomes] == [3, 4, 5, 6]
    assert result.cells["litigation.after_review.total"].value is None


@pytest.mark.parametrize("seed", ["002", "004"])
def test_narrow_columns_a_pdf_tool_prints_with_their_digits_together(seed):
    """pdftotext -layout of a printed page whose last columns are narrow: a row's last three
    numbers come out with no space between them (1 0 0 0 001), its other gaps as wide as
    the columns.  Digits with a leading zero are cells run together, and the row's sum
    splits them; a wide gap is no empty cell when the digits say otherwise."""
    from nlp.corpus.render import blocks_from_document, render_txt
    from nlp.pipeline import document_from_text, read_document

    plain = read_document(SEEDS[seed])
    spaced = render_txt(blocks_from_document(plain), "spaced").splitlines()
    joined = 0
    for k, line in enumerate(spaced):
        m = re.fullmatch(r"(.*?[^\d\s])((?:  \d+){4})  (\d)  (\d)  (\d)", line)
        if m:  # seven numbers, the last three single digits: print them as narrow columns
            spaced[k] = m.group(1) + "    " + "   ".join(m.group(2).split()) + "     " + "".join(m.group(3, 4, 5))
            joined += 1
    assert joined >= 10, "the rendering changed: no table-3 row to print narrow"
    assert any(re.search(r" 0\d\d$", line) for line in spaced)
    narrow = document_from_text("\n".join(spaced), "narrow.txt")
    want = {k: c.value for k, c in parse_tables(plain).cells.items() if k.startswith("requests.")}
    got = {k: c.value for k, c in parse_tables(narrow).cells.items() if k.startswith("requests.")}
    assert got == want


def _cells_of_lines(lines: list[str], name: str = "text.txt") -> dict:
    """The cells the tables stage reads from a text of these lines."""
    from nlp.pipeline import document_from_text

    return parse_tables(document_from_text("\n".join(lines), name)).cells


# table 3's heading, a one-line header and its first row; the heading after it
_T3_OPENING = ["三、收到和处理政府信息公开申请情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计",
               "一、本年新收政府信息公开申请数量 4 0 0 0 0 0 4"]
_T4_HEADING = "四、政府信息公开行政复议、行政诉讼情况"


def test_an_items_wrapped_label_around_the_line_of_its_groups_label_and_values():
    """pdftotext -layout of a ruled PDF whose item label wraps in its cell: the item's
    first line above, the group's label and the values on the line between, the rest of
    the label below (1.本机关不掌握相关政府 / (四) 无法提供 0 0 … / 信息)."""
    lines = ["三、收到和处理政府信息公开申请情况",
             "                                 自然人     商业企业  科研机构  社会公益组织  法律服务机构  其他  总计",
             "一、本年新收政府信息公开申请数量     5     0     0     0     0     0     5",
             "二、上年结转政府信息公开申请数量     0     0     0     0     0     0     0",
             "三、本年度办理结果      (一) 予以公开      3     0     0     0     0     0     3",
             "                         1.本机关不掌握相关政府",
             "              (四) 无法提供                2     0     0     0     0     0     2",
             "                         信息",
             "",
             "                         2.没有现成信息需要另行制作     0     0     0     0     0     0     0",
             "",
             "                         5. 要求行政机关确认或重",
             "                                        0     0     0     0     1     0     1",
             "                         新出具已获取信息",
             "",
             "                         1.申请人无正当理由逾期",
             "              (六) 其他处理        不补正、行政机关不再处     4     0     0     0     0     0     4",
             "                         理其政府信息公开申请",
             "",
             _T4_HEADING]
    cells = _cells_of_lines(lines, "layout.txt")
    assert cells["requests.unavailable.not_held.natural"].value == 2
    assert cells["requests.unavailable.not_held.total"].value == 2
    assert cells["requests.unavailable.needs_creation.total"].value == 0
    # an item's label wrapped over three lines, its values on the middle one (a blank line
    # around each row, as pdftotext -layout prints ruled rows)
    assert cells["requests.rejected.confirm.legal"].value == 1
    assert cells["requests.other.no_correction.natural"].value == 4


def test_a_printed_row_the_text_stops_inside_keeps_the_cells_before_the_cut():
    """A scraped opening that stops inside table 3's first row (its 总计 never printed):
    the six cells printed are read, the seventh is past the cut (not unreadable)."""
    from nlp.pipeline import document_from_text

    text = ("三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||\n"
            "自然人 | 法人或其他组织 | 总计 | |||||||\n"
            "商业 企业 | 科研 机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||\n"
            "一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | ")
    res = parse_tables(document_from_text(text, "cut.txt"))
    got = {k: c.value for k, c in res.cells.items() if k.startswith("requests.new.")}
    assert got == {"requests.new.natural": 3, "requests.new.commercial": 1, "requests.new.research": 0,
                   "requests.new.nonprofit": 0, "requests.new.legal": 0, "requests.new.other_org": 0}
    assert "requests.new.total" not in res.doubtful and "requests.new.total" not in res.missing_cells


def test_a_numbered_stub_with_values_takes_the_pieces_of_its_label_below():
    """pdfplumber's text of a page whose label column is two characters wide: a row is its
    number, the first two characters and its values (3.危及 0 0 …), the rest of its label
    below, two characters a line — the pieces are the stub's, not the next row's label
    (read as the next row's, they put every value one row off)."""
    lines = [*_T3_OPENING,
             "(三)不予公开 1.属于国家秘密 0 0 0 0 0 0 0",
             "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
             "3.危及 0 0 0 0 0 0 0", "“三安", "全一", "稳定”",
             "4.保护 1 0 0 0 0 0 1", "第三", "方合", "法权", "益",
             "5.属于 0 0 0 0 0 0 0", "三类", "内部", "事务", "信息",
             _T4_HEADING]
    cells = _cells_of_lines(lines, "plumber.txt")
    assert cells["requests.denied.three_safety.total"].value == 0
    assert cells["requests.denied.third_party.natural"].value == 1
    assert cells["requests.denied.third_party.total"].value == 1
    assert cells["requests.denied.internal.total"].value == 0


def test_a_row_label_cut_short_takes_the_rest_printed_below_its_values():
    """pdftotext -layout of a Word PDF whose label column wraps: the row's number, the first
    words of its label and its values on one line, the rest of the label on the next
    (一、本年新收政府 0 0 … / 信息公开申请数量) — the rows were dropped without a word."""
    lines = [*_T3_OPENING[:-1],
             "一、本年新收政府    3      0     0     0      0      0     3", "信息公开申请数量",
             "二、上年结转政府    1      0     0     0      0      0     1", "信息公开申请数量",
             _T4_HEADING]
    cells = _cells_of_lines(lines, "layout.txt")
    assert cells["requests.new.natural"].value == 3 and cells["requests.new.total"].value == 3
    assert cells["requests.carried_over.total"].value == 1


def test_a_row_with_the_next_rows_label_run_on_after_its_values_is_read():
    """A one-line dump cut inside table 2 (规章  0  0  0  行政, the excerpt ending in the next
    label): the row is read, the words after its values are the next row's label."""
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容  本年制发件数  本年废止件数  现行有效件数",
             "规章  0  2  5  行政"]
    cells = _cells_of_lines(lines, "oneline.txt")
    assert [cells[f"active.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 2, 5]


def test_a_pipe_table_of_one_cell_a_line_cut_in_a_label_keeps_its_rows():
    """Set V (a 2019 table 2 printed one cell a line, each closed by |, the page cut in the
    next label): the header cells cut short (本年新 | 本年新) take the template's columns by
    their place, and the header's closing | (处理决定数量 | |) is no line of values above
    the rows — before, the last row's values went to the cut label's row (a wrong cell) and
    the rest were said unreadable."""
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项 | ||||", "信息内容 |", "本年新 |", "本年新 |",
             "对外公开总数量 | |", "规章 |", "1 |", "2 |", "3 | |", "规范性文件 |", "4 |", "5 |", "6 | |",
             "第二十条第(五)项 | ||||", "信息内容 |", "上一年项目数量 |", "本年增/减 |", "处理决定数量 | |",
             "行政许可 |", "7 |", "8 |", "9 | |", "其他对外管理服务"]
    cells = {k: c.value for k, c in _cells_of_lines(lines, "page.txt").items()}
    assert [cells[f"active.rules.{c}"] for c in ("made", "published", "total_published")] == [1, 2, 3]
    assert [cells[f"active.normative.{c}"] for c in ("made", "published", "total_published")] == [4, 5, 6]
    assert [cells[f"active.licensing.{c}"] for c in ("prev_items", "change", "decisions")] == [7, 8, 9]
    assert not any(k.startswith("active.other_services") for k in cells)


def test_a_row_printed_on_two_lines_its_first_value_with_its_labels_first_word():
    """pdftotext -layout of a page whose label column is two characters wide sets the
    label's first characters and the first value a little higher than the item's number
    and the other values: 危及 1 / 3. 0 0 0 0 0 1 is one row (read apart, the values of
    the rows around it went one row off)."""
    lines = [*_T3_OPENING,
             "      其他 0", "     2.       0   0   0   0   0   0", "     法律", "     行政", "     法规", "     禁止", "     公开",
             "      危及 1", "     3.       0   0   0   0   0   1", "     三安", "     “", "     全一", "     稳定”",
             "      保护 0", "     4.       0   0   0   0   0   0", "     第三", "     方合", "     法权", "     益",
             _T4_HEADING]
    cells = _cells_of_lines(lines, "layout.txt")
    assert cells["requests.denied.three_safety.natural"].value == 1
    assert cells["requests.denied.three_safety.total"].value == 1
    assert cells["requests.denied.third_party.total"].value == 0
    assert cells["requests.denied.law_prohibited.total"].value == 0


def test_a_whole_label_on_the_next_line_is_no_piece_of_the_heading_above():
    """LibreOffice's text export of a Word table with merged cells: one cell a line, no
    empty cells after the merged 第二十条第（一）项.  That whole label (and 信息内容, 本年制发件数
    after it) starts anew, not as the rest of the section heading above, and 规章 is read."""
    cells = _cells_of_lines(["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数",
                             "现行有效件数", "规章", "0", "1", "3", "行政规范性文件", "2", "0", "9",
                             "三、收到和处理政府信息公开申请情况"], "lo.txt")
    assert [cells[f"active.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 1, 3]
    assert [cells[f"active.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [2, 0, 9]


def test_a_change_written_with_its_direction_in_words_is_read():
    """The 2019 template's 本年增/减 column as agencies print it (增15, 减4), in pipe rows."""
    text = ("信川市交通运输局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "第二十条第（五）项 | | | |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政许可 | 5 | 增15 | 20 |\n其他对外管理服务事项 | 0 | 0 | 0 |\n"
            "第二十条第（六）项 | | | |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
            "行政处罚 | 4 | 减4 | 0 |\n行政强制 | 0 | 0 | 0 |\n")
    res = parse_tables(doc_of(text))
    got = {k: c.value for k, c in res.cells.items() if c.value is not None}
    assert (got["active.licensing.change"], got["active.licensing.decisions"]) == (15, 20)
    assert (got["active.penalty.change"], got["active.penalty.decisions"]) == (-4, 0)


@pytest.mark.parametrize("sep", ["\n", " | "])
def test_a_row_printed_as_its_kinds_is_their_sum(sep):
    """其他对外管理服务事项 with no numbers of its own, then the agency's kinds of it, each
    with the row's three numbers (one cell per line, and pipe rows)."""
    rows = [["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "6", "0", "30"],
            ["其他对外管理服务事项"], ["行政检查", "3", "1", "4"], ["行政确认", "2", "-1", "2"],
            ["第二十条第（六）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "4", "0", "1"], ["行政强制", "0", "0", "0"]]
    text = ("信川市交通运输局2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n"
            + "\n".join(sep.join(r) for r in rows) + "\n")
    res = parse_tables(doc_of(text))
    got = {k: c.value for k, c in res.cells.items() if k.startswith("active.other_services.")}
    assert got == {"active.other_services.prev_items": 5, "active.other_services.change": 0,
                   "active.other_services.decisions": 6}
    assert res.cells["active.penalty.decisions"].value == 1


@pytest.mark.parametrize("values, read", [("142 710 31 0 1 3 0", False), ("1 0 0 0 0 0 1", True)])
def test_a_sum_broken_in_a_table_mostly_unread_is_unread(values, read):
    """A PDF tool's text printed table 3's columns one after another: of its rows only
    四、结转下年度继续办理 has seven numbers after it, another row's (its total 0 under
    142 + 710 + …). Such a row is unread, not read; one whose sum holds is read."""
    text = ("信川市统计局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n（一）予以公开\n（七）总计\n"
            "四、结转下年度继续办理\n" + "\n".join(values.split()) + "\n"
            "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议和行政诉讼。\n"
            "五、存在的主要问题及改进情况\n无。\n")
    res = parse_tables(doc_of(text))
    assert ("requests.carried_forward.total" in res.cells) is read
    assert read or "requests.carried_forward.total" in res.doubtful


def test_empty_cells_printed_together_after_a_row_s_figures_are_not_their_places():
    """A page dump that prints a row's figures one cell a line and then its empty cells
    together on a line of pipes (自然人 and 总计 printed, the five between empty): the
    pipes say how many cells are empty, not which — the figures are not placed by them."""
    header = ["申请人情况 |", "||||||||", "自然人 |", "法人或其他组织 |", "总计 |", "|||||||", "商业企业 |",
              "科研机构 |", "社会公益组织 |", "法律服务机构 |", "其他 |", "|||||"]
    rows = ["一、本年新收政府信息公开申请数量 |", "4 |", "4 |", "|||||||",
            "二、上年结转政府信息公开申请数量 |", "0 |", "0 |", "|||||||",
            "三、本年度办理结果 |", "(一)予以公开 |", "4 |", "4 |", "||||||"]
    text = ("信川市统计局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            + "\n".join(header + rows) + "\n四、政府信息公开行政复议、行政诉讼情况\n无。\n")
    res = parse_tables(doc_of(text))
    assert "requests.granted.commercial" not in res.cells  # not read as the second column's 4
    assert "requests.granted.total" in res.doubtful  # unread, and said why: not claimed blank


# ---------------------------------------------------------------- table 4 placed by its columns
_OUTCOME_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _stacked_table4(values: list[int | None], starts: list[int], shift: int = 0) -> str:
    """Table 4 as a layout-keeping PDF tool prints a Word grid of narrow columns: each
    outcome label stacked a character a line at its column's place, the 行政复议 group's
    header on lines of its own, and a data row printing only the cells that hold a number
    (``shift``: the numbers stand that many characters right of their labels)."""
    def line(cols: range, k: int) -> str:
        row = [" "] * (max(starts) + 4)
        for c in cols:
            word = _OUTCOME_WORDS[c % 5]
            if k < len(word):
                row[starts[c]] = word[k]
        return "".join(row).rstrip()

    lines = ["四、政府信息公开行政复议、行政诉讼情况", "", "      行政复议                     行政诉讼",
             "                      未经复议直接起诉          复议后起诉"]
    for k in range(4):
        lines += [line(range(5), k), line(range(5, 15), k)]
    data = [" "] * (max(starts) + 6)
    for v, s in zip(values, starts):
        if v is not None:
            data[s + shift:s + shift + len(str(v))] = str(v)
    lines += ["".join(data).rstrip(), "", "五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


_STARTS = [0, 4, 9, 15, 19, 23, 28, 30, 33, 38, 43, 47, 50, 53, 57]


def test_table4_blank_group_placed_by_the_columns_its_numbers_stand_under():
    """10 numbers under 15 stacked columns: the blank review group leaves no mark, and the
    order alone cannot place them; where each stands can."""
    values = [None] * 5 + [1, 0, 2, 0, 3, 0, 0, 0, 1, 1]
    res = parse_tables(doc_of(_stacked_table4(values, _STARTS, shift=1)))
    ids = [f"{g}.{o}" for g in ("review", "litigation.direct", "litigation.after_review")
           for o in ("upheld", "corrected", "other", "pending", "total")]
    for cid, v in zip(ids, values):
        if v is None:
            assert cid in res.missing_cells and res.cells[cid].value is None, cid
        else:
            assert res.cells[cid].value == v, cid


def test_table4_number_between_two_free_columns_is_not_placed():
    """A number standing as near one empty column as the next is no reading: the row is
    unread, not guessed."""
    values = [None] * 5 + [1, 0, None, 0, 3, 0, 0, 0, 1, 1]
    lines = _stacked_table4(values, _STARTS).split("\n")
    data = next(i for i, s in enumerate(lines) if s.strip() and set(s.strip()) <= set("0123 "))
    assert lines[data][28] == "0"
    lines[data] = lines[data][:28] + " 0" + lines[data][30:]  # 28's 0 moved to 29: between 28 and 30
    res = parse_tables(doc_of("\n".join(lines)))
    assert not any(c.value is not None for cid, c in res.cells.items() if cid.startswith(("review", "litigation")))


def test_column_spans_join_a_label_spaced_inside_and_skip_group_headings():
    from nlp.tables.aligned import column_spans, place_under

    labels = frozenset(_OUTCOME_WORDS)
    header = ["    行政复议          行政诉讼", "结果 维  结果 纠正  总计  未经复议", "持"]
    columns = column_spans(header, labels)
    assert columns == [(0, 4), (6, 11), (13, 15)]  # 持 under 结果 维: one column
    assert place_under("  3          3", columns) == ["3", None, "3"]
    assert place_under("  3    共    3", columns) is None  # a word in the row: no data row


def test_a_wrapped_labels_next_piece_joins_the_column_whose_label_it_goes_on():
    """pdfplumber's layout text rounds a wrapped label's second line a character left, into
    the gap beside the column before: 果 goes on 其他 结, not on 结果 纠."""
    from nlp.tables.aligned import column_spans, place_under

    header = ["结果 纠 其他 结", "正   果"]
    columns = column_spans(header, frozenset(_OUTCOME_WORDS))
    assert columns == [(0, 4), (4, 9)]
    assert place_under("        1", columns) == [None, "1"]


def test_a_grid_whose_header_splits_two_column_labels_over_rows_has_seven_columns():
    """A page's pipe grid prints 商业 / 企业 and 科研 / 机构 on two header rows, and its rows
    leave the applicant cells empty: | 0 | | | | | | 0 | is seven cells, read by place."""
    text = "\\n".join([
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
        "自然人 | 法人或其他组织 | 总计 |",
        "商业 | 科研 | 社会公益组织 | 法律服务机构 | 其他 |",
        "企业 | 机构 |",
        "一、本年新收政府信息公开申请数量 | 2 | | | | | | 2 |",
        "二、上年结转政府信息公开申请数量 | | | | | | | 0 |",
        "三、本年度办理结果 | (一)予以公开 | 1 | | | | | | 1 |",
        "四、政府信息公开行政复议、行政诉讼情况",
    ])
    res = parse_tables(doc_of(text))
    assert res.cells["requests.new.natural"].value == 2 and res.cells["requests.new.total"].value == 2
    assert res.cells["requests.new.commercial"].value is None and "requests.new.commercial" in res.missing_cells
    assert res.cells["requests.carried_over.total"].value == 0
    assert res.cells["requests.granted.natural"].value == 1


def _merged_label_rows(values: dict[str, tuple[str, str]]) -> list[list[str]]:
    """Table 3's first rows as a web page's grid flattens them: a top row's label merged over
    three columns leaves two empty cells before 自然人's; an outcome's label sits in the
    second or third column.  ``values``: row id → (自然人, 总计), the five organisations blank."""
    head = [["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "", "", "申请人情况"] + [""] * 6,
            ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
            ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
    labels = {"new": ["一、本年新收政府信息公开申请数量", "", ""], "carried_over": ["二、上年结转政府信息公开申请数量", "", ""],
              "granted": ["三、本年度办理结果", "(一)予以公开", ""],
              "denied.state_secret": ["", "(三)不予公开", "1.属于国家秘密"]}
    return head + [labels[r] + [nat] + [""] * 5 + [tot] for r, (nat, tot) in values.items()]


_MERGED = {"new": ("26", "26"), "carried_over": ("0", "0"), "granted": ("26", "26"), "denied.state_secret": ("0", "0")}


@pytest.mark.parametrize("layout", ["tabs", "html"])
def test_a_row_label_merged_over_three_columns_leaves_no_value_cells(layout, tmp_path):
    """一、本年新收… spans the header's three label columns: its two empty cells are the
    label's, so 26 is 自然人's and the five organisations are blank (a county bureau's page
    read 0 of table 3's 175 cells: nine cells after the label were too many for seven)."""
    rows = _merged_label_rows(_MERGED)
    if layout == "tabs":
        text = "\n".join(["三、收到和处理政府信息公开申请情况", *("\t".join(r) for r in rows),
                          "四、政府信息公开行政复议、行政诉讼情况"])
        res = parse_tables(doc_of(text))
    else:
        from nlp.pipeline import read_document
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        page = tmp_path / "report.html"
        page.write_text(f"<html><body><p>三、收到和处理政府信息公开申请情况</p><table>{cells}</table>"
                        "<p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>", encoding="utf-8")
        res = parse_tables(read_document(page))
    for row, (natural, total) in _MERGED.items():
        assert res.cells[f"requests.{row}.natural"].value == int(natural)
        assert res.cells[f"requests.{row}.total"].value == int(total)
        assert all(f"requests.{row}.{c}" in res.missing_cells for c in T3_COLS[1:6])


def test_blank_cells_printed_as_empty_lines_are_blank_cells():
    """One cell a line, as a page's cells joined by newlines give it: a blank cell is an
    empty line, and a row's values and empty lines number seven.  Empty lines elsewhere
    (between a heading and the grid) are spacing."""
    lines = ["三、收到和处理政府信息公开申请情况", "", "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业",
             "科研机构", "社会公益组织", "法律服务机构", "其他"]
    rows = [("一、本年新收政府信息公开申请数量", "26", "26"), ("二、上年结转政府信息公开申请数量", "0", "0"),
            ("三、本年度办理结果", None, None), ("(一)予以公开", "3", "")]  # its total blank: an empty line too
    for label, natural, total in rows:
        lines.append(label)
        if natural is not None:
            lines += [natural, "", "", "", "", "", total]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    res = parse_tables(doc_of("\n".join(lines)))
    assert res.cells["requests.new.natural"].value == 26 and res.cells["requests.new.total"].value == 26
    assert res.cells["requests.carried_over.total"].value == 0
    assert res.cells["requests.granted.natural"].value == 3
    assert "requests.granted.total" in res.missing_cells and "requests.new.legal" in res.missing_cells


def test_blank_cells_as_empty_lines_in_a_page_that_spaces_its_blocks():
    """The page spaces every block by an empty line and prints an empty cell as one: a row
    is its label, an empty line, six empty cells, the total, an empty line."""
    lines = ["三、收到和处理政府信息公开申请情况", "", "申请人情况", "", "自然人", "", "法人或其他组织", "", "总计", "",
             "商业企业", "", "科研机构", "", "社会公益组织", "", "法律服务机构", "", "其他", ""]
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"):
        lines += [label, "", "", "", "", "", "", "", " 0", ""]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    res = parse_tables(doc_of("\n".join(lines)))
    for row in ("new", "carried_over"):
        assert res.cells[f"requests.{row}.total"].value == 0
        assert all(f"requests.{row}.{c}" in res.missing_cells for c in T3_COLS[:6])


def test_empty_lines_between_rows_of_whole_values_are_spacing():
    """The same layout with every cell printed: an empty line after each row is no cell."""
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业",
             "科研机构", "社会公益组织", "法律服务机构", "其他"]
    for label, v in (("一、本年新收政府信息公开申请数量", "1"), ("二、上年结转政府信息公开申请数量", "0")):
        lines += [label, v, "0", "0", "0", "0", "0", v, ""]
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    res = parse_tables(doc_of("\n".join(lines)))
    assert [res.cells[f"requests.new.{c}"].value for c in T3_COLS] == [1, 0, 0, 0, 0, 0, 1]
    assert res.missing_cells == [] or not any(c.startswith("requests.new") for c in res.missing_cells)


def test_other_template_columns_broken_over_lines_are_read_as_printed():
    """The same block one cell a line, each 2019 column label broken over two lines
    (本年新 / 制作数量), as a page copied out of its web table prints it (audit M's page
    25): the cut labels 本年新 are no column of this template's rows, so the block's
    figures took 2021's 本年制发 / 本年废止 / 现行有效 — six cells under the wrong ids.  A
    cut label the other template's columns place says the block is printed in those."""
    cells = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容", "本年新", "制作数量", "本年新", "公开数量",
             "对外公开总数量", "规章", "0", "1", "5", "规范性文件", "2", "3", "31", "第二十条第(五)项", "信息内容",
             "本年处理决定数量", "行政许可", "117", "第二十条第(六)项", "信息内容", "本年处理决定数量", "行政处罚", "2",
             "行政强制", "0", "三、收到和处理政府信息公开申请情况",
             "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", "自然人", "法人或其他组织",
             "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "一、本年新收政府信息公开申请数量",
             "0", "0", "0", "0", "0", "0", "0", "四、政府信息公开行政复议、行政诉讼情况"]
    res = parse_tables(doc_of("\n\n".join(cells)))
    assert res.template == "2021"
    got = {k: c.value for k, c in res.cells.items() if k.startswith(("active.rules", "active.normative"))}
    assert got == {"active.rules.made": 0, "active.rules.published": 1, "active.rules.total_published": 5,
                   "active.normative.made": 2, "active.normative.published": 3, "active.normative.total_published": 31}
    assert res.cells["active.licensing.decisions"].value == 117


@pytest.mark.parametrize("sep", [" ", "\n", "\t"])
def test_a_row_of_its_own_templates_width_under_the_other_templates_header_keeps_its_cells(sep):
    """A 2021 report whose (五)/(六) parts print 2019's header (上一年项目数量 / 本年增/减 /
    处理决定数量) over rows of one figure (the review of the rule above: 行政许可 37 went to
    上一年项目数量, one cell a line lost them all).  The figures are as many as the row's own
    cells, not the other template's: its own, 处理决定数量.  Three figures are 2019's."""
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
             "规章 0 0 0", "行政规范性文件 1 0 4", "第二十条第（五）项", "信息内容 上一年项目数量 本年增/减 处理决定数量",
             "行政许可 37", "第二十条第（六）项", "信息内容 上一年项目数量 本年增/减 处理决定数量", "行政处罚 5", "行政强制 0",
             "三、收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
             "申请人情况", "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他",
             "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1", "四、政府信息公开行政复议、行政诉讼情况"]
    res = parse_tables(doc_of("\n".join(ln.replace(" ", sep) if " " in ln and ln[0] != "(" else ln for ln in lines)))
    assert res.template == "2021"
    got = {k: c.value for k, c in res.cells.items() if k.startswith(("active.licensing", "active.penalty"))}
    assert got == {"active.licensing.decisions": 37, "active.penalty.decisions": 5}
    three = "\n".join(lines).replace("行政许可 37", "行政许可 30 +2 37")
    got = {k: c.value for k, c in parse_tables(doc_of(three)).cells.items() if k.startswith("active.licensing")}
    assert got == {"active.licensing.prev_items": 30, "active.licensing.change": 2, "active.licensing.decisions": 37}
    # (the second review) a printed row keeps its positions: | 行政许可 | 12 |  |  | is 上一年项目数量
    tabbed = "\n".join(ln.replace(" ", "\t") if ln[0] != "(" else ln for ln in lines).replace("行政许可\t37", "行政许可\t12\t\t")
    cells = parse_tables(doc_of(tabbed)).cells
    assert {k: c.value for k, c in cells.items() if k.startswith("active.licensing")} == {
        "active.licensing.prev_items": 12, "active.licensing.change": None, "active.licensing.decisions": None}


@pytest.mark.parametrize("layout", ["cells", "pipes", "spaces"])
def test_a_row_under_a_header_of_fewer_columns_is_whole_where_the_text_stops(layout):
    """A 2019 table whose (五) part prints the 2021 header (本年处理决定数量 alone), its text
    stopping after 行政许可 / 7: the row was taken for one the cut stopped inside, its 7
    the first of three cells (上一年项目数量) — and in pipes or spaces where this table's
    clean rows start (the review).  The header says it is the decisions."""
    rows = [["二、主动公开政府信息情况"], ["第二十条第(一)项"], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "1", "2", "3"], ["规范性文件", "4", "5", "6"], ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"],
            ["行政许可", "7"]]
    join = {"cells": lambda r: "\n".join(r), "pipes": lambda r: "| " + " | ".join(r) + " |" if len(r) > 1 else r[0],
            "spaces": lambda r: " ".join(r)}[layout]
    text = "某县某局2019年政府信息公开工作年度报告\n" + "\n".join(map(join, rows)) + "\n"  # (7 is no figure cut short)
    rec = Pipeline.load(MODELS).process_text(text, layout)
    assert rec.template == "2019"
    assert {k: c.value for k, c in rec.cells.items() if k.startswith("active.licensing")} == {
        "active.licensing.decisions": 7}


def test_a_block_printed_in_the_other_templates_columns_is_read_as_printed():
    """A 2022 report whose 规章/规范性文件 block keeps the 2019 columns (本年新制作数量,
    本年新公开数量, 对外公开总数量): its figures are those cells, never 2021's 本年制发 /
    本年废止 / 现行有效 (a 2 under 本年新公开 is no repeal), and the 2021 cells of those rows
    are not in the table: neither blank nor unreadable."""
    text = "\n".join([
        "二、主动公开政府信息情况",
        "第二十条第(一)项 | |||",
        "信息内容 | 本年新 制作数量 | 本年新 公开数量 | 对外公开总数量 |",
        "规章 | 0 | 0 | 0 |",
        "规范性文件 | 2 | 2 | 31 |",
        "第二十条第(五)项 | |||",
        "信息内容 | 处理决定数量 | ||",
        "行政许可 | 117 | ||",
        "第二十条第(六)项 | |||",
        "信息内容 | 处理决定数量 | ||",
        "行政处罚 | 2 | ||",
        "行政强制 | 0 | ||",
        "第二十条第(八)项 | |||",
        "信息内容 | 本年收费金额(单位:万元) | ||",
        "行政事业性收费 | 0 | ||",
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |",
        "自然人 | 法人或其他组织 | 总计 |",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
        "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "四、政府信息公开行政复议、行政诉讼情况",
    ])
    res = parse_tables(doc_of(text))
    assert res.template == "2021"
    got = {k: c.value for k, c in res.cells.items() if k.startswith("active.normative")}
    assert got == {"active.normative.made": 2, "active.normative.published": 2, "active.normative.total_published": 31}
    assert res.cells["active.licensing.decisions"].value == 117
    assert not any(k.startswith(("active.rules.", "active.normative.")) for k in [*res.missing_cells, *res.doubtful])


@pytest.mark.parametrize("layout", ["labels first", "one column after the table"])
def test_table2_columns_printed_one_after_another_are_read_by_their_labels(layout):
    """pdfminer prints a Word grid's row labels, then each column: its label and its numbers
    (本年制发件数 3 5, …); pdftotext's default mode moves a column after the table (现行有效件数
    2 9).  A column's numbers are its cells of the rows printed and not yet read, in order."""
    blocks = [("第二十条第（一）项", ["规章", "行政规范性文件"]), ("第二十条第（五）项", ["行政许可"]),
              ("第二十条第（六）项", ["行政处罚", "行政强制"]), ("第二十条第（八）项", ["行政事业性收费"])]
    if layout == "labels first":
        lines = [x for head, rows in blocks for x in (head, "信息内容", *rows)]
        lines += ["本年制发件数", "3", "5", "本年废止件数", "0", "1", "现行有效件数", "2", "9",
                  "本年处理决定数量", "2332", "本年处理决定数量", "143", "7", "本年收费金额（单位：万元）", "0"]
    else:
        lines = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "规章", "3", "0",
                 "行政规范性文件", "5", "1", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "2332",
                 "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "143", "行政强制", "7",
                 "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "0", "",
                 "现行有效件数", "2", "9"]
    text = "\n".join(["二、主动公开政府信息情况", *lines, "三、收到和处理政府信息公开申请情况", "（一）依申请公开情况"])
    res = parse_tables(doc_of(text))
    got = {k: c.value for k, c in res.cells.items() if k.startswith("active.")}
    assert got == {"active.rules.issued": 3, "active.rules.repealed": 0, "active.rules.in_force": 2,
                   "active.normative.issued": 5, "active.normative.repealed": 1, "active.normative.in_force": 9,
                   "active.licensing.decisions": 2332, "active.penalty.decisions": 143,
                   "active.coercion.decisions": 7, "active.fees.amount": 0}


def test_table2_column_numbers_that_do_not_fit_its_open_rows_are_not_placed():
    """Three numbers under a column two printed rows lack: no order says where they go."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
                      "本年制发件数", "3", "5", "4", "三、收到和处理政府信息公开申请情况"])
    res = parse_tables(doc_of(text))
    assert not any(k.endswith(".issued") for k in res.cells)


def test_an_overview_subheading_naming_a_table_does_not_start_it():
    """A 2019 report's overview has sub-headings that name the tables' subjects ((一)行政机关
    主动公开政府信息情况, (二)…收到和处理政府信息公开申请的情况); its 二、 heading is broken over
    two lines and misspelt, and the text stops inside table 2.  Table 2 starts where the
    segmenter's section does, not at the overview's sub-heading: its cells are read."""
    from nlp.pipeline import Pipeline

    text = "\n".join([
        "信川区人民政府2019年政府信息公开工作年度报告",
        "一、总体情况",
        "(一)行政机关主动公开政府信息情况",
        "全年通过门户网站公开信息358条。",
        "(二)行政机关收到和处理政府信息公开申请的情况",
        "2019年全区无依申请公开的政府信息。",
        "(三)因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
        "2019年未发生行政复议和行政诉讼案件。",
        "二、", "主要公开政府信息情况",
        "第二十条第(一)项 |", "信息内容 |", "本年新制作数量 |", "本年新公开数量 |", "对外公开总数量 |",
        "规章 |", "0 |", "0 |", "0 |", "规范性文件 |", "2 |", "2 |", "7 |",
        "第二十条第(五)项 |", "信息内容 |", "上一年项目数量 |", "本年增/减 |", "处理决定数量 |",
        "行政许可 |", "99 |", "0 |", "18042 |",
    ])
    rec = Pipeline.load(MODELS).process_text(text, "t")
    assert rec.table.get("active.normative.total_published") == 7
    assert rec.table.get("active.licensing.decisions") == 18042


def test_a_minus_typed_twice_and_an_amount_in_yuan_under_a_column_in_wan_yuan():
    """本年增/减 printed --253 is −253; 采购总金额 printed 152790元 (the template's unit is 万元)
    is 15.279."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减",
                      "处理决定数量", "行政处罚", "253", "--253", "0", "第二十条第(九)项", "信息内容", "采购项目数量",
                      "采购总金额", "政府集中采购", "6", "152790元", "三、收到和处理政府信息公开申请情况"])
    res = parse_tables(doc_of(text))
    assert res.cells["active.penalty.change"].value == -253
    assert res.cells["active.procurement.amount"].value == 15.279


def test_row_labels_with_a_provinces_notes_are_read():
    """A province's variant of the 2019 table explains its rows in brackets (规章（设区的市…
    应提供相关数据）, 规范性文件（行政机关制定发布的…）): the notes are no part of the label."""
    text = "\n".join([
        "二、主动公开政府信息情况",
        "第二十条第(一)项 | | | |",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章(设区的市、自治州人民政府应提供相关数据) | 0 | 0 | 1 |",
        "规范性文件(行政机关制定发布的决定、公告、通告，一般情况下属于规范性文件) | 8 | 7 | 30 |",
        "其他主动公开文件(含以本单位名义正式签发的主动公开文件) | 5 | 5 | 40 |",
        "三、收到和处理政府信息公开申请情况",
    ])
    res = parse_tables(doc_of(text))
    assert [res.cells[f"active.rules.{c}"].value for c in ("made", "published", "total_published")] == [0, 0, 1]
    assert [res.cells[f"active.normative.{c}"].value for c in ("made", "published", "total_published")] == [8, 7, 30]


def _at_columns(pieces: list[tuple[int, str]]) -> str:
    """A line with each piece starting at its column, as pdftotext -layout prints a page."""
    line = ""
    for col, text in pieces:
        line = line.ljust(col) + text
    return line


def test_a_rows_figures_placed_under_the_columns_a_layout_keeping_tool_prints():
    """pdftotext -layout of a Word grid whose empty cells leave no mark: a row prints 3
    under 自然人 and 3 under 总计 only.  Each figure goes to the column it stands under, the
    rest are blank — not the order's guess, not unreadable."""
    cols = [20, 28, 36, 44, 54, 64, 70]
    labels = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    lines = ["三、收到和处理政府信息公开申请情况", _at_columns([(40, "申请人情况")]),
             _at_columns(list(zip(cols, labels)))]
    rows = [("一、本年新收政府信息公开申请数量", {0: "3", 6: "3"}), ("二、上年结转政府信息公开申请数量", {6: "0"}),
            ("三、本年度办理结果", {}), ("（一）予以公开", {0: "2", 1: "1", 6: "3"})]
    for label, values in rows:
        lines.append(_at_columns([(0, label)] + [(cols[k] + 1, v) for k, v in values.items()]))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    res = parse_tables(doc_of("\n".join(lines)))
    assert [res.cells[f"requests.new.{c}"].value for c in T3_COLS] == [3, None, None, None, None, None, 3]
    assert res.cells["requests.carried_over.total"].value == 0
    assert [res.cells[f"requests.granted.{c}"].value for c in T3_COLS] == [2, 1, None, None, None, None, 3]
    assert "requests.new.commercial" in res.missing_cells


def test_a_cut_table_printing_its_labels_and_no_value_has_its_printed_rows_unreadable():
    """A page that stops inside table 3 after printing its labels only (its figures were
    images, or a scrape kept the labels): the printed rows' cells are unreadable — said,
    not silently absent — and the rows after the cut are not spoken of."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
        "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
        "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开", "1.属于国家秘密",
    ])
    res = parse_tables(doc_of(text))
    assert not res.cells
    rows = {cid.rsplit(".", 1)[0] for cid in res.doubtful}
    assert rows == {"requests.new", "requests.carried_over", "requests.granted", "requests.partial",
                    "requests.denied.state_secret"}
    assert "requests.total.total" not in res.doubtful and "requests.carried_forward.total" not in res.doubtful


def test_a_row_label_with_a_long_note_in_a_pipe_row_is_a_row():
    """A 2019 table whose 其他对外管理服务事项 carries a note longer than a cell (指…以外的
    政务服务事项，含行政确认、…) is a row of four cells, not a line of prose; and a mirror
    that copied the report into traditional characters writes 规范性文件 as 规范性档案."""
    note = "（指行政许可以外的政务服务事项，含行政确认、行政奖励、行政裁决、行政给付、行政检查、行政征收和其他类，以及公共服务事项）"
    text = "\n".join([
        "二、主动公开政府信息情况",
        "第二十条第(一)项 | | | |",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章 | 0 | 0 | 0 |",
        "规范性档案（行政机关制定发布的决定、公告、通告，一般情况下属于规范性档案） | 4 | 4 | 21 |",
        "第二十条第(五)项 | | | |",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 8 | 5 | 93 |",
        f"其他对外管理服务事项{note} | 117 | 0 | 165 |",
        "三、收到和处理政府信息公开申请情况",
    ])
    res = parse_tables(doc_of(text))
    assert [res.cells[f"active.other_services.{c}"].value for c in ("prev_items", "change", "decisions")] == [117, 0, 165]
    assert [res.cells[f"active.normative.{c}"].value for c in ("made", "published", "total_published")] == [4, 4, 21]


def test_a_blank_cell_among_one_cell_pipe_lines_is_told_from_the_row_separator():
    """A page printing each cell as ``0 |`` on its line and ending each row with a bare
    ``|``: a row with one bare ``|`` more than the others has a blank last cell (规章 0 0 —),
    which the clean rows' one trailing separator tells apart."""
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项 |", "|", "信息内容 |", "本年制发件数 |", "本年废止件数 |",
             "现行有效件数 |", "|", "规章 |", "0 |", "0 |", "|", "|", "行政规范性文件 |", "5 |", "2 |", "8 |", "|",
             "第二十条第(五)项 |", "|", "信息内容 |", "本年处理决定数量 |", "|", "行政许可 |", "12 |", "|",
             "三、收到和处理政府信息公开申请情况"]
    res = parse_tables(doc_of("\n".join(lines)))
    assert [res.cells[f"active.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, None]
    assert [res.cells[f"active.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [5, 2, 8]


def test_a_pipe_row_with_one_figure_is_not_placed_by_character_position():
    """A mirror's pipe table prints a row as its label, one figure and empty cells
    (一、本年新收… | 0 | |||||||): its header's labels stand at other character positions than
    the cells, so no figure is placed under a column by position (that put the 0 under
    社会公益组织); the row is unread, said so."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||||",
        "自然人 | 法人或其他组织 | 总计 | |||||||",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||",
        "一、本年新收政府信息公开申请数量 | 0 | ||||||||",
        "二、上年结转政府信息公开申请数量 | 0 | ||||||||",
        "四、政府信息公开行政复议、行政诉讼情况",
    ])
    res = parse_tables(doc_of(text))
    rows = ("requests.new.", "requests.carried_over.")
    assert not [cid for cid in res.cells if cid.startswith(rows)]
    assert len([cid for cid in res.doubtful if cid.startswith(rows)]) == 14


def test_a_parent_s_label_run_into_its_first_row_s_label_is_that_row():
    """A page dump runs each row's cells together, and a merged parent cell onto its first
    sub-row's line (三、本年度办理结果（一）予以公开1000001, （三）不予公开1.属于国家秘密
    0000000): those rows are read as the rows they name, not dropped without a word."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)申请人情况",
        "自然人法人或其他组织总计",
        "商业企业科研机构社会公益组织法律服务机构其他",
        "一、本年新收政府信息公开申请数量2000002",
        "二、上年结转政府信息公开申请数量0000000",
        "三、本年度办理结果(一)予以公开1000001",
        "(二)部分公开(区分处理的,只计这一情形,不计其他情形)0000000",
        "(三)不予公开1.属于国家秘密0000000",
        "2.其他法律行政法规禁止公开0000000",
        "四、政府信息公开行政复议、行政诉讼情况",
    ])
    res = parse_tables(doc_of(text))
    assert [res.cells[f"requests.granted.{c}"].value for c in ("natural", "total")] == [1, 1]
    assert res.cells["requests.denied.state_secret.total"].value == 0
    assert res.cells["requests.denied.law_prohibited.total"].value == 0


def test_a_label_cell_joining_both_parents_is_that_row():
    """A Markdown table (a converter's text of a PDF) joins a sub-row's merged parents into
    its one label cell: 三、本年度办理结果(三)不予公开1.属于国家秘密 is that row."""
    head = ["| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 自然人 | 商业企业 | 科研机构 | 社会公益组织 "
            "| 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    rows = [("一、本年新收政府信息公开申请数量", "3 | 0 | 0 | 0 | 0 | 0 | 3"),
            ("三、本年度办理结果(一)予以公开", "1 | 0 | 0 | 0 | 0 | 0 | 1"),
            ("三、本年度办理结果(三)不予公开1.属于国家秘密", "2 | 0 | 0 | 0 | 0 | 0 | 2"),
            ("三、本年度办理结果(四)无法提供3.补正后申请内容仍不明确", "0 | 0 | 0 | 0 | 0 | 0 | 0")]
    text = "\n".join(["三、收到和处理政府信息公开申请情况", *head, *(f"| {a} | {b} |" for a, b in rows),
                      "四、政府信息公开行政复议、行政诉讼情况"])
    res = parse_tables(doc_of(text))
    assert res.cells["requests.granted.total"].value == 1
    assert [res.cells[f"requests.denied.state_secret.{c}"].value for c in ("natural", "total")] == [2, 2]
    assert res.cells["requests.unavailable.unclear.total"].value == 0


def test_a_row_label_printed_with_nothing_after_it_is_said_unread():
    """A 2019 table whose 其他对外管理服务事项 is followed only by lines of spaces (the page's
    cells lost their figures): the row's cells are unread, said so — not silently absent;
    a text cut right after a label says nothing of that row."""
    rows = ["二、主动公开政府信息情况", "第二十条第(五)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
            "行政许可", "", "3", "", "0", "", "12", "", "其他对外管理服务事项", "", " ", "", " ", "", " ", "",
            "第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "行政处罚", "", "1", "", "0", "", "2"]
    res = parse_tables(doc_of("\n".join(rows + ["三、收到和处理政府信息公开申请情况"])))
    assert res.cells["active.licensing.decisions"].value == 12
    assert {f"active.other_services.{c}" for c in ("prev_items", "change", "decisions")} <= set(res.doubtful)
    cut = parse_tables(doc_of("\n".join(rows[:15])))
    assert not any(cid.startswith("active.other_services") for cid in cut.doubtful)


def test_a_row_that_prints_no_figure_among_its_empty_cells_is_blank():
    """One cell a line with pipes: 行政许可 | then a line | || (its empty cell and the grid's
    leftovers). Whichever empty cell is the row's, it is blank — not unreadable."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第(五)项 | |||", "信息内容 |", "本年处理决定数量 | ||",
                      "行政许可 |", "| ||", "第二十条第(六)项 | |||", "信息内容 |", "本年处理决定数量 | ||",
                      "行政处罚 |", "3 | ||", "行政强制 |", "| ||", "三、收到和处理政府信息公开申请情况"])
    res = parse_tables(doc_of(text))
    assert res.cells["active.penalty.decisions"].value == 3
    assert res.cells["active.licensing.decisions"].value is None and res.cells["active.coercion.decisions"].value is None
    assert not res.doubtful


# A 2019 table printed column by column (poppler's pdftotext without -layout, of a Word
# PDF): every row's first value follows its label, the rest come later or never.
_COLUMN_BY_COLUMN_2019 = """某镇人民政府2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容
本年新制作数量
规章
0
规范性文件
2
第二十条第（五）项
信息内容
上一年项目数量
行政许可
3
其他对外管理服务事项 0
第二十条第（六）项
信息内容
上一年项目数量
行政处罚
1
行政强制
0
本年增/减
0
0
三、收到和处理政府信息公开申请情况

（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
自然人
商业企业
一、本年
新收政府

科研机构
5

1

0

0

社会公益
组织
0

法人或其
他组织
法律服务
机构
0

申请人情
况
总计
其他
6

信息公开
申请数量
二、上年 2
结转政府
信息公开
申请数量
三、本年度办理结果

4

1

0

3

0

2

（一）予以
公开"""


def test_one_value_a_line_after_a_row_is_no_row_shape():
    """One value a line after each 2019 row is the layout's doing, not the 2021 shape: the
    labels only 2019 prints decide."""
    assert parse_tables(doc_of(_COLUMN_BY_COLUMN_2019)).template == "2019"


def test_column_by_column_values_stay_off_a_label_below_them():
    """A cut table printed column by column: the values one a line before (一)予以公开
    are other rows' columns, not its row floated above it."""
    cells = parse_tables(doc_of(_COLUMN_BY_COLUMN_2019)).cells
    assert not [cid for cid in cells if cid.startswith("requests.granted.")]
    assert cells["active.normative.made"].value == 2  # what the text does place is read


def test_a_column_printed_after_a_run_of_row_labels_is_no_rows_values():
    """pdfminer's text of a table printed column by column: the rows' labels one after
    another, then a column's values with the next column label after them — the value
    after 行政事业性收费 is 行政许可's decisions, not the fee (unreadable, never that)."""
    text = ("信川市某局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n行政许可\n"
            "第二十条第（六）项\n信息内容\n行政处罚\n行政强制\n第二十条第（八）项\n信息内容\n行政事业性收费\n8812\n"
            "本年处理决定数量\n120\n35\n本年收费金额（单位：万元）\n2.5\n三、收到和处理政府信息公开申请情况\n")
    result = parse_tables(doc_of(text))
    assert "active.fees.amount" not in result.cells
    assert "column by column" in result.doubtful["active.fees.amount"]


def test_a_space_between_a_cells_figure_and_its_unit():
    """pdftotext -layout of a LibreOffice PDF puts a space where the font changes from the
    figure's digits to its unit (31 批次, 103.3879 万元): still the row's two cells."""
    text = ("二、主动公开政府信息情况\n第二十条第（九）项\n信息内容        采购项目数量       采购总金额\n"
            "政府集中采购      31 批次       709455.9 元\n三、收到和处理政府信息公开申请情况\n")
    cells = parse_tables(doc_of(text)).cells
    assert cells["active.procurement.count"].value == 31
    assert abs(cells["active.procurement.amount"].value - 70.94559) < 1e-9
    one = "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容        本年处理决定数量\n行政许可        117 件\n"
    assert parse_tables(doc_of(one + "三、收到和处理政府信息公开申请情况\n")).cells["active.licensing.decisions"].value == 117


def test_a_cut_column_label_after_the_last_row_label_is_no_sub_row():
    """A Word table printed column by column (plain pdftotext): every row label, then each
    column's header and values — a page that cut its headers to 本年新 leaves 本年新 / 0 / 2
    after 政府集中采购, which is no breakdown of procurement into kinds (its sums were the
    procurement cells: 0+0, 2+2).  Unreadable, never that."""
    labels = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "规章", "规范性文件", "第二十条第（五）项",
              "信息内容", "行政许可", "其他对外管理服务事项", "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
              "第二十条第（八）项", "信息内容", "行政事业性收费", "第二十条第（九）项", "信息内容", "政府集中采购", ""]
    blocks = ["本年新", "0", "2", "", "本年新", "0", "2", "", "对外公开总数量", "0", "2", ""]
    result = parse_tables(doc_of("\n".join(labels + blocks + ["三、收到和处理政府信息公开申请情况"])))
    assert "active.procurement.count" not in result.cells and "active.procurement.amount" not in result.cells
    assert "active.procurement.amount" in result.doubtful


@pytest.mark.parametrize("count", ["31批次", "31批"])
def test_procurement_counted_in_batches_and_paid_in_yuan(count):
    """Cells that carry their unit: 31批次 (or 31批) is the procurement count (batches are
    how it is counted), 709455.9元 the amount in the template's 万元."""
    text = "\n\n".join(["二、主动公开政府信息情况", "第二十条第（九）项", "信息内容", "采购项目数量", "采购总金额",
                        "政府集中采购", count, "709455.9元", "三、收到和处理政府信息公开申请情况"])
    got = {k: c.value for k, c in parse_tables(doc_of(text + "\n")).cells.items()}
    assert got["active.procurement.count"] == 31 and abs(got["active.procurement.amount"] - 70.94559) < 1e-9


@pytest.mark.parametrize("column", ["120\n35", "/\n/", "", "（单位：件）\n120\n35", "第二十条第（八）项\n信息内容"])
def test_a_column_after_a_run_of_row_labels_however_its_cells_print(column):
    """pdfminer's column-major text again, the 本年处理决定数量 column printing numbers,
    blank marks, nothing or a unit line: 8812 (行政许可's decisions) is never the fee."""
    text = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n行政许可\n第二十条第（六）项\n信息内容\n行政处罚\n"
            "行政强制\n第二十条第（八）项\n信息内容\n行政事业性收费\n8812\n本年处理决定数量\n" + column +
            "\n本年收费金额（单位：万元）\n2.5\n三、收到和处理政府信息公开申请情况\n")
    cells = parse_tables(doc_of(text)).cells
    assert all(c.value != 8812 for c in cells.values())


@pytest.mark.parametrize("between, read", [([], True), (["（单位：件）"], True), (["信息内容"], False),
                                           (["第二十条第（五）项", "信息内容"], False)])
def test_a_block_whose_first_row_printed_nothing_whatever_heads_the_next_block(between, read):
    """As below, the next block's column label followed by a unit's note before its row
    label: the values are still 行政规范性文件's.  A block's 信息内容 or 第二十条… after a
    column label is column-major print (a row-major one prints them before it): unread,
    never placed."""
    text = "\n".join(["二、主动公开政府信息情况", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
                      "2", "1", "9", "本年处理决定数量", *between, "行政许可", "117", "三、收到和处理政府信息公开申请情况"])
    cells = parse_tables(doc_of(text)).cells
    got = [getattr(cells.get(f"active.normative.{c}"), "value", None) for c in ("issued", "repealed", "in_force")]
    assert got == ([2, 1, 9] if read else [None, None, None])


def test_a_block_whose_first_row_printed_nothing_is_read_one_cell_a_line():
    """One cell a line, the 规章 row blank and so printed as its label alone: the values
    after 行政规范性文件 are that row's (the column label after them opens the next block,
    a row label follows it), not a column printed column by column."""
    text = "\n".join(["二、主动公开政府信息情况", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
                      "2", "1", "9", "本年处理决定数量", "行政许可", "117", "本年处理决定数量", "行政处罚", "5", "行政强制", "8",
                      "本年收费金额（单位：万元）", "行政事业性收费", "2.5", "三、收到和处理政府信息公开申请情况"])
    result = parse_tables(doc_of(text))
    assert [result.cells[f"active.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [2, 1, 9]
    assert "active.rules.issued" not in result.cells and "active.rules.issued" in result.doubtful


def test_a_block_in_the_other_templates_columns_printed_one_cell_a_line():
    """The 2022 report whose 规章/规范性文件 block keeps 2019's columns, printed one cell a
    line: its one-value rows still say 2021 (weighing half what a row's own line does), and
    the fee is 2021's 本年收费金额."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容", "本年新制作数量", "本年新公开数量",
                      "对外公开总数量", "规章", "0", "0", "0", "规范性文件", "2", "2", "31", "第二十条第(五)项", "信息内容",
                      "处理决定数量", "行政许可", "117", "第二十条第(六)项", "信息内容", "处理决定数量", "行政处罚", "2",
                      "行政强制", "0", "第二十条第(八)项", "信息内容", "本年收费金额(单位:万元)", "行政事业性收费", "0",
                      "三、收到和处理政府信息公开申请情况"])
    result = parse_tables(doc_of(text))
    assert result.template == "2021"
    assert result.cells["active.licensing.decisions"].value == 117 and "active.fees.amount" in result.cells


def test_a_row_printing_more_values_than_cells_one_a_line_is_unreadable():
    """One cell a line, each closed by its |: 行政处罚 under 2021's one column prints three
    values (2019's shape) — which is its decisions the text does not say, in this layout as
    in a row of tabs or pipes (the first value is not taken)."""
    text = "\n".join(["二、主动公开政府信息情况", "第二十条第(五)项 |", "信息内容 |", "本年处理决定数量 |", "行政许可 |", "89 |",
                      "第二十条第(六)项 |", "信息内容 |", "本年处理决定数量 |", "行政处罚 |", "2 |", "7 |", "5 |",
                      "行政强制 |", "4 |", "第二十条第(八)项 |", "信息内容 |", "本年收费金额(单位:万元) |",
                      "行政事业性收费 |", "35.65 |", "三、收到和处理政府信息公开申请情况"])
    result = parse_tables(doc_of(text))
    assert "active.penalty.decisions" not in result.cells and "active.penalty.decisions" in result.doubtful
    assert result.cells["active.licensing.decisions"].value == 89 and result.cells["active.coercion.decisions"].value == 4


# Table 4 as pdftotext (no -layout) prints a Word grid: header cells stacked a character a
# line, each column's value after its own header, the groups' labels in between.
_TABLE4_COLUMN_BY_COLUMN = """四、政府信息公开行政复议、行政诉讼情况
行政复议
结
果
维
持

结
果
纠
正

其
他
结
果

尚
未
审
结

总
计

{0}

0

0

0

0

结
果
维
持
0

未经复议直接起诉
结
其
尚
果
他
未
纠
结
审
正
果
结
0
0
0

行政诉讼
总
计
0

结
果
维
持
0

复议后起诉
结
其
尚
果
他
未
纠
结
审
正
果
结
0
0
0

总
计
0

五、存在的主要问题及改进情况
"""


def test_fifteen_zeros_of_a_table_4_printed_column_by_column_are_its_cells():
    """Where each value stands is not printed, but fifteen zeros and no other number can
    only be the fifteen cells, each 0; one value that is not 0 leaves them all unread."""
    zeros = parse_tables(doc_of(_TABLE4_COLUMN_BY_COLUMN.format(0)))
    assert {cid: c.value for cid, c in zeros.cells.items() if cid.startswith(("review.", "litigation."))} == \
        {cid: 0 for cid in ids_for_template("2021") if cid.startswith(("review.", "litigation."))}
    one = parse_tables(doc_of(_TABLE4_COLUMN_BY_COLUMN.format(1)))
    assert not [cid for cid in one.cells if cid.startswith(("review.", "litigation."))]


def test_table_4_figures_between_its_stacked_header_words_are_read_in_order_when_the_totals_agree():
    """pdftotext (no -layout) of a Word PDF prints the header's words, stacked a character a
    line, between the data row's figures: the 15 figures in order are the 15 cells when each
    group's total is the sum of its four outcomes — and not when the totals say otherwise."""
    def text(review: str) -> str:
        return "\n".join(["四、政府信息公开行政复议、行政诉讼情况", "行政复议", *"结果维持结果纠正其他结果尚未审结总计",
                          *review.split(), "结", "果", "维", "持", "1", "未经复议直接起诉", *"结其尚果他未纠结审正果结",
                          "0", "0", "1", "行政诉讼", "总", "计", "2", "结", "果", "维", "持", "0", "复议后起诉",
                          *"结其尚果他未纠结审正果结", "1", "0", "0", "总", "计", "1", "五、存在的主要问题及改进情况"])
    cells = parse_tables(doc_of(text("2 1 0 1 4"))).cells
    assert [cells[f"review.{o}"].value for o in ("upheld", "corrected", "other", "pending", "total")] == [2, 1, 0, 1, 4]
    assert [cells[f"litigation.direct.{o}"].value for o in ("upheld", "total")] == [1, 2]
    assert [cells[f"litigation.after_review.{o}"].value for o in ("corrected", "total")] == [1, 1]
    wrong = parse_tables(doc_of(text("2 1 0 1 5"))).cells  # 2+1+0+1 is not 5: no order is proved
    assert not [cid for cid in wrong if cid.startswith(("review.", "litigation."))]


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_row_label_printed_apart_from_its_figures_takes_the_second_row_after_the_row_before_it(where):
    """pdftotext (no -layout) prints a tall merged cell's label apart from its figures:
    四、结转下年度继续办理 before (七)总计, or after the table's last figure, and (七)总计 then
    holds 14 figures. The second seven are the floated row's — the identities of both rows
    checked (新收 + 结转 = 总计 + 结转下年度; 总计 = the outcomes) — and nothing is guessed
    when they do not hold."""
    from test_relayout import rendered

    lines = [ln.strip() for ln in rendered(4, "cells").split("\n") if ln.strip()]
    label = "四、结转下年度继续办理"
    lines.remove(label)
    at = lines.index("(七)总计") if where == "before" else lines.index("四、政府信息公开行政复议、行政诉讼情况")
    moved = lines[:at] + [label] + lines[at:]
    cells = parse_tables(doc_of("\n".join(moved))).cells
    gold = next(r for r in map(json.loads, SEED_GOLD.read_text(encoding="utf-8").splitlines()) if r["id"] == "seed-004")
    for row in ("total", "carried_forward"):
        assert [cells[f"requests.{row}.{c}"].value for c in ("natural", "commercial", "total")] == \
            [gold["table"][f"requests.{row}.{c}"] for c in ("natural", "commercial", "total")]
    k = moved.index("(七)总计") + 1  # its first figure: 1 -> 5 breaks 总计 = the outcomes
    broken = parse_tables(doc_of("\n".join(moved[:k] + ["5"] + moved[k + 1:]))).cells
    assert not [cid for cid in broken if cid.startswith(("requests.total.", "requests.carried_forward."))]


def _granted_row(cell: str) -> str:
    """Seed 004's table 3 as Markdown pipe rows under a 3-column label block, one cell of
    its 予以公开 row (commercial's) printed as ``cell``."""
    from test_relayout import rendered

    out = []
    for line in rendered(4, "pipe").split("\n"):
        if line.startswith("|  | (一)予以公开 |") or line.startswith("| 三、本年度办理结果 | (一)予以公开 |"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            at = next(k for k, c in enumerate(cells) if c and c[0].isdigit())
            cells[at + 1] = cell
            line = "| " + " | ".join(cells) + " |"
        out.append(line)
    return "\n".join(out)


def test_ocr_letters_in_a_figure_are_its_digits():
    """OCR prints 0 as O and 1 as l: in a figure's cell, which holds no letter, they are read
    as the digits (the cell's raw text keeps what was printed)."""
    cells = parse_tables(doc_of(_granted_row("l"))).cells
    assert cells["requests.granted.commercial"].value == 1 and cells["requests.granted.commercial"].raw == "l"


def test_a_garbled_cell_among_a_rows_figures_leaves_the_row_unread_not_shifted():
    """290 | 1 | x | 0 | 3: reading the figures in order moved 290 onto the next column (and
    the label block's blank onto the first) — wrong cells and false findings; the row whose
    printed positions skip a cell is unread, and said so."""
    res = parse_tables(doc_of(_granted_row("x")))
    assert not [cid for cid in res.cells if cid.startswith("requests.granted.") and res.cells[cid].value is not None]
    assert "requests.granted.natural" in res.doubtful
    assert res.cells["requests.new.total"].value == 2  # the other rows are read


def test_a_merged_cell_repeated_in_every_column_it_spans_is_one_value():
    """docling repeats a merged cell in each column it spans: | 本年处理决定数量 | 本年处理决定数量 |
    over | 2332 | 2332 |. The figure is the one cell's; different figures under the copies
    are no copies, and stay as printed."""
    def text(values: str) -> str:
        return "\n".join(["二、主动公开政府信息情况", "| 第二十条第（五）项 | | |", "|---|---|---|",
                          "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 |", f"| 行政许可 | {values} |",
                          "三、收到和处理政府信息公开申请情况"])
    assert parse_tables(doc_of(text("2332 | 2332"))).cells["active.licensing.decisions"].value == 2332
    assert "active.licensing.decisions" not in parse_tables(doc_of(text("2332 | 17"))).cells


_OUTCOMES_ROW = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |"


def test_table_4_as_three_small_tables_one_of_them_blank():
    """A converter's three small tables (### 行政复议, its header, its row): a group whose row
    is printed empty is blank — its five cells said blank, the other groups read."""
    parts = []
    for group, row in (("行政复议", "|  |  |  |  |  |"), ("行政诉讼（未经复议直接起诉）", "| 1 | 0 | 0 | 0 | 1 |"),
                       ("行政诉讼（复议后起诉）", "| 0 | 0 | 0 | 0 | 0 |")):
        parts += [f"### {group}", _OUTCOMES_ROW, "|---|---|---|---|---|", row]
    res = parse_tables(doc_of("\n".join(["四、政府信息公开行政复议、行政诉讼情况", *parts, "五、存在的主要问题及改进情况"])))
    assert [res.cells[f"litigation.direct.{o}"].value for o in ("upheld", "total")] == [1, 1]
    assert {f"review.{o}" for o in ("upheld", "total")} <= set(res.missing_cells)


def test_table_4_in_the_long_layout_one_row_a_cell():
    """| 行政复议 | - | 结果纠正 | 1 |: one printed row a cell, naming its group and outcome."""
    rows = ["| 类别 | 子类 | 结果 | 数量 |", "|---|---|---|---|"]
    values = {"review": [0, 1, 0, 0, 1], "litigation.direct": [2, 0, 0, 1, 3], "litigation.after_review": [0, 0, 0, 0, 0]}
    names = {"review": ("行政复议", "-"), "litigation.direct": ("行政诉讼", "未经复议直接起诉"),
             "litigation.after_review": ("行政诉讼", "复议后起诉")}
    for group, figures in values.items():
        for outcome, figure in zip(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), figures):
            rows.append(f"| {names[group][0]} | {names[group][1]} | {outcome} | {figure} |")
    res = parse_tables(doc_of("\n".join(["四、政府信息公开行政复议、行政诉讼情况", *rows, "五、存在的主要问题及改进情况"])))
    got = {g: [res.cells[f"{g}.{o}"].value for o in ("upheld", "corrected", "other", "pending", "total")] for g in values}
    assert got == values


def test_table_4_with_its_outcomes_as_rows_is_not_read_in_the_data_rows_order():
    """结果维持 0 0 0 / … / 尚未审结 0 0 1 / 总计 0 0 1: 15 figures whose group totals add up
    read the wrong way (after-review corrected 1): an outcome's label opens each line of
    figures, so they are not the one data row — unread, and said so."""
    rows = ["项目", "行政复议", "未经复议直接起诉", "复议后起诉"]  # one cell a line
    for outcome, after in (("结果维持", 0), ("结果纠正", 0), ("其他结果", 0), ("尚未审结", 1), ("总计", 1)):
        rows += [outcome, "0", "0", str(after)]
    res = parse_tables(doc_of("\n".join(["四、政府信息公开行政复议、行政诉讼情况", *rows, "五、存在的主要问题及改进情况"])))
    assert "litigation.after_review.corrected" not in res.cells or res.cells["litigation.after_review.pending"].value == 1


def test_a_list_of_group_and_outcome_rows_does_not_displace_the_wide_table_4():
    lookalike = [f"| {g} | {o} | {v} |" for g, o, v in (("行政复议", "结果维持", 3), ("行政复议", "结果纠正", 1),
                 ("行政复议", "总计", 4), ("复议后起诉", "结果维持", 1), ("复议后起诉", "总计", 1))]
    wide = ["", "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |", "|---" * 15 + "|",
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |",
            "| | | | | | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
            "| 3 | 1 | 0 | 0 | 4 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |"]
    res = parse_tables(doc_of("\n".join(["## 四、政府信息公开行政复议、行政诉讼情况", "", "本年度共发生：", "", *lookalike, *wide,
                                         "", "## 五、存在的主要问题"])))
    assert [res.cells[f"litigation.after_review.{o}"].value for o in ("upheld", "total")] == [1, 1]
    assert res.cells["review.total"].value == 4


def test_table_4_small_tables_under_a_titled_group_row_are_read_not_blank():
    """docling: | 行政复议 | | | | | | (a title row, its empty cells), then | 项目 | 结果维持 … |,
    then | 数量 | 2 | 1 | 0 | 0 | 3 |: the figures are the group's, the title row no blank row."""
    parts = []
    for group, row in (("行政复议", "2 | 1 | 0 | 0 | 3"), ("行政诉讼（未经复议直接起诉）", "0 | 0 | 0 | 0 | 0"),
                       ("行政诉讼（复议后起诉）", "1 | 0 | 0 | 0 | 1")):
        parts += [f"| {group} |  |  |  |  |  |", "|---|---|---|---|---|---|",
                  "| 项目 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |", f"| 数量 | {row} |", ""]
    res = parse_tables(doc_of("\n".join(["四、政府信息公开行政复议、行政诉讼情况", *parts, "五、存在的主要问题"])))
    assert [res.cells[f"review.{o}"].value for o in ("upheld", "total")] == [2, 3]
    assert not [c for c in res.missing_cells if c.startswith("review.")]


def test_a_header_word_printed_twice_over_figures_is_no_merged_cell():
    """| 本年制发件数 | 本年制发件数 | 现行有效件数 | over | 0 | 0 | 3 |: a header word OCR printed
    twice; collapsing the two 0s would leave two figures for three cells. Read by place."""
    text = "\n".join(["二、主动公开政府信息情况", "| 第二十条第（一）项 | | | |", "|---|---|---|---|",
                      "| 信息内容 | 本年制发件数 | 本年制发件数 | 现行有效件数 |", "| 规章 | 0 | 0 | 3 |",
                      "三、收到和处理政府信息公开申请情况"])
    cells = parse_tables(doc_of(text)).cells
    assert [cells[f"active.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, 3]


def _scattered_zeros(n3: int, n4: int, after: int, figure: str = "0") -> str:
    """pdfminer's text of a Word PDF whose tables 3 and 4 are all zero: table 3's row labels,
    some of its numbers, table 4's heading with more, the next part's heading with the rest,
    then its prose.  ``figure`` is the last number printed."""
    labels = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计",
              "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "（一）予以公开",
              "（二）部分公开", "（三）不予公开", "1.属于国家秘密", "四、结转下年度继续办理"]
    zeros = ["0"] * (n3 + n4 + after - 1) + [figure]
    return "\n".join(["信川市某局2023年政府信息公开工作年度报告", *labels, *zeros[:n3],
                      "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结", "果", *zeros[n3:n3 + n4],
                      "五、存在的主要问题及改进情况", "维", "持", *zeros[n3 + n4:], "— 3 —",
                      "2023年，我局政府信息公开工作还存在一些不足，主要是公开的深度不够。", ""])


def test_zeros_scattered_over_tables_3_and_4_and_past_them_are_their_cells():
    """pdfminer puts table 3's last columns after table 4's heading and table 4's after the
    next part's: 190 zeros (175 + 15 cells) over the stretch, and no other number, can only
    be the cells of both, each 0.  One number not 0, or one short, and none is filled."""
    ids = [cid for cid in ids_for_template("2021") if cid.startswith(("requests.", "review.", "litigation."))]
    assert len(ids) == 190
    got = parse_tables(doc_of(_scattered_zeros(100, 70, 20)))
    assert {cid: got.cells[cid].value for cid in ids if cid in got.cells} == dict.fromkeys(ids, 0)
    assert "0" in got.repairs["review.total"]
    for text in (_scattered_zeros(100, 70, 20, figure="1"), _scattered_zeros(100, 70, 19)):
        assert not [cid for cid in parse_tables(doc_of(text)).cells if cid in ids]


def test_zeros_of_table_4_after_the_next_parts_heading_are_its_cells():
    """Table 3 read (its figures not all 0), table 4's 15 zeros split by the next part's
    heading: table 4's cells are 0."""
    text = _scattered_zeros(0, 9, 6).replace("四、结转下年度继续办理", "四、结转下年度继续办理\n" + "\n".join(["1"] * 175))
    got = parse_tables(doc_of(text))
    assert [got.cells[f"litigation.direct.{o}"].value for o in ("upheld", "total")] == [0, 0]


def test_table_4_read_by_its_count_alone_is_unread_when_table_3_lent_it_figures():
    """Table 3 prints 170 figures for its 175 cells and table 4's region 15, its header
    unreadable: 15 figures in the template's order would be table 4's row, but five may be
    table 3's (pdfminer moves them so) — and table 4's 行政复议 group printed blank.  Table
    4 is unread, said so; with table 3's 175 figures in place it is read."""
    t4 = [cid for cid in ids_for_template("2021") if cid.startswith(("review.", "litigation."))]
    short = parse_tables(doc_of(_scattered_zeros(170, 15, 0)))
    assert not [cid for cid in t4 if cid in short.cells]
    assert "表三" in short.doubtful["review.total"]
    whole = parse_tables(doc_of(_scattered_zeros(175, 15, 0)))
    assert [whole.cells[cid].value for cid in t4] == [0] * 15


def test_table_4_is_read_beside_a_table_3_whose_whole_columns_are_blank():
    """Table 3 short of 75 figures (three columns printed blank: small agencies leave them so)
    cannot have lent them to table 4's 15 cells: table 4's 15 zeros are its cells."""
    got = parse_tables(doc_of(_scattered_zeros(100, 15, 0)))
    t4 = [cid for cid in ids_for_template("2021") if cid.startswith(("review.", "litigation."))]
    assert [got.cells[cid].value for cid in t4] == [0] * 15


def test_a_figure_alone_in_the_next_part_is_not_a_tables_cell():
    """五、存在的主要问题⏎0⏎六、…: no piece of a table among the lines after the last one, so the
    figure there is the next part's, and a table short of one cell stays unread."""
    text = _scattered_zeros(175, 14, 0).replace("五、存在的主要问题及改进情况\n维\n持\n", "五、存在的主要问题及改进情况\n0\n六、其他需要报告的事项\n")
    got = parse_tables(doc_of(text))
    assert "litigation.after_review.total" not in got.cells


def test_one_empty_line_too_many_at_both_ends_of_a_row_places_no_cell():
    """A page's cells joined by newlines (BeautifulSoup's get_text): a row label, six empty
    lines, its figure, an empty line — one line more than the row's seven cells, empty at
    both ends: the figure is the seventh column's or the sixth's, as the text cannot say.
    Unread, never placed a column off."""
    rows = ["一、本年新收政府信息公开申请数量", *[""] * 6, "0", "", "二、上年结转政府信息公开申请数量", *[""] * 6, "0", ""]
    text = "\n".join(["三、收到和处理政府信息公开申请情况", "申请人情况", "", "自然人", "法人或其他组织", "总计", "",
                      "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "", *rows, "三、本年度办理结果"])
    cells = parse_tables(doc_of(text)).cells
    assert not [cid for cid, c in cells.items() if cid.startswith(("requests.new.", "requests.carried_over.")) and c.value == 0
                and not cid.endswith(".total")]
