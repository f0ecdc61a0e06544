"""Cells of the whole real reports of realdev (``whole/*.json``) when the report arrives as
another file: every text layout, docx, html, a plain PDF, and (``--word``) Word-exported
PDFs made by LibreOffice and the Word document saved as text by LibreOffice.

    .venv/bin/python benchmarks/bench_whole.py [--realdev DIR] [--word] [--browser]

Each report's text is read (``document_from_text``), turned into blocks
(``nlp.corpus.render.blocks_from_document``) and written out in each form; the pipeline
reads it back and every gold cell is scored: *correct*, *unread* (no cell: not located or
not readable with confidence), *wrong* (another value). Warnings and errors are counted
too: the whole reports have none a careful reader makes. realdev is evaluation-only data
and may be absent; then nothing is measured.  ``--browser`` adds the HTML page printed to PDF by
headless Chromium (radicals for ideographs, the page's address in its margins).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_layouts import score as cells_score  # noqa: E402 — this folder is on sys.path when run as a script
from eval_findings_real import realdev_dir  # noqa: E402
from nlp.evaluate.findings import ALARM  # noqa: E402
from nlp.corpus.render import (TXT_LAYOUTS, blocks_from_document, browser_pdf, libreoffice_pdf,  # noqa: E402
                               render_docx, render_html, render_pdf, render_txt, word_grid_pdf)
from nlp.pipeline import Pipeline, document_from_text  # noqa: E402
from nlp.types import Record  # noqa: E402

FILES = {"docx": render_docx, "html": render_html, "pdf": render_pdf}


def score(gold: dict, rec: Record) -> tuple[int, int, int, int]:
    """(correct, unread, wrong) as bench_layouts scores a seed, and the warnings and errors."""
    correct, unread, wrong = cells_score({"table": gold, "missing_cells": []}, rec)
    return correct, unread, wrong, sum(1 for f in rec.findings if f.severity in ALARM)


def renderings(text: str, name: str, folder: Path, word: bool, browser: bool = False):
    """(form, record-producing thunk) for every form the report is written in."""
    doc = document_from_text(text, f"{name}.txt")
    blocks = blocks_from_document(doc)
    yield "as given", lambda pipe: pipe.process_text(text, name)
    for layout in TXT_LAYOUTS:
        yield layout, lambda pipe, layout=layout: pipe.process_text(render_txt(blocks, layout), name)
    for fmt, write in FILES.items():
        yield fmt, lambda pipe, fmt=fmt, write=write: pipe.process(write(blocks, folder / f"{name}.{fmt}"), name)
    if browser:
        yield "browser pdf", lambda pipe: pipe.process(browser_pdf(
            render_html(blocks, folder / f"{name}_page.html"), folder / f"{name}_printed.pdf", folder / ".chromium"), name)
        # a Word document saved as a web page by LibreOffice, then printed: rows cut by page breaks
        yield "browser pdf (LibreOffice page)", lambda pipe: pipe.process(browser_pdf(
            libreoffice_pdf(render_docx(blocks, folder / f"{name}_lo.docx"), folder, folder / ".lo-profile", to="html"),
            folder / f"{name}_lo_printed.pdf", folder / ".chromium"), name)
    if word:
        # a Word document (merged cells) saved as text by LibreOffice, as researchers convert them
        yield "docx as LibreOffice text", lambda pipe: pipe.process(libreoffice_pdf(
            render_docx(blocks, folder / f"{name}_text.docx", merge=True), folder, folder / ".lo-profile", to="txt"), name)
        for rep, pt in ((True, None), (False, 14.0), (False, 12.0)):
            form = f"word pdf ({'repeated header' if rep else f'{pt:g} pt'})"
            yield form, lambda pipe, rep=rep, pt=pt: pipe.process(
                word_grid_pdf(doc, folder, repeat_header=rep, body_pt=pt, name=f"{name}_{rep}_{pt}"), name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdev", default=None)
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--word", action="store_true", help="also Word-exported PDFs (LibreOffice, a few s each)")
    ap.add_argument("--browser", action="store_true", help="also the HTML page printed to PDF by headless Chromium")
    args = ap.parse_args()
    reports = sorted((realdev_dir(args.realdev) / "whole").glob("*.json"))
    if not reports:
        print("no whole reports found (realdev is evaluation-only data): nothing measured")
        return
    pipe = Pipeline.load(args.models)
    print("| report | form | correct | unread | wrong | warnings+errors |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="govreport-whole-") as tmp:
        for path in reports:
            data = json.loads(path.read_text(encoding="utf-8"))
            for form, run in renderings(data["content"], path.stem, Path(tmp), args.word, args.browser):
                c, u, w, a = score(data["table"], run(pipe))
                print(f"| {path.stem} | {form} | {c}/{len(data['table'])} | {u} | {w} | {a} |")


if __name__ == "__main__":
    main()
