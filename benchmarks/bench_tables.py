"""Tables parsed per second over the seeds, per layout.

    .venv/bin/python benchmarks/bench_tables.py [--repeat 20]

Each seed is parsed from its own text and from its grids re-rendered in the other text
layouts (``nlp.corpus.render.render_txt``); reading (normalization, layout) is done once,
outside the timing, so the figures are for ``nlp.tables.parse_tables`` alone.  Times are
CPU seconds of this process (``time.process_time``), so a busy machine does not skew them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.corpus.render import blocks_from_document, render_txt  # noqa: E402
from nlp.pipeline import document_from_text  # noqa: E402
from nlp.tables import grid  # noqa: E402
from nlp.tables import parse_tables  # noqa: E402


def documents() -> dict[str, list]:
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    docs = {"own": [document_from_text(p.read_text(encoding="utf-8"), str(p)) for p in seeds]}
    for layout in ("tabs", "cells", "pipe"):
        docs[layout] = [document_from_text(render_txt(blocks_from_document(d), layout)) for d in docs["own"]]
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    docs = documents()
    rows = []
    for name, group in docs.items():
        parse_tables(group[0])  # warm caches
        t0 = time.process_time()
        for _ in range(args.repeat):
            for d in group:
                parse_tables(d)
        dt = time.process_time() - t0
        n = args.repeat * len(group)
        lines = sum(len(d.lines) for d in group) / len(group)
        rows.append((name, n, dt, n / dt, 1000 * dt / n, lines))
    # cold: label-match cache emptied before every document (first sight of every label)
    group = docs["own"]
    t0 = time.process_time()
    for _ in range(max(1, args.repeat // 4)):
        for d in group:
            grid.BEST_CACHE.clear()
            parse_tables(d)
    dt = time.process_time() - t0
    n = max(1, args.repeat // 4) * len(group)
    rows.append(("own-cold", n, dt, n / dt, 1000 * dt / n, sum(len(d.lines) for d in group) / len(group)))
    print(f"{'layout':<9}{'docs':>6}{'cpu s':>10}{'docs/s':>10}{'ms/doc':>9}{'lines/doc':>11}")
    for name, n, dt, rate, ms, lines in rows:
        print(f"{name:<9}{n:>6}{dt:>10.2f}{rate:>10.1f}{ms:>9.1f}{lines:>11.0f}")
    total_n = sum(r[1] for r in rows[:-1])
    total_t = sum(r[2] for r in rows[:-1])
    print(f"{'all warm':<9}{total_n:>6}{total_t:>10.2f}{total_n / total_t:>10.1f}{1000 * total_t / total_n:>9.1f}")
    print("(each document holds tables 2, 3 and 4: tables/s = 3 × docs/s)")


if __name__ == "__main__":
    main()
