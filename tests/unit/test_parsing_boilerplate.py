import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.nlp.parsing import boilerplate
from pipelines.nlp.parsing.boilerplate import (
    PROMPT_WORDS,
    footer_start,
    is_banner,
    is_boilerplate,
    is_footer_heading,
    prompt_words,
    score_strip_end,
)

# One line for each alternative of the prompt regex (boilerplate._DROP_CONTAINS).
PROMPTS = [
    "Sign up for our free daily newsletter", "Sign up here", "Newsletter: subscribe to get it first",
    "Our newsletter lands in your inbox every morning", "Subscribe now", "Subscribe to read the rest",
    "Already a subscriber? Log in", "Support our journalism today", "Support independent journalism",
    "We use cookies to improve your experience", "This website uses cookies", "Cookie settings",
    "Accept all cookies", "Manage your cookies", "By continuing to browse you agree to our terms",
    "Nous utilisons des cookies", "Paramétrer les cookies", "Cookies akzeptieren", "Wir verwenden Cookies",
    "Newsletter abonnieren", "Jetzt abonnieren!", "Zum Newsletter anmelden", "Vous inscrire à la newsletter",
    "Inscrivez-vous à notre newsletter", "Abonnez-vous", "Déjà abonné ? Connectez-vous",
    "Follow us on Instagram", "Follow Example News on WhatsApp", "Download our free app",
    "Get the latest headlines in your inbox", "For the latest updates, follow our live page",
    "Folgen Sie uns auf Mastodon", "Suivez-nous sur les réseaux", "All rights reserved.",
    "Tous droits réservés", "Alle Rechte vorbehalten", "© 2025 Example Media Ltd",
    "Click here to read more", "Send us your tips", "Have a news tip? Email us",
    "This article originally appeared in Example Weekly.", "It is republished under a Creative Commons licence.",
    "Sie wollen nichts verpassen? Bestellen Sie jetzt kostenlos unseren Newsletter „Am Morgen“.",
    "Bestellen Sie unseren Newsletter", "Recevez l'essentiel chaque matin. Je m'inscris",
    "Get the Harbour Radio app for ad-free news", "Get the Morning Brief: the stories that move markets",
    "Find The Liffey Times on WhatsApp and stay up to date", "Have a story? WhatsApp us on +254 700 000 000",
    "Subscribe to continue reading", "Get unlimited access for £1 for the first month. Cancel anytime.",
    "This article is part of our work with Meta's third-party fact-checking programme.",
    "Read more about how we fact-check.", "Have you seen a claim you want checked? Email us",
    "We and our 120 partners use cookies and similar technologies",
    "Subscribe for just $2 a week and read every story",
    "Independent journalism you can rely on, for only €3 a month.", "For only €3 a month you support our journalism.",
    "© Copyright Harbour Media Group",
    # holdout7 layouts (text of our own)
    "Send us your feedback to desk@harbourpost.example", "Send us your letters", "Copyright © KANTOR BERITA 2024",
]


def _reference(line: str) -> bool:
    """is_boilerplate as it was before the prompt-word filter: every regex on every line."""
    if len(line) > 300:
        return False
    if ((len(line) <= 120 and (boilerplate._DROP.match(line) or boilerplate._DROP_SCANNING.match(line)))
            or boilerplate._TEASER_PREFIX.match(line)):
        return True
    if boilerplate._TICKER.match(line):
        return True
    return boilerplate._DROP_CONTAINS.search(line.lower()) is not None


@pytest.mark.parametrize("line", PROMPTS)
def test_every_prompt_holds_a_prompt_word_and_is_dropped(line):
    assert boilerplate._DROP_CONTAINS.search(line.lower())
    assert any(word in line.lower() for word in PROMPT_WORDS)
    assert is_boilerplate(line) and is_boilerplate(line, prompt_words([line]))


def test_page_without_prompt_words_skips_the_prompt_search_but_keeps_other_furniture():
    page = ["Parliament approves the budget", "Share", "5 min read", "The vote passed on Tuesday."]
    assert prompt_words(page) == ()
    assert [is_boilerplate(line, ()) for line in page] == [False, True, True, False]


_fragments = st.sampled_from(
    [*PROMPTS, "The minister said", "cookie", "newsletter", "Sign", "up", "©", "2025", "follow", "the",
     "ſubscribe now", "SUBSCRIBE NOW", "rıghts reserved", "Read more: x", "Share", " ", "  ", "é", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_fragments, max_size=6).map(" ".join), min_size=1, max_size=8))
def test_page_prompt_words_give_the_same_verdict_as_the_full_search(page):
    words = prompt_words(page)
    assert [is_boilerplate(line, words) for line in page] == [_reference(line) for line in page]
    assert [is_boilerplate(line) for line in page] == [_reference(line) for line in page]


@pytest.mark.parametrize("line", ["FTSE 100 8,712.4 -0.6%", "Nasdaq Composite 18,102.3 +1.25%", "BRENT 71.40 +0.1%",
                                  "3 mins to read", "Follow our live coverage", "Watch the live stream here"])
def test_tickers_reading_times_and_live_prompts_are_dropped(line):
    assert is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["Inflation rose to 3.1%", "The index fell 0.8% on Wednesday.",
                                  "Shares in Acme rose 12% after results", "We will follow the live vote"])
def test_sentences_with_percentages_or_live_are_kept(line):
    assert not is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["Latest from Business", "Tags: ci, build systems, storage", "Join the conversation",
                                  "Was this page helpful?", "Is this page useful?"])
def test_footer_headings_of_holdout3_layouts(line):
    assert is_footer_heading(line)


@pytest.mark.parametrize("line", ["Weitere Artikel aus Freiburg", "Zum Weiterlesen", "À lire également",
                                  "Trending Stories"])
def test_footer_headings_of_holdout4_layouts(line):
    assert is_footer_heading(line)


@pytest.mark.parametrize("line", ["Normal text size", "Very large text size", "Listen · 12:41", "Transcript",
                                  "Enter your email", "By signing up you agree to our privacy policy.",
                                  "Help keep family & friends informed by sharing this article",
                                  "news.example/news/bunbury-bushfire-contained/105001234", "0 commentaires",
                                  "Vous avez trouvé une erreur? Merci de nous la signaler.",
                                  "Anmelden, um zu kommentieren"])
def test_holdout4_furniture_lines_are_dropped(line):
    assert is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["The app was downloaded a million times.",
                                  "Get the car fixed before winter, he said.",
                                  "She ordered the newsletter archive from the library."])
def test_sentences_near_the_new_prompt_words_are_kept(line):
    assert not is_boilerplate(line, prompt_words([line]))


_DROP_ALL = re.compile(boilerplate._DROP.pattern[:-len(r")\s*[.:!]?$")] + "|"
                       + boilerplate._DROP_SCANNING.pattern[len("^(?:"):], re.I)


@pytest.mark.parametrize("line", [
    "Share", "Help us by sharing this article.", "You can help by sharing this story", "example.com/news/1",
    "https://www.example.org/a/b", "WWW.EXAMPLE.COM/NEWS", "Help us bY ſharing this page", "Parliament approves",
    "a/b", "The vote, by sharing this article online, spread", "Read it at example.co.uk/x today"])
def test_dropped_is_the_one_pattern_it_was_split_from(line):
    assert boilerplate.dropped(line) == (_DROP_ALL.match(line) is not None)


@given(st.text(alphabet="abyhsrint /.:-ſK", max_size=40))
@settings(max_examples=300, deadline=None)
def test_dropped_agrees_with_the_unsplit_pattern_on_any_text(line):
    assert boilerplate.dropped(line) == (_DROP_ALL.match(line) is not None)


@pytest.mark.parametrize("line", ["Listen · 4:32 min", "Artikel anhören", "Deel dit artikel", "Partilhar",
                                  "12 photos", "1 of 12", "Next image", "Skip next section Explore more",
                                  "Editorial standards and policies",
                                  "Lees ook: Herstel van bruggen loopt vertraging op",
                                  "Te puede interesar: Bogotá amplía el horario de TransMilenio",
                                  "Passend zum Thema: Neue Lokomotiven am Gotthard"])
def test_holdout5_furniture_lines_are_dropped(line):
    assert is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["The court heard 12 of 15 witnesses before lunch.",
                                  "He said the claim had no basis and asked for full access to the files.",
                                  "Residents can find the council on WhatsApp, a spokesman said, but few do.",
                                  "Deel van de kade is ingestort."])
def test_sentences_near_the_holdout5_prompt_words_are_kept(line):
    assert not is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["Leia também", "Lees ook", "Meer over: Amsterdam Grachten", "Passend zum Thema",
                                  "More galleries", "Explore more"])
def test_footer_headings_of_holdout5_layouts(line):
    assert is_footer_heading(line)


def test_breaking_news_banner():
    assert is_banner("BREAKING NEWS: Parliament suspends sitting after chaos over finance bill")
    assert is_banner("Eilmeldung: Bahnstreik beendet")
    assert not is_banner("Breaking the deadlock took three weeks of talks")


def _former_prompt_words(lines: list[str]) -> tuple[str, ...]:
    page = "\n".join(lines).lower()
    return tuple(word for word in boilerplate.PROMPT_WORDS if word in page)


def test_only_the_listed_characters_lower_case_to_ascii_or_to_uncased_prompt_words():
    # prompt_words' bytes path relies on both facts for every code point.
    chars = [chr(x) for x in range(0x80, 0x110000) if not 0xD800 <= x <= 0xDFFF]
    assert tuple(ch for ch in chars if any(c.isascii() for c in ch.lower())) == boilerplate._LOWER_TO_ASCII
    for word in boilerplate._UNCASED_PROMPTS:
        assert all([x for x in chars if c in x.lower()] == [c] for c in word)


_prompt_pieces = st.sampled_from(
    [w.upper() for w in boilerplate.PROMPT_WORDS] + list(boilerplate.PROMPT_WORDS)
    + ["Droits Réservés", "DROITS RÉSERVÉS", "droits r", "İ", "\u212a", "É", "é", "ß", "’", "©", "\ud800", " ", "x"])


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(_prompt_pieces, max_size=6).map("".join), max_size=4))
def test_prompt_words_agrees_with_lower_casing_the_page(lines):
    found = boilerplate.prompt_words(lines)
    assert sorted(found) == sorted(_former_prompt_words(lines))  # is_boilerplate asks for any, in any order


def _overlaps() -> list[str]:
    # Every pair of prompt words sharing letters where one ends and the next begins, and every word
    # holding another: the one-pass search reports overlapping matches too.
    words = boilerplate.PROMPT_WORDS
    pages = [a for a in words for b in words if a != b and b in a]
    pages += [a + b[k:] for a in words for b in words for k in range(1, min(len(a), len(b)))
              if a[-k:] == b[:k]]
    return pages


@pytest.mark.parametrize("page", _overlaps())
def test_prompt_words_finds_overlapping_words(page):
    for variant in (page, page + " é", page.upper() + " é"):
        assert sorted(prompt_words([variant])) == sorted(_former_prompt_words([variant]))


@pytest.mark.parametrize("line", [
    "Dela", "Spara", "Udostępnij", "Kopiuj link", "Condividi", "Bookmark", "Follow", "3.1K followers",
    "Contact: news@harbourmedia.example", "Kindly share this article", "We value your privacy", "Manage preferences",
    "Key takeaways", "This summary was generated by AI.", "Summary is AI-generated, checked by our editors.",
    "Live scores", "See all results", "Download PDF", "Get the embed code",
    "Läs också: Ny bro öppnar i Umeå", "Czytaj także: Nowy most w Gdańsku", "Read more on: budget | tax",
])
def test_share_consent_summary_and_teaser_lines_of_holdout6_layouts(line):
    assert is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["Follow the money, she said.", "We value your privacy, the minister told the court.",
                                  "The summary of the report runs to 40 pages.",
                                  "Tickets cost from $2 a week for students.", "Key takeaways from the budget",
                                  "We and our 120 partners agreed the plan, the mayor said.",
                                  "The summary was generated by AI researchers at the university, who said it "
                                  "would be published next week in full and reviewed by outside experts."])
def test_prose_near_the_holdout6_furniture_words_is_kept(line):
    assert not is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["References", "Journal reference:", "Filed under: Politics, Budget", "Match stats",
                                  "Mest lästa", "Ämnen i artikeln", "Czytaj też", "Mest læste"])
def test_footer_headings_of_holdout6_layouts(line):
    assert is_footer_heading(line)


def test_live_score_strip_at_the_top_is_skipped_and_a_score_headline_is_not():
    strip = ["LIVE", "Harbour FC 1-1 Port Vale Athletic 72'", "FT", "Northside 3-0 Eastfield", "", "See all results",
             "Sport", "Northside go top after beating Eastfield"]
    assert score_strip_end(strip, 0) == 6
    headline = ["Northside 3-0 Eastfield", "Northside go top after a second-half burst", "By Sam Hill"]
    assert score_strip_end(headline, 0) == 0
    assert score_strip_end(["FT", "Northside 3-0 Eastfield", "Report by Sam Hill"], 0) == 0  # one score: no strip


@pytest.mark.parametrize("line", [
    "A version of this story appeared in print on May 2, 2024, Section B, Page 4 of The Harbour Post.",
    "Dilarang mengutip atau menyiarkan ulang tanpa izin.", "Segueix-nos a WhatsApp per rebre les notícies del dia",
    "Síguenos en Google News", "Seguici su Instagram"])
def test_notices_and_follow_lines_without_a_prompt_word_are_dropped(line):
    assert is_boilerplate(line, ()) and is_boilerplate(line)


@pytest.mark.parametrize("line", ["Search this site", "Submit Search", "Leave a Reply", "Post Comment", "Name *",
                                  "Email *", "(END)", "Start your free trial", "Paid Post by Harbour Insurance",
                                  "Distribuie", "Megosztás", "Hirdetés", "Bagikan", "Kongsi", "Podijeli", "Oglas"])
def test_forms_end_marks_and_ro_hu_id_ms_hr_furniture_lines_are_dropped(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Citește și: Trenurile spre Constanța circulă cu întârziere",
                                  "Baca juga: Harga bawang turun di pasar Bandung", "Pročitajte i: Novi vozni red"])
def test_ro_id_hr_teasers_are_dropped(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Comments (12)", "About the Author", "Donate to The Campus Post", "Donate",
                                  "Read more guides", "Cele mai citite", "Etichete: trafic, București",
                                  "Kapcsolódó cikkek", "Címkék: Debrecen, villamos", "Hozzászólások (3)",
                                  "Berita Terkait", "Berita Berkaitan", "Najčitanije", "Oznake: Split, trajekt"])
def test_footer_headings_of_holdout7_layouts(line):
    assert is_footer_heading(line)


@pytest.mark.parametrize("line", ["The search for the missing hikers resumed at dawn.",
                                  "The end of the strike was announced on Monday (end of story, he said).",
                                  "Donations to the fund doubled last year.", "Readers paid for the new press.",
                                  "Comments from the minister angered the unions."])
def test_sentences_near_the_holdout7_words_are_kept(line):
    assert not is_boilerplate(line) and not is_footer_heading(line)


@pytest.mark.parametrize("line", [
    "The Gazette said new members can subscribe for only $4 a month, a discount it will offer until March, "
    "when the price rises to $9.",
    "Analysts said the journalism start-up, which sells access for just $5 a month, would need 80,000 readers.",
    "The regulator said Tuesday that we and our partners use cookies was a phrase it found on 90% of sites.",
    "Asked about tracking, the chief executive said we and our partners will stop using third-party cookies.",
])
def test_prose_quoting_a_price_or_partners_and_cookies_is_kept(line):
    assert not is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", [
    "In uncertain times you need journalism you can trust. For only R60 per month, you get every analysis, "
    "investigation and opinion piece we publish.",
    "We and our 87 partners store and/or access information on a device, such as cookies, and process personal "
    "data for advertising and measurement.",
])
def test_long_pitches_and_consent_walls_are_still_dropped(line):
    assert is_boilerplate(line, prompt_words([line]))


@pytest.mark.parametrize("line", ["Read more explainers", "Read more stories", "Read more from Business",
                                  "Read more world news"])
def test_read_more_footer_headings(line):
    assert is_footer_heading(line)


def test_read_more_about_a_subject_is_a_sentence_not_a_footer():
    lines = ["The council met on Monday.", "Read more about the council", "It approved the budget."]
    assert not is_footer_heading(lines[1])
    assert footer_start(lines, 0) == len(lines)
