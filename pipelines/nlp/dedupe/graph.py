"""The duplicate graph, built in steps that each see only one shard of the data.

Nodes are input records (``Fingerprint.uid``). Edges come from three places:

* exact body: records with the same body hash, linked to the group's first record in canonical
  order (that record is the body's *representative*);
* exact URL: records with the same canonical URL, linked the same way;
* near duplicates: representatives that share an LSH band (candidates) and whose signatures
  estimate Jaccard >= threshold, or containment of the shorter body >= containment (matches);
  a candidate whose estimate lies within ``recheck_sigmas`` standard deviations of that rule's
  boundary is decided on its exact shingle sets instead (``classify``, ``recheck``), so no
  verdict depends on the draw of the hash function near the threshold.

Clusters are the connected components; each one's canonical copy is its smallest member in
``Fingerprint.order`` (content only). The Beam transform runs these steps on hash shards; the
in-memory ``dedupe_fingerprints`` runs them on one shard. Both give the same verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from itertools import combinations
from typing import NamedTuple

import numpy as np

from pipelines.nlp.dedupe.fingerprint import Fingerprint, cluster_id
from pipelines.nlp.dedupe.lsh import band_hashes
from pipelines.nlp.dedupe.params import DedupeParams
from pipelines.nlp.dedupe.unionfind import UnionFind

# How a copy relates to its canonical, weakest last: a cluster is as loose as its weakest link.
METHODS = ("redelivery", "exact-body", "exact-url", "minhash")


class Edge(NamedTuple):
    a: Fingerprint
    b: Fingerprint


class Verdict(NamedTuple):
    uid: str
    cluster_id: str
    duplicate_of: str | None   # canonical article id; None for the canonical copy itself
    similarity: float | None   # estimated Jaccard with the canonical body (1.0 for exact copies)
    method: str | None
    cluster_size: int


def shard_of(key: str, shards: int) -> int:
    """Stable shard of a hex key (uids and content keys are hex digests)."""
    return int(key[:8], 16) % shards


def _strip(fp: Fingerprint) -> Fingerprint:
    return fp._replace(sig=b"")


def body_groups(fps: Iterable[Fingerprint], params: DedupeParams) -> tuple[list[Edge], list[Fingerprint]]:
    """Exact-body edges, and the representatives that go on to near-duplicate search.

    ``fps`` must hold every record of each body key it contains (one shard of body keys).
    """
    groups: dict[str, list[Fingerprint]] = {}
    reps: list[Fingerprint] = []
    for fp in fps:
        if fp.body_key is None:
            continue
        groups.setdefault(fp.body_key, []).append(fp)
    edges: list[Edge] = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda f: f.order)
        rep = members[0]
        edges.extend(Edge(_strip(rep), _strip(m)) for m in members[1:])
        if rep.near(params):
            reps.append(rep)
    return edges, reps


def url_groups(fps: Iterable[Fingerprint]) -> list[Edge]:
    """Exact-URL edges (with signatures, so similarities across bodies can be reported)."""
    groups: dict[str, list[Fingerprint]] = {}
    for fp in fps:
        if fp.url_key is not None:
            groups.setdefault(fp.url_key, []).append(fp)
    edges: list[Edge] = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda f: f.order)
        edges.extend(Edge(members[0], m) for m in members[1:])
    return edges


# Representatives hashed per band_hashes call: its uint64 temporaries are ~10x the signatures'
# bytes (~130 MB at 90,000 representatives in one call), a chunk's are a few MB.
BAND_CHUNK = 8192


def band_table(reps: list[Fingerprint], params: DedupeParams) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(uids, band hashes, owner index into uids): one entry per representative and band."""
    if not reps:
        return [], np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    hashes = np.empty((len(reps), params.bands), dtype=np.uint64)
    for start in range(0, len(reps), BAND_CHUNK):
        chunk = reps[start:start + BAND_CHUNK]
        hashes[start:start + len(chunk)] = band_hashes(
            np.stack([r.signature() for r in chunk]), params.bands, params.rows)
    owners = np.repeat(np.arange(len(reps), dtype=np.int64), params.bands)
    return [r.uid for r in reps], hashes.ravel(), owners


def band_collisions(uids: list[str], hashes: np.ndarray, owners: np.ndarray) -> list[tuple[str, str]]:
    """Every pair of distinct representatives sharing a band hash, as (smaller uid, larger), sorted.

    The entries may be any slice of band-hash space as long as each hash comes with all its
    entries (one shard). Complete: all pairs of a bucket, however large.
    """
    if not len(hashes):
        return []
    order = np.argsort(hashes, kind="stable")
    flat, owner = hashes[order], owners[order]
    boundaries = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(flat)]))
    sizes = ends - starts
    pairs: set[tuple[str, str]] = set()
    twos = starts[sizes == 2]
    for i, j in zip(owner[twos].tolist(), owner[twos + 1].tolist(), strict=True):
        if i != j:
            a, b = uids[i], uids[j]
            pairs.add((a, b) if a < b else (b, a))
    for s, e in zip(starts[sizes > 2].tolist(), ends[sizes > 2].tolist(), strict=True):
        members = sorted({uids[k] for k in owner[s:e].tolist()})
        pairs.update(combinations(members, 2))
    return sorted(pairs)


class Checked(NamedTuple):
    """Candidate pairs after the signature test: copies, and pairs too close to call on the estimate."""

    edges: list[Edge]
    uncertain: list[Edge]   # to be decided on their exact shingle sets (``recheck``)


def copy_floor(size_a: np.ndarray, size_b: np.ndarray, params: DedupeParams) -> np.ndarray:
    """The Jaccard at or above which bodies of these shingle counts are copies, by either rule.

    For fixed sizes Jaccard and containment both grow with the intersection I (J = I / (a + b - I),
    C = I / min(a, b)), so ``is_copy(J, C)`` is ``J >= min(threshold, J at C = containment)``.
    """
    floor = np.full(np.shape(size_a), params.threshold, dtype=np.float64)
    if params.containment is not None:
        small = np.minimum(size_a, size_b).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            at_c = params.containment * small / (size_a + size_b - params.containment * small)
        floor = np.where(small > 0, np.minimum(floor, at_c), floor)
    return floor


def classify(jac: np.ndarray, size_a: np.ndarray, size_b: np.ndarray,
             params: DedupeParams) -> tuple[np.ndarray, np.ndarray]:
    """(copies, uncertain) masks of pairs with these estimated Jaccards and shingle counts.

    A pair is uncertain when its estimate lies within ``recheck_sigmas`` standard deviations of
    the MinHash estimator, sqrt(J (1 - J) / num_perm) at the pair's ``copy_floor``, of that floor:
    a fresh hash draw could flip it. Every other pair keeps the estimate's verdict.
    """
    size_a, size_b = np.asarray(size_a, dtype=np.float64), np.asarray(size_b, dtype=np.float64)
    ok = jac >= params.threshold
    if params.containment is not None:
        small = np.minimum(size_a, size_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            cont = np.minimum(1.0, jac * (size_a + size_b) / ((1.0 + jac) * small))
        cont = np.where((small > 0) & (jac > 0.0), cont, 0.0)
        ok |= cont >= params.containment
    if params.recheck_sigmas <= 0:
        return ok, np.zeros_like(ok)
    floor = copy_floor(size_a, size_b, params)
    uncertain = np.abs(jac - floor) <= params.recheck_sigmas * np.sqrt(floor * (1.0 - floor) / params.num_perm)
    return ok & ~uncertain, uncertain


def verify(pairs: list[tuple[Fingerprint, Fingerprint]], params: DedupeParams) -> Checked:
    """Candidate pairs whose signatures say they are copies (vectorised over all pairs)."""
    if not pairs:
        return Checked([], [])
    left = np.stack([a.signature() for a, _ in pairs])
    right = np.stack([b.signature() for _, b in pairs])
    jac = np.count_nonzero(left == right, axis=1) / left.shape[1]
    ok, uncertain = classify(jac, np.asarray([a.size for a, _ in pairs]), np.asarray([b.size for _, b in pairs]),
                             params)
    return Checked([Edge(*pairs[k]) for k in np.flatnonzero(ok).tolist()],
                   [Edge(*pairs[k]) for k in np.flatnonzero(uncertain).tolist()])


def similarity_from_counts(inter: int, size_a: int, size_b: int) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) from the intersection and the two set sizes."""
    union = size_a + size_b - inter
    small = min(size_a, size_b)
    return (inter / union if union else 0.0), (inter / small if small else 0.0)


def exact_similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two shingle sets given as sorted unique hash arrays."""
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return similarity_from_counts(inter, len(a), len(b))


def recheck(pairs: Iterable[Edge], shingles: Mapping[str, np.ndarray], params: DedupeParams) -> list[Edge]:
    """The uncertain pairs that are copies by their exact shingle sets (``shingles`` by uid)."""
    return [e for e in pairs if params.is_copy(*exact_similarity(shingles[e.a.uid], shingles[e.b.uid]))]


def _method(member: Fingerprint, canonical: Fingerprint) -> str:
    if member.body_key is not None and member.body_key == canonical.body_key:
        return "redelivery" if member.id == canonical.id else "exact-body"
    if member.url_key is not None and member.url_key == canonical.url_key:
        return "exact-url"
    return "minhash"


def edge_nodes(edges: Iterable[Edge]) -> dict[str, Fingerprint]:
    """The records the edges link, by uid; each with its signature if any edge carries it
    (exact-body edges carry none)."""
    nodes: dict[str, Fingerprint] = {}
    for edge in edges:
        for fp in edge:
            known = nodes.get(fp.uid)
            if known is None or (fp.sig and not known.sig):
                nodes[fp.uid] = fp
    return nodes


def resolve(edges: Iterable[Edge]) -> list[Verdict]:
    """Connected components -> one verdict per member of every multi-record cluster.

    Independent of the order of ``edges``: components are sets and the canonical copy is the
    member with the smallest ``order``.
    """
    uf = UnionFind()
    edges = list(edges)
    nodes = edge_nodes(edges)
    # One signature per body (a body's signature does not depend on which record carries it).
    body_sigs: dict[str, bytes] = {}
    for fp in nodes.values():
        if fp.sig and fp.body_key is not None:
            body_sigs.setdefault(fp.body_key, fp.sig)
    for edge in edges:
        uf.union(edge.a.uid, edge.b.uid)
    verdicts: list[Verdict] = []
    for component in uf.components():
        members = sorted((nodes[u] for u in component), key=lambda f: f.order)
        canonical = members[0]
        cid = cluster_id(canonical.id)
        canon_sig = body_sigs.get(canonical.body_key or "")
        methods = []
        for m in members[1:]:
            method = _method(m, canonical)
            methods.append(method)
            if method in ("redelivery", "exact-body"):
                sim = 1.0
            else:
                sig = body_sigs.get(m.body_key or "")
                sim = sig_jaccard(sig, canon_sig)
            verdicts.append(Verdict(m.uid, cid, canonical.id, sim, method, len(members)))
        weakest = max(methods, key=METHODS.index)
        verdicts.append(Verdict(canonical.uid, cid, None, None, weakest, len(members)))
    return sorted(verdicts)


def sig_jaccard(a: bytes | None, b: bytes | None) -> float:
    """Estimated Jaccard of two signatures as stored (bytes); 0.0 when either is missing."""
    if not a or not b or len(a) != len(b):
        return 0.0
    x, y = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return round(float(np.count_nonzero(x == y)) / len(x), 4)


def singleton(fp_id: str, uid: str) -> Verdict:
    """The verdict of a record that no other record duplicates."""
    return Verdict(uid, cluster_id(fp_id), None, None, None, 1)


def band_index_pairs(hashes: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """The candidate pairs of ``band_collisions`` as unique (i, j) owner indices, i < j, sorted.

    Same pairs, held as int64 arrays: chance band collisions grow with the square of the input
    (about 14 M candidates among 100k news articles at the default 42 x 3 bands), which as
    Python tuples of uids took gigabytes. Buckets are expanded one bucket *size* at a time, all
    buckets of that size at once: a wire story with a few copies fills tens of thousands of
    small buckets (one per band), and a numpy call per bucket took 8 s of 10 at 100k articles.
    Pairs are deduplicated as one int64 key each (i * n + j), which sorts like (i, j).
    """
    if not len(hashes):
        return np.empty((0, 2), dtype=np.int64)
    order = np.argsort(hashes, kind="stable")
    owner = owners[order].astype(np.int64)
    # Only buckets of 2+ entries: a run of equal hashes starts where an entry equals the next one
    # and not the one before (arrays the size of the few shared buckets, not of every entry).
    same = np.empty(len(order) + 1, dtype=bool)
    same[0] = same[-1] = False
    same[1:-1] = hashes[order[1:]] == hashes[order[:-1]]
    del order
    edge = np.diff(same.view(np.int8))
    starts, ends = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1) + 1
    sizes = ends - starts
    n = int(owner.max()) + 1
    keys: list[np.ndarray] = []
    for size in np.unique(sizes).tolist():
        members = owner[starts[sizes == size][:, None] + np.arange(size)]  # (buckets, size)
        i, j = np.triu_indices(size, k=1)
        a, b = members[:, i].ravel(), members[:, j].ravel()
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keys.append((lo * n + hi)[lo != hi])
    if not keys:
        return np.empty((0, 2), dtype=np.int64)
    unique = np.unique(np.concatenate(keys))
    return np.stack((unique // n, unique % n), axis=1)


def verify_index_pairs(reps: list[Fingerprint], pairs: np.ndarray, params: DedupeParams,
                       chunk: int = 100_000) -> Checked:
    """``verify`` over index pairs into ``reps``, a chunk at a time (bounded memory, same test)."""
    if not len(pairs):
        return Checked([], [])
    sigs = np.stack([r.signature() for r in reps])
    sizes = np.asarray([r.size for r in reps], dtype=np.float64)
    kept: list[np.ndarray] = []
    unsure: list[np.ndarray] = []
    for start in range(0, len(pairs), chunk):
        i, j = pairs[start:start + chunk, 0], pairs[start:start + chunk, 1]
        jac = np.count_nonzero(sigs[i] == sigs[j], axis=1) / sigs.shape[1]
        ok, uncertain = classify(jac, sizes[i], sizes[j], params)
        kept.append(np.flatnonzero(ok) + start)
        unsure.append(np.flatnonzero(uncertain) + start)

    def edges(found: list[np.ndarray]) -> list[Edge]:
        out = []
        for k in np.concatenate(found).tolist():
            a, b = reps[pairs[k, 0]], reps[pairs[k, 1]]
            out.append(Edge(a, b) if a.uid < b.uid else Edge(b, a))
        return out

    return Checked(edges(kept), edges(unsure))


# The uncertain pairs that are copies (decided on exact shingle sets, ``exact_decider``).
Decide = Callable[[list[Edge]], list[Edge]]
# uids of the articles in uncertain pairs -> their shingle hashes (sorted, unique).
ShingleSource = Callable[[set[str]], Mapping[str, np.ndarray]]


def exact_decider(shingles: ShingleSource, params: DedupeParams) -> Decide:
    """Decide uncertain pairs on the exact shingle sets of their articles."""
    return lambda pairs: recheck(pairs, shingles({fp.uid for edge in pairs for fp in edge}), params)


def graph_edges(fps: list[Fingerprint], params: DedupeParams) -> Checked:
    """Every edge the fingerprints decide (exact body, exact URL, clear near copies), and the
    near-duplicate candidates left for the exact re-check."""
    exact, reps = body_groups(fps, params)
    _, hashes, owners = band_table(reps, params)
    near = verify_index_pairs(reps, band_index_pairs(hashes, owners), params)
    return Checked(exact + url_groups(fps) + near.edges, near.uncertain)


def dedupe_fingerprints(fps: list[Fingerprint], params: DedupeParams,
                        decide: Decide | None = None) -> dict[str, Verdict]:
    """In-memory reference: the same steps as the Beam transform on a single shard.

    ``decide`` keeps the uncertain pairs that are copies (``exact_decider``); without it the
    estimates decide them too (as with ``recheck_sigmas=0``). Returns verdicts of records in
    multi-record clusters, by uid; every other record is a ``singleton``.
    """
    checked = graph_edges(fps, params)
    edges = checked.edges
    if checked.uncertain:
        edges += (decide(checked.uncertain) if decide is not None
                  else verify(checked.uncertain, params.with_(recheck_sigmas=0.0)).edges)
    return {v.uid: v for v in resolve(edges)}
