"""Where the tables are, and which label a printed label is.

``find_regions`` bounds each table's lines by its heading, the segmenter's sections or
a tell-tale label; ``best`` / ``match_labels`` match printed labels fuzzily against the
registry's labels (``t2_cands``, ``t3_cands``; table 4's are its own module's).  The
words are ``nlp/data/lexicon/tables.yaml``'s and ``indicators.yaml``'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from nlp import lexicon
from nlp.indicators import registry
from nlp.tables.cells import NUMBERING, fold, label_core
from nlp.tables.tokens import Cand, Tok
from nlp.types import TABLE_SECTIONS, Line

__all__ = ["find_regions", "opens_later_part", "best", "match_labels", "t2_cands", "t3_cands", "BEST_CACHE"]


_LABELS = lexicon.load("tables")["labels"]
_REGIONS = lexicon.load("tables")["regions"]


# ---------------------------------------------------------------- label matching
def _score(tok: str, cand: str) -> float:
    """Similarity of a label core to a candidate core (1 = same)."""
    if tok == cand:
        return 1.0
    if len(tok) >= 3 and cand.startswith(tok) and len(tok) >= 0.6 * len(cand):
        return 0.92  # cut short: 现行有效件
    if len(cand) >= 2 and tok.startswith(cand) and len(tok) <= len(cand) + 8:
        return 0.88  # extra tail: 行政许可（项）
    if 2.0 * min(len(tok), len(cand)) / (len(tok) + len(cand)) < 0.6 or _quick_ratio(tok, cand) < 0.6:
        return 0.0  # cheap upper bounds of the ratio: it cannot reach any threshold used here
    return SequenceMatcher(None, tok, cand).ratio()


def _quick_ratio(a: str, b: str) -> float:
    """``SequenceMatcher(None, a, b).quick_ratio()`` (the characters the two share, as a
    multiset) from counts kept per string: a document's labels meet every candidate of the
    template, and a matcher built per pair was most of a first table's parsing.

    >>> _quick_ratio("行政许可", "许可行政"), _quick_ratio("收费", "罚款")
    (1.0, 0.0)
    """
    ca, cb = _char_counts(a), _char_counts(b)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    shared = sum(min(n, cb.get(ch, 0)) for ch, n in ca.items())
    return 2.0 * shared / (len(a) + len(b))


@lru_cache(maxsize=16384)
def _char_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


# The answers of ``best`` and ``_after_parent``, per label and candidate tuple: the tuples
# are built once per template, labels repeat across documents.
BEST_CACHE: dict[tuple, tuple[tuple, Any]] = {}


def _kept(key: tuple, cands: tuple[Cand, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in ``BEST_CACHE`` under ``key`` while ``cands`` is the same tuple."""
    hit = BEST_CACHE.get(key)
    if hit is None or hit[0] is not cands:
        if len(BEST_CACHE) > 50_000:
            BEST_CACHE.clear()
        hit = BEST_CACHE[key] = (cands, compute())
    return hit[1]


def best(core: str, cands: tuple[Cand, ...], threshold: float = 0.76) -> tuple[Cand | None, float]:
    """Best candidate if clearly better than any candidate of another id (memoized)."""
    return _kept((core, id(cands), threshold), cands, lambda: _best_uncached(core, cands, threshold))


def _best_uncached(core: str, cands: tuple[Cand, ...], threshold: float) -> tuple[Cand | None, float]:
    if not core or len(core) > 60 or re.search(r"\d", core):
        return None, 0.0
    exact = _exact_cores(cands).get(core) if threshold <= 1.0 else None
    if exact is not None:  # a score of 1 wins outright: what the sort below would pick first
        return exact, 1.0
    scored = sorted(((_score(core, c.core), c) for c in cands), key=lambda x: -x[0])
    if not scored or scored[0][0] < threshold:
        return None, scored[0][0] if scored else 0.0
    top, cand = scored[0]
    rival = next((s for s, c in scored[1:] if (c.kind, c.id) != (cand.kind, cand.id)), 0.0)
    if top < 1.0 and top - rival < 0.06:
        return None, top
    return cand, top


# Per candidate tuple, its exact-core index.  The tuples are built once per template or
# are module constants (``t2_cands``, ``t3_cands``, table 4's and the template vote's): a
# handful of entries, kept for the process like the tuples themselves.
_EXACT: dict[int, tuple[tuple, dict[str, Cand]]] = {}


def _exact_cores(cands: tuple[Cand, ...]) -> dict[str, Cand]:
    """Each candidate core's first candidate (most printed labels are a registry label
    verbatim: scoring them against every candidate was most of a first document's tables)."""
    hit = _EXACT.get(id(cands))
    if hit is None or hit[0] is not cands:
        index: dict[str, Cand] = {}
        for c in cands:
            index.setdefault(c.core, c)
        hit = _EXACT[id(cands)] = (cands, index)
    return hit[1]


def match_labels(toks: list[Tok], cands: list[Cand]) -> list[Tok]:
    """Give each text token its candidate; merge a label split over two tokens
    (``3.危及“三安全`` | ``一稳定”``), or over up to ``_MERGE_MAX`` when a PDF tool wrapped it
    around its quotes (``3. “`` | ``危及`` | ``三安全一稳`` | ``”`` | ``定``), when the merged text
    matches better."""
    out: list[Tok] = []
    done = 0  # toks[:done] are in ``out``
    ahead: tuple[int, Cand | None, float] = (-1, None, 0.0)  # the next token's match, when looked at
    # Only the text tokens are looked at; the values between them (most tokens) are
    # copied a run at a time.
    for i in [k for k, t in enumerate(toks) if t.kind == "text"]:
        if i < done:
            continue  # merged into the label before it
        out += toks[done:i]
        t = toks[i]
        cand, score = ahead[1:] if ahead[0] == i else best(label_core(t.text), cands)
        if cand is None or cand.kind == "parent":  # (a parent's label run into its first row's)
            cand, score = _after_parent(t.text, cands) or (cand, score)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.kind == "text" and score >= 1.0 and _wraps(t, nxt, cand, cands):
            # the label's last words wrapped onto the next line (其他对外管理服务 | 事项)
            out.append(Tok(t.text + nxt.text, t.line, "text", None, t.row, t.col, cand, i))
            done = i + 2
            continue
        if nxt is not None and nxt.kind == "text" and (score < 1.0):
            ncand, nscore = best(label_core(nxt.text), cands)
            ahead = (i + 1, ncand, nscore)  # the next token's own match, if it is not merged
            k, mcand, mscore = _best_merge(toks, i, cands)
            if mcand is not None and mscore > score and (ncand is None or nscore < mscore):
                out.append(Tok("".join(x.text for x in toks[i:i + k]), t.line, "text", None, t.row, t.col, mcand, i))
                done = i + k
                continue
        t.cand, t.src = cand, i
        out.append(t)
        done = i + 1
    out += toks[done:]
    return out


_MERGE_MAX = 6  # text tokens one label may be split into


def _after_parent(text: str, cands: tuple[Cand, ...]) -> tuple[Cand, float] | None:
    """The row a label names after its parent's label, run together on one line as the
    parent's merged cell leaves it (三、本年度办理结果（一）予以公开, （三）不予公开1.属于
    国家秘密; both parents: 三、本年度办理结果（三）不予公开1.属于国家秘密, as a Markdown
    table's one label cell joins them): matched exactly, else None.  (Asked of every text no label matches: kept
    per text, as ``best`` keeps its answers.)"""
    return _kept((text, id(cands), "after parent"), cands, lambda: _after_parent_uncached(text, cands))


def _after_parent_uncached(text: str, cands: tuple[Cand, ...]) -> tuple[Cand, float] | None:
    core = label_core(text)
    for parent in (c for c in cands if c.kind == "parent" and core.startswith(c.core) and len(core) > len(c.core)):
        cut = next((k for k in range(1, len(text)) if label_core(text[:k]) == parent.core), None)
        if cut is None:
            continue
        row, score = best(label_core(text[cut:]), cands)
        if row is not None and row.kind == "row" and score >= 1.0:
            return row, score
        deeper = _after_parent(text[cut:], cands)  # 三、本年度办理结果（三）不予公开1.属于国家秘密
        if deeper is not None:
            return deeper
    return None


def _wraps(t: Tok, nxt: Tok, cand: Cand | None, cands: list[Cand]) -> bool:
    """Is ``nxt`` the wrapped end of the label ``t`` matched exactly: a text on no row of
    its own cells, which joined to ``t`` is that same label, exactly, in a longer form?"""
    if cand is None or nxt.row is not None:
        return False
    joined, score = best(label_core(t.text + nxt.text), cands)
    return joined is not None and joined.id == cand.id and score >= 1.0 and len(joined.core) > len(cand.core)


def _best_merge(toks: list[Tok], i: int, cands: list[Cand]) -> tuple[int, Cand | None, float]:
    """The best match of the text tokens from ``i`` joined, two to ``_MERGE_MAX`` of them
    (only text tokens in a row): how many, the candidate, its score."""
    found: tuple[int, Cand | None, float] = (2, None, 0.0)
    text = toks[i].text
    for k in range(2, _MERGE_MAX + 1):
        if i + k > len(toks) or toks[i + k - 1].kind != "text":
            break
        text += toks[i + k - 1].text
        cand, score = best(label_core(text), cands)
        if cand is not None and score > found[2]:
            found = (k, cand, score)
    return found


# ---------------------------------------------------------------- regions
_HEADS = {k: re.compile(_REGIONS["headings"][sec]) for k, sec in TABLE_SECTIONS.items()}
_ANCHORS = {k: re.compile(_REGIONS["anchors"][sec]) for k, sec in TABLE_SECTIONS.items()}
_END = re.compile(_REGIONS["end"])


def opens_later_part(text: str) -> bool:
    """Does the line open a part after the tables (五、存在的主要问题…, 六、…)?"""
    return _END.search(text) is not None


def _may_head(text: str) -> bool:
    """A line short enough, and with no tab, to be a table heading."""
    return "\t" not in text and len(text) <= 60


def _heading_text(text: str) -> str | None:
    """The line's text if it can be a table heading (short, no cell separators)."""
    if not _may_head(text):
        return None
    s = fold(text)
    return s if len(s) <= 40 and "|" not in s else None


@lru_cache(maxsize=16384)  # headings and short lines repeat across reports
def _heading_tables(text: str) -> tuple[int, ...]:
    """The tables whose heading the line can be."""
    s = _heading_text(text)
    return () if s is None else tuple(k for k, pat in _HEADS.items() if pat.search(s))


def _is_t3_label(text: str) -> bool:
    """A table-3 label on a line of its own ((五)不予处理), which does not end table 3."""
    return best(label_core(text), t3_cands("2021")[1])[0] is not None


_MARKUP = re.compile(r"^[\s#*|>]*")


def _prefer_numbered(found: list[int], texts: list[str]) -> list[int]:
    """The numbered heading lines (四、…) among ``found``, when there are any: a short
    sentence can name a table's section too ("…未出现政府信息公开行政复议、行政诉讼情况。",
    a line of its own once a one-line dump is split at sentence ends), and taken for the
    heading it would end the table before it starts."""
    numbered = [i for i in found if NUMBERING.match(_MARKUP.sub("", fold(texts[i])))]
    return numbered or found


def find_regions(texts: list[str], lines: list[Line] | None) -> dict[int, tuple[int, int]]:
    """Line range of each table.  A table starts at its heading (二、主动公开… /
    三、收到和处理… / 四、…行政复议、行政诉讼情况), else where the segmenter's section
    (``lines[i].section``) starts, else at its first tell-tale label; it ends where the
    next table starts, or at 五、/存在的主要问题 after the last table.  Headings come first
    because a segmenter that is off by a row would cut a table row off."""
    heads = _heading_starts(texts)
    if lines:
        _past_overview_headings(heads, lines[:len(texts)], texts)
        _add_section_starts(heads, lines[:len(texts)])
    _add_anchor_starts(heads, texts)
    return _bounds(heads, texts)


_OPEN_BRACKETS = frozenset(lexicon.words("punctuation", "open_brackets"))


def _past_overview_headings(heads: dict[int, int], lines: list[Line], texts: list[str]) -> None:
    """A table's heading found in another section, before the segmenter's section for that
    table starts, is a sub-heading that names its subject ((一)行政机关主动公开政府信息情况
    under 一、总体情况 in a 2019 report whose 二、 heading the text broke or misspelt): such a
    bracketed sub-heading gives way to the start of that section — and where no such section
    follows, starts no table (an opening that stops before its tables); a later table's
    heading found before this table is dropped."""
    for k, sec in TABLE_SECTIONS.items():
        i = heads.get(k)
        if i is None or i >= len(lines) or lines[i].section == sec \
                or fold(texts[i]).lstrip("#*> ")[:1] not in _OPEN_BRACKETS:
            continue  # (a 二、 heading stays where it is: the segmenter may start its section late)
        start = next((j for j in range(i + 1, len(lines)) if lines[j].section == sec), None)
        if start is not None:
            heads[k] = start
        else:
            del heads[k]
    for k in sorted(heads):
        if any(heads[j] > heads[k] for j in heads if j < k):
            del heads[k]  # (the loop reads the keys as sorted before)


def _heading_starts(texts: list[str]) -> dict[int, int]:
    """Table → its heading line: table 3's last, table 2's last before table 3, table 4's
    first after tables 2–3."""
    n = len(texts)
    heads: dict[int, int] = {}
    found: dict[int, list[int]] = {k: [] for k in _HEADS}
    for i, text in enumerate(texts):
        if not _may_head(text):
            continue  # most of a report's lines: not asked of (nor kept in) the cache of headings
        for k in _heading_tables(text):
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
    return heads


def _add_section_starts(heads: dict[int, int], lines: list[Line]) -> None:
    """A table without a heading starts where the segmenter's section for it starts."""
    for k, sec in TABLE_SECTIONS.items():
        if k in heads:
            continue  # a heading was found: no need to scan every line for the section
        idx = next((i for i, ln in enumerate(lines) if ln.section == sec), None)
        if idx is not None:
            heads[k] = idx


def _add_anchor_starts(heads: dict[int, int], texts: list[str]) -> None:
    """A table still without a start begins at its first tell-tale label after the tables
    before it."""
    for k, pat in _ANCHORS.items():
        if k not in heads:
            lo = max([heads[j] for j in heads if j < k], default=-1)
            hit = next((i for i in range(lo + 1, len(texts)) if pat.search(fold(texts[i]))), None)
            if hit is not None:
                heads[k] = hit


def _bounds(heads: dict[int, int], texts: list[str]) -> dict[int, tuple[int, int]]:
    """Each table ends where the next begins; the last at the next section's heading."""
    n = len(texts)
    out: dict[int, tuple[int, int]] = {}
    order = sorted(heads.items(), key=lambda kv: kv[1])
    for pos, (k, start) in enumerate(order):
        stop = order[pos + 1][1] if pos + 1 < len(order) else n
        if pos + 1 == len(order):
            stop = next((i for i in range(start + 1, stop) if "\t" not in texts[i]
                         and "|" not in texts[i] and _END.search(fold(texts[i]))
                         and not _is_t3_label(texts[i])), stop)
        out[k] = (start, stop)
    return out


# ---------------------------------------------------------------- candidates from the registry
@lru_cache(maxsize=None)
def t2_cands(template: str) -> tuple[Cand, ...]:
    """Row and column labels of table 2 (the registry's, with their variants)."""
    spec = registry().raw["table2"][template]
    out = []
    for r in spec["rows"]:
        out += [Cand(label_core(x), "row", r["id"]) for x in [r["label"], *r.get("aliases", [])]]
    for c in spec["columns"]:
        out += [Cand(label_core(x), "col", c["id"]) for x in [c["label"], *c.get("aliases", [])]]
    out += [Cand(label_core(x), "ignore", x) for x in _LABELS["active_ignore"]]
    return tuple(out)


@lru_cache(maxsize=None)
def t3_cands(template: str) -> tuple[tuple[Cand, ...], tuple[Cand, ...]]:
    """(header candidates, body candidates) for table 3."""
    raw = registry().raw["table3"]
    head = [Cand(label_core(c["label"]), "col", c["id"]) for c in raw["columns"]]
    head += [Cand(label_core(x), "col", c["id"]) for c in raw["columns"] for x in c.get("aliases", [])]
    head += [Cand(label_core(x), "extra", "subtotal") for x in _LABELS["requests_subtotal"]]
    head += [Cand(label_core(x), "ignore", "group") for x in _LABELS["requests_groups"]]
    body = []
    parents = set()
    for r in raw["rows"]:
        if template not in r["templates"] and not (r["id"] == "other" and template == "2021"):
            continue
        kind = "parent" if (r["id"] == "other" and template == "2021") else "row"
        for x in [r["label"], *r.get("aliases", [])]:
            body.append(Cand(label_core(x), kind, r["id"]))
        if r.get("parent"):
            parents.add(r["parent"])
    body += [Cand(label_core(p), "parent", p) for p in parents if label_core(p) != _LABELS["requests_other"]]
    body += [Cand(label_core(x), "parent", "outcome") for x in _LABELS["requests_outcomes"]]
    return tuple(head), tuple(body)
