"""Two checkouts timed in turn: start-up and end to end, on the same inputs.

    .venv/bin/python benchmarks/bench_paired.py BEFORE AFTER [--startup 9] [--n 1000] [--repeat 2]

BEFORE and AFTER are checkouts of the project (``git worktree add ../before REF``); each
runs as ``govreport`` does, through ``measure.run_cli`` with its own code first on the path.
A shared machine's speed drifts by up to 1.5x within a day, so a figure measured today and
one measured yesterday do not compare; figures measured in turn do.  Prints, per checkout,
the median CPU-seconds of ``check`` on one synthetic report (start-up; the issue's target is
≤ 0.6) and the documents per CPU-second of ``check`` on ``--n`` reports (start-up included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import copies  # noqa: E402
from measure import compile_package, run_cli  # noqa: E402
from synth_texts import write_split_texts  # noqa: E402


def in_turn(trees: list[Path], args: list[str], repeat: int) -> dict[Path, list[float]]:
    """CPU-seconds of ``govreport args`` per checkout, the checkouts alternating."""
    cpu: dict[Path, list[float]] = {t: [] for t in trees}
    for _ in range(repeat):
        for tree in trees:
            cpu[tree].append(run_cli(tree, args)[1])
    return cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--startup", type=int, default=9, help="start-up runs per checkout (default 9)")
    ap.add_argument("--n", type=int, default=1000, help="reports of the end-to-end runs (0: none)")
    ap.add_argument("--repeat", type=int, default=2, help="end-to-end runs per checkout (default 2)")
    args = ap.parse_args()
    trees = [args.before.resolve(), args.after.resolve()]
    tmp = Path(tempfile.mkdtemp(prefix="govreport-paired-"))
    texts = sorted(write_split_texts(tmp / "texts").glob("*.txt"))
    for tree in trees:
        compile_package(tree)

    out = tmp / "one.jsonl"
    startup = in_turn(trees, ["check", str(texts[0]), "--jsonl", str(out)], args.startup)
    for tree in trees:
        runs = startup[tree]
        print(f"start-up, {tree}: {statistics.median(runs):.3f} CPU-s median, {min(runs):.3f} min "
              f"({len(runs)} runs in turn; target ≤ 0.6)")
    if args.n:
        docs, _ = copies(tmp / "docs", texts, args.n)
        end2end = in_turn(trees, ["check", str(docs), "--jsonl", str(tmp / "many.jsonl")], args.repeat)
        for tree in trees:
            print(f"end to end, {tree}: {args.n / statistics.median(end2end[tree]):.1f} documents per CPU-s "
                  f"({args.n} reports, start-up included, median of {args.repeat})")


if __name__ == "__main__":
    main()
