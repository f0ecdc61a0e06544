"""Table 2 (二、主动公开政府信息情况): documents, licensing, penalties, enforcement, fees.

Its rows differ between the templates (the registry's ``table2`` per template lists each
row's cells); a row's numbers follow its label in the template's column order.
"""

from __future__ import annotations

from itertools import combinations

from nlp.indicators import INDICATORS, registry
from nlp.tables.grid import match_labels, t2_cands
from nlp.tables.rows import (NOTES, Reader, alone, fit_row, float_labels, lead_for, learn_leads,
                             value_runs, values_after)
from nlp.tables.runrows import has_run, put_run_row
from nlp.tables.tokens import Tok

__all__ = ["read"]


def read(toks: list[Tok], template: str, rd: Reader, cut: bool = False) -> None:
    """Read table 2's tokens onto ``active.*`` ids (``cut``: the text ends inside it)."""
    spec = _t2_rows(template)
    toks = float_labels(match_labels(toks, t2_cands(template)), rd, lambda row: len(spec[row]), "active")
    rows_n = {i: len(spec[t.cand.id]) for i, t in enumerate(toks)
              if t.cand is not None and t.cand.kind == "row"}
    runs = value_runs(toks, rows_n)
    leads = learn_leads(toks, rows_n, runs)
    header: list[str] = []
    cur_cols: list[str] = []
    for i, t in enumerate(toks):
        if t.cand is None:
            continue
        if t.cand.kind == "col":
            header.append(t.cand.id)
            continue
        if t.cand.kind != "row":
            continue
        if header:
            cur_cols, header = header, []
        _read_row(toks, i, runs[i], spec[t.cand.id], cur_cols, template, rd, leads, cut)


def _read_row(toks: list[Tok], i: int, run: list[Tok], cols: list[str], cur_cols: list[str], template: str,
              rd: Reader, leads: dict[int, int], cut: bool) -> None:
    """The row labelled at ``toks[i]`` (``run``: its value run): its cells, or why they stay unread."""
    t = toks[i]
    row = t.cand.id
    ids = [f"active.{row}.{c}" for c in cols]
    vals = values_after(toks, i, len(cols), run)
    if not vals:
        return
    if has_run(vals):
        put_run_row(rd, ids, vals, labels=_row_labels(template, row))
        return
    got = fit_row(vals, len(cols), lead_for(toks, i, leads), alone(t, vals), cut and vals[-1] is toks[-1])
    if got is not None:
        rd.put_all(zip(ids, got))
        return
    nums = [v for v in vals if v.kind == "num"]
    if _read_short_row(rd, row, cols, cur_cols, nums, vals):
        return
    rd.doubt(ids, NOTES["count"].format(row=INDICATORS[ids[0]].row, got=len(nums), want=len(cols),
                                        printed=" | ".join(v.text or "∅" for v in vals)))


def _read_short_row(rd: Reader, row: str, cols: list[str], cur_cols: list[str], nums: list[Tok],
                    vals: list[Tok]) -> bool:
    """A row with fewer numbers than cells: placed by the header printed above it, or by
    the only placement its numbers allow.  False when neither says where they go."""
    sub = [c for c in cur_cols if c in cols]
    if sub and len(sub) < len(cols) and len(nums) == len(sub) and len(set(sub)) == len(sub):
        for c, tok in zip(sub, nums):  # header shows which columns are there
            rd.put(f"active.{row}.{c}", tok)
        return True
    only = _only_placement([v.value for v in nums], cols) if len(nums) == len(vals) else None
    if only is None:
        return False
    for c, tok in zip(only, nums):  # blank cells dropped (one cell per line), yet only one order fits
        rd.put(f"active.{row}.{c}", tok)
    rd.doubt([f"active.{row}.{c}" for c in cols if c not in only],
             NOTES["count_one_blank"].format(row=INDICATORS[f"active.{row}.{cols[0]}"].row, got=len(nums),
                                             want=len(cols)))
    return True


def _row_labels(template: str, row: str) -> list[str]:
    spec = next(r for r in registry().raw["table2"][template]["rows"] if r["id"] == row)
    return [spec["label"], *spec.get("aliases", [])]


def _t2_rows(template: str) -> dict[str, list[str]]:
    return registry().raw["table2"][template]["cells"]


def _fits_column(value: float | int | None, col: str) -> bool:
    """Only 本年增/减 can be negative and only amounts (万元) can have decimals."""
    if value is None:
        return False
    if value < 0 and col != "change":
        return False
    return col == "amount" or float(value).is_integer()


def _only_placement(values: list, cols: list[str]) -> list[str] | None:
    """The columns of a short row whose blank cells were dropped, when exactly one
    order-preserving placement respects the columns' signs and decimals; else None.

    >>> _only_placement([5, -3], ["prev_items", "change", "decisions"])
    ['prev_items', 'change']
    >>> _only_placement([0, 0], ["prev_items", "change", "decisions"]) is None
    True
    >>> _only_placement([12, 3.5], ["count", "amount"]) is None  # full row: not this helper's case
    True
    """
    if not values or len(values) >= len(cols):
        return None
    fits = [list(pos) for pos in combinations(cols, len(values))
            if all(_fits_column(v, c) for v, c in zip(values, pos))]
    return fits[0] if len(fits) == 1 else None
