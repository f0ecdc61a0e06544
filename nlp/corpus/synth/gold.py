"""The gold record of a written report: truncation, punctuation, line labels, and the
findings a careful reader flags (per report, and across two years of one agency)."""

from __future__ import annotations


from nlp.corpus.synth.builder import Builder
from nlp.corpus.synth.layout import punctuate
from nlp.corpus.synth.plan import Plan
from nlp.corpus.synth.values import broken_identities
from nlp.segment.places import with_place
from nlp import lexicon
from nlp.lexicon import Qualifier
from nlp.types import Fact, Finding, Line, Record

# an approximate figure whose word is not found (cut off) is read as 约 reads it
DEFAULT_QUALIFIER = lexicon.load("synth")["approx"]["default"]


def _safe_cut(b: Builder, cut: int) -> int:
    """Move a cut back so it does not split a number or a table value.

    A cut may fall inside a zero claim (scraped pages end mid-claim): the cut-off claim
    is then not a fact."""
    spans = [(f.start, f.end) for f in b.facts if f.label != "ZERO"] + list(b.cells.values())
    moved = True
    while moved:
        moved = False
        for s, e in spans:
            if s < cut < e:
                cut, moved = s, True
    return cut


def finish(plan: Plan, b: Builder, doc_id: str, injected: list[dict], truncate_at: int | None) -> Record:
    text = b.text()
    labels = b.labels
    facts = list(b.facts)
    cells = dict(b.cells)
    blanks = dict(b.blank_cells)
    if truncate_at is not None and truncate_at < len(text) - 40:
        cut = _safe_cut(b, truncate_at)
        while cut > 0 and text[cut - 1] == "\n":
            cut -= 1
        text = text[:cut]
        facts = [f for f in facts if f.end <= cut]
        cells = {k: v for k, v in cells.items() if v[1] <= cut}
        blanks = {k: v for k, v in blanks.items() if v < cut}
        labels = labels[:text.count("\n") + 1]
    text = punctuate(text, plan.style["punct"], plan.rng)
    for f in facts:
        f.text = text[f.start:f.end]
    lines = []
    pos = 0
    for lab, part in zip(labels, text.split("\n")):
        lines.append(Line(pos, pos + len(part), lab.section, lab.heading))
        pos += len(part) + 1
    # no printed title: the first line (a preamble sentence or page furniture) fills the
    # title slot, as in the realdev gold
    first = next((k for k, ln in enumerate(lines) if text[ln.start:ln.end].strip()), None)
    if first is not None and lines[first].section == "preamble" and plan.style["title"] == "none":
        lines[first].section = "title"
    # empty lines take the section of the line before and are never headings
    for k, ln in enumerate(lines):
        if not text[ln.start:ln.end].strip():
            ln.heading = False
            if k:
                ln.section = lines[k - 1].section
    table = {k: plan.table[k] for k in cells}
    missing = sorted(k for k in blanks if k not in table)
    findings = compute_findings(plan, facts, table, missing, injected, text)
    families = sorted(set(plan.families))
    notes = {"generator": "nlp.corpus.synth", "format": "txt", "layout": plan.style["layout"], "title": plan.style["title"],
             "overview": plan.style["overview"], "sub_style": plan.style["sub_style"],
             "punct": plan.style["punct"], "truncated": truncate_at is not None and len(text) < len(b.text()),
             "scraped": plan.style["scraped"], "level": plan.level, "kind": plan.kind,
             "families": families,
             # what was injected and what the text kept of it (truncation or a dropped
             # table can remove the evidence)
             "attempted": [i["type"] for i in injected],
             "injected": sorted({i["type"] for i in injected} & {f.type for f in findings})}
    # the name as records write it: a district that happens to be a real one takes its city
    return Record(id=doc_id, text=text, source="synthetic", agency=with_place(plan.agency, text), year=plan.year,
                  template=plan.template, lines=lines, facts=facts, table=table, missing_cells=missing,
                  findings=findings, notes=notes)


def written_qualifiers(text: str, f: Fact) -> list[Qualifier]:
    """The approximation words a fact is written with: before its span (近, 约, 超过),
    inside it (余, 多) or ending it (左右, 以上) — the words of ``qualifiers.yaml``.

    >>> [q.word for q in written_qualifiers("共有近150余条", Fact(3, 8, "150余条", "COUNT", 150, "条", True))]
    ['近', '余']
    """
    out = []
    before = next((q for q in lexicon.qualifiers()
                   if q.position == "before" and text[:f.start].endswith(q.word)), None)
    if before is not None:
        out.append(before)
    for position, found in (("inside", str.__contains__), ("after", str.endswith)):  # longest first
        out += [q for q in lexicon.qualifier_words(position).values() if found(f.text, q.word)][:1]
    return [q for q in out if q.approximate]


def _range_of(f: Fact, text: str) -> tuple[float, float]:
    """What a careful reader takes a figure to allow: exact, or the band its qualifiers
    allow (``Qualifier.bounds``; several: where all of them hold; none found: 约's).

    >>> _range_of(Fact(2, 7, "100余条", "COUNT", 100, "条", True), "共有100余条")
    (100.0, 199.999)
    """
    v = float(f.value)
    if not f.approx:
        return v, v
    quals = written_qualifiers(text, f) or [lexicon.qualifier_words("before")[DEFAULT_QUALIFIER]]
    bounds = [q.bounds(v) for q in quals]
    return max(lo for lo, _ in bounds), min(hi for _, hi in bounds)


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def compute_findings(plan: Plan, facts: list[Fact], table: dict, missing: list[str],
                     injected: list[dict], text: str = "") -> list[Finding]:
    out: list[Finding] = []
    for k, f in enumerate(facts):
        if f.indicator not in table:
            continue
        tv = table[f.indicator]
        if f.label == "ZERO" and tv != 0:
            out.append(Finding("zero_claim_contradiction", f.indicator, 0, tv, "error", k, [f.indicator],
                               f"narrative says none ({f.text}), table says {tv:g}"))
        elif f.label in ("COUNT", "MONEY") and not f.approx and abs(f.value - tv) > 1e-6:
            out.append(Finding("narrative_table_mismatch", f.indicator, f.value, tv, "error", k, [f.indicator],
                               f"narrative {f.text} vs table {tv:g}"))
    if plan.conflict:
        seen = [(k, f) for k, f in enumerate(facts) if f.indicator == plan.conflict]
        if len(seen) >= 2 and _disjoint(_range_of(seen[0][1], text), _range_of(seen[-1][1], text)):
            k, f = seen[-1]
            severity = "info" if plan.conflict.startswith("narrative.") else "warning"  # as the reconciler rates it
            out.append(Finding("narrative_conflict", plan.conflict, f.value, None, severity, k, [plan.conflict],
                               f"narrative states {seen[0][1].value:g} and {f.value:g}"))
    if table:
        out.extend(broken_identities(table, plan.template))
    for cid in missing:
        out.append(Finding("missing_cell", cid, None, None, "warning", None, [cid], "cell left blank"))
    return out


def cross_year_findings(record: Record, prev: Record) -> list[Finding]:
    """What a reader holding both reports flags: the rules of indicators.md, on the
    cells each report prints (a blank or unprinted cell cannot be compared)."""
    from nlp.indicators import registry

    out = []
    for rule in registry().cross_year:
        this, last = record.table.get(rule.this_year), prev.table.get(rule.last_year)
        plus = [record.table.get(i) for i in rule.plus]
        minus = [record.table.get(i) for i in rule.minus]
        if this is None or last is None or None in plus or None in minus:
            continue
        expected = last + sum(plus) - sum(minus)
        if abs(this - expected) > 1e-6:
            out.append(Finding("cross_year_mismatch", rule.this_year, None, this, "warning", None,
                               [rule.this_year, *rule.plus, *rule.minus],
                               f"{rule.title}: {this:g}, last year's report implies {expected:g}"))
    return out
