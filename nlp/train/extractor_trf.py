"""Training the transformers extractor: fine-tune a local encoder for character-level BIO
fact tagging (``govreport train extractor --backend transformers --base PATH``).

Reads the ``transformers`` sections of the extractor settings (``model.transformers``:
``base``, ``max_length``; ``train.transformers``: optimisation, sampling, ``device``;
``inference.transformers``: what the saved model runs with).
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from nlp.errors import ModelError
from nlp.extract.trf import KIND, LABELS, CharEncoder, _chunks, _pad, read_vocab, resolve_device
from nlp.train.config import TrainConfig
from nlp.types import FACT_LABELS

__all__ = ["train", "write_char_vocab", "bio_tags"]


def write_char_vocab(texts: Iterable[str], path: Path) -> dict[str, int]:
    """A BERT-style ``vocab.txt`` of special tokens plus every character seen (tests, toy bases)."""
    chars = sorted({ch for t in texts for ch in t if not ch.isspace()})
    tokens = ["[PAD]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars
    Path(path).write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return {t: i for i, t in enumerate(tokens)}


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


def _set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(corpus_dir: Path | str, out_dir: Path | str, config: TrainConfig,
          log: Callable[[str], Any] = print) -> dict[str, Any]:
    """Fine-tune ``model.transformers.base`` for BIO fact tagging; save; evaluate."""
    import torch
    from transformers import AutoModelForTokenClassification

    from nlp.persist import corpus_hash, update_meta, write_meta
    from nlp.train.extractor_data import (_corpus_files, _training_records, backend_settings, corpus_sentences,
                                          evaluate_model)

    settings = backend_settings(config)
    ms, ts = settings["model"], settings["train"]
    device = resolve_device(ts.get("device"))
    base = ms.get("base")
    if not base or not (Path(base) / "vocab.txt").is_file():
        raise ModelError(str(base) if base else None, "the transformers backend needs --base: a local encoder folder "
                                    "with config.json, weights and vocab.txt")
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    records, _ = _training_records(config, corpus_dir)
    files = _corpus_files(config, corpus_dir)
    seed = config.seed
    _set_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    sents, stats = corpus_sentences(records, float(ts.get("negative_rate", 0.6)), random.Random(seed),
                                    ts.get("max_sentences"))
    encoder = CharEncoder(read_vocab(Path(base) / "vocab.txt"))
    max_len = int(ms.get("max_length", 160)) - 2
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
               corpus_hash=corpus_hash(files) if files else None,
               settings=settings, labels=list(FACT_LABELS), label2id=label2id,
               training={"sentences": stats, "rows": len(rows), "steps": step,
                         "seconds": round(time.perf_counter() - started, 1)})
    metrics = evaluate_model(out_dir, corpus_dir, config=config)
    update_meta(out_dir, metrics=metrics)
    return metrics
