"""Read tables 2, 3 and 4 of an annual report onto the canonical indicator grid.

The template is fixed, so parsing is *alignment*, not table understanding: the
lines of each table's region become a stream of tokens (row/column labels, numbers,
blank cells), labels are matched fuzzily against the registry's labels, and the
numbers that follow a row label are assigned in the template's column order.  The
same code reads every text layout (tab rows, one cell per line, pipe rows with or
without outer pipes, space-separated pdf text) and native grids from docx/html/pdf
(``Document.tables`` with ``source="native"``).  Only ``Document.lines`` are needed.

When a row cannot be placed with confidence its cells are reported as *doubtful*
(and missing) — never guessed.  A few repairs are made only when the table's own
arithmetic proves them (a number split across two cells by pdf extraction).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations, product

from nlp.identities import check_identities, label_of
from nlp.indicators import INDICATORS, identities_for, ids_for_template, registry
from nlp.numbers import MAX_DIGITS
from nlp.runon import RUN_VALUE, Piece, pieces_of, splits
from nlp.types import Cell, Document, Finding, Line, Table

__all__ = ["TableResult", "parse_tables", "detect_template", "parse_value", "label_core", "TABLE_SECTIONS"]

TABLE_SECTIONS = {2: "active", 3: "requests", 4: "review"}

# ---------------------------------------------------------------- values
_BLANK_MARKS = frozenset({"", "/", "-", "--", "—", "——", "–", "－", "无", "空", "\\", "─", "一"})
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:件|个|项|条|次|人次|万元|元|%)?$")


@lru_cache(maxsize=65536)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\f", "").strip()


@lru_cache(maxsize=16384)  # cells ("0", "/", row labels) repeat within and across reports
def parse_value(raw: str) -> tuple[str, float | int | None]:
    """Classify one cell: ``("num", value)``, ``("blank", None)`` or ``("text", None)``.

    >>> parse_value("2,954"), parse_value("１２"), parse_value(" 0 "), parse_value("3.5")
    (('num', 2954), ('num', 12), ('num', 0), ('num', 3.5))
    >>> parse_value("/"), parse_value("—"), parse_value("无"), parse_value("")
    (('blank', None), ('blank', None), ('blank', None), ('blank', None))
    >>> parse_value("-3"), parse_value("规章"), parse_value("1 2"), parse_value("2 954")
    (('num', -3), ('text', None), ('text', None), ('num', 2954))
    >>> parse_value("1234567890123456")  # more than 15 digits: no figure
    ('text', None)
    """
    s = _nfkc(raw)
    if re.search(r"\d\s+\d", s) and not re.fullmatch(r"[+-]?\d{1,3}(?: \d{3})+(?:\.\d+)?", s):
        return "text", None  # "1 2": two cells run together, not the number 12
    s = re.sub(r"\s+", "", s)
    if s in _BLANK_MARKS:
        return "blank", None
    m = _NUMBER.match(s)
    if not m:
        return "text", None
    sign, whole, frac = m.groups()
    digits = whole.replace(",", "")
    if len(digits) > MAX_DIGITS:  # a serial number or a digit run, no figure (never a huge int)
        return "text", None
    if frac:
        return "num", float(sign + digits + frac)
    return "num", int(sign + digits)


# ---------------------------------------------------------------- labels
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|[(]\s*[一二三四五六七八九十\d]+\s*[)]|\d+\s*[.、)](?!\d))\s*")


def _label_note() -> re.Pattern:
    from importlib import resources

    from nlp.types import loads_yaml
    data = loads_yaml(resources.files("nlp").joinpath("data/lexicon/layout.yaml").read_text(encoding="utf-8"))
    return re.compile(data["label_note"])


_LABEL_NOTE = _label_note()


@lru_cache(maxsize=65536)
def label_core(text: str) -> str:
    """A label reduced for matching: NFKC, numbering and punctuation/spaces removed.

    >>> label_core("（三）不予公开"), label_core("1. 属于国家秘密"), label_core("3、危及“三安全一稳定”")
    ('不予公开', '属于国家秘密', '危及三安全一稳定')
    >>> label_core("结果 维持"), label_core("三、(一)予以公开"), label_core("规范性文件（指有文号的文件）")
    ('结果维持', '予以公开', '规范性文件')
    """
    s = _LABEL_NOTE.sub("", _nfkc(text))
    for _ in range(3):
        t = _NUMBERING.sub("", s)
        if t == s:
            break
        s = t
    return re.sub(r"[\W_]+", "", s)


def _score(tok: str, cand: str) -> float:
    """Similarity of a label core to a candidate core (1 = same)."""
    if tok == cand:
        return 1.0
    if len(tok) >= 3 and cand.startswith(tok) and len(tok) >= 0.6 * len(cand):
        return 0.92  # cut short: 现行有效件
    if len(cand) >= 2 and tok.startswith(cand) and len(tok) <= len(cand) + 8:
        return 0.88  # extra tail: 行政许可（项）
    sm = SequenceMatcher(None, tok, cand)
    if sm.real_quick_ratio() < 0.6 or sm.quick_ratio() < 0.6:
        return 0.0  # cheap upper bounds: cannot reach any threshold used here
    return sm.ratio()


@dataclass(frozen=True)
class _Cand:
    core: str
    kind: str  # row | col | parent | extra | ignore
    id: str


_BEST_CACHE: dict[tuple[str, int, float], tuple[tuple, _Cand | None, float]] = {}


def _best(core: str, cands: tuple[_Cand, ...], threshold: float = 0.76) -> tuple[_Cand | None, float]:
    """Best candidate if clearly better than any candidate of another id (memoized: the
    candidate tuples are built once per template, labels repeat across documents)."""
    key = (core, id(cands), threshold)
    hit = _BEST_CACHE.get(key)
    if hit is None or hit[0] is not cands:
        if len(_BEST_CACHE) > 50_000:
            _BEST_CACHE.clear()
        hit = _BEST_CACHE[key] = (cands, *_best_uncached(core, cands, threshold))
    return hit[1], hit[2]


def _best_uncached(core: str, cands: tuple[_Cand, ...], threshold: float) -> tuple[_Cand | None, float]:
    if not core or len(core) > 60 or re.search(r"\d", core):
        return None, 0.0
    scored = sorted(((_score(core, c.core), c) for c in cands), key=lambda x: -x[0])
    if not scored or scored[0][0] < threshold:
        return None, scored[0][0] if scored else 0.0
    top, cand = scored[0]
    rival = next((s for s, c in scored[1:] if (c.kind, c.id) != (cand.kind, cand.id)), 0.0)
    if top < 1.0 and top - rival < 0.06:
        return None, top
    return cand, top


# ---------------------------------------------------------------- tokens
@dataclass(slots=True)
class Tok:
    """One cell as read: its text, kind, value, line, and the physical row it sat in."""

    text: str
    line: int
    kind: str  # num | blank | text | run (digits of several cells printed together)
    value: float | int | None = None
    row: int | None = None  # id of the grid/tab row when the cell shared a line/row with others
    col: int = 0  # position in that row
    cand: _Cand | None = None
    src: int = -1  # index in the unmatched stream (labels merged over two tokens keep the first)


def _mk(text: str, line: int, row: int | None, col: int) -> Tok:
    kind, value = parse_value(text)
    return Tok(text.strip(), line, kind, value, row, col)


_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}")
_PAGE_NOISE = re.compile(r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")


def _is_pipe_row(line: str) -> bool:
    """``| a | b |`` or ``a | b`` (no outer pipes); never a sentence that quotes a pipe."""
    s = line.strip()
    if "|" not in s or "\t" in line:
        return False
    if s.startswith("|") and s.count("|") >= 2:
        return True
    cells = s.split("|")
    return all(len(c.strip()) <= 60 for c in cells) and not any("。" in c for c in cells)


def _space_row(s: str) -> list[str] | None:
    """Cells of a pdf-text row whose cells are separated by spaces: a short label and
    the numbers after it (``规章 0 0 0``), or numbers only; None for anything else.

    >>> _space_row("行政规范性文件 3 1 2"), _space_row("0 0 / 0")
    (['行政规范性文件', '3', '1', '2'], ['0', '0', '/', '0'])
    >>> _space_row("(一) 予以公开 1 0"), _space_row("共收到申请 12 件"), _space_row("规章")
    (['(一) 予以公开', '1', '0'], None, None)
    >>> _space_row("结果维持 结果纠正 总计")
    ['结果维持', '结果纠正', '总计']
    >>> _space_row("(三) 不予公开 1. 属于国家秘密 0 0")
    ['(三) 不予公开', '1. 属于国家秘密', '0', '0']
    """
    parts = s.split()
    k = len(parts)
    while k > 0 and parse_value(parts[k - 1])[0] != "text":
        k -= 1
    values, label = parts[k:], " ".join(parts[:k])
    if (not values and len(parts) >= 2 and not re.search(r"[。，；,;]", s)
            and all(len(p) <= 12 and parse_value(p)[0] == "text" for p in parts)):
        cells: list[str] = []  # a header row: 结果维持 结果纠正 其他结果 …
        for part in parts:
            if cells and not label_core(cells[-1]):
                cells[-1] += " " + part  # "(一)" + "予以公开"
            else:
                cells.append(part)
        return cells
    if not values or (not label and len(values) < 2):
        return None
    labels: list[str] = []  # "（三）不予公开 1.属于国家秘密": one cell per numbered label
    for part in parts[:k]:
        if not labels or _NUMBERING.match(_nfkc(part)):
            labels.append(part)
        else:
            labels[-1] += " " + part
    if len(label) > 60 or re.search(r"[。，；]", label) or any(re.search(r"\d", label_core(x)) for x in labels):
        return None
    return labels + values


# A run-together header (行政复议行政诉讼结果维持…总计) is the longest "label" a row of
# digits follows.
_MAX_RUNON_LABEL = 160
_RUNON = re.compile(r"^(?P<label>.*?[^\d\s/—.、])(?P<values>[\d/—]*\d[\d./—]*)[#*\s]*$")  # markdown marks may trail


def _runon_row(s: str) -> tuple[str, str] | None:
    """A row label with its cells run together after it (``规章000``): (label, values).

    >>> _runon_row("行政规范性文件77132470"), _runon_row("(七)总计1000001")
    (('行政规范性文件', '77132470'), ('(七)总计', '1000001'))
    >>> _runon_row("第二十条第(八)项"), _runon_row("2021"), _runon_row("合计:12")
    (None, None, None)
    """
    m = _RUNON.match(s)
    if m is None or not RUN_VALUE.fullmatch(m.group("values")):
        return None
    label = m.group("label")
    core = label_core(label)
    if not core or re.search(r"\d", core) or len(label) > _MAX_RUNON_LABEL or re.search(r"[。，；,;:：]", label[-3:]):
        return None
    return label, m.group("values")


def _line_tokens(texts: list[str], start: int, end: int, skip: set[int]) -> list[Tok]:
    """Tokens of lines ``start..end``: tab rows and pipe rows give one token per cell
    (blank cells kept), a ``\\t<cell>`` line one token, a plain line one token; a plain
    line right after a one-cell line continues that cell's label (``商业`` + ``企业``)."""
    toks: list[Tok] = []
    prev_single = False
    for i in range(start, end):
        kind, cells = ("blank", ()) if i in skip else _line_cells(texts[i])
        if kind == "noise":  # a page number or a separator row: the cell above goes on
            continue
        if kind == "row":
            toks += [_mk(c, i, i, k) for k, c in enumerate(cells)]
        elif kind == "runon":
            toks += [_mk(cells[0], i, i, 0), Tok(cells[1], i, "run", None, i, 1)]
        elif kind == "cell":
            toks.append(_mk(cells[0], i, None, 0))
        elif kind != "blank":
            tok = _mk(cells[0], i, None, 0)
            if prev_single and kind == "label_part" and toks and toks[-1].kind == "text" and tok.kind == "text":
                toks[-1] = _mk(toks[-1].text + cells[0], toks[-1].line, None, 0)
            else:
                toks.append(tok)
        prev_single = kind == "cell"
    return toks


# A numbered label inside a cell after other words: the sub-row label printed in its
# parent's cell ("(四) 无法提供 1.本机关不掌握相关政府信息").
_INNER_NUMBERING = re.compile(r"(?<=\S)\s+(?=(?:\d{1,2}\s*[.、]|[(（][一二三四五六七八九十]{1,2}[)）])\s*[^\d\s])")


def _split_sub_labels(cells: list[str]) -> tuple[str, ...]:
    """Cells, with a parent label and its sub-row label in one cell split in two.

    >>> _split_sub_labels(["(四) 无法提供 1.本机关不掌握相关政府信息", "0"])
    ('(四) 无法提供', '1.本机关不掌握相关政府信息', '0')
    >>> _split_sub_labels(["(一) 予以公开", "1.5"])
    ('(一) 予以公开', '1.5')
    """
    out: list[str] = []
    for cell in cells:
        out += _INNER_NUMBERING.split(cell) if parse_value(cell)[0] == "text" else [cell]
    return tuple(out)


@lru_cache(maxsize=16384)  # table lines ("规章 | 0 | 0", row labels) repeat across reports
def _line_cells(raw: str) -> tuple[str, tuple[str, ...]]:
    """How one line reads in a table region, and its cells: ``blank``; ``noise`` (a page
    number, a pipe-table separator); ``row`` (pipe, tab or space-separated cells);
    ``cell`` (a ``\\t<cell>`` line); ``plain`` or, when it can continue a label broken
    over lines, ``label_part`` (one cell, the stripped line)."""
    line = raw.replace("\f", "").rstrip("\r\n")
    s = line.strip()
    if not s and "\t" not in line:
        return "blank", ()
    if _PAGE_NOISE.match(_nfkc(s)):
        return "noise", ()
    if _is_pipe_row(line):
        if _PIPE_SEP.match(s) and not re.search(r"[^\s|:\-]", s):
            return "noise", ()
        body = line.rstrip()
        body = body[1:] if body.startswith("|") else body  # outer pipes are not cells
        # A closing pipe ends the last cell ("4 |" is one cell, as pdf tools print one cell
        # per line), unless the line is only pipes (empty cells).
        body = body[:-1] if body.endswith("|") and (s.startswith("|") or s.strip("| ")) else body
        return "row", _split_sub_labels(body.split("|"))
    if "\t" in line:
        parts = line.split("\t")
        if len(parts) == 2 and not parts[0].strip():
            return "cell", (parts[1],)
        return "row", _split_sub_labels(parts)
    if (cells := _runon_row(s)) is not None:  # digits right after the label: never spaced cells
        return "runon", cells
    if (cells := _space_row(s)) is not None:
        return "row", tuple(cells)
    return ("label_part" if len(s) <= 12 and not _NUMBERING.match(_nfkc(s)) else "plain"), (s,)


def _grid_tokens(table: Table, texts: list[str], row_base: int) -> list[Tok]:
    """Tokens of a native grid; each cell's line is found by searching the table's lines."""
    toks: list[Tok] = []
    cursor = table.line_start
    end = max(table.line_end, table.line_start + 1)
    one_line_per_row = len(table.rows) == table.line_end - table.line_start
    for r, row in enumerate(table.rows):
        if one_line_per_row:  # the readers write each grid row as one text line
            cursor = table.line_start + r
        for k, cell in enumerate(row):
            line = cursor
            needle = cell.strip()
            if needle and not one_line_per_row:
                for j in range(cursor, min(end, len(texts))):
                    if needle in texts[j]:
                        line = cursor = j
                        break
            toks.append(_mk(cell, min(line, max(len(texts) - 1, 0)), row_base + r, k))
    return toks


def _tokens(doc: Document, texts: list[str], start: int, end: int) -> list[Tok]:
    """Tokens of a region, from native grids where the reader found them, else from lines."""
    natives = [t for t in doc.tables if t.source == "native" and t.line_start < end and t.line_end > start]
    skip: set[int] = set()
    pieces: list[tuple[int, list[Tok]]] = []
    for n, t in enumerate(natives):
        skip.update(range(t.line_start, t.line_end))
        pieces.append((t.line_start, _grid_tokens(t, texts, -1_000_000 * (n + 1))))
    pieces.append((start, _line_tokens(texts, start, end, skip)))
    pieces.sort(key=lambda p: p[0])
    if len(pieces) == 1:
        return pieces[0][1]
    # interleave by line so order follows the document
    out = [t for _, ts in pieces for t in ts]
    out.sort(key=lambda t: t.line)
    return out


# ---------------------------------------------------------------- regions
_HEADS = {
    2: re.compile(r"主动公开政府信息(?:的)?情况"),
    3: re.compile(r"收到和处理政府信息公开申请(?:的)?情况"),
    4: re.compile(r"政府信息公开行政复议.{0,2}行政诉讼(?:的)?情况|行政复议.{0,2}行政诉讼情况"),
}
_ANCHORS = {2: re.compile(r"第二十条第|信息内容"), 3: re.compile(r"勾稽关系|申请人情况|本年新收"),
            4: re.compile(r"^[|\s]*行政复议(?:[|\t]|$)|结果\s*维持")}
_END = re.compile(r"^\s*(?:[五六七八九]\s*[、.]|[(（][五六七八九][)）])|存在的主要问题|其他需要报告的事项")


def _heading_text(text: str) -> str | None:
    """The line's text if it can be a table heading (short, no cell separators)."""
    if "\t" in text or len(text) > 60:
        return None
    s = _nfkc(text)
    return s if len(s) <= 40 and "|" not in s else None


def _is_t3_label(text: str) -> bool:
    """A table-3 label on a line of its own ((五)不予处理), which does not end table 3."""
    return _best(label_core(text), _t3_cands("2021")[1])[0] is not None


_MARKUP = re.compile(r"^[\s#*|>]*")


def _prefer_numbered(found: list[int], texts: list[str]) -> list[int]:
    """The numbered heading lines (四、…) among ``found``, when there are any: a short
    sentence can name a table's section too ("…未出现政府信息公开行政复议、行政诉讼情况。",
    a line of its own once a one-line dump is split at sentence ends), and taken for the
    heading it would end the table before it starts."""
    numbered = [i for i in found if _NUMBERING.match(_MARKUP.sub("", _nfkc(texts[i])))]
    return numbered or found


def _regions(texts: list[str], lines: list[Line] | None) -> dict[int, tuple[int, int]]:
    """Line range of each table.  A table starts at its heading (二、主动公开… /
    三、收到和处理… / 四、…行政复议、行政诉讼情况), else where the segmenter's section
    (``lines[i].section``) starts, else at its first tell-tale label; it ends where the
    next table starts, or at 五、/存在的主要问题 after the last table.  Headings come first
    because a segmenter that is off by a row would cut a table row off."""
    n = len(texts)
    heads: dict[int, int] = {}
    found: dict[int, list[int]] = {k: [] for k in _HEADS}
    for i, text in enumerate(texts):
        if (s := _heading_text(text)) is not None:
            for k, pat in _HEADS.items():
                if pat.search(s):
                    found[k].append(i)
    found = {k: _prefer_numbered(v, texts) for k, v in found.items()}
    if found[3]:
        heads[3] = found[3][-1]
    if found[2]:
        before = [i for i in found[2] if i < heads.get(3, n)]
        heads[2] = (before or found[2])[-1]
    if found[4]:
        after = [i for i in found[4] if i > heads.get(3, heads.get(2, -1))]
        heads[4] = (after or found[4])[0]
    if lines:
        for k, sec in TABLE_SECTIONS.items():
            idx = next((i for i, ln in enumerate(lines[:n]) if ln.section == sec), None)
            if k not in heads and idx is not None:
                heads[k] = idx
    for k, pat in _ANCHORS.items():
        if k not in heads:
            lo = max([heads[j] for j in heads if j < k], default=-1)
            hit = next((i for i in range(lo + 1, n) if pat.search(_nfkc(texts[i]))), None)
            if hit is not None:
                heads[k] = hit
    out: dict[int, tuple[int, int]] = {}
    order = sorted(heads.items(), key=lambda kv: kv[1])
    for pos, (k, start) in enumerate(order):
        stop = order[pos + 1][1] if pos + 1 < len(order) else n
        if pos + 1 == len(order):
            stop = next((i for i in range(start + 1, stop) if "\t" not in texts[i]
                         and "|" not in texts[i] and _END.search(_nfkc(texts[i]))
                         and not _is_t3_label(texts[i])), stop)
        out[k] = (start, stop)
    return out


# ---------------------------------------------------------------- candidates from the registry
@lru_cache(maxsize=None)
def _t2_cands(template: str) -> tuple[_Cand, ...]:
    spec = registry().raw["table2"][template]
    out = []
    for r in spec["rows"]:
        out += [_Cand(label_core(x), "row", r["id"]) for x in [r["label"], *r.get("aliases", [])]]
    for c in spec["columns"]:
        out += [_Cand(label_core(x), "col", c["id"]) for x in [c["label"], *c.get("aliases", [])]]
    out += [_Cand(label_core(x), "ignore", x) for x in ("信息内容", "第二十条第一项", "第二十条第五项",
                                                      "第二十条第六项", "第二十条第八项", "第二十条第九项")]
    return tuple(out)


@lru_cache(maxsize=None)
def _t3_cands(template: str) -> tuple[tuple[_Cand, ...], tuple[_Cand, ...]]:
    """(header candidates, body candidates) for table 3."""
    raw = registry().raw["table3"]
    head = [_Cand(label_core(c["label"]), "col", c["id"]) for c in raw["columns"]]
    head += [_Cand(label_core(x), "col", c["id"]) for c in raw["columns"] for x in c.get("aliases", [])]
    head += [_Cand("小计", "extra", "subtotal"), _Cand("法人或其他组织小计", "extra", "subtotal"),
             _Cand("法人或其他组织", "ignore", "group"), _Cand("申请人情况", "ignore", "group")]
    body = []
    parents = set()
    for r in raw["rows"]:
        if template not in r["templates"] and not (r["id"] == "other" and template == "2021"):
            continue
        kind = "parent" if (r["id"] == "other" and template == "2021") else "row"
        for x in [r["label"], *r.get("aliases", [])]:
            body.append(_Cand(label_core(x), kind, r["id"]))
        if r.get("parent"):
            parents.add(r["parent"])
    body += [_Cand(label_core(p), "parent", p) for p in parents if label_core(p) != "其他处理"]
    body += [_Cand("本年度办理结果", "parent", "outcome"), _Cand("办理结果", "parent", "outcome")]
    return tuple(head), tuple(body)


# ---------------------------------------------------------------- result
@dataclass
class TableResult:
    """What the parser read: canonical cells with provenance, and what it could not read.

    ``cells`` — id → Cell(value, raw, line) for every cell read (value None when printed
    blank: ``/``, ``—``, ``无``, empty); ``missing_cells`` — blank, doubtful, or a gap in a
    printed table (cells of a table the document lacks, or past the end of a truncated
    document, are not listed); ``doubtful`` — id → why no value was assigned;
    ``repairs`` — id → what was repaired (a number split over two cells, proved by the
    arithmetic); ``findings`` — identity_violation / missing_cell (``nlp.identities``);
    ``regions`` — table → (first line, end line); ``found`` — the tables printed.
    """

    template: str
    cells: dict[str, Cell] = field(default_factory=dict)
    missing_cells: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    doubtful: dict[str, str] = field(default_factory=dict)
    repairs: dict[str, str] = field(default_factory=dict)
    regions: dict[int, tuple[int, int]] = field(default_factory=dict)
    found: list[int] = field(default_factory=list)  # tables (2, 3, 4) the document prints

    def values(self) -> dict[str, float | int]:
        """Stated numbers only (the corpus ``table`` field)."""
        return {k: c.value for k, c in self.cells.items() if c.value is not None}


# ---------------------------------------------------------------- label matching over a stream
def _match_labels(toks: list[Tok], cands: list[_Cand]) -> list[Tok]:
    """Give each text token its candidate; merge a label split over two tokens
    (``3.危及“三安全`` | ``一稳定”``) when the merged text matches better."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind != "text":
            out.append(t)
            i += 1
            continue
        cand, score = _best(label_core(t.text), cands)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "text" and (score < 1.0):
            merged = label_core(t.text + nxt.text)
            mcand, mscore = _best(merged, cands)
            ncand, nscore = _best(label_core(nxt.text), cands)
            if mcand is not None and mscore > score and (ncand is None or nscore < mscore):
                out.append(Tok(t.text + nxt.text, t.line, "text", None, t.row, t.col, mcand, i))
                i += 2
                continue
        t.cand, t.src = cand, i
        out.append(t)
        i += 1
    return out


def _values_after(toks: list[Tok], i: int, n: int | None = None) -> list[Tok]:
    """Value tokens (numbers, blanks) after the label at ``i``: on its own grid row when
    that row holds numbers, else up to the next text token.  A row broken over two lines
    (page break) is joined when the numbers up to the next label are exactly ``n``."""
    lab = toks[i]
    run = []
    for t in toks[i + 1:]:
        if t.kind == "text":
            break
        run.append(t)
    if lab.row is not None:
        same = [t for t in run if t.row == lab.row]
        nums = sum(t.kind == "num" for t in same)
        if nums and n is not None and nums < n and sum(t.kind == "num" for t in run) == n:
            return [t for t in run if t.kind == "num"]
        if nums:
            return same
    if n is not None and run and all(t.row is not None for t in run) and len({t.row for t in run}) > 1:
        first = [t for t in run if t.row == run[0].row]  # a label alone, then rows of values:
        if sum(t.kind == "num" for t in first) == n < sum(t.kind == "num" for t in run):
            return first  # its own row; a row after it whose label is missing is not its
    return run


def _fit(vals: list[Tok], n: int, lead: int | None, stream: bool,
         cut: bool = False) -> list[Tok | None] | None:
    """Choose the ``n`` cells of a row from its value tokens, or None when unsure.

    Blank tokens may be real blank cells or layout filler (merged cells, trailing tabs);
    they are kept only where the layout leaves no doubt."""
    if cut:  # a blank at the very end of a truncated document is a cell cut off, not blank
        while vals and vals[-1].kind == "blank":
            vals = vals[:-1]
        if not vals:
            return []
    nums = [t for t in vals if t.kind == "num"]
    if len(nums) == n:
        return nums
    if len(nums) > n:
        return None
    marked = [t for t in vals if t.kind == "num" or (t.kind == "blank" and t.text)]
    if len(marked) == n:  # a printed blank mark (/, —) is a cell; empty positions may be filler
        return marked
    if lead is not None:  # this table's clean rows say where the first cell sits
        window = vals[lead:lead + n]
        if window and all(any(t is w for w in window) for t in nums):
            return window + [None] * (n - len(window))
        return None
    if len(vals) == n:
        return vals
    if cut and stream and 0 < len(vals) < n:
        return vals + [None] * (n - len(vals))  # the document stops inside this row
    if len(vals) > n and (stream or vals[0].kind == "num"):
        window = vals[:n]
        if all(t in window for t in nums) and all(t.kind == "blank" for t in vals[n:]):
            return window
    return None


def _alone(label: Tok, vals: list[Tok]) -> bool:
    """The label stands alone — on its own line or in a row of its own — and its values
    follow it as a stream (one cell per line, pipes or not)."""
    return label.row is None or not any(v.row == label.row for v in vals)


def _merge_split(nums: list[Tok], n: int) -> list[list[Tok]]:
    """Candidate rows of ``n`` cells when one number was split into two cells ("1" | "2")."""
    out = []
    if len(nums) != n + 1:
        return out
    for k in range(len(nums) - 1):
        a, b = nums[k], nums[k + 1]
        if not (isinstance(a.value, int) and isinstance(b.value, int) and a.value > 0 and b.value >= 0):
            continue  # a split number never starts with 0
        digits = re.sub(r"\D", "", _nfkc(a.text)) + re.sub(r"\D", "", _nfkc(b.text))
        m = Tok(f"{a.text}|{b.text}", a.line, "num", int(digits), a.row, a.col)
        out.append(nums[:k] + [m] + nums[k + 2:])
    return out


class _Reader:
    """Collects cells, doubtful ids and repairs while tables are read."""

    def __init__(self) -> None:
        self.cells: dict[str, Cell] = {}
        self.doubtful: dict[str, str] = {}
        self.repairs: dict[str, str] = {}
        self.conflicts: set[str] = set()
        self.floated: list[str] = []  # rows whose label sat below its values (placed by order)
        self.narrative: Callable[[], list[str]] = list  # sentences outside the tables, on demand

    def put(self, cid: str, tok: Tok | None) -> None:
        if tok is None or cid in self.conflicts:
            return
        cell = Cell(tok.value if tok.kind == "num" else None, tok.text, tok.line)
        old = self.cells.get(cid)
        if old is not None:
            if old.value != cell.value:  # two rows read as the same row: trust neither
                self.conflicts.add(cid)
                del self.cells[cid]
                self.doubtful[cid] = f"两处读到不同的值: {old.raw or '∅'} (第{old.line}行) / {cell.raw or '∅'} (第{cell.line}行)"
            return
        self.cells[cid] = cell
        self.doubtful.pop(cid, None)

    def doubt(self, ids: list[str], why: str) -> None:
        for cid in ids:
            if cid not in self.cells:
                self.doubtful.setdefault(cid, why)


def _learn_leads(toks: list[Tok], rows_n: dict[int, int]) -> dict[int, int]:
    """For grid rows that read cleanly: blanks between the label cell and the first number,
    by the label's column (how this table's merged cells shift the numbers)."""
    leads: dict[int, Counter] = {}
    for i, t in enumerate(toks):
        n = rows_n.get(i)
        if n is None or t.row is None:
            continue
        vals = _values_after(toks, i)
        nums = [v for v in vals if v.kind == "num"]
        if len(nums) == n and nums and vals[0].row == t.row:
            leads.setdefault(t.col, Counter())[vals.index(nums[0])] += 1
    return {c: cnt.most_common(1)[0][0] for c, cnt in leads.items()}


def _lead_for(toks: list[Tok], i: int, leads: dict[int, int]) -> int | None:
    t = toks[i]
    if t.row is None:
        return None
    if t.col in leads:
        return leads[t.col]
    if leads and len(set(leads.values())) == 1:
        return next(iter(leads.values()))
    return None


# ---------------------------------------------------------------- labels floated off their values
def _float_labels(toks: list[Tok], rd: _Reader, n_of, prefix: str) -> list[Tok]:
    """Row labels a PDF tool printed on a line of their own *below* their values: a row
    label followed by no values, after a line of values that the label before them does
    not need (it has its own line of values first, or it is no row label), takes that line
    — the row is placed by the template's order, and the placement is noted in
    ``rd.repairs``.  Only physical rows (pipe, tab or spaced rows) move, never the cells
    of a one-cell-per-line table."""
    toks = list(toks)
    value_lines = {t.line for t in toks if t.kind != "text"}
    i = 0
    while i < len(toks):
        t = toks[i]
        after = toks[i + 1] if i + 1 < len(toks) else None
        if (t.cand is None or t.cand.kind != "row" or t.line in value_lines
                or (after is not None and after.kind != "text")):
            i += 1
            continue
        head = i  # a parent label printed on the label's line (三、本年度办理结果 (一) 予以公开) goes with it
        while head > 0 and toks[head - 1].line == t.line:
            head -= 1
        j = head
        while j > 0 and toks[j - 1].kind != "text":
            j -= 1
        before = toks[j:head]
        lines = sorted({v.line for v in before})
        if not before or any(v.row is None for v in before):  # one cell per line: never moved
            i += 1
            continue
        prev = toks[j - 1] if j > 0 else None
        prev_is_row = prev is not None and prev.cand is not None and prev.cand.kind == "row"
        if prev_is_row and len(lines) < 2:
            i += 1
            continue
        take = [v for v in before if v.line == lines[-1]] if prev_is_row else before
        if not any(v.kind in ("num", "run") for v in take) or sum(v.kind == "num" for v in take) > n_of(t.cand.id):
            i += 1
            continue
        start = head - len(take)
        toks[start:i + 1] = [*toks[head:i + 1], *take]
        rd.floated.append(f"{prefix}.{t.cand.id}.")
        i += 1
    return toks


# ---------------------------------------------------------------- cells run together
# Candidate splits kept for a row whose 总计 does not settle it (the table's column
# identities may still do).
_RUN_CANDIDATES = 12


def _has_run(vals: list[Tok]) -> bool:
    return any(v.kind == "run" for v in vals)


def _run_splits(vals: list[Tok], n: int, forced=None) -> list[tuple]:
    """Ways of reading a row's value tokens, some run together, as its ``n`` cells: under
    the row's arithmetic (``forced``) when it has any; when the printed numbers break
    that arithmetic, the split the digits allow on their own, if it is the only one."""
    pieces: list[Piece] = []
    for v in vals:
        if v.kind == "run":
            pieces += pieces_of(v.text)
        else:
            pieces.append(Piece(value=v.value if v.kind == "num" else None))
    found = splits(pieces, n, forced, _RUN_CANDIDATES if forced else 2)
    if forced is not None and not found:
        free = splits(pieces, n, None, 2)
        return free if len(free) == 1 else []
    return found


def _run_toks(values: tuple, vals: list[Tok]) -> list[Tok]:
    line, row = vals[0].line, vals[0].row
    return [Tok("" if v is None else str(v), line, "num" if v is not None else "blank", v, row, k)
            for k, v in enumerate(values)]


def _run_note(vals: list[Tok], values: tuple) -> str:
    printed = "".join(v.text for v in vals)
    return f"连写数字 {printed} 唯一拆分为 {' | '.join('∅' if v is None else str(v) for v in values)}"


def _narrative_sentences(texts: list[str], regions: dict[int, tuple[int, int]]) -> list[str]:
    """Sentences of the lines outside every table region."""
    inside = {i for a, b in regions.values() for i in range(a, b)}
    out: list[str] = []
    for i, text in enumerate(texts):
        if i not in inside and "\t" not in text and "|" not in text:
            out += [x for x in re.split(r"[。;；!?！？]", text) if x.strip()]
    return out


_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]|\s*[年月日号])")


def _named_figures(rd: _Reader, row_labels: list[str]) -> set[float]:
    """Numbers printed in a narrative sentence that names the row (规范性文件 … 3件)."""
    cores = [label_core(x) for x in row_labels if len(label_core(x)) >= 2]
    out: set[float] = set()
    for sentence in rd.narrative():
        flat = re.sub(r"\s+", "", sentence)
        if any(c in flat for c in cores):
            out |= {float(m.group(1)) for m in _FIGURE.finditer(flat)}
    return out


def _by_narrative(found: list[tuple], figures: set[float]) -> tuple | None:
    """The one split whose every cell the narrative prints in a sentence naming the row."""
    named = [f for f in found if all(v is not None and float(v) in figures for v in f)]
    return named[0] if len(named) == 1 else None


def _put_run_row(rd: _Reader, ids: list[str], vals: list[Tok], forced=None,
                 labels: list[str] | None = None) -> None:
    found = _run_splits(vals, len(ids), forced)
    note = ""
    if len(found) > 1 and labels:
        every = _run_splits_all(vals, len(ids), forced)
        pick = _by_narrative(every, _named_figures(rd, labels)) if every else None
        if pick is not None:
            found, note = [pick], " (每格数字见于叙述)"
    if len(found) != 1:
        printed = "".join(v.text for v in vals)
        rd.doubt(ids, f"连写数字 {printed} 无法唯一拆分为 {len(ids)} 格 ({'多种' if found else '没有'}拆法)")
        return
    for cid, tok in zip(ids, _run_toks(found[0], vals)):
        rd.put(cid, tok)
        rd.repairs[cid] = _run_note(vals, found[0]) + note


# Splits enumerated when the narrative is to pick one (a row of a few cells has few).
_NARRATIVE_SPLITS = 400


def _run_splits_all(vals: list[Tok], n: int, forced=None) -> list[tuple]:
    pieces: list[Piece] = []
    for v in vals:
        pieces += pieces_of(v.text) if v.kind == "run" else [Piece(value=v.value if v.kind == "num" else None)]
    found = splits(pieces, n, forced, _NARRATIVE_SPLITS + 1)
    return found if len(found) <= _NARRATIVE_SPLITS else []


def _t3_row_sum(cells: list) -> int | float | None:
    """The 总计 cell must print the sum of the six applicant cells before it."""
    if len(cells) == 6 and None not in cells:
        return sum(cells)
    return None


def _t4_group_sum(cells: list) -> int | float | None:
    k = len(cells)
    if k % 5 == 4 and None not in cells[k - 4:]:
        return sum(cells[k - 4:])
    return None


def _consistent(assign: dict[str, float | int | None], known: dict[str, Cell], template: str) -> bool:
    """No identity of the template that the candidate completes is broken by it."""
    for ident in identities_for(template):
        ids = ident.lhs + ident.rhs
        if not any(i in assign for i in ids):
            continue
        vals = [assign[i] if i in assign else (known[i].value if i in known else None) for i in ids]
        if None in vals:
            continue
        lhs = sum(vals[:len(ident.lhs)])
        if abs(lhs - sum(vals[len(ident.lhs):])) > 1e-6:
            return False
    return True


# Combinations of open rows' splits tried together at most (each is one identity check).
_MAX_COMBINATIONS = 20_000


def _settle_jointly(pending: dict[str, tuple[list[tuple], list[Tok]]], cols: list[str],
                    rd: _Reader, template: str) -> None:
    """Rows still open, taken together: every combination of their splits that the column
    identities allow is kept, and a row is read when all kept combinations split it the
    same way (its split is then forced, whichever way the other rows go)."""
    rows = list(pending)
    count = 1
    for row in rows:
        count *= len(pending[row][0])
    if count > _MAX_COMBINATIONS:
        return
    ids = {row: [f"requests.{row}.{c}" for c in cols] for row in rows}
    kept = []
    for combo in product(*(pending[row][0] for row in rows)):
        assign = {cid: v for row, split in zip(rows, combo) for cid, v in zip(ids[row], split)}
        if _consistent(assign, rd.cells, template):
            kept.append(combo)
    for k, row in enumerate(rows):
        options = {combo[k] for combo in kept}
        if len(options) == 1:
            split, vals = options.pop(), pending[row][1]
            for cid, tok in zip(ids[row], _run_toks(split, vals)):
                rd.put(cid, tok)
                rd.repairs[cid] = _run_note(vals, split) + " (列勾稽关系验证)"
            del pending[row]


def _settle_run_rows(pending: dict[str, tuple[list[tuple], list[Tok]]], cols: list[str],
                     rd: _Reader, template: str) -> None:
    """Rows of table 3 whose run-together digits split more than one way under their row
    sum: the column identities (一 + 二 = (七) + 四, (七) = the result rows) remove the
    splits they break, as rows around them become known; a row is read only when one
    split is left, else its cells stay unread."""
    progress = True
    while pending and progress:
        progress = False
        for row, (cands, vals) in list(pending.items()):
            ids = [f"requests.{row}.{c}" for c in cols]
            keep = [c for c in cands if _consistent(dict(zip(ids, c)), rd.cells, template)]
            if len(keep) == 1:
                for cid, tok in zip(ids, _run_toks(keep[0], vals)):
                    rd.put(cid, tok)
                    rd.repairs[cid] = _run_note(vals, keep[0]) + " (列勾稽关系验证)"
                del pending[row]
                progress = True
            elif len(keep) < len(cands):
                pending[row] = (keep, vals)
                progress = bool(keep)
    if pending:
        _settle_jointly(pending, cols, rd, template)
    for row, (cands, vals) in pending.items():
        printed = "".join(v.text for v in vals)
        rd.doubt([f"requests.{row}.{c}" for c in cols],
                 f"连写数字 {printed} 有 {len(cands)} 种拆法, 无法唯一确定")


# ---------------------------------------------------------------- table 2
def _row_labels(template: str, row: str) -> list[str]:
    spec = next(r for r in registry().raw["table2"][template]["rows"] if r["id"] == row)
    return [spec["label"], *spec.get("aliases", [])]


def _t2_rows(template: str) -> dict[str, list[str]]:
    return registry().raw["table2"][template]["cells"]


@lru_cache(maxsize=None)
def _template_cands() -> tuple[_Cand, ...]:
    """Labels only one template prints (table 2 rows/columns), tagged with that template."""
    c21 = {c.core for c in _t2_cands("2021")} - {c.core for c in _t2_cands("2019")}
    c19 = {c.core for c in _t2_cands("2019")} - {c.core for c in _t2_cands("2021")}
    return tuple([_Cand(c, "t", "2021") for c in sorted(c21)] + [_Cand(c, "t", "2019") for c in sorted(c19)])


_ROWC = tuple(_Cand(label_core(x), "row", x) for x in ("行政许可", "行政处罚", "行政强制"))
_SUB21 = tuple(_Cand(label_core(x), "row", "2021") for x in ("申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用"))


def _template_votes(toks2: list[Tok], toks3: list[Tok]) -> Counter:
    votes: Counter = Counter()
    cands = _template_cands()
    for tok in toks2:
        if tok.kind == "text":
            cand, _ = _best(label_core(tok.text), cands, 0.8)
            if cand is not None:
                votes[cand.id] += 1
    # number of values after 行政许可 / 行政处罚 rows: 3 (2019) or 1 (2021)
    rowc = _ROWC
    for i, tok in enumerate(toks2):
        if tok.kind == "text" and _best(label_core(tok.text), rowc, 0.9)[0] is not None:
            nums = [v for v in _values_after(toks2, i) if v.kind == "num"]
            if len(nums) == 3:
                votes["2019"] += 2
            elif len(nums) == 1:
                votes["2021"] += 2
    # table 3: （六）其他处理 with its own numbers (2019) or with sub-rows 1.–3. (2021)
    sub21 = _SUB21
    for i, tok in enumerate(toks3):
        if tok.kind != "text":
            continue
        core = label_core(tok.text)
        if core == "其他处理":
            nums = [v for v in _values_after(toks3, i) if v.kind == "num"]
            votes["2019" if len(nums) >= 5 else "2021"] += 1
        elif any(core.startswith(c.core) for c in sub21):
            votes["2021"] += 1
    return votes


def _read_t2(toks: list[Tok], template: str, rd: _Reader, cut: bool = False) -> None:
    spec = _t2_rows(template)
    toks = _float_labels(_match_labels(toks, _t2_cands(template)), rd, lambda row: len(spec[row]), "active")
    rows_n = {i: len(spec[t.cand.id]) for i, t in enumerate(toks)
              if t.cand is not None and t.cand.kind == "row"}
    leads = _learn_leads(toks, rows_n)
    header: list[str] = []
    cur_cols: list[str] = []
    for i, t in enumerate(toks):
        if t.cand is None:
            continue
        if t.cand.kind == "col":
            header.append(t.cand.id)
            continue
        if t.cand.kind != "row":
            continue
        if header:
            cur_cols, header = header, []
        row, cols = t.cand.id, spec[t.cand.id]
        ids = [f"active.{row}.{c}" for c in cols]
        vals = _values_after(toks, i, len(cols))
        if not vals:
            continue
        if _has_run(vals):
            _put_run_row(rd, ids, vals, labels=_row_labels(template, row))
            continue
        got = _fit(vals, len(cols), _lead_for(toks, i, leads), _alone(t, vals),
                   cut and vals[-1] is toks[-1])
        if got is not None:
            for cid, tok in zip(ids, got):
                rd.put(cid, tok)
            continue
        nums = [v for v in vals if v.kind == "num"]
        sub = [c for c in cur_cols if c in cols]
        if sub and len(sub) < len(cols) and len(nums) == len(sub) and len(set(sub)) == len(sub):
            for c, tok in zip(sub, nums):  # header shows which columns are there
                rd.put(f"active.{row}.{c}", tok)
            continue
        only = _only_placement([v.value for v in nums], cols) if len(nums) == len(vals) else None
        if only is not None:  # blank cells dropped (one cell per line), yet only one order fits
            for c, tok in zip(only, nums):
                rd.put(f"active.{row}.{c}", tok)
            rd.doubt([f"active.{row}.{c}" for c in cols if c not in only],
                     f"{INDICATORS[ids[0]].row}: {len(nums)} 个数字, 应为 {len(cols)} 个, 缺的一格为空或丢失")
            continue
        rd.doubt(ids, f"{INDICATORS[ids[0]].row}: {len(nums)} 个数字, 应为 {len(cols)} 个 "
                      f"({' | '.join(v.text or '∅' for v in vals)})")


def _fits_column(value: float | int | None, col: str) -> bool:
    """Only 本年增/减 can be negative and only amounts (万元) can have decimals."""
    if value is None:
        return False
    if value < 0 and col != "change":
        return False
    return col == "amount" or float(value).is_integer()


def _only_placement(values: list, cols: list[str]) -> list[str] | None:
    """The columns of a short row whose blank cells were dropped, when exactly one
    order-preserving placement respects the columns' signs and decimals; else None.

    >>> _only_placement([5, -3], ["prev_items", "change", "decisions"])
    ['prev_items', 'change']
    >>> _only_placement([0, 0], ["prev_items", "change", "decisions"]) is None
    True
    >>> _only_placement([12, 3.5], ["count", "amount"]) is None  # full row: not this helper's case
    True
    """
    if not values or len(values) >= len(cols):
        return None
    fits = [list(pos) for pos in combinations(cols, len(values))
            if all(_fits_column(v, c) for v, c in zip(values, pos))]
    return fits[0] if len(fits) == 1 else None


# ---------------------------------------------------------------- table 3
_T3_COLS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
_ORG = ("commercial", "research", "nonprofit", "legal", "other_org")


def _t3_columns(head: list[Tok]) -> list[str]:
    """Column order of table 3 from its header tokens: the template order restricted to
    the columns printed, with extra columns (小计) kept in place so they can be skipped."""
    seen = [t.cand for t in head if t.cand is not None and t.cand.kind in ("col", "extra")]
    ids = [c.id for c in seen]
    cols = [c for c in _T3_COLS if c in ids]
    if len([c for c in cols if c != "total"]) < 3:
        return list(_T3_COLS)  # no usable header: assume the template
    for k, c in enumerate(seen):
        if c.kind != "extra":
            continue
        prev = next((p.id for p in reversed(seen[:k]) if p.kind == "col" and p.id in _ORG + ("natural",)), None)
        if prev is None or prev == "natural":
            pos = cols.index("commercial") if "commercial" in cols else 1
        else:
            pos = cols.index(prev) + 1
        cols.insert(pos, "extra")
    return cols


def _row_ok(vals: dict[str, float | int | None]) -> bool | None:
    """Row identity (总计 = sum of applicant columns) when every cell is present."""
    parts = [vals.get(c) for c in _T3_COLS[:-1]]
    if vals.get("total") is None or any(p is None for p in parts):
        return None
    return abs(sum(parts) - vals["total"]) < 1e-6


def _read_t3(toks: list[Tok], template: str, rd: _Reader, cut: bool = False) -> None:
    head_c, body_c = _t3_cands(template)
    col_cores = {c.core for c in head_c}
    # matching sets the text tokens' candidates: match copies of them for this first look
    matched = _match_labels([Tok(t.text, t.line, t.kind, t.value, t.row, t.col) if t.kind == "text" else t
                             for t in toks], body_c)
    first = next((t.src for t in matched if t.cand is not None and t.cand.kind == "row"
                  and label_core(t.text) not in col_cores), len(toks))
    head = _match_labels(toks[:first], head_c)
    body = _float_labels(_match_labels(toks[first:], body_c), rd, lambda row: len(_T3_COLS), "requests")
    cols = _t3_columns(head)
    rows = [i for i, t in enumerate(body) if t.cand is not None and t.cand.kind == "row"]
    counts = Counter(sum(v.kind == "num" for v in _values_after(body, i, 7)) for i in rows)
    if "extra" not in cols and len(cols) < 7 and counts and counts.most_common(1)[0][0] == 7:
        cols = list(_T3_COLS)  # a header label was lost, but the rows plainly have 7 numbers
    n = len(cols)
    rows_n = {i: n for i in rows}
    leads = _learn_leads(body, rows_n)
    fitted: list[tuple[str, list[Tok | None]]] = []
    pending: dict[str, tuple[list[tuple], list[Tok]]] = {}
    used: set[int] = set()
    for i, t in enumerate(body):
        if t.cand is None or t.cand.kind != "row":
            continue
        row = t.cand.id
        vals = _values_after(body, i, n)
        used.update(id(v) for v in vals)
        if not vals:
            continue
        if _has_run(vals):
            found = _run_splits(vals, n, _t3_row_sum if cols == list(_T3_COLS) else None)
            if len(found) == 1:
                fitted.append((row, _run_toks(found[0], vals)))
                for c in cols:
                    rd.repairs[f"requests.{row}.{c}"] = _run_note(vals, found[0])
            elif found and cols == list(_T3_COLS):
                pending[row] = (found, vals)
            else:
                rd.doubt([f"requests.{row}.{c}" for c in cols if c != "extra"],
                         f"连写数字 {''.join(v.text for v in vals)} 无法唯一拆分为 {n} 格")
            continue
        got = _fit(vals, n, _lead_for(body, i, leads), _alone(t, vals), cut and vals[-1] is body[-1])
        if got is None:
            got = _repair_t3(vals, cols, row, rd)
        if got is None:
            ids = [f"requests.{row}.{c}" for c in cols if c != "extra"]
            nums = [v for v in vals if v.kind == "num"]
            rd.doubt(ids, f"{INDICATORS[ids[0]].row}: {len(nums)} 个数字, "
                     f"应为 {n} 列 ({' | '.join(v.text or '∅' for v in vals)})")
            continue
        fitted.append((row, got))
    if "extra" in cols:
        cols = _place_extra(cols, fitted)
        if cols is None:  # the data contradict every place the 小计 column could have
            for row, _ in fitted:
                rd.doubt([f"requests.{row}.{c}" for c in _T3_COLS], "表三多出一列（小计），无法确定其位置")
            return
    for row, got in fitted:
        for c, tok in zip(cols, got):
            if c != "extra":
                rd.put(f"requests.{row}.{c}", tok)
    if pending:
        _settle_run_rows(pending, cols, rd, template)
    if cols == list(_T3_COLS):
        _place_unlabelled_rows(body, used, rd, template)
    rows_read = {cid.split(".", 1)[1].rsplit(".", 1)[0] for cid in [*rd.cells, *rd.doubtful]
                 if cid.startswith("requests.")}
    for c in _T3_COLS:  # a column the table does not print at all
        if c not in cols:
            for r in registry().raw["table3"]["rows"]:
                if template in r["templates"] and (r["id"] in rows_read or not cut):
                    rd.doubt([f"requests.{r['id']}.{c}"], f"表三没有“{c}”列")


def _place_unlabelled_rows(body: list[Tok], used: set[int], rd: _Reader, template: str) -> None:
    """A printed row of seven numbers whose label is missing altogether (a PDF tool lost
    it): between the labelled rows around it, the template leaves exactly one row unread,
    and putting the numbers there breaks no identity of the table — then they are that
    row's, and the placement is noted; otherwise they stay unread."""
    order = [r["id"] for r in registry().raw["table3"]["rows"] if template in r["templates"]]
    labelled = {t.cand.id for t in body if t.cand is not None and t.cand.kind == "row"}
    rows: dict[int, list[Tok]] = {}
    for t in body:
        if t.row is not None:
            rows.setdefault(t.row, []).append(t)
    for row_toks in rows.values():
        if (any(id(t) in used or t.kind not in ("num", "blank") for t in row_toks)
                or sum(t.kind == "num" for t in row_toks) != len(_T3_COLS)):
            continue
        k = body.index(row_toks[0])
        before = next((t.cand.id for t in reversed(body[:k]) if t.cand is not None and t.cand.kind == "row"), None)
        after = next((t.cand.id for t in body[k:] if t.cand is not None and t.cand.kind == "row"), None)
        lo = order.index(before) + 1 if before in order else 0
        hi = order.index(after) if after in order else len(order)
        free = [r for r in order[lo:hi] if r not in labelled
                and not any(f"requests.{r}.{c}" in rd.cells for c in _T3_COLS)]
        if len(free) != 1:
            continue
        nums = [t for t in row_toks if t.kind == "num"]
        ids = [f"requests.{free[0]}.{c}" for c in _T3_COLS]
        if not _consistent(dict(zip(ids, (t.value for t in nums))), rd.cells, template):
            continue
        for cid, tok in zip(ids, nums):
            rd.put(cid, tok)
            rd.repairs[cid] = "行标签缺失, 按模板行序与勾稽关系归位 (label missing: placed by template order and identities)"


def _place_extra(cols: list[str], fitted: list[tuple[str, list[Tok | None]]]) -> list[str] | None:
    """Where the extra (小计) column sits: the header's guess when the numbers agree with it
    (小计 = sum of the organisation columns, 总计 = all applicants), else the only place
    where they do; None when the numbers rule out the header's guess and no place is unique."""
    base = [c for c in cols if c != "extra"]

    def fits(order: list[str]) -> bool:
        for _, got in fitted:
            v = {c: (t.value if t is not None and t.kind == "num" else None) for c, t in zip(order, got)}
            orgs = [v.get(c) for c in _ORG]
            if v.get("extra") is not None and None not in orgs and abs(sum(orgs) - v["extra"]) > 1e-6:
                return False
            if _row_ok({c: x for c, x in v.items() if c != "extra"}) is False:
                return False
        return True

    if fits(cols):
        return cols
    options = [base[:p] + ["extra"] + base[p:] for p in range(1, len(base) + 1)]
    good = [o for o in options if fits(o)]

    def values(order: list[str]) -> list:
        return [[(c, t.value if t is not None else None) for c, t in sorted(zip(order, got)) if c != "extra"]
                for _, got in fitted]

    if good and all(values(o) == values(good[0]) for o in good):
        return good[0]  # one place, or several that read every cell the same
    return None


def _repair_t3(vals: list[Tok], cols: list[str], row: str, rd: _Reader) -> list[Tok] | None:
    nums = [v for v in vals if v.kind == "num"]
    good = []
    for cand in _merge_split(nums, len(cols)):
        named = {c: t.value for c, t in zip(cols, cand) if c != "extra"}
        if _row_ok(named):
            good.append(cand)
    if good and len({tuple(t.value for t in g) for g in good}) == 1:
        g = good[0]
        for c, t in zip(cols, g):
            if "|" in t.text and c != "extra":
                rd.repairs[f"requests.{row}.{c}"] = f"数字被拆成两格 {t.text} → {t.value} (行合计验证)"
        return g
    return None


# ---------------------------------------------------------------- table 4
_T4_GROUPS = ("review", "litigation.direct", "litigation.after_review")
_T4_OUT = ("upheld", "corrected", "other", "pending", "total")
_T4_IDS = [f"{g}.{o}" for g in _T4_GROUPS for o in _T4_OUT]
_T4_LABELS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
              "未经复议直接起诉", "复议后起诉")


_T4_CANDS = tuple(_Cand(label_core(x), "col", x) for x in _T4_LABELS)


def _group_ok(values: list[float | int | None]) -> bool:
    for g in range(3):
        part = values[g * 5:g * 5 + 4]
        tot = values[g * 5 + 4]
        if tot is None or any(p is None for p in part):
            continue
        if abs(sum(part) - tot) > 1e-6:
            return False
    return True


_T4_GROUP_LABELS = {"行政复议": "review", "未经复议直接起诉": "litigation.direct", "复议后起诉": "litigation.after_review"}


_T4_OUTCOME_LABELS = frozenset(_T4_LABELS[2:7])


def _t4_group_of(t: Tok) -> str | None:
    """The table-4 group a label names: 行政复议, or the litigation group it contains
    (行政诉讼（未经复议直接起诉）, as a heading over that group's own small table)."""
    if t.kind != "text":
        return None
    if t.cand is not None and t.cand.id in _T4_GROUP_LABELS:
        return _T4_GROUP_LABELS[t.cand.id]
    core = label_core(t.text)
    return next((g for label, g in _T4_GROUP_LABELS.items() if label != "行政复议" and label in core), None)


def _read_t4_by_group(toks: list[Tok], rd: _Reader) -> bool:
    """The transposed layout: one row per group (行政复议 | 5 numbers, 未经复议直接起诉 | …),
    or one small table per group (行政复议, then 结果维持 … 总计, then its 5 numbers)."""
    rows: dict[str, list[Tok]] = {}
    for i, t in enumerate(toks):
        group = _t4_group_of(t)
        if group is None:
            continue
        while i + 1 < len(toks) and toks[i + 1].cand is not None and toks[i + 1].cand.id in _T4_OUTCOME_LABELS:
            i += 1  # the group's own header row: 结果维持 | 结果纠正 | … | 总计
        vals = _values_after(toks, i, 5)
        nums = [v for v in vals if v.kind == "num"]
        if len(nums) == 5 or (len(vals) == 5 and nums):
            rows.setdefault(group, nums if len(nums) == 5 else vals)
    if len(rows) != 3:
        return False
    for group, got in rows.items():
        for outcome, tok in zip(_T4_OUT, got):
            rd.put(f"{group}.{outcome}", tok)
    return True


def _t4_lone_row(toks: list[Tok]) -> list[Tok] | None:
    """Under a header too garbled to read, table 4's data: the one printed row (a line of
    its own) of exactly 15 cells, numbers or blanks, in the template's column order."""
    by_line: dict[int, list[Tok]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    rows = [ts for ts in by_line.values()
            if len(ts) == 15 and all(t.kind in ("num", "blank") for t in ts) and any(t.kind == "num" for t in ts)]
    return rows[0] if len(rows) == 1 else None


def _read_t4(toks: list[Tok], rd: _Reader, cut: bool = False) -> None:
    toks = _match_labels(toks, _T4_CANDS)
    labels = [i for i, t in enumerate(toks) if t.cand is not None]
    if not labels:  # a header run together into one text (行政复议行政诉讼结果维持…) before digits
        labels = [i for i, t in enumerate(toks[:-1]) if t.kind == "text" and toks[i + 1].kind == "run"
                  and all(c.core in label_core(t.text) for c in _T4_CANDS[:2])]
    if not labels:
        return  # no table 4 here: its cells are not stated, not blank
    if _read_t4_by_group(toks, rd):
        return
    vals = []  # the data row: value tokens after the last header label, up to the next text
    for t in toks[labels[-1] + 1:]:
        if t.kind == "text":
            break
        vals.append(t)
    if _has_run(vals):
        _put_run_row(rd, _T4_IDS, [v for v in vals if v.kind != "blank" or v.text], _t4_group_sum)
        return
    while len(vals) > 15 and vals[-1].kind == "blank":
        vals = vals[:-1]
    while len(vals) > 15 and vals[0].kind == "blank":
        vals = vals[1:]
    nums = [t for t in vals if t.kind == "num"]
    got = nums if len(nums) == 15 else vals if len(vals) == 15 else None
    if got is None and cut and 0 < len(vals) < 15 and vals[-1] is toks[-1] and all(t.row is None for t in vals):
        got = vals + [None] * (15 - len(vals))  # the document stops inside the data row
    if got is None and len(nums) == 16:
        good = [c for c in _merge_split(nums, 15) if _group_ok([t.value for t in c])]
        if good and len({tuple(t.value for t in g) for g in good}) == 1:
            got = good[0]
            for cid, t in zip(_T4_IDS, got):
                if "|" in t.text:
                    rd.repairs[cid] = f"数字被拆成两格 {t.text} → {t.value} (总计验证)"
    if got is None and (got := _t4_lone_row(toks)) is not None:
        for cid in _T4_IDS:
            rd.repairs[cid] = "表头无法识别, 按模板列序读取 15 格 (header unreadable: one row of 15 cells, template order)"
    if got is None:
        rd.doubt(_T4_IDS, f"表四: {len(nums)} 个数字, 应为 15 个 ({' | '.join(v.text or '∅' for v in vals)})")
        return
    for cid, tok in zip(_T4_IDS, got):
        rd.put(cid, tok)


# ---------------------------------------------------------------- public API
def detect_template(doc: Document, lines: list[Line] | None = None) -> str:
    """"2021", "2019" or "unknown": from the column labels and row shapes of tables 2 and 3,
    else from the report year in the title (the same rule ``parse_tables`` applies)."""
    texts = doc.line_texts()
    regions = _regions(texts, lines)
    toks = {k: _tokens(doc, texts, *regions[k]) if k in regions else [] for k in (2, 3)}
    template = _decide(_template_votes(toks[2], toks[3]))
    return template if template != "unknown" else _template_from_year(texts)


def _decide(votes: Counter) -> str:
    if votes["2021"] > votes["2019"]:
        return "2021"
    if votes["2019"] > votes["2021"]:
        return "2019"
    return "unknown"


_TITLE_YEAR = re.compile(r"(20[0-9]{2})年(?!\d{1,2}月)(?:度)?[^。]{0,30}?(?:政府信息公开|政务公开|政务信息公开|信息公开)")
_PERIOD_YEAR = re.compile(r"统计(?:数据)?的?(?:期限|时限|期间|时间)(?:为|是|:)?(?:从)?(20[0-9]{2})年")


def _template_from_year(texts: list[str]) -> str:
    """Fallback when the tables show no template-specific label: the report year in the
    title (2019–2020 reports use the 2019 template, 2021 and later the 2021 one).

    >>> _template_from_year(["", "某局2020年政府信息公开工作年度报告"]), _template_from_year(["标题"])
    ('2019', 'unknown')
    """
    head = "".join(_nfkc(t).replace(" ", "") for t in texts[:15])  # titles wrap over lines
    m = _TITLE_YEAR.search(head) or _PERIOD_YEAR.search(head)
    if not m:
        return "unknown"
    year = int(m.group(1))
    return "2019" if year in (2019, 2020) else "2021" if year >= 2021 else "unknown"


def parse_tables(doc: Document, lines: list[Line] | None = None) -> TableResult:
    """Read tables 2, 3 and 4 of ``doc`` onto canonical ids (see module docstring).

    ``lines`` (the segmenter's output, with ``.section``) bounds each table's region;
    without it the tables are found by their headings and labels.
    """
    texts = doc.line_texts()
    regions = _regions(texts, lines)
    toks = {k: _tokens(doc, texts, *regions[k]) if k in regions else [] for k in (2, 3, 4)}
    template = _decide(_template_votes(toks[2], toks[3]))
    if template == "unknown":  # no template-specific label read: the spec's rule by report year
        template = _template_from_year(texts)
    grid = template if template != "unknown" else "2021"
    rd = _Reader()
    rd.narrative = lru_cache(maxsize=1)(lambda: _narrative_sentences(texts, regions))
    last = max(regions, key=lambda k: regions[k][0]) if regions else None
    cut = {k: k == last and regions[k][1] >= len(texts) for k in (2, 3, 4)}  # the text ends inside it
    for k in (2, 3, 4):
        if cut[k] and toks[k] and _ends_the_text(toks[k][-1], doc.text, texts):
            toks[k] = toks[k][:-1]  # a number the download stops in may be cut short: unread
    if toks[2]:
        _read_t2(toks[2], grid, rd, cut.get(2, False))
    if toks[3]:
        _read_t3(toks[3], grid, rd, cut.get(3, False))
    if toks[4]:
        _read_t4(toks[4], rd, cut.get(4, False))
    ids = ids_for_template(grid)
    cells = {cid: rd.cells[cid] for cid in ids if cid in rd.cells}
    doubtful = {k: v for k, v in rd.doubtful.items() if k not in cells}
    found = sorted({INDICATORS[c].table for c in [*cells, *doubtful]})
    missing = [cid for cid in ids if _is_missing(cid, cells, doubtful, found, cut)]
    findings = check_identities(cells, grid, missing=missing)
    named = {f.indicator for f in findings if f.type == "missing_cell"}
    for cid in missing:
        if cid in named:
            continue
        why = doubtful.get(cid)
        findings.append(Finding("missing_cell", cid, None, None, "warning", None, [cid],
                                f"〔{label_of(cid)}〕" + (f"无法确定: {why}" if why else "为空或未找到")))
    for f in findings:
        if f.type == "missing_cell" and f.indicator in doubtful and "无法确定" not in (f.message or ""):
            f.message = f"{f.message}; 无法确定: {doubtful[f.indicator]}"
    for prefix in rd.floated:
        for cid in cells:
            if cid.startswith(prefix):
                rd.repairs.setdefault(cid, "行标签印在数值之下, 按模板行序归位 (row label below its values, placed by template order)")
    return TableResult(template, cells, missing, findings, doubtful, dict(rd.repairs), regions, found)


def _ends_the_text(tok: Tok, text: str, texts: list[str]) -> bool:
    """The token is a number printed at the very end of a truncated text (its last digits
    may be missing)."""
    return (tok.kind in ("num", "run") and tok.line == len(texts) - 1
            and text.rstrip(" \t").endswith(tok.text) and not text.endswith("\n"))


def _is_missing(cid: str, cells: dict[str, Cell], doubtful: dict[str, str], found: list[int],
                cut: dict[int, bool]) -> bool:
    """Blank, doubtful, or a gap in a table that is printed — but not a cell of a table the
    document does not have, nor one past the point where a truncated document stops."""
    if cid in cells:
        return cells[cid].value is None
    if cid in doubtful:
        return True
    table = INDICATORS[cid].table
    return table in found and not cut.get(table, False)
