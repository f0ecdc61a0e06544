"""What a linked id is: a table cell or composite, a narrative topic, or none — and where
in the template a table id sits (its table, its row).  Shared by the linker and the
steps after it (:mod:`nlp.link.sums`)."""

from __future__ import annotations

import functools

from nlp.indicators import TEMPLATES, composite_parts, registry

__all__ = ["NONE", "is_table", "table_of", "row_of", "outcome_rows", "templates_of"]

NONE = "__none__"


def is_table(ind: str | None) -> bool:
    return bool(ind) and not ind.startswith("narrative.") and ind != NONE


def table_of(ind: str) -> int | None:
    """The table (2, 3, 4) a table id or composite belongs to.

    >>> table_of("review.upheld"), table_of("litigation.total"), table_of("narrative.x")
    (4, 4, None)
    """
    reg = registry()
    if ind in reg.indicators:
        return reg.indicators[ind].table
    comp = reg.composites.get(ind)
    if comp:
        return next((reg.indicators[p].table for t in ("2021", "2019") for p in composite_parts(ind, t)), None)
    return None


def row_of(ind: str) -> str:
    """The row of the template an id is in (its first two parts); table 4's cases are
    one row, reviews and suits alike.

    >>> row_of("requests.new.natural"), row_of("requests.denied.query.total"), row_of("litigation.total")
    ('requests.new', 'requests.denied', 'table4')
    """
    return "table4" if table_of(ind) == 4 else ".".join(ind.split(".")[:2])


@functools.cache
def outcome_rows() -> tuple[str, ...]:
    """Table 3's outcome rows (indicators.yaml ``group: outcome``), by :func:`row_of`, with
    the rows of the composites made of them (予以公开及部分公开).

    >>> "requests.denied" in outcome_rows(), "requests.new" in outcome_rows()
    (True, False)
    """
    reg = registry()
    rows = {row_of(f"requests.{r['id']}.total") for r in reg.raw["table3"]["rows"] if r.get("group") == "outcome"}
    rows |= {row_of(cid) for cid, comp in reg.composites.items()
             if cid.startswith("requests.") and all(any(p.startswith(r + ".") for r in rows) for p in comp.parts)}
    return tuple(sorted(rows))


def templates_of(ind: str) -> tuple[str, ...]:
    """The templates a table id is a cell of (a composite: both).

    >>> templates_of("active.rules.issued"), templates_of("active.rules.made"), templates_of("review.total")
    (('2021',), ('2019',), ('2021', '2019'))
    """
    found = registry().indicators.get(ind)
    return found.templates if found is not None else TEMPLATES
