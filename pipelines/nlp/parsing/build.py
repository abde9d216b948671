"""Draft to Article: normalise every field, require a headline and a body, derive id and hashes."""

from __future__ import annotations

import re

from pipelines.nlp.normalize import canonical_url, clean_line, content_keys, word_count
from pipelines.nlp.parsing.credits import unique
from pipelines.nlp.parsing.draft import Draft
from pipelines.nlp.parsing.errors import ParseError
from pipelines.nlp.parsing.language import detect_language
from schemas.records import Article, SourceRef

_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_MAX_HEADLINE = 400


def build_article(draft: Draft, source: SourceRef) -> Article:
    headline = clean_line(draft.headline or "")
    if not headline:
        raise ParseError("no_headline", f"{draft.parser}: no headline found")
    if len(headline) > _MAX_HEADLINE:
        raise ParseError("no_headline", f"{draft.parser}: headline candidate is {len(headline)} characters long")
    # Paragraphs come from clean_body(): one clean line each, nothing to normalise again.
    body = "\n\n".join(p for p in draft.paragraphs if p)
    if not body:
        raise ParseError("no_body", f"{draft.parser}: no article text found")
    standfirst = clean_line(draft.standfirst or "") or None
    url = draft.url.strip() if draft.url else None
    if url and canonical_url(url) is None:
        url = None
    # Detection first: declared languages (html lang, API fields) are often a template default;
    # the declared code only settles a close call (language.detect_language).
    declared = _language_code(draft.language)
    language = detect_language(f"{headline}. {body}", declared) or declared or draft.language_hint
    art_id, hashed = content_keys(url, headline, body)
    return Article(
        id=art_id,
        url=url,
        outlet=clean_line(draft.outlet or "") or None,
        section=_section(draft.section),
        headline=headline,
        standfirst=standfirst,
        authors=unique(clean_line(a) for a in draft.authors),
        published_at=draft.published_at,
        updated_at=draft.updated_at,
        dateline=clean_line(draft.dateline or "") or None,
        language=language,
        body=body,
        captions=unique(clean_line(c) for c in draft.captions),
        photo_credits=unique(clean_line(c) for c in draft.credits),
        agency=", ".join(unique(draft.agencies)) or None,
        word_count=word_count(body),
        body_hash=hashed,
        parser=draft.parser,
        source=source,
    )


def _section(section: str | None) -> str | None:
    section = clean_line(section or "")
    # 'WORLD NEWS' in a text dump is the site's CSS capitals, not the section's name.
    return (section.title() if section.isupper() and len(section) > 3 else section) or None


def _language_code(tag: str | None) -> str | None:
    match = _LANG_TAG.match(tag.strip()) if tag else None
    return match.group(1).lower()[:2] if match else None
