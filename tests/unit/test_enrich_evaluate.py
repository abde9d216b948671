"""Scoring of entities and topics against gold, and the labelled set itself."""

from __future__ import annotations

from pipelines.nlp.entities.evaluate import score_entities
from pipelines.nlp.gold import GoldArticle, GoldEntity, load_gold
from pipelines.nlp.topics.evaluate import score_topics
from pipelines.nlp.topics.taxonomy import load_taxonomy
from schemas.records import Entity, Topic
from tests.conftest import make_article


def _gold(entities, topics=("medtop:11000000",)):
    return GoldArticle(make_article("g"), "dev", tuple(GoldEntity(*e) for e in entities), tuple(topics))


def test_entity_scores_on_names_types_and_ids():
    gold = _gold([("Vladimir Putin", "PERSON"), ("Russia", "GPE", "RU"), ("Kyiv", "GPE", "geonames:703448"),
                  ("Palme d'Or", "WORK_OF_ART")])
    pred = [Entity(name="vladimir putin", type="PERSON"), Entity(name="Russia", type="ORG", id="RU"),
            Entity(name="Moscow", type="GPE"), Entity(name="Palme d'Or", type="PRODUCT"),
            Entity(name="Falcon Heavy", type="PRODUCT")]
    report = score_entities([gold], [pred])
    assert (report.names.tp, report.names.fp, report.names.fn) == (2, 1, 1)  # unscored types ignored
    assert (report.typed.tp, report.typed.fp, report.typed.fn) == (1, 2, 2)
    assert (report.ids_right, report.ids_checked) == (1, 1)
    assert round(report.names.f1, 3) == 0.667


def test_topic_scores():
    gold = [_gold([], ("medtop:16000000", "medtop:11000000")), _gold([], ("medtop:15000000",))]
    pred = [[Topic(code="medtop:11000000", label="p", score=0.6)],
            [Topic(code="medtop:04000000", label="e", score=0.5), Topic(code="medtop:15000000", label="s", score=0.4)]]
    report = score_topics(gold, pred)
    assert (report.top1, report.strict, report.articles) == (1, 0, 2)
    assert (report.sets.tp, report.sets.fp, report.sets.fn) == (2, 1, 1)


def test_labelled_set_is_well_formed():
    gold = load_gold()
    codes = {t.code for t in load_taxonomy().top_level}
    assert len(gold) >= 30 and {g.split for g in gold} == {"dev", "test"}
    for g in gold:
        assert 1 <= len(g.topics) <= 3 and set(g.topics) <= codes
        assert g.entities and len({e.name for e in g.entities}) == len(g.entities)
        assert g.article.body.count("\n\n") >= 2
