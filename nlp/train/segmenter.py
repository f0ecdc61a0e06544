"""Training the section segmenter (``govreport train segmenter``), and its card's evaluation.

Settings: :func:`nlp.train.config.load_config` (``configs/segmenter.yaml`` over
``configs/defaults.yaml``): ``model`` holds the regularisation of the three logistic
regressions and the head characters a line is featured by; ``train`` the iterations and
the augmentation (truncated copies, copies cut after a numbering); ``inference`` the
decoding weights the saved model runs with.  Deterministic for a seed.
"""

from __future__ import annotations

import bisect
import random
from pathlib import Path
from typing import Any

import numpy as np

from nlp import persist
from nlp.corpus import load_records
from nlp.errors import CorpusError, ModelError
from nlp.evaluate.segments import document_of, evaluate_sets
from nlp.segment import KIND, LinearModel, Segmenter, content_lines, decode_settings, doc_features, norm
from nlp.segment.features import NUMBERING, strip_lead
from nlp.train.config import TrainConfig, load_config
from nlp.types import Document, Line, Record

__all__ = ["train", "fit_segmenter", "gold_labels"]


def _settings(config: TrainConfig) -> dict[str, Any]:
    """One flat view of the model, training and inference settings."""
    return {**config.model, **config.train, **config.inference}


def gold_labels(doc: Document, gold: Record) -> list[tuple[str, bool]]:
    """(section, heading) of the gold line containing each doc line's start (in the original)."""
    starts = [g.start for g in gold.lines]
    out = []
    for line in doc.lines:
        pos = doc.to_original(line.start)
        k = max(bisect.bisect_right(starts, pos) - 1, 0)
        g = gold.lines[k]
        out.append((g.section or "title", bool(g.heading)))
    return out


def _truncated(record: Record, rng: random.Random, lo: int, hi: int) -> Record | None:
    """A copy of ``record`` cut after a random number of characters (mid-sentence)."""
    if len(record.text) <= lo + 50:
        return None
    cut = rng.randint(lo, min(hi, len(record.text) - 1))
    lines = [ln for ln in record.lines if ln.start < cut]
    if not lines:
        return None
    last = lines[-1]
    lines[-1] = Line(last.start, min(last.end, cut), last.section, last.heading)
    return Record(id=f"{record.id}#cut{cut}", text=record.text[:cut], lines=lines)


def _cut_after_numbering(record: Record, rng: random.Random, heading: bool) -> Record | None:
    """A copy of ``record`` cut just after the numbering of one of its body lines that is
    (or is not) a heading — ``三、`` with nothing after it: scraped excerpts stop there
    too, and the numbering and the lines before must then say what the line is (the
    heading that opens 三's section, or a table's next row label)."""
    numbered = []
    for k, line in enumerate(record.lines):
        if line.heading != heading or line.section in ("title", "preamble"):
            continue
        raw = record.text[line.start:line.end]
        text = norm(raw)
        stripped = strip_lead(text)
        lead = len(text) - len(stripped)
        m = next((m for _, pattern in NUMBERING if (m := pattern.match(stripped))), None)
        if m and len(text) == len(raw) and m.end() < len(stripped):
            numbered.append((k, line.start + lead + m.end()))
    if not numbered:
        return None
    k, cut = rng.choice(numbered)
    lines = record.lines[:k + 1]
    last = lines[-1]
    lines[-1] = Line(last.start, cut, last.section, last.heading)
    return Record(id=f"{record.id}#num{cut}", text=record.text[:cut], lines=lines)


def _examples(records: list[Record], head_chars: int) -> tuple[list[dict], list[str], list[str], list[str]]:
    """Features and labels of every non-empty line: section, heading, section boundary."""
    feats, sections, heads, starts = [], [], [], []
    for rec in records:
        doc = document_of(rec.text, rec.id)
        labels = gold_labels(doc, rec)
        idx, texts, mask = content_lines(doc)
        feats.extend(doc_features(texts, mask, head_chars))
        secs = [labels[i][0] for i in idx]
        sections.extend(secs)
        heads.extend("1" if labels[i][1] else "0" for i in idx)
        starts.extend("1" if k and secs[k] != secs[k - 1] else "0" for k in range(len(secs)))
    return feats, sections, heads, starts


def _fit(feats: list[dict], labels: list[str], C: float, max_iter: int, seed: int) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(feats)
    clf = LogisticRegression(C=C, max_iter=max_iter, random_state=seed)
    clf.fit(X, labels)
    vocab = {k: int(v) for k, v in vec.vocabulary_.items()}
    return LinearModel([str(c) for c in clf.classes_], vocab, np.asarray(clf.coef_, dtype=float),
                       np.asarray(clf.intercept_, dtype=float))


def fit_segmenter(records: list[Record], config: TrainConfig) -> Segmenter:
    """Train the three models on ``records`` (plus cut copies), deterministically."""
    settings, seed = _settings(config), config.seed
    train = _augmented(sorted(records, key=lambda r: r.id), settings, random.Random(seed))
    feats, sections, heads, starts = _examples(train, int(settings.get("head_chars", 10)))
    max_iter = int(settings.get("max_iter", 2000))
    models = [_fit(feats, labels, float(settings.get(f"{name}_C", 4.0)), max_iter, seed)
              for name, labels in (("section", sections), ("heading", heads), ("boundary", starts))]
    return Segmenter(*models, decode_settings(config.settings()))


def _augmented(records: list[Record], settings: dict[str, Any], rng: random.Random) -> list[Record]:
    """``records`` and their cut copies: truncated mid-sentence (scraped reports are often
    only their first ~1000 characters), and cut after one numbering (a bare 三、)."""
    train = list(records)
    for _ in range(int(settings.get("truncate_copies", 0))):
        for rec in records:
            cut = _truncated(rec, rng, int(settings.get("truncate_min_chars", 300)),
                             int(settings.get("truncate_max_chars", 2000)))
            if cut is not None:
                train.append(cut)
    for _ in range(int(settings.get("numbering_cut_copies", 0))):
        for rec in records:
            for heading in (True, False):
                cut = _cut_after_numbering(rec, rng, heading)
                if cut is not None:
                    train.append(cut)
    return train


MODEL_DESCRIPTION = (
    "Three logistic regressions over the same DictVectorizer line+context features: section "
    "(8 classes), heading flag, section boundary. Decoding: Viterbi over the monotone section "
    "order title→preamble→overview→active→requests→review→problems→other (never back, skips "
    "allowed); starting a section at a line costs log P(boundary) (- switch_penalty), lines in "
    "table grids pay table_penalty outside active/requests/review; heading flag = P(heading) >= "
    "threshold, never on a line that goes on to its own next item (一是…二是…), nor on an "
    "unnumbered line after the first numbered part heading or opening with the preamble's words "
    "(but the title under a bare 三、 shares its flag); one title block "
    "(a repeated report title stays a heading); lines before the first are title. Confidence = "
    "posterior marginal of the decoded section.")
EVALUATION_NOTES = (
    "Every gold line takes the label of the predicted line containing its start (offsets mapped "
    "back through Document.offset_map; content alignment for other formats). boundaries_exact: "
    "all section starts over non-empty lines equal. body_* leave out the title/preamble split. "
    "realdev: heading gold = lines flagged in `lines` plus lines of multi-line entries in "
    "`headings`; its title/preamble section labels are derived mechanically from the heading "
    "list (first line = title), so line_accuracy there mostly measures that convention.")


def train(corpus_dir: str | Path, out_dir: str | Path, config: TrainConfig | str | Path | None = None
          ) -> dict[str, Any]:
    """Train on ``corpus_dir``'s training files, evaluate on every evaluation set, save with a card.

    Returns the metrics (per evaluation set, for the model and the rule baseline).
    """
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not isinstance(config, TrainConfig):
        config = load_config(KIND, config)
    train_paths = [corpus_dir / f for f in config.train_files]
    for p in train_paths:
        if not p.is_file():
            raise ModelError(str(p), "training corpus file not found; generate the corpus first")
    data_hash = persist.corpus_hash(train_paths)
    records = [r for p in train_paths for r in load_records(p)]
    if persist.corpus_hash(train_paths) != data_hash:
        raise CorpusError(str(corpus_dir), "training files changed while being read; train again")
    model = fit_segmenter(records, config)
    metrics = evaluate_sets(model, {k: load_records(v) for k, v in config.eval_paths(corpus_dir).items()})
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*"):
        if stale.is_file():
            stale.unlink()
    model.meta = dict(
        corpus_hash=data_hash,
        corpus_files=[str(p.relative_to(corpus_dir)) for p in train_paths],
        train_documents=len(records),
        settings=config.settings(),
        metrics=metrics,
        model=MODEL_DESCRIPTION,
        evaluation_notes=EVALUATION_NOTES,
    )
    model.save(out_dir)
    return metrics


