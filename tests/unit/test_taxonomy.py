from __future__ import annotations

from pipelines.nlp.topics.taxonomy import cached_taxonomy, load_taxonomy, read_taxonomy, sheet_path


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


def test_cached_copy_gives_the_same_taxonomy(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE", str(tmp_path))
    from_sheet = read_taxonomy(sheet_path())
    first = cached_taxonomy(sheet_path())  # reads the sheet and writes the JSON copy
    (copy,) = (tmp_path / "iptc").glob("taxonomy-*.json")
    second = cached_taxonomy(sheet_path())  # from the copy
    for tax in (first, second):
        assert tax.updated == from_sheet.updated
        assert [vars(t) for t in tax.topics.values()] == [vars(t) for t in from_sheet.topics.values()]
    copy.write_text("{not json")  # a damaged copy is replaced, never trusted
    assert cached_taxonomy(sheet_path()).topics.keys() == from_sheet.topics.keys()
    assert copy.read_text().startswith("{\"updated\"")
