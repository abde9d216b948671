"""Submit the pipeline to a managed runner and return (the Dataflow Flex Template's entry point).

``newsbeam run`` waits for a job and checks its accounting; a template launcher must not wait for
a streaming job, so it only builds and submits. Both build the same graph with ``build``.
"""

from __future__ import annotations

import argparse

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from apache_beam.runners.runner import PipelineResult

from pipelines.pipeline import build
from pipelines.runners import resolve_runner


def _switches() -> set[str]:
    """Flags that take no value (``--streaming``, ``--kafka_unbounded``, ...)."""
    from pipelines.errors import all_options_parser

    return {opt for action in all_options_parser()._actions
            if isinstance(action, argparse._StoreTrueAction) for opt in action.option_strings}


def template_args(argv: list[str]) -> list[str]:
    """Template parameters arrive as ``--name=value``; a switch's ``=true`` / ``=false`` becomes the
    bare flag or nothing (argparse refuses a value for a switch)."""
    switches, out = _switches(), []
    for arg in argv:
        flag, eq, value = arg.partition("=")
        if eq and flag in switches:
            if value.strip().lower() not in ("true", "false"):
                raise ValueError(f"{flag} takes true or false, not {value!r}")
            if value.strip().lower() == "true":
                out.append(flag)
            continue
        out.append(arg)
    return out


def template_options(argv: list[str]) -> PipelineOptions:
    options = PipelineOptions(template_args(argv))
    if options.view_as(StandardOptions).runner is None:
        options.view_as(StandardOptions).runner = "DataflowRunner"
    return options


def submit(argv: list[str]) -> tuple[beam.Pipeline, PipelineResult]:
    """Build the pipeline from ``argv`` (pipeline options) and submit it; returns without waiting."""
    options = template_options(argv)
    pipeline = beam.Pipeline(runner=resolve_runner(options), options=options)
    build(pipeline, options)
    return pipeline, pipeline.run()
