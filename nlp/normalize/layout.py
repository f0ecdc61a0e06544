"""Find tables written as plain text and split them into grids of cell strings.

Three text layouts occur in scraped and converted reports:

* **tab rows** — one table row per line, cells separated by ``\\t``; empty cells
  keep their position (``\\t\\t0\\t0`` is ``["", "", "0", "0"]``);
* **one cell per line** — every cell on its own line starting with ``\\t``, rows
  separated by blank lines, a lone ``\\t`` is an empty cell, and a line *without*
  a leading tab right after a cell line continues that cell (``\\t商业`` +
  ``企业`` → ``商业企业``, a label broken by the converter);
* **pipe rows** — ``| a | b |`` Markdown rows; separator rows ``|---|`` dropped.

Narrative lines never become tables: a region needs at least two rows, a row
with two or more cells, and no cell that reads like a sentence.
"""

from __future__ import annotations

import re

from nlp import lexicon
from nlp.types import Table

__all__ = ["find_tables", "is_narrative_cell", "is_heading_like", "split_pipe_row"]

# A cell longer than this that contains sentence punctuation is narrative, not a cell.
_MAX_CELL = 60
# Longest fragment accepted as the continuation of a broken cell label.
MAX_CONTINUATION = 12

_WORDS = lexicon.load("reading")
_HEADING = re.compile(_WORDS["heading"])
# A table's first row may be pipe-less: ``第二十条第(一)项`` above ``信息内容 | …``.
_PIPE_START = re.compile(_WORDS["pipe_table_start"])
_STOP = _WORDS["full_stop"]  # a cell, pipe row or bridge holding one is narrative
_PIPE_SEP = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?\s*)?\|?\s*$")


def is_heading_like(line: str) -> bool:
    """True for section headings and numbered items, which never continue a cell.

    >>> is_heading_like("三、收到和处理政府信息公开申请情况")
    True
    >>> is_heading_like("(二) 依申请公开")
    True
    >>> is_heading_like("1.属于国家秘密")
    True
    >>> is_heading_like("企业")
    False
    >>> is_heading_like("1.5万件")
    False
    """
    return bool(_HEADING.match(line))


def is_narrative_cell(text: str) -> bool:
    """True when a would-be cell reads like a sentence of narrative.

    >>> is_narrative_cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    False
    >>> is_narrative_cell("2021年，我局共收到人大代表建议8件和政协委员提案20件。按照区人大和区政协提出的办理要求，我局高度重视。")
    True
    """
    text = text.strip()
    return len(text) > _MAX_CELL or (len(text) > 25 and _STOP in text[:-1])


def split_pipe_row(line: str) -> list[str]:
    """Cells of a ``| a | b |`` row (outer pipes optional).

    >>> split_pipe_row("| 规章 | 0 |  |")
    ['规章', '0', '']
    >>> split_pipe_row("a | b")
    ['a', 'b']
    """
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


# ---------------------------------------------------------------- line kinds
def _is_blank(line: str) -> bool:
    """Blank means no text and no tab: a lone ``\\t`` is an (empty) cell, not a gap."""
    return not line.strip(" \u3000\xa0\r")


def _is_cell_line(line: str) -> bool:
    """``\\t<cell>``: exactly one tab, at the start (a lone ``\\t`` is an empty cell)."""
    return line.startswith("\t") and line.count("\t") == 1 and not is_narrative_cell(line)


def _is_tab_row(line: str) -> bool:
    """A row of tab-separated cells: two or more tabs, or one tab between two cells."""
    if "\t" not in line or _is_blank(line):
        return False
    stripped = line.strip(" ")
    if stripped.count("\t") < 2 and (stripped.startswith("\t") or stripped.endswith("\t")):
        return False
    return not any(is_narrative_cell(c) for c in line.split("\t"))


def _is_pipe_row(line: str) -> bool:
    """``| a | b |``, ``a | b`` or ``a |`` (scraped pages drop outer pipes), never a sentence."""
    s = line.strip()
    if "|" not in s or "\t" in line:
        return False
    if _PIPE_SEP.match(s) or s.startswith("|") and s.count("|") >= 2:
        return True
    return not any(is_narrative_cell(c) or _STOP in c for c in split_pipe_row(s))


def _is_bridge(lines: list[str], j: int) -> bool:
    """A pipe-less one-cell row (``第二十条第(五)项``) between pipe rows of one table.

    Section headings (``三、…``) and sentences never bridge two tables together.
    """
    s = lines[j].strip()
    if not s or "\t" in lines[j] or len(s) > 40 or _STOP in s:
        return False
    if is_heading_like(s) and not _PIPE_START.match(s):
        return False
    k = j + 1
    while k < len(lines) and k - j <= 2 and _is_blank(lines[k]):
        k += 1
    return k < len(lines) and _is_pipe_row(lines[k])


def _is_continuation(lines: list[str], i: int) -> bool:
    """Line ``i`` continues the cell on line ``i-1`` (a label broken over lines)."""
    line = lines[i]
    if _is_blank(line) or line.startswith(("\t", " ")) or "\t" in line:
        return False
    if len(line.strip()) > MAX_CONTINUATION or is_heading_like(line):
        return False
    # The table must go on after the fragment: next line is a cell, blank, or the end.
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return _is_blank(nxt) or _is_cell_line(nxt)


# ---------------------------------------------------------------- region scanners
def _scan_tab_rows(lines: list[str], i: int) -> tuple[list[list[str]], int, int] | None:
    """Rows of a tab-row region starting at ``i``; returns (rows, last_line, next_i)."""
    rows, last, j = [], i, i
    while j < len(lines):
        if _is_tab_row(lines[j]):
            rows.append([c.strip() for c in lines[j].split("\t")])
            last, j = j, j + 1
            continue
        # One or two blank lines inside a table (seed 003) when tab rows follow.
        k = j
        while k < len(lines) and k - j < 2 and _is_blank(lines[k]):
            k += 1
        if k > j and k < len(lines) and _is_tab_row(lines[k]) and lines[k].count("\t") >= 2:
            j = k
            continue
        break
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    return rows, last, last + 1


def _scan_cells(lines: list[str], i: int) -> tuple[list[list[str]], int, int] | None:
    """Rows of a one-cell-per-line region starting at ``i``."""
    rows: list[list[str]] = []
    row: list[str] = []
    last, j = i, i
    while j < len(lines):
        line = lines[j]
        if _is_cell_line(line):
            row.append(line[1:].strip())
            last, j = j, j + 1
        elif row and _is_continuation(lines, j):
            row[-1] += line.strip()
            last, j = j, j + 1
        elif _is_blank(line):
            if row:
                rows.append(row)
                row = []
            k = j
            while k < len(lines) and _is_blank(lines[k]):
                k += 1
            if k < len(lines) and _is_cell_line(lines[k]):
                j = k
                continue
            break
        else:
            break
    if row:
        rows.append(row)
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    return rows, last, last + 1


def _scan_pipes(lines: list[str], i: int) -> tuple[list[list[str]], int, int] | None:
    """Pipe rows from ``i``; pipe-less one-cell rows and single blank lines may sit between."""
    rows: list[list[str]] = []
    last, j, piped = i, i, 0
    while j < len(lines):
        line = lines[j]
        if _is_pipe_row(line):
            if not _PIPE_SEP.match(line.strip()):
                rows.append(split_pipe_row(line))
            last, j, piped = j, j + 1, piped + 1
        elif _is_blank(line):
            k = j
            while k < len(lines) and k - j < 2 and _is_blank(lines[k]):
                k += 1
            if k < len(lines) and (_is_pipe_row(lines[k]) or _is_bridge(lines, k)) and rows:
                j = k
                continue
            break
        elif _is_bridge(lines, j):
            rows.append([line.strip()])
            last, j = j, j + 1
        else:
            break
    if piped < 2 or not rows or max(len(r) for r in rows) < 2:
        return None
    return rows, last, last + 1


def find_tables(line_texts: list[str]) -> list[Table]:
    """Table regions in ``line_texts`` as grids, with their line ranges (end exclusive).

    >>> t = find_tables(["说明文字。", "规章\\t0\\t0", "行政许可\\t\\t2332", "结束。"])
    >>> t[0].rows, t[0].line_start, t[0].line_end
    ([['规章', '0', '0'], ['行政许可', '', '2332']], 1, 3)
    >>> cells = ["\\t信息内容", "\\t本年新", "制作数量", "", "\\t规章", "\\t0"]
    >>> find_tables(cells)[0].rows
    [['信息内容', '本年新制作数量'], ['规章', '0']]
    >>> find_tables(["| a | b |", "|---|---|", "| 1 | 2 |"])[0].rows
    [['a', 'b'], ['1', '2']]
    >>> find_tables(["一、总体情况", "本年度未收到申请。"])
    []
    """
    lines = [ln.rstrip("\r\n") for ln in line_texts]
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        found = None
        if _is_pipe_row(line) or (_PIPE_START.match(line) and _is_bridge(lines, i)):
            found = _scan_pipes(lines, i)
        elif _is_cell_line(line):
            found = _scan_cells(lines, i)
        elif _is_tab_row(line):
            found = _scan_tab_rows(lines, i)
        if found is None:
            i += 1
            continue
        rows, last, nxt = found
        tables.append(Table(rows=rows, line_start=i, line_end=last + 1, source="layout"))
        i = nxt
    return tables
