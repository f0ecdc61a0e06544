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
