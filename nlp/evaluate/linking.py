"""Linking accuracy on gold spans: any linker (trained or rule) against gold records."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from nlp.component import Component, Work
from nlp.link import NONE, is_table, sentence_bounds
from nlp.types import Document, Fact, Record, lines_of

__all__ = ["evaluate_linking", "gold_spans", "work_of"]


def gold_spans(facts: Iterable[Fact]) -> list[tuple[Fact, list[str]]]:
    """Gold facts grouped by span: one representative fact and every id it has.

    >>> fs = [Fact(0, 3, "未发生", "ZERO", 0, indicator="review.total"),
    ...       Fact(0, 3, "未发生", "ZERO", 0, indicator="litigation.direct.total")]
    >>> [(f.start, ids) for f, ids in gold_spans(fs)]
    [(0, ['review.total', 'litigation.direct.total'])]
    """
    groups: dict[tuple[int, int], tuple[Fact, list[str]]] = {}
    for f in facts:
        key = (f.start, f.end)
        if key not in groups:
            groups[key] = (replace(f, indicator=None, confidence=None), [])
        ind = f.indicator or NONE
        if ind not in groups[key][1]:
            groups[key][1].append(ind)
    return [groups[k] for k in sorted(groups)]


def work_of(rec: Record, facts: list[Fact]) -> Work:
    """A gold record as the linker sees it: its text, lines, template, year and the given facts."""
    lines = rec.lines or []
    doc = Document(rec.path or rec.id, rec.format or "txt", rec.text, lines or lines_of(rec.text))
    return Work(doc, lines=list(lines), template=rec.template, facts=facts, year=rec.year)


def _second(ind: str | None) -> str | None:
    """Loose narrative topic: the second segment (narrative.requests.online → requests).

    >>> _second("narrative.requests.online"), _second(None)
    ('requests', None)
    """
    if not ind:
        return None
    parts = ind.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def evaluate_linking(linker: Component, records: list[Record], errors: list | None = None) -> dict[str, Any]:
    """Linking accuracy on gold spans.

    - ``accuracy``: spans whose predicted id set equals the gold set (all ids, None too);
    - ``table_accuracy``: over spans whose gold has table ids, predicted table ids == gold's;
      ``table_precision``: over spans given a table id, the fraction that are right;
    - ``narrative_loose``: over spans whose gold is ``narrative.*``, predicted narrative
      with the same second segment; ``narrative_kind``: predicted any narrative id;
    - ``pair_f1``: micro F1 over (span, id) pairs (rewards expansion of zero claims).
    """
    n = ok = nt = okt = predt = okpt = nn = okn = kindn = 0
    tp = fp = fn = 0
    for rec in records:
        spans = gold_spans(rec.facts)
        if not spans:
            continue
        facts = [f for f, _ in spans]
        by_span: dict[tuple[int, int], set[str | None]] = {}
        for f in linker(work_of(rec, facts)):
            by_span.setdefault((f.start, f.end), set()).add(f.indicator)
        for fact, gold_ids in spans:
            gold = {None if g == NONE else g for g in gold_ids}
            got = by_span.get((fact.start, fact.end), {None})
            n += 1
            ok += gold == got
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
            gt = {g for g in gold if is_table(g)}
            pt = {p for p in got if is_table(p)}
            if gt:
                nt += 1
                okt += gt == pt
            if pt:
                predt += 1
                okpt += pt <= gt and bool(pt)
            gn = [g for g in gold if g and g.startswith("narrative.")]
            if gn:
                nn += 1
                pn = [p for p in got if p and p.startswith("narrative.")]
                kindn += bool(pn)
                okn += bool(pn) and _second(pn[0]) == _second(gn[0])
            if errors is not None and gold != got:
                s0, s1 = sentence_bounds(rec.text, fact.start, fact.end)
                errors.append({"id": rec.id, "span": fact.text, "gold": sorted(map(str, gold)),
                               "pred": sorted(map(str, got)),
                               "context": rec.text[max(s0, fact.start - 30):min(s1, fact.end + 15)]})
    pair_p = tp / (tp + fp) if tp + fp else 0.0
    pair_r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "spans": n, "accuracy": _ratio(ok, n),
        "table_spans": nt, "table_accuracy": _ratio(okt, nt), "table_precision": _ratio(okpt, predt),
        "narrative_spans": nn, "narrative_loose": _ratio(okn, nn), "narrative_kind": _ratio(kindn, nn),
        "pair_f1": round(2 * pair_p * pair_r / (pair_p + pair_r), 4) if pair_p + pair_r else 0.0,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None
