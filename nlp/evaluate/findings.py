"""Finding precision and recall per type, gold records vs predicted records.

A predicted finding matches a gold one of the same document when the types and
indicators are equal and, where the gold states a value (``narrative_value`` /
``table_value``), the prediction states the same value.  Matching is one-to-one.
An ``identity_violation`` names one identity among several that share cells, so it
also matches when either side's indicator is among the other's cells.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Iterable

from nlp.types import FINDING_TYPES, Finding, Record


def _same_value(gold: float | int | None, pred: float | int | None) -> bool:
    if gold is None:
        return True
    return pred is not None and abs(float(gold) - float(pred)) < 1e-6


def findings_match(gold: Finding, pred: Finding) -> bool:
    """
    >>> g = Finding("narrative_table_mismatch", "active.normative.repealed", 34, 0)
    >>> findings_match(g, Finding("narrative_table_mismatch", "active.normative.repealed", 34, 0, "error"))
    True
    >>> findings_match(g, Finding("narrative_table_mismatch", "active.normative.repealed", 33, 0))
    False
    >>> findings_match(Finding("missing_cell", "review.upheld"), Finding("missing_cell", "review.upheld"))
    True
    """
    if gold.type != pred.type:
        return False
    same_ind = gold.indicator == pred.indicator
    if not same_ind and gold.type == "identity_violation":
        same_ind = (gold.indicator in pred.cells) or (pred.indicator in gold.cells)
    if not same_ind:
        return False
    if gold.type == "identity_violation":
        return True  # the value of a broken sum depends on which side is named
    return _same_value(gold.narrative_value, pred.narrative_value) and \
        _same_value(gold.table_value, pred.table_value)


def _match(gold: list[Finding], pred: list[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(true positives, false positives, false negatives) — one-to-one, gold order."""
    free = list(pred)
    tp, fn = [], []
    for g in gold:
        hit = next((p for p in free if findings_match(g, p)), None)
        if hit is None:
            fn.append(g)
        else:
            free.remove(hit)
            tp.append(g)
    return tp, free, fn


def evaluate_findings(gold: Iterable[Record], pred: Iterable[Record],
                      types: Iterable[str] = FINDING_TYPES) -> dict:
    """Per-type and micro precision/recall/F1, plus the misses for error analysis.

    Documents are paired by id; a gold document without prediction counts every gold
    finding as missed.
    """
    types = list(types)
    pred_by_id = {r.id: r for r in pred}
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in types}
    errors: list[dict] = []
    for g in gold:
        p = pred_by_id.get(g.id)
        p_findings = [] if p is None else [f for f in p.findings if f.type in types]
        g_findings = [f for f in g.findings if f.type in types]
        tp, fp, fn = _match(g_findings, p_findings)
        for kind, items in (("tp", tp), ("fp", fp), ("fn", fn)):
            for f in items:
                counts[f.type][kind] += 1
                if kind != "tp":
                    errors.append({"id": g.id, "kind": kind, **f.to_dict()})
    out = {t: _prf(c) for t, c in counts.items()}
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    out["micro"] = _prf(total)
    out["errors"] = errors
    return out


def _prf(c: dict[str, int]) -> dict[str, float | int]:
    """
    >>> _prf({"tp": 9, "fp": 1, "fn": 0})["precision"]
    0.9
    >>> _prf({"tp": 0, "fp": 0, "fn": 0})["recall"]
    1.0
    """
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def reconcile_gold(records: Iterable[Record], years: bool = True) -> list[Record]:
    """Re-run the reconciler on gold facts and tables (gold findings dropped):
    measures the reconciler alone, independent of the models.  ``years`` adds the
    cross-year findings of the whole set (the synthetic splits hold series: one
    agency's reports of consecutive years)."""
    from nlp.reconcile import add_cross_year, reconcile

    out = [replace(r, findings=[]) for r in records]
    for r in out:
        r.findings = reconcile(r)
    return add_cross_year(out) if years else out


def predict_records(records: Iterable[Record], pipeline) -> list[Record]:
    """End to end, as ``govreport check`` runs a set: ``pipeline`` on each gold record's
    text (ids kept; its facts, tables and findings unused), then the cross-year
    comparison over the whole set."""
    from nlp.reconcile import add_cross_year

    return add_cross_year([pipeline.process_text(r.text, id=r.id) for r in records])


def evaluate_end_to_end(gold: Iterable[Record], pipeline) -> dict:
    """Finding precision/recall of the whole pipeline against the gold findings."""
    gold = list(gold)
    return evaluate_findings(gold, predict_records(gold, pipeline))
