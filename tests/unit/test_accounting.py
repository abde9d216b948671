"""CountOutput: one counter per element, and a breakdown counter (dead letters by reason)."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter

from pipelines import metrics
from pipelines.transforms.accounting import CountOutput, dead_letter_reason
from schemas.records import DeadLetter, SourceRef
from tests.conftest import beam_pipeline


def _dead(stage: str, error: str) -> DeadLetter:
    return DeadLetter.from_raw(stage, error, "why", SourceRef(uri="x.txt"), b"raw")


def test_dead_letters_are_counted_in_total_and_by_reason():
    p = beam_pipeline()
    dead = [_dead("parse", "bad_json"), _dead("parse", "bad_json"), _dead("read", "too_large")]
    _ = (p | beam.Create(dead).with_output_types(DeadLetter)
         | CountOutput(metrics.DEAD_LETTERS, by=dead_letter_reason))
    result = p.run()
    result.wait_until_finish()
    counters = {c.key.metric.name: c.committed for c in result.metrics().query(
        MetricsFilter().with_namespace(metrics.NAMESPACE))["counters"]}
    assert counters == {"dead_letters": 3, "dead_letter.parse.bad_json": 2, "dead_letter.read.too_large": 1}


def test_dead_letter_reason_name():
    assert dead_letter_reason(_dead("sink", "rejected")) == "dead_letter.sink.rejected"
