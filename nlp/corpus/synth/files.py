"""Corpus files: JSONL splits, rendered documents, and the distribution of a corpus."""

from __future__ import annotations

from nlp.corpus.synth.generate import generate
from nlp.types import Record


# The shipped splits: distinct seeds so no document repeats across splits.
SPLITS = {"train": (1500, 1001), "dev": (200, 2002), "test": (300, 3003)}


def dumps(record: Record) -> str:
    """One compact JSON line (the corpus is large; separators without spaces)."""
    import json

    return json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))


def render_blocks(record: Record) -> list:
    """The record's text as render blocks (paragraphs + table grids), via the readers."""
    from nlp.corpus.render import blocks_from_document
    from nlp.pipeline import document_from_text

    return blocks_from_document(document_from_text(record.text, record.id))


def write_documents(records: list[Record], out_dir, formats: list[str]) -> int:
    """Write each record as ``<id>.<fmt>`` under ``out_dir/<fmt>/``; returns files written."""
    from pathlib import Path

    out = Path(out_dir)
    written = 0
    for fmt in formats:
        if fmt not in ("txt", "docx", "html", "pdf"):
            raise ValueError(f"unknown format {fmt!r}; expected txt, docx, html or pdf")
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for rec in records:
        blocks = None
        for fmt in formats:
            path = out / fmt / f"{rec.id}.{fmt}"
            if fmt == "txt":
                path.write_text(rec.text, encoding="utf-8")
            else:
                from nlp.corpus import render

                blocks = blocks if blocks is not None else render_blocks(rec)
                {"docx": render.render_docx, "html": render.render_html, "pdf": render.render_pdf}[fmt](blocks, path)
            written += 1
    return written


def write_corpus(out_dir, n: int, seed: int, *, name: str = "synth.jsonl", formats: list[str] | None = None,
                 error_rate: float = 0.3, truncate_rate: float = 0.35, id_prefix: str = "synth"):
    """Generate ``n`` records into ``out_dir/name`` (JSONL) and optionally rendered files."""
    from pathlib import Path

    from nlp.persist import atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = generate(n, seed, error_rate=error_rate, truncate_rate=truncate_rate, id_prefix=id_prefix)
    atomic_write_text(out / name, "".join(dumps(r) + "\n" for r in records))
    if formats:
        write_documents(records, out, formats)
    return out / name


def write_splits(out_dir="corpus/synth", *, formats: list[str] | None = None) -> list:
    """Regenerate the shipped train/dev/test splits (seeds in ``SPLITS``)."""
    return [write_corpus(out_dir, n, seed, name=f"{split}.jsonl", formats=formats, id_prefix=f"synth-{split}")
            for split, (n, seed) in SPLITS.items()]


def distribution(records: list[Record]) -> dict[str, dict[str, int]]:
    """How often each label, indicator, phrasing family, layout and injection occurs.

    Families count documents (``notes.families``); indicators and labels count facts.
    """
    from collections import Counter

    out: dict[str, Counter] = {k: Counter() for k in ("labels", "indicators", "families", "layouts", "injected")}
    for r in records:
        notes = r.notes if isinstance(r.notes, dict) else {}
        out["layouts"][notes.get("layout", "?")] += 1
        out["families"].update(notes.get("families", []))
        out["injected"].update(notes.get("injected", []))
        for f in r.facts:
            out["labels"][f.label] += 1
            out["indicators"][f.indicator or "null"] += 1
    return {k: dict(v.most_common()) for k, v in out.items()}
