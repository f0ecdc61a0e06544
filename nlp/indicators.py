"""The indicator registry: every canonical id, its labels, table position and identities.

Defined once, as data (``nlp/data/indicators.yaml``), and used by every stage.

>>> INDICATORS["requests.new.total"].table
3
>>> "active.fees.amount" in ids_for_template("2021")
True
>>> "active.fees.amount" in ids_for_template("2019")
False
>>> composite_parts("requests.disclosed.total", "2021")
('requests.granted.total', 'requests.partial.total')
>>> len(composite_parts("requests.denied.total", "2021"))
8
>>> composite_parts("requests.other.total", "2019")
('requests.other.total',)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from nlp import lexicon
from nlp.datacache import load_data_yaml

if TYPE_CHECKING:
    from nlp.types import Fact


@dataclass(frozen=True)
class Indicator:
    id: str
    table: int
    row: str
    column: str
    templates: tuple[str, ...]
    row_id: str
    column_id: str
    row_aliases: tuple[str, ...] = ()
    column_aliases: tuple[str, ...] = ()
    parent: str | None = None
    unit: str | None = None  # a money column's unit (万元); None: a count
    counters: tuple[str, ...] = ()  # what a count column is also counted in (采购项目 in 批次)


@dataclass(frozen=True)
class Identity:
    """``sum(lhs) == sum(rhs)`` over concrete ids, for the templates listed."""

    name: str
    title: str
    key: str  # the column, row or group it is about
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    templates: tuple[str, ...] = ("2021", "2019")


@dataclass(frozen=True)
class CrossYearRule:
    name: str
    title: str
    this_year: str
    last_year: str
    plus: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Composite:
    """A figure narratives state as one number but the template splits: the sum of ``parts``
    (family patterns, expanded per template by :func:`composite_parts`)."""

    id: str
    label: str
    parts: tuple[str, ...]


@dataclass
class Registry:
    indicators: dict[str, Indicator]
    identities: list[Identity]
    cross_year: list[CrossYearRule]
    raw: dict = field(repr=False, default_factory=dict)
    # id prefix → {words, exclude, unless, zero_exclude}: how prose names what a cell counts
    objects: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    composites: dict[str, Composite] = field(default_factory=dict)


def _load_yaml() -> dict:
    text = resources.files("nlp").joinpath("data/indicators.yaml").read_text(encoding="utf-8")
    return load_data_yaml(text)


def _table2(raw: dict) -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for template, spec in raw["table2"].items():
        rows = {r["id"]: r for r in spec["rows"]}
        cols = {c["id"]: c for c in spec["columns"]}
        for row_id, col_ids in spec["cells"].items():
            for col_id in col_ids:
                ind_id = f"active.{row_id}.{col_id}"
                prev = out.get(ind_id)
                templates = (prev.templates if prev else ()) + (template,)
                row, col = rows[row_id], cols[col_id]
                out[ind_id] = Indicator(
                    ind_id, 2, row["label"], col["label"], templates, row_id, col_id,
                    tuple(row.get("aliases", [])), tuple(col.get("aliases", [])), unit=col.get("unit"),
                    counters=tuple(col.get("counters", ())))
    return out


def _table3(raw: dict) -> dict[str, Indicator]:
    out = {}
    for row in raw["table3"]["rows"]:
        for col in raw["table3"]["columns"]:
            ind_id = f"requests.{row['id']}.{col['id']}"
            out[ind_id] = Indicator(ind_id, 3, row["label"], col["label"], tuple(row["templates"]),
                                    row["id"], col["id"], parent=row.get("parent"))
    return out


def _table4(raw: dict) -> dict[str, Indicator]:
    out = {}
    for group in raw["table4"]["groups"]:
        for outcome in raw["table4"]["outcomes"]:
            ind_id = f"{group['id']}.{outcome['id']}"
            out[ind_id] = Indicator(ind_id, 4, group["label"], outcome["label"], ("2021", "2019"),
                                    group["id"], outcome["id"])
    return out


def _expand_family(pattern: str, ids: list[str]) -> list[str]:
    """``requests.denied.*.natural`` → every denied sub-row; ``requests.other*.natural`` →
    ``other.no_correction`` … in 2021 and the single ``other`` row in 2019."""
    if "*" not in pattern:
        return [pattern] if pattern in ids else []
    head, tail = pattern.split("*", 1)
    return [i for i in ids if i.startswith(head) and i.endswith(tail) and len(i) >= len(head) + len(tail)]


def _identities(raw: dict, indicators: dict[str, Indicator]) -> list[Identity]:
    columns = [c["id"] for c in raw["table3"]["columns"]]
    rows = [r["id"] for r in raw["table3"]["rows"]]
    groups = [g["id"] for g in raw["table4"]["groups"]]
    out = []
    for spec in raw["identities"]:
        keys = {"c": columns, "r": rows, "g": groups}[spec["each"]]
        for template in ("2021", "2019"):
            ids = ids_of(indicators, template)
            for key in keys:
                tag = f"<{spec['each']}>"
                lhs = [x for p in spec["lhs"] for x in _expand_family(p.replace(tag, key), ids)]
                rhs = [x for p in spec["rhs"] for x in _expand_family(p.replace(tag, key), ids)]
                if lhs and rhs:
                    out.append(Identity(spec["name"], spec["title"], key, tuple(lhs), tuple(rhs), (template,)))
    return _merge_templates(out)


def _merge_templates(items: list[Identity]) -> list[Identity]:
    """One identity object for both templates when its ids are the same in both."""
    merged: dict[tuple, Identity] = {}
    for it in items:
        k = (it.name, it.key, it.lhs, it.rhs)
        if k in merged:
            merged[k] = Identity(it.name, it.title, it.key, it.lhs, it.rhs, merged[k].templates + it.templates)
        else:
            merged[k] = it
    return list(merged.values())


def ids_of(indicators: dict[str, Indicator], template: str) -> list[str]:
    return [i for i, ind in indicators.items() if template in ind.templates]


@lru_cache(maxsize=1)
def registry() -> Registry:
    raw = _load_yaml()
    indicators = {**_table2(raw), **_table3(raw), **_table4(raw)}
    cross = [CrossYearRule(c["name"], c["title"], c["this_year"], c["last_year"],
                           tuple(c.get("plus", [])), tuple(c.get("minus", [])))
             for c in raw["cross_year"]]
    composites = {c["id"]: Composite(c["id"], c["label"], tuple(c["parts"])) for c in raw.get("composites") or []}
    return Registry(indicators, _identities(raw, indicators), cross, raw, raw.get("objects") or {}, composites)


@lru_cache(maxsize=8)
def ids_for_template(template: str) -> tuple[str, ...]:
    """Every canonical id a table of this template generation has, in table order (asked
    for several times per document: the registry is scanned once per template)."""
    return tuple(ids_of(registry().indicators, template))


@lru_cache(maxsize=8)
def id_positions(template: str) -> dict[str, int]:
    """Each id of :func:`ids_for_template` → its position in table order (do not modify)."""
    return {cid: i for i, cid in enumerate(ids_for_template(template))}


@lru_cache(maxsize=8)
def identities_for(template: str) -> tuple[Identity, ...]:
    return tuple(i for i in registry().identities if template in i.templates)


#: The two official report templates (国办公开办函〔2021〕30号 and the 2019 one before it).
TEMPLATES = ("2021", "2019")


def grid_template(template: str | None) -> str:
    """The template whose grid a document's cells are laid on: the one it was read as, or
    the 2021 template (most reports) when that is unknown.

    >>> grid_template("2019"), grid_template("unknown"), grid_template(None)
    ('2019', '2021', '2021')
    """
    return template if template in TEMPLATES else TEMPLATES[0]


def is_composite(indicator: str | None) -> bool:
    return bool(indicator) and indicator in registry().composites


@lru_cache(maxsize=64)
def composite_parts(indicator: str, template: str) -> tuple[str, ...]:
    """The template cells a composite id sums, in table order (empty for other ids)."""
    comp = registry().composites.get(indicator)
    if comp is None:
        return ()
    ids = ids_of(registry().indicators, template)
    return tuple(x for p in comp.parts for x in _expand_family(p, ids))


def is_table_id(indicator: str | None) -> bool:
    return bool(indicator) and indicator in registry().indicators


INDICATORS = registry().indicators

# Columns printed in money (万元) while narrative money facts may be in 元 (indicators.yaml
# ``unit`` of a column): a count of items never states one, an amount never states a count.
MONEY_IDS = frozenset(i for i, ind in INDICATORS.items() if ind.unit)


def unit_fits(indicator: str, fact: Fact) -> bool:
    """Could a figure in this unit state what the cell holds (units.yaml ``money``, and
    ``not_a_count``: 培训11期, 7人次 count no cell — but a column's own ``counters``, 采购项目
    12批次)?  One answer for the linker, which gives a figure no cell its unit cannot state
    (行政事业性收费4条 is items published, not an amount), and the reconciler, which compares
    none.

    >>> from nlp.types import Fact
    >>> unit_fits("requests.new.total", Fact(0, 3, "11期", "COUNT", 11, "期"))
    False
    >>> unit_fits("active.fees.amount", Fact(0, 4, "380元", "MONEY", 380, "元"))
    True
    >>> unit_fits("active.fees.amount", Fact(0, 2, "4条", "COUNT", 4, "条"))
    False
    >>> unit_fits("requests.new.total", Fact(0, 2, "3件", "COUNT", 3, "件"))
    True
    >>> unit_fits("active.procurement.count", Fact(0, 4, "12批次", "COUNT", 12, "批次"))
    True
    """
    if fact.label == "ZERO" or not fact.unit:
        return True
    units = lexicon.units()
    if indicator in MONEY_IDS:
        return fact.label == "MONEY" or fact.unit in units.money
    own = INDICATORS[indicator].counters if indicator in INDICATORS else ()
    return (fact.unit not in units.not_a_count or fact.unit in own) and fact.label != "MONEY"
