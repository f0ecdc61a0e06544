"""A whole report, section by section: title block, 总体情况 (headed by its topics, flat or
lying in the preamble), the table sections, problems and other matters, signature."""

from __future__ import annotations

from nlp.corpus.synth.common import SECTION_NO, phrases, rng_choice, words
from nlp.corpus.synth.layout import TableWriter
from nlp.corpus.synth.narrative import plain_totals
from nlp.corpus.synth.paragraphs import LEADS, Paragraphs


class DocWriter(Paragraphs):
    """Writes a whole report section by section."""

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
            self.conflicting_mention()
        if st["signature"]:
            self.signature()
        for _ in range(st["trail_blank"]):
            self.b.begin(self.b.section)

    # --- title and headings
    def title_block(self) -> None:
        st = self.plan.style
        for _ in range(st["lead_blank"]):
            self.b.begin("title")
        # realdev convention for scraped pages: the page's first line fills the title slot;
        # further furniture is preamble, and so is the report's own title (a heading) after
        # it — but not right under one line of furniture (a breadcrumb, 登录 | 注册): then it
        # is the title block's second line, as the annotations of real pages write it.
        for k, line in enumerate(st["chrome_before"]):
            self.b.begin("title" if k == 0 else "preamble")
            self.fill(line, noisy=False)
            if st["blank_between"]:
                self.b.blank()
        if st["title"] != "none":
            self.title("preamble" if len(st["chrome_before"]) > 1 else "title")
        for line in st["chrome_after"]:
            self.b.begin("preamble")
            self.fill(line, noisy=False)
        if st["preamble"]:
            self.new_par("preamble")
            self.fill(rng_choice(self.rng, phrases()["preambles"]))

    def title(self, section: str) -> None:
        """The report's title, on one line or two (a ``|`` in the template splits it)."""
        rng, st = self.rng, self.plan.style
        tpl = rng_choice(rng, phrases()["titles"]["two_lines" if st["title"] == "two" else "one_line"])
        if st.get("title_spaces"):
            for plain, spaced in words()["title_spacing"]:
                tpl = tpl.replace(plain, spaced)
        for k, part in enumerate(tpl.split("|")):
            if k and rng.random() < 0.4:
                self.b.begin(section)
            self.b.begin(section, True)
            self.fill(part.strip() if k else part, noisy=False)
        if st["blank_between"]:
            self.b.blank()

    def signature(self) -> None:
        """The agency's name and the date under the report."""
        self.par_gap()
        self.b.begin(self.b.section)
        self.b.put(self.plan.agency)
        self.b.begin(self.b.section)
        month = self.rng.randint(1, 3)
        self.fill(words()["signature_date"].format(m=month, d=self.rng.randint(1, 28)), noisy=False)

    def heading(self, section: str, idx: int, text: str | None = None) -> None:
        """A numbered section heading (一、总体情况), its label drawn unless given."""
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

    # --- 总体情况
    def overview(self) -> None:
        kind = self.plan.style["overview"]
        if kind == "lying":
            self.overview_lying()
            return
        self.heading("overview", 0)
        self.overview_intro()
        topics = self.overview_topics()
        if kind == "flat":
            for _, fn in topics:
                self.new_par("overview")
                fn()
            return
        for k, (name, fn) in enumerate(topics):
            self.topic_heading(k, name)
            fn()

    def overview_lying(self) -> None:
        """seed-001 style: no 一、总体情况; the intro paragraph is the preamble, two
        numbered topics, then （一）…（三） paragraphs."""
        rng = self.rng
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

    def overview_intro(self) -> None:
        """Introductory sentences: on the heading's own line or a paragraph of their own."""
        rng, st = self.rng, self.plan.style
        run_intro = rng.random() < 0.12
        if run_intro:  # heading runs into the first sentence
            self.b.put(rng_choice(rng, ["", "：", " "]))
            self.filler("overview_intro", 1)
        elif rng.random() < (0.3 if st.get("short_overview") else 0.8):
            self.new_par("overview")
            self.filler("overview_intro", rng.randint(1, 4))

    def overview_topics(self) -> list:
        """(name, paragraph writer) of the topics this 总体情况 covers, in order."""
        rng, st = self.rng, self.plan.style
        topics = [("active", self.para_active), ("requests", self.para_requests),
                  ("management", self.para_management), ("platform", self.para_platform),
                  ("supervision", self.para_supervision)]
        if st.get("short_overview"):  # a terse 总体情况: a scraped cut lands in the tables
            topics = topics[:rng.randint(1, 2)]
        elif rng.random() < 0.25:
            topics = topics[:rng.randint(2, 4)]
        if rng.random() < 0.08:
            topics.append(("assessment", self.para_supervision))
        return topics

    def topic_heading(self, k: int, name: str) -> None:
        """（一）主动公开情况 and its kin, on a line of its own or running into the text."""
        rng, style = self.rng, self.plan.style["sub_style"]
        label = rng_choice(rng, phrases()["subtopics"][name])
        head = {"paren_line": f"（{SECTION_NO[k]}）{label}", "paren_run": f"（{SECTION_NO[k]}）{label}。",
                "paren_colon": f"（{SECTION_NO[k]}） {label}：", "num_run": f"{k + 1}.{label}。",
                "num_line": f"{k + 1}.{label}",
                "shi_run": words()["enumerators"]["shi_run"].format(cn=SECTION_NO[k], label=label),
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

    # --- the table sections, problems, other matters
    def section_tables(self, idx: int, section: str, which: str, layout: str) -> None:
        p, rng = self.plan, self.rng
        self.heading(section, idx)
        if which in p.style["drop_tables"]:
            self.new_par(section)
            self.b.put(rng_choice(rng, words()["tables_omitted"]))
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
        if r > 0.88:
            self.other_points()
            if not p.conflict:
                return
            r = 0.5
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
            self.sentence([self.pick("open_days")], lead=LEADS["open_days"])
        if p.conflict:
            self.new_par("other")
            self.conflicting_mention()

    def other_points(self) -> None:
        """（一）工作要点落实情况 1.…。 （二）信息处理费收取情况。…"""
        rng = self.rng
        self.par_gap()
        self.b.begin("other", True)
        self.fill(rng_choice(rng, words()["other_section"]["points"]), noisy=False)
        for k in range(rng.randint(2, 4)):
            self.new_par("other")
            self.b.labels[-1].heading = True
            self.b.put(f"{k + 1}.")
            self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
            self.filler(rng_choice(rng, ["active", "management", "platform", "supervision"]), 1)
        self.new_par("other")
        self.b.labels[-1].heading = True
        self.b.put(rng_choice(rng, words()["other_section"]["fees"]))
        self.sentence([self.pick("fees_some" if rng.random() < 0.1 else "fees_zero")])
        self.done.add("fees")

    def conflicting_mention(self) -> None:
        """The injected narrative conflict: the total stated again, exactly, and smaller."""
        p = self.plan
        self.value_override = {p.conflict: p.narr_override.pop("__conflict_value")}
        self.exact = True
        self.fill(rng_choice(self.rng, plain_totals()))
        self.b.put("。")
        self.value_override, self.exact = {}, False
