"""One record per ``(seed, index)``: plan, inject, write, finish; series of one agency's
consecutive reports, and the cross-year findings of a run."""

from __future__ import annotations

import random
import re

from nlp.corpus.synth.builder import Builder
from nlp.corpus.synth.document import DocWriter
from nlp.corpus.synth.gold import cross_year_findings, finish
from nlp.corpus.synth.plan import (ERROR_TYPES, Plan, can_continue, inject, inject_cross_year, make_next_plan,
                                   make_plan)
from nlp.corpus.synth.common import words
from nlp.types import Record

# the starts of table 3's row labels, where a scraped page may end (一、本…)
_CUT_ROWS = re.compile("(?m)^\t?(?:" + "|".join(map(re.escape, words()["tables"]["table3"]["cut_rows"])) + ")")


SERIES_RATE = 0.25  # share of odd-indexed reports that continue the report before them


CROSS_YEAR_RATE = 0.4  # share of those whose table breaks a cross-year rule


def generate_one(seed: int, index: int, *, error_rate: float = 0.3, truncate_rate: float = 0.35,
                 id_prefix: str = "synth") -> Record:
    """One record, fully determined by ``(seed, index)``.

    An odd index may be the next year's report of the agency at ``index - 1`` (a
    series: its carried-over requests and documents in force continue last year's
    table, now and then with a ``cross_year_mismatch`` injected).  Cross-year findings
    compare reports, so only :func:`generate` adds them."""
    prev = _build(seed, index - 1, error_rate, truncate_rate, id_prefix) if _follows(seed, index) else None
    return _build(seed, index, error_rate, truncate_rate, id_prefix, prev)[0]


def generate(n: int, seed: int = 0, *, error_rate: float = 0.3, truncate_rate: float = 0.35,
             id_prefix: str = "synth") -> list[Record]:
    """``n`` synthetic annotated reports, deterministic for ``seed``."""
    out: list[Record] = []
    built = None
    for i in range(n):
        built = _build(seed, i, error_rate, truncate_rate, id_prefix, built if _follows(seed, i) else None)
        out.append(built[0])
    add_run_cross_year(out)
    return out


def add_run_cross_year(records: list[Record]) -> None:
    """Cross-year findings belong to a run, not to one report: series reports, and two
    independent reports that happen to name one agency in consecutive years, are
    compared as ``govreport check`` compares them (the first report of an agency and
    year stands for it; a report without a title names no agency to pair by)."""
    by_key: dict[tuple[str, int], Record] = {}
    for r in records:
        if r.agency and r.year and r.notes.get("title") != "none":
            by_key.setdefault((r.agency, r.year), r)
    for (agency, year), rec in by_key.items():
        prev = by_key.get((agency, year - 1))
        if prev is None:
            continue
        found = cross_year_findings(rec, prev)
        rec.findings.extend(found)
        if found:
            rec.notes["injected"] = sorted({*rec.notes["injected"], "cross_year_mismatch"})


def _follows(seed: int, index: int) -> bool:
    return index % 2 == 1 and random.Random(f"{seed}:{index}:series").random() < SERIES_RATE


def _build(seed: int, index: int, error_rate: float, truncate_rate: float, id_prefix: str,
           prev: tuple[Record, Plan] | None = None) -> tuple[Record, Plan]:
    rng = random.Random(f"{seed}:{index}")
    truncated = rng.random() < truncate_rate
    series = prev is not None and can_continue(prev[1])
    plan = make_next_plan(rng, prev[1]) if series else make_plan(rng, truncated)
    truncated = truncated and not series
    injected: list[dict] = []
    if series and rng.random() < CROSS_YEAR_RATE:
        injected.append(inject_cross_year(plan))
    if not truncated and rng.random() < error_rate:
        kinds = rng.choices(ERROR_TYPES, [0.3, 0.2, 0.2, 0.15, 0.15], k=1 if rng.random() < 0.85 else 2)
        for kind in dict.fromkeys(kinds):
            injected.append(inject(plan, kind))
    if plan.style.get("force_review"):
        plan.style["section_narrative_rate"] = 1.0
    b = Builder()
    DocWriter(b, plan).document()
    cut = None
    if truncated:
        cut = rng.randint(620, 1000) if rng.random() < 0.7 else rng.randint(400, 1600)
        zeros = [f for f in b.facts if f.label == "ZERO" and 300 <= f.start and f.end <= 1700]
        if zeros and rng.random() < 0.2:  # the page ends inside a zero claim: not a fact
            z = rng.choice(zeros)
            cut = rng.randint(z.start + 1, z.end - 1)
        else:
            text = b.text()
            rows = [m.start() for m in re.finditer(_CUT_ROWS, text)
                    if 300 <= m.start() <= 1700]
            if rows and rng.random() < 0.3:  # the page ends inside a table row label (一、本…)
                start = rng.choice(rows)
                cut = start + rng.randint(2, 6)
    record = finish(plan, b, f"{id_prefix}-{seed}-{index:05d}", injected, cut)
    if series:
        record.notes["follows"] = prev[0].id
    return record, plan
