"""Do two runs agree?  Compare the records of two ``govreport check --jsonl`` outputs.

    .venv/bin/python benchmarks/diff_records.py BEFORE.jsonl AFTER.jsonl

Per document (matched by id): the error, the lines (offsets, section, heading flag), the
facts (span, label, value, unit, qualifier flag, indicator), the table cells read, the
cells seen blank, the findings, agency, year, template and coverage.  Confidences and
versions are left out: a refactor that keeps every answer may still re-save a model card.
Prints each difference and the count; exits 1 when there is one.  How issue 17's
refactor was shown to change nothing: a run on the seeds and the synthetic test split
before, one after, compared with this.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load(path: Path) -> dict[str, dict]:
    return {rec["id"]: rec for rec in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if rec}


def _sorted(items: list[dict], keys: tuple[str, ...]) -> list[str]:
    return sorted(json.dumps({k: x.get(k) for k in keys}, ensure_ascii=False, sort_keys=True) for x in items)


def all_lines(rec: dict) -> list[dict]:
    """Every line of a record; a compact one (``lines_compact``) leaves out the empty lines
    that only continue a section, and ``Record.from_dict`` puts them back."""
    if not rec.get("lines_compact"):
        return rec.get("lines") or []
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from nlp.types import Record

    return [ln.to_dict() for ln in Record.from_dict(rec).lines]


def answers(rec: dict) -> dict:
    """What a run said of one document, without confidences and versions."""
    lines = [(ln["start"], ln["end"], ln.get("section"), ln.get("heading", False)) for ln in all_lines(rec)]
    facts = _sorted(rec.get("facts") or [], ("start", "end", "text", "label", "value", "unit", "approx", "indicator"))
    findings = sorted(json.dumps({k: v for k, v in f.items() if k != "confidence"}, ensure_ascii=False, sort_keys=True)
                      for f in rec.get("findings") or [])
    return {"error": rec.get("error"), "lines": lines, "facts": facts, "table": rec.get("table"),
            "missing_cells": rec.get("missing_cells"), "findings": findings, "agency": rec.get("agency"),
            "year": rec.get("year"), "template": rec.get("template"), "coverage": rec.get("coverage")}


def differences(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    out = []
    for rid in sorted(set(before) | set(after)):
        if rid not in after or rid not in before:
            out.append(f"{rid}: only in {'before' if rid in before else 'after'}")
            continue
        a, b = answers(before[rid]), answers(after[rid])
        out += [f"{rid}: {field} differs" for field in a if a[field] != b[field]]
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = (load(Path(p)) for p in argv)
    found = differences(before, after)
    print("\n".join(found + [f"{len(after)} records compared with {len(before)}: {len(found)} differences"]))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
