"""An agency's name with its place written as records write it.

A district's name is not unique in China (two 白云区, two 江北区) and a report printed on the
district's own site seldom says which city it is in: records name a district's agencies
with their city (西安市雁塔区民政局) and a town's or street's with its district or county.
A county or a county-level city is named alone (万源市自然资源局, not 达州市万源市…), and an
autonomous prefecture or county in full (昌吉回族自治州, not 昌吉州).  The divisions are data
(``nlp/data/lexicon/places.yaml``, from the national division codes); a name that is not
there (a made-up place) is kept as printed.
"""

from __future__ import annotations

import functools
from typing import Any, Mapping

from nlp import lexicon

__all__ = ["with_place", "county_of", "with_own_place", "place_starts"]

# A place's name ends within a name's first characters: the longest prefecture-level
# names (克孜勒苏柯尔克孜自治州) have 11.
_PLACE_CHARS = 12
# The city a report prints before a district is looked for in its opening pages.
_OPENING_CHARS = 3000


@functools.cache  # 90 KB of data: read when a title names an agency, not at import
def _places() -> Mapping[str, Any]:
    return lexicon.load("places")


@functools.cache
def _prefectures() -> frozenset[str]:
    return frozenset(_places()["prefectures"])


def _parents(unit: str) -> list[str]:
    found = _places()["parents"].get(unit)
    return [] if found is None else [found] if isinstance(found, str) else list(found)


def with_place(agency: str | None, text: str = "") -> str | None:
    """``agency`` as records write it: a district's city added (the city the report prints
    before it, else the one city the codes give it), a prefecture left out before a
    county, autonomous units' short forms written in full.

    >>> with_place("雁塔区民政局"), with_place("西安市雁塔区民政局"), with_place("兴庆区前进街街道办事处")
    ('西安市雁塔区民政局', '西安市雁塔区民政局', '银川市兴庆区前进街街道办事处')
    >>> with_place("白云区税务局"), with_place("白云区税务局", "地址：贵阳市白云区某路1号")
    ('白云区税务局', '贵阳市白云区税务局')
    >>> with_place("达州市万源市自然资源局"), with_place("昌吉州卫生健康委员会")
    ('万源市自然资源局', '昌吉回族自治州卫生健康委员会')
    >>> with_place("镇宁自治县人民政府"), with_place("黔南自治州财政局")
    ('镇宁布依族苗族自治县人民政府', '黔南布依族苗族自治州财政局')
    >>> with_place("恩施州利川市民政局"), with_place("临夏州和政县教育局")
    ('利川市民政局', '和政县教育局')
    >>> with_place("东区街道办事处", "联系地址：中山市东区街道某路"), with_place("东区街道办事处")
    ('中山市东区街道办事处', '东区街道办事处')
    >>> with_place("信川区教育局"), with_place("国家税务总局广州市白云区税务局"), with_place(None)
    ('信川区教育局', '国家税务总局广州市白云区税务局', None)
    """
    if not agency:
        return agency
    agency = _in_full(agency)
    return _district_with_city(agency, text[:_OPENING_CHARS]) or _county_alone(agency) or agency


@functools.cache
def _short_forms() -> Mapping[str, str]:
    """An autonomous unit's short forms → its name: its place then 州/县/旗 (the data's),
    and its place then 自治州/自治县/自治旗, the people's names left out (镇宁自治县)."""
    shorts = dict(_places()["short_forms"])
    for suffix, tail in _places()["autonomous"].items():
        for short, full in list(shorts.items()):
            if short.endswith(tail) and full.endswith(suffix):
                shorts.setdefault(short[:-len(tail)] + suffix, full)
    return shorts


def _in_full(agency: str) -> str:
    """Every autonomous unit's short form at the start of a name, or after a place that
    holds it (临夏州东乡县…), written in full."""
    shorts = _short_forms()
    cut = 0
    while cut < min(len(agency), _PLACE_CHARS * 2):
        for end in range(min(len(agency), cut + _PLACE_CHARS), cut + 1, -1):
            full = shorts.get(agency[cut:end])
            if full and (cut == 0 or _holds(agency[:cut], full)):
                agency = agency[:cut] + full + agency[end:]
                cut += len(full) - 1
                break
        cut += 1
    return agency


def _holds(prefix: str, unit: str) -> bool:
    """Does the place ending ``prefix`` hold ``unit``?"""
    return any(prefix.endswith(parent) for parent in _parents(unit))


def _district_with_city(agency: str, text: str) -> str | None:
    """A name that begins with a district: the city the report prints before it, else the
    one city the codes give a district whose name is no ordinary word too (城区, 东区)."""
    mark, shortest = _places()["district_end"], _places()["min_district_chars"]
    end = agency.find(mark, 0, _PLACE_CHARS)
    while end > 0:
        district = agency[:end + 1]
        cities = _parents(district)
        printed = _city_printed_before(district, text)
        if cities or printed:
            alone = cities[0] if len(cities) == 1 and len(district) >= shortest else None
            city = printed or alone
            return city + agency if city else agency
        end = agency.find(mark, end + 1, _PLACE_CHARS)
    return None


@functools.cache
def _known_places() -> frozenset[str]:
    """Every place a name may open with: provinces (and the national level), prefectures,
    county-level units."""
    p = _places()
    return frozenset(p["provinces"]) | _prefectures() | frozenset(p["parents"])


def place_starts(words: str) -> list[tuple[int, str]]:
    """Where in ``words`` a known place begins, with the longest place there.

    >>> place_starts("政府信息公开年报重庆市国有资产监督管理委员会"), place_starts("南漳县卫生健康局南漳县")
    ([(8, '重庆市')], [(0, '南漳县'), (8, '南漳县')])
    """
    known, out, i = _known_places(), [], 0
    while i < len(words) - 1:
        k = next((k for k in range(min(_PLACE_CHARS, len(words) - i), 1, -1) if words[i:i + k] in known), 0)
        if k:  # the longest place here; none starts inside it (南漳县 holds 漳县)
            out.append((i, words[i:i + k]))
        i += k or 1
    return out


def _known_before(text: str, end: int, names: Any, shortest: int = 2) -> str | None:
    """The longest of ``names`` that the text prints ending at ``end``."""
    for k in range(min(end, _PLACE_CHARS), shortest - 1, -1):
        if text[end - k:end] in names:
            return text[end - k:end]
    return None


def _city_printed_before(district: str, text: str) -> str | None:
    """The prefecture-level city the text prints right before the district (中山市东区…)."""
    start = text.find(district)
    while start >= 0:
        city = _known_before(text, start, _prefectures())
        if city:
            return city
        start = text.find(district, start + 1)
    return None


def _county_alone(agency: str) -> str | None:
    """A name that begins with a prefecture and a county (or county-level city) in it:
    the county's name alone."""
    ends, district = tuple(_places()["prefecture_ends"]), _places()["district_end"]
    for cut in range(2, min(len(agency), _PLACE_CHARS)):
        prefecture, rest = agency[:cut], agency[cut:]
        if not prefecture.endswith(ends):
            continue
        for end in range(2, min(len(rest), _PLACE_CHARS) + 1):
            county = rest[:end]
            if not county.endswith(district) and prefecture in _parents(county):
                return rest
    return None


def county_of(township: str, text: str) -> str | None:
    """The county-level unit a report prints right before a township's or street's name
    (an address's 师宗县高良乡…, a sentence's 信川区建安路街道), when the codes know it and its
    name is no ordinary word too (主城区东关街道: 城区 is the town's centre).

    >>> county_of("高良乡", "地址为师宗县高良乡人民政府党政办"), county_of("高良乡", "高良乡党委")
    ('师宗县', None)
    >>> county_of("东关街道", "本街道地处主城区东关街道")
    """
    return _unit_before(township, text, _places()["parents"])


def place_before(name: str, text: str) -> str | None:
    """The place (a county-level unit or a prefecture, as the codes know them) the text
    prints right before ``name`` where it first does: a title's 审计局 is the 金台区审计局
    of the report's sentences.  Not a district whose name is an ordinary word too.

    >>> place_before("审计局", "现将金台区审计局政府信息公开工作情况报告如下"), place_before("审计局", "区审计局")
    ('金台区', None)
    >>> place_before("司法局", "根据眉山市司法局要求")
    '眉山市'
    """
    return _unit_before(name, text, _places()["parents"], _prefectures())


def _unit_before(name: str, text: str, *known: Any) -> str | None:
    """The longest place of the first of ``known`` that has one printed right before
    ``name``, where the text first prints one: not a district whose name is an ordinary
    word too (城区, 东区)."""
    shortest = _places()["min_district_chars"]
    start = text.find(name)
    while start >= 0:
        unit = next(filter(None, (_known_before(text, start, names) for names in known)), None)
        if unit and (len(unit) >= shortest or not unit.endswith(_places()["district_end"])):
            return unit
        start = text.find(name, start + 1)
    return None


def with_own_place(agency: str, text: str) -> str:
    """A name that gives only its level (区教育局, printed on the district's own site) with
    the place of that level the report names most often (武昌区 …: 武昌区教育局).

    >>> with_own_place("区教育局", "2023年，武昌区教育局…请与武昌区教育局联系，地址：洪山区某路")
    '武昌区教育局'
    >>> with_own_place("区教育局", "本局高度重视"), with_own_place("信川市教育局", "武昌区")
    ('区教育局', '信川市教育局')
    >>> with_own_place("将区医疗保障局", "请与昭化区医疗保障局联系"), with_own_place("东区街道办事处", "")
    ('昭化区医疗保障局', '东区街道办事处')
    >>> with_own_place("梅县区人民政府办公室", "2019年，梅县区以…")  # a district whose name holds 县
    '梅县区人民政府办公室'
    """
    known, levels = _places()["parents"], _places()["relative_levels"]
    if len(agency) > 2 and agency[1:2] in levels and agency[:1] in _places()["before_level"] \
            and agency[:2] not in known:
        agency = agency[1:]  # 将区医保局…: a word before 区, not a place (a title's 我县, 梅县区 stay)
    level = agency[:1]
    if level == _places()["city_level"] and not agency.startswith(tuple(_places()["not_city_level"])):
        place = most_named_city(text)
    elif level in levels:
        place = most_named(text, level)
    else:
        return agency
    return place + agency[1:] if place else agency


def most_named_city(text: str) -> str | None:
    """The city (prefecture-level, or a county-level city) the opening of ``text`` names
    most often, if it names it more than once.

    >>> most_named_city("通过重庆市人民防空网站公布信息。根据重庆市要求，报四川省备案")
    '重庆市'
    >>> most_named_city("市政府高度重视"), most_named_city("平度市公安局联系。青岛市级以上媒体，平度市红旗路")
    (None, '平度市')
    >>> most_named_city("通过石嘴山市政府门户网站公开")  # once: no evidence it is the report's own
    """
    level = _places()["city_level"]
    counts = _named_counts(text, [level], _prefectures(), _places()["parents"])
    counts = {unit: n for unit, n in counts.items() if unit.endswith(level)}
    best = max(counts, key=counts.__getitem__) if counts else None
    return best if best and counts[best] >= _places()["city_min_mentions"] else None


def most_named(text: str, level: str | None = None) -> str | None:
    """The place of a level (区, 县; of either, by default) the opening of ``text`` names
    most often, if any.

    >>> most_named("根据路桥区要求……在路桥区政府网站公布，报椒江区备案")
    '路桥区'
    """
    counts = _named_counts(text, [level] if level else _places()["relative_levels"], _places()["parents"])
    return max(counts, key=counts.__getitem__) if counts else None


def _named_counts(text: str, levels: list[str], *known: Any) -> dict[str, int]:
    """How often the opening of ``text`` names each place of ``levels``: the longest name of
    the first of ``known`` that has one (3 characters or more) ending at a level's word."""
    counts: dict[str, int] = {}
    for lv in levels:
        at = text.find(lv, 0, _OPENING_CHARS)
        while at >= 0:
            unit = next(filter(None, (_known_before(text, at + 1, names, shortest=3) for names in known)), None)
            if unit:  # a place's name before the 区
                counts[unit] = counts.get(unit, 0) + 1
            at = text.find(lv, at + 1, _OPENING_CHARS)
    return counts
