"""What every extractor trainer shares: the settings of the chosen backend, the corpus
splits, and the sentences a model learns from and is measured on; the evaluation of a
saved model.  The spaCy trainer is :mod:`nlp.train.extractor`, the transformers trainer
:mod:`nlp.train.extractor_trf`; both read one settings file (``configs/extractor.yaml``,
through ``nlp.train.config.load_config("extractor", path)``).

The settings file holds every backend's section (``model.spacy``, ``model.transformers``,
…); :func:`backend_settings` resolves the chosen backend's into the flat mapping a model
card records (``settings.model``, ``settings.train``, ``settings.inference``), which is
what the backend reads when it loads.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.errors import CorpusError
from nlp.extract.text import fold_width, is_candidate, prose_spans, sentence_spans
from nlp.train.config import TrainConfig, load_config
from nlp.types import Record

__all__ = ["Sentence", "record_sentences", "corpus_sentences", "load_split", "backend_settings",
           "with_options", "evaluate_model", "baseline_metrics", "eval_sets", "STAGE"]

STAGE = "extractor"

# ---------------------------------------------------------------- settings


def _settings_of(config: TrainConfig | Path | str | None) -> TrainConfig:
    return config if isinstance(config, TrainConfig) else load_config(STAGE, config)


def with_options(config: TrainConfig, backend: str | None = None, base: str | Path | None = None,
                 device: str | None = None) -> TrainConfig:
    """The settings with the command line's ``--backend``, ``--base`` and ``--device``."""
    model, train_ = dict(config.model), dict(config.train)
    if base is not None:
        model["transformers"] = {**model.get("transformers", {}), "base": str(base)}
    if device is not None:
        train_["transformers"] = {**train_.get("transformers", {}), "device": device}
    return dataclasses.replace(config, backend=backend or config.backend, model=model, train=train_)


def backend_settings(config: TrainConfig) -> dict[str, Any]:
    """The chosen backend's settings, as the model card records them.

    >>> s = backend_settings(load_config("extractor"))
    >>> s["backend"], s["model"]["tokenizer"], s["inference"]["piece_chars"]
    ('spacy', 'digits', 32)
    """
    out = config.settings()
    for section in ("model", "train", "inference"):
        out[section] = dict(out[section].get(config.backend) or {})
    return out


# ---------------------------------------------------------------- data


def load_split(path: Path) -> list[Record]:
    """The records of one corpus file (none when it is not there)."""
    path = Path(path)
    if not path.is_file():
        return []
    records = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(Record.from_json(line))
                except (ValueError, KeyError) as err:
                    raise CorpusError(str(path), f"line {i}: {err}") from None
    return records


def eval_sets(config: TrainConfig, corpus_dir: Path | str, realdev: Path | str | None = None) -> dict[str, Path]:
    """The evaluation files that exist: the corpus's (``data.eval``, relative to the corpus)
    and the measure-only sets (``data.measure``, relative to the project folder — the
    corpus folder's parent; ``realdev`` replaces the configured realdev):
    :meth:`TrainConfig.eval_paths`."""
    return config.eval_paths(corpus_dir, realdev)


def _training_records(config: TrainConfig, corpus_dir: Path) -> tuple[list[Record], list[Path]]:
    """The training files' records; with none there, the seeds' (a corpus of seeds only)."""
    files = [corpus_dir / rel for rel in config.train_files if (corpus_dir / rel).is_file()]
    if not files and "seeds" in config.eval_files and (corpus_dir / config.eval_files["seeds"]).is_file():
        files = [corpus_dir / config.eval_files["seeds"]]
    if not files:
        wanted = ", ".join([*config.train_files, config.eval_files.get("seeds", "")]).strip(", ")
        raise CorpusError(str(corpus_dir), f"nothing to train on (looked for {wanted})")
    return [r for f in files for r in load_split(f)], files


def _corpus_files(config: TrainConfig, corpus_dir: Path) -> list[Path]:
    rels = [*config.train_files, *config.eval_files.values()]
    return [corpus_dir / rel for rel in dict.fromkeys(rels) if (corpus_dir / rel).is_file()]


@dataclass
class Sentence:
    """One training/evaluation sentence with its entity spans (sentence-relative)."""

    text: str
    ents: list[tuple[int, int, str]]


def record_sentences(record: Record) -> tuple[list[Sentence], int]:
    """Candidate narrative sentences of a record with their facts as entities.

    Facts sharing a span (a ZERO claim denying several things) become one entity;
    a fact overlapping an earlier one is dropped.  Returns the sentences and the
    number of facts that fell outside every candidate sentence (should be 0).
    """
    text = record.text
    sents = [s for s in sentence_spans(text, prose_spans(text)) if is_candidate(text[s[0]:s[1]])]
    spans = sorted({(f.start, f.end, f.label) for f in record.facts})
    out, placed = [], set()
    for a, b in sents:
        ents, last = [], -1
        for s, e, label in spans:
            if s >= a and e <= b and s >= last:
                ents.append((s - a, e - a, label))
                placed.add((s, e, label))
                last = e
        out.append(Sentence(fold_width(text[a:b]), ents))
    placed_spans = {(s, e) for s, e, _ in placed}
    missed = sum(1 for s, e, _ in spans if (s, e) not in placed_spans)
    return out, missed


def corpus_sentences(records: list[Record], negative_rate: float, rng: random.Random,
                     limit: int | None = None) -> tuple[list[Sentence], dict[str, int]]:
    """All sentences with facts plus a share of fact-less candidates, deterministically."""
    pos, neg, missed = [], [], 0
    for rec in records:
        sents, m = record_sentences(rec)
        missed += m
        for s in sents:
            (pos if s.ents else neg).append(s)
    neg = [s for s in neg if rng.random() < negative_rate]
    if limit is not None:  # keep every sentence with a fact; negatives fill the rest
        rng.shuffle(pos)
        pos = pos[:limit]
        rng.shuffle(neg)
        neg = neg[:max(0, limit - len(pos))]
    data = pos + neg
    rng.shuffle(data)
    return data, {"positive": len(pos), "negative": len(neg), "missed_facts": missed,
                  "used": len(data)}



# ---------------------------------------------------------------- evaluation of a saved model


def evaluate_model(model_dir: Path | str, corpus_dir: Path | str, realdev: Path | str | None = None,
                   baselines: bool = False, config: TrainConfig | None = None) -> dict[str, Any]:
    """Span/value metrics of a saved extractor (any backend) on every evaluation set that
    exists (the settings' ``data.eval`` and ``data.measure``)."""
    from nlp.component import load
    from nlp.evaluate.facts import evaluate_extractor

    config = config or load_config(STAGE)
    extractor = load(STAGE, model_dir)
    sets = {name: load_split(path) for name, path in eval_sets(config, corpus_dir, realdev).items()}
    out = {name: evaluate_extractor(extractor, recs) for name, recs in sets.items() if recs}
    if baselines:
        out["baselines"] = {name: baseline_metrics(recs[:200]) for name, recs in sets.items() if recs}
    return out


def baseline_metrics(records: list[Record]) -> dict[str, Any]:
    """The rule and Recognizers-Text baselines on the same records (whichever import)."""
    from nlp.evaluate.facts import evaluate_extractor
    from nlp.extract.rules import RecognizersExtractor, RuleExtractor

    runners: dict[str, Any] = {"rule": RuleExtractor()}
    if RecognizersExtractor.available():
        runners["recognizers"] = RecognizersExtractor()
    return {name: evaluate_extractor(r, records) for name, r in runners.items()}
