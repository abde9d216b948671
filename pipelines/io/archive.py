"""Topic archives: RawRecords as gzipped JSON Lines that keep their Kafka metadata.

``newsbeam archive`` writes ``DIR/archive-SSSSS-of-NNNNN.rawrecords.jsonl.gz``; one line is one
RawRecord in pydantic's JSON form (payload base64, ``source.kafka`` with topic, partition,
offset, timestamp, key and headers). The file source recognises the suffix and replays each
line as the original RawRecord at its original event time, so ``newsbeam run --input DIR``
processes an archive like the topic it came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems
from apache_beam.utils.timestamp import Timestamp
from pydantic import ValidationError

from schemas.records import RawRecord, SourceRef, schema_version_problem

ARCHIVE_SUFFIX = ".rawrecords.jsonl.gz"
# A line holds the payload in base64 (4/3) plus its metadata.
LINE_OVERHEAD_FACTOR = 2


def is_archive(path: str) -> bool:
    name = path.lower()
    return name.endswith(ARCHIVE_SUFFIX) or name.endswith(ARCHIVE_SUFFIX.removesuffix(".gz"))


def archive_line(raw: RawRecord) -> str:
    return orjson.dumps(raw.model_dump(mode="json")).decode("ascii")


class UnsupportedArchiveVersion(ValueError):
    """A line written with a schema_version newer than this reader (or not a version at all)."""


def parse_archive_line(line: bytes | str) -> RawRecord:
    """One archive line back to the RawRecord; raises ValueError on a line that is not one.

    Schema evolution: a line of an older version or without optional fields is read with their
    defaults; fields this reader does not know are ignored (dropped); a newer ``schema_version``
    raises UnsupportedArchiveVersion rather than being guessed at.
    """
    try:
        raw = RawRecord.model_validate_json(line)
    except ValidationError as exc:
        raise ValueError(f"not an archived RawRecord: {exc.error_count()} error(s), first: "
                         f"{exc.errors()[0]['msg']} at {'.'.join(map(str, exc.errors()[0]['loc']))}") from None
    problem = schema_version_problem(raw.schema_version)
    if problem:
        raise UnsupportedArchiveVersion(problem)
    return raw


def event_time(raw: RawRecord) -> Timestamp | None:
    """The original event time: the Kafka record timestamp, if the record came from Kafka."""
    kafka = raw.source.kafka
    if kafka is None or kafka.timestamp_ms is None:
        return None
    return Timestamp(micros=kafka.timestamp_ms * 1000)


@dataclass(frozen=True)
class BadArchiveLine:
    error: str
    message: str
    source: SourceRef
    line: bytes


def read_archive(path: str, stream: BinaryIO, max_record_bytes: int) -> Iterator[Any]:
    """Archived RawRecords at their original event times, or BadArchiveLine for a broken line."""
    from pipelines.io.files import iter_lines

    for line_no, line, too_large in iter_lines(stream, max_record_bytes * LINE_OVERHEAD_FACTOR):
        source = SourceRef(uri=path, line=line_no)
        if too_large:
            yield BadArchiveLine("too_large", f"archive line {line_no} is too large", source, line)
            continue
        if not line.strip():
            continue
        try:
            raw = parse_archive_line(line)
        except UnsupportedArchiveVersion as exc:
            yield BadArchiveLine("unsupported_schema_version", f"line {line_no}: {exc}", source, line)
            continue
        except ValueError as exc:
            yield BadArchiveLine("bad_archive_line", f"line {line_no}: {exc}", source, line)
            continue
        ts = event_time(raw)
        yield raw if ts is None else beam.window.TimestampedValue(raw, ts)


class WriteArchive(beam.PTransform):
    """RawRecords -> ``DIR/NAME-SSSSS-of-NNNNN.rawrecords.jsonl.gz`` (gzip from the suffix)."""

    def __init__(self, directory: str, num_shards: int = 1, name: str = "archive") -> None:
        super().__init__()
        self._prefix = FileSystems.join(directory, name)
        self._num_shards = num_shards

    def expand(self, raws: beam.PCollection[RawRecord]) -> beam.pvalue.PDone:
        return (
            raws
            | "ToJson" >> beam.Map(archive_line).with_output_types(str)
            | "Write" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=ARCHIVE_SUFFIX, num_shards=self._num_shards,
                shard_name_template="-SSSSS-of-NNNNN")
        )
