"""Count what leaves the pipeline, so records in = articles + duplicates + dead letters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import apache_beam as beam

from pipelines.metrics import counter


class _CountFn(beam.DoFn):
    def __init__(self, name: str) -> None:
        self._name = name
        self._counter = counter(name)

    def process(self, element: Any) -> Iterator[Any]:
        self._counter.inc()
        yield element


class CountOutput(beam.PTransform):
    """Pass-through that increments the ``newsbeam/<name>`` counter once per element."""

    def __init__(self, name: str) -> None:
        super().__init__(label=None)
        self._name = name

    def expand(self, pcoll: beam.PCollection) -> beam.PCollection:
        return pcoll | f"Count_{self._name}" >> beam.ParDo(_CountFn(self._name)).with_output_types(
            pcoll.element_type)
