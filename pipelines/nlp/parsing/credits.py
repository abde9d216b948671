"""Who wrote it and who supplied it: bylines, wire datelines, agency credits, caption credits.

Shared by every parser: HTML bodies and API records carry the same lines as page-text dumps.
"""

from __future__ import annotations

import re

from pipelines.nlp.normalize import clean_line
from pipelines.nlp.parsing.folded import FoldedPattern

# Wire agencies by every spelling we meet, mapped to one canonical name.
AGENCIES: dict[str, str] = {
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "bloomberg": "Bloomberg", "bloomberg news": "Bloomberg",
    "dpa": "dpa", "deutsche presse-agentur": "dpa", "epd": "epd", "kna": "KNA",
    "ansa": "ANSA", "efe": "EFE", "anp": "ANP", "apa": "APA", "belga": "Belga",
    "xinhua": "Xinhua", "tass": "TASS", "ria novosti": "RIA Novosti", "kyodo": "Kyodo",
    "yonhap": "Yonhap", "pti": "PTI", "ani": "ANI", "aap": "AAP", "anadolu": "Anadolu",
    "anadolu agency": "Anadolu", "sapa": "Sapa", "ana": "ANA", "pa": "PA", "pa media": "PA",
    "upi": "UPI", "cnn wire": "CNN Wire",
    "cp": "CP", "canadian press": "CP", "the canadian press": "CP", "lusa": "Lusa", "agência lusa": "Lusa",
    "sda": "SDA", "keystone-sda": "SDA", "ats": "ATS", "keystone-ats": "ATS", "pap": "PAP", "ctk": "ČTK",
    "čtk": "ČTK", "mti": "MTI", "hina": "Hina", "bta": "BTA", "ntb": "NTB",
    "ritzau": "Ritzau", "europa press": "Europa Press", "adnkronos": "Adnkronos",
    "tt": "TT", "tt nyhetsbyrån": "TT", "agerpres": "Agerpres", "antara": "Antara", "bernama": "Bernama",
    "app": "APP", "associated press of pakistan": "APP", "tanjug": "Tanjug", "sta": "STA", "tasr": "TASR",
    "stt": "STT", "vna": "VNA", "pna": "PNA", "bss": "BSS", "ians": "IANS",
}
# Agency names that are also common words ('the app'): an agency only when printed in capitals.
_CAPITALS_ONLY = frozenset({"app"})
_AGENCY_ALT = "|".join(re.escape(k) for k in sorted(AGENCIES, key=len, reverse=True))
_AGENCY_RE = re.compile(rf"(?<![\w])(?:{_AGENCY_ALT})(?![\w])", re.I)


# A line that is only an agency credit: "Reuters", "AFP/Reuters", "— Reuters", "With AFP",
# "Staff and agencies", "Reuters contributed to this report", "(dpa)".
_CREDIT_LINE = FoldedPattern(
    # '/ritzau/': Nordic wires sign off between slashes
    rf"^[\s(—–/-]*(?:(?:with|additional reporting by|(?:additional )?input from|source|quelle|avec|mit|sources?|bron|"
    # Romanian, Hungarian, Indonesian/Malay, Croatian and Czech 'source'
    rf"fonte|fuente|sursa|forrás|sumber|izvor|zdroj)\s*:?\s+)?"
    # the desk's own mark before the agency: '(red./APA)', '(red, dpa)', 'Redazione ANSA'
    rf"(?:(?:red(?:aktion)?|rédaction|ots)\.?\s*[/,]\s*"
    rf"|(?:red(?:azione|aktion(?:en)?|acción|ação|actie|akcja)|rédaction)\s+)?"
    # the editors' initials before the agencies: 'jsi/rc (AFP, Reuters)'
    rf"(?:[a-z]{{2,4}}(?:\s*/\s*[a-z]{{2,4}})+\s*\(\s*)?"
    rf"(?P<names>(?:{_AGENCY_ALT})(?:\s*(?:[/,&+]|and|und|et)\s*(?:{_AGENCY_ALT}))*)"
    rf"(?:\s+(?:staff|contributed to this report|contributed reporting))?[\s.)/]*$")
_AGENCIES_ONLY_LINE = FoldedPattern(r"^(?:staff and agencies|agencies|agences|agenturen|wire services)\.?$")

# "NAIROBI, March 4 (Reuters) - ", "KYIV, Ukraine (AP) — ", "Berlin (dpa) - ", "WASHINGTON — ".
_DATELINE = re.compile(
    rf"^(?P<place>[A-ZÀ-Þ][\w.'’/ -]{{1,40}}?(?:,\s*(?![A-Z][a-zé]+\.?\s+\d)[A-ZÀ-Þ][\w.'’ -]{{1,30}}?)?)"
    rf"(?:,\s*(?P<date>[A-Z][a-zé]+\.?\s+\d{{1,2}}|\d{{1,2}}\.?\s+[A-Za-zéû]+)(?:,?\s+\d{{4}})?)?\s*"
    rf"\((?P<agency>{_AGENCY_ALT}|[A-Z]{{2,6}})\)\.?\s*[-–—:]+\s*",
    re.I)
# Press-release distributors: "CAPE TOWN, South Africa, March 4, 2025 /PRNewswire/ -- ".
_RELEASE_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][\w.'’ -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,30}?)?),\s*[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}\s*"
    r"/[A-Za-z][\w .-]{1,30}/\s*(?:--|[–—-])\s*")
# The agency first, as Italian wires print it: '(ANSA) - BARI, 18 MAR - ', '(AGI) - Roma, 18 mar. - '.
_AGENCY_FIRST_DATELINE = re.compile(
    rf"^\((?P<agency>{_AGENCY_ALT}|[A-Z]{{2,6}})\)\s*[-–—]+\s*(?P<place>[A-ZÀ-Þ][\w.'’ -]{{1,40}}?)"
    rf"(?:,\s*\d{{1,2}}\s+[A-Za-z]{{3,9}}\.?(?:\s+\d{{4}})?)?\s*[-–—]+\s*",
    re.I)
# Release wires glue place and distributor with double hyphens: 'SAN DIEGO--(BUSINESS WIRE)--'.
_WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,30}?)?)\s*--\s*\([A-Z][A-Za-z .]{2,30}\)\s*--\s*")
_CAPS_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{2,30}(?:,\s*[A-Z][\w.’ -]{1,30}?)?)"
    r"(?:,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}))?\s*[–—-]{1,2}\s+(?=[A-Z\"“‘'])")
# South Asian and Malaysian papers close the place with a colon: 'ISLAMABAD: The federal ...',
# 'KUALA LUMPUR: Jabatan ...'. Capitals only, and not a label that takes a colon the same way;
# wire copy follows (a capitalised word and three more), not a speaker's 'Thank you.' or nothing.
_COLON_HEAD = r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’-]{2,20}(?: [A-ZÀ-Þ][A-ZÀ-Þ.'’-]{1,20}){0,2}):"
_COLON_DATELINE = re.compile(_COLON_HEAD + r"\s+(?=[A-ZÀ-Þ]\S*(?:\s+\S+){3})")
# A paragraph opening with capitals and a colon, followed by anything: a speaker in a transcript.
_CAPS_COLON = re.compile(_COLON_HEAD)
_COLON_LABELS = frozenset((
    "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS", "WATCH", "LISTEN", "READ", "NOTE", "EDITOR'S NOTE",
    "EDITOR’S NOTE", "CORRECTION", "CLARIFICATION", "PHOTOS", "PHOTO", "VIDEO", "EXCLUSIVE", "ANALYSIS",
    "OPINION", "LIVE", "FACT CHECK", "WARNING", "ALERT", "REVIEW", "INTERVIEW", "COMMENT", "EDITORIAL",
    "SPOILER", "SPOILERS", "UPDATES", "DEVELOPING", "JUST IN", "FLASH", "URGENT", "ADVISORY", "HOST",
    "CAPTION", "SOURCE", "SOURCES", "AUDIO", "TRANSCRIPT", "FAQ", "TL;DR", "TLDR", "PS", "NB", "NEW",
    "RELATED", "MORE", "ALSO", "Q", "A",
    # story labels
    "EXPLAINER", "EXPLAINED", "TIMELINE", "QUIZ", "POLL", "RECAP", "PREVIEW", "FACTBOX", "FACT-CHECK", "PROFILE",
    "OBITUARY", "GALLERY", "PODCAST", "BRIEFING", "FEATURE", "COLUMN", "LETTERS", "INSIGHT", "SPECIAL REPORT",
    "KEY FACTS", "WHAT WE KNOW", "MAP", "CHART", "GRAPHIC", "FACTS", "REACTION", "VERDICT", "PICTURED"))

# German and French copy: "Wien - ", "Paris – " (a place in mixed case, no agency).
# Austrian and Swiss papers end the place with a full stop: "Wien. Die Regierung ...".
_PLAIN_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜÉ][a-zäöüßéèàç]+(?:[ /-][A-ZÄÖÜÉ][a-zäöüßéèàç]+)?)\s+[–—-]\s+(?=[A-ZÄÖÜÉ])"
    r"|^(?P<dotplace>[A-ZÄÖÜÉ][a-zäöüßéèàç]{3,})\.\s+(?=[A-ZÄÖÜÉ][a-zäöüßéèàç]+\s)")
# "Written by", "Words by", "Edited by" (live pages name their editor as the author).
# 'oprac.' (Polish: compiled by) credits the editor who wrote the story up.
# 'Szerző:' (Hungarian), 'Oleh' (Malay/Indonesian), 'Pewarta:' (Indonesian reporter), 'Piše:' (Croatian),
# 'Autor:' (Romanian, Czech).
_BYLINE = re.compile(r"^(?:by|von|par|de|por|di|door|autor(?:in)?|auteur|author|oprac\.|szerző|oleh|pewarta|"
                     r"piše|napisao|napisala|"
                     r"(?:written|words|reported|story|text|edited|interview|interviewed)\s+by)\s*:?\s+"
                     r"(?P<names>\S.*)$", re.I)
# Contact details printed after a byline's name: "By Karen Holt kholt@outlet.example", "| @handle".
_CONTACT = re.compile(r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<!\w)@\w{2,30})\s*")
_PARENTHETICAL = re.compile(r"\s*\([^()]{0,80}\)")
_BAR = re.compile(r"\s*\|\s*")
# "Agency Staff", "Staff Reporter", "Reuters Staff", "Our Foreign Staff": a desk, not a person.
_STAFF = re.compile(
    rf"^(?:(?P<agency>{_AGENCY_ALT})\s+|(?:agency|our|foreign|news|city|political|special|business|sports?|senior|chief|"
    rf"financial|wire|the)\s+)*(?:staff|reporters?|writers?|correspondents?|desk|newsroom|redaktion|rédaction|"
    rf"agencies)(?:\s+(?:writer|reporter|correspondent)s?)?$",
    re.I)
# An outlet's desk printed under a byline: 'BBC News, Cardiff', 'Sky News', 'Radio Canada'.
_DESK = re.compile(r"^(?:[A-Z][\w&.-]*\s+){0,3}(?:News|Radio|TV|Television|Media|Online|Newsroom)$")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+und\s+|\s+et\s+|\s*&\s*|\s*;\s*|\s+y\s+|\s+e\s+)\s*")
# What follows a name in a byline: "in Nairobi", ", Europe correspondent", "Health policy editor".
# ('at Carrick Park': a sports writer at the ground)
_IN_PLACE_TAIL = re.compile(r"\s+(?:in|at|à|aus|en)\s+[A-Z][\w'’ -]*$")
_ROLE_WORD = re.compile(
    r"\b(?:correspondents?|editors?|reporters?|writers?|journalists?|columnists?|analysts?|commentators?|"
    r"Korrespondent(?:in)?|Redakteur(?:in)?|correspondante?|envoyée?\s+spéciale?|chroniqueur|chroniqueuse)\b.*$",
    re.I)
# A job title on its own line under a byline: 'Political Editor', 'Chief Football Writer',
# 'Health correspondent', 'Staff Engineer' (at most four words before the role noun).
_ROLE_LINE = re.compile(
    r"^[A-Z][\w'’&-]*(?:\s+[\w'’&-]+){0,4}?\s*\b(?:correspondent|editor|reporter|writer|presenter|columnist|"
    r"analyst|producer|contributor|journalist|critic|commentator|engineer|editor-at-large|Korrespondent(?:in)?|"
    r"Redakteur(?:in)?|correspondante?|chroniqueur|chroniqueuse)s?$"
    # French and German titles lead with the noun: 'Journaliste rubrique Économie', 'Redakteurin Politik'
    r"|^(?:journaliste|rédact(?:eur|rice)(?: en chef)?|correspondante?|reporter|redakteur(?:in)?|"
    r"korrespondent(?:in)?|reporterin)\b[\w'’ -]{0,40}$", re.I)
_DIGIT = re.compile(r"\d")
_NAME_OK = re.compile(r"^[^\W\d_][\w.'’ -]*[\w.]$")
_TRAILER = FoldedPattern(
    r"^\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|graphics|"
    r"(?:additional\s+)?reporting and writing)\s+by\b.*$"
    # Indonesian wire footers: 'Pewarta: Name' (reporter), 'Editor: Name'
    r"|^(?:pewarta|editor|penyunting|redaktur)\s*:\s*[^\W\d_][\w.'’ -]{2,60}$")
_TRAILER_NAMES = re.compile(r"(?:^|;\s*|\(\s*)(?:(?:reporting|writing)\s+by\s+|pewarta\s*:\s*)(?P<names>[^;)]+)",
                            re.I)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?=\s*(?:,|\band\b|$))")
# AP's closing notes: "Doe reported from Paris. Associated Press writer X contributed to this report."
_CONTRIBUTED = re.compile(
    r"^(?:(?:the\s+)?associated press\s+(?:writers?|reporters?)|[\w ]+ contributed to this report"
    r"|[A-Z][\w'’-]+(?:\s+and\s+[A-Z][\w'’-]+)?\s+reported from\s"
    # 'This report by The Canadian Press was first published March 12, 2025.'
    r"|this (?:report|article|story) by .{2,40} was (?:first )?published\s)\b.*\.$", re.I)
# One of these is in every line _CONTRIBUTED matches (lower-cased, if ASCII): '[\w ]+' would
# otherwise backtrack over every body line looking for ' contributed'.
_CONTRIBUTED_WORDS = ("contributed to this report", "reported from", "associated press", "was published",
                      "was first published")
# Desk initials closing a wire story: 'ACL // JMR', 'jsi/rc' (the agencies, if any, are a credit line).
# A slash may close them too: 'kzw/ mhr/'.
_INITIALS = re.compile(r"^(?:[A-Z]{2,4}(?:\s*//?\s*[A-Z]{2,4})+|[a-z]{2,4}(?:\s*//?\s*[a-z]{2,4})+)/?$")

# Caption credits: "... Picture: NAME/AGENCY", "Photo: ...", "Foto: ...", "(AP Photo/Name)".
_CAPTION_CREDIT = re.compile(
    # a caption copied without a space before its label: '... on WednesdayImage: Name/PAP'
    r"(?:^|[\s.,;(\[]|(?<=[a-z]))(?P<label>(?:Photo|Picture|Image) credits?|"
    r"Pictures?|Photo(?:graph)?s?(?: illustration)?|Images?|Fot[oó]|Fotos|Bild|Credit|"
    r"Crédits?|Crédit photo|Illustration|Video)\s?:\s*(?P<credit>[^:()\[\]]{2,120}?)\s*[)\]]?\s*\.?$")
# The Polish abbreviation, without a colon: '... we Wrocławiu. fot. PAP/Ewa Mroczek'.
_FOT_CREDIT = re.compile(r"(?:^|[\s.,;(\[])[Ff]ot\.\s*(?P<credit>[^:()\[\]]{2,120}?)\s*[)\]]?\s*\.?$")
# Broadcaster pages print the credit and the caption on their own labelled lines:
# "Image source, Getty Images" / "Image caption, Water reached the windows ...".
_LABELLED_CAPTION = re.compile(r"^(?:(?P<source>Image|Photo|Video) source|(?:Image|Photo|Video) caption)\s*[,:]\s*"
                               r"(?P<text>\S.*)$")
# Substrings one of which every caption credit contains (checked before the regexes run).
_CREDIT_LABEL = re.compile("Picture|Photo|Image|Fot[oó]|Fot\\.|Bild|Credit|Crédit|Illustration|Video|FOTO|PHOTO")
# A wire's photo credit closing a caption without a colon: 'ANTARA FOTO/Name/abc', '- Foto NSTP/Name'.
_WIRE_PHOTO = re.compile(r"(?:^|[\s.,;(]|\s[-–—]\s)(?P<credit>(?:[A-Z]{2,12} (?:FOTO|PHOTO)|(?:Foto|Photo) [A-Z]{2,12})"
                         r"/[^/()\[\]:]{2,60}(?:/[a-z]{1,5})?)\s*[)\]]?\.?$")
# The label first and the credit in brackets at the end: 'Photo: Crews at the fire. (Supplied: DFES)'.
_LEAD_LABEL_CAPTION = re.compile(r"^(?:Photos?|Pictures?|Images?|Fotos?|Bild|Video)\s?:\s*(?P<text>\S.{2,500}?)\s*"
                                 r"\((?P<credit>[^()]{2,80})\)\.?$")
# A credit in brackets without a label closing a caption: the agency and the photographer
# ('(Gallo Images/Nandi Khoza)', '(Reuters/Jane Doe)') or the photographer for the outlet
# ('(Ana Torres for The Mountain Ledger)'). Names only, so a bracketed aside in prose does not match.
_NAME = r"[A-Z][\w.'’-]*"
_PAREN_NAME_CREDIT = re.compile(
    rf"\((?P<credit>{_NAME}(?: {_NAME}){{0,2}}/{_NAME}(?: {_NAME}){{1,3}}"
    rf"|{_NAME}(?: {_NAME}){{1,2}} for (?:the )?{_NAME}(?: {_NAME}){{0,3}})\)$")
_PAREN_CREDIT = re.compile(r"\((?:(?P<credit>(?:AP|AFP|Reuters|EPA|Getty|dpa)[^()]{0,20}Photo/[^()]{2,80})|"
                           r"Photo(?:graph)?\s+by\s(?P<by>[^()]{2,100}))\)\s*$", re.I)


def agency_name(text: str) -> str | None:
    """Canonical agency for an exact name: 'REUTERS' -> 'Reuters', 'Associated Press' -> 'AP'."""
    name = text.strip().strip(".")
    key = name.lower()
    return None if key in _CAPITALS_ONLY and not name.isupper() else AGENCIES.get(key)


def credit_line_agencies(line: str) -> list[str] | None:
    """Agencies if ``line`` is only an agency credit ('Reuters', 'AFP/dpa'), else None."""
    if len(line) > 80:
        return None
    if _AGENCIES_ONLY_LINE.match(line.strip()):
        return []
    match = _CREDIT_LINE.match(line)
    if not match:
        return None
    names = line[match.start("names"):match.end("names")]  # the match may be on the lower-cased line
    return unique(agency_name(m.group(0)) for m in _AGENCY_RE.finditer(names)) or None  # None: 'App' is no credit


def parse_dateline(paragraph: str, *, colon: bool = True) -> tuple[str, str | None, int] | None:
    """(place, agency, prefix length) for a wire dateline opening the paragraph.

    ``colon``: a place closed by a colon ('LAHORE: ...') may open it; False in a transcript, where
    capitals and a colon name a speaker (is_transcript).
    """
    head = paragraph[:120]
    match = _DATELINE.match(head)
    if match:
        agency = agency_name(match["agency"])
        if agency is None and not match["agency"].isupper():
            return None
        return _place(match["place"]), agency or match["agency"], match.end()
    if head.startswith("("):
        match = _AGENCY_FIRST_DATELINE.match(head)
        if match:
            agency = agency_name(match["agency"])
            if agency is not None or match["agency"].isupper():
                return _place(match["place"]), agency or match["agency"], match.end()
    match = _RELEASE_DATELINE.match(head)
    if match:
        return _place(match["place"]), None, match.end()
    if "--(" in head:
        match = _WIRE_DATELINE.match(head)
        if match:
            return _place(match["place"]), None, match.end()
    match = _CAPS_DATELINE.match(head)
    if match and len(match["place"].split()) <= 4:
        return _place(match["place"]), None, match.end()
    if colon and ":" in head[:50]:
        match = _COLON_DATELINE.match(head)
        if match and match["place"] not in _COLON_LABELS:
            return match["place"], None, match.end()
    match = _PLAIN_DATELINE.match(head)
    if match:
        return match["place"] or match["dotplace"], None, match.end()
    return None


def is_transcript(paragraphs: list[str]) -> bool:
    """Two or more paragraphs open with capitals and a colon ('SMITH: ...', 'JOHN SMITH:'): speakers."""
    return sum(1 for p in paragraphs if ":" in p[:50] and _CAPS_COLON.match(p) is not None) >= 2


def strip_place(name: str) -> str:
    """'Jane Doe in Kyiv', 'Cathal Brennan at Carrick Park' -> the name."""
    return _IN_PLACE_TAIL.sub("", name)


def _place(text: str) -> str:
    return clean_line(text).rstrip(",")


def is_desk_line(line: str) -> bool:
    """A desk credit instead of a name ('Our Staff Reporter', 'Senior Staff Reporter', 'Reuters Staff')."""
    return len(line) <= 50 and _STAFF.match(line) is not None


def is_particle(word: str) -> bool:
    """A name particle written in lower case ('van', 'de', 'bin')."""
    return word in _PARTICLES


def is_role_line(line: str) -> bool:
    """A line holding only a job title ('Political Editor'), printed under a byline."""
    return (len(line) <= 50 and line[:1].isupper() and not _DIGIT.search(line)
            and _ROLE_LINE.match(line) is not None)


def parse_byline(line: str, *, allow_bare: bool = False, cleaned: bool = False) -> tuple[list[str], list[str]] | None:
    """(authors, agencies) if ``line`` is a byline ('By A and B', 'Von X', 'Agency Staff').

    ``allow_bare`` accepts a line of names without 'By' (styles that print bylines that way);
    ``cleaned`` says the line already went through clean_line (page-text lines), so it is not
    normalised again.
    """
    line = line if cleaned else clean_line(line)
    if not line or len(line) > 160 or line.endswith(("?", "!")):
        return None
    match = _BYLINE.match(line)
    if match:
        names = match["names"]
    elif allow_bare:
        names = line
    else:
        return None
    return split_names(names)


def split_names(names: str) -> tuple[list[str], list[str]] | None:
    """Authors and agencies in a byline's name list, or None if it does not read like names."""
    # Each pattern needs its '(', '@' or '|': most bylines have none, and _CONTACT would try every
    # position of the names.
    if "(" in names:
        names = _PARENTHETICAL.sub("", names)
    if "@" in names:
        names = _CONTACT.sub(" ", names)
    names = names.strip().rstrip(".")
    if "|" in names:
        names = _BAR.sub(", ", names)
    if "," in names:
        # a job title after a comma is no name: 'Niamh Gallagher, Personal Finance Editor'
        first, *rest = names.split(",")
        names = ",".join([first, *(part for part in rest if not is_role_line(part.strip()))])
    authors: list[str] = []
    agencies: list[str] = []
    desk = False
    for part in _NAME_SPLIT.split(names):
        part = part.strip(" .,;:-–—")
        if not part:
            continue
        agency = agency_name(part)
        if agency:
            agencies.append(agency)
            continue
        if _DESK.search(part):
            desk = True
            continue
        staff = _STAFF.match(part)
        if staff:
            if staff["agency"] and agency_name(staff["agency"]):
                agencies.append(agency_name(staff["agency"]) or "")
            continue
        part = _strip_role(part)
        part, agency = _agency_tail(part)
        if agency:
            agencies.append(agency)
        words = part.split()
        if len(words) > 5 or len(part) > 60 or not _NAME_OK.match(part):
            return None
        if not all(w[0].isupper() for w in words if w.lower() not in _PARTICLES):
            return None
        if len(words) == 1:
            continue  # "Von Anna Müller, Berlin": a lone word after a comma is a place or a desk
        authors.append(_name_case(part))
    if not authors and not agencies and not desk and not _STAFF.match(names.strip()):
        return None
    return unique(authors), unique(agencies)


def _agency_tail(part: str) -> tuple[str, str | None]:
    """'Jane Doe Associated Press' / 'Jane Doe, for AFP' / 'Erik Lindqvist/TT' -> ('Jane Doe', agency)."""
    if "/" in part:
        name, _, tail = part.rpartition("/")
        agency = agency_name(tail)
        if agency and " " in name.strip():  # a name of two words or more, not 'AFP/dpa'
            return name.strip(), agency
    words = part.split()
    for size in (3, 2, 1):
        if len(words) > size:
            agency = agency_name(" ".join(words[-size:]))
            if agency:
                name = words[:-size]
                if name and name[-1].lower() in ("for", "of"):
                    name = name[:-1]
                return " ".join(name).rstrip(","), agency
    return part, None


def _strip_role(part: str) -> str:
    """'Jane Doe, Europe correspondent' / 'Jane Doe Health policy editor' / 'Jane Doe in Kyiv' -> 'Jane Doe'."""
    part = _IN_PLACE_TAIL.sub("", part).strip(" ,")
    if "," in part:
        head, tail = part.split(",", 1)
        if _ROLE_WORD.search(tail) or not tail.strip():
            return head.strip()
    role = _ROLE_WORD.search(part)
    if not role:
        return part
    # Without a comma the role's own words ("Health policy") are not told apart from the name by
    # punctuation: keep the name's first two capitalised words and any particles between them.
    words = part[:role.start()].split()
    name: list[str] = []
    capitals = 0
    for word in words:
        if capitals == 2 and word.lower() not in _PARTICLES:
            break
        name.append(word)
        if word.lower() not in _PARTICLES:
            capitals += 1
    return " ".join(name)


# ('i': Catalan double surnames, 'Marta Puig i Soler'; 'binti': Malay)
_PARTICLES = {"van", "von", "der", "de", "du", "la", "le", "da", "di", "del", "bin", "binti", "al", "el", "ter", "den",
              "zu", "i"}


def _name_case(name: str) -> str:
    """'JANE DOE' -> 'Jane Doe'; names already in mixed case are kept as written."""
    if name.isupper() and len(name) > 3:
        return " ".join(w if w.lower() in _PARTICLES else w.capitalize() if "'" not in w else w.title()
                        for w in name.lower().split()).replace(" Mc", " Mc")
    return name


def is_initials_line(line: str) -> bool:
    """'ACL // JMR', 'jsi/rc': the editors' initials under a wire story; not 'AFP/dpa' (a credit line)."""
    return (len(line) <= 30 and _INITIALS.match(line) is not None
            and not any(agency_name(part) for part in re.split(r"\s*/+\s*", line)))


def is_trailer(line: str) -> bool:
    """'(Reporting by ...; Editing by ...)' and 'Associated Press writer X contributed.'"""
    if len(line) >= 400:
        return False
    low = line.lower() if line.isascii() else None  # for both tests
    if _TRAILER.match(line, low) is not None:
        return True
    if low is not None and not any(words in low for words in _CONTRIBUTED_WORDS):
        return False
    return _CONTRIBUTED.match(line) is not None


def trailer_authors(line: str) -> list[str]:
    """Reporters named in a wire trailer (used only when the page has no byline)."""
    found: list[str] = []
    for match in _TRAILER_NAMES.finditer(line):
        names = _IN_PLACE.sub("", match["names"])
        parsed = split_names(names)
        if parsed:
            found.extend(parsed[0])
    return unique(found)


def split_caption(line: str) -> tuple[str, str] | None:
    """(caption text, credit) if ``line`` is a photo caption with a credit, else None."""
    if len(line) > 600:
        return None
    if _CREDIT_LABEL.search(line) is None:  # every other credit shape has a label
        if "fot." in line:
            return _fot_credit(line)
        return _name_credit(line) if line.endswith(")") else None
    labelled = _LABELLED_CAPTION.match(line)
    if labelled:
        text = labelled["text"].strip()
        return ("", text) if labelled["source"] else (text, "")
    lead = _LEAD_LABEL_CAPTION.match(line)
    if lead:
        return lead["text"].strip(), lead["credit"].strip()
    match = _CAPTION_CREDIT.search(line)
    if match:
        return line[:match.start()].strip(" ,;"), match["credit"].strip()
    match = _WIRE_PHOTO.search(line)
    if match:
        return line[:match.start()].strip(" -–—"), match["credit"].strip()
    match = _PAREN_CREDIT.search(line)
    if match:
        return line[:match.start()].strip(), (match["credit"] or match["by"]).strip()
    return (_fot_credit(line) if "ot." in line else None) or (_name_credit(line) if line.endswith(")") else None)


def _fot_credit(line: str) -> tuple[str, str] | None:
    # 'fot.' starts a credit of at most 120 characters: only the line's tail can hold it.
    match = _FOT_CREDIT.search(line, max(0, len(line) - 140))
    return (line[:match.start()].strip(" ,;"), match["credit"].strip()) if match else None


def _name_credit(line: str) -> tuple[str, str] | None:
    if "/" not in line and " for " not in line:
        return None
    named = _PAREN_NAME_CREDIT.search(line)
    return (line[:named.start()].strip(), named["credit"]) if named else None


# The agency in brackets closing a story's last paragraph: '... a munkálatok május közepén fejeződnek be. (MTI)'.
_CLOSING_TAG = re.compile(rf"[.!?”\"]\s*\((?P<agency>{_AGENCY_ALT})\)$", re.I)


def closing_agency(paragraph: str) -> str | None:
    """The agency tagged at the end of a paragraph ('... be. (MTI)'), else None."""
    if not paragraph.endswith(")"):
        return None
    match = _CLOSING_TAG.search(paragraph, max(0, len(paragraph) - 40))
    return agency_name(match["agency"]) if match else None


def unique(items: object) -> list[str]:
    """Non-empty items, first occurrence kept, order preserved."""
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        if item:
            seen.setdefault(item, None)
    return list(seen)
