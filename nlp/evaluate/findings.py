"""Finding precision and recall per type, gold records vs predicted records.

Also the figures a reviewer of real reports needs: warnings and errors per report on real
report openings (``alarms_on_openings``), on a whole real report against what a careful
reader flags (``whole_report_findings``), and at alarm level against gold
(``findings_at_alarm_level``); seed mutants are in :mod:`nlp.evaluate.mutants`.

A predicted finding matches a gold one of the same document when the types and
indicators are equal and, where the gold states a value (``narrative_value`` /
``table_value``), the prediction states the same value.  Matching is one-to-one.
An ``identity_violation`` names one identity among several that share cells, so it
also matches when either side's indicator is among the other's cells.  A ``missing_cell``
names every blank cell of its table (:func:`nlp.reconcile.cells.blanks_per_table`); it is
scored as one finding per cell (:func:`per_cell`), as gold records write them, so a blank
named wrongly still counts against precision.
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


def per_cell(findings: Iterable[Finding]) -> list[Finding]:
    """Findings as gold records write them: a ``missing_cell`` naming a table's blank cells
    becomes one per cell (what a reviewer sees stays one; what is scored is each cell).

    >>> both = Finding("missing_cell", "review.upheld", cells=["review.upheld", "review.total"])
    >>> [f.indicator for f in per_cell([both])]
    ['review.upheld', 'review.total']
    """
    out: list[Finding] = []
    for f in findings:
        if f.type == "missing_cell" and len(f.cells) > 1:
            out.extend(replace(f, indicator=c, cells=[c]) for c in f.cells)
        else:
            out.append(f)
    return out


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
        p_findings = [] if p is None else per_cell(f for f in p.findings if f.type in types)
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


# ---------------------------------------------------------------- findings on real reports
ALARM = ("error", "warning")


def alarms(record: Record) -> list[Finding]:
    """The findings a reviewer is asked to act on: warnings and errors (info never fails a run)."""
    return [f for f in record.findings if f.severity in ALARM]


def _evidence(record: Record, finding: Finding) -> str:
    """The narrative words around a finding's fact, for a reader classifying it."""
    if finding.fact is None or finding.fact >= len(record.facts):
        return ""
    fact = record.facts[finding.fact]
    return record.text[max(0, fact.start - 40):fact.end + 15].replace("\n", "/")


def alarms_on_openings(records: Iterable[Record], pipeline) -> dict:
    """The pipeline on real report openings without gold findings: warnings and errors per
    report, each with its evidence, for a reader to classify.  ``on_gold`` marks alarms the
    reconciler also raises on the record's gold facts and table (the data bear them out;
    the others come from the pipeline's reading or linking)."""
    records = list(records)
    reference = {r.id: r for r in reconcile_gold(records, years=False)}
    rows = []
    for pred in predict_records(records, pipeline):
        gold_alarms = alarms(reference[pred.id])
        for f in alarms(pred):
            rows.append({"id": pred.id, "severity": f.severity, "type": f.type, "indicator": f.indicator,
                         "narrative_value": f.narrative_value, "table_value": f.table_value,
                         "on_gold": any(findings_match(g, x) for g in gold_alarms for x in per_cell([f])),
                         "evidence": _evidence(pred, f)})
    n = len(records)
    return {"reports": n, "alarms": len(rows), "per_report": round(len(rows) / n, 3) if n else 0.0,
            "reports_with_alarms": len({r["id"] for r in rows}), "by_type": _count(r["type"] for r in rows),
            "rows": rows}


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for x in items:
        out[x] += 1
    return dict(sorted(out.items()))


def _expected(finding: Finding, spec: list[str]) -> bool:
    """Does a finding fit an ``expected_findings`` entry ``[type, indicator prefix]`` (a
    table's blanks: any cell it names)?"""
    kind, prefix = spec[0], (spec[1] if len(spec) > 1 else "")
    return finding.type == kind and any((x.indicator or "").startswith(prefix) for x in per_cell([finding]))


def whole_report_findings(report: dict, pipeline) -> dict:
    """The pipeline on a whole real report (``content``) against its ``expected_findings``
    (``must``: found at warning or error level; ``may``: allowed; anything else at those
    levels is a false alarm)."""
    rec = pipeline.process_text(report["content"], id=str(report.get("id", "whole")))
    expected = report.get("expected_findings") or {}
    must, may = expected.get("must") or [], expected.get("may") or []
    raised = alarms(rec)
    found = [m for m in must if any(_expected(f, m) for f in raised)]
    false = [f for f in raised if not any(_expected(f, spec) for spec in must + may)]
    return {"id": rec.id, "must": len(must), "found": len(found),
            "missed": [m for m in must if m not in found],
            "false_alarms": [{**f.to_dict(), "evidence": _evidence(rec, f)} for f in false],
            "info": sum(f.severity == "info" for f in rec.findings)}


def findings_at_alarm_level(gold: Iterable[Record], pred: Iterable[Record]) -> dict:
    """Precision/recall of the warnings and errors against the gold findings a reviewer
    should see: every one that carries no severity (the seeds') and every one rated a
    warning or an error (a synthetic split's ``info``, two figures of one narrative topic,
    is not asked of the alarms)."""
    gold = [replace(r, findings=[f for f in r.findings if f.severity in (None, *ALARM)]) for r in gold]
    pred = [replace(r, findings=alarms(r)) for r in pred]
    return evaluate_findings(gold, pred)
