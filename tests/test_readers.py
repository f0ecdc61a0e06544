"""Readers: every format built from each seed reads back to the same narrative and tables.

Files are built in a temp dir from the seed .txt (read → blocks → render): docx with
real Word tables (horizontally merged cells), html inside government-site chrome
(colspan cells; one page encoded as GB18030), pdf drawn by reportlab with grid lines
and page numbers, and the .txt re-encoded as GB18030, UTF-16 (BOM) and UTF-8-BOM and
re-laid-out as tab rows, one cell per line and pipe rows.

Comparison rules (what "the same" means):
* narrative lines: lines outside every table, whitespace-stripped, empty ones dropped;
* table grids: row by row after removing trailing empty cells and fully-empty rows
  (native grids are rectangular, text layouts are as written);
* PDF only: cell strings compared with whitespace removed — a space inside a cell can
  fall at a line wrap in the drawn cell and is then lost.  Narrative lines from PDF are
  compared exactly (wrapped lines are re-joined by the reader from their geometry).
"""

from __future__ import annotations

import codecs
import random
import unicodedata
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import require_tool, seed_paths
from nlp import read as readers
from nlp.errors import GovReportError, LimitExceeded, ReadError, UnsupportedFormat
from nlp.pipeline import document_from_bytes, document_from_text, read_document
from nlp.read import decode_text, iter_paths
from nlp.corpus.render import blocks_from_document, render_docx, render_html, render_pdf, render_txt

SEEDS = seed_paths()
FORMATS = ["docx", "html", "html-gb18030", "pdf", "txt-gb18030", "txt-utf16", "txt-utf8bom",
           "txt-cells", "txt-pipe", "txt-tabs"]


def narrative(doc) -> list[str]:
    inside = {i for t in doc.tables for i in range(t.line_start, t.line_end)}
    return [ln.strip() for i, ln in enumerate(doc.line_texts()) if i not in inside and ln.strip()]


def grids(doc, squeeze: bool = False) -> list[list[list[str]]]:
    out = []
    for table in doc.tables:
        rows = []
        for row in table.rows:
            row = ["".join(c.split()) for c in row] if squeeze else list(row)
            while row and row[-1] == "":
                row.pop()
            if row:
                rows.append(row)
        out.append(rows)
    return out


def build(seed: Path, fmt: str, folder: Path) -> Path:
    doc = read_document(seed)
    blocks = blocks_from_document(doc)
    raw = seed.read_text(encoding="utf-8")
    stem = seed.stem[:3]
    if fmt == "docx":
        return render_docx(blocks, folder / f"{stem}.docx", merge=True)
    if fmt == "html":
        return render_html(blocks, folder / f"{stem}.html", title=doc.line_texts()[0], merge=True)
    if fmt == "html-gb18030":
        return render_html(blocks, folder / f"{stem}_gb.htm", encoding="gb18030")
    if fmt == "pdf":
        return render_pdf(blocks, folder / f"{stem}.pdf")
    path = folder / f"{stem}_{fmt}.txt"
    if fmt == "txt-gb18030":
        path.write_bytes(raw.encode("gb18030"))
    elif fmt == "txt-utf16":
        path.write_bytes(raw.encode("utf-16"))  # with BOM
    elif fmt == "txt-utf8bom":
        path.write_bytes(codecs.BOM_UTF8 + raw.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_text(render_txt(blocks, fmt.split("-")[1]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("formats")
    return {(s.name, f): build(s, f, folder) for s in SEEDS for f in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_format_reads_like_the_txt(seed, fmt, built):
    reference = read_document(seed)
    doc = read_document(built[(seed.name, fmt)])
    assert doc.format == fmt.split("-")[0]
    assert narrative(doc) == narrative(reference)
    squeeze = fmt == "pdf"
    assert grids(doc, squeeze) == grids(reference, squeeze)
    assert len(doc.tables) == 3
    expected_source = "native" if fmt in ("docx", "html", "html-gb18030", "pdf") else "layout"
    assert {t.source for t in doc.tables} == {expected_source}


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
def test_native_table_line_ranges(fmt, built):
    doc = read_document(built[(SEEDS[0].name, fmt)])
    lines = doc.line_texts()
    for table in doc.tables:
        assert table.line_end - table.line_start == len(table.rows)
        for row, line in zip(table.rows, lines[table.line_start:table.line_end]):
            assert line.split("\t") == row
    # text before the first table is narrative, the heading of table 2 just above it
    assert lines[doc.tables[0].line_start - 1].startswith("二、主动公开")


def test_seed_txt_document_fields():
    doc = read_document(SEEDS[2])  # 002: NBSP, bookmark artifact, broken labels
    assert doc.format == "txt" and doc.path == str(SEEDS[2])
    assert doc.original == SEEDS[2].read_text(encoding="utf-8")
    assert len(doc.offset_map) == len(doc.text) + 1 and doc.offset_map[-1] == len(doc.original)
    assert "[bookmark" not in doc.text
    i = doc.text.index("依据《政府信息公开信息处理费管理办法》")
    assert doc.original[doc.to_original(i):].startswith("依据《政府信息公开信息处理费管理办法》")
    assert [ln.start for ln in doc.lines][:2] == [0, len(doc.line_texts()[0]) + 1]


def test_offsets_of_every_line_map_back():
    for seed in SEEDS:
        doc = read_document(seed)
        for ln in doc.lines:
            text = doc.text[ln.start:ln.end].strip()
            if text and "\t" not in text and len(text) < 12:
                start = doc.to_original(ln.start + doc.text[ln.start:ln.end].index(text[0]))
                assert doc.original[start] in (text[0], chr(ord(text[0]) + 0xFEE0))


def test_encodings_decode_to_the_same_original(built):
    seed = SEEDS[4]
    raw = seed.read_text(encoding="utf-8")
    for fmt in ("txt-gb18030", "txt-utf16"):
        assert read_document(built[(seed.name, fmt)]).original == raw
    assert read_document(built[(seed.name, "txt-utf8bom")]).original == raw.replace("\n", "\r\n")


def test_utf8_with_a_damaged_byte_is_not_misread_as_gb18030():
    raw = SEEDS[0].read_bytes()
    damaged = raw[:500] + b"\xff" + raw[500:-1] + "报".encode("utf-8")[:2]  # bad byte + cut-off end
    text = decode_text(damaged, "d.txt")
    assert 2 <= text.count("\ufffd") <= 8
    assert "孟津区卫生健康委员会" in text and "主动公开政府信息情况" in text


def test_decode_text_charset_normalizer_fallback():
    # Neither UTF-8 nor GB18030: a Latin-1 file is left to charset-normalizer.
    text = "Rapport annuel sur la transparence administrative, \u00e9dition 2023. " * 10
    assert "Rapport annuel sur la transparence" in decode_text(text.encode("latin-1"), "x.txt")


# ---------------------------------------------------------------- html specifics
def test_html_chrome_dropped(built):
    doc = read_document(built[(SEEDS[0].name, "html")])
    for chrome in ("版权所有", "ICP备", "当前位置", "首页", "分享到", "统计代码", "相关链接", "请输入关键词",
                   "发布时间"):
        assert chrome not in doc.text, chrome
    assert doc.line_texts()[0].startswith("孟津区卫生健康委员会")


def test_html_rowspan_colspan_br_and_layout_table():
    page = """<html><head><title>t</title></head><body>
    <table width="100%"><tr><td><div id="content">
    <p>一、总体情况</p><p>正文第一段。<br>正文第二段。</p>
    <table border=1>
      <tr><td rowspan="2">信息内容</td><td colspan="2">本年<br>
          新制作数量</td></tr>
      <tr><td>甲</td><td>乙</td></tr>
      <tr><td>规章</td><td>0</td><td>&nbsp;</td></tr>
    </table>
    <p>二、主动公开</p>""" + "<p>" + "这是一段很长的正文。" * 40 + "</p>" + """
    </div></td></tr></table></body></html>"""
    doc = document_from_bytes(page.encode("utf-8"), "page.html")
    (table,) = doc.tables
    assert table.rows == [["信息内容", "本年新制作数量", ""], ["", "甲", "乙"], ["规章", "0", ""]]
    lines = doc.line_texts()
    assert lines[:3] == ["一、总体情况", "正文第一段。", "正文第二段。"]
    assert lines[table.line_end] == "二、主动公开"


def test_html_title_above_content_div_is_kept():
    page = """<html><body><div class="header">某某市人民政府</div>
    <div class="detail"><h1 class="title">某某局2023年政府信息公开工作年度报告</h1>
    <div class="info">发布时间：2024-01-20</div>
    <div class="TRS_Editor"><p>一、总体情况</p><p>""" + "本年度共主动公开政府信息二百条。" * 20 + """</p></div></div>
    <div class="footer">版权所有</div></body></html>"""
    lines = document_from_bytes(page.encode("utf-8"), "p.html").line_texts()
    assert lines[:2] == ["某某局2023年政府信息公开工作年度报告", "一、总体情况"]
    assert not any("发布时间" in ln or "版权所有" in ln for ln in lines)


def test_html_nested_too_deep_for_the_parser_still_reads():
    page = "<html><head><title>年报</title></head><body>" + "<div>" * 5000 + "<p>一、总体情况</p><p>共收到申请3件。</p>" + "</div>" * 5000 + "</body></html>"
    assert document_from_bytes(page.encode("utf-8"), "deep.html").line_texts() == ["一、总体情况", "共收到申请3件。"]


# ---------------------------------------------------------------- docx specifics
def test_docx_vertical_merge_and_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["（三）不予公开", "1.属于国家秘密", "0"], ["", "2.其他", "1"], ["总计", "", ""]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(0, 0).merge(table.cell(1, 0))   # vertical merge
    table.cell(2, 0).merge(table.cell(2, 2))   # horizontal merge
    document.add_paragraph("二、其他")
    path = tmp_path / "m.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.tables[0].rows == [["(三)不予公开", "1.属于国家秘密", "0"], ["", "2.其他", "1"], ["总计", "", ""]]
    assert doc.line_texts()[0] == "一、总体情况" and doc.line_texts()[-1] == "二、其他"


def test_docx_automatic_numbering_is_kept(tmp_path):
    """Headings numbered by Word (一、 / （一）) keep their numbers; python-docx drops them."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
        '<w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/>'
        '<w:suff w:val="nothing"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("总体情况", 0)
    numbered("主动公开", 1)
    numbered("依申请公开", 1)
    document.add_paragraph("正文。")
    numbered("主动公开政府信息情况", 0)
    numbered("规章", 1)
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    assert read_document(path).line_texts() == ["一、总体情况", "(一)主动公开", "(二)依申请公开", "正文。",
                                       "二、主动公开政府信息情况", "(一)规章"]


# ---------------------------------------------------------------- pdf specifics
def test_pdf_page_numbers_dropped_and_tables_native(built):
    doc = read_document(built[(SEEDS[1].name, "pdf")])
    assert not any(ln.strip().startswith("- ") and ln.strip().endswith(" -") for ln in doc.line_texts())
    assert all(t.source == "native" for t in doc.tables)


@pytest.mark.slow
def test_pdf_a_browser_printed_reads_like_the_txt(tmp_path, capfd):
    """A report page printed to PDF by a real browser (headless Chromium): its fonts map
    glyphs to radicals (⾏政, 人⺠) and its margins carry the page's address and "2/4".  The
    text reads with ideographs, no margin line is left, the tables read as the txt's, and
    reading writes nothing on the terminal (pdfminer warns per glyph run of such a font)."""
    import shutil

    from nlp.corpus.render import browser_pdf
    from nlp.tables import parse_tables

    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        pytest.skip("chromium not installed (Debian: apt-get install -y chromium; .ci/run installs it)")
    seed = SEEDS[3]
    pdf = browser_pdf(build(seed, "html", tmp_path), tmp_path / "printed.pdf", tmp_path / "profile")
    capfd.readouterr()
    doc = read_document(pdf)
    assert capfd.readouterr().err == ""
    assert not [ch for ch in doc.text if 0x2E80 <= ord(ch) <= 0x2FDF]
    assert "file://" not in doc.text and "行政复议" in doc.text
    plain = read_document(seed)
    assert {k: c.value for k, c in parse_tables(doc).cells.items()} == \
        {k: c.value for k, c in parse_tables(plain).cells.items()}


@pytest.mark.slow
def test_pdf_a_printed_libreoffice_page_keeps_rows_cut_by_page_breaks(tmp_path):
    """A Word document saved as a web page by LibreOffice (a grid without merged cells, in
    narrow columns) and printed by Chromium: rows of table 3 are cut by page breaks with no
    rule at the cut, and the cut line is printed on both pages.  Every cell reads as the
    txt's, none falls out as loose lines."""
    import shutil

    from nlp.corpus.render import browser_pdf, libreoffice_pdf
    from nlp.tables import parse_tables

    if shutil.which("chromium") is None or shutil.which("soffice") is None:
        pytest.skip("chromium or LibreOffice not installed (Debian: chromium, libreoffice-writer-nogui; "
                    ".ci/run installs them)")
    seed = SEEDS[0]
    blocks = blocks_from_document(read_document(seed))
    page = libreoffice_pdf(render_docx(blocks, tmp_path / "report.docx"), tmp_path, tmp_path / "lo", to="html")
    doc = read_document(browser_pdf(page, tmp_path / "printed.pdf", tmp_path / "profile"))
    plain = read_document(seed)
    assert {k: c.value for k, c in parse_tables(doc).cells.items()} == \
        {k: c.value for k, c in parse_tables(plain).cells.items()}


def _cut_grid_pdf(path: Path, bottom_rule: bool) -> Path:
    """A three-column ruled table over two pages as a browser prints it: the row at the
    page foot has its label's first line and its numbers above the break, no rule under it
    (unless ``bottom_rule``), and the rest of the label on the next page, no rule over it."""
    from reportlab.pdfgen import canvas

    from nlp.corpus.render import _FONT, _register_font

    _register_font()
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    xs = (40, 145, 225, 305)  # the label's first line fills its column: it goes on
    c.setFont(_FONT, 10)
    for y, cells in ((260, ("信息内容", "本年新收", "总计")), (236, ("二、上年结转", "1", "1")),
                     (212, ("一、本年新收政府信息", "5", "5"))):
        for x, text in zip(xs, cells):
            c.drawString(x + 3, y - 14, text)
    for y in (270, 246, 222) + ((198,) if bottom_rule else ()):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, 270, x, 30)  # the column rules run on to the page's foot: the row goes on
    c.showPage()
    c.setFont(_FONT, 10)
    c.drawString(xs[0] + 3, 270 - 14, "公开申请数量")
    for x in xs:
        c.line(x, 290, x, 240)
    c.line(xs[0], 240, xs[-1], 240)
    c.drawString(xs[0], 200, "四、行政复议情况")
    c.save()
    return path


def test_pdf_row_cut_at_an_open_page_foot_is_one_row(tmp_path):
    doc = read_document(_cut_grid_pdf(tmp_path / "cut.pdf", bottom_rule=False))
    assert len(doc.tables) == 1
    rows = [[c for c in row if c] for row in doc.tables[0].rows]
    assert ["一、本年新收政府信息公开申请数量", "5", "5"] in rows
    assert "公开申请数量" not in narrative(doc)


def test_pdf_open_rules_only_where_a_table_is_cut(tmp_path):
    """A rule is added at the cut (foot of the first page, head of the second); a table
    closed by its own rule reads the same rows."""
    import pdfplumber

    from nlp.read.pdf import _open_rules

    with pdfplumber.open(_cut_grid_pdf(tmp_path / "cut.pdf", bottom_rule=False)) as pdf:
        assert [r["end"] for r in _open_rules(pdf.pages[0])] == ["bottom"]
        assert [r["end"] for r in _open_rules(pdf.pages[1])] == ["top"]
    closed = read_document(_cut_grid_pdf(tmp_path / "closed.pdf", bottom_rule=True))
    assert ["二、上年结转", "1", "1"] in [[c for c in row if c] for row in closed.tables[0].rows]


def test_pdf_without_rulings_uses_layout(tmp_path):
    from reportlab.pdfgen import canvas

    from nlp.corpus.render import _FONT, _register_font

    _register_font()
    path = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(path))
    c.setFont(_FONT, 10)
    c.drawString(72, 760, "二、主动公开政府信息情况")
    for k, (label, a, b) in enumerate([("信息内容", "本年制发件数", "现行有效件数"), ("规章", "0", "3"),
                                       ("规范性文件", "2", "5")]):
        y = 730 - 20 * k
        c.drawString(72, y, label)
        c.drawString(220, y, a)
        c.drawString(360, y, b)
    c.showPage()
    c.save()
    doc = read_document(path)
    (table,) = doc.tables
    assert table.source == "layout"
    assert table.rows == [["信息内容", "本年制发件数", "现行有效件数"], ["规章", "0", "3"], ["规范性文件", "2", "5"]]


def test_pdf_page_frame_is_not_a_table(tmp_path):
    from reportlab.pdfgen import canvas

    from nlp.corpus.render import _FONT, _register_font

    _register_font()
    path = tmp_path / "framed.pdf"
    c = canvas.Canvas(str(path))
    c.rect(40, 40, 515, 760)  # a border around the whole page
    c.setFont(_FONT, 10)
    c.drawString(72, 760, "一、总体情况")
    c.drawString(72, 740, "本年度共主动公开政府信息200条。")
    c.showPage()
    c.save()
    doc = read_document(path)
    assert doc.tables == [] and doc.line_texts() == ["一、总体情况", "本年度共主动公开政府信息200条。"]


def test_pdf_bare_page_numbers_dropped_but_not_table_like_zeros(tmp_path):
    from reportlab.pdfgen import canvas

    from nlp.corpus.render import _FONT, _register_font

    _register_font()
    path = tmp_path / "numbers.pdf"
    c = canvas.Canvas(str(path))
    for page in (1, 2):
        c.setFont(_FONT, 10)
        c.drawString(72, 760, f"第{page}页正文开始。")
        c.drawString(72, 70, "0")  # a value low on the page, inside the bottom margin
        c.drawString(290, 30, str(page))  # the page number
        c.showPage()
    c.save()
    assert read_document(path).line_texts() == ["第1页正文开始。", "0", "第2页正文开始。", "0"]


# ---------------------------------------------------------------- bad input
def _garbage(n: int = 4000, seed: int = 7, low: int = 0) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(n))


def _scanned_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)  # an "image": no text layer
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("name,content,kind,reason", [
    ("empty.txt", b"", ReadError, "empty file"),
    ("blank.txt", b"  \n\n", ReadError, "empty file"),
    ("garbage.txt", _garbage(), ReadError, "binary file, not text"),
    ("high.txt", _garbage(low=128), ReadError, "binary file"),  # no NUL bytes
    ("png.txt", b"\x89PNG\r\n\x1a\n" + _garbage(500), ReadError, "binary file"),
    ("fake.docx", b"this is not a zip", ReadError, "corrupt or truncated .docx"),
    ("zip.docx", None, ReadError, "corrupt .docx"),
    ("fake.pdf", b"hello, no pdf here", ReadError, "not a PDF"),
    ("garbage.pdf", b"%PDF-1.4\n" + _garbage() + b"\n%%EOF\n", ReadError, "corrupt PDF"),
    ("report.xlsx", b"PK..", UnsupportedFormat, "unknown file type '.xlsx'"),
    ("report", b"text", UnsupportedFormat, "no extension"),
    ("cut.doc", b"\xd0\xcf\x11\xe0", ReadError, "not a Word document"),  # not even a whole header
    ("text.doc", "一、总体情况".encode(), ReadError, "not a Word document"),
    ("chrome.html", "<html><body><nav>首页</nav><script>x()</script></body></html>".encode(), ReadError, "no text"),
])
def test_bad_input_errors(tmp_path, name, content, kind, reason):
    path = tmp_path / name
    if content is None:  # a zip that is no Word document
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("hello.txt", "hi")
    else:
        path.write_bytes(content)
    with pytest.raises(kind) as info:
        read_document(path)
    assert reason in str(info.value)
    assert str(path) in str(info.value) and info.value.path == str(path)


def test_truncated_docx_and_pdf(tmp_path, built):
    for fmt, reason in (("docx", "corrupt or truncated .docx"), ("pdf", "truncated or corrupt PDF")):
        data = built[(SEEDS[0].name, fmt)].read_bytes()
        path = tmp_path / f"cut.{fmt}"
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(ReadError, match=reason):
            read_document(path)


def test_broken_xml_inside_docx(tmp_path, built):
    src = built[(SEEDS[0].name, "docx")]
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    with pytest.raises(ReadError, match="corrupt .docx"):
        read_document(path)


def test_scanned_pdf(tmp_path):
    path = _scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ReadError, match="scanned PDF, no text layer"):
        read_document(path)


def test_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("政府信息公开\n" * 100, encoding="utf-8")
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    with pytest.raises(LimitExceeded, match="limit"):
        read_document(path)
    with pytest.raises(LimitExceeded):
        document_from_bytes(path.read_bytes(), "big.txt")


def test_docx_inflating_beyond_the_limit_is_refused(built, monkeypatch):
    monkeypatch.setattr(readers.docx, "MAX_UNZIPPED", 1024)  # a real docx inflates to more than 1 kB
    with pytest.raises(LimitExceeded, match="zip bomb"):
        read_document(built[(SEEDS[0].name, "docx")])


def test_missing_file_and_directory():
    with pytest.raises(ReadError, match="no such file"):
        read_document("/nonexistent/report.txt")
    with pytest.raises(ReadError, match="no such file"):
        list(iter_paths(["/nonexistent/dir"]))


def test_errors_are_govreport_errors(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02")
    with pytest.raises(GovReportError) as info:
        read_document(path)
    assert info.value.kind == "read_error"


# ---------------------------------------------------------------- paths, text, bytes
def test_iter_paths_recursive_sorted_and_filtered(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.pdf").write_bytes(b"x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.HTML").write_text("x")
    (tmp_path / "notes.xlsx").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "~$lock.docx").write_text("x")
    single = tmp_path / "notes.xlsx"
    got = list(iter_paths([tmp_path, single]))
    assert got == [tmp_path / "a.txt", tmp_path / "b" / "z.pdf", tmp_path / "c.HTML", single]


def test_read_text_and_read_bytes_agree():
    raw = SEEDS[3].read_text(encoding="utf-8")
    a = document_from_text(raw, path="seed-003")
    b = document_from_bytes(raw.encode("gb18030"), "seed-003.txt")
    assert a.text == b.text and grids(a) == grids(b)
    assert a.path == "seed-003" and a.format == "txt"
    assert "专人负责政务公开工作的格局。" in a.text


# ---------------------------------------------------------------- CLI
def test_cli_read_folder_with_one_bad_file(tmp_path, built):
    import cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.docx").write_bytes(built[(SEEDS[0].name, "docx")].read_bytes())
    (folder / "b.txt").write_bytes(_garbage())
    (folder / "c.html").write_bytes(built[(SEEDS[3].name, "html")].read_bytes())
    result = CliRunner().invoke(cli.app, ["read", str(folder)])
    assert result.exit_code == 1
    assert "孟津区卫生健康委员会" in result.stdout and "临渭区卫生健康局" in result.stdout
    errors = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert errors == [f"error: {folder / 'b.txt'}: binary file, not text (contains NUL bytes)"]


def test_cli_read_json_and_same_lines_across_formats(built):
    import json

    import cli

    paths = [str(built[(SEEDS[1].name, f)]) for f in ("docx", "html", "txt-gb18030")]
    result = CliRunner().invoke(cli.app, ["read", "--json", *paths])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["format"] for d in docs] == ["docx", "html", "txt"]
    assert all(len(d["tables"]) == 3 for d in docs)


def test_cli_missing_path_reported_others_read(tmp_path, built):
    import cli

    good = built[(SEEDS[2].name, "txt-utf16")]
    result = CliRunner().invoke(cli.app, ["read", str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 1
    assert "保定市莲池区卫生健康局" in result.stdout
    assert "missing.txt: no such file or directory" in result.stderr


# ---------------------------------------------------------------- synthetic reports
def test_synthetic_reports_read_back_in_every_format(tmp_path):
    """Generator output (all four text layouts) → docx/html/pdf → same narrative and grids.

    PDF: whitespace-insensitive (reportlab collapses runs of spaces; the built-in CID
    font has no glyph for a few symbols such as U+00B7, which then vanish).
    """
    from nlp.corpus import synth

    records = [r for r in synth.generate(12, seed=555) if r.table][:6]
    for rec in records:
        reference = document_from_text(rec.text, rec.id)
        blocks = blocks_from_document(reference)
        for fmt, render in (("docx", render_docx), ("html", render_html), ("pdf", render_pdf)):
            doc = read_document(render(blocks, tmp_path / f"{rec.id}.{fmt}"))
            if fmt == "pdf":
                squash = lambda lines: "".join("".join(lines).split()).replace("·", "")  # noqa: E731
                assert squash(narrative(doc)) == squash(narrative(reference)), (rec.id, fmt)
                assert grids(doc, True) == grids(reference, True), (rec.id, fmt)
            else:
                assert narrative(doc) == narrative(reference), (rec.id, fmt)
                assert grids(doc) == grids(reference), (rec.id, fmt)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_cli_read_canonical_prints_the_same_lines_for_every_format(seed, built):
    import cli

    runner = CliRunner()
    expected = runner.invoke(cli.app, ["read", "--canonical", str(seed)]).stdout
    assert expected.count("\n") > 30
    for fmt in FORMATS:
        result = runner.invoke(cli.app, ["read", "--canonical", str(built[(seed.name, fmt)])])
        assert result.exit_code == 0, result.output
        got = result.stdout
        if fmt == "pdf":  # a space inside a drawn cell can fall at a wrap (see module doc)
            got, want = "".join(got.split()), "".join(expected.split())
            assert got == want, fmt
        else:
            assert got == expected, fmt


def test_docx_prose_before_a_table_is_not_joined_into_it(tmp_path):
    from nlp.corpus.render import Paragraph, TableBlock

    blocks = [Paragraph("本年度主动公开政府信息情况统计如下，各项数据均截至当年十二月三十一日，详见下表"),
              Paragraph(""), TableBlock([["规章", "0"], ["规范性文件", "2"]]), Paragraph("三、收到申请情况")]
    doc = read_document(render_docx(blocks, tmp_path / "t.docx"))
    (table,) = doc.tables
    assert doc.line_texts()[table.line_start] == "规章\t0" and table.rows == [["规章", "0"], ["规范性文件", "2"]]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_reads_like_the_utf8_file(tmp_path, encoding):
    for path in seed_paths():
        moved = tmp_path / path.name
        moved.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
        assert read_document(moved).text == read_document(path).text


def test_nul_bytes_that_are_not_utf16_text_stay_binary(tmp_path):
    rng = random.Random(7)
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(rng.randrange(256) for _ in range(4000)) + b"\x00\x00")
    with pytest.raises(ReadError, match="blob.txt.*binary"):
        read_document(blob)


def test_plain_text_shortcut_skips_no_character_the_binary_check_counts():
    """``_bad_ratio`` looks up categories only outside ``PLAIN_TEXT``: every character the
    class matches must be one the check would not count anyway."""
    import unicodedata

    from nlp.read.txt import PLAIN_TEXT, _bad_ratio

    plain = [chr(c) for c in range(0x10000) if PLAIN_TEXT.fullmatch(chr(c))]
    assert len(plain) > 20000
    assert not [ch for ch in plain if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\f\v"]
    assert _bad_ratio("报告\x00\x01\ue000\ufffd") == 3 / 6  # (U+FFFD is damage, counted apart)


def test_utf8_damaged_all_through_is_read_with_its_damage_said():
    """An old html2text cut wide characters in half inside table cells: 3 % of the text is
    U+FFFD and neither UTF-8 nor GB18030 decodes it.  It was refused whole as binary; now it
    is read, and each damaged place is reported (text_unreadable); a text mostly damaged
    is still refused, saying so."""
    from nlp.read.txt import decode_text

    good = ("信川市气象局2023年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息120条。\n" * 3).encode("utf-8")
    cell = "|第二十条第（一）项|".encode("utf-8")
    damaged = good + b"\n".join(cell[:7] + cell[8:] for _ in range(8)) + b"\n"
    text = decode_text(damaged, "dump.txt")
    assert "\ufffd" in text and "全年主动公开政府信息120条" in text
    with pytest.raises(ReadError, match="cut.txt"):
        decode_text("信川".encode("utf-8") + b"\xff\xfe\x81" * 40, "cut.txt")


# ---------------------------------------------------------------- bounded work, hostile files (issue 22)
def _seed_docx(tmp_path) -> bytes:
    path = tmp_path / "seed.docx"
    render_docx(blocks_from_document(read_document(SEEDS[0])), path)
    return path.read_bytes()


def _rezip(data: bytes, change) -> bytes:
    import io
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change(item.filename, src.read(item.filename)))
    return out.getvalue()


def _with_document_xml(data: bytes, edit) -> bytes:
    return _rezip(data, lambda n, c: edit(c.decode("utf-8")).encode("utf-8") if n == "word/document.xml" else c)


def test_docx_grid_before_is_clamped_like_grid_span(tmp_path):
    import resource
    data = _with_document_xml(_seed_docx(tmp_path), lambda x: x.replace(
        "<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="2000000000"/></w:trPr>', 3))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    doc = document_from_bytes(data, "grid.docx")  # 2e9 empty cells would be gigabytes
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB
    assert max(len(r) for t in doc.tables for r in t.rows) <= 64 + 20


@pytest.mark.parametrize("value", ["abc", "1.5", "", "-7", "０"])
def test_docx_non_integer_attributes_do_not_lose_the_document(tmp_path, value):
    data = _with_document_xml(_seed_docx(tmp_path), lambda x: x.replace(
        "<w:tr>", f'<w:tr><w:trPr><w:gridBefore w:val="{value}"/></w:trPr>', 2).replace(
        "<w:pPr>", f'<w:pPr><w:numPr><w:ilvl w:val="{value}"/><w:numId w:val="{value}"/></w:numPr>', 2))
    doc = document_from_bytes(data, "attrs.docx")
    assert doc.tables and "总体情况" in doc.text


def _lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    out = bytearray(data)
    for sig, field_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        pos = 0
        while (pos := out.find(sig, pos)) >= 0:
            if out[pos + name_at:pos + name_at + len(member)] == member.encode():
                out[pos + field_at:pos + field_at + 4] = declared.to_bytes(4, "little")
            pos += 4
    return bytes(out)


def test_docx_zip_bomb_with_lying_sizes_is_refused_without_inflating_it(tmp_path):
    import resource
    bomb = _rezip(_seed_docx(tmp_path), lambda n, c: c)
    import io
    buf = io.BytesIO(bomb)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/big.bin", b"\0" * (300 * 2 ** 20))  # declares 300 MiB …
    data = _lie_about_size(buf.getvalue(), "word/media/big.bin", 40_000)  # … now says 40 kB
    assert len(data) < 2 * 2 ** 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # read through a small window: the lie shows as a checksum mismatch after 40 kB
    with pytest.raises(ReadError, match="lying.docx.*(MAX_UNZIPPED|CRC)"):
        document_from_bytes(data, "lying.docx")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 150 * 1024  # KiB: never inflated whole


def test_docx_member_count_is_bounded(tmp_path):
    import io
    buf = io.BytesIO(_seed_docx(tmp_path))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_STORED) as z:
        for i in range(readers.MAX_ZIP_MEMBERS + 1):
            z.writestr(f"customXml/item{i}.xml", b"<a/>")
    with pytest.raises(LimitExceeded, match="members.*MAX_ZIP_MEMBERS"):
        document_from_bytes(buf.getvalue(), "members.docx")


def test_docx_huge_table_is_refused_early(tmp_path):
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * 4 + "</w:tr>"
    table = "<w:tbl>" + row * (readers.MAX_TABLE_ROWS + 1) + "</w:tbl>"
    data = _with_document_xml(_seed_docx(tmp_path), lambda x: x.replace("<w:body>", "<w:body>" + table, 1))
    with pytest.raises(LimitExceeded, match="rows in one table.*MAX_TABLE_ROWS"):
        document_from_bytes(data, "rows.docx")


def test_too_many_characters_is_refused_naming_the_limit():
    with pytest.raises(LimitExceeded, match="chars.txt.*characters.*MAX_CHARS") as caught:
        document_from_bytes(("共收到申请3件。" * (readers.MAX_CHARS // 8 + 1)).encode("utf-8"), "chars.txt")
    assert caught.value.kind == "limit_exceeded" and caught.value.limit == "MAX_CHARS"


def test_html_table_cells_are_bounded():
    cells = "<td rowspan=64 colspan=64>1</td>" * 40
    html = "<html><body><p>一、总体情况</p><table>" + f"<tr>{cells}</tr>" * 20 + "</table></body></html>"
    with pytest.raises(LimitExceeded, match="cells.*MAX_CELLS"):
        document_from_bytes(html.encode("utf-8"), "spans.html")


def test_html_fallback_is_linear_in_unclosed_scripts():
    import time
    from nlp.read.html import _html_fallback_lines
    times = []
    for n in (2_000, 16_000):
        markup = "<script>x" * n + "<p>一、总体情况</p>" + "<" * n
        t = time.process_time()
        _html_fallback_lines(markup)
        times.append(time.process_time() - t)
    assert times[1] < 0.5, times  # the lazy regex took minutes at this size (quadratic)


def test_html_charset_undefined_and_control_characters_still_read():
    html = ("<html><head><meta charset=undefined></head><body><div class='nav'>首页\x01</div>\x02"
            "<p>一、总体情况</p><p>共收到申请3件。\x0b</p></body></html>")
    doc = document_from_bytes(html.encode("utf-8"), "odd.html")
    assert "共收到申请3件。" in doc.text


@pytest.mark.parametrize("where", ["nlp.read.txt:assemble", "nlp.normalize.document:find_tables"])
def test_own_code_failure_while_reading_is_internal_error_not_read_error(monkeypatch, where):
    """A bug while reading (in a reader) or normalizing is said to be govreport's."""
    import importlib

    from nlp.errors import InternalError

    from nlp.numbers import parse_number

    def broken(*args, **kwargs):  # a bug inside govreport's code (the error is raised in nlp/)
        return parse_number("a bug")

    module, name = where.split(":")
    monkeypatch.setattr(importlib.import_module(module), name, broken)
    with pytest.raises(InternalError, match="bug.txt") as caught:
        document_from_bytes("一、总体情况\n共收到申请3件。".encode("utf-8"), "bug.txt")
    assert caught.value.kind == "internal_error"


def _pdf(content: bytes, compress: bool = True) -> bytes:
    from nlp.fuzz import pdf_with_content
    return pdf_with_content(content, compress=compress)


def test_pdf_flate_bomb_is_refused_within_bounded_memory():
    import resource
    import zlib
    inflater = zlib.compressobj(9)
    stream = b"".join(inflater.compress(b" " * 2 ** 20) for _ in range(200)) + inflater.flush()
    from nlp.fuzz import _fix_xref
    base = _pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")
    a, b = base.index(b"stream\n") + 7, base.index(b"\nendstream")
    data = _fix_xref(base[:a] + stream + base[b:]).replace(b"/Length %d " % (b - a), b"/Length %d " % len(stream), 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded, match="bomb.pdf.*MAX_PDF_(STREAM|PAGE_CONTENT)"):
        document_from_bytes(data, "bomb.pdf")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 150 * 1024  # KiB


@pytest.mark.parametrize("op, times", [(b"0 0 m 1 1 l S\n", 500_000), (b"q Q\n", 2_000_000)])
def test_pdf_operators_per_page_are_bounded(op, times):
    import resource
    import time
    t = time.process_time()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitExceeded, match="ops.pdf.*operators.*on page 1.*MAX_PDF_OPERATORS"):
        document_from_bytes(_pdf(op * times), "ops.pdf")  # 7-8 MB of content, millions of operators
    assert time.process_time() - t < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB (was 700 MB)


def test_pdf_guard_leaves_ordinary_pdfs_alone(tmp_path):
    path = tmp_path / "seed.pdf"
    render_pdf(blocks_from_document(read_document(SEEDS[0])), path)
    assert "总体情况" in read_document(path).text
    ok = document_from_bytes(_pdf(b"BT /F1 12 Tf 72 720 Td (2023 report) Tj ET"), "ok.pdf")
    assert "2023" in ok.text


def test_symlink_out_of_a_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("一、总体情况\n机密", encoding="utf-8")
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("一、总体情况", encoding="utf-8")
    (folder / "sub" / "inside.txt").symlink_to(folder / "a.txt")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "tree").symlink_to(outside, target_is_directory=True)
    found = [p.relative_to(folder).as_posix() for p in iter_paths([folder])]
    assert found == ["a.txt", "sub/inside.txt"]


def test_folder_listing_is_the_rglob_one(tmp_path):
    """iter_paths walks folders with scandir (no stat or resolve per plain file); it
    lists what ``rglob`` + ``resolve`` listed: hidden and lock files and folders left
    out, links kept only when they stay inside, loops and broken links skipped."""
    import os

    from nlp.read import SUFFIXES

    def rglob_listing(path):
        root = path.resolve()
        return sorted(f for f in path.rglob("*")
                      if f.is_file() and f.suffix.lower() in SUFFIXES
                      and not any(part.startswith((".", "~$")) for part in f.relative_to(path).parts)
                      and f.resolve().is_relative_to(root))

    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "x.txt").write_text("x")
    folder = tmp_path / "in"
    for sub in ("a", "a/b", ".git", "~$tmp", "a-c", "a/b/.h", "Z"):
        (folder / sub).mkdir(parents=True)
    for f in ("a/1.txt", "a/b/2.PDF", ".git/3.txt", "~$tmp/4.txt", "a-c/5.docx", "a/b/.h/6.txt",
              "Z/7.html", "8.htm", "9.txt.", "10.xlsx", "a/~$11.docx", "a/.12.txt", "13.Txt"):
        (folder / f).write_text("x")
    (folder / "link_in.txt").symlink_to(folder / "a" / "1.txt")
    (folder / "a" / "link_up.txt").symlink_to("../8.htm")
    (folder / "link_out.txt").symlink_to(outside / "deep" / "x.txt")
    (folder / "dir_out").symlink_to(outside, target_is_directory=True)
    (folder / "dir_in.txt").symlink_to(folder / "a", target_is_directory=True)
    (folder / "broken.txt").symlink_to(folder / "nothing.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "fifo.txt")
    got = list(iter_paths([folder]))
    assert got == rglob_listing(folder)
    assert [p.relative_to(folder).as_posix() for p in got] == [
        "13.Txt", "8.htm", "Z/7.html", "a/1.txt", "a/b/2.PDF", "a/link_up.txt", "a-c/5.docx", "link_in.txt"]
    via_link = tmp_path / "via"
    via_link.symlink_to(folder, target_is_directory=True)  # the folder given through a link
    assert list(iter_paths([via_link])) == rglob_listing(via_link)


def test_devices_and_fifos_are_refused_not_read(tmp_path):
    import os
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="pipe.txt.*not a regular file"):
        read_document(fifo)  # would block forever if opened
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="zero.txt.*not a regular file"):
        read_document(zero)


def test_docx_xml_part_size_is_bounded_before_parsing(tmp_path):
    pad = "<w:p><w:r><w:t>共收到申请3件</w:t></w:r></w:p>" * (readers.MAX_DOCX_XML // 40)
    data = _with_document_xml(_seed_docx(tmp_path), lambda x: x.replace("<w:body>", "<w:body>" + pad, 1))
    with pytest.raises(LimitExceeded, match="word/document.xml.*MAX_DOCX_XML"):
        document_from_bytes(data, "xml.docx")


def test_one_numbering_for_the_pdf_reader_and_relayout():
    """The PDF reader (a cell opening a numbered item) and the one-line relayout (a label's
    numbering) read one lexicon entry: they used to carry two regexes that disagreed."""
    from nlp import lexicon
    from nlp.normalize import relayout
    from nlp.read import pdf

    entry = lexicon.load("reading")["numbering"]
    assert entry in pdf._NUMBERED.pattern and entry in relayout._NUMBERING.pattern
    for text in ["三、", "(三)", "（3）", "3.", "3、", "3)", "十二．"]:
        assert pdf._NUMBERED.match(text) and relayout._NUMBERING.match(text), text
    assert relayout._NUMBERING.match("(七)总计").group(2) == "七"


def test_the_reader_only_reads():
    """Nothing in nlp.read imports another stage: normalizing is the pipeline's next step."""
    import ast

    folder = Path(readers.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nlp."):
                top = node.module.split(".")[1]
                assert top in {"read", "errors", "types", "lexicon", "chars"}, (path.name, node.module)
    doc = readers.read_text("（一）３件")
    assert doc.text == "（一）３件" and doc.offset_map is None  # as read


def test_html_measure_agrees_with_each_subtree(tmp_path):
    """One walk gives what asking every element for its subtree gave: text length (as
    ``itertext``: comments' tails counted, their text not), a table below, a long cell below."""
    import lxml.html
    from nlp.read.grids import LAYOUT_CELL
    from nlp.read.html import _Measure, _text_len
    pages = []
    for k, seed in enumerate(SEEDS[:3]):
        render_html(blocks_from_document(read_document(seed)), tmp_path / f"{k}.html")
        pages.append((tmp_path / f"{k}.html").read_text(encoding="utf-8"))
    pages.append("<html><body><div id=a> x <!-- c --> y <?pi z?> w<p>pp</p> tail <span>s</span>t2</div>after"
                 "<table><tr><td>1<table><tr><td>" + "长" * 301 + "</td></tr></table></td><td> 2 </td></tr>"
                 "</table>尾<div class=content>&amp; 3件</div></body></html>")
    for page in pages:
        tree = lxml.html.document_fromstring(page)
        root = tree.find(".//body")
        m = _Measure(root)
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            assert m.length[el] == _text_len(el)
            assert (el in m.table) == (el.find(".//table") is not None)
            assert (el in m.long_cell) == any(_text_len(c) > LAYOUT_CELL for c in el.iter("td", "th")
                                                if c is not el)
            if el.tag == "table":
                assert m.rows[el] == sum(next(tr.iterancestors("table")) is el for tr in el.iter("tr"))


def test_html_nested_content_containers_are_measured_once():
    """250 nested ``class=content`` divs around 20,000 paragraphs: each container's text was
    counted over its whole subtree (10 CPU-s); one walk measures them all."""
    import time
    html = ("<html><body>" + "<div class='content'>" * 250 + "<p>共收到申请3件。</p>" * 20_000
            + "</div>" * 250 + "</body></html>")
    t = time.process_time()
    doc = document_from_bytes(html.encode("utf-8"), "nested.html")
    assert time.process_time() - t < 4  # about 0.4 s
    assert doc.text.count("共收到申请3件。") == 20_000


def test_pdf_chars_built_lean_are_pdfplumbers_own(tmp_path):
    """``_lean_chars`` builds each char dict directly: the same dicts (keys, order, values)
    as pdfplumber's generic path, which it no longer takes for plain chars."""
    import pdfplumber
    from nlp.read.pdf import _lean_chars
    paths = []
    for k, seed in enumerate(SEEDS[:2]):
        paths.append(tmp_path / f"{k}.pdf")
        render_pdf(blocks_from_document(read_document(seed)), paths[-1])
    chars = 0
    for path in paths:
        with pdfplumber.open(path) as a, pdfplumber.open(path) as b:
            for pa, pb in zip(a.pages, b.pages):
                generic = []
                pb.process_object = lambda obj, slow=pb.process_object: generic.append(obj) or slow(obj)
                _lean_chars(pb)
                assert pa.objects == pb.objects
                assert [list(c) for c in pa.chars] == [list(c) for c in pb.chars]
                assert not any(type(o).__name__ == "LTChar" for o in generic)
                chars += len(pa.chars)
    assert chars > 1000


def test_html_table_holding_a_table_keeps_the_row_limit():
    """A table with a table in a cell is walked as text (a page layout), but 3,000 rows of
    it are still over MAX_TABLE_ROWS (fuzz html:313: 96,000 one-cell lines, 20 CPU-s)."""
    inner = "<table><tr><td>1</td><td>2</td></tr></table>"
    html = ("<html><body><table><tr><td>" + inner + "</td></tr>" + "<tr><td>1</td></tr>" * 3000
            + "</table></body></html>")
    with pytest.raises(LimitExceeded, match="3,001 rows in one table.*MAX_TABLE_ROWS"):
        document_from_bytes(html.encode("utf-8"), "layout.html")
    ok = html.replace("<tr><td>1</td></tr>" * 3000, "<tr><td>一、总体情况</td></tr>" * 3)
    assert "一、总体情况" in document_from_bytes(ok.encode("utf-8"), "layout.html").text


def test_a_reader_that_cannot_be_imported_is_an_internal_error_not_a_bad_file(monkeypatch):
    """Readers are imported when a file of their format comes; one that fails to import (a
    library missing from the installation) is govreport's problem, named as such."""
    from nlp.errors import InternalError
    import sys

    monkeypatch.setitem(sys.modules, "nlp.read.html", None)  # the import fails as if missing
    with pytest.raises(InternalError, match="a.html.*cannot load its html reader"):
        readers.read_bytes(b"<html><body><p>2023</p></body></html>", "a.html")
    assert readers.read_bytes("规章 0".encode(), "a.txt").text  # the other formats still read


# ---------------------------------------------------------------- legacy Word .doc
@pytest.fixture(scope="module")
def doc_files(tmp_path_factory) -> dict[str, Path]:
    """Each seed as Word's binary .doc, saved by LibreOffice from the merged-cell .docx."""
    from nlp.corpus.render import libreoffice_pdf

    require_tool("soffice", "libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("doc")
    out = {}
    for seed in SEEDS:
        docx = render_docx(blocks_from_document(read_document(seed)), folder / f"{seed.stem}.docx", merge=True)
        out[seed.name] = libreoffice_pdf(docx, folder, folder / "lo", to="doc")
    return out


@pytest.mark.slow
def test_a_legacy_doc_reads_like_its_docx(doc_files):
    """A binary .doc (converted by LibreOffice on reading) gives the tables the .docx gives,
    and says it was a .doc."""
    from nlp.tables import parse_tables

    for seed in SEEDS:
        path = doc_files[seed.name]
        assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # really the binary format
        doc = read_document(path)
        docx = read_document(path.with_suffix(".docx"))
        assert doc.format == "doc"
        assert {k: c.value for k, c in parse_tables(doc).cells.items()} == \
            {k: c.value for k, c in parse_tables(docx).cells.items()}, seed.name


@pytest.mark.slow
def test_a_wps_and_an_rtf_read_like_the_docx(doc_files, tmp_path):
    """WPS Office's .wps (Word's binary format under its own name) and an RTF LibreOffice
    saved are read through the .doc reader, by content, and give the .docx's tables."""
    from nlp.corpus.render import libreoffice_pdf
    from nlp.tables import parse_tables

    seed = SEEDS[0]
    source = doc_files[seed.name]
    wps = tmp_path / "report.wps"
    wps.write_bytes(source.read_bytes())
    rtf = libreoffice_pdf(source.with_suffix(".docx"), tmp_path, tmp_path / "lo", to="rtf")
    assert rtf.read_bytes().startswith(b"{\\rtf")
    want = {k: c.value for k, c in parse_tables(read_document(source.with_suffix(".docx"))).cells.items()}
    for path in (wps, rtf):
        doc = read_document(path)
        assert doc.format == "doc"
        assert {k: c.value for k, c in parse_tables(doc).cells.items()} == want, path.name


def test_a_doc_that_is_a_docx_or_a_web_page_is_read_as_what_it_is(tmp_path, built):
    """Sites serve renamed .docx files and Word's web pages as .doc: no LibreOffice needed."""
    for fmt in ("docx", "html"):
        source = built[(SEEDS[0].name, fmt)]
        path = tmp_path / f"{fmt}.doc"
        path.write_bytes(source.read_bytes())
        doc = read_document(path)
        assert doc.format == "doc"
        assert readers.canonical_lines(doc) == readers.canonical_lines(read_document(source)), fmt


def test_a_binary_doc_without_libreoffice_is_refused_with_what_to_install(tmp_path, monkeypatch):
    """No soffice on the PATH: a clear refusal naming the file, not a crash; a batch goes on."""
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(UnsupportedFormat) as info:
        read_document(path)
    assert "LibreOffice" in str(info.value) and "save it as .docx" in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.slow
def test_a_corrupt_binary_doc_is_a_read_error_naming_the_file(tmp_path, doc_files):
    """A .doc whose header is right and whose body is noise: LibreOffice converts nothing."""
    path = tmp_path / "noise.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _garbage(4000))
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert str(path) in str(info.value)


def test_a_traditional_reports_native_cells_are_read_simplified(tmp_path):
    """A mirror's copy in traditional characters: its text is read simplified, and so must
    be its native table's cells (行政許可 is 行政许可) — else the labels match nothing and
    the cells are lost (audit E: 54 cells a form, 33 of them without a word)."""
    from nlp.pipeline import Pipeline

    rows = [["信息內容", "本年制發件數", "本年廢止件數", "現行有效件數"], ["規章", "0", "0", "0"],
            ["行政規範性文件", "2", "1", "9"], ["信息內容", "本年處理決定數量", "", ""], ["行政許可", "76", "", ""],
            ["行政處罰", "5", "", ""], ["行政強制", "0", "", ""]]
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    page = ("<html><body><p>信川縣民政局2023年政府信息公開工作年度報告</p><p>一、總體情況</p>"
            "<p>這一年，我們關於政府信息公開的工作穩步推進，縣民政局認真貫徹《條例》。</p>"
            f"<p>二、主動公開政府信息情況</p><table border=1>{table}</table>"
            "<p>三、收到和處理政府信息公開申請情況</p></body></html>")
    path = tmp_path / "trad.html"
    path.write_text(page, encoding="utf-8")
    cells = {k: c.value for k, c in Pipeline.load().process(path).cells.items()}
    assert cells["active.licensing.decisions"] == 76 and cells["active.normative.in_force"] == 9
    assert cells["active.penalty.decisions"] == 5 and cells["active.rules.issued"] == 0


# ---------------------------------------------------------------- Markdown
def _markdown(i: int, html_tables: bool) -> str:
    """Seed ``i`` as a converter's Markdown of its PDF: ## headings, and its tables as pipe
    rows under a |---| separator, or (``html_tables``, as MinerU writes them) as HTML."""
    lines, table = [], []

    def flush():
        if table:
            lines.append("<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
                                             for row in table) + "</table>")
            table.clear()

    for line in render_txt(blocks_from_document(document_from_text(seed_paths()[i].read_text(encoding="utf-8"))),
                           "pipe").split("\n"):
        if html_tables and line.startswith("|"):
            if not set(line) <= set("|-: "):
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        lines.append(f"## {line}" if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else line)
    flush()
    return "\n".join(lines)


@pytest.mark.parametrize("i", range(5))
@pytest.mark.parametrize("html_tables", [False, True], ids=["pipe-tables", "html-tables"])
def test_a_markdown_file_is_read_as_its_text_with_every_table(tmp_path, i, html_tables):
    """A .md file (a converter's text of a PDF) is read, not refused, and its tables, pipe
    rows or HTML <table>s among the Markdown lines, give the cells the seed's own file does."""
    from nlp.pipeline import Pipeline
    from conftest import MODELS

    text = _markdown(i, html_tables)
    assert ("<table>" in text) == html_tables
    path = tmp_path / f"seed-{i}.md"
    path.write_text(text, encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    rec, plain = pipe.process(path), pipe.process(seed_paths()[i])
    assert {k: c.value for k, c in rec.cells.items()} == {k: c.value for k, c in plain.cells.items()}
    assert (rec.agency, rec.year) == (plain.agency, plain.year)


def test_an_html_table_never_closed_stays_text():
    from nlp.read.grids import text_with_tables

    assert text_with_tables("一、总体情况\n<table><tr><td>规章", "a.md") == ["一、总体情况\n<table><tr><td>规章"]


def test_markdown_emphasis_in_table_cells_is_no_part_of_them(tmp_path):
    """A converter bolds totals (| **(七)总计** | **718** |): the cells are read as printed."""
    from nlp.pipeline import Pipeline
    from conftest import MODELS

    text = _markdown(4, False)
    bold = text.replace("| (七)总计 | 1 |", "| **(七)总计** | **1** |")
    assert bold != text
    path = tmp_path / "bold.md"
    path.write_text(bold, encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    rec, plain = pipe.process(path), pipe.process(seed_paths()[4])
    assert {k: c.value for k, c in rec.cells.items()} == {k: c.value for k, c in plain.cells.items()}


@pytest.mark.parametrize("mark", ["<sup>1</sup>", "¹", "[^1]"])
@pytest.mark.parametrize("html_tables", [False, True], ids=["pipe-tables", "html-tables"])
def test_a_footnote_mark_after_a_figure_is_no_part_of_it(tmp_path, mark, html_tables):
    """2332¹ or 2332<sup>1</sup> is 2332, never 23321 (NFKC folds ¹ into a digit)."""
    from nlp.pipeline import Pipeline
    from conftest import MODELS

    text = _markdown(0, html_tables)
    marked = text.replace(">2332<", f">2332{mark}<") if html_tables else text.replace("| 2332 |", f"| 2332{mark} |")
    assert marked != text
    path = tmp_path / "notes.md"
    path.write_text(marked, encoding="utf-8")
    rec = Pipeline.load(MODELS).process(path)
    assert rec.cells["active.licensing.decisions"].value == 2332


def test_a_table_tag_named_in_a_sentence_swallows_nothing(tmp_path):
    """``<table>`` named in prose is a word, and a table written <TABLE> is a table: the
    sections between them, and the seed's tables, are read as without the sentence."""
    from nlp.pipeline import Pipeline
    from conftest import MODELS

    text = _markdown(4, True).replace("<table>", "<TABLE>", 1)
    at = text.index("## 二、")
    mention = text[:at] + "本局网页的数据表格统一改用<table>标签发布。\n" + text[at:]
    path = tmp_path / "mention.md"
    path.write_text(mention, encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    rec, plain = pipe.process(path), pipe.process(seed_paths()[4])
    assert {k: c.value for k, c in rec.cells.items()} == {k: c.value for k, c in plain.cells.items()}
    assert any("<table>标签" in rec.text[ln.start:ln.end] for ln in rec.lines)


def test_a_page_layout_table_in_a_text_stays_text():
    from nlp.read.grids import text_with_tables

    nested = "<table><tr><td><table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>\n正文"
    assert text_with_tables(nested, "a.md") == [nested]


_GRID = """\
## 三、收到和处理政府信息公开申请情况

+----------------------+--------+--------------------+------+
| （本列数据的勾稽关系 | 申请人情况                         |
| 为：…）              +--------+--------------------+------+
|                      | 自然人 | 法人或其他组织     | 总计 |
|                      |        +----------+---------+      |
|                      |        | 商业企业 | 其他    |      |
+======================+========+==========+=========+======+
| 一、本年新收政府信息 | 12     | 3        | 0       | 15   |
| 公开申请数量         |        |          |         |      |
+----------+-----------+--------+----------+---------+------+
| 三、本年 | （一）予  | 4      | 1        | 0       | 5    |
| 度办理结 | 以公开    |        |          |         |      |
| 果       +-----------+--------+----------+---------+------+
|          | （二）部  | 2      | 0        | 0       | 2    |
|          | 分公开    |        |          |         |      |
+----------+-----------+--------+----------+---------+------+
"""


def test_a_pandoc_grid_table_is_read_as_its_grid():
    """pandoc writes a Word report's tables to Markdown as grid tables: a cell's words wrap
    over lines, partial borders draw row spans, and a Chinese character is two columns
    wide. Each row is the cells' joined text, a spanned cell's in its first row."""
    from nlp.read.grids import text_with_grid_tables

    title, grid, *rest = text_with_grid_tables(_GRID)
    assert title.startswith("## 三、") and not "".join(rest).strip()
    assert grid[0][0] == "（本列数据的勾稽关系为：…）" and grid[0][2] == "申请人情况"
    assert grid[1] == ["", "", "自然人", "法人或其他组织", "", "总计"]
    assert grid[3] == ["一、本年新收政府信息公开申请数量", "", "12", "3", "0", "15"]
    assert grid[4] == ["三、本年度办理结果", "（一）予以公开", "4", "1", "0", "5"]
    assert grid[5] == ["", "（二）部分公开", "2", "0", "0", "2"]


def test_a_markdown_file_with_grid_tables_reads_its_cells(tmp_path):
    path = tmp_path / "grid.md"
    path.write_text("信川县某局2023年政府信息公开工作年度报告\n" + _GRID, encoding="utf-8")
    from nlp.pipeline import Pipeline
    from conftest import MODELS

    rec = Pipeline.load(MODELS).process(path)
    assert rec.cells["requests.new.natural"].value == 12 and rec.cells["requests.new.total"].value == 15
    assert rec.cells["requests.partial.natural"].value == 2


def test_a_report_given_as_text_reads_its_markdown_tables_as_its_file_does(tmp_path):
    """Pipeline.process_text reads a report's string as a .txt file of it is read: the HTML
    tables of its Markdown too (a corpus record's text, document_from_text, stays as written)."""
    from nlp.pipeline import Pipeline, document_from_text
    from conftest import MODELS

    text = _markdown(4, True)
    path = tmp_path / "seed.md"
    path.write_text(text, encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    as_text, as_file = pipe.process_text(text, "seed"), pipe.process(path)
    assert {k: c.value for k, c in as_text.cells.items()} == {k: c.value for k, c in as_file.cells.items()}
    assert len(as_file.cells) >= 200
    assert document_from_text(text).text.count("<table>") == text.count("<table>")


def test_a_grid_padded_by_characters_or_with_a_plus_in_a_cell_is_still_its_grid():
    """Tools that pad by character count put the | off pandoc's display columns; a + in a
    cell's words is no column edge; a ragged drawing is no grid and stays text."""
    from nlp.read.grids import text_with_grid_tables

    rule = "+" + "-" * 10 + "+" + "-" * 8 + "+"
    by_chars = "\n".join([rule, "| " + "信息内容".ljust(9) + "| " + "本年制发件数".ljust(7) + "|", rule,
                          "| " + "规章".ljust(9) + "| " + "0".ljust(7) + "|", rule])  # padded by len()
    assert text_with_grid_tables(by_chars) == [[["信息内容", "本年制发件数"], ["规章", "0"]]]
    plus = "+--------------+------+\n| 新收+结转    | 5    |\n+--------------+------+"
    assert text_with_grid_tables(plus) == [[["新收+结转", "5"]]]
    ragged = "+------+----+\n| 规章 | 0  |\n| 文件 | 1 |\n+------+----+"
    assert text_with_grid_tables(ragged) == [ragged]


def test_a_grid_drawing_wider_than_any_report_table_stays_text_and_costs_little():
    import time
    from nlp.read.grids import text_with_grid_tables

    wide = "+" + "-+" * 10_000 + "\n" + "| a |\n" * 5_000 + "+---+"
    start = time.process_time()
    assert text_with_grid_tables(wide) == [wide]
    assert time.process_time() - start < 5  # (quadratic, it took minutes and a gigabyte)


def _boxed(drawing: str) -> str:
    """An ASCII grid drawn as a terminal browser draws it (w3m -dump, elinks -dump): ─ and │
    for its lines, and at every + the corner or junction its neighbours call for."""
    lines = drawing.split("\n")

    def at(r: int, c: int) -> str:
        return lines[r][c] if 0 <= r < len(lines) and 0 <= c < len(lines[r]) else " "

    junctions = {(False, True, False, True): "┌", (False, True, True, False): "┐", (True, False, False, True): "└",
                 (True, False, True, False): "┘", (True, True, False, True): "├", (True, True, True, False): "┤",
                 (False, True, True, True): "┬", (True, False, True, True): "┴", (True, True, True, True): "┼"}
    out = []
    for r, line in enumerate(lines):
        row = []
        for c, ch in enumerate(line):
            if ch == "+":
                key = (at(r - 1, c) in "|+", at(r + 1, c) in "|+", at(r, c - 1) in "-+", at(r, c + 1) in "-+")
                row.append(junctions.get(key, "┼"))
            else:
                row.append({"-": "─", "|": "│"}.get(ch, ch))
        out.append("".join(row))
    return "\n".join(out)


def _drawn(rows: list[list[str]]) -> str:
    """A table's rows drawn as an ASCII grid with every row closed, padded by display width."""
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

    n = max(map(len, rows))
    rows = [r + [""] * (n - len(r)) for r in rows]
    widths = [max(width(r[k]) for r in rows) + 2 for k in range(n)]
    rule = "+" + "+".join("-" * w for w in widths) + "+"
    body = ["|" + "|".join(" " + c + " " * (w - width(c) - 1) for c, w in zip(r, widths)) + "|" for r in rows]
    return "\n".join(x for line in body for x in (rule, line)) + "\n" + rule


def test_a_table_drawn_in_box_characters_is_read_as_its_grid():
    """w3m and elinks dump a web page's tables drawn with box characters (┌─┬─┐ │ ├─┼─┤):
    read as the same drawing in ASCII, wrapped cells and row spans alike (0 of 1,193 cells
    were read from such dumps of the seeds, and their rows read as narrative figures)."""
    from nlp.read.txt import text_blocks

    boxed = _boxed(_GRID)
    assert "┌" in boxed and "┼" in boxed and "│" in boxed and "+" not in boxed
    assert text_blocks(boxed) == text_blocks(_GRID)


def test_a_report_dumped_by_a_terminal_browser_reads_its_cells_as_the_plain_report(tmp_path):
    from nlp.pipeline import Pipeline, document_from_text
    from conftest import MODELS, seed_paths

    seed = seed_paths()[4]
    plain = document_from_text(seed.read_text(encoding="utf-8"), seed.name)
    lines = plain.text.split("\n")
    for table in sorted(plain.tables, key=lambda t: -t.line_start):  # from the last: line numbers hold
        lines[table.line_start:table.line_end] = [_boxed(_drawn(table.rows))]
    dumped = tmp_path / "dump.txt"
    dumped.write_text("\n".join(lines), encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    want, got = pipe.process(str(seed), "seed"), pipe.process(str(dumped), "dump")
    assert len(want.cells) >= 200
    assert {k: c.value for k, c in got.cells.items()} == {k: c.value for k, c in want.cells.items()}
    assert [(f.type, f.indicator) for f in got.findings] == [(f.type, f.indicator) for f in want.findings]


def test_markdown_escapes_are_the_characters_they_escape(tmp_path):
    """Converters escape a row label that opens a line as a list item would (mammoth, pandoc,
    html2text: 1\\.属于国家秘密): as written, every row under a group label was unread
    (mammoth's Markdown of the seeds: 67 of 200 cells). A table's cells one paragraph each,
    the labels escaped, read as the plain report's; an escaped | stays (a cell's words)."""
    import re
    from nlp.pipeline import Pipeline, document_from_text
    from nlp.read.txt import text_blocks
    from conftest import MODELS, seed_paths

    seed = seed_paths()[4]
    plain = document_from_text(seed.read_text(encoding="utf-8"), seed.name)
    in_table = {i for t in plain.tables for i in range(t.line_start, t.line_end)}
    out = []
    for i, line in enumerate(plain.text.split("\n")):
        cells = [c.strip() for c in line.split("\t") if c.strip()] if i in in_table else [line]
        out += [x for c in cells for x in (re.sub(r"^(\d+)\.", r"\1\\.", c), "")]
    path = tmp_path / "mammoth.md"
    path.write_text("\n".join(out), encoding="utf-8")
    assert "1\\.属于国家秘密" in path.read_text(encoding="utf-8")
    pipe = Pipeline.load(MODELS)
    want, got = pipe.process(str(seed), "plain"), pipe.process(str(path), "mammoth")
    assert len(want.cells) >= 200
    assert {k: c.value for k, c in got.cells.items()} == {k: c.value for k, c in want.cells.items()}
    assert text_blocks("| 新收\\|结转 | 1 |") == ["| 新收\\|结转 | 1 |"]
