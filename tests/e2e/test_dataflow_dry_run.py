"""The Flex Template's entry point builds the pipeline for Dataflow, offline.

``pipelines.launch.submit`` (what deploy/dataflow/main.py runs in the template launcher) with
``--dry_run=True`` translates the pipeline to Dataflow's job proto without credentials or any
outside connection; the graph is then checked: the named stages, only Docker environments with
our image, nothing of the local runners (LOOPBACK workers, DirectRunner-only transforms).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_no_network import no_outside_network  # noqa: F401  (fixture)

pytest.importorskip("apache_beam.runners.dataflow.internal.apiclient",
                    reason="needs the apache-beam[gcp] extra (pip install -e .[dev] installs it)")

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "europe-docker.pkg.dev/newsbeam-dry-run/newsbeam/newsbeam:test"
DATAFLOW = ["--runner=DataflowRunner", "--project=newsbeam-dry-run", "--region=europe-west1",
            "--temp_location=gs://newsbeam-dry-run/tmp", "--dry_run=True", f"--sdk_container_image={IMAGE}"]
STAGES = {"ReadFiles", "Parse", "Dedupe", "Enrich", "CollectDeadLetters", "CountArticles", "CountDuplicates",
          "CountDeadLetters", "WriteArticles", "WriteDuplicates", "WriteDeadLetters"}
LOCAL_ONLY = ("_GroupByKeyOnly", "_GroupAlsoByWindow", "_StreamingGroupByKeyOnly", "TestStream", "DirectRunner",
              "beam:transform:direct", "beam:env:loopback", "beam:env:external", "beam:env:embedded_python")


def dry_run(*flags: str):
    from pipelines.launch import submit

    pipeline, result = submit([*DATAFLOW, *flags])
    assert result.state == "DONE"  # a dry run stops after translation
    return pipeline.runner.proto_pipeline, result.job


def check_graph(proto) -> set[str]:
    transforms = proto.components.transforms.values()
    top = {t.unique_name for t in transforms if "/" not in t.unique_name} - {
        proto.components.transforms[root].unique_name for root in proto.root_transform_ids}
    text = " ".join(f"{t.unique_name} {t.spec.urn}" for t in transforms)
    text += " ".join(env.urn for env in proto.components.environments.values())
    assert not [piece for piece in LOCAL_ONLY if piece in text]
    for env in proto.components.environments.values():
        assert env.urn == "beam:env:docker:v1" and IMAGE.encode() in env.payload
    return top


def test_batch_job_translates_for_dataflow_offline(no_outside_network):  # noqa: F811
    proto, job = dry_run("--input=gs://newsbeam-dry-run/in/*.jsonl", "--output=gs://newsbeam-dry-run/out")
    assert check_graph(proto) == STAGES
    assert job.proto.type.name == "JOB_TYPE_BATCH"
    assert no_outside_network == []


@pytest.mark.kafka
def test_streaming_kafka_job_translates_for_dataflow(kafka_topic, kafka_bootstrap):
    # The Kafka read plans its offset ranges when the pipeline is built: from the test broker here.
    topic = kafka_topic(partitions=2)
    proto, job = dry_run(f"--source=kafka://{kafka_bootstrap}/{topic}", "--kafka_unbounded", "--streaming",
                         "--kafka_group_id=newsbeam", "--output=gs://newsbeam-dry-run/out")
    # Streaming adds the per-window accounting (DIR/accounting/) to the batch stages.
    assert check_graph(proto) == STAGES - {"ReadFiles"} | {"ReadKafka", "WindowAccounting", "WriteAccounting"}
    assert job.proto.type.name == "JOB_TYPE_STREAMING"
    names = {t.unique_name for t in proto.components.transforms.values()}
    assert "Dedupe/Streaming" in names  # stateful dedupe with TTL, not the batch graph
    assert {"WriteArticles/Window", "WriteArticles/WriteFiles"} <= names  # windowed files, not WriteToText
    assert "WindowAccounting/Count" in names  # per-window counts combined, not grouped


def test_flex_template_files_agree_with_the_pipeline_options():
    from pipelines.errors import all_options_parser

    meta = json.loads((ROOT / "deploy/dataflow/metadata.json").read_text())
    known = {a.dest for a in all_options_parser()._actions} | {
        s.lstrip("-") for a in all_options_parser()._actions for s in a.option_strings}
    params = {p["name"] for p in meta["parameters"]}
    assert params and params <= known, params - known
    assert all(p.get("label") and p.get("helpText") for p in meta["parameters"])
    docker = (ROOT / "deploy/dataflow/Dockerfile").read_text()
    assert "FLEX_TEMPLATE_PYTHON_PY_FILE" in docker and "main.py" in docker
    assert "python311-template-launcher-base" in docker


def test_template_switch_parameters_become_flags():
    from pipelines.launch import template_args

    assert template_args(["--kafka_unbounded=true", "--streaming=False", "--output=gs://b/o"]) == [
        "--kafka_unbounded", "--output=gs://b/o"]
    with pytest.raises(ValueError, match="true or false"):
        template_args(["--kafka_unbounded=yes"])
