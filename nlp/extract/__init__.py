"""The extract stage: numeric facts in a document's narrative blocks.

One stage, four backends (``nlp.component.REGISTRY``), each a component: ``load(model_dir)``,
``save(model_dir)``, ``extractor(work)`` → the facts inside ``work.spans``,
``extractor.pipe(works)``.

- ``spacy`` — :class:`nlp.extract.spacy.Extractor`, the shipped model: a spaCy NER over a
  digit-aware tokenizer, decoded in numpy (:mod:`nlp.extract.decode`);
- ``transformers`` — :class:`nlp.extract.trf.TrfExtractor`: a fine-tuned local encoder;
- ``rule`` and ``recognizers`` — :mod:`nlp.extract.rules`: the baselines.

:mod:`nlp.extract.text` is what they share: which sentences can hold a fact, and the fact
a predicted span states.  Training is ``nlp.train.extractor``; the words are
``nlp/data/lexicon/extract.yaml``.
"""

from nlp.extract.rules import RecognizersExtractor, RuleExtractor, span_fact
from nlp.extract.spacy import Extractor, create_digit_tokenizer, register_tokenizer
from nlp.extract.text import (CANDIDATE_RE, clause_pieces, fact_from_span, fold_width, is_candidate,
                              prose_spans, sentence_spans, text_work)
from nlp.extract.trf import TrfExtractor

__all__ = ["Extractor", "TrfExtractor", "RuleExtractor", "RecognizersExtractor", "CANDIDATE_RE",
           "prose_spans", "sentence_spans", "clause_pieces", "is_candidate", "fold_width",
           "fact_from_span", "span_fact", "create_digit_tokenizer", "register_tokenizer", "text_work"]
