"""``newsbeam run --input PATH [PATH ...] --output DIR [beam options]``."""

from __future__ import annotations

import argparse
import sys
import time

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipelines.io.files import check_inputs
from pipelines.io.sink_spec import parse_sink_specs
from pipelines.io.sinks import check_sinks
from pipelines.options import IOOptions, KafkaOptions, SinkOptions
from pipelines.pipeline import build
from pipelines.progress import RunProgress
from pipelines.runners import apply_profile, resolve_runner, wait_or_cancel
from pipelines.summary import RunSummary, summarize
from pipelines.summary_table import print_summary


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="run the pipeline on files (batch)",
        description="Parse, deduplicate and enrich articles; write DIR/articles, DIR/duplicates and "
                    "DIR/dead_letters as JSON Lines. Other flags are Beam pipeline options "
                    "(--runner, --direct_num_workers, ...); --help-options lists newsbeam's.")
    p.add_argument("--help-options", action="store_true", help="list newsbeam's pipeline options")
    p.add_argument("--config", default=None, metavar="FILE",
                   help="job file (YAML or TOML, see deploy/examples/); flags on the command line override it")
    p.add_argument("--profile", default=None, metavar="NAME",
                   help="runner profile: with --config one of the job file's, else a built-in one (local, prism, "
                        "local-streaming, flink-local, dataflow; README 'Runners')")
    p.set_defaults(func=_run)


def pipeline_options(beam_args: list[str]) -> PipelineOptions:
    options = apply_profile(PipelineOptions(beam_args), beam_args)
    std = options.view_as(StandardOptions)
    if std.runner is None:
        std.runner = "DirectRunner"  # explicit: Beam's default would try to download Prism
    return options


def run_pipeline(options: PipelineOptions, label: str = "newsbeam run") -> RunSummary:
    runner = resolve_runner(options)
    start = time.monotonic()
    pipeline = beam.Pipeline(runner=runner, options=options)
    build(pipeline, options)
    with RunProgress(runner, label=label):  # a live line on a terminal; silent otherwise
        result = pipeline.run()
        finished = wait_or_cancel(result)  # a streaming job runs until Ctrl-C / SIGTERM cancels it
    summary = summarize(result, time.monotonic() - start)
    summary.stopped = not finished
    if finished and summary.balanced:  # Kafka offsets move only past output that is durable and complete
        from pipelines.io.kafka import commit_after_run
        for line in commit_after_run(pipeline, result):
            print(line)
    return summary


def _run(args: argparse.Namespace, beam_args: list[str]) -> int:
    if args.help_options:
        from pipelines import options as opts
        for cls in (opts.RunnerOptions, opts.IOOptions, opts.DedupeOptions, opts.EnrichOptions, opts.KafkaOptions,
                    opts.SinkOptions):
            parser = argparse.ArgumentParser(prog=cls.__name__, add_help=False)
            cls._add_argparse_args(parser)
            parser.print_help()
        return 0
    if args.profile and not args.config:  # a built-in runner profile (pipelines/runners.py PROFILES)
        beam_args = [f"--profile={args.profile}", *beam_args]
    if args.config:
        from pipelines.commands.config import print_problems
        from pipelines.jobfile import ConfigError, load_job, merge_flags

        try:
            beam_args = merge_flags(load_job(args.config, args.profile).flags(args.profile), beam_args)
        except ConfigError as exc:
            print_problems("run", exc.problems)
            return 2
    options = pipeline_options(beam_args)
    io = options.view_as(IOOptions)
    source = options.view_as(KafkaOptions).source
    if not (io.inputs or source) or not io.output:
        print("newsbeam run: error: --input PATH [PATH ...] (or --source kafka://HOST:PORT/TOPIC) and "
              "--output DIR are required", file=sys.stderr)
        return 2
    if io.inputs:
        check_inputs(io.inputs)
    sinks = parse_sink_specs(options.view_as(SinkOptions).sinks)
    check_sinks(sinks)
    summary = run_pipeline(options)
    print(f"newsbeam run: {source or ', '.join(io.inputs)} -> {io.output}")
    for spec in sinks:
        print(f"  sink           {spec.describe()}")
    print_summary(summary)
    for line in summary.lines():
        print("  " + line)
    if summary.unbalanced_windows:  # an error even when stopped: those windows had fired
        print(f"newsbeam run: error: {summary.unbalanced_windows} window(s) in accounting/ do not balance",
              file=sys.stderr)
        return 3
    if summary.stopped:  # records in flight when a streaming job is cancelled are in no count yet
        print("newsbeam run: stopped: windows that fired are written; records in flight are in no count",
              file=sys.stderr)
        return 0
    if not summary.balanced:
        print("newsbeam run: error: records in != articles + duplicates + dead letters",
              file=sys.stderr)
        return 3
    return 0
