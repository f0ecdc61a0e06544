"""Characters no reader can read: glyphs a PDF's fonts map to no character, and the like.

Some PDF makers embed Chinese fonts without a ToUnicode map: pdfminer (and so pdfplumber and
the text a researcher gets from ``pdfminer``'s ``extract_text``) reads such a glyph as
``(cid:17)``.  Which character it drew nobody can tell.  A PDF drawn mostly so is refused with
the reason (run OCR); a few such glyphs — a font for the digits only, say — are reported as a
``text_unreadable`` warning, each glyph once, and no figure is read from beside them.

The PDFs are a seed exported by the real LibreOffice, their fonts' ``/ToUnicode`` keys
renamed in place (same length, so the file's offsets hold): the maps are then not found, as
in a PDF written without them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MODELS, ROOT, require_tool, seed_paths
from nlp.errors import ReadError
from nlp.pipeline import Pipeline, read_document

pytestmark = pytest.mark.slow

_MAP_KEY, _NO_MAP_KEY = b"/ToUnicode", b"/ToUnicodX"
_CODE = re.compile(r"\(cid:\d+\)")


@pytest.fixture(scope="module")
def word_pdf(tmp_path_factory) -> Path:
    require_tool("soffice", "libreoffice-writer-nogui")
    from nlp.corpus.render import word_grid_pdf

    return word_grid_pdf(read_document(seed_paths()[4]), tmp_path_factory.mktemp("glyphs"), name="seed")


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline.load(MODELS)


def _without_maps(pdf: Path, out: Path, which: set[int] | None = None) -> Path:
    """``pdf`` with the ToUnicode maps of its fonts numbered ``which`` (all when None) unfound."""
    data = pdf.read_bytes()
    at = [m.start() for m in re.finditer(re.escape(_MAP_KEY), data)]
    assert at, "LibreOffice wrote no ToUnicode map: nothing to take away"
    for k, i in enumerate(at):
        if which is None or k in which:
            data = data[:i] + _NO_MAP_KEY + data[i + len(_MAP_KEY):]
    out.write_bytes(data)
    return out


def _unmapped(pdf: Path) -> tuple[int, int]:
    """(characters, of which read as glyph codes) on the PDF's pages."""
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        chars = [c["text"] for page in opened.pages for c in page.chars]
    return len(chars), sum(1 for c in chars if _CODE.fullmatch(c))


def _partly_mapped(word_pdf: Path, folder: Path) -> tuple[Path, int]:
    """The seed with one font's map taken away — the one whose glyphs are fewest but some."""
    tried = []
    for k in range(word_pdf.read_bytes().count(_MAP_KEY)):
        pdf = _without_maps(word_pdf, folder / f"font{k}.pdf", {k})
        chars, codes = _unmapped(pdf)
        if 0 < codes < chars / 2:
            tried.append((codes, pdf))
    assert tried, "no font of the seed's PDF draws fewer than half its characters"
    codes, pdf = min(tried)
    return pdf, codes


def test_a_pdf_drawn_in_unmapped_fonts_is_refused_with_the_reason(word_pdf, tmp_path):
    pdf = _without_maps(word_pdf, tmp_path / "unmapped.pdf")
    chars, codes = _unmapped(pdf)
    assert codes > chars / 2
    with pytest.raises(ReadError, match=r"map to no character .*run OCR"):
        read_document(pdf)
    # the command line: one line naming the file and the reason, a record that says it failed
    out = tmp_path / "out.jsonl"
    run = subprocess.run([sys.executable, str(ROOT / "cli.py"), "check", str(pdf), "--jsonl", str(out)],
                         capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert "unmapped.pdf" in run.stderr + run.stdout and "run OCR" in run.stderr + run.stdout
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert record["error"]["kind"] == "read_error" and "map to no character" in record["error"]["message"]


def test_a_few_unmapped_glyphs_are_read_once_each_and_reported(word_pdf, pipe, tmp_path):
    pdf, codes = _partly_mapped(word_pdf, tmp_path)
    # pdfplumber lists a glyph of several characters once per character: each is written once
    assert len(_CODE.findall(read_document(pdf).text)) == codes
    record = pipe.process(str(pdf), "partly")
    said = [f for f in record.findings if f.type == "text_unreadable"]
    assert len(said) == 1 and said[0].severity == "warning" and f"{codes} " in said[0].message
    assert record.error is None


def test_no_figure_is_read_from_beside_a_glyph_code(pipe, tmp_path):
    """pdfminer's text of a PDF whose digits' font has no map: the figures' digits are codes."""
    text = ("信川市教育局2023年政府信息公开工作年度报告\n一、总体情况\n"
            "2023年，我局主动公开政府信息(cid:17)(cid:18)条，政务新媒体阅读量(cid:19)万余人次，"
            "发布解读材料1(cid:20)篇，全年未收取信息处理费。\n")
    path = tmp_path / "pdfminer.txt"
    path.write_text(text, encoding="utf-8")
    record = pipe.process(str(path), "pdfminer")
    assert [f.text for f in record.facts if f.label != "ZERO"] == []  # 条, 万余人次, 1…篇 all beside a code
    assert [f.text for f in record.facts if f.label == "ZERO"] == ["未收取信息处理费"]
    said = [f for f in record.findings if f.type == "text_unreadable"]
    assert len(said) == 1 and "4 " in said[0].message and "(cid:17)" in said[0].message
    # the same report without the codes reads its figures: the guard is the codes, not the words
    plain = tmp_path / "plain.txt"
    plain.write_text(_CODE.sub("5", text), encoding="utf-8")
    assert len([f for f in pipe.process(str(plain), "plain").facts if f.label != "ZERO"]) == 3


def test_undecodable_bytes_are_reported_and_a_pages_icons_are_not(pipe, tmp_path):
    """A text file with a few bytes no encoding decodes (read as U+FFFD): the same warning,
    naming the code point; a figure whose unit the damage follows (34件\ufffd: a lost 。) is
    whole and read. A web page's private-use characters are its icon font's (首页, 搜索):
    no words lost, no warning."""
    seed = seed_paths()[0].read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    data = seed.encode("utf-8")
    cut = data.index("。".encode("utf-8")) + 3
    broken.write_bytes(data[:cut] + b"\xff" + data[cut:])
    said = [f for f in pipe.process(str(broken), "broken").findings if f.type == "text_unreadable"]
    assert len(said) == 1 and "U+FFFD" in said[0].message
    lost_stop = tmp_path / "lost_stop.txt"
    lost_stop.write_text(seed.replace("188条，", "188条\ufffd"), encoding="utf-8")
    assert "188条" in [f.text for f in pipe.process(str(lost_stop), "lost").facts]
    icons = tmp_path / "icons.txt"
    icons.write_text("\ue60c 首页 \ue6a0 搜索\n" + seed + "\n\ue62f 返回顶部\n", encoding="utf-8")
    assert not [f for f in pipe.process(str(icons), "icons").findings if f.type == "text_unreadable"]
    assert not [f for f in pipe.process(str(seed_paths()[0]), "seed").findings if f.type == "text_unreadable"]
