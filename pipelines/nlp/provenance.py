"""Where each field of a parsed article appears in its input: the "why" of ``newsbeam inspect``.

The parsers do not record which rule picked a value, so this works backwards from the result:
it lists the places of the raw input (a line of a page-text dump; a JSON key path; a meta tag,
JSON-LD key or element of an HTML page) whose text equals, or else contains, the field's value,
and dates whose parsed value equals the field's. Pure functions, no Beam, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from lxml import etree
from lxml import html as lxml_html

from pipelines.nlp.normalize import fold_for_hash
from pipelines.nlp.parsing import styles
from pipelines.nlp.parsing.dates import find_datetime, parse_epoch
from pipelines.nlp.parsing.jsonrec import article_records
from schemas.records import Article

_MAX_CANDIDATE = 400  # longer texts are bodies: matched by containment only
_MAX_DEPTH = 12
_EPOCH = re.compile(r"-?\d{9,14}(?:\.\d+)?")


@dataclass(frozen=True)
class FieldSource:
    field: str
    where: str             # "line 3", "title", "meta property=og:title", "JSON-LD headline", "<h1>"
    excerpt: str = ""      # the input text there, shortened

    def __str__(self) -> str:
        return f"{self.where}: {self.excerpt}" if self.excerpt else self.where


@dataclass(frozen=True)
class StyleEvidence:
    style: str
    marks: list[str]       # the style's marks found in the page's head and tail
    header_line: bool      # the style's own header line opens the page


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _fields(article: Article) -> Iterator[tuple[str, str]]:
    """(field label, text value) for every text field worth locating."""
    for name in ("headline", "standfirst", "section", "dateline", "url", "outlet"):
        value = getattr(article, name)
        if value:
            yield name, value
    for i, author in enumerate(article.authors):
        yield f"authors[{i}]", author
    for agency in (article.agency or "").split(", "):
        if agency:
            yield "agency", agency
    for i, caption in enumerate(article.captions):
        yield f"captions[{i}]", caption
    if article.paragraphs:
        yield "body (first paragraph)", article.paragraphs[0]


def _best(value: str, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Candidates equal to ``value`` (folded), else the first ones containing its words; at most two."""
    target = fold_for_hash(value)
    if not target:
        return []
    folded = [(where, text, fold_for_hash(text)) for where, text in candidates]
    exact = [(w, t) for w, t, f in folded if f == target]
    if exact:
        return exact[:2]
    return [(w, t) for w, t, f in folded if f" {target} " in f" {f} "][:2]  # whole words: "AP" is not in "Japan"


def _when(text: str) -> tuple[datetime, bool] | None:
    """The date in a candidate: epoch seconds/milliseconds (API fields) or any written date."""
    if _EPOCH.fullmatch(text.strip()):
        found = parse_epoch(float(text))
        return (found, True) if found else None
    return find_datetime(text)


def _same_time(found: tuple[datetime, bool] | None, value: datetime) -> bool:
    if found is None:
        return False
    when, has_time = found
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return when == value if has_time else when.date() == value.astimezone(UTC).date()


def locate(article: Article, candidates: list[tuple[str, str]]) -> list[FieldSource]:
    """Every field of ``article`` with the candidate places its value appears in."""
    out: list[FieldSource] = []
    for field, value in _fields(article):
        for where, text in _best(value, candidates):
            out.append(FieldSource(field, where, _short(text)))
    for field in ("published_at", "updated_at"):
        value = getattr(article, field)
        if value is None:
            continue
        hits = [(w, t) for w, t in candidates if len(t) <= _MAX_CANDIDATE and _same_time(_when(t), value)]
        out.extend(FieldSource(field, w, _short(t)) for w, t in hits[:2])
    return out


# --- candidates per input shape ---------------------------------------------------------------

def text_candidates(text: str) -> list[tuple[str, str]]:
    """Each non-empty line of a page-text dump, numbered as in the file."""
    return [(f"line {n}", line.strip()) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _walk(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{i}]", depth + 1)
    elif isinstance(value, str) and value.strip():
        yield path or "$", value
    elif isinstance(value, int | float) and not isinstance(value, bool) and value > 10**8:
        yield path or "$", str(value)  # epoch seconds or milliseconds


def json_candidates(text: str, index: int | None = None) -> list[tuple[str, str]]:
    """Every string (and epoch number) of the JSON record, by key path."""
    data = orjson.loads(text)
    records = article_records(data)
    if isinstance(data, dict) and records and records[0] is not data:  # an API envelope around the records
        pick = index if index is not None and 0 <= index < len(records) else 0
        return list(_walk(records[pick], f"[{pick}]"))
    return list(_walk(data, ""))


def _text(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def html_candidates(text: str) -> list[tuple[str, str]]:
    """Meta tags, JSON-LD keys, <title>, headings, <time>, captions and classed elements of a page."""
    try:
        tree = lxml_html.document_fromstring(text, parser=lxml_html.HTMLParser(no_network=True))
    except (etree.ParserError, ValueError):
        return []
    out: list[tuple[str, str]] = []
    for meta in tree.iter("meta"):
        key = next(((a, meta.get(a)) for a in ("property", "name", "itemprop") if meta.get(a)), None)
        if key and meta.get("content"):
            out.append((f"<meta {key[0]}={key[1]}>", meta.get("content")))
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            out.append(("<link rel=canonical>", link.get("href")))
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                out.extend((f"JSON-LD {path}", value) for path, value in _walk(orjson.loads(script.text), ""))
            except orjson.JSONDecodeError:
                continue
    for tag in ("title", "h1", "h2", "figcaption"):
        out.extend((f"<{tag}>", _text(el)) for el in tree.iter(tag) if _text(el))
    for el in tree.iter("time"):
        if el.get("datetime"):
            out.append(("<time datetime>", el.get("datetime")))
    for el in tree.iter():
        cls = el.get("class") if isinstance(el.tag, str) else None
        if cls and el.tag not in ("html", "body") and 0 < len(_text(el)) <= _MAX_CANDIDATE:
            out.append((f"<{el.tag} class={cls.split()[0]}>", _text(el)))
    out.extend((f"<p> #{n}", _text(el)) for n, el in enumerate(tree.iter("p"), 1) if _text(el))
    return out


def candidates_for(text: str, shape: str, index: int | None = None) -> list[tuple[str, str]]:
    if shape == "json":
        return json_candidates(text, index)
    if shape == "html":
        return html_candidates(text)
    return text_candidates(text)


def style_evidence(text: str) -> StyleEvidence:
    """Which page-text style ``pick_style`` chose and the marks of it that the page carries."""
    lines = [line.strip() for line in text.split("\n")]
    style = styles.pick_style(lines)
    filled = [line for line in lines if line]
    head, tail = getattr(styles, "_HEAD_LINES", 30), getattr(styles, "_TAIL_LINES", 20)
    if len(filled) > head + tail:
        filled = filled[:head] + filled[-tail:]
    block = "\n".join(filled)
    short = [line for line in filled if len(line) <= getattr(styles, "_SHORT_LINE", 100)]
    marks = [mark if isinstance(mark, str) else f"/{mark.pattern}/" for mark in style.signature
             if (mark in block if isinstance(mark, str) else any(mark.match(line) for line in short))]
    header = bool(style.header is not None and filled and style.header.match(filled[0]))
    return StyleEvidence(style.name, marks, header)
