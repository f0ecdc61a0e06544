"""Training the spaCy fact extractor (``govreport train extractor``): augmentation,
examples, the training loop.  ``train`` also hands the transformers backend to
:mod:`nlp.train.extractor_trf`; what both trainers share (settings, splits, sentences,
evaluation of a saved model) is :mod:`nlp.train.extractor_data`.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any, Callable

from nlp import lexicon
from nlp.errors import ConfigError
from nlp.extract.text import COUNTERS
from nlp.train.config import TrainConfig
from nlp.train.extractor_data import (STAGE, Sentence, _corpus_files, _settings_of, _training_records,
                                      backend_settings, corpus_sentences, evaluate_model, load_split,
                                      record_sentences, with_options)
from nlp.types import FACT_LABELS

__all__ = ["augment", "augment_lists", "augment_openings", "train", "record_sentences", "with_options", "evaluate_model"]


_NUMERALS = lexicon.load("numerals")
_DIGITS = "".join(str(chars[0]) for _v, chars in sorted(_NUMERALS["digits"].items()))  # 零一二…九
_TEN = str(_NUMERALS["places"][10][0])
_COUNT_TAIL = re.compile(r"^(.*?[0-9%s](?:%s)?\s?)(%s)$" % (
    lexicon.load("extract")["candidate"]["numerals"],
    "|".join(map(re.escape, lexicon.words("qualifiers", "extract_inside"))),
    "|".join(sorted(COUNTERS, key=len, reverse=True))))


def _small_cn(n: int) -> str:
    """Chinese numeral for 1..99 (两 is not used: 二 reads everywhere).

    >>> _small_cn(1), _small_cn(12), _small_cn(40), _small_cn(23)
    ('一', '十二', '四十', '二十三')
    """
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + _TEN + (_DIGITS[ones] if ones else "")


def augment(sentences: list[Sentence], rng: random.Random, rate: float) -> list[Sentence]:
    """Extra copies of sentences with a count rewritten: another counter, or a small
    Arabic number as a Chinese numeral.  Spans are shifted; labels unchanged."""
    out = []
    for s in sentences:
        counts = [k for k, (a, b, lab) in enumerate(s.ents) if lab == "COUNT"]
        if not counts or rng.random() >= rate:
            continue
        k = rng.choice(counts)
        a, b, lab = s.ents[k]
        span = s.text[a:b]
        m = _COUNT_TAIL.match(span)
        if m is None:
            continue
        head, unit = m.group(1), m.group(2)
        digits = re.fullmatch(r"([0-9]+)(\s?)", head)
        if digits and 0 < int(digits.group(1)) < 100 and rng.random() < 0.5:
            new = _small_cn(int(digits.group(1))) + digits.group(2) + unit
        else:
            new = head + rng.choice([u for u in COUNTERS if u != unit])
        shift = len(new) - len(span)
        ents = [(x, y, l) if y <= a else (x + shift, y + shift, l) for x, y, l in s.ents if (x, y) != (a, b)]
        ents.append((a, b + shift, lab))
        out.append(Sentence(s.text[:a] + new + s.text[b:], sorted(ents)))
    return out


_EXTRACT = lexicon.load("extract")
_OPEN_QUOTE, _CLOSE_QUOTE = _EXTRACT["list_quotes"]
_CLOSER = _EXTRACT["list_closer"]
_ITEM_AFTER = _EXTRACT["list_item_after"]
_KIND = re.compile(r"[\u4e00-\u9fff]{2,10}$")  # a kind's name right before its count
_CLAUSE_END = re.compile(r"[。，；,;]|$")


def augment_lists(sentences: list[Sentence], rng: random.Random, rate: float) -> list[Sentence]:
    """Extra copies of sentences that list counts (two or more), as reports also print
    them: each kind's name in quotes (“机关党建”16条), and/or 等 after the last count when a
    clause ends there (…16条等。).  The synthetic lists have neither, and a model that never
    saw them lost the last count of a real list that had both.  Labels unchanged."""
    out = []
    for s in sentences:
        counts = [(a, b) for a, b, lab in s.ents if lab == "COUNT"]
        if len(counts) < 2 or rng.random() >= rate:
            continue
        inserts: list[tuple[int, str]] = []  # (offset, text) inserted before the character at offset
        if rng.random() < 0.6:
            for a, _b in counts:
                head = s.text[:a]
                m = _KIND.search(head)
                if m and m.start() > 0 and head[m.start() - 1] in _ITEM_AFTER:
                    inserts += [(m.start(), _OPEN_QUOTE), (a, _CLOSE_QUOTE)]
        last_end = counts[-1][1]
        if (not inserts or rng.random() < 0.5) and _CLAUSE_END.match(s.text, last_end):
            inserts.append((last_end, _CLOSER))
        if inserts:
            out.append(_inserted(s, inserts))
    return out


_CLAUSE_LEAD = re.compile(r"[，,；;]")


def augment_openings(sentences: list[Sentence], rng: random.Random, rate: float) -> list[Sentence]:
    """Extra copies of sentences cut so that a clause opening with a count opens the
    sentence (…，14件已全部办结 → 14件已全部办结): reports start sentences with a figure
    (9件申请均已按时答复), and the generator's sentences open with words."""
    out = []
    for s in sentences:
        leads = [a for a, _b, lab in s.ents if lab == "COUNT" and a > 0 and _CLAUSE_LEAD.match(s.text, a - 1)]
        if not leads or rng.random() >= rate:
            continue
        cut = rng.choice(leads)
        out.append(Sentence(s.text[cut:], [(a - cut, b - cut, lab) for a, b, lab in s.ents if a >= cut]))
    return out


def _inserted(s: Sentence, inserts: list[tuple[int, str]]) -> Sentence:
    """``s`` with each text inserted at its offset, the entities moved along (an insert at
    an entity's end goes after it, at its start before it)."""
    text, ents = s.text, list(s.ents)
    for at, piece in sorted(inserts, key=lambda x: -x[0]):
        text = text[:at] + piece + text[at:]
        ents = [(a + len(piece) if a >= at else a, b + len(piece) if b > at else b, lab) for a, b, lab in ents]
    return Sentence(text, sorted(ents))


# ---------------------------------------------------------------- the spaCy trainer


def _examples(nlp, sentences: list[Sentence]) -> tuple[list, int]:
    from spacy.training import Example

    out, misaligned = [], 0
    for s in sentences:
        doc = nlp.make_doc(s.text)
        ents = []
        for a, b, label in s.ents:
            span = doc.char_span(a, b, label=label, alignment_mode="strict")
            if span is None:  # a gold boundary inside a digit run: keep the example, count it
                misaligned += 1
                span = doc.char_span(a, b, label=label, alignment_mode="expand")
            if span is not None:
                ents.append((span.start_char, span.end_char, label))
        out.append(Example.from_dict(doc, {"entities": ents}))
    return out, misaligned


def _sentence_f1(nlp, sentences: list[Sentence], batch_size: int = 256) -> float:
    tp = fp = fn = 0
    docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size)
    for s, doc in zip(sentences, docs):
        gold = {(a, b, lab) for a, b, lab in s.ents}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def train(corpus_dir: Path | str, out_dir: Path | str, config: TrainConfig | Path | str | None = None,
          log: Callable[[str], Any] = print) -> dict[str, Any]:
    """Train the extractor on ``corpus_dir`` and save it in ``out_dir``; returns metrics.

    ``config``: the settings (a ``TrainConfig``, a settings file, or None for the
    package defaults); its ``backend`` picks the trainer.  Deterministic: fixed seeds
    for data sampling, shuffling and weight init.  Dev F1 (span, exact) after each epoch
    picks the weights that are kept.
    """
    config = _settings_of(config)
    if config.backend == "transformers":
        from nlp.train.extractor_trf import train as train_trf
        return train_trf(corpus_dir, out_dir, config, log=log)
    if config.backend != "spacy":
        raise ConfigError(config.source, f"the {config.backend} extractor is rules: nothing to train")
    from nlp.extract.spacy import export_network, import_spacy, make_nlp, spacy_meta
    from nlp.persist import corpus_hash, update_meta, write_meta

    import_spacy()
    from spacy.util import fix_random_seed, minibatch

    settings = backend_settings(config)
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    train_records, _ = _training_records(config, corpus_dir)
    files = _corpus_files(config, corpus_dir)
    tr = settings["train"]
    seed = config.seed
    fix_random_seed(seed)
    rng = random.Random(seed)

    dev_name = tr.get("dev_set")
    dev_records = load_split(corpus_dir / config.eval_files[dev_name]) if dev_name in config.eval_files else []
    train_sents, train_stats = corpus_sentences(train_records, tr["negative_rate"], rng,
                                                tr.get("max_sentences"))
    extra = augment(train_sents, random.Random(seed + 2), float(tr.get("augment_rate", 0.0)))
    extra += augment_lists(train_sents, random.Random(seed + 3), float(tr.get("list_augment_rate", 0.0)))
    extra += augment_openings(train_sents, random.Random(seed + 4), float(tr.get("opening_augment_rate", 0.0)))
    train_stats["augmented"] = len(extra)
    train_sents = train_sents + extra
    dev_sents, _ = corpus_sentences(dev_records, 1.0, random.Random(seed + 1),
                                    tr.get("max_dev_sentences"))
    nlp = make_nlp(settings)
    examples, misaligned = _examples(nlp, train_sents)
    log(f"train sentences: {train_stats}, misaligned spans: {misaligned}; dev sentences: {len(dev_sents)}")
    optimizer = nlp.initialize(lambda: examples[:2000])
    optimizer.learn_rate = float(tr["learn_rate"])
    best, best_bytes, stale, history = -1.0, None, 0, []
    started = time.perf_counter()
    for epoch in range(int(tr["max_epochs"])):
        order = list(range(len(examples)))
        random.Random(seed + epoch).shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch([examples[i] for i in order], size=int(tr["batch_size"])):
            nlp.update(batch, drop=float(tr["dropout"]), sgd=optimizer, losses=losses)
        score = _sentence_f1(nlp, dev_sents) if dev_sents else _sentence_f1(nlp, train_sents[:1000])
        history.append({"epoch": epoch + 1, "loss": round(float(losses.get("ner", 0.0)), 2),
                        "dev_f1": round(float(score), 4), "seconds": round(time.perf_counter() - started, 1)})
        log(f"epoch {epoch + 1}: {history[-1]}")
        if score > best:
            best, best_bytes, stale = score, nlp.to_bytes(), 0
            if score >= float(tr.get("stop_at", 1.01)):
                break  # dev cannot tell better weights apart any more
        else:
            stale += 1
            if stale >= int(tr["patience"]):
                break
    nlp.from_bytes(best_bytes)

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.rglob("*"):
        if old.is_file():
            old.unlink()
    nlp.to_disk(out_dir, exclude=["meta.json"])  # meta.json is our card
    export_network(nlp.get_pipe("ner")).save(out_dir)  # what inference runs, without spaCy
    write_meta(out_dir, STAGE, backend="spacy", corpus_hash=corpus_hash(files),
               corpus_files=sorted(str(p.relative_to(corpus_dir)) for p in files),
               settings=settings, training={"sentences": train_stats, "misaligned": misaligned,
                                            "history": history, "best_dev_f1": round(best, 4)},
               **spacy_meta(nlp, list(FACT_LABELS)))
    metrics = evaluate_model(out_dir, corpus_dir, config=config)
    update_meta(out_dir, metrics=metrics)
    return metrics
