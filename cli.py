"""The `govreport` command line: parses options, calls ``nlp``'s public API, prints.

No logic a library user would need lives here.  Exit status: 0 ok, 1 a document
failed (or a finding at or above ``--fail-on``), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

import nlp
from nlp.errors import GovReportError

app = typer.Typer(help="Turn 政府信息公开工作年度报告 into checked data.", no_args_is_help=True,
                  add_completion=False)
train_app = typer.Typer(help="Train a model from an annotated corpus.", no_args_is_help=True)
corpus_app = typer.Typer(help="Make, check and convert annotated corpora.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(corpus_app, name="corpus")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _not_yet(command: str) -> None:
    _fail(f"`govreport {command}` is not yet available in this version", 2)


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


# ---------------------------------------------------------------- read
@app.command()
def read(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (txt, docx, html, pdf).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document record as JSON lines.")] = False,
    canonical: Annotated[bool, typer.Option("--canonical", help="Print format-independent lines: narrative "
                                            "stripped, table rows as tab-joined cells, blanks dropped.")] = False,
) -> None:
    """Read and normalize reports; print their text (or document records with --json)."""
    from nlp.readers import canonical_lines, iter_paths, read as read_document

    failed = 0
    files: list[Path] = []
    for given in paths:  # a missing path is reported, the others still read
        try:
            files.extend(iter_paths([given]))
        except GovReportError as err:
            typer.echo(f"error: {err}", err=True)
            failed += 1
    for path in files:
        try:
            doc = read_document(path)
        except GovReportError as err:
            typer.echo(f"error: {err}", err=True)
            failed += 1
            continue
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
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders.")],
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Write records to this JSONL file.")] = None,
    models: Annotated[Path, typer.Option("--models", help="Folder with segmenter/, extractor/, linker/.")] = Path("models"),
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 1,
    rules: Annotated[bool, typer.Option("--rules", help="Use the rule baselines for missing models.")] = False,
) -> None:
    """Extract one annotation record per document (sections, tables, facts, findings)."""
    import tempfile

    from nlp.batch import check_models, run_batch

    _existing_paths(paths)
    try:
        check_models(models, rules)
    except GovReportError as err:
        _fail(str(err))
    with tempfile.TemporaryDirectory() as tmp:
        target = out or Path(tmp) / "records.jsonl"
        summary = run_batch(paths, target, workers=workers, progress=out is not None,
                            models_dir=models, fallback=rules)
        if out is None:
            sys.stdout.write(target.read_text(encoding="utf-8"))
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders.")],
    jsonl: Annotated[Optional[Path], typer.Option("--jsonl", help="Write records to this JSONL file.")] = None,
    csv_dir: Annotated[Optional[Path], typer.Option("--csv", help="Write indicators/findings/documents CSV here.")] = None,
    parquet_dir: Annotated[Optional[Path], typer.Option("--parquet", help="Write the same tables as Parquet here.")] = None,
    html_dir: Annotated[Optional[Path], typer.Option("--html", help="Write one review page per document + index.html.")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", click_type=click.Choice(["error", "warning"]),
                                                   help="Exit 1 when a finding at or above this severity exists "
                                                        "(without it, findings are reported, not failed on).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 1,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Dask scheduler address (tcp://host:port).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip documents already in --jsonl.")] = False,
    models: Annotated[Path, typer.Option("--models", help="Folder with segmenter/, extractor/, linker/.")] = Path("models"),
    rules: Annotated[bool, typer.Option("--rules", help="Use the rule baselines for missing models.")] = False,
) -> None:
    """Extract and reconcile; summarize findings per document."""
    import tempfile

    from rich.console import Console

    from nlp import report
    from nlp.batch import check_models, load_output, run_batch, should_fail, summary_table

    if resume and jsonl is None:
        _fail("--resume needs --jsonl FILE (the output to resume)", 2)
    _existing_paths(paths)
    if dask is None:
        try:
            check_models(models, rules)
        except GovReportError as err:
            _fail(str(err))
    with tempfile.TemporaryDirectory() as tmp:
        target = jsonl or Path(tmp) / "records.jsonl"
        summary = run_batch(paths, target, workers=workers, dask=dask, resume=resume,
                            models_dir=models, fallback=rules)
        if csv_dir or parquet_dir or html_dir:
            records = load_output(target)
            if csv_dir:
                report.write_csv(csv_dir, records)
            if parquet_dir:
                report.write_parquet(parquet_dir, records)
            if html_dir:
                report.write_html(html_dir, records)
    Console().print(summary_table(summary))
    if should_fail(summary, fail_on):
        raise typer.Exit(1)


def _existing_paths(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}", 2)


# ---------------------------------------------------------------- train / evaluate
@train_app.command("segmenter")
def train_segmenter(
    corpus: Annotated[Path, typer.Option(help="Corpus folder.")] = Path("corpus"),
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = Path("models/segmenter"),
    config: Annotated[Path, typer.Option(help="Training settings (YAML).")] = Path("configs/segmenter.yaml"),
) -> None:
    """Train the section segmenter (deterministic; settings from configs/segmenter.yaml)."""
    from nlp.segment import train as train_segmenter_model

    try:
        metrics = train_segmenter_model(corpus, out, config if config.is_file() else None)
    except GovReportError as err:
        _fail(str(err))
    for name, result in metrics.items():
        for system in ("model", "rule"):
            m = result[system]
            typer.echo(f"{name:15s} {system:5s} line_acc={m['line_accuracy']:.4f} "
                       f"heading_f1={m['heading']['f1']:.4f} boundaries_exact={m['boundaries_exact']:.3f}")
    typer.echo(f"saved {out}")


@train_app.command("extractor")
def train_extractor(
    corpus: Annotated[Path, typer.Option(help="Corpus folder.")] = Path("corpus"),
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = Path("models/extractor"),
    config: Annotated[Optional[Path], typer.Option(help="Settings YAML (default configs/extractor.yaml).")] = None,
    backend: Annotated[Optional[str], typer.Option(help="spacy (default) or transformers.")] = None,
    base: Annotated[Optional[Path], typer.Option(help="Pretrained encoder folder (transformers backend).")] = None,
) -> None:
    """Train the numeric-fact extractor."""
    from nlp.evaluate.facts import summary
    from nlp.extract import load_config, train

    settings = load_config(config)
    if backend:
        if backend not in ("spacy", "transformers"):
            _fail(f"unknown backend {backend!r} (spacy or transformers)", 2)
        settings["backend"] = backend
    if base is not None:
        settings.setdefault("transformers", {})["base"] = str(base)
    try:
        metrics = train(corpus, out, settings, log=typer.echo)
    except GovReportError as err:
        _fail(str(err))
    for name, m in metrics.items():
        typer.echo(f"{name}: {summary(m)}")
    typer.echo(f"saved to {out}")


@train_app.command("linker")
def train_linker(
    corpus: Annotated[Path, typer.Option(help="Corpus folder.")] = Path("corpus"),
    out: Annotated[Path, typer.Option(help="Model folder to write.")] = Path("models/linker"),
    config: Annotated[Path, typer.Option(help="Training settings (YAML).")] = Path("configs/linker.yaml"),
) -> None:
    """Train the fact → indicator linker."""
    from nlp.link import train as train_linker_model

    try:
        metrics = train_linker_model(corpus, out, config)
    except (GovReportError, ValueError) as err:
        _fail(str(err))
    for name, m in metrics.items():
        typer.echo(f"{name:16s} spans={m['spans']:<6} acc={m['accuracy']} "
                   f"table_acc={m['table_accuracy']} narrative_loose={m['narrative_loose']}")
    typer.echo(f"saved {out}")


@app.command()
def evaluate(
    gold: Annotated[Optional[Path], typer.Option(help="Gold records (JSONL).")] = None,
    pred: Annotated[Optional[Path], typer.Option(help="Predicted records (JSONL), paired with gold by id.")] = None,
    models: Annotated[Optional[Path], typer.Option(help="Run the pipeline from these models on the gold texts.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every shipped model on every evaluation set; updates the model cards.")] = False,
    corpus: Annotated[Path, typer.Option(help="Corpus folder (with --all).")] = Path("corpus"),
    realdev: Annotated[Optional[Path], typer.Option(help="Realdev JSONL (with --all; default ../shared/realdev).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Compare predictions (--pred, or the pipeline on --models) with gold records; --all: every model, every set."""
    from rich.console import Console

    from nlp.corpus import load_records
    from nlp.evaluate import run as ev

    try:
        if all_:
            report = ev.evaluate_all(models or Path("models"), corpus, realdev,
                                     log=None if as_json else (lambda m: typer.echo(m, err=True)))
            cards = ev.write_cards(report, models or Path("models"))
            if as_json:
                typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
                return
            Console(width=max(Console().width, 120)).print(
                ev.rich_table("govreport evaluate --all", *ev.headline_rows(report)))
            typer.echo(f"updated {', '.join(map(str, cards))} in {report['seconds']} s")
            return
        if gold is None or (pred is None) == (models is None):
            _fail("give --gold with exactly one of --pred or --models (or --all)", 2)
        gold_records = load_records(gold)
        if pred is not None:
            result = {"pred": ev.evaluate_records(gold_records, load_records(pred))}
        else:
            result = ev.evaluate_models(gold_records, models)
    except GovReportError as err:
        _fail(str(err))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        Console().print(ev.records_table(result, f"{gold} ({len(gold_records)} documents)"))


# ---------------------------------------------------------------- corpus
@corpus_app.command("synth")
def corpus_synth(
    n: Annotated[int, typer.Option("-n", help="Number of documents.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same corpus).")] = 0,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("corpus/synth"),
    formats: Annotated[str, typer.Option(help="Also render documents: comma list of txt,docx,html,pdf.")] = "",
    name: Annotated[str, typer.Option(help="JSONL file name inside the output folder.")] = "synth.jsonl",
    error_rate: Annotated[float, typer.Option(help="Share of documents with injected inconsistencies.")] = 0.3,
    truncate_rate: Annotated[float, typer.Option(help="Share of documents cut short like scraped pages.")] = 0.35,
    splits: Annotated[bool, typer.Option("--splits", help="Write the shipped train/dev/test splits instead.")] = False,
) -> None:
    """Generate synthetic annotated reports."""
    from nlp.corpus import synth

    fmts = [f.strip() for f in formats.split(",") if f.strip()]
    try:
        if splits:
            paths = synth.write_splits(out, formats=fmts or None)
        else:
            paths = [synth.write_corpus(out, n, seed, name=name, formats=fmts or None,
                                        error_rate=error_rate, truncate_rate=truncate_rate)]
    except ValueError as err:
        _fail(str(err), 2)
    for p in paths:
        typer.echo(f"wrote {p}")


@corpus_app.command("validate")
def corpus_validate(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files.")],
) -> None:
    """Check records against the annotation format: one line per problem, exit 1 if any."""
    from nlp.corpus.validate import validate_file

    problems = [p for path in paths for p in validate_file(path)]
    for line in problems:
        typer.echo(line)
    typer.echo(f"{len(problems)} problem(s) in {len(paths)} file(s)", err=True)
    if problems:
        raise typer.Exit(1)


@corpus_app.command("stats")
def corpus_stats(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
    top: Annotated[int, typer.Option(help="Rows per table in the Markdown output.")] = 25,
) -> None:
    """Print what a corpus holds (labels, indicators, units, sections, templates, …)."""
    from nlp.corpus import load_records
    from nlp.corpus.stats import corpus_stats as compute, format_stats

    try:
        stats = compute(r for path in paths for r in load_records(path))
    except GovReportError as err:
        _fail(str(err))
    typer.echo(json.dumps(stats, ensure_ascii=False, indent=1) if as_json else format_stats(stats, top))


@corpus_app.command("export")
def corpus_export(
    paths: Annotated[list[Path], typer.Argument(help="Corpus JSONL files.")],
    to: Annotated[str, typer.Option("--to", help="spacy | labelstudio | hf")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output file (spacy, labelstudio) or folder (hf).")],
) -> None:
    """Convert a corpus to spaCy, Label Studio or Hugging Face form."""
    from nlp.corpus.convert import export_corpus

    try:
        count = export_corpus(paths, to, out)
    except GovReportError as err:
        _fail(str(err))
    typer.echo(f"wrote {count} record(s) to {out} ({to})")


@corpus_app.command("import")
def corpus_import(
    path: Annotated[Path, typer.Argument(help="Label Studio JSON export (or a .spacy DocBin).")],
    from_: Annotated[str, typer.Option("--from", help="labelstudio | spacy")] = "labelstudio",
    out: Annotated[Path, typer.Option("-o", "--out", help="Corpus JSONL file to write.")] = Path("imported.jsonl"),
) -> None:
    """Bring Label Studio annotations back into the corpus format."""
    from nlp.corpus.convert import import_corpus

    try:
        count = import_corpus(path, from_, out)
    except GovReportError as err:
        _fail(str(err))
    typer.echo(f"wrote {count} record(s) to {out}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
