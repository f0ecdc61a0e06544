"""Cells read from Word-exported PDFs of the seeds: correct / unread / wrong per seed.

    .venv/bin/python benchmarks/bench_pdf.py [--out DIR] [--records]

Each seed's tables 2, 3 and 4 are rendered as the official merged-cell grid into a .docx
(``nlp.corpus.render.word_grid_pdf``: merged row labels, narrow label columns, table 3 broken
over pages) — once with the header rows repeated on every page and a running page
header, twice without, with a larger body font (14 pt, 12 pt: the page breaks fall
elsewhere) — and converted with LibreOffice (``soffice --headless --convert-to pdf``).  The PDF is read
and parsed; every template cell is compared with the seed's gold (``corpus/seeds.jsonl``):
*correct* (the gold value, or blank where the gold is blank), *unread* (not located),
*wrong* (another value).  ``--records`` also runs the whole pipeline on the plain seed and
on each PDF and says whether the facts and findings are the same.  Conversions take a
few seconds each; ``--out`` keeps the files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.indicators import ids_for_template  # noqa: E402
from nlp.pipeline import read_document  # noqa: E402
from nlp.corpus.render import word_grid_pdf  # noqa: E402
from nlp.tables import parse_tables  # noqa: E402

# (repeat header rows, body font size, running page header): larger bodies move the page breaks
VARIANTS = {"repeated header": (True, None, "政府信息公开工作年度报告"), "no repeat, 14 pt body": (False, 14.0, None),
            "no repeat, 12 pt body": (False, 12.0, None)}


def gold_records() -> dict[str, dict]:
    with open(ROOT / "corpus" / "seeds.jsonl", encoding="utf-8") as fh:
        return {json.loads(line)["id"]: json.loads(line) for line in fh if line.strip()}


def score_cells(pdf: Path, gold: dict) -> tuple[int, int, int]:
    """(correct, unread, wrong) over the gold template's cells."""
    tables = parse_tables(read_document(pdf))
    correct = unread = wrong = 0
    for cid in ids_for_template(gold["template"]):
        cell = tables.cells.get(cid)
        want = gold["table"].get(cid)  # None: blank in the source
        if cell is None:
            unread += 1
        elif cell.value == want:
            correct += 1
        else:
            wrong += 1
    return correct, unread, wrong


def build(seed: Path, folder: Path, variant: tuple[bool, float | None, str | None]) -> Path:
    repeat_header, body_pt, page_header = variant
    return word_grid_pdf(read_document(seed), folder, repeat_header=repeat_header, body_pt=body_pt, page_header=page_header)


def same_record(pipe, plain: Path, pdf: Path) -> str:
    """'same' or what differs between the two records (facts as (value, id), findings)."""
    a, b = pipe.process(plain), pipe.process(pdf)
    diffs = []
    for what, key in (("facts", lambda r: sorted((f.value, f.indicator) for f in r.facts)),
                      ("findings", lambda r: sorted((f.type, f.indicator, f.severity) for f in r.findings)),
                      ("cells", lambda r: sorted((k, v.value) for k, v in r.cells.items()))):
        if key(a) != key(b):
            diffs.append(what)
    return "same" if not diffs else "differ: " + ", ".join(diffs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="keep the .docx and .pdf files here")
    ap.add_argument("--records", action="store_true", help="also compare whole records with the plain seed")
    args = ap.parse_args()
    golds = gold_records()
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    pipe = None
    if args.records:
        from nlp.pipeline import Pipeline
        pipe = Pipeline.load(ROOT / "models")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'seed':<10} {'variant':<22} {'pages':>5} {'correct':>8} {'unread':>7} {'wrong':>6}  record")
        total = [0, 0, 0]
        for seed in seeds:
            gold = golds[f"seed-{seed.stem[:3]}"]
            for name, variant in VARIANTS.items():
                pdf = build(seed, folder, variant)
                import pdfplumber
                with pdfplumber.open(pdf) as doc:
                    pages = len(doc.pages)
                c, u, w = score_cells(pdf, gold)
                total = [total[0] + c, total[1] + u, total[2] + w]
                rec = same_record(pipe, seed, pdf) if pipe else ""
                print(f"{gold['id']:<10} {name:<22} {pages:>5} {c:>8} {u:>7} {w:>6}  {rec}")
        n = sum(total)
        print(f"{'all':<10} {'':<22} {'':>5} {total[0]:>8} {total[1]:>7} {total[2]:>6}  "
              f"cell accuracy {total[0] / n:.3f}")


if __name__ == "__main__":
    main()
