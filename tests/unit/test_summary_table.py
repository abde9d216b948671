"""The summary tables: stage rows add up like the accounting; dead letters by reason."""

from __future__ import annotations

import io

from rich.console import Console

from pipelines import metrics
from pipelines.summary import RunSummary
from pipelines.summary_table import print_summary, reasons_table, stage_rows

COUNTERS = {
    metrics.RECORDS_IN: 30, "parsed": 25, "parse_failed": 3, metrics.DUPLICATES: 4,
    metrics.ARTICLES_OUT: 21, metrics.DEAD_LETTERS: 5, metrics.FILES_SKIPPED: 1,
    "dead_letter.read.too_large": 2, "dead_letter.parse.bad_json": 2, "dead_letter.parse.empty": 1,
    "ner_skipped_language": 3,
}


def test_stage_rows_follow_the_records_through_the_pipeline():
    rows = {r.stage: r for r in stage_rows(RunSummary(counters=COUNTERS, elapsed_s=2.0))}
    assert rows["read"].records_out == 28 and rows["read"].dead_letters == 2
    assert "1 files skipped" in rows["read"].note
    assert (rows["parse"].records_in, rows["parse"].records_out, rows["parse"].dead_letters) == (28, 25, 3)
    assert (rows["dedupe"].records_in, rows["dedupe"].records_out, rows["dedupe"].duplicates) == (25, 21, 4)
    assert rows["enrich"].records_out == 21 and "3 not English" in rows["enrich"].note
    assert "sinks" not in rows  # no extra sink configured


def test_sink_rows_appear_with_sink_counters():
    counters = dict(COUNTERS, postgres_articles_inserted=20, postgres_articles_unchanged=1,
                    sink_rejects=1, **{"dead_letter.sink.too_long": 1})
    rows = {r.stage: r for r in stage_rows(RunSummary(counters=counters))}
    assert rows["sinks"].dead_letters == 1
    assert "postgres articles: 20 inserted, 0 updated, 1 unchanged" in rows["sinks"].note


def test_dead_letter_reasons_sorted_most_first():
    summary = RunSummary(counters=COUNTERS)
    assert summary.dead_letter_reasons() == [("parse", "bad_json", 2), ("read", "too_large", 2),
                                             ("parse", "empty", 1)]
    assert reasons_table([]) is None


def test_print_summary_renders_both_tables():
    out = io.StringIO()
    print_summary(RunSummary(counters=COUNTERS, elapsed_s=3.0), Console(file=out, width=120))
    text = out.getvalue()
    assert "Counts by stage" in text and "Dead letters by reason" in text
    assert "bad_json" in text and "too_large" in text and "10.0 records/s" in text
