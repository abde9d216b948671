"""HTML pages: metadata from JSON-LD/OpenGraph/meta, body via trafilatura, furniture left out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.nlp.parsing.errors import MAX_HTML_DEPTH
from schemas.records import Article, RawRecord, SourceRef

BODY = "".join(f"<p>Paragraph {n} of the report says the minister in Nairobi met officials from Kampala "
               f"and Dodoma to discuss the regional railway and its financing.</p>" for n in range(1, 5))


def page(head: str = "", body: str = BODY, lang: str = "en") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Site title | Outlet</title>'
            f"{head}</head><body><nav><a>Home</a> <a>World</a></nav>"
            f'<div class="cookie">We use cookies to improve your experience. <button>Accept all cookies</button></div>'
            f"<article><h1>Railway deal agreed in Nairobi</h1>{body}</article>"
            f"<aside><h2>Related articles</h2><ul><li>Another story about ports</li></ul></aside>"
            f"<footer>© 2025 Outlet. All rights reserved.</footer></body></html>").encode()


def parse(data: bytes) -> Article:
    return parse_record(RawRecord(data=data, source=SourceRef(uri="p.html"), content_type="text/html"))


def test_jsonld_metadata_wins():
    head = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            '"headline":"Railway deal agreed in Nairobi","datePublished":"2025-03-04T19:02:00+03:00",'
            '"dateModified":"2025-03-04T20:00:00+03:00","author":[{"@type":"Person","name":"Grace Wambui"},'
            '{"@type":"Organization","name":"Reuters"}],"articleSection":["Africa","Transport"],'
            '"description":"Three countries agree on financing.","url":"https://example.com/a?utm_source=x",'
            '"publisher":{"@type":"Organization","name":"Example Times"}}</script>')
    a = parse(page(head))
    assert a.parser == "html:trafilatura"
    assert a.headline == "Railway deal agreed in Nairobi" and a.standfirst == "Three countries agree on financing."
    assert a.published_at == datetime(2025, 3, 4, 16, 2, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 4, 17, 0, tzinfo=UTC)
    assert a.authors == ["Grace Wambui"] and a.agency == "Reuters" and a.section == "Africa"
    assert a.outlet == "Example Times" and a.url == "https://example.com/a?utm_source=x"
    assert len(a.paragraphs) == 4
    for junk in ("cookies", "Related articles", "ports", "rights reserved", "Home"):
        assert junk not in a.body


def test_opengraph_and_meta_without_jsonld():
    head = ('<meta property="og:title" content="Railway deal agreed in Nairobi | Outlet">'
            '<meta property="og:site_name" content="Outlet"><meta name="author" content="Tom Kiprop">'
            '<meta property="article:published_time" content="2025-03-04T10:00:00Z">'
            '<meta property="article:section" content="Business">'
            '<link rel="canonical" href="https://outlet.example/business/railway">')
    a = parse(page(head))
    assert a.headline == "Railway deal agreed in Nairobi" and a.authors == ["Tom Kiprop"]
    assert a.published_at == datetime(2025, 3, 4, 10, tzinfo=UTC) and a.section == "Business"
    assert a.url == "https://outlet.example/business/railway" and a.outlet == "Outlet"


def test_visible_byline_time_and_figcaption():
    body = ('<div class="meta">By Hannah Clarke and Omar Siddiqui | <time>March 9, 2025 8:45 PM ET</time></div>'
            "<figure><img src=x.jpg><figcaption>The minister in Nairobi. Photo: Outlet/Jane Doe</figcaption></figure>"
            + BODY)
    a = parse(page(body=body))
    assert a.authors == ["Hannah Clarke", "Omar Siddiqui"]
    assert a.published_at == datetime(2025, 3, 10, 0, 45, tzinfo=UTC)
    assert a.captions == ["The minister in Nairobi."] and a.photo_credits == ["Outlet/Jane Doe"]
    assert "Photo:" not in a.body and "Hannah" not in a.body


def test_html_escaped_jsonld_is_unescaped():
    head = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"Kenya&#39;s railway &amp; ports",'
            '"author":"Somchai Rattanakul, Pim Chaiyaporn"}</script>')
    a = parse(page(head))
    assert a.headline == "Kenya's railway & ports" and a.authors == ["Somchai Rattanakul", "Pim Chaiyaporn"]


def test_broken_jsonld_falls_back_to_the_page():
    a = parse(page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'))
    assert a.headline == "Railway deal agreed in Nairobi"


def test_external_entities_and_resources_are_never_fetched():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "http://198.51.100.1/evil">]>'
           b'<html><head><link rel="stylesheet" href="http://198.51.100.1/s.css"></head><body><article>'
           b"<h1>Title here</h1><p>&x; Paragraph with enough words to be the body of this article page.</p>"
           b"</article></body></html>")
    a = parse(xxe)
    assert "evil" not in a.body and a.headline == "Title here"


def test_nesting_beyond_the_limit_is_a_parse_error():
    levels = MAX_HTML_DEPTH + 50
    deep = b"<html><body>" + b"<div>" * levels + b"text" + b"</div>" * levels + b"</body></html>"
    with pytest.raises(ParseError) as err:
        parse(deep)
    assert err.value.kind == "too_deep" and str(MAX_HTML_DEPTH) in err.value.message


def test_page_without_text_is_no_body():
    with pytest.raises(ParseError) as err:
        parse(b"<html><head><title>Only a title</title></head><body><nav>Home</nav></body></html>")
    assert err.value.kind in ("no_body", "no_headline")


def test_latin1_page_declared_in_meta():
    data = page(body="<p>BOGOTÁ - Colombian President Gustavo Petro asked his ministers to resign on Sunday, "
                     "after a televised cabinet meeting turned into a row.</p>").decode().replace("utf-8", "iso-8859-1")
    a = parse(data.encode("latin-1"))
    assert a.dateline == "BOGOTÁ" and "Petro" in a.body


def test_article_h1_wins_over_a_logo_h1():
    data = (b'<html><head><meta property="og:site_name" content="Daily Example"></head><body>'
            b"<header><h1>Daily Example</h1></header><h1>Site-wide banner</h1>"
            b"<article><h1>Port strike ends in Mombasa</h1>"
            + BODY.encode() + b"</article></body></html>")
    assert parse(data).headline == "Port strike ends in Mombasa"


def test_date_printed_in_the_text_when_the_page_has_no_date_metadata():
    body = "<p>Published 3:05 PM GMT, March 4, 2025</p>" + BODY
    assert parse(page(body=body)).published_at == datetime(2025, 3, 4, 15, 5, tzinfo=UTC)


def test_microdata_date_and_printed_breadcrumb():
    body = ('<div class="crumbs"><a href="/">Home</a> <a href="/business">Business</a></div>'
            '<meta itemprop="datePublished" content="2025-03-03T09:30:00+03:00">'
            '<meta itemprop="dateModified" content="2025-03-03T12:00:00+03:00">' + BODY)
    a = parse(page(body=body))
    assert a.published_at == datetime(2025, 3, 3, 6, 30, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert a.section == "Business"


def test_date_printed_only_in_a_byline_element():
    body = ('<div class="byline-block"><span class="writer">Kwame Asante</span> &middot; '
            '<span class="when">Published on 4 March 2025, 16:20 GMT</span></div>' + BODY)
    a = parse(page(body=body))
    assert a.published_at == datetime(2025, 3, 4, 16, 20, tzinfo=UTC)
    assert "Published on" not in a.body


def test_jsonld_modified_date_alone_is_the_publication_date():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Railway deal agreed in Nairobi",'
          ' "dateModified": "2025-05-06T09:30:00Z"}</script>')
    a = parse(page(ld))
    assert a.published_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)



_DANISH = ("<p>Regeringen vil bruge to milliarder kroner på at forbedre togforbindelserne mellem Aarhus og "
           "Aalborg, og arbejdet skal efter planen begynde næste forår.</p>"
           "<p>Ifølge transportministeren vil rejsetiden blive kortere, når de nye spor er lagt, og der "
           "kommer flere afgange om morgenen og om eftermiddagen.</p>")
_SWEDISH = ("<p>Regeringen vill satsa två miljarder kronor på att förbättra tågförbindelserna mellan Göteborg "
            "och Oslo, och arbetet ska enligt planen börja nästa vår.</p>"
            "<p>Enligt infrastrukturministern blir restiden kortare när de nya spåren är på plats, och det "
            "kommer fler avgångar på morgonen och på eftermiddagen.</p>")


@pytest.mark.parametrize(("body", "lang"), [(_DANISH, "da"), (_SWEDISH, "sv")])
def test_danish_is_detected_and_swedish_stays_swedish(body, lang):
    assert parse(page(body=body, lang=lang)).language == lang


_CROATIAN = ("<p>Gradski prijevoznik u Splitu od siječnja uvodi nove autobusne linije prema zračnoj luci, "
             "a karte će se moći kupiti i putem mobitela, objavio je u ponedjeljak grad.</p>"
             "<p>Autobusi će voziti svakih dvadeset minuta od pet ujutro do ponoći.</p>")
_MALAY = ("<p>Kerajaan negeri akan membina dua buah hospital baharu di utara Semenanjung bagi mengurangkan "
          "kesesakan di hospital sedia ada, kata Menteri Besar semalam.</p>"
          "<p>Beliau berkata, kerja pembinaan dijangka bermula pada awal tahun hadapan.</p>")


@pytest.mark.parametrize(("body", "lang"), [(_CROATIAN, "hr"), (_MALAY, "ms")])
def test_languages_outside_the_first_fifteen_are_detected_despite_an_english_template(body, lang):
    assert parse(page(body=body, lang="en")).language == lang


def test_rdfa_author_and_section_subtitle_standfirst_and_article_header_lines():
    html = ('<!DOCTYPE html><html lang="hr"><head><meta charset="utf-8"><title>T</title></head>'
            '<body vocab="https://schema.org/"><div typeof="NewsArticle">'
            '<meta property="datePublished" content="2024-12-02T09:10:00+01:00">'
            '<div property="articleSection">Split</div>'
            '<h1 property="headline">Split uvodi nove autobusne linije prema zračnoj luci</h1>'
            '<h2 class="subtitle">Autobusi će voziti svakih dvadeset minuta</h2>'
            '<div class="autor">Piše: <span property="author" typeof="Person"><span property="name">Ana Kovač'
            '</span></span> <span>02.12.2024. u 09:10</span></div>'
            f'<div property="articleBody">{_CROATIAN}</div></div></body></html>').encode()
    a = parse(html)
    assert a.authors == ["Ana Kovač"] and a.section == "Split" and a.language == "hr"
    assert a.standfirst == "Autobusi će voziti svakih dvadeset minuta"


def test_article_header_stamp_line_parsely_meta_and_end_mark():
    head = ('<meta name="parsely-page" content=\'{"title": "x", "pub_date": "2024-12-02T00:10:00Z", '
            '"section": "Economy", "author": "Lee Min-jun"}\'>')
    body = ('<header><p class="section-name">Economy</p><h1>Busan port adds two berths for car carriers</h1>'
            '<p class="update-time">2024-12-02 09:10 KST | Updated : 2024-12-02 11:25 KST</p></header>'
            '<div><p>BUSAN, Dec. 2 (Yonhap) -- Busan port will add two berths for car carriers next year, the '
            'port authority said Monday, as exports of electric vehicles keep rising.</p>'
            '<p>The berths will handle about 400,000 vehicles a year, the authority said in a statement.</p>'
            '<p>(END)</p></div>')
    html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>{head}</head>'
            f'<body><article>{body}</article></body></html>').encode()
    a = parse(html)
    assert a.published_at == datetime(2024, 12, 2, 0, 10, tzinfo=UTC)
    assert a.updated_at == datetime(2024, 12, 2, 2, 25, tzinfo=UTC)
    assert a.dateline == "BUSAN" and a.agency == "Yonhap" and a.authors == ["Lee Min-jun"]
    assert a.section == "Economy" and "(END)" not in a.body and "KST" not in a.body


def test_language_candidates_are_gated_by_the_sample_letters():
    from lingua import Language

    from pipelines.nlp.parsing.language import candidates
    swedish = candidates("Regeringen vill satsa två miljarder kronor på tåget")
    assert Language.ROMANIAN not in swedish and Language.CROATIAN not in swedish and Language.MALAY not in swedish
    assert Language.ROMANIAN in candidates("Primăria a anunțat că lucrările încep în martie")
    assert {Language.INDONESIAN, Language.MALAY} <= set(candidates("Pemerintah kota membuka dua pasar baru"))
    assert Language.CATALAN in candidates("L'equipament tindrà una sala amb vint places")
