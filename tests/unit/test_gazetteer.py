from __future__ import annotations

import json

import pytest

from pipelines.nlp.entities.gazetteer import TABLES, Gazetteer, decode, encode, fold, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize(("surface", "name", "id_"), [
    ("Russia", "Russia", "RU"), ("Russian Federation", "Russia", "RU"), ("North Korea", "North Korea", "KP"),
    ("UK", "United Kingdom", "GB"), ("the Netherlands", "Netherlands", "NL"),
    ("Pyongyang", "Pyongyang", "geonames:1871859"),
    ("London", "London", "geonames:2643743"), ("Texas", "Texas", "US-TX"), ("Europe", "Europe", "geonames:6255148"),
    ("Washington", "Washington, D.C.", "geonames:4140963"),
])
def test_place(gaz, surface, name, id_):
    place = gaz.place(surface)
    assert (place.name, place.id) == (name, id_)


def test_exonyms_and_small_cities_only_when_allowed(gaz):
    assert gaz.place("Peking") is None
    assert gaz.place("Peking", allow_small=True).name == "Beijing"
    assert gaz.place("White House", allow_small=False) is None
    assert gaz.place("Of") is None and gaz.place("Of", allow_small=True).id == "geonames:741240"


@pytest.mark.parametrize(("word", "code"), [
    ("Russian", "RU"), ("Russians", "RU"), ("North Korean", "KP"), ("Ukrainian", "UA"), ("American", "US"),
    ("Chinese", "CN"), ("French", "FR"), ("Israelis", "IL"), ("Saudi", "SA"), ("Spaniard", "ES"),
])
def test_nationality(gaz, word, code):
    assert gaz.nationality(word).id == code


def test_unknown_words(gaz):
    assert gaz.nationality("Western") is None
    assert gaz.place("Atlantis") is None


def test_fold():
    assert fold("  Culiacán\u2019s  ") == "culiacan's"


def test_cached_copy_gives_the_same_gazetteer(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE", str(tmp_path))
    built = Gazetteer()  # from the data packages
    load_gazetteer.cache_clear()
    try:
        first = load_gazetteer()  # builds and writes the JSON copy
        (copy,) = (tmp_path / "gazetteer").glob("gazetteer-*.json")
        load_gazetteer.cache_clear()
        second = load_gazetteer()  # from the copy
        for gazetteer in (first, second):
            for table in TABLES:
                assert getattr(gazetteer, table) == getattr(built, table), table
        assert second.place("Kiev", allow_small=True).id == "geonames:703448"
        assert second.nationality("Dutch").id == "NL"
        copy.write_text("[")  # a damaged copy is rebuilt, never trusted
        load_gazetteer.cache_clear()
        assert load_gazetteer().countries == built.countries
        assert decode(json.loads(copy.read_text())).cities == built.cities
    finally:
        load_gazetteer.cache_clear()  # the other tests get the default cache folder again


def test_encoding_stores_each_place_once(gaz):
    data = encode(gaz)
    shared = sum(len(data["tables"][t]) for t in TABLES)
    assert len(data["places"]) < shared  # "France" is a country, an alias and a demonym target
    assert decode(data).by_code == gaz.by_code
