"""``newsbeam produce --topic T PATH...``: load article files into a Kafka topic, with progress.

Files are read like ``newsbeam run --input`` reads them: one message per .txt/.html file, per
JSON Lines line, per element of a JSON array. An archive written by ``newsbeam archive`` is
restored as it was: original key, headers and timestamp. Connection flags (SASL/SSL) are the
``--kafka_*`` pipeline options (``newsbeam run --help-options``).
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.io.archive import is_archive, read_archive
from pipelines.io.dead_letter_topic import header_bytes
from pipelines.io.files import check_inputs, content_type_for, is_supported, iter_lines, split_json_document
from pipelines.io.kafka_config import KafkaConfigError, parse_time_ms, validate_topic
from pipelines.options import DEFAULT_MAX_RECORD_BYTES
from schemas.records import RawRecord


@dataclass
class Message:
    value: bytes | None  # None: a tombstone restored from an archive
    key: bytes | None
    headers: list[tuple[str, bytes]]
    timestamp_ms: int | None = None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "produce", help="load article files into a Kafka topic",
        description="Send every input record (file, JSON Lines line, JSON array element) to TOPIC as one "
                    "message; archives written by `newsbeam archive` are restored with their key, headers "
                    "and timestamps. Use --kafka_* options for SASL/SSL.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or globs (as for run --input)")
    p.add_argument("--topic", required=True)
    p.add_argument("--bootstrap", default=None, help="HOST:PORT[,HOST:PORT] (default 127.0.0.1:19092)")
    p.add_argument("--create-partitions", type=int, default=0, metavar="N",
                   help="create the topic with N partitions if it does not exist")
    p.add_argument("--timestamp", default=None, metavar="TIME",
                   help="record timestamp of the first message (ISO 8601 or epoch ms; default: now)")
    p.add_argument("--timestamp-step-ms", type=int, default=0, metavar="MS",
                   help="with --timestamp: add MS to each following message's timestamp")
    p.add_argument("--compression", choices=["none", "gzip"], default="none")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_produce)


def iter_messages(paths: list[str], max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES) -> Iterator[tuple[int, Message]]:
    """(bytes of input consumed, message) for every record of every supported file under ``paths``."""
    for pattern in check_inputs(paths):
        for meta in sorted(FileSystems.match([pattern])[0].metadata_list, key=lambda m: m.path):
            path = meta.path
            if not is_supported(path) and not is_archive(path):
                continue
            yield from _file_messages(path, meta.size_in_bytes, max_record_bytes)


def _file_messages(path: str, size: int, max_bytes: int) -> Iterator[tuple[int, Message]]:
    ctype = content_type_for(path).encode()
    name = os.path.basename(path)
    with FileSystems.open(path, compression_type="uncompressed") as raw_stream:
        stream = gzip.GzipFile(fileobj=raw_stream, mode="rb") if path.lower().endswith(".gz") else raw_stream
        if is_archive(path):
            for item in read_archive(path, stream, max_bytes):
                raw: RawRecord = getattr(item, "value", item)
                if not isinstance(raw, RawRecord):
                    raise ValueError(f"{item.message} in {path}")
                origin = raw.source.kafka
                # Keys and header values back to their bytes (text or base64:, see the source).
                yield 0, Message(None if origin and origin.null_value else raw.data,
                                 header_bytes(origin.key) if origin else None,
                                 [(k, header_bytes(v) or b"") for k, v in (origin.header_pairs() if origin else [])],
                                 origin.timestamp_ms if origin else None)
            yield size, Message(b"", None, [])  # progress marker, not sent
            return
        headers = [("content-type", ctype), ("newsbeam-source", path.encode())]
        if name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson")):
            for line_no, line, too_large in iter_lines(stream, max_bytes):
                if line.strip() and not too_large:
                    yield 0, Message(line, f"{name}:{line_no}".encode(), [*headers, ("newsbeam-line", b"%d" % line_no)])
            yield size, Message(b"", None, [])
            return
        data = stream.read(max_bytes + 1)
    elements = split_json_document(data) if ctype == b"application/json" else None
    if elements is None:
        yield size, Message(data, name.encode(), headers)
        return
    for index, element in enumerate(elements):
        yield (size if index == len(elements) - 1 else 0), Message(
            element, f"{name}#{index}".encode(), [*headers, ("newsbeam-index", b"%d" % index)])


def ensure_topic(admin_config: dict, topic: str, partitions: int) -> bool:
    """Create ``topic`` with ``partitions`` if missing; True if it was created."""
    from kafka.admin import KafkaAdminClient, NewTopic
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(**admin_config)
    try:
        admin.create_topics([NewTopic(topic, partitions, -1)])  # -1: the broker's default replication
        return True
    except TopicAlreadyExistsError:
        return False
    finally:
        admin.close()


def _produce(args: argparse.Namespace, beam_args: list[str]) -> int:
    from kafka import KafkaProducer
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    from pipelines.io.kafka import connection_from_options
    from pipelines.io.kafka_login import verify_sasl_login
    from pipelines.io.kafka_sink import producer_config

    topic = validate_topic(args.topic)
    connection = connection_from_options(PipelineOptions(beam_args), args.bootstrap)
    verify_sasl_login(connection)  # a refused login in one line, not a bootstrap timeout
    if args.create_partitions and ensure_topic(connection.client_config(), topic, args.create_partitions):
        print(f"created topic {topic} with {args.create_partitions} partitions", file=sys.stderr)
    try:
        first_ts = parse_time_ms(args.timestamp) if args.timestamp else None
    except KafkaConfigError as exc:
        print(f"newsbeam produce: error: {exc}", file=sys.stderr)
        return 2
    total = sum(m.size_in_bytes for pat in check_inputs(args.paths) for m in FileSystems.match([pat])[0].metadata_list)
    producer = KafkaProducer(**producer_config(
        connection, compression_type=None if args.compression == "none" else args.compression))
    errors: list[BaseException] = []
    sent = 0
    try:
        with Progress(TextColumn("produce {task.fields[topic]}"), BarColumn(), DownloadColumn(),
                      TransferSpeedColumn(), TextColumn("{task.fields[sent]} messages"), TimeRemainingColumn(),
                      disable=args.quiet or not sys.stderr.isatty(), transient=False) as progress:
            task = progress.add_task("produce", total=total, topic=topic, sent=0)
            for advance, msg in iter_messages(args.paths):
                if msg.value or msg.key is not None:
                    ts = msg.timestamp_ms
                    if first_ts is not None:
                        ts = first_ts + sent * args.timestamp_step_ms
                    producer.send(topic, value=msg.value, key=msg.key, headers=msg.headers,
                                  timestamp_ms=ts).add_errback(errors.append)
                    sent += 1
                if advance:
                    progress.update(task, advance=advance, sent=sent)
                if errors:
                    break
            producer.flush()
            progress.update(task, sent=sent)
    finally:
        producer.close()
    if errors:
        print(f"newsbeam produce: error: {len(errors)} message(s) failed: {errors[0]}", file=sys.stderr)
        return 1
    print(f"newsbeam produce: {sent} messages -> {topic} ({connection.bootstrap_servers})")
    return 0
