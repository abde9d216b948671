"""Live progress of a local batch run, from the pipeline's own Beam counters.

The FnApiRunner (our local DirectRunner) runs a pipeline synchronously and only hands back its
metrics when the job is done, so ``result.metrics()`` cannot be polled while it runs.
``ProgressFnApiRunner`` keeps what Beam already computes per bundle: the counters of finished
bundles, plus those of the bundles in flight, read from the in-process SDK workers the way a
progress request reads them. ``RunProgress`` shows them as one live line on a terminal (records
in, articles out, duplicates, dead letters, stage, elapsed; a bar with an ETA when the number of
records is known ahead) and is silent when stderr is not a terminal.

The live numbers are attempts (a retried bundle counts twice) and only cover in-process workers;
the summary at the end always comes from the runner's committed metrics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from apache_beam.metrics import monitoring_infos as mi
from apache_beam.runners.portability.fn_api_runner import fn_runner
from apache_beam.runners.portability.fn_api_runner.worker_handlers import EmbeddedWorkerHandler
from rich.console import Console, Group
from rich.live import Live
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from pipelines import metrics

log = logging.getLogger(__name__)


def newsbeam_counters(infos: Iterable[Any]) -> Counter[str]:
    """Our user counters (namespace ``newsbeam``) in a list of MonitoringInfo protos."""
    out: Counter[str] = Counter()
    for info in infos:
        if info.urn != mi.USER_COUNTER_URN:
            continue
        if info.labels.get(mi.NAMESPACE_LABEL) != metrics.NAMESPACE:
            continue
        out[info.labels[mi.NAME_LABEL]] += int(mi.extract_counter_value(info))
    return out


def stage_label(stage: Any) -> str:
    """A readable name for a fused stage: the top-level transforms it runs (``Parse+Dedupe``)."""
    names: list[str] = []
    for transform in getattr(stage, "transforms", []):
        top = transform.unique_name.split("/")[0]
        if top and not top.startswith("ref_") and top not in names:
            names.append(top)
    return "+".join(names) or "pipeline"


class LiveCounters:
    """Counters of finished bundles plus a view of the bundles running now. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: Counter[str] = Counter()
        self._handlers: Any = None
        self.stage = ""
        self.bundles = 0

    def begin(self, stage: Any, handler_manager: Any) -> None:
        with self._lock:
            self.stage = stage_label(stage)
            self._handlers = handler_manager

    def finish(self, infos: Iterable[Any]) -> None:
        finished = newsbeam_counters(infos)
        with self._lock:
            self._done.update(finished)
            self.bundles += 1

    def snapshot(self) -> Counter[str]:
        with self._lock:
            total = Counter(self._done)
            handlers = self._handlers
        total.update(self._in_flight(handlers))
        return total

    @staticmethod
    def _in_flight(manager: Any) -> Counter[str]:
        out: Counter[str] = Counter()
        cached = getattr(manager, "_cached_handlers", None) or {}
        for handlers in list(cached.values()):
            for handler in list(handlers):
                if not isinstance(handler, EmbeddedWorkerHandler):
                    continue  # a worker in another process: its counters arrive with the bundle
                active = handler.bundle_processor_cache.active_bundle_processors
                for _, processor in list(active.values()):
                    try:
                        out.update(newsbeam_counters(processor.monitoring_infos()))
                    except Exception:  # the bundle finished while we read it: counted in finish()
                        log.debug("progress: bundle counters unavailable", exc_info=True)
        return out


class ProgressFnApiRunner(fn_runner.FnApiRunner):
    """The FnApiRunner, publishing its counters while it runs when ``live`` is set.

    It hooks ``_execute_bundle`` of the pinned Beam release; if that hook fails the bundle still
    runs and only the live display stops updating.
    """

    live: LiveCounters | None = None

    def _execute_bundle(self, runner_execution_context: Any, bundle_context_manager: Any,
                        bundle_input: Any) -> Any:
        live = self.live
        if live is not None:
            try:
                live.begin(bundle_context_manager.stage, runner_execution_context.worker_handler_manager)
            except Exception:
                log.debug("progress: cannot follow this stage", exc_info=True)
        result = super()._execute_bundle(runner_execution_context, bundle_context_manager, bundle_input)
        if live is not None:
            try:
                live.finish(result.process_bundle.monitoring_infos)
            except Exception:
                log.debug("progress: bundle counters unavailable", exc_info=True)
        return result


def progress_line(counts: Counter[str], stage: str, elapsed_s: float) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")  # one line, whatever the terminal's width
    parts = [("records in", metrics.RECORDS_IN), ("articles out", metrics.ARTICLES_OUT),
             ("duplicates", metrics.DUPLICATES), ("dead letters", metrics.DEAD_LETTERS)]
    for n, (label, name) in enumerate(parts):
        if n:
            line.append(" · ", style="dim")
        line.append(f"{label} ")
        line.append(str(counts.get(name, 0)), style="bold")
    line.append(f"  {elapsed_s:.0f} s", style="dim")
    if stage:
        line.append(f"  {stage}", style="cyan")
    return line


class RunProgress:
    """Context manager: a live progress line on stderr while ``runner`` runs (TTY only).

    ``total``: records the run will read, when known ahead (a Kafka plan): adds a bar and an ETA.
    """

    def __init__(self, runner: Any, label: str = "running", total: int | None = None,
                 console: Console | None = None, refresh_per_second: float = 4) -> None:
        self._console = console or Console(stderr=True)
        self._runner = runner if isinstance(runner, ProgressFnApiRunner) else None
        self._label = label
        self._total = total
        self._rate = refresh_per_second
        self._live: Live | None = None
        self._counters = LiveCounters()
        self._start = 0.0
        self._bar: Progress | None = None
        self._task: Any = None

    @property
    def enabled(self) -> bool:
        return self._runner is not None and self._console.is_terminal

    def __enter__(self) -> RunProgress:
        self._start = time.monotonic()
        if not self.enabled:
            return self
        assert self._runner is not None
        self._runner.live = self._counters
        if self._total:
            self._bar = Progress(TextColumn(self._label), BarColumn(), TaskProgressColumn(),
                                 TextColumn("{task.completed}/{task.total} records"), TimeRemainingColumn(),
                                 console=self._console)
            self._task = self._bar.add_task(self._label, total=self._total)
        self._live = Live(get_renderable=self._render, console=self._console, transient=True,
                          refresh_per_second=self._rate)
        self._live.start()
        return self

    def _render(self) -> Any:
        counts = self._counters.snapshot()
        line = progress_line(counts, self._counters.stage, time.monotonic() - self._start)
        if self._bar is None:
            return Text.assemble(Text(f"{self._label} ", style="bold"), line, no_wrap=True, overflow="ellipsis")
        self._bar.update(self._task, completed=min(counts.get(metrics.RECORDS_IN, 0), self._total or 0))
        return Group(self._bar.get_renderable(), line)

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.stop()
        if self._runner is not None:
            self._runner.live = None
