"""JSON Lines sink: bounded (WriteToText shards) and unbounded (files per event-time window)."""

from pathlib import Path

import apache_beam as beam
import orjson
from apache_beam.testing import test_stream
from apache_beam.transforms.window import TimestampedValue

from pipelines.io.jsonl import WriteJsonLines, to_json_line
from tests.conftest import beam_pipeline, make_article


def _lines(folder: Path) -> dict[str, list[str]]:
    return {p.name: [orjson.loads(line)["id"] for line in p.read_text().splitlines()]
            for p in sorted(folder.glob("*.jsonl"))}


def test_json_line_is_the_json_mode_dump():
    article = make_article("a1")
    assert orjson.loads(to_json_line(article))["published_at"] == "2024-11-10T14:13:00Z"


def test_bounded_input_is_one_sharded_file(tmp_path):
    with beam_pipeline() as p:
        _ = p | beam.Create([make_article("a1"), make_article("a2")]) | WriteJsonLines(str(tmp_path), "articles")
    assert {k: sorted(v) for k, v in _lines(tmp_path / "articles").items()} == {
        "part-00000-of-00001.jsonl": ["a1", "a2"]}


def test_unbounded_input_is_written_per_window_as_the_watermark_passes(tmp_path):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.runners import resolve_runner

    base = 1_700_000_000  # 2023-11-14T22:13:20Z, on a 10-second boundary
    stream = (test_stream.TestStream()
              .add_elements([TimestampedValue(make_article("a1"), base + 1),
                             TimestampedValue(make_article("a2"), base + 3)])
              .advance_watermark_to(base + 10)
              .add_elements([TimestampedValue(make_article("a3"), base + 12)])
              .advance_watermark_to_infinity())
    options = PipelineOptions(["--runner=DirectRunner", "--streaming"])
    with beam.Pipeline(runner=resolve_runner(options), options=options) as p:
        _ = p | stream | WriteJsonLines(str(tmp_path), "articles", num_shards=1, window_seconds=10)
    files = _lines(tmp_path / "articles")
    assert {k: sorted(v) for k, v in files.items()} == {
        "part-20231114T221320Z-20231114T221330Z-00000-of-00001.jsonl": ["a1", "a2"],
        "part-20231114T221330Z-20231114T221340Z-00000-of-00001.jsonl": ["a3"],
    }
    assert not list((tmp_path / "articles").glob(".temp-*/*"))  # every file moved into place
