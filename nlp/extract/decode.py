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

Texts arrive as their words and no spaCy ``Doc`` is built: the network runs in numpy
(:mod:`nlp.extract.network`, which keeps each word's hashed embeddings in a cache), and
spaCy is not imported at all.

Matrix products go to numpy's BLAS on one thread: for these thin matrices (a few
thousand tokens × 32–128) it is 3–4× faster than thinc's default BLIS, and the
pipeline's parallelism is worker processes, which a BLAS thread pool would compete with.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from typing import Any

import numpy as np

from nlp.extract.network import Network

# (start_char, end_char, label, confidence) per entity, per input text
Entities = list[tuple[int, int, str, float]]


class GreedyDecoder:
    """Decode texts given as their words with a :class:`~nlp.extract.network.Network`;
    see the module docstring."""

    def __init__(self, network: Network):
        self.network = network
        self.bias = network.bias
        self.upper_w, self.upper_b = network.upper_w, network.upper_b
        names = list(network.moves.names)
        self.labels = sorted({n[2:] for n in names if n.startswith("U-") and n[2:]})
        col = {n: i for i, n in enumerate(names)}
        self.begin, self.inside, self.last, self.unit = (
            np.array([col[f"{move}-{label}"] for label in self.labels]) for move in "BILU")
        self.out = col["O"]
        self.label_of = np.full(len(names), -1)  # move → index of its label (B and U moves)
        self.label_of[self.begin] = self.label_of[self.unit] = np.arange(len(self.labels))
        # With no entity open only O, B-x and U-x can be valid; unseen classes never are.
        self.never_closed = np.ones(len(names), dtype=bool)
        self.never_closed[np.r_[self.begin, self.unit, self.out]] = False
        self.never_closed[list(network.moves.unseen)] = True

    def decode_words(self, texts: list[list[str]], starts: list[list[int]] | None = None) -> list[Entities]:
        """Entities of texts given as their words: spaCy's ``Doc(vocab, words)``.  Without
        ``starts`` the words follow each other with nothing between them; with it, each
        word's offset in its text (a tokenizer that keeps spaces between words)."""
        lengths = [len(words) for words in texts]
        n = sum(lengths)
        if not n:
            return [[] for _ in texts]
        # map over the flat words: no Python frame per word, as a comprehension has
        space = np.fromiter(map(str.isspace, itertools.chain.from_iterable(texts)), dtype=bool, count=n)
        length = np.fromiter(map(len, itertools.chain.from_iterable(texts)), dtype=np.int64, count=n)
        if starts is None:
            before = np.cumsum(length) - length  # characters before each token, over all texts
            firsts = np.cumsum(lengths) - lengths
            start = before - np.repeat(before[np.minimum(firsts, len(before) - 1)], lengths)
        else:
            start = np.fromiter(itertools.chain.from_iterable(starts), dtype=np.int64, count=n)
        with _one_blas_thread():
            return self._decode(self.network.token_features(texts), lengths, space, start, length)

    def _decode(self, feats: np.ndarray, lengths: list[int], space: np.ndarray, start: np.ndarray,
                length: np.ndarray) -> list[Entities]:
        """Entities from the feature-slot pre-activations of texts of ``lengths`` tokens
        (row 0: padding; token g: row g+1) and, per token over all texts, whether it is a
        space, its start in its text and its length."""
        closed = self._scores(feats[1:, 0] + feats[0, 1] + feats[0, 2])
        sure = _top_probability(closed)
        final = np.zeros(len(space), dtype=bool)
        final[np.cumsum(lengths) - 1] = True
        allowed = np.where(self.never_closed, -np.inf, closed)
        allowed[np.ix_(space | final, self.begin)] = -np.inf  # no B on a space or the last token
        allowed[np.ix_(space, self.unit)] = -np.inf
        best = allowed.argmax(axis=1)
        # Every token with a move other than O, all at once: where its entity would end
        # and the lowest confidence of its decisions; only the walk that skips the
        # openings inside an earlier entity is left to Python, one step per candidate.
        cands = np.flatnonzero(best != self.out)
        moves = best[cands]
        opening = np.isin(moves, self.begin)
        stop = cands + 1  # a U move's entity ends after its token
        lowest = sure[cands]
        stop[opening], inside = self._open_steps(feats, cands[opening], self.label_of[moves[opening]], final)
        lowest[opening] = np.minimum(lowest[opening], inside)
        after = sure[np.minimum(stop, len(sure) - 1)]  # the decision after it, in the same doc
        lowest = np.where(final[stop - 1], lowest, np.minimum(lowest, after))
        doc_of = np.searchsorted(np.cumsum(lengths), cands, side="right")
        out: list[Entities] = [[] for _ in lengths]
        t = 0
        for g, g_stop, doc, a, b, k, conf in zip(cands.tolist(), stop.tolist(), doc_of.tolist(),
                                                 start[cands].tolist(), (start + length)[stop - 1].tolist(),
                                                 self.label_of[moves].tolist(), lowest.tolist()):
            if g < t:
                continue  # inside the entity just decoded (an entity never leaves its doc)
            t = g_stop
            out[doc].append((a, b, self.labels[k], round(conf, 4)))
        return out

    def _scores(self, summed: np.ndarray) -> np.ndarray:
        """Move scores from summed feature pre-activations (…, nO, nP): maxout, then upper.
        The maxout is pairwise maxima: numpy reduces a last axis of 2–3 pieces ~40× slower."""
        pieces = summed + self.bias
        hidden = pieces[..., 0]
        for p in range(1, pieces.shape[-1]):
            hidden = np.maximum(hidden, pieces[..., p])
        return hidden @ self.upper_w + self.upper_b

    def _open_steps(self, feats: np.ndarray, opens: np.ndarray, label: np.ndarray, final: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Decode every entity that a B move could open (at tokens ``opens``, of labels
        ``label``), all in step: I-x while it scores best, then L-x.  Per opening token:
        the entity's end, and the lowest confidence of its steps.  (Openings inside an
        earlier entity are decoded too and never used: cheaper than stepping through the
        entities one by one.)"""
        first = feats[opens + 1, 1]  # the entity's first token, in its feature slot
        pos = opens + 1
        ends = np.zeros(len(opens), dtype=np.int64)
        worst = np.ones(len(opens), dtype=np.float32)
        active = np.arange(len(opens))
        while active.size:
            g = pos[active]
            scores = self._scores(feats[g + 1, 0] + first[active] + feats[g, 2])
            worst[active] = np.minimum(worst[active], _top_probability(scores))
            rows = np.arange(len(active))
            k = label[active]
            # I first on a tie, as spaCy takes the first best valid move; never I on the last token
            go_on = ~final[g] & (scores[rows, self.inside[k]] >= scores[rows, self.last[k]])
            ends[active[~go_on]] = g[~go_on] + 1
            active = active[go_on]
            pos[active] += 1
        return ends, worst


def _one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread: the matrices are small, and
    threads only spin.  ``govreport check`` and ``extract`` set ``OPENBLAS_NUM_THREADS=1``
    before numpy loads; with numpy on OpenBLAS there is then nothing to limit, and
    threadpoolctl's scan of the loaded libraries (~8 ms) is not paid at every start.  (A
    variable set after numpy loaded is not seen by OpenBLAS: its threads then only spin.)"""
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1" and _numpy_on_openblas():
        return contextlib.nullcontext()
    return _blas_threads().limit(limits=1, user_api="blas")


@functools.lru_cache(maxsize=1)
def _numpy_on_openblas() -> bool:
    """Whether numpy's BLAS is OpenBLAS (MKL, say, ignores ``OPENBLAS_NUM_THREADS``)."""
    try:
        return "openblas" in str(np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]).lower()
    except (AttributeError, KeyError, TypeError):
        return False


@functools.lru_cache(maxsize=1)
def _blas_threads() -> Any:
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


def _top_probability(scores: np.ndarray) -> np.ndarray:
    """Per row, the softmax probability of the best-scoring move."""
    return 1.0 / np.exp(scores - scores.max(axis=1, keepdims=True)).sum(axis=1)
