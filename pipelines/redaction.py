"""Secrets never reach a log line or a printed trace (no Beam here).

Two nets: passwords in the shapes they take in text (``password=...`` in a libpq DSN,
``user:password@`` in a URI, ``'sasl_plain_password': '...'`` in a client config dump such as the
one kafka-python's admin client logs at DEBUG), and every secret value newsbeam itself read from
an environment variable or a file (``remember``), wherever it shows up. ``install_log_redaction``
puts the filter on the root logger's handlers, which every library's records pass through.
"""

from __future__ import annotations

import logging
import os
import re
import threading

MASK = "***"
# Environment variables that hold passwords by convention (libpq's and newsbeam's defaults).
SECRET_ENV = ("PGPASSWORD", "NEWSBEAM_KAFKA_PASSWORD", "NEWSBEAM_PG_PASSWORD")

_QUOTED = re.compile(r"""(?i)(['"]?[\w.-]*passw(?:or)?d['"]?\s*[:=]\s*)(['"])(?:\\.|(?!\2).)*\2""")
# Up to the next blank: a password may hold '&' or ';', and masking a bit more is harmless.
_BARE = re.compile(r"""(?i)(\b[\w.-]*passw(?:or)?d\s*=\s*)(?!['"]|\*\*\*)[^\s'"]+""")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@")

_known: set[str] = set()
_lock = threading.Lock()


def remember(secret: str | None) -> None:
    """Mask ``secret`` wherever it appears from now on (values shorter than 4 characters are not
    masked: they would turn ordinary words into stars and are no secret anyway)."""
    if secret and len(secret) >= 4:
        with _lock:
            _known.add(secret)


def redact(text: str) -> str:
    """``text`` with every password it contains replaced by ***."""
    text = _QUOTED.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}{m.group(2)}", text)
    text = _BARE.sub(lambda m: m.group(1) + MASK, text)
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its trace text) without secrets; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Put a RedactingFilter on every handler of ``logger`` (default: root) and remember the
    passwords of SECRET_ENV."""
    for name in SECRET_ENV:
        remember(os.environ.get(name))
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
