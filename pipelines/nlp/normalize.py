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
# Live-blog links that open the same page at one entry or filter its entries (``?page=with:block-ID``
# from a shared entry, ``filterKeyEvents``): the page, not a different article.
_ENTRY_PARAMS = {"filterkeyevents"}
_ENTRY_VALUE = re.compile(r"^with:block-", re.I)


def _identifies_article(key: str, value: str) -> bool:
    if _TRACKING_PARAMS.match(key) or key.lower() in _ENTRY_PARAMS:
        return False
    return not (key.lower() == "page" and _ENTRY_VALUE.match(value))


def clean_text(text: str) -> str:
    """NFC, unified newlines, collapsed inline whitespace; typography kept as written."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\u00ad", "")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NL.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """One-line field (headline, author): all whitespace collapsed to single spaces."""
    return squeeze_line(unicodedata.normalize("NFC", text).replace("\n", " "))


def clean_lines(text: str) -> list[str]:
    """clean_line of every line of ``text``, with one NFC pass for the whole text.

    Same result as line by line: a newline is a starter that never composes, so NFC cannot join
    or change characters across it.
    """
    return [squeeze_line(line) for line in unicodedata.normalize("NFC", text).split("\n")]


def squeeze_line(text: str) -> str:
    """Whitespace of an NFC line without newlines collapsed to single spaces, ends stripped."""
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


# fold_for_hash spends most of its time in a Unicode regex and str.translate. The usual news body
# is ASCII apart from typographic punctuation, which is folded here on UTF-8 bytes at C speed with
# the same result; any other non-ASCII text takes the reference path.
_TO_SPACE_CHARS = ("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
                   "\u2013\u2014\u2212\u2026\u00a0\u2009\u202f")
# One pattern per UTF-8 lead byte (\xe2 or \xc2): a pattern that starts with one literal byte is
# scanned for at C speed, an alternation of differing first bytes tests a byte set at every byte
# (3.4x slower on news bodies). A lead byte starts a whole character, so each match is one.
_FOLD_TO_SPACE = tuple(
    (lead, re.compile(re.escape(lead) + b"(?:" + b"|".join(
        re.escape(ch.encode()[1:]) for ch in _TO_SPACE_CHARS if ch.encode()[:1] == lead) + b")"))
    for lead in sorted({ch.encode()[:1] for ch in _TO_SPACE_CHARS}))
_FOLD_AWAY = tuple(ch.encode() for ch in _INVISIBLE)
_ASCII_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else (c if chr(c).isalnum() or c == 95 or c >= 128 else 32) for c in range(256))
# After _ASCII_FOLD only words and spaces are left: squeezing runs of spaces is the words joined
# by one space, about twice as fast as split() and join() (no object per word).
_SPACE_RUN = re.compile(b"  +")
# Latin-1 letters ('é', 'ü', 'ß', 'À'), two UTF-8 bytes led by \xc3, are most of the non-ASCII left
# in European news text. NFKC keeps each of them, casefold() only lower-cases them ('ß' to 'ss'),
# and all but '×' and '÷' are word characters: such text is folded on bytes too, where every byte
# 0x80-0xBF is then the second byte of one of them (upper case 0x80-0x9E, lower case 0xA0-0xBE).
_ASCII_BYTES = bytes(range(128))
_LATIN1_FOLD = bytes(c + 32 if 0x80 <= c <= 0x9E else _ASCII_FOLD[c] for c in range(256))
_LATIN1_SPECIAL = ((b"\xc3\x9f", b"ss"), (b"\xc3\x97", b" "), (b"\xc3\xb7", b" "))


def fold_bytes(text: str) -> bytes:
    """UTF-8 of ``fold_for_hash(text)``, computed on bytes when the text allows it."""
    data = text.encode("utf-8")
    if not data.isascii():
        for lead, pattern in _FOLD_TO_SPACE:
            if lead in data:
                data = pattern.sub(b" ", data)
        for char in _FOLD_AWAY:  # after the spaces, as before; removing whole characters makes no new ones
            data = data.replace(char, b"")
        if not data.isascii():
            rest = data.translate(None, _ASCII_BYTES)  # the bytes of the non-ASCII characters left
            if rest[::2].count(b"\xc3") * 2 != len(rest):  # not all of them led by \xc3
                return fold_for_hash(text).encode("utf-8")
            for char, folded in _LATIN1_SPECIAL:
                if char in data:
                    data = data.replace(char, folded)
            return _SPACE_RUN.sub(b" ", data.translate(_LATIN1_FOLD)).strip(b" ")
    return _SPACE_RUN.sub(b" ", data.translate(_ASCII_FOLD)).strip(b" ")


def stable_hash(text: str | bytes, size: int = 16) -> str:
    """Hex digest (blake2b) of ``text`` (UTF-8): stable across processes, runs and Python versions."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=size).hexdigest()


def body_hash(body: str) -> str:
    return stable_hash(fold_bytes(body))


def canonical_url(url: str | None) -> str | None:
    """Scheme/host lower-cased, ``www.``, fragments, default ports, tracking params and live-blog
    entry selectors dropped."""
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
                             if _identifies_article(k, v)))
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", host, path, query, ""))


def article_id(url: str | None, headline: str, body: str) -> str:
    """Stable id: from the canonical URL when there is one, else from the normalised content."""
    return content_keys(url, headline, body)[0]


def content_keys(url: str | None, headline: str, body: str) -> tuple[str, str]:
    """(article_id, body_hash) with the body folded once: the parser's hot path needs both."""
    folded_body = fold_bytes(body)  # the UTF-8 of fold_for_hash(body), about 5x faster on news text
    canon = canonical_url(url)
    if canon:
        return stable_hash("url:" + canon, 10), stable_hash(folded_body)
    return stable_hash(b"content:" + fold_bytes(headline) + b"\n" + folded_body, 10), stable_hash(folded_body)


# What str.split() splits at: ASCII whitespace (with the four separator controls) and these.
_WIDE_SPACES = ("\x85", "\xa0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
                "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
                "\u3000")
# UTF-8 bytes to b" " (ASCII whitespace) or b"w" (any other byte, non-ASCII ones included).
_SPACE_OR_WORD = bytes(32 if chr(c) in " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f" else 119 for c in range(256))


def word_count(text: str) -> int:
    """len(text.split()) without making a string of every word: the words are counted as the
    places where a non-space byte follows a space (or opens the text), about 2x faster."""
    if not text.isascii() and any(space in text for space in _WIDE_SPACES):
        return len(text.split())
    marks = text.encode("utf-8", "surrogatepass").translate(_SPACE_OR_WORD)
    return marks.count(b" w") + marks.startswith(b"w")
