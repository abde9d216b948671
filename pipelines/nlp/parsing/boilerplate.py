"""Lines that are page furniture, not article text, in English, German and French.

Two kinds: lines dropped wherever they appear (share buttons, cookie and newsletter prompts,
reading times) and headings after which the rest of the page is a footer (related articles).
"""

from __future__ import annotations

import re

from ahocorasick_rs import BytesAhoCorasick

from pipelines.nlp.parsing.credits import credit_line_agencies
from pipelines.nlp.parsing.dates import is_relative_time
from pipelines.nlp.parsing.folded import FoldedPattern

# The label of a paid post ('Paid Post by Campus Bank'): furniture here, and in body.py the label
# whose following title line is the sponsor's teaser.
PAID_LABEL = r"paid (?:post|content|partnership)(?: (?:by|from) .{1,40})?"
# 'is AI-generated, newsroom-reviewed': an AI summary's disclaimer after 'Summary'.
_AI_MADE = r"(?:is|was) (?:ai-generated|generated (?:by|with|using) (?:ai|artificial intelligence))\b.{0,60}"
_DROP = FoldedPattern(
    r"^(?:"
    # share, save, print, comments, listen
    r"share(?: this(?: article| story| post| page)?| on \w+| article| via \w+)?|copy link(?: copied)?|link copied|tweet"
    r"|e-?mail|print|save|copy|[\W_]+|facebook|twitter|x|reddit|linkedin|whatsapp|telegram|pinterest|flipboard"
    r"|messenger|bluesky|threads|instagram"
    r"|save (?:article|for later|this story)|gift (?:this )?article|comments?(?: \(\d+\))?|\d+ comments?"
    r"|listen(?: to)?(?: this)? article|listen|play audio|audio|teilen|artikel teilen|drucken|merken"
    # an audio player's label and duration ('Listen · 12:41'), a transcript link
    r"|(?:listen|play|hören|écouter)(?: now)?\s*[·|•:-]?\s*\d{1,2}:\d{2}(?::\d{2})?|(?:read |show )?(?:the )?transcript"
    r"|kommentare?|partager(?: sur \w+)?|imprimer|sauvegarder|écouter(?: cet article)?|réagir"
    # reading time
    r"|\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s*(?:(?:to )?read|de lecture)|reading time:?\s*\d+\s*min(?:ute)?s?"
    r"|lecture\s*:?\s*\d+\s*min\.?|temps de lecture\s*:?\s*\d+\s*min(?:utes)?\.?|lesezeit:?\s*\d+\s*min(?:\.|uten)?"
    # navigation and page furniture
    r"|skip to (?:main )?content|skip to navigation|advertisement|advertising|sponsored(?: content)?|anzeige"
    r"|werbung|publicité|supported by|show caption|hide caption|toggle caption|enlarge this image"
    r"|expand|close|menu|search|log ?in|sign ?in|register|home|accept|reject|accept all|reject all"
    r"|this article is more than \d+ (?:years?|months?) old|purchase licensing rights"
    r"|our standards: the thomson reuters trust principles\.?|report an error|report a correction"
    r"|suggested topics:?|topics:?|tags?:|themen:?|mots-clés:?|related:?|live|breaking|exclusive"
    r"|image source,? .{0,60}|image caption,? ?|getty images|article continues (?:below|after advertisement)"
    r"|story continues below(?: advertisement)?|continue reading|read (?:the )?full (?:story|article)"
    r"|the story continues below"
    r"|view (?:more )?on (?:x|twitter|instagram|facebook|youtube|tiktok|threads|bluesky)|back to top|live reporting"
    r"|(?:(?:normal|default|small(?:er)?|large(?:r)?|very large|increase|decrease)\s+)?(?:font|text) size:?"
    r"|accessibility help|accessibility links|news provided by|follow us(?: on \w+)?"
    r"|got a (?:story|tip)\?.{0,80}"
    # newsletter sign-up forms, share prompts, error-report prompts, comment counters, bare links
    r"|enter your e-?mail(?: address)?|by signing up,? you agree.{0,80}|sign up|thanks? (?:you )?for signing up.{0,40}"
    r"|(?:spotted|found) an? (?:error|mistake|typo)\?.{0,80}"
    r"|vous avez (?:trouvé|repéré) une (?:erreur|faute).{0,80}|fehler gefunden\?.{0,80}"
    r"|\d+ (?:commentaires?|kommentare?)|anmelden,? um zu kommentieren|(?:log|sign) in to comment"
    # prompts to another page of the outlet: 'Follow our live coverage', 'Watch the live stream'
    r"|(?:follow|watch) (?:our|the) live (?:coverage|updates|blog|page|stream)(?: (?:here|(?:of|on) .{1,60}))?"
    # Spanish and Italian furniture
    r"|suscríbete|riproduzione riservata(?: ©)?"
    r"|tempo di lettura:?\s*\d+\s*min(?:uti)?|tiempo de lectura:?\s*\d+\s*min(?:utos)?"
    # Dutch and Portuguese share rows, audio players with a duration in minutes ('Listen · 4:32 min'),
    # read-aloud buttons
    r"|deel(?: dit artikel)?|delen|partilhar|compartilhar|compartir"
    r"|(?:listen|play|hören|écouter)(?: now)?\s*[·|•:-]?\s*\d{1,2}(?::\d{2})?\s*min(?:ute)?s?"
    r"|artikel (?:anhören|vorlesen)|écouter l'article|escuchar (?:la )?noticia|ouvir (?:a )?notícia|artikel voorlezen"
    # photo galleries: '12 photos', '1 of 12', 'Next image'
    r"|\d+ (?:photos|pictures|images|fotos|bilder)|\d{1,3} (?:of|von|sur|de|van) \d{1,3}"
    r"|(?:next|previous|prev) (?:image|photo|picture|slide)"
    # in-page navigation and newsroom prompts: 'Skip next section Explore more', 'Have a story? WhatsApp us ...'
    r"|skip (?:to )?(?:next|previous) section\b.{0,40}|have a (?:story|tip)\?.{0,80}"
    r"|editorial (?:standards|guidelines)(?: and (?:policies|practices))?"
    # Swedish, Danish, Polish and Italian share/save rows, bookmark and follow buttons, follower counts,
    # embed-code and PDF links. Every alternative from here on starts with a literal character, which
    # the regex engine tests before entering it (an optional group first would be entered on every line).
    r"|dela|spara|del artikl(?:en)?|gem artikl(?:en)?|udostępnij|skopiuj link|kopiuj link|kopiera länk|zapisz"
    r"|kindly share this(?: article| story| post| page)?|please share this(?: article| story| post| page)?"
    r"|condividi(?: su \w+)?|bookmark(?:ed)?|follow(?:ing)?|\d+(?:[.,]\d+)?\s?[km]? followers"
    r"|get (?:the )?embed code|copy (?:the )?embed code|ottieni il codice embed"
    r"|download (?:the |as )?pdf(?: copy| version)?"
    r"|contact(?: us)?:? [\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # 'Contact: editor@outlet.example'
    # consent walls: 'We value your privacy', 'Manage preferences'
    r"|we value your privacy|manage (?:my |your )?(?:preferences|options|choices|consent|settings)"
    r"|customi[sz]e (?:my |your )?(?:preferences|options|choices|consent|settings)"
    r"|your privacy choices|privacy (?:settings|preferences)"
    # a summary box's label ('Key takeaways') and its AI disclaimer ('Summary is AI-generated, newsroom-reviewed.')
    r"|key takeaways|ai summary|ai-generated summary"
    rf"|summary {_AI_MADE}|this summary {_AI_MADE}|the summary {_AI_MADE}"
    # a live-score strip's labels (the strip itself: score_strip_end)
    r"|live scores|view all (?:scores|results|fixtures)|see all (?:scores|results|fixtures)"
    # site search boxes and comment forms ('Search this site', 'Submit Search', 'Name *', 'Post Comment')
    r"|search this site|submit search|leave a comment|leave a reply|post comment|post a comment"
    r"|name\s?\*|e-?mail\s?\*|comment\s?\*|website\s?\*"
    # a wire's end mark ('(END)'), paywall trial offers and labels of paid posts ('Paid Post by X')
    rf"|\(end\)|start your free trial|start a free trial|{PAID_LABEL}"
    # Romanian, Hungarian, Indonesian/Malay and Croatian share rows and advertisement labels
    r"|distribuie|publicitate|urmărește-ne pe google news|megosztás|hirdetés|bagikan|kongsi|iklan|podijeli|oglas"
    r"|reklama"
    # the reprint ban under Indonesian wire copy ('Dilarang mengutip atau menyalin berita ini ...') and a short
    # print-edition note (a long one: _PRINT_NOTE)
    r"|dilarang mengutip\b.{0,100}|a version of this (?:article|story) appear(?:s|ed) in print\b.{0,100}"
    # follow-us lines in Catalan, Spanish and Italian ('Segueix-nos a Telegram per rebre les notícies ...')
    r"|segueix-nos a (?:telegram|whatsapp|x|twitter|facebook|instagram)\b.{0,90}"
    r"|síguenos en (?:telegram|whatsapp|x|twitter|facebook|instagram|google news)\b.{0,90}"
    r"|seguici su (?:telegram|whatsapp|x|twitter|facebook|instagram|google news)\b.{0,90}"
    r")\s*[.:!]?$")
# Two more alternatives of _DROP, a share prompt after any text and a bare link: they scan the whole
# line (backtracking over '.{0,60}' and '[\w-]+' on every line), and only a line holding 'by sharing
# this' or a '/' can match them, so they are a pattern of their own, tried on those lines only.
_DROP_SCANNING = FoldedPattern(
    r"^(?:.{0,60}\bby sharing this (?:article|story|page)|(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}/\S*)\s*[.:!]?$")
# A subscription price: 'for only R75 per month', 'for just $1 a week'.
_PRICE = r"for (?:only|just) \S{1,10} (?:per|a) (?:month|week|year)\b"
# Searched in the lower-cased line without re.I and without a leading \b on the alternatives:
# that lets the regex engine skip to candidate first letters (about 15x faster on prose).
_DROP_CONTAINS = re.compile(
    r"(?:"
    r"sign up\b.{0,60}\b(?:newsletter|here|for|to)\b|newsletter\b.{0,80}\b(?:sign up|subscribe|inbox)\b"
    r"|subscribe (?:now|today|here|to (?:our|the|read))\b|already a subscriber\b"
    r"|support (?:our|independent) journalism\b"
    r"|we use cookies\b|this (?:site|website) uses cookies\b|cookie (?:settings|policy|preferences)\b"
    r"|accept (?:all )?cookies\b|manage (?:your )?cookies\b|by continuing to (?:browse|use)\b"
    r"|nous utilisons des cookies\b|paramétrer les cookies\b|cookies akzeptieren\b|wir verwenden cookies\b"
    r"|newsletter abonnieren\b|jetzt abonnieren\b|zum newsletter anmelden\b|vous inscrire à la newsletter\b"
    r"|inscrivez-vous à (?:la|notre) newsletter\b|abonnez-vous\b|déjà abonné\b"
    r"|follow (?:us|\w+ news) on (?:twitter|x|facebook|instagram|whatsapp|telegram|google news)\b"
    r"|download (?:our|the) (?:free )?app\b|get (?:the latest|our) .{0,40}\bin your inbox\b"
    r"|for the latest .{0,30}\bfollow\b|folgen sie uns\b|suivez-nous\b"
    r"|all rights reserved\b|tous droits réservés\b|alle rechte vorbehalten\b|©\s*\d{4}"
    r"|click here to\b|send us your (?:tips|stories|feedback|letters|views)\b|have a news tip\b"
    # 'Copyright © NAME 2025' (the name before the year)
    r"|copyright © [\w ]{1,30}\d{4}"
    # syndication notes: '(Only the headline ... is auto-generated from a syndicated feed.)'
    r"|(?:auto-generated|published) from a syndicated feed\b|syndicated (?:feed|news feed)\b"
    # syndication trailers: 'This article originally appeared in X. It is republished under ...'
    r"|originally (?:appeared|published) (?:in|on|by|at)\b|republished (?:under|with permission|from)\b"
    # newsletter offers in any wording: the word and a sign-up verb ('Bestellen Sie ... unseren Newsletter')
    r"|newsletter\b.{0,120}\b(?:bestellen|anmelden|abonnieren|je m'inscris|inscrivez)"
    r"|(?:bestellen|abonnieren) sie .{0,60}newsletter"
    r"|je m'inscris\b|get (?:the|our) .{1,40} app\b|get (?:the|our) [\w' ]{1,40}(?:brief|briefing|digest)\b"
    # messenger channel promos: 'Find The X Times on WhatsApp and stay up to date', 'WhatsApp us on ...'
    r"|(?:find|join|follow) [\w' ]{1,40} on whatsapp(?: channel)?"
    r"(?: and stay\b| for (?:the latest|updates|news)\b|\s*[.!]?$)|whatsapp us\b"
    # page-text paywalls: 'Subscribe to continue reading', 'Get unlimited access for £1 ...'
    r"|subscribe to (?:continue|keep) reading\b|(?:get|unlock) (?:unlimited|full) access\b"
    # fact-check footers: '... our work with Meta's third-party fact-checking programme', 'Have you seen a claim ...'
    r"|fact-checking (?:programme|program|project|partner)\b|how we fact-check\b|a claim you want (?:us to )?check"
    # (each alternative starts with a literal, as above)
    # consent walls ('We and our 214 partners store and/or access information on a device, such as cookies'):
    # the wall opens the line with a consent verb; prose quoting a company ('..., we and our partners
    # will phase out cookies') does not
    r"|^we and our (?:\d+ )?(?:partners|vendors) (?:store|use|process|collect|access)\b.{0,200}\bcookie"
    # subscription pitches with a price: '... journalism you can trust. For only R75 per month, ...':
    # a pitch speaks to the reader (opens with 'Subscribe', 'journalism you ...', or the price opens a
    # sentence); prose reports one ('readers can subscribe for only $4 a month', 'the journalism start-up')
    rf"|journalism you\b.{{0,120}}\b{_PRICE}|^subscribe\b.{{0,120}}\b{_PRICE}"
    rf"|(?:journalism|subscribe)\b.{{0,120}}[.!] {_PRICE}|^{_PRICE}.{{0,80}}\b(?:journalism|subscribe)"
    # a copyright line naming its holder: 'RIPRODUZIONE RISERVATA © Copyright ANSA'
    r"|©\s*copyright\b"
    r")",
)
# Every alternative above contains one of these words (test_parsing_boilerplate checks each one), so
# a line without any of them is no prompt, and a page without any has no prompt line: testing for a
# handful of words once per page is far cheaper than searching every line with the regex.
PROMPT_WORDS = (
    "sign up", "newsletter", "subscribe", "journalism", "cookie", "by continuing to", "abonn", "follow",
    "download", "inbox", "folgen sie uns", "suivez-nous", "rights reserved", "droits réservés",
    "rechte vorbehalten", "©", "click here to", "send us your", "news tip", "syndicated", "originally",
    "republished", "je m'inscris", "get the", "get our", "bestellen",
    # few words: each one is searched for in every page
    "whatsapp", "unlimited access", "full access", "fact-check", "claim you want",
)
# "Read more: ...", "ALSO READ | ...", "Lire aussi : ...", "Mehr zum Thema: ...": inline teasers.
_TEASER_PREFIX = FoldedPattern(
    r"^(?:read more|read also|also read|also see|see also|related|more|watch|listen|recommended|must read"
    r"|lire aussi|à lire aussi|a lire aussi|voir aussi|lire également|sur le même sujet|mehr zum thema|lesen sie auch"
    r"|auch interessant|zum thema|siehe auch|more on this story|more coverage"
    # Dutch, Portuguese, Spanish and Swiss teaser labels
    r"|lees ook|lees meer|meer over|leia também|leia mais|veja também|te puede interesar|lee también|lea también"
    r"|passend zum thema"
    # Swedish, Danish, Norwegian and Polish teaser labels, and a tag row ('Read more on: eskom | ...')
    r"|läs också|läs mer|læs også|læs mere|les også|czytaj (?:też|także|również)|zobacz (?:też|także)"
    r"|read more on"
    # Romanian, Indonesian/Malay and Croatian teaser labels ('Citește și: ...', 'Baca juga: ...')
    r"|citește și|citeste si|baca juga|baca pula|pročitajte i|pročitajte još)\s*[:|–—-]\s*\S")
_FOOTER_HEAD = FoldedPattern(
    r"^(?:related(?: articles?| stories| content| coverage| news| reading)?|more (?:from|on|stories|in|news)\b.{0,40}"
    r"|more [\w ]{1,24} (?:news|stories)|tags|keywords"
    r"|media contacts?|press contacts?|investor contacts?|contacts?|for (?:more|further) information(?: contact)?"
    r"|más información|archivado en|te puede interesar|noticias relacionadas"
    r"|leggi anche|potrebbe interessarti(?: anche)?|ti potrebbe interessare|articoli correlati"
    r"|most (?:read|popular|viewed)|popular (?:now|stories)|trending(?: now)?|recommended(?: for you| stories)?"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)|editor'?s picks|top stories|latest news|read next"
    r"|explore more on these topics|more on this story|in other news|what to read next|further reading"
    r"|mehr zum thema|mehr aus dem ressort|das könnte sie auch interessieren|meistgelesen|weitere artikel"
    r"|auch interessant|zum thema|sur le même sujet|à lire aussi|lire aussi|les plus lus|dans la même rubrique"
    r"|nos autres articles|à voir aussi|contenus sponsorisés|sponsored stories|around the web|comments?"
    r"|see also|also read|read more|more stories|latest(?: stories| news)?|popular|related topics"
    r"|weitere (?:artikel|nachrichten|meldungen|beiträge)\b.{0,40}|zum weiterlesen|à lire (?:également|aussi)"
    r"|trending stories|ebenfalls interessant"
    # 'Latest from Business', 'Tags: ci, storage', reader-feedback and comment blocks after the text
    r"|latest (?:from|in) [\w&' ]{1,30}|tags?\s*:.{1,55}|join the (?:conversation|discussion|debate)"
    r"|(?:was|is) this (?:page|article|story|information) (?:helpful|useful)\??"
    # Dutch, Portuguese and Swiss related lists, gallery and topic footers
    r"|lees ook|lees meer|meer over\b.{0,60}|gerelateerde artikelen|leia também|leia mais|veja também|relacionadas"
    r"|passend zum thema|more (?:galleries|photo galleries|videos|pictures)|explore more"
    # Swedish, Danish, Norwegian and Polish related lists and topic footers
    r"|ämnen i artikeln|läs också|läs mer|relaterat|mest lästa|læs også|mest læste|les også|mest lest"
    r"|czytaj (?:też|także|również)|zobacz (?:też|także)|najczęściej czytane|polecane"
    # a tag row ('Filed under: Rail, Austria'), reference lists under science news, match statistics
        r"|filed (?:under|in)\s*:.{1,60}|references?|journal references?|bibliography|références|referencias"
    r"|riferimenti(?: bibliografici)?|literaturverzeichnis|match (?:stats|statistics)"
    # comment blocks with a count, contributor boxes, donation appeals, 'Read more explainers'
    r"|comments? \(\d+\)|about the (?:contributor|author|writer)s?|donate(?: to [\w'’ ]{1,40})?"
    # ('Read more explainers', 'Read more from Business'); not any words: 'Read more about the council'
    # is a sentence
    r"|read more (?:(?:\w+ ){0,2}(?:stories|news|articles|explainers|guides|analysis|opinion|features|videos)"
    r"|from [\w&' ]{1,24})"
    # Romanian, Hungarian, Indonesian/Malay and Croatian related lists, tag rows and comment blocks
    r"|cele mai citite|citește și|etichete\s*:.{1,60}|articole similare|kapcsolódó cikkek|címkék\s*:.{1,60}"
    r"|legolvasottabb|hozzászólások(?: \(\d+\))?|berita terkait|berita berkaitan|artikel berkaitan|baca juga"
    r"|terpopuler|pročitajte i|povezano|najčitanije|oznake\s*:.{1,60})\s*:?$")
_SECTION_WORDS = {
    "africa", "americas", "analysis", "arts", "asia", "asia pacific", "ausland", "business", "climate",
    "companies", "culture", "economie", "economy", "energy", "environment", "europe", "finance", "global",
    "health", "idées", "inland", "international", "kultur", "lifestyle", "local", "markets", "meinung",
    "middle east", "monde", "national", "news", "opinion", "panorama", "planète", "politics", "politik",
    "politique", "science", "sciences", "societe", "société", "sport", "sports", "tech", "technology", "uk",
    "uk news", "us", "us news",
    "regional", "region", "lokales", "innenpolitik", "faits divers",
    "wirtschaft", "wissen", "world", "world news", "économie",
}


# A print-edition note under the text too long for _DROP, without a prompt word ('A version of this
# article appears in print on March 19, 2025, Section A, Page 12 of ...'): tried on long lines opening so.
_PRINT_NOTE = re.compile(r"^A version of this (?:article|story) appear(?:s|ed) in print\b")


# Market ticker lines under a wrap: 'FTSE 100 8,712.4 -0.6%', 'BRENT 71.40 +0.1%'.
_TICKER = re.compile(r"^[A-Z][\w&.'/ -]{0,30}\s\$?\d[\d,]*(?:\.\d+)?\s+[+\-−–]?\d+(?:\.\d+)?%$")


# A live-score strip over a sports page: 'FT' / 'Carrick Town 2-3 Wexford Rovers' / 'HT' / ...
_SCORE_LINE = re.compile(r"^[A-Z][\w.'’&-]*(?: [\w.'’&-]+){0,4} \d{1,3} ?[-–] ?\d{1,3} "
                         r"[A-Z][\w.'’&-]*(?: [\w.'’&-]+){0,4}(?: \d{1,3}(?:\+\d{1,2})?['’])?$")
_SCORE_STATUS = frozenset(("ft", "ht", "aet", "pen", "pens", "live", "full time", "full-time", "half time",
                           "half-time", "postponed", "kick-off"))


def score_strip_end(lines: list[str], i: int) -> int:
    """Where a live-score strip opening the page ends (``i`` if there is none): match status labels
    ('FT', 'HT', 'LIVE') and score lines ('Ballyhale 1-0 Kilmacow 67''), two scores at least."""
    j, scores, labels = i, 0, 0
    while j < len(lines):
        line = lines[j]
        if not line or dropped(line):
            pass
        elif line.lower() in _SCORE_STATUS:
            labels += 1
        elif len(line) <= 90 and _SCORE_LINE.match(line):
            scores += 1
        else:
            break
        j += 1
    return j if scores >= 2 and labels else i


# Characters outside ASCII whose lower case holds an ASCII character ('İ' -> 'i̇', Kelvin sign -> 'k').
_LOWER_TO_ASCII = ("\u0130", "\u212a")


def _ascii_head(word: str) -> bytes | None:
    head = word[:next((k for k, ch in enumerate(word) if not ch.isascii()), len(word))]
    return head.encode() or None


# How prompt_words tests each prompt word on a page that is not ASCII (see there).
_ASCII_PROMPTS = tuple((word, word.encode()) for word in PROMPT_WORDS if word.isascii())
_UNCASED_PROMPTS = tuple(word for word in PROMPT_WORDS if not word.isascii() and word.lower() == word.upper() == word)
_MIXED_PROMPTS = tuple((word, _ascii_head(word)) for word in PROMPT_WORDS
                       if not word.isascii() and word not in _UNCASED_PROMPTS)
# One Aho-Corasick pass over the page's bytes finds every ASCII prompt word and every ASCII head of a
# mixed one (pattern k is _ASCII_PROMPTS[k], then the heads in _MIXED_PROMPTS order): ~5 us per
# 10k-corpus page instead of ~40 for a substring search per word. Overlapping matches, so a word
# inside or across another one is found too.
_HEADS = tuple(head for _, head in _MIXED_PROMPTS if head is not None)
_PROMPT_SEARCH = BytesAhoCorasick([raw for _, raw in _ASCII_PROMPTS] + list(_HEADS))
_HEAD_INDEX = tuple(None if head is None else len(_ASCII_PROMPTS) + _HEADS.index(head) for _, head in _MIXED_PROMPTS)


def _found_in(data: bytes) -> set[int]:
    return {k for k, _, _ in _PROMPT_SEARCH.find_matches_as_indexes(data, overlapping=True)}


def prompt_words(lines: list[str]) -> tuple[str, ...]:
    """The PROMPT_WORDS in these lines: pass them to is_boilerplate for every line of the page."""
    page = "\n".join(lines)
    if page.isascii():
        # Only the ASCII words can occur in an ASCII page; in PROMPT_WORDS order, as a search per word gave.
        hits = _found_in(page.lower().encode())
        return tuple(word for k, (word, _) in enumerate(_ASCII_PROMPTS) if k in hits)
    if any(ch in page for ch in _LOWER_TO_ASCII):
        low = page.lower()
        return tuple(word for word in PROMPT_WORDS if word in low)
    # str.lower() of a page with non-ASCII letters costs ~15x more per character than bytes.lower(),
    # which lower-cases ASCII letters only. Without the characters above that is the same test for an
    # ASCII word: its letters in the lower-cased page come from ASCII letters, and UTF-8 keeps ASCII
    # as it is. A word without cased letters ('©') is looked for as written (no other character
    # lower-cases to it); any other word is looked for in the lower-cased page, if its ASCII head is
    # there. The order of the words differs from PROMPT_WORDS: is_boilerplate only asks for any of them.
    hits = _found_in(page.encode("utf-8", "surrogatepass").lower())
    found = [word for k, (word, _) in enumerate(_ASCII_PROMPTS) if k in hits]
    found += [word for word in _UNCASED_PROMPTS if word in page]
    mixed = [word for (word, _), k in zip(_MIXED_PROMPTS, _HEAD_INDEX, strict=True) if k is None or k in hits]
    if mixed:
        low = page.lower()
        found += [word for word in mixed if word in low]
    return tuple(found)


def is_boilerplate(line: str, words: tuple[str, ...] = PROMPT_WORDS) -> bool:
    """A whole line of page furniture: share/cookie/newsletter prompts, reading time, nav.

    ``words``: the prompt words that can occur in the line (prompt_words of its page); a line
    holding none of them is no prompt.
    """
    if len(line) > 300:
        return False
    # The folded patterns below each take an ASCII line in lower case: lower-case it once.
    low = line.lower() if line.isascii() else None
    # Whole-line furniture phrases are short; a long line can only be a prompt (below).
    if (len(line) <= 120 and dropped(line, low)) or _TEASER_PREFIX.match(line, low) is not None:
        return True
    if "%" in line and _TICKER.match(line) is not None:
        return True
    if len(line) > 120 and line.startswith("A version of this") and _PRINT_NOTE.match(line) is not None:
        return True
    if not words:
        return False
    low = line.lower() if low is None else low
    return any(word in low for word in words) and _DROP_CONTAINS.search(low) is not None


def dropped(line: str, low: str | None = None) -> bool:
    """A whole line of page furniture (_DROP or _DROP_SCANNING matches it); ``low``: line.lower(),
    if the caller has it."""
    if not line.isascii():
        return _DROP.match(line) is not None or _DROP_SCANNING.match(line) is not None
    low = line.lower() if low is None else low
    if _DROP.match(line, low) is not None:
        return True
    # On an ASCII line the two tests are exact (re.I adds no other spelling of 'by sharing this').
    if "/" not in line and "by sharing this" not in low:
        return False
    return _DROP_SCANNING.match(line, low) is not None


# 'About Kestrel Solar Holdings': the company boilerplate closing a press release.
_ABOUT_HEAD = re.compile(r"^About (?:[A-Z0-9][\w&.'’-]*\s?){1,6}:?$")


# A breaking-news ticker printed above the page head: 'BREAKING NEWS: Parliament suspends sitting ...'.
_BANNER = FoldedPattern(
    r"^(?:breaking(?: news)?|just in|developing(?: story)?|eilmeldung|dernière minute|última hora|ultim'ora"
    r"|laatste nieuws)\s*[:|–—-]\s*\S")


def is_banner(line: str) -> bool:
    """A breaking-news banner line: another story's title, only at the top of a page."""
    return len(line) <= 200 and _BANNER.match(line) is not None


def is_footer_heading(line: str) -> bool:
    return len(line) <= 60 and (_FOOTER_HEAD.match(line) is not None or _ABOUT_HEAD.match(line) is not None)


def is_section_label(line: str) -> bool:
    """'World', 'WORLD NEWS', 'Ausland': a section name printed above a headline or teaser."""
    if not line or len(line) > 32 or line[-1] in ".!?:,;":
        return False
    low = line.lower().strip()
    if low in _SECTION_WORDS:
        return True
    words = line.split()
    return len(words) <= 3 and (line.isupper() or (any(w.lower() in _SECTION_WORDS for w in words)
                                and all(w[:1].isupper() or w in ("&", "and") for w in words)))


def is_masthead(line: str) -> bool:
    """'Westcoast News', 'Harbour Radio': an outlet's name above the section label, not a section."""
    words = line.split()
    return (1 < len(words) <= 4 and words[-1] in ("News", "Radio", "TV", "Media", "Online")
            and not any(w.lower() in _SECTION_WORDS for w in words[:-1]))


def footer_start(lines: list[str], start: int) -> int:
    """Index where the related-articles footer begins (len(lines) if there is none).

    A footer is a heading like 'Related articles' or a run of teasers, each ending in a section
    label and a relative time ('World' / '2 days ago'); the teaser's headline and standfirst
    blocks above the first relative time belong to it too.
    """
    end = len(lines)
    for i in range(start, end):
        line = lines[i]
        if not line:
            continue
        if is_footer_heading(line):
            return i
        if is_relative_time(line):
            return _teaser_start(lines, i, start)
    return end


def _teaser_start(lines: list[str], index: int, floor: int) -> int:
    # Walk up through this teaser: its own block (standfirst, section, time), then at most one
    # headline block above it, if that block is one line that does not end like a sentence.
    # A block of four or more lines already holds its headline; an agency credit line above
    # the first teaser is the article's, not the teaser's.
    i = index
    while i - 1 > floor and lines[i - 1] and index - i < 3 and not _prose_like(lines[i - 1]):
        i -= 1
    if index - i >= 3 or (i - 1 > floor and lines[i - 1]):
        return i  # the teaser's headline is in its block (or the block is glued to the body)
    j = i - 1
    while j > floor and not lines[j]:
        j -= 1
    if (j > floor and (j == floor + 1 or not lines[j - 1]) and _headline_like(lines[j])
            and credit_line_agencies(lines[j]) is None):
        return j
    return i


def _prose_like(line: str) -> bool:
    """A body paragraph: a long sentence, or an agency credit line closing the article."""
    return (len(line) > 160 and line.endswith((".", "”", '"'))) or credit_line_agencies(line) is not None


def _headline_like(line: str) -> bool:
    return len(line) <= 200 and not line.endswith((".", "”", '"', ";", ","))
