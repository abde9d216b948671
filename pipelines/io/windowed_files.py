"""Shared pieces of the file sinks that write unbounded input (Parquet, JSON Lines) per window.

Beam's ``fileio.WriteToFiles`` writes one set of files per window, but names them without the
pane, and its file names would depend on bundling. So records are first grouped by
(partition, shard): each destination, window and pane is then written by exactly one writer,
and a file name depends only on partition, shard, window and pane. A re-run overwrites the same
files instead of leaving stale shards beside new ones; a late firing adds a ``-paneNNN`` file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.transforms import trigger, window
from pydantic import BaseModel

from pipelines.nlp.normalize import stable_hash

# Data later than this behind the watermark is dropped by the runner (Beam semantics); late data
# within it is written as extra "-paneNNN" files of its window.
ALLOWED_LATENESS_S = 3600
LATE_FIRING_DELAY_S = 60

# (partition folder, shard, pane index): a plain tuple so Beam keys it with a deterministic coder.
Destination = tuple[str, int, int]


def record_key(record: Any) -> str:
    """Stable key for sharding and row order: the id, else where the record came from."""
    rid = getattr(record, "id", None)
    if rid:
        return str(rid)
    src = record.source
    return f"{src.uri}#{src.line}#{src.index}"


def window_tag(w: window.BoundedWindow) -> str:
    if isinstance(w, window.IntervalWindow):
        fmt = "%Y%m%dT%H%M%SZ"  # no ':' in file names (Hadoop paths, Windows, some shells)
        return f"-{w.start.to_utc_datetime():{fmt}}-{w.end.to_utc_datetime():{fmt}}"
    return ""


def windowed_file_naming(name: str, shards: int, suffix: str) -> Callable[..., str]:
    """File names that depend only on partition, shard, window and pane (re-runs overwrite)."""

    def _naming(w: window.BoundedWindow, pane: Any, index: int, total: int, compression: str,
                destination: Destination) -> str:
        partition, shard, pane_index = destination
        base = f"{name}{window_tag(w)}-{shard:05d}-of-{shards:05d}"
        if pane_index:
            base += f"-pane{pane_index:03d}"
        if total > 1:  # never expected (one writer per destination); never overwrite either
            base += f"-part{index:03d}"
        folder = f"{partition}/" if partition else ""
        return f"{folder}{base}{suffix}"

    return _naming


def fixed_windows(seconds: int) -> beam.WindowInto:
    """Event-time windows that fire when the watermark passes their end, then once a minute for
    late records (within ALLOWED_LATENESS_S), each firing written as its own pane's files."""
    return beam.WindowInto(
        window.FixedWindows(seconds),
        trigger=trigger.AfterWatermark(late=trigger.AfterProcessingTime(LATE_FIRING_DELAY_S)),
        accumulation_mode=trigger.AccumulationMode.DISCARDING,
        allowed_lateness=ALLOWED_LATENESS_S)


class AssignDestination(beam.DoFn):
    """record -> ((partition, shard), record); the shard is a stable hash of the record's origin."""

    def __init__(self, partition: Callable[[Any], str], shards: int) -> None:
        self._partition = partition
        self._shards = shards

    def process(self, record: BaseModel) -> Iterator[tuple[tuple[str, int], BaseModel]]:
        shard = int(stable_hash(record_key(record), 4), 16) % self._shards if self._shards > 1 else 0
        yield (self._partition(record), shard), record


class UngroupWithPane(beam.DoFn):
    """After the grouping: (Destination incl. pane index, record) for every record."""

    def process(self, element: tuple[tuple[str, int], Iterable[BaseModel]],
                pane: Any = beam.DoFn.PaneInfoParam) -> Iterator[tuple[Destination, BaseModel]]:
        (partition, shard), records = element
        dest = (partition, shard, pane.index if pane is not None else 0)
        for record in records:
            yield dest, record
