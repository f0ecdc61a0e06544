"""Fact evaluation: gold records vs predicted facts (pure functions, dicts of metrics).

Spans are compared on the gold record's text.  Extractors run on the text as the
readers normalize it (``nlp.pipeline.document_from_text``) and their offsets are mapped back
through ``Document.offset_map``; with ``normalize=False`` the record text is used
as is.  Facts that share a span and label (a ZERO claim denying
several indicators) count once for span metrics and once per indicator for linking.

- span P/R/F1, exact (same start, end, label) and overlapping (same label, any overlap,
  one-to-one), overall and per label;
- value accuracy and approx-flag accuracy on overlap-matched spans;
- linking accuracy on exactly matched spans: all ids, table ids alone, and
  ``narrative.*`` ids compared by their first topic segment (``narrative.website``),
  because realdev topics are the annotator's own.
"""

from __future__ import annotations

from typing import Any, Iterable

from nlp.types import FACT_LABELS, Fact, Record

Span = tuple[int, int, str]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def spans_of(facts: Iterable[Fact]) -> list[Span]:
    """Distinct (start, end, label) of a fact list.

    >>> spans_of([Fact(0, 2, "无", "ZERO", 0, indicator="a"), Fact(0, 2, "无", "ZERO", 0, indicator="b")])
    [(0, 2, 'ZERO')]
    """
    return sorted({(f.start, f.end, f.label) for f in facts})


def overlap_pairs(gold: list[Span], pred: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs of same-label overlapping spans, exact matches first.

    >>> overlap_pairs([(0, 4, "COUNT"), (10, 12, "COUNT")], [(1, 4, "COUNT"), (10, 12, "MONEY")])
    [((0, 4, 'COUNT'), (1, 4, 'COUNT'))]
    """
    pairs, used_g, used_p = [], set(), set()
    for g in gold:
        if g in pred:
            pairs.append((g, g))
            used_g.add(g)
            used_p.add(g)
    for g in gold:
        if g in used_g:
            continue
        for p in pred:
            if p not in used_p and p[2] == g[2] and p[0] < g[1] and g[0] < p[1]:
                pairs.append((g, p))
                used_g.add(g)
                used_p.add(p)
                break
    return sorted(pairs)


def _same_value(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def _loose_id(indicator: str | None) -> str | None:
    """Table ids as they are; narrative ids by their first topic segment.

    >>> _loose_id("narrative.website.posts"), _loose_id("requests.new.total")
    ('narrative.website', 'requests.new.total')
    """
    if indicator and indicator.startswith("narrative."):
        return ".".join(indicator.split(".")[:2])
    return indicator


def _is_table_id(indicator: str | None) -> bool:
    if not indicator or indicator.startswith("narrative."):
        return False
    from nlp.indicators import is_table_id

    return bool(is_table_id(indicator))


def evaluate_facts(gold: list[Record], pred: list[list[Fact]]) -> dict[str, Any]:
    """Metrics of predicted facts (offsets into each gold record's text) against gold."""
    counts = {lab: [0, 0, 0] for lab in FACT_LABELS}  # tp, pred, gold (exact)
    ov = [0, 0, 0]
    values = [0, 0]
    approx = [0, 0]
    link = {"all": [0, 0], "table": [0, 0], "narrative_loose": [0, 0]}
    errors: list[dict[str, Any]] = []
    for rec, facts in zip(gold, pred):
        g, p = spans_of(rec.facts), spans_of(facts)
        gs, ps = set(g), set(p)
        for lab in FACT_LABELS:
            counts[lab][0] += sum(1 for s in gs & ps if s[2] == lab)
            counts[lab][1] += sum(1 for s in ps if s[2] == lab)
            counts[lab][2] += sum(1 for s in gs if s[2] == lab)
        pairs = overlap_pairs(g, p)
        ov[0] += len(pairs)
        ov[1] += len(p)
        ov[2] += len(g)
        first_gold = {(f.start, f.end, f.label): f for f in reversed(rec.facts)}
        first_pred = {(f.start, f.end, f.label): f for f in reversed(facts)}
        for gspan, pspan in pairs:
            gf, pf = first_gold[gspan], first_pred[pspan]
            values[1] += 1
            approx[1] += 1
            ok_value = _same_value(gf.value, pf.value)
            values[0] += ok_value
            approx[0] += gf.approx == pf.approx
            if not ok_value or gf.approx != pf.approx:
                errors.append({"id": rec.id, "kind": "value", "gold": gf.to_dict(), "pred": pf.to_dict()})
        _link_counts(rec.facts, facts, ps, link)
        for s in sorted(gs - {gp for gp, _ in pairs}):
            errors.append({"id": rec.id, "kind": "missed", "span": list(s), "text": rec.text[s[0]:s[1]]})
        for s in sorted(ps - {pp for _, pp in pairs}):
            errors.append({"id": rec.id, "kind": "spurious", "span": list(s), "text": rec.text[s[0]:s[1]]})
        for gspan, pspan in pairs:
            if gspan != pspan:
                errors.append({"id": rec.id, "kind": "boundary", "gold": rec.text[gspan[0]:gspan[1]],
                               "pred": rec.text[pspan[0]:pspan[1]], "span": list(gspan)})
    tp = sum(c[0] for c in counts.values())
    out: dict[str, Any] = {
        "documents": len(gold),
        "exact": _prf(tp, sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values())),
        "overlap": _prf(*ov),
        "per_label": {lab: _prf(*counts[lab]) for lab in FACT_LABELS if counts[lab][1] or counts[lab][2]},
        "value_accuracy": round(values[0] / values[1], 4) if values[1] else None,
        "approx_accuracy": round(approx[0] / approx[1], 4) if approx[1] else None,
        "matched": values[1],
        "linking": {k: (round(v[0] / v[1], 4) if v[1] else None) for k, v in link.items()},
        "linking_counts": {k: v[1] for k, v in link.items()},
        "errors": errors,
    }
    return out


def _link_counts(gold_facts: list[Fact], pred_facts: list[Fact], pred_spans: set[Span],
                 link: dict[str, list[int]]) -> None:
    """Linking accuracy over gold facts with an indicator whose span was found exactly."""
    by_span: dict[Span, set[str | None]] = {}
    for f in pred_facts:
        by_span.setdefault((f.start, f.end, f.label), set()).add(f.indicator)
    for f in gold_facts:
        key = (f.start, f.end, f.label)
        if f.indicator is None or key not in pred_spans:
            continue
        ids = by_span.get(key, set())
        hit = f.indicator in ids
        link["all"][0] += hit
        link["all"][1] += 1
        if _is_table_id(f.indicator):
            link["table"][0] += hit
            link["table"][1] += 1
        else:
            link["narrative_loose"][0] += _loose_id(f.indicator) in {_loose_id(i) for i in ids}
            link["narrative_loose"][1] += 1


def predict_records(extractor: Any, records: list[Record], normalize: bool = True) -> list[list[Fact]]:
    """Run an extractor component on each record's prose lines (``nlp.extract.prose_spans``:
    every line but table rows), in one ``pipe`` call; offsets mapped back to the record text."""
    from nlp.component import Work
    from nlp.extract import prose_spans
    from nlp.pipeline import document_from_text
    from nlp.types import Document, lines_of

    read_text = document_from_text if normalize else None
    docs = [read_text(rec.text, path=rec.id) if read_text is not None
            else Document(rec.id, "txt", rec.text, lines_of(rec.text)) for rec in records]
    predicted = extractor.pipe([Work(doc, spans=prose_spans(doc.text)) for doc in docs])
    if read_text is None:
        return [list(facts) for facts in predicted]
    out = []
    for rec, doc, found in zip(records, docs, predicted):
        facts = []
        for f in found:
            start = doc.to_original(f.start)
            end = doc.to_original(f.end - 1) + 1 if f.end > f.start else start
            facts.append(Fact(start, end, rec.text[start:end], f.label, f.value, f.unit, f.approx,
                              f.indicator, f.confidence))
        out.append(facts)
    return out


def evaluate_extractor(extractor: Any, records: list[Record], normalize: bool = True,
                       keep_errors: bool = False) -> dict[str, Any]:
    """Predict and score; errors are dropped unless ``keep_errors`` (cards stay small)."""
    metrics = evaluate_facts(records, predict_records(extractor, records, normalize))
    if not keep_errors:
        metrics["errors"] = len(metrics["errors"])
    return metrics


def summary(metrics: dict[str, Any]) -> str:
    """One line: exact/overlap F1, value and approx accuracy, table linking.

    >>> summary({"exact": {"f1": 0.9}, "overlap": {"f1": 0.95}, "value_accuracy": 1.0,
    ...          "approx_accuracy": 1.0, "linking": {"table": None}})
    'exact F1 0.900  overlap F1 0.950  value acc 1.000  approx acc 1.000  table-link acc -'
    """
    def fmt(x: Any) -> str:
        return "-" if x is None else f"{x:.3f}"
    return (f"exact F1 {fmt(metrics['exact']['f1'])}  overlap F1 {fmt(metrics['overlap']['f1'])}  "
            f"value acc {fmt(metrics['value_accuracy'])}  approx acc {fmt(metrics['approx_accuracy'])}  "
            f"table-link acc {fmt(metrics['linking'].get('table'))}")
