"""The agency and the year a report is about, read off the title block the segmenter found.

A title names both (信川市财政局2021年度政府信息公开工作年度报告); a report that prints
no title names them in its opening sentence.  The words are data
(``nlp/data/lexicon/sections.yaml``: ``title``).
"""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.types import Line

__all__ = ["title_meta", "opening_year", "opening_agency"]

_WORDS = lexicon.load("sections")["title"]
_YEAR = re.compile(_WORDS["year"])
_TITLE_WORDS = re.compile(_WORDS["title_words"])
_SENTENCE_MARKS = re.compile(r"[。，,；;：:！？>|]")
_AFTER_YEAR = re.compile(_WORDS["after_year"])
_AGENCY_TAIL = re.compile(_WORDS["agency_tail"])
_YEAR_TAIL = re.compile(_WORDS["year_tail"])


def title_meta(text: str, lines: list[Line]) -> tuple[str | None, int | None]:
    """Agency and report year from the title (the segmenter's title block, else the first
    lines); a report that prints no title may name its agency in its opening sentence.

    >>> from nlp.types import lines_of
    >>> title_meta("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文", lines_of("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文"))
    ('孟津区卫生健康委员会', 2023)
    >>> t = "新郑市卫生健康委员会\\n\\n2020年政务信息公开工作年度报告\\n今年以来"
    >>> title_meta(t, lines_of(t))
    ('新郑市卫生健康委员会', 2020)
    >>> t = "石嘴山市卫生健康委关于2023年政府信息\\n公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    ('石嘴山市卫生健康委', 2023)
    >>> t = "2021年度信川市财政局政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    ('信川市财政局', 2021)
    >>> t = "2021年政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    (None, 2021)
    >>> t = "首页 > 政务公开 > 年报\\n榆化区交通运输局2024年度\\n政府信息公开工作年度报告\\n发布时间：2025-01-11"
    >>> title_meta(t, lines_of(t))
    ('榆化区交通运输局', 2024)
    >>> t = "根据《条例》要求，特向社会公布平度市卫生健康局2023年度政府信息公开工作年度报告。"
    >>> title_meta(t, lines_of(t))  # no title: the opening sentence names the agency
    ('平度市卫生健康局', 2023)
    >>> t = "根据《条例》要求，特编制2023年度报告。"
    >>> title_meta(t, lines_of(t))
    (None, 2023)
    """
    head = [text[ln.start:ln.end].strip() for ln in lines[:60]]
    head = [(t, ln) for t, ln in zip(head, lines) if t]
    # the title block the segmenter found (scraped pages put site furniture first), then
    # the first lines of the document; a title is short and has no sentence punctuation
    titled = [k for k, (t, ln) in enumerate(head) if ln.heading and ln.section in ("title", "preamble")]
    for k in dict.fromkeys(titled + list(range(min(6, len(head))))):
        t = head[k][0]
        m = _YEAR.search(t)
        then = head[k + 1][0] if k + 1 < len(head) else ""  # a title may go on below
        if not m or not _is_title(t) or not (_TITLE_WORDS.search(t) or _TITLE_WORDS.search(then)):
            continue
        agency = _AGENCY_TAIL.sub("", t[:m.start()].strip()).strip()
        if not agency:  # the year first: 2021年度XX局政府信息公开工作年度报告
            after = _AFTER_YEAR.match(_YEAR_TAIL.sub("", t[m.end():]).strip())
            agency = after.group(1) if after else ""
        if not agency and k > 0 and _is_title(head[k - 1][0]) and not _YEAR.search(head[k - 1][0]):
            agency = head[k - 1][0]  # a title in two lines: the agency, then the year
        return re.sub(r"\s+", "", agency) or None, int(m.group(1))
    return opening_agency(" ".join(t for t, _ in head[:3])), opening_year(text)


# A year the report is about, not a date it was published on (2024年1月20日, 2024-01-19)
_REPORT_YEAR = re.compile(_YEAR.pattern + _WORDS["not_a_report_year"])


def opening_year(text: str, chars: int = 1500) -> int | None:
    """The year a report without a title is about: the one its opening names most often
    (the first of those on a tie), dates of publication left out.

    >>> opening_year("时间：2024年1月20日\\n按照《2023年政务公开工作要点》要求，2023年，我局……")
    2023
    >>> opening_year("一、总体情况\\n本机关坚持公开为常态。") is None
    True
    """
    years = [int(m.group(1)) for m in _REPORT_YEAR.finditer(text, 0, chars)]
    return max(years, key=lambda y: (years.count(y), -years.index(y))) if years else None


# A report without a title names itself in its opening sentence (sections.yaml: opening).
_OPENING = tuple(re.compile(p.replace("{agency}", _WORDS["agency"]).replace("{year}", _YEAR.pattern))
                 for p in _WORDS["opening"])
_OPENING_VERBS = re.compile(_WORDS["opening_verbs"])


def opening_agency(text: str) -> str | None:
    """The agency a report without a title names in its opening sentence, if it does.

    >>> opening_agency("根据《条例》要求，特向社会公布平度市卫生健康局2023年度政府信息公开工作年度报告。")
    '平度市卫生健康局'
    >>> opening_agency("本报告由信川市教育局结合有关统计数据编制。"), opening_agency("根据《条例》，特编制本报告。")
    ('信川市教育局', None)
    >>> opening_agency("结合我委实际，编制并向社会公布信川市卫生健康委2021年度政府信息公开年度报告。")
    '信川市卫生健康委'
    >>> opening_agency("本报告由总体情况、主动公开政府信息情况等六个部分组成，由信川市卫生健康局办公室编制。")
    '信川市卫生健康局'
    """
    for pattern in _OPENING:
        m = pattern.search(text)
        if m:  # 编制并向社会公布X…: the name follows the last verb
            return _OPENING_VERBS.split(m.group(1))[-1] or None
    return None


def _is_title(line: str) -> bool:
    return len(line) <= 60 and not _SENTENCE_MARKS.search(line)

