"""JSON records from news APIs and crawlers to a Draft.

Field names vary by provider (NewsAPI, The Guardian, NYT, news-please, NewsData, GDELT-style
crawlers); each Draft field takes the first candidate key present. A record must have a
headline and a body (``content``/``body``/``text``/...); everything else is optional.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson

from pipelines.nlp.normalize import clean_line
from pipelines.nlp.parsing.body import clean_body
from pipelines.nlp.parsing.credits import agency_name, parse_byline, split_names, unique
from pipelines.nlp.parsing.dates import parse_datetime, parse_epoch
from pipelines.nlp.parsing.draft import Draft
from pipelines.nlp.parsing.errors import MAX_JSON_DEPTH, ParseError
from schemas.records import schema_version_problem

# Envelope keys that hold a list of articles: {"status":"ok","articles":[...]}, {"response":{"results":[...]}}.
# 'posts': webz.io; 'items': Feedly streams, among others.
_ENVELOPE_KEYS = ("articles", "results", "items", "data", "docs", "documents", "news", "stories", "hits", "value",
                  "posts")
_HEADLINE = ("title", "headline", "webTitle", "name", "heading", "hed")
_STANDFIRST = ("description", "standfirst", "summary", "abstract", "trailText", "subtitle", "subheadline",
               "dek", "excerpt", "teaser", "lead", "lede", "snippet", "intro")
_BODY = ("body", "content", "text", "articleBody", "article_body", "bodyText", "maintext", "full_text",
         "fullText", "body_text", "story", "lead_paragraph", "html", "body_html", "content_html")
_PUBLISHED = ("publishedAt", "published_at", "published", "datePublished", "date_publish", "pubDate",
              "pub_date", "publish_date", "publishDate", "publication_date", "publicationDate", "published_date",
              "publishedDate", "webPublicationDate", "firstPublished", "first_published", "dateTimePub",
              "dateTime", "date_time", "pubdate", "date_gmt", "date", "created_at", "createdAt", "created", "timestamp",
              "time", "seendate")
_UPDATED = ("updatedAt", "updated_at", "updated", "dateModified", "date_modify", "modified_gmt", "modified",
            "modified_at",
            "lastModified", "last_modified", "lastModifiedDate")
_AUTHORS = ("authors", "author", "byline", "creator", "creators", "by", "writer", "writers", "contributors",
            "reporter", "reporters")
_URL = ("url", "link", "webUrl", "web_url", "canonical_url", "canonicalUrl", "uri", "permalink", "href")
_OUTLET = ("source", "source_name", "sourceName", "publisher", "site_name", "siteName", "outlet",
           "source_domain", "domain", "source_id", "feed")
_SECTION = ("section", "sectionName", "section_name", "articleSection", "category", "categories", "desk", "news_desk",
            "topic")
_LANGUAGE = ("language", "lang", "locale", "inLanguage")
_AGENCY = ("agency", "wire", "credit", "provider", "distributor")
_CAPTIONS = ("image_caption", "imageCaption", "caption", "captions")
_KNOWN_FORMS = frozenset(k.lower().replace("_", "") for group in (
    _HEADLINE, _STANDFIRST, _BODY, _PUBLISHED, _UPDATED, _AUTHORS, _URL, _OUTLET, _SECTION, _LANGUAGE, _AGENCY,
    _CAPTIONS) for k in group)
# NewsAPI cuts content with '… [+1873 chars]', GNews with '... [1873 chars]'.
_NEWSAPI_TRUNCATED = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+?\d+ chars\]\s*$")
_HTML_TAG = re.compile(r"<(?:p|br|div|span|a|strong|em|b|i|h\d|ul|li|figure|img)\b[^>]*>", re.I)


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def load_json(text: str) -> Any:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ParseError("bad_json", f"invalid JSON: {exc}") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise ParseError("too_deep", f"JSON nesting is deeper than {MAX_JSON_DEPTH} levels")
    return data


def article_records(data: Any) -> list[Any]:
    """The article objects in a document: itself, a top-level array, or an API envelope's list."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for holder in (data, data.get("response"), data.get("data") if isinstance(data.get("data"), dict) else None):
            if not isinstance(holder, dict):
                continue
            for key in _ENVELOPE_KEYS:
                items = holder.get(key)
                # Any object in the list makes it the envelope's: its other items become dead letters.
                if (isinstance(items, list) and (not items or any(isinstance(item, dict) for item in items))
                        and not _is_article(holder)):
                    return items
    return [data]


def parse_json_record(data: Any, index: int | None = None) -> Draft:
    records = article_records(data)
    if records is not data and not (isinstance(data, dict) and records == [data]):
        if index is not None and 0 <= index < len(records):
            data = records[index]
        elif len(records) == 1:
            data = records[0]
        elif not records:
            raise ParseError("no_articles", "JSON document holds an empty list of articles")
        else:
            raise ParseError("multiple_records", f"JSON document holds {len(records)} articles; "
                             "the file source splits such documents (pipelines.io.files)")
    if not isinstance(data, dict):
        raise ParseError("bad_record", f"JSON record is a {type(data).__name__}, expected an object")
    if "schema_version" in data:  # one of our own records (e.g. an article topic read back)
        problem = schema_version_problem(data["schema_version"])
        if problem:
            raise ParseError("unsupported_schema_version", problem)
    rec = _flatten(data)
    draft = Draft(parser=f"json:{_flavour(rec)}")
    draft.headline = _text_of(_pick(rec, _HEADLINE))
    if draft.headline is None:
        raise ParseError("missing_field", "JSON record has no headline (title/headline/webTitle)")
    body_value = _pick(rec, _BODY)
    body_text = _body_text(body_value)
    if not body_text:
        raise ParseError("missing_field", "JSON record has no body text (body/content/text/articleBody)")
    draft.standfirst = _text_of(_pick(rec, _STANDFIRST))
    if draft.standfirst and _looks_html(draft.standfirst):
        draft.standfirst = _html_to_text(draft.standfirst)
    draft.published_at = _date(_pick(rec, _PUBLISHED))
    draft.updated_at = _date(_pick(rec, _UPDATED))
    draft.url = _text_of(_pick(rec, _URL))
    draft.outlet = _outlet(_pick(rec, _OUTLET))
    draft.section = _first_text(_pick(rec, _SECTION))
    draft.language = _text_of(_pick(rec, _LANGUAGE))
    draft.authors, draft.agencies = _people(_pick(rec, _AUTHORS))
    agency = _text_of(_pick(rec, _AGENCY))
    if agency and agency_name(agency):
        draft.agencies.insert(0, agency_name(agency) or "")
    captions = _pick(rec, _CAPTIONS)
    draft.captions = [c for c in (captions if isinstance(captions, list) else [captions]) if isinstance(c, str)]
    draft.absorb(clean_body(body_text.split("\n")))
    return draft


def _is_article(obj: dict[str, Any]) -> bool:
    return any(k in obj for k in _HEADLINE) and any(k in obj for k in _BODY)


def _flatten(rec: dict[str, Any]) -> dict[str, Any]:
    # Guardian puts headline/body under "fields"; NYT nests headline.main and byline.original.
    flat = dict(rec)
    for nested in ("fields", "_source", "article", "attributes"):
        inner = rec.get(nested)
        if isinstance(inner, dict):
            for key, value in inner.items():
                flat.setdefault(key, value)
    return flat


def _flavour(rec: dict[str, Any]) -> str:
    if "webTitle" in rec or "webPublicationDate" in rec:
        return "guardian"
    if "publishedAt" in rec and isinstance(rec.get("source"), dict):
        return "newsapi"
    if "maintext" in rec or "date_publish" in rec:
        return "newsplease"
    if "pub_date" in rec and isinstance(rec.get("headline"), dict):
        return "nyt"
    return "generic"


def _pick(rec: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = rec.get(key)
        if value not in (None, "", [], {}):
            return value
    return _pick_loose(rec, keys)


def _key_form(key: str) -> str:
    """'PublishDate', 'publish_date' and 'publish-date' are one name to us."""
    return key.lower().replace("_", "").replace("-", "")


def _pick_loose(rec: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """Unknown spellings: the same names in any case or separators, then names that end in one.

    Providers write 'Title', 'PublishDate', 'story_text', 'lang_code'; a key matches a candidate
    when its squashed form equals it or ends or starts with it ('storytext' ends in 'text').
    """
    forms = {_key_form(k): v for k, v in rec.items()
             if isinstance(k, str) and v not in (None, "", [], {})}
    wanted = [_key_form(k) for k in keys]
    for form in wanted:
        if form in forms:
            return forms[form]
    # Affixes only on names no field claims ('subtitle' is a standfirst, never a headline),
    # never on ids or links ('story_id' is not a story).
    unclaimed = [(k, v) for k, v in forms.items() if k not in _KNOWN_FORMS and not k.endswith(("id", "url", "uri"))]
    for form in wanted:
        if len(form) < 4:
            continue  # 'by', 'url': too short to be a safe affix
        for key, value in unclaimed:
            # 'categories_names', 'tag_names': a list of names of a known field.
            if (key.endswith(form) or (key.startswith(form) and len(key) - len(form) <= 4)
                    or key.removesuffix("names") == form):
                return value
    return None


def _text_of(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_line(value) or None
    if isinstance(value, dict):
        # 'rendered': WordPress REST API fields ({"title": {"rendered": "..."}}).
        # 'content': Feedly's {"content": {"content": "<p>...", "direction": "ltr"}}.
        for key in ("main", "name", "original", "text", "value", "rendered", "en", "#text", "content"):
            if isinstance(value.get(key), str):
                return clean_line(value[key]) or None
    return None


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        return next((t for t in (_text_of(v) for v in value) if t), None)
    return _text_of(value)


def _body_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = "\n".join(p for p in (_text_of(v) if not isinstance(v, str) else v for v in value) if p)
    elif isinstance(value, dict):
        value = _text_of(value)
    if not isinstance(value, str):
        return None
    value = _NEWSAPI_TRUNCATED.sub("", value)
    if _looks_html(value):
        value = _html_to_text(value)
    return value.strip() or None


def _looks_html(text: str) -> bool:
    return _HTML_TAG.search(text[:2000]) is not None


def _html_to_text(fragment: str) -> str:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div",
                                             parser=lxml_html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = root.xpath(".//p|.//h2|.//h3|.//li|.//blockquote|.//figcaption")
    if not blocks:
        return root.text_content()
    return "\n".join(b.text_content() for b in blocks)


def _date(value: Any) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return parse_epoch(float(value))
    if isinstance(value, str):
        stripped = value.strip()
        if re.fullmatch(r"-?\d{9,14}(?:\.\d+)?", stripped):
            return parse_epoch(float(stripped))
        return parse_datetime(stripped)
    if isinstance(value, dict):
        return _date(_pick(value, ("$date", "date", "value", "iso", "timestamp")))
    return None


def _outlet(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text_of(value.get("name")) or _text_of(value.get("id")) or _text_of(value.get("domain"))
    return _text_of(value)


def _people(value: Any) -> tuple[list[str], list[str]]:
    """Authors and agencies from a string byline, a list of names or a list of person objects."""
    items = value if isinstance(value, list) else [value]
    authors: list[str] = []
    agencies: list[str] = []
    for item in items:
        text = _text_of(item) if not isinstance(item, str) else clean_line(item)
        if isinstance(item, dict) and not text:
            parts = [item.get("firstname"), item.get("middlename"), item.get("lastname")]
            text = " ".join(p for p in parts if isinstance(p, str) and p) or None
        if not text or text.startswith(("http://", "https://")):
            continue
        agency = agency_name(text)
        if agency:
            agencies.append(agency)
            continue
        parsed = parse_byline(text) or split_names(text)
        if parsed:
            authors += parsed[0]
            agencies += parsed[1]
        elif isinstance(value, list) and len(text) <= 60:
            authors.append(text)  # API lists hold one name per item, even unusual ones
    return unique(authors), unique(agencies)


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
