"""Deterministic synthetic news with planted copies, for the dedupe benchmark and tests.

Articles come in blocks of ``BLOCK`` records: ``SINGLES`` unrelated stories, one wire story with
``NEAR`` near-duplicate copies (new headline and outlet, trailing paragraphs trimmed, a paragraph
of outlet boilerplate added, a few words edited, published minutes to hours later) and one exact
redelivery of the wire story. Text is drawn from a Zipf-distributed vocabulary with real function
words, so unrelated articles share common phrases as real news does. Any block can be generated
alone (``block(seed, b)``), which lets a pipeline generate its input in parallel.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from pipelines.nlp.normalize import body_hash, word_count
from schemas.records import Article, SourceRef

BLOCK = 10
SINGLES = 6
NEAR = 2
_FUNCTION_TEXT = """the of and to a in that is was he for it with as his on be at by had are but from or have an
they which one you were her all she there would their we him been has when who will more no if out so said what up
its about into than them can only other new some could time these two may then do first any my now such like our
over man me even most made after also did many before must through back years where much your way well down should
because each just those people minister government officials police president year week on tuesday on monday"""
FUNCTION = tuple(_FUNCTION_TEXT.split())
_VOCAB_SIZE = 30000
_START = datetime(2024, 1, 1, tzinfo=UTC)


def _vocab() -> list[str]:
    rng = np.random.default_rng(12345)
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    probs = np.linspace(2.0, 0.2, len(letters))
    probs /= probs.sum()
    draws = rng.choice(letters, size=(3 * _VOCAB_SIZE, 10), p=probs)
    lengths = rng.integers(3, 11, size=3 * _VOCAB_SIZE)
    out = list(dict.fromkeys(FUNCTION))
    seen = set(out)
    for row, n in zip(draws, lengths, strict=True):
        word = "".join(row[:n])
        if word not in seen:
            seen.add(word)
            out.append(word)
            if len(out) == _VOCAB_SIZE:
                break
    return out


VOCAB = np.array(_vocab())
_WEIGHTS = 1.0 / np.arange(1, _VOCAB_SIZE + 1) ** 1.05
_WEIGHTS /= _WEIGHTS.sum()
_CDF = np.cumsum(_WEIGHTS)


def _words(rng: np.random.Generator, n: int) -> list[str]:
    return VOCAB[np.minimum(np.searchsorted(_CDF, rng.random(n)), _VOCAB_SIZE - 1)].tolist()


def _paragraphs(rng: np.random.Generator) -> list[str]:
    paras = []
    for _ in range(int(rng.integers(6, 13))):
        sentences = []
        for _ in range(int(rng.integers(1, 4))):
            words = _words(rng, int(rng.integers(12, 26)))
            sentences.append(" ".join(words).capitalize() + ".")
        paras.append(" ".join(sentences))
    return paras


def _article(aid: str, outlet: str, headline: str, paras: list[str], published: datetime,
             url: str) -> Article:
    body = "\n\n".join(paras)
    return Article(id=aid, url=url, outlet=outlet, headline=headline, body=body,
                   body_hash=body_hash(body), word_count=word_count(body), published_at=published,
                   source=SourceRef(uri=f"synthetic://{aid}"))


def _near_copy(rng: np.random.Generator, paras: list[str]) -> list[str]:
    keep = len(paras) - int(rng.integers(0, 3))           # trailing paragraphs trimmed
    copy = list(paras[:max(3, keep)])
    words = " ".join(copy).split(" ")
    for i in rng.choice(len(words), size=max(1, len(words) // 60), replace=False):
        words[i] = _words(rng, 1)[0]                        # light copy-editing
    # paragraph boundaries are kept by re-splitting on the original lengths
    out, pos = [], 0
    for p in copy:
        n = len(p.split(" "))
        out.append(" ".join(words[pos:pos + n]))
        pos += n
    out.append(" ".join(_words(rng, 25)).capitalize() + ".")  # outlet boilerplate
    return out


def block(seed: int, b: int) -> list[tuple[Article, str]]:
    """The articles of block ``b`` with their planted story label."""
    rng = np.random.default_rng([seed, b])
    base_time = _START + timedelta(minutes=int(b) * 7)
    out: list[tuple[Article, str]] = []
    for j in range(SINGLES):
        aid = f"s{b}-{j}"
        out.append((_article(aid, f"outlet{j}", " ".join(_words(rng, 8)).capitalize(), _paragraphs(rng),
                             base_time + timedelta(minutes=j), f"https://outlet{j}.example/{aid}"), aid))
    story = f"w{b}"
    paras = _paragraphs(rng)
    headline = " ".join(_words(rng, 9)).capitalize()
    wire = _article(f"{story}-0", "wire", headline, paras, base_time, f"https://wire.example/{story}")
    out.append((wire, story))
    for k in range(1, NEAR + 1):
        published = base_time + timedelta(minutes=int(rng.integers(5, 600)))
        out.append((_article(f"{story}-{k}", f"paper{k}", " ".join(_words(rng, 7)).capitalize(),
                             _near_copy(rng, paras), published, f"https://paper{k}.example/{story}"), story))
    redelivered = wire.model_copy(update={"source": SourceRef(uri=f"synthetic://{story}-0/redelivery")})
    out.append((redelivered, story))
    return out


def articles(seed: int, n: int) -> list[tuple[Article, str]]:
    out: list[tuple[Article, str]] = []
    for b in range((n + BLOCK - 1) // BLOCK):
        out.extend(block(seed, b))
    return out[:n]
