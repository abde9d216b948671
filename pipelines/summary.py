"""The run summary: counts from Beam metrics and the accounting check."""

from __future__ import annotations

from dataclasses import dataclass, field

from apache_beam.metrics.metric import MetricsFilter
from apache_beam.runners.runner import PipelineResult

from pipelines import metrics


@dataclass
class RunSummary:
    counters: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    # A streaming job cancelled by the user: records still in flight are in no output count.
    stopped: bool = False

    def get(self, name: str) -> int:
        return self.counters.get(name, 0)

    @property
    def records_in(self) -> int:
        return self.get(metrics.RECORDS_IN)

    @property
    def corrections(self) -> int:
        """Streaming dedupe corrections: records emitted twice (first verdict, then the corrected one)."""
        return self.get(metrics.DEDUPE_CORRECTIONS)

    @property
    def accounted(self) -> int:
        return metrics.accounted(self.get(metrics.ARTICLES_OUT), self.get(metrics.DUPLICATES),
                                 self.get(metrics.DEAD_LETTERS), self.corrections)

    @property
    def unbalanced_windows(self) -> int:
        """Streaming: window firings whose DIR/accounting/ line did not add up (logged as errors)."""
        return self.get(metrics.UNBALANCED_WINDOWS)

    @property
    def balanced(self) -> bool:
        return self.records_in == self.accounted and not self.unbalanced_windows

    def dead_letter_reasons(self) -> list[tuple[str, str, int]]:
        """(stage, error, count) from the ``dead_letter.<stage>.<error>`` counters, most first."""
        reasons = []
        for name, count in self.counters.items():
            if name.startswith(metrics.DEAD_LETTER_PREFIX) and count:
                stage, _, error = name[len(metrics.DEAD_LETTER_PREFIX):].partition(".")
                reasons.append((stage, error, count))
        return sorted(reasons, key=lambda r: (-r[2], r[0], r[1]))

    def lines(self) -> list[str]:
        rate = self.records_in / self.elapsed_s if self.elapsed_s else 0.0
        out = [
            f"records in     {self.records_in:>8}",
            f"articles out   {self.get(metrics.ARTICLES_OUT):>8}",
            f"duplicates     {self.get(metrics.DUPLICATES):>8}",
            f"dead letters   {self.get(metrics.DEAD_LETTERS):>8}",
        ]
        if self.corrections:
            out.append(f"corrections    {self.corrections:>8}  (streaming dedupe: an earlier copy arrived late; the "
                       "record's corrected verdict is also in duplicates/)")
        if self.get(metrics.FILES_SKIPPED):
            out.append(f"files skipped  {self.get(metrics.FILES_SKIPPED):>8}  (not .txt/.html/.htm/.json/.jsonl)")
        if self.get(metrics.SINK_REJECTS):
            out.append(f"sink rejects   {self.get(metrics.SINK_REJECTS):>8}  (refused by a sink; in dead_letters/ "
                       "with stage \"sink\", outside the accounting)")
        for kind in ("articles", "duplicates", "dead_letters"):
            tally = [self.get(f"postgres_{kind}_{what}") for what in ("inserted", "updated", "unchanged")]
            if any(tally):
                out.append(f"postgres       {kind}: {tally[0]} inserted, {tally[1]} updated, {tally[2]} unchanged")
        if self.unbalanced_windows:
            out.append(f"unbalanced     {self.unbalanced_windows:>8}  windows (DIR/accounting/ lines with "
                       "balanced false; see the error log)")
        out.append(f"elapsed        {self.elapsed_s:>8.1f} s  ({rate:.1f} records/s)")
        verdict = "OK" if self.balanced else "STOPPED (in flight)" if self.stopped else "MISMATCH"
        out.append(f"accounting     {verdict}: {self.records_in} in = {self.get(metrics.ARTICLES_OUT)} articles"
                   f" + {self.get(metrics.DUPLICATES)} duplicates + {self.get(metrics.DEAD_LETTERS)} dead letters"
                   + (f" - {self.corrections} corrections" if self.corrections else ""))
        return out


def summarize(result: PipelineResult, elapsed_s: float) -> RunSummary:
    query = result.metrics().query(MetricsFilter().with_namespace(metrics.NAMESPACE))
    counters: dict[str, int] = {}
    for c in query["counters"]:
        value = c.committed if c.committed is not None else c.attempted
        counters[c.key.metric.name] = counters.get(c.key.metric.name, 0) + int(value or 0)
    return RunSummary(counters=counters, elapsed_s=elapsed_s)
