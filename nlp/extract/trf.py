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
from pathlib import Path
from typing import Any, Sequence

from nlp.component import Base, Work
from nlp.errors import ModelError
from nlp.extract.text import (fact_from_span, fold_width, is_candidate, mask_thresholds, sentence_spans,
                              with_list_siblings, with_thing_counts)
from nlp.types import FACT_LABELS, Fact

KIND = "extractor"
LABELS = ["O"] + [f"{p}-{lab}" for lab in FACT_LABELS for p in ("B", "I")]
SPACE_TOKENS = ("[unused1]", "[UNK]")


def read_vocab(path: Path) -> dict[str, int]:
    with open(path, encoding="utf-8") as fh:
        return {line.rstrip("\n"): i for i, line in enumerate(fh)}


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


class TrfExtractor(Base):
    """A transformers extractor: ``extractor(work)`` → the facts inside ``work.spans``;
    ``pipe(works)`` reads the sentences of every document in the same batches."""

    stage = "extractor"
    backend = "transformers"

    def __init__(self, model, encoder: CharEncoder, meta: dict[str, Any], device: Any = None):
        self.device = device if device is not None else resolve_device("cpu")
        self.model = model.to(self.device)
        self.encoder = encoder
        self.meta = meta
        settings = meta.get("settings") or {}
        if "transformers" in settings:  # a card written before the one settings schema
            old = settings["transformers"]
            model_s, inference = old, {"batch_size": int(old.get("batch_size", 16)) * 2}
        else:
            model_s, inference = settings.get("model") or {}, settings.get("inference") or {}
        self.max_len = int(model_s.get("max_length", 160)) - 2
        self.batch_size = int(inference.get("batch_size", 32))
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}

    @classmethod
    def load(cls, model_dir: Path | str, device: str | None = None) -> TrfExtractor:
        """A saved transformers extractor (its card checked).  ``device``: cpu, cuda or
        cuda:N (default: $GOVREPORT_DEVICE, else cuda when available, else cpu)."""
        from transformers import AutoModelForTokenClassification

        from nlp.persist import read_meta

        model_dir = Path(model_dir)
        meta = read_meta(model_dir, KIND)
        where = resolve_device(device)
        if not (model_dir / "model.safetensors").is_file():
            raise ModelError(str(model_dir), "no model.safetensors (only safetensors weights are loaded)")
        try:
            model = AutoModelForTokenClassification.from_pretrained(
                model_dir, local_files_only=True, use_safetensors=True, trust_remote_code=False)
        except Exception as err:  # noqa: BLE001 — OSError, ValueError, SafetensorError (a corrupt header) …
            raise ModelError(str(model_dir), f"cannot load the transformers extractor "
                                             f"({type(err).__name__}: {err})") from None
        model.eval()
        return cls(model, CharEncoder(read_vocab(model_dir / "vocab.txt")), meta, where)

    def save(self, model_dir: Path | str) -> None:
        """Weights (safetensors, on the CPU), ``config.json``, ``vocab.txt`` and the card."""
        from nlp.persist import write_meta

        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        for old in model_dir.rglob("*"):
            if old.is_file():
                old.unlink()
        self.model.to("cpu").save_pretrained(model_dir, safe_serialization=True)  # loads anywhere
        self.model.to(self.device)
        vocab = sorted(self.encoder.vocab, key=self.encoder.vocab.__getitem__)
        (model_dir / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
        fields = {k: v for k, v in self.meta.items() if k not in ("kind", "toolkit_version", "compatible", "files")}
        self.meta = write_meta(model_dir, KIND, **{"backend": self.backend, **fields})

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

    def __call__(self, work: Work) -> list[Fact]:
        """The facts inside ``work.spans``."""
        return self.pipe([work])[0]

    def pipe(self, works: Sequence[Work]) -> list[list[Fact]]:
        """The facts of several documents; their sentences share the batches."""
        sents = [(k, a, b) for k, w in enumerate(works) for a, b in sentence_spans(w.text, w.spans)
                 if is_candidate(w.text[a:b])]
        preds = self._predict([mask_thresholds(fold_width(works[k].text[a:b])) for k, a, b in sents])
        facts: list[list[Fact]] = [[] for _ in works]
        for (k, a, _b), ents in zip(sents, preds):
            for s, e, label, conf in ents:
                fact = fact_from_span(works[k].text, a + s, a + e, label, conf)
                if fact is not None:
                    facts[k].append(fact)
        return [with_thing_counts(w.text, w.spans, with_list_siblings(w.text, found)) for w, found in zip(works, facts)]
