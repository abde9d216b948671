"""Text normalisation and stable hashing shared by parsing and deduplication.

Text kept in articles is NFC with typographic quotes preserved; text that is hashed is folded
further (quotes, dashes, case, whitespace) so trivial re-typesetting does not defeat dedupe.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Runs of inline whitespace that need rewriting to one space: any run holding a character other
# than a plain space, or two or more spaces (a lone space is left alone, which is most of them).
_WS = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000][ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]*"
                 r"| [ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MANY_NL = re.compile(r"\n{3,}")
# Quotes, dashes and ellipses are not word characters, so taking words only folds them away;
# invisible characters inside words are deleted first so they do not split a word in two.
_INVISIBLE = ("\u00ad", "\u200b", "\ufeff")
_WORD = re.compile(r"\w+")
# Query parameters that identify a campaign or session, not the article.
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|src|share)$", re.I)


def clean_text(text: str) -> str:
    """NFC, unified newlines, collapsed inline whitespace; typography kept as written."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\u00ad", "")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NL.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """One-line field (headline, author): all whitespace collapsed to single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\n", " ")
    if text.isascii() and "  " not in text and "\t" not in text:
        return text.strip()  # nothing for the regex to rewrite: the common case, and cheap
    return _WS.sub(" ", text).strip()


def fold_for_hash(text: str) -> str:
    """Lower-cased words only, quotes/dashes folded: the form that content hashes are taken of."""
    text = unicodedata.normalize("NFKC", text)
    for char in _INVISIBLE:
        if char in text:
            text = text.replace(char, "")
    return " ".join(_WORD.findall(text.casefold()))


def stable_hash(text: str, size: int = 16) -> str:
    """Hex digest (blake2b) of ``text``: stable across processes, runs and Python versions."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def body_hash(body: str) -> str:
    return stable_hash(fold_for_hash(body))


def canonical_url(url: str | None) -> str | None:
    """Scheme/host lower-cased, ``www.``, fragments, default ports and tracking params dropped."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING_PARAMS.match(k)))
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", host, path, query, ""))


def article_id(url: str | None, headline: str, body: str) -> str:
    """Stable id: from the canonical URL when there is one, else from the normalised content."""
    return content_keys(url, headline, body)[0]


def content_keys(url: str | None, headline: str, body: str) -> tuple[str, str]:
    """(article_id, body_hash) with the body folded once: the parser's hot path needs both."""
    folded_body = fold_for_hash(body)
    canon = canonical_url(url)
    if canon:
        return stable_hash("url:" + canon, 10), stable_hash(folded_body)
    return stable_hash("content:" + fold_for_hash(headline) + "\n" + folded_body, 10), stable_hash(folded_body)


def word_count(text: str) -> int:
    return len(text.split())
