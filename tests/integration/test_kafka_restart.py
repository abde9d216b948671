"""Kill a Kafka job mid-run (SIGKILL) and restart it: at-least-once, and committed offsets never
pass a record that is not in a finished output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.commands.run import pipeline_options, run_pipeline
from tests.fixtures.kafka import article_json, committed, produce, read_jsonl

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def covered(outputs: list[Path], topic: str) -> set[tuple[int, int]]:
    """(partition, offset) of every record in the finished outputs (articles, duplicates, dead letters)."""
    seen = set()
    for out in outputs:
        for name in ("articles", "duplicates", "dead_letters"):
            for r in read_jsonl(out, name):
                origin = r["source"]["kafka"]
                assert origin["topic"] == topic
                seen.add((origin["partition"], origin["offset"]))
    return seen


def test_killed_job_restarts_without_loss(kafka_topic, kafka_connection, kafka_bootstrap, tmp_path):
    topic, group, partitions = kafka_topic(partitions=2), "g-restart", 2
    flags = [f"--source=kafka://{kafka_bootstrap}/{topic}", f"--kafka_group_id={group}", "--enrich=none",
             "--runner=DirectRunner"]
    # Phase 1: a finished run commits its offsets.
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(20)])
    first = tmp_path / "first"
    assert run_pipeline(pipeline_options([*flags, f"--output={first}"])).records_in == 20
    after_first = committed(kafka_connection, group, topic, partitions)

    # Phase 2: more records; the job reading them is killed while it runs.
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(20, 420)])
    killed = tmp_path / "killed"
    log = tmp_path / "killed.log"
    with log.open("wb") as sink:
        # --debug logs the read plan when the pipeline is built; the job then needs seconds to
        # parse and deduplicate 400 articles: it is killed in the middle of that.
        proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "--debug", "run", *flags,
                                 f"--output={killed}"], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = time.monotonic() + 180
        while b"kafka read plan" not in log.read_bytes() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.5)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, (
        f"the job ended ({proc.returncode}) before it could be killed:\n{log.read_text(errors='replace')[-3000:]}")
    assert not list(killed.glob("*/*.jsonl")), "a killed job left final output files"

    # Never past unwritten records: nothing of phase 2 was committed, and every committed offset
    # is below records that are in a finished output.
    now = committed(kafka_connection, group, topic, partitions)
    assert now == after_first
    durable = covered([first, killed], topic)
    for p, offset in now.items():
        assert all((p, o) in durable for o in range(offset or 0))

    # Restart: everything since the last commit is read again; every record is out at least once.
    restarted = tmp_path / "restarted"
    summary = run_pipeline(pipeline_options([*flags, f"--output={restarted}"]))
    assert summary.records_in == 400 and summary.balanced
    final = committed(kafka_connection, group, topic, partitions)
    assert sum(final.values()) == 420
    everything = covered([first, killed, restarted], topic)
    assert everything == {(p, o) for p, end in final.items() for o in range(end)}
