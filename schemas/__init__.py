"""Versioned record schemas of newsbeam (pydantic v2) and their Beam coders."""

from schemas.records import (
    ALL_MODELS,
    SCHEMA_VERSION,
    Article,
    DeadLetter,
    DedupeInfo,
    DuplicateRecord,
    EnrichedArticle,
    Entity,
    KafkaOrigin,
    Lineage,
    RawRecord,
    SourceRef,
    Topic,
    iso_z,
)

__all__ = [
    "ALL_MODELS",
    "SCHEMA_VERSION",
    "Article",
    "DeadLetter",
    "DedupeInfo",
    "DuplicateRecord",
    "EnrichedArticle",
    "Entity",
    "KafkaOrigin",
    "Lineage",
    "RawRecord",
    "SourceRef",
    "Topic",
    "iso_z",
]
