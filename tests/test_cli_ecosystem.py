"""The artifacts researchers take elsewhere: the extractor as a spaCy pipeline, the corpus
as a Hugging Face DatasetDict with a card, Label Studio tasks with model predictions beside
gold annotations, and the transformers backend's device."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import MODELS, ROOT, SEED_GOLD
from nlp.corpus import load_records, save_records


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


# ---------------------------------------------------------------- spaCy
def test_extractor_folder_is_a_spacy_pipeline():
    import spacy

    import nlp.extract  # registers the tokenizer, as the installed entry point does

    nlp.extract.register_tokenizer()
    pipe = spacy.load(MODELS / "extractor")
    assert pipe.lang == "zh" and pipe.pipe_names == ["ner"]
    assert set(pipe.get_pipe("ner").labels) == {"COUNT", "MONEY", "PERCENT", "ZERO"}
    doc = pipe("2023年，共发布通知公告188条，未收到政府信息公开申请。")
    assert ("188条", "COUNT") in [(e.text, e.label_) for e in doc.ents]
    meta = json.loads((MODELS / "extractor" / "meta.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "extractor" and meta["files"] and meta["evaluation"]  # the project's card
    assert meta["name"] == pipe.meta["name"] and meta["components"] == ["ner"]  # spaCy's fields


def test_spacy_evaluate_runs_on_an_exported_docbin(tmp_path):
    """`spacy evaluate` (the spaCy CLI) scores the shipped pipeline on the seeds' DocBin."""
    import subprocess
    import sys

    res = invoke("corpus", "export", SEED_GOLD, "--to", "spacy", "-o", tmp_path / "seeds.spacy")
    assert res.exit_code == 0, res.output
    code = tmp_path / "govreport_spacy.py"  # what the installed entry point does
    code.write_text("from nlp.extract import register_tokenizer\nregister_tokenizer()\n")
    proc = subprocess.run([sys.executable, "-m", "spacy", "evaluate", str(MODELS / "extractor"),
                           str(tmp_path / "seeds.spacy"), "--code", str(code),
                           "--output", str(tmp_path / "scores.json")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    scores = json.loads((tmp_path / "scores.json").read_text())
    assert scores["ents_f"] > 0.5, scores


# ---------------------------------------------------------------- Hugging Face
def _small_corpus(folder):
    (folder / "synth").mkdir(parents=True)
    shutil.copy(SEED_GOLD, folder / "seeds.jsonl")
    test = load_records(ROOT / "corpus" / "synth" / "test.jsonl")
    for name, part in (("train", test[:4]), ("dev", test[4:6]), ("test", test[6:9])):
        save_records(folder / "synth" / f"{name}.jsonl", part)
    return folder


def test_hf_export_is_a_datasetdict_with_a_card_and_imports_back(tmp_path):
    from datasets import DatasetDict, load_from_disk

    corpus = _small_corpus(tmp_path / "corpus")
    res = invoke("corpus", "export", corpus, "--to", "hf", "-o", tmp_path / "hf")
    assert res.exit_code == 0, res.output
    dd = load_from_disk(str(tmp_path / "hf"))
    assert isinstance(dd, DatasetDict)
    assert {k: len(v) for k, v in dd.items()} == {"train": 4, "validation": 2, "test": 3, "seeds": 5}
    card = (tmp_path / "hf" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlicense: apache-2.0\n") and "Apache License 2.0" in card
    assert "num_examples: 4" in card
    res = invoke("corpus", "import", tmp_path / "hf", "--from", "hf", "-o", tmp_path / "back.jsonl")
    assert res.exit_code == 0, res.output
    back = [r.to_dict() for r in load_records(tmp_path / "back.jsonl")]
    original = [r.to_dict() for name in ("synth/train", "synth/dev", "synth/test", "seeds")
                for r in load_records(corpus / f"{name}.jsonl")]
    assert back == original  # findings keep severity, message and fact too


def test_hf_import_of_something_else_is_one_error(tmp_path):
    res = invoke("corpus", "import", SEED_GOLD, "--from", "hf", "-o", tmp_path / "x.jsonl")
    assert res.exit_code == 1 and "not a saved Hugging Face dataset" in res.output


# ---------------------------------------------------------------- Label Studio
def test_labelstudio_model_output_goes_under_predictions(tmp_path):
    seed = ROOT / "corpus" / "seeds" / "004_d20f3da8d3ab99e3.txt"
    res = invoke("extract", seed, "-o", tmp_path / "pred.jsonl")
    assert res.exit_code == 0, res.output
    pred = load_records(tmp_path / "pred.jsonl")[0]
    gold = next(r for r in load_records(SEED_GOLD) if r.text == pred.text or r.id == "seed-004")
    pred.id = gold.id
    save_records(tmp_path / "pred.jsonl", [pred])
    save_records(tmp_path / "gold.jsonl", [gold])

    res = invoke("corpus", "export", tmp_path / "gold.jsonl", "--to", "labelstudio", "-o", tmp_path / "ls.json",
                 "--predictions", tmp_path / "pred.jsonl")
    assert res.exit_code == 0, res.output
    task = json.loads((tmp_path / "ls.json").read_text(encoding="utf-8"))[0]
    annotated = [r for r in task["annotations"][0]["result"] if r["from_name"] == "fact"]
    predicted = task["predictions"][0]
    assert len(annotated) == len(gold.facts)
    assert len([r for r in predicted["result"] if r["from_name"] == "fact"]) == len(pred.facts)
    assert 0 < predicted["score"] <= 1 and "extractor=" in predicted["model_version"]

    res = invoke("corpus", "export", tmp_path / "pred.jsonl", "--to", "labelstudio", "-o", tmp_path / "only.json")
    task = json.loads((tmp_path / "only.json").read_text(encoding="utf-8"))[0]
    assert "annotations" not in task and task["predictions"][0]["result"]
    # the gold survives the round trip; a task with only predictions imports them
    assert invoke("corpus", "import", tmp_path / "ls.json", "-o", tmp_path / "g.jsonl").exit_code == 0
    assert [f.to_dict() for f in load_records(tmp_path / "g.jsonl")[0].facts] == [f.to_dict() for f in gold.facts]


# ---------------------------------------------------------------- transformers device
def test_device_choices():
    from nlp.errors import ModelError
    from nlp.extract.trf import resolve_device

    torch = pytest.importorskip("torch")  # the optional transformers extra, not the project
    assert str(resolve_device("cpu")) == "cpu"
    with pytest.raises(ModelError, match="expected cpu, cuda or cuda:N"):
        resolve_device("gpu0")
    if not torch.cuda.is_available():
        with pytest.raises(ModelError, match="CUDA device"):
            resolve_device("cuda:0")
    res = invoke("check", SEED_GOLD, "--device", "tpu")
    assert res.exit_code == 2 and "expected cpu, cuda or cuda:N" in res.output
