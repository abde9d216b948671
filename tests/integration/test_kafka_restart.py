"""Kill a Kafka job mid-run (SIGKILL) and restart it: at-least-once, and committed offsets never
pass a record that is not in a finished output."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from pipelines.commands.run import pipeline_options, run_pipeline
from tests.fixtures.faults import fault_figures
from tests.fixtures.kafka import article_json, committed, produce, read_jsonl, running_job, wait_for_log

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
PHASE2 = 3000  # records produced after the first run


def origins(outputs: list[Path], topic: str) -> list[tuple[int, int]]:
    """(partition, offset) of every row of the finished outputs (articles, duplicates, dead letters)."""
    seen = []
    for out in outputs:
        for name in ("articles", "duplicates", "dead_letters"):
            for r in read_jsonl(out, name):
                origin = r["source"]["kafka"]
                assert origin["topic"] == topic
                seen.append((origin["partition"], origin["offset"]))
    return seen


def covered(outputs: list[Path], topic: str) -> set[tuple[int, int]]:
    return set(origins(outputs, topic))


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
    # Enough records that the job is still parsing when it is killed, on a quiet fast machine too
    # (400 were done and partly finalised within 1.5 s once the local runner stopped idling).
    produce(kafka_connection, topic, [article_json(i, topic) for i in range(20, 20 + PHASE2)])
    killed = tmp_path / "killed"
    log = tmp_path / "killed.log"
    # --debug logs the read plan when the pipeline is built; the job then needs seconds to parse
    # and deduplicate the phase-2 articles: it is killed in the middle of that.
    with running_job([*flags, f"--output={killed}"], log) as proc:
        wait_for_log(proc, log, b"kafka read plan")
        time.sleep(0.5)
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
    assert summary.records_in == PHASE2 and summary.balanced
    final = committed(kafka_connection, group, topic, partitions)
    assert sum(final.values()) == 20 + PHASE2
    # Every record is in a finished output exactly once (the killed run finished none).
    produced = {(p, o) for p, end in final.items() for o in range(end)}
    rows = origins([first, killed, restarted], topic)
    ids = [a["id"] for out in (first, killed, restarted) for a in read_jsonl(out, "articles")]
    by_offset = fault_figures("job SIGKILLed mid-run, restarted with its group (records by offset)", produced, rows,
                              f"first run read 20, killed run wrote 0, restart read {summary.records_in}")
    by_id = fault_figures("job SIGKILLed mid-run, restarted with its group (articles by id)", set(ids), ids)
    assert by_offset.clean and by_id.clean, by_offset.line
