"""JSON records from news APIs and crawlers, with their many field names and date formats."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from pipelines.nlp.parsing import ParseError, parse_record
from schemas.records import Article, RawRecord, SourceRef

BODY = "Kenya's parliament approved the bill on Tuesday.\n\nThe vote in Nairobi followed weeks of debate."


def parse(obj: object, index: int | None = None) -> Article:
    return parse_record(RawRecord(data=orjson.dumps(obj), content_type="application/json",
                                  source=SourceRef(uri="r.jsonl", line=1, index=index)))


def test_newsapi_shape():
    a = parse({"source": {"id": None, "name": "Coast Herald"}, "author": "Jane Doe, John Roe",
               "title": "Parliament approves bill", "description": "A short summary.",
               "url": "https://coastherald.example/a", "publishedAt": "2025-03-04T16:40:00+03:00",
               "content": BODY + " … [+1234 chars]"})
    assert a.parser == "json:newsapi" and a.outlet == "Coast Herald" and a.authors == ["Jane Doe", "John Roe"]
    assert a.published_at == datetime(2025, 3, 4, 13, 40, tzinfo=UTC) and a.standfirst == "A short summary."
    assert a.paragraphs[-1] == "The vote in Nairobi followed weeks of debate." and "chars]" not in a.body


def test_gnews_truncation_marker_is_cut():
    a = parse({"totalArticles": 1, "articles": [{
        "title": "Parliament approves bill", "description": "A short summary.", "content": BODY + " ... [2045 chars]",
        "publishedAt": "2025-03-04T13:40:00Z", "source": {"name": "Coast Herald"}}]})
    assert a.paragraphs[-1] == "The vote in Nairobi followed weeks of debate." and "chars]" not in a.body


def test_guardian_envelope_with_one_result():
    a = parse({"response": {"status": "ok", "results": [{
        "webTitle": "Parliament approves bill", "webPublicationDate": "2025-03-04T07:30:12Z",
        "sectionName": "World news", "webUrl": "https://g.example/world/a",
        "fields": {"headline": "Parliament approves bill", "trailText": "Trail", "bodyText": BODY,
                   "byline": "Rebecca Ratcliffe South-east Asia correspondent"}}]}})
    assert a.parser == "json:guardian" and a.section == "World news" and a.authors == ["Rebecca Ratcliffe"]
    assert a.published_at == datetime(2025, 3, 4, 7, 30, 12, tzinfo=UTC)


def test_nyt_shape_and_html_body():
    a = parse({"headline": {"main": "Parliament approves bill"}, "abstract": "Abstract.",
               "pub_date": "2025-02-20T01:45:00+0000", "byline": {"original": "By Hyun-ji Park and Daniel Ross"},
               "section_name": "World", "text": "<p>SEOUL — The vote passed.</p><p>Second <b>paragraph</b>.</p>"})
    assert a.headline == "Parliament approves bill" and a.authors == ["Hyun-ji Park", "Daniel Ross"]
    assert a.paragraphs == ["SEOUL — The vote passed.", "Second paragraph."] and a.dateline == "SEOUL"


@pytest.mark.parametrize(("value", "expected"), [
    (1741237200000, datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    (1741237200, datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ("1741237200", datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ("2025-03-06T05:00:00Z", datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ("2025-03-06 07:00:00+02:00", datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ("Thu, 06 Mar 2025 05:00:00 GMT", datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ({"$date": "2025-03-06T05:00:00Z"}, datetime(2025, 3, 6, 5, 0, tzinfo=UTC)),
    ("not a date", None),
    (True, None),
])
def test_date_formats(value, expected):
    assert parse({"title": "T", "body": BODY, "published": value}).published_at == expected


def test_author_lists_and_agencies():
    a = parse({"title": "T", "body": BODY, "authors": [{"name": "Ayu Lestari"}, "Reuters", "https://x/y"]})
    assert a.authors == ["Ayu Lestari"] and a.agency == "Reuters"


def test_element_of_an_envelope_by_index():
    doc = {"status": "ok", "articles": [{"title": "First", "content": BODY}, {"title": "Second", "content": BODY}]}
    assert parse(doc, index=1).headline == "Second"


@pytest.mark.parametrize(("obj", "kind"), [
    ({"url": "https://x.example", "content": BODY}, "missing_field"),
    ({"title": "No body here"}, "missing_field"),
    ({"title": "Empty body", "body": "   "}, "missing_field"),
    ([1, 2, 3], "bad_record"),
    ("just a string", "bad_record"),
    ({"status": "ok", "articles": []}, "no_articles"),
    ({"status": "ok", "articles": [{"title": "a", "body": BODY}, {"title": "b", "body": BODY}]}, "multiple_records"),
])
def test_strict_about_required_fields(obj, kind):
    with pytest.raises(ParseError) as err:
        parse(obj)
    assert err.value.kind == kind


def test_broken_json_line():
    with pytest.raises(ParseError) as err:
        parse_record(RawRecord(data=b'{"title": "Truncated", "content": "half', content_type="application/json",
                               source=SourceRef(uri="r.jsonl", line=3)))
    assert err.value.kind == "bad_json"


def test_deeply_nested_json_is_refused():
    obj: object = {"title": "T", "body": BODY}
    for _ in range(100):
        obj = {"x": obj}
    with pytest.raises(ParseError) as err:
        parse(obj)
    assert err.value.kind == "too_deep"


def test_unknown_spellings_of_known_names():
    # Capitalised, snake_case and prefixed/suffixed names a provider may use.
    a = parse({"ArticleID": 7, "Title": "Parliament approves bill", "Summary": "A short summary.",
               "story_text": BODY, "PublishDate": "2025-03-10 14:05:00", "reporter": "Jane Doe",
               "articleSection": "Politics", "lang_code": "en"})
    assert a.headline == "Parliament approves bill" and a.standfirst == "A short summary."
    assert a.published_at == datetime(2025, 3, 10, 14, 5, tzinfo=UTC)
    assert a.authors == ["Jane Doe"] and a.section == "Politics" and a.language == "en"
    assert a.paragraphs[0] == "Kenya's parliament approved the bill on Tuesday."


@pytest.mark.parametrize("obj", [
    {"subtitle": "Only a subtitle", "body": BODY},       # a standfirst is not a headline
    {"source_name": "Coast Herald", "body": BODY},       # nor is an outlet's name
    {"title": "A headline", "story_id": "9f2c"},         # an id is not a story
])
def test_loose_names_do_not_invent_required_fields(obj):
    with pytest.raises(ParseError) as err:
        parse(obj)
    assert err.value.kind == "missing_field"


def test_wordpress_rest_shape_prefers_gmt_dates_and_rendered_fields():
    article = parse({"date": "2025-03-04T16:05:00", "date_gmt": "2025-03-04T15:05:00",
                     "modified_gmt": "2025-03-04T17:30:00",
                     "title": {"rendered": "Lake ferry crews to strike on Friday"},
                     "excerpt": {"rendered": "<p>Talks broke down over weekend shifts</p>"},
                     "content": {"rendered": "<p>Crews will strike for 24 hours on Friday.</p>"
                                             "<p>The operator runs fewer boats.</p>"},
                     "author_name": "Nadia Keller", "categories_names": ["Transport"]})
    assert article.headline == "Lake ferry crews to strike on Friday"
    assert article.standfirst == "Talks broke down over weekend shifts"
    assert article.body == "Crews will strike for 24 hours on Friday.\n\nThe operator runs fewer boats."
    assert article.published_at == datetime(2025, 3, 4, 15, 5, tzinfo=UTC)
    assert article.updated_at == datetime(2025, 3, 4, 17, 30, tzinfo=UTC)
    assert (article.authors, article.section) == (["Nadia Keller"], "Transport")


def test_webz_posts_envelope():
    a = parse({"posts": [{"thread": {"site": "harbourpost.example"}, "author": "Mark Vella",
                          "published": "2024-12-02T10:10:00.000+01:00",
                          "title": "Valletta to add night buses to Sliema",
                          "text": "Night buses will run between Valletta and Sliema from January, the transport "
                                  "authority said on Monday.\nThey will leave every 30 minutes.",
                          "language": "english"}], "totalResults": 1}, index=0)
    assert a.headline == "Valletta to add night buses to Sliema" and a.authors == ["Mark Vella"]
    assert a.published_at == datetime(2024, 12, 2, 9, 10, tzinfo=UTC) and a.language == "en"


def test_feedly_stream_items_with_content_objects_and_epoch_millis():
    a = parse({"id": "feed/x", "items": [{
        "title": "Girona obrirà un nou pavelló esportiu el 2026", "published": 1733130600000,
        "author": "Jordi Serra i Pons", "summary": {"content": "<p>Tindrà capacitat per a 2.000 persones</p>"},
        "content": {"content": "<p>L'Ajuntament de Girona construirà un nou pavelló esportiu al barri de "
                               "Santa Eugènia, que obrirà les portes el 2026.</p><p>Les obres costaran quatre "
                               "milions d'euros.</p>", "direction": "ltr"}}]}, index=0)
    assert a.authors == ["Jordi Serra i Pons"] and a.standfirst == "Tindrà capacitat per a 2.000 persones"
    assert a.published_at == datetime(2024, 12, 2, 9, 10, tzinfo=UTC) and a.language == "ca"
    assert a.body.startswith("L'Ajuntament de Girona")
