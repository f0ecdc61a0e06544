"""Fact → indicator linking: a table id, a ``narrative.<topic>`` id, or None.

A fact alone ("42件") says nothing about what it counts; its sentence does.  Each
fact becomes a dict of sparse features (``fact_features``):

- character 1–3-grams of the *near* left context (6 chars), the *clause* before the
  fact (back to the last ，、；：), the wider left window (``left_window`` chars,
  clipped at the sentence start), the right context up to the clause end, the head of
  the sentence (its topic: "共收到…申请"), and the nearest heading above the line;
- the label, unit, section of the line (from ``lines`` when given), value magnitude;
- structure: is 其中 between the previous fact of the sentence and this one (a
  breakdown: "其中网上申请42件" is ``narrative.requests.online``, not the total), the
  fact's rank in its sentence, keywords (结转/办结/复议/诉讼 …) appear as n-grams.

Digits in context windows are folded to ``#`` so other figures of the sentence do
not become features.

Two heads, both scikit-learn ``LogisticRegression`` (lbfgs, fixed settings, so
training is deterministic):

- *main*: multinomial over every id seen in training (plus ``__none__``); a fact
  gets the argmax.
- *zero*: one binary head per id that zero claims deny in training (multi-label,
  one-vs-rest), reading only the claim's own words (``Z:`` n-grams, ``zero_features``):
  what a claim denies is what it names, whichever paragraph it sits in.  A ZERO fact is expanded to every id whose probability reaches
  ``zero_threshold`` — one Fact per id, same span ("未发生行政复议和行政诉讼" →
  review.total, litigation.direct.total, litigation.after_review.total), as the
  gold records do; when none reaches it, the main head's argmax is used.

Grounded in the template: a fact other than a zero claim may get a table id (or a
composite such as 予以公开及部分公开 → ``requests.disclosed.total``) only when words of its
own clause name that cell — ``cell_words`` of nlp/data/indicators.yaml, read by
:func:`cell_candidates`, with the family check of ``objects`` (:func:`fact_candidates`).
The candidates are features too (``CAND:<id>``); the main head then picks the most
probable of the candidates and the non-table ids, so it decides part vs whole (其中网上申请
N件 is a channel) and other work; with no candidate a fact gets a topic.

Saved as JSON (vocabulary, classes, settings) and NumPy ``.npy`` arrays loaded with
``allow_pickle=False``; ``meta.json`` via ``nlp.persist`` hashes them, so a tampered
file is refused.  Prediction needs only NumPy/SciPy.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import numpy as np
from scipy import sparse

from nlp.errors import CorpusError, ModelError
from nlp.indicators import composite_parts, registry
from nlp.persist import atomic_write_bytes, atomic_write_text, corpus_hash, read_meta, write_meta
from nlp.types import Fact, Line, Record, lines_of, loads_yaml

__all__ = ["LinkerConfig", "Linker", "RuleLinker", "load_linker", "train", "fact_features",
           "evaluate_linking", "load_config", "NONE"]

KIND = "linker"
NONE = "__none__"
_SENT_END = "。；;！？!?\n"
_SENT_END_RE = re.compile(f"[{re.escape(_SENT_END)}]")
_DIGIT = re.compile(r"\d")
_CLAUSE_END = _SENT_END + "，,、：:（）()"
_CLAUSE_END_RE = re.compile(f"[{re.escape(_CLAUSE_END)}]")
_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d))")


@dataclass
class LinkerConfig:
    """Training settings (``configs/linker.yaml``)."""

    train: list[str] = field(default_factory=lambda: ["synth/train.jsonl"])
    eval: dict[str, str] = field(default_factory=lambda: {
        "synthetic_dev": "synth/dev.jsonl", "synthetic_test": "synth/test.jsonl",
        "seeds": "seeds.jsonl"})
    realdev: str | None = "../../shared/realdev/realdev.jsonl"
    left_window: int = 20
    near_window: int = 6
    right_window: int = 12
    head_window: int = 12
    min_count: int = 2
    C: float = 4.0
    max_iter: int = 2000
    zero_C: float = 4.0
    zero_threshold: float = 0.5
    zero_features: str = "Z:"  # feature-name prefix the zero head sees ("" = all)
    unit_mask: bool = True
    prune: float = 0.01
    seed: int = 0
    # Precision gate (see ``names_object``): indicator prefix → {words: the clause must name
    # one, exclude: words in the fact's clause that mean it counts something else}.
    # ``load_config`` fills in the ``objects`` of nlp/data/indicators.yaml; a trained model
    # keeps its copy.  Empty: no gate.
    objects: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    table_margin: float = 0.0  # a table id needs p(best) - p(second) >= this
    # Candidates (see ``cell_candidates``): the ``cell_words`` of indicators.yaml, filled in
    # by ``load_config``; a trained model keeps its copy.  Empty: every table id may be given.
    cell_words: dict[str, Any] = field(default_factory=dict)


def load_config(path: str | Path | None) -> LinkerConfig:
    """Read ``configs/linker.yaml`` (unknown keys are an error, so typos surface); the
    gate's ``objects`` come from indicators.yaml unless the file sets its own."""
    data = {}
    if path is not None and Path(path).is_file():
        data = loads_yaml(Path(path).read_text(encoding="utf-8")) or {}
    known = set(LinkerConfig.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"{path}: unknown linker settings {sorted(unknown)}; known: {sorted(known)}")
    data.setdefault("objects", dict(registry().objects))
    data.setdefault("cell_words", dict(registry().raw.get("cell_words") or {}))
    return LinkerConfig(**data)


# ---------------------------------------------------------------- context helpers
MAX_SENTENCE = 2000  # characters either side of a fact: no report sentence is longer


@functools.lru_cache(maxsize=1024)  # asked for each fact by several features; a text's hash is kept
def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]`` (split on 。；！？ and newlines), at most
    ``MAX_SENTENCE`` characters either side of the span: a text without stops (a
    hostile input, a table run together) costs each fact a bounded window, so work
    stays linear in the length of the text.

    >>> t = "概述。共收到申请44件，其中网上申请42件。下一句"
    >>> s, e = sentence_bounds(t, 8, 11); t[s:e]
    '共收到申请44件，其中网上申请42件'
    >>> sentence_bounds("件" * 5000, 2500, 2502)
    (500, 4502)
    """
    stops = _sentence_stops(text)
    k = bisect.bisect_left(stops, start)  # stops before start: stops[:k]
    s = stops[k - 1] + 1 if k else 0
    k = bisect.bisect_left(stops, end, lo=k)
    e = stops[k] if k < len(stops) else len(text)
    return max(s, start - MAX_SENTENCE), min(e, end + MAX_SENTENCE)


@functools.lru_cache(maxsize=8)
def _sentence_stops(text: str) -> list[int]:
    """Offsets of every sentence end in ``text``, found once per document (one pass)."""
    return [m.start() for m in _SENT_END_RE.finditer(text)]


@functools.lru_cache(maxsize=8)
def _clause_stops(text: str) -> list[int]:
    """Offsets of every clause end (sentence ends included), once per document."""
    return [m.start() for m in _CLAUSE_END_RE.finditer(text)]


def clause_start(text: str, start: int, floor: int) -> int:
    """Where the clause holding ``start`` begins (after ，、；： …), not before ``floor``.

    >>> t = "共收到申请44件，其中网上申请42件、当面申请2件"
    >>> t[clause_start(t, 23, 0):23]
    '当面申请'
    """
    if start <= floor:
        return start
    stops = _clause_stops(text)
    k = bisect.bisect_left(stops, start)  # the last clause end before start: stops[k - 1]
    return max(floor, stops[k - 1] + 1) if k else floor


def clause_end(text: str, end: int, ceil: int) -> int:
    """Where the clause holding ``end`` stops.

    >>> t = "办结39件，结转5件"
    >>> t[4:clause_end(t, 4, len(t))]
    '件'
    """
    if end >= ceil:
        return end
    stops = _clause_stops(text)
    k = bisect.bisect_left(stops, end)
    return min(ceil, stops[k]) if k < len(stops) else ceil


def fold_digits(s: str) -> str:
    """Other figures are not features: digits → ``#``.

    >>> fold_digits("2023年收到44件")
    '####年收到##件'
    """
    return _DIGIT.sub("#", s)


def ngrams(s: str, prefix: str, n_max: int = 3) -> dict[str, float]:
    """Character 1..n-grams of ``s`` as binary features.

    >>> sorted(ngrams("其中", "C", 2))
    ['C:中', 'C:其', 'C:其中']
    """
    return dict.fromkeys(_ngram_names(s, prefix, n_max), 1.0)


@functools.lru_cache(maxsize=16384)
def _ngram_names(s: str, prefix: str, n_max: int) -> tuple[str, ...]:
    # cached: context windows ("共收到", "件，其中") repeat across facts and reports
    return tuple(dict.fromkeys(f"{prefix}:{s[i:i + n]}" for n in range(1, n_max + 1)
                               for i in range(len(s) - n + 1)))


class DocContext:
    """Per-document lookups: line of an offset, its section, the heading above it."""

    def __init__(self, text: str, lines: list[Line] | None = None, template: str | None = None):
        self.text = text
        self.lines = lines if lines else lines_of(text)
        self.starts = [ln.start for ln in self.lines]
        self._above: list[str] | None = None  # line index → its heading, for all lines at once
        self._template = template
        self._candidates: dict[tuple[int, int], list[str]] = {}

    @property
    def template(self) -> str | None:
        """The table generation the report uses: given, or the year its opening names
        most often (reports on 2019 and 2020 use the 2019 template); None when unknown."""
        if self._template is None:
            from nlp.pipeline import opening_year  # the pipeline's own reading of the year

            year = opening_year(self.text)
            self._template = "" if year is None else ("2019" if year <= 2020 else "2021")
        return self._template or None

    def candidates(self, fact: Fact, cfg: LinkerConfig) -> list[str]:
        """The table ids the fact may get (:func:`fact_candidates`, cached per span)."""
        key = (fact.start, fact.end)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = fact_candidates(cfg, self.text, fact, self.template)
        return found

    def line_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def section(self, offset: int) -> str:
        return self.lines[self.line_index(offset)].section or "unknown"

    def heading(self, offset: int) -> str:
        """The line's own heading (a heading line holding a fact) or the nearest above."""
        if self._above is None:  # one pass over the lines, on first use (walking up from every
            last = ""            # fact was quadratic in long texts without headings)
            self._above = [last := (self._heading_text(i) or last) for i in range(len(self.lines))]
        return self._above[self.line_index(offset)] if self._above else ""

    def _heading_text(self, i: int) -> str:
        """Line ``i``'s text if it is a heading, else ''."""
        ln = self.lines[i]
        line_text = self.text[ln.start:ln.end].strip()
        if (ln.heading or _HEADING_RE.match(line_text)) and 0 < len(line_text) <= 40:
            return line_text
        return ""


def _magnitude(value: Any) -> str:
    """Log-10 bucket of a value: counts of 0, a few, dozens, hundreds …

    >>> _magnitude(0), _magnitude(7), _magnitude(188), _magnitude(None)
    ('0', '1', '3', 'none')
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "none"
    if value <= 0:
        return "0"
    return str(min(6, int(math.log10(value)) + 1))


def fact_features(text: str, fact: Fact, ctx: DocContext, cfg: LinkerConfig,
                  prev_end: int | None = None, rank: int = 0) -> dict[str, float]:
    """Sparse features of one fact in its sentence (see the module docstring).

    ``prev_end`` is the end of the previous fact in the same sentence (None if first).

    >>> t = "共收到申请44件，其中网上申请42件。"
    >>> f = fact_features(t, Fact(14, 17, "42件", "COUNT", 42, "件"), DocContext(t), LinkerConfig(), 8, 1)
    >>> f["qizhong"], f["unit=件"], "C:网上" in f
    (1.0, 1.0, True)
    """
    groups = fact_feature_groups(text, fact, ctx, cfg, prev_end, rank)
    return dict.fromkeys((k for group in groups for k in group), 1.0)


def fact_feature_groups(text: str, fact: Fact, ctx: DocContext, cfg: LinkerConfig,
                        prev_end: int | None = None, rank: int = 0) -> list[tuple[str, ...]]:
    """:func:`fact_features` (all binary) as groups of names that share no name.  The
    n-gram groups recur across facts and reports as the same tuples, so the linker
    maps each to its columns once (:meth:`Linker._matrix`)."""
    s0, s1 = sentence_bounds(text, fact.start, fact.end)
    c0 = clause_start(text, fact.start, s0)
    c1 = clause_end(text, fact.end, s1)
    left = fold_digits(text[max(s0, fact.start - cfg.left_window):fact.start])
    near = fold_digits(text[max(s0, fact.start - cfg.near_window):fact.start])
    clause = fold_digits(text[max(c0, fact.start - cfg.left_window):fact.start])
    right = fold_digits(text[fact.end:min(s1, fact.end + cfg.right_window)])
    right_clause = fold_digits(text[fact.end:min(c1, fact.end + cfg.right_window)])
    head = fold_digits(text[s0:min(fact.start, s0 + cfg.head_window)])
    heading = fold_digits(ctx.heading(fact.start))
    since_prev = text[prev_end if prev_end is not None else s0:fact.start]
    flags = {"approx": fact.approx, "qizhong": "其中" in since_prev,
             "qizhong_sent": "其中" in text[s0:fact.start],
             "clause_first": prev_end is None or prev_end <= c0}
    own = [f"lab={fact.label}", f"unit={fact.unit or ''}", f"mag={_magnitude(fact.value)}",
           f"rank={min(rank, 3)}", *(k for k, on in flags.items() if on)]
    own += [f"END{k}:{near[-k:]}" for k in (1, 2, 3, 4) if len(near) >= k]  # the words touching the number
    if right_clause:
        own.append(f"NEXT:{right_clause[:2]}")
    section = ctx.section(fact.start)
    if section != "unknown":  # no lines given: no section feature rather than a fake one
        own.append(f"sec={section}")
    groups = [tuple(own), _ngram_names(near, "N", 3), _ngram_names(clause, "C", 3),
              _ngram_names(left, "L", 2), _ngram_names(right_clause, "RC", 3),
              _ngram_names(right, "R", 2), _ngram_names(head, "S", 2), _ngram_names(heading, "H", 2)]
    if fact.label == "ZERO":
        groups.append(_ngram_names(fold_digits(fact.text), "Z", 3))
    cands = ctx.candidates(fact, cfg)
    groups.append(tuple(f"CAND:{c}" for c in cands) or ("CAND:none",))
    return groups


def _doc_features(record_text: str, facts: list[Fact], ctx: DocContext,
                  cfg: LinkerConfig) -> list[list[tuple[str, ...]]]:
    """Feature groups (:func:`fact_feature_groups`) for every fact of a document, in the order given."""
    order = sorted(range(len(facts)), key=lambda i: (facts[i].start, facts[i].end))
    out: list[list[tuple[str, ...]]] = [[] for _ in facts]
    prev_end, prev_sent, rank = None, None, 0
    for i in order:
        f = facts[i]
        sent = sentence_bounds(record_text, f.start, f.end)[0]
        if sent != prev_sent:
            prev_end, rank = None, 0
        out[i] = fact_feature_groups(record_text, f, ctx, cfg, prev_end, rank)
        prev_end, prev_sent, rank = f.end, sent, rank + 1
    return out


def _spans(facts: Iterable[Fact]) -> list[tuple[Fact, list[str]]]:
    """Gold facts grouped by span: one representative fact and every id it has.

    >>> fs = [Fact(0, 3, "未发生", "ZERO", 0, indicator="review.total"),
    ...       Fact(0, 3, "未发生", "ZERO", 0, indicator="litigation.direct.total")]
    >>> [(f.start, ids) for f, ids in _spans(fs)]
    [(0, ['review.total', 'litigation.direct.total'])]
    """
    groups: dict[tuple[int, int], tuple[Fact, list[str]]] = {}
    for f in facts:
        key = (f.start, f.end)
        if key not in groups:
            groups[key] = (replace(f, indicator=None, confidence=None), [])
        ind = f.indicator or NONE
        if ind not in groups[key][1]:
            groups[key][1].append(ind)
    return [groups[k] for k in sorted(groups)]


# ---------------------------------------------------------------- precision gate
# A change on last year is stated as one (同比增加N件, 较上年减少, 比去年多): a figure in a list
# of kinds (水质监测数据365条, 原创208条) is not one, however the model scores it.
_YOY = "narrative.yoy."
_COMPARES = re.compile(r"同比|环比|较上|比上|较去|比去|较前|比前|上年|去年|增加|减少|增长|下降|上升|降低|提高|增幅|降幅|多出|少了")


def object_scope(text: str, fact: Fact) -> tuple[str, str, str]:
    """Where a fact may name its object: the sentence up to the end of the fact's clause
    plus the words right after it up to the next ，；, the fact's own clause, and the
    sentence's first clause (its topic).  A zero claim's own words count as its clause.

    >>> t = "共收到申请44件，其中网上申请42件。信箱事务12件，办结11件"
    >>> object_scope(t, Fact(29, 32, "11件", "COUNT", 11))
    ('信箱事务12件，办结11件', '办结11件', '信箱事务12件')
    >>> t = "受理5件公民、法人提出的申请"
    >>> object_scope(t, Fact(2, 4, "5件", "COUNT", 5))[0]
    '受理5件公民、法人提出的申请'
    """
    s0, s1 = sentence_bounds(text, fact.start, fact.end)
    c0 = clause_start(text, fact.start, s0)
    c1 = clause_end(text, fact.end, s1)
    r1 = fact.end
    while r1 < min(s1, fact.end + 24) and text[r1] not in "，,；;":
        r1 += 1
    h1 = clause_end(text, s0, s1)
    return text[s0:max(c1, r1)], text[c0:c1] + (fact.text if fact.label == "ZERO" else ""), text[s0:h1]


def names_object(objects: dict[str, dict[str, list[str]]], indicator: str,
                 scope: tuple[str, str, str], zero: bool = False) -> bool:
    """Does the text name what the table cell counts (``objects`` of indicators.yaml)?

    ``scope`` is ``object_scope``'s (sentence, own clause, first clause).  A zero claim
    must name the object in its own words, other facts anywhere in the sentence before
    them.  ``exclude`` words in the fact's clause (or in the sentence's first clause when
    the fact's clause names no object) mean another thing is counted: 信箱/信访 work,
    许可事项 catalogues, 处罚信息 published items; ``exclude`` words are waived when an
    ``unless`` word is in the fact's clause (办理行政许可事项N件 are decisions).

    >>> obj = {"requests.": {"words": ["申请"], "exclude": ["信箱"]},
    ...        "active.licensing.": {"words": ["许可"], "exclude": ["事项"], "unless": ["办理"]}}
    >>> names_object(obj, "requests.new.total", ("共收到申请44件", "共收到申请44件", "共收到申请44件"))
    True
    >>> names_object(obj, "requests.new.total", ("领导信箱12件", "领导信箱12件", "领导信箱12件"))
    False
    >>> names_object(obj, "active.licensing.decisions", ("公布行政许可事项86项",) * 3)
    False
    >>> names_object(obj, "active.licensing.decisions", ("办理行政许可事项86件",) * 3)
    True
    >>> names_object(obj, "requests.new.total", ("没有发生收费情况",) * 3, zero=True)
    False
    """
    sentence, own, head = scope
    for prefix, spec in objects.items():
        if not indicator.startswith(prefix):
            continue
        words = spec.get("words", ())
        if not any(w in (own if zero else sentence) for w in words):
            return False
        where = own if any(w in own for w in words) else own + head
        if (any(w in where for w in spec.get("exclude", ()))
                and not any(w in own for w in spec.get("unless", ()))):
            return False
        if zero and any(w in own for w in spec.get("zero_exclude", ())):
            return False
        return True
    return True


# ---------------------------------------------------------------- candidates from the template
# ``cell_words`` of indicators.yaml: the words a clause names each table cell (or composite)
# by.  A fact may get a table id only when its clause names that cell; the model ranks the
# candidates against the narrative topics (a part, a channel, another kind of work).
_OPEN_BRACKETS = "（("
_CLOSE_OR_NUMBER = re.compile(r"[）)\d〇零一二两三四五六七八九十百千万]")


@dataclass(frozen=True)
class CellWords:
    """One cell's naming words (see indicators.yaml ``cell_words``)."""

    words: tuple[str, ...]
    with_: tuple[str, ...] = ()
    family: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    after: bool = False
    group: str | None = None
    templates: tuple[str, ...] = ()
    instead_of: tuple[str, ...] = ()  # ids a match of this cell rules out


@dataclass(frozen=True)
class CellSpecs:
    """Parsed ``cell_words``: groups, cells in file order, and which cells a character
    may begin a naming word of (a clause holding none of a cell's first characters cannot
    name it: most clauses are looked at for a few cells only)."""

    groups: dict[str, tuple[str, ...]]
    cells: dict[str, CellWords]
    by_char: dict[str, frozenset[str]]


_PARSED: dict[int, tuple[dict, CellSpecs]] = {}  # id of a config's cell_words → (it, parsed)


def _cell_specs(spec: dict) -> CellSpecs:
    """Parsed ``cell_words`` (cached per dict: a config keeps one for its life)."""
    hit = _PARSED.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(_PARSED) > 16:
        _PARSED.clear()
    parsed = _parse_cell_specs(spec)
    _PARSED[id(spec)] = (spec, parsed)
    return parsed


def _parse_cell_specs(spec: dict) -> CellSpecs:
    groups = {g: tuple(ws) for g, ws in (spec.get("groups") or {}).items()}
    cells = {ind: CellWords(tuple(c.get("words", ())), tuple(c.get("with", ())), tuple(c.get("family", ())),
                            tuple(c.get("not", ())),
                            c.get("where") == "after", c.get("group"), tuple(c.get("templates", ())),
                            tuple(c.get("instead_of", ())))
             for ind, c in (spec.get("cells") or {}).items()}
    by_char: dict[str, set[str]] = {}
    for ind, cell in cells.items():
        for w in cell.words:
            by_char.setdefault(w[:1], set()).add(ind)
    return CellSpecs(groups, cells, {c: frozenset(ids) for c, ids in by_char.items()})


class Scope(NamedTuple):
    """Where a fact's clause may name its cell, digits folded."""

    before: str  # the clause up to the figure
    rest: str    # the clause after the figure
    tail: str    # a bracket right after the clause, up to its first number: （含上年结转
    lead: str    # the sentence before the clause, back to 。 or a line end (复议2件；维持1件)

    @property
    def clause(self) -> str:
        return f"{self.before}#{self.rest}"


def naming_scope(text: str, fact: Fact) -> Scope:
    """The fact's clause and what may name its cell around it.

    >>> t = "共受理申请151件（含上年结转13件），办结146件"
    >>> naming_scope(t, Fact(5, 9, "151件", "COUNT", 151))
    Scope(before='共受理申请', rest='', tail='（含上年结转', lead='')
    >>> naming_scope(t, Fact(26, 30, "146件", "COUNT", 146)).lead
    '共受理申请###件（含上年结转##件），'
    """
    s0, s1 = sentence_bounds(text, fact.start, fact.end)
    c0 = clause_start(text, fact.start, s0)
    c1 = clause_end(text, fact.end, s1)
    p0 = _period_start(text, c0)
    tail_end = c1
    if c1 < s1 and text[c1] in _OPEN_BRACKETS:
        m = _CLOSE_OR_NUMBER.search(text, c1 + 1, min(s1, c1 + 24))
        tail_end = m.start() if m else min(s1, c1 + 24)
    return Scope(fold_digits(text[c0:fact.start]), fold_digits(text[fact.end:c1]),
                 fold_digits(text[c1:tail_end]), fold_digits(text[min(s0, p0):c0]))


def _period_start(text: str, pos: int) -> int:
    """Where the text before ``pos`` last ends a sentence with 。 or a line (within 200
    characters): ； joins the outcomes of one group (复议3件；维持2件；1件尚未审结).

    >>> _period_start("概述。行政复议3件；维持2件", 12)
    3
    """
    return max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos), pos - 201) + 1


def _last_group(groups: dict[str, tuple[str, ...]], s: str) -> str | None:
    """The table-4 group named last in ``s`` (复议 … 诉讼 → litigation)."""
    best, where = None, -1
    for g, words in groups.items():
        for w in words:
            i = s.rfind(w)
            if i >= 0 and i + len(w) > where:
                best, where = g, i + len(w)
    return best


def cell_candidates(cell_words: dict, text: str, fact: Fact, template: str | None = None) -> list[str]:
    """Table ids (and composites) the words of the fact's clause name.

    >>> cw = registry().raw["cell_words"]
    >>> t = "共收到申请44件，其中网上申请42件，办结39件，结转下年度继续办理5件"
    >>> [cell_candidates(cw, t, Fact(*m.span(), m.group(), "COUNT", 1))
    ...  for m in re.finditer(r"\\d+件", t)]
    [['requests.new.total'], [], ['requests.total.total'], ['requests.carried_forward.total']]
    >>> t = "行政复议2件，维持1件；行政诉讼3件"
    >>> [cell_candidates(cw, t, Fact(*m.span(), m.group(), "COUNT", 1)) for m in re.finditer(r"\\d件", t)]
    [['review.total'], ['review.upheld'], ['litigation.total']]
    """
    if not cell_words:
        return []
    specs = _cell_specs(cell_words)
    groups, cells = specs.groups, specs.cells
    sc = naming_scope(text, fact)
    clause, after = sc.clause, sc.rest + sc.tail
    named = set().union(*(specs.by_char.get(c, ()) for c in set(clause + sc.tail)))
    out = []
    for ind, spec in cells.items():
        if ind not in named:  # none of its words can begin anywhere in the scope
            continue
        if template and spec.templates and template not in spec.templates:
            continue
        where = after if spec.after else clause
        if not any(w in where for w in spec.words):
            continue
        if spec.with_ and not any(w in clause for w in spec.with_):
            continue
        if spec.family and not any(w in sc.lead + clause for w in spec.family):
            continue
        if any(w in clause for w in spec.not_):
            continue
        if spec.group and _last_group(groups, sc.lead + clause) != spec.group:
            continue
        out.append(ind)
    ruled_out = {x for ind in out for x in cells[ind].instead_of}
    return [ind for ind in out if ind not in ruled_out]


def fact_candidates(cfg: LinkerConfig, text: str, fact: Fact, template: str | None = None) -> list[str]:
    r""":func:`cell_candidates` whose family the sentence names (``objects``: 申请 for
    requests, not 信箱 work) — the table ids a fact may get.  Zero claims have none here:
    their ids come from the zero head (one claim denies several cells).

    >>> cfg = load_config(None)
    >>> t = "领导信箱收到来信12件。共收到政府信息公开申请9件"
    >>> [fact_candidates(cfg, t, Fact(*m.span(), m.group(), "COUNT", 1)) for m in re.finditer(r"\d+件", t)]
    [[], ['requests.new.total']]
    """
    if not cfg.cell_words or fact.label == "ZERO":
        return []
    sentence, own, head = object_scope(text, fact)
    s0 = sentence_bounds(text, fact.start, fact.end)[0]
    scope = (text[min(s0, _period_start(text, s0)):s0] + sentence, own, head)
    return [c for c in cell_candidates(cfg.cell_words, text, fact, template)
            if names_object(cfg.objects, c, scope)]


# ---------------------------------------------------------------- the model
class Linker:
    """A fitted linker: vocabulary + two logistic heads as arrays."""

    def __init__(self, vocab: list[str], classes: list[str], coef: np.ndarray, intercept: np.ndarray,
                 zero_classes: list[str], zero_coef: np.ndarray, zero_intercept: np.ndarray,
                 config: LinkerConfig, units: dict[str, list[str]] | None = None):
        self.vocab = vocab
        # "LABEL:unit" → table ids seen with it in training; a table id is only given to
        # a fact whose label and unit it was trained with (people are counted in 名, not
        # requests; 54种 is never a table cell).  Narrative ids and None are never masked.
        self.units = units or {}
        self.index = {name: i for i, name in enumerate(vocab)}
        self._columns: dict[tuple[str, ...], list[int]] = {}  # feature group → its columns
        self.classes = classes
        self._table_class = np.array([_is_table(c) for c in classes], dtype=bool)
        self._class_index = {c: j for j, c in enumerate(classes)}
        self._yoy_class = np.array([c.startswith(_YOY) for c in classes], dtype=bool)
        self._unit_rows: dict[str, tuple[float, ...]] = {}  # "LABEL:unit" → its _unit_mask row
        # float32 as saved, so a fitted and a reloaded linker predict identically
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.zero_classes = zero_classes
        self.zero_coef = np.asarray(zero_coef, dtype=np.float32)
        self.zero_intercept = np.asarray(zero_intercept, dtype=np.float32)
        self.config = config
        # sparse @ dense wants the dense side C-ordered: transpose once, not per document
        self._coef_t = np.ascontiguousarray(self.coef.T)
        self._zero_coef_t = np.ascontiguousarray(self.zero_coef.T)

    def _matrix(self, rows: list[list[tuple[str, ...]]]) -> sparse.csr_matrix:
        """Binary feature matrix of feature groups (:func:`fact_feature_groups`); each
        group's columns are looked up once."""
        if len(self._columns) > 65536:
            self._columns.clear()
        columns, index = self._columns, self.index
        indices, indptr = [], [0]
        for row in rows:
            for group in row:
                cols = columns.get(group)
                if cols is None:
                    cols = columns[group] = [c for c in map(index.get, group) if c is not None]
                indices.extend(cols)
            indptr.append(len(indices))
        # int32 arrays: scipy then skips checking the index values (half its cost)
        return sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int32),
                                  np.array(indptr, dtype=np.int32)), shape=(len(rows), len(self.vocab)))

    def probabilities(self, rows: list[list[tuple[str, ...]]], X: sparse.csr_matrix | None = None) -> np.ndarray:
        """Main-head class probabilities (softmax), one row per fact."""
        X = self._matrix(rows) if X is None else X
        scores = np.asarray(X @ self._coef_t) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def zero_probabilities(self, rows: list[list[tuple[str, ...]]], X: sparse.csr_matrix | None = None) -> np.ndarray:
        """Per-id probabilities that a zero claim denies that id (one-vs-rest sigmoids)."""
        if not self.zero_classes:
            return np.zeros((len(rows), 0))
        X = self._matrix(rows) if X is None else X
        scores = np.asarray(X @ self._zero_coef_t) + self.zero_intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def predict_ids(self, text: str, facts: list[Fact],
                    lines: list[Line] | None = None) -> list[list[tuple[str | None, float]]]:
        """Per fact, the ids it gets with their probability (ZERO facts may get several)."""
        if not facts:
            return []
        ctx = DocContext(text, lines)
        rows = _doc_features(text, facts, ctx, self.config)
        X = self._matrix(rows)
        probs = self.probabilities(rows, X)
        if self.units:
            probs = probs * self._unit_mask(facts)
            probs /= probs.sum(axis=1, keepdims=True)
        zprobs = self.zero_probabilities(rows, X)
        out = []
        for i, fact in enumerate(facts):
            best = int(probs[i].argmax())
            ids = [(self.classes[best], float(probs[i, best]))]
            if fact.label == "ZERO" and self.zero_classes:
                picked = [(self.zero_classes[j], float(p)) for j, p in enumerate(zprobs[i])
                          if p >= self.config.zero_threshold]
                if picked:
                    ids = sorted(picked, key=lambda x: self._order(x[0]))
            if self.config.cell_words and fact.label != "ZERO":
                ids = self._grounded(ctx.candidates(fact, self.config), probs[i])
            elif self.config.objects or self.config.table_margin:
                ids = self._gate(text, fact, ids, probs[i])
            if ids[0][0].startswith(_YOY) and not _COMPARES.search(object_scope(text, fact)[1]):
                ids = self._best_of(probs[i], ~self._yoy_class & ~self._table_class)
            out.append([(None if c == NONE else c, p) for c, p in ids])
        return out

    def _gate(self, text: str, fact: Fact, ids: list[tuple[str, float]], prow: np.ndarray
              ) -> list[tuple[str, float]]:
        """Drop table ids whose object the fact's clause does not name (or whose margin is
        too thin); when none is left, the best non-table id (a narrative topic or None)."""
        scope = object_scope(text, fact)
        kept = [(c, p) for c, p in ids if not _is_table(c) or names_object(
            self.config.objects, c, scope, zero=fact.label == "ZERO")]
        if fact.label != "ZERO" and kept and _is_table(kept[0][0]) and len(prow) > 1:
            top2 = np.sort(prow)[-2:]
            if top2[1] - top2[0] < self.config.table_margin:
                kept = []
        return kept or self._best_of(prow, ~self._table_class)

    def _grounded(self, cands: list[str], prow: np.ndarray) -> list[tuple[str, float]]:
        """The most probable of the fact's candidates (:func:`fact_candidates`) and the
        non-table ids; a table id also needs ``table_margin`` over the next allowed id,
        probabilities taken among the allowed."""
        allowed = ~self._table_class
        for c in cands:
            j = self._class_index.get(c)
            if j is not None:
                allowed[j] = True
        p = np.where(allowed, prow, 0.0)
        p = p / p.sum() if p.sum() > 0 else p
        best = self._best_of(p, allowed)
        if _is_table(best[0][0]) and self.config.table_margin and allowed.sum() > 1:
            top2 = np.sort(p)[-2:]
            if top2[1] - top2[0] < self.config.table_margin:
                return self._best_of(p, ~self._table_class)
        return best

    def _best_of(self, prow: np.ndarray, allowed: np.ndarray) -> list[tuple[str, float]]:
        """The most probable of the allowed classes (``__none__`` when none is)."""
        if not allowed.any():
            return [(NONE, 0.0)]
        j = int(np.where(allowed, prow, -1.0).argmax())
        return [(self.classes[j], float(prow[j]))]

    def _unit_mask(self, facts: list[Fact]) -> np.ndarray:
        """1 where a class may be given to the fact, 0 for table ids its unit rules out."""
        return np.array([self._unit_row(_unit_key(f)) for f in facts])

    def _unit_row(self, unit: str) -> tuple[float, ...]:
        row = self._unit_rows.get(unit)
        if row is None:  # a few dozen label:unit pairs ever occur
            if unit not in self.units:  # never seen in training (宗): the words decide, not the unit
                row = self._unit_rows[unit] = (1.0,) * len(self.classes)
                return row
            allowed = set(self.units.get(unit, ()))
            tables = {_table_of(c) for c in allowed}  # 4宗被复议维持: 宗 counts cases in all of table 4
            row = self._unit_rows[unit] = tuple(0.0 if table and c not in allowed and _table_of(c) not in tables
                                                else 1.0 for c, table in zip(self.classes, self._table_class))
        return row

    def _order(self, ind: str) -> int:
        return self.zero_classes.index(ind)

    def link(self, text: str, facts: list[Fact], lines: list[Line] | None = None) -> list[Fact]:
        """Facts with ``indicator`` and ``confidence`` filled; a ZERO fact denying several
        things becomes one Fact per indicator, same span.  The confidence is the joint
        one: the extractor's (when it gave one) times the link's probability."""
        out: list[Fact] = []
        for fact, ids in zip(facts, self.predict_ids(text, facts, lines)):
            span = 1.0 if fact.confidence is None else fact.confidence
            for ind, p in ids:
                out.append(replace(fact, indicator=ind, confidence=round(span * p, 4)))
        return out

    # -------------------------------------------------------------- persistence
    def save(self, out_dir: Path) -> None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.iterdir():  # a model dir holds this model only
            if old.is_file():
                old.unlink()
        atomic_write_text(out_dir / "vocab.json", json.dumps(self.vocab, ensure_ascii=False))
        atomic_write_text(out_dir / "classes.json", json.dumps(
            {"main": self.classes, "zero": self.zero_classes, "units": self.units},
            ensure_ascii=False, indent=1))
        atomic_write_text(out_dir / "config.json", json.dumps(asdict(self.config), ensure_ascii=False, indent=1))
        # weight matrices as CSR parts (pruned weights are exact zeros): ~20x smaller
        for name, arr in (("coef", self.coef), ("zero_coef", self.zero_coef)):
            csr = sparse.csr_matrix(arr)
            atomic_write_bytes(out_dir / f"{name}.data.npy", _npy_bytes(csr.data))
            atomic_write_bytes(out_dir / f"{name}.indices.npy", _npy_bytes(csr.indices, np.int32))
            atomic_write_bytes(out_dir / f"{name}.indptr.npy", _npy_bytes(csr.indptr, np.int64))
        for name, arr in (("intercept", self.intercept), ("zero_intercept", self.zero_intercept)):
            atomic_write_bytes(out_dir / f"{name}.npy", _npy_bytes(arr))


def _npy_bytes(arr: np.ndarray, dtype: type = np.float32) -> bytes:
    import io
    buf = io.BytesIO()
    np.save(buf, np.asarray(arr, dtype=dtype), allow_pickle=False)
    return buf.getvalue()


def load_linker(model_dir: str | Path) -> Linker:
    """Load a linker directory; refuses unknown, pickled or tampered files (``ModelError``)."""
    model_dir = Path(model_dir)
    read_meta(model_dir, KIND)
    try:
        vocab = json.loads((model_dir / "vocab.json").read_text(encoding="utf-8"))
        classes = json.loads((model_dir / "classes.json").read_text(encoding="utf-8"))
        cfg = LinkerConfig(**json.loads((model_dir / "config.json").read_text(encoding="utf-8")))
        arrays = {name: np.load(model_dir / f"{name}.npy", allow_pickle=False)
                  for name in ("intercept", "zero_intercept")}
        for name, rows in (("coef", len(classes["main"])), ("zero_coef", len(classes["zero"]))):
            parts = [np.load(model_dir / f"{name}.{p}.npy", allow_pickle=False)
                     for p in ("data", "indices", "indptr")]
            arrays[name] = sparse.csr_matrix(tuple(parts), shape=(rows, len(vocab))).toarray()
    except (OSError, ValueError, TypeError, KeyError) as err:
        raise ModelError(str(model_dir), f"unreadable linker files ({err}); retrain it with "
                                         f"`govreport train linker --out {model_dir}`") from None
    return Linker(vocab, classes["main"], arrays["coef"], arrays["intercept"], classes["zero"],
                  arrays["zero_coef"], arrays["zero_intercept"], cfg, classes.get("units", {}))


# ---------------------------------------------------------------- rule baseline
# (keywords that must all appear in the clause before the fact, id); first match wins.
_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("上年", "结转"), "requests.carried_over.total"),
    (("结转下",), "requests.carried_forward.total"),
    (("结转",), "requests.carried_forward.total"),
    (("部分公开",), "requests.partial.total"),
    (("予以公开",), "requests.granted.total"),
    (("办结",), "requests.total.total"),
    (("申请",), "requests.new.total"),
    (("规范性文件", "废止"), "active.normative.repealed"),
    (("规范性文件", "现行有效"), "active.normative.in_force"),
    (("规范性文件",), "active.normative.issued"),
    (("行政许可",), "active.licensing.decisions"),
    (("行政处罚",), "active.penalty.decisions"),
    (("行政强制",), "active.coercion.decisions"),
)
_ZERO_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("申请", ("requests.new.total",)),
    ("复议", ("review.total",)),
    ("诉讼", ("litigation.direct.total", "litigation.after_review.total")),
    ("起诉", ("litigation.direct.total", "litigation.after_review.total")),
    ("处理费", ("narrative.fees.processing",)),
)


class RuleLinker:
    """Keyword rules over the clause before a fact (the linking baseline and the pipeline's
    fallback): 其中 breakdowns get no id; zero claims get every id their keywords name.

    >>> t = "共收到申请44件，其中网上申请42件。未发生行政复议和行政诉讼"
    >>> facts = [Fact(5, 8, "44件", "COUNT", 44), Fact(15, 18, "42件", "COUNT", 42),
    ...          Fact(19, 31, t[19:31], "ZERO", 0)]
    >>> [f.indicator for f in RuleLinker().link(t, facts)]
    ['requests.new.total', None, 'review.total', 'litigation.direct.total', 'litigation.after_review.total']
    """

    name = "rule"

    def link(self, text: str, facts: list[Fact], lines: list[Line] | None = None) -> list[Fact]:
        out: list[Fact] = []
        for f in facts:
            for ind in self._ids(text, f):
                out.append(replace(f, indicator=ind, confidence=None))
        return out

    def _ids(self, text: str, f: Fact) -> list[str | None]:
        if f.label == "ZERO":
            ids = [i for key, group in _ZERO_RULES if key in f.text for i in group]
            return list(dict.fromkeys(ids)) or [None]
        s0, _ = sentence_bounds(text, f.start, f.end)
        clause = text[clause_start(text, f.start, s0):f.start]
        if "其中" in clause or f.label == "PERCENT":
            return [None]
        for keys, ind in _RULES:
            if all(k in clause for k in keys):
                return [ind]
        return [None]


# ---------------------------------------------------------------- training
def _load_records(path: Path) -> list[Record]:
    from nlp.corpus.io import load_records  # file:line errors for broken corpora

    return load_records(path)


def _examples(records: list[Record], cfg: LinkerConfig
              ) -> tuple[list[list[tuple[str, ...]]], list[list[str]], list[str]]:
    """Feature rows (groups), id sets and labels, one per gold span."""
    rows, targets, labels = [], [], []
    for rec in records:
        spans = _spans(rec.facts)
        if not spans:
            continue
        facts = [f for f, _ in spans]
        rows += _doc_features(rec.text, facts, DocContext(rec.text, rec.lines or None, rec.template), cfg)
        targets += [ids for _, ids in spans]
        labels += [f.label for f in facts]
    return rows, targets, labels


def _vocabulary(rows: list[list[tuple[str, ...]]], min_count: int) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for group in row:
            for k in group:
                counts[k] = counts.get(k, 0) + 1
    return sorted(k for k, c in counts.items() if c >= min_count)


def fit(records: list[Record], cfg: LinkerConfig) -> Linker:
    """Fit both heads on gold records (deterministic: sorted vocabulary, lbfgs, fixed seed)."""
    from sklearn.linear_model import LogisticRegression

    rows, targets, labels = _examples(records, cfg)
    if not rows:
        raise CorpusError(None, "no facts in the training records")
    vocab = _vocabulary(rows, cfg.min_count)
    shell = Linker(vocab, [], np.zeros((0, len(vocab))), np.zeros(0), [], np.zeros((0, len(vocab))),
                   np.zeros(0), cfg)
    # main head: one row per (span, id) so a multi-id span teaches each of its ids
    main_rows = [i for i, ids in enumerate(targets) for _ in ids]
    main_y = [ind for ids in targets for ind in ids]
    X = shell._matrix(rows)
    classes = sorted(set(main_y))
    if len(classes) == 1:
        coef, intercept = np.zeros((1, len(vocab))), np.array([10.0])
    else:
        lr = LogisticRegression(C=cfg.C, max_iter=cfg.max_iter, random_state=cfg.seed)
        lr.fit(X[main_rows], main_y)
        classes = [str(c) for c in lr.classes_]
        coef, intercept = lr.coef_, lr.intercept_
        if len(classes) == 2:  # sklearn keeps one row for binary problems
            coef = np.vstack([-coef[0], coef[0]]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
    cols = (np.array([k.startswith(cfg.zero_features) for k in vocab]) if cfg.zero_features
            else np.ones(len(vocab), dtype=bool))
    zero_classes, zcoef, zint = _fit_zero_head(X, targets, labels, cfg, cols)
    coef, zcoef = _prune(np.asarray(coef), cfg.prune), _prune(np.asarray(zcoef), cfg.prune)
    return Linker(vocab, classes, coef, np.asarray(intercept), zero_classes,
                  zcoef, zint, cfg, _unit_table(records) if cfg.unit_mask else None)


def _prune(w: np.ndarray, threshold: float) -> np.ndarray:
    """Weights below ``threshold`` in size become exact zeros (smaller model, same argmax
    on dev at 0.01).

    >>> _prune(np.array([[0.5, 0.001, -0.2]]), 0.01).tolist()
    [[0.5, 0.0, -0.2]]
    """
    return np.where(np.abs(w) >= threshold, w, 0.0)


def _table_of(ind: str) -> int | None:
    """The table (2, 3, 4) a table id or composite belongs to.

    >>> _table_of("review.upheld"), _table_of("litigation.total"), _table_of("narrative.x")
    (4, 4, None)
    """
    reg = registry()
    if ind in reg.indicators:
        return reg.indicators[ind].table
    comp = reg.composites.get(ind)
    if comp:
        return next((reg.indicators[p].table for t in ("2021", "2019") for p in composite_parts(ind, t)), None)
    return None


def _unit_key(f: Fact) -> str:
    """
    >>> _unit_key(Fact(0, 3, "44件", "COUNT", 44, "件")), _unit_key(Fact(0, 1, "无", "ZERO", 0))
    ('COUNT:件', 'ZERO:')
    """
    return f"{f.label}:{f.unit or ''}"


def _unit_table(records: list[Record]) -> dict[str, list[str]]:
    """Which table ids each (label, unit) takes in the training records."""
    table: dict[str, set[str]] = {}
    for rec in records:
        for f in rec.facts:
            table.setdefault(_unit_key(f), set())
            if _is_table(f.indicator):
                table[_unit_key(f)].add(f.indicator)
    return {k: sorted(v) for k, v in sorted(table.items())}


def _fit_zero_head(X, targets, labels, cfg: LinkerConfig, cols: np.ndarray):
    """One binary logistic head per id that zero claims deny in training, on the feature
    columns ``cols`` (by default the claim's own words: what a claim denies is what it
    names, whatever section it sits in); weights elsewhere are zero."""
    from sklearn.linear_model import LogisticRegression

    n_features = len(cols)
    zi = [i for i, lab in enumerate(labels) if lab == "ZERO"]
    ids = sorted({ind for i in zi for ind in targets[i] if ind != NONE})
    Xz = X[zi][:, np.flatnonzero(cols)]
    coefs, ints, kept = [], [], []
    for ind in ids:
        y = np.array([ind in targets[i] for i in zi], dtype=int)
        full = np.zeros(n_features)
        if y.min() == y.max():  # always (or never) denied: a constant head
            ints.append(10.0 if y[0] else -10.0)
        else:
            lr = LogisticRegression(C=cfg.zero_C, max_iter=cfg.max_iter, random_state=cfg.seed)
            lr.fit(Xz, y)
            full[np.flatnonzero(cols)] = lr.coef_[0]
            ints.append(float(lr.intercept_[0]))
        coefs.append(full)
        kept.append(ind)
    if not kept:
        return [], np.zeros((0, n_features)), np.zeros(0)
    return kept, np.vstack(coefs), np.asarray(ints)


# ---------------------------------------------------------------- evaluation
def _second(ind: str | None) -> str | None:
    """Loose narrative topic: the second segment (narrative.requests.online → requests).

    >>> _second("narrative.requests.online"), _second(None)
    ('requests', None)
    """
    if not ind:
        return None
    parts = ind.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _is_table(ind: str | None) -> bool:
    return bool(ind) and not ind.startswith("narrative.") and ind != NONE


def evaluate_linking(linker: Linker | RuleLinker, records: list[Record], errors: list | None = None) -> dict[str, Any]:
    """Linking accuracy on gold spans.

    - ``accuracy``: spans whose predicted id set equals the gold set (all ids, None too);
    - ``table_accuracy``: over spans whose gold has table ids, predicted table ids == gold's;
      ``table_precision``: over spans given a table id, the fraction that are right;
    - ``narrative_loose``: over spans whose gold is ``narrative.*``, predicted narrative
      with the same second segment; ``narrative_kind``: predicted any narrative id;
    - ``pair_f1``: micro F1 over (span, id) pairs (rewards expansion of zero claims).
    """
    n = ok = nt = okt = predt = okpt = nn = okn = kindn = 0
    tp = fp = fn = 0
    for rec in records:
        spans = _spans(rec.facts)
        if not spans:
            continue
        facts = [f for f, _ in spans]
        by_span: dict[tuple[int, int], set[str | None]] = {}
        for f in linker.link(rec.text, facts, rec.lines or None):
            by_span.setdefault((f.start, f.end), set()).add(f.indicator)
        for fact, gold_ids in spans:
            gold = {None if g == NONE else g for g in gold_ids}
            got = by_span.get((fact.start, fact.end), {None})
            n += 1
            ok += gold == got
            tp += len(gold & got)
            fp += len(got - gold)
            fn += len(gold - got)
            gt = {g for g in gold if _is_table(g)}
            pt = {p for p in got if _is_table(p)}
            if gt:
                nt += 1
                okt += gt == pt
            if pt:
                predt += 1
                okpt += pt <= gt and bool(pt)
            gn = [g for g in gold if g and g.startswith("narrative.")]
            if gn:
                nn += 1
                pn = [p for p in got if p and p.startswith("narrative.")]
                kindn += bool(pn)
                okn += bool(pn) and _second(pn[0]) == _second(gn[0])
            if errors is not None and gold != got:
                s0, s1 = sentence_bounds(rec.text, fact.start, fact.end)
                errors.append({"id": rec.id, "span": fact.text, "gold": sorted(map(str, gold)),
                               "pred": sorted(map(str, got)),
                               "context": rec.text[max(s0, fact.start - 30):min(s1, fact.end + 15)]})
    pair_p = tp / (tp + fp) if tp + fp else 0.0
    pair_r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "spans": n, "accuracy": _ratio(ok, n),
        "table_spans": nt, "table_accuracy": _ratio(okt, nt), "table_precision": _ratio(okpt, predt),
        "narrative_spans": nn, "narrative_loose": _ratio(okn, nn), "narrative_kind": _ratio(kindn, nn),
        "pair_f1": round(2 * pair_p * pair_r / (pair_p + pair_r), 4) if pair_p + pair_r else 0.0,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def train(corpus_dir: str | Path, out_dir: str | Path, config: LinkerConfig | str | Path | None = None
          ) -> dict[str, Any]:
    """Train on ``config.train`` files under ``corpus_dir``, save to ``out_dir``, evaluate on
    every eval set found (and realdev when present: measurement only), write the card.

    Returns the metrics dict (also in ``meta.json``)."""
    cfg = config if isinstance(config, LinkerConfig) else load_config(config)
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    train_paths = [corpus_dir / p for p in cfg.train]
    # Read every set (and hash the training files) before fitting, so the card describes
    # the data actually used even if the corpus is regenerated meanwhile.
    data_hash = corpus_hash(train_paths)
    records = [r for p in train_paths for r in _load_records(p)]
    sets = {name: corpus_dir / rel for name, rel in cfg.eval.items()}
    if cfg.realdev:  # measurement only: never trained on
        sets["realdev"] = (corpus_dir / cfg.realdev).resolve()
    gold_sets = {name: _load_records(path) for name, path in sets.items() if path.is_file()}
    linker = fit(records, cfg)
    linker.save(out_dir)
    metrics: dict[str, Any] = {"train": evaluate_linking(linker, records)}
    baseline: dict[str, Any] = {}
    for name, gold in gold_sets.items():
        metrics[name] = evaluate_linking(linker, gold)
        baseline[name] = evaluate_linking(RuleLinker(), gold)
    write_meta(out_dir, KIND, corpus_hash=data_hash,
               train_files=cfg.train, settings=asdict(cfg), n_train_spans=metrics["train"]["spans"],
               n_features=len(linker.vocab), classes=len(linker.classes),
               zero_classes=linker.zero_classes, metrics=metrics, rule_baseline=baseline,
               method="DictVectorizer-style sparse char n-gram context features + multinomial "
                      "LogisticRegression (main head) + one-vs-rest LogisticRegression over ids "
                      "denied by zero claims (expansion head, threshold zero_threshold)")
    return metrics
