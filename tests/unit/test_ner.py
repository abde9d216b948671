"""NER + canonical entities on whole articles (real spaCy model, loaded once for the module)."""

from __future__ import annotations

import pytest

from pipelines.nlp.entities.ner import EntityExtractor, load_ner
from tests.conftest import make_article
from tests.fixtures.enrich_articles import french_article, seed_shaped_article


@pytest.fixture(scope="module")
def extractor():
    return EntityExtractor()


def test_only_ner_component_is_loaded():
    assert load_ner().pipe_names == ["ner"]


def test_seed_shaped_article_people_and_places(extractor):
    [result] = extractor.extract([seed_shaped_article()])
    by_name = {e.name: e for e in result.entities}
    for person in ("Vladimir Putin", "Kim Jong Un", "Volodymyr Zelensky"):
        assert by_name[person].type == "PERSON"
    assert "Putin" not in by_name and "Kim" not in by_name and "Zelensky" not in by_name
    for name, code in (("Russia", "RU"), ("North Korea", "KP"), ("Ukraine", "UA")):
        assert (by_name[name].type, by_name[name].id) == ("GPE", code)
    for city in ("Pyongyang", "Kyiv", "Kursk", "Moscow"):
        assert by_name[city].type == "GPE"
        assert by_name[city].id.startswith("geonames:")
    # Short forms, nationalities and the possessive all count as mentions of one entity.
    assert by_name["Vladimir Putin"].mentions >= 3
    assert "Russian" in by_name["Russia"].surface_forms
    assert by_name["Kyiv"].surface_forms == ["Kyiv"]
    # Named in the headline and standfirst, Putin and North Korea outrank Kyiv.
    assert by_name["Vladimir Putin"].salience > by_name["Kyiv"].salience
    assert by_name["North Korea"].salience > by_name["Kursk"].salience
    assert abs(sum(e.salience for e in result.entities) - 1.0) < 0.01
    assert [e.salience for e in result.entities] == sorted((e.salience for e in result.entities), reverse=True)


def test_non_english_article_is_detected_and_skipped(extractor):
    [fr, en] = extractor.extract([french_article(), seed_shaped_article()])
    assert (fr.language, fr.skipped, fr.entities) == ("fr", True, [])
    assert en.language == "en" and not en.skipped and en.entities


def test_declared_language_is_trusted_and_empty_text_is_fine(extractor):
    german = make_article("de-1", headline="Kanzler trifft Präsidenten", body="Ein Text.", language="de")
    empty = make_article("e-1", headline=" ", body="", language="en")
    results = extractor.extract([german, empty])
    assert [(r.language, r.skipped, r.entities) for r in results] == [("de", True, []), ("en", True, [])]
