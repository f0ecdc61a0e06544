"""Legacy Word ``.doc`` files, as agencies still publish their reports: converted to
``.docx`` by LibreOffice (the one free reader of the binary format that keeps merged table
cells), then read as a ``.docx``.

What sites serve as ``.doc`` is often something else: a ``.docx`` renamed, or a web page
Word saved (HTML with Office markup).  Those are read by their own readers, with no
LibreOffice needed.  A real binary ``.doc`` (or RTF) needs ``soffice`` on the PATH; without
it the file is refused with what to install, and a batch goes on.

Each conversion runs in a private temporary folder with its own LibreOffice profile, so
parallel workers never share one, and nothing is left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from nlp.chars import is_ideograph
from nlp.errors import ReadError, UnsupportedFormat
from nlp.read.docx import _read_docx
from nlp.types import Document

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of every binary Office file
_ZIP = b"PK\x03\x04"
_RTF = b"{\\rtf"
# a web page saved as .doc: its markup opens within the first bytes (after a BOM, a
# comment or an XML declaration)
_HTML_MARKS = (b"<html", b"<!doctype html", b"<head", b"<body", b"xmlns:w=\"urn:schemas-microsoft-com")
_SNIFF_BYTES = 2048
# A report's text is nearly all ideographs, ASCII and CJK punctuation; a converted file
# with less than this share of them is noise, not a report.
_PLAIN_SHARE = 0.8
# LibreOffice's first start in a fresh profile takes a few seconds; a report converts in a
# few more.  Beyond this the file (or the installation) is stuck.
_CONVERT_SECONDS = 180


def _read_doc(data: bytes, name: str) -> Document:
    """A ``.doc`` file: by what its bytes are, not by its name."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if data.startswith(_ZIP):
        return _as_doc(_read_docx(data, name))
    if any(mark in head for mark in _HTML_MARKS):
        from nlp.read.html import _read_html

        return _as_doc(_read_html(data, name))
    if not (data.startswith(_OLE) or head.startswith(_RTF)):
        raise ReadError(name, "not a Word document (no .doc, .docx, RTF or web-page content)")
    doc = _read_docx(_converted(data, name), name)
    if _plain_share(doc.text) < _PLAIN_SHARE:
        raise ReadError(name, "not a readable Word document (LibreOffice made only noise of it)")
    return _as_doc(doc)


def _plain_share(text: str) -> float:
    """The share of a text's visible characters that a report is written in: ideographs,
    ASCII, and the CJK and full-width punctuation blocks (noise LibreOffice imports as
    text is mostly Hangul, private-use and rare symbols)."""
    seen = [c for c in text if not c.isspace()]
    if not seen:
        return 0.0
    plain = sum(1 for c in seen if c.isascii() or is_ideograph(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return plain / len(seen)


def _as_doc(doc: Document) -> Document:
    doc.format = "doc"
    return doc


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _converted(data: bytes, name: str) -> bytes:
    """The ``.docx`` LibreOffice makes of a binary ``.doc`` (or RTF)."""
    exe = _soffice()
    if exe is None:
        raise UnsupportedFormat(name, "a legacy Word .doc is read through LibreOffice, which is not installed "
                                      "(Debian: apt-get install libreoffice-writer-nogui); or save it as .docx")
    with tempfile.TemporaryDirectory(prefix="govreport-doc-") as tmp:
        folder = Path(tmp)
        source = folder / "report.doc"
        source.write_bytes(data)
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=_CONVERT_SECONDS,
                                  env=_environment(folder))
        except subprocess.TimeoutExpired:
            raise ReadError(name, f"LibreOffice did not convert it within {_CONVERT_SECONDS} s") from None
        out = folder / "out" / "report.docx"
        if not out.exists():
            said = " ".join((done.stderr or done.stdout or "").split())[-200:]
            raise ReadError(name, f"LibreOffice could not convert it (exit {done.returncode}){': ' + said if said else ''}")
        return out.read_bytes()


def _environment(folder: Path) -> dict[str, str]:
    """LibreOffice's environment: a private HOME (it writes there even with a profile given)."""
    import os

    return {**os.environ, "HOME": str(folder)}
