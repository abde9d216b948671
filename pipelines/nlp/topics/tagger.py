"""Topic tagging of articles: lexical (default) or embeddings for English, section names otherwise."""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.nlp.entities.zones import ArticleText
from pipelines.nlp.topics.cues import SECTION_TOPICS
from pipelines.nlp.topics.lexical import load_lexical_model
from schemas.records import Entity, Topic

TOPIC_LANGUAGE = "en"
METHODS = ("lexical", "embeddings")


class TopicTagger:
    """Load once (IPTC sheet + model), then tag articles.

    ``lexical``: TF-IDF over the IPTC hierarchy, ~1,000 articles/s. ``embeddings``: all-MiniLM-L6-v2
    (optional package, see requirements/embeddings.txt), far slower on a CPU.
    """

    def __init__(self, method: str = "lexical") -> None:
        if method not in METHODS:
            raise ValueError(f"unknown topic method {method!r}; choose one of {METHODS}")
        self.method = method
        if method == "embeddings":
            from pipelines.nlp.topics.embedding import build_embedding_model

            self.model = build_embedding_model()
        else:
            self.model = load_lexical_model()

    def tag(self, text: ArticleText, section: str | None, language: str | None,
            entities: Sequence[Entity] = ()) -> list[Topic]:
        return self.tag_batch([text], [section], [language], [entities])[0]

    def tag_batch(self, texts: Sequence[ArticleText], sections: Sequence[str | None],
                  languages: Sequence[str | None], entities: Sequence[Sequence[Entity]]) -> list[list[Topic]]:
        """Topics for each article; English ones through the model in one call."""
        out: list[list[Topic]] = [self._by_section(s) for s in sections]
        todo = [i for i, lang in enumerate(languages) if lang in (TOPIC_LANGUAGE, None)]
        if self.method == "embeddings":
            tagged = self.model.tag_many([texts[i] for i in todo], [sections[i] for i in todo])
        else:
            tagged = [self.model.tag(texts[i], sections[i], entities[i]) for i in todo]
        for i, topics in zip(todo, tagged, strict=True):
            out[i] = topics
        return out

    def _by_section(self, section: str | None) -> list[Topic]:
        # The vocabulary is English; other languages get the topic their section names, if any.
        code = SECTION_TOPICS.get((section or "").strip().lower())
        return [Topic(code=code, label=self.model.labels[code], score=1.0)] if code else []
