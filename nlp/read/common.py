"""What every reader shares: the limits, the block shape, and the Document as read.

A reader produces a list of *blocks* — text lines and native tables (grids of cell
strings) — in reading order; :func:`assemble` writes them into one text (a table row
becomes a line of tab-joined cells) and records where each native table sits.  The
text is the text as read: normalizing it, and finding the tables written as plain
text, is the next stage's work (:mod:`nlp.normalize`).

Merged cells, one rule for every format: a merged region's text appears once, at
its top-left position; every other position it covers is ``""``.  A cell's internal
line breaks are joined without a separator (``商业<br>企业`` → ``商业企业``) and a tab
inside a cell becomes a space, so that a row is one line of tab-separated cells.
"""

from __future__ import annotations

import re
from typing import Union

from nlp.errors import LimitExceeded, ReadError
from nlp.types import Document, Table, lines_of

# WPS Office's .wps is Word's binary format under another name, and RTF is read through
# LibreOffice as a .doc is: both go to the .doc reader, which reads by content.  Markdown
# (a converter's text of a PDF: ## headings, pipe tables) is text: the text reader reads it.
SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt", ".markdown": "txt",
            ".docx": "docx", ".doc": "doc", ".wps": "doc", ".rtf": "doc",
            ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # a .docx that inflates beyond this is a zip bomb or all images
MAX_PDF_PAGES = 500
# A report is a few hundred lines, a few thousand written one cell per line; a PDF at
# MAX_PDF_PAGES of dense pages about 25,000.  Beyond this the input is not a report, and the
# stages that pay per line (normalizing, segmenting) would run for seconds on it.
MAX_LINES = 50_000
# Work per document is bounded by what the pipeline does in seconds: a whole report is
# 10-60 thousand characters and three template tables of a few dozen rows.
MAX_CHARS = 300_000  # characters of text (5-30 whole reports; the extractor takes ~20 µs a character)
MAX_TABLE_ROWS = 2_000  # rows of one table
MAX_CELLS = 100_000  # table cells of one document
# Numeric facts the extractor finds in one document's narrative, checked before linking:
# linking and reconciling pay per fact (~0.5 ms each).  A whole report states a few dozen
# (29 in the whole real report of realdev, at most 45 on the seeds); a text holding
# thousands is a table or a dump written as prose, not a report a reader could check.
MAX_FACTS = 2_000
MAX_ZIP_MEMBERS = 2_000  # a .docx has a few dozen parts (a few hundred with many images)
MAX_DOCX_XML = 32 * 1024 * 1024  # one XML part inflated: its tree takes several times this in memory
MAX_PDF_STREAM = 64 * 1024 * 1024  # one PDF stream inflated (content, font, image data)
MAX_PDF_INFLATED = 256 * 1024 * 1024  # all PDF streams of one document inflated
MAX_PDF_PAGE_CONTENT = 8 * 1024 * 1024  # a page's content streams inflated (a dense page: ~100 kB)
MAX_PDF_OPERATORS = 300_000  # drawing/text operators of one page (a dense page: a few thousand)

# A block is a text line (str) or a native table (list of rows).
Block = Union[str, list]


def over(name: str, count: int, what: str, limit: str) -> LimitExceeded:
    """The error for ``count`` ``what`` past the limit named ``limit`` (a constant of this module).

    >>> str(over("a.txt", 5000, "rows in one table", "MAX_TABLE_ROWS"))
    'a.txt: 5,000 rows in one table, over the limit MAX_TABLE_ROWS = 2,000'
    """
    return LimitExceeded(name, f"{count:,} {what}, over the limit {limit} = {globals()[limit]:,}", limit)


# ---------------------------------------------------------------- assembly
def _cell_text(text: str) -> str:
    """A native cell's text on one line: its line breaks joined, a tab a space."""
    return re.sub(r"\s*[\r\n]+\s*", "", text).replace("\t", " ")


def assemble(path: str, fmt: str, blocks: list[Block], *, require_text: bool = True) -> Document:
    """Blocks → the Document as read: the text, its lines, the native tables.

    ``original`` is the text; there is no ``offset_map`` yet (normalizing makes one).

    >>> doc = assemble("a.docx", "docx", ["一、总体情况", [["规章", "0"], ["规范性\\n文件", "1"]]])
    >>> doc.text, doc.tables[0].rows[1], doc.tables[0].line_start, doc.tables[0].line_end
    ('一、总体情况\\n规章\\t0\\n规范性文件\\t1', ['规范性文件', '1'], 1, 3)
    """
    lines: list[str] = []
    native: list[tuple[list[list[str]], int, int]] = []  # rows, first row line, last row line
    for block in blocks:
        if isinstance(block, str):
            lines.extend(block.split("\n"))
            continue
        rows = [[_cell_text(c) for c in row] for row in block]
        rows = [r for r in rows if r]
        if not rows:
            continue
        first = len(lines)
        lines.extend("\t".join(r) for r in rows)
        native.append((rows, first, len(lines) - 1))
    check_size(path, lines, native)
    text = "\n".join(lines)
    if require_text and not text.strip():
        raise ReadError(path, "no text in document")
    tables = [Table(rows, a, b + 1, "native") for rows, a, b in native]
    return Document(path=path, format=fmt, text=text, lines=lines_of(text), tables=tables, original=text)


def check_size(path: str, lines: list[str], native: list[tuple[list[list[str]], int, int]]) -> None:
    """Characters, lines, rows and cells within the limits, before any big structure is built."""
    if len(lines) > MAX_LINES:
        raise over(path, len(lines), "lines", "MAX_LINES")
    chars = sum(map(len, lines))
    if chars > MAX_CHARS:
        raise over(path, chars, "characters", "MAX_CHARS")
    check_rows(path, max((len(rows) for rows, _, _ in native), default=0))
    check_cells(path, sum(len(r) for rows, _, _ in native for r in rows))


def check_rows(path: str, rows: int) -> None:
    if rows > MAX_TABLE_ROWS:
        raise over(path, rows, "rows in one table", "MAX_TABLE_ROWS")


def check_cells(path: str, cells: int) -> None:
    if cells > MAX_CELLS:
        raise over(path, cells, "table cells", "MAX_CELLS")


def check(doc: Document, *, require_text: bool = True) -> Document:
    """A document after normalizing, held to the reading limits again: the tables found in
    its text layout count like native ones (rows, cells), and normalizing may have left
    no text at all (a file of invisible characters)."""
    check_rows(doc.path, max((len(t.rows) for t in doc.tables), default=0))
    check_cells(doc.path, sum(len(r) for t in doc.tables for r in t.rows))
    if require_text and not doc.text.strip():
        raise ReadError(doc.path, "no text in document")
    return doc
