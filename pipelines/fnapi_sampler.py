"""A shorter state-sampling period for the SDK workers of our local runner (the FnApiRunner).

Every bundle runs a state sampler whose thread sleeps in steps growing by 1.2x from 1% of the
sampling period up to the period (apache-beam 2.77.0: ``statesampler.StateSampler``, period
``DEFAULT_SAMPLING_PERIOD_MS`` = 200 ms, bound as ``__init__``'s default argument, which
``BundleProcessor`` relies on). The end of the bundle joins that thread, so it waits for the rest
of the current step: about a tenth of a short bundle's time, and 0-200 ms (mean ~100 ms) once a
bundle runs for over a second (a Kafka read, a Dedupe pass). Beam has no option for this period.
With ``SAMPLING_PERIOD_MS`` the wait is capped at 20 ms; the sampler only measures time per step
(msec counters, lull logging), so results are the same, and it wakes at most 50 times a second.

``install()`` changes the default for the process it runs in (our in-process workers). Workers
of ``--direct_running_mode=multi_processing`` are new processes: the runner lists this module in
their ``beam_plugins`` (see ``PLUGIN``), which Beam's ``sdk_worker_main`` imports before it
builds the harness, and importing it installs the period there.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from apache_beam.runners.worker import statesampler

SAMPLING_PERIOD_MS = 20
PLUGIN = __name__  # the module name to import in an SDK worker process
_MARK = "_newsbeam_period"
_LOG = logging.getLogger(__name__)


def install() -> None:
    """Make ``SAMPLING_PERIOD_MS`` the default sampling period of new state samplers (idempotent).

    Callers that pass a period keep theirs. Left as is (with a warning) when Beam's
    ``StateSampler.__init__`` no longer takes ``sampling_period_ms``: only Beam's default changes.
    """
    cls = statesampler.StateSampler
    original = cls.__init__
    if getattr(original, _MARK, False):
        return
    if "sampling_period_ms" not in inspect.signature(original).parameters:
        _LOG.warning("StateSampler.__init__ has no sampling_period_ms in this Beam; period left as is")
        return

    def __init__(self: Any, prefix: str, counter_factory: Any,
                 sampling_period_ms: int = SAMPLING_PERIOD_MS) -> None:
        original(self, prefix, counter_factory, sampling_period_ms=sampling_period_ms)

    setattr(__init__, _MARK, True)
    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    __init__.__doc__ = original.__doc__
    cls.__init__ = __init__  # type: ignore[method-assign]


def with_plugin(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` (a pipeline options dict) with this module in ``beam_plugins``, for worker processes."""
    plugins = list(options.get("beam_plugins") or [])
    return {**options, "beam_plugins": plugins if PLUGIN in plugins else [*plugins, PLUGIN]}


# Importing the module installs the period: that is how Beam's beam_plugins reaches a worker process.
install()
