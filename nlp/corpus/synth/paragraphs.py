"""The paragraphs of 总体情况 — active disclosure, requests, review and litigation,
management, platforms, supervision — each a few short sentence writers."""

from __future__ import annotations

from nlp.corpus.synth.common import SECTION_NO, narrative_topics, phrases, rng_choice, words
from nlp.corpus.synth.narrative import SLOT_RE, Writer, combo, plain_totals
from nlp.corpus.synth.values import parts_for, split_fast

LEADS = words()["leads"]


class Paragraphs(Writer):
    """Writes the paragraphs of 总体情况 (each writes sentences on the current line)."""

    # --- active disclosure
    def para_active(self) -> None:
        rng = self.rng
        if rng.random() < 0.85:
            self.filler("active", rng.randint(2, 5))
        again = "active" in self.done  # a second active paragraph states only table cells
        self.done.add("active")
        if not again:
            self.active_total()
            self.active_beside_total()
        self.normative_documents()
        self.decisions()
        self.fees_and_procurement()
        if not again:
            self.active_other_work()

    def active_total(self) -> None:
        """主动公开信息N条, now and then broken down by kind."""
        rng = self.rng
        if not (rng.random() < 0.75 or "narrative.active.items" in self.plan.style["must"]):
            return
        total = int(self.value("narrative.active.items"))
        tpl = self.pick("active_total")
        if self.plan.conflict == "narrative.active.items" and tpl not in plain_totals():
            tpl = rng_choice(rng, plain_totals())  # restated smaller later: both plain totals
        self.fill(tpl)
        r = rng.random()
        if r < 0.5:
            self.active_parts(total)
        elif r < 0.68 and total > 1 and "narrative.website.posts" not in self.plan.narr:
            self.active_channel_split(total)
        self.b.put("。")

    def active_parts(self, total: int) -> None:
        """其中通知公告N条、工作动态N条 …: one figure per topic, together at most the total."""
        p, rng = self.plan, self.rng
        keys = rng.sample(phrases()["facts"]["active_parts"], rng.randint(2, 6))
        by_id = {next(m.group(2) for m in SLOT_RE.finditer(k) if m.group(2)).split(":")[0]: k
                 for k in keys}  # one per topic
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

    def active_channel_split(self, total: int) -> None:
        """…，其中门户网站N条，微信公众号M条: each channel's own count, parts of the total."""
        web, media = parts_for(self.rng, total, 2)
        self.plan.narr["narrative.website.posts"] = max(1, web)
        self.plan.narr["narrative.new_media.posts"] = max(1, media)
        self.fill(self.pick("active_channel_split"))

    def active_beside_total(self) -> None:
        """A channel's own count, policy interpretation, the agency's own field."""
        p, rng = self.plan, self.rng
        if rng.random() < 0.3:  # a channel's own count beside the total
            self.sampled_sentence("active_channels", 2, LEADS["channels"])
        if rng.random() < 0.55:
            self.sampled_sentence("policy", 3, LEADS["policy"])
        if rng.random() < 0.35:
            dom = phrases()["domain"]
            pool = dom.get(p.kind) or dom["other"]
            self.sentence(rng.sample(pool, min(len(pool), rng.randint(1, 2))),
                          lead=rng_choice(rng, LEADS["domain"]))
            p.families.append("fact.domain")

    def sampled_sentence(self, key: str, most: int, leads: list[str]) -> None:
        """One sentence of 1…``most`` clauses drawn from ``facts[key]``."""
        rng = self.rng
        keys = rng.sample(phrases()["facts"][key], rng.randint(1, most))
        self.sentence(keys, lead=rng_choice(rng, leads))
        self.plan.families.append(f"fact.{key}")

    def normative_documents(self) -> None:
        """Documents issued, repealed, in force (2021) or made (2019): table-2 cells."""
        p, rng, must = self.plan, self.rng, self.plan.style["must"]
        if p.template == "2021":
            want_norm = {"active.normative.issued", "active.normative.repealed", "active.normative.in_force"} & must
            if not want_norm and self.is_zero("active.normative.issued") and rng.random() < 0.12:
                self.sentence([self.pick("normative_zero_2021")])  # 未制发行政规范性文件
            elif want_norm or rng.random() < 0.25:
                cl = [self.pick("normative_2021")]
                if p.table["active.normative.repealed"] or "active.normative.repealed" in must:
                    if rng.random() < 0.5 or "active.normative.repealed" in must:
                        cl.append(self.pick("normative_repealed_2021"))
                if rng.random() < 0.35 or "active.normative.in_force" in must:
                    cl.append(self.pick("normative_in_force_2021"))
                self.sentence(cl, lead=rng_choice(rng, LEADS["normative_2021"]))
        elif rng.random() < 0.25:
            self.sentence([self.pick("normative_2019")], lead=rng_choice(rng, LEADS["normative_2019"]))

    def decisions(self) -> None:
        """Licensing, penalty and coercion decisions: table-2 cells."""
        p, rng, must = self.plan, self.rng, self.plan.style["must"]
        want = [k for k, i in (("licensing", "active.licensing.decisions"), ("penalty", "active.penalty.decisions"))
                if i in must or (p.table.get(i, 0) and rng.random() < 0.3)]
        if "active.coercion.decisions" in must or (p.table.get("active.coercion.decisions") and rng.random() < 0.1):
            want.append("coercion")
        if want:
            self.sentence([self.pick(k) for k in want], lead=rng_choice(rng, LEADS["decisions"]))

    def fees_and_procurement(self) -> None:
        p, rng, must = self.plan, self.rng, self.plan.style["must"]
        tpl = p.template
        if tpl == "2021" and ("active.fees.amount" in must or (p.table["active.fees.amount"] and rng.random() < 0.2)):
            self.sentence([self.pick("fees_2021")], lead=LEADS["fees"])
        if tpl == "2019" and p.table["active.procurement.count"] and rng.random() < 0.2:
            self.sentence([self.pick("procurement_2019")], lead=LEADS["procurement"])

    def active_other_work(self) -> None:
        """Other work counted in table words (hard negatives), the gazette, proposals."""
        p, rng = self.plan, self.rng
        if rng.random() < 0.3:  # other work in table words (hard negatives)
            tpl = self.pick("other_work")
            if "proposals.hosted" in tpl:  # 其中主办N件，协办M件 add up to the total
                total = max(2, int(self.value("narrative.active.proposal_replies")))
                p.narr["narrative.active.proposal_replies"] = total
                hosted = rng.randint(1, total - 1)
                p.narr["narrative.proposals.hosted"] = hosted
                p.narr["narrative.proposals.assisted"] = total - hosted
            lead = "" if tpl.startswith(tuple(LEADS["other_work_own"])) else rng_choice(rng, LEADS["other_work"])
            self.sentence([tpl], lead=lead)
        if rng.random() < 0.06:
            self.sentence([self.pick("gazette")], lead=rng_choice(rng, LEADS["gazette"]))
        if rng.random() < 0.12:
            self.done.add("proposals")
            self.sentence([self.pick("proposals")])

    # --- requests
    def para_requests(self) -> None:
        rng = self.rng
        zero = self.is_zero("requests.new.total")
        if rng.random() < 0.6:
            self.filler("requests", rng.randint(1, 4))
        if zero:
            self.requests_none()
        else:
            self.requests_received()
        self.other_work_requests()

    def requests_none(self) -> None:
        """未收到政府信息公开申请 (a zero claim), perhaps with review and litigation."""
        p, rng = self.plan, self.rng
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

    def requests_received(self) -> None:
        """收到申请N件, a breakdown, how they were decided, review and litigation."""
        rng = self.rng
        total = int(self.value("requests.new.total"))
        key = "req_received_cn" if rng.random() < 0.1 else "req_received"
        self.fill(self.pick(key))
        r = rng.random() if "requests" not in self.done else 1.0
        self.done.add("requests")
        if r < 0.2 and total > 1:
            self.requests_by_channel(total)
        elif r < 0.32 and total > 1:
            self.requests_by_applicant(total)
        for c in self.request_clauses():
            self.b.put("，")
            self.fill(c)
        if rng.random() < 0.3:
            self.b.put("，")
            self.fill(rng_choice(rng, phrases()["facts"]["req_all_done"]))
        if rng.random() < 0.4:
            self.b.put("。" if rng.random() < 0.5 else "，")
            self.review_clause()
        self.b.put("。")

    def requests_by_channel(self, total: int) -> None:
        """其中网上申请N件、当面申请N件 … (narrative-only figures that add up to the total)."""
        p, rng = self.plan, self.rng
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

    def requests_by_applicant(self, total: int) -> None:
        """其中自然人N件，法人或其他组织N件 (the table's columns)."""
        p, rng = self.plan, self.rng
        nat = p.table["requests.new.natural"]
        # the five organisation columns, as the table has them (the reconciler checks the
        # figure against their sum; ``total`` may be a figure written wrong on purpose)
        org = p.table["requests.new.total"] - nat
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

    def request_clauses(self) -> list[str]:
        """Carried over, done, decided, carried forward: the clauses after 收到申请N件."""
        p, rng = self.plan, self.rng
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
        return cl

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
                reasons = self.reason_clauses(ind)
                if reasons and rng.random() < 0.3:  # the group told by its reasons alone
                    cl += reasons
                    continue
                if key == "req_unavailable" and p.table.get("requests.unavailable.not_held.total") == self.value(ind) \
                        and rng.random() < 0.4:
                    key = "req_not_held"  # all of them for one reason: the sub-row named
                cl.append(self.pick(key))
        if cl and rng.random() < 0.2:  # 予以公开N件，占40%: one outcome's share of the requests
            k = rng.randrange(len(cl))
            cl[k] += rng_choice(rng, words()["outcome_share"]) + "{p:narrative.requests.outcome_share}"
        return cl

    def reason_clauses(self, group: str) -> list[str]:
        """One clause per reason the table gives the outcome group a figure for (属于保护第三方
        合法权益N件, 申请人逾期未补正N件): each names its sub-row's cell, not the group's."""
        pool = phrases()["facts"]["req_reasons"]
        prefix = group.removesuffix("total")
        subs = [ind for ind in sorted(self.plan.table) if ind in pool and ind.startswith(prefix)
                and self.plan.table[ind]]
        if subs:
            self.plan.families.append("fact.req_reasons")
        return [rng_choice(self.rng, pool[ind]) for ind in subs]

    def other_work_requests(self) -> None:
        """Mailbox / hotline / petition work next to the requests: counted in 件 too, but
        not requests (hard negatives for the linker)."""
        if self.rng.random() < 0.2:
            self.sentence([self.pick("other_work_requests")],
                          lead=rng_choice(self.rng, LEADS["other_work_requests"]))

    # --- review and litigation
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

    # --- management, platforms, supervision
    def para_management(self) -> None:
        rng = self.rng
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
            pool = phrases()["facts"]["media"]
            if any(f.indicator == "narrative.new_media.posts" for f in self.b.facts):
                # a platform's posts already counted in the active paragraph: stated again
                # with a figure of its own they would contradict it
                pool = [t for t in pool if "narrative.new_media.posts" not in t]
            keys = rng.sample(pool, rng.randint(1, 3))
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

    # --- paragraphs as lines
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
