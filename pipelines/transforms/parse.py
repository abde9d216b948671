"""ParseArticles: RawRecord -> Article, or a DeadLetter that says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import apache_beam as beam

from pipelines.metrics import counter
from pipelines.nlp.parsing import ParseError, parse_record
from pipelines.nlp.parsing.errors import MAX_INPUT_BYTES
from schemas.records import Article, DeadLetter, RawRecord

DEAD_LETTERS = "dead_letters"


class _ParseFn(beam.DoFn):
    def __init__(self, max_raw_bytes: int | None = None) -> None:
        self._max_raw = max_raw_bytes
        # The raw-size bound applies to every source (the file reader checks it too; a Kafka record
        # is bounded only here), never above the parsers' own limit.
        self._max_bytes = min(max_raw_bytes or MAX_INPUT_BYTES, MAX_INPUT_BYTES)
        self._parsed = counter("parsed")
        self._failed = counter("parse_failed")

    def process(self, raw: RawRecord) -> Iterator[Any]:
        try:
            article = parse_record(raw, self._max_bytes)
        except ParseError as exc:
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, DeadLetter.from_raw(
                "parse", exc.kind, exc.message, raw.source, raw.data, self._max_raw))
            return
        except Exception as exc:  # a parser bug must cost one record, never the job
            self._failed.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, DeadLetter.from_raw(
                "parse", "internal_error", f"{type(exc).__name__}: {exc}", raw.source, raw.data,
                self._max_raw))
            return
        self._parsed.inc()
        yield article


class ParseArticles(beam.PTransform):
    """RawRecords -> Articles (main output ``articles``) and DeadLetters (``dead_letters``)."""

    def __init__(self, max_raw_bytes: int | None = None) -> None:
        super().__init__()
        self._max_raw = max_raw_bytes

    def expand(self, raws: beam.PCollection[RawRecord]) -> beam.pvalue.DoOutputsTuple:
        return raws | "Parse" >> (
            beam.ParDo(_ParseFn(self._max_raw))
            .with_input_types(RawRecord)
            .with_output_types(Article)
            .with_outputs(DEAD_LETTERS, main="articles"))
