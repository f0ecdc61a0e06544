"""The transformers backend with a tiny BERT built here: train, save (safetensors), reload, predict."""

from __future__ import annotations

import json
import os

import pytest

from conftest import tiny_bert_corpus
from nlp.component import load
from nlp.errors import ModelError
from nlp.extract import text_work
from nlp.extract.trf import LABELS, CharEncoder, TrfExtractor, decode_bio
from nlp.train.config import load_config
from nlp.train.extractor import train

os.environ.setdefault("HF_HUB_OFFLINE", "1")
transformers = pytest.importorskip("transformers")  # an optional extra (govreport-nlp[transformers])


@pytest.fixture(autouse=True)
def _one_torch_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)  # the machine is shared: one thread, and the same numbers every run
    yield
    torch.set_num_threads(before)


def test_char_encoder_keeps_one_id_per_character():
    enc = CharEncoder({"[PAD]": 0, "[unused1]": 1, "[UNK]": 2, "[CLS]": 3, "[SEP]": 4, "8": 5})
    assert enc.ids("8 8") == [3, 5, 1, 5, 4]
    assert decode_bio(["B-ZERO", "I-ZERO", "O"]) == [(0, 2, "ZERO")]


@pytest.mark.slow
def test_tiny_bert_trains_saves_reloads_and_predicts(tmp_path):
    corpus, base = tiny_bert_corpus(tmp_path)
    settings = tmp_path / "trf.yaml"
    settings.write_text(f"backend: transformers\n"
                        f"model: {{transformers: {{base: {json.dumps(str(base))}, max_length: 96}}}}\n"
                        f"train: {{transformers: {{epochs: 30, max_steps: 120, batch_size: 16, learn_rate: 3.0e-3}}}}\n",
                        encoding="utf-8")
    cfg = load_config("extractor", settings)
    out = tmp_path / "model"
    metrics = train(corpus, out, cfg, log=lambda *_: None)
    assert (out / "model.safetensors").is_file() and not list(out.glob("*.bin"))
    config = json.loads((out / "config.json").read_text())
    assert set(config["label2id"]) == set(LABELS)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["backend"] == "transformers" and "seeds" in meta["metrics"]
    assert meta["settings"]["model"]["max_length"] == 96  # the card holds the backend's own settings
    model = load("extractor", out)
    assert isinstance(model, TrfExtractor) and model.max_len == 94
    sentence = "2023年，共发布通知公告188条，党务信息3条。"
    facts = model(text_work(sentence))
    assert all(0.0 <= f.confidence <= 1.0 for f in facts)
    assert model.pipe([text_work(sentence), text_work(sentence, [])]) == [facts, []]
    # A few hundred steps on 5 seeds teach the tiny model the commonest pattern.
    assert metrics["seeds"]["overlap"]["recall"] > 0.3, metrics["seeds"]["overlap"]
    model.save(tmp_path / "again")  # save gives back what load reads
    assert model.pipe([text_work(sentence)]) == load("extractor", tmp_path / "again").pipe([text_work(sentence)])
    (out / "model.safetensors").write_bytes(b"not weights")
    with pytest.raises(ModelError):
        load("extractor", out)
