"""Property tests: any bytes, any text and mangled real articles either parse or raise ParseError.

The parsers are called below parse_record's last-resort guard (which turns a bug into a
ParseError "parser_bug"), so a crash in any parser fails these tests instead of being hidden.
"""

from __future__ import annotations

import glob
import gzip
import random
import re
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.nlp.normalize import body_hash, word_count
from pipelines.nlp.parsing import ParseError, parse_record, parse_text
from pipelines.nlp.parsing.build import build_article
from pipelines.nlp.parsing.decode import decode_bytes
from schemas.records import Article, RawRecord, SourceRef

ROOT = Path(__file__).resolve().parents[2]
CONTENT_TYPES = ("text/plain", "text/html", "application/json", "unknown")
SOURCE = SourceRef(uri="prop.txt")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _inputs() -> list[bytes]:
    paths = glob.glob(str(ROOT / "tests/data/parse_gold/*/*.*")) + glob.glob(str(ROOT / "sample_data/input/*/*.*"))
    out = []
    for path in sorted(paths):
        data = Path(path).read_bytes()
        data = gzip.decompress(data) if path.endswith(".gz") else data
        out += data.splitlines() if path.endswith(".jsonl") else [data]
    return [d for d in out if d.strip()]


REAL = _inputs()


def strict_parse(data: bytes, content_type: str) -> Article | None:
    """parse_record's steps without its catch-all: only ParseError may come out."""
    try:
        text = decode_bytes(data)
        return build_article(parse_text(text, content_type), SOURCE)
    except ParseError as exc:
        assert exc.kind and exc.message
        return None


def check_article(article: Article | None) -> None:
    if article is None:
        return
    assert article.headline.strip() and article.body.strip()
    assert article.word_count == word_count(article.body) and article.body_hash == body_hash(article.body)
    assert "\n\n\n" not in article.body and article.body == article.body.strip()
    for stamp in (article.published_at, article.updated_at):
        assert stamp is None or stamp.utcoffset().total_seconds() == 0
    assert article.language is None or re.fullmatch(r"[a-z]{2}", article.language)


@SETTINGS
@given(data=st.binary(max_size=4096), content_type=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_bytes(data, content_type):
    check_article(strict_parse(data, content_type))


@SETTINGS
@given(text=st.text(max_size=3000), content_type=st.sampled_from(CONTENT_TYPES))
def test_arbitrary_text(text, content_type):
    check_article(strict_parse(text.encode("utf-8", "surrogatepass"), content_type))


_LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["", "by Agency Staff", "By JANE DOE and JOHN ROE", "Reuters", "2 days ago", "World",
                     "date 2025-01-01 World", "10 November 2024 - 14:13", "Published 3:05 PM GMT, March 4, 2025",
                     "Updated 2 hours ago", "Picture: REUTERS/X", "(Reporting by A; Editing by B)",
                     "NAIROBI, March 4 (Reuters) - ", "Von Anna Müller", "Publié le 3 mars 2025 à 7h00",
                     "Sign up for our newsletter", "Related articles", "Share", "By A | March 22, 2025",
                     "Explore more on these topics", "Lire aussi | x", "Stand: 04.03.2025 17:20 Uhr", "—", "|"]),
)


@SETTINGS
@given(lines=st.lists(_LINE, max_size=40))
def test_page_text_built_from_page_furniture(lines):
    check_article(strict_parse("\n".join(lines).encode(), "text/plain"))


_HTML_TAGS = ["div", "p", "article", "section", "span", "h1", "h2", "figure", "figcaption", "time", "a",
              "script", "style", "table", "td", "li", "ul", "br", "meta", "main", "nav"]
_ATTRS = ["", ' class="byline"', ' itemprop="author"', ' datetime="2025-03-04T10:00:00Z"',
          ' type="application/ld+json"']
_html = st.recursive(
    st.text(max_size=80).map(lambda t: t.replace("<", " ")),
    lambda children: st.tuples(st.sampled_from(_HTML_TAGS), st.sampled_from(_ATTRS), st.lists(children, max_size=4))
    .map(lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"),
    max_leaves=30)
_INT64 = st.integers(-(2**63), 2**63 - 1)
_jsonld_value = st.recursive(
    st.one_of(st.none(), st.text(max_size=30), _INT64),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["name", "@type", "@id"]), c, max_size=3),
    max_leaves=8)
_JSONLD_KEYS = ["@type", "headline", "author", "datePublished", "articleSection", "@graph", "url"]


@SETTINGS
@given(fragment=_html, jsonld=st.one_of(st.none(), st.dictionaries(st.sampled_from(_JSONLD_KEYS), _jsonld_value)))
def test_generated_html(fragment, jsonld):
    script = f'<script type="application/ld+json">{orjson.dumps(jsonld).decode()}</script>' if jsonld else ""
    page = f"<!DOCTYPE html><html><head>{script}</head><body>{fragment}</body></html>"
    check_article(strict_parse(page.encode(), "text/html"))


_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), _INT64, st.floats(), st.text(max_size=60)),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4), max_leaves=20)
_NEWS_KEYS = ["title", "headline", "body", "content", "text", "description", "publishedAt", "published", "date",
              "author", "authors", "byline", "source", "url", "section", "category", "language", "fields",
              "articles", "results", "response", "timestamp", "agency"]


@SETTINGS
@given(record=st.dictionaries(st.sampled_from(_NEWS_KEYS), _json_value, max_size=12), as_list=st.booleans())
def test_generated_json_records(record, as_list):
    doc = [record] if as_list else record
    check_article(strict_parse(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS), "application/json"))


def _mangle(data: bytes, rng: random.Random) -> bytes:
    ops = rng.sample(range(8), rng.randint(1, 3))
    lines = data.split(b"\n")
    for op in ops:
        if op == 0 and lines:
            del lines[rng.randrange(len(lines))]
        elif op == 1 and lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op == 2:
            rng.shuffle(lines)
        elif op == 3:
            joined = b"\n".join(lines)
            lines = joined[: rng.randrange(len(joined) + 1)].split(b"\n")
        elif op == 4 and lines:
            i = rng.randrange(len(lines))
            lines[i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        elif op == 5:
            lines = [ln.decode("utf-8", "replace").encode("cp1252", "replace") for ln in lines]
        elif op == 6 and lines:
            i = rng.randrange(len(lines))
            lines[i] = lines[i] + b"<div><p>" * rng.randrange(1, 30)
        elif op == 7:
            lines = [ln + b"\r" for ln in lines]
    return b"\n".join(lines)


@SETTINGS
@given(which=st.integers(min_value=0, max_value=len(REAL) - 1), seed=st.integers(0, 2**32 - 1),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_mangled_real_articles(which, seed, content_type):
    check_article(strict_parse(_mangle(REAL[which], random.Random(seed)), content_type))


@pytest.mark.parametrize("data", REAL[:60])
def test_real_inputs_parse_deterministically(data):
    """Same bytes, same Article: ids and hashes do not depend on the run."""
    first = parse_or_none(data)
    second = parse_or_none(data)
    assert first == second


def parse_or_none(data: bytes) -> dict | None:
    try:
        return parse_record(RawRecord(data=data, source=SOURCE)).model_dump()
    except ParseError as exc:
        return {"error": exc.kind}
