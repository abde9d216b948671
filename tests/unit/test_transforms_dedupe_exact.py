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


@pytest.mark.parametrize("flags", [
    (),
    ("--direct_num_workers=2", "--direct_running_mode=multi_processing"),
    ("--direct_num_workers=2", "--direct_running_mode=multi_threading"),
], ids=["1-worker", "2-processes", "2-threads"])
def test_near_duplicate_clusters_and_canonicals_do_not_depend_on_order_or_workers(flags):
    import random

    articles = _gold_articles()
    want_articles, want_dups = _expected(articles)
    assert len(want_dups) == 11  # wire copies and the redelivered brief are found, not assumed
    random.Random(len(flags)).shuffle(articles)
    p = beam_pipeline(*flags)
    out = p | beam.Create(articles).with_output_types(Article) | Dedupe(shards=3)
    assert_that(out.articles | "kept" >> beam.Map(lambda a: (a.id, a.dedupe.cluster_id, a.dedupe.cluster_size)),
                equal_to(want_articles), label="articles")
    assert_that(out.duplicates | "dropped" >> beam.Map(
        lambda d: (d.id, d.duplicate_of, d.cluster_id, d.similarity, d.method)), equal_to(want_dups), label="dups")
    p.run().wait_until_finish()


def test_options_build_the_transform():
    from apache_beam.options.pipeline_options import PipelineOptions

    t = Dedupe.from_options(PipelineOptions(["--dedupe_threshold=0.6", "--dedupe_containment=0", "--keep_duplicates"]))
    assert t._params.threshold == 0.6 and t._params.containment is None and t._keep and t._mode == "batch"
    assert Dedupe.from_options(PipelineOptions(["--streaming"]))._mode == "streaming"
    with pytest.raises(ValueError):
        Dedupe(mode="sometimes")
