"""Shared fixtures: the seed reports (shipped in corpus/seeds) and the realdev set (optional)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "corpus" / "seeds"
SEED_GOLD = ROOT / "corpus" / "seeds.jsonl"
REALDEV = ROOT.parent / "shared" / "realdev" / "realdev.jsonl"
MODELS = ROOT / "models"


def seed_paths() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.txt"))


@pytest.fixture(params=[p.name for p in seed_paths()])
def seed_path(request) -> Path:
    return SEEDS_DIR / request.param


def require_tool(command: str, package: str) -> str:
    """The path of a tool CI installs (``.ci/run``): where it is missing the test fails under
    ``CI=true`` (CI must exercise it) and skips elsewhere, saying what to install."""
    found = shutil.which(command)
    if found is None:
        message = f"{command} ({package}) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must install it (.ci/run)")
        pytest.skip(message)
    return found


@pytest.fixture
def realdev_path() -> Path:
    if not REALDEV.is_file():
        pytest.skip(f"realdev set not found at {REALDEV} (evaluation-only data, not shipped)")
    return REALDEV


def tiny_bert_corpus(tmp: Path, hidden: int = 32, layers: int = 2) -> tuple[Path, Path]:
    """A corpus folder holding the seed gold and a tiny BERT base built here (nothing is
    downloaded): what the transformers extractor trains from in the tests."""
    import shutil

    import transformers

    from nlp.train.extractor_trf import write_char_vocab
    from nlp.types import Record

    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_GOLD, corpus / "seeds.jsonl")
    texts = [Record.from_json(x).text for x in SEED_GOLD.read_text(encoding="utf-8").splitlines() if x]
    base = tmp / "base"
    base.mkdir()
    vocab = write_char_vocab(texts + ["0123456789%.,"], base / "vocab.txt")
    cfg = transformers.BertConfig(vocab_size=len(vocab), hidden_size=hidden, num_hidden_layers=layers,
                                  num_attention_heads=2, intermediate_size=2 * hidden,
                                  max_position_embeddings=192)
    transformers.BertModel(cfg).save_pretrained(base, safe_serialization=True)
    return corpus, base

