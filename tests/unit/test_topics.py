"""The lexical IPTC tagger and the topic tagger facade."""

from __future__ import annotations

import pytest

from pipelines.nlp.entities.zones import article_text
from pipelines.nlp.topics.cues import CONFLICT, ECONOMY, POLITICS, SPORT
from pipelines.nlp.topics.lexical import build_lexical_model, select_topics, stem, terms
from pipelines.nlp.topics.tagger import TopicTagger
from pipelines.nlp.topics.taxonomy import load_taxonomy
from tests.conftest import make_article
from tests.fixtures.enrich_articles import seed_shaped_article


@pytest.fixture(scope="module")
def tagger():
    return TopicTagger()


def test_stem_and_terms():
    assert stem("strikes") == stem("strike") == "strike"
    assert stem("rates") == "rate" and stem("gas") == "gas"
    assert terms("The interest rates rose") == ["interest", "rate", "rose", "interest rate", "rate rose"]


def test_seed_shaped_article_is_politics_and_conflict(tagger):
    article = seed_shaped_article()
    topics = tagger.tag(article_text(article), article.section, "en")
    codes = [t.code for t in topics]
    assert set(codes) >= {POLITICS, CONFLICT}
    assert 1 <= len(topics) <= 3
    assert topics[0].label in ("politics and government", "conflict, war and peace")
    assert all(0 < t.score <= 1 for t in topics)
    assert [t.score for t in topics] == sorted((t.score for t in topics), reverse=True)


def test_sub_topic_vocabulary_counts_for_its_top_level_parent(tagger):
    # "interest rate" and "central bank" are sub-topic names under economy, business and finance.
    article = make_article("e", headline="Central bank raises interest rate",
                           body="The central bank raised its interest rate to fight inflation.")
    assert tagger.tag(article_text(article), None, "en")[0].code == ECONOMY


def test_section_tips_a_close_call(tagger):
    article = make_article("s", headline="A night to remember",
                           body="The team celebrated with fans after the final whistle and a long season.")
    without = {t.code: t.score for t in tagger.tag(article_text(article), None, "en")}
    with_section = tagger.tag(article_text(article), "Sport", "en")
    assert with_section[0].code == SPORT
    assert with_section[0].score > without.get(SPORT, 0.0)


def test_other_languages_use_section_only(tagger):
    article = make_article("fr", headline="Match nul", body="Le match s'est terminé sans but.")
    assert [t.code for t in tagger.tag(article_text(article), "Sport", "fr")] == [SPORT]
    assert tagger.tag(article_text(article), "Monde", "fr") == []


def test_empty_text_gets_no_topic(tagger):
    assert tagger.tag(article_text(make_article("x", headline=" ", body="")), None, "en") == []


def test_select_topics_keeps_close_runners_up_only():
    labels = {"a": "A", "b": "B", "c": "C", "d": "D"}
    topics = select_topics({"a": 1.0, "b": 0.7, "c": 0.2, "d": 0.1}, labels)
    assert [(t.code, t.score) for t in topics] == [("a", 0.5), ("b", 0.35)]


def test_model_without_news_words_still_tags():
    model = build_lexical_model(load_taxonomy(), news_words={})
    article = make_article("t", headline="Football league match ends in draw",
                           body="The football match in the league ended in a draw.")
    assert model.tag(article_text(article))[0].code == SPORT
