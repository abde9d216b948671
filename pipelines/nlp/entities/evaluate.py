"""Entity precision, recall and F1 on canonical names against the labelled set.

Scored: one canonical name per thing per article (not per mention), compared case-insensitively.
Types scored: PERSON, ORG, GPE, LOC, NORP, EVENT, FAC. Names that the gold labels PRODUCT,
WORK_OF_ART or LAW are ignored on both sides (the small model is weak on them and they are rare),
as are predictions of those types that match no gold name. Reported beside the name F1: F1 on
(name, type) and, for matched places with a gold id, how often the id is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipelines.nlp.entities.gazetteer import fold as _fold
from pipelines.nlp.gold import GoldArticle
from schemas.records import Entity


def fold(name: str) -> str:
    """Comparison key: case, accents and a leading "the" do not count."""
    return _fold(name).removeprefix("the ")


SCORED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EntityReport:
    articles: int = 0
    names: Counts = field(default_factory=Counts)
    typed: Counts = field(default_factory=Counts)
    ids_checked: int = 0
    ids_right: int = 0
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        id_acc = self.ids_right / self.ids_checked if self.ids_checked else 0.0
        return [
            f"articles: {self.articles}",
            f"canonical names: precision {self.names.precision:.3f}  recall {self.names.recall:.3f}  "
            f"F1 {self.names.f1:.3f}  (tp {self.names.tp}, fp {self.names.fp}, fn {self.names.fn})",
            f"names + types:   precision {self.typed.precision:.3f}  recall {self.typed.recall:.3f}  "
            f"F1 {self.typed.f1:.3f}",
            f"place ids right: {self.ids_right}/{self.ids_checked} ({id_acc:.1%})",
        ]


def score_entities(gold: Sequence[GoldArticle], predicted: Sequence[Sequence[Entity]]) -> EntityReport:
    report = EntityReport()
    for g, pred in zip(gold, predicted, strict=True):
        report.articles += 1
        gold_by_name = {fold(e.name): e for e in g.entities if e.type in SCORED_TYPES}
        ignored = {fold(e.name) for e in g.entities if e.type not in SCORED_TYPES}
        pred_by_name = {}
        for e in pred:
            key = fold(e.name)
            if key in gold_by_name or (e.type in SCORED_TYPES and key not in ignored):
                pred_by_name.setdefault(key, e)
        for key, e in pred_by_name.items():
            if key in gold_by_name:
                report.names.tp += 1
                ge = gold_by_name[key]
                if ge.type == e.type:
                    report.typed.tp += 1
                else:
                    report.typed.fp += 1
                    report.typed.fn += 1
                    report.errors.append(f"{g.article.id} TYPE  {e.name}: {e.type} (gold {ge.type})")
                if ge.id:
                    report.ids_checked += 1
                    report.ids_right += ge.id == e.id
                    if ge.id != e.id:
                        report.errors.append(f"{g.article.id} ID    {e.name}: {e.id} (gold {ge.id})")
            else:
                report.names.fp += 1
                report.typed.fp += 1
                report.errors.append(f"{g.article.id} FP    {e.name} [{e.type}] {e.surface_forms}")
        for key, ge in gold_by_name.items():
            if key not in pred_by_name:
                report.names.fn += 1
                report.typed.fn += 1
                report.errors.append(f"{g.article.id} FN    {ge.name} [{ge.type}]")
    return report



def evaluate_entities(gold: Sequence[GoldArticle], model: str | None = None) -> dict[str, EntityReport]:
    """Run the entity extractor once on the labelled set; reports per split and for all."""
    from pipelines.nlp.entities.ner import DEFAULT_MODEL, EntityExtractor

    predicted = [x.entities for x in EntityExtractor(model or DEFAULT_MODEL).extract([g.article for g in gold])]
    return {split: score_entities(*_subset(gold, predicted, split)) for split in _splits(gold)}


def _splits(gold: Sequence[GoldArticle]) -> list[str]:
    found = sorted({g.split for g in gold})
    return [*found, "all"] if len(found) > 1 else found


def _subset(gold: Sequence[GoldArticle], predicted: Sequence, split: str) -> tuple[list, list]:
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if split in ("all", g.split)]
    return [g for g, _ in pairs], [p for _, p in pairs]
