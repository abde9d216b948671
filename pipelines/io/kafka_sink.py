"""WriteToKafka: records (articles, duplicates, dead letters) to a topic, keyed by record id.

The producer is idempotent (``enable_idempotence``, ``acks=all``): a retried send inside one
producer session never duplicates. Across a retried bundle or a restarted job the same article
is sent again with the same key, so consumers of a compacted topic (``cleanup.policy=compact``)
see one record per article. Every bundle is flushed in ``finish_bundle`` and any failed send
fails the bundle, so the runner retries it: a record is never silently dropped.

Headers carry lineage: where the record came from and what wrote it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam
import orjson
from pydantic import BaseModel

from pipelines.io.kafka_config import KafkaConnection, validate_topic

_LOG = logging.getLogger(__name__)

HEADER_PREFIX = "newsbeam-"


def record_key(record: BaseModel) -> str:
    """Article id where there is one; a dead letter is keyed by where its input came from."""
    key = getattr(record, "id", None)
    if key:
        return str(key)
    source = getattr(record, "source", None)
    return str(getattr(source, "uri", "")) or type(record).__name__


def record_value(record: BaseModel) -> bytes:
    return orjson.dumps(record.model_dump(mode="json"))


def lineage_headers(record: BaseModel, pipeline_version: str) -> list[tuple[str, bytes]]:
    """Kafka headers: content type, record kind and schema version, source and its Kafka origin."""
    headers = [
        ("content-type", b"application/json"),
        (HEADER_PREFIX + "record", f"{type(record).__name__}/v{getattr(record, 'schema_version', 1)}".encode()),
        (HEADER_PREFIX + "pipeline-version", pipeline_version.encode()),
    ]
    source = getattr(record, "source", None)
    if source is not None:
        headers.append((HEADER_PREFIX + "source", source.uri.encode()))
        if source.kafka is not None:
            origin = source.kafka
            headers.append((HEADER_PREFIX + "origin",
                            f"{origin.topic}/{origin.partition}/{origin.offset}".encode()))
    parser = getattr(record, "parser", None)
    if parser:
        headers.append((HEADER_PREFIX + "parser", str(parser).encode()))
    return headers


def producer_config(connection: KafkaConnection, **overrides: Any) -> dict[str, Any]:
    conf = connection.client_config()
    # Retries are unlimited within delivery_timeout_ms (kafka-python's default); idempotence keeps
    # them from duplicating or reordering records.
    conf.update(acks="all", enable_idempotence=True, linger_ms=20, compression_type="gzip",
                delivery_timeout_ms=120_000, max_in_flight_requests_per_connection=5)
    conf.update(overrides)
    return conf


class _ProduceFn(beam.DoFn):
    def __init__(self, connection: KafkaConnection, topic: str, key_fn: Callable[[BaseModel], str],
                 flush_timeout_s: float, producer_overrides: dict[str, Any]) -> None:
        self._connection = connection
        self._topic = topic
        self._key_fn = key_fn
        self._flush_timeout_s = flush_timeout_s
        self._overrides = producer_overrides
        self._sent = beam.metrics.Metrics.counter("newsbeam", "kafka_records_sent")

    def setup(self) -> None:
        from kafka import KafkaProducer

        from pipelines import __version__

        self._version = __version__
        self._producer = KafkaProducer(**producer_config(self._connection, **self._overrides))
        self._errors: list[BaseException] = []
        self._lock = threading.Lock()

    def start_bundle(self) -> None:
        self._errors = []
        self._pending = 0

    def _failed(self, exc: BaseException) -> None:  # runs on the producer's I/O thread
        with self._lock:
            self._errors.append(exc)

    def process(self, record: BaseModel) -> Iterator[Any]:
        if self._errors:
            self._raise()
        key, value, headers = self._message(record)
        future = self._producer.send(self._topic, key=key, value=value, headers=headers)
        future.add_errback(self._failed)
        self._pending += 1
        return iter(())

    def _message(self, record: BaseModel) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        """(key, value, headers) of the Kafka record that carries ``record``."""
        return (self._key_fn(record).encode("utf-8"), record_value(record),
                lineage_headers(record, self._version))

    def finish_bundle(self) -> None:
        # The bundle is done only when the broker has acknowledged every record (acks=all).
        self._producer.flush(timeout=self._flush_timeout_s)
        if self._errors:
            self._raise()
        self._sent.inc(self._pending)

    def _raise(self) -> None:
        with self._lock:
            first, count = self._errors[0], len(self._errors)
        raise RuntimeError(f"{count} record(s) could not be written to Kafka topic {self._topic!r}: "
                           f"{type(first).__name__}: {first}") from first

    def teardown(self) -> None:
        producer = getattr(self, "_producer", None)
        if producer is not None:
            producer.close(timeout=self._flush_timeout_s)


class WriteToKafka(beam.PTransform):
    """Pydantic records -> JSON values on ``topic``, keyed by ``key_fn`` (default: article id)."""

    def __init__(self, connection: KafkaConnection, topic: str,
                 key_fn: Callable[[BaseModel], str] = record_key, flush_timeout_s: float = 120.0,
                 **producer_overrides: Any) -> None:
        super().__init__()
        self._connection = connection
        self._topic = validate_topic(topic)
        self._key_fn = key_fn
        self._flush_timeout_s = flush_timeout_s
        self._overrides = producer_overrides

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        from pipelines.io.kafka_login import verify_sasl_login

        verify_sasl_login(self._connection)  # a refused login in one line when the pipeline is built
        return records | "Produce" >> beam.ParDo(
            _ProduceFn(self._connection, self._topic, self._key_fn, self._flush_timeout_s, self._overrides))
