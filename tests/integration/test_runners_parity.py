"""The same bounded job on the local DirectRunner, on Prism and on Flink gives the same output:
same ids, clusters, duplicates, dead letters, entities, topics.

Prism and Flink are Beam portable runners: every DoFn, coder and side input crosses the Fn API to
the Python SDK worker (LOOPBACK: in this process) as on Dataflow, so pickled DoFns, coders
registered on the worker and the dedupe shuffles all run as they would on a cluster. Flink runs
embedded in Beam's Flink job server ([local]) from the jar deploy/local/flink.sh fetches; the
Flink cases are skipped, with the reason, when that jar cannot be had.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pipelines.cli import main
from pipelines.expected import project, read_jsonl_dir
from tests.fixtures.kafka import article_json, produce

# The LOOPBACK workers live in this process: when Flink finishes a job and closes the data channel,
# Beam's data-plane reader and worker threads sometimes raise gRPC CANCELLED ("Multiplexer hanging
# up") after the results are complete. That is Beam's shutdown, not our job; every output is checked.
pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")]
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




@pytest.fixture(params=["prism", "flink-local"])
def profile(request) -> str:
    """A portable runner profile whose binary (prism) or jar (Flink job server) is at hand."""
    request.getfixturevalue("prism_binary" if request.param == "prism" else "flink_job_server_jar")
    return request.param


@pytest.fixture(scope="module")
def direct_sample(tmp_path_factory) -> dict:
    output = tmp_path_factory.mktemp("direct")
    run_job(output, "--input", str(SAMPLE), "--runner=DirectRunner")
    return outputs(output, str(SAMPLE))


def test_sample_data_on_a_flink_cluster_is_identical(tmp_path, flink_cluster, direct_sample):
    # A real cluster: the job server submits over REST; JobManager and TaskManager are their own JVMs.
    run_job(tmp_path / "cluster", "--input", str(SAMPLE), "--profile=flink-cluster")
    assert outputs(tmp_path / "cluster", str(SAMPLE)) == direct_sample


def test_sample_data_is_identical_on_every_runner(tmp_path, profile, direct_sample):
    run_job(tmp_path / profile, "--input", str(SAMPLE), f"--profile={profile}")
    direct = direct_sample
    assert direct["articles"] and direct["duplicates"] and direct["dead_letters"]  # a job that exercises every path
    assert any(a["entities"] for a in direct["articles"]) and any(a["topics"] for a in direct["articles"])
    assert outputs(tmp_path / profile, str(SAMPLE)) == direct


def test_kafka_time_range_is_identical_on_every_runner(tmp_path, profile, kafka_topic, kafka_connection,
                                                       kafka_bootstrap):
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
    run_job(tmp_path / profile, *flags, f"--profile={profile}")
    direct = outputs(tmp_path / "direct", "")
    assert len(direct["articles"]) == 8 and len(direct["duplicates"]) == 1 and len(direct["dead_letters"]) == 1
    assert outputs(tmp_path / profile, "") == direct
