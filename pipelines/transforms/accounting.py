"""Count what leaves the pipeline, so records in = articles + duplicates + dead letters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam

from pipelines.metrics import counter


def is_canonical(article: Any) -> bool:
    """False for a duplicate kept (flagged) in articles/ by --keep_duplicates: it is counted once,
    under duplicates, so the accounting still adds up."""
    return article.dedupe is None or article.dedupe.duplicate_of is None


class _CountFn(beam.DoFn):
    def __init__(self, name: str, predicate: Callable[[Any], bool] | None) -> None:
        self._name = name
        self._predicate = predicate
        self._counter = counter(name)

    def process(self, element: Any) -> Iterator[Any]:
        if self._predicate is None or self._predicate(element):
            self._counter.inc()
        yield element


class CountOutput(beam.PTransform):
    """Pass-through that increments the ``newsbeam/<name>`` counter once per element."""

    def __init__(self, name: str, predicate: Callable[[Any], bool] | None = None) -> None:
        super().__init__()
        self._name = name
        self._predicate = predicate

    def expand(self, pcoll: beam.PCollection) -> beam.PCollection:
        return pcoll | f"Count_{self._name}" >> beam.ParDo(_CountFn(self._name, self._predicate)).with_output_types(
            pcoll.element_type)
