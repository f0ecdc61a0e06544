"""Values: table cells that keep the template's identities, narrative-only figures drawn
from their topic's range, the breakdowns of a total, and carrying a table into next year."""

from __future__ import annotations

import math
import random

from nlp.corpus.synth.common import narrative_topics
from nlp.indicators import identities_for, ids_for_template
from nlp.types import Finding


APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")


def _logint(rng: random.Random, lo: int, hi: int) -> int:
    lo = max(lo, 1)
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into ``len(weights)`` non-negative integers, roughly by weight."""
    out = [0] * len(weights)
    for _ in range(total):
        out[rng.choices(range(len(weights)), weights)[0]] += 1
    return out


def split_fast(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    if total <= 200:
        return _split(rng, total, weights)
    s = sum(weights)
    out = [int(total * w / s * rng.uniform(0.8, 1.2)) for w in weights]
    out[0] += total - sum(out)
    if out[0] < 0:
        out = [0] * len(weights)
        out[0] = total
    return out


_BIG_LICENSING = {"health": 1.0, "market": 1.6, "land": 0.9, "housing": 1.0, "transport": 1.2,
                  "police": 1.3, "education": 0.5, "hr": 0.8, "env": 0.6, "agri": 0.8,
                  "emergency": 0.5, "culture": 0.7, "water": 0.6, "national": 1.2}


def _table2(rng: random.Random, template: str, kind: str) -> dict[str, float | int]:
    t: dict[str, float | int] = {}
    big = _BIG_LICENSING.get(kind, 0.3)

    def decisions(p_zero: float, hi: float) -> int:
        if rng.random() < p_zero:
            return 0
        return _logint(rng, 1, max(2, int(hi)))

    if template == "2021":
        t["active.rules.issued"] = 0 if rng.random() < 0.9 else rng.randint(1, 4)
        t["active.rules.repealed"] = 0 if rng.random() < 0.95 else rng.randint(1, 3)
        t["active.rules.in_force"] = 0 if rng.random() < 0.8 else rng.randint(t["active.rules.issued"], 40)
        iss = 0 if rng.random() < 0.5 else _logint(rng, 1, 30)
        rep = 0 if rng.random() < 0.7 else _logint(rng, 1, 25)
        t["active.normative.issued"] = iss
        t["active.normative.repealed"] = rep
        t["active.normative.in_force"] = 0 if (iss == 0 and rng.random() < 0.5) else iss + _logint(rng, 1, 200)
        t["active.licensing.decisions"] = decisions(0.3 / big, 30000 * big)
        t["active.penalty.decisions"] = decisions(0.4, 3000 * big)
        t["active.coercion.decisions"] = decisions(0.8, 300)
        fees = 0 if rng.random() < 0.8 else round(math.exp(rng.uniform(math.log(0.2), math.log(5000))), rng.choice([0, 1, 2, 2]))
        t["active.fees.amount"] = int(fees) if float(fees).is_integer() else fees
    else:
        for row in ("rules", "normative"):
            made = 0 if rng.random() < (0.9 if row == "rules" else 0.45) else _logint(rng, 1, 30)
            pub = made if rng.random() < 0.8 else rng.randint(0, made)
            t[f"active.{row}.made"] = made
            t[f"active.{row}.published"] = pub
            t[f"active.{row}.total_published"] = pub if rng.random() < 0.5 else pub + _logint(rng, 1, 150)
        for row, pz, hi in (("licensing", 0.3, 20000 * big), ("other_services", 0.7, 2000),
                            ("penalty", 0.4, 3000 * big), ("coercion", 0.8, 200)):
            prev = 0 if rng.random() < 0.4 else _logint(rng, 1, 300)
            t[f"active.{row}.prev_items"] = prev
            t[f"active.{row}.change"] = 0 if rng.random() < 0.7 else rng.randint(-min(prev, 20), 20)
            t[f"active.{row}.decisions"] = decisions(pz, hi)
        prev = 0 if rng.random() < 0.7 else rng.randint(1, 30)
        t["active.fees.prev_items"] = prev
        t["active.fees.change"] = 0 if rng.random() < 0.85 else rng.randint(-min(prev, 5), 3)
        cnt = 0 if rng.random() < 0.5 else _logint(rng, 1, 60)
        t["active.procurement.count"] = cnt
        amt = 0 if cnt == 0 else round(math.exp(rng.uniform(math.log(1), math.log(20000))), rng.choice([0, 2]))
        t["active.procurement.amount"] = int(amt) if float(amt).is_integer() else amt
    return t


def outcome_rows(template: str) -> list[str]:
    return [i.split(".", 1)[1].rsplit(".", 1)[0] for i in ids_for_template(template)
            if i.startswith("requests.") and i.endswith(".total")
            and i.split(".", 1)[1].rsplit(".", 1)[0] not in ("new", "carried_over", "total", "carried_forward")]


_OUTCOME_WEIGHT = {"granted": 10, "partial": 3, "denied.state_secret": 0.1, "denied.law_prohibited": 0.2,
                   "denied.three_safety": 0.2, "denied.third_party": 0.6, "denied.internal": 0.5,
                   "denied.process": 0.7, "denied.enforcement_file": 0.3, "denied.query": 0.3,
                   "unavailable.not_held": 5, "unavailable.needs_creation": 1, "unavailable.unclear": 0.8,
                   "rejected.petition": 0.8, "rejected.duplicate": 0.6, "rejected.publication": 0.1,
                   "rejected.excessive": 0.2, "rejected.confirm": 0.2, "other.no_correction": 0.6,
                   "other.no_fee": 0.05, "other.other": 1.0, "other": 1.2}


def _table3(rng: random.Random, template: str, scale: float) -> dict[str, int]:
    r = rng.random()
    if r < 0.42:
        new_total = 0
    elif r < 0.8:
        new_total = rng.randint(1, 10)
    elif r < 0.95:
        new_total = _logint(rng, 11, 150)
    else:
        new_total = _logint(rng, 150, int(3000 * scale) + 200)
    weights = [rng.uniform(4, 10), rng.uniform(0, 3), rng.uniform(0, 0.3), rng.uniform(0, 0.3),
               rng.uniform(0, 1), rng.uniform(0, 0.6)]
    new = split_fast(rng, new_total, weights)
    carried = [0] * 6 if rng.random() < 0.75 else _split(rng, rng.randint(1, max(1, new_total // 5 + 2)), weights)
    pool = [a + b for a, b in zip(new, carried)]
    forward = [0] * 6
    if rng.random() < 0.3:
        forward = [rng.randint(0, max(0, p // 4 + (1 if p else 0))) if p else 0 for p in pool]
        forward = [min(f, p) for f, p in zip(forward, pool)]
    done = [p - f for p, f in zip(pool, forward)]
    rows = outcome_rows(template)
    ow = [_OUTCOME_WEIGHT[x] * rng.uniform(0.3, 1.7) for x in rows]
    t: dict[str, int] = {}
    per_row = {row: [0] * 6 for row in rows}
    for c in range(6):
        parts = split_fast(rng, done[c], ow)
        for row, v in zip(rows, parts):
            per_row[row][c] = v
    for name, vals in (("new", new), ("carried_over", carried), ("total", done), ("carried_forward", forward), *per_row.items()):
        for c, col in enumerate(APPLICANTS):
            t[f"requests.{name}.{col}"] = vals[c]
        t[f"requests.{name}.total"] = sum(vals)
    return t


def _table4(rng: random.Random) -> dict[str, int]:
    t: dict[str, int] = {}
    for g, p in (("review", 0.15), ("litigation.direct", 0.08), ("litigation.after_review", 0.04)):
        total = 0 if rng.random() > p else _logint(rng, 1, 12)
        parts = _split(rng, total, [5, 1, 1.5, 1])
        for o, v in zip(("upheld", "corrected", "other", "pending"), parts):
            t[f"{g}.{o}"] = v
        t[f"{g}.total"] = total
    return t


def make_table(rng: random.Random, template: str, kind: str) -> dict[str, float | int]:
    scale = 1.0 if kind in ("land", "national", "police", "housing", "government") else 0.4
    t = {**_table2(rng, template, kind), **_table3(rng, template, scale), **_table4(rng)}
    assert set(t) == set(ids_for_template(template)), set(ids_for_template(template)) ^ set(t)
    return t


def broken_identities(table: dict[str, float | int], template: str) -> list[Finding]:
    """identity_violation findings for every identity the (complete) cells break."""
    out = []
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if not all(i in table for i in ids):
            continue
        lhs, rhs = sum(table[i] for i in ident.lhs), sum(table[i] for i in ident.rhs)
        if abs(lhs - rhs) > 1e-6:
            out.append(Finding("identity_violation", ident.lhs[0], None, lhs, "error", None,
                               list(ids), f"{ident.name} ({ident.key}): {lhs:g} != {rhs:g}"))
    return out


def add_requests(table: dict, k: int) -> None:
    """k more granted requests from natural persons, identities kept."""
    for row in ("new", "total", "granted"):
        table[f"requests.{row}.natural"] += k
        table[f"requests.{row}.total"] += k


def carry_over(t: dict, prev: dict, template: str) -> None:
    """Make ``t`` continue last year's table ``prev``: requests carried over equal last
    year's carried forward (column by column, identities kept), and documents in force
    equal last year's plus issued minus repealed."""
    for c in APPLICANTS:
        set_carried_over(t, template, c, int(prev[f"requests.carried_forward.{c}"]))
    for row in ("normative", "rules"):
        key = f"active.{row}.in_force"
        if key in t and key in prev:
            issued = t[f"active.{row}.issued"]
            t[f"active.{row}.repealed"] = min(t[f"active.{row}.repealed"], prev[key] + issued)
            t[key] = prev[key] + issued - t[f"active.{row}.repealed"]


def set_carried_over(t: dict, template: str, col: str, value: int) -> None:
    """Set one column's carried-over count; carried forward and the outcome rows absorb
    the change so new + carried over = outcomes + carried forward still holds."""
    rows = outcome_rows(template)
    t[f"requests.carried_over.{col}"] = value
    pool = t[f"requests.new.{col}"] + value
    forward = min(t[f"requests.carried_forward.{col}"], pool)
    t[f"requests.carried_forward.{col}"] = forward
    need = pool - forward - sum(t[f"requests.{r}.{col}"] for r in rows)
    for r in ["granted"] + sorted(rows, key=lambda r: -t[f"requests.{r}.{col}"]):
        if need == 0:
            break
        step = need if need > 0 else -min(-need, t[f"requests.{r}.{col}"])
        t[f"requests.{r}.{col}"] += step
        need -= step
    t[f"requests.total.{col}"] = pool - forward
    for name in ("carried_over", "total", "carried_forward", *rows):
        t[f"requests.{name}.total"] = sum(t[f"requests.{name}.{c}"] for c in APPLICANTS)


def draw_narrative(rng: random.Random, ind: str) -> float | int:
    spec = narrative_topics().get(ind, {})
    if spec.get("label") == "PERCENT":
        if "range" in spec:  # a share of a whole (予以公开N件，占40%) may be anything in its range
            return round(rng.uniform(*spec["range"]), rng.choice([0, 1, 2]))
        # rates (满意率, 办结率, 按期答复率) are high
        return 100 if rng.random() < 0.65 else round(rng.uniform(90, 99.9), rng.choice([0, 1, 2]))
    lo, hi = spec.get("range", [1, 100])
    if lo == 0:
        return 0 if rng.random() < 0.5 else _logint(rng, 1, hi)
    v = _logint(rng, lo, hi)
    if spec.get("label") == "MONEY" and rng.random() < 0.3:
        return round(v + rng.random(), 2)
    return v


def parts_for(rng: random.Random, total: int, n: int) -> list[int]:
    """n parts whose sum is at most total (a breakdown is not the whole)."""
    if total <= 0:
        return [0] * n
    share = rng.uniform(0.5, 1.0) if rng.random() < 0.6 else 1.0
    return split_fast(rng, int(total * share), [rng.uniform(0.2, 3) for _ in range(n)])
