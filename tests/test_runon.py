"""Cells run together with nothing between them: split only where one split fits (issue 18)."""

from __future__ import annotations

import pytest

from conftest import MODELS, seed_paths
from nlp.pipeline import Pipeline
from nlp.pipeline import document_from_text
from nlp.corpus.render import TableBlock, blocks_from_document, render_txt
from nlp.tables.runon import Piece, pieces_of, splits
from nlp.tables import parse_tables


def row_sum(cells):
    return sum(cells) if len(cells) == 6 and None not in cells else None


# ---------------------------------------------------------------- the enumeration
def test_a_split_is_unique_or_not_given():
    assert splits([Piece(run="0000000")], 7) == [(0,) * 7]
    assert len(splits([Piece(run="77132470")], 3)) == 2  # many cuts: no answer
    assert splits([Piece(run="77132470")], 3, limit=100)[:1] == [(7, 7, 132470)]
    assert (77, 132, 470) in splits([Piece(run="77132470")], 3, limit=100)


def test_no_cell_starts_with_a_zero():
    assert splits([Piece(run="105")], 2, limit=10) == [(10, 5)]  # 1 | 05: "05" is no cell
    assert splits([Piece(run="00")], 3) == []


def test_the_row_total_fixes_the_split():
    assert splits([Piece(run="801000081")], 7, row_sum, limit=10) == [(80, 1, 0, 0, 0, 0, 81)]
    assert splits([Piece(run="110000011")], 7, row_sum, limit=10) == [(1, 10, 0, 0, 0, 0, 11),
                                                                       (11, 0, 0, 0, 0, 0, 11)]


def test_blank_marks_are_cells_of_their_own():
    assert pieces_of("12/3") == [Piece(run="12"), Piece(), Piece(run="3")]
    assert splits(pieces_of("0/12"), 3, limit=5) == [(0, None, 12)]


# ---------------------------------------------------------------- in a report
T3 = {  # row label start -> the row's seven cells
    "一、本年新收": [1, 10, 0, 0, 0, 0, 11],  # 110000011: 1|10 or 11|0 under its own row sum
    "(一) 予以公开": [1, 5, 0, 0, 0, 0, 6],
    "(七) 总计": [1, 5, 0, 0, 0, 0, 6],
    "四、结转下年度": [0, 5, 0, 0, 0, 0, 5],
}


def seed000_with(t3: dict[str, list[int]], t2: dict[str, list[int]] | None = None) -> str:
    """Seed 000 with some table cells changed, as a one-line dump with cells run together."""
    path = seed_paths()[0]
    blocks = blocks_from_document(document_from_text(path.read_text(encoding="utf-8"), str(path)))
    for block in blocks:
        if not isinstance(block, TableBlock):
            continue
        for row in block.rows:
            numbers = [k for k, c in enumerate(row) if c.strip().isdigit()]
            for key, values in {**t3, **(t2 or {})}.items():
                if any(c.replace(" ", "").startswith(key.replace(" ", "")) for c in row):
                    for k, v in zip(numbers[-len(values):], values):
                        row[k] = str(v)
    return render_txt(blocks, "oneline_runon")


def test_column_identities_settle_a_row_its_row_sum_leaves_open():
    result = parse_tables(document_from_text(seed000_with(T3)))
    got = [result.cells[f"requests.new.{c}"].value
           for c in ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")]
    assert got == T3["一、本年新收"]  # 1 + 0 = 1 + 0 (一 + 二 = (七) + 四): 11 | 0 would break it
    assert "列勾稽关系" in result.repairs["requests.new.natural"]
    assert result.cells["requests.total.total"].value == 6


def test_a_row_no_constraint_settles_stays_unread_never_guessed():
    text = seed000_with({}, {"行政规范性文件": [77, 132, 470]})
    result = parse_tables(document_from_text(text))
    for col in ("issued", "repealed", "in_force"):
        assert f"active.normative.{col}" not in result.cells
        assert "无法唯一拆分" in result.doubtful[f"active.normative.{col}"]
    assert result.cells["active.rules.issued"].value == 0


def test_broken_row_arithmetic_keeps_the_only_split_and_is_reported():
    """1 | 0 | 0 | 0 | 0 | 0 | 3 breaks 总计 = 自然人 + …, but seven digits make seven cells."""
    pipe = Pipeline.load(MODELS)
    broken = {"一、本年新收": [1, 0, 0, 0, 0, 0, 3], "(一) 予以公开": [1, 0, 0, 0, 0, 0, 3],
              "(七) 总计": [1, 0, 0, 0, 0, 0, 3]}
    rec = pipe.process_text(seed000_with(broken), "broken")
    assert rec.table["requests.new.total"] == 3 and rec.table["requests.new.natural"] == 1
    violations = {f.indicator for f in rec.findings if f.type == "identity_violation"}
    assert "requests.new.total" in violations
    assert not [f for f in rec.findings if f.type in ("missing_cell", "table_unreadable")]


@pytest.mark.parametrize("value", ["2332", "0"])
def test_a_one_cell_row_needs_no_separator(value):
    text = seed000_with({}, {"行政许可": [int(value)]})
    assert parse_tables(document_from_text(text)).cells["active.licensing.decisions"].value == int(value)


def test_narrative_figures_naming_every_cell_pick_the_split():
    """77132470 splits many ways; a sentence naming the row and printing 77, 132 and 470
    leaves one."""
    text = seed000_with({}, {"行政规范性文件": [77, 132, 470]})
    said = text.replace("一、总体情况", "一、总体情况 本年制发行政规范性文件77件,废止132件,现行有效470件。", 1)
    result = parse_tables(document_from_text(said))
    assert [result.cells[f"active.normative.{c}"].value for c in ("issued", "repealed", "in_force")] == [77, 132, 470]
    assert "叙述" in result.repairs["active.normative.issued"]
    partly = text.replace("一、总体情况", "一、总体情况 本年制发行政规范性文件77件。", 1)
    assert "active.normative.issued" not in parse_tables(document_from_text(partly)).cells  # one figure: not enough


def test_rows_open_together_stay_unread_when_every_pairing_fits():
    """Three rows, each 1 | 10 or 11 | 0 under its own sum; both readings satisfy every
    column identity together, so none is read."""
    rows = dict(T3)
    rows["(一) 予以公开"] = [1, 10, 0, 0, 0, 0, 11]
    rows["(七) 总计"] = [1, 10, 0, 0, 0, 0, 11]
    rows["四、结转下年度"] = [0, 0, 0, 0, 0, 0, 0]
    result = parse_tables(document_from_text(seed000_with(rows)))
    for row in ("new", "granted", "total"):
        assert f"requests.{row}.commercial" not in result.cells
        assert "种拆法" in result.doubtful[f"requests.{row}.commercial"]
    assert result.cells["requests.partial.total"].value == 0
