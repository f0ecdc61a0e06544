"""The toolkit's error catalogue: every failure a user can meet names its file and reason.

Each error has a short ``kind`` (stable, used in records' ``error.kind``) and a
message that says what was expected.  Anything else escaping a stage is a bug.
"""

from __future__ import annotations

import re

# C0/C1 controls (terminal escape sequences, bell) and bidirectional overrides
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""Text safe to print on a terminal: control characters shown as ``\xNN``/``\uNNNN``
    (a file name can hold an escape sequence that retitles or clears the terminal), and
    bytes that were not UTF-8 (lone surrogates) as ``\xNN``.

    >>> printable("a\x1b]0;x\x07b.txt"), printable("r\udcb1.txt")
    ('a\\x1b]0;x\\x07b.txt', 'r\\xb1.txt')
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), safe_text(text))


def safe_text(name: str) -> str:
    r"""A file name as text that encodes as UTF-8: bytes that were not UTF-8 (kept by
    Python as lone surrogates) become ``\xNN`` escapes instead of stopping the run.

    >>> safe_text("报告.txt"), safe_text("r\udcb1\udca8.txt")
    ('报告.txt', 'r\\xb1\\xa8.txt')
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class GovReportError(Exception):
    """Base class; ``kind`` is the stable code written into records."""

    kind = "error"

    def __init__(self, path: str | None, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path else reason)


class ReadError(GovReportError):
    """The file could not be read as a report (empty, binary, corrupt, unknown type)."""

    kind = "read_error"


class UnsupportedFormat(ReadError):
    kind = "unsupported_format"


class LimitExceeded(ReadError):
    """The input is larger than the toolkit processes (size, pages, lines, characters,
    table rows and cells, archive members, PDF content, narrative facts).  ``limit`` names the limit
    (``"MAX_LINES"`` …, the constant in :mod:`nlp.read`) so callers can tell them apart."""

    kind = "limit_exceeded"

    def __init__(self, path: str | None, reason: str, limit: str | None = None):
        super().__init__(path, reason)
        self.limit = limit


class InternalError(GovReportError):
    """A bug in govreport's own code met while reading a document: reported as such, never
    dressed up as an unreadable file."""

    kind = "internal_error"


class ModelError(GovReportError):
    """A model directory is missing, of another version, tampered with, or unsafe."""

    kind = "model_error"


class CorpusError(GovReportError):
    """A corpus file does not follow the annotation format."""

    kind = "corpus_error"


class ConfigError(GovReportError, ValueError):
    """A training settings file that cannot be used (names the file and the setting)."""

    kind = "config_error"
