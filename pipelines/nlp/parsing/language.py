"""Language identification with lingua (models ship inside the wheel: nothing is downloaded).

The detector is built once per process, restricted to the languages news inputs arrive in, in
low-accuracy mode (same answers as high-accuracy mode on article-length text here, and cheaper).
A clear majority of function words ("the", "und", "les") decides first: news leads are dense
with foreign names ("Juan José Santiváñez") that can tip a character-model on a short sample,
and counting words is a fraction of the cost. Anything less clear-cut goes to lingua.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages news arrives in. Lingua scores every candidate of the sample's script, so each
# Latin-script language more makes every detection dearer: the 15 of the first sets (plus languages
# of scripts no other candidate uses, free for Latin text) are always candidates, and the others
# holdout7 showed coming out as their neighbours (Romanian, Malay and Croatian as Turkish, Hungarian
# as Spanish, Indonesian as Swedish) only when the sample holds letters of theirs: the same gating
# as Danish/Norwegian before.
_ALWAYS = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.POLISH, Language.RUSSIAN, Language.UKRAINIAN,
    Language.TURKISH, Language.ARABIC, Language.CHINESE, Language.JAPANESE, Language.SWEDISH,
    Language.GREEK, Language.KOREAN, Language.HEBREW, Language.HINDI,
)
# (marks, languages they open): letters the always-candidates do not use (Polish 'ć' is left out; 'ä'/'ö' are
# German and Swedish too, which only costs a candidate more on those samples); Catalan, whose letters
# French, Spanish and Portuguese share, by its 'l·l' and words of its own.
_LETTER_GATES: tuple[tuple[tuple[str, ...], tuple[Language, ...]], ...] = (
    (tuple("æøÆØ"), (Language.DANISH, Language.BOKMAL)),
    (tuple("ăîșțşţĂÎȘȚŞŢ"), (Language.ROMANIAN,)),
    (tuple("őűŐŰ"), (Language.HUNGARIAN,)),
    (tuple("čđžšřěůľĺŕČĐŽŠŘĚŮĽ"), (Language.CROATIAN, Language.SLOVENE, Language.CZECH, Language.SLOVAK)),
    (tuple("äöÄÖ"), (Language.FINNISH,)),
    (("·", " amb ", " els ", " dels ", " aquest", " també ", " però ", " perquè", " seva ", "ció ", "rà "),
     (Language.CATALAN,)),
    (tuple("ơưạảệộịụữỉọớờợứừựƠƯ"), (Language.VIETNAMESE,)),
)
# Indonesian and Malay write plain ASCII: candidates when the sample has no other letters.
_ASCII_LANGUAGES = (Language.INDONESIAN, Language.MALAY)
NEWS_LANGUAGES = (*_ALWAYS, *(lang for _, langs in _LETTER_GATES for lang in langs), *_ASCII_LANGUAGES)
_BY_CODE = {lang.iso_code_639_1.name.lower(): lang for lang in NEWS_LANGUAGES}
# lingua's confidence (relative to the best language, summing to 1) a declared language needs to win
_DECLARED_MIN_CONFIDENCE = 0.25
# Frequent function words; a word listed for two languages counts for neither.
_FUNCTION_WORDS = {
    "en": "the and of was that with said has have from would were which this their been not after will",
    "de": "der die das und ist nicht mit sich auch auf für wurde dem den eine einer nach bei wird sind",
    "fr": "les des est une dans qui pour pas sur avec aux ont été cette mais leur sont selon elle ses",
    "es": "los las del por con para una fue como más pero sus según también desde está han sobre entre",
    "it": "il della che per con una sono nel alla gli delle anche dei stato più dalla questo essere ha",
    "pt": "os das dos não uma com para pelo pela foi mais como também seu sua está são ao aos nos",
    "nl": "het een van niet zijn voor met ook werd naar heeft maar bij dat deze hun wordt door",
}
_seen = Counter(w for words in _FUNCTION_WORDS.values() for w in set(words.split()))
_WORD_LANGUAGE = {w: lang for lang, words in _FUNCTION_WORDS.items() for w in words.split() if _seen[w] == 1}
_FAST_SAMPLE_CHARS = 800
_MIN_HITS, _MARGIN = 6, 3
# Lingua's cost grows with length; this is enough for the cases the word count leaves open.
_SAMPLE_CHARS = 400


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """Every language of ours (the gated ones too): for callers without a sample to gate on."""
    return detector_for(NEWS_LANGUAGES)


@lru_cache(maxsize=32)
def detector_for(languages: tuple[Language, ...]) -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def candidates(sample: str) -> tuple[Language, ...]:
    """The always-candidates and the languages whose letters the sample holds."""
    found = list(_ALWAYS)
    for marks, languages in _LETTER_GATES:
        if any(mark in sample for mark in marks):
            found += languages
    if sample.isascii():
        found += _ASCII_LANGUAGES
    return tuple(found)


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell.

    ``declared`` is the page's own code (HTML lang, an API field). It is often a template default
    ('en' on every page of a site), so it never overrides a clear answer; it decides between close
    neighbours (Malay and Indonesian, Croatian and Slovene) when lingua gives it some weight too.
    """
    clear = _by_function_words(text[:_FAST_SAMPLE_CHARS])
    if clear:
        return clear
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    languages = candidates(sample)
    found = detector_for(languages).detect_language_of(sample)
    code = found.iso_code_639_1.name.lower() if found is not None else None
    # lingua is asked about the declared language only when the two disagree (a second pass)
    if (declared is not None and declared != code and _BY_CODE.get(declared) in languages
            and detector_for(languages).compute_language_confidence(sample, _BY_CODE[declared])
            >= _DECLARED_MIN_CONFIDENCE):
        return declared
    return code


def _by_function_words(sample: str) -> str | None:
    # Whitespace tokens: a function word glued to punctuation is missed, which only costs a hit.
    # Only the hits are counted (filter drops the None of every other word before Counter sees it).
    ranked = Counter(filter(None, map(_WORD_LANGUAGE.get, sample.lower().split()))).most_common(2)
    if not ranked or ranked[0][1] < _MIN_HITS:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if ranked[0][1] >= _MARGIN * runner_up else None
