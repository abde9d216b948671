"""Kafka connection settings: URIs, times, and secrets that never leak."""

from __future__ import annotations

import pickle

import pytest

from pipelines.io.kafka_config import (
    KafkaConfigError,
    KafkaConnection,
    format_time_ms,
    parse_kafka_uri,
    parse_time_ms,
)


def test_parse_kafka_uri():
    uri = parse_kafka_uri("kafka://h1:9092,h2:9092/news,wire")
    assert uri.bootstrap_servers == "h1:9092,h2:9092" and uri.topics == ("news", "wire")
    assert parse_kafka_uri("kafka:///news").bootstrap_servers is None


@pytest.mark.parametrize("bad", ["http://h/t", "kafka://h:1/", "kafka://h:1/bad topic", "kafka://h/.."])
def test_parse_kafka_uri_rejects(bad):
    with pytest.raises(KafkaConfigError):
        parse_kafka_uri(bad)


def test_times():
    assert parse_time_ms("2024-05-01T00:00:00Z") == 1714521600000
    assert parse_time_ms("2024-05-01T02:00:00+02:00") == 1714521600000
    assert parse_time_ms("2024-05-01T00:00:00") == 1714521600000  # naive means UTC
    assert parse_time_ms("1714521600000") == 1714521600000
    assert format_time_ms(1714521600000) == "2024-05-01T00:00:00.000Z"
    with pytest.raises(KafkaConfigError):
        parse_time_ms("yesterday")


def test_sasl_password_from_env_is_never_stored_or_shown(monkeypatch):
    conn = KafkaConnection(bootstrap_servers="b:9093", security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512",
                           sasl_username="reader", sasl_password_env="TEST_KAFKA_PW")
    monkeypatch.setenv("TEST_KAFKA_PW", "s3cret-value")
    conf = conn.client_config()
    assert conf["sasl_plain_password"] == "s3cret-value" and conf["sasl_mechanism"] == "SCRAM-SHA-512"
    assert "s3cret" not in repr(conn) and b"s3cret" not in pickle.dumps(conn)
    monkeypatch.delenv("TEST_KAFKA_PW")
    with pytest.raises(KafkaConfigError, match="TEST_KAFKA_PW"):
        conn.client_config()


def test_sasl_password_from_file(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("from-file\n")
    conn = KafkaConnection(security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN", sasl_username="u",
                           sasl_password_file=str(secret))
    assert conn.client_config()["sasl_plain_password"] == "from-file"


def test_invalid_security_settings():
    with pytest.raises(KafkaConfigError, match="sasl_mechanism"):
        KafkaConnection(security_protocol="SASL_SSL", sasl_username="u")
    with pytest.raises(KafkaConfigError, match="one of"):
        KafkaConnection(security_protocol="TLS")
    with pytest.raises(KafkaConfigError, match="not found"):
        KafkaConnection(security_protocol="SSL", ssl_cafile="/nonexistent/ca.pem").client_config()
