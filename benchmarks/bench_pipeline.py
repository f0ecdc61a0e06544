"""End-to-end throughput and memory: the floor (reading files), each stage, the whole pipeline
on 1 and 2 local workers and through Dask, how time grows with document length, and the
five seed reports themselves (synthetic reports hold more facts per character than the
seeds, so "seed-sized" by characters is the harder of the two measures).

    .venv/bin/python benchmarks/bench_pipeline.py            # 2,000 synthetic documents
    .venv/bin/python benchmarks/bench_pipeline.py --n 200    # a quick look

Prints tables and the issue-7 targets beside the measured figures; nothing is asserted.
The corpus is generated, and each batch run made, in a freshly spawned interpreter, so no
run carries this process's heap; one worker's start-up (imports, models) is shown apart.
The batch runs go 1, 2, 2, 1 workers and their figures are averaged, so a drift in the
machine's speed does not decide the scaling figure (``--no-abba``: 1, 2).
The machine may be shared: every table has wall-clock figures AND CPU-second figures
(documents per CPU-second do not depend on what else runs), and the load average is
printed before and after.  Quote the load average with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.batch import run_batch  # noqa: E402
from nlp.component import Work  # noqa: E402
from nlp.corpus.synth import generate  # noqa: E402
from nlp.pipeline import Pipeline, narrative_spans  # noqa: E402
from nlp.pipeline import read_document  # noqa: E402
from nlp.reconcile import reconcile  # noqa: E402
from nlp.tables import parse_tables  # noqa: E402
from nlp.types import Record  # noqa: E402

SEED = ROOT / "corpus" / "seeds" / "004_d20f3da8d3ab99e3.txt"
TARGET_DOCS_PER_S = 25.0   # seed-sized documents / second, one core (issue 7)
TARGET_PEAK_MIB = 1024.0
TARGET_SCALING = 1.7


def peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def child_cpu() -> float:
    """CPU seconds of reaped child processes (pool workers) so far."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def write_corpus(folder: Path, n: int, seed: int) -> tuple[list[Path], int]:
    paths, chars = [], 0
    for rec in generate(n, seed):
        path = folder / f"{rec.id}.txt"
        path.write_text(rec.text, encoding="utf-8")
        paths.append(path)
        chars += len(rec.text)
    return paths, chars


def _corpus_child(conn, folder: str, n: int, seed: int) -> None:
    conn.send(write_corpus(Path(folder), n, seed))


def _batch_child(conn, docs: str, out: str, workers: int, models: str) -> None:
    """One batch run in a fresh interpreter, as `govreport check` runs: reports its start-up
    (imports and models), then the run itself."""
    t0, c0 = time.perf_counter(), time.process_time()
    from nlp.batch import _pipeline
    _pipeline(str(Path(models).resolve()), False)  # as the pool does before it forks its workers
    startup = time.perf_counter() - t0, time.process_time() - c0
    t1, c1, k1 = time.perf_counter(), time.process_time(), child_cpu()
    summary = run_batch([docs], out, workers=workers, progress=False, models_dir=models)
    conn.send({"startup": startup, "wall": time.perf_counter() - t1,
               "cpu": time.process_time() - c1 + child_cpu() - k1, "failed": summary.failed,
               "peak": max(peak_mib(), peak_mib(resource.RUSAGE_CHILDREN))})


def averaged(runs: list[dict]) -> dict:
    """The mean of batch runs' figures (start-up, wall, CPU), the largest peak memory."""
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    return {"startup": (mean([r["startup"][0] for r in runs]), mean([r["startup"][1] for r in runs])),
            "wall": mean([r["wall"] for r in runs]), "cpu": mean([r["cpu"] for r in runs]),
            "failed": max(r["failed"] for r in runs), "peak": max(r["peak"] for r in runs)}


def total_wall(run: dict) -> float:
    """A batch run's wall seconds, start-up included."""
    return run["wall"] + run["startup"][0]


def in_fresh_process(target, *args):
    """Run ``target(conn, *args)`` in a newly spawned interpreter; what it sends back."""
    from multiprocessing import get_context

    ctx = get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(send, *args))
    proc.start()
    try:
        return recv.recv()
    finally:
        proc.join()


def timed(fn, *args, **kwargs) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return time.perf_counter() - t0, time.process_time() - c0, out


STAGES = ["read+normalize", "segment", "tables", "extract", "link", "reconcile"]


def stage_times(pipe: Pipeline, paths: list[Path]) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds spent in each stage over ``paths``, one core, models loaded once."""
    wall = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)

    def add(stage: str, w: float, c: float) -> None:
        wall[stage] += w
        cpu[stage] += c
    for path in paths:
        w, c, doc = timed(read_document, path)
        add("read+normalize", w, c)
        w, c, lines = timed(pipe.segmenter, Work(doc))
        add("segment", w, c)
        w, c, tables = timed(parse_tables, doc, lines)
        add("tables", w, c)
        spans = narrative_spans(doc, lines, tables.cells)
        w, c, facts = timed(pipe._extract, doc, spans)
        add("extract", w, c)
        if pipe.linker is not None and facts:
            w, c, facts = timed(pipe.linker, Work(doc, lines, tables.template, facts=facts))
            add("link", w, c)
        rec = Record(id=path.stem, text=doc.text, template=tables.template, lines=lines, facts=facts,
                     table={k: c.value for k, c in tables.cells.items() if c.value is not None},
                     missing_cells=tables.missing_cells, cells=tables.cells)
        w, c, _ = timed(reconcile, rec)
        add("reconcile", w, c)
    return {s: (wall[s], cpu[s]) for s in STAGES}


def scaled_text(k: int) -> str:
    """The seed grown to about ``k`` times its length by repeating its 总体情况 narrative
    (more prose, same tables — what makes real reports long)."""
    text = SEED.read_text(encoding="utf-8")
    start, end = text.index("一、总体情况"), text.index("二、主动公开政府信息情况")
    body = text[start:end]
    reps = max(1, round((k * len(text) - (len(text) - len(body))) / len(body)))
    return text[:start] + body * reps + text[end:]


def seed_rate(pipe: Pipeline, rounds: int = 10) -> tuple[float, float]:
    """The five seed reports themselves, one core: documents per CPU-second one at a time,
    and as one chunk (as batch workers take them).  The line feature caches are emptied
    before every document or chunk, so no report profits from having been seen before."""
    from nlp.segment import clear_feature_caches as cold

    paths = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    alone = chunked = 0.0
    for _ in range(rounds):
        for path in paths:
            cold()
            alone += timed(pipe.process, path)[1]
        cold()
        chunked += timed(pipe.process_many, [(p, None) for p in paths])[1]
    return rounds * len(paths) / alone, rounds * len(paths) / chunked


def row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths))


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="synthetic documents (default 2000)")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--stage-sample", type=int, default=300, help="documents timed stage by stage")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-abba", dest="abba", action="store_false",
                    help="one run per worker count instead of 1, 2, 2, 1 workers")
    args = ap.parse_args()

    load_before = load()
    seed_chars = len(SEED.read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    try:
        (tmp / "docs").mkdir()
        # generated in a child: this process keeps no corpus in its heap
        paths, chars = in_fresh_process(_corpus_child, str(tmp / "docs"), args.n, args.seed)
        n = len(paths)
        seed_equiv = chars / seed_chars  # the corpus measured in seed-sized documents
        print(f"machine: {os.cpu_count()} cores, load average {load_before} (1/5/15 min) at start; "
              f"corpus: {n} synthetic documents, {chars / n:.0f} characters on average "
              f"(the seed has {seed_chars}: the corpus is {seed_equiv:.0f} seed-sized documents)\n")

        t_floor, c_floor, _ = timed(lambda: [read_document(p) for p in paths])
        t_bytes, _, _ = timed(lambda: [p.read_bytes() for p in paths])

        t_load, _, pipe = timed(Pipeline.load, args.models)
        sample = paths[: min(n, args.stage_sample)]
        spent = stage_times(pipe, sample)
        total_cpu = sum(c for _, c in spent.values())
        print(f"per stage, one core, {len(sample)} documents (models loaded in {t_load:.1f} s):")
        widths = [16, 10, 12, 10, 8]
        print(row(["stage", "ms/doc", "ms CPU/doc", "docs/CPU-s", "CPU share"], widths))
        for stage, (w, c) in spent.items():
            print(row([stage, f"{1000 * w / len(sample):.2f}", f"{1000 * c / len(sample):.2f}",
                       f"{len(sample) / c:.0f}" if c else "-", f"{100 * c / total_cpu:.0f}%"], widths))
        slowest = max(spent, key=lambda s: spent[s][1])
        print(f"bottleneck: {slowest} ({100 * spent[slowest][1] / total_cpu:.0f}% of CPU time)\n")

        # 1, 2, 2, 1 workers: a drift in the machine's speed (it swings by a third here) weighs
        # on both sides alike instead of deciding the scaling figure
        order = [1, 2, 2, 1] if args.abba else [1, 2]
        done = [in_fresh_process(_batch_child, str(tmp / "docs"), str(tmp / f"w{workers}.jsonl"),
                                 workers, args.models) for workers in order]
        ones = [r for w, r in zip(order, done) if w == 1]
        twos = [r for w, r in zip(order, done) if w == 2]
        one, two = averaged(ones), averaged(twos)
        runs = {"1 worker": one, "2 workers": two}
        results = [("1 worker", total_wall(one), one["cpu"] + one["startup"][1]),
                   ("  after start-up", one["wall"], one["cpu"]),
                   ("2 workers", total_wall(two), two["cpu"] + two["startup"][1])]
        ratios = [total_wall(a) / total_wall(b) for a, b in zip(ones, twos)]  # each 1-then-2 pair
        if not args.no_dask:
            from distributed import Client, LocalCluster
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=":0") as cluster, Client(cluster) as client:
                wd, _, _ = timed(run_batch, [tmp / "docs"], tmp / "dask.jsonl", dask=client, progress=False,
                                 models_dir=args.models)
            results.append(("Dask, 2 workers", wd, None))

        print(f"end to end over {n} documents (read, segment, tables, extract, link, reconcile, write), "
              f"each run in a fresh process, start-up included (imports and models: "
              f"{one['startup'][0]:.1f} s for one worker, shown apart below it):")
        widths = [18, 9, 9, 12, 11, 15, 12]
        print(row(["run", "seconds", "docs/s", "chars/s", "CPU-s", "docs/CPU-s", "× floor"], widths))
        print(row(["read only (floor)", f"{t_floor:.1f}", f"{n / t_floor:.0f}", f"{chars / t_floor:.0f}",
                   f"{c_floor:.1f}", f"{n / c_floor:.0f}", "1.0"], widths))
        for name, sec, cpu in results:
            print(row([name, f"{sec:.1f}", f"{n / sec:.1f}", f"{chars / sec:.0f}",
                       "-" if cpu is None else f"{cpu:.1f}", "-" if not cpu else f"{n / cpu:.1f}",
                       f"{sec / t_floor:.1f}"], widths))
        print(f"(raw file bytes alone: {t_bytes:.2f} s; failed documents: {one['failed']})")
        peak_runs = max(r["peak"] for r in runs.values())
        print(f"peak memory: largest process of the batch runs {peak_runs:.0f} MiB; this process "
              f"(models, stage timing) {peak_mib():.0f} MiB\n")

        print("time vs document length (one core, one document, best of 5):")
        widths = [8, 10, 10, 12]
        print(row(["length", "chars", "ms", "ms/1k chars"], widths))
        for k in (1, 4, 16):
            text = scaled_text(k)
            best = min(timed(pipe.process_text, text, f"x{k}")[0] for _ in range(5))
            print(row([f"{k}×", str(len(text)), f"{1000 * best:.1f}", f"{1e6 * best / len(text):.2f}"], widths))

        seeds_alone, seeds_per_cpu = seed_rate(pipe)
        print(f"\nthe five seed reports, one core, cold feature caches: {seeds_alone:.1f} documents per "
              f"CPU-second one at a time, {seeds_per_cpu:.1f} as one chunk")

        # seed-sized documents per second on one core: wall clock, and per CPU-second
        w1, c1 = one["wall"], one["cpu"]  # the steady rate: start-up is a fixed cost per run
        seed_per_s = seed_equiv / w1
        seed_per_cpu = seed_equiv / c1 if c1 else 0.0
        with_startup = seed_equiv / results[0][2]
        scaling = results[0][1] / results[2][1]
        print(f"\nload average at end: {load()}")
        print("targets (issue 7):")
        print(f"  seed-sized docs/s, one core:  {seed_per_s:.1f} wall, {seed_per_cpu:.1f} per CPU-second after "
              f"start-up, {with_startup:.1f} with it (target ≥ {TARGET_DOCS_PER_S:.0f}: "
              f"{verdict(seed_per_cpu >= TARGET_DOCS_PER_S)} after start-up, "
              f"{verdict(with_startup >= TARGET_DOCS_PER_S)} with it)")
        print(f"  the seeds themselves:         {seeds_per_cpu:.1f} per CPU-second "
              f"(target ≥ {TARGET_DOCS_PER_S:.0f}: {verdict(seeds_per_cpu >= TARGET_DOCS_PER_S)})")
        print(f"  peak memory:                  {peak_runs:.0f} MiB "
              f"(target < {TARGET_PEAK_MIB:.0f}: {verdict(peak_runs < TARGET_PEAK_MIB)})")
        print(f"  2 workers vs 1:               {scaling:.2f}× (target ≥ {TARGET_SCALING}: {verdict(scaling >= TARGET_SCALING)};"
              f" meaningless unless two cores are free); start-up included, runs in the order "
              f"{', '.join(map(str, order))} workers, pairs {', '.join(f'{r:.2f}' for r in ratios)}; "
              f"after start-up {one['wall'] / two['wall']:.2f}×")
        print(f"  end to end vs floor:          {w1 / t_floor:.1f}× the time to read the files (CPU: {c1 / c_floor:.1f}×)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
