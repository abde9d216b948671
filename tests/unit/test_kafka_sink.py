"""What the Kafka sink sends: keys, values and lineage headers (pure helpers)."""

from __future__ import annotations

import orjson
import pytest

from pipelines.io.kafka_config import KafkaConfigError, KafkaConnection
from pipelines.io.kafka_sink import WriteToKafka, lineage_headers, producer_config, record_key, record_value
from schemas.records import DeadLetter, KafkaOrigin, SourceRef


def test_article_key_value_and_headers(article_factory):
    article = article_factory("abc123", parser="json/newsapi")
    article.source = SourceRef(uri="kafka://in/0/42", kafka=KafkaOrigin(topic="in", partition=0, offset=42))
    assert record_key(article) == "abc123"
    assert orjson.loads(record_value(article))["id"] == "abc123"
    headers = dict(lineage_headers(article, "1.2.3"))
    assert headers["content-type"] == b"application/json"
    assert headers["newsbeam-record"] == b"Article/v1"
    assert headers["newsbeam-source"] == b"kafka://in/0/42"
    assert headers["newsbeam-origin"] == b"in/0/42"
    assert headers["newsbeam-pipeline-version"] == b"1.2.3"
    assert headers["newsbeam-parser"] == b"json/newsapi"


def test_dead_letter_is_keyed_by_its_source():
    dead = DeadLetter.from_raw("parse", "bad_json", "x", SourceRef(uri="kafka://in/1/9"), b"{")
    assert record_key(dead) == "kafka://in/1/9"
    assert "newsbeam-origin" not in dict(lineage_headers(dead, "v"))


def test_producer_is_idempotent_and_waits_for_all_replicas():
    conf = producer_config(KafkaConnection())
    assert conf["enable_idempotence"] is True and conf["acks"] == "all"


def test_topic_names_are_checked_when_the_pipeline_is_built():
    with pytest.raises(KafkaConfigError):
        WriteToKafka(KafkaConnection(), "no spaces allowed")
