"""Text-layout table detection on the five seeds and on small synthetic strings."""

from __future__ import annotations

import pytest

from conftest import SEEDS_DIR
from nlp.normalize.layout import find_tables


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")


# (seed, [(first line no. 1-based, last line no., row count)]) — regions read off the seeds by eye.
SEED_REGIONS = {
    "000": [(19, 32, 14), (36, 63, 28), (67, 70, 4)],
    "001": [(31, 102, 18), (107, 365, 26), (370, 411, 4)],
    "002": [(12, 54, 14), (58, 341, 28), (345, 397, 4)],
    "003": [(47, 60, 14), (64, 92, 28), (96, 99, 4)],
    "004": [(20, 62, 14), (67, 350, 28), (355, 396, 4)],
}


@pytest.mark.parametrize("seed", sorted(SEED_REGIONS))
def test_every_seed_table_region_found(seed):
    tables = find_tables(seed_lines(seed))
    got = [(t.line_start + 1, t.line_end, len(t.rows)) for t in tables]
    assert got == SEED_REGIONS[seed]
    assert all(t.source == "layout" for t in tables)


@pytest.mark.parametrize("seed", sorted(SEED_REGIONS))
def test_narrative_lines_never_in_tables(seed):
    lines = seed_lines(seed)
    inside = {i for t in find_tables(lines) for i in range(t.line_start, t.line_end)}
    for i, line in enumerate(lines):
        if "\t" not in line and line.strip():
            # Only continuation fragments of broken labels may sit inside a table untabbed.
            assert i not in inside or len(line.strip()) <= 12, (i + 1, line)
        if "。" in line and len(line) > 40:
            assert i not in inside


def test_seed000_request_row_has_seven_zeros():
    tables = find_tables(seed_lines("000"))
    row = next(r for r in tables[1].rows if r[0].startswith("一、本年新收"))
    assert row == ["一、本年新收政府信息公开申请数量", "", "0", "0", "0", "0", "0", "0", "0", ""]


def test_seed003_review_row_keeps_leading_empty_cells():
    tables = find_tables(seed_lines("003"))
    assert tables[2].rows[-1] == [""] * 5 + ["0"] * 10


def test_seed003_blank_line_inside_table_does_not_split_it():
    tables = find_tables(seed_lines("003"))
    labels = [r[1] if len(r) > 1 else "" for r in tables[1].rows]
    assert "(五) 不予处理" in labels and tables[1].line_end == 92


def test_seed001_broken_labels_joined_into_one_cell():
    rows = find_tables(seed_lines("001"))[0].rows
    assert rows[1] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert rows[-1] == ["政府集中采购", "4", "2954"]


def test_seed002_broken_applicant_and_review_labels():
    tables = find_tables(seed_lines("002"))
    assert tables[1].rows[2] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert tables[2].rows[1][:4] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert tables[2].rows[3] == ["0", "1", "0", "0", "1"] + ["0"] * 10


def test_seed001_nbsp_padded_cells_are_stripped():
    rows = find_tables(seed_lines("001"))[1].rows
    new = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert new[1:] == ["0"] * 7


def test_lone_tab_is_empty_cell_and_rows_split_on_blank_lines():
    lines = ["标题", "", "\t", "\t自然人", "\t总计", "", "\t一、本年新收", "\t3", "\t3", "", "下文。"]
    (t,) = find_tables(lines)
    assert t.rows == [["", "自然人", "总计"], ["一、本年新收", "3", "3"]]
    assert (t.line_start, t.line_end) == (2, 9)


def test_continuation_not_taken_from_heading_or_long_line():
    lines = ["\t信息内容", "\t规章", "", "\t规范性文件", "\t2", "五、存在的主要问题"]
    (t,) = find_tables(lines)
    assert t.rows[-1] == ["规范性文件", "2"] and t.line_end == 5


def test_pipe_rows_with_separator():
    lines = ["前言。", "| 信息内容 | 本年制发件数 |", "| --- | :---: |", "| 规章 | 0 |", "| 规范性文件 |  |", "后记。"]
    (t,) = find_tables(lines)
    assert t.rows == [["信息内容", "本年制发件数"], ["规章", "0"], ["规范性文件", ""]]
    assert (t.line_start, t.line_end) == (1, 5)


@pytest.mark.parametrize("lines", [
    ["一、总体情况", "2023年，共发布通知公告188条。", "二、主动公开政府信息情况"],
    ["\t2021年，我局认真贯彻落实条例，立足部门职能，健全组织机构，保障了政府信息公开工作依法、及时、准确、有序地开展。",
     "", "\t二是健全规章制度，建立健全了区卫健局信息公开工作制度，对信息公开遵循的原则、内容形式等作出具体规定。"],
    ["\t本年度无。", "", "\t特此报告。"],  # tab-indented short paragraphs: one cell per row is no table
    ["只有一行\t有制表符"],
    ["a | b 不是表格"],
])
def test_narrative_is_not_a_table(lines):
    assert find_tables(lines) == []


def test_tab_rows_need_two_rows():
    assert find_tables(["规章\t0\t0"]) == []
    assert len(find_tables(["规章\t0\t0", "规范性文件\t1\t1"])) == 1


def test_pipe_rows_without_outer_pipes_and_pipeless_one_cell_rows():
    lines = ["二、主动公开政府信息情况", "第二十条第(一)项", "信息内容|本年制发件数|现行有效件数", "规章| 0|3",
             "第二十条第(五)项", "信息内容 | 本年处理决定数量 |", "行政许可 | 24 |",
             "  3. 收到和处理政府信息公开申请情况", "(本列数据的勾稽关系为:…)|申请人情况", "一、本年新收政府信息公开申请数量|0|0"]
    t2, t3 = find_tables(lines)
    assert (t2.line_start, t2.line_end) == (1, 7)
    assert t2.rows == [["第二十条第(一)项"], ["信息内容", "本年制发件数", "现行有效件数"], ["规章", "0", "3"],
                       ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["行政许可", "24"]]
    assert (t3.line_start, t3.line_end) == (8, 10)  # the numbered heading bridges nothing


def test_sentence_with_pipe_is_not_a_table():
    lines = ["本机关通过网站|微信公众号等渠道发布信息二百条，比上年增长较多，群众满意度进一步提高，取得了明显成效。",
             "下一步，本机关将继续做好政务公开工作|不断提升公开质量，持续加强平台建设和制度建设，做到及时准确。"]
    assert find_tables(lines) == []


def test_realdev_gold_facts_never_inside_found_tables(realdev_path):
    """Measured on real reports (evaluation only): narrative facts must stay outside tables."""
    import bisect
    import json

    from nlp.pipeline import document_from_text

    checked = 0
    for line in realdev_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        doc = document_from_text(rec["text"], rec["id"])
        inside = {i for t in doc.tables for i in range(t.line_start, t.line_end)}
        starts = [ln.start for ln in doc.lines]
        for fact in rec.get("facts", []):
            j = bisect.bisect_left(doc.offset_map, fact["start"])
            assert bisect.bisect_right(starts, j) - 1 not in inside, (rec["id"], fact["text"])
            checked += 1
    assert checked > 0
