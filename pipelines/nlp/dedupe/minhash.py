"""MinHash signatures, vectorised with numpy, and the Jaccard/containment estimates from them.

Two schemes give signatures whose coordinates agree with probability equal to the Jaccard
similarity of the shingle sets:

* ``signature`` (the default) is one-permutation MinHash with optimal densification (Li, Owen
  and Zhang 2012; Shrivastava 2017): the 64-bit shingle hashes are split into ``num_perm`` bins by
  their top bits, each coordinate is the minimum of its bin, and an empty bin borrows the value of
  the first non-empty bin in a fixed pseudo-random sequence of its own. Shingle hashes arrive
  sorted, so the whole signature is one ``searchsorted``: O(shingles + num_perm) per article.
* ``kperm_signature`` is classic MinHash with ``num_perm`` hash functions, each the
  multiply-add-shift hash ``((a_p * x + b_p) mod 2**64) >> 32`` of the top 32 bits of a shingle
  hash (Dietzfelbinger's strongly universal family): O(shingles x num_perm). Kept as the reference
  the benchmark compares against (and against datasketch).

Coefficients and densification sequences come from a seeded numpy generator, so signatures are
identical in every process and every run with the same seed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

_U64 = np.uint64
# Rows of (shingles x permutations) computed at once: bounds the temporary to ~8 MB.
_BLOCK_ELEMENTS = 1 << 20
EMPTY = np.uint32(0xFFFFFFFF)


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) coefficients: ``a`` odd so each map is a bijection of 64-bit words."""
    if num_perm < 1:
        raise ValueError("num_perm must be >= 1")
    rng = np.random.Generator(np.random.PCG64(seed))
    a = rng.integers(0, 2**64, size=num_perm, dtype=_U64, endpoint=False) | _U64(1)
    b = rng.integers(0, 2**64, size=num_perm, dtype=_U64, endpoint=False)
    a.flags.writeable = b.flags.writeable = False
    return a, b


@lru_cache(maxsize=8)
def _oph_tables(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Bin boundaries over the 64-bit hash space and each bin's densification sequence."""
    bounds = np.array([(k << 64) // num_perm for k in range(num_perm)] + [2**64 - 1], dtype=np.uint64)
    rng = np.random.Generator(np.random.PCG64([seed, num_perm]))
    # 8 x num_perm draws: a set filling a single bin still finds it with probability 1 - e**-8.
    borrow = rng.integers(0, num_perm, size=(num_perm, 8 * num_perm), dtype=np.int64)
    bounds.flags.writeable = borrow.flags.writeable = False
    return bounds, borrow


def signature(shingles: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    """uint32[num_perm] one-permutation MinHash of unique 64-bit shingle hashes.

    Empty input gives all ``EMPTY``.
    """
    hashes = np.sort(np.asarray(shingles, dtype=_U64))
    return batch_signatures(hashes, np.array([0, len(hashes)]), num_perm, seed)[0]


def batch_signatures(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    """(n, num_perm) uint32 signatures of n sets given as sorted runs ``hashes[offsets[i]:offsets[i+1]]``.

    Vectorised over all sets: a hash's bin is fixed by its value, so within a sorted run the first
    hash of each bin is that bin's minimum.
    """
    if num_perm < 1:
        raise ValueError("num_perm must be >= 1")
    n = len(offsets) - 1
    bounds, borrow = _oph_tables(num_perm, seed)
    sigs = np.full((n, num_perm), EMPTY, dtype=np.uint32)
    if not len(hashes):
        return sigs
    doc = np.repeat(np.arange(n), np.diff(offsets))
    bins = np.minimum(np.searchsorted(bounds, hashes, side="right") - 1, num_perm - 1)
    cell = doc * num_perm + bins
    first = np.ones(len(cell), dtype=bool)
    first[1:] = cell[1:] != cell[:-1]
    filled = np.zeros(n * num_perm, dtype=bool)
    filled[cell[first]] = True
    flat = sigs.reshape(-1)
    flat[cell[first]] = (hashes[first] & _U64(0xFFFFFFFF)).astype(np.uint32)
    empty = np.flatnonzero(~filled)
    if len(empty):
        # Optimal densification: an empty bin takes the first filled bin of its own fixed sequence.
        row, col = np.divmod(empty, num_perm)
        pending = np.arange(len(empty))
        for start in range(0, borrow.shape[1], 16):  # most bins resolve in the first few draws
            candidates = borrow[col[pending], start:start + 16] + (row[pending] * num_perm)[:, None]
            usable = filled[candidates]
            hit = usable.any(axis=1)
            chosen = candidates[np.flatnonzero(hit), usable[hit].argmax(axis=1)]
            flat[empty[pending[hit]]] = flat[chosen]
            pending = pending[~hit]
            if not len(pending):
                break
        # A bin whose whole sequence is empty (an empty set) keeps the sentinel.
    return sigs


def kperm_signature(shingles: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    """uint32[num_perm] classic MinHash of a set of 64-bit shingle hashes (all ``EMPTY`` for none)."""
    a, b = permutations(num_perm, seed)
    out = np.full(num_perm, _U64(2**64 - 1), dtype=_U64)
    if len(shingles):
        keys = (np.asarray(shingles, dtype=_U64) >> _U64(32))[:, None]
        step = max(1, _BLOCK_ELEMENTS // num_perm)
        with np.errstate(over="ignore"):
            for start in range(0, len(keys), step):
                block = keys[start:start + step] * a
                block += b
                np.minimum(out, block.min(axis=0), out=out)
    else:
        return np.full(num_perm, EMPTY, dtype=np.uint32)
    return (out >> _U64(32)).astype(np.uint32)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of permutations whose minima agree."""
    if len(sig_a) != len(sig_b):
        raise ValueError("signatures of different lengths cannot be compared")
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set inside the larger one, from Jaccard and the set sizes.

    |A n B| = J (|A| + |B|) / (1 + J); divided by min(|A|, |B|). A wire copy trimmed to its first
    paragraphs has a low Jaccard with the full story but a containment close to 1.
    """
    small = min(size_a, size_b)
    if small <= 0 or jac <= 0.0:
        return 0.0
    return min(1.0, jac * (size_a + size_b) / ((1.0 + jac) * small))


def jaccard_matrix(sigs: np.ndarray) -> np.ndarray:
    """Pairwise estimated Jaccard of the rows of a (n, num_perm) signature matrix."""
    n, perms = sigs.shape
    out = np.empty((n, n), dtype=np.float32)
    for i in range(n):
        out[i] = np.count_nonzero(sigs == sigs[i], axis=1) / perms
    return out
