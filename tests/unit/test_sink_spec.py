"""--sink specs: parsing, validation and password-free descriptions."""

from __future__ import annotations

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.io.sink_spec import SinkSpec, SinkSpecError, parse_sink_spec, parse_sink_specs, redact_dsn
from pipelines.options import SinkOptions


@pytest.mark.parametrize(("spec", "expected"), [
    ("jsonl:/data/out", SinkSpec("jsonl", "/data/out")),
    ("parquet:gs://bucket/news", SinkSpec("parquet", "gs://bucket/news")),
    ("PARQUET: out/pq ", SinkSpec("parquet", "out/pq")),
    ("postgres:postgresql://nb@127.0.0.1:15432/newsbeam", SinkSpec("postgres", "postgresql://nb@127.0.0.1:15432/newsbeam")),
    ("postgres:host=db dbname=news user=nb", SinkSpec("postgres", "host=db dbname=news user=nb")),
    ("postgres:", SinkSpec("postgres", "")),
    ("postgresql://nb@db/news", SinkSpec("postgres", "postgresql://nb@db/news")),
    ("postgres://nb@db/news", SinkSpec("postgres", "postgres://nb@db/news")),
    ("kafka://127.0.0.1:19092/enriched", SinkSpec("kafka", "127.0.0.1:19092", "enriched")),
    ("kafka://b1:9092,b2:9092/enriched", SinkSpec("kafka", "b1:9092,b2:9092", "enriched")),
    ("kafka:b1:9092/enriched", SinkSpec("kafka", "b1:9092", "enriched")),
])
def test_parse_sink_spec(spec, expected):
    assert parse_sink_spec(spec) == expected


@pytest.mark.parametrize("spec", ["", "out", "s3:bucket", "jsonl:", "parquet:  ", "kafka://host",
                                  "kafka://host/", "kafka:///topic", "kafka://h/a/b"])
def test_bad_specs_are_rejected_with_the_accepted_forms(spec):
    with pytest.raises(SinkSpecError, match=r"jsonl:DIR|needs a directory|kafka://HOST"):
        parse_sink_spec(spec)


def test_repeated_sinks_are_kept_once_in_order():
    specs = parse_sink_specs(["parquet:a", "jsonl:b", "parquet:a"])
    assert specs == [SinkSpec("parquet", "a"), SinkSpec("jsonl", "b")]
    assert parse_sink_specs(None) == []


def test_descriptions_never_show_a_password():
    for dsn in ("postgresql://nb:s3cret@db:5432/news?sslmode=require", "host=db password=s3cret dbname=news"):
        text = parse_sink_spec(f"postgres:{dsn}").describe()
        assert "s3cret" not in text and "password=***" in text and "news" in text
    assert redact_dsn("") == "(libpq environment)"
    assert redact_dsn("postgresql://[broken") == "(unparseable DSN)"
    assert parse_sink_spec("kafka://b:1/t").describe() == "kafka://b:1/t"


def test_sink_option_is_repeatable_and_declared_with_its_tuning_knobs():
    argv = ["--sink", "jsonl:a", "--sink=postgres:", "--postgres_batch_size", "50"]
    opts = PipelineOptions(argv).view_as(SinkOptions)
    assert opts.sinks == ["jsonl:a", "postgres:"]
    assert opts.postgres_batch_size == 50
    assert opts.parquet_row_group_rows == 10_000
    assert PipelineOptions([]).view_as(SinkOptions).sinks is None
