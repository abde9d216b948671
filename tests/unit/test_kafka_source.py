"""Pure pieces of the Kafka source: record conversion, watermarks, restrictions, options."""

from __future__ import annotations

import pytest
from apache_beam.io.restriction_trackers import OffsetRange
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.utils.timestamp import MIN_TIMESTAMP, Timestamp
from kafka.consumer.fetcher import ConsumerRecord

from pipelines.io.kafka import (
    KafkaReadConfig,
    PartitionOffsetTracker,
    PartitionWatermarkEstimator,
    _PartitionRestrictions,
    in_time_range,
    next_watermark_ms,
    read_config_from_options,
    reader_settings,
    sniff_content_type,
    to_raw_record,
)
from pipelines.io.kafka_config import KafkaConnection
from pipelines.io.kafka_positions import MAX_OFFSET, StartPosition
from schemas.coders import RawRecordCoder
from schemas.records import KafkaOrigin, RawRecord, SourceRef


def consumer_record(offset=7, key=b"k1", value=b'{"title": "x"}', headers=(("h", b"v"),), timestamp=1714521600123):
    return ConsumerRecord("news", 2, 0, offset, timestamp, 0, key, value, list(headers), None, 2, len(value or b""), 3)


def test_to_raw_record_equals_a_validated_model():
    raw = to_raw_record(consumer_record())
    expected = RawRecord(
        data=b'{"title": "x"}', content_type="application/json",
        source=SourceRef(uri="kafka://news/2/7", kafka=KafkaOrigin(
            topic="news", partition=2, offset=7, timestamp_ms=1714521600123, key="k1", headers={"h": "v"})))
    assert raw == expected
    assert raw.model_dump(mode="json") == expected.model_dump(mode="json")
    coder = RawRecordCoder()
    assert coder.decode(coder.encode(raw)) == expected


def test_records_share_a_fields_set_that_assignment_cannot_change():
    first, second = to_raw_record(consumer_record(offset=1)), to_raw_record(consumer_record(offset=2))
    everything = set(RawRecord.model_fields)
    assert first.model_fields_set == second.model_fields_set == everything
    first.content_type = "text/html"
    first.source.kafka.headers["x"] = "y"
    assert first.model_fields_set == second.model_fields_set == everything
    assert second.content_type == "application/json" and second.source.kafka.headers == {"h": "v"}
    copy = first.model_copy(update={"data": b"{}"})
    assert copy.data == b"{}" and first.data == b'{"title": "x"}' and copy.source.uri == "kafka://news/2/1"


def test_bounded_reads_do_not_long_poll_for_records_past_their_end():
    bounded = KafkaReadConfig(connection=KafkaConnection(), topics=("t",), start=StartPosition("earliest"))
    assert reader_settings(bounded) == {
        "isolation_level": "read_committed", "max_poll_records": 2000, "fetch_max_wait_ms": 20,
        "retry_backoff_ms": 20}
    by_time = KafkaReadConfig(connection=KafkaConnection(), topics=("t",), start=StartPosition("earliest"),
                              bounded=False, stop_time_ms=0)
    assert reader_settings(by_time)["fetch_max_wait_ms"] == 20
    unbounded = KafkaReadConfig(connection=KafkaConnection(), topics=("t",), start=StartPosition("earliest"),
                                bounded=False)
    assert "fetch_max_wait_ms" not in reader_settings(unbounded)  # kafka-python's long poll (500 ms)


def test_binary_keys_and_headers_are_kept_as_base64():
    raw = to_raw_record(consumer_record(key=b"\xff\xfe", headers=(("sig", b"\x80"),), value=None, timestamp=-1))
    assert raw.source.kafka.key == "base64://4="
    assert raw.source.kafka.headers == {"sig": "base64:gA=="}
    assert raw.data == b"" and raw.source.kafka.timestamp_ms is None


@pytest.mark.parametrize(("data", "header", "expected"), [
    (b'  {"a": 1}', None, "application/json"),
    (b"[1]", None, "application/json"),
    (b"<html>", None, "text/html"),
    (b"date 2024-05-01 World", None, "text/plain"),
    (b"", None, "unknown"),
    (b"whatever", "text/html; charset=utf-8", "text/html"),
    (b"{", "application/octet-stream", "application/json"),
])
def test_sniff_content_type(data, header, expected):
    assert sniff_content_type(data, header) == expected


def test_time_range_is_half_open():
    assert in_time_range(10, 10, 20) and in_time_range(19, 10, 20)
    assert not in_time_range(9, 10, 20) and not in_time_range(20, 10, 20)
    assert in_time_range(5, None, None)


def test_watermark_follows_records_and_never_goes_back():
    assert next_watermark_ms(None, None, caught_up=False, now_ms=1000, lag_ms=0, idle_delay_ms=100) is None
    assert next_watermark_ms(None, 500, False, 1000, lag_ms=50, idle_delay_ms=100) == 450
    assert next_watermark_ms(600, 500, False, 1000, 0, 100) == 600


def test_idle_partition_watermark_follows_wall_time():
    # Caught up: an idle partition must not hold the watermark at its last record forever.
    assert next_watermark_ms(500, 500, caught_up=True, now_ms=10_000, lag_ms=0, idle_delay_ms=1000) == 9000
    assert next_watermark_ms(None, None, caught_up=True, now_ms=10_000, lag_ms=0, idle_delay_ms=1000) == 9000


def test_watermark_estimator_state_round_trip():
    est = PartitionWatermarkEstimator(None)
    assert est.current_watermark() == MIN_TIMESTAMP
    est.observe_timestamp(Timestamp(micros=5_000_000))
    est.observe_timestamp(Timestamp(micros=3_000_000))
    est.advance(caught_up=False, lag_ms=0, idle_delay_ms=1000, now_ms=99_000)
    assert est.current_watermark() == Timestamp(5)
    again = PartitionWatermarkEstimator(est.get_estimator_state())
    again.advance(caught_up=True, lag_ms=0, idle_delay_ms=1000, now_ms=99_000)
    assert again.current_watermark() == Timestamp(98)


def test_restrictions_one_per_partition():
    provider = _PartitionRestrictions()
    bounded = provider.initial_restriction(("t", 0, 5, 9))
    assert bounded == OffsetRange(5, 9) and list(provider.split(None, bounded)) == [bounded]
    assert provider.restriction_size(None, bounded) == 4 and provider.truncate(None, bounded) == bounded
    unbounded = provider.initial_restriction(("t", 0, 5, None))
    assert unbounded == OffsetRange(5, MAX_OFFSET) and provider.truncate(None, unbounded) is None


def test_tracker_bounded_and_unbounded():
    tracker = PartitionOffsetTracker(OffsetRange(5, 9))
    assert tracker.is_bounded() and tracker.try_claim(5) and tracker.try_claim(8) and not tracker.try_claim(9)
    tracker.check_done()
    open_ended = PartitionOffsetTracker(OffsetRange(5, MAX_OFFSET))
    assert not open_ended.is_bounded()
    assert open_ended.try_claim(6)
    progress = open_ended.current_progress()
    assert (progress.completed_work, progress.remaining_work) == (2.0, 0.0)
    primary, residual = open_ended.try_split(0)
    assert primary == OffsetRange(5, 7) and residual == OffsetRange(7, MAX_OFFSET)


def test_read_config_validation():
    with pytest.raises(ValueError, match="consumer group"):
        KafkaReadConfig(connection=KafkaConnection(), topics=("t",), start=StartPosition("committed"))
    with pytest.raises(ValueError, match="topic"):
        KafkaReadConfig(connection=KafkaConnection(), topics=())


def test_read_config_from_options():
    options = PipelineOptions([
        "--source=kafka://b1:9092,b2:9092/news", "--kafka_group_id=g", "--kafka_stop=2024-05-02T00:00:00Z",
        "--kafka_security_protocol=SASL_SSL", "--kafka_sasl_mechanism=PLAIN", "--kafka_sasl_username=u"])
    config = read_config_from_options(options)
    assert config.topics == ("news",) and config.group_id == "g"
    assert config.start == StartPosition("committed") and config.stop_time_ms == 1714608000000
    assert config.connection.bootstrap_servers == "b1:9092,b2:9092" and config.time_filter
    no_group = read_config_from_options(PipelineOptions(["--kafka_topics=a,b"]))
    assert no_group.start.kind == "earliest" and no_group.topics == ("a", "b")
    assert no_group.connection.bootstrap_servers == "127.0.0.1:19092" and not no_group.time_filter


def test_stop_time_lookup_scans_past_out_of_order_timestamps():
    from pipelines.io.kafka import stop_lookup_time

    assert stop_lookup_time(None, 5000) is None
    assert stop_lookup_time(1000, -1) is None  # exact for any order: read to the end offsets
    assert stop_lookup_time(1000, 0) == 1000
    assert stop_lookup_time(1000, 5000) == 6000


def test_commit_mode_follows_the_runner():
    import apache_beam as beam
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    from pipelines.io.kafka import ReadFromKafka, runner_is_local
    from pipelines.io.kafka_positions import PartitionPlan

    class MyFnApiRunner(fn_runner.FnApiRunner):  # e.g. a progress-reporting subclass
        pass

    config = KafkaReadConfig(connection=KafkaConnection(), topics=("t",), group_id="g")
    plan = [PartitionPlan("t", 0, 0, 5)]
    local = beam.Pipeline(runner=MyFnApiRunner())
    read = ReadFromKafka(config, plan=plan)
    _ = local | read
    assert runner_is_local(local) and read.commit_mode == "after_run"
    unbounded = ReadFromKafka(KafkaReadConfig(connection=KafkaConnection(), topics=("t",), bounded=False,
                                              start=StartPosition("earliest")),
                              plan=[PartitionPlan("t", 0, 0, None)])
    with pytest.raises(ValueError, match="unbounded Kafka read cannot run"):
        _ = beam.Pipeline(runner=MyFnApiRunner()) | unbounded


def test_partitions_skip_creates_shuffle_on_one_local_worker():
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.io.kafka import ReadFromKafka
    from pipelines.io.kafka_positions import PartitionPlan
    from pipelines.runners import resolve_runner
    from tests.conftest import beam_pipeline

    def labels(pipeline: beam.Pipeline) -> set[str]:
        config = KafkaReadConfig(connection=KafkaConnection(), topics=("t",), start=StartPosition("earliest"))
        _ = pipeline | ReadFromKafka(config, plan=[PartitionPlan("t", 0, 0, 5), PartitionPlan("t", 1, 0, 7)])
        found: set[str] = set()

        class Visitor(beam.pipeline.PipelineVisitor):
            def enter_composite_transform(self, node):
                found.add(node.full_label)

            def visit_transform(self, node):
                found.add(node.full_label)

        pipeline.visit(Visitor())
        return found

    one = labels(beam_pipeline())
    assert "ReadFromKafka/Plan" in one and not any("Reshuffle" in label for label in one)
    options = PipelineOptions(
        ["--runner=DirectRunner", "--direct_num_workers=2", "--direct_running_mode=multi_processing"])
    two = labels(beam.Pipeline(runner=resolve_runner(options), options=options))
    assert "ReadFromKafka/Plan" not in two and any("Partitions/MaybeReshuffle" in label for label in two)


def test_repeated_header_names_keep_every_pair_in_order():
    pairs = (("trace", b"a"), ("h", b"v"), ("trace", b"\xff"))
    origin = to_raw_record(consumer_record(headers=pairs)).source.kafka
    assert origin.headers == {"trace": "base64:/w==", "h": "v"}  # by name: the last value
    assert origin.header_pairs() == [("trace", "a"), ("h", "v"), ("trace", "base64:/w==")]
    assert KafkaOrigin.model_validate_json(origin.model_dump_json()).header_pairs() == origin.header_pairs()
    single = to_raw_record(consumer_record()).source.kafka
    assert single.header_list is None and single.header_pairs() == [("h", "v")]


def test_a_null_value_is_told_apart_from_an_empty_one():
    tombstone, empty = to_raw_record(consumer_record(value=None)), to_raw_record(consumer_record(value=b""))
    assert tombstone.data == empty.data == b""
    assert tombstone.source.kafka.null_value and not empty.source.kafka.null_value
    coder = RawRecordCoder()
    assert coder.decode(coder.encode(tombstone)).source.kafka.null_value
