"""The Kafka source against a real broker: bounded runs, consumer groups, time ranges, archives."""

from __future__ import annotations

import pytest
from kafka import TopicPartition

from pipelines.commands.run import pipeline_options, run_pipeline
from pipelines.io.kafka import new_consumer
from tests.fixtures.kafka import article_json, committed, produce, read_jsonl

pytestmark = pytest.mark.kafka
BASE_MS = 1714521600000  # 2024-05-01T00:00:00Z


def run(source: str, output, *flags: str):
    return run_pipeline(pipeline_options(
        ["--runner=DirectRunner", f"--source={source}", f"--output={output}", "--enrich=none", *flags]))


def offsets_of(records: list[dict]) -> set[tuple[int, int]]:
    return {(r["source"]["kafka"]["partition"], r["source"]["kafka"]["offset"]) for r in records}


def test_bounded_run_outputs_every_record_with_lineage(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    topic = kafka_topic(partitions=3)
    n = 24
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(n)],
            keys=[b"key-%d" % i for i in range(n)], timestamps=[BASE_MS + i * 1000 for i in range(n)])
    summary = run(f"kafka://{kafka_bootstrap}/{topic}", tmp_path, "--kafka_group_id=g-lineage")
    assert summary.records_in == n and summary.balanced
    articles = read_jsonl(tmp_path, "articles")
    assert len(articles) == n
    # Every (partition, offset) of the topic exactly once, and the uri matches the Kafka origin.
    consumer = new_consumer(kafka_connection)
    ends = consumer.end_offsets([TopicPartition(topic, p) for p in range(3)])
    consumer.close()
    expected = {(tp.partition, o) for tp, end in ends.items() for o in range(end)}
    assert offsets_of(articles) == expected
    for a in articles:
        origin = a["source"]["kafka"]
        assert a["source"]["uri"] == f"kafka://{topic}/{origin['partition']}/{origin['offset']}"
        assert origin["topic"] == topic and origin["key"].startswith("key-")
        i = int(origin["key"].removeprefix("key-"))
        assert origin["timestamp_ms"] == BASE_MS + i * 1000 and a["headline"].startswith(f"Story {i} ")
    assert committed(kafka_connection, "g-lineage", topic, 3) == {tp.partition: end for tp, end in ends.items()}


def test_second_run_of_the_same_group_reads_nothing_again(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    topic = kafka_topic(partitions=2)
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(10)])
    source = f"kafka://{kafka_bootstrap}/{topic}"
    assert run(source, tmp_path / "one", "--kafka_group_id=g-twice").records_in == 10
    assert run(source, tmp_path / "two", "--kafka_group_id=g-twice").records_in == 0
    # New records: only they are read by the third run.
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(10, 14)])
    third = run(source, tmp_path / "three", "--kafka_group_id=g-twice")
    assert third.records_in == 4
    assert sorted(a["headline"].split()[1] for a in read_jsonl(tmp_path / "three", "articles")) == [
        "10", "11", "12", "13"]


def test_time_range_replay_is_exact(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    from pipelines.cli import main

    topic = kafka_topic(partitions=2)
    # Timestamps not in offset order (producers set them): 0..19 minutes, shuffled per partition.
    minutes = [3, 0, 7, 1, 19, 12, 5, 8, 14, 2, 9, 4, 17, 6, 11, 10, 13, 16, 15, 18]
    produce(kafka_connection, topic, [article_json(m, topic) for m in minutes], partition=0,
            timestamps=[BASE_MS + m * 60_000 for m in minutes[:20]])
    produce(kafka_connection, topic, [article_json(100 + m, topic) for m in minutes], partition=1,
            timestamps=[BASE_MS + m * 60_000 for m in minutes])
    args = ["replay", "--topic", topic, "--bootstrap", kafka_bootstrap, "--from", "2024-05-01T00:05:00Z",
            "--to", "2024-05-01T00:12:00Z", "--runner=DirectRunner", "--enrich=none"]
    assert main([*args, "--output", str(tmp_path / "a")]) == 0
    got = sorted(int(a["headline"].split()[1]) for a in read_jsonl(tmp_path / "a", "articles"))
    assert got == [*range(5, 12), *range(105, 112)]
    for a in read_jsonl(tmp_path / "a", "articles"):
        assert BASE_MS + 5 * 60_000 <= a["source"]["kafka"]["timestamp_ms"] < BASE_MS + 12 * 60_000
    # Deterministic: the same range again gives the same articles.
    assert main([*args, "--output", str(tmp_path / "b")]) == 0
    key = lambda a: a["id"]  # noqa: E731
    assert sorted(read_jsonl(tmp_path / "a", "articles"), key=key) == sorted(
        read_jsonl(tmp_path / "b", "articles"), key=key)


def test_idle_partition_does_not_block_a_bounded_run(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    topic = kafka_topic(partitions=4)
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(6)], partition=1)
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(6, 9)], partition=3)
    summary = run(f"kafka://{kafka_bootstrap}/{topic}", tmp_path, "--kafka_group_id=g-idle")
    assert summary.records_in == 9
    assert {p for p, _ in offsets_of(read_jsonl(tmp_path, "articles"))} == {1, 3}
    # Empty partitions have nothing to commit; the others are committed at their end.
    assert committed(kafka_connection, "g-idle", topic, 4) == {0: None, 1: 6, 2: None, 3: 3}


def test_archive_replays_with_kafka_metadata_and_event_times(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    from pipelines.cli import main

    topic = kafka_topic(partitions=2)
    values = [article_json(i, topic) for i in range(8)] + [b"\xff\xfe not an article"]
    produce(kafka_connection, topic, values, timestamps=[BASE_MS + i * 1000 for i in range(9)],
            keys=[b"k%d" % i for i in range(9)])
    archive = tmp_path / "archive"
    common = ["--bootstrap", kafka_bootstrap, "--runner=DirectRunner"]
    assert main(["archive", "--topic", topic, "--output", str(archive), "--kafka_group_id=archiver", *common]) == 0
    files = list(archive.glob("*.rawrecords.jsonl.gz"))
    assert len(files) == 1
    # A second archive run of the same group has nothing new.
    assert main(["archive", "--topic", topic, "--output", str(archive), "--kafka_group_id=archiver", *common]) == 0
    assert len(list(archive.glob("*.rawrecords.jsonl.gz"))) == 1

    from_topic = run(f"kafka://{kafka_bootstrap}/{topic}", tmp_path / "live")
    from_archive = run_pipeline(pipeline_options(
        ["--runner=DirectRunner", f"--input={archive}", f"--output={tmp_path / 'replayed'}", "--enrich=none"]))
    assert from_archive.records_in == from_topic.records_in == 9
    for name in ("articles", "dead_letters"):
        live = sorted(r["source"]["uri"] for r in read_jsonl(tmp_path / "live", name))
        replayed = sorted(r["source"]["uri"] for r in read_jsonl(tmp_path / "replayed", name))
        assert live == replayed and replayed
    dead = read_jsonl(tmp_path / "replayed", "dead_letters")[0]
    assert dead["source"]["kafka"]["key"] == "k8" and dead["raw_base64"]


def test_metadata_backoff_reaches_kafka_pythons_metadata_refreshes(kafka_topic, kafka_connection):
    """kafka-python 3.0.12 leaves retry_backoff_ms out of its ClusterMetadata: new_consumer sets it."""
    from pipelines.io.kafka import KafkaReadConfig, plan_read, reader_settings
    from pipelines.io.kafka_positions import StartPosition

    topic = kafka_topic(partitions=2)
    config = KafkaReadConfig(connection=kafka_connection, topics=(topic,), start=StartPosition("earliest"))
    assert reader_settings(config)["retry_backoff_ms"] == config.metadata_backoff_ms == 20
    tuned, default = new_consumer(kafka_connection, None, retry_backoff_ms=20), new_consumer(kafka_connection)
    try:
        assert tuned._manager.cluster.config["retry_backoff_ms"] == 20
        assert default._manager.cluster.config["retry_backoff_ms"] == 100  # kafka-python's own default
        assert tuned.partitions_for_topic(topic) == {0, 1}
    finally:
        tuned.close(autocommit=False)
        default.close(autocommit=False)
    assert [(p.topic, p.partition) for p in plan_read(config)] == [(topic, 0), (topic, 1)]


def test_element_timestamps_are_the_kafka_timestamps(kafka_topic, kafka_connection):
    """Records sharing a millisecond share one Timestamp object in the source; each keeps its own."""
    import apache_beam as beam
    from apache_beam.testing.util import assert_that, equal_to

    from pipelines.io.kafka import KafkaReadConfig, ReadFromKafka
    from pipelines.io.kafka_positions import StartPosition
    from tests.conftest import beam_pipeline

    topic = kafka_topic(partitions=1)
    stamps = [BASE_MS, BASE_MS, BASE_MS + 1, BASE_MS + 1, BASE_MS + 1, BASE_MS, BASE_MS + 5000, BASE_MS + 5000]
    produce(kafka_connection, topic, [b"%d" % i for i in range(len(stamps))], timestamps=stamps)
    config = KafkaReadConfig(connection=kafka_connection, topics=(topic,), start=StartPosition("earliest"))
    p = beam_pipeline()
    seen = (p | ReadFromKafka(config)
            | beam.Map(lambda r, ts=beam.DoFn.TimestampParam: (r.source.kafka.offset, r.source.kafka.timestamp_ms,
                                                               ts.micros)))
    assert_that(seen, equal_to([(i, ms, ms * 1000) for i, ms in enumerate(stamps)]))
    p.run().wait_until_finish()
