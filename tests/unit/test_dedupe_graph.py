import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from pipelines.nlp.dedupe import DedupeParams, dedupe_articles, fingerprint
from pipelines.nlp.dedupe.evaluate import load_gold
from pipelines.nlp.dedupe.fingerprint import fingerprints
from pipelines.nlp.dedupe.graph import (
    Edge,
    band_collisions,
    band_index_pairs,
    band_table,
    body_groups,
    classify,
    copy_floor,
    dedupe_fingerprints,
    exact_similarity,
    resolve,
    similarity_from_counts,
    verify,
    verify_index_pairs,
)
from pipelines.nlp.dedupe.shingles import body_shingles
from pipelines.nlp.dedupe.unionfind import UnionFind
from tests.conftest import make_article

T0 = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)
GOLD = load_gold()


def _event(name):
    return [g for g in GOLD if g.event == name]


def _clusters(articles, params=None):
    kept, _ = dedupe_articles(articles, params, keep_duplicates=True)
    groups = {}
    for a in kept:
        groups.setdefault(a.dedupe.cluster_id, set()).add((a.id, a.source.index))
    return sorted(sorted(g) for g in groups.values())


def test_union_find_components_do_not_depend_on_edge_order():
    edges = [("a", "b"), ("c", "d"), ("b", "c"), ("e", "f"), ("g", "g")]
    results = set()
    for seed in range(5):
        random.Random(seed).shuffle(edges)
        uf = UnionFind()
        for a, b in edges:
            uf.union(a, b)
        results.add(str(uf.components()))
    assert results == {str([["a", "b", "c", "d"], ["e", "f"]])}
    assert not UnionFind().union("x", "x")


def test_band_collisions_are_complete_within_a_bucket():
    uids = [f"u{i}" for i in range(6)]
    hashes = np.array([7, 7, 7, 7, 9, 11, 11, 12], dtype=np.uint64)
    owners = np.array([0, 1, 2, 3, 4, 5, 5, 4])  # u5 twice in one bucket is not a pair
    pairs = band_collisions(uids, hashes, owners)
    assert pairs == [("u0", "u1"), ("u0", "u2"), ("u0", "u3"), ("u1", "u2"), ("u1", "u3"), ("u2", "u3")]


def test_index_pairs_are_the_band_collisions():
    rng = np.random.default_rng(3)
    uids = [f"u{i:03d}" for i in range(300)]
    owners = np.repeat(np.arange(300), 6)
    hashes = rng.integers(0, 400, size=len(owners)).astype(np.uint64)  # buckets of 0 to ~15 entries
    pairs = band_index_pairs(hashes, owners)
    assert [(uids[i], uids[j]) for i, j in pairs.tolist()] == band_collisions(uids, hashes, owners)
    assert band_index_pairs(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)).shape == (0, 2)


def test_index_pairs_of_buckets_at_the_ends_and_no_shared_bucket():
    hashes = np.array([5, 5, 1, 2, 3, 9, 9, 9], dtype=np.uint64)  # buckets at both ends of the sorted order
    owners = np.array([0, 1, 2, 3, 4, 5, 6, 0])
    assert band_index_pairs(hashes, owners).tolist() == [[0, 1], [0, 5], [0, 6], [5, 6]]
    assert band_index_pairs(np.arange(4, dtype=np.uint64), np.arange(4)).shape == (0, 2)


def test_band_table_hashed_a_chunk_at_a_time_is_the_same_table(monkeypatch):
    import pipelines.nlp.dedupe.graph as graph

    params = DedupeParams()
    _, reps = body_groups(fingerprints([g.article for g in GOLD], params), params)
    whole = band_table(reps, params)
    monkeypatch.setattr(graph, "BAND_CHUNK", 3)
    chunked = band_table(reps, params)
    assert len(reps) > 3 and whole[0] == chunked[0]
    assert np.array_equal(whole[1], chunked[1]) and np.array_equal(whole[2], chunked[2])


def test_chunked_index_verification_keeps_the_same_edges_as_verify():
    params = DedupeParams()
    _, reps = body_groups(fingerprints([g.article for g in GOLD], params), params)
    _, hashes, owners = band_table(reps, params)
    pairs = band_index_pairs(hashes, owners)
    assert len(pairs) > 50
    expected = verify([(reps[i], reps[j]) if reps[i].uid < reps[j].uid else (reps[j], reps[i])
                       for i, j in pairs.tolist()], params)
    assert expected.edges and expected.uncertain  # the gold sets hold pairs near the threshold
    for chunk in (7, 100_000):
        checked = verify_index_pairs(reps, pairs, params, chunk=chunk)
        assert sorted(checked.edges) == sorted(expected.edges)
        assert sorted(checked.uncertain) == sorted(expected.uncertain)


def test_copy_floor_is_the_boundary_of_the_copy_rule():
    params = DedupeParams()
    for size_a, size_b in ((50, 50), (40, 200), (120, 90), (20, 1000)):
        floor = copy_floor(np.array([size_a]), np.array([size_b]), params)[0]
        for inter in range(min(size_a, size_b) + 1):
            jac, cont = similarity_from_counts(inter, size_a, size_b)
            assert params.is_copy(jac, cont) == (jac >= floor - 1e-12), (size_a, size_b, inter)
    # Without the containment rule the floor is the threshold.
    assert copy_floor(np.array([40]), np.array([200]), params.with_(containment=None))[0] == 0.5


def test_estimates_near_the_copy_floor_are_uncertain_and_the_rest_keep_their_verdict():
    params = DedupeParams()  # 4 sigmas: 4 * sqrt(0.25 / 128) = 0.177 around J 0.5
    jac = np.array([0.30, 0.34, 0.49, 0.51, 0.66, 0.70])
    sizes = np.full(len(jac), 300)
    copies, uncertain = classify(jac, sizes, sizes, params)
    assert uncertain.tolist() == [False, True, True, True, True, False]
    assert copies.tolist() == [False, False, False, False, False, True]
    # A trimmed copy (100 of 300 shingles): containment 0.8 is reached at J 0.25, the margin is
    # 4 * sqrt(0.25 * 0.75 / 128) = 0.153 around it, whatever the Jaccard threshold.
    copies, uncertain = classify(np.array([0.09, 0.26, 0.41]), np.full(3, 100), np.full(3, 300), params)
    assert uncertain.tolist() == [False, True, False] and copies.tolist() == [False, False, True]
    # Disabled: every pair keeps the estimate's verdict, as before the re-check.
    copies, uncertain = classify(jac, sizes, sizes, params.with_(recheck_sigmas=0.0))
    assert not uncertain.any() and copies.tolist() == (jac >= 0.5).tolist()


def near_threshold_articles() -> list:
    """Two pairs whose estimated and exact Jaccard lie on opposite sides of the threshold 0.5:
    [copy a, copy b] (exact J 0.513, estimated below 0.5), then [other a, other b] (exact J 0.490,
    estimated at or above 0.5). Bodies of 300 random words, k of them replaced 8 words apart
    (each replacement changes 3 of the 298 shingles); the word draw is searched for such pairs."""
    params = DedupeParams()
    found: dict[bool, list] = {}
    for seed in range(100):
        rng = random.Random(seed)
        words = [f"w{rng.randrange(10**9)}" for _ in range(300)]
        for k, copy in ((32, True), (34, False)):
            edited = list(words)
            for pos in list(range(5, 300, 8))[:k]:
                edited[pos] = f"x{seed}n{pos}"
            pair = [make_article(f"{'copy' if copy else 'other'}-{seed}-{side}", " ".join(body))
                    for side, body in (("a", words), ("b", edited))]
            fa, fb = fingerprints(pair, params)
            estimate = np.count_nonzero(fa.signature() == fb.signature()) / params.num_perm
            banded = band_table([fa, fb], params)[1].reshape(2, -1)
            if copy not in found and (estimate >= 0.5) != copy and (banded[0] == banded[1]).any():
                found[copy] = pair
        if len(found) == 2:
            return found[True] + found[False]
    raise AssertionError("no near-threshold pairs in 100 word draws")


def test_near_threshold_pairs_are_decided_on_their_exact_shingle_sets():
    articles = near_threshold_articles()
    params = DedupeParams()
    sets = [body_shingles(a.body, params.shingle_size) for a in articles]
    assert round(exact_similarity(sets[0], sets[1])[0], 3) == 0.513
    assert round(exact_similarity(sets[2], sets[3])[0], 3) == 0.490
    assert _clusters(articles) == [[(articles[0].id, None), (articles[1].id, None)],
                                   [(articles[2].id, None)], [(articles[3].id, None)]]
    # The signatures alone decide both pairs the other way.
    assert _clusters(articles, params.with_(recheck_sigmas=0.0)) == [
        [(articles[0].id, None)], [(articles[1].id, None)], [(articles[2].id, None), (articles[3].id, None)]]
    # Without a way to read the exact sets, the estimates decide (as with the re-check off).
    fps = fingerprints(articles, params)
    assert dedupe_fingerprints(fps, params) == dedupe_fingerprints(fps, params.with_(recheck_sigmas=0.0))


def test_wire_copies_with_new_headlines_and_trimmed_paragraphs_are_one_cluster():
    items = _event("ev01_port_strike")
    clusters = _clusters([g.article for g in items])
    wire = {(g.article.id, g.article.source.index) for g in items if g.story == "ps-a"}
    assert sorted(wire) in clusters  # five copies incl. one cut to its first four paragraphs


@pytest.mark.parametrize("event", sorted({g.event for g in GOLD}))
def test_each_gold_event_is_clustered_exactly_by_story(event):
    items = _event(event)
    clusters = _clusters([g.article for g in items])
    by_story = {}
    for g in items:
        by_story.setdefault(g.story, set()).add((g.article.id, g.article.source.index))
    assert clusters == sorted(sorted(s) for s in by_story.values())


def test_independent_stories_sharing_entities_and_quotes_stay_apart():
    # Two agencies' own rate-decision stories quote the governor word for word.
    items = _event("ev03_central_bank")
    kept, _ = dedupe_articles([g.article for g in items], keep_duplicates=True)
    cluster = {a.id: a.dedupe.cluster_id for a in kept}
    assert cluster["cb-cp"] != cluster["cb-gws"]
    assert cluster["cb-cp"] == cluster["cb-cp-2"] and cluster["cb-gws"] == cluster["cb-gws-1"]


def test_canonical_is_chosen_by_content_never_by_arrival_order():
    items = _event("ev06_wildfire")
    articles = [g.article for g in items]
    outcomes = set()
    for seed in range(4):
        random.Random(seed).shuffle(articles)
        kept, dups = dedupe_articles(articles)
        outcomes.add((tuple(sorted(a.id for a in kept)), tuple(sorted((d.id, d.duplicate_of) for d in dups))))
    assert len(outcomes) == 1
    kept_ids = set(next(iter(outcomes))[0])
    # The copy republished with an earlier timestamp is canonical, not the wire original.
    assert "wf-wire-1" in kept_ids and "wf-wire" not in kept_ids


def test_ties_on_time_go_to_the_most_complete_then_the_smallest_id():
    body = " ".join(f"word{i}" for i in range(60))
    short = make_article("b-short", body, published_at=T0)
    full = make_article("c-full", body + " and one more closing sentence here", published_at=T0)
    twin = make_article("a-twin", body + " and one more closing sentence here", published_at=T0)
    kept, dups = dedupe_articles([short, full, twin])
    assert [a.id for a in kept] == ["a-twin"]
    assert {d.id: d.method for d in dups} == {"b-short": "minhash", "c-full": "exact-body"}


def test_methods_and_similarity_to_the_canonical():
    body = "\n\n".join(f"Paragraph {i} says something specific about item{i} and topic{i * 7}." for i in range(12))
    wire = make_article("wire", body, url="https://wire.example/s", published_at=T0)
    again = wire.model_copy(update={"source": wire.source.model_copy(update={"uri": "file:///again.txt"})})
    refetch = make_article("wire", body + "\n\nCorrection appended.", url="https://www.wire.example/s/?utm_source=x",
                           published_at=T0 + timedelta(hours=1))
    trimmed = make_article("paper", "\n\n".join(body.split("\n\n")[:9]), published_at=T0 + timedelta(hours=2))
    kept, dups = dedupe_articles([trimmed, refetch, again, wire])
    assert [a.id for a in kept] == ["wire"] and kept[0].dedupe.method == "minhash"
    assert kept[0].dedupe.cluster_size == 4
    by_method = {d.method: d for d in dups}
    assert set(by_method) == {"redelivery", "exact-url", "minhash"}
    assert by_method["redelivery"].similarity == 1.0
    assert 0.5 < by_method["minhash"].similarity < 1.0
    assert all(d.duplicate_of == "wire" for d in dups)


def test_short_bodies_skip_near_duplicate_search_but_exact_still_applies():
    params = DedupeParams(min_shingles=20)
    a = make_article("a", "Markets closed higher on Monday.", published_at=T0)
    b = make_article("b", "Markets closed higher on Monday!", published_at=T0 + timedelta(minutes=5))
    c = make_article("c", "Markets closed higher on Tuesday.", published_at=T0 + timedelta(minutes=9))
    assert not fingerprint(a, params).near(params)
    kept, dups = dedupe_articles([a, b, c], params)
    assert [(d.id, d.duplicate_of, d.method) for d in dups] == [("b", "a", "exact-body")]
    assert sorted(x.id for x in kept) == ["a", "c"]


def test_empty_bodies_are_not_duplicates_of_each_other():
    kept, dups = dedupe_articles([make_article("x", ""), make_article("y", "")])
    assert len(kept) == 2 and not dups


def test_resolve_ignores_edge_order():
    fps = [fingerprint(g.article, DedupeParams()) for g in _event("ev02_earthquake")]
    verdicts = dedupe_fingerprints(fps, DedupeParams())
    edges = [Edge(fps[0], f) for f in fps[1:4]] + [Edge(fps[2], fps[1])]
    assert resolve(edges) == resolve(list(reversed(edges)))
    assert len({v.cluster_id for v in verdicts.values()}) == 1
