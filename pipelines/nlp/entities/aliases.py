"""Small curated tables: names of well-known organisations, titles, words that are not entities.

Kept short on purpose: only names that news uses constantly and that the article itself often
does not spell out ("the UN", "the Fed"). Anything spelled out in the article ("International
Monetary Fund (IMF)") is learnt from the article instead (see canonical.py).
"""

from __future__ import annotations

# Acronym or short name -> canonical full name.
ORG_ALIASES: dict[str, str] = {
    "UN": "United Nations", "U.N.": "United Nations",
    "UN Security Council": "United Nations Security Council",
    "Security Council": "United Nations Security Council",
    "UN General Assembly": "United Nations General Assembly",
    "EU": "European Union", "E.U.": "European Union",
    "European Commission": "European Commission", "ECB": "European Central Bank",
    "Nato": "NATO", "North Atlantic Treaty Organization": "NATO",
    "North Atlantic Treaty Organisation": "NATO",
    "IMF": "International Monetary Fund", "WHO": "World Health Organization",
    "World Health Organisation": "World Health Organization",
    "WTO": "World Trade Organization", "World Trade Organisation": "World Trade Organization",
    "Fed": "Federal Reserve", "US Federal Reserve": "Federal Reserve",
    "Opec": "OPEC", "Organization of the Petroleum Exporting Countries": "OPEC",
    "ICC": "International Criminal Court", "ICJ": "International Court of Justice",
    "IAEA": "International Atomic Energy Agency", "Unicef": "UNICEF",
    "FBI": "Federal Bureau of Investigation", "CIA": "Central Intelligence Agency",
    "Pentagon": "Pentagon", "Kremlin": "Kremlin", "White House": "White House", "NHS": "National Health Service",
    "BoE": "Bank of England", "BOJ": "Bank of Japan", "ANC": "African National Congress",
    "AU": "African Union", "Asean": "ASEAN", "G7": "G7", "G20": "G20",
    "Hamas": "Hamas", "Hezbollah": "Hezbollah", "Fifa": "FIFA", "Uefa": "UEFA",
    "IOC": "International Olympic Committee", "Nasa": "NASA", "Esa": "European Space Agency",
    "ESA": "European Space Agency", "CDC": "Centers for Disease Control and Prevention",
    "SEC": "Securities and Exchange Commission", "ECHR": "European Court of Human Rights",
}

# Titles dropped from the front of a person's name: "President Putin" -> "Putin".
# Royal and religious titles stay: they are part of how such people are named.
PERSON_TITLES: frozenset[str] = frozenset({
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "prof", "prof.", "professor",
    "sir", "dame", "sheikh", "president", "vice-president", "prime", "minister", "chancellor", "premier",
    "general", "gen", "gen.", "senator", "sen", "sen.", "rep", "rep.", "representative",
    "governor", "gov", "gov.", "mayor", "judge", "justice", "secretary", "ambassador",
    "commissioner", "coach", "captain", "capt", "capt.", "colonel", "col", "col.", "lt",
    "lt.", "lieutenant", "sergeant", "sgt", "sgt.", "chairman", "chairwoman", "ceo", "leader",
    "spokesman", "spokeswoman", "spokesperson", "foreign", "defence", "defense", "finance",
    "health", "interior", "deputy", "acting", "former", "late", "striker", "midfielder",
    "goalkeeper", "defender", "manager", "inspector", "detective", "officer", "chief",
})

# Connecting words ignored when comparing an acronym with a name's initials.
ACRONYM_STOPWORDS: frozenset[str] = frozenset({"of", "the", "and", "for", "de", "in", "on", "&"})

# Name particles never used alone to refer to a person.
NAME_PARTICLES: frozenset[str] = frozenset({
    "de", "da", "del", "der", "van", "von", "bin", "al", "el", "la", "le", "di", "du", "ibn", "jr", "jr.",
})

# Surface strings the small model tags but that name nothing on their own.
NOT_ENTITIES: frozenset[str] = frozenset({
    "western", "eastern", "northern", "southern", "agency", "picture", "photo", "file",
    "reuters picture", "getty images", "staff", "agency staff", "pool", "editorial",
    "opinion", "world", "news", "today", "covid", "covid-19",
})
