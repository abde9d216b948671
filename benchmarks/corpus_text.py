"""Story text for the synthetic benchmark corpus: seeded, written from our own templates.

A ``Story`` is what one newsroom writes: theme, people with roles, places, headline,
standfirst and paragraphs. A third of the sentences come from frames whose slots take invented
people and companies, real countries and cities (so NER and the gazetteer have work like they
have on real news) and theme words (so topic tagging has cues); the rest from a small free
grammar (corpus_words.py). German and French stories use smaller frame sets of their own.
Nothing here is copied from an outlet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from benchmarks.corpus_words import filler_sentence

FIRST = ("Amara", "Daniel", "Sofia", "Kwame", "Lena", "Tomas", "Priya", "Mateo", "Hana", "Samuel", "Ingrid", "Omar",
         "Chloe", "Ravi", "Elena", "Jonas", "Fatima", "Lucas", "Mei", "Andre", "Nadia", "Felix", "Aisha", "Marco",
         "Yuki", "Oscar", "Leila", "Pablo", "Zara", "Viktor", "Grace", "Emil", "Noura", "Diego", "Astrid", "Kofi",
         "Irene", "Malik", "Rosa", "Henrik", "Tariq", "Clara", "Joao", "Aiko", "Stefan", "Imani", "Pedro", "Nora",
         "Hugo", "Lina", "Bruno", "Esther", "Karim", "Alma", "Teodor", "Sara", "Idris", "Julia", "Arjun", "Mira",
         "Paulo", "Selin", "Ruben", "Dalia")
SURNAMES = ("Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Brennan", "Castillo", "Mensah", "Novak", "Petrov",
            "Achterberg", "Kamara", "Ferreira", "Oyelaran", "Sato", "Halvorsen", "Dubois", "Rahman", "Kowalczyk",
            "Abiodun", "Navarro", "Mwangi", "Eriksen", "Osei", "Varga", "Lombardi", "Nakamura", "Quispe",
            "Delacroix", "Otieno", "Hartmann", "Bergstrom", "Adeyemi", "Saltzman", "Ruiz", "Iyer", "Fontaine",
            "Kariuki", "Marchetti", "Holloway", "Zielinski", "Nkemelu", "Arslan", "Vasquez", "Lindgren", "Chowdhury",
            "Baptiste", "Wexford", "Morales", "Obi", "Strand", "Kaplan", "Mbeki", "Rossi", "Yilmaz", "Fairbanks",
            "Gallo", "Nwosu", "Vance", "Takeda", "Soto", "Ashworth", "Demir", "Ekwueme", "Larsen", "Pereira",
            "Hoffmann", "Achebe", "Cardoso", "Whitlock", "Mutua", "Renner")
# Real countries and cities (the gazetteer resolves them); demonyms for "Kenyan officials".
PLACES = (
    ("Nairobi", "Kenya", "Kenyan"), ("Mombasa", "Kenya", "Kenyan"), ("Lagos", "Nigeria", "Nigerian"),
    ("Abuja", "Nigeria", "Nigerian"), ("Johannesburg", "South Africa", "South African"),
    ("Cape Town", "South Africa", "South African"), ("Accra", "Ghana", "Ghanaian"), ("Cairo", "Egypt", "Egyptian"),
    ("Addis Ababa", "Ethiopia", "Ethiopian"), ("London", "Britain", "British"), ("Manchester", "Britain", "British"),
    ("Paris", "France", "French"), ("Lyon", "France", "French"), ("Berlin", "Germany", "German"),
    ("Hamburg", "Germany", "German"), ("Madrid", "Spain", "Spanish"), ("Rome", "Italy", "Italian"),
    ("Warsaw", "Poland", "Polish"), ("Stockholm", "Sweden", "Swedish"), ("Oslo", "Norway", "Norwegian"),
    ("Brussels", "Belgium", "Belgian"), ("Tokyo", "Japan", "Japanese"), ("Osaka", "Japan", "Japanese"),
    ("Seoul", "South Korea", "South Korean"), ("Jakarta", "Indonesia", "Indonesian"),
    ("Mumbai", "India", "Indian"), ("New Delhi", "India", "Indian"), ("Sydney", "Australia", "Australian"),
    ("Brisbane", "Australia", "Australian"), ("Wellington", "New Zealand", "New Zealand"),
    ("Toronto", "Canada", "Canadian"), ("Ottawa", "Canada", "Canadian"), ("Chicago", "United States", "U.S."),
    ("Houston", "United States", "U.S."), ("Mexico City", "Mexico", "Mexican"), ("Bogota", "Colombia", "Colombian"),
    ("Lima", "Peru", "Peruvian"), ("Santiago", "Chile", "Chilean"), ("Sao Paulo", "Brazil", "Brazilian"),
    ("Buenos Aires", "Argentina", "Argentine"), ("Istanbul", "Turkey", "Turkish"), ("Athens", "Greece", "Greek"),
    ("Lisbon", "Portugal", "Portuguese"), ("Dublin", "Ireland", "Irish"), ("Vienna", "Austria", "Austrian"),
    ("Manila", "Philippines", "Philippine"), ("Hanoi", "Vietnam", "Vietnamese"), ("Dhaka", "Bangladesh", "Bangladeshi"),
)
INSTITUTIONS = ("International Monetary Fund", "World Bank", "United Nations", "World Health Organization",
                "European Union", "African Union", "European Central Bank", "World Trade Organization",
                "Red Cross", "International Energy Agency", "Asian Development Bank",
                "International Labour Organization")
_CO_FIRST = ("Northwind", "Bluehaven", "Crestline", "Ironbark", "Solvane", "Meridian", "Tallgrass", "Copperleaf",
             "Harbourline", "Redwater", "Quillon", "Stonebridge", "Veltro", "Ashgrove", "Brightwater", "Kestrel",
             "Orinoco", "Palisade", "Silverpine", "Tidewell")
_CO_LAST = ("Logistics", "Mining", "Holdings", "Energy", "Telecom", "Motors", "Foods", "Pharmaceuticals", "Airways",
            "Bank", "Capital", "Steel", "Shipping", "Insurance", "Retail", "Systems")
AGENCIES = ("Reuters", "AP", "AFP", "Bloomberg")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


@dataclass(frozen=True)
class Theme:
    name: str
    section: str
    roles: tuple[str, ...]
    nouns: tuple[str, ...]
    events: tuple[str, ...]
    headlines: tuple[str, ...]


THEMES = (
    Theme("economy", "Business", ("finance minister", "central bank governor", "chief economist", "trade minister"),
          ("inflation", "interest rates", "the currency", "bond yields", "exports", "the budget deficit",
           "fuel prices", "wage growth", "consumer spending", "the trade balance", "public debt", "tax revenue"),
          ("cut its benchmark rate", "raised fuel taxes", "unveiled a new budget", "agreed a loan programme",
           "reported slower growth", "devalued the currency", "tightened import rules"),
          ("{country} {event} as {noun} {moves}", "{surname} warns {noun} will {move_base} this year",
           "{institution} backs {country} plan to curb {noun}", "{company} profit {moves} on weaker {noun}")),
    Theme("politics", "World", ("president", "prime minister", "opposition leader", "foreign minister",
                                "interior minister"),
          ("the coalition", "the reform bill", "the election timetable", "the cabinet", "parliament",
           "the constitution", "the ruling party", "voter registration", "the peace talks", "the border deal"),
          ("reshuffled the cabinet", "called a snap election", "won a confidence vote", "signed a border agreement",
           "vetoed the reform bill", "opened talks with the opposition", "expelled two diplomats"),
          ("{country}'s {surname} {event}", "{surname} vows to push {noun} through before the vote",
           "{country} opposition rejects {noun} as talks stall", "{institution} urges calm as {country} {event}")),
    Theme("disaster", "World", ("civil defence chief", "governor", "fire commissioner", "emergency services minister"),
          ("the floods", "the wildfire", "the earthquake", "the storm surge", "the landslide", "rescue teams",
           "the evacuation", "emergency shelters", "the drought", "aftershocks"),
          ("declared a state of emergency", "ordered evacuations", "deployed the army", "closed schools",
           "opened emergency shelters", "asked for international help"),
          ("{count} dead as {noun} hit {city}", "{country} {event} after {noun} sweep the coast",
           "Thousands flee {city} as {noun} spread", "{surname} says {noun} worst in decades")),
    Theme("health", "Health", ("health minister", "chief medical officer", "hospital director", "epidemiologist"),
          ("the outbreak", "vaccination rates", "hospital admissions", "the new vaccine", "waiting lists",
           "drug prices", "the measles cases", "nurses' pay", "the clinical trial", "malaria infections"),
          ("launched a vaccination drive", "declared the outbreak over", "approved a new treatment",
           "raised health spending", "reported new cases", "ordered an inquiry into hospital deaths"),
          ("{country} {event} as {noun} rise", "{institution} warns on {noun} in {country}",
           "{company} shares jump after {noun} results", "Doctors in {city} strike over {noun}")),
    Theme("sport", "Sport", ("coach", "captain", "team manager", "sports minister", "federation president"),
          ("the final", "the league title", "the transfer window", "the qualifiers", "the semi-final",
           "the championship", "the doping case", "the stadium plan", "the squad", "the marathon"),
          ("won the league title", "sacked the coach", "reached the final", "named a new captain",
           "was banned for doping", "broke the national record"),
          ("{city} side {event}", "{surname} leads {country} into {noun}", "{country} stun rivals to reach {noun}",
           "{surname} quits after defeat in {noun}")),
    Theme("technology", "Technology", ("chief executive", "technology minister", "data protection commissioner",
                                       "chief technology officer"),
          ("the data breach", "the chip plant", "artificial intelligence rules", "the satellite launch",
           "broadband coverage", "the cyber attack", "the app ban", "the spectrum auction", "cloud spending"),
          ("fined the company", "opened a chip plant", "banned the app", "launched a satellite",
           "suffered a cyber attack", "announced job cuts"),
          ("{company} {event} in {country}", "{country} tightens {noun} after {company} row",
           "{surname} says {noun} will create jobs in {city}", "Regulator probes {company} over {noun}")),
    Theme("justice", "World", ("attorney general", "chief justice", "police commissioner", "defence lawyer",
                               "prosecutor"),
          ("the trial", "the corruption case", "the appeal", "the verdict", "the extradition request",
           "the investigation", "bail conditions", "the inquiry", "the sentence", "the arrest warrant"),
          ("convicted a former minister", "ordered a retrial", "arrested the mayor", "froze the assets",
           "charged three officials", "opened a fraud investigation"),
          ("Court in {city} {event}", "{surname} faces {noun} over contracts", "{country} police {event}",
           "Judge delays {noun} of {surname}")),
    Theme("environment", "Environment", ("environment minister", "climate envoy", "energy minister",
                                         "conservation official"),
          ("emissions", "the coal plants", "deforestation", "the solar farm", "the climate fund",
           "the carbon tax", "water shortages", "the marine reserve", "the wind projects", "air pollution"),
          ("approved a carbon tax", "closed its last coal plant", "pledged new climate finance",
           "banned single-use plastics", "expanded the marine reserve", "cancelled an oil licence"),
          ("{country} {event}", "{surname} pledges to halve {noun} by 2035", "{institution} funds {noun} in {country}",
           "{company} drops plan for {noun} near {city}")),
)

_MOVES = ("rises", "falls", "slips", "jumps", "stalls", "eases", "climbs")
_MOVE_BASE = ("rise", "fall", "slow", "climb", "ease", "stay high")
_TIME = ("this year", "next quarter", "by the end of the month", "over the coming weeks", "before the summer",
         "in the second half of the year", "within two years")
_SOURCES = ("officials said", "police said", "the ministry said", "local media reported",
            "according to a government statement", "witnesses said", "a spokesperson said")
_ADVERBS = ("sharply", "slightly", "steadily", "unexpectedly", "for a third month", "faster than forecast")
_OPINIONS = ("the measure came too late", "the plan was unrealistic", "the figures were encouraging",
             "more support was needed", "the decision would be challenged in court", "the risks were rising",
             "the government had ignored warnings", "the talks had made real progress")
_QUOTES = ("We will not accept any delay", "This is a turning point for our country",
           "Families cannot wait any longer", "The numbers speak for themselves",
           "We have done everything the law requires", "Nobody should be surprised by this outcome",
           "Our priority is to protect people's jobs", "There is still a lot of work to do",
           "We expect a decision within days", "The situation remains very serious")
_BOILERPLATE = ("Sign up for our morning briefing to get the day's top stories in your inbox.",
                "This story has been updated with comments from officials.",
                "Additional reporting by our correspondents; editing by the news desk.",
                "Follow our live coverage for the latest developments.",
                "Readers can send news tips to our newsroom through the contact page.")

# Sentence frames. Slots: {intro} first mention with role, {surname}, {city}, {country}, {demonym},
# {org}, {company}, {noun}/{noun2}, {event}, {num}, {pct}, {day}, {month}, {time}, {source},
# {adverb}, {opinion}, {quote}, {other} a second person introduced with a role.
_FRAMES = (
    "{intro} said on {day} that {noun} would {move_base} {time}.",
    "{surname} told reporters in {city} that the government was watching {noun} closely.",
    "The {org} said in a statement that {noun} had risen {adverb} in {month}.",
    "“{quote},” {surname} said.",
    "“{quote},” {surname} told a news conference in {city}, adding that {opinion}.",
    "Analysts at {company} said {noun} was likely to {move_base} {time}, citing {noun2}.",
    "{num} people were affected in and around {city}, {source}.",
    "The announcement came two days after {country} {event}.",
    "{demonym} officials have been under pressure over {noun} since {month}, when {noun2} first made headlines.",
    "{other} said {opinion}.",
    "Critics, including {other}, said {opinion}.",
    "The {org} estimates that {noun} will cost about {num} million dollars {time}.",
    "In {city}, residents said {noun} had already changed daily life, with {noun2} a constant worry.",
    "{surname} is expected to meet representatives of the {org} in {city} on {day}.",
    "Figures released on {day} showed {noun} up {pct} percent from a year earlier.",
    "The government has said {noun} is its top priority, though {noun2} has slowed progress.",
    "Shares in {company} fell {pct} percent in early trading after the news.",
    "{country} has {event} twice in the past decade, most recently in {month}.",
    "Neither {surname} nor the {org} responded to requests for comment.",
    "Talks between {country} and the {org} on {noun} are due to resume {time}.",
    "Officials in {city} said {num} extra staff had been assigned to deal with {noun}.",
    "A spokesperson for {company} said the company was studying the decision and would respond {time}.",
    "Opposition lawmakers said {opinion} and called for a debate on {noun}.",
    "The {demonym} statistics office said {noun} grew {pct} percent in the three months to {month}.",
    "Residents of {city} have complained for years about {noun}, and local groups say {opinion}.",
    "{surname} said the decision on {noun} would be reviewed {time}.",
    "On {day}, hundreds of people gathered outside the offices of the {org} in {city}.",
    "Previous efforts to tackle {noun} stalled when {noun2} became a political issue.",
    "The plan still needs approval from parliament, where the ruling party lacks a majority.",
    "{other}, who has long criticised the policy, said {opinion}.",
)
# Lead paragraphs: datelines are added by the renderers, so leads start with the news.
_LEADS = (
    "{intro} on {day} {event}, a move that {opinion_short} as {noun} {moves_lower} {adverb}.",
    "{country} {event} on {day}, {source}, after weeks of pressure over {noun}.",
    "The {org} said on {day} that {country} had {event}, in a step expected to shape {noun} {time}.",
    "{intro} {event} on {day}, saying {noun} could no longer wait.",
)
# Share of body sentences from the frames above (people, places, quotes: what NER and topics need);
# the rest come from the free grammar of corpus_words, which keeps unrelated articles apart.
FRAME_SHARE = 0.4
_OPINION_SHORT = ("surprised many analysts", "had been widely expected", "drew sharp criticism",
                  "was welcomed by business groups", "opposition parties called rushed")


@dataclass
class Person:
    name: str
    role: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass
class Story:
    """One newsroom's article before it is rendered into a page, a record or an HTML document."""

    key: str
    language: str
    section: str
    headline: str
    standfirst: str
    paragraphs: list[str]
    city: str
    country: str
    published: datetime
    authors: list[str]
    agency: str | None
    caption: str
    photographer: str
    extra: dict[str, str] = field(default_factory=dict)

    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def person(rng: random.Random, role: str) -> Person:
    return Person(f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}", role)


def company(rng: random.Random) -> str:
    return f"{rng.choice(_CO_FIRST)} {rng.choice(_CO_LAST)}"


class _Slots(dict):
    """Slot values for one story; random fillers are drawn fresh for each use."""

    def __init__(self, rng: random.Random, theme: Theme, lead: Person, other: Person,
                 place: tuple[str, str, str]) -> None:
        super().__init__(city=place[0], country=place[1], demonym=place[2])
        self.rng, self.theme, self.lead, self.other_person = rng, theme, lead, other
        self.introduced = {"lead": False, "other": False}

    def _intro(self, who: str, p: Person) -> str:
        if self.introduced[who]:
            return p.surname
        self.introduced[who] = True
        return f"{self['demonym']} {p.role} {p.name}" if who == "lead" else f"{p.role} {p.name}"

    def __missing__(self, key: str) -> str:
        r, t = self.rng, self.theme
        if key in ("intro", "surname"):  # whichever comes first introduces the person
            return self._intro("lead", self.lead)
        if key == "other":
            return self._intro("other", self.other_person)
        value = {
            "noun": lambda: r.choice(t.nouns), "noun2": lambda: r.choice(t.nouns), "event": lambda: r.choice(t.events),
            "org": lambda: r.choice(INSTITUTIONS), "company": lambda: company(r),
            "num": lambda: f"{r.randint(2, 950):,}", "pct": lambda: f"{r.randint(1, 19)}.{r.randint(0, 9)}",
            "day": lambda: r.choice(WEEKDAYS), "month": lambda: r.choice(MONTHS), "time": lambda: r.choice(_TIME),
            "source": lambda: r.choice(_SOURCES), "adverb": lambda: r.choice(_ADVERBS),
            "opinion": lambda: r.choice(_OPINIONS), "quote": lambda: r.choice(_QUOTES),
            "move_base": lambda: r.choice(_MOVE_BASE), "moves": lambda: r.choice(_MOVES),
            "moves_lower": lambda: r.choice(_MOVES), "opinion_short": lambda: r.choice(_OPINION_SHORT),
            "institution": lambda: r.choice(INSTITUTIONS), "count": lambda: str(r.randint(3, 80)),
        }[key]()
        return value


def _fill(template: str, slots: _Slots) -> str:
    out = template.format_map(slots)
    return out[0].upper() + out[1:]


def english_story(rng: random.Random, key: str, published: datetime, wire: bool) -> Story:
    theme = rng.choice(THEMES)
    place = rng.choice(PLACES)
    lead = person(rng, rng.choice(theme.roles))
    other = person(rng, rng.choice(("opposition lawmaker", "union leader", "analyst", "economist",
                                    "business group head", "rights campaigner", "former minister")))
    slots = _Slots(rng, theme, lead, other, place)
    headline_slots = dict(slots, surname=lead.surname, company=company(rng), noun=rng.choice(theme.nouns),
                          event=rng.choice(theme.events), institution=rng.choice(INSTITUTIONS),
                          moves=rng.choice(_MOVES), move_base=rng.choice(_MOVE_BASE), count=str(rng.randint(3, 80)))
    headline = rng.choice(theme.headlines).format_map(headline_slots)
    headline = headline[0].upper() + headline[1:]
    paragraphs = [_fill(rng.choice(_LEADS), slots)]
    for _ in range(rng.randint(7, 20)):  # ~200-1,000 words, median ~400: the spread of real news copy
        paragraphs.append(" ".join(_fill(rng.choice(_FRAMES), slots) if rng.random() < FRAME_SHARE
                                   else filler_sentence(rng, "en", theme.nouns) for _ in range(rng.randint(1, 3))))
    standfirst = _fill(f"{rng.choice(_OPINIONS)} as {rng.choice(theme.nouns)} {rng.choice(_MOVES)}", slots) + "."
    authors = [person(rng, "").name for _ in range(rng.choice((1, 1, 1, 2)))]
    return Story(key=key, language="en", section=theme.section, headline=headline, standfirst=standfirst,
                 paragraphs=paragraphs, city=place[0], country=place[1], published=published, authors=authors,
                 agency=rng.choice(AGENCIES) if wire else None,
                 caption=f"{lead.name} speaks to reporters in {place[0]}, {place[1]}",
                 photographer=person(rng, "").name, extra={"theme": theme.name})


_DE = {
    "headlines": ("{city}: Regierung beschließt neues Paket gegen {noun}", "Streit um {noun} in {city} spitzt sich zu",
                  "{surname} kündigt Reform bei {noun} an", "{actor} fordert schnelle Hilfe wegen {noun}"),
    "nouns": ("die Inflation", "den Wohnungsmangel", "die Energiepreise", "den Fachkräftemangel", "die Bahnstreiks",
              "die Haushaltslücke", "die Schulreform", "die Mietpreise", "die Pflegekosten", "den Ausbau der Windkraft",
              "die Grundsteuer", "die Kita-Plätze", "das Hochwasser", "die Rentenreform", "den Nahverkehr"),
    "actors": ("die Opposition", "der Städtetag", "die Gewerkschaft", "der Mieterbund", "die Landesregierung",
               "der Arbeitgeberverband", "die Verbraucherzentrale", "der Bauernverband", "die Stadtverwaltung"),
    "frames": ("{name} sagte am {day} in {city}, man werde {noun} entschlossen angehen.",
               "Nach Angaben der Behörden sind rund {num} Menschen in {city} von {noun2} betroffen.",
               "„Wir dürfen keine Zeit verlieren“, sagte {surname} am {day} vor Journalisten.",
               "{actor} kritisierte den Plan zu {noun} als zu spät und zu teuer.",
               "{actor} begrüßte die Entscheidung, forderte aber weitere Schritte gegen {noun2}.",
               "Bereits im {month} hatte die Regierung Maßnahmen gegen {noun} angekündigt.",
               "Experten rechnen damit, dass sich {noun2} erst im kommenden Jahr entspannt.",
               "Der Bundestag soll sich noch vor der Sommerpause mit {noun} befassen.",
               "Im vergangenen Jahr stiegen die Ausgaben für {noun} um {pct} Prozent auf {num} Millionen Euro.",
               "{actor} in {city} warnte am {day} vor den Folgen für {noun2}.",
               "Laut einer Umfrage halten {pct} Prozent der Befragten {noun} für das größte Problem.",
               "Ein Sprecher von {actor} sagte, man prüfe rechtliche Schritte gegen die Pläne zu {noun}.",
               "{surname} kündigte an, im {month} einen Gesetzentwurf zu {noun2} vorzulegen.",
               "In {city} demonstrierten am {day} nach Polizeiangaben etwa {num} Menschen gegen {noun}."),
    "days": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"),
    "months": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "September", "Oktober", "November"),
}
_FR = {
    "headlines": ("{city} : le gouvernement présente un plan contre {noun}", "{surname} promet d'agir sur {noun}",
                  "Colère à {city} face à {noun}", "{actor} réclame des mesures contre {noun}"),
    "nouns": ("la hausse des prix", "la crise du logement", "la réforme des retraites", "la pénurie de médecins",
              "la sécheresse", "le déficit public", "la grève des transports", "le chômage des jeunes",
              "la fermeture des classes", "le prix de l'électricité", "les inondations", "la dette des hôpitaux",
              "l'accès aux soins", "la réforme de l'assurance chômage", "les loyers"),
    "actors": ("l'opposition", "la CGT", "les maires", "le patronat", "les associations de locataires",
               "la préfecture", "le conseil régional", "les agriculteurs", "les syndicats d'enseignants"),
    "frames": ("{name} a déclaré {day} à {city} que le gouvernement allait s'attaquer à {noun}.",
               "Selon les autorités, environ {num} personnes sont concernées par {noun2} à {city}.",
               "« Nous ne pouvons plus attendre », a affirmé {surname} {day} devant la presse.",
               "{actor} a dénoncé un plan sur {noun} jugé tardif et insuffisant.",
               "{actor} a appelé à une nouvelle journée de mobilisation contre {noun2}.",
               "Dès le mois de {month}, l'exécutif avait annoncé des mesures contre {noun}.",
               "Les économistes estiment que {noun2} ne s'améliorera pas avant l'an prochain.",
               "Le texte sur {noun} doit être examiné par l'Assemblée nationale avant l'été.",
               "L'an dernier, les dépenses liées à {noun} ont augmenté de {pct} % "
               "pour atteindre {num} millions d'euros.",
               "À {city}, {actor} a mis en garde {day} contre les conséquences pour {noun2}.",
               "Selon un sondage, {pct} % des Français jugent {noun} prioritaire.",
               "Un porte-parole de {actor} a indiqué étudier un recours contre le projet sur {noun}.",
               "{surname} a promis de présenter en {month} un projet de loi sur {noun2}.",
               "Quelque {num} personnes ont manifesté {day} à {city} contre {noun}, selon la police."),
    "days": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"),
    "months": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre"),
}
_DE_PLACES = ("Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Leipzig", "Dresden", "Stuttgart")
_FR_PLACES = ("Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Nantes", "Strasbourg")


def foreign_story(rng: random.Random, key: str, published: datetime, language: str) -> Story:
    """A German or French story: fewer frames than English; NER skips them, topics use the section."""
    lang = _DE if language == "de" else _FR
    city = rng.choice(_DE_PLACES if language == "de" else _FR_PLACES)
    name = person(rng, "").name
    surname = name.split()[-1]
    noun = rng.choice(lang["nouns"])

    def fill(t: str) -> str:
        out = t.format(name=name, surname=surname, city=city, num=f"{rng.randint(2, 900)}",
                       pct=f"{rng.randint(2, 60)}", noun=noun if rng.random() < 0.5 else rng.choice(lang["nouns"]),
                       noun2=rng.choice(lang["nouns"]), actor=rng.choice(lang["actors"]),
                       day=rng.choice(lang["days"]), month=rng.choice(lang["months"]))
        return out[0].upper() + out[1:]

    paragraphs = [" ".join(fill(rng.choice(lang["frames"])) if rng.random() < FRAME_SHARE
                           else filler_sentence(rng, language, lang["nouns"]) for _ in range(rng.randint(1, 3)))
                  for _ in range(rng.randint(5, 12))]
    section = ("Politik" if language == "de" else "Politique")
    standfirst = fill(rng.choice(lang["frames"]))
    return Story(key=key, language=language, section=section, headline=fill(rng.choice(lang["headlines"])),
                 standfirst=standfirst, paragraphs=paragraphs, city=city,
                 country="Germany" if language == "de" else "France", published=published,
                 authors=[person(rng, "").name], agency=None, caption=f"{name} in {city}",
                 photographer=person(rng, "").name)


def near_copy(rng: random.Random, story: Story, key: str, delay_minutes: int) -> Story:
    """A republication of a wire story: new headline, trimmed tail, light edits, outlet boilerplate."""
    keep = max(3, len(story.paragraphs) - rng.randint(0, 2))
    paragraphs = list(story.paragraphs[:keep])
    edits = max(1, sum(len(p.split()) for p in paragraphs) // 80)
    for _ in range(edits):  # copy-editing: a word added here and there, never at a sentence start
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        j = rng.randrange(1, len(words)) if len(words) > 1 else 0
        if j and not words[j - 1].endswith((".", "!", "?", "”", "\"")):
            words.insert(j, rng.choice(("also", "now", "recently", "again", "still")))
        paragraphs[i] = " ".join(words)
    if rng.random() < 0.6:
        paragraphs.append(rng.choice(_BOILERPLATE))
    headline = f"{story.country}: {story.headline}" if rng.random() < 0.5 else story.headline + ", officials say"
    return replace(story, key=key, headline=headline, paragraphs=paragraphs,
                   published=story.published + timedelta(minutes=delay_minutes),
                   authors=["Agency Staff"] if rng.random() < 0.5 else [story.agency or "Staff"])
