"""Dead-letter topic records: original bytes, key, headers (pure functions; the broker test is in
tests/integration/test_kafka_poison.py)."""

from __future__ import annotations

import pytest

from pipelines.io.dead_letter_topic import (
    dead_letter_key,
    dead_letter_message,
    header_bytes,
    original_headers,
    parse_dead_letter_topic,
)
from pipelines.io.kafka import _text_or_b64
from pipelines.io.kafka_config import KafkaConfigError
from schemas.records import DeadLetter, KafkaHeader, KafkaOrigin, SourceRef


def kafka_dead_letter(data: bytes, max_raw: int | None = None, **origin) -> DeadLetter:
    fields = {"topic": "news", "partition": 2, "offset": 41, "timestamp_ms": 1714521600000, "key": "k1",
              "headers": {}} | origin
    source = SourceRef(uri="kafka://news/2/41", kafka=KafkaOrigin(**fields))
    return DeadLetter.from_raw("parse", "binary", "input looks binary", source, data, max_raw)


@pytest.mark.parametrize("spec,expected", [
    ("kafka://10.0.0.1:9092,10.0.0.2:9092/news.dlq", ("10.0.0.1:9092,10.0.0.2:9092", "news.dlq")),
    ("kafka:///news-dlq", (None, "news-dlq")),
    ("news_dlq", (None, "news_dlq")),
])
def test_parse_dead_letter_topic(spec, expected):
    assert parse_dead_letter_topic(spec) == expected


@pytest.mark.parametrize("spec", ["kafka://h:1/a,b", "bad topic", "kafka://h:1/"])
def test_parse_dead_letter_topic_refuses(spec):
    with pytest.raises(KafkaConfigError):
        parse_dead_letter_topic(spec)


@pytest.mark.parametrize("original", [b"plain", b"\xff\x00\x80", b"", "é".encode()])
def test_header_bytes_inverts_the_sources_text_or_base64_form(original):
    assert header_bytes(_text_or_b64(original)) == original
    assert header_bytes(None) is None


def test_value_is_the_original_bytes_text_or_binary():
    for data in (b"\x00\x01\xff binary", "caf\u00e9 text".encode()):
        key, value, _ = dead_letter_message(kafka_dead_letter(data), "1.0")
        assert value == data and key == b"kafka://news/2/41"


def test_headers_keep_the_originals_then_reason_and_origin():
    garbage = {"content-type": _text_or_b64(b"\xff\xfe"), "x": "text"}
    dl = kafka_dead_letter(b"\x00", key=_text_or_b64(b"\xffkey"), headers=garbage)
    _, _, headers = dead_letter_message(dl, "9.9")
    assert headers[:2] == original_headers(dl.source.kafka) == [("content-type", b"\xff\xfe"), ("x", b"text")]
    got = dict(headers[2:])
    assert got["newsbeam-dl-stage"] == b"parse" and got["newsbeam-dl-error"] == b"binary"
    assert got["newsbeam-dl-message"] == b"input looks binary"
    assert got["newsbeam-origin"] == b"news/2/41" and got["newsbeam-source"] == b"kafka://news/2/41"
    assert got["newsbeam-dl-timestamp-ms"] == b"1714521600000" and got["newsbeam-dl-key"] == b"\xffkey"
    assert got["newsbeam-dl-raw"] == b"complete" and got["newsbeam-record"] == b"DeadLetter/v1"
    assert got["newsbeam-pipeline-version"] == b"9.9"


def test_truncated_raw_is_marked_and_a_refetched_value_replaces_it():
    data = bytes(range(256)) * 4
    dl = kafka_dead_letter(data, max_raw=100)
    assert dl.raw_truncated and dl.raw_bytes() == data[:100]
    _, value, headers = dead_letter_message(dl, "1")
    assert value == data[:100] and dict(headers)["newsbeam-dl-raw"] == b"truncated"
    _, value, headers = dead_letter_message(dl, "1", refetched=data)
    assert value == data and dict(headers)["newsbeam-dl-raw"] == b"refetched"


def test_file_dead_letters_are_keyed_by_path_and_line():
    dl = DeadLetter.from_raw("read", "too_large", "line too long", SourceRef(uri="/in/a.jsonl", line=7), b"{")
    assert dead_letter_key(dl) == b"/in/a.jsonl#line=7"
    _, value, headers = dead_letter_message(dl, "1")
    assert value == b"{" and "newsbeam-origin" not in dict(headers)


def test_repeated_header_names_go_out_in_order():
    pairs = [KafkaHeader(name="t", value="1"), KafkaHeader(name="x", value=_text_or_b64(b"\x80")),
             KafkaHeader(name="t", value="2")]
    dl = kafka_dead_letter(b"\x00", headers={"t": "2", "x": _text_or_b64(b"\x80")}, header_list=pairs)
    _, _, headers = dead_letter_message(dl, "1")
    assert headers[:3] == original_headers(dl.source.kafka) == [("t", b"1"), ("x", b"\x80"), ("t", b"2")]


def test_a_null_value_goes_out_null_and_an_empty_one_empty():
    _, value, _ = dead_letter_message(kafka_dead_letter(b"", null_value=True), "1")
    assert value is None
    _, value, _ = dead_letter_message(kafka_dead_letter(b""), "1")
    assert value == b""
