"""Page-text dumps: every style's fields, and the footer, captions and prompts kept out of the body."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.nlp.parsing import ParseError, pagetext, parse_record
from pipelines.nlp.parsing.styles import GENERIC, STYLES, pick_style
from schemas.records import Article, RawRecord, SourceRef


def parse(text: str) -> Article:
    return parse_record(RawRecord(data=text.encode("utf-8"), source=SourceRef(uri="t.txt"), content_type="text/plain"))


SEED_SHAPED = """ date 2025-02-03 Markets

Copper hits record as Chile mine strike enters second week

Workers at the Andes complex reject a revised offer from the owners

03 February 2025 - 11:20
by Agency Staff
Trucks wait at the gate of a copper mine near Antofagasta, Chile. Picture: REUTERS/IVAN ALVARADO
Copper prices rose to a record on Monday as a strike at one of Chile's largest mines entered its second week.

The union said members had rejected the latest offer from the owners in Santiago.

President Gabriel Boric urged both sides to return to talks.

Reuters

Zambia lifts copper export tax

Lusaka says the levy discouraged investment in new mines
World
2 days ago

PETER BRUCE: Commodities will not save us

A boom in metals prices hides deep structural problems
Opinion
4 days ago
"""


def test_seed_shaped_page():
    a = parse(SEED_SHAPED)
    assert a.parser == "pagetext:businesslive"
    assert a.headline == "Copper hits record as Chile mine strike enters second week"
    assert a.standfirst == "Workers at the Andes complex reject a revised offer from the owners"
    assert a.section == "Markets"
    assert a.published_at == datetime(2025, 2, 3, 11, 20, tzinfo=UTC)
    assert a.authors == [] and a.agency == "Reuters"
    assert a.captions == ["Trucks wait at the gate of a copper mine near Antofagasta, Chile."]
    assert a.photo_credits == ["REUTERS/IVAN ALVARADO"]
    assert a.paragraphs[0].startswith("Copper prices rose") and a.paragraphs[-1].startswith("President Gabriel Boric")
    for junk in ("Zambia lifts", "Lusaka says", "PETER BRUCE", "2 days ago", "Picture:", "\nReuters"):
        assert junk not in a.body
    assert a.language == "en" and a.word_count == len(a.body.split()) and a.body_hash and a.id


def test_header_date_is_used_when_there_is_no_time_line():
    text = "date 2025-02-03 World\n\nHeadline of a story without a time\n\nThe body has one paragraph only.\n"
    a = parse(text)
    assert a.published_at == datetime(2025, 2, 3, tzinfo=UTC) and a.section == "World"


WIRE = """Skip to main content
World
Africa
Kenya's parliament approves new tax bill after weeks of debate
By Grace Wambui and Tom Kiprop
March 4, 2025 3:05 PM GMT+0Updated 2 hours ago
NAIROBI, March 4 (Reuters) - Kenya's parliament on Tuesday approved a revised finance bill.

The bill drops a proposed tax on bread that sparked protests last year.

Get the day's top African stories with our newsletter. Sign up here.

(Reporting by Grace Wambui; Editing by Alison Williams)

Our Standards: The Thomson Reuters Trust Principles.
"""


def test_wire_style():
    a = parse(WIRE)
    assert a.parser == "pagetext:wire"
    assert (a.section, a.headline) == ("World", "Kenya's parliament approves new tax bill after weeks of debate")
    assert a.authors == ["Grace Wambui", "Tom Kiprop"] and a.agency == "Reuters" and a.dateline == "NAIROBI"
    assert a.published_at == datetime(2025, 3, 4, 15, 5, tzinfo=UTC)
    assert len(a.paragraphs) == 2
    for junk in ("Sign up", "Reporting by", "Trust Principles", "Africa\n"):
        assert junk not in a.body


AP = """ASIA PACIFIC
Typhoon forces evacuations in the northern Philippines
By JIM GOMEZ and AARON FAVILA
Published 2:10 AM GMT, October 3, 2025
Updated 9:45 AM GMT, October 3, 2025
Share
Copy
Link copied
Facebook
X

MANILA, Philippines (AP) — Thousands of villagers fled their homes as a typhoon approached Luzon.

President Ferdinand Marcos Jr. ordered schools closed in six provinces.

Favila reported from Manila.
"""


def test_apnews_style():
    a = parse(AP)
    assert a.parser == "pagetext:apnews"
    assert a.section == "Asia Pacific" and a.authors == ["Jim Gomez", "Aaron Favila"] and a.agency == "AP"
    assert a.published_at == datetime(2025, 10, 3, 2, 10, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 10, 3, 9, 45, tzinfo=UTC)
    assert a.dateline == "MANILA, Philippines" and len(a.paragraphs) == 2
    assert "Facebook" not in a.body and "reported from" not in a.body


BROADSHEET = """Politics
This article is more than 1 year old
Chancellor rules out income tax rise in spring statement
Treasury says growth forecast will be cut but borrowing stays within fiscal rules
Rowena Hale Political correspondent
Wed 26 Mar 2025 13.40 GMT
Last modified on Wed 26 Mar 2025 15.02 GMT
The chancellor in Downing Street. Photograph: Jordan Pettitt/PA
The chancellor has ruled out raising income tax in the spring statement.

Officials in London said the forecast would be revised down.

Explore more on these topics
Economics
Reuse this content
"""


def test_broadsheet_style():
    a = parse(BROADSHEET)
    assert a.parser == "pagetext:broadsheet"
    assert a.authors == ["Rowena Hale"] and a.section == "Politics"
    assert a.standfirst.startswith("Treasury says")
    assert a.published_at == datetime(2025, 3, 26, 13, 40, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 26, 15, 2, tzinfo=UTC)
    assert a.photo_credits == ["Jordan Pettitt/PA"] and "Explore more" not in a.body and "Economics" not in a.body


GERMAN = """Inland
Haushalt
Bundestag beschließt Haushalt für 2025
Die Koalition setzt sich nach langer Debatte durch. Die Opposition kritisiert neue Schulden.
Stand: 14.03.2025 18:02 Uhr
Von Lena Hoffmann
Lesezeit: 3 Min.
Abgeordnete im Bundestag. Foto: Kay Nietfeld/dpa
Berlin (dpa) - Der Bundestag hat am Freitag den Haushalt für das laufende Jahr beschlossen.

Finanzminister Jörg Kukies verteidigte die Pläne.

Anzeige

Artikel teilen
Mehr zum Thema
Schuldenbremse: Was die Reform bedeutet
vor 3 Stunden
"""


def test_german_style():
    a = parse(GERMAN)
    assert a.parser == "pagetext:de-nachrichten" and a.language == "de"
    assert a.headline == "Bundestag beschließt Haushalt für 2025" and a.section == "Inland"
    assert a.authors == ["Lena Hoffmann"] and a.agency == "dpa" and a.dateline == "Berlin"
    assert a.published_at == datetime(2025, 3, 14, 18, 2, tzinfo=UTC)
    assert len(a.paragraphs) == 2 and "Anzeige" not in a.body and "Schuldenbremse" not in a.body


FRENCH = """International
Ukraine : Paris et Londres proposent une trêve d’un mois
Emmanuel Macron et Keir Starmer présentent un plan de cessez-le-feu aérien et maritime.
Par Philippe Ricard et Cécile Ducourtieux
Publié le 03 mars 2025 à 07h00, modifié le 03 mars 2025 à 10h30
Lecture 3 min.
Emmanuel Macron à Londres. Photo : Ludovic Marin / AFP
La France et le Royaume-Uni ont proposé une trêve d’un mois en Ukraine.

Lire aussi | Défense : ce que contient le plan européen

Le président ukrainien, Volodymyr Zelensky, a salué l’initiative.

Abonnez-vous pour lire la suite.
"""


def test_french_style():
    a = parse(FRENCH)
    assert a.parser == "pagetext:fr-journal" and a.language == "fr"
    assert a.authors == ["Philippe Ricard", "Cécile Ducourtieux"]
    assert a.published_at == datetime(2025, 3, 3, 7, 0, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 3, 10, 30, tzinfo=UTC)
    assert len(a.paragraphs) == 2 and "Lire aussi" not in a.body and "Abonnez" not in a.body


def test_generic_page_with_byline_and_date_on_one_line():
    text = ("Peru's Congress removes interior minister over crime wave\n"
            "By Marco Aquino | March 22, 2025\n"
            "LIMA — Peru's Congress voted on Friday to remove the interior minister.\n\n"
            "The motion passed with 73 votes.\n")
    a = parse(text)
    assert a.parser == "pagetext:generic"
    assert a.authors == ["Marco Aquino"] and a.published_at == datetime(2025, 3, 22, tzinfo=UTC)
    assert a.dateline == "LIMA" and "By Marco" not in a.body


def test_hard_wrapped_paragraphs_are_joined():
    text = ("A headline about wrapped text\n\nThe first paragraph was wrapped by an\nemail client at a fixed width.\n\n"
            "The second paragraph stands alone.\n")
    assert parse(text).paragraphs == ["The first paragraph was wrapped by an email client at a fixed width.",
                                      "The second paragraph stands alone."]


def test_crlf_bom_and_nbsp_are_normalised():
    text = "\ufeffA\u00a0headline  with   spaces\r\n\r\nBody\u2003paragraph one.\r\n"
    a = parse(text)
    assert a.headline == "A headline with spaces" and a.body == "Body paragraph one."


@pytest.mark.parametrize("text", ["Only a headline", "\n\n   \n", "Picture: SOMEONE/REUTERS\n"])
def test_pages_without_a_body_or_headline_are_parse_errors(text):
    with pytest.raises(ParseError) as err:
        parse(text)
    assert err.value.kind in ("no_body", "no_headline", "empty")


def test_every_registered_style_recognises_its_own_test_page():
    pages = {"businesslive": SEED_SHAPED, "wire": WIRE, "apnews": AP, "broadsheet": BROADSHEET,
             "de-nachrichten": GERMAN, "fr-journal": FRENCH, "broadcaster": BROADCASTER, "es-diario": SPANISH,
             "it-quotidiano": ITALIAN}
    assert {s.name for s in STYLES} == set(pages)
    for name, page in pages.items():
        assert pick_style(page.split("\n")).name == name
    assert pick_style(["Just a line", "and another"]) is GENERIC


def test_agency_line_above_teasers_that_have_no_blank_line_is_kept_as_the_agency():
    text = ("date 2025-02-03 World\n\nHeadline of the story\n\nA standfirst line\n\n03 February 2025 - 10:00\n"
            "by Agency Staff\nThe body paragraph of the story.\n\nAFP\n\nTeaser headline\nTeaser standfirst here\n"
            "World\n3 hours ago\n")
    a = parse(text)
    assert a.agency == "AFP" and a.body == "The body paragraph of the story."


def _variants(page: str) -> dict[str, str]:
    lines = page.split("\n")
    return {
        "crlf_bom_trailing_spaces": "\ufeff" + "\r\n".join(line + "  " for line in lines),
        "double_blank_lines": "\n".join(line if line else "\n" for line in lines),
        "no_standfirst": page.replace("Workers at the Andes complex reject a revised offer from the owners\n\n", ""),
        "no_caption": "\n".join(line for line in lines if "Picture:" not in line),
        "caps_byline": page.replace("by Agency Staff", "BY AGENCY STAFF"),
        "en_dash_time": page.replace("03 February 2025 - 11:20", "03 February 2025 – 11:20"),
        "no_blank_lines": "\n".join(line for line in lines if line),
        "tabs": page.replace(" ", "\t", 3),
    }


@pytest.mark.parametrize("name", list(_variants(SEED_SHAPED)))
def test_seed_shaped_variants_keep_their_fields(name):
    a = parse(_variants(SEED_SHAPED)[name])
    assert a.headline == "Copper hits record as Chile mine strike enters second week"
    assert a.published_at == datetime(2025, 2, 3, 11, 20, tzinfo=UTC)
    assert a.paragraphs[0].startswith("Copper prices rose") and a.paragraphs[-1].startswith("President Gabriel Boric")
    assert "Zambia" not in a.body and "Lusaka" not in a.body and a.agency == "Reuters"


BROADCASTER = """Skip to content
Accessibility Help
Storm closes schools across the north-east as snow reaches 30cm
12 January 2025
Share
Save
Image source, Reuters
Image caption, Snow ploughs cleared the A1 near Morpeth on Sunday evening
Schools across Northumberland and County Durham were closed on Monday after up to 30cm of snow fell overnight.

The Met Office kept an amber warning for snow and ice in place until Tuesday morning.
Related Topics
Northumberland
Weather
"""


def test_broadcaster_style_labelled_image_lines():
    a = parse(BROADCASTER)
    assert a.parser == "pagetext:broadcaster"
    assert a.headline == "Storm closes schools across the north-east as snow reaches 30cm" and a.standfirst is None
    assert a.published_at == datetime(2025, 1, 12, tzinfo=UTC)
    assert a.captions == ["Snow ploughs cleared the A1 near Morpeth on Sunday evening"]
    assert a.paragraphs[0].startswith("Schools across Northumberland") and "Weather" not in a.body
    assert "Related Topics" not in a.body


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Updated", "UPDATED", "modifié le", "MIS À JOUR", "Aktualisiert", "last modified",
                                 "mis à jour", "4 March 2025", "15:05", "|", "-", "ſ", "ı", "Uhr", "le", "x"]),
                max_size=8).map(" ".join))
def test_lines_without_a_stamp_hint_have_no_stamp_split_point(line):
    if not any(hint in line.lower() for hint in pagetext._STAMP_HINTS):
        assert pagetext._SPLIT_STAMPS.split(line) == [line]


SPANISH = """Economía
Suscríbete
El Banco de México recorta su tasa de interés por quinta vez consecutiva
La institución baja el tipo de referencia en medio punto, hasta el 9%, ante la debilidad de la economía
Lucía Ramírez Ortega
Ciudad de México - 27 mar 2025 - 19:05 CET
Actualizado: 27 mar 2025 - 21:30 CET
El Banco de México redujo este jueves su tasa de interés de referencia en medio punto porcentual, hasta el 9%.

La junta de gobierno citó la desaceleración de la actividad y una inflación más cercana a la meta.
Más información
El peso mexicano cae tras los nuevos aranceles
Archivado En
México
"""

ITALIAN = """Economia
Bollette, da aprile il prezzo del gas scende del 4% per le famiglie in tutela
L'Autorità per l'energia aggiorna le tariffe: risparmio medio di 40 euro l'anno
di Paolo Conti
Pubblicato il 31 marzo 2025 alle 18:10
Aggiornato il 31 marzo 2025 alle 20:45
Tempo di lettura: 2 minuti
Il prezzo del gas per le famiglie ancora servite in tutela scenderà del 4% ad aprile, ha comunicato l'Autorità.

Il calo riflette la discesa delle quotazioni all'ingrosso registrata nelle ultime settimane.
Riproduzione riservata ©
Leggi anche
Carburanti, benzina sotto 1,8 euro al litro
"""


def test_spanish_style_place_date_line_and_updated_stamp():
    a = parse(SPANISH)
    assert a.parser == "pagetext:es-diario" and a.language == "es" and a.section == "Economía"
    assert a.headline.startswith("El Banco de México recorta") and a.standfirst.startswith("La institución baja")
    assert a.authors == ["Lucía Ramírez Ortega"]
    assert a.published_at == datetime(2025, 3, 27, 18, 5, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 27, 20, 30, tzinfo=UTC)
    assert a.paragraphs[-1].startswith("La junta de gobierno") and "peso mexicano" not in a.body


def test_italian_style_stamps_and_footer():
    a = parse(ITALIAN)
    assert a.parser == "pagetext:it-quotidiano" and a.language == "it" and a.section == "Economia"
    assert a.authors == ["Paolo Conti"]
    assert a.published_at == datetime(2025, 3, 31, 18, 10, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 31, 20, 45, tzinfo=UTC)
    assert a.paragraphs[0].startswith("Il prezzo del gas") and len(a.paragraphs) == 2


def test_masthead_and_section_label_above_a_headline_without_standfirst():
    a = parse("""The Valley Gazette
Local News
City council delays vote on downtown parking garage
Posted: Monday, April 7, 2025 8:30 pm
Last updated: Tuesday, April 8, 2025 7:05 am
By Dana Moore dmoore@valleygazette.example
Font Size:
The city council on Monday postponed a vote on a $9 million parking garage for the downtown district.

Council members asked for a new traffic study before deciding.
Tags
Downtown
More Local News
School board race draws five candidates
""")
    assert a.headline == "City council delays vote on downtown parking garage" and a.standfirst is None
    assert a.section == "Local News" and a.authors == ["Dana Moore"]
    assert a.published_at == datetime(2025, 4, 7, 20, 30, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 4, 8, 7, 5, tzinfo=UTC)
    assert a.paragraphs == ["The city council on Monday postponed a vote on a $9 million parking garage for the "
                            "downtown district.", "Council members asked for a new traffic study before deciding."]


def test_press_release_headline_below_the_date_and_company_footer():
    a = parse("""NEWS PROVIDED BY
Harbour Foods Ltd
Apr 02, 2025, 09:00 ET
Harbour Foods opens cold-storage hub at Walvis Bay port
Share this article
WALVIS BAY, Namibia, April 2, 2025 /PRNewswire/ -- Harbour Foods said on Wednesday it had opened a cold-storage hub.

The hub can hold 12,000 pallets of fish and fruit for export.
About Harbour Foods Ltd
Harbour Foods processes and exports seafood from southern Africa.
Media contact:
press@harbourfoods.example
SOURCE Harbour Foods Ltd
""")
    assert a.headline == "Harbour Foods opens cold-storage hub at Walvis Bay port"
    assert a.published_at == datetime(2025, 4, 2, 13, 0, tzinfo=UTC) and a.dateline == "WALVIS BAY, Namibia"
    assert a.paragraphs[-1] == "The hub can hold 12,000 pallets of fish and fruit for export."


def test_live_page_key_points_and_repeated_stamp():
    a = parse("""Business live
Markets rally as central bank signals pause in rate rises
Key points
Stocks up 2% at the open
Bond yields fall
Updated 10:05 GMT, 3 April 2025
Share this page
Live Reporting
Edited by Tom Okafor
Posted at 10:05
Traders cheer the governor's remarks
The main index rose 2% in early trading after the governor said rates had peaked.
Share this post
Back to top
First Published: Apr 03, 2025 08:00 AM GMT
""")
    assert a.headline == "Markets rally as central bank signals pause in rate rises"
    assert a.authors == ["Tom Okafor"] and a.published_at == datetime(2025, 4, 3, 10, 5, tzinfo=UTC)
    assert "First Published" not in a.body and "Share this post" not in a.body and "Back to top" not in a.body
    assert "The main index rose 2% in early trading" in a.body


def test_broadcaster_desk_line_under_a_bare_byline_is_no_author():
    a = parse(BROADCASTER.replace("Save\n", "Save\nTom Reed\nBBC News, Newcastle\n"))
    assert a.authors == ["Tom Reed"] and "BBC News" not in a.body


ROLE_AND_RELEASE_PAGES = """Transport
Tram fares to be frozen for another year
Eleni Vargas
Transport Editor
12 April 2025
Tram fares across the city will stay at their current level until next spring, the transport authority said.

The freeze will cost about £4m, paid from parking income.
Eleni Vargas is a former bus driver and has covered transport for ten years.
"""


def test_bare_name_over_a_role_line_is_the_byline_and_the_role_is_not_body():
    article = parse(ROLE_AND_RELEASE_PAGES)
    assert article.headline == "Tram fares to be frozen for another year"
    assert article.standfirst is None
    assert article.authors == ["Eleni Vargas"]
    assert article.published_at == datetime(2025, 4, 12, tzinfo=UTC)
    assert "Transport Editor" not in article.body
    assert "former bus driver" not in article.body  # the author's bio under the text
    assert article.body.startswith("Tram fares across the city")


def test_role_line_under_a_by_byline_and_a_from_line_are_head_meta():
    text = """Consultation opens on new cycle lanes
From: Ministry of Transport
By Olu Adeyemi
Senior Political Correspondent
Published 9 May 2025
The ministry has opened a ten-week consultation on protected cycle lanes in 30 towns.

Responses can be made online or by post.
"""
    article = parse(text)
    assert article.headline == "Consultation opens on new cycle lanes"
    assert article.standfirst is None
    assert article.authors == ["Olu Adeyemi"]
    assert article.body.startswith("The ministry has opened")
    assert "Ministry of Transport" not in article.body and "Correspondent" not in article.body



def test_breadcrumb_time_only_update_and_closing_byline():
    page = ("Home / Business / Agriculture\n"
            "Farm exports rise for a third month as grain prices climb\n"
            "Growers shipped more wheat and barley than in any month since 2021\n"
            "04.03.2025, 14h32 - Mis à jour à 15h10\n"
            "Farm exports rose for a third month in February, the statistics office said on Tuesday.\n\n"
            "Wheat and barley shipments made up most of the increase.\n\n"
            "Story by Clara Jensen. Produced by Tom Adeyemi.\n")
    article = parse(page)
    assert article.headline == "Farm exports rise for a third month as grain prices climb"
    assert article.section == "Business"
    assert article.published_at == datetime(2025, 3, 4, 14, 32, tzinfo=UTC)
    assert article.updated_at == datetime(2025, 3, 4, 15, 10, tzinfo=UTC)
    assert article.authors == ["Clara Jensen"]
    assert "Story by" not in article.body and "Adeyemi" not in article.body


def test_first_published_time_after_an_update_stamp_and_bare_name_above_the_date():
    page = ("Trains cancelled as the city swelters through a fourth hot day\n"
            "Commuters were told to work from home as rail lines buckled.\n"
            "Liam Carter\n"
            "Updated March 5, 2025 — 8.02am, first published at 6.30am\n"
            "The operator cancelled more than 200 services on Wednesday morning.\n")
    article = parse(page)
    assert article.authors == ["Liam Carter"]
    assert article.published_at == datetime(2025, 3, 5, 6, 30, tzinfo=UTC)
    assert article.updated_at == datetime(2025, 3, 5, 8, 2, tzinfo=UTC)
    assert article.body == "The operator cancelled more than 200 services on Wednesday morning."


def test_breaking_banner_hub_breadcrumb_and_desk_byline():
    page = ("BREAKING NEWS: Parliament suspends sitting after chaos over finance bill\n"
            "Home › News › Counties\n"
            "Floods cut off river villages as dam levels hit record\n"
            "By Staff Reporter\n"
            "Published on: March 12, 2025 | 4:35 PM EAT\n"
            "NAIROBI, Kenya — Hundreds of families have been cut off by floods, officials said.\n")
    article = parse(page)
    assert article.headline == "Floods cut off river villages as dam levels hit record"
    assert article.section == "Counties"
    assert article.standfirst is None and article.authors == []
    assert article.dateline == "NAIROBI, Kenya"
    assert article.published_at == datetime(2025, 3, 12, 13, 35, tzinfo=UTC)


def test_dutch_stamps_door_byline_and_source_credit():
    page = ("Binnenland\n"
            "Amsterdam ontruimt grachtenpanden na instorting van kademuur\n"
            "Bewoners van zes panden moeten voorlopig elders slapen\n"
            "Door Sanne de Vries\n"
            "12 mrt 2025 om 14:13\n"
            "Bijgewerkt 12 mrt 2025 om 16:02\n"
            "Een deel van de kademuur is woensdagochtend ingestort.\n\n"
            "Bron: ANP\n")
    article = parse(page)
    assert article.standfirst == "Bewoners van zes panden moeten voorlopig elders slapen"
    assert article.authors == ["Sanne de Vries"]
    assert article.published_at == datetime(2025, 3, 12, 14, 13, tzinfo=UTC)
    assert article.updated_at == datetime(2025, 3, 12, 16, 2, tzinfo=UTC)
    assert article.agency == "ANP"
    assert article.body == "Een deel van de kademuur is woensdagochtend ingestort."


def test_name_over_agency_line_and_agency_line_under_the_title():
    page = ("Politics\n"
            "Ottawa pledges money to rebuild wildfire-hit towns in the north\n"
            "The money will cover housing, water systems and a new hospital\n"
            "Mike Delorme\n"
            "The Canadian Press\n"
            "Published Mar. 12, 2025 9:05 a.m. ET\n"
            "OTTAWA — The federal government will spend $2.4 billion over five years.\n\n"
            "This report by The Canadian Press was first published March 12, 2025.\n")
    article = parse(page)
    assert article.authors == ["Mike Delorme"] and article.agency == "CP" and article.dateline == "OTTAWA"
    assert article.standfirst == "The money will cover housing, water systems and a new hospital"
    assert "Canadian Press" not in article.body
    kyodo = parse("NATIONAL\nShinkansen services halted for five hours after power failure\nKYODO\n"
                  "Mar 12, 2025 18:40 JST\nNAGOYA (Kyodo) -- Services were suspended on Wednesday.\n")
    assert kyodo.standfirst is None and kyodo.agency == "Kyodo"


def _full_scoring_style(lines: list[str]):
    """pick_style as plainly written: every mark of every style looked for, the best score wins."""
    filled = [line for line in lines if line]
    if len(filled) > 50:
        filled = filled[:30] + filled[-20:]
    block = "\n".join(filled)
    short = [line for line in filled if len(line) <= 100]
    best, best_score = GENERIC, 0
    for style in STYLES:
        score = sum(mark in block if isinstance(mark, str) else any(mark.match(line) for line in short)
                    for mark in style.signature)
        score += 2 if style.header is not None and filled and style.header.match(filled[0]) else 0
        if score >= style.min_score and score > best_score:
            best, best_score = style, score
    return best


_style_pieces = st.sampled_from(
    [mark for style in STYLES for mark in style.signature if isinstance(mark, str)]
    + ["date 2025-03-04 World", "4 March 2025 - 14:13", "by Agency Staff", "By JANE DOE", "Von Anna Müller",
       "Par Élodie Marchand", "di Marco Rossi", "Tue 4 Mar 2025 15.05 GMT", "04.03.2025, 15:05 Uhr",
       "March 4, 2025 3:05 PM GMT", "Updated 2 hours ago", "Updated 3:05 PM GMT, March 4, 2025",
       "Madrid - 04 mar 2025 - 10:32", "Lecture : 4 min", "The minister said", "(", "é", "—", ""])


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(_style_pieces, max_size=3).map(" ".join), max_size=60))
def test_pick_style_stops_early_with_the_same_answer_as_full_scoring(lines):
    assert pick_style(lines) is _full_scoring_style(lines)


def test_stamp_first_letters_are_those_letters_in_any_case_re_i_matches():
    letters = "".join(sorted({ch.lower() for ch in pagetext._STAMP_FIRST if ch.isascii()}))
    first = re.compile(f"[{letters}]", re.I)
    assert {chr(c) for c in range(sys.maxunicode + 1) if first.match(chr(c))} == pagetext._STAMP_FIRST


@settings(max_examples=400, deadline=None)
@given(st.from_regex(pagetext._STAMP_START.plain))
def test_every_stamp_line_opens_with_a_stamp_first_letter(line):
    assert line[:1] in pagetext._STAMP_FIRST


def test_swedish_name_slash_agency_stamps_and_footer():
    a = parse("Ekonomi\n"
              "Riksbanken lämnar räntan oförändrad trots svag krona\n"
              "Beskedet var väntat men prognosen för inflationen höjdes något\n"
              "Karin Ek/TT\n"
              "Publicerad 6 maj 2025 kl. 09.30\n"
              "Uppdaterad 6 maj 2025 kl. 11.05\n"
              "Dela\n"
              "Spara\n"
              "Styrräntan ligger kvar på 2,25 procent, meddelade Riksbanken på tisdagen.\n\n"
              "Läs också: Kronan faller mot euron\n"
              "Ämnen i artikeln\n"
              "Riksbanken\n")
    assert a.authors == ["Karin Ek"] and a.agency == "TT"
    assert a.published_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 5, 6, 11, 5, tzinfo=UTC)
    assert a.standfirst == "Beskedet var väntat men prognosen för inflationen höjdes något"
    assert a.body == "Styrräntan ligger kvar på 2,25 procent, meddelade Riksbanken på tisdagen."


def test_polish_editor_credit_stamps_caption_and_wire_closing():
    a = parse("Gospodarka\n"
              "Gdańsk: nowy terminal promowy gotowy przed sezonem. Pierwsze rejsy w czerwcu\n"
              "Port zapowiada dwa razy więcej połączeń do Szwecji niż przed rokiem\n"
              "oprac. Jan Nowak\n"
              "Publikacja: 06.05.2025 09:30\n"
              "Aktualizacja: 06.05.2025 12:10\n"
              "Udostępnij\n"
              "Nabrzeże w porcie w Gdańsku. fot. PAP/Adam Lis\n"
              "Nowy terminal promowy w Gdańsku przyjmie pierwszych pasażerów w czerwcu.\n\n"
              "Czytaj także: Gdynia rozbuduje nabrzeże\n\n"
              "Budowa kosztowała 300 mln zł.\n"
              "(PAP)\n"
              "abk/ jmw/\n")
    assert a.authors == ["Jan Nowak"] and a.agency == "PAP"
    assert a.published_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 5, 6, 12, 10, tzinfo=UTC)
    assert a.standfirst == "Port zapowiada dwa razy więcej połączeń do Szwecji niż przed rokiem"
    assert a.paragraphs == ["Nowy terminal promowy w Gdańsku przyjmie pierwszych pasażerów w czerwcu.",
                            "Budowa kosztowała 300 mln zł."]


def test_wire_desk_place_date_and_time_on_their_own_lines():
    a = parse("Cronaca\n"
              "Torino, chiusa la tangenziale per un incidente tra due camion: code di dieci chilometri\n"
              "La strada riaprirà in serata, secondo la polizia stradale\n"
              "Redazione ANSA\n"
              "TORINO\n"
              "6 maggio 2025\n"
              "09:30\n"
              "(ANSA) - TORINO, 6 MAG - La tangenziale di Torino è chiusa da stamattina per un incidente.\n\n"
              "Nessuno è rimasto ferito, ha riferito la polizia stradale.\n"
              "RIPRODUZIONE RISERVATA © Copyright ANSA\n"
              "Condividi\n")
    assert a.agency == "ANSA" and a.dateline == "TORINO" and a.authors == []
    assert a.published_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)
    assert a.standfirst == "La strada riaprirà in serata, secondo la polizia stradale"
    assert a.paragraphs[-1] == "Nessuno è rimasto ferito, ha riferito la polizia stradale."


def test_score_strip_over_a_match_report_name_at_the_ground_and_match_stats():
    a = parse("LIVE\n"
              "Harbour FC 1-1 Port Vale Athletic 72'\n"
              "FT\n"
              "Northside 3-0 Eastfield\n"
              "See all results\n"
              "Rugby\n"
              "Northside go top of the league after a second-half burst against Eastfield\n"
              "Sam Hill at Riverside Park\n"
              "Sat 10 May 2025 17:05 BST\n"
              "Northside scored three tries in twelve minutes after the break to go top of the table.\n\n"
              "Match stats\n"
              "Possession: 61% - 39%\n")
    assert a.headline == "Northside go top of the league after a second-half burst against Eastfield"
    assert a.section == "Rugby" and a.standfirst is None and a.authors == ["Sam Hill"]
    assert a.published_at == datetime(2025, 5, 10, 16, 5, tzinfo=UTC)
    assert a.body == "Northside scored three tries in twelve minutes after the break to go top of the table."


def test_consent_wall_crumb_with_a_date_and_a_photography_credit():
    a = parse("We value your privacy\n"
              "We and our 96 partners store cookies and process personal data for advertising and measurement.\n"
              "Accept all\n"
              "Manage preferences\n"
              "Home › Food › 2025/05/06\n"
              "Lisbon's oldest bakery reopens after a two-year restoration\n"
              "Words by Ana Costa\n"
              "Photography by Rui Lopes\n"
              "The bakery in Belém reopened on Tuesday with its original tiles restored.\n\n"
              "Filed under: Food, Lisbon\n")
    assert a.headline == "Lisbon's oldest bakery reopens after a two-year restoration"
    assert a.section == "Food" and a.authors == ["Ana Costa"] and a.standfirst is None
    assert a.published_at == datetime(2025, 5, 6, tzinfo=UTC)
    assert a.body == "The bakery in Belém reopened on Tuesday with its original tiles restored."


def test_hub_crumb_author_box_date_bar_time_and_bracketed_credit():
    a = parse("News / Kenya\n"
              "Nairobi expressway tolls to rise by a fifth from June\n"
              "The operator says higher maintenance costs leave it no choice\n"
              "Amina Wekesa\n"
              "Transport Reporter\n"
              "Follow\n"
              "3.2K followers\n"
              "6 May 2025 | 09:30 EAT\n"
              "Cars queue at a toll station on the expressway. (Nation Media/Peter Otieno)\n"
              "Tolls on the Nairobi Expressway will rise by about 20% from June 1, the operator said.\n")
    assert a.section == "Kenya" and a.authors == ["Amina Wekesa"]
    assert a.published_at == datetime(2025, 5, 6, 6, 30, tzinfo=UTC)
    assert a.photo_credits == ["Nation Media/Peter Otieno"]
    assert a.body == "Tolls on the Nairobi Expressway will rise by about 20% from June 1, the operator said."


def test_reviewer_line_date_under_it_and_reference_list():
    a = parse("Health\n"
              "Daily walks cut the risk of a second heart attack, ten-year study finds\n"
              "By Lena Fischer\n"
              "Reviewed by Dr. Omar Haddad\n"
              "May 6 2025\n"
              "Download PDF\n"
              "People who walked for 30 minutes a day were a third less likely to have a second heart attack.\n\n"
              "References\n"
              "1. Smith, J., et al. (2019). Walking and cardiac rehabilitation. Heart Journal.\n")
    assert a.authors == ["Lena Fischer"] and a.standfirst is None
    assert a.published_at == datetime(2025, 5, 6, tzinfo=UTC)
    assert a.paragraphs == ["People who walked for 30 minutes a day were a third less likely to have a second "
                            "heart attack."]


def test_by_label_glued_to_a_crumb_and_a_name_with_its_role_under_it():
    a = parse("Leeds News\n"
              "Council approves new cycle lanes on the A65 after two-year consultation\n"
              "Work will start in September and take about eight months\n"
              "NewsBy\n"
              "Tom Barker\n"
              "Local Democracy Reporter\n"
              "09:30, 06 MAY 2025\n"
              "Bookmark\n"
              "Leeds City Council has approved plans for segregated cycle lanes along the A65.\n")
    assert a.authors == ["Tom Barker"] and a.published_at == datetime(2025, 5, 6, 9, 30, tzinfo=UTC)
    assert a.body == "Leeds City Council has approved plans for segregated cycle lanes along the A65."


def test_summary_box_before_the_dateline_and_release_wire_with_a_spelled_zone():
    a = parse("Politics\n"
              "Senate passes a short-term spending bill hours before the deadline\n"
              "The measure keeps the government open until the end of September\n"
              "By Carla Mendez\n"
              "May 6, 2025 at 9:30 p.m. EDT\n"
              "Key takeaways\n"
              "Summary is AI-generated, reviewed by editors.\n"
              "• The bill passed 68 to 31.\n"
              "WASHINGTON — The Senate passed a stopgap spending bill late Tuesday.\n")
    assert a.dateline == "WASHINGTON" and "Key takeaways" not in a.body and "AI-generated" not in a.body
    release = parse("GlobeNewswire\n"
                    "Northwind Robotics Reports Record First-Quarter Revenue of $42 Million\n"
                    "Revenue up 31% year over year as warehouse orders double\n"
                    "May 6, 2025 08:00 AM Eastern Daylight Time\n"
                    "MINNEAPOLIS--(GLOBE NEWSWIRE)--Northwind Robotics, Inc. today reported revenue for the quarter.\n")
    assert release.dateline == "MINNEAPOLIS" and release.agency is None
    assert release.published_at == datetime(2025, 5, 6, 12, 0, tzinfo=UTC)
    assert release.standfirst == "Revenue up 31% year over year as warehouse orders double"


def test_romanian_crumb_arrows_bare_name_over_stamps_and_source_line():
    a = parse("Știri › Economie\n"
              "Prețul pâinii crește din nou în București de la 1 aprilie\n"
              "Brutarii spun că făina s-a scumpit cu 15 la sută în ultima lună\n"
              "Ioana Dumitrescu\n"
              "Publicat: luni, 3 martie 2025, 08:20\n"
              "Actualizat: luni, 3 martie 2025, 10:45\n"
              "Brutăriile din București vor scumpi pâinea cu 50 de bani de la 1 aprilie, a anunțat asociația.\n\n"
              "Reprezentanții patronatului spun că și energia s-a scumpit în ultimele luni.\n\n"
              "Sursa: Agerpres\n")
    assert a.section == "Economie" and a.authors == ["Ioana Dumitrescu"] and a.agency == "Agerpres"
    assert a.published_at == datetime(2025, 3, 3, 8, 20, tzinfo=UTC)
    assert a.updated_at == datetime(2025, 3, 3, 10, 45, tzinfo=UTC)
    assert a.language == "ro" and "Sursa" not in a.body and "Publicat" not in a.body


def test_hungarian_byline_year_first_stamps_and_closing_agency_tag():
    a = parse("Gazdaság\n"
              "Drágul a távhő Debrecenben, a város szerint a gázár miatt\n"
              "A díjemelés januártól minden lakást érint\n"
              "Szerző: Nagy Péter\n"
              "2024. december 2., hétfő 09:10\n"
              "Frissítve: 2024. december 2., hétfő 11:25\n"
              "Megosztás\n"
              "Januártól tíz százalékkal drágul a távhő Debrecenben, jelentette be hétfőn a városi szolgáltató.\n\n"
              "A cég szerint a gáz beszerzési ára nőtt meg jelentősen az elmúlt évben, ezért nem tudják tartani "
              "az árakat. (MTI)\n")
    assert a.authors == ["Nagy Péter"] and a.agency == "MTI" and a.language == "hu"
    assert a.published_at == datetime(2024, 12, 2, 9, 10, tzinfo=UTC)
    assert a.updated_at == datetime(2024, 12, 2, 11, 25, tzinfo=UTC)
    assert "Megosztás" not in a.body and "Frissítve" not in a.body


def test_indonesian_wib_caption_credit_agency_dateline_and_reporter_footer():
    a = parse("Nusantara\n"
              "Pemkot Surabaya buka dua pasar murah menjelang Natal\n"
              "Senin, 2 Desember 2024 09:10 WIB\n"
              "Warga berbelanja di pasar murah Surabaya, Senin (2/12/2024). ANTARA FOTO/Dedi Kurnia/abc.\n"
              "Surabaya (ANTARA) - Pemerintah Kota Surabaya membuka dua pasar murah mulai pekan ini untuk "
              "menahan kenaikan harga bahan pokok menjelang Natal.\n\n"
              "Baca juga: Harga telur turun di pasar Bandung\n\n"
              "Pasar murah akan dibuka setiap hari dari pukul tujuh pagi sampai pukul dua siang.\n\n"
              "Pewarta: Agus Salim\n"
              "Editor: Budi Santoso\n"
              "Copyright © KANTOR BERITA 2024\n")
    assert a.dateline == "Surabaya" and a.agency == "Antara" and a.authors == ["Agus Salim"]
    assert a.published_at == datetime(2024, 12, 2, 2, 10, tzinfo=UTC) and a.language == "id"
    assert a.photo_credits == ["ANTARA FOTO/Dedi Kurnia/abc"]
    assert "Baca juga" not in a.body and "Pewarta" not in a.body and "Editor" not in a.body


def test_desk_line_over_the_date_and_colon_dateline():
    a = parse("Karachi\n"
              "Sindh cabinet approves new bus routes for Karachi suburbs\n"
              "Our Staff Correspondent\n"
              "Published December 2, 2024 | Updated December 2, 2024 11:25am\n"
              "KARACHI: The Sindh cabinet on Monday approved six new bus routes linking the city centre with "
              "its eastern suburbs.\n\n"
              "The routes will be run by the provincial transport department from January.\n\n"
              "Additional input from APP\n")
    assert a.standfirst is None and a.authors == [] and a.dateline == "KARACHI" and a.agency == "APP"
    assert a.published_at == datetime(2024, 12, 2, tzinfo=UTC)


def test_name_and_role_piped_contact_lines_and_particles_under_a_badge():
    piped = parse("News\n"
                  "Montego Bay hotels to train 500 young workers this winter\n"
                  "Dwayne Campbell | Business Reporter\n"
                  "Published:Monday | December 2, 2024 | 9:10 AM\n"
                  "Hotel owners in Montego Bay will train 500 school leavers as cooks, cleaners and guides.\n")
    assert piped.authors == ["Dwayne Campbell"] and piped.standfirst is None
    contact = parse("Metro\n"
                    "Akron schools add late buses for students in after-school clubs\n"
                    "By Dana Whitfield\n"
                    "dana.whitfield@akronledger.example\n"
                    "X: @danawhitfield\n"
                    "December 2, 2024 at 6:00 a.m. EST\n"
                    "Akron Public Schools will run late buses on four days a week from January.\n")
    assert contact.authors == ["Dana Whitfield"]
    assert contact.published_at == datetime(2024, 12, 2, 11, 0, tzinfo=UTC)
    assert "@" not in contact.body
    badge = parse("Ports\n"
                  "Hamburg terminal adds night shifts as rail freight backs up\n"
                  "Operators say trains have waited up to two days for a slot at the quay\n"
                  "Premium\n"
                  "Jan van der Berg\n"
                  "2 Dec 2024 09:10 GMT\n"
                  "A Hamburg container terminal will add two night shifts a week to clear trains waiting.\n")
    assert badge.authors == ["Jan van der Berg"]


def test_contents_list_photo_credit_under_caption_sponsored_block_and_translator():
    a = parse("Campus\n"
              "The Campus Post\n"
              "News\n"
              "University adds evening buses between the two campuses from January\n"
              "By Leah Morgan, Staff Writer\n"
              "December 2, 2024\n"
              "Students wait for a shuttle outside the science building on Monday.\n"
              "Omar Haddad | The Campus Post\n"
              "In this article\n"
              "Why now?\n"
              "Who pays?\n"
              "The university will run evening buses between its two campuses every 20 minutes from January, "
              "the transport office said.\n\n"
              "Why now?\n"
              "Evening classes have grown by a third since 2022, and the last bus currently leaves at six.\n\n"
              "SPONSORED CONTENT\n"
              "Paid Post by Campus Bank\n"
              "Five ways students can save on travel this winter\n"
              "Who pays?\n"
              "The student union will cover half of the cost from its reserve fund, the office said.\n")
    assert a.captions == ["Students wait for a shuttle outside the science building on Monday."]
    assert a.photo_credits == ["Omar Haddad"]
    assert "In this article" not in a.body and a.body.startswith("The university will run")
    assert "\n\nWhy now?\n\n" in a.body and "\n\nWho pays?\n\n" in a.body  # named in the contents: kept
    assert "Campus Bank" not in a.body and "Five ways" not in a.body and "Omar Haddad" not in a.body
    translated = parse("News in English\n"
                       "Tampere to extend its tram line to the hospital by 2028\n"
                       "The council approved the extension by a wide margin on Monday evening\n"
                       "Mikko Laine\n"
                       "2.12.2024 09:10\n"
                       "Translated by Sara Lind\n"
                       "Tampere city council approved a four-kilometre extension of its tram line on Monday.\n")
    assert translated.authors == ["Mikko Laine"] and "Translated" not in translated.body


def test_contents_list_entries_leave_and_the_headings_stay():
    body = ["In this article", "Why now?", "Who pays?", "The buses start in January.", "", "Why now?",
            "Classes grew.", "", "Who pays?", "The union pays."]
    assert pagetext._drop_contents_list(body) == {"Why now?", "Who pays?"}
    assert body == ["The buses start in January.", "", "Why now?", "Classes grew.", "", "Who pays?", "The union pays."]
    listed = ["Contents", "A list line that is not repeated", "Text."]
    assert pagetext._drop_contents_list(listed) == set()
    assert listed == ["Contents", "A list line that is not repeated", "Text."]


def _lede_then_pipe_line(pipe_line: str) -> Article:
    return parse("The Harbour Herald\nNews\nFerry fares to rise by a fifth from April on the island routes\n"
                 "March 18, 2025\n"
                 "The operator blamed fuel costs for the steepest rise in a decade.\n"
                 f"{pipe_line}\n"
                 "Ferry fares on the island routes will rise by a fifth from April, the operator said on Monday.\n"
                 "Season tickets will rise by less, it said.\n")


def test_name_piped_to_a_role_under_a_one_sentence_lede_is_the_byline_not_a_photo_credit():
    a = _lede_then_pipe_line("Priya Nair | Staff Writer")
    assert a.authors == ["Priya Nair"] and a.captions == [] and a.photo_credits == []
    assert a.body.startswith("The operator blamed fuel costs") and "Staff Writer" not in a.body


@pytest.mark.parametrize("pipe_line", ["Priya Nair | The Harbour Herald", "Priya Nair | Gallo Images",
                                       "Priya Nair | Reuters"])
def test_name_piped_to_the_outlet_or_a_photo_agency_under_a_caption_is_a_photo_credit(pipe_line):
    a = _lede_then_pipe_line(pipe_line)
    assert a.captions == ["The operator blamed fuel costs for the steepest rise in a decade."]
    assert a.photo_credits == ["Priya Nair"] and a.body.startswith("Ferry fares")


def test_transcript_speaker_is_no_dateline_and_wire_colon_dateline_still_is():
    from pipelines.nlp.parsing.body import clean_body
    transcript = clean_body(["OKAFOR: Welcome back to the programme, and thank you for joining us tonight.", "",
                             "MENSAH: It is a pleasure to be here with you again.", "",
                             "OKAFOR: Let us start with the budget."])
    assert transcript.dateline is None and len(transcript.paragraphs) == 3
    wire = clean_body(["PESHAWAR: The provincial assembly passed the finance bill on Tuesday.", "",
                       "It now goes to the governor for assent."])
    assert wire.dateline == "PESHAWAR"
