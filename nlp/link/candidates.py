"""Which table cells a figure's words may name: the candidates a fact may be linked to.

``cell_words`` of nlp/data/indicators.yaml lists the words a clause names each table cell
(or composite) by; ``objects`` the words that say what a family of cells counts (申请 for
requests, not 信箱 work).  A fact other than a zero claim may get a table id only when
words of its own clause name that cell (:func:`cell_candidates`) and its sentence names
the family's object (:func:`names_object`); the model ranks the candidates against the
narrative topics (a part, a channel, another kind of work).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from nlp import lexicon
from nlp.indicators import registry, unit_fits
from nlp.link.context import (BREAKDOWN, DocContext, clause_end, clause_start, folded_text, group_start, period_start,
                              sentence_bounds)
from nlp.link.ids import row_of
from nlp.types import Fact

__all__ = ["CellWords", "CellSpecs", "Scope", "naming_scope", "cell_candidates", "fact_candidates", "last_naming",
           "candidates_of", "object_scope", "names_object"]

_OPEN_BRACKETS = lexicon.words("punctuation", "open_brackets")
_CLOSE_OR_NUMBER = re.compile(lexicon.load("linking")["close_or_number"])
_SCOPE_STOPS = "，,；;"  # where the words right after a figure stop naming it
_KINDS_LIST = lexicon.load("linking")["kinds_list"]
_EXAMPLE_CLOSE = tuple(_KINDS_LIST["close"])  # 等: the words before it name one kind among others
_MEANS = lexicon.load("linking")["means_list"]
_MEANS_AFTER = re.compile(f"{re.escape(_MEANS['close'])}[^，,；;#]{{0,{int(_MEANS['within'])}}}?"
                          f"(?:{'|'.join(map(re.escape, _MEANS['nouns']))})")
_CLAUSE_SPLIT = re.compile(r"[，,；;]")
_PER_ITEM = tuple(lexicon.words("linking", "per_item"))
_JOINS = tuple(lexicon.words("linking", "joins"))  # 和, 及: what parts two figures of one clause
_ABOUT = lexicon.load("linking")["about"]  # 的 and a publication's head: what a cell's noun is about
_ABOUT_HEAD = re.compile(f"{re.escape(_ABOUT['mark'])}[^，,；;#]{{0,{int(_ABOUT['within'])}}}?"
                         f"(?:{'|'.join(map(re.escape, _ABOUT['heads']))})")


# ---------------------------------------------------------------- the object of a family
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
    while r1 < min(s1, fact.end + 24) and text[r1] not in _SCOPE_STOPS:
        r1 += 1
    h1 = clause_end(text, s0, s1)
    return text[s0:max(c1, r1)], text[c0:c1] + (fact.text if fact.label == "ZERO" else ""), text[s0:h1]


def _naming_clause(sentence: str, own: str, words) -> str:
    """The last clause before ``own`` in its sentence that names the object (受理行政复议申请
    56件，目前已办结38件: the first names what the second counts).  In a breakdown it is
    the whole's clause before 其中: the parts count what the whole counts, and a sibling
    part's reasons (信访投诉举报、重复申请等情形不予处理24件；其他处理204件) say nothing of it.

    >>> _naming_clause("收到申请9件，其中，重复申请等不予处理2件；其他处理1件", "其他处理1件", ["申请"])
    '收到申请9件'
    """
    at = sentence.rfind(own) if own else -1
    before = sentence[:at] if at >= 0 else sentence
    whole = before[:before.rfind(BREAKDOWN)] if BREAKDOWN in before else ""
    for words_before in (whole, before):
        found = next((c for c in reversed(_CLAUSE_SPLIT.split(words_before)) if any(w in c for w in words)), "")
        if found:
            return found
    return ""


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
    >>> obj = {"requests.": {"words": ["申请"], "exclude": ["行政复议申请"]}}  # the clause that names what 办结 counts
    >>> names_object(obj, "requests.total.total", ("截至11月底，受理行政复议申请56件，已办结38件", "已办结38件", "截至11月底"))
    False
    """
    sentence, own, head = scope
    for prefix, spec in objects.items():
        if not indicator.startswith(prefix):
            continue
        words = spec.get("words", ())
        if not any(w in (own if zero else sentence) for w in words):
            return False
        where = own if any(w in own for w in words) else own + head + _naming_clause(sentence, own, words)
        if (any(w in where for w in spec.get("exclude", ()))
                and not any(w in own for w in spec.get("unless", ()))):
            return False
        if zero and any(w in own for w in spec.get("zero_exclude", ())):
            return False
        return True
    return True


# ---------------------------------------------------------------- cells named by a clause
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
    parent: str | None = None  # the row total a sub-row's cell adds up to (不掌握 → 无法提供)
    parts_words: tuple[str, ...] = ()  # the naming words of this row total's sub-rows


@dataclass(frozen=True)
class CellSpecs:
    """Parsed ``cell_words``: groups, cells in file order, which cells a character may
    begin a naming word of (a clause holding none of a cell's first characters cannot
    name it: most clauses are looked at for a few cells only), and each cell's place in
    the file (the few cells a clause may name are tried in file order).  ``named`` keeps
    the cells each (scope, template) names: digits folded, reports word their figures
    alike (共收到政府信息公开申请##件), so most scopes were read before."""

    groups: dict[str, tuple[str, ...]]
    cells: dict[str, CellWords]
    by_char: dict[str, frozenset[str]]
    rank: dict[str, int]
    named: dict[tuple[Scope, str | None], tuple[str, ...]] = field(default_factory=dict, compare=False)


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
    raw = spec.get("cells") or {}
    parents = {ind: _parent_total(ind, raw) for ind in raw}
    cells = {ind: CellWords(tuple(c.get("words", ())), tuple(c.get("with", ())), tuple(c.get("family", ())),
                            tuple(c.get("not", ())),
                            c.get("where") == "after", c.get("group"), tuple(c.get("templates", ())),
                            tuple(c.get("instead_of", ())), parents[ind],
                            tuple(w for sub, up in parents.items() if up == ind for w in raw[sub].get("words", ())))
             for ind, c in raw.items()}
    by_char: dict[str, set[str]] = {}
    for ind, cell in cells.items():
        for w in cell.words:
            by_char.setdefault(w[:1], set()).add(ind)
    return CellSpecs(groups, cells, {c: frozenset(ids) for c, ids in by_char.items()},
                     {ind: k for k, ind in enumerate(cells)})


def last_naming(cell_words: dict, ind: str, words: str) -> int:
    """Where in ``words`` the last naming word of table cell ``ind`` begins, when they name
    it (one of its words, none of its ``not`` words); else -1.  Whatever clause they stand
    in: for a figure the clauses before it describe.

    >>> cw = registry().raw["cell_words"]
    >>> last_naming(cw, "active.procurement.amount", "政府集中采购18项，资金")
    4
    >>> last_naming(cw, "active.procurement.amount", "计划投资")
    -1
    """
    return max(map(words.rfind, naming_words(cell_words, ind, words)), default=-1)


def naming_words(cell_words: dict, ind: str, words: str) -> frozenset[str]:
    """The naming words of table cell ``ind`` in ``words``, when they name it (see
    :func:`last_naming`); else none.

    >>> sorted(naming_words(registry().raw["cell_words"], "requests.new.total", "其中新收申请20件"))
    ['新收', '申请']
    """
    cell = _cell_specs(cell_words).cells.get(ind)
    if not cell or any(w in words for w in cell.not_) or cell.with_ and not any(w in words for w in cell.with_):
        return frozenset()
    return frozenset(w for w in cell.words if w in words)


def _parent_total(ind: str, cells: dict) -> str | None:
    """The row total among ``cells`` that a table-3 sub-row's cell adds up to
    (requests.unavailable.not_held.total → requests.unavailable.total), if any.

    >>> _parent_total("requests.unavailable.not_held.total", {"requests.unavailable.total": {}})
    'requests.unavailable.total'
    >>> _parent_total("requests.unavailable.total", {"requests.unavailable.total": {}}) is None
    True
    """
    parts = ind.split(".")
    if len(parts) != 4 or parts[0] != "requests":
        return None
    parent = ".".join((parts[0], parts[1], parts[3]))
    return parent if parent in cells else None


class Scope(NamedTuple):
    """Where a fact's clause may name its cell, digits folded."""

    before: str  # the clause up to the figure
    rest: str    # the clause after the figure
    tail: str    # a bracket right after the clause, up to its first number: （含上年结转
    lead: str    # the sentence before the clause, back to 。 or a line end (复议2件；维持1件)

    @property
    def clause(self) -> str:
        return f"{self.before}#{self.rest}"


def naming_scope(text: str, fact: Fact, listed: bool = False) -> Scope:
    """The fact's clause and what may name its cell around it (``listed``: with the kinds
    a list names before it, :func:`_listed_kinds_start`).

    >>> t = "共受理申请151件（含上年结转13件），办结146件"
    >>> naming_scope(t, Fact(5, 9, "151件", "COUNT", 151))
    Scope(before='共受理申请', rest='', tail='（含上年结转', lead='')
    >>> naming_scope(t, Fact(26, 30, "146件", "COUNT", 146)).lead
    '共受理申请###件（含上年结转##件），'
    >>> naming_scope("行政复议13件和行政诉讼1件", Fact(12, 14, "1件", "COUNT", 1)).before
    '和行政诉讼'
    >>> naming_scope("行政复议13件和行政诉讼1件", Fact(4, 7, "13件", "COUNT", 13)).rest
    ''
    >>> naming_scope("2023年受理申请5件", Fact(9, 11, "5件", "COUNT", 5)).before
    '####年受理申请'
    """
    s0, s1 = sentence_bounds(text, fact.start, fact.end)
    folded = folded_text(text)
    c0 = clause_start(text, fact.start, s0)
    if listed:
        c0 = _listed_kinds_start(text, folded, c0, s0)
    c1 = clause_end(text, fact.end, s1)
    p0 = group_start(text, c0)
    tail_end = c1
    if c1 < s1 and text[c1] in _OPEN_BRACKETS:
        m = _CLOSE_OR_NUMBER.search(text, c1 + 1, min(s1, c1 + 24))
        tail_end = m.start() if m else min(s1, c1 + 24)
    before = folded[c0:fact.start]
    last = None
    for last in _figure_re().finditer(before):
        pass
    if last is not None:  # 行政复议13件和行政诉讼1件: the words after a figure name the next one
        before = before[last.end():]
    rest = folded[fact.end:c1]
    after = _figure_re().search(rest)
    if after is not None:  # … and the words before the next figure name it, back to a 和
        rest = rest[:after.start()]
        join = max(rest.rfind(w) for w in _JOINS)
        if join >= 0:
            rest = rest[:join]
    return Scope(before, rest, folded[c1:tail_end], folded[min(s0, p0):c0])


def _refine(cells: list[str], before: list[str]) -> bool:
    """Do the cells the whole clause names only refine those its words before the figure name
    (行政复议1件维持原具体行政行为: upheld, in review's row; 不予公开2件属于国家秘密: a reason, in
    不予公开's)?  Then the words after the figure say which of the row's cells it is."""
    rows = {row_of(c) for c in before}
    return bool(cells) and all(row_of(c) in rows for c in cells)


def _after_a_list(text: str, fact: Fact) -> bool:
    """Does the fact's clause open right after a 、 (a list of kinds may name it too)?"""
    s0 = sentence_bounds(text, fact.start, fact.end)[0]
    c0 = clause_start(text, fact.start, s0)
    return c0 > s0 and text[c0 - 1] == _KINDS_LIST["join"]


# At most this many characters in each kind a list names before one figure.
_KIND_CHARS = 12


def _listed_kinds_start(text: str, folded: str, c0: int, floor: int) -> int:
    """Where the clause of a figure that counts a list of kinds begins: the kinds before
    its own, joined by 、 and holding no figure, are named with it (行政复议、行政诉讼案件0件
    counts both; 网上申请3件、信函申请2件 are two figures).

    >>> t = "本年度行政复议、行政诉讼案件0件"
    >>> t[_listed_kinds_start(t, folded_text(t), t.index("行政诉讼"), 0):]
    '本年度行政复议、行政诉讼案件0件'
    >>> t = "网上申请3件、信函申请2件"
    >>> t[_listed_kinds_start(t, folded_text(t), t.index("信函"), 0):]
    '信函申请2件'
    """
    join = _KINDS_LIST["join"]
    while c0 > floor and text[c0 - 1] == join:
        p = clause_start(text, c0 - 1, floor)
        if p == c0 - 1 or c0 - 1 - p > _KIND_CHARS or "#" in folded[p:c0 - 1]:
            break
        c0 = p
    return c0


@functools.lru_cache(maxsize=1)
def _figure_re() -> re.Pattern[str]:
    """A figure with its unit in folded text (##件, #.#万余人次): years and dates are not
    figures (年, 月, 日 are no units)."""
    units = "|".join(map(re.escape, lexicon.units().all))
    return re.compile(f"{lexicon.load('linking')['figure_number']}(?:{units})")


def _last_group(groups: dict[str, tuple[str, ...]], s: str) -> str | None:
    """The table-4 group named last in ``s`` (复议 … 诉讼 → litigation)."""
    best, where = None, -1
    for g, words in groups.items():
        for w in words:
            i = s.rfind(w)
            if i >= 0 and i + len(w) > where:
                best, where = g, i + len(w)
    return best


def _rules_out(clause: str, not_words: tuple[str, ...], own: tuple[str, ...], parts: tuple[str, ...] = ()) -> bool:
    """Does a word of the clause rule the cell out?  Not when it is only part of a longer
    word that names the cell (予以公开 in 部分予以公开 names 部分公开, not 予以公开), nor
    when it names one of the row's sub-rows (``parts``) as an example of its kind (因本机关
    不掌握等原因无法提供: 不掌握 is one reason; the figure counts 无法提供).

    >>> _rules_out("部分予以公开#", ("予以公开",), ("部分公开", "部分予以公开"))
    False
    >>> _rules_out("予以公开#，部分公开", ("予以公开",), ("部分公开", "部分予以公开"))
    True
    """
    for nw in not_words:
        if nw not in clause:
            continue
        masked = clause
        for w in own:
            if nw in w and len(w) > len(nw):
                masked = masked.replace(w, "#" * len(w))
        if nw in masked and not (nw in parts and _only_as_example(masked, nw)) and not _only_as_means(masked, nw):
            return True
    return False


def _only_as_means(clause: str, word: str) -> bool:
    """Is ``word`` (which the clause holds) each time one of several means a figure counts
    together (传真等多种方式受理: 等 and a noun of means after it)?

    >>> _only_as_means("传真等多种方式受理申请", "传真"), _only_as_means("通过传真受理申请", "传真")
    (True, False)
    """
    return _each_time(clause, word, lambda at: _MEANS_AFTER.match(clause, at) is not None)


def _each_time(text: str, word: str, holds_after) -> bool:
    """Does ``holds_after(end)`` hold at the end of every occurrence of ``word`` in ``text``?"""
    at = text.find(word)
    while at >= 0:
        if not holds_after(at + len(word)):
            return False
        at = text.find(word, at + 1)
    return True


def _only_as_example(clause: str, word: str) -> bool:
    """Is ``word`` (which the clause holds) only an example of a kind, each time followed by
    等 (因本机关不掌握等原因无法提供846件: 不掌握 is one of the reasons, the figure counts 无法提供)?

    >>> _only_as_example("因本机关不掌握等原因无法提供###件", "不掌握"), _only_as_example("本机关不掌握#件", "不掌握")
    (True, False)
    """
    return _each_time(clause, word, lambda at: clause.startswith(_EXAMPLE_CLOSE, at))


def _only_about(before: str, words: tuple[str, ...]) -> bool:
    """Do the cell's words, each time the words before the figure hold them, only say what
    the thing counted is about (有关规范性文件的通知公告38份: notices, not documents)?

    >>> _only_about("主动公开有关规范性文件的通知公告", ("规范性文件",)), _only_about("制发的规范性文件", ("规范性文件",))
    (True, False)
    >>> _only_about("予以公开的申请", ("予以公开",))  # 申请 is what the cell counts
    False
    """
    held = [w for w in words if w in before]
    return bool(held) and all(_each_time(before, w, lambda at: _ABOUT_HEAD.match(before, at) is not None)
                              for w in held)


def cell_candidates(cell_words: dict, text: str, fact: Fact, template: str | None = None) -> list[str]:
    """Table ids (and composites) the words of the fact's clause name.

    >>> from nlp.indicators import registry
    >>> cw = registry().raw["cell_words"]
    >>> t = "共收到申请44件，其中网上申请42件，办结39件，结转下年度继续办理5件"
    >>> [cell_candidates(cw, t, Fact(*m.span(), m.group(), "COUNT", 1))
    ...  for m in re.finditer(r"\\d+件", t)]
    [['requests.new.total'], [], ['requests.total.total'], ['requests.carried_forward.total']]
    >>> t = "予以公开3件，部分予以公开2件"
    >>> [cell_candidates(cw, t, Fact(*m.span(), m.group(), "COUNT", 1)) for m in re.finditer(r"\\d件", t)]
    [['requests.granted.total'], ['requests.partial.total']]
    >>> t = "行政复议2件，维持1件；行政诉讼3件"
    >>> [cell_candidates(cw, t, Fact(*m.span(), m.group(), "COUNT", 1)) for m in re.finditer(r"\\d件", t)]
    [['review.total'], ['review.upheld'], ['litigation.total']]
    """
    if not cell_words:
        return []
    return _named_cells(cell_words, text, fact, template)[1]


def _named_cells(cell_words: dict, text: str, fact: Fact, template: str | None) -> tuple[Scope, list[str]]:
    """The fact's naming scope and its cells — those of the list of kinds the clause closes
    when they are a sum the template names (行政复议、行政诉讼案件2件: 行政复议和行政诉讼),
    else the clause's own (收到自然人、法人申请5件 is no one applicant's column).

    >>> cw = registry().raw["cell_words"]
    >>> t = "发生行政复议、行政诉讼案件2件"
    >>> _named_cells(cw, t, Fact(13, 15, "2件", "COUNT", 2), None)[1]
    ['review_litigation.total']
    """
    named = naming_scope(text, fact)
    cells = _scope_cells(cell_words, named, template)
    if named.rest:  # 收到申请3项全部予以公开: the words before the figure name it, when they name one
        before = _scope_cells(cell_words, named._replace(rest=""), template)
        if before and not _refine(cells, before):
            cells = before
    if not _after_a_list(text, fact):
        return named, cells
    listed = naming_scope(text, fact, listed=True)
    if listed != named:
        joint = _scope_cells(cell_words, listed, template)
        if joint and all(c in registry().composites for c in joint):
            return listed, joint
    return named, cells


def _scope_cells(cell_words: dict, sc: Scope, template: str | None) -> list[str]:
    """:func:`cell_candidates` of a naming scope already found (kept per scope)."""
    specs = _cell_specs(cell_words)
    key = (sc, template)
    found = specs.named.get(key)
    if found is None:
        found = _cells_named(specs, sc, template)
        if sum(map(len, sc)) <= _KEPT_SCOPE_CHARS:  # a long one (a run-together table) is not met again
            if len(specs.named) >= _KEPT_SCOPES:
                specs.named.clear()
            specs.named[key] = found
    return list(found)


# The scopes whose cells a config keeps: at most so many, of at most so many characters
# (some 6 MB at worst).
_KEPT_SCOPES = 8192
_KEPT_SCOPE_CHARS = 200


_RECEIVED_AND = re.compile(lexicon.load("linking")["received_and"])


def _cells_named(specs: CellSpecs, sc: Scope, template: str | None) -> tuple[str, ...]:
    """:func:`cell_candidates` of a naming scope: it reads the scope's words only (a handling
    verb joined to receiving, 收到并妥善处理…, masked: linking.yaml ``received_and``)."""
    if _RECEIVED_AND.search(sc.before):
        sc = sc._replace(before=_RECEIVED_AND.sub(lambda m: "_" * len(m.group()), sc.before))
    groups, cells = specs.groups, specs.cells
    clause, after = sc.clause, sc.rest + sc.tail
    named = set().union(*filter(None, map(specs.by_char.get, set(clause + sc.tail))))
    out = []
    # only the cells a word may begin in the scope (a few of some sixty), in file order
    for ind in sorted(named, key=specs.rank.__getitem__):
        spec = cells[ind]
        if template and spec.templates and template not in spec.templates:
            continue
        where = after if spec.after else clause
        if not any(map(where.__contains__, spec.words)):  # map: no generator frame per cell
            continue
        if spec.with_ and not any(w in clause for w in spec.with_):
            continue
        if not spec.after and _only_about(sc.before, spec.family or spec.words):  # the cell's noun
            continue
        if spec.family and not any(w in sc.lead + clause for w in spec.family):
            continue
        if spec.not_ and _rules_out(clause, spec.not_, spec.words, spec.parts_words):
            continue
        if spec.group and _last_group(groups, sc.lead + clause) != spec.group:
            continue
        out.append(ind)
    # a cell named only as an example of a kind (信访投诉举报、重复申请等情形不予处理24件) gives way
    # to the kind's own cell named in the same clause
    examples = [ind for ind in out if cells[ind].parent in out and not cells[ind].after
                and all(_only_as_example(clause, w) for w in cells[ind].words if w in clause)]
    ruled_out = {x for ind in out for x in cells[ind].instead_of} | set(examples)
    # a clause that names its own family (废止规章9件 after …规范性文件5件) is not of the
    # family the list before it names
    own = [ind for ind in out if cells[ind].family and any(w in clause for w in cells[ind].family)]
    if own:
        ruled_out.update(ind for ind in out if cells[ind].family and ind not in own)
    return tuple(ind for ind in out if ind not in ruled_out)


def fact_candidates(cfg: Any, text: str, fact: Fact, template: str | None = None) -> list[str]:
    r""":func:`cell_candidates` whose family the sentence names (``objects``: 申请 for
    requests, not 信箱 work) — the table ids a fact may get.  Zero claims have none here:
    their ids come from the zero head (one claim denies several cells).  ``cfg`` is a
    :class:`~nlp.link.config.LinkerConfig` (its ``cell_words`` and ``objects``).

    >>> from nlp.link.config import LinkerConfig
    >>> cfg = LinkerConfig.grounded()
    >>> t = "领导信箱收到来信12件。共收到政府信息公开申请9件"
    >>> [fact_candidates(cfg, t, Fact(*m.span(), m.group(), "COUNT", 1)) for m in re.finditer(r"\d+件", t)]
    [[], ['requests.new.total']]
    >>> t = "共收到政府信息公开申请42件，主要涉及征地拆迁。依法办结35件。"  # the object said before
    >>> fact_candidates(cfg, t, Fact(t.index("35件"), t.index("35件") + 3, "35件", "COUNT", 35))
    ['requests.total.total']
    >>> t = t.replace("。依", "。\\n依")  # each sentence on a line of its own
    >>> fact_candidates(cfg, t, Fact(t.index("35件"), t.index("35件") + 3, "35件", "COUNT", 35))
    ['requests.total.total']
    """
    if not cfg.cell_words or fact.label == "ZERO":
        return []
    named, cells = _named_cells(cfg.cell_words, text, fact, template)
    # (a cell its unit cannot state is no candidate: 行政事业性收费4条 counts items, not 万元)
    cells = [c for c in cells if unit_fits(c, fact)]
    if not cells:  # most facts: their clause names no cell, and the object is not asked for
        return []
    if _totals_a_list(named) or named.before.rstrip().endswith(_PER_ITEM):
        return []  # all the kinds listed, or each one's: no one cell's figure
    sentence, own, head = object_scope(text, fact)
    s0 = sentence_bounds(text, fact.start, fact.end)[0]
    start = group_start(text, s0)
    before = len(text[:s0].rstrip())  # (a dump's relayout puts each sentence on a line of its own)
    if not text[start:s0].strip() and text[before - 1:before] == "。" and not _names_an_object(cfg.objects, sentence):
        start = period_start(text, before - 1)  # 依法办结35件 after …申请42件: the sentence before says what
    scope = (text[min(s0, start):s0] + sentence, own, head)
    return [c for c in cells if names_object(cfg.objects, c, scope)]


def _totals_a_list(scope: Scope) -> bool:
    """Does a figure's clause close a list of kinds (网站留言、市长信箱、依申请公开等##件)?
    Then the figure counts them all, no one kind's cell.  The list's items are clauses of
    their own (、 cuts them): the last is the clause, the others end the lead.

    >>> t = "全年共办理网站留言、市长信箱、依申请公开等45件。共收到依申请公开等3件。"
    >>> [_totals_a_list(naming_scope(t, Fact(t.index(f), t.index(f) + 3, f, "COUNT", 1))) for f in ("45件", "3件")]
    [True, False]
    """
    words = scope.before.rstrip()
    close = next((w for w in _KINDS_LIST["close"] if words.endswith(w)), None)
    join = _KINDS_LIST["join"]
    return close is not None and (join in words[:-len(close)] or scope.lead.rstrip().endswith(join))


def _names_an_object(objects: dict[str, dict[str, list[str]]], sentence: str) -> bool:
    """Does the sentence name what any table counts (an ``objects`` word of any family)?"""
    return any(w in sentence for spec in objects.values() for w in spec.get("words", ()))


def candidates_of(ctx: DocContext, fact: Fact, cfg: Any) -> list[str]:
    """The table ids the fact may get (:func:`fact_candidates`, cached per span in ``ctx``)."""
    key = (fact.start, fact.end)
    found = ctx.candidates.get(key)
    if found is None:
        found = ctx.candidates[key] = fact_candidates(cfg, ctx.text, fact, ctx.template)
    return found
