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
In both, candidates whose signature estimate is too close to its threshold to trust
(``DedupeParams.recheck_sigmas``) are decided on their exact shingle sets: the bodies of just
those articles are brought back from the waiting batches and grouped per pair (``_ExactRecheck``),
then the clusters are resolved; fingerprints never carry shingles.
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
    Checked,
    Edge,
    Verdict,
    band_collisions,
    band_table,
    body_groups,
    edge_nodes,
    exact_similarity,
    graph_edges,
    resolve,
    shard_of,
    url_groups,
    verify,
)
from pipelines.nlp.dedupe.outputs import apply_verdict, verdict_for
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.shingles import fold_bytes, shingle_hashes
from schemas.coders import ModelCoder
from schemas.records import Article, DuplicateRecord

DUPLICATES = "duplicates"
ARTICLES = "articles"
WAITING = "waiting"  # compressed article batches waiting for the verdicts
UNCERTAIN = "uncertain"  # candidate pairs too close to call on signatures: decided on exact shingles
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


def _verify_second(element: tuple[int, dict[str, Iterable[Any]]], params: DedupeParams) -> Iterator[Any]:
    """Join half-pairs with the signature of their second member and keep the verified ones;
    uncertain pairs go on to the exact re-check."""
    reps = {fp.uid: fp for fp in _flatten(element[1]["reps"])}
    pairs = [(Fingerprint(*a), reps[b]) for half in element[1]["halves"] for a, b in half]
    yield from _checked_out(verify(pairs, params))


def _checked_out(checked: Checked) -> Iterator[Any]:
    """Decided edges as one list (main output), each uncertain pair on its own (``UNCERTAIN``)."""
    if checked.edges:
        yield _edges_out(checked.edges)
    for pair in _edges_out(checked.uncertain):
        yield beam.pvalue.TaggedOutput(UNCERTAIN, pair)


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
                        (fp.url_key is not None) | (fp.body_key is not None) << 1 | bool(fp.sig) << 2)
                       for fp in fps],
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
        sig = sigs[i * width:(i + 1) * width] if present & 4 else b""
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


def pack_edges(edges: list[Edge]) -> tuple[tuple[int, int, bytes, bytes, bytes, bytes], bytes]:
    """Edges as (their nodes' packed columns, int64 node index pairs): each node once, as bytes.

    A node keeps its signature if any edge carries it, which is what ``resolve`` reads.
    """
    nodes = edge_nodes(edges)
    index = {uid: k for k, uid in enumerate(nodes)}
    pairs = np.asarray([(index[e.a.uid], index[e.b.uid]) for e in edges], dtype=np.int64).reshape(-1, 2)
    return pack_columns(list(nodes.values())), pairs.tobytes()


def unpack_edges(packed: tuple[tuple[int, int, bytes, bytes, bytes, bytes], bytes]) -> list[Edge]:
    columns, pairs = packed
    nodes = unpack_columns(columns)
    return [Edge(nodes[a], nodes[b]) for a, b in np.frombuffer(pairs, dtype=np.int64).reshape(-1, 2).tolist()]


def _one_graph(element: tuple[None, Iterable[tuple]], params: DedupeParams) -> Iterator[Any]:
    """All fingerprints (about 700 bytes per article) -> every edge they decide, packed as one
    element, and the uncertain pairs (``UNCERTAIN``).

    The same function as the pure baseline's first step, so the edges are identical to it.
    """
    cap_mmap_threshold()
    fps = [fp for columns in element[1] for fp in unpack_columns(columns)]
    checked = graph_edges(fps, params)
    del fps
    yield pack_edges(checked.edges)
    uncertain = _edges_out(checked.uncertain)
    del checked
    release_freed_memory()  # the graph's ~0.5 GB would otherwise stay with this worker for the rest of the job
    for pair in uncertain:
        yield beam.pvalue.TaggedOutput(UNCERTAIN, pair)


def _resolve_packed(packed: tuple, copies: list[tuple[str, str]],
                    pairs: dict[str, tuple]) -> Iterator[tuple[str, tuple]]:
    """The decided edges and the uncertain pairs found to be copies -> verdicts (``resolve``)."""
    for verdict in resolve(unpack_edges(packed) + _copy_edges(copies, pairs)):
        yield verdict.uid, tuple(verdict)


_ARTICLE_CODER = ModelCoder(Article)


Waiting = tuple[str, bytes, bytes]


def pack_articles(batch: list[Article]) -> Waiting:
    """A batch of articles as it waits for the verdicts: (their record uids, space-separated;
    int64 lengths; zlib of their encodings).

    The runner holds every waiting article and copies each worker's share again as it sends it.
    Compressed as one batch, about 2.4 kB of JSON per article keeps ~36 % (zlib level 1; one article
    at a time kept ~59 %: a batch shares its field names and vocabulary), and it is faster. The
    uids let the exact re-check pass over batches without an uncertain article unopened.
    """
    encoded = [_ARTICLE_CODER.encode(article) for article in batch]
    lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    uids = " ".join(record_uid(article) for article in batch)
    return uids, lengths.tobytes(), zlib.compress(b"".join(encoded), 1)


def waiting_uids(packed: Waiting) -> list[str]:
    return packed[0].split(" ") if packed[0] else []


def unpack_articles(packed: Waiting, only: set[int] | None = None) -> Iterator[tuple[int, Article]]:
    """(position, article) of a waiting batch; with ``only``, just the articles at those positions."""
    _, lengths, payload = packed
    data = zlib.decompress(payload)
    start = 0
    for k, length in enumerate(np.frombuffer(lengths, dtype=np.int64).tolist()):
        if only is None or k in only:
            yield k, _ARTICLE_CODER.decode(data[start:start + length])
        start += length


def _pair_key(pair: tuple[tuple, tuple]) -> str:
    return f"{pair[0][0]}|{pair[1][0]}"


def _keyed(pairs: beam.PCollection) -> beam.pvalue.AsDict:
    """Uncertain pairs by pair key, as a side input."""
    return beam.pvalue.AsDict(pairs | "KeyPairs" >> beam.Map(lambda p: (_pair_key(p), p)))


def _uncertain_bodies(packed: Waiting, wanted: dict[str, list[str]]) -> Iterator[tuple[str, tuple[str, bytes]]]:
    """A waiting batch -> (pair key, (uid, zlib of the folded body)) for each uncertain pair that
    one of its articles is in; batches without such an article are not even decompressed.

    The folded body, compressed, is a third of its shingle hashes' bytes (~1.0 vs 2.6 kB per
    synthetic article), and the pair step hashes it again in microseconds.
    """
    uids = waiting_uids(packed)
    hits = {k for k, uid in enumerate(uids) if uid in wanted}
    if not hits:
        return
    for k, article in unpack_articles(packed, hits):
        body = zlib.compress(fold_bytes(article.body), 1)
        for key in wanted[uids[k]]:
            yield key, (uids[k], body)


class _ExactPair(beam.DoFn):
    """One uncertain pair's two folded bodies -> the pair's uids if their exact shingle sets say
    they are copies."""

    def __init__(self, params: DedupeParams) -> None:
        self._params = params
        self._pairs = counter("dedupe_rechecked_pairs")
        self._copies = counter("dedupe_rechecked_copies")

    def process(self, element: tuple[str, Iterable[tuple[str, bytes]]]) -> Iterator[tuple[str, str]]:
        key, found = element
        a, b = key.split("|")
        sets = {uid: shingle_hashes(zlib.decompress(body), self._params.shingle_size) for uid, body in found}
        self._pairs.inc()
        if self._params.is_copy(*exact_similarity(sets[a], sets[b])):
            self._copies.inc()
            yield a, b


def _copy_edges(copies: Iterable[tuple[str, str]], pairs: dict[str, tuple]) -> list[Edge]:
    """The uncertain pairs found to be copies, as edges (fingerprints from the pairs by key)."""
    out = []
    for a, b in copies:
        fa, fb = pairs[f"{a}|{b}"]
        out.append(Edge(Fingerprint(*fa), Fingerprint(*fb)))
    return out


class _ExactRecheck(beam.PTransform):
    """Uncertain pairs -> the (uid, uid) of those that are copies by their exact shingle sets.

    Shingles are recomputed from the waiting batches for the articles of uncertain pairs only (a
    side input maps their uids to their pairs), then grouped per pair: keeping every article's
    shingles in its fingerprint would multiply the fingerprints' memory several times.
    """

    def __init__(self, params: DedupeParams, waiting: beam.PCollection) -> None:
        super().__init__()
        self._params = params
        self._waiting = waiting

    def expand(self, pairs: beam.PCollection) -> beam.PCollection:
        wanted = (pairs
                  | "PairsOfArticle" >> beam.FlatMap(lambda p: ((p[0][0], _pair_key(p)), (p[1][0], _pair_key(p))))
                  | "GroupPairsOfArticle" >> beam.GroupByKey()
                  | "ListPairs" >> beam.MapTuple(lambda uid, keys: (uid, sorted(keys))))
        return (self._waiting
                | "ExactBodies" >> beam.FlatMap(_uncertain_bodies, beam.pvalue.AsDict(wanted))
                | "GroupPairBodies" >> beam.GroupByKey()
                | "ExactVerdict" >> beam.ParDo(_ExactPair(self._params)))


class _Stamp(beam.DoFn):
    """Every article of a waiting batch with its verdict: canonical copies to the main output, the
    others to duplicates."""

    def __init__(self, keep_duplicates: bool) -> None:
        self._keep = keep_duplicates

    def setup(self) -> None:
        cap_mmap_threshold()

    def process(self, packed: Waiting, verdicts: dict[str, tuple]) -> Iterator[Any]:
        uids = waiting_uids(packed)
        for k, article in unpack_articles(packed):
            uid = uids[k]
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
        """Fingerprints in parallel, then the whole duplicate graph in one step (one shuffle); its
        edges wait packed (one element) for the exact re-check of the uncertain pairs."""
        fps = batches | "Fingerprint" >> beam.ParDo(_CompactFingerprints(self._params, 1)).with_outputs(
            WAITING, main="columns")
        graph = (fps.columns
                 | "GroupGraph" >> beam.GroupByKey()
                 | "GraphEdges" >> beam.FlatMap(_one_graph, self._params).with_outputs(UNCERTAIN, main="edges"))
        copies = graph[UNCERTAIN] | "ExactRecheck" >> _ExactRecheck(self._params, fps[WAITING])
        verdicts = graph.edges | "ConnectedComponents" >> beam.FlatMap(
            _resolve_packed, beam.pvalue.AsList(copies), _keyed(graph[UNCERTAIN]))
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
        near = ({"halves": halves, "reps": body.reps}
                | "JoinSecondSignature" >> beam.CoGroupByKey()
                | "VerifyCandidates" >> beam.FlatMap(_verify_second, params).with_outputs(UNCERTAIN, main="edges"))
        exact = (near[UNCERTAIN]
                 | "ExactRecheck" >> _ExactRecheck(params, fps[WAITING])
                 | "OneList" >> beam.combiners.ToList()
                 | "ExactEdges" >> beam.Map(lambda copies, pairs: _edges_out(_copy_edges(copies, pairs)),
                                            _keyed(near[UNCERTAIN])))
        verdicts = ((body.edges, url_edges, near.edges, exact)
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
