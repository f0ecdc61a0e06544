"""A document as read → its normalized text, lines and tables.

The reader hands on the text as read and its native tables (:mod:`nlp.read`); here the
cells and the text are normalized (:mod:`nlp.normalize.text`), the native tables are
placed on the normalized lines, and the tables written as plain text are found
(:mod:`nlp.normalize.layout`) wherever no native table covers the lines.
"""

from __future__ import annotations

import bisect

from nlp.normalize.layout import find_tables
from nlp.normalize.text import in_simplified, is_traditional, normalize
from nlp.types import Document, Table, lines_of

__all__ = ["normalize_document", "clean_cell"]


def clean_cell(text: str) -> str:
    """A native cell's text, normalized like the body text, stripped.

    >>> clean_cell("（一）３件　")
    '(一)3件'
    """
    return normalize(text, join_cells=False, join_breaks=False).text.strip()


def normalize_document(doc: Document) -> Document:
    """The normalized Document: text, lines, native and layout tables, and the map from
    every normalized character back to ``original`` (the text as read, its native cells
    normalized).

    Only plain text joins cell labels broken over lines: formats with native tables and
    real paragraphs (docx, html, pdf) don't need it.

    >>> from nlp.read import read_text
    >>> doc = normalize_document(read_text("一、总体情况\\n规章\\t０\\t0\\n规范性文件\\t1\\t1"))
    >>> doc.line_texts()[1], doc.tables[0].rows[1], doc.tables[0].line_start
    ('规章\\t0\\t0', ['规范性文件', '1', '1'], 1)
    """
    lines = doc.text.split("\n")
    native: list[tuple[list[list[str]], int, int]] = []  # rows, first row line, last row line
    # a traditional report's cells are read simplified, as its text is (行政許可 is 行政许可)
    simplified = in_simplified if any(t.source == "native" for t in doc.tables) and is_traditional(doc.text) \
        else (lambda cell: cell)
    for t in doc.tables:
        if t.source != "native":
            continue
        rows = [[clean_cell(simplified(c)) for c in row] for row in t.rows]
        lines[t.line_start:t.line_end] = ["\t".join(r) for r in rows]
        native.append((rows, t.line_start, t.line_end - 1))
    original = "\n".join(lines) if native else doc.text  # the same string when no row was cleaned
    orig_starts = _line_starts(lines) if native else []  # wanted only to place native rows
    protect = {orig_starts[k] for _, a, b in native for k in range(a, b + 1)}
    norm = normalize(original, join_cells=doc.format == "txt", protect=protect)
    text = norm.text
    doc_lines = lines_of(text)
    starts = [ln.start for ln in doc_lines]

    def line_of(orig_line: int) -> int:
        i = bisect.bisect_left(norm.offset_map, orig_starts[orig_line])
        return max(bisect.bisect_right(starts, i) - 1, 0)

    tables = [Table(rows, line_of(a), line_of(b) + 1, "native") for rows, a, b in native]
    covered = {i for t in tables for i in range(t.line_start, t.line_end)}
    line_texts = text.split("\n")  # the texts of doc_lines, cut in one pass
    layout = [t for t in find_tables(line_texts) if not covered.intersection(range(t.line_start, t.line_end))]
    tables.extend(layout)
    tables.sort(key=lambda t: t.line_start)
    return Document(path=doc.path, format=doc.format, text=text, lines=doc_lines, tables=tables,
                    original=original, offset_map=norm.offset_map)


def _line_starts(lines: list[str]) -> list[int]:
    """The offset of each line in ``"\\n".join(lines)``."""
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    return starts
