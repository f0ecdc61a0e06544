"""The trained linker (backend ``logreg``): fact → a table id, a ``narrative.<topic>`` id, or None.

A fact alone ("42件") says nothing about what it counts; its sentence does.  Each fact
becomes sparse binary features (:mod:`nlp.link.features`) read by two heads, both
scikit-learn ``LogisticRegression`` fitted by :mod:`nlp.train.linker` and stored here as
arrays:

- *main*: multinomial over every id seen in training (plus ``__none__``); a fact
  gets the argmax.
- *zero*: one binary head per id that zero claims deny in training (multi-label,
  one-vs-rest), reading only the claim's own words (``Z:`` n-grams): what a claim
  denies is what it names, whichever paragraph it sits in.  A ZERO fact is expanded to
  every id whose probability reaches ``zero_threshold`` — one Fact per id, same span
  ("未发生行政复议和行政诉讼" → review.total, litigation.direct.total,
  litigation.after_review.total), as the gold records do; when none reaches it, the
  main head's argmax is used.  A claim whose words name table cells by the
  ``zero_scopes`` rules of indicators.yaml (:mod:`nlp.claims`: 未作出行政强制决定 →
  行政强制) gets those cells, the ones the reconciler checks it against; the heads decide
  the rest (未发生泄密事件 names no cell).

Grounded in the template: a fact other than a zero claim may get a table id (or a
composite such as 予以公开及部分公开 → ``requests.disclosed.total``) only when words of its
own clause name that cell (:mod:`nlp.link.candidates`); the main head then picks the most
probable of the candidates and the non-table ids, so it decides part vs whole (其中网上申请
N件 is a channel) and other work; with no candidate a fact gets a topic.  The template
is the one the tables stage found (``Work.template``).

Saved as JSON (vocabulary, classes, settings) and NumPy ``.npy`` arrays loaded with
``allow_pickle=False``; ``meta.json`` via ``nlp.persist`` hashes them, so a tampered
file is refused.  Prediction needs only NumPy: the feature matrix is binary, so a product
with it is a sum of weight rows (:class:`Rows`), summed in the order SciPy's CSR product
sums them — the same float32 scores (training, :mod:`nlp.train.linker`, uses SciPy).
"""

from __future__ import annotations

import bisect
import io
import itertools
import json
import re
from array import array
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, ClassVar, Iterator, NamedTuple

import numpy as np

from nlp import lexicon
from nlp.claims import zero_claim, zero_scope
from nlp.component import Base, Work
from nlp.errors import ModelError
from nlp.indicators import grid_template
from nlp.link.candidates import candidates_of, last_naming, names_object, naming_words, object_scope
from nlp.link.columns import column_parts
from nlp.link.config import LinkerConfig
from nlp.link.context import BREAKDOWN, DocContext, clause_end, clause_start, period_start, sentence_bounds
from nlp.link.features import doc_features
from nlp.link.ids import NONE, is_table, outcome_rows, row_of, table_of, templates_of
from nlp.link.respective import respective_figures
from nlp.link.shares import part_shares
from nlp.link.sums import linked_sums, zero_sums_as_parts
from nlp.link.years import last_year_items
from nlp.persist import atomic_write_bytes, atomic_write_text, read_meta, write_meta
from nlp.types import Fact

__all__ = ["KIND", "NONE", "LinkerConfig", "Linker", "Rows", "is_table", "table_of", "unit_key"]

KIND = "linker"
# Fields of the card that ``write_meta`` sets itself: never copied from an old card.
_CARD_OWN = ("kind", "backend", "toolkit_version", "compatible", "files")
_YOY = "narrative.yoy."
_NARRATIVE = "narrative."
# A cell the words name in a row the model never learnt: it cannot weigh the link, so the
# confidence says a coin, not the model's certainty (see Linker._grounded).
_WORDS_ONLY = 0.5
# figure labels whose narrative topics a fitted linker keeps (``topics`` in classes.json):
# a figure gets only a topic a figure of its label (a count: of its unit) took in training
TOPIC_LABELS = ("COUNT", "PERCENT", "MONEY")
_COUNTED = "COUNT:"  # a unit key (label:unit) of a count
# A change on last year is stated as one (同比增加N件, 较上年减少): a figure in a list of
# kinds (水质监测数据365条, 原创208条) is not one, however the model scores it.
_COMPARES = lexicon.pattern("linking", "compares")
# the topics a figure of a label gets only where the words before it name them
_NEEDS = {label: {t: tuple(words) for t, words in lexicon.load("linking")[key].items()}
          for label, key in (("MONEY", "topic_needs"), ("COUNT", "count_topic_needs"))}
_WHOLE_TOPICS = {t: tuple(words) for t, words in lexicon.load("linking")["whole_topics"].items()}
_PART_NARROWS = frozenset(lexicon.load("linking")["part_narrows"])  # (信息公开: a part of all reviews that is table 4's)
# an amount's own clause with nothing but these words looks back for the cell it counts
_AMOUNT_HEADS = re.compile("(?:{})*".format("|".join(sorted(lexicon.load("linking")["amount_heads"], key=len,
                                                             reverse=True))))
_CHANNELS = {t: tuple(words) for t, words in lexicon.load("linking")["request_channels"].items()}
_PART_CHANNELS = {t: tuple(words) for t, words in lexicon.load("linking")["part_channels"].items()}
# a year or a comparison after a breakdown opens a new whole (…，其中…30条，2022年…800条)
_YEAR_OR_COMPARISON = re.compile(lexicon.load("sections")["title"]["year"] + "|" + _COMPARES.pattern)
_WHOLE_REACH = 60  # characters back to the start of a whole's clause, at most
# Counters a table's figure is printed in that the generator never writes (规范性文件4篇):
# they may take the table ids their like counter (件) took in training
_UNIT_ALIKE = dict(lexicon.load("linking")["unit_alike"])
_TOPIC_POOLS = frozenset(lexicon.load("linking")["topic_unit_groups"])
_POOLED_FAMILIES = tuple(lexicon.load("linking")["topic_unit_families"])
_UNIT_GROUPS = lexicon.units().groups
assert array("i").itemsize == 4, "Linker._matrix keeps columns as int32 bytes"


def _channel_after(text: str, fact: Fact) -> str | None:
    """The one request channel a figure's clause names after it and not before it (2件为网络
    申请), or None."""
    before = text[clause_start(text, fact.start, max(0, fact.start - _WHOLE_REACH)):fact.start]
    after = text[fact.end:clause_end(text, fact.end, len(text))]
    named = [t for t, words in _CHANNELS.items() if any(w in after for w in words)]
    if len(named) != 1 or any(w in before for words in _CHANNELS.values() for w in words):
        return None
    return named[0]


def _naming_words(text: str, fact: Fact) -> str:
    """The words that may name what a figure counts: since the last 。 before it (a ； may
    stand between: 收取…成本费用；全年共收取30元), and its clause after it (2名工作人员)."""
    return text[period_start(text, fact.start):fact.start] + text[fact.end:clause_end(text, fact.end, len(text))]


def _stage_named(text: str, fact: Fact, ids: list[tuple[str, float]], named: list[str]) -> list[tuple[str, float]]:
    """``ids``, unless they are a stage topic whose verbs (linking.yaml ``stage_verbs``) its
    sentence does not name before the figure (since the last 。: a bracket may cut a clause,
    办理挖掘（占用）城市道路申请件77件) while the clause's words name one cell: then that cell
    (依申请公开4件 counts new requests, not the year's handling)."""
    verbs = _STAGE_VERBS.get(ids[0][0])
    if verbs is None or len(named) != 1:
        return ids
    words = text[period_start(text, fact.start):fact.start]
    return ids if any(v in words for v in verbs) else [(named[0], ids[0][1])]


def _is_whole_of(text: str, whole: Fact, part: Fact, topic: str) -> bool:
    """Is ``whole`` the figure a breakdown after it takes ``part`` from — 其中 between them, no
    other year nor comparison after the 其中 (2021年…900条，其中…30条，2022年…800条: a new
    whole) — and do its own clause's words name ``topic``'s whole?"""
    if not _breaks_down(text, whole, part):
        return False
    own = text[clause_start(text, whole.start, max(0, whole.start - _WHOLE_REACH)):whole.start]
    return any(w in own for w in _WHOLE_TOPICS[topic])


def _breaks_down(text: str, whole: Fact, part: Fact) -> bool:
    """Does a breakdown take ``part`` from ``whole`` — 其中 between them, no other year nor
    comparison after the 其中, the part smaller, in the whole's unit?"""
    if whole.unit != part.unit or (whole.value or 0) <= (part.value or 0):
        return False
    between = text[whole.end:part.start]
    k = between.rfind(BREAKDOWN)
    return k >= 0 and not _YEAR_OR_COMPARISON.search(between, k)


def _text_order(facts: list[Fact]) -> list[int] | None:
    """The facts' starts when they are in text order (the extractor gives them so), else None."""
    starts = [f.start for f in facts]
    return starts if all(a <= b for a, b in zip(starts, starts[1:])) else None


def _same_id_before(facts: list[Fact], starts: list[int] | None, out: list[list[tuple[str | None, float]]],
                    i: int, s0: int) -> Iterator[Fact]:
    """The facts before fact ``i`` in its sentence (from ``s0``) given its first id, nearest
    first.  Facts in text order (``starts``) are looked at from the sentence's first only: a
    long report's thousands of facts are not walked back for each figure."""
    first = bisect.bisect_left(starts, s0, 0, i) if starts is not None else 0
    same = (facts[j] for j in range(i - 1, first - 1, -1) if out[j][0][0] == out[i][0][0])
    return itertools.takewhile(lambda w: w.start >= s0, same)


def _given(ids: list[tuple[str, float]]) -> list[tuple[str | None, float]]:
    """Ids as the linker gives them: ``__none__`` as None."""
    return [(None if c == NONE else c, p) for c, p in ids]


def unit_key(f: Fact) -> str:
    """
    >>> unit_key(Fact(0, 3, "44件", "COUNT", 44, "件")), unit_key(Fact(0, 1, "无", "ZERO", 0))
    ('COUNT:件', 'ZERO:')
    """
    return f"{f.label}:{f.unit or ''}"


class Rows(NamedTuple):
    """A binary feature matrix as CSR parts: row ``i`` is 1 at the columns
    ``indices[indptr[i]:indptr[i + 1]]`` and 0 elsewhere.

    >>> X = Rows(np.array([0, 2, 2, 3]), np.array([0, 2, 1]), 3)
    >>> X.shape, X.toarray().tolist()
    ((3, 3), [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> X.dot(np.arange(6, dtype=np.float32).reshape(3, 2)).tolist()
    [[4.0, 6.0], [0.0, 0.0], [2.0, 3.0]]
    """

    indptr: np.ndarray
    indices: np.ndarray
    n_cols: int

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.n_cols

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``X @ weights`` (``weights``: one row per column of X): each row of X picks its
        weight rows and sums them one after another, in column order, from zero — as
        SciPy's CSR product does, so the float32 sums are the same to the bit."""
        out = np.zeros((len(self.indptr) - 1, weights.shape[1]), dtype=weights.dtype)
        ptr, indices = self.indptr.tolist(), self.indices
        add, take = np.add.reduce, weights.take
        for i, (a, b) in enumerate(zip(ptr, ptr[1:])):
            if b > a:  # take: a faster gather of rows than fancy indexing; summed straight into out
                add(take(indices[a:b], axis=0), axis=0, out=out[i])  # axis 0: row after row, no pairwise sum
        return out

    def take(self, rows: list[int]) -> Rows:
        """The matrix of the given rows only, in that order.

        >>> Rows(np.array([0, 2, 2, 3]), np.array([0, 2, 1]), 3).take([2, 0]).indices.tolist()
        [1, 0, 2]
        """
        ptr = self.indptr
        parts = [self.indices[ptr[i]:ptr[i + 1]] for i in rows]
        indptr = np.zeros(len(rows) + 1, dtype=ptr.dtype)
        np.cumsum([len(part) for part in parts], out=indptr[1:])
        return Rows(indptr, np.concatenate(parts) if parts else self.indices[:0], self.n_cols)

    def toarray(self) -> np.ndarray:
        dense = np.zeros(self.shape, dtype=np.float32)
        dense[np.repeat(np.arange(self.shape[0]), np.diff(self.indptr)), self.indices] = 1.0
        return dense


# Table 3's rows that count requests at a stage: received, carried over, handled, carried
# forward.  The model tells such a figure from other work well and the stage less well.
_NEW = "requests.new"
_STAGE_ROWS = (_NEW, "requests.carried_over", "requests.received", "requests.total", "requests.carried_forward")
# ... and the topics that count requests at a stage no cell holds (linking.yaml stage_topics:
# 办理…申请N件, new and carried over together): the model's mass there is mass on a stage
_STAGE_TOPICS = tuple(lexicon.load("linking")["stage_topics"])
_STAGE_VERBS = {t: tuple(verbs) for t, verbs in lexicon.load("linking")["stage_verbs"].items()}


def _support_rows(ind: str) -> tuple[str, ...]:
    """The rows whose probability mass supports a candidate cell of ``ind``'s row
    (:meth:`Linker._grounded`): every stage row, whose words (办结, 结转下年度, an applicant
    column's 自然人申请) name the stage — the model split …共办结政府信息公开申请62件 after a
    year between 新收 and 办结; but the new requests' total rests on 申请 alone (撤回申请13件
    in a reviewing body's work).  Likewise every outcome row (予以公开 … 其他处理 and their
    reasons), whose words name the outcome: the model split 不予公开的4件中2件为属于行政查询
    事项 among 不予公开 and its reasons.  Any other row: its own only.

    >>> _support_rows("requests.total.total")[-1], _support_rows("requests.new.total")
    ('requests.carried_forward', ('requests.new',))
    >>> _support_rows("requests.new.natural")[-1]  # 2件为自然人申请: the column's words name the stage
    'requests.carried_forward'
    >>> "requests.granted" in _support_rows("requests.denied.query.total"), _support_rows("review.upheld")
    (True, ('table4',))
    """
    row = row_of(ind)
    if row in _STAGE_ROWS and ind != _NEW + ".total":
        return _STAGE_ROWS
    return outcome_rows() if row in outcome_rows() else (row,)


class Linker(Base):
    """A fitted linker: vocabulary + two logistic heads as arrays."""

    stage: ClassVar[str] = "linker"
    backend: ClassVar[str] = "logreg"

    def __init__(self, vocab: list[str], classes: list[str], coef: np.ndarray, intercept: np.ndarray,
                 zero_classes: list[str], zero_coef: np.ndarray, zero_intercept: np.ndarray,
                 config: LinkerConfig, units: dict[str, list[str]] | None = None,
                 meta: dict[str, Any] | None = None, topics: dict[str, list[str]] | None = None):
        self.vocab = vocab
        self.meta = meta or {}  # the card: what ``save`` writes back (metrics, corpus hash, settings)
        # "LABEL:unit" → table ids seen with it in training; a table id is only given to
        # a fact whose label and unit it was trained with (people are counted in 名, not
        # requests; 54种 is never a table cell).  Narrative ids and None are never masked here.
        self.units = units or {}
        # "LABEL" and "COUNT:unit" → the narrative topics a figure of that label (and, for a
        # count, of that unit) took in training: a share is never a count of posts, 235条 never
        # a number of visits.  A card written before has none: no topic is masked.
        self.topics = topics or {}
        self.index = {name: i for i, name in enumerate(vocab)}
        self._columns: dict[tuple[str, ...], list[int]] = {}  # feature group → its columns
        self.classes = classes
        self._table_class = np.array([is_table(c) for c in classes], dtype=bool)
        self._class_index = {c: j for j, c in enumerate(classes)}
        self._yoy_class = np.array([c.startswith(_YOY) for c in classes], dtype=bool)
        self._class_array = np.array(classes)
        self._row_of_class = np.array([row_of(c) if is_table(c) else "" for c in classes])
        self._row_masks: dict[tuple[str, ...], np.ndarray] = {}  # candidates → their rows' classes
        self._unit_rows: dict[str, np.ndarray] = {}  # "LABEL:unit" → its _unit_mask row
        self._pooled_rows: dict[str, np.ndarray] = {}  # "COUNT:unit" → the topics its group took
        # float32 as saved, so a fitted and a reloaded linker predict identically
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.zero_classes = zero_classes
        self.zero_coef = np.asarray(zero_coef, dtype=np.float32)
        self.zero_intercept = np.asarray(zero_intercept, dtype=np.float32)
        self.config = config
        # a weight row per feature, C-ordered: transposed once, not per document (a loaded
        # linker's weights come transposed already, and are not copied)
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._zero_coef_t = np.ascontiguousarray(self.zero_coef.T)

    # -------------------------------------------------------------- the contract
    def __call__(self, work: Work) -> list[Fact]:
        """``work.facts`` with ``indicator`` and ``confidence`` filled; a ZERO fact denying
        several things becomes one Fact per indicator, same span.  The confidence is the
        joint one: the extractor's (when it gave one) times the link's probability."""
        out: list[Fact] = []
        for fact, ids in zip(work.facts, self.predict_ids(work.text, work.facts, work.lines, work.template)):
            span = 1.0 if fact.confidence is None else fact.confidence
            for ind, p in ids:
                out.append(replace(fact, indicator=ind, confidence=round(span * p, 4)))
        out = respective_figures(work.text, out, work.template, self.config)  # 许可、处罚决定分别为0件
        out = linked_sums(work.text, out, work.template)  # 新收3件，上年结转1件，共计4件
        out = column_parts(work.text, out, work.template)  # 自然人申请7件（予以公开2件…）
        out = last_year_items(work.text, out, work.template, work.year)  # 2020年…行政许可33项 in 2021's
        out = part_shares(work.text, out)  # 工作动态类信息397条，占9.1%: the kind's share
        return zero_sums_as_parts(out, work.template)  # 行政诉讼0件: neither kind of suit

    # -------------------------------------------------------------- the heads
    def _matrix(self, rows: list[list[tuple[str, ...]]]) -> Rows:
        """Binary feature matrix of feature groups (:func:`fact_feature_groups`); each
        group's columns are looked up once and kept as int32 bytes, so a document's
        columns are joined in one piece, not converted from Python ints one by one."""
        if len(self._columns) > 65536:
            self._columns.clear()
        columns, index = self._columns, self.index
        parts, indptr, size = [], [0], 0
        for row in rows:
            for group in row:
                cols = columns.get(group)
                if cols is None:
                    cols = columns[group] = array("i", [c for c in map(index.get, group) if c is not None]).tobytes()
                parts.append(cols)
                size += len(cols)
            indptr.append(size)
        return Rows(np.array(indptr, dtype=np.int32) // 4, np.frombuffer(bytearray().join(parts), dtype=np.int32),
                    len(self.vocab))

    def probabilities(self, rows: list[list[tuple[str, ...]]], X: Rows | None = None) -> np.ndarray:
        """Main-head class probabilities (softmax), one row per fact."""
        X = self._matrix(rows) if X is None else X
        scores = X.dot(self._coef_t) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def zero_probabilities(self, rows: list[list[tuple[str, ...]]], X: Rows | None = None) -> np.ndarray:
        """Per-id probabilities that a zero claim denies that id (one-vs-rest sigmoids)."""
        if not self.zero_classes:
            return np.zeros((len(rows), 0))
        X = self._matrix(rows) if X is None else X
        scores = X.dot(self._zero_coef_t) + self.zero_intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def predict_ids(self, text: str, facts: list[Fact], lines: list | None = None,
                    template: str | None = None) -> list[list[tuple[str | None, float]]]:
        """Per fact, the ids it gets with their probability (ZERO facts may get several)."""
        if not facts:
            return []
        ctx = DocContext(text, lines, template)
        rows = doc_features(text, facts, ctx, self.config)
        X = self._matrix(rows)
        probs = raw = self.probabilities(rows, X)
        if self.units or self.topics:
            probs = probs * self._unit_mask(facts)
            probs /= probs.sum(axis=1, keepdims=True)
        scopes = [zero_scope(zero_claim(text, f), grid_template(template)) if f.label == "ZERO" else ()
                  for f in facts]
        # the zero head reads only the claims whose words name no cell (the rest it would not decide)
        undecided = [i for i, f in enumerate(facts) if f.label == "ZERO" and not scopes[i]]
        zprobs = dict(zip(undecided, self.zero_probabilities([rows[i] for i in undecided], X.take(undecided))))
        # the argmax of every row, and the grounded ids of every fact but the zero claims, at once
        best = probs.argmax(axis=1)
        best_p = probs[np.arange(len(facts)), best].tolist()
        grounded: dict[int, list[tuple[str, float]]] = {}
        if self.config.cell_words:
            kept = [i for i, f in enumerate(facts) if f.label != "ZERO"]
            cands = [candidates_of(ctx, facts[i], self.config) for i in kept]
            grounded = {i: _stage_named(text, facts[i], ids, named) for i, ids, named
                        in zip(kept, self._grounded(cands, probs[kept], grid_template(template)), cands)}
        out = []
        for i, fact in enumerate(facts):
            if scopes[i]:  # the words name the cells: no head overrules them, no gate doubts them
                out.append([(c, 1.0) for c in scopes[i]])
                continue
            ids = [(self.classes[best[i]], best_p[i])]
            if fact.label == "ZERO" and self.zero_classes:
                picked = [(self.zero_classes[j], float(p)) for j, p in enumerate(zprobs[i])
                          if p >= self.config.zero_threshold]
                if picked:
                    ids = sorted(picked, key=lambda x: self._order(x[0]))
            if i in grounded:
                ids = grounded[i]
            elif self.config.objects or self.config.table_margin:
                ids = self._gate(text, fact, ids, probs[i])
            if ids[0][0].startswith(_YOY) and not _COMPARES.search(object_scope(text, fact)[1]):
                ids = self._best_of(probs[i], ~self._yoy_class & ~self._table_class)
            if fact.label == "COUNT" and len(ids) == 1 and ids[0][0].startswith(_NARRATIVE) \
                    and not ids[0][0].startswith(_YOY):
                ids = self._pooled_topic(raw[i], unit_key(fact)) or ids
            if ids[0][0] in _NEEDS.get(fact.label, ()):
                start = period_start(text, fact.start)
                cells = self._cells_named(text, start, fact, probs[i]) \
                    if fact.label == "MONEY" and self.config.cell_words else {}
                ids = self._needs_met(ids, _naming_words(text, fact), probs[i], _NEEDS[fact.label], cells,
                                      text[start:fact.start])
            if ids[0][0] in _CHANNELS:
                ids = [(_channel_after(text, fact) or ids[0][0], ids[0][1])]
            out.append(_given(ids))
        return self._parts_off_the_wholes_cell(text, facts, self._parts_not_the_whole(text, facts, out, probs), probs)

    def _parts_not_the_whole(self, text: str, facts: list[Fact], out: list[list[tuple[str | None, float]]],
                             probs: np.ndarray) -> list[list[tuple[str | None, float]]]:
        """A count that a breakdown opens after its whole (公开政府信息755条，其中主动公开重点
        领域政府信息122条) counts a part, never the whole (annotation.md): given a topic that
        only a whole has (linking.yaml ``whole_topics``) that its whole has too, it gets its
        next best topic instead.  (Other topics are left: a channel's posts broken down by
        outlet keep the channel's topic.)"""
        starts = _text_order(facts)
        for i, fact in enumerate(facts):
            topic = out[i][0][0] if len(out[i]) == 1 else None
            if fact.label != "COUNT" or topic not in _WHOLE_TOPICS:
                continue
            s0 = sentence_bounds(text, fact.start, fact.end)[0]
            if any(_is_whole_of(text, w, fact, topic) for w in _same_id_before(facts, starts, out, i, s0)):
                allowed = self._part_topics(text, fact, topic) & (probs[i] > 0)
                out[i] = _given(self._best_of(probs[i], allowed))
        return out

    def _parts_off_the_wholes_cell(self, text: str, facts: list[Fact], out: list[list[tuple[str | None, float]]],
                                   probs: np.ndarray) -> list[list[tuple[str | None, float]]]:
        """A part a breakdown takes from its whole (:func:`_breaks_down`) counts no table cell
        its whole was given: 共收到申请5项，其中1项申请人撤回 is no count of new requests, nor
        共收到申请15条，其中邮寄2条 (the parts took the whole's clause as theirs).  It keeps the
        cell only where its own clause names it, or narrows the whole to what the tables count
        (linking.yaml ``part_narrows``), in words its whole's clause lacks (受理21件，其中新收20件;
        行政复议12件，其中涉及政府信息公开的2件); else it gets its best topic — a cell its words
        do not name would be a guess."""
        starts = _text_order(facts)
        for i, fact in enumerate(facts):
            cell = out[i][0][0] if len(out[i]) == 1 else None
            if fact.label != "COUNT" or cell is None or not is_table(cell):
                continue
            s0, s1 = sentence_bounds(text, fact.start, fact.end)
            whole = next((w for w in _same_id_before(facts, starts, out, i, s0) if _breaks_down(text, w, fact)), None)
            if whole is None:
                continue
            own = text[clause_start(text, fact.start, s0):clause_end(text, fact.end, s1)]
            whole_words = text[clause_start(text, whole.start, s0):whole.end]
            names = naming_words(self.config.cell_words, cell, own) | _PART_NARROWS
            if not [w for w in names if w in own and w not in whole_words]:
                out[i] = _given(self._best_of(probs[i], self._topics_of(cell)))
        return out

    def _topics_of(self, cell: str) -> np.ndarray:
        """The narrative topics of a table cell's family (requests.… → narrative.requests.…),
        or every topic when the family has none."""
        family = np.char.startswith(self._class_array, f"{_NARRATIVE}{cell.split('.', 1)[0]}.")
        return family if family.any() else ~self._table_class

    def _part_topics(self, text: str, part: Fact, whole_topic: str) -> np.ndarray:
        """The topics a part of a whole of ``whole_topic`` may take: a kind of what the whole
        counts, or the posts of a channel named since the breakdown opened (linking.yaml
        ``part_channels``)."""
        allowed = np.char.startswith(self._class_array, whole_topic.rsplit(".", 1)[0] + ".")
        since = text[max(0, part.start - _WHOLE_REACH):part.start]
        since = since[since.rfind(BREAKDOWN) + len(BREAKDOWN):] if BREAKDOWN in since else since
        named = [t for t, words in _PART_CHANNELS.items() if any(w in since for w in words)]
        return (allowed | np.isin(self._class_array, named)) & (self._class_array != whole_topic)

    def _pooled_topic(self, prow: np.ndarray, unit: str) -> list[tuple[str, float]]:
        """The most probable topic for a count whose counter is of a pooled group
        (linking.yaml ``topic_unit_groups``: 人事信息14件 as 14条), among :meth:`_pooled_row`'s
        topics, its probability taken among them; [] for any other count.  Only a figure that
        got a topic asks: the table ids keep the counter's own mask (行政许可170件 is
        decisions, 行政许可信息153条 is published items)."""
        allowed = self._pooled_rows.get(unit)
        if allowed is None:
            allowed = self._pooled_rows[unit] = self._pooled_row(unit)
        if not allowed.any():
            return []
        p = np.where(allowed, prow, 0.0)
        j = int(p.argmax())
        return [(self.classes[j], float(p[j] / p.sum()))] if p[j] > 0 else []

    def _pooled_row(self, unit: str) -> np.ndarray:
        """The topics open to a count of ``unit`` (``COUNT:件``) when its group is pooled: its
        own counter's, and the published kinds' its group's counters took."""
        counter = unit.partition(":")[2]
        group = _UNIT_GROUPS.get(counter)
        if not unit.startswith("COUNT:") or group not in _TOPIC_POOLS:
            return np.zeros(len(self.classes), dtype=bool)
        topics = set(self.topics.get(unit, ()))
        topics |= {t for key, ts in self.topics.items() if key.startswith("COUNT:")
                   and _UNIT_GROUPS.get(key.partition(":")[2]) == group for t in ts if t.startswith(_POOLED_FAMILIES)}
        # (a change on last year is given only where comparison words say so: not here)
        return np.array([c in topics for c in self.classes], dtype=bool) & ~self._yoy_class

    def _gate(self, text: str, fact: Fact, ids: list[tuple[str, float]], prow: np.ndarray
              ) -> list[tuple[str, float]]:
        """Drop table ids whose object the fact's clause does not name (or whose margin is
        too thin); when none is left, the best non-table id (a narrative topic or None)."""
        scope = object_scope(text, fact)
        kept = [(c, p) for c, p in ids if not is_table(c) or names_object(
            self.config.objects, c, scope, zero=fact.label == "ZERO")]
        if fact.label != "ZERO" and kept and is_table(kept[0][0]) and len(prow) > 1:
            top2 = np.sort(prow)[-2:]
            if top2[1] - top2[0] < self.config.table_margin:
                kept = []
        return kept or self._best_of(prow, ~self._table_class)

    def _grounded(self, cands: list[list[str]], probs: np.ndarray, grid: str = "2021"
                  ) -> list[list[tuple[str, float]]]:
        """Per fact (a row of ``probs``), its best candidate (:func:`fact_candidates`) when
        the model holds it a figure of the candidates' rows, else the most probable
        non-table id.

        Two questions, each answered by what knows it best: *whether* the figure counts
        one of these cells is the model's (its probability mass on every id of the
        candidates' rows, 新收 total and 自然人 alike, against the rest, by
        ``table_margin``); *which* cell is the clause's words (the candidates, ranked by
        the model).  The model alone would lose a figure whose cell it rarely saw in prose
        (自然人申请N件, read as 新收 total, an id its words rule out) to a topic; mass on
        other rows (处理决定N件 after 行政处罚 held a penalty figure) is no support.  A lone
        candidate the model never learnt (行政查询事项; 规章N件 in an opening with no table,
        one cell of each template: the ``grid`` template's) is taken on the words alone when
        its row holds the mass, or when the model learnt no cell of its row at all (规章:
        then it has no say, and the confidence is ``_WORDS_ONLY``).  When the
        rows do not hold the mass, the best candidate may still win on its own
        (:meth:`_cell_or_topic`)."""
        out = []
        margin = max(self.config.table_margin, 1e-9)
        for row, prow in zip(cands, probs):
            known = [c for c in row if c in self._class_index]
            if not known:  # the words alone: only the cells of the grid the document is read on
                row = [c for c in row if grid in templates_of(c)]
                if len(row) != 1:
                    out.append(self._cell_or_topic(prow, [], margin))
                    continue
            rows = self._rows_mask(row)
            if not rows.any():  # no cell of these rows was ever learnt: the words alone, a coin's confidence
                out.append([(row[0], _WORDS_ONLY)])
                continue
            support = float(prow[rows].sum())
            best = max(known, key=lambda c: prow[self._class_index[c]]) if known else row[0]
            if 2 * support - float(prow.sum()) >= margin:  # the candidates' rows hold the mass
                out.append([(best, support)])
            else:
                out.append(self._cell_or_topic(prow, known, margin))
        return out

    def _rows_mask(self, cands: list[str]) -> np.ndarray:
        """The classes in the rows whose mass supports ``cands`` (:func:`_support_rows`; a few
        dozen sets ever occur: kept)."""
        key = tuple(cands)
        mask = self._row_masks.get(key)
        if mask is None:
            rows = {r for c in cands for r in _support_rows(c)}
            # (the stages' candidates other than 新收's total, whose support is every stage row)
            topics = _STAGE_TOPICS if rows >= set(_STAGE_ROWS) else ()  # 办理…申请N件's mass is a stage's
            mask = self._row_masks[key] = np.isin(self._row_of_class, list(rows)) | np.isin(self.classes, topics)
        return mask

    def _cell_or_topic(self, prow: np.ndarray, known: list[str], margin: float) -> list[tuple[str, float]]:
        """The most probable of the known candidates and the non-table ids, probabilities
        taken among those; a table id needs ``margin`` over the next of them."""
        allowed = ~self._table_class
        allowed[[self._class_index[c] for c in known]] = True
        if not allowed.any():
            return [(NONE, 0.0)]
        p = np.where(allowed, prow, 0.0)
        if p.sum() > 0:
            p = p / p.sum()
        j = int(np.where(allowed, p, -1.0).argmax())
        if self._table_class[j] and allowed.sum() > 1:
            top2 = np.sort(p)[-2:]
            if top2[1] - top2[0] < margin:
                return self._best_of(prow, ~self._table_class)
        return [(self.classes[j], float(p[j]))]

    def _needs_met(self, ids: list[tuple[str, float]], words: str, prow: np.ndarray,
                   needs: dict[str, tuple[str, ...]], cells: dict[str, int], before: str) -> list[tuple[str, float]]:
        """``ids``, unless its topic needs words (linking.yaml ``topic_needs``) the naming
        ``words`` lack: then the best topic that needs none they lack (no change on last
        year), or one of the table ``cells`` an amount's words name (:meth:`_cells_named`,
        with where in ``before`` — the sentence before the figure — they last do), the
        nearest naming deciding: after 无行政事业性收费，政府集中采购18项，资金214万元 the
        procurement's word stands nearer than the fee's."""
        topic = ids[0][0]
        unmet = {t for t, named in needs.items() if not any(w in words for w in named)}
        if topic in needs and topic not in unmet and cells:
            if max(before.rfind(w) for w in needs[topic]) < max(cells.values()):
                unmet.add(topic)  # a cell named after the topic's last word
        if topic not in unmet:
            return ids
        allowed = ~self._table_class & ~self._yoy_class & (prow > 0) & np.array([c not in unmet for c in self.classes])
        allowed |= np.array([c in cells for c in self.classes])
        return self._best_of(prow, allowed)  # (none left: no topic, rather than one the unit rules out)

    def _cells_named(self, text: str, start: int, fact: Fact, prow: np.ndarray) -> dict[str, int]:
        """The table cells the unit allows that an amount's words name, with where in its
        sentence before it (``text[start:fact.start]``) they last do: its own clause's words,
        or, when its clause is only words such as 资金/累计金额 (linking.yaml ``amount_heads``),
        the clauses before it too (政府集中采购18项，资金214万元; not 节约财政资金30万元)."""
        own = clause_start(text, fact.start, start)  # (on the document: its stops are found once)
        if _AMOUNT_HEADS.fullmatch(text[own:fact.start].strip()):
            own = start
        at = {c: last_naming(self.config.cell_words, c, text[own:fact.start])
              for c, table, p in zip(self.classes, self._table_class, prow) if table and p > 0}
        return {c: own - start + k for c, k in at.items() if k >= 0}

    def _best_of(self, prow: np.ndarray, allowed: np.ndarray) -> list[tuple[str, float]]:
        """The most probable of the allowed classes (``__none__`` when none is)."""
        if not allowed.any():
            return [(NONE, 0.0)]
        j = int(np.where(allowed, prow, -1.0).argmax())
        return [(self.classes[j], float(prow[j]))]

    def _unit_mask(self, facts: list[Fact]) -> np.ndarray:
        """1 where a class may be given to the fact, 0 for table ids its unit rules out."""
        return np.array([self._unit_row(unit_key(f)) for f in facts])

    def _unit_row(self, unit: str) -> np.ndarray:
        row = self._unit_rows.get(unit)
        if row is None:  # a few dozen label:unit pairs ever occur: kept as arrays, copied, not converted
            row = self._unit_rows[unit] = np.array(
                [a * b for a, b in zip(self._table_unit_row(unit), self._topic_row(unit))])
        return row

    def _table_unit_row(self, unit: str) -> tuple[float, ...]:
        """0 for the table ids a (label, unit) never took in training."""
        if unit not in self.units:  # never seen in training (宗): the words decide, not the unit
            return (1.0,) * len(self.classes)
        allowed = set(self.units.get(unit, ())) | set(self.units.get(_UNIT_ALIKE.get(unit), ()))
        # 4宗被复议维持: 宗 counts cases in all of table 4 — a count; an amount is only ever
        # a money cell's (采购2117.27万元 is no 采购项目数量)
        tables = {table_of(c) for c in allowed} if unit.startswith(_COUNTED) else set()
        return tuple(0.0 if table and c not in allowed and table_of(c) not in tables else 1.0
                     for c, table in zip(self.classes, self._table_class))

    def _topic_row(self, unit: str) -> tuple[float, ...]:
        """0 for the narrative topics a figure of this (label, unit) never took in training —
        or of this label, for a unit never seen (满意度100% is a rate, not a count of posts)."""
        allowed = self.topics.get(unit, self.topics.get(unit.split(":")[0]))
        if allowed is None:
            return (1.0,) * len(self.classes)
        allowed = set(allowed)
        return tuple(0.0 if c.startswith(_NARRATIVE) and c not in allowed else 1.0 for c in self.classes)

    def _order(self, ind: str) -> int:
        return self.zero_classes.index(ind)

    # -------------------------------------------------------------- persistence
    def save(self, model_dir: Path) -> None:
        """Write the model (weights, vocabulary, settings) and its card: ``self.meta``
        (the trainer's metrics and settings, or the card it was loaded with)."""
        out_dir = Path(model_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.iterdir():  # a model dir holds this model only
            if old.is_file():
                old.unlink()
        atomic_write_text(out_dir / "vocab.json", json.dumps(self.vocab, ensure_ascii=False))
        atomic_write_text(out_dir / "classes.json", json.dumps(
            {"main": self.classes, "zero": self.zero_classes, "units": self.units, "topics": self.topics},
            ensure_ascii=False, indent=1))
        atomic_write_text(out_dir / "config.json", json.dumps(asdict(self.config), ensure_ascii=False, indent=1))
        # weight matrices as CSR parts (pruned weights are exact zeros): ~20x smaller
        for name, arr in (("coef", self.coef), ("zero_coef", self.zero_coef)):
            data, indices, indptr = _csr_parts(arr)
            atomic_write_bytes(out_dir / f"{name}.data.npy", _npy_bytes(data))
            atomic_write_bytes(out_dir / f"{name}.indices.npy", _npy_bytes(indices, np.int32))
            atomic_write_bytes(out_dir / f"{name}.indptr.npy", _npy_bytes(indptr, np.int64))
        for name, arr in (("intercept", self.intercept), ("zero_intercept", self.zero_intercept)):
            atomic_write_bytes(out_dir / f"{name}.npy", _npy_bytes(arr))
        card = {k: v for k, v in self.meta.items() if k not in _CARD_OWN}
        self.meta = write_meta(out_dir, KIND, backend=self.backend, **card)

    @classmethod
    def load(cls, model_dir: str | Path) -> Linker:
        """Load a linker directory; refuses unknown, pickled or tampered files (``ModelError``)."""
        model_dir = Path(model_dir)
        meta = read_meta(model_dir, KIND)
        try:
            vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
            classes = json.loads((model_dir / "classes.json").read_text(encoding="utf-8"))
            cfg = LinkerConfig.from_dict(json.loads((model_dir / "config.json").read_text(encoding="utf-8")))
            arrays = {name: np.load(model_dir / f"{name}.npy", allow_pickle=False)
                      for name in ("intercept", "zero_intercept")}
            for name, rows in (("coef", len(classes["main"])), ("zero_coef", len(classes["zero"]))):
                parts = [np.load(model_dir / f"{name}.{p}.npy", allow_pickle=False)
                         for p in ("data", "indices", "indptr")]
                arrays[name] = _dense(*parts, shape=(rows, len(vocab)))
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError) as err:
            raise ModelError(str(model_dir), f"unreadable linker files ({err}); retrain it with "
                                             f"`govreport train linker --out {model_dir}`") from None
        return cls(vocab, classes["main"], arrays["coef"], arrays["intercept"], classes["zero"],
                   arrays["zero_coef"], arrays["zero_intercept"], cfg, classes.get("units", {}), meta,
                   classes.get("topics", {}))


def _csr_parts(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A dense matrix's non-zeros in CSR form (data, column indices, row pointers), row by row.

    >>> [p.tolist() for p in _csr_parts(np.array([[0, 1.5, 0], [0, 0, 0], [2, 0, 3]]))]
    [[1.5, 2.0, 3.0], [1, 0, 2], [0, 1, 1, 3]]
    """
    arr = np.asarray(arr)
    rows, cols = np.nonzero(arr)
    indptr = np.zeros(arr.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=arr.shape[0]), out=indptr[1:])
    return arr[rows, cols], cols, indptr


def _dense(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The dense matrix of CSR parts (as saved by :func:`_csr_parts`); malformed parts
    raise ``ValueError``.

    >>> _dense(np.array([1.5, 2.0, 3.0]), np.array([1, 0, 2]), np.array([0, 1, 1, 3]), (3, 3)).tolist()
    [[0.0, 1.5, 0.0], [0.0, 0.0, 0.0], [2.0, 0.0, 3.0]]
    >>> _dense(np.array([1.0]), np.array([-1]), np.array([0, 1]), (1, 3))
    Traceback (most recent call last):
    ValueError: malformed sparse weights (1 x 3)
    """
    n_rows, n_cols = shape
    if indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        raise ValueError(f"malformed sparse weights ({n_rows} x {n_cols}): positions are not integers")
    # signed from here: a difference of unsigned positions wraps around instead of going negative
    indptr, indices = indptr.astype(np.int64, copy=False), indices.astype(np.int64, copy=False)
    counts = np.diff(indptr) if indptr.ndim == 1 and len(indptr) == n_rows + 1 else None
    if (counts is None or indptr[0] != 0 or (counts < 0).any() or indices.ndim != 1 or data.ndim != 1
            or indptr[-1] != len(indices) or len(data) != len(indices)
            or (len(indices) and (indices.min() < 0 or indices.max() >= n_cols))):
        raise ValueError(f"malformed sparse weights ({n_rows} x {n_cols})")
    rows = np.repeat(np.arange(n_rows), counts)
    # built transposed, C-ordered: the linker multiplies by the transpose (a 15 MB copy at
    # every start otherwise); the view returned has the shape asked for
    dense_t = np.zeros((n_cols, n_rows), dtype=data.dtype)
    if len(indices) < 2 or bool(((rows[1:] != rows[:-1]) | (indices[1:] > indices[:-1])).all()):
        dense_t[indices, rows] = data  # each position once (indices ascend within a row)
    else:
        np.add.at(dense_t, (indices, rows), data)  # repeated positions add up, as in CSR
    return dense_t.T


def _npy_bytes(arr: np.ndarray, dtype: type = np.float32) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.asarray(arr, dtype=dtype), allow_pickle=False)
    return buf.getvalue()
