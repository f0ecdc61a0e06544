"""Features of one line on its own: numbering, section words, head characters, shape.

Every feature is binary, so a line's features are their names.  The words behind them
(numbering patterns, section words, table words) are data: ``nlp/data/lexicon/sections.yaml``.
Context from the lines around (:mod:`nlp.segment.context`) is added per document.
"""

from __future__ import annotations

import bisect
import functools
import re
from itertools import compress
from dataclasses import dataclass, field

from nlp import lexicon
from nlp.chars import fold_fullwidth
from nlp.types import SECTIONS

# Distinct lines whose features are kept: table cells and labels recur in every report,
# narrative lines rarely; ~9 KB each with their groups, so this bounds the caches' memory.
LINE_CACHE = 16384

# ------------------------------------------------------------------ text helpers
_CN = str(lexicon.load("sections")["numerals"])  # 1 … 10
_TEN = _CN[-1]
_CN_VAL = {c: i + 1 for i, c in enumerate(_CN)}


def norm(text: str) -> str:
    """Full-width → ASCII, odd spaces → space (features must not depend on the reader).

    >>> norm("（一）主动公开：２件")
    '(一)主动公开:2件'
    """
    return fold_fullwidth(text)


def cn_value(numeral: str) -> int:
    """Value of a small Chinese or Arabic numeral (1–99).

    >>> cn_value("三"), cn_value("十二"), cn_value("二十"), cn_value("7")
    (3, 12, 20, 7)
    """
    if numeral.isdigit():
        return int(numeral)
    if _TEN in numeral:
        tens, _, ones = numeral.partition(_TEN)
        return (_CN_VAL.get(tens, 1) if tens else 1) * 10 + (_CN_VAL.get(ones, 0) if ones else 0)
    return _CN_VAL.get(numeral, 0)


def cn_numeral(value: int) -> str:
    """A number 1–99 as a Chinese numeral (the inverse of :func:`cn_value`).

    >>> cn_numeral(3), cn_numeral(12), cn_numeral(20), cn_numeral(35)
    ('三', '十二', '二十', '三十五')
    """
    tens, ones = divmod(value, 10)
    head = ("" if tens == 1 else _CN[tens - 1]) + _TEN if tens else ""
    return head + (_CN[ones - 1] if ones else "")


# ------------------------------------------------------------------ numbering
_LEAD = re.compile(r"^[\s|\-*•·#>]+")


def strip_lead(text: str) -> str:
    """``text`` without the bullets, bars and spaces it opens with."""
    return _LEAD.sub("", text)


# (name, pattern), tried in order; the first group is the numeral
NUMBERING = tuple((str(n["name"]), re.compile(n["pattern"])) for n in lexicon.load("sections")["numbering"])
# All of them as one alternation: it matches where any one does, so a line it misses (most
# lines) is unnumbered after one regex call instead of one per pattern.  A pattern that
# refers to its own groups (\1, (?P=…)) would read another's there: then none is skipped.
_ANY_NUMBERING = (re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in NUMBERING))
                  if not any(re.search(r"\\[1-9]|\(\?P=", pattern.pattern) for _, pattern in NUMBERING)
                  else re.compile(""))
_HEADING_KINDS = frozenset(("cn_dun", "cn_paren", "ar_paren", "ar_dot", "ar_dun", "cn_shi"))
# How the item after item n of a numbering kind is written: a line that holds its own next
# item is a paragraph listing points, not a heading.
_NEXT_ITEM = dict(lexicon.load("sections")["next_item"])
_CITATION = str(lexicon.load("sections")["citation_prefix"])


def next_item(kind: str, n: int) -> str:
    """The enumerator of the item after item ``n`` of numbering ``kind``.

    >>> next_item("cn_dun", 2), next_item("ar_paren", 9), next_item("cn_shi", 1)
    ('三、', '(10)', '二是')
    """
    return _NEXT_ITEM[kind].format(cn=cn_numeral(n + 1), n=n + 1)


def _holds_item(body: str, item: str) -> bool:
    """Whether ``body`` holds the enumerator ``item`` (not as a citation, 第(三)项)."""
    body = body.replace(" ", "")
    at = body.find(item)
    while at >= 0:
        if body[at - 1:at] != _CITATION:
            return True
        at = body.find(item, at + 1)
    return False


# ------------------------------------------------------------------ words
# Section words by group (a group matched in a line's head names its section).
KEYWORDS: dict[str, tuple[str, ...]] = {
    str(group): tuple(map(str, words)) for group, words in lexicon.load("sections")["keywords"].items()}
_KEYWORD_RE = {group: lexicon.pattern("sections", "keywords", group, longest_first=False) for group in KEYWORDS}
# Every group's words as one alternation: the places where a word starts are found in one
# scan of the line, and each asks only the groups with a word opening with its character
# (most lines have no word or few; each group's pattern scanned the whole line).
_ANY_KEYWORD = re.compile("|".join(pattern.pattern for pattern in _KEYWORD_RE.values()))


def _keyword_openers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Per character, the groups (and their patterns) with a word opening with it."""
    out: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for group, pattern in _KEYWORD_RE.items():
        for opener in dict.fromkeys(word[0] for word in lexicon.words("sections", "keywords", group)):
            out.setdefault(opener, []).append((group, pattern))
    return out


_KEYWORD_OPENERS = _keyword_openers()


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


@dataclass(slots=True)
class LineView:
    """What :func:`doc_features` needs of a line, computed once per distinct line (and
    shared by every line with that text: never changed once built; not frozen, as a frozen
    dataclass sets each field through ``object.__setattr__``, five times the cost)."""

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
            got = self._groups[kind] = (self.names + grid, *_seen_by_neighbours(self.near, self.far, kind))
        return got


@functools.lru_cache(maxsize=LINE_CACHE)
def _seen_by_neighbours(near: tuple[str, ...], far: tuple[str, ...], kind: str | None
                        ) -> tuple[tuple[str, ...], ...]:
    """What the lines at -1, +1, -2, +2 see of a line (:meth:`LineView.groups`).  It takes
    its near and far features and its grid alone, which few lines tell apart: each tagged
    once, the same tuples for every line that has them (a scorer sums each once)."""
    grid = () if kind is None else ("in_table", f"tbl={kind}")
    return (*(tuple(f"{tag}:{k}" for k in near + grid) for tag in ("p", "n")),
            *(tuple(f"{tag}:{k}" for k in far + grid[:1]) for tag in ("pp", "nn")))


@functools.lru_cache(maxsize=LINE_CACHE)
def line_view(raw: str, head_chars: int) -> LineView:
    names = _line_feature_names(raw, head_chars)
    near, far, last_keys = [], [], []
    numval, head_group = None, None
    # a new line costs this for every feature it has: look the roles up in one call, and
    # walk only the features that have one (most have none: its head characters)
    roles = list(map(_ROLES.get, names))
    if None in roles:
        roles = [_role(k) if role is None else role for k, role in zip(names, roles)]
    for k, role in compress(zip(names, roles), roles):
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
    named = set(names)  # once: a test in the tuple compares name by name
    return LineView(
        names=names, near=tuple(near), far=tuple(far),
        numbered=not named.isdisjoint(("num=cn_dun", "num=ar_dot", "num=ar_dun")),
        cn_dun="num=cn_dun" in named,
        numval=numval or 0,
        head_group=head_group,
        bare="num_only" in named,
        unnumbered="num=none" in named,
        no_heading="next_item_inline" in named or ("num=none" in named and "kwh=preamble" in named),
        title="title_like" in named and "kv_head" not in named,
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


_CELL_SPLIT = re.compile(r"[\t|]")
_SHAPES = lexicon.load("sections")["shapes"]
_NUMERIC_CELL = re.compile(_SHAPES["numeric_cell"])
_YEAR = re.compile(_SHAPES["year"])
_KV_HEAD = re.compile(r"^[\u4e00-\u9fff ]{2,6}:")  # "信息名称:…" page metadata
_REPORT_WORD = re.compile(_SHAPES["report_word"])
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
    kind, body = _add_numbering_features(feats, stripped)
    feats["num=" + kind] = 1.0
    cells = sum(1 for c in _CELL_SPLIT.split(text) if c.strip()) if tabs or pipes else int(bool(text.strip()))
    feats[f"cells={min(cells, 5)}"] = 1.0
    feats[f"len={_bucket(len(stripped), _LEN_EDGES)}"] = 1.0
    _add_word_features(feats, stripped, body, head_chars)
    if kind != "none" and body[:4]:
        feats[f"{kind}+{body[:2]}"] = 1.0
    if stripped:
        # numbering and shape together: "(一)X。…" opens a sub-section, a bare "X。…" does not
        for key in _add_shape_features(feats, stripped):
            feats[f"shape={kind}&{key}"] = 1.0
    return feats


def _add_numbering_features(feats: dict[str, float], stripped: str) -> tuple[str, str]:
    """The numbering a line opens with (its kind, or "none") and the text after it."""
    if not _ANY_NUMBERING.match(stripped):
        return "none", stripped
    for name, pattern in NUMBERING:
        m = pattern.match(stripped)
        if m:
            value = cn_value(m.group(1))
            feats[f"numval={min(value, 12)}"] = 1.0
            body = stripped[m.end():].lstrip(" 、.:")
            if name in _NEXT_ITEM and 0 < value < 99 and _holds_item(body, next_item(name, value)):
                feats["next_item_inline"] = 1.0
            if not body and name in _HEADING_KINDS:  # 三、 alone: title on the next line, or cut
                feats["num_only"] = 1.0
            return name, body
    return "none", stripped


def _add_word_features(feats: dict[str, float], stripped: str, body: str, head_chars: int) -> None:
    """Section keywords in the line and in its head; the head's characters and bigrams."""
    compact = stripped.replace(" ", "")
    head = None
    found = _keyword_groups(compact)
    for group, pattern in _KEYWORD_RE.items() if found else ():  # most lines: no keyword
        if group in found:  # the head is part of the line: no match there without one here
            if head is None:
                head = body.replace(" ", "")[:16]
            if pattern.search(head):
                feats["kwh=" + group] = 1.0
            feats["kw=" + group] = 1.0
    lead = body[:head_chars]
    # in the order of the head, a repeated one kept where it first came (as one by one)
    feats.update(dict.fromkeys(map("c1=".__add__, lead), 1.0))
    feats.update(dict.fromkeys(["c2=" + lead[k:k + 2] for k in range(len(lead) - 1)], 1.0))


def _keyword_groups(compact: str) -> set[str]:
    """The groups with a word in ``compact`` (each group's pattern searched in it)."""
    found = set()
    word = _ANY_KEYWORD.search(compact)
    while word:  # every place a word starts: the next search begins one past the last
        at = word.start()
        for group, pattern in _KEYWORD_OPENERS[compact[at]]:
            if group not in found and pattern.match(compact, at):
                found.add(group)
        word = _ANY_KEYWORD.search(compact, at + 1)
    return found


def _add_shape_features(feats: dict[str, float], stripped: str) -> tuple[str, str]:
    """How a non-blank line ends, how much of it is digits, where its first stop falls,
    and the shapes of a table cell, a dated head, a metadata line and a report title.
    Returns the ending's and the first stop's features, which pair with the numbering."""
    last, n = stripped[-1], len(stripped)
    cls = ("digit" if last.isdigit() else "stop" if last in "。.!！?？" else
           "colon" if last in ":：" else "semi" if last in ";；,，、" else
           "close" if last in ")）】」”\"" else "han" if "\u4e00" <= last <= "\u9fff" else "other")
    ending = "last=" + cls
    feats[ending] = 1.0
    digits = sum(map(str.isdigit, stripped))
    feats[f"digits={_bucket(digits / n, _DIGIT_EDGES)}"] = 1.0
    feats[f"stops={min(stripped.count('。'), 3)}"] = 1.0
    first_stop = min([at for at in map(stripped.find, "。:;") if at >= 0], default=-1)
    stop = f"first_stop={_bucket(first_stop, _STOP_EDGES)}" if first_stop >= 0 else "first_stop=none"
    feats[stop] = 1.0
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
    return ending, stop


_CONTEXT_KEYS = ("num=", "numval=", "kwh=", "len=", "last=", "cells=", "tabs=", "pipes=",
                 "numeric_cell", "blankish", "in_table", "year_head", "tbl=")
_FAR_KEYS = ("num=", "in_table", "kwh=", "cells=")
_CONTEXT_KINDS, _FAR_KINDS = frozenset(_CONTEXT_KEYS), frozenset(_FAR_KEYS)
_LAST_KINDS = frozenset(("num=", "first_stop=", "len="))  # what a document's last line repeats


@functools.lru_cache(maxsize=LINE_CACHE)
def compact(line: str) -> str:
    return norm(line).replace(" ", "")


@functools.lru_cache(maxsize=LINE_CACHE)
def has_content(line: str) -> bool:
    return bool(_LEAD.sub("", norm(line)).strip())

