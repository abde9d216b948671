"""PostgreSQL sink: idempotent batched upserts of articles (with entities and topics), duplicates
and dead letters, keyed by id, so a re-run or a replay never duplicates rows.

- ``upsert_articles`` & co. are plain functions over a psycopg connection (testable without Beam):
  ``INSERT ... ON CONFLICT (id) DO UPDATE`` skips rows whose record hash is unchanged and never
  lets an older ``updated_at`` overwrite a newer one; an article's entity and topic rows are
  replaced in the same transaction as the article row.
- ``_UpsertFn`` batches records per bundle (connection in ``setup``), retries transient errors
  (connection loss, serialization failures, server shutdown) with exponential backoff and
  reconnects; a batch that hits a permanent error (bad data) is split so only the bad records
  become ``DeadLetter(stage="sink")``. Retrying a commit whose outcome is unknown is safe because
  every write is an idempotent upsert.
- ``WriteToPostgres`` applies it to ``{"articles": ..., "duplicates": ..., "dead_letters": ...}``.

Schema: pipelines/io/migrations/*.sql, applied by ``newsbeam db migrate`` (pipelines/io/pg_migrate.py).
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
import orjson
import psycopg
from apache_beam.transforms.window import BoundedWindow
from apache_beam.utils.windowed_value import WindowedValue
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel

from pipelines.io.jsonl import to_json_line
from pipelines.io.pg_migrate import require_current_schema
from pipelines.io.sink_spec import redact_dsn
from pipelines.metrics import counter
from pipelines.nlp.normalize import stable_hash
from schemas.records import (
    DeadLetter,
    DedupeInfo,
    DuplicateRecord,
    EnrichedArticle,
    Entity,
    Lineage,
    SourceRef,
    Topic,
)

_LOG = logging.getLogger(__name__)

# SQLSTATE classes worth retrying: connection exception, transaction rollback (serialization,
# deadlock), insufficient resources, operator intervention (shutdown, cancel), system error.
_TRANSIENT_CLASSES = frozenset({"08", "40", "53", "57", "58"})
_TRANSIENT_STATES = frozenset({"55P03"})  # lock_not_available
# Not the data's fault: the schema is missing or not ours. Failing the job beats dead-lettering all.
_SCHEMA_STATES = frozenset({"42P01", "42703", "42883", "42501", "3F000", "42P10"})


class SinkSchemaError(RuntimeError):
    """The target database lacks the tables or privileges the sink needs."""


def is_transient(exc: BaseException) -> bool:
    """Errors a retry on a fresh connection may cure (psycopg raises OperationalError without a
    SQLSTATE when the connection itself is lost)."""
    if isinstance(exc, psycopg.InterfaceError):  # e.g. "the connection is closed"
        return True
    if isinstance(exc, psycopg.OperationalError):
        state = exc.sqlstate
        return state is None or state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_STATES
    return False


def is_schema_error(exc: BaseException) -> bool:
    return isinstance(exc, psycopg.Error) and exc.sqlstate in _SCHEMA_STATES


def record_hash(record: BaseModel, exclude: set[str] | None = None) -> str:
    """Stable hash of a record's JSON form: equal hash means nothing to update."""
    data = record.model_dump(mode="json", exclude=exclude)
    return stable_hash(orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Rows


ARTICLE_COLUMNS = (
    "id", "schema_version", "url", "outlet", "section", "headline", "standfirst", "authors",
    "published_at", "updated_at", "dateline", "language", "body", "captions", "photo_credits",
    "agency", "word_count", "body_hash", "parser", "source", "cluster_id", "duplicate_of",
    "dedupe_similarity", "dedupe_method", "cluster_size", "lineage", "record_hash",
)
ENTITY_COLUMNS = ("article_id", "ordinal", "name", "type", "entity_id", "mentions", "salience", "surface_forms")
TOPIC_COLUMNS = ("article_id", "ordinal", "code", "label", "score")
DUPLICATE_COLUMNS = ("id", "schema_version", "duplicate_of", "cluster_id", "similarity", "method",
                     "headline", "outlet", "source", "record_hash")
DEAD_LETTER_COLUMNS = ("id", "schema_version", "stage", "error", "message", "source", "raw",
                       "raw_base64", "failed_at", "record_hash")


def _json(model: BaseModel | None) -> Jsonb | None:
    return None if model is None else Jsonb(model.model_dump(mode="json"))


def article_row(a: EnrichedArticle) -> dict[str, Any]:
    d = a.dedupe
    return {
        "id": a.id, "schema_version": a.schema_version, "url": a.url, "outlet": a.outlet,
        "section": a.section, "headline": a.headline, "standfirst": a.standfirst, "authors": a.authors,
        "published_at": a.published_at, "updated_at": a.updated_at, "dateline": a.dateline,
        "language": a.language, "body": a.body, "captions": a.captions, "photo_credits": a.photo_credits,
        "agency": a.agency, "word_count": a.word_count, "body_hash": a.body_hash, "parser": a.parser,
        "source": _json(a.source), "cluster_id": d.cluster_id if d else None,
        "duplicate_of": d.duplicate_of if d else None, "dedupe_similarity": d.similarity if d else None,
        "dedupe_method": d.method if d else None, "cluster_size": d.cluster_size if d else None,
        "lineage": _json(a.lineage), "record_hash": record_hash(a),
    }


def entity_rows(a: EnrichedArticle) -> list[tuple[Any, ...]]:
    return [(a.id, i, e.name, e.type, e.id, e.mentions, e.salience, e.surface_forms)
            for i, e in enumerate(a.entities)]


def topic_rows(a: EnrichedArticle) -> list[tuple[Any, ...]]:
    return [(a.id, i, t.code, t.label, t.score) for i, t in enumerate(a.topics)]


def duplicate_row(r: DuplicateRecord) -> dict[str, Any]:
    return {"id": r.id, "schema_version": r.schema_version, "duplicate_of": r.duplicate_of,
            "cluster_id": r.cluster_id, "similarity": r.similarity, "method": r.method,
            "headline": r.headline, "outlet": r.outlet, "source": _json(r.source), "record_hash": record_hash(r)}


def dead_letter_id(r: DeadLetter) -> str:
    """The same bad input failing the same way keeps one row, however often it is replayed."""
    src = orjson.dumps(r.source.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS).decode("utf-8")
    return stable_hash(f"{r.stage}\n{r.error}\n{src}", 12)


def dead_letter_row(r: DeadLetter) -> dict[str, Any]:
    raw, raw_b64 = r.raw, r.raw_base64
    if raw is not None and "\x00" in raw:  # PostgreSQL text cannot hold NUL: keep it losslessly
        import base64

        raw, raw_b64 = None, base64.b64encode(raw.encode("utf-8")).decode("ascii")
    return {"id": dead_letter_id(r), "schema_version": r.schema_version, "stage": r.stage, "error": r.error,
            "message": r.message.replace("\x00", "\\0"), "source": _json(r.source), "raw": raw,
            "raw_base64": raw_b64, "failed_at": r.failed_at, "record_hash": record_hash(r, {"failed_at"})}


# ---------------------------------------------------------------------------------------------
# Upserts (plain functions; the caller owns the transaction)


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: UpsertResult) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass(frozen=True)
class _Table:
    """How one table is upserted: rows go by COPY into a session-private staging table, then one
    ``INSERT ... SELECT ... ON CONFLICT`` moves the new and changed ones (far fewer round trips and
    statements than one INSERT per row)."""

    name: str
    columns: tuple[str, ...]
    guard: str = ""  # extra condition for overwriting an existing row

    @property
    def stage(self) -> str:
        return f"newsbeam_stage_{self.name}"

    def stage_sql(self) -> str:
        # LIKE copies no generation expression: the stage's search column stays empty.
        return (f"CREATE TEMP TABLE IF NOT EXISTS {self.stage} (LIKE {self.name} INCLUDING DEFAULTS) "
                "ON COMMIT DELETE ROWS")

    def copy_sql(self) -> str:
        return f"COPY {self.stage} ({', '.join(self.columns)}) FROM STDIN"

    def upsert_sql(self) -> str:
        cols = ", ".join(self.columns)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in self.columns if c != "id")
        where = f"{self.name}.record_hash IS DISTINCT FROM EXCLUDED.record_hash"
        if self.guard:
            where += f" AND ({self.guard})"
        return (f"INSERT INTO {self.name} ({cols}) SELECT {cols} FROM {self.stage} "
                f"ON CONFLICT (id) DO UPDATE SET {updates}, last_written_at = now() WHERE {where} "
                "RETURNING id, (xmax = 0) AS inserted")


# A replay of an older version must not overwrite a correction written since.
ARTICLES = _Table("articles", ARTICLE_COLUMNS, guard=(
    "EXCLUDED.updated_at IS NULL OR articles.updated_at IS NULL OR EXCLUDED.updated_at >= articles.updated_at"))
DUPLICATES = _Table("duplicates", DUPLICATE_COLUMNS)
DEAD_LETTERS = _Table("dead_letters", DEAD_LETTER_COLUMNS)


def _upsert(conn: psycopg.Connection, table: _Table, rows: list[dict[str, Any]]) -> tuple[list[str], UpsertResult]:
    """Upsert ``rows`` (one per id); the ids inserted or updated, and the tally."""
    if not rows:
        return [], UpsertResult()
    # Rows whose stored hash is equal are left alone: a replay costs one SELECT, and the server
    # does not even compute their search vectors again.
    known = dict(conn.execute(f"SELECT id, record_hash FROM {table.name} WHERE id = ANY(%s)",
                              [[r["id"] for r in rows]]).fetchall())
    todo = [r for r in rows if known.get(r["id"]) != r["record_hash"]]
    result = UpsertResult(unchanged=len(rows) - len(todo))
    if not todo:
        return [], result
    conn.execute(table.stage_sql())
    with conn.cursor() as cur:
        with cur.copy(table.copy_sql()) as copy:
            for r in todo:
                copy.write_row([r[c] for c in table.columns])
        written = cur.execute(table.upsert_sql()).fetchall()
        cur.execute(f"TRUNCATE {table.stage}")  # also empty at commit; two upserts may share a transaction
    result.inserted = sum(1 for _, inserted in written if inserted)
    result.updated = len(written) - result.inserted
    result.unchanged += len(todo) - len(written)  # kept: the stored version is newer
    return [w[0] for w in written], result


def latest_per_id(records: Sequence[Any]) -> list[Any]:
    """One record per id: the newest ``updated_at`` (ties: the last given). ON CONFLICT cannot touch
    a row twice in one statement batch without making the winner depend on arrival order."""
    best: dict[str, Any] = {}
    for r in records:
        key = r.id if hasattr(r, "id") else dead_letter_id(r)
        old = best.get(key)
        if old is None or _updated(r) >= _updated(old):
            best[key] = r
    return list(best.values())


def _updated(r: Any) -> float:
    ts = getattr(r, "updated_at", None)
    return ts.timestamp() if ts else float("-inf")


_CHILD_TABLES = (("article_entities", ENTITY_COLUMNS, entity_rows), ("article_topics", TOPIC_COLUMNS, topic_rows))


def upsert_articles(conn: psycopg.Connection, articles: Sequence[EnrichedArticle]) -> UpsertResult:
    """Upsert articles; for each inserted or changed one, replace its entity and topic rows."""
    articles = latest_per_id(articles)
    written, result = _upsert(conn, ARTICLES, [article_row(a) for a in articles])
    if written:
        ids = set(written)
        changed = [a for a in articles if a.id in ids]
        for table, columns, rows_of in _CHILD_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", [written])
            with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for article in changed:
                    for row in rows_of(article):
                        copy.write_row(row)
    return result


def upsert_duplicates(conn: psycopg.Connection, records: Sequence[DuplicateRecord]) -> UpsertResult:
    records = latest_per_id(records)
    return _upsert(conn, DUPLICATES, [duplicate_row(r) for r in records])[1]


def upsert_dead_letters(conn: psycopg.Connection, records: Sequence[DeadLetter]) -> UpsertResult:
    records = latest_per_id(records)
    return _upsert(conn, DEAD_LETTERS, [dead_letter_row(r) for r in records])[1]


WRITERS: dict[str, Callable[[psycopg.Connection, Sequence[Any]], UpsertResult]] = {
    "articles": upsert_articles,
    "duplicates": upsert_duplicates,
    "dead_letters": upsert_dead_letters,
}


# ---------------------------------------------------------------------------------------------
# Reading back (for users and tests)


def fetch_article(conn: psycopg.Connection, article_id: str) -> EnrichedArticle | None:
    """The stored article, rebuilt from its rows, or None."""
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = %s", [article_id]).fetchone()
        if row is None:
            return None
        entities = cur.execute(
            "SELECT name, type, entity_id AS id, mentions, salience, surface_forms FROM article_entities "
            "WHERE article_id = %s ORDER BY ordinal", [article_id]).fetchall()
        topics = cur.execute("SELECT code, label, score FROM article_topics WHERE article_id = %s ORDER BY ordinal",
                             [article_id]).fetchall()
    dedupe = None
    if row["cluster_id"] is not None:
        dedupe = DedupeInfo(cluster_id=row["cluster_id"], duplicate_of=row["duplicate_of"],
                            similarity=row["dedupe_similarity"], method=row["dedupe_method"],
                            cluster_size=row["cluster_size"])
    fields = {k: v for k, v in row.items() if k in EnrichedArticle.model_fields}
    fields.update(source=SourceRef.model_validate(row["source"]), dedupe=dedupe,
                  lineage=Lineage.model_validate(row["lineage"]) if row["lineage"] else None,
                  entities=[Entity(**e) for e in entities], topics=[Topic(**t) for t in topics])
    return EnrichedArticle(**fields)


def search_articles(conn: psycopg.Connection, query: str, language: str = "en",
                    limit: int = 20) -> list[tuple[str, str, float]]:
    """(id, headline, rank) of articles matching a web-search style query, best first."""
    return conn.execute(
        "SELECT id, headline, ts_rank(search, q) AS rank "
        "FROM articles, websearch_to_tsquery(newsbeam_ts_config(%s), %s) AS q "
        "WHERE search @@ q ORDER BY rank DESC, id LIMIT %s", [language, query, limit]).fetchall()


# ---------------------------------------------------------------------------------------------
# Beam


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with equal jitter: the wait before retry n is half of its step for sure
    plus up to as much again at random (steps 0.5, 1, 2, 4, 8, 16, 16 s by default), so the retries
    always span at least ``min_total_s`` (~24 s by default, at most ~48 s): long enough for a server
    restart or a failover. (Full jitter, uniform in [0, step], could give up after a second or two.)
    When attempts run out the bundle fails, so the runner retries it and Kafka offsets stay
    uncommitted: a database outage must not turn every article into a dead letter."""

    attempts: int = 8
    base_delay_s: float = 0.5
    max_delay_s: float = 16.0

    def step(self, attempt: int) -> float:
        return min(self.max_delay_s, self.base_delay_s * 2 ** attempt)

    def delay(self, attempt: int) -> float:
        half = self.step(attempt) / 2
        return half + random.uniform(0, half)

    @property
    def min_total_s(self) -> float:
        """The shortest time from the first failure to giving up (sleeps only)."""
        return sum(self.step(a) for a in range(self.attempts - 1)) / 2

    @property
    def max_total_s(self) -> float:
        return sum(self.step(a) for a in range(self.attempts - 1))


class _PermanentError(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _UpsertFn(beam.DoFn):
    """Batches records of one kind and upserts them; emits DeadLetters for records the database
    rejects for good."""

    def __init__(self, dsn: str, kind: str, batch_size: int, retry: RetryPolicy) -> None:
        if kind not in WRITERS:
            raise ValueError(f"unknown record kind {kind!r}; expected one of {sorted(WRITERS)}")
        self._dsn = dsn
        self._kind = kind
        self._batch_size = max(1, batch_size)
        self._retry = retry
        self._conn: psycopg.Connection | None = None
        self._batch: list[tuple[Any, BoundedWindow, Any]] = []
        self._inserted = counter(f"postgres_{kind}_inserted")
        self._updated = counter(f"postgres_{kind}_updated")
        self._unchanged = counter(f"postgres_{kind}_unchanged")
        self._retries = counter("postgres_retries")
        self._rejected = counter(f"postgres_{kind}_dead_letters")

    # -- lifecycle

    def setup(self) -> None:
        self._call(require_current_schema)

    def start_bundle(self) -> None:
        self._batch = []

    def process(self, record: Any, window: BoundedWindow = beam.DoFn.WindowParam,
                timestamp: Any = beam.DoFn.TimestampParam) -> Iterator[WindowedValue]:
        self._batch.append((record, window, timestamp))
        if len(self._batch) >= self._batch_size:
            yield from self._flush()

    def finish_bundle(self) -> Iterator[WindowedValue]:
        yield from self._flush()

    def teardown(self) -> None:
        self._close()

    # -- writing

    def _flush(self) -> Iterator[WindowedValue]:
        batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            self._write([r for r, _, _ in batch])
            return
        except _PermanentError as exc:
            _LOG.warning("postgres sink: a batch of %d %s hit a permanent error (%s); writing one by one",
                         len(batch), self._kind, exc)
        for record, window, timestamp in batch:
            try:
                self._write([record])
            except _PermanentError as exc:
                self._rejected.inc()
                yield WindowedValue(self._dead_letter(record, exc.cause), timestamp, [window])

    def _write(self, records: list[Any]) -> None:
        writer = WRITERS[self._kind]

        def _tx(conn: psycopg.Connection) -> UpsertResult:
            with conn.transaction():
                return writer(conn, records)

        result = self._call(_tx)
        self._inserted.inc(result.inserted)
        self._updated.inc(result.updated)
        self._unchanged.inc(result.unchanged)

    def _call(self, fn: Callable[[psycopg.Connection], Any]) -> Any:
        """``fn(connection)`` with reconnects and backoff on transient errors."""
        for attempt in range(self._retry.attempts):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=10,
                                                 application_name=f"newsbeam-sink-{self._kind}")
                return fn(self._conn)
            except (psycopg.Error, ValueError, TypeError) as exc:
                if is_schema_error(exc):
                    raise SinkSchemaError(f"postgres sink ({redact_dsn(self._dsn)}): {exc}; "
                                          "run `newsbeam db migrate --dsn DSN`") from exc
                if not is_transient(exc):
                    raise _PermanentError(exc) from exc
                if attempt + 1 == self._retry.attempts:
                    raise
                self._retries.inc()
                delay = self._retry.delay(attempt)
                _LOG.warning("postgres sink: transient error (%s: %s); retry %d/%d in %.1f s",
                             type(exc).__name__, str(exc).strip(), attempt + 1, self._retry.attempts - 1, delay)
                self._close()
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()
            self._conn = None

    def _dead_letter(self, record: Any, exc: BaseException) -> DeadLetter:
        kind = getattr(exc, "sqlstate", None) or type(exc).__name__
        return DeadLetter.from_raw(
            stage="sink", error=f"postgres_{self._kind}:{kind}",
            message=f"PostgreSQL rejected this record for table {self._kind}: {str(exc).strip()}",
            source=record.source, data=to_json_line(record).encode("utf-8"))


class WriteToPostgres(beam.PTransform):
    """``{"articles": pc, "duplicates": pc, "dead_letters": pc}`` (any subset) -> upserted into
    PostgreSQL; outputs DeadLetters (stage "sink") for records the database rejected."""

    def __init__(self, dsn: str, batch_size: int = 500, retry: RetryPolicy | None = None) -> None:
        super().__init__()
        self._dsn = dsn
        self._batch_size = batch_size
        self._retry = retry or RetryPolicy()

    def expand(self, pcolls: dict[str, beam.PCollection]) -> beam.PCollection:
        unknown = set(pcolls) - set(WRITERS)
        if unknown or not pcolls:
            raise ValueError(f"WriteToPostgres takes a dict with keys among {sorted(WRITERS)}, got {sorted(pcolls)}")
        rejected = [
            pcoll | f"Upsert_{kind}" >> beam.ParDo(
                _UpsertFn(self._dsn, kind, self._batch_size, self._retry)).with_output_types(DeadLetter)
            for kind, pcoll in sorted(pcolls.items())
        ]
        return tuple(rejected) | "SinkDeadLetters" >> beam.Flatten().with_output_types(DeadLetter)
