"""The same bounded job on the local DirectRunner and on Prism (Beam's portable runner, SDK worker
in LOOPBACK) gives the same output: same ids, clusters, duplicates, dead letters, entities, topics.

On Prism every DoFn, coder and side input crosses the Fn API as on Flink and Dataflow (pickled
DoFns, coders registered on the worker, stateful dedupe state), so a difference here would be one
there. Flink runs the same job in tests/integration/test_flink_runner.py when its jar is present.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pipelines.cli import main
from pipelines.expected import project, read_jsonl_dir
from tests.fixtures.kafka import article_json, produce

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "input"
BASE_MS = 1714550400000  # 2024-05-01T08:00:00Z


def run_job(output: Path, *flags: str) -> None:
    assert main(["run", "--output", str(output), *flags]) == 0


def outputs(output: Path, input_root: str) -> dict:
    """project() plus what it leaves out but a runner must not change: cluster ids."""
    out = project(str(output), input_root)
    out["clusters"] = sorted((a["id"], a["dedupe"]["cluster_id"]) for a in read_jsonl_dir(str(output / "articles")))
    return out


def test_sample_data_is_identical_on_direct_runner_and_prism(tmp_path, prism_binary):
    run_job(tmp_path / "direct", "--input", str(SAMPLE), "--runner=DirectRunner")
    run_job(tmp_path / "prism", "--input", str(SAMPLE), "--profile=prism")
    direct, prism = outputs(tmp_path / "direct", str(SAMPLE)), outputs(tmp_path / "prism", str(SAMPLE))
    assert direct["articles"] and direct["duplicates"] and direct["dead_letters"]  # a job that exercises every path
    assert any(a["entities"] for a in direct["articles"]) and any(a["topics"] for a in direct["articles"])
    assert prism == direct


def test_kafka_time_range_is_identical_on_direct_runner_and_prism(tmp_path, prism_binary, kafka_topic,
                                                                   kafka_connection, kafka_bootstrap):
    topic = kafka_topic(partitions=2)
    values = [article_json(i, topic) for i in range(10)]
    copy = orjson.loads(values[3])
    copy["url"] = copy["url"] + "-republished"  # the same story under another outlet's URL
    values += [orjson.dumps(copy), b'{"title": "truncated', article_json(3, topic)]
    stamps = [BASE_MS + i * 1000 for i in range(10)] + [BASE_MS + 4500, BASE_MS + 5500, BASE_MS + 20_000]
    produce(kafka_connection, topic, values, timestamps=stamps, keys=[b"k%d" % (i % 3) for i in range(len(values))])
    # [08:00:01, 08:00:09): stories 1-8, the republished copy and the bad record; not 0, 9, or the late copy.
    flags = ["--source", f"kafka://{kafka_bootstrap}/{topic}", f"--kafka_start={BASE_MS + 1000}",
             f"--kafka_stop={BASE_MS + 9000}"]
    run_job(tmp_path / "direct", *flags, "--runner=DirectRunner")
    run_job(tmp_path / "prism", *flags, "--profile=prism")
    direct, prism = outputs(tmp_path / "direct", ""), outputs(tmp_path / "prism", "")
    assert len(direct["articles"]) == 8 and len(direct["duplicates"]) == 1 and len(direct["dead_letters"]) == 1
    assert prism == direct
