"""Reconcile: where the narrative, the tables and last year's report disagree.

``reconcile(record)`` reads a record's linked facts, its table cells (``record.cells``
when predicted, else the gold ``record.table``) and its template, and returns
findings a reviewer can act on without reading code:

* ``narrative_table_mismatch`` — a narrative figure linked to a table id differs from
  the cell, after the tolerance its qualifier implies (``tolerance_for``).  When the
  figure misses its own cell but equals another cell or a natural sum of cells of
  the same family (e.g. 无法提供 = only 本机关不掌握, 予以公开及部分公开 = （一）+（二）),
  the finding says which cells it matches, at a lower severity.
* ``zero_claim_contradiction`` — a ZERO claim (未收到申请) against a non-zero cell.
* ``identity_violation`` / ``missing_cell`` — the tables' own arithmetic, from
  ``nlp.identities.check_identities`` (a local fallback is used until it exists).
* ``narrative_conflict`` — two narrative figures for one table id that cannot both be true.

``reconcile_years(records)`` adds ``cross_year_mismatch`` for one agency's reports of
consecutive years (rules in ``registry().cross_year``).

Severity (documented in the README, "Findings and severity"):
error — the document contradicts itself on an exact figure (exact mismatch, zero claim
vs non-zero cell, broken identity); warning — probably wrong but with an innocent
reading (approximate figure outside its tolerance, a figure that equals other cells,
two narrative figures that disagree, blank cells, cross-year breaks).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from nlp.indicators import INDICATORS, identities_for, ids_for_template, is_table_id, registry
from nlp.types import Cell, Fact, Finding, Record

# Relative tolerance of 约/左右 ("stated tolerance"), and how close 近 must be.
APPROX_REL = 0.10
NEAR_REL = 0.10
# Columns printed in 万元 while narrative money facts are in 元.
WAN_YUAN_IDS = frozenset({"active.fees.amount", "active.procurement.amount"})

LOWER_BOUND_WORDS = ("不少于", "以上", "超过", "突破", "多于", "逾", "超")
ROUNDED_UP_WORDS = ("余", "多")
NEAR_WORDS = ("将近", "接近", "近")
ABOUT_WORDS = ("大约", "约为", "大概", "左右", "约")


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
    for word in ("以上", "左右"):
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
    return Tolerance(value - slack, value + slack, word or "约")


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


def label_of(indicator: str | None) -> str:
    """Human label of an id, as printed in the report's tables.

    >>> label_of("active.normative.repealed")
    '行政规范性文件·本年废止件数'
    >>> label_of("narrative.fees.processing")
    'narrative.fees.processing'
    """
    ind = INDICATORS.get(indicator or "")
    if ind is None:
        return indicator or "?"
    row = re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+\.", "", ind.row)
    return f"{row}·{ind.column}"


# ---------------------------------------------------------------- partial matches
_T3_GROUPS = ("denied", "unavailable", "rejected", "other")
_T3_ORG_COLS = ("commercial", "research", "nonprofit", "legal", "other_org")


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
        pairs = [("granted", "partial"), ("new", "carried_over"), ("total", "carried_forward")]
        for a, b in pairs:
            ids = (f"requests.{a}.{col}", f"requests.{b}.{col}")
            if all(i in present for i in ids):
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


# What a zero claim must name to deny a table figure (未收到申请 → requests.*;
# 无行政复议 → review.*).  "无空白栏目" linked to requests.new.total denies nothing there.
def names_its_object(indicator: str, claim: str) -> bool:
    """Does a zero claim name what the indicator counts (``objects`` of indicators.yaml)?

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
            return (any(w in claim for w in spec.get("words", ()))
                    and not any(w in claim for w in spec.get("zero_exclude", ())))
    return True


# Units no table cell is counted in: a figure in these was linked by mistake
# (培训11期, 7人次) and is not compared with a count cell.
NOT_A_COUNT_UNIT = frozenset({"期", "场", "场次", "期次", "批次", "人", "人次", "名", "位", "%",
                              "家", "户", "元", "万元", "亿元"})


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
        return fact.label == "MONEY" or fact.unit in ("元", "万元", "亿元")
    return fact.unit not in NOT_A_COUNT_UNIT and fact.label != "MONEY"


def _mismatches(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    out: list[Finding] = []
    for i, fact in enumerate(record.facts):
        ind = fact.indicator
        if not is_table_id(ind) or not is_figure(fact.value) or fact.label == "PERCENT":
            continue
        if not unit_fits(ind, fact):
            continue
        table_value = values.get(ind)
        if table_value is None:
            continue  # blank or unread cell: reported as missing_cell, not guessed
        if fact.label == "ZERO":
            if not names_its_object(ind, fact.text):
                continue
            if float(table_value) != 0:
                out.append(Finding(
                    "zero_claim_contradiction", ind, 0, _num(table_value), "error", i, [ind],
                    f"正文称“{fact.text}”，但表格〔{label_of(ind)}〕为 {_fmt(table_value)} — "
                    f"zero claim contradicts table value {_fmt(table_value)} ({ind})"))
            continue
        word = qualifier(record.text, fact.start, fact.end, fact.text) if fact.approx else None
        if _fits(fact, ind, word, table_value):
            continue
        out.append(_mismatch_finding(i, fact, ind, word, table_value, values))
    return out


def _mismatch_finding(i: int, fact: Fact, ind: str, word: str | None, table_value: float,
                      values: dict[str, float | int | None]) -> Finding:
    shown = f"“{fact.text}”" + (f"（{word}）" if word and word not in fact.text else "")
    base = (f"正文{shown}与表格〔{label_of(ind)}〕{_fmt(table_value)} 不符 — "
            f"narrative {_fmt(fact.value)}{' (approx. ' + word + ')' if word else ''} "
            f"≠ table {_fmt(table_value)} ({ind})")
    if float(fact.value) != 0:
        for ids, total in alternatives(ind, values):
            if _fits(fact, ind, word, total):
                names = " + ".join(label_of(x) for x in ids)
                return Finding(
                    "narrative_table_mismatch", ind, _num(fact.value), _num(table_value), "warning", i,
                    [ind, *(x for x in ids if x != ind)],
                    f"{base}; 但等于〔{names}〕{_fmt(total)}，可能只说了部分 — "
                    f"matches {' + '.join(ids)} instead (partial figure?)")
    severity = "warning" if word else "error"
    return Finding("narrative_table_mismatch", ind, _num(fact.value), _num(table_value), severity, i, [ind], base)


def _conflicts(record: Record, values: dict[str, float | int | None]) -> list[Finding]:
    """Two narrative figures for one indicator (a table id or a ``narrative.*`` topic)
    whose tolerance ranges do not overlap."""
    by_ind: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(record.facts):
        if fact.indicator and is_figure(fact.value) and fact.label != "PERCENT":
            if is_table_id(fact.indicator) and not unit_fits(fact.indicator, fact):
                continue
            if fact.label == "ZERO" and not names_its_object(fact.indicator, fact.text):
                continue
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
        table_value = values.get(ind)
        out.append(Finding(
            "narrative_conflict", ind, _num(b.value), _num(table_value), "warning", pair[1], [ind],
            f"正文对〔{label_of(ind)}〕前后说法不一：“{a.text}”与“{b.text}” — "
            f"narrative states {_fmt(a.value)} and {_fmt(b.value)} for {ind}"))
    return out


# Counter words that count the same kind of thing; figures in different groups
# (六个 accounts vs 980条 posts, 4期 trainings vs 5件 requests) are not one quantity.
UNIT_GROUPS = {u: g for g, units in {
    "items": "件条篇份项则", "things": "个家户所部位名", "times": ("次", "场", "期", "场次", "期次", "批次"),
    "people": ("人", "人次"), "money": ("元", "万元", "亿元"), "percent": ("%",)}.items() for u in units}


def same_kind(a: str | None, b: str | None) -> bool:
    """
    >>> same_kind("件", "条"), same_kind("个", "条"), same_kind(None, "期")
    (True, False, True)
    """
    if not a or not b:
        return True
    return UNIT_GROUPS.get(a, a) == UNIT_GROUPS.get(b, b)


def sentence_start(text: str, offset: int) -> int:
    """Where the sentence holding ``offset`` starts (sentences end at 。！？ or a newline);
    looks back only as far as its line, so a long report costs no more per figure.

    >>> t = "发布通知188条，党务信息3条。全年发布信息200条。"
    >>> sentence_start(t, 4), sentence_start(t, 12), sentence_start(t, 22)
    (0, 0, 16)
    """
    start = 0
    for mark in "\n。！？!?":  # each search stops at the latest end found so far
        start = max(start, text.rfind(mark, start, offset) + 1)
    return start


_CLAUSE_END = re.compile(r"[，。；：,;:！？!?\n、（）()]")
# Characters that say nothing about what is counted — 公开 included: every clause of
# this genre discloses something (主动公开111份文件 and 网站公开公文6件 are not one figure).
_FILLER = set("共全年本度累计发布了的各类等及和为在中有其达数量总约近余多逾超过以上左右今我局委办区市县镇乡公开")


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
    return {c for c in words if "\u4e00" <= c <= "\u9fff" and c not in _FILLER}


# 其中…, or 在主动公开的信息中，…: the figures after it are parts of one given before
# (在政务公开工作中，… is not: a part is among things, not in work).
_BREAKDOWN = re.compile(r"其中|在[^，。；,;]{0,12}(?:信息|内容|文件|事项|数据)中[，,:：]")
# Channels other than the portal: a topic id lumps them, yet each counts its own posts
# (政务新媒体发布信息1495条 is not the year's 主动公开信息2088条 restated, nor 抖音 公众号).
_CHANNEL = re.compile(r"媒体|微信|微博|公众号|头条|抖音|快手|视频号|客户端|APP|App|报刊|报纸|电视|广播"
                      r"|大屏|显示屏|电子屏|宣传栏|公开栏|公示栏|宣传载体|短信|热线")


def is_breakdown(text: str, fact: Fact) -> bool:
    """Is the figure a part listed after 其中 (or 在…中) in its sentence?

    >>> t = "受理业务1471项，其中：许可类1291项；其他事项4件。政务服务事项54项。在公开的信息中，公告3条。"
    >>> [is_breakdown(t, Fact(a, b, "", "COUNT", 1)) for a, b in ((26, 28), (35, 38), (49, 51))]
    [True, False, True]
    """
    return _BREAKDOWN.search(text, sentence_start(text, fact.start), fact.start) is not None


def channels_named(text: str, fact: Fact) -> frozenset[str]:
    """The channels other than the portal that the figure's sentence names before it.

    >>> t = "全年主动公开信息2088条。新媒体发布各类信息1495条。"
    >>> channels_named(t, Fact(8, 13, "2088条", "COUNT", 2088)), channels_named(t, Fact(25, 30, "1495条", "COUNT", 1495))
    (frozenset(), frozenset({'媒体'}))
    """
    return frozenset(_CHANNEL.findall(text, sentence_start(text, fact.start), fact.start))


def _first_disjoint(ranges: list[tuple[int, Tolerance]], facts: list[Fact], text: str) -> tuple[int, int] | None:
    if max(r.low for _, r in ranges) <= min(r.high for _, r in ranges) + 1e-6:
        return None  # ranges on a line overlap pairwise when they all do (a report that repeats itself)
    idx = [i for i, _ in ranges]  # per figure once, not per pair: long reports repeat figures
    sent = {i: sentence_start(text, facts[i].start) for i in idx}
    words = {i: counted_words(text, facts[i]) for i in idx}
    part = {i: is_breakdown(text, facts[i]) for i in idx}
    channels = {i: channels_named(text, facts[i]) for i in idx}
    for x in range(len(ranges)):
        for y in range(x + 1, len(ranges)):
            (i, r), (j, s) = ranges[x], ranges[y]
            # one sentence listing several figures (通知188条，党务信息3条) enumerates parts,
            # it does not restate one quantity; units of different kinds count different things
            if sent[i] == sent[j] or not same_kind(facts[i].unit, facts[j].unit):
                continue
            if not is_table_id(facts[i].indicator) and (len(words[i] & words[j]) < 2 or channels[i] != channels[j]):
                continue  # a topic id lumps channels: restating one quantity reuses its words and channel
            if part[i] != part[j]:
                continue  # a part listed after 其中 does not restate a figure given elsewhere
            if r.high + 1e-6 < s.low or s.high + 1e-6 < r.low:
                return i, j
    return None


# ---------------------------------------------------------------- table arithmetic
def _table_findings(record: Record) -> list[Finding]:
    cells = record_cells(record)
    template = record.template if record.template in ("2021", "2019") else "2021"
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
    return _dedupe(findings)


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
