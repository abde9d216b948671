"""Poison messages on a real broker: each goes to the dead-letter topic with its original bytes and
offset, every good record around it becomes an article, and records in = articles + duplicates +
dead letters. The dead-letter topic is read back by a plain kafka-python consumer."""

from __future__ import annotations

import random
import time

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from pipelines.commands.run import pipeline_options, run_pipeline
from pipelines.io.kafka_sink import producer_config
from tests.fixtures.kafka import article_json, read_jsonl

pytestmark = pytest.mark.kafka

MAX_RECORD_BYTES = 1_000_000
TOPIC_MAX_BYTES = "3000000"  # the huge message (1.5 MB) exceeds the broker default of 1 MiB
GARBAGE_HEADERS = [("content-type", b"\xff\xfe\x00not a type"), ("\u00e9trange", b"\x00\x01\x80"), ("empty", b"")]


def poison_and_good(tag: str) -> list[tuple[str, bytes | None, list[tuple[str, bytes]], bytes | None]]:
    """(kind, value, headers, key) in topic order; every poison record is followed by a good one."""
    good = iter(range(100))

    def ok(headers: list[tuple[str, bytes]] | None = None) -> tuple:
        return ("good", article_json(next(good), tag), headers or [], None)

    huge_body = " ".join(["The council met again to discuss the harbour budget."] * 30_000)  # ~1.6 MB
    huge = orjson.dumps({"title": "A very long report", "content": huge_body})
    assert len(huge) > 1_500_000
    return [
        ok(),
        ("binary", b"\x00\x01\x02\x03\xc3\x28\xa0\xa1\x80\xff\x00\x00" * 40, [], b"bin-key\xff"),
        ok(),
        ("unsupported_schema_version",
         orjson.dumps({**orjson.loads(article_json(900, tag)), "schema_version": 99}), [], b"v99"),
        ok(),
        ("too_large", huge, [("content-type", b"application/json")], b"huge"),
        ok(),
        ("empty", None, [], b"tombstone-key"),  # a tombstone
        ok(),
        ("binary", bytes(range(256)) * 4, GARBAGE_HEADERS, None),  # garbage headers and a binary value
        ok(GARBAGE_HEADERS),  # garbage headers alone do not make a good value poison
        ("bad_json", b'{"title": "Cut off", "content": "The council', [], None),  # truncated JSON
        ok(),
        ("copy", article_json(0, tag), [], None),  # the first record again: a duplicate
    ]


def produce_records(connection, topic: str, records: list[tuple]) -> None:
    producer = KafkaProducer(**producer_config(connection, linger_ms=5, max_request_size=4_000_000))
    try:
        # One at a time, in order: the offsets are the list positions.
        for _, value, headers, key in records:
            producer.send(topic, value=value, headers=headers, key=key).get(timeout=30)
    finally:
        producer.close()


def consume_all(connection, topic: str, count: int, timeout_s: float = 60) -> list:
    consumer = KafkaConsumer(**connection.client_config(), enable_auto_commit=False, fetch_max_bytes=8_000_000)
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    got: list = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(got) < count and time.monotonic() < deadline:
            got.extend(consumer.poll(timeout_ms=500).get(tp, ()))
        time.sleep(1)  # nothing more may arrive: exactly one dead-letter record per poison record
        got.extend(consumer.poll(timeout_ms=1000).get(tp, ()))
    finally:
        consumer.close()
    return got


def test_poison_messages_go_to_the_dead_letter_topic_and_the_stream_continues(
        kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    source = kafka_topic(1, **{"max.message.bytes": TOPIC_MAX_BYTES})
    dlq = kafka_topic(1, **{"max.message.bytes": TOPIC_MAX_BYTES})
    records = poison_and_good(source)
    produce_records(kafka_connection, source, records)
    good = {o for o, r in enumerate(records) if r[0] == "good"}
    (copy,) = [o for o, r in enumerate(records) if r[0] == "copy"]
    poison = {o: r for o, r in enumerate(records) if r[0] not in ("good", "copy")}
    dups = kafka_topic(1)

    summary = run_pipeline(pipeline_options([
        "--runner=DirectRunner", f"--source=kafka://{kafka_bootstrap}/{source}", f"--output={tmp_path}",
        "--enrich=none", f"--max_record_bytes={MAX_RECORD_BYTES}",
        f"--dead_letter_topic=kafka://{kafka_bootstrap}/{dlq}", f"--duplicates_topic={dups}"]))

    articles, duplicates = read_jsonl(tmp_path, "articles"), read_jsonl(tmp_path, "duplicates")
    dead = read_jsonl(tmp_path, "dead_letters")
    print(f"\nrecords in {summary.records_in}: articles {len(articles)}, duplicates {len(duplicates)}, "
          f"dead letters {len(dead)} ({len(good)} good, {len(poison)} poison produced)")
    assert summary.records_in == len(records) == len(articles) + len(duplicates) + len(dead)
    assert summary.balanced and len(duplicates) == 1
    (duplicate,) = duplicates
    kept = {a["source"]["kafka"]["offset"] for a in articles}
    assert kept | {duplicate["source"]["kafka"]["offset"]} == good | {copy} and len(kept) == len(good)
    assert {d["source"]["kafka"]["offset"]: d["error"] for d in dead} == {o: r[0] for o, r in poison.items()}
    # The stream goes on: the record after every poison record is an article.
    assert all(o + 1 in good for o in poison)

    on_topic = consume_all(kafka_connection, dlq, len(poison))
    assert len(on_topic) == len(poison)
    by_offset = {}
    for msg in on_topic:
        headers = dict(msg.headers)
        t, p, o = headers["newsbeam-origin"].decode().split("/")
        assert (t, p) == (source, "0") and msg.key == f"kafka://{source}/0/{o}".encode()
        by_offset[int(o)] = (msg, headers)
    assert set(by_offset) == set(poison)
    for offset, (kind, value, headers, key) in poison.items():
        msg, got = by_offset[offset]
        assert msg.value == value, f"offset {offset}: original bytes changed"  # a tombstone stays null
        assert got["newsbeam-dl-error"] == kind.encode() and got["newsbeam-dl-stage"] == b"parse"
        assert got["newsbeam-record"] == b"DeadLetter/v1"
        assert got["newsbeam-source"] == f"kafka://{source}/0/{offset}".encode()
        assert got.get("newsbeam-dl-key") == key
        assert got["newsbeam-dl-raw"] == (b"refetched" if kind == "too_large" else b"complete")
        for name, original in headers:  # the source record's headers, byte for byte
            assert got[name] == original
    (dup_msg,) = consume_all(kafka_connection, dups, 1)
    assert dup_msg.key == duplicate["id"].encode() and orjson.loads(dup_msg.value) == duplicate
    # The JSON Lines dead letter of the huge record is cut to the bound; the topic has it whole.
    (huge,) = [d for d in dead if d["error"] == "too_large"]
    assert "truncated to 1000000 bytes" in huge["message"] and len(huge["raw"]) == MAX_RECORD_BYTES


def test_a_dead_letter_the_topic_refuses_fails_the_run_and_commits_nothing(
        kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    from tests.fixtures.kafka import committed

    # Random bytes: the producer's gzip cannot shrink them under the topic's limit.
    source, dlq = kafka_topic(1), kafka_topic(1, **{"max.message.bytes": "2000"})
    produce_records(kafka_connection, source, [("good", article_json(0, source), [], None),
                                               ("binary", random.Random(0).randbytes(6000), [], None)])
    with pytest.raises(Exception, match=r"could not be written to Kafka topic|MessageSizeTooLarge"):
        run_pipeline(pipeline_options([
            "--runner=DirectRunner", f"--source=kafka://{kafka_bootstrap}/{source}", f"--output={tmp_path}",
            "--enrich=none", "--kafka_group_id=g-dlq-fails", f"--dead_letter_topic={dlq}"]))
    assert consume_all(kafka_connection, dlq, 1, timeout_s=3) == []
    # Not dropped: the group did not move, so the next run reads the poison record again.
    assert committed(kafka_connection, "g-dlq-fails", source, 1) == {0: None}
