"""Beam coders for the record models: orjson on the wire, never pickle on the hot path.

``register_coders()`` runs on import of ``pipelines`` so every worker (DirectRunner, Prism,
Flink, Dataflow) resolves these coders from the type hints of the transforms.
"""

from __future__ import annotations

import logging
import struct
from typing import Any, Generic, TypeVar

import orjson


class _DropBeamGcpImportNoise(logging.Filter):
    # Beam logs this on import whenever its optional GCP extra is absent; it is not actionable.
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("apitools not found")


logging.getLogger().addFilter(_DropBeamGcpImportNoise())

from apache_beam import coders  # imported after the filter above
from pydantic import BaseModel

from schemas.records import (
    Article,
    DeadLetter,
    DuplicateRecord,
    EnrichedArticle,
    RawRecord,
    SourceRef,
)

M = TypeVar("M", bound=BaseModel)

_LEN = struct.Struct(">I")


class ModelCoder(coders.Coder, Generic[M]):
    """Encodes a pydantic model as orjson bytes of its python-mode dump.

    Decoding uses ``model_validate`` so a record written by an older schema_version still loads.
    """

    def __init__(self, model: type[M]) -> None:
        self._model = model

    def encode(self, value: M) -> bytes:
        return orjson.dumps(value.model_dump(mode="python", exclude_defaults=False),
                            option=orjson.OPT_PASSTHROUGH_SUBCLASS)

    def decode(self, encoded: bytes) -> M:
        return self._model.model_validate(orjson.loads(encoded))

    def is_deterministic(self) -> bool:
        return True

    def to_type_hint(self) -> type[M]:
        return self._model

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._model is other._model  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._model))

    def __repr__(self) -> str:
        return f"ModelCoder({self._model.__name__})"


class RawRecordCoder(coders.Coder):
    """Length-prefixed source JSON followed by the payload bytes: no base64 on the hot path."""

    def encode(self, value: RawRecord) -> bytes:
        head = orjson.dumps({
            "schema_version": value.schema_version,
            "content_type": value.content_type,
            "source": value.source.model_dump(mode="python"),
        })
        return _LEN.pack(len(head)) + head + value.data

    def decode(self, encoded: bytes) -> RawRecord:
        (n,) = _LEN.unpack_from(encoded)
        head: dict[str, Any] = orjson.loads(encoded[4:4 + n])
        return RawRecord(
            schema_version=head["schema_version"],
            content_type=head["content_type"],
            source=SourceRef.model_validate(head["source"]),
            data=encoded[4 + n:],
        )

    def is_deterministic(self) -> bool:
        return True

    def to_type_hint(self) -> type[RawRecord]:
        return RawRecord

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


def _model_coder(model: type[M]) -> type[ModelCoder[M]]:
    # The registry instantiates coder classes without arguments: one subclass per model.
    return type(f"{model.__name__}Coder", (ModelCoder,), {"__init__": lambda self: ModelCoder.__init__(self, model)})


ArticleCoder = _model_coder(Article)
EnrichedArticleCoder = _model_coder(EnrichedArticle)
DuplicateRecordCoder = _model_coder(DuplicateRecord)
DeadLetterCoder = _model_coder(DeadLetter)

_REGISTERED = False


def register_coders() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    coders.registry.register_coder(RawRecord, RawRecordCoder)
    coders.registry.register_coder(Article, ArticleCoder)
    coders.registry.register_coder(EnrichedArticle, EnrichedArticleCoder)
    coders.registry.register_coder(DuplicateRecord, DuplicateRecordCoder)
    coders.registry.register_coder(DeadLetter, DeadLetterCoder)
    _REGISTERED = True
