"""Write a report as docx, html, pdf or text layouts — for the synthetic corpus and tests.

A report is a list of blocks: :class:`Paragraph` (one line of narrative) and
:class:`TableBlock` (a grid of cell strings).  :func:`blocks_from_document` turns
a read :class:`~nlp.types.Document` back into blocks, so any report can be
re-rendered in every format and read again.

``merge=True`` (docx, html) merges a cell with the empty cells that follow it in
its row (``gridSpan`` / ``colspan``).  Under the readers' merged-cell rule (text at
the top-left position, ``""`` elsewhere) that gives the same grid back, which is
what lets the tests check merged-cell handling against the original text.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from pathlib import Path

from nlp import lexicon
from nlp.types import Document

_WORDS = lexicon.load("render")  # page chrome: titles, headers, a site's furniture

__all__ = ["Paragraph", "TableBlock", "Block", "blocks_from_document", "render_docx", "render_html",
           "MergedGrid", "official_grids", "grid_blocks", "render_word_docx", "word_grid_pdf", "libreoffice_pdf",
           "browser_pdf", "render_pdf", "render_txt", "render_oneline", "TXT_LAYOUTS", "merge_runs"]

TXT_LAYOUTS = ("tabs", "cells", "pipe", "spaced", "oneline", "oneline_tabs", "oneline_runon", "pdftool", "headless")
# One-line dumps (crawlers, ``textContent``): the whole report on one line.  ``oneline``
# separates every cell from the next by one space (an empty cell leaves its two
# separators side by side); ``oneline_runon`` runs cells together with nothing between
# them, so empty cells vanish and "77", "132", "470" print as "77132470"; ``oneline_tabs``
# keeps the tabs between cells and turns every line end into a space.
_ONELINE_SEPARATOR = {"oneline": (" ", " "), "oneline_tabs": ("\t", " "), "oneline_runon": ("", "")}


@dataclass
class Paragraph:
    text: str


@dataclass
class TableBlock:
    rows: list[list[str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def padded(self) -> list[list[str]]:
        return [list(r) + [""] * (self.width - len(r)) for r in self.rows]


Block = Paragraph | TableBlock


def blocks_from_document(doc: Document) -> list[Block]:
    """Paragraphs for the non-empty lines outside tables, a TableBlock per table, in order."""
    texts = doc.line_texts()
    starts = {t.line_start: t for t in doc.tables}
    blocks: list[Block] = []
    i = 0
    while i < len(texts):
        table = starts.get(i)
        if table is not None:
            blocks.append(TableBlock([list(r) for r in table.rows]))
            i = max(table.line_end, i + 1)
            continue
        if texts[i].strip():
            blocks.append(Paragraph(texts[i].rstrip()))
        i += 1
    return blocks


def merge_runs(row: list[str]) -> list[tuple[int, int]]:
    """(start, span) of each cell when a non-empty cell absorbs the empty cells after it.

    >>> merge_runs(["第二十条第(一)项", "", "", ""])
    [(0, 4)]
    >>> merge_runs(["", "", "自然人", "法人", ""])
    [(0, 1), (1, 1), (2, 1), (3, 2)]
    """
    runs: list[tuple[int, int]] = []
    for i, cell in enumerate(row):
        if cell or not runs or not row[runs[-1][0]]:
            runs.append((i, 1))
        else:
            start, span = runs[-1]
            runs[-1] = (start, span + 1)
    return runs


# ---------------------------------------------------------------- txt
def render_txt(blocks: list[Block], layout: str = "tabs") -> str:
    """Text in one of the layouts :func:`nlp.normalize.layout.find_tables` reads.

    >>> render_txt([Paragraph("表一"), TableBlock([["a", ""], ["1", "2"]])], "cells")
    '表一\\n\\n\\ta\\n\\t\\n\\n\\t1\\n\\t2\\n'
    """
    if layout not in TXT_LAYOUTS:
        raise ValueError(f"unknown txt layout {layout!r}; expected one of {TXT_LAYOUTS}")
    if layout in _ONELINE_SEPARATOR:
        return render_oneline(blocks, *_ONELINE_SEPARATOR[layout])
    if layout == "pdftool":
        return render_pdftool(blocks)
    if layout == "headless":
        return render_headless(blocks)
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
            continue
        if out and out[-1] != "":
            out.append("")
        if layout == "tabs":
            out.extend("\t".join(c.replace("\n", "") for c in row) for row in block.padded())
        elif layout == "spaced":  # a page dump's rows: cells joined by two spaces, an empty one a wider gap
            out.extend("  ".join(c.replace("\n", "") for c in row).rstrip() for row in block.padded())
        elif layout == "pipe":
            rows = block.padded()
            for k, row in enumerate(rows):
                out.append("| " + " | ".join(c.replace("\n", "") for c in row) + " |")
                if k == 0:
                    out.append("|" + "---|" * len(row))
        else:
            for k, row in enumerate(block.rows):
                if k:
                    out.append("")
                for cell in row:
                    first, *rest = cell.split("\n")
                    out.append("\t" + first)
                    out.extend(rest)  # continuation lines of a broken label
        out.append("")
    return "\n".join(out) + ("\n" if out and out[-1] != "" else "")


def render_oneline(blocks: list[Block], cell_separator: str = " ", line_separator: str | None = None) -> str:
    """The whole report on one line, as a crawler's text dump gives it: cells joined by
    ``cell_separator`` (or, when it is empty, by nothing at all), blocks and table rows by
    ``line_separator`` (the cell separator unless given).

    >>> blocks = [Paragraph("表一"), TableBlock([["规章", "", "3"], ["规范性文件", "77", "132"]])]
    >>> render_oneline(blocks)
    '表一 规章  3 规范性文件 77 132\\n'
    >>> render_oneline(blocks, ""), render_oneline(blocks, "\\t", " ")
    ('表一规章3规范性文件77132\\n', '表一 规章\\t\\t3 规范性文件\\t77\\t132\\n')
    """
    pieces: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            pieces.append(block.text.strip())
            continue
        for row in block.rows:
            pieces.append(cell_separator.join(c.replace("\n", "") for c in row))
    return (cell_separator if line_separator is None else line_separator).join(pieces) + "\n"


# What a PDF tool's text looks like: one in so many rows of values has its row label on a
# line of its own, above or below the values, or broken over two lines; a page footer
# every so many rows.
_PDFTOOL_LABEL_MODES = ("inline", "above", "below", "broken")
_PDFTOOL_ROWS_PER_PAGE = 9
_PDFTOOL_HEADER_CHUNK = 5
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_value(cell: str) -> bool:
    return bool(re.fullmatch(r"[\d.,/—-]+", cell.strip()))


def render_pdftool(blocks: list[Block]) -> str:
    """Text as another PDF tool extracts it: pipe rows, but row labels float off onto their
    own lines (above or below their values, or broken over two lines), header rows come out
    garbled (the header text cut into pieces that are no cells), page footers (``— 3 —``,
    ``第 4 页``) sit between rows.  Empty cells keep their positions.

    >>> text = render_pdftool([TableBlock([["信息内容", "本年制发件数"], ["规章", "0"], ["行政规范性文件", "1"],
    ...                                    ["行政许可", "2"], ["行政事业性收费", "3"]])])
    >>> text.split("\\n")
    ['| 信息内容本 | 年制发件数 |', '| 规章 | 0 |', '行政规范性文件', '| 1 |', '| 2 |', '行政许可', '行政事业', '性收费', '| 3 |', '']
    """
    out: list[str] = []
    page = 1
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
            continue
        value_rows = 0
        for row in block.rows:
            cells = [c.replace("\n", "") for c in row]
            first_value = next((k for k, c in enumerate(cells) if _is_value(c)), None)
            if first_value is None or not any(c.strip() for c in cells[:first_value]):
                out.append(_garbled(cells) if first_value is None else "| " + " | ".join(cells) + " |")
                continue
            label = " ".join(c.strip() for c in cells[:first_value] if c.strip())
            lead = cells[:first_value]
            while lead and not lead[-1].strip():
                lead.pop()  # empty cells between the label and its first value are kept below
            values = "| " + " | ".join(cells[len(lead):]) + " |"
            mode = _PDFTOOL_LABEL_MODES[value_rows % len(_PDFTOOL_LABEL_MODES)]
            if mode == "inline":
                out.append("| " + " | ".join([label, *cells[len(lead):]]) + " |")
            elif mode == "above":
                out += [label, values]
            elif mode == "below":
                out += [values, label]
            else:
                half = (len(label) + 1) // 2
                while half < len(label) - 1 and not (_CJK.match(label[half - 1]) and _CJK.match(label[half])):
                    half += 1  # a tool wraps inside the words, not between a number and its text
                out += [label[:half], label[half:], values]
            value_rows += 1
            if value_rows % _PDFTOOL_ROWS_PER_PAGE == 0:
                page += 1
                out.append((_WORDS["page_odd"] if page % 2 else _WORDS["page_even"]).format(page=page))
    return "\n".join(out) + "\n"


def render_headless(blocks: list[Block]) -> str:
    """Text as a PDF tool gives tables whose header rows were drawn as pictures or lost:
    pipe rows holding a value only (table 4 is left its one data row of 15 cells, under
    the section's heading); rows of labels alone are gone.

    >>> render_headless([TableBlock([["行政复议", "", "行政诉讼"], ["结果维持", "总计", "结果维持"], ["0", "0", "1"]])])
    '| 0 | 0 | 1 |\\n'
    """
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
            continue
        out.extend("| " + " | ".join(c.replace("\n", "") for c in row) + " |"
                   for row in block.padded() if any(_is_value(c) for c in row))
    return "\n".join(out) + "\n"


def _garbled(cells: list[str]) -> str:
    """A header row as a PDF tool cuts it: its text in pieces that are no cells."""
    text = "".join(c.strip() for c in cells)
    pieces = [text[k:k + _PDFTOOL_HEADER_CHUNK] for k in range(0, len(text), _PDFTOOL_HEADER_CHUNK)]
    return "| " + " | ".join(pieces) + " |" if pieces else ""


# ---------------------------------------------------------------- docx
def render_docx(blocks: list[Block], path: str | Path, *, merge: bool = False,
                header: str | None = _WORDS["docx_header"]) -> Path:
    """A Word document with real tables (style "Table Grid"); the header is page chrome."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for block in blocks:
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
            continue
        rows = block.padded()
        if not rows or not block.width:
            continue
        table = document.add_table(rows=len(rows), cols=block.width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = table.rows[r].cells
            for c, text in enumerate(row):
                if text:
                    cells[c].text = text
            if merge:
                for start, span in merge_runs(row):
                    if span > 1:
                        cells[start].merge(cells[start + span - 1])
    path = Path(path)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- html
_CHROME_TOP = _WORDS["html"]["top"]
_CHROME_BOTTOM = _WORDS["html"]["bottom"]


def render_html(blocks: list[Block], path: str | Path, title: str = _WORDS["title"], *,
                merge: bool = False, site: str = _WORDS["site"], encoding: str = "utf-8") -> Path:
    """A government-site page: header, nav, breadcrumb, report in a content div, footer."""
    esc = _html.escape
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            # runs of spaces survive as &nbsp; (as on real sites); plain spaces collapse
            text = re.sub(r" {2,}", lambda m: " " + "&nbsp;" * (len(m.group()) - 1), esc(block.text))
            body.append(f"<p>{text}</p>")
            continue
        body.append('<table border="1" cellspacing="0" cellpadding="2">')
        for row in block.padded():
            cells = []
            for start, span in (merge_runs(row) if merge else [(i, 1) for i in range(len(row))]):
                text = esc(row[start]).replace("\n", "<br>")
                attr = f' colspan="{span}"' if span > 1 else ""
                cells.append(f"<td{attr}>{text}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        body.append("</table>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{encoding}"><title>{esc(title)} - {esc(site)}</title>
<style>body {{ font-family: SimSun; }} .nav-menu li {{ display: inline; }}</style>
<script>var _hmt = _hmt || []; document.write("{_WORDS["html"]["counter"]}");</script></head>
<body>
{_CHROME_TOP.format(site=esc(site))}
<div class="main-container"><div class="article">
<div class="article-info">{_WORDS["html"]["meta"].format(site=esc(site))}</div>
<div class="article-content" id="zoom">
{chr(10).join(body)}
</div></div></div>
{_CHROME_BOTTOM.format(site=esc(site))}
<script>function share() {{ return "{_WORDS["html"]["share"]}"; }}</script>
</body></html>
"""
    path = Path(path)
    path.write_bytes(page.encode(encoding))
    return path


# ---------------------------------------------------------------- pdf
_FONT = "STSong-Light"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))


def _col_widths(rows: list[list[str]], total: float) -> list[float]:
    width = max(len(r) for r in rows)
    weights = [min(max((len(r[c]) if c < len(r) else 0) for r in rows), 16) + 2 for c in range(width)]
    scale = total / sum(weights)
    return [w * scale for w in weights]


def render_pdf(blocks: list[Block], path: str | Path, *, page_numbers: bool = True) -> Path:
    """A4 PDF in the built-in CJK font; paragraphs wrap, tables have grid lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    text_style = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=16, wordWrap="CJK",
                                spaceAfter=2)
    cell_style = ParagraphStyle("cell", fontName=_FONT, fontSize=7, leading=9, wordWrap="CJK")
    esc = _html.escape
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=50, rightMargin=50, topMargin=56,
                            bottomMargin=56, title=_WORDS["title"])
    story = []
    for block in blocks:
        if isinstance(block, Paragraph):
            story.append(RLParagraph(esc(block.text.strip()) or "&nbsp;", text_style))
            continue
        rows = block.padded()
        if not rows or not block.width:
            continue
        data = [[RLParagraph(esc(c).replace("\n", "<br/>"), cell_style) for c in row] for row in rows]
        table = Table(data, colWidths=_col_widths(rows, doc.width), splitByRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story.extend([Spacer(1, 4), table, Spacer(1, 6)])

    def footer(canvas, document) -> None:
        if page_numbers:
            canvas.saveState()
            canvas.setFont(_FONT, 9)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")
            canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


# ---------------------------------------------------------------- Word grid (merged cells) → pdf
@dataclass
class MergedGrid:
    """A table as Word draws the official template: merged cells, fixed column widths.

    ``rows`` holds each merged region's text at its top-left position and ``""`` at the
    positions it covers (the readers' merged-cell rule); ``spans`` maps a region's
    top-left (row, col) to its (rows, cols); ``widths`` are column widths in cm;
    the first ``header_rows`` rows are the header Word may repeat on each page.
    """

    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)
    header_rows: int = 0
    new_page: bool = False  # the paragraph before the grid (its heading) starts a new page


def official_grids(template: str, values: dict[str, str]) -> dict[int, MergedGrid]:
    """Tables 2, 3 and 4 in the template's official merged layout, cells filled from
    ``values`` (indicator id → cell text; an id not given is an empty cell)."""
    return {2: _grid_t2(template, values), 3: _grid_t3(template, values), 4: _grid_t4(values)}


def _grid_t2(template: str, values: dict[str, str]) -> MergedGrid:
    from nlp.corpus.synth.layout import table2_blocks

    rows: list[list[str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}

    def add(cells: list[str]) -> None:
        if len(cells) < 4:  # the last cell takes the rest of the row
            spans[(len(rows), len(cells) - 1)] = (1, 5 - len(cells))
        rows.append(cells + [""] * (4 - len(cells)))

    for article, header, body in table2_blocks(template):
        add([article])
        add(list(header))
        for label, ids in body:
            add([label] + [values.get(i, "") for i in ids])
    return MergedGrid(rows, spans, [3.4, 4.0, 4.0, 4.0])


def _header_words() -> dict:
    from importlib import resources

    from nlp.types import loads_yaml

    return loads_yaml(resources.files("nlp").joinpath("data/official_grid.yaml").read_text(encoding="utf-8"))


def _grid_t3(template: str, values: dict[str, str]) -> MergedGrid:
    from nlp.corpus.synth.layout import APPLICANTS, T3_NOTE, table3_rows
    from nlp.indicators import INDICATORS

    words = _header_words()["table3"]
    column = {c: INDICATORS[f"requests.new.{c}"].column for c in (*APPLICANTS, "total")}
    rows = [[T3_NOTE, "", "", words["applicants"]] + [""] * 6,
            ["", "", "", column["natural"], words["organisations"], "", "", "", "", column["total"]],
            ["", "", "", ""] + [column[c] for c in APPLICANTS[1:]] + [""]]
    spans = {(0, 0): (3, 3), (0, 3): (1, 7), (1, 3): (2, 1), (1, 4): (1, 5), (1, 9): (2, 1)}
    body = table3_rows(template)
    for k, (labels, rid) in enumerate(body):
        r = len(rows)
        cells = (labels + ["", ""])[:3]
        if len(labels) == 1:
            spans[(r, 0)] = (1, 3)
        elif len(labels) == 2 and labels[1]:
            spans[(r, 1)] = (1, 2)
        for col in (0, 1):  # a group label spans the rows after it that leave its column empty
            if cells[col] and len(labels) > col + 1:
                n = 1
                while k + n < len(body) and len(body[k + n][0]) > col + 1 and not body[k + n][0][col]:
                    n += 1
                if n > 1:
                    spans[(r, col)] = (n, spans.get((r, col), (1, 1))[1])
        rows.append(cells + [values.get(f"requests.{rid}.{c}", "") for c in (*APPLICANTS, "total")])
    return MergedGrid(rows, spans, [1.0, 1.7, 3.9] + [1.3] * 7, header_rows=3)


def _grid_t4(values: dict[str, str]) -> MergedGrid:
    from nlp.corpus.synth.layout import T4_IDS
    from nlp.indicators import INDICATORS

    groups = [INDICATORS[f"{g}.total"].row for g in ("review", "litigation.direct", "litigation.after_review")]
    outcomes = [INDICATORS[f"review.{o}"].column for o in ("upheld", "corrected", "other", "pending", "total")]
    rows = [[groups[0]] + [""] * 4 + [_header_words()["table4"]["litigation"]] + [""] * 9,
            outcomes + [groups[1]] + [""] * 4 + [groups[2]] + [""] * 4,
            [""] * 5 + outcomes * 2,
            [values.get(i, "") for i in T4_IDS]]
    spans = {(0, 0): (1, 5), (0, 5): (1, 10), (1, 5): (1, 5), (1, 10): (1, 5)}
    spans.update({(1, c): (2, 1) for c in range(5)})
    return MergedGrid(rows, spans, [1.04] * 15, header_rows=3)


def grid_blocks(doc: Document, regions: dict[int, tuple[int, int]],
                grids: dict[int, MergedGrid]) -> list[Block | MergedGrid]:
    """``doc`` as blocks with each table region (heading line, then its grids) replaced by
    the region's heading paragraph and ``grids[table]``; the text outside stays as it is."""
    texts = doc.line_texts()
    starts = {a: (k, b) for k, (a, b) in regions.items()}
    blocks: list[Block | MergedGrid] = []
    i = 0
    while i < len(texts):
        if i in starts:
            table, end = starts[i]
            heading = next((t.strip() for t in texts[i:end] if t.strip()), "")
            blocks += [Paragraph(heading), grids[table]]
            i = max(end, i + 1)
            continue
        if texts[i].strip():
            blocks.append(Paragraph(texts[i].strip()))
        i += 1
    return blocks


def render_word_docx(blocks: list[Block | MergedGrid], path: str | Path, *, repeat_header: bool = True,
                     font_pt: float = 10.5, body_pt: float | None = None, page_footer: bool = True,
                     page_header: str | None = None) -> Path:
    """An A4 Word document as agencies write it: merged-cell grids with narrow fixed
    columns (labels wrap a character or two a line), header rows repeated on each page
    when ``repeat_header``, a page-number footer ``— N —`` and, when given, a running
    ``page_header``."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = docx.Document()
    _cjk_font(document.styles["Normal"], "SimSun", body_pt or font_pt)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.8)
    if page_header:  # a running header on every page, as agencies put their name there
        section.header.paragraphs[0].text = page_header
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if page_footer:
        _page_number_footer(section.footer.paragraphs[0])
        section.footer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in blocks:
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, MergedGrid):
            if block.new_page and document.paragraphs:
                document.paragraphs[-1].paragraph_format.page_break_before = True
            _add_grid(document, block, repeat_header, Cm, Pt(font_pt))
        elif block.rows and block.width:
            _add_grid(document, MergedGrid(block.padded(), {}, [15.6 / block.width] * block.width),
                      repeat_header, Cm, Pt(font_pt))
    path = Path(path)
    document.save(str(path))
    return path


def _cjk_font(style, name: str, size_pt: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = name
    style.font.size = Pt(size_pt)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_number_footer(paragraph) -> None:
    """``— N —`` with a PAGE field, so each page prints its own number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_el.append(run)
    paragraph._p.append(field_el)
    paragraph.add_run(" —")


def _add_grid(document, grid: MergedGrid, repeat_header: bool, cm, font) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(len(r) for r in grid.rows)
    table = document.add_table(rows=len(grid.rows), cols=width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, w in enumerate(grid.widths[:width]):
        table.columns[c].width = cm(w)
        for cell in table.columns[c].cells:
            cell.width = cm(w)
    for r, row in enumerate(grid.rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            # centred, as in the official template: a row split over two pages can then
            # leave its label's start on one page and its numbers on the next
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if text:
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.size = font
                if len(text) <= 8:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for (r, c), (nr, nc) in grid.spans.items():
        if nr > 1 or nc > 1:
            table.cell(r, c).merge(table.cell(r + nr - 1, c + nc - 1))
    for r in range(grid.header_rows):
        # a header row is never split over two pages (LibreOffice drops the rows of a
        # table whose three-row merged header cell is split); Word repeats it if asked
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if repeat_header else ("w:cantSplit",):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    document.add_paragraph("")


def libreoffice_pdf(docx_path: str | Path, outdir: str | Path, profile: str | Path,
                    timeout: float = 180.0, to: str = "pdf") -> Path:
    """Convert with LibreOffice (``soffice --headless --convert-to pdf``), the way a Word
    document becomes a PDF on a server (``to="html"``: the page a site publishes from it,
    a grid without merged cells in narrow columns).  ``profile`` is a private
    user-installation folder so that parallel conversions never share (and lock) one
    profile."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice not found (install libreoffice-writer-nogui)")
    docx_path, outdir = Path(docx_path), Path(outdir)
    cmd = [soffice, f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless",
           "--convert-to", to, "--outdir", str(outdir), str(docx_path)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    pdf = outdir / f"{docx_path.stem}.{to}"
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"{docx_path}: LibreOffice conversion failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[:300]}")
    return pdf


def browser_pdf(html_path: str | Path, pdf_path: str | Path, profile: str | Path, timeout: float = 120.0) -> Path:
    """Print a page to PDF with headless Chromium, the way a reader keeps a report page it
    read on the web (the browser's own page header and footer included).  ``profile`` is
    a private user-data folder, so runs never share one."""
    import os
    import shutil
    import subprocess

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise FileNotFoundError("chromium not found (Debian: apt-get install -y chromium)")
    pdf_path = Path(pdf_path)
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={Path(profile).resolve()}",
           f"--print-to-pdf={pdf_path.resolve()}", Path(html_path).resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "HOME": str(Path(profile).resolve())})
    if done.returncode != 0 or not pdf_path.exists():
        said = " ".join(done.stderr.split())[-300:]  # one line, whatever Chromium printed
        raise RuntimeError(f"{html_path}: Chromium could not print it ({done.returncode}): {said}")
    return pdf_path


def word_grid_pdf(doc: Document, folder: str | Path, *, repeat_header: bool = True,
                  body_pt: float | None = None, page_header: str | None = None, name: str | None = None) -> Path:
    """``doc`` as a Word-exported PDF: its tables 2, 3 and 4 re-drawn as the official merged
    grid (filled with the cells ``doc``'s own tables read as; blank stays blank), written as
    ``.docx`` and converted by LibreOffice.

    LibreOffice 7.4 sometimes drops every row of a table whose big merged cells would
    start at the foot of a page (the PDF then lacks the table's text).  Then the tables
    are started on a new page one by one, the long table 3 first, until the PDF holds
    every character the document has.
    """
    from nlp.indicators import grid_template
    from nlp.tables import parse_tables

    folder = Path(folder)
    tables = parse_tables(doc)
    values = {cid: cell.raw for cid, cell in tables.cells.items()}
    grids = official_grids(grid_template(tables.template), values)  # (a text with no table: the 2021 grid)
    regions = {k: v for k, v in tables.regions.items() if k in grids}
    stem = name or Path(doc.path or "report").stem + ("_rep" if repeat_header else "_norep") + (
        f"_{body_pt:g}pt" if body_pt else "")
    to_move = [k for k in (3, 4, 2) if k in regions]
    while True:
        blocks = grid_blocks(doc, regions, grids)
        docx_path = render_word_docx(blocks, folder / f"{stem}.docx", repeat_header=repeat_header, body_pt=body_pt,
                                     page_header=page_header)
        pdf = libreoffice_pdf(docx_path, folder, folder / ".lo-profile")
        if _all_drawn(pdf, blocks):
            return pdf
        if not to_move:
            raise RuntimeError(f"{pdf}: LibreOffice left out text even with every table on a new page")
        grids[to_move.pop(0)].new_page = True


def _all_drawn(pdf: Path, blocks: list[Block | MergedGrid]) -> bool:
    """Every character of the blocks is on the PDF's pages (compared as multisets)."""
    from collections import Counter

    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        have = Counter(ch["text"] for page in opened.pages for ch in page.chars)
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    texts += [cell for b in blocks if not isinstance(b, Paragraph) for row in b.rows for cell in row]
    want = Counter(ch for text in texts for ch in text if not ch.isspace())
    return not (want - have)
