"""The features of one fact in its sentence (see :mod:`nlp.link.model`).

- character 1–3-grams of the *near* left context (6 chars), the *clause* before the
  fact (back to the last ，、；：), the wider left window (``left_window`` chars,
  clipped at the sentence start), the right context up to the clause end, the head of
  the sentence (its topic: "共收到…申请"), and the nearest heading above the line;
- the label, unit, section of the line (from ``lines`` when given), value magnitude;
- structure: is 其中 between the previous fact of the sentence and this one (a
  breakdown: "其中网上申请42件" is ``narrative.requests.online``, not the total), the
  fact's rank in its sentence, keywords (结转/办结/复议/诉讼 …) appear as n-grams;
- the table cells its clause names (``CAND:<id>``, :mod:`nlp.link.candidates`).

Digits in context windows are folded to ``#`` so other figures of the sentence do
not become features.
"""

from __future__ import annotations

import math
from typing import Any

from nlp.link.candidates import candidates_of
from nlp.link.config import LinkerConfig
from nlp.link.context import (BREAKDOWN, DocContext, clause_end, clause_start, fold_digits, folded_text, ngram_names,
                              sentence_bounds)
from nlp.types import Fact

__all__ = ["fact_features", "fact_feature_groups", "doc_features", "magnitude"]


def magnitude(value: Any) -> str:
    """Log-10 bucket of a value: counts of 0, a few, dozens, hundreds …

    >>> magnitude(0), magnitude(7), magnitude(188), magnitude(None)
    ('0', '1', '3', 'none')
    """
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "none"
    if value <= 0:
        return "0"
    return str(min(6, int(math.log10(value)) + 1))


def fact_features(text: str, fact: Fact, ctx: DocContext, cfg: LinkerConfig,
                  prev_end: int | None = None, rank: int = 0) -> dict[str, float]:
    """Sparse features of one fact in its sentence (see the module docstring).

    ``prev_end`` is the end of the previous fact in the same sentence (None if first).

    >>> from nlp.link.config import LinkerConfig
    >>> t = "共收到申请44件，其中网上申请42件。"
    >>> f = fact_features(t, Fact(14, 17, "42件", "COUNT", 42, "件"), DocContext(t), LinkerConfig(), 8, 1)
    >>> f["qizhong"], f["unit=件"], "C:网上" in f
    (1.0, 1.0, True)
    """
    groups = fact_feature_groups(text, fact, ctx, cfg, prev_end, rank)
    return dict.fromkeys((k for group in groups for k in group), 1.0)


def fact_feature_groups(text: str, fact: Fact, ctx: DocContext, cfg: LinkerConfig,
                        prev_end: int | None = None, rank: int = 0) -> list[tuple[str, ...]]:
    """:func:`fact_features` (all binary) as groups of names that share no name.  The
    n-gram groups recur across facts and reports as the same tuples, so the linker
    maps each to its columns once (:meth:`Linker._matrix`)."""
    s0, s1 = sentence_bounds(text, fact.start, fact.end)
    c0 = clause_start(text, fact.start, s0)
    c1 = clause_end(text, fact.end, s1)
    folded = folded_text(text)
    left = folded[max(s0, fact.start - cfg.left_window):fact.start]
    near = folded[max(s0, fact.start - cfg.near_window):fact.start]
    clause = folded[max(c0, fact.start - cfg.left_window):fact.start]
    right = folded[fact.end:min(s1, fact.end + cfg.right_window)]
    right_clause = folded[fact.end:min(c1, fact.end + cfg.right_window)]
    head = folded[s0:min(fact.start, s0 + cfg.head_window)]
    heading = fold_digits(ctx.heading(fact.start))
    own = [f"lab={fact.label}", f"unit={fact.unit or ''}", f"mag={magnitude(fact.value)}", f"rank={min(rank, 3)}"]
    # the flags that hold, in this order; 其中 is looked for in place, without slicing the text
    if fact.approx:
        own.append("approx")
    if text.find(BREAKDOWN, prev_end if prev_end is not None else s0, fact.start) >= 0:
        own.append("qizhong")
    if text.find(BREAKDOWN, s0, fact.start) >= 0:
        own.append("qizhong_sent")
    if prev_end is None or prev_end <= c0:
        own.append("clause_first")
    own += [f"END{k}:{near[-k:]}" for k in (1, 2, 3, 4) if len(near) >= k]  # the words touching the number
    if right_clause:
        own.append(f"NEXT:{right_clause[:2]}")
    section = ctx.section(fact.start)
    if section != "unknown":  # no lines given: no section feature rather than a fake one
        own.append(f"sec={section}")
    groups = [tuple(own), ngram_names(near, "N", 3), ngram_names(clause, "C", 3),
              ngram_names(left, "L", 2), ngram_names(right_clause, "RC", 3),
              ngram_names(right, "R", 2), ngram_names(head, "S", 2), ngram_names(heading, "H", 2)]
    if fact.label == "ZERO":
        groups.append(ngram_names(fold_digits(fact.text), "Z", 3))
    cands = candidates_of(ctx, fact, cfg)
    groups.append(tuple(f"CAND:{c}" for c in cands) or ("CAND:none",))
    return groups


def doc_features(text: str, facts: list[Fact], ctx: DocContext, cfg: LinkerConfig) -> list[list[tuple[str, ...]]]:
    """Feature groups (:func:`fact_feature_groups`) for every fact of a document, in the order given."""
    order = sorted(range(len(facts)), key=lambda i: (facts[i].start, facts[i].end))
    out: list[list[tuple[str, ...]]] = [[] for _ in facts]
    prev_end, prev_sent, rank = None, None, 0
    for i in order:
        f = facts[i]
        sent = sentence_bounds(text, f.start, f.end)[0]
        if sent != prev_sent:
            prev_end, rank = None, 0
        out[i] = fact_feature_groups(text, f, ctx, cfg, prev_end, rank)
        prev_end, prev_sent, rank = f.end, sent, rank + 1
    return out
