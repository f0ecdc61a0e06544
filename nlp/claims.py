"""What a zero claim denies: its words (the claim and the rest of its clause) and the
cells they name, by the ``zero_scopes`` rules of indicators.yaml.

One reading for two stages: the linker gives a claim the cells its words name, and the
reconciler compares the claim with those cells — so a record never links 未作出行政强制
to one thing and checks it against another.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.indicators import composite_parts, ids_for_template, registry
from nlp.types import Fact

__all__ = ["CLAIM_END", "scope_rules", "zero_claim", "zero_scope"]

CLAIM_END = re.compile(r"[，。；,;\n！？!?]")


def zero_claim(text: str, fact: Fact) -> str:
    """The words of a zero claim: its span and the rest of its clause (the extractor may
    stop at 未发生与诉讼 before 有关的费用 says what is denied).

    >>> t = "未发生与诉讼(行政复议、行政诉讼)有关的费用，特此说明。"
    >>> zero_claim(t, Fact(0, 6, "未发生与诉讼", "ZERO", 0))
    '未发生与诉讼(行政复议、行政诉讼)有关的费用'
    """
    end = CLAIM_END.search(text, fact.end, fact.end + 40)
    tail = text[fact.end:end.start() if end else min(len(text), fact.end + 40)]
    return fact.text + tail


@lru_cache(maxsize=8)
def _known_ids(template: str) -> frozenset[str]:
    return frozenset(ids_for_template(template))


def scope_rules() -> list[dict]:
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
    >>> zero_scope("未制发规章和规范性文件"), zero_scope("未作出行政处罚、行政强制决定")
    (('active.normative.issued', 'active.rules.issued'), ('active.penalty.decisions', 'active.coercion.decisions'))
    >>> zero_scope("未收到公开申请、行政复议和行政诉讼"), zero_scope("未收到低保申请")
    (('requests.new.total', 'review.total', 'litigation.direct.total', 'litigation.after_review.total'), ())
    >>> zero_scope("未产生诉讼费用"), zero_scope("没有发生政府信息公开的收费、诉讼等情况")
    ((), ('litigation.direct.total', 'litigation.after_review.total'))
    """
    if rule is None:
        return _scope(claim, template, figure)
    return _scope_by([rule], claim, template, figure)


@lru_cache(maxsize=2048)
def _scope(claim: str, template: str, figure: bool) -> tuple[str, ...]:
    """:func:`zero_scope` by the registry's rules, kept per claim: the linker and then the
    reconciler read each claim of a report, and reports deny in the same words
    (未发生行政复议和行政诉讼)."""
    return _scope_by(scope_rules(), claim, template, figure)


def _scope_by(rules: list[dict], claim: str, template: str, figure: bool) -> tuple[str, ...]:
    also: list[str] = []  # cells of the ``also`` rules met: the claim reads on past them
    for k, spec in enumerate(rules):
        if spec.get("figures_only") and not figure:
            continue
        if not _meets(spec, claim):
            continue
        if spec.get("also"):  # 未收到申请、复议和诉讼: requests, and whatever the rest denies
            also += spec["cells"]
            continue
        cells = also + list(spec["cells"])
        if spec.get("combines"):  # 未制发规章和规范性文件: every such rule the claim meets
            cells += [c for later in rules[k + 1:] if later.get("combines") and _meets(later, claim)
                      for c in later["cells"]]
        return _template_cells(cells, template)
    return _template_cells(also, template)


def _template_cells(cells: list[str], template: str) -> tuple[str, ...]:
    """``cells`` the template has (or composes from its cells), each once, in order."""
    known = _known_ids(template)
    return tuple(dict.fromkeys(c for c in cells if c in known or composite_parts(c, template)))


def _meets(spec: dict, claim: str) -> bool:
    """Has the claim a word of every ``all`` group of the rule, and none of its ``unless``?"""
    return _rule_test(spec).match(claim) is not None


# Compiled tests of the rules met so far, by id (the rule kept alongside: an id is reused
# only once its rule is gone).  The registry's rules are a few dozen; rules built by hand
# (tests, tools) may come and go, so the cache starts again past this many.
_MAX_TESTS = 256
_tests: dict[int, tuple[dict, re.Pattern]] = {}


def _rule_test(spec: dict) -> re.Pattern:
    """A rule's words as one pattern, matched at the claim's start: a lookahead per
    ``all`` group (a word of it occurs) and one for ``unless`` (none occurs).  One match
    in C, where a claim is met against every rule for every figure of every report."""
    found = _tests.get(id(spec))
    if found is None or found[0] is not spec:
        if len(_tests) >= _MAX_TESTS:
            _tests.clear()
        tests = "".join(f"(?=.*?{_any_word(group)})" for group in spec["all"])
        unless = spec.get("unless", ())
        if unless:
            tests += f"(?!.*?{_any_word(unless)})"
        found = _tests[id(spec)] = (spec, re.compile(tests, re.DOTALL))
    return found[1]


def _any_word(words) -> str:
    """A group matching any of ``words`` (none: a group that never matches)."""
    return "(?:" + "|".join(map(re.escape, words)) + ")" if words else "(?!)"
