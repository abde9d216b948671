"""Per-article fingerprint: everything deduplication needs, without the article text.

A fingerprint is a plain tuple on the wire (Beam encodes tuples of str/int/bytes natively, no
pickle), and a ``Fingerprint`` in code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import numpy as np

from pipelines.nlp.dedupe.minhash import batch_signatures
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.shingles import batch_shingle_hashes, fold_bytes
from pipelines.nlp.normalize import canonical_url, stable_hash
from schemas.records import Article

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
# Articles without a publication time sort after every dated one.
UNDATED = 2**62

Order = tuple[int, int, str, str]


class Fingerprint(NamedTuple):
    uid: str               # one input record (two deliveries of one URL have the same id, not uid)
    id: str
    order: Order           # canonical order: earliest published, most words, smallest id, uid
    url_key: str | None    # hash of the canonical URL
    body_key: str | None   # hash of the folded body; None for an empty body
    size: int              # distinct shingles
    sig: bytes             # uint32[num_perm] MinHash, b"" when the body has no shingle

    def near(self, params: DedupeParams) -> bool:
        """Whether this body takes part in near-duplicate search (long enough, not empty)."""
        return params.near and bool(self.sig) and self.size >= params.min_shingles

    def signature(self) -> np.ndarray:
        return np.frombuffer(self.sig, dtype=np.uint32)


def record_uid(article: Article) -> str:
    """Identity of one input record: its id, content and where it was read from."""
    published = article.published_at.isoformat() if article.published_at else ""
    return stable_hash("\x1f".join((article.id, article.body_hash, article.headline, published,
                                    article.source.model_dump_json())), 16)


def canonical_order(article: Article, uid: str) -> Order:
    """Content-only ordering: the smallest member of a cluster is its canonical copy."""
    published = (article.published_at - _EPOCH) // _US if article.published_at else UNDATED
    return (published, -article.word_count, article.id, uid)


def fingerprint(article: Article, params: DedupeParams) -> Fingerprint:
    return fingerprints([article], params)[0]


# Articles hashed together: enough to amortise numpy's per-call cost, small enough that the
# joined text and its prefix hashes stay in cache (a few MB).
CHUNK = 256


def fingerprints(articles: Sequence[Article], params: DedupeParams) -> list[Fingerprint]:
    """Fingerprints of many articles; shingles and signatures are computed a chunk at a time."""
    out: list[Fingerprint] = []
    for start in range(0, len(articles), CHUNK):
        out.extend(_chunk(articles[start:start + CHUNK], params))
    return out


def _chunk(articles: Sequence[Article], params: DedupeParams) -> list[Fingerprint]:
    folded = [fold_bytes(a.body) for a in articles]
    hashes, offsets = batch_shingle_hashes(folded, params.shingle_size)
    sigs = batch_signatures(hashes, offsets, params.num_perm, params.seed)
    sizes = np.diff(offsets).tolist()
    out = []
    for i, article in enumerate(articles):
        uid = record_uid(article)
        canon = canonical_url(article.url)
        text = folded[i]
        body_key = (article.body_hash or stable_hash(text.decode("utf-8"))) if text else None
        out.append(Fingerprint(
            uid=uid, id=article.id, order=canonical_order(article, uid),
            url_key=stable_hash("url:" + canon, 16) if canon else None, body_key=body_key,
            size=sizes[i], sig=sigs[i].tobytes() if sizes[i] else b""))
    return out


def cluster_id(canonical_id: str) -> str:
    """Named after the canonical copy, so batch and streaming agree on it."""
    return "c-" + stable_hash("cluster:" + canonical_id, 8)
