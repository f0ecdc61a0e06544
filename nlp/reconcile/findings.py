"""Every finding of one document, assembled: the tables' arithmetic, narrative against
table, narrative against narrative, unreadable text and tables — each once."""

from __future__ import annotations

from nlp.reconcile.cells import (_table_findings, misread_arithmetic, table_values, unreadable_tables,
                                 unreadable_text)
from nlp.reconcile.narrative import narrative_findings
from nlp.types import Finding, Record

__all__ = ["reconcile"]


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.type, f.indicator, f.fact, tuple(f.cells), f.narrative_value, f.table_value)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def reconcile(record: Record) -> list[Finding]:
    """Every finding for one document (identity, blank-cell and narrative findings)."""
    if record.error is not None:
        return []
    values = table_values(record)
    findings = misread_arithmetic(record, _table_findings(record, values) + narrative_findings(record, values))
    findings += unreadable_text(record) + unreadable_tables(record)
    return _dedupe(findings)
