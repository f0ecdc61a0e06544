"""HTML reports: page chrome dropped, the content container found, tables as grids
(``colspan``/``rowspan``), and a tag-stripping fallback when the parser gives up."""

from __future__ import annotations

import re

from nlp.errors import ReadError
from nlp.read.common import MAX_CHARS, Block, assemble, check_rows, over
from nlp.read.grids import LAYOUT_CELL, html_grid
from nlp.read.txt import _decode_bom, _decode_plain
from nlp.types import Document

_HTML_DROP = {"script", "style", "noscript", "template", "iframe", "svg", "nav", "header", "footer",
              "aside", "button", "select", "input", "textarea", "object", "embed", "canvas", "head",
              "title", "meta", "link"}
_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|menubar|header|footer|breadcrumbs?|crumbs?|sidebar|"
    r"sidenav|topbar|banner|copyright|share|toolbar|position|location|weizhi|dqwz|skip)(?:$|[-_\s\d])",
    re.I)
_CONTENT = re.compile(r"content|article|main|zoom|trs_editor|detail|xxgk|text|conent|wzy|body", re.I)
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
               "main", "blockquote", "pre", "tr", "dl", "dt", "dd", "figure", "figcaption", "center",
               "address", "hr", "form", "fieldset", "body", "caption", "td", "th", "tbody", "thead"}
_WS = re.compile(r"[ \t\n\r\f\v]+")


def _html_decode(data: bytes, name: str) -> str:
    text = _decode_bom(data, name)
    if text is not None:
        return text
    head = data[:4096].decode("ascii", "ignore")
    m = re.search(r"""charset\s*=\s*["']?([\w-]+)""", head, re.I)
    if m:
        enc = m.group(1).lower()
        enc = "gb18030" if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else enc
        try:
            return data.decode(enc)
        except (LookupError, UnicodeError):  # unknown name; charset=undefined raises UnicodeError
            pass
    return _decode_plain(data, name)


# Control characters XML forbids: lxml refuses to set them as text when an element is
# dropped and its tail moves (a ValueError that used to lose the document).
_XML_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text_len(el) -> int:
    return sum(len(t.strip()) for t in el.itertext())


def _attrs(el) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


class _Measure:
    """Every element's ``_text_len``, whether a table sits inside it, and whether a cell
    inside it holds over ``LAYOUT_CELL`` characters, in one walk of the tree: asking each
    element for its own subtree was quadratic in the nesting (a fuzzed 1.1 MB page spent
    6.7 CPU-s choosing its content container).  Mirrors ``itertext``: an element's text,
    then per child its text (elements only) and tail (comments and PIs too)."""

    def __init__(self, root) -> None:
        from lxml.etree import iterwalk

        self.length: dict = {}
        self.table: set = set()  # elements with a <table> below them
        self.long_cell: set = set()  # elements with a td/th of more than LAYOUT_CELL characters below them
        self.rows: dict = {}  # per table, its own rows (a <tr> counts for the nearest table above it)
        stack: list[list] = []  # [element, length so far, table below, long cell below]
        tables: list = []  # the tables open at this point of the walk
        for event, el in iterwalk(root, events=("start", "comment", "pi", "end")):
            if event == "start":
                stack.append([el, len(el.text.strip()) if el.text else 0, False, False])
                if el.tag == "table":
                    tables.append(el)
                    self.rows[el] = 0
                continue
            tail = len(el.tail.strip()) if el.tail and el is not root else 0
            if event != "end":
                stack[-1][1] += tail
                continue
            _, size, table, long_cell = stack.pop()
            self.length[el] = size
            if el.tag == "table":
                tables.pop()
            elif el.tag == "tr" and tables:
                self.rows[tables[-1]] += 1
            if table:
                self.table.add(el)
            if long_cell:
                self.long_cell.add(el)
            if stack:
                up = stack[-1]
                up[1] += size + tail
                up[2] = up[2] or table or el.tag == "table"
                up[3] = up[3] or long_cell or (el.tag in ("td", "th") and size > LAYOUT_CELL)


def _html_root(tree):
    """Drop chrome everywhere, then pick the main content container if one is obvious.
    Returns the container, the title above it and the measure of the tree as left."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _HTML_DROP:
            el.drop_tree()
    elements = list(root.iter())
    measure = _Measure(root)  # stays true for each element until it is visited below:
    total = measure.length[root] or 1  # a drop changes only the text of elements before it
    for el in elements:
        if not isinstance(el.tag, str) or el is root:
            continue
        if _CHROME.search(_attrs(el)) and measure.length[el] < 0.4 * total and el not in measure.table:
            el.drop_tree()
    measure = _Measure(root)
    total = measure.length[root] or 1
    best = root
    for el in root.iter("main", "article", "div", "section", "td"):
        if el.tag in ("main", "article") or _CONTENT.search(_attrs(el)):
            if measure.length[el] >= 0.6 * total:
                best = el  # iter() is document order: later matches are deeper
    return best, _html_title(root, best), measure


def _html_title(root, best) -> str | None:
    """The report title when it sits above the content container (an h1 or a *title* div)."""
    if best is root or best.find(".//h1") is not None:
        return None
    for el in root.iter("h1", "h2", "div", "p"):
        if el.tag == "h1" or re.search(r"(?:^|[-_\s])(?:title|biaoti|bt)(?:$|[-_\s])", _attrs(el), re.I):
            text = _WS.sub(" ", "".join(el.itertext())).strip()
            inside = any(a is best for a in el.iterancestors()) or el is best
            if 4 <= len(text) <= 100 and not inside:
                return text
    return None


def _is_layout_table(table, measure: _Measure | None = None) -> bool:
    """Page-layout tables (whole pages in one table) are walked as containers, not grids."""
    if measure is not None and table in measure.length:
        return table in measure.table or table in measure.long_cell
    if table.find(".//table") is not None:
        return True
    return any(_text_len(c) > LAYOUT_CELL for c in table.iter("td", "th"))


class _HtmlLines:
    """Collects inline text into lines; block boundaries and <br> end a line."""

    def __init__(self, name: str, measure: _Measure | None = None) -> None:
        self.name = name
        self.measure = measure
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.pre = 0

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text if self.pre else _WS.sub(" ", text))

    def flush(self) -> None:
        line = "".join(self.buf)
        self.buf = []
        for part in line.split("\n"):
            part = part.strip(" ")
            if part.strip(" \xa0\u3000\t"):
                self.blocks.append(part)

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "br":
            self.buf.append("\n")
        elif tag == "table" and not _is_layout_table(el, self.measure):
            self.flush()
            grid = html_grid(el, self.name)
            if any(any(c for c in row) for row in grid):
                self.blocks.append(grid)
        elif tag == "table" and self.measure is not None and el in self.measure.rows:
            # a table holding a table is walked as text, but its rows are still a table's:
            # 3,000 rows around a nested table (fuzz html:313) made 96,000 one-cell lines
            check_rows(self.name, self.measure.rows[el])
            self._walk_inside(el, tag)
        elif tag:
            self._walk_inside(el, tag)
        self.add(el.tail)

    def _walk_inside(self, el, tag: str) -> None:
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
        self.pre += tag == "pre"
        self.add(el.text)
        for child in el:
            self.walk(child)
        self.pre -= tag == "pre"
        if block:
            self.flush()


def _read_html(data: bytes, name: str) -> Document:
    import lxml.html
    from lxml.etree import ParserError

    text = _html_decode(data, name)
    if len(text) > 4 * MAX_CHARS:  # markup around MAX_CHARS of text; before building a tree
        raise over(name, len(text), "characters of markup", "MAX_CHARS")
    text = _XML_CONTROLS.sub("", re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    try:
        tree = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as err:
        raise ReadError(name, f"not an HTML document ({err})") from None
    body = tree.find(".//body")
    parsed_text = _text_len(body if body is not None else tree)
    content, title, measure = _html_root(tree)
    out = _HtmlLines(name, measure)
    out.walk(content)
    out.flush()
    first = next((b for b in out.blocks if isinstance(b, str)), "")
    if title and title.strip() != first.strip():
        out.blocks.insert(0, title)
    if not out.blocks and not parsed_text:  # libxml2 gave up (nesting too deep): strip tags instead
        out.blocks = _html_fallback_lines(text)
    return assemble(name, "html", out.blocks)


# [^<>]* rather than [^>]*: a "<" without its ">" must not make every later "<" scan to the end.
_HTML_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|h[1-6]|li|tr|td|th|table|section|article|pre)\b[^<>]*>", re.I)
_HIDDEN_OPEN = re.compile(r"<(head|title|script|style|noscript|template)\b|<!--", re.I)


def _html_fallback_lines(markup: str) -> list[Block]:
    """Text lines of markup the parser could not build a tree for (no tables kept).

    >>> _html_fallback_lines("<div><div><p>一、总体情况</p><script>x()</script>共3件&amp;</div></div>")
    ['一、总体情况', '共3件&']
    """
    import html as html_lib

    markup = _strip_hidden(markup)
    markup = _HTML_BLOCK_TAG.sub("\n", markup)
    markup = html_lib.unescape(re.sub(r"<[^<>]*>", "", markup))
    return [ln.strip(" \t") for ln in (_WS_LINE.sub(" ", x) for x in markup.split("\n")) if ln.strip()]


_WS_LINE = re.compile(r"[ \t\r\f\v]+")


def _strip_hidden(markup: str) -> str:
    """Scripts, styles, heads and comments removed in one pass (linear: a lazy ``.*?``
    regex rescans to the end from every unclosed ``<script``).  An element never closed
    hides the rest of the page, as in a browser.

    >>> _strip_hidden("a<script>x<script>y</SCRIPT >b<!-- c -->d<style>e")
    'a b d'
    """
    lower = markup.lower()
    out, pos = [], 0
    while (m := _HIDDEN_OPEN.search(markup, pos)) is not None:
        out.append(markup[pos:m.start()])
        closer = "-->" if m.group(1) is None else "</" + m.group(1).lower()
        end = lower.find(closer, m.end())
        if end < 0:
            pos = len(markup)
            break
        gt = markup.find(">", end + len(closer) - 1) if closer != "-->" else end + 2
        pos = len(markup) if gt < 0 else gt + 1
        out.append(" ")
    out.append(markup[pos:])
    return "".join(out)
