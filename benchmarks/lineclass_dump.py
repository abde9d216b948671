"""Dump what one version of the parser makes of the labelled set, for the line-classifier backtest.

    PYTHONPATH=/tmp/wt-h5 python benchmarks/lineclass_dump.py GOLD_DIR SPLIT[,SPLIT...] OUT.jsonl

Runs under whatever ``pipelines`` package is first on the path (a git worktree of an old commit),
so it imports nothing of this repository but ``pipelines`` and uses only functions every parser
version since the first labelled split has (parse_record, decode_bytes, clean_line, read_raw).
One JSON line per gold article: split, input, whether the page-text parser made it, the page's
cleaned lines, the body paragraphs the rules kept (the line model, where the version has one, is
switched off: its training labels are the rules' decisions), and the gold snippets.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock


def dump_rows(gold_dir: Path, splits: set[str]) -> list[dict[str, Any]]:
    import pipelines.nlp.parsing.pagetext as pagetext
    from pipelines.nlp.normalize import clean_line
    from pipelines.nlp.parsing import ParseError, parse_record
    from pipelines.nlp.parsing.decode import decode_bytes
    from pipelines.nlp.parsing.evaluate import load_gold, read_raw

    rows = []
    with ExitStack() as stack:
        if hasattr(pagetext, "drop_furniture"):
            stack.enter_context(mock.patch.object(pagetext, "drop_furniture", lambda paragraphs, _lines: paragraphs))
        for gold in load_gold(gold_dir):
            split = gold["input"].split("/", 1)[0]
            if split not in splits or "error" in gold:
                continue
            raw = read_raw(gold_dir, gold)
            try:
                article = parse_record(raw)
                paragraphs, parser = article.body.split("\n\n"), article.parser
            except ParseError:
                paragraphs, parser = [], "error"
            pagetext_made = parser.startswith("pagetext")
            text = unicodedata.normalize("NFC", decode_bytes(raw.data)) if pagetext_made else ""
            rows.append({"split": split, "input": gold["input"], "pagetext": pagetext_made,
                         "lines": [clean_line(x) for x in text.split("\n")] if text else [],
                         "paragraphs": paragraphs, "body_snippets": gold.get("body_snippets", []),
                         "boilerplate": gold.get("boilerplate", [])})
    return rows


def main() -> None:
    gold_dir, splits, out = Path(sys.argv[1]), set(sys.argv[2].split(",")), Path(sys.argv[3])
    rows = dump_rows(gold_dir, splits)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} articles from {sorted(splits)} with {__import__('pipelines').__file__}", file=sys.stderr)


if __name__ == "__main__":
    main()
