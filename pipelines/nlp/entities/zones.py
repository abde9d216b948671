"""The text of an article as NER and topic tagging see it, with where each part lies.

Headline, standfirst and body are joined by blank lines into one string so one spaCy Doc covers
the article; the zones let a mention know whether it sits in the headline, the standfirst, the
first paragraph or further down, which is what salience weighs.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from schemas.records import Article

HEADLINE = "headline"
STANDFIRST = "standfirst"
LEAD = "lead"  # first body paragraph
BODY = "body"

# How much one mention counts towards salience, by where it appears.
ZONE_WEIGHTS: dict[str, float] = {HEADLINE: 3.0, STANDFIRST: 2.0, LEAD: 1.5, BODY: 1.0}

# NER cost grows with length; the tail of a very long page adds little for entities.
DEFAULT_MAX_CHARS = 60_000


@dataclass(frozen=True)
class ArticleText:
    text: str
    starts: tuple[int, ...]  # start offset of each zone, ascending
    names: tuple[str, ...]   # zone name of each start

    def zone_at(self, offset: int) -> str:
        return self.names[max(0, bisect_right(self.starts, offset) - 1)]

    def zone_text(self, *wanted: str) -> str:
        """The text of the given zones only (e.g. headline + standfirst)."""
        ends = (*self.starts[1:], len(self.text))
        return "\n\n".join(self.text[s:e].strip() for s, e, n in zip(self.starts, ends, self.names, strict=True)
                           if n in wanted)


def article_text(article: Article, max_chars: int = DEFAULT_MAX_CHARS) -> ArticleText:
    """One string for the whole article, headline first, cut at ``max_chars``."""
    parts: list[tuple[str, str]] = []
    if article.headline.strip():
        parts.append((HEADLINE, article.headline.strip()))
    if article.standfirst and article.standfirst.strip():
        parts.append((STANDFIRST, article.standfirst.strip()))
    paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    parts.extend((LEAD if i == 0 else BODY, para) for i, para in enumerate(paragraphs))
    text, starts, names = "", [], []
    for name, chunk in parts:
        if text:
            text += "\n\n"
        if len(text) >= max_chars:
            break
        starts.append(len(text))
        names.append(name)
        text += chunk
    if not starts:
        return ArticleText("", (0,), (BODY,))
    return ArticleText(text[:max_chars], tuple(starts), tuple(names))
