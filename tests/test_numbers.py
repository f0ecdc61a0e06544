"""Value normalization: numerals, multipliers, units, approximate words."""

from __future__ import annotations

import doctest

import cn2an
import pytest

import nlp.numbers as numbers
from nlp.numbers import QUANTITY_RE, Quantity, label_for_unit, parse_number, parse_quantity


def test_doctests():
    result = doctest.testmod(numbers)
    assert result.attempted > 10 and result.failed == 0


@pytest.mark.parametrize("text,value", [
    ("0", 0), ("7", 7), ("188", 188), ("1,234", 1234), ("12,345,678", 12345678),
    ("82.4", 82.4), ("0.5", 0.5), ("100.0", 100), ("１２３", 123), ("８２．４", 82.4),
    ("3.469万", 34690), ("1.2亿", 120000000), ("3万", 30000), ("2千", 2000), ("1.5万亿", 1500000000000),
    ("零", 0), ("〇", 0), ("一", 1), ("两", 2), ("二", 2), ("十", 10), ("十二", 12),
    ("二十", 20), ("二十五", 25), ("一百", 100), ("一百零五", 105), ("一百一十", 110),
    ("三千二百", 3200), ("三千零二", 3002), ("一千零一", 1001), ("两千", 2000),
    ("一万", 10000), ("三万四千", 34000), ("十万", 100000), ("一百万", 1000000),
    ("一亿零五十万", 100500000), ("两亿", 200000000), ("二〇二三", 2023), ("一九九九", 1999),
    ("三点五", 3.5), ("十二点零五", 12.05), ("壹佰贰拾", 120), ("3千2百", 3200),
    ("-5", -5),
])
def test_parse_number(text, value):
    got = parse_number(text)
    assert got == value
    assert isinstance(got, int) == isinstance(value, int)


@pytest.mark.parametrize("bad", ["", "abc", "12,34", "1.2.3", "件", "三件"])
def test_parse_number_rejects(bad):
    with pytest.raises(ValueError):
        parse_number(bad)


@pytest.mark.parametrize("n", list(range(0, 1200)) + [9999, 10001, 10010, 10100, 20500,
                                                       99999, 100001, 1002003, 30004005,
                                                       100000000, 120034005])
def test_chinese_numerals_roundtrip_cn2an(n):
    """Every numeral cn2an writes, we read back (cn2an as the independent oracle)."""
    assert parse_number(cn2an.an2cn(n)) == n


@pytest.mark.parametrize("span,expected", [
    ("188条", (188, "条", False, None)),
    ("188 条", (188, "条", False, None)),
    ("2件", (2, "件", False, None)),
    ("55份", (55, "份", False, None)),
    ("14项", (14, "项", False, None)),
    ("729篇", (729, "篇", False, None)),
    ("8个", (8, "个", False, None)),
    ("1次", (1, "次", False, None)),
    ("100人次", (100, "人次", False, None)),
    ("12人", (12, "人", False, None)),
    ("一名", (1, "名", False, None)),
    ("4期", (4, "期", False, None)),
    ("2场", (2, "场", False, None)),
    ("3批次", (3, "批次", False, None)),
    ("2种", (2, "种", False, None)),
    ("380元", (380, "元", False, None)),
    ("2954万元", (2954, "万元", False, None)),
    ("1.2亿元", (1.2, "亿元", False, None)),
    ("三万元", (3, "万元", False, None)),
    ("3万余元", (30000, "元", True, "at_least")),
    ("82.4%", (82.4, "%", False, None)),
    ("82.4％", (82.4, "%", False, None)),
    ("百分之八十", (80, "%", False, None)),
    ("0", (0, "", False, None)),
    ("0件", (0, "件", False, None)),
    ("1,234条", (1234, "条", False, None)),
    ("１８８条", (188, "条", False, None)),
    ("3.469万余人次", (34690, "人次", True, "at_least")),
    ("3.469万人次", (34690, "人次", False, None)),
    ("100余人次", (100, "人次", True, "at_least")),
    ("360余条", (360, "条", True, "at_least")),
    ("十多件", (10, "件", True, "at_least")),
    ("200多条", (200, "条", True, "at_least")),
    ("近600条", (600, "条", True, "at_most")),
    ("约20%", (20, "%", True, "about")),
    ("超过500件", (500, "件", True, "at_least")),
    ("逾千条", (1000, "条", True, "at_least")),
    ("20%左右", (20, "%", True, "about")),
    ("95%以上", (95, "%", True, "at_least")),
    ("100人上下", (100, "人", True, "about")),
    ("两千余份", (2000, "份", True, "at_least")),
    ("一百零五件", (105, "件", False, None)),
    ("三千二百条", (3200, "条", False, None)),
    ("1.5万条", (15000, "条", False, None)),
    ("1.2亿人次", (120000000, "人次", False, None)),
])
def test_parse_quantity(span, expected):
    q = parse_quantity(span)
    assert (q.value, q.unit, q.approx, q.direction) == expected


@pytest.mark.parametrize("before,approx,direction", [
    ("", False, None), ("共", False, None), ("发布", False, None),
    ("共计近", True, "at_most"), ("将近", True, "at_most"), ("约", True, "about"),
    ("大约", True, "about"), ("超过", True, "at_least"), ("超", True, "at_least"),
    ("突破", True, "at_least"), ("不少于", True, "at_least"), ("逾", True, "at_least"),
    ("不足", True, "at_most"), ("多达", False, None), ("累计", False, None),
])
def test_parse_quantity_before(before, approx, direction):
    q = parse_quantity("600条", before=before)
    assert (q.approx, q.direction) == (approx, direction)
    assert q.value == 600


@pytest.mark.parametrize("after,approx,direction", [
    ("，", False, None), ("左右。", True, "about"), ("以上", True, "at_least"),
    ("余", False, None),  # 600条余… is not how an approximation is written
])
def test_parse_quantity_after(after, approx, direction):
    q = parse_quantity("600条", after=after)
    assert (q.approx, q.direction) == (approx, direction)


@pytest.mark.parametrize("claim", [
    "未收到政府信息公开申请", "无行政复议", "未发生行政复议和行政诉讼", "没有收到申请",
    "暂无", "未出现行政复议、行政诉讼",
])
def test_zero_claims(claim):
    assert parse_quantity(claim) == Quantity(0, "", False, None)


@pytest.mark.parametrize("bad", ["", "收到申请", "第二十条", "件", "12abc", "零申请件x"])
def test_parse_quantity_rejects(bad):
    with pytest.raises(ValueError):
        parse_quantity(bad)


@pytest.mark.parametrize("unit,label", [
    ("元", "MONEY"), ("万元", "MONEY"), ("亿元", "MONEY"), ("%", "PERCENT"),
    ("条", "COUNT"), ("人次", "COUNT"), ("", "COUNT"),
])
def test_label_for_unit(unit, label):
    assert label_for_unit(unit) == label
    assert Quantity(1, unit).label == label


def test_units_longest_first():
    """人次 must be tried before 人, 万元 before 元 — otherwise spans split wrongly."""
    m = QUANTITY_RE.match("5人次")
    assert m and m.group("unit") == "人次"
    assert numbers.UNITS.index("人次") < numbers.UNITS.index("人")
    assert numbers.UNITS.index("万元") < numbers.UNITS.index("元")
