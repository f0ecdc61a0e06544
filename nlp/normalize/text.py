"""Normalize report text, keeping a map from every output character back to the input.

What changes, and why:

* full-width ASCII forms U+FF01–U+FF5E → ASCII (``（一）`` → ``(一)``, ``３２`` → ``32``),
  one character for one, as scraped reports mix both freely;
* U+3000 and NBSP → space; zero-width characters and BOM removed;
* a text in traditional characters (a mirror site's copy) read in simplified ones, one for
  one, the readings it prints after characters (寧強(qiáng)縣) dropped;
* Word conversion artifacts such as ``[bookmark: _GoBack]`` removed;
* CRLF / CR → LF; trailing spaces trimmed on every line (tabs kept: they are cells);
* a cell label broken over lines inside a one-cell-per-line table (``\\t商业`` +
  ``企业``) joined into one line — the same rule :mod:`nlp.normalize.layout` uses;
* a narrative sentence broken by a page break (a long line ending without
  sentence-final punctuation, blank line(s), then a line that starts mid-sentence)
  joined.

``Normalized.offset_map[i]`` is the input offset of output character ``i``; one
final entry equals ``len(input)``, so ``offset_map[end]`` maps span ends too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from nlp import lexicon
from nlp.chars import (FULLWIDTH, IDEOGRAPH_VARIANTS, SPACES as _SPACES, ZERO_WIDTH as _ZERO_WIDTH, fold_char,
                       is_ideograph, translator)
from nlp.normalize.layout import MAX_CONTINUATION, is_heading_like
from nlp.normalize.relayout import LayoutEdits, layout_edits, shortest_relaid

__all__ = ["Normalized", "normalize", "fold_char", "ends_sentence", "is_traditional", "in_simplified"]

_WORDS = lexicon.load("reading")
_ARTIFACT = re.compile(r"\[(?:bookmark|_?GoBack)[^\]\n]{0,80}\]")
# One character for one: full-width ASCII, radicals standing for ideographs and wide spaces
# (what fold_char does when it neither drops a character nor meets a CR).
_FOLD_TABLE = {**FULLWIDTH, **IDEOGRAPH_VARIANTS, **{ord(c): " " for c in _SPACES}}
_DROPS_OR_CR = re.compile("[\r" + "".join(sorted(_ZERO_WIDTH)) + "]")
# Sentence-final punctuation after folding, and the closers that may follow it.
_FINAL = _WORDS["sentence_final"]
_CLOSERS = _WORDS["sentence_closers"]
_WRAP_MAY_END = tuple(_WORDS["wrap_may_end"])
# A fragment shorter than this is a title or heading, not a page-broken paragraph.
_MIN_BROKEN_LINE = 30
# The narrowest wrapped line measured for a wrap width: an official document's page (GB/T
# 9704: 28 characters a line) and narrower pages, copied out of their PDFs, are wrapped prose
_MIN_WRAPPED_LINE = 24
_MAX_BREAK_BLANKS = 3
# Endings of complete labels and titles (a cut-off sentence does not end like this).
_NOT_BROKEN_ENDS = tuple(_WORDS["complete_endings"])
_CLAUSE_MARKS = _WORDS["clause_marks"]
_FULL_STOP = _WORDS["full_stop"]
_OPENING_MARKS = _WORDS["opening_marks"]


@dataclass
class Normalized:
    """Normalized text and, per character, its offset in the input (+ one end entry)."""

    text: str
    offset_map: list[int]

    def to_original(self, offset: int) -> int:
        return self.offset_map[min(max(offset, 0), len(self.offset_map) - 1)]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Input span covering normalized ``[start, end)``."""
        if end <= start:
            pos = self.to_original(start)
            return pos, pos
        return self.to_original(start), self.to_original(end - 1) + 1


_fold_one_for_one = translator(_FOLD_TABLE)
# The characters that change the text's length when folded (a fold, not a translation).
_DROPPED_OR_CR = ("\r", *sorted(_ZERO_WIDTH))


_TRADITIONAL = _WORDS["traditional"]
_TRADITIONAL_MARKER = re.compile("[" + _TRADITIONAL["markers"] + "]")
_MIN_MARKERS = int(_TRADITIONAL["min_markers"])
_READING_NOTE = re.compile(_TRADITIONAL["reading_note"])
# (a word is read as one of its own length: the offset map is one character for one)
assert all(len(w) == len(m) for w, m in _TRADITIONAL["words"].items()), "reading.yaml traditional.words"


def is_traditional(text: str) -> bool:
    """Does the text print common traditional-only characters (這, 們, 關, 縣 …) at least
    ``min_markers`` times?  (A simplified report prints none: one scan, stopped early.)"""
    found = 0
    for _ in _TRADITIONAL_MARKER.finditer(text):
        found += 1
        if found >= _MIN_MARKERS:
            return True
    return False


@lru_cache(maxsize=1)
def _to_simplified() -> dict[int, int]:
    """traditional.yaml's table, read the first time a traditional text comes."""
    return {ord(k): ord(v) for k, v in lexicon.load("traditional")["characters"].items()}


def in_simplified(text: str) -> str:
    """A piece of a traditional report (a native table's cell) as :func:`normalize` reads its
    text: in simplified characters and the mainland's words, a mirror's readings dropped.

    >>> in_simplified("規(guī)章"), in_simplified("行政許可"), in_simplified("政府資訊公開")
    ('规章', '行政许可', '政府信息公开')
    """
    return _READING_NOTE.sub("", _simplified(text))


def _simplified(text: str) -> str:
    """Traditional characters as simplified ones, one for one, then a Taiwan-style copy's
    words as the mainland's (reading.yaml ``traditional.words``: the same length)."""
    text = text.translate(_to_simplified())
    for word, mainland in _TRADITIONAL["words"].items():
        text = text.replace(word, mainland)
    return text


def _reading_notes(text: str) -> set[int]:
    """Offsets of the readings a mirror site prints after characters (寧強(qiáng)縣): dropped."""
    return {i for m in _READING_NOTE.finditer(text) for i in range(m.start(), m.end())}


def ends_sentence(line: str) -> bool:
    """True when a line ends with sentence-final punctuation (closing quotes skipped).

    >>> ends_sentence("本年度无其他需要报告的事项。")
    True
    >>> ends_sentence("按照“先审查、后公开”的原则：”")
    True
    >>> ends_sentence("形成主要领导亲自抓，专人负责政务公开工作的")
    False
    """
    body = line.rstrip().rstrip(_CLOSERS)
    return bool(body) and body[-1] in _FINAL


# ---------------------------------------------------------------- passes
def _fold(text: str) -> tuple[str, list[int]]:
    """Character pass: folding, artifact removal, line endings.  Returns the text and,
    per character, its input offset."""
    if not any(c in text for c in _DROPPED_OR_CR) and not _ARTIFACT.search(text):  # the usual case: 1:1
        return _fold_one_for_one(text), list(range(len(text)))
    # Between the characters that change the length (an artifact, a CR, an invisible
    # character) the fold is one for one: fold those runs whole, not character by character.
    special = [(m.start(), m.end()) for m in _ARTIFACT.finditer(text)]  # dropped whole
    special += [(i, -1) for i in (m.start() for m in _DROPS_OR_CR.finditer(text))]
    special.sort()
    chars: list[str] = []
    offs: list[int] = []
    at = 0
    for i, end in special:
        if i < at:
            continue  # inside an artifact
        if at < i:
            chars.append(_fold_one_for_one(text[at:i]))
            offs.extend(range(at, i))
        if end >= 0:  # an artifact: dropped
            at = end
            continue
        at = i + 1
        if text[i] == "\r":
            if text.startswith("\n", i + 1):
                continue  # CRLF: keep the LF
            chars.append("\n")
            offs.append(i)
            continue
        out = fold_char(text[i])
        if out:
            chars.append(out)
            offs.append(i)
    if at < len(text):
        chars.append(_fold_one_for_one(text[at:]))
        offs.extend(range(at, len(text)))
    return "".join(chars), offs


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) index ranges of the lines in ``text`` (end excludes the newline).

    >>> _lines("ab\\n\\nc")
    [(0, 2), (3, 3), (4, 5)]
    """
    spans, start = [], 0
    while (end := text.find("\n", start)) >= 0:
        spans.append((start, end))
        start = end + 1
    spans.append((start, len(text)))
    return spans


_TRAILING_SPACES = re.compile(" +$", re.MULTILINE)


def _trailing_spaces(text: str) -> set[int]:
    """Indices of the spaces that end a line (found by one search, not a step per line).

    >>> sorted(_trailing_spaces("a \\n b  \\n\\t \\n "))
    [1, 5, 6, 9, 11]
    """
    drop: set[int] = set()
    if " \n" not in text and not text.endswith(" "):
        return drop
    for m in _TRAILING_SPACES.finditer(text):
        drop.update(range(m.start(), m.end()))
    return drop


# The space a PDF tool puts between a digit and a Chinese character (全年受理申请 408 件, 2024
# 年, 数据 9 亿条): set in prose, where the page had none.
# (the space first: the engine then looks only at spaces, not at every character)
_TOOL_SPACE = re.compile(r" (?:(?<=\d )(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff] )(?=\d))")


def _tool_spaces(text: str) -> set[int]:
    """Offsets of those spaces, in lines of prose only (a clause mark, no column gaps): a
    table row's single spaces part its cells.

    >>> t = "全年受理申请 408 件，数据 9 亿条。\\n规章 0 0 0\\n1.申请人逾期不补正、不再处理其申请 0 0 1"
    >>> "".join(ch for i, ch in enumerate(t) if i not in _tool_spaces(t))
    '全年受理申请408件，数据9亿条。\\n规章 0 0 0\\n1.申请人逾期不补正、不再处理其申请 0 0 1'
    >>> t = "我办 2010 年度未发生行政复议案件。"
    >>> "".join(ch for i, ch in enumerate(t) if i not in _tool_spaces(t))
    '我办2010年度未发生行政复议案件。'
    """
    hits = [m.start() for m in _TOOL_SPACE.finditer(text)] if " " in text else []
    if not hits:  # most texts
        return set()
    drop: set[int] = set()
    k = 0
    for start, end in _lines(text):
        first = k
        while k < len(hits) and hits[k] < end:
            k += 1
        if k > first:  # the line holds some: kept in prose only
            line = text[start:end]
            if (_has_clause_mark(line) or line.rstrip().endswith(_FULL_STOP)) and _prose_line(line):
                drop.update(hits[first:k])  # (a sentence without a clause mark ends with its 。)
        if k == len(hits):
            break
    return drop


def _is_cell(line: str) -> bool:
    return line.startswith("\t") and line.count("\t") == 1


def _is_blank(line: str) -> bool:
    return not line.strip(" ")


def _continues_cell(prev: str, line: str, nxt: str | None) -> bool:
    """``line`` is the rest of the cell label on ``prev`` (mirrors nlp.normalize.layout)."""
    if not _is_cell(prev) or not prev[1:].strip() or _is_blank(line):
        return False
    if line.startswith((" ", "\t")) or "\t" in line:
        return False
    if len(line) > MAX_CONTINUATION or is_heading_like(line) or ends_sentence(line):
        return False
    return nxt is None or _is_blank(nxt) or _is_cell(nxt)


def _is_broken_prose(line: str) -> bool:
    """A line that looks like the cut-off end of a narrative paragraph.

    Long, written as prose (has a comma), and ends neither a sentence nor a label,
    title or bracket — so titles, breadcrumbs, metadata and table cells never qualify.

    >>> _is_broken_prose("区卫健局坚持提高站位,根据机构改革、职能转变情况,形成主要领导亲自抓,专人负责的")
    True
    >>> _is_broken_prose("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)")
    False
    >>> _is_broken_prose("政府信息公开 > 政府信息公开年度报告 > 年报专栏 > 某某县卫生健康局")
    False
    """
    body = line.strip()
    if len(body) < _MIN_BROKEN_LINE or "\t" in line or body.startswith("|"):
        return False
    if ends_sentence(body) or is_heading_like(body) or body.endswith(_NOT_BROKEN_ENDS):
        return False
    return _has_clause_mark(body)


# A text wrapped at a page's width (what pdftotext makes of a PDF's prose): most of its long
# prose lines end within this share of one width (a line breaks a character or two early
# before punctuation or a number that would not fit), and at least this many do.
_WRAP_SLACK = 0.12
# ... and a line ending mid-sentence runs on into the next when it fills this share of the
# width: a word processor's lines end a few characters early before a figure or a mark that
# does not fit, and its figures are narrower than the characters around them
_WRAP_JOIN_SLACK = 0.25
# marks the reader folds from full width (，→ ,): they filled two columns on the page
_FOLDED_WIDE = ",;:()!?"
_WRAPPED_LINES = 5
_WRAP_SHARE = 0.4
_COLUMN_GAP = re.compile(r"\S {2,}\S")


def _display_width(line: str, measure: str = "display") -> int:
    """Columns a line fills on a page: wide (CJK: three UTF-8 bytes) characters count two,
    ASCII one — (bytes + characters) / 2, counted in C — and, measured as ``"marks"``, the
    clause marks and brackets folded from their full-width forms (，；：（）) two again, as a
    word processor's page printed them; as ``"chars"``, one a character, as a terminal
    browser that counts characters wraps (lynx -dump: 74 characters, CJK or not).

    >>> _display_width("全年 408 件"), _display_width("abc  "), _display_width("公开,编制(一)", "marks")
    (11, 3, 16)
    >>> _display_width("全年 408 件", "chars")
    8
    """
    body = line.rstrip()
    if measure == "chars":
        return len(body)
    width = (len(body.encode("utf-8", "surrogatepass")) + len(body)) // 2
    return width + sum(map(body.count, _FOLDED_WIDE)) if measure == "marks" else width


# A line that ends in two or more numbers set apart by spaces is a table row (申请 0 0 0 1),
# however its label reads.
_ROW_TAIL = re.compile(r"(?:\s+[-+]?\d[\d.,%]*){2,}\s*$")


def _prose_line(line: str) -> bool:
    body = line.strip()
    # (the regexes only where they can match: every line of a report is asked, most often
    # twice, and a sentence has no two spaces running nor a figure at its end)
    return (bool(body) and "\t" not in line and "|" not in line
            and not ("  " in body and _COLUMN_GAP.search(body))
            and not (_may_end_row(body[-1]) and _ROW_TAIL.search(body)))


def _may_end_row(last: str) -> bool:
    """Can a line ending in ``last`` end as :data:`_ROW_TAIL` does (a digit, or . , %)?"""
    return last.isdecimal() or last in ".,%"


def _wrap_width(texts: list[str]) -> tuple[int, str] | None:
    """The width the text's prose was wrapped at, when it was (a fixed-width dump: many
    prose lines end at nearly one width), and the measure it was found in
    (:func:`_display_width`: a word processor's page, whose lines end unevenly before its
    narrow figures, is found with the folded marks wide; lynx's dump counting characters);
    None for text whose lines are its paragraphs.

    >>> _wrap_width(["一二三四五六七八九十" * 4 + "，"] * 6 + ["短句。"]), _wrap_width(["一段话。", "另一段很长的话，" * 5])
    ((82, 'display'), None)
    >>> rows, title = [f"第{i}行" + "一二三四五六七八九十" * 4 + "，" for i in range(6)], "页面的标题很长" * 9
    >>> _wrap_width([title, *rows[:3], title, *rows[3:]])
    (87, 'display')
    """
    long = [t for t in texts if len(t) >= _MIN_WRAPPED_LINE]  # most texts: too few to be wrapped
    if len(long) < 2:
        return None
    for measure in _MEASURES if len(long) >= _WRAPPED_LINES else ():
        found = _measured_width(long, measure)
        if found is not None:
            return found, measure
    for measure in ("display", "chars"):
        found = _few_cut_lines(texts, measure)
        if found is not None:
            return found, measure
    return None


# how a dump's wrap width is measured, in this order (:func:`_display_width`)
_MEASURES = ("display", "marks", "chars")


def _in_measure(columns: int, measure: str) -> int:
    """A width of ``columns`` as ``measure`` counts it (a wide character fills two columns:
    half as many characters)."""
    return columns // 2 if measure == "chars" else columns


def _few_cut_lines(texts: list[str], measure: str = "display") -> int | None:
    """The width a short text was wrapped at, too short for five lines at it (an opening a
    terminal browser dumped 200 columns wide: its paragraphs wrapped into a line or two): two
    or more prose lines within a column or two of the widest, wide, each cut inside a word
    or a figure (:func:`_in_word` on either side of its end) as no writer ends a line — or
    ending its sentence, as a paragraph's last line may at the full width.

    >>> line = "一二三四五六七八九十" * 5
    >>> _few_cut_lines([line + "办结政", "府信息公开申请29件。", line + "未发", "生行政复议。"])
    106
    >>> _few_cut_lines([line + "办结。", "府信息公开申请29件。", line + "未发", "生行政复议。"]) is None
    True
    """
    # (widths first, of the lines long enough to reach one: most texts' widest line is one
    # paragraph's, alone at its width — then nothing else is looked at)
    least = _in_measure(_FEW_LINES_WIDTH, measure)
    widths = [(_display_width(t, measure), k) for k, t in enumerate(texts) if len(t) * 2 >= least]
    top = max((w for w, _ in widths), default=0)
    full = [k for w, k in widths if w >= top - _FEW_LINES_SLACK]
    if top < least or len(full) < 2:
        return None
    cut = [k for k in full if k + 1 < len(texts) and _prose_line(texts[k]) and _in_word(texts[k].rstrip()[-1:])
           and _in_word(texts[k + 1].lstrip()[:1])]
    # (a paragraph's last line may fill the width too, ending its sentence)
    whole = all(ends_sentence(texts[k].rstrip()) for k in full if k not in cut)
    return top if len(cut) >= 2 and whole else None


def _in_word(ch: str) -> bool:
    """An ideograph or a digit: a line cut beside one on both sides is cut inside a word or a
    figure (公告公示2⏎6条), as no writer ends a line."""
    return is_ideograph(ch) or ch.isdigit()


_FEW_LINES_WIDTH = 80  # columns: a dump as wide as this, or wider
_FEW_LINES_SLACK = 2   # columns short of the widest line a wrapped line may end


def _measured_width(long: list[str], measure: str) -> int | None:
    """:func:`_wrap_width` in one measure.  A line printed again and again (a browser's page
    title atop each printed page, wider than the prose) is page furniture: no measure of
    the width."""
    least = _in_measure(2 * _MIN_WRAPPED_LINE, measure)
    prose = [(t, w) for t in long if (w := _display_width(t, measure)) >= least and _prose_line(t)]
    found = _common_width([w for _, w in prose])
    if found is None:  # ... unless a line printed again and again is wider: without it,
        # and only sentences, which hold a clause mark in a line's width (a list of document
        # titles of one length, once the furniture is set aside, is no wrapped prose)
        seen = Counter(t.strip() for t in long)
        prose = [(t, w) for t, w in prose if seen[t.strip()] == 1 and _has_clause_mark(t)]
        found = _common_width([w for _, w in prose])
    return found if found is None or _cut_mid_sentence(prose, found) else None


def _cut_mid_sentence(prose: list[tuple[str, int]], width: int) -> bool:
    """Do most lines that fill the width end mid-sentence, as a page's width cuts them?  A
    text of one-sentence lines of about one length (each ends its sentence) is no
    wrapped prose, and its lists' lines without a final mark run on into nothing."""
    full = [t for t, w in prose if w >= width * (1 - _WRAP_SLACK)]
    return 2 * sum(1 for t in full if ends_sentence(t.strip())) <= len(full)


def _has_clause_mark(line: str) -> bool:
    return any(p in line for p in _CLAUSE_MARKS)


def _common_width(widths: list[int]) -> int | None:
    """The widest width, when many of the widths end near it."""
    if len(widths) < _WRAPPED_LINES:
        return None
    top = max(widths)
    near = sum(1 for w in widths if w >= top * (1 - _WRAP_SLACK))
    return top if near >= _WRAPPED_LINES and near >= _WRAP_SHARE * len(widths) else None


def _wraps(line: str, nxt: str, width: tuple[int, str]) -> bool:
    """Does ``line`` run on into ``nxt`` at the wrap width (it fills the width, in the measure
    the width was found in, ends no sentence nor title, and the next line goes on
    mid-sentence)?  A line ending mid-clause joins at three quarters of the width; one ending
    on a mark a paragraph of clauses may end its lines with (；) only near the full width."""
    stripped, (columns, measure) = line.strip(), width
    slack = _WRAP_SLACK if stripped.endswith(_WRAP_MAY_END) else _WRAP_JOIN_SLACK
    if stripped.endswith(_NOT_BROKEN_ENDS):
        return False  # (a title: …年度报告, …情况)
    return (_prose_line(line) and _display_width(line, measure) >= columns * (1 - slack)
            and (not ends_sentence(stripped) or stripped.endswith(_WRAP_MAY_END))
            and _prose_line(nxt) and _starts_mid_sentence(nxt))  # (a line that fills the width is no heading)


def _common_indent(texts: list[str]) -> int:
    """The page's margin in a -layout copy: the spaces most non-blank lines open with (a
    paragraph's first line opens with more, a browser's running header with none) — most
    prose lines, when there are some: a text browser's dump (lynx -dump) sets its tables'
    rows further in than its paragraphs, and they may be most of its lines."""
    prose = Counter(len(t) - len(t.lstrip(" ")) for t in {t: None for t in texts if len(t) >= _MIN_WRAPPED_LINE
                                                          and len(t.strip()) >= _MIN_WRAPPED_LINE and _prose_line(t)})
    # (the least such indent many distinct prose lines share — a running header printed atop
    # every page counts once: paragraphs of one line each open further in than the margin,
    # and may be most of the prose)
    shared = [k for k, n in prose.items() if n >= _WRAPPED_LINES]
    if shared:
        return min(shared)
    indents = Counter(len(t) - len(t.lstrip(" ")) for t in texts if t.strip())
    return max(indents, key=lambda k: (indents[k], -k), default=0)


_CONTINUING_MARKS = _WORDS["continuing_marks"]
_DANGLING_ENDS = _WORDS["dangling_ends"]
# a figure's unit, after the scale it may open with (7.61⏎⏎万户: the figure cut off before 万)
_UNIT_FIRST = re.compile("[{}]?(?:{})".format("".join(lexicon.words("numerals", "money", "scales")),
                                               lexicon.pattern("units", "narrative_fact").pattern))


def _broken_once(line: str, nxt: str) -> bool:
    """Did a PDF tool break a sentence once here, in a text not otherwise wrapped: the next
    line opens with a mark that only follows words (。, ，), or with a unit after the line's
    digits (295⏎条), or the line — prose that ends no sentence — ends on a word no sentence
    ends on (…；未⏎收到…)?"""
    body, head = line.rstrip(), nxt.lstrip(" ")
    if not head or not _can_run_on(line) or not _prose_line(nxt):
        return False
    if head[0] in _CONTINUING_MARKS:
        return True
    if body[-1].isdigit() and _UNIT_FIRST.match(head):
        return True
    if body[-1] in _RANGE_MARKS and len(body) > 1 and (body[-2].isdigit() or body[-2] in _DATE_UNITS) \
            and head[0].isdigit() and any(map(is_ideograph, body)):
        return True  # a range the line's end cut (2000年-⏎2022年; not a page's foot, -2-)
    return (body[-1] in _DANGLING_ENDS and len(body) >= _MIN_BROKEN_LINE and _has_clause_mark(body)
            and _starts_mid_sentence(nxt))


def _can_run_on(line: str) -> bool:
    """May a sentence run on past this line: prose, no sentence's end, no title's or a
    heading's (…年度报告, (一)予以公开)?"""
    body = line.rstrip()
    return (bool(body) and _prose_line(line) and not ends_sentence(body) and not body.endswith(_NOT_BROKEN_ENDS)
            and not (is_heading_like(body) and len(body.strip()) < _MIN_BROKEN_LINE))  # (a paragraph may open with (五))


def _continued_after_blanks(texts: list[str], i: int) -> int | None:
    """The line a page break's blank lines part from line ``i`` when it opens with a mark
    that only follows words (…联络员制度⏎⏎，加强信息报送…), or None."""
    k = i + 1
    while k < len(texts) and k - i <= _MAX_BREAK_BLANKS and _is_blank(texts[k]):
        k += 1
    if k == i + 1 or k >= len(texts) or not _is_blank(texts[i + 1]):
        return None
    head = texts[k].lstrip(" ")
    return k if head and head[0] in _CONTINUING_MARKS and _can_run_on(texts[i]) and _prose_line(texts[k]) else None


_TITLE_ENDINGS = tuple(_WORDS["title_endings"]["words"])
_TITLE_LONGEST = int(_WORDS["title_endings"]["longest"])
_TITLE_YEAR = re.compile(_WORDS["title_endings"]["year"])


def _is_title_line(line: str) -> bool:
    """A short line naming a year and ending as a report's title does (X局2023年…年度报告):
    a line of its own."""
    body = line.strip()
    return len(body) <= _TITLE_LONGEST and body.endswith(_TITLE_ENDINGS) and _TITLE_YEAR.search(body) is not None


def _starts_mid_sentence(line: str) -> bool:
    if _is_blank(line) or line[0] in " \t|" or "\t" in line or "|" in line or is_heading_like(line):
        return False  # table rows (tabs, pipes) never continue a sentence
    return line[0] not in _OPENING_MARKS


def _fragmented(text: str) -> bool:
    """Is this a page's text cut at every tag (reading.yaml ``fragment_marks``): many lines
    that are a mark alone?"""
    return sum(1 for _ in islice(_MARK_LINE.finditer(text), _FRAGMENTED_LINES)) == _FRAGMENTED_LINES


def _fragments_join(line: str, nxt: str, after: str | None) -> bool:
    """In a text of fragments, does ``nxt`` go on ``line``'s words: one of them a mark alone
    (…清理工作⏎，⏎严格…), ``line`` a figure alone before its unit (34⏎件。), or ``nxt`` a
    figure alone between words and its unit (规范性文件⏎34⏎件)?  Never a table's row or a
    blank line; a figure between two labels (行政许可⏎2332⏎行政处罚) is a cell and stays.

    >>> _fragments_join("清理废止", "2000", "年"), _fragments_join("2000", "年", "-2022"), _fragments_join("清理工作", "，", "严格")
    (True, True, True)
    >>> _fragments_join("行政许可", "2332", "行政处罚"), _fragments_join("本年新收", "0", "0")
    (False, False)
    >>> _fragments_join("工作。", "(", "一"), _fragments_join("(", "一", ")"), _fragments_join("工作", "。", "二")
    (False, True, True)
    >>> _fragments_join("一、总体情况", "2025", "年，我县"), _fragments_join("”", "二、主动公开政府信息情况", None)  # headings
    (False, False)
    """
    a, b = line.strip(), nxt.strip()
    if not a or not b or not _prose_line(line) or not _prose_line(nxt) or is_heading_like(b):
        return False
    if _marks_alone(b):  # a closing mark goes on the words before it; an opening one, mid-sentence
        return b[0] not in _OPENING_MARKS or not ends_sentence(a)
    if _marks_alone(a):  # … and the words after a mark go on it, but for a sentence's end
        return not ends_sentence(a)
    if _FIGURE_ALONE.fullmatch(a):
        return b[0] in _FRAGMENT_UNITS or _UNIT_FIRST.match(b) is not None
    if _FIGURE_ALONE.fullmatch(b) and after is not None and after.strip():
        head = after.strip()
        return (not ends_sentence(a) and not is_heading_like(a) and (is_ideograph(a[-1]) or a[-1] in _RANGE_MARKS)
                and (head[0] in _FRAGMENT_UNITS or _UNIT_FIRST.match(head) is not None))
    return False


def _marks_alone(body: str) -> bool:
    return len(body) <= 2 and all(ch in _FRAGMENT_MARKS for ch in body)


_FRAGMENT_MARKS = frozenset(_WORDS["fragment_marks"])
_FRAGMENT_UNITS = frozenset(_WORDS["fragment_units"])
_DATE_UNITS = frozenset(_WORDS["range_dates"])
_RANGE_MARKS = frozenset(_WORDS["range_marks"])
_FRAGMENTED_LINES = int(_WORDS["fragmented_lines"])
_MARK_LINE = re.compile("^[ \\t]*[%s]{1,2}[ \\t]*$" % re.escape(_WORDS["fragment_marks"]), re.M)
_JOINED_TAIL = 512  # characters: wider than any page's or dump's line
_FIGURE_ALONE = re.compile(r"[-+]?\d+(?:\.\d+)?%?")


def _line_joins(text: str, cells: bool = True, breaks: bool = True,
                protected: list[bool] | None = None) -> set[int]:
    """Indices to delete (newlines, blank lines) so broken cells / sentences join.

    A ``protected`` line (e.g. a native table row) never joins anything: it reads as
    a line with a tab, which no rule continues or extends.
    """
    texts = text.split("\n")
    if protected:
        texts = [t if not p else "\t" + t for t, p in zip(texts, protected)]
    width, indent = None, _common_indent(texts) if breaks else 0
    if indent:
        # a page copied out with its margin (pdftotext -layout indents every line, a paragraph's
        # first line further): read past it — when the text is wrapped once it is (a web
        # page's paragraphs, one a line, each indented, are no wrapped text)
        margin_less = [t[indent:] if t[:indent].isspace() else t for t in texts]
        width = _wrap_width(margin_less)
        texts, indent = (margin_less, indent) if width else (texts, 0)
    if breaks and width is None:
        width = _wrap_width(texts)
    spans: list[tuple[int, int]] = []  # of the lines of ``text``: wanted only when lines join (rarely)
    drop: set[int] = set()
    fragments = list(texts) if breaks and _fragmented(text) else None  # judged as cut, not as joined
    i = 0
    while i < len(texts) - 1:
        line = texts[i]
        nxt = texts[i + 2] if i + 2 < len(texts) else None
        if fragments and _fragments_join(fragments[i], fragments[i + 1], fragments[i + 2] if i + 2 < len(texts) else None):
            spans = spans or _lines(text)
            drop.add(spans[i][1])  # the newline: the next fragment goes on this line's words
            # the rules below see the joined line (its width, its end): its tail, as much as any
            # line's width — the whole of a long chain again at every join was quadratic
            texts[i + 1] = (line + texts[i + 1])[-_JOINED_TAIL:]
            i += 1
            continue
        if width and _wraps(line, texts[i + 1], width) or breaks and _broken_once(line, texts[i + 1]):
            spans = spans or _lines(text)
            # the newline a PDF tool put where the page's width ended (and the next line's margin)
            margin = indent if text[spans[i + 1][0]:spans[i + 1][0] + indent].isspace() else 0
            drop.update(range(spans[i][1], spans[i + 1][0] + margin))
            i += 1
            continue
        if breaks and (k := _continued_after_blanks(texts, i)):
            spans = spans or _lines(text)
            drop.update(range(spans[i][1], spans[k][0]))  # a page break's blank lines before ，…
            i = k
            continue
        if cells and _continues_cell(line, texts[i + 1], nxt):
            spans = spans or _lines(text)
            drop.add(spans[i][1])  # the newline: the fragment joins the cell line
            texts[i + 1] = line + texts[i + 1]
            i += 1
            continue
        if breaks and _is_broken_prose(line):
            k = i + 1
            while k < len(texts) and k - i <= _MAX_BREAK_BLANKS and _is_blank(texts[k]):
                k += 1
            # (a figure ending the line goes on only into its unit: 其他类信息527⏎⏎分享到：… is a
            # cut text's end and the page's furniture, not one sentence)
            if k > i + 1 and k < len(texts) and k - i <= _MAX_BREAK_BLANKS + 1 \
                    and _starts_mid_sentence(texts[k]) and not _is_title_line(texts[k]) \
                    and (not line.rstrip()[-1:].isdigit() or _UNIT_FIRST.match(texts[k].lstrip()) is not None):
                spans = spans or _lines(text)
                drop.update(range(spans[i][1], spans[k][0]))  # newline(s) and blank lines
                i = k  # line k is judged on its own text: no chains through short lines
                continue
        i += 1
    return drop


def _recover_lines(text: str, offs: list[int], skip: set[int]) -> tuple[str, list[int]]:
    """A report dumped on one line gets its lines back (:mod:`nlp.normalize.relayout`): a new line
    replaces the space before it, or is inserted (mapped to the character it precedes);
    cell separators become tabs one for one."""
    if max(map(len, text.split("\n"))) < shortest_relaid(len(text)):  # no line long enough
        return text, offs
    edits = layout_edits(text, skip)
    if not edits:
        return text, offs
    return _apply_layout(text, offs, edits)


def _apply_layout(text: str, offs: list[int], edits: LayoutEdits) -> tuple[str, list[int]]:
    chars: list[str] = []
    out_offs: list[int] = []
    for i, ch in enumerate(text):
        if i in edits.breaks and not (i > 0 and text[i - 1] == " " and i - 1 not in edits.tabs):
            chars.append("\n")  # nothing to replace: the new line is inserted
            out_offs.append(offs[i])
        if ch == " " and i + 1 in edits.breaks and i not in edits.tabs:
            ch = "\n"
        elif i in edits.tabs:
            ch = "\t"
        chars.append(ch)
        out_offs.append(offs[i])
    return "".join(chars), out_offs


def _apply(text: str, offs: list[int], drop: set[int]) -> tuple[str, list[int]]:
    """``text`` and ``offs`` without the characters at ``drop``: the runs between them
    are copied whole (a few trailing spaces or joined lines must not cost a Python step
    per character of the document)."""
    if not drop:
        return text, offs
    n = len(text)
    pieces: list[str] = []
    out_offs: list[int] = []
    at = 0
    for i in sorted(drop):
        if not at <= i < n:
            continue
        pieces.append(text[at:i])
        out_offs += offs[at:i]
        at = i + 1
    pieces.append(text[at:])
    out_offs += offs[at:n]
    return "".join(pieces), out_offs


def normalize(text: str, *, join_cells: bool = True, join_breaks: bool = True,
              protect: frozenset[int] | set[int] = frozenset()) -> Normalized:
    """Normalize ``text``; ``offset_map`` maps each output char to its input offset.

    ``join_cells`` / ``join_breaks`` switch off the two line-joining rules (readers of
    formats with native tables and real paragraphs don't need them).  ``protect`` holds
    input offsets of line starts that must stay lines of their own (native table rows).

    >>> n = normalize("（一）收到申请３件，\\u3000\\r\\n")
    >>> n.text
    '(一)收到申请3件,\\n'
    >>> n.offset_map[-1] == len("（一）收到申请３件，\\u3000\\r\\n")
    True
    >>> normalize("\\t商业\\n企业\\n\\t科研\\n机构").text
    '\\t商业企业\\n\\t科研机构'
    >>> normalize("寧強(qiáng)縣民政局關於這個報告們的區縣經濟").text
    '宁强县民政局关于这个报告们的区县经济'
    """
    traditional = is_traditional(text)
    # (one character for one: every offset stays the input's)
    out, offs = _fold(_simplified(text) if traditional else text)
    if traditional:
        out, offs = _apply(out, offs, _reading_notes(out))
    if join_breaks:  # formats with real paragraphs (docx, html, pdf) switch this off too
        skip = ({s for s, _ in _lines(out) if (offs[s] if s < len(offs) else len(text)) in protect}
                if protect else set())  # plain text protects nothing: no pass over its lines
        out, offs = _recover_lines(out, offs, skip)
    out, offs = _apply(out, offs, _trailing_spaces(out))
    if join_cells or join_breaks:
        protected = None
        if protect:
            protected = [(offs[s] if s < len(offs) else len(text)) in protect for s, _ in _lines(out)]
        drop = _line_joins(out, cells=join_cells, breaks=join_breaks, protected=protected)
        out, offs = _apply(out, offs, drop)
    if join_breaks:  # (after the joins: a wrapped line is measured as the tool printed it)
        out, offs = _apply(out, offs, _tool_spaces(out))
    offs.append(len(text))
    return Normalized(out, offs)

