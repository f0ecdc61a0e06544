"""Transformers backend of the fact extractor: character-level BIO token classification.

For users with a pretrained Chinese encoder on disk (a BERT/RoBERTa checkpoint
folder with ``config.json``, weights and ``vocab.txt``):
``govreport train extractor --backend transformers --base PATH``.  Nothing is
fetched from a hub (``local_files_only``).

Each character is one token (Chinese BERT vocabularies hold every common CJK
character and the ASCII digits), looked up directly in ``vocab.txt`` so offsets
stay exact: no WordPiece merging, no lower-casing surprises, spaces kept as a
token.  Labels are BIO over COUNT/MONEY/PERCENT/ZERO; ``label2id``/``id2label``
live in the saved ``config.json``; weights are saved as safetensors.  The same
candidate-sentence filter and value normalization as the spaCy backend apply.
Confidence of a fact = the lowest per-character probability of its predicted tags.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path
from typing import Any, Iterable

from nlp.errors import CorpusError, ModelError
from nlp.types import FACT_LABELS, Fact, Record

KIND = "extractor"
LABELS = ["O"] + [f"{p}-{lab}" for lab in FACT_LABELS for p in ("B", "I")]
SPACE_TOKENS = ("[unused1]", "[UNK]")


def read_vocab(path: Path) -> dict[str, int]:
    with open(path, encoding="utf-8") as fh:
        return {line.rstrip("\n"): i for i, line in enumerate(fh)}


def write_char_vocab(texts: Iterable[str], path: Path) -> dict[str, int]:
    """A BERT-style ``vocab.txt`` of special tokens plus every character seen (tests, toy bases)."""
    chars = sorted({ch for t in texts for ch in t if not ch.isspace()})
    tokens = ["[PAD]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    Path(path).write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return {t: i for i, t in enumerate(tokens)}


class CharEncoder:
    """Characters → vocabulary ids, one id per character (offsets are positions).

    >>> enc = CharEncoder({"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "1": 4, "条": 5})
    >>> enc.ids("1 条x")
    [2, 4, 1, 5, 1, 3]
    """

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk = vocab["[UNK]"]
        self.space = next((vocab[t] for t in SPACE_TOKENS if t in vocab), self.unk)
        self.cls, self.sep, self.pad = vocab["[CLS]"], vocab["[SEP]"], vocab["[PAD]"]

    def char_id(self, ch: str) -> int:
        if ch.isspace():
            return self.space
        return self.vocab.get(ch, self.vocab.get(ch.lower(), self.unk))

    def ids(self, text: str) -> list[int]:
        return [self.cls] + [self.char_id(ch) for ch in text] + [self.sep]


def bio_tags(length: int, ents: list[tuple[int, int, str]]) -> list[str]:
    """BIO tag per character.

    >>> bio_tags(5, [(1, 3, "COUNT")])
    ['O', 'B-COUNT', 'I-COUNT', 'O', 'O']
    """
    tags = ["O"] * length
    for a, b, lab in ents:
        tags[a] = f"B-{lab}"
        for i in range(a + 1, b):
            tags[i] = f"I-{lab}"
    return tags


def decode_bio(tags: list[str]) -> list[tuple[int, int, str]]:
    """Spans from BIO tags; a stray I- opens a new span.

    >>> decode_bio(["O", "B-COUNT", "I-COUNT", "I-ZERO", "O", "I-MONEY"])
    [(1, 3, 'COUNT'), (3, 4, 'ZERO'), (5, 6, 'MONEY')]
    """
    spans, start, label = [], None, None
    for i, tag in enumerate(tags + ["O"]):
        kind, _, lab = tag.partition("-")
        if start is not None and (kind != "I" or lab != label):
            spans.append((start, i, label))
            start, label = None, None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, lab
    return spans


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    return [(i, text[i:i + size]) for i in range(0, len(text), size)] or [(0, "")]


DEVICE_ENV = "GOVREPORT_DEVICE"  # how `govreport check --device` reaches loads in worker processes


def resolve_device(name: str | None = None):
    """A ``torch.device`` from ``cpu``, ``cuda`` or ``cuda:N`` (None: $GOVREPORT_DEVICE, else
    cuda when torch sees one, else cpu); raises ``ModelError`` for a device that is not there.

    >>> str(resolve_device("cpu"))
    'cpu'
    """
    import re

    import torch

    name = name or os.environ.get(DEVICE_ENV) or ("cuda" if torch.cuda.is_available() else "cpu")
    m = re.fullmatch(r"cpu|cuda(?::(\d+))?", name)
    if m is None:
        raise ModelError(None, f"device {name!r}: expected cpu, cuda or cuda:N")
    if name != "cpu":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        index = int(m.group(1) or 0)
        if index >= count:
            raise ModelError(None, f"device {name!r}: torch sees {count} CUDA device(s)")
    return torch.device(name)


def _set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(corpus_dir: Path | str, out_dir: Path | str, settings: dict[str, Any], log=print) -> dict[str, Any]:
    """Fine-tune ``settings['transformers']['base']`` for BIO fact tagging; save; evaluate."""
    import torch
    from transformers import AutoModelForTokenClassification

    from nlp.extract import _load_split, corpus_files, corpus_sentences, evaluate_model
    from nlp.persist import corpus_hash, update_meta, write_meta

    ts = settings.get("transformers", {})
    device = resolve_device(ts.get("device"))
    base = ts.get("base")
    if not base or not (Path(base) / "vocab.txt").is_file():
        raise ModelError(str(base) if base else None, "the transformers backend needs --base: a local encoder folder "
                                    "with config.json, weights and vocab.txt")
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    files = corpus_files(corpus_dir)
    records = _load_split(corpus_dir, "synth/train.jsonl") or _load_split(corpus_dir, "seeds.jsonl")
    if not records:
        raise CorpusError(str(corpus_dir), "no synth/train.jsonl or seeds.jsonl to train on")
    seed = int(settings.get("seed", 0))
    _set_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    sents, stats = corpus_sentences(records, float(ts.get("negative_rate", 0.6)), random.Random(seed),
                                    ts.get("max_sentences"))
    encoder = CharEncoder(read_vocab(Path(base) / "vocab.txt"))
    max_len = int(ts.get("max_length", 160)) - 2
    label2id = {lab: i for i, lab in enumerate(LABELS)}
    rows = []
    for s in sents:
        tags = bio_tags(len(s.text), s.ents)
        for off, piece in _chunks(s.text, max_len):
            rows.append((encoder.ids(piece), [-100] + [label2id[t] for t in tags[off:off + len(piece)]] + [-100]))
    model = AutoModelForTokenClassification.from_pretrained(
        base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=label2id,
        local_files_only=True, ignore_mismatched_sizes=True, trust_remote_code=False).to(device)  # no auto_map code
    optimizer = torch.optim.AdamW(model.parameters(), lr=float(ts.get("learn_rate", 5e-5)),
                                  weight_decay=float(ts.get("weight_decay", 0.01)))
    bs, epochs = int(ts.get("batch_size", 16)), int(ts.get("epochs", 3))
    max_steps = ts.get("max_steps")
    total = max(1, (len(rows) + bs - 1) // bs * epochs)
    if max_steps:
        total = min(total, int(max_steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1 - step / total))
    log(f"transformers: {stats}, {len(rows)} rows, {total} steps on {device}")
    model.train()
    step, started = 0, time.perf_counter()
    for epoch in range(epochs):
        order = list(range(len(rows)))
        random.Random(seed + epoch).shuffle(order)
        for i in range(0, len(order), bs):
            batch = [rows[j] for j in order[i:i + bs]]
            ids, labels, mask = (t.to(device) for t in _pad(batch, encoder.pad))
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                log(f"step {step}/{total} loss {loss.item():.4f}")
            if step >= total:
                break
        if step >= total:
            break
    model.eval()
    model.to("cpu")  # saved weights load anywhere
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.rglob("*"):
        if old.is_file():
            old.unlink()
    model.save_pretrained(out_dir, safe_serialization=True)
    shutil.copyfile(Path(base) / "vocab.txt", out_dir / "vocab.txt")
    write_meta(out_dir, KIND, backend="transformers", base=str(base),
               corpus_hash=corpus_hash(list(files.values())) if files else None,
               settings=settings, labels=list(FACT_LABELS), label2id=label2id,
               training={"sentences": stats, "rows": len(rows), "steps": step,
                         "seconds": round(time.perf_counter() - started, 1)})
    metrics = evaluate_model(out_dir, corpus_dir)
    update_meta(out_dir, metrics=metrics)
    return metrics


def _pad(batch: list[tuple[list[int], list[int]]], pad_id: int):
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, (i, lab) in enumerate(batch):
        ids[r, :len(i)] = torch.tensor(i)
        labels[r, :len(lab)] = torch.tensor(lab)
        mask[r, :len(i)] = 1
    return ids, labels, mask


class TrfExtractor:
    """A loaded transformers extractor with the spaCy backend's ``extract`` interface."""

    def __init__(self, model, encoder: CharEncoder, meta: dict[str, Any], device: Any = None):
        self.device = device if device is not None else resolve_device("cpu")
        self.model = model.to(self.device)
        self.encoder = encoder
        self.meta = meta
        ts = (meta.get("settings") or {}).get("transformers", {})
        self.max_len = int(ts.get("max_length", 160)) - 2
        self.batch_size = int(ts.get("batch_size", 16)) * 2
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}

    @classmethod
    def load(cls, model_dir: Path, meta: dict[str, Any], device: str | None = None) -> TrfExtractor:
        """``device``: cpu, cuda or cuda:N (default: $GOVREPORT_DEVICE, else cuda when
        available, else cpu)."""
        from transformers import AutoModelForTokenClassification

        where = resolve_device(device)
        if not (Path(model_dir) / "model.safetensors").is_file():
            raise ModelError(str(model_dir), "no model.safetensors (only safetensors weights are loaded)")
        try:
            model = AutoModelForTokenClassification.from_pretrained(
                model_dir, local_files_only=True, use_safetensors=True, trust_remote_code=False)
        except Exception as err:  # noqa: BLE001 — OSError, ValueError, SafetensorError (a corrupt header) …
            raise ModelError(str(model_dir), f"cannot load the transformers extractor "
                                             f"({type(err).__name__}: {err})") from None
        model.eval()
        return cls(model, CharEncoder(read_vocab(Path(model_dir) / "vocab.txt")), meta, where)

    def _predict(self, texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        import torch

        pieces = [(k, off, piece) for k, t in enumerate(texts) for off, piece in _chunks(t, self.max_len)]
        tags: list[list[str]] = [[] for _ in texts]
        probs: list[list[float]] = [[] for _ in texts]
        with torch.no_grad():
            for i in range(0, len(pieces), self.batch_size):
                batch = pieces[i:i + self.batch_size]
                ids, _, mask = _pad([(self.encoder.ids(p), []) for _, _, p in batch], self.encoder.pad)
                logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
                best, arg = (t.cpu() for t in torch.softmax(logits, dim=-1).max(dim=-1))
                for r, (k, _off, piece) in enumerate(batch):
                    n = len(piece)
                    tags[k].extend(self.id2label[int(x)] for x in arg[r, 1:n + 1])
                    probs[k].extend(float(x) for x in best[r, 1:n + 1])
        out = []
        for k in range(len(texts)):
            out.append([(a, b, lab, round(min(probs[k][a:b]), 4)) for a, b, lab in decode_bio(tags[k])])
        return out

    def extract(self, text: str, spans: list[tuple[int, int]] | None = None) -> list[Fact]:
        from nlp.extract import fact_from_span, fold_width, is_candidate, narrative_spans, sentence_spans

        ranges = narrative_spans(text) if spans is None else spans
        sents = [(a, b) for a, b in sentence_spans(text, ranges) if is_candidate(text[a:b])]
        facts = []
        for (a, _b), ents in zip(sents, self._predict([fold_width(text[a:b]) for a, b in sents])):
            for s, e, label, conf in ents:
                fact = fact_from_span(text, a + s, a + e, label, conf)
                if fact is not None:
                    facts.append(fact)
        return facts


def records_texts(records: list[Record]) -> list[str]:
    return [r.text for r in records]
