"""``cross_year_mismatch``: one agency's reports of consecutive years, by the rules of
``registry().cross_year`` (this year's carried-over requests are last year's carried
forward …)."""

from __future__ import annotations

import re
from typing import Iterable

from nlp.indicators import registry
from nlp.reconcile.cells import MESSAGES, _fmt, _num, cell_name, table_values
from nlp.types import Finding, Record


def year_key(record: Record) -> tuple[str, int] | None:
    """What pairs one agency's reports of consecutive years: (its agency without white
    space, its year); None for a record that cannot be paired (an error, no agency or year).

    >>> year_key(Record(id="a", text="", agency="某 市", year=2023)), year_key(Record(id="b", text=""))
    (('某市', 2023), None)
    """
    return agency_year(record.agency, record.year) if record.error is None else None


def agency_year(agency: str | None, year: int | str | None) -> tuple[str, int] | None:
    """:func:`year_key` from the two fields (a batch keeps only these of a record).

    >>> agency_year("某 市", "2023"), agency_year("", 2023), agency_year("某市", None)
    (('某市', 2023), None, None)
    """
    if agency and year is not None:
        return re.sub(r"\s+", "", agency), int(year)
    return None


def _value(record: Record, indicator: str) -> float | None:
    v = table_values(record).get(indicator)
    return None if v is None else float(v)


def reconcile_years(records: Iterable[Record]) -> dict[str, list[Finding]]:
    """``cross_year_mismatch`` findings for one agency's reports of consecutive years.

    Returns findings keyed by the id of the later year's record (only records that
    have some).  Records without agency or year, or with an error, are ignored.
    """
    by_key: dict[tuple[str, int], Record] = {}
    for rec in records:
        key = year_key(rec)
        if key is not None:
            by_key.setdefault(key, rec)
    out: dict[str, list[Finding]] = {}
    for (agency, year), rec in sorted(by_key.items()):
        prev = by_key.get((agency, year - 1))
        if prev is None:
            continue
        for rule in registry().cross_year:
            f = _cross_year(rule, rec, prev)
            if f is not None:
                out.setdefault(rec.id, []).append(f)
    return out


def add_cross_year(records: list[Record]) -> list[Record]:
    """Give each record the cross-year findings of the whole set (replacing any it had)."""
    found = reconcile_years(records)
    for rec in records:
        rec.findings = with_cross_year(rec.findings, found.get(rec.id, []))
    return records


def with_cross_year(findings: list[Finding], cross: list[Finding]) -> list[Finding]:
    """``findings`` with its cross-year findings replaced by ``cross`` (a resumed or
    re-run set must not double them)."""
    return [f for f in findings if f.type != "cross_year_mismatch"] + cross


def _cross_year(rule, rec: Record, prev: Record) -> Finding | None:
    this = _value(rec, rule.this_year)
    last = _value(prev, rule.last_year)
    plus = [_value(rec, i) for i in rule.plus]
    minus = [_value(rec, i) for i in rule.minus]
    if this is None or last is None or None in plus or None in minus:
        return None
    expected = last + sum(plus) - sum(minus)
    if abs(this - expected) < 1e-6:
        return None
    cells = [rule.this_year, *rule.plus, *rule.minus]
    return Finding(
        "cross_year_mismatch", rule.this_year, None, _num(this), "warning", None, cells,
        MESSAGES["cross_year"].format(title=rule.title, year=rec.year, label=cell_name(rule.this_year),
                                      value=_fmt(this), prev_year=prev.year, expected=_fmt(expected),
                                      cid=rule.this_year))
