"""ReadFromKafka: a Python-native Kafka source (kafka-python) as a splittable DoFn.

One restriction per topic-partition, an offset range planned when the pipeline is built
(see kafka_positions). Each record becomes a RawRecord whose ``source.uri`` is
``kafka://TOPIC/PARTITION/OFFSET`` and whose element timestamp is the Kafka record timestamp.

Bounded mode reads up to the end offsets (or the stop time) snapshotted at construction and
finishes; unbounded mode never finishes and self-checkpoints (``defer_remainder``) when a
partition has no new records, so a streaming runner can commit the bundle.

Offset commits (at-least-once): offsets go to the consumer group only once the records'
output is durable.
- ``finalize``: in a bundle finalizer. A runner calls finalizers only after it has durably
  committed the bundle's output (Dataflow, Flink checkpoints).
- ``after_run``: the launcher commits the planned stop offsets once the pipeline result is DONE
  (``ReadFromKafka.commit_after_run``). The local FnApiRunner does call finalizers, but right
  after the read stage's bundle, while its output sits in memory and before any sink has written
  it, and the BundleBasedDirectRunner (local streaming) never calls them. So local bounded jobs
  commit after the run and local unbounded jobs do not commit.
- ``auto`` picks ``after_run`` (bounded) or nothing (unbounded) on local runners, else ``finalize``.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import apache_beam as beam
from apache_beam.io.iobase import RestrictionProgress, WatermarkEstimator
from apache_beam.io.restriction_trackers import OffsetRange, OffsetRestrictionTracker
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.runner import PipelineResult, PipelineState
from apache_beam.transforms.core import RestrictionProvider, WatermarkEstimatorProvider
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.timestamp import MAX_TIMESTAMP, MIN_TIMESTAMP, Duration, Timestamp
from apache_beam.utils.windowed_value import WindowedValue
from pydantic import BaseModel

from pipelines.io.kafka_config import (
    DEFAULT_BOOTSTRAP,
    KafkaConfigError,
    KafkaConnection,
    format_time_ms,
    parse_kafka_uri,
    parse_time_ms,
    validate_topic,
)
from pipelines.io.kafka_positions import (
    MAX_OFFSET,
    PartitionPlan,
    StartPosition,
    fetch_partition_offsets,
    list_partitions,
    offsets_to_commit,
    parse_start_position,
    plan_partition,
)
from pipelines.metrics import RECORDS_IN, counter
from schemas.records import SCHEMA_VERSION, ContentType, KafkaHeader, KafkaOrigin, RawRecord, SourceRef

_LOG = logging.getLogger(__name__)

M = TypeVar("M")
CommitMode = Literal["auto", "finalize", "after_run", "off"]
# Runners that execute in this process and keep bundle output only in memory.
LOCAL_RUNNERS = ("FnApiRunner", "BundleBasedDirectRunner", "DirectRunner", "SwitchingDirectRunner",
                 "PrismRunner", "InteractiveRunner")
_CONTENT_TYPES: dict[str, ContentType] = {
    "application/json": "application/json", "text/html": "text/html", "text/plain": "text/plain",
    "application/x-ndjson": "application/json",
}


@dataclass(frozen=True)
class KafkaReadConfig:
    """Everything the source needs; picklable and secret-free (see KafkaConnection)."""

    connection: KafkaConnection
    topics: tuple[str, ...]
    group_id: str | None = None
    start: StartPosition = field(default_factory=StartPosition)
    bounded: bool = True
    stop_time_ms: int | None = None
    # How far out of order producer timestamps may be: a read bounded by a stop time scans this
    # far past it. Negative: scan to the end offsets, exact for any order of timestamps.
    timestamp_skew_ms: int = -1
    commit: CommitMode = "auto"
    isolation_level: str = "read_committed"
    max_poll_records: int = 2000
    poll_timeout_ms: int = 500
    # Bounded: how long the broker may hold a fetch that finds no new data. The consumer prefetches
    # past a partition's last record; with kafka-python's default (500 ms) the broker holds that
    # fetch, and the next partition's first fetch waits behind it: 0.5 s per partition. A bounded
    # read asks for records that exist, so it needs no long poll (unbounded reads keep it).
    bounded_fetch_max_wait_ms: int = 20
    # How long the planning and reading consumers wait before a metadata request follows another
    # (kafka-python: 100 ms). A fresh consumer's bootstrap refresh names no topic, so its first
    # lookup of the topic waited out the whole back-off: 0.1 s per consumer, two per job.
    metadata_backoff_ms: int = 20
    # Unbounded: a caught-up partition's watermark moves to wall time minus this delay.
    idle_watermark_delay_ms: int = 30_000
    # Unbounded: how out of order a partition's record timestamps may be.
    watermark_lag_ms: int = 0
    # Unbounded: checkpoint a partition after this many records or seconds, and wait this long
    # before polling an idle partition again.
    max_records_per_bundle: int = 10_000
    max_seconds_per_bundle: float = 10.0
    idle_resume_s: float = 1.0
    # Bounded: give up when the broker returns nothing for this long before the stop offset.
    stall_timeout_s: float = 120.0

    def __post_init__(self) -> None:
        if not self.topics:
            raise ValueError("no Kafka topic to read")
        if self.start.kind == "committed" and not self.group_id:
            raise ValueError("start position 'committed' needs a consumer group (--kafka_group_id)")
        if self.commit == "finalize" and not self.group_id:
            raise ValueError("committing offsets needs a consumer group (--kafka_group_id)")

    @property
    def start_time_ms(self) -> int | None:
        return self.start.timestamp_ms if self.start.kind == "timestamp" else None

    @property
    def time_filter(self) -> bool:
        """A read bounded by time returns exactly the records in [start time, stop time).

        Offsets found by offsets_for_times bound the range, but producer timestamps need not
        grow with offsets, so records inside the offset range are also checked one by one.
        """
        return self.start_time_ms is not None or self.stop_time_ms is not None


def consumer_config(connection: KafkaConnection, group_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    conf = connection.client_config()
    conf.update(group_id=group_id, enable_auto_commit=False, auto_offset_reset="earliest",
                allow_auto_create_topics=False)
    conf.update(overrides)
    return conf


def new_consumer(connection: KafkaConnection, group_id: str | None = None, **overrides: Any) -> Any:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(**consumer_config(connection, group_id, **overrides))
    if "retry_backoff_ms" in overrides:
        _set_metadata_backoff(consumer, overrides["retry_backoff_ms"])
    return consumer


def _set_metadata_backoff(consumer: Any, backoff_ms: int) -> None:
    """Apply ``retry_backoff_ms`` to the consumer's metadata refreshes too.

    kafka-python 3.0.12 builds its ClusterMetadata without the consumer's retry_backoff_ms, so the
    metadata refresh loop always waits its default 100 ms between two requests.
    """
    cluster = getattr(getattr(consumer, "_manager", None), "cluster", None)
    config = getattr(cluster, "config", None)
    if isinstance(config, dict) and "retry_backoff_ms" in config:
        config["retry_backoff_ms"] = backoff_ms


def reader_settings(config: KafkaReadConfig) -> dict[str, Any]:
    """Consumer settings of the DoFn that reads the records (on top of consumer_config)."""
    settings: dict[str, Any] = {"isolation_level": config.isolation_level, "max_poll_records": config.max_poll_records,
                                "retry_backoff_ms": config.metadata_backoff_ms}
    if config.bounded or config.stop_time_ms is not None:
        settings["fetch_max_wait_ms"] = config.bounded_fetch_max_wait_ms
    return settings


def plan_read(config: KafkaReadConfig) -> list[PartitionPlan]:
    """Resolve every partition's offset range now (one snapshot of the broker's state)."""
    from pipelines.io.kafka_login import verify_sasl_login, wait_until_reachable

    wait_until_reachable(config.connection)  # a missing broker in ~10 s, not kafka-python's ~45 s
    verify_sasl_login(config.connection)  # a refused login in one line, not a bootstrap timeout
    consumer = new_consumer(config.connection, config.group_id, isolation_level=config.isolation_level,
                            retry_backoff_ms=config.metadata_backoff_ms)
    try:
        partitions = list_partitions(consumer, config.topics)
        lookup_stop = stop_lookup_time(config.stop_time_ms, config.timestamp_skew_ms)
        infos = fetch_partition_offsets(
            consumer, partitions,
            with_committed=bool(config.group_id) and config.start.kind == "committed",
            start_time_ms=config.start_time_ms, stop_time_ms=lookup_stop)
    finally:
        consumer.close(autocommit=False)
    bounded = config.bounded or config.stop_time_ms is not None
    return [plan_partition(config.start, t, p, infos[(t, p)], bounded, lookup_stop) for t, p in partitions]


def stop_lookup_time(stop_time_ms: int | None, skew_ms: int) -> int | None:
    """The time whose offsets end a time-bounded read; None reads to the end offsets.

    offsets_for_times(stop) is the first record at or after the stop time, but with producer
    timestamps a later offset can still be earlier than the stop: scan ``skew_ms`` further (the
    records past the stop time are then filtered out one by one).
    """
    if stop_time_ms is None or skew_ms < 0:
        return None
    return stop_time_ms + skew_ms


def committed_offsets(connection: KafkaConnection, group_id: str,
                      partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int | None]:
    from kafka import TopicPartition

    consumer = new_consumer(connection, group_id)
    try:
        return {(t, p): consumer.committed(TopicPartition(t, p)) for t, p in partitions}
    finally:
        consumer.close(autocommit=False)


def commit_offsets(connection: KafkaConnection, group_id: str, offsets: Mapping[tuple[str, int], int]) -> None:
    """Synchronously commit ``offsets`` (next offset to read) for ``group_id``."""
    if not offsets:
        return
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer = new_consumer(connection, group_id)
    try:
        consumer.commit({TopicPartition(t, p): OffsetAndMetadata(o, "newsbeam", -1) for (t, p), o in offsets.items()})
    finally:
        consumer.close(autocommit=False)


# ----------------------------------------------------------------------------- records

def _text_or_b64(value: bytes | None) -> str | None:
    """Keys and header values as text; bytes that are not UTF-8 as ``base64:...`` (never altered)."""
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(value).decode("ascii")


def sniff_content_type(data: bytes, header: str | None = None) -> ContentType:
    if header:
        known = _CONTENT_TYPES.get(header.split(";")[0].strip().lower())
        if known:
            return known
    head = data[:64].lstrip()
    if head[:1] in (b"{", b"["):
        return "application/json"
    if head[:1] == b"<":
        return "text/html"
    return "text/plain" if head else "unknown"


_GLOBAL = (GlobalWindow(),)
_new = object.__new__
# pydantic's BaseModel keeps its state in four slots; their setters, called directly, skip the
# attribute lookup of object.__setattr__ (per record it adds up: three models per Kafka record).
_SET_DICT = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE = BaseModel.__dict__["__pydantic_private__"].__set__
# Every field is set, so the records of one model share one fields-set: pydantic only ever adds
# a field's name to it (on assignment), and every name is already in.
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {m: set(m.model_fields) for m in (KafkaOrigin, SourceRef, RawRecord)}


def _construct(model: type[M], values: dict[str, Any]) -> M:
    """``model.model_construct(**values)`` for a complete set of fields, at a sixth of the cost.

    The source builds three models per Kafka record, which dominated its read rate. The values
    are already of the right types; tests/unit/test_kafka_source.py checks that the result equals
    a validated model for the pinned pydantic.
    """
    obj = _new(model)
    _SET_DICT(obj, values)
    _SET_FIELDS_SET(obj, _ALL_FIELDS[model])
    _SET_EXTRA(obj, None)
    _SET_PRIVATE(obj, None)
    return obj


def to_raw_record(record: Any) -> RawRecord:
    """A kafka-python ConsumerRecord as a RawRecord (trusted input: no validation cost)."""
    headers: dict[str, str] = {}
    header_list = None
    content_type = None
    if record.headers:
        pairs = [(key, _text_or_b64(value) or "") for key, value in record.headers]
        headers = dict(pairs)
        content_type = headers.get("content-type")
        if len(headers) < len(pairs):  # a repeated name: keep every pair, in order
            header_list = [KafkaHeader(name=key, value=value) for key, value in pairs]
    ts = record.timestamp
    topic, partition, offset = record.topic, record.partition, record.offset
    key = record.key
    origin = _construct(KafkaOrigin, {
        "topic": topic, "partition": partition, "offset": offset,
        "timestamp_ms": ts if ts is not None and ts >= 0 else None,
        "key": None if key is None else _text_or_b64(key), "headers": headers, "header_list": header_list,
        "null_value": record.value is None})
    source = _construct(SourceRef, {
        "uri": f"kafka://{topic}/{partition}/{offset}", "line": None, "index": None, "kafka": origin})
    data = record.value
    if data is None:  # a tombstone: empty bytes to parse, null_value above says it was null
        data = b""
    return _construct(RawRecord, {
        "schema_version": SCHEMA_VERSION, "data": data, "source": source,
        "content_type": sniff_content_type(data, content_type)})


def in_time_range(timestamp_ms: int, start_ms: int | None, stop_ms: int | None) -> bool:
    return (start_ms is None or timestamp_ms >= start_ms) and (stop_ms is None or timestamp_ms < stop_ms)


# ----------------------------------------------------------------------------- watermarks

def next_watermark_ms(current_ms: int | None, max_event_ms: int | None, caught_up: bool, now_ms: int,
                      lag_ms: int, idle_delay_ms: int) -> int | None:
    """A partition's watermark: its newest record time minus the allowed lag, never decreasing.

    A partition that is caught up (idle) would otherwise hold the pipeline's watermark at its
    last record forever; then the watermark follows wall time minus ``idle_delay_ms`` instead.
    """
    candidates = [c for c in (current_ms, None if max_event_ms is None else max_event_ms - lag_ms) if c is not None]
    if caught_up:
        candidates.append(now_ms - idle_delay_ms)
    return max(candidates) if candidates else None


class PartitionWatermarkEstimator(WatermarkEstimator):
    """State: (watermark ms or None, newest record timestamp ms or None).

    The runner reports every output's timestamp; the DoFn calls ``advance`` after each poll with
    whether the partition is caught up and the configured lag and idle delay.
    """

    def __init__(self, state: tuple[int | None, int | None] | None) -> None:
        self._watermark_ms, self._max_event_ms = state or (None, None)

    def observe_timestamp(self, timestamp: Timestamp) -> None:
        ms = timestamp.micros // 1000
        if self._max_event_ms is None or ms > self._max_event_ms:
            self._max_event_ms = ms

    def advance(self, caught_up: bool, lag_ms: int, idle_delay_ms: int, now_ms: int | None = None) -> None:
        self._watermark_ms = next_watermark_ms(
            self._watermark_ms, self._max_event_ms, caught_up,
            int(time.time() * 1000) if now_ms is None else now_ms, lag_ms, idle_delay_ms)

    def current_watermark(self) -> Timestamp:
        if self._watermark_ms is None:
            return MIN_TIMESTAMP
        return min(Timestamp(micros=self._watermark_ms * 1000), MAX_TIMESTAMP)

    def get_estimator_state(self) -> tuple[int | None, int | None]:
        return (self._watermark_ms, self._max_event_ms)


class _WatermarkProvider(WatermarkEstimatorProvider):
    def initial_estimator_state(self, element: Any, restriction: OffsetRange) -> tuple[None, None]:
        return (None, None)

    def create_watermark_estimator(self, state: Any) -> PartitionWatermarkEstimator:
        return PartitionWatermarkEstimator(state)


# ----------------------------------------------------------------------------- restrictions

class PartitionOffsetTracker(OffsetRestrictionTracker):
    """Offset range of one partition; unbounded when it ends at MAX_OFFSET."""

    def is_bounded(self) -> bool:
        return self._range.stop != MAX_OFFSET

    def current_progress(self) -> RestrictionProgress:
        if self.is_bounded():
            return super().current_progress()
        # The log end of an open range is unknown here: report the work done, none remaining.
        done = self._current_position + 1 if self._current_position is not None else self._range.start
        return RestrictionProgress(completed=float(done - self._range.start), remaining=0.0)


class _PartitionRestrictions(RestrictionProvider):
    """Element: (topic, partition, start, stop or None). One restriction per partition."""

    def initial_restriction(self, element: tuple[str, int, int, int | None]) -> OffsetRange:
        _, _, start, stop = element
        return OffsetRange(start, MAX_OFFSET if stop is None else stop)

    def create_tracker(self, restriction: OffsetRange) -> PartitionOffsetTracker:
        return PartitionOffsetTracker(restriction)

    def split(self, element: Any, restriction: OffsetRange) -> Iterator[OffsetRange]:
        # Kafka reads one partition sequentially: splitting it up front buys nothing.
        yield restriction

    def restriction_size(self, element: Any, restriction: OffsetRange) -> int:
        if restriction.stop == MAX_OFFSET:
            return 1  # unknown backlog; the tracker reports the real one while running
        return restriction.size()

    def truncate(self, element: Any, restriction: OffsetRange) -> OffsetRange | None:
        # On drain an unbounded partition stops where it is; a bounded one finishes its range.
        return None if restriction.stop == MAX_OFFSET else restriction


# ----------------------------------------------------------------------------- the DoFn

# Module-level singletons: Beam reads the providers from the process() signature defaults.
_RESTRICTIONS = beam.DoFn.RestrictionParam(_PartitionRestrictions())
_WATERMARK = beam.DoFn.WatermarkEstimatorParam(_WatermarkProvider())


def _nothing_to_commit() -> None:
    pass


class _ReadPartitionFn(beam.DoFn):
    def __init__(self, config: KafkaReadConfig, commit_in_finalizer: bool) -> None:
        self._config = config
        self._commit_in_finalizer = commit_in_finalizer
        self._records_in = counter(RECORDS_IN)
        self._filtered = counter("kafka_out_of_range")

    def setup(self) -> None:
        conf = self._config
        self._consumer = new_consumer(conf.connection, None, **reader_settings(conf))
        self._committer: Any = None
        self._commit_lock = threading.Lock()
        self._committed: dict[tuple[str, int], int] = {}

    def teardown(self) -> None:
        for client in (getattr(self, "_consumer", None), getattr(self, "_committer", None)):
            if client is not None:
                client.close(autocommit=False)

    def process(
        self,
        element: tuple[str, int, int, int | None],
        # The finalizer must precede the restriction parameter: Beam passes the restriction and
        # watermark parameters by keyword and the others by position.
        finalizer: Any = beam.DoFn.BundleFinalizerParam,
        tracker: PartitionOffsetTracker = _RESTRICTIONS,
    ) -> Iterator[WindowedValue]:
        # Bounded reads need no watermark estimator: a finished restriction releases the
        # watermark, and the runner then skips a locked estimator call per record.
        return self.read(element, finalizer, tracker, None)

    def read(self, element: tuple[str, int, int, int | None], finalizer: Any, tracker: Any,
             watermark: PartitionWatermarkEstimator | None) -> Iterator[WindowedValue]:
        from kafka import TopicPartition

        conf = self._config
        topic, partition = element[0], element[1]
        tp = TopicPartition(topic, partition)
        restriction = tracker.current_restriction()
        bounded = restriction.stop != MAX_OFFSET
        consumer = self._consumer
        consumer.assign([tp])
        consumer.seek(tp, restriction.start)
        # Looks up the partition's leader now (bounded by a timeout; the poll loop handles a broker
        # that does not answer): a fresh consumer's first poll found no leader and slept 100 ms.
        try:
            consumer.end_offsets([tp], timeout_ms=conf.poll_timeout_ms)
        except Exception as exc:
            _LOG.debug("leader of %s not found yet: %s", tp, exc)
        time_filter, start_ms, stop_ms = conf.time_filter, conf.start_time_ms, conf.stop_time_ms
        last_offset: int | None = None
        stamp_ms, stamp = None, MIN_TIMESTAMP
        emitted = 0
        began = last_data = time.monotonic()
        try:
            while True:
                records = consumer.poll(timeout_ms=conf.poll_timeout_ms, max_records=conf.max_poll_records).get(tp, ())
                # One claim per poll: claiming the batch's last offset owns every offset before it.
                # If it fails, the runner split the range below it, and the records before the new
                # stop still belong to this call (no split can move below a claimed position).
                claimed_all = not records or tracker.try_claim(records[-1].offset)
                if not claimed_all:
                    stop = tracker.current_restriction().stop
                    records = [r for r in records if r.offset < stop]
                out = 0
                for record in records:
                    ts = record.timestamp
                    # Windowed values made directly: the input is globally windowed, so no
                    # TimestampedValue and window assignment. Beam reads every output's Timestamp
                    # (for the SDF's watermark estimator); records of a producer batch mostly share
                    # a millisecond, and they share one Timestamp instead of one each.
                    if ts is None or ts < 0:
                        wm = watermark.current_watermark() if watermark is not None else MIN_TIMESTAMP
                        yield WindowedValue(to_raw_record(record), wm, _GLOBAL)
                    elif not time_filter or in_time_range(ts, start_ms, stop_ms):
                        if ts != stamp_ms:
                            stamp_ms, stamp = ts, Timestamp(micros=ts * 1000)
                        yield WindowedValue(to_raw_record(record), stamp, _GLOBAL)
                    else:
                        self._filtered.inc()
                        continue
                    out += 1
                if records:
                    last_offset = records[-1].offset
                if out:
                    self._records_in.inc(out)
                    emitted += out
                if not claimed_all:
                    return
                position = consumer.position(tp)
                if bounded:
                    stop = tracker.current_restriction().stop
                    if position >= stop:
                        # Offsets up to the stop were consumed (some may be gaps: compaction,
                        # transaction markers). Claiming the stop marks the range done.
                        tracker.try_claim(stop)
                        return
                    if records:
                        last_data = time.monotonic()
                    elif time.monotonic() - last_data > conf.stall_timeout_s:
                        raise TimeoutError(
                            f"{topic}/{partition}: no records for {conf.stall_timeout_s:.0f}s at offset "
                            f"{position}, before the planned stop {stop}")
                    continue
                # Unbounded: checkpoint when idle or after a bundle's worth of work.
                end = self._end_offset(tp)
                caught_up = end is not None and position >= end
                if watermark is not None:
                    watermark.advance(caught_up and not records, conf.watermark_lag_ms, conf.idle_watermark_delay_ms)
                if not records:
                    tracker.defer_remainder(Duration(seconds=conf.idle_resume_s))
                    return
                if emitted >= conf.max_records_per_bundle or time.monotonic() - began > conf.max_seconds_per_bundle:
                    tracker.defer_remainder()
                    return
        finally:
            if finalizer is None:
                pass  # a DoFn without a finalizer parameter: offsets are not committed in finalizers
            elif last_offset is not None and self._commit_in_finalizer:
                next_offset = last_offset + 1
                finalizer.register(lambda: self._commit(topic, partition, next_offset))
            else:
                # Prism asks to finalize every bundle of a DoFn that takes a finalizer, and the SDK
                # worker fails that request for a bundle that registered no callback.
                finalizer.register(_nothing_to_commit)

    def _end_offset(self, tp: Any) -> int | None:
        try:
            return self._consumer.end_offsets([tp]).get(tp)
        except Exception as exc:  # backlog is informational; never fail a read for it
            _LOG.debug("end offset of %s unavailable: %s", tp, exc)
            return None

    def _commit(self, topic: str, partition: int, offset: int) -> None:
        """Bundle finalizer: the runner has made this bundle's output durable."""
        from kafka import TopicPartition
        from kafka.structs import OffsetAndMetadata

        with self._commit_lock:
            if offset <= self._committed.get((topic, partition), -1):
                return  # finalizers can run out of order; a commit never goes backwards
            if self._committer is None:
                self._committer = new_consumer(self._config.connection, self._config.group_id)
            self._committer.commit({TopicPartition(topic, partition): OffsetAndMetadata(offset, "newsbeam", -1)})
            self._committed[(topic, partition)] = offset


class _ReadUnboundedPartitionFn(_ReadPartitionFn):
    """Unbounded reads also drive a watermark estimator (busy and idle partitions)."""

    # Marks the output PCollection unbounded: streaming runners (Prism, Flink, Dataflow) then run it
    # as a stream, and sinks window it instead of waiting for an end that never comes.
    @beam.DoFn.unbounded_per_element()
    def process(
        self,
        element: tuple[str, int, int, int | None],
        finalizer: Any = beam.DoFn.BundleFinalizerParam,
        tracker: PartitionOffsetTracker = _RESTRICTIONS,
        watermark: PartitionWatermarkEstimator = _WATERMARK,
    ) -> Iterator[WindowedValue]:
        return self.read(element, finalizer, tracker, watermark)


# Without a finalizer parameter: a runner sees no bundle-finalization requirement. Flink's portable
# runner rejects any batch pipeline that has one, and Prism finalizes every bundle of such a DoFn.
class _ReadPartitionNoFinalizerFn(_ReadPartitionFn):
    def process(
        self,
        element: tuple[str, int, int, int | None],
        tracker: PartitionOffsetTracker = _RESTRICTIONS,
    ) -> Iterator[WindowedValue]:
        return self.read(element, None, tracker, None)


class _ReadUnboundedPartitionNoFinalizerFn(_ReadUnboundedPartitionFn):
    @beam.DoFn.unbounded_per_element()
    def process(
        self,
        element: tuple[str, int, int, int | None],
        tracker: PartitionOffsetTracker = _RESTRICTIONS,
        watermark: PartitionWatermarkEstimator = _WATERMARK,
    ) -> Iterator[WindowedValue]:
        return self.read(element, None, tracker, watermark)


_READ_FNS: dict[tuple[bool, bool], type[_ReadPartitionFn]] = {  # (bounded, commit in finalizers)
    (True, True): _ReadPartitionFn, (True, False): _ReadPartitionNoFinalizerFn,
    (False, True): _ReadUnboundedPartitionFn, (False, False): _ReadUnboundedPartitionNoFinalizerFn,
}


# ----------------------------------------------------------------------------- options

def connection_from_options(options: PipelineOptions, bootstrap: str | None = None) -> KafkaConnection:
    """KafkaConnection from KafkaOptions; ``bootstrap`` (e.g. from a kafka:// URI) is the fallback."""
    from pipelines.options import KafkaOptions

    ko = options.view_as(KafkaOptions)
    return KafkaConnection(
        bootstrap_servers=ko.kafka_bootstrap_servers or bootstrap or DEFAULT_BOOTSTRAP,
        security_protocol=ko.kafka_security_protocol, sasl_mechanism=ko.kafka_sasl_mechanism,
        sasl_username=ko.kafka_sasl_username, sasl_password_env=ko.kafka_sasl_password_env,
        sasl_password_file=ko.kafka_sasl_password_file, ssl_cafile=ko.kafka_ssl_cafile,
        ssl_certfile=ko.kafka_ssl_certfile, ssl_keyfile=ko.kafka_ssl_keyfile,
        ssl_check_hostname=not ko.kafka_ssl_no_check_hostname, client_id=ko.kafka_client_id)


def read_config_from_options(options: PipelineOptions, **overrides: Any) -> KafkaReadConfig:
    """KafkaReadConfig from ``--source kafka://...`` and the --kafka_* options."""
    from pipelines.options import KafkaOptions

    ko = options.view_as(KafkaOptions)
    uri = parse_kafka_uri(ko.source) if ko.source else None
    topics = tuple(t for t in (ko.kafka_topics or "").split(",") if t) or (uri.topics if uri else ())
    if not topics:
        raise KafkaConfigError("no Kafka topic: pass --source kafka://HOST:PORT/TOPIC or --kafka_topics")
    for topic in topics:
        validate_topic(topic)
    group = ko.kafka_group_id
    start_spec = ko.kafka_start or ("committed" if group else "earliest")
    config = KafkaReadConfig(
        connection=connection_from_options(options, uri.bootstrap_servers if uri else None),
        topics=topics, group_id=group,
        start=parse_start_position(start_spec, ko.kafka_start_fallback),
        bounded=not ko.kafka_unbounded,
        stop_time_ms=parse_time_ms(ko.kafka_stop) if ko.kafka_stop else None,
        timestamp_skew_ms=int(ko.kafka_timestamp_skew_s * 1000) if ko.kafka_timestamp_skew_s >= 0 else -1,
        commit=ko.kafka_commit, isolation_level=ko.kafka_isolation_level,
        max_poll_records=ko.kafka_max_poll_records,
        idle_watermark_delay_ms=int(ko.kafka_idle_watermark_delay_s * 1000),
        watermark_lag_ms=int(ko.kafka_watermark_lag_s * 1000))
    return replace(config, **overrides) if overrides else config


# ----------------------------------------------------------------------------- the transform

def _runner_classes(pipeline: beam.Pipeline) -> set[str]:
    """Names of the runner's class and its bases (a subclass of FnApiRunner is still local)."""
    return {cls.__name__ for cls in type(getattr(pipeline, "runner", None)).__mro__}


def runner_is_local(pipeline: beam.Pipeline) -> bool:
    return getattr(pipeline, "runner", None) is None or bool(_runner_classes(pipeline) & set(LOCAL_RUNNERS))


def one_local_worker(pipeline: beam.Pipeline) -> bool:
    """The in-process FnApiRunner with a single worker (Beam's default --direct_num_workers=1)."""
    from apache_beam.options.pipeline_options import DirectOptions

    options = getattr(pipeline, "_options", None)
    workers = options.view_as(DirectOptions).direct_num_workers if options is not None else 1
    return "FnApiRunner" in _runner_classes(pipeline) and workers == 1


class ReadFromKafka(beam.PTransform):
    """PBegin -> RawRecords (timestamped with the Kafka record time).

    The read plan (offset range per partition) is resolved once, at construction of the
    pipeline; ``plan`` exposes it and ``commit_after_run(result)`` commits it after a
    successful bounded run when offsets are committed ``after_run``.
    """

    def __init__(self, config: KafkaReadConfig, plan: list[PartitionPlan] | None = None) -> None:
        super().__init__()
        self.config = config
        self._plan = plan
        self.commit_mode: CommitMode = config.commit

    @property
    def plan(self) -> list[PartitionPlan]:
        if self._plan is None:
            self._plan = plan_read(self.config)
            for p in self._plan:
                _LOG.info("kafka read plan: %s", p.describe())
        return self._plan

    def expand(self, pbegin: beam.pvalue.PBegin) -> beam.PCollection[RawRecord]:
        conf = self.config
        bounded = conf.bounded or conf.stop_time_ms is not None
        mode = conf.commit
        if mode == "auto":
            if not conf.group_id:
                mode = "off"
            elif runner_is_local(pbegin.pipeline):
                mode = "after_run" if bounded else "off"
                if not bounded:
                    _LOG.warning("unbounded Kafka read on a local runner: offsets are not committed "
                                 "(local runners keep bundle output in memory only)")
            else:
                mode = "finalize"
        runner_name = type(getattr(pbegin.pipeline, "runner", None)).__name__
        if not bounded and _runner_classes(pbegin.pipeline) & {"BundleBasedDirectRunner", "FnApiRunner"}:
            # Beam 2.77's BundleBasedDirectRunner fails on every splittable DoFn in streaming mode
            # ("..._GroupByKeyOnly) was not replaced as expected"), and the batch FnApiRunner
            # would re-run the open range forever without ever reaching the sinks.
            raise ValueError(f"an unbounded Kafka read cannot run on the {runner_name}; use "
                             "--runner=PrismRunner with a local prism binary, or Flink/Dataflow "
                             "(or drop --kafka_unbounded for a bounded run)")
        if mode == "after_run" and not bounded:
            raise ValueError("offsets can be committed after the run only for a bounded read")
        if mode != "off" and not conf.group_id:
            raise ValueError("committing offsets needs a consumer group (--kafka_group_id)")
        if mode == "finalize" and runner_is_local(pbegin.pipeline):
            _LOG.warning("--kafka_commit=finalize on a local runner: its bundle finalizers run before "
                         "the sinks have written the records, so a crash can skip them")
        self.commit_mode = mode
        _LOG.info("%s", self.describe())
        elements = [(p.topic, p.partition, p.start, p.stop) for p in self.plan]
        fn = _READ_FNS[(bounded, mode == "finalize")](conf, commit_in_finalizer=mode == "finalize")
        if one_local_worker(pbegin.pipeline):
            # Beam's Create reshuffles its elements to spread them over workers: with one worker in
            # this process that shuffle stage only costs time (0.35 s wall, 0.15 s CPU a run).
            partitions = pbegin | "Partitions" >> beam.Impulse() | "Plan" >> beam.FlatMap(lambda _, e=elements: e)
        else:
            partitions = pbegin | "Partitions" >> beam.Create(elements)
        return partitions | "Read" >> beam.ParDo(fn).with_output_types(RawRecord)

    def commit_after_run(self, result: PipelineResult) -> dict[tuple[str, int], int]:
        """Commit the plan's stop offsets if the run finished; returns what was committed."""
        if self.commit_mode != "after_run":
            return {}
        state = result.state
        if state != PipelineState.DONE:
            _LOG.warning("pipeline ended %s: Kafka offsets not committed", state)
            return {}
        group = self.config.group_id
        assert group is not None  # checked in expand
        current = committed_offsets(self.config.connection, group, [(p.topic, p.partition) for p in self.plan])
        offsets = offsets_to_commit(self.plan, current)
        commit_offsets(self.config.connection, group, offsets)
        for (t, p), o in sorted(offsets.items()):
            _LOG.info("committed %s/%d -> %d for group %s", t, p, o, group)
        return offsets

    def describe(self) -> str:
        conf = self.config
        stop = f", stop {format_time_ms(conf.stop_time_ms)}" if conf.stop_time_ms is not None else ""
        return (f"kafka {','.join(conf.topics)} from {conf.start.describe()}{stop} "
                f"({'bounded' if conf.bounded or conf.stop_time_ms is not None else 'unbounded'}, "
                f"group {conf.group_id or '-'}, commit {self.commit_mode})")


def kafka_reads(pipeline: beam.Pipeline) -> list[ReadFromKafka]:
    """Every ReadFromKafka applied in ``pipeline``."""
    found: list[ReadFromKafka] = []

    class _Finder(beam.pipeline.PipelineVisitor):
        def enter_composite_transform(self, node: Any) -> None:
            if isinstance(node.transform, ReadFromKafka):
                found.append(node.transform)

    pipeline.visit(_Finder())
    return found


def commit_after_run(pipeline: beam.Pipeline, result: PipelineResult) -> list[str]:
    """After a finished run: commit the offsets of every ``after_run`` Kafka read; report lines."""
    lines = []
    for read in kafka_reads(pipeline):
        if read.commit_mode != "after_run":
            continue
        offsets = read.commit_after_run(result)
        group = read.config.group_id
        if offsets:
            done = ", ".join(f"{t}/{p}@{o}" for (t, p), o in sorted(offsets.items()))
            lines.append(f"kafka: committed group {group}: {done}")
        elif result.state == PipelineState.DONE:
            lines.append(f"kafka: group {group} already at the end of the read; nothing to commit")
        else:
            lines.append(f"kafka: run ended {result.state}; offsets of group {group} not committed")
    return lines


__all__ = ["KafkaReadConfig", "PartitionPlan", "ReadFromKafka", "commit_offsets", "plan_read"]
