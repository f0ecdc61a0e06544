"""Section segmentation: label every line with its section and a heading flag.

Two segmenters share one interface, ``predict(doc) -> list[Line]``:

- :class:`Segmenter` (trained): per-line features from the line and its neighbours
  (numbering pattern, section keywords, head character n-grams, length, punctuation,
  digit ratio, tab/pipe density, table grid membership, position) feed two
  logistic regressions — section probabilities and heading probability.  A
  Viterbi decoder then enforces what every report obeys: sections come in the
  order title → preamble → overview → active → requests → review → problems →
  other, never go back, may be skipped; table grids sit inside active / requests /
  review.  One odd line therefore cannot flip a section: leaving a section costs
  ``switch_penalty`` and every later line must agree.
- :class:`RuleSegmenter`: the heading-regex baseline (``一、`` … ``六、`` plus keywords).

Weights are stored as plain JSON + NumPy ``.npy`` (loaded with
``allow_pickle=False``) and a ``meta.json`` card written by :mod:`nlp.persist`.
"""

from __future__ import annotations

import bisect
import functools
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from nlp.errors import CorpusError, ModelError
from nlp.chars import translator
from nlp.types import SECTIONS, Document, Line, Record, loads_yaml

KIND = "segmenter"
# Distinct lines whose features are kept: table cells and labels recur in every report,
# narrative lines rarely; ~9 KB each with their groups, so this bounds the caches' memory.
LINE_CACHE = 16384
ORDER = {s: i for i, s in enumerate(SECTIONS)}
TABLE_SECTIONS = ("active", "requests", "review")

# ------------------------------------------------------------------ text helpers
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x200B: None, 0xFEFF: None})
_norm = translator(_FULLWIDTH)
_CN = "一二三四五六七八九十"
_CN_VAL = {c: i + 1 for i, c in enumerate(_CN)}


def norm(text: str) -> str:
    """Full-width → ASCII, odd spaces → space (features must not depend on the reader).

    >>> norm("（一）主动公开：２件")
    '(一)主动公开:2件'
    """
    return _norm(text)


def cn_value(numeral: str) -> int:
    """Value of a small Chinese or Arabic numeral (1–99).

    >>> cn_value("三"), cn_value("十二"), cn_value("二十"), cn_value("7")
    (3, 12, 20, 7)
    """
    if numeral.isdigit():
        return int(numeral)
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (_CN_VAL.get(tens, 1) if tens else 1) * 10 + (_CN_VAL.get(ones, 0) if ones else 0)
    return _CN_VAL.get(numeral, 0)


def cn_numeral(value: int) -> str:
    """A number 1–99 as a Chinese numeral (the inverse of :func:`cn_value`).

    >>> cn_numeral(3), cn_numeral(12), cn_numeral(20), cn_numeral(35)
    ('三', '十二', '二十', '三十五')
    """
    tens, ones = divmod(value, 10)
    head = ("" if tens == 1 else _CN[tens - 1]) + "十" if tens else ""
    return head + (_CN[ones - 1] if ones else "")


_LEAD = re.compile(r"^[\s|\-*•·#>]+")
_NUMBERING = [  # (name, pattern); the first group is the numeral
    ("cn_dun", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、,，.]")),
    ("cn_paren", re.compile(r"^[(]\s*([一二三四五六七八九十]{1,3})\s*[)]")),
    ("ar_paren", re.compile(r"^[(]\s*(\d{1,2})\s*[)]")),
    # 1.2023年度… numbers a heading whose title opens with a year; 1.5 is a decimal
    ("ar_dot", re.compile(r"^(\d{1,2})(?:\s*\.(?!\d)|\.(?=(?:19|20)\d\d\s*年))")),
    ("ar_dun", re.compile(r"^(\d{1,2})\s*、")),
    ("cn_shi", re.compile(r"^([一二三四五六七八九十]{1,2})是")),
    ("di", re.compile(r"^第([一二三四五六七八九十]{1,3})[条章部节]")),
    ("ar_num", re.compile(r"^(\d{1,2})\s+\D")),
]

_HEADING_KINDS = frozenset(("cn_dun", "cn_paren", "ar_paren", "ar_dot", "ar_dun", "cn_shi"))
# How the item after item n of a numbering kind is written: a line that holds its own next
# item (一是…；二是…) is a paragraph listing points, not a heading.
_NEXT_ITEM = {
    "cn_dun": lambda n: cn_numeral(n + 1) + "、",
    "cn_paren": lambda n: f"({cn_numeral(n + 1)})",
    "ar_paren": lambda n: f"({n + 1})",
    "ar_dun": lambda n: f"{n + 1}、",
    "cn_shi": lambda n: cn_numeral(n + 1) + "是",
}



def _holds_item(body: str, item: str) -> bool:
    """Whether ``body`` holds the enumerator ``item`` (not as a citation, 第(三)项)."""
    body = body.replace(" ", "")
    at = body.find(item)
    while at >= 0:
        if body[at - 1:at] != "第":
            return True
        at = body.find(item, at + 1)
    return False


KEYWORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "总体", "概述", "基本情况"),
    "active": ("主动公开",),
    "requests": ("依申请", "收到和处理", "申请情况", "公开申请"),
    "review": ("行政复议", "行政诉讼", "复议", "诉讼"),
    "problems": ("存在的主要问题", "主要问题", "存在问题", "问题及", "改进", "下一步", "不足",
                 "工作计划", "工作安排", "工作打算", "整改"),
    "other": ("其他需要报告", "其他事项", "需要报告的事项", "信息处理费", "其他需要说明"),
    "title": ("年度报告", "工作报告", "年报", "政府信息公开工作"),
    "preamble": ("根据《", "依据《", "按照《", "本报告", "统计期限", "现将", "特向社会公布", "现予公布",
                 "报告如下", "编制本报告", "本年度报告"),
    "table": ("本年新收", "上年结转", "本年度办理结果", "第二十条", "信息内容", "结果维持",
              "结果纠正", "予以公开", "不予公开", "无法提供", "不予处理", "其他处理", "总计",
              "结转下年度", "本年制发", "现行有效", "处理决定数量", "申请人情况", "自然人",
              "法人或其他组织", "商业企业", "行政许可", "行政处罚", "行政强制", "事业性收费",
              "勾稽关系", "尚未审结", "收费金额", "本年废止", "国家秘密", "项目数量"),
    "mgmt": ("政府信息管理", "平台建设", "监督保障", "考核", "组织领导", "制度建设"),
    # web-page furniture around scraped reports (breadcrumbs, metadata, accessibility links)
    "chrome": ("首页", "当前位置", "所在位置", "的位置", "来源:", "发布时间", "添加时间", "浏览", "字体",
               "字号", "索引号", "发布机构", "生成日期", "公开日期", "打印", "关闭", "无障碍",
               ">", "访问量", "阅读量", "分享"),
}


_KEYWORD_RE = {group: re.compile("|".join(map(re.escape, words))) for group, words in KEYWORDS.items()}


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return bisect.bisect_right(edges, value)


def line_features(raw: str, head_chars: int = 10) -> dict[str, float]:
    """Features of one line on its own (context is added by :func:`doc_features`).

    >>> f = line_features("二、主动公开政府信息情况")
    >>> f["num=cn_dun"], f["numval=2"], f["kwh=active"]
    (1.0, 1.0, 1.0)
    """
    return dict.fromkeys(_line_feature_names(raw, head_chars), 1.0)


@functools.lru_cache(maxsize=LINE_CACHE)
def _line_feature_names(raw: str, head_chars: int) -> tuple[str, ...]:
    # Cached: table cells ("0", "自然人", row labels) repeat within and across reports,
    # and they are most of a report's lines.  Every feature is binary, so names suffice.
    return tuple(_compute_line_features(raw, head_chars))


@dataclass(frozen=True)
class _LineView:
    """What :func:`doc_features` needs of a line, computed once per distinct line."""

    names: tuple[str, ...]  # its own features
    near: tuple[str, ...]   # those its neighbours at ±1 see
    far: tuple[str, ...]    # … and at ±2
    numbered: bool          # 一、 / 1. / 1、 numbering
    cn_dun: bool            # 一、 numbering
    numval: int             # the numbering's value
    head_group: str | None  # the section its head keywords name
    bare: bool              # a numbering and nothing else
    unnumbered: bool        # no numbering at its head
    # never a heading: it goes on to its numbering's next item (一是…；二是…: it lists
    # points), or it has no numbering and opens with the preamble's words (根据《…, 本报告…)
    no_heading: bool
    title: bool             # looks like a report title (and is no "key: value" line)
    last_keys: tuple[str, ...]  # the features a last line repeats
    _groups: dict[str | None, tuple[tuple[str, ...], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def groups(self, kind: str | None) -> tuple[tuple[str, ...], ...]:
        """Its own features, then what its neighbours at -1, +1, -2, +2 see of it (tagged
        p, n, pp, nn); in a grid of table ``kind`` (t2/t3/t4/t?), with the grid's.  The
        same tuple objects every time, so models map each to columns once."""
        got = self._groups.get(kind)
        if got is None:
            grid = () if kind is None else ("in_table", f"tbl={kind}")
            got = self._groups[kind] = (
                self.names + grid,
                *(tuple(f"{tag}:{k}" for k in self.near + grid) for tag in ("p", "n")),
                *(tuple(f"{tag}:{k}" for k in self.far + grid[:1]) for tag in ("pp", "nn")))
        return got


@functools.lru_cache(maxsize=LINE_CACHE)
def _line_view(raw: str, head_chars: int) -> _LineView:
    names = _line_feature_names(raw, head_chars)
    near, far, last_keys = [], [], []
    numval, head_group = None, None
    for k in names:  # one pass: a new line costs this for every feature it has
        role = _ROLES.get(k)
        if role is None:
            role = _role(k)
        if not role:  # most of a line's features: its head characters
            continue
        if role & _NEAR:
            near.append(k)
        if role & _FAR:
            far.append(k)
        if role & _LAST:
            last_keys.append(k)
        if role & _NUMVAL and numval is None:
            numval = int(k[7:])
        elif role & _HEAD_GROUP and head_group is None:
            head_group = k[4:]
    return _LineView(
        names=names, near=tuple(near), far=tuple(far),
        numbered=bool({"num=cn_dun", "num=ar_dot", "num=ar_dun"}.intersection(names)),
        cn_dun="num=cn_dun" in names,
        numval=numval or 0,
        head_group=head_group,
        bare="num_only" in names,
        unnumbered="num=none" in names,
        no_heading="next_item_inline" in names or {"num=none", "kwh=preamble"}.issubset(names),
        title="title_like" in names and "kv_head" not in names,
        last_keys=tuple(last_keys))


# What a feature is to its line's view, by name: seen by neighbours (near / far), repeated
# by a last line, the numbering's value, a head keyword naming a section.
_NEAR, _FAR, _LAST, _NUMVAL, _HEAD_GROUP = 1, 2, 4, 8, 16
_ROLES: dict[str, int] = {}


def _role(name: str) -> int:
    kind = _name_kind(name)
    role = ((_NEAR if kind in _CONTEXT_KINDS else 0) | (_FAR if kind in _FAR_KINDS else 0)
            | (_LAST if kind in _LAST_KINDS else 0) | (_NUMVAL if kind == "numval=" else 0)
            | (_HEAD_GROUP if kind == "kwh=" and name[4:] in SECTIONS else 0))
    if len(_ROLES) > 200_000:  # head bigrams are many; keep the map bounded
        _ROLES.clear()
    _ROLES[name] = role
    return role


def _name_kind(name: str) -> str:
    """A feature name's kind: its ``key=`` prefix, or the whole name when it has none."""
    cut = name.find("=")
    return name[:cut + 1] if cut >= 0 else name


class LineFeatures(NamedTuple):
    """One line's features: its view's groups (:meth:`_LineView.groups`, the same tuple
    objects each time), and those that depend on its place in the document."""

    seen: tuple[tuple[str, ...], ...]  # its own features, then what its neighbours see of it
    dynamic: tuple[str, ...]


# A view's groups after its own are seen by other lines: line i sees group k of the line at
# i + _NEIGHBOUR_OFFSETS[k - 1] (its previous line's "p:" group, its next line's "n:" one, …).
_NEIGHBOUR_OFFSETS = (-1, +1, -2, +2)


def shared_groups(parts: list[LineFeatures], i: int) -> list[tuple[str, ...]]:
    """Line ``i``'s groups from the lines around it: its own features, then what it sees of
    its neighbours at -1, +1, -2, +2 (or that it has none)."""
    out = [parts[i].seen[0]]
    for k, offset in enumerate(_NEIGHBOUR_OFFSETS, 1):
        j = i + offset
        out.append(parts[j].seen[k] if 0 <= j < len(parts) else _NO_NEIGHBOURS[k])
    return out


def clear_feature_caches() -> None:
    """Forget every line seen so far (benchmarks use it to time reports cold)."""
    for cache in (_line_feature_names, _line_view, _has_content, _compact):
        cache.cache_clear()


_CELL_SPLIT = re.compile(r"[\t|]")
_NUMERIC_CELL = re.compile(r"[-+]?[\d.,/%]+|[/—\-无]")
_YEAR = re.compile(r"(19|20)\d\d\s*年")
_KV_HEAD = re.compile(r"^[\u4e00-\u9fff ]{2,6}:")  # "信息名称:…" page metadata
_REPORT_WORD = re.compile(r"年度?报告|年报|工作报告")
_LEN_EDGES = (1, 3, 6, 10, 16, 25, 40, 70, 150)
_DIGIT_EDGES = (0.01, 0.2, 0.5, 0.8, 0.99)
_STOP_EDGES = (0, 6, 12, 20, 30)


def _compute_line_features(raw: str, head_chars: int) -> dict[str, float]:
    text = norm(raw)
    feats: dict[str, float] = {}
    tabs, pipes = text.count("\t"), text.count("|")
    stripped = _LEAD.sub("", text).strip()
    if not stripped:
        feats["blankish"] = 1.0
    feats[f"tabs={min(tabs, 4)}"] = 1.0
    feats[f"pipes={min(pipes, 4)}"] = 1.0
    feats["lead_ws=1" if text[:1] in (" ", "\t") else "lead_ws=0"] = 1.0
    if text.lstrip().startswith(("-", "*", "•")):
        feats["bullet"] = 1.0
    body = stripped
    kind = "none"
    for name, pattern in _NUMBERING:
        m = pattern.match(stripped)
        if m:
            kind = name
            value = cn_value(m.group(1))
            feats[f"numval={min(value, 12)}"] = 1.0
            body = stripped[m.end():].lstrip(" 、.:")
            if name in _NEXT_ITEM and 0 < value < 99 and _holds_item(body, _NEXT_ITEM[name](value)):
                feats["next_item_inline"] = 1.0
            if not body and name in _HEADING_KINDS:  # 三、 alone: title on the next line, or cut
                feats["num_only"] = 1.0
            break
    feats["num=" + kind] = 1.0
    cells = sum(1 for c in _CELL_SPLIT.split(text) if c.strip()) if tabs or pipes else int(bool(text.strip()))
    feats[f"cells={min(cells, 5)}"] = 1.0
    feats[f"len={_bucket(len(stripped), _LEN_EDGES)}"] = 1.0
    _add_word_features(feats, stripped, body, head_chars)
    if kind != "none" and body[:4]:
        feats[f"{kind}+{body[:2]}"] = 1.0
    if stripped:
        _add_shape_features(feats, stripped)
        # numbering and shape together: "(一)X。…" opens a sub-section, a bare "X。…" does not
        for key in [k for k in feats if k.startswith(("first_stop=", "last="))]:
            feats[f"shape={kind}&{key}"] = 1.0
    return feats


def _add_word_features(feats: dict[str, float], stripped: str, body: str, head_chars: int) -> None:
    """Section keywords in the line and in its head; the head's characters and bigrams."""
    compact = stripped.replace(" ", "")
    head = None
    for group, pattern in _KEYWORD_RE.items():
        if pattern.search(compact):  # the head is part of the line: no match there without one here
            if head is None:
                head = body.replace(" ", "")[:16]
            if pattern.search(head):
                feats["kwh=" + group] = 1.0
            feats["kw=" + group] = 1.0
    lead = body[:head_chars]
    for ch in lead:
        feats["c1=" + ch] = 1.0
    for k in range(len(lead) - 1):
        feats["c2=" + lead[k:k + 2]] = 1.0


def _add_shape_features(feats: dict[str, float], stripped: str) -> None:
    """How a non-blank line ends, how much of it is digits, where its first stop falls,
    and the shapes of a table cell, a dated head, a metadata line and a report title."""
    last, n = stripped[-1], len(stripped)
    cls = ("digit" if last.isdigit() else "stop" if last in "。.!！?？" else
           "colon" if last in ":：" else "semi" if last in ";；,，、" else
           "close" if last in ")）】」”\"" else "han" if "\u4e00" <= last <= "\u9fff" else "other")
    feats["last=" + cls] = 1.0
    digits = sum(map(str.isdigit, stripped))
    feats[f"digits={_bucket(digits / n, _DIGIT_EDGES)}"] = 1.0
    feats[f"stops={min(stripped.count('。'), 3)}"] = 1.0
    first_stop = min([at for at in map(stripped.find, "。:;") if at >= 0], default=-1)
    feats[f"first_stop={_bucket(first_stop, _STOP_EDGES)}" if first_stop >= 0 else "first_stop=none"] = 1.0
    if _NUMERIC_CELL.fullmatch(stripped):
        feats["numeric_cell"] = 1.0
    if _YEAR.search(stripped, 0, 30):
        feats["year_head"] = 1.0
    if "《" in stripped[:6]:
        feats["book_head"] = 1.0
    if _KV_HEAD.match(stripped):
        feats["kv_head"] = 1.0
    if n <= 60 and "。" not in stripped and _YEAR.search(stripped) and _REPORT_WORD.search(stripped):
        feats["title_like"] = 1.0


_CONTEXT_KEYS = ("num=", "numval=", "kwh=", "len=", "last=", "cells=", "tabs=", "pipes=",
                 "numeric_cell", "blankish", "in_table", "year_head", "tbl=")
_FAR_KEYS = ("num=", "in_table", "kwh=", "cells=")
_CONTEXT_KINDS, _FAR_KINDS = frozenset(_CONTEXT_KEYS), frozenset(_FAR_KEYS)
_LAST_KINDS = frozenset(("num=", "first_stop=", "len="))  # what a document's last line repeats


_TABLE_KINDS = (("t2", ("第二十条", "处理决定数量", "本年制发", "本年新制作", "收费金额", "采购")),
                ("t3", ("本年新收", "上年结转", "申请人情况", "予以公开", "不予公开", "无法提供",
                        "不予处理", "结转下年度")),
                ("t4", ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "直接起诉")))


@functools.lru_cache(maxsize=LINE_CACHE)
def _compact(line: str) -> str:
    return norm(line).replace(" ", "")


def _table_kinds(texts: list[str], table_ids: list[int]) -> dict[int, str]:
    """Which statistical table (2, 3 or 4) each text table looks like, by its words."""
    words: dict[int, str] = {}
    for text, tid in zip(texts, table_ids):
        if tid >= 0:
            words[tid] = words.get(tid, "") + _compact(text)
    out = {}
    for tid, content in words.items():
        hits = [(sum(content.count(w) for w in ws), kind) for kind, ws in _TABLE_KINDS]
        best = max(hits)
        out[tid] = best[1] if best[0] else "t?"
    return out


def doc_features(texts: list[str], table_mask: list[bool] | list[int], head_chars: int = 10
                 ) -> list[dict[str, float]]:
    """Features for the non-empty lines ``texts`` of one document, with context.

    ``table_mask`` holds, per line, whether it sits in a table grid (or the grid's id,
    -1 for none); a grid's words say which statistical table it is.
    """
    parts, _in_table = doc_feature_parts(texts, table_mask, head_chars)
    return [dict.fromkeys((k for group in (*shared_groups(parts, i), line.dynamic) for k in group), 1.0)
            for i, line in enumerate(parts)]


# what a line sees past the document's edges, in the order of a view's groups (none of its own)
_NO_NEIGHBOURS = ((), *((f"{tag}:none",) for tag in ("p", "n", "pp", "nn")))


_IDX_EDGES = (1, 2, 3, 5, 8, 12, 20, 40)
_CHAR_EDGES = (20, 60, 150, 300, 600, 1000, 2000, 4000)
# A line's place in its document, as features; the same few hundred places recur in
# every report, so each becomes names once (and the same tuple, which scores once).
_PLACES: dict[tuple, tuple[str, ...]] = {}
# An unnumbered line after a numbered part's heading: that part's text, never a heading
# (no seed, realdev or synthetic report has one; a heading wrapped onto a second line
# would lose that line's flag).
_BODY_TEXT = "body_unnumbered"


def _place_features(place: tuple, last: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The dynamic features of a line at ``place`` (see :func:`doc_feature_parts`);
    ``last``: those of the document's last line."""
    last_head, order, top, body_text, seen_title, idx, chars, rel, seen_table, seen_cn_dun = place
    names = (f"last_head={last_head}", *((f"num_order={order}",) if order else ()),
             *((f"top={top}",) if top else ()), *((_BODY_TEXT,) if body_text else ()),
             f"seen_title={int(seen_title)}", f"idx={idx}", f"chars={chars}", f"rel={rel}",
             *last, f"seen_table={int(seen_table)}", f"seen_cn_dun={seen_cn_dun}")
    if not last:
        if len(_PLACES) > 65536:
            _PLACES.clear()
        _PLACES[place] = names
    return names


def doc_feature_parts(texts: list[str], table_mask: list[bool] | list[int], head_chars: int = 10
                      ) -> tuple[list[LineFeatures], list[bool]]:
    """:func:`doc_features` as groups of feature names per line, and which lines sit in a
    grid.  A :class:`FeatureScorer` sums each group's weights once."""
    table_ids = [int(m) if not isinstance(m, bool) else (0 if m else -1) for m in table_mask]
    kinds = _table_kinds(texts, table_ids)
    views = [_line_view(text, head_chars) for text in texts]
    groups = [view.groups(kinds[tid] if tid >= 0 else None) for view, tid in zip(views, table_ids)]
    in_table = [tid >= 0 for tid in table_ids]
    n = len(views)
    out = []
    seen_cn_dun = top = 0  # top: highest 一、/二、… numeral so far
    row = 0  # the last 一、/二、… numeral if it labelled a table row
    seen_title = False
    last_head = "none"  # keyword group of the last numbered narrative heading (一、… / (一)…)
    for i, (view, where) in enumerate(zip(views, _positions(texts, in_table))):
        if view.numbered and not in_table[i]:
            last_head = _head_group(views, i) or ("bare" if view.bare else last_head)
        order, next_top = None, 0
        if view.cn_dun:  # 一、… after 三、… is a table row label or lying numbering
            order = ("row" if row and view.numval == row + 1 else  # the table's next row label
                     "next" if view.numval == top + 1 else "restart" if view.numval <= top else "jump")
            top = max(top, view.numval)
            row = view.numval if in_table[i] else 0
            if order == "next" and not in_table[i]:  # the report's next part: 三、 is its third
                next_top = min(view.numval, 12)
        # after a numbered part's heading, an unnumbered line is (nearly always) its text
        body_text = view.unnumbered and last_head not in _FRONT_HEADS
        place = (last_head, order, next_top, body_text, seen_title, *where, min(seen_cn_dun, 4))
        seen_title = seen_title or view.title  # a repeated title is no second heading
        if i < n - 1:
            dynamic = _PLACES.get(place) or _place_features(place)
        else:  # scraped texts stop mid-sentence: a short last line is no heading
            last = ["is_last", *(f"last&{k}" for k in view.last_keys)]
            if i and in_table[i - 1]:
                last.append("last&p:in_table")
            dynamic = _place_features(place, tuple(last))
        seen_cn_dun += view.cn_dun
        out.append(LineFeatures(groups[i], dynamic))
    return out, in_table


def _positions(texts: list[str], in_table: list[bool]) -> zip:
    """Per line, the parts of its place that need no decoding: the bucket of its index, the
    bucket of the characters before it, its tenth of the document, whether a table grid
    came before it (computed for all lines at once)."""
    n = len(texts)
    lines = np.arange(n)
    before = np.zeros(n, dtype=np.int64)
    before[1:] = np.cumsum([len(text) + 1 for text in texts[:-1]])
    table_before = np.zeros(n, dtype=bool)
    table_before[1:] = np.logical_or.accumulate(in_table[:-1])
    return zip(np.searchsorted(_IDX_EDGES, lines, side="right").tolist(),
               np.searchsorted(_CHAR_EDGES, before, side="right").tolist(),
               (10 * lines / max(n, 1)).astype(np.int64).tolist(), table_before.tolist())


_FRONT_HEADS = ("none", "title", "preamble")  # last_head values before the report's parts


def _head_group(views: list[_LineView], i: int) -> str | None:
    """The section line ``i``'s head keywords name; a bare numbering (三、) takes its
    title's on the next line."""
    group = views[i].head_group
    if group is None and views[i].bare and i + 1 < len(views) and "num=none" in views[i + 1].names:
        group = views[i + 1].head_group
    return group


# ------------------------------------------------------------------ documents
def document_of(text: str, path: str = "<text>") -> Document:
    """The Document the txt reader makes of ``text``, normalized."""
    from nlp.pipeline import document_from_text  # TODO(issue 17): a stage must not import the pipeline

    return document_from_text(text, path=path)


def table_mask(doc: Document) -> list[int]:
    """Per document line: the index of the table grid it sits in, or -1."""
    mask = [-1] * len(doc.lines)
    for t, table in enumerate(doc.tables):
        for i in range(max(table.line_start, 0), min(table.line_end, len(mask))):
            mask[i] = t
    return mask


def gold_labels(doc: Document, gold: Record) -> list[tuple[str, bool]]:
    """(section, heading) of the gold line containing each doc line's start (in the original)."""
    starts = [g.start for g in gold.lines]
    out = []
    for line in doc.lines:
        pos = doc.to_original(line.start)
        k = max(bisect.bisect_right(starts, pos) - 1, 0)
        g = gold.lines[k]
        out.append((g.section or "title", bool(g.heading)))
    return out


# ------------------------------------------------------------------ linear models
@dataclass
class LinearModel:
    """A trained logistic regression as plain arrays: ``scores = X·coefᵀ + intercept``."""

    classes: list[str]
    vocab: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray

    def log_proba(self, scores: np.ndarray) -> np.ndarray:
        """Log-probabilities of lines from their raw scores (:class:`FeatureScorer`),
        shape (n, len(classes)); binary models give two columns."""
        if self.coef.shape[0] == 1:
            s = scores[:, 0]
            return np.stack([-np.logaddexp(0, s), -np.logaddexp(0, -s)], axis=1)
        scores = scores - scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))

    def save(self, folder: Path, name: str) -> None:
        from nlp.persist import atomic_write_bytes, atomic_write_text
        import io
        atomic_write_text(folder / f"{name}.json", json.dumps(
            {"classes": self.classes, "features": sorted(self.vocab, key=self.vocab.get)},
            ensure_ascii=False) + "\n")
        for part, arr in (("coef", self.coef), ("intercept", self.intercept)):
            buf = io.BytesIO()
            np.save(buf, np.ascontiguousarray(arr, dtype=np.float64), allow_pickle=False)
            atomic_write_bytes(folder / f"{name}.{part}.npy", buf.getvalue())

    @classmethod
    def load(cls, folder: Path, name: str) -> LinearModel:
        try:
            spec = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            coef = np.load(folder / f"{name}.coef.npy", allow_pickle=False)
            intercept = np.load(folder / f"{name}.intercept.npy", allow_pickle=False)
        except (OSError, ValueError, KeyError) as err:
            raise ModelError(str(folder), f"cannot load {name} weights ({err})") from None
        vocab = {k: i for i, k in enumerate(spec["features"])}
        if coef.ndim != 2 or coef.shape[1] != len(vocab):
            raise ModelError(str(folder), f"{name} weights do not match its feature list")
        return cls(list(spec["classes"]), vocab, coef, intercept)


class FeatureScorer:
    """Raw scores ``X·coefᵀ + intercept`` of linear models that share one vocabulary, for
    :func:`doc_feature_parts` lines.

    A line's score is the sum of its features' weight rows.  Its groups recur: a view's
    (table cells and row labels are in every report), and its dynamic features (a
    table's lines sit at much the same place).  Each group's sum is computed once and
    kept; a line then adds six sums: its own group's, one from each of its four
    neighbours' views (see :func:`shared_groups`), and its dynamic group's.
    """

    def __init__(self, models: list[LinearModel]):
        self.vocab = models[0].vocab
        weights = np.hstack([m.coef.T for m in models])
        self._weights = np.vstack([weights, np.zeros((1, weights.shape[1]))])  # last: "no feature"
        self._intercept = np.concatenate([m.intercept for m in models])
        self._bounds = np.cumsum([0] + [m.coef.shape[0] for m in models]).tolist()
        # id of a view's groups → (the groups, their rows in _sums).  Keyed by identity: the
        # groups are the same objects every time; the entry keeps them alive, so no other
        # object can take their id while they are cached.
        self._rows: dict[int, tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]] = {}
        # dynamic features → their row; by content: a document's last line builds its own
        self._dynamic_rows: dict[tuple[str, ...], int] = {}
        self._sums = np.zeros((1024, weights.shape[1]))
        self._used = 0  # rows of _sums filled
        self._reset()

    def _reset(self) -> None:
        self._rows.clear()
        self._dynamic_rows.clear()
        self._used = 0
        self._add_sums(list(_NO_NEIGHBOURS))  # row k: group k's "none" (row 0 is unused)

    def scores(self, parts: list[LineFeatures]) -> list[np.ndarray]:
        """Per model, the raw scores of every line of one document, shape (n, classes of
        that model)."""
        if self._used > 5 * LINE_CACHE:
            self._reset()
        rows, dynamic_rows, new = self._rows, self._dynamic_rows, []
        seen_rows, line_dynamic = [], []
        for line in parts:
            hit = rows.get(id(line.seen))
            if hit is None:
                hit = rows[id(line.seen)] = (line.seen, self._new_rows(line.seen, new))
            seen_rows.append(hit[1])
            row = dynamic_rows.get(line.dynamic)
            if row is None:
                row = dynamic_rows[line.dynamic] = self._new_rows((line.dynamic,), new)[0]
            line_dynamic.append(row)
        if new:
            self._add_sums(new)
        total = self._sums[self._line_rows(seen_rows, line_dynamic)].sum(axis=1)
        total += self._intercept
        return [total[:, a:b] for a, b in zip(self._bounds, self._bounds[1:])]

    def _new_rows(self, groups: tuple[tuple[str, ...], ...], new: list[tuple[str, ...]]) -> tuple[int, ...]:
        """Rows for groups about to be summed (queued on ``new``)."""
        first = self._used + len(new)
        new.extend(groups)
        return tuple(range(first, first + len(groups)))

    @staticmethod
    def _line_rows(seen_rows: list[tuple[int, ...]], dynamic: list[int]) -> np.ndarray:
        """Per line, the rows of its six groups (:func:`shared_groups`, then its dynamic
        group); past the document's edges, row k holds group k's "none"."""
        n = len(seen_rows)
        seen = np.asarray(seen_rows, dtype=np.int64).reshape(n, 5)
        out = np.empty((n, 6), dtype=np.int64)
        out[:, 0] = seen[:, 0]
        for k, offset in enumerate(_NEIGHBOUR_OFFSETS, 1):
            if offset < 0:  # the first lines have no line that far back
                out[-offset:, k], out[:-offset, k] = seen[:n + offset, k], k
            else:
                out[:-offset, k], out[-offset:, k] = seen[offset:, k], k
        out[:, 5] = dynamic
        return out

    def _add_sums(self, groups: list[tuple[str, ...]]) -> None:
        """Weight sums of groups new to the cache, which take its last rows."""
        first, self._used = self._used, self._used + len(groups)
        if self._used > len(self._sums):
            grown = np.zeros((2 * self._used, self._sums.shape[1]))
            grown[:first] = self._sums[:first]
            self._sums = grown
        self._sums[first:self._used] = self._reduce([self._columns(g) for g in groups])

    def _columns(self, names: tuple[str, ...]) -> list[int]:
        vocab = self.vocab
        return [c for c in map(vocab.get, names) if c is not None]

    def _reduce(self, columns: list[list[int]]) -> np.ndarray:
        """Sum of the weight rows of each list of columns (an empty list sums to zero)."""
        pad = len(self.vocab)  # the zero row leads every list: reduceat misreads empty ones
        flat, starts = [], []
        for cols in columns:
            starts.append(len(flat))
            flat.append(pad)
            flat.extend(cols)
        return np.add.reduceat(self._weights[flat], starts)


# ------------------------------------------------------------------ decoding
def _switch_costs(n: int, switch: float | np.ndarray, stay: np.ndarray | None
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per-line log-weights of moving up / staying; a float is a constant penalty."""
    if np.isscalar(switch):
        return np.full(n, -float(switch)), np.zeros(n)
    move = np.asarray(switch, dtype=float)
    return move, (np.zeros(n) if stay is None else np.asarray(stay, dtype=float))


def viterbi(emit: np.ndarray, switch: float | np.ndarray, stay: np.ndarray | None = None) -> list[int]:
    """Best monotone state path: states never decrease.

    ``switch`` is the penalty of a step up (a float) or, per line, the log-weight of
    starting a new section at that line (``stay`` the log-weight of not doing so).
    The path starts from state 0 before the first line.  Vectorized over lines, one
    state at a time (:func:`_state_runs`): linear in lines, no per-line Python.

    >>> e = np.log(np.array([[.9, .1], [.1, .9], [.6, .4], [.1, .9]]))
    >>> viterbi(e, 1.0)   # the lone 0-ish line at t=2 cannot flip back
    [0, 1, 1, 1]
    """
    n, k = emit.shape
    if n == 0:
        return []
    move, stay = _switch_costs(n, switch, stay)
    best, entry, came_from = _state_runs(_finite(emit), move, stay)
    path = np.empty(n, dtype=np.int64)
    t, j = n - 1, int(np.argmax(best[-1]))  # ties: the lowest state
    while True:  # walk back run by run: at most one per state
        start = int(entry[t, j])
        path[start:t + 1] = j
        if start == 0:
            return path.tolist()
        t, j = start - 1, int(came_from[start, j])


def _finite(emit: np.ndarray) -> np.ndarray:
    """Emissions with log 0 raised to -1e4 (e^-10000 is 0 in float64 too): the running
    sums of the vectorized passes must not meet -inf - -inf."""
    return emit if np.isfinite(emit).all() else np.maximum(emit, -1e4)


def _state_runs(emit: np.ndarray, move: np.ndarray, stay: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Max-plus forward pass of :func:`viterbi`, one state ``j`` at a time over all lines.

    A path in ``j`` at line t entered ``j`` at some line u <= t and stayed, so
    best[t, j] = L[t] + max_{u<=t} z[u], with L the running sum of E[·, j] + stay and
    z[u] the score of entering at u (from the best lower state at u - 1) minus L[u]: a
    running maximum.  Returns the scores, the line each best path entered ``j`` (ties
    stay: the earliest entry), and the lower state it came from when entering at t.
    """
    n, k = emit.shape
    lines = np.arange(n)
    best = np.empty((n, k))
    entry = np.empty((n, k), dtype=np.int64)
    came_from = np.zeros((n, k), dtype=np.int64)
    below, below_state = np.full(n, -np.inf), np.zeros(n, dtype=np.int64)  # best lower state per line
    for j in range(k):
        run = np.concatenate(([0.0], np.cumsum(emit[1:, j] + stay[1:])))
        z = np.empty(n)
        z[0] = (stay[0] if j == 0 else move[0]) + emit[0, j]
        z[1:] = below[:-1] + move[1:] + emit[1:, j] - run[1:]
        top = np.maximum.accumulate(z)
        best[:, j] = run + top
        entered = np.empty(n, dtype=bool)
        entered[0], entered[1:] = True, z[1:] > top[:-1]
        entry[:, j] = np.maximum.accumulate(np.where(entered, lines, 0))
        came_from[1:, j] = below_state[:-1]
        higher = best[:, j] > below  # strictly: of equal scores the lowest state stays
        below = np.where(higher, best[:, j], below)
        below_state = np.where(higher, j, below_state)
    return best, entry, came_from


def marginals(emit: np.ndarray, switch: float | np.ndarray, stay: np.ndarray | None = None) -> np.ndarray:
    """Posterior state probabilities per line under the same monotone chain.

    Forward-backward in log space, vectorized over lines one state at a time: for a
    fixed state each pass is a first-order linear recurrence (stay in the state, or
    enter it from the mass of the states below / above), solved with running sums and
    ``np.logaddexp.accumulate``.  Nothing underflows, however long the document.
    """
    n, k = emit.shape
    if n == 0:
        return np.zeros((0, k))
    move, stay = _switch_costs(n, switch, stay)
    emit = _finite(emit)
    post = _log_forward(emit, move, stay) + _log_backward(emit, move, stay)
    post = np.exp(post - post.max(axis=1, keepdims=True))
    return post / post.sum(axis=1, keepdims=True)


def _log_forward(emit: np.ndarray, move: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """log alpha[t, j]: alpha_t = E_t (S_t alpha_{t-1} + M_t below_{t-1}), below = the
    mass of the states under j; solved per state as alpha_t = P_t (alpha_0 + Σ d_u / P_u)."""
    n, k = emit.shape
    alpha = np.empty((n, k))
    below = np.full(n, -np.inf)
    for j in range(k):
        run = np.concatenate(([0.0], np.cumsum(emit[1:, j] + stay[1:])))
        z = np.empty(n)
        z[0] = (stay[0] if j == 0 else move[0]) + emit[0, j]
        z[1:] = below[:-1] + move[1:] + emit[1:, j] - run[1:]
        alpha[:, j] = run + np.logaddexp.accumulate(z)
        below = np.logaddexp(below, alpha[:, j])
    return alpha


def _log_backward(emit: np.ndarray, move: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """log beta[t, j]: beta_t = S_{t+1} E_{t+1} beta_{t+1} + M_{t+1} above_{t+1}, above =
    the mass E·beta of the states over j; the forward recurrence run backwards."""
    n, k = emit.shape
    beta = np.empty((n, k))
    above = np.full(n, -np.inf)
    for j in range(k - 1, -1, -1):
        run = np.concatenate(([0.0], np.cumsum((emit[1:, j] + stay[1:])[::-1])))
        z = np.zeros(n)
        z[1:] = (move[1:] + above[1:])[::-1] - run[1:]
        beta[:, j] = (run + np.logaddexp.accumulate(z))[::-1]
        above = np.logaddexp(above, emit[:, j] + beta[:, j])
    return beta


# ------------------------------------------------------------------ segmenters
def _fill_lines(doc: Document, idx: list[int], sections: list[str], heads: list[bool],
                conf: list[float]) -> list[Line]:
    """Lines for every doc line: non-empty ones from the decode, empty ones copy the line before."""
    out: list[Line] = []
    rounded = [round(c, 4) for c in conf]
    current, current_conf = "title", 1.0  # lines before the first: where every report starts
    k = 0  # the next decoded line (idx ascends)
    for i, line in enumerate(doc.lines):
        if k < len(idx) and idx[k] == i:
            current, current_conf = sections[k], rounded[k]
            out.append(Line(line.start, line.end, current, heads[k], current_conf))
            k += 1
        else:  # empty lines take the section of the line before
            out.append(Line(line.start, line.end, current, False, current_conf))
    return out


@functools.lru_cache(maxsize=LINE_CACHE)
def _has_content(line: str) -> bool:
    return bool(_LEAD.sub("", norm(line)).strip())


def _content_lines(doc: Document) -> tuple[list[int], list[str], list[bool]]:
    texts = doc.line_texts()
    mask = table_mask(doc)
    idx = [i for i, t in enumerate(texts) if _has_content(t)]
    return idx, [texts[i] for i in idx], [mask[i] for i in idx]


class Segmenter:
    """The trained segmenter: two logistic regressions + order-constrained Viterbi."""

    def __init__(self, section_model: LinearModel, heading_model: LinearModel,
                 boundary_model: LinearModel, settings: dict[str, Any],
                 meta: dict[str, Any] | None = None):
        self.section_model = section_model
        self.heading_model = heading_model
        self.boundary_model = boundary_model
        models = [section_model, heading_model, boundary_model]
        # Models trained together share one vocabulary: score them together.
        if heading_model.vocab == section_model.vocab == boundary_model.vocab:
            self._scorers = [FeatureScorer(models)]
        else:
            self._scorers = [FeatureScorer([m]) for m in models]
        self.settings = settings
        self.meta = meta or {}
        missing = set(SECTIONS) - set(section_model.classes)
        # Sections never seen in training keep a (very unlikely) emission column.
        self._known = [j for j, s in enumerate(SECTIONS) if s in section_model.classes]
        self._known_cols = [section_model.classes.index(SECTIONS[j]) for j in self._known]
        self._non_table = np.array([ORDER[s] for s in SECTIONS if s not in TABLE_SECTIONS])
        if len(missing) == len(SECTIONS):
            raise ModelError("<segmenter>", "section model knows none of the sections")

    def scores(self, parts: list[LineFeatures]) -> list[np.ndarray]:
        """Raw scores of the section, heading and boundary models for every line."""
        return [scores for scorer in self._scorers for scores in scorer.scores(parts)]

    def emissions(self, section_scores: np.ndarray, in_table: list[bool]) -> np.ndarray:
        logp = self.section_model.log_proba(section_scores)
        emit = np.full((len(in_table), len(SECTIONS)), -30.0)
        emit[:, self._known] = logp[:, self._known_cols]
        grid = np.flatnonzero(in_table)
        emit[grid[:, None], self._non_table] -= float(self.settings.get("table_penalty", 4.0))
        return emit

    def decode(self, texts: list[str], mask: list[int]) -> tuple[list[str], list[bool], list[float]]:
        """Sections, heading flags and confidences for non-empty line texts."""
        if not texts:
            return [], [], []
        head_chars = int(self.settings.get("head_chars", 10))
        parts, in_table = doc_feature_parts(texts, mask, head_chars)
        section_scores, heading_scores, boundary_scores = self.scores(parts)
        emit = self.emissions(section_scores, in_table)
        move, stay = self.switch_weights(boundary_scores)
        path = viterbi(emit, move, stay)
        post = marginals(emit, move, stay)
        head_p = _positive(self.heading_model, heading_scores)
        likely = (head_p >= float(self.settings.get("heading_threshold", 0.5))).tolist()
        views = [_line_view(text, head_chars) for text in texts]
        heads = heading_flags(likely, views, parts, in_table)
        conf = post[np.arange(len(path)), path].tolist()
        sections = [SECTIONS[s] for s in path]
        return sections, one_title_block(sections, heads, [view.title for view in views]), conf

    def switch_weights(self, boundary_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Log-weights of a section starting / not starting at each line (boundary model).

        The first line may start in any section for a small fixed cost: scraped
        reports often begin with site chrome, a preamble sentence or 一、总体情况.
        """
        b = np.clip(_positive(self.boundary_model, boundary_scores), 1e-6, 1 - 1e-6)
        w = float(self.settings.get("boundary_weight", 1.0))
        move = w * np.log(b) - float(self.settings.get("switch_penalty", 1.0))
        stay = w * np.log1p(-b)
        move[0], stay[0] = -float(self.settings.get("start_penalty", 2.0)), 0.0
        return move, stay

    def predict(self, doc: Document) -> list[Line]:
        idx, texts, mask = _content_lines(doc)
        sections, heads, conf = self.decode(texts, mask)
        return _fill_lines(doc, idx, sections, heads, conf)

    def save(self, out_dir: Path) -> None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        self.section_model.save(out_dir, "section")
        self.heading_model.save(out_dir, "heading")
        self.boundary_model.save(out_dir, "boundary")


def heading_flags(likely: list[bool], views: list[_LineView], parts: list[LineFeatures],
                  in_table: list[bool]) -> list[bool]:
    """The heading model's flags (``likely``) under what headings never are: a line that
    goes on to its own next item, an unnumbered line opening with the preamble's words
    or in a part's text; and the title under a bare 三、 shares that line's flag."""
    heads = [h and not (view.no_heading or _BODY_TEXT in part.dynamic)
             for h, view, part in zip(likely, views, parts)]
    for t in range(1, len(views)):  # 三、 alone, its title on the next line: one heading
        if heads[t - 1] and views[t - 1].bare and views[t].unnumbered and not in_table[t]:
            heads[t] = True
    return heads


def one_title_block(sections: list[str], heads: list[bool], titles: list[bool] | None = None
                    ) -> list[bool]:
    """Before 一、总体情况 only the first run of heading lines, and the title again, stay headings.

    Scraped pages may open the preamble with a list of the section names; once the
    title block has ended with a non-heading line, later title/preamble lines are not
    headings — except a line shaped as a report title (``titles``): pages print the
    title in their header and again as the document's head after the page furniture,
    and both are the report's title.

    >>> one_title_block(["title", "title", "preamble", "preamble", "overview"], [True, False, True, True, True],
    ...                 [True, False, False, True, False])
    [True, False, False, True, True]
    """
    out = list(heads)
    started = ended = False
    for t, section in enumerate(sections):
        if section not in ("title", "preamble"):
            break
        if out[t]:
            if ended and not (titles and titles[t]):
                out[t] = False
            started = True
        elif started:
            ended = True
    return out


def _positive(model: LinearModel, scores: np.ndarray) -> np.ndarray:
    """P(label "1") from a binary model's raw scores, per line."""
    col = model.classes.index("1") if "1" in model.classes else len(model.classes) - 1
    return np.exp(model.log_proba(scores)[:, col])


_RULE_HEAD = re.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*、")
_RULE_SUB = re.compile(r"^\s*(?:[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|\d{1,2}\s*[.、](?!\d)|"
                       r"[一二三四五六七八九十]是)")
_RULE_KEYS = (("overview", ("总体",)), ("active", ("主动公开",)),
              ("requests", ("申请",)), ("review", ("复议", "诉讼")),
              ("problems", ("问题", "改进")), ("other", ("其他",)))


class RuleSegmenter:
    """Baseline: a line is a section heading when it starts with ``一、`` … ``六、``.

    The section comes from the heading's keyword, else from its numeral (一 → overview,
    二 → active …); lines before the first heading are the title (first line) and the
    preamble; sub-headings (``（一）``, ``1.``, ``一是``) outside table grids are
    flagged as headings too.
    """

    def predict(self, doc: Document) -> list[Line]:
        idx, texts, mask = _content_lines(doc)
        sections, heads = [], []
        current = "title"
        for k, raw in enumerate(texts):
            text = norm(raw).strip()
            m = _RULE_HEAD.match(text)
            head = False
            if m:
                head = True
                sec = next((s for s, words in _RULE_KEYS if any(w in text[:20] for w in words)), None)
                if sec is None:
                    n = cn_value(m.group(1))
                    sec = ("overview", "active", "requests", "review", "problems", "other")[min(n, 6) - 1]
                current = sec
            elif _RULE_SUB.match(text) and mask[k] < 0 and "\t" not in raw and "|" not in text:
                head = True
            elif current in ("title", "preamble"):
                current = "title" if k == 0 else "preamble"
                head = k == 0
            sections.append(current)
            heads.append(head)
        return _fill_lines(doc, idx, sections, heads, [1.0] * len(texts))


# ------------------------------------------------------------------ persistence
def load_segmenter(model_dir: str | Path = "models/segmenter") -> Segmenter:
    """Load a trained segmenter; refuses other versions, tampered or pickled files."""
    from nlp.persist import read_meta
    model_dir = Path(model_dir)
    meta = read_meta(model_dir, KIND)
    return Segmenter(LinearModel.load(model_dir, "section"), LinearModel.load(model_dir, "heading"),
                     LinearModel.load(model_dir, "boundary"), dict(meta.get("settings", {})), meta)


# ------------------------------------------------------------------ training
def load_config(path: str | Path = "configs/segmenter.yaml") -> dict[str, Any]:
    return dict(loads_yaml(Path(path).read_text(encoding="utf-8")) or {})


def _truncated(record: Record, rng: random.Random, lo: int, hi: int) -> Record | None:
    """A copy of ``record`` cut after a random number of characters (mid-sentence)."""
    if len(record.text) <= lo + 50:
        return None
    cut = rng.randint(lo, min(hi, len(record.text) - 1))
    lines = [ln for ln in record.lines if ln.start < cut]
    if not lines:
        return None
    last = lines[-1]
    lines[-1] = Line(last.start, min(last.end, cut), last.section, last.heading)
    return Record(id=f"{record.id}#cut{cut}", text=record.text[:cut], lines=lines)


def _cut_after_numbering(record: Record, rng: random.Random, heading: bool) -> Record | None:
    """A copy of ``record`` cut just after the numbering of one of its body lines that is
    (or is not) a heading — ``三、`` with nothing after it: scraped excerpts stop there
    too, and the numbering and the lines before must then say what the line is (the
    heading that opens 三's section, or a table's next row label)."""
    numbered = []
    for k, line in enumerate(record.lines):
        if line.heading != heading or line.section in ("title", "preamble"):
            continue
        raw = record.text[line.start:line.end]
        text = norm(raw)
        stripped = _LEAD.sub("", text)
        lead = len(text) - len(stripped)
        m = next((m for _, pattern in _NUMBERING if (m := pattern.match(stripped))), None)
        if m and len(text) == len(raw) and m.end() < len(stripped):
            numbered.append((k, line.start + lead + m.end()))
    if not numbered:
        return None
    k, cut = rng.choice(numbered)
    lines = record.lines[:k + 1]
    last = lines[-1]
    lines[-1] = Line(last.start, cut, last.section, last.heading)
    return Record(id=f"{record.id}#num{cut}", text=record.text[:cut], lines=lines)


def _examples(records: list[Record], head_chars: int) -> tuple[list[dict], list[str], list[str], list[str]]:
    """Features and labels of every non-empty line: section, heading, section boundary."""
    feats, sections, heads, starts = [], [], [], []
    for rec in records:
        doc = document_of(rec.text, rec.id)
        labels = gold_labels(doc, rec)
        idx, texts, mask = _content_lines(doc)
        feats.extend(doc_features(texts, mask, head_chars))
        secs = [labels[i][0] for i in idx]
        sections.extend(secs)
        heads.extend("1" if labels[i][1] else "0" for i in idx)
        starts.extend("1" if k and secs[k] != secs[k - 1] else "0" for k in range(len(secs)))
    return feats, sections, heads, starts


def _fit(feats: list[dict], labels: list[str], C: float, max_iter: int, seed: int) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform(feats)
    clf = LogisticRegression(C=C, max_iter=max_iter, random_state=seed)
    clf.fit(X, labels)
    vocab = {k: int(v) for k, v in vec.vocabulary_.items()}
    return LinearModel([str(c) for c in clf.classes_], vocab, np.asarray(clf.coef_, dtype=float),
                       np.asarray(clf.intercept_, dtype=float))


def fit_segmenter(records: list[Record], config: dict[str, Any]) -> Segmenter:
    """Train both models on ``records`` (plus truncated copies), deterministically."""
    seed = int(config.get("seed", 13))
    rng = random.Random(seed)
    records = sorted(records, key=lambda r: r.id)
    train = list(records)
    for _ in range(int(config.get("truncate_copies", 0))):
        for rec in records:
            cut = _truncated(rec, rng, int(config.get("truncate_min_chars", 300)),
                             int(config.get("truncate_max_chars", 2000)))
            if cut is not None:
                train.append(cut)
    for _ in range(int(config.get("numbering_cut_copies", 0))):
        for rec in records:
            for heading in (True, False):
                cut = _cut_after_numbering(rec, rng, heading)
                if cut is not None:
                    train.append(cut)
    head_chars = int(config.get("head_chars", 10))
    feats, sections, heads, starts = _examples(train, head_chars)
    max_iter = int(config.get("max_iter", 2000))
    section_model = _fit(feats, sections, float(config.get("section_C", 4.0)), max_iter, seed)
    heading_model = _fit(feats, heads, float(config.get("heading_C", 4.0)), max_iter, seed)
    boundary_model = _fit(feats, starts, float(config.get("boundary_C", 4.0)), max_iter, seed)
    return Segmenter(section_model, heading_model, boundary_model, decode_settings(config))


DECODE_KEYS = ("switch_penalty", "start_penalty", "boundary_weight", "table_penalty",
               "heading_threshold", "head_chars")


def decode_settings(config: dict[str, Any]) -> dict[str, Any]:
    return {k: config[k] for k in DECODE_KEYS if k in config}


MODEL_DESCRIPTION = (
    "Three logistic regressions over the same DictVectorizer line+context features: section "
    "(8 classes), heading flag, section boundary. Decoding: Viterbi over the monotone section "
    "order title→preamble→overview→active→requests→review→problems→other (never back, skips "
    "allowed); starting a section at a line costs log P(boundary) (- switch_penalty), lines in "
    "table grids pay table_penalty outside active/requests/review; heading flag = P(heading) >= "
    "threshold, never on a line that goes on to its own next item (一是…二是…), nor on an "
    "unnumbered line after the first numbered part heading or opening with the preamble's words "
    "(but the title under a bare 三、 shares its flag); one title block "
    "(a repeated report title stays a heading); lines before the first are title. Confidence = "
    "posterior marginal of the decoded section.")
EVALUATION_NOTES = (
    "Every gold line takes the label of the predicted line containing its start (offsets mapped "
    "back through Document.offset_map; content alignment for other formats). boundaries_exact: "
    "all section starts over non-empty lines equal. body_* leave out the title/preamble split. "
    "realdev: heading gold = lines flagged in `lines` plus lines of multi-line entries in "
    "`headings`; its title/preamble section labels are derived mechanically from the heading "
    "list (first line = title), so line_accuracy there mostly measures that convention.")


def _load(path: Path) -> list[Record]:
    from nlp.corpus import load_records

    return load_records(path)


def train(corpus_dir: str | Path, out_dir: str | Path, config: dict[str, Any] | str | Path | None = None
          ) -> dict[str, Any]:
    """Train on ``corpus_dir``'s training files, evaluate on every evaluation set, save with a card.

    Returns the metrics (per evaluation set, for the model and the rule baseline).
    """
    from nlp import persist
    from nlp.evaluate.segments import evaluate_sets
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if config is None or isinstance(config, (str, Path)):
        config = load_config(config or Path(__file__).resolve().parent.parent / "configs" / "segmenter.yaml")
    train_paths = [corpus_dir / f for f in config.get("train_files", ["synth/train.jsonl"])]
    for p in train_paths:
        if not p.is_file():
            raise ModelError(str(p), "training corpus file not found; generate the corpus first")
    data_hash = persist.corpus_hash(train_paths)
    records = [r for p in train_paths for r in _load(p)]
    if persist.corpus_hash(train_paths) != data_hash:
        raise CorpusError(str(corpus_dir), "training files changed while being read; train again")
    model = fit_segmenter(records, config)
    eval_sets = {name: corpus_dir / rel for name, rel in dict(config.get("eval_files", {})).items()
                 if (corpus_dir / rel).is_file()}
    # Measure-only sets outside the corpus (realdev): relative to the project folder.
    for name, rel in dict(config.get("measure_files", {})).items():
        if (corpus_dir.parent / rel).is_file():
            eval_sets[name] = corpus_dir.parent / rel
    metrics = evaluate_sets(model, {k: _load(v) for k, v in eval_sets.items()})
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*"):
        if stale.is_file():
            stale.unlink()
    model.save(out_dir)
    persist.write_meta(
        out_dir, KIND,
        corpus_hash=data_hash,
        corpus_files=[str(p.relative_to(corpus_dir)) for p in train_paths],
        train_documents=len(records),
        settings={k: v for k, v in config.items()
                  if k not in ("train_files", "eval_files", "measure_files")},
        metrics=metrics,
        model=MODEL_DESCRIPTION,
        evaluation_notes=EVALUATION_NOTES,
    )
    return metrics
