"""Renderers: real Word tables, html with chrome, ruled PDF tables, txt layouts."""

from __future__ import annotations

import pytest

from conftest import seed_paths
from nlp.normalize.layout import find_tables
from nlp.pipeline import document_from_text, read_document
from nlp.corpus.render import (Paragraph, TableBlock, blocks_from_document, merge_runs, render_docx,
                        render_html, render_pdf, render_txt)

BLOCKS = [
    Paragraph("二、主动公开政府信息情况"),
    TableBlock([["第二十条第(一)项"], ["信息内容", "本年新\n制作数量", "现行有效件数"], ["规章", "", "3"]]),
    Paragraph("三、收到和处理政府信息公开申请情况"),
]
GRID = [["第二十条第(一)项"], ["信息内容", "本年新制作数量", "现行有效件数"], ["规章", "", "3"]]


def trimmed(rows):
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        if row:
            out.append(row)
    return out


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipe"])
def test_txt_layouts_read_back(layout):
    text = render_txt(BLOCKS, layout)
    doc = document_from_text(text)
    (table,) = doc.tables
    assert trimmed(table.rows) == GRID
    assert [ln for ln in doc.line_texts() if ln and "\t" not in ln and "|" not in ln][0] == "二、主动公开政府信息情况"
    lines = text.split("\n")
    assert find_tables(lines)[0].line_start == 2


def test_cells_layout_writes_broken_label_as_continuation():
    text = render_txt(BLOCKS, "cells")
    assert "\t本年新\n制作数量\n" in text and "\t\n" in text


def test_txt_unknown_layout():
    with pytest.raises(ValueError, match="unknown txt layout"):
        render_txt(BLOCKS, "columns")


def test_blocks_from_seed_document():
    seed = seed_paths()[0]
    doc = read_document(seed)
    blocks = blocks_from_document(doc)
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    assert [t.rows for t in tables] == [t.rows for t in doc.tables]
    assert paragraphs[0].text.startswith("孟津区卫生健康委员会")
    assert paragraphs[-1].text == "本年度无其他需要报告的事项。"
    assert not any("\t" in p.text for p in paragraphs)


def test_docx_has_real_word_tables(tmp_path):
    import docx

    path = render_docx(BLOCKS, tmp_path / "r.docx", merge=True)
    document = docx.Document(str(path))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    assert len(table.rows) == 3 and len(table.columns) == 3
    assert b"gridSpan" in table._tbl.xml.encode()  # row 0 merged over three columns
    assert [p.text for p in document.paragraphs] == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    assert trimmed(read_document(path).tables[0].rows) == GRID


def test_html_page_has_chrome_and_tables(tmp_path):
    import lxml.html

    path = render_html(BLOCKS, tmp_path / "r.html", title="某局2023年报告", merge=True)
    page = path.read_text(encoding="utf-8")
    for chrome in ("<nav", "breadcrumb", "版权所有", "ICP备", "<footer", "<script"):
        assert chrome in page
    tree = lxml.html.fromstring(page)
    assert len(tree.findall(".//table")) == 1
    assert tree.xpath("//td[@colspan='3']")
    assert "<br>" in page  # the broken label
    assert trimmed(read_document(path).tables[0].rows) == GRID


def test_pdf_has_ruled_tables_and_cjk_text(tmp_path):
    import pdfplumber

    path = render_pdf(BLOCKS, tmp_path / "r.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        assert page.find_tables(), "grid lines must make a ruled table"
        assert "主动公开政府信息情况" in page.extract_text()
        assert any("STSong" in c["fontname"] for c in page.chars)
    assert trimmed(read_document(path).tables[0].rows) == GRID


def test_merge_runs_keeps_grid_under_reader_rule():
    row = ["(本列数据)", "", "申请人情况", "", "", "总计", ""]
    rebuilt = []
    for start, span in merge_runs(row):
        rebuilt += [row[start]] + [""] * (span - 1)
    assert rebuilt == row
