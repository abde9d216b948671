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


# Envelopes of our own making in the shapes news APIs return (no outlet's text).
_BODY = "The council approved the harbour plan on Tuesday after a long debate. " * 3
_GUARDIAN_LIKE = {"response": {"status": "ok", "total": 3, "results": [
    {"webTitle": "Harbour plan approved", "webPublicationDate": "2025-03-04T07:30:12Z",
     "fields": {"headline": "Harbour plan approved", "bodyText": _BODY}},
    "not an article",
    {"webTitle": "Ferry fares frozen", "fields": {"headline": "Ferry fares frozen", "bodyText": _BODY}},
]}}


def test_split_json_document_understands_nested_and_generic_envelopes():
    parts = split_json_document(orjson.dumps(_GUARDIAN_LIKE))
    assert parts is not None and [orjson.loads(p) for p in parts] == _GUARDIAN_LIKE["response"]["results"]
    for key in ("data", "items"):
        doc = {key: [{"title": "a", "body": _BODY}, {"title": "b", "body": _BODY}], "next": None}
        assert split_json_document(orjson.dumps(doc)) == [orjson.dumps(x) for x in doc[key]]
    nested = {"data": {"items": [{"title": "a", "body": _BODY}, {"title": "b", "body": _BODY}]}}
    assert len(split_json_document(orjson.dumps(nested)) or []) == 2
    # Not envelopes: an article with a list field, a list of strings, an empty result list.
    assert split_json_document(orjson.dumps({"title": "a", "body": _BODY, "items": [{"x": 1}]})) is None
    assert split_json_document(orjson.dumps({"data": ["a", "b"]})) is None
    assert split_json_document(orjson.dumps({"status": "ok", "articles": []})) is None


def test_envelope_items_become_articles_and_a_bad_item_one_dead_letter(tmp_path):
    from pipelines.transforms.parse import ParseArticles

    (tmp_path / "guardian.json").write_bytes(orjson.dumps(_GUARDIAN_LIKE))
    newsapi = {"status": "ok", "totalResults": 2, "articles": [
        {"source": {"name": "Example Post"}, "title": "Tram line opens", "content": _BODY,
         "publishedAt": "2025-03-05T09:00:00Z"},
        {"source": {"name": "Example Post"}, "title": "No body in this one"},
    ]}
    (tmp_path / "newsapi.json").write_bytes(orjson.dumps(newsapi))
    (tmp_path / "empty.json").write_bytes(b'{"status": "ok", "totalResults": 0, "articles": []}')
    p, out = _read([tmp_path], max_bytes=100_000)
    parsed = out.records | ParseArticles()
    articles = parsed.articles | "A" >> beam.Map(
        lambda a: (a.source.uri.rsplit("/", 1)[-1], a.source.index, a.headline))
    dead = ((out.dead_letters, parsed.dead_letters) | beam.Flatten() | "D" >> beam.Map(
        lambda d: (d.source.uri.rsplit("/", 1)[-1], d.source.index, d.error)))
    assert_that(articles, equal_to([
        ("guardian.json", 0, "Harbour plan approved"), ("guardian.json", 2, "Ferry fares frozen"),
        ("newsapi.json", 0, "Tram line opens"),
    ]), label="articles")
    # 6 records in (3 + 2 envelope items, 1 empty envelope) = 3 articles + 3 dead letters.
    assert_that(dead, equal_to([
        ("guardian.json", 1, "bad_record"), ("newsapi.json", 1, "missing_field"), ("empty.json", None, "no_articles"),
    ]), label="dead")
    p.run().wait_until_finish()
