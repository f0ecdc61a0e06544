"""The issue-21 figures in one run: speed per CPU-second against the read floor and a plain
regex checker, stage shares on the CLI's chunked path, linearity in length, start-up,
memory against batch size, and 2 workers against 1.

    .venv/bin/python benchmarks/bench_speed.py                       # every part, full sizes
    .venv/bin/python benchmarks/bench_speed.py --n 300 --mem 300,1000 --scaling 500   # a quicker look
    .venv/bin/python benchmarks/bench_speed.py --only startup,length

Inputs are copies of the synthetic test split written out as text (``--texts``: a folder
of ``.txt`` reports; by default corpus/synth/test.jsonl is written to a temporary folder), repeated to the size each part needs.  Only stable entry points are
used: ``govreport check`` in fresh processes (start-up included, as a user runs it, with its
bytecode written: ``measure.py``),
``Pipeline.load``/``process_text``, ``nlp.batch.process_chunk`` (what every batch worker
calls: chunks of ``CHUNK`` documents, one extractor call each) and the reader.

- distinct: the same, but each round of copies has its figures scaled (years kept), so a
  line with a figure is never seen twice, as in a corpus of real reports; the repeated split
  reuses every line's features, tokens and embeddings after its first copy (the first sight
  of a report costs about twice a repeat);
- stage shares: a sampling profiler (``ITIMER_PROF``, every 2 ms of CPU) over
  ``process_chunk``; each sample goes to the outermost stage module on the stack
  (``nlp.read*``/``normalize`` → read, ``nlp.segment*``, ``nlp.tables*``, ``nlp.extract*``,
  ``nlp.link*``, ``nlp.reconcile*``), anything else to "pipeline, records, other";
- length: one report grown to 1×, 4×, 16×, 64× its length by *distinct* narrative
  paragraphs (taken from the other reports, numbers changed so none repeats), each put in
  the part of the report it was written for; CPU ms per 1,000 characters, the median of
  five first sights (figures scaled, so no run gains from the per-line caches a repeat
  would hit).  Twice: the report as it is, and its narrative alone (its table lines
  dropped) grown by the same paragraphs from 1× on.  The added prose holds about 2.5
  times the figures per character of a report whose tables are half its lines, so only
  the second series keeps one make-up at every length; the first shows what a longer
  report of denser prose costs;
- memory: the peak RSS of ``check`` (largest of the process and its reaped workers) on
  two batch sizes; 2 workers vs 1: wall seconds of ``check --workers 1|2`` on the same
  reports, with the load average before and after (meaningless unless two cores are free).

Nothing is asserted.  The machine may be shared: CPU-second figures hold either way, wall
figures and the scaling ratio do not — quote the load averages printed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "corpus" / "seeds" / "004_d20f3da8d3ab99e3.txt"
from measure import compile_package, run_cli  # noqa: E402 — this folder is on sys.path when run as a script
from synth_texts import write_split_texts  # noqa: E402
PARTS = ("floor", "stages", "length", "startup", "end2end", "distinct", "memory", "scaling")
STAGES = (("nlp.read", "read"), ("nlp.normalize", "read"), ("nlp.segment", "segment"),
          ("nlp.tables", "tables"), ("nlp.extract", "extract"), ("nlp.link", "link"), ("nlp.reconcile", "reconcile"))
OTHER = "pipeline, records, other"


def load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def copies(folder: Path, texts: list[Path], n: int, distinct: bool = False) -> tuple[Path, int]:
    """``n`` reports in ``folder`` (the texts repeated, each copy its own file name); chars.
    ``distinct``: the k-th round of copies has every figure times k + 1 (years kept), so no
    copy repeats a line with a figure of an earlier one, as in a corpus of real reports,
    while its tables still add up and its prose still matches them."""
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        src = texts[i % len(texts)]
        text = src.read_text(encoding="utf-8")
        if distinct and i >= len(texts):
            text = scaled(text, i // len(texts) + 1)
        (folder / f"{src.stem}-{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return folder, chars


_FIGURE = re.compile(r"(?<![0-9.])[0-9]+(?![0-9.])")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def scaled(text: str, factor: int) -> str:
    """Every whole figure of ``text`` times ``factor``, but years (19xx/20xx)."""
    return _FIGURE.sub(lambda m: m.group() if _YEAR.fullmatch(m.group()) else str(int(m.group()) * factor), text)


def cli(*args: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of ``govreport args`` in a fresh
    interpreter, its worker processes included (``measure.run_cli``)."""
    wall, cpu_s, peak, _status = run_cli(ROOT, list(args))
    return wall, cpu_s, peak


def reader():
    from nlp.read import read

    return read


def cpu(fn, *args):
    c0 = time.process_time()
    out = fn(*args)
    return time.process_time() - c0, out


# ---------------------------------------------------------------- floor and regex checker
def regex_checker(paths: list[Path]) -> int:
    """The plainest checker: Arabic figures followed by a unit word of the lexicon."""
    from nlp.lexicon import units

    words = sorted(units().all, key=len, reverse=True)
    pattern = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(" + "|".join(map(re.escape, words)) + ")")
    found = 0
    for p in paths:
        text = p.read_text(encoding="utf-8")
        found += sum(1 for m in pattern.finditer(text) if float(m.group(1)) >= 0)
    return found


# ---------------------------------------------------------------- stage shares
def stage_of(frame) -> str:
    """The outermost stage module on the stack (a stage's helpers count for the stage)."""
    stage = OTHER
    while frame is not None:
        mod = frame.f_globals.get("__name__", "")
        for prefix, name in STAGES:
            if mod.startswith(prefix):
                stage = name
        frame = frame.f_back
    return stage


def stage_shares(paths: list[Path], models: str) -> tuple[Counter, float]:
    """Samples per stage over ``process_chunk`` on ``paths`` (chunks of ``CHUNK``), and the
    CPU seconds it took."""
    from nlp import batch

    items = [(str(p), p.stem) for p in paths]
    groups = [items[i:i + batch.CHUNK] for i in range(0, len(items), batch.CHUNK)]
    batch.process_chunk(groups[0], models, False, None)  # models loaded, caches warm: not sampled
    counts: Counter = Counter()

    def sample(signum, frame):
        counts[stage_of(frame)] += 1

    previous = signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, 0.002, 0.002)
    c0 = time.process_time()
    try:
        for group in groups:
            batch.process_chunk(group, models, False, None)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    return counts, time.process_time() - c0


# ---------------------------------------------------------------- length
TABLE_PARTS = ("active", "requests", "review")  # their prose goes above their tables


def grown(pipe, base: str, pool: list[tuple[str, str]], size: int) -> str:
    """``base`` grown to about ``size`` characters by distinct paragraphs, each inserted in
    the part of the report it was written for (``pool``: section, paragraph; taken in
    order, so the parts grow in the reports' own proportions): a long real report is
    long in every part, and prose of one part in another misleads the segmenter."""
    rec = pipe.process_text(base, "base")
    base = rec.text  # the lines' offsets are the read text's (indents, widths normalized)
    ends: dict[str, int] = {}  # where each part's prose goes: a table part's under its heading
    for ln in rec.lines:
        if ln.end > ln.start and (ln.section not in ends or ln.section not in TABLE_PARTS):
            ends[ln.section] = ln.end
    added: dict[str, list[str]] = {}
    total, i = len(base), 0
    while total < size:
        section, para = pool[i % len(pool)]
        if i >= len(pool):  # the pool went round: change its figures so none repeats
            para = re.sub(r"[0-9]+", lambda m: str(int(m.group()) + i), para)
        i += 1
        if section in ends:  # a part the report lacks (its text cut short) gets none
            added.setdefault(section, []).append(para)
            total += len(para) + 1
    out, at = [], 0
    for part, end in sorted(((p, e) for p, e in ends.items() if p in added), key=lambda pe: pe[1]):
        out += [base[at:end], "\n", "\n".join(added[part])]
        at = end
    return "".join(out) + base[at:]


def narrative_only(pipe, text: str) -> str:
    """``text`` without its tables: the title, preamble, overview, problems and other
    sections, and every heading, so a grown report keeps one make-up."""
    rec = pipe.process_text(text, "base")
    keep = ("title", "preamble", "overview", "problems", "other")
    return "\n".join(text[ln.start:ln.end] for ln in rec.lines if ln.section in keep or ln.heading)


def narrative_paragraphs(pipe, texts: list[Path]) -> list[tuple[str, str]]:
    """Distinct prose lines (no headings, no table lines) of the narrative sections, each
    with its section."""
    seen, out = set(), []
    for p in texts:
        text = p.read_text(encoding="utf-8")
        rec = pipe.process_text(text, p.stem)
        table_lines = {c.line for c in (rec.cells or {}).values() if c.line is not None}
        for i, ln in enumerate(rec.lines):
            para = text[ln.start:ln.end].strip()
            if (ln.section in ("overview", "active", "requests", "review", "problems") and not ln.heading
                    and i not in table_lines and len(para) >= 30 and para not in seen):
                seen.add(para)
                out.append((ln.section, para))
    return out


def length_series(pipe, base: str, paragraphs: list[str], unit: int, title: str) -> None:
    """CPU per character of ``base`` grown to 1, 4, 16 and 64 times ``unit`` characters;
    each timing is of a text never seen before (its figures scaled: the median of five),
    as in a batch of real reports, so no length gains from the per-line caches."""
    print(f"  {title}")
    print(f"  {'length':<7} {'chars':>8} {'ms':>9} {'ms/1k chars':>12} {'facts/1k':>9} {'µs/fact':>8}")
    first = None
    for k in (1, 4, 16, 64):
        text = grown(pipe, base, paragraphs, k * unit)
        runs = [cpu(pipe.process_text, scaled(text, factor), f"x{k}") for factor in (3, 7, 11, 13, 17)]
        if runs[0][1].error is not None:  # a refusal is not a timing of the pipeline
            raise SystemExit(f"length {k}×: {runs[0][1].error.message}")
        took = statistics.median(t for t, _ in runs)
        per = 1e6 * took / len(text)
        first = first or per
        facts = len(runs[0][1].facts)
        print(f"  {k}×{'':<5} {len(text):>8} {1000 * took:>9.1f} {per:>12.2f} {1000 * facts / len(text):>9.1f} "
              f"{1e6 * took / max(facts, 1):>8.0f}"
              + ("" if k == 1 else f"   ({100 * (per / first - 1):+.0f} % per character vs 1×; target within 15 %)"))


# ---------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, default=None,
                    help="folder of .txt reports (default: corpus/synth/test.jsonl written out to a temporary folder)")
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--n", type=int, default=1000, help="reports of the end-to-end run (default 1000)")
    ap.add_argument("--stage-docs", type=int, default=300, help="reports sampled for stage shares")
    ap.add_argument("--mem", default="1000,10000", help="two batch sizes for peak memory (default 1000,10000)")
    ap.add_argument("--scaling", type=int, default=2000, help="reports of the 1- vs 2-worker runs (default 2000)")
    ap.add_argument("--only", default=",".join(PARTS), help=f"parts to run, of {','.join(PARTS)}")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="govreport-speed-"))
    texts = sorted((args.texts or write_split_texts(tmp / "texts")).glob("*.txt"))
    seed_chars = len(SEED.read_text(encoding="utf-8"))
    split_chars = sum(len(p.read_text(encoding="utf-8")) for p in texts)
    compile_package(ROOT)
    print(f"machine: {os.cpu_count()} cores, load average {load()} at start (wall figures need idle cores)")
    print(f"texts: {len(texts)} synthetic test reports, {split_chars / len(texts):.0f} characters on average "
          f"(the seed has {seed_chars})\n")
    read = reader()
    try:
        if "floor" in parts or "end2end" in parts:
            c_floor, _ = cpu(lambda: [read(p) for p in texts])
            c_bytes, _ = cpu(lambda: [p.read_bytes() for p in texts])
            c_regex, found = cpu(regex_checker, texts)
            print(f"read-only floor (reader, in this process): {len(texts) / c_floor:.0f} docs per CPU-s; "
                  f"plain regex checker: {len(texts) / c_regex:.0f} docs per CPU-s ({found} figures); "
                  f"raw bytes: {len(texts) / max(c_bytes, 1e-6):.0f} docs per CPU-s")

        if "startup" in parts:
            runs = [cli("check", str(texts[0]), "--jsonl", str(tmp / "one.jsonl")) for _ in range(3)]
            med = [statistics.median(r[i] for r in runs) for i in range(3)]
            print(f"start-up: `govreport check` on one file: {med[1]:.2f} CPU-s, {med[0]:.2f} s wall, "
                  f"{med[2]:.0f} MiB peak (median of 3; target ≤ 0.6 CPU-s)")

        if "end2end" in parts:
            docs, chars = copies(tmp / "e2e", texts, args.n)
            w, c, peak = cli("check", str(docs), "--jsonl", str(tmp / "e2e.jsonl"))
            # the floor as the issue measured everything else: a whole process, start-up included
            _w, c_read, _peak = cli("read", str(docs))  # its text goes to /dev/null
            seedsized = chars / seed_chars
            floor_cpu = c_floor * args.n / len(texts)
            regex_cpu = c_regex * args.n / len(texts)
            print(f"end to end, `check` on {args.n} reports, 1 worker, start-up included: {w:.1f} s wall, "
                  f"{c:.1f} CPU-s → {args.n / c:.1f} docs per CPU-s, {seedsized / c:.1f} seed-sized "
                  f"(target ≥ 60); {c / floor_cpu:.1f}× the read floor (target ≤ 6), "
                  f"{c / regex_cpu:.0f}× the regex checker; {(tmp / 'e2e.jsonl').stat().st_size / args.n:,.0f} "
                  f"bytes of output per report")
            print(f"  against `govreport read` on the same reports, a whole process as well "
                  f"({c_read:.2f} CPU-s, start-up included): {c / c_read:.1f}×")
            shutil.rmtree(docs, ignore_errors=True)

        if "distinct" in parts:  # what a corpus of real reports gets: no line with a figure seen twice
            docs, chars = copies(tmp / "distinct", texts, args.n, distinct=True)
            w, c, peak = cli("check", str(docs), "--jsonl", str(tmp / "distinct.jsonl"))
            print(f"end to end, `check` on {args.n} reports whose figures differ copy to copy, start-up "
                  f"included: {c:.1f} CPU-s → {args.n / c:.1f} docs per CPU-s, {chars / seed_chars / c:.1f} "
                  f"seed-sized (the repeated split above reuses every line's features after its first copy)")
            shutil.rmtree(docs, ignore_errors=True)

        if "stages" in parts:
            sample = [texts[i % len(texts)] for i in range(args.stage_docs)]
            counts, spent = stage_shares(sample, str(Path(args.models).resolve()))
            total = sum(counts.values()) or 1
            print(f"\nstage shares on the CLI's chunked path (process_chunk, {len(sample)} reports, "
                  f"{len(sample) / spent:.1f} docs per CPU-s here, {total} samples):")
            for stage, n in counts.most_common():
                print(f"  {stage:<26} {100 * n / total:5.1f} %")

        if "length" in parts:
            from nlp.pipeline import Pipeline

            pipe = Pipeline.load(args.models)
            paragraphs = narrative_paragraphs(pipe, texts)
            base = pipe.process_text(texts[0].read_text(encoding="utf-8"), "base").text  # as read: 1× is itself
            print(f"\ntime vs length (one report grown by distinct paragraphs, {len(paragraphs)} in the pool; "
                  f"CPU, median of 5 first sights):")
            length_series(pipe, base, paragraphs, len(base), "the report with its tables (1× as it is)")
            length_series(pipe, narrative_only(pipe, base), paragraphs, len(base),
                          "its narrative alone, grown from 1× on: one make-up at every length")

        if "memory" in parts:
            small, large = (int(x) for x in args.mem.split(","))
            print()
            peaks = {}
            for n in (small, large):
                docs, _ = copies(tmp / f"mem{n}", texts, n)
                w, c, peak = cli("check", str(docs), "--jsonl", str(tmp / f"mem{n}.jsonl"))
                peaks[n] = peak
                print(f"memory: {n} reports, 1 worker: peak RSS {peak:.0f} MiB ({w:.0f} s wall, {c:.0f} CPU-s)")
                shutil.rmtree(docs, ignore_errors=True)
                (tmp / f"mem{n}.jsonl").unlink(missing_ok=True)
            print(f"memory: {large} vs {small} reports: {peaks[large] / peaks[small]:.2f}× (target ≤ 1.1×)")

        if "scaling" in parts:
            # repeated copies favour one worker: it meets every line's cached features six
            # times more, where each of two workers must compute them once; distinct
            # copies (as a corpus of real reports) share nothing between workers
            for distinct in (False, True):
                docs, _ = copies(tmp / "scale", texts, args.scaling, distinct=distinct)
                before = load()
                one = cli("check", str(docs), "--jsonl", str(tmp / "w1.jsonl"), "--workers", "1")
                two = cli("check", str(docs), "--jsonl", str(tmp / "w2.jsonl"), "--workers", "2")
                kind = "distinct" if distinct else "repeated"
                print(f"\n2 workers vs 1 on {args.scaling} {kind} reports: 1 worker {one[0]:.1f} s wall "
                      f"({one[1]:.1f} CPU-s), 2 workers {two[0]:.1f} s wall ({two[1]:.1f} CPU-s) → "
                      f"{one[0] / two[0]:.2f}× (target ≥ 1.85× on two free cores); load average before "
                      f"{before}, after {load()}")
                shutil.rmtree(docs, ignore_errors=True)
        print(f"\nload average at end: {load()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
