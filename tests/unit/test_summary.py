"""The run summary's accounting identity, batch and streaming (dedupe corrections)."""

import apache_beam as beam
from apache_beam.testing import test_stream
from apache_beam.transforms.window import TimestampedValue

from pipelines import metrics
from pipelines.metrics import counter
from pipelines.nlp.dedupe.evaluate import load_gold
from pipelines.summary import RunSummary, summarize
from pipelines.transforms.accounting import CountOutput, is_canonical
from pipelines.transforms.dedupe import Dedupe
from schemas.records import Article
from tests.conftest import beam_pipeline


def test_batch_identity_without_corrections():
    summary = RunSummary(counters={metrics.RECORDS_IN: 10, metrics.ARTICLES_OUT: 6, metrics.DUPLICATES: 3,
                                   metrics.DEAD_LETTERS: 1})
    assert summary.balanced and summary.corrections == 0
    assert not any(line.startswith("corrections") for line in summary.lines())


def test_corrections_are_subtracted_and_shown():
    counters = {metrics.RECORDS_IN: 10, metrics.ARTICLES_OUT: 6, metrics.DUPLICATES: 5,
                metrics.DEAD_LETTERS: 1, metrics.DEDUPE_CORRECTIONS: 2}
    summary = RunSummary(counters=counters)
    assert summary.accounted == 10 and summary.balanced
    lines = summary.lines()
    assert any(line.startswith("corrections") and line.split()[1] == "2" for line in lines)
    assert lines[-1].startswith("accounting     OK") and lines[-1].endswith("- 2 corrections")
    assert not RunSummary(counters={**counters, metrics.DEDUPE_CORRECTIONS: 0}).balanced


class _CountIn(beam.DoFn):
    def __init__(self) -> None:
        self._in = counter(metrics.RECORDS_IN)

    def process(self, article: Article):
        self._in.inc()
        yield article


def test_streaming_run_with_a_late_earlier_article_balances(prism_binary):
    # On Prism: the local streaming DirectRunner (BundleBasedDirectRunner) only reports the counters
    # of a TestStream's first bundle, so no accounting can be checked on it.
    gold = {g.article.id: g.article for g in reversed(load_gold())}
    copy, wire, other = gold["ps-tribune"], gold["ps-wire"], gold["ps-daily"]
    # The wire original (published first) arrives last: the copy was emitted as canonical, then corrected.
    p = beam_pipeline("--runner=PrismRunner", f"--prism_location={prism_binary}", "--environment_type=LOOPBACK",
                      "--streaming")
    stream = test_stream.TestStream().advance_watermark_to(0)
    for step, a in enumerate((copy, other, wire), 1):  # the watermark moves after each: one at a time
        stream = stream.add_elements([TimestampedValue(a, a.published_at.timestamp())])
        stream = stream.advance_watermark_to(copy.published_at.timestamp() + step)
    articles = (p | stream.advance_watermark_to_infinity().with_output_types(Article)
                | "In" >> beam.ParDo(_CountIn()).with_output_types(Article))
    out = articles | Dedupe(mode="streaming")
    _ = out.articles | "Articles" >> CountOutput(metrics.ARTICLES_OUT, is_canonical)
    _ = out.duplicates | "Duplicates" >> CountOutput(metrics.DUPLICATES)
    result = p.run()
    result.wait_until_finish()
    summary = summarize(result, 1.0)
    # Each arrival is canonical when seen (3 articles out); each earlier arrival corrects what it
    # precedes: tribune -> daily, then daily -> wire and tribune -> wire (3 corrections, 3 duplicates).
    assert summary.records_in == 3 and summary.corrections == 3
    assert summary.get(metrics.ARTICLES_OUT) == 3 and summary.get(metrics.DUPLICATES) == 3
    assert summary.balanced and summary.lines()[-1].startswith("accounting     OK")
