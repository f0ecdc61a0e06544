"""Dask against local workers, and Dask workers' memory across runs on one cluster.

    .venv/bin/python benchmarks/bench_dask.py                 # 2,000 reports, 3 runs each
    .venv/bin/python benchmarks/bench_dask.py --n 500 --runs 2

Writes the synthetic test split's texts (``corpus/synth/test.jsonl``) into a temporary
folder, repeated until it holds ``--n`` reports, then on the same reports:

- ``run_batch(..., workers=W)``: the CLI's local worker processes, ``--runs`` times;
- ``run_batch(..., dask=client)`` on one ``LocalCluster`` of W single-threaded worker
  processes, ``--runs`` times after one warm-up run (each worker loads the models once),
  with each worker's resident memory after every run.

The two kinds of run take turns (local, dask, dask, local, …): a machine whose load
changes during the benchmark would otherwise favour whichever ran first.

Prints the median wall seconds of each, their ratio (issue 21: Dask within 10 % of local
workers) and the workers' memory run by run (stable across runs).  Wall figures need
free cores: the load averages before and after are printed; repeat when they were high.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# As `govreport check` runs (cli._one_blas_thread) and as Dask's nanny starts its workers:
# numpy's BLAS on one thread per process, set before numpy loads.  Without it the local
# workers ran two BLAS threads each on two cores and the comparison favoured Dask.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(ROOT))


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def write_reports(folder: Path, n: int) -> list[Path]:
    """``n`` report texts from the synthetic test split, repeated (distinct file names)."""
    from nlp.corpus import load_records

    texts = [r.text for r in load_records(ROOT / "corpus" / "synth" / "test.jsonl")]
    paths = []
    for k in range(n):
        path = folder / f"r{k:05d}.txt"
        path.write_text(texts[k % len(texts)], encoding="utf-8")
        paths.append(path)
    return paths


def worker_rss_mib() -> float:
    import resource
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2 ** 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="reports per run (default 2000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    from nlp.batch import run_batch

    print(f"load average at start: {load()}")
    with tempfile.TemporaryDirectory(prefix="govreport-dask-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_reports(folder, args.n)
        out = Path(tmp) / "out.jsonl"

        def timed(**kw) -> float:
            out.unlink(missing_ok=True)
            t0 = time.perf_counter()
            summary = run_batch([folder], out, progress=False, **kw)
            seconds = time.perf_counter() - t0
            assert summary.total == args.n, summary
            return seconds

        local, dask = [], []
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            timed(dask=client)  # warm-up: every worker loads the models
            memory = [sorted(client.run(worker_rss_mib).values())]
            for k in range(args.runs):  # in turn, so a change in the machine's load weighs on both
                for kind in (("local", "dask") if k % 2 == 0 else ("dask", "local")):
                    if kind == "local":
                        local.append(timed(workers=args.workers))
                    else:
                        dask.append(timed(dask=client))
                        memory.append(sorted(client.run(worker_rss_mib).values()))
    m_local, m_dask = statistics.median(local), statistics.median(dask)
    print(f"{args.n} reports, {args.workers} workers")
    print(f"local workers: {m_local:.1f} s wall (median of {args.runs}; {args.n / m_local:.0f} reports/s)")
    print(f"dask:          {m_dask:.1f} s wall (median of {args.runs}; {args.n / m_dask:.0f} reports/s); "
          f"dask / local = {m_dask / m_local:.2f} (target ≤ 1.10)")
    print("dask workers' resident memory (MiB) after the warm-up, then after each run:")
    for k, row in enumerate(memory):
        print(f"  {'warm-up' if k == 0 else f'run {k}':8} " + "  ".join(f"{x:.0f}" for x in row))
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
