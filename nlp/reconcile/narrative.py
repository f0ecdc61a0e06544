"""Narrative figures against the tables (``narrative_table_mismatch``,
``zero_claim_contradiction``) and against each other (``narrative_conflict``)."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

from nlp import lexicon
from nlp.reconcile.cells import (MESSAGES, _fmt, _num, cell_name, cell_value, cells_of, explanations, is_figure,
                                 sums_holding, template_of)
from nlp.indicators import MONEY_IDS, unit_fits
from nlp.reconcile.scope import (cells_named, compared_id, counted_words, includes_more, is_breakdown, is_share,
                                 is_compared, names_cells_object, other_period, same_kind, same_scope, scope_key,
                                 scope_marks, sentence_start, zero_claim, zero_scope)
from nlp.reconcile.tolerance import Tolerance, place_value, qualifier, tolerance_for
from nlp.types import Fact, Finding, Record


def _candidates(fact: Fact, indicator: str) -> list[float]:
    """Fact values to compare: money facts in 元 also compare as 万元."""
    v = float(fact.value)
    if indicator in MONEY_IDS:
        return [v, v / 10000]
    return [v]


def _fits(fact: Fact, indicator: str, word: str | None, table_value: float) -> bool:
    return any(tolerance_for(v, fact.approx, word).accepts(float(table_value))
               for v in _candidates(fact, indicator))


class _FigureWords:
    """What each figure's own words name (:func:`cells_named`) and, for a zero claim, deny
    (:func:`zero_scope`), read once per figure of one document: the comparisons with the
    table and with the other figures both ask."""

    def __init__(self, record: Record, template: str):
        self.text, self.template = record.text, template
        self._named: dict[int, tuple[str, ...]] = {}
        self._denied: dict[int, tuple[str, ...]] = {}

    def named(self, i: int, fact: Fact) -> tuple[str, ...]:
        found = self._named.get(i)
        if found is None:
            found = self._named[i] = cells_named(self.text, fact, self.template)
        return found

    def denied(self, i: int, fact: Fact) -> tuple[str, ...]:
        found = self._denied.get(i)
        if found is None:
            found = self._denied[i] = zero_scope(zero_claim(self.text, fact), self.template)
        return found


def _zero_findings(record: Record, values: dict[str, float | int | None], template: str,
                   words: _FigureWords) -> list[Finding]:
    """A zero claim against each non-zero cell in its scope, once per claim and cell
    (annotations repeat a claim that denies several things once per id)."""
    out: list[Finding] = []
    seen: set[tuple[int, int, str]] = set()
    for i, fact in enumerate(record.facts):
        if fact.label != "ZERO" or not is_compared(fact.indicator):
            continue
        for cid in words.denied(i, fact):
            value = cell_value(cid, values, template)
            key = (fact.start, fact.end, cid)
            if value is None or float(value) == 0 or key in seen:
                continue
            seen.add(key)
            out.append(Finding(
                "zero_claim_contradiction", cid, 0, _num(value), "error", i, list(cells_of(cid, template)),
                MESSAGES["zero_claim"].format(fact=fact.text, label=cell_name(cid), value=_fmt(value), cid=cid)))
    return out


class _Explanations:
    """:func:`explanations` for one document's table values, each (id, named cells) once:
    a long report states the same figures again and again, and every one that misses its
    cell asked for the same sums of the same table."""

    def __init__(self, values: dict[str, float | int | None], template: str):
        self.values, self.template = values, template
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, ...], float]]] = {}

    def __call__(self, ind: str, named: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], float]]:
        key = (ind, named)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = explanations(ind, self.values, self.template, named)
        return found


def narrative_findings(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    """Narrative against table (mismatches, zero claims), then narrative against narrative
    (conflicts); both ask the table for the same explanations, found once."""
    explain = _Explanations(values, template_of(record))
    words = _FigureWords(record, explain.template)
    return _mismatches(record, explain, words) + _conflicts(record, explain, words)


@lru_cache(maxsize=1)
def _topic_sums() -> dict[str, str]:
    """Topics whose figure a table sums (narrative_topics.yaml ``sums``: 法人或其他组织申请N件
    is the five organisation columns of 本年新收), by the composite that sums it."""
    return {t: spec["sums"] for t, spec in lexicon.load("narrative_topics")["topics"].items() if spec.get("sums")}


def _mismatches(record: Record, explain: _Explanations, words: _FigureWords) -> list[Finding]:
    values, template = explain.values, explain.template
    out = _zero_findings(record, values, template, words)
    for i, fact in enumerate(record.facts):
        ind = _topic_sums().get(fact.indicator, fact.indicator)
        summed = ind != fact.indicator  # a topic's figure compared with a sum: never definite
        if fact.label in ("ZERO", "PERCENT") or not is_compared(ind) or not is_figure(fact.value):
            continue
        if not unit_fits(ind, fact):
            continue
        named = words.named(i, fact)
        ind, confirmed = compared_id(ind, named, template)
        if other_period(record.text, fact, record.year, ind):
            continue  # last year's figure, or a change on it: not this year's cell
        table_value = cell_value(ind, values, template)
        if table_value is None:
            continue  # blank or unread cell: reported as missing_cell, not guessed
        word = qualifier(record.text, fact.start, fact.end, fact.text) if fact.approx else None
        if _fits(fact, ind, word, table_value):
            continue
        object_named = names_cells_object(record.text, fact, ind, template)
        grounds = "words" if not confirmed or object_named else "model"  # what the comparison rests on
        out.append(_mismatch_finding(i, fact, ind, word, table_value, values, template,
                                     confirmed and word is None and object_named and not summed, named, grounds,
                                     explain=explain))
    return out


def _mismatch_finding(i: int, fact: Fact, ind: str, word: str | None, table_value: float,
                      values: dict[str, float | int | None], template: str = "2021",
                      definite: bool = True, named: tuple[str, ...] = (),
                      grounds: str = "words", *, explain: _Explanations) -> Finding:
    """error: an exact figure whose sentence names the cell's object; warning: an
    approximate one outside its tolerance, or one compared with the cell its words name
    rather than its link; info: the figure equals other cells or a natural sum of them (the
    difference is explained), or nothing in its sentence names what the cell counts
    (``grounds == "model"``: only the linker ties it to the cell)."""
    shown = MESSAGES["quoted"].format(fact=fact.text) + (
        MESSAGES["quoted_word"].format(word=word) if word and word not in fact.text else "")
    own = list(cells_of(ind, template))
    base = MESSAGES["mismatch"].format(
        shown=shown, label=cell_name(ind), table=_fmt(table_value), value=_fmt(fact.value),
        approx=MESSAGES["mismatch_approx"].format(word=word) if word else "", cid=ind)
    if float(fact.value) != 0 or named:  # a zero figure matches any zero cell, unless its words name one
        for ids, total in explain(ind, named):
            if _fits(fact, ind, word, total):
                names = " + ".join(cell_name(x) for x in ids)
                return Finding(
                    "narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "info", i,
                    [*own, *(x for x in ids if x not in own)],
                    MESSAGES["mismatch_explained"].format(base=base, names=names, total=_fmt(total),
                                                          ids=" + ".join(ids)))
    unread = _unread_sum(fact, ind, values, template)
    if unread:  # a sum with cells the reader could not read may be what the figure says
        return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "info", i, own,
                       MESSAGES["mismatch_unchecked"].format(base=base, names=" + ".join(cell_name(x) for x in unread),
                                                             ids=" + ".join(unread)))
    if grounds == "model":  # nothing in the sentence names what the cell counts: an unconfirmed link
        return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "info", i, own,
                       MESSAGES["mismatch_unconfirmed"].format(base=base))
    severity = "error" if definite and word is None else "warning"
    return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), severity, i, own, base)


def _unread_sum(fact: Fact, ind: str, values: dict[str, float | int | None], template: str) -> tuple[str, ...]:
    """The unread cells of a natural sum holding ``ind`` (受理 = 新收 + 上年结转, in a
    column too) whose read cells leave room for the figure: it may be that sum, and nothing
    read rules it out.  Empty when no such sum has an unread cell or each rules it out."""
    for parts in sums_holding(ind, template):
        unread = tuple(p for p in parts if p not in values)
        read = [values[p] for p in parts if p in values]
        if unread and all(is_figure(v) for v in read) and float(fact.value) >= sum(float(v) for v in read):
            return unread
    return ()


def _conflicts(record: Record, explain: _Explanations, words: _FigureWords) -> list[Finding]:
    """Two narrative figures for one indicator (a table id, a composite or a
    ``narrative.*`` topic) whose tolerance ranges do not overlap, when both count the same
    quantity (``_first_disjoint``)."""
    values, template = explain.values, explain.template
    by_ind: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(record.facts):
        if fact.indicator and is_figure(fact.value) and fact.label != "PERCENT":
            if fact.indicator in _lumped_topics():
                continue  # a catch-all topic: its figures count different things
            if is_compared(fact.indicator) and not unit_fits(fact.indicator, fact):
                continue
            if fact.label == "ZERO":
                if fact.indicator not in words.denied(i, fact):
                    continue  # a zero claim is one figure only for what its words deny
                by_ind[fact.indicator].append(i)
            elif is_compared(fact.indicator):  # what its words name, as with the table
                named = words.named(i, fact)
                ind = compared_id(fact.indicator, named, template)[0]
                if other_period(record.text, fact, record.year, ind):
                    continue  # another period's figure (近三年共受理…): not this year's to conflict with
                if (names_cells_object(record.text, fact, ind, template)  # else only the linker says so
                        and not _explained(record.text, fact, ind, named, explain)):
                    by_ind[ind].append(i)
            else:
                by_ind[fact.indicator].append(i)
    out = []
    budget = _Budget()  # one for the document: pair checks bounded however many indicators
    for ind, idx in by_ind.items():
        ranges = []
        for i in idx:
            f = record.facts[i]
            word = qualifier(record.text, f.start, f.end, f.text) if f.approx else None
            tol = tolerance_for(float(f.value), f.approx, word)
            if f.approx:  # writers round before qualifying (5916 → 近5900): allow half a place
                slack = place_value(float(f.value)) / 2
                tol = Tolerance(tol.low - slack, tol.high + slack, tol.word)
            ranges.append((i, tol))
        pair = _first_disjoint(ranges, record.facts, record.text, budget)
        if pair is None:
            continue
        a, b = (record.facts[j] for j in pair)
        table_value = cell_value(ind, values, template) if is_compared(ind) else None
        out.append(Finding(
            "narrative_conflict", ind, _num(b.value), _num(table_value), _conflict_severity(ind), pair[1], [ind],
            MESSAGES["conflict"].format(label=cell_name(ind), a=a.text, b=b.text, a_value=_fmt(a.value),
                                        b_value=_fmt(b.value), cid=ind)))
    return out


def _conflict_severity(ind: str) -> str:
    """warning for two figures of one table cell (their words name it); info for two of one
    narrative topic: the topic is only the linker's reading of what each counts, and on
    real reports two such figures were different quantities (a site's and the county's, a
    column's and the year's, a daily rate) in every case read (7 of 100 fresh openings)."""
    return "warning" if is_compared(ind) else "info"


@lru_cache(maxsize=1)
def _lumped_topics() -> frozenset[str]:
    """Topics that lump unlike things (``lumps`` in narrative_topics.yaml: 党务信息 and
    水情信息 both filed as another kind of published information)."""
    return frozenset(t for t, spec in lexicon.load("narrative_topics")["topics"].items() if spec.get("lumps"))


def _explained(text: str, fact: Fact, ind: str, named: tuple[str, ...], explain: _Explanations) -> bool:
    """Does the table explain why the figure misses its cell — it equals a sum or a part
    (受理749件 linked to 本年新收 = 新收 + 上年结转)?  Then it counts another quantity than a
    figure that fits the cell, and the two do not conflict.

    >>> vals = {"requests.new.total": 713, "requests.carried_over.total": 36}
    >>> t = "共受理申请749件。"
    >>> _explained(t, Fact(5, 9, "749件", "COUNT", 749), "requests.new.total", (), _Explanations(vals, "2021"))
    True
    """
    table_value = cell_value(ind, explain.values, explain.template)
    if table_value is None or float(fact.value) == 0:
        return False
    word = qualifier(text, fact.start, fact.end, fact.text) if fact.approx else None
    if _fits(fact, ind, word, table_value):
        return False
    return any(_fits(fact, ind, word, total) for _, total in explain(ind, named))


# Pairs of figures of one indicator _first_disjoint may check per document.  A real report
# states a quantity a few dozen times at most (on the seeds and the synthetic dev and test
# splits, after grouping, no document needs more than a handful of checks); a hostile line of
# thousands of figures made the pairwise comparison quadratic (4,400 figures: 9.4 million
# checks, 47 CPU-s).  Figures are grouped by what must be equal first, so only plausible pairs
# count; past the budget the search stops and reports no further conflict for the document
# (a document with that many restatements of one quantity is not one a reader could check).
MAX_CONFLICT_CHECKS = 200_000


class _Budget:
    """Pair checks left for one document's ``narrative_conflict`` search."""

    def __init__(self, limit: int = MAX_CONFLICT_CHECKS) -> None:
        self.limit = limit
        self.used = 0


def _first_disjoint(ranges: list[tuple[int, Tolerance]], facts: list[Fact], text: str,
                    budget: _Budget | None = None) -> tuple[int, int] | None:
    """The first pair (in the order of ``ranges``) of figures that count one quantity and
    whose ranges do not overlap, or None.  Same result as comparing every pair, but only
    figures that can count one quantity are compared: those with equal breakdown flag,
    bracket (``includes_more``), share flag (``is_share``) and ``compare: same`` scope marks, and for a topic id
    (not a cell) sharing two counted words (found through an index of character pairs).

    >>> t = "全年公开信息10条。另公开信息12条。"
    >>> fs = [Fact(6, 9, "10条", "COUNT", 10, "条", indicator="narrative.x"),
    ...       Fact(16, 19, "12条", "COUNT", 12, "条", indicator="narrative.x")]
    >>> _first_disjoint([(0, Tolerance(10, 10)), (1, Tolerance(12, 12))], fs, t)
    (0, 1)
    """
    if max(r.low for _, r in ranges) <= min(r.high for _, r in ranges) + 1e-6:
        return None  # ranges on a line overlap pairwise when they all do (a report that repeats itself)
    budget = budget if budget is not None else _Budget()
    n = len(ranges)
    idx = [i for i, _ in ranges]  # per figure once, not per pair: long reports repeat figures
    sent = [sentence_start(text, facts[i].start) for i in idx]
    words = [counted_words(text, facts[i]) for i in idx]
    marks = [scope_marks(text, facts[i]) for i in idx]
    compared = [is_compared(facts[i].indicator) for i in idx]
    # figures of different groups never count one quantity: a part, a channel's, a unit's,
    # a topic's or another period's share (``compare: same`` marks), or one that includes more
    groups: dict[tuple, list[int]] = defaultdict(list)
    group_of = []
    for x, i in enumerate(idx):
        key = (is_breakdown(text, facts[i]), includes_more(text, facts[i]), is_share(text, facts[i]),
               scope_key(marks[x]))
        groups[key].append(x)
        group_of.append(key)
    # a topic id lumps things: restating one quantity reuses its words (two of them), so a
    # topic figure is compared only with the figures sharing a pair of its counted characters
    pairs: dict[tuple, list[int]] = defaultdict(list)
    for x in range(n):
        for pair in combinations(sorted(words[x]), 2):
            pairs[(group_of[x], pair)].append(x)
    lows = [r.low for _, r in ranges]
    highs = [r.high for _, r in ranges]
    quiet = {key for key, xs in groups.items()  # a group whose ranges all overlap has no conflict
             if max(lows[x] for x in xs) <= min(highs[x] for x in xs) + 1e-6}
    for x in range(n):
        key = group_of[x]
        if key in quiet:
            continue
        if compared[x]:
            members = groups[key]
            later = _after(members, x)
        else:  # shares two counted characters with x: found through the pair index
            lists = [pairs[(key, pair)] for pair in combinations(sorted(words[x]), 2)]
            later = _unique(heapq.merge(*(_after(xs, x) for xs in lists)))
        for y in later:
            budget.used += 1
            if budget.used > budget.limit:
                return None
            i, j = idx[x], idx[y]
            # one sentence listing several figures (通知188条，党务信息3条) enumerates parts,
            # it does not restate one quantity; units of different kinds count different things
            if sent[x] == sent[y] or not same_kind(facts[i].unit, facts[j].unit):
                continue
            if not same_scope(marks[x], marks[y]):
                continue  # an ``exclusive`` mark: both name one, and not the same
            if highs[x] + 1e-6 < lows[y] or highs[y] + 1e-6 < lows[x]:
                return i, j
    return None


def _after(xs: list[int], x: int):
    """The members of the sorted list ``xs`` after ``x``, lazily (no copy of the rest)."""
    for k in range(bisect_right(xs, x), len(xs)):
        yield xs[k]


def _unique(sorted_items):
    last = None
    for item in sorted_items:
        if item != last:
            yield item
            last = item
