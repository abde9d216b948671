"""Bytes to text: encodings are detected, bad bytes become ParseErrors with a clear kind."""

from __future__ import annotations

import codecs
import gzip

import pytest

from pipelines.nlp.parsing import decode
from pipelines.nlp.parsing.decode import decode_bytes, require_letters
from pipelines.nlp.parsing.errors import ParseError

TEXT = "Zürich: Präsident Macron trifft Scholz – „Gespräche über Europa“ am Montag"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),                       # with its byte-order mark
    gzip.compress(TEXT.encode("utf-8")),
])
def test_unicode_inputs_decode_exactly(data):
    assert decode_bytes(data) == TEXT


def test_legacy_western_encoding_is_detected_not_dead_lettered():
    text = ("Der Präsident äußerte sich am Dienstag in München zu den Gesprächen über die Zölle. "
            "Die Bürgermeisterin begrüßte die Einigung ausdrücklich. ") * 3
    assert decode_bytes(text.encode("cp1252")) == text


def test_html_declared_charset_is_used_when_not_utf8():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Bogotá – Petro</p></body></html>'
    assert "Bogotá" in decode_bytes(page.encode("cp1252"))


def test_crlf_is_kept_for_the_parser_to_normalise():
    assert decode_bytes(b"a\r\nb") == "a\r\nb"


@pytest.mark.parametrize(("data", "kind"), [
    (b"", "empty"),
    (b"  \n\t \r\n", "empty"),
    (bytes(range(256)) * 4, "binary"),
    (b"\x00\x01\x02garbage\x00", "binary"),
    (b"\x1f\x8b\x08\x00broken-gzip", "bad_gzip"),
])
def test_bad_bytes_raise_parse_errors(data, kind):
    with pytest.raises(ParseError) as err:
        decode_bytes(data)
    assert err.value.kind == kind and err.value.message


def test_size_limit_is_enforced_before_decoding():
    with pytest.raises(ParseError) as err:
        decode_bytes(b"x" * 101, max_bytes=100)
    assert err.value.kind == "too_large" and "100" in err.value.message


def test_gzip_bomb_is_bounded():
    bomb = gzip.compress(b"a" * 5_000_000)
    with pytest.raises(ParseError) as err:
        decode_bytes(bomb, max_bytes=1_000_000)
    assert err.value.kind == "too_large"


def test_text_without_letters_is_no_text():
    with pytest.raises(ParseError) as err:
        require_letters("12 34 -- 56")
    assert err.value.kind == "no_text"


def test_parse_error_survives_pickling_for_beam_workers():
    import pickle

    err = pickle.loads(pickle.dumps(ParseError("binary", "looks binary")))
    assert (err.kind, err.message) == ("binary", "looks binary")


def test_utf16_without_bom_is_text_not_binary():
    assert decode_bytes(TEXT.encode("utf-16-le")) == TEXT


@pytest.mark.parametrize("data", [
    "Headline\x07 with a bell\n\nBody text é.".encode(), codecs.BOM_UTF8 + "Title\x1b\n\nBody ’ text".encode(),
    "Café\x0b au lait\n\nUn texte français.".encode("cp1252"), b"Plain ASCII\x7f title\n\nBody.",
    "Clean UTF-8 ’ text\n\nBody.".encode(), codecs.BOM_UTF8 + codecs.BOM_UTF8 + b"Two\x01 BOMs\n\nBody."])
def test_control_characters_are_dropped_whichever_way_the_text_was_decoded(data):
    text = decode_bytes(data)
    assert not any(ch in text for ch in "\x01\x07\x0b\x1b\x7f") and not text.startswith("\ufeff")
    # the same text as the regex over every decoded text (before the UTF-8 shortcut)
    assert text == decode._CONTROL_CHARS.sub("", decode._decode(data).removeprefix("\ufeff"))
