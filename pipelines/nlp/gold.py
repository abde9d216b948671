"""The labelled enrichment set: our own articles with gold entities and topics.

One JSON file per article in ``tests/data/enrich_gold/``::

    {"id", "split": "dev" | "test", "language", "section", "headline", "standfirst", "body",
     "gold": {"entities": [{"name", "type", "id"?}], "topics": ["medtop:...", ...]}}

``gold.topics`` are top-level IPTC Media Topics, the main one first. Rules and methods were tuned
on the ``dev`` split only; ``test`` is held out to estimate quality on unseen articles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from schemas.records import Article, SourceRef

DEFAULT_GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "enrich_gold"


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str
    id: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    article: Article
    split: str
    entities: tuple[GoldEntity, ...]
    topics: tuple[str, ...]


def load_gold(directory: str | Path = DEFAULT_GOLD_DIR, split: str = "all") -> list[GoldArticle]:
    """Gold articles of ``split`` ("dev", "test" or "all"), ordered by id."""
    root = Path(directory)
    files = sorted(root.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold articles (*.json) in {root}")
    out = []
    for path in files:
        rec = json.loads(path.read_text(encoding="utf-8"))
        if split != "all" and rec["split"] != split:
            continue
        article = Article(
            id=rec["id"], section=rec.get("section"), headline=rec["headline"],
            standfirst=rec.get("standfirst"), body=rec["body"], language=rec.get("language"),
            source=SourceRef(uri=path.as_uri()))
        gold = rec["gold"]
        out.append(GoldArticle(
            article=article, split=rec["split"],
            entities=tuple(GoldEntity(e["name"], e["type"], e.get("id")) for e in gold["entities"]),
            topics=tuple(gold["topics"])))
    return out
