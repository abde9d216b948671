"""``newsbeam db migrate|status --dsn DSN``: the PostgreSQL sink's schema.

The DSN comes from --dsn, else $NEWSBEAM_PG_DSN, else libpq's PG* environment. Put the password
in PGPASSWORD or a PGPASSFILE (or ``passfile=`` in the DSN), not on the command line; it is never
printed.
"""

from __future__ import annotations

import argparse
import os

import psycopg

from pipelines.io.pg_migrate import applied_migrations, load_migrations, migrate, pending_migrations
from pipelines.io.sink_spec import redact_dsn


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="PostgreSQL sink schema (migrations)")
    dsub = p.add_subparsers(dest="db_command", required=True)
    for name, func, text in (
        ("migrate", _migrate, "create or upgrade the sink's tables (idempotent)"),
        ("status", _status, "list applied and pending migrations; exit 3 when some are pending"),
    ):
        cmd = dsub.add_parser(name, help=text)
        cmd.add_argument("--dsn", default=os.environ.get("NEWSBEAM_PG_DSN", ""),
                         help="libpq DSN, e.g. postgresql://newsbeam@127.0.0.1:15432/newsbeam "
                              "(default: $NEWSBEAM_PG_DSN, else the PG* environment)")
        cmd.set_defaults(func=func)


def _migrate(args: argparse.Namespace, beam_args: list[str]) -> int:
    applied = migrate(args.dsn)
    where = redact_dsn(args.dsn)
    for m in applied:
        print(f"applied {m.version:04d}_{m.name}")
    print(f"newsbeam db: {where} is at version {len(load_migrations())}"
          + ("" if applied else " (already up to date)"))
    return 0


def _status(args: argparse.Namespace, beam_args: list[str]) -> int:
    with psycopg.connect(args.dsn, connect_timeout=10) as conn:
        applied = applied_migrations(conn)
        pending = pending_migrations(conn)
    print(f"newsbeam db: {redact_dsn(args.dsn)}")
    for a in applied:
        print(f"  applied  {a.version:04d}_{a.name}  {a.applied_at:%Y-%m-%d %H:%M:%S %Z}")
    for m in pending:
        print(f"  pending  {m.version:04d}_{m.name}")
    return 3 if pending else 0
