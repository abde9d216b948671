"""``newsbeam produce``: files into a topic as the file source would read them; archives restored."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.io.kafka import new_consumer

pytestmark = pytest.mark.kafka
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "input"


def consume_all(connection, topic: str) -> list:
    from kafka import TopicPartition

    consumer = new_consumer(connection)
    tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    end = consumer.end_offsets(tps)
    consumer.assign(tps)
    consumer.seek_to_beginning()
    records = []
    while any(consumer.position(tp) < end[tp] for tp in tps):
        for batch in consumer.poll(timeout_ms=1000).values():
            records.extend(batch)
    consumer.close()
    return sorted(records, key=lambda r: (r.partition, r.offset))


def test_produce_sample_files_and_restore_an_archive(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    from pipelines.commands.produce import iter_messages

    expected = sum(1 for _, m in iter_messages([str(SAMPLES)]) if m.value or m.key is not None)
    topic = kafka_topic(partitions=2)
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", topic, "--quiet",
                 "--timestamp", "2024-05-01T00:00:00Z", "--timestamp-step-ms", "1000", str(SAMPLES)]) == 0
    records = consume_all(kafka_connection, topic)
    assert len(records) == expected > 10
    assert sorted(r.timestamp for r in records) == [1714521600000 + i * 1000 for i in range(expected)]
    jsonl = [r for r in records if r.key and b".jsonl:" in r.key]
    assert jsonl and all(dict(r.headers)["content-type"] == b"application/json" for r in jsonl)
    assert {dict(r.headers)["newsbeam-source"].decode().rsplit("/", 1)[-1] for r in records} >= {
        "newsapi_top_headlines.json", "binary_blob.txt"}

    # archive -> produce into a new topic: same values, keys, headers and timestamps.
    archive = tmp_path / "archive"
    assert main(["archive", "--topic", topic, "--bootstrap", kafka_bootstrap, "--output", str(archive),
                 "--runner=DirectRunner"]) == 0
    restored_topic = kafka_topic(partitions=1)
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", restored_topic, "--quiet", str(archive)]) == 0
    restored = consume_all(kafka_connection, restored_topic)
    key = lambda r: (r.timestamp, r.key)  # noqa: E731
    assert [(r.key, r.value, sorted(r.headers), r.timestamp) for r in sorted(restored, key=key)] == [
        (r.key, r.value, sorted(r.headers), r.timestamp) for r in sorted(records, key=key)]


def test_produce_refuses_a_bad_topic_name(kafka_bootstrap):
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", "bad topic", str(SAMPLES)]) == 1
