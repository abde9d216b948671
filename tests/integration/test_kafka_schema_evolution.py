"""Old archive files (tests/data/schema_evolution/) restored to a topic by ``newsbeam produce`` and
read back by ``newsbeam replay``: older shapes and fields from a newer writer still become articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from tests.fixtures.kafka import read_jsonl

pytestmark = pytest.mark.kafka
DATA = Path(__file__).resolve().parents[1] / "data" / "schema_evolution"


def test_replay_of_old_archives_restored_to_a_topic(kafka_topic, kafka_bootstrap, tmp_path):
    topic = kafka_topic(partitions=1)
    # Lines without a Kafka timestamp get 2024-05-01T00:00:00Z; the others keep theirs (that day too).
    assert main(["produce", "--bootstrap", kafka_bootstrap, "--topic", topic, "--quiet",
                 "--timestamp", "2024-05-01T00:00:00Z", str(DATA / "v1-archive.rawrecords.jsonl"),
                 str(DATA / "newer-fields.rawrecords.jsonl")]) == 0
    out = tmp_path / "replay"
    assert main(["replay", "--topic", topic, "--bootstrap", kafka_bootstrap, "--from", "2024-05-01T00:00:00Z",
                 "--to", "2024-05-02T00:00:00Z", "--output", str(out), "--runner=DirectRunner",
                 "--enrich=none"]) == 0
    articles = read_jsonl(out, "articles")
    assert read_jsonl(out, "dead_letters") == [] and len(articles) == 5
    assert sorted(a["headline"].split()[1] for a in articles) == ["1", "2", "3", "4", "5"]
    assert {a["source"]["kafka"]["offset"] for a in articles} == set(range(5))
