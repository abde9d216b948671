"""``newsbeam replay --topic T --from TIME --to TIME --output DIR``: reprocess a time range.

A bounded run of the whole pipeline over exactly the records whose Kafka timestamp lies in
[FROM, TO): offsets_for_times finds the offset range of every partition when the job is built,
and records inside it with a timestamp outside the range are skipped (producer timestamps need
not grow with offsets). Offsets are never committed: a replay leaves consumer groups alone.
"""

from __future__ import annotations

import argparse
import sys

from pipelines.io.kafka_config import DEFAULT_BOOTSTRAP, KafkaConfigError, parse_time_ms, validate_topic


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "replay", help="reprocess a time range of a Kafka topic (bounded, deterministic)",
        description="Run the pipeline over the records of TOPIC with timestamps in [FROM, TO) and write "
                    "DIR/articles, DIR/duplicates, DIR/dead_letters. Other flags are Beam and --kafka_* options.")
    p.add_argument("--topic", required=True, help="TOPIC[,TOPIC]")
    p.add_argument("--from", dest="from_time", required=True, metavar="TIME", help="ISO 8601 or epoch ms (inclusive)")
    p.add_argument("--to", dest="to_time", required=True, metavar="TIME", help="ISO 8601 or epoch ms (exclusive)")
    p.add_argument("--output", required=True, metavar="DIR")
    p.add_argument("--bootstrap", default=None, help=f"HOST:PORT[,HOST:PORT] (default {DEFAULT_BOOTSTRAP})")
    p.set_defaults(func=_replay)


def replay_args(topic: str, from_time: str, to_time: str, output: str, bootstrap: str | None,
                beam_args: list[str]) -> list[str]:
    """The ``run`` flags of a replay: explicit time range, no consumer group, no commits."""
    for t in topic.split(","):
        validate_topic(t)
    start, stop = parse_time_ms(from_time), parse_time_ms(to_time)
    if stop <= start:
        raise KafkaConfigError(f"--to ({to_time}) must be after --from ({from_time})")
    blocked = [a for a in beam_args if a.split("=")[0] in ("--kafka_group_id", "--kafka_unbounded", "--source")]
    if blocked:
        raise KafkaConfigError(f"replay does not take {', '.join(blocked)}")
    return [*beam_args, f"--source=kafka://{bootstrap or ''}/{topic}", f"--kafka_start={start}",
            f"--kafka_stop={stop}", "--kafka_commit=off", f"--output={output}"]


def _replay(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.commands.run import pipeline_options, run_pipeline
    from pipelines.summary_table import print_summary

    try:
        flags = replay_args(args.topic, args.from_time, args.to_time, args.output, args.bootstrap, beam_args)
    except KafkaConfigError as exc:
        print(f"newsbeam replay: error: {exc}", file=sys.stderr)
        return 2
    summary = run_pipeline(pipeline_options(flags), label="newsbeam replay")
    print(f"newsbeam replay: {args.topic} [{args.from_time}, {args.to_time}) -> {args.output}")
    print_summary(summary)
    for line in summary.lines():
        print("  " + line)
    return 0 if summary.balanced else 3
