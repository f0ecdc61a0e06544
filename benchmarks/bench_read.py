"""Documents per second for reading + normalizing the seeds in each format.

    .venv/bin/python benchmarks/bench_read.py [--repeat 10]

Every seed is rendered once into a temp dir as docx, html, pdf and .txt (UTF-8,
GB18030, UTF-16, one-cell-per-line layout); then ``nlp.pipeline.read_document`` (decode,
extract, normalize, find tables) is timed over ``--repeat`` passes per format.
Rendering is outside the timing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.pipeline import read_document  # noqa: E402
from nlp.corpus.render import blocks_from_document, render_docx, render_html, render_pdf, render_txt  # noqa: E402


def build(folder: Path) -> dict[str, list[Path]]:
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    files: dict[str, list[Path]] = {k: [] for k in
                                    ("txt-utf8", "txt-gb18030", "txt-utf16", "txt-cells", "docx", "html", "pdf")}
    for seed in seeds:
        stem = seed.stem[:3]
        raw = seed.read_text(encoding="utf-8")
        blocks = blocks_from_document(read_document(seed))
        files["txt-utf8"].append(seed)
        for key, enc in (("txt-gb18030", "gb18030"), ("txt-utf16", "utf-16")):
            path = folder / f"{stem}.{enc}.txt"
            path.write_bytes(raw.encode(enc))
            files[key].append(path)
        cells = folder / f"{stem}.cells.txt"
        cells.write_text(render_txt(blocks, "cells"), encoding="utf-8")
        files["txt-cells"].append(cells)
        files["docx"].append(render_docx(blocks, folder / f"{stem}.docx", merge=True))
        files["html"].append(render_html(blocks, folder / f"{stem}.html", merge=True))
        files["pdf"].append(render_pdf(blocks, folder / f"{stem}.pdf"))
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = build(Path(tmp))
        # wall-clock docs/s depends on what else runs; docs per CPU-second does not
        print(f"{'format':<13}{'docs':>6}{'seconds':>10}{'docs/s':>10}{'docs/cpu-s':>12}{'ms/doc':>9}{'KB/doc':>9}")
        total_n = total_t = total_c = 0.0
        for fmt, paths in files.items():
            read_document(paths[0])  # warm imports
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(args.repeat):
                for path in paths:
                    read_document(path)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            n = args.repeat * len(paths)
            kb = sum(p.stat().st_size for p in paths) / len(paths) / 1024
            total_n, total_t, total_c = total_n + n, total_t + dt, total_c + dc
            print(f"{fmt:<13}{n:>6}{dt:>10.2f}{n / dt:>10.1f}{n / dc:>12.1f}{1000 * dt / n:>9.1f}{kb:>9.1f}")
        print(f"{'all':<13}{int(total_n):>6}{total_t:>10.2f}{total_n / total_t:>10.1f}{total_n / total_c:>12.1f}"
              f"{1000 * total_t / total_n:>9.1f}")


if __name__ == "__main__":
    main()
