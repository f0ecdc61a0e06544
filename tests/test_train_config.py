"""One settings schema for every trainer (nlp/train/config.py): package defaults, a
user's file laid over them, strict validation naming the file and the key."""

from __future__ import annotations

import pytest

from nlp.component import STAGES, backends
from nlp.errors import ConfigError
from nlp.train.config import SECTIONS_OF_A_CONFIG, load_config


@pytest.mark.parametrize("stage", STAGES)
def test_package_defaults_load_for_every_stage(stage):
    cfg = load_config(stage)
    assert cfg.stage == stage and cfg.backend in backends(stage)
    assert cfg.train_files == ("synth/train.jsonl",)
    assert set(cfg.eval_files) == {"synthetic_dev", "synthetic_test", "seeds"}
    assert set(cfg.measure_files) == {"realdev"}  # the realdev path, written once (defaults.yaml)
    assert set(cfg.settings()) == set(SECTIONS_OF_A_CONFIG)


def test_a_users_file_is_laid_over_the_defaults(tmp_path):
    base = load_config("linker")
    path = tmp_path / "mine.yaml"
    path.write_text("seed: 7\ntrain: {C: 2}\ndata: {eval: {mine: my/test.jsonl}}\n", encoding="utf-8")
    cfg = load_config("linker", path)
    assert (cfg.seed, cfg.train["C"], cfg.train["max_iter"]) == (7, 2, base.train["max_iter"])
    assert dict(cfg.eval_files) == {"mine": "my/test.jsonl"}  # a user's sets replace the defaults'
    assert cfg.source == str(path)


@pytest.mark.parametrize("text, message", [
    ("trian: {C: 2}\n", "unknown setting 'trian'"),
    ("train: {c: 2}\n", "unknown setting 'train.c'"),
    ("train: {C: fast}\n", "train.C must be float, not str"),
    ("stage: segmenter\n", "for the segmenter trainer, not the linker trainer"),
    ("backend: crf\n", "backend 'crf' is not a linker backend"),
    ("- a list\n", "a settings file is a mapping"),
    ("train: {C: [\n", "not valid YAML"),
])
def test_a_wrong_file_is_one_error_naming_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml") as caught:
        load_config("linker", path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_file_is_an_error_not_the_defaults(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config("segmenter", tmp_path / "absent.yaml")
