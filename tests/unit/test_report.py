"""newsbeam report: the numbers read back from a run folder, the charts and the self-contained page."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from pipelines.report import NoRunOutput, write_report
from pipelines.report.charts import draw_all
from pipelines.report.data import load_run, outlet_of, time_buckets
from pipelines.report.html import png_size
from tests.fixtures.run_output import write_run


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("run") / "out")


def test_accounting_and_counts_from_the_files(run_dir):
    stats = load_run(str(run_dir))
    assert (stats.articles, stats.duplicates, stats.dead_letters, stats.sink_rejects) == (12, 2, 3, 1)
    assert stats.records_in == 17  # the sink reject was counted as an article already
    assert stats.dead_letter_reasons() == [("parse", "bad_json", 2), ("read", "too_large", 1),
                                           ("sink", "value_too_long", 1)]
    assert stats.dead_examples[("parse", "bad_json")] == ("invalid JSON: unexpected end of data", "/in/feed.jsonl:3")


def test_entities_topics_and_clusters(run_dir):
    stats = load_run(str(run_dir))
    top = stats.top_entities(2)
    assert top[0] == ("Ukraine", "GPE", 12, 12)
    assert top[1][1] == "PERSON" and top[1][2] == 4 and top[1][3] == 8
    assert sum(sum(c.values()) for c in stats.top_topic_by_day.values()) == 12
    assert (stats.first_day, stats.last_day) == (date(2025, 3, 1), date(2025, 3, 5))
    [cluster] = stats.duplicate_clusters()
    assert cluster.size == 3 and cluster.agency == "Reuters"
    assert cluster.outlets == ["Harbour Post", "The Continental Times", "copy_1.html"]


def test_copies_kept_by_keep_duplicates_are_not_counted_twice(tmp_path):
    run = write_run(tmp_path / "out")
    line = (run / "articles" / "part-00000-of-00001.jsonl").read_text().splitlines()[1]
    flagged = line.replace('"duplicate_of":null', '"duplicate_of":"a00"')
    with open(run / "articles" / "part-00000-of-00001.jsonl", "a") as f:
        f.write(flagged + "\n")
    assert load_run(str(run)).articles == 12


def test_outlet_falls_back_to_host_then_file():
    assert outlet_of({"outlet": "Coast Herald"}) == "Coast Herald"
    assert outlet_of({"url": "https://www.example.org/a/b", "source": {"uri": "/x/y.html"}}) == "example.org"
    assert outlet_of({"source": {"uri": "/x/y.html"}}) == "y.html"


def test_time_buckets_keep_the_bar_count_readable():
    days = {date(2025, 1, 1) + (date(2025, 1, 2) - date(2025, 1, 1)) * i: Counter(a=1) for i in range(0, 300, 3)}
    unit, buckets = time_buckets(days)
    assert unit == "week" and len(buckets) <= 44 and sum(sum(c.values()) for c in buckets.values()) == 100
    assert time_buckets({date(2025, 1, 1): Counter(a=1)})[0] == "day"


def test_every_chart_is_a_png(run_dir):
    charts = draw_all(load_run(str(run_dir)))
    assert set(charts) == {"accounting", "entities", "topics", "clusters", "dead_letters"}
    for png in charts.values():
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = png_size(png)
        assert width > 300 and height > 80


def test_page_is_self_contained_with_charts_beside_it(run_dir, tmp_path):
    report = write_report(str(run_dir), str(tmp_path / "r" / "report.html"))
    html = (tmp_path / "r" / "report.html").read_text()
    assert sorted(p.rsplit("/", 1)[1] for p in report.charts.values()) == [
        "report-accounting.png", "report-clusters.png", "report-dead-letters.png", "report-entities.png",
        "report-topics.png"]
    assert len(re.findall(r'<img class="chart" [^>]*src="data:image/png;base64,', html)) == 5
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", html)
    assert "<script" not in html
    for text in ("records in <b>17</b>", "Story number 0 about", "The Continental Times", "bad_json",
                 "1 record(s) rejected by a sink", "politics and government"):
        assert text in html


def test_a_folder_without_run_output_is_a_clear_error(tmp_path):
    with pytest.raises(NoRunOutput, match="no run output in"):
        load_run(str(tmp_path))
