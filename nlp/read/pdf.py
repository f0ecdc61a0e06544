"""PDF reports (pdfplumber): text lines joined into paragraphs, ruled tables, tables split
over pages joined again, page numbers and running headers dropped — and bounds on what
a hostile PDF may make pdfminer inflate and parse."""

from __future__ import annotations

import bisect
import contextvars
import io
import logging
import re
import zlib

from nlp import lexicon
from nlp.errors import ReadError
from nlp.read.common import (MAX_CHARS, MAX_PDF_INFLATED, MAX_PDF_OPERATORS, MAX_PDF_PAGE_CONTENT, MAX_PDF_PAGES,
                             MAX_PDF_STREAM, Block, assemble, over)
from nlp.types import Document

_WORDS = lexicon.load("reading")
_PAGE_NO = re.compile(_WORDS["page_number"])
# pdfminer warns once per glyph run of a font it cannot measure (a browser's "print to PDF"
# writes such fonts): a hundred lines on the terminal about a file read right
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _is_page_number(text: str, page_no: int) -> bool:
    """``- 3 -``, ``第3页 共9页``, ``3/9``, or a bare number equal to the page's own number.

    >>> _is_page_number("- 3 -", 2), _is_page_number("3", 2), _is_page_number("0", 2)
    (True, True, False)
    """
    text = text.strip()
    return bool(_PAGE_NO.match(text)) or text == str(page_no + 1)


def _pdf_line_text(chars: list[dict]) -> str:
    """A text line from its chars; wide gaps (no ruling lines) become tab cell breaks.

    Word and LibreOffice set a fifth to a quarter of an em between Chinese and Latin or
    digits (自动调整中文与数字的间距): that gap is no space unless a space glyph sits in it.
    """
    out: list[str] = []
    prev = None
    blank = False  # a space glyph since the previous char
    # pdfplumber lists a glyph read as several characters (a ligature; (cid:17), a glyph
    # its font maps to no character) once per character: its text is written once
    for ch in sorted({id(c): c for c in chars}.values(), key=lambda c: c["x0"]):
        if not ch["text"].strip():
            blank = True
            continue
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = max(ch.get("size", 10.0), 1.0)
            autospace = _is_cjk(prev["text"]) != _is_cjk(ch["text"])
            if gap > 3.0 * size:  # wider than any run of spaces in running text
                out.append("\t")
            elif gap > (0.3 if autospace and not blank else 0.2) * size:
                out.append(" ")
        out.append(ch["text"])
        prev, blank = ch, False
    return "".join(out)


def _is_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


_OPENERS = _WORDS["openers"]
_CLOSERS_PUNCT = _WORDS["closers"]
# A line after a finished sentence that opens a heading or numbered item starts anew.
_HEADING = re.compile(_WORDS["heading"])
_FINAL = _WORDS["sentence_final"]
_CLOSERS = _WORDS["sentence_closers"]


def _ends_sentence(line: str) -> bool:
    """The line ends with sentence-final punctuation (closing quotes skipped).

    >>> _ends_sentence("无其他需要报告的事项。”"), _ends_sentence("专人负责政务公开工作的")
    (True, False)
    """
    body = line.rstrip().rstrip(_CLOSERS)
    return bool(body) and body[-1] in _FINAL


def _lead_width(chars: list[dict]) -> float:
    """Width of a line's first unbreakable unit: the word a wrap pushed down from above.

    An opening bracket sticks to what follows, an ASCII word stays whole, closing
    punctuation never starts a line — so the unit can be wider than one character.
    """
    cs = sorted((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
    if not cs:
        return 0.0
    k = 0
    while k < len(cs) - 1 and cs[k]["text"] in _OPENERS:
        k += 1
    if cs[k]["text"].isascii() and cs[k]["text"].isalnum():
        while k + 1 < len(cs) and cs[k + 1]["text"].isascii() and (cs[k + 1]["text"].isalnum() or cs[k + 1]["text"] in ".%-"):
            k += 1
    while k + 1 < len(cs) and cs[k + 1]["text"] in _CLOSERS_PUNCT:
        k += 1
    return cs[k]["x1"] - cs[0]["x0"]


def _pdf_cell(text: str | None) -> str | None:
    """A cell's text, its lines joined (a label wrapped a character a line is one word
    again); None where a merged cell covers the position."""
    return None if text is None else text.replace("\n", "")


def _pdf_table(t, page_no: int, chars: list[dict]) -> dict:
    """One page's part of a ruled table: cell texts (None under a merged cell), each
    column's left edge, and per row the left edges of the cells crossing it (also the
    cells merged down from a row above) — a row's shape, whatever its text."""
    rows = [[_pdf_cell(c) for c in row] for row in t.extract(x_tolerance=1.5)]
    xs = [col.bbox[0] for col in t.columns]
    shapes = []
    for row in t.rows:
        cells = [c for c in row.cells if c is not None]
        mid = (row.bbox[1] + min(c[3] for c in cells)) / 2 if cells else row.bbox[1]  # row.bbox spans its merged cells
        shapes.append(sorted({c[0] for c in t.cells if c[1] <= mid <= c[3]}))
    return {"kind": "table", "page": page_no, "top": t.bbox[1], "bottom": t.bbox[3],
            "x0": t.bbox[0], "x1": t.bbox[2], "xs": xs, "rows": rows, "shapes": shapes,
            "wrapped": [_wraps_on(t, chars, x) for x in xs]}


def _wraps_on(t, chars: list[dict], x: float) -> bool:
    """The cell at the table's foot in the column starting at ``x`` ends with a full line
    (its text was still wrapping) — or holds no text.  A row cut by a page break leaves
    such a cell above the break; a complete short label ("行政许可") does not."""
    bottom = t.bbox[3]
    cell = next((c for c in t.cells if c[0] <= x + 0.5 < c[2] and c[1] < bottom - 1 <= c[3]), None)
    if cell is None:
        return True
    inside = [ch for ch in chars if ch["text"].strip() and cell[0] <= (ch["x0"] + ch["x1"]) / 2 <= cell[2]
              and cell[1] <= (ch["top"] + ch["bottom"]) / 2 <= cell[3]]
    if not inside:
        return True
    last_top = max(ch["top"] for ch in inside)
    last = [ch for ch in inside if ch["top"] >= last_top - 1.0]
    size = max(ch.get("size", 10.0) for ch in last)
    return cell[2] - max(ch["x1"] for ch in last) < 2.0 * size  # no room for one more character


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _pdf_page_items(page, page_no: int) -> list[dict]:
    items: list[dict] = []
    # A lone ruled box (a page frame, a boxed note) is no table: its text stays text.
    # its .tables are page.find_tables(); .cells has the lone boxes too
    rules = _open_rules(page)
    finder = page.debug_tablefinder({"explicit_horizontal_lines": rules})
    tables = [t for t in finder.tables if len(t.rows) * max((len(r.cells) for r in t.rows), default=0) >= 2]
    boxes = [t.bbox for t in tables]
    for t in tables:
        items.append(_pdf_table(t, page_no, page.chars))
    rest = page.filter(lambda o: o.get("object_type") != "char" or not (_inside(o, boxes) or _clipped(o, rules))) \
        if boxes else page
    height = float(page.height)
    raw = rest.extract_text_lines(return_chars=True, x_tolerance=1.5, keep_blank_chars=True)
    for k, ln in enumerate(raw):
        text = _pdf_line_text(ln["chars"])
        # page numbers: in the top/bottom margin, first or last line of the page
        margin = ln["top"] < 0.1 * height or ln["bottom"] > 0.9 * height
        if not text or (margin and k in (0, len(raw) - 1) and _is_page_number(text, page_no)):
            continue
        size = max((c.get("size", 10.0) for c in ln["chars"]), default=10.0)
        edge = margin and (("head" if k == 0 else None) if ln["top"] < 0.1 * height else
                           ("foot" if k == len(raw) - 1 else None))
        items.append({"kind": "line", "page": page_no, "top": ln["top"], "bottom": ln["bottom"],
                      "x0": ln["x0"], "x1": ln["x1"], "size": size, "text": text,
                      "lead": _lead_width(ln["chars"]), "edge": edge or None})
    items += _foot_box(page, page_no, items, finder)
    items.sort(key=lambda it: it["top"])
    return items


def _open_rules(page) -> list[dict]:
    """The rules a table lacks where a page break cuts it: a browser prints the part of a
    row above the break with no bottom rule, and the part below with no top one.  Without
    them the cut row's text falls out of the table as loose lines, its label one word a
    line.  A rule is drawn where three or more column rules end (or start) together, no
    rule across them, and nothing but the page's margin below (or above) — on the page:
    a browser draws the cut row's rules on past its foot, where nothing shows."""
    height = float(page.height)
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2.0]
    if not verticals:
        return []
    across = [e for e in page.edges if e["orientation"] == "h"]
    body = [c for c in page.chars if c["text"].strip() and 0.1 * height <= c["top"] and c["bottom"] <= 0.9 * height]
    rules = []
    for end in ("top", "bottom"):
        for y, xs in _ends_together(verticals, end):
            x0, x1 = xs[0], xs[-1]
            if len(xs) < 3 or not 0.0 < y < height or any(abs(e["top"] - y) <= 1.5 and e["x0"] <= x0 + 2 and e["x1"] >= x1 - 2 for e in across):
                continue
            if not any(x0 <= c["x0"] <= x1 and (c["top"] > y if end == "bottom" else c["bottom"] < y) for c in body):
                rules.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                              "width": x1 - x0, "height": 0.0, "end": end})
    return rules


def _clipped(char: dict, rules: list[dict]) -> bool:
    """A char the page break cuts through at an open table foot: the browser prints the
    cut line on both pages, and the next page's copy is the one inside its cell."""
    return any(r["end"] == "bottom" and r["x0"] <= char["x0"] <= r["x1"] and char["top"] < r["top"] < char["bottom"]
               for r in rules)


def _ends_together(edges: list[dict], end: str) -> list[tuple[float, list[float]]]:
    """(y, the distinct x of the column rules ending there), rules ending within 1.5 pt of
    each other taken together."""
    groups: list[tuple[float, list[float]]] = []
    for e in sorted(edges, key=lambda e: e[end]):
        if groups and e[end] - groups[-1][0] <= 1.5:
            groups[-1][1].append(e["x0"])
        else:
            groups.append((e[end], [e["x0"]]))
    out = []
    for y, xs in groups:
        distinct: list[float] = []
        for x in sorted(xs):
            if not distinct or x - distinct[-1] > 2.0:  # a rule drawn as a thin box has two edges
                distinct.append(x)
        out.append((y, distinct))
    return out


def _foot_box(page, page_no: int, items: list[dict], finder) -> list[dict]:
    """A lone ruled box, a line or two high, that ends the page: maybe the first row of a
    table the next page goes on with (``第二十条第（一）项`` alone above the break).  It is
    kept as a table item holding its text lines, which :func:`_pdf_blocks` puts back as
    text unless the next page's table joins it."""
    from pdfplumber.table import Table as PdfTable

    lines = [it for it in items if it["kind"] == "line" and it["edge"] != "foot"]  # a page footer may follow
    in_tables = {c for t in finder.tables for c in t.cells}
    for cell in finder.cells:
        top, bottom = cell[1], cell[3]
        if cell in in_tables or bottom - top > 60 or any(ln["top"] > bottom for ln in lines):
            continue
        t = PdfTable(page, [cell])
        inside = [ln for ln in lines if _inside(ln, [t.bbox])]
        for ln in inside:
            items.remove(ln)
        part = _pdf_table(t, page_no, page.chars)
        part["text_lines"] = inside
        return [part]
    return []


def _line_pitch(lines: list[dict]) -> float:
    """The most common distance between consecutive text lines of a page (baseline to baseline)."""
    gaps = sorted(round(b["top"] - a["top"], 1) for a, b in zip(lines, lines[1:])
                  if a["page"] == b["page"] and 0 < b["top"] - a["top"] < 4 * a["size"])
    if not gaps:
        return float("inf")
    return gaps[len(gaps) // 4]  # lower quartile: within-paragraph lines outnumber breaks


def _pdf_blocks(items: list[dict]) -> list[Block]:
    """Join wrapped lines into paragraphs and tables split over pages into one."""
    items = _settle_foot_boxes(_drop_running_lines(items))
    lines = [it for it in items if it["kind"] == "line"]
    widest = max((it["x1"] for it in lines), default=0.0)
    full = sorted(it["x1"] for it in lines if it["x1"] >= 0.9 * widest)
    right = full[len(full) // 2] if full else widest  # the text column's right edge
    left = min((it["x0"] for it in lines), default=0.0)
    pitch = _line_pitch(lines)
    blocks: list[Block] = []
    prev: dict | None = None
    for it in items:
        if it["kind"] == "table":
            if prev is not None and prev["kind"] == "table" and _continues(prev, it) and isinstance(blocks[-1], dict):
                blocks[-1] = _join_parts(blocks[-1], it)  # the table continues on the next page
            else:
                blocks.append(it)
        else:
            wrapped = (prev is not None and prev["kind"] == "line"
                       # the next line's first word would not have fit after this one
                       and right - prev["x1"] < max(it["lead"], prev["size"]) + 0.25 * prev["size"]
                       and it["x0"] <= left + 0.5 * it["size"] and "\t" not in prev["text"]
                       and "\t" not in it["text"]
                       and not (_ends_sentence(prev["text"]) and _HEADING.match(it["text"]))
                       # paragraph spacing: a wider gap than the usual line pitch starts a new one
                       and (it["page"] != prev["page"]
                            or it["top"] - prev["top"] <= min(pitch + 1.0, 2.5 * prev["size"])))
            if wrapped and isinstance(blocks[-1], str):
                blocks[-1] += it["text"]
            else:
                blocks.append(it["text"])
        prev = it
    return [_grid_text(b) if isinstance(b, dict) else b for b in blocks]


# A table split over pages: LibreOffice and Word draw each page's part as its own ruled
# table.  Joining them undoes what the page break did: the header rows Word repeats, a
# row split in two (its label's first lines above the break, the rest and maybe its
# numbers below), and a merged label cell cut in two (its text on either part, or
# repeated on both).
_VALUE = re.compile(_WORDS["value_cell"])
_NUMBERED = re.compile(r"^\s*" + _WORDS["numbering"])


def _drop_running_lines(items: list[dict]) -> list[dict]:
    """Page headers and footers: a page's first line in the top margin (or last in the
    bottom one) whose words come again at the same height on another page, whatever page
    number ends it (a browser prints the page's address and "2/4" at every foot).  Dropped, so
    a table running over the break is next to its continuation and the text reads on.
    (A figure that happens to end two pages is no footer: two letters at least.)"""
    seen: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for it in items:
        if it["kind"] == "line" and it["edge"] and re.search(r"[^\W\d_]{2}", it["text"]):
            seen.setdefault(_running_key(it), []).append((it["page"], it["top"]))
    running = {k for k, at in seen.items()
               if len({p for p, _ in at}) >= 2 and max(t for _, t in at) - min(t for _, t in at) <= 3.0}
    return [it for it in items if it["kind"] != "line" or not it["edge"] or _running_key(it) not in running]


def _running_key(line: dict) -> tuple[str, str]:
    """A margin line's edge and words, the page number that ends it masked (…html 2/4 and
    …html 3/4 are one footer; 第1页正文 and 第2页正文, 附件1 and 附件2 are two lines each).

    >>> [_running_key({"edge": "foot", "text": t})[1] for t in ("file:///a.html\t2/4", "报告 3", "附件1")]
    ['file:///a.html\t#', '报告 #', '附件1']
    """
    return line["edge"], _TRAILING_PAGE_NO.sub("#", line["text"])


# a page counter (2/4) or a number after a space (第 2 页 is the page_number pattern's) ends a
# margin line; 附件1, 附件2 are headings, not page numbers
_TRAILING_PAGE_NO = re.compile(r"(?:\d+\s*/\s*\d+|(?<=\s)\d+)\s*$")


def _settle_foot_boxes(items: list[dict]) -> list[dict]:
    """A box at a page's foot is a table's first row when the next page's table goes on
    with it, else its text lines again."""
    out: list[dict] = []
    for k, it in enumerate(items):
        if "text_lines" not in it:
            out.append(it)
        elif k + 1 < len(items) and items[k + 1]["kind"] == "table" and _continues(it, items[k + 1]):
            out.append(it)
        else:
            out += it["text_lines"]
    return out


def _continues(prev: dict, it: dict) -> bool:
    """``it`` (first thing on its page) goes on with table ``prev`` (last on the page before):
    the same outer edges, or the same number of columns."""
    if it["page"] != prev["page"] + 1:
        return False
    same_edges = abs(it["x0"] - prev["x0"]) <= 2.0 and abs(it["x1"] - prev["x1"]) <= 2.0
    return same_edges or len(it["xs"]) == len(prev["xs"])


def _on_columns(part: dict, xs: list[float]) -> tuple[list[list], list[frozenset]]:
    """A part's rows and row shapes on the columns ``xs`` (the union of both parts')."""
    def col(x: float) -> int:
        return min(range(len(xs)), key=lambda k: abs(xs[k] - x))

    where = [col(x) for x in part["xs"]]
    rows = []
    for row in part["rows"]:
        out: list = [None] * len(xs)
        for k, cell in enumerate(row):
            out[where[k]] = cell
        rows.append(out)
    return rows, [frozenset(col(x) for x in shape) for shape in part["shapes"]]


# Column rules of the two parts closer than this are one rule: a browser draws a rule as a
# thin box, and each part's cells may be cut on either side of it (2.5 pt seen).
_SAME_RULE = 3.5


def _join_parts(head: dict, cont: dict) -> dict:
    """Table ``head`` with its continuation ``cont`` from the next page."""
    xs = sorted(head["xs"])
    for x in cont["xs"]:
        if all(abs(x - y) > _SAME_RULE for y in xs):
            bisect.insort(xs, x)
    rows, shapes = _on_columns(head, xs)
    wrapped = _on_union(head, xs)
    more, more_shapes = _on_columns(cont, xs)
    k = 0  # header rows repeated at the top of the page
    while k < min(len(more), len(rows)) and _texts(more[k]) == _texts(rows[k]) and any(_texts(more[k])):
        k += 1
    more, more_shapes = more[k:], more_shapes[k:]
    labels = _label_columns(rows + more)
    if more and rows and _is_split_row(rows, more[0], shapes[-1], more_shapes[0], labels, wrapped):
        for c, text in enumerate(more[0]):
            if text:
                _append_to_owner(rows, c, text)
        more, more_shapes = more[1:], more_shapes[1:]
    if more and rows:
        _join_cut_labels(rows, more[0], labels, wrapped)
    joined = dict(head, xs=xs, rows=rows + more, shapes=[frozenset(xs[c] for c in s) for s in shapes + more_shapes],
                  page=cont["page"], bottom=cont["bottom"], wrapped=_on_union(cont, xs))
    return joined


def _texts(row: list) -> list[str]:
    return [c or "" for c in row]


def _label_columns(rows: list[list]) -> int:
    """How many columns on the left hold labels: those left of the first column with a number."""
    cols = [c for row in rows for c, text in enumerate(row) if text and _VALUE.match(text) and re.search(r"\d", text)]
    return min(cols, default=len(rows[0]) if rows else 0)


def _on_union(part: dict, xs: list[float]) -> list[bool]:
    """A part's per-column ``wrapped`` flags on the union columns ``xs`` (a column the part
    lacks lies inside one of its wider cells: that cell's flag)."""
    return [part["wrapped"][max((k for k, x in enumerate(part["xs"]) if x <= u + 2.0), default=0)] for u in xs]


def _is_split_row(rows: list[list], first: list, last_shape: frozenset, first_shape: frozenset, labels: int,
                  wrapped: list[bool]) -> bool:
    """The first row of the new page is the rest of the page's last row: the same cells,
    label text that does not start a numbered item and goes on from a cell whose text was
    still wrapping at the break, nothing but numbers right of the labels, and numbers on
    at most one side (a header row above a body row has words)."""
    last = rows[-1]
    labels = _row_labels(last, labels) if any(last[labels:]) else _row_labels(first, labels)
    words = [t for t in first[:labels] if t]
    if last_shape != first_shape or not words or any(_NUMBERED.match(t) for t in words):
        return False
    if not all(wrapped[c] for c in range(labels) if first[c]):
        return False
    if any(t and last[c] and _squeezed(t) in _squeezed(last[c]) for c, t in enumerate(first[:labels])):
        return False  # a label said again (a sub-heading row, then its row), not one going on
    values = [[t for t in row[labels:] if t] for row in (last, first)]
    if not all(_VALUE.match(t) for side in values for t in side):
        return False
    return not (values[0] and values[1])


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _row_labels(row: list, least: int) -> int:
    """How many columns on the left hold this row's label: a grid without merged cells
    (a page saved as HTML and printed) gives a long label the columns a short one
    leaves to its sub-labels, so the table-wide count is only the least."""
    return next((c for c, t in enumerate(row) if t and _VALUE.match(t) and re.search(r"\d", t)), least)


def _owner(rows: list[list], c: int) -> int | None:
    """The row whose cell covers column ``c`` at the bottom of ``rows`` (a merged cell's top)."""
    r = len(rows) - 1
    while r >= 0 and rows[r][c] is None:
        r -= 1
    return r if r >= 0 else None


def _append_to_owner(rows: list[list], c: int, text: str) -> None:
    r = _owner(rows, c)
    if r is None:
        rows[-1][c] = text
    else:
        rows[r][c] = (rows[r][c] or "") + text


def _join_cut_labels(rows: list[list], first: list, labels: int, wrapped: list[bool]) -> None:
    """Label cells cut by the page break whose text belongs to the merged cell above: the
    label repeated on the new page (dropped), or the rest of a label that was still
    wrapping at the break (``三、本`` | ``年度办理结果``: joined; never text that opens a
    numbered item).  An empty cell above the break with words below stays as it is: in a
    grid without merged cells that is an empty cell and a new one."""
    for c, text in enumerate(first):
        r = _owner(rows, c)
        if not text or r is None or _VALUE.match(text):
            continue
        above = rows[r][c] or ""
        if text == above and c < labels:
            first[c] = None
        elif above and c < labels and r < len(rows) - 1 and wrapped[c] and not _NUMBERED.match(text):
            rows[r][c], first[c] = above + text, None


def _grid_text(part: dict) -> list[list[str]]:
    """A joined table as the readers hand grids on: merged positions ``""``."""
    return [[c or "" for c in row] for row in part["rows"]]


def _read_pdf(data: bytes, name: str) -> Document:
    if b"%PDF-" not in data[:1024]:
        raise ReadError(name, "not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise ReadError(name, "truncated or corrupt PDF (no %%EOF trailer)")
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:
        reason = "encrypted PDF" if "password" in type(err).__name__.lower() else "corrupt PDF"
        raise ReadError(name, f"{reason} ({type(err).__name__}: {err})") from None
    _install_pdf_stream_guard()
    budget = _PDF_BUDGET.set(_PdfBudget(name))
    try:
        with pdf:
            items = _pdf_items(pdf, name)
    finally:
        _PDF_BUDGET.reset(budget)
    return assemble(name, "pdf", _pdf_blocks(items))


def _pdf_items(pdf, name: str) -> list[dict]:
    if len(pdf.pages) > MAX_PDF_PAGES:
        raise over(name, len(pdf.pages), "pages", "MAX_PDF_PAGES")
    items: list[dict] = []
    has_text = False
    chars = unreadable = 0
    for no, page in enumerate(pdf.pages):
        _check_pdf_page(page, name)
        _lean_chars(page)
        if page.chars:
            has_text = True
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise over(name, chars, "characters", "MAX_CHARS")
            unreadable += sum(1 for c in page.chars if _UNREADABLE.fullmatch(c["text"]))
            items.extend(_pdf_page_items(page, no))
        page.close()  # frees the page's parsed objects: memory stays flat on long PDFs
    if not has_text:
        raise ReadError(name, "scanned PDF, no text layer (run OCR first)")
    if 2 * unreadable > chars:  # (a few such glyphs: the text is read, and they are reported)
        raise ReadError(name, f"{unreadable} of its {chars} characters are glyphs its fonts map to no character "
                              f"(read as (cid:N) or private-use codes): no text to read (run OCR first)")
    return items


# a glyph the PDF's font maps to no character, as pdfminer writes it, or to a private-use
# code point (reading.yaml)
_UNREADABLE = re.compile(f'{_WORDS["unreadable_glyph"]}|{_WORDS["private_use"]}')


# ---------------------------------------------------------------- chars, built cheaply
_PLAIN = (float, int, bool, str, type(None))


def _lean_chars(page) -> None:
    """Build the page's char dicts without pdfplumber's generic path, which resolves every
    attribute of every char recursively (``resolve_all``) and decodes its colour-space name
    each time: half the time of reading a text-heavy PDF (a fuzzed 43,000-character PDF:
    10.9 CPU-s).  A char whose attributes are all plain values (numbers, strings, the
    matrix) gets the same dict, key for key and in the same order, built directly; anything
    else (an indirect reference, bytes, a normalized-unicode PDF) goes the generic way."""
    from pdfminer.layout import LTChar
    from pdfplumber.page import ALL_ATTRS
    from pdfplumber.utils.pdfinternals import resolve_and_decode

    generic = page.process_object
    if page.pdf.unicode_norm is not None:
        return
    number, height, doctop = page.page_number, page.height, page.initial_doctop
    mb_x0, mb_top = page.mediabox[:2]
    spaces: dict[str, object] = {}  # colour-space name -> its decoded name

    def process_object(obj):
        if type(obj) is not LTChar:
            return generic(obj)
        attr = {}
        for k, v in obj.__dict__.items():
            if k in ALL_ATTRS:
                if type(v) is tuple and all(type(x) in _PLAIN for x in v):
                    attr[k] = tuple(v)
                elif type(v) in _PLAIN:
                    attr[k] = v
                else:
                    return generic(obj)
        if not isinstance(attr.get("fontname"), str) or "y0" not in attr or "x0" not in attr:
            return generic(obj)
        attr["object_type"] = "char"
        attr["page_number"] = number
        if hasattr(obj, "ncs"):
            cs = obj.ncs.name
            if type(cs) is not str:
                return generic(obj)
            if cs not in spaces:
                spaces[cs] = resolve_and_decode(cs)
            attr["ncs"] = spaces[cs]
        attr["text"] = obj.get_text()
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        attr["top"] = (height - attr["y1"]) + mb_top
        attr["bottom"] = (height - attr["y0"]) + mb_top
        attr["doctop"] = doctop + attr["top"]
        if mb_x0 != 0:
            attr["x0"] = attr["x0"] + mb_x0
            attr["x1"] = attr["x1"] + mb_x0
        return attr

    page.process_object = process_object


# ---------------------------------------------------------------- pdf bounds
# pdfminer inflates a Flate stream in one call, whatever it inflates to (a 4 MB bomb
# reached 8 GB), and parses a content stream of any length (a 40 MB one ran past 300 s).
# While a document is read here, its streams go through a bounded inflater and a budget
# per document; each page's content is measured before it is parsed.
_PDF_BUDGET: contextvars.ContextVar = contextvars.ContextVar("govreport_pdf_budget", default=None)
# Operators: a name of 1-3 letters standing alone (not /Name, not part of a word), or ' and ".
_PDF_OPERATOR = re.compile(rb"(?<![/\w])[A-Za-z][A-Za-z0-9*]{0,2}(?!\w)|['\"]")


class _PdfBudget:
    """Inflated bytes left for the document being read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left = MAX_PDF_INFLATED

    def charge(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise over(self.name, MAX_PDF_INFLATED - self.left, "bytes of inflated PDF streams", "MAX_PDF_INFLATED")


def _install_pdf_stream_guard() -> None:
    """Route pdfminer's stream decoding through :func:`_bounded_decode` (once per process;
    without a budget set — outside :func:`_read_pdf` — pdfminer behaves as shipped)."""
    from pdfminer import pdftypes

    if getattr(pdftypes.PDFStream.decode, "govreport_bounded", False):
        return
    shipped = pdftypes.PDFStream.decode

    def decode(stream) -> None:
        budget = _PDF_BUDGET.get()
        if budget is None:
            return shipped(stream)
        if not _bounded_flate(stream, budget):
            shipped(stream)
            budget.charge(len(stream.data or b""))

    decode.govreport_bounded = True
    pdftypes.PDFStream.decode = decode


def _bounded_flate(stream, budget: _PdfBudget) -> bool:
    """Inflate a Flate stream within the limits; True when ``stream.data`` is set (a lone
    Flate filter), False when pdfminer should decode it (other filters: now known bounded)."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return False
    raw = stream.rawdata
    if stream.decipher:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    data = _inflate(raw, min(MAX_PDF_STREAM, max(budget.left, 0)), budget.name)
    params = filters[0][1]
    if len(filters) > 1 or (params and "Predictor" in params):
        return False
    budget.charge(len(data))
    stream.data, stream.rawdata = data, None
    return True


def _inflate(raw: bytes, cap: int, name: str) -> bytes:
    """zlib data inflated a window at a time, refused past ``cap`` bytes; corrupt data
    gives what inflated before the damage (as pdfminer's own fallback, but linear).

    >>> _inflate(zlib.compress(b"BT (x) Tj ET"), 100, "a.pdf")
    b'BT (x) Tj ET'
    """
    inflater = zlib.decompressobj()
    out: list[bytes] = []
    size = 0
    try:
        for i in range(0, len(raw), 1 << 16):
            pending = raw[i:i + (1 << 16)]
            while pending and not inflater.eof:
                piece = inflater.decompress(pending, 1 << 20)
                size += len(piece)
                if size > cap:
                    raise over(name, size, "bytes in one inflated PDF stream (at least)", "MAX_PDF_STREAM")
                out.append(piece)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        out.append(inflater.flush())
    except zlib.error:
        pass
    return b"".join(out)


def _count_operators(data: bytes, enough: int) -> int:
    """Operators in a content stream, counted 64 kB at a time and no further than
    ``enough`` (one list of all matches of a hostile stream took 700 MB).

    >>> _count_operators(b"BT /F1 12 Tf 72 720 Td (x) Tj ET", 100)  # a word in a string counts too
    6
    """
    count = 0
    for i in range(0, len(data), 1 << 16):
        count += len(_PDF_OPERATOR.findall(data, i, i + (1 << 16)))
        if count >= enough:
            break
    return count


def _check_pdf_page(page, name: str) -> None:
    """A page's content streams: inflated size and operator count within the limits,
    measured before pdfminer parses them (the decoded data is kept and reused)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    size = operators = 0
    for ref in page.page_obj.contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        data = stream.get_data()
        size += len(data)
        if size > MAX_PDF_PAGE_CONTENT:
            raise over(name, size, f"bytes of content on page {page.page_number}", "MAX_PDF_PAGE_CONTENT")
        operators += _count_operators(data, MAX_PDF_OPERATORS + 1 - operators)
    if operators > MAX_PDF_OPERATORS:
        raise over(name, operators, f"operators (counted so far) on page {page.page_number}", "MAX_PDF_OPERATORS")
