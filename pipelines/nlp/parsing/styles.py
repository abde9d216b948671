"""Page-text outlet styles: how each layout is recognised and what it prints where.

A new style is one ``PageStyle(...)`` entry in STYLES: patterns that recognise it and a few
switches for the engine in pagetext.py. Order breaks ties; "generic" is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class PageStyle:
    name: str
    # Each pattern that matches one of the first lines scores a point; the best score wins.
    signature: tuple[re.Pattern[str], ...] = ()
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


def _p(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


STYLES: tuple[PageStyle, ...] = (
    # South African business daily (the seed's layout): header line, '10 November 2024 - 14:13',
    # 'by Agency Staff', captions ending 'Picture: ...', agency line, teaser footer.
    PageStyle(
        name="businesslive",
        signature=(_p(r"^date \d{4}-\d{2}-\d{2}\b"), _p(r"^\d{1,2} [A-Z][a-z]+ \d{4} - \d{1,2}:\d{2}$"),
                   _p(r"^by [A-Z]"), _p(r"\bPicture: \S")),
        header=_p(r"^date (?P<date>\d{4}-\d{2}-\d{2})(?:\s+(?P<section>.{1,40}))?$"),
        kicker="never", standfirst=True, min_score=2),
    # Wire-agency site: section kicker, headline, 'By ...', 'March 4, 2025 3:05 PM GMT',
    # 'NAIROBI, March 4 (Reuters) - ', '(Reporting by ...; Editing by ...)'.
    PageStyle(
        name="wire",
        signature=(_p(r"^[A-Z][\w.' -]+, [A-Z][a-z]+ \d{1,2} \((?:Reuters|Bloomberg|AFP)\) [-–—]"),
                   _p(r"^\(?(?:Reporting|Writing) by\b"), _p(r"Trust Principles"),
                   _p(r"^[A-Z][a-z]+ \d{1,2}, \d{4},? \d{1,2}:\d{2} [AP]M (?:GMT|UTC|ET)"),
                   _p(r"^Updated \d+ (?:minutes?|hours?|days?) ago$")),
        kicker="auto", standfirst=False),
    # US news agency site: 'By JANE DOE', 'Updated 3:05 PM GMT, March 4, 2025', 'KYIV (AP) — '.
    PageStyle(
        name="apnews",
        signature=(_p(r"\(AP\) [—–-]"), _p(r"^(?:Updated|Published) \d{1,2}:\d{2} [AP]M [A-Z]{2,4}, [A-Z][a-z]+ \d"),
                   _p(r"^By [A-Z][A-Z.'-]+ [A-Z]"), _p(r"\(AP Photo/"),
                   _p(r"^(?:The )?Associated Press (?:writers?|reporters?)\b")),
        kicker="auto", standfirst=False),
    # British broadsheet: 'Tue 4 Mar 2025 15.05 GMT', 'Last modified on ...', bare bylines,
    # 'Photograph: ...', 'Explore more on these topics'.
    PageStyle(
        name="broadsheet",
        signature=(_p(r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}\.\d{2} (?:GMT|BST)"),
                   _p(r"^Last modified on "), _p(r"\bPhotograph: \S"), _p(r"^This article is more than "),
                   _p(r"^Explore more on these topics")),
        kicker="auto", standfirst=True, bare_byline=True),
    # German news site: '04.03.2025, 15:05 Uhr', 'Von ...', 'Foto: ...', '(dpa)', 'Mehr zum Thema'.
    PageStyle(
        name="de-nachrichten",
        signature=(_p(r"\d{1,2}\.\s?(?:\d{2}\.|[A-ZÄ][a-zä]+)\s?\d{4},? (?:um )?\d{1,2}[:.]\d{2} Uhr"),
                   _p(r"^Von [A-ZÄÖÜ]"), _p(r"\bFoto: \S"), _p(r"^(?:Mehr zum Thema|Stand: |Aktualisiert am)"),
                   _p(r"\((?:dpa|AFP|Reuters|epd|KNA)\) [-–—]"), _p(r"^Lesezeit:")),
        kicker="auto", standfirst=True, language="de"),
    # French news site: 'Publié le 4 mars 2025 à 15h05, modifié le ...', 'Par ...', 'Lire aussi'.
    PageStyle(
        name="fr-journal",
        signature=(_p(r"^Publié le "), _p(r"\bmodifié le ", re.I), _p(r"^Par [A-ZÉ]"),
                   _p(r"^(?:Lecture|Temps de lecture) ?:? ?\d+ min"), _p(r"^(?:Lire aussi|À lire aussi)"),
                   _p(r"\((?:AFP|Reuters|AP)\) [-–—]")),
        kicker="auto", standfirst=True, language="fr"),
)

GENERIC = PageStyle(name="generic", kicker="auto", standfirst=True, min_score=0)

_SIGNATURE_LINES = 60


def pick_style(lines: list[str]) -> PageStyle:
    """The registered style whose signature best matches the page's first lines."""
    # The page's head and tail: bylines and dates sit at the top, trailers and credits at the end.
    filled = [line for line in lines if line]
    head = filled if len(filled) <= 2 * _SIGNATURE_LINES else filled[:_SIGNATURE_LINES] + filled[-_SIGNATURE_LINES:]
    best, best_score = GENERIC, 0
    for style in STYLES:
        score = sum(1 for pattern in style.signature if any(pattern.search(line) for line in head))
        if score >= style.min_score and score > best_score:
            best, best_score = style, score
    return best
