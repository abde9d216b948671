"""Shared fixtures. Service fixtures (Kafka, PostgreSQL) live in tests/fixtures/ and start the
real servers through deploy/local/ scripts when none is running."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.records import Article, SourceRef

pytest_plugins: list[str] = []
pytest_plugins.append("tests.fixtures.postgres")
pytest_plugins.append("tests.fixtures.kafka")
pytest_plugins.append("tests.fixtures.kafka_secure")
pytest_plugins.append("tests.fixtures.prism")
pytest_plugins.append("tests.fixtures.flink")


def make_article(id: str = "a1", body: str = "Body text of the article.", **kw) -> Article:
    from pipelines.nlp.normalize import body_hash, word_count

    fields = dict(
        id=id, headline=kw.pop("headline", f"Headline {id}"), body=body,
        body_hash=body_hash(body), word_count=word_count(body),
        source=SourceRef(uri=f"file:///{id}.txt"),
        published_at=kw.pop("published_at", datetime(2024, 11, 10, 14, 13, tzinfo=UTC)),
    )
    fields.update(kw)
    return Article(**fields)


@pytest.fixture
def article_factory():
    return make_article


def beam_pipeline(*flags: str):
    """A TestPipeline on the same offline runner the CLI uses (never Beam's Prism download)."""
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.testing.test_pipeline import TestPipeline

    from pipelines.runners import resolve_runner

    options = PipelineOptions(["--runner=DirectRunner", *flags])
    return TestPipeline(runner=resolve_runner(options), options=options)
