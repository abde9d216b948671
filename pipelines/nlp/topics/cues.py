"""Evidence for topics beyond the IPTC sheet: everyday news words, section names, entity names.

The IPTC names and definitions are written for librarians ("Acts of socially or politically
motivated protest or violence"); reporters write "troops", "shelling", "striker". These short
lists, keyed by top-level Media Topic, add that vocabulary. Words are stemmed like article text
(see ``lexical.stem``), so list one form per word.
"""

from __future__ import annotations

ARTS = "medtop:01000000"
CRIME = "medtop:02000000"
DISASTER = "medtop:03000000"
ECONOMY = "medtop:04000000"
EDUCATION = "medtop:05000000"
ENVIRONMENT = "medtop:06000000"
HEALTH = "medtop:07000000"
HUMAN_INTEREST = "medtop:08000000"
LABOUR = "medtop:09000000"
LIFESTYLE = "medtop:10000000"
POLITICS = "medtop:11000000"
RELIGION = "medtop:12000000"
SCIENCE = "medtop:13000000"
SOCIETY = "medtop:14000000"
SPORT = "medtop:15000000"
CONFLICT = "medtop:16000000"
WEATHER = "medtop:17000000"

NEWS_WORDS: dict[str, str] = {
    ARTS: "film movie actor actress director festival album singer band concert novel author book "
          "museum exhibition gallery painting artist theatre opera orchestra award prize premiere "
          "curator sculpture documentary television series broadcaster streaming box-office",
    CRIME: "police arrest arrested charged court trial jury judge prosecutor convicted sentenced "
           "jailed prison fraud murder theft smuggling cartel gang suspect investigation lawsuit "
           "guilty verdict appeal extradition crime criminal detective laundering",
    DISASTER: "earthquake flood floods landslide tsunami wildfire fire explosion crash collapse "
              "rescue rescuers evacuated victims killed injured emergency disaster accident "
              "derailment eruption volcano cyclone hurricane typhoon casualties debris",
    ECONOMY: "economy economic inflation interest rate rates market markets stock stocks shares "
             "investor investors bank banks revenue profit earnings quarter sales company companies "
             "trade exports imports tariff tariffs growth gdp currency dollar euro yuan bond bonds "
             "budget deficit oil prices price barrel chipmaker analyst analysts",
    EDUCATION: "school schools pupil pupils student students university universities teacher "
               "teachers exam exams curriculum tuition campus degree graduate enrol lecturer",
    ENVIRONMENT: "climate emissions carbon deforestation forest pollution biodiversity species "
                 "conservation wildlife renewable fossil warming glacier ice ocean plastic "
                 "environmental ecosystem drought sustainability",
    HEALTH: "health hospital hospitals doctor doctors patient patients disease virus vaccine "
            "vaccination outbreak infection cases medicine medical drug treatment cancer malaria "
            "measles pandemic epidemic nurse clinic clinics immunisation",
    HUMAN_INTEREST: "centenarian anniversary reunion heartwarming celebrity royal wedding birthday pet",
    LABOUR: "strike strikes union unions worker workers wage wages pay employment unemployment job "
            "jobs labour employer employers walkout picket pension contract negotiator",
    LIFESTYLE: "travel tourism tourist tourists holiday hotel restaurant food recipe fashion "
               "guesthouse visitor visitors leisure hobby garden cuisine wine",
    POLITICS: "election elections vote voters parliament minister ministers president government "
              "party parties coalition opposition senate congress lawmaker lawmakers cabinet "
              "campaign policy legislation bill referendum diplomatic summit treaty sanction "
              "sanctions ambassador prime chancellor pact ratify ratification decree alliance ally "
              "allies diplomacy diplomat",
    RELIGION: "pope church mosque temple faith religious worshipper worshippers catholic muslim "
              "christian jewish hindu buddhist bishop imam pilgrim pilgrimage vatican prayer mass",
    SCIENCE: "science scientist scientists research researcher researchers study spacecraft space "
             "nasa probe satellite telescope physics chemistry biology technology software chip "
             "chips artificial intelligence ai data computer robot laboratory journal",
    SOCIETY: "homeless homelessness housing poverty welfare migrant migrants refugee refugees "
             "discrimination equality rights family families community charity inequality",
    SPORT: "match goal goals scored win won beat league cup championship tournament final "
           "semi-final coach manager player players team club striker midfielder champion "
           "olympic medal race tennis football cricket rugby golf athlete season wicket test",
    CONFLICT: "war troops army military soldier soldiers attack attacks missile missiles drone "
              "drones shelling airstrike strikes ceasefire invasion offensive front fighting "
              "rebels militia hostages combat weapons defence insurgent frontline",
    WEATHER: "weather heatwave temperature temperatures forecast forecasters rain rainfall storm "
             "snow monsoon meteorological celsius heat cold wind",
}

# Section names outlets use, lower-cased, mapped to a top-level topic.
SECTION_TOPICS: dict[str, str] = {
    "sport": SPORT, "sports": SPORT, "football": SPORT, "soccer": SPORT, "cricket": SPORT,
    "rugby": SPORT, "tennis": SPORT, "golf": SPORT, "motorsport": SPORT, "athletics": SPORT,
    "business": ECONOMY, "markets": ECONOMY, "economy": ECONOMY, "money": ECONOMY,
    "finance": ECONOMY, "companies": ECONOMY, "personal finance": ECONOMY,
    "health": HEALTH, "wellbeing": HEALTH,
    "science": SCIENCE, "technology": SCIENCE, "tech": SCIENCE, "science and technology": SCIENCE,
    "arts": ARTS, "culture": ARTS, "entertainment": ARTS, "film": ARTS, "music": ARTS,
    "books": ARTS, "television": ARTS, "tv": ARTS, "media": ARTS, "arts and culture": ARTS,
    "environment": ENVIRONMENT, "climate": ENVIRONMENT, "climate change": ENVIRONMENT,
    "politics": POLITICS, "government": POLITICS, "elections": POLITICS,
    "crime": CRIME, "courts": CRIME, "law": CRIME, "justice": CRIME,
    "weather": WEATHER, "education": EDUCATION, "schools": EDUCATION,
    "travel": LIFESTYLE, "lifestyle": LIFESTYLE, "food": LIFESTYLE, "food and drink": LIFESTYLE,
    "fashion": LIFESTYLE, "motoring": LIFESTYLE, "religion": RELIGION, "faith": RELIGION,
    "society": SOCIETY, "work": LABOUR, "careers": LABOUR, "jobs": LABOUR, "defence": CONFLICT,
}

# Words in organisation names that point to a topic ("Arsenal FC", "Supreme Court").
ORG_HEAD_WORDS: dict[str, str] = {
    "fc": SPORT, "league": SPORT, "olympic": SPORT, "fifa": SPORT, "uefa": SPORT,
    "court": CRIME, "police": CRIME, "prosecutor": CRIME,
    "bank": ECONOMY, "reserve": ECONOMY, "exchange": ECONOMY, "opec": ECONOMY,
    "party": POLITICS, "parliament": POLITICS, "senate": POLITICS, "congress": POLITICS,
    "assembly": POLITICS, "ministry": POLITICS,
    "university": EDUCATION, "school": EDUCATION, "college": EDUCATION,
    "church": RELIGION, "mosque": RELIGION, "vatican": RELIGION,
    "hospital": HEALTH, "health": HEALTH, "nhs": HEALTH,
    "army": CONFLICT, "forces": CONFLICT, "military": CONFLICT, "nato": CONFLICT,
    "museum": ARTS, "gallery": ARTS, "festival": ARTS,
}
