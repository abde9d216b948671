"""Article body cleanup shared by every parser: captions, credits, trailers, boilerplate out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.nlp.normalize import clean_line
from pipelines.nlp.parsing.boilerplate import PAID_LABEL, PROMPT_WORDS, is_boilerplate
from pipelines.nlp.parsing.credits import (
    closing_agency,
    credit_line_agencies,
    is_initials_line,
    is_trailer,
    is_transcript,
    parse_dateline,
    split_caption,
    trailer_authors,
)
from pipelines.nlp.parsing.dates import is_relative_time

_SENTENCE_END = (".", "!", "?", ":", "\"", "”", "’", "»", ")", "…")
_BULLETS = ("•", "▪", "◦", "‣", "- ", "* ")
# A sponsored block's label in the middle of a story ('SPONSORED CONTENT', 'Paid Post by X'): the
# title line under it is the sponsor's teaser, not the story's.
_SPONSOR_LABEL = re.compile(rf"^(?:sponsored(?: content| post| by .{{1,40}})?|{PAID_LABEL}|advertorial|partner content"
                            r"|promoted(?: content| by .{1,40})?)$", re.I)


@dataclass
class Body:
    """The article text and what was taken out of it."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    trailer_authors: list[str] = field(default_factory=list)
    dateline: str | None = None


def clean_body(lines: list[str], *, cleaned: bool = False, prompts: tuple[str, ...] = PROMPT_WORDS) -> Body:
    """Paragraphs from lines (blank lines separate blocks; a wrapped line is joined back).

    Captions with credits, agency credit lines, wire trailers, relative times and page
    furniture are moved out of the text into their own fields or dropped. ``cleaned`` says the
    lines already went through clean_line (page text), so they are not normalised twice;
    ``prompts`` are the prompt words of the page (boilerplate.prompt_words), when known.
    """
    body = Body()
    previous_blank = True
    sponsored = False
    for raw in lines:
        line = raw if cleaned else clean_line(raw)
        if not line:
            previous_blank = True
            continue
        if sponsored and len(line) <= 120 and not line.endswith(_SENTENCE_END):
            continue  # the sponsor's teaser title (or a second label line)
        sponsored = len(line) <= 60 and line[:1] in "SsPpAa" and _SPONSOR_LABEL.match(line) is not None
        if sponsored or _furniture(line, body, prompts):
            previous_blank = False
            continue
        if (not previous_blank and body.paragraphs and not body.paragraphs[-1].endswith(_SENTENCE_END)
                and line[:1].islower()):
            body.paragraphs[-1] += " " + line  # a hard-wrapped paragraph
        else:
            body.paragraphs.append(line)
        previous_blank = False
    # The dateline opens the story's first paragraph, after a summary box's bullets if there is one.
    first = next((p for p in body.paragraphs if not p.startswith(_BULLETS)), None)
    if first is not None:
        found = parse_dateline(first, colon=not is_transcript(body.paragraphs))
        if found:
            body.dateline = found[0]
            if found[1]:
                body.agencies.insert(0, found[1])
    if body.paragraphs and not body.agencies:
        closing = closing_agency(body.paragraphs[-1])  # '... (MTI)': the story's source, as a dateline names it
        if closing:
            body.agencies.append(closing)
    return body


def _furniture(line: str, body: Body, prompts: tuple[str, ...]) -> bool:
    if is_boilerplate(line, prompts) or is_relative_time(line):
        return True
    agencies = credit_line_agencies(line)
    if agencies is not None:
        body.agencies.extend(agencies)
        return True
    if is_trailer(line):
        body.trailer_authors.extend(trailer_authors(line))
        return True
    if is_initials_line(line):
        return True
    caption = split_caption(line)
    if caption is not None and _caption_like(caption[0], caption[1]):
        if caption[0]:
            body.captions.append(caption[0])
        body.credits.append(caption[1])
        return True
    return False


def _caption_like(text: str, credit: str) -> bool:
    # A credit is a name or agency, not a clause; the caption itself is at most a few sentences.
    return len(credit.split()) <= 12 and len(text) <= 500 and not credit.endswith(("?", "!"))
