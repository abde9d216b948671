"""build(p, options): source -> parse -> dedupe -> enrich -> sinks.

Every stage is a named composite transform so it reads the same in a runner's UI as here.
"""

from __future__ import annotations

from dataclasses import dataclass

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import metrics
from pipelines.io.files import ReadInputFiles
from pipelines.io.jsonl import WriteJsonLines
from pipelines.io.sink_spec import parse_sink_specs
from pipelines.io.sinks import WriteToSinks
from pipelines.options import EnrichOptions, IOOptions, KafkaOptions, SinkOptions
from pipelines.transforms.accounting import CountOutput, dead_letter_reason, is_canonical
from pipelines.transforms.dedupe import Dedupe
from pipelines.transforms.enrich import Enrich
from pipelines.transforms.parse import ParseArticles
from pipelines.transforms.window_accounting import WindowAccounting, WriteAccounts
from schemas.records import DeadLetter


@dataclass
class PipelineOutputs:
    articles: beam.PCollection
    duplicates: beam.PCollection
    dead_letters: beam.PCollection
    # Unbounded input only, for the per-window accounting (DIR/accounting/).
    raw: beam.PCollection | None = None
    corrections: beam.PCollection | None = None


def read_source(p: beam.Pipeline, options: PipelineOptions) -> tuple[beam.PCollection, list[beam.PCollection]]:
    """RawRecords from the configured source, plus dead letters raised while reading."""
    io = options.view_as(IOOptions)
    kafka = options.view_as(KafkaOptions)
    if kafka.source or kafka.kafka_topics:  # --source kafka://HOST:PORT/TOPIC
        from pipelines.io.kafka import ReadFromKafka, read_config_from_options
        return p | "ReadKafka" >> ReadFromKafka(read_config_from_options(options)), []
    if not io.inputs:
        raise ValueError("no source: pass --input PATH [PATH ...] or --source kafka://HOST:PORT/TOPIC")
    read = p | "ReadFiles" >> ReadInputFiles(io.inputs, io.max_record_bytes)
    return read.records, [read.dead_letters]


def process(
    raw: beam.PCollection, options: PipelineOptions
) -> tuple[beam.PCollection, beam.PCollection, list[beam.PCollection], beam.PCollection | None]:
    """RawRecords -> (enriched articles, duplicates, dead letters of these stages, streaming dedupe
    corrections or None)."""
    io = options.view_as(IOOptions)
    parsed = raw | "Parse" >> ParseArticles(max_raw_bytes=io.max_record_bytes)
    dedupe = Dedupe.from_options(options)  # batch, or stateful with TTL when streaming
    deduped = parsed.articles | "Dedupe" >> dedupe
    enriched = deduped.articles | "Enrich" >> Enrich(options.view_as(EnrichOptions))
    corrections = deduped.corrections if dedupe.streaming else None
    return enriched, deduped.duplicates, [parsed.dead_letters], corrections


def build(p: beam.Pipeline, options: PipelineOptions) -> PipelineOutputs:
    raw, read_dead = read_source(p, options)
    articles, duplicates, stage_dead, corrections = process(raw, options)
    dead_letters = (read_dead + stage_dead) | "CollectDeadLetters" >> beam.Flatten().with_output_types(
        DeadLetter)
    outputs = PipelineOutputs(
        articles=articles | "CountArticles" >> CountOutput(metrics.ARTICLES_OUT, is_canonical),
        duplicates=duplicates | "CountDuplicates" >> CountOutput(metrics.DUPLICATES),
        dead_letters=dead_letters | "CountDeadLetters" >> CountOutput(metrics.DEAD_LETTERS, by=dead_letter_reason),
        raw=None if raw.is_bounded else raw, corrections=corrections,
    )
    write_sinks(outputs, options)
    return outputs


def write_sinks(outputs: PipelineOutputs, options: PipelineOptions) -> None:
    io = options.view_as(IOOptions)
    dead_letters = outputs.dead_letters
    specs = parse_sink_specs(options.view_as(SinkOptions).sinks)
    if specs:
        rejected = {"articles": outputs.articles, "duplicates": outputs.duplicates,
                    "dead_letters": outputs.dead_letters} | "Sinks" >> WriteToSinks(specs, options)
        # A record a sink rejected was already counted (as an article, say): counted apart, and kept
        # in dead_letters/ with stage "sink", so records in = articles + duplicates + dead letters holds.
        rejected = rejected | "CountSinkRejects" >> CountOutput(metrics.SINK_REJECTS, by=dead_letter_reason)
        dead_letters = (dead_letters, rejected) | "WithSinkRejects" >> beam.Flatten().with_output_types(DeadLetter)
    sink = options.view_as(SinkOptions)
    if sink.dead_letter_topic or sink.duplicates_topic:
        from pipelines.io.dead_letter_topic import write_side_topics
        write_side_topics(dead_letters, outputs.duplicates, options)
    if io.output:
        window_s = io.output_window_seconds  # unbounded input only
        outputs.articles | "WriteArticles" >> WriteJsonLines(io.output, "articles", io.num_shards, window_s)
        outputs.duplicates | "WriteDuplicates" >> WriteJsonLines(io.output, "duplicates", io.num_shards, window_s)
        dead_letters | "WriteDeadLetters" >> WriteJsonLines(io.output, "dead_letters", io.num_shards, window_s)
        if outputs.raw is not None:  # streaming: one accounting line per window (and late pane)
            accounts = {"records_in": outputs.raw, "articles": outputs.articles, "duplicates": outputs.duplicates,
                        "dead_letters": outputs.dead_letters, "corrections": outputs.corrections}
            (accounts | "WindowAccounting" >> WindowAccounting(window_s, {"articles": is_canonical})
             | "WriteAccounting" >> WriteAccounts(io.output))
