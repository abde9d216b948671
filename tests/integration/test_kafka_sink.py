"""WriteToKafka against a real broker, read back by Kafka's own console consumer (Java)."""

from __future__ import annotations

import subprocess

import apache_beam as beam
import orjson
import pytest

from pipelines.io.kafka_sink import WriteToKafka
from tests.conftest import beam_pipeline
from tests.fixtures.kafka import produce

pytestmark = pytest.mark.kafka


def console_consume(classpath: str, bootstrap: str, topic: str, count: int) -> list[tuple[dict, str, dict]]:
    """(headers, key, value) of ``count`` messages, read by org.apache.kafka.tools.consumer.ConsoleConsumer."""
    done = subprocess.run(
        ["java", "-Xmx256m", "-cp", classpath, "org.apache.kafka.tools.consumer.ConsoleConsumer",
         "--bootstrap-server", bootstrap, "--topic", topic, "--from-beginning", "--max-messages", str(count),
         "--timeout-ms", "30000", "--formatter-property", "print.key=true",
         "--formatter-property", "print.headers=true"],
        capture_output=True, text=True, timeout=120)
    messages = []
    for line in done.stdout.splitlines():
        if line.count("\t") < 2:  # the tool's own notices
            continue
        headers, key, value = line.split("\t", 2)
        # Default header format: name:value,name:value (no header value here holds a comma).
        messages.append((dict(h.split(":", 1) for h in headers.split(",")), key, orjson.loads(value)))
    assert len(messages) == count, done.stderr[-2000:]
    return messages


def test_articles_written_by_the_sink_are_read_by_kafkas_console_consumer(
        kafka_topic, kafka_connection, kafka_bootstrap, kafka_classpath, article_factory):
    topic = kafka_topic(partitions=3)
    articles = [article_factory(f"id{i:03d}", body=f"Body of article {i}.") for i in range(12)]
    with beam_pipeline() as p:
        _ = p | beam.Create(articles) | WriteToKafka(kafka_connection, topic)
    messages = console_consume(kafka_classpath, kafka_bootstrap, topic, 12)
    assert sorted(key for _, key, _ in messages) == [a.id for a in articles]
    for headers, key, value in messages:
        assert value["id"] == key and value["body"].startswith("Body of article")
        assert headers["content-type"] == "application/json"
        assert headers["newsbeam-record"] == "Article/v1"
        assert headers["newsbeam-source"] == f"file:///{key}.txt"


def test_full_pipeline_writes_articles_to_a_topic(kafka_topic, kafka_connection, kafka_bootstrap, kafka_classpath,
                                                  tmp_path):
    from pipelines.commands.run import pipeline_options, run_pipeline
    from tests.fixtures.kafka import article_json

    source, sink = kafka_topic(partitions=2), kafka_topic(partitions=1)
    produce(kafka_connection, source, [article_json(i, source) for i in range(5)])
    summary = run_pipeline(pipeline_options([
        "--runner=DirectRunner", f"--source=kafka://{kafka_bootstrap}/{source}", f"--output={tmp_path}",
        f"--sink=kafka://{kafka_bootstrap}/{sink}", "--enrich=none"]))
    assert summary.records_in == 5
    messages = console_consume(kafka_classpath, kafka_bootstrap, sink, 5)
    origins = sorted(h["newsbeam-origin"] for h, _, _ in messages)
    assert origins == sorted(v["source"]["uri"].removeprefix("kafka://") for _, _, v in messages)
    assert all(o.startswith(f"{source}/") for o in origins)


def test_a_failed_send_fails_the_bundle(kafka_topic, kafka_connection, article_factory):
    topic = kafka_topic()
    too_big = article_factory("big", body="x " * 600_000)  # over the producer's 1 MiB request limit
    with pytest.raises(Exception, match=r"MessageSizeTooLarge|could not be written"), beam_pipeline() as p:
        _ = p | beam.Create([article_factory("ok"), too_big]) | WriteToKafka(kafka_connection, topic)
