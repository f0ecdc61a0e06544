"""Batch speed contracts: torch on one thread per worker, compact records that read back
whole, and a resumed run with nothing left to do that neither loads models nor touches
its output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import nlp.batch as batch
from nlp.batch import run_batch
from nlp.types import Line, Record, compact_lines, expand_lines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
MODELS = ROOT / "models"


@pytest.fixture
def torch_threads():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    yield torch
    torch.set_num_threads(before)


def test_a_batch_pipeline_puts_torch_on_one_thread(torch_threads, monkeypatch):
    from nlp.pipeline import Pipeline

    torch_threads.set_num_threads(2)
    monkeypatch.setattr(batch, "_PIPELINES", {})
    monkeypatch.delenv(batch.THREADS_ENV, raising=False)
    monkeypatch.setattr(Pipeline, "load", classmethod(lambda cls, models_dir, fallback=False: object()))
    batch._pipeline("nowhere", False)
    assert torch_threads.get_num_threads() == 1
    torch_threads.set_num_threads(2)
    batch._init_worker("nowhere", False)  # a forked worker: the pipeline is there, threads set again
    assert torch_threads.get_num_threads() == 1


def test_the_thread_count_can_be_set(torch_threads, monkeypatch):
    monkeypatch.setenv(batch.THREADS_ENV, "2")
    batch.one_thread_per_worker()
    assert torch_threads.get_num_threads() == 2


def test_compact_lines_round_trip():
    text = "标题\n\n一、总体情况\n正文\n\n\n二、其他\n"
    lines = [Line(0, 2, "title", True, 0.9), Line(3, 3, "title", False, 0.8), Line(4, 10, "overview", True),
             Line(11, 13, "overview"), Line(14, 14, "overview"), Line(15, 15, "other"),
             Line(16, 20, "other", True), Line(21, 21, "other")]
    compact = compact_lines(lines)
    assert [e["start"] for e in compact] == [0, 4, 11, 15, 16]  # empty lines like the one before: left out
    assert "heading" not in compact[2] and compact[1]["heading"] is True
    back = expand_lines(text, compact)
    assert [(x.start, x.end, x.section, x.heading) for x in back] == \
        [(x.start, x.end, x.section, x.heading) for x in lines]
    rec = Record(id="x", text=text, lines=lines)
    data = rec.to_dict(compact=True)
    assert data["lines_compact"] is True and "lines_compact" not in rec.to_dict()
    again = Record.from_json(json.dumps(data))
    assert [(x.start, x.end, x.section, x.heading) for x in again.lines] == \
        [(x.start, x.end, x.section, x.heading) for x in lines]
    assert again.to_dict(compact=True) == data


def test_batch_records_are_compact_and_read_back_whole(tmp_path):
    out, full = tmp_path / "c.jsonl", tmp_path / "f.jsonl"
    run_batch(SEEDS[:2], out, progress=False, models_dir=MODELS)
    run_batch(SEEDS[:2], full, progress=False, models_dir=MODELS, compact=False)
    assert out.stat().st_size < full.stat().st_size
    for c, f in zip(out.read_text(encoding="utf-8").splitlines(), full.read_text(encoding="utf-8").splitlines()):
        assert json.loads(c)["lines_compact"] is True
        a, b = Record.from_json(c), Record.from_json(f)
        assert [(x.start, x.end, x.section, x.heading) for x in a.lines] == \
            [(x.start, x.end, x.section, x.heading) for x in b.lines]
        assert a.facts == b.facts and a.findings == b.findings and a.cells == b.cells


@pytest.fixture
def finished_run(tmp_path):
    """A folder of three seeds and the output of a finished run over it."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    out = tmp_path / "o.jsonl"
    first = run_batch([folder], out, progress=False, models_dir=MODELS)
    return folder, out, first


def test_resume_with_nothing_left_leaves_the_output_and_loads_no_model(finished_run, monkeypatch):
    folder, out, first = finished_run
    batch.index_path(out).unlink()  # the long way: every record read again
    before = out.read_bytes(), out.stat().st_mtime_ns
    called = []
    monkeypatch.setattr(batch, "_pipeline", lambda *a: called.append(a))
    again = run_batch([folder], out, resume=True, progress=False, models_dir=MODELS,
                      prepare=lambda: called.append("prepare"))
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before and not called
    assert again.skipped == 3 and again.processed == 0 and again.outcomes == first.outcomes
    assert [r.findings for r in again.records] == [r.findings for r in first.records]
    assert [r.coverage for r in again.records] == [r.coverage for r in first.records]
    assert batch.index_path(out).is_file()  # and the index is back for the next time


def _no_model(monkeypatch) -> list:
    called: list = []
    monkeypatch.setattr(batch, "_pipeline", lambda *a: called.append(a))
    monkeypatch.setattr(batch, "_read_journal", lambda out: called.append("journal") or {})
    return called


def test_a_resume_with_nothing_to_do_reads_the_run_index_not_the_records(finished_run, monkeypatch):
    folder, out, first = finished_run
    assert batch.index_path(out).is_file() and batch.index_path(out).name.startswith(".")
    called = _no_model(monkeypatch)  # neither a model nor the output's records are read
    again = run_batch([folder], out, resume=True, progress=False, models_dir=MODELS)
    assert not called
    assert again.outcomes == first.outcomes and again.documents == first.documents
    assert (again.skipped, again.processed, again.failed) == (3, 0, first.failed)
    assert again.severities == first.severities


def test_the_records_of_an_indexed_resume_are_read_when_asked_for(finished_run):
    folder, out, first = finished_run
    again = run_batch([folder], out, resume=True, progress=False, models_dir=MODELS)
    assert [(r.id, r.path, r.findings, r.coverage) for r in again.records] == \
        [(r.id, r.path, r.findings, r.coverage) for r in first.records]


@pytest.mark.parametrize("change", ["output_edited", "input_added", "index_garbled", "index_of_other_inputs"])
def test_a_run_index_that_does_not_fit_is_passed_over(finished_run, change, monkeypatch):
    folder, out, first = finished_run
    index = batch.index_path(out)
    if change == "output_edited":  # e.g. a line appended by hand: the output is read again
        with open(out, "ab") as fh:
            fh.write(out.read_bytes().splitlines(keepends=True)[0])
    elif change == "input_added":
        shutil.copy(SEEDS[3], folder / SEEDS[3].name)
    elif change == "index_garbled":
        index.write_bytes(b"\x00{not json")
    else:  # an index that names other inputs
        data = json.loads(index.read_bytes())
        data["keys"] = data["keys"][:-1]
        index.write_text(json.dumps(data))
    read = []
    real = batch._read_journal
    monkeypatch.setattr(batch, "_read_journal", lambda out: read.append(out) or real(out))
    again = run_batch([folder], out, resume=True, progress=False, models_dir=MODELS)
    assert read, "the records were not read"
    expected = 4 if change == "input_added" else 3
    assert again.total == expected and len(out.read_bytes().splitlines()) == expected
    # the run ends with an index that fits again: the next resume has nothing to read
    assert batch._read_index(out, again._keys) is not None


def test_a_run_that_writes_forgets_the_index_first(finished_run, monkeypatch):
    folder, out, _first = finished_run
    shutil.copy(SEEDS[3], folder / SEEDS[3].name)
    seen = []

    def stop(*args, **kwargs):
        seen.append(batch.index_path(out).exists())
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_run_local", stop)
    with pytest.raises(batch.Interrupted):
        run_batch([folder], out, resume=True, progress=False, models_dir=MODELS)
    assert seen == [False] and not batch.index_path(out).exists()


def test_a_resume_names_the_folder_another_way_and_still_has_nothing_to_do(finished_run, monkeypatch):
    """``docs``, ``./docs/`` and the absolute path are the same inputs: nothing is done again."""
    folder, out, first = finished_run
    before = out.read_bytes(), out.stat().st_mtime_ns
    monkeypatch.chdir(folder.parent)
    called = []
    monkeypatch.setattr(batch, "_pipeline", lambda *a: called.append(a))
    for spelling in ("in", "./in/", str(folder)):
        again = run_batch([spelling], out, resume=True, progress=False, models_dir=MODELS)
        assert (again.skipped, again.processed) == (3, 0) and not called, spelling
        assert [o.findings for o in again.outcomes] == [o.findings for o in first.outcomes]
        assert [r.findings for r in again.records] == [r.findings for r in first.records]
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before
