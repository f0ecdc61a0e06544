"""The command line as a researcher meets it: failures named, usage errors in one line,
nothing-read documents never "clean", summaries that agree with the records, help shown.

Everything runs the real CLI (typer's CliRunner, or a subprocess where the working folder
or the installed package matters) on the shipped models and seed reports."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from conftest import MODELS, ROOT, SEED_GOLD, seed_paths
from nlp.batch import index_path
from nlp.corpus import load_records, save_records

WIDE = {"COLUMNS": "250", "NO_COLOR": "1"}  # rich wraps at 80 columns under CliRunner otherwise


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def one_line_error(result) -> str:
    """The one stderr line of a usage error (and no traceback anywhere)."""
    assert "Traceback" not in result.output, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---------------------------------------------------------------- a mixed batch, run once
@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Two seeds, a broken PDF, a one-sentence page, an HTML page with no table, and a path
    that does not exist, checked in one run."""
    folder = tmp_path_factory.mktemp("batch")
    for seed in seed_paths()[3:5]:
        shutil.copy(seed, folder / seed.name)
    (folder / "broken.pdf").write_bytes(b"this is not a PDF file at all")
    (folder / "one_sentence.txt").write_text("本页面已迁移，请访问新网站。\n", encoding="utf-8")
    (folder / "no_tables.html").write_text(
        "<html><body><h1>通知</h1><p>关于做好节假日值班工作的通知。</p><p>请各单位认真执行。</p></body></html>",
        encoding="utf-8")
    out = folder / "out.jsonl"
    missing = folder / "not_there.txt"
    result = invoke("check", *sorted(p for p in folder.iterdir()), missing, "--jsonl", out, "--show-findings")
    return folder, out, missing, result


def test_failed_files_are_named_on_stderr_one_line_each(batch):
    folder, _, missing, result = batch
    assert result.exit_code == 1
    failed = [ln for ln in result.stderr.splitlines() if ln.startswith(str(folder))]
    assert len(failed) == 2, result.stderr
    broken = next(ln for ln in failed if "broken.pdf" in ln)
    assert broken.startswith(f"{folder / 'broken.pdf'}: ") and "read_error" in broken or "unsupported" in broken
    assert any(ln.startswith(f"{missing}: no such file or folder") for ln in failed)


def test_a_missing_path_is_a_failed_document_and_the_rest_runs(batch):
    folder, out, missing, result = batch
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    inputs = {p.name for p in folder.iterdir() if p not in (out, index_path(out))}  # the run's own files aside
    assert {Path(r["path"]).name for r in records} == inputs
    assert sum(1 for r in records if not r.get("error") and r.get("facts")) == 2  # the two seeds
    assert "6 documents, 2 failed" in result.stdout
    assert f"{missing}" in result.stdout and "failed (read_error)" in result.stdout


def test_nothing_read_is_never_clean(batch):
    _, _, _, result = batch
    rows = {ln.split("│")[1].strip(): ln for ln in result.stdout.splitlines() if ln.count("│") >= 5}
    one = next(v for k, v in rows.items() if k.endswith("one_sentence.txt"))
    html = next(v for k, v in rows.items() if k.endswith("no_tables.html"))
    assert "nothing read" in one and "nothing read" in html
    assert "clean" not in one and "clean" not in html
    # only the one seed without findings is clean (seed 003 has warnings, 004 an error)
    assert "0 clean documents not listed" in result.stdout


def test_status_column_names_the_worst_finding_and_documents_by_file(batch):
    _, _, _, result = batch
    rows = [ln for ln in result.stdout.splitlines() if ln.count("│") >= 5]
    seed4 = next(ln for ln in rows if "004_d20f3da8d3ab99e3.txt" in ln)
    seed3 = next(ln for ln in rows if "003_98e8607b8980a40f.txt" in ln)
    assert seed4.rstrip("│ ").endswith("error") and seed3.rstrip("│ ").endswith("warning")
    assert "synth-" not in result.stdout and "~2" not in result.stdout
    assert "totals: 1 error, 1 warning, 0 info" in result.stdout  # singulars: 1 error, 1 warning


def test_file_names_with_markup_and_escapes_print_as_written(tmp_path):
    """A file name is data: rich markup in it is shown, never parsed (an unbalanced
    ``[/]`` made the summary raise), and an escape sequence never reaches the terminal."""
    (tmp_path / "bad[").mkdir()
    path = tmp_path / "bad[" / "y]na\x1b[31mme[bold].txt"  # printed: …bad[/y]na…, a closing tag
    shutil.copy(seed_paths()[4], path)
    result = invoke("check", path, "--show-findings")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "\x1b" not in result.stdout
    assert "bad[/y]na\\x1b[31mme[bold].txt" in result.stdout


def test_show_findings_prints_each_message(batch):
    _, out, _, result = batch
    messages = [f["message"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())
                for f in r.get("findings", [])]
    assert len(messages) == 2  # seed 004's mismatch; seed 003's blank review row, said once
    for message in messages:
        assert message in result.stdout


def test_resume_says_how_many_it_skipped(tmp_path):
    seeds = seed_paths()[:2]
    out = tmp_path / "out.jsonl"
    assert invoke("check", seeds[0], "--jsonl", out).exit_code == 0
    res = invoke("check", *seeds, "--jsonl", out, "--resume")
    assert res.exit_code == 0, res.output
    assert f"resumed: skipped 1 document already in {out}" in res.stderr
    assert "1 document skipped (already in the output)" in res.stdout


def test_fail_on_error(tmp_path):
    seed4 = seed_paths()[4]
    assert invoke("check", seed4).exit_code == 0
    assert invoke("check", seed4, "--fail-on", "error").exit_code == 1


def test_extract_names_its_failures(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK not really a docx")
    res = invoke("extract", seed_paths()[0], bad, tmp_path / "gone.txt")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == f"3 documents, 2 failed: {bad}, {tmp_path / 'gone.txt'}"
    assert sum(1 for ln in res.stdout.splitlines() if ln.startswith("{")) == 2  # seed + bad docx record


def test_read_of_several_files_separates_them():
    a, b = seed_paths()[:2]
    res = invoke("read", a, b)
    assert res.exit_code == 0
    assert f"==> {a} <==" in res.stdout and f"==> {b} <==" in res.stdout
    assert res.stdout.index(f"==> {a} <==") < res.stdout.index(f"==> {b} <==")
    single = invoke("read", a)
    assert "==>" not in single.stdout


# ---------------------------------------------------------------- usage errors: one line, exit 2
def test_mistyped_config_is_an_error_not_the_defaults(tmp_path):
    res = invoke("train", "segmenter", "--config", tmp_path / "segmentr.yaml", "--out", tmp_path / "m")
    assert res.exit_code == 2
    assert one_line_error(res) == f"error: --config {tmp_path / 'segmentr.yaml'}: no such file"
    assert not (tmp_path / "m").exists()


def test_malformed_config_is_one_line(tmp_path):
    cfg = tmp_path / "linker.yaml"
    cfg.write_text("C: [1, 2\n", encoding="utf-8")
    res = invoke("train", "linker", "--config", cfg, "--out", tmp_path / "m")
    assert res.exit_code == 2 and one_line_error(res).startswith(f"error: --config {cfg}: ")


def test_corpus_folder_without_training_files(tmp_path):
    (tmp_path / "train.jsonl").write_text("", encoding="utf-8")
    res = invoke("train", "extractor", "--corpus", tmp_path, "--out", tmp_path / "m")
    assert res.exit_code == 2
    line = one_line_error(res)
    assert "synth/train.jsonl" in line and "give its parent" in line


def test_train_never_writes_the_shipped_models_by_default(tmp_path):
    for kind in ("segmenter", "extractor", "linker"):
        res = invoke("train", kind, "--corpus", ROOT / "corpus")
        assert res.exit_code == 2 and "Missing option '--out'" in res.output


def test_corpus_layout_is_documented_in_both_helps():
    synth_help = invoke("corpus", "synth", "--help").stdout
    train_help = invoke("train", "linker", "--help").stdout
    flat = lambda s: " ".join(s.replace("│", " ").split())  # noqa: E731 — rich wraps help text
    assert "DIR/synth/train.jsonl" in flat(synth_help) and "DIR/synth/train.jsonl" in flat(train_help)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, says", [("bogus", "not a scheduler address"),
                                            ("tcp://127.0.0.1:99999", "not a scheduler address"),
                                            ("tcp://127.0.0.1:{port}", "cannot reach the scheduler")])
def test_bad_dask_address_is_one_line_and_quick(address, says):
    started = time.monotonic()
    res = invoke("check", seed_paths()[0], "--dask", address.format(port=_free_port()))
    assert res.exit_code == 2 and says in one_line_error(res)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("args", [("corpus", "export", str(SEED_GOLD), "--to", "csv", "-o", "x"),
                                  ("corpus", "import", str(SEED_GOLD), "--from", "csv"),
                                  ("train", "extractor", "--backend", "torch", "--out", "x"),
                                  ("train", "extractor", "--device", "gpu", "--out", "x"),
                                  ("check", str(SEED_GOLD), "--fail-on", "info")])
def test_values_outside_the_choices_exit_2(args):
    res = invoke(*args)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_argument_help_is_shown():
    for cmd in (["check"], ["extract"], ["read"], ["corpus", "validate"]):
        out = invoke(*cmd, "--help").stdout
        assert "PATHS..." in out and "Report files or folders" in out or "Corpus JSONL files" in out, out


# ---------------------------------------------------------------- models from anywhere
def test_check_runs_from_another_folder(tmp_path):
    """--models defaults to the shipped models wherever govreport runs from."""
    proc = subprocess.run([sys.executable, "-c", "import sys; from cli import app; sys.exit(app())",
                           "check", str(seed_paths()[4]), "--jsonl", "out.jsonl"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**_env(), **WIDE})
    assert proc.returncode == 0, proc.stderr
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["facts"] and set(record["versions"]) >= {"segmenter", "extractor", "linker"}
    assert "rule" not in record["versions"].values()


def test_a_missing_model_names_the_path_and_models(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(MODELS, models)
    shutil.rmtree(models / "linker")
    res = invoke("check", seed_paths()[0], "--models", models)
    assert res.exit_code == 1
    line = one_line_error(res)
    assert str(models / "linker") in line and f"--models {models}" in line


def _env() -> dict[str, str]:
    import os
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.slow
def test_models_ship_inside_the_wheel(tmp_path):
    """A non-editable install (the wheel unpacked into a folder of its own) checks a report
    from anywhere with the models it carries."""
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, timeout=600,
                   capture_output=True, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    assert (site / "nlp" / "_models" / "extractor" / "meta.json").is_file()
    assert (site / "nlp" / "_configs" / "extractor.yaml").is_file()
    entry_points = next(site.glob("*.dist-info")) / "entry_points.txt"
    assert "govreport.digit_tokenizer.v1 = nlp.extract.spacy:create_digit_tokenizer" in entry_points.read_text()
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import sys, nlp; from nlp.persist import shipped_models_dir; "
            "print(nlp.__file__); print(shipped_models_dir()); from cli import app; sys.exit(app())")
    import os
    env = {**os.environ, "PYTHONPATH": str(site), **WIDE}
    proc = subprocess.run([sys.executable, "-c", code, "check", str(seed_paths()[4]), "--jsonl", "o.jsonl"],
                          cwd=work, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    where, models = proc.stdout.splitlines()[:2]
    assert where.startswith(str(site)) and models == str(site / "nlp" / "_models")
    assert json.loads((work / "o.jsonl").read_text(encoding="utf-8"))["facts"]
    # build leftovers must not land in the repository
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    for egg in ROOT.glob("*.egg-info"):
        shutil.rmtree(egg, ignore_errors=True)


# ---------------------------------------------------------------- evaluate
def _gold_and_pred(tmp_path):
    gold = load_records(SEED_GOLD)[:3]
    save_records(tmp_path / "gold.jsonl", gold)
    pred = [gold[0]]  # one prediction (gold itself), two gold documents without one
    save_records(tmp_path / "pred.jsonl", pred)
    return gold


def test_evaluate_pred_names_documents_without_predictions_and_writes_metrics(tmp_path):
    gold = _gold_and_pred(tmp_path)
    res = invoke("evaluate", "--gold", tmp_path / "gold.jsonl", "--pred", tmp_path / "pred.jsonl",
                 "--output", tmp_path / "metrics.json")
    assert res.exit_code == 0, res.output
    assert f"pred: 2 gold document(s) without a prediction: {gold[1].id}, {gold[2].id}" in res.stderr
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["pred"]["without_prediction"] == [gold[1].id, gold[2].id]


def test_evaluate_never_prints_precision_one_out_of_no_predictions(tmp_path):
    gold = load_records(SEED_GOLD)[:1]
    save_records(tmp_path / "gold.jsonl", gold)
    save_records(tmp_path / "pred.jsonl", [])
    res = invoke("evaluate", "--gold", tmp_path / "gold.jsonl", "--pred", tmp_path / "pred.jsonl")
    assert res.exit_code == 0, res.output
    span_row = next(ln for ln in res.stdout.splitlines() if "exact span P / R / F1" in ln)
    assert "- / 0.000 / -" in span_row and "1.000" not in span_row


def test_write_cards_needs_all():
    res = invoke("evaluate", "--write-cards", "--gold", SEED_GOLD, "--pred", SEED_GOLD)
    assert res.exit_code == 2 and "--write-cards goes with --all" in one_line_error(res)


# ---------------------------------------------------------------- corpus commands
def test_corpus_validate_and_stats_take_folders(tmp_path):
    (tmp_path / "synth").mkdir()
    shutil.copy(SEED_GOLD, tmp_path / "seeds.jsonl")
    save_records(tmp_path / "synth" / "test.jsonl", load_records(ROOT / "corpus" / "synth" / "test.jsonl")[:3])
    res = invoke("corpus", "validate", tmp_path)
    assert res.exit_code == 0 and "0 problems in 2 files" in res.stderr
    stats = invoke("corpus", "stats", tmp_path, "--json")
    assert stats.exit_code == 0 and json.loads(stats.stdout)["totals"]["records"] == 8


def test_a_non_jsonl_file_is_one_problem_and_usage_errors_exit_2(tmp_path):
    res = invoke("corpus", "validate", ROOT / "README.md")
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [f"{ROOT / 'README.md'}: not a JSONL corpus file "
                                       "(its first line is not a JSON object)"]
    assert invoke("corpus", "validate", tmp_path / "absent.jsonl").exit_code == 2
    assert invoke("corpus", "stats", tmp_path / "absent").exit_code == 2
    assert invoke("corpus", "validate").exit_code == 2


def test_validator_rereads_each_value_from_its_span(tmp_path):
    rec = load_records(SEED_GOLD)[4]
    i = next(i for i, f in enumerate(rec.facts) if f.label == "COUNT" and not f.approx)
    rec.facts[i].value += 1
    save_records(tmp_path / "c.jsonl", [rec])
    res = invoke("corpus", "validate", tmp_path / "c.jsonl")
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        f"{tmp_path / 'c.jsonl'}:1: {rec.id}: fact {i}: value {rec.facts[i].value!r} disagrees with its span "
        f"{rec.facts[i].text!r}, which reads {rec.facts[i].value - 1!r}"]


@pytest.mark.slow
def test_synth_output_trains_with_progress_and_no_empty_figures(tmp_path):
    """`corpus synth -o DIR/synth` output is what `train --corpus DIR` reads; the run prints
    timed progress and never a 0.000 for a set it had nothing to measure on."""
    res = invoke("corpus", "synth", "-n", "8", "--seed", "3", "-o", tmp_path / "corpus" / "synth",
                 "--name", "train.jsonl")
    assert res.exit_code == 0, res.output
    res = invoke("train", "linker", "--corpus", tmp_path / "corpus", "--out", tmp_path / "linker")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "linker" / "meta.json").is_file() and f"saved {tmp_path / 'linker'}" in res.stdout
    timed = [ln for ln in res.stderr.splitlines() if " s train " in ln]
    assert timed and "accuracy" in timed[0] and "0.000" not in res.stderr


def test_a_folders_readme_is_no_report_but_a_markdown_report_is(tmp_path):
    (tmp_path / "README.md").write_text("# 本文件夹收录各部门年报\n", encoding="utf-8")
    (tmp_path / "report.md").write_text(seed_paths()[0].read_text(encoding="utf-8"), encoding="utf-8")
    res = invoke("check", tmp_path)
    assert res.exit_code == 0 and "1 document" in res.stdout and "README" not in res.stdout


def test_a_folder_without_reports_says_so(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    res = invoke("check", tmp_path)
    assert res.exit_code == 0 and f"no report files (txt, md, docx, html, pdf) in {tmp_path}" in res.stderr
    assert "0 documents" in res.stdout
