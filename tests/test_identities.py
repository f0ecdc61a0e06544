"""Identity checks: the seeds are consistent, and any single changed table-3/4 cell is caught."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import seed_paths
from nlp.identities import check_identities, label_of
from nlp.indicators import INDICATORS, identities_for
from nlp.tables import parse_tables
from nlp.types import Cell, Document

SEEDS = {p.name[:3]: p for p in seed_paths()}


def _doc(path) -> Document:
    from nlp.pipeline import document_from_text

    return document_from_text(path.read_text(encoding="utf-8"), str(path))


_PARSED: dict = {}


def parsed(key: str):
    if key not in _PARSED:
        _PARSED[key] = parse_tables(_doc(SEEDS[key]))
    return _PARSED[key]


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seeds_are_consistent(key):
    res = parsed(key)
    found = check_identities(res.cells, res.template, missing=res.missing_cells)
    assert not [f for f in found if f.type == "identity_violation"]
    blanks = sorted(f.indicator for f in found if f.type == "missing_cell")
    expected = sorted(f"review.{o}" for o in ("upheld", "corrected", "other", "pending", "total"))
    assert blanks == (expected if key == "003" else [])
    assert all(f.severity == "warning" for f in found)


def test_identities_cover_every_table34_cell():
    for template in ("2021", "2019"):
        covered = {i for ident in identities_for(template) for i in ident.lhs + ident.rhs}
        ids = [i for i, ind in INDICATORS.items() if ind.table in (3, 4) and template in ind.templates]
        assert set(ids) <= covered, set(ids) - covered


def test_message_shows_the_arithmetic():
    cells = {f"requests.{r}.natural": v for r, v in
             (("new", 3), ("carried_over", 0), ("total", 2), ("carried_forward", 0))}
    found = [f for f in check_identities(cells, "2021") if f.type == "identity_violation"]
    assert len(found) == 1
    f = found[0]
    assert f.message == "本年新收 3 + 上年结转 0 ≠ 总计 2 + 结转下年 0 (表三 自然人列)"
    assert f.severity == "error" and f.indicator == "requests.new.natural" and f.table_value == 3
    assert set(f.cells) == set(cells)


def test_missing_cell_skips_identity_and_is_reported_once():
    cells = {f"{g}.{o}": Cell(0, "0", 5) for g in ("review", "litigation.direct", "litigation.after_review")
             for o in ("upheld", "corrected", "other", "pending", "total")}
    cells["review.total"] = Cell(None, "", 5)
    out = check_identities(cells, "2021")
    assert [(f.type, f.indicator, f.severity) for f in out] == [("missing_cell", "review.total", "warning")]
    assert "行政复议" in out[0].message


def test_accepts_plain_numbers_and_cells_alike():
    nums = {k: c.value for k, c in parsed("004").cells.items()}
    assert check_identities(nums, "2021") == check_identities(parsed("004").cells, "2021")


def test_label_names_row_and_column():
    assert label_of("requests.rejected.duplicate.legal") == "表三 不予处理·重复申请 / 法律服务机构"
    assert label_of("litigation.after_review.pending") == "表四 复议后起诉 / 尚未审结"


def _mutable_ids(key: str) -> list[str]:
    res = parsed(key)
    return sorted(k for k, c in res.cells.items()
                  if INDICATORS[k].table in (3, 4) and c.value is not None)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_single_changed_cell_is_caught(data):
    key = data.draw(st.sampled_from(sorted(SEEDS)), label="seed")
    res = parsed(key)
    cid = data.draw(st.sampled_from(_mutable_ids(key)), label="cell")
    delta = data.draw(st.integers(min_value=-50, max_value=50).filter(lambda d: d != 0), label="delta")
    cells = dict(res.cells)
    old = cells[cid]
    cells[cid] = Cell(old.value + delta, str(old.value + delta), old.line)
    found = [f for f in check_identities(cells, res.template) if f.type == "identity_violation"]
    assert found, (key, cid, delta)
    assert any(cid in f.cells for f in found)
    ind = INDICATORS[cid]
    # the message names the changed cell's row or column (what a reviewer looks for)
    names = {ind.column.split("（")[0], ind.row.split("（")[0].lstrip("一二三四、").split("、")[-1]}
    assert any(any(n[-4:] in f.message for n in names if n) for f in found), [f.message for f in found]


def test_mutation_through_the_text_is_caught():
    """Change one number in the seed text itself: parse + check flags that cell."""
    path = SEEDS["004"]
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if "3.危及" in ln) + 1  # first value (自然人) of that row
    assert lines[i] == "\t1"
    lines[i] = "\t4"
    from nlp.types import lines_of as _lo
    t2 = "\n".join(lines)
    res = parse_tables(Document("x", "txt", t2, _lo(t2)))
    bad = [f for f in check_identities(res.cells, res.template, missing=res.missing_cells)
           if f.type == "identity_violation"]
    assert any("requests.denied.three_safety.natural" in f.cells for f in bad)
    assert any("危及" in (f.message or "") for f in bad)
