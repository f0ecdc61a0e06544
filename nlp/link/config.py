"""What a fitted linker runs with: its model directory's ``config.json``."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from nlp.indicators import registry

__all__ = ["LinkerConfig"]


@dataclass
class LinkerConfig:
    """What a fitted linker runs with (its model directory's ``config.json``): the context
    windows its features were computed with, the zero head's threshold, and the grounding
    in the template (a trained model keeps its copy of ``objects`` and ``cell_words``).
    The training settings are in ``configs/linker.yaml`` (:mod:`nlp.train.linker`)."""

    left_window: int = 20
    near_window: int = 6
    right_window: int = 12
    head_window: int = 12
    zero_threshold: float = 0.5
    # Precision gate (see ``names_object``): indicator prefix → {words: the clause must name
    # one, exclude: words in the fact's clause that mean it counts something else}.  Empty: no gate.
    objects: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    table_margin: float = 0.0  # a table id needs p(best) - p(second) >= this
    # Candidates (see ``cell_candidates``): the ``cell_words`` of indicators.yaml.  Empty:
    # every table id may be given.
    cell_words: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkerConfig:
        """The run-time settings of a stored ``config.json``; keys it holds for training
        (``C``, ``min_count``, the data sets of cards written before the settings schema)
        are not the model's and are left out."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def grounded(cls, **settings: Any) -> LinkerConfig:
        """Settings with ``objects`` and ``cell_words`` from nlp/data/indicators.yaml."""
        settings.setdefault("objects", dict(registry().objects))
        settings.setdefault("cell_words", dict(registry().raw.get("cell_words") or {}))
        return cls(**settings)
