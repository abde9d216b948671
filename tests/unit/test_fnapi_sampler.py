"""Our local runner's SDK workers sample with SAMPLING_PERIOD_MS, so a bundle's end waits less."""

from __future__ import annotations

import importlib

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.utils.counters import CounterFactory

from pipelines import fnapi_sampler
from pipelines.fnapi_sampler import PLUGIN, SAMPLING_PERIOD_MS, install, with_plugin
from tests.conftest import beam_pipeline


def _bundle_sampler_period(_: object) -> int:
    """The sampling period of the state sampler running the current bundle (in whichever worker)."""
    from apache_beam.runners.worker import statesampler

    return statesampler.get_current_tracker().sampling_period_ms


def test_new_samplers_default_to_the_short_period_and_explicit_periods_stay() -> None:
    from apache_beam.runners.worker import statesampler

    install()
    install()  # idempotent: wraps Beam's __init__ once
    init = statesampler.StateSampler.__init__
    assert not getattr(init.__wrapped__, "_newsbeam_period", False)
    # BundleProcessor's call: prefix and counter factory only.
    assert statesampler.StateSampler("fnapi-step-1", CounterFactory()).sampling_period_ms == SAMPLING_PERIOD_MS
    assert statesampler.StateSampler("s", CounterFactory(), 500).sampling_period_ms == 500
    assert statesampler.DEFAULT_SAMPLING_PERIOD_MS == 200  # Beam's own default is left alone


def test_plugin_is_added_once_to_the_worker_options() -> None:
    assert with_plugin({"runner": "DirectRunner"})["beam_plugins"] == [PLUGIN]
    assert with_plugin({"beam_plugins": ["x"]})["beam_plugins"] == ["x", PLUGIN]
    assert with_plugin({"beam_plugins": [PLUGIN]})["beam_plugins"] == [PLUGIN]
    assert importlib.import_module(PLUGIN) is fnapi_sampler  # what sdk_worker_main imports


@pytest.mark.parametrize("flags", [
    (),
    ("--direct_num_workers=2", "--direct_running_mode=multi_threading"),
    ("--direct_num_workers=2", "--direct_running_mode=multi_processing"),  # worker processes
])
def test_local_runner_bundles_sample_with_the_short_period(flags: tuple[str, ...]) -> None:
    with beam_pipeline(*flags) as p:
        periods = (p | beam.Create(range(6)) | beam.Reshuffle()
                   | beam.Map(_bundle_sampler_period) | beam.Distinct())
        assert_that(periods, equal_to([SAMPLING_PERIOD_MS]))
