"""Section segmentation: label every line with its section and a heading flag.

Two components of the ``segmenter`` stage (:mod:`nlp.component`), run on a
:class:`~nlp.component.Work` and giving a :class:`~nlp.types.Line` per document line:

- :class:`Segmenter` (backend ``linear``, :mod:`~nlp.segment.model`): line features
  (:mod:`~nlp.segment.features`, :mod:`~nlp.segment.context`) scored by logistic
  regressions (:mod:`~nlp.segment.scorer`), decoded under the sections' fixed order
  (:mod:`~nlp.segment.decode`);
- :class:`RuleSegmenter` (backend ``rule``, :mod:`~nlp.segment.rules`): the
  heading-regex baseline.

:mod:`~nlp.segment.title` reads the agency and the year off the title block found.
The words all of them look for are data: ``nlp/data/lexicon/sections.yaml``.
Training lives in :mod:`nlp.train.segmenter`, evaluation in :mod:`nlp.evaluate.segments`.
"""

from nlp.segment.context import clear_feature_caches, doc_feature_parts, doc_features
from nlp.segment.decode import marginals, viterbi
from nlp.segment.features import KEYWORDS, NUMBERING, cn_numeral, cn_value, line_features, norm
from nlp.segment.lines import content_lines, fill_lines, table_mask
from nlp.segment.model import KIND, LinearModel, Segmenter, decode_settings
from nlp.segment.rules import RuleSegmenter
from nlp.segment.scorer import FeatureScorer
from nlp.segment.title import opening_agency, opening_year, own_names, title_meta

__all__ = ["Segmenter", "RuleSegmenter", "LinearModel", "FeatureScorer", "KIND", "decode_settings",
           "line_features", "doc_features", "doc_feature_parts", "clear_feature_caches", "norm",
           "cn_value", "cn_numeral", "KEYWORDS", "NUMBERING", "viterbi", "marginals",
           "content_lines", "fill_lines", "table_mask", "title_meta", "opening_year", "opening_agency", "own_names"]
