"""Errors for humans: known failures map to one line with the fix; unknown flags are reported."""

from __future__ import annotations

import pytest

from pipelines.errors import (
    KAFKA_FIX,
    POSTGRES_FIX,
    POSTGRES_PASSWORD_FIX,
    OptionError,
    check_pipeline_flags,
    explain,
)


def test_missing_broker_names_the_fix():
    from kafka.errors import KafkaTimeoutError, MetadataEmptyBrokerList

    assert explain(MetadataEmptyBrokerList()).endswith(KAFKA_FIX)
    line = explain(KafkaTimeoutError("Unable to bootstrap from ['127.0.0.1:1']"))
    assert line.startswith("cannot reach a Kafka broker") and "127.0.0.1:1" in line


def test_unreachable_bootstrap_servers_are_reported_after_the_wait():
    import socket

    from pipelines.io.kafka_config import KafkaConnection
    from pipelines.io.kafka_login import KafkaUnreachableError, wait_until_reachable

    with socket.socket() as listening:  # one server of two answers: reachable
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        wait_until_reachable(KafkaConnection(bootstrap_servers=f"127.0.0.1:1,127.0.0.1:{port}"), wait_s=0)
    with pytest.raises(KafkaUnreachableError) as caught:
        wait_until_reachable(KafkaConnection(bootstrap_servers="127.0.0.1:1"), wait_s=0)
    assert explain(caught.value) == (
        f"cannot reach a Kafka broker (no broker accepted a connection at 127.0.0.1:1 within 0 s): {KAFKA_FIX}")


def test_wrong_dsn_names_the_fix_also_through_a_wrapper():
    import psycopg

    try:
        try:
            raise psycopg.OperationalError('connection failed: connection to server at "db", port 5432 failed\nmore')
        except psycopg.Error as exc:
            raise ConnectionError("sink postgres:host=db") from exc
    except ConnectionError as wrapped:
        line = explain(wrapped)
    assert line.startswith("cannot connect to PostgreSQL (connection failed")
    assert line.endswith(POSTGRES_FIX) and "\n" not in line


def test_refused_postgres_password_names_the_fix_without_any_password():
    import psycopg

    refused = psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 15432 failed: '
                                       'FATAL:  password authentication failed for user "newsbeam"')
    assert explain(refused) == ("PostgreSQL refused the login of user newsbeam at 127.0.0.1:15432 (wrong password): "
                                + POSTGRES_PASSWORD_FIX)
    missing = psycopg.OperationalError('connection failed: connection to server at "h", port 5432 failed: '
                                       "fe_sendauth: no password supplied")
    assert explain(missing).startswith("PostgreSQL refused the login at h:5432 (no password given): put the role's")


def test_paths():
    assert "check the path" in explain(FileNotFoundError("no input files match: x/"))
    assert "permission denied" in explain(PermissionError(13, "Permission denied", "/secret.txt"))
    assert "/secret.txt" in explain(PermissionError(13, "Permission denied", "/secret.txt"))
    assert "is a directory" in explain(IsADirectoryError(21, "Is a directory", "/tmp"))


def test_errors_from_inside_a_running_pipeline_are_read_from_the_trace():
    text = ("Error running pipeline.\nTraceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
            "psycopg.OperationalError: connection failed: password authentication failed for user \"nb\" "
            "[while running 'Sinks/Postgres/Write']")
    assert explain(RuntimeError(text)) == (
        f"PostgreSQL refused the login of user nb (wrong password): {POSTGRES_PASSWORD_FIX}")
    other = ("Traceback (most recent call last):\n  File \"y.py\"\nValueError: bad thing\n"
             "[while running 'Parse/Parse']")
    want = "ValueError in step Parse/Parse: bad thing (rerun with --debug for the trace)"
    assert explain(RuntimeError(other)) == want


def test_other_errors_keep_one_line():
    assert explain(ValueError("first\nsecond")) == "first"
    assert explain(KeyError()) == "KeyError"


def test_unknown_flags_warn_with_the_closest_known_flag():
    warnings = check_pipeline_flags(["--input", "a", "--ouput", "b", "--runner=DirectRunner", "--frobnicate"])
    assert warnings == ["unknown option --ouput is ignored; did you mean --output?",
                        "unknown option --frobnicate is ignored"]
    assert check_pipeline_flags(["--input", "a", "--output=b", "--direct_num_workers=2"]) == []


def test_bad_option_values_are_one_line_errors():
    with pytest.raises(OptionError, match="option --num_shards: invalid int value: 'abc'"):
        check_pipeline_flags(["--num_shards", "abc"])
    with pytest.raises(OptionError, match="invalid choice"):
        check_pipeline_flags(["--enrich=maybe"])
    assert "help-options" in explain(OptionError("option --x: bad"))
