"""Text another PDF tool extracted: pipe rows with row labels floated above or below their
values, labels broken over two lines, page footers between rows, garbled header rows, a
15-value table-4 row under a scrambled header (issue 18)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import MODELS, SEED_GOLD, seed_paths
from nlp.pipeline import Pipeline
from nlp.pipeline import document_from_text
from nlp.corpus.render import blocks_from_document, render_txt
from nlp.tables import parse_tables

GOLD = {r["id"]: r for r in map(json.loads, filter(str.strip, SEED_GOLD.read_text(encoding="utf-8").splitlines()))}


def pdftool_text(i: int) -> str:
    path = seed_paths()[i]
    return render_txt(blocks_from_document(document_from_text(path.read_text(encoding="utf-8"), str(path))), "pdftool")


def test_the_rendering_has_what_pdf_tools_do():
    lines = pdftool_text(0).split("\n")
    k = lines.index("行政规范性文件")
    assert lines[k + 1].startswith("| ")  # a label above its values
    assert any(ln in ("— 3 —", "第 2 页") for ln in lines)  # page footers between rows
    assert any(ln.startswith("| 信息内容本 | 年") for ln in lines)  # a garbled header


@pytest.mark.parametrize("i", range(5))
def test_every_seed_cell_read_and_floated_rows_noted(i):
    result = parse_tables(document_from_text(pdftool_text(i)))
    gold = GOLD[f"seed-{i:03d}"]
    got = Counter("unread" if cid not in result.cells else
                  "correct" if result.cells[cid].value == gold["table"].get(cid) else "wrong"
                  for cid in [*gold["table"], *gold["missing_cells"]])
    assert got == Counter(correct=len(gold["table"]) + len(gold["missing_cells"]))
    floated = {cid for cid, why in result.repairs.items() if "按模板行序归位" in why}
    assert floated and all(cid.startswith(("active.", "requests.")) for cid in floated)
    assert all("按模板列序" in result.repairs[f"review.{o}"] for o in ("upheld", "total"))


def test_a_label_below_its_values_is_placed_by_template_order():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "| 规章 | 1 | 2 | 3 |\n| 4 | 5 | 6 |\n行政规范性文件\n第二十条第(五)项\n三、收到和处理政府信息公开申请情况\n")
    result = parse_tables(document_from_text(text))
    assert [result.cells[f"active.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [4, 5, 6]
    assert [result.cells[f"active.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [1, 2, 3]
    assert "按模板行序归位" in result.repairs["active.normative.issued"]


def test_a_row_without_values_does_not_take_its_neighbours_cells():
    """One cell per line: a label with no values after it stays unread; nothing moves."""
    text = ("二、主动公开政府信息情况\n\n\t规章\n\t1\n\t2\n\t3\n\n\t行政规范性文件\n\n\t行政许可\n\t9\n\n"
            "三、收到和处理政府信息公开申请情况\n")
    result = parse_tables(document_from_text(text))
    assert result.cells["active.rules.in_force"].value == 3
    assert "active.normative.issued" not in result.cells


def test_pdftool_seeds_end_to_end_same_findings():
    pipe = Pipeline.load(MODELS)
    for i in (3, 4):
        plain = pipe.process(seed_paths()[i])
        rec = pipe.process_text(pdftool_text(i), f"pdftool-{i}")
        assert sorted((f.type, f.indicator) for f in rec.findings) == sorted((f.type, f.indicator) for f in plain.findings)
        assert sorted((f.value, f.indicator) for f in rec.facts) == sorted((f.value, f.indicator) for f in plain.facts)


def test_table4_as_one_small_table_per_group():
    """Converters split table 4 into a table per group under a heading naming the group."""
    head = "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
    text = ("四、政府信息公开行政复议、行政诉讼情况\n\n### 行政复议\n" + head + "| 5 | 2 | 0 | 1 | 8 |\n\n"
            "### 行政诉讼（未经复议直接起诉）\n" + head + "| 1 | 0 | 0 | 0 | 1 |\n\n"
            "### 行政诉讼（复议后起诉）\n" + head + "| 0 | 0 | 2 | 0 | 2 |\n\n五、存在的主要问题及改进情况\n无。\n")
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[f"review.{o}"].value for o in ("upheld", "corrected", "other", "pending", "total")] == [5, 2, 0, 1, 8]
    assert cells["litigation.direct.total"].value == 1 and cells["litigation.after_review.other"].value == 2


def test_run_together_digits_before_markdown_marks():
    text = ("二、主动公开政府信息情况\n### 第二十条第（五）项\n信息内容本年处理决定数量\n行政许可2332###\n"
            "三、收到和处理政府信息公开申请情况\n")
    assert parse_tables(document_from_text(text)).cells["active.licensing.decisions"].value == 2332


def _seed4_without(labels: set[str]) -> str:
    path = seed_paths()[4]
    blocks = blocks_from_document(document_from_text(path.read_text(encoding="utf-8"), str(path)))
    for block in blocks:
        for row in getattr(block, "rows", []):
            row[:] = ["" if c.replace(" ", "") in labels else c for c in row]
    return render_txt(blocks, "pipe")


def test_a_row_whose_label_is_lost_is_placed_by_template_order_and_identities():
    result = parse_tables(document_from_text(_seed4_without({"3.危及“三安全一稳定”"})))
    got = [result.cells[f"requests.denied.three_safety.{c}"].value
           for c in ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")]
    assert got == [1, 0, 0, 0, 0, 0, 1]
    assert "按模板行序" in result.repairs["requests.denied.three_safety.total"]


def test_two_rows_without_labels_side_by_side_are_placed_in_the_templates_order():
    """Two printed rows whose labels were lost, between labelled rows that leave exactly two
    template rows unread: they are those two, in order (a PDF tool keeps the print order)."""
    result = parse_tables(document_from_text(_seed4_without({"3.危及“三安全一稳定”", "4.保护第三方合法权益"})))
    assert [result.cells[f"requests.denied.{row}.natural"].value for row in ("three_safety", "third_party")] == [1, 0]
    assert "按模板行序" in result.repairs["requests.denied.third_party.total"]
    assert result.cells["requests.denied.process.total"].value == 0


def test_rows_without_labels_stay_unread_when_the_template_leaves_more_rows_between():
    """Two label-less rows where three template rows are unread (a row left out as well):
    which two they are is not known, so neither is read."""
    text = _seed4_without({"3.危及“三安全一稳定”", "4.保护第三方合法权益"})
    lines = [ln for ln in text.split("\n") if "5.属于三类内部事务信息" not in ln.replace(" ", "")]
    result = parse_tables(document_from_text("\n".join(lines)))
    for row in ("three_safety", "third_party", "internal"):
        assert f"requests.denied.{row}.total" not in result.cells
    assert result.cells["requests.denied.process.total"].value == 0


def test_a_label_a_tool_cut_into_pieces_around_its_quotes_is_joined():
    """pdftotext -raw of a Word PDF: 3.危及"三安全一稳定" in five pieces over four lines."""
    text = ("三、收到和处理政府信息公开申请情况\n2. 其他法律行政法规禁止公开\n0 0 0 0 0 0 0\n"
            "3. “\n危及 三安全一稳\n”\n定\n1 0 0 0 0 0 1\n4. 保护第三方合法权益\n0 0 0 0 0 0 0\n"
            "四、政府信息公开行政复议、行政诉讼情况\n")
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[f"requests.denied.three_safety.{c}"].value for c in ("natural", "total")] == [1, 1]
    assert cells["requests.denied.third_party.total"].value == 0


def test_a_label_whose_last_words_wrapped_onto_the_next_line_keeps_its_values():
    """pdftotext -raw: 其他对外管理服务 / 事项 on two lines above the row's three numbers."""
    text = ("二、主动公开政府信息情况\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 13 1 2501\n"
            "其他对外管理服务\n事项\n4 0 7\n三、收到和处理政府信息公开申请情况\n")
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[f"active.other_services.{c}"].value for c in ("prev_items", "change", "decisions")] == [4, 0, 7]
    assert cells["active.licensing.decisions"].value == 2501


def test_a_repeated_column_header_is_no_total_row():
    """A PDF tool repeats the (garbled) column header above each group of table 3; its last
    cell 总计 is a column's, not the (七)总计 row's: the group's first values, printed above
    their label, are that label's, and the total row is read from its own line."""
    header = "| 类别数据1 | 数据2数据 | 3数据4数 | 据5数据6 | 总计 |"
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "| 本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
        "### (三) 不予公开", header, "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "1. 属于国家秘密", "2. 其他法律行政法规禁止公开", "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        "### (四) 无法提供", header, "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
        "1. 本机关不掌握相关政府信息",
        "(七)总计", "| 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        "四、政府信息公开行政复议、行政诉讼情况"])
    cells = parse_tables(document_from_text(text)).cells
    assert cells["requests.denied.state_secret.natural"].value == 1
    assert cells["requests.denied.law_prohibited.natural"].value == 2
    assert cells["requests.unavailable.not_held.total"].value == 3
    assert cells["requests.total.total"].value == 9


def test_labels_wrapped_around_their_values_with_no_blank_line_between_rows():
    """pdfplumber's text: an item's label wraps around the line of its values (the group's
    label beside them), and the next row follows on the next line with no blank line."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "5.要求行政机关确认或重",
        "0 1 0 0 0 0 1",
        "新出具已获取信息",
        "1.申请人无正当理由逾期",
        "(六) 其他处理 不补正、行政机关不再处 2 0 0 0 0 0 2",
        "理其政府信息公开申请",
        "2.申请人逾期未按收费通",
        "知要求缴纳费用、行政机",
        "3 0 0 0 0 0 3",
        "关不再处理其政府信息公",
        "开申请",
        "3.其他 0 0 0 0 0 4 4",
        "(七) 总计 5 1 0 0 0 4 10",
        "四、政府信息公开行政复议、行政诉讼情况"])
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[f"requests.rejected.confirm.{c}"].value for c in ("commercial", "total")] == [1, 1]
    assert [cells[f"requests.other.no_correction.{c}"].value for c in ("natural", "total")] == [2, 2]
    assert [cells[f"requests.other.no_fee.{c}"].value for c in ("natural", "total")] == [3, 3]
    assert cells["requests.other.other.total"].value == 4
    assert cells["requests.total.total"].value == 10


def test_a_wrapped_row_right_under_the_page_number_keeps_its_values():
    """pdftotext -layout: the page's foot line (- 2 -) sits right above a row whose label
    wraps around its values; the foot line is no piece of the label."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "                              -2-",
        "                   1. 申请人无正当理由逾期",
        "     (六) 其他处理      不补正、行政机关不再处      2     0    0    0    0   0    2",
        "                   理其政府信息公开申请",
        "",
        "     (七) 总计                                   2     0    0    0    0   0    2",
        "四、政府信息公开行政复议、行政诉讼情况"])
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[f"requests.other.no_correction.{c}"].value for c in ("natural", "total")] == [2, 2]
