"""Every registered (stage, backend) keeps the component contract (nlp/component.py),
in the spirit of scikit-learn's ``check_estimator``: class attributes that match its
registry key; ``load`` from a model directory; ``save`` then ``load`` gives the same
outputs; one document (``__call__``) and many (``pipe``) agree; outputs of the stage's
type with offsets inside the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import MODELS, seed_paths, tiny_bert_corpus
from nlp import component
from nlp.component import REGISTRY, Component, Work
from nlp.persist import read_meta
from nlp.types import Fact, Line

PAIRS = sorted(REGISTRY)


def _works(n: int = 3) -> list[Work]:
    """Seed documents as the pipeline hands them to the trainable stages: read, then each
    earlier stage's output taken from a rule-free run of the shipped pipeline."""
    from nlp.pipeline import Pipeline

    pipe = Pipeline.load(MODELS)
    works = []
    for path in seed_paths()[:n]:
        works.append(pipe.work_of(path))
    return works


@pytest.fixture(scope="module")
def works() -> list[Work]:
    return _works()


def _tiny_transformers(tmp: Path) -> Path:
    """A transformers extractor trained for a few steps on the seed gold (a tiny BERT
    built here: nothing is downloaded)."""
    import torch

    from nlp.train.config import load_config
    from nlp.train.extractor import train

    torch.set_num_threads(1)
    corpus, base = tiny_bert_corpus(tmp, hidden=16, layers=1)
    settings = tmp / "trf.yaml"
    settings.write_text(f"backend: transformers\n"
                        f"model: {{transformers: {{base: {json.dumps(str(base))}, max_length: 96}}}}\n"
                        f"train: {{transformers: {{epochs: 1, max_steps: 4, batch_size: 16}}}}\n", encoding="utf-8")
    out = tmp / "trf"
    train(corpus, out, load_config("extractor", settings), log=lambda *_: None)
    return out


def _instance(stage: str, backend: str, tmp: Path) -> Component:
    if backend in ("rule", "recognizers"):
        return component.factory(stage, backend).load(tmp / "no-model-needed")
    if backend == "transformers":
        return component.load(stage, _tiny_transformers(tmp))
    return component.load(stage, MODELS / stage)


def _same(a, b) -> bool:
    return json.dumps(_plain(a), sort_keys=True, ensure_ascii=False) == json.dumps(_plain(b), sort_keys=True, ensure_ascii=False)


def _plain(out):
    return [x.to_dict() if hasattr(x, "to_dict") else x for x in out]


@pytest.mark.parametrize("stage,backend", PAIRS, ids=[f"{s}-{b}" for s, b in PAIRS])
def test_component_contract(stage, backend, works, tmp_path):
    comp = _instance(stage, backend, tmp_path)
    assert isinstance(comp, Component)
    assert (comp.stage, comp.backend) == (stage, backend)

    one = [comp(w) for w in works]
    many = comp.pipe(works)
    assert len(many) == len(works)
    for a, b in zip(one, many):
        assert _same(a, b), f"{stage}/{backend}: pipe() differs from one document at a time"

    kind = Line if stage == "segmenter" else Fact
    for w, out in zip(works, one):
        assert isinstance(out, list) and all(isinstance(x, kind) for x in out)
        for x in out:
            assert 0 <= x.start <= x.end <= len(w.text)
        if stage == "segmenter":
            assert len(out) == len(w.doc.lines)

    saved = tmp_path / "saved"
    card = dict(getattr(comp, "meta", None) or {})
    comp.save(saved)
    again = component.load(stage, saved)
    assert (again.stage, again.backend) == (stage, backend)
    if card:  # load -> save keeps the card: what it was trained on and how well it did
        kept = read_meta(saved)
        for field in ("corpus_hash", "metrics"):
            if field in card:
                assert kept.get(field) == card[field], f"{stage}/{backend}: save() dropped the card's {field}"
    for w, a in zip(works, one):
        assert _same(again(w), a), f"{stage}/{backend}: saved and loaded back, it answers differently"


def test_a_model_of_another_stage_is_refused(tmp_path):
    from nlp.errors import ModelError

    with pytest.raises(ModelError, match="not a linker model"):
        component.load("linker", MODELS / "segmenter")
    with pytest.raises(ModelError, match="no linker model here"):
        component.load("linker", tmp_path)
    with pytest.raises(ModelError, match="no extractor backend 'crf'"):
        component.factory("extractor", "crf")


def test_every_stage_has_a_rule_baseline_and_a_trained_backend():
    for stage in component.STAGES:
        assert "rule" in component.backends(stage)
        assert component.DEFAULT_BACKEND[stage] in component.backends(stage)
