"""Tables whose header rows a PDF tool lost: table 4 left as one data row of 15 cells (or
15 numbers one per line) under the section's heading, read in template order when no
group total contradicts it; a table printed but not placed is said to be unreadable."""

from __future__ import annotations

import json

import pytest

from conftest import MODELS, SEED_GOLD, seed_paths
from nlp.corpus.render import blocks_from_document, render_txt
from nlp.pipeline import Pipeline, document_from_text
from nlp.reconcile.cells import unreadable_tables
from nlp.tables import parse_tables
from nlp.tables.review import IDS

GOLD = {r["id"]: r for r in map(json.loads, filter(str.strip, SEED_GOLD.read_text(encoding="utf-8").splitlines()))}
HEAD = "四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n"
NEXT = "\n五、存在的主要问题及改进情况\n一是宣传不够。\n"
ROW = [3, 1, 0, 1, 5, 2, 0, 0, 0, 2, 0, 0, 1, 0, 1]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.load(MODELS)


def headless_text(i: int) -> str:
    path = seed_paths()[i]
    return render_txt(blocks_from_document(document_from_text(path.read_text(encoding="utf-8"), str(path))), "headless")


@pytest.mark.parametrize("i", range(5))
def test_every_seed_table_four_cell_read_without_its_header(i):
    text = headless_text(i)
    assert "结果维持" not in text  # the header is gone
    result = parse_tables(document_from_text(text))
    gold = GOLD[f"seed-{i:03d}"]
    for cid in IDS:
        assert cid in result.cells
        assert result.cells[cid].value == gold["table"].get(cid)
    assert "按模板列序" in result.repairs["review.total"]


@pytest.mark.parametrize("row", ["| " + " | ".join(map(str, ROW)) + " |", "  ".join(map(str, ROW)),
                                 "\n".join(map(str, ROW))])
def test_a_lone_row_under_the_heading_is_read_in_template_order(row):
    result = parse_tables(document_from_text(HEAD + row + NEXT))
    assert [result.cells[cid].value for cid in IDS] == ROW


def test_a_row_its_group_totals_contradict_is_not_placed_but_said():
    wrong = ROW[:4] + [9] + ROW[5:]  # review's total is not the sum of its outcomes
    result = parse_tables(document_from_text(HEAD + "| " + " | ".join(map(str, wrong)) + " |" + NEXT))
    assert not any(cid in result.cells for cid in IDS)
    assert set(IDS) <= set(result.doubtful)
    assert "未能归位" in result.doubtful["review.total"]


def test_a_table_printed_but_unplaced_is_a_warning_not_a_clean_table(pipeline):
    text = headless_text(0).replace(" | ".join(["0"] * 15), " | ".join(map(str, ROW[:4] + [9] + ROW[5:])))
    record = pipeline.process_text(text, "headless")
    assert record.coverage.tables["4"].unreadable == 15
    assert [f.indicator for f in unreadable_tables(record)] == ["table4"]


def test_prose_instead_of_a_table_is_not_an_unreadable_table():
    text = "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生政府信息公开行政复议、行政诉讼。" + NEXT
    result = parse_tables(document_from_text(text))
    assert not result.doubtful and not result.cells


def test_a_truncated_text_ending_in_the_table_is_not_called_unreadable():
    result = parse_tables(document_from_text(HEAD + "| 1 | 2 | 3 | 9 "))
    assert not result.doubtful


def test_a_heading_with_the_tables_words_over_prose_is_no_table():
    """五、行政复议和行政诉讼情况 names table 4's groups; a sentence under it is no table to doubt."""
    text = ("五、行政复议和行政诉讼情况\n本年度，我局未收到有关政府信息公开的行政复议和行政诉讼。\n"
            "六、主要问题和改进措施\n一是宣传不够。\n")
    result = parse_tables(document_from_text(text))
    assert not result.doubtful and not result.cells
