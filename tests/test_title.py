"""The agency and year read off a report's title and opening (nlp.segment.title), on the
shapes that go wrong: names cut inside, relative names, invented governments, furniture,
and hostile lines that must stay linear."""

from __future__ import annotations

import pytest

from nlp.segment import title
from nlp.segment.title import title_meta
from nlp.types import lines_of


def agency(text: str) -> str | None:
    return title_meta(text, lines_of(text))[0]


@pytest.mark.parametrize("text, expected", [
    # a contact line names the whole bureau: not cut at the 乡 of 城乡 into a "government"
    ("一、总体情况\n如有疑问，请与信川市住房和城乡建设局办公室联系。", "信川市住房和城乡建设局"),
    ("一、总体情况\n如有疑问，请与信川市城乡规划局联系。", "信川市城乡规划局"),
    # words spaced in a title: a national office and its bureau, a county and its town,
    # an alias in brackets left out
    ("国家税务总局 信川市税务局2023年政府信息公开工作年度报告\n正文", "国家税务总局信川市税务局"),
    ("信川县 横山镇2023年政府信息公开工作年度报告\n正文", "信川县横山镇人民政府"),
    ("信川市发展和改革委员会 （信川市粮食局）2023年政府信息公开工作年度报告\n正文", "信川市发展和改革委员会"),
    # a title in two lines whose first is a place
    ("信川县横山镇\n2023年政府信息公开工作年度报告\n正文", "信川县横山镇人民政府"),
    # a county or province as the subject, when the report names no agency else: its government
    ("县政府编制了2020年度政府信息公开工作报告。\n一、总体情况\n2020年,信川县认真贯彻落实国、省、市决策部署。",
     "信川县人民政府"),
    # a general office's name is no short form of another office's that holds its words
    ("信川县人民政府办公室2023年政府信息公开工作年度报告\n如有疑问请与信川县人民政府信息公开办公室联系。",
     "信川县人民政府办公室"),
    # an agency's parts taken together (各科室) in the opening sentence's title: the agency
    ("结合2023年信川市信川区建安路街道各科室的信息公开工作实际情况编制本报告。\n一、总体情况", "信川市信川区建安路街道办事处"),
    # a page's 时效性 field's value run into the title (a dump without line ends)
    ("- 发布机构: 信川市人民政府- 文号:- 时效性: 有效信川市2025年政府信息公开工作年度报告根据《条例》要求",
     "信川市人民政府"),
    # a verb's 了 is no part of the name after it (现编制了X…)
    ("根据《条例》要求，现编制了信川区建筑工务署2022年政府信息公开工作年度报告。\n一、总体情况", "信川区建筑工务署"),
    # a whole area's report compiled from its counties', the year before the place
    ("本年度报告综合2017年度信川市各县（市、区）政府和市级各部门的年度报告编制而成。\n一、概述",
     "信川市人民政府"),
    # one report for a government and its general office is the government's
    ("现公布《信川市人民政府（市人民政府办公厅）2021年政府信息公开工作年度报告》。\n一、总体情况",
     "信川市人民政府"),
    # verbs inside names are not where a name starts
    ("现公布信川市政务公开办公室2023年度政府信息公开工作年度报告。", "信川市政务公开办公室"),
    ("一、总体情况\n2023年，信川市突发事件预警信息发布中心认真贯彻《条例》。", "信川市突发事件预警信息发布中心"),
    # places that begin with 本, 全, 镇, 乡 are places
    ("一、总体情况\n2023年，本溪市财政局认真贯彻《条例》。", "本溪市财政局"),
    ("2023年度全椒县教育局政府信息公开工作年度报告\n正文", "全椒县教育局"),
    ("一、总体情况\n2023年，镇原县人民政府认真贯彻《条例》。", "镇原县人民政府"),
    # a bureau's office as the subject is the bureau; the report's own 本报告由X…
    ("一、总体情况\n2023年，信川市教育局办公室在局党组领导下推进公开。", "信川市教育局"),
    ("本报告由信川市财政局按照《条例》和上级有关要求，结合本局工作实际，在汇总各科室材料后形成。",
     "信川市财政局"),
    # 向社会公开 is a verb before the name, not its start; a page's field label run into its
    # title is no part of the name; a zone's committee is a 管委会 (管理委员会 in full), not a 管委
    ("根据《条例》要求，我局编制并向社会公开信川市人力资源和社会保障局2023年政府信息公开工作年度报告。",
     "信川市人力资源和社会保障局"),
    ("索引号 000123/2023-001\n标题信川县横山镇2022年政府信息公开工作年度报告\n正文", "信川县横山镇人民政府"),
    ("一、总体情况\n如对本报告有疑问，请与信川经济开发区管委会办公室联系。", "信川经济开发区管理委员会"),
    # a bureau's branch is the branch, not the bureau; a body with two names keeps both
    ("本年度报告由信川市公安局安平分局编制。全文包括概述等六个部分。", "信川市公安局安平分局"),
    ("本年度报告由信川市公安局编制，各分局另行公布。", "信川市公安局"),
    ("本年度报告由信川市公安局指导各分局编制。", "信川市公安局"),
    ("本报告由信川市教育局（以下称市局）编制。", "信川市教育局"),
    ("依据《条例》之规定，结合工作实际，由信川市生态环境局制作本报告。", "信川市生态环境局"),
    ("根据《条例》要求，现发布《信川市民族事务委员会(宗教事务局)2024年政府信息公开工作年度报告》。",
     "信川市民族事务委员会(宗教事务局)"),
    # 政府 of 政府信息公开 ends no name: a government is 人民政府 or a place's level's 政府
    ("梳理2020年度信川海关系统政府信息公开工作情况编制而成。如有疑问，请联系海关总署办公厅。", "海关总署"),
    ("信川县政府2023年政府信息公开工作年度报告\n正文", "信川县人民政府"),
    # a site's elderly-friendly version's link run into a one-line dump's title
    ("长者专版横山镇人民政府2023年政府信息公开工作年度报告 一、总体情况 2023年，横山镇坚持公开。", "横山镇人民政府"),
    # the sentence that says the report was done on time, read as a title in a one-line text
    ("一、总体情况 依法按时完成建安路街道2024年政府信息公开年度报告。如有疑问，请与信川区建安路街道办事处联系。",
     "信川区建安路街道办事处"),
])
def test_names_read_whole(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # no government invented for a relative place or a zone run by a committee: a zone
    # named bare is its 管理委员会 (two annotators of real zone reports wrote so); a 新区
    # may have a 人民政府 or a committee, and stays as printed
    ("我县2023年政府信息公开工作年度报告\n正文", "我县"),
    ("信川综合保税区2023年政府信息公开工作年度报告\n正文", "信川综合保税区管理委员会"),
    ("信川滨海新区2023年政府信息公开工作年度报告\n正文", "信川滨海新区"),
    # a part of what a city reports, two agencies, no name at all: none from the body
    ("一、总体情况\n2023年，全市共主动公开政府信息123条，其中信川市教育局共主动公开12条。", None),
    ("一、总体情况\n2023年，信川市教育局和信川市体育局认真贯彻。", None),
    ("一、总体情况\n2023年，信川市教育局全部认真贯彻落实《条例》。", None),
    ("一、总体情况\n2023年，局党支部认真贯彻。", None),
    # a sentence read as a title, the agency speaking of itself: 我乡 is no name
    ("一、总体情况\n根据《条例》规定，现对我乡2022年度政府信息公开工作情况进行报告", None),
    # a date range is no name (现将2022年1月1日至…以来政府信息公开…)
    ("现将2022年1月1日至2022年12月31日以来政府信息公开工作报告如下：", None),
    # 年度 is the year's: 本局 is no name, nor is 度本局
    ("根据《条例》要求，特向社会公布2018年度本局信息公开工作年度报告。", None),
    ("结合2018年度本局信息公开工作情况编制本报告。", None),
    ("根据通知要求，向社会公布2021年度本级机关政府信息公开年度报告。", None),
])
def test_no_name_is_made_up(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("line", [
    "2023年" * 10_000,
    "公布2023年" * 7_142,
    "2023年，信川市" * 5_555,
    ("2023年" + "x" * 25) * 1_666,
    "> 2023年度报告 " * 5_000,
])
def test_a_hostile_line_of_years_is_looked_at_near_its_first_years_only(line, monkeypatch):
    """Each year of a line was looked at back to the line's start, for every year: lines
    like these took 1–11 CPU-s.  Now only a line's first few years, each within a title's
    length, so the work is bounded whatever the line's length."""
    seen = []
    real = title._title_start

    def spy(text: str, year: int) -> int:
        start = real(text, year)
        seen.append((year, start))
        return start

    monkeypatch.setattr(title, "_title_start", spy)
    title_meta(line, lines_of(line))
    assert 0 < len(seen) <= title._TITLE_YEARS
    assert all(0 <= year - start <= title._TITLE_CHARS for year, start in seen)


@pytest.mark.parametrize("text, year", [
    # a law's edition is no year reported on; a period opening on 1 January is
    ("依据《中华人民共和国政府信息公开条例》（2019年修订版）要求，2023年，本局认真贯彻落实。", 2023),
    ("本报告的统计期限为2024年1月1日至12月31日。", 2024),
    # a quoted document's year counts only when the opening names no other (the review: a
    # year printed without 年 in 《信川县2023政务公开工作要点》)
    ("按照《信川县2023政务公开工作要点》要求，我局2022年主动公开信息。", 2022),
    ("按照《信川县2023年政务公开工作要点》要求，我局主动公开信息。", 2023),
    # (the second review) a quoted title's year printed with 年 counts as it always did: the
    # year of next year's plans does not outvote it
    ("信川县水利局政府信息公开工作年度报告\n按照《信川县2022年政务公开工作要点》要求，编制本报告。本局2023年将继续加强公开。",
     2022),
    # a school's report is of an academic year: the year it ends (audit L, a set's university)
    ("信川学院2013-2014学年信息公开工作年度报告\n一、概述\n本学年学校主动公开信息12条。", 2014),
    ("信川大学2020—2021学年信息公开工作年度报告\n一、概述", 2021),
    ("信川学院2021年—2022学年信息公开工作年度报告\n一、概述", 2022),  # (the review: 年 after the first year)
])
def test_the_year_reported_on(text, year):
    assert title_meta(text, lines_of(text))[1] == year


@pytest.mark.parametrize("text, expected", [
    # a cover letter above the report: its date under the sender's name is no title whose
    # words the line below prints (audit M's page 14 gave 2021, beside the 2019 template)
    ("信川市人民政府办公室：\n现将本中心2020年政府信息公开年度报告予以报送。\n信川市防震减灾中心\n2021年1月14日\n"
     "信川市防震减灾中心2020年政府信息公开年度报告\n一、总体情况", ("信川市防震减灾中心", 2020)),
    # a title that prints its year without 年 (audit M's page 9: neither agency nor year)
    ("信川区统计局2023信息公开年报\n一、总体情况\n本局主动公开政府信息5条。", ("信川区统计局", 2023)),
    ("信川县民政局2021政府信息公开工作年度报告\n一、总体情况", ("信川县民政局", 2021)),
    # a breadcrumb with its own year run into the title, as a one-line dump's first line
    # gives it (audit M's page 1 as one line lost its agency)
    ("首页/ 政府信息公开 / 年报 / 镇街 / 2022年 / 正文横山镇2022年度政府信息公开年报\n一、总体情况",
     ("横山镇人民政府", 2022)),
    # (the review) printed without spaces — the crumbs are no name — and with a crumb's year
    # other than the title's; a title giving its period 1月至12月 is a title
    ("首页/政府信息公开/年报/镇街/2022年/正文横山镇2022年度政府信息公开年报\n一、总体情况", ("横山镇人民政府", 2022)),
    ("首页/ 政府信息公开 / 年报 / 镇街 / 2023年 / 正文横山镇2022年度政府信息公开年报\n一、总体情况",
     ("横山镇人民政府", 2022)),
    ("横山镇人民政府2022年1月至12月政府信息公开工作年度报告\n一、总体情况", ("横山镇人民政府", 2022)),
    ("横山镇人民政府2022年1月-12月政府信息公开工作年度报告\n一、总体情况", ("横山镇人民政府", 2022)),
    # (the second review) one / joins two offices' names: no crumb
    ("中共信川县委办公室/信川县人民政府办公室2022年政务公开工作年度报告\n一、总体情况",
     ("中共信川县委办公室/信川县人民政府办公室", 2022)),
    ("信川县人力资源和社会保障局/信川县医疗保障局2022年政府信息公开工作年度报告\n一、总体情况",
     ("信川县人力资源和社会保障局/信川县医疗保障局", 2022)),
])
def test_the_title_not_a_letters_date_nor_a_year_without_its_nian(text, expected):
    assert title_meta(text, lines_of(text)) == expected


@pytest.mark.parametrize("text, year", [
    ("信川县民政局2021年12月发布\n2021年政府信息公开工作年度报告\n一、总体情况", 2021),
])
def test_the_year_reported_on_beside_a_date(text, year):
    assert title_meta(text, lines_of(text))[1] == year


# ---------------------------------------------------------------- the place in a name
@pytest.mark.parametrize("text, expected", [
    # a district's title without its city: the city records name it with
    ("雁塔区民政局2023年政府信息公开工作年度报告\n一、总体情况", "西安市雁塔区民政局"),
    ("兴庆区前进街街道办事处\n2024年政府信息公开工作年度报告\n正文", "银川市兴庆区前进街街道办事处"),
    ("武进区卫健局2023年政府信息公开工作年度报告\n正文", "常州市武进区卫生健康局"),
    # printed with its city: kept
    ("西安市雁塔区民政局2023年政府信息公开工作年度报告\n正文", "西安市雁塔区民政局"),
    # a district name two cities share: the city the report prints before it, else none
    ("白云区税务局2023年政府信息公开工作年度报告\n地址：贵阳市白云区某路", "贵阳市白云区税务局"),
    ("白云区税务局2023年政府信息公开工作年度报告\n正文", "白云区税务局"),
    # a county-level city after its prefecture: the city alone; a prefecture's short form in full
    ("达州市万源市自然资源局2024年政府信息公开工作年度报告\n正文", "万源市自然资源局"),
    ("昌吉州卫生健康委2021年度政府信息公开工作年度报告\n正文", "昌吉回族自治州卫生健康委员会"),
    ("天水市张家川县教育局2021年度政府信息公开工作年度报告\n正文", "张家川回族自治县教育局"),
    ("长阳县财政局2021年度政府信息公开工作年度报告\n正文", "长阳土家族自治县财政局"),
    # … but not a name that was a county of its own (东乡县, Jiangxi, until 2017)
    ("东乡县财政局2015年度政府信息公开工作年度报告\n正文", "东乡县财政局"),
    # a street office named after its district's government: the district, then the office
    ("根据《条例》，结合本街道实际编制本报告。如有疑问，请联系：西安市雁塔区人民政府小寨路街道办事处。",
     "西安市雁塔区小寨路街道办事处"),
    # a township with its county, as the contact line prints it
    ("横山镇2023年政府信息公开工作年度报告\n如有疑问，请与信川县横山镇人民政府联系。", "信川县横山镇人民政府"),
    # a title quoted in the opening sentence begins at its bracket; 的 before what it is about
    ("根据《条例》，我镇编制了《横山镇2020年政府信息公开工作年度报告》。", "横山镇人民政府"),
    ("本报告根据《条例》要求，汇总2021年度横山镇人民政府的政务公开年度报告编制而成。", "横山镇人民政府"),
    # a breadcrumb's year names no agency: the title below it does
    ("首页/ 政府信息公开 / 年报 / 2021年 / 正文\n\n横山镇2021年政府信息公开工作年度报告\n正文", "横山镇人民政府"),
    # a place that is in no table (made up, or made since the codes): as printed
    ("信川区教育局2023年政府信息公开工作年度报告\n正文", "信川区教育局"),
    ("内蒙古自治区林业和草原局2023年政府信息公开工作年度报告\n正文", "内蒙古自治区林业和草原局"),
])
def test_a_name_gets_its_place_as_records_write_it(text, expected):
    assert agency(text) == expected


def test_the_synthetic_gold_names_a_real_district_with_its_city():
    """The generator's gold follows the pipeline's convention: its made-up agencies
    sometimes carry a real district's name, and then its city before it."""
    from nlp import lexicon
    from nlp.corpus.synth import generate

    parents = lexicon.load("places")["parents"]
    with_district = {}  # agency → the real district (one city only) its name holds
    for r in generate(300, seed=3):
        for k, ch in enumerate(r.agency[:12]):
            for j in range(max(0, k - 6), k - 1):
                if ch == "区" and isinstance(parents.get(r.agency[j:k + 1]), str):
                    with_district[r.agency] = (r.agency[j:k + 1], parents[r.agency[j:k + 1]])
    bare = [a for a, (district, _city) in with_district.items() if a.startswith(district)]
    assert not bare, f"a real district's agency without its city: {bare[:3]}"
    completed = [a for a, (district, city) in with_district.items() if a.startswith(city + district)]
    assert completed, "no real district's agency in 300 reports: the check checks nothing"


@pytest.mark.parametrize("text, expected", [
    # a title without its year above the sentence that gives it: the name ends where the
    # title's subject starts; a people's organisation by its short name, its city the one
    # the report names
    ("市妇联政府信息公开工作年度报告\n2024年，海城市妇女联合会（以下简称“市妇联”）认真贯彻《条例》。"
     "现将2024年度市妇联政府信息公开工作年度报告如下：\n一、总体情况", "海城市妇女联合会"),
    # a street office whose county is printed only elsewhere in the opening (its notice,
    # its website): the county the report names most
    ("特向社会公布东湖街道2022年度信息公开年度报告。根据椒江区通知要求编制，"
     "并在椒江区政府门户网站公开。\n一、总体情况", "台州市椒江区东湖街道办事处"),
    # a government's own report covers its whole area: 综合X行政区域内… names X's government
    ("本年报依据《条例》，综合椒江区行政区域内总体情况编制。\n一、总体情况", "台州市椒江区人民政府"),
    # ... whoever compiles it: 由X领导小组办公室…汇总Y市各县（市、区）…情况编制 is Y's
    ("本报告由信川市政府信息公开工作领导小组办公室根据《条例》要求，汇总信川市各县（市、区）、市政府各部门"
     "政府信息公开工作情况编制而成。\n一、概述", "信川市人民政府"),
])
def test_a_name_completed_from_the_opening(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a title that gives only the kind of agency; a sentence prints it with its district
    # (a district the codes know: its city added)
    ("审计局2024年政府信息公开工作年度报告\n根据《条例》，现将金台区审计局政府信息公开工作情况报告如下：\n"
     "一、总体情况", "宝鸡市金台区审计局"),
    # ... but never a place printed before it in some other role
    ("审计局2024年政府信息公开工作年度报告\n一、总体情况\n本局配合城区审计局开展工作。", "审计局"),
    # a title that shortens the name; the page's source field writes it in full
    ("市城管执法委2025年政府信息公开工作年度报告\n发布日期：2026-01-29 文章来源：信川市城市管理执法委员会\n"
     "一、总体情况", "信川市城市管理执法委员会"),
    # ... but not another agency's name there
    ("市城管执法委2025年政府信息公开工作年度报告\n文章来源：信川市人民政府办公室\n一、总体情况", "市城管执法委"),
    # no title: the year's work of the agency the report is made from
    ("本年报根据2023年眉山市司法局信息公开工作实际编制而成。\n一、总体情况", "眉山市司法局"),
    # the contact line's name with its address in brackets before 联系
    ("特向社会公布2023年政府信息公开工作年度报告。如有疑问，请与信川县公安局（地址：信川县红旗路36号；"
     "电话：0000-1234567）联系。\n一、总体情况", "信川县公安局"),
    # a city's bureau by its level alone: the city the report names most
    ("一、总体情况\n市人民防空办认真贯彻《条例》。通过重庆市人民防空网站公布信息378篇。\n"
     "2.依申请公开\n按重庆市规范办理。", "重庆市人民防空办公室"),
    ("一、总体情况\n市场监管局认真贯彻《条例》。通过重庆市政府网站公布信息。", None),
    # a township's government noted as its organs: its county from the address
    ("根据《条例》，特向社会公布2019年度青龙镇政府(机关)信息公开年度报告。"
     "(地址：建水县青龙镇人民政府)\n一、总体情况", "建水县青龙镇人民政府"),
    # a title's short form of a name the opening prints in full (the book it cites, the
    # publisher on the page's date line)
    ("国家药监局2019年政府信息公开工作年度报告发布\n日前，网站发布《国家药品监督管理局2019年政府信息公开工作年度报告》。\n"
     "一、总体情况", "国家药品监督管理局"),
    ("市房管局2021年政府信息公开工作年度报告\n2022-01-25 14:48 信川市住房保障和房屋管理局\n一、总体情况",
     "信川市住房保障和房屋管理局"),
    # ... nor two names joined, though its characters are there in order
    ("信川市公积金管理中心\n2024年政府信息公开工作年度报告\n由信川市住房公积金管理委员会和市公积金中心联合发布。\n一、总体情况",
     "信川市公积金管理中心"),
    # ... but not a unit of it, which prints the whole short name and more
    ("信川市公安局2021年政府信息公开工作年度报告\n《信川市公安局交通管理局政务公开规定》\n一、总体情况", "信川市公安局"),
    # the subject of the opening with its other name in brackets
    ("一、总体情况\n2025年，信川经济开发区管委会(滨江商务区管委会)深入贯彻落实《条例》。", "信川经济开发区管理委员会"),
    # a zone whose name carries its district in brackets, as the subject of the opening
    ("一、总体情况\n2022年，信川高新区（安平）政务服务中心认真贯彻落实《条例》。", "信川高新区（安平）政务服务中心"),
])
def test_a_place_less_name_completed_where_the_page_prints_it_whole(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a site's filing label before the title: its year is not where the name ends
    ("当前位置：首页 > 年报\n【2019】信川县交通运输局2019年政府信息公开工作年度报告\n一、总体情况", "信川县交通运输局"),
    # a kind's last character printed twice
    ("一、总体情况\n2022年，信川区自然资源局局认真落实《条例》。", "信川区自然资源局"),
    # the agency's work the report is made from, named before its year
    ("根据《条例》要求，结合信川市商务局2022年政府信息公开工作实际，编制发布本报告。\n一、总体情况", "信川市商务局"),
    # named nowhere but in its own disclosure rules
    ("一、总体情况\n2020年，我局依据《信川市人力资源和社会保障局信息公开实施办法》推进公开。", "信川市人力资源和社会保障局"),
    ("一、总体情况\n根据《信川市人民政府办公室关于做好年报编制工作的通知》，我局编制本报告。", None),
    ("一、总体情况\n严格执行《信川自治区政府信息公开申请办理规范》，我委依法答复。", None),  # a government's rules
    # a street's party-and-government office writes the report: the street office
    ("本年度报告由信川市信川区人民政府横山街道党政办公室综合科编制。\n一、总体情况", "信川市信川区横山街道办事处"),
])
def test_names_the_audit_of_real_openings_found(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the bare kind of agency in the opening sentence, its place only in the signature
    ("现将文化和旅游局2021年度政府信息公开情况汇报如下：\n一、总体情况\n今年以来，我局扎实推进。\n"
     "六、其他需要报告的事项\n无\n信川县文化和旅游局\n2022年1月19日", "信川县文化和旅游局"),
    # named nowhere but in the website it calls its own
    ("一、总体情况\n2025年，我局持续推进信息公开。信川市交通运输局网站主动公开信息927条。", "信川市交通运输局"),
    # the subject of the opening sentence, 为 and its purpose after it (audit L)
    ("一、总体情况\n2023年，信川市医疗保障局为深入推进政府信息公开工作，认真贯彻落实条例。", "信川市医疗保障局"),
    # … and after 是, whose subject follows it (推进…是X为贯彻落实…的重要举措)
    ("一、总体情况\n推进政府信息公开是信川县横山镇政府为贯彻落实条例的重要举措。", "信川县横山镇人民政府"),
    # … taken as the carrier (以X官网…为载体: set AE)
    ("一、总体情况\n一年来，以信川市人民防空办公室官网、微信公众号为载体，做好信息公开。", "信川市人民防空办公室"),
    # a zone committee's portal carries its bureaus' reports: not the report's agency
    ("一、总体情况\n2022年，我局通过示范区管委会网站公开信息20条。", None),
])
def test_a_name_from_the_signature_or_the_agencys_own_website(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a name by its level alone as the subject, its whole name in the title of its own rules
    ("根据《条例》，编制本报告。\n一、总体情况\n2021年，市机关事务管理局坚持公开为常态。修订《信川市机关事务管理局"
     "政府信息主动公开基本目录》。", "信川市机关事务管理局"),
    # … and none printed: a bare 区住建委 says no place (the 乡 of 城乡 is no township)
    ("一、总体情况\n2021年，区住建委坚持公开为常态。", None),
    # 全馆干部 (the staff) is no ministry
    ("一、总体情况\n档案馆高度重视，全馆干部积极参与。", None),
    # a supply cooperative named in the opening, its office in the contact line
    ("本报告由信川市供销合作社联合社结合工作实际编制。如有疑问，请与信川市供销合作社联合社办公室联系。",
     "信川市供销合作社联合社"),
    # a customs office's district is the customs office
    ("信川海关关区2021年政府信息公开工作年度报告\n根据《条例》编制。", "信川海关"),
])
def test_names_of_kinds_of_agency_the_first_sets_lacked(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # what the report is about printed before the year
    ("信川市信川区教育体育局政府信息公开工作2022年度报告\n\n一、总体情况", "信川市信川区教育体育局"),
    # … or the whole title with its year in brackets after it (audit L)
    ("信川市统计局政府信息公开报告(2016年)\n\n一、总体情况", "信川市统计局"),
    ("信川市统计局政府信息公开工作年度报告（2016年度）\n\n一、总体情况", "信川市统计局"),
    ("信川市统计局政府信息公开工作年度报告【2016年】\n\n一、总体情况", "信川市统计局"),
    ("信川市统计局政府信息公开工作情况报告——2016年\n\n一、总体情况", "信川市统计局"),
    ("信川学院2013-2014学年信息公开工作年度报告\n一、概述", "信川学院"),
    # the subject of 编制 / 充分利用: the name ends before the verb, not at the next 政府
    ("根据《条例》要求，结合工作实际，信川区水务局编制了2024年度报告。\n一、总体情况\n信川区水务局充分利用信川区政府在线平台。",
     "信川区水务局"),
])
def test_the_name_ends_where_the_title_or_sentence_goes_on(text, expected):
    assert agency(text).endswith(expected)


@pytest.mark.parametrize("text, expected", [
    # a dump that lost its line ends: the breadcrumb's last crumb runs into the title's name
    ("当前位置：首页 > 政务公开 > 政府信息公开年报信川市审计局2023年政府信息公开工作年度报告一、总体情况", "信川市审计局"),
    ("打印本页 关闭窗口信川市审计局2023年政府信息公开工作年度报告一、总体情况", "信川市审计局"),
    # a place named twice: the crumb (市直部门) and the name
    ("当前位置：首页 > 2023 > 大冶市直部门大冶市统计局2023年政府信息公开工作年度报告一、总体情况", "大冶市统计局"),
    # a title printed twice with no break between
    ("信川县统计局2023年政府信息公开工作年度报告信川县统计局2023年政府信息公开工作年度报告一、总体情况", "信川县统计局"),
    # a cover letter's title: the agency before 关于报送
    ("信川市审计局关于报送2020年政府信息公开工作年度报告的函\n市政府办公厅：", "信川市审计局"),
    # ... while a name that holds such words is left whole
    ("信川市政务公开办公室2023年政府信息公开工作年度报告\n一、总体情况", "信川市政务公开办公室"),
])
def test_a_name_page_furniture_runs_into_is_read_past_it(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the title quoted in the opening sentence; the contact line's address ends with 市商务局
    # (…北门市商务局南楼): an address, not the name written out
    ("用微信扫描二维码分享\n根据《条例》规定，现发布《信川市商务局2024年政府信息公开工作年度报告》。如有疑问，"
     "请与信川市商务局联系（地址：信川市东城区建设大道万福大市场北门市商务局南楼308室）。\n一、总体情况", "信川市商务局"),
    # 举办 ends as 办 (an office) does: a verb, no name (在…中心举办…活动 names a venue)
    ("一、总体情况\n2019年，市知识产权局加大公开力度。按照全市统一部署，在信川市知识产权保护中心举办开放日活动。", None),
    # the words before a bare level are a verb's, no place (充分发挥市国资委门户网站…)
    ("一、总体情况\n(一)主动公开情况\n充分发挥市国资委门户网站作为主渠道作用，主动公开信息。", None),
])
def test_a_verb_or_an_address_is_no_part_of_a_name(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a title that prints no year (the body gives it): the name before what the report is about
    ("信川路街道办事处政府信息公开工作年度报告\n\n一、总体情况\n\n2021年度本街道未接到申请。", "信川路街道办事处"),
    # a township named bare as the subject of its sentences: its government
    ("一、总体情况\n2022年以来，横岭乡在县委县政府的正确领导下，扎实推进政务公开。横岭乡坚持公开为常态。",
     "横岭乡人民政府"),
    # a website's name (the government's site, then the bureau's page on it) is no name written out
    ("一、总体情况\n2020年，信川区统计局以公开为常态。我局主要通过信川区政府网统计局网站公开信息。", "信川区统计局"),
    # a district whose name holds 县 keeps it
    ("松县区人民政府办公室2019年政府信息公开工作年度报告\n一、概述", "松县区人民政府办公室"),
    # the national disease-control bureau's short form, written in full
    ("国家疾控局2025年政府信息公开工作年度报告\n一、总体情况", "国家疾病预防控制局"),
    # a site's words run into the title's name by a dump without line ends
    ("智能问答繁体登录注册信川市民政局2024年度政府信息公开工作年度报告一、总体情况", "信川市民政局"),
    ("首页 / 年报 / 正文信川市审计局2021年政府信息公开工作年度报告一、总体情况", "信川市审计局"),
    ("部门街镇信川县横山镇人民政府2025年政府信息公开工作年度报告一、总体情况", "信川县横山镇人民政府"),
    ("当前位置:街镇 > 横山镇 > 政务公开 > 政府信息公开年报横山镇2020年政府信息公开工作年度报告日期:2021-01-29",
     "横山镇人民政府"),
    ("首页 > 区政府信息公开年报 > 镇街信川区建安路街道办事处2021年政府信息公开工作年度报告", "信川区建安路街道办事处"),
])
def test_names_in_titles_without_a_year_in_subjects_and_past_site_words(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # 由 before the name in 由X编制 is no part of it
    ("横岭街道2022年政府信息公开工作年度报告\n\n本年度报告根据《格式》的要求，由横岭街道办事处编制。\n一、总体情况",
     "横岭街道办事处"),
    # a time after the year (上半年) is no name
    ("2022年上半年政府信息公开数据统计\n\n一、公文类政府信息公开情况\n2022年上半年，全区共制发公文70件。", None),
    # a sentence quoting a notice, cut at 年度报告 by a dump's relayout, is no title
    ("根据《条例》规定和《信川市人民政府办公室关于编制2023年政府信息公开工作年度报告\n有关事项的通知》要求，"
     "现编制形成《信川市司法局2023年政府信息公开工作年度报告》。\n一、总体情况", "信川市司法局"),
])
def test_an_introducer_or_a_time_is_no_part_of_a_name(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a purpose clause cut at 年度报告 by a one-line relayout is no title: the name comes later
    ("为切实做好2022年度政府信息公开工作年度报告\n编制及发布工作，根据《条例》规定，现公布信川市大数据发展管理局"
     "2022年政府信息公开工作年度报告。\n一、总体情况", "信川市大数据发展管理局"),
    # a page header printing the name again before the title's is no part of it
    ("信川县人民政府 信川县人民政府 信川县人民政府2021年度 信息公开年度报告\n一、总体情况", "信川县人民政府"),
    # the breadcrumb's last item run into the title's name that ends with it
    ("您当前位置:首页 >> 政府信息公开年报 >> 乡镇(街道) >> 横山镇信川县横山镇2024年政府信息公开工作年度报告发布时间:2025-01-09",
     "信川县横山镇人民政府"),
    # a menu's last one-character word (镇) run into a name that opens with its place
    ("部  门街  镇重庆市南岸区横山镇人民政府2025年政府信息公开工作年度报告日期:2026-01-09一、总体情况",
     "重庆市南岸区横山镇人民政府"),
    # a name with its level alone after a site's words: the name, which the body completes
    ("信川市数据开放平台智能问答繁体登录注册市民政局2024年度政府信息公开工作年度报告2025-02-05 信川市民政局"
     "根据《条例》规定编制本报告。一、总体情况2024年，信川市民政局坚持公开为常态。", "信川市民政局"),
    # a page's metadata run together: the crumb 政府信息公开年报 before the title's year
    ("当前位置: 首页> 政务公开 > 乡镇街道 > 横山镇 > 政府信息公开年报索 引 号 0012/2024-104757 公开方式 主动公开"
     "发布机构 横山镇组配分类 政府信息公开年报2023年横山镇政府信息公开工作年度报告发布日期: 2024-01-16"
     "    一、总体情况", "横山镇人民政府"),
    # ... but the 乡 of 城乡 is no township, and 为民 opens a name, not a purpose
    ("一、总体情况\n如有疑问，请与信川县城乡办公室联系。", "信川县城乡办公室"),
    ("为民服务中心2023年政府信息公开工作年度报告\n一、总体情况", "为民服务中心"),
    # a street's kind alone as a sentence's subject is no name; its 综合办公室 in the contact line is its office's
    ("本报告根据《条例》要求编制。如有任何疑问，请与信川市安平区横山街道综合办公室联系（地址：横山路1号）。\n"
     "一、总体情况\n2024年，街道办事处深入贯彻落实《条例》。", "信川市安平区横山街道办事处"),
    # a township's office in the contact line is its government's
    ("本报告由本乡编制。如对本报告有任何疑问，请与信川县横山乡办公室联系，地址：横山乡政府二楼。\n一、总体情况",
     "信川县横山乡人民政府"),
    # a body whose disclosure work is the subject, and a verb after it; not another's, not a place's
    ("一、总体情况\n2020年，县民政局政务公开工作深入推进。\n……提高平利县民政局的知名度。", "平利县民政局"),
    ("一、总体情况\n按照国务院办公厅政府信息公开工作要求，我局扎实推进。", None),
    ("一、总体情况\n2022年，根据省政府信息公开工作部署，我局稳步推进。", None),
    ("一、总体情况\n信川市人民政府办公室取得的经验值得推广。我局坚持公开。", None),  # 取得的: not its subject
    ("一、总体情况\n2022年，我局认真贯彻落实。学习借鉴信川市人民政府办公室取得良好成效的经验做法。", None),  # its object
    ("一、总体情况\n2022年，我局扎实推进。认真做好信川市人民政府办公室主动公开信息的转发工作。", None),
    # its party group as the subject (a national office's name has no place: 审计署 is one)
    ("2016年，审计署党组高度重视政府信息公开工作。", "审计署"),
    ("一、总体情况\n2022年，信川市财政局党组高度重视政务公开工作。", "信川市财政局"),
    # a county-level city the opening names (one it follows, visits or learns from) does not
    # complete a township's name: a city it only mentions is no evidence of its own
    ("黄家镇2019年政府信息公开工作年度报告\n按照内江市、隆昌市政务公开工作安排，现公布本报告。", "黄家镇人民政府"),
    ("横山镇2023年政府信息公开工作年度报告\n一、总体情况\n2023年，镇里组织干部赴昆山市考察学习。", "横山镇人民政府"),
    ("东风路街道2023年政府信息公开工作年度报告\n一、总体情况\n2023年，东风路街道与结对帮扶的都江堰市人民政府开展互学。",
     "东风路街道办事处"),
    # a zone's office in the contact line is its committee's; a title naming the office is its own report
    ("本报告由本区编制。如有任何疑问，请与信川经济开发区综合办公室联系。\n一、总体情况", "信川经济开发区管理委员会"),
    ("信川高新技术开发区党政办公室2025年政府信息公开工作年度报告\n一、总体情况", "信川高新技术开发区党政办公室"),
    # the sentence that says who wrote the report: its verb is no part of the name, and a
    # place's report is its government's, whatever office takes the questions
    ("编写信川县2017年度政府信息公开工作年度报告。如有疑问，请与信川县电子政务办公室联系。\n一、概述", "信川县人民政府"),
    ("根据《条例》规定，编写信川县2017年度政府信息公开工作年度报告。\n一、概述\n2017年，我县高度重视。", "信川县人民政府"),
    # a page's caption above a title line is no name (基本介绍 ⏎ 中文名：2010年度…报告), a body
    # whose name ends in none of an agency's endings is, when it names its place
    ("2010年度政府信息公开年度报告\n\n基本介绍\n\n中文名:2010年度政府信息公开年度报告\n一、加强组织领导", None),
    ("信川市红十字会\n2022年政府信息公开工作年度报告\n一、总体情况", "信川市红十字会"),
    ("信川县图书馆\n2022年政府信息公开工作年度报告\n一、总体情况", "信川县图书馆"),
    # the whole of a place (全市) is no name
    ("现将全市2022年政务公开工作情况报告如下。\n一、总体情况\n2022年，全市主动公开信息100条。", None),
])
def test_a_purpose_a_repeated_header_or_a_crumb_is_no_part_of_a_name(text, expected):
    assert agency(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a page whose line ends were lost: a field's value or a crumb run into the title's name,
    # which the page prints apart too
    ("发布单位：信川市医疗保障局 主题分类：医保信川市医疗保障局2023年度政府信息公开工作年度报告时间：2024-01-19",
     "信川市医疗保障局"),
    ("信川市退役军人事务局长者专区 当前位置：首页 > 通知公告信川市退役军人事务局2025年政府信息公开工作年度报告",
     "信川市退役军人事务局"),
    ("发布机构：信川经济技术开发区管理委员会 信川经济技术开发区信川经济技术开发区管理委员会2023年政府信息公开工作年度报告",
     "信川经济技术开发区管理委员会"),
    # the name, then its short form as the title prints it
    ("无障碍|长者版信川市文化和旅游局市文化和旅游局2021年政府信息公开工作年度报告时间：2022-01-24来源：信川市文化和旅游局",
     "信川市文化和旅游局"),
    # a menu's 简体 | 繁体 between the page's date and the title
    ("信川市人民政府 2019年12月3日星期二 无障碍 简体 | 繁体 长者模式 信川区民政局2019年度政府信息公开工作年度报告\n一、总体情况",
     "信川区民政局"),
    # a title of two lines a dump put on one, with a space between the name and the year
    ("日期:2021-01-22来源:信川工业园区管委会 信川工业园区管理委员会 2020年政府信息公开工作年度报告\n一、总体情况",
     "信川工业园区管理委员会"),
    # an item's enumerator is no part of a body's name
    ("一、总体情况\n一是信川县民政局高度重视政府信息公开工作，明确工作责任。", "信川县民政局"),
    # a verb between a body and the object it works on (市体育局对局官方网站…进行自查)
    ("一、总体情况\n（三）提升政府信息管理质量\n信川市体育局对局官方网站、政府信息公开平台数据进行自查。", None),
    # ... nor is a party's or a mass organisation's name before its place
    ("共青团信川市委员会2023年政府信息公开工作年度报告\n一、总体情况\n2023年，信川市委员会认真贯彻。", "共青团信川市委员会"),
    ("中共信川县委组织部2023年政府信息公开工作年度报告\n一、总体情况\n信川县委组织部高度重视。", "中共信川县委组织部"),
    # ... but a national body before a local office, or a region's name, is no furniture
    ("特向社会公布2020年度国家税务总局信川市税务局政府信息公开工作报告。详见信川市税务局网站。", "国家税务总局信川市税务局"),
    ("广西壮族自治区司法局关于2020年政府信息公开工作年度报告\n信息来源：自治区司法局办公室", "广西壮族自治区司法局"),
])
def test_a_name_a_page_ran_its_furniture_into(text, expected):
    assert agency(text) == expected


def test_a_title_below_a_text_browsers_menu_names_the_agency():
    """A text browser's dump (w3m, lynx) of a page prints the site's name, a search box, the
    menu, the breadcrumb and the fields before the report's title: the ninth line."""
    menu = ["信川市人民政府", "[          ]搜索", "", "  • 首页", "  • 政务公开", "  • 政务服务", "  • 互动交流",
            "  • 走进信川", "", "当前位置：首页 > 政务公开 > 年度报告", "发布时间：2024-01-20　来源：信川大学"]
    text = "\n".join([*menu, "", "信川大学2023年信息公开工作年度报告", "", "一、概述", "2023年，学校坚持公开。"])
    assert agency(text) == "信川大学"


def test_words_run_into_we_are_no_agency():
    """继续加强我部网站建设: the website branch read 继续加强我部 as a body's name."""
    assert agency("一、总体情况\n2023年，我部全年主动公开信息100条。继续加强我部网站建设，发布信息。") is None
