import numpy as np
import pytest

from pipelines.nlp.dedupe.lsh import band_hashes, band_keys, bands_for, candidate_probability
from pipelines.nlp.dedupe.minhash import (
    EMPTY,
    _oph_tables,
    batch_signatures,
    containment,
    jaccard,
    jaccard_matrix,
    kperm_signature,
    permutations,
    signature,
)


def _set(lo, hi):
    rng = np.random.default_rng(0)
    universe = rng.integers(0, 2**63, size=2000, dtype=np.uint64)
    return np.unique(universe[lo:hi])


@pytest.mark.parametrize("scheme", [signature, kperm_signature])
def test_signature_estimates_jaccard_within_sampling_error(scheme):
    a, b = _set(0, 1000), _set(500, 1500)  # true Jaccard 500/1500
    for perms in (128, 256):
        est = jaccard(scheme(a, perms), scheme(b, perms))
        assert abs(est - 1 / 3) < 4 * np.sqrt((1 / 3) * (2 / 3) / perms)


def test_one_permutation_coordinates_are_bin_minima():
    hashes = _set(0, 600)
    sig = signature(hashes, 32)
    bounds, _ = _oph_tables(32, 1)
    for j in range(32):
        in_bin = hashes[(hashes >= bounds[j]) & (hashes < bounds[j + 1])]
        if len(in_bin):
            assert sig[j] == int(in_bin.min()) & 0xFFFFFFFF


def test_sparse_sets_are_densified_consistently():
    small = _set(0, 5)  # 5 shingles, 64 bins: most bins borrow
    sig = signature(small, 64)
    assert EMPTY not in sig.tolist()
    assert set(sig.tolist()) <= {int(h) & 0xFFFFFFFF for h in small}
    assert jaccard(sig, signature(small[::-1].copy(), 64)) == 1.0


def test_batch_signatures_equal_one_set_at_a_time():
    sets = [np.sort(_set(i * 50, i * 50 + 200 * i)) for i in range(4)]  # the first one is empty
    offsets = np.cumsum([0] + [len(s) for s in sets])
    batch = batch_signatures(np.concatenate(sets), offsets, 64)
    for i, s in enumerate(sets):
        assert batch[i].tolist() == signature(s, 64).tolist()


def test_identical_and_disjoint_sets():
    a = _set(0, 300)
    assert jaccard(signature(a, 64), signature(a.copy(), 64)) == 1.0
    assert jaccard(signature(a, 64), signature(_set(1000, 1300), 64)) < 0.1


def test_signature_is_deterministic_and_seeded():
    a = _set(0, 100)
    assert signature(a, 32, seed=5).tolist() == signature(a, 32, seed=5).tolist()
    assert kperm_signature(a, 32, seed=5).tolist() != kperm_signature(a, 32, seed=6).tolist()
    coeffs, _ = permutations(32, 5)
    assert all(int(c) % 2 == 1 for c in coeffs)


def test_kperm_long_inputs_are_processed_in_blocks_with_the_same_result():
    big = np.arange(1, 300_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    sig = kperm_signature(big, 16)
    a, b = permutations(16, 1)
    direct = ((big[:, None] >> np.uint64(32)) * a + b).min(axis=0) >> np.uint64(32)
    assert sig.tolist() == direct.astype(np.uint32).tolist()


def test_empty_set_has_a_sentinel_signature():
    assert signature(np.empty(0, dtype=np.uint64), 8).tolist() == [0xFFFFFFFF] * 8


def test_containment_of_a_trimmed_copy():
    # A third of a story, kept verbatim: Jaccard 1/3, containment 1.
    assert containment(1 / 3, 100, 300) == pytest.approx(1.0)
    assert containment(0.0, 100, 300) == 0.0
    assert containment(0.5, 0, 10) == 0.0


def test_jaccard_matrix_is_symmetric_with_unit_diagonal():
    sigs = np.stack([signature(_set(i * 100, i * 100 + 400), 64) for i in range(4)])
    m = jaccard_matrix(sigs)
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 1.0)
    assert m[0, 1] > m[0, 3]


def test_band_hashes_collide_exactly_when_a_band_agrees():
    s = np.arange(12, dtype=np.uint32)
    t = s.copy()
    t[5] = 99  # band 1 of (3 bands x 4 rows) differs
    hs, ht = band_hashes(np.stack([s, t]), 3, 4)
    assert hs[0] == ht[0] and hs[1] != ht[1] and hs[2] == ht[2]
    # The same rows in another band position give another hash (bands are salted).
    assert band_hashes(np.tile(np.arange(4, dtype=np.uint32), 2), 2, 4)[0].tolist()[0] != \
        band_hashes(np.tile(np.arange(4, dtype=np.uint32), 2), 2, 4)[0].tolist()[1]
    keys = band_keys(s, 3, 4)
    assert len(keys) == 3 and len(set(keys)) == 3 and keys[0][:2] == b"\x00\x00"
    with pytest.raises(ValueError):
        band_hashes(s, 4, 4)


def test_bands_for_catches_pairs_at_the_threshold():
    for floor in (0.3, 0.5, 0.7, 0.9):
        bands, rows = bands_for(floor, 128)
        assert bands * rows <= 128
        assert candidate_probability(floor, bands, rows) >= 0.95
        # one row longer would miss the target: the choice is the tightest that works
        if rows < 128 and 128 // (rows + 1):
            assert candidate_probability(floor, 128 // (rows + 1), rows + 1) < 0.95
