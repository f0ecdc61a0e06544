"""Linear models as plain arrays, and scoring a document's lines with models that share one vocabulary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from operator import is_not
from pathlib import Path
from typing import Sequence

import numpy as np

from nlp.errors import ModelError
from nlp.segment.context import _NEIGHBOUR_OFFSETS, _NO_NEIGHBOURS, LineFeatures
from nlp.segment.features import LINE_CACHE


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
            return np.stack([self.log_proba_column(scores, 0), self.log_proba_column(scores, 1)], axis=1)
        scores = scores - scores.max(axis=1, keepdims=True)
        return scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))

    def log_proba_column(self, scores: np.ndarray, col: int) -> np.ndarray:
        """:meth:`log_proba`'s column ``col`` (a binary model's computed alone: those who
        read one column need not compute both)."""
        if self.coef.shape[0] == 1:
            return -np.logaddexp(0, scores[:, 0] if col == 0 else -scores[:, 0])
        return self.log_proba(scores)[:, col]

    def save(self, folder: Path, name: str) -> None:
        import io

        from nlp.persist import atomic_write_bytes, atomic_write_text
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
        # id of a view's groups → the row in _sums of the first; the others take the rows
        # after it.  Keyed by identity: the groups are the same objects every time; _kept
        # holds them alive, so no other object can take their id while they are cached.
        self._rows: dict[int, int] = {}
        self._kept: list[tuple[tuple[str, ...], ...]] = []
        # dynamic features → their row; by content: a document's last line builds its own
        self._dynamic_rows: dict[tuple[str, ...], int] = {}
        # any group summed → its row: what neighbours see of a line takes few values, the
        # same tuples for many lines (LineView.groups): a new line's copy their rows
        self._group_rows: dict[tuple[str, ...], int] = {}
        self._sums = np.zeros((1024, weights.shape[1]))
        self._used = 0  # rows of _sums filled
        self._reset()

    def _reset(self) -> None:
        self._rows.clear()
        self._kept.clear()
        self._dynamic_rows.clear()
        self._group_rows.clear()
        self._used = 0
        self._add_sums(list(_NO_NEIGHBOURS))  # row k: group k's "none" (row 0 is unused)

    def scores(self, parts: list[LineFeatures]) -> list[np.ndarray]:
        """Per model, the raw scores of every line of one document, shape (n, classes of
        that model)."""
        seen, dynamic = zip(*parts) if parts else ((), ())
        return self.scores_of(seen, dynamic)

    def scores_of(self, seen: Sequence[tuple[tuple[str, ...], ...]], dynamic: Sequence[tuple[str, ...]]
                  ) -> list[np.ndarray]:
        """:meth:`scores` of lines given as their ``seen`` groups and their ``dynamic``
        features (:func:`doc_feature_views`)."""
        if self._used > 5 * LINE_CACHE:
            self._reset()
        # most groups are known already: look them all up at once, then sum the new ones
        seen_rows = list(map(self._rows.get, map(id, seen)))
        dynamic_rows = list(map(self._dynamic_rows.get, dynamic))
        if None in seen_rows or None in dynamic_rows:
            self._add_new(seen, dynamic, seen_rows, dynamic_rows)
        total = np.take(self._sums, self._line_rows(seen_rows, dynamic_rows), axis=0).sum(axis=1)
        total += self._intercept
        return [total[:, a:b] for a, b in zip(self._bounds, self._bounds[1:])]

    def _add_new(self, seen: tuple, dynamic: tuple, seen_rows: list, dynamic_rows: list) -> None:
        """Rows for the lines' groups not cached yet (the ``None`` in ``seen_rows`` and
        ``dynamic_rows``, filled in), their sums computed together.  Line by line, as
        earlier lines may have brought the same groups."""
        rows, dynamic_known, new = self._rows, self._dynamic_rows, []
        for i, (groups, names) in enumerate(zip(seen, dynamic)):
            if seen_rows[i] is None:
                hit = rows.get(id(groups))
                if hit is None:
                    hit = rows[id(groups)] = self._new_rows(groups, new)
                    self._kept.append(groups)
                seen_rows[i] = hit
            if dynamic_rows[i] is None:
                row = dynamic_known.get(names)
                if row is None:
                    row = dynamic_known[names] = self._new_rows((names,), new)
                dynamic_rows[i] = row
        self._add_sums(new)

    def _new_rows(self, groups: tuple[tuple[str, ...], ...], new: list[tuple[str, ...]]) -> int:
        """The first of the consecutive rows of groups about to be summed (queued on ``new``)."""
        first = self._used + len(new)
        new.extend(groups)
        return first

    @staticmethod
    def _line_rows(seen_rows: list[int], dynamic: list[int]) -> np.ndarray:
        """Per line, the rows of its six groups (:func:`shared_groups`, then its dynamic
        group), from the first row of each line's view groups (group k is k rows on); past
        the document's edges, row k holds group k's "none"."""
        n = len(seen_rows)
        seen = np.array(seen_rows, dtype=np.int64)
        out = np.empty((n, 6), dtype=np.int64)
        out[:, 0] = seen
        for k, offset in enumerate(_NEIGHBOUR_OFFSETS, 1):
            if offset < 0:  # the first lines have no line that far back
                out[-offset:, k], out[:-offset, k] = seen[:n + offset] + k, k
            else:
                out[:-offset, k], out[-offset:, k] = seen[offset:] + k, k
        out[:, 5] = dynamic
        return out

    def _add_sums(self, groups: list[tuple[str, ...]]) -> None:
        """Weight sums of groups new to the cache, which take its last rows; a group summed
        before is copied from its row."""
        first, self._used = self._used, self._used + len(groups)
        if self._used > len(self._sums):
            grown = np.zeros((2 * self._used, self._sums.shape[1]))
            grown[:first] = self._sums[:first]
            self._sums = grown
        summed = self._group_rows
        new, new_rows, copies, sources = [], [], [], []
        for row, group in enumerate(groups, first):
            source = summed.get(group)
            if source is None:
                summed[group] = row
                new.append(group)
                new_rows.append(row)
            else:
                copies.append(row)
                sources.append(source)
        if new:
            self._sums[new_rows] = self._reduce(new)
        self._sums[copies] = self._sums[sources]  # after the sums: a source may be new too

    def _reduce(self, groups: list[tuple[str, ...]]) -> np.ndarray:
        """Sum of the weight rows of each group's features in the vocabulary (a group with
        none sums to zero), each group's rows in its own order (float sums: order counts)."""
        known = self.vocab.get
        pad = len(self.vocab)  # the zero row leads every group: reduceat misreads empty ones
        flat, starts = [], []
        for names in groups:  # a new group maps to columns in C calls, not per name in Python
            starts.append(len(flat))
            flat.append(pad)
            flat.extend(filter(_IS_COLUMN, map(known, names)))
        # as an array first: indexing with the list itself converts it element by element
        return np.add.reduceat(self._weights[np.fromiter(flat, np.intp, len(flat))], starts)


# Whether vocab.get found a column: None for a feature the models never saw (and column 0
# is one, so no truthiness test).
_IS_COLUMN = partial(is_not, None)
