"""Parse ``--sink`` specs (``jsonl:DIR``, ``parquet:DIR``, ``postgres:DSN``, ``kafka://HOST/TOPIC``).

Pure functions, no Beam: the CLI validates specs before a pipeline is built, and the pipeline
turns each ``SinkSpec`` into a write transform (pipelines/io/sinks.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

SinkKind = Literal["jsonl", "parquet", "postgres", "kafka"]
SINK_KINDS: tuple[SinkKind, ...] = ("jsonl", "parquet", "postgres", "kafka")
SPEC_HELP = ("jsonl:DIR | parquet:DIR | postgres:DSN (postgresql://USER@HOST:PORT/DB or "
             "'host=... dbname=...'; empty DSN = libpq PG* environment) | kafka://HOST:PORT[,HOST:PORT]/TOPIC")


class SinkSpecError(ValueError):
    """A ``--sink`` value that names no known sink or lacks its target."""


@dataclass(frozen=True)
class SinkSpec:
    kind: SinkKind
    target: str = ""
    """Directory (jsonl, parquet), libpq DSN (postgres) or bootstrap servers (kafka)."""
    topic: str | None = None
    """Kafka topic; None for other kinds."""

    def describe(self) -> str:
        """For logs and summaries: a postgres DSN is shown without its password."""
        if self.kind == "postgres":
            return f"postgres:{redact_dsn(self.target)}"
        if self.kind == "kafka":
            return f"kafka://{self.target}/{self.topic}"
        return f"{self.kind}:{self.target}"


def parse_sink_spec(spec: str) -> SinkSpec:
    """``KIND:TARGET`` -> SinkSpec. A bare ``postgresql://`` or ``postgres://`` URI is a postgres DSN."""
    text = spec.strip()
    if text.startswith(("postgresql://", "postgres://")):
        return SinkSpec("postgres", text)
    if text.startswith("kafka://"):
        return _parse_kafka(text)
    kind, sep, target = text.partition(":")
    kind = kind.lower()
    if not sep or kind not in SINK_KINDS:
        raise SinkSpecError(f"unknown sink {spec!r}: expected {SPEC_HELP}")
    if kind == "kafka":  # "kafka:HOST/TOPIC" reads the same as kafka://HOST/TOPIC
        return _parse_kafka("kafka://" + target.removeprefix("//"))
    if kind == "postgres":
        return SinkSpec("postgres", target.strip())  # empty: libpq takes PGHOST, PGDATABASE, ...
    if not target.strip():
        raise SinkSpecError(f"sink {spec!r} needs a directory: {kind}:DIR")
    return SinkSpec(kind, target.strip())


def _parse_kafka(text: str) -> SinkSpec:
    rest = text.removeprefix("kafka://")
    servers, sep, topic = rest.partition("/")
    if not servers or not sep or not topic or "/" in topic:
        raise SinkSpecError(f"kafka sink {text!r} must look like kafka://HOST:PORT[,HOST:PORT]/TOPIC")
    return SinkSpec("kafka", servers, topic)


def parse_sink_specs(specs: Iterable[str] | None) -> list[SinkSpec]:
    """Every ``--sink`` value in order, each sink once (a repeated flag does not write twice)."""
    out: list[SinkSpec] = []
    for spec in specs or ():
        parsed = parse_sink_spec(spec)
        if parsed not in out:
            out.append(parsed)
    return out


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by ``***`` (URI or key=value form)."""
    if not dsn:
        return "(libpq environment)"
    from psycopg.conninfo import conninfo_to_dict, make_conninfo  # psycopg is a main dependency

    try:
        params = conninfo_to_dict(dsn)
    except Exception:  # an unparseable DSN is shown as nothing rather than risk a password
        return "(unparseable DSN)"
    if "password" in params:
        params["password"] = "***"
    return make_conninfo("", **params)
