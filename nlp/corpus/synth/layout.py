"""Layouts: the three tables as tabs, one cell per line, pipes or plain lines, and the
punctuation style of a whole text."""

from __future__ import annotations

import random

from nlp.corpus.synth.builder import Builder
from nlp.corpus.synth.common import rng_choice, trim_decimal, words
from nlp.corpus.synth.plan import Plan
from nlp.corpus.synth.values import APPLICANTS, outcome_rows
from nlp.indicators import INDICATORS


Cell_ = tuple[str, "str | None"]  # (text, table id or None)


TABLES = words()["tables"]


def _table2_ids(template: str) -> list[list[list[str]]]:
    """The cell ids of table 2, block by block and row by row (labels: ``synth.yaml``)."""
    if template == "2021":
        cols = ["issued", "repealed", "in_force"]
        return [[[f"active.rules.{c}" for c in cols], [f"active.normative.{c}" for c in cols]],
                [["active.licensing.decisions"]],
                [["active.penalty.decisions"], ["active.coercion.decisions"]],
                [["active.fees.amount"]]]
    cols = ["made", "published", "total_published"]
    three = ["prev_items", "change", "decisions"]
    return [[[f"active.rules.{c}" for c in cols], [f"active.normative.{c}" for c in cols]],
            [[f"active.licensing.{c}" for c in three], [f"active.other_services.{c}" for c in three]],
            [[f"active.penalty.{c}" for c in three], [f"active.coercion.{c}" for c in three]],
            [["active.fees.prev_items", "active.fees.change"]],
            [["active.procurement.count", "active.procurement.amount"]]]


def table2_blocks(template: str) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """(article row, header cells, [(row label, cell ids)]) per block of table 2."""
    return [(article, list(header), list(zip(labels, ids)))
            for (article, header, labels), ids in zip(TABLES["table2"][template], _table2_ids(template))]


# row id → (part label, group label, reason label); None: merged with the cell above
T3_LABELS = {row: tuple(labels) for row, labels in TABLES["table3"]["labels"].items()}
T3_NOTE = TABLES["table3"]["note"]
T4_IDS = [f"{g}.{o}" for g in ("review", "litigation.direct", "litigation.after_review")
          for o in ("upheld", "corrected", "other", "pending", "total")]
T4_OUT = [INDICATORS[i].column for i in T4_IDS[:5]]  # the outcome labels, from the registry


def table3_rows(template: str) -> list[tuple[list[str], str]]:
    """[(label cells (1–3, '' for merged), row id)] of table 3."""
    t3 = TABLES["table3"]
    rows: list[tuple[list[str], str]] = [([t3["new"]], "new"), ([t3["carried_over"]], "carried_over")]
    for row in outcome_rows(template) + ["total"]:
        a, b, c = T3_LABELS[row]
        rows.append(([a or "", b or "", c] if c else [a or "", b or ""], row))
    rows.append(([t3["carried_forward"]], "carried_forward"))
    return rows


BREAKABLE = frozenset(TABLES["breakable"])


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
            right, misprint = TABLES["table2"]["misprint"]
            if tpl == "2021" and hdr[2:3] == [right] and self.rng.random() < 0.05:
                hdr[2] = misprint
            if self.plan.style.get("ascii_unit_colon"):
                hdr = [h.replace(*TABLES["table2"]["unit_colon"]) for h in hdr]
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
        t3 = TABLES["table3"]
        applicants, natural, orgs, total = t3["applicants"], t3["natural"], t3["organisations"], t3["total"]
        kinds = t3["organisation_kinds"]
        if self.layout == "tabs":
            self.row([(T3_NOTE, None), ("", None), (applicants, None)] + [("", None)] * 5 + [(total, None), ("", None)], sec)
            self.row([("", None), ("", None), (natural, None), (orgs, None)] + [("", None)] * 6, sec)
            self.row([("", None)] * 3 + [(x, None) for x in kinds] + [("", None)] * 2, sec)
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
            self.row([(T3_NOTE, None), (applicants, None)], sec)
            self.row([("", None), (natural, None), (orgs, None), (total, None)], sec)
            self.row([("", None), ("", None)] + [(x, None) for x in kinds], sec)
            for labels, rid in rows:
                self.row([(x, None) for x in labels if x] + [("", f"requests.{rid}.{c}") for c in cols], sec)
            return
        self.row([(T3_NOTE, None), (applicants, None)], sec)
        self.row([("", None), (natural, None), (orgs, None), (total, None)], sec)
        self.row([("", None), ("", None)] + [(x, None) for x in kinds] + [("", None)], sec)
        for labels, rid in rows:
            lab = [(x, None) for x in labels]
            if rid == "granted" and self.layout == "cells":
                lab = [(x, None) for x in labels]
            self.row(lab + [("", f"requests.{rid}.{c}") for c in cols], sec)

    def table4(self) -> None:
        sec = "review"
        t4 = TABLES["table4"]
        out = list(T4_OUT)
        if self.spaced_labels:  # 结果 维持, 尚未 审结
            for plain, spaced in t4["spaced"]:
                out = [o.replace(plain, spaced) for o in out]
        review, litigation, direct, after_review = t4["review"], t4["litigation"], t4["direct"], t4["after_review"]
        vals = [("", i) for i in T4_IDS]
        if self.layout == "tabs":
            self.row([(review, None)] + [("", None)] * 4 + [(litigation, None)] + [("", None)] * 9, sec)
            self.row([(o, None) for o in out] + [(direct, None)] + [("", None)] * 4 + [(after_review, None)] + [("", None)] * 3, sec)
            self.row([("", None)] * 5 + [(o, None) for o in out] * 2, sec)
            self.row(vals, sec)
            return
        if self.layout == "pipes":
            self.row([(review, None), (litigation, None)], sec)
            self.row([(o, None) for o in out] + [(direct, None), (after_review, None)], sec)
            self.row([(o, None) for o in out] * 2, sec)
            self.row(vals, sec)
            return
        self.row([(review, None), (litigation, None)], sec)
        self.row([(o, None) for o in out] + [(direct, None), (after_review, None)], sec)
        self.row([("", None)] * 5 + [(o, None) for o in out] * 2, sec)
        self.row(vals, sec)


ASCII_PUNCT = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


def punctuate(text: str, style: str, rng: random.Random) -> str:
    if style == "full":
        return text
    if style == "ascii":
        return text.translate(ASCII_PUNCT)
    lines = text.split("\n")
    return "\n".join(ln.translate(ASCII_PUNCT) if rng.random() < 0.5 else ln for ln in lines)
