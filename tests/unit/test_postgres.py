"""Pure parts of the PostgreSQL sink: error classes, rows, per-batch dedupe, backoff."""

from __future__ import annotations

import random
from datetime import timedelta

import psycopg
from psycopg import errors

from pipelines.io.pg_migrate import load_migrations
from pipelines.io.postgres import (
    ARTICLE_COLUMNS,
    RetryPolicy,
    article_row,
    dead_letter_id,
    dead_letter_row,
    entity_rows,
    is_schema_error,
    is_transient,
    latest_per_id,
    record_hash,
    topic_rows,
)
from schemas.records import DeadLetter
from tests.fixtures.enriched import make_dead_letter, make_enriched


def test_connection_loss_and_rollbacks_are_transient_bad_data_is_not():
    assert is_transient(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert is_transient(psycopg.InterfaceError("the connection is closed"))
    for exc in (errors.AdminShutdown(), errors.SerializationFailure(), errors.DeadlockDetected(),
                errors.TooManyConnections(), errors.LockNotAvailable(), errors.ConnectionFailure()):
        assert is_transient(exc), exc
    for exc in (psycopg.DataError("NUL"), errors.StringDataRightTruncation(), errors.NotNullViolation(),
                errors.ProgramLimitExceeded(), errors.InvalidTextRepresentation(), ValueError("x")):
        assert not is_transient(exc), exc
    assert is_schema_error(errors.UndefinedTable()) and is_schema_error(errors.InsufficientPrivilege())
    assert not is_schema_error(errors.UniqueViolation())


def test_article_row_flattens_the_dedupe_verdict_and_keeps_every_column():
    a = make_enriched(3)
    row = article_row(a)
    assert tuple(row) == ARTICLE_COLUMNS
    assert (row["cluster_id"], row["duplicate_of"], row["dedupe_method"]) == ("c-a00003", None, "exact-url")
    assert row["source"].obj == a.source.model_dump(mode="json")
    assert article_row(make_enriched(3, dedupe=None, lineage=None))["cluster_id"] is None
    assert [r[:4] for r in entity_rows(a)] == [(a.id, i, e.name, e.type) for i, e in enumerate(a.entities)]
    assert topic_rows(a) == [(a.id, i, t.code, t.label, t.score) for i, t in enumerate(a.topics)]


def test_record_hash_changes_with_any_field():
    a = make_enriched(1)
    assert record_hash(a) == record_hash(make_enriched(1))
    assert record_hash(a) != record_hash(a.model_copy(update={"headline": "other"}))
    e = a.model_copy(update={"entities": [a.entities[0].model_copy(update={"salience": 0.1})]})
    assert record_hash(a) != record_hash(e)


def test_dead_letters_keep_one_id_per_input_and_failure_and_never_send_nul():
    first = make_dead_letter(4)
    again = first.model_copy(update={"failed_at": first.failed_at + timedelta(hours=1)})  # a replay
    assert dead_letter_id(first) == dead_letter_id(again)
    assert dead_letter_row(first)["record_hash"] == dead_letter_row(again)["record_hash"]
    assert dead_letter_id(first) != dead_letter_id(make_dead_letter(5))
    nul = DeadLetter.from_raw("parse", "e", "m", first.source, b"a\x00b")
    row = dead_letter_row(nul)
    assert (row["raw"], row["raw_base64"]) == (None, "YQBi")


def test_latest_per_id_keeps_the_newest_version_whatever_the_order():
    old = make_enriched(1)
    new = old.model_copy(update={"headline": "new", "updated_at": old.updated_at + timedelta(minutes=1)})
    assert latest_per_id([new, old]) == [new]
    assert latest_per_id([old, new, make_enriched(2)]) == [new, make_enriched(2)]


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(attempts=8, base_delay_s=0.5, max_delay_s=4.0)
    for attempt in range(8):
        step = min(4.0, 0.5 * 2 ** attempt)
        assert step / 2 <= policy.delay(attempt) <= step


def test_default_retries_outlast_a_server_restart_whatever_the_jitter():
    # A restart or failover keeps the server away for seconds; the retries must span longer than
    # that in the worst draw (full jitter could give up after ~0 s of waiting).
    policy = RetryPolicy()
    assert policy.min_total_s == sum(min(16.0, 0.5 * 2 ** a) for a in range(7)) / 2 == 23.75
    assert policy.max_total_s == 47.5
    random.seed(7)
    waits = [sum(policy.delay(a) for a in range(policy.attempts - 1)) for _ in range(2000)]
    assert policy.min_total_s <= min(waits) and max(waits) <= policy.max_total_s


def test_migrations_are_packaged_numbered_and_create_the_sink_tables():
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    first = migrations[0].sql
    for table in ("articles", "article_entities", "article_topics", "duplicates", "dead_letters"):
        assert f"CREATE TABLE {table} (" in first
    assert "GENERATED ALWAYS AS" in first and "USING gin (search)" in first
