import orjson

from schemas.export import export_json_schemas
from schemas.records import ALL_MODELS


def test_every_model_gets_a_json_schema_file(tmp_path):
    paths = export_json_schemas(tmp_path)
    assert len(paths) == len(ALL_MODELS)
    article = orjson.loads((tmp_path / "EnrichedArticle.v1.schema.json").read_bytes())
    for field in ("id", "headline", "authors", "published_at", "entities", "topics", "dedupe", "source"):
        assert field in article["properties"]
