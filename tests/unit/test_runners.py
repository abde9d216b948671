import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from apache_beam.options.pipeline_options import (
    FlinkRunnerOptions,
    PipelineOptions,
    PortableOptions,
    PrismRunnerOptions,
    StandardOptions,
)
from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
from apache_beam.runners.portability.fn_api_runner.fn_runner import FnApiRunner
from apache_beam.runners.runner import PipelineResult, PipelineState

from pipelines.commands.run import pipeline_options
from pipelines.runners import (
    PROFILES,
    RunnerConfigError,
    cached_flink_job_server_jar,
    cached_prism_path,
    resolve_runner,
    wait_or_cancel,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE", str(tmp_path))
    return tmp_path


def _touch_executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_direct_runner_means_the_offline_fn_api_runner_for_batch():
    for flags in ([], ["--runner=DirectRunner"]):
        assert isinstance(resolve_runner(PipelineOptions(flags)), FnApiRunner)


def test_direct_runner_in_streaming_mode_uses_the_bundle_based_runner():
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner", "--streaming"]))
    assert isinstance(runner, BundleBasedDirectRunner)


def test_prism_without_a_local_binary_is_refused_with_the_fix(empty_cache):
    with pytest.raises(RunnerConfigError, match=r"deploy/local/prism\.sh"):
        resolve_runner(PipelineOptions(["--runner=PrismRunner"]))
    with pytest.raises(RunnerConfigError):
        resolve_runner(PipelineOptions(["--runner=PrismRunner", "--prism_location=https://example.org/prism.zip"]))


def test_prism_is_found_in_the_cache_and_runs_its_worker_in_process(empty_cache):
    binary = _touch_executable(cached_prism_path())
    assert str(binary).startswith(str(empty_cache))
    options = PipelineOptions(["--runner=PrismRunner"])
    assert resolve_runner(options) == "PrismRunner"
    assert options.view_as(PrismRunnerOptions).prism_location == str(binary)
    assert options.view_as(PortableOptions).environment_type == "LOOPBACK"


def test_prism_sh_builds_where_the_runner_looks(empty_cache):
    # `path` only reports (exit 1: not built); it must name the same file the CLI resolves.
    done = subprocess.run(["bash", str(ROOT / "deploy/local/prism.sh"), "path"], capture_output=True, text=True,
                          env={**os.environ, "NEWSBEAM_CACHE": str(empty_cache)})
    assert done.returncode == 1 and "not built" in done.stderr
    _touch_executable(cached_prism_path())
    done = subprocess.run(["bash", str(ROOT / "deploy/local/prism.sh"), "path"], capture_output=True, text=True,
                          env={**os.environ, "NEWSBEAM_CACHE": str(empty_cache)}, check=True)
    assert done.stdout.strip() == str(cached_prism_path())


def test_flink_without_a_local_job_server_jar_is_refused(empty_cache):
    with pytest.raises(RunnerConfigError, match=r"deploy/local/flink\.sh"):
        resolve_runner(PipelineOptions(["--runner=FlinkRunner"]))
    jar = cached_flink_job_server_jar()
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"PK")
    options = PipelineOptions(["--runner=FlinkRunner"])
    assert resolve_runner(options) == "FlinkRunner"
    assert options.view_as(FlinkRunnerOptions).flink_job_server_jar == str(jar)
    with pytest.raises(RunnerConfigError, match="uber_jar"):
        resolve_runner(PipelineOptions(["--runner=FlinkRunner", "--flink_submit_uber_jar"]))


def test_other_runners_pass_through_by_name():
    assert resolve_runner(PipelineOptions(["--runner=DataflowRunner"])) == "DataflowRunner"


def test_profiles_set_runner_flags_and_explicit_flags_win(empty_cache):
    options = pipeline_options(["--profile=local-streaming", "--output=x"])
    assert options.view_as(StandardOptions).runner == "PrismRunner"
    assert options.view_as(StandardOptions).streaming
    assert options.view_as(PrismRunnerOptions).prism_location == str(cached_prism_path())
    assert options.view_as(PortableOptions).environment_type == "LOOPBACK"
    options = pipeline_options(["--profile=flink-local", "--environment_type=PROCESS"])
    assert options.view_as(StandardOptions).runner == "FlinkRunner"
    assert options.view_as(FlinkRunnerOptions).flink_master == "[local]"
    assert options.view_as(PortableOptions).environment_type == "PROCESS"
    options = pipeline_options(["--profile=flink-cluster"])
    assert options.view_as(FlinkRunnerOptions).flink_master == "localhost:18081"
    assert pipeline_options([]).view_as(StandardOptions).runner == "DirectRunner"
    with pytest.raises(RunnerConfigError, match="unknown --profile"):
        pipeline_options(["--profile=nope"])
    assert {"local", "prism", "local-streaming", "flink-local", "dataflow"} <= set(PROFILES)


class _EndlessResult(PipelineResult):
    """A streaming job's result: runs until cancelled."""

    def __init__(self):
        super().__init__(PipelineState.RUNNING)
        self.cancelled = threading.Event()

    def wait_until_finish(self, duration=None):
        while not self.cancelled.is_set():
            time.sleep(0.05)
        raise RuntimeError("cancelled")

    def cancel(self):
        self.cancelled.set()
        self._state = PipelineState.CANCELLED
        return self._state


def test_sigterm_cancels_a_running_job_and_returns():
    before = signal.getsignal(signal.SIGTERM)
    result = _EndlessResult()
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    assert wait_or_cancel(result) is False
    assert result.state == PipelineState.CANCELLED
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is only ours while the job runs


def test_local_runner_worker_processes_import_the_sampler_period_plugin():
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner", "--beam_plugins=x"]))
    worker_options = runner._provision_info.provision_info.pipeline_options  # what sdk_worker_main reads
    assert list(worker_options["beam:option:beam_plugins:v1"]) == ["x", "pipelines.fnapi_sampler"]
