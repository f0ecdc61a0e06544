"""A line's features in its document: what its neighbours are, where it stands.

A line's own features (:mod:`nlp.segment.features`) are grouped as its neighbours see
them; its place (the part numbering so far, its index, a grid before it …) adds a few
more.  :func:`doc_feature_parts` gives both as groups of names, which
:class:`~nlp.segment.scorer.FeatureScorer` sums once each; :func:`doc_features` gives
the same features as one dict per line (what training reads).
"""

from __future__ import annotations

import operator
from itertools import accumulate, groupby, repeat
from typing import NamedTuple

import numpy as np

from nlp import lexicon
from nlp.segment.features import (LineView, _line_feature_names, _seen_by_neighbours, compact, has_content,
                                  line_view)


class LineFeatures(NamedTuple):
    """One line's features: its view's groups (:meth:`LineView.groups`, the same tuple
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
    for cache in (_line_feature_names, line_view, _seen_by_neighbours, has_content, compact):
        cache.cache_clear()


# Which statistical table a grid is, by the words its cells hold most of.
_TABLE_KINDS = tuple((str(kind), tuple(map(str, words)))
                     for kind, words in lexicon.load("sections")["table_kinds"].items())


def _table_kinds(texts: list[str], table_ids: list[int]) -> dict[int, str]:
    """Which statistical table (2, 3 or 4) each text table looks like, by its words."""
    cells: dict[int, list[str]] = {}
    # by runs of lines of one grid (a grid's lines follow each other), not line by line
    for tid, run in groupby(zip(table_ids, texts), key=operator.itemgetter(0)):
        if tid >= 0:
            cells.setdefault(tid, []).extend(map(compact, map(operator.itemgetter(1), run)))
    out = {}
    for tid, lines in cells.items():
        content = "".join(lines)  # once: adding line by line copied the grid's text per line
        hits = [(sum(map(content.count, ws)), kind) for kind, ws in _TABLE_KINDS]
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
    seen, dynamic, in_table, _views = doc_feature_views(texts, table_mask, head_chars)
    return list(map(LineFeatures, seen, dynamic)), in_table


def doc_feature_views(texts: list[str], table_mask: list[bool] | list[int], head_chars: int = 10
                      ) -> tuple[list[tuple[tuple[str, ...], ...]], list[tuple[str, ...]], list[bool],
                                 list[LineView]]:
    """:func:`doc_feature_parts` as two lists (every line's ``seen`` groups, its ``dynamic``
    features: the decoder builds no tuple per line), and the lines' views (it reads them too)."""
    if not texts:
        return [], [], [], []
    table_ids = _grid_ids(table_mask)
    kinds = _table_kinds(texts, table_ids)
    views = list(map(line_view, texts, repeat(head_chars)))
    # kinds.get: a grid's kind, None (no grid) for -1
    groups = [view.groups(kind) for view, kind in zip(views, map(kinds.get, table_ids))]
    in_table = [tid >= 0 for tid in table_ids]
    places = _places(views, in_table, _positions(texts, in_table))
    known = _PLACES.get
    dynamic = [known(place) or _place_features(place) for place in places[:-1]]
    # scraped texts stop mid-sentence: a short last line is no heading
    dynamic.append(_last_line(places[-1], views[-1], len(views) > 1 and in_table[-2]))
    return groups, dynamic, in_table, views


def _grid_ids(table_mask: list[bool] | list[int]) -> list[int]:
    """Per line, the id of its grid or -1 (a mask of bools: one grid, 0)."""
    if set(map(type, table_mask)) <= {int}:  # ids already (content_lines): no pass per line in Python
        return table_mask
    return [int(m) if not isinstance(m, bool) else (0 if m else -1) for m in table_mask]


def _last_line(place: tuple, view: LineView, after_grid: bool) -> tuple[str, ...]:
    """The dynamic features of a document's last line: its place, and what it repeats."""
    last = ["is_last", *(f"last&{k}" for k in view.last_keys)]
    if after_grid:
        last.append("last&p:in_table")
    return _place_features(place, tuple(last))


def _places(views: list[LineView], in_table: list[bool], positions: zip) -> list[tuple]:
    """Each line's place (see :func:`_place_features`), from what the lines before it say.

    One loop over plain locals: it runs for every line of every report."""
    last_head = "none"  # keyword group of the last numbered narrative heading (一、… / (一)…)
    front = True        # last_head is one from before the report's parts
    top = row = 0       # the highest 一、/二、… numeral so far; the last if it labelled a table row
    seen_title = False
    seen_cn_dun = 0     # 一、 lines so far, up to 4 (a place tells no more)
    out = []
    for i, (view, table, (idx, chars, rel, table_before)) in enumerate(zip(views, in_table, positions)):
        if view.numbered and not table:
            last_head = _head_group(views, i) or ("bare" if view.bare else last_head)
            front = last_head in _FRONT_HEADS
        order, next_top, cn_dun_before = None, 0, seen_cn_dun
        if view.cn_dun:
            value = view.numval
            order = _numbering_order(value, top, row)
            # the report's next part: 三、 is its third
            next_top = min(value, 12) if order == "next" and not table else 0
            top, row = max(top, value), (value if table else 0)
            seen_cn_dun = min(seen_cn_dun + 1, 4)
        # after a numbered part's heading, an unnumbered line is (nearly always) its text
        body_text = view.unnumbered and not front
        out.append((last_head, order, next_top, body_text, seen_title, idx, chars, rel, table_before,
                    cn_dun_before))
        if view.title:  # a repeated title is no second heading
            seen_title = True
    return out


def _numbering_order(value: int, top: int, row: int) -> str:
    """How a 一、… numeral ``value`` follows the ones before (``top`` the highest, ``row``
    the last if it labelled a table row): 一、 after 三、 is a table row label or lying
    numbering."""
    return ("row" if row and value == row + 1 else  # the table's next row label
            "next" if value == top + 1 else "restart" if value <= top else "jump")


def _positions(texts: list[str], in_table: list[bool]) -> zip:
    """Per line, the parts of its place that need no decoding: the bucket of its index, the
    bucket of the characters before it, its tenth of the document, whether a table grid
    came before it (computed for all lines at once)."""
    n = len(texts)
    lines = np.arange(n)
    before = np.zeros(n, dtype=np.int64)  # characters before each line, newlines counted
    np.cumsum(np.fromiter(map(len, texts[:-1]), np.int64, n - 1) + 1, out=before[1:])
    return zip(_IDX_EDGE_ARRAY.searchsorted(lines, side="right").tolist(),
               _CHAR_EDGE_ARRAY.searchsorted(before, side="right").tolist(),
               (10 * lines / max(n, 1)).astype(np.int64).tolist(),
               accumulate(in_table[:-1], operator.or_, initial=False))


# the edges as arrays once: searchsorted would convert the tuples on every call
_IDX_EDGE_ARRAY, _CHAR_EDGE_ARRAY = np.array(_IDX_EDGES), np.array(_CHAR_EDGES)

_FRONT_HEADS = ("none", "title", "preamble")  # last_head values before the report's parts


def _head_group(views: list[LineView], i: int) -> str | None:
    """The section line ``i``'s head keywords name; a bare numbering (三、) takes its
    title's on the next line."""
    group = views[i].head_group
    if group is None and views[i].bare and i + 1 < len(views) and "num=none" in views[i + 1].names:
        group = views[i + 1].head_group
    return group

