"""Count what leaves the pipeline, so records in = articles + duplicates + dead letters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import apache_beam as beam

from pipelines import metrics
from pipelines.metrics import counter


def dead_letter_reason(dead: Any) -> str:
    """Counter of one dead-letter reason: ``dead_letter.<stage>.<error>`` (the summary's breakdown)."""
    return f"{metrics.DEAD_LETTER_PREFIX}{dead.stage}.{dead.error}"


def is_canonical(article: Any) -> bool:
    """False for a duplicate kept (flagged) in articles/ by --keep_duplicates: it is counted once,
    under duplicates, so the accounting still adds up."""
    return article.dedupe is None or article.dedupe.duplicate_of is None


class _CountFn(beam.DoFn):
    def __init__(self, name: str, predicate: Callable[[Any], bool] | None,
                 by: Callable[[Any], str] | None = None) -> None:
        self._name = name
        self._predicate = predicate
        self._counter = counter(name)
        self._by = by
        self._by_counters: dict[str, Any] = {}

    def process(self, element: Any) -> Iterator[Any]:
        if self._predicate is None or self._predicate(element):
            self._counter.inc()
            if self._by is not None:
                key = self._by(element)
                if key not in self._by_counters:
                    self._by_counters[key] = counter(key)
                self._by_counters[key].inc()
        yield element


class CountOutput(beam.PTransform):
    """Pass-through that increments the ``newsbeam/<name>`` counter once per element, and with
    ``by`` also the counter named ``by(element)`` (a breakdown, e.g. dead letters by reason)."""

    def __init__(self, name: str, predicate: Callable[[Any], bool] | None = None,
                 by: Callable[[Any], str] | None = None) -> None:
        super().__init__()
        self._name = name
        self._predicate = predicate
        self._by = by

    def expand(self, pcoll: beam.PCollection) -> beam.PCollection:
        count = _CountFn(self._name, self._predicate, self._by)
        return pcoll | f"Count_{self._name}" >> beam.ParDo(count).with_output_types(pcoll.element_type)
