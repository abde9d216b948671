"""Archive lines: RawRecords with Kafka metadata survive a round trip and keep event times."""

from __future__ import annotations

import gzip
import io

from apache_beam.utils.timestamp import Timestamp

from pipelines.io.archive import BadArchiveLine, archive_line, is_archive, parse_archive_line, read_archive
from schemas.records import KafkaOrigin, RawRecord, SourceRef


def kafka_raw(offset: int, data: bytes = b"\x00\xffbinary body") -> RawRecord:
    return RawRecord(data=data, content_type="text/plain", source=SourceRef(
        uri=f"kafka://news/1/{offset}", kafka=KafkaOrigin(topic="news", partition=1, offset=offset,
                                                         timestamp_ms=1714521600000 + offset, key="k",
                                                         headers={"content-type": "text/plain"})))


def test_round_trip_keeps_bytes_and_metadata():
    raw = kafka_raw(3)
    assert parse_archive_line(archive_line(raw)) == raw


def test_is_archive():
    assert is_archive("/x/archive-abc-00000-of-00001.rawrecords.jsonl.gz")
    assert is_archive("gs://b/a.RAWRECORDS.jsonl")
    assert not is_archive("/x/crawl.jsonl.gz")


def test_read_archive_replays_event_times_and_dead_letters_bad_lines():
    lines = [archive_line(kafka_raw(1)), "", "{not json", archive_line(kafka_raw(2))]
    stream = io.BytesIO(gzip.decompress(gzip.compress("\n".join(lines).encode())))
    items = list(read_archive("/a.rawrecords.jsonl.gz", stream, 1000))
    assert len(items) == 3
    first, bad, second = items
    assert first.value == kafka_raw(1) and first.timestamp == Timestamp(micros=(1714521600000 + 1) * 1000)
    assert isinstance(bad, BadArchiveLine) and bad.source.line == 3 and bad.error == "bad_archive_line"
    assert second.value.source.kafka.offset == 2


def test_record_without_kafka_origin_has_no_event_time():
    raw = RawRecord(data=b"x", source=SourceRef(uri="/in/a.txt"))
    (item,) = read_archive("/a.rawrecords.jsonl", io.BytesIO(archive_line(raw).encode()), 1000)
    assert item == raw
