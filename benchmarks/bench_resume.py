"""``govreport check --resume`` over a finished run, against a run that does nothing.

    .venv/bin/python benchmarks/bench_resume.py               # 3,000 small reports
    .venv/bin/python benchmarks/bench_resume.py --n 500 --code /path/to/other/checkout

Copies the synthetic test texts (``--texts``, default the test split written out as
text) into a temporary folder until it holds ``--n`` reports, runs ``govreport check
DIR --jsonl OUT`` once to finish it, then, each ``--repeat`` times, in fresh processes:

- the no-op run: ``govreport check EMPTY_DIR --jsonl OTHER`` (nothing to do);
- the resume: ``govreport check DIR --jsonl OUT --resume`` (nothing left to do).

Prints wall and CPU seconds (medians; CPU = user + system of the child), their ratio,
whether the output stayed byte-identical with its modification time unchanged, and the
bytes per report of the output.  ``--code`` runs another checkout's ``cli`` (for a
before/after figure).  Nothing is asserted; the machine may be shared: quote the load
average printed with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from measure import compile_package, run_cli  # noqa: E402 — this folder is on sys.path when run as a script
from synth_texts import write_split_texts  # noqa: E402


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def run(code: Path, args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit status) of ``govreport args`` in a fresh interpreter."""
    wall, cpu, _peak, status = run_cli(code, args)
    return wall, cpu, status


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def make_inputs(folder: Path, texts: Path, n: int) -> int:
    sources = sorted(texts.glob("*.txt"))
    chars = 0
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        (folder / f"{src.stem}-{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000, help="reports (default 3000)")
    ap.add_argument("--texts", type=Path, default=None,
                    help="folder of .txt reports to copy (default: corpus/synth/test.jsonl written out)")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose cli.py runs (default: this one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="workers of the finishing run")
    ap.add_argument("--keep", type=Path, default=None, help="reuse/keep the inputs and output in this folder")
    args = ap.parse_args()

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="govreport-resume-"))
    docs, empty, out = tmp / "docs", tmp / "empty", tmp / "out.jsonl"
    try:
        print(f"machine: {os.cpu_count()} cores, load average {load()} at start (shared machine)")
        if not docs.is_dir() or len(list(docs.glob("*.txt"))) != args.n:
            shutil.rmtree(docs, ignore_errors=True)
            docs.mkdir(parents=True)
            chars = make_inputs(docs, args.texts or write_split_texts(tmp / "texts"), args.n)
            out.unlink(missing_ok=True)
        else:
            chars = sum(len(p.read_text(encoding="utf-8")) for p in docs.glob("*.txt"))
        empty.mkdir(exist_ok=True)
        code = args.code.resolve()
        compile_package(code)
        if not out.is_file():
            w, c, _ = run(code, ["check", str(docs), "--jsonl", str(out), "--workers", str(args.workers)])
            print(f"finishing run: {args.n} reports in {w:.1f} s wall, {c:.1f} CPU-s")
        size = out.stat().st_size
        print(f"output: {size / args.n:,.0f} bytes per report ({chars / args.n:,.0f} characters of text each), "
              f"{size / 1e6:.1f} MB in all")
        noop, resumed, same = [], [], True
        for _ in range(args.repeat):
            (tmp / "noop.jsonl").unlink(missing_ok=True)
            noop.append(run(code, ["check", str(empty), "--jsonl", str(tmp / "noop.jsonl")]))
            before = fingerprint(out)
            resumed.append(run(code, ["check", str(docs), "--jsonl", str(out), "--resume"]))
            same = same and fingerprint(out) == before
        med = lambda xs: statistics.median(xs)  # noqa: E731
        nw, nc = med([r[0] for r in noop]), med([r[1] for r in noop])
        rw, rc = med([r[0] for r in resumed]), med([r[1] for r in resumed])
        print(f"no-op run (check on an empty folder):  {nw:.2f} s wall, {nc:.2f} CPU-s  (median of {args.repeat})")
        print(f"--resume over the finished run:       {rw:.2f} s wall, {rc:.2f} CPU-s")
        print(f"ratio resume / no-op:                  {rw / nw:.2f}× wall, {rc / nc:.2f}× CPU (target ≤ 1.5×)")
        print(f"output untouched (bytes and mtime):    {'yes' if same else 'NO'}")
        print(f"load average at end: {load()}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
