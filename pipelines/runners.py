"""Runner selection in one place. Never lets Beam download anything at run time.

Beam's ``DirectRunner`` first tries Prism, which it downloads from the internet. Our
"DirectRunner" therefore means the FnApiRunner for batch (what the DirectRunner would fall back
to) and the BundleBasedDirectRunner for streaming. Prism needs a local binary built by
deploy/local/prism.sh, and Flink a local job-server jar fetched by deploy/local/flink.sh: both are
found in the cache when not given, and refused (with the fix in the message) when missing,
because Beam would otherwise download them.

Named profiles (``--profile NAME``) are sets of Beam flags for one way of running the same
pipeline; flags given on the command line win over the profile's.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import apache_beam
from apache_beam.options.pipeline_options import (
    FlinkRunnerOptions,
    PipelineOptions,
    PortableOptions,
    PrismRunnerOptions,
    StandardOptions,
)
from apache_beam.runners.runner import PipelineResult, PipelineRunner, PipelineState

LOCAL_BATCH = {None, "", "DirectRunner", "FnApiRunner", "direct"}
PRISM = {"PrismRunner", "prism"}
FLINK = {"FlinkRunner", "flink"}
# Keep in step with FLINK_VERSION and BEAM_JOB_SERVER_VERSION in deploy/local/flink.sh.
FLINK_VERSION = "1.19"
FLINK_JOB_SERVER_BEAM_VERSION = "2.62.0"


class RunnerConfigError(ValueError):
    """A runner choice that cannot work on this machine, with the fix in the message."""


def cache_root() -> Path:
    return Path(os.environ.get("NEWSBEAM_CACHE") or Path.home() / ".cache" / "newsbeam")


def cached_prism_path() -> Path:
    """Where deploy/local/prism.sh puts the prism binary of the installed Beam version."""
    return cache_root() / "go" / "bin" / f"beam-{apache_beam.__version__}" / "prism"


def cached_flink_job_server_jar() -> Path:
    """Where deploy/local/flink.sh puts the Flink job-server jar."""
    name = f"beam-runners-flink-{FLINK_VERSION}-job-server-{FLINK_JOB_SERVER_BEAM_VERSION}.jar"
    return cache_root() / "flink" / name


def _local_file(location: str | None) -> bool:
    return bool(location) and not str(location).startswith(("http://", "https://")) and os.path.isfile(location)


# ----------------------------------------------------------------------------- profiles

def _prism_flags() -> list[str]:
    return [f"--prism_location={cached_prism_path()}", "--environment_type=LOOPBACK"]


def _flink_flags(master: str) -> list[str]:
    return ["--runner=FlinkRunner", f"--flink_master={master}", f"--flink_version={FLINK_VERSION}",
            f"--flink_job_server_jar={cached_flink_job_server_jar()}", "--environment_type=LOOPBACK"]


def _flink_local_flags() -> list[str]:
    return _flink_flags("[local]")


def _flink_cluster_flags() -> list[str]:
    # The standalone cluster of `deploy/local/flink.sh cluster-start` on this machine.
    return _flink_flags(f"localhost:{os.environ.get('NEWSBEAM_FLINK_REST_PORT') or '18081'}")


PROFILES: dict[str, tuple[str, Callable[[], list[str]]]] = {
    "local": ("batch in this process (Beam's FnApiRunner, never downloads)",
              lambda: ["--runner=DirectRunner"]),
    "prism": ("batch on the cached Prism binary, SDK worker in this process (LOOPBACK)",
              lambda: ["--runner=PrismRunner", *_prism_flags()]),
    "local-streaming": ("streaming on the cached Prism binary (LOOPBACK): unbounded Kafka reads, "
                        "windows fire as the watermark moves",
                        lambda: ["--runner=PrismRunner", *_prism_flags(), "--streaming"]),
    "flink-local": ("Flink embedded in the job server ([local]), cached job-server jar, LOOPBACK",
                    _flink_local_flags),
    "flink-local-streaming": ("flink-local in streaming mode",
                              lambda: [*_flink_local_flags(), "--streaming"]),
    "flink-cluster": ("FlinkRunner against the standalone Flink cluster of `deploy/local/flink.sh "
                      "cluster-start` (JobManager + TaskManager processes), LOOPBACK",
                      _flink_cluster_flags),
    "dataflow": ("Google Cloud Dataflow; also give --project, --region, --temp_location "
                 "(and --sdk_container_image for the flex template's image)",
                 lambda: ["--runner=DataflowRunner"]),
}


def profile_flags(name: str) -> list[str]:
    """The Beam flags of profile ``name``."""
    if name not in PROFILES:
        raise RunnerConfigError(f"unknown --profile {name!r}; one of: {', '.join(PROFILES)}")
    return PROFILES[name][1]()


def apply_profile(options: PipelineOptions, beam_args: list[str]) -> PipelineOptions:
    """``options`` with the flags of its ``--profile`` (if any) under the explicit flags."""
    from pipelines.options import RunnerOptions

    name = options.view_as(RunnerOptions).profile
    if not name:
        return options
    return PipelineOptions([*profile_flags(name), *beam_args])


# ----------------------------------------------------------------------------- runners

def _fn_api_runner(options: PipelineOptions) -> PipelineRunner:
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    from pipelines.fnapi_sampler import install as short_sampling_period
    from pipelines.fnapi_sampler import with_plugin

    # Same provision info the DirectRunner passes, so DoFns see the pipeline options; worker
    # processes (multi_processing) import the sampler plugin listed in them.
    encoded = JobServiceHandle.encode_pipeline_options(with_plugin(options.get_all_options()))
    info = fn_runner.ExtendedProvisionInfo(
        beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    # Same runner; it can also publish its counters while it runs (pipelines/progress.py).
    from pipelines.fnapi_buffers import install
    from pipelines.progress import ProgressFnApiRunner
    install()  # parallel bundles must not replace each other's output buffers (loses records)
    short_sampling_period()  # each bundle's end waits for the state sampler's sleep (<= 200 ms)
    from pipelines.memory import cap_mmap_threshold
    cap_mmap_threshold()  # this process holds every shuffle in blocks of megabytes: free them for real
    return ProgressFnApiRunner(provision_info=info)


def _check_prism(options: PipelineOptions) -> None:
    prism = options.view_as(PrismRunnerOptions)
    if not prism.prism_location and cached_prism_path().is_file():
        prism.prism_location = str(cached_prism_path())
    if not _local_file(prism.prism_location):
        raise RunnerConfigError(
            "PrismRunner needs a local prism binary: run `bash deploy/local/prism.sh install` (it is then "
            "found in the cache) or pass --prism_location=$(bash deploy/local/prism.sh path)")
    portable = options.view_as(PortableOptions)
    if not portable.environment_type:
        portable.environment_type = "LOOPBACK"  # Beam's default for Prism; DOCKER would pull images


def _check_flink(options: PipelineOptions) -> None:
    flink = options.view_as(FlinkRunnerOptions)
    if flink.flink_submit_uber_jar:
        raise RunnerConfigError("--flink_submit_uber_jar is not supported: it downloads the job-server jar")
    if not flink.flink_job_server_jar and cached_flink_job_server_jar().is_file():
        flink.flink_job_server_jar = str(cached_flink_job_server_jar())
    if not _local_file(flink.flink_job_server_jar):
        raise RunnerConfigError(
            "FlinkRunner needs a local Beam Flink job-server jar (Beam would download one): run "
            "`bash deploy/local/flink.sh fetch` and pass --flink_job_server_jar=$(bash deploy/local/flink.sh jar), "
            "or use --runner=PortableRunner --job_endpoint=HOST:PORT with a running job server")


def _quiet_job_server_logs() -> None:
    # Beam logs starting and stopping Prism / the Flink job server as warnings, the stop from an
    # atexit hook, after the CLI's (or pytest's) output streams may be closed.
    logging.getLogger("apache_beam.utils.subprocess_server").setLevel(logging.ERROR)


def resolve_runner(options: PipelineOptions) -> PipelineRunner | str:
    """The runner object (or name Beam resolves offline) for these options."""
    std = options.view_as(StandardOptions)
    name = std.runner
    if isinstance(name, PipelineRunner):
        return name
    if name in LOCAL_BATCH:
        if std.streaming:
            from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
            return BundleBasedDirectRunner()
        return _fn_api_runner(options)
    if name in PRISM:
        _check_prism(options)
        _quiet_job_server_logs()
        return "PrismRunner"
    if name in FLINK:
        _check_flink(options)
        _quiet_job_server_logs()
        return "FlinkRunner"
    return name


# ----------------------------------------------------------------------------- running

def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def wait_or_cancel(result: PipelineResult, cancel_timeout_s: float = 60) -> bool:
    """Wait for the job; on Ctrl-C or SIGTERM cancel it and wait until it has stopped.

    True when the job finished by itself, False when it was cancelled here. A streaming job runs
    until it is stopped: cancelling it (rather than dying) stops the runner's job and its workers,
    and lets the runner's own subprocess (Prism, the Flink job server) shut down with this process.
    """
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if main else None
    try:
        try:
            result.wait_until_finish()
            return True
        except KeyboardInterrupt:
            print("stopping: cancelling the job", file=sys.stderr)
        if main:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the cancel
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        result.cancel()
        deadline = time.monotonic() + cancel_timeout_s
        while not PipelineState.is_terminal(result.state) and time.monotonic() < deadline:
            time.sleep(0.2)
        print(f"job {result.state}", file=sys.stderr)
        return False
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
