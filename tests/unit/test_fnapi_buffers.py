"""Parallel bundles of the FnApiRunner must not replace each other's output buffers."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from apache_beam.runners.portability.fn_api_runner import execution

from pipelines.fnapi_buffers import install


@pytest.fixture
def slow_buffer_creation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the window between Beam's 'is the buffer missing?' and 'store the new one'."""
    original = execution.ListBuffer.__init__

    def slow(self: execution.ListBuffer, *args: object, **kwargs: object) -> None:
        time.sleep(0.2)
        original(self, *args, **kwargs)

    monkeypatch.setattr(execution.ListBuffer, "__init__", slow)


def _buffers_from_two_threads(get_buffer: Any) -> list[Any]:
    """Beam's own get_buffer code, called by two bundle threads for one materialised output."""
    stage = SimpleNamespace(execution_context=SimpleNamespace(pcoll_buffers={}),
                            get_input_coder_impl=lambda transform_id: None)
    got: list[Any] = []

    def bundle() -> None:
        buffer = get_buffer(stage, b"materialize:pc", "t")
        buffer.append(b"chunk")  # this bundle's output
        got.append(buffer)

    threads = [threading.Thread(target=bundle) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got.append(stage.execution_context.pcoll_buffers[b"materialize:pc"])
    return got


def test_unlocked_buffer_creation_loses_a_bundles_output(slow_buffer_creation: None) -> None:
    install()
    first, second, kept = _buffers_from_two_threads(execution.BundleContextManager.get_buffer.__wrapped__)
    assert first is not second  # each thread filled its own buffer; only one is kept
    assert len(kept._inputs) == 1


def test_locked_buffer_creation_keeps_every_bundles_output(slow_buffer_creation: None) -> None:
    install()
    first, second, kept = _buffers_from_two_threads(execution.BundleContextManager.get_buffer)
    assert first is second is kept
    assert kept._inputs == [b"chunk", b"chunk"]


def test_install_is_idempotent() -> None:
    install()
    locked = execution.BundleContextManager.get_buffer
    install()
    assert execution.BundleContextManager.get_buffer is locked
