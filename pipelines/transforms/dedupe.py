"""Dedupe: one canonical copy per story; every other copy becomes a DuplicateRecord.

Batch mode is exact and complete: exact copies share a canonical-URL or normalised-body key,
near copies share an LSH band and are verified on their MinHash signatures, and clusters are the
connected components of all those links (see ``pipelines.nlp.dedupe.graph``). The canonical copy
is chosen by content (earliest published_at, then most words, then smallest id), never by arrival
order, so the result is the same on any runner, parallelism and input order.

Two layouts (``shards``): with 1 (the default) fingerprints are computed in parallel and packed as
columns (about 700 bytes per article), and the whole graph is resolved in one step by the same
function as the pure baseline: one shuffle, the fewest elements, the least runner memory, while
the fingerprinting (most of the cost) stays parallel. With more shards, every step runs on hash
shards so no worker needs all fingerprints (inputs beyond one worker's memory): shuffles carry
*packed* shards (lists of fingerprint tuples, numpy band tables) instead of one element per key,
because a record has 2 exact keys and ~40 band keys and a runner pays per element.
Streaming mode (``mode="streaming"``) is in ``dedupe_streaming``.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

import apache_beam as beam
import numpy as np

from pipelines.memory import cap_mmap_threshold, release_freed_memory
from pipelines.metrics import counter
from pipelines.nlp.dedupe.fingerprint import Fingerprint, fingerprint, fingerprints, record_uid
from pipelines.nlp.dedupe.graph import (
    Edge,
    Verdict,
    band_collisions,
    band_table,
    body_groups,
    dedupe_fingerprints,
    resolve,
    shard_of,
    url_groups,
    verify,
)
from pipelines.nlp.dedupe.outputs import apply_verdict, verdict_for
from pipelines.nlp.dedupe.params import DedupeParams
from schemas.coders import ModelCoder
from schemas.records import Article, DuplicateRecord

DUPLICATES = "duplicates"
ARTICLES = "articles"
WAITING = "waiting"  # compressed article batches waiting for the verdicts
_LOG = logging.getLogger(__name__)


def _pack(fps: Iterable[Fingerprint]) -> list[tuple]:
    # Plain tuples: Beam's primitive coder encodes them without pickle.
    return [tuple(fp) for fp in fps]


def _unpack(rows: Iterable[tuple]) -> list[Fingerprint]:
    return [Fingerprint(*row) for row in rows]


def _edges_out(edges: list[Edge]) -> list[tuple]:
    return [(tuple(e.a), tuple(e.b)) for e in edges]


class _FingerprintBatch(beam.DoFn):
    """A batch of articles -> packed fingerprints per body-key shard and per URL-key shard, and the
    batch itself, compressed, to wait for the verdicts (``WAITING``)."""

    def __init__(self, params: DedupeParams, shards: int) -> None:
        self._params = params
        self._shards = shards
        self._errors = counter("dedupe_fingerprint_errors")

    def setup(self) -> None:
        cap_mmap_threshold()  # this worker's big blocks go back to the system when freed

    def process(self, batch: list[Article]) -> Iterator[Any]:
        by_body: dict[int, list[Fingerprint]] = {}
        by_url: dict[int, list[Fingerprint]] = {}
        fps = self._fingerprints(batch)
        yield beam.pvalue.TaggedOutput(WAITING, pack_articles(batch))
        for fp in fps:
            if fp.body_key is not None:
                by_body.setdefault(shard_of(fp.body_key, self._shards), []).append(fp)
            if fp.url_key is not None:
                by_url.setdefault(shard_of(fp.url_key, self._shards), []).append(fp)
        for shard, group in by_body.items():
            yield beam.pvalue.TaggedOutput("body", (shard, _pack(group)))
        for shard, group in by_url.items():
            yield beam.pvalue.TaggedOutput("url", (shard, _pack(group)))

    def _fingerprints(self, batch: list[Article]) -> list[Fingerprint]:
        try:
            return fingerprints(batch, self._params)
        except Exception:  # a bug, never bad input: fall back to one article at a time
            return list(self._one_by_one(batch))

    def _one_by_one(self, batch: list[Article]) -> Iterator[Fingerprint]:
        for article in batch:
            try:
                yield fingerprint(article, self._params)
            except Exception:  # keep the record, as a cluster of its own
                self._errors.inc()
                _LOG.exception("dedupe: cannot fingerprint article %s; kept as its own cluster", article.id)


def _flatten(parts: Iterable[list[tuple]]) -> list[Fingerprint]:
    return [Fingerprint(*row) for part in parts for row in part]


class _BodyShard(beam.DoFn):
    """Exact-body edges; representatives' band entries (by band shard) and signatures (by uid shard)."""

    def __init__(self, params: DedupeParams, shards: int) -> None:
        self._params = params
        self._shards = shards

    def process(self, element: tuple[int, Iterable[list[tuple]]]) -> Iterator[Any]:
        edges, reps = body_groups(_flatten(element[1]), self._params)
        if edges:
            yield beam.pvalue.TaggedOutput("edges", _edges_out(edges))
        if not reps:
            return
        uids, hashes, owners = band_table(reps, self._params)
        band_shard = (hashes % np.uint64(self._shards)).astype(np.int64)
        for shard in np.unique(band_shard).tolist():
            mask = band_shard == shard
            picked = owners[mask]
            local = sorted(set(picked.tolist()))
            remap = np.searchsorted(np.asarray(local), picked)
            yield beam.pvalue.TaggedOutput("bands", (shard, (
                [uids[i] for i in local], hashes[mask].tobytes(), remap.astype(np.int64).tobytes())))
        by_uid: dict[int, list[Fingerprint]] = {}
        for rep in reps:
            by_uid.setdefault(shard_of(rep.uid, self._shards), []).append(rep)
        for shard, fps in by_uid.items():
            yield beam.pvalue.TaggedOutput("reps", (shard, _pack(fps)))


def _band_shard_pairs(element: tuple[int, Iterable[tuple[list[str], bytes, bytes]]],
                      shards: int) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    """Candidate pairs of one band shard, keyed by the shard of their first member."""
    uids: list[str] = []
    hashes, owners = [], []
    for part_uids, part_hashes, part_owners in element[1]:
        hashes.append(np.frombuffer(part_hashes, dtype=np.uint64))
        owners.append(np.frombuffer(part_owners, dtype=np.int64) + len(uids))
        uids.extend(part_uids)
    pairs = band_collisions(uids, np.concatenate(hashes), np.concatenate(owners))
    by_shard: dict[int, list[tuple[str, str]]] = {}
    for a, b in pairs:
        by_shard.setdefault(shard_of(a, shards), []).append((a, b))
    yield from by_shard.items()


def _attach_first(element: tuple[int, dict[str, Iterable[Any]]],
                  shards: int) -> Iterator[tuple[int, list[tuple[tuple, str]]]]:
    """Join candidate pairs with the signature of their first member; re-key by the second."""
    reps = {fp.uid: fp for fp in _flatten(element[1]["reps"])}
    by_shard: dict[int, list[tuple[tuple, str]]] = {}
    for pairs in element[1]["pairs"]:
        for a, b in pairs:
            by_shard.setdefault(shard_of(b, shards), []).append((tuple(reps[a]), b))
    yield from by_shard.items()


def _verify_second(element: tuple[int, dict[str, Iterable[Any]]], params: DedupeParams) -> Iterator[list[tuple]]:
    """Join half-pairs with the signature of their second member and keep the verified ones."""
    reps = {fp.uid: fp for fp in _flatten(element[1]["reps"])}
    pairs = [(Fingerprint(*a), reps[b]) for half in element[1]["halves"] for a, b in half]
    edges = verify(pairs, params)
    if edges:
        yield _edges_out(edges)


def _url_shard(element: tuple[int, Iterable[list[tuple]]]) -> Iterator[list[tuple]]:
    edges = url_groups(_flatten(element[1]))
    if edges:
        yield _edges_out(edges)


def _resolve_all(element: tuple[None, Iterable[list[tuple]]]) -> Iterator[tuple[str, tuple]]:
    edges = (Edge(Fingerprint(*a), Fingerprint(*b)) for part in element[1] for a, b in part)
    for verdict in resolve(edges):
        yield verdict.uid, tuple(verdict)


_INTS = 3  # int64 columns: published, -words, shingle count


def pack_columns(fps: list[Fingerprint]) -> tuple[int, int, bytes, bytes, bytes, bytes]:
    """Fingerprints of one batch as a few byte strings: (count, signature width, text, text
    offsets, int64 columns, signatures).

    The runner decodes every grouped value into Python objects and holds all of them until the
    graph step reads them (and the worker decodes them again): as byte strings a batch costs its
    bytes, as lists of strings and ints it cost ~400 bytes more per article. Beam's primitive coder
    encodes the tuple without pickle. Text: uid, id, URL key, body key of each article, concatenated
    (offsets in characters; a missing key is stored as its absence flag in the int columns).
    """
    width = max((len(fp.sig) for fp in fps), default=0)
    texts = [part for fp in fps for part in (fp.uid, fp.id, fp.url_key or "", fp.body_key or "")]
    ends = np.cumsum([len(t) for t in texts], dtype=np.int64)
    ints = np.asarray([(fp.order[0], fp.order[1], fp.size,
                        (fp.url_key is not None) | (fp.body_key is not None) << 1) for fp in fps],
                      dtype=np.int64).reshape(len(fps), _INTS + 1)
    sigs = b"".join(fp.sig if fp.sig else bytes(width) for fp in fps)
    return len(fps), width, "".join(texts).encode("utf-8"), ends.tobytes(), ints.tobytes(), sigs


def unpack_columns(columns: tuple[int, int, bytes, bytes, bytes, bytes]) -> list[Fingerprint]:
    n, width, blob, ends, ints, sigs = columns
    text = blob.decode("utf-8")
    bounds = [0, *np.frombuffer(ends, dtype=np.int64).tolist()]
    parts = [text[a:b] for a, b in pairwise(bounds)]
    out = []
    rows = np.frombuffer(ints, dtype=np.int64).reshape(n, _INTS + 1).tolist()
    for i, (published, neg_words, size, present) in enumerate(rows):
        uid, fp_id, url_key, body_key = parts[4 * i:4 * i + 4]
        sig = sigs[i * width:(i + 1) * width] if size else b""
        out.append(Fingerprint(uid, fp_id, (published, neg_words, fp_id, uid),
                               url_key if present & 1 else None, body_key if present & 2 else None, size, sig))
    return out


class _CompactFingerprints(_FingerprintBatch):
    """A batch of articles -> one packed column tuple, all under one key (the graph step), and the
    compressed batch (``WAITING``)."""

    def process(self, batch: list[Article]) -> Iterator[Any]:
        fps = self._fingerprints(batch)
        yield beam.pvalue.TaggedOutput(WAITING, pack_articles(batch))
        if fps:
            yield None, pack_columns(fps)


def _one_graph(element: tuple[None, Iterable[tuple]], params: DedupeParams) -> Iterator[tuple[str, tuple]]:
    """All fingerprints (about 700 bytes per article) -> the verdicts of multi-record clusters.

    The same in-memory function as the pure baseline, so the verdicts are identical to it.
    """
    cap_mmap_threshold()
    fps = [fp for columns in element[1] for fp in unpack_columns(columns)]
    verdicts = [(uid, tuple(verdict)) for uid, verdict in dedupe_fingerprints(fps, params).items()]
    del fps
    release_freed_memory()  # the graph's ~0.5 GB would otherwise stay with this worker for the rest of the job
    yield from verdicts


_ARTICLE_CODER = ModelCoder(Article)


def pack_articles(batch: list[Article]) -> tuple[bytes, bytes]:
    """A batch of articles as it waits for the verdicts: (int64 lengths, zlib of their encodings).

    The runner holds every waiting article and copies each worker's share again as it sends it.
    Compressed as one batch, about 2.4 kB of JSON per article keeps ~36 % (zlib level 1; one article
    at a time kept ~59 %: a batch shares its field names and vocabulary), and it is faster.
    """
    encoded = [_ARTICLE_CODER.encode(article) for article in batch]
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    return lengths.tobytes(), zlib.compress(b"".join(encoded), 1)


def unpack_articles(packed: tuple[bytes, bytes]) -> Iterator[Article]:
    lengths, payload = packed
    data = zlib.decompress(payload)
    start = 0
    for length in np.frombuffer(lengths, dtype=np.int64).tolist():
        yield _ARTICLE_CODER.decode(data[start:start + length])
        start += length


class _Stamp(beam.DoFn):
    """Every article of a waiting batch with its verdict: canonical copies to the main output, the
    others to duplicates."""

    def __init__(self, keep_duplicates: bool) -> None:
        self._keep = keep_duplicates

    def setup(self) -> None:
        cap_mmap_threshold()

    def process(self, packed: tuple[bytes, bytes], verdicts: dict[str, tuple]) -> Iterator[Any]:
        for article in unpack_articles(packed):
            uid = record_uid(article)
            row = verdicts.get(uid)
            verdict = Verdict(*row) if row is not None else verdict_for(article, {}, uid)
            out, duplicate = apply_verdict(article, verdict, self._keep)
            if out is not None:
                yield out
            if duplicate is not None:
                yield beam.pvalue.TaggedOutput(DUPLICATES, duplicate)


class BatchDedupe(beam.PTransform):
    """Exact and complete deduplication of a bounded PCollection[Article]."""

    def __init__(self, params: DedupeParams, keep_duplicates: bool = False, shards: int = 1,
                 batch_size: int = 512) -> None:
        super().__init__()
        self._params = params
        self._keep = keep_duplicates
        self._shards = shards
        self._batch = batch_size

    def expand(self, articles: beam.PCollection[Article]) -> beam.pvalue.DoOutputsTuple:
        # Articles wait for the verdicts as the compressed batches the fingerprint step emits.
        batches = articles | "Batch" >> beam.BatchElements(
            min_batch_size=min(64, self._batch), max_batch_size=self._batch)
        verdicts, waiting = self._one_graph(batches) if self._shards <= 1 else self._sharded(batches)
        return (waiting
                | "StampVerdicts" >> beam.ParDo(_Stamp(self._keep), beam.pvalue.AsDict(verdicts))
                .with_output_types(Article, duplicates=DuplicateRecord)
                .with_outputs(DUPLICATES, main=ARTICLES))

    def _one_graph(self, batches: beam.PCollection[list[Article]]) -> tuple[beam.PCollection, beam.PCollection]:
        """Fingerprints in parallel, then the whole duplicate graph in one step (one shuffle)."""
        fps = batches | "Fingerprint" >> beam.ParDo(_CompactFingerprints(self._params, 1)).with_outputs(
            WAITING, main="columns")
        verdicts = (fps.columns
                    | "GroupGraph" >> beam.GroupByKey()
                    | "ConnectedComponents" >> beam.FlatMap(_one_graph, self._params))
        return verdicts, fps[WAITING]

    def _sharded(self, batches: beam.PCollection[list[Article]]) -> tuple[beam.PCollection, beam.PCollection]:
        """Every step on hash shards: no worker needs all fingerprints (inputs beyond one worker's memory)."""
        params, shards = self._params, self._shards
        fps = batches | "Fingerprint" >> beam.ParDo(_FingerprintBatch(params, shards)).with_outputs(
            "body", "url", WAITING)
        body = (fps.body
                | "GroupBodyShards" >> beam.GroupByKey()
                | "ExactBody" >> beam.ParDo(_BodyShard(params, shards)).with_outputs("edges", "bands", "reps"))
        url_edges = (fps.url
                     | "GroupUrlShards" >> beam.GroupByKey()
                     | "ExactUrl" >> beam.FlatMap(_url_shard))
        pairs = (body.bands
                 | "GroupBandShards" >> beam.GroupByKey()
                 | "BandCollisions" >> beam.FlatMap(_band_shard_pairs, shards))
        halves = ({"pairs": pairs, "reps": body.reps}
                  | "JoinFirstSignature" >> beam.CoGroupByKey()
                  | "AttachFirst" >> beam.FlatMap(_attach_first, shards))
        near_edges = ({"halves": halves, "reps": body.reps}
                      | "JoinSecondSignature" >> beam.CoGroupByKey()
                      | "VerifyCandidates" >> beam.FlatMap(_verify_second, params))
        verdicts = ((body.edges, url_edges, near_edges)
                    | "AllEdges" >> beam.Flatten()
                    | "OneGraph" >> beam.Map(lambda part: (None, part))
                    | "GroupGraph" >> beam.GroupByKey()
                    | "ConnectedComponents" >> beam.FlatMap(_resolve_all))
        return verdicts, fps[WAITING]


class Dedupe(beam.PTransform):
    """Articles -> canonical articles (``articles``) and DuplicateRecords (``duplicates``).

    ``mode="batch"`` (bounded input: exact and complete) or ``"streaming"`` (stateful, keyed by
    exact key and LSH band, state bounded by an event-time TTL; see README "Deduplication").
    """

    def __init__(self, keep_duplicates: bool = False, params: DedupeParams | None = None,
                 mode: str = "batch", shards: int = 1) -> None:
        super().__init__()
        if mode not in ("batch", "streaming"):
            raise ValueError(f"dedupe mode must be 'batch' or 'streaming', not {mode!r}")
        self._keep = keep_duplicates
        self._params = params or DedupeParams()
        self._mode = mode
        self._shards = shards

    @property
    def streaming(self) -> bool:
        """True for the stateful mode, whose outputs also have ``corrections``."""
        return self._mode == "streaming"

    @classmethod
    def from_options(cls, options: beam.options.pipeline_options.PipelineOptions) -> Dedupe:
        from apache_beam.options.pipeline_options import StandardOptions

        from pipelines.options import DedupeOptions

        opts = options.view_as(DedupeOptions)
        mode = opts.dedupe_mode or ("streaming" if options.view_as(StandardOptions).streaming else "batch")
        return cls(keep_duplicates=opts.keep_duplicates, params=opts.params(), mode=mode,
                   shards=opts.dedupe_shards)

    def expand(self, articles: beam.PCollection[Article]) -> beam.pvalue.DoOutputsTuple:
        if self._mode == "streaming":
            from pipelines.transforms.dedupe_streaming import StreamingDedupe

            return articles | "Streaming" >> StreamingDedupe(self._params, self._keep)
        return articles | "Batch" >> BatchDedupe(self._params, self._keep, self._shards)
