"""Topic tagging of one article: the lexical model for English, section names for the rest."""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.nlp.entities.zones import ArticleText
from pipelines.nlp.topics.cues import SECTION_TOPICS
from pipelines.nlp.topics.lexical import LexicalTopicModel, load_lexical_model
from schemas.records import Entity, Topic

TOPIC_LANGUAGE = "en"


class TopicTagger:
    """Load once (IPTC sheet + model, ~2 s), then ``tag`` articles (~thousands a second)."""

    def __init__(self, model: LexicalTopicModel | None = None) -> None:
        self.model = model if model is not None else load_lexical_model()

    def tag(self, text: ArticleText, section: str | None, language: str | None,
            entities: Sequence[Entity] = ()) -> list[Topic]:
        if language in (TOPIC_LANGUAGE, None):
            return self.model.tag(text, section, entities)
        # The vocabulary is English; other languages get the topic their section names, if any.
        code = SECTION_TOPICS.get((section or "").strip().lower())
        return [Topic(code=code, label=self.model.labels[code], score=1.0)] if code else []
