"""A whole report, section by section: title block, 总体情况 with its paragraphs, the
table sections, problems and other matters."""

from __future__ import annotations

from nlp.corpus.synth.common import SECTION_NO, narrative_topics, phrases, rng_choice, words
from nlp.corpus.synth.layout import TableWriter
from nlp.corpus.synth.narrative import SLOT_RE, Writer, combo
from nlp.corpus.synth.values import parts_for, split_fast

LEADS = words()["leads"]


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
                for ind, v in zip(ids, parts_for(rng, total, len(ids))):
                    hi = narrative_topics().get(ind, {}).get("range", [0, v])[1]
                    p.narr[ind] = min(v, hi)
                self.b.put(rng_choice(rng, LEADS["active_parts"]))
                sep = rng_choice(rng, ["，", "、", "；"])
                for k, tpl in enumerate(keys):
                    if k:
                        self.b.put(sep)
                    self.fill(tpl)
                p.families.append("fact.active_parts")
            self.b.put("。")
        if not again and rng.random() < 0.3:  # a channel's own count beside the total
            keys = rng.sample(phrases()["facts"]["active_channels"], rng.randint(1, 2))
            self.sentence(keys, lead=rng_choice(rng, LEADS["channels"]))
            p.families.append("fact.active_channels")
        if not again and rng.random() < 0.55:
            keys = rng.sample(phrases()["facts"]["policy"], rng.randint(1, 3))
            self.sentence(keys, lead=rng_choice(rng, LEADS["policy"]))
            p.families.append("fact.policy")
        if not again and rng.random() < 0.35:
            dom = phrases()["domain"]
            pool = dom.get(p.kind) or dom["other"]
            self.sentence(rng.sample(pool, min(len(pool), rng.randint(1, 2))),
                          lead=rng_choice(rng, LEADS["domain"]))
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
                self.sentence(cl, lead=rng_choice(rng, LEADS["normative_2021"]))
        elif rng.random() < 0.25:
            self.sentence([self.pick("normative_2019")], lead=rng_choice(rng, LEADS["normative_2019"]))
        want = [k for k, i in (("licensing", "active.licensing.decisions"), ("penalty", "active.penalty.decisions"))
                if i in must or (p.table.get(i, 0) and rng.random() < 0.3)]
        if "active.coercion.decisions" in must or (p.table.get("active.coercion.decisions") and rng.random() < 0.1):
            want.append("coercion")
        if want:
            self.sentence([self.pick(k) for k in want], lead=rng_choice(rng, LEADS["decisions"]))
        if tpl == "2021" and ("active.fees.amount" in must or (p.table["active.fees.amount"] and rng.random() < 0.2)):
            self.sentence([self.pick("fees_2021")], lead=LEADS["fees"])
        if tpl == "2019" and p.table["active.procurement.count"] and rng.random() < 0.2:
            self.sentence([self.pick("procurement_2019")], lead=LEADS["procurement"])
        if not again and rng.random() < 0.3:  # other work in table words (hard negatives)
            tpl = self.pick("other_work")
            if "proposals.hosted" in tpl:  # 其中主办N件，协办M件 add up to the total
                total = max(2, int(self.value("narrative.active.proposal_replies")))
                p.narr["narrative.active.proposal_replies"] = total
                hosted = rng.randint(1, total - 1)
                p.narr["narrative.proposals.hosted"] = hosted
                p.narr["narrative.proposals.assisted"] = total - hosted
            lead = "" if tpl.startswith(tuple(LEADS["other_work_own"])) else rng_choice(rng, LEADS["other_work"])
            self.sentence([tpl], lead=lead)
        if not again and rng.random() < 0.06:
            self.sentence([self.pick("gazette")], lead=rng_choice(rng, LEADS["gazette"]))
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
            vals = split_fast(rng, total, [5 if c == "online" else 1.5 for c in chans])
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
                    self.b.put(words()["share"])
                    self.fill(f"{{p:narrative.requests.{c}_share}}")
            if lead.startswith("（"):
                self.b.put("）")
            p.families.append("fact.req_channels")
        elif r < 0.32 and total > 1:  # by applicant type
            nat = p.table["requests.new.natural"]
            org = total - nat
            p.narr["narrative.requests.organizations"] = org
            self.b.put(rng_choice(rng, LEADS["applicants"]))
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
                          lead=rng_choice(self.rng, LEADS["other_work_requests"]))

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
        opening = rng_choice(rng, LEADS["review_outcomes"])
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
            enum = rng_choice(rng, words()["enumerators"]["measures"])
            for k in range(rng.randint(2, 4)):
                self.new_par(self.b.section)
                self.b.labels[-1].heading = True
                self.b.put(enum.format(cn=SECTION_NO[k], n=k + 1))
                self.fill(rng_choice(rng, phrases()["filler"]["measures"]))
                self.filler("management", 1)
            return
        self.filler("management", rng.randint(2, 5))
        if rng.random() < 0.35:
            self.sentence([self.pick("cleanup")], lead=rng_choice(rng, LEADS["cleanup"]))

    def para_platform(self) -> None:
        rng = self.rng
        self.filler("platform", rng.randint(2, 5))
        if rng.random() < 0.65:
            keys = rng.sample(phrases()["facts"]["media"], rng.randint(1, 3))
            self.sentence(keys, lead=rng_choice(rng, LEADS["media"]))
            self.plan.families.append("fact.media")

    def para_supervision(self) -> None:
        rng = self.rng
        self.filler("supervision", rng.randint(2, 5))
        if rng.random() < 0.25:
            self.sentence([self.pick("staff")])
        if rng.random() < 0.35:
            self.sentence([self.pick("training")], lead=rng_choice(rng, LEADS["training"]))
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
                    "num_line": f"{k + 1}.{label}", "shi_run": words()["enumerators"]["shi_run"].format(cn=SECTION_NO[k], label=label),
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
        if r > 0.88:  # （一）工作要点落实情况 1.…。 （二）信息处理费收取情况。…
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
            self.sentence([self.pick("open_days")], lead=LEADS["open_days"])
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
                for plain, spaced in words()["title_spacing"]:
                    tpl = tpl.replace(plain, spaced)
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
            month = self.rng.randint(1, 3)
            self.fill(words()["signature_date"].format(m=month, d=self.rng.randint(1, 28)), noisy=False)
        for _ in range(st["trail_blank"]):
            self.b.begin(self.b.section)
