"""``newsbeam archive --topic T --output DIR``: a topic (or a time range of it) to archive files.

Writes ``DIR/archive-PLAN-SSSSS-of-NNNNN.rawrecords.jsonl.gz``: every RawRecord with its Kafka
metadata (topic, partition, offset, timestamp, key, headers). ``newsbeam run --input DIR``
replays them at their original event times; ``newsbeam produce`` restores them to a topic.
With ``--kafka_group_id`` each run archives what the group has not archived yet and commits
once the files are written, so a periodic archive job neither skips nor repeats records.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time

import apache_beam as beam

from pipelines.io.kafka_config import DEFAULT_BOOTSTRAP, KafkaConfigError, parse_time_ms, validate_topic
from pipelines.io.kafka_positions import PartitionPlan


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "archive", help="archive a Kafka topic to gzipped JSON Lines that keep Kafka metadata",
        description="Bounded read of TOPIC (optionally [FROM, TO)) written as replayable archive files. "
                    "Other flags are Beam and --kafka_* options (e.g. --kafka_group_id for incremental runs).")
    p.add_argument("--topic", required=True, help="TOPIC[,TOPIC]")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--from", dest="from_time", default=None, metavar="TIME", help="ISO 8601 or epoch ms (inclusive)")
    p.add_argument("--to", dest="to_time", default=None, metavar="TIME", help="ISO 8601 or epoch ms (exclusive)")
    p.add_argument("--bootstrap", default=None, help=f"HOST:PORT[,HOST:PORT] (default {DEFAULT_BOOTSTRAP})")
    p.add_argument("--num-shards", type=int, default=1)
    p.set_defaults(func=_archive)


def plan_name(plans: list[PartitionPlan]) -> str:
    """Names the archive after what it holds: the same range always gets the same file names."""
    text = ";".join(f"{p.topic}/{p.partition}:{p.start}-{p.stop}" for p in sorted(plans))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def _archive(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.commands.run import pipeline_options
    from pipelines.io.archive import WriteArchive
    from pipelines.io.kafka import ReadFromKafka, commit_after_run, read_config_from_options
    from pipelines.progress import RunProgress
    from pipelines.runners import resolve_runner

    try:
        for t in args.topic.split(","):
            validate_topic(t)
        flags = [*beam_args, f"--source=kafka://{args.bootstrap or ''}/{args.topic}"]
        if args.from_time:
            flags.append(f"--kafka_start={parse_time_ms(args.from_time)}")
        if args.to_time:
            flags.append(f"--kafka_stop={parse_time_ms(args.to_time)}")
        options = pipeline_options(flags)
        config = read_config_from_options(options, bounded=True)
    except (KafkaConfigError, ValueError) as exc:
        print(f"newsbeam archive: error: {exc}", file=sys.stderr)
        return 2
    read = ReadFromKafka(config)
    if read.plan and all(p.size == 0 for p in read.plan):
        print(f"newsbeam archive: nothing to archive in {args.topic}")
        return 0
    start = time.monotonic()
    pipeline = beam.Pipeline(runner=resolve_runner(options), options=options)
    _ = (pipeline | "ReadKafka" >> read
         | "Archive" >> WriteArchive(args.output, args.num_shards, f"archive-{plan_name(read.plan)}"))
    records = sum(p.size for p in read.plan)
    # The plan fixes the offsets to read, so the live line gets a bar and an ETA (terminal only).
    with RunProgress(pipeline.runner, label="newsbeam archive", total=records or None):
        result = pipeline.run()
        result.wait_until_finish()
    print(f"newsbeam archive: {args.topic} ({records} offsets) -> {args.output} "
          f"in {time.monotonic() - start:.1f}s")
    for line in commit_after_run(pipeline, result):
        print("  " + line)
    return 0
