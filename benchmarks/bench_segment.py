"""Segmenter speed: lines/second of ``predict`` for the trained model and the rule baseline.

Usage: ``.venv/bin/python benchmarks/bench_segment.py [--model models/segmenter] [--repeat 3]``.
Documents: the seed gold corpus plus the synthetic test split (whatever exists).
Reading/normalizing is done once up front; only ``predict`` is timed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    import sys
    sys.path.insert(0, str(ROOT))
    from nlp.segment import RuleSegmenter, document_of, load_segmenter
    from nlp.types import Record

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "segmenter")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-docs", type=int, default=300)
    args = parser.parse_args()

    records: list[Record] = []
    for rel in ("corpus/seeds.jsonl", "corpus/synth/test.jsonl"):
        path = ROOT / rel
        if path.is_file():
            records += [Record.from_json(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    records = records[: args.max_docs]
    docs = [document_of(r.text, r.id) for r in records]
    n_lines = sum(len(d.lines) for d in docs)
    print(f"{len(docs)} documents, {n_lines} lines")
    for name, seg in (("model", load_segmenter(args.model)), ("rule", RuleSegmenter())):
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for d in docs:
                seg.predict(d)
            best = min(best, time.perf_counter() - t0)
        print(f"{name:5s}: {n_lines / best:10.0f} lines/s  ({best / len(docs) * 1000:.1f} ms/doc)")


if __name__ == "__main__":
    main()
