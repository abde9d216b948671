"""Records that cross a boundary of the pipeline (input, stage, sink), as pydantic v2 models.

Every record carries ``schema_version``. Readers accept older versions and ignore unknown
fields, so an archive written by an older or newer release can still be replayed.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

SCHEMA_VERSION = 1
# Additive changes (a new optional field) keep the version; only a change an older reader would
# misread bumps it. Readers take 0..SCHEMA_VERSION and refuse newer or malformed versions.
OLDEST_SCHEMA_VERSION = 0


def schema_version_problem(value: Any) -> str | None:
    """Why a record's ``schema_version`` cannot be read by this release, or None if it can."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"schema_version {value!r} is not an integer"
    if value > SCHEMA_VERSION:
        return f"schema_version {value} is newer than this reader's {SCHEMA_VERSION}"
    if value < OLDEST_SCHEMA_VERSION:
        return f"schema_version {value} is not a valid version"
    return None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC)


def iso_z(value: datetime | None) -> str | None:
    """ISO 8601 in UTC ending in ``Z`` (the contract's format), seconds precision or finer."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _Record(BaseModel):
    # extra="ignore": a newer writer's unknown fields do not break this reader.
    model_config = ConfigDict(extra="ignore", frozen=False, validate_assignment=False)


class KafkaHeader(_Record):
    name: str
    value: str = Field(description="text, or base64:... for bytes that are not UTF-8")


class KafkaOrigin(_Record):
    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None = None
    key: str | None = None
    headers: dict[str, str] = Field(default_factory=dict, description="by name; a repeated name keeps its last value")
    # Additive fields (older readers ignore them): what ``headers`` and ``data`` cannot say.
    header_list: list[KafkaHeader] | None = Field(
        default=None, description="every header in order, set only when a name repeats (``headers`` keeps one)")
    null_value: bool = Field(default=False, description="the Kafka value was null (a tombstone); data is empty")

    def header_pairs(self) -> list[tuple[str, str]]:
        """All headers in their original order, repeated names included."""
        if self.header_list is not None:
            return [(h.name, h.value) for h in self.header_list]
        return list(self.headers.items())


class SourceRef(_Record):
    """Where a record came from: enough to find the original input again."""

    uri: str
    line: int | None = Field(default=None, description="1-based line number for JSON Lines input")
    index: int | None = Field(default=None, description="0-based position in a JSON array input")
    kafka: KafkaOrigin | None = None


ContentType = Literal["text/plain", "text/html", "application/json", "unknown"]


class RawRecord(_Record):
    """Bytes exactly as received, plus where they came from. Nothing is lost before parsing."""

    schema_version: int = SCHEMA_VERSION
    data: bytes
    source: SourceRef
    content_type: ContentType = "unknown"

    @field_serializer("data", when_used="json")
    def _data_b64(self, value: bytes) -> str:
        return base64.b64encode(value).decode("ascii")

    @field_validator("data", mode="before")
    @classmethod
    def _data_from_json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return base64.b64decode(value)
        return value


class Entity(_Record):
    name: str = Field(description="canonical full name")
    type: str = Field(description="PERSON | ORG | GPE | LOC | NORP | EVENT | ...")
    mentions: int = 1
    salience: float = 0.0
    id: str | None = Field(default=None, description="normalised id, e.g. ISO 3166 alpha-2")
    surface_forms: list[str] = Field(default_factory=list)


class Topic(_Record):
    code: str = Field(description='IPTC Media Topic code, e.g. "medtop:11000000"')
    label: str
    score: float


class DedupeInfo(_Record):
    cluster_id: str
    duplicate_of: str | None = None
    similarity: float | None = None
    method: str | None = Field(default=None, description="exact-url | exact-body | minhash")
    cluster_size: int = 1


class Lineage(_Record):
    pipeline_version: str
    parser: str | None = None
    schema_version: int = SCHEMA_VERSION


UtcDatetime = Annotated[datetime, Field(description="UTC, tz-aware")]


class Article(_Record):
    """One parsed news article."""

    schema_version: int = SCHEMA_VERSION
    id: str = Field(description="stable id from the canonical URL, else from the content")
    url: str | None = None
    outlet: str | None = None
    section: str | None = None
    headline: str
    standfirst: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    dateline: str | None = None
    language: str | None = Field(default=None, description="ISO 639-1")
    body: str = Field(description="main text, paragraphs separated by a blank line")
    captions: list[str] = Field(default_factory=list)
    photo_credits: list[str] = Field(default_factory=list)
    agency: str | None = Field(default=None, description="wire agency credited, e.g. Reuters")
    word_count: int = 0
    body_hash: str = Field(default="", description="hash of the normalised body (exact dedupe)")
    parser: str | None = Field(default=None, description="parser and style that produced it")
    source: SourceRef
    dedupe: DedupeInfo | None = None

    @field_validator("published_at", "updated_at")
    @classmethod
    def _to_utc(cls, value: datetime | None) -> datetime | None:
        return _utc(value)

    @field_serializer("published_at", "updated_at", when_used="json")
    def _ser_dt(self, value: datetime | None) -> str | None:
        return iso_z(value)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p]


class EnrichedArticle(Article):
    entities: list[Entity] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    lineage: Lineage | None = None


class DuplicateRecord(_Record):
    """A copy that was dropped because another article in its cluster is canonical."""

    schema_version: int = SCHEMA_VERSION
    id: str
    duplicate_of: str
    cluster_id: str
    similarity: float
    method: str
    headline: str | None = None
    outlet: str | None = None
    source: SourceRef


class DeadLetter(_Record):
    """An input that could not be processed, kept untouched with the reason."""

    schema_version: int = SCHEMA_VERSION
    stage: str = Field(description="read | decode | parse | dedupe | enrich | sink")
    error: str = Field(description="short machine-readable error kind")
    message: str = Field(description="human-readable reason")
    source: SourceRef
    raw: str | None = Field(default=None, description="the raw input as text, if it is UTF-8")
    raw_base64: str | None = Field(default=None, description="the raw input, if it is not UTF-8")
    failed_at: UtcDatetime | None = None

    @field_serializer("failed_at", when_used="json")
    def _ser_dt(self, value: datetime | None) -> str | None:
        return iso_z(value)

    @classmethod
    def from_raw(cls, stage: str, error: str, message: str, source: SourceRef, data: bytes,
                 max_raw_bytes: int | None = None) -> DeadLetter:
        """Keep the raw input as text when it is UTF-8, else base64 (never silently altered)."""
        if max_raw_bytes is not None and len(data) > max_raw_bytes:
            data = data[:max_raw_bytes]
            message = f"{message}{_TRUNCATED_NOTE.format(max_raw_bytes)}"
        try:
            raw, raw_b64 = data.decode("utf-8"), None
        except UnicodeDecodeError:
            raw, raw_b64 = None, base64.b64encode(data).decode("ascii")
        return cls(stage=stage, error=error, message=message, source=source, raw=raw,
                   raw_base64=raw_b64, failed_at=datetime.now(UTC))

    def raw_bytes(self) -> bytes:
        """The raw input as bytes again (exact: UTF-8 text re-encodes to the bytes it came from)."""
        if self.raw_base64 is not None:
            return base64.b64decode(self.raw_base64)
        return (self.raw or "").encode("utf-8")

    @property
    def raw_truncated(self) -> bool:
        """True when ``from_raw`` cut the raw input to its size bound."""
        return _TRUNCATED_RE.search(self.message) is not None


_TRUNCATED_NOTE = " (raw input truncated to {} bytes in this record)"
_TRUNCATED_RE = re.compile(re.escape(_TRUNCATED_NOTE).replace(r"\{\}", r"\d+") + "$")


ALL_MODELS: dict[str, type[BaseModel]] = {
    "RawRecord": RawRecord,
    "Article": Article,
    "EnrichedArticle": EnrichedArticle,
    "DuplicateRecord": DuplicateRecord,
    "DeadLetter": DeadLetter,
}
