"""The tables' own arithmetic (indicators.md, "Identities"), checked as findings.

``consistent(assign, known, template)`` asks only whether candidate values break an
identity — what the table reader uses to choose between readings of a row.

``check_identities(cells, template)`` evaluates every identity of the template
(``nlp.indicators.identities_for``) whose cells are all present and reports each
broken one as an ``identity_violation`` (severity ``error``) with every cell
involved and a message a reviewer can check by eye::

    本年新收 3 + 上年结转 0 ≠ 总计 2 + 结转下年 0 (表三 自然人列)

An identity with a blank or missing cell is not evaluated; instead each missing id
gets one ``missing_cell`` finding (severity ``warning``).  The words of the messages are
``nlp/data/lexicon/tables.yaml``'s (``identities``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterable, Mapping

from nlp import lexicon
from nlp.indicators import INDICATORS, Identity, grid_template, identities_for
from nlp.types import Cell, Finding

__all__ = ["check_identities", "consistent", "label_of", "short_label", "sums_agree", "sums_hold"]

_WORDS = lexicon.load("tables")["identities"]
_ROW_SHORT = _WORDS["row_short"]
_STRIP = re.compile(_WORDS["label_numbering"])
_NOTE = re.compile(_WORDS["label_note"])
_TABLE = _WORDS["table_names"]


def _clean(label: str) -> str:
    """A printed label without numbering or its parenthetical note.

    >>> _clean("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    '部分公开'
    >>> _clean("3.危及“三安全一稳定”")
    '危及“三安全一稳定”'
    """
    s = _STRIP.sub("", label).strip()
    return _NOTE.sub("", s) or s


def _row_name(cid: str) -> str:
    ind = INDICATORS[cid]
    if ind.table == 3:
        if ind.row_id in _ROW_SHORT:
            return _ROW_SHORT[ind.row_id]
        name = _clean(ind.row)
        return f"{_clean(ind.parent)}·{name}" if ind.parent else name
    return _clean(ind.row)


def _col_name(cid: str) -> str:
    return _clean(INDICATORS[cid].column)


def label_of(cid: str) -> str:
    """Row·column label of an id as printed in the tables.

    >>> label_of("requests.denied.third_party.natural")
    '表三 不予公开·保护第三方合法权益 / 自然人'
    >>> label_of("review.total")
    '表四 行政复议 / 总计'
    >>> label_of("active.fees.amount")
    '表二 行政事业性收费 / 本年收费金额'
    """
    ind = INDICATORS.get(cid)
    if ind is None:
        return cid
    return f"{_TABLE[ind.table]} {_row_name(cid)} / {_col_name(cid)}"


def short_label(cid: str, ident: Identity) -> str:
    """How a term is named inside an identity's message: by row when the identity runs
    down a column, by column when it runs along a row or a table-4 group."""
    ind = INDICATORS[cid]
    if ind.table == 3 and ident.name in ("balance", "outcomes"):
        return _row_name(cid)
    return _col_name(cid)


def _key_label(ident: Identity) -> str:
    cid = ident.lhs[0]
    ind = INDICATORS[cid]
    if ind.table == 4:
        return f"{_TABLE[4]} {_clean(ind.row)}"
    if ident.name in ("balance", "outcomes"):
        return _WORDS["column_key"].format(table=_TABLE[3], column=_col_name(cid))
    return _WORDS["row_key"].format(table=_TABLE[3], row=_row_name(cid))


def _fmt(v: float | int) -> str:
    """
    >>> _fmt(3.0), _fmt(2.5), _fmt(7)
    ('3', '2.5', '7')
    """
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _terms(ids: tuple[str, ...], vals: dict[str, float], ident: Identity) -> str:
    """``a 1 + b 0`` — long sums list their non-zero terms and count the zeros."""
    if len(ids) <= 6:
        return " + ".join(f"{short_label(i, ident)} {_fmt(vals[i])}" for i in ids)
    nonzero = [i for i in ids if vals[i] != 0]
    parts = [f"{short_label(i, ident)} {_fmt(vals[i])}" for i in nonzero]
    zeros = len(ids) - len(nonzero)
    if zeros:
        parts.append(_WORDS["other_zeros"].format(n=zeros))
    return " + ".join(parts)


def _value(x: Cell | float | int | None) -> float | int | None:
    """The number of a cell; NaN/inf (never printed in a table) count as blank."""
    v = x.value if isinstance(x, Cell) else x
    if type(v) is int:  # most cells (bool is a subclass, so not this type)
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return v


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def check_identities(cells: Mapping[str, Cell | float | int | None], template: str,
                     missing: Iterable[str] | None = None) -> list[Finding]:
    """Identity findings for one document's cells (``Cell`` objects or plain numbers).

    An identity is evaluated only when all its cells have values.  Each blank id it touches
    is reported once as ``missing_cell``: a cell whose value is ``None``, an id listed in
    ``missing``, and — when ``missing`` is not given — an id absent from a table whose other
    cells are present.  Ids of a table the document does not have are not reported.

    >>> cells = {"review.upheld": 0, "review.corrected": 1, "review.other": 0,
    ...          "review.pending": 0, "review.total": 2}
    >>> [f.message for f in check_identities(cells, "2021") if f.type == "identity_violation"]
    ['总计 2 ≠ 结果维持 0 + 结果纠正 1 + 其他结果 0 + 尚未审结 0 (表四 行政复议)']
    """
    template = grid_template(template)
    listed = set(missing or ())
    vals, blank = _values_and_blanks(cells, listed)
    if missing is None:  # plain numbers: an id absent from a table that has values is blank
        present = {INDICATORS[c].table for c in vals if c in INDICATORS}
        blank |= {i for ident in identities_for(template) for i in ident.lhs + ident.rhs
                  if i not in vals and INDICATORS[i].table in present}
    out: list[Finding] = []
    reported: set[str] = set()
    for ident, ids, values_of in _identity_terms(template):
        try:
            terms = values_of(vals)  # most identities have every cell read
        except KeyError:  # one is not: the identity is not evaluated, its blanks are reported
            for cid in ids:
                if cid not in vals and cid in blank and cid not in reported:
                    reported.add(cid)
                    out.append(Finding("missing_cell", cid, None, None, "warning", None, [cid],
                                       _WORDS["missing_cell"].format(label=label_of(cid))))
            continue
        lhs = sum(terms[:len(ident.lhs)])
        rhs = sum(terms[len(ident.lhs):])
        # equal sums hold at once (the values are finite: NaN and inf count as blank)
        if lhs != rhs and abs(lhs - rhs) > 1e-6 * max(1.0, abs(lhs), abs(rhs)):
            msg = (f"{_terms(ident.lhs, vals, ident)} ≠ {_terms(ident.rhs, vals, ident)} "
                   f"({_key_label(ident)})")
            out.append(Finding("identity_violation", ident.lhs[0], None, _num(lhs), "error", None,
                               list(ids), msg))
    return out


def _values_and_blanks(cells: Mapping[str, Cell | float | int | None],
                       listed: set[str]) -> tuple[dict[str, float | int], set[str]]:
    """The cells' numbers (but those ``listed`` missing) and the ids blank (no number, or
    listed): one pass over the cells, most of whose values are ints, taken without the
    call to :func:`_value` (a call per cell was a third of the check)."""
    vals: dict[str, float | int] = {}
    blank = set(listed)
    for cid, x in cells.items():
        v = x.value if isinstance(x, Cell) else x
        if type(v) is not int:  # blank, float, bool, NaN: as _value reads them
            v = _value(v)
            if v is None:
                blank.add(cid)
                continue
        if cid not in listed:
            vals[cid] = v
    return vals, blank


@lru_cache(maxsize=8)
def _identity_terms(template: str) -> tuple[tuple[Identity, tuple[str, ...], Callable], ...]:
    """Each identity of ``template`` with its ids (lhs then rhs) and what reads their
    values from a dict as a tuple in that order (one ``itemgetter`` call; KeyError when
    one is absent)."""
    return tuple((ident, ids, _values_getter(ids)) for ident in identities_for(template)
                 for ids in [ident.lhs + ident.rhs])


def _values_getter(ids: tuple[str, ...]) -> Callable:
    if len(ids) == 1:  # itemgetter of one key gives the value, not a tuple of it
        return lambda vals: (vals[ids[0]],)
    return itemgetter(*ids)


def checked(assign: Mapping[str, float | int | None], known: Mapping[str, Cell | float | int | None],
            template: str) -> bool:
    """Does some identity of ``template`` tie ``assign`` to ``known`` cells, every value
    of it present, so that :func:`consistent` proves something of it (not only leaves it
    unchecked)?  One whose cells are all assigned proves nothing of where they were put: a
    row of zeros always adds up.

    >>> known = {"review.upheld": 0, "review.corrected": 1, "review.other": 0}
    >>> checked({"review.pending": 0, "review.total": 1}, known, "2021"), checked({"review.total": 1}, known, "2021")
    (True, False)
    >>> checked({f"review.{o}": 0 for o in ("upheld", "corrected", "other", "pending", "total")}, {}, "2021")
    False
    """
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if (any(i in assign for i in ids) and not all(i in assign for i in ids)
                and all(i in assign or _known(known, i) is not None for i in ids)):
            return True
    return False


def consistent(assign: Mapping[str, float | int | None], known: Mapping[str, Cell | float | int | None],
               template: str) -> bool:
    """No identity of ``template`` that ``assign`` (candidate values) takes part in is
    broken once the ``known`` cells fill the rest; identities with a blank left unchecked.

    >>> known = {"review.upheld": 0, "review.corrected": 1, "review.other": 0}
    >>> consistent({"review.pending": 0, "review.total": 1}, known, "2021")
    True
    >>> consistent({"review.pending": 0, "review.total": 2}, known, "2021")
    False
    """
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if not any(i in assign for i in ids):
            continue
        vals = [assign[i] if i in assign else _known(known, i) for i in ids]
        if None in vals:
            continue
        if not sums_agree(vals, len(ident.lhs)):
            return False
    return True


# How far apart two sums may be and still agree (the tables print counts and amounts).
_TOLERANCE = 1e-6


def sums_agree(vals: list[float | int], n_lhs: int) -> bool:
    """Do the first ``n_lhs`` values add up to the rest (what :func:`consistent` asks of
    an identity with every value known)?  Only a difference found breaks it: a NaN sum
    does not."""
    return not abs(sum(vals[:n_lhs]) - sum(vals[n_lhs:])) > _TOLERANCE


def sums_hold(vals: list[float | int], n_lhs: int) -> bool:
    """Do the first ``n_lhs`` values add up to the rest, shown by the numbers (what a
    table reader asks before it takes a reading)?  A NaN sum shows nothing: unlike
    :func:`sums_agree`, it does not hold."""
    return abs(sum(vals[:n_lhs]) - sum(vals[n_lhs:])) < _TOLERANCE


def _known(known: Mapping[str, Cell | float | int | None], cid: str) -> float | int | None:
    x = known.get(cid)
    return x.value if isinstance(x, Cell) else x
