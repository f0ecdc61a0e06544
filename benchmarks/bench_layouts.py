"""Table cells read per text layout: the seeds as printed and re-rendered as other tools
and crawlers deliver them, read end to end by the pipeline.

    .venv/bin/python benchmarks/bench_layouts.py [--models models] [--layouts own,oneline,...]

Each seed (``corpus/seeds``) is read, turned into blocks (``nlp.corpus.render.blocks_from_document``)
and written in every text layout of ``nlp.corpus.render.TXT_LAYOUTS``; the pipeline reads each
rendering, and every template cell is scored against the gold record
(``corpus/seeds.jsonl``): *correct* (the gold number, or blank where the gold has a
blank), *unread* (the record holds no cell for it: not located, or not readable with
confidence), *wrong* (any other number, or blank where the gold has a number).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.pipeline import Pipeline  # noqa: E402
from nlp.pipeline import document_from_text  # noqa: E402
from nlp.corpus.render import TXT_LAYOUTS, blocks_from_document, render_txt  # noqa: E402
from nlp.types import Record  # noqa: E402

DESCRIPTIONS = {
    "own": "the seed files as printed (tab rows)",
    "tabs": "tab-separated rows",
    "cells": "one cell per line",
    "pipe": "Markdown pipe rows",
    "spaced": "rows of cells joined by two spaces, an empty cell a double gap (page dumps, PDF text)",
    "oneline": "whole report on one line, cells separated by a space",
    "oneline_tabs": "whole report on one line, tabs between cells kept, line ends turned into spaces",
    "oneline_runon": "whole report on one line, cells run together",
    "pdftool": "pipe rows from a PDF tool: labels above/below values, footers, garbled headers",
    "headless": "pipe rows with a value only: header rows lost (table 4 left its one data row)",
}


def score(gold: dict, record: Record) -> tuple[int, int, int]:
    """(correct, unread, wrong) over the gold record's template cells."""
    cells = record.cells or {}
    correct = unread = wrong = 0
    for cid in [*gold["table"], *gold["missing_cells"]]:
        cell = cells.get(cid)
        if cell is None:
            unread += 1
        elif cell.value == gold["table"].get(cid):  # None == None for a gold blank
            correct += 1
        else:
            wrong += 1
    return correct, unread, wrong


def renderings(layouts: list[str]) -> dict[str, list[tuple[str, str]]]:
    """layout → [(seed id, text)]."""
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    out: dict[str, list[tuple[str, str]]] = {k: [] for k in layouts}
    for i, path in enumerate(seeds):
        text = path.read_text(encoding="utf-8")
        blocks = blocks_from_document(document_from_text(text, str(path)))
        for layout in layouts:
            out[layout].append((f"seed-{i:03d}", text if layout == "own" else render_txt(blocks, layout)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--layouts", default=",".join(("own", *TXT_LAYOUTS)))
    args = ap.parse_args()
    layouts = args.layouts.split(",")
    gold = {}
    for line in (ROOT / "corpus" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            gold[rec["id"]] = rec
    pipe = Pipeline.load(args.models, fallback=True)
    print("| layout | cells | correct | unread | wrong | cell accuracy | table_unreadable findings |")
    print("|---|---|---|---|---|---|---|")
    t0 = time.process_time()
    for layout, docs in renderings(layouts).items():
        totals = [0, 0, 0]
        unreadable = 0
        for rid, text in docs:
            record = pipe.process_text(text, rid)
            for k, v in enumerate(score(gold[rid], record)):
                totals[k] += v
            unreadable += sum(f.type == "table_unreadable" for f in record.findings)
        n = sum(totals)
        print(f"| `{layout}` — {DESCRIPTIONS.get(layout, layout)} | {n} | {totals[0]} | {totals[1]} | "
              f"{totals[2]} | {totals[0] / n:.3f} | {unreadable} |")
    print(f"\n{len(layouts)} layouts x {len(gold)} seeds, {time.process_time() - t0:.1f} CPU s", file=sys.stderr)


if __name__ == "__main__":
    main()
