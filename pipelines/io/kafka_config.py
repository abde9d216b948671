"""Kafka connection settings and their translation to kafka-python configs (no Beam here).

Secrets never live in pipeline options or in pickled transforms: the options name an
environment variable or a file, and the password is read where a client is built (on the
worker). ``repr`` of a connection never shows it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from pipelines.redaction import remember

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
DEFAULT_PASSWORD_ENV = "NEWSBEAM_KAFKA_PASSWORD"
DEFAULT_BOOTSTRAP = "127.0.0.1:19092"  # deploy/local/kafka.sh


class KafkaConfigError(ValueError):
    """Settings that cannot work, with what to change in the message."""


@dataclass(frozen=True)
class KafkaConnection:
    """Where the brokers are and how to authenticate. Picklable; holds no secret."""

    bootstrap_servers: str = DEFAULT_BOOTSTRAP
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password_env: str | None = DEFAULT_PASSWORD_ENV
    sasl_password_file: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    ssl_check_hostname: bool = True
    client_id: str = "newsbeam"
    extra: tuple[tuple[str, Any], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.security_protocol not in SECURITY_PROTOCOLS:
            raise KafkaConfigError(
                f"security protocol {self.security_protocol!r}: use one of {', '.join(SECURITY_PROTOCOLS)}")
        if self.security_protocol.startswith("SASL"):
            if self.sasl_mechanism not in SASL_MECHANISMS:
                raise KafkaConfigError(
                    f"{self.security_protocol} needs --kafka_sasl_mechanism, one of {', '.join(SASL_MECHANISMS)}")
            if not self.sasl_username:
                raise KafkaConfigError(f"{self.security_protocol} needs --kafka_sasl_username")
        if not self.bootstrap_servers.strip():
            raise KafkaConfigError("no Kafka bootstrap servers given")

    def with_bootstrap(self, servers: str) -> KafkaConnection:
        return replace(self, bootstrap_servers=servers)

    def sasl_password(self) -> str:
        """The SASL password, read now from the configured file or environment variable."""
        if self.sasl_password_file:
            try:
                with open(self.sasl_password_file, encoding="utf-8") as fh:
                    value = fh.read().rstrip("\r\n")
            except OSError as exc:
                raise KafkaConfigError(f"cannot read the SASL password file: {exc.strerror}") from None
        else:
            env = self.sasl_password_env or DEFAULT_PASSWORD_ENV
            found = os.environ.get(env)
            if found is None:
                raise KafkaConfigError(
                    f"SASL password not found: set the environment variable {env} or pass --kafka_sasl_password_file")
            value = found
        remember(value)  # masked in every log line from now on (kafka-python's DEBUG dumps its config)
        return value

    def client_config(self) -> dict[str, Any]:
        """Common kafka-python settings for consumers, producers and admin clients."""
        conf: dict[str, Any] = {
            "bootstrap_servers": [s.strip() for s in self.bootstrap_servers.split(",") if s.strip()],
            "security_protocol": self.security_protocol,
            "client_id": self.client_id,
            # kafka-python backs off up to 30 s between reconnects (the Java client: 1 s): a job
            # would sit idle for half a minute after a broker restart (tests/integration/test_fault_*).
            "reconnect_backoff_max_ms": 1000,
        }
        if self.security_protocol.startswith("SASL"):
            conf["sasl_mechanism"] = self.sasl_mechanism
            conf["sasl_plain_username"] = self.sasl_username
            conf["sasl_plain_password"] = self.sasl_password()
        if self.security_protocol.endswith("SSL"):
            conf["ssl_check_hostname"] = self.ssl_check_hostname
            for key in ("ssl_cafile", "ssl_certfile", "ssl_keyfile"):
                value = getattr(self, key)
                if value:
                    if not os.path.exists(value):
                        raise KafkaConfigError(f"{key.replace('_', ' ')} not found: {value}")
                    conf[key] = value
        conf.update(dict(self.extra))
        return conf

    def __repr__(self) -> str:  # the dataclass repr is fine (no secret), but keep it short
        auth = f", sasl={self.sasl_mechanism}:{self.sasl_username}" if self.sasl_mechanism else ""
        return f"KafkaConnection({self.bootstrap_servers}, {self.security_protocol}{auth})"


@dataclass(frozen=True)
class KafkaUri:
    bootstrap_servers: str | None
    topics: tuple[str, ...]


_TOPIC = re.compile(r"^[A-Za-z0-9._-]{1,249}$")


def parse_kafka_uri(uri: str) -> KafkaUri:
    """``kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]``; ``kafka:///TOPIC`` keeps the default brokers."""
    parts = urlsplit(uri)
    if parts.scheme != "kafka":
        raise KafkaConfigError(f"not a kafka:// URI: {uri!r} (expected kafka://HOST:PORT/TOPIC)")
    topics = tuple(t for t in unquote(parts.path.lstrip("/")).split(",") if t)
    if not topics:
        raise KafkaConfigError(f"no topic in {uri!r} (expected kafka://HOST:PORT/TOPIC)")
    for topic in topics:
        validate_topic(topic)
    return KafkaUri(bootstrap_servers=parts.netloc or None, topics=topics)


def validate_topic(topic: str) -> str:
    if not _TOPIC.match(topic) or topic in (".", ".."):
        raise KafkaConfigError(f"invalid Kafka topic name {topic!r} (letters, digits, '.', '_', '-')")
    return topic


def parse_time_ms(value: str | int | datetime) -> int:
    """A point in time as epoch milliseconds: ISO 8601 (naive means UTC) or integer epoch ms."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"-?\d{10,}", value.strip())):
        return int(value)
    else:
        text = value.strip()
        try:
            dt = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
        except ValueError:
            raise KafkaConfigError(
                f"not a time: {value!r} (use ISO 8601 like 2024-05-01T12:00:00Z, or epoch milliseconds)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp() * 1000)


def format_time_ms(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
