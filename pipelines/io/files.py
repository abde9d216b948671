"""File source: files, directories (recursive) and globs through Beam's filesystems.

Each file becomes RawRecords: one per file for .txt/.html/.htm, one per line for .jsonl, one per
element for a .json array or a news-API envelope ({"articles": [...]}, {"response": {"results":
[...]}}, {"data": [...]}, ...: the envelope itself is not a record). ``.gz`` is decompressed
by Beam. Reads are bounded by ``max_record_bytes`` so a gzip bomb or a giant line becomes a dead
letter instead of exhausting memory.
"""

from __future__ import annotations

import contextlib
import gzip
import os
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import apache_beam as beam
import orjson
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from pipelines.io.archive import BadArchiveLine, is_archive, read_archive
from pipelines.metrics import FILES_SKIPPED, RECORDS_IN, counter
from pipelines.nlp.parsing.jsonrec import article_records
from schemas.records import ContentType, DeadLetter, RawRecord, SourceRef

DEAD_LETTERS = "dead_letters"
SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson")
_CHUNK = 1 << 20


def strip_compression(path: str) -> str:
    return path[:-3] if path.lower().endswith(".gz") else path


def content_type_for(path: str) -> ContentType:
    ext = os.path.splitext(strip_compression(path).lower())[1]
    if ext in (".html", ".htm"):
        return "text/html"
    if ext in (".json", ".jsonl", ".ndjson"):
        return "application/json"
    if ext == ".txt":
        return "text/plain"
    return "unknown"


def is_supported(path: str) -> bool:
    return strip_compression(path).lower().endswith(SUPPORTED_SUFFIXES)


def expand_input(path: str) -> str:
    """A directory means everything below it; anything else is a file or a glob."""
    if path.endswith("/") or (FileSystems.get_scheme(path) is None and os.path.isdir(path)):
        return path.rstrip("/") + "/**"
    return path


def check_inputs(paths: Iterable[str]) -> list[str]:
    """Expanded patterns; raises FileNotFoundError naming each path that matches nothing."""
    patterns = [expand_input(p) for p in paths]
    missing = [p for p, pat in zip(paths, patterns, strict=True)
               if not FileSystems.match([pat])[0].metadata_list]
    if missing:
        raise FileNotFoundError(f"no input files match: {', '.join(missing)}")
    return patterns


def iter_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(1-based line number, line without newline, too_large) with bounded memory per line."""
    buf = bytearray()
    line_no = 1
    oversized = False
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            if nl < 0:
                if not oversized:
                    buf += chunk[start:]
                    if len(buf) > max_bytes:
                        oversized = True
                        del buf[max_bytes:]
                break
            if not oversized:
                buf += chunk[start:nl]
            yield line_no, bytes(buf[:max_bytes]), oversized or len(buf) > max_bytes
            buf.clear()
            oversized = False
            line_no += 1
            start = nl + 1
    if buf or oversized:
        yield line_no, bytes(buf), oversized


def split_json_document(data: bytes) -> list[bytes] | None:
    """Elements of a JSON array or a news-API envelope; None when it is one record (or invalid).

    Envelopes are recognised as the JSON parser recognises them (jsonrec.article_records), so a
    document is split exactly when the parser would otherwise refuse it as several articles. An
    element that is no article (a string, an object without a body) stays a record of its own and
    becomes that element's dead letter. An empty list is not split either: the whole document then
    becomes one dead letter ('no_articles'), so a file never vanishes without a trace.
    """
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    items = article_records(doc)
    if not items or (len(items) == 1 and items[0] is doc):
        return None
    return [orjson.dumps(item) for item in items]


class _ReadFileFn(beam.DoFn):
    def __init__(self, max_record_bytes: int, explicit: frozenset[str]) -> None:
        self._max = max_record_bytes
        self._explicit = explicit
        self._in = counter(RECORDS_IN)
        self._skipped = counter(FILES_SKIPPED)

    def _dead(self, error: str, message: str, source: SourceRef, data: bytes) -> beam.pvalue.TaggedOutput:
        self._in.inc()
        return beam.pvalue.TaggedOutput(
            DEAD_LETTERS, DeadLetter.from_raw("read", error, message, source, data, self._max))

    def process(self, readable: fileio.ReadableFile) -> Iterator[Any]:
        path = readable.metadata.path
        if not is_supported(path) and path not in self._explicit:
            self._skipped.inc()  # e.g. a README inside an input directory: not an input record
            return
        ctype = content_type_for(path)
        try:
            # Python's gzip, not Beam's: Beam returns b"" for a corrupt stream instead of failing.
            with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as raw_stream, (
                    gzip.GzipFile(fileobj=raw_stream, mode="rb") if path.lower().endswith(".gz")
                    else contextlib.nullcontext(raw_stream)) as stream:
                if is_archive(path):  # written by `newsbeam archive`: RawRecords with Kafka metadata
                    yield from self._archive(path, stream)
                    return
                if strip_compression(path).lower().endswith((".jsonl", ".ndjson")):
                    yield from self._jsonl(path, stream)
                    return
                data = stream.read(self._max + 1)
        except Exception as exc:  # unreadable file, corrupt or truncated gzip, permission...
            yield self._dead("unreadable", f"cannot read {path}: {type(exc).__name__}: {exc}",
                             SourceRef(uri=path), b"")
            return
        source = SourceRef(uri=path)
        if len(data) > self._max:
            yield self._dead("too_large", f"input exceeds {self._max} bytes (after decompression)",
                             source, data)
            return
        elements = split_json_document(data) if ctype == "application/json" else None
        if elements is None:
            self._in.inc()
            yield RawRecord(data=data, source=source, content_type=ctype)
            return
        for index, element in enumerate(elements):
            self._in.inc()
            yield RawRecord(data=element, source=SourceRef(uri=path, index=index), content_type=ctype)

    def _archive(self, path: str, stream: BinaryIO) -> Iterator[Any]:
        for item in read_archive(path, stream, self._max):
            if isinstance(item, BadArchiveLine):
                yield self._dead(item.error, item.message, item.source, item.line)
            else:
                self._in.inc()
                yield item

    def _jsonl(self, path: str, stream: BinaryIO) -> Iterator[RawRecord | beam.pvalue.TaggedOutput]:
        for line_no, line, too_large in iter_lines(stream, self._max):
            source = SourceRef(uri=path, line=line_no)
            if too_large:
                yield self._dead("too_large", f"line {line_no} exceeds {self._max} bytes", source, line)
            elif line.strip():
                self._in.inc()
                yield RawRecord(data=line, source=source, content_type="application/json")


class ReadInputFiles(beam.PTransform):
    """PBegin -> RawRecords (main output) and DeadLetters (tag ``dead_letters``)."""

    def __init__(self, paths: list[str], max_record_bytes: int) -> None:
        super().__init__()
        self._paths = list(paths)
        self._max = max_record_bytes

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.pvalue.DoOutputsTuple:
        patterns = [expand_input(p) for p in self._paths]
        explicit = frozenset(p for p in self._paths if p == expand_input(p) and "*" not in p)
        return (
            pbegin
            | "Patterns" >> beam.Create(patterns)
            | "Match" >> fileio.MatchAll(fileio.EmptyMatchTreatment.ALLOW)
            | "Open" >> fileio.ReadMatches(compression=CompressionTypes.UNCOMPRESSED)
            | "Reshuffle" >> beam.Reshuffle()
            | "Read" >> beam.ParDo(_ReadFileFn(self._max, explicit))
            .with_output_types(RawRecord)
            .with_outputs(DEAD_LETTERS, main="records")
        )
