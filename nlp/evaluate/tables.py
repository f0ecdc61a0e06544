"""Table cell accuracy: gold ``record.table`` + ``missing_cells`` against predicted cells.

A gold cell is read correctly when the prediction has the same number for it (a gold
missing cell: when the prediction also calls it missing).  Predicted numbers for cells
the gold does not state are counted as ``spurious``.  Pure functions, dicts out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

from nlp.indicators import INDICATORS
from nlp.types import Cell, Record

__all__ = ["cell_scores", "evaluate_tables", "pred_values"]

_TABLES = {2: "table2", 3: "table3", 4: "table4"}


def _same(a: float | int, b: float | int) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def pred_values(record: Record) -> tuple[dict[str, float | int], set[str]]:
    """(numbers, missing ids) of a predicted record: ``cells`` when present, else ``table``."""
    if record.cells is not None:
        values = {k: c.value for k, c in record.cells.items() if c.value is not None}
        missing = {k for k, c in record.cells.items() if c.value is None}
    else:
        values, missing = dict(record.table), set()
    return values, missing | set(record.missing_cells)


def cell_scores(gold_table: Mapping[str, float | int], gold_missing: Iterable[str],
                pred: Mapping[str, Cell | float | int | None],
                pred_missing: Iterable[str] = ()) -> dict[str, dict[str, int]]:
    """Counts per table (``table2``…, ``all``): gold, correct, wrong, absent, spurious,
    extra_missing (reported blank where the gold says the document does not state the cell).

    >>> s = cell_scores({"review.total": 1, "review.upheld": 0}, ["review.other"],
    ...                 {"review.total": 1, "review.upheld": 2, "review.pending": 0}, ["review.other"])
    >>> s["table4"]["correct"], s["table4"]["wrong"], s["table4"]["spurious"]
    (2, 1, 1)
    """
    vals = {k: (v.value if isinstance(v, Cell) else v) for k, v in pred.items()}
    pmiss = set(pred_missing) | {k for k, v in vals.items() if v is None}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict(gold=0, correct=0, wrong=0, absent=0, spurious=0, extra_missing=0))
    gmiss = set(gold_missing)
    counts["all"]  # always present, even for a document without tables

    def bump(cid: str, what: str) -> None:
        ind = INDICATORS.get(cid)
        for key in (_TABLES.get(ind.table, "other") if ind else "other", "all"):
            counts[key][what] += 1

    for cid, gv in gold_table.items():
        bump(cid, "gold")
        pv = vals.get(cid)
        if pv is None:
            bump(cid, "absent")
        elif _same(gv, pv):
            bump(cid, "correct")
        else:
            bump(cid, "wrong")
    for cid in gmiss:
        bump(cid, "gold")
        if cid in pmiss and vals.get(cid) is None:
            bump(cid, "correct")
        elif vals.get(cid) is not None:
            bump(cid, "wrong")
        else:
            bump(cid, "absent")
    for cid, pv in vals.items():
        if pv is not None and cid not in gold_table and cid not in gmiss:
            bump(cid, "spurious")
    for cid in pmiss:  # called blank where the gold says the document does not state it
        if cid not in gold_table and cid not in gmiss:
            bump(cid, "extra_missing")
    return {k: dict(v) for k, v in counts.items()}


def evaluate_tables(gold: list[Record], pred: list[Record]) -> dict[str, object]:
    """Cell accuracy per table over records paired by ``id``, plus template accuracy.

    Returns ``{"table2": {..., "accuracy": float}, "table3": ..., "table4": ..., "all": ...,
    "template_accuracy": float, "documents": n, "perfect_documents": n}``.
    """
    by_id = {r.id: r for r in pred}
    total: dict[str, dict[str, int]] = defaultdict(
        lambda: dict(gold=0, correct=0, wrong=0, absent=0, spurious=0, extra_missing=0))
    templ_ok = docs = perfect = 0
    for g in gold:
        p = by_id.get(g.id)
        docs += 1
        if p is None or p.error is not None:
            values, missing = {}, set()
        else:
            values, missing = pred_values(p)
            templ_ok += int(p.template == g.template)
        s = cell_scores(g.table, g.missing_cells, values, missing)
        allc = s.get("all", {})
        perfect += int(allc.get("correct", 0) == allc.get("gold", 0) and not allc.get("spurious", 0))
        for k, c in s.items():
            for m, v in c.items():
                total[k][m] += v
    out: dict[str, object] = {}
    for k, c in total.items():
        c = dict(c)
        c["accuracy"] = c["correct"] / c["gold"] if c["gold"] else 1.0
        out[k] = c
    out["template_accuracy"] = templ_ok / docs if docs else 1.0
    out["documents"] = docs
    out["perfect_documents"] = perfect
    return out
