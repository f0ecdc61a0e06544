"""Write the four evaluation notebooks and execute them: ``python notebooks/build_notebooks.py``.

The notebooks are generated from this file so a change to them is a reviewable diff of
plain Python (not of notebook JSON), and so every notebook shares one setup cell.  They
are committed executed, with their tables and inline PNG figures; ``--no-execute`` writes
them without outputs.  ``GOVREPORT_NOTEBOOK_SMALL=1`` runs the small setting (what the
committed outputs and the tests use on a 2-core machine: the learning curve alone
retrains the extractor four times on up to the whole split otherwise).
"""
import os
import sys
from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parent
CELL_TIMEOUT = 900  # seconds per cell

SETUP = '''%matplotlib inline
import os, sys, json, random
from collections import Counter, defaultdict
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

ROOT = Path.cwd().parent if Path.cwd().name == "notebooks" else Path.cwd()
sys.path.insert(0, str(ROOT))
# CI runs every notebook on a small setting; a researcher runs them on everything.
SMALL = os.environ.get("GOVREPORT_NOTEBOOK_SMALL") == "1"
# Real reports for evaluation only (never shipped, never trained on): $GOVREPORT_REALDEV.
REALDEV = Path(os.environ.get("GOVREPORT_REALDEV") or ROOT.parent / "shared" / "realdev" / "realdev.jsonl")
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False

from nlp.corpus import load_records
seeds = load_records(ROOT / "corpus" / "seeds.jsonl")
synth_test = load_records(ROOT / "corpus" / "synth" / "test.jsonl")
if SMALL:
    synth_test = synth_test[:60]
realdev = load_records(REALDEV) if REALDEV.is_file() else []
print(f"seeds {len(seeds)}, synthetic test {len(synth_test)}, realdev {len(realdev) or 'absent'}"
      + (" — small setting (GOVREPORT_NOTEBOOK_SMALL=1)" if SMALL else ""))'''


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"}}
    for kind, src in cells:
        book.cells.append(nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src))
    return book


segmenter = nb([
    ("md", "# Section segmenter: accuracy where researchers look for it\n\n"
           "Line accuracy, per-section F1, heading F1 and exact section boundaries for the trained "
           "segmenter (`models/segmenter`) and the heading-regex baseline, on the hand-annotated seeds, "
           "the held-out synthetic test split and — when present — the real reports of `shared/realdev` "
           "(evaluation only, never trained on)."),
    ("code", SETUP),
    ("code", '''from nlp.segment import Segmenter, RuleSegmenter
from nlp.evaluate import segments as seg_eval

model = Segmenter.load(ROOT / "models" / "segmenter")
rule = RuleSegmenter()
sets = {"seeds": seeds, "synthetic test": synth_test}
if realdev:
    sets["realdev"] = realdev
results = seg_eval.evaluate_sets(model, sets)
rows = []
for name, by in results.items():
    for who, m in by.items():
        rows.append({"set": name, "segmenter": who, "documents": m["documents"], "line acc": m["line_accuracy"],
                     "section macro-F1": m["section_macro_f1"], "heading F1": m["heading"]["f1"],
                     "boundaries exact": m["boundaries_exact"]})
pd.DataFrame(rows)'''),
    ("md", "## Per-section F1, model vs rule baseline"),
    ("code", '''name = "realdev" if realdev else "synthetic test"
per = pd.DataFrame({who: {s: v["f1"] for s, v in results[name][who]["per_section"].items()} for who in ("model", "rule")})
ax = per.plot.bar(figsize=(8, 3), title=f"per-section F1 on {name}")
ax.set_ylim(0, 1.05)
per'''),
    ("md", "## By layout\n\nThe synthetic documents record their table layout in `notes`; accuracy should not depend on it."),
    ("code", '''def note(r, key):
    return str(r.notes.get(key, "?")) if isinstance(r.notes, dict) else "?"

rows = []
for key in ("layout", "format"):
    groups = defaultdict(list)
    for r in synth_test:
        groups[note(r, key)].append(r)
    for value, recs in sorted(groups.items()):
        rows.append({"by": key, "value": value, "documents": len(recs),
                     **{f"{who} line acc": seg_eval.evaluate(s, recs)["line_accuracy"] for who, s in (("model", model), ("rule", rule))},
                     "model boundaries exact": seg_eval.evaluate(model, recs)["boundaries_exact"]})
by_layout = pd.DataFrame(rows)
layout_rows = by_layout[by_layout["by"] == "layout"].set_index("value")
ax = layout_rows[["model line acc", "rule line acc"]].plot.bar(figsize=(7, 3), title="line accuracy by table layout")
ax.set_ylim(0, 1.05)
by_layout'''),
    ("md", "## Confusion matrix (gold section × predicted section, all lines)"),
    ("code", '''from nlp.types import SECTIONS
import numpy as np
pool = seeds + synth_test + realdev
conf = np.zeros((len(SECTIONS), len(SECTIONS)), dtype=int)
for r in pool:
    pred = seg_eval.predict_aligned(model, r)
    for g, p in zip(r.lines, pred):
        if g.section in SECTIONS and p.section in SECTIONS:
            conf[SECTIONS.index(g.section), SECTIONS.index(p.section)] += 1
fig, ax = plt.subplots(figsize=(6, 5))
ax.imshow(np.log1p(conf), cmap="Blues")
ax.set_xticks(range(len(SECTIONS)), SECTIONS, rotation=45)
ax.set_yticks(range(len(SECTIONS)), SECTIONS)
ax.set_xlabel("predicted"); ax.set_ylabel("gold"); ax.set_title("sections: gold × predicted lines")
for i in range(len(SECTIONS)):
    for j in range(len(SECTIONS)):
        if conf[i, j]:
            ax.text(j, i, conf[i, j], ha="center", va="center", fontsize=7)
pd.DataFrame(conf, index=SECTIONS, columns=SECTIONS)'''),
    ("md", "## Errors on real reports, as text\n\nEvery realdev line the model gets wrong (section or heading flag). "
           "Each one is a question for the corpus generator: which phrasing does it never produce?"),
    ("code", '''for r in realdev:
    for e in seg_eval.errors(model, r):
        print(r.id, e["line"], e["gold"], "→", e["pred"], f"{e['confidence'] or 0:.2f}", e["text"])
if not realdev:
    print("realdev absent: errors on the synthetic test split instead")
    for r in synth_test[:20]:
        for e in seg_eval.errors(model, r)[:3]:
            print(r.id, e["line"], e["gold"], "→", e["pred"], e["text"])'''),
])

extractor = nb([
    ("md", "# Numeric-fact extractor and linker\n\n"
           "Span precision/recall/F1 by label, value and approx-flag accuracy, and linking accuracy for the "
           "trained spaCy extractor + linker, against our regex baseline and Microsoft Recognizers-Text; "
           "a linking confusion table; a learning curve; and the errors on real reports."),
    ("code", SETUP),
    ("code", '''from nlp.component import Work, load
from nlp.link import RuleLinker
from nlp.extract.rules import RuleExtractor, RecognizersExtractor
from nlp.evaluate.facts import evaluate_facts, predict_records, summary

extractor = load("extractor", ROOT / "models" / "extractor")
linker = load("linker", ROOT / "models" / "linker")

class Linked:
    """Extractor + linker behind the extractor interface (``pipe``)."""
    def __init__(self, ex, ln): self.ex, self.ln = ex, ln
    def pipe(self, works): return [self.ln(Work(w.doc, facts=facts)) for w, facts in zip(works, self.ex.pipe(works))]

# The baselines: our rule extractor (regexes + our numeral parser) with the keyword linker, and Recognizers-Text
# (numbers only: it links nothing, so its linking columns stay empty).
systems = {"model (spaCy + linker)": Linked(extractor, linker), "rule baseline": Linked(RuleExtractor(), RuleLinker())}
if RecognizersExtractor.available():
    systems["Recognizers-Text"] = RecognizersExtractor()
# Recognizers-Text takes ~0.4 s a document: the small setting scores 30 test documents.
sets = {"seeds": seeds, "synthetic test": synth_test[:30] if SMALL else synth_test}
if realdev:
    sets["realdev"] = realdev
metrics, predictions = {}, {}
for sname, recs in sets.items():
    for name, system in systems.items():
        predictions[sname, name] = predict_records(system, recs)
        metrics[sname, name] = evaluate_facts(recs, predictions[sname, name])
pd.DataFrame([{"set": s, "system": n, "exact P": m["exact"]["precision"], "exact R": m["exact"]["recall"],
               "exact F1": m["exact"]["f1"], "overlap F1": m["overlap"]["f1"], "value acc": m["value_accuracy"],
               "approx acc": m["approx_accuracy"],
               "table-id link acc": None if n == "Recognizers-Text" else m["linking"]["table"],
               "all-id link acc": None if n == "Recognizers-Text" else m["linking"]["all"]}
              for (s, n), m in metrics.items()])'''),
    ("md", "## Per label"),
    ("code", '''name = "realdev" if realdev else "synthetic test"
pd.DataFrame({n: {lab: v["f1"] for lab, v in metrics[name, n]["per_label"].items()} for n in systems})'''),
    ("md", "## Linking confusion\n\nOn exactly matched spans: gold id kind × predicted id kind (a table cell, a "
           "`narrative.*` topic, or no id), then the most frequent disagreements by id."),
    ("code", '''def kind(i):
    return "none" if i is None else ("narrative" if i.startswith("narrative.") else "table")

kinds, wrong = Counter(), Counter()
for r, facts in zip(sets[name], predictions[name, "model (spaCy + linker)"]):
    pred = defaultdict(set)
    for f in facts:
        pred[f.start, f.end].add(f.indicator)
    for g in r.facts:
        if (g.start, g.end) not in pred:
            continue
        got = pred[g.start, g.end]
        p = g.indicator if g.indicator in got else sorted(got, key=str)[0]
        kinds[kind(g.indicator), kind(p)] += 1
        if p != g.indicator:
            wrong[g.indicator, p] += 1
link_conf = pd.Series(kinds).unstack(fill_value=0).rename_axis(index="gold", columns="predicted")
fig, ax = plt.subplots(figsize=(4, 3.5))
ax.imshow(link_conf.values, cmap="Blues")
ax.set_xticks(range(len(link_conf.columns)), link_conf.columns)
ax.set_yticks(range(len(link_conf.index)), link_conf.index)
ax.set_xlabel("predicted"); ax.set_ylabel("gold"); ax.set_title(f"linking on {name}: id kinds")
for i in range(len(link_conf.index)):
    for j in range(len(link_conf.columns)):
        ax.text(j, i, int(link_conf.values[i, j]), ha="center", va="center", fontsize=8)
plt.show()
display(link_conf)
pd.DataFrame([{"gold": g, "predicted": p, "count": c} for (g, p), c in wrong.most_common(15)])'''),
    ("md", "## Learning curve: span F1 vs amount of synthetic training data\n\n"
           "The extractor retrained from scratch on growing slices of the training split (few epochs in the "
           "small setting), scored on the held-out synthetic test split and on realdev."),
    ("code", '''import dataclasses, tempfile, shutil
from nlp.train.config import load_config
from nlp.train.extractor import train as train_extractor
from nlp.corpus import save_records
train_all = load_records(ROOT / "corpus" / "synth" / "train.jsonl")
sizes = [10, 40, 120] if SMALL else [50, 200, 600, len(train_all)]
config = load_config("extractor")
if SMALL:  # two short epochs per point: the shape of the curve, not the shipped model
    small = dict(config.train["spacy"], max_epochs=2, patience=2, max_sentences=1200, max_dev_sentences=200)
    config = dataclasses.replace(config, train={**config.train, "spacy": small})
curve_test = synth_test[:30] if SMALL else synth_test
curve = []
for n in sizes:
    tmp = Path(tempfile.mkdtemp())
    (tmp / "corpus" / "synth").mkdir(parents=True)
    save_records(tmp / "corpus" / "synth" / "train.jsonl", train_all[:n])
    save_records(tmp / "corpus" / "synth" / "dev.jsonl", train_all[-20:])  # dev: never the test split
    train_extractor(tmp / "corpus", tmp / "model", config, log=lambda *a, **k: None)
    ex = load("extractor", tmp / "model")
    row = {"train docs": n, "synthetic test F1": evaluate_facts(curve_test, predict_records(ex, curve_test))["exact"]["f1"]}
    if realdev:
        row["realdev F1"] = evaluate_facts(realdev, predict_records(ex, realdev))["exact"]["f1"]
    curve.append(row)
    shutil.rmtree(tmp, ignore_errors=True)
curve = pd.DataFrame(curve).set_index("train docs")
curve.plot(marker="o", figsize=(6, 3), title="span F1 vs training documents", ylim=(0, 1.05))
curve'''),
    ("md", "## Errors on real reports\n\nMissed, spurious and boundary errors, and value errors, as text."),
    ("code", '''if realdev:
    for e in metrics["realdev", "model (spaCy + linker)"]["errors"]:
        print(e)
else:
    print("realdev absent")'''),
])

reconcile = nb([
    ("md", "# Reconciler: findings precision and recall by type\n\n"
           "The synthetic test split carries labelled, injected mismatches. We score the reconciler alone "
           "(on the gold facts and tables) and end to end (on the text, through the trained models), then show "
           "one example of each finding type as a reviewer reads it."),
    ("code", SETUP),
    ("code", '''from nlp.evaluate.findings import evaluate_findings, reconcile_gold
alone = evaluate_findings(synth_test, reconcile_gold(synth_test))
by_type = pd.DataFrame({t: v for t, v in alone.items() if t not in ("errors", "micro")}).T
fig, axes = plt.subplots(1, 2, figsize=(12, 3.5))
by_type["support"].sort_values().plot.barh(ax=axes[0], title="gold findings by type (synthetic test)")
by_type[["precision", "recall"]].plot.barh(ax=axes[1], xlim=(0, 1.05), title="reconciler alone: P / R by type")
plt.tight_layout()
plt.show()
pd.DataFrame({t: v for t, v in alone.items() if t != "errors"}).T[["precision", "recall", "f1", "support"]]'''),
    ("md", "## End to end (text → models → findings)"),
    ("code", '''from nlp.pipeline import Pipeline
pipe = Pipeline.load(ROOT / "models")
subset = synth_test[:40] if SMALL else synth_test
pred = [pipe.process_text(r.text, r.id) for r in subset]
e2e = evaluate_findings(subset, pred)
found = Counter(f.type for r in pred for f in r.findings)
ax = pd.Series(found).sort_values().plot.barh(figsize=(6, 3), title="findings by type, end to end")
plt.show()
pd.DataFrame({t: v for t, v in e2e.items() if t != "errors"}).T[["precision", "recall", "f1", "support"]]'''),
    ("md", "## One example of each finding type"),
    ("code", '''from nlp.types import FINDING_TYPES

def show(r, f):
    """A finding as a reviewer reads it: the message, the sentence, the table cells and their values."""
    print(f"[{f.type} · {f.severity}] {r.id}  indicator {f.indicator}")
    print("   ", f.message)
    fact = r.facts[f.fact] if f.fact is not None and f.fact < len(r.facts) else None
    if fact is not None:
        s = max(0, fact.start - 40)
        print("    narrative: …" + r.text[s:fact.end + 15].replace("\\n", " ") + "…")
    values = {k: c.value for k, c in r.cells.items()} if r.cells else r.table
    cells = [c for c in f.cells if not c.startswith("narrative.")]
    if cells:
        print("    table:", ", ".join(f"{c} = {values.get(c, '(blank)')}" for c in cells[:6]))
    print()

# Seeds and the end-to-end predictions first; the reconciler on gold records for the rest.
pool = [pipe.process_text(s.text, s.id) for s in seeds] + pred + reconcile_gold(synth_test)
for t in FINDING_TYPES:
    example = next(((r, f) for r in pool for f in r.findings if f.type == t), None)
    if example:
        show(*example)
    else:
        print(f"[{t}] no example in these documents (cross-year findings need one agency's consecutive years)\\n")'''),
])

corpus = nb([
    ("md", "# What is in the corpus, and how a researcher uses it\n\n"
           "Indicators, phrasings, layouts and years in the synthetic training split; loading as a "
           "Hugging Face `datasets.Dataset`; training and evaluating a model in a few cells. "
           "(`govreport corpus synth` writes the splits; `govreport train segmenter|extractor|linker` and "
           "`govreport evaluate --all` are the same steps at full size.)"),
    ("code", SETUP),
    ("code", '''from nlp.corpus.stats import corpus_stats, format_stats
train = load_records(ROOT / "corpus" / "synth" / "train.jsonl")
if SMALL:
    train = train[:300]
print(format_stats(corpus_stats(train), top=12))'''),
    ("md", "## Facts: labels and the indicators they link to"),
    ("code", '''labels = Counter(f.label for r in train for f in r.facts)
kinds = Counter("no id" if f.indicator is None else "narrative.*" if f.indicator.startswith("narrative.") else "table id"
                for r in train for f in r.facts)
top = Counter(f.indicator for r in train for f in r.facts if f.indicator)
fig, axes = plt.subplots(1, 3, figsize=(14, 3.5))
pd.Series(labels).plot.bar(ax=axes[0], title="facts by label")
pd.Series(kinds).plot.bar(ax=axes[1], title="what facts link to")
pd.Series(dict(top.most_common(15))).sort_values().plot.barh(ax=axes[2], title="top indicators")
plt.tight_layout()'''),
    ("md", "## Phrasing families, layouts, formats, years, templates"),
    ("code", '''def note(r, key, default="?"):
    return r.notes.get(key, default) if isinstance(r.notes, dict) else default

families = Counter(fam for r in train for fam in note(r, "families", []))
fig, axes = plt.subplots(1, 4, figsize=(15, 3))
for ax, (title, counts) in zip(axes, [("table layout", Counter(str(note(r, "layout")) for r in train)),
                                      ("format", Counter(str(note(r, "format")) for r in train)),
                                      ("year", Counter(r.year for r in train)),
                                      ("template", Counter(r.template for r in train))]):
    pd.Series(counts).sort_index().plot.bar(ax=ax, title=title)
plt.tight_layout()
pd.DataFrame(families.most_common(20), columns=["phrasing family", "documents"])'''),
    ("md", "## Loading with `datasets`"),
    ("code", '''from nlp.corpus import to_dataset
ds = to_dataset(ROOT / "corpus" / "seeds.jsonl")
print(ds)
ex = ds[0]
print(ex["id"], ex["year"], ex["template"], len(ex["text"]), "characters,", len(ex["facts"]), "facts")
print(ex["facts"][0])'''),
    ("md", "## Train and evaluate a linker in a few cells\n\nTrained on a slice of the training split, scored on "
           "gold spans of the held-out test split beside the keyword baseline (`nlp.evaluate.linking.evaluate_linking`)."),
    ("code", '''import tempfile
from dataclasses import replace
from nlp import component
from nlp.evaluate.linking import evaluate_linking
from nlp.link import RuleLinker
from nlp.train.config import load_config
from nlp.train.linker import train as train_linker
from nlp.corpus import save_records
tmp = Path(tempfile.mkdtemp())
(tmp / "synth").mkdir()
save_records(tmp / "synth" / "train.jsonl", train[:60] if SMALL else train)
cfg = replace(load_config("linker"), eval_files={}, measure_files={})  # scored below, on the test split
if SMALL:
    cfg = replace(cfg, train={**cfg.train, "max_iter": 200})  # a quick fit; the shipped linker uses configs/linker.yaml as is
train_linker(tmp, tmp / "linker", cfg)
linker = component.load("linker", tmp / "linker")
pd.DataFrame({"trained linker": evaluate_linking(linker, synth_test),
              "keyword baseline": evaluate_linking(RuleLinker(), synth_test)})'''),
])

def execute(book, name: str) -> None:
    """Run a notebook in place with this interpreter's kernel (outputs kept)."""
    import nbclient

    print(f"executing {name} …", flush=True)
    nbclient.NotebookClient(book, kernel_name="python3", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(OUT)}}).execute()


if __name__ == "__main__":
    books = (("segmenter", segmenter), ("extractor", extractor), ("reconcile", reconcile), ("corpus", corpus))
    wanted = [a for a in sys.argv[1:] if not a.startswith("-")]
    for name, book in books:
        if wanted and name not in wanted:
            continue
        if "--no-execute" not in sys.argv:
            os.environ.pop("MPLBACKEND", None)  # figures inline, as a researcher sees them
            execute(book, name)
        nbf.write(book, OUT / f"{name}.ipynb")
    print("written")
