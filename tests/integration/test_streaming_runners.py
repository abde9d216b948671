"""`newsbeam run --profile local-streaming --source kafka://...` reads the real broker continuously:
articles produced while the job runs are written within seconds (event-time windows fire as the
watermark passes), streaming dedupe matches a copy against state kept from an earlier window, and
SIGTERM cancels the job cleanly (exit 0, the runner's process shut down with it). The same on
Flink (embedded in Beam's job server) with --profile flink-local-streaming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tests.fixtures.kafka import article_json, produce, read_jsonl

pytestmark = [pytest.mark.slow, pytest.mark.kafka]
ROOT = Path(__file__).resolve().parents[2]
WINDOW_S = 2


def wait_for(predicate, timeout_s: float, proc: subprocess.Popen, log: Path) -> float:
    """Seconds until ``predicate()`` holds; fails with the job's log if it does not in time."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if predicate():
            return time.monotonic() - start
        if proc.poll() is not None:
            pytest.fail(f"the streaming job exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        time.sleep(0.2)
    pytest.fail(f"not seen within {timeout_s}s:\n{log.read_text()[-4000:]}")


def stop_job(proc: subprocess.Popen) -> int:
    """SIGTERM the streaming job and return its exit status (SIGKILL, and fail, if it hangs)."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(90)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        raise


# The runner's own process: Prism, or the Flink job server FlinkRunner starts (java -jar ...).
RUNNER_PROCESS = {"local-streaming": "beam-.*/prism --job_port",
                  "flink-local-streaming": "-jar .*job-server-.*[.]jar --flink-master"}


def runner_processes(profile: str) -> set[int]:
    done = subprocess.run(["pgrep", "-f", RUNNER_PROCESS[profile]], capture_output=True, text=True)
    return {int(pid) for pid in done.stdout.split()}


@pytest.fixture(params=["local-streaming", "flink-local-streaming"])
def profile(request) -> str:
    request.getfixturevalue("prism_binary" if request.param == "local-streaming" else "flink_job_server_jar")
    return request.param


def test_unbounded_kafka_job_writes_articles_as_they_arrive_and_stops_on_sigterm(
        tmp_path, profile, kafka_topic, kafka_connection, kafka_bootstrap, record_property):
    topic = kafka_topic(partitions=2)
    out, log = tmp_path / "out", tmp_path / "job.log"
    before = runner_processes(profile)
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--profile", profile,
           "--source", f"kafka://{kafka_bootstrap}/{topic}", "--kafka_unbounded", "--output", str(out),
           f"--output_window_seconds={WINDOW_S}", "--kafka_idle_watermark_delay_s=1", "--enrich=none"]
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        # Batch 1, produced after the start: written once its window closes.
        produce(kafka_connection, topic, [article_json(i, topic) for i in range(3)])
        first = wait_for(lambda: len(read_jsonl(out, "articles")) >= 3, 180, proc, log)

        # Batch 2, while it keeps running: new stories and a republished copy of story 1.
        copy = orjson.loads(article_json(1, topic))
        copy["url"] += "-republished"
        copy["publishedAt"] = copy["publishedAt"].replace("T01:", "T05:")  # republished later: not canonical
        produced = time.monotonic()
        produce(kafka_connection, topic, [article_json(i, topic) for i in range(3, 6)] + [orjson.dumps(copy)])
        latency = wait_for(lambda: len(read_jsonl(out, "articles")) >= 6 and read_jsonl(out, "duplicates"),
                           60, proc, log)
        record_property("first_batch_s", round(first, 1))
        record_property("second_batch_latency_s", round(latency, 1))
        print(f"\n{profile}: batch 1 out {first:.1f}s after produce (incl. job start), "
              f"batch 2 out {latency:.1f}s after produce ({time.monotonic() - produced:.1f}s)")
        assert latency < 30  # seconds, not a batch job's end: windows of 2 s fire as the watermark passes
    finally:
        code = stop_job(proc)
    text = log.read_text()
    assert code == 0, text[-4000:]
    assert "job CANCELLED" in text and "accounting" in text
    assert runner_processes(profile) <= before  # prism / the Flink job server stopped with the job

    articles = read_jsonl(out, "articles")
    ids = [a["id"] for a in articles]
    assert len(ids) == 6 == len(set(ids))  # every story once, nothing twice
    (duplicate,) = read_jsonl(out, "duplicates")
    original = next(a for a in articles if a["url"] == orjson.loads(article_json(1, topic))["url"])
    assert duplicate["duplicate_of"] == original["id"]  # matched against the state of an earlier window
    assert duplicate["id"] not in ids
    names = sorted(p.name for p in (out / "articles").glob("*.jsonl"))
    assert all(n.startswith("part-") and n.count("T") == 2 for n in names), names  # per-window files
