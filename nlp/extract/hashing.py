"""The two MurmurHash variants the spaCy extractor's features are made of, without spaCy.

A token enters the network as four strings of its word (its norm, first character, last
three characters and shape), each turned into a 64-bit id the way spaCy's string store
does (MurmurHash64A, seed 1; a few reserved strings have fixed small ids), and each id
turned into four rows of an embedding table by thinc's 128-bit MurmurHash3 with the
table's seed, as its ``HashEmbed`` does.  Both are the public-domain reference algorithms;
tests compare them with spaCy's and thinc's own on thousands of words.
"""

from __future__ import annotations

import struct

import numpy as np

__all__ = ["murmur64a", "murmur3_128_uint64", "word_shape"]

_MASK64 = (1 << 64) - 1
_M64 = 0xC6A4A7935BD1E995


def murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A of ``data`` (spaCy hashes a string's UTF-8 bytes with seed 1).

    >>> hex(murmur64a(b""))
    '0x0'
    """
    if not data:
        return 0  # spaCy's id of the empty string, not its hash
    h = (seed ^ (len(data) * _M64)) & _MASK64
    full = len(data) // 8 * 8
    # the 8-byte blocks as ints by struct: most strings (a prefix, a suffix, a shape) have
    # none or one, for which an array cost more than the hash itself
    for k in struct.unpack_from(f"<{full // 8}Q", data) if full else ():
        k = (k * _M64) & _MASK64
        k ^= k >> 47
        k = (k * _M64) & _MASK64
        h = ((h ^ k) * _M64) & _MASK64
    tail = data[full:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M64) & _MASK64
    h ^= h >> 47
    h = (h * _M64) & _MASK64
    return h ^ (h >> 47)


_K1, _K2 = np.uint64(0x87C37B91114253D5), np.uint64(0x4CF5AD432745937F)
_F1, _F2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * _F1
    h = h ^ (h >> np.uint64(33))
    h = h * _F2
    return h ^ (h >> np.uint64(33))


def murmur3_128_uint64(ids: np.ndarray, seed: int) -> np.ndarray:
    """thinc's ``MurmurHash3_x86_128_uint64`` of each id: (n, 4) uint32.

    Despite its name thinc's function is the x64 128-bit variant over one 8-byte key
    (its tail step for k1 only), its two 64-bit halves split into four 32-bit words."""
    ids = np.ascontiguousarray(ids, dtype=np.uint64)
    with np.errstate(over="ignore"):
        k = ids * _K1
        k = (k << np.uint64(31)) | (k >> np.uint64(33))
        start = np.uint64(seed) ^ np.uint64(8)  # the seed, then the length folded in
        h1 = (k * _K2) ^ start
        h2 = np.full(len(ids), start, dtype=np.uint64)
        h1 = h1 + h2
        h2 = h2 + h1
        h1, h2 = _fmix64(h1), _fmix64(h2)
        h1 = h1 + h2
        h2 = h2 + h1
    return np.stack([h1, h2], axis=1).astype("<u8").view("<u4").reshape(len(ids), 4)


def word_shape(word: str) -> str:
    """A word's shape as spaCy writes it: letters X/x, digits d, anything else itself,
    a run of one shape character cut after four; 100 characters or more is ``LONG``.

    >>> word_shape("3.469"), word_shape("APPs"), word_shape("人次"), word_shape("1234567")
    ('d.ddd', 'XXXx', 'xx', 'dddd')
    """
    if len(word) >= 100:
        return "LONG"
    if word.isdigit():  # a digit run, the commonest word not seen before: no loop over its characters
        return "d" * min(len(word), 4)
    if word.isalpha() and not any(map(str.isupper, word)):  # a Chinese word (人次): all x, no loop
        return "x" * min(len(word), 4)
    out, last, run = [], "", 0
    for char in word:
        shape = ("X" if char.isupper() else "x") if char.isalpha() else "d" if char.isdigit() else char
        run = run + 1 if shape == last else 0
        last = shape
        if run < 4:
            out.append(shape)
    return "".join(out)
