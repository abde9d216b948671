"""JSON Lines sinks: the contract's DIR/articles, DIR/duplicates and DIR/dead_letters."""

from __future__ import annotations

import apache_beam as beam
import orjson
from apache_beam.io.filesystems import FileSystems
from pydantic import BaseModel


def to_json_line(record: BaseModel) -> str:
    """One record as a JSON line: pydantic's JSON mode (UTC 'Z' times, base64 bytes) via orjson."""
    return orjson.dumps(record.model_dump(mode="json")).decode("utf-8")


class WriteJsonLines(beam.PTransform):
    """Records -> ``DIR/NAME/part-SSSSS-of-NNNNN.jsonl``."""

    def __init__(self, directory: str, name: str, num_shards: int = 1) -> None:
        super().__init__()
        self._prefix = FileSystems.join(directory, name, "part")
        self._num_shards = num_shards

    def expand(self, records: beam.PCollection) -> beam.pvalue.PDone:
        return (
            records
            | "ToJson" >> beam.Map(to_json_line).with_output_types(str)
            | "Write" >> beam.io.WriteToText(
                self._prefix, file_name_suffix=".jsonl", num_shards=self._num_shards,
                shard_name_template="-SSSSS-of-NNNNN")
        )
