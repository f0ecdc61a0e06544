"""Read reports (txt, docx, html, pdf) into one :class:`~nlp.types.Document` shape.

One module per format (:mod:`~nlp.read.txt`, :mod:`~nlp.read.docx`,
:mod:`~nlp.read.html`, :mod:`~nlp.read.pdf`); each produces *blocks* — text lines and
native tables — that :func:`nlp.read.common.assemble` writes into the Document as read:
its text, lines and native tables.  The reader only reads: normalizing the text and
finding the tables written as plain text is :mod:`nlp.normalize`'s work, which the
pipeline calls next (``nlp.pipeline.read_document`` does both, for tools and tests).

Every failure is a :class:`~nlp.errors.ReadError` (or subclass) naming the file
and the reason; nothing else escapes :func:`read`.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from nlp.errors import GovReportError, InternalError, LimitExceeded, ReadError, UnsupportedFormat
from nlp.read.common import (MAX_BYTES, MAX_CELLS, MAX_CHARS, MAX_DOCX_XML, MAX_FACTS, MAX_LINES, MAX_PDF_INFLATED,
                             MAX_PDF_OPERATORS, MAX_PDF_PAGE_CONTENT, MAX_PDF_PAGES, MAX_PDF_STREAM, MAX_TABLE_ROWS,
                             MAX_UNZIPPED, MAX_ZIP_MEMBERS, SUFFIXES, assemble, check)
from nlp.read.txt import decode_text, text_blocks
from nlp.types import Document

__all__ = ["read", "read_text", "read_report_text", "read_bytes", "iter_paths", "iter_path_names", "decode_text", "canonical_lines", "check", "SUFFIXES",
           "MAX_BYTES", "MAX_UNZIPPED", "MAX_PDF_PAGES", "MAX_LINES", "MAX_CHARS", "MAX_TABLE_ROWS",
           "MAX_CELLS", "MAX_ZIP_MEMBERS", "MAX_DOCX_XML", "MAX_PDF_STREAM", "MAX_PDF_INFLATED",
           "MAX_PDF_PAGE_CONTENT", "MAX_PDF_OPERATORS", "MAX_FACTS"]


# ---------------------------------------------------------------- public API
def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to read: files as given, folders searched recursively (sorted, known suffixes).

    Hidden files and Word lock files (``~$x.docx``) inside folders are skipped, and so
    are symbolic links that lead out of the folder (a link to ``/etc/passwd`` or to
    another tree is not part of what was asked for).  A path that does not exist raises
    :class:`ReadError` when the iteration reaches it.
    """
    return map(Path, iter_path_names(paths))


def iter_path_names(paths: Iterable[str | Path]) -> Iterator[str]:
    """:func:`iter_paths` as strings (each ``str(Path(...))`` of the file): a batch lists
    ten thousand inputs again on ``--resume``, and a ``Path`` per file was half that cost."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _sorted_names(_files_under(path))
        elif path.exists():
            yield str(path)
        else:
            raise ReadError(str(path), "no such file or directory")


def _sorted_names(names: Iterable[str]) -> list[str]:
    """Paths under one folder in the order of their parts, as ``sorted`` orders ``Path``s
    (on POSIX: part by part; Windows compares paths case-folded, so there the paths sort).

    >>> _sorted_names(["d/b.txt", "d/a/z.txt", "d/a.txt"])
    ['d/a/z.txt', 'd/a.txt', 'd/b.txt']
    """
    if os.name != "posix":
        return [str(p) for p in sorted(map(Path, names))]
    # Joined by a character below every other, parts compare as the strings do: no list per path.
    return sorted(names, key=lambda name: name.replace(os.sep, "\0"))


def _files_under(folder: Path) -> list[str]:
    """The report files under ``folder`` (any order), each as ``str(Path(...))`` writes it.
    Folders are walked without following links (as ``Path.rglob`` does), so a file that
    is no link lies inside ``folder``; only a link is resolved, and kept when its target
    lies inside ``folder`` too.  One ``scandir`` per folder and no ``stat`` per plain
    file: listing a run's inputs again (``--resume``) costs little more than a run with
    nothing to do."""
    root = os.path.realpath(folder)
    inside = root.rstrip(os.sep) + os.sep
    hidden = (".", "~$")
    top = str(folder)  # normalized as Path writes it ("." for the current folder)
    stack = [(top, "" if top == "." else top.rstrip(os.sep) + os.sep)]
    found: list[str] = []
    while stack:
        current, prefix = stack.pop()
        try:
            with os.scandir(current) as entries:
                listed = list(entries)
        except OSError:  # an unreadable or vanished folder holds nothing to read
            continue
        for entry in listed:
            name = entry.name
            if name.startswith(hidden):
                continue
            try:
                if (name[name.rfind("."):].lower() in SUFFIXES and not _project_note(name)
                        and entry.is_file()):  # a link: its target's kind
                    if entry.is_symlink():
                        real = os.path.realpath(entry.path)
                        if real != root and not real.startswith(inside):
                            continue
                    found.append(prefix + name)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + name + os.sep))
            except (OSError, ValueError):  # a link loop, a name the OS refuses
                continue
    return found


def read(path: str | Path) -> Document:
    """Read one report file; raises :class:`ReadError` naming the file and the reason."""
    path = Path(path)
    name = str(path)
    fmt = _format_of(name)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReadError(name, "no such file or directory") from None
    except OSError as err:
        raise ReadError(name, f"cannot open ({err.strerror or err})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(name, "is a directory (use iter_paths to read folders)")
    if not stat.S_ISREG(st.st_mode):  # /dev/zero never ends, a FIFO blocks the run
        raise ReadError(name, "not a regular file (a device, FIFO or socket)")
    size = st.st_size
    if size > MAX_BYTES:
        raise LimitExceeded(name, f"file is {size / 2**20:.1f} MB, over the limit MAX_BYTES = {MAX_BYTES // 2**20} MB",
                            "MAX_BYTES")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as err:
        raise ReadError(name, f"cannot read ({err.strerror or err})") from None
    if len(data) > MAX_BYTES:
        raise LimitExceeded(name, f"file grew past {MAX_BYTES // 2**20} MB while read", "MAX_BYTES")
    return _read_data(data, name, fmt)


def read_bytes(data: bytes, name: str | Path) -> Document:
    """Read a report held in memory; ``name``'s suffix picks the format."""
    name = str(name)
    if len(data) > MAX_BYTES:
        raise LimitExceeded(name, f"input is {len(data) / 2**20:.1f} MB, over the limit MAX_BYTES = "
                                  f"{MAX_BYTES // 2**20} MB", "MAX_BYTES")
    return _read_data(data, name, _format_of(name))


def read_text(text: str, path: str = "<text>", format: str = "txt") -> Document:
    """A Document from an already decoded string (e.g. a corpus record's text), as read.

    Never raises for an empty string: corpus tooling reads whatever records hold.

    >>> doc = read_text("一、总体情况\\n规章\\t0\\t0")
    >>> doc.line_texts(), doc.tables
    (['一、总体情况', '规章\\t0\\t0'], [])
    """
    return assemble(path, format, [text], require_text=False)


def read_report_text(text: str, path: str = "<text>") -> Document:
    """A report given as an already decoded string, read as a .txt file of it is read: its
    Markdown's HTML and pandoc grid tables become grids (:func:`read_text` keeps a corpus
    record's text as written, its offsets being into it)."""
    return assemble(path, "txt", text_blocks(text, path), require_text=False)


def canonical_lines(doc: Document) -> list[str]:
    """A format-independent view: narrative lines stripped, each table row as tab-joined cells.

    Blank lines, fully empty rows and trailing empty cells are dropped, so a report
    read from .txt (any layout), .docx, .html or .pdf prints the same lines.

    >>> from nlp.types import Table
    >>> doc = read_text("一、总体情况\\n\\n规章\\t0\\t\\n\\t\\n规范性文件\\t2")
    >>> doc.tables = [Table([["规章", "0", ""], ["", ""], ["规范性文件", "2"]], 2, 5)]
    >>> canonical_lines(doc)
    ['一、总体情况', '规章\\t0', '规范性文件\\t2']
    """
    out: list[str] = []
    texts = doc.line_texts()
    starts = {t.line_start: t for t in doc.tables}
    i = 0
    while i < len(texts):
        table = starts.get(i)
        if table is None:
            if texts[i].strip():
                out.append(texts[i].strip())
            i += 1
            continue
        for row in table.rows:
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append("\t".join(cells))
        i = max(table.line_end, i + 1)
    return out



# ---------------------------------------------------------------- dispatch
def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    known = ", ".join(sorted(SUFFIXES))
    raise UnsupportedFormat(name, f"unknown file type {suffix or '(no extension)'!r}; expected one of {known}")


# A folder's own notes written in Markdown (README.md beside the reports it describes) are
# no reports: a folder search passes them by; named on the command line, one is read.
_PROJECT_NOTES = re.compile(r"(?i)(?:readme|changelog|license|licence|contributing)(?:\.[^.]*)?\.(?:md|markdown)$")


def _project_note(name: str) -> bool:
    """
    >>> _project_note("README.md"), _project_note("readme.zh.md"), _project_note("2023年报.md"), _project_note("README.txt")
    (True, True, False, False)
    """
    return _PROJECT_NOTES.match(name) is not None


def _reader(fmt: str, name: str) -> Callable[[bytes, str], Document]:
    """The reader of one format, imported when a file of it comes (a run over text files
    never imports the PDF and HTML stacks: start-up is paid on every command).  A reader
    that cannot be imported (a library missing or broken in this installation) is
    govreport's problem, never the file's."""
    try:
        return getattr(importlib.import_module(f"nlp.read.{fmt}"), f"_read_{fmt}")
    except Exception as err:  # noqa: BLE001 — every document of the format would fail alike
        raise InternalError(name, f"govreport cannot load its {fmt} reader "
                                  f"({type(err).__name__}: {err}); check the installation") from err


def _read_data(data: bytes, name: str, fmt: str) -> Document:
    if not data.strip():
        raise ReadError(name, "empty file")
    reader = _reader(fmt, name)
    try:
        return reader(data, name)
    except GovReportError:
        raise
    except MemoryError:
        raise LimitExceeded(name, "out of memory while reading", "memory") from None
    except Exception as err:  # a library failing on malformed input: name it, never leak it
        if _raised_in_own_code(err):  # our bug: said as such, not passed off as a bad file
            raise InternalError(name, f"govreport failed reading this {fmt} file "
                                      f"({type(err).__name__}: {err}); please report it") from err
        raise ReadError(name, f"could not read {fmt} file ({type(err).__name__}: {err})") from err


_OWN_CODE = str(Path(__file__).resolve().parent.parent)  # nlp/


def _raised_in_own_code(err: BaseException) -> bool:
    """Whether the innermost frame of ``err`` is in govreport's own modules."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(Path(tb.tb_frame.f_code.co_filename).resolve()).startswith(_OWN_CODE)
