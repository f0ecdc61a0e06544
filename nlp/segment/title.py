"""The agency and the year a report is about, read off the title block the segmenter found.

A title names both (信川市财政局2021年度政府信息公开工作年度报告); a report that prints
no title names them in its opening sentence, or its opening pages name the agency as the
subject of a sentence or in the contact line.  A name is written as its records write it:
standard short forms in full (卫健委 → 卫生健康委员会), a place alone as its government, a
name printed without its place completed from where the report prints it whole.  The words
are data (``nlp/data/lexicon/sections.yaml``: ``title``).
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Iterator

from nlp import lexicon
from nlp.chars import is_ideograph
from nlp.segment.places import county_of, most_named, place_before, place_starts, with_own_place, with_place
from nlp.types import Line

__all__ = ["title_meta", "opening_year", "opening_agency", "body_agency", "fuller_name", "full_name", "own_names"]

_TITLE = lexicon.load("sections")["title"]
# the patterns with the endings an agency's name and a name share written in (agency_ends),
# and the verbs after a sentence's subject (predicate_verbs)
_WORDS = {k: v.replace("{agency_ends}", _TITLE["agency_ends"]).replace("{predicate_verbs}", _TITLE["predicate_verbs"])
          if isinstance(v, str) else v for k, v in _TITLE.items()}
_YEAR = re.compile(_WORDS["year"])
_TITLE_WORDS = re.compile(_WORDS["title_words"])
_SENTENCE_MARKS = re.compile(r"[。，,；;：:！？>|]")
_AFTER_YEAR = re.compile(_WORDS["after_year"])
_TITLE_SUBJECT = re.compile(_WORDS["title_subject"])
_AGENCY_TAIL = re.compile(_WORDS["agency_tail"])
_YEAR_TAIL = re.compile(_WORDS["year_tail"])


def title_meta(text: str, lines: list[Line]) -> tuple[str | None, int | None]:
    """Agency and report year from the title (the segmenter's title block, else the first
    lines, a title run into page furniture too); a report that prints no title may name its
    agency in its opening sentence or pages (:func:`opening_agency`, :func:`body_agency`).

    >>> from nlp.types import lines_of
    >>> title_meta("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文", lines_of("孟津区卫生健康委员会 2023 年政府信息公开工作 年度报告\\n正文"))
    ('洛阳市孟津区卫生健康委员会', 2023)
    >>> t = "新郑市卫生健康委员会\\n\\n2020年政务信息公开工作年度报告\\n今年以来"
    >>> title_meta(t, lines_of(t))
    ('新郑市卫生健康委员会', 2020)
    >>> t = "石嘴山市卫生健康委关于2023年政府信息\\n公开工作年度报告"
    >>> title_meta(t, lines_of(t))  # the short form of its kind written in full
    ('石嘴山市卫生健康委员会', 2023)
    >>> t = "2021年度信川市财政局政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    ('信川市财政局', 2021)
    >>> t = "2021年政府信息公开工作年度报告"
    >>> title_meta(t, lines_of(t))
    (None, 2021)
    >>> t = "2025年信川县林业站\\n政府信息公开工作年度报告\\n正文"
    >>> title_meta(t, lines_of(t))  # the title's words on the line below the agency
    ('信川县林业站', 2025)
    >>> t = "首页 > 政务公开 > 年报\\n榆化区交通运输局2024年度\\n政府信息公开工作年度报告\\n发布时间：2025-01-11"
    >>> title_meta(t, lines_of(t))
    ('榆化区交通运输局', 2024)
    >>> t = "当前位置：首页\\n【图文】榆化区交通运输局2024年度政府信息公开工作年度报告\\n发布时间：2025-01-11"
    >>> title_meta(t, lines_of(t))  # the site's tag before the title
    ('榆化区交通运输局', 2024)
    >>> t = "【转载】[图文]榆化区交通运输局2024年度政府信息公开工作年度报告\\n正文"
    >>> title_meta(t, lines_of(t))  # tags repeated, in either bracket
    ('榆化区交通运输局', 2024)
    >>> t = "信川工商大学\\n2022-2023学年度信息公开工作报告\\n正文"
    >>> title_meta(t, lines_of(t))  # a university's (a school's: 中学, 小学, 学校) on the line above
    ('信川工商大学', 2023)
    >>> t = "根据《条例》要求，特向社会公布平度市卫生健康局2023年度政府信息公开工作年度报告。"
    >>> title_meta(t, lines_of(t))  # no title: the opening sentence names the agency
    ('平度市卫生健康局', 2023)
    >>> t = "根据《条例》要求，特编制2023年度报告。"
    >>> title_meta(t, lines_of(t))
    (None, 2023)
    >>> t = "是否有效 | 有效 |\\n按照信川县人民政府办公室《关于做好2022年度政府信息公开年度报告编制公布工作的通知》\\n文件要求，现将横山镇2022年度报告如下："
    >>> title_meta(t, lines_of(t))  # a quoted notice cut at a line end is no title (nor the line above it a name)
    ('横山镇人民政府', 2022)
    >>> t = "索引号 0001\\n标题信川县横山镇2022年政府信息公开工作年度报告\\n现对我乡2022年度政府信息公开工作进行报告"
    >>> title_meta(t, lines_of(t)), title_meta(t[t.index("现"):], lines_of(t[t.index("现"):]))
    (('信川县横山镇人民政府', 2022), (None, 2022))
    """
    head = _head(text, lines)
    # the title block the segmenter found (scraped pages put site furniture first), then
    # the first lines of the document; a title is short and has no sentence punctuation
    titled = [k for k, (t, ln) in enumerate(head) if _in_title_block(ln)]
    year = None  # of the first title found: one naming no agency (a breadcrumb's 2021年 /
    # 正文, a bare 2021年度报告) gives its year, and a title below may still name the agency
    for k in dict.fromkeys(titled + list(range(min(_FIRST_LINES, len(head))))):
        line = head[k][0]
        then = head[k + 1][0] if k + 1 < len(head) else ""  # a title may go on below
        line_year = None  # (a breadcrumb's year, when the title in its line names the agency with its own)
        # a title-shaped line may run a breadcrumb into the title (首页 / … / 2022年 / 正文X镇
        # 2022年度…年报, a one-line dump's first line): the title in it is tried after the line
        for t in dict.fromkeys((line, _title_in(line)) if _is_title(line) else (_title_in(line),)):
            t = _regex("site_label").sub("", t)  # 【2019】X2019年…, 【图文】X…: the site's label, not the title's
            m = _REPORT_YEAR.search(t)  # (not a cover letter's date: 2021年1月14日 over the title)
            if not m or not _is_title(t) or not (_TITLE_WORDS.search(t) or _TITLE_WORDS.search(then)):
                continue
            if _in_book_title(t, m.start()):
                continue  # 按照X《关于做好2022年度…报告编制…的通知》: another's notice quoted, cut at a line end
            line_year = line_year or int(m.group(1))
            above = re.sub(r"\s+", "", head[k - 1][0]) if k > 0 else ""
            # 2025年某县某局 / 政府信息公开工作年度报告: the title's words on the line below
            whole = t if _TITLE_WORDS.search(t[m.end():]) or not _TITLE_SUBJECT.match(then) else t + then
            agency = _agency_of_title(whole, m, above, in_sentence=t != line)
            if agency:
                # (apart before the name is completed, and after: 关区 is cut only as it is recorded)
                return (_printed_apart(_as_recorded(_printed_apart(agency, text), text, titled=True), text),
                        year or int(m.group(1)))
        year = year or line_year
    return _as_recorded(_untitled_agency(text, head), text), year or opening_year(text)


def _as_recorded(agency: str | None, text: str, titled: bool = False) -> str | None:
    """The name as records write it: its place completed from the report, short forms in
    full, a district's city added (:func:`nlp.segment.places.with_place`); a zone's office
    read off a contact line or the body is the zone's committee (records name the
    管理委员会), while a title that names the office is the office's own report — a zone's
    offices are departments that publish their own (unlike a township's 党政办公室, its
    government's secretariat, whose title is the township's report: :func:`full_name`).

    >>> _as_recorded("信川经济开发区综合办公室", "请与信川经济开发区综合办公室联系。")
    '信川经济开发区管理委员会'
    >>> _as_recorded("信川高新技术开发区党政办公室", "", titled=True)
    '信川高新技术开发区党政办公室'
    """
    name = full_name(fuller_name(agency, text))
    if name and not titled:
        name = _regex("zone_office").sub(_WORDS["zone_committee"], name)
    if name:  # 区教育局: its district, if the report names one
        name = with_own_place(name, text)
    return with_place(name, text)


_HEAD_LINES = 60  # a title stands among a document's first lines
# the first lines read as a title when the segmenter found none (a text browser's dump of a
# page prints the site's name, search box, menu, breadcrumb and fields above the title)
_FIRST_LINES = 12


def _in_title_block(line: Line) -> bool:
    return line.heading and line.section in ("title", "preamble")


def _head(text: str, lines: list[Line]) -> list[tuple[str, Line]]:
    """The non-empty title cells (:func:`_title_cell`) of the first lines, with their lines:
    as far as :func:`title_meta` reads them, the segmenter's title block and the first
    lines, each with the next below it (most lines are never read: no need to cut them)."""
    first = lines[:_HEAD_LINES]
    last_titled = max((i for i, ln in enumerate(first) if _in_title_block(ln)), default=-1)
    head = []
    for i, ln in enumerate(first):
        t = _title_cell(text[ln.start:ln.end])
        if t:
            head.append((t, ln))
            if i > last_titled and len(head) > _FIRST_LINES:
                break
    return head


def _agency_of_title(title: str, year: re.Match[str], above: str, in_sentence: bool = False) -> str:
    """The agency a title names: before its year (past page furniture), else after it
    (2021年度信川市财政局政府信息公开…), else on the line above (a title in two lines).
    A title that says 我县 is taken as printed; a sentence read as a title (``in_sentence``:
    现对我乡2022年度…工作进行报告) that says so names no agency."""
    before = _past_run_in(_past_furniture(_AGENCY_TAIL.sub("", title[:year.start()].strip()).strip()))
    before = _regex("field_label").sub("", before)  # 标题信川县横山镇…: the label is no name
    after = _AFTER_YEAR.match(_YEAR_TAIL.sub("", title[year.end():]).strip())
    # 公布2012年度我街道信息公开…, 现对我乡2022年度…工作进行报告: 我街道, 我乡 are no names
    pronoun = _regex("pronoun").search(before)
    before = "" if pronoun and (in_sentence or pronoun.start() > 0) or _regex("sentence_opener").match(before) else before
    after = _past_run_in(after.group(1)) if after and not _regex("relative").search(after.group(1)) else ""
    # 2022年上半年政府信息公开数据统计: a time, no name (a name says its kind or its place)
    after = after if _names_or_places(after) or _regex("place").search(after) else ""
    agency = after if after and (not before or not _is_name(before) and _is_name(after)) else before
    if not agency and _is_title(above) and not _YEAR.search(above) and _ABOVE_NAME.fullmatch(above):
        # a title in two lines: the agency (or its place: 信川县横山镇), then the year; or a
        # title without its year above the sentence that gives it (市残联政府信息公开…报告)
        # — not a page's caption (基本介绍 above 中文名：2010年度…报告): a name ends as an
        # agency's or a place's does, or names its place and ends as a body's (信川市红十字会)
        agency = _TITLE_SUBJECT.split(above, maxsplit=1)[0]
        named = _names_or_places(agency) or (_regex("place").search(agency) and _regex("body_end").search(agency))
        agency = agency if named else ""
    agency = _EDGE_MARKS.sub("", agency)  # (a dump's spaces, and the }} of a page's script run into it)
    # 现将2022年1月1日至…: a date's words, no name; 首页/ 年报 / 2021年 / 正文: a breadcrumb's
    # separator, no name either
    # (…规定和《X办公室关于编制2023年…报告: a sentence quoting a notice, cut at a title's
    # end by a dump's relayout: a book title's marks are in no name)
    # (老X六合彩官网2023年…: a hacked page's spam in place of the name)
    return agency if (_ABOVE_NAME.search(agency) and not _DIGIT.search(agency) and not _BOOK_MARKS.search(agency)
                      and not _CRUMB_MARKS.search(agency) and not _regex("spam").search(agency)) else ""


# a breadcrumb's separators (首页/政府信息公开/年报/镇街/2022年/正文…: printed without spaces,
# the crumbs before its year read as one word): in no name (one / may join two offices' names)
_CRUMB_MARKS = re.compile("[>|»›]|/.*/")
_APART_CHARS = 3000  # the page's head and opening, where its fields and title stand
_NAME_HEAD = 4  # a name printed twice repeats at least its first characters (its place)


def _printed_apart(name: str, text: str) -> str:
    """The name without words a page ran into it when the page prints the rest apart as
    well: a field's value or a breadcrumb's last item before a name that opens with its
    place (主题分类：医保 + 杭州市医疗保障局, printed again after 发布单位：), or a name's first
    words printed twice (大理经济技术开发区 + 大理经济技术开发区管理委员会).

    >>> _printed_apart("医保信川市医疗保障局", "发布单位：信川市医疗保障局 主题分类：医保信川市医疗保障局2023年…")
    '信川市医疗保障局'
    >>> _printed_apart("国家税务总局信川市税务局", "国家税务总局信川市税务局2023年…")
    '国家税务总局信川市税务局'
    >>> _printed_apart("信川合川工业园区管委会信川合川工业园区管理委员会", ""), _printed_apart("信川市文化和旅游局市文化和旅游局", "")
    ('信川合川工业园区管理委员会', '信川市文化和旅游局')
    """
    # (printed twice, the first cut or in its short form: 重庆合川工业园区管委会 + …管理委员会)
    twice = next((k for k in range(_NAME_HEAD, len(name) - _NAME_HEAD) if name.startswith(name[:_NAME_HEAD], k)
                  and _is_name(name[k:]) and (_is_name(name[:k]) or name.startswith(name[:k], k))), None)
    if twice:
        return name[twice:]
    # 武汉市文化和旅游局 + 市文化和旅游局: the name, then its short form
    short = next((k for k in range(_NAME_HEAD, len(name) - 2) if name[:k].endswith(name[k + 1:])
                  and _regex("level_only").match(name[k:])), None)
    if short:
        name = name[:short]
    text = "".join(text[:_APART_CHARS].split())  # (国家税务总局 信川市税务局 is one name, spaced)
    inside_places = {k for at, place in place_starts(name) for k in range(at + 1, at + len(place))}
    for at in range(1, min(_PLACE_LOOK, len(name) - 2)):
        if _regex("place").search(name[:at]) or _regex("name_openers").search(name[:at]):
            break  # (a place, a national body or a party is no furniture: 信川市 + 交易中心,
            # 国家税务总局 + 东莞市税务局, 共青团 + 信川市委员会)
        if at in inside_places:
            continue  # (广西壮族 + 自治区司法局: a place is not cut)
        rest = name[at:]
        # (a name that opens with its place, or after a word of the page's own: 报告 + 重庆海关)
        ran_in = _regex("place_first").match(rest) or _RUN_IN_FURNITURE.fullmatch(name[:at])
        if ran_in and _is_name(rest) and text.count(rest) > text.count(name):
            return rest
    return name


def _in_book_title(line: str, at: int) -> bool:
    """Does ``at`` fall inside a 《…》 the line opened before it (a quoted notice's year)?"""
    before = line[:at]
    return before.rfind("《") > before.rfind("》")


_DIGIT = re.compile(r"\d")
_BOOK_MARKS = re.compile("[《》〈〉]")
_EDGE_MARKS = re.compile(r"\s+|^[^\w（(]+")


# A line above a title that names no agency is its agency when it is words alone (not a
# page number such as "- 1 -").
_ABOVE_NAME = re.compile(r"[^\W\d_]{2,40}")


def _is_name(words: str) -> bool:
    """Do the words end as an agency's name does (…局, …委员会, …人民政府)?"""
    return bool(_regex("agency").fullmatch(words))


def _names_or_places(words: str) -> bool:
    """Do the words end as an agency's name (信川市教育局) or as a place (信川县横山镇) does?"""
    return _is_name(words) or bool(_regex("place_end").search(words))


def _past_furniture(words: str) -> str:
    """The agency's name in the words before a title's year, without the page furniture
    a dump runs into it (长者模式 无障碍 信川市教育局): the last word, and the words before it
    while each is a name or a place (国家税务总局 信川市税务局, 信川县 横山镇); an alias in
    brackets after the name is left out; words spaced out one character each (信 川 市 教 育
    局) are one name.

    >>> _past_furniture("长者模式 无障碍 信川市教育局"), _past_furniture("信 川 市 教 育 局")
    ('信川市教育局', '信川市教育局')
    >>> _past_furniture("国家税务总局 信川市税务局"), _past_furniture("信川市发展和改革委员会 （信川市粮食局）")
    ('国家税务总局信川市税务局', '信川市发展和改革委员会')
    >>> _past_furniture("部 门 街 镇 信川县横山镇人民政府"), _past_furniture("信川县人民政府 信川县人民政府 信川县人民政府")
    ('信川县横山镇人民政府', '信川县人民政府')
    """
    pieces = [p for p in words.split() if not _ALIAS.fullmatch(p)]
    if len(pieces) < 2 or max(map(len, pieces)) < 2:
        return "".join(pieces)
    k = len(pieces) - 1
    while k > 0 and len(pieces[k - 1]) > 1 and _names_or_places(pieces[k - 1]) and pieces[k - 1] != pieces[k]:
        k -= 1  # (a menu's one-character words are no place: 部 门 街 镇 信川县横山镇)
    return "".join(pieces[k:])  # (a page's header printing the name again is no part of it)


_ALIAS = re.compile(r"[（(].*[)）]")


def _past_run_in(words: str) -> str:
    """The name in words that page furniture runs into with no break, as a dump that lost
    its line ends gives it: from a place named twice, its last naming (大冶市直部门大冶市
    公共资源交易中心, a name printed twice); else after the last word of a site's menus or
    of the title before it (政府信息公开年报重庆市国资委…, 关闭窗口信川市审计局), when what
    follows is a name with its place (or the words before name no place: 无障碍市房管局).

    >>> _past_run_in("政府信息公开年报重庆市国有资产监督管理委员会"), _past_run_in("大冶市直部门大冶市公共资源交易中心")
    ('重庆市国有资产监督管理委员会', '大冶市公共资源交易中心')
    >>> _past_run_in("南漳县卫生健康局南漳县卫生健康局"), _past_run_in("部门管理广东省能源局")
    ('南漳县卫生健康局', '广东省能源局')
    >>> _past_run_in("中国人民银行重庆市分行"), _past_run_in("国家税务总局重庆市税务局")
    ('中国人民银行重庆市分行', '国家税务总局重庆市税务局')
    >>> _past_run_in("无障碍市房管局"), _past_run_in("工作年度报告市房管局"), _past_run_in("信川市政务公开办公室")
    ('市房管局', '市房管局', '信川市政务公开办公室')
    >>> _past_run_in("横山镇信川县横山镇")  # the breadcrumb's last item, then the title's name
    '信川县横山镇'
    >>> _past_run_in("镇重庆市南岸区横山镇人民政府"), _past_run_in("信川市数据开放平台登录注册市民政局")
    ('重庆市南岸区横山镇人民政府', '市民政局')
    >>> _past_run_in("政府信息公开年报横山镇")  # a township's report: its place alone
    '横山镇'
    >>> _past_run_in("乡镇(街道办)横山镇"), _past_run_in("信川县乡镇企业局")  # a menu of townships; a bureau's name
    ('横山镇', '信川县乡镇企业局')
    >>> _past_run_in("2020-01-15横山乡")  # a page's date, its line end lost
    '横山乡'
    """
    site = _regex("site_government").match(words)
    if site and _past_site_government(words, site):
        return words[site.end():]
    # a breadcrumb's last item run into the title's name that ends with it (庞村镇 + 定州市庞村镇)
    repeated = next((k for k in range(2, len(words) // 2) if words.endswith(words[:k])
                     and _regex("place_end").search(words[:k]) and _names_or_places(words[k:])), None)
    if repeated:
        return words[repeated:]
    if len(_regex("place_mark").findall(words)) >= 2:  # a place may be named twice: the gazetteer says
        named: set[str] = set()
        for at, place in place_starts(words):
            if place in named and _is_name(words[at:]):
                return words[at:]
            named.add(place)
    starts = place_starts(words[:_PLACE_LOOK])
    if starts and starts[0][0] == 1 and _regex("place_end").search(words[0]) and _is_name(words[1:]):
        return words[1:]  # a menu's last one-character word (镇) run into a name that opens with its place
    cut = max((m.end() for m in _RUN_IN_FURNITURE.finditer(words)), default=0)
    rest = words[cut:]
    # (a name printed with its level alone after a site's words names no place the words
    # before might complete: 武汉市数据开放平台…登录注册市民政局 is 市民政局, which the body completes)
    if cut and _names_or_places(rest) and not _is_name(words[:cut]) and (
            _names_itself(rest) or not _regex("place").search(words[:cut]) or _regex("level_only").match(rest)):
        return rest
    return words


_PLACE_LOOK = 12  # a stray character before a place is looked for in a name's first characters


_RUN_IN_FURNITURE = re.compile(_WORDS["run_in_furniture"])


_TITLE_END = re.compile(_WORDS["title_end"])
# page furniture ends at a space, >, | or a colon; a title quoted in a sentence (编制了《X2020年…
# 报告》) begins after its opening bracket
_FURNITURE_BREAK = re.compile(r".*[\s>|:：《“「『]")
# ... and a breadcrumb's / when the words before the year hold two or more (首页/年报/镇街/2022年
# /正文X镇…: a joint office's name holds one — 中共X县委办公室/X县人民政府办公室)
_CRUMB_BREAK = re.compile(r".*/")


def _past_site_government(words: str, site: re.Match[str]) -> bool:
    """Is the government a site's name before the name of another body of its place (文山市
    人民政府 + 文山三七产业园区管理委员会: the body's name opens with the place's stem again)?
    Not a street or township office, which records write with its government's place.

    >>> m = _regex("site_government").match("文山市人民政府文山三七产业园区管理委员会")
    >>> _past_site_government(m.string, m), _past_run_in(m.string)
    (True, '文山三七产业园区管理委员会')
    >>> m = _regex("site_government").match("信川区人民政府信川路街道办事处")
    >>> _past_site_government(m.string, m), _past_run_in("信川市人民政府外事办公室")
    (False, '信川市人民政府外事办公室')
    """
    rest, stem = words[site.end():], site.group("place")[:-1]
    return len(stem) >= 2 and rest.startswith(stem) and _is_name(rest) \
        and not _regex("township_unit").fullmatch(rest)


def _title_in(line: str) -> str:
    """The title a line of page furniture runs into, as a one-line dump gives it
    (> 年报 > 信川市教育局 信川市教育局2023年政府信息公开工作年度报告 日期:…): from the last
    break before a year to the title's end after it; the first whose words before the
    year end as an agency's name or a place does, else the first with none; else the line.

    >>> _title_in("> 部门 > 信川市教育局2023年政府信息公开工作年度报告 访问量: 12")
    '信川市教育局2023年政府信息公开工作年度报告'
    >>> _title_in("> 2023年度工作报告 信川市教育局2023年政府信息公开工作年度报告")
    '信川市教育局2023年政府信息公开工作年度报告'
    >>> _title_in("政务公开 信川市教育局 关于2024年度政府信息公开工作的报告 根据《条例》，…")
    '信川市教育局 关于2024年度政府信息公开工作的报告'
    >>> _title_in("信川县横山镇2023年政府信息公开工作年度报告 发布时间:2024-01-19 来源:本站")
    '信川县横山镇2023年政府信息公开工作年度报告'
    >>> _title_in("现将2023年政府信息公开工作年度报告公布如下：")  # the year's title, no agency
    '2023年政府信息公开工作年度报告'
    >>> _title_in("发布时间：2024年1月20日 本局年度报告")
    '发布时间：2024年1月20日 本局年度报告'
    >>> _title_in("发布机构 横山镇组配分类 政府信息公开年报2023年横山镇政府信息公开工作年度报告发布日期:")
    '2023年横山镇政府信息公开工作年度报告'
    """
    bare = None
    for m in itertools.islice(_REPORT_YEAR.finditer(line), _TITLE_YEARS):  # not 2024年1月20日
        end = _TITLE_END.search(line, m.end(), m.end() + _TITLE_CHARS)
        start = _title_start(line, m.start())
        if end is None or not _is_title(title := line[start:end.end()]):
            continue
        words = re.sub(r"\s+", "", _AGENCY_TAIL.sub("", line[start:m.start()].strip()))
        if _names_or_places(words):  # 信川市教育局, 信川县横山镇
            return title
        if bare is None and (start == m.start() or _ends_in_furniture(words)):
            bare = line[m.start():end.end()]  # (…组配分类 政府信息公开年报2023年X镇…: the crumb is no name)
    return bare or line


def _ends_in_furniture(words: str) -> bool:
    """Do the words end with a site's menu or breadcrumb word (…政府信息公开年报)?"""
    return any(m.end() == len(words) for m in _RUN_IN_FURNITURE.finditer(words))


# A title is short: its year is among a line's first few, its words within this many
# characters of the year (the bounds keep a hostile line of years linear).
_TITLE_YEARS = 8
_TITLE_CHARS = 40


def _title_start(line: str, year: int) -> int:
    """Where a title ending after the year at ``year`` begins: after the last page-furniture
    break before it (a space, >, |, :), one word further back when only 关于 stands there
    (X 关于2024年度…) or nothing does and that word is a name (X 2020年…: a title of two lines
    a dump put on one), and after an opening verb (现将X2023年…)."""
    lo = max(0, year - _TITLE_CHARS)
    cut = _FURNITURE_BREAK.match(line, lo, year)
    start = cut.end() if cut else lo
    if line.count("/", start, year) >= 2:
        start = _CRUMB_BREAK.match(line, start, year).end()
    tail = line[start:year].strip()
    if start > lo and (tail and not _AGENCY_TAIL.sub("", tail) or not tail and _names_before(line, lo, start)):
        cut = _FURNITURE_BREAK.match(line, lo, start - 1)
        start = cut.end() if cut else lo
    return year - len(_OPENING_VERBS.split(line[start:year])[-1])


def _names_before(line: str, lo: int, end: int) -> bool:
    """Is the word before ``end`` (up to the break before it) a name or a place?"""
    cut = _FURNITURE_BREAK.match(line, lo, max(lo, end - 1))
    return _names_or_places(line[cut.end() if cut else lo:end].strip())


def _untitled_agency(text: str, head: list[tuple[str, Line]]) -> str | None:
    return (_yearless_title_agency(head) or opening_agency(_readable(" ".join(t for t, _ in head[:3])))
            or body_agency(text) or contact_agency(text) or level_agency(text))


def _yearless_title_agency(head: list[tuple[str, Line]]) -> str | None:
    """The agency of a title that prints no year (its year is in the body), among the
    first lines: the name before what the report is about, when it ends as a name does.

    >>> _yearless_title_agency([("建安路街道办事处政府信息公开工作年度报告", None)])
    '建安路街道办事处'
    >>> _yearless_title_agency([("政府信息公开工作年度报告", None), ("本局政府信息公开年度报告", None)]) is None
    True
    """
    for line, _ in head[:_FIRST_LINES]:
        m = _regex("yearless_title").fullmatch(line) if _is_title(line) and not _YEAR.search(line) else None
        name = _past_run_in(_past_furniture(m.group("agency").strip())) if m else ""
        if _is_name(name) and not _regex("relative").search(name):
            return name
    return None


def level_agency(text: str) -> str | None:
    """A name by its level alone as the subject of the opening sentences (2021年，市机关事务
    管理局坚持…), when the report prints its whole name elsewhere (the title of its own
    rules, its contact line): that whole name; else None — a bare 市X局 says no place.

    >>> level_agency("2021年，市档案局高度重视信息公开。修订《信川市档案局信息公开制度》。")
    '市档案局'
    >>> level_agency("2021年，市档案局高度重视信息公开。") is None
    True
    >>> level_agency("2020年，县民政局政务信息公开工作稳步推进。……提高平利县民政局的知名度。")  # its work the subject
    '县民政局'
    """
    for name in _names_printed(text, ("opening", "agency"), ("body", "name")):
        if _LEVEL_ONLY.match(name):
            whole = _as_recorded(name, text)  # completed: no longer its level alone (区住建委 → 区住房和城乡…)
            if whole and not _LEVEL_ONLY.match(whole) and _names_itself(whole):
                return name
    return None


def contact_agency(text: str) -> str | None:
    """The agency a report's contact line names by its level alone (请与区民政局办公室联系),
    which :func:`_as_recorded` completes with the place of that level the report names
    most: the report's own agency, where the body names none that says which.

    >>> contact_agency("如对本报告有疑问，请与区民政局办公室联系（电话：0000）。")
    '区民政局'
    >>> contact_agency("请与我局联系。"), contact_agency("2022年，区民政局高度重视。")
    (None, None)
    """
    for name in _names_printed(text, ("contact", "name")):
        if _LEVEL_ONLY.match(name):
            return name
    return None


def _readable(text: str) -> str:
    """Text as names are read in it: alias notes after a name left out (X（以下简称区政府
    办公室）2022年…), a line break inside words (a PDF's 由信川区司法⏎局编制) closed.

    >>> _readable("现公布信川区政府办公室（以下简称区办）2022年报告；由信川区司法\\n局编制")
    '现公布信川区政府办公室2022年报告；由信川区司法局编制'
    >>> _readable("一、总体情况\\n信川市水利局认真贯彻《条例》。")  # a heading's line ends where it ends
    '一、总体情况\\n信川市水利局认真贯彻《条例》。'
    """
    text = _regex("alias_note").sub("", text)
    return _LINE_BREAK.sub(lambda m: "" if _inside_word(text, m.start()) else "\n", text)


_LINE_BREAK = re.compile("\n")


# A PDF breaks a line inside a word at the full width of its text column; a shorter line
# ends where its writer ended it (a heading: 一、总体情况⏎信川市水利局认真…)
_WRAPPED_LINE = 16


def _inside_word(text: str, at: int) -> bool:
    """Is the line break at ``at`` between two ideographs, as a PDF's text breaks lines, at
    the end of a line as long as a text column's?

    >>> _inside_word("由信川区司法局根据本机关的实际情况编制\\n本报告", 19), _inside_word("一、总体情况\\n信川市", 6)
    (True, False)
    """
    if not (is_ideograph(text[at - 1:at]) and is_ideograph(text[at + 1:at + 2])):
        return False
    return at - (text.rfind("\n", 0, at) + 1) >= _WRAPPED_LINE


def _title_cell(line: str) -> str:
    """A line as a title would be read: of a table row (| 日期 | X2024年度…报告 | |), the
    cell that names a year reported on, else one that names a year (not the page's date
    before a menu's 简体 | 繁体 run into the title); Markdown's marks (# 新郑市…, **…**) are
    no part of it.

    >>> _title_cell("# **新郑市卫生健康委员会**"), _title_cell("信川县____年度报告")
    ('新郑市卫生健康委员会', '信川县____年度报告')
    >>> _title_cell("# **石嘴山市卫生健康委**关于2023年政府信息")  # a converter bolds a span
    '石嘴山市卫生健康委关于2023年政府信息'
    """
    line = _MARKDOWN_EMPHASIS.sub(r"\2", _MARKDOWN_HEADING.sub("", line).strip()).replace("**", "")
    if "|" not in line:
        return line.strip()
    cells = [c.strip() for c in line.split("|") if c.strip()]
    return next((c for c in cells if _REPORT_YEAR.search(c)),
                next((c for c in cells if _YEAR.search(c)), cells[0] if cells else ""))


# A Markdown heading's marker and emphasis around a title: a converter's text of the PDF
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}[ \t]+")
_MARKDOWN_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")  # __ only around the whole title (XX县____年: blanks to fill)

# A year the report is about, not a date it was published on (2024年1月20日, 2024-01-19)
_REPORT_YEAR = re.compile(_YEAR.pattern + _WORDS["not_a_report_year"])
_NIAN = "年"


def opening_year(text: str, chars: int = 1500) -> int | None:
    """The year a report without a title is about: the one its opening names most often
    (the first of those on a tie), dates of publication left out.

    >>> opening_year("时间：2024年1月20日\\n按照《2023年政务公开工作要点》要求，2023年，我局……")
    2023
    >>> opening_year("一、总体情况\\n本机关坚持公开为常态。") is None
    True
    >>> opening_year("按照《信川县2023政务公开工作要点》要求，我局2022年主动公开信息。")  # another document's year
    2022
    """
    found = [(int(m.group(1)), not m.group(0).endswith(_NIAN) and _in_book_title(text, m.start()))
             for m in _REPORT_YEAR.finditer(text, 0, chars)]
    # (a year a quoted document's title prints without 年 — 《X县2023政务公开工作要点》 — counts
    # only when the opening names no other: such a year was no year before titles could print one)
    years = [y for y, quoted in found if not quoted] or [y for y, _ in found]
    return max(years, key=lambda y: (years.count(y), -years.index(y))) if years else None


# A report without a title names itself in its opening sentence (sections.yaml: opening).
@functools.cache  # compiled on first use: most reports print a title, and start-up counts
def _patterns(key: str, name: str) -> tuple[re.Pattern[str], ...]:
    """``sections.yaml``'s patterns under ``title.<key>``, the name in group ``agency``."""
    return tuple(re.compile(p.replace(f"{{{name}}}", f"(?P<agency>{_WORDS[name]})")
                            .replace("{year}", _YEAR.pattern).replace("{predicate}", _WORDS["predicate"])
                            .replace("{lead}", _WORDS["lead"]).replace("{date}", _WORDS["date"]))
                 for p in _WORDS[key])


_OPENING_VERBS = re.compile(_WORDS["opening_verbs"])
_LEADS = re.compile(_WORDS["lead"])
_LEVEL_ONLY = re.compile(_WORDS["level_only"])


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
    >>> opening_agency("编制并发布信川市机关事务管理局2023年政府信息公开年度报告。")  # the name after the last verb
    '信川市机关事务管理局'
    >>> opening_agency("本报告由信川市突发事件预警信息发布中心编制并向社会公布。")  # 发布 in a name
    '信川市突发事件预警信息发布中心'
    >>> opening_agency("结合2020年度本街道政府信息公开工作情况编制而成。")  # a name that says 本街道 is none
    """
    for pattern in _patterns("opening", "agency"):
        m = pattern.search(text)
        if m:  # 编制并向社会公布X…: the name follows the last verb
            name = _past_run_in(_OPENING_VERBS.split(_whole_name(m, text))[-1])
            return None if not name or _regex("relative").search(name) else name  # 本街道政府, 我局
    return None


@functools.cache
def _regex(key: str) -> re.Pattern[str]:
    """``sections.yaml``'s pattern ``title.<key>``, compiled on first use."""
    return re.compile(_WORDS[key])


def _whole_name(m: re.Match[str], text: str) -> str:
    """The name matched, with the local bureau a national office's name goes on to
    (国家税务总局 + 东莞市税务局: the shortest name ends at 总局), or the street or township
    office a government's name goes on to (信川区人民政府 + 建安路街道办事处; :func:`full_name`
    writes it 信川区建安路街道办事处) or an office of its own with a name (口岸办公室), or the
    branch a bureau's goes on to (信川市公安局 + 安平分局).

    >>> m = re.search("(?P<agency>信川区人民政府)", "请联系：信川区人民政府建安路街道办事处。")
    >>> _whole_name(m, m.string)
    '信川区人民政府建安路街道办事处'
    >>> m = re.search("(?P<agency>信川市公安局)", "本报告由信川市公安局安平分局编制。")
    >>> _whole_name(m, m.string)
    '信川市公安局安平分局'
    >>> m = re.search("(?P<agency>信川市人民政府)", "由信川市人民政府口岸办公室负责编制。")
    >>> _whole_name(m, m.string), _whole_name(m, "由信川市人民政府办公室负责编制。")
    ('信川市人民政府口岸办公室', '信川市人民政府')
    >>> _whole_name(m, "由信川市人民政府信息公开办公室编制。")  # the government's own report
    '信川市人民政府'
    """
    name, end = m.group("agency"), m.end("agency")
    if _regex("national_parent").search(name):
        found = _regex("local_unit").match(text, end)
    elif _regex("government_parent").search(name):
        found = _regex("township_unit").match(text, end) or _regex("government_office").match(text, end)
    else:  # 上海市公安局 + 长宁分局
        found = _regex("branch_unit").match(text, end) if name.endswith("局") else None
    return name + found.group(0) if found else name


def body_agency(text: str) -> str | None:
    """The agency a report names in its opening pages, when no title or opening sentence
    names it: in an opening sentence below a page's header, as the subject of a sentence,
    in its contact line or its signature; the first such name that says which agency
    without knowing the place (not 市财政局, 我局, 市委市政府); else the website it names
    after itself.

    >>> body_agency("一、总体情况\\n2022年，信川市水利局认真贯彻落实《条例》。")
    '信川市水利局'
    >>> body_agency("一、总体情况\\n区住建委以……为指引。市财政局高度重视信息公开工作。")
    >>> body_agency("如有疑问，请与国家税务总局信川市税务局办公室联系。")
    '国家税务总局信川市税务局'
    >>> body_agency("一、总体情况\\n我局坚持公开为常态。\\n二〇二一年一月十五日\\n信川市统计局")  # its signature
    '信川市统计局'
    >>> body_agency("信川市交通运输局网站公开信息927条。"), body_agency("通过信川市人民政府网站公开信息。")
    ('信川市交通运输局', None)
    >>> body_agency("一、总体情况\\n本街道工作扎实。全年通过横山街道门户网站公开信息。")
    '横山街道'
    >>> body_agency("语音播报\\n本报告由淄博市体育局按照《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室的有关通知要求编制。")
    '淄博市体育局'
    >>> body_agency("一、总体情况\\n依据《信川市人力资源和社会保障局信息公开实施办法》，我局扎实推进。")  # its own rules
    '信川市人力资源和社会保障局'
    >>> body_agency("根据《信川市人民政府办公室关于做好2022年年报工作的通知》要求编制。") is None  # another's notice
    True
    >>> body_agency("一、总体情况\\n2020年，信川县认真贯彻落实国、省、市决策部署。")  # a county as the subject
    '信川县'
    >>> body_agency("2023年，自治区坚持公开为常态。"), body_agency("2023年，信川县坚持公开。通过信川县教育局门户网站发布信息。")
    (None, '信川县教育局')
    """
    names = _names_printed(text, ("opening", "agency"), ("body", "name"), ("contact", "name"), ("signature", "name"),
                           ("own_book", "name"), ("township_subject", "township_name"))
    found = next((name for name in names if _names_itself(name)), None)
    if found is None:
        sites = (_regex("website_via").split(name)[-1] for name in _names_printed(text, ("website", "name")))
        found = next((name for name in sites if _names_itself(name) and not _regex("portal").search(name)), None)
    if found is None:  # a county or province as a sentence's subject: its government
        found = next((name for name in _names_printed(text, ("place_subject", "place_name")) if _names_itself(name)), None)
    return found


def _names_printed(text: str, *keys: tuple[str, str]) -> Iterator[str]:
    """Every name the patterns ``title.<key>`` (name group ``name``) find in the opening
    pages (the signature: in the report's last lines), pattern by pattern, in order, each
    once (a name repeated is no new evidence, and callers look each one up in the text
    again); a bureau's office read as the bureau."""
    seen: set[str] = set()
    for key, name in keys:
        for named in _names_under(text, key, name):
            if named not in seen:
                seen.add(named)
                yield named


@functools.lru_cache(maxsize=32)
def _names_under(text: str, key: str, name: str) -> tuple[str, ...]:
    """The names one key's patterns find (:func:`_names_printed`), each once, in order.
    Cached: a report without a title asks for the same keys of one text several times."""
    # (a signature's lines as printed: a name on a line of its own is what marks it)
    where = text[-_WORDS["signature_chars"]:].strip() if key == "signature" else _opening_readable(text)
    found: dict[str, None] = {}
    for pattern in _patterns(key, name):
        for m in pattern.finditer(where):
            # the name follows the last opening verb or lead (page furniture run into
            # 本报告由X按照… is not part of it)
            named = _past_run_in(_LEADS.split(_OPENING_VERBS.split(_whole_name(m, where))[-1])[-1])
            if key == "body" and _regex("verbs_before_name").match(named):
                continue  # the object of a sentence's verb (学习借鉴X取得…的经验), not its subject
            if _regex("pronoun").search(named):
                continue  # 继续加强我部网站: words run into the agency's 我部, no name
            found.setdefault(_regex("sub_unit").sub("", _past_introducer(named)))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _opening_readable(text: str) -> str:
    """The opening pages as names are read in them (:func:`_readable`)."""
    return _readable(text[:_WORDS["body_chars"]])


def _past_introducer(name: str) -> str:
    """The name without the 由 that introduces it (…，由建章路街道办事处编制: 由 is no part of it)."""
    return name[1:] if name.startswith(_WORDS["introducer"]) and _names_itself(name[1:]) else name


def _names_itself(name: str | None) -> bool:
    """A name that says which agency on its own: a place in it (or a national ministry's
    or office's ending), not relative (市财政局, 我局), not the leadership (市委市政府)."""
    return bool(name) and bool(_regex("place").search(name)) and not _regex("relative").search(name)


def fuller_name(agency: str | None, text: str) -> str | None:
    """A name that needs its place to be read (市教育局, 应急管理局: a title without the
    place; 横山镇: a township without its county), completed by a name the opening pages print that ends with it, found where
    :func:`body_agency` looks or in the title of one of its rules (《信川市教育局…制度》).

    >>> fuller_name("应急管理局", "如有疑问，请与信川市应急管理局办公室联系。")
    '信川市应急管理局'
    >>> fuller_name("市教育局", "2023年度市教育局……建立了《信川市教育局政务公开工作规则》")
    '信川市教育局'
    >>> fuller_name("市教育局", "本局高度重视。")
    '市教育局'
    >>> fuller_name("市口岸办", "本报告由信川市人民政府口岸办公室负责编制。")  # its short form's words in order
    '信川市人民政府口岸办公室'
    >>> fuller_name("横山镇", "如有疑问，请与信川县横山镇人民政府联系。")  # a township with its county
    '信川县横山镇人民政府'
    >>> fuller_name("高良乡人民政府", "地址：师宗县高良乡人民政府党政办。")  # its county printed before it
    '师宗县高良乡人民政府'
    >>> fuller_name("横沥镇", "通过“东莞市横沥镇”公众号发布信息。")  # a city that has no counties
    '东莞市横沥镇人民政府'
    >>> fuller_name("狮山镇", "在佛山市狮山镇政府网站公开，根据南海区要求编制。")  # the county it names first
    '南海区狮山镇人民政府'
    >>> fuller_name("文化和旅游局", "现将文化和旅游局2021年度情况报告如下。\\n六、其他需要报告的事项\\n无\\n信川县文化和旅游局\\n2022年1月19日")
    '信川县文化和旅游局'
    """
    if not agency:
        return agency
    introduced = _introduced(agency, text)
    if introduced:
        return introduced
    short = full_name(agency)  # (横山镇政府(机关): the township's government)
    township = _regex("township").search(short)
    if _names_itself(agency) and not township:
        return _written_out(short, text) or agency
    for name in _names_printed(text, ("opening", "agency"), ("body", "name"), ("contact", "name"), ("book", "name"),
                               ("signature", "name"), ("source", "name")):
        whole = full_name(name)
        if whole != short and whole.endswith(short) and _names_itself(name):
            return name
    for name in _names_printed(text, ("source", "name"), ("opening", "agency")):
        if _names_itself(name) and _shortens(short, full_name(name)):
            return name  # (市口岸办 in the title, 由深圳市人民政府口岸办公室…编制 in the opening)
    opening = text[:_WORDS["body_chars"]]
    if township:
        # the county printed before the township's own name, else the county the report
        # names most (根据路桥区要求…, 在路桥区政府网站公布: a township's report speaks of its own
        # county), else a city printed before its name (嘉峪关市雄关街道: a city with no counties)
        own = short[:township.end("kind")]
        county = county_of(own, opening) or most_named(opening) or place_before(own, opening)
        return county + short if county else agency
    # a name printed nowhere whole in the patterns' places may still stand whole in a
    # sentence (现将金台区审计局政府信息公开工作…报告如下)
    place = place_before(short, opening)
    return place + short if place else agency


_INTRODUCED_REACH = 40  # a name before its short form's bracket: at most this many characters


@functools.cache
def _introduces_any() -> re.Pattern[str]:
    """``introduced`` for any short form (one line of any length where the name goes)."""
    return re.compile(_WORDS["introduced"].replace("{short}", ".+?"))


def _introduced(short: str, text: str) -> str | None:
    """The name the report introduces ``short`` as its short form of (由广西壮族自治区北部湾
    经济区规划建设管理办公室(以下简称自治区北部湾办)编制): the longest name that ends at the
    bracket and says which agency.

    >>> _introduced("信川北部湾办", "本报告由信川省北部湾经济区规划建设管理办公室(以下简称信川北部湾办)编制。")
    '信川省北部湾经济区规划建设管理办公室'
    >>> _introduced("信川北部湾办", "信川北部湾办2022年年度报告") is None
    True
    >>> _introduced("向阳区局", "向阳区民政局(以下简称向阳区局)编制。")  # a place that opens with 向
    '向阳区民政局'
    """
    opening = text[:_WORDS["body_chars"]]
    # most reports introduce no short form: one scan with a compiled pattern says so
    # before a pattern for this one name is compiled
    if not _introduces_any().search(opening):
        return None
    m = re.search(_WORDS["introduced"].replace("{short}", re.escape(short)), opening)
    if m is None:
        return None
    before = text[max(0, m.start() - _INTRODUCED_REACH):m.start()]
    agency = _regex("agency")
    longest = next((before[i:] for i in range(len(before) - 1) if agency.fullmatch(before[i:])), "")
    name = _past_introducer(_LEADS.split(_OPENING_VERBS.split(longest)[-1])[-1])  # (本报告由X, 由X(以下简称Y): X)
    return name if name and agency.fullmatch(name) and _names_itself(name) else None


def _written_out(short: str, text: str) -> str | None:
    """The name the opening pages print in full for a title's short form of it (国家药监局 →
    国家药品监督管理局, 武汉市房管局 → 武汉市住房保障和房屋管理局): same place, the short
    form's characters in order, the same kind of ending — and not the short name with more
    after it (信川市公安局交通管理局 is another office, not 信川市公安局 written out), nor two
    names joined (…管理委员会和市公积金中心), nor an address that ends with the name (亳州市…北门市商务局).  Only
    names that open with the short form's place (or its first two characters) are read: one
    scan in C, where every report with a placed name passes through here.

    >>> _written_out("国家药监局", "国家药品监督管理局网站发布")
    '国家药品监督管理局'
    >>> _written_out("信川市商务局", "地址：信川市东城区建设大道北门市商务局南楼") is None
    True
    >>> _written_out("信川县人民政府办公室", "请与信川县人民政府信息公开办公室联系") is None  # another office
    True
    """
    if _regex("complete_kind").search(short):
        return None  # 合江县人民政府办公室 is no short form of 合江县人民政府信息公开办公室
    place = _place_of(short)
    anchor = place or short[:2]
    # …大道万福大市场北门市商务局 ends as 亳州市商务局 does after its place (市商务局): an
    # address run into the name, not the name written out
    same_end = short[len(place) - 1:] if place else None
    for found in _spelled_out(anchor, short[-1]).finditer(text, 0, _WORDS["body_chars"]):
        whole = found.group()
        if short not in whole and _abbreviates(short, whole) and _names_itself(whole) \
                and not _regex("two_names").search(whole) and not _regex("site_name").search(whole) \
                and not (same_end and whole.endswith(same_end)):
            return _with_full_ending(whole, text, found.end())
    return None


def _with_full_ending(whole: str, text: str, end: int) -> str:
    """``whole`` (ending at ``end`` in ``text``) with the rest of its kind's full ending the
    text goes on with: a short form's 委 is matched at 委员会's first character.

    >>> _with_full_ending("信川市国有资产监督管理委", "信川市国有资产监督管理委员会网站", 12)
    '信川市国有资产监督管理委员会'
    """
    for ending in _WORDS["short_endings"].get(whole[-1], ()):
        if text.startswith(ending, end - 1):
            return whole + ending[1:]
    return whole


@functools.lru_cache(maxsize=1024)
def _spelled_out(anchor: str, ending: str) -> re.Pattern[str]:
    """Names that open with ``anchor`` and end with ``ending``, up to 20 characters between."""
    return re.compile(re.escape(anchor) + r"[^\W\d_]{1,20}?" + re.escape(ending))


def _abbreviates(short: str, whole: str) -> bool:
    """Is ``short`` ``whole`` with words left out after their common place?

    >>> _abbreviates("武汉市房管局", "武汉市住房保障和房屋管理局"), _abbreviates("国家药监局", "国家药品监督管理局")
    (True, True)
    >>> _abbreviates("武汉市房管局", "武汉市城市管理执法委员会"), _abbreviates("武汉市房管局", "黄石市住房保障和房屋管理局")
    (False, False)
    """
    place = _place_of(short)
    if len(whole) <= len(short) or not whole.startswith(place) or whole[-1] != short[-1]:
        return False
    chars = iter(whole[len(place):])
    return all(c in chars for c in short[len(place):])


def _shortens(short: str, whole: str) -> bool:
    """Is ``short`` (市城管执法委) a short form of ``whole`` (信川市城市管理执法委员会): its
    characters in order in ``whole``, after its first place, to an ending of the same kind
    (委 for 委员会)?

    >>> _shortens("市城管执法委", "信川市城市管理执法委员会"), _shortens("市城管执法委", "信川市城市管理局")
    (True, False)
    >>> _shortens("市房管局", "武汉市住房保障和房屋管理局"), _shortens("市房管局", "武汉市民政局")
    (True, False)
    """
    core = short[1:] if _LEVEL_ONLY.match(short) else short
    starts = [i for i in range(2, len(whole)) if _regex("place_end").search(whole[:i])]
    if len(core) < 2 or not starts or core[0] not in whole[starts[0]:]:
        return False
    rest = whole[starts[0]:]
    if not rest.endswith((core[-1], *_WORDS["short_endings"].get(core[-1], ()))):
        return False
    chars = iter(rest)
    return all(c in chars for c in core)


_FULL_NAMES = tuple(_WORDS["full_names"].items())
_PEOPLE_GOVERNMENT = _WORDS["people_government"]
_GOVERNMENT_OF = dict(_WORDS["government_of"])


_ALIAS_END = re.compile(r"[（(][^（）()]{2,12}[）)]$")


def full_name(agency: str | None) -> str | None:
    """An agency's name with the standard short form of its kind written in full, as its
    records write it (``sections.yaml``: ``full_names``); other names as printed.

    >>> full_name("石嘴山市卫生健康委"), full_name("信川市住建局"), full_name("信川市政府办公室")
    ('石嘴山市卫生健康委员会', '信川市住房和城乡建设局', '信川市人民政府办公室')
    >>> full_name("信川市卫生健康委员会"), full_name("信川市人民政府"), full_name(None)
    ('信川市卫生健康委员会', '信川市人民政府', None)
    >>> full_name("信川市"), full_name("信川县横山镇"), full_name("建安路街道")
    ('信川市人民政府', '信川县横山镇人民政府', '建安路街道办事处')
    >>> full_name("信川市信川区人民政府建安路街道办事处")  # a street office named after its government
    '信川市信川区建安路街道办事处'
    >>> full_name("信川市市场监督管理局机关"), full_name("横山镇政府(机关)")  # its organs are the agency
    ('信川市市场监督管理局', '横山镇人民政府')
    >>> full_name("信川区建安路街道各科室")  # its parts together: the agency
    '信川区建安路街道办事处'
    >>> full_name("信川市人民政府(市人民政府办公厅)")  # one report for the government and its office
    '信川市人民政府'
    >>> full_name("信川县政府办")  # a government's office by its short name
    '信川县人民政府办公室'
    >>> full_name("信川经济开发区综合办公室"), full_name("信川市人民政府办公室")  # (a zone's: :func:`_as_recorded`)
    ('信川经济开发区综合办公室', '信川市人民政府办公室')
    >>> full_name("信川高新技术产业开发区"), full_name("信川地区"), full_name("海关总署(本级机关)")
    ('信川高新技术产业开发区管理委员会', '信川地区行政公署', '海关总署')
    >>> full_name("自治区民委(宗教事务局)")  # the short form before its other name
    '自治区民族事务委员会(宗教事务局)'
    >>> full_name("信川高新区(滨江)"), full_name("（宗教事务局）")  # a place in brackets; a bracket alone
    ('信川高新区(滨江)', '（宗教事务局）')

    """
    if not agency:
        return None
    agency = _regex("organs_note").sub("", _regex("government_in_township").sub("", agency))
    agency = _regex("collective_parts").sub("", agency) or agency
    agency = _regex("own_office_note").sub("", agency)
    agency = _regex("doubled_end").sub(r"\1", agency)  # 区自然资源局局: a typo
    alias = _ALIAS_END.search(agency)  # 自治区民委(宗教事务局): the name before its other name
    if alias and alias.start() > 0 and _regex("agency").fullmatch(alias.group()[1:-1]):
        return full_name(agency[:alias.start()]) + alias.group()
    for short, full in _FULL_NAMES:
        if agency.endswith(short):
            return agency[:-len(short)] + full
    if _regex("bare_zone").search(agency):
        return agency + _WORDS["government_of_zone"]
    for level, government in _GOVERNMENT_OF.items():  # 上海市 (2022年上海市政府信息公开…): its government
        if agency.endswith(level) and not _regex("no_government").search(agency) \
                and not _regex("relative").search(agency):
            return agency + government
    return re.sub(_PEOPLE_GOVERNMENT["short"], _PEOPLE_GOVERNMENT["full"], agency)


def _is_title(line: str) -> bool:
    return len(line) <= 60 and not _SENTENCE_MARKS.search(line)


def own_names(agency: str | None) -> tuple[str, ...]:
    """The forms a report writes its own agency's name in: whole, and its kind after the
    last place word (荣成市信访局 → 信访局), longest first.  A figure's object is never
    the agency's own name, whose words (信访, 医疗保障) would otherwise read as topics.

    >>> own_names("荣成市信访局"), own_names("信川县横山镇人民政府"), own_names(None)
    (('荣成市信访局', '信访局'), ('信川县横山镇人民政府', '人民政府'), ())
    """
    if not agency:
        return ()
    place = _place_of(agency)
    kind = agency[len(place):] if place else ""
    return tuple(dict.fromkeys(x for x in (agency, kind) if len(x) >= 3))


def _place_of(name: str) -> str:
    """A name up to its last place word (荣成市 of 荣成市信访局); "" when it has none.

    >>> _place_of("荣成市信访局"), _place_of("国家药监局")
    ('荣成市', '')
    """
    m = _regex("up_to_place").match(name)
    return name[:m.end()] if m else ""

