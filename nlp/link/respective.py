"""Figures given for a list of kinds at once: 行政许可、行政处罚、行政强制决定数量分别为0宗 is
one figure for three cells, 制发、废止规范性文件分别为2件、1件 one figure per kind, in order.

The clause names only the last kind's cell (its words stand next to the figure); each other
kind's cell is what its words name with the words the last kind shares with it (决定数量,
规范性文件): the shortest end of the last kind that, after the kind's words, names one cell
(:func:`nlp.link.candidates.fact_candidates`).  Nothing changes unless every kind names one
cell of its own and the figures are one, or as many as the kinds (linking.yaml ``respective``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from nlp import lexicon
from nlp.link.candidates import fact_candidates, naming_scope
from nlp.types import Fact

__all__ = ["respective_figures"]

_WORDS = lexicon.load("linking")["respective"]
_MARK = re.compile("(?:" + "|".join(map(re.escape, _WORDS["marks"])) + r")\s*$")
_KINDS_JOIN = re.compile("|".join(map(re.escape, _WORDS["kinds_join"])))
_FIGURES_JOIN = frozenset(_WORDS["figures_join"])
_EACH = re.compile("(?:" + "|".join(map(re.escape, _WORDS["each"])) + r")\s*$")  # one figure per kind
_MARK_REACH = 4  # a mark (分别为) and a space before the figure


def respective_figures(text: str, facts: list[Fact], template: str | None, cfg: Any) -> list[Fact]:
    """``facts`` (linked) with the figures of a kinds list given each kind's cell.

    >>> from nlp.link.config import LinkerConfig
    >>> t = "行政许可、行政处罚、行政强制决定数量分别为0宗。"
    >>> f = Fact(21, 23, "0宗", "COUNT", 0, "宗", indicator="active.coercion.decisions")
    >>> [g.indicator for g in respective_figures(t, [f], "2021", LinkerConfig.grounded())]
    ['active.licensing.decisions', 'active.penalty.decisions', 'active.coercion.decisions']
    >>> t = "本年制发、废止规范性文件分别为2件、1件。"
    >>> fs = [Fact(15, 17, "2件", "COUNT", 2, "件", indicator="active.normative.repealed"),
    ...       Fact(18, 20, "1件", "COUNT", 1, "件", indicator=None)]
    >>> [g.indicator for g in respective_figures(t, fs, "2021", LinkerConfig.grounded())]
    ['active.normative.issued', 'active.normative.repealed']
    >>> t = "行政许可、行政处罚决定数量分别为12件（含变更2件）、5件。"  # one figure found of two: no sharing
    >>> f = Fact(16, 19, "12件", "COUNT", 12, "件", indicator="active.penalty.decisions")
    >>> [g.indicator for g in respective_figures(t, [f], "2021", LinkerConfig.grounded())]
    ['active.penalty.decisions']
    >>> t = "本年制发和废止规范性文件均为0件。"
    >>> f = Fact(14, 16, "0件", "COUNT", 0, "件", indicator="active.normative.repealed")
    >>> [g.indicator for g in respective_figures(t, [f], "2021", LinkerConfig.grounded())]
    ['active.normative.issued', 'active.normative.repealed']
    """
    if not cfg.cell_words:
        return facts
    out: list[Fact] = []
    k = 0
    while k < len(facts):
        group = _figures_after_mark(text, facts, k)
        cells = _kinds_cells(text, facts[k], template, cfg) if group else None
        if cells and len(group) == len(cells):
            out += [replace(f, indicator=c) for f, c in zip(group, cells)]
        elif cells and len(group) == 1 and (group[0].value == 0
                                            or not _EACH.search(text, max(0, group[0].start - _MARK_REACH), group[0].start)):
            out += [replace(group[0], indicator=c) for c in cells]  # 均为3件; 分别为0宗
        else:
            out.append(facts[k])
            k += 1
            continue
        k += len(group)
    return out


def _figures_after_mark(text: str, facts: list[Fact], k: int) -> list[Fact]:
    """The figures from ``facts[k]`` on, right after a mark (分别为) and joined by a
    comma or 、 alone; [] when ``facts[k]`` follows no mark."""
    first = facts[k]
    if first.label not in ("COUNT", "MONEY") or not _MARK.search(text, max(0, first.start - _MARK_REACH), first.start):
        return []
    group = [first]
    for f in facts[k + 1:]:
        if f.label != first.label or text[group[-1].end:f.start].strip() not in _FIGURES_JOIN:
            break
        group.append(f)
    return group


def _kinds_cells(text: str, fact: Fact, template: str | None, cfg: Any) -> list[str] | None:
    """Each listed kind's cell, in order; None unless every kind names one, all different."""
    scope = naming_scope(text, fact)
    listed = _MARK.sub("", scope.before)
    mark = scope.before[len(listed):]
    if scope.lead and _KINDS_JOIN.fullmatch(scope.lead[-1]):  # the list goes on from the clause before
        listed = scope.lead + listed
    *kinds, last = _KINDS_JOIN.split(listed)
    kinds = [w for w in kinds if w.strip()]
    if not kinds or not last:
        return None
    own = fact_candidates(cfg, text, fact, template)
    if len(own) != 1:
        return None
    cells = [_kind_cell(kind, last, mark, fact, own[0], template, cfg) for kind in kinds]
    if any(c is None for c in cells) or len(set(cells)) != len(cells):
        return None
    return [*cells, own[0]]


def _kind_cell(kind: str, last: str, mark: str, fact: Fact, other: str, template: str | None, cfg: Any) -> str | None:
    """The one cell ``kind`` names with the shortest end of ``last`` that names one."""
    for cut in range(len(last) - 1, -1, -1):
        words = kind + last[cut:] + mark
        probe = replace(fact, start=len(words), end=len(words) + len(fact.text))
        found = fact_candidates(cfg, words + fact.text, probe, template)
        if len(found) == 1 and found[0] != other:
            return found[0]
    return None
