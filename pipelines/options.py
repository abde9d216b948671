"""Every newsbeam pipeline option, declared once, as PipelineOptions subclasses.

The CLI, the Dataflow flex template and tests all build a ``PipelineOptions`` from flags and
read these views; nothing else declares an option.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.options.pipeline_options import _BeamArgumentParser as _ArgumentParser

DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024


class IOOptions(PipelineOptions):
    """Where records come from and where they go."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--input", dest="inputs", nargs="+", default=None, action="extend",
            help="files, directories (read recursively) or globs of .txt/.html/.htm/.json/.jsonl, "
                 "optionally .gz; any Beam filesystem (gs://, s3:// with their extras)")
        parser.add_argument(
            "--output", default=None,
            help="output DIR: receives articles/, duplicates/ and dead_letters/ as JSON Lines")
        parser.add_argument(
            "--num_shards", type=int, default=1,
            help="shards per JSON Lines output folder (0 lets the runner decide)")
        parser.add_argument(
            "--max_record_bytes", type=int, default=DEFAULT_MAX_RECORD_BYTES,
            help="inputs larger than this (after decompression) become dead letters")


class DedupeOptions(PipelineOptions):
    """How copies of the same story are found and which one is kept."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--keep_duplicates", action="store_true", default=False,
            help="also write duplicates to articles/ (flagged with dedupe.duplicate_of) "
                 "instead of only to duplicates/")


class EnrichOptions(PipelineOptions):
    """Named entities and topic tags."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--enrich", choices=["full", "none"], default="full",
            help="'none' passes articles through with empty entities and topics")


class SinkOptions(PipelineOptions):
    """Extra sinks beside the JSON Lines contract of --output (pipelines/io/sinks.py)."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--sink", dest="sinks", action="append", default=None,
            help="repeatable: jsonl:DIR | parquet:DIR | postgres:DSN | kafka://HOST:PORT/TOPIC. "
                 "Give a postgres password through PGPASSWORD or PGPASSFILE, not in the DSN "
                 "(pipeline options are logged and shown by runners)")
        parser.add_argument(
            "--parquet_row_group_rows", type=int, default=10_000,
            help="rows per Parquet row group (~50-100 MB of articles uncompressed)")
        parser.add_argument(
            "--parquet_window_seconds", type=int, default=600,
            help="streaming only: Parquet files are cut per fixed event-time window of this size")
        parser.add_argument(
            "--postgres_batch_size", type=int, default=500,
            help="records per PostgreSQL upsert transaction")
