"""Runner selection in one place. Never lets Beam download anything at run time.

Beam's ``DirectRunner`` first tries Prism, which it downloads from the internet. Our
"DirectRunner" therefore means the FnApiRunner for batch (what the DirectRunner would fall back
to) and the BundleBasedDirectRunner for streaming; Prism needs a local binary built by
deploy/local/prism.sh and passed with --prism_location.
"""

from __future__ import annotations

import os

from apache_beam.options.pipeline_options import (
    PipelineOptions,
    PrismRunnerOptions,
    StandardOptions,
)
from apache_beam.runners.runner import PipelineRunner

LOCAL_BATCH = {None, "", "DirectRunner", "FnApiRunner", "direct"}


class RunnerConfigError(ValueError):
    """A runner choice that cannot work on this machine, with the fix in the message."""


def _fn_api_runner(options: PipelineOptions) -> PipelineRunner:
    from apache_beam.portability.api import beam_provision_api_pb2
    from apache_beam.runners.portability.fn_api_runner import fn_runner
    from apache_beam.runners.portability.portable_runner import JobServiceHandle

    # Same provision info the DirectRunner passes, so DoFns see the pipeline options.
    encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
    info = fn_runner.ExtendedProvisionInfo(
        beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded))
    # Same runner; it can also publish its counters while it runs (pipelines/progress.py).
    from pipelines.progress import ProgressFnApiRunner
    return ProgressFnApiRunner(provision_info=info)


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
    if name in ("PrismRunner", "prism"):
        location = options.view_as(PrismRunnerOptions).prism_location
        if not location or location.startswith(("http://", "https://")) or not os.path.exists(location):
            raise RunnerConfigError(
                "PrismRunner needs a local prism binary: run `bash deploy/local/prism.sh` and pass "
                "--prism_location=$(bash deploy/local/prism.sh path)")
        return "PrismRunner"
    return name
