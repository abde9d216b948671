"""The one exception a parser may raise, and the size limits every parser enforces."""

from __future__ import annotations

# Limits that keep one hostile record from stalling a worker. Inputs beyond them become dead
# letters with a reason that names the limit (the pipeline's --max_record_bytes is checked first).
MAX_INPUT_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
MAX_HTML_DEPTH = 180
MAX_JSON_DEPTH = 64


class ParseError(Exception):
    """Input that cannot become an Article. ``kind`` is a short machine-readable reason."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:
        # Picklable across Beam workers (Exception's default reduce would drop ``kind``).
        return (ParseError, (self.kind, self.message))
