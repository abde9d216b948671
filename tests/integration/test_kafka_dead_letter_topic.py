"""The dead-letter topic on a real broker keeps what a Kafka record can say and a dict or empty
bytes cannot: a null value (tombstone) stays null, an empty value stays empty, and repeated header
names keep every pair in order. An archive of the same records, produced again, restores them too."""

from __future__ import annotations

import pytest

from pipelines.cli import main
from pipelines.commands.run import pipeline_options, run_pipeline
from tests.fixtures.kafka import article_json, read_jsonl
from tests.integration.test_kafka_poison import consume_all, produce_records
from tests.integration.test_kafka_produce import consume_all as consume_topic

pytestmark = pytest.mark.kafka

REPEATED = [("trace", b"first"), ("content-type", b"text/plain"), ("trace", b"\xff\x00second"), ("trace", b"")]


def test_tombstones_and_repeated_headers_reach_the_dead_letter_topic_intact(
        kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    source, dlq = kafka_topic(1), kafka_topic(1)
    # offsets: 0 tombstone, 1 empty value, 2 binary with repeated headers, 3 a good record
    produce_records(kafka_connection, source, [
        ("empty", None, [("why", b"deleted")], b"tomb"), ("empty", b"", [], b"blank"),
        ("binary", b"\x00\x01\xff\xfe binary" * 10, REPEATED, b"rep"),
        ("good", article_json(0, source), REPEATED, b"good")])

    summary = run_pipeline(pipeline_options([
        "--runner=DirectRunner", f"--source=kafka://{kafka_bootstrap}/{source}", f"--output={tmp_path / 'out'}",
        "--enrich=none", f"--dead_letter_topic=kafka://{kafka_bootstrap}/{dlq}"]))
    assert summary.balanced and summary.records_in == 4

    dead = {d["source"]["kafka"]["offset"]: d for d in read_jsonl(tmp_path / "out", "dead_letters")}
    assert sorted(dead) == [0, 1, 2]
    assert dead[0]["source"]["kafka"]["null_value"] is True and dead[1]["source"]["kafka"]["null_value"] is False
    (article,) = read_jsonl(tmp_path / "out", "articles")
    assert [(h["name"], h["value"]) for h in article["source"]["kafka"]["header_list"]] == [
        ("trace", "first"), ("content-type", "text/plain"), ("trace", "base64:/wBzZWNvbmQ="), ("trace", "")]

    on_topic = {m.key: m for m in consume_all(kafka_connection, dlq, 3)}
    assert set(on_topic) == {f"kafka://{source}/0/{o}".encode() for o in range(3)}
    tombstone, blank, repeated = (on_topic[f"kafka://{source}/0/{o}".encode()] for o in range(3))
    print(f"\ndead-letter values: tombstone {tombstone.value!r}, empty {blank.value!r}; "
          f"headers of the repeated-name record: {repeated.headers[:len(REPEATED)]}")
    assert tombstone.value is None and blank.value == b""
    assert tombstone.headers[0] == ("why", b"deleted") and dict(tombstone.headers)["newsbeam-dl-error"] == b"empty"
    assert repeated.headers[:len(REPEATED)] == REPEATED  # every pair, in order, byte for byte
    assert dict(repeated.headers[len(REPEATED):])["newsbeam-dl-error"] == b"binary"

    # archive -> produce: the tombstone and the repeated headers come back as they were.
    archive, restored = tmp_path / "archive", kafka_topic(1)
    assert main(["archive", "--topic", source, "--bootstrap", kafka_bootstrap, "--output", str(archive),
                 "--runner=DirectRunner"]) == 0
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", restored, "--quiet", str(archive)]) == 0
    order = {b"tomb": 0, b"blank": 1, b"rep": 2, b"good": 3}
    again = sorted(consume_topic(kafka_connection, restored), key=lambda r: order[r.key])
    original = consume_topic(kafka_connection, source)
    assert [(r.key, r.value, r.headers) for r in again] == [(r.key, r.value, r.headers) for r in original]
    assert again[0].value is None and again[1].value == b"" and again[2].headers == REPEATED
