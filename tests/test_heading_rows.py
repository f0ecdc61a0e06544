"""A row's label printed over it as a row of its own with every cell empty (a group
heading a merged cell left blank, a converter's ``### 一、…`` line drawn into the table):
the figures of the row with the same label are read, not doubted as a second reading."""

from __future__ import annotations

from nlp.pipeline import document_from_text
from nlp.tables import parse_tables
from nlp.tables.review import IDS

T3 = "三、收到和处理政府信息公开申请情况\n"
COLS = "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
NEW = "| 一、本年新收政府信息公开申请数量 | 9 | 2 | 0 | 0 | 1 | 0 | 12 |\n"
HEADING = "| 一、本年新收政府信息公开申请数量 |  |  |  |  |  |  |  |\n"
NEXT = "四、政府信息公开行政复议、行政诉讼情况\n"


def _new_row(text: str) -> list:
    cells = parse_tables(document_from_text(text)).cells
    return [cells[f"requests.new.{c}"].value if f"requests.new.{c}" in cells else "unread"
            for c in ("natural", "commercial", "legal", "total")]


def test_a_heading_row_before_its_row_leaves_the_figures():
    assert _new_row(T3 + COLS + HEADING + NEW + NEXT) == [9, 2, 1, 12]


def test_a_heading_row_after_its_row_leaves_the_figures():
    assert _new_row(T3 + COLS + NEW + HEADING + NEXT) == [9, 2, 1, 12]


def test_two_rows_of_figures_for_one_label_are_still_doubted():
    other = NEW.replace("| 9 | 2 |", "| 8 | 3 |")
    result = parse_tables(document_from_text(T3 + COLS + NEW + other + NEXT))
    assert "requests.new.natural" not in result.cells
    assert "两处读到不同的值" in result.doubtful["requests.new.natural"]


def test_a_row_of_blanks_alone_is_read_blank():
    assert _new_row(T3 + COLS + HEADING + NEXT) == [None, None, None, None]


def test_table_four_as_one_small_table_per_group_under_heading_rows():
    groups = [("行政复议", [2, 1, 0, 0, 3]), ("行政诉讼（未经复议直接起诉）", [1, 0, 0, 1, 2]),
              ("行政诉讼（复议后起诉）", [0, 0, 1, 0, 1])]
    text = "四、政府信息公开行政复议、行政诉讼情况\n"
    for label, values in groups:
        text += (f"| {label} |  |  |  |  |\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
                 + "| " + " | ".join(map(str, values)) + " |\n")
    text += "五、存在的主要问题及改进情况\n"
    cells = parse_tables(document_from_text(text)).cells
    assert [cells[cid].value for cid in IDS] == [v for _label, values in groups for v in values]


def test_table_four_small_tables_under_garbled_group_headings_read_in_group_order():
    rows = [[2, 1, 0, 0, 3], [1, 0, 0, 1, 2], [0, 0, 1, 0, 1]]
    text = "四、政府信息公开行政复议、行政诉讼情况\n"
    for garbled, values in zip(["| ### 行 | 政复 | 议 |", "| ### 行 | 政诉讼(未 | 经复议直接 |",
                                "| ### 行 | 政诉讼(复 | 议后起诉) |"], rows):
        text += garbled + "\n| 结果维持结 | 果纠正其他 | 结果尚未审 | 结总计 |\n| " + " | ".join(map(str, values)) + " |\n"
    result = parse_tables(document_from_text(text + "五、存在的主要问题及改进情况\n"))
    assert [result.cells[cid].value for cid in IDS] == [v for values in rows for v in values]
    assert "按模板列序" in result.repairs["litigation.after_review.total"]
    wrong = text.replace("| 0 | 0 | 1 | 0 | 1 |", "| 0 | 0 | 1 | 0 | 4 |")  # a total no sum gives
    assert not any(cid in parse_tables(document_from_text(wrong)).cells for cid in IDS)
