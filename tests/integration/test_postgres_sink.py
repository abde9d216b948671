"""PostgreSQL sink against a real server (tests/fixtures/postgres.py starts one when needed)."""

from __future__ import annotations

from datetime import timedelta

import apache_beam as beam
import orjson
import psycopg
import pytest
from apache_beam.testing.util import assert_that, equal_to

from pipelines.io.jsonl import to_json_line
from pipelines.io.pg_migrate import MigrationError, applied_migrations, migrate, pending_migrations
from pipelines.io.postgres import (
    RetryPolicy,
    WriteToPostgres,
    _UpsertFn,
    fetch_article,
    search_articles,
    upsert_articles,
)
from schemas.records import DeadLetter, DuplicateRecord, EnrichedArticle
from tests.conftest import beam_pipeline
from tests.fixtures.enriched import make_dead_letter, make_duplicate, make_enriched, synthetic_articles

pytestmark = pytest.mark.postgres

FAST_RETRY = RetryPolicy(attempts=4, base_delay_s=0.05, max_delay_s=0.2)
TABLES = ("articles", "article_entities", "article_topics", "duplicates", "dead_letters")


def write(dsn: str, articles=(), duplicates=(), dead_letters=(), batch_size: int = 500,
          expect_rejected: list[tuple[str, str]] | None = None) -> None:
    """One pipeline run of WriteToPostgres; checks the sink's dead letters (error, source uri)."""
    with beam_pipeline() as p:
        inputs = {}
        for kind, records, model in (("articles", articles, EnrichedArticle),
                                     ("duplicates", duplicates, DuplicateRecord),
                                     ("dead_letters", dead_letters, DeadLetter)):
            if records:
                inputs[kind] = p | f"Create_{kind}" >> beam.Create(list(records)).with_output_types(model)
        rejected = inputs | WriteToPostgres(dsn, batch_size=batch_size, retry=FAST_RETRY)
        assert_that(rejected | beam.Map(lambda d: (d.stage, d.error, d.source.uri)),
                    equal_to([("sink", e, u) for e, u in expect_rejected or []]))


def counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def stamps(dsn: str) -> dict[str, tuple]:
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute("SELECT id, (first_written_at, last_written_at) FROM articles").fetchall())


ARTICLES = synthetic_articles(30)
DUPLICATES = [make_duplicate(i, of=i) for i in range(4)]
DEAD = [make_dead_letter(i) for i in range(3)]


# --- migrations -------------------------------------------------------------------------------


def test_migrations_apply_once_and_are_recorded(pg_empty_dsn):
    assert [m.name for m in migrate(pg_empty_dsn)] == ["initial"]
    assert migrate(pg_empty_dsn) == []
    with psycopg.connect(pg_empty_dsn) as conn:
        assert [(a.version, a.name) for a in applied_migrations(conn)] == [(1, "initial")]
        assert pending_migrations(conn) == []
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")}
        assert "articles_search" in indexes
        assert conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'articles_search'").fetchone()[0] \
            .find("USING gin (search)") > 0
        conn.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        with pytest.raises(MigrationError, match="changed after it was applied"):
            pending_migrations(conn)


def test_sink_refuses_a_database_that_was_not_migrated(pg_empty_dsn):
    with pytest.raises(Exception, match="newsbeam db migrate"):
        write(pg_empty_dsn, articles=ARTICLES[:1])


# --- idempotent upserts -----------------------------------------------------------------------


def test_writing_the_same_records_twice_leaves_row_counts_unchanged(pg_dsn):
    write(pg_dsn, ARTICLES, DUPLICATES, DEAD, batch_size=7)
    first = counts(pg_dsn)
    assert first == {
        "articles": 30, "article_entities": sum(len(a.entities) for a in ARTICLES),
        "article_topics": sum(len(a.topics) for a in ARTICLES), "duplicates": 4, "dead_letters": 3,
    }
    before = stamps(pg_dsn)
    # replayed in another order, with new failure times for the dead letters
    write(pg_dsn, list(reversed(ARTICLES)), DUPLICATES, [make_dead_letter(i) for i in range(3)])
    assert counts(pg_dsn) == first
    assert stamps(pg_dsn) == before  # an unchanged record is not even rewritten


def test_a_changed_article_is_updated_in_place_with_its_entities_and_topics_replaced(pg_dsn):
    write(pg_dsn, ARTICLES)
    before = stamps(pg_dsn)
    old = ARTICLES[4]
    changed = old.model_copy(update={
        "headline": "Harbour strike ends after talks", "entities": old.entities[:1], "topics": [],
        "updated_at": old.updated_at + timedelta(hours=2)})
    write(pg_dsn, [changed, *ARTICLES[5:8]])
    after = counts(pg_dsn)
    assert after["articles"] == 30
    assert after["article_entities"] == sum(len(a.entities) for a in ARTICLES) - len(old.entities) + 1
    assert after["article_topics"] == sum(len(a.topics) for a in ARTICLES) - len(old.topics)
    with psycopg.connect(pg_dsn) as conn:
        assert fetch_article(conn, old.id) == changed
    now = stamps(pg_dsn)
    assert now[old.id][0] == before[old.id][0] and now[old.id][1] > before[old.id][1]
    assert all(now[a.id] == before[a.id] for a in ARTICLES[5:8])


def test_a_replay_of_an_older_version_does_not_overwrite_a_newer_one(pg_dsn):
    newer = ARTICLES[0].model_copy(update={"headline": "Corrected headline",
                                           "updated_at": ARTICLES[0].updated_at + timedelta(days=1)})
    write(pg_dsn, [newer])
    write(pg_dsn, [ARTICLES[0]])
    with psycopg.connect(pg_dsn) as conn:
        assert fetch_article(conn, newer.id).headline == "Corrected headline"
        # within one batch the newest version wins whatever the order
        with conn.transaction():
            upsert_articles(conn, [ARTICLES[1].model_copy(update={"headline": "v2", "updated_at": newer.updated_at}),
                                   ARTICLES[1]])
        assert fetch_article(conn, ARTICLES[1].id).headline == "v2"


# --- what users query -------------------------------------------------------------------------


def test_full_text_search_finds_the_article_containing_a_word(pg_dsn):
    special = make_enriched(500, body="Divers found a sunken zeppelin off the coast.\n\nThe wreck is intact.",
                            headline="Wreck found", standfirst="A rare discovery.")
    write(pg_dsn, [*ARTICLES[:10], special])
    with psycopg.connect(pg_dsn) as conn:
        assert [r[0] for r in search_articles(conn, "zeppelins")] == [special.id]  # stemmed
        assert [r[0] for r in search_articles(conn, "rare discovery")] == [special.id]
        assert search_articles(conn, "zeppelin -wreck") == []
        hits = search_articles(conn, "talks resume", limit=50)
        assert {h[0] for h in hits} == {a.id for a in ARTICLES[:10]}
        # the GIN index on the generated column can serve the query (tiny tables prefer a seq scan)
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute("EXPLAIN SELECT id FROM articles WHERE search @@ "
                            "websearch_to_tsquery(newsbeam_ts_config('en'), 'zeppelin')").fetchall()
        assert "articles_search" in " ".join(r[0] for r in plan)


def test_entity_topic_and_article_rows_match_the_json_lines_records(pg_dsn):
    write(pg_dsn, ARTICLES, DUPLICATES)
    with psycopg.connect(pg_dsn) as conn:
        entities = conn.execute("SELECT article_id, name, type, entity_id, mentions, salience, surface_forms "
                                "FROM article_entities ORDER BY article_id, ordinal").fetchall()
        topics = conn.execute("SELECT article_id, code, label, score FROM article_topics "
                              "ORDER BY article_id, ordinal").fetchall()
        assert entities == [(a.id, e.name, e.type, e.id, e.mentions, e.salience, e.surface_forms)
                            for a in ARTICLES for e in a.entities]
        assert topics == [(a.id, t.code, t.label, t.score) for a in ARTICLES for t in a.topics]
        for a in ARTICLES:
            assert orjson.loads(to_json_line(fetch_article(conn, a.id))) == orjson.loads(to_json_line(a))
        dup = conn.execute("SELECT id, duplicate_of, similarity, method, source FROM duplicates WHERE id = 'd00002'")
        assert dup.fetchone() == ("d00002", "a00002", 0.93, "minhash", DUPLICATES[2].source.model_dump(mode="json"))


# --- failures ---------------------------------------------------------------------------------


def test_records_the_database_rejects_become_sink_dead_letters_and_the_rest_is_written(pg_dsn):
    bad = make_enriched(700, body="A body with a NUL \x00 byte the database refuses.")
    write(pg_dsn, [*ARTICLES[:9], bad], batch_size=100,
          expect_rejected=[("postgres_articles:DataError", bad.source.uri)])
    assert counts(pg_dsn)["articles"] == 9
    # a dead letter whose raw text holds NUL is stored losslessly as base64 instead
    nul = DeadLetter.from_raw("parse", "bad", "x", make_dead_letter(9).source, b"raw\x00bytes")
    write(pg_dsn, dead_letters=[nul])
    with psycopg.connect(pg_dsn) as conn:
        assert conn.execute("SELECT raw, raw_base64 FROM dead_letters").fetchone() == (None, "cmF3AGJ5dGVz")


def test_a_lost_connection_is_retried_on_a_new_one(pg_dsn):
    fn = _UpsertFn(pg_dsn, "articles", batch_size=1000, retry=FAST_RETRY)
    fn.setup()
    fn.start_bundle()
    for a in ARTICLES[:5]:
        assert list(fn.process(a)) == []
    pid = fn._conn.info.backend_pid
    with psycopg.connect(pg_dsn, autocommit=True) as admin:  # the server drops the sink's session
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    assert list(fn.finish_bundle()) == []
    assert fn._conn.info.backend_pid != pid
    fn.teardown()
    assert counts(pg_dsn)["articles"] == 5


def test_an_unreachable_server_fails_the_bundle_after_the_retries(pg_dsn):
    fn = _UpsertFn(pg_dsn, "articles", batch_size=1000, retry=FAST_RETRY)
    fn.setup()
    fn._dsn = pg_dsn + " port=1"  # nothing listens there: every reconnect fails
    fn._close()
    fn.start_bundle()
    list(fn.process(ARTICLES[0]))
    with pytest.raises(psycopg.OperationalError):
        list(fn.finish_bundle())
