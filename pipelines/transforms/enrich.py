"""Enrich: Article -> EnrichedArticle (entities, topics, lineage).

One DoFn holds the spaCy NER model, the gazetteer and the topic model, loaded once per worker
process in ``setup()`` through Beam's ``Shared`` (threads of a worker share one copy). Articles
are buffered and sent through ``nlp.pipe`` in batches of ``--ner_batch_size``; the last partial
batch is flushed in ``finish_bundle`` with each article's own timestamp and window, so the
transform behaves the same in batch and streaming. The pure logic lives in pipelines/nlp/.

An article whose enrichment raises is still emitted, with empty entities and topics, and counted
in the ``enrich_errors`` counter: a bad article never crashes the job and nothing is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.shared import Shared
from apache_beam.utils.timestamp import MIN_TIMESTAMP
from apache_beam.utils.windowed_value import WindowedValue

from pipelines import __version__
from pipelines.metrics import counter
from pipelines.nlp.entities.ner import DEFAULT_BATCH_SIZE, DEFAULT_MODEL, EntityExtractor, Extraction
from pipelines.nlp.entities.zones import DEFAULT_MAX_CHARS, article_text
from pipelines.nlp.topics.tagger import TopicTagger
from pipelines.options import EnrichOptions
from schemas.records import Article, EnrichedArticle, Lineage

log = logging.getLogger(__name__)

ENRICH_ERRORS = "enrich_errors"
NER_SKIPPED = "ner_skipped_language"


def to_enriched(article: Article, extraction: Extraction | None = None,
                topics: list | None = None) -> EnrichedArticle:
    fields = dict(article)
    if extraction is not None and not article.language and extraction.language:
        fields["language"] = extraction.language  # the contract wants a language; we detected it
    return EnrichedArticle(
        **fields,
        entities=extraction.entities if extraction else [],
        topics=topics or [],
        lineage=Lineage(pipeline_version=__version__, parser=article.parser))


@dataclass(frozen=True)
class EnrichConfig:
    model: str = DEFAULT_MODEL
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = DEFAULT_MAX_CHARS
    topic_method: str = "lexical"  # or "embeddings", or "none"

    @classmethod
    def from_options(cls, options: EnrichOptions | None) -> EnrichConfig:
        if options is None:
            return cls()
        return cls(model=options.ner_model, batch_size=options.ner_batch_size,
                   max_chars=options.enrich_max_chars, topic_method=options.topic_method)


class _Models:
    """What one worker process loads once; a plain class so Beam's Shared can hold it."""

    def __init__(self, config: EnrichConfig) -> None:
        self.entities = EntityExtractor(config.model, config.batch_size, config.max_chars)
        self.topics = TopicTagger(config.topic_method) if config.topic_method != "none" else None


class EnrichBatchesFn(beam.DoFn):
    """Buffers articles and enriches them a batch at a time."""

    def __init__(self, config: EnrichConfig, shared: Shared | None = None) -> None:
        self._config = config
        self._shared = shared or Shared()
        self._models: _Models | None = None
        self._buffer: list[tuple[Article, Any, Any]] = []
        self._errors = counter(ENRICH_ERRORS)
        self._skipped = counter(NER_SKIPPED)

    def setup(self) -> None:
        self._models = self._shared.acquire(lambda: _Models(self._config), tag=repr(self._config))

    def start_bundle(self) -> None:
        self._buffer = []

    def process(self, article: Article, timestamp: Any = beam.DoFn.TimestampParam,
                window: Any = beam.DoFn.WindowParam) -> Iterator[WindowedValue]:
        self._buffer.append((article, timestamp, window))
        if len(self._buffer) >= self._config.batch_size:
            yield from self._flush()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        yield from self._flush()

    def _flush(self) -> Iterator[WindowedValue]:
        batch, self._buffer = self._buffer, []
        if not batch:
            return
        enriched_batch = self._enrich([article for article, _, _ in batch])
        for (_, timestamp, window), enriched in zip(batch, enriched_batch, strict=True):
            yield WindowedValue(enriched, timestamp if timestamp is not None else MIN_TIMESTAMP,
                                [window if window is not None else GlobalWindow()])

    def _enrich(self, articles: list[Article]) -> list[EnrichedArticle]:
        try:
            return self._enrich_batch(articles)
        except Exception:  # one bad article must not cost the batch: retry one by one
            log.exception("enrich: batch of %d failed; retrying article by article", len(articles))
        out = []
        for article in articles:
            try:
                out.extend(self._enrich_batch([article]))
            except Exception as exc:
                self._errors.inc()
                log.warning("enrich: article %s left without entities/topics: %s", article.id, exc)
                out.append(to_enriched(article))
        return out

    def _extract(self, articles: list[Article]) -> list[Extraction]:
        assert self._models is not None, "setup() not called"
        return self._models.entities.extract(articles)

    def _enrich_batch(self, articles: list[Article]) -> list[EnrichedArticle]:
        assert self._models is not None
        extractions = self._extract(articles)
        self._skipped.inc(sum(x.skipped and x.language not in (None, "en") for x in extractions))
        topics: list[list] = [[] for _ in articles]
        if self._models.topics is not None:
            topics = self._models.topics.tag_batch(
                [article_text(a, self._config.max_chars) for a in articles], [a.section for a in articles],
                [x.language for x in extractions], [x.entities for x in extractions])
        return [to_enriched(a, x, t) for a, x, t in zip(articles, extractions, topics, strict=True)]


class Enrich(beam.PTransform):
    """Articles -> EnrichedArticles with canonical entities and IPTC Media Topics."""

    def __init__(self, options: EnrichOptions | None = None) -> None:
        super().__init__()
        self._options = options

    def expand(self, articles: beam.PCollection[Article]) -> beam.PCollection[EnrichedArticle]:
        if self._options is not None and self._options.enrich == "none":
            return articles | "ToEnriched" >> beam.Map(to_enriched).with_output_types(EnrichedArticle)
        config = EnrichConfig.from_options(self._options)
        return (articles
                | "EntitiesAndTopics" >> beam.ParDo(EnrichBatchesFn(config)).with_output_types(EnrichedArticle))
