"""Synthetic 政府信息公开工作年度报告 with complete gold annotations.

``generate(n, seed)`` returns ``n`` :class:`~nlp.types.Record` objects: text, every line's
section and heading flag, every narrative fact with exact offsets, the table cells the
text states, blank cells, and the findings a careful reader would flag (labelled,
injected mismatches).  Deterministic per seed: every document draws from its own
``random.Random`` derived from ``(seed, index)``; no global state.

The words live in the lexicon (``nlp/data/lexicon/synth_phrases.yaml`` — the sentence
inventory —, ``narrative_topics.yaml`` — the narrative topic ids — and ``synth.yaml`` —
names, labels and small phrasings), read through :mod:`nlp.lexicon`.  The package follows
the order a report is made in:

- :mod:`~nlp.corpus.synth.plan` — what a report will contain (agency, year, template,
  style, injected inconsistencies);
- :mod:`~nlp.corpus.synth.values` — table values that keep the identities, narrative
  figures, breakdowns, next year's table;
- :mod:`~nlp.corpus.synth.narrative` — sentences (slots, figures as written, qualifiers);
  :mod:`~nlp.corpus.synth.paragraphs` — the paragraphs of 总体情况;
  :mod:`~nlp.corpus.synth.document` — the report section by section;
- :mod:`~nlp.corpus.synth.layout` — table layouts and punctuation;
- :mod:`~nlp.corpus.synth.builder` — the text with its line labels and spans;
- :mod:`~nlp.corpus.synth.gold` — truncation and the gold findings;
- :mod:`~nlp.corpus.synth.generate` — records from ``(seed, index)``;
  :mod:`~nlp.corpus.synth.files` — corpus files.

Conventions the records follow (see ``notes`` of each record for what was used):
- web furniture before the title is ``title`` (not heading), after it ``preamble``;
- sub-headings of 总体情况 are ``overview`` headings, also when the first sentence runs
  on in the same line; table lines belong to their table's section;
- 余/多 and 左右/以上 after the number are inside a span, 近/约/超过 before it outside;
- a zero claim denying several things yields one ZERO fact per indicator, same span.
"""

from __future__ import annotations

from nlp.corpus.synth.common import narrative_topics, phrases
from nlp.corpus.synth.files import (SPLITS, distribution, dumps, render_blocks, write_corpus, write_documents,
                                    write_splits)
from nlp.corpus.synth.generate import add_run_cross_year, generate, generate_one
from nlp.corpus.synth.plan import ERROR_TYPES
from nlp.corpus.synth.values import APPLICANTS

__all__ = ["generate", "generate_one", "phrases", "narrative_topics", "ERROR_TYPES",
           "render_blocks", "write_corpus", "write_documents", "write_splits", "SPLITS", "dumps",
           "distribution", "add_run_cross_year", "APPLICANTS"]
