"""Reconcile: where the narrative, the tables and last year's report disagree.

``reconcile(record)`` reads a record's linked facts, its table cells (``record.cells``
when predicted, else the gold ``record.table``) and its template, and returns
findings a reviewer can act on without reading code:

* ``narrative_table_mismatch`` — a narrative figure linked to a table id differs from
  the cell, after the tolerance its qualifier implies (``tolerance_for``).  A figure linked
  to a composite id (``composites:`` of indicators.yaml: 予以公开及部分公开, 行政诉讼 =
  直接起诉 + 复议后起诉, 受理 = 新收 + 上年结转 …) is compared with the sum of its cells,
  and not at all when one of them is blank or unread.  When the figure misses its cell
  but equals another cell, a natural sum of its family or a composite that holds it, the
  difference is explained and the finding is ``info``.
* ``zero_claim_contradiction`` — a ZERO claim against a non-zero cell of its scope: the
  cells its own words deny (``zero_scopes:`` of indicators.yaml: 未…纠错 → 结果纠正,
  未收到申请 → 本年新收); a claim whose scope is unclear is not compared.
* ``identity_violation`` / ``missing_cell`` — the tables' own arithmetic, from
  ``nlp.identities.check_identities`` (a local fallback is used until it exists).
* ``narrative_conflict`` — two narrative figures for one id that cannot both be true,
  when both count the same quantity: not one a part (其中), and the same channel, unit,
  topic, period and way of disclosure (``scope_markers`` of nlp/data/reconcile.yaml).

``reconcile_years(records)`` adds ``cross_year_mismatch`` for one agency's reports of
consecutive years (rules in ``registry().cross_year``).

Severity (documented in the README, "Findings and severity"):
error — a definite disagreement a reviewer must act on: an exact figure against the cell
its sentence names, a zero claim against a non-zero cell in its scope, a broken identity;
warning — probable: an approximate figure outside its tolerance, an exact figure whose
words do not confirm its link, two narrative figures that disagree, blank cells,
cross-year breaks; info — explained differences (the figure is a part or a sum of cells)
and coverage notes.  ``info`` never fails a run.

The reconciler's words (qualifiers, units, scope markers) are data in
``nlp/data/reconcile.yaml``; what a zero claim denies is in indicators.yaml.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from nlp.indicators import (INDICATORS, composite_parts, grid_template, identities_for, ids_for_template,
                            is_composite, is_table_id, registry)
from nlp.types import Cell, Fact, Finding, Record, loads_yaml

# Relative tolerance of 约/左右 ("stated tolerance"), and how close 近 must be.
APPROX_REL = 0.10
NEAR_REL = 0.10
# Columns printed in 万元 while narrative money facts are in 元.
WAN_YUAN_IDS = frozenset({"active.fees.amount", "active.procurement.amount"})


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The reconciler's words (nlp/data/reconcile.yaml), parsed once."""
    text = resources.files("nlp").joinpath("data/reconcile.yaml").read_text(encoding="utf-8")
    return loads_yaml(text)


def _words(*path: str) -> tuple[str, ...]:
    node = lexicon()
    for key in path:
        node = node[key]
    return tuple(node)


LOWER_BOUND_WORDS = _words("qualifiers", "lower_bound")
ROUNDED_UP_WORDS = _words("qualifiers", "rounded_up")
NEAR_WORDS = _words("qualifiers", "near")
ABOUT_WORDS = _words("qualifiers", "about")
AFTER_WORDS = _words("qualifiers", "after")


# ---------------------------------------------------------------- tolerance
@dataclass(frozen=True)
class Tolerance:
    """Which table values a narrative figure is compatible with: ``low <= t <= high``."""

    low: float
    high: float
    word: str | None = None

    def accepts(self, value: float) -> bool:
        eps = 1e-6 * max(1.0, abs(value))
        return self.low - eps <= value <= self.high + eps


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


def qualifier(text: str, start: int, end: int, span_text: str = "") -> str | None:
    """The approximation word around a fact span (before it, inside it, or right after).

    >>> qualifier("清理不规范信息200余条", 7, 12, "200余条")
    '余'
    >>> qualifier("推送信息近 600 条", 5, 10, "600 条")
    '近'
    >>> qualifier("受理申请100件以上", 4, 8)
    '以上'
    >>> qualifier("共 3 件", 2, 5) is None
    True
    """
    inside = span_text or text[start:end]
    before = text[max(0, start - 4):start].rstrip()
    after = text[end:end + 3].lstrip()
    for word in ROUNDED_UP_WORDS:
        if word in inside:
            return word
    for word in AFTER_WORDS:
        if word in inside or after.startswith(word):
            return word
    for word in LOWER_BOUND_WORDS + NEAR_WORDS + ABOUT_WORDS:
        if before.endswith(word):
            return word
    return None


def tolerance_for(value: float, approx: bool, word: str | None) -> Tolerance:
    """Compatible table values for a narrative figure and its qualifier word.

    >>> tolerance_for(200, True, "余")          # 200余: at least 200, below 300
    Tolerance(low=200, high=299.999, word='余')
    >>> t = tolerance_for(600, True, "近"); (t.accepts(580), t.accepts(601), t.accepts(400))
    (True, False, False)
    >>> t = tolerance_for(100, True, "以上"); (t.accepts(100), t.accepts(5000), t.accepts(99))
    (True, True, False)
    >>> t = tolerance_for(50, True, "约"); (t.accepts(54), t.accepts(60))
    (True, False)
    >>> tolerance_for(3, False, None).accepts(3)
    True
    """
    if not approx and word is None:
        return Tolerance(value, value, None)
    if word in ROUNDED_UP_WORDS:
        return Tolerance(value, value + place_value(value) - 1e-3, word)
    if word in LOWER_BOUND_WORDS:
        return Tolerance(value, math.inf, word)
    if word in NEAR_WORDS:
        return Tolerance(value * (1 - NEAR_REL), value, word)
    slack = max(APPROX_REL * abs(value), 0.5)
    return Tolerance(value - slack, value + slack, word or ABOUT_WORDS[-1])


# ---------------------------------------------------------------- table access
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
    if record.cells is not None:
        values = {k: c.value for k, c in record.cells.items()}
    else:
        values = dict(record.table)
    values = {k: (v if is_figure(v) else None) for k, v in values.items()}
    for cid in record.missing_cells:
        values.setdefault(cid, None)
    return values


def record_cells(record: Record) -> dict[str, Cell]:
    """Cells with provenance; gold tables become cells without a line."""
    if record.cells is not None:
        cells = dict(record.cells)
    else:
        cells = {k: Cell(v, _fmt(v)) for k, v in record.table.items()}
    for cid in record.missing_cells:
        cells.setdefault(cid, Cell(None, ""))
    return cells


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


_ROW_NUMBER = re.compile(lexicon()["row_number"])


def label_of(indicator: str | None) -> str:
    """Human label of an id, as printed in the report's tables (a composite: its label).

    >>> label_of("active.normative.repealed")
    '行政规范性文件·本年废止件数'
    >>> label_of("litigation.total")
    '行政诉讼'
    >>> label_of("narrative.fees.processing")
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


# ---------------------------------------------------------------- partial matches
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
        for (a, b), principals in _T3_PAIRS:
            ids = (f"requests.{a}.{col}", f"requests.{b}.{col}")
            if row in principals and all(i in present for i in ids):
                sums.append(ids)
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
    found = [alt for part in own for alt in alternatives(part, values)
             if (len(alt[0]) > 1 and part in alt[0]) or alt[0][0] in named or _siblings(part, alt[0][0])]
    for comp in registry().composites:
        parts = composite_parts(comp, template)
        total = cell_value(comp, values, template)
        if comp != indicator and total is not None and set(parts) & set(own):
            found.append((parts, float(total)))
    seen: set[tuple[str, ...]] = {own}
    out = []
    for ids, total in found:
        if ids not in seen:
            seen.add(ids)
            out.append((ids, total))
    return out


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


def cells_named(text: str, fact: Fact, template: str = "2021") -> tuple[str, ...]:
    """The cell the words of a figure's own clause name, by the ``zero_scopes`` rules (which
    say what words name which cells; here for a figure, not a denial): the words before the
    figure and the rest of its clause (1件结转下年度继续办理) — but not a bracket after it,
    which describes its parts (处理申请1717件（包含上年结转76件）); when several rules meet
    the words, they name nothing for sure.

    >>> t = "本年度办结10件，1件结转下年度继续办理。处理申请1717件（包含上年结转76件）。"
    >>> cells_named(t, Fact(9, 11, "1件", "COUNT", 1)), cells_named(t, Fact(25, 30, "1717件", "COUNT", 1717))
    (('requests.carried_forward.total',), ())
    """
    tail = zero_claim(text, fact)[len(fact.text):]
    return _named_by(clause_head(text, fact) + ("" if tail.lstrip().startswith(_OPEN_BRACKETS) else tail), template)


@lru_cache(maxsize=4096)
def _named_by(words: str, template: str) -> tuple[str, ...]:
    """The one cell the naming rules give these words, or () (none, or several)."""
    named = {zero_scope(words, template, figure=True, rule=r) for r in _scope_rules()}
    named.discard(())
    return named.pop() if len(named) == 1 else ()


def clause_head(text: str, fact: Fact) -> str:
    """The words of the figure's clause before it.

    >>> clause_head("上年结转0件，本年度办结39件。", Fact(12, 15, "39件", "COUNT", 39))
    '本年度办结'
    """
    head = text[sentence_start(text, fact.start):fact.start]
    return head[max((m.end() for m in _CLAIM_END.finditer(head)), default=0):]


_YEAR = re.compile(lexicon()["year_pattern"])
_NOT_THIS_YEAR_WORDS = _words("not_this_year", "words")
_NOT_THIS_YEAR = tuple(re.compile(p) for p in lexicon()["not_this_year"]["patterns"])
_OPEN_BRACKETS = ("(", "\uff08")


def other_period(text: str, fact: Fact, year: int | None, indicator: str = "") -> bool:
    """Does the figure's clause speak of another period than the report's year (上年, 同比,
    1-6月, or a year other than ``year``)?  Such a figure is not this year's table figure —
    unless the cell's own label names that period (二、上年结转…: a cell of this year's table).

    >>> t = "2022年收到申请5件，同比增加2件，2023年收到申请7件，上年结转1件。"
    >>> [other_period(t, Fact(s, s + 2, "", "COUNT", 1), 2023) for s in (9, 16, 25, 33)]
    [True, True, False, True]
    >>> other_period(t, Fact(33, 35, "", "COUNT", 1), 2023, "requests.carried_over.total")
    False
    """
    head = clause_head(text, fact)
    if year is not None and any(int(y) != int(year) for y in _YEAR.findall(head)):
        return True
    found = [w for w in _NOT_THIS_YEAR_WORDS if w in head] + [m.group() for p in _NOT_THIS_YEAR for m in p.finditer(head)]
    label = "".join(INDICATORS[c].row for c in cells_of(indicator, "2021") if c in INDICATORS) if indicator else ""
    return any(w not in label for w in found)


# ---------------------------------------------------------------- narrative vs table
def _candidates(fact: Fact, indicator: str) -> list[float]:
    """Fact values to compare: money facts in 元 also compare as 万元."""
    v = float(fact.value)
    if indicator in WAN_YUAN_IDS:
        return [v, v / 10000]
    return [v]


def _fits(fact: Fact, indicator: str, word: str | None, table_value: float) -> bool:
    return any(tolerance_for(v, fact.approx, word).accepts(float(table_value))
               for v in _candidates(fact, indicator))


def _num(value: float | int | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def names_its_object(indicator: str, words: str) -> bool:
    """Do the words name what the indicator counts (``objects`` of indicators.yaml)?
    A zero claim that names something else (无因申请引发的复议 denies reviews, not
    requests) does not.

    >>> names_its_object("requests.new.total", "未收到政府信息公开申请")
    True
    >>> names_its_object("requests.new.total", "无空白栏目")
    False
    >>> names_its_object("review.total", "未发生行政复议和行政诉讼")
    True
    >>> names_its_object("requests.new.total", "无因政府信息公开申请引发的行政复议")
    False
    """
    for prefix, spec in registry().objects.items():
        if indicator.startswith(prefix):
            return (any(w in words for w in spec.get("words", ()))
                    and not any(w in words for w in spec.get("zero_exclude", ())))
    return True


def names_cells_object(text: str, fact: Fact, indicator: str, template: str) -> bool:
    """Does the figure's sentence, up to the end of its clause, name what every cell of the id counts?
    Only then is an exact figure that misses its cell a definite disagreement: otherwise
    the link itself may be wrong.

    >>> t = "收到政府信息公开申请44件。本年度办结39件。"
    >>> names_cells_object(t, Fact(10, 13, "44件", "COUNT", 44), "requests.new.total", "2021")
    True
    >>> names_cells_object(t, Fact(19, 22, "39件", "COUNT", 39), "requests.total.total", "2021")
    False
    >>> t = "（二）依申请公开情况。本年度共收到3件。"  # a run-in heading names it for its paragraph
    >>> names_cells_object(t, Fact(17, 19, "3件", "COUNT", 3), "requests.new.total", "2021")
    True
    """
    start = sentence_start(text, fact.start)
    words = run_in_heading(text, start) + text[start:fact.start] + zero_claim(text, fact)  # 收到1件…申请
    return all(_object_named(cid, words) for cid in cells_of(indicator, template))


RUN_IN_HEADING_CHARS = 16  # a numbered first sentence this short is the paragraph's heading
_HEADING_NUMBER = re.compile(lexicon()["heading_number"])


def run_in_heading(text: str, start: int) -> str:
    """The paragraph's first sentence when it is short enough to be a heading printed at the
    start of the paragraph (（二）依申请公开情况。本年度共收到3件…), for a sentence at
    ``start`` after it; else nothing.

    >>> t = "（二）依申请公开情况。本年度共收到3件。全年办结3件。"
    >>> run_in_heading(t, 11), run_in_heading(t, 0), run_in_heading("本年度共收到3件。全年办结3件。", 9)
    ('（二）依申请公开情况。', '', '')
    """
    line = text.rfind("\n", 0, start) + 1
    ends = [i for i in (text.find(m, line, start) for m in "。！？：:") if i >= 0]
    if line == start or not ends or min(ends) + 1 - line > RUN_IN_HEADING_CHARS:
        return ""
    first = text[line:min(ends) + 1]
    return first if _HEADING_NUMBER.match(first) else ""


def _object_named(indicator: str, words: str) -> bool:
    for prefix, spec in registry().objects.items():
        if indicator.startswith(prefix):
            return any(w in words for w in spec.get("words", ()))
    return True


# Units no table cell is counted in: a figure in these was linked by mistake
# (培训11期, 7人次) and is not compared with a count cell.
NOT_A_COUNT_UNIT = frozenset(_words("not_a_count_unit"))
MONEY_UNITS = frozenset(_words("unit_groups", "money"))


def unit_fits(indicator: str, fact: Fact) -> bool:
    """Could this fact's unit count what the table cell counts?

    >>> unit_fits("requests.new.total", Fact(0, 3, "11期", "COUNT", 11, "期"))
    False
    >>> unit_fits("active.fees.amount", Fact(0, 4, "380元", "MONEY", 380, "元"))
    True
    >>> unit_fits("requests.new.total", Fact(0, 2, "3件", "COUNT", 3, "件"))
    True
    """
    if fact.label == "ZERO" or not fact.unit:
        return True
    if indicator in WAN_YUAN_IDS:
        return fact.label == "MONEY" or fact.unit in MONEY_UNITS
    return fact.unit not in NOT_A_COUNT_UNIT and fact.label != "MONEY"


def is_compared(indicator: str | None) -> bool:
    """A table cell or a composite of cells: what a narrative figure is compared with."""
    return is_table_id(indicator) or is_composite(indicator)


# ---------------------------------------------------------------- zero claims
_CLAIM_END = re.compile(r"[，。；,;\n！？!?]")


def zero_claim(text: str, fact: Fact) -> str:
    """The words of a zero claim: its span and the rest of its clause (the extractor may
    stop at 未发生与诉讼 before 有关的费用 says what is denied).

    >>> t = "未发生与诉讼(行政复议、行政诉讼)有关的费用，特此说明。"
    >>> zero_claim(t, Fact(0, 6, "未发生与诉讼", "ZERO", 0))
    '未发生与诉讼(行政复议、行政诉讼)有关的费用'
    """
    end = _CLAIM_END.search(text, fact.end, fact.end + 40)
    tail = text[fact.end:end.start() if end else min(len(text), fact.end + 40)]
    return fact.text + tail


@lru_cache(maxsize=8)
def _known_ids(template: str) -> frozenset[str]:
    return frozenset(ids_for_template(template))


def _scope_rules() -> list[dict]:
    return registry().raw.get("zero_scopes") or []


def zero_scope(claim: str, template: str = "2021", figure: bool = False,
               rule: dict | None = None) -> tuple[str, ...]:
    """The cells (or composites) a zero claim denies, by the first ``zero_scopes`` rule of
    indicators.yaml its words meet (or by ``rule`` alone); empty when no rule does (the
    claim's scope is unclear).  ``figure``: rules marked ``figures_only`` apply too.

    >>> zero_scope("未收到政府信息公开申请")
    ('requests.new.total',)
    >>> zero_scope("未发生因依申请公开被行政复议纠错的情况")
    ('review.corrected',)
    >>> zero_scope("无行政复议和行政诉讼")
    ('review.total', 'litigation.direct.total', 'litigation.after_review.total')
    >>> zero_scope("未被提起行政诉讼"), zero_scope("无空白栏目"), zero_scope("无结转")
    (('litigation.direct.total', 'litigation.after_review.total'), (), ())
    """
    for spec in ([rule] if rule is not None else _scope_rules()):
        if spec.get("figures_only") and not figure:
            continue
        if (all(any(w in claim for w in group) for group in spec["all"])
                and not any(w in claim for w in spec.get("unless", ()))):
            known = _known_ids(template)
            return tuple(c for c in spec["cells"] if c in known or composite_parts(c, template))
    return ()


def _zero_findings(record: Record, values: dict[str, float | int | None], template: str) -> list[Finding]:
    """A zero claim against each non-zero cell in its scope, once per claim and cell
    (annotations repeat a claim that denies several things once per id)."""
    out: list[Finding] = []
    seen: set[tuple[int, int, str]] = set()
    for i, fact in enumerate(record.facts):
        if fact.label != "ZERO" or not is_compared(fact.indicator):
            continue
        for cid in zero_scope(zero_claim(record.text, fact), template):
            value = cell_value(cid, values, template)
            key = (fact.start, fact.end, cid)
            if value is None or float(value) == 0 or key in seen:
                continue
            seen.add(key)
            out.append(Finding(
                "zero_claim_contradiction", cid, 0, _num(value), "error", i, list(cells_of(cid, template)),
                f"正文称“{fact.text}”，但表格〔{label_of(cid)}〕为 {_fmt(value)} — "
                f"zero claim contradicts table value {_fmt(value)} ({cid})"))
    return out


# ---------------------------------------------------------------- figures vs cells
def _mismatches(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    template = template_of(record)
    out = _zero_findings(record, values, template)
    for i, fact in enumerate(record.facts):
        ind = fact.indicator
        if fact.label in ("ZERO", "PERCENT") or not is_compared(ind) or not is_figure(fact.value):
            continue
        if not unit_fits(ind, fact):
            continue
        named = cells_named(record.text, fact, template)
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
                                     confirmed and word is None and object_named, named, grounds))
    return out


def compared_id(linked: str, named: tuple[str, ...], template: str = "2021") -> tuple[str, bool]:
    """The id a figure is compared with, and whether its words confirm its link.  When the
    words of its clause name one cell of another row (1件结转下年度继续办理 linked to
    本年新收), the figure is compared with what its words name, never as a definite error:
    the words and the link disagree.  Cells of one row or group (行政复议3件、维持2件) do
    not overrule the link: the naming rules name a family by its total.

    >>> compared_id("requests.new.total", ("requests.carried_forward.total",))
    ('requests.carried_forward.total', False)
    >>> compared_id("review.upheld", ("review.total",)), compared_id("requests.received.total", ("requests.new.total",))
    (('review.upheld', True), ('requests.received.total', True))
    """
    if len(named) != 1:
        return linked, True
    own, other = cells_of(linked, template), cells_of(named[0], template)
    if any(_same_row(a, b) for a in own for b in other):
        return linked, True
    return named[0], False


def _same_row(a: str, b: str) -> bool:
    x, y = INDICATORS.get(a), INDICATORS.get(b)
    return x is not None and y is not None and x.table == y.table and x.row_id == y.row_id


def _mismatch_finding(i: int, fact: Fact, ind: str, word: str | None, table_value: float,
                      values: dict[str, float | int | None], template: str = "2021",
                      definite: bool = True, named: tuple[str, ...] = (),
                      grounds: str = "words") -> Finding:
    """error: an exact figure whose sentence names the cell's object; warning: an
    approximate one outside its tolerance, or one compared with the cell its words name
    rather than its link; info: the figure equals other cells or a natural sum of them (the
    difference is explained), or nothing in its sentence names what the cell counts
    (``grounds == "model"``: only the linker ties it to the cell)."""
    shown = f"“{fact.text}”" + (f"（{word}）" if word and word not in fact.text else "")
    own = list(cells_of(ind, template))
    base = (f"正文{shown}与表格〔{label_of(ind)}〕{_fmt(table_value)} 不符 — "
            f"narrative {_fmt(fact.value)}{' (approx. ' + word + ')' if word else ''} "
            f"≠ table {_fmt(table_value)} ({ind})")
    if float(fact.value) != 0 or named:  # a zero figure matches any zero cell, unless its words name one
        for ids, total in explanations(ind, values, template, named):
            if _fits(fact, ind, word, total):
                names = " + ".join(label_of(x) for x in ids)
                return Finding(
                    "narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "info", i,
                    [*own, *(x for x in ids if x not in own)],
                    f"{base}; 但等于〔{names}〕{_fmt(total)}，可能只说了部分或合计 — "
                    f"matches {' + '.join(ids)} instead (a part or a sum: explained)")
    if grounds == "model":  # nothing in the sentence names what the cell counts: an unconfirmed link
        return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "info", i, own,
                       f"{base}; 句中未提及该栏目所计对象，关联未经文字印证 — "
                       f"the sentence does not name what the cell counts: unconfirmed link")
    severity = "error" if definite and word is None else "warning"
    return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), severity, i, own, base)


# ---------------------------------------------------------------- narrative vs narrative
def _conflicts(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    """Two narrative figures for one indicator (a table id, a composite or a
    ``narrative.*`` topic) whose tolerance ranges do not overlap, when both count the same
    quantity (``_first_disjoint``)."""
    template = template_of(record)
    by_ind: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(record.facts):
        if fact.indicator and is_figure(fact.value) and fact.label != "PERCENT":
            if is_compared(fact.indicator) and not unit_fits(fact.indicator, fact):
                continue
            if fact.label == "ZERO":
                if fact.indicator not in zero_scope(zero_claim(record.text, fact), template):
                    continue  # a zero claim is one figure only for what its words deny
                by_ind[fact.indicator].append(i)
            elif is_compared(fact.indicator):  # what its words name, as with the table
                named = cells_named(record.text, fact, template)
                ind = compared_id(fact.indicator, named, template)[0]
                if (names_cells_object(record.text, fact, ind, template)  # else only the linker says so
                        and not _explained(record.text, fact, ind, values, template, named)):
                    by_ind[ind].append(i)
            else:
                by_ind[fact.indicator].append(i)
    out = []
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
        pair = _first_disjoint(ranges, record.facts, record.text)
        if pair is None:
            continue
        a, b = (record.facts[j] for j in pair)
        table_value = cell_value(ind, values, template) if is_compared(ind) else None
        out.append(Finding(
            "narrative_conflict", ind, _num(b.value), _num(table_value), "warning", pair[1], [ind],
            f"正文对〔{label_of(ind)}〕前后说法不一：“{a.text}”与“{b.text}” — "
            f"narrative states {_fmt(a.value)} and {_fmt(b.value)} for {ind}"))
    return out


def _explained(text: str, fact: Fact, ind: str, values: dict[str, float | int | None], template: str,
               named: tuple[str, ...]) -> bool:
    """Does the table explain why the figure misses its cell — it equals a sum or a part
    (受理749件 linked to 本年新收 = 新收 + 上年结转)?  Then it counts another quantity than a
    figure that fits the cell, and the two do not conflict.

    >>> vals = {"requests.new.total": 713, "requests.carried_over.total": 36}
    >>> t = "共受理申请749件。"
    >>> _explained(t, Fact(5, 9, "749件", "COUNT", 749), "requests.new.total", vals, "2021", ())
    True
    """
    table_value = cell_value(ind, values, template)
    if table_value is None or float(fact.value) == 0:
        return False
    word = qualifier(text, fact.start, fact.end, fact.text) if fact.approx else None
    if _fits(fact, ind, word, table_value):
        return False
    return any(_fits(fact, ind, word, total) for _, total in explanations(ind, values, template, named))


# Counter words that count the same kind of thing; figures in different groups
# (六个 accounts vs 980条 posts, 4期 trainings vs 5件 requests) are not one quantity.
UNIT_GROUPS = {u: g for g, units in lexicon()["unit_groups"].items() for u in units}


def same_kind(a: str | None, b: str | None) -> bool:
    """
    >>> same_kind("件", "条"), same_kind("个", "条"), same_kind(None, "期")
    (True, False, True)
    """
    if not a or not b:
        return True
    return UNIT_GROUPS.get(a, a) == UNIT_GROUPS.get(b, b)


# How far back a figure's sentence is read (characters).  Real sentences are far shorter;
# the cap keeps a hostile line of 300,000 characters without a sentence end linear
# (every figure's scope words were read from the line's start: 151 s on one fuzzed input).
MAX_SENTENCE = 400


def sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts (sentences end at 。！？ or a newline);
    looks back only as far as its line, so a long report costs no more per figure.

    >>> t = "发布通知188条，党务信息3条。全年发布信息200条。"
    >>> sentence_start(t, 4), sentence_start(t, 12), sentence_start(t, 22)
    (0, 0, 16)
    """
    start = max(0, offset - MAX_SENTENCE)  # a line with no sentence end must not cost a scan per figure
    for mark in "\n。！？!?":  # each search stops at the latest end found so far
        start = max(start, text.rfind(mark, start, offset) + 1)
    return start


_CLAUSE_END = re.compile(r"[，。；：,;:！？!?\n、（）()]")
_FILLER = frozenset(lexicon()["filler"])


def counted_words(text: str, fact: Fact) -> set[str]:
    """Content characters of the words right before a figure (up to 6 characters, inside
    its clause): the noun that says what it counts.  Further back a clause often names
    the agency or the portal, which two different figures share (通过门户网站公开公文6件,
    依托门户网站专栏发布46条).

    >>> t = "全年共主动公开政府信息39条"
    >>> sorted(counted_words(t, Fact(11, 14, "39条", "COUNT", 39)))
    ['信', '府', '息', '政']
    """
    if fact.label == "ZERO":
        words = fact.text
    else:
        head = text[max(0, fact.start - 6):fact.start]
        words = head[max((m.end() for m in _CLAUSE_END.finditer(head)), default=0):]
    return {c for c in words if _is_cjk(c) and c not in _FILLER}


def _is_cjk(char: str) -> bool:
    return 0x4E00 <= ord(char) <= 0x9FFF


_BREAKDOWN = re.compile("|".join(lexicon()["breakdown"]["patterns"]))


def is_breakdown(text: str, fact: Fact) -> bool:
    """Is the figure a part listed after 其中 (or 在…中) in its sentence?

    >>> t = "受理业务1471项，其中：许可类1291项；其他事项4件。政务服务事项54项。在公开的信息中，公告3条。"
    >>> [is_breakdown(t, Fact(a, b, "", "COUNT", 1)) for a, b in ((26, 28), (35, 38), (49, 51))]
    [True, False, True]
    """
    return _BREAKDOWN.search(text, sentence_start(text, fact.start), fact.start) is not None


@dataclass(frozen=True)
class _MarkerKind:
    name: str
    exclusive: bool
    words: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]


_MARKERS = tuple(
    _MarkerKind(name, spec.get("compare") == "exclusive", tuple(spec.get("words") or ()),
                tuple(re.compile(p) for p in spec.get("patterns") or ()))
    for name, spec in lexicon()["scope_markers"].items())


def scope_marks(text: str, fact: Fact) -> dict[str, frozenset[str]]:
    """What the figure's sentence names before it that narrows what it counts, by kind
    (``scope_markers`` of reconcile.yaml: channel, unit, topic, period, mode).

    >>> t = "全年主动公开信息2088条。新媒体发布各类信息1495条。"
    >>> scope_marks(t, Fact(8, 13, "2088条", "COUNT", 2088))["channel"], scope_marks(t, Fact(25, 30, "1495条", "COUNT", 1495))["channel"]
    (frozenset(), frozenset({'媒体'}))
    """
    before = text[sentence_start(text, fact.start):fact.start]
    return {k.name: frozenset([w for w in k.words if w in before] + [m.group() for p in k.patterns
                                                                     for m in p.finditer(before)])
            for k in _MARKERS}


_INCLUDES = _words("includes")


def includes_more(text: str, fact: Fact) -> bool:
    """Does a bracket right after the figure say it includes another quantity?

    >>> t = "处理申请1717件（包含上年结转76件），收到申请1641件（其中网上申请1156件）"
    >>> includes_more(t, Fact(4, 9, "1717件", "COUNT", 1717)), includes_more(t, Fact(26, 31, "1641件", "COUNT", 1641))
    (True, False)
    """
    after = text[fact.end:fact.end + 8].lstrip()
    return after.startswith(_OPEN_BRACKETS) and any(w in after[1:6] for w in _INCLUDES)


def same_scope(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]) -> bool:
    """Do two figures' scope words allow them to count one quantity?

    >>> t = "主动公开信息860条。督促部门发布信息300条。依申请公开信息3件。公开信息5条。"
    >>> m = [scope_marks(t, Fact(s, s + 1, "", "COUNT", 1)) for s in (6, 17, 27, 34)]
    >>> same_scope(m[0], m[1]), same_scope(m[0], m[2]), same_scope(m[0], m[3])
    (False, False, True)
    """
    for k in _MARKERS:
        x, y = a[k.name], b[k.name]
        if k.exclusive and x and y and not x & y:
            return False
        if not k.exclusive and x != y:
            return False
    return True


def _first_disjoint(ranges: list[tuple[int, Tolerance]], facts: list[Fact], text: str) -> tuple[int, int] | None:
    if max(r.low for _, r in ranges) <= min(r.high for _, r in ranges) + 1e-6:
        return None  # ranges on a line overlap pairwise when they all do (a report that repeats itself)
    idx = [i for i, _ in ranges]  # per figure once, not per pair: long reports repeat figures
    sent = {i: sentence_start(text, facts[i].start) for i in idx}
    words = {i: counted_words(text, facts[i]) for i in idx}
    part = {i: is_breakdown(text, facts[i]) for i in idx}
    marks = {i: scope_marks(text, facts[i]) for i in idx}
    sums = {i: includes_more(text, facts[i]) for i in idx}
    for x in range(len(ranges)):
        for y in range(x + 1, len(ranges)):
            (i, r), (j, s) = ranges[x], ranges[y]
            # one sentence listing several figures (通知188条，党务信息3条) enumerates parts,
            # it does not restate one quantity; units of different kinds count different things
            if sent[i] == sent[j] or not same_kind(facts[i].unit, facts[j].unit):
                continue
            if not is_compared(facts[i].indicator) and len(words[i] & words[j]) < 2:
                continue  # a topic id lumps things: restating one quantity reuses its words
            if part[i] != part[j] or not same_scope(marks[i], marks[j]) or sums[i] != sums[j]:
                continue  # a part, a channel's, a unit's, a topic's or another period's share
            if r.high + 1e-6 < s.low or s.high + 1e-6 < r.low:
                return i, j
    return None


# ---------------------------------------------------------------- table arithmetic
def _table_findings(record: Record) -> list[Finding]:
    cells = record_cells(record)
    template = template_of(record)
    try:
        from nlp.identities import check_identities
    except ImportError:
        return fallback_check_identities(cells, template, record.missing_cells)
    known = set(ids_for_template(template))
    blank = list(dict.fromkeys([*record.missing_cells, *(k for k, c in cells.items() if c.value is None)]))
    # A cell is missing when the record says so (blank, unreadable), not merely absent:
    # a truncated or partial document has no table rows to be blank.
    found = [_bilingual(f) for f in check_identities(cells, template, missing=record.missing_cells)
             if f.type != "missing_cell" or f.indicator in blank]
    reported = {f.indicator for f in found if f.type == "missing_cell"}
    for cid in blank:
        if cid in known and cid not in reported:
            reported.add(cid)
            found.append(_missing(cid))
    return found


def _missing(cid: str) -> Finding:
    return Finding("missing_cell", cid, None, None, "warning", None, [cid],
                   f"表格〔{label_of(cid)}〕为空 — table cell {cid} is blank")


def _bilingual(f: Finding) -> Finding:
    """Add the English half to a finding message written in Chinese only."""
    if f.message and not re.search(r"[A-Za-z]{3}", f.message):
        if f.type == "missing_cell":
            f.message += f" — table cell {f.indicator} is blank; identities using it not checked"
        elif f.type == "identity_violation":
            f.message += f" — table arithmetic does not add up ({f.indicator})"
    return f


def fallback_check_identities(cells: dict[str, Cell], template: str,
                              missing: Iterable[str] = ()) -> list[Finding]:
    """Identity and blank-cell findings straight from the registry (used when
    ``nlp.identities`` is not installed).  Identities touching a blank cell are skipped."""
    out = []
    known = set(ids_for_template(template))
    blank = [c for c in missing if c in known]
    blank += [k for k, c in cells.items() if c.value is None and k in known and k not in blank]
    for cid in blank:
        out.append(_missing(cid))
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if any(cells.get(i) is None or cells[i].value is None for i in ids):
            continue
        lhs = sum(float(cells[i].value) for i in ident.lhs)
        rhs = sum(float(cells[i].value) for i in ident.rhs)
        if abs(lhs - rhs) > 1e-6:
            out.append(Finding(
                "identity_violation", ident.lhs[0], None, _num(lhs), "error", None, list(ids),
                f"{ident.title}（{ident.key}）：{_fmt(lhs)} ≠ {_fmt(rhs)} — "
                f"table identity {ident.name} broken for {ident.key}"))
    return out


# ---------------------------------------------------------------- public API
def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.type, f.indicator, f.fact, tuple(f.cells), f.narrative_value, f.table_value)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def reconcile(record: Record) -> list[Finding]:
    """Every finding for one document (identity, blank-cell and narrative findings)."""
    if record.error is not None:
        return []
    values = table_values(record)
    findings = _table_findings(record)
    findings += _mismatches(record, values)
    findings += _conflicts(record, values)
    findings += unreadable_tables(record)
    return _dedupe(findings)


def unreadable_tables(record: Record) -> list[Finding]:
    """One ``table_unreadable`` warning per table with cells the reader could not read
    (``Record.coverage``), never one ``missing_cell`` per cell: those cells are not blank,
    and the identities that need them are not checked."""
    coverage = getattr(record, "coverage", None)
    if coverage is None:
        return []
    out = []
    for key, table in coverage.tables.items():
        if table.unreadable:
            out.append(Finding(
                "table_unreadable", f"table{key}", None, None, "warning", None, [],
                f"表{dict(zip('234', '二三四')).get(key, key)}有 {table.unreadable} 格未能读取"
                f"（共 {table.template} 格），相关勾稽关系未核对 — "
                f"table {key}: {table.unreadable} of {table.template} cells could not be read; "
                f"identities using them not checked"))
    return out


def _agency_key(agency: str | None) -> str:
    return re.sub(r"\s+", "", agency or "")


def _value(record: Record, indicator: str) -> float | None:
    v = table_values(record).get(indicator)
    return None if v is None else float(v)


def reconcile_years(records: Iterable[Record]) -> dict[str, list[Finding]]:
    """``cross_year_mismatch`` findings for one agency's reports of consecutive years.

    Returns findings keyed by the id of the later year's record (only records that
    have some).  Records without agency or year, or with an error, are ignored.
    """
    by_key: dict[tuple[str, int], Record] = {}
    for rec in records:
        if rec.error is None and rec.agency and rec.year is not None:
            by_key.setdefault((_agency_key(rec.agency), int(rec.year)), rec)
    out: dict[str, list[Finding]] = {}
    for (agency, year), rec in sorted(by_key.items()):
        prev = by_key.get((agency, year - 1))
        if prev is None:
            continue
        for rule in registry().cross_year:
            f = _cross_year(rule, rec, prev)
            if f is not None:
                out.setdefault(rec.id, []).append(f)
    return out


def add_cross_year(records: list[Record]) -> list[Record]:
    """Give each record the cross-year findings of the whole set (replacing any it had)."""
    found = reconcile_years(records)
    for rec in records:
        rec.findings = with_cross_year(rec.findings, found.get(rec.id, []))
    return records


def with_cross_year(findings: list[Finding], cross: list[Finding]) -> list[Finding]:
    """``findings`` with its cross-year findings replaced by ``cross`` (a resumed or
    re-run set must not double them)."""
    return [f for f in findings if f.type != "cross_year_mismatch"] + cross


def _cross_year(rule, rec: Record, prev: Record) -> Finding | None:
    this = _value(rec, rule.this_year)
    last = _value(prev, rule.last_year)
    plus = [_value(rec, i) for i in rule.plus]
    minus = [_value(rec, i) for i in rule.minus]
    if this is None or last is None or None in plus or None in minus:
        return None
    expected = last + sum(plus) - sum(minus)
    if abs(this - expected) < 1e-6:
        return None
    cells = [rule.this_year, *rule.plus, *rule.minus]
    return Finding(
        "cross_year_mismatch", rule.this_year, None, _num(this), "warning", None, cells,
        f"{rule.title}：{rec.year}年〔{label_of(rule.this_year)}〕{_fmt(this)}，按{prev.year}年报告应为 "
        f"{_fmt(expected)} — {rule.this_year} is {_fmt(this)}, last year's report implies {_fmt(expected)}")
