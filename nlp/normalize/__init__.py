"""The normalize stage: a document as read → normalized text, lines and tables.

- :mod:`~nlp.normalize.text` — the character and line passes, with an offset map back
  to the text as read;
- :mod:`~nlp.normalize.relayout` — the lines of a report dumped on one long line;
- :mod:`~nlp.normalize.layout` — tables written as plain text (tab rows, one cell per
  line, pipes);
- :mod:`~nlp.normalize.document` — the three applied to a Document.
"""

from __future__ import annotations

from nlp.normalize.document import clean_cell, normalize_document
from nlp.normalize.layout import find_tables, is_heading_like, is_narrative_cell, split_pipe_row
from nlp.normalize.relayout import LayoutEdits, layout_edits
from nlp.normalize.text import Normalized, ends_sentence, normalize

__all__ = ["normalize_document", "clean_cell", "normalize", "Normalized", "ends_sentence", "find_tables",
           "is_heading_like", "is_narrative_cell", "split_pipe_row", "layout_edits", "LayoutEdits"]
