"""End-to-end: `newsbeam run ... --sink postgres:DSN --sink parquet:DIR` on the sample data, twice,
then a replay with one article changed. Real PostgreSQL (tests/fixtures/postgres.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pyarrow.parquet as pq
import pytest

from pipelines.expected import read_jsonl_dir
from tests.fixtures.enriched import as_json_form

pytestmark = pytest.mark.postgres

SAMPLE = Path("sample_data/input")
TABLES = ("articles", "article_entities", "article_topics", "duplicates", "dead_letters")


def newsbeam(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def tally(stdout: str, kind: str) -> tuple[int, int, int]:
    m = re.search(rf"postgres\s+{kind}: (\d+) inserted, (\d+) updated, (\d+) unchanged", stdout)
    assert m, stdout
    return int(m[1]), int(m[2]), int(m[3])


def table_counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def parquet_files(root: Path) -> dict[str, bytes]:
    return {str(f.relative_to(root)): f.read_bytes() for f in sorted(root.rglob("*.parquet"))}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, postgres_server):
    """Two identical runs into the same database and Parquet folder (fresh JSON Lines folder each)."""
    from tests.fixtures.postgres import TEMPLATE_DB, create_database, drop_database, with_dbname

    tmp = tmp_path_factory.mktemp("sinks")
    data = tmp / "input"
    shutil.copytree(SAMPLE, data)  # a copy: the replay below edits one input file
    name = create_database(postgres_server, TEMPLATE_DB)
    dsn = with_dbname(postgres_server, name)
    pq_dir = tmp / "parquet"
    common = ["run", "--input", str(data), "--sink", f"postgres:{dsn}", "--sink", f"parquet:{pq_dir}"]
    first = newsbeam(*common, "--output", str(tmp / "out1"))
    after_first = (table_counts(dsn), parquet_files(pq_dir))
    second = newsbeam(*common, "--output", str(tmp / "out2"))
    yield {"tmp": tmp, "dsn": dsn, "pq": pq_dir, "out": tmp / "out2", "first": first, "second": second,
           "after_first": after_first, "data": data, "common": common}
    drop_database(postgres_server, name)


def test_running_twice_changes_no_row_count_and_no_parquet_file(runs):
    counts, files = runs["after_first"]
    articles = read_jsonl_dir(str(runs["out"] / "articles"))
    assert counts["articles"] == len(articles) > 10
    assert counts["duplicates"] == len(read_jsonl_dir(str(runs["out"] / "duplicates")))
    assert counts["dead_letters"] == len(read_jsonl_dir(str(runs["out"] / "dead_letters")))
    assert table_counts(runs["dsn"]) == counts
    again = parquet_files(runs["pq"])
    assert again.keys() == files.keys()  # same names: the second run overwrote the first's files
    # byte-identical, except dead letters, which carry the time of each run's failure
    assert {k: v for k, v in again.items() if "dead_letters" not in k} == {
        k: v for k, v in files.items() if "dead_letters" not in k}
    assert tally(runs["first"], "articles") == (len(articles), 0, 0)
    assert tally(runs["second"], "articles") == (0, 0, len(articles))
    assert "accounting     OK" in runs["second"]
    assert f"sink           parquet:{runs['pq']}" in runs["second"]
    assert "passfile=" in runs["second"] and "password=" not in runs["second"]


def test_postgres_rows_match_the_json_lines_output(runs):
    articles = {a["id"]: a for a in read_jsonl_dir(str(runs["out"] / "articles"))}
    with psycopg.connect(runs["dsn"]) as conn:
        entities = conn.execute("SELECT article_id, name, type, mentions, salience, entity_id FROM article_entities "
                                "ORDER BY article_id, ordinal").fetchall()
        topics = conn.execute("SELECT article_id, code, label, score FROM article_topics "
                              "ORDER BY article_id, ordinal").fetchall()
        rows = conn.execute("SELECT id, headline, body, published_at, cluster_id FROM articles").fetchall()
    assert entities == [(i, e["name"], e["type"], e["mentions"], e["salience"], e.get("id"))
                        for i in sorted(articles) for e in articles[i]["entities"]]
    assert topics == [(i, t["code"], t["label"], t["score"]) for i in sorted(articles) for t in articles[i]["topics"]]
    assert {r[0]: as_json_form(list(r[1:])) for r in rows} == {
        i: [a["headline"], a["body"], a["published_at"], a["dedupe"]["cluster_id"]] for i, a in articles.items()}


def test_full_text_search_finds_a_sample_article_by_a_word_of_its_body(runs):
    articles = read_jsonl_dir(str(runs["out"] / "articles"))
    target = next(a for a in articles if a["language"] == "en")
    word = max(re.findall(r"[A-Za-z]{8,}", target["body"]),
               key=lambda w: -sum(w.lower() in a["body"].lower() for a in articles))
    with psycopg.connect(runs["dsn"]) as conn:
        hits = [r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE search @@ websearch_to_tsquery(newsbeam_ts_config('en'), %s)", [word])]
    assert target["id"] in hits
    assert len(hits) < len(articles)


def test_parquet_read_back_with_pyarrow_and_duckdb_equals_the_json_lines_output(runs):
    for name in ("articles", "duplicates", "dead_letters"):
        expected = sorted(read_jsonl_dir(str(runs["out"] / name)), key=json.dumps)
        assert expected
        table = pq.read_table(runs["pq"] / name, partitioning="hive")
        if name == "articles":
            table = table.drop_columns(["published_date"])
        got = [as_json_form(r) for r in table.to_pylist(maps_as_pydicts="strict")]
        if name == "dead_letters":  # failed_at is the time of each run
            for row in (*got, *expected):
                row.pop("failed_at")
        assert sorted(got, key=json.dumps) == expected, name
    cur = duckdb.connect().execute(
        f"SELECT * EXCLUDE (published_date) FROM read_parquet('{runs['pq']}/articles/**/*.parquet', "
        "hive_partitioning = true)")
    names = [d[0] for d in cur.description]
    got = sorted((as_json_form(dict(zip(names, row, strict=True))) for row in cur.fetchall()), key=json.dumps)
    assert got == sorted(read_jsonl_dir(str(runs["out"] / "articles")), key=json.dumps)


def test_a_replay_with_a_changed_article_updates_it_in_place(runs):
    path = runs["data"] / "jsonl" / "crawler_2025-03-05.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["title"] = "Kenya names a new finance minister in a sweeping reshuffle"
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    before = table_counts(runs["dsn"])
    # PostgreSQL only: a Parquet run replaces the date partitions it writes, so a partial replay
    # belongs in a new Parquet folder (see pipelines/io/parquet.py)
    stdout = newsbeam("run", "--input", str(path), "--output", str(runs["tmp"] / "out3"),
                      "--sink", f"postgres:{runs['dsn']}")
    inserted, updated, _ = tally(stdout, "articles")
    assert (inserted, updated) == (0, 1)
    assert table_counts(runs["dsn"]) == before
    changed = next(a for a in read_jsonl_dir(str(runs["tmp"] / "out3" / "articles")) if a["url"] == first["url"])
    with psycopg.connect(runs["dsn"]) as conn:
        assert conn.execute("SELECT headline FROM articles WHERE id = %s", [changed["id"]]).fetchone() == (
            first["title"],)
