"""Page-text dumps (a news page copied as text) to a Draft, driven by a PageStyle.

Layout, top to bottom: optional header line or section kicker, headline, standfirst, meta lines
(dates, byline, reading time, captions) in any order, the body, an agency credit or trailer,
then a footer of related-article teasers. The style says which of these to expect.
"""

from __future__ import annotations

import re
from datetime import datetime

from pipelines.nlp.normalize import clean_lines
from pipelines.nlp.parsing.body import clean_body
from pipelines.nlp.parsing.boilerplate import (
    footer_start,
    is_banner,
    is_boilerplate,
    is_masthead,
    is_section_label,
    prompt_words,
    score_strip_end,
)
from pipelines.nlp.parsing.credits import (
    agency_name,
    credit_line_agencies,
    is_desk_line,
    is_particle,
    is_role_line,
    parse_byline,
    split_caption,
    strip_place,
)
from pipelines.nlp.parsing.dates import (
    MONTHS,
    YEAR,
    ZONE_NAMES,
    ZONE_WORDS,
    at_time_of,
    find_datetime,
    find_time,
    is_relative_time,
)
from pipelines.nlp.parsing.draft import Draft
from pipelines.nlp.parsing.errors import ParseError
from pipelines.nlp.parsing.folded import FoldedPattern
from pipelines.nlp.parsing.lineclass import drop_furniture
from pipelines.nlp.parsing.styles import PageStyle, pick_style

# Head lines before the body; beyond this the page has no recognisable head.
_MAX_HEAD_LINES = 16
_UPDATED = FoldedPattern(
    r"^(?:and )?(?:updated|last (?:modified|updated)(?: on)?|modified|aktualisiert(?: am)?|stand:?|mis à jour(?: le)?|"
    r"modifié le|actualizado|aggiornato(?: il| alle)?|atualizado(?: em| a| às)?|bijgewerkt(?: op)?|"
    # Swedish, Danish, Norwegian and Polish: 'Uppdaterad 18 mars 2025 kl. 15.02', 'Aktualizacja: 18.03.2025'
    r"uppdaterad|opdateret|oppdatert|aktualizacja|zaktualizowano|"
    # Romanian, Hungarian, Malay, Indonesian and Croatian: 'Actualizat:', 'Frissítve:', 'Dikemaskini'
    r"actualizat|frissítve|dikemaskini|diperbarui|ažurirano)\b")
_PUBLISHED = FoldedPattern(
    r"^(?:published(?: on)?|first published(?: on)?|posted(?: on)?|veröffentlicht(?: am)?|erschienen am|"
    r"publié le|publicado|pubblicato(?: il)?|gepubliceerd(?: op)?|publicerad|publiceret|publisert|udgivet|"
    r"publikacja|opublikowano|publicat|publikálva|diterbitkan|objavljeno|artikel ini disiarkan pada)\b")
_STAMP_START = FoldedPattern(f"(?:{_UPDATED.pattern})|(?:{_PUBLISHED.pattern})")
# The first letters of the stamp words above, in both cases, and 'ſ' (re.I matches it to 's'): a
# body line opening with any other character is no stamp (test_parsing_pagetext checks the set).
_STAMP_FIRST = frozenset("abdefglmopsuvzABDEFGLMOPSUVZſ")
# Inside one line: "Publié le ..., modifié le ...", "Published ... Updated ...".
# Copied pages may glue them together: "4:12 AM GMT+0Updated 2 hours ago".
_SPLIT_STAMPS = re.compile(
    r"\s*[,|·•–—-]?\s*(?<![^\W\d_])(?<!last )(?<!and )"
    r"(?=(?:(?:last )?updated|first published|last modified|"
    r"modifié le|mis à jour|aktualisiert|actualizado|aggiornato|atualizado|bijgewerkt|uppdaterad|opdateret|"
    r"oppdatert|aktualizacja|zaktualizowano)\b)", re.I)
# A piece of each stamp word above without i or s (which re.I also matches to 'ı' and 'ſ'): a line
# whose lower case holds none of them has no split point, and the (slow, re.I) split is skipped.
_STAMP_HINTS = ("updated", "mod", "à jour", "tual", "aggiorn", "first publ", "bijgewerkt", "dater")
# A byline and a date on one line: "By Marco Aquino | March 22, 2025".
_SEPARATOR_CHARS = ("|", "·", "•", " - ", " – ", " — ")
_META_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s+[–—-]\s+")
# What may remain on a date line once the date, time and zone are taken away.
_DATE_WORDS = frozenset({
    "a", "ago", "and", "aktualisiert", "am", "at", "day", "days", "de", "del", "dienstag", "dimanche", "donnerstag",
    "er", "first", "freitag", "fri", "friday", "h", "heure", "hour", "hours", "jeudi", "jour", "last", "le",
    "lundi", "mardi", "mercredi", "min", "mins", "minute", "minutes", "mis", "mittwoch", "modified", "modifié",
    "mon", "monday", "montag", "nd", "on", "pm", "posted", "published", "publié", "rd", "samedi", "samstag",
    "sat", "saturday", "sonntag", "st", "stand", "sun", "sunday", "th", "thu", "thursday", "tue", "tuesday",
    "uhr", "um", "updated", "vendredi", "veröffentlicht", "wed", "wednesday", "à",
    # Spanish and Italian stamps: 'Actualizado: ...', 'Pubblicato il ... alle ...', 'Aggiornato il ...'.
    "actualizado", "publicado", "el", "las", "aggiornato", "pubblicato", "il", "alle", "ore",
    # Portuguese and Dutch: 'Atualizado 12 mar 2025, 10:15', '12 mrt 2025 om 14:13', 'Bijgewerkt ...'
    "atualizado", "em", "às", "bijgewerkt", "gepubliceerd", "om", "op", "uur",
    # Swedish, Danish, Norwegian ('Publicerad 18 mars 2025 kl. 14.13') and Polish stamps
    "publicerad", "uppdaterad", "publiceret", "opdateret", "publisert", "oppdatert", "udgivet", "kl",
    "publikacja", "aktualizacja", "opublikowano", "zaktualizowano",
    # Romanian, Hungarian, Indonesian, Malay and Croatian stamps and weekdays ('Publicat: marți, 18 martie
    # 2025', '2025. március 18., kedd 14:13', 'Selasa, 18 Maret 2025 14:13 WIB', '18.03.2025. u 14:13')
    "publicat", "actualizat", "luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică",
    "frissítve", "publikálva", "hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat", "vasárnap",
    "diterbitkan", "diperbarui", "dikemaskini", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
    "isnin", "khamis", "jumaat", "ahad", "artikel", "ini", "disiarkan", "pada",
    "objavljeno", "ažurirano", "ponedjeljak", "utorak", "srijeda", "četvrtak", "petak", "subota", "nedjelja", "u",
}) | ZONE_NAMES | ZONE_WORDS
_DIGIT = re.compile(r"\d")
# A stamp without a year: a relative time ('2 hours ago', 'vor 3 Stunden') or a time-only update
# stamp ('Mis à jour à 11h20'); every such line holds one of these (lower case).
_YEARLESS_HINTS = (
    "ago", "now", "yesterday", "today", "gestern", "heute", "hier", "aujourd", "instant", "vor", "il y a", "hace",
    "updated", "modified", "aktuali", "stand", "jour", "modifié", "actualizado", "aggiornato", "published",
    "posted", "veröffentlicht", "erschienen", "publié", "publicado", "pubblicato", "last", "atualizado",
    # 'aktuali' also for Polish 'aktualizacja', 'dater' for 'uppdaterad', 'opdateret', 'oppdatert'
    "bijgewerkt", "gepubliceerd", "dater")
# The issuing body of a government or company release: 'From: Department for Education'.
_FROM_LINE = re.compile(r"^From:\s+[A-Z].{0,80}$")
# Words that open an author's bio after the article: 'Jane Doe is an urban planner ...'.
_BIO_VERBS = (" is ", " was ", " writes ", " has been ", " covers ", " reports on ")
# A breadcrumb trail opening the page: 'Home / Business / Agriculture', 'Startseite › Region › Freiburg',
# or one that starts at the news hub: 'News / South Africa'.
_BREADCRUMB = re.compile(r"^(?:home|startseite|accueil|inicio|start|news|nachrichten|noticias|nieuws|notizie|nyheter"
                         r"|nyheder)\s*(?P<sep>[›>/»])\s*\S", re.I)
# A news hub as the first crumb ('Home › News › Counties'): the section is the crumb after it.
_HUB_CRUMBS = frozenset(("news", "nachrichten", "actualités", "actualites", "noticias", "nieuws", "notícias",
                         "notizie"))
# A date as the last crumb, as date-based URL paths print it ('Home › Travel › 2025/03/18').
_CRUMB_DATE = re.compile(r"^(?:19|20)\d\d([/.-])\d{1,2}\1\d{1,2}$")
# A credit under the byline for work other than the text ('Reviewed by Dr. X', 'Photography by Y'):
# a head line, but not an author.
_OTHER_CREDIT = FoldedPattern(
    r"^(?:(?:medically |scientifically )?reviewed|fact[- ]checked|photography|photos?|pictures|illustrations?"
    r"|graphics|video|design|translated|translation)\s+by\s+\S")
# A time of day alone on its line, under a date printed alone ('18 marzo 2025' / '14:13').
_BARE_TIME = re.compile(rf"^\d{{1,2}}[:.h]\d{{2}}(?:\s*[ap]\.?\s?m\.?)?(?:\s+(?:{'|'.join(sorted(ZONE_NAMES))}))?$",
                        re.I)
# A byline's label on a line of its own, the name on the next ('By' / 'Gemma Pritchard'), also glued
# to the crumb copied before it ('NewsBy').
_BY_LABEL = re.compile(r"^(?:[A-Z][a-z]+)?(?:By|Von|Par|Por|Door)$")
# A place printed alone between the title and the date ('BARI' / '18 marzo 2025').
_CAPS_PLACE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+(?: [A-ZÀ-Þ][A-ZÀ-Þ'’.-]+){0,2}$")
# A byline closing the article: 'Par Élodie Marchand', 'Story by A. Produced by B.'
_CLOSING_CREDIT = re.compile(
    r"^(?:(?P<role>produced|edited|photos?|pictures|video|illustrations?|graphics|additional reporting)\s+by"
    r"|(?:story|words|text|reporting|interview|written)\s+by|by|par|von)\s+\S", re.I)
_CLOSING_FIRST_WORDS = frozenset((
    "produced", "edited", "photo", "photos", "pictures", "video", "illustration", "illustrations", "graphics",
    "additional", "story", "words", "text", "reporting", "interview", "written", "by", "par", "von"))
_LEFTOVER = re.compile(r"[^\W\d_]{2,}")
# A reporter's contact printed under the byline: an address or a handle alone on its line
# ('sam.ortega@outlet.example', 'X: @samortega_news', 'Twitter: @jdoe', 'Email: a@b.example').
_CONTACT_LINE = re.compile(r"^(?:(?:e-?mail|x|twitter|bluesky|threads|instagram|mastodon|contact)\s*:?\s*)?"
                           r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\w.]{2,30})$", re.I)
# A photographer piped to the outlet: 'Maya Okafor | The Daily Quad'.
_PIPE_CREDIT = re.compile(r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} \| "
                          r"(?:The )?[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,4}$")
# The last word of a photo agency's name ('Gallo Images', 'Kestrel Photography').
_PHOTO_AGENCY_WORDS = frozenset(("Images", "Image", "Photo", "Photos", "Photography", "Pictures", "Pix"))
# The label of a table of contents at the top of the text ('In this article', 'Contents', 'On this page').
_CONTENTS_LABEL = re.compile(r"^(?:in this (?:article|story|guide|explainer)|(?:table of )?contents|on this page"
                             r"|jump to|skip to section|inhalt(?:sverzeichnis)?|sommaire|índice|indice)\s*:?$", re.I)
# A paywall badge between the title and the byline ('Premium', 'Subscriber only').
_BADGE = re.compile(r"^(?:premium|exclusive|subscribers? only|members? only|plus|pro)$", re.I)
# A trail of crumbs printed with crumb arrows, without a home crumb ('Actualitate › Social').
_ARROW_CRUMBS = re.compile(r"^[^›»/]{2,30}(?:\s[›»]\s[^›»/]{2,30}){1,4}$")


def parse_page_text(text: str) -> Draft:
    lines = clean_lines(text)
    style = pick_style(lines)
    draft = Draft(parser=f"pagetext:{style.name}")
    prompts = prompt_words(lines)
    i = _skip_furniture(lines, 0, prompts)
    if (strip_end := score_strip_end(lines, i)) != i:
        i = _skip_furniture(lines, strip_end, prompts)  # a live-score strip over the page
    while i < len(lines) and is_banner(lines[i]):
        i = _skip_furniture(lines, i + 1, prompts)  # another story's breaking-news banner
    header_date: datetime | None = None
    crumb_sep = _crumb_separator(lines[i]) if i < len(lines) and len(lines[i]) <= 120 else None
    if crumb_sep is not None:
        crumbs = [c.strip() for c in lines[i].split(crumb_sep)]
        if len(crumbs) > 1 and _CRUMB_DATE.match(crumbs[-1]):
            found = find_datetime(crumbs.pop().replace("/", "-").replace(".", "-"))
            header_date = found[0] if found else None
        if len(crumbs) > 2 and crumbs[1].lower() in _HUB_CRUMBS:
            del crumbs[1]
        draft.section = crumbs[1] if len(crumbs) > 1 and len(crumbs[1]) <= 40 else None
        i = _skip_furniture(lines, i + 1, prompts)
    if style.header is not None and i < len(lines):
        match = style.header.match(lines[i])
        if match:
            found = find_datetime(match.groupdict().get("date"))
            header_date = found[0] if found else header_date
            draft.section = match.groupdict().get("section")
            i += 1
    body_start = _read_head(lines, i, style, draft, prompts)
    if draft.published_at is None:
        draft.published_at = header_date
    end = footer_start(lines, body_start + 1)
    body = [line for line in lines[body_start:end] if not _stamp_line(line)]
    headings = _drop_contents_list(body)
    _photo_credit_under_caption(body, draft, lines[:body_start])
    _closing_byline(body, draft)
    _drop_author_bio(body, draft.authors)
    if draft.section and " | " in draft.section:
        draft.section = draft.section.split(" | ")[0]  # 'Faits divers | Lyon': the section, then the place
    parsed = clean_body(body, cleaned=True, prompts=prompts)
    # Second opinion on the lines the rules kept: the learned model drops furniture of unseen shapes.
    kept = drop_furniture(parsed.paragraphs, lines)
    if headings and len(kept) < len(parsed.paragraphs):
        # a sub-heading the page's own table of contents names is text, whatever the model says
        keep = set(kept) | headings
        kept = [p for p in parsed.paragraphs if p in keep]
    parsed.paragraphs = kept
    draft.absorb(parsed)
    draft.language_hint = style.language
    return draft


def _drop_contents_list(body: list[str]) -> set[str]:
    """A table of contents opening the text: its label and the entries, each repeated later as a
    sub-heading, leave the body (the headings stay where the text has them). Returns the entries."""
    for k, line in enumerate(body[:8]):
        if not line or len(line) > 30 or not _CONTENTS_LABEL.match(line):
            continue
        j = k + 1
        while j < len(body) and body[j] and body[j] in body[j + 1:]:
            j += 1
        entries = set(body[k + 1:j])
        if entries:
            del body[k:j]
        return entries
    return set()


def _photo_credit_under_caption(body: list[str], draft: Draft, head: list[str]) -> None:
    """A photo credit piped to the outlet ('Maya Okafor | The Daily Quad') under the caption that
    opens the text: both leave the body. The right side must be the outlet (printed in ``head``, the
    page's lines above the body), a wire or a photo agency ('Gallo Images')."""
    filled = [k for k, line in enumerate(body[:6]) if line][:3]
    for n in range(1, len(filled)):
        caption, credit = body[filled[n - 1]], body[filled[n]]
        if " | " in credit and len(credit) <= 80 and _PIPE_CREDIT.match(credit) and _caption_sentence(caption):
            name, _, right = credit.partition(" | ")
            if _is_role(right):
                # 'Jane Doe | Staff Writer' under a one-sentence lede: the byline; the sentence stays
                if not draft.authors:
                    draft.authors.append(name)
                    del body[filled[n]]
                return
            if right in head or agency_name(right) is not None or right.rsplit(" ", 1)[-1] in _PHOTO_AGENCY_WORDS:
                draft.captions.append(caption)
                draft.credits.append(name)
                del body[filled[n - 1]:filled[n] + 1]
                return


def _is_role(text: str) -> bool:
    return is_role_line(text) or is_desk_line(text)


def _caption_sentence(line: str) -> bool:
    return len(line) <= 200 and line.endswith(".") and line.count(". ") == 0


def _crumb_separator(line: str) -> str | None:
    """The separator of a breadcrumb trail opening the page ('Home / World', 'Actualitate › Social')."""
    crumb = _BREADCRUMB.match(line)
    if crumb:
        return crumb["sep"]
    if ("›" in line or "»" in line) and _ARROW_CRUMBS.match(line):
        return "›" if "›" in line else "»"
    return None


def _skip_furniture(lines: list[str], i: int, prompts: tuple[str, ...]) -> int:
    while i < len(lines) and (not lines[i] or is_boilerplate(lines[i], prompts)):
        i += 1
    return i


def _read_head(lines: list[str], i: int, style: PageStyle, draft: Draft, prompts: tuple[str, ...]) -> int:
    """Fill headline, standfirst and meta fields from the head; return where the body starts."""
    texts: list[int] = []  # indexes of text lines before the first meta line
    seen_meta = False
    scanned = 0
    while i < len(lines) and scanned < _MAX_HEAD_LINES:
        line = lines[i]
        if not line or is_boilerplate(line, prompts) or is_relative_time(line):
            i += 1
            continue
        scanned += 1
        if texts and len(line) <= 40 and _agency_line(line, draft):  # agency names are short
            i += 1
            continue
        bare_ok = bool(texts) and (not seen_meta or style.bare_byline)
        if _role_or_named_byline(lines, i, draft, after_title=bool(texts)) or _meta_line(line, draft, style, bare_ok):
            seen_meta = True
        elif texts and _place_over_date(lines, i):
            seen_meta = True  # the place is printed again in the dateline
        elif seen_meta and _late_headline(line, lines, i, texts):
            texts.append(i)  # only labels above the date: the headline is printed below it
        elif seen_meta:
            break  # the first text line after the meta lines opens the body
        else:
            texts.append(i)
        i += 1
    if not texts:
        raise ParseError("no_headline", "page text has no headline line")
    if not seen_meta:
        # No dates or byline: headline (after optional kickers), then the body.
        first = _assign_titles(lines, texts[:4], style, draft, wanted=1, kickers=False)
        return texts[first] + 1
    first = _assign_titles(lines, texts, style, draft, wanted=2 if style.standfirst else 1)
    leftover = texts[first + 2:] if draft.standfirst is not None else texts[first + 1:]
    return leftover[0] if leftover else i


def _assign_titles(lines: list[str], texts: list[int], style: PageStyle, draft: Draft, wanted: int,
                   kickers: bool = True) -> int:
    """Section, kickers, headline and standfirst from the text lines above the meta lines.

    Leading section labels ('World', 'Africa') and short kicker lines above the headline are
    taken off while more lines remain than the style prints titles. Returns the position of the
    headline in ``texts``.
    """
    k = 0
    if style.kicker != "never":
        while len(texts) - k > 1 and (is_section_label(lines[texts[k]]) or (style.kicker == "always" and k == 0)):
            k += 1
        while (kickers and len(texts) - k > wanted and _kicker_like(lines[texts[k]])
               and len(lines[texts[k]]) < len(lines[texts[k + 1]])):
            k += 1
        # Labels of a few words ('Local News', a masthead, 'NEWS PROVIDED BY') above a full-length
        # title are kickers even when the page prints no standfirst.
        while (len(texts) - k > 1 and _label_like(lines[texts[k]])
               and any(len(lines[t].split()) >= 5 for t in texts[k + 1:k + 3])):
            k += 1
    if k and draft.section is None:
        labels = [lines[t] for t in texts[:k] if is_section_label(lines[t])]
        if len(labels) > 1 and is_masthead(labels[0]):
            labels = labels[1:]
        elif k > 1 and is_masthead(lines[texts[0]]) and not labels:
            labels = [lines[texts[1]]]
        draft.section = labels[0] if labels else lines[texts[0]]
    draft.headline = lines[texts[k]]
    if wanted == 2 and len(texts) > k + 1:
        draft.standfirst = lines[texts[k + 1]]
    return k


def _late_headline(line: str, lines: list[str], i: int, texts: list[int]) -> bool:
    """A headline printed below the date line (press releases): everything above was labels
    ('NEWS PROVIDED BY', a company name) and this line reads like a title, not a paragraph."""
    if not texts or any(len(lines[t].split()) > 4 for t in texts):
        return False
    return 5 <= len(line.split()) <= 25 and not line.endswith((".", "”", '"', ":", ";", ","))


def _label_like(line: str) -> bool:
    return len(line) <= 40 and len(line.split()) <= 4 and not line.endswith((".", "!", "?", "”", '"'))


def _kicker_like(line: str) -> bool:
    return len(line) <= 60 and len(line.split()) <= 8 and not line.endswith((".", "!", "?", "”", '"'))


def _meta_line(line: str, draft: Draft, style: PageStyle, bare_ok: bool) -> bool:
    """Record a date, byline or caption line on the draft; False for ordinary text."""
    if line.startswith("From:") and _FROM_LINE.match(line):
        return True
    if len(line) <= 120 and _OTHER_CREDIT.match(line):
        return True
    if len(line) <= 20 and _BY_LABEL.match(line):
        return True
    if draft.authors and "@" in line and len(line) <= 60 and _CONTACT_LINE.match(line):
        return True
    if len(line) <= 40 and _time_under_date(line, draft):
        return True
    if len(line) <= 160 and _date_line(line, draft):
        return True
    if len(line) <= 200 and _compound_meta(line, draft):
        return True
    byline = parse_byline(line, allow_bare=style.bare_byline and bare_ok and _bare_byline_ok(line), cleaned=True)
    if byline is not None:
        draft.authors += [a for a in byline[0] if a not in draft.authors]
        draft.agencies += byline[1]
        return True
    caption = split_caption(line)
    if caption is not None and len(caption[1].split()) <= 12:
        if caption[0]:
            draft.captions.append(caption[0])
        draft.credits.append(caption[1])
        return True
    return False


def _role_or_named_byline(lines: list[str], i: int, draft: Draft, after_title: bool) -> bool:
    """A job-title line under a byline ('Political Editor'), or a bare name with one under it."""
    line = lines[i]
    if draft.authors and is_role_line(line):
        return True
    if not after_title or not _bare_byline_ok(line):
        return False
    if " | " in line:
        name, _, role = line.partition(" | ")
        if is_role_line(role.strip()) or is_desk_line(role.strip()):  # 'Ramona Clarke | Senior Staff Reporter'
            line = name
    j = i + 1
    while j < len(lines) and not lines[j]:
        j += 1
    # The name's own line is followed by a job title, or directly by the date ('Priya Natarajan' /
    # 'Tue, March 4, 2025 at 11:18 PM UTC') or by its agency ('Mike Delorme' / 'The Canadian Press').
    if j == len(lines) or not (is_role_line(lines[j]) or (_name_like(line) and _under_title(lines, i)
                                                          and (is_date_line(lines[j])
                                                               or bool(credit_line_agencies(lines[j]))))):
        return False
    if is_desk_line(line):
        return True  # 'Our Staff Reporter' over the date: a byline without a name
    byline = parse_byline(line, allow_bare=True)
    if byline is None or not byline[0]:
        return False
    draft.authors += [a for a in byline[0] if a not in draft.authors]
    draft.agencies += [a for a in byline[1] if a not in draft.agencies]  # 'Erik Lindqvist/TT'
    return True


def _place_over_date(lines: list[str], i: int) -> bool:
    """A place in capitals alone on its line, directly over a date line ('BARI' / '18 marzo 2025')."""
    line = lines[i]
    if len(line) > 30 or not _CAPS_PLACE.match(line):
        return False
    j = i + 1
    while j < len(lines) and not lines[j]:
        j += 1
    return j < len(lines) and is_date_line(lines[j])


def _time_under_date(line: str, draft: Draft) -> bool:
    """A time alone on its line completes a publication date read without one ('18 marzo 2025' /
    '14:13'): the date was read as midnight."""
    published = draft.published_at
    if (published is None or draft.updated_at is not None or (published.hour, published.minute) != (0, 0)
            or not _BARE_TIME.match(line)):
        return False
    draft.published_at = at_time_of(published, line) or published
    return True


def _agency_line(line: str, draft: Draft) -> bool:
    """An agency credit under the title ('KYODO', 'The Canadian Press'): neither a standfirst nor the
    end of the head (a place line may follow it)."""
    agencies = credit_line_agencies(line)
    if not agencies:
        return False
    draft.agencies += [a for a in agencies if a not in draft.agencies]
    return True


def _name_like(line: str) -> bool:
    words = line.split()
    if len(words) > 4 and (" at " in line or " in " in line):
        words = strip_place(line).split()  # 'Cathal Brennan at Carrick Park'
    return (2 <= len(words) <= 4 and all(w[:1].isupper() or is_particle(w) for w in words)  # 'Hanna de Vries'
            and words[0][:1].isupper() and not _DIGIT.search(line))


def _under_title(lines: list[str], i: int) -> bool:
    """The line right under a headline or standfirst (a line of five words or more), not under a
    label such as an agency name or a place."""
    h = i - 1
    while h >= 0 and (not lines[h] or (len(lines[h]) <= 20 and _BADGE.match(lines[h]))):
        h -= 1  # a paywall badge between the standfirst and the name
    return h >= 0 and len(lines[h].split()) >= 5


def _closing_byline(body: list[str], draft: Draft) -> None:
    """A byline printed under the article ('Par Élodie Marchand', 'Story by A. Produced by B.'):
    its authors are taken when the head had none, and the line leaves the body."""
    filled = [k for k in range(len(body) - 1, -1, -1) if body[k]][:4]  # furniture may follow it
    for k in filled:
        line = body[k]
        if len(line) > 160 or line.split(" ", 1)[0].lower() not in _CLOSING_FIRST_WORDS:
            continue
        sentences = [p for p in re.split(r"(?<=[a-z])\.\s+", line.rstrip(".")) if p]
        credits = [_CLOSING_CREDIT.match(p) for p in sentences]
        if not all(credits):
            continue
        authors: list[str] = []
        for sentence, credit in zip(sentences, credits, strict=True):
            parsed = parse_byline(sentence[credit.end() - 1:], allow_bare=True)
            if parsed is None or not parsed[0]:
                break
            if credit["role"] is None:
                authors += parsed[0]
        else:
            if not draft.authors:
                draft.authors = authors
            del body[k]
            return


def _drop_author_bio(body: list[str], authors: list[str]) -> None:
    """Drop the author's bio printed as the last line ('Jane Doe is an urban planner ...')."""
    last = len(body) - 1
    while last >= 0 and not body[last]:
        last -= 1
    if last < 0 or len(body[last]) > 300:
        return
    line = body[last]
    if any(line.startswith(author) and line[len(author):].startswith(_BIO_VERBS) for author in authors):
        del body[last]


def _compound_meta(line: str, draft: Draft) -> bool:
    """'By A | March 22, 2025': every part is a byline or a date; record them all or nothing."""
    if not any(sep in line for sep in _SEPARATOR_CHARS):
        return False
    parts = _META_SEPARATOR.split(line)
    if len(parts) < 2:
        return False
    trial = Draft(parser=draft.parser)
    # 'Madrid - 04 mar 2025 - 10:32 CET': a place, then a date and a time in parts of their own;
    # the date parts are read together.
    stamp: list[str] = []
    for n, part in enumerate(parts):
        byline = parse_byline(part)
        if byline is not None:
            trial.authors += byline[0]
            trial.agencies += byline[1]
        elif _DIGIT.search(part):
            stamp.append(part)
        elif not (n == 0 and _place_like(part)):
            return False
    if stamp and not _date_line(" ".join(stamp), trial):
        return False
    if not trial.authors and not trial.agencies and trial.published_at is None:
        return False
    draft.authors += [a for a in trial.authors if a not in draft.authors]
    draft.agencies += trial.agencies
    draft.published_at = draft.published_at or trial.published_at
    draft.updated_at = draft.updated_at or trial.updated_at
    return True


def _place_like(part: str) -> bool:
    words = part.split()
    return (0 < len(words) <= 4 and not _DIGIT.search(part)
            and all(w[:1].isupper() or w in ("de", "del", "la", "di", "am", "an", "sur") for w in words))


def split_meta(line: str) -> list[str]:
    """The parts of a line that may join a byline and a date with '|', '·' or a dash."""
    return _META_SEPARATOR.split(line)


def _bare_byline_ok(line: str) -> bool:
    return len(line) <= 80 and not line.endswith((".", "?", "!", "”", '"'))


def _date_line(line: str, draft: Draft) -> bool:
    if not _DIGIT.search(line):
        return False  # every date we read has digits; most head lines have none
    low = line.lower()
    if YEAR.search(line) is None and not any(hint in low for hint in _YEARLESS_HINTS):
        return False  # a full date has a year; without one only relative times and time-only stamps count
    pieces = _SPLIT_STAMPS.split(line) if any(hint in low for hint in _STAMP_HINTS) else [line]
    parts = [p for p in pieces if p and p.strip(" ,|·•–—-")]
    stamps: list[tuple[bool, datetime | None]] = []
    times: list[tuple[bool, tuple[int, int, int]]] = []
    for part in parts:
        part = part.strip(" ,|·•–—-")
        updated = _UPDATED.match(part) is not None
        if is_relative_time(part):
            stamps.append((updated, None))
            continue
        found = find_datetime(part)
        if found is None and (updated or _PUBLISHED.match(part)) and _only_date(part):
            # A stamp with a time only ('Mis à jour à 11h20', 'first published at 6.30am'): the day
            # of the other stamp on the line, or of the publication stamp read above.
            clock = find_time(part)
            if clock is not None:
                times.append((updated, clock))
                continue
        if found is None or not _only_date(part):
            return False
        stamps.append((updated, found[0]))
    day = next((value for _, value in stamps if value is not None), None) or draft.published_at
    if times and day is None:
        return False
    for updated, (hour, minute, second) in times:
        stamps.append((updated, day.replace(hour=hour, minute=minute, second=second)))  # type: ignore[union-attr]
    if not stamps:
        return False
    # A publication stamp is read before an update stamp printed ahead of it on the same line.
    stamps.sort(key=lambda stamp: stamp[0])
    for updated, value in stamps:
        if value is None:
            continue
        if updated and draft.published_at is not None:
            draft.updated_at = draft.updated_at or value
        elif updated and not _PUBLISHED.match(line):
            # An 'Updated' stamp alone (AP style) is the best publication time the page gives.
            draft.published_at = value
            draft.updated_at = draft.updated_at or value
        elif draft.published_at is None:
            draft.published_at = value
    return True


def _stamp_line(line: str) -> bool:
    """A publication stamp repeated under the article ('First Published: Mar 04, 2025 08:22 PM IST')."""
    return (len(line) <= 160 and line[:1] in _STAMP_FIRST and _STAMP_START.match(line) is not None
            and is_date_line(line))


def read_stamps(line: str) -> tuple[datetime | None, datetime | None]:
    """(published, updated) of a stamp line ('2025-03-18 14:13 KST | Updated : 2025-03-18 16:40 KST')."""
    draft = Draft(parser="")
    _date_line(line, draft)
    return draft.published_at, draft.updated_at


def is_date_line(line: str) -> bool:
    """A line that is only a publication or update stamp."""
    return len(line) <= 160 and _date_line(line, Draft(parser=""))


def _only_date(text: str) -> bool:
    """Nothing but date, time, zone and stamp words ('Published', 'Uhr', 'le', 'à') on the line."""
    return all(word in _DATE_WORDS or word in MONTHS for word in _LEFTOVER.findall(text.lower()))
