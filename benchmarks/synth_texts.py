"""The synthetic test split written out as ``.txt`` reports: the benchmarks' default inputs.

    from synth_texts import write_split_texts   # a benchmark script's own folder is on sys.path
    folder = write_split_texts(tmp / "texts")   # corpus/synth/test.jsonl -> tmp/texts/<id>.txt

Each record's ``text`` is written as is (UTF-8, newlines untouched) to ``<id>.txt``, so
anyone can run the benchmarks from a checkout: no folder outside the repository needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPLIT = ROOT / "corpus" / "synth" / "test.jsonl"


def write_split_texts(folder: Path, split: Path = SPLIT) -> Path:
    """Write every record of ``split`` (a corpus JSONL file) to ``folder/<id>.txt``; returns ``folder``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from nlp.corpus import iter_records

    folder.mkdir(parents=True, exist_ok=True)
    for rec in iter_records(split):
        with open(folder / f"{rec.id}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(rec.text)
    return folder
