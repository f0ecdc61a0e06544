"""Segmentation metrics: gold lines vs predicted lines, for the model and the rule baseline.

Predictions come from a :class:`~nlp.types.Document` whose (normalized) text may differ
from the gold text, so every gold line takes the label of the predicted line that
contains its start, located through ``Document.offset_map``.  When the document was
read from another format (docx/html/pdf built from the same report) the offsets do
not apply and lines are aligned by their content instead.

Metrics: line accuracy, per-section precision/recall/F1, heading precision/recall/F1,
and the share of documents whose section boundaries (first line of every section
run, over non-empty lines) are all exactly right; ``body_*`` variants leave out the
title/preamble split (lines whose gold section is title or preamble).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from nlp.component import Work
from nlp.types import SECTIONS, Document, Line, Record


class SegmenterLike(Protocol):
    """A ``segmenter`` component (:mod:`nlp.component`)."""

    def __call__(self, work: Work) -> list[Line]: ...


def document_of(text: str, path: str = "<text>") -> Document:
    """The Document the pipeline makes of ``text`` (what the segmenter sees of a record)."""
    from nlp.pipeline import document_from_text

    return document_from_text(text, path=path)


def _key(text: str) -> str:
    """Line content for alignment: no whitespace/table bars, full-width folded.

    >>> _key("（一） 主动公开｜")
    '(一)主动公开'
    """
    from nlp.segment import norm
    return re.sub(r"[\s|\u3000\xa0]+", "", norm(text))


def _is_content(text: str) -> bool:
    return bool(re.sub(r"[\s|\-*•·#>\u3000\xa0\ufeff\u200b]+", "", text))


def align(gold: Record, doc: Document, pred: list[Line]) -> list[Line]:
    """The predicted (section, heading, confidence) for every gold line, in gold offsets."""
    source = doc.original or doc.text
    if source == gold.text:
        starts = [doc.to_original(ln.start) for ln in pred]
        out = []
        for g in gold.lines:
            k = max(bisect.bisect_right(starts, g.start) - 1, 0)
            p = pred[k] if pred else Line(0, 0, None)
            # An empty gold line inside a joined predicted line is not a heading of its own.
            same_start = bool(pred) and starts[k] == g.start
            out.append(Line(g.start, g.end, p.section, p.heading and same_start, p.confidence))
        return out
    return _align_by_content(gold, doc, pred)


def _align_by_content(gold: Record, doc: Document, pred: list[Line]) -> list[Line]:
    gold_keys = [_key(gold.text[g.start:g.end]) for g in gold.lines]
    pred_keys = [_key(doc.text[p.start:p.end]) for p in pred]
    gi = [i for i, k in enumerate(gold_keys) if k]
    pi = [i for i, k in enumerate(pred_keys) if k]
    match = difflib.SequenceMatcher(None, [gold_keys[i] for i in gi], [pred_keys[i] for i in pi],
                                    autojunk=False)
    mapped: dict[int, int] = {}
    for a, b, size in match.get_matching_blocks():
        for d in range(size):
            mapped[gi[a + d]] = pi[b + d]
    out, last = [], None
    for i, g in enumerate(gold.lines):
        k = mapped.get(i)
        if k is not None:
            p = pred[k]
            out.append(Line(g.start, g.end, p.section, p.heading, p.confidence))
            last = p
        else:  # unmatched (split/joined differently): the last matched line's section, no heading
            ref = last or (pred[0] if pred else Line(0, 0, None))
            out.append(Line(g.start, g.end, ref.section, False, ref.confidence))
    return out


def boundaries(record: Record, lines: list[Line]) -> list[tuple[int, str]]:
    """(line index, section) where each section run starts, over non-empty lines."""
    out, prev = [], None
    for i, (g, ln) in enumerate(zip(record.lines, lines)):
        if not _is_content(record.text[g.start:g.end]):
            continue
        if ln.section != prev:
            out.append((i, ln.section))
            prev = ln.section
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0 if not fn else 0.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def gold_heading_flags(record: Record) -> list[bool]:
    """Heading flags of the gold lines; realdev's ``headings`` also mark multi-line headings.

    (realdev derives ``lines`` from ``headings``; a heading printed over two lines,
    e.g. agency / year title, is listed in ``headings`` but not flagged in ``lines``.)
    """
    flags = [bool(g.heading) for g in record.lines]
    for h in record.headings or []:
        text = h.get("text", "") if isinstance(h, dict) else ""
        if "\n" not in text:
            continue
        at = record.text.find(text)
        if at < 0:
            continue
        for i, g in enumerate(record.lines):
            if g.start < at + len(text) and g.end > at and _is_content(record.text[g.start:g.end]):
                flags[i] = True
    return flags


def segment_metrics(pairs: Iterable[tuple[Record, list[Line]]]) -> dict[str, Any]:
    """Metrics over documents: each pair is (gold record, predictions aligned to its lines)."""
    lines = correct = docs = exact = body_exact = 0
    content = content_ok = body = body_ok = 0
    sec = {s: [0, 0, 0] for s in SECTIONS}  # tp, fp, fn
    head = [0, 0, 0]
    for gold, pred in pairs:
        docs += 1
        flags = gold_heading_flags(gold)
        for g, p, gh in zip(gold.lines, pred, flags):
            lines += 1
            correct += g.section == p.section
            if _is_content(gold.text[g.start:g.end]):
                content += 1
                content_ok += g.section == p.section
            if g.section not in _FRONT:
                body += 1
                body_ok += g.section == p.section
            if g.section == p.section:
                sec[g.section][0] += 1
            else:
                if p.section in sec:
                    sec[p.section][1] += 1
                if g.section in sec:
                    sec[g.section][2] += 1
            head[0] += gh and p.heading
            head[1] += (not gh) and p.heading
            head[2] += gh and not p.heading
        exact += boundaries(gold, gold.lines) == boundaries(gold, pred)
        body_exact += _body(boundaries(gold, gold.lines)) == _body(boundaries(gold, pred))
    per_section = {s: {**_prf(*v), "support": v[0] + v[2]} for s, v in sec.items() if v[0] + v[2] or v[1]}
    supported = [v["f1"] for v in per_section.values() if v["support"]]
    return {
        "documents": docs,
        "lines": lines,
        "line_accuracy": round(correct / lines, 4) if lines else 0.0,
        "content_line_accuracy": round(content_ok / content, 4) if content else 0.0,
        "section_macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
        "per_section": per_section,
        "heading": _prf(*head),
        "boundaries_exact": round(exact / docs, 4) if docs else 0.0,
        "body_line_accuracy": round(body_ok / body, 4) if body else 1.0,
        "body_boundaries_exact": round(body_exact / docs, 4) if docs else 0.0,
    }


_FRONT = ("title", "preamble")


def _body(bounds: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Boundaries from 一、总体情况 on, with title/preamble taken as one front block.

    (realdev derives title vs preamble mechanically from its heading list, so the
    split inside the front matter is reported apart from the six sections.)
    """
    out = [(i, s) for i, s in bounds if s not in _FRONT]
    return out


def predict_aligned(segmenter: SegmenterLike, gold: Record, doc: Document | None = None) -> list[Line]:
    """Run ``segmenter`` on ``doc`` (default: the reader's Document of the gold text), align."""
    if doc is None:
        doc = document_of(gold.text, gold.id)
    return align(gold, doc, segmenter(Work(doc)))


def evaluate(segmenter: SegmenterLike, records: list[Record],
             docs: Callable[[Record], Document] | None = None, per_document: bool = False) -> dict[str, Any]:
    """Metrics of one segmenter on gold ``records`` (optionally read through ``docs``)."""
    pairs = [(r, predict_aligned(segmenter, r, docs(r) if docs else None)) for r in records]
    out = segment_metrics(pairs)
    if per_document:
        out["per_document"] = {}
        for r, p in pairs:
            m = segment_metrics([(r, p)])
            out["per_document"][r.id] = {"line_accuracy": m["line_accuracy"],
                                         "body_line_accuracy": m["body_line_accuracy"],
                                         "heading_f1": m["heading"]["f1"],
                                         "heading": m["heading"],
                                         "boundaries_exact": m["boundaries_exact"],
                                         "body_boundaries_exact": m["body_boundaries_exact"]}
    return out


def evaluate_sets(model: SegmenterLike, sets: dict[str, list[Record]],
                  per_document: Iterable[str] = ("seeds", "realdev")) -> dict[str, Any]:
    """``{set: {"model": metrics, "rule": metrics}}`` — the baseline is always reported too."""
    from nlp.segment import RuleSegmenter
    rule = RuleSegmenter()
    keep = set(per_document)
    return {name: {"model": evaluate(model, recs, per_document=name in keep),
                   "rule": evaluate(rule, recs, per_document=name in keep)}
            for name, recs in sets.items()}


def errors(segmenter: SegmenterLike, gold: Record, doc: Document | None = None) -> list[dict[str, Any]]:
    """Every gold line the segmenter gets wrong (section or heading), for error analysis."""
    pred = predict_aligned(segmenter, gold, doc)
    flags = gold_heading_flags(gold)
    out = []
    for i, (g, p, gh) in enumerate(zip(gold.lines, pred, flags)):
        if g.section != p.section or gh != p.heading:
            out.append({"line": i, "text": gold.text[g.start:g.end][:40], "gold": (g.section, gh),
                        "pred": (p.section, p.heading), "confidence": p.confidence})
    return out
