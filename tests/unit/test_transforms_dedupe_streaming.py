"""Streaming dedupe on the streaming DirectRunner with TestStream (event time under test control)."""

import random
from datetime import timedelta

import apache_beam as beam
from apache_beam.testing import test_stream
from apache_beam.testing.util import assert_that
from apache_beam.transforms import trigger, window
from apache_beam.transforms.window import TimestampedValue

from pipelines.nlp.dedupe import DedupeParams, dedupe_articles
from pipelines.nlp.dedupe.evaluate import load_gold
from pipelines.transforms.dedupe import Dedupe
from schemas.records import Article
from tests.conftest import beam_pipeline

RECORDS = [g.article for g in load_gold() if g.event in ("ev01_port_strike", "ev09_briefs")]
GOLD = {a.id: a for a in reversed(RECORDS)}  # by id: the first record with that id


def _run(articles, check, params=None, arrival_times=None):
    """Feed articles in the given order (element timestamp = published_at) and check all outputs."""
    p = beam_pipeline("--streaming")
    stream = test_stream.TestStream().advance_watermark_to(0)
    for a in articles:
        stream = stream.add_elements([TimestampedValue(a, a.published_at.timestamp())])
    out = p | stream.advance_watermark_to_infinity().with_output_types(Article) | Dedupe(
        mode="streaming", params=params)
    events = ((out.articles | "a" >> beam.Map(lambda a: ("article", a.id, a.source.index, a.dedupe.duplicate_of)),
               out.duplicates | "d" >> beam.Map(lambda d: ("duplicate", d.id, d.source.index, d.duplicate_of)))
              | beam.Flatten()
              | beam.WindowInto(window.GlobalWindows(), trigger=trigger.AfterWatermark(),
                                accumulation_mode=trigger.AccumulationMode.DISCARDING)
              | beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults())
    assert_that(events, lambda lists: check(sorted(lists[0], key=str)))
    p.run().wait_until_finish()


def _final(events):
    """Each record's latest verdict: corrections only ever move to an earlier canonical copy."""
    order = {a.id: (a.published_at, -a.word_count, a.id) for a in GOLD.values()}
    verdict: dict = {}
    for _, aid, index, dup in events:
        key = (aid, index)
        if key not in verdict or (dup is not None and (verdict[key] is None or order[dup] < order[verdict[key]])):
            verdict[key] = dup
    return verdict


def test_final_verdicts_match_batch_in_any_arrival_order():
    articles = list(RECORDS)  # incl. the brief redelivered under a tracking-parameter URL
    kept, _ = dedupe_articles(articles, keep_duplicates=True)
    want = {(a.id, a.source.index): a.dedupe.duplicate_of for a in kept}
    for seed in (1, 2):
        random.Random(seed).shuffle(articles)

        def check(events):
            assert len({(e[1], e[2]) for e in events}) == len(articles)  # every record has a verdict
            assert _final(events) == want

        _run(articles, check)


def test_a_late_arriving_earlier_article_becomes_canonical_and_the_change_is_emitted():
    copy, wire = GOLD["ps-tribune"], GOLD["ps-wire"]  # the wire original was published first, seen last

    def check(events):
        assert ("article", "ps-tribune", copy.source.index, None) in events       # canonical when first seen
        assert ("article", "ps-wire", wire.source.index, None) in events          # the earlier one, seen later
        assert ("duplicate", "ps-tribune", copy.source.index, "ps-wire") in events  # the correction
        assert len(events) == 3

    _run([copy, wire], check)


def test_articles_further_apart_than_the_ttl_are_not_matched():
    wire = GOLD["ps-wire"]
    much_later = GOLD["ps-daily"].model_copy(update={"published_at": wire.published_at + timedelta(days=3)})

    def check(events):
        assert sorted(e[0] for e in events) == ["article", "article"]

    _run([wire, much_later], check, params=DedupeParams(ttl_seconds=86400))


def test_a_redelivered_record_is_a_redelivery_duplicate():
    wire = GOLD["ps-wire"]

    def check(events):
        assert events == sorted([("article", "ps-wire", wire.source.index, None),
                                 ("duplicate", "ps-wire", wire.source.index, "ps-wire")], key=str)

    _run([wire, wire], check)
