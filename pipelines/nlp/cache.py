"""A JSON copy of data that is slow to build from installed packages, kept in the cache folder.

Every worker process loads the enrich models at start-up; building the IPTC taxonomy from its
spreadsheet (about 1 CPU-s) or the gazetteer from three data packages (about 2.5 CPU-s with
their imports) would be paid again by each one. The copy is named by a key that changes with
whatever it was built from, so a new package version or code change rebuilds it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_root() -> Path:
    """$NEWSBEAM_CACHE, else ~/.cache/newsbeam (the folder the setup and service scripts use)."""
    return Path(os.environ.get("NEWSBEAM_CACHE") or Path.home() / ".cache" / "newsbeam")


def cached_json(relative: str, build: Callable[[], Any]) -> Any:
    """The JSON value at ``cache_root()/relative``, or ``build()`` written there first.

    The value returned is always the decoded JSON, so a first run and a cached run see the same
    data. A read-only home only means the value is built each time.
    """
    path = cache_root() / relative
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # first use, or an unreadable copy: build and (re)write it
    text = json.dumps(build(), ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # atomic: concurrent workers never read a half-written copy
    except OSError:
        pass
    return json.loads(text)
