import subprocess
import sys

from pipelines.nlp.dedupe import DedupeParams
from pipelines.nlp.dedupe.evaluate import (
    DEFAULT_GOLD_DIR,
    HOLDOUT_DIR,
    TARGET_F1,
    evaluate,
    load_gold,
    pairwise_scores,
)


def test_pairwise_scores_count_pairs():
    gold = ["a", "a", "a", "b", "b", "c"]
    pred = ["x", "x", "y", "z", "z", "z"]  # 1 of 3 'a' pairs, the 'b' pair, plus 2 false pairs
    s = pairwise_scores(gold, pred)
    assert (s.true_pairs, s.predicted_pairs, s.correct_pairs) == (4, 4, 2)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5
    assert pairwise_scores(["a", "b"], ["x", "y"]).f1 == 1.0  # no pairs at all: nothing wrong


def test_gold_copies_are_materialised_from_their_sources():
    items = {g.article.id: g for g in load_gold()}
    copy, source = items["ps-brief"], items["ps-wire"]
    assert copy.story == source.story
    assert copy.article.body == "\n\n".join(source.article.body.split("\n\n")[:4])
    assert copy.article.headline != source.article.headline


def test_default_parameters_meet_the_target_on_the_gold_groups():
    assert evaluate(load_gold(), DedupeParams()).f1 >= TARGET_F1


def test_cli_prints_pairwise_scores():
    out = subprocess.run([sys.executable, "-m", "pipelines.cli", "evaluate", "dedupe"],
                         capture_output=True, text=True, check=True).stdout
    assert "precision" in out and "recall" in out and "F1" in out


def test_default_run_leaves_the_holdout_out():
    holdout = load_gold(HOLDOUT_DIR)
    assert {g.event for g in holdout}.isdisjoint({g.event for g in load_gold()})
    assert len({g.event for g in holdout}) >= 6
    ids = [g.article.id for g in holdout]
    assert len(ids) == len(set(ids))  # every copy materialised under its own id


def _evaluate_cli(*args: str) -> subprocess.CompletedProcess:
    root = DEFAULT_GOLD_DIR.parents[2]
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "evaluate", "dedupe", *args],
                          capture_output=True, text=True, cwd=root)


def test_cli_reads_a_relative_gold_folder():
    out = _evaluate_cli("--gold", str(HOLDOUT_DIR.relative_to(DEFAULT_GOLD_DIR.parents[2])))
    assert out.returncode == 0, out.stderr
    assert f"{len(load_gold(HOLDOUT_DIR))} articles" in out.stdout and "F1" in out.stdout


def test_check_fails_below_the_target():
    # Single-word shingles at a low threshold merge the hard negatives: far below the target.
    assert evaluate(load_gold(), DedupeParams(shingle_size=1, threshold=0.2)).f1 < TARGET_F1
    out = _evaluate_cli("--check", "--dedupe_shingle_size", "1", "--dedupe_threshold", "0.2")
    assert out.returncode == 1 and "MISSED" in out.stdout
    assert _evaluate_cli("--check").returncode == 0
