"""Recover the lines of a report that arrives on one long line.

Crawlers and ``textContent`` dumps put a whole page on one line: paragraphs run
together, table rows run together, table cells separated by one space or by nothing.
Such a line is split where the template says a new line starts:

* at the section headings (一、总体情况 … 六、其他需要报告的事项) and after them;
* in narrative, at sentence ends and before paragraph items ((一) 主动公开：…);
* inside a statistical table's section, before its sub-table titles (第二十条第(一)项),
  header cells and row labels (the registry's labels and aliases, numbered as the
  template numbers them) — a label counts only where a table row can start: numbered
  as the template numbers it, or between values and labels, never inside a sentence;
* a table row whose cells are separated by single spaces gets tabs in their place, one
  for one, so an empty cell (two separators side by side) keeps its position.

The result is a set of edits; :func:`nlp.normalize.text.normalize` applies them with its
offset map, so every character still maps back to the source.  Landmarks are data:
``nlp/data/lexicon/layout.yaml``, the numbering in ``reading.yaml`` and the indicator
registry.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from nlp import lexicon
from nlp.chars import fold_char, is_ideograph
from nlp.indicators import registry

__all__ = ["LayoutEdits", "layout_edits", "shortest_relaid", "MIN_LONG_LINE"]

# A line shorter than this is a paragraph or a table row, never a whole report.
MIN_LONG_LINE = 300
# A long line is a dump only when it holds at least this many template landmarks
# (section headings, sub-table titles): a long paragraph holds none.
MIN_LANDMARKS = 2
# ... or when it is (nearly) the whole text: a short report or an excerpt dumped on one
# line may hold one landmark or none (an opening cut after 一、总体情况), and left whole it
# is one "title" line that gives nothing.  Such a text may be short too (a township's
# report of 260 characters): a whole text of this many is relaid.
DUMP_SHARE = 0.9
MIN_DUMP = 100
# A title ends within this many characters of the start.
_TITLE_CHARS = 80
# Numbers separated by a space: the dump separates cells by spaces.  Where cells run
# together, a space is inside a cell's text and stays a space.
_SPACED_CELLS = re.compile(r"\d \d")
# A dump that kept the tabs between cells and lost the line ends (as spaces, or not at
# all): a space beside a tab, or the place where a text cell meets a number cell
# (…总计 0\t0…, …总计0\t0…), was a line end — a space inside a cell (结果 维持) has words
# on both sides.
_TAB_ROW_END = re.compile(r"(?<=\t) | (?=\t)|(?<=[^\d\s]) ?(?=\d+(?:\.\d+)?\t)")


# A label's numbering (三、 / (三) / 3.): its groups hold the number.
_NUMBERING = re.compile(r"^\s*" + lexicon.load("reading")["numbering"] + r"\s*")
_STOP = lexicon.load("reading")["full_stop"]  # a table line holding one is prose


@dataclass
class LayoutEdits:
    """Positions (in the text given) where a line starts, and spaces that become tabs."""

    breaks: set[int] = field(default_factory=set)
    tabs: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.breaks or self.tabs)


@dataclass(frozen=True)
class _Label:
    numbering: re.Pattern | None  # the template's numbering of the label, in any bracket style
    core: str  # the label without its numbering
    short: bool  # numbered, and too short to count without its numbering ((七)总计, 3.其他)
    pattern: re.Pattern  # the core, a space allowed between any two characters


@dataclass(frozen=True)
class _Landmarks:
    sections: tuple[tuple[re.Pattern, int | None], ...]
    titles: re.Pattern
    headers: tuple[str, ...]
    item: re.Pattern
    part: re.Pattern             # a numbered part of the report's own (一、) after a colon or a stop
    sentence: re.Pattern
    value_chars: re.Pattern
    labels: dict[int, tuple[_Label, ...]]
    column_ends: tuple[str, ...]  # texts a first row label may follow (column labels, titles)


def _fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def _numbering_pattern(token: str) -> re.Pattern:
    """Any way of printing the template's numbering ``token`` (一 / 1) before a label.  The
    digits of a run-together row may precede it (…00002.其他法律…): the template's own
    number is taken, never more digits."""
    return re.compile(lexicon.load("layout")["label_numbering"].replace("{token}", re.escape(token)))


def _label(text: str) -> _Label:
    text = _fold(text)
    m = _NUMBERING.match(text)
    numbering = None
    if m:
        numbering = _numbering_pattern(next(g for g in m.groups() if g))
        text = text[m.end():]
    core = re.sub(r"\s+", "", text)
    return _Label(numbering, core, numbering is not None and len(core) <= 2, re.compile(r" ?".join(map(re.escape, core))))


# Any numbering in brackets or with Chinese numerals (an alias is printed bare in the
# registry, but the report numbers it as the template does: (二) 部分公开).
_ANY_NUMBERING = re.compile(lexicon.load("layout")["label_numbering"].replace("{token}", lexicon.load("layout")["numeral"]))
# ... and one anywhere in a line (the pattern above ends where the label starts), the
# template's numerals or a sub-row's digit
_NUMBERING_IN_LINE = re.compile(lexicon.load("layout")["label_numbering"].removesuffix("$").replace(
    "{token}", "(?:" + lexicon.load("layout")["numeral"] + r"|\d)"))
# A row label the text stops inside is looked for in this many characters before its end.
_CUT_LABEL_CHARS = 30


@lru_cache(maxsize=1)
def _dump_marks() -> tuple[tuple[tuple[re.Pattern, int | None], ...], re.Pattern]:
    """The landmarks that tell a dump from a long paragraph (section headings, sub-table
    titles), compiled alone: most long lines are paragraphs, and the many label patterns
    of :func:`_landmarks` are only needed to split a dump."""
    data = lexicon.load("layout")
    return (tuple((re.compile(data["section_numbering"] + s["pattern"]), s.get("table")) for s in data["sections"]),
            re.compile("|".join(data["table_titles"])))


@lru_cache(maxsize=1)
def _landmarks() -> _Landmarks:
    data = lexicon.load("layout")
    sections, titles = _dump_marks()
    raw = registry().raw
    labels: dict[int, list[str]] = {2: [], 3: list(data.get("extra_row_labels", {}).get(3, []))}
    columns: list[str] = []
    for spec in raw["table2"].values():
        for r in spec["rows"]:
            labels[2] += [r["label"], *r.get("aliases", [])]
        for c in spec["columns"]:
            columns += [c["label"], *c.get("aliases", [])]
    for r in raw["table3"]["rows"]:
        labels[3] += [r["label"], *r.get("aliases", [])] + ([r["parent"]] if r.get("parent") else [])
    columns += [c["label"] for c in raw["table3"]["columns"]]
    closers = re.escape(data["sentence_closers"])
    return _Landmarks(
        sections=sections,
        titles=titles,
        headers=tuple(_fold(h) for h in data["table_headers"]),
        item=re.compile(rf"(?<!{data['item_not_after']}){data['items']}"),
        part=re.compile(rf"(?<={data['part_after']})\s*({data['parts']})"),
        sentence=re.compile(rf"{data['sentence_end']}[{closers}]*"),
        value_chars=re.compile(rf"[\s{data['value_chars']}]"),
        labels={k: tuple({_label(x) for x in v}) for k, v in labels.items()},
        column_ends=tuple(sorted({_fold(x) for x in columns} | set(data["column_end_words"]), key=len, reverse=True)),
    )


# ---------------------------------------------------------------- public
def shortest_relaid(text_length: int) -> float:
    """The length below which no line of a text of ``text_length`` characters is relaid
    (a quick test before :func:`layout_edits` looks at landmarks)."""
    return min(MIN_LONG_LINE, _dump_length(text_length))


def _dump_length(text_length: int) -> float:
    """A line this long is (nearly) the whole text: relaid whatever its landmarks."""
    return max(MIN_DUMP, DUMP_SHARE * text_length)


def layout_edits(text: str, skip: frozenset[int] | set[int] = frozenset()) -> LayoutEdits:
    """Edits that recover the lines of every long, landmark-dense line of ``text``
    (lines starting at an offset in ``skip`` — native table rows — are left alone).

    >>> t = "一、总体情况 本年共公开信息3条。 二、主动公开政府信息情况 第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 行政规范性文件 1  2 三、收到和处理政府信息公开申请情况 本年未收到申请。" * 3
    >>> len(layout_edits(t).breaks) > 0
    True
    >>> from nlp.normalize.text import normalize  # which applies the edits
    >>> lines = normalize(t).text.split("\\n")
    >>> lines[:3], lines[5:7]
    (['一、总体情况', '本年共公开信息3条。', '二、主动公开政府信息情况'], ['规章\\t0\\t0\\t0', '行政规范性文件\\t1\\t\\t2'])
    >>> opening = "根据《条例》，现公布本局年度报告。" * 20 + "一、总体情况 本年共主动公开信息12条。未收到申请。"
    >>> normalize(opening).text.split("\\n")[-3:]  # the whole text on one line, one landmark
    ['一、总体情况', '本年共主动公开信息12条。', '未收到申请。']
    """
    edits = LayoutEdits()
    dump = _dump_length(len(text))
    start = 0
    for line in text.split("\n"):
        if start not in skip and (len(line) >= dump or len(line) >= MIN_LONG_LINE and _has_landmarks(line)):
            _edit_line(line, start, edits)
        start += len(line) + 1
    return edits


def _has_landmarks(line: str) -> bool:
    """Enough landmarks to tell a dump from a long paragraph: two; or one section heading
    where only a line can start it, after a sentence's end (…下载。 一、总体情况 2023年，…);
    or the report's title with its opening sentence run on after it (a PDF page's text:
    X2018年度政府信息公开工作报告 2018年，X以…)."""
    sections, titles = _dump_marks()
    heads = [m.start() for p, _ in sections for m in p.finditer(line) if not _listed(line, m)]
    if len(heads) + len(titles.findall(line)) >= MIN_LANDMARKS:
        return True
    after = _heading_after()
    if any(after.search(line, max(0, h - _CLOSERS_BEFORE), h) for h in heads):
        return True
    title_end = _title_ends_at(line)  # …报告 2018年，…: a space, not a comma, after it
    return title_end is not None and line[title_end:title_end + 1].isspace()


def _listed(line: str, heading: re.Match[str]) -> bool:
    """Is the heading one of the parts a sentence lists (after a ； or the list's ：, and
    before a ；/。, its own or the next: 本报告包括：1.总体情况；2.主动公开政府信息情况；…)?"""
    marks = lexicon.load("layout")["listed_part"]  # (cached by the lexicon)
    before = line[:heading.start()].rstrip()
    ends = heading.group()[-1:] in marks["after"] or line[heading.end():].lstrip().startswith(tuple(marks["after"]))
    return before.endswith(tuple(marks["before"])) and ends


_CLOSERS_BEFORE = 8  # a sentence's end, its closing quotes and spaces, before a heading


@lru_cache(maxsize=1)
def _heading_after() -> re.Pattern:
    return re.compile(lexicon.load("layout")["heading_after"])


@lru_cache(maxsize=1)
def _title_marks() -> tuple[re.Pattern, re.Pattern]:
    """A title's end and its year, compiled alone: the dump test asks for them on long
    paragraphs, which need none of :func:`_landmarks`' label patterns."""
    data = lexicon.load("layout")
    return re.compile(data["title_end"]), re.compile(data["title_year"])


def _title_ends_at(line: str, within: int = _TITLE_CHARS) -> int | None:
    """Where the report's title, run into the text after it, ends: a title end within the
    line's first characters, after the year the title names."""
    title_end, title_year = _title_marks()
    title = title_end.search(line, 0, within)
    return title.end() if title is not None and title_year.search(line, 0, title.start()) else None


# ---------------------------------------------------------------- one long line
def _edit_line(line: str, base: int, edits: LayoutEdits) -> None:
    lm = _landmarks()
    heads = sorted((m.start(), m.end(), table) for p, table in lm.sections for m in p.finditer(line)
                   if not _listed(line, m))
    bounds = [h[0] for h in heads] + [len(line)]
    prose: list[tuple[int, int]] = [(0, bounds[0])]
    breaks: set[int] = set()
    for k, (s, e, table) in enumerate(heads):
        breaks.add(s)
        stop = bounds[k + 1]
        body = _skip_spaces(line, e)
        breaks.add(body)
        prose_breaks = _prose_breaks(line, body, stop)  # a table's section may open with prose
        breaks |= prose_breaks
        if table in lm.labels or table == 4:
            table_breaks, labels = _table_breaks(line, body, stop, table)
            table_breaks |= {m.end() for m in _TAB_ROW_END.finditer(line, body, stop)}
            breaks |= table_breaks
            if _SPACED_CELLS.search(line, body, stop):  # else spaces are inside cells (结果 维持)
                in_label = {i for a, b in labels for i in range(a, b)}
                pieces = sorted({body, *table_breaks, *prose_breaks, stop})
                for a, b in zip(pieces, pieces[1:]):
                    _tab_cells(line, a, b, edits, base, in_label)
    for s, e in prose:
        breaks |= _prose_breaks(line, s, e)
    rows = markdown_rows(line)  # a Markdown table's rows, whole: no label cuts one
    for m in _markdown_heading(_is_markdown(line, rows)).finditer(line):  # ## 一、总体情况 stays one line
        breaks.add(m.start())
        breaks.discard(_skip_spaces(line, m.end()))
    if rows:
        starts = [r for r, _ in rows]
        inside = lambda b: (k := bisect_right(starts, b) - 1) >= 0 and starts[k] < b < rows[k][1]  # noqa: E731
        breaks = {b for b in breaks if not inside(b)} | {b for r, e in rows for b in (r, _skip_spaces(line, e))}
        edits.tabs = {t for t in edits.tabs if not (base <= t < base + len(line) and inside(t - base))}
    if (title_end := _title_ends_at(line, min(bounds[0], _TITLE_CHARS))) is not None:
        breaks.add(_skip_spaces(line, title_end))  # the title, then the opening sentence
    edits.breaks |= {base + b for b in breaks if 0 < b < len(line)}


# A Markdown table's separator row (|---|:---:|, GitHub's |:-:| too): how many columns its
# table has.  A lone - is a placeholder cell (| - | - |, or compact |-|-| rows), no separator.
_MARKDOWN_SEPARATOR = re.compile(r"\|(?:(?:[ \t]*:?-{2,}:?[ \t]*|:-:?|-:)\|)+")


def markdown_rows(line: str) -> list[tuple[int, int]]:
    """(start, end) of every row of the Markdown tables run together in ``line``: the
    header row before each separator row (|---|---|), the separator, and the rows after it.

    A dump of Markdown loses the line ends between rows (…| 总计 ||---|---|| 27 | 61 |, or
    with spaces: | 27 | 61 | | 8 | 10 |), and an empty cell prints as the same || or | |:
    only the separator's column count tells where one row ends and the next begins.

    >>> line = "### 行政复议| 维持 | 总计 ||---|---|| 27 | 61 || 3 |  |### 行政诉讼"
    >>> [line[a:b] for a, b in markdown_rows(line)]
    ['| 维持 | 总计 |', '|---|---|', '| 27 | 61 |', '| 3 |  |']
    """
    rows: list[tuple[int, int]] = []
    for sep in _MARKDOWN_SEPARATOR.finditer(line):
        if rows and sep.start() < rows[-1][1]:
            continue
        n = sep.group().count("|") - 1
        head = _row_before(line, sep.start(), n)
        if head is not None:
            rows.append(head)
        rows.append(sep.span())
        at = sep.end()
        while (row := _row_from(line, _skip_spaces(line, at), n)) is not None:
            rows.append(row)
            at = row[1]
    return rows


def _row_before(line: str, end: int, n: int) -> tuple[int, int] | None:
    """The row of ``n`` cells that ends right before ``end`` (the separator's start)."""
    close = len(line[:end].rstrip(" ")) - 1
    if close < 0 or line[close] != "|":
        return None
    start = close
    for _ in range(n):
        start = line.rfind("|", 0, start)
        if start < 0 or _STOP in line[start:close]:
            return None
    return start, close + 1


def _row_from(line: str, start: int, n: int) -> tuple[int, int] | None:
    """The row of ``n`` cells that starts at ``start`` with its opening pipe, if one does."""
    if start >= len(line) or line[start] != "|":
        return None
    end = start
    for _ in range(n):
        end = line.find("|", end + 1)
        if end < 0 or _STOP in line[start:end]:
            return None
    return start, end + 1


@lru_cache(maxsize=2)
def _markdown_heading(markdown: bool = False) -> re.Pattern:
    """A heading marker: in any dump, or (``markdown``) in one that is Markdown."""
    return re.compile(lexicon.load("layout")["markdown_heading_in_markdown" if markdown else "markdown_heading"])


def _is_markdown(line: str, rows: list[tuple[int, int]]) -> bool:
    """Is the dumped text Markdown: opening with a heading's #, or holding a ## heading or a
    table (``rows``: its :func:`markdown_rows`, found from its |---| separators)?"""
    return line.lstrip().startswith("#") or "## " in line or bool(rows)


def _skip_spaces(line: str, i: int) -> int:
    while i < len(line) and line[i] == " ":
        i += 1
    return i


def _prose_breaks(line: str, start: int, end: int) -> set[int]:
    """Sentence ends and paragraph items ((一) …) of a narrative stretch."""
    lm = _landmarks()
    items = set()
    for m in lm.item.finditer(line, start, end):
        s = _skip_spaces(line, m.start())
        before = line[s - 1] if s > 0 else " "
        if before in " \t" or before.isdigit() or lm.sentence.match(before) or s == start:
            items.add(s)
        elif before in _COMMAS and _item_title_end(line, s, end) is not None:
            items.add(s)  # …粉丝量5.1万人，(二)依申请公开2023年度…: a page whose sentence stops at a comma
    out = set(items) | {t for i in items if (t := _item_title_end(line, i, end)) is not None}
    out |= {m.start(1) for m in lm.part.finditer(line, start, end)}
    for m in lm.sentence.finditer(line, start, end):
        if not _ends_run_in_heading(line, items, m.end()):
            out.add(_skip_spaces(line, m.end()))
    return {b for b in out if start <= b < end}


RUN_IN_HEADING_MAX = 24  # characters of "（一）主动公开方面。": a heading printed at its paragraph's start


@dataclass(frozen=True)
class _ItemTitle:
    """How an item's title ends (layout.yaml ``item_title``)."""
    last_words: tuple[str, ...]  # 情况, 方面: a title's usual last word
    ends_after: re.Pattern       # … such a word with the paragraph right after it
    year: re.Pattern             # a year that opens the paragraph
    year_not_after: tuple[str, ...]
    titles: re.Pattern           # a title of the template's 总体情况 items, the paragraph after it
    stops: frozenset[str]        # a stop this early makes the item a run-in sentence
    within: int


@lru_cache(maxsize=1)
def _item_title() -> _ItemTitle:
    data = lexicon.load("layout")["item_title"]

    def words(ws: list[str]) -> str:
        return "|".join(sorted(map(re.escape, ws), key=len, reverse=True))

    return _ItemTitle(tuple(data["ends_after"]), re.compile(rf"(?:{words(data['ends_after'])})(?=[^\s{_PUNCT}])"),
                      re.compile(data["year"]), tuple(data["year_not_after"]),
                      re.compile(rf"[、.．\s]*(?:{words(data['titles'])})(?=[^\s{_PUNCT}])"),
                      frozenset(data["sentence_stops"]), int(data["within"]))


_COMMAS = "，,"
_PUNCT = re.escape("，,。；;：:、！？!?（）()“”\"'《》")
_STOPS = frozenset("，,。；;：:！？!?")


def _item_title_end(line: str, item: int, end: int) -> int | None:
    """Where the title of the item at ``item`` ((二)依申请公开…) ends in a dump that ran it
    into its paragraph, if it does: after 情况, before a year (not after 截至…), or after a
    title of the template's items — with no comma between the item and there, and no stop
    in the item's first characters (a run-in heading or sentence ending with 。 is its
    paragraph's start, and stays so).

    >>> _item_title_end("(二)依申请公开政务信息办理情况2022年度收到申请3件。", 0, 40)
    16
    >>> t = "(二)依申请公开建立健全依申请公开信息处理机制，规范接收。"
    >>> _item_title_end("(三)、申请行政复议情况2021年涉及政府信息公开行政复议0件。", 0, 40), _item_title_end(t, 0, 30)
    (12, 8)
    >>> _item_title_end("(一)主动公开方面。2023年，我局……", 0, 20) is None
    True
    >>> [_item_title_end(t, 0, 30) for t in ("(一)主动公开政府信息工作。", "(一)截至2022年底，共公开信息", "(三)及时掌握舆情情况并回应关切。")]
    [None, None, None]
    """
    marker = _landmarks().item.match(line, item)
    if marker is None:
        return None
    it = _item_title()
    head = line[marker.end():min(end, marker.end() + it.within)]
    if any(c in it.stops for c in head):
        return None  # (一)主动公开方面。/ (三)及时掌握舆情情况并回应关切。: a run-in sentence
    cut = next((k for k, c in enumerate(head) if c in _STOPS), len(head))
    found = it.ends_after.search(head, 0, cut)
    if found is not None:
        return marker.end() + found.end()
    found = it.year.search(head, 1, cut)
    if found is not None and not head[:found.start()].endswith(it.year_not_after):
        return marker.end() + found.start()
    found = it.titles.match(head, 0, cut)
    return marker.end() + found.end() if found else None


def _ends_run_in_heading(line: str, items: set[int], end: int) -> bool:
    """Whether the sentence ending at ``end`` is a short item heading run into its paragraph
    ("（一）主动公开方面。2023年……"): reports print such a heading and its paragraph as one
    line, so the dump keeps them together — a line break there would make it a heading line
    the source never had, and change what the narrative's figures are read under."""
    sentence = _landmarks().sentence
    return any(0 < end - i <= RUN_IN_HEADING_MAX and not sentence.search(line[i:end - 1]) for i in items)


def _table_breaks(line: str, start: int, end: int, table: int) -> tuple[set[int], list[tuple[int, int]]]:
    """Line starts inside a table's section (titles, header cells, row labels), and the
    spans of the row labels found."""
    lm = _landmarks()
    out = {m.start() for m in lm.titles.finditer(line, start, end)}
    for h in lm.headers:  # each part of table 2 prints its own 信息内容
        k = line.find(h, start, end)
        while k >= 0:
            out.add(k)
            k = line.find(h, k + len(h), end)
    cut = _label_cut_at_end(line, start, end, table)
    if cut is not None:
        out.add(cut)
    taken: list[tuple[int, int]] = []
    for s, e in sorted(_label_hits(line, start, end, table), key=lambda x: (x[0], -(x[1] - x[0]))):
        if any(s < b and a < e for a, b in taken):
            continue  # inside a longer label (规范性文件 in 行政规范性文件)
        taken.append((s, e))
        out.add(s)
    return out, taken


def _label_cut_at_end(line: str, start: int, end: int, table: int) -> int | None:
    """Where a numbered row label starts that the text stops inside (an opening cut
    mid-table: …0  0  三、本年度办): no label matches it whole, and left where it stands it
    runs on the row before, whose cells then go unread."""
    stop = len(line.rstrip())
    if end < stop:
        return None
    cores = [label.core for label in _landmarks().labels.get(table, ()) if label.numbering is not None]
    found = None
    for m in _NUMBERING_IN_LINE.finditer(line, max(start, stop - _CUT_LABEL_CHARS), stop):
        piece = re.sub(r"\s+", "", line[m.end():stop])
        if len(piece) >= 2 and any(core.startswith(piece) and core != piece for core in cores):
            found = m.start()
    return found


def _label_hits(line: str, start: int, end: int, table: int) -> list[tuple[int, int]]:
    """(start, end) of each place a row of ``table`` can start with one of its labels."""
    lm = _landmarks()
    hits = []
    for label in lm.labels.get(table, ()):
        if not label.core:
            continue
        for m in label.pattern.finditer(line, start, end):
            k = m.start()
            s = _numbered_start(line, start, k, label)
            if s is None and not label.short and _row_context(line, start, end, k, m.end()):
                s = k
            if s is not None:
                hits.append((s, m.end()))
    return hits


def _numbered_start(line: str, start: int, k: int, label: _Label) -> int | None:
    """Where the label's numbering starts, when the template's numbering precedes it."""
    m = (label.numbering or _ANY_NUMBERING).search(line[max(start, k - 8):k])
    if m is None and label.numbering is not None:
        m = _ANY_NUMBERING.search(line[max(start, k - 8):k])
    if m is None:
        return None
    s = max(start, k - 8) + m.start()
    return None if s > 0 and line[s - 1] == lexicon.load("layout")["item_not_after"] else s


def _row_context(line: str, start: int, end: int, s: int, e: int) -> bool:
    """A bare label starts a row only between values, titles and column labels, and only
    when a value, a space or the end follows it — never a word inside a sentence."""
    lm = _landmarks()
    after_ok = e >= end or not is_ideograph(line[e]) or _starts_label(line, e, end)
    if not after_ok:
        return False
    if s <= start or not is_ideograph(line[s - 1]):
        return True
    return any(line.endswith(c, start, s) for c in lm.column_ends)


def _starts_label(line: str, i: int, end: int) -> bool:
    lm = _landmarks()
    return any(line.startswith(lab.core, i) for labs in lm.labels.values() for lab in labs if not lab.short)


def _tab_cells(line: str, a: int, b: int, edits: LayoutEdits, base: int, in_label: set[int]) -> None:
    """The single-space cell separators of one table line become tabs (not in prose, not
    inside a row label: 部分公开(区分处理的, 只计这一情形…)."""
    if _STOP in line[a:b]:
        return
    for i in range(a, b - 1):  # the space at b - 1 becomes the newline before the next line
        if line[i] == " " and i not in in_label:
            edits.tabs.add(base + i)
