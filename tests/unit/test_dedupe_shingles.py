import numpy as np
import pytest

from pipelines.nlp.dedupe.shingles import body_shingles, fold_bytes, shingle_hashes
from pipelines.nlp.normalize import fold_for_hash


@pytest.mark.parametrize("text", [
    "Plain ASCII text, with punctuation; and CAPITALS.",
    "Russia’s upper house — “ratified” the treaty… this week",
    "Soft\u00adhyphen and zero\u200bwidth\ufeff marks",
    "Café in Zürich: naïve ½ ² 日本語 text",
    "", "   ", "under_score and 2,000 numbers",
])
def test_fold_bytes_matches_the_reference_fold(text):
    assert fold_bytes(text).decode("utf-8") == fold_for_hash(text)


def test_shingles_are_word_ngrams_independent_of_position_and_typesetting():
    a = body_shingles("The treaty was signed on Saturday in Moscow.", 3)
    b = body_shingles("Officials said: the  TREATY was signed on “Saturday” in Moscow", 3)
    assert len(a) == 6
    assert len(np.intersect1d(a, b)) == 6  # every shingle of a reappears in b


def test_shingles_are_sorted_unique_and_stable():
    text = b"a b c a b c a b c"
    first = shingle_hashes(text, 2)
    assert list(first) == sorted(set(first.tolist()))
    assert len(first) == 3  # "a b", "b c", "c a"
    assert first.tolist() == shingle_hashes(text, 2).tolist()
    # A fixed value: hashes must not depend on the process (no use of hash()).
    assert shingle_hashes(b"north korea", 2).tolist() == shingle_hashes(b"north korea", 2).tolist()


def test_short_and_empty_texts():
    assert len(shingle_hashes(b"", 3)) == 0
    assert len(shingle_hashes(b"two words", 3)) == 1  # one shingle of all the words
    with pytest.raises(ValueError):
        shingle_hashes(b"x", 0)


def test_different_word_boundaries_give_different_shingles():
    assert not set(shingle_hashes(b"ab c", 2).tolist()) & set(shingle_hashes(b"a bc", 2).tolist())


def _reference_hash(shingle: bytes) -> int:
    """The documented hash of one shingle, computed with Python integers."""
    from pipelines.nlp.dedupe.shingles import _BASE

    m = 2**64

    def mix(x):
        x ^= x >> 30
        x = x * 0xBF58476D1CE4E5B9 % m
        x ^= x >> 27
        x = x * 0x94D049BB133111EB % m
        return x ^ (x >> 31)

    poly = sum(mix(c + 1) * pow(_BASE, i, m) for i, c in enumerate(shingle)) % m
    return mix(poly ^ (len(shingle) * 0x9E3779B97F4A7C15 % m))


def test_vectorised_hashes_equal_the_reference_definition():
    text = b"the treaty was signed in moscow on saturday"
    words = text.split()
    want = sorted({_reference_hash(b" ".join(words[i:i + 3])) for i in range(len(words) - 2)})
    assert shingle_hashes(text, 3).tolist() == want


def test_batch_hashing_equals_one_text_at_a_time():
    from pipelines.nlp.dedupe.shingles import batch_shingle_hashes

    texts = [b"a b c d e", b"", b"x", b"two words", b"the cat sat on the mat the cat sat", b"a b c d e"]
    for size in (1, 2, 3):
        hashes, offsets = batch_shingle_hashes(texts, size)
        for i, text in enumerate(texts):
            assert hashes[offsets[i]:offsets[i + 1]].tolist() == shingle_hashes(text, size).tolist()
