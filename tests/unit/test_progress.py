"""Live progress: the runner publishes the counters while it runs; silent without a terminal."""

from __future__ import annotations

import io

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from rich.console import Console

from pipelines import metrics
from pipelines.progress import LiveCounters, ProgressFnApiRunner, RunProgress, progress_line, stage_label
from pipelines.runners import resolve_runner
from pipelines.transforms.accounting import CountOutput


def _run_counting(runner, n: int = 50):
    p = beam.Pipeline(runner=runner, options=PipelineOptions(["--runner=DirectRunner"]))
    _ = (p | "Make" >> beam.Create(list(range(n)))
         | "CountIn" >> CountOutput(metrics.RECORDS_IN)
         | "Even" >> beam.Filter(lambda x: x % 2 == 0)
         | "CountOut" >> CountOutput(metrics.ARTICLES_OUT))
    result = p.run()
    result.wait_until_finish()
    return result


def test_our_local_runner_is_the_progress_runner():
    assert isinstance(resolve_runner(PipelineOptions(["--runner=DirectRunner"])), ProgressFnApiRunner)


def test_live_counters_end_equal_to_the_committed_metrics():
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner"]))
    live = LiveCounters()
    runner.live = live
    result = _run_counting(runner)
    final = {c.key.metric.name: c.committed for c in result.metrics().query(
        MetricsFilter().with_namespace(metrics.NAMESPACE))["counters"]}
    snap = live.snapshot()
    assert snap[metrics.RECORDS_IN] == final[metrics.RECORDS_IN] == 50
    assert snap[metrics.ARTICLES_OUT] == final[metrics.ARTICLES_OUT] == 25
    assert live.bundles >= 1 and live.stage


def test_progress_is_silent_when_stderr_is_not_a_terminal():
    out = io.StringIO()
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner"]))
    with RunProgress(runner, console=Console(file=out)) as progress:
        assert not progress.enabled
        _run_counting(runner, 5)
    assert out.getvalue() == ""
    assert runner.live is None


def test_progress_draws_a_live_line_on_a_terminal():
    out = io.StringIO()
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner"]))
    console = Console(file=out, force_terminal=True, width=120)
    with RunProgress(runner, label="newsbeam run", total=50, console=console, refresh_per_second=50) as progress:
        assert progress.enabled
        _run_counting(runner, 50)
    text = out.getvalue()
    assert "newsbeam run" in text and "records in" in text and "articles out" in text
    assert runner.live is None  # detached afterwards


def test_progress_line_and_stage_label():
    from collections import Counter

    line = progress_line(Counter({metrics.RECORDS_IN: 7, metrics.DEAD_LETTERS: 2}), "Parse", 3.2)
    assert line.plain.startswith("records in 7 · articles out 0 · duplicates 0 · dead letters 2")
    assert line.plain.endswith("Parse")

    class _T:
        def __init__(self, name):
            self.unique_name = name

    class _Stage:
        transforms = [_T("ReadFiles/Read"), _T("ref_AppliedPTransform_x"), _T("Parse/Parse"), _T("Parse/Other")]

    assert stage_label(_Stage()) == "ReadFiles+Parse"
    assert stage_label(object()) == "pipeline"
