"""Normalisation shared by parsing and dedupe: cleaning keeps typography, hashing folds it."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.nlp.normalize import (
    _ASCII_FOLD,
    _SPACE_OR_WORD,
    _WIDE_SPACES,
    article_id,
    body_hash,
    canonical_url,
    clean_line,
    clean_lines,
    clean_text,
    content_keys,
    fold_bytes,
    fold_for_hash,
    stable_hash,
    word_count,
)


def test_clean_text_keeps_typography_and_collapses_whitespace():
    assert clean_text("“Quote”\u00a0 here\r\n\r\n\r\n\tNext  para ") == "“Quote” here\n\nNext para"
    assert clean_line(" a\n b\u2003 c ") == "a b c"


def test_fold_ignores_quotes_dashes_case_and_invisible_characters():
    assert fold_for_hash("“Ruto’s” re\u00adshuffle — TODAY…") == fold_for_hash('"Ruto\'s" reshuffle - today...')
    assert fold_for_hash("ﬁnance  minister") == "finance minister"


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(st.none(), st.just("https://www.example.com/a/?utm_source=x")), headline=st.text(max_size=40),
       body=st.text(max_size=300))
def test_content_keys_equal_article_id_and_body_hash(url, headline, body):
    assert content_keys(url, headline, body) == (article_id(url, headline, body), body_hash(body))


def test_ids_from_url_ignore_tracking_and_from_content_ignore_typography():
    tracked = article_id("https://www.example.com/a?utm_source=x", "h", "b")
    assert tracked == article_id("https://example.com/a", "x", "y")
    assert article_id(None, "Ruto’s cabinet", "Body “text”") == article_id(None, "Ruto's cabinet", 'Body "text"')


def test_canonical_url_drops_live_blog_entry_selectors_only():
    page = "https://example.com/news/live/2025/nov/14/floods-live"
    assert canonical_url(page + "?page=with:block-6735d1f2#block-6735d1f2") == page
    assert canonical_url(page + "?filterKeyEvents=false&utm_medium=x") == page
    # A page number or any other query still tells articles apart.
    assert canonical_url(page + "?page=2") == page + "?page=2"
    assert canonical_url("https://example.com/story?id=7&page=with:block-1") == "https://example.com/story?id=7"


_news_text = st.text(alphabet=st.sampled_from(
    list("aZ09_ .,;:!?'\"-\t\n")
    + list("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ad\u200b\ufeff\u2033éß½İ")),
    max_size=60)


@settings(max_examples=500, deadline=None)
@given(_news_text)
def test_fold_bytes_is_the_utf8_of_fold_for_hash(text):
    assert fold_bytes(text) == fold_for_hash(text).encode("utf-8")


# Every Latin-1 letter and sign, with ASCII, typographic punctuation and characters led by other bytes.
_latin1_text = st.text(alphabet=st.sampled_from(
    [chr(c) for c in range(0xA0, 0x100)] + list("aZ09_ .-\n\u2019\u2014\u00ad\u0301İĀ€")), max_size=60)


@settings(max_examples=2000, deadline=None)
@given(_latin1_text)
def test_fold_bytes_folds_latin1_letters_as_fold_for_hash(text):
    assert fold_bytes(text) == fold_for_hash(text).encode("utf-8")


def test_fold_bytes_of_each_latin1_character_between_words():
    for c in range(0x80, 0x100):
        for text in (f"a{chr(c)}b", f"{chr(c)}", f"x {chr(c)}{chr(c)} Y", f"é{chr(c)}\u2019s"):
            assert fold_bytes(text) == fold_for_hash(text).encode("utf-8"), hex(c)


def test_content_keys_hash_the_reference_fold():
    body, headline = "“Quoted” — body…\u00a0text", "Head\u00adline"
    expected = stable_hash("content:" + fold_for_hash(headline) + "\n" + fold_for_hash(body), 10)
    assert content_keys(None, headline, body) == (expected, stable_hash(fold_for_hash(body)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"aeC \t\n\u00a0\u3000", "\u0301", "\u0308", "\u1100", "\u1161", "\u212b"]),
               max_size=40))
def test_clean_lines_is_clean_line_of_each_line(text):
    assert clean_lines(text) == [clean_line(line) for line in text.split("\n")]


_FORMER_TO_SPACE = re.compile("|".join(
    "\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2013\u2014\u2212\u2026\u00a0\u2009\u202f"
).encode())
_FORMER_AWAY = re.compile("|".join("\u00ad\u200b\ufeff").encode())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("a .'\"-") + list("\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2013\u2014"
                           "\u2212\u2026\u00a0\u2009\u202f\u00ad\u200b\ufeff\u00e9\u00c2\u20ac\u2022\u00ac")),
    max_size=40))
def test_fold_bytes_matches_the_former_single_pattern_fold(text):
    # The per-lead-byte patterns and plain replaces rewrite exactly what one alternation did.
    data = _FORMER_AWAY.sub(b"", _FORMER_TO_SPACE.sub(b" ", text.encode()))
    expected = fold_for_hash(text).encode() if not data.isascii() else (
        re.sub(b"  +", b" ", data.translate(_ASCII_FOLD)).strip(b" "))
    assert fold_bytes(text) == expected


def test_word_count_knows_every_character_str_split_splits_at():
    assert tuple(chr(c) for c in range(128, sys.maxunicode + 1) if chr(c).isspace()) == _WIDE_SPACES
    assert [c for c in range(128) if _SPACE_OR_WORD[c] == 32] == [c for c in range(128) if chr(c).isspace()]


_count_pieces = st.sampled_from(["word", "é", "’", "\ud800", " ", "  ", "\n\n", "\t", "\x1c", "\x0b", "\u00a0",
                                 "\u2003", "\u3000", "\x85", "\u200b", "-"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(_count_pieces, max_size=12).map("".join)))
def test_word_count_is_the_number_of_split_words(text):
    assert word_count(text) == len(text.split())
