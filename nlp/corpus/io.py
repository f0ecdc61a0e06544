"""Read and write corpus files: one annotation record per line of a ``.jsonl`` file.

Bad input fails with a :class:`~nlp.errors.CorpusError` naming ``file:line`` and the
reason, so a researcher editing a corpus by hand finds the broken line at once.
Writes are atomic (temporary file + rename): a crash never leaves half a corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from nlp.errors import CorpusError
from nlp.persist import atomic_write_text
from nlp.types import Record


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """Corpus files to read: files as given, folders as the ``.jsonl`` files under them
    (recursively, sorted); raises :class:`CorpusError` for a path that does not exist or a
    folder without any.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
            if not found:
                raise CorpusError(str(path), "no .jsonl corpus files in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise CorpusError(str(path), "no such file or folder")
    return files


def _parse_line(line: str, where: str) -> Record:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise CorpusError(where, f"not valid JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(data, dict):
        raise CorpusError(where, f"expected a JSON object, got {type(data).__name__}")
    try:
        return Record.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise CorpusError(where, f"not an annotation record ({type(err).__name__}: {err})") from None


def iter_records(path: str | Path) -> Iterator[Record]:
    """Yield the records of a JSONL corpus file one by one (blank lines skipped)."""
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8")
    except OSError as err:
        raise CorpusError(str(path), f"cannot open ({err.strerror})") from None
    with fh:
        try:
            for number, line in enumerate(fh, start=1):
                if line.strip():
                    yield _parse_line(line, f"{path}:{number}")
        except UnicodeDecodeError as err:
            raise CorpusError(str(path), f"not UTF-8 ({err.reason})") from None


def load_records(path: str | Path) -> list[Record]:
    """All records of a JSONL corpus file.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "c.jsonl")
    >>> save_records(p, [Record(id="a", text="x")])
    >>> [r.id for r in load_records(p)]
    ['a']
    """
    return list(iter_records(path))


def dumps_records(records: Iterable[Record]) -> str:
    return "".join(r.to_json() + "\n" for r in records)


def save_records(path: str | Path, records: Iterable[Record]) -> None:
    """Write records as JSONL (UTF-8, one per line), atomically."""
    atomic_write_text(Path(path), dumps_records(records))
