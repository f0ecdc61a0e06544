"""The component contract: one shape for every trainable stage and its rule baseline.

A *component* is one backend of one stage — the linear segmenter, the rule segmenter,
the spaCy extractor, the transformers extractor, the rule extractor, the linker, the rule
linker.  Like spaCy's pipes and scikit-learn's estimators they share one small protocol:

- ``Component.load(model_dir)`` — a classmethod: the component from a model directory
  (its ``meta.json`` names the stage and the backend; rule baselines need no files);
- ``component.save(model_dir)`` — write it so that ``load`` gives it back;
- ``component(work)`` — run on one document: the stage's output for it;
- ``component.pipe(works)`` — run on many, one output per document in order (a backend
  that batches, like the extractor, does it here).

A :class:`Work` is one document as the stages see it: what reading gave and what each
earlier stage added.  The stage's output:

========== ==================== ==============================================
stage      reads from ``Work``  returns
========== ==================== ==============================================
segmenter  ``doc``              ``list[Line]`` — a section and heading flag per line
extractor  ``doc``, ``spans``   ``list[Fact]`` — the facts inside the narrative spans
linker     ``doc``, ``lines``,  ``list[Fact]`` — the facts with their indicators
           ``template``,
           ``facts``
========== ==================== ==============================================

The registry maps ``(stage, backend)`` to its class by *name* (``module:Class``), so
loading a model imports only the backend it needs.  ``load(stage, model_dir)`` is the one
way the pipeline, the CLI and the evaluation load a model.  ``tests/test_contract.py``
runs every registered pair through the contract, as sklearn's ``check_estimator`` does.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, Sequence, runtime_checkable

from nlp.errors import ModelError
from nlp.types import Document, Fact, Line

__all__ = ["STAGES", "Work", "Component", "Base", "Rules", "REGISTRY", "DEFAULT_BACKEND", "register",
           "backends", "factory", "load", "backend_of"]

STAGES = ("segmenter", "extractor", "linker")


@dataclass
class Work:
    """One document between the stages."""

    doc: Document
    lines: list[Line] = field(default_factory=list)
    template: str | None = None                        # the table template the tables stage found
    spans: list[tuple[int, int]] = field(default_factory=list)   # narrative blocks to extract from
    facts: list[Fact] = field(default_factory=list)
    year: int | None = None                            # the year reported on (the title's)

    @property
    def text(self) -> str:
        return self.doc.text


@runtime_checkable
class Component(Protocol):
    stage: ClassVar[str]
    backend: ClassVar[str]

    @classmethod
    def load(cls, model_dir: Path) -> Component: ...

    def save(self, model_dir: Path) -> None: ...

    def __call__(self, work: Work) -> Any: ...

    def pipe(self, works: Sequence[Work]) -> list[Any]: ...


class Base:
    """What most components share: ``pipe`` as one call per document."""

    stage: ClassVar[str]
    backend: ClassVar[str]

    def __call__(self, work: Work) -> Any:  # pragma: no cover - every component defines it
        raise NotImplementedError

    def pipe(self, works: Sequence[Work]) -> list[Any]:
        return [self(w) for w in works]


class Rules(Base):
    """A component with no files (the rule baselines): any folder, or none, loads it; its
    saved folder holds only a card naming its backend, so that :func:`load` gives it back."""

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> Rules:
        return cls()

    def save(self, model_dir: str | Path) -> None:
        from nlp.persist import write_meta

        Path(model_dir).mkdir(parents=True, exist_ok=True)
        write_meta(Path(model_dir), self.stage, backend=self.backend)


# (stage, backend) → "module:Class".  Names, not imports: a run imports only what it loads.
REGISTRY: dict[tuple[str, str], str] = {
    ("segmenter", "linear"): "nlp.segment:Segmenter",
    ("segmenter", "rule"): "nlp.segment:RuleSegmenter",
    ("extractor", "spacy"): "nlp.extract.spacy:Extractor",
    ("extractor", "transformers"): "nlp.extract.trf:TrfExtractor",
    ("extractor", "rule"): "nlp.extract.rules:RuleExtractor",
    ("extractor", "recognizers"): "nlp.extract.rules:RecognizersExtractor",
    ("linker", "logreg"): "nlp.link.model:Linker",
    ("linker", "rule"): "nlp.link.rules:RuleLinker",
}
# The backend of a model directory whose card names none (cards written before backends).
DEFAULT_BACKEND = {"segmenter": "linear", "extractor": "spacy", "linker": "logreg"}


def register(stage: str, backend: str, target: str) -> None:
    """Add a backend: ``register("extractor", "crf", "mypkg.crf:CrfExtractor")``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")
    REGISTRY[(stage, backend)] = target


def backends(stage: str) -> tuple[str, ...]:
    return tuple(b for s, b in REGISTRY if s == stage)


def factory(stage: str, backend: str) -> type:
    """The class registered for ``(stage, backend)``, imported now."""
    try:
        target = REGISTRY[(stage, backend)]
    except KeyError:
        raise ModelError(stage, f"no {stage} backend {backend!r}; known: {', '.join(backends(stage))}") from None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def backend_of(stage: str, model_dir: Path) -> str:
    """The backend a model directory's card names (its stage checked)."""
    card = Path(model_dir) / "meta.json"
    try:
        meta = json.loads(card.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(str(model_dir), f"no {stage} model here (no meta.json); pass --models, "
                                         f"or train one with `govreport train {stage} --out {model_dir}`") from None
    except (OSError, ValueError) as err:
        raise ModelError(str(model_dir), f"unreadable model card {card}: {err}") from None
    kind = meta.get("kind") or meta.get("stage")
    if kind != stage:
        raise ModelError(str(model_dir), f"this is a {kind or 'unknown'} model, not a {stage} model")
    return str(meta.get("backend") or DEFAULT_BACKEND[stage])


def load(stage: str, model_dir: str | Path, backend: str | None = None) -> Component:
    """The component a model directory holds (its card names the backend), or the
    ``backend`` asked for (``"rule"`` needs no directory)."""
    model_dir = Path(model_dir)
    backend = backend or backend_of(stage, model_dir)
    return factory(stage, backend).load(model_dir)
