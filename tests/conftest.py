"""Shared fixtures: the seed reports (shipped in corpus/seeds) and the realdev set (optional)."""

from __future__ import annotations

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


@pytest.fixture
def realdev_path() -> Path:
    if not REALDEV.is_file():
        pytest.skip(f"realdev set not found at {REALDEV} (evaluation-only data, not shipped)")
    return REALDEV
