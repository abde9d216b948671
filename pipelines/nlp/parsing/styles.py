"""Page-text outlet styles: how each layout is recognised and what it prints where.

A new style is one ``PageStyle(...)`` entry in STYLES: marks that recognise it and a few switches
for the engine in pagetext.py. Order breaks ties; "generic" is the fallback.

A mark is either text that occurs anywhere in the page's head or tail (a cheap substring test),
or a pattern matched against each short line there (dates, bylines, header lines). Marks are
chosen to be cheap: style detection runs on every page-text record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Mark = str | re.Pattern[str]


@dataclass(frozen=True)
class PageStyle:
    name: str
    # Each mark found scores a point (the header line two); the best score >= min_score wins.
    signature: tuple[Mark, ...] = ()
    # First line holding the date and section, e.g. "date 2024-11-10 World".
    header: re.Pattern[str] | None = None
    # A section label above the headline: always there, never, or only when it looks like one.
    kicker: Literal["always", "never", "auto"] = "auto"
    # A line between the headline and the meta lines is a standfirst.
    standfirst: bool = True
    # Bylines printed as bare names ("Jon Henley in Paris") directly above the date.
    bare_byline: bool = False
    language: str | None = None
    min_score: int = 2


_p = re.compile

STYLES: tuple[PageStyle, ...] = (
    # South African business daily (the seed's layout): header line, '10 November 2024 - 14:13',
    # 'by Agency Staff', captions ending 'Picture: ...', agency line, teaser footer.
    PageStyle(
        name="businesslive",
        signature=(_p(r"date \d{4}-\d{2}-\d{2}\b"), _p(r"\d{1,2} [A-Z][a-z]+ \d{4} - \d{1,2}:\d{2}$"),
                   _p(r"by [A-Z]"), "Picture: "),
        header=_p(r"^date (?P<date>\d{4}-\d{2}-\d{2})(?:\s+(?P<section>.{1,40}))?$"),
        kicker="never", standfirst=True),
    # Wire-agency site: section kicker, headline, 'By ...', 'March 4, 2025 3:05 PM GMT',
    # 'NAIROBI, March 4 (Reuters) - ', '(Reporting by ...; Editing by ...)'.
    PageStyle(
        name="wire",
        signature=(" (Reuters) - ", " (Bloomberg) - ", "(Reporting by ", "(Writing by ", "Trust Principles",
                   _p(r"[A-Z][a-z]+ \d{1,2}, \d{4},? \d{1,2}:\d{2} [AP]M (?:GMT|UTC|ET)"),
                   _p(r"Updated \d+ (?:minutes?|hours?|days?) ago$")),
        kicker="auto", standfirst=False),
    # US news agency site: 'By JANE DOE', 'Updated 3:05 PM GMT, March 4, 2025', 'KYIV (AP) — '.
    PageStyle(
        name="apnews",
        signature=(" (AP) —", " (AP) -", "(AP Photo/", "Associated Press writer",
                   _p(r"(?:Updated|Published) \d{1,2}:\d{2} [AP]M [A-Z]{2,4}, [A-Z][a-z]+ \d"),
                   _p(r"By [A-Z][A-Z.'-]+ [A-Z]")),
        kicker="auto", standfirst=False),
    # British broadsheet: 'Tue 4 Mar 2025 15.05 GMT', 'Last modified on ...', bare bylines,
    # 'Photograph: ...', 'Explore more on these topics'.
    PageStyle(
        name="broadsheet",
        signature=(_p(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}\.\d{2} (?:GMT|BST)"),
                   "Last modified on ", "Photograph: ", "This article is more than ", "Explore more on these topics"),
        kicker="auto", standfirst=True, bare_byline=True),
    # German news site: '04.03.2025, 15:05 Uhr', 'Von ...', 'Foto: ...', '(dpa)', 'Mehr zum Thema'.
    PageStyle(
        name="de-nachrichten",
        signature=(_p(r"\d{4},? (?:um )?\d{1,2}[:.]\d{2} Uhr"), _p(r"Von [A-ZÄÖÜ]"), "Foto: ", "Mehr zum Thema",
                   "Stand: ", "Aktualisiert am", " (dpa) ", "Lesezeit:"),
        kicker="auto", standfirst=True, language="de"),
    # Public broadcaster: a bare byline with the desk on the next line ('BBC News, Cardiff'),
    # 'Image source, ...' / 'Image caption, ...' lines, 'Related Topics' footer; no standfirst.
    PageStyle(
        name="broadcaster",
        signature=("Image source, ", "Image caption, ", "Related Topics", "More on this story",
                   "Accessibility Help", "Skip to content"),
        kicker="auto", standfirst=False, bare_byline=True),
    # Spanish news site: bare byline, 'Madrid - 04 mar 2025 - 10:32 CET', 'Actualizado: ...',
    # 'Más información', 'Archivado en'.
    PageStyle(
        name="es-diario",
        signature=("Actualizado: ", "Más información", "Archivado en", "Archivado En", "Suscríbete",
                   _p(r".{2,40} - \d{1,2} [a-z]{3} \d{4} - \d{1,2}:\d{2}"), "Te puede interesar"),
        kicker="auto", standfirst=True, bare_byline=True, language="es"),
    # Italian news site: 'di Nome Cognome', 'Pubblicato il ... alle ...', 'Aggiornato il ...',
    # 'Leggi anche', 'Riproduzione riservata'.
    PageStyle(
        name="it-quotidiano",
        signature=("Pubblicato il ", "Aggiornato il ", "Aggiornato alle ", "Leggi anche", "Riproduzione riservata",
                   "Tempo di lettura", _p(r"di [A-Z][a-z]+ [A-Z]")),
        kicker="auto", standfirst=True, language="it"),
    # French news site: 'Publié le 4 mars 2025 à 15h05, modifié le ...', 'Par ...', 'Lire aussi'.
    PageStyle(
        name="fr-journal",
        signature=("Publié le ", "odifié le ", _p(r"Par [A-ZÉ]"), _p(r"(?:Lecture|Temps de lecture) ?:? ?\d+ min"),
                   "Lire aussi", " (AFP) "),
        kicker="auto", standfirst=True, language="fr"),
)

# One pass over each line tells whether any pattern mark can match it at all (most lines: no).
_ANY_PATTERN_MARK = re.compile("|".join(f"(?:{mark.pattern})" for style in STYLES for mark in style.signature
                                        if not isinstance(mark, str)))


def _marks(style: PageStyle, short_lines: bool) -> tuple[tuple[Mark, str], ...]:
    """The style's marks in the order pick_style looks for them, cheapest first; each text mark with
    a character of it that few pages hold ('' if none): its first non-ASCII character or '('.
    Finding one character (memchr) is several times cheaper than finding a mark, so a block without
    it is not searched for the mark. Guarded text marks, then pattern marks (tried on the few short
    lines that may hold one; left out when there are none), then the other text marks."""
    texts = [(m, next((ch for ch in m if not ch.isascii()), "(" if "(" in m else "")) for m in style.signature
             if isinstance(m, str)]
    patterns = [(m, "") for m in style.signature if not isinstance(m, str)] if short_lines else []
    return (*[t for t in texts if t[1]], *patterns, *[t for t in texts if not t[1]])


# Per style: its marks when the page has short lines that may hold a pattern mark, and when not.
_MARKS = {style.name: (_marks(style, short_lines=True), _marks(style, short_lines=False)) for style in STYLES}
GENERIC = PageStyle(name="generic", kicker="auto", standfirst=True, min_score=0)

# Lines of the head and of the tail that marks are looked for in, and the longest line a
# pattern mark is tried on (dates, bylines and header lines are short).
_HEAD_LINES, _TAIL_LINES, _SHORT_LINE = 30, 20, 100


def pick_style(lines: list[str]) -> PageStyle:
    """The registered style whose marks best match the page's first and last lines."""
    filled = [line for line in lines if line]
    if len(filled) > _HEAD_LINES + _TAIL_LINES:
        filled = filled[:_HEAD_LINES] + filled[-_TAIL_LINES:]
    block = "\n".join(filled)
    short = [line for line in filled if len(line) <= _SHORT_LINE and _ANY_PATTERN_MARK.match(line)]
    best, best_score = GENERIC, 0
    for style in STYLES:
        # A style's own header line identifies it on its own.
        score = 2 if style.header is not None and filled and style.header.match(filled[0]) else 0
        # Only a score of at least ``needed`` changes the answer, so marks are looked for until the
        # ones left cannot get the score there: most pages match one style, and the others drop
        # out after a few misses.
        needed = max(style.min_score, best_score + 1)
        marks = _MARKS[style.name][0 if short else 1]
        left = len(marks)
        for mark, guard in marks:
            if score + left < needed:
                break
            left -= 1
            if isinstance(mark, str):
                score += (not guard or guard in block) and mark in block
            else:
                score += any(mark.match(line) for line in short)
        if score >= needed:
            best, best_score = style, score
    return best
