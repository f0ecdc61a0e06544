"""Training the linker (``govreport train linker``): gold records → a :class:`~nlp.link.Linker`.

Settings: ``nlp.train.config.load_config("linker", path)`` — ``configs/linker.yaml``
over ``configs/defaults.yaml``.  ``model`` holds the feature windows and the vocabulary
cut, ``train`` the two heads' regularisation, ``inference`` what the saved model runs
with (``zero_threshold``, ``table_margin``).  The grounding in the template (``objects``,
``cell_words``) comes from nlp/data/indicators.yaml and is stored with the model.

Both heads are scikit-learn ``LogisticRegression`` (lbfgs, fixed settings, sorted
vocabulary), so training is deterministic.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from nlp import lexicon
from nlp.errors import CorpusError
from nlp.evaluate.linking import evaluate_linking, gold_spans
from nlp.link import DocContext, Linker, LinkerConfig, RuleLinker, doc_features
from nlp.link.context import BREAKDOWN, clause_end, clause_start, sentence_bounds
from nlp.link.ids import outcome_rows, row_of
from nlp.link.model import NONE, TOPIC_LABELS, is_table, unit_key
from nlp.persist import corpus_hash
from nlp.train.config import TrainConfig, load_config
from nlp.types import Record

__all__ = ["FIT_DEFAULTS", "fit", "train", "linker_config"]

# What ``fit`` reads from the settings' ``model`` and ``train`` sections (configs/linker.yaml).
FIT_DEFAULTS: dict[str, Any] = {"min_count": 2, "zero_features": "Z:", "unit_mask": True,
                                "C": 4.0, "max_iter": 2000, "zero_C": 4.0, "prune": 0.01, "seed": 0,
                                "augment_objects": 0.0, "augment_figure_first": 0.0}
_RUNTIME = set(LinkerConfig.__dataclass_fields__)


def linker_config(settings: TrainConfig) -> tuple[LinkerConfig, dict[str, Any]]:
    """The settings split into what the model runs with and what fitting reads."""
    merged = {**settings.model, **settings.train, **settings.inference}
    fit_settings = {**FIT_DEFAULTS, "seed": settings.seed,
                    **{k: v for k, v in merged.items() if k not in _RUNTIME}}
    unknown = set(fit_settings) - set(FIT_DEFAULTS)
    if unknown:
        raise ValueError(f"{settings.source}: unknown linker settings {sorted(unknown)}; "
                         f"known: {sorted(_RUNTIME | set(FIT_DEFAULTS))}")
    return LinkerConfig.grounded(**{k: v for k, v in merged.items() if k in _RUNTIME}), fit_settings


def _examples(records: list[Record], cfg: LinkerConfig
              ) -> tuple[list[list[tuple[str, ...]]], list[list[str]], list[str]]:
    """Feature rows (groups), id sets and labels, one per gold span."""
    rows, targets, labels = [], [], []
    for rec in records:
        spans = gold_spans(rec.facts)
        if not spans:
            continue
        facts = [f for f, _ in spans]
        rows += doc_features(rec.text, facts, DocContext(rec.text, rec.lines or None, rec.template), cfg)
        targets += [ids for _, ids in spans]
        labels += [f.label for f in facts]
    return rows, targets, labels


def object_variants(records: list[Record], rate: float, seed: int) -> list[Record]:
    """Extra records: a sentence holding a request figure, its requests named another way
    (linking.yaml ``request_objects``: 政府信息公开申请 → 依申请公开政府信息), with ``rate``
    the share of such sentences copied.  Real reports name requests in many ways; the
    generator's few taught the model that 受理依申请公开政府信息0件 counts published items.

    >>> from nlp.types import Fact
    >>> t = "概述。本年度收到政府信息公开申请5件，办结5件。"
    >>> rec = Record(id="r", text=t, facts=[Fact(16, 18, "5件", "COUNT", 5, "件", indicator="requests.new.total")])
    >>> [(v.text[v.facts[0].start:v.facts[0].end], v.facts[0].indicator) for v in object_variants([rec], 1.0, 0)]
    [('5件', 'requests.new.total')]
    """
    rng = random.Random(seed)
    found = 0
    out = []
    for rec in records:
        done: set[int] = set()
        for f in rec.facts:
            if f.label != "COUNT" or not (f.indicator or "").startswith("requests."):
                continue
            s0, s1 = sentence_bounds(rec.text, f.start, f.end)
            named = list(_REQUEST_OBJECT.finditer(rec.text, s0, f.start))
            if s0 in done or not named or rng.random() >= rate:
                continue
            done.add(s0)
            found += 1
            m = named[-1]
            other = rng.choice([p for p in _REQUEST_OBJECTS if p != m.group()])
            out.append(_rewritten(rec, s0, s1, m.start(), m.end(), other, f"{rec.id}~objects{found}"))
    return out


_REQUEST_OBJECTS = lexicon.words("linking", "request_objects")
_REQUEST_OBJECT = re.compile("|".join(map(re.escape, sorted(_REQUEST_OBJECTS, key=len, reverse=True))))


def _told_figure_first(ind: str | None) -> bool:
    """The cells a report may give figure first (其中1件因涉及第三方合法权益, 2件为自然人申请,
    2件维持原行政行为): table 3's outcomes, the new requests' applicant columns, and table
    4's outcomes — read from the template, as the linker's candidates are.

    >>> [_told_figure_first(i) for i in ("requests.denied.third_party.total", "requests.new.natural",
    ...                                  "review.upheld", "requests.new.total", "review.total")]
    [True, True, True, False, False]
    """
    if not is_table(ind):
        return False
    row = row_of(ind)
    if row in outcome_rows():
        return True
    return row in ("requests.new", "table4") and not ind.endswith(".total")


def figure_first_variants(records: list[Record], rate: float, seed: int) -> list[Record]:
    """Extra records: a sentence whose outcome figures close their clauses (属于保护第三方合法
    权益1件), some of those clauses written figure first (1件属于保护第三方合法权益; a leading
    其中 stays in front), with ``rate`` the share of such sentences copied.  Real reports
    break a whole down that way (不予公开2件，其中1件因涉及第三方合法权益，1件属于内部事务
    信息); the generator always names the outcome before its figure, so the model had not
    learnt the words after one.  Each clause moves or not at a coin's toss (one at least):
    the copies mix both orders, as reports do.

    >>> from nlp.types import Fact
    >>> t = "收到申请9件，不予公开2件，其中属于国家秘密1件，涉及第三方合法权益1件。"
    >>> facts = [Fact(4, 6, "9件", "COUNT", 9, "件", indicator="requests.new.total"),
    ...          Fact(11, 13, "2件", "COUNT", 2, "件", indicator="requests.denied.total"),
    ...          Fact(22, 24, "1件", "COUNT", 1, "件", indicator="requests.denied.state_secret.total"),
    ...          Fact(34, 36, "1件", "COUNT", 1, "件", indicator="requests.denied.third_party.total")]
    >>> v = figure_first_variants([Record(id="r", text=t, facts=facts)], 1.0, 0)[0]
    >>> v.text, [(v.text[f.start:f.end], f.indicator.split(".")[-2]) for f in v.facts]
    ('收到申请9件，不予公开2件，其中属于国家秘密1件，1件涉及第三方合法权益', [('9件', 'new'), ('2件', 'denied'), ('1件', 'state_secret'), ('1件', 'third_party')])
    """
    rng = random.Random(seed + 1)
    out = []
    for rec in records:
        by_sentence: dict[tuple[int, int], list] = {}
        for f in rec.facts:
            if f.label == "COUNT" and _told_figure_first(f.indicator):
                by_sentence.setdefault(sentence_bounds(rec.text, f.start, f.end), []).append(f)
        for (s0, s1), facts in by_sentence.items():
            movable = [(f, c0) for f in facts if (c0 := _words_before(rec, f, s0, s1)) is not None]
            if not movable or rng.random() >= rate:
                continue
            moved = [m for m in movable if rng.random() < 0.5] or [rng.choice(movable)]
            out.append(_figures_first(rec, s0, s1, moved, f"{rec.id}~first{len(out) + 1}"))
    return out


def _figures_first(rec: Record, s0: int, s1: int, moved: list, rid: str) -> Record:
    """The sentence ``s0:s1`` of ``rec`` as a record of its own, each ``(fact, clause
    start)`` of ``moved`` written figure first.  A clause keeps its length when its figure
    moves to its front: the other facts of the sentence keep their places."""
    text, at = rec.text[s0:s1], {}
    for f, c0 in moved:
        a, b, k = c0 - s0, f.start - s0, f.end - s0
        a += len(BREAKDOWN) if text.startswith(BREAKDOWN, a) else 0
        text = text[:a] + text[b:k] + text[a:b] + text[k:]
        at[id(f)] = a
    facts = [replace(g, start=at.get(id(g), g.start - s0), end=at.get(id(g), g.start - s0) + g.end - g.start)
             for g in rec.facts if s0 <= g.start and g.end <= s1]
    return Record(id=rid, text=text, template=rec.template, facts=sorted(facts, key=lambda g: g.start))


def _words_before(rec: Record, fact, s0: int, s1: int) -> int | None:
    """Where the clause of words naming ``fact`` starts, when the figure closes its clause
    and no other figure (a fact, or digits) is in its words; else None."""
    text = rec.text
    c0 = clause_start(text, fact.start, s0)
    if c0 >= fact.start or clause_end(text, fact.end, s1) != fact.end:
        return None
    if any(c0 <= g.start < fact.start for g in rec.facts) or any(ch.isdigit() for ch in text[c0:fact.start]):
        return None
    return c0


def _rewritten(rec: Record, s0: int, s1: int, a: int, b: int, piece: str, rid: str) -> Record:
    """The sentence ``s0:s1`` of ``rec`` as a record of its own, ``a:b`` written ``piece``."""
    text = rec.text[s0:a] + piece + rec.text[b:s1]
    shift = len(piece) - (b - a)
    facts = [replace(g, start=g.start - s0 + (shift if g.start >= b else 0), end=g.end - s0 + (shift if g.end > a else 0))
             for g in rec.facts if s0 <= g.start and g.end <= s1 and (g.end <= a or g.start >= b)]
    return Record(id=rid, text=text, template=rec.template, facts=facts)


def _vocabulary(rows: list[list[tuple[str, ...]]], min_count: int) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for group in row:
            for k in group:
                counts[k] = counts.get(k, 0) + 1
    return sorted(k for k, c in counts.items() if c >= min_count)


def fit(records: list[Record], cfg: LinkerConfig | None = None, **settings: Any) -> Linker:
    """Fit both heads on gold records (deterministic: sorted vocabulary, lbfgs, fixed seed).
    ``settings`` are those of :data:`FIT_DEFAULTS` (``min_count=1`` …)."""
    from sklearn.linear_model import LogisticRegression

    cfg = cfg if cfg is not None else LinkerConfig()
    unknown = set(settings) - set(FIT_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown fit settings {sorted(unknown)}; known: {sorted(FIT_DEFAULTS)}")
    s = {**FIT_DEFAULTS, **settings}
    extra = []
    if s["augment_objects"]:
        extra += object_variants(records, s["augment_objects"], s["seed"])
    if s["augment_figure_first"]:
        extra += figure_first_variants(records, s["augment_figure_first"], s["seed"])
    records = records + extra
    rows, targets, labels = _examples(records, cfg)
    if not rows:
        raise CorpusError(None, "no facts in the training records")
    vocab = _vocabulary(rows, s["min_count"])
    shell = Linker(vocab, [], np.zeros((0, len(vocab))), np.zeros(0), [], np.zeros((0, len(vocab))),
                   np.zeros(0), cfg)
    # main head: one row per (span, id) so a multi-id span teaches each of its ids
    main_rows = [i for i, ids in enumerate(targets) for _ in ids]
    main_y = [ind for ids in targets for ind in ids]
    X = _sparse(shell._matrix(rows))
    classes = sorted(set(main_y))
    if len(classes) == 1:
        coef, intercept = np.zeros((1, len(vocab))), np.array([10.0])
    else:
        lr = LogisticRegression(C=s["C"], max_iter=s["max_iter"], random_state=s["seed"])
        lr.fit(X[main_rows], main_y)
        classes = [str(c) for c in lr.classes_]
        coef, intercept = lr.coef_, lr.intercept_
        if len(classes) == 2:  # sklearn keeps one row for binary problems
            coef = np.vstack([-coef[0], coef[0]]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
    cols = (np.array([k.startswith(s["zero_features"]) for k in vocab]) if s["zero_features"]
            else np.ones(len(vocab), dtype=bool))
    zero_classes, zcoef, zint = _fit_zero_head(X, targets, labels, s, cols)
    coef, zcoef = _prune(np.asarray(coef), s["prune"]), _prune(np.asarray(zcoef), s["prune"])
    return Linker(vocab, classes, coef, np.asarray(intercept), zero_classes,
                  zcoef, zint, cfg, _unit_table(records) if s["unit_mask"] else None,
                  topics=_topic_table(records) if s["unit_mask"] else None)


def _sparse(X) -> Any:
    """The linker's binary feature rows (:class:`nlp.link.model.Rows`) as the SciPy CSR
    matrix scikit-learn fits on (float32 ones)."""
    from scipy import sparse

    return sparse.csr_matrix((np.ones(len(X.indices), dtype=np.float32), X.indices, X.indptr), shape=X.shape)


def _prune(w: np.ndarray, threshold: float) -> np.ndarray:
    """Weights below ``threshold`` in size become exact zeros (smaller model, same argmax
    on dev at 0.01).

    >>> _prune(np.array([[0.5, 0.001, -0.2]]), 0.01).tolist()
    [[0.5, 0.0, -0.2]]
    """
    return np.where(np.abs(w) >= threshold, w, 0.0)


def _unit_table(records: list[Record]) -> dict[str, list[str]]:
    """Which table ids each (label, unit) takes in the training records ("COUNT:件")."""
    table: dict[str, set[str]] = {}
    for rec in records:
        for f in rec.facts:
            table.setdefault(unit_key(f), set())
            if is_table(f.indicator):
                table[unit_key(f)].add(f.indicator)
    return {k: sorted(v) for k, v in sorted(table.items())}


def _topic_table(records: list[Record]) -> dict[str, list[str]]:
    """Which narrative topics each figure label takes in the training records ("PERCENT": a
    share is never a count of posts), and each count's unit ("COUNT:条": 235条 is never a
    number of visits).  Zero claims are left to the words."""
    table: dict[str, set[str]] = {}
    for rec in records:
        for f in rec.facts:
            if f.indicator and not is_table(f.indicator) and f.label in TOPIC_LABELS:
                table.setdefault(f.label, set()).add(f.indicator)
                if f.label == "COUNT":
                    table.setdefault(unit_key(f), set()).add(f.indicator)
    return {k: sorted(v) for k, v in sorted(table.items())}


def _fit_zero_head(X, targets, labels, s: dict[str, Any], cols: np.ndarray):
    """One binary logistic head per id that zero claims deny in training, on the feature
    columns ``cols`` (by default the claim's own words: what a claim denies is what it
    names, whatever section it sits in); weights elsewhere are zero."""
    from sklearn.linear_model import LogisticRegression

    n_features = len(cols)
    zi = [i for i, lab in enumerate(labels) if lab == "ZERO"]
    ids = sorted({ind for i in zi for ind in targets[i] if ind != NONE})
    Xz = X[zi][:, np.flatnonzero(cols)]
    coefs, ints, kept = [], [], []
    for ind in ids:
        y = np.array([ind in targets[i] for i in zi], dtype=int)
        full = np.zeros(n_features)
        if y.min() == y.max():  # always (or never) denied: a constant head
            ints.append(10.0 if y[0] else -10.0)
        else:
            lr = LogisticRegression(C=s["zero_C"], max_iter=s["max_iter"], random_state=s["seed"])
            lr.fit(Xz, y)
            full[np.flatnonzero(cols)] = lr.coef_[0]
            ints.append(float(lr.intercept_[0]))
        coefs.append(full)
        kept.append(ind)
    if not kept:
        return [], np.zeros((0, n_features)), np.zeros(0)
    return kept, np.vstack(coefs), np.asarray(ints)


def _load_records(path: Path) -> list[Record]:
    from nlp.corpus.io import load_records  # file:line errors for broken corpora

    return load_records(path)


def train(corpus_dir: str | Path, out_dir: str | Path, settings: TrainConfig | str | Path | None = None
          ) -> dict[str, Any]:
    """Train on the settings' ``data.train`` files under ``corpus_dir``, save to ``out_dir``,
    evaluate on every ``data.eval`` set found and on the ``data.measure`` sets present
    (measurement only, never trained on), write the card.

    Returns the metrics dict (also in ``meta.json``)."""
    if not isinstance(settings, TrainConfig):
        settings = load_config("linker", settings)
    cfg, fit_settings = linker_config(settings)
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    train_paths = [corpus_dir / p for p in settings.train_files]
    # Read every set (and hash the training files) before fitting, so the card describes
    # the data actually used even if the corpus is regenerated meanwhile.
    data_hash = corpus_hash(train_paths)
    records = [r for p in train_paths for r in _load_records(p)]
    gold_sets = {name: _load_records(path) for name, path in settings.eval_paths(corpus_dir).items()}
    linker = fit(records, cfg, **fit_settings)
    metrics: dict[str, Any] = {"train": evaluate_linking(linker, records)}
    baseline: dict[str, Any] = {}
    for name, gold in gold_sets.items():
        metrics[name] = evaluate_linking(linker, gold)
        baseline[name] = evaluate_linking(RuleLinker(), gold)
    linker.meta = dict(corpus_hash=data_hash, train_files=list(settings.train_files),
                       settings={**settings.settings(), "runtime": asdict(cfg)},
                       n_train_spans=metrics["train"]["spans"],
                       n_features=len(linker.vocab), classes=len(linker.classes),
                       zero_classes=linker.zero_classes, metrics=metrics, rule_baseline=baseline,
                       method="DictVectorizer-style sparse char n-gram context features + multinomial "
                              "LogisticRegression (main head) + one-vs-rest LogisticRegression over ids "
                              "denied by zero claims (expansion head, threshold zero_threshold)")
    linker.save(out_dir)
    return metrics
