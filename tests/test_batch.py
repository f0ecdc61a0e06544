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

from nlp.batch import load_output, read_done, run_batch

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
    summary = run_batch([corpus], out, workers=1, progress=False, models_dir=MODELS)
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
    run_batch([corpus], out, workers=2, progress=False, models_dir=MODELS)
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_dask_local_cluster_equals_local(reference, corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out.jsonl"
        run_batch([corpus], out, dask=cluster.scheduler_address, progress=False,
                  models_dir=MODELS)
    assert out.read_bytes() == reference


def test_resume_drops_a_partial_line_and_skips_done(reference, corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    lines = reference.decode().splitlines(keepends=True)
    out.write_text("".join(lines[:4]) + lines[4][: len(lines[4]) // 2], encoding="utf-8")
    assert len(read_done(out)) == 4 and out.read_text(encoding="utf-8").endswith("\n")
    summary = run_batch([corpus], out, resume=True, progress=False, models_dir=MODELS)
    assert summary.skipped == 4 and summary.processed == 7
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_sigkill_mid_run_then_resume(reference, tmp_path):
    corpus = make_corpus(tmp_path / "big", 6)  # 31 documents
    out = tmp_path / "out.jsonl"
    code = ("import sys; from nlp.batch import run_batch; "
            "run_batch([sys.argv[1]], sys.argv[2], progress=False, models_dir=sys.argv[3])")
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

    summary = run_batch([corpus], out, resume=True, progress=False, models_dir=MODELS)
    assert summary.skipped >= 3 and summary.total == 31
    uninterrupted = tmp_path / "ref.jsonl"
    run_batch([corpus], uninterrupted, progress=False, models_dir=MODELS)
    assert out.read_bytes() == uninterrupted.read_bytes()
    assert not list(out.parent.glob(".out.jsonl.*.tmp"))  # no temporary file left


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
    fresh = run_batch([tmp_path], out, progress=False, models_dir=MODELS)
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert recs["y2024"]["table"]["active.normative.in_force"] == 5
    cross = [f for f in recs["y2024"]["findings"] if f["type"] == "cross_year_mismatch"]
    assert [(f["indicator"], f["table_value"]) for f in cross] == [("active.normative.in_force", 5)]
    assert "2023" in cross[0]["message"]
    assert not [f for f in recs["y2023"]["findings"] if f["type"] == "cross_year_mismatch"]

    # the summary counts what the file holds, whether the workers sent it or it is read back
    assert fresh.severities["warning"] >= 1
    written = out.read_bytes()
    again = run_batch([tmp_path], out, resume=True, progress=False, models_dir=MODELS)
    assert again.skipped == 2 and out.read_bytes() == written  # not doubled
    assert again.severities == fresh.severities and again.documents == fresh.documents
    two = run_batch([tmp_path], tmp_path / "runs" / "two.jsonl", workers=2, progress=False,
                    models_dir=MODELS)
    assert (tmp_path / "runs" / "two.jsonl").read_bytes() == written and two.documents == fresh.documents


def test_cross_year_findings_when_one_year_was_in_an_earlier_run(tmp_path):
    """A resumed run reads the table of an earlier run's line only when a cross-year rule
    compares it; either year may be the one already done: the output is the one run's."""
    a = SEEDS[4].read_text(encoding="utf-8")
    lines = a.replace("2023", "2024").split("\n")
    idx = next(i for i, x in enumerate(lines) if x.strip() == "行政规范性文件")
    nums = [i for i in range(idx + 1, idx + 8) if lines[i].strip().isdigit()][:3]
    lines[nums[2]] = "\t5"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "y2023.txt").write_text(a, encoding="utf-8")
    (docs / "y2024.txt").write_text("\n".join(lines), encoding="utf-8")
    (docs / "other.txt").write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    one_run = run_batch([docs], whole, progress=False, models_dir=MODELS)
    assert any(f.type == "cross_year_mismatch" for r in one_run.records for f in r.findings)
    for first in ("y2023.txt", "y2024.txt"):
        out = tmp_path / f"after_{first}.jsonl"
        run_batch([docs / first, docs / "other.txt"], out, progress=False, models_dir=MODELS)
        resumed = run_batch([docs], out, resume=True, progress=False, models_dir=MODELS)
        assert resumed.skipped == 2
        assert out.read_bytes() == whole.read_bytes(), first
        assert resumed.documents == one_run.documents


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


# ---------------------------------------------------------------- hostile runs (issue 22)
def _synthetic(folder: Path, n: int, seed: int = 5, chars: int = 900) -> list[Path]:
    """``n`` small synthetic reports (the openings of generated ones) in nested folders."""
    from nlp.corpus.synth import generate

    paths = []
    for k, rec in enumerate(generate(n, seed=seed)):
        path = folder / f"g{k % 4}" / f"r{k:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rec.text[:chars], encoding="utf-8")
        paths.append(path)
    return paths


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _check_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from cli import app; sys.exit(app(prog_name='govreport'))",
            "check", "--models", str(MODELS), "--rules", *args]


def _lines(out: Path) -> list[bytes]:
    return out.read_bytes().splitlines(keepends=True) if out.is_file() else []


def _wait_for_lines(proc, out: Path, n: int, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None and len(_lines(out)) < n:
        time.sleep(0.01)


def _children(pid: int) -> list[int]:
    import psutil
    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _gone(pids: list[int], within: float) -> bool:
    import psutil
    deadline = time.time() + within
    while time.time() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_file_name_that_is_not_utf8_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    odd = os.fsencode(folder) + b"/r\xb1\xa8.txt"  # a GBK name on a UTF-8 file system
    with open(odd, "wb") as fh:
        fh.write(SEEDS[1].read_bytes())
    out = tmp_path / "out.jsonl"
    summary = run_batch([folder], out, progress=False, models_dir=MODELS)
    assert summary.total == 2 and summary.failed == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert any(r["path"].endswith("r\\xb1\\xa8.txt") for r in recs) and all(r["facts"] for r in recs)
    again = run_batch([folder], out, resume=True, progress=False, models_dir=MODELS)
    assert again.skipped == 2 and again.processed == 0  # resume finds it by its escaped name


def test_ids_never_collide(tmp_path):
    from nlp.batch import assign_ids
    (tmp_path / "sub").mkdir()
    for name in ("dup.txt", "sub/dup.txt", "dup~2.txt"):
        shutil.copy(SEEDS[0], tmp_path / name)
    out = tmp_path / "out.jsonl"
    run_batch([tmp_path / "dup.txt", tmp_path / "sub" / "dup.txt", tmp_path / "dup~2.txt"], out,
              progress=False, models_dir=MODELS)
    ids = [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(set(ids)) == 3, ids
    assert len(set(assign_ids([Path("x~2.txt"), Path("x.txt"), Path("a/x.txt"), Path("x~2~2.pdf")]))) == 4


def test_names_reach_the_terminal_inert(tmp_path):
    from typer.testing import CliRunner

    from cli import app
    bad = tmp_path / "evil\x1b]0;pwned\x07[bold red]x.docx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["check", str(bad), "--jsonl", str(tmp_path / "o.jsonl")],
                                env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert result.exit_code == 1, result.output
    assert "\x1b]0;" not in result.output and "\x07" not in result.output
    assert "[bold red]x" in result.stdout  # the markup is printed as written


def test_csv_cells_cannot_run_formulas_and_long_names_get_pages(tmp_path):
    import csv

    from nlp import report
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "=cmd|' calc'!A0.txt")
    shutil.copy(SEEDS[1], folder / (("报告" * 40)[:79] + ".txt"))  # 237 bytes + .txt
    out = tmp_path / "o.jsonl"
    run_batch([folder], out, progress=False, models_dir=MODELS)
    records = load_output(out)
    report.write_csv(tmp_path / "csv", records)
    with open(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert all(not r["id"].startswith(("=", "+", "-", "@")) for r in rows)
    assert any(r["id"] == "'=cmd|' calc'!A0" for r in rows)
    pages = report.write_html(tmp_path / "html", records)
    assert len(pages) == 3 and all(len(p.name.encode()) < 200 for p in pages)


def test_stale_temporary_files_are_removed(tmp_path):
    from nlp.persist import atomic_write_text
    out = tmp_path / "o.jsonl"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a process id that no longer runs
    stale = tmp_path / f".o.jsonl.{dead}.abc123.tmp"
    stale.write_text("half")
    live = tmp_path / f".o.jsonl.{os.getpid()}.zzz.tmp"  # a writer that still runs keeps its file
    live.write_text("busy")
    run_batch([SEEDS[0]], out, progress=False, models_dir=MODELS)
    assert not stale.exists() and live.exists()
    atomic_write_text(tmp_path / "x.txt", "ok")
    assert (tmp_path / "x.txt").read_text() == "ok"


def test_a_document_past_the_time_budget_is_a_timeout_record(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    from nlp.corpus.synth import generate
    from nlp.read import MAX_CHARS
    # Every line distinct (generated reports, each line numbered): copies of the seeds cost
    # little more than one, the stages keep what they computed per distinct line.  About a
    # second of work here, past 0.3 s; a seed alone takes 0.01-0.1 s.
    text = "\n".join(rec.text for rec in generate(150, seed=11))
    big = "\n".join(f"{line}{i}" for i, line in enumerate(text.splitlines()))[:MAX_CHARS - 1000]
    (folder / "b_big.txt").write_text(big, encoding="utf-8")
    shutil.copy(SEEDS[1], folder / "c.txt")
    out = tmp_path / "o.jsonl"
    summary = run_batch([folder], out, progress=False, models_dir=MODELS, doc_timeout=0.3)
    kinds = [d[2] for d in summary.documents]
    assert kinds == [None, "timeout", None], kinds  # the batch went on past it
    rec = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()][1]
    assert "b_big.txt" in rec["error"]["message"] and "0.3 s" in rec["error"]["message"]


@pytest.mark.slow
def test_sigterm_and_sigint_stop_cleanly_and_resume(tmp_path):
    _synthetic(tmp_path / "in", 120)
    for sig in (signal.SIGTERM, signal.SIGINT):
        out = tmp_path / f"out{sig}.jsonl"
        # SIGINT as a terminal sends it: a suite started in the background (nohup, `&`)
        # hands its children SIGINT ignored, and Python then never raises KeyboardInterrupt
        proc = subprocess.Popen(_check_cmd(str(tmp_path / "in"), "--jsonl", str(out), "--workers", "2"),
                                cwd=ROOT, env=_env(), stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        _wait_for_lines(proc, out, 10)
        workers = _children(proc.pid)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "--resume" in err and "Traceback" not in err
        lines = _lines(out)
        assert 10 <= len(lines) < 120 and all(x.endswith(b"\n") for x in lines)
        assert _gone(workers, 10), "pool workers outlived the run"
        done = subprocess.run(_check_cmd(str(tmp_path / "in"), "--jsonl", str(out), "--resume"),
                              cwd=ROOT, env=_env(), capture_output=True, text=True)
        assert done.returncode in (0, 1), done.stderr
        paths = [json.loads(x)["path"] for x in _lines(out)]
        assert len(paths) == len(set(paths)) == 120


@pytest.mark.slow
def test_pool_workers_die_with_a_killed_parent(tmp_path):
    _synthetic(tmp_path / "in", 120)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(_check_cmd(str(tmp_path / "in"), "--jsonl", str(out), "--workers", "2"),
                            cwd=ROOT, env=_env(), stderr=subprocess.DEVNULL)
    _wait_for_lines(proc, out, 5)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _gone(workers, 10), "pool workers outlived a SIGKILLed parent"


@pytest.mark.slow
def test_twenty_sigkills_at_random_moments_lose_and_duplicate_nothing(tmp_path):
    import random

    import pandas as pd
    n = 600
    _synthetic(tmp_path / "in", n, seed=11, chars=700)
    out = tmp_path / "out.jsonl"
    rng = random.Random(22)
    kills = 0
    for _ in range(40):  # until 20 kills landed (a round whose run finished first is no kill)
        if kills == 20:
            break
        proc = subprocess.Popen(_check_cmd(str(tmp_path / "in"), "--jsonl", str(out), "--workers", "2",
                                           "--resume"), cwd=ROOT, env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = len(_lines(out))
        # a moment anywhere from start-up to mid-run: before the first record, between records,
        # while the run rewrites its output at the end
        _wait_for_lines(proc, out, before + rng.randint(0, 4))
        time.sleep(rng.random() * 0.05)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        lines = _lines(out)
        assert all(json.loads(x) for x in lines[:-1])  # whole records, at most a cut-off last one
        if len(read_done(out)) == n:
            break
    assert kills == 20
    final = subprocess.run(_check_cmd(str(tmp_path / "in"), "--jsonl", str(out), "--resume", "--csv",
                                      str(tmp_path / "csv"), "--parquet", str(tmp_path / "pq"),
                                      "--html", str(tmp_path / "html")),
                           cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert final.returncode in (0, 1), final.stderr
    recs = [json.loads(x) for x in out.read_bytes().splitlines()]
    paths = [r["path"] for r in recs]
    assert len(paths) == n and len(set(paths)) == n  # exactly one record per input
    assert paths == sorted(paths)  # in input order, as an uninterrupted run writes it
    ids = [r["id"] for r in recs]
    docs = pd.read_csv(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig", dtype=str)
    assert list(docs["id"]) == ids and list(docs["path"]) == paths
    pq = pd.read_parquet(tmp_path / "pq" / "documents.parquet")
    assert list(pq["id"]) == ids and list(pq["facts"]) == [len(r["facts"]) for r in recs]
    found = pd.read_parquet(tmp_path / "pq" / "findings.parquet")
    assert len(found) == sum(len(r["findings"]) for r in recs)
    assert len(list((tmp_path / "html").glob("*.html"))) == n + 1


def test_cli_error_lines_print_names_inert(tmp_path):
    bad = tmp_path / "x\x1b]0;owned\x07.docx"
    bad.write_bytes(b"not a zip")
    res = _cli("read", str(bad))
    assert res.exit_code == 1 and "\x1b" not in res.output and "\\x1b]0;owned\\x07" in res.output
