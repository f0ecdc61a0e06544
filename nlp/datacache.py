"""The package's own YAML data, parsed once per machine and read back as JSON after that.

Every command that reads a report loads the lexicon and the indicator template: fourteen
YAML files, about 60 KB.  Importing PyYAML and parsing them with libyaml cost about 55 ms,
a tenth of ``govreport check`` on one file; orjson reads the same data in about 2 ms.  So
the parsed data is kept under the user's cache folder as JSON, named by the SHA-256 of the
YAML text: an edited file is parsed afresh, and the cache never needs clearing.

A mapping whose keys are not all strings (the lexicon keys some tables by number) is kept
as a list of pairs under one marker key; only data that comes back equal to what YAML gave
is kept (no dates, no NaN), anything else is parsed every time.  A cache file that cannot be read or written is passed over in
silence, as Python passes over a ``__pycache__`` it cannot write.  ``$GOVREPORT_CACHE_DIR``
moves the folder (default ``$XDG_CACHE_HOME/govreport``, else ``~/.cache/govreport``); set
it to an empty string to parse every time.  The files are plain JSON: nothing in them runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

from nlp.types import loads_yaml

CACHE_ENV = "GOVREPORT_CACHE_DIR"
_KIND = "yaml1"  # bump when what a cache file holds changes


def cache_folder() -> Path | None:
    """Where parsed data is kept; None when caching is switched off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "govreport"


def load_data_yaml(text: str) -> Any:
    """``loads_yaml(text)``, from the cache when this exact text was parsed before."""
    folder = cache_folder()
    if folder is None:
        return loads_yaml(text)
    path = folder / f"{_KIND}-{hashlib.sha256(text.encode('utf-8')).hexdigest()}.json"
    try:
        kept = orjson.loads(path.read_bytes())
        return _decode(kept["data"]) if kept["pairs"] else kept["data"]
    except (OSError, ValueError, TypeError, KeyError):  # not cached yet, or a file that is not ours
        pass
    data = loads_yaml(text)
    _store(path, data)
    return data


_PAIRS = "\u0000pairs"  # a mapping with keys JSON cannot name: [[key, value], ...]


def _encode(node: Any) -> tuple[Any, bool]:
    """``node`` as JSON can hold it, and whether a mapping had to become pairs."""
    if isinstance(node, dict):
        items = [(k, *_encode(v)) for k, v in node.items()]
        paired = any(p for _k, _v, p in items)
        if all(isinstance(k, str) and k != _PAIRS for k in node):
            return {k: v for k, v, _p in items}, paired
        return {_PAIRS: [[k, v] for k, v, _p in items]}, True
    if isinstance(node, list):
        items = [_encode(v) for v in node]
        return [v for v, _p in items], any(p for _v, p in items)
    return node, False


def _decode(node: Any) -> Any:
    if isinstance(node, dict):
        if len(node) == 1 and _PAIRS in node:
            return {k: _decode(v) for k, v in node[_PAIRS]}
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def _store(path: Path, data: Any) -> None:
    """Keep ``data`` at ``path`` if it comes back equal (written whole, then renamed)."""
    encoded, pairs = _encode(data)
    try:
        raw = orjson.dumps({"pairs": pairs, "data": encoded})
    except TypeError:  # a date, a set: not JSON
        return
    back = orjson.loads(raw)
    if (_decode(back["data"]) if pairs else back["data"]) != data:  # NaN, or a float key's spelling
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
