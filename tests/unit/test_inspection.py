"""newsbeam inspect's engine: the same read and parse steps as a run, for one record, with why."""

from __future__ import annotations

import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.inspection import inspect_file

OPTIONS = PipelineOptions([])


def test_page_text_with_style_field_places_and_dedupe_keys():
    result = inspect_file("sample_data/input/txt/apnews_japan_quake.txt", OPTIONS, enrich=False)
    assert result.dead_letter is None and result.article is not None
    assert result.shape == "text" and result.article.parser == "pagetext:apnews"
    assert result.style.style == "apnews" and result.style.marks
    assert any(s.field == "headline" and s.where.startswith("line ") for s in result.sources)
    assert result.dedupe_keys["body hash"] == result.article.body_hash
    assert result.dedupe_keys["canonical URL"] is None and result.dedupe_keys["id from"].startswith("content")
    assert result.records_in_file == 1


def test_a_json_lines_record_by_line_and_its_dead_letter():
    good = inspect_file("sample_data/input/jsonl/crawler_2025-03-05.jsonl", OPTIONS, line=2, enrich=False)
    assert good.record.source.line == 2 and good.shape == "json"
    assert good.dedupe_keys["canonical URL"].startswith("https://harbourpost.example/")
    bad = inspect_file("sample_data/input/jsonl/crawler_2025-03-05.jsonl", OPTIONS, line=3, enrich=False)
    assert bad.article is None
    assert (bad.dead_letter.stage, bad.dead_letter.error) == ("parse", "bad_json")
    as_json = bad.as_json()
    assert as_json["dead_letter"]["error"] == "bad_json" and as_json["article"] is None


def test_asking_for_a_record_that_is_not_there():
    with pytest.raises(ValueError, match=r"no record at --line 99; records are at 1, 2, 3, 4, 6$"):
        inspect_file("sample_data/input/jsonl/crawler_2025-03-05.jsonl", OPTIONS, line=99, enrich=False)
    with pytest.raises(FileNotFoundError):
        inspect_file("sample_data/input/nope.txt", OPTIONS, enrich=False)


def test_without_enrichment_models_the_article_still_becomes_an_enriched_record():
    result = inspect_file("sample_data/input/json/newsapi_top_headlines.json",
                          PipelineOptions(["--enrich", "none"]), index=1)
    assert result.enriched is not None and result.enriched.entities == [] and result.enriched.lineage
    assert result.article.parser == "json:newsapi"
