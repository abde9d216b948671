from __future__ import annotations

from pipelines.nlp.topics.taxonomy import load_taxonomy, sheet_path


def test_sheet_ships_in_installed_package():
    assert sheet_path().name == "IPTC-MediaTopic-NewsCodes.xlsx"


def test_hierarchy_is_rebuilt_from_tree_order():
    tax = load_taxonomy()
    tops = {t.code: t.label for t in tax.top_level}
    assert len(tops) == 17
    assert tops["medtop:16000000"] == "conflict, war and peace"
    assert tops["medtop:11000000"] == "politics and government"
    for topic in tax.topics.values():
        if topic.level > 1:
            parent = tax.topics[topic.parent]
            assert parent.level == topic.level - 1 and parent.top == topic.top
    # "animation" sits under "arts and entertainment" under "arts, culture, entertainment and media".
    animation = tax.topics["medtop:20000003"]
    assert (animation.level, animation.parent, animation.top) == (3, "medtop:20000002", "medtop:01000000")
    assert animation.names["fr"] == "Dessin animé"


def test_retired_topics_are_left_out():
    assert len(load_taxonomy().topics) < 1387
