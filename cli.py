"""The `govreport` command line: parses options, calls ``nlp``'s public API, prints.

No logic a library user would need lives here.  Exit status: 0 ok, 1 a document
failed (or a finding at or above ``--fail-on``), 2 usage error.
"""

# No ``from __future__ import annotations`` here: typer builds every command at every start
# and would evaluate each string annotation anew (four times the cost of building them).
import functools
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

import nlp
from nlp.errors import GovReportError, printable


def _keep_argument_help() -> None:
    """Show arguments' help in ``--help`` with click ≥ 8.2.

    typer's ``TyperArgument`` stores ``help`` and then calls ``click.Argument.__init__``,
    which since click 8.2 sets ``help`` itself (to ``None``, as typer does not pass it on):
    every argument's help vanished.  Setting it again after click's ``__init__`` is what
    this click expects; with an older click it changes nothing."""
    from typer.core import TyperArgument

    init = TyperArgument.__init__
    if getattr(init, "keeps_help", False):
        return

    def init_keeping_help(self, *args, help=None, **kwargs):  # noqa: A002 — click's name
        init(self, *args, help=help, **kwargs)
        self.help = help

    init_keeping_help.keeps_help = True
    TyperArgument.__init__ = init_keeping_help


_keep_argument_help()

MODELS_HELP = "Folder with segmenter/, extractor/, linker/ (default: the shipped models, wherever installed)."
CORPUS_LAYOUT = ("DIR/synth/train.jsonl (trained on), DIR/synth/dev.jsonl and DIR/synth/test.jsonl "
                 "(evaluated on), DIR/seeds.jsonl (optional) — the layout `govreport corpus synth --splits -o DIR` writes")

app = typer.Typer(help="Turn 政府信息公开工作年度报告 into checked data.", no_args_is_help=True,
                  add_completion=False)
train_app = typer.Typer(help="Train a model from an annotated corpus.", no_args_is_help=True)
corpus_app = typer.Typer(help="Make, check and convert annotated corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(corpus_app, name="corpus")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {printable(message)}", err=True)
    raise typer.Exit(code)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"govreport {nlp.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version_callback,
                                                    is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """govreport: read, segment, parse, extract and reconcile annual reports."""


# ---------------------------------------------------------------- inputs, models, outcomes
def _split_missing(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The paths that exist, and those that do not (each one a failed document, not a stop)."""
    return [p for p in paths if p.exists()], [p for p in paths if not p.exists()]


def _models_dir(models: Optional[Path]) -> Path:
    from nlp.persist import models_dir
    return models_dir(models)


def _check_models(models: Path, given: bool, rules: bool) -> None:
    """Load the models once here, so a missing one is one line naming where it was looked for."""
    from nlp.batch import check_models

    try:
        check_models(models, rules)
    except GovReportError as err:
        where = f"--models {models}" if given else f"the shipped models, looked for in {models}; give --models DIR"
        _fail(f"{err} ({where}, or --rules for the rule baselines)")


ALL_LINES_HELP = ("List every line in the records, empty ones too (by default an empty line with the "
                  "section of the line before is left out, and \"heading\": false; readers restore them).")
DASK_CONNECT_SECONDS = 3.0


def _dask_address(address: str) -> str:
    """A reachable scheduler address, or a one-line usage error (exit 2) after a short wait."""
    import re
    import socket

    m = re.fullmatch(r"(?:(tcp|tls)://)?(\[[0-9A-Fa-f:]+\]|[\w.-]+):(\d{1,5})", address.strip())
    if m is None:
        _fail(f"--dask {address!r}: not a scheduler address (tcp://host:port)", 2)
    host, port = m.group(2).strip("[]"), int(m.group(3))
    if not 0 < port < 65536:
        _fail(f"--dask {address!r}: not a scheduler address (port {port} out of range)", 2)
    try:
        socket.create_connection((host, port), timeout=DASK_CONNECT_SECONDS).close()
    except OSError as err:
        _fail(f"--dask {address}: cannot reach the scheduler ({err.strerror or err})", 2)
    return address.strip() if m.group(1) else f"tcp://{address.strip()}"


def _run(paths: list[Path], target: Path, models: Path, rules: bool, **batch) -> tuple[list, object]:
    """Run the batch on the paths that exist; every document's outcome (missing paths as
    failed documents), and the batch summary (None when nothing existed)."""
    from nlp.batch import Interrupted, run_batch
    from nlp.report import Outcome

    existing, missing = _split_missing(paths)
    summary = None
    outcomes = []
    if existing:
        try:
            summary = run_batch(existing, target, models_dir=models, fallback=rules, **batch)
        except Interrupted as stop:  # Ctrl-C or SIGTERM: whole records only, exit 130
            _fail(f"{stop}: the records written so far stay in the --jsonl/--out file; "
                  f"run the same command with --resume to finish", 130)
        outcomes = list(summary.outcomes)  # the output is not read again
        if not summary.total:
            typer.echo(f"no report files (txt, md, docx, html, pdf) in {', '.join(map(str, existing))}", err=True)
    outcomes += [Outcome(p.name, str(p), error="no such file or folder", error_kind="read_error")
                 for p in missing]
    for o in outcomes:
        if o.error:
            typer.echo(printable(f"{o.name}: {o.error} ({o.error_kind})"), err=True)
    return outcomes, summary


def _as_read(record):
    """The document of a record as the reader gives it (printed text and offset map), for
    its review page; None when its file cannot be read again."""
    from nlp.pipeline import read_document

    try:
        return read_document(record.path) if record.path else None
    except GovReportError:
        return None


# ---------------------------------------------------------------- read
@app.command()
def read(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (txt, docx, html, pdf).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document record as JSON lines.")] = False,
    canonical: Annotated[bool, typer.Option("--canonical", help="Print format-independent lines: narrative "
                                            "stripped, table rows as tab-joined cells, blanks dropped.")] = False,
) -> None:
    """Read and normalize reports; print their text (or document records with --json)."""
    from nlp.pipeline import read_document
    from nlp.read import canonical_lines, iter_paths

    failed = 0
    files: list[Path] = []
    for given in paths:  # a missing path is reported, the others still read
        try:
            files.extend(iter_paths([given]))
        except GovReportError as err:
            typer.echo(f"error: {printable(str(err))}", err=True)
            failed += 1
    several = len(files) > 1 and not as_json
    for n, path in enumerate(files):
        try:
            doc = read_document(path)
        except GovReportError as err:
            typer.echo(f"error: {printable(str(err))}", err=True)
            failed += 1
            continue
        if several:  # like `head`: which file the text below comes from
            typer.echo(f"{chr(10) if n else ''}==> {path} <==")
        if as_json:
            typer.echo(json.dumps(doc.to_dict(), ensure_ascii=False))
        elif canonical:
            typer.echo("\n".join(canonical_lines(doc)))
        else:
            typer.echo(doc.text)
    if failed:
        raise typer.Exit(1)


# ---------------------------------------------------------------- extract / check
@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (txt, docx, html, pdf).")],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Write records to this JSONL file.")] = None,
    models: Annotated[Optional[Path], typer.Option("--models", help=MODELS_HELP)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 1,
    rules: Annotated[bool, typer.Option("--rules", help="Use the rule baselines for missing models.")] = False,
    device: Annotated[Optional[str], typer.Option(help="Transformers extractor only: cpu, cuda or cuda:N "
                                                  "(default: cuda when available, else cpu).")] = None,
    all_lines: Annotated[bool, typer.Option("--all-lines", help=ALL_LINES_HELP)] = False,
) -> None:
    """Extract one annotation record per document (sections, tables, facts, findings)."""
    import tempfile

    from nlp.report import plural

    _one_blas_thread()
    _use_device(device)
    models_dir = _models_dir(models)
    _check_models(models_dir, models is not None, rules)
    with tempfile.TemporaryDirectory() as tmp:
        target = out or Path(tmp) / "records.jsonl"
        outcomes, _ = _run(paths, target, models_dir, rules, workers=workers, progress=out is not None,
                           compact=not all_lines)
        if out is None and target.is_file():
            sys.stdout.write(target.read_text(encoding="utf-8"))
    failed = [o.name for o in outcomes if o.error]
    if failed:
        typer.echo(f"{plural(len(outcomes), 'document')}, {len(failed)} failed: {', '.join(failed)}", err=True)
        raise typer.Exit(1)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (txt, docx, html, pdf).")],
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Write records to this JSONL file.")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Write indicators/findings/documents CSV here.")] = None,
    parquet_dir: Annotated[Optional[Path], typer.Option("--parquet", help="Write the same tables as Parquet here.")] = None,
    html_dir: Annotated[Optional[Path], typer.Option("--html", help="Write one review page per document + index.html "
                                                     "(pages of an earlier run there are removed).")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", click_type=click.Choice(["error", "warning"]),
                                                   help="Exit 1 when a finding at or above this severity exists "
                                                        "(without it, findings are reported, not failed on).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 1,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Dask scheduler address (tcp://host:port).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already in --jsonl.")] = False,
    models: Annotated[Optional[Path], typer.Option("--models", help=MODELS_HELP)] = None,
    rules: Annotated[bool, typer.Option("--rules", help="Use the rule baselines for missing models.")] = False,
    doc_timeout: Annotated[float, typer.Option("--doc-timeout", min=0, help="Seconds one document may take before "
                                               "it is stopped and recorded as a timeout error (0: no limit).")] = 300.0,
    show_findings: Annotated[bool, typer.Option("--show-findings", help="Print every finding's message "
                                                "under its document.")] = False,
    device: Annotated[Optional[str], typer.Option(help="Transformers extractor only: cpu, cuda or cuda:N "
                                                  "(default: cuda when available, else cpu).")] = None,
    all_lines: Annotated[bool, typer.Option("--all-lines", help=ALL_LINES_HELP)] = False,
) -> None:
    """Extract and reconcile; summarize findings per document."""
    import gc
    import tempfile

    from rich.console import Console

    from nlp import report
    from nlp.batch import load_output

    if resume and jsonl is None:
        _fail("--resume needs --jsonl FILE (the output to resume)", 2)
    _one_blas_thread()
    _use_device(device)
    models_dir = _models_dir(models)
    prepare = None  # the models are loaded (and checked) when a document is left to do
    if dask is not None:
        dask = _dask_address(dask)
    else:
        prepare = functools.partial(_check_models, models_dir, models is not None, rules)
    with tempfile.TemporaryDirectory() as tmp:
        target = jsonl or Path(tmp) / "records.jsonl"
        outcomes, summary = _run(paths, target, models_dir, rules, workers=workers, dask=dask, resume=resume,
                                 doc_timeout=doc_timeout or None, prepare=prepare, compact=not all_lines)
        gc.freeze()  # the run's outcomes live until the process ends: no collection passes over them
        skipped = summary.skipped if summary else 0
        if resume:
            typer.echo(f"resumed: skipped {report.plural(skipped, 'document')} already in {jsonl}", err=True)
        if (csv_dir or parquet_dir or html_dir) and target.is_file():
            records = load_output(target)
            if csv_dir:
                report.write_csv(csv_dir, records)
            if parquet_dir:
                report.write_parquet(parquet_dir, records)
            if html_dir:
                report.write_html(html_dir, records, source=_as_read)
    seconds = summary.seconds if summary else 0.0
    if show_findings:
        typer.echo("\n".join(report.finding_lines(outcomes)))
    # emoji=False: a name with :smile: in it prints as written (and rich's emoji table is not loaded)
    Console(emoji=False).print(report.console_summary(outcomes, seconds, skipped))
    if any(o.error for o in outcomes) or report.fails_on(outcomes, fail_on):
        raise typer.Exit(1)


# ---------------------------------------------------------------- train / evaluate
def _config(config: Optional[Path]) -> Optional[Path]:
    """A given settings file must exist (a typo is an error, never the defaults in silence)."""
    if config is not None and not config.is_file():
        _fail(f"--config {config}: no such file", 2)
    return config


def _corpus_folder(corpus: Path, train_files: list[str]) -> None:
    """The training files a trainer will read must be there: a one-line usage error otherwise."""
    if any((corpus / rel).is_file() for rel in train_files):
        return
    hint = ("; this looks like the splits folder itself: give its parent"
            if (corpus / "train.jsonl").is_file() else "")
    _fail(f"--corpus {corpus}: no {' or '.join(train_files)} here{hint} (expected {CORPUS_LAYOUT})", 2)


def _training_log():
    """Progress lines on stderr with the time since the start (epochs, loss, dev F1);
    ``log.status(text)`` is a spinner with the elapsed time for trainers that report nothing
    until they end."""
    import time

    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True, highlight=False)
    started = time.perf_counter()

    def log(message: str) -> None:
        console.print(f"[dim]{time.perf_counter() - started:7.1f} s[/] {escape(message)}")

    log.status = lambda text: console.status(f"{escape(text)} (started {time.strftime('%H:%M:%S')})")
    return log


def _figure(x) -> str:
    """A metric as printed: 3 decimals, '-' when there was nothing to measure.

    >>> _figure(0.98765), _figure(None), _figure(7)
    ('0.988', '-', '7')
    """
    if x is None:
        return "-"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


TRAIN_ERRORS = (GovReportError, ValueError, KeyError, TypeError, OSError)
CORPUS_OPTION_HELP = f"Corpus folder: {CORPUS_LAYOUT}."
OUT_OPTION_HELP = "Model folder to write (required: the shipped models are replaced only when named here)."


@train_app.command("segmenter")
def train_segmenter(
    out: Annotated[Path, typer.Option(help=OUT_OPTION_HELP)],
    corpus: Annotated[Path, typer.Option(help=CORPUS_OPTION_HELP)] = Path("corpus"),
    config: Annotated[Optional[Path], typer.Option(help="Training settings (YAML; default configs/segmenter.yaml).")] = None,
) -> None:
    """Train the section segmenter (deterministic)."""
    from nlp.train.config import load_config
    from nlp.train.segmenter import train as train_segmenter_model

    settings = _load_settings(lambda path: load_config("segmenter", path), _config(config))
    _corpus_folder(corpus, list(settings.train_files))
    log = _training_log()
    try:
        with log.status(f"training the segmenter on {corpus}"):
            metrics = train_segmenter_model(corpus, out, settings)
    except TRAIN_ERRORS as err:
        _fail(str(err))
    for name, result in metrics.items():
        for system in ("model", "rule"):
            m = result[system]
            log(f"{name:15s} {system:5s} line accuracy {_figure(m.get('line_accuracy'))}  "
                f"heading F1 {_figure((m.get('heading') or {}).get('f1'))}  "
                f"boundaries exact {_figure(m.get('boundaries_exact'))}")
    typer.echo(f"saved {out}")


@train_app.command("extractor")
def train_extractor(
    out: Annotated[Path, typer.Option(help=OUT_OPTION_HELP)],
    corpus: Annotated[Path, typer.Option(help=CORPUS_OPTION_HELP)] = Path("corpus"),
    config: Annotated[Optional[Path], typer.Option(help="Settings YAML (default configs/extractor.yaml).")] = None,
    backend: Annotated[Optional[str], typer.Option(click_type=click.Choice(["spacy", "transformers"]),
                                                   help="Model backend (default: the settings' backend, spacy).")] = None,
    base: Annotated[Optional[Path], typer.Option(help="Pretrained encoder folder (transformers backend).")] = None,
    device: Annotated[Optional[str], typer.Option(help="Transformers backend: cpu, cuda or cuda:N "
                                                  "(default: cuda when available, else cpu).")] = None,
) -> None:
    """Train the numeric-fact extractor (prints each epoch: loss, dev F1, time)."""
    from nlp.evaluate.facts import summary
    from nlp.train.config import load_config
    from nlp.train.extractor import train, with_options

    settings = _load_settings(lambda path: load_config("extractor", path), _config(config))
    _corpus_folder(corpus, ["synth/train.jsonl", "seeds.jsonl"])
    settings = with_options(settings, backend, base, _device(device) if device is not None else None)
    log = _training_log()
    try:
        metrics = train(corpus, out, settings, log=log)
    except TRAIN_ERRORS as err:
        _fail(str(err))
    for name, m in metrics.items():
        if (m.get("exact") or {}).get("gold") == 0:
            log(f"{name}: no gold facts to measure")
            continue
        log(f"{name}: {summary(m)}")
    typer.echo(f"saved {out}")


@train_app.command("linker")
def train_linker(
    out: Annotated[Path, typer.Option(help=OUT_OPTION_HELP)],
    corpus: Annotated[Path, typer.Option(help=CORPUS_OPTION_HELP)] = Path("corpus"),
    config: Annotated[Optional[Path], typer.Option(help="Training settings (YAML; default configs/linker.yaml).")] = None,
) -> None:
    """Train the fact → indicator linker."""
    from nlp.train.config import load_config
    from nlp.train.linker import train as train_linker_model

    settings = _load_settings(lambda path: load_config("linker", path), _config(config))
    _corpus_folder(corpus, list(settings.train_files))
    log = _training_log()
    try:
        with log.status(f"training the linker on {corpus}"):
            metrics = train_linker_model(corpus, out, settings)
    except TRAIN_ERRORS as err:
        _fail(str(err))
    for name, m in metrics.items():
        if not m.get("spans"):
            log(f"{name:16s} no gold spans to measure")
            continue
        log(f"{name:16s} spans {m['spans']:<6} accuracy {_figure(m.get('accuracy'))}  "
            f"table accuracy {_figure(m.get('table_accuracy'))}  narrative (loose) {_figure(m.get('narrative_loose'))}")
    typer.echo(f"saved {out}")


def _load_settings(load, path):
    """Settings through the trainer's own loader; a malformed file is one line, exit 2."""
    import yaml

    try:
        return load(path)
    except (ValueError, KeyError, TypeError, OSError, yaml.YAMLError) as err:
        _fail(f"--config {path}: {str(err).splitlines()[0] if str(err) else type(err).__name__}", 2)


def _one_blas_thread() -> None:
    """numpy's OpenBLAS on one thread for a run over reports, unless the environment says
    otherwise.  A batch has a process per core already and the extractor's matrices are
    small: OpenBLAS's own threads only spun (0.15 CPU-s of ``check`` on one file, and two
    workers ran four threads on two cores).  Set before numpy loads, which reads it once;
    training keeps OpenBLAS's default."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _use_device(device: Optional[str]) -> None:
    """Where a transformers extractor runs in this run (workers inherit the environment)."""
    import os

    if device is not None:
        from nlp.extract.trf import DEVICE_ENV
        os.environ[DEVICE_ENV] = _device(device)


def _device(device: str) -> str:
    """cpu, cuda or cuda:N (the transformers backend's --device)."""
    import re

    if not re.fullmatch(r"cpu|cuda(:\d+)?", device):
        _fail(f"--device {device!r}: expected cpu, cuda or cuda:N", 2)
    return device


@app.command()
def evaluate(
    gold: Annotated[Optional[Path], typer.Option(help="Gold records (JSONL).")] = None,
    pred: Annotated[Optional[Path], typer.Option(help="Predicted records (JSONL), paired with gold by id.")] = None,
    models: Annotated[Optional[Path], typer.Option(help="Run the pipeline from these models on the gold texts.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every shipped model on every evaluation set, beside its baselines.")] = False,
    write_cards: Annotated[bool, typer.Option("--write-cards", help="With --all: put the figures into the models' "
                                              "meta.json (figures that could not be recomputed are kept).")] = False,
    corpus: Annotated[Path, typer.Option(help="Corpus folder (with --all).")] = Path("corpus"),
    realdev: Annotated[Optional[Path], typer.Option(help="Realdev JSONL (with --all; default: the settings' "
                                                    "data.measure realdev, ../shared/realdev).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", help="Also write the metrics as JSON to this file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Compare predictions (--pred, or the pipeline on --models) with gold records; --all: every model, every set."""
    from rich.console import Console

    from nlp.corpus import load_records
    from nlp.evaluate import run as ev
    from nlp.persist import atomic_write_text

    if write_cards and not all_:
        _fail("--write-cards goes with --all", 2)
    try:
        if all_:
            models_dir = _models_dir(models)
            result = ev.evaluate_all(models_dir, corpus, realdev,
                                     log=None if as_json else (lambda m: typer.echo(m, err=True)))
            cards = ev.write_cards(result, models_dir) if write_cards else []
        else:
            if gold is None or (pred is None) == (models is None):
                _fail("give --gold with exactly one of --pred or --models (or --all)", 2)
            gold_records = load_records(gold)
            if pred is not None:
                result = {"pred": ev.evaluate_records(gold_records, load_records(pred))}
            else:
                result = ev.evaluate_models(gold_records, models)
    except GovReportError as err:
        _fail(str(err))
    if output is not None:
        atomic_write_text(output, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    elif all_:
        Console(width=max(Console().width, 120)).print(
            ev.rich_table("govreport evaluate --all", *ev.headline_rows(result)))
        typer.echo(f"updated {', '.join(map(str, cards))}" if cards else
                   "model cards unchanged (--write-cards writes the figures into them)")
    else:
        Console().print(ev.records_table(result, f"{gold} ({len(gold_records)} documents)"))
        for name, metrics in result.items():
            for kind, ids in (("without a prediction", metrics.get("without_prediction")),
                              ("whose prediction failed", metrics.get("failed"))):
                if ids:
                    typer.echo(f"{name}: {len(ids)} gold document(s) {kind}: {', '.join(ids)}", err=True)
    if output is not None:
        typer.echo(f"wrote {output}", err=True)


# ---------------------------------------------------------------- corpus
@corpus_app.command("synth")
def corpus_synth(
    n: Annotated[int, typer.Option("-n", help="Number of documents.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same corpus).")] = 0,
    out: Annotated[Path, typer.Option("-o", "--out", help="Corpus folder. With --splits: DIR/synth/train.jsonl, "
                                      "dev.jsonl, test.jsonl — what `govreport train --corpus DIR` reads; "
                                      "without: DIR/<--name>.")] = Path("corpus"),
    formats: Annotated[str, typer.Option(help="Also render documents: comma list of txt,docx,html,pdf.")] = "",
    name: Annotated[str, typer.Option(help="JSONL file name inside the output folder (without --splits).")] = "synth.jsonl",
    error_rate: Annotated[float, typer.Option(help="Share of documents with injected inconsistencies.")] = 0.3,
    truncate_rate: Annotated[float, typer.Option(help="Share of documents cut short like scraped pages.")] = 0.35,
    splits: Annotated[bool, typer.Option("--splits", help="Write the shipped train/dev/test splits into DIR/synth/.")] = False,
) -> None:
    """Generate synthetic annotated reports."""
    from nlp.corpus import synth

    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    try:
        if splits:
            paths = synth.write_splits(out / "synth", formats=fmts or None)
        else:
            paths = [synth.write_corpus(out, n, seed, name=name, formats=fmts or None,
                                        error_rate=error_rate, truncate_rate=truncate_rate)]
    except ValueError as err:
        _fail(str(err), 2)
    for p in paths:
        typer.echo(f"wrote {p}")


def _corpus_files(paths: list[Path]) -> list[Path]:
    """Files as given, folders as the ``.jsonl`` files under them (sorted); a missing path
    is a usage error (exit 2)."""
    from nlp.corpus.io import corpus_files

    try:
        return corpus_files(paths)
    except GovReportError as err:
        _fail(str(err), 2)


@corpus_app.command("validate")
def corpus_validate(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files or folders (their .jsonl files).")],
) -> None:
    """Check records against the annotation format: one line per problem, exit 1 if any."""
    from nlp.corpus.validate import validate_file
    from nlp.report import plural

    files = _corpus_files(paths)
    problems = [p for path in files for p in validate_file(path)]
    for line in problems:
        typer.echo(line)
    typer.echo(f"{plural(len(problems), 'problem')} in {plural(len(files), 'file')}", err=True)
    if problems:
        raise typer.Exit(1)


@corpus_app.command("stats")
def corpus_stats(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files or folders (their .jsonl files).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
    top: Annotated[int, typer.Option(help="Rows per table in the Markdown output.")] = 25,
) -> None:
    """Print what a corpus holds (labels, indicators, units, sections, templates, …)."""
    from nlp.corpus import load_records
    from nlp.corpus.stats import corpus_stats as compute, format_stats

    files = _corpus_files(paths)
    try:
        stats = compute(r for path in files for r in load_records(path))
    except GovReportError as err:
        _fail(str(err))
    typer.echo(json.dumps(stats, ensure_ascii=False, indent=1) if as_json else format_stats(stats, top))


@corpus_app.command("export")
def corpus_export(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files or folders (for hf: a corpus folder "
                                                "with synth/train|dev|test.jsonl becomes three splits).")],
    to: Annotated[str, typer.Option("--to", click_type=click.Choice(["spacy", "labelstudio", "hf"]),
                                    help="Target format.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output file (spacy, labelstudio) or folder (hf).")],
    predictions: Annotated[Optional[Path], typer.Option(help="labelstudio: model output (JSONL from "
                                                        "`govreport extract`) to add as predictions.")] = None,
) -> None:
    """Convert a corpus to spaCy, Label Studio or Hugging Face form."""
    from nlp.corpus.convert import export_corpus

    try:
        count = export_corpus(paths, to, out, predictions=predictions)
    except GovReportError as err:
        _fail(str(err))
    typer.echo(f"wrote {count} record(s) to {out} ({to})")


@corpus_app.command("import")
def corpus_import(
    path: Annotated[Path, typer.Argument(help="Label Studio JSON export, a .spacy DocBin or a saved HF dataset folder.")],
    from_: Annotated[str, typer.Option("--from", click_type=click.Choice(["labelstudio", "spacy", "hf"]),
                                       help="Source format.")] = "labelstudio",
    out: Annotated[Path, typer.Option("-o", "--out", help="Corpus JSONL file to write.")] = Path("imported.jsonl"),
) -> None:
    """Bring Label Studio, spaCy or Hugging Face annotations back into the corpus format."""
    from nlp.corpus.convert import import_corpus

    try:
        count = import_corpus(path, from_, out)
    except GovReportError as err:
        _fail(str(err))
    typer.echo(f"wrote {count} record(s) to {out}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
