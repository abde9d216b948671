"""Topic top-1 accuracy (and topic-set precision/recall) against the labelled set.

top-1 accuracy: the tagger's first topic is one of the article's gold top-level topics.
strict top-1: it is the gold topic listed first (the main one). Set scores compare all 1-3
predicted topics with all gold topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.nlp.entities.evaluate import Counts, _splits, _subset
from pipelines.nlp.gold import GoldArticle
from schemas.records import Topic


@dataclass
class TopicReport:
    articles: int = 0
    top1: int = 0
    strict: int = 0
    sets: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        n = self.articles or 1
        return [
            f"articles: {self.articles}",
            f"top-1 accuracy: {self.top1 / n:.1%} ({self.top1}/{self.articles})   "
            f"strict (main gold topic): {self.strict / n:.1%}",
            f"topic sets: precision {self.sets.precision:.3f}  recall {self.sets.recall:.3f}  "
            f"F1 {self.sets.f1:.3f}",
        ]


def score_topics(gold: Sequence[GoldArticle], predicted: Sequence[Sequence[Topic]]) -> TopicReport:
    report = TopicReport()
    for g, topics in zip(gold, predicted, strict=True):
        report.articles += 1
        codes = [t.code for t in topics]
        first = codes[0] if codes else None
        report.top1 += first in g.topics
        report.strict += first == g.topics[0]
        report.sets.tp += len(set(codes) & set(g.topics))
        report.sets.fp += len(set(codes) - set(g.topics))
        report.sets.fn += len(set(g.topics) - set(codes))
        if first not in g.topics:
            report.errors.append(f"{g.article.id} top-1 {first} not in gold {list(g.topics)}")
    return report



def evaluate_topics(gold: Sequence[GoldArticle]) -> dict[str, TopicReport]:
    """Run NER (for entity cues) and the topic tagger once; reports per split and for all."""
    from pipelines.nlp.entities.ner import EntityExtractor
    from pipelines.nlp.entities.zones import article_text
    from pipelines.nlp.topics.tagger import TopicTagger

    extractions = EntityExtractor().extract([g.article for g in gold])
    tagger = TopicTagger()
    predicted = [tagger.tag(article_text(g.article), g.article.section, x.language, x.entities)
                 for g, x in zip(gold, extractions, strict=True)]
    return {split: score_topics(*_subset(gold, predicted, split)) for split in _splits(gold)}
