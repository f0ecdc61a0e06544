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
- ``approx`` is true when a qualifier of ``nlp/data/lexicon/qualifiers.yaml``
  (余/多/近/约/左右/以上/超过/不到 …) qualifies the number; ``direction`` says what it
  implies (``at_least``, ``at_most``, ``about``) and ``kind``/``qualifier`` which entry
  it is (the reconciler's tolerance is that entry's ``bounds``).  Emphatic words
  (多达, 高达) are read but make nothing approximate.  Qualifiers written before the
  number sit outside the span; pass the preceding characters as ``before=`` (and the
  following ones as ``after=`` for 左右/以上 written after the unit).

The language is data: units and qualifiers from ``nlp.lexicon.units()`` and
``nlp.lexicon.qualifiers()``, the numeral tables from ``numerals.yaml``.

Integers come back as ``int``; a value with a fractional part as ``float``.
Arithmetic uses ``Decimal`` so 3.469万 is exactly 34690.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Mapping, NamedTuple

from nlp import lexicon

__all__ = [
    "Quantity", "parse_number", "parse_quantity", "label_for_unit", "to_ascii",
    "UNITS", "QUANTITY_RE", "MONEY_UNITS", "NUMERAL_CHARS",
]

_NUMERALS = lexicon.load("numerals")

# Units longest first so 人次 wins over 人, 万元 over 元 (nlp/data/lexicon/units.yaml).
UNITS: tuple[str, ...] = lexicon.units().all
MONEY_UNITS = lexicon.units().money




class _Qualifiers(NamedTuple):
    """Qualifier → its lexicon entry, and the qualifiers' lengths, longest first: a longer
    qualifier wins over its tail (将近 over 近)."""

    entries: Mapping[str, lexicon.Qualifier]
    sizes: tuple[int, ...]


def _qualifiers(*positions: str) -> _Qualifiers:
    table = {w: q for pos in positions for w, q in lexicon.qualifier_words(pos).items()}
    return _Qualifiers(table, tuple(sorted({len(w) for w in table}, reverse=True)))


_BEFORE_WORDS, _AFTER_WORDS = _qualifiers("before"), _qualifiers("inside", "after")
_INSIDE = tuple(lexicon.qualifier_words("inside"))           # 余, 多, 有余: between number and unit
_TAIL = tuple(lexicon.qualifier_words("after")) + _INSIDE  # after the unit (100件以上, 3人次余)

_CN_DIGITS = {str(ch): int(v) for v, chars in _NUMERALS["digits"].items() for ch in chars}
_CN_SMALL = {str(ch): int(v) for v, chars in _NUMERALS["places"].items() for ch in chars}
_CN_BIG = {str(ch): int(v) for v, chars in _NUMERALS["sections"].items() for ch in chars}
# every character a Chinese numeral is written in (零一二…十百千万亿)
NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_POINT = str(_NUMERALS["point"])
_PERCENT = str(_NUMERALS["percent_prefix"])
_MULTIPLIERS = {str(k): int(v) for k, v in _NUMERALS["multipliers"].items()}
_MONEY_BASE = str(_NUMERALS["money"]["base"])
_MONEY_SCALES = "".join(_NUMERALS["money"]["scales"])


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = rf"(?:\d[\d,]*(?:\.\d+)?|[{NUMERAL_CHARS}]+(?:{_POINT}[{''.join(_CN_DIGITS)}]+)?)"
_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
# number, 余/多 before or after the multiplier (100余万次, 120万余次), multiplier, unit,
# trailing qualifier — the whole grammar of a span.
QUANTITY_RE = re.compile(
    rf"(?P<pct>{_PERCENT})?(?P<num>{_NUM})(?P<approx_before>{_alternation(_INSIDE)})?"
    rf"(?P<mult>[{''.join(_NUMERALS['in_span'])}]*)"
    rf"(?P<approx>{_alternation(_INSIDE)})?"
    rf"(?P<unit>{_UNIT_ALT})?(?P<tail>{_alternation(_TAIL)})?"
)


@dataclass(frozen=True)
class Quantity:
    """What a fact span states: number, unit, and how approximate it is."""

    value: int | float
    unit: str
    approx: bool = False
    direction: str | None = None  # "at_least" | "at_most" | "about" | None
    # The qualifier word read (its lexicon entry: kind, bounds), emphatic ones included.
    qualifier: lexicon.Qualifier | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str | None:
        """The qualifier's kind (about, near, below, rounded, above, emphatic) or None."""
        return self.qualifier.kind if self.qualifier is not None else None

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
    head, _, tail = s.partition(_POINT)
    whole = Decimal(_cn_integer(head)) if head else Decimal(0)
    if not tail:
        return whole
    digits = tail.rstrip("".join(_CN_BIG))  # 三点五亿: the multiplier scales the whole number
    if not digits or any(ch not in _CN_DIGITS for ch in digits):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    value = whole + Decimal("0." + "".join(str(_CN_DIGITS[ch]) for ch in digits))
    for ch in tail[len(digits):]:
        value *= _CN_BIG[ch]
    return value


_ARABIC = re.compile(rf"([\d,]+(?:\.\d+)?)([{''.join(_MULTIPLIERS)}]*)")


def _to_decimal(s: str) -> Decimal:
    """Any numeral this module reads → Decimal (multipliers included)."""
    s = to_ascii(s)
    if not s:
        raise ValueError("empty number")
    if len(s) > MAX_NUMERAL_CHARS:  # before any arithmetic: 亿亿亿… would grow without bound
        raise ValueError(f"not a figure: {len(s)} characters")
    sign = -1 if s[0] in "-−" else 1
    s = s.lstrip("+-−")
    m = _ARABIC.fullmatch(s)
    if m:
        try:
            base = Decimal(_strip_separators(m.group(1)))
        except InvalidOperation:
            raise ValueError(f"not a number: {s!r}") from None
        for ch in m.group(2):
            base *= _MULTIPLIERS[ch]
        return sign * base
    if s and all(ch in NUMERAL_CHARS or ch == _POINT or ch.isdigit() for ch in s):
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


def _qualifier(text: str, words: _Qualifiers, at_end: bool) -> lexicon.Qualifier | None:
    """The longest qualifier of ``words`` at the end (or start) of ``text``.

    >>> q = _qualifier("共计近", _BEFORE_WORDS, at_end=True); q.word, q.direction
    ('近', 'at_most')
    >>> q = _qualifier("左右，", _AFTER_WORDS, at_end=False); q.word, q.direction
    ('左右', 'about')
    >>> _qualifier("共", _BEFORE_WORDS, at_end=True) is None
    True
    """
    text = to_ascii(text)
    for size in words.sizes:
        word = text[-size:] if at_end else text[:size]
        found = words.entries.get(word)
        if found is not None:
            return found
    return None


_ZERO_RE = lexicon.pattern("numerals", "zero_claim")


def parse_quantity(span_text: str, before: str = "", after: str = "") -> Quantity:
    """Read a fact span: value, unit, approx flag and its direction.

    >>> parse_quantity("188 条")
    Quantity(value=188, unit='条', approx=False, direction=None)
    >>> parse_quantity("3.469万余人次"), parse_quantity("100余万次").value
    (Quantity(value=34690, unit='人次', approx=True, direction='at_least'), 1000000)
    >>> parse_quantity("600条", before="发布近")
    Quantity(value=600, unit='条', approx=True, direction='at_most')
    >>> parse_quantity("约20%")
    Quantity(value=20, unit='%', approx=True, direction='about')
    >>> parse_quantity("2954万元")
    Quantity(value=2954, unit='万元', approx=False, direction=None)
    >>> parse_quantity("未收到政府信息公开申请")
    Quantity(value=0, unit='', approx=False, direction=None)
    >>> q = parse_quantity("100件", before="不到"); q.direction, q.kind
    ('at_most', 'below')
    """
    text = to_ascii(span_text)
    qualifier = _qualifier(text, _BEFORE_WORDS, at_end=False)
    if qualifier:  # a qualifier inside the span (e.g. "约20%")
        text = text[len(qualifier.word):]
    else:
        qualifier = _qualifier(before, _BEFORE_WORDS, at_end=True)
    m = QUANTITY_RE.match(text)
    if not m or m.end() != len(text):
        if _ZERO_RE.search(text) and not (m and m.end() > 0):
            return Quantity(0, "", False, None)  # a zero claim: 未收到……, 无行政复议
        raise ValueError(f"not a quantity: {span_text!r}")
    value, unit = _value_and_unit(m)
    for word in (m.group("approx_before"), m.group("approx"), m.group("tail")):
        if word:
            qualifier = _AFTER_WORDS.entries[word]
    if not m.group("tail") and after:
        found = _qualifier(after, _AFTER_WORDS, at_end=False)
        if found and found.position != "inside":  # 余/多 after the unit are other words
            qualifier = found
    if qualifier is not None and not qualifier.approximate:  # 多达, 高达: emphasis only
        return Quantity(value, unit, False, None, qualifier)
    return Quantity(value, unit, qualifier is not None, qualifier.direction if qualifier else None, qualifier)


def _value_and_unit(m: re.Match) -> tuple[int | float, str]:
    """Split multiplier from money unit: 2954万元 keeps 万元; 3万余元 multiplies."""
    num, mult, unit = m.group("num"), m.group("mult"), m.group("unit") or ""
    if m.group("pct"):
        return _plain(_to_decimal(num + mult)), "%"
    # 三万元: the numeral run swallowed the 万 of 万元.
    if not mult and unit == _MONEY_BASE and not m.group("approx") and num[-1] in _MONEY_SCALES and len(num) > 1:
        num, unit = num[:-1], num[-1] + _MONEY_BASE
    if mult and unit == _MONEY_BASE and not m.group("approx") and len(mult) == 1 and mult in _MONEY_SCALES:
        mult, unit = "", mult + _MONEY_BASE
    return _plain(_to_decimal(num + mult)), unit
