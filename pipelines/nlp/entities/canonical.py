"""From raw NER mentions to one canonical entity per thing an article names.

Pure functions, no spaCy and no Beam: a ``Mention`` is (text, label, offset, zone), whatever
produced it. The steps, in order:

1. clean each surface (possessive, leading "the", titles before person names, stray punctuation);
2. people: a short mention ("Putin", "Kim", "Mr Zelensky") that fits exactly one longer name in
   the same article becomes that name ("Vladimir Putin", "Kim Jong Un"), whatever label the
   model gave it;
3. places: countries, cities, US states and continents get their canonical name and id from the
   gazetteer; nationalities ("Russian", "North Korean") count as mentions of their country; a
   well-known place mislabelled PERSON/ORG/PRODUCT ("Kursk" as PRODUCT) is repaired to GPE;
4. organisations: acronyms defined in the article ("International Monetary Fund (IMF)") or in the
   small alias table map to the full name;
5. mentions of the same canonical name are merged: count, surface forms, id and a salience
   score in which headline, standfirst and first-paragraph mentions weigh more.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.nlp.entities.aliases import (
    ACRONYM_STOPWORDS,
    NAME_PARTICLES,
    NOT_ENTITIES,
    ORG_ALIASES,
    PERSON_TITLES,
)
from pipelines.nlp.entities.gazetteer import REPAIR_CITY_POPULATION, Gazetteer, Place, fold
from pipelines.nlp.entities.zones import ZONE_WEIGHTS
from schemas.records import Entity

# spaCy/OntoNotes labels that name things; numbers, dates and languages are not entities here.
NAMED_LABELS: frozenset[str] = frozenset({
    "PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW",
})
PLACE_LABELS = frozenset({"GPE", "LOC"})
# Labels the small model gives to places it does not recognise as such.
REPAIRABLE_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "NORP", "EVENT"})

_POSSESSIVE = re.compile(r"(?:['\u2019]s|s['\u2019])$|['\u2019]$")
_EDGE_PUNCT = "\"'\u2018\u2019\u201c\u201d()[]{}<>,.;:!?-\u2013\u2014*|/ "
# "Kursk region": lower-case generic words after a place name ("Manchester City" is a club).
_PLACE_SUFFIX = re.compile(
    r"\s+(region|province|oblast|state|city|county|district|governorate|prefecture|valley)$")
_ACRONYM_DEF = re.compile(
    r"([A-Z][\w'&.-]*(?:\s+(?:of|the|and|for|de|[A-Z][\w'&.-]*))+)\s+\(([A-Z][A-Za-z0-9&.]{1,9})\)")
# Country abbreviations used as a descriptive prefix: "US Senate", "UK Treasury".
_COUNTRY_PREFIX = re.compile(r"^(US|U\.S\.|UK|U\.K\.)\s+(?=[A-Z])")
# A word before the mention that marks it as a place: "in Rafah", "from Maidstone".
_PLACE_CONTEXT = re.compile(r"\b(?:in|near|from|to|at|outside|around|across|into|towards|of)\s+$")
# Titles that belong to the name of popes and royals ("Pope Francis", "King Charles").
_NAME_TITLES = ("Pope ", "King ", "Queen ", "Prince ", "Princess ")
_FIGURE = re.compile(r"^[\d.,%\u00b0:/-]*\d[\d.,%\u00b0:/-]*[A-Za-z]{0,2}$")
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z])")


@dataclass(frozen=True)
class Mention:
    text: str
    label: str
    start: int
    zone: str


@dataclass
class _Resolved:
    name: str
    type: str
    id: str | None
    surface: str
    zone: str
    start: int


def clean_surface(text: str, label: str) -> str:
    """The mention without possessive, leading article, titles or stray punctuation."""
    text = " ".join(text.split("\n", 1)[0].split())
    text = _SENTENCE_END.split(text, maxsplit=1)[0]  # a span that ran over a full stop
    words = text.split()  # "Daniil Medvedev 6-4", "Cordoba 44.1C": scores and figures end a name
    cut = next((i for i, w in enumerate(words) if i and _FIGURE.match(w)
                and (label in ("PERSON", "GPE", "LOC", "NORP") or not w.isdigit())), len(words))
    text = " ".join(words[:cut])
    text = text.strip(_EDGE_PUNCT)
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    if text.count("(") > text.count(")"):
        text += ")"  # "Janata Dal (United)" lost its bracket to the punctuation strip
    if label != "WORK_OF_ART" and text[:4].lower() == "the ":
        text = text[4:]
    if label == "PERSON":
        words = text.split()
        while len(words) > 1 and words[0].lower() in PERSON_TITLES:
            words = words[1:]
        text = " ".join(words)
    return text


def split_coordination(mention: Mention, gaz: Gazetteer) -> list[Mention]:
    """One span naming two things ("Maranhao and Tocantins", "University of Sydney and Monash
    University") as two mentions; names that contain "and" ("Trinidad and Tobago") stay whole."""
    if " and " not in mention.text or mention.label in ("PERSON", "WORK_OF_ART", "LAW", "EVENT"):
        return [mention]
    left, right = mention.text.split(" and ", 1)
    if gaz.place(mention.text) or mention.text in ORG_ALIASES or not left.strip() or not right[:1].isupper():
        return [mention]
    both_places = gaz.place(left) is not None and gaz.place(right) is not None
    short_places = mention.label in ("GPE", "LOC", "FAC") and len(left.split()) == 1 == len(right.split())
    lw, rw = set(left.split()), set(right.split())
    same_head = len(lw) > 1 and len(rw) > 1 and any(w[:1].isupper() and len(w) > 3 for w in lw & rw)
    if not (both_places or short_places or same_head):
        return [mention]
    offset = mention.start + len(left) + len(" and ")
    return [Mention(left, mention.label, mention.start, mention.zone),
            Mention(right, mention.label, offset, mention.zone)]


def _with_name_title(mention: Mention, text: str) -> Mention:
    """"Francis" preceded by "Pope " is the mention "Pope Francis"."""
    if mention.label != "PERSON" or not text:
        return mention
    for title in _NAME_TITLES:
        begin = mention.start - len(title)
        if begin >= 0 and text[begin:mention.start] == title and not mention.text.startswith(title):
            return Mention(title + mention.text, mention.label, begin, mention.zone)
    return mention


def _looks_like_name(text: str) -> bool:
    return (len(text) > 1 and any(c.isalpha() for c in text) and not text.islower()
            and fold(text) not in NOT_ENTITIES)


class _People:
    """The full names of people in one article, and which short forms point to them."""

    def __init__(self, names: Iterable[str]) -> None:
        counts = Counter(names)
        full = sorted((n for n in counts if len(n.split()) > 1), key=lambda n: (-len(n.split()), n))
        self.canonical: dict[str, str] = {}
        for name in full:  # "Vladimir Putin" inside "Vladimir Vladimirovich Putin" merges up
            longer = [f for f in full if f != name and _is_subsequence(name.split(), f.split())]
            self.canonical[name] = self.canonical.get(longer[0], longer[0]) if len(longer) == 1 else name
        self._by_token: dict[str, list[str]] = defaultdict(list)
        self._counts = counts
        for name in dict.fromkeys(self.canonical.values()):
            # Any word of the name may stand for it: "Putin", "Kim" (family name first), and
            # "Lula" in "Luiz Inacio Lula da Silva"; particles ("da", "von") never do.
            for tok in dict.fromkeys(name.split()):
                if tok.lower() not in NAME_PARTICLES and len(tok) > 1:
                    self._by_token[tok].append(name)

    def resolve(self, text: str) -> str | None:
        """The full name a mention refers to, or None if it fits no one (or several equally)."""
        if text in self.canonical:
            return self.canonical[text]
        words = text.split()
        if len(words) == 1:
            candidates = self._by_token.get(text, [])
        else:
            candidates = [n for n in dict.fromkeys(self.canonical.values())
                          if _is_subsequence(words, n.split())]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        ranked = sorted(candidates, key=lambda n: -self._counts.get(n, 0))
        return ranked[0] if self._counts.get(ranked[0], 0) > self._counts.get(ranked[1], 0) else None

    def is_token(self, text: str) -> bool:
        return text in self._by_token


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    """True if ``short`` appears as a contiguous run inside the longer ``long``."""
    n = len(short)
    return n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w.lower() not in ACRONYM_STOPWORDS).upper()


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms the article spells out: "International Monetary Fund (IMF)" -> {IMF: ...}."""
    found: dict[str, str] = {}
    for match in _ACRONYM_DEF.finditer(text):
        long_form, acronym = match.group(1), match.group(2)
        words = long_form.split()
        # Keep only as many trailing words as the acronym has letters (drop sentence-initial words).
        for size in range(len(words), 0, -1):
            candidate = " ".join(words[-size:])
            if _initials(candidate) == acronym.replace(".", "").upper():
                found[acronym] = candidate.removeprefix("the ").removeprefix("The ")
                break
    return found


def _place_for(surface: str, label: str, gaz: Gazetteer, people: _People, place_context: bool) -> Place | None:
    """The gazetteer place a mention denotes, if the label and the name make that safe."""
    if label in PLACE_LABELS:
        place = gaz.place(surface, allow_small=True)
        if place is None and _PLACE_SUFFIX.search(surface):
            place = gaz.place(_PLACE_SUFFIX.sub("", surface), allow_small=True)
        return place or gaz.nationality(surface)
    if label == "NORP":
        return gaz.nationality(surface) or gaz.place(surface, allow_small=place_context)
    if label in REPAIRABLE_LABELS or label == "ORG":
        if people.is_token(surface):
            return None
        place = gaz.place(surface, allow_small=place_context)
        if place is None:
            return gaz.nationality(surface) if label in ("ORG", "PERSON") else None
        too_small = place.kind == "city" and 0 < place.population < REPAIR_CITY_POPULATION
        return None if too_small and not place_context else place
    return None


def _resolve(mention: Mention, surface: str, gaz: Gazetteer, people: _People,
             orgs: dict[str, str], place_context: bool) -> list[_Resolved]:
    label = mention.label

    def out(name: str, type_: str, id_: str | None = None) -> list[_Resolved]:
        return [_Resolved(name, type_, id_, surface, mention.zone, mention.start)]

    if surface in ORG_ALIASES and label != "PERSON":  # "White House" is no Casablanca exonym here
        return out(ORG_ALIASES[surface], "ORG")
    # A name shared with a person of the article ("Austin said" after "Lloyd Austin") is that
    # person, unless it is a country or the words around it make it a place ("in Austin").
    place_like = gaz.place(surface) is not None or gaz.nationality(surface) is not None
    is_country = (found := gaz.place(surface)) is not None and found.kind == "country"
    if label == "PERSON" or not (is_country or gaz.nationality(surface) or (place_like and place_context)):
        person = people.resolve(surface)
        if person is not None:
            return out(person, "PERSON")
    place = _place_for(surface, label, gaz, people, place_context)
    if place is not None:
        return out(place.name, place.type, place.id)
    if label in PLACE_LABELS and surface.isupper() and len(surface) <= 3:
        return []  # an unknown acronym tagged as a place ("AI") is a tagging error
    if label == "ORG" and (prefix := _COUNTRY_PREFIX.match(surface)):
        country = gaz.place(prefix.group(1))
        rest = surface[prefix.end():]
        name = orgs.get(rest) or ORG_ALIASES.get(rest) or rest
        return [*out(country.name, country.type, country.id), *out(name, "ORG")] if country else out(name, "ORG")
    if label == "ORG" or surface in orgs or surface in ORG_ALIASES:
        return out(orgs.get(surface) or ORG_ALIASES.get(surface) or surface, "ORG")
    return out(surface, label)


def canonical_entities(mentions: Iterable[Mention], gaz: Gazetteer, text: str = "") -> list[Entity]:
    """Merge one article's raw mentions into canonical entities, most salient first.

    ``text`` is the article text the mentions' offsets refer to: it is read for acronym
    definitions and for the words around a mention.
    """
    raw = [_with_name_title(part, text) for m in mentions if m.label in NAMED_LABELS
           for part in split_coordination(m, gaz)]
    cleaned = [(m, clean_surface(m.text, m.label)) for m in raw]
    cleaned = [(m, s) for m, s in cleaned if _looks_like_name(s) and not _sentence_initial_word(m, s, text, gaz)]
    people = _People(s for m, s in cleaned if m.label == "PERSON")
    orgs = defined_acronyms(text)
    orgs.update({a: long for a, long in _article_acronyms(cleaned).items() if a not in orgs})
    resolved = [r for m, s in cleaned
                for r in _resolve(m, s, gaz, people, orgs, _after_place_word(text, m.start))]
    return _merge(resolved)


def _after_place_word(text: str, start: int) -> bool:
    return _PLACE_CONTEXT.search(text[max(0, start - 12):start]) is not None


def _sentence_initial_word(mention: Mention, surface: str, text: str, gaz: Gazetteer) -> bool:
    """A lone capitalised word that starts a sentence and appears in lower case elsewhere in the
    article ("Accord signed ..." then "the accord") is an ordinary word, not a name."""
    if " " in surface or not text or mention.label == "PERSON" or gaz.place(surface) or gaz.nationality(surface):
        return False
    before = text[max(0, mention.start - 2):mention.start]
    if mention.start and not (before.endswith("\n") or before in (". ", "? ", "! ")):
        return False
    return re.search(rf"\b{re.escape(surface.lower())}", text) is not None


def _article_acronyms(cleaned: list[tuple[Mention, str]]) -> dict[str, str]:
    """ORG acronyms whose letters are the initials of a longer ORG name in the same article."""
    names = {s for m, s in cleaned if m.label == "ORG" and len(s.split()) > 1}
    by_initials: dict[str, list[str]] = defaultdict(list)
    for name in sorted(names):
        by_initials[_initials(name)].append(name)
    return {s: by_initials[s][0] for m, s in cleaned
            if s.isupper() and 2 <= len(s) <= 6 and len(by_initials.get(s, [])) == 1}


def _merge(resolved: list[_Resolved]) -> list[Entity]:
    groups: dict[str, list[_Resolved]] = defaultdict(list)
    for r in resolved:
        groups[fold(r.name)].append(r)
    weights = {key: sum(ZONE_WEIGHTS.get(r.zone, 1.0) for r in rs) for key, rs in groups.items()}
    total = sum(weights.values()) or 1.0
    entities = []
    for key, rs in groups.items():
        types = Counter(r.type for r in rs)
        # A place id is decisive for the type; otherwise the majority, ties by first mention.
        with_id = [r for r in rs if r.id]
        type_ = with_id[0].type if with_id else max(types, key=lambda t: (types[t], -_first(rs, t)))
        name = Counter(r.name for r in rs).most_common(1)[0][0]
        entities.append(Entity(
            name=name, type=type_, mentions=len(rs), salience=round(weights[key] / total, 4),
            id=with_id[0].id if with_id else None,
            surface_forms=list(dict.fromkeys(r.surface for r in sorted(rs, key=lambda r: r.start))),
        ))
    entities.sort(key=lambda e: (-e.salience, -e.mentions, e.name))
    return entities


def _first(rs: list[_Resolved], type_: str) -> int:
    return min(r.start for r in rs if r.type == type_)
