"""Bytes to text: BOMs, gzip, UTF-8 first, legacy encodings detected, binary refused."""

from __future__ import annotations

import codecs
import gzip
import re
import zlib

from pipelines.nlp.parsing.errors import MAX_INPUT_BYTES, MAX_TEXT_CHARS, ParseError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it shares the first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, LF, FF, CR: text files essentially never contain them.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_LETTER = re.compile(r"[^\W\d_]")


def decode_bytes(data: bytes, max_bytes: int = MAX_INPUT_BYTES) -> str:
    """Decode one record's bytes to text, or raise ParseError(empty|too_large|binary|undecodable)."""
    if len(data) > max_bytes:
        raise ParseError("too_large", f"input is {len(data)} bytes, limit is {max_bytes}")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes)
    if not data.strip():
        raise ParseError("empty", "input is empty or only whitespace")
    text = _decode(data).removeprefix("\ufeff")
    if not _utf8_without_controls(text, data):
        text = _CONTROL_CHARS.sub("", text)
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError("too_large", f"text is {len(text)} characters, limit is {MAX_TEXT_CHARS}")
    if not text.strip():
        raise ParseError("empty", "input has no text after decoding")
    return text


def _utf8_without_controls(text: str, data: bytes) -> bool:
    """``data`` is the UTF-8 of ``text`` (BOM aside) and holds no control byte, so ``text`` holds no
    control character (in UTF-8 each one is its own byte): two C passes over the bytes, the usual
    case, instead of the regex over the text."""
    encoded = text.encode("utf-8", "surrogatepass")
    if encoded != data and encoded != data.removeprefix(codecs.BOM_UTF8):
        return False
    return len(encoded.translate(None, _CONTROL_BYTES)) == len(encoded)


def require_letters(text: str) -> None:
    """Text formats (page text, HTML) need words; a JSON record is judged by its fields instead."""
    if not _LETTER.search(text):
        raise ParseError("no_text", "input contains no letters")


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    # Bounded decompression: a small gzip bomb must not expand without limit.
    try:
        out = zlib.decompressobj(wbits=31).decompress(data, max_bytes + 1)
    except (zlib.error, gzip.BadGzipFile, EOFError) as exc:
        raise ParseError("bad_gzip", f"gzip data is corrupt: {exc}") from None
    if len(out) > max_bytes:
        raise ParseError("too_large", f"gzip input expands beyond {max_bytes} bytes")
    return out


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError("undecodable", f"invalid {encoding} after byte-order mark: {exc.reason}") from None
    if _looks_binary(data):
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise ParseError("binary", "input looks binary (NUL or control bytes), not text")
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    return _detect(data)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(sample) // 200)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text written without a byte-order mark: NUL in every other byte of Latin text."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if len(zeros) >= 8 and zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if _CONTROL_CHARS.search(text[:4096]) else text
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _HTML_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # Pages that declare latin-1 are in practice cp1252 (the WHATWG rule browsers follow).
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else name


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes  # imported lazily: only legacy input needs it

    best = from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.3:
        raise ParseError("undecodable", "input is not UTF-8 and no legacy encoding fits it")
    encoding = best.encoding
    # Western European text: the detector may pick any of several 8-bit code pages that agree on
    # letters; cp1252 is by far the most common and also maps the typographic quotes.
    if encoding in ("latin_1", "iso8859_15", "mac_roman", "cp850"):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise ParseError("undecodable", f"input does not decode as detected {encoding}") from None
