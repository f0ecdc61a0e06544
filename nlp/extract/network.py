"""The trained spaCy NER's network, run in numpy alone: start-up without importing spaCy.

spaCy's transition-based NER with a ``HashEmbedCNN`` tok2vec is a small feed-forward
network.  Per token: four hashed embeddings of the word's strings (norm, first
character, last three characters, shape), concatenated and mixed by a maxout layer with
layer normalisation; then ``depth`` residual blocks, each a maxout over a window of the
token and its neighbours; then a linear projection; then the parser's "lower" layer,
which maps each token to its pre-activations in each of the three feature slots a
parser state reads (the next token, the open entity's first token, the token before
the next).  :mod:`nlp.extract.decode` adds the slots up per state, takes the maxout and
scores the moves with the "upper" layer.

Importing spaCy costs about 3 CPU-seconds, two thirds of a one-file run; this module
needs numpy only.  The weights are exported from the spaCy pipeline when the model is
saved (:func:`nlp.extract.spacy.export_network`) into ``network.json`` (shapes and
settings) and ``network.npz`` (arrays; read with ``allow_pickle=False``); tests check
that both paths give the same entities and confidences.

Words are cut by the project's own tokenizer, so a token's hashed embeddings depend on
its word alone and are kept in a per-word cache; the layers after them run per batch.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlp.extract.hashing import murmur3_128_uint64, murmur64a, word_shape

__all__ = ["Network", "FILES", "SPEC_FILE", "ARRAYS_FILE", "WORD_CACHE"]

SPEC_FILE = "network.json"
ARRAYS_FILE = "network.npz"
FILES = (SPEC_FILE, ARRAYS_FILE)
WORD_CACHE = 200_000  # distinct words whose embeddings are kept (digit runs make them unbounded)
LAYER_NORM_EPS = 1e-8  # thinc's LayerNorm adds this to the variance
_COLUMNS = ("NORM", "PREFIX", "SUFFIX", "SHAPE")  # the lexeme attributes a word's strings can be


@dataclass(frozen=True)
class Moves:
    """The NER's moves as the decoder needs them: move names in score order and the
    moves the model never saw in training (never valid)."""

    names: tuple[str, ...]
    unseen: tuple[int, ...]


class Network:
    """Per-token pre-activations of the parser's three feature slots, and the upper layer."""

    def __init__(self, spec: dict[str, Any], arrays: dict[str, np.ndarray]):
        self.spec = spec
        self.arrays = arrays
        self.moves = Moves(tuple(spec["moves"]), tuple(spec["unseen_moves"]))
        self.columns = tuple(spec["columns"])
        # where each column's string sits in _COLUMNS (a word's strings are made in that order)
        self._column_picks = tuple(map(_COLUMNS.index, self.columns))
        self.seeds = tuple(int(s) for s in spec["seeds"])
        self.symbols: dict[str, int] = spec["symbols"]
        self.norms: dict[str, str] = spec["norms"]
        self.depth = int(spec["depth"])
        self.window = int(spec["window"])
        self.pad = int(spec["pad"])
        self.lower_w = arrays["lower.W"]        # (nF, nO, nP, nI)
        self.lower_pad = arrays["lower.pad"]    # (1, nF, nO, nP)
        self.bias = arrays["lower.b"]           # (nO, nP)
        self.upper_w = np.ascontiguousarray(arrays["upper.W"].T)  # (nO, moves)
        self.upper_b = arrays["upper.b"]
        self._lower_2d = self.lower_w.reshape(-1, self.lower_w.shape[-1])
        self._mix = _Maxout.of(arrays, "embed.mix")
        self._blocks = tuple(_Maxout.of(arrays, f"encode.{block}") for block in range(self.depth))
        self._word_index: dict[str, int] = {}
        self._word_rows = np.zeros((0, arrays["embed.mix.W"].shape[2]), dtype=np.float32)

    # ------------------------------------------------------------------ files

    @classmethod
    def load(cls, model_dir: Path | str) -> Network:
        model_dir = Path(model_dir)
        spec = json.loads((model_dir / SPEC_FILE).read_text(encoding="utf-8"))
        with np.load(model_dir / ARRAYS_FILE, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        return cls(spec, arrays)

    def save(self, model_dir: Path | str) -> None:
        model_dir = Path(model_dir)
        (model_dir / SPEC_FILE).write_text(json.dumps(self.spec, ensure_ascii=False, indent=1, sort_keys=True)
                                           + "\n", encoding="utf-8")
        with open(model_dir / ARRAYS_FILE, "wb") as fh:  # np.savez on a path would append ".npz"
            np.savez(fh, **self.arrays)

    @staticmethod
    def exists(model_dir: Path | str) -> bool:
        return all((Path(model_dir) / name).is_file() for name in FILES)

    # ------------------------------------------------------------------ the forward pass

    def token_features(self, texts: list[list[str]]) -> np.ndarray:
        """Row 0: the padding state's slots; row g+1: token g of all texts in order, shape
        (tokens + 1, nF, nO, nP) — what spaCy's precomputable affine layer gives."""
        lengths = [len(words) for words in texts]
        embedded = self._embedded(list(itertools.chain.from_iterable(texts)))
        hidden = self._encode(_maxout_norm(embedded, self._mix), lengths)
        hidden = np.dot(hidden, self.arrays["project.W"].T)
        hidden += self.arrays["project.b"]
        nF, nO, nP, _ = self.lower_w.shape
        out = np.empty((len(hidden) + 1, nF * nO * nP), dtype=np.float32)
        np.dot(hidden, self._lower_2d.T, out=out[1:])
        out = out.reshape(len(hidden) + 1, nF, nO, nP)
        out[0] = self.lower_pad[0]
        return out

    # np.dot, as thinc's numpy ops call it: np.matmul may order the sums differently

    def _encode(self, rows: np.ndarray, lengths: list[int]) -> np.ndarray:
        """The residual window blocks over all texts at once: the texts laid end to end
        with ``pad`` zero rows before, between and after them, as thinc lays out a batch
        (the padding rows change from block to block, and a text's edge tokens see them)."""
        pad, width = self.pad, rows.shape[1]
        total = sum(lengths) + pad * (len(lengths) + 1)
        # token g of text t sits after the pad rows before and between texts 0..t: one
        # arange shifted per text, not an arange per text
        where = np.arange(sum(lengths)) + np.repeat(pad * np.arange(1, len(lengths) + 1), lengths)
        x = np.zeros((total, width), dtype=np.float32)
        x[where] = rows
        for block in self._blocks:
            x += _maxout_norm(self._windows(x), block)  # the windows are a copy
        return x[where]

    def _windows(self, x: np.ndarray) -> np.ndarray:
        """Each row with the ``window`` rows before and after it (zeros past the ends)."""
        n, width = x.shape
        w = self.window
        out = np.empty((n, (2 * w + 1) * width), dtype=x.dtype)  # every cell written below
        for k in range(-w, w + 1):
            col = (k + w) * width
            if k < 0:
                out[:-k, col:col + width] = 0
                out[-k:, col:col + width] = x[:n + k]
            elif k > 0:
                out[n - k:, col:col + width] = 0
                out[:n - k, col:col + width] = x[k:]
            else:
                out[:, col:col + width] = x
        return out

    # ------------------------------------------------------------------ words

    def _embedded(self, words: list[str]) -> np.ndarray:
        """Per word: its hashed embeddings, concatenated (cached per distinct word).  The
        mixing layer runs per batch, not per word: a matrix product's rounding depends on
        the batch's shape, and per batch it is exactly what spaCy computes."""
        index = self._word_index
        if len(index) > WORD_CACHE:
            index.clear()
        new = [w for w in dict.fromkeys(words) if w not in index]
        if new:
            first = len(index)
            if first + len(new) > len(self._word_rows):  # grow by doubling: appends stay linear
                grown = np.zeros((2 * (first + len(new)), self._word_rows.shape[1]), dtype=np.float32)
                grown[:first] = self._word_rows[:first]
                self._word_rows = grown
            self._word_rows[first:first + len(new)] = self._embed(new)
            index.update(zip(new, range(first, first + len(new))))
        return self._word_rows[np.fromiter(map(index.__getitem__, words), dtype=np.intp, count=len(words))]

    def _embed(self, words: list[str]) -> np.ndarray:
        ids = self._string_ids(words)
        parts = []
        for c, seed in enumerate(self.seeds):
            table = self.arrays[f"embed.{c}.E"]
            keys = murmur3_128_uint64(ids[:, c], seed) % np.uint32(len(table))
            parts.append(table[keys].sum(axis=1))
        return np.concatenate(parts, axis=1)

    def _string_ids(self, words: list[str]) -> np.ndarray:
        """(words, columns) uint64: spaCy's id of each of the words' strings.  New words
        share most strings (a first character, a shape such as ``xx``, a suffix): each
        distinct string is hashed once per batch, not once per word."""
        strings = list(itertools.chain.from_iterable(map(self._strings, words)))
        distinct = dict.fromkeys(strings)
        id_of = dict(zip(distinct, map(self._string_id, distinct)))
        return np.fromiter(map(id_of.__getitem__, strings), dtype=np.uint64,
                           count=len(strings)).reshape(len(words), len(self.columns))

    def _strings(self, word: str) -> tuple[str, ...]:
        """The word's strings for the feature columns, as spaCy's lexeme attributes."""
        strings = (self.norms.get(word, word.lower()), word[:1], word[-3:], word_shape(word))
        return tuple(map(strings.__getitem__, self._column_picks))

    def _string_id(self, text: str) -> int:
        """spaCy's id of a string: a reserved symbol's number, else its 64-bit hash."""
        symbol = self.symbols.get(text)
        return symbol if symbol is not None else murmur64a(text.encode("utf-8"))


@dataclass(frozen=True)
class _Maxout:
    """A maxout layer's weights with its rows piece by piece (all outputs' first piece, then
    their second …): each piece's scores are then a block of adjacent columns, whose
    maxima numpy takes faster than those of every nP-th column.  Every score is the same
    dot product as in thinc's layout, only in another column."""

    weights: np.ndarray  # (nP * nO, nI)
    bias: np.ndarray     # (nP * nO,)
    gain: np.ndarray
    shift: np.ndarray
    n_out: int

    @classmethod
    def of(cls, arrays: dict[str, np.ndarray], name: str) -> _Maxout:
        weights, bias = arrays[name + ".W"], arrays[name + ".b"]  # (nO, nP, nI), (nO, nP)
        n_out, pieces, n_in = weights.shape
        return cls(np.ascontiguousarray(weights.transpose(1, 0, 2).reshape(pieces * n_out, n_in)),
                   np.ascontiguousarray(bias.T).reshape(pieces * n_out), arrays[name + ".G"], arrays[name + ".g_b"],
                   n_out)


def _maxout_norm(x: np.ndarray, layer: _Maxout) -> np.ndarray:
    """Maxout (nO × nP pieces) then layer normalisation, as thinc computes them."""
    n_out = layer.n_out
    y = np.dot(x, layer.weights.T)
    y += layer.bias
    best = y[:, :n_out]
    for at in range(n_out, y.shape[1], n_out):  # pairwise maxima over the pieces' column blocks
        best = np.maximum(best, y[:, at:at + n_out])
    mean = best.mean(axis=1, keepdims=True)
    var = best.var(axis=1, keepdims=True) + LAYER_NORM_EPS  # (var's mean= needs numpy 2; 1.26 is allowed)
    out = best - mean  # then, in place, the same steps as (best - mean) * var ** -0.5 * G + g_b
    out *= var ** -0.5
    out *= layer.gain
    out += layer.shift
    return out
