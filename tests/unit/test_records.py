from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest
from pydantic import ValidationError

from pipelines.io.jsonl import to_json_line
from schemas.coders import ModelCoder, RawRecordCoder, register_coders
from schemas.records import (
    Article,
    DeadLetter,
    DedupeInfo,
    EnrichedArticle,
    Entity,
    KafkaOrigin,
    RawRecord,
    SourceRef,
    Topic,
)
from tests.conftest import make_article


def test_published_at_is_normalised_to_utc_and_serialised_with_z():
    tz = timezone(timedelta(hours=2))
    a = make_article(published_at=datetime(2024, 11, 10, 16, 13, tzinfo=tz))
    assert a.published_at == datetime(2024, 11, 10, 14, 13, tzinfo=UTC)
    assert orjson.loads(to_json_line(a))["published_at"] == "2024-11-10T14:13:00Z"


def test_naive_datetime_is_rejected():
    with pytest.raises(ValidationError):
        make_article(published_at=datetime(2024, 11, 10, 14, 13))


def test_unknown_fields_from_a_newer_writer_are_ignored_and_old_versions_load():
    line = to_json_line(make_article())
    doc = orjson.loads(line)
    doc["field_from_the_future"] = {"x": 1}
    doc["schema_version"] = 0
    back = Article.model_validate(doc)
    assert back.id == "a1" and back.schema_version == 0


def test_enriched_article_coder_round_trip_without_pickle():
    register_coders()
    art = make_article(dedupe=DedupeInfo(cluster_id="c-1"))
    enriched = EnrichedArticle(
        **dict(art),
        entities=[Entity(name="Vladimir Putin", type="PERSON", mentions=3, salience=0.9)],
        topics=[Topic(code="medtop:11000000", label="politics", score=0.8)])
    coder = ModelCoder(EnrichedArticle)
    encoded = coder.encode(enriched)
    assert b"\x80" not in encoded[:2]  # not a pickle stream
    assert orjson.loads(encoded)["entities"][0]["name"] == "Vladimir Putin"
    assert coder.decode(encoded) == enriched


def test_raw_record_coder_keeps_bytes_and_kafka_origin():
    raw = RawRecord(
        data=b"\xff\x00binary",
        source=SourceRef(uri="kafka://news/0/42", kafka=KafkaOrigin(
            topic="news", partition=0, offset=42, timestamp_ms=1, key="k", headers={"h": "v"})),
        content_type="unknown")
    assert RawRecordCoder().decode(RawRecordCoder().encode(raw)) == raw


def test_raw_record_json_uses_base64():
    raw = RawRecord(data=b"\xff", source=SourceRef(uri="x"))
    doc = orjson.loads(raw.model_dump_json())
    assert doc["data"] == "/w=="
    assert RawRecord.model_validate(doc).data == b"\xff"


def test_dead_letter_keeps_text_or_base64():
    src = SourceRef(uri="f.txt")
    text = DeadLetter.from_raw("parse", "empty", "no text", src, "héllo".encode())
    assert text.raw == "héllo" and text.raw_base64 is None
    binary = DeadLetter.from_raw("decode", "binary", "not text", src, b"\xff\xfe\x00")
    assert binary.raw is None and binary.raw_base64 == "//4A"


def test_dead_letter_truncates_huge_raw_input_and_says_so():
    dl = DeadLetter.from_raw("read", "too_large", "big", SourceRef(uri="f"), b"x" * 100, max_raw_bytes=10)
    assert dl.raw == "x" * 10 and "truncated" in dl.message


def test_coders_are_registered_for_the_record_types():
    import apache_beam as beam

    register_coders()
    assert isinstance(beam.coders.registry.get_coder(Article), ModelCoder)
    assert isinstance(beam.coders.registry.get_coder(RawRecord), RawRecordCoder)
    assert isinstance(beam.coders.registry.get_coder(DeadLetter), ModelCoder)
