"""Stop the Kafka broker (SIGTERM) while a job reads from it and writes to it, start it again.

Runs on a private broker (own port and state dir, tests/fixtures/kafka.py ``own_broker``): the
shared dev broker on 19092 is never stopped. The job must ride the outage out (kafka-python
reconnects, the idempotent producer retries) or fail loudly so that a rerun with the same group
recovers; afterwards no input record is missing and the outputs keyed by article id hold no
duplicate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from pipelines.commands.run import pipeline_options, run_pipeline
from pipelines.io.kafka_config import KafkaConnection
from tests.fixtures.faults import fault_figures
from tests.fixtures.kafka import (
    article_json,
    committed,
    own_broker,
    produce,
    read_jsonl,
    running_job,
    wait_for_log,
    wait_for_topic,
)

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
RECORDS = 1000
OUTAGE_S = 5.0


@pytest.fixture(scope="module")
def private_broker(tmp_path_factory) -> Iterator[tuple[str, Callable[..., str]]]:
    with own_broker(tmp_path_factory.mktemp("kafka-fault")) as broker:
        yield broker


def create_topic(connection: KafkaConnection, name: str, partitions: int) -> str:
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(**connection.client_config())
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()
    wait_for_topic(connection, name, partitions)
    return name


def end_offsets(connection: KafkaConnection, topic: str) -> dict[int, int]:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(**connection.client_config(), enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        return {tp.partition: end for tp, end in consumer.end_offsets(parts).items()}
    finally:
        consumer.close(autocommit=False)


def topic_keys(connection: KafkaConnection, topic: str) -> list[str]:
    """The key of every record on ``topic`` (all partitions, from the start)."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(**connection.client_config(), enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        keys: list[str] = []
        deadline = time.monotonic() + 60
        while any(consumer.position(tp) < ends[tp] for tp in parts) and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=500).values():
                keys.extend(r.key.decode() for r in records)
        return keys
    finally:
        consumer.close(autocommit=False)


def fetches_around_outage(log_text: str, topic: str) -> tuple[int, int]:
    """Fetch responses for ``topic`` the job's --debug log shows before the first and after the
    last refused connection: evidence of where the read was when the broker went away."""
    lines = log_text.splitlines()
    refused = [i for i, line in enumerate(lines) if "ECONNREFUSED" in line]
    fetched = [i for i, line in enumerate(lines)
               if "Received response" in line and "FetchResponse(" in line and f"topic='{topic}'" in line]
    if not refused:
        return len(fetched), 0
    return sum(i < refused[0] for i in fetched), sum(i > refused[-1] for i in fetched)


def test_broker_stopped_and_restarted_mid_stream_loses_and_duplicates_nothing(private_broker, tmp_path):
    bootstrap, control = private_broker
    connection = KafkaConnection(bootstrap_servers=bootstrap, client_id="newsbeam-fault-test")
    topic = create_topic(connection, "fault-in", partitions=2)
    out_topic = create_topic(connection, "fault-out", partitions=1)
    produce(connection, topic, [article_json(i, "fault") for i in range(RECORDS)])
    produced = end_offsets(connection, topic)
    assert sum(produced.values()) == RECORDS
    flags = [f"--source=kafka://{bootstrap}/{topic}", "--kafka_group_id=g-fault", "--enrich=none",
             "--runner=DirectRunner", f"--sink=kafka://{bootstrap}/{out_topic}",
             # small polls: the read goes on for as long as parsing takes, across the outage
             "--kafka_max_poll_records=50"]

    first = tmp_path / "first"
    log = tmp_path / "first.log"
    with running_job([*flags, f"--output={first}"], log) as proc:
        # the bundle that reads Kafka (and parses as it reads) has started
        wait_for_log(proc, log, b"ReadKafka/Read/Process")
        time.sleep(0.5)
        running_at_stop = proc.poll() is None
        began = time.monotonic()
        control("stop")  # SIGTERM: a clean broker shutdown, as in a rolling restart
        time.sleep(OUTAGE_S)
        control("start")
        outage = time.monotonic() - began
        rc = proc.wait(timeout=240)
        after = time.monotonic() - began - outage
    text = log.read_text(errors="replace")
    assert running_at_stop, f"the job ended before the broker was stopped:\n{text[-3000:]}"

    outputs = [first] if rc == 0 else []
    rerun = "no rerun"
    if rc != 0:  # failed loudly: a rerun with the same group must pick up what was not committed
        assert not list(first.glob("*/*.jsonl")), "a failed job left final output files"
        summary = run_pipeline(pipeline_options([*flags, f"--output={tmp_path / 'rerun'}"]))
        assert summary.balanced
        outputs.append(tmp_path / "rerun")
        rerun = f"rerun read {summary.records_in}"

    articles = [a for out in outputs for a in read_jsonl(out, "articles")]
    offsets = [(a["source"]["kafka"]["partition"], a["source"]["kafka"]["offset"]) for a in articles]
    ends = committed(connection, "g-fault", topic, 2)
    sent = topic_keys(connection, out_topic)
    refused = text.count("ECONNREFUSED")  # kafka-python logs each failed reconnect
    before, after_fetches = fetches_around_outage(text, topic)
    detail = (f"broker down {outage:.1f}s, {refused} refused connects logged, input fetches before/after the "
              f"outage {before}/{after_fetches}; first job exit {rc} "
              f"{after:.1f}s after the broker was back; {rerun}; "
              f"offsets committed {sum(ends.values())}")
    by_offset = fault_figures("kafka broker stopped+restarted (records by offset)",
                              {(p, o) for p, end in produced.items() for o in range(end)}, offsets, detail)
    ids = {a["id"] for a in articles}
    by_id = fault_figures("kafka broker stopped+restarted (articles by id)", ids, [a["id"] for a in articles])
    on_topic = fault_figures("kafka broker stopped+restarted (kafka sink by key)", ids, sent,
                             "re-sent records stay one per key in a compacted topic")
    assert refused > 0, f"the job never saw the broker down: {by_offset.line}"
    assert sum(ends.values()) == RECORDS, by_offset.line
    assert by_offset.clean and by_id.clean, by_offset.line
    assert on_topic.lost == on_topic.unexpected == 0, on_topic.line
    if rc == 0:  # one producer session: its idempotent retries never duplicate
        assert on_topic.duplicated == 0, on_topic.line
