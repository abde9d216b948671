from datetime import UTC, datetime

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from pipelines.transforms.dedupe import Dedupe
from schemas.records import Article
from tests.conftest import beam_pipeline, make_article

WIRE = "Officials said on Saturday the accord takes effect next month after ratification by both chambers."


def _articles():
    early = make_article("early", WIRE, published_at=datetime(2024, 11, 9, 8, 0, tzinfo=UTC))
    # Same text, re-typeset quotes and spacing: an exact duplicate after normalisation.
    late = make_article("late", WIRE.replace("accord", "accord ") + "  ",
                        published_at=datetime(2024, 11, 10, 8, 0, tzinfo=UTC))
    other = make_article("other", "A completely different story about football results in Lagos.")
    return [late, other, early]


def test_exact_copies_keep_the_earliest_published_and_emit_duplicate_records():
    p = beam_pipeline()
    out = p | beam.Create(_articles()) | Dedupe()
    assert_that(out.articles | "ids" >> beam.Map(lambda a: (a.id, a.dedupe.duplicate_of, a.dedupe.cluster_size)),
                equal_to([("early", None, 2), ("other", None, 1)]), label="articles")
    assert_that(out.duplicates | "dups" >> beam.Map(lambda d: (d.id, d.duplicate_of, d.similarity)),
                equal_to([("late", "early", 1.0)]), label="duplicates")
    p.run().wait_until_finish()


def test_keep_duplicates_flags_copies_instead_of_dropping_them():
    p = beam_pipeline()
    out = p | beam.Create(_articles()) | Dedupe(keep_duplicates=True)
    assert_that(out.articles | "ids" >> beam.Map(lambda a: (a.id, a.dedupe.duplicate_of)),
                equal_to([("early", None), ("late", "early"), ("other", None)]), label="articles")
    p.run().wait_until_finish()


# --- near duplicates, determinism across input order and workers (batch mode) ---

def _gold_articles():
    from pipelines.nlp.dedupe.evaluate import load_gold

    return [g.article for g in load_gold() if g.event in ("ev01_port_strike", "ev06_wildfire", "ev09_briefs")]


def _expected(articles):
    from pipelines.nlp.dedupe import dedupe_articles

    kept, dups = dedupe_articles(articles)
    return (sorted((a.id, a.dedupe.cluster_id, a.dedupe.cluster_size) for a in kept),
            sorted((d.id, d.duplicate_of, d.cluster_id, d.similarity, d.method) for d in dups))


def _assert_outputs(out, want_articles, want_dups):
    """Beam's outputs, as ``_expected`` lists them."""
    assert_that(out.articles | "kept" >> beam.Map(lambda a: (a.id, a.dedupe.cluster_id, a.dedupe.cluster_size)),
                equal_to(want_articles), label="articles")
    assert_that(out.duplicates | "dropped" >> beam.Map(
        lambda d: (d.id, d.duplicate_of, d.cluster_id, d.similarity, d.method)), equal_to(want_dups), label="dups")


@pytest.mark.parametrize("flags", [
    (),
    ("--direct_num_workers=2", "--direct_running_mode=multi_processing"),
    ("--direct_num_workers=2", "--direct_running_mode=multi_threading"),
], ids=["1-worker", "2-processes", "2-threads"])
@pytest.mark.parametrize("shards", [1, 3], ids=["one-graph", "sharded"])
def test_near_duplicate_clusters_and_canonicals_do_not_depend_on_order_or_workers(flags, shards):
    import random

    articles = _gold_articles()
    want_articles, want_dups = _expected(articles)
    assert len(want_dups) == 11  # wire copies and the redelivered brief are found, not assumed
    random.Random(len(flags)).shuffle(articles)
    p = beam_pipeline(*flags)
    out = p | beam.Create(articles).with_output_types(Article) | Dedupe(shards=shards)
    _assert_outputs(out, want_articles, want_dups)
    p.run().wait_until_finish()


@pytest.mark.parametrize("flags", [(), ("--direct_num_workers=2", "--direct_running_mode=multi_processing")],
                         ids=["1-worker", "2-processes"])
@pytest.mark.parametrize("shards", [1, 3], ids=["one-graph", "sharded"])
def test_near_threshold_pairs_are_decided_on_exact_shingles_as_in_the_pure_baseline(flags, shards):
    """Two pairs whose signatures and exact shingle sets disagree (tests.unit.test_dedupe_graph):
    Beam brings the exact sets back from the waiting batches and decides them as the pure run does."""
    import random

    from pipelines.nlp.dedupe import DedupeParams, dedupe_articles
    from tests.unit.test_dedupe_graph import near_threshold_articles

    articles = near_threshold_articles() + _gold_articles()
    want_articles, want_dups = _expected(articles)
    copy, other = articles[:2], articles[2:4]
    assert (copy[1].id, copy[0].id) in {(d[0], d[1]) for d in want_dups}  # the exact sets link the copy
    assert not {other[0].id, other[1].id} & {d[0] for d in want_dups}
    by_estimate = {d.id for d in dedupe_articles(articles, DedupeParams(recheck_sigmas=0.0))[1]}
    assert copy[1].id not in by_estimate and other[1].id in by_estimate
    random.Random(shards).shuffle(articles)
    p = beam_pipeline(*flags)
    out = p | beam.Create(articles).with_output_types(Article) | Dedupe(shards=shards)
    _assert_outputs(out, want_articles, want_dups)
    p.run().wait_until_finish()


def test_options_build_the_transform():
    from apache_beam.options.pipeline_options import PipelineOptions

    t = Dedupe.from_options(PipelineOptions(["--dedupe_threshold=0.6", "--dedupe_containment=0", "--keep_duplicates"]))
    assert t._params.threshold == 0.6 and t._params.containment is None and t._keep and t._mode == "batch"
    assert Dedupe.from_options(PipelineOptions(["--streaming"]))._mode == "streaming"
    assert t._params.recheck_sigmas == 4.0
    assert Dedupe.from_options(PipelineOptions(["--dedupe_recheck_sigmas=0"]))._params.recheck_sigmas == 0.0
    with pytest.raises(ValueError):
        Dedupe(mode="sometimes")


def test_packed_fingerprint_columns_round_trip():
    from pipelines.nlp.dedupe import DedupeParams
    from pipelines.nlp.dedupe.fingerprint import fingerprints
    from pipelines.transforms.dedupe import pack_columns, unpack_columns

    fps = fingerprints([*_gold_articles(), make_article("empty", "")], DedupeParams())
    assert any(not fp.sig for fp in fps) and any(fp.sig for fp in fps)
    assert unpack_columns(pack_columns(fps)) == fps
    stripped = [fp._replace(sig=b"") for fp in fps[:3]]  # as exact-body edges carry them
    assert unpack_columns(pack_columns(stripped + fps[3:])) == stripped + fps[3:]


def test_packed_edges_round_trip_with_each_node_once():
    from pipelines.nlp.dedupe import DedupeParams
    from pipelines.nlp.dedupe.fingerprint import fingerprints
    from pipelines.nlp.dedupe.graph import graph_edges, resolve
    from pipelines.transforms.dedupe import pack_edges, unpack_edges

    edges = graph_edges(fingerprints(_gold_articles(), DedupeParams()), DedupeParams()).edges
    assert any(not e.a.sig for e in edges) and any(e.a.sig for e in edges)
    unpacked = unpack_edges(pack_edges(edges))
    assert [(e.a.uid, e.b.uid) for e in unpacked] == [(e.a.uid, e.b.uid) for e in edges]
    assert resolve(unpacked) == resolve(edges)
    assert unpack_edges(pack_edges([])) == []


def test_waiting_article_batches_round_trip():
    from pipelines.nlp.dedupe import record_uid
    from pipelines.transforms.dedupe import pack_articles, unpack_articles, waiting_uids

    articles = [*_gold_articles(), make_article("empty", "")]
    packed = pack_articles(articles)
    assert [a for _, a in unpack_articles(packed)] == articles
    assert waiting_uids(packed) == [record_uid(a) for a in articles]
    assert list(unpack_articles(packed, {1, 3})) == [(1, articles[1]), (3, articles[3])]
    assert list(unpack_articles(pack_articles([]))) == [] and waiting_uids(pack_articles([])) == []


def _line_articles(n):
    import random

    rng = random.Random(4)
    words = [f"w{i}" for i in range(3000)]
    bodies = [" ".join(rng.choices(words, k=80)) for _ in range(n // 2)]
    out = []
    for i in range(n):  # every other line repeats (exactly or near) an earlier body
        body = bodies[i // 2] if i % 2 == 0 else bodies[i // 2].replace(" ", " x ", 3 + i % 5)
        out.append(make_article(f"a{i}", body, published_at=datetime(2024, 1, 1, tzinfo=UTC)))
    return out


@pytest.mark.parametrize("shards", [1, 4], ids=["one-graph", "sharded"])
def test_every_input_line_becomes_exactly_one_output_record_on_2_processes(tmp_path, shards):
    """Our file source -> Dedupe on 2 worker processes: each JSON Lines line is in articles/ or
    duplicates/ exactly once (README "Deduplication": a silent drop or double read is the worst defect)."""
    from pipelines.io.files import ReadInputFiles
    from pipelines.nlp.dedupe import dedupe_articles

    articles = _line_articles(4000)
    n_dups = len(dedupe_articles(articles)[1])
    assert n_dups > 1000  # the near and exact copies are found, so both outputs carry many lines
    for part in range(4):
        (tmp_path / f"part-{part}.jsonl").write_text(
            "".join(a.model_dump_json() + "\n" for a in articles[part::4]))
    want = sorted((f"{tmp_path}/part-{part}.jsonl", line) for part in range(4)
                  for line in range(1, len(articles[part::4]) + 1))
    p = beam_pipeline("--direct_num_workers=2", "--direct_running_mode=multi_processing")
    records = (p | ReadInputFiles([str(tmp_path)], 1 << 20)).records
    read = records | "Decode" >> beam.Map(
        lambda r: Article.model_validate_json(r.data).model_copy(update={"source": r.source})
    ).with_output_types(Article)
    out = read | Dedupe(shards=shards)
    lines = ((out.articles | "a" >> beam.Map(lambda a: (a.source.uri, a.source.line)),
              out.duplicates | "d" >> beam.Map(lambda d: (d.source.uri, d.source.line)))
             | beam.Flatten())
    assert_that(lines, equal_to(want))  # equal_to compares as multisets: no loss, no double
    assert_that(out.duplicates | beam.combiners.Count.Globally(), equal_to([n_dups]), label="duplicates")
    p.run().wait_until_finish()
