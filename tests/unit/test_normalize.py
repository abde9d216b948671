"""Normalisation shared by parsing and dedupe: cleaning keeps typography, hashing folds it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.nlp.normalize import (
    article_id,
    body_hash,
    clean_line,
    clean_text,
    content_keys,
    fold_for_hash,
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
