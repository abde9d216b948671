"""Versioned SQL migrations for the PostgreSQL sink (``newsbeam db migrate``).

Migrations are ``pipelines/io/migrations/NNNN_name.sql``, applied in order, each in its own
transaction together with its row in ``schema_migrations`` (version, name, checksum). A
session advisory lock lets several launchers migrate the same database at once safely. An applied
migration whose file changed afterwards is an error: schemas move forward by new files only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

import psycopg

_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# The advisory lock id every newsbeam migrator agrees on ("newsbeam" as a positive bigint).
_LOCK_ID = int.from_bytes(b"newsbeam", "big")

_CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


class MigrationError(RuntimeError):
    """The database schema cannot be brought to, or is not at, the version this code needs."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    name: str
    checksum: str
    applied_at: datetime


def load_migrations() -> list[Migration]:
    """The packaged migrations in version order; versions must run 1, 2, 3, ... without gaps."""
    found = []
    for entry in resources.files("pipelines.io.migrations").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration versions must be 1..N without gaps or repeats, found {versions}")
    return found


def latest_version() -> int:
    return len(load_migrations())


def applied_migrations(conn: psycopg.Connection) -> list[AppliedMigration]:
    """Rows of schema_migrations, or [] on a database that was never migrated."""
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return []
    rows = conn.execute(
        "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").fetchall()
    return [AppliedMigration(*row) for row in rows]


def pending_migrations(conn: psycopg.Connection) -> list[Migration]:
    done = {a.version: a for a in applied_migrations(conn)}
    pending = []
    for migration in load_migrations():
        applied = done.get(migration.version)
        if applied is None:
            pending.append(migration)
        elif applied.checksum != migration.checksum:
            raise MigrationError(
                f"migration {migration.version:04d}_{migration.name} was changed after it was applied; "
                "add a new migration file instead of editing an applied one")
    return pending


def migrate(dsn: str) -> list[Migration]:
    """Apply every pending migration; returns those applied now (empty when up to date)."""
    with psycopg.connect(dsn, autocommit=True, application_name="newsbeam-migrate") as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [_LOCK_ID])
        try:
            conn.execute(_CREATE_TABLE)
            applied = []
            for migration in pending_migrations(conn):  # read under the lock: no double apply
                with conn.transaction():
                    conn.execute(migration.sql)  # several statements: allowed without parameters
                    conn.execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (%s, %s, %s)",
                                 [migration.version, migration.name, migration.checksum])
                applied.append(migration)
            return applied
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])


def require_current_schema(conn: psycopg.Connection) -> None:
    """Raise a MigrationError with the fix when the database is behind this code's migrations."""
    have = max((a.version for a in applied_migrations(conn)), default=0)
    need = latest_version()
    if have < need:
        raise MigrationError(
            f"the PostgreSQL schema is at version {have}, this pipeline needs {need}: "
            "run `newsbeam db migrate --dsn DSN` first")
