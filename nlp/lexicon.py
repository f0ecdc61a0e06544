"""The language as data: every word list the stages, the reconciler and the generator use.

The words live in ``nlp/data/lexicon/*.yaml``, one file per topic (``units``,
``qualifiers``, ``sections``, …); this module is the only place that reads them and the
only ``.py`` file that may hold Chinese word lists (``tests/test_layering.py``).  Every
file is parsed once and handed out read-only.

Two topics are shared by several stages and get typed accessors here, so that their
meaning is defined once:

- :func:`qualifiers` — the words that make a figure approximate, each with where it sits
  and the range of true counts it allows (:meth:`Qualifier.bounds`).  The value parser,
  the reconciler and the synthetic generator all read this one table.
- :func:`units` — counters, money units, unit groups.

Everything else is reached with :func:`load` (a whole topic) or :func:`words` (one list
in it).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

from nlp.datacache import load_data_yaml

__all__ = ["load", "words", "pattern", "topics", "Qualifier", "qualifiers", "qualifier_words",
           "Units", "units", "place_value"]

_FOLDER = "data/lexicon"


def topics() -> tuple[str, ...]:
    """The lexicon's topics: the names of its YAML files."""
    folder = resources.files("nlp").joinpath(_FOLDER)
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


@lru_cache(maxsize=None)
def load(topic: str) -> Mapping[str, Any]:
    """One topic's data (``nlp/data/lexicon/<topic>.yaml``), parsed once, read-only at the top."""
    path = resources.files("nlp").joinpath(f"{_FOLDER}/{topic}.yaml")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyError(f"no lexicon topic {topic!r} (nlp/{_FOLDER}/{topic}.yaml); "
                       f"topics: {', '.join(topics())}") from None
    return MappingProxyType(load_data_yaml(text) or {})


def _node(topic: str, path: tuple[str, ...]) -> Any:
    node: Any = load(topic)
    for key in path:
        node = node[key]
    return node


@lru_cache(maxsize=None)
def words(topic: str, *path: str) -> tuple[str, ...]:
    """A word list of a topic: ``words("units", "money")`` → ``("元", "万元", "亿元")``."""
    return tuple(str(w) for w in _node(topic, path))


@lru_cache(maxsize=None)
def pattern(topic: str, *path: str, longest_first: bool = True) -> re.Pattern[str]:
    """A word list as one alternation (longest first, so 人次 wins over 人)."""
    ws = words(topic, *path)
    ws = tuple(sorted(ws, key=len, reverse=True)) if longest_first else ws
    return re.compile("|".join(re.escape(w) for w in ws))


# ---------------------------------------------------------------- units
@dataclass(frozen=True)
class Units:
    """Counters and units (``units.yaml``); ``all`` longest first, as a parser matches them."""

    all: tuple[str, ...]
    money: tuple[str, ...]
    groups: Mapping[str, str]          # unit → its group
    not_a_count: frozenset[str]


@lru_cache(maxsize=1)
def units() -> Units:
    data = load("units")
    every = {*data["counters"], *data["major_kinds"], *data["money"], *data["percent"]}
    groups = {str(u): g for g, us in data["groups"].items() for u in us}
    return Units(tuple(sorted(every, key=len, reverse=True)), tuple(data["money"]),
                 MappingProxyType(groups), frozenset(data["not_a_count"]))


# ---------------------------------------------------------------- qualifiers
def place_value(value: float) -> float:
    """Unit of the last non-zero integer digit: what a trailing 余/多 rounds away.

    >>> place_value(200), place_value(150), place_value(7), place_value(34690)
    (100, 10, 1, 10)
    """
    v = int(round(abs(value)))
    if v == 0:
        return 1
    place = 1
    while v % 10 == 0:
        v //= 10
        place *= 10
    return place


@dataclass(frozen=True)
class Qualifier:
    """One approximation word and what it says about the true count (``qualifiers.yaml``)."""

    word: str
    kind: str                 # about | near | below | rounded | above | emphatic
    position: str             # before | inside | after
    direction: str            # about | at_most | at_least
    approximate: bool = True
    low: float = 1.0
    high: float | None = 1.0
    rounding: bool = False

    def bounds(self, figure: float) -> tuple[float, float]:
        """The true counts a figure written with this word allows, ``low <= t <= high``.

        >>> q = qualifier_words()["近"]; q.bounds(600)
        (510.0, 600.0)
        >>> qualifier_words()["余"].bounds(200)
        (200, 299.999)
        >>> qualifier_words()["以上"].bounds(100)
        (100.0, inf)
        """
        if self.rounding:
            return figure, figure + place_value(figure) - 1e-3
        high = math.inf if self.high is None else self.high * figure
        return self.low * figure, high

    def allows(self, figure: float, true_value: float) -> bool:
        low, high = self.bounds(figure)
        eps = 1e-6 * max(1.0, abs(true_value))
        return low - eps <= true_value <= high + eps


@lru_cache(maxsize=1)
def qualifiers() -> tuple[Qualifier, ...]:
    """Every qualifier word, longest first (将近 before 近, 有余 before 余)."""
    out = []
    for kind, spec in load("qualifiers")["kinds"].items():
        for position in ("before", "inside", "after"):
            for word in spec.get(position) or ():
                out.append(Qualifier(
                    str(word), kind, position, spec["direction"], bool(spec.get("approximate", True)),
                    float(spec.get("low", 1.0)), None if spec.get("high", 1.0) is None else float(spec.get("high", 1.0)),
                    bool(spec.get("rounding", False))))
    return tuple(sorted(out, key=lambda q: len(q.word), reverse=True))


@lru_cache(maxsize=None)
def qualifier_words(position: str | None = None) -> Mapping[str, Qualifier]:
    """Word → qualifier (of one ``position``, or all; a word in two positions keeps the
    first listed, so ask by position where it matters: 多 inside is 余's twin, before a
    number 多于 is another word)."""
    table: dict[str, Qualifier] = {}
    for q in qualifiers():
        if position is None or q.position == position:
            table.setdefault(q.word, q)
    return MappingProxyType(table)
