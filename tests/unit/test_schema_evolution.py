"""Schema evolution on committed fixture files (tests/data/schema_evolution/):

- archive lines of schema_version 1 and 0, with optional fields missing, or with no
  schema_version at all, are read with the fields' defaults;
- fields a newer writer added (same schema_version) are ignored, i.e. dropped on reading;
- a newer schema_version is refused as an ``unsupported_schema_version`` dead letter and the
  lines after it are still read; the same holds for our own article JSON read back as input.
"""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from pipelines.commands.run import pipeline_options, run_pipeline
from pipelines.io.archive import BadArchiveLine, UnsupportedArchiveVersion, parse_archive_line, read_archive
from tests.fixtures.kafka import article_json, read_jsonl

DATA = Path(__file__).resolve().parents[1] / "data" / "schema_evolution"


def lines(name: str) -> list[bytes]:
    return (DATA / name).read_bytes().splitlines()


def test_old_archive_lines_are_read_with_defaults_for_missing_fields():
    full, minimal, unversioned, v0 = (parse_archive_line(line) for line in lines("v1-archive.rawrecords.jsonl"))
    assert full.data == article_json(1, "evo") and full.content_type == "application/json"
    assert full.source.kafka.key == "k1" and full.source.kafka.headers == {"content-type": "application/json"}
    assert minimal.data == article_json(2, "evo") and minimal.content_type == "unknown"
    kafka = minimal.source.kafka
    assert (kafka.offset, kafka.timestamp_ms, kafka.key, kafka.headers) == (2, None, None, {})
    assert minimal.source.line is None and minimal.source.index is None
    assert unversioned.schema_version == 1 and unversioned.source.kafka is None
    assert v0.schema_version == 0 and v0.data == article_json(4, "evo")


def test_fields_from_a_newer_writer_are_ignored():
    (line,) = lines("newer-fields.rawrecords.jsonl")
    assert {"ingested_by", "checksum"} <= set(orjson.loads(line))
    raw = parse_archive_line(line)
    dumped = raw.model_dump(mode="json")
    assert "ingested_by" not in dumped and "checksum" not in dumped
    assert "region" not in dumped["source"] and "leader_epoch" not in dumped["source"]["kafka"]
    assert raw.data == article_json(5, "evo") and raw.source.kafka.headers == {"trace-id": "abc"}


def test_a_newer_schema_version_is_refused_and_the_next_line_still_reads():
    newer, current = lines("newer-version.rawrecords.jsonl")
    with pytest.raises(UnsupportedArchiveVersion, match="schema_version 2 is newer"):
        parse_archive_line(newer)
    bad, good = read_archive("newer.rawrecords.jsonl", io.BytesIO(newer + b"\n" + current + b"\n"), 1 << 20)
    assert isinstance(bad, BadArchiveLine) and bad.error == "unsupported_schema_version" and bad.line == newer
    assert good.value.source.kafka.offset == 7


def test_run_over_old_and_new_files(tmp_path):
    summary = run_pipeline(pipeline_options(
        ["--runner=DirectRunner", f"--input={DATA}", f"--output={tmp_path}", "--enrich=none"]))
    articles, dead = read_jsonl(tmp_path, "articles"), read_jsonl(tmp_path, "dead_letters")
    assert summary.records_in == 11 and summary.balanced and len(articles) == 9
    by_uri = {a["source"]["uri"]: a for a in articles}
    for offset in (1, 2, 5, 7):  # archived Kafka records keep their origin
        assert by_uri[f"kafka://news/0/{offset}"]["source"]["kafka"]["offset"] == offset
    assert {"kafka://news/1/0", "/feeds/2024-05-01/story-3.json"} <= set(by_uri)
    old_articles = [a for a in articles if a["source"]["uri"].endswith("articles-v1.jsonl")]
    assert sorted(a["source"]["line"] for a in old_articles) == [1, 2, 3]
    assert all(a["headline"].startswith("Evolved story") for a in old_articles)
    assert sorted((d["stage"], d["error"], Path(d["source"]["uri"]).name, d["source"]["line"]) for d in dead) == [
        ("parse", "unsupported_schema_version", "articles-v1.jsonl", 4),
        ("read", "unsupported_schema_version", "newer-version.rawrecords.jsonl", 1),
    ]
