"""Which language an article is in, so the English NER model only sees English text.

The parser's ``Article.language`` is trusted when set; otherwise the text is detected with lingua
(all languages, low-accuracy mode: ~1 ms an article once loaded, offline).
"""

from __future__ import annotations

from functools import lru_cache

from lingua import LanguageDetector, LanguageDetectorBuilder

from schemas.records import Article

# Enough text to decide; detection cost grows with length.
DETECT_CHARS = 1000


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None if too short or undecided."""
    sample = text[:DETECT_CHARS]
    if sum(c.isalpha() for c in sample) < 20:
        return None
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None


def article_language(article: Article, text: str) -> str | None:
    """The article's declared language (ISO 639-1, lower case), else the detected one."""
    declared = (article.language or "").strip().lower()
    if declared:
        return declared.split("-")[0].split("_")[0]
    return detect_language(text)
