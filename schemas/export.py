"""Export the JSON Schema of every record model (``newsbeam schema export DIR``)."""

from __future__ import annotations

from pathlib import Path

import orjson

from schemas.records import ALL_MODELS, SCHEMA_VERSION


def export_json_schemas(directory: str | Path) -> list[Path]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in ALL_MODELS.items():
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = f"https://newsbeam.dev/schemas/v{SCHEMA_VERSION}/{name}.json"
        path = out / f"{name}.v{SCHEMA_VERSION}.schema.json"
        path.write_bytes(orjson.dumps(schema, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        written.append(path)
    return written
