"""Model directories: one shape for every shipped model, loaded safely.

A model directory holds its weights (spaCy ``to_disk`` folders, JSON/NumPy arrays,
skops with trusted types, or safetensors — never a bare pickle), a ``meta.json``
card and nothing else.  ``meta.json`` records the model kind, the toolkit version
that wrote it, the corpus hash, training settings, metrics on every evaluation
set, and the SHA-256 of every weight file.  Loading checks the version range and
the hashes and fails with a message that says how to retrain.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from nlp import __version__
from nlp.errors import ModelError

META = "meta.json"
MODEL_KINDS = ("segmenter", "extractor", "linker")
# Where a wheel carries the shipped models (copied there by setup.py's build step).
PACKAGED_MODELS = Path(__file__).resolve().parent / "_models"
# Files that must never be loaded, whatever their name says.
UNSAFE_SUFFIXES = (".pkl", ".pickle", ".joblib")


def shipped_models_dir() -> Path:
    """The folder of the shipped models, wherever the toolkit runs from.

    An installed wheel carries them inside the package (``nlp/_models``); a source
    checkout (editable install included) has them in the repository's ``models/``, next
    to ``nlp/``.  When neither holds them, the checkout's path is returned, so the
    error of the first model load names where they were looked for.
    """
    checkout = PACKAGED_MODELS.parent.parent / "models"
    for candidate in (PACKAGED_MODELS, checkout):
        if all((candidate / kind / META).is_file() for kind in MODEL_KINDS):
            return candidate
    return checkout


def models_dir(given: str | Path | None = None) -> Path:
    """The models folder a caller named, else the shipped one (:func:`shipped_models_dir`):
    what every ``models_dir=None`` default means, wherever the caller runs from."""
    return Path(given) if given is not None else shipped_models_dir()


def shipped_configs_dir() -> Path:
    """The folder of the default training settings: ``nlp/_configs`` in a wheel, the
    repository's ``configs/`` in a source checkout."""
    packaged = PACKAGED_MODELS.parent / "_configs"
    return packaged if packaged.is_dir() else PACKAGED_MODELS.parent.parent / "configs"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def corpus_hash(paths: list[Path]) -> str:
    """One hash over the corpus files a model was trained on (order-independent)."""
    digest = hashlib.sha256()
    for p in sorted(paths, key=lambda x: x.name):
        digest.update(p.name.encode())
        digest.update(sha256_file(p).encode())
    return digest.hexdigest()


def _weight_files(model_dir: Path) -> list[Path]:
    return sorted(p for p in model_dir.rglob("*") if p.is_file() and p.name != META)


def _links(model_dir: Path) -> list[Path]:
    """Symbolic links inside a model directory: ``rglob`` does not descend into a linked
    folder, so its files would be loaded without their hashes being checked."""
    found = []
    for folder, dirs, files in os.walk(model_dir, followlinks=False):
        found += [Path(folder) / n for n in dirs + files if (Path(folder) / n).is_symlink()]
    return sorted(found)


def _major_minor(version: str) -> tuple[int, int]:
    parts = version.split(".")
    return int(parts[0]), int(parts[1])


def write_meta(model_dir: Path, kind: str, **fields: Any) -> dict[str, Any]:
    """Write ``meta.json`` with file hashes; returns the card."""
    model_dir = Path(model_dir)
    meta = {
        "kind": kind,
        "toolkit_version": __version__,
        "compatible": f">={_major_minor(__version__)[0]}.{_major_minor(__version__)[1]},"
                      f"<{_major_minor(__version__)[0]}.{_major_minor(__version__)[1] + 1}",
        **fields,
        "files": {str(p.relative_to(model_dir)): sha256_file(p) for p in _weight_files(model_dir)},
    }
    atomic_write_text(model_dir / META, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return meta


def update_meta(model_dir: Path, **fields: Any) -> dict[str, Any]:
    """Merge fields (e.g. fresh metrics) into an existing card without touching hashes."""
    meta = read_meta(Path(model_dir), verify=False)
    meta.update(fields)
    atomic_write_text(Path(model_dir) / META, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return meta


def read_meta(model_dir: Path, kind: str | None = None, verify: bool = True) -> dict[str, Any]:
    """Read and check a model card: kind, toolkit version, unsafe files, file hashes."""
    model_dir = Path(model_dir)
    retrain = f"retrain it with `govreport train {kind or '<kind>'} --out {model_dir}`"
    card = model_dir / META
    if not card.is_file():
        raise ModelError(str(model_dir), f"no {META} here: not a govreport model; {retrain}")
    try:
        meta = json.loads(card.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelError(str(model_dir), f"unreadable {META} ({err}); {retrain}") from None
    if kind is not None and meta.get("kind") != kind:
        raise ModelError(str(model_dir), f"is a {meta.get('kind')!r} model, expected {kind!r}")
    if _major_minor(meta.get("toolkit_version", "0.0")) != _major_minor(__version__):
        raise ModelError(str(model_dir), f"was written by govreport {meta.get('toolkit_version')}, "
                                         f"this is {__version__}; {retrain}")
    if verify:
        _verify_files(model_dir, meta, retrain)
    return meta


def _verify_files(model_dir: Path, meta: dict[str, Any], retrain: str) -> None:
    listed = meta.get("files", {})
    for link in _links(model_dir):
        raise ModelError(str(model_dir), f"{link.relative_to(model_dir)} is a symbolic link; a model directory "
                                         f"holds its own files only (copy them in); {retrain}")
    for path in _weight_files(model_dir):
        rel = str(path.relative_to(model_dir))
        if path.suffix.lower() in UNSAFE_SUFFIXES:  # x.PKL is as much a pickle as x.pkl
            raise ModelError(str(model_dir), f"{rel} is a pickle file; refusing to load it")
        if rel not in listed:
            raise ModelError(str(model_dir), f"{rel} is not listed in {META}; {retrain}")
        if sha256_file(path) != listed[rel]:
            raise ModelError(str(model_dir), f"{rel} does not match its hash in {META} "
                                             f"(changed or corrupt); {retrain}")
    for rel in listed:
        if not (model_dir / rel).is_file():
            raise ModelError(str(model_dir), f"{rel} is missing; {retrain}")


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename: never half-written."""
    atomic_write_bytes(Path(path), text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_writer(path) as fh:
        fh.write(data)


def _umask_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_FILE_MODE = _umask_file_mode()


def temp_prefix(path: Path) -> str:
    """``.NAME.`` with NAME cut to 100 bytes: a long file name plus the temporary
    suffix must stay within the 255 bytes a file name may have."""
    name = path.name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    return f".{name}."


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete the temporary files of earlier writes of ``path`` whose process is gone
    (a run killed between writing and renaming); another live writer's file stays."""
    prefix = temp_prefix(Path(path))
    removed = []
    for tmp in Path(path).parent.glob(glob_escape(prefix) + "*.tmp"):
        pid = tmp.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces ``path`` only when the block ends
    without error (temporary file in the same folder, fsync, rename); else nothing changes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else _NEW_FILE_MODE
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{temp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)  # mkstemp makes 0600; give what open() would
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
