"""Names of the accounting counters, shared by the transforms that count and the summary."""

from __future__ import annotations

from apache_beam.metrics import Metrics

NAMESPACE = "newsbeam"
RECORDS_IN = "records_in"
ARTICLES_OUT = "articles_out"
DUPLICATES = "duplicates"
DEAD_LETTERS = "dead_letters"
FILES_SKIPPED = "files_skipped"
SINK_REJECTS = "sink_rejects"  # records a sink refused for good (also in dead_letters/, stage "sink")
# Streaming dedupe: a verdict re-emitted because an earlier canonical copy arrived late. The
# record is in two outputs (first verdict, then its correction), so the accounting subtracts it.
DEDUPE_CORRECTIONS = "dedupe_corrections"
# Streaming: event-time windows whose accounting line (DIR/accounting/) did not balance.
UNBALANCED_WINDOWS = "accounting_unbalanced_windows"
DEAD_LETTER_PREFIX = "dead_letter."  # + "<stage>.<error>": dead letters by reason


def accounted(articles: int, duplicates: int, dead_letters: int, corrections: int = 0) -> int:
    """What the outputs account for; a run (or window) balances when this equals records in."""
    return articles + duplicates + dead_letters - corrections


def counter(name: str):  # noqa: ANN201 - Beam's Counter type is private
    return Metrics.counter(NAMESPACE, name)
