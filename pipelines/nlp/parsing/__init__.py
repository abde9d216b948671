"""Parse one raw input (page-text dump, HTML page or JSON record) into an Article.

Contract used by pipelines/transforms/parse.py:
    parse_record(raw: RawRecord) -> Article      # raises ParseError(kind, message) on bad input

Every other exception inside a parser is a bug; parse_record still turns it into a
ParseError("parser_bug", ...) so one odd page cannot crash a job.
"""

from __future__ import annotations

import logging

import orjson

from pipelines.nlp.parsing.build import build_article
from pipelines.nlp.parsing.decode import decode_bytes, require_letters
from pipelines.nlp.parsing.draft import Draft
from pipelines.nlp.parsing.errors import MAX_INPUT_BYTES, ParseError
from pipelines.nlp.parsing.html import looks_like_html, parse_html
from pipelines.nlp.parsing.jsonrec import load_json, looks_like_json, parse_json_record
from pipelines.nlp.parsing.pagetext import parse_page_text
from schemas.records import Article, RawRecord

__all__ = ["ParseError", "parse_record", "parse_text", "sniff"]

log = logging.getLogger(__name__)


def parse_record(raw: RawRecord, max_bytes: int = MAX_INPUT_BYTES) -> Article:
    """The Article in ``raw``, or ParseError with a machine-readable kind and a clear reason."""
    text = decode_bytes(raw.data, max_bytes)
    try:
        draft = parse_text(text, raw.content_type, index=raw.source.index)
        return build_article(draft, raw.source)
    except ParseError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError("too_complex", f"input too complex to parse: {type(exc).__name__}") from None
    except Exception as exc:
        log.warning("parser bug on %s: %r", raw.source.uri, exc, exc_info=True)
        raise ParseError("parser_bug", f"unexpected {type(exc).__name__}: {exc}") from None


def sniff(text: str, content_type: str = "unknown") -> str:
    """'json', 'html' or 'text': the content decides; the file-extension hint breaks ties."""
    if looks_like_json(text):
        if content_type == "application/json":
            return "json"
        try:
            orjson.loads(text)
            return "json"
        except orjson.JSONDecodeError:
            return "html" if content_type == "text/html" else "text"
    if looks_like_html(text):
        return "html"
    if content_type == "application/json":
        return "json"  # fails with a clear bad_json reason rather than parsing as page text
    return "text"


def parse_text(text: str, content_type: str = "unknown", index: int | None = None) -> Draft:
    shape = sniff(text, content_type)
    if shape == "json":
        return parse_json_record(load_json(text), index)
    require_letters(text)
    if shape == "html":
        return parse_html(text)
    return parse_page_text(text)
