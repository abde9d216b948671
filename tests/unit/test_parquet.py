"""Parquet sink: schema derived from the models, date partitions, deterministic names, read-back."""

from __future__ import annotations

import typing
from datetime import UTC, datetime
from pathlib import Path

import apache_beam as beam
import duckdb
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window

from pipelines.io.jsonl import to_json_line
from pipelines.io.parquet import (
    WriteParquet,
    arrow_schema,
    arrow_type,
    parquet_file_naming,
    published_date_partition,
)
from schemas.records import DeadLetter, DuplicateRecord, EnrichedArticle
from tests.conftest import beam_pipeline
from tests.fixtures.enriched import as_json_form, make_dead_letter, make_duplicate, make_enriched, synthetic_articles


def _run(records, write, timestamps=None, expect_paths=None) -> None:
    """Writes ``records`` with ``write``; optionally windows them by ``timestamps`` (event time)."""
    with beam_pipeline() as p:
        pcoll = p | beam.Create(records).with_output_types(type(records[0]))
        if timestamps:
            pcoll = (pcoll
                     | beam.Map(lambda r: window.TimestampedValue(r, timestamps(r)))
                     | beam.WindowInto(window.FixedWindows(3600)))
        paths = pcoll | write
        if expect_paths is not None:
            assert_that(paths, equal_to(expect_paths))


def _files(root: Path) -> list[str]:
    return sorted(str(f.relative_to(root)) for f in root.rglob("*") if f.is_file())


def _expected(records) -> dict[str, dict]:
    return {r.id: orjson.loads(to_json_line(r)) for r in records}


ARTICLES = [*synthetic_articles(12),
            make_enriched(90, published_at=None, updated_at=None, dedupe=None, lineage=None, entities=[],
                          topics=[], url=None, standfirst=None, source=make_enriched(90).source.model_copy(
                              update={"kafka": None, "line": 7}))]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "articles"
    expect = [str(out / f"published_date={d}" / "articles-00000-of-00001.parquet")
              for d in ("2024-11-08", "2024-11-09", "2024-11-10", "unknown")]
    _run(ARTICLES, WriteParquet(str(out), EnrichedArticle, name="articles",
                                partition=published_date_partition, row_group_rows=4), expect_paths=expect)
    return out


# --- schema -------------------------------------------------------------------------------


def test_arrow_schema_follows_the_models_with_nested_lists_of_structs():
    schema = arrow_schema(EnrichedArticle)
    assert schema.names == list(EnrichedArticle.model_fields)
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("published_at").nullable and not schema.field("headline").nullable
    entity = schema.field("entities").type.value_type
    assert [f.name for f in entity] == ["name", "type", "mentions", "salience", "id", "surface_forms"]
    assert entity.field("salience").type == pa.float64() and entity.field("id").nullable
    assert schema.field("topics").type.value_type.field("code").type == pa.string()
    assert schema.field("source").type.field("kafka").type.field("headers").type == pa.map_(
        pa.string(), pa.field("value", pa.string(), nullable=False))
    assert schema.metadata[b"newsbeam.model"] == b"EnrichedArticle"
    assert schema.field("language").metadata == {b"description": b"ISO 639-1"}
    assert arrow_schema(DeadLetter).field("failed_at").type == pa.timestamp("us", tz="UTC")
    assert arrow_schema(DuplicateRecord).field("similarity").type == pa.float64()


def test_arrow_type_of_plain_annotations_and_rejects_what_it_cannot_store():
    assert arrow_type(bytes) == (pa.binary(), False)
    assert arrow_type(int | None) == (pa.int64(), True)
    assert arrow_type(typing.Literal["a", "b"]) == (pa.string(), False)
    with pytest.raises(TypeError):
        arrow_type(int | str)
    with pytest.raises(TypeError):
        arrow_type(set[int])


# --- names (pure) -----------------------------------------------------------------------------


def test_partition_is_the_utc_publication_date_or_unknown():
    assert published_date_partition(make_enriched(0)) == "published_date=2024-11-08"
    late = make_enriched(0, published_at=datetime(2024, 11, 8, 23, 30, tzinfo=UTC))
    assert published_date_partition(late) == "published_date=2024-11-08"
    assert published_date_partition(make_enriched(0, published_at=None)) == "published_date=unknown"


def test_file_names_depend_on_partition_shard_window_and_pane_only():
    naming = parquet_file_naming("articles", 2)
    glob = window.GlobalWindow()
    assert naming(glob, None, 0, 1, "", ("published_date=2024-11-08", 1, 0)) == \
        "published_date=2024-11-08/articles-00001-of-00002.parquet"
    hour = window.IntervalWindow(1731045600, 1731049200)
    assert naming(hour, None, 0, 1, "", ("", 0, 2)) == \
        "articles-20241108T060000Z-20241108T070000Z-00000-of-00002-pane002.parquet"
    assert naming(glob, None, 1, 3, "", ("", 0, 0)) == "articles-00000-of-00002-part001.parquet"


# --- written files ------------------------------------------------------------------------------


def test_one_file_per_date_partition_and_no_temporary_files_left(written):
    assert _files(written) == [
        "published_date=2024-11-08/articles-00000-of-00001.parquet",
        "published_date=2024-11-09/articles-00000-of-00001.parquet",
        "published_date=2024-11-10/articles-00000-of-00001.parquet",
        "published_date=unknown/articles-00000-of-00001.parquet",
    ]


def test_pyarrow_read_back_equals_the_json_lines_records_field_by_field(written):
    table = pq.read_table(written, partitioning="hive")
    rows = table.drop_columns(["published_date"]).to_pylist(maps_as_pydicts="strict")
    got = {row["id"]: as_json_form(row) for row in rows}
    assert got == _expected(ARTICLES)
    for row in table.select(["published_at", "published_date"]).to_pylist():
        assert str(row["published_date"]) == (row["published_at"].date().isoformat()
                                               if row["published_at"] else "unknown")


def test_duckdb_read_back_equals_the_json_lines_records_field_by_field(written):
    con = duckdb.connect()
    cur = con.execute(f"SELECT * EXCLUDE (published_date) FROM read_parquet('{written}/**/*.parquet', "
                      "hive_partitioning = true)")
    names = [d[0] for d in cur.description]
    got = {row[names.index("id")]: as_json_form(dict(zip(names, row, strict=True))) for row in cur.fetchall()}
    assert got == _expected(ARTICLES)
    by_entity = con.execute(
        f"SELECT e.type, count(*) FROM read_parquet('{written}/**/*.parquet'), unnest(entities) AS u(e) "
        "GROUP BY 1 ORDER BY 1").fetchall()
    assert dict(by_entity) == {"GPE": sum(1 for a in ARTICLES for e in a.entities if e.type == "GPE"),
                               "LOC": sum(1 for a in ARTICLES for e in a.entities if e.type == "LOC"),
                               "ORG": sum(1 for a in ARTICLES for e in a.entities if e.type == "ORG"),
                               "PERSON": sum(1 for a in ARTICLES for e in a.entities if e.type == "PERSON")}


def test_row_groups_are_bounded_sorted_by_id_and_zstd_compressed(written):
    f = pq.ParquetFile(written / "published_date=2024-11-08" / "articles-00000-of-00001.parquet")
    assert f.metadata.num_row_groups >= 1
    for i in range(f.metadata.num_row_groups):
        group = f.metadata.row_group(i)
        assert group.num_rows <= 4
        assert group.column(0).compression == "ZSTD"
        ids = f.read_row_group(i, columns=["id"]).column("id").to_pylist()
        assert ids == sorted(ids)
    assert f.schema_arrow.metadata[b"newsbeam.schema_version"] == b"1"


def test_rerun_into_the_same_folder_overwrites_instead_of_adding_files(tmp_path):
    out = tmp_path / "articles"
    write = lambda: WriteParquet(str(out), EnrichedArticle, name="articles",  # noqa: E731
                                 partition=published_date_partition)
    _run(ARTICLES, write())
    first = _files(out)
    changed = [a.model_copy(update={"headline": a.headline + " (updated)"}) for a in ARTICLES]
    _run(list(reversed(changed)), write())
    assert _files(out) == first
    table = pq.read_table(out, partitioning="hive")
    assert table.num_rows == len(ARTICLES)
    assert all(h.endswith("(updated)") for h in table.column("headline").to_pylist())


def test_windowed_input_gets_window_bounds_in_file_names(tmp_path):
    out = tmp_path / "w"
    records = synthetic_articles(4)  # published 06:30, 19:30 (+1 day), ... : distinct hours
    _run(records, WriteParquet(str(out), EnrichedArticle, partition=published_date_partition),
         timestamps=lambda r: r.published_at.timestamp())
    assert _files(out) == [
        "published_date=2024-11-08/part-20241108T060000Z-20241108T070000Z-00000-of-00001.parquet",
        "published_date=2024-11-08/part-20241108T190000Z-20241108T200000Z-00000-of-00001.parquet",
        "published_date=2024-11-09/part-20241109T080000Z-20241109T090000Z-00000-of-00001.parquet",
        "published_date=2024-11-09/part-20241109T210000Z-20241109T220000Z-00000-of-00001.parquet",
    ]


def test_shards_spread_records_by_id_and_other_models_write_unpartitioned(tmp_path):
    articles = synthetic_articles(20)
    _run(articles, WriteParquet(str(tmp_path / "a"), EnrichedArticle, shards=2))
    assert _files(tmp_path / "a") == ["part-00000-of-00002.parquet", "part-00001-of-00002.parquet"]
    counts = [pq.read_metadata(tmp_path / "a" / f).num_rows for f in _files(tmp_path / "a")]
    assert sum(counts) == 20 and min(counts) > 0

    dups = [make_duplicate(i, of=i) for i in range(3)]
    _run(dups, WriteParquet(str(tmp_path / "d"), DuplicateRecord, name="duplicates"))
    got = pq.read_table(tmp_path / "d").to_pylist(maps_as_pydicts="strict")
    assert sorted(map(as_json_form, got), key=lambda r: r["id"]) == [orjson.loads(to_json_line(d)) for d in dups]

    dead = [make_dead_letter(i) for i in range(2)]
    _run(dead, WriteParquet(str(tmp_path / "x"), DeadLetter, name="dead_letters"))
    got = pq.read_table(tmp_path / "x").to_pylist(maps_as_pydicts="strict")
    assert sorted(map(as_json_form, got), key=lambda r: r["raw"]) == [orjson.loads(to_json_line(d)) for d in dead]


def test_unbounded_input_is_cut_into_event_time_windows_of_the_configured_size(tmp_path):
    from apache_beam.testing.test_stream import TestStream

    out = tmp_path / "stream"
    articles = synthetic_articles(4)
    at = [int(a.published_at.timestamp()) for a in articles]  # TestStream wants whole milliseconds
    stream = (TestStream()
              .add_elements([window.TimestampedValue(a, t) for a, t in zip(articles[:2], at, strict=False)])
              .advance_watermark_to(at[1] + 3600)
              .add_elements([window.TimestampedValue(a, t) for a, t in zip(articles[2:], at[2:], strict=True)])
              .advance_watermark_to_infinity())
    with beam_pipeline("--streaming") as p:
        paths = (p | stream.with_output_types(EnrichedArticle)
                 | WriteParquet(str(out), EnrichedArticle, partition=published_date_partition, window_seconds=3600))
        assert_that(paths | beam.Map(lambda path: Path(path).name), equal_to([
            f"part-{hour}-00000-of-00001.parquet" for hour in (
                "20241108T060000Z-20241108T070000Z", "20241108T190000Z-20241108T200000Z",
                "20241109T080000Z-20241109T090000Z", "20241109T210000Z-20241109T220000Z")]))
    assert sorted(pq.read_table(out, partitioning="hive").column("id").to_pylist()) == [a.id for a in articles]
