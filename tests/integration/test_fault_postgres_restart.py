"""Stop PostgreSQL while the sink writes a few thousand articles, start it again seconds later.

Runs on a private server (own port and cluster dir, tests/fixtures/postgres.py ``own_server``): the
shared dev server on 15432 is never touched. The sink runs with its default retry policy, as a
job would: it must ride the outage out, and afterwards every article is stored exactly once, with
its entity and topic rows exactly once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import apache_beam as beam
import psycopg
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.util import assert_that, equal_to

from pipelines.io.pg_migrate import migrate
from pipelines.io.postgres import WriteToPostgres
from schemas.records import EnrichedArticle
from tests.conftest import beam_pipeline
from tests.fixtures.enriched import make_enriched, synthetic_articles
from tests.fixtures.faults import fault_figures
from tests.fixtures.postgres import create_database, own_server, with_dbname

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ARTICLES = 3000
OUTAGE_S = 5.0


@pytest.fixture(scope="module")
def private_server() -> Iterator[tuple[str, Callable[..., str]]]:
    with own_server() as server:
        yield server


def count_articles(dsn: str) -> int:
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


class Restarter(threading.Thread):
    """Once the sink has written ``after`` articles: stop the server, wait, start it again."""

    def __init__(self, dsn: str, control: Callable[..., str], after: int) -> None:
        super().__init__(daemon=True)
        self.dsn, self.control, self.after = dsn, control, after
        self.written_at_stop: int | None = None
        self.outage_s = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            deadline = time.monotonic() + 120
            while (n := count_articles(self.dsn)) < self.after and time.monotonic() < deadline:
                time.sleep(0.02)
            self.written_at_stop = n
            began = time.monotonic()
            self.control("stop")  # pg_ctl -m fast: sessions are terminated, open transactions roll back
            time.sleep(OUTAGE_S)
            self.control("start")
            self.outage_s = time.monotonic() - began
        except BaseException as exc:  # reported by the test
            self.error = exc


def test_postgres_restarted_during_writes_loses_and_duplicates_nothing(private_server):
    admin, control = private_server
    dsn = with_dbname(admin, create_database(admin, "template0"))
    migrate(dsn)
    articles = synthetic_articles(ARTICLES)
    restarter = Restarter(dsn, control, after=ARTICLES // 5)
    restarter.start()
    began = time.monotonic()
    p = beam_pipeline()
    # made in the pipeline: Create would encode and decode thousands of articles up front
    made = (p | beam.Create(range(ARTICLES))
            | beam.Map(lambda i: make_enriched(i)).with_output_types(EnrichedArticle))
    rejected = {"articles": made} | WriteToPostgres(dsn, batch_size=100)  # the default retry policy
    assert_that(rejected | beam.Map(lambda d: (d.error, d.message)), equal_to([]))
    result = p.run()
    result.wait_until_finish()
    retries = sum(c.committed or c.attempted or 0 for c in result.metrics().query(
        MetricsFilter().with_name("postgres_retries"))["counters"])
    took = time.monotonic() - began
    restarter.join(timeout=60)
    assert restarter.error is None, restarter.error

    with psycopg.connect(dsn) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        entity_rows = conn.execute("SELECT count(*) FROM article_entities").fetchone()[0]
        topic_rows = conn.execute("SELECT count(*) FROM article_topics").fetchone()[0]
    entities = sum(len(a.entities) for a in articles)
    topics = sum(len(a.topics) for a in articles)
    figures = fault_figures(
        "postgres stopped+restarted during writes", [a.id for a in articles], ids,
        f"stopped after {restarter.written_at_stop} rows, down {restarter.outage_s:.1f}s, {retries} sink retries, "
        f"write took {took:.1f}s; "
        f"entity rows {entity_rows} of {entities}, topic rows {topic_rows} of {topics}")
    # the server went away in the middle of the writes, and the sink noticed
    assert restarter.written_at_stop is not None and 0 < restarter.written_at_stop < ARTICLES, figures.line
    assert retries > 0, figures.line
    assert figures.clean, figures.line
    assert (entity_rows, topic_rows) == (entities, topics), figures.line
