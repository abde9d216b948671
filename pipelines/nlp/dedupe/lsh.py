"""LSH banding of MinHash signatures: band hashes and the choice of bands x rows."""

from __future__ import annotations

import numpy as np

from pipelines.nlp.dedupe.shingles import splitmix64

_U64 = np.uint64
_ROW_MULT = np.uint64(0x9E3779B97F4A7C15)


def band_hashes(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: a hash of each band's ``rows`` minima, salted with the band number.

    Two signatures share band ``i``'s hash iff they agree on its rows, up to a 2**-64 collision
    (which only adds a candidate pair that verification rejects). Vectorised over all articles.
    """
    sigs = np.atleast_2d(np.asarray(signatures, dtype=np.uint32))
    if bands * rows > sigs.shape[1]:
        raise ValueError("bands x rows exceeds the signature length")
    cube = sigs[:, : bands * rows].reshape(len(sigs), bands, rows).astype(_U64)
    acc = np.broadcast_to(np.arange(1, bands + 1, dtype=_U64), (len(sigs), bands)).copy()
    with np.errstate(over="ignore"):
        for j in range(rows):
            acc = splitmix64(acc * _ROW_MULT + cube[:, :, j])
    return acc


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[bytes]:
    """One Beam key per band (streaming state is keyed by these): band number + band hash."""
    hashes = band_hashes(signature, bands, rows)[0]
    return [i.to_bytes(2, "big") + int(h).to_bytes(8, "big") for i, h in enumerate(hashes)]


def candidate_probability(jaccard: float | np.ndarray, bands: int, rows: int) -> float | np.ndarray:
    """Probability that a pair with this Jaccard shares at least one band."""
    return 1.0 - (1.0 - np.asarray(jaccard, dtype=float) ** rows) ** bands


def bands_for(floor: float, num_perm: int, recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows), bands x rows <= num_perm: the longest bands that still catch a pair whose
    Jaccard is exactly ``floor`` with probability >= ``recall``.

    Longer bands mean fewer chance collisions of unrelated articles (less verification work);
    pairs above the floor are caught with even higher probability. Falls back to rows=1.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if candidate_probability(floor, bands, rows) >= recall:
            return bands, rows
    return num_perm, 1
