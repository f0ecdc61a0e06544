"""The one place that evaluates everything: gold records against predicted records, the
shipped models against every evaluation set (with their baselines), and the model cards.

- ``evaluate_records(gold, pred)`` — two lists of records paired by id (a prediction file
  from ``govreport extract``/``check`` and a gold file): segmentation, facts, tables and
  findings, each from its stage's module in ``nlp.evaluate``.
- ``evaluate_models(gold, models_dir)`` — runs the pipeline on each gold record's text
  (and the all-rules pipeline as the baseline) and scores both.
- ``evaluate_all(models_dir, corpus_dir)`` — every shipped model on seeds, synthetic dev and
  test, and realdev when present, beside its baselines; ``write_cards`` puts the figures
  into each model's ``meta.json`` under ``evaluation`` (written by the command, never by hand).

Predicted text may differ from gold text by normalization: predicted offsets are mapped
back to the gold text through the reader's ``offset_map`` (or by aligning the characters
when the prediction came from another format).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from nlp import persist
from nlp.evaluate.findings import predict_records
from nlp.types import Document, Fact, Line, Record


# ---------------------------------------------------------------- offsets: prediction → gold text
def _reader_doc(gold: Record) -> Document | None:
    try:
        from nlp.pipeline import document_from_text
        return document_from_text(gold.text, path=gold.id)
    except Exception:  # noqa: BLE001 — no reader or unreadable gold: align by content
        return None


def char_map(source: str, target: str) -> list[int]:
    """For each offset of ``source`` (plus its end), an offset in ``target`` with the same text;
    a character that changed (３ → 3) takes the place after its matched predecessor.

    >>> char_map("ab c", "abc")
    [0, 1, 2, 2, 3]
    >>> char_map("共3件", "共３件")
    [0, 1, 2, 3]
    """
    out = [-1] * (len(source) + 1)
    sm = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for d in range(size):
            out[a + d] = b + d
    out[len(source)] = len(target)
    nxt = [len(target)] * (len(source) + 1)
    for i in range(len(source) - 1, -1, -1):
        nxt[i] = out[i] if out[i] >= 0 else nxt[i + 1]
    prev = -1
    for i in range(len(source)):
        if out[i] < 0:
            out[i] = min(prev + 1, nxt[i])
        prev = out[i]
    return out


def _offset_fn(gold: Record, pred: Record, doc: Document | None):
    """start/end mapper from ``pred.text`` offsets to ``gold.text`` offsets."""
    if pred.text == gold.text:
        return lambda s, e: (s, e)
    if doc is not None and doc.text == pred.text:
        def via_reader(s: int, e: int) -> tuple[int, int]:
            start = doc.to_original(s)
            return start, (doc.to_original(e - 1) + 1 if e > s else start)
        return via_reader
    cmap = char_map(pred.text, gold.text)

    def via_chars(s: int, e: int) -> tuple[int, int]:
        s2 = cmap[min(s, len(cmap) - 1)]
        return s2, max(s2, cmap[min(max(e - 1, s), len(cmap) - 1)] + 1 if e > s else s2)
    return via_chars


def facts_in_gold_offsets(gold: Record, pred: Record, doc: Document | None = None) -> list[Fact]:
    """``pred.facts`` with offsets (and text) moved onto ``gold.text``."""
    move = _offset_fn(gold, pred, doc)
    out = []
    for f in pred.facts:
        s, e = move(f.start, f.end)
        out.append(replace(f, start=s, end=e, text=gold.text[s:e]))
    return out


def lines_in_gold_offsets(gold: Record, pred: Record, doc: Document | None = None) -> list[Line]:
    """The predicted (section, heading) of every gold line (see ``segments.align``)."""
    from nlp.evaluate.segments import align
    if doc is not None and doc.text == pred.text:
        pdoc = Document(gold.id, "txt", pred.text, pred.lines, original=gold.text, offset_map=doc.offset_map)
    else:
        pdoc = Document(gold.id, "txt", pred.text, pred.lines)
    return align(gold, pdoc, pred.lines)


# ---------------------------------------------------------------- gold vs predicted records
def pair(gold: list[Record], pred: Iterable[Record]) -> dict[str, Record]:
    """Predictions by gold id: same id first, else the same text (raw or as the reader
    normalizes it — `govreport extract` names records after their files, gold files
    name them otherwise).  Text-paired predictions take the gold id."""
    pred = list(pred)
    gold_ids = {g.id for g in gold}
    out = {p.id: p for p in pred if p.id in gold_ids}
    by_text = {p.text: p for p in pred if p.id not in gold_ids and p.text}
    for g in gold:
        if g.id in out or not by_text:
            continue
        p = by_text.get(g.text)
        if p is None:
            doc = _reader_doc(g)
            p = by_text.get(doc.text) if doc is not None else None
        if p is not None:
            out[g.id] = replace(p, id=g.id)
    return out


def evaluate_records(gold: Iterable[Record], pred: Iterable[Record], keep_errors: bool = False) -> dict[str, Any]:
    """Every stage's metrics for predicted records against gold records (paired by id).

    A gold record without a prediction (or whose prediction failed) counts as predicting
    nothing: every gold fact/cell/finding missed; its lines are left out of segmentation.
    Error lists are replaced by their length unless ``keep_errors``.
    """
    from nlp.evaluate.facts import evaluate_facts
    from nlp.evaluate.findings import evaluate_findings
    from nlp.evaluate.segments import segment_metrics
    from nlp.evaluate.tables import evaluate_tables

    gold = list(gold)
    by_id = pair(gold, pred)
    seg_pairs, facts, failed, absent = [], [], [], []
    for g in gold:
        p = by_id.get(g.id)
        if p is None or p.error is not None:
            (absent if p is None else failed).append(g.id)
            facts.append([])
            continue
        doc = _reader_doc(g) if p.text != g.text else None
        facts.append(facts_in_gold_offsets(g, p, doc))
        if p.lines and g.lines:
            seg_pairs.append((g, lines_in_gold_offsets(g, p, doc)))
    fact_m = evaluate_facts(gold, facts)
    find_m = evaluate_findings(gold, [by_id[g.id] for g in gold if g.id in by_id])
    if not keep_errors:
        fact_m["errors"] = len(fact_m["errors"])
        find_m["errors"] = len(find_m["errors"])
    return {
        "documents": len(gold),
        "without_prediction": absent,
        "failed": failed,
        "segmentation": segment_metrics(seg_pairs) if seg_pairs else None,
        "facts": fact_m,
        "tables": evaluate_tables(gold, [p for p in by_id.values() if p.error is None]),
        "findings": find_m,
        "metadata": metadata_metrics(gold, by_id),
    }


def metadata_metrics(gold: list[Record], by_id: dict[str, Record]) -> dict[str, Any]:
    """Agency and year as the record names them: exact match over the gold records that
    name them, and how many predictions leave them out."""
    out: dict[str, Any] = {}
    for key in ("agency", "year"):
        named = [g for g in gold if getattr(g, key) is not None]
        got = [getattr(by_id[g.id], key) if g.id in by_id else None for g in named]
        out[key] = {"documents": len(named),
                    "exact": sum(p == getattr(g, key) for g, p in zip(named, got)) / len(named) if named else None,
                    "missing": sum(p is None for p in got)}
    return out


def rule_pipeline():
    """The whole pipeline on the rule baselines (heading regex, the rule extractor, keyword linker)."""
    from nlp.extract.rules import RuleExtractor
    from nlp.link import RuleLinker
    from nlp.pipeline import Pipeline
    from nlp.segment import RuleSegmenter
    return Pipeline(RuleSegmenter(), RuleExtractor(), RuleLinker(), {"segmenter": "rule", "extractor": "rule",
                                                                     "linker": "rule"})


def evaluate_models(gold: Iterable[Record], models_dir: str | Path | None = None, baseline: bool = True,
                    keep_errors: bool = False) -> dict[str, dict[str, Any]]:
    """``{"model": metrics, "rule": metrics}``: the shipped models end to end on each gold
    record's text, and the same pipeline on the rule baselines."""
    from nlp.pipeline import Pipeline
    gold = list(gold)
    out = {"model": evaluate_records(gold, predict_records(gold, Pipeline.load(models_dir)), keep_errors)}
    if baseline:
        out["rule"] = evaluate_records(gold, predict_records(gold, rule_pipeline()), keep_errors)
    return out


# ---------------------------------------------------------------- every model on every set
def load_sets(corpus_dir: str | Path = "corpus", realdev: str | Path | None = None) -> dict[str, list[Record]]:
    """The evaluation sets that exist: the trainers' ``data.eval`` and ``data.measure`` sets
    (seeds, synthetic dev/test, realdev when present; :meth:`TrainConfig.eval_paths`), in
    the settings' order with the seeds first."""
    from nlp.corpus import load_records
    from nlp.train.config import load_config

    # The data sets are the ones every trainer shares (configs/defaults.yaml).
    paths = load_config("segmenter").eval_paths(corpus_dir, realdev or None)
    return {name: load_records(paths[name]) for name in sorted(paths, key=lambda n: n != "seeds")}


def _strip(m: dict[str, Any]) -> dict[str, Any]:
    """Drop error lists (cards stay small)."""
    return {k: (len(v) if k == "errors" and isinstance(v, list) else v) for k, v in m.items()}


def evaluate_all(models_dir: str | Path | None = None, corpus_dir: str | Path = "corpus",
                 realdev: str | Path | None = None, log=None, recognizers_cap: int = 50,
                 skip_slow: tuple[str, ...] = ("synthetic_dev",)) -> dict[str, Any]:
    """Every shipped model on every evaluation set beside its baselines (nothing retrained).

    The dev split (where models were tuned) gets the cheap evaluations only: ``skip_slow``
    sets are left out of the extractor and end-to-end runs.  Recognizers-Text (~0.4 s a
    document) sees the first ``recognizers_cap`` documents of each set.

    Returns ``{"segmenter": {set: {"model", "rule"}}, "extractor": {set: {"model", "rule",
    "recognizers"}}, "linker": {set: {"model", "rule"}}, "end_to_end": {set: {"model", "rule"}},
    "reconciler": {set: findings on gold facts and tables}, "sets": {set: documents}}``.
    """
    from nlp.component import load as load_component
    from nlp.extract.rules import RecognizersExtractor, RuleExtractor
    from nlp.evaluate.facts import evaluate_extractor
    from nlp.evaluate.findings import evaluate_findings, reconcile_gold
    from nlp.evaluate.segments import evaluate_sets
    from nlp.evaluate.linking import evaluate_linking
    from nlp.link import RuleLinker
    from nlp.pipeline import Pipeline

    say = log or (lambda *_: None)
    models_dir = persist.models_dir(models_dir)
    sets = load_sets(corpus_dir, realdev)
    if not sets:
        from nlp.errors import CorpusError
        raise CorpusError(str(corpus_dir), "no evaluation set here (seeds.jsonl, synth/dev.jsonl, synth/test.jsonl)")
    t0 = time.perf_counter()
    out: dict[str, Any] = {"sets": {k: len(v) for k, v in sets.items()}}

    say("segmenter: model and heading-regex baseline")
    out["segmenter"] = evaluate_sets(load_component("segmenter", models_dir / "segmenter"), sets)

    say("extractor: model, rule baseline, Recognizers-Text")
    extractors = {"model": load_component("extractor", models_dir / "extractor"), "rule": RuleExtractor()}
    if RecognizersExtractor.available():
        extractors["recognizers"] = RecognizersExtractor()
    # Recognizers-Text figures carry their own ``documents`` count (the cap).
    out["extractor"] = {name: {who: evaluate_extractor(ex, recs[:recognizers_cap] if who == "recognizers" else recs)
                               for who, ex in extractors.items()}
                        for name, recs in sets.items() if name not in skip_slow}

    say("linker: model and keyword baseline, on gold spans")
    linkers = {"model": load_component("linker", models_dir / "linker"), "rule": RuleLinker()}
    out["linker"] = {name: {who: evaluate_linking(ln, recs) for who, ln in linkers.items()}
                     for name, recs in sets.items()}

    say("end to end: pipeline on the models and on the rule baselines")
    pipes = {"model": Pipeline.load(models_dir), "rule": rule_pipeline()}
    out["end_to_end"] = {name: {who: evaluate_records(recs, predict_records(recs, p)) for who, p in pipes.items()}
                         for name, recs in sets.items() if name not in skip_slow}

    say("reconciler alone: on gold facts and tables")
    out["reconciler"] = {name: _strip(evaluate_findings(recs, reconcile_gold(recs))) for name, recs in sets.items()}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def write_cards(report: dict[str, Any], models_dir: str | Path | None = None) -> list[Path]:
    """Put each model's figures into its card (``evaluation``), plus the end-to-end figures."""
    from nlp.persist import read_meta, update_meta
    stamp = {"command": "govreport evaluate --all", "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
             "sets": report["sets"], "recomputed": report["sets"]}  # sets: merged with the sets kept
    e2e = report["end_to_end"]
    cards = {
        "segmenter": {**stamp, "sets_metrics": report["segmenter"],
                      "end_to_end": {s: {w: m["segmentation"] for w, m in by.items()} for s, by in e2e.items()}},
        "extractor": {**stamp, "sets_metrics": report["extractor"],
                      "end_to_end": {s: {w: m["facts"] for w, m in by.items()} for s, by in e2e.items()}},
        "linker": {**stamp, "sets_metrics": report["linker"],
                   "end_to_end": {s: {w: m["facts"]["linking"] for w, m in by.items()} for s, by in e2e.items()}},
    }
    written = []
    for kind, fields in cards.items():
        folder = persist.models_dir(models_dir) / kind
        if (folder / "meta.json").is_file():
            old = read_meta(folder, verify=False).get("evaluation") or {}
            merged = merge_figures(old, fields)
            merged["recomputed"] = report["sets"]  # what this run measured, not merged with earlier runs
            update_meta(folder, evaluation=merged)
            written.append(folder / "meta.json")
    return written


def merge_figures(old: Any, new: Any) -> Any:
    """New figures over old ones, keeping every old figure the new run did not recompute
    (realdev when it is absent, Recognizers-Text when it does not import).

    >>> merge_figures({"realdev": {"f1": 0.98}, "seeds": {"f1": 0.9, "rt": 0.7}}, {"seeds": {"f1": 0.95}})
    {'realdev': {'f1': 0.98}, 'seeds': {'f1': 0.95, 'rt': 0.7}}
    """
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    merged = dict(old)
    for key, value in new.items():
        merged[key] = merge_figures(old.get(key), value)
    return merged


# ---------------------------------------------------------------- headline rows
def _f(x: Any) -> str:
    """
    >>> _f(0.98765), _f(None), _f(3)
    ('0.988', '-', '3')
    """
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def _precision(m: dict[str, Any]) -> str:
    """Precision, or '-' when nothing was predicted (never 1.000 out of no predictions).

    >>> _precision({"precision": 1.0, "pred": 0}), _precision({"precision": 1.0, "tp": 0, "fp": 0})
    ('-', '-')
    >>> _precision({"precision": 0.5, "tp": 1, "fp": 1})
    '0.500'
    """
    predicted = m["pred"] if "pred" in m else m.get("tp", 0) + m.get("fp", 0)
    return _f(m.get("precision")) if predicted else "-"


def _prf_text(m: dict[str, Any]) -> str:
    return f"{_precision(m)} / {_f(m['recall'])} / {_f(m['f1']) if _precision(m) != '-' else '-'}"


def record_rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(metric, system, value) rows of an ``evaluate_records``-style result per system."""
    rows = []
    for who, m in result.items():
        seg = m.get("segmentation")
        if seg:
            rows += [("segmentation: line accuracy", who, _f(seg["line_accuracy"])),
                     ("segmentation: heading F1", who, _f(seg["heading"]["f1"])),
                     ("segmentation: boundaries exact", who, _f(seg["boundaries_exact"]))]
            rows += [(f"segmentation: F1 {s}", who, _f(v["f1"])) for s, v in seg["per_section"].items()]
        fa = m["facts"]
        rows += [("facts: exact span P / R / F1", who, _prf_text(fa["exact"])),
                 ("facts: overlap span P / R / F1", who, _prf_text(fa["overlap"]))]
        rows += [(f"facts: {lab} P / R / F1", who, _prf_text(v)) for lab, v in fa["per_label"].items()]
        rows += [("facts: value accuracy (matched)", who, _f(fa["value_accuracy"])),
                 ("facts: approx-flag accuracy", who, _f(fa["approx_accuracy"])),
                 ("linking: all ids", who, _f(fa["linking"]["all"])),
                 ("linking: table ids", who, _f(fa["linking"]["table"]))]
        tb = m["tables"]
        rows.append(("tables: cell accuracy", who, _f(tb["all"]["accuracy"]) if "all" in tb else "-"))
        meta = m.get("metadata") or {}
        rows += [(f"metadata: {k} exact", who, _f(v["exact"])) for k, v in meta.items() if v["documents"]]
        for t, v in m["findings"].items():
            if isinstance(v, dict) and (v.get("support") or v.get("fp")):
                rows.append((f"findings: {t} P / R", who, f"{_precision(v)} / {_f(v['recall'])}"))
    return rows


def headline_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """(columns, rows): one row per headline figure (the ones the issues set targets for),
    one column per evaluation set; each cell reads ``model (rule) [Recognizers-Text]``."""
    names = list(report["sets"])

    def pick(section: str, name: str, who: str, *path: str) -> Any:
        m = report[section].get(name, {}).get(who)
        for key in path:
            if not isinstance(m, dict):
                return None
            m = m.get(key)
        return m

    def cell(section: str, name: str, *path: str) -> str:
        if name not in report[section]:
            return "-"
        if path[0] == "findings" and not pick(section, name, "model", "findings", "micro", "support"):
            return "no gold findings"
        out = f"{_f(pick(section, name, 'model', *path))} ({_f(pick(section, name, 'rule', *path))})"
        if "recognizers" in report[section][name]:
            out += f" [{_f(pick(section, name, 'recognizers', *path))}]"
        return out

    spec = [
        ("segmenter: line accuracy", "segmenter", ("line_accuracy",)),
        ("segmenter: heading F1", "segmenter", ("heading", "f1")),
        ("segmenter: boundaries exact", "segmenter", ("boundaries_exact",)),
        ("extractor: span F1 (exact)", "extractor", ("exact", "f1")),
        ("extractor: value accuracy", "extractor", ("value_accuracy",)),
        ("linker: table-id accuracy", "linker", ("table_accuracy",)),
        ("end to end: span F1", "end_to_end", ("facts", "exact", "f1")),
        ("end to end: table-id linking", "end_to_end", ("facts", "linking", "table")),
        ("end to end: cell accuracy", "end_to_end", ("tables", "all", "accuracy")),
        ("end to end: agency", "end_to_end", ("metadata", "agency", "exact")),
        ("end to end: year", "end_to_end", ("metadata", "year", "exact")),
        ("end to end: findings P", "end_to_end", ("findings", "micro", "precision")),
        ("end to end: findings R", "end_to_end", ("findings", "micro", "recall")),
    ]
    rows = [[label, *(cell(section, n, *path) for n in names)] for label, section, path in spec]
    rows.append(["reconciler on gold: P / R", *(
        f"{_f(report['reconciler'][n]['micro']['precision'])} / {_f(report['reconciler'][n]['micro']['recall'])}"
        for n in names)])
    return ["model (rule) [Recognizers-Text]", *(f"{n} ({report['sets'][n]})" for n in names)], rows


def rich_table(title: str, columns: list[str], rows: Iterable[Iterable[str]]):
    """A rich Table of strings (what ``govreport evaluate`` prints)."""
    from rich.table import Table
    table = Table(title=title, show_lines=False)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for r in rows:
        table.add_row(*[str(c) for c in r])
    return table


def records_table(result: dict[str, Any], title: str = "evaluation"):
    """Metric rows × systems (model, rule / pred) as one rich Table."""
    rows = record_rows(result)
    systems = list(result)
    grid: dict[str, dict[str, str]] = {}
    for metric, who, value in rows:
        grid.setdefault(metric, {})[who] = value
    return rich_table(title, ["metric", *systems], ([m, *(v.get(s, "-") for s in systems)] for m, v in grid.items()))
