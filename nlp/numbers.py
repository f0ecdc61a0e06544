"""Value normalization: the number, unit and approximation a fact span states.

Conventions (``shared/spec/annotation.md``):

- ``value`` is a plain number: Chinese numerals converted, 万/亿 used as
  *multipliers* multiplied out (``3.469万余人次`` → 34690 人次).
- Money keeps the unit as written when 万元/亿元 follow the number directly:
  ``2954万元`` → value 2954, unit ``万元`` (the table column is 本年收费金额（单位：
  万元）, so the narrative figure compares with the cell as is).  ``3万余元`` is a
  multiplier with an approximation before the unit: 30000 元.
- ``unit`` is ``""`` when the span has none (``"0"``) and for zero claims, as the
  gold records write it.
- ``approx`` is true when 余/多/近/约/左右/以上/超过/超/突破/不少于/逾/上下 (and a few
  synonyms) qualify the number; ``direction`` says what they imply: ``at_least``
  (余, 多, 以上, 超过, 超, 突破, 不少于, 逾), ``at_most`` (近, 将近, 不到, 以下) or
  ``about`` (约, 左右, 上下).  Qualifiers written before the number sit outside
  the span; pass the preceding characters as ``before=`` (and the following ones
  as ``after=`` for 左右/以上 written after the unit).

Integers come back as ``int``; a value with a fractional part as ``float``.
Arithmetic uses ``Decimal`` so 3.469万 is exactly 34690.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

__all__ = [
    "Quantity", "parse_number", "parse_quantity", "label_for_unit", "to_ascii",
    "UNITS", "APPROX_BEFORE", "APPROX_AFTER", "QUANTITY_RE", "MONEY_UNITS",
]

# Units longest first so 人次 wins over 人, 万元 over 元.
UNITS: tuple[str, ...] = tuple(sorted((
    "件", "份", "条", "项", "篇", "个", "次", "人次", "人", "名", "期", "场", "批次", "批",
    "种", "元", "万元", "亿元", "%", "家", "户", "部", "本", "册", "套", "起", "例", "则",
    "封", "幅", "张", "位", "处", "所", "类", "卷", "页", "万字", "字", "期次", "场次",
    "件次", "个次", "户次", "家次", "天", "日", "个工作日", "小时", "分钟",
    "栏目", "个栏目", "个专栏", "专栏", "个账号", "个平台", "台", "块", "座", "轮", "宗",
    "笔", "单", "分",
), key=len, reverse=True))
MONEY_UNITS = ("元", "万元", "亿元")

# Qualifier → direction.  Before the number (outside the span) …
APPROX_BEFORE: dict[str, str] = {
    "约": "about", "大约": "about", "大概": "about", "约为": "about", "约计": "about",
    "近": "at_most", "将近": "at_most", "接近": "at_most", "逼近": "at_most",
    "不到": "at_most", "不足": "at_most", "未超过": "at_most", "不超过": "at_most",
    "超过": "at_least", "超": "at_least", "突破": "at_least", "不少于": "at_least",
    "不低于": "at_least", "逾": "at_least", "多达": "at_least", "高达": "at_least",
}
# … and after the number or unit (余/多 sit between number and unit: 100余人次).
APPROX_AFTER: dict[str, str] = {
    "余": "at_least", "多": "at_least", "以上": "at_least", "有余": "at_least",
    "左右": "about", "上下": "about", "以下": "at_most", "以内": "at_most",
}


class _Qualifiers(NamedTuple):
    """Qualifier → direction, and the qualifiers' lengths, longest first: a longer
    qualifier wins over its tail (将近 over 近)."""

    directions: dict[str, str]
    sizes: tuple[int, ...]


def _qualifiers(table: dict[str, str]) -> _Qualifiers:
    return _Qualifiers(dict(table), tuple(sorted({len(w) for w in table}, reverse=True)))


_BEFORE_WORDS, _AFTER_WORDS = _qualifiers(APPROX_BEFORE), _qualifiers(APPROX_AFTER)
_FLAG_ONLY_BEFORE = ("多达", "高达")  # emphatic, not approximate
_FLAG_ONLY_BEFORE_SET = frozenset(_FLAG_ONLY_BEFORE)

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2,
              "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
              "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)

_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|[{_CN_CHARS}]+(?:点[{''.join(_CN_DIGITS)}]+)?)"
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
# number, multiplier, 余/多, unit, trailing qualifier — the whole grammar of a span.
QUANTITY_RE = re.compile(
    rf"(?P<pct>百分之)?(?P<num>{_NUM})(?P<mult>[万亿千]*)(?P<approx>余|多|有余)?"
    rf"(?P<unit>{_UNIT_ALT})?(?P<tail>左右|以上|上下|以下|以内|余|多)?"
)


@dataclass(frozen=True)
class Quantity:
    """What a fact span states: number, unit, and how approximate it is."""

    value: int | float
    unit: str
    approx: bool = False
    direction: str | None = None  # "at_least" | "at_most" | "about" | None

    @property
    def label(self) -> str:
        return label_for_unit(self.unit)


_WHITESPACE = re.compile(r"\s+")


def to_ascii(s: str) -> str:
    """Full-width digits/letters/％ to ASCII and ideographic spaces removed.

    >>> to_ascii("１２３％")
    '123%'
    >>> to_ascii("1　2")
    '12'
    """
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", s))


def label_for_unit(unit: str | None) -> str:
    """The fact label a unit implies.

    >>> label_for_unit("万元"), label_for_unit("%"), label_for_unit("条"), label_for_unit("")
    ('MONEY', 'PERCENT', 'COUNT', 'COUNT')
    """
    if unit in MONEY_UNITS:
        return "MONEY"
    if unit == "%":
        return "PERCENT"
    return "COUNT"


MAX_DIGITS = 15  # no count, amount or percentage in a report has more digits than this
MAX_NUMERAL_CHARS = 40  # 一亿二千三百四十五万六千七百八十九点一二 is 20: longer is no numeral
_TOO_BIG = Decimal(10) ** MAX_DIGITS


def _plain(d: Decimal) -> int | float:
    """Decimal → int when integral, else float; a number of more than ``MAX_DIGITS``
    integer digits is no figure (a serial number, an id, a fuzzer's digit run): refused,
    so later float conversions never meet an integer too large for a float.

    >>> _plain(Decimal("34690.000")), _plain(Decimal("82.4"))
    (34690, 82.4)
    >>> _plain(Decimal("1234567890123456"))
    Traceback (most recent call last):
    ...
    ValueError: not a figure: more than 15 digits
    """
    if not d.is_finite() or abs(d) >= _TOO_BIG:
        raise ValueError(f"not a figure: more than {MAX_DIGITS} digits")
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _strip_separators(s: str) -> str:
    """Drop thousands separators (1,234,567); refuse commas that are not one.

    >>> _strip_separators("1,234,567.5")
    '1234567.5'
    >>> _strip_separators("12,34")
    Traceback (most recent call last):
    ...
    ValueError: not a thousands-separated number: '12,34'
    """
    if "," not in s:
        return s
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        raise ValueError(f"not a thousands-separated number: {s!r}")
    return s.replace(",", "")


def _cn_section(s: str) -> int:
    """A Chinese numeral below 万 (digits and 十/百/千; Arabic digits allowed).

    >>> _cn_section("三千二百"), _cn_section("一百零五"), _cn_section("十二"), _cn_section("两")
    (3200, 105, 12, 2)
    >>> _cn_section("3千2百")
    3200
    """
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS or ch.isdigit():
            digit = _CN_DIGITS[ch] if ch in _CN_DIGITS else int(ch)
        elif ch in _CN_SMALL:
            total += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + (digit or 0)


def _cn_integer(s: str) -> int:
    """A Chinese integer numeral with 万/亿 sections; digit strings read digit by digit.

    >>> _cn_integer("三万四千"), _cn_integer("一亿零五十万"), _cn_integer("二〇二三")
    (34000, 100500000, 2023)
    >>> _cn_integer("十万")
    100000
    """
    if s and all(ch in _CN_DIGITS for ch in s) and len(s) > 1:
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, section = 0, ""
    big_seen = 0
    for ch in s:
        if ch in _CN_BIG:
            unit = _CN_BIG[ch]
            part = _cn_section(section) if section else 0
            if unit > big_seen and big_seen:  # 一万亿: the 万 section scales too
                total = (total + part) * unit
            else:
                total += (part if section else (0 if total else 1)) * unit
            big_seen, section = unit, ""
        else:
            section += ch
    return total + (_cn_section(section) if section else 0)


def _cn_decimal(s: str) -> Decimal:
    """A Chinese numeral with 点 decimals.

    >>> _cn_decimal("三点五"), _cn_decimal("十二点零五"), _cn_decimal("三点五亿")
    (Decimal('3.5'), Decimal('12.05'), Decimal('350000000.0'))
    >>> _cn_decimal("三点五十")
    Traceback (most recent call last):
    ...
    ValueError: not a Chinese numeral: '三点五十'
    """
    head, _, tail = s.partition("点")
    whole = Decimal(_cn_integer(head)) if head else Decimal(0)
    if not tail:
        return whole
    digits = tail.rstrip("万萬亿億")  # 三点五亿: the multiplier scales the whole number
    if not digits or any(ch not in _CN_DIGITS for ch in digits):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    value = whole + Decimal("0." + "".join(str(_CN_DIGITS[ch]) for ch in digits))
    for ch in tail[len(digits):]:
        value *= _CN_BIG[ch]
    return value


def _to_decimal(s: str) -> Decimal:
    """Any numeral this module reads → Decimal (multipliers included)."""
    s = to_ascii(s)
    if not s:
        raise ValueError("empty number")
    if len(s) > MAX_NUMERAL_CHARS:  # before any arithmetic: 亿亿亿… would grow without bound
        raise ValueError(f"not a figure: {len(s)} characters")
    sign = -1 if s[0] in "-−" else 1
    s = s.lstrip("+-−")
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)([万亿千百]*)", s)
    if m:
        try:
            base = Decimal(_strip_separators(m.group(1)))
        except InvalidOperation:
            raise ValueError(f"not a number: {s!r}") from None
        for ch in m.group(2):
            base *= {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}[ch]
        return sign * base
    if s and all(ch in _CN_CHARS or ch == "点" or ch.isdigit() for ch in s):
        return sign * _cn_decimal(s)
    raise ValueError(f"not a number: {s!r}")


def parse_number(s: str) -> int | float:
    """Parse an Arabic or Chinese numeral, with 万/亿 multipliers.

    >>> parse_number("两"), parse_number("十二"), parse_number("一百零五"), parse_number("三千二百")
    (2, 12, 105, 3200)
    >>> parse_number("二〇二三"), parse_number("１２３"), parse_number("1,234")
    (2023, 123, 1234)
    >>> parse_number("3.469万"), parse_number("1.2亿"), parse_number("82.4")
    (34690, 120000000, 82.4)
    >>> parse_number("abc")
    Traceback (most recent call last):
    ...
    ValueError: not a number: 'abc'
    """
    return _plain(_to_decimal(s))


def _qualifier(text: str, words: _Qualifiers, at_end: bool) -> tuple[str | None, str | None]:
    """The longest qualifier of ``words`` at the end (or start) of ``text``, and its direction.

    >>> _qualifier("共计近", _BEFORE_WORDS, at_end=True)
    ('近', 'at_most')
    >>> _qualifier("左右，", _AFTER_WORDS, at_end=False)
    ('左右', 'about')
    >>> _qualifier("共", _BEFORE_WORDS, at_end=True)
    (None, None)
    """
    text = to_ascii(text)
    for size in words.sizes:
        word = text[-size:] if at_end else text[:size]
        direction = words.directions.get(word)
        if direction is not None:
            return word, direction
    return None, None


_ZERO_RE = re.compile(r"[未无没零]|不存在|暂无")


def parse_quantity(span_text: str, before: str = "", after: str = "") -> Quantity:
    """Read a fact span: value, unit, approx flag and its direction.

    >>> parse_quantity("188 条")
    Quantity(value=188, unit='条', approx=False, direction=None)
    >>> parse_quantity("3.469万余人次")
    Quantity(value=34690, unit='人次', approx=True, direction='at_least')
    >>> parse_quantity("600条", before="发布近")
    Quantity(value=600, unit='条', approx=True, direction='at_most')
    >>> parse_quantity("约20%")
    Quantity(value=20, unit='%', approx=True, direction='about')
    >>> parse_quantity("2954万元")
    Quantity(value=2954, unit='万元', approx=False, direction=None)
    >>> parse_quantity("未收到政府信息公开申请")
    Quantity(value=0, unit='', approx=False, direction=None)
    """
    text = to_ascii(span_text)
    approx_word, direction = _qualifier(text, _BEFORE_WORDS, at_end=False)
    if approx_word:  # a qualifier inside the span (e.g. "约20%")
        text = text[len(approx_word):]
    else:
        approx_word, direction = _qualifier(before, _BEFORE_WORDS, at_end=True)
    m = QUANTITY_RE.match(text)
    if not m or m.end() != len(text):
        if _ZERO_RE.search(text) and not (m and m.end() > 0):
            return Quantity(0, "", False, None)  # a zero claim: 未收到……, 无行政复议
        raise ValueError(f"not a quantity: {span_text!r}")
    value, unit = _value_and_unit(m)
    for word in (m.group("approx"), m.group("tail")):
        if word:
            approx_word, direction = word, APPROX_AFTER[word]
    if not m.group("tail") and after:
        word, dirn = _qualifier(after, _AFTER_WORDS, at_end=False)
        if word and word not in ("余", "多", "有余"):  # 余/多 after the unit are other words
            approx_word, direction = word, dirn
    if approx_word in _FLAG_ONLY_BEFORE_SET:
        approx_word, direction = None, None
    return Quantity(value, unit, approx_word is not None, direction)


def _value_and_unit(m: re.Match) -> tuple[int | float, str]:
    """Split multiplier from money unit: 2954万元 keeps 万元; 3万余元 multiplies."""
    num, mult, unit = m.group("num"), m.group("mult"), m.group("unit") or ""
    if m.group("pct"):
        return _plain(_to_decimal(num + mult)), "%"
    # 三万元: the numeral run swallowed the 万 of 万元.
    if not mult and unit == "元" and not m.group("approx") and num[-1] in "万亿" and len(num) > 1:
        num, unit = num[:-1], num[-1] + "元"
    if mult and unit == "元" and not m.group("approx") and len(mult) == 1 and mult in "万亿":
        mult, unit = "", mult + "元"
    return _plain(_to_decimal(num + mult)), unit
