"""Word .docx reports: paragraphs (with Word's automatic list numbers), tables (merged
cells by ``gridSpan``/``vMerge``), content controls; zip bombs refused before parsing."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from nlp import lexicon
from nlp.errors import LimitExceeded, ReadError
from nlp.read.common import (MAX_DOCX_XML, MAX_LINES, MAX_UNZIPPED, MAX_ZIP_MEMBERS, Block, assemble, check_cells,
                             check_rows, over)
from nlp.types import Document

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
        check_rows(name, len(rows) + 1)
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
        check_cells(name, cells)
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


_CN_DIGITS = "".join(lexicon.words("reading", "numeral_digits"))
_CN_TEN = lexicon.load("reading")["numeral_ten"]


def _cn_number(n: int) -> str:
    """Chinese counting numeral for list numbers.

    >>> [_cn_number(n) for n in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + _CN_TEN + (_CN_DIGITS[ones] if ones else "")
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
                raise over(name, len(blocks), "paragraphs", "MAX_LINES")
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
                raise over(name, len(infos), "members in the .docx archive", "MAX_ZIP_MEMBERS")
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
                            raise over(name, size, f"bytes in {info.filename}", "MAX_DOCX_XML")
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
    return assemble(name, "docx", blocks)
