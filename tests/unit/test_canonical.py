"""Canonicalisation rules on hand-made mentions (no spaCy)."""

from __future__ import annotations

import pytest

from pipelines.nlp.entities.canonical import (
    Mention,
    canonical_entities,
    clean_surface,
    defined_acronyms,
    split_coordination,
)
from pipelines.nlp.entities.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _find(text: str, surface: str, label: str, zone: str = "body", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(surface, label, start, zone)


@pytest.mark.parametrize(("raw", "label", "clean"), [
    ("Kyiv\u2019s", "ORG", "Kyiv"),
    ("the European Union", "ORG", "European Union"),
    ("President Vladimir Putin", "PERSON", "Vladimir Putin"),
    ("Daniil Medvedev 6-4", "PERSON", "Daniil Medvedev"),
    ("Janata Dal (United", "ORG", "Janata Dal (United)"),
    ("The Silent Orchard", "WORK_OF_ART", "The Silent Orchard"),
])
def test_clean_surface(raw, label, clean):
    assert clean_surface(raw, label) == clean


def test_short_person_mentions_merge_into_full_name_whatever_the_label(gaz):
    text = "Kim Jong Un met Vladimir Putin. Kim said Putin was a friend. Mr Putin agreed."
    mentions = [_find(text, "Kim Jong Un", "PERSON"), _find(text, "Vladimir Putin", "PERSON"),
                _find(text, "Kim", "ORG", nth=1), _find(text, "Putin", "PERSON", nth=1),
                _find(text, "Mr Putin", "PERSON")]
    entities = {e.name: e for e in canonical_entities(mentions, gaz, text)}
    assert set(entities) == {"Kim Jong Un", "Vladimir Putin"}
    assert entities["Vladimir Putin"].mentions == 3
    assert entities["Kim Jong Un"].type == "PERSON"
    assert entities["Kim Jong Un"].surface_forms == ["Kim Jong Un", "Kim"]


def test_ambiguous_short_name_is_not_merged(gaz):
    text = "Kim Jong Un and Kim Yo Jong arrived. Kim spoke."
    mentions = [_find(text, "Kim Jong Un", "PERSON"), _find(text, "Kim Yo Jong", "PERSON"),
                _find(text, "Kim", "PERSON", nth=2)]
    names = {e.name for e in canonical_entities(mentions, gaz, text)}
    assert names == {"Kim Jong Un", "Kim Yo Jong", "Kim"}


def test_places_nationalities_and_label_repairs(gaz):
    text = "Russian troops entered Kursk. Kyiv's forces held. A city in Texas. Russia denied it."
    mentions = [_find(text, "Russian", "NORP"), _find(text, "Kursk", "PRODUCT"),
                _find(text, "Kyiv's", "ORG"), _find(text, "Texas", "GPE"), _find(text, "Russia", "GPE", nth=1)]
    entities = {e.name: e for e in canonical_entities(mentions, gaz, text)}
    assert (entities["Russia"].type, entities["Russia"].id, entities["Russia"].mentions) == ("GPE", "RU", 2)
    assert (entities["Kursk"].type, entities["Kursk"].id) == ("GPE", "geonames:538560")
    assert (entities["Kyiv"].type, entities["Kyiv"].id) == ("GPE", "geonames:703448")
    assert entities["Texas"].id == "US-TX"


def test_person_named_like_a_city_stays_a_person(gaz):
    text = "Lloyd Austin visited troops. Austin said the mission was over."
    mentions = [_find(text, "Lloyd Austin", "PERSON"), _find(text, "Austin", "GPE", nth=1)]
    [entity] = canonical_entities(mentions, gaz, text)
    assert (entity.name, entity.type, entity.mentions) == ("Lloyd Austin", "PERSON", 2)


def test_acronyms_from_article_and_alias_table(gaz):
    text = "The International Monetary Fund (IMF) warned. The IMF and the UN met in Geneva."
    assert defined_acronyms(text) == {"IMF": "International Monetary Fund"}
    mentions = [_find(text, "The International Monetary Fund", "ORG"), _find(text, "IMF", "ORG", nth=1),
                _find(text, "UN", "ORG")]
    names = {e.name: e.mentions for e in canonical_entities(mentions, gaz, text)}
    assert names == {"International Monetary Fund": 2, "United Nations": 1}


def test_coordinated_span_is_split_but_compound_names_are_not(gaz):
    m = Mention("University of Sydney and Monash University", "ORG", 10, "body")
    assert [p.text for p in split_coordination(m, gaz)] == ["University of Sydney", "Monash University"]
    assert split_coordination(m, gaz)[1].start == 10 + len("University of Sydney and ")
    whole = Mention("Trinidad and Tobago", "GPE", 0, "body")
    assert split_coordination(whole, gaz) == [whole]


def test_sentence_initial_common_word_and_noise_are_dropped(gaz):
    text = "Accord signed\n\nThe accord was signed by Agency staff."
    mentions = [Mention("Accord", "PRODUCT", 0, "headline"), _find(text, "Agency", "ORG")]
    assert canonical_entities(mentions, gaz, text) == []


def test_salience_weighs_headline_over_body(gaz):
    text = "Merkel visits Paris\n\nBerlin said Merkel would return to Berlin."
    mentions = [Mention("Merkel", "PERSON", 0, "headline"), _find(text, "Paris", "GPE", "headline"),
                _find(text, "Berlin", "GPE"), _find(text, "Merkel", "PERSON", nth=1),
                _find(text, "Berlin", "GPE", nth=1)]
    entities = canonical_entities(mentions, gaz, text)
    assert [e.name for e in entities] == ["Merkel", "Paris", "Berlin"]
    # Merkel: 3 + 1, Paris: 3, Berlin: 1 + 1 out of 9.
    assert [e.salience for e in entities] == [round(4 / 9, 4), round(3 / 9, 4), round(2 / 9, 4)]


def test_any_word_of_a_full_name_but_particles_refers_to_it(gaz):
    text = "Luiz Inacio Lula da Silva spoke. Lula promised funds. Da was not a name."
    mentions = [_find(text, "Luiz Inacio Lula da Silva", "PERSON"), _find(text, "Lula", "PERSON", nth=1)]
    [entity] = canonical_entities(mentions, gaz, text)
    assert (entity.name, entity.mentions) == ("Luiz Inacio Lula da Silva", 2)
