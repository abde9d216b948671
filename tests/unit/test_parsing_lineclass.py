"""The learned body-line furniture model: features, the shipped weights, training, and its decisions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.lineclass_dump import dump_rows
from benchmarks.lineclass_train import TRAIN_SPLITS, train
from pipelines.nlp.normalize import clean_lines
from pipelines.nlp.parsing import pagetext
from pipelines.nlp.parsing.boilerplate import is_boilerplate
from pipelines.nlp.parsing.evaluate import DEFAULT_GOLD_DIR
from pipelines.nlp.parsing.lineclass import (
    FEATURES,
    MODEL_PATH,
    LineModel,
    PageView,
    drop_furniture,
    features,
    load_model,
    locate,
    needs_score,
)

HEAD = """World
Floods force thousands from homes in eastern Spain
Rescue teams used boats to reach villages cut off by the rising river
By Ana Lopez
12 March 2025 - 09:14

VALENCIA, March 12 (Reuters) - Thousands of people were evacuated from towns along the Júcar river after rain.
The regional government said 14 shelters had opened and that schools in 30 towns would stay closed until Friday.
"""
TAIL = """Forecasters expect the rain to ease by Thursday, but warned that rivers would keep rising for another day.
Mayor Jordi Puig said the town had not seen such flooding since 1982, when the river burst its banks.
"""
# Furniture in shapes the rules have no class for (checked below), in the middle of the body and last:
# between prose lines only what names itself (a link, a lexicon word: 'page') is dropped.
UNSEEN_FURNITURE = ["Follow @ValenciaDesk on Bluesky", "Send us your photos: photos@valenciadaily.example",
                    "Print edition | Page 4", "Siga-nos no Facebook"]
# Dropped as the page's last line, kept between prose lines (the crosshead guard: see protected).
LAST_ONLY = {"Siga-nos no Facebook"}
# Body lines the weights alone scored as furniture: crossheads between paragraphs, a last line
# that lost its full stop, a short quote-like line of common words.
BODY_LOOKALIKES = ["Why it matters", "What happens next", "Key dates", "Thomas says no"]
LAST_SENTENCES = ["The mayor said it was fine", "Thomas says no", "Officials told residents to stay home"]
# Body lines as short as furniture: a quote, a bullet, an interview's question and answer.
SHORT_BODY = ["“We lost everything,” she said.", "• 14 shelters opened", "Q: When will the schools reopen?",
              "A: Not before Friday, officials said.", "Asked about it, he said: “No.”"]


def _page(line: str, last: bool) -> str:
    return HEAD + (TAIL + line + "\n" if last else line + "\n" + TAIL)


def test_features_follow_the_declared_order() -> None:
    lines = ["Title", "", "A first paragraph of the article, long enough that it reads like prose.", "Share · 3h ago",
             "Contact: desk@example.com", "KEY POINTS", "• A bullet"]
    page = PageView.of(lines)
    row = dict(zip(FEATURES, features("Share · 3h ago", page, 2, frozenset({"share"})), strict=True))
    assert len(row) == len(FEATURES)
    assert row["bias"] == 1.0 and row["separators"] == 1.0 and row["time_like"] == 1.0
    assert row["lexicon_share"] == pytest.approx(1 / 3) and row["lexicon_any"] == 1.0  # share, h, ago
    assert row["prose_before"] == pytest.approx(0.5)  # the title and the paragraph above it
    assert row["ends_sentence"] == 0.0 and row["tail_title"] == 1.0  # no prose below it
    contact = dict(zip(FEATURES, features("Contact: desk@example.com", page, 3, frozenset()), strict=True))
    assert contact["linkish"] == 1.0 and contact["label_start"] == 1.0
    caps = dict(zip(FEATURES, features("KEY POINTS", page, 4, frozenset()), strict=True))
    assert caps["all_caps"] == 1.0 and caps["tail_title"] == 1.0
    assert dict(zip(FEATURES, features("• A bullet", page, 5, frozenset()), strict=True))["bullet"] == 1.0


def test_sentences_are_never_scored() -> None:
    assert not needs_score("The regional government said 14 shelters had opened on Tuesday.")
    assert not needs_score("“There is still a lot of work to do,” Pereira said.")
    assert needs_score("Share this page")
    assert needs_score("Was this page helpful?")
    assert needs_score("Comments are closed.")  # short: scored


def test_locate_finds_joined_paragraphs_in_order() -> None:
    page = PageView.of(["Head", "", "first part of a", "wrapped line", "Other", "Other"])
    assert locate(["first part of a wrapped line", "Other", "Other", "Missing"], page) == [1, 3, 4, -1]


def test_shipped_model_loads() -> None:
    model = load_model()
    assert model is not None
    assert model.threshold >= 0.9 and len(model.lexicon) > 10
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    with pytest.raises(ValueError):
        LineModel.from_dict({**data, "features": data["features"][:-1]})


def test_training_reproduces_the_shipped_model() -> None:
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    fitted = train(dump_rows(DEFAULT_GOLD_DIR, set(TRAIN_SPLITS)))
    assert fitted["lexicon"] == shipped["lexicon"]
    assert fitted["threshold"] == shipped["threshold"]
    assert fitted["trained_on"] == shipped["trained_on"]
    for key in ("mean", "scale", "coef", "intercept"):
        np.testing.assert_allclose(fitted[key], shipped[key], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("line", UNSEEN_FURNITURE)
@pytest.mark.parametrize("last", [False, True])
def test_furniture_of_unseen_shape_is_dropped(line: str, last: bool) -> None:
    assert not is_boilerplate(line)  # the rules keep it (test_rules_alone_keep_the_unseen_furniture)
    body = pagetext.parse_page_text(_page(line, last)).paragraphs
    assert (line not in body) == (last or line not in LAST_ONLY)
    assert len([p for p in body if p != line]) == 4  # and nothing else was dropped


@pytest.mark.parametrize("line", BODY_LOOKALIKES)
def test_lines_between_prose_are_kept(line: str) -> None:
    body = pagetext.parse_page_text(_page(line, False)).paragraphs
    assert line in body and len(body) == 5


@pytest.mark.parametrize("line", LAST_SENTENCES)
def test_last_line_reading_as_a_sentence_is_kept(line: str) -> None:
    assert line in pagetext.parse_page_text(_page(line, True)).paragraphs


def test_lexicon_holds_no_names_or_common_words() -> None:
    model = load_model()
    assert model is not None
    assert model.lexicon.isdisjoint({"says", "no", "economy", "why", "your", "thomas", "rachel", "priya", "marsh"})
    assert {"share", "related", "updated", "newsletter"} & model.lexicon


@pytest.mark.parametrize("line", SHORT_BODY)
@pytest.mark.parametrize("last", [False, True])
def test_short_body_lines_are_kept(line: str, last: bool) -> None:
    assert line in pagetext.parse_page_text(_page(line, last)).paragraphs


def test_rules_alone_keep_the_unseen_furniture(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagetext, "drop_furniture", lambda paragraphs, _lines: paragraphs)
    for line in UNSEEN_FURNITURE:
        assert line in pagetext.parse_page_text(_page(line, False)).paragraphs


def test_no_model_or_all_dropped_keeps_the_body() -> None:
    model = load_model()
    assert model is not None
    furniture = ["Follow @ValenciaDesk on Bluesky", "Print edition | Page 4"]
    assert drop_furniture(furniture, furniture, model) == furniture  # never an empty body
    strict = LineModel(model.weights, 1.01, model.lexicon)
    page = clean_lines(_page(UNSEEN_FURNITURE[0], False))
    paragraphs = [p for p in page[6:] if p]
    assert drop_furniture(paragraphs, page, strict) == paragraphs
