"""HTML pages to a Draft: metadata from JSON-LD, OpenGraph and article:* meta; body via trafilatura.

The page is parsed once with lxml (no network, no external entities, bounded depth and size) and
the same tree is handed to trafilatura, so the page is never parsed twice.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from pipelines.nlp.normalize import clean_line
from pipelines.nlp.parsing.body import clean_body
from pipelines.nlp.parsing.credits import agency_name, parse_byline, split_caption, unique
from pipelines.nlp.parsing.dates import parse_datetime
from pipelines.nlp.parsing.draft import Draft
from pipelines.nlp.parsing.errors import MAX_HTML_DEPTH, ParseError
from pipelines.nlp.parsing.pagetext import is_date_line, read_stamps, split_meta

MAX_HTML_ELEMENTS = 60_000
_MAX_JSONLD_CHARS = 1_000_000
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                  "report", "socialmediaposting", "webpage"}
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_PARSER = lxml_html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                               default_doctype=False)


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip()
    if not head.startswith("<"):
        return False  # every test below needs it; no character lower-cases to '<' or from it
    head = head.lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        re.search(r"<(?:html|head|body|article|div|p|meta|title)\b", head) is not None)


def parse_html(text: str) -> Draft:
    tree = _parse_tree(text)
    meta = _PageMeta(tree)
    draft = Draft(parser="html:trafilatura")
    ld = meta.article_ld
    draft.url = meta.first(meta.link_canonical, meta.prop("og:url"), _str(ld.get("url")), _ld_id(ld))
    draft.outlet = meta.first(meta.prop("og:site_name"), _name(ld.get("publisher")))
    draft.section = meta.first(_first_str(ld.get("articleSection")), meta.prop("article:section"),
                               meta.prop("articlesection"), meta.section_el, meta.parsely("section"),
                               meta.breadcrumb_section,
                               meta.visible_breadcrumb())
    draft.headline = meta.first(_str(ld.get("headline")), meta.h1, _strip_site(meta.prop("og:title")),
                                _strip_site(meta.prop("twitter:title")), _strip_site(meta.title))
    draft.standfirst = meta.first(meta.standfirst_el, _str(ld.get("description")), meta.prop("og:description"),
                                  meta.prop("description"))
    draft.published_at = _first_date(_str(ld.get("datePublished")), meta.prop("article:published_time"),
                                     meta.prop("og:article:published_time"), meta.prop("date"),
                                     meta.prop("pubdate"), meta.prop("publish-date"), meta.prop("dc.date"),
                                     meta.prop("dc.date.issued"), meta.prop("parsely-pub-date"),
                                     meta.parsely("pub_date"),
                                     meta.prop("sailthru.date"), meta.prop("datepublished"), meta.time_published,
                                     _str(ld.get("dateCreated")), meta.printed_date())
    draft.updated_at = _first_date(_str(ld.get("dateModified")), meta.prop("article:modified_time"),
                                   meta.prop("og:updated_time"), meta.prop("last-modified"),
                                   meta.prop("datemodified"), meta.time_updated)
    if draft.published_at is None:
        draft.published_at = draft.updated_at  # only a modified date: the best publication time given
    draft.language = meta.first(_str(ld.get("inLanguage")), meta.lang, meta.prop("og:locale"))
    authors, agencies = _ld_people(ld.get("author"))
    if not authors and not agencies:
        authors, agencies = meta.byline_people()
    if not authors and not agencies and meta.parsely("author"):
        authors, agencies = parse_byline(meta.parsely("author") or "", allow_bare=True) or ([], [])
    draft.authors, draft.agencies = authors, agencies
    for caption in meta.captions():
        split = split_caption(caption)
        if split:
            if split[0]:
                draft.captions.append(split[0])
            draft.credits.append(split[1])
        else:
            draft.captions.append(caption)
    lines = _drop_head_lines(_body_lines(tree, ld), draft, meta.standfirst_el)
    draft.absorb(clean_body(lines))
    if not lines and ld.get("articleBody"):
        draft.parser = "html:jsonld"
    return draft


def _drop_head_lines(lines: list[str], draft: Draft, standfirst_el: str | None) -> list[str]:
    """Take the headline, a standfirst printed as its own element, bylines and date lines that
    the extractor kept at the top of the text, and captions anywhere, out of the body."""
    drop = {clean_line(x) for x in (draft.headline, standfirst_el, *draft.captions) if x}
    kept: list[str] = []
    for n, line in enumerate(lines):
        text = clean_line(line)
        if text in drop:
            continue
        if n < 8 and not kept and parse_byline(text) is not None:
            continue
        if n < 8 and not kept and text == draft.section:
            continue  # the section label of the article's own <header>
        if n < 8 and not kept and is_date_line(text):
            published, updated = read_stamps(text)
            draft.published_at = draft.published_at or published  # a page with no date metadata
            draft.updated_at = draft.updated_at or updated
            continue
        kept.append(line)
    return kept


def _parse_tree(text: str) -> lxml_html.HtmlElement:
    text = _XML_DECL.sub("", text, count=1)
    try:
        tree = lxml_html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError("bad_html", f"HTML could not be parsed: {exc}") from None
    depth = deepest = count = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            count += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if deepest >= MAX_HTML_DEPTH:
        raise ParseError("too_deep", f"HTML nesting reaches {deepest} levels, limit is {MAX_HTML_DEPTH}")
    if count > MAX_HTML_ELEMENTS:
        raise ParseError("too_large", f"HTML has {count} elements, limit is {MAX_HTML_ELEMENTS}")
    return tree


def _body_lines(tree: lxml_html.HtmlElement, ld: dict[str, Any]) -> list[str]:
    text = trafilatura.extract(tree, include_comments=False, include_tables=False, include_images=False,
                               include_links=False, with_metadata=False, deduplicate=False)
    if text:
        return text.split("\n")
    body = _str(ld.get("articleBody"))
    return body.split("\n") if body else []


# Elements that may print the publication date: microdata first, then class names, at most a few
# dozen elements (the xpath result is cut, see printed_date).
_DATE_ELEMENTS = (
    "(//*[@itemprop='datePublished' or @itemprop='dateCreated'] | "
    "//*[self::span or self::div or self::p or self::small or self::li]"
    "[contains(@class, 'date') or contains(@class, 'when') or contains(@class, 'time') or "
    "contains(@class, 'posted') or contains(@class, 'published') or contains(@class, 'byline') or "
    "contains(@class, 'meta')])[position() <= 40]")
_CRUMB_LINKS = ("(//*[contains(@class, 'breadcrumb') or contains(@class, 'crumbs') or @itemtype='https://schema.org/"
                "BreadcrumbList' or @itemtype='http://schema.org/BreadcrumbList']//a)[position() <= 6]")
_HOME_CRUMBS = frozenset({"home", "homepage", "startseite", "accueil", "inicio", "portada", "news"})


class _PageMeta:
    """Metadata sources of one page, read once."""

    def __init__(self, tree: lxml_html.HtmlElement) -> None:
        self.tree = tree
        self.meta: dict[str, str] = {}
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            content = el.get("content")
            if key and content and key not in self.meta:
                self.meta[key] = content.strip()
        self.lang = tree.get("lang") or tree.get("xml:lang")
        self._parsely: dict[str, Any] | None = None
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        self.link_canonical = str(canonical[0]) if canonical else None
        titles = tree.xpath("//title")
        self.title = _text(titles[0]) if titles else None
        # The article's own <h1> first: some templates also wrap the site logo in an <h1>.
        site = (self.meta.get("og:site_name") or "").strip().lower()
        found = [*tree.xpath("//article//h1"), *tree.xpath("//main//h1"), *tree.xpath("//h1")]  # in this order
        h1s = [t for t in (_text(h) for h in found) if t and t.lower() != site]
        self.h1 = h1s[0] if h1s else None
        self.article_ld = self._article_ld()
        stand = tree.xpath("//*[self::p or self::h2 or self::div][contains(@class, 'standfirst') or "
                           "contains(@class, 'summary') or contains(@class, 'lead') or contains(@class, 'chapo') or "
                           "contains(@class, 'dek') or contains(@class, 'subheadline') or contains(@class, 'intro') "
                           "or contains(@class, 'teaser') or contains(@class, 'subtitle') or @itemprop='description' "
                           "or @property='description']")
        self.standfirst_el = next((t for t in (_text(s) for s in stand) if t and len(t) < 600), None)
        kicker = tree.xpath("//*[@property='articleSection' or @itemprop='articleSection' or "
                            "contains(@class, 'section-label') or contains(@class, 'section-name') or "
                            "contains(@class, 'kicker') or contains(@class, 'rubrique') or "
                            "contains(@class, 'ressort')]")
        self.section_el = next((t for t in (_text(k) for k in kicker) if t and len(t) <= 40), None)
        self.breadcrumb_section = self._breadcrumb()
        self.time_published = self._time(("published", "pubdate", "date-published", "datePublished"))
        self.time_updated = self._time(("updated", "modified", "dateModified"))

    def prop(self, key: str) -> str | None:
        return self.meta.get(key)

    def parsely(self, key: str) -> str | None:
        """A field of the Parse.ly JSON meta tag (<meta name="parsely-page" content='{"pub_date": ...}'>)."""
        if self._parsely is None:
            raw = self.meta.get("parsely-page")
            try:
                data = orjson.loads(raw) if raw and len(raw) <= _MAX_JSONLD_CHARS else {}
            except orjson.JSONDecodeError:
                data = {}
            self._parsely = data if isinstance(data, dict) else {}
        return _str(self._parsely.get(key))

    @staticmethod
    def first(*values: str | None) -> str | None:
        for value in values:
            if value and value.strip():
                return clean_line(value)
        return None

    def _article_ld(self) -> dict[str, Any]:
        best: dict[str, Any] = {}
        for script in self.tree.xpath("//script[@type='application/ld+json']"):
            raw = script.text or ""
            if not raw.strip() or len(raw) > _MAX_JSONLD_CHARS:
                continue
            try:
                data = orjson.loads(raw.strip().rstrip(";"))
            except orjson.JSONDecodeError:
                continue  # a broken JSON-LD block is common; the page still has other metadata
            for obj in _ld_objects(data):
                kinds = obj.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                names = {str(k).lower() for k in kinds if k}
                if names & _ARTICLE_TYPES and (not best or "webpage" in _types(best)):
                    best = obj
        return best

    def _breadcrumb(self) -> str | None:
        """The first crumb after 'Home' of a JSON-LD BreadcrumbList: the page's section."""
        for script in self.tree.xpath("//script[@type='application/ld+json']"):
            raw = script.text or ""
            if "BreadcrumbList" not in raw or len(raw) > _MAX_JSONLD_CHARS:
                continue
            try:
                data = orjson.loads(raw.strip().rstrip(";"))
            except orjson.JSONDecodeError:
                continue
            for obj in _ld_objects(data):
                if "breadcrumblist" not in _types(obj) or not isinstance(obj.get("itemListElement"), list):
                    continue
                for crumb in obj["itemListElement"]:
                    name = _name(crumb.get("item")) if isinstance(crumb, dict) and crumb.get("item") else None
                    name = name or (_name(crumb) if isinstance(crumb, dict) else None)
                    if name and name.strip().lower() not in ("home", "startseite", "accueil"):
                        return name
        return None

    def _time(self, hints: tuple[str, ...]) -> str | None:
        for el in self.tree.iter("time"):
            marks = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("pubdate"))))
            if el.get("datetime") and any(h.lower() in marks.lower() for h in hints):
                return el.get("datetime")
        if "published" in hints:
            for el in self.tree.iter("time"):
                # A <time> without a machine-readable value still prints the date.
                value = el.get("datetime") or _text(el)
                if value and parse_datetime(value):
                    return value
        return None

    def printed_date(self) -> str | None:
        """A date only printed in the page ('Published on 4 March 2025, 16:20'), in a date or byline
        element (microdata or class names say which); read only when no metadata gives one."""
        for el in self.tree.xpath(_DATE_ELEMENTS):
            value = el.get("content") or el.get("datetime")
            if value and parse_datetime(value):
                return value
            for part in split_meta(_text(el) or "")[:4]:
                if is_date_line(part):
                    return part
        return None

    def visible_breadcrumb(self) -> str | None:
        """The first crumb after 'Home' of a breadcrumb trail printed in the page."""
        for el in self.tree.xpath(_CRUMB_LINKS):
            name = _text(el)
            if name and len(name) <= 40 and name.lower() not in _HOME_CRUMBS:
                return name
        return None

    def byline_people(self) -> tuple[list[str], list[str]]:
        author = self.meta.get("author") or self.meta.get("article:author") or self.meta.get("byl")
        if author and not author.startswith(("http://", "https://")):
            parsed = parse_byline(author, allow_bare=True)
            if parsed:
                return parsed
        # microdata and RDFa ('<span property="author" typeof="Person">') name the author's element too
        for el in self.tree.xpath("//*[@rel='author' or @itemprop='author' or @property='author' "
                                  "or contains(@class, 'byline') "
                                  "or contains(@class, 'author') or contains(@class, 'signature') "
                                  "or contains(@class, 'auteur') or contains(@class, 'autor') "
                                  "or contains(@class, 'meta')]"):
            # "By A and B | March 9, 2025": the byline is one of the parts.
            for part in split_meta(_text(el) or ""):
                parsed = parse_byline(part, allow_bare=not part.lower().startswith(("by ", "von ", "par ")))
                if parsed and (parsed[0] or parsed[1]):
                    return parsed
        return [], []

    def captions(self) -> Iterator[str]:
        for el in self.tree.iter("figcaption"):
            text = _text(el)
            if text:
                yield text


def _types(obj: dict[str, Any]) -> set[str]:
    kinds = obj.get("@type")
    return {str(k).lower() for k in (kinds if isinstance(kinds, list) else [kinds]) if k}


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _ld_objects(data["@graph"], depth + 1)


def _ld_people(value: Any) -> tuple[list[str], list[str]]:
    authors: list[str] = []
    agencies: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = _name(item)
        if not name:
            continue
        agency = agency_name(name)
        if agency:
            agencies.append(agency)
            continue
        parsed = parse_byline(name, allow_bare=True)
        if parsed:
            authors += parsed[0]
            agencies += parsed[1]
        elif isinstance(item, dict) and str(item.get("@type", "")).lower() == "person":
            authors.append(clean_line(name))
    return unique(authors), unique(agencies)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _str(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


def _ld_id(ld: dict[str, Any]) -> str | None:
    page = ld.get("mainEntityOfPage")
    if isinstance(page, dict):
        return _str(page.get("@id"))
    return _str(page)


def _str(value: Any) -> str | None:
    # JSON-LD is often written by templates that HTML-escape it ("Thailand&#39;s").
    return html_lib.unescape(value).strip() or None if isinstance(value, str) else None


def _first_str(value: Any) -> str | None:
    if isinstance(value, list):
        return next((v for v in (_str(x) for x in value) if v), None)
    return _str(value)


def _first_date(*values: str | None) -> datetime | None:
    for value in values:
        if value:
            parsed = parse_datetime(value)
            if parsed is not None:
                return parsed
    return None


def _strip_site(title: str | None) -> str | None:
    return _TITLE_SUFFIX.sub("", title.strip()) if title else None


def _text(el: etree._Element) -> str | None:
    try:
        return clean_line(el.text_content()) or None
    except (ValueError, AttributeError):
        return None
