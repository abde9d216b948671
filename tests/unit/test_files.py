import gzip
import io

import apache_beam as beam
import orjson
from apache_beam.testing.util import assert_that, equal_to

from pipelines.io.files import (
    ReadInputFiles,
    content_type_for,
    expand_input,
    is_supported,
    iter_lines,
    split_json_document,
)
from tests.conftest import beam_pipeline


def test_content_types_by_extension_with_and_without_gzip():
    assert content_type_for("a/b.HTML") == "text/html"
    assert content_type_for("a/b.jsonl.gz") == "application/json"
    assert content_type_for("a/b.txt.gz") == "text/plain"
    assert content_type_for("a/b.md") == "unknown"
    assert is_supported("x.htm.gz") and not is_supported("README.md")


def test_directories_expand_recursively(tmp_path):
    assert expand_input(str(tmp_path)) == f"{tmp_path}/**"
    assert expand_input("gs://bucket/news/") == "gs://bucket/news/**"
    assert expand_input("data/*.jsonl") == "data/*.jsonl"


def test_iter_lines_numbers_lines_and_bounds_giant_ones():
    data = b'{"a":1}\n\n' + b"x" * 50 + b"\n{\"b\":2}"
    lines = list(iter_lines(io.BytesIO(data), max_bytes=20))
    assert [(n, too) for n, _, too in lines] == [(1, False), (2, False), (3, True), (4, False)]
    assert len(lines[2][1]) == 20  # kept truncated for the dead letter, never the whole line


def test_split_json_document_understands_arrays_and_news_api_envelopes():
    assert split_json_document(b'[{"title":"a"},{"title":"b"}]') == [b'{"title":"a"}', b'{"title":"b"}']
    env = orjson.dumps({"status": "ok", "totalResults": 1, "articles": [{"title": "x"}]})
    assert split_json_document(env) == [b'{"title":"x"}']
    assert split_json_document(b'{"title":"one record"}') is None
    assert split_json_document(b"{broken") is None


def _read(paths, max_bytes=1000):
    p = beam_pipeline()
    out = p | ReadInputFiles([str(x) for x in paths], max_bytes)
    return p, out


def test_read_input_files_emits_records_with_sources_and_dead_letters(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Headline\n\nBody")
    (tmp_path / "sub" / "b.jsonl").write_bytes(b'{"title":"t1"}\n\n{"title":"t2"}\n' + b"y" * 2000 + b"\n")
    with gzip.open(tmp_path / "sub" / "c.html.gz", "wb") as f:
        f.write(b"<html><body>hi</body></html>")
    (tmp_path / "notes.md").write_text("not an input")
    (tmp_path / "big.txt").write_bytes(b"z" * 1500)

    p, out = _read([tmp_path])
    records = out.records | "R" >> beam.Map(
        lambda r: (r.source.uri.rsplit("/", 1)[-1], r.source.line, r.content_type, r.data[:14]))
    dead = out.dead_letters | "D" >> beam.Map(
        lambda d: (d.source.uri.rsplit("/", 1)[-1], d.source.line, d.stage, d.error))
    assert_that(records, equal_to([
        ("a.txt", None, "text/plain", b"Headline\n\nBody"),
        ("b.jsonl", 1, "application/json", b'{"title":"t1"}'),
        ("b.jsonl", 3, "application/json", b'{"title":"t2"}'),
        ("c.html.gz", None, "text/html", b"<html><body>hi"),
    ]), label="records")
    assert_that(dead, equal_to([
        ("b.jsonl", 4, "read", "too_large"),
        ("big.txt", None, "read", "too_large"),
    ]), label="dead")
    p.run().wait_until_finish()


def test_corrupt_gzip_becomes_a_dead_letter(tmp_path):
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    import apache_beam as beam

    p, out = _read([tmp_path / "bad.txt.gz"])
    assert_that(out.records, equal_to([]), label="none")
    assert_that(out.dead_letters | beam.Map(lambda d: (d.stage, d.error)),
                equal_to([("read", "unreadable")]), label="dead")
    p.run().wait_until_finish()
