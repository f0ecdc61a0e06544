"""Synthetic 政府信息公开工作年度报告 with complete gold annotations.

``generate(n, seed)`` returns ``n`` :class:`~nlp.types.Record` objects: text, every line's
section and heading flag, every narrative fact with exact offsets, the table cells the
text states, blank cells, and the findings a careful reader would flag (labelled,
injected mismatches).  Deterministic per seed: every document draws from its own
``random.Random`` derived from ``(seed, index)``; no global state.

The sentence inventory lives in ``nlp/data/synth_phrases.yaml`` and the narrative topic
ids in ``nlp/data/narrative_topics.yaml``; this module plans a document (agency, year,
template, table values, style), writes it piece by piece while recording spans, and
post-processes it (truncation like scraped pages, punctuation style).

Conventions the records follow (see ``notes`` of each record for what was used):
- web furniture before the title is ``title`` (not heading), after it ``preamble``;
- sub-headings of 总体情况 are ``overview`` headings, also when the first sentence runs
  on in the same line; table lines belong to their table's section;
- 余/多 and 左右/以上 after the number are inside a span, 近/约/超过 before it outside;
- a zero claim denying several things yields one ZERO fact per indicator, same span.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from nlp.indicators import composite_parts, identities_for, ids_for_template, is_composite
from nlp.types import Fact, Finding, Line, Record, loads_yaml

__all__ = ["generate", "generate_one", "phrases", "narrative_topics", "ERROR_TYPES",
           "render_blocks", "write_corpus"]

ERROR_TYPES = ("narrative_table_mismatch", "zero_claim_contradiction", "identity_violation",
               "missing_cell", "narrative_conflict")
APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")
CN_NUM = "零一二三四五六七八九"
SECTION_NO = ["一", "二", "三", "四", "五", "六"]


@lru_cache(maxsize=1)
def phrases() -> dict:
    """The sentence inventory (``nlp/data/synth_phrases.yaml``)."""
    text = resources.files("nlp").joinpath("data/synth_phrases.yaml").read_text(encoding="utf-8")
    return loads_yaml(text)


@lru_cache(maxsize=1)
def narrative_topics() -> dict[str, dict]:
    """``narrative.*`` id → {desc, range, units, label} (``nlp/data/narrative_topics.yaml``)."""
    text = resources.files("nlp").joinpath("data/narrative_topics.yaml").read_text(encoding="utf-8")
    return loads_yaml(text)["topics"]


# ------------------------------------------------------------------ numbers as written
def cn_int(n: int) -> str:
    """Chinese numeral for 0 ≤ n < 100000, as reports write counts.

    >>> [cn_int(x) for x in (0, 2, 10, 12, 20, 105, 3200, 1010)]
    ['零', '二', '十', '十二', '二十', '一百零五', '三千二百', '一千零一十']
    """
    if n == 0:
        return "零"
    if n < 0 or n >= 100000:
        raise ValueError(n)
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")]
    out, zero_pending, started = [], False, False
    for size, name in units:
        d, n = divmod(n, size)
        if d:
            if zero_pending:
                out.append("零")
            out.append(CN_NUM[d] + name)
            zero_pending, started = False, True
        elif started and n:
            zero_pending = True
    s = "".join(out)
    return s[1:] if s.startswith("一十") else s


def trim_decimal(x: float, places: int) -> str:
    """
    >>> trim_decimal(3.4690, 4), trim_decimal(12.0, 2), trim_decimal(0.5, 2)
    ('3.469', '12', '0.5')
    """
    s = f"{x:.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass
class Written:
    """A number as written: text outside before the span, span text, value, approx."""

    before: str
    span: str
    value: float | int
    approx: bool


def write_count(value: int, unit: str, rng: random.Random, *, approx_ok: bool, style: dict) -> Written:
    """Write a count with its unit; ``value`` of the result is what the span states."""
    sp = " " if style.get("spaced_numbers") else ""
    r = rng.random()
    if approx_ok and value >= 20 and r < 0.35:
        digits = len(str(value))
        base = int(round(value, -(digits - 2))) if digits > 2 else value
        base = max(base, 10)
        kind = rng.choice(["余", "余", "多", "近", "约", "超过", "左右", "以上", "逾", "近余"])
        if base >= 10000 and rng.random() < 0.6:
            num = trim_decimal(base / 10000, 2) + "万"
            base = int(round(float(num[:-1]) * 10000))
        else:
            num = str(base)
        if kind in ("余", "多"):
            return Written("", f"{num}{kind}{unit}", base, True)
        if kind == "近余":  # qualifiers on both sides: 近150余人
            return Written("近", f"{num}余{unit}", base, True)
        if kind in ("左右", "以上"):
            return Written("", f"{num}{unit}{kind}", base, True)
        return Written(kind, f"{num}{unit}", base, True)
    if value >= 10000 and r < 0.55:
        num = trim_decimal(value / 10000, 4)
        if float(num) * 10000 == value:
            return Written("", f"{num}万{unit}", value, False)
        num = trim_decimal(value / 10000, 2)
        shown = int(round(float(num) * 10000))
        if approx_ok:
            return Written("", f"{num}万余{unit}", shown, True)
    cn_rate = style.get("cn_rate", 0.1)
    if unit in ("名", "位", "人", "个", "家", "种") and value <= 10:
        cn_rate = max(cn_rate, 0.45)  # 一名专职人员, 两个账号
    if 0 < value < 100 and rng.random() < cn_rate:
        num = "两" if value == 2 and rng.random() < 0.7 else cn_int(value)
        return Written("", f"{num}{unit}", value, False)
    num = str(value)
    if value >= 1000 and rng.random() < style.get("comma_rate", 0.0):
        num = f"{value:,}"
    return Written(sp, f"{num}{sp}{unit}", value, False)


# ------------------------------------------------------------------ text builder
@dataclass
class _LineLabel:
    section: str
    heading: bool


class Builder:
    """Concatenates pieces, labels every line, records fact spans as they are written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.labels: list[_LineLabel] = []
        self.facts: list[Fact] = []
        self.cells: dict[str, tuple[int, int]] = {}  # table id → span of its value
        self.blank_cells: dict[str, int] = {}  # table id → offset where the blank sits
        self.section = "title"

    def begin(self, section: str, heading: bool = False) -> None:
        """Start a new line (the first call starts line 0)."""
        if self.labels:
            self._raw("\n")
        self.labels.append(_LineLabel(section, heading))
        self.section = section

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.begin(self.section, False)

    def put(self, s: str) -> None:
        """Plain text; a newline inside continues the current section (not a heading)."""
        pieces = s.split("\n")
        self._raw(pieces[0])
        for p in pieces[1:]:
            self.begin(self.section, False)
            self._raw(p)

    def _raw(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def fact(self, span: str, label: str, value: float | int, unit: str, approx: bool,
             indicators: list[str | None]) -> int:
        start = self.pos
        self._raw(span)
        for ind in indicators:
            self.facts.append(Fact(start, self.pos, span, label, value, unit, approx, ind))
        return start

    def cell(self, ind: str | None, raw: str) -> None:
        if ind is not None:
            if raw.strip():
                self.cells[ind] = (self.pos, self.pos + len(raw))
            else:
                self.blank_cells[ind] = self.pos
        self._raw(raw)

    def text(self) -> str:
        return "".join(self.parts)


# ------------------------------------------------------------------ the plan of a document
@dataclass
class Plan:
    rng: random.Random
    year: int
    template: str
    level: str
    agency: str
    short: str
    we: list[str]
    kind: str
    place: str
    place2: str
    brand: str
    site: str
    table: dict[str, float | int]
    narr: dict[str, float | int] = field(default_factory=dict)
    style: dict[str, Any] = field(default_factory=dict)
    narr_override: dict[str, float | int] = field(default_factory=dict)
    force_zero: set[str] = field(default_factory=set)
    conflict: str | None = None
    families: list[str] = field(default_factory=list)


def _logint(rng: random.Random, lo: int, hi: int) -> int:
    lo = max(lo, 1)
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


def _place(rng: random.Random, level: str) -> tuple[str, str, str]:
    """(prefix used in the agency name, bare place name for brands, province)."""
    p = phrases()["places"]
    prov = rng.choice(p["provinces"])
    a, b = rng.choice(p["city_a"]), rng.choice(p["city_b"])
    city = a + b
    if level == "province":
        name = prov
        bare = prov.replace("省", "").replace("壮族自治区", "").replace("回族自治区", "").replace("自治区", "")
        return name, bare[:2], prov
    if level == "city":
        return city + "市", city, prov
    if level == "county":
        suffix = rng.choice(p["county_suffix"])
        if rng.random() < 0.35:
            county = rng.choice(p["district_words"]) + "区"
            return (city + "市" + county if rng.random() < 0.5 else county), county[:-1], prov
        c2 = rng.choice(p["city_a"]) + rng.choice(p["city_b"])
        return c2 + suffix, c2, prov
    # township
    c2 = rng.choice(p["city_a"]) + rng.choice(p["city_b"])
    return c2, c2, prov


def _agency(rng: random.Random) -> dict[str, Any]:
    p = phrases()
    level = rng.choices(["national", "province", "city", "county"], [0.04, 0.14, 0.38, 0.44])[0]
    if level == "national":
        name = rng.choice(p["national_agencies"])
        short = name.replace("国家", "国家").replace("委员会", "委")
        return dict(level=level, agency=name, short=short, we=["本机关", "我部", short],
                    kind="national", place="全国", place2="中国")
    spec = rng.choice(p["agencies"])
    if spec["kind"] == "township":
        prefix, bare, _ = _place(rng, "county")
        town = rng.choice(p["places"]["city_a"]) + rng.choice(p["places"]["city_b"])
        if spec["name"] == "乡镇人民政府":
            suf = rng.choice(["镇", "乡"])
            name = f"{prefix}{town}{suf}人民政府"
            short = f"{town}{suf}政府"
            we = ["我" + suf, "本" + suf, short]
        else:
            name = f"{prefix}{town}街道办事处"
            short = f"{town}街道"
            we = ["我街道", "本街道", "街道办事处"]
        return dict(level="county", agency=name, short=short, we=we, kind="township",
                    place=prefix, place2=town)
    if level == "province" and spec["name"] in ("乡镇人民政府", "街道办事处"):
        level = "city"
    prefix, bare, _ = _place(rng, level)
    name = prefix + spec["name"]
    lvl = {"province": "省", "city": "市", "county": prefix[-1] if prefix[-1] in "县区市旗" else "县"}[level]
    if level == "province" and "自治区" in prefix:
        lvl = "自治区"
    short = lvl + rng.choice(spec["alt"])
    if spec["name"] == "人民政府":
        short = prefix + "政府"
        we = ["本机关", f"{lvl}政府", f"我{lvl}"]
        return dict(level=level, agency=name, short=short, we=we, kind=spec["kind"], place=prefix, place2=bare)
    return dict(level=level, agency=name, short=short, we=list(spec["we"]), kind=spec["kind"],
                place=prefix, place2=bare)


# ------------------------------------------------------------------ tables
def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into ``len(weights)`` non-negative integers, roughly by weight."""
    out = [0] * len(weights)
    for _ in range(total):
        out[rng.choices(range(len(weights)), weights)[0]] += 1
    return out


def _split_fast(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    if total <= 200:
        return _split(rng, total, weights)
    s = sum(weights)
    out = [int(total * w / s * rng.uniform(0.8, 1.2)) for w in weights]
    out[0] += total - sum(out)
    if out[0] < 0:
        out = [0] * len(weights)
        out[0] = total
    return out


_BIG_LICENSING = {"health": 1.0, "market": 1.6, "land": 0.9, "housing": 1.0, "transport": 1.2,
                  "police": 1.3, "education": 0.5, "hr": 0.8, "env": 0.6, "agri": 0.8,
                  "emergency": 0.5, "culture": 0.7, "water": 0.6, "national": 1.2}


def _table2(rng: random.Random, template: str, kind: str) -> dict[str, float | int]:
    t: dict[str, float | int] = {}
    big = _BIG_LICENSING.get(kind, 0.3)

    def decisions(p_zero: float, hi: float) -> int:
        if rng.random() < p_zero:
            return 0
        return _logint(rng, 1, max(2, int(hi)))

    if template == "2021":
        t["active.rules.issued"] = 0 if rng.random() < 0.9 else rng.randint(1, 4)
        t["active.rules.repealed"] = 0 if rng.random() < 0.95 else rng.randint(1, 3)
        t["active.rules.in_force"] = 0 if rng.random() < 0.8 else rng.randint(t["active.rules.issued"], 40)
        iss = 0 if rng.random() < 0.5 else _logint(rng, 1, 30)
        rep = 0 if rng.random() < 0.7 else _logint(rng, 1, 25)
        t["active.normative.issued"] = iss
        t["active.normative.repealed"] = rep
        t["active.normative.in_force"] = 0 if (iss == 0 and rng.random() < 0.5) else iss + _logint(rng, 1, 200)
        t["active.licensing.decisions"] = decisions(0.3 / big, 30000 * big)
        t["active.penalty.decisions"] = decisions(0.4, 3000 * big)
        t["active.coercion.decisions"] = decisions(0.8, 300)
        fees = 0 if rng.random() < 0.8 else round(math.exp(rng.uniform(math.log(0.2), math.log(5000))), rng.choice([0, 1, 2, 2]))
        t["active.fees.amount"] = int(fees) if float(fees).is_integer() else fees
    else:
        for row in ("rules", "normative"):
            made = 0 if rng.random() < (0.9 if row == "rules" else 0.45) else _logint(rng, 1, 30)
            pub = made if rng.random() < 0.8 else rng.randint(0, made)
            t[f"active.{row}.made"] = made
            t[f"active.{row}.published"] = pub
            t[f"active.{row}.total_published"] = pub if rng.random() < 0.5 else pub + _logint(rng, 1, 150)
        for row, pz, hi in (("licensing", 0.3, 20000 * big), ("other_services", 0.7, 2000),
                            ("penalty", 0.4, 3000 * big), ("coercion", 0.8, 200)):
            prev = 0 if rng.random() < 0.4 else _logint(rng, 1, 300)
            t[f"active.{row}.prev_items"] = prev
            t[f"active.{row}.change"] = 0 if rng.random() < 0.7 else rng.randint(-min(prev, 20), 20)
            t[f"active.{row}.decisions"] = decisions(pz, hi)
        prev = 0 if rng.random() < 0.7 else rng.randint(1, 30)
        t["active.fees.prev_items"] = prev
        t["active.fees.change"] = 0 if rng.random() < 0.85 else rng.randint(-min(prev, 5), 3)
        cnt = 0 if rng.random() < 0.5 else _logint(rng, 1, 60)
        t["active.procurement.count"] = cnt
        amt = 0 if cnt == 0 else round(math.exp(rng.uniform(math.log(1), math.log(20000))), rng.choice([0, 2]))
        t["active.procurement.amount"] = int(amt) if float(amt).is_integer() else amt
    return t


def _outcome_rows(template: str) -> list[str]:
    return [i.split(".", 1)[1].rsplit(".", 1)[0] for i in ids_for_template(template)
            if i.startswith("requests.") and i.endswith(".total")
            and i.split(".", 1)[1].rsplit(".", 1)[0] not in ("new", "carried_over", "total", "carried_forward")]


_OUTCOME_WEIGHT = {"granted": 10, "partial": 3, "denied.state_secret": 0.1, "denied.law_prohibited": 0.2,
                   "denied.three_safety": 0.2, "denied.third_party": 0.6, "denied.internal": 0.5,
                   "denied.process": 0.7, "denied.enforcement_file": 0.3, "denied.query": 0.3,
                   "unavailable.not_held": 5, "unavailable.needs_creation": 1, "unavailable.unclear": 0.8,
                   "rejected.petition": 0.8, "rejected.duplicate": 0.6, "rejected.publication": 0.1,
                   "rejected.excessive": 0.2, "rejected.confirm": 0.2, "other.no_correction": 0.6,
                   "other.no_fee": 0.05, "other.other": 1.0, "other": 1.2}


def _table3(rng: random.Random, template: str, scale: float) -> dict[str, int]:
    r = rng.random()
    if r < 0.42:
        new_total = 0
    elif r < 0.8:
        new_total = rng.randint(1, 10)
    elif r < 0.95:
        new_total = _logint(rng, 11, 150)
    else:
        new_total = _logint(rng, 150, int(3000 * scale) + 200)
    weights = [rng.uniform(4, 10), rng.uniform(0, 3), rng.uniform(0, 0.3), rng.uniform(0, 0.3),
               rng.uniform(0, 1), rng.uniform(0, 0.6)]
    new = _split_fast(rng, new_total, weights)
    carried = [0] * 6 if rng.random() < 0.75 else _split(rng, rng.randint(1, max(1, new_total // 5 + 2)), weights)
    pool = [a + b for a, b in zip(new, carried)]
    forward = [0] * 6
    if rng.random() < 0.3:
        forward = [rng.randint(0, max(0, p // 4 + (1 if p else 0))) if p else 0 for p in pool]
        forward = [min(f, p) for f, p in zip(forward, pool)]
    done = [p - f for p, f in zip(pool, forward)]
    rows = _outcome_rows(template)
    ow = [_OUTCOME_WEIGHT[x] * rng.uniform(0.3, 1.7) for x in rows]
    t: dict[str, int] = {}
    per_row = {row: [0] * 6 for row in rows}
    for c in range(6):
        parts = _split_fast(rng, done[c], ow)
        for row, v in zip(rows, parts):
            per_row[row][c] = v
    for name, vals in (("new", new), ("carried_over", carried), ("total", done), ("carried_forward", forward), *per_row.items()):
        for c, col in enumerate(APPLICANTS):
            t[f"requests.{name}.{col}"] = vals[c]
        t[f"requests.{name}.total"] = sum(vals)
    return t


def _table4(rng: random.Random) -> dict[str, int]:
    t: dict[str, int] = {}
    for g, p in (("review", 0.15), ("litigation.direct", 0.08), ("litigation.after_review", 0.04)):
        total = 0 if rng.random() > p else _logint(rng, 1, 12)
        parts = _split(rng, total, [5, 1, 1.5, 1])
        for o, v in zip(("upheld", "corrected", "other", "pending"), parts):
            t[f"{g}.{o}"] = v
        t[f"{g}.total"] = total
    return t


def make_table(rng: random.Random, template: str, kind: str) -> dict[str, float | int]:
    scale = 1.0 if kind in ("land", "national", "police", "housing", "government") else 0.4
    t = {**_table2(rng, template, kind), **_table3(rng, template, scale), **_table4(rng)}
    assert set(t) == set(ids_for_template(template)), set(ids_for_template(template)) ^ set(t)
    return t


def broken_identities(table: dict[str, float | int], template: str) -> list[Finding]:
    """identity_violation findings for every identity the (complete) cells break."""
    out = []
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if not all(i in table for i in ids):
            continue
        lhs, rhs = sum(table[i] for i in ident.lhs), sum(table[i] for i in ident.rhs)
        if abs(lhs - rhs) > 1e-6:
            out.append(Finding("identity_violation", ident.lhs[0], None, lhs, "error", None,
                               list(ids), f"{ident.name} ({ident.key}): {lhs:g} != {rhs:g}"))
    return out


# ------------------------------------------------------------------ table layouts
Cell_ = tuple[str, "str | None"]  # (text, table id or None)


def _v(ids: list[str]) -> list[Cell_]:
    return [("", i) for i in ids]


def table2_blocks(template: str) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """(article row, header cells, [(row label, cell ids)]) per block of table 2."""
    if template == "2021":
        cols = ["issued", "repealed", "in_force"]
        return [
            ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             [("规章", [f"active.rules.{c}" for c in cols]),
              ("行政规范性文件", [f"active.normative.{c}" for c in cols])]),
            ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("行政许可", ["active.licensing.decisions"])]),
            ("第二十条第（六）项", ["信息内容", "本年处理决定数量"],
             [("行政处罚", ["active.penalty.decisions"]), ("行政强制", ["active.coercion.decisions"])]),
            ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", ["active.fees.amount"])]),
        ]
    cols = ["made", "published", "total_published"]
    three = ["prev_items", "change", "decisions"]
    return [
        ("第二十条第（一）项", ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", [f"active.rules.{c}" for c in cols]), ("规范性文件", [f"active.normative.{c}" for c in cols])]),
        ("第二十条第（五）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", [f"active.licensing.{c}" for c in three]),
          ("其他对外管理服务事项", [f"active.other_services.{c}" for c in three])]),
        ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", [f"active.penalty.{c}" for c in three]), ("行政强制", [f"active.coercion.{c}" for c in three])]),
        ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"],
         [("行政事业性收费", ["active.fees.prev_items", "active.fees.change"])]),
        ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额（单位：万元）"],
         [("政府集中采购", ["active.procurement.count", "active.procurement.amount"])]),
    ]


_T3_LABELS = {
    "granted": ("三、本年度办理结果", "（一）予以公开", None),
    "partial": (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    "denied.state_secret": (None, "（三）不予公开", "1.属于国家秘密"),
    "denied.law_prohibited": (None, None, "2.其他法律行政法规禁止公开"),
    "denied.three_safety": (None, None, "3.危及“三安全一稳定”"),
    "denied.third_party": (None, None, "4.保护第三方合法权益"),
    "denied.internal": (None, None, "5.属于三类内部事务信息"),
    "denied.process": (None, None, "6.属于四类过程性信息"),
    "denied.enforcement_file": (None, None, "7.属于行政执法案卷"),
    "denied.query": (None, None, "8.属于行政查询事项"),
    "unavailable.not_held": (None, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unavailable.needs_creation": (None, None, "2.没有现成信息需要另行制作"),
    "unavailable.unclear": (None, None, "3.补正后申请内容仍不明确"),
    "rejected.petition": (None, "（五）不予处理", "1.信访举报投诉类申请"),
    "rejected.duplicate": (None, None, "2.重复申请"),
    "rejected.publication": (None, None, "3.要求提供公开出版物"),
    "rejected.excessive": (None, None, "4.无正当理由大量反复申请"),
    "rejected.confirm": (None, None, "5.要求行政机关确认或重新出具已获取信息"),
    "other.no_correction": (None, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other.no_fee": (None, None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other.other": (None, None, "3.其他"),
    "other": (None, "（六）其他处理", None),
    "total": (None, "（七）总计", None),
}
_T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_T4_OUT = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
_T4_IDS = [f"{g}.{o}" for g in ("review", "litigation.direct", "litigation.after_review")
           for o in ("upheld", "corrected", "other", "pending", "total")]


def table3_rows(template: str) -> list[tuple[list[str], str]]:
    """[(label cells (1–3, '' for merged), row id)] of table 3."""
    rows: list[tuple[list[str], str]] = [(["一、本年新收政府信息公开申请数量"], "new"),
                                         (["二、上年结转政府信息公开申请数量"], "carried_over")]
    for row in _outcome_rows(template) + ["total"]:
        a, b, c = _T3_LABELS[row]
        rows.append(([a or "", b or "", c] if c else [a or "", b or ""], row))
    rows.append((["四、结转下年度继续办理"], "carried_forward"))
    return rows


BREAKABLE = {"商业企业", "科研机构", "法律服务机构", "社会公益组织", "结果维持", "结果纠正", "其他结果",
             "尚未审结", "本年新制作数量", "本年新公开数量", "本年处理决定数量", "对外公开总数量",
             "申请人情况", "上一年项目数量", "采购项目数量"}


def _break(label: str, rng: random.Random, rate: float) -> str:
    """Break a header label over two lines as PDF/Word copies do (商业\\n企业)."""
    if rate and label in BREAKABLE and rng.random() < rate:
        k = len(label) // 2
        return label[:k] + "\n" + label[k:]
    return label


class TableWriter:
    """Writes the three tables in one layout: tabs, one cell per line, pipes, plain lines."""

    def __init__(self, b: Builder, plan: Plan, layout: str, blanks: set[str]):
        self.b, self.plan, self.layout, self.blanks = b, plan, layout, blanks
        self.rng = plan.rng
        st = plan.style
        self.space_rate = st.get("cell_space_rate", 0.0)
        self.break_rate = st.get("label_break_rate", 0.0)
        self.spaced_labels = st.get("spaced_header", False)

    def raw_value(self, ind: str) -> str:
        if ind in self.blanks:
            return ""
        v = self.plan.table[ind]
        s = trim_decimal(v, 2) if isinstance(v, float) else str(v)
        if self.rng.random() < self.space_rate:
            s = rng_choice(self.rng, [" " + s, s + " "])
        return s

    # one row of cells; cells are (text, id) with id → value cell
    def row(self, cells: list[Cell_], section: str) -> None:
        b, lay = self.b, self.layout
        if lay == "tabs" or lay == "pipes":
            sep = "\t" if lay == "tabs" else rng_choice(self.rng, [" | ", "|"]) if not hasattr(self, "_sep") else self._sep
            self._sep = sep
            b.begin(section)
            # a blank first cell without an edge pipe would read as an edge: use edges then
            edges = lay == "pipes" and (self.plan.style.get("pipe_edges") or
                                        (cells[0][1] in self.blanks and cells[0][1] is not None))
            if edges:
                b.put("| ")
            for k, (text, ind) in enumerate(cells):
                if k:
                    b.put(sep)
                if ind is None:
                    b.put(text)
                else:
                    b.cell(ind, self.raw_value(ind))
            if edges:
                b.put(" |")
            return
        # one cell per line ("cells": tab-prefixed, blank line after a row; "plain": no tab,
        # blank line after every cell, blank cells dropped)
        while cells and lay == "cells" and cells[-1] == ("", None) and len(cells) > 1:
            cells = cells[:-1]
        # plain: a dropped blank leaves a row one value short, and nobody can tell which
        # column is missing — every value of that row is unreadable (gold: blank cells)
        unplaced = lay == "plain" and any(ind in self.blanks for _, ind in cells if ind is not None)
        for text, ind in cells:
            if lay == "plain":
                if ind is None and not text:
                    continue
                if ind is not None and (unplaced or ind in self.blanks):
                    b.blank_cells[ind] = b.pos
                    if ind in self.blanks:
                        continue  # not printed at all
                b.begin(section)
                if ind is None:
                    b.put(text)
                elif unplaced:
                    b.put(self.raw_value(ind).strip())  # printed, but not readable as this cell
                else:
                    b.cell(ind, self.raw_value(ind).strip())
                b.blank()
                continue
            b.begin(section)
            b.put("\t")
            if ind is None:
                b.put(_break(text, self.rng, self.break_rate) if text else "")
            else:
                b.cell(ind, self.raw_value(ind))
        if lay == "cells":
            b.blank()

    def table2(self) -> None:
        tpl = self.plan.template
        width = 4
        for art, header, rows in table2_blocks(tpl):
            pad = width if self.layout == "tabs" else 1
            self.row([(art, None)] + [("", None)] * (pad - 1), "active")
            hdr = list(header)
            if tpl == "2021" and hdr[2:3] == ["本年废止件数"] and self.rng.random() < 0.05:
                hdr[2] = "本年度止件数"
            if self.plan.style.get("ascii_unit_colon"):
                hdr = [h.replace("（单位：万元）", "（单位:万元）") for h in hdr]
            self.row([(h, None) for h in hdr] + ([("", None)] * (width - len(hdr)) if self.layout == "tabs" else []), "active")
            for label, ids in rows:
                cells = [(label, None)] + [("", i) for i in ids]
                if self.layout == "tabs":
                    cells += [("", None)] * (width - len(cells))
                self.row(cells, "active")

    def table3(self) -> None:
        tpl, cols = self.plan.template, APPLICANTS + ("total",)
        rows = table3_rows(tpl)
        sec = "requests"
        if self.layout == "tabs":
            self.row([(_T3_NOTE, None), ("", None), ("申请人情况", None)] + [("", None)] * 5 + [("总计", None), ("", None)], sec)
            self.row([("", None), ("", None), ("自然人", None), ("法人或其他组织", None)] + [("", None)] * 6, sec)
            self.row([("", None)] * 3 + [(x, None) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] + [("", None)] * 2, sec)
            shift = self.plan.style.get("t3_shift", 0.0)
            for labels, rid in rows:
                vals = [("", f"requests.{rid}.{c}") for c in cols]
                if rid == "total" and self.rng.random() < shift:  # seed-000: (七) 总计 one cell left
                    self.row([(labels[1], None)] + vals + [("", None), ("", None)], sec)
                    continue
                if len(labels) == 3 and not labels[1] and self.rng.random() < shift / 2:  # seed-003: 2. … at col 0
                    self.row([(labels[2], None), ("", None)] + vals + [("", None)], sec)
                    continue
                if len(labels) == 1:
                    cells = [(labels[0], None), ("", None)] + vals + [("", None)]
                elif len(labels) == 2:
                    cells = [(labels[0], None), (labels[1], None)] + vals + ([("", None)] if labels[0] or rid != "total" else [])
                else:
                    cells = [(x, None) for x in labels] + vals
                self.row(cells, sec)
            return
        if self.layout == "pipes":
            self.row([(_T3_NOTE, None), ("申请人情况", None)], sec)
            self.row([("", None), ("自然人", None), ("法人或其他组织", None), ("总计", None)], sec)
            self.row([("", None), ("", None)] + [(x, None) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")], sec)
            for labels, rid in rows:
                self.row([(x, None) for x in labels if x] + [("", f"requests.{rid}.{c}") for c in cols], sec)
            return
        self.row([(_T3_NOTE, None), ("申请人情况", None)], sec)
        self.row([("", None), ("自然人", None), ("法人或其他组织", None), ("总计", None)], sec)
        self.row([("", None), ("", None)] + [(x, None) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] + [("", None)], sec)
        for labels, rid in rows:
            lab = [(x, None) for x in labels]
            if rid == "granted" and self.layout == "cells":
                lab = [(x, None) for x in labels]
            self.row(lab + [("", f"requests.{rid}.{c}") for c in cols], sec)

    def table4(self) -> None:
        sec = "review"
        out = [o.replace("结果", "结果 ") if self.spaced_labels else o for o in _T4_OUT]
        out = [o.replace("其他 结果", "其他 结果").replace("尚未审结", "尚未 审结") if self.spaced_labels else o for o in out]
        vals = [("", i) for i in _T4_IDS]
        if self.layout == "tabs":
            self.row([("行政复议", None)] + [("", None)] * 4 + [("行政诉讼", None)] + [("", None)] * 9, sec)
            self.row([(o, None) for o in out] + [("未经复议直接起诉", None)] + [("", None)] * 4 + [("复议后起诉", None)] + [("", None)] * 3, sec)
            self.row([("", None)] * 5 + [(o, None) for o in out] * 2, sec)
            self.row(vals, sec)
            return
        if self.layout == "pipes":
            self.row([("行政复议", None), ("行政诉讼", None)], sec)
            self.row([(o, None) for o in out] + [("未经复议直接起诉", None), ("复议后起诉", None)], sec)
            self.row([(o, None) for o in out] * 2, sec)
            self.row(vals, sec)
            return
        self.row([("", None), ("行政复议", None), ("行政诉讼", None)][1:], sec)
        self.row([(o, None) for o in out] + [("未经复议直接起诉", None), ("复议后起诉", None)], sec)
        self.row([("", None)] * 5 + [(o, None) for o in out] * 2, sec)
        self.row(vals, sec)


def rng_choice(rng: random.Random, seq: list) -> Any:
    return seq[rng.randrange(len(seq))]


# ------------------------------------------------------------------ narrative writing
SLOT_RE = re.compile(r"\{([cmpz]):([^{}]*)\}|\{(Y\+1|Y-1|Y|we|short|org|place|place2|brand|site|phone|dd|m1|idx|road|no|postcode)\}")


# A table-2 cell the two table generations name differently (本年制发 2021, 本年新制作 2019):
# a phrase written with one id gets the document's own (see ``Writer.own_id``).
TEMPLATE_TWINS = {"active.normative.issued": "active.normative.made", "active.normative.made": "active.normative.issued",
                  "active.rules.issued": "active.rules.made", "active.rules.made": "active.rules.issued"}


class Writer:
    """Writes template sentences of one document into its builder."""

    def __init__(self, b: Builder, plan: Plan):
        self.b, self.plan, self.rng = b, plan, plan.rng
        self.value_override: dict[str, float | int] = {}
        self.done: set[str] = set()  # topics already written (their breakdowns are not repeated)
        self.last_count: tuple[int, str] | None = None  # a count that ends the template just filled
        self.exact = False  # write counts exactly (the second figure of an injected conflict)

    # --- values
    def value(self, ind: str) -> float | int:
        p = self.plan
        if ind in self.value_override:
            return self.value_override[ind]
        if ind in p.narr_override:
            return p.narr_override[ind]
        if ind in p.table:
            return p.table[ind]
        if is_composite(ind):  # 予以公开及部分公开, 行政诉讼 …: the sum of the template's cells
            return sum(p.table[x] for x in composite_parts(ind, p.template))
        if TEMPLATE_TWINS.get(ind) in p.table:  # the other table generation's name of the cell
            return p.table[TEMPLATE_TWINS[ind]]
        if narrative_topics().get(ind, {}).get("multi"):  # e.g. posts per platform: each its own figure
            return p.narr.pop(ind) if ind in p.narr else draw_narrative(self.rng, ind)
        if ind not in p.narr:
            p.narr[ind] = draw_narrative(self.rng, ind)
        return p.narr[ind]

    def is_zero(self, ind: str) -> bool:
        return ind in self.plan.force_zero or self.value(ind) == 0

    # --- literal text
    def var(self, name: str) -> str:
        p, rng = self.plan, self.rng
        sp = " " if p.style.get("spaced_numbers") else ""
        if name in ("Y", "Y+1", "Y-1"):
            y = p.year + {"Y": 0, "Y+1": 1, "Y-1": -1}[name]
            return f"{sp}{y}{sp}"
        if name == "we":
            return rng_choice(rng, p.we + [p.short])
        if name == "dd":
            return f"{rng.randint(10, 28)}"
        if name == "m1":
            return str(rng.randint(1, 3))
        if name == "idx":
            return "".join(str(rng.randint(0, 9)) for _ in range(9))
        if name == "phone":
            return f"0{rng.randint(310, 999)}-{rng.randint(2000000, 8999999)}"
        if name == "postcode":
            return f"{rng.randint(10, 85)}{rng.randint(0, 9999):04d}"
        if name == "road":
            return rng_choice(rng, ["人民路", "解放路", "建设路", "政府街", "中山路", "文化路", "府前街"])
        if name == "no":
            return str(rng.randint(1, 399))
        return {"short": p.short, "org": p.agency, "place": p.place, "place2": p.place2,
                "brand": p.brand, "site": p.site}[name]

    def lit(self, s: str, noisy: bool = True) -> None:
        """Literal text; page breaks may fall inside it (blank lines mid-sentence)."""
        rate = self.plan.style.get("pagebreak_rate", 0.0)
        if noisy and len(s) > 16 and self.rng.random() < rate:
            k = self.rng.randint(4, len(s) - 4)
            if not re.match(r"\d", s[k - 1:k + 1]) and not re.search(r"\d\d", s[k - 1:k + 1]):
                self.b.put(s[:k] + rng_choice(self.rng, ["\n\n", "\n", "\n\n\n"]) + s[k:])
                self.plan.families.append("noise.pagebreak")
                return
        self.b.put(s)

    # --- templates
    def fill(self, tpl: str, noisy: bool = True) -> None:
        pos = 0
        for m in SLOT_RE.finditer(tpl):
            if m.start() > pos:
                self.lit(self.expand_vars(tpl[pos:m.start()]), noisy)
            if m.group(3):
                self.b.put(self.var(m.group(3)))
            else:
                self.slot(m.group(1), m.group(2))
            pos = m.end()
        if pos < len(tpl):
            self.lit(self.expand_vars(tpl[pos:]), noisy)
        elif self.last_count and self.rng.random() < self.plan.style.get("yoy_rate", 0):
            self.comparison(*self.last_count)
        self.last_count = None

    def comparison(self, value: int, unit: str) -> None:
        """…，同比增加N件 / 较上年减少N% / 与上年持平 after a count (the change is a fact)."""
        rng, b = self.rng, self.b
        self.plan.families.append("fact.yoy")
        r = rng.random()
        if r < 0.15:
            b.put(rng_choice(rng, ["，与上年持平", "，与去年基本持平", "，数量与上年相同"]))
            return
        word = rng_choice(rng, ["同比增加", "同比减少", "较上年增加", "较上年减少", "比上年多", "比去年少"])
        b.put("，" + word)
        if r < 0.4 or "yoy" in self.done:  # one count change per document, more as percentages
            pct = round(rng.uniform(1, 80), rng.choice([0, 1, 2]))
            self.slot_value("p", "narrative.yoy.percent", pct)
            return
        self.done.add("yoy")
        self.slot_value("c", "narrative.yoy.change", max(1, int(value * rng.uniform(0.05, 0.6))), unit)

    def own_id(self, ind: str) -> str:
        """``ind``, or its twin when the document's template names the cell that way."""
        twin = TEMPLATE_TWINS.get(ind)
        return twin if ind not in self.plan.table and twin in self.plan.table else ind

    def slot_value(self, kind: str, ind: str, value: float | int, unit: str = "") -> None:
        self.value_override[ind] = value
        self.slot(kind, f"{ind}:{unit}" if unit else ind)
        del self.value_override[ind]

    def expand_vars(self, s: str) -> str:
        return s

    def slot(self, kind: str, body: str) -> None:
        b, rng = self.b, self.rng
        if kind == "z":
            ids, text = body.split(":", 1)
            b.fact(text, "ZERO", 0, "", False, ids.split("+"))
            return
        parts = body.split(":")
        ind = self.own_id(parts[0])
        units = parts[1].split("/") if len(parts) > 1 and parts[1] else [""]
        flags = parts[2] if len(parts) > 2 else ""
        if kind == "p":
            v = self.value(ind)
            shown = trim_decimal(v, 2)
            b.fact(f"{shown}%", "PERCENT", float(shown) if "." in shown else int(shown), "%", False, [ind])
            return
        unit = rng_choice(rng, units)
        v = self.value(ind)
        if kind == "m":
            s = trim_decimal(v, 2) if isinstance(v, float) else str(v)
            b.fact(f"{s}{unit}", "MONEY", v, unit, False, [ind])
            return
        w = write_count(int(v), unit, rng, approx_ok=("a" in flags and ind.startswith("narrative.") and not self.exact),
                        style=self.plan.style)
        if w.before:
            b.put(w.before)
        b.fact(w.span, "COUNT", w.value, unit, w.approx, [ind])
        if not w.approx and w.value >= 5 and not ind.startswith("narrative.yoy"):
            self.last_count = (int(w.value), unit)
        self.plan.families.append("num.approx" if w.approx else "num.cn" if re.match(r"[一二两三四五六七八九十]", w.span) else "num.wan" if "万" in w.span else "num.arabic")

    def pick(self, key: str) -> str:
        self.plan.families.append(f"fact.{key}")
        if key in COMBO_KEYS and self.rng.random() < 0.55:
            self.plan.families.append(f"combo.{key}")
            return combo(self.rng, key)
        return rng_choice(self.rng, phrases()["facts"][key])

    def sentence(self, clauses: list[str], end: str = "。", lead: str = "") -> None:
        """Clauses (templates) joined with ，, ended with 。."""
        if lead:
            self.fill(lead)
        for k, c in enumerate(clauses):
            if k:
                self.b.put(rng_choice(self.rng, ["，", "，", "；"]) if k > 1 else "，")
            self.fill(c)
        self.b.put(end)

    def filler(self, key: str, k: int = 1) -> None:
        pool = phrases()["filler"][key]
        for tpl in self.rng.sample(pool, min(k, len(pool))):
            self.fill(tpl)
        if self.rng.random() < self.plan.style.get("distractor_rate", 0.25):
            self.fill(rng_choice(self.rng, phrases()["distractors"]))
            self.plan.families.append("distractor")


COMBO_KEYS = {"req_received", "req_zero", "review_zero_all", "req_done", "active_total", "media"}


def combo(rng: random.Random, key: str) -> str:
    """A template composed from the ``combos`` parts of the phrase file."""
    c = phrases()["combos"]
    ch = lambda xs: rng_choice(rng, xs)  # noqa: E731
    we = ch(["{we}", "", ""])
    if key == "req_received":
        r = c["received"]
        unit = ch(r["unit"])
        if rng.random() < 0.75:
            return f"{ch(c['time'])}{we}{ch(r['verb'])}{ch(r['object'])}{{c:requests.new.total:{unit}}}"
        return f"{ch(c['time'])}{we}{ch(r['verb'])}{{c:requests.new.total:{unit}}}{ch(r['object'])}"
    if key == "req_zero":
        z = c["zero_received"]
        return f"{ch(c['time'])}{we}{{z:requests.new.total:{ch(z['neg'])}{ch(z['object'])}}}"
    if key == "review_zero_all":
        z = c["zero_review"]
        tail = ch(z["tail"])
        span = f"{ch(z['neg'])}{ch(z['cause'])}{ch(z['both'])}{tail}"
        after = "" if tail else ch(z["after"])  # 的问题 stays outside the claim
        return f"{ch(['', '', '全年', '本年度', '{Y}年'])}{{z:review.total+litigation.direct.total+litigation.after_review.total:{span}}}{after}"
    if key == "req_done":
        return f"{ch(['', '本年度', '当年', '全年'])}{ch(c['done']['verb'])}{{c:requests.total.total:件}}"
    if key == "active_total":
        a = c["active"]
        return f"{ch(c['time'])}{we}{ch(a['verb'])}{ch(a['object'])}{{c:narrative.active.items:{ch(a['unit'])}:a}}"
    m = c["media"]
    return f"{ch(m['channel'])}{ch(m['verb'])}{{c:narrative.new_media.posts:{ch(m['unit'])}:a}}"


def draw_narrative(rng: random.Random, ind: str) -> float | int:
    spec = narrative_topics().get(ind, {})
    if spec.get("label") == "PERCENT":  # rates (满意率, 办结率, 按期答复率) are high
        return 100 if rng.random() < 0.65 else round(rng.uniform(90, 99.9), rng.choice([0, 1, 2]))
    lo, hi = spec.get("range", [1, 100])
    if lo == 0:
        return 0 if rng.random() < 0.5 else _logint(rng, 1, hi)
    v = _logint(rng, lo, hi)
    if spec.get("label") == "MONEY" and rng.random() < 0.3:
        return round(v + rng.random(), 2)
    return v


# ------------------------------------------------------------------ sections
def _parts_for(rng: random.Random, total: int, n: int) -> list[int]:
    """n parts whose sum is at most total (a breakdown is not the whole)."""
    if total <= 0:
        return [0] * n
    share = rng.uniform(0.5, 1.0) if rng.random() < 0.6 else 1.0
    return _split_fast(rng, int(total * share), [rng.uniform(0.2, 3) for _ in range(n)])


class DocWriter(Writer):
    """Writes a whole report section by section."""

    # --- paragraphs of 总体情况 (each writes sentences on the current line)
    def para_active(self) -> None:
        p, rng, must = self.plan, self.rng, self.plan.style["must"]
        if rng.random() < 0.85:
            self.filler("active", rng.randint(2, 5))
        again = "active" in self.done
        self.done.add("active")
        if not again and (rng.random() < 0.75 or "narrative.active.items" in must):
            total = int(self.value("narrative.active.items"))
            self.fill(self.pick("active_total"))
            if rng.random() < 0.6:
                keys = rng.sample(phrases()["facts"]["active_parts"], rng.randint(2, 6))
                by_id = {SLOT_RE.search(k).group(2).split(":")[0]: k for k in keys}  # one per topic
                keys, ids = list(by_id.values()), list(by_id)
                for ind, v in zip(ids, _parts_for(rng, total, len(ids))):
                    hi = narrative_topics().get(ind, {}).get("range", [0, v])[1]
                    p.narr[ind] = min(v, hi)
                self.b.put(rng_choice(rng, ["，其中", "，其中：", "。其中，", "，包括", "。在主动公开的信息中，",
                                            "。在公开的各类信息中，"]))
                sep = rng_choice(rng, ["，", "、", "；"])
                for k, tpl in enumerate(keys):
                    if k:
                        self.b.put(sep)
                    self.fill(tpl)
                p.families.append("fact.active_parts")
            self.b.put("。")
        if not again and rng.random() < 0.3:  # a channel's own count beside the total
            keys = rng.sample(phrases()["facts"]["active_channels"], rng.randint(1, 2))
            self.sentence(keys, lead=rng_choice(rng, ["", "同时，", "此外，", "{Y}年，"]))
            p.families.append("fact.active_channels")
        if not again and rng.random() < 0.55:
            keys = rng.sample(phrases()["facts"]["policy"], rng.randint(1, 3))
            self.sentence(keys, lead=rng_choice(rng, ["", "{Y}年，", "全年", "同时，"]))
            p.families.append("fact.policy")
        if not again and rng.random() < 0.35:
            dom = phrases()["domain"]
            pool = dom.get(p.kind) or dom["other"]
            self.sentence(rng.sample(pool, min(len(pool), rng.randint(1, 2))),
                          lead=rng_choice(rng, ["{Y}年，", "全年", "同时，", "{we}"]))
            p.families.append("fact.domain")
        tpl = p.template
        if tpl == "2021":
            want_norm = {"active.normative.issued", "active.normative.repealed", "active.normative.in_force"} & must
            if want_norm or rng.random() < 0.25:
                cl = [self.pick("normative_2021")]
                if p.table["active.normative.repealed"] or "active.normative.repealed" in must:
                    if rng.random() < 0.5 or "active.normative.repealed" in must:
                        cl.append(self.pick("normative_repealed_2021"))
                if rng.random() < 0.35 or "active.normative.in_force" in must:
                    cl.append(self.pick("normative_in_force_2021"))
                self.sentence(cl, lead=rng_choice(rng, ["{Y}年，{we}", "", "", "{Y}年度"]))
        elif rng.random() < 0.25:
            self.sentence([self.pick("normative_2019")], lead=rng_choice(rng, ["{Y}年，{we}", "全年"]))
        want = [k for k, i in (("licensing", "active.licensing.decisions"), ("penalty", "active.penalty.decisions"))
                if i in must or (p.table.get(i, 0) and rng.random() < 0.3)]
        if "active.coercion.decisions" in must or (p.table.get("active.coercion.decisions") and rng.random() < 0.1):
            want.append("coercion")
        if want:
            self.sentence([self.pick(k) for k in want], lead=rng_choice(rng, ["{Y}年，{we}", "全年共", "本年度", "{Y}年度"]))
        if tpl == "2021" and ("active.fees.amount" in must or (p.table["active.fees.amount"] and rng.random() < 0.2)):
            self.sentence([self.pick("fees_2021")], lead="全年")
        if tpl == "2019" and p.table["active.procurement.count"] and rng.random() < 0.2:
            self.sentence([self.pick("procurement_2019")], lead="{Y}年，")
        if not again and rng.random() < 0.3:  # other work in table words (hard negatives)
            tpl = self.pick("other_work")
            if "proposals.hosted" in tpl:  # 其中主办N件，协办M件 add up to the total
                total = max(2, int(self.value("narrative.active.proposal_replies")))
                p.narr["narrative.active.proposal_replies"] = total
                hosted = rng.randint(1, total - 1)
                p.narr["narrative.proposals.hosted"] = hosted
                p.narr["narrative.proposals.assisted"] = total - hosted
            lead = "" if tpl.startswith(("{we}", "截至")) else rng_choice(rng, ["", "{Y}年，", "全年", "同时，"])
            self.sentence([tpl], lead=lead)
        if not again and rng.random() < 0.06:
            self.sentence([self.pick("gazette")], lead=rng_choice(rng, ["全年", "{Y}年，{we}"]))
        if not again and rng.random() < 0.12:
            self.done.add("proposals")
            self.sentence([self.pick("proposals")])

    def para_requests(self) -> None:
        p, rng = self.plan, self.rng
        zero = self.is_zero("requests.new.total")
        if rng.random() < 0.6:
            self.filler("requests", rng.randint(1, 4))
        if zero:
            pool = phrases()["facts"]["req_zero"]
            pool = [t for t in pool if "{z:" in t] if "requests.new.total" in p.force_zero or rng.random() < 0.85 else pool
            if rng.random() < 0.5:
                self.fill(combo(rng, "req_zero"))
                p.families.append("combo.req_zero")
            else:
                self.fill(rng_choice(rng, pool))
            p.families.append("fact.req_zero")
            if rng.random() < 0.45:
                self.b.put("，")
                self.review_clause()
            self.b.put("。")
            self.other_work_requests()
            return
        total = int(self.value("requests.new.total"))
        key = "req_received_cn" if rng.random() < 0.1 else "req_received"
        self.fill(self.pick(key))
        r = rng.random() if "requests" not in self.done else 1.0
        self.done.add("requests")
        if r < 0.2 and total > 1:  # by channel
            chans = rng.sample(["online", "in_person", "mail"], rng.randint(2, 3))
            vals = _split_fast(rng, total, [5 if c == "online" else 1.5 for c in chans])
            for c, v in zip(chans, vals):
                p.narr[f"narrative.requests.{c}"] = v
                p.narr[f"narrative.requests.{c}_share"] = round(100 * v / total, 1)
            lead = rng_choice(rng, phrases()["facts"]["req_channels_lead"])
            self.b.put(lead if lead.startswith(("，", "（")) else "，" + lead)
            share = rng.random() < 0.25
            for k, c in enumerate(chans):
                if k:
                    self.b.put(rng_choice(rng, ["，", "；"]))
                self.fill(rng_choice(rng, phrases()["facts"]["req_channels"][c]))
                if share:
                    self.b.put("，占比")
                    self.fill(f"{{p:narrative.requests.{c}_share}}")
            if lead.startswith("（"):
                self.b.put("）")
            p.families.append("fact.req_channels")
        elif r < 0.32 and total > 1:  # by applicant type
            nat = p.table["requests.new.natural"]
            org = total - nat
            p.narr["narrative.requests.organizations"] = org
            self.b.put(rng_choice(rng, ["，其中", "。其中，", "，其中："]))
            app = phrases()["facts"]["req_applicants"]
            self.fill(rng_choice(rng, app["natural"]))
            self.b.put("，")
            if p.table["requests.new.commercial"] == org and rng.random() < 0.5:
                self.fill(rng_choice(rng, app["commercial"]))
            else:
                self.fill(rng_choice(rng, app["organizations"]))
            p.families.append("fact.req_applicants")
        must = p.style["must"]
        cl: list[str] = []
        carried = p.table.get("requests.carried_over.total", 0)
        if carried and rng.random() < 0.15 and "requests.total.total" not in must:  # a total that includes last year's
            cl.append(self.pick("req_with_carried"))
        elif rng.random() < 0.25 or "requests.carried_over.total" in must:
            cl.append(self.pick("req_carried_over"))
        if not any("requests.total.total" in c for c in cl) and (rng.random() < 0.4 or "requests.total.total" in must):
            cl.append(self.pick("req_done"))
        cl += self.outcome_clauses(must)
        if p.table.get("requests.carried_forward.total") and rng.random() < 0.35:
            cl.append(self.pick("req_forward"))
        for c in cl:
            self.b.put("，")
            self.fill(c)
        if rng.random() < 0.3:
            self.b.put("，")
            self.fill(rng_choice(rng, phrases()["facts"]["req_all_done"]))
        if rng.random() < 0.4:
            self.b.put("。" if rng.random() < 0.5 else "，")
            self.review_clause()
        self.b.put("。")
        self.other_work_requests()

    def outcome_clauses(self, must: set[str]) -> list[str]:
        """How the year's requests were decided, as narratives say it: one cell
        (予以公开N件), a group the template splits into sub-rows (不予公开N件 = the sum of
        its reasons) or two cells as one figure (予以公开及部分公开N件)."""
        p, rng = self.plan, self.rng
        if not (rng.random() < 0.35 or "requests.granted.total" in must):
            return []
        cl: list[str] = []
        if "requests.granted.total" not in must and rng.random() < 0.3 and self.value("requests.disclosed.total"):
            cl.append(self.pick("req_disclosed"))
        else:
            for key, ind in (("req_granted", "requests.granted.total"), ("req_partial", "requests.partial.total")):
                if p.table.get(ind) or ind in must:
                    cl.append(self.pick(key))
        groups = [("req_denied", "requests.denied.total"), ("req_unavailable", "requests.unavailable.total"),
                  ("req_rejected", "requests.rejected.total"), ("req_other", "requests.other.total")]
        for key, ind in groups:
            if self.value(ind) and rng.random() < 0.6:
                if key == "req_unavailable" and p.table.get("requests.unavailable.not_held.total") == self.value(ind) \
                        and rng.random() < 0.4:
                    key = "req_not_held"  # all of them for one reason: the sub-row named
                cl.append(self.pick(key))
        return cl

    def other_work_requests(self) -> None:
        """Mailbox / hotline / petition work next to the requests: counted in 件 too, but
        not requests (hard negatives for the linker)."""
        if self.rng.random() < 0.2:
            self.sentence([self.pick("other_work_requests")],
                          lead=rng_choice(self.rng, ["", "同时，", "此外，", "{Y}年，{we}"]))

    def review_clause(self) -> None:
        p, rng = self.plan, self.rng
        groups = ("review.total", "litigation.direct.total", "litigation.after_review.total")
        zeros = [self.is_zero(g) for g in groups]
        if not all(zeros) and not p.style.get("force_review") and rng.random() < 0.15:  # one figure for both
            self.fill(self.pick("review_litigation_total"))
            return
        if all(zeros):
            self.fill(self.pick("review_zero_all"))
        elif zeros[0]:
            self.fill(self.pick("review_zero_review"))
            if not zeros[1]:
                self.b.put("，")
                self.fill(self.pick("litigation_count"))
            elif not zeros[2]:
                self.b.put("，")
                self.fill(self.pick("litigation_total"))
        else:
            self.fill(self.pick("review_count"))
            self.review_outcomes("review")
            if zeros[1] and zeros[2]:
                self.b.put("，")
                self.fill(self.pick("review_zero_litigation"))
            elif rng.random() < 0.7:
                self.b.put(rng_choice(rng, ["，", "；"]))
                self.fill(self.pick("litigation_total"))
                p.families.append("fact.litigation_total")

    def review_outcomes(self, group: str) -> None:
        """其中维持N件、纠正N件 … after a group's total (only outcomes that occurred)."""
        p, rng = self.plan, self.rng
        if rng.random() > 0.8:
            return
        outs = [o for o in ("upheld", "corrected", "other", "pending") if p.table.get(f"{group}.{o}")]
        if not outs:
            return
        opening = rng_choice(rng, ["，其中", "，", "（其中", "，其中："])
        self.b.put(opening)
        for k, o in enumerate(outs):
            if k:
                self.b.put(rng_choice(rng, ["、", "，", "；"]))
            self.fill(rng_choice(rng, phrases()["facts"][f"{group}_outcomes"][o]))
        if "（" in opening:
            self.b.put("）")
        p.families.append("fact.review_outcomes")

    def para_management(self) -> None:
        rng, p = self.rng, self.plan
        if rng.random() < 0.25:  # 一是X。… / 1.X。… lines, each a sub-heading (seed-003 style)
            if rng.random() < 0.6:
                self.filler("management", 1)
            enum = rng_choice(rng, ["{cn}是", "{cn}是", "{n}.", "{n}、", "{n}. "])
            for k in range(rng.randint(2, 4)):
                self.new_par(self.b.section)
                self.b.labels[-1].heading = True
                self.b.put(enum.format(cn=SECTION_NO[k], n=k + 1))
                self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
                self.filler("management", 1)
            return
        self.filler("management", rng.randint(2, 5))
        if rng.random() < 0.35:
            self.sentence([self.pick("cleanup")], lead=rng_choice(rng, ["{Y}年，", "全年共", "本年度"]))

    def para_platform(self) -> None:
        rng = self.rng
        self.filler("platform", rng.randint(2, 5))
        if rng.random() < 0.65:
            keys = rng.sample(phrases()["facts"]["media"], rng.randint(1, 3))
            self.sentence(keys, lead=rng_choice(rng, ["{Y}年，", "全年", "{we}", "截至{Y}年底，"]))
            self.plan.families.append("fact.media")

    def para_supervision(self) -> None:
        rng = self.rng
        self.filler("supervision", rng.randint(2, 5))
        if rng.random() < 0.25:
            self.sentence([self.pick("staff")])
        if rng.random() < 0.35:
            self.sentence([self.pick("training")], lead=rng_choice(rng, ["{Y}年，", "全年", ""]))
        if rng.random() < 0.2:
            self.sentence([self.pick("accountability_zero")])

    # --- structure
    def heading(self, section: str, idx: int, text: str | None = None) -> None:
        st, rng = self.plan.style, self.rng
        self.par_gap()
        self.b.begin(section, True)
        if rng.random() < st.get("indent_heading_rate", 0):
            self.b.put(rng_choice(rng, ["　　", "   ", "\u00a0\u00a0", " "]))
        num = st["sec_num"]
        lab = text or rng_choice(rng, phrases()["headings"][section])
        self.b.put(num.format(cn=SECTION_NO[idx], n=idx + 1) + lab)
        if rng.random() < 0.03:
            self.b.put(rng_choice(rng, [" ", "　", "\u00a0"]))

    def par_gap(self) -> None:
        if self.plan.style["blank_between"] and self.b.labels:
            self.b.blank()

    def new_par(self, section: str) -> None:
        self.par_gap()
        self.b.begin(section)
        st = self.plan.style
        if st.get("indent"):
            self.b.put(st["indent"])
        if self.rng.random() < st.get("bookmark_rate", 0):
            self.b.put("[bookmark: _GoBack]")
            self.plan.families.append("noise.bookmark")

    def overview(self) -> None:
        p, rng, st = self.plan, self.rng, self.plan.style
        kind = st["overview"]
        if kind != "lying":
            self.heading("overview", 0)
        if kind == "lying":  # seed-001 style: no 一、总体情况; intro paragraph is the preamble
            self.new_par("preamble")
            self.filler("overview_intro", 2)
            for k, lab in enumerate(rng.sample(phrases()["subtopics"]["lying"], 2)):
                self.heading("overview", k, lab + rng_choice(rng, ["。", "", "。"]))
                self.new_par("overview")
                self.filler("supervision" if k == 0 else "management", 2)
            subs = [("active", self.para_active), ("requests", self.para_requests), ("platform", self.para_platform)]
            for k, (name, fn) in enumerate(subs):
                self.new_par("overview")
                self.b.labels[-1].heading = True  # enumerator starting a line: a sub-heading
                self.b.put(f"（{SECTION_NO[k]}）")
                fn()
            return
        run_intro = rng.random() < 0.12
        if run_intro:  # heading runs into the first sentence
            self.b.put(rng_choice(rng, ["", "：", " "]))
            self.filler("overview_intro", 1)
        elif rng.random() < (0.3 if st.get("short_overview") else 0.8):
            self.new_par("overview")
            self.filler("overview_intro", rng.randint(1, 4))
        topics = [("active", self.para_active), ("requests", self.para_requests),
                  ("management", self.para_management), ("platform", self.para_platform),
                  ("supervision", self.para_supervision)]
        if st.get("short_overview"):  # a terse 总体情况: a scraped cut lands in the tables
            topics = topics[:rng.randint(1, 2)]
        elif rng.random() < 0.25:
            topics = topics[:rng.randint(2, 4)]
        if rng.random() < 0.08:
            topics.append(("assessment", self.para_supervision))
        if kind == "flat":
            for _, fn in topics:
                self.new_par("overview")
                fn()
            return
        style = st["sub_style"]
        for k, (name, fn) in enumerate(topics):
            label = rng_choice(rng, phrases()["subtopics"][name])
            head = {"paren_line": f"（{SECTION_NO[k]}）{label}", "paren_run": f"（{SECTION_NO[k]}）{label}。",
                    "paren_colon": f"（{SECTION_NO[k]}） {label}：", "num_run": f"{k + 1}.{label}。",
                    "num_line": f"{k + 1}.{label}", "shi_run": f"{SECTION_NO[k]}是{label}。",
                    "num_space_run": f"{k + 1}. {label}。"}[style]
            self.par_gap()
            self.b.begin("overview", True)
            self.b.put(head)
            if style in ("paren_line", "num_line"):
                if rng.random() < 0.3:
                    self.b.put("。" if not head.endswith("。") else "")
                self.new_par("overview")
                if rng.random() < 0.2:  # a topic phrase without enumerator opens the body: not a heading
                    self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
                    self.plan.families.append("layout.topic_lead")
            fn()

    def section_tables(self, idx: int, section: str, which: str, layout: str) -> None:
        p, rng = self.plan, self.rng
        self.heading(section, idx)
        if which in p.style["drop_tables"]:
            self.new_par(section)
            self.b.put(rng_choice(rng, ["详见附表。", "（表格略）", "无。"]))
            return
        if rng.random() < p.style.get("section_narrative_rate", 0):
            self.new_par(section)
            {"active": self.para_active, "requests": self.para_requests,
             "review": lambda: (self.review_clause(), self.b.put("。"))}[section]()
        if layout == "tabs" and p.style["blank_between"]:
            self.b.blank()
        tw = TableWriter(self.b, p, layout, p.style["blanks"])
        getattr(tw, which)()

    def problems(self, idx: int, merged: bool) -> None:
        rng = self.rng
        text = rng_choice(rng, phrases()["headings"]["merged_problems_other"]) if merged else None
        self.heading("problems", idx, text)
        for k in range(rng.randint(1, 3)):
            self.new_par("problems")
            self.filler("problems", 1)
        if rng.random() < 0.15:
            for k in range(rng.randint(2, 3)):
                self.new_par("problems")
                self.b.labels[-1].heading = True
                self.b.put(rng_choice(rng, ["", "- "]) + rng_choice(rng, [f"{k + 1}、", f"{k + 1}.", f"（{SECTION_NO[k]}）"]))
                self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
                self.filler("problems", 1)

    def other(self, idx: int) -> None:
        p, rng = self.plan, self.rng
        self.heading("other", idx)
        r = rng.random()
        if r > 0.88:  # （一）工作要点落实情况 1.…。 （二）信息处理费收取情况。…
            self.par_gap()
            self.b.begin("other", True)
            self.fill(rng_choice(rng, ["（一）{Y}年政务公开工作要点落实情况", "（一）政务公开工作要点落实情况",
                                       "1.{Y}年度政务公开工作要点落实情况"]), noisy=False)
            for k in range(rng.randint(2, 4)):
                self.new_par("other")
                self.b.labels[-1].heading = True
                self.b.put(f"{k + 1}.")
                self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
                self.filler(rng_choice(rng, ["active", "management", "platform", "supervision"]), 1)
            self.new_par("other")
            self.b.labels[-1].heading = True
            self.b.put(rng_choice(rng, ["（二）信息处理费收取情况。", "（二）收取信息处理费情况。"]))
            self.sentence([self.pick("fees_some" if rng.random() < 0.1 else "fees_zero")])
            self.done.add("fees")
            r = 0.0 if not p.conflict else 0.5
            if not p.conflict:
                return
        self.new_par("other")
        if r < 0.35 and not p.conflict:
            self.fill(rng_choice(rng, phrases()["filler"]["other_none"]))
            return
        if (r < 0.75 or "narrative.fees.processing" in p.force_zero) and "fees" not in self.done:
            key = "fees_some" if rng.random() < 0.1 else "fees_zero"
            if rng.random() < 0.3:
                self.filler("other", 1)
            self.sentence([self.pick(key)])
        else:
            self.filler("other", 1)
        if rng.random() < 0.25 and "proposals" not in self.done:
            self.new_par("other")
            self.sentence([self.pick("proposals")])
        if rng.random() < 0.1:
            self.new_par("other")
            self.sentence([self.pick("open_days")], lead="{Y}年，")
        if p.conflict:
            self.new_par("other")
            self.value_override = {p.conflict: p.narr_override.pop("__conflict_value")}
            self.exact = True
            self.fill(rng_choice(rng, phrases()["facts"]["active_total"]))
            self.b.put("。")
            self.value_override, self.exact = {}, False

    def title_block(self) -> None:
        p, rng, st = self.plan, self.rng, self.plan.style
        for _ in range(st["lead_blank"]):
            self.b.begin("title")
        # realdev convention for scraped pages: the page's first line fills the title slot;
        # further furniture and the report's own title (a heading) are preamble.
        for k, line in enumerate(st["chrome_before"]):
            self.b.begin("title" if k == 0 else "preamble")
            self.fill(line, noisy=False)
            if st["blank_between"]:
                self.b.blank()
        title_section = "preamble" if st["chrome_before"] else "title"
        if st["title"] != "none":
            tpl = rng_choice(rng, phrases()["titles"]["two_lines" if st["title"] == "two" else "one_line"])
            if st.get("title_spaces"):
                tpl = tpl.replace("{Y}年", " {Y} 年").replace("工作年度", "工作 年度")
            for k, part in enumerate(tpl.split("|")):
                if k and rng.random() < 0.4:
                    self.b.begin(title_section)
                self.b.begin(title_section, True)
                self.fill(part.strip() if k else part, noisy=False)
            if st["blank_between"]:
                self.b.blank()
        for line in st["chrome_after"]:
            self.b.begin("preamble")
            self.fill(line, noisy=False)
        if st["preamble"]:
            self.new_par("preamble")
            self.fill(rng_choice(rng, phrases()["preambles"]))

    def document(self) -> None:
        p, st = self.plan, self.plan.style
        self.title_block()
        self.overview()
        layout = st["layout"]
        self.section_tables(1, "active", "table2", layout)
        self.section_tables(2, "requests", "table3", layout)
        self.section_tables(3, "review", "table4", layout)
        if not st["drop_problems"]:
            self.problems(4, st["merge_56"])
        if not st["merge_56"] and not st["drop_other"]:
            self.other(5 if not st["drop_problems"] else 4)
        elif p.conflict:
            self.new_par(self.b.section)
            self.value_override = {p.conflict: p.narr_override.pop("__conflict_value")}
            self.exact = True
            self.fill(rng_choice(self.rng, phrases()["facts"]["active_total"]))
            self.b.put("。")
            self.value_override, self.exact = {}, False
        if st["signature"]:
            self.par_gap()
            self.b.begin(self.b.section)
            self.b.put(p.agency)
            self.b.begin(self.b.section)
            self.fill(f"{{Y+1}}年{self.rng.randint(1, 3)}月{self.rng.randint(1, 28)}日", noisy=False)
        for _ in range(st["trail_blank"]):
            self.b.begin(self.b.section)


# ------------------------------------------------------------------ planning
def make_style(rng: random.Random, truncated: bool) -> dict[str, Any]:
    ph = phrases()
    scraped = truncated or rng.random() < 0.15
    layout = rng.choices(["tabs", "cells", "pipes", "plain"], [0.4, 0.34, 0.14, 0.14 if scraped else 0.05])[0]
    title = rng.choices(["one", "two", "none"], [0.62, 0.22, 0.16])[0]
    st: dict[str, Any] = {
        "layout": layout, "title": title, "title_spaces": rng.random() < 0.08,
        "scraped": scraped,
        "chrome_before": rng.sample(ph["chrome_before"], rng.randint(1, 3)) if scraped and rng.random() < 0.5 else [],
        "chrome_after": rng.sample(ph["chrome_after"], rng.randint(1, 3)) if scraped and rng.random() < 0.45 else [],
        "preamble": rng.random() < (0.75 if title == "none" else 0.45),
        "blank_between": rng.random() < (0.55 if scraped else 0.4),
        "lead_blank": rng.choice([0, 0, 0, 1, 2]),
        "trail_blank": rng.choice([0, 0, 1, 1, 2]),
        "indent": rng.choices(["", "　　", "  ", "\u00a0\u00a0"], [0.8, 0.12, 0.05, 0.03])[0],
        "indent_heading_rate": rng.choice([0, 0, 0, 0.3, 1.0]),
        "bookmark_rate": 0.04 if rng.random() < 0.08 else 0,
        "sec_num": rng.choices(["{cn}、", "{cn}、 ", "{n}. ", "{n}.", "{n}、", "（{cn}）"], [0.8, 0.05, 0.05, 0.04, 0.04, 0.02])[0],
        "overview": rng.choices(["subs", "flat", "lying"], [0.8, 0.12, 0.08])[0],
        "sub_style": rng.choices(["paren_line", "paren_run", "paren_colon", "num_run", "num_line", "shi_run", "num_space_run"],
                                 [0.32, 0.3, 0.06, 0.12, 0.06, 0.08, 0.06])[0],
        "section_narrative_rate": rng.choice([0, 0, 0, 0.3, 0.6]),
        "drop_tables": set(rng.sample(["table2", "table3", "table4"], rng.randint(1, 2))) if rng.random() < 0.03 else set(),
        "drop_problems": rng.random() < 0.03,
        "merge_56": rng.random() < 0.05,
        "drop_other": rng.random() < 0.05,
        "signature": rng.random() < 0.15,
        "spaced_numbers": rng.random() < 0.07,
        "cn_rate": rng.choice([0.0, 0.05, 0.1, 0.25]),
        "comma_rate": rng.choice([0, 0, 0, 0.5]),
        "pagebreak_rate": rng.choice([0, 0, 0, 0.03, 0.08]),
        "cell_space_rate": rng.choice([0, 0, 0, 0.1, 0.3]),
        "label_break_rate": rng.choice([0, 0, 0.3, 0.6]) if layout == "cells" else 0,
        "spaced_header": rng.random() < 0.3,
        "pipe_edges": rng.random() < 0.5,
        "ascii_unit_colon": rng.random() < 0.2,
        "punct": rng.choices(["full", "ascii", "mixed"], [0.3, 0.6, 0.1] if scraped else [0.6, 0.3, 0.1])[0],
        "distractor_rate": rng.choice([0.1, 0.25, 0.4]),
        "short_overview": truncated and rng.random() < 0.12,
        "yoy_rate": rng.choice([0, 0, 0.08, 0.2]),
        "t3_shift": rng.choice([0, 0, 0, 0.3, 0.8]),
        "blanks": set(), "must": set(),
    }
    return st


def make_plan(rng: random.Random, truncated: bool) -> Plan:
    ag = _agency(rng)
    year = rng.choices(range(2019, 2026), [0.08, 0.1, 0.14, 0.16, 0.2, 0.18, 0.14])[0]
    template = "2019" if year <= 2020 else "2021"
    table = make_table(rng, template, ag["kind"])
    bare = ag["place2"] or "本地"
    brand = rng_choice(rng, phrases()["brand_forms"]).format(brand=rng.choice(phrases()["brands"]), place2=bare)
    site = rng_choice(rng, [f"{ag['place']}人民政府门户网站", f"“中国·{bare}”政府网站", f"{ag['short']}官方网站",
                            f"{ag['place']}政府信息公开平台"])
    return Plan(rng=rng, year=year, template=template, level=ag["level"], agency=ag["agency"],
                short=ag["short"], we=ag["we"], kind=ag["kind"], place=ag["place"], place2=bare,
                brand=brand, site=site, table=table, style=make_style(rng, truncated))


def add_requests(table: dict, k: int) -> None:
    """k more granted requests from natural persons, identities kept."""
    for row in ("new", "total", "granted"):
        table[f"requests.{row}.natural"] += k
        table[f"requests.{row}.total"] += k


def inject(plan: Plan, kind: str) -> dict[str, Any]:
    """Change the plan so the document will carry one labelled inconsistency."""
    rng, t, st = plan.rng, plan.table, plan.style
    if kind == "narrative_table_mismatch":
        cands = ["requests.new.total", "requests.total.total", "active.licensing.decisions",
                 "active.penalty.decisions", "requests.granted.total"]
        if plan.template == "2021":
            cands.append("active.normative.issued")
        ind = rng.choice(cands)
        if ind.startswith("requests.") and t["requests.new.total"] == 0:
            add_requests(t, rng.randint(1, 5))
        base = t[ind]
        delta = rng.choice([-3, -2, -1, 1, 1, 2, 3, 5, 10]) if base < 100 else rng.choice([-1, 1]) * rng.randint(1, max(2, int(base * 0.2)))
        if base + delta <= 0 or delta == 0:  # a 0 would read as a zero claim, another finding type
            delta = abs(delta) or 1
        plan.narr_override[ind] = base + delta
        st["must"].add(ind)
        if ind.startswith("requests.") and ind != "requests.new.total":
            st["must"].add("requests.new.total")
        return {"type": kind, "indicator": ind}
    if kind == "zero_claim_contradiction":
        if rng.random() < 0.6:
            ind = "requests.new.total"
            if t[ind] == 0:
                add_requests(t, rng.randint(1, 4))
            plan.force_zero.add(ind)
            st["must"].add(ind)
        else:
            ind = "review.total"
            if t[ind] == 0:
                k = rng.randint(1, 3)
                t["review.upheld"] += k
                t["review.total"] += k
            plan.force_zero.update({"review.total", "litigation.direct.total", "litigation.after_review.total"})
            st["force_review"] = True
        return {"type": kind, "indicator": ind}
    if kind == "identity_violation":
        ind = rng.choice(["requests.total.total", "requests.granted.natural", "requests.new.total",
                          "review.total", "requests.carried_forward.total", "requests.unavailable.not_held.natural",
                          "litigation.direct.total"])
        before = t[ind]
        t[ind] = max(0, t[ind] + rng.choice([-2, -1, 1, 1, 2, 3]))
        if t[ind] == before:
            t[ind] = before + 1
        return {"type": kind, "indicator": ind}
    if kind == "missing_cell":
        zeros = [i for i, v in t.items() if v == 0]
        group = rng.choice(["active", "requests", "review", "any"])
        pool = [i for i in zeros if group == "any" or i.startswith(group if group != "review" else ("review", "litigation"))]
        pool = pool or zeros
        chosen = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2, 3, 5])))
        st["blanks"].update(chosen)
        return {"type": kind, "cells": sorted(chosen)}
    # narrative_conflict
    ind = "narrative.active.items"
    st["must"].add(ind)
    plan.conflict = ind
    v = draw_narrative(rng, ind)
    plan.narr[ind] = v
    # clearly smaller, so no reading of 近/约/超过/余 on the first mention reconciles the two
    plan.narr_override["__conflict_value"] = max(1, v - max(3, int(v * rng.uniform(0.35, 0.6))))
    return {"type": kind, "indicator": ind}


# ------------------------------------------------------------------ post-processing
ASCII_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


def _punct(text: str, style: str, rng: random.Random) -> str:
    if style == "full":
        return text
    if style == "ascii":
        return text.translate(ASCII_PUNCT)
    lines = text.split("\n")
    return "\n".join(ln.translate(ASCII_PUNCT) if rng.random() < 0.5 else ln for ln in lines)


def _safe_cut(b: Builder, cut: int) -> int:
    """Move a cut back so it does not split a number or a table value.

    A cut may fall inside a zero claim (scraped pages end mid-claim): the cut-off claim
    is then not a fact."""
    spans = [(f.start, f.end) for f in b.facts if f.label != "ZERO"] + list(b.cells.values())
    moved = True
    while moved:
        moved = False
        for s, e in spans:
            if s < cut < e:
                cut, moved = s, True
    return cut


def finish(plan: Plan, b: Builder, doc_id: str, injected: list[dict], truncate_at: int | None) -> Record:
    text = b.text()
    labels = b.labels
    facts = list(b.facts)
    cells = dict(b.cells)
    blanks = dict(b.blank_cells)
    if truncate_at is not None and truncate_at < len(text) - 40:
        cut = _safe_cut(b, truncate_at)
        while cut > 0 and text[cut - 1] == "\n":
            cut -= 1
        text = text[:cut]
        facts = [f for f in facts if f.end <= cut]
        cells = {k: v for k, v in cells.items() if v[1] <= cut}
        blanks = {k: v for k, v in blanks.items() if v < cut}
        labels = labels[:text.count("\n") + 1]
    text = _punct(text, plan.style["punct"], plan.rng)
    for f in facts:
        f.text = text[f.start:f.end]
    lines = []
    pos = 0
    for lab, part in zip(labels, text.split("\n")):
        lines.append(Line(pos, pos + len(part), lab.section, lab.heading))
        pos += len(part) + 1
    # no printed title: the first line (a preamble sentence or page furniture) fills the
    # title slot, as in the realdev gold
    first = next((k for k, ln in enumerate(lines) if text[ln.start:ln.end].strip()), None)
    if first is not None and lines[first].section == "preamble" and plan.style["title"] == "none":
        lines[first].section = "title"
    # empty lines take the section of the line before and are never headings
    for k, ln in enumerate(lines):
        if not text[ln.start:ln.end].strip():
            ln.heading = False
            if k:
                ln.section = lines[k - 1].section
    table = {k: plan.table[k] for k in cells}
    missing = sorted(k for k in blanks if k not in table)
    findings = compute_findings(plan, facts, table, missing, injected, text)
    families = sorted(set(plan.families))
    notes = {"generator": "nlp.corpus.synth", "format": "txt", "layout": plan.style["layout"], "title": plan.style["title"],
             "overview": plan.style["overview"], "sub_style": plan.style["sub_style"],
             "punct": plan.style["punct"], "truncated": truncate_at is not None and len(text) < len(b.text()),
             "scraped": plan.style["scraped"], "level": plan.level, "kind": plan.kind,
             "families": families,
             # what was injected and what the text kept of it (truncation or a dropped
             # table can remove the evidence)
             "attempted": [i["type"] for i in injected],
             "injected": sorted({i["type"] for i in injected} & {f.type for f in findings})}
    return Record(id=doc_id, text=text, source="synthetic", agency=plan.agency, year=plan.year,
                  template=plan.template, lines=lines, facts=facts, table=table, missing_cells=missing,
                  findings=findings, notes=notes)


_DIRECTION = {"余": "at_least", "多": "at_least", "以上": "at_least", "超过": "at_least", "逾": "at_least",
              "近": "at_most", "约": "about", "左右": "about"}


def _range_of(f: Fact, context: str) -> tuple[float, float]:
    """What a careful reader takes a figure to allow: exact, or a band for 余/近/约 ….

    ``context`` is the span with two characters either side (近/约 sit before it).

    >>> _range_of(Fact(0, 5, "100余条", "COUNT", 100, "条", True), "共有100余条")
    (100.0, inf)
    """
    v = float(f.value)
    if not f.approx:
        return v, v
    word = next((w for w in _DIRECTION if w in context), None) or "约"
    return {"at_least": (v, math.inf), "at_most": (v * 0.85, v), "about": (v * 0.9, v * 1.1)}[_DIRECTION[word]]


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def compute_findings(plan: Plan, facts: list[Fact], table: dict, missing: list[str],
                     injected: list[dict], text: str = "") -> list[Finding]:
    out: list[Finding] = []
    for k, f in enumerate(facts):
        if f.indicator not in table:
            continue
        tv = table[f.indicator]
        if f.label == "ZERO" and tv != 0:
            out.append(Finding("zero_claim_contradiction", f.indicator, 0, tv, "error", k, [f.indicator],
                               f"narrative says none ({f.text}), table says {tv:g}"))
        elif f.label in ("COUNT", "MONEY") and not f.approx and abs(f.value - tv) > 1e-6:
            out.append(Finding("narrative_table_mismatch", f.indicator, f.value, tv, "error", k, [f.indicator],
                               f"narrative {f.text} vs table {tv:g}"))
    if plan.conflict:
        seen = [(k, f) for k, f in enumerate(facts) if f.indicator == plan.conflict]
        ctx = [text[max(0, f.start - 2):f.end + 2] for _, f in (seen[0], seen[-1])] if len(seen) >= 2 else []
        if len(seen) >= 2 and _disjoint(_range_of(seen[0][1], ctx[0]), _range_of(seen[-1][1], ctx[1])):
            k, f = seen[-1]
            out.append(Finding("narrative_conflict", plan.conflict, f.value, None, "warning", k, [plan.conflict],
                               f"narrative states {seen[0][1].value:g} and {f.value:g}"))
    if table:
        out.extend(broken_identities(table, plan.template))
    for cid in missing:
        out.append(Finding("missing_cell", cid, None, None, "warning", None, [cid], "cell left blank"))
    return out


# ------------------------------------------------------------------ public API
SERIES_RATE = 0.25  # share of odd-indexed reports that continue the report before them
CROSS_YEAR_RATE = 0.4  # share of those whose table breaks a cross-year rule


def generate_one(seed: int, index: int, *, error_rate: float = 0.3, truncate_rate: float = 0.35,
                 id_prefix: str = "synth") -> Record:
    """One record, fully determined by ``(seed, index)``.

    An odd index may be the next year's report of the agency at ``index - 1`` (a
    series: its carried-over requests and documents in force continue last year's
    table, now and then with a ``cross_year_mismatch`` injected).  Cross-year findings
    compare reports, so only :func:`generate` adds them."""
    prev = _build(seed, index - 1, error_rate, truncate_rate, id_prefix) if _follows(seed, index) else None
    return _build(seed, index, error_rate, truncate_rate, id_prefix, prev)[0]


def generate(n: int, seed: int = 0, *, error_rate: float = 0.3, truncate_rate: float = 0.35,
             id_prefix: str = "synth") -> list[Record]:
    """``n`` synthetic annotated reports, deterministic for ``seed``."""
    out: list[Record] = []
    built = None
    for i in range(n):
        built = _build(seed, i, error_rate, truncate_rate, id_prefix, built if _follows(seed, i) else None)
        out.append(built[0])
    add_run_cross_year(out)
    return out


def add_run_cross_year(records: list[Record]) -> None:
    """Cross-year findings belong to a run, not to one report: series reports, and two
    independent reports that happen to name one agency in consecutive years, are
    compared as ``govreport check`` compares them (the first report of an agency and
    year stands for it; a report without a title names no agency to pair by)."""
    by_key: dict[tuple[str, int], Record] = {}
    for r in records:
        if r.agency and r.year and r.notes.get("title") != "none":
            by_key.setdefault((r.agency, r.year), r)
    for (agency, year), rec in by_key.items():
        prev = by_key.get((agency, year - 1))
        if prev is None:
            continue
        found = cross_year_findings(rec, prev)
        rec.findings.extend(found)
        if found:
            rec.notes["injected"] = sorted({*rec.notes["injected"], "cross_year_mismatch"})


def _follows(seed: int, index: int) -> bool:
    return index % 2 == 1 and random.Random(f"{seed}:{index}:series").random() < SERIES_RATE


def _build(seed: int, index: int, error_rate: float, truncate_rate: float, id_prefix: str,
           prev: tuple[Record, Plan] | None = None) -> tuple[Record, Plan]:
    rng = random.Random(f"{seed}:{index}")
    truncated = rng.random() < truncate_rate
    series = prev is not None and _can_continue(prev[1])
    plan = make_next_plan(rng, prev[1]) if series else make_plan(rng, truncated)
    truncated = truncated and not series
    injected: list[dict] = []
    if series and rng.random() < CROSS_YEAR_RATE:
        injected.append(inject_cross_year(plan))
    if not truncated and rng.random() < error_rate:
        kinds = rng.choices(ERROR_TYPES, [0.3, 0.2, 0.2, 0.15, 0.15], k=1 if rng.random() < 0.85 else 2)
        for kind in dict.fromkeys(kinds):
            injected.append(inject(plan, kind))
    if plan.style.get("force_review"):
        plan.style["section_narrative_rate"] = 1.0
    b = Builder()
    DocWriter(b, plan).document()
    cut = None
    if truncated:
        cut = rng.randint(620, 1000) if rng.random() < 0.7 else rng.randint(400, 1600)
        zeros = [f for f in b.facts if f.label == "ZERO" and 300 <= f.start and f.end <= 1700]
        if zeros and rng.random() < 0.2:  # the page ends inside a zero claim: not a fact
            z = rng.choice(zeros)
            cut = rng.randint(z.start + 1, z.end - 1)
        else:
            text = b.text()
            rows = [m.start() for m in re.finditer(r"(?m)^\t?(?:一、本年新收|二、上年结转|三、本年度办理|四、结转下年度)", text)
                    if 300 <= m.start() <= 1700]
            if rows and rng.random() < 0.3:  # the page ends inside a table row label (一、本…)
                start = rng.choice(rows)
                cut = start + rng.randint(2, 6)
    record = finish(plan, b, f"{id_prefix}-{seed}-{index:05d}", injected, cut)
    if series:
        record.notes["follows"] = prev[0].id
    return record, plan


# ------------------------------------------------------------------ series (cross-year)
def _can_continue(prev: Plan) -> bool:
    # the title must name agency and year: that is how a reader (and `check`) pairs reports
    return prev.year < 2025 and prev.style["title"] != "none"


def make_next_plan(rng: random.Random, prev: Plan) -> Plan:
    """The same agency's report of the following year, its table continuing ``prev``'s."""
    plan = make_plan(rng, truncated=False)
    plan.year = prev.year + 1
    plan.template = "2019" if plan.year <= 2020 else "2021"
    for attr in ("level", "agency", "short", "we", "kind", "place", "place2", "brand", "site"):
        setattr(plan, attr, getattr(prev, attr))
    plan.style["title"] = prev.style["title"]
    plan.table = make_table(rng, plan.template, plan.kind)
    carry_over(plan.table, prev.table, plan.template)
    return plan


def carry_over(t: dict, prev: dict, template: str) -> None:
    """Make ``t`` continue last year's table ``prev``: requests carried over equal last
    year's carried forward (column by column, identities kept), and documents in force
    equal last year's plus issued minus repealed."""
    for c in APPLICANTS:
        _set_carried_over(t, template, c, int(prev[f"requests.carried_forward.{c}"]))
    for row in ("normative", "rules"):
        key = f"active.{row}.in_force"
        if key in t and key in prev:
            issued = t[f"active.{row}.issued"]
            t[f"active.{row}.repealed"] = min(t[f"active.{row}.repealed"], prev[key] + issued)
            t[key] = prev[key] + issued - t[f"active.{row}.repealed"]


def _set_carried_over(t: dict, template: str, col: str, value: int) -> None:
    """Set one column's carried-over count; carried forward and the outcome rows absorb
    the change so new + carried over = outcomes + carried forward still holds."""
    rows = _outcome_rows(template)
    t[f"requests.carried_over.{col}"] = value
    pool = t[f"requests.new.{col}"] + value
    forward = min(t[f"requests.carried_forward.{col}"], pool)
    t[f"requests.carried_forward.{col}"] = forward
    need = pool - forward - sum(t[f"requests.{r}.{col}"] for r in rows)
    for r in ["granted"] + sorted(rows, key=lambda r: -t[f"requests.{r}.{col}"]):
        if need == 0:
            break
        step = need if need > 0 else -min(-need, t[f"requests.{r}.{col}"])
        t[f"requests.{r}.{col}"] += step
        need -= step
    t[f"requests.total.{col}"] = pool - forward
    for name in ("carried_over", "total", "carried_forward", *rows):
        t[f"requests.{name}.total"] = sum(t[f"requests.{name}.{c}"] for c in APPLICANTS)


def inject_cross_year(plan: Plan) -> dict[str, Any]:
    """Break one cross-year rule in a series report, keeping its own table consistent."""
    rng, t = plan.rng, plan.table
    if plan.template == "2021" and rng.random() < 0.4:
        key = "active.normative.in_force"
        t[key] = max(0, t[key] + rng.choice([-3, -2, -1, 1, 2, 5, 10])) if t[key] else rng.randint(1, 20)
        return {"type": "cross_year_mismatch", "indicator": key}
    col = rng.choice(["natural", "natural", "legal", "commercial"])
    now = t[f"requests.carried_over.{col}"]
    _set_carried_over(t, plan.template, col, max(0, now + rng.choice([-2, -1, 1, 1, 2, 3])) if now else rng.randint(1, 3))
    return {"type": "cross_year_mismatch", "indicator": "requests.carried_over.total"}


def cross_year_findings(record: Record, prev: Record) -> list[Finding]:
    """What a reader holding both reports flags: the rules of indicators.md, on the
    cells each report prints (a blank or unprinted cell cannot be compared)."""
    from nlp.indicators import registry

    out = []
    for rule in registry().cross_year:
        this, last = record.table.get(rule.this_year), prev.table.get(rule.last_year)
        plus = [record.table.get(i) for i in rule.plus]
        minus = [record.table.get(i) for i in rule.minus]
        if this is None or last is None or None in plus or None in minus:
            continue
        expected = last + sum(plus) - sum(minus)
        if abs(this - expected) > 1e-6:
            out.append(Finding("cross_year_mismatch", rule.this_year, None, this, "warning", None,
                               [rule.this_year, *rule.plus, *rule.minus],
                               f"{rule.title}: {this:g}, last year's report implies {expected:g}"))
    return out


# ------------------------------------------------------------------ files
# The shipped splits: distinct seeds so no document repeats across splits.
SPLITS = {"train": (1500, 1001), "dev": (200, 2002), "test": (300, 3003)}


def dumps(record: Record) -> str:
    """One compact JSON line (the corpus is large; separators without spaces)."""
    import json

    return json.dumps(record.to_dict(), ensure_ascii=False, separators=(",", ":"))


def render_blocks(record: Record) -> list:
    """The record's text as render blocks (paragraphs + table grids), via the readers."""
    from nlp.pipeline import document_from_text
    from nlp.render import blocks_from_document

    return blocks_from_document(document_from_text(record.text, record.id))


def write_documents(records: list[Record], out_dir, formats: list[str]) -> int:
    """Write each record as ``<id>.<fmt>`` under ``out_dir/<fmt>/``; returns files written."""
    from pathlib import Path

    out = Path(out_dir)
    written = 0
    for fmt in formats:
        if fmt not in ("txt", "docx", "html", "pdf"):
            raise ValueError(f"unknown format {fmt!r}; expected txt, docx, html or pdf")
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for rec in records:
        blocks = None
        for fmt in formats:
            path = out / fmt / f"{rec.id}.{fmt}"
            if fmt == "txt":
                path.write_text(rec.text, encoding="utf-8")
            else:
                from nlp import render

                blocks = blocks if blocks is not None else render_blocks(rec)
                {"docx": render.render_docx, "html": render.render_html, "pdf": render.render_pdf}[fmt](blocks, path)
            written += 1
    return written


def write_corpus(out_dir, n: int, seed: int, *, name: str = "synth.jsonl", formats: list[str] | None = None,
                 error_rate: float = 0.3, truncate_rate: float = 0.35, id_prefix: str = "synth"):
    """Generate ``n`` records into ``out_dir/name`` (JSONL) and optionally rendered files."""
    from pathlib import Path

    from nlp.persist import atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = generate(n, seed, error_rate=error_rate, truncate_rate=truncate_rate, id_prefix=id_prefix)
    atomic_write_text(out / name, "".join(dumps(r) + "\n" for r in records))
    if formats:
        write_documents(records, out, formats)
    return out / name


def write_splits(out_dir="corpus/synth", *, formats: list[str] | None = None) -> list:
    """Regenerate the shipped train/dev/test splits (seeds in ``SPLITS``)."""
    return [write_corpus(out_dir, n, seed, name=f"{split}.jsonl", formats=formats, id_prefix=f"synth-{split}")
            for split, (n, seed) in SPLITS.items()]


# ------------------------------------------------------------------ distribution
def distribution(records: list[Record]) -> dict[str, dict[str, int]]:
    """How often each label, indicator, phrasing family, layout and injection occurs.

    Families count documents (``notes.families``); indicators and labels count facts.
    """
    from collections import Counter

    out: dict[str, Counter] = {k: Counter() for k in ("labels", "indicators", "families", "layouts", "injected")}
    for r in records:
        notes = r.notes if isinstance(r.notes, dict) else {}
        out["layouts"][notes.get("layout", "?")] += 1
        out["families"].update(notes.get("families", []))
        out["injected"].update(notes.get("injected", []))
        for f in r.facts:
            out["labels"][f.label] += 1
            out["indicators"][f.indicator or "null"] += 1
    return {k: dict(v.most_common()) for k, v in out.items()}


if __name__ == "__main__":  # python -m nlp.corpus.synth corpus/synth/train.jsonl
    import json
    import sys

    from nlp.corpus import load_records

    for path in sys.argv[1:]:
        print(path)
        for key, counts in distribution(load_records(path)).items():
            print(f"  {key}: " + json.dumps(counts, ensure_ascii=False))
