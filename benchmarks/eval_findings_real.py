"""Findings on real reports: what a reviewer would be asked to act on, and how much of it is true.

Runs the shipped pipeline end to end and prints the README's headline table:

* realdev openings (../shared/realdev/realdev.jsonl, no gold findings): warnings and errors
  per report, each listed with its evidence for a reader to classify (``--list``);
* the whole real report (../shared/realdev/whole/*.json): found of its ``must`` findings,
  false alarms (warnings/errors it does not expect);
* seed mutants (nlp.evaluate.mutants): precision and recall of the injected inconsistencies;
* the seeds' gold findings at alarm level, and the synthetic test split beside them.

realdev is for evaluation only and may be absent (users of the toolkit do not have it):
its rows are then skipped with a note.

    .venv/bin/python benchmarks/eval_findings_real.py [--models models] [--list] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.corpus import load_records  # noqa: E402
from nlp.evaluate.findings import (alarms_on_openings, findings_at_alarm_level, predict_records,  # noqa: E402
                                   whole_report_findings)
from nlp.evaluate.mutants import score_mutants, seed_mutants  # noqa: E402
from nlp.pipeline import Pipeline  # noqa: E402

def realdev_dir(arg: str | None) -> Path:
    """``--realdev``, else ../shared/realdev beside the checkout or beside its worktrees' folder."""
    if arg:
        return Path(arg)
    cands = (ROOT.parent / "shared" / "realdev", ROOT.parent.parent / "shared" / "realdev")
    return next((c for c in cands if c.is_dir()), cands[0])


def run(models: str, realdev: Path, corpus: Path) -> dict:
    pipe = Pipeline.load(models)
    out: dict = {}
    if (realdev / "realdev.jsonl").is_file():
        out["openings"] = alarms_on_openings(load_records(realdev / "realdev.jsonl"), pipe)
    out["whole"] = [whole_report_findings(json.loads(p.read_text(encoding="utf-8")), pipe)
                    for p in sorted((realdev / "whole").glob("*.json"))] if (realdev / "whole").is_dir() else []
    seeds = load_records(corpus / "seeds.jsonl")
    mutants, _ = seed_mutants(seeds, pipe)
    out["mutants"] = score_mutants(mutants, seeds, pipe)
    out["seeds"] = _pr(findings_at_alarm_level(seeds, predict_records(seeds, pipe)))
    synth = corpus / "synth" / "test.jsonl"
    if synth.is_file():
        gold = load_records(synth)
        out["synthetic"] = _pr(findings_at_alarm_level(gold, predict_records(gold, pipe)))
    return out


def _pr(m: dict) -> dict:
    return {**{k: m["micro"][k] for k in ("precision", "recall", "tp", "fp", "fn")}, "errors": m["errors"]}


def headline(out: dict) -> list[tuple[str, str]]:
    rows = []
    op = out.get("openings")
    if op:
        rows.append((f"realdev openings ({op['reports']}): warnings+errors per report",
                     f"{op['per_report']:.3f} ({op['alarms']} in {op['reports_with_alarms']} reports; "
                     + ", ".join(f"{k} {v}" for k, v in op["by_type"].items()) + ")"))
    else:
        rows.append(("realdev openings", "absent: skipped"))
    for w in out["whole"]:
        rows.append((f"whole real report {w['id']}: false alarms",
                     f"{len(w['false_alarms'])} (found {w['found']}/{w['must']} expected; {w['info']} info)"))
    m = out["mutants"]["micro"]
    rows.append((f"seed mutants ({m['mutants']}): P / R",
                 f"{m['precision']:.3f} / {m['recall']:.3f} (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"))
    s = out["seeds"]
    rows.append(("seeds' gold findings, warnings+errors: P / R",
                 f"{s['precision']:.3f} / {s['recall']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"))
    if "synthetic" in out:
        s = out["synthetic"]
        rows.append(("synthetic test split, warnings+errors: P / R",
                     f"{s['precision']:.3f} / {s['recall']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--realdev", default=None, help="folder with realdev.jsonl and whole/ (default ../shared/realdev)")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--list", action="store_true", help="list every alarm with its evidence")
    ap.add_argument("--json", default=None, help="write every figure and error list here")
    args = ap.parse_args()
    t0, c0 = time.time(), time.process_time()
    out = run(args.models, realdev_dir(args.realdev), Path(args.corpus))
    width = max(len(k) for k, _ in headline(out))
    print("findings on real reports (end to end, shipped models)")
    for k, v in headline(out):
        print(f"  {k:<{width}}  {v}")
    if args.list:
        for row in (out.get("openings") or {}).get("rows", []):
            print(f"  {row['id']} {row['severity']} {row['type']} {row['indicator']} "
                  f"{row['narrative_value']}/{row['table_value']} on_gold={row['on_gold']} | {row['evidence']}")
        for w in out["whole"]:
            for f in w["false_alarms"]:
                print(f"  {w['id']} {f['severity']} {f['type']} {f['indicator']} | {f['evidence']}")
        for e in out["mutants"]["errors"]:
            print("  mutant", json.dumps(e, ensure_ascii=False)[:300])
    print(f"  ({time.time() - t0:.1f} s wall, {time.process_time() - c0:.1f} CPU-s)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
