"""The heading-regex baseline: a line opening with 一、 … 六、 starts a part of the report."""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.component import Rules, Work
from nlp.segment.features import cn_value, norm
from nlp.segment.lines import content_lines, fill_lines
from nlp.types import Line

_RULE = lexicon.load("sections")["rule"]
_RULE_HEAD = re.compile(_RULE["head"])
_RULE_SUB = re.compile(_RULE["sub"])
# the section a heading's head names, by the first group of words found there
_RULE_KEYS = tuple((str(section), tuple(map(str, words))) for section, words in _RULE["keys"].items())
# the section of a heading whose words name none, by its numeral
_BY_NUMERAL = ("overview", "active", "requests", "review", "problems", "other")
# The parts of a report written to the first regulation (2008–2018): no 总体情况, active
# disclosure first, fees and waivers third (None: no part of the template's order, so never
# held), then review and litigation, problems, other matters.
_BY_NUMERAL_BEFORE_2019 = ("active", "requests", None, "review", "problems", "other")


class RuleSegmenter(Rules):
    """Baseline: a line is a section heading when it starts with ``一、`` … ``六、``.

    The section comes from the heading's keyword, else from its numeral (一 → overview,
    二 → active …); lines before the first heading are the title (first line) and the
    preamble; sub-headings (``（一）``, ``1.``, ``一是``) outside table grids are
    flagged as headings too.
    """

    stage = "segmenter"
    backend = "rule"

    def __call__(self, work: Work) -> list[Line]:
        idx, texts, mask = content_lines(work.doc)
        sections, heads = [], []
        current = "title"
        for k, raw in enumerate(texts):
            text = norm(raw).strip()
            m = _RULE_HEAD.match(text)
            head = False
            if m:
                head = True
                current = _section_of(text, m.group(1))
            elif _RULE_SUB.match(text) and mask[k] < 0 and "\t" not in raw and "|" not in text:
                head = True
            elif current in ("title", "preamble"):
                current = "title" if k == 0 else "preamble"
                head = k == 0
            sections.append(current)
            heads.append(head)
        return fill_lines(work.doc, idx, sections, heads, [1.0] * len(texts))


def _section_of(heading: str, numeral: str) -> str:
    """The section a part's heading opens: the one its head's words name, else its numeral's."""
    named = _named_sections(heading)
    return named[0] if named else _BY_NUMERAL[min(cn_value(numeral), 6) - 1]


# A part's heading as the template prints it is short: a line with a sentence in it, or
# longer than this, is prose that opens with an enumerator.
_HEADING_CHARS = 40
# the mark after a part's numeral (一、), within a line's first characters (indents, a 十二)
_ENUMERATOR_MARK, _MARK_WITHIN = "、", 12


def section_anchors(texts: list[str]) -> dict[int, str]:
    """The lines that certainly open a part of the report: the template's headings, where
    the numeral and the words agree (三、收到和处理政府信息公开申请情况 is part three and
    names requests), taken in the longest chain whose parts come in the template's order
    (a contents list above the body, or a 二、主动公开… inside the problems part, is no
    part's start), the later of two as long; a table's own first header cell where its
    part prints no heading (:func:`_with_table_heads`); and a contents page's entries
    before the body, held to the preamble (:func:`_with_contents`).  Line index → section.

    >>> section_anchors(["信川市财政局2023年报告", "一、总体情况", "（二）依申请公开", "本年收到申请3件。",
    ...                  "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    ...                  "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、存在的主要问题及改进情况"])
    {1: 'overview', 4: 'active', 5: 'requests', 6: 'review', 7: 'problems'}
    >>> section_anchors(["一、总体情况", "一、本年新收政府信息公开申请数量"])  # numerals disagree
    {0: 'overview'}
    >>> section_anchors(["一、总体情况", "二、主动公开政府信息情况", "一、总体情况", "二、主动公开政府信息情况"])  # a contents list
    {2: 'overview', 3: 'active'}
    >>> section_anchors(["一、主动公开政府信息的情况", "二、依申请公开政府信息的情况", "三、政府信息公开的收费及减免情况",
    ...                  "四、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、存在的主要问题及改进措施"])  # before 2019
    {0: 'active', 1: 'requests', 3: 'review', 4: 'problems'}
    >>> section_anchors(["一、2022年政务公开工作开展情况", "一、主动公开工作", "二、依申请公开工作",
    ...                  "三、收到和处理政府信息公开申请情况"])  # an overview's sub-items after its own 一、
    {3: 'requests'}
    """
    heads = _part_headings(texts)
    plan, chain = _BY_NUMERAL, _longest_chain(_agreeing(heads, _BY_NUMERAL))
    old = _longest_chain(_agreeing(heads, _BY_NUMERAL_BEFORE_2019))
    first_part_one = next((k for k, number, _ in heads if number == 1), None)
    if len(old) > len(chain) and [n for _, n in old[:2]] == [1, 2] and old[0][0] == first_part_one:
        # 一、主动公开… 二、依申请公开…: the first regulation's parts (when its 一 is the report's
        # first 一: not the sub-items of an overview whose own 一、 heading came before)
        plan, chain = _BY_NUMERAL_BEFORE_2019, old
    anchors = _with_table_heads(texts, {k: plan[number - 1] for k, number in chain})
    return _with_contents(texts, anchors)


def _part_headings(texts: list[str]) -> list[tuple[int, int, list[str]]]:
    """(line, part number, sections its words name) of every line printed as a part's
    heading (一、… short, no sentence in it)."""
    heads = []
    for k, raw in enumerate(texts):
        if _ENUMERATOR_MARK not in raw[:_MARK_WITHIN] or len(raw) > 2 * _HEADING_CHARS:
            continue  # most lines: no 、 where a part's numeral ends (checked before normalizing)
        if is_contents_entry(raw):
            continue  # 二、主动公开政府信息情况……10 lists the part, on a contents page
        text = norm(raw).strip()
        m = _RULE_HEAD.match(text)
        if not m or len(text) > _HEADING_CHARS or "。" in text.rstrip("。"):
            continue
        heads.append((k, cn_value(m.group(1)), _named_sections(text)))
    return heads


def _agreeing(heads: list[tuple[int, int, list[str]]], plan: tuple[str | None, ...]) -> list[tuple[int, int]]:
    """(line, part number) of the headings whose numeral and words agree in ``plan``."""
    return [(k, number) for k, number, named in heads if 1 <= number <= len(plan) and plan[number - 1] in named]


# A contents page lists at least this many entries.
_CONTENTS_ENTRIES = 3


def _with_contents(texts: list[str], anchors: dict[int, str]) -> dict[int, str]:
    """``anchors`` with the entries of a contents page before the body held to the
    preamble: each names a part (一、总体情况……1) the model would open there.

    >>> _with_contents(["信川市交通局2019年报告", "目录", "一、总体情况……1", "二、主动公开……9", "三、收到申请……10",
    ...                 "一、总体情况"], {5: "overview"})
    {1: 'preamble', 2: 'preamble', 3: 'preamble', 4: 'preamble', 5: 'overview'}
    """
    first = min(anchors, default=len(texts))  # the body's first heading
    if not has_contents_entry(texts[1:first]):
        return anchors  # (most reports: no contents page; one scan says so)
    entries = [k for k in range(1, first) if is_contents_entry(texts[k])]
    if len(entries) < _CONTENTS_ENTRIES:
        return anchors
    entries += [k for k in range(1, entries[0]) if _CONTENTS_HEADING.match(texts[k])]  # its heading, 目录
    return dict(sorted({**anchors, **dict.fromkeys(entries, "preamble")}.items()))


_TABLE_HEADS = {str(section): re.compile(p) for section, p in _RULE["table_heads"].items()}
_CONTENTS_ENTRY = re.compile(_RULE["contents_entry"])
_CONTENTS_ENTRY_ANY_LINE = re.compile(_RULE["contents_entry"], re.MULTILINE)
_CONTENTS_LEADERS = tuple(_RULE["contents_leaders"])
_CONTENTS_HEADING = re.compile(_RULE["contents_heading"])


def has_contents_entry(lines: list[str]) -> bool:
    """Does any of the lines end as a contents page's entry does?  (Most texts print no dot
    leaders at all: a plain search for them first, the pattern only where they are.)"""
    joined = "\n".join(lines)
    return any(leader in joined for leader in _CONTENTS_LEADERS) and _CONTENTS_ENTRY_ANY_LINE.search(joined) is not None


def is_contents_entry(line: str) -> bool:
    """Is the line an entry of a contents page (一、总体情况……1, 二是完善制度。 ……2)?

    >>> is_contents_entry("一、总体情况.................. 1"), is_contents_entry("一、总体情况")
    (True, False)
    """
    return _CONTENTS_ENTRY.search(line) is not None


def _with_table_heads(texts: list[str], anchors: dict[int, str]) -> dict[int, str]:
    """``anchors`` with the first line of a table's own header (第二十条第（一）项 opens table
    2) anchoring the table's part when no heading of that part does and the order of the
    parts allows it: a page that prints no 二、主动公开… runs from the overview's last
    paragraph straight into the table, which the overview's prose would otherwise keep.

    >>> _with_table_heads(["一、总体情况", "（五）监督保障情况。", "第二十条第（一）项 |", "信息内容 |"], {0: "overview"})
    {0: 'overview', 2: 'active'}
    >>> _with_table_heads(["一、总体情况", "二、主动公开政府信息情况", "第二十条第（一）项 |"], {0: "overview", 1: "active"})
    {0: 'overview', 1: 'active'}
    """
    heads = {s: head for s, head in _TABLE_HEADS.items() if s not in anchors.values()}
    if not heads:
        return anchors  # (most reports: every table's part has its heading)
    for k, raw in enumerate(texts):
        part = next((s for s, head in heads.items() if head.match(raw.lstrip())), None)
        if part is None or part in anchors.values():
            continue
        place = _BY_NUMERAL.index(part)
        if all((_BY_NUMERAL.index(s) < place) == (j < k) for j, s in anchors.items()):
            anchors = dict(sorted({**anchors, k: part}.items()))
    return anchors


def _named_sections(heading: str) -> list[str]:
    """The sections a heading's head names, in the keys' order (the first wins a tie)."""
    return [s for s, words in _RULE_KEYS if any(w in heading[:20] for w in words)]


def _longest_chain(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``found`` (in line order) whose numbers increase; of two as long,
    the one that ends later, each step from the latest as long."""
    length, before = [], []
    for i, (_, number) in enumerate(found):
        steps = [j for j in range(i) if found[j][1] < number]
        best = max(steps, key=lambda j: (length[j], j), default=None)
        length.append(1 if best is None else length[best] + 1)
        before.append(best)
    if not found:
        return []
    i = max(range(len(found)), key=lambda j: (length[j], j))
    chain = []
    while i is not None:
        chain.append(found[i])
        i = before[i]
    return chain[::-1]
