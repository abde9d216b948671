"""Parquet sink: records -> ``DIR/published_date=YYYY-MM-DD/<name>[-<window>]-SSSSS-of-NNNNN.parquet``.

The Arrow schema is derived from the pydantic models (``arrow_schema``), so a field added to
schemas/records.py appears in the Parquet files without a second schema to keep in step.
Nested entities/topics become lists of structs; timestamps are ``timestamp[us, UTC]``.

Why ``fileio.WriteToFiles`` with our own ``FileSink`` and not ``parquetio.WriteToParquet``:
WriteToParquet writes one file prefix and has no dynamic destinations, so it cannot partition by
published date. WriteToFiles routes each element to a destination and names files per window,
which gives Hive-style date partitions in batch and windowed file names in streaming.

Re-runs: a run replaces the files of the partitions (and windows) it writes, like Hive's dynamic
partition overwrite, so running the same input again leaves the same files. A replay of part of
a date's articles would replace that date's files with the part: write it to a new folder.

Its rough edges, handled here:
- File names must not depend on bundling, or a re-run leaves stale shards beside new ones. We
  group by (partition, shard) first, so each destination and window is written by exactly one
  writer, and the file name depends only on partition, shard, window and pane.
- Its final rename does not create sub-folders and only logs a failed move, so the sink creates
  the partition folder when it opens a file, and a bounded write checks every final file exists
  before removing its temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.value_provider import StaticValueProvider
from apache_beam.transforms import window
from pydantic import BaseModel

from pipelines.io.windowed_files import (
    AssignDestination,
    Destination,
    UngroupWithPane,
    fixed_windows,
    record_key,
    windowed_file_naming,
)
from schemas.records import SCHEMA_VERSION

UNKNOWN_DATE = "unknown"
PARTITION_COLUMN = "published_date"
DEFAULT_ROW_GROUP_ROWS = 10_000

_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    bytes: pa.binary(),
    dt.datetime: pa.timestamp("us", tz="UTC"),
    dt.date: pa.date32(),
}


# ---------------------------------------------------------------------------------------------
# Schema: pydantic model -> Arrow schema


def arrow_type(annotation: Any) -> tuple[pa.DataType, bool]:
    """The Arrow type of a pydantic field annotation and whether it may be null."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return arrow_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"no Arrow type for a union of several types: {annotation!r}")
        return arrow_type(args[0])[0], True
    if origin is typing.Literal:
        kinds = {type(v) for v in typing.get_args(annotation)}
        if len(kinds) != 1 or next(iter(kinds)) not in _SCALARS:
            raise TypeError(f"no Arrow type for {annotation!r}")
        return _SCALARS[next(iter(kinds))], False
    if origin is list:
        item, item_nullable = arrow_type(typing.get_args(annotation)[0])
        return pa.list_(pa.field("element", item, nullable=item_nullable)), False
    if origin is dict:
        key, value = (arrow_type(a) for a in typing.get_args(annotation))
        return pa.map_(key[0], pa.field("value", value[0], nullable=value[1])), False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_model_fields(annotation)), False
    if annotation in _SCALARS:
        return _SCALARS[annotation], False
    raise TypeError(f"no Arrow type for {annotation!r}")


def _model_fields(model: type[BaseModel]) -> list[pa.Field]:
    fields = []
    for name, info in model.model_fields.items():
        typ, nullable = arrow_type(info.annotation)
        meta = {"description": info.description} if info.description else None
        fields.append(pa.field(name, typ, nullable=nullable, metadata=meta))
    return fields


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """Arrow schema of a record model, tagged with the model name and schema_version."""
    return pa.schema(_model_fields(model), metadata={
        "newsbeam.model": model.__name__,
        "newsbeam.schema_version": str(SCHEMA_VERSION),
    })


def to_arrow_row(record: BaseModel) -> dict[str, Any]:
    """A record as a row for ``pa.Table.from_pylist``: python-mode dump keeps datetimes and bytes."""
    return record.model_dump(mode="python")


# ---------------------------------------------------------------------------------------------
# Partitions, shards and file names (pure)


def published_date_partition(record: Any) -> str:
    """Hive partition folder by UTC publication date; articles without a date go to ``unknown``."""
    published = getattr(record, "published_at", None)
    day = published.astimezone(dt.UTC).date().isoformat() if published else UNKNOWN_DATE
    return f"{PARTITION_COLUMN}={day}"


def no_partition(record: Any) -> str:
    return ""


def parquet_file_naming(name: str, shards: int) -> Callable[..., str]:
    """File names that depend only on partition, shard, window and pane (re-runs overwrite)."""
    return windowed_file_naming(name, shards, ".parquet")


# ---------------------------------------------------------------------------------------------
# The FileSink


class ParquetFileSink(fileio.FileSink):
    """Buffers rows and writes zstd-compressed row groups, each sorted by record key."""

    def __init__(self, schema: pa.Schema, row_group_rows: int, folder: str | None = None) -> None:
        self._schema = schema
        self._row_group_rows = max(1, row_group_rows)
        self._folder = folder
        self._writer: pq.ParquetWriter | None = None
        self._rows: list[tuple[str, dict[str, Any]]] = []

    def create_metadata(self, destination: Any, full_file_name: str) -> fileio.FileMetadata:
        return fileio.FileMetadata(mime_type="application/vnd.apache.parquet",
                                   compression_type="uncompressed")

    def open(self, fh: Any) -> None:
        if self._folder:  # WriteToFiles renames into place but does not create folders
            _mkdirs(self._folder)
        self._writer = pq.ParquetWriter(fh, self._schema, compression="zstd", write_statistics=True)
        self._rows = []

    def write(self, element: tuple[Destination, BaseModel]) -> None:
        record = element[1]
        self._rows.append((record_key(record), to_arrow_row(record)))
        if len(self._rows) >= self._row_group_rows:
            self._write_row_group()

    def flush(self) -> None:
        if self._writer is None:
            return
        self._write_row_group()
        self._writer.close()  # writes the footer; WriteToFiles closes the file handle
        self._writer = None

    def _write_row_group(self) -> None:
        if not self._rows:
            return
        self._rows.sort(key=lambda kr: kr[0])  # deterministic order, whatever the arrival order
        table = pa.Table.from_pylist([row for _, row in self._rows], schema=self._schema)
        assert self._writer is not None
        self._writer.write_table(table, row_group_size=len(self._rows))
        self._rows = []


class _SinkFactory:
    """``sink`` argument of WriteToFiles: one ParquetFileSink per destination (picklable)."""

    def __init__(self, path: str, schema: pa.Schema, row_group_rows: int) -> None:
        self._path = path
        self._schema = schema
        self._row_group_rows = row_group_rows

    def __call__(self, destination: Destination) -> ParquetFileSink:
        partition = destination[0]
        folder = FileSystems.join(self._path, partition) if partition else self._path
        return ParquetFileSink(self._schema, self._row_group_rows, folder)


def _mkdirs(path: str) -> None:
    # OSError: exists already (Beam raises IOError for that), or made by another worker meanwhile
    with contextlib.suppress(OSError):
        FileSystems.mkdirs(path)


# ---------------------------------------------------------------------------------------------
# Transforms


class _FinalizeFn(beam.DoFn):
    """Batch only: fail loudly if a rename was lost, then remove the temporary folder."""

    def __init__(self, path: str, temp_dir: str) -> None:
        self._path = path
        self._temp_dir = temp_dir

    def process(self, names: list[str]) -> Iterator[str]:
        finals = [FileSystems.join(self._path, n) for n in sorted(names)]
        missing = [f for f in finals if not FileSystems.exists(f)]
        if missing:
            raise OSError(f"Parquet files were not moved into place (still in {self._temp_dir}): {missing}")
        if FileSystems.exists(self._temp_dir):
            FileSystems.delete([self._temp_dir])
        yield from finals


class WriteParquet(beam.PTransform):
    """Records of ``model`` -> Parquet files under ``path``; outputs the final file paths (batch).

    ``partition(record)`` names the Hive folder (``published_date_partition`` for articles, or
    ``no_partition``). ``shards`` files per partition and window, records spread by key.
    Unbounded input in the global window is cut into fixed windows of ``window_seconds``; there
    the ``.temp-*`` folder holds files being written for the life of the job (readers skip
    dot-folders), and late firings add ``-paneNNN`` files, a path the tests do not reach (the
    Python DirectRunner stalls on processing-time late firings under TestStream).
    """

    def __init__(self, path: str, model: type[BaseModel], *, name: str = "part",
                 partition: Callable[[Any], str] = no_partition, shards: int = 1,
                 row_group_rows: int = DEFAULT_ROW_GROUP_ROWS, window_seconds: int = 600) -> None:
        super().__init__()
        self._path = path
        self._model = model
        self._name = name
        self._partition = partition
        self._shards = max(1, shards)
        self._row_group_rows = row_group_rows
        self._window_seconds = window_seconds

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        schema = arrow_schema(self._model)
        temp_dir = FileSystems.join(self._path, f".temp-{uuid.uuid4().hex}")
        if not records.is_bounded and isinstance(records.windowing.windowfn, window.GlobalWindows):
            records = records | "Window" >> fixed_windows(self._window_seconds)
        written = (
            records
            | "AssignDestination" >> beam.ParDo(AssignDestination(self._partition, self._shards))
            | "GroupByDestination" >> beam.GroupByKey()
            | "Ungroup" >> beam.ParDo(UngroupWithPane())
            | "WriteFiles" >> fileio.WriteToFiles(
                path=self._path,
                file_naming=parquet_file_naming(self._name, self._shards),
                destination=lambda element: element[0],
                sink=_SinkFactory(self._path, schema, self._row_group_rows),
                temp_directory=StaticValueProvider(str, temp_dir),
                shards=1,  # records WriteToFiles spills still end in one file per destination
                max_writers_per_bundle=64)
            | "FileNames" >> beam.Map(lambda result: result.file_name)
        )
        if not records.is_bounded:
            return written | "FinalPaths" >> beam.Map(lambda n: FileSystems.join(self._path, n))
        return (
            written
            | "Global" >> beam.WindowInto(window.GlobalWindows())
            | "AllFiles" >> beam.combiners.ToList()
            | "Finalize" >> beam.ParDo(_FinalizeFn(self._path, temp_dir))
        )
