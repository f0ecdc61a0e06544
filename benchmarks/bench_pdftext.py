"""Cells read from the text a PDF tool makes of a report PDF: ``pdftotext`` (poppler) in its
three modes (``-layout``, default, ``-raw``), pdfplumber's ``extract_text`` (plain and
``layout=True``), pdfminer's ``extract_text``, and, when installed, pypdf's (plain and layout
mode) and PyMuPDF's ``get_text``, as researchers convert PDFs before any
other tool sees them.

    .venv/bin/python benchmarks/bench_pdftext.py [--word] [--browser]

The seeds (and realdev's whole report, when present: evaluation-only) are written as PDFs —
drawn by reportlab; with ``--word`` the official merged grid exported by LibreOffice; with
``--browser`` the report's web page, and LibreOffice's web page of it, printed by headless
Chromium — each PDF is converted by ``pdftotext`` and the text is checked like a ``.txt``.
Every gold cell is *correct*, *unread* (no cell) or *wrong*; warnings and errors are counted
too.  Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_layouts import score  # noqa: E402 — this folder is on sys.path when run as a script
from eval_findings_real import realdev_dir  # noqa: E402
from nlp.corpus.render import (blocks_from_document, browser_pdf, libreoffice_pdf, render_docx,  # noqa: E402
                               render_html, render_pdf, word_grid_pdf)
from nlp.evaluate.findings import ALARM  # noqa: E402
from nlp.pipeline import Pipeline, document_from_text  # noqa: E402

MODES = {"-layout": ["-layout"], "default": [], "-raw": ["-raw"]}  # pdftotext's
PYTHON_TOOLS = ("pdfplumber", "pdfplumber layout", "pdfminer", "pypdf", "pypdf layout", "pymupdf")


def python_text(tool: str, pdf: Path) -> str | None:
    """The text a Python PDF library makes of ``pdf``; None when the library is not installed
    (pypdf and PyMuPDF are not the toolkit's dependencies: ``pip install pypdf pymupdf``)."""
    if tool == "pdfminer":
        from pdfminer.high_level import extract_text
        return extract_text(str(pdf))
    if tool.startswith("pypdf"):
        try:
            from pypdf import PdfReader
        except ImportError:
            return None
        mode = "layout" if tool.endswith("layout") else "plain"
        return "\n".join(page.extract_text(extraction_mode=mode) or "" for page in PdfReader(str(pdf)).pages)
    if tool == "pymupdf":
        try:
            import pymupdf
        except ImportError:
            return None
        with pymupdf.open(str(pdf)) as doc:
            return "".join(page.get_text() for page in doc)
    import pdfplumber
    with pdfplumber.open(str(pdf)) as doc:
        return "\n".join(page.extract_text(layout=tool.endswith("layout")) or "" for page in doc.pages)


def reports(realdev: str | None) -> list[tuple[str, str, dict]]:
    """(name, text, gold cells) of the seeds and of realdev's whole reports."""
    gold = {}
    for line in (ROOT / "corpus" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        gold[rec["id"]] = rec["table"]
    out = [(f"seed-{i:03d}", p.read_text(encoding="utf-8"), gold[f"seed-{i:03d}"])
           for i, p in enumerate(sorted((ROOT / "corpus" / "seeds").glob("*.txt")))]
    for path in sorted((realdev_dir(realdev) / "whole").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.stem, data["content"], data["table"]))
    return out


def pdfs(name: str, text: str, folder: Path, word: bool, browser: bool):
    """(form, PDF path) for every form the report is written in."""
    doc = document_from_text(text, f"{name}.txt")
    blocks = blocks_from_document(doc)
    yield "reportlab pdf", render_pdf(blocks, folder / f"{name}.pdf")
    if word:
        yield "word pdf", word_grid_pdf(doc, folder, name=f"{name}_word")
    if browser:
        page = render_html(blocks, folder / f"{name}_page.html")
        yield "browser pdf", browser_pdf(page, folder / f"{name}_page.pdf", folder / ".chromium")
        lo = libreoffice_pdf(render_docx(blocks, folder / f"{name}_lo.docx"), folder, folder / ".lo", to="html")
        yield "browser pdf (LibreOffice page)", browser_pdf(lo, folder / f"{name}_lo.pdf", folder / ".chromium")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdev", default=None)
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--word", action="store_true", help="also Word-exported PDFs (LibreOffice)")
    ap.add_argument("--browser", action="store_true", help="also web pages printed by headless Chromium")
    args = ap.parse_args()
    tool = shutil.which("pdftotext")
    if tool is None:
        print("pdftotext not found (Debian: apt-get install -y poppler-utils): nothing measured")
        return
    pipe = Pipeline.load(args.models)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    with tempfile.TemporaryDirectory(prefix="govreport-pdftext-") as tmp:
        folder = Path(tmp)
        for name, text, gold in reports(args.realdev):
            for form, pdf in pdfs(name, text, folder, args.word, args.browser):
                texts = []
                for mode, flags in MODES.items():
                    out = folder / f"{pdf.stem}{mode}.txt"
                    subprocess.run([tool, *flags, str(pdf), str(out)], check=True, capture_output=True)
                    texts.append((f"pdftotext {mode}", out))
                for lib in PYTHON_TOOLS:
                    out = folder / f"{pdf.stem}.{lib.replace(' ', '_')}.txt"
                    text = python_text(lib, pdf)
                    if text is not None:
                        out.write_text(text, encoding="utf-8")
                        texts.append((lib, out))
                for mode, out in texts:
                    rec = pipe.process(str(out), name)
                    c, u, w = score({"table": gold, "missing_cells": []}, rec)
                    t = totals[(form, mode)]
                    t[0] += c
                    t[1] += u
                    t[2] += w
                    t[3] += len(gold)
                    t[4] += sum(1 for f in rec.findings if f.severity in ALARM)
    print("| PDF | text by | correct | unread | wrong | warnings+errors |\n|---|---|---|---|---|---|")
    for (form, mode), (c, u, w, n, a) in totals.items():
        print(f"| {form} | {mode} | {c}/{n} | {u} | {w} | {a} |")


if __name__ == "__main__":
    main()
