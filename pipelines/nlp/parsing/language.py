"""Language identification with lingua (models ship inside the wheel: nothing is downloaded).

The detector is built once per process, restricted to the languages news inputs arrive in, in
low-accuracy mode: on article-length text it agrees with high-accuracy mode and is much faster.
"""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

NEWS_LANGUAGES = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.POLISH, Language.RUSSIAN, Language.UKRAINIAN,
    Language.TURKISH, Language.ARABIC, Language.CHINESE, Language.JAPANESE, Language.SWEDISH,
)
# Enough text to decide reliably; detection time grows with length.
_SAMPLE_CHARS = 300


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*NEWS_LANGUAGES).with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    found = detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None
