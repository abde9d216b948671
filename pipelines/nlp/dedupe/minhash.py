"""MinHash signatures, vectorised with numpy, and the Jaccard/containment estimates from them.

Permutation ``p`` is the multiply-add-shift hash ``h_p(x) = ((a_p * x + b_p) mod 2**64) >> 32``
of the top 32 bits ``x`` of each shingle hash (Dietzfelbinger's strongly universal family for
32-bit keys), so a whole signature is one wrapping uint64 multiply, one add and one column
minimum; no modulo by a prime as in datasketch. ``a_p`` and ``b_p`` come from a seeded numpy
generator, so signatures are identical in every process and every run with the same seed.
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


def signature(shingles: np.ndarray, num_perm: int, seed: int = 1) -> np.ndarray:
    """uint32[num_perm] MinHash of a set of 64-bit shingle hashes (all ``EMPTY`` for no shingles)."""
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
