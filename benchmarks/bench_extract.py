"""Extractor speed: documents/second and narrative characters/second on one core.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_extract.py [--model models/extractor]
        [--repeat 10] [--no-confidence] [--baseline]

Documents are the seed records (corpus/seeds.jsonl) and, when present, the first
synthetic test records; each document goes through the extractor component with its
narrative lines as the blocks (``nlp.extract.text_work``).  "Narrative characters"
are the characters of non-table lines; the share of them in sentences the filter
sends to the network is printed too.  Rates per CPU-second are shown beside wall-clock
rates because the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.component import load  # noqa: E402
from nlp.extract import is_candidate, prose_spans, sentence_spans, text_work  # noqa: E402
from nlp.types import Record  # noqa: E402


def _records(path: Path, limit: int) -> list[Record]:
    if not path.is_file():
        return []
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [Record.from_json(x) for x in lines[:limit]]


class _Chunked:
    """Documents in chunks sharing one extractor call, as batch workers run them."""

    def __init__(self, extractor, size: int):
        self.extractor, self.size = extractor, size

    def __call__(self, work):
        return self.extractor(work)

    def run(self, texts: list[str]) -> None:
        for i in range(0, len(texts), self.size):
            self.extractor.pipe([text_work(t) for t in texts[i:i + self.size]])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "extractor"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-confidence", action="store_true", help="plain ner.pipe (confidence 1.0)")
    ap.add_argument("--baseline", action="store_true", help="also time nlp.extract.rules.RuleExtractor")
    args = ap.parse_args()
    extractor = load("extractor", args.model)
    if args.no_confidence:
        extractor.confidence = "none"
    sets = {"seeds": _records(ROOT / "corpus" / "seeds.jsonl", 5),
            "synth_test": _records(ROOT / "corpus" / "synth" / "test.jsonl", 50)}
    runners = {"extractor": extractor, "extractor x8": _Chunked(extractor, 8)}
    if args.baseline:
        from nlp.extract.rules import RuleExtractor
        runners["rule_baseline"] = RuleExtractor()
    for name, records in sets.items():
        if not records:
            continue
        texts = [r.text for r in records]
        narrative = sum(b - a for t in texts for a, b in prose_spans(t))
        candidate = sum(b - a for t in texts for a, b in sentence_spans(t, prose_spans(t))
                        if is_candidate(t[a:b]))
        for rname, runner in runners.items():
            runner(text_work(texts[0]))  # warm up
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.repeat):
                if isinstance(runner, _Chunked):
                    runner.run(texts)
                else:
                    for t in texts:
                        runner(text_work(t))
            secs = time.perf_counter() - started
            cpu = time.process_time() - cpu
            n = len(texts) * args.repeat
            print(f"{name:10s} {rname:14s} docs={len(texts)} x{args.repeat}  {n / secs:8.1f} docs/s "
                  f"({n / cpu:.1f} per CPU-second)  {narrative * args.repeat / secs:10.0f} narrative chars/s  "
                  f"(narrative {narrative // len(texts)} chars/doc, {candidate / max(narrative, 1):.0%} "
                  f"sent to the model)")


if __name__ == "__main__":
    main()
