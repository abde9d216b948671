"""Free-form filler sentences for the benchmark corpus: a small grammar over our own word lists.

Template frames alone made unrelated synthetic articles far more alike than real news (median
3-word-shingle Jaccard 0.09, against about 0.01-0.02 for real news), which turned near-duplicate
search quadratic. Most sentences are therefore built from a noun-phrase/verb grammar whose words
are drawn with Zipf weights from lists of several hundred words, so common words repeat across
articles as they do in real copy while word triples rarely do.
"""

from __future__ import annotations

import random
from functools import cache


def _split(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.split(sep) if w.strip()]


_EN = {
    "det": _split("the the the the a a its their this that several two three many some these"),
    "adj": _split("""local regional national new former senior public private small large major minor rural urban
        coastal northern southern eastern western central annual monthly weekly early late first second final
        key main critical rising falling higher lower cheaper costly delayed planned proposed disputed joint
        independent official unofficial temporary permanent emergency municipal federal provincial domestic
        foreign international commercial industrial agricultural medical legal financial technical political
        economic social cultural digital electric solar wooden concrete crowded empty busy quiet modern ageing
        historic ambitious modest sharp steady sudden gradual unusual familiar controversial popular unpopular
        fragile robust expensive affordable remote nearby neighbouring leading struggling growing shrinking
        overdue unfinished renewed revised detailed brief lengthy confidential anonymous elected appointed"""),
    "noun": _split("""official programme farmer company worker school hospital road bridge port market contract budget
        report plan project court union council ministry agency committee board lawmaker mayor governor judge
        teacher nurse doctor student driver pilot engineer investor lender bank insurer retailer supplier
        factory plant mine warehouse railway airport terminal highway tunnel dam reservoir pipeline grid
        station clinic ward laboratory campus stadium museum library park village town district province
        region border coastline harbour river valley forest field crop harvest herd fleet cargo shipment
        container tanker truck bus train ferry vessel aircraft runway permit licence tariff subsidy grant
        loan bond fund pension wage salary price fee levy tax rebate deficit surplus forecast estimate survey
        poll audit inquiry review hearing ruling appeal verdict charge fine penalty ban deal agreement treaty
        accord dispute protest strike rally march petition campaign election ballot vote seat coalition
        cabinet parliament senate assembly party leader spokesperson adviser analyst economist researcher
        scientist expert volunteer resident tenant landlord owner buyer seller customer user platform network
        system software database server device sensor satellite vaccine treatment trial outbreak infection
        patient shortage backlog queue delay closure outage repair upgrade expansion reform measure policy
        rule law bill amendment decree guideline standard target quota limit threshold deadline schedule
        timetable milestone phase stage round session meeting summit visit tour statement letter memo email
        document file record archive dataset figure number share stake merger takeover buyout listing
        dividend profit loss revenue sale export import shipment output demand supply stock reserve inventory"""),
    "verb": _split("""expanded approved rejected delayed announced criticised reviewed suspended extended cancelled
        launched opened closed signed blocked backed funded cut raised lowered doubled halved replaced
        repaired upgraded inspected investigated questioned challenged defended supported opposed welcomed
        condemned ordered requested proposed drafted published released withheld confirmed denied disputed
        settled resolved postponed revived restored reduced increased limited restricted eased tightened
        relaxed adopted amended scrapped shelved finalised completed started resumed paused joined left
        acquired sold bought leased rented built demolished renovated relocated moved transferred hired
        dismissed promoted appointed elected nominated praised blamed warned urged asked told informed
        reassured surprised alarmed divided united"""),
    "prep": _split("for in at on with after before despite under over across near against without about from into"),
    "adjunct": _split("""last week|earlier this month|on Monday|on Tuesday|late on Wednesday|on Thursday morning|
        on Friday evening|over the weekend|after months of debate|for the first time|in a surprise move|
        without much notice|under pressure from residents|ahead of the budget|after a long delay|
        despite strong objections|following a review|amid rising costs|in the coming weeks|
        by the end of the year|within days|for a second time|after talks broke down|in a narrow vote|
        with immediate effect|according to people familiar with the matter|in a brief statement|
        at a crowded meeting|during a visit to the region|as expected""", "|"),
}
_DE = {
    "det": _split("der die das ein eine den dem des mehrere zwei drei viele einige"),
    "adj": _split("""neue alte regionale lokale staatliche private große kleine wichtige umstrittene geplante teure
        günstige schnelle langsame erste letzte ländliche städtische öffentliche digitale soziale"""),
    "noun": _split("""Stadtrat Landkreis Behörde Verwaltung Klinik Schule Brücke Straße Bahnhof Hafen Vertrag Haushalt
        Bericht Plan Projekt Gericht Gewerkschaft Ministerium Ausschuss Bürgermeister Lehrer Pflegekraft
        Betrieb Fabrik Werk Leitung Netz Gebühr Steuer Zuschuss Kredit Rente Lohn Preis Umfrage Prüfung
        Urteil Klage Streik Demonstration Wahl Koalition Fraktion Partei Sprecher Experte Bewohner Mieter
        Eigentümer Kunde Plattform System Impfstoff Engpass Verzögerung Reform Gesetz Verordnung Frist"""),
    "verb": _split("""genehmigte verschob kritisierte prüfte stoppte beschloss verlängerte kündigte bestätigte
        forderte lehnte begrüßte verschärfte lockerte eröffnete schloss senkte erhöhte"""),
    "prep": _split("für in mit nach vor trotz unter über gegen ohne von bei"),
    "adjunct": _split("""am Montag|am Dienstag|in der vergangenen Woche|nach monatelangem Streit|überraschend|
        mit sofortiger Wirkung|nach Angaben von Beteiligten|in einer knappen Abstimmung|bis Jahresende|
        trotz heftiger Kritik""", "|"),
}
_FR = {
    "det": _split("le la les un une des ce cette plusieurs deux trois nombreux"),
    "adj": _split("""nouveau ancien régional local public privé grand petit important contesté coûteux rapide lent
        premier dernier rural urbain numérique social national municipal"""),
    "noun": _split("""conseil municipal préfecture mairie hôpital école pont route gare port contrat budget rapport
        projet tribunal syndicat ministère commission maire enseignant infirmier entreprise usine réseau
        taxe subvention prêt retraite salaire prix sondage enquête jugement recours grève manifestation
        élection coalition parti porte-parole expert habitant locataire propriétaire client plateforme
        vaccin pénurie retard réforme loi décret délai"""),
    "verb": _split("""approuvé reporté critiqué examiné suspendu adopté prolongé annoncé confirmé réclamé rejeté salué
        durci assoupli ouvert fermé réduit augmenté"""),  # past participles: "a " is added
    "prep": _split("pour dans avec après avant malgré sous sur contre sans de chez"),
    "adjunct": _split("""lundi|mardi|la semaine dernière|après des mois de débat|par surprise|avec effet immédiat|
        selon des sources proches du dossier|lors d'un vote serré|d'ici la fin de l'année|
        malgré de vives critiques""", "|"),
}
_LISTS = {"en": _EN, "de": _DE, "fr": _FR}


@cache
def _weights(language: str, part: str) -> tuple[list[str], list[float]]:
    """Words of one part of speech with cumulative Zipf weights (list order is rank order)."""
    words = list(_LISTS[language][part])
    if language == "fr" and part == "verb":
        words = ["a " + w for w in words]
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cum.append(total)
    return words, cum


def _w(rng: random.Random, language: str, part: str) -> str:
    words, cum = _weights(language, part)
    return rng.choices(words, cum_weights=cum)[0]


def filler_sentence(rng: random.Random, language: str = "en", topical: tuple[str, ...] = ()) -> str:
    """One sentence from the grammar; ``topical`` nouns (theme words) are mixed in now and then."""
    def np_(adj: bool = True) -> str:
        noun = rng.choice(topical) if topical and rng.random() < 0.15 else _w(rng, language, "noun")
        if noun.split()[0].lower() in ("the", "die", "der", "den", "das", "la", "le", "les", "l'"):
            return noun  # theme words come with their article
        parts = [_w(rng, language, "det")]
        if adj and rng.random() < 0.6:
            parts.append(_w(rng, language, "adj"))
        return " ".join([*parts, noun])

    verb, prep, adjunct = _w(rng, language, "verb"), _w(rng, language, "prep"), _w(rng, language, "adjunct").strip()
    shape = rng.randrange(5)
    if shape == 0:
        text = f"{np_()} {verb} {np_()} {prep} {np_()} {adjunct}"
    elif shape == 1:
        text = f"{np_(False)} {prep} {np_()} {verb} {np_()}"
    elif shape == 2:
        text = f"{adjunct}, {np_()} {verb} {np_()} {prep} {np_(False)}"
    elif shape == 3:
        text = f"{np_()} {verb} {np_()} and {_w(rng, language, 'verb')} {np_()}" if language == "en" else \
            f"{np_()} {verb} {np_()} {prep} {np_()}"
    else:
        text = f"{np_()} {prep} {np_()} {verb} {np_(False)} {adjunct}"
    return text[0].upper() + text[1:] + "."
