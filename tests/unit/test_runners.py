import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.direct.direct_runner import BundleBasedDirectRunner
from apache_beam.runners.portability.fn_api_runner.fn_runner import FnApiRunner

from pipelines.runners import RunnerConfigError, resolve_runner


def test_direct_runner_means_the_offline_fn_api_runner_for_batch():
    for flags in ([], ["--runner=DirectRunner"]):
        assert isinstance(resolve_runner(PipelineOptions(flags)), FnApiRunner)


def test_direct_runner_in_streaming_mode_uses_the_bundle_based_runner():
    runner = resolve_runner(PipelineOptions(["--runner=DirectRunner", "--streaming"]))
    assert isinstance(runner, BundleBasedDirectRunner)


def test_prism_without_a_local_binary_is_refused_with_the_fix():
    with pytest.raises(RunnerConfigError, match=r"deploy/local/prism\.sh"):
        resolve_runner(PipelineOptions(["--runner=PrismRunner"]))
    with pytest.raises(RunnerConfigError):
        resolve_runner(PipelineOptions(["--runner=PrismRunner", "--prism_location=https://example.org/prism.zip"]))


def test_other_runners_pass_through_by_name():
    assert resolve_runner(PipelineOptions(["--runner=DataflowRunner"])) == "DataflowRunner"
