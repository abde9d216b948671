"""The unbounded read's splittable DoFn, driven the way a streaming runner drives it, against the
real broker: self-checkpoints, watermarks of busy and idle partitions, commits in bundle finalizers.

(Beam 2.77's local streaming runner cannot run splittable DoFns at all, so the DoFn is invoked
here with Beam's own thread-safe tracker and view, as the SDK harness of Flink or Dataflow does.)
"""

from __future__ import annotations

import time

import apache_beam as beam
import pytest
from apache_beam.io.restriction_trackers import OffsetRange
from apache_beam.runners.sdf_utils import RestrictionTrackerView, ThreadsafeRestrictionTracker
from apache_beam.utils.timestamp import Timestamp

from pipelines.io.kafka import (
    KafkaReadConfig,
    PartitionOffsetTracker,
    PartitionWatermarkEstimator,
    _ReadUnboundedPartitionFn,
)
from pipelines.io.kafka_positions import MAX_OFFSET, StartPosition
from tests.fixtures.kafka import committed, produce

pytestmark = pytest.mark.kafka
BASE_MS = 1714521600000


def process_once(fn, element, start, estimator):
    tracker = ThreadsafeRestrictionTracker(PartitionOffsetTracker(OffsetRange(start, MAX_OFFSET)))
    finalizer = beam.DoFn.BundleFinalizerParam()
    out = list(fn.process(element, finalizer, RestrictionTrackerView(tracker), estimator))
    for wv in out:  # what the runner does for every output
        estimator.observe_timestamp(wv.timestamp)
    return out, tracker, finalizer


def test_busy_and_idle_partitions_checkpoint_advance_watermarks_and_commit_on_finalize(
        kafka_topic, kafka_connection):
    topic, group = kafka_topic(partitions=2), "g-unbounded"
    produce(kafka_connection, topic, [b"record %d" % i for i in range(5)], partition=0,
            timestamps=[BASE_MS + i * 1000 for i in range(5)])
    config = KafkaReadConfig(connection=kafka_connection, topics=(topic,), group_id=group,
                             start=StartPosition("earliest"), bounded=False, commit="finalize",
                             idle_watermark_delay_ms=2000, idle_resume_s=0.5, poll_timeout_ms=300)
    fn = _ReadUnboundedPartitionFn(config, commit_in_finalizer=True)
    fn.setup()
    try:
        busy = PartitionWatermarkEstimator(None)
        before = int(time.time() * 1000)
        out, tracker, finalizer = process_once(fn, (topic, 0, 0, None), 0, busy)
        assert [wv.value.source.kafka.offset for wv in out] == [0, 1, 2, 3, 4]
        assert [wv.timestamp for wv in out] == [Timestamp(micros=(BASE_MS + i * 1000) * 1000) for i in range(5)]
        # Caught up: the partition checkpoints the rest of its open range and resumes later.
        residual, delay = tracker.deferred_status()
        assert residual == OffsetRange(5, MAX_OFFSET) and delay.micros > 0
        tracker.check_done()
        # Caught up, so its watermark follows wall time minus the idle delay (not the 2024 records).
        assert busy.current_watermark() >= Timestamp(micros=(before - 2000) * 1000)

        # Nothing is committed until the runner finalizes the bundle (its output is durable).
        assert committed(kafka_connection, group, topic, 2)[0] is None
        finalizer.finalize_bundle()
        assert committed(kafka_connection, group, topic, 2) == {0: 5, 1: None}

        # The idle partition: no records, but its watermark advances and it checkpoints at once.
        idle = PartitionWatermarkEstimator(None)
        out, tracker, finalizer = process_once(fn, (topic, 1, 0, None), 0, idle)
        assert out == [] and tracker.deferred_status()[0] == OffsetRange(0, MAX_OFFSET)
        assert idle.current_watermark() >= Timestamp(micros=(before - 2000) * 1000)
        finalizer.finalize_bundle()  # nothing read: nothing to commit
        assert committed(kafka_connection, group, topic, 2)[1] is None

        # A resumed partition continues after its last record; commits never go backwards.
        produce(kafka_connection, topic, [b"late"], partition=0, timestamps=[BASE_MS])
        out, _, finalizer = process_once(fn, (topic, 0, 5, None), 5, busy)
        assert [wv.value.source.kafka.offset for wv in out] == [5]
        finalizer.finalize_bundle()
        fn._commit(topic, 0, 3)  # a late finalizer of an older bundle
        assert committed(kafka_connection, group, topic, 2)[0] == 6
    finally:
        fn.teardown()


@pytest.mark.parametrize("streaming", [False, True])
def test_local_runners_refuse_an_unbounded_read(kafka_topic, kafka_bootstrap, streaming, tmp_path):
    from pipelines.commands.run import pipeline_options, run_pipeline

    topic = kafka_topic()
    flags = ["--runner=DirectRunner", f"--source=kafka://{kafka_bootstrap}/{topic}", "--kafka_unbounded",
             f"--output={tmp_path}", "--enrich=none", *(["--streaming"] if streaming else [])]
    with pytest.raises(ValueError, match="unbounded Kafka read cannot run"):
        run_pipeline(pipeline_options(flags))
