"""What a corpus holds: counts per label, indicator, unit, section, template, year, source.

Synthetic records may describe themselves in ``notes`` (a dict; ``Record.from_dict``
drops unknown top-level keys, so extra information travels there):
``{"layout": "tabs", "format": "txt", "families": ["request.received", ...]}``.
``families`` (phrasing families of the sentences that carry facts) and ``layout`` are
counted when present; hand-written notes (a list of strings) are ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from nlp.types import Record

NARRATIVE_PREFIX = "narrative."


def indicator_kind(indicator: str | None) -> str:
    """``table`` for a canonical cell id, ``narrative`` for a topic, ``null`` for none.

    >>> [indicator_kind(x) for x in ("requests.new.total", "narrative.fees.processing", None)]
    ['table', 'narrative', 'null']
    """
    if indicator is None:
        return "null"
    return "narrative" if indicator.startswith(NARRATIVE_PREFIX) else "table"


def _notes_field(record: Record, key: str) -> Any:
    """``notes[key]``, also looked up in a nested ``notes["style"]`` dict."""
    if not isinstance(record.notes, dict):
        return None
    style = record.notes.get("style")
    nested = style.get(key) if isinstance(style, dict) else None
    return record.notes.get(key, nested)


def _families(record: Record) -> list[str]:
    fam = _notes_field(record, "families")
    if isinstance(fam, dict):
        fam = list(fam.values())
    if not isinstance(fam, list):
        return []
    return [str(x) for x in fam if x is not None]


def corpus_stats(records: Iterable[Record]) -> dict[str, Any]:
    """Counters over a corpus; every value is a plain dict sorted by count (JSON-ready)."""
    c: dict[str, Counter] = {k: Counter() for k in (
        "label", "indicator", "indicator_kind", "unit", "approx", "section", "heading_section",
        "template", "year", "source", "layout", "format", "family", "finding", "agency_level")}
    totals = Counter()
    for rec in records:
        totals["records"] += 1
        totals["characters"] += len(rec.text)
        totals["lines"] += len(rec.lines)
        totals["facts"] += len(rec.facts)
        totals["table_cells"] += len(rec.table)
        totals["missing_cells"] += len(rec.missing_cells)
        totals["findings"] += len(rec.findings)
        c["template"][str(rec.template)] += 1
        c["year"][str(rec.year)] += 1
        c["source"][str(rec.source)] += 1
        c["layout"][str(_notes_field(rec, "layout") or "n/a")] += 1
        c["format"][str(rec.format or _notes_field(rec, "format") or "n/a")] += 1
        c["family"].update(_families(rec))
        for ln in rec.lines:
            c["section"][str(ln.section)] += 1
            if ln.heading:
                c["heading_section"][str(ln.section)] += 1
        for f in rec.facts:
            c["label"][f.label] += 1
            c["indicator"][str(f.indicator)] += 1
            c["indicator_kind"][indicator_kind(f.indicator)] += 1
            c["unit"][f.unit if f.unit else "(none)"] += 1
            c["approx"][str(bool(f.approx)).lower()] += 1
        for fd in rec.findings:
            c["finding"][fd.type] += 1
    out: dict[str, Any] = {"totals": dict(totals)}
    for key, counter in c.items():
        out[key] = dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def format_stats(stats: dict[str, Any], top: int = 25) -> str:
    """Markdown tables of ``corpus_stats`` output (``top`` rows for the long ones)."""
    parts = ["| total | count |", "|---|---|"]
    parts += [f"| {k} | {v} |" for k, v in stats["totals"].items()]
    for key, counts in stats.items():
        if key == "totals" or not counts:
            continue
        items = list(counts.items())
        parts += ["", f"| {key} | count |", "|---|---|"]
        parts += [f"| {k} | {v} |" for k, v in items[:top]]
        if len(items) > top:
            rest = sum(v for _, v in items[top:])
            parts.append(f"| … {len(items) - top} more | {rest} |")
    return "\n".join(parts)
