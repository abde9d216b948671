"""The unbounded job on Prism writes DIR/accounting/: one line per event-time window, counted by
the source record's Kafka timestamp, each balanced (in = articles + duplicates + dead letters -
corrections). Good records, a republished copy (a duplicate) and a poison record, produced at
timestamps that put them in two known windows."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from tests.fixtures.kafka import article_json, produce, read_jsonl
from tests.integration.test_streaming_runners import stop_job, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.kafka]
ROOT = Path(__file__).resolve().parents[2]
WINDOW_MS = 2000


def latest_per_window(out: Path) -> dict[str, dict]:
    """The highest pane of each window (firings accumulate)."""
    latest: dict[str, dict] = {}
    for line in read_jsonl(out, "accounting"):
        if line["window_start"] not in latest or line["pane"] > latest[line["window_start"]]["pane"]:
            latest[line["window_start"]] = line
    return latest


def test_unbounded_job_writes_a_balanced_accounting_line_per_window(
        tmp_path, prism_binary, kafka_topic, kafka_connection, kafka_bootstrap):
    topic = kafka_topic(1)
    out, log = tmp_path / "out", tmp_path / "job.log"
    t0 = (int(time.time() * 1000) // WINDOW_MS) * WINDOW_MS - 5 * WINDOW_MS  # a window start, in the past
    copy = orjson.loads(article_json(1, topic))
    copy["url"] += "-republished"
    copy["publishedAt"] = copy["publishedAt"].replace("T01:", "T05:")  # republished later: the duplicate
    # Window [t0, t0+2s): a good record and a poison record. Window [t0+2s, t0+4s): a good record and its copy.
    produce(kafka_connection, topic,
            [article_json(0, topic), b"\x00\xff not an article", article_json(1, topic), orjson.dumps(copy)],
            timestamps=[t0 + 100, t0 + 200, t0 + WINDOW_MS + 100, t0 + WINDOW_MS + 200])
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--profile", "local-streaming",
           "--source", f"kafka://{kafka_bootstrap}/{topic}", "--kafka_unbounded", "--output", str(out),
           f"--output_window_seconds={WINDOW_MS // 1000}", "--kafka_idle_watermark_delay_s=1", "--enrich=none"]
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: len(latest_per_window(out)) >= 2, 180, proc, log)
    finally:
        code = stop_job(proc)
    text = log.read_text()
    assert code == 0, text[-4000:]
    assert "does not balance" not in text and "unbalanced" not in text
    got = {start: {k: line[k] for k in ("window_end", "records_in", "articles", "duplicates", "dead_letters",
                                        "corrections", "balanced")}
           for start, line in latest_per_window(out).items()}
    print("\naccounting:", got)

    def iso(ms: int) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))

    assert got == {
        iso(t0): {"window_end": iso(t0 + WINDOW_MS), "records_in": 2, "articles": 1, "duplicates": 0,
                  "dead_letters": 1, "corrections": 0, "balanced": True},
        iso(t0 + WINDOW_MS): {"window_end": iso(t0 + 2 * WINDOW_MS), "records_in": 2, "articles": 1,
                              "duplicates": 1, "dead_letters": 0, "corrections": 0, "balanced": True},
    }
    # The same window files as the other outputs.
    assert all(p.name.startswith(f"part-{iso(t0).replace('-', '').replace(':', '')}")
               or p.name.startswith(f"part-{iso(t0 + WINDOW_MS).replace('-', '').replace(':', '')}")
               for p in (out / "accounting").glob("*.jsonl"))
