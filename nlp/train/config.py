"""One settings schema for every trainer (``govreport train STAGE --config FILE``).

A settings file is YAML with these keys, all optional in a user's file::

    stage: segmenter            # which trainer it is for (checked)
    backend: linear             # a registered backend of that stage (nlp.component)
    seed: 13
    data:
      train: [synth/train.jsonl]            # corpus files to train on (relative to --corpus)
      eval: {synthetic_dev: synth/dev.jsonl, ...}   # corpus files evaluated on the card
      measure: {realdev: ...}               # evaluation-only sets outside the corpus
                                            # (relative to the project folder; skipped if absent)
    model: {...}                # the backend's hyperparameters
    train: {...}                # optimisation: epochs, regularisation, augmentation
    inference: {...}            # settings the saved model runs with

The package defaults are ``configs/defaults.yaml`` (what every trainer shares: the data
sets) under ``configs/<stage>.yaml`` (the stage's backends); a user's file is laid over
them.  Validation is strict: an unknown key at any level, a value of another type than
the default's, or a backend the registry does not know is a ``ConfigError`` naming the
file and the key — a typo never trains with the defaults in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from nlp.component import STAGES, backends
from nlp.errors import ConfigError
from nlp.types import loads_yaml

__all__ = ["ConfigError", "TrainConfig", "load_config", "SECTIONS_OF_A_CONFIG"]

SECTIONS_OF_A_CONFIG = ("stage", "backend", "seed", "data", "model", "train", "inference")


@dataclass(frozen=True)
class TrainConfig:
    stage: str
    backend: str
    seed: int
    train_files: tuple[str, ...]
    eval_files: Mapping[str, str]
    measure_files: Mapping[str, str]
    model: Mapping[str, Any] = field(default_factory=dict)
    train: Mapping[str, Any] = field(default_factory=dict)
    inference: Mapping[str, Any] = field(default_factory=dict)
    source: str = "package defaults"

    def settings(self) -> dict[str, Any]:
        """The whole configuration as one plain mapping (what a model card records)."""
        return {"stage": self.stage, "backend": self.backend, "seed": self.seed,
                "data": {"train": list(self.train_files), "eval": dict(self.eval_files),
                         "measure": dict(self.measure_files)},
                "model": dict(self.model), "train": dict(self.train), "inference": dict(self.inference)}

    def eval_paths(self, corpus_dir: str | Path, realdev: str | Path | None = None) -> dict[str, Path]:
        """The evaluation files that exist, by set name: ``data.eval`` relative to
        ``corpus_dir``, then ``data.measure`` relative to the project folder — the corpus
        folder's parent, so ``../shared/realdev/realdev.jsonl`` in the repository layout,
        wherever the toolkit is installed.  ``realdev`` replaces the configured realdev.
        Every trainer and ``govreport evaluate`` read their sets here."""
        corpus_dir = Path(corpus_dir)
        project = corpus_dir.resolve().parent
        out = {name: corpus_dir / rel for name, rel in self.eval_files.items()}
        out.update({name: (project / rel).resolve() for name, rel in self.measure_files.items()})
        if realdev is not None:
            out["realdev"] = Path(realdev)
        return {name: path for name, path in out.items() if path.is_file()}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = loads_yaml(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(str(path), f"cannot read: {err.strerror or err}") from None
    except Exception as err:  # noqa: BLE001 — a YAML error of any kind is the file's problem
        raise ConfigError(str(path), f"not valid YAML: {str(err).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "a settings file is a mapping of keys")
    return data


def _overlay(base: dict[str, Any], top: Mapping[str, Any], where: str, path: str, strict: bool) -> dict[str, Any]:
    """``top`` over ``base``; with ``strict``, every key of ``top`` must be in ``base`` with
    a value of the same type (ints are accepted for floats)."""
    out = dict(base)
    for key, value in top.items():
        name = f"{where}.{key}" if where else str(key)
        if strict and key not in base:
            known = ", ".join(sorted(map(str, base))) or "none"
            raise ConfigError(path, f"unknown setting {name!r} (known here: {known})")
        old = base.get(key)
        if strict and old is not None and value is not None and not _same_type(old, value):
            raise ConfigError(path, f"{name} must be {type(old).__name__}, not {type(value).__name__} ({value!r})")
        if isinstance(old, dict) and isinstance(value, Mapping) and key not in ("eval", "measure"):
            out[key] = _overlay(old, value, name, path, strict)
        else:
            out[key] = value
    return out


def _same_type(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool)
    if isinstance(old, float):
        return isinstance(new, (int, float))
    if isinstance(old, (list, tuple)):
        return isinstance(new, (list, tuple))
    return isinstance(new, type(old))


def load_config(stage: str, path: str | Path | None = None, configs_dir: str | Path | None = None) -> TrainConfig:
    """The settings for training ``stage``: package defaults with ``path`` laid over them."""
    from nlp.persist import shipped_configs_dir

    if stage not in STAGES:
        raise ConfigError(stage, f"unknown stage; stages: {', '.join(STAGES)}")
    folder = Path(configs_dir) if configs_dir is not None else shipped_configs_dir()
    merged = _overlay(_read(folder / "defaults.yaml"), _read(folder / f"{stage}.yaml"), "", str(folder), strict=False)
    source = "package defaults"
    if path is not None:
        merged = _overlay(merged, _read(Path(path)), "", str(path), strict=True)
        source = str(path)
    where = str(path or folder / f"{stage}.yaml")
    if merged.get("stage", stage) != stage:
        raise ConfigError(where, f"these settings are for the {merged['stage']} trainer, not the {stage} trainer")
    backend = str(merged.get("backend") or "")
    if backend not in backends(stage):
        raise ConfigError(where, f"backend {backend!r} is not a {stage} backend ({', '.join(backends(stage))})")
    data = merged.get("data") or {}
    return TrainConfig(stage, backend, int(merged.get("seed", 0)), tuple(data.get("train") or ()),
                       dict(data.get("eval") or {}), dict(data.get("measure") or {}),
                       dict(merged.get("model") or {}), dict(merged.get("train") or {}),
                       dict(merged.get("inference") or {}), source)
