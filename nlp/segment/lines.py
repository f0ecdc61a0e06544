"""A document's lines in and out of a segmenter: the non-empty ones it decodes, and a
:class:`~nlp.types.Line` for every line from what it decoded."""

from __future__ import annotations

from itertools import compress

from nlp.segment.features import has_content
from nlp.types import Document, Line


def table_mask(doc: Document) -> list[int]:
    """Per document line: the index of the table grid it sits in, or -1."""
    mask = [-1] * len(doc.lines)
    for t, table in enumerate(doc.tables):
        start, end = max(table.line_start, 0), min(table.line_end, len(mask))
        mask[start:end] = [t] * max(end - start, 0)  # a slice, not an assignment per line
    return mask


# Confidences at least this round to 1.0 at 4 places (they are at most 1): nearly every
# line's, and round(c, 4) converts through decimal digits, dearer than the Line built.
_ROUNDS_TO_ONE = 0.99996


def fill_lines(doc: Document, idx: list[int], sections: list[str], heads: list[bool],
                conf: list[float]) -> list[Line]:
    """Lines for every doc line: non-empty ones from the decode, empty ones copy the line before."""
    out: list[Line] = []
    rounded = [1.0 if c >= _ROUNDS_TO_ONE else round(c, 4) for c in conf]
    current, current_conf = "title", 1.0  # lines before the first: where every report starts
    k = 0  # the next decoded line (idx ascends)
    for i, line in enumerate(doc.lines):
        if k < len(idx) and idx[k] == i:
            current, current_conf = sections[k], rounded[k]
            out.append(Line(line.start, line.end, current, heads[k], current_conf))
            k += 1
        else:  # empty lines take the section of the line before
            out.append(Line(line.start, line.end, current, False, current_conf))
    return out


def content_lines(doc: Document) -> tuple[list[int], list[str], list[int]]:
    """The lines a segmenter decodes: their indexes, texts and grids (:func:`table_mask`)."""
    texts = doc.line_texts()
    mask = table_mask(doc)
    idx = list(compress(range(len(texts)), map(has_content, texts)))  # in C calls, not line by line
    return idx, list(map(texts.__getitem__, idx)), list(map(mask.__getitem__, idx))

