"""JSON Lines sinks: the contract's DIR/articles, DIR/duplicates and DIR/dead_letters.

Bounded input: ``DIR/NAME/part-SSSSS-of-NNNNN.jsonl`` (WriteToText), written when the job ends.
Unbounded input (a streaming Kafka job): a job never ends, so the lines are cut into fixed
event-time windows (``--output_window_seconds``) and each window's files appear as soon as the
watermark passes its end: ``DIR/NAME/part-<start>-<end>-SSSSS-of-NNNNN[-paneNNN].jsonl``.
Readers glob ``*.jsonl`` either way.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import apache_beam as beam
import orjson
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
    windowed_file_naming,
)

DEFAULT_WINDOW_SECONDS = 60


def to_json_line(record: BaseModel) -> str:
    """One record as a JSON line: pydantic's JSON mode (UTC 'Z' times, base64 bytes) via orjson."""
    return orjson.dumps(record.model_dump(mode="json")).decode("utf-8")


class JsonLinesFileSink(fileio.FileSink):
    """fileio sink of (Destination, record) elements: one JSON line per record."""

    def __init__(self, folder: str) -> None:
        self._folder = folder

    def open(self, fh: Any) -> None:
        # WriteToFiles renames into place but does not create the folder (it may be the first file).
        with contextlib.suppress(OSError):  # exists already, or made by another worker meanwhile
            FileSystems.mkdirs(self._folder)
        self._fh = fh

    def write(self, element: tuple[Destination, BaseModel]) -> None:
        self._fh.write(to_json_line(element[1]).encode("utf-8") + b"\n")

    def flush(self) -> None:
        self._fh.flush()


def _no_partition(record: Any) -> str:
    return ""


class WriteJsonLines(beam.PTransform):
    """Records -> ``DIR/NAME/part-...jsonl`` (see the module docstring for bounded vs unbounded)."""

    def __init__(self, directory: str, name: str, num_shards: int = 1,
                 window_seconds: int = DEFAULT_WINDOW_SECONDS) -> None:
        super().__init__()
        self._folder = FileSystems.join(directory, name)
        self._prefix = FileSystems.join(directory, name, "part")
        self._num_shards = num_shards
        self._window_seconds = window_seconds

    def expand(self, records: beam.PCollection) -> beam.pvalue.PDone | beam.PCollection:
        if not records.is_bounded:
            return self._expand_unbounded(records)
        return (
            records
            | "ToJson" >> beam.Map(to_json_line).with_output_types(str)
            | "Write" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=".jsonl", num_shards=self._num_shards,
                shard_name_template="-SSSSS-of-NNNNN")
        )

    def _expand_unbounded(self, records: beam.PCollection) -> beam.PCollection:
        shards = max(1, self._num_shards)
        if isinstance(records.windowing.windowfn, window.GlobalWindows):
            records = records | "Window" >> fixed_windows(self._window_seconds)
        folder = self._folder
        temp_dir = FileSystems.join(folder, f".temp-{uuid.uuid4().hex}")
        return (
            records
            | "AssignShard" >> beam.ParDo(AssignDestination(_no_partition, shards))
            | "GroupByShard" >> beam.GroupByKey()
            | "Ungroup" >> beam.ParDo(UngroupWithPane())
            | "WriteFiles" >> fileio.WriteToFiles(
                path=folder,
                file_naming=windowed_file_naming("part", shards, ".jsonl"),
                destination=lambda element: element[0],
                sink=lambda destination: JsonLinesFileSink(folder),
                temp_directory=StaticValueProvider(str, temp_dir),
                shards=1,  # one writer per (shard, window, pane) already
                max_writers_per_bundle=64)
            | "FileNames" >> beam.Map(lambda result: FileSystems.join(folder, result.file_name))
        )
