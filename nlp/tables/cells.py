"""One cell's text: its value (a number, a blank mark, or text) and a label's core.

The words (blank marks, units, numbering) are ``nlp/data/lexicon/tables.yaml``'s.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nlp import lexicon
from nlp.indicators import INDICATORS
from nlp.numbers import MAX_DIGITS

__all__ = ["fold", "parse_value", "label_core", "opens_label", "NUMBERING"]

# ---------------------------------------------------------------- values
_BLANK_MARKS = frozenset(lexicon.words("tables", "cells", "blank_marks"))
_SIGNED_WORDS = lexicon.load("tables")["cells"]["signed_words"]
_SIGNED_WORD = re.compile("|".join(sorted(map(re.escape, _SIGNED_WORDS), key=len, reverse=True)) + r"(?=\d)")
_NUMBER = re.compile(r"^([+-]?-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:%s)?$"
                     % lexicon.pattern("units", "table_cell").pattern)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """NFKC-folded (full-width digits and brackets to ASCII), form feeds and edges stripped."""
    return unicodedata.normalize("NFKC", text).replace("\f", "").strip()


@lru_cache(maxsize=16384)  # cells ("0", "/", row labels) repeat within and across reports
def parse_value(raw: str) -> tuple[str, float | int | None]:
    """Classify one cell: ``("num", value)``, ``("blank", None)`` or ``("text", None)``.

    >>> parse_value("2,954"), parse_value("１２"), parse_value(" 0 "), parse_value("3.5")
    (('num', 2954), ('num', 12), ('num', 0), ('num', 3.5))
    >>> parse_value("/"), parse_value("—"), parse_value("无"), parse_value("")
    (('blank', None), ('blank', None), ('blank', None), ('blank', None))
    >>> parse_value("-3"), parse_value("规章"), parse_value("1 2"), parse_value("2 954")
    (('num', -3), ('text', None), ('text', None), ('num', 2954))
    >>> parse_value("--253"), parse_value("+-3"), parse_value("+3")  # a minus typed twice
    (('num', -253), ('num', -3), ('num', 3))
    >>> parse_value("1234567890123456")  # more than 15 digits: no figure
    ('text', None)
    >>> parse_value("增15"), parse_value("减4"), parse_value("减少 2"), parse_value("增值税")  # a change, in words
    (('num', 15), ('num', -4), ('num', -2), ('text', None))
    >>> parse_value("**718**"), parse_value("__0__")  # Markdown's emphasis (a converter bolds totals)
    (('num', 718), ('num', 0))
    >>> parse_value("2332¹"), parse_value("2332<sup>1</sup>"), parse_value("5[^2]"), parse_value("1*")  # footnotes
    (('num', 2332), ('num', 2332), ('num', 5), ('num', 1))
    >>> parse_value("O"), parse_value("1O"), parse_value("l"), parse_value("〇")  # OCR's letters for digits
    (('num', 0), ('num', 10), ('num', 1), ('num', 0))
    >>> parse_value("Ⅱ"), parse_value("**1291**¹")  # a Roman numeral is no OCR slip
    (('text', None), ('num', 1291))
    """
    s = figure_text(raw)
    if re.search(r"\d\s+\d", s) and not re.fullmatch(r"[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?", s):
        return "text", None  # "1 2": two cells run together, not the number 12
    s = re.sub(r"\s+", "", s)
    if s in _BLANK_MARKS:
        return "blank", None
    word = _SIGNED_WORD.match(s)
    if word:  # 增15, 减4: a change, its direction in words
        s = _SIGNED_WORDS[word.group()] + s[word.end():]
    m = _NUMBER.match(s)
    if not m:
        return "text", None
    sign, whole, frac = m.groups()
    sign = "-" if "-" in sign else ""  # --253 (a minus typed twice), +-3
    digits = whole.replace(",", "")
    if len(digits) > MAX_DIGITS:  # a serial number or a digit run, no figure (never a huge int)
        return "text", None
    if frac:
        return "num", float(sign + digits + frac)
    return "num", int(sign + digits)


@lru_cache(maxsize=16384)
def figure_text(raw: str) -> str:
    """A cell's text as its figure is read: the footnote marks after it, then Markdown's
    emphasis around it, taken off (**1291**¹), then the underscores a text browser pads a
    cell to its column's width with (html2text's 1___, ____), OCR's letters for digits made
    digits, NFKC.

    >>> figure_text(" **1291**¹ "), figure_text("O12"), figure_text("０¹"), figure_text("1___"), figure_text("____")
    ('1291', '012', '0', '1', '')
    """
    return fold(ocr_digits(_EMPHASIS.sub(r"\2", without_note_marks(raw.strip())).strip("_"))).strip()


_EMPHASIS = re.compile(r"^(\*\*|__)(.*)\1$")
_NOTE_MARKS = re.compile(lexicon.load("tables")["note_marks"])
# A cell of digits and the letters OCR prints for them (tables.yaml ocr_digits), at least
# one, as short as a count: never a label (labels are words), so a figure misread.
# Matched on the text as printed: NFKC would make a Roman Ⅱ of II first.
_OCR_TO_DIGIT = str.maketrans(lexicon.load("tables")["ocr_digits"])
_OCR_LETTERS = "".join(lexicon.load("tables")["ocr_digits"])
_OCR_DIGITS = re.compile(r"\s*(?=\S*[{0}])[0-9{0}]{{1,6}}\s*".format(re.escape(_OCR_LETTERS)))


def ocr_digits(text: str) -> str:
    """A cell's text with OCR's letters for digits as the digits, when that is all it holds.

    >>> ocr_digits("Ol2"), ocr_digits("Ⅱ"), ocr_digits("规章")
    ('012', 'Ⅱ', '规章')
    """
    return text.translate(_OCR_TO_DIGIT) if _OCR_DIGITS.fullmatch(text) else text


def without_note_marks(text: str) -> str:
    """A cell's text without the footnote marks after it (tables.yaml ``note_marks``).

    >>> without_note_marks("（七）总计<sup>1</sup>"), without_note_marks("2332¹²")
    ('（七）总计', '2332')
    """
    while (m := _NOTE_MARKS.search(text)) is not None and m.start() > 0:
        text = text[:m.start()]
    return text


# ---------------------------------------------------------------- labels
NUMBERING = re.compile(lexicon.load("tables")["numbering"])
_LABEL_NOTE = re.compile(lexicon.load("layout")["label_note"])  # the note a label may carry (指……)


@lru_cache(maxsize=65536)
def label_core(text: str) -> str:
    """A label reduced for matching: NFKC, numbering and punctuation/spaces removed.

    >>> label_core("（三）不予公开"), label_core("1. 属于国家秘密"), label_core("3、危及“三安全一稳定”")
    ('不予公开', '属于国家秘密', '危及三安全一稳定')
    >>> label_core("结果 维持"), label_core("三、(一)予以公开"), label_core("规范性文件（指有文号的文件）")
    ('结果维持', '予以公开', '规范性文件')
    """
    s = _LABEL_NOTE.sub("", fold(without_note_marks(text)))
    for _ in range(3):
        t = NUMBERING.sub("", s)
        if t == s:
            break
        s = t
    return re.sub(r"[\W_]+", "", s)


def opens_label(text: str, table: int) -> bool:
    """Could ``text`` be a label of ``table`` cut short, the text ending inside it — the
    start of a row's label ((二)部分公, 1.属于国家秘) or of a sub-table's title (第二十条第(六)项)?
    Words of a page's furniture (打印本页, 展开阅读全文) are none.

    >>> opens_label("（二）部分公", 3), opens_label("1.属于国家秘 |", 3), opens_label("第二十条第(六)项 | ||", 2)
    (True, True, True)
    >>> opens_label("| （三）不予公", 3), opens_label("（四）无法提", 3)  # a group's label, a pipe row's
    (True, True)
    >>> opens_label("打印本页 关闭窗口", 3), opens_label("【打印】【关闭】", 2), opens_label("部", 3)
    (False, False, False)
    """
    core = label_core(text.strip(_CELL_EDGES))
    if len(core) < _SHORTEST_LABEL_START:
        return False
    return any(label.startswith(core) or core.startswith(label) for label in _label_cores(table)) \
        or (table == 2 and _SUB_TABLE_TITLE.match(fold(text)) is not None)


_SHORTEST_LABEL_START = 2  # one character starts too many words
_CELL_EDGES = " \t|｜"  # a row's separators around its label cell
_SUB_TABLE_TITLE = re.compile("|".join(lexicon.load("layout")["table_titles"]))


@lru_cache(maxsize=4)
def _label_cores(table: int) -> frozenset[str]:
    """The cores of every row label (its aliases, its group's: （三）不予公开) of ``table`` in
    either template."""
    cores = (label_core(name) for ind in INDICATORS.values() if ind.table == table
             for name in (ind.row, *ind.row_aliases, ind.parent or ""))
    return frozenset(core for core in cores if core)
