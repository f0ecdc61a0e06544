"""Seed mutants: real reports with one known inconsistency injected, to measure whether the
pipeline finds what it should and nothing else.

A mutant is a seed report's text with one edit whose consequence is known from the seed's
gold (its facts, table and findings), never from the pipeline's reading of the mutant:

* ``narrative`` — an exact narrative figure that agrees with its cell is changed (its digits
  in the text): a ``narrative_table_mismatch`` on that id is expected.
* ``table`` — a table cell that a narrative figure states, or that an identity sums, is
  changed in the printed table: an ``identity_violation`` touching it is expected, and a
  ``narrative_table_mismatch`` for every exact figure that stated it (a
  ``zero_claim_contradiction`` when a zero claim denied it).
* ``blank`` — a table cell is replaced by ``/``: a ``missing_cell`` is expected.
* ``said`` / ``said_wrong`` — a sentence stating a table figure (a cell or a composite:
  予以公开和部分公开, 行政诉讼, 受理 …) joins the paragraph on requests, with the table's
  figure (nothing expected) or another (a ``narrative_table_mismatch`` expected);
  ``zero`` / ``zero_wrong`` — a zero claim of a narrow scope (no request received, no
  review corrected …) joins it, true (nothing expected) or false (a
  ``zero_claim_contradiction`` on each non-zero cell it denies).  The sentences are data
  (nlp/data/lexicon/mutants.yaml).

Where a cell sits in the text comes from the pipeline's reading of the *unmutated* seed
(``Cell.line``), checked against the gold value of that cell; a cell whose place cannot be
told for sure (a row whose numbers do not line up with its cells) is not mutated.

Scoring (:func:`score_mutants`): a mutant's expected findings are matched one-to-one with
the predicted findings at ``warning`` or ``error`` level; the identity violations touching
the changed cell count as one finding (one wrong cell breaks a row and a column sum);
predictions that match the seed's own gold findings are neither credited nor blamed, and a
``narrative_conflict`` on the mutated id is allowed (a figure restated elsewhere now
disagrees with itself).  Everything else predicted is a false alarm.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Mapping

from nlp import lexicon
from nlp.evaluate.findings import findings_match, per_cell
from nlp.indicators import composite_parts, grid_template, id_positions, identities_for
from nlp.types import Finding, Record

ALARM = ("error", "warning")
_SEP = re.compile(r"([\t|])")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@dataclass
class Mutant:
    seed: str
    kind: str
    target: str  # the id whose figure was changed
    text: str
    expected: list[Finding]
    allowed: list[Finding] = field(default_factory=list)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.seed}~{self.kind}~{self.target}"


# ---------------------------------------------------------------- where a cell is printed
def _fields(line: str) -> list[str]:
    """The line split into fields and separators (fields at even positions)."""
    return _SEP.split(line)


def cell_positions(read: Record) -> dict[str, tuple[int, int]]:
    """id → (line, field index) for cells whose printed place is certain: on their line,
    the numeric fields and the cells read from it line up one to one in table order."""
    lines = read.line_texts()
    by_line: dict[int, list[str]] = {}
    for cid, cell in (read.cells or {}).items():
        if cell.line is not None and cell.value is not None:
            by_line.setdefault(cell.line, []).append(cid)
    order = id_positions(grid_template(read.template))
    out = {}
    for ln, ids in by_line.items():
        parts = _fields(lines[ln])
        numeric = [k for k in range(0, len(parts), 2) if _NUMBER.match(parts[k].strip())]
        ids = sorted(ids, key=lambda c: order.get(c, 10**6))
        if len(numeric) != len(ids):
            continue
        for cid, k in zip(ids, numeric):
            if parts[k].strip() == read.cells[cid].raw.strip():
                out[cid] = (ln, k)
    return out


def _replace_field(text: str, read: Record, line: int, k: int, new: str) -> str:
    span = read.lines[line]
    parts = _fields(text[span.start:span.end])
    old = parts[k]
    parts[k] = old.replace(old.strip(), new, 1)
    return text[:span.start] + "".join(parts) + text[span.end:]


# ---------------------------------------------------------------- expectations from gold
def _exact_facts_on(gold: Record, cid: str) -> list[int]:
    return [i for i, f in enumerate(gold.facts)
            if f.indicator == cid and f.label == "COUNT" and not f.approx
            and f.value is not None and float(f.value) == float(gold.table.get(cid, float("nan")))]


def _zero_claims_on(gold: Record, cid: str) -> list[int]:
    from nlp.reconcile import zero_claim, zero_scope

    tmpl = gold.template or "2021"
    return [i for i, f in enumerate(gold.facts)
            if f.label == "ZERO" and cid in zero_scope(zero_claim(gold.text, f), tmpl)]


def _in_identity(gold: Record, cid: str) -> bool:
    """Does an identity sum this cell with cells all present in the gold table?"""
    for ident in identities_for(gold.template or "2021"):
        ids = ident.lhs + ident.rhs
        if cid in ids and all(i in gold.table for i in ids):
            return True
    return False


def _new_value(rng: random.Random, old: float) -> int:
    return int(old) + rng.randint(1, 9)


def narrative_mutants(gold: Record, text: str, rng: random.Random) -> list[Mutant]:
    """Change one exact figure that agrees with its cell (its digits in the text)."""
    out = []
    seen = set()
    for cid in sorted({f.indicator for f in gold.facts if f.indicator in gold.table}):
        idx = _exact_facts_on(gold, cid)
        digits = [i for i in idx if str(int(gold.facts[i].value)) in gold.facts[i].text]
        if len(idx) != 1 or not digits or cid in seen:
            continue  # a figure stated twice would need both edits
        seen.add(cid)
        fact = gold.facts[digits[0]]
        new = _new_value(rng, fact.value)
        span = fact.text.replace(str(int(fact.value)), str(new), 1)
        mutated = text[:fact.start] + span + text[fact.end:]
        expected = [Finding("narrative_table_mismatch", cid, new, _n(gold.table[cid]))]
        allowed = [Finding("narrative_conflict", cid)]
        out.append(Mutant(gold.id, "narrative", cid, mutated, expected, allowed, f"{fact.text} → {span}"))
    return out


def table_mutants(gold: Record, read: Record, text: str, rng: random.Random, limit: int = 6) -> list[Mutant]:
    """Change a printed cell that a figure states or an identity sums; blank one."""
    places = cell_positions(read)
    usable = [c for c in places if c in gold.table and float(gold.table[c]) == float(read.cells[c].value)]
    stated = [c for c in usable if _exact_facts_on(gold, c) or _zero_claims_on(gold, c)]
    summed = [c for c in usable if _in_identity(gold, c) and c not in stated]
    rng.shuffle(summed)
    out = []
    for cid in stated + summed[:limit]:
        line, k = places[cid]
        new = _new_value(rng, gold.table[cid])
        expected = []
        if _in_identity(gold, cid):
            expected.append(Finding("identity_violation", cid, cells=[cid]))
        for i in _exact_facts_on(gold, cid):
            expected.append(Finding("narrative_table_mismatch", cid, _n(gold.facts[i].value), new))
        if float(gold.table[cid]) == 0 and _zero_claims_on(gold, cid):
            expected.append(Finding("zero_claim_contradiction", cid, 0, new))
        if expected:
            out.append(Mutant(gold.id, "table", cid, _replace_field(text, read, line, k, str(new)), expected,
                              note=f"{_n(gold.table[cid])} → {new}"))
    for cid in summed[limit:limit + 2]:
        line, k = places[cid]
        out.append(Mutant(gold.id, "blank", cid, _replace_field(text, read, line, k, "/"),
                          [Finding("missing_cell", cid)], note=f"{_n(gold.table[cid])} → /"))
    return out


def sentences() -> Mapping:
    """The sentences ``said`` and ``zero`` mutants add (nlp/data/lexicon/mutants.yaml)."""
    return lexicon.load("mutants")


def _anchor(gold: Record) -> int | None:
    """Where an added sentence goes: the end of the first line of the narrative on requests."""
    pos = 0
    for line in gold.text.split("\n"):
        if any(w in line for w in sentences()["anchor"]) and "\t" not in line and "|" not in line:
            return pos + len(line)
        pos += len(line) + 1
    return None


def _conflicts_allowed(gold: Record, ids: list[str]) -> list[Finding]:
    """A false figure added to a report may now disagree with what the report says of the
    same thing elsewhere: a ``narrative_conflict`` on it (or a cell of it) is no false alarm."""
    cells = {c for i in ids for c in (i, *composite_parts(i, gold.template or "2021"))}
    return [Finding("narrative_conflict", c) for c in sorted(cells)]


def _table_figure(gold: Record, ind: str) -> float | None:
    parts = composite_parts(ind, gold.template or "2021") or (ind,)
    if not all(p in gold.table for p in parts):
        return None
    return sum(float(gold.table[p]) for p in parts)


def said_mutants(gold: Record, rng: random.Random) -> list[Mutant]:
    """A sentence stating a table figure, right and wrong; a zero claim, true or false."""
    at = _anchor(gold)
    if at is None:
        return []
    insert = lambda s: gold.text[:at] + s + gold.text[at:]  # noqa: E731 — one-line helper
    out = []
    for spec in sentences()["figures"]:
        value = _table_figure(gold, spec["id"])
        if value is None:
            continue
        out.append(Mutant(gold.id, "said", spec["id"], insert(spec["text"].format(n=_n(value))), []))
        wrong = _new_value(rng, value)
        out.append(Mutant(gold.id, "said_wrong", spec["id"], insert(spec["text"].format(n=wrong)),
                          [Finding("narrative_table_mismatch", spec["id"], wrong, _n(value))],
                          _conflicts_allowed(gold, [spec["id"]]), f"{_n(value)} → {wrong}"))
    for spec in sentences()["zeros"]:
        values = {c: gold.table.get(c) for c in spec["cells"]}
        if any(v is None for v in values.values()):
            continue
        wrong = [Finding("zero_claim_contradiction", c, 0, _n(v)) for c, v in values.items() if float(v) != 0]
        kind = "zero_wrong" if wrong else "zero"
        out.append(Mutant(gold.id, kind, "+".join(spec["cells"]), insert(spec["text"]), wrong,
                          _conflicts_allowed(gold, spec["cells"]) if wrong else []))
    return out


def _n(value):
    return int(value) if float(value).is_integer() else value


def seed_mutants(gold: list[Record], pipeline, seed: int = 0) -> tuple[list[Mutant], dict[str, Record]]:
    """Mutants of every gold record (its normalized text as the pipeline read it), and the
    unmutated readings (by seed id) they were made from."""
    rng = random.Random(seed)
    mutants, reads = [], {}
    for g in gold:
        read = pipeline.process_text(g.text, id=g.id)
        reads[g.id] = read
        if read.error is not None or read.cells is None:
            continue
        mutants += narrative_mutants(g, g.text, rng)
        mutants += said_mutants(g, rng)
        mutants += table_mutants(g, read, read.text, rng)  # cell places are lines of the read text
    return mutants, reads


# ---------------------------------------------------------------- scoring
def _touches(pred: Finding, gold: Finding) -> bool:
    if gold.type == "identity_violation" and pred.type == "identity_violation":
        return gold.indicator in pred.cells or gold.indicator == pred.indicator
    if gold.narrative_value is None and gold.table_value is None and gold.type == pred.type:
        return gold.indicator == pred.indicator
    if gold.type == "narrative_table_mismatch" == pred.type and pred.indicator in composite_parts(gold.indicator, "2021"):
        # a composite figure compared with one of its cells: the right figure, found
        return float(pred.narrative_value or 0) == float(gold.narrative_value or 0)
    return findings_match(gold, pred)


def score_mutant(mutant: Mutant, predicted: list[Finding], seed_gold: list[Finding]) -> dict:
    """True positives, misses and false alarms of one mutant (see the module docstring)."""
    alarms = per_cell(f for f in predicted if f.severity in ALARM)  # a table's blanks, cell by cell
    found, missed = 0, []
    for exp in mutant.expected:
        hits = [p for p in alarms if _touches(p, exp)]
        if hits:
            found += 1
            keep = hits if exp.type == "identity_violation" else hits[:1]
            alarms = [p for p in alarms if not any(p is h for h in keep)]
        else:
            missed.append(exp)
    false = [p for p in alarms
             if not any(findings_match(g, p) for g in seed_gold)
             and not any(p.type == a.type and p.indicator == a.indicator for a in mutant.allowed)]
    return {"tp": found, "fn": len(missed), "fp": len(false), "missed": missed, "false": false}


def score_mutants(mutants: list[Mutant], gold: list[Record], pipeline) -> dict:
    """Precision and recall of the pipeline, end to end, over the mutants; per kind too."""
    seed_gold = {g.id: g.findings for g in gold}
    by_kind: dict[str, dict[str, int]] = {}
    errors = []
    for m in mutants:
        pred = pipeline.process_text(m.text, id=m.id)
        s = score_mutant(m, pred.findings, seed_gold.get(m.seed, []))
        k = by_kind.setdefault(m.kind, {"mutants": 0, "tp": 0, "fp": 0, "fn": 0})
        k["mutants"] += 1
        for key in ("tp", "fp", "fn"):
            k[key] += s[key]
        if s["missed"] or s["false"]:
            errors.append({"mutant": m.id, "note": m.note,
                           "missed": [f.to_dict() for f in s["missed"]],
                           "false": [f.to_dict() for f in s["false"]]})
    total = {key: sum(k[key] for k in by_kind.values()) for key in ("mutants", "tp", "fp", "fn")}
    return {"micro": _pr(total), "by_kind": {k: _pr(v) for k, v in by_kind.items()}, "errors": errors}


def _pr(c: dict[str, int]) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {**c, "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0}

