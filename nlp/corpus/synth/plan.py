"""What a report will contain: agency, year, template, table values, style, and the
inconsistencies injected into it (decided before a word is written)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from nlp.corpus.synth.common import phrases, rng_choice, words
from nlp.corpus.synth.values import add_requests, carry_over, draw_narrative, make_table, set_carried_over


ERROR_TYPES = ("narrative_table_mismatch", "zero_claim_contradiction", "identity_violation",
               "missing_cell", "narrative_conflict")


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


def _place(rng: random.Random, level: str) -> tuple[str, str, str]:
    """(prefix used in the agency name, bare place name for brands, province)."""
    p, w = phrases()["places"], words()["place"]
    prov = rng.choice(p["provinces"])
    a, b = rng.choice(p["city_a"]), rng.choice(p["city_b"])
    city = a + b
    if level == "province":
        name = prov
        bare = prov
        for part in w["province_strip"]:
            bare = bare.replace(part, "")
        return name, bare[:2], prov
    if level == "city":
        return city + w["city"], city, prov
    if level == "county":
        suffix = rng.choice(p["county_suffix"])
        if rng.random() < 0.35:
            county = rng.choice(p["district_words"]) + w["district"]
            return (city + w["city"] + county if rng.random() < 0.5 else county), county[:-1], prov
        c2 = rng.choice(p["city_a"]) + rng.choice(p["city_b"])
        return c2 + suffix, c2, prov
    # township
    c2 = rng.choice(p["city_a"]) + rng.choice(p["city_b"])
    return c2, c2, prov


def _agency(rng: random.Random) -> dict[str, Any]:
    p, w = phrases(), words()
    level = rng.choices(["national", "province", "city", "county"], [0.04, 0.14, 0.38, 0.44])[0]
    if level == "national":
        name = rng.choice(p["national_agencies"])
        nat = w["national"]
        short = name.replace(nat["short_from"], nat["short_to"])
        return dict(level=level, agency=name, short=short, we=[*nat["we"], short],
                    kind="national", place=nat["place"], place2=nat["place2"])
    spec = rng.choice(p["agencies"])
    if spec["kind"] == "township":
        prefix, bare, _ = _place(rng, "county")
        town = rng.choice(p["places"]["city_a"]) + rng.choice(p["places"]["city_b"])
        ts = w["township"]
        if spec["name"] == ts["government"]:
            suf = rng.choice(ts["suffixes"])
            name = ts["government_name"].format(prefix=prefix, town=town, suf=suf)
            short = ts["government_short"].format(town=town, suf=suf)
            we = [x.format(suf=suf) for x in ts["government_we"]] + [short]
        else:
            name = ts["subdistrict_name"].format(prefix=prefix, town=town)
            short = ts["subdistrict_short"].format(town=town)
            we = list(ts["subdistrict_we"])
        return dict(level="county", agency=name, short=short, we=we, kind="township",
                    place=prefix, place2=town)
    if level == "province" and spec["name"] in (w["township"]["government"], w["township"]["subdistrict"]):
        level = "city"
    prefix, bare, _ = _place(rng, level)
    name = prefix + spec["name"]
    pw = w["place"]
    lvl = {"province": pw["province"], "city": pw["city"],
           "county": prefix[-1] if prefix[-1] in pw["county_levels"] else pw["county_default"]}[level]
    if level == "province" and pw["autonomous_region"] in prefix:
        lvl = pw["autonomous_region"]
    short = lvl + rng.choice(spec["alt"])
    gov = w["government"]
    if spec["name"] == gov["name"]:
        short = gov["short"].format(prefix=prefix)
        we = [x.format(lvl=lvl) for x in gov["we"]]
        return dict(level=level, agency=name, short=short, we=we, kind=spec["kind"], place=prefix, place2=bare)
    return dict(level=level, agency=name, short=short, we=list(spec["we"]), kind=spec["kind"],
                place=prefix, place2=bare)


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
    bare = ag["place2"] or words()["place"]["local"]
    brand = rng_choice(rng, phrases()["brand_forms"]).format(brand=rng.choice(phrases()["brands"]), place2=bare)
    site = rng_choice(rng, [s.format(place=ag["place"], bare=bare, short=ag["short"]) for s in words()["sites"]])
    return Plan(rng=rng, year=year, template=template, level=ag["level"], agency=ag["agency"],
                short=ag["short"], we=ag["we"], kind=ag["kind"], place=ag["place"], place2=bare,
                brand=brand, site=site, table=table, style=make_style(rng, truncated))


def can_continue(prev: Plan) -> bool:
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


def inject_cross_year(plan: Plan) -> dict[str, Any]:
    """Break one cross-year rule in a series report, keeping its own table consistent."""
    rng, t = plan.rng, plan.table
    if plan.template == "2021" and rng.random() < 0.4:
        key = "active.normative.in_force"
        t[key] = max(0, t[key] + rng.choice([-3, -2, -1, 1, 2, 5, 10])) if t[key] else rng.randint(1, 20)
        return {"type": "cross_year_mismatch", "indicator": key}
    col = rng.choice(["natural", "natural", "legal", "commercial"])
    now = t[f"requests.carried_over.{col}"]
    set_carried_over(t, plan.template, col, max(0, now + rng.choice([-2, -1, 1, 1, 2, 3])) if now else rng.randint(1, 3))
    return {"type": "cross_year_mismatch", "indicator": "requests.carried_over.total"}
