"""Word n-gram shingles of the normalised body, hashed with numpy (no Python loop per word).

The body is folded exactly as for the exact-duplicate hash (``fold_for_hash``: NFKC, quotes and
dashes folded, case-folded, words joined by single spaces), so typesetting differences never
change a shingle. A shingle of ``k`` words is the byte string ``"w1 w2 ... wk"``; its hash is a
polynomial hash of those bytes taken from one prefix-sum over the whole text, then scrambled by
a splitmix64 finaliser. That is stable across processes, runs and platforms (unlike ``hash()``)
and costs a few vector operations per article instead of a hash call per shingle.
"""

from __future__ import annotations

import numpy as np

from pipelines.nlp.normalize import fold_bytes  # re-exported: dedupe callers import it here

_U64 = np.uint64
# An odd base is invertible modulo 2**64, so a substring hash can be shifted back to position 0.
_BASE = 0x100000001B3  # the 64-bit FNV prime: odd, with well-spread bits
_BASE_INV = pow(_BASE, -1, 2**64)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """Bijective 64-bit finaliser: similar inputs get unrelated outputs."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


# Each byte value goes through the finaliser first so that the polynomial mixes all 64 bits.
_BYTE_CODES = splitmix64(np.arange(1, 257, dtype=_U64))


class _Powers:
    """BASE**i and BASE**-i modulo 2**64, grown on demand and shared by all calls."""

    def __init__(self) -> None:
        self.pow = np.ones(1, dtype=_U64)
        self.inv = np.ones(1, dtype=_U64)

    def ensure(self, n: int) -> None:
        if len(self.pow) >= n:
            return
        size = max(n, 2 * len(self.pow), 4096)
        self.pow = _geometric(_BASE, size)
        self.inv = _geometric(_BASE_INV, size)


def _geometric(ratio: int, size: int) -> np.ndarray:
    # Built by doubling with wrapping uint64 multiplies: exact modulo 2**64, no Python loop.
    out = np.ones(size, dtype=_U64)
    filled = 1
    while filled < size:
        n = min(filled, size - filled)
        out[filled:filled + n] = out[:n] * _U64(pow(ratio, filled, 2**64))
        filled += n
    return out


_POWERS = _Powers()

def shingle_hashes(folded: bytes, size: int) -> np.ndarray:
    """Sorted unique 64-bit hashes of the ``size``-word shingles of folded UTF-8 text.

    A text with fewer than ``size`` words gives one shingle of all its words (none if empty), so a
    short body still has a signature; callers decide with ``min_shingles`` whether to use it.
    """
    hashes, _ = batch_shingle_hashes([folded], size)
    return hashes


def batch_shingle_hashes(texts: list[bytes], size: int) -> tuple[np.ndarray, np.ndarray]:
    """``shingle_hashes`` of many folded texts at once: (hashes, offsets).

    Text ``i`` owns ``hashes[offsets[i]:offsets[i + 1]]``, sorted and unique. The texts are joined
    with newlines (never inside folded text) and hashed in one pass: a shingle's hash does not
    depend on its position, so the result equals hashing each text alone.
    """
    if size < 1:
        raise ValueError("shingle size must be >= 1")
    n_docs = len(texts)
    data = np.frombuffer(b"\n".join(texts), dtype=np.uint8)
    if not len(data):
        return np.empty(0, dtype=_U64), np.zeros(n_docs + 1, dtype=np.int64)
    separators = np.flatnonzero((data == 32) | (data == 10))
    is_newline = data[separators] == 10
    starts = np.concatenate(([0], separators + 1))
    ends = np.concatenate((separators, [len(data)]))
    doc = np.concatenate(([0], np.cumsum(is_newline)))        # document of each word slot
    real = starts < ends                                       # an empty text leaves an empty slot
    starts, ends, doc = starts[real], ends[real], doc[real]
    words = np.bincount(doc, minlength=n_docs)
    first_word = np.concatenate(([0], np.cumsum(words)))
    if len(starts) >= size:
        last = np.arange(size - 1, len(starts))
        firsts = last - (size - 1)
        keep = doc[firsts] == doc[last]                        # shingles never span two texts
        s_first, s_last, s_doc = firsts[keep], last[keep], doc[firsts[keep]]
    else:
        s_first = s_last = s_doc = np.empty(0, dtype=np.int64)
    short = np.flatnonzero((words > 0) & (words < size))       # one shingle of all their words
    if len(short):
        s_first = np.concatenate((s_first, first_word[short]))
        s_last = np.concatenate((s_last, first_word[short + 1] - 1))
        s_doc = np.concatenate((s_doc, short))
    _POWERS.ensure(len(data) + 1)
    n = len(data)
    with np.errstate(over="ignore"):
        prefix = np.concatenate(([_U64(0)], np.cumsum(_BYTE_CODES[data] * _POWERS.pow[:n], dtype=_U64)))
        lo, hi = starts[s_first], ends[s_last]
        # hash("w_i .. w_j") = (P[end] - P[start]) * BASE**-start: independent of position.
        raw = (prefix[hi] - prefix[lo]) * _POWERS.inv[lo]
        # Length goes into the hash so that strings differing only by trailing zero codes cannot tie.
        raw = raw ^ (hi - lo).astype(_U64) * _U64(0x9E3779B97F4A7C15)
        hashed = splitmix64(raw)
    # Group by text with a stable radix sort, then sort each text's run in place: far cheaper than
    # a lexsort over (text, hash) or an argsort of the 64-bit hashes.
    order = np.argsort(s_doc.astype(np.uint16 if n_docs < 2**16 else np.int64), kind="stable")
    hashed, s_doc = hashed[order], s_doc[order]
    bounds = np.concatenate(([0], np.cumsum(np.bincount(s_doc, minlength=n_docs))))
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        if b - a > 1:
            hashed[a:b].sort()
    keep = np.ones(len(hashed), dtype=bool)
    keep[1:] = (hashed[1:] != hashed[:-1]) | (s_doc[1:] != s_doc[:-1])
    hashed, s_doc = hashed[keep], s_doc[keep]
    offsets = np.concatenate(([0], np.cumsum(np.bincount(s_doc, minlength=n_docs))))
    return hashed, offsets


def body_shingles(body: str, size: int) -> np.ndarray:
    """Shingle hashes of an article body, folded the same way as its exact-duplicate hash."""
    return shingle_hashes(fold_bytes(body), size)
