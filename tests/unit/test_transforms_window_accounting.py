"""WindowAccounting: counts per event-time window of the SOURCE record, balanced flag, and the
``accounting_unbalanced_windows`` counter for a window that does not add up."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window

from pipelines import metrics
from pipelines.summary import RunSummary
from pipelines.transforms.window_accounting import WindowAccount, WindowAccounting, WriteAccounts, source_time
from schemas.records import DuplicateRecord, KafkaOrigin, RawRecord, SourceRef
from tests.conftest import beam_pipeline

W = 10  # seconds per window


def _source(offset: int, ts_s: int | None) -> SourceRef:
    kafka = KafkaOrigin(topic="t", partition=0, offset=offset, timestamp_ms=None if ts_s is None else ts_s * 1000)
    return SourceRef(uri=f"kafka://t/0/{offset}", kafka=kafka)


def _raw(offset: int, ts_s: int) -> window.TimestampedValue:
    return window.TimestampedValue(RawRecord(data=b"x", source=_source(offset, ts_s)), ts_s)


def _dup(offset: int, source_s: int, emitted_s: int) -> window.TimestampedValue:
    record = DuplicateRecord(id=f"a{offset}", duplicate_of="b", cluster_id="c", similarity=1.0, method="exact-body",
                             source=_source(offset, source_s))
    return window.TimestampedValue(record, emitted_s)


def test_source_time_prefers_the_kafka_timestamp():
    assert source_time(_dup(0, 3, 25).value, 25).micros == 3_000_000
    assert source_time(RawRecord(data=b"", source=_source(0, None)), 25) == 25


def test_counts_land_in_the_source_window_and_unbalanced_windows_are_counted():
    p = beam_pipeline()
    # Window [0, 10): records 0 and 1; record 0 an article, then corrected to a duplicate by a copy
    # seen at 25 s (the correction is emitted at 25 s but belongs to [0, 10)); record 1 a duplicate.
    # Window [20, 30): record 2 in, nothing out: unbalanced.
    raw = p | "Raw" >> beam.Create([_raw(0, 1), _raw(1, 2), _raw(2, 21)])
    articles = p | "Articles" >> beam.Create([_dup(0, 1, 1)])
    correction = _dup(0, 1, 25)
    duplicates = p | "Duplicates" >> beam.Create([_dup(1, 2, 2), correction])
    corrections = p | "Corrections" >> beam.Create([correction])
    dead = p | "Dead" >> beam.Create([]).with_output_types(DuplicateRecord)
    accounts = {"records_in": raw, "articles": articles, "duplicates": duplicates, "dead_letters": dead,
                "corrections": corrections} | WindowAccounting(W)
    rows = accounts | beam.Map(lambda a: (a.window_start, a.window_end, a.records_in, a.articles, a.duplicates,
                                          a.dead_letters, a.corrections, a.balanced))
    assert_that(rows, equal_to([
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:10Z", 2, 1, 2, 0, 1, True),
        ("1970-01-01T00:00:20Z", "1970-01-01T00:00:30Z", 1, 0, 0, 0, 0, False),
    ]))
    result = p.run()
    result.wait_until_finish()
    got = result.metrics().query(MetricsFilter().with_namespace(metrics.NAMESPACE).with_name(
        metrics.UNBALANCED_WINDOWS))["counters"]
    assert sum(c.committed or c.attempted for c in got) == 1


def test_an_unbalanced_window_fails_the_run_summary():
    summary = RunSummary(counters={metrics.RECORDS_IN: 2, metrics.ARTICLES_OUT: 2, metrics.UNBALANCED_WINDOWS: 1})
    assert summary.accounted == summary.records_in and not summary.balanced
    assert any(line.startswith("unbalanced") and line.split()[1] == "1" for line in summary.lines())


def test_write_accounts_names_files_by_window_and_pane(tmp_path):
    account = WindowAccount(window_start="1970-01-01T00:00:10Z", window_end="1970-01-01T00:00:20Z", pane=0,
                            records_in=1, articles=1, duplicates=0, dead_letters=0, corrections=0, balanced=True)
    with beam_pipeline() as p:
        (p | beam.Create([window.TimestampedValue(account, 15)])
         | beam.WindowInto(window.FixedWindows(W)) | WriteAccounts(str(tmp_path)))
    files = list((tmp_path / "accounting").iterdir())
    assert [f.name for f in files] == ["part-19700101T000010Z-19700101T000020Z-00000-of-00001.jsonl"]
    assert WindowAccount.model_validate_json(files[0].read_text()) == account
