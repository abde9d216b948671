"""Which language an article is in, so the English NER model only sees English text.

The parser's ``Article.language`` is trusted when set; otherwise the text is detected with the
parser's detector (lingua, offline).
"""

from __future__ import annotations

from pipelines.nlp.parsing.language import detect_language
from schemas.records import Article


def article_language(article: Article, text: str) -> str | None:
    """The article's declared language (ISO 639-1, lower case), else the detected one."""
    declared = (article.language or "").strip().lower()
    if declared:
        return declared.split("-")[0].split("_")[0]
    return detect_language(text)
