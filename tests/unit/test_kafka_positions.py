"""Where a Kafka read starts and stops: pure rules of pipelines/io/kafka_positions.py."""

from __future__ import annotations

import pytest

from pipelines.io.kafka_config import KafkaConfigError
from pipelines.io.kafka_positions import (
    PartitionOffsets,
    PartitionPlan,
    StartPosition,
    offsets_to_commit,
    parse_start_position,
    plan_partition,
    resolve_start,
    resolve_stop,
)

INFO = PartitionOffsets(beginning=10, end=100, committed=40, start_time_offset=55, stop_time_offset=80)


def test_parse_named_positions():
    assert parse_start_position("earliest") == StartPosition("earliest")
    assert parse_start_position(" latest ").kind == "latest"
    assert parse_start_position("committed", fallback="latest") == StartPosition("committed", fallback="latest")


def test_parse_time_and_offsets():
    pos = parse_start_position("2024-05-01T00:00:00Z")
    assert pos.kind == "timestamp" and pos.timestamp_ms == 1714521600000
    assert parse_start_position("timestamp:1714521600000").timestamp_ms == 1714521600000
    pos = parse_start_position("offsets:0:12,news/1=7")
    assert pos.kind == "offsets" and pos.offsets == ((None, 0, 12), ("news", 1, 7))


@pytest.mark.parametrize("spec", ["soonest", "offsets:", "offsets:a:1", "offsets:0", "2024-13-45"])
def test_parse_rejects_bad_specs(spec):
    with pytest.raises(KafkaConfigError):
        parse_start_position(spec)


@pytest.mark.parametrize(("pos", "expected"), [
    (StartPosition("earliest"), 10),
    (StartPosition("latest"), 100),
    (StartPosition("committed"), 40),
    (StartPosition("timestamp", timestamp_ms=1), 55),
    (StartPosition("offsets", offsets=(("t", 0, 70),)), 70),
    (StartPosition("offsets", offsets=((None, 0, 60), ("t", 0, 65))), 65),  # topic-specific wins
    (StartPosition("offsets", offsets=(("other", 0, 70),)), 10),  # no offset for t/0: fallback
])
def test_resolve_start(pos, expected):
    assert resolve_start(pos, "t", 0, INFO) == expected


def test_resolve_start_fallbacks_and_clamping():
    no_commit = PartitionOffsets(beginning=10, end=100)
    assert resolve_start(StartPosition("committed"), "t", 0, no_commit) == 10
    assert resolve_start(StartPosition("committed", fallback="latest"), "t", 0, no_commit) == 100
    # No record at or after the start time yet: nothing to read.
    assert resolve_start(StartPosition("timestamp", timestamp_ms=1), "t", 0, no_commit) == 100
    # Offsets deleted by retention, or past the end, are clamped into the log.
    assert resolve_start(StartPosition("offsets", offsets=((None, 0, 3),)), "t", 0, INFO) == 10
    assert resolve_start(StartPosition("offsets", offsets=((None, 0, 500),)), "t", 0, INFO) == 100


def test_resolve_stop():
    assert resolve_stop(INFO, bounded=True, stop_time_ms=None) == 100
    assert resolve_stop(INFO, bounded=False, stop_time_ms=None) is None
    assert resolve_stop(INFO, bounded=False, stop_time_ms=5) == 80
    # No record at or after the stop time: read to the end snapshot.
    assert resolve_stop(PartitionOffsets(10, 100), bounded=True, stop_time_ms=5) == 100


def test_plan_never_starts_after_its_stop():
    late_start = PartitionOffsets(beginning=0, end=100, start_time_offset=90, stop_time_offset=50)
    plan = plan_partition(StartPosition("timestamp", timestamp_ms=1), "t", 3, late_start, True, 2)
    assert plan == PartitionPlan("t", 3, 50, 50) and plan.size == 0


def test_offsets_to_commit_never_moves_a_group_back():
    plans = [PartitionPlan("t", 0, 0, 10), PartitionPlan("t", 1, 0, 5), PartitionPlan("t", 2, 0, 7)]
    committed = {("t", 0): None, ("t", 1): 9, ("t", 2): 7}
    assert offsets_to_commit(plans, committed) == {("t", 0): 10}


def test_offsets_to_commit_refuses_unbounded_plans():
    with pytest.raises(ValueError, match="unbounded"):
        offsets_to_commit([PartitionPlan("t", 0, 0, None)], {})


def test_empty_plans_commit_nothing():
    assert offsets_to_commit([PartitionPlan("t", 0, 0, 0), PartitionPlan("t", 1, 4, 4)], {("t", 1): 2}) == {}
