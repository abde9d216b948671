"""A light, CPU-cheap topic tagger: TF-IDF over IPTC Media Topic names and definitions.

Each of the 17 top-level topics gets one weighted bag of terms (stemmed words and word pairs)
from its own name and definition and those of every topic below it in the hierarchy, so a match
on a sub-topic ("interest rate", "armed conflict", "measles") counts for its top-level parent.
Everyday news words (cues.NEWS_WORDS) are added to each bag. Terms are weighted by IDF across
the 17 bags and each bag is L2-normalised. An article is scored by the cosine between its own
zone-weighted term vector (headline counts most) and each bag, then nudged by the section name
and by words in its organisations' names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from pipelines.nlp.entities.zones import BODY, HEADLINE, LEAD, STANDFIRST, ArticleText
from pipelines.nlp.topics.cues import NEWS_WORDS, ORG_HEAD_WORDS, SECTION_TOPICS
from pipelines.nlp.topics.taxonomy import Taxonomy, load_taxonomy
from schemas.records import Entity, Topic

MAX_TOPICS = 3
# A second or third topic is kept only if it scores at least this share of the first
# (0.5 gave the best topic-set F1 on the dev split: 0.935, against 0.933 at 0.6 and 0.811 at 0.4).
SECONDARY_RATIO = 0.5
SECTION_BOOST = 0.35   # added to the section's topic, as a share of the best text score
ORG_BOOST = 0.05       # per organisation whose name holds a topic word, same scale

# How much a term counts in a topic's bag, by where it comes from.
_OWN_LABEL, _SUB_LABEL, _DEFINITION, _NEWS_WORD = 3.0, 2.0, 0.7, 1.5
# How much an article's term counts, by zone.
_ZONE_WEIGHTS = {HEADLINE: 3.0, STANDFIRST: 2.0, LEAD: 1.5, BODY: 1.0}

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_STOPWORD_TEXT = """a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just me more most
my no nor not now of off on once only or other our out over own same she should so some such than that
the their them then there these they this those through to too under until up very was we were what
when where which while who whom why will with would you your said says say new one two three year
years last first week month months day days told including include includes such other others well
may might must like per according people time since back still many much made make makes get got
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """A deliberately crude English stemmer: enough to meet "strikes"/"strike", "rates"/"rate"."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + repl
    return word


def terms(text: str) -> list[str]:
    """Stemmed content words and adjacent word pairs of a text."""
    words = [stem(w.strip("'-")) for w in _WORD.findall(text.lower().replace("\u2019", "'"))]
    words = [w for w in words if w and w not in STOPWORDS and len(w) > 1]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class LexicalTopicModel:
    vectors: dict[str, dict[str, float]]  # top-level code -> L2-normalised term weights
    idf: dict[str, float]
    labels: dict[str, str]

    def score_text(self, text: ArticleText) -> dict[str, float]:
        """Cosine of the article's weighted term vector with each top-level topic."""
        counts: Counter[str] = Counter()
        ends = (*text.starts[1:], len(text.text))
        for start, end, zone in zip(text.starts, ends, text.names, strict=True):
            weight = _ZONE_WEIGHTS.get(zone, 1.0)
            for term in terms(text.text[start:end]):
                if term in self.idf:
                    counts[term] += weight
        vec = {t: (1 + math.log(c)) * self.idf[t] for t, c in counts.items() if c >= 1} | {
            t: c * self.idf[t] for t, c in counts.items() if c < 1}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {code: sum(w * topic.get(t, 0.0) for t, w in vec.items()) / norm
                for code, topic in self.vectors.items()}

    def tag(self, text: ArticleText, section: str | None = None,
            entities: Sequence[Entity] = ()) -> list[Topic]:
        """1 to 3 top-level topics, best first; empty only for an article with no usable text."""
        scores = self.score_text(text)
        best = max(scores.values(), default=0.0)
        if best <= 0.0:
            return []
        for code, boost in _metadata_boosts(section, entities).items():
            scores[code] = scores.get(code, 0.0) + boost * best
        return select_topics(scores, self.labels)


def select_topics(scores: dict[str, float], labels: dict[str, str]) -> list[Topic]:
    """The best topic, plus up to two more that come close; scores as shares of the total."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(max(v, 0.0) for v in scores.values()) or 1.0
    top = ranked[0][1]
    keep = [ranked[0]] + [(c, v) for c, v in ranked[1:MAX_TOPICS] if v >= SECONDARY_RATIO * top]
    return [Topic(code=c, label=labels[c], score=round(v / total, 4)) for c, v in keep]


def _metadata_boosts(section: str | None, entities: Sequence[Entity]) -> dict[str, float]:
    boosts: Counter[str] = Counter()
    key = (section or "").strip().lower()
    if key in SECTION_TOPICS:
        boosts[SECTION_TOPICS[key]] += SECTION_BOOST
    for entity in entities:
        if entity.type != "ORG":
            continue
        for word in entity.name.lower().split():
            if word in ORG_HEAD_WORDS:
                boosts[ORG_HEAD_WORDS[word]] += ORG_BOOST
    return dict(boosts)


def build_lexical_model(taxonomy: Taxonomy, news_words: dict[str, str] | None = None) -> LexicalTopicModel:
    """Bags of terms per top-level topic from the whole hierarchy below it."""
    news_words = NEWS_WORDS if news_words is None else news_words
    bags: dict[str, Counter[str]] = {t.code: Counter() for t in taxonomy.top_level}
    for topic in taxonomy.topics.values():
        bag = bags[topic.top]
        label_weight = _OWN_LABEL if topic.level == 1 else _SUB_LABEL / math.sqrt(topic.level - 1)
        _add(bag, terms(topic.label), label_weight)
        _add(bag, terms(topic.definition), _DEFINITION / max(1, topic.level - 1))
    for code, words in news_words.items():
        _add(bags[code], terms(words), _NEWS_WORD)
    df = Counter(t for bag in bags.values() for t in bag)
    n = len(bags)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    vectors = {}
    for code, bag in bags.items():
        vec = {t: (1 + math.log(1 + w)) * idf[t] for t, w in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors[code] = {t: v / norm for t, v in vec.items()}
    labels = {t.code: t.label for t in taxonomy.top_level}
    return LexicalTopicModel(vectors=vectors, idf=idf, labels=labels)


def _add(bag: Counter[str], items: Iterable[str], weight: float) -> None:
    for item in items:
        bag[item] += weight


@lru_cache(maxsize=1)
def load_lexical_model() -> LexicalTopicModel:
    return build_lexical_model(load_taxonomy())
