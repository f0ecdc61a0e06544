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

from nlp.types import Document

__all__ = ["Paragraph", "TableBlock", "Block", "blocks_from_document", "render_docx", "render_html",
           "render_pdf", "render_txt", "render_oneline", "TXT_LAYOUTS", "merge_runs"]

TXT_LAYOUTS = ("tabs", "cells", "pipe", "oneline", "oneline_runon", "pdftool")
# One-line dumps (crawlers, ``textContent``): the whole report on one line.  ``oneline``
# separates every cell from the next by one space (an empty cell leaves its two
# separators side by side); ``oneline_runon`` runs cells together with nothing between
# them, so empty cells vanish and "77", "132", "470" print as "77132470".
_ONELINE_SEPARATOR = {"oneline": " ", "oneline_runon": ""}


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
    """Text in one of the layouts :func:`nlp.layout.find_tables` reads.

    >>> render_txt([Paragraph("表一"), TableBlock([["a", ""], ["1", "2"]])], "cells")
    '表一\\n\\n\\ta\\n\\t\\n\\n\\t1\\n\\t2\\n'
    """
    if layout not in TXT_LAYOUTS:
        raise ValueError(f"unknown txt layout {layout!r}; expected one of {TXT_LAYOUTS}")
    if layout in _ONELINE_SEPARATOR:
        return render_oneline(blocks, _ONELINE_SEPARATOR[layout])
    if layout == "pdftool":
        return render_pdftool(blocks)
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
            continue
        if out and out[-1] != "":
            out.append("")
        if layout == "tabs":
            out.extend("\t".join(c.replace("\n", "") for c in row) for row in block.padded())
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


def render_oneline(blocks: list[Block], cell_separator: str = " ") -> str:
    """The whole report on one line, as a crawler's text dump gives it: blocks and table
    rows joined by ``cell_separator`` (or, when it is empty, by nothing at all).

    >>> blocks = [Paragraph("表一"), TableBlock([["规章", "", "3"], ["规范性文件", "77", "132"]])]
    >>> render_oneline(blocks)
    '表一 规章  3 规范性文件 77 132\\n'
    >>> render_oneline(blocks, "")
    '表一规章3规范性文件77132\\n'
    """
    pieces: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            pieces.append(block.text.strip())
            continue
        for row in block.rows:
            pieces.append(cell_separator.join(c.replace("\n", "") for c in row))
    return cell_separator.join(pieces) + "\n"


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
                out.append(f"— {page} —" if page % 2 else f"第 {page} 页")
    return "\n".join(out) + "\n"


def _garbled(cells: list[str]) -> str:
    """A header row as a PDF tool cuts it: its text in pieces that are no cells."""
    text = "".join(c.strip() for c in cells)
    pieces = [text[k:k + _PDFTOOL_HEADER_CHUNK] for k in range(0, len(text), _PDFTOOL_HEADER_CHUNK)]
    return "| " + " | ".join(pieces) + " |" if pieces else ""


# ---------------------------------------------------------------- docx
def render_docx(blocks: list[Block], path: str | Path, *, merge: bool = False,
                header: str | None = "政府信息公开") -> Path:
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
_CHROME_TOP = """<div class="header"><div class="logo">{site}</div>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div></div>
<nav class="nav-menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/zjxx/">走进本地</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年度报告</div>"""
_CHROME_BOTTOM = """<div class="share">分享到：微信 微博 <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<aside class="sidebar"><h3>相关链接</h3><ul><li>国务院办公厅</li><li>省人民政府</li></ul></aside>
<footer class="footer"><p>主办单位：{site}办公室　联系电话：0000-00000000</p>
<p>版权所有：{site}　网站标识码：0000000000　ICP备00000000号-1</p></footer>"""


def render_html(blocks: list[Block], path: str | Path, title: str = "政府信息公开工作年度报告", *,
                merge: bool = False, site: str = "某某市人民政府", encoding: str = "utf-8") -> Path:
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
<script>var _hmt = _hmt || []; document.write("统计代码");</script></head>
<body>
{_CHROME_TOP.format(site=esc(site))}
<div class="main-container"><div class="article">
<div class="article-info">发布时间：2024-01-20　来源：{esc(site)}　字号：[大 中 小]</div>
<div class="article-content" id="zoom">
{chr(10).join(body)}
</div></div></div>
{_CHROME_BOTTOM.format(site=esc(site))}
<script>function share() {{ return "分享"; }}</script>
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
                            bottomMargin=56, title="政府信息公开工作年度报告")
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
