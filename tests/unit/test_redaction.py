"""Secrets never reach a log line: passwords in DSNs, URIs and config dumps, and every secret value
newsbeam read, are masked by the filter on the root logger's handlers."""

from __future__ import annotations

import io
import logging

import pytest

from pipelines.io.kafka_config import KafkaConnection
from pipelines.redaction import RedactingFilter, install_log_redaction, redact, remember


@pytest.mark.parametrize(("text", "expected"), [
    ("{'sasl_plain_password': 'a\\'b', 'client_id': 'x'}", "{'sasl_plain_password': '***', 'client_id': 'x'}"),
    ('{"password": "json-secret"}', '{"password": "***"}'),
    ("host=db password=s3cr&t;x dbname=news", "host=db password=*** dbname=news"),
    ("user=u password='with space' port=5", "user=u password='***' port=5"),
    ("postgresql://newsbeam:p%40ss@127.0.0.1:15432/db?sslmode=require",
     "postgresql://newsbeam:***@127.0.0.1:15432/db?sslmode=require"),
    ("postgresql://u@h/db?passfile=/x/pgpass&password=zz", "postgresql://u@h/db?passfile=/x/pgpass&password=***"),
    ("kafka://127.0.0.1:19392/news", "kafka://127.0.0.1:19392/news"),  # a port is no password
    ("--kafka_sasl_password_file=/run/secrets/kafka", "--kafka_sasl_password_file=/run/secrets/kafka"),
    ("password=***", "password=***"),
])
def test_password_shapes_are_masked(text, expected):
    assert redact(text) == expected


def test_remembered_secrets_are_masked_anywhere_and_short_values_are_not_secrets():
    remember("Remembered-Secret-31")
    remember("abc")
    assert redact("got Remembered-Secret-31 from the env; abc") == "got *** from the env; abc"


def test_the_kafka_password_is_remembered_when_read(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("From-File-Secret-77\n")
    conn = KafkaConnection(security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="u",
                           sasl_password_file=str(secret))
    assert conn.client_config()["sasl_plain_password"] == "From-File-Secret-77"
    assert redact("broker said From-File-Secret-77") == "broker said ***"


def test_log_records_and_their_traces_are_masked(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "Env-PG-Secret-42")
    logger = logging.getLogger("newsbeam.test.redaction")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        install_log_redaction(logger)
        install_log_redaction(logger)  # idempotent: one filter per handler
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        logger.debug("Starting client with configuration: %s", {"sasl_plain_password": "Dump-Secret-1"})
        try:
            raise ConnectionError("cannot use postgresql://u:Trace-Secret-2@h/db (PGPASSWORD Env-PG-Secret-42)")
        except ConnectionError:
            logger.exception("sink failed")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "'sasl_plain_password': '***'" in out and "postgresql://u:***@h/db" in out and "Traceback" in out
    assert not any(s in out for s in ("Dump-Secret-1", "Trace-Secret-2", "Env-PG-Secret-42"))
