"""An agency's name with its place written as records write it.

A district's name is not unique in China (two 白云区, two 城关区) and a report printed on the
district's own site seldom says which city it is in: records name a district's agencies
with their city (西安市雁塔区民政局) and a town's or street's with its district or county.
A county or a county-level city is named alone (万源市自然资源局, not 达州市万源市…), and an
autonomous prefecture or county in full (昌吉回族自治州, not 昌吉州).  The divisions are data
(``nlp/data/lexicon/places.yaml``, from the national division codes); a name that is not
there (a new district, a made-up place) is kept as printed.
"""

from __future__ import annotations

import functools
from typing import Mapping

from nlp import lexicon

__all__ = ["with_place", "county_of"]

# a district's or county's name ends within a name's first characters
_PLACE_CHARS = 8


@functools.cache  # 78 KB of data: read when a title names an agency, not at import
def _places() -> Mapping[str, Mapping[str, str | list[str]]]:
    return lexicon.load("places")


def _district_end() -> str:
    return _places()["district_end"]


def _parents(unit: str) -> list[str]:
    found = _places()["parents"].get(unit)
    return [] if found is None else [found] if isinstance(found, str) else list(found)


def with_place(agency: str | None, text: str = "") -> str | None:
    """``agency`` as records write it: a district's city added (the city the report prints
    before the district when its name is shared), a prefecture left out before a county,
    an autonomous prefecture's or county's short form written in full.

    >>> with_place("雁塔区民政局"), with_place("西安市雁塔区民政局"), with_place("兴庆区前进街街道办事处")
    ('西安市雁塔区民政局', '西安市雁塔区民政局', '银川市兴庆区前进街街道办事处')
    >>> with_place("白云区税务局"), with_place("白云区税务局", "地址：贵阳市白云区某路1号")
    ('白云区税务局', '贵阳市白云区税务局')
    >>> with_place("达州市万源市自然资源局"), with_place("昌吉州卫生健康委员会")
    ('万源市自然资源局', '昌吉回族自治州卫生健康委员会')
    >>> with_place("信川区教育局"), with_place("国家税务总局广州市白云区税务局"), with_place(None)
    ('信川区教育局', '国家税务总局广州市白云区税务局', None)
    """
    if not agency:
        return agency
    agency = _in_full(agency)
    return _district_with_city(agency, text) or _county_alone(agency) or agency


def _in_full(agency: str) -> str:
    """An autonomous unit's short form at the start of a name, or after its prefecture
    (天水市张家川县…), written in full."""
    shorts = _places()["short_forms"]
    for cut in (0, *range(2, _PLACE_CHARS)):
        for end in range(cut + 2, min(len(agency), cut + _PLACE_CHARS) + 1):
            full = shorts.get(agency[cut:end])
            if full and (cut == 0 or agency[:cut] in _parents(full)):
                return agency[:cut] + full + agency[end:]
    return agency


def _district_with_city(agency: str, text: str) -> str | None:
    """A name that begins with a district: its city before it, if known and not printed."""
    mark = _district_end()
    end = agency.find(mark, 0, _PLACE_CHARS)
    while end > 0:
        cities = _parents(agency[:end + 1])
        if cities:
            district = agency[:end + 1]
            printed = [c for c in cities if c + district in text]
            city = printed[0] if printed else cities[0] if len(cities) == 1 else None
            return city + agency if city else agency
        end = agency.find(mark, end + 1, _PLACE_CHARS)
    return None


def _county_alone(agency: str) -> str | None:
    """A name that begins with a prefecture and a county (or county-level city) in it:
    the county's name alone."""
    ends, district = _places()["prefecture_ends"], _district_end()
    for cut in range(2, min(len(agency), _PLACE_CHARS)):
        prefecture, rest = agency[:cut], agency[cut:]
        if prefecture[-1] not in ends:
            continue
        for end in range(2, min(len(rest), _PLACE_CHARS) + 1):
            county = rest[:end]
            if not county.endswith(district) and prefecture in _parents(county):
                return rest
    return None


def county_of(township: str, text: str) -> str | None:
    """The county-level unit a report prints right before a township's or street's name
    (an address's 师宗县高良乡…, a sentence's 信川区建安路街道), when the codes know it.

    >>> county_of("高良乡", "地址为师宗县高良乡人民政府党政办"), county_of("高良乡", "高良乡党委")
    ('师宗县', None)
    """
    known = _places()["parents"]
    start = text.find(township)
    while start >= 0:
        for k in range(min(start, _PLACE_CHARS), 1, -1):
            if text[start - k:start] in known:
                return text[start - k:start]
        start = text.find(township, start + 1)
    return None
