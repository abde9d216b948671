"""Where a parsed field appears in its input: lines, JSON key paths, HTML meta/JSON-LD/elements."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.nlp.provenance import candidates_for, locate, style_evidence
from tests.conftest import make_article

PAGE = """ASIA PACIFIC
Quake shakes southern Japan
By MARI YAMAGUCHI
Published 11:20 PM GMT, March 5, 2025
TOKYO (AP) — A strong earthquake struck off the coast on Thursday, officials said.
The Japan Meteorological Agency issued no tsunami warning.
"""


def _where(sources, field):
    return [s.where for s in sources if s.field == field]


def test_page_text_fields_are_found_on_their_lines():
    article = make_article(headline="Quake shakes southern Japan", authors=["Mari Yamaguchi"], agency="AP",
                           section="Asia Pacific", dateline="TOKYO",
                           body="TOKYO (AP) — A strong earthquake struck off the coast on Thursday, officials said.",
                           published_at=datetime(2025, 3, 5, 23, 20, tzinfo=UTC))
    sources = locate(article, candidates_for(PAGE, "text"))
    assert _where(sources, "headline") == ["line 2"]
    assert _where(sources, "authors[0]") == ["line 3"]
    assert _where(sources, "published_at") == ["line 4"]
    assert _where(sources, "section") == ["line 1"]
    assert _where(sources, "agency") == ["line 5"]  # "AP" as a word, never inside "Japan"
    assert _where(sources, "body (first paragraph)") == ["line 5"]


def test_json_fields_by_key_path_including_epoch_dates():
    record = ('{"headline": "Cyclone nears Brisbane", "published": 1741237200000, "source": {"name": "Harbour Post"},'
              ' "authors": ["Olivia Grant"], "body": "<p>Residents were told to leave.</p>"}')
    article = make_article(headline="Cyclone nears Brisbane", outlet="Harbour Post", authors=["Olivia Grant"],
                           body="Residents were told to leave.", published_at=datetime(2025, 3, 6, 5, tzinfo=UTC))
    sources = locate(article, candidates_for(record, "json"))
    assert _where(sources, "headline") == ["headline"]
    assert _where(sources, "outlet") == ["source.name"]
    assert _where(sources, "authors[0]") == ["authors[0]"]
    assert _where(sources, "published_at") == ["published"]
    assert _where(sources, "body (first paragraph)") == ["body"]


def test_json_envelope_paths_start_at_the_record():
    doc = '{"status": "ok", "articles": [{"title": "A", "content": "x"}, {"title": "Second story", "content": "y"}]}'
    article = make_article(headline="Second story", body="y")
    assert _where(locate(article, candidates_for(doc, "json", index=1)), "headline") == ["[1].title"]


def test_html_fields_from_meta_json_ld_and_elements():
    page = """<html lang="en"><head><title>Ruto names finance chief | Continental</title>
    <meta property="og:title" content="Ruto names finance chief">
    <meta property="article:published_time" content="2025-03-04T19:02:00+03:00">
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Ruto names finance chief",
      "author": [{"name": "Reuters"}]}</script></head>
    <body><h1>Ruto names finance chief</h1><figure><figcaption>Ruto at State House.</figcaption></figure>
    <p>NAIROBI, March 4 (Reuters) - Kenyan President William Ruto named a new finance minister.</p></body></html>"""
    body = "NAIROBI, March 4 (Reuters) - Kenyan President William Ruto named a new finance minister."
    article = make_article(headline="Ruto names finance chief", agency="Reuters", captions=["Ruto at State House."],
                           body=body,
                           published_at=datetime(2025, 3, 4, 16, 2, tzinfo=UTC))
    sources = locate(article, candidates_for(page, "html"))
    assert _where(sources, "headline") == ["<meta property=og:title>", "JSON-LD headline"]
    assert _where(sources, "published_at") == ["<meta property=article:published_time>"]
    assert _where(sources, "agency") == ["JSON-LD author[0].name"]
    assert _where(sources, "captions[0]") == ["<figcaption>"]
    assert _where(sources, "body (first paragraph)") == ["<p> #1"]


def test_style_evidence_names_the_marks_found():
    evidence = style_evidence(PAGE)
    assert evidence.style == "apnews"
    assert " (AP) —" in evidence.marks and not evidence.header_line
    assert style_evidence("Just a headline\n\nAnd a body line.").style == "generic"
