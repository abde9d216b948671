"""Job files: validation errors name the bad key; a file means the same flags a user would type."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.jobfile import ConfigError, load_job, merge_flags, parse_job

EXAMPLES = sorted(Path("deploy/examples").glob("*.*"))
BASE = {"sources": [{"kind": "files", "paths": ["in/"]}], "output": "out"}


def problems(data, path="jobs.yaml", profile=None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_job(data, path, profile)
    return info.value.problems


def flat(job, profile=None) -> list[str]:
    return merge_flags(job.flags(profile), [])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_the_examples_are_valid(path):
    job = load_job(str(path))
    assert job.sources and "--runner=DirectRunner" in flat(job)


def test_a_misspelt_sink_kind_names_the_key_and_the_choices():
    data = {**BASE, "sinks": [{"kind": "jsonl", "path": "j"}, {"kind": "parqet", "path": "p"}]}
    assert problems(data) == [
        "jobs.yaml: sinks[1].kind: unknown sink 'parqet' (expected one of jsonl, parquet, postgres, kafka)"]


def test_unknown_and_missing_keys():
    data = {**BASE, "outptu": "x", "sinks": [{"kind": "postgres", "dns": "postgresql://h/db"}]}
    assert problems(data) == ["jobs.yaml: sinks[0].dsn: required",
                              "jobs.yaml: sinks[0].dns: unknown key; did you mean dsn?",
                              "jobs.yaml: outptu: unknown key; did you mean output?"]
    assert problems({"output": "o"}) == ["jobs.yaml: sources: required"]
    assert problems({**BASE, "sources": [{"paths": ["x"]}]}) == [
        "jobs.yaml: sources[0].kind: source has no kind (expected one of files, kafka)"]


def test_options_are_checked_against_the_declared_pipeline_options():
    data = {**BASE, "options": {"dedupe_treshold": 0.8, "num_shards": "many", "output": "o",
                                "keep_duplicates": "yes", "enrich": "maybe", "ner_batch_size": 16}}
    assert problems(data) == [
        "jobs.yaml: options.dedupe_treshold: unknown option; did you mean dedupe_threshold?",
        "jobs.yaml: options.num_shards: invalid int value: 'many'",
        "jobs.yaml: options.output: set this in the job file's `output` instead",
        "jobs.yaml: options.keep_duplicates: expected true or false, got 'yes'",
        "jobs.yaml: options.enrich: invalid choice: 'maybe' (choose from 'full', 'none')"]


def test_sources_sinks_and_runner_rules():
    kafka = {"kind": "kafka", "uri": "kafka://127.0.0.1:19092/news"}
    assert problems({**BASE, "sources": [BASE["sources"][0], kafka]}) == [
        "jobs.yaml: sources: a job reads files or Kafka, not both (run two jobs)"]
    assert problems({"sources": BASE["sources"]})[0].startswith("jobs.yaml: output: required when no sinks")
    bad_uri = problems({**BASE, "sources": [{"kind": "kafka", "uri": "kafka://h:1/"}]})
    assert bad_uri == ["jobs.yaml: sources[0].uri: no topic in 'kafka://h:1/' (expected kafka://HOST:PORT/TOPIC)"]
    assert problems({**BASE, "runner": {"kind": "dataflw"}}) == [
        "jobs.yaml: runner.kind: unknown runner 'dataflw' (expected one of direct, prism, flink, portable, dataflow)"]
    assert problems({**BASE, "runner": {"kind": "dataflow", "options": {"project": "p"}}}) == [
        "jobs.yaml: runner.options.region: required by the dataflow runner",
        "jobs.yaml: runner.options.temp_location: required by the dataflow runner"]
    assert problems({**BASE, "runner": "cloud"}) == ["jobs.yaml: runner: no profile 'cloud' in profiles (have: none)"]


def test_profiles_choose_the_runner():
    data = {**BASE, "runner": "local", "profiles": {
        "local": {"kind": "direct", "options": {"direct_num_workers": 2}},
        "prism": {"kind": "prism", "streaming": True, "options": {"prism_location": "/opt/prism"}}}}
    job = parse_job(data, "jobs.yaml")
    assert flat(job)[-2:] == ["--runner=DirectRunner", "--direct_num_workers=2"]
    assert flat(job, "prism")[-3:] == ["--runner=PrismRunner", "--streaming", "--prism_location=/opt/prism"]
    assert problems(data, profile="cloud") == [
        "jobs.yaml: --profile cloud: no such profile in profiles (have: local, prism)"]


def test_flags_cover_every_section():
    data = {"sources": [{"kind": "files", "paths": ["a/", "b/*.json"]}], "output": "out",
            "sinks": [{"kind": "parquet", "path": "pq"}, {"kind": "kafka", "uri": "kafka://h:9092/enriched"}],
            "options": {"keep_duplicates": True, "enrich": "none", "num_shards": 2}}
    assert flat(parse_job(data, "j.yaml")) == [
        "--input", "a/", "b/*.json", "--output=out", "--sink=parquet:pq", "--sink=kafka://h:9092/enriched",
        "--runner=DirectRunner", "--keep_duplicates", "--enrich=none", "--num_shards=2"]


def test_command_line_flags_override_the_file():
    data = {**BASE, "sinks": [{"kind": "parquet", "path": "pq"}], "options": {"num_shards": 2}}
    job_flags = parse_job(data, "j.yaml").flags()
    merged = merge_flags(job_flags, ["--output", "/tmp/o", "--sink=jsonl:/tmp/j", "--num_shards=3"])
    assert merged == ["--input", "in/", "--runner=DirectRunner", "--output", "/tmp/o", "--sink=jsonl:/tmp/j",
                      "--num_shards=3"]
    # a Kafka source on the command line replaces the file's input files
    assert "--input" not in merge_flags(job_flags, ["--source=kafka://h:1/t"])


def test_syntax_errors_give_the_line(tmp_path):
    bad = tmp_path / "jobs.yaml"
    bad.write_text("sources: [\n  - kind: files\n")
    with pytest.raises(ConfigError, match=r"jobs.yaml: line 2: not valid YAML"):
        load_job(str(bad))
    toml = tmp_path / "jobs.toml"
    toml.write_text('output = "o"\n[[sources]]\nkind = "files"\npaths = ["x"]\n[options]\nnum_shards = 2\n')
    assert "--num_shards=2" in flat(load_job(str(toml)))
    toml.write_text("output = \n")
    with pytest.raises(ConfigError, match=r"jobs\.toml: not valid TOML"):
        load_job(str(toml))
    with pytest.raises(ConfigError, match="expected a mapping of sections"):
        parse_job(["a"], "jobs.yaml")
