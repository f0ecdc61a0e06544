"""The annotated corpus: reading/writing records, validation, statistics, conversion.

``load_records`` / ``save_records`` / ``iter_records`` are plain imports; the heavier
converters (spaCy, Label Studio, Hugging Face ``datasets``) load on first use.
"""

from __future__ import annotations

from typing import Any

from nlp.corpus.io import iter_records, load_records, save_records

__all__ = ["iter_records", "load_records", "save_records", "to_dataset", "validate_record",
           "validate_file"]


def __getattr__(name: str) -> Any:  # lazy: keep `import nlp.corpus` light
    if name == "to_dataset":
        from nlp.corpus.convert import to_dataset
        return to_dataset
    if name in ("validate_record", "validate_file"):
        from nlp.corpus import validate
        return getattr(validate, name)
    raise AttributeError(f"module 'nlp.corpus' has no attribute {name!r}")
