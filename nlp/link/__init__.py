"""LINK: each extracted fact gets the indicator it counts — a table id, a
``narrative.<topic>`` id, or None.

- :mod:`~nlp.link.context` — sentences, clauses, the heading above a figure;
- :mod:`~nlp.link.candidates` — the table cells a clause's words name (the grounding in
  the template) and the object a family of cells counts;
- :mod:`~nlp.link.features` — a fact's sparse features;
- :mod:`~nlp.link.model` — :class:`Linker`, the trained component (backend ``logreg``);
- :mod:`~nlp.link.ids` — what a linked id is (table id or topic), its table and row;
- :mod:`~nlp.link.sums` — a figure that only sums the ones before it (共计N件) as their composite;
- :mod:`~nlp.link.columns` — outcomes in a bracket after one kind of applicant's requests as that column's;
- :mod:`~nlp.link.rules` — :class:`RuleLinker`, the keyword baseline (backend ``rule``).

Both follow the component contract (:mod:`nlp.component`): ``Linker.load(model_dir)``,
``linker(work)`` → the facts of ``work`` with their indicators.  Training is
:mod:`nlp.train.linker`, evaluation :mod:`nlp.evaluate.linking`.
"""

from nlp.link.candidates import (cell_candidates, fact_candidates, names_object, naming_scope,
                                 object_scope)
from nlp.link.context import DocContext, clause_end, clause_start, sentence_bounds
from nlp.link.features import doc_features, fact_features
from nlp.link.config import LinkerConfig
from nlp.link.ids import NONE, is_table
from nlp.link.model import Linker
from nlp.link.rules import RuleLinker

__all__ = ["Linker", "RuleLinker", "LinkerConfig", "NONE", "is_table", "DocContext", "sentence_bounds",
           "clause_start", "clause_end", "fact_features", "doc_features", "cell_candidates",
           "fact_candidates", "names_object", "naming_scope", "object_scope"]
