"""The trained segmenter: per-line logistic regressions and an order-constrained decode.

Per-line features from the line and its neighbours (:mod:`nlp.segment.context`) feed
three logistic regressions — section probabilities, heading probability, section
boundary.  A Viterbi decoder (:mod:`nlp.segment.decode`) then enforces what every
report obeys: sections come in the order title → preamble → overview → active →
requests → review → problems → other, never go back, may be skipped; table grids sit
inside active / requests / review.  One odd line therefore cannot flip a section:
leaving a section costs ``switch_penalty`` and every later line must agree.  The
template's own headings whose numeral and words agree (三、收到和处理政府信息公开申请情况)
are held to their parts (:func:`nlp.segment.rules.section_anchors`): a long run of prose
that reads like a later part cannot carry the path past them.

Weights are stored as plain JSON + NumPy ``.npy`` (loaded with ``allow_pickle=False``)
and a ``meta.json`` card written by :mod:`nlp.persist`.
"""

from __future__ import annotations

from itertools import compress
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from nlp import persist
from nlp.component import Base, Work
from nlp.errors import ModelError
from nlp.segment.context import _BODY_TEXT, LineFeatures, doc_feature_views
from nlp.segment.decode import marginals, viterbi
from nlp.segment.features import LineView
from nlp.segment.lines import content_lines, fill_lines
from nlp.segment.rules import has_contents_entry, is_contents_entry, section_anchors
from nlp.segment.scorer import FeatureScorer, LinearModel
from nlp.types import SECTIONS, TABLE_SECTIONS, Line

KIND = "segmenter"
MODELS = ("section", "heading", "boundary")  # the weight files' names
ORDER = {s: i for i, s in enumerate(SECTIONS)}
# Far above what any run of prose lines scores against a part (a thousand lines that
# each prefer another part by 30 nats), far below what float64 running sums lose: an
# anchored heading is never in another part.
_ANCHOR_PENALTY = 1e5
# what the card says of itself, written anew by every save
_CARD_OWN = ("kind", "backend", "toolkit_version", "compatible", "files")


class Segmenter(Base):
    """The trained segmenter: three logistic regressions + order-constrained Viterbi."""

    stage = "segmenter"
    backend = "linear"

    def __init__(self, section_model: LinearModel, heading_model: LinearModel,
                 boundary_model: LinearModel, settings: dict[str, Any],
                 meta: dict[str, Any] | None = None):
        self.section_model = section_model
        self.heading_model = heading_model
        self.boundary_model = boundary_model
        models = [section_model, heading_model, boundary_model]
        # Models trained together share one vocabulary: score them together.
        if heading_model.vocab == section_model.vocab == boundary_model.vocab:
            self._scorers = [FeatureScorer(models)]
        else:
            self._scorers = [FeatureScorer([m]) for m in models]
        self.settings = settings
        self.meta = meta or {}
        missing = set(SECTIONS) - set(section_model.classes)
        # Sections never seen in training keep a (very unlikely) emission column.  The known
        # ones and their model columns as arrays once: numpy converts lists on every call.
        known = [j for j, s in enumerate(SECTIONS) if s in section_model.classes]
        self._known = np.array(known, dtype=np.int64)
        self._known_cols = np.array([section_model.classes.index(SECTIONS[j]) for j in known], dtype=np.int64)
        self._non_table = np.array([ORDER[s] for s in SECTIONS if s not in TABLE_SECTIONS.values()])
        if len(missing) == len(SECTIONS):
            raise ModelError("<segmenter>", "section model knows none of the sections")

    def scores(self, parts: list[LineFeatures]) -> list[np.ndarray]:
        """Raw scores of the section, heading and boundary models for every line."""
        seen, dynamic = zip(*parts) if parts else ((), ())
        return self._scores_of(seen, dynamic)

    def _scores_of(self, seen: list, dynamic: list) -> list[np.ndarray]:
        """:meth:`scores` of lines as :func:`doc_feature_views` gives them."""
        return [scores for scorer in self._scorers for scores in scorer.scores_of(seen, dynamic)]

    def emissions(self, section_scores: np.ndarray, in_table: list[bool]) -> np.ndarray:
        logp = self.section_model.log_proba(section_scores)
        emit = np.full((len(in_table), len(SECTIONS)), -30.0)
        emit[:, self._known] = logp[:, self._known_cols]
        grid = np.flatnonzero(np.fromiter(in_table, bool, len(in_table)))  # a list converts item by item
        emit[grid[:, None], self._non_table] -= float(self.settings.get("table_penalty", 4.0))
        return emit

    def decode(self, texts: list[str], mask: list[int]) -> tuple[list[str], list[bool], list[float]]:
        """Sections, heading flags and confidences for non-empty line texts."""
        if not texts:
            return [], [], []
        head_chars = int(self.settings.get("head_chars", 10))
        seen, dynamic, in_table, views = doc_feature_views(texts, mask, head_chars)
        section_scores, heading_scores, boundary_scores = self._scores_of(seen, dynamic)
        emit = self.anchored(self.emissions(section_scores, in_table), section_anchors(texts))
        move, stay = self.switch_weights(boundary_scores)
        path = viterbi(emit, move, stay)
        post = marginals(emit, move, stay)
        head_p = _positive(self.heading_model, heading_scores)
        likely = (head_p >= float(self.settings.get("heading_threshold", 0.5))).tolist()
        heads = heading_flags(likely, views, dynamic, in_table)
        conf = post[np.arange(len(path)), path].tolist()
        sections = [SECTIONS[s] for s in path]
        titles = [view.title for view in views]
        heads = contents_not_headings(heads, texts)
        return title_under_one_line(sections, heads, titles), one_title_block(sections, heads, titles), conf

    def anchored(self, emit: np.ndarray, anchors: dict[int, str]) -> np.ndarray:
        """Emissions with the template's own headings (:func:`section_anchors`) held to
        their parts: a long overview that speaks of requests and reviews, as real ones do,
        outweighs any one heading line, and the order never goes back — without this its
        prose pulls the path past 二、主动公开… and every later part shifts."""
        if anchors:
            penalty = float(self.settings.get("anchor_penalty", _ANCHOR_PENALTY))
            for t, section in anchors.items():
                keep = emit[t, ORDER[section]]
                emit[t] -= penalty
                emit[t, ORDER[section]] = keep
        return emit

    def switch_weights(self, boundary_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Log-weights of a section starting / not starting at each line (boundary model).

        The first line may start in any section for a small fixed cost: scraped
        reports often begin with site chrome, a preamble sentence or 一、总体情况.
        """
        b = np.clip(_positive(self.boundary_model, boundary_scores), 1e-6, 1 - 1e-6)
        w = float(self.settings.get("boundary_weight", 1.0))
        move = w * np.log(b) - float(self.settings.get("switch_penalty", 1.0))
        stay = w * np.log1p(-b)
        move[0], stay[0] = -float(self.settings.get("start_penalty", 2.0)), 0.0
        return move, stay

    def __call__(self, work: Work) -> list[Line]:
        """A section, heading flag and confidence for every line of ``work.doc``."""
        idx, texts, mask = content_lines(work.doc)
        sections, heads, conf = self.decode(texts, mask)
        return fill_lines(work.doc, idx, sections, heads, conf)

    @classmethod
    def load(cls, model_dir: str | Path) -> Segmenter:
        """A trained segmenter; refuses other versions, tampered or pickled files."""
        model_dir = Path(model_dir)
        meta = persist.read_meta(model_dir, KIND)
        return cls(*(LinearModel.load(model_dir, name) for name in MODELS),
                   decode_settings(meta.get("settings") or {}), meta)

    def save(self, model_dir: str | Path) -> None:
        """Its weights and a card (:mod:`nlp.persist`) that ``load`` reads back."""
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        for name, model in zip(MODELS, (self.section_model, self.heading_model, self.boundary_model)):
            model.save(model_dir, name)
        card = {k: v for k, v in self.meta.items() if k not in _CARD_OWN}
        card.setdefault("settings", dict(self.settings))
        persist.write_meta(model_dir, KIND, backend=self.backend, **card)


def heading_flags(likely: list[bool], views: list[LineView], dynamic: list[tuple[str, ...]],
                  in_table: list[bool]) -> list[bool]:
    """The heading model's flags (``likely``) under what headings never are: a line that
    goes on to its own next item, an unnumbered line opening with the preamble's words
    or in a part's text; and the title under a bare 三、 shares that line's flag."""
    heads = list(likely)
    flagged = list(compress(range(len(heads)), likely))  # few lines: look at those alone
    for t in flagged:
        heads[t] = not (views[t].no_heading or _BODY_TEXT in dynamic[t])
    # 三、 alone, its title on the next line: one heading.  A line this flags is unnumbered,
    # never a bare 三、, so it flags no further line: the lines flagged above suffice.
    for t in [t + 1 for t in flagged if heads[t] and t + 1 < len(views)]:
        if views[t - 1].bare and views[t].unnumbered and not in_table[t]:
            heads[t] = True
    return heads


def title_under_one_line(sections: list[str], heads: list[bool], titles: list[bool]) -> list[str]:
    """The report's title as the second line, under one line of page furniture (a
    breadcrumb, 登录 | 注册), is the title block's, as the first line is; under more
    furniture it opens the preamble (annotations write both so).

    >>> title_under_one_line(["title", "preamble", "preamble"], [False, True, False], [False, True, False])
    ['title', 'title', 'preamble']
    >>> title_under_one_line(["title", "preamble", "preamble"], [False, False, True], [False, False, True])
    ['title', 'preamble', 'preamble']
    """
    if (len(sections) > 1 and sections[:2] == ["title", "preamble"] and heads[1] and titles[1]
            and not titles[0]):
        return ["title", "title", *sections[2:]]
    return sections


def contents_not_headings(heads: list[bool], texts: list[str]) -> list[bool]:
    """The entries of a contents page (一、总体情况……1) are no headings: the model reads
    each as the heading it lists (:func:`nlp.segment.rules.section_anchors` holds them to
    the preamble).

    >>> contents_not_headings([True, True, True], ["信川市交通局2019年报告", "一、总体情况……1", "一、总体情况"])
    [True, False, True]
    """
    if not has_contents_entry(texts):
        return heads
    return [head and not is_contents_entry(text) for head, text in zip(heads, texts)]


def one_title_block(sections: list[str], heads: list[bool], titles: list[bool] | None = None
                    ) -> list[bool]:
    """Before 一、总体情况 only the first run of heading lines, and the title again, stay headings.

    Scraped pages may open the preamble with a list of the section names; once the
    title block has ended with a non-heading line, later title/preamble lines are not
    headings — except a line shaped as a report title (``titles``): pages print the
    title in their header and again as the document's head after the page furniture,
    and both are the report's title.

    >>> one_title_block(["title", "title", "preamble", "preamble", "overview"], [True, False, True, True, True],
    ...                 [True, False, False, True, False])
    [True, False, False, True, True]
    """
    out = list(heads)
    started = ended = False
    for t, section in enumerate(sections):
        if section not in ("title", "preamble"):
            break
        if out[t]:
            if ended and not (titles and titles[t]):
                out[t] = False
            started = True
        elif started:
            ended = True
    return out


def _positive(model: LinearModel, scores: np.ndarray) -> np.ndarray:
    """P(label "1") from a binary model's raw scores, per line."""
    col = model.classes.index("1") if "1" in model.classes else len(model.classes) - 1
    return np.exp(model.log_proba_column(scores, col))


# The settings a trained segmenter decodes with: from the card's ``inference`` and
# ``model`` sections (cards written before the one settings schema hold them flat).
DECODE_KEYS = ("switch_penalty", "start_penalty", "boundary_weight", "table_penalty", "anchor_penalty",
               "heading_threshold", "head_chars")


def decode_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The decoding settings in a card's ``settings`` (nested or flat).

    >>> decode_settings({"model": {"head_chars": 8}, "inference": {"switch_penalty": 2.0}})
    {'switch_penalty': 2.0, 'head_chars': 8}
    >>> decode_settings({"seed": 13, "head_chars": 10})
    {'head_chars': 10}
    """
    flat = {**settings, **(settings.get("model") or {}), **(settings.get("inference") or {})}
    return {k: flat[k] for k in DECODE_KEYS if k in flat}
