"""Greedy decoding of the trained spaCy NER in numpy, with a confidence per token.

spaCy's transition-based NER reads, per step, three tokens: the next token B0, and —
while an entity is open — its first token E0 and the token before B0.  With no entity
open the last two are padding, so the scores of every closed state depend on B0 alone:
they are computed for all tokens of a batch in one matrix product, and only the steps
inside an entity (a few tokens per fact) are computed one by one.  spaCy's own greedy
decoder steps through every token of every sentence in Python when the scores must be
read, which cost more than the network itself.

The decisions are spaCy's: the same validity rules for the BILUO moves (no entity starts
on whitespace, none runs past the last token, I/L keep the open label) and the first best
move among the valid ones.  Tests compare the spans with ``ner.pipe`` and the confidences
with a step-by-step decode through spaCy's own state machine.

Matrix products go to numpy's BLAS on one thread: for these thin matrices (a few
thousand tokens × 32–128) it is 3–4× faster than thinc's default BLIS, and the
pipeline's parallelism is worker processes, which a BLAS thread pool would compete with.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

# (start_char, end_char, label, confidence) per entity, per input text
Entities = list[tuple[int, int, str, float]]


class GreedyDecoder:
    """Decode docs with a loaded spaCy ``ner`` pipe; see the module docstring."""

    def __init__(self, ner: Any):
        from thinc.api import NumpyOps

        model = ner.model
        blas = NumpyOps(use_blis=False)
        for layer in model.walk():
            layer.ops = blas
        self.tok2vec = model.get_ref("tok2vec")
        self.lower = model.get_ref("lower")  # per token and feature slot: nO × nP pre-activations
        self.bias = self.lower.get_param("b")
        upper = model.get_ref("upper")
        self.upper_w = np.ascontiguousarray(upper.get_param("W").T)
        self.upper_b = upper.get_param("b")
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.labels = sorted({n[2:] for n in names if n.startswith("U-") and n[2:]})
        col = {n: i for i, n in enumerate(names)}
        self.begin, self.inside, self.last, self.unit = (
            np.array([col[f"{move}-{label}"] for label in self.labels]) for move in "BILU")
        self.out = col["O"]
        self.label_of = {int(c): k for moves in (self.begin, self.unit) for k, c in enumerate(moves)}
        self.is_unit = {int(c) for c in self.unit}
        # With no entity open only O, B-x and U-x can be valid; unseen classes never are.
        self.never_closed = np.ones(len(names), dtype=bool)
        self.never_closed[np.r_[self.begin, self.unit, self.out]] = False
        self.never_closed[sorted(model.attrs.get("unseen_classes", ()))] = True

    def __call__(self, docs: list[Any]) -> list[Entities]:
        with _blas_threads().limit(limits=1, user_api="blas"):
            return self._decode(docs)

    def _decode(self, docs: list[Any]) -> list[Entities]:
        from spacy.attrs import IS_SPACE

        lengths = [len(doc) for doc in docs]
        if not sum(lengths):
            return [[] for _ in docs]
        feats = self.lower.predict(self.tok2vec.predict(docs))  # row 0: padding; token g: row g+1
        closed = self._scores(feats[1:, 0] + feats[0, 1] + feats[0, 2])
        confidence = _top_probability(closed)
        space = np.concatenate([doc.to_array([IS_SPACE]).reshape(-1) for doc in docs]).astype(bool)
        final = np.zeros(len(space), dtype=bool)
        final[np.cumsum(lengths) - 1] = True
        allowed = np.where(self.never_closed, -np.inf, closed)
        allowed[np.ix_(space | final, self.begin)] = -np.inf  # no B on a space or the last token
        allowed[np.ix_(space, self.unit)] = -np.inf
        best = allowed.argmax(axis=1)
        out, offset = [], 0
        for doc, n in zip(docs, lengths):
            out.append(self._walk(doc, offset, best, confidence, feats))
            offset += n
        return out

    def _scores(self, summed: np.ndarray) -> np.ndarray:
        """Move scores from summed feature pre-activations (…, nO, nP): maxout, then upper."""
        return (summed + self.bias).max(axis=-1) @ self.upper_w + self.upper_b

    def _walk(self, doc: Any, offset: int, best: np.ndarray, confidence: np.ndarray,
              feats: np.ndarray) -> Entities:
        """Follow one doc's moves: closed steps are looked up, open ones computed."""
        n = len(doc)
        conf = np.ones(n + 1, dtype=np.float32)  # the token after the last reads as sure
        conf[:n] = confidence[offset:offset + n]
        ents, t = [], 0
        for s in np.flatnonzero(best[offset:offset + n] != self.out).tolist():
            if s < t:
                continue  # inside the entity just decoded
            move = int(best[offset + s])
            k = self.label_of[move]
            t = s + 1
            if move not in self.is_unit:
                t = self._inside(offset, s, t, n, k, feats, conf)
            ents.append((s, t, k))
        return [(doc[s:e].start_char, doc[s:e].end_char, self.labels[k],
                 round(float(conf[s:e + 1].min()), 4)) for s, e, k in ents]

    def _inside(self, offset: int, start: int, t: int, n: int, k: int, feats: np.ndarray,
                conf: np.ndarray) -> int:
        """Steps of an entity opened at ``start``: I-x while it scores best, then L-x; its end."""
        first = feats[offset + start + 1, 1]
        while True:
            g = offset + t
            scores = self._scores(feats[g + 1, 0] + first + feats[g, 2])
            conf[t] = _top_probability(scores[None, :])[0]
            t += 1
            # I first on a tie, as spaCy takes the first best valid move
            if t > n - 1 or scores[self.inside[k]] < scores[self.last[k]]:
                return t


@functools.lru_cache(maxsize=1)
def _blas_threads() -> Any:
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


def _top_probability(scores: np.ndarray) -> np.ndarray:
    """Per row, the softmax probability of the best-scoring move."""
    return 1.0 / np.exp(scores - scores.max(axis=1, keepdims=True)).sum(axis=1)
