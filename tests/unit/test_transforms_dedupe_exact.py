from datetime import UTC, datetime

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from pipelines.transforms.dedupe import Dedupe
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
