"""The unbounded job on Prism (--profile local-streaming) with poison records produced while it
runs: each reaches the dead-letter topic with its original bytes and offset, and the good records
produced after it still become articles, without a restart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.kafka import article_json, read_jsonl
from tests.integration.test_kafka_poison import consume_all, produce_records
from tests.integration.test_streaming_runners import stop_job, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.kafka]
ROOT = Path(__file__).resolve().parents[2]


def test_unbounded_job_sends_poison_to_the_dead_letter_topic_and_keeps_going(
        tmp_path, prism_binary, kafka_topic, kafka_connection, kafka_bootstrap):
    source, dlq = kafka_topic(1), kafka_topic(1)
    out, log = tmp_path / "out", tmp_path / "job.log"
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--profile", "local-streaming",
           "--source", f"kafka://{kafka_bootstrap}/{source}", "--kafka_unbounded", "--output", str(out),
           "--output_window_seconds=2", "--kafka_idle_watermark_delay_s=1", "--enrich=none",
           f"--dead_letter_topic={dlq}"]
    binary = b"\x00\x01\xff\xfe\x80binary" * 20
    schema_99 = article_json(90, source)[:-1] + b',"schema_version":99}'
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        # Produced while the job runs: poison, good, poison, good (offsets 0..3), then one more good.
        produce_records(kafka_connection, source, [
            ("binary", binary, [("trace", b"\xff")], None), ("good", article_json(0, source), [], None),
            ("schema", schema_99, [], b"k99"), ("good", article_json(1, source), [], None)])
        wait_for(lambda: len(read_jsonl(out, "articles")) >= 2, 180, proc, log)
        produce_records(kafka_connection, source, [("good", article_json(2, source), [], None)])
        wait_for(lambda: len(read_jsonl(out, "articles")) >= 3, 60, proc, log)
        on_topic = consume_all(kafka_connection, dlq, 2)
    finally:
        code = stop_job(proc)
    assert code == 0, log.read_text()[-4000:]
    assert sorted(a["source"]["kafka"]["offset"] for a in read_jsonl(out, "articles")) == [1, 3, 4]
    got = {m.key: (m.value, dict(m.headers)) for m in on_topic}
    assert set(got) == {f"kafka://{source}/0/0".encode(), f"kafka://{source}/0/2".encode()}
    value, headers = got[f"kafka://{source}/0/0".encode()]
    assert value == binary and headers["trace"] == b"\xff" and headers["newsbeam-dl-error"] == b"binary"
    value, headers = got[f"kafka://{source}/0/2".encode()]
    assert value == schema_99 and headers["newsbeam-dl-error"] == b"unsupported_schema_version"
    assert headers["newsbeam-dl-key"] == b"k99"
