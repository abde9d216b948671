"""Optional topic tagger: all-MiniLM-L6-v2 embeddings of the article against every IPTC topic.

Every active Media Topic is embedded as "name: definition"; an article (headline, standfirst and
opening paragraphs, up to the model's 256 tokens) is scored against each top-level topic by its
best-matching topic anywhere in that subtree, so a sub-topic's match counts for its top-level
parent. Section names nudge the scores as in the lexical tagger. Needs the optional model
package (requirements/embeddings.txt); see README "Data and models" for its measured quality.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipelines.nlp.entities.zones import BODY, HEADLINE, LEAD, STANDFIRST, ArticleText
from pipelines.nlp.topics.cues import SECTION_TOPICS
from pipelines.nlp.topics.lexical import SECTION_BOOST, select_topics
from pipelines.nlp.topics.minilm import MiniLM, load_minilm
from pipelines.nlp.topics.taxonomy import Taxonomy, load_taxonomy
from schemas.records import Entity, Topic


@dataclass
class EmbeddingTopicModel:
    encoder: MiniLM
    matrix: np.ndarray        # one unit row per Media Topic
    tops: list[str]           # top-level code of each row
    labels: dict[str, str]    # top-level code -> label

    def score_texts(self, texts: Sequence[ArticleText]) -> list[dict[str, float]]:
        vectors = self.encoder.encode([_article_input(t) for t in texts])
        sims = vectors @ self.matrix.T
        out = []
        for row in sims:
            best: dict[str, float] = {}
            for top, sim in zip(self.tops, row, strict=True):
                best[top] = max(best.get(top, -1.0), float(sim))
            out.append({code: max(v, 0.0) for code, v in best.items()})
        return out

    def tag_many(self, texts: Sequence[ArticleText], sections: Sequence[str | None]) -> list[list[Topic]]:
        results = []
        for scores, section in zip(self.score_texts(texts), sections, strict=True):
            best = max(scores.values(), default=0.0)
            code = SECTION_TOPICS.get((section or "").strip().lower())
            if code and best > 0:
                scores[code] += SECTION_BOOST * best
            results.append(select_topics(scores, self.labels) if best > 0 else [])
        return results

    def tag(self, text: ArticleText, section: str | None = None, entities: Sequence[Entity] = ()) -> list[Topic]:
        return self.tag_many([text], [section])[0]


def _article_input(text: ArticleText) -> str:
    # The encoder reads 256 tokens: headline, standfirst and the opening paragraphs fill them.
    return text.zone_text(HEADLINE, STANDFIRST, LEAD, BODY)


def build_embedding_model(taxonomy: Taxonomy | None = None, encoder: MiniLM | None = None) -> EmbeddingTopicModel:
    taxonomy = taxonomy or load_taxonomy()
    encoder = encoder or load_minilm()
    topics = list(taxonomy.topics.values())
    matrix = encoder.encode([f"{t.label}: {t.definition}" if t.definition else t.label for t in topics])
    return EmbeddingTopicModel(encoder=encoder, matrix=matrix, tops=[t.top for t in topics],
                               labels={t.code: t.label for t in taxonomy.top_level})
