"""Sentences: template slots filled with figures (written as reports write them), zero
claims, comparisons with last year, composed phrasings."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from nlp.corpus.synth.builder import Builder
from nlp.corpus.synth.common import NUMERALS, cn_int, narrative_topics, phrases, rng_choice, trim_decimal, words
from nlp.corpus.synth.plan import Plan
from nlp.corpus.synth.values import draw_narrative
from nlp import lexicon
from nlp.indicators import composite_parts, is_composite
from nlp.lexicon import Qualifier


APPROX = words()["approx"]


@dataclass
class Written:
    """A number as written: text outside before the span, span text, value, approx."""

    before: str
    span: str
    value: float | int
    approx: bool


def qualifiers_of(kind: str) -> list[Qualifier]:
    """The lexicon's qualifiers a drawn approximation ``kind`` writes (近余: 近 and 余)."""
    if kind == APPROX["both"]:
        return [lexicon.qualifier_words("before")[APPROX["both_before"]],
                lexicon.qualifier_words("inside")[APPROX["both_inside"]]]
    position = "inside" if kind in lexicon.qualifier_words("inside") else "after" if kind in lexicon.qualifier_words("after") else "before"
    return [lexicon.qualifier_words(position)[kind]]


def approx_figure(value: int, quals: list[Qualifier]) -> int | None:
    """The round figure (two significant digits) to write ``value`` with ``quals``: the
    nearest if every qualifier allows it (as the generator always wrote), else rounded
    down, else up; ``None`` when no round figure is allowed by all of them.

    >>> w = lexicon.qualifier_words
    >>> approx_figure(149, [w("inside")["余"]]), approx_figure(149, [w("before")["近"]])
    (140, 150)
    >>> approx_figure(147, [w("before")["约"]]), approx_figure(147, [w("before")["近"], w("inside")["余"]])
    (150, None)
    """
    digits = len(str(value))
    if digits <= 2:
        candidates = [value]
    else:
        step = 10 ** (digits - 2)
        candidates = [int(round(value, -(digits - 2))), value // step * step, -(-value // step) * step]
    for figure in candidates:
        figure = max(figure, 10)
        if all(q.allows(figure, value) for q in quals):
            return figure
    return None


def write_count(value: int, unit: str, rng: random.Random, *, approx_ok: bool, style: dict) -> Written:
    """Write a count with its unit; ``value`` of the result is what the span states.

    An approximate figure is written so that its qualifiers (``qualifiers.yaml``) allow
    the true count ``value``: 140余 for 149, 近150 for 149, 约150 for 147."""
    sp = " " if style.get("spaced_numbers") else ""
    r = rng.random()
    if approx_ok and value >= 20 and r < 0.35:
        kind = rng.choice(APPROX["draws"])
        base = approx_figure(value, qualifiers_of(kind))
        if base is None:  # 近…余 only fits a round count: the inside word alone then
            kind = APPROX["both_inside"]
            base = approx_figure(value, qualifiers_of(kind))
        if base >= 10000 and rng.random() < 0.6:
            num = trim_decimal(base / 10000, 2) + NUMERALS["wan"]
            base = int(round(float(num[:-1]) * 10000))
        else:
            num = str(base)
        if kind in lexicon.qualifier_words("inside"):
            return Written("", f"{num}{kind}{unit}", base, True)
        if kind == APPROX["both"]:  # qualifiers on both sides: 近150余人
            return Written(APPROX["both_before"], f"{num}{APPROX['both_inside']}{unit}", base, True)
        if kind in lexicon.qualifier_words("after"):
            return Written("", f"{num}{unit}{kind}", base, True)
        return Written(kind, f"{num}{unit}", base, True)
    if value >= 10000 and r < 0.55:
        num = trim_decimal(value / 10000, 4)
        if float(num) * 10000 == value:
            return Written("", f"{num}{NUMERALS['wan']}{unit}", value, False)
        num = trim_decimal(value / 10000, 2)
        shown = int(round(float(num) * 10000))
        wan_inside = lexicon.qualifier_words("inside")[APPROX["wan_inside"]]
        if not wan_inside.allows(shown, value):  # 3.47万余 for 34690 would claim at least 34700
            shown = value // 100 * 100
            num = trim_decimal(shown / 10000, 2)
        if approx_ok:
            return Written("", f"{num}{NUMERALS['wan']}{APPROX['wan_inside']}{unit}", shown, True)
    cn_rate = style.get("cn_rate", 0.1)
    if unit in NUMERALS["word_counters"] and value <= 10:
        cn_rate = max(cn_rate, 0.45)  # 一名专职人员, 两个账号
    if 0 < value < 100 and rng.random() < cn_rate:
        num = NUMERALS["two"] if value == 2 and rng.random() < 0.7 else cn_int(value)
        return Written("", f"{num}{unit}", value, False)
    num = str(value)
    if value >= 1000 and rng.random() < style.get("comma_rate", 0.0):
        num = f"{value:,}"
    return Written(sp, f"{num}{sp}{unit}", value, False)


SLOT_RE = re.compile(r"\{([cmpz]):([^{}]*)\}|\{(Y\+1|Y-1|Y|we|short|org|place|place2|brand|site|phone|dd|m1|idx|road|no|postcode|webname|mpname|outlet|kind|kinds)\}")


NAME_SLOT_RE = re.compile(r"\{(place|place2|short|brand)\}")
CHANNEL_VARS = {"webname": "web", "mpname": "new_media", "outlet": "outlets"}  # slot → channel_names list


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
            return rng_choice(rng, words()["roads"])
        if name == "no":
            return str(rng.randint(1, 399))
        if name in CHANNEL_VARS:
            return self.names(rng_choice(rng, words()["channel_names"][CHANNEL_VARS[name]]))
        if name == "kind":
            kinds = words()["info_kinds"]
            return rng_choice(rng, kinds["kinds"]) + rng_choice(rng, kinds["endings"])
        if name == "kinds":
            kinds = words()["info_kinds"]
            return "、".join(rng.sample(kinds["listed"] + kinds["kinds"], rng.randint(2, 4)))
        return {"short": p.short, "org": p.agency, "place": p.place, "place2": p.place2,
                "brand": p.brand, "site": p.site}[name]

    def names(self, s: str) -> str:
        """A name from the word lists with its own slots filled (“{brand}”微信公众号)."""
        return NAME_SLOT_RE.sub(lambda m: self.var(m.group(1)), s)

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
            # the words closing a template after its figure name what it counts (办理4件
            # …政府信息公开申请): a page break there would part a figure from its object
            self.lit(self.expand_vars(tpl[pos:]), noisy and not self.last_count)
        elif self.last_count and self.rng.random() < self.plan.style.get("yoy_rate", 0):
            self.comparison(*self.last_count)
        self.last_count = None

    def comparison(self, value: int, unit: str) -> None:
        """…，同比增加N件 / 较上年减少N% / 与上年持平 after a count (the change is a fact)."""
        rng, b = self.rng, self.b
        self.plan.families.append("fact.yoy")
        r = rng.random()
        if r < 0.15:
            b.put(rng_choice(rng, words()["yoy"]["same"]))
            return
        word = rng_choice(rng, words()["yoy"]["words"])
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
        self.plan.families.append("num.approx" if w.approx else "num.cn" if w.span[:1] and w.span[0] in NUMERALS["word_digits"] else "num.wan" if NUMERALS["wan"] in w.span else "num.arabic")

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


def plain_totals() -> list[str]:
    """The year's total in plain words: one closing a list of kinds (…等信息N条) or naming
    the portal may count less than the total, so a smaller figure restated would not
    contradict it (the reconciler's ``list_total`` scope) — an injected conflict uses these."""
    return [t for t in phrases()["facts"]["active_total"] if "{kinds}" not in t and "{webname}" not in t]


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
        # the object after the figure: one the figure's clause reaches (a 、 ends the clause
        # the linker reads, so 4件公民、法人…申请 would name nothing; see nlp.link.candidates)
        objects = [o for o in r["object"] if "、" not in o]
        return f"{ch(c['time'])}{we}{ch(r['verb'])}{{c:requests.new.total:{unit}}}{ch(objects)}"
    if key == "req_zero":
        z = c["zero_received"]
        return f"{ch(c['time'])}{we}{{z:requests.new.total:{ch(z['neg'])}{ch(z['object'])}}}"
    if key == "review_zero_all":
        z = c["zero_review"]
        tail = ch(z["tail"])
        span = f"{ch(z['neg'])}{ch(z['cause'])}{ch(z['both'])}{tail}"
        after = "" if tail else ch(z["after"])  # 的问题 stays outside the claim
        return f"{ch(words()['combos']['review_time'])}{{z:review.total+litigation.direct.total+litigation.after_review.total:{span}}}{after}"
    if key == "req_done":
        cw = words()["combos"]
        return f"{ch(cw['done_time'])}{ch(c['done']['verb'])}{{c:requests.total.total:{cw['done_unit']}}}"
    if key == "active_total":
        a = c["active"]
        return f"{ch(c['time'])}{we}{ch(a['verb'])}{ch(a['object'])}{{c:narrative.active.items:{ch(a['unit'])}:a}}"
    m = c["media"]
    return f"{ch(m['channel'])}{ch(m['verb'])}{{c:narrative.new_media.posts:{ch(m['unit'])}:a}}"
