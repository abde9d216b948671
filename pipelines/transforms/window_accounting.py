"""Per-window accounting for unbounded (streaming) runs: DIR/accounting/, one line per window.

Every count is assigned to the event-time window of the SOURCE record (its Kafka timestamp, which
the output records carry in ``source.kafka.timestamp_ms``), not of the output element: a dedupe
correction is emitted with the timestamp of the later copy that caused it, yet it belongs to the
window of the record it corrects. Records without a Kafka timestamp fall back to the element's own
timestamp (the reader stamps them with its watermark).

Firings accumulate: the on-time pane (when the watermark passes the window's end) holds the
window's counts, and a late firing (a correction, a late record) repeats the window with updated
totals and a higher ``pane``; the line with the highest pane is the window's latest account.
A firing that does not balance is logged as an error and counts ``accounting_unbalanced_windows``,
which makes the run summary fail.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms import trigger, window
from apache_beam.utils.timestamp import Timestamp
from pydantic import BaseModel

from pipelines.io.jsonl import to_json_line
from pipelines.io.windowed_files import ALLOWED_LATENESS_S, LATE_FIRING_DELAY_S, windowed_file_naming
from pipelines.metrics import UNBALANCED_WINDOWS, accounted, counter

# Order of the counts; elements carry a field's index (small ints: no pickle).
FIELDS = ("records_in", "articles", "duplicates", "dead_letters", "corrections")
_LOG = logging.getLogger(__name__)


class WindowAccount(BaseModel):
    """One line of DIR/accounting/: the counts of one event-time window (cumulative per pane)."""

    window_start: str
    window_end: str
    pane: int
    records_in: int
    articles: int
    duplicates: int
    dead_letters: int
    corrections: int
    balanced: bool


def source_time(record: Any, fallback: Timestamp) -> Timestamp:
    """Event time of the source record: its Kafka timestamp, else ``fallback`` (the element's)."""
    kafka = getattr(getattr(record, "source", None), "kafka", None)
    if kafka is not None and kafka.timestamp_ms is not None:
        return Timestamp(micros=kafka.timestamp_ms * 1000)
    return fallback


def is_balanced(counts: dict[str, int]) -> bool:
    return counts["records_in"] == accounted(counts["articles"], counts["duplicates"], counts["dead_letters"],
                                             counts["corrections"])


class _AtSourceTime(beam.DoFn):
    """record -> its field's index, re-stamped at the source record's event time."""

    def __init__(self, index: int, predicate: Callable[[Any], bool] | None) -> None:
        self._index = index
        self._predicate = predicate

    def process(self, record: Any, ts: Timestamp = beam.DoFn.TimestampParam) -> Iterator[Any]:
        if self._predicate is None or self._predicate(record):
            yield window.TimestampedValue((None, self._index), source_time(record, ts))


class CountKinds(beam.CombineFn):
    """Field indices -> a count per field (a list of len(FIELDS) ints): a combiner, so each
    worker sends partial counts, not every index, to the window's single key."""

    def create_accumulator(self) -> list[int]:
        return [0] * len(FIELDS)

    def add_input(self, counts: list[int], index: int) -> list[int]:
        counts[index] += 1
        return counts

    def merge_accumulators(self, accumulators: Iterable[list[int]]) -> list[int]:
        merged = self.create_accumulator()
        for counts in accumulators:
            for index, count in enumerate(counts):
                merged[index] += count
        return merged

    def extract_output(self, counts: list[int]) -> tuple[int, ...]:
        return tuple(counts)


class _ToAccount(beam.DoFn):
    def setup(self) -> None:
        self._unbalanced = counter(UNBALANCED_WINDOWS)

    def process(self, tally: tuple[int, ...], w: window.IntervalWindow = beam.DoFn.WindowParam,
                pane: Any = beam.DoFn.PaneInfoParam) -> Iterator[WindowAccount]:
        counts = dict(zip(FIELDS, tally, strict=True))
        fmt = "%Y-%m-%dT%H:%M:%SZ"
        account = WindowAccount(window_start=f"{w.start.to_utc_datetime():{fmt}}",
                                window_end=f"{w.end.to_utc_datetime():{fmt}}",
                                pane=pane.index if pane is not None else 0, balanced=is_balanced(counts), **counts)
        if not account.balanced:
            self._unbalanced.inc()
            _LOG.error("accounting: window %s..%s pane %d does not balance: %d in != %d articles + %d duplicates"
                       " + %d dead letters - %d corrections", account.window_start, account.window_end,
                       account.pane, *tally)
        yield account


class WindowAccounting(beam.PTransform):
    """{field: PCollection} (FIELDS; ``articles`` canonical only) -> WindowAccount per window and pane."""

    def __init__(self, window_seconds: int, predicates: dict[str, Callable[[Any], bool]] | None = None) -> None:
        super().__init__()
        self._window_seconds = window_seconds
        self._predicates = predicates or {}

    def expand(self, inputs: dict[str, beam.PCollection]) -> beam.PCollection:
        stamped = [pcoll | f"At_{name}" >> beam.ParDo(_AtSourceTime(FIELDS.index(name), self._predicates.get(name)))
                   for name, pcoll in inputs.items() if pcoll is not None]
        return (
            stamped
            | "Flatten" >> beam.Flatten()
            | "Window" >> beam.WindowInto(
                window.FixedWindows(self._window_seconds),
                trigger=trigger.AfterWatermark(late=trigger.AfterProcessingTime(LATE_FIRING_DELAY_S)),
                accumulation_mode=trigger.AccumulationMode.ACCUMULATING,
                allowed_lateness=ALLOWED_LATENESS_S)
            # One key per window: partial counts combined (CombinePerKey lifts onto the workers).
            | "Count" >> beam.CombinePerKey(CountKinds())
            | "Counts" >> beam.Values()
            | "Check" >> beam.ParDo(_ToAccount()).with_output_types(WindowAccount)
        )


class _WriteAccount(beam.DoFn):
    """One file per window and pane, named like the other folders' files: a firing holds exactly
    one account, so no grouping is needed (a second windowed GroupByKey after this accumulating one
    never fired on Prism), and a re-run overwrites the same file."""

    def __init__(self, folder: str) -> None:
        self._folder = folder
        self._naming = windowed_file_naming("part", 1, ".jsonl")

    def process(self, account: WindowAccount, w: window.BoundedWindow = beam.DoFn.WindowParam) -> Iterator[str]:
        path = FileSystems.join(self._folder, self._naming(w, None, 0, 1, "", ("", 0, account.pane)))
        temp = FileSystems.join(self._folder, f".{uuid.uuid4().hex}.tmp")
        with contextlib.suppress(OSError):  # exists already
            FileSystems.mkdirs(self._folder)
        with FileSystems.create(temp) as fh:
            fh.write(to_json_line(account).encode("utf-8") + b"\n")
        if FileSystems.exists(path):  # a re-run of the same window and pane: replace it
            FileSystems.delete([path])
        FileSystems.rename([temp], [path])
        yield path


class WriteAccounts(beam.PTransform):
    """WindowAccounts -> ``DIR/accounting/part-<start>-<end>-00000-of-00001[-paneNNN].jsonl``."""

    def __init__(self, directory: str) -> None:
        super().__init__()
        self._folder = FileSystems.join(directory, "accounting")

    def expand(self, accounts: beam.PCollection) -> beam.PCollection:
        return accounts | "Write" >> beam.ParDo(_WriteAccount(self._folder))
