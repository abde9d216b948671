"""The Enrich transform on the offline runner: batching, windows, options, language skip."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from pipelines.options import EnrichOptions
from pipelines.transforms.enrich import Enrich, EnrichBatchesFn, EnrichConfig
from schemas.records import EnrichedArticle
from tests.conftest import beam_pipeline, make_article
from tests.fixtures.enrich_articles import french_article, seed_shaped_article


def _summary(a: EnrichedArticle) -> tuple:
    ents = {e.name: (e.type, e.id) for e in a.entities}
    return (a.id, a.language, ents.get("Vladimir Putin"), ents.get("Russia"), ents.get("Kyiv", (None, None))[0],
            tuple(sorted(t.code for t in a.topics)[:1]), a.lineage is not None)


def test_enrich_transform_batches_and_fills_contract_fields():
    plain = [make_article(f"p{i}", headline=f"Match report {i}", section="Sport", language="en",
                          body="Arsenal beat Chelsea 2-0 in the Premier League on Sunday.") for i in range(5)]
    articles = [seed_shaped_article(), french_article(), *plain]
    options = PipelineOptions(["--ner_batch_size=2"]).view_as(EnrichOptions)
    with beam_pipeline() as p:
        out = p | beam.Create(articles) | Enrich(options)
        summaries = out | beam.Map(_summary)
        expected = [("seed-shaped", "en", ("PERSON", None), ("GPE", "RU"), "GPE", ("medtop:11000000",), True),
                    ("fr-1", "fr", None, None, None, (), True)]
        expected += [(f"p{i}", "en", None, None, None, ("medtop:15000000",), True) for i in range(5)]
        assert_that(summaries, equal_to(expected))


def test_enrich_none_passes_articles_through():
    options = PipelineOptions(["--enrich=none"]).view_as(EnrichOptions)
    with beam_pipeline() as p:
        out = p | beam.Create([seed_shaped_article()]) | Enrich(options)
        assert_that(out | beam.Map(lambda a: (a.id, a.entities, a.topics, a.lineage is not None)),
                    equal_to([("seed-shaped", [], [], True)]))


def test_enrich_keeps_each_elements_window():
    with beam_pipeline() as p:
        out = (p | beam.Create([(seed_shaped_article(), 10), (make_article("late", language="en"), 125)])
               | beam.Map(lambda kv: beam.window.TimestampedValue(kv[0], kv[1]))
               | beam.WindowInto(beam.window.FixedWindows(60))
               | Enrich()
               | beam.Map(lambda a, w=beam.DoFn.WindowParam: (a.id, int(w.start))))
        assert_that(out, equal_to([("seed-shaped", 0), ("late", 120)]))


class _FailsOnId(EnrichBatchesFn):
    """The production DoFn with extraction failing for one article, as a corrupt input would."""

    def _extract(self, articles):
        if any(a.id == "bad" for a in articles):
            raise ValueError("cannot enrich this article")
        return super()._extract(articles)


def test_failing_article_is_emitted_unenriched_and_the_rest_of_its_batch_is_enriched():
    articles = [seed_shaped_article(), make_article("bad", language="en"), make_article("ok", language="en")]
    with beam_pipeline() as p:
        out = (p | beam.Create(articles) | beam.ParDo(_FailsOnId(EnrichConfig(batch_size=8)))
               | beam.Map(lambda a: (a.id, bool(a.entities), a.lineage is not None)))
        assert_that(out, equal_to([("seed-shaped", True, True), ("bad", False, True), ("ok", False, True)]))
