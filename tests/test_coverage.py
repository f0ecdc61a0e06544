"""Honest coverage: what a record read, what it saw blank, what it could not read (issue 18)."""

from __future__ import annotations

import pytest

from conftest import MODELS, seed_paths
from nlp.pipeline import Pipeline
from nlp.pipeline import document_from_text
from nlp.corpus.render import TableBlock, blocks_from_document, render_txt
from nlp.types import Coverage, Record, TableCoverage


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.load(MODELS)


def _blocks(i: int):
    path = seed_paths()[i]
    return blocks_from_document(document_from_text(path.read_text(encoding="utf-8"), str(path)))


def test_every_record_counts_its_cells(pipe):
    rec = pipe.process(seed_paths()[3])
    cov = rec.coverage
    assert set(cov.tables) == {"2", "3", "4"}
    for t in cov.tables.values():
        assert t.template == t.read + t.blank + t.unread
    assert cov.tables["4"] == TableCoverage(15, read=10, blank=5, unread=0, unreadable=0)
    assert cov.tables["3"].read == cov.tables["3"].template
    assert cov.facts == len(rec.facts) and "overview" in cov.sections and "requests" in cov.sections
    assert sorted(rec.missing_cells) == sorted(f"review.{o}" for o in ("upheld", "corrected", "other", "pending", "total"))


def test_cells_not_located_are_unread_with_one_finding_per_table(pipe):
    """Run together, seed 001's 行政许可 1312501 and 行政处罚 1811218 split many ways."""
    rec = pipe.process_text(render_txt(_blocks(1), "oneline_runon"), "runon-001")
    assert rec.coverage.tables["2"].unread == rec.coverage.tables["2"].unreadable == 8
    assert not [f for f in rec.findings if f.type == "missing_cell"]
    (finding,) = [f for f in rec.findings if f.type == "table_unreadable"]
    assert finding.indicator == "table2" and finding.severity == "warning"
    assert "8" in finding.message and "cells could not be read" in finding.message
    assert "active.licensing.decisions" not in rec.missing_cells and "active.licensing.decisions" not in rec.table


def test_a_row_that_cannot_be_placed_is_unread_not_blank(pipe):
    """Two numbers under a one-cell row: which is the cell is not known, so neither is read."""
    blocks = _blocks(2)
    for block in blocks:
        if isinstance(block, TableBlock):
            for row in block.rows:
                if any(c.startswith("行政处罚") for c in row):
                    row[:] = [c for c in row if c.strip()] + ["7"]  # two numbers for one cell
    rec = pipe.process_text(render_txt(blocks, "cells"), "dropped")
    assert "active.penalty.decisions" not in rec.table
    assert "active.penalty.decisions" not in rec.missing_cells
    assert [f.indicator for f in rec.findings if f.type == "table_unreadable"] == ["table2"]
    assert not [f for f in rec.findings if f.type == "missing_cell"]


def test_a_truncated_download_has_no_blank_cells(pipe):
    text = seed_paths()[4].read_text(encoding="utf-8")
    rec = pipe.process_text(text[:text.index("3.危及“三安全一稳定”")], "cut")
    assert rec.missing_cells == []
    assert rec.coverage.tables["3"].unread > 0 and rec.coverage.tables["4"].read == 0


def _pipe_cells_table3(rows: list[tuple[str, list[str]]], cut_label: str) -> str:
    """A report's table 3 one cell a line, each ended by a pipe (a page's table copied
    out), the text cut inside the label of the row after ``rows``."""
    head = ["信川县林业局2023年政府信息公开工作年度报告", "一、总体情况", "全年主动公开政府信息40条。",
            "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） |",
            "申请人情况 |", "自然人 |", "法人或其他组织 |", "总计 |", "商业企业 |", "科研机构 |", "社会公益组织 |",
            "法律服务机构 |", "其他 |"]
    body = [line for label, cells in rows for line in (f"{label} |", *(f"{c} |" if c else "|" for c in cells))]
    return "\n".join(head + body + [cut_label])


def test_blanks_before_a_row_label_the_text_is_cut_inside_are_blank(pipe):
    """A row printed blank, then the next row's label cut short (…⏎(二)部分公): the label
    says the blank row was printed whole — its blanks are blank, nothing is unreadable."""
    blank_row = ["", "", "", "", "", "", ""]
    text = _pipe_cells_table3([("一、本年新收政府信息公开申请数量", ["", "", "", "", "", "", "0"]),
                               ("二、上年结转政府信息公开申请数量", ["", "", "", "", "", "", "0"]),
                               ("三、本年度办理结果", []), ("（一）予以公开", blank_row)], "（二）部分公")
    rec = pipe.process_text(text, "cut-in-label")
    assert "requests.granted.total" in rec.missing_cells
    assert rec.coverage.tables["3"].unreadable == 0
    assert not [f for f in rec.findings if f.type == "table_unreadable"]
    # cut inside the blank row itself, its last blanks may be cells cut off: not said blank
    cut = pipe.process_text(text[:text.index("（一）予以公开 |") + len("（一）予以公开 |")] + "\n|\n|\n|", "cut-in-row")
    assert "requests.granted.total" not in cut.missing_cells and "requests.granted.other_org" not in cut.missing_cells


@pytest.mark.parametrize("last", ["打印本页 关闭窗口", "【打印】【关闭】", "展开阅读全文"])
def test_a_pages_furniture_after_a_cut_row_says_nothing_of_its_blanks(pipe, last):
    """A row a line, cut inside its blank cells (3 of 7), then the page's furniture or a
    fold's "read more": where the download cut the row is not known — its blanks are unread,
    never blank cells the agency left (a false missing_cell against the report)."""
    text = "\n".join(["信川县林业局2023年政府信息公开工作年度报告", "一、总体情况", "全年主动公开政府信息40条。",
                      "三、收到和处理政府信息公开申请情况",
                      "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和 | 申请人情况 | | | | | | |",
                      "| 自然人 | 法人或其他组织 | | | | | 总计 |",
                      "| | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
                      "一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
                      "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                      "三、本年度办理结果 | （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
                      "| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | | | |", last])
    rec = pipe.process_text(text, "furniture")
    assert not [c for c in rec.missing_cells if c.startswith("requests.partial.")]
    assert not [f for f in rec.findings if f.type == "missing_cell"]


def test_blanks_before_a_groups_label_the_text_is_cut_inside_are_blank(pipe):
    """The label the text ends inside may be a group's ((三)不予公开 over its reasons) or a
    numbered reason's (1.属于国家秘): the blank row before it was printed whole."""
    rows = [("一、本年新收政府信息公开申请数量", ["", "", "", "", "", "", "0"]),
            ("二、上年结转政府信息公开申请数量", ["", "", "", "", "", "", "0"]), ("三、本年度办理结果", []),
            ("（一）予以公开", [""] * 7), ("（二）部分公开", [""] * 7)]
    for last in ("（三）不予公", "（三）不予公开 |\n1.属于国家秘"):
        rec = pipe.process_text(_pipe_cells_table3(rows, last), "group-label")
        assert "requests.partial.total" in rec.missing_cells, last
        assert not [f for f in rec.findings if f.type == "table_unreadable"], last


def test_a_document_with_nothing_read_says_so(pipe):
    rec = pipe.process_text("首页 > 政务公开\n本页面暂无内容。", "empty")
    assert all(t.read == 0 and t.unread == t.template for t in rec.coverage.tables.values())
    assert rec.coverage.facts == 0


def test_coverage_round_trips_and_old_records_have_none():
    cov = Coverage({"2": TableCoverage(10, 9, 0, 1, 1)}, ["overview"], 3)
    rec = Record(id="x", coverage=cov)
    data = rec.to_dict()
    assert data["coverage"] == {"tables": {"2": {"template": 10, "read": 9, "blank": 0, "unread": 1,
                                                 "unreadable": 1}}, "sections": ["overview"], "facts": 3}
    assert Record.from_json(rec.to_json()).coverage == cov
    del data["coverage"]
    assert Record.from_dict(data).coverage is None
    assert "coverage" not in Record(id="y").to_dict()


OLD_TABLE = "\n".join([  # a report of 2016 with the statistics table of those years (written for this test)
    "信川县民政局2016年政府信息公开工作年度报告",
    "本报告根据《中华人民共和国政府信息公开条例》要求编制。",
    "一、概述",
    "2016年，我局认真贯彻《条例》，全年主动公开政府信息126条。",
    "二、主动公开政府信息情况",
    "全年主动公开政府信息126条，其中规范性文件2件。",
    "三、依申请公开政府信息情况",
    "全年共受理政府信息公开申请5件，全部按时答复。",
    "四、政府信息公开的收费及减免情况",
    "未收取任何费用。",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
    "六、政府信息公开工作存在的主要问题及改进情况",
    "信息公开的及时性有待提高。",
    "附表：政府信息公开情况统计表",
    "统 计 指 标\t单位\t统计数",
    "一、主动公开情况\t—\t—",
    "（一）主动公开政府信息数\t条\t126",
    "其中：主动公开规范性文件数\t条\t2",
    "制发规范性文件总数\t件\t2",
    "（二）通过不同渠道和方式公开政府信息的情况\t—\t—",
    "1.政府公报公开政府信息数\t条\t0",
    "2.政府网站公开政府信息数\t条\t120",
    "3.政务微博公开政府信息数\t条\t6",
    "二、回应解读情况\t—\t—",
    "（一）回应公众关注热点或重大舆情数\t次\t0",
    "三、依申请公开情况\t—\t—",
    "（一）收到申请数\t件\t5",
    "1.当面申请数\t件\t1",
    "2.传真申请数\t件\t0",
    "3.网络申请数\t件\t4",
    "4.信函申请数\t件\t0",
    "（二）申请办结数\t件\t5",
    "1.按时办结数\t件\t5",
    "2.延期办结数\t件\t0",
    "（三）申请答复数\t件\t5",
    "1.属于已主动公开范围数\t件\t1",
    "2.同意公开答复数\t件\t3",
    "3.同意部分公开答复数\t件\t0",
    "4.不同意公开答复数\t件\t1",
    "其中：涉及国家秘密\t件\t0",
    "涉及商业秘密\t件\t0",
    "涉及个人隐私\t件\t0",
    "危及国家安全、公共安全、经济安全和社会稳定\t件\t0",
    "不是《条例》所指政府信息\t件\t1",
    "法律法规规定的其他情形\t件\t0",
    "5.不属于本行政机关公开数\t件\t0",
    "6.申请信息不存在数\t件\t0",
    "7.告知作出更改补充数\t件\t0",
    "8.告知通过其他途径办理数\t件\t0",
    "四、行政复议数量\t件\t0",
    "（一）维持具体行政行为数\t件\t0",
    "（二）被依法纠错数\t件\t0",
    "（三）其他情形数\t件\t0",
    "五、行政诉讼数量\t件\t0",
    "（一）维持具体行政行为或者驳回原告诉讼请求数\t件\t0",
    "（二）被依法纠错数\t件\t0",
    "（三）其他情形数\t件\t0",
    "六、举报投诉数量\t件\t0",
    "七、依申请公开信息收取的费用\t万元\t0"])


def test_a_report_before_the_templates_is_said_once_not_warned_per_table(pipe):
    """A 2016 report prints a statistics table of its own: not a template table read badly.
    The same table under a 2021 report's title is doubted table by table, as before."""
    rec = pipe.process_text(OLD_TABLE, "old")
    assert rec.year == 2016 and not rec.table
    (finding,) = [f for f in rec.findings if f.type == "table_unreadable"]
    assert finding.severity == "info" and "2016" in finding.message
    later = pipe.process_text(OLD_TABLE.replace("2016", "2022"), "later")
    assert {f.severity for f in later.findings if f.type == "table_unreadable"} == {"warning"}


def test_a_printed_blank_mark_in_a_cut_text_is_a_blank(pipe):
    """A download cut inside table 3 whose cells print ``/``: the marks are blanks (the page
    says so), while the empty places a cut may have made are not; table 2, followed by
    table 3, is printed whole, so its blanks after its last number are blanks too."""
    text = seed_paths()[4].read_text(encoding="utf-8")
    text = text[:text.index("3.危及“三安全一稳定”")]
    lines = text.split("\n")
    for label, n in (("\t行政强制", 1), ("\t行政事业性收费", 1), ("\t1.属于国家秘密", 7)):
        at = lines.index(label) + 1
        assert lines[at:at + n] == ["\t0"] * n  # one cell a line (seed 004's layout)
        lines[at:at + n] = ["\t/"] * n
    marked = "\n".join(lines)
    rec = pipe.process_text(marked, "cut-marked")
    assert {"active.coercion.decisions", "active.fees.amount"} <= set(rec.missing_cells)
    assert "requests.denied.state_secret.total" in rec.missing_cells
    assert rec.coverage.tables["3"].unread > 0  # the rows past the cut are unread, not blank


def test_a_table_printed_with_labels_and_no_value_is_said_unreadable(pipe):
    """A page that kept a table's labels and lost its figures (images, a scrape): the table
    is printed, its cells unread — never a report with no table 2, and never clean."""
    lines = ["某局2022年政府信息公开工作年度报告", "一、总体情况", "全年主动公开信息20条。",
             "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数",
             "现行有效件数", "规章", "行政规范性文件", "第二十条第（五）项", "信息内容", "本年处理决定数量",
             "行政许可", "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "行政强制",
             "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费",
             "三、收到和处理政府信息公开申请情况", "全年未收到政府信息公开申请。",
             "五、存在的主要问题及改进情况", "无。"]
    rec = pipe.process_text("\n".join(lines) + "\n", "labels-only")
    (finding,) = [f for f in rec.findings if f.type == "table_unreadable" and f.indicator == "table2"]
    assert finding.severity == "warning" and "未能读取" in finding.message
    # (part 三 prints no table, only that no request came: a table left out, said as info)
    assert [(f.indicator, f.severity) for f in rec.findings if f.type == "table_unreadable" and "未列出" in f.message] \
        == [("table3", "info")]
    assert rec.coverage.tables["2"].unreadable == rec.coverage.tables["2"].template
    assert not [f for f in rec.findings if f.type == "missing_cell"]


def test_a_table_printed_all_blank_in_a_cut_text_is_blank_and_said_so_once(pipe):
    """Some agencies leave a table blank: rows printed with their separators and no figure,
    the page's text cut after them.  A row the text goes on past (a later row, or the next
    part's header 第二十条第(六)项) was not cut, so its cells are blanks (missing_cells),
    said in one finding that names only cells the record lists blank; the rows the cut left
    out are unread, which no finding calls unreadable."""
    rows = ["规章 | |||", "规范性文件 | |||", "第二十条第(五)项 | |||",
            "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |", "行政许可 | |||", "其他对外管理服务事项 | |||"]
    text = "\n".join(["某局2019年政府信息公开工作年度报告", "一、总体情况", "全年主动公开信息54条。",
                      "二、主动公开政府信息情况", "第二十条第(一)项 | |||",
                      "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |", *rows, "第二十条第(六)项 | ||"])
    rec = pipe.process_text(text, "all-blank")
    assert {"active.rules.made", "active.normative.total_published", "active.licensing.prev_items",
            "active.other_services.decisions"} <= set(rec.missing_cells)
    assert "active.penalty.decisions" not in rec.missing_cells  # after the cut
    assert rec.coverage.tables["2"].unreadable == 0 and rec.coverage.tables["2"].unread > 0
    missing = [f.indicator for f in rec.findings if f.type == "missing_cell"]
    assert len(missing) == 1 and set(missing) <= set(rec.missing_cells)
    assert not [f for f in rec.findings if f.type == "table_unreadable"]
    # the last row cut inside its separators may have lost cells: not said blank
    cut = pipe.process_text(text[:text.rindex("\n第二十条第(六)项")][:-2], "all-blank-cut")
    assert "active.other_services.decisions" not in cut.missing_cells


def _without_tables(i: int, keep: set[int], placeholder: str) -> str:
    """Seed ``i`` as text with its template tables but ``keep`` replaced by ``placeholder``
    (a converter's [TABLE], a picture's caption): every part and heading still there."""
    path = seed_paths()[i]
    doc = document_from_text(path.read_text(encoding="utf-8"), str(path))
    lines = doc.text.split("\n")
    for table in sorted(doc.tables, key=lambda t: -t.line_start):
        words = "".join(c for row in table.rows for c in row)
        key = 4 if "行政复议" in words else 3 if "自然人" in words or "申请人" in words else 2
        if key not in keep:
            lines[table.line_start:table.line_end] = [placeholder]
    return "\n".join(lines)


def test_a_table_missing_from_its_whole_part_is_said_not_found(pipe):
    """pandoc writes [TABLE] where it could not write a table; a web page may show a table as
    a picture. Not one cell of it is located, yet the report goes on past its part: its cells
    are unread, one table_unreadable warning says the table was not found (the record was
    called clean before, its table 2 read)."""
    rec = pipe.process_text(_without_tables(0, keep={2}, placeholder="[TABLE]"), "placeholder")
    assert rec.coverage.tables["2"].read == 10
    found = {f.indicator: f for f in rec.findings if f.type == "table_unreadable"}
    assert set(found) == {"table3", "table4"}
    assert all(f.severity == "warning" and "not found" in f.message and "未找到" in f.message for f in found.values())
    assert "175" in found["table3"].message and "15" in found["table4"].message
    from nlp.report import outcome_of
    assert outcome_of(rec.to_dict()).status == "warning"


def test_a_table_cut_off_with_its_part_or_before_the_templates_is_not_called_missing(pipe):
    """An opening cut inside part 三 may have lost its table with the rest of the text; a
    report of a year before the templates printed no template table: neither is 'not found'."""
    text = _without_tables(4, keep={2}, placeholder="[TABLE]")
    cut = pipe.process_text(text[:text.index("四、")], "cut")
    assert "requests" in cut.coverage.sections
    assert not [f for f in cut.findings if f.type == "table_unreadable" and f.indicator == "table3"]
    old = text.replace("2023年", "2017年")
    assert not [f for f in pipe.process_text(old, "old").findings
                if f.type == "table_unreadable" and "未找到" in f.message]


def test_a_table_its_part_says_there_was_none_for_is_said_left_out_as_info(pipe):
    """三、… 本年度未收到政府信息公开申请。 and no table 3: a table left out, not lost — one
    info naming it; the same claim in the overview leaves part 三's missing table a warning."""
    text = _without_tables(0, keep={2, 4}, placeholder="本年度未收到政府信息公开申请。")
    rec = pipe.process_text(text, "none-asked")
    (said,) = [f for f in rec.findings if f.type == "table_unreadable"]
    assert said.indicator == "table3" and said.severity == "info" and "未列出" in said.message
    elsewhere = pipe.process_text(_without_tables(0, keep={2, 4}, placeholder="[TABLE]"), "lost")
    (lost,) = [f for f in elsewhere.findings if f.type == "table_unreadable"]
    assert lost.severity == "warning" and "未找到" in lost.message  # (seed 000's overview: 未收到依申请公开的信息)


def test_a_page_cut_after_a_parts_heading_with_its_furniture_after_is_no_table_lost(pipe, tmp_path):
    """An opening cut right after 三、's heading, a converter's Markdown keeping the page's
    wrappers (</div>) and its share bar after it: no later part is printed, so table 三 is
    not called lost (the furniture was read as a later part's text, and 表三未找到 said)."""
    text = seed_paths()[0].read_text(encoding="utf-8")
    cut = text[:text.index("三、收到和处理政府信息公开申请情况")] + "三、收到和处理政府信息公开申请情况\n\n"
    page = tmp_path / "cut.md"
    page.write_text(cut + '</div>\n\n</div>\n<div class="share">\n\n分享到：微信 微博 [【打印本页】](javascript:window.print()) '
                    "[【关闭窗口】](javascript:window.close())\n\n</div>\n", encoding="utf-8")
    rec = pipe.process(str(page), "cut")
    assert "requests" in rec.coverage.sections
    assert not [f for f in rec.findings if f.type == "table_unreadable" and f.indicator == "table3"]
    assert "</div>" not in rec.text


def test_a_table_is_lost_only_when_a_later_parts_heading_follows():
    """Text read as a later part's (a page's furniture after a cut opening) is no later part:
    only a later part's heading says the report went on past the table's."""
    from nlp.reconcile.cells import _not_found
    from nlp.types import Line

    text = "三、收到和处理政府信息公开申请情况\n分享到：微信 微博\n四、政府信息公开行政复议、行政诉讼情况"
    lines = [Line(0, 17, "requests", True), Line(18, 27, "other", False), Line(28, 47, "review", True)]
    table = TableCoverage(175, read=0, blank=0, unread=175, unreadable=0)
    furniture = Record(id="r", text=text, year=2023, template="2021", lines=lines[:2])
    assert not _not_found(furniture, "3", table, ["requests", "other"])
    went_on = Record(id="r", text=text, year=2023, template="2021", lines=lines)
    assert _not_found(went_on, "3", table, ["requests", "other", "review"])
