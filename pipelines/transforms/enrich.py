"""Enrich: Article -> EnrichedArticle (entities, topics, lineage)."""

from __future__ import annotations

import apache_beam as beam

from pipelines import __version__
from pipelines.options import EnrichOptions
from schemas.records import Article, EnrichedArticle, Lineage


def to_enriched(article: Article) -> EnrichedArticle:
    return EnrichedArticle(
        **dict(article),
        lineage=Lineage(pipeline_version=__version__, parser=article.parser))


class Enrich(beam.PTransform):
    """Articles -> EnrichedArticles."""

    def __init__(self, options: EnrichOptions | None = None) -> None:
        super().__init__()
        self._options = options

    def expand(self, articles: beam.PCollection[Article]) -> beam.PCollection[EnrichedArticle]:
        return articles | "ToEnriched" >> beam.Map(to_enriched).with_output_types(EnrichedArticle)
