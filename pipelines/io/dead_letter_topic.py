"""WriteDeadLetterTopic: dead letters to a Kafka topic as the ORIGINAL record plus why it failed.

``--dead_letter_topic kafka://HOST:PORT/TOPIC`` (or ``kafka:///TOPIC``, or just ``TOPIC``: the
brokers of ``--kafka_bootstrap_servers``, else of ``--source``). One Kafka record per dead letter:

- value: the input's bytes exactly as received (a Kafka value, a file's record), so a consumer can
  fix and re-produce it. A record larger than ``--max_record_bytes`` is kept truncated in the
  DeadLetter; for a Kafka input its full value is fetched again from the source offset here.
  A Kafka null value (tombstone) reaches the parser as empty bytes and is written as a null
  value again (``KafkaOrigin.null_value``), so it stays distinct from an empty value. (On a
  compacted dead-letter topic such a record is itself a tombstone: keep cleanup.policy=delete.)
- key: the input's place, ``kafka://TOPIC/PARTITION/OFFSET`` (``PATH#line=N`` for files): unique
  per input, so a retried bundle rewrites the same key (compaction keeps one).
- headers: the source record's own headers first, all of them in order, repeated names included
  (values restored byte for byte, see ``original_headers``), then ours: ``newsbeam-record``
  (``DeadLetter/v1``), ``newsbeam-dl-stage``, ``-error``, ``-message``, ``-failed-at``, ``-raw``
  (complete | refetched | truncated), ``newsbeam-source`` (uri), ``newsbeam-origin``
  (TOPIC/PARTITION/OFFSET, as the article sink writes it), ``newsbeam-dl-timestamp-ms`` and
  ``newsbeam-dl-key`` (the source record's key).

Same producer as the article sink (kafka_sink._ProduceFn): idempotent, ``acks=all``, flushed per
bundle, a failed send fails the bundle (the runner retries it), so no dead letter is dropped.
"""

from __future__ import annotations

import base64
import logging
import time
from typing import Any

import apache_beam as beam

from pipelines.io.kafka_config import KafkaConfigError, KafkaConnection, parse_kafka_uri
from pipelines.io.kafka_sink import HEADER_PREFIX, _ProduceFn
from schemas.records import DeadLetter, KafkaOrigin, iso_z

_LOG = logging.getLogger(__name__)

DL_PREFIX = HEADER_PREFIX + "dl-"
# The producer's own size check: originals can be as large as the source topic allowed (the
# dead-letter topic needs a max.message.bytes at least as large as the source's; the broker
# rejects the send otherwise, which fails the bundle).
MAX_REQUEST_BYTES = 32 * 1024 * 1024
_MAX_MESSAGE_HEADER_CHARS = 2000


def parse_dead_letter_topic(spec: str) -> tuple[str | None, str]:
    """``kafka://HOST:PORT/TOPIC``, ``kafka:///TOPIC`` or ``TOPIC`` -> (bootstrap or None, topic)."""
    text = spec.strip()
    uri = parse_kafka_uri(text if text.startswith("kafka:") else f"kafka:///{text}")
    if len(uri.topics) != 1:
        raise KafkaConfigError(f"one dead-letter topic, not {len(uri.topics)}: {spec!r}")
    return uri.bootstrap_servers, uri.topics[0]


def header_bytes(value: str | None) -> bytes | None:
    """Inverse of the source's text-or-``base64:`` form of keys and header values.

    A value that was text starting with ``base64:`` and valid base64 is ambiguous in that form;
    it comes back decoded (the refetch path, used for truncated records, keeps it exact).
    """
    if value is None:
        return None
    if value.startswith("base64:"):
        try:
            return base64.b64decode(value.removeprefix("base64:"), validate=True)
        except ValueError:
            pass
    return value.encode("utf-8")


def original_headers(origin: KafkaOrigin | None) -> list[tuple[str, bytes]]:
    """The source record's headers, in order and with repeated names, as Kafka had them."""
    if origin is None:
        return []
    return [(name, header_bytes(value) or b"") for name, value in origin.header_pairs()]


def dead_letter_key(dl: DeadLetter) -> bytes:
    src = dl.source
    key = src.uri
    if src.line is not None:
        key += f"#line={src.line}"
    if src.index is not None:
        key += f"#index={src.index}"
    return key.encode("utf-8")


def dead_letter_headers(dl: DeadLetter, pipeline_version: str, raw_state: str) -> list[tuple[str, bytes]]:
    origin = dl.source.kafka
    message = dl.message if len(dl.message) <= _MAX_MESSAGE_HEADER_CHARS else \
        dl.message[:_MAX_MESSAGE_HEADER_CHARS] + "..."
    headers = [
        *original_headers(origin),
        (HEADER_PREFIX + "record", f"DeadLetter/v{dl.schema_version}".encode()),
        (HEADER_PREFIX + "pipeline-version", pipeline_version.encode()),
        (DL_PREFIX + "stage", dl.stage.encode()),
        (DL_PREFIX + "error", dl.error.encode()),
        (DL_PREFIX + "message", message.encode("utf-8", "backslashreplace")),
        (DL_PREFIX + "failed-at", (iso_z(dl.failed_at) or "").encode()),
        (DL_PREFIX + "raw", raw_state.encode()),
        (HEADER_PREFIX + "source", dl.source.uri.encode("utf-8", "backslashreplace")),
    ]
    if origin is not None:
        headers.append((HEADER_PREFIX + "origin", f"{origin.topic}/{origin.partition}/{origin.offset}".encode()))
        if origin.timestamp_ms is not None:
            headers.append((DL_PREFIX + "timestamp-ms", str(origin.timestamp_ms).encode()))
        key = header_bytes(origin.key)
        if key is not None:
            headers.append((DL_PREFIX + "key", key))
    return headers


def dead_letter_message(dl: DeadLetter, pipeline_version: str,
                        refetched: bytes | None = None) -> tuple[bytes, bytes | None, list[tuple[str, bytes]]]:
    """(key, value, headers) of the dead-letter record; ``refetched`` is the full original value.
    The value is None when the source record's was (a tombstone)."""
    value: bytes | None
    if refetched is not None:
        value, state = refetched, "refetched"
    else:
        value, state = dl.raw_bytes(), "truncated" if dl.raw_truncated else "complete"
        if value == b"" and dl.source.kafka is not None and dl.source.kafka.null_value:
            value = None
    return dead_letter_key(dl), value, dead_letter_headers(dl, pipeline_version, state)


def fetch_value(consumer: Any, origin: KafkaOrigin, timeout_s: float = 30.0) -> bytes | None:
    """The value at ``origin``'s offset, read again; None when it is gone (retention, compaction)."""
    from kafka import TopicPartition

    tp = TopicPartition(origin.topic, origin.partition)
    consumer.assign([tp])
    consumer.seek(tp, origin.offset)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for record in consumer.poll(timeout_ms=500).get(tp, ()):
            if record.offset == origin.offset:
                return record.value or b""
            if record.offset > origin.offset:
                return None
    return None


class _DeadLetterProduceFn(_ProduceFn):
    def __init__(self, connection: KafkaConnection, topic: str, source: KafkaConnection | None,
                 flush_timeout_s: float) -> None:
        super().__init__(connection, topic, dead_letter_key, flush_timeout_s,
                         {"max_request_size": MAX_REQUEST_BYTES})
        self._source = source
        self._refetched = beam.metrics.Metrics.counter("newsbeam", "dead_letters_refetched")

    def setup(self) -> None:
        super().setup()
        self._fetcher: Any = None

    def _message(self, record: DeadLetter) -> tuple[bytes, bytes | None, list[tuple[str, bytes]]]:
        origin = record.source.kafka
        refetched = None
        if record.raw_truncated and origin is not None and self._source is not None:
            refetched = self._refetch(origin)
        return dead_letter_message(record, self._version, refetched)

    def _refetch(self, origin: KafkaOrigin) -> bytes | None:
        from pipelines.io.kafka import new_consumer

        if self._fetcher is None:
            self._fetcher = new_consumer(self._source, None, fetch_max_bytes=MAX_REQUEST_BYTES)
        value = fetch_value(self._fetcher, origin)
        if value is None:
            _LOG.warning("dead letter %s/%d/%d: the original is no longer on the topic; writing the "
                         "truncated copy", origin.topic, origin.partition, origin.offset)
        else:
            self._refetched.inc()
        return value

    def teardown(self) -> None:
        if getattr(self, "_fetcher", None) is not None:
            self._fetcher.close(autocommit=False)
        super().teardown()


class WriteDeadLetterTopic(beam.PTransform):
    """DeadLetters -> ``topic``: original bytes as the value, reason and origin in headers.

    ``source``: the connection of the Kafka source, to read the full value of a dead letter whose
    raw copy was truncated (None: write the truncated copy, marked ``newsbeam-dl-raw: truncated``).
    """

    def __init__(self, connection: KafkaConnection, topic: str, source: KafkaConnection | None = None,
                 flush_timeout_s: float = 120.0) -> None:
        super().__init__()
        self._connection = connection
        self._topic = parse_dead_letter_topic(topic)[1]
        self._source = source
        self._flush_timeout_s = flush_timeout_s

    def expand(self, dead_letters: beam.PCollection) -> beam.PCollection:
        return dead_letters | "Produce" >> beam.ParDo(
            _DeadLetterProduceFn(self._connection, self._topic, self._source, self._flush_timeout_s))


def write_side_topics(dead_letters: beam.PCollection, duplicates: beam.PCollection, options: Any) -> None:
    """``--dead_letter_topic`` and ``--duplicates_topic`` (pipelines/options.py SinkOptions).

    Brokers: the topic URI's, else ``--kafka_bootstrap_servers``, else ``--source``'s, else the
    local default. Duplicates go as DuplicateRecord JSON keyed by the duplicate's id (kafka_sink).
    """
    from pipelines.io.kafka import connection_from_options
    from pipelines.io.kafka_sink import WriteToKafka
    from pipelines.options import KafkaOptions, SinkOptions

    sink, ko = options.view_as(SinkOptions), options.view_as(KafkaOptions)
    base = connection_from_options(options, parse_kafka_uri(ko.source).bootstrap_servers if ko.source else None)
    reads_kafka = bool(ko.source or ko.kafka_topics)
    if sink.dead_letter_topic:
        host, topic = parse_dead_letter_topic(sink.dead_letter_topic)
        _ = dead_letters | "DeadLetterTopic" >> WriteDeadLetterTopic(
            base.with_bootstrap(host) if host else base, topic, base if reads_kafka else None)
    if sink.duplicates_topic:
        host, topic = parse_dead_letter_topic(sink.duplicates_topic)
        _ = duplicates | "DuplicatesTopic" >> WriteToKafka(base.with_bootstrap(host) if host else base, topic)
