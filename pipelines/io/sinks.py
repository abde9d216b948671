"""WriteToSinks: the pipeline's outputs to every ``--sink`` (jsonl, parquet, postgres, kafka).

The JSON Lines files of ``--output`` are the contract and are written by pipeline.py whatever the
sinks; these are extra destinations. Transform labels carry the sink's index and kind only, never
its target: a DSN in a label would show in runner UIs and logs.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.io.jsonl import WriteJsonLines
from pipelines.io.parquet import WriteParquet, no_partition, published_date_partition
from pipelines.io.postgres import WriteToPostgres
from pipelines.io.sink_spec import SinkSpec
from pipelines.options import IOOptions, SinkOptions
from schemas.records import DeadLetter, DuplicateRecord, EnrichedArticle

OUTPUT_NAMES = ("articles", "duplicates", "dead_letters")
_PARQUET_LAYOUT = {  # folder -> (model, partitioning)
    "articles": (EnrichedArticle, published_date_partition),
    "duplicates": (DuplicateRecord, no_partition),
    "dead_letters": (DeadLetter, no_partition),
}


class WriteToSinks(beam.PTransform):
    """``{"articles", "duplicates", "dead_letters"}`` PCollections -> each sink in ``specs``.

    Outputs the DeadLetters (stage "sink") of records a sink rejected for good; sinks that cannot
    reject single records (files, Kafka) fail the bundle instead, so the runner retries it.
    """

    def __init__(self, specs: list[SinkSpec], options: PipelineOptions) -> None:
        super().__init__()
        self._specs = specs
        self._options = options

    def expand(self, outputs: dict[str, beam.PCollection]) -> beam.PCollection:
        missing = set(OUTPUT_NAMES) - set(outputs)
        if missing:
            raise ValueError(f"WriteToSinks needs the outputs {sorted(missing)}")
        sink = self._options.view_as(SinkOptions)
        rejected: list[beam.PCollection] = []
        for i, spec in enumerate(self._specs):
            label = f"Sink{i}_{spec.kind}"
            if spec.kind == "jsonl":
                io = self._options.view_as(IOOptions)
                for name in OUTPUT_NAMES:
                    outputs[name] | f"{label}_{name}" >> WriteJsonLines(
                        spec.target, name, io.num_shards, io.output_window_seconds)
            elif spec.kind == "parquet":
                for name, (model, partition) in _PARQUET_LAYOUT.items():
                    outputs[name] | f"{label}_{name}" >> WriteParquet(
                        FileSystems.join(spec.target, name), model, name=name, partition=partition,
                        row_group_rows=sink.parquet_row_group_rows, window_seconds=sink.parquet_window_seconds)
            elif spec.kind == "postgres":
                rejected.append(dict(outputs) | label >> WriteToPostgres(spec.target, sink.postgres_batch_size))
            elif spec.kind == "kafka":
                from pipelines.io.kafka import connection_from_options
                from pipelines.io.kafka_sink import WriteToKafka

                connection = connection_from_options(self._options, bootstrap=spec.target)
                outputs["articles"] | label >> WriteToKafka(connection, spec.topic or "")
            else:  # parse_sink_spec only makes the kinds above
                raise ValueError(f"unknown sink kind {spec.kind!r}")
        pipeline = outputs["articles"].pipeline
        return tuple(rejected) | "SinkRejects" >> beam.Flatten(pipeline=pipeline).with_output_types(DeadLetter)


def check_sinks(specs: list[SinkSpec]) -> None:
    """Launcher-side check before any data moves: each PostgreSQL sink is reachable and migrated
    (the sink's workers check again in setup, where the launcher cannot see the database)."""
    import psycopg

    from pipelines.io.pg_migrate import require_current_schema

    for spec in specs:
        if spec.kind == "postgres":
            try:
                with psycopg.connect(spec.target, connect_timeout=10) as conn:
                    require_current_schema(conn)
            except psycopg.Error as exc:
                raise ConnectionError(f"sink {spec.describe()}: {str(exc).strip()}") from exc
