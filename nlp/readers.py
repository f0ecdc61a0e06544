"""Read reports (txt, docx, html, pdf) into one :class:`~nlp.types.Document` shape.

Every reader produces a list of *blocks* — text lines and native tables (grids of
cell strings) — in reading order.  :func:`_assemble` writes them into one text
(a table row becomes a line of tab-joined cells), normalizes it
(:mod:`nlp.normalize`) and records where each table sits.  Text-layout tables
(tab rows, one cell per line, pipes) are found by :func:`nlp.layout.find_tables`
wherever no native table covers the lines.

Merged cells, one rule for every format: a merged region's text appears once, at
its top-left position; every other position it covers is ``""`` (docx
``gridSpan``/``vMerge``, html ``colspan``/``rowspan``, pdf cells pdfplumber
reports as ``None``).  Native grids are rectangular; a cell's internal line
breaks are joined without a separator (``商业<br>企业`` → ``商业企业``).

Every failure is a :class:`~nlp.errors.ReadError` (or subclass) naming the file
and the reason; nothing else escapes :func:`read`.
"""

from __future__ import annotations

import bisect
import codecs
import contextvars
import io
import re
import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Union

from nlp.errors import GovReportError, InternalError, LimitExceeded, ReadError, UnsupportedFormat
from nlp.layout import find_tables, is_heading_like
from nlp.normalize import ends_sentence, normalize
from nlp.types import Document, Table, lines_of

__all__ = ["read", "read_text", "read_bytes", "iter_paths", "decode_text", "canonical_lines", "SUFFIXES",
           "MAX_BYTES", "MAX_UNZIPPED", "MAX_PDF_PAGES", "MAX_LINES", "MAX_CHARS", "MAX_TABLE_ROWS",
           "MAX_CELLS", "MAX_ZIP_MEMBERS", "MAX_DOCX_XML", "MAX_PDF_STREAM", "MAX_PDF_INFLATED", "MAX_PDF_OPERATORS"]

SUFFIXES = {".txt": "txt", ".text": "txt", ".docx": "docx", ".html": "html", ".htm": "html",
            ".shtml": "html", ".xhtml": "html", ".pdf": "pdf"}
MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024  # a .docx that inflates beyond this is a zip bomb or all images
MAX_PDF_PAGES = 500
MAX_LINES = 200_000  # a report is a few hundred lines; beyond this the input is not a report
# Work per document is bounded by what the pipeline does in seconds: a whole report is
# 10-60 thousand characters and three template tables of a few dozen rows.
MAX_CHARS = 300_000  # characters of text (5-30 whole reports; the extractor takes ~20 µs a character)
MAX_TABLE_ROWS = 2_000  # rows of one table
MAX_CELLS = 100_000  # table cells of one document
MAX_ZIP_MEMBERS = 2_000  # a .docx has a few dozen parts (a few hundred with many images)
MAX_DOCX_XML = 32 * 1024 * 1024  # one XML part inflated: its tree takes several times this in memory
MAX_PDF_STREAM = 64 * 1024 * 1024  # one PDF stream inflated (content, font, image data)
MAX_PDF_INFLATED = 256 * 1024 * 1024  # all PDF streams of one document inflated
MAX_PDF_PAGE_CONTENT = 8 * 1024 * 1024  # a page's content streams inflated (a dense page: ~100 kB)
MAX_PDF_OPERATORS = 300_000  # drawing/text operators of one page (a dense page: a few thousand)

# A block is a text line (str) or a native table (list of rows).
Block = Union[str, list]


def _over(name: str, count: int, what: str, limit: str) -> LimitExceeded:
    """The error for ``count`` ``what`` past the limit named ``limit`` (a constant of this module).

    >>> str(_over("a.txt", 5000, "rows in one table", "MAX_TABLE_ROWS"))
    'a.txt: 5,000 rows in one table, over the limit MAX_TABLE_ROWS = 2,000'
    """
    return LimitExceeded(name, f"{count:,} {what}, over the limit {limit} = {globals()[limit]:,}", limit)


# ---------------------------------------------------------------- public API
def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to read: files as given, folders searched recursively (sorted, known suffixes).

    Hidden files and Word lock files (``~$x.docx``) inside folders are skipped, and so
    are symbolic links that lead out of the folder (a link to ``/etc/passwd`` or to
    another tree is not part of what was asked for).  A path that does not exist raises
    :class:`ReadError` when the iteration reaches it.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            found = (f for f in path.rglob("*")
                     if f.is_file() and f.suffix.lower() in SUFFIXES
                     and not any(part.startswith((".", "~$")) for part in f.relative_to(path).parts)
                     and f.resolve().is_relative_to(root))
            yield from sorted(found)
        elif path.exists():
            yield path
        else:
            raise ReadError(str(path), "no such file or directory")


def read(path: str | Path) -> Document:
    """Read one report file; raises :class:`ReadError` naming the file and the reason."""
    path = Path(path)
    name = str(path)
    fmt = _format_of(name)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReadError(name, "no such file or directory") from None
    except OSError as err:
        raise ReadError(name, f"cannot open ({err.strerror or err})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(name, "is a directory (use iter_paths to read folders)")
    if not stat.S_ISREG(st.st_mode):  # /dev/zero never ends, a FIFO blocks the run
        raise ReadError(name, "not a regular file (a device, FIFO or socket)")
    size = st.st_size
    if size > MAX_BYTES:
        raise LimitExceeded(name, f"file is {size / 2**20:.1f} MB, over the limit MAX_BYTES = {MAX_BYTES // 2**20} MB",
                            "MAX_BYTES")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as err:
        raise ReadError(name, f"cannot read ({err.strerror or err})") from None
    if len(data) > MAX_BYTES:
        raise LimitExceeded(name, f"file grew past {MAX_BYTES // 2**20} MB while read", "MAX_BYTES")
    return _read_data(data, name, fmt)


def read_bytes(data: bytes, name: str | Path) -> Document:
    """Read a report held in memory; ``name``'s suffix picks the format."""
    name = str(name)
    if len(data) > MAX_BYTES:
        raise LimitExceeded(name, f"input is {len(data) / 2**20:.1f} MB, over the limit MAX_BYTES = "
                                  f"{MAX_BYTES // 2**20} MB", "MAX_BYTES")
    return _read_data(data, name, _format_of(name))


def read_text(text: str, path: str = "<text>", format: str = "txt") -> Document:
    """A Document from an already decoded string (e.g. a corpus record's text).

    Never raises for an empty string: corpus tooling reads whatever records hold.

    >>> doc = read_text("一、总体情况\\n规章\\t0\\t0\\n规范性文件\\t1\\t1")
    >>> doc.line_texts()[0], doc.tables[0].rows[1], doc.tables[0].line_start
    ('一、总体情况', ['规范性文件', '1', '1'], 1)
    """
    return _assemble(path, format, text.split("\n"), require_text=False)


def canonical_lines(doc: Document) -> list[str]:
    """A format-independent view: narrative lines stripped, each table row as tab-joined cells.

    Blank lines, fully empty rows and trailing empty cells are dropped, so a report
    read from .txt (any layout), .docx, .html or .pdf prints the same lines.

    >>> canonical_lines(read_text("一、总体情况\\n\\n\\t规章\\n\\t0\\n\\n\\t\\n\\t\\n\\n\\t规范性文件\\n\\t2"))
    ['一、总体情况', '规章\\t0', '规范性文件\\t2']
    """
    out: list[str] = []
    texts = doc.line_texts()
    starts = {t.line_start: t for t in doc.tables}
    i = 0
    while i < len(texts):
        table = starts.get(i)
        if table is None:
            if texts[i].strip():
                out.append(texts[i].strip())
            i += 1
            continue
        for row in table.rows:
            cells = [c.strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append("\t".join(cells))
        i = max(table.line_end, i + 1)
    return out


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode a text file: BOM first, then UTF-8, GB18030, then charset-normalizer.

    >>> decode_text("政府信息公开".encode("gb18030"))
    '政府信息公开'
    >>> decode_text(codecs.BOM_UTF16_LE + "年度报告".encode("utf-16-le"))
    '年度报告'
    >>> decode_text("2023年度报告".encode("utf-16-le"))  # no byte-order mark
    '2023年度报告'
    """
    if not data:
        raise ReadError(name, "empty file")
    text = _decode_bom(data, name)
    if text is None and b"\x00" in data:
        text = _decode_utf16_unmarked(data)
        if text is None:
            raise ReadError(name, "binary file, not text (contains NUL bytes)")
    if text is None:
        text = _decode_plain(data, name)
    if _bad_ratio(text) > 0.02:
        raise ReadError(name, "binary file, not text (too many control or unknown characters)")
    return text


# ---------------------------------------------------------------- dispatch
def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix == ".doc":
        raise UnsupportedFormat(name, "legacy Word .doc is not supported; save it as .docx")
    known = ", ".join(sorted(SUFFIXES))
    raise UnsupportedFormat(name, f"unknown file type {suffix or '(no extension)'!r}; expected one of {known}")


def _read_data(data: bytes, name: str, fmt: str) -> Document:
    if not data.strip():
        raise ReadError(name, "empty file")
    readers = {"txt": _read_txt, "docx": _read_docx, "html": _read_html, "pdf": _read_pdf}
    try:
        return readers[fmt](data, name)
    except GovReportError:
        raise
    except MemoryError:
        raise LimitExceeded(name, "out of memory while reading", "memory") from None
    except Exception as err:  # a library failing on malformed input: name it, never leak it
        if _raised_in_own_code(err):  # our bug: said as such, not passed off as a bad file
            raise InternalError(name, f"govreport failed reading this {fmt} file "
                                      f"({type(err).__name__}: {err}); please report it") from err
        raise ReadError(name, f"could not read {fmt} file ({type(err).__name__}: {err})") from err


_OWN_CODE = str(Path(__file__).resolve().parent)


def _raised_in_own_code(err: BaseException) -> bool:
    """Whether the innermost frame of ``err`` is in govreport's own modules."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(Path(tb.tb_frame.f_code.co_filename).resolve()).startswith(_OWN_CODE)


# ---------------------------------------------------------------- assembly
def _clean_cell(text: str) -> str:
    """A native cell's text, normalized like the body text, one line, stripped."""
    text = re.sub(r"\s*[\r\n]+\s*", "", text).replace("\t", " ")
    return normalize(text, join_cells=False, join_breaks=False).text.strip()


def _assemble(path: str, fmt: str, blocks: list[Block], *, join_cells: bool = True,
              require_text: bool = True) -> Document:
    """Blocks → original text → normalized Document with native + layout tables."""
    lines: list[str] = []
    native: list[tuple[list[list[str]], int, int]] = []  # rows, first row line, last row line
    for block in blocks:
        if isinstance(block, str):
            lines.extend(block.split("\n"))
            continue
        rows = [[_clean_cell(c) for c in row] for row in block]
        rows = [r for r in rows if r]
        if not rows:
            continue
        first = len(lines)
        lines.extend("\t".join(r) for r in rows)
        native.append((rows, first, len(lines) - 1))
    _check_size(path, lines, native)
    original = "\n".join(lines)
    orig_starts = [0]
    for ln in lines[:-1]:
        orig_starts.append(orig_starts[-1] + len(ln) + 1)
    protect = {orig_starts[k] for _, a, b in native for k in range(a, b + 1)}
    norm = normalize(original, join_cells=join_cells, protect=protect)
    text = norm.text
    doc_lines = lines_of(text)
    starts = [ln.start for ln in doc_lines]

    def line_of(orig_line: int) -> int:
        i = bisect.bisect_left(norm.offset_map, orig_starts[orig_line])
        return max(bisect.bisect_right(starts, i) - 1, 0)

    tables = [Table(rows, line_of(a), line_of(b) + 1, "native") for rows, a, b in native]
    covered = {i for t in tables for i in range(t.line_start, t.line_end)}
    line_texts = [text[ln.start:ln.end] for ln in doc_lines]
    layout = [t for t in find_tables(line_texts) if not covered.intersection(range(t.line_start, t.line_end))]
    _check_layout_tables(path, tables + layout)
    tables.extend(layout)
    tables.sort(key=lambda t: t.line_start)
    if require_text and not text.strip():
        raise ReadError(path, "no text in document")
    return Document(path=path, format=fmt, text=text, lines=doc_lines, tables=tables,
                    original=original, offset_map=norm.offset_map)


def _check_size(path: str, lines: list[str], native: list[tuple[list[list[str]], int, int]]) -> None:
    """Characters, lines, rows and cells within the limits, before any big structure is built."""
    if len(lines) > MAX_LINES:
        raise _over(path, len(lines), "lines", "MAX_LINES")
    chars = sum(map(len, lines))
    if chars > MAX_CHARS:
        raise _over(path, chars, "characters", "MAX_CHARS")
    _check_rows(path, max((len(rows) for rows, _, _ in native), default=0))
    _check_cells(path, sum(len(r) for rows, _, _ in native for r in rows))


def _check_rows(path: str, rows: int) -> None:
    if rows > MAX_TABLE_ROWS:
        raise _over(path, rows, "rows in one table", "MAX_TABLE_ROWS")


def _check_cells(path: str, cells: int) -> None:
    if cells > MAX_CELLS:
        raise _over(path, cells, "table cells", "MAX_CELLS")


def _check_layout_tables(path: str, tables: list[Table]) -> None:
    """Text-layout tables (tab rows) found in plain text: the same row and cell limits."""
    _check_rows(path, max((len(t.rows) for t in tables), default=0))
    _check_cells(path, sum(len(r) for t in tables for r in t.rows))


# ---------------------------------------------------------------- txt
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def _decode_bom(data: bytes, name: str) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as err:
                raise ReadError(name, f"invalid {enc} text after its byte-order mark ({err.reason})") from None
    return None


def _decode_utf16_unmarked(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark (NUL bytes, but text): the byte order whose
    reading is almost all ASCII, CJK and punctuation, or None (binary)."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _common_ratio(text) >= 0.95 and any(ch.isalnum() for ch in text):
            return text
    return None


def _decode_plain(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray bad byte (a cut-off download): keep it, one U+FFFD per damage
    # point, rather than misreading the whole file as GB18030.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(8, len(text) // 200) and _looks_utf8(data):
        return text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    text = None if best is None else str(best)
    if text is None or _common_ratio(text) < 0.85:
        raise ReadError(name, "binary file, not text (no text encoding fits)")
    return text


def _common_ratio(text: str) -> float:
    """Share of characters a Chinese report is made of: ASCII, CJK ideographs and punctuation.

    Guards the charset-normalizer guess, which happily reads random bytes as Korean.

    >>> _common_ratio("政府信息公开,2023年。"), _common_ratio("세세세세")
    (1.0, 0.0)
    """
    if not text:
        return 1.0
    common = sum(1 for ch in text if ch < "\x7f" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or ch in "\xa0\xb7")
    return common / len(text)


def _looks_utf8(data: bytes) -> bool:
    """Most bytes ≥ 0x80 form valid UTF-8 sequences (GBK text almost never does)."""
    high = sum(1 for b in data if b >= 0x80)
    if not high:
        return True
    valid = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - sum(1 for b in data if b < 0x80)
    return valid >= 0.99 * high


# Whitespace, ASCII, Latin-1, CJK punctuation and ideographs, full-width ASCII: assigned,
# printable, most of any report.  Only the other characters need a category lookup.
PLAIN_TEXT = re.compile("[\t\n\r\f\v\x20-\x7e\xa0-\xff\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")


def _bad_ratio(text: str) -> float:
    """Share of characters no text file contains: controls, private use, unassigned, U+FFFD."""
    if not text:
        return 0.0
    bad = sum(1 for ch in PLAIN_TEXT.sub("", text)
              if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")
                                     and ch not in "\t\n\r\f\v"))
    return bad / len(text)


def _read_txt(data: bytes, name: str) -> Document:
    text = decode_text(data, name)
    if len(text) > MAX_CHARS:  # before splitting into lines
        raise _over(name, len(text), "characters", "MAX_CHARS")
    if text.count("\n") >= MAX_LINES:
        raise _over(name, text.count("\n") + 1, "lines", "MAX_LINES")
    return _assemble(name, "txt", text.split("\n"))


# ---------------------------------------------------------------- docx
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W_SKIP = {_W + "pPr", _W + "rPr", _W + "tcPr", _W + "trPr", _W + "tblPr", _W + "delText",
           _W + "instrText", _MC + "Fallback", _W + "footnoteReference"}


def _runs_text(el, out: list[str]) -> None:
    """Text of a paragraph-like element: w:t, tabs, breaks; skips properties and fallbacks."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _W_SKIP:
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        else:
            _runs_text(child, out)


def _docx_para(p) -> str:
    out: list[str] = []
    _runs_text(p, out)
    return "".join(out)


def _docx_cell(tc) -> str:
    """A cell's paragraphs joined without a separator (labels broken over lines)."""
    parts = []
    for p in tc.iter(_W + "p"):
        parts.append(_docx_para(p).replace("\n", ""))
    return "".join(parts)


def _val(el, tag: str) -> str | None:
    found = el.find(tag) if el is not None else None
    return None if found is None else found.get(_W + "val")


def _int_val(value: str | None, default: int, low: int = 0, high: int = 64) -> int:
    """A numeric attribute clamped to ``[low, high]``; ``default`` when absent or not a number
    (a hand-edited or generated file: never a reason to lose the document).

    >>> _int_val("3", 1), _int_val("99999999", 0), _int_val("x", 1), _int_val(None, 0), _int_val("-5", 1, 1)
    (3, 64, 1, 0, 1)
    """
    try:
        return max(low, min(int(str(value).strip()), high)) if value is not None else default
    except ValueError:
        return default


def _docx_grid(tbl, name: str) -> list[list[str]]:
    rows: list[list[str]] = []
    cells = 0
    for tr in tbl.iterchildren(_W + "tr"):
        _check_rows(name, len(rows) + 1)
        # cells skipped before the first one: clamped like gridSpan (an unclamped huge
        # value made a 36 kB file allocate gigabytes)
        row: list[str] = [""] * _int_val(_val(tr.find(_W + "trPr"), _W + "gridBefore"), 0)
        for tc in tr.iter(_W + "tc"):
            if next(tc.iterancestors(_W + "tr")) is not tr:
                continue  # a nested table's cell
            props = tc.find(_W + "tcPr")
            span = _int_val(_val(props, _W + "gridSpan"), 1, low=1)
            vmerge = props.find(_W + "vMerge") if props is not None else None
            covered = vmerge is not None and vmerge.get(_W + "val") in (None, "continue")
            row.append("" if covered else _docx_cell(tc))
            row.extend([""] * (span - 1))
        cells += len(row)
        _check_cells(name, cells)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


_CN_DIGITS = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    """Chinese counting numeral for list numbers.

    >>> [_cn_number(n) for n in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


class _Numbering:
    """Word's automatic list numbers (``一、``, ``（一）``, ``1.``) — python-docx drops them,
    and headings numbered this way would otherwise lose their number."""

    _FORMATS = {"decimal": str, "chineseCounting": _cn_number, "chineseCountingThousand": _cn_number,
                "ideographTraditional": _cn_number, "japaneseCounting": _cn_number,
                "decimalFullWidth": str, "decimalEnclosedParen": lambda n: f"({n})",
                "lowerLetter": lambda n: chr(96 + (n - 1) % 26 + 1),
                "upperLetter": lambda n: chr(64 + (n - 1) % 26 + 1)}

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, text, start)
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is auto-numbered
            return
        abstract = {}
        for ab in root.iterchildren(_W + "abstractNum"):
            lvls = {}
            for lvl in ab.iterchildren(_W + "lvl"):
                fmt, text = _val(lvl, _W + "numFmt") or "decimal", _val(lvl, _W + "lvlText") or ""
                # the number's suffix: a space stays; Word's default tab would fake a table cell
                text += " " if _val(lvl, _W + "suff") == "space" else ""
                lvls[_int_val(lvl.get(_W + "ilvl"), 0, high=9)] = (fmt, text, _int_val(_val(lvl, _W + "start"), 1, high=10_000))
            abstract[ab.get(_W + "abstractNumId")] = lvls
        for num in root.iterchildren(_W + "num"):
            self.levels[num.get(_W + "numId")] = abstract.get(_val(num, _W + "abstractNumId"), {})
        for style in document.styles.element.iterchildren(_W + "style"):
            ppr = style.find(_W + "pPr")
            numpr = ppr.find(_W + "numPr") if ppr is not None else None
            if numpr is not None and _val(numpr, _W + "numId"):
                self.style_num[style.get(_W + "styleId")] = (_val(numpr, _W + "numId"), _int_val(_val(numpr, _W + "ilvl"), 0, high=9))

    def label(self, p) -> str:
        """The list number a paragraph shows (``""`` when it has none)."""
        ppr = p.find(_W + "pPr")
        if ppr is None or not self.levels:
            return ""
        numpr = ppr.find(_W + "numPr")
        if numpr is not None:
            num_id, ilvl = _val(numpr, _W + "numId"), _int_val(_val(numpr, _W + "ilvl"), 0, high=9)
        else:
            num_id, ilvl = self.style_num.get(_val(ppr, _W + "pStyle") or "", (None, 0))
        lvls = self.levels.get(num_id or "")
        if not lvls or ilvl not in lvls:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        fmt, text, _ = lvls[ilvl]
        if fmt in ("none", "bullet"):
            return ""

        def value(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            kfmt, _, start = lvls.get(k, ("decimal", "", 1))
            render = self._FORMATS.get(kfmt, str)
            return render(counts[k] + start - 1) if 0 <= k < len(counts) else ""

        return re.sub(r"%(\d)", value, text)


def _docx_blocks(container, blocks: list[Block], numbering: _Numbering, name: str) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            blocks.append(numbering.label(child) + _docx_para(child))
            if len(blocks) > MAX_LINES:  # checked while walking: a huge body stops early
                raise _over(name, len(blocks), "paragraphs", "MAX_LINES")
        elif tag == _W + "tbl":
            blocks.append(_docx_grid(child, name))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _docx_blocks(content, blocks, numbering, name)


def _check_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs without trusting the archive's declared sizes: every member is
    inflated through a small window and counted (python-docx later reads each member in
    one piece, as large as it really inflates), and the member count is bounded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _over(name, len(infos), "members in the .docx archive", "MAX_ZIP_MEMBERS")
            declared = sum(info.file_size for info in infos)
            if declared > MAX_UNZIPPED:
                raise _zip_bomb(name, declared)
            inflated = 0
            for info in infos:
                xml = info.filename.lower().endswith((".xml", ".rels"))
                with zf.open(info) as member:
                    size = 0
                    while chunk := member.read(1 << 16):
                        size += len(chunk)
                        inflated += len(chunk)
                        if inflated > MAX_UNZIPPED:
                            raise _zip_bomb(name, inflated)
                        if xml and size > MAX_DOCX_XML:
                            raise _over(name, size, f"bytes in {info.filename}", "MAX_DOCX_XML")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError,
            RuntimeError, ValueError) as err:  # corrupt, encrypted, unknown compression
        raise ReadError(name, f"corrupt .docx ({type(err).__name__}: {err})") from None
    except zlib.error as err:
        raise ReadError(name, f"corrupt .docx (bad compressed data: {err})") from None


def _zip_bomb(name: str, size: int) -> LimitExceeded:
    return LimitExceeded(name, f".docx inflates to more than {size / 2**20:.0f} MB, over the limit MAX_UNZIPPED = "
                               f"{MAX_UNZIPPED // 2**20} MB (zip bomb or oversized media)", "MAX_UNZIPPED")


def _read_docx(data: bytes, name: str) -> Document:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(name, "corrupt or truncated .docx (not a zip archive)")
    _check_zip(data, name)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise ReadError(name, f"corrupt .docx ({type(err).__name__}: {err})") from None
    except Exception as err:  # python-docx raises package errors of its own
        raise ReadError(name, f"corrupt .docx ({type(err).__name__}: {err})") from None
    blocks: list[Block] = []
    _docx_blocks(document.element.body, blocks, _Numbering(document), name)
    return _assemble(name, "docx", blocks, join_cells=False)


# ---------------------------------------------------------------- html
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


def _html_root(tree):
    """Drop chrome everywhere, then pick the main content container if one is obvious."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in _HTML_DROP:
            el.drop_tree()
    total = _text_len(root) or 1
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el is root:
            continue
        if _CHROME.search(_attrs(el)) and _text_len(el) < 0.4 * total and el.find(".//table") is None:
            el.drop_tree()
    total = _text_len(root) or 1
    best = root
    for el in root.iter("main", "article", "div", "section", "td"):
        if el.tag in ("main", "article") or _CONTENT.search(_attrs(el)):
            if _text_len(el) >= 0.6 * total:
                best = el  # iter() is document order: later matches are deeper
    return best, _html_title(root, best)


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


def _is_layout_table(table) -> bool:
    """Page-layout tables (whole pages in one table) are walked as containers, not grids."""
    if table.find(".//table") is not None:
        return True
    return any(_text_len(c) > 300 for c in table.iter("td", "th"))


def _html_cell_text(cell) -> str:
    parts = []
    for piece in cell.itertext():
        # Whitespace with a line break is source formatting: join CJK without a space.
        parts.append(re.sub(r"[ \t\f\v]*[\r\n][ \t\r\n\f\v]*", "", piece))
    return _WS.sub(" ", "".join(parts)).strip()


def _html_grid(table, name: str) -> list[list[str]]:
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    _check_rows(name, len(rows))
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            _check_cells(name, len(grid))  # spans fill positions ahead: bounded before they grow
            while (r, c) in grid:
                c += 1
            rs = _span(cell.get("rowspan"))
            cs = _span(cell.get("colspan"))
            text = _html_cell_text(cell)
            for dr in range(rs):
                for dc in range(cs):
                    if r + dr < len(rows):
                        grid[(r + dr, c + dc)] = text if dr == dc == 0 else ""
            c += cs
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), 64))
    except ValueError:
        return 1


class _HtmlLines:
    """Collects inline text into lines; block boundaries and <br> end a line."""

    def __init__(self, name: str) -> None:
        self.name = name
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
        elif tag == "table" and not _is_layout_table(el):
            self.flush()
            grid = _html_grid(el, self.name)
            if any(any(c for c in row) for row in grid):
                self.blocks.append(grid)
        elif tag:
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
        self.add(el.tail)


def _read_html(data: bytes, name: str) -> Document:
    import lxml.html
    from lxml.etree import ParserError

    text = _html_decode(data, name)
    if len(text) > 4 * MAX_CHARS:  # markup around MAX_CHARS of text; before building a tree
        raise _over(name, len(text), "characters of markup", "MAX_CHARS")
    text = _XML_CONTROLS.sub("", re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    try:
        tree = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as err:
        raise ReadError(name, f"not an HTML document ({err})") from None
    out = _HtmlLines(name)
    body = tree.find(".//body")
    parsed_text = _text_len(body if body is not None else tree)
    content, title = _html_root(tree)
    out.walk(content)
    out.flush()
    first = next((b for b in out.blocks if isinstance(b, str)), "")
    if title and title.strip() != first.strip():
        out.blocks.insert(0, title)
    if not out.blocks and not parsed_text:  # libxml2 gave up (nesting too deep): strip tags instead
        out.blocks = _html_fallback_lines(text)
    return _assemble(name, "html", out.blocks, join_cells=False)


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


# ---------------------------------------------------------------- pdf
_PAGE_NO = re.compile(r"^[-—–]\s*\d{1,4}\s*[-—–]$|^第\s*\d+\s*页(?:\s*[,/，]?\s*共\s*\d+\s*页)?$"
                      r"|^\d{1,4}\s*/\s*\d{1,4}$")


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
    for ch in sorted(chars, key=lambda c: c["x0"]):
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


_OPENERS = "“‘(（《〈【[「『"
_CLOSERS_PUNCT = "”’)）》〉】]」』，。、；：！？,.;:!?%"


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
    finder = page.debug_tablefinder()  # its .tables are page.find_tables(); .cells has the lone boxes too
    tables = [t for t in finder.tables if len(t.rows) * max((len(r.cells) for r in t.rows), default=0) >= 2]
    boxes = [t.bbox for t in tables]
    for t in tables:
        items.append(_pdf_table(t, page_no, page.chars))
    rest = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)) if boxes else page
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
                       and not (ends_sentence(prev["text"]) and is_heading_like(it["text"]))
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
_VALUE = re.compile(r"^[\d.,%()（）+\-/—–－]+$")
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[.、．)])")


def _drop_running_lines(items: list[dict]) -> list[dict]:
    """Page headers and footers: a page's first line in the top margin (or last in the
    bottom one) whose words come again at the same height on another page.  Dropped, so
    a table running over the break is next to its continuation and the text reads on.
    (A figure that happens to end two pages is no footer: two letters at least.)"""
    seen: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for it in items:
        if it["kind"] == "line" and it["edge"] and re.search(r"[^\W\d_]{2}", it["text"]):
            seen.setdefault((it["edge"], it["text"]), []).append((it["page"], it["top"]))
    running = {k for k, at in seen.items()
               if len({p for p, _ in at}) >= 2 and max(t for _, t in at) - min(t for _, t in at) <= 3.0}
    return [it for it in items if it["kind"] != "line" or not it["edge"] or (it["edge"], it["text"]) not in running]


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


def _join_parts(head: dict, cont: dict) -> dict:
    """Table ``head`` with its continuation ``cont`` from the next page."""
    xs = sorted(head["xs"])
    for x in cont["xs"]:
        if all(abs(x - y) > 2.0 for y in xs):
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
    words = [t for t in first[:labels] if t]
    if last_shape != first_shape or not words or any(_NUMBERED.match(t) for t in words):
        return False
    if not all(wrapped[c] for c in range(labels) if first[c]):
        return False
    last = rows[-1]
    values = [[t for t in row[labels:] if t] for row in (last, first)]
    if not all(_VALUE.match(t) for side in values for t in side):
        return False
    return not (values[0] and values[1])


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
    return _assemble(name, "pdf", _pdf_blocks(items), join_cells=False)


def _pdf_items(pdf, name: str) -> list[dict]:
    if len(pdf.pages) > MAX_PDF_PAGES:
        raise _over(name, len(pdf.pages), "pages", "MAX_PDF_PAGES")
    items: list[dict] = []
    has_text = False
    chars = 0
    for no, page in enumerate(pdf.pages):
        _check_pdf_page(page, name)
        if page.chars:
            has_text = True
            chars += len(page.chars)
            if chars > MAX_CHARS:
                raise _over(name, chars, "characters", "MAX_CHARS")
            items.extend(_pdf_page_items(page, no))
        page.close()  # frees the page's parsed objects: memory stays flat on long PDFs
    if not has_text:
        raise ReadError(name, "scanned PDF, no text layer (run OCR first)")
    return items


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
            raise _over(self.name, MAX_PDF_INFLATED - self.left, "bytes of inflated PDF streams", "MAX_PDF_INFLATED")


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
                    raise _over(name, size, "bytes in one inflated PDF stream (at least)", "MAX_PDF_STREAM")
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
            raise _over(name, size, f"bytes of content on page {page.page_number}", "MAX_PDF_PAGE_CONTENT")
        operators += _count_operators(data, MAX_PDF_OPERATORS + 1 - operators)
    if operators > MAX_PDF_OPERATORS:
        raise _over(name, operators, f"operators (counted so far) on page {page.page_number}", "MAX_PDF_OPERATORS")
