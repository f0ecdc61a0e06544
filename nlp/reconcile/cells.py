"""The tables as the reconciler sees them: cell values, labels, composites and the sums of
cells a figure may have meant; the tables' own arithmetic (identities, blank and unread
cells) as findings."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator

from nlp import lexicon
from nlp.identities import check_identities
from nlp.indicators import INDICATORS, composite_parts, grid_template, id_positions, is_composite, registry
from nlp.types import ALL_TABLES, SECTIONS, TABLE_SECTIONS, Finding, Record, table_subject


def is_figure(value: object) -> bool:
    """A value the reconciler can compare: a finite number (not None, NaN or infinity).

    >>> is_figure(3), is_figure(2.5), is_figure(None), is_figure(float("nan")), is_figure(float("inf"))
    (True, True, False, False, False)
    """
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def table_values(record: Record) -> dict[str, float | int | None]:
    """Cell values by id: predicted ``cells`` when present, else the gold ``table``.

    Blank cells (``missing_cells`` or a cell with no number) map to ``None``.
    """
    pairs = ((k, c.value) for k, c in record.cells.items()) if record.cells is not None else record.table.items()
    values = {k: (v if is_figure(v) else None) for k, v in pairs}
    for cid in record.missing_cells:
        values.setdefault(cid, None)
    return values


def _fmt(value: float | int | None) -> str:
    """
    >>> _fmt(3.0), _fmt(2.5), _fmt(None)
    ('3', '2.5', '—')
    """
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def _num(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_ROW_NUMBER = re.compile(lexicon.load("reconcile")["row_number"])
MESSAGES = lexicon.load("reconcile")["messages"]          # finding messages (str.format)
_TABLE_NAMES = lexicon.load("tables")["identities"]["table_names"]   # 2 → 表二


def cell_name(indicator: str | None) -> str:
    """Short name of an id inside a finding's sentence: row·column as printed, no table
    (a composite: its label; any other id: itself).

    Not :func:`nlp.identities.label_of` (``表三 row / column``, numbering and notes
    cleaned), which names the terms of an identity; the reconciler's messages name one
    cell inside a sentence and were written with this shorter form.

    >>> cell_name("active.normative.repealed")
    '行政规范性文件·本年废止件数'
    >>> cell_name("litigation.total")
    '行政诉讼'
    >>> cell_name("narrative.fees.processing")
    'narrative.fees.processing'
    """
    comp = registry().composites.get(indicator or "")
    if comp is not None:
        return comp.label
    ind = INDICATORS.get(indicator or "")
    if ind is None:
        return indicator or "?"
    row = _ROW_NUMBER.sub("", ind.row)
    return f"{row}·{ind.column}"


def template_of(record: Record) -> str:
    return grid_template(record.template)


def cells_of(indicator: str, template: str) -> tuple[str, ...]:
    """The template cells an id stands for: a composite's parts, else the id itself.

    >>> cells_of("litigation.total", "2021")
    ('litigation.direct.total', 'litigation.after_review.total')
    >>> cells_of("review.total", "2021")
    ('review.total',)
    """
    return composite_parts(indicator, template) or (indicator,)


def cell_value(indicator: str, values: dict[str, float | int | None], template: str) -> float | int | None:
    """The table's figure for an id; for a composite the sum of its cells, or None when any
    of them is blank or unread (a sum with a hole in it is not compared).

    >>> vals = {"litigation.direct.total": 5, "litigation.after_review.total": 2, "review.total": None}
    >>> cell_value("litigation.total", vals, "2021"), cell_value("review_litigation.total", vals, "2021")
    (7.0, None)
    """
    if not is_composite(indicator):
        return values.get(indicator)
    parts = [values.get(p) for p in composite_parts(indicator, template)]
    if not parts or any(v is None for v in parts):
        return None
    return sum(float(v) for v in parts)


_T3_GROUPS = ("denied", "unavailable", "rejected", "other")


_T3_ORG_COLS = ("commercial", "research", "nonprofit", "legal", "other_org")


# Rows prose states together as one figure, and the rows such a figure gets linked to:
# 予以公开及部分公开 (to either), 受理 = 新收 + 上年结转 (to 新收), 办理 + 结转 (to 总计).
_T3_PAIRS = ((("granted", "partial"), ("granted", "partial")), (("new", "carried_over"), ("new",)),
             (("total", "carried_forward"), ("total",)))


def alternatives(indicator: str, values: dict[str, float | int | None]) -> list[tuple[tuple[str, ...], float]]:
    """Other cells, and natural sums of cells of the same family, a figure might have meant.

    Singles come first (same column, then same row), then sums; only cells with a value.

    >>> vals = {"requests.unavailable.not_held.total": 265, "requests.unavailable.needs_creation.total": 4,
    ...         "requests.unavailable.unclear.total": 0, "requests.granted.total": 200, "requests.partial.total": 58}
    >>> [ids for ids, v in alternatives("requests.granted.total", vals) if v == 258]
    [('requests.granted.total', 'requests.partial.total')]
    >>> [ids for ids, v in alternatives("requests.unavailable.not_held.total", vals) if v == 269]
    [('requests.unavailable.needs_creation.total', 'requests.unavailable.not_held.total', 'requests.unavailable.unclear.total')]
    """
    ind = INDICATORS.get(indicator)
    if ind is None:
        return []
    present = {k: v for k, v in values.items() if v is not None and k in INDICATORS}
    singles: list[tuple[str, ...]] = []
    sums: list[tuple[str, ...]] = []
    if ind.table == 3:
        col, row = ind.column_id, ind.row_id
        same_col = [k for k in present if k.startswith("requests.") and INDICATORS[k].column_id == col]
        same_row = [k for k in present if k.startswith("requests.") and INDICATORS[k].row_id == row]
        singles += [(k,) for k in same_col + same_row if k != indicator]
        for group in _T3_GROUPS:
            members = tuple(sorted(k for k in same_col if INDICATORS[k].row_id.startswith(group + ".")))
            if len(members) > 1:
                sums.append(members)
        sums += [ids for ids in _t3_pairs(ind) if all(i in present for i in ids)]
        orgs = tuple(f"requests.{row}.{c}" for c in _T3_ORG_COLS if f"requests.{row}.{c}" in present)
        if len(orgs) > 1:
            sums.append(orgs)
    elif ind.table == 2:
        same_row = [k for k in present if k.startswith("active.") and INDICATORS[k].row_id == ind.row_id]
        same_col = [k for k in present if k.startswith("active.") and INDICATORS[k].column_id == ind.column_id]
        singles += [(k,) for k in same_row + same_col if k != indicator]
        if len(same_col) > 1:
            sums.append(tuple(sorted(same_col)))
    else:
        group, outcome = ind.row_id, ind.column_id
        same_grp = [k for k in present if INDICATORS[k].table == 4 and INDICATORS[k].row_id == group]
        same_out = [k for k in present if INDICATORS[k].table == 4 and INDICATORS[k].column_id == outcome]
        singles += [(k,) for k in same_grp + same_out if k != indicator]
        lit = tuple(k for k in (f"litigation.direct.{outcome}", f"litigation.after_review.{outcome}") if k in present)
        if len(lit) == 2:
            sums.append(lit)
        if len(same_out) > 2:
            sums.append(tuple(same_out))
    seen: set[tuple[str, ...]] = set()
    out = []
    for ids in singles + sums:
        if ids not in seen:
            seen.add(ids)
            out.append((ids, sum(float(present[i]) for i in ids)))
    return out


def sums_holding(indicator: str, template: str = "2021") -> list[tuple[str, ...]]:
    """The natural sums of cells that hold ``indicator``'s own, read or not: the registry's
    composites, and the table-3 rows prose states together, in each column
    (新收 + 上年结转, 予以公开 + 部分公开).

    >>> sums_holding("requests.new.natural")
    [('requests.new.natural', 'requests.carried_over.natural')]
    """
    out = [parts for _comp, parts in _composites_holding(indicator, template)]
    ind = INDICATORS.get(indicator)
    if ind is not None and ind.table == 3:
        out += _t3_pairs(ind)
    return list(dict.fromkeys(out))


def _composites_holding(indicator: str, template: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(composite id, its cells) of every registry composite other than ``indicator`` that
    holds one of ``indicator``'s own cells."""
    own = set(cells_of(indicator, template))
    for comp in registry().composites:
        parts = composite_parts(comp, template)
        if comp != indicator and own & set(parts):
            yield comp, parts


def _t3_pairs(ind) -> list[tuple[str, str]]:
    """The table-3 row pairs prose states as one figure (``_T3_PAIRS``) that ``ind``'s row
    belongs to, in its column."""
    return [(f"requests.{a}.{ind.column_id}", f"requests.{b}.{ind.column_id}")
            for (a, b), principals in _T3_PAIRS if ind.row_id in principals]


def explanations(indicator: str, values: dict[str, float | int | None], template: str = "2021",
                 named: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], float]]:
    """What a figure that misses its id may have meant, when the template makes it natural:
    a sum of cells that holds its own (a family's, or a registry composite:
    行政复议和行政诉讼74件 linked to 行政复议 alone), a sibling under the same parent row
    (无法提供265件 = only 本机关不掌握), or another cell the figure's own words name
    (``named``: 1件结转下年度 linked to 总计).  Any other cell that happens to hold the same
    number explains nothing — small counts coincide all the time.

    >>> vals = {"review.total": 61, "litigation.direct.total": 3, "litigation.after_review.total": 10,
    ...         "requests.new.total": 1, "requests.denied.third_party.total": 2}
    >>> [ids for ids, v in explanations("review.total", vals) if v == 74]
    [('review.total', 'litigation.direct.total', 'litigation.after_review.total')]
    >>> explanations("requests.new.total", vals)
    []
    >>> explanations("requests.new.total", vals, named=("requests.denied.third_party.total",))
    [(('requests.denied.third_party.total',), 2.0)]
    """
    own = cells_of(indicator, template)
    # (a sum holding one part of a composite is no natural reading of the composite's figure:
    # 法人或其他组织2件 is not 其他's new and carried over)
    found = [alt for part in own for alt in alternatives(part, values)
             if (len(alt[0]) > 1 and part in alt[0] and len(own) == 1) or alt[0][0] in named or _siblings(part, alt[0][0])]
    for comp, parts in _composites_holding(indicator, template):
        total = cell_value(comp, values, template)
        if total is not None:
            found.append((parts, float(total)))
    for ids in _row_pair_sums(own):
        if all(is_figure(values.get(x)) for x in ids):
            found.append((ids, float(sum(values[x] for x in ids))))
    seen: set[tuple[str, ...]] = {own}
    out = []
    for ids, total in found:
        if ids not in seen:
            seen.add(ids)
            out.append((ids, total))
    return out


def _row_pair_sums(own: tuple[str, ...]) -> list[tuple[str, ...]]:
    """For a sum of several table-3 cells of one row, the same sum over the row pairs prose
    states as one figure (法人或其他组织申请N件 may count those carried over too).

    >>> cols = ("requests.new.commercial", "requests.new.legal")
    >>> _row_pair_sums(cols)
    [('requests.new.commercial', 'requests.carried_over.commercial', 'requests.new.legal', 'requests.carried_over.legal')]
    """
    inds = [INDICATORS.get(c) for c in own]
    if len(own) < 2 or any(i is None or i.table != 3 for i in inds) or len({i.row_id for i in inds}) != 1:
        return []
    pairs = [_t3_pairs(i) for i in inds]
    return [tuple(dict.fromkeys(x for p in pairs for x in p[j])) for j in range(len(pairs[0]))]


def _siblings(a: str, b: str) -> bool:
    """Two table-3 cells of one column under the same parent row (（四）无法提供 1., 2., 3.).

    >>> _siblings("requests.unavailable.not_held.total", "requests.unavailable.unclear.total")
    True
    >>> _siblings("requests.new.total", "requests.denied.query.total")
    False
    """
    x, y = INDICATORS.get(a), INDICATORS.get(b)
    return (x is not None and y is not None and x.table == y.table == 3 and x.parent is not None
            and x.parent == y.parent and x.column_id == y.column_id)


def _table_findings(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    """Identity and blank-cell findings (``nlp.identities.check_identities``), on the cell
    values :func:`table_values` read (the figures ``check_identities`` would read again)."""
    template = template_of(record)
    known = id_positions(template)  # the template's ids, kept per template: no set per document
    if record.cells is not None:
        # a cell located but not seen blank (a row the text may cut) is unreadable, said once
        # per table by unreadable_tables when the record's coverage counts it: no "blank"
        unread = [] if record.coverage is not None else [k for k, c in record.cells.items() if c.value is None]
    else:
        unread = [k for k, v in record.table.items() if v is None]
    blank = list(dict.fromkeys([*record.missing_cells, *unread]))
    # A cell is missing when the record says so (blank, unreadable), not merely absent:
    # a truncated or partial document has no table rows to be blank.
    found = [_bilingual(f) for f in check_identities(values, template, missing=record.missing_cells)
             if f.type != "missing_cell" or f.indicator in blank]
    reported = {f.indicator for f in found if f.type == "missing_cell"}
    for cid in blank:
        if cid in known and cid not in reported:
            reported.add(cid)
            found.append(_missing(cid))
    return blanks_per_table(found, known)


def _missing(cid: str) -> Finding:
    return Finding("missing_cell", cid, None, None, "warning", None, [cid],
                   MESSAGES["blank_cell"].format(label=cell_name(cid), cid=cid))


def blanks_per_table(found: list[Finding], order: dict[str, int] | None = None) -> list[Finding]:
    """The blank cells of one table said once, in the place of its first: an agency that
    leaves the 法人或其他组织 columns of table 3 blank has one thing to mend, not 125 (the
    finding's ``cells`` name every one, in the template's ``order``, as ``missing_cells`` does).

    >>> one = blanks_per_table([_missing("requests.new.other_org"), _missing("review.total"), _missing("requests.new.legal")],
    ...                        {"requests.new.legal": 5, "requests.new.other_org": 6})
    >>> [(f.indicator, f.cells) for f in one]
    [('requests.new.legal', ['requests.new.legal', 'requests.new.other_org']), ('review.total', ['review.total'])]
    """
    tables: dict[int, list[Finding]] = {}
    for f in found:
        if f.type == "missing_cell" and (ind := INDICATORS.get(f.indicator or "")) is not None:
            tables.setdefault(ind.table, []).append(f)
    grouped = {id(group[0]): _blank_cells(group, table, order or {}) for table, group in tables.items() if len(group) > 1}
    folded = {id(f) for group in tables.values() if len(group) > 1 for f in group[1:]}
    return [grouped.get(id(f), f) for f in found if id(f) not in folded]


def _blank_cells(group: list[Finding], table: int, order: dict[str, int]) -> Finding:
    """One ``missing_cell`` for a table's blank cells, its message naming the first few."""
    cells = sorted(dict.fromkeys(c for f in group for c in (f.cells or [f.indicator])),
                   key=lambda c: order.get(c, len(order)))
    named, more = MESSAGES["blank_cells_named"], MESSAGES["blank_cells_more"]
    shown = cells[:named["count"]]
    rest = len(cells) > len(shown)
    return Finding("missing_cell", cells[0], None, None, "warning", None, cells,
                   MESSAGES["blank_cells"].format(
                       table=_table_name(str(table)), n=len(cells), key=table,
                       labels=named["labels_joined_by"].join(map(cell_name, shown)),
                       cids=named["cids_joined_by"].join(shown),
                       more=more["zh"] if rest else "", more_en=more["en"] if rest else ""))


def _bilingual(f: Finding) -> Finding:
    """Add the English half to a finding message written in Chinese only."""
    if f.message and not re.search(r"[A-Za-z]{3}", f.message):
        if f.type == "missing_cell":
            f.message += MESSAGES["missing_cell_en"].format(cid=f.indicator)
        elif f.type == "identity_violation":
            f.message += MESSAGES["identity_violation_en"].format(cid=f.indicator)
    return f


_TEMPLATES_FROM = int(lexicon.load("reconcile")["templates_from_year"])


def _before_templates(record: Record) -> bool:
    """A report of a year before the official templates, whose tables matched neither."""
    return isinstance(record.year, int) and record.year < _TEMPLATES_FROM and record.template in (None, "unknown")


def _table_name(key: str) -> str:
    """
    >>> _table_name("3"), _table_name("x")
    ('表三', '表x')
    """
    name = _TABLE_NAMES.get(int(key)) if key.isdigit() else None
    return name if name is not None else MESSAGES["table_other"].format(key=key)


_MISREAD_SHARE = float(lexicon.load("tables")["misread_share"])  # the reader's doubt, the reconciler's too


# What a table the reader could mostly not read puts in doubt: its own sums, and the prose
# compared with its cells.
_MISREAD_TYPES = ("identity_violation", "narrative_table_mismatch")


def misread_arithmetic(record: Record, findings: list[Finding]) -> list[Finding]:
    """``findings`` with every identity broken in a table the reader could mostly not read
    (``Record.coverage``), and every figure that disagrees with one of its cells, said as
    info: its few cells read may sit out of place (a PDF tool's text printing columns one
    after another put 四、结转下年度's row on another row's numbers), no evidence either way."""
    coverage = getattr(record, "coverage", None)
    if coverage is None:
        return findings
    misread = {key for key, t in coverage.tables.items() if t.template and t.unreadable > _MISREAD_SHARE * t.template}
    if not misread:
        return findings
    for f in findings:
        key = str(INDICATORS[f.indicator].table) if f.indicator in INDICATORS else None
        if f.type in _MISREAD_TYPES and key in misread and f.severity != "info":
            f.severity = "info"
            f.message += MESSAGES["misread_table"].format(table=_table_name(key), key=key)
    return findings


def unreadable_text(record: Record) -> list[Finding]:
    """One ``text_unreadable`` warning for a text holding characters no reader can read
    (reading.yaml ``unreadable_glyph``: (cid:17), a glyph a PDF's fonts map to no character,
    as PDF tools write it; undecodable bytes): the words and
    figures they stand for were not read, so a fact or a cell may be missing where the
    report printed one — said, not left to look like a report with fewer facts."""
    found = _UNREADABLE.findall(record.text or "")
    if not found:
        return []
    first = found[0] if len(found[0]) > 1 else f"U+{ord(found[0]):04X}"
    return [Finding("text_unreadable", None, None, None, "warning", None, [],
                    MESSAGES["text_unreadable"].format(n=len(found), example=first))]


_UNREADABLE = re.compile(lexicon.load("reading")["unreadable_glyph"])


def unreadable_tables(record: Record) -> list[Finding]:
    """One ``table_unreadable`` warning per table with cells the reader could not read
    (``Record.coverage``), never one ``missing_cell`` per cell: those cells are not blank,
    and the identities that need them are not checked.  A report of a year before the
    templates whose tables matched none gets one ``table_unreadable`` info instead: its
    statistics table is of its own making, not a template table read badly."""
    coverage = getattr(record, "coverage", None)
    if coverage is None:
        return []
    if _before_templates(record) and any(t.unreadable for t in coverage.tables.values()):
        return [Finding("table_unreadable", ALL_TABLES, None, None, "info", None, [],
                        MESSAGES["table_before_templates"].format(year=record.year))]
    out = []
    for key, table in coverage.tables.items():
        if table.unreadable:
            out.append(Finding(
                "table_unreadable", table_subject(key), None, None, "warning", None, [],
                MESSAGES["table_unreadable"].format(
                    table=_table_name(key), unreadable=table.unreadable, total=table.template, key=key)))
        elif _not_found(record, key, table, coverage.sections):
            said_none = _said_none(record, key)
            out.append(Finding(
                "table_unreadable", table_subject(key), None, None, "info" if said_none else "warning", None, [],
                MESSAGES["table_not_printed" if said_none else "table_not_found"].format(
                    table=_table_name(key), total=table.template, key=key)))
    return out


def _said_none(record: Record, key: str) -> bool:
    """Does the table's own part say, in its place, that there was nothing to count
    (三、… 本年度未收到政府信息公开申请; 四、… 未发生行政复议、行政诉讼): a zero claim there
    linked to one of its cells?  A table left out so is no table lost: said as info.  (A
    claim elsewhere — the overview's — leaves a part that holds no table unexplained.)"""
    part, starts = _part_of(key), [ln.start for ln in record.lines]
    for f in record.facts:
        ind = INDICATORS.get(f.indicator or "") if f.label == "ZERO" else None
        if ind is not None and str(ind.table) == key and starts:
            if record.lines[max(bisect.bisect_right(starts, f.start) - 1, 0)].section == part:
                return True
    return False


def _part_of(key: str) -> str | None:
    """The part (section) that holds table ``key`` ("3" → requests), or None."""
    return TABLE_SECTIONS.get(int(key)) if key.isdigit() else None


def _not_found(record: Record, key: str, table, sections: list[str]) -> bool:
    """Is a template table of a report of the templates' years missing from its whole part:
    not one of its cells located (read, blank or unreadable), and the report goes on past
    that part (a later part's heading found — an opening cut inside the part may have lost
    the table with the rest)?  Its cells are as unread as an unreadable table's: a table printed as a
    picture, a converter's [TABLE] placeholder, rows read as prose."""
    part = _part_of(key)
    if part is None or table.read or table.blank or table.unreadable:
        return False
    if not (isinstance(record.year, int) and record.year >= _TEMPLATES_FROM):
        return False
    later = set(SECTIONS[SECTIONS.index(part) + 1:])
    # (a later part's heading: the page's furniture after a cut opening may be read as a
    # later part's text, 分享到 | 打印本页, yet no part was printed after this one)
    return part in sections and any(ln.heading and ln.section in later for ln in record.lines)

