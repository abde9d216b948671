"""What a parser found, before normalisation: every parser fills a Draft, build() finishes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipelines.nlp.parsing.body import Body


@dataclass
class Draft:
    parser: str
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    section: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    language: str | None = None  # declared by the source; detection decides when it is missing
    language_hint: str | None = None  # expected by the layout; used only if detection cannot tell

    def absorb(self, body: Body) -> None:
        """Take the cleaned body and what was moved out of it (captions, credits, agencies)."""
        self.paragraphs = body.paragraphs
        self.captions += body.captions
        self.credits += body.credits
        self.agencies += body.agencies
        self.dateline = body.dateline
        if not self.authors:
            self.authors = body.trailer_authors
