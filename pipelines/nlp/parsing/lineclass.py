"""A learned second opinion on body lines: is a line the page-text rules kept really page furniture?

The rules (boilerplate.py, credits.py) name furniture one layout at a time; on pages in layouts
they were not written for, 37-51% of the labelled furniture lines leaked at first look. This model
scores the lines the rules keep by their surface (length, punctuation, capitals, digits,
separators, links, a label-like start), their place on the page and their neighbours, and a
furniture lexicon learned from the labelled pages, with a logistic regression trained by
benchmarks/lineclass_train.py on the labelled splits. Weights ship in lineclass_model.json
(numbers only, no download). Lines that read as sentences are never scored: they are
almost always prose (see needs_score). Two guards keep body text the weights alone would drop
(see protected): a line with prose above and below it (a crosshead such as "Why it matters") and
an article's last line that reads like a sentence without its full stop.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("lineclass_model.json")
_SENTENCE_END = (".", "!", "?", "\"", "”", "’", "»", "…", ".)", ".”")
# Lines that end like a sentence with this many words or characters are prose: never scored or dropped.
PROSE_WORDS = 6
PROSE_CHARS = 60
_WORD = re.compile(r"[^\W\d_]+")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d+\s?(?:min|h|hrs?|std|mins)\b", re.I)
_LINKISH = re.compile(r"@\w|https?:|www\.|\.(?:com|org|net|co|example)\b|\+\d[\d ]{6,}")
_SEPARATORS = ("|", "·", "•", "›", "»", "//", " - ", " – ", " — ")
_SCAN = 200
_BULLETS = ("•", "- ", "* ", "– ", "▪", "◦", "‣")
_LABEL = re.compile(r"^[^\W\d_][\w'’ ]{0,30}:(?:\s|$)")
# Reporting verbs: a lower-case line holding one is a sentence that lost its stop, not a label.
_REPORTING = frozenset({"said", "says", "told", "added", "sagte", "dit", "disse"})

FEATURES = (
    "bias", "log_chars", "log_words", "ends_sentence", "ends_colon", "ends_question", "cap_ratio", "all_caps",
    "digit_ratio", "time_like", "separators", "linkish", "label_start", "lower_start", "in_parens",
    "lexicon_share", "lexicon_any", "repeated", "from_top", "from_bottom", "near_bottom", "prose_after",
    "prose_before", "prev_short", "next_short", "prev_sentence", "next_sentence", "mean_word_len", "bullet",
    "tail_title", "between_prose",
)


def words_of(line: str) -> list[str]:
    return _WORD.findall(line.lower())


def needs_score(line: str) -> bool:
    """Lines the model looks at: not sentences (six words or more ending like one), which are prose
    in nearly every layout; skipping them protects the body and keeps the cost per page small."""
    return not (line.endswith(_SENTENCE_END) and (len(line) > PROSE_CHARS or line.count(" ") >= PROSE_WORDS - 1))


def _prose(line: str) -> bool:
    # A long line ending like a sentence: the place and neighbour features count these as prose.
    return len(line) > PROSE_CHARS and line.endswith(_SENTENCE_END)


def _between_prose(page: PageView, index: int) -> bool:
    return page.prose_suffix[index + 1] > 0 and page.prose_suffix[0] > page.prose_suffix[index]


def _reads_as_sentence(line: str) -> bool:
    """'The mayor said it was fine': three words or more, lower case after the first, a reporting verb."""
    words = line.split()
    return (len(words) >= 3 and all(w[:1].islower() for w in words[1:] if w[:1].isalpha())
            and not _REPORTING.isdisjoint(words_of(line)))


def protected(line: str, page: PageView, index: int, last: bool, lexicon: frozenset[str]) -> bool:
    """Body lines the model never drops, whatever it scores: a line with prose above and below
    (a crosshead or a short paragraph; furniture there names itself: a lexicon word, a link, a time),
    and a last line that reads like a sentence without its final stop."""
    if _between_prose(page, index):
        return _LINKISH.search(line) is None and _TIME.search(line) is None and lexicon.isdisjoint(words_of(line))
    return last and _reads_as_sentence(line)


def _short(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(_SENTENCE_END)


@dataclass(frozen=True)
class PageView:
    """The page's non-empty lines, for the place and neighbour features of one line."""

    lines: Sequence[str]
    prose_suffix: Sequence[int]  # prose lines at index >= i
    positions: dict[str, list[int]]  # where each line occurs

    @classmethod
    def of(cls, page_lines: Sequence[str]) -> PageView:
        lines = [x for x in page_lines if x]
        suffix = [0] * (len(lines) + 1)
        for k in range(len(lines) - 1, -1, -1):
            suffix[k] = suffix[k + 1] + _prose(lines[k])
        positions: dict[str, list[int]] = {}
        for k, x in enumerate(lines):
            positions.setdefault(x, []).append(k)
        return cls(lines, suffix, positions)


def features(line: str, page: PageView, index: int, lexicon: frozenset[str]) -> list[float]:
    """The feature vector (FEATURES order) of ``line``, the page's non-empty line at ``index``."""
    n = len(page.lines)
    words = line.split()
    letters = words_of(line)
    nw = max(len(words), 1)
    caps = sum(1 for w in words if w[:1].isupper())
    digits = sum(ch.isdigit() for ch in line)
    lex = sum(1 for w in letters if w in lexicon)
    prev = page.lines[index - 1] if index > 0 else ""
    nxt = page.lines[index + 1] if index + 1 < n else ""
    after = n - index - 1
    prose_after = page.prose_suffix[index + 1] / after if after else 0.0
    prose_before = (page.prose_suffix[0] - page.prose_suffix[index]) / index if index else 0.0
    ends_sentence = line.endswith(_SENTENCE_END)
    return [
        1.0,
        math.log1p(len(line)),
        math.log1p(len(words)),
        float(ends_sentence),
        float(line.endswith(":")),
        float("?" in line),
        caps / nw,
        float(line.isupper() and len(letters) > 0),
        digits / max(len(line), 1),
        float(_TIME.search(line) is not None),
        float(sum(line.count(s) for s in _SEPARATORS)),
        float(_LINKISH.search(line) is not None),
        float(_LABEL.match(line) is not None),
        float(line[:1].islower()),
        float(line.startswith("(") and line.endswith(")")),
        lex / max(len(letters), 1),
        float(lex > 0),
        float(len(page.positions.get(line, ())) > 1),
        index / n if n else 0.0,
        (n - 1 - index) / n if n else 0.0,
        float(after <= 3),
        prose_after,
        prose_before,
        float(_short(prev)),
        float(_short(nxt)),
        float(_prose(prev)),
        float(_prose(nxt)),
        sum(len(w) for w in letters) / max(len(letters), 1) / 10.0,
        float(line.startswith(_BULLETS)),
        # Interactions a linear model cannot form: a title-like line with no prose below it (a
        # teaser footer), and a line between prose lines (a crosshead or bullet, or an inline prompt).
        float(not ends_sentence and prose_after == 0.0),
        float(_between_prose(page, index)),
    ]


@dataclass(frozen=True)
class LineModel:
    weights: np.ndarray  # already divided by the feature scale; bias folded in
    threshold: float
    lexicon: frozenset[str]

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("line model was trained on other features")
        mean, scale, coef = (np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef"))
        weights = coef / scale
        weights[0] = data["intercept"] - float((coef * mean / scale)[1:].sum())
        return cls(weights, float(data["threshold"]), frozenset(data["lexicon"]))

    def scores(self, rows: list[list[float]]) -> np.ndarray:
        """Probability that each line is furniture."""
        if not rows:
            return np.zeros(0)
        z = np.asarray(rows, dtype=float) @ self.weights
        return 1.0 / (1.0 + np.exp(-z))


@cache
def load_model(path: Path = MODEL_PATH) -> LineModel | None:
    if not path.is_file():
        return None
    return LineModel.from_dict(json.loads(path.read_text(encoding="utf-8")))


def locate(paragraphs: Sequence[str], page: PageView) -> list[int]:
    """Index in ``page.lines`` of each paragraph's first line, in reading order (-1 if not found).

    A paragraph is one page line, or wrapped lines joined with a space (found by its first line,
    within _SCAN lines of the previous paragraph, so a long page costs no quadratic search).
    """
    found: list[int] = []
    j = 0
    n = len(page.lines)
    for para in paragraphs:
        k = next((x for x in page.positions.get(para, ()) if x >= j), -1)
        if k < 0:
            k = next((x for x in range(j, min(n, j + _SCAN)) if para.startswith(page.lines[x] + " ")), -1)
        found.append(k)
        if k >= 0:
            j = k + 1
    return found


def paragraph_scores(paragraphs: Sequence[str], page_lines: Sequence[str], model: LineModel) -> list[float]:
    """The furniture probability of each body paragraph (0.0 for paragraphs not scored)."""
    out = [0.0] * len(paragraphs)
    picked = [i for i, p in enumerate(paragraphs) if needs_score(p)]
    if not picked:
        return out
    page = PageView.of(page_lines)
    where = locate(paragraphs, page)
    rows, idx = [], []
    last = len(paragraphs) - 1
    for i in picked:
        if where[i] >= 0 and not protected(paragraphs[i], page, where[i], i == last, model.lexicon):
            rows.append(features(paragraphs[i], page, where[i], model.lexicon))
            idx.append(i)
    for i, score in zip(idx, model.scores(rows).tolist(), strict=True):
        out[i] = score
    return out


def drop_furniture(paragraphs: list[str], page_lines: Sequence[str], model: LineModel | None = None) -> list[str]:
    """The paragraphs the model keeps (all of them without a model or when it would drop them all)."""
    model = model or load_model()
    if model is None or not paragraphs:
        return paragraphs
    scores = paragraph_scores(paragraphs, page_lines, model)
    kept = [p for p, score in zip(paragraphs, scores, strict=True) if score < model.threshold]
    return kept or paragraphs
