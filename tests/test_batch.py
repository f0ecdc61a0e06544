"""Batch runs: same output with 1 or 2 workers and on a Dask LocalCluster; a run killed with
SIGKILL and resumed equals an uninterrupted run; one bad file never stops the batch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp.batch import read_done, run_batch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
MODELS = ROOT / "models"


def make_corpus(folder: Path, copies: int) -> Path:
    """Seed copies in nested folders plus one broken file."""
    for k in range(copies):
        sub = folder / f"batch{k % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        for s in SEEDS:
            shutil.copy(s, sub / f"{k:03d}_{s.name}")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated garbage")
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus"), 2)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "out.jsonl"
    summary = run_batch([corpus], out, workers=1, progress=False, models_dir=MODELS, fallback=True)
    assert summary.total == 11 and summary.failed == 1 and summary.processed == 11
    return out.read_bytes()


def test_output_in_input_order_with_error_record(reference, corpus):
    recs = [json.loads(x) for x in reference.decode().splitlines()]
    assert [r["path"] for r in recs] == sorted(r["path"] for r in recs)  # iter order = sorted
    bad = [r for r in recs if "error" in r]
    assert len(bad) == 1 and bad[0]["path"].endswith("broken.pdf")
    assert len({r["id"] for r in recs}) == len(recs)


def test_two_workers_equal_one(reference, corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    run_batch([corpus], out, workers=2, progress=False, models_dir=MODELS, fallback=True)
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_dask_local_cluster_equals_local(reference, corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out.jsonl"
        run_batch([corpus], out, dask=cluster.scheduler_address, progress=False,
                  models_dir=MODELS, fallback=True)
    assert out.read_bytes() == reference


def test_resume_drops_a_partial_line_and_skips_done(reference, corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    lines = reference.decode().splitlines(keepends=True)
    out.write_text("".join(lines[:4]) + lines[4][: len(lines[4]) // 2], encoding="utf-8")
    assert len(read_done(out)) == 4 and out.read_text(encoding="utf-8").endswith("\n")
    summary = run_batch([corpus], out, resume=True, progress=False, models_dir=MODELS, fallback=True)
    assert summary.skipped == 4 and summary.processed == 7
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_sigkill_mid_run_then_resume(reference, tmp_path):
    corpus = make_corpus(tmp_path / "big", 6)  # 31 documents
    out = tmp_path / "out.jsonl"
    code = ("import sys; from nlp.batch import run_batch; "
            "run_batch([sys.argv[1]], sys.argv[2], progress=False, models_dir=sys.argv[3], fallback=True)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(corpus), str(out), str(MODELS)], cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if out.is_file() and out.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    written = out.read_bytes().count(b"\n")
    assert 3 <= written < 31, "the run was not killed mid-way"

    summary = run_batch([corpus], out, resume=True, progress=False, models_dir=MODELS, fallback=True)
    assert summary.skipped >= 3 and summary.total == 31
    uninterrupted = tmp_path / "ref.jsonl"
    run_batch([corpus], uninterrupted, progress=False, models_dir=MODELS, fallback=True)
    assert out.read_bytes() == uninterrupted.read_bytes()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.jsonl")]  # no temp left


def test_cross_year_findings_in_a_run(tmp_path):
    """Two years of one agency in one run: documents in force must follow from last year's."""
    a = SEEDS[4].read_text(encoding="utf-8")  # 2023: normative in force 0
    lines = a.replace("2023", "2024").split("\n")
    idx = next(i for i, x in enumerate(lines) if x.strip() == "行政规范性文件")
    nums = [i for i in range(idx + 1, idx + 8) if lines[i].strip().isdigit()][:3]
    lines[nums[2]] = "\t5"  # 2024: in force 5, yet 0 issued and 0 repealed
    (tmp_path / "y2023.txt").write_text(a, encoding="utf-8")
    (tmp_path / "y2024.txt").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "runs" / "out.jsonl"
    fresh = run_batch([tmp_path], out, progress=False, models_dir=MODELS, fallback=True)
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert recs["y2024"]["table"]["active.normative.in_force"] == 5
    cross = [f for f in recs["y2024"]["findings"] if f["type"] == "cross_year_mismatch"]
    assert [(f["indicator"], f["table_value"]) for f in cross] == [("active.normative.in_force", 5)]
    assert "2023" in cross[0]["message"]
    assert not [f for f in recs["y2023"]["findings"] if f["type"] == "cross_year_mismatch"]

    # the summary counts what the file holds, whether the workers sent it or it is read back
    assert fresh.severities["warning"] >= 1
    written = out.read_bytes()
    again = run_batch([tmp_path], out, resume=True, progress=False, models_dir=MODELS, fallback=True)
    assert again.skipped == 2 and out.read_bytes() == written  # not doubled
    assert again.severities == fresh.severities and again.documents == fresh.documents
    two = run_batch([tmp_path], tmp_path / "runs" / "two.jsonl", workers=2, progress=False,
                    models_dir=MODELS, fallback=True)
    assert (tmp_path / "runs" / "two.jsonl").read_bytes() == written and two.documents == fresh.documents


# ---------------------------------------------------------------- CLI: extract / check
def _cli(*args: str):
    from typer.testing import CliRunner

    from cli import app
    return CliRunner().invoke(app, list(args))


def test_cli_extract_stdout_in_input_order():
    res = _cli("extract", str(SEEDS[1]), str(SEEDS[0]), "--models", str(MODELS), "--rules")
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [r["path"] for r in recs] == [str(SEEDS[1]), str(SEEDS[0])]


def test_cli_check_outputs_and_exit_status(tmp_path):
    res = _cli("check", str(SEEDS[3]), "--models", str(MODELS), "--rules", "--jsonl", str(tmp_path / "o.jsonl"),
               "--csv", str(tmp_path / "csv"), "--parquet", str(tmp_path / "pq"), "--html", str(tmp_path / "html"),
               "--fail-on", "error")
    recs = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    sev = {f["severity"] for f in recs[0]["findings"]}
    assert res.exit_code == (1 if "error" in sev else 0), res.output
    # without --fail-on, findings are reported but do not fail the run
    assert _cli("check", str(SEEDS[3]), "--models", str(MODELS), "--rules").exit_code == 0
    assert (tmp_path / "csv" / "findings.csv").is_file() and (tmp_path / "pq" / "indicators.parquet").is_file()
    assert (tmp_path / "html" / "index.html").is_file()
    assert "govreport check" in res.output  # the summary table
    # seed 003 has blank review cells (warnings): --fail-on warning fails
    res = _cli("check", str(SEEDS[3]), "--models", str(MODELS), "--rules", "--fail-on", "warning")
    assert res.exit_code == 1


def test_cli_check_failed_document_exits_1(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    res = _cli("check", str(bad), "--models", str(MODELS), "--rules")
    assert res.exit_code == 1 and "bad" in res.output


@pytest.mark.parametrize("args", [  # a missing path is a failed document (exit 1): tests/test_cli.py
    ["check", str(SEEDS[0]), "--fail-on", "sometimes"],
    ["check", str(SEEDS[0]), "--resume"],
    ["check", str(SEEDS[0]), "--workers", "0"],
    ["extract"],
])
def test_cli_usage_errors_exit_2(args):
    assert _cli(*args).exit_code == 2


def test_cli_missing_models_named(tmp_path):
    res = _cli("check", str(SEEDS[0]), "--models", str(tmp_path / "none"))
    assert res.exit_code == 1 and "segmenter" in res.output


def test_fast_json_lines_hold_what_the_canonical_ones_hold():
    """Batch output is written with orjson; what it refuses falls back to the standard
    library, and every line reads back to the same record."""
    import json

    import numpy as np

    from nlp.types import Fact, Record, dumps_json, loads_json

    rec = Record(id="r", text="共收到申请12件", facts=[Fact(5, 8, "12件", "COUNT", 12, "件")],
                 table={"requests.new.total": 12})
    assert json.loads(rec.to_json_fast()) == json.loads(rec.to_json())
    assert Record.from_json(rec.to_json_fast()).to_dict() == rec.to_dict()
    huge = {"v": 10 ** 30, "x": np.float64(0.5)}  # beyond 64 bits, a numpy scalar
    assert json.loads(dumps_json(huge)) == {"v": 10 ** 30, "x": 0.5}
    assert loads_json('{"v": NaN}')["v"] != loads_json('{"v": NaN}')["v"]  # NaN, as json reads it
    with pytest.raises(ValueError):
        loads_json('{"v": ')


def test_batch_workers_keep_freed_memory_for_the_next_document():
    """A worker sets glibc to reuse freed blocks: arrays of 20 MiB made again and again
    then fault their pages in once, not on every round (measured in a fresh interpreter,
    whose allocator has default settings)."""
    script = """if True:
        import resource, sys
        import numpy as np
        from nlp.batch import _keep_freed_memory

        def faults():
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(20):  # two 20 MiB arrays at once: their pages outgrow glibc's trim threshold
                a, b = np.ones(20 << 17), np.ones(20 << 17)
                del a, b
            return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

        default = faults()
        _keep_freed_memory()
        faults()  # the heap grows once
        print(default, faults())
    """
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    default, kept = map(int, out.stdout.split())
    if default < 5000:
        pytest.skip(f"this allocator does not return such blocks ({default} faults): nothing to keep")
    assert kept < 1000, (default, kept)
