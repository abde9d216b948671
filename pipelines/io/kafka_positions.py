"""Where a Kafka read starts and stops, per topic-partition: pure rules plus one broker query.

A read is planned once, when the pipeline is built: every partition gets a start offset (from
earliest / latest / committed / a timestamp / explicit offsets) and, for a bounded read, a stop
offset snapshotted from the log end (or from the first record at or after a stop time). The plan
is what the splittable DoFn reads and what is committed after a bounded run succeeds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pipelines.io.kafka_config import KafkaConfigError, parse_time_ms, validate_topic

_LOG = logging.getLogger(__name__)

StartKind = Literal["earliest", "latest", "committed", "timestamp", "offsets"]
Fallback = Literal["earliest", "latest"]
# Kafka offsets are signed 64-bit: an unbounded restriction ends here.
MAX_OFFSET = (1 << 63) - 1


@dataclass(frozen=True)
class StartPosition:
    kind: StartKind = "committed"
    timestamp_ms: int | None = None
    # (topic or None for "any topic", partition, offset)
    offsets: tuple[tuple[str | None, int, int], ...] = ()
    # Where to start a partition that has no committed offset / no explicit offset.
    fallback: Fallback = "earliest"

    def describe(self) -> str:
        if self.kind == "timestamp":
            from pipelines.io.kafka_config import format_time_ms
            return f"timestamp {format_time_ms(self.timestamp_ms)}"
        if self.kind == "offsets":
            return "offsets " + ",".join(f"{t + '/' if t else ''}{p}:{o}" for t, p, o in self.offsets)
        return self.kind


_OFFSET_ITEM = re.compile(r"^(?:(?P<topic>[A-Za-z0-9._-]+)/)?(?P<partition>\d+)[:=](?P<offset>\d+)$")


def parse_start_position(spec: str, fallback: Fallback = "earliest") -> StartPosition:
    """``earliest`` | ``latest`` | ``committed`` | a time (ISO 8601 or epoch ms) | ``offsets:P:O,...``.

    Offsets may name the topic: ``offsets:news/0:120,news/1:98``.
    """
    text = spec.strip()
    if text in ("earliest", "latest", "committed"):
        return StartPosition(kind=text, fallback=fallback)  # type: ignore[arg-type]
    if text.startswith("offsets:"):
        items = []
        for raw in text[len("offsets:"):].split(","):
            match = _OFFSET_ITEM.match(raw.strip())
            if not match:
                raise KafkaConfigError(
                    f"bad offset {raw!r} in {spec!r}: use PARTITION:OFFSET or TOPIC/PARTITION:OFFSET")
            topic = match["topic"]
            if topic:
                validate_topic(topic)
            items.append((topic, int(match["partition"]), int(match["offset"])))
        if not items:
            raise KafkaConfigError(f"no offsets in {spec!r}")
        return StartPosition(kind="offsets", offsets=tuple(items), fallback=fallback)
    try:
        ms = parse_time_ms(text.removeprefix("timestamp:"))
    except KafkaConfigError:
        raise KafkaConfigError(
            f"unknown start position {spec!r}: use earliest, latest, committed, a time "
            "(ISO 8601 or epoch ms) or offsets:PARTITION:OFFSET,...") from None
    return StartPosition(kind="timestamp", timestamp_ms=ms, fallback=fallback)


@dataclass(frozen=True)
class PartitionOffsets:
    """What the broker says about one partition when the read is planned."""

    beginning: int
    end: int
    committed: int | None = None
    start_time_offset: int | None = None  # first offset with timestamp >= start time, if any
    stop_time_offset: int | None = None  # first offset with timestamp >= stop time, if any


@dataclass(frozen=True, order=True)
class PartitionPlan:
    """One restriction of the source: offsets [start, stop) of one partition; stop None = unbounded."""

    topic: str
    partition: int
    start: int
    stop: int | None

    @property
    def bounded(self) -> bool:
        return self.stop is not None

    @property
    def size(self) -> int:
        return 0 if self.stop is None else self.stop - self.start

    def describe(self) -> str:
        stop = "end of stream" if self.stop is None else str(self.stop)
        return f"{self.topic}/{self.partition} [{self.start}, {stop})"


def _explicit_offset(pos: StartPosition, topic: str, partition: int) -> int | None:
    exact = [o for t, p, o in pos.offsets if t == topic and p == partition]
    if exact:
        return exact[-1]
    anytopic = [o for t, p, o in pos.offsets if t is None and p == partition]
    return anytopic[-1] if anytopic else None


def resolve_start(pos: StartPosition, topic: str, partition: int, info: PartitionOffsets) -> int:
    """The first offset to read, always within [beginning, end] of the partition."""
    fallback = info.beginning if pos.fallback == "earliest" else info.end
    if pos.kind == "earliest":
        offset = info.beginning
    elif pos.kind == "latest":
        offset = info.end
    elif pos.kind == "committed":
        offset = fallback if info.committed is None else info.committed
    elif pos.kind == "timestamp":
        # No record at or after the time: nothing to read in this partition yet.
        offset = info.end if info.start_time_offset is None else info.start_time_offset
    else:
        explicit = _explicit_offset(pos, topic, partition)
        offset = fallback if explicit is None else explicit
    if offset < info.beginning:
        _LOG.warning("%s/%d: offset %d was deleted by retention; starting at %d",
                     topic, partition, offset, info.beginning)
        return info.beginning
    if offset > info.end:
        _LOG.warning("%s/%d: offset %d is past the log end %d; starting at the end",
                     topic, partition, offset, info.end)
        return info.end
    return offset


def resolve_stop(info: PartitionOffsets, bounded: bool, stop_time_ms: int | None) -> int | None:
    """Exclusive stop offset of a bounded read (a snapshot), None for an unbounded one."""
    if stop_time_ms is not None:
        return info.end if info.stop_time_offset is None else min(info.stop_time_offset, info.end)
    return info.end if bounded else None


def plan_partition(pos: StartPosition, topic: str, partition: int, info: PartitionOffsets,
                   bounded: bool, stop_time_ms: int | None) -> PartitionPlan:
    start = resolve_start(pos, topic, partition, info)
    stop = resolve_stop(info, bounded, stop_time_ms)
    if stop is not None:
        start = min(start, stop)
    return PartitionPlan(topic, partition, start, stop)


def offsets_to_commit(plans: Iterable[PartitionPlan],
                      committed: Mapping[tuple[str, int], int | None]) -> dict[tuple[str, int], int]:
    """Offsets to commit once every record of a bounded plan is durably written.

    A commit never moves a group backwards past what it had already committed (a re-read from
    ``earliest`` must not make the next run read everything again), and partitions whose plan
    read nothing new are left alone.
    """
    result: dict[tuple[str, int], int] = {}
    for plan in plans:
        if plan.stop is None:
            raise ValueError(f"{plan.describe()} is unbounded: it has no final offset to commit")
        current = committed.get((plan.topic, plan.partition))
        if plan.size == 0:
            continue
        if current is None or plan.stop > current:
            result[(plan.topic, plan.partition)] = plan.stop
    return result


# ----------------------------------------------------------------------------- broker queries

def list_partitions(consumer: Any, topics: Iterable[str], timeout_s: float = 30.0) -> list[tuple[str, int]]:
    """(topic, partition) pairs; raises KafkaConfigError naming a topic that does not exist."""
    import time

    result = []
    for topic in topics:
        deadline = time.monotonic() + timeout_s
        parts = consumer.partitions_for_topic(topic)
        while not parts and time.monotonic() < deadline:  # metadata can lag a fresh topic
            time.sleep(0.2)
            parts = consumer.partitions_for_topic(topic)
        if not parts:
            raise KafkaConfigError(f"Kafka topic {topic!r} does not exist (or is not visible to this client)")
        result.extend((topic, p) for p in sorted(parts))
    return result


def fetch_partition_offsets(
        consumer: Any, partitions: list[tuple[str, int]], *, with_committed: bool,
        start_time_ms: int | None, stop_time_ms: int | None) -> dict[tuple[str, int], PartitionOffsets]:
    """One snapshot of beginning/end/committed/time offsets for ``partitions``."""
    from kafka import TopicPartition

    tps = [TopicPartition(t, p) for t, p in partitions]
    beginning = consumer.beginning_offsets(tps)
    end = consumer.end_offsets(tps)
    start_times = consumer.offsets_for_times(dict.fromkeys(tps, start_time_ms)) if start_time_ms is not None else {}
    stop_times = consumer.offsets_for_times(dict.fromkeys(tps, stop_time_ms)) if stop_time_ms is not None else {}
    result = {}
    for tp in tps:
        committed = consumer.committed(tp) if with_committed else None
        start_hit = start_times.get(tp)
        stop_hit = stop_times.get(tp)
        result[(tp.topic, tp.partition)] = PartitionOffsets(
            beginning=beginning[tp], end=end[tp], committed=committed,
            start_time_offset=start_hit.offset if start_hit else None,
            stop_time_offset=stop_hit.offset if stop_hit else None)
    return result
