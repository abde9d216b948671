"""Dates and times as news pages write them, to tz-aware UTC datetimes.

Hand-written patterns instead of a general date library: they cover the formats news pages
use (English, German, French and a few more month names), are fast enough for the hot path and
never guess a year or a day from a bare number. A time without a zone is read as UTC: page text
does not say which zone the outlet meant, and guessing one per outlet would be invisible.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from pipelines.nlp.parsing.folded import FoldedPattern

MIN_YEAR, MAX_YEAR = 1970, 2100

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    # then Dutch and Portuguese names not spelled as above ('12 mrt 2025', '3 de fevereiro de 2025'),
    # Swedish/Danish/Norwegian ('18 mars 2025', '18. marts', 'maj', 'augusti') and Polish in the
    # genitive a date uses ('18 marca 2025'), Romanian ('18 martie 2025'), Hungarian ('2025. március 18.'),
    # Indonesian ('18 Maret 2025') and Malay ('Mac 18, 2025', 'Ogos')
    "january jan januar jänner janvier janv enero ene gennaio gen januari janeiro stycznia ianuarie január",
    "february feb febr februar février fevrier févr fevr febrero febbraio februari fevereiro fev lutego "
    "februarie február",
    "march mar märz maerz mrz mars marzo maart mrt março marts marca martie március maret mac",
    "april apr avril avr abril aprile kwietnia aprilie április",
    "may mai mayo maggio mag mei maio maj maja május",
    "june jun juni juin junio giugno giu junho czerwca iunie június",
    "july jul juli juillet juil julio luglio lug julho lipca iulie július julai",
    "august aug août aout agosto ago augustus augusti sierpnia augusztus agustus ogos",
    "september sep sept septembre septiembre settembre set setembro września septembrie szeptember",
    "october oct oktober okt octobre octubre ottobre ott outubro października octombrie október",
    "november nov novembre noviembre novembro listopada noiembrie",
    "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro desember grudnia "
    "decembrie disember",
), start=1):
    for _name in _names.split():
        MONTHS[_name] = _number
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

_FIXED_ZONES = {
    "z": 0, "gmt": 0, "utc": 0, "bst": 60, "ist": 330, "cet": 60, "cest": 120, "mez": 60,
    "mesz": 120, "eet": 120, "eest": 180, "msk": 180, "sast": 120, "cat": 120, "eat": 180,
    "wat": 60, "gst": 240, "pkt": 300, "hkt": 480, "sgt": 480, "jst": 540, "kst": 540,
    "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780, "est": -300, "edt": -240,
    "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
    # Indonesia (western, central, eastern) and Malaysia
    "wib": 420, "wita": 480, "wit": 540, "myt": 480,
}
# Zone names spelled out, as press-release wires print them ('09:00 AM Eastern Daylight Time').
_FIXED_ZONES.update({
    "eastern daylight time": -240, "eastern standard time": -300, "central daylight time": -300,
    "central standard time": -360, "mountain daylight time": -360, "mountain standard time": -420,
    "pacific daylight time": -420, "pacific standard time": -480, "greenwich mean time": 0,
    "coordinated universal time": 0, "british summer time": 60, "central european time": 60,
    "central european summer time": 120, "eastern european time": 120, "eastern european summer time": 180,
})
# Zones written without standard/daylight (ET, PT): the civil time of the place, DST included.
_REGION_ZONES = {"et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver",
                 "pt": "America/Los_Angeles", "eastern time": "America/New_York",
                 "central time": "America/Chicago", "mountain time": "America/Denver",
                 "pacific time": "America/Los_Angeles"}
ZONE_NAMES = frozenset([*_FIXED_ZONES, *_REGION_ZONES])
# The words of the zone names ('eastern', 'daylight', 'time'): what a stamp line may hold besides the date.
ZONE_WORDS = frozenset(word for name in ZONE_NAMES for word in name.split())
_ZONE = "|".join(sorted(ZONE_NAMES, key=len, reverse=True))

YEAR = re.compile(r"(?<!\d)(?:19[7-9]\d|20\d\d|2100)(?!\d)")
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?))?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?(?![\d:])")
_DMY_NAME = re.compile(
    rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>{_MONTH})\.?,?\s*(?:de\s+)?(?P<y>\d{{4}})(?!\d)")
# Year first, as Hungarian writes it: '2025. március 18.' (the dot after the year is required).
_YMD_NAME = re.compile(rf"(?<![\w])(?P<y>\d{{4}})\.\s*(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})\.?(?!\d)")
_MDY_NAME = re.compile(
    rf"(?<![\w])(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\d])")
_TIME = re.compile(
    r"(?<![\d:.])(?P<h>\d{1,2})\s*(?:(?P<sep>[:.h])\s*(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\.?)?(?![\w:])")
_TZ = re.compile(
    rf"(?<![\w])(?:(?P<name>{_ZONE})(?![\w])\s*(?P<off1>[+-]\d{{1,2}}(?::?\d{{2}})?)?|(?P<off2>[+-]\d{{2}}:?\d{{2}})(?![\d]))")

_RELATIVE = FoldedPattern(
    r"^(?:(?:updated|published|posted|aktualisiert|mis à jour)\s*:?\s*)?(?:"
    r"(?:\d+|an?|one)\s*(?:s|sec|secs|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|years?)\s+ago"
    r"|just now|yesterday|today|gestern|heute|hier|aujourd'hui|à l'instant"
    r"|vor\s+(?:\d+|einer?|einem)\s+(?:sekunden?|minuten?|min\.?|stunden?|std\.?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)"
    r"|il y a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|h|jours?|semaines?|mois|ans?)"
    r"|hace\s+\d+\s+(?:minutos?|horas?|días?))\.?$")


def is_relative_time(line: str) -> bool:
    """'2 days ago', 'vor 3 Stunden', 'il y a 5 heures': footer timestamps with no anchor.

    Also a teaser's label or title with the time after a separator: 'Markets · 3h ago',
    'Phone repair shops get new rules · 4 hours ago'.
    """
    if len(line) < 40 and _RELATIVE.match(line.strip()) is not None:
        return True
    start = max(0, len(line) - 42)
    # _SEPARATOR_MARK finds the mark and the space after it of every separator found from start; the
    # regex engine scans for a pattern opening with a character set in C, not position by position.
    if (len(line) > 160 or _SEPARATOR_MARK.search(line, start + 1) is None
            or _TIME_SEPARATOR.search(line, start) is None):
        return False
    parts = _TIME_SEPARATOR.split(line)
    # A year before the separator makes it a stamp line ('4 March 2025 | Updated 2 hours ago').
    return (len(parts) > 1 and len(parts[-1]) < 40 and _RELATIVE.match(parts[-1].strip()) is not None
            and not any(YEAR.search(p) for p in parts[:-1]))


_TIME_SEPARATOR = re.compile(r"\s[·|•–-]\s")
_SEPARATOR_MARK = re.compile(r"[·|•–-]\s")


def parse_datetime(text: str | None) -> datetime | None:
    """The date and time written in ``text`` as UTC, or None if it holds no full date."""
    found = find_datetime(text)
    return found[0] if found else None


def find_datetime(text: str | None) -> tuple[datetime, bool] | None:
    """(UTC datetime, whether a time of day was given) for the first date in ``text``."""
    if not text or len(text) > 300:
        return None
    text = text.strip()
    iso = _ISO.search(text)
    if iso:
        return _from_iso(iso, text)
    if not YEAR.search(text):
        return None  # every format we read has a four-digit year; most lines with digits do not
    if text[:3].isalpha() and text[3:5] == ", ":
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
        if value is not None and MIN_YEAR <= value.year <= MAX_YEAR:
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC), True
    # Month names, am/pm and zone names are matched in lower case (no re.I: several times faster).
    lowered = text.lower()
    if len(lowered) == len(text):
        text = lowered
    date_span = _find_date(text)
    if date_span is None:
        return None
    (year, month, day), (start, end) = date_span
    rest = text[:start] + " " + text[end:]
    hour = minute = second = 0
    has_time = False
    zone: tzinfo = UTC
    time_match = _first_time(rest)
    if time_match is not None:
        hour, minute, second = time_match
        has_time = True
        zone = _find_zone(rest) or UTC
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC), has_time


def find_time(text: str) -> tuple[int, int, int] | None:
    """(hour, minute, second) of the first time of day in ``text`` ('15h10', '6.30am', '7:40 PM')."""
    return _first_time(text.lower())


def at_time_of(day: datetime, text: str) -> datetime | None:
    """``day``'s date at the time of day written in ``text`` (and its zone, if any), as UTC: a time
    printed on its own line under a date-only line ('18 marzo 2025' / '14:13')."""
    low = text.lower()
    clock = _first_time(low)
    if clock is None:
        return None
    local = datetime(day.year, day.month, day.day, *clock)
    return local.replace(tzinfo=_find_zone(low) or UTC).astimezone(UTC)


def parse_epoch(value: float) -> datetime | None:
    """Seconds or milliseconds since the epoch (APIs use both), to UTC."""
    if value != value or value in (float("inf"), float("-inf")):
        return None
    seconds = value / 1000 if abs(value) >= 1e11 else value
    try:
        result = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    except OverflowError:
        return None
    return result if MIN_YEAR <= result.year <= MAX_YEAR else None


def _from_iso(match: re.Match[str], text: str = "") -> tuple[datetime, bool] | None:
    date, time, tz = match.group("date", "time", "tz")
    try:
        value = datetime.fromisoformat(f"{date}T{(time or '00:00').replace(',', '.')}")
    except ValueError:
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    zone: tzinfo | None = _offset(tz) if tz and tz != "Z" else UTC
    if time and not tz and len(text) > match.end():
        # a zone name after the time: '2025-03-18 14:13 KST'
        named = _TZ.match(text[match.end():match.end() + 40].lstrip().lower())
        if named and named["name"]:
            zone = _find_zone(named.group(0))
    if zone is None:
        return None
    return value.replace(tzinfo=zone).astimezone(UTC), time is not None


def _find_date(text: str) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    for pattern in (_DMY_NAME, _MDY_NAME, _YMD_NAME):
        match = pattern.search(text)
        if match:
            month = MONTHS.get(match["mon"].lower())
            if month is None:
                continue
            ymd = (int(match["y"]), month, int(match["d"]))
            if MIN_YEAR <= ymd[0] <= MAX_YEAR:
                return ymd, match.span()
    match = _NUMERIC.search(text)
    if match:
        # Day first: the dotted and slashed forms in our inputs are European; US pages spell months.
        ymd = (int(match["y"]), int(match["b"]), int(match["a"]))
        if MIN_YEAR <= ymd[0] <= MAX_YEAR and 1 <= ymd[1] <= 12:
            return ymd, match.span()
    return None


def _first_time(text: str) -> tuple[int, int, int] | None:
    for match in _TIME.finditer(text):
        if match["mi"] is None and match["ampm"] is None:
            continue  # a bare number is not a time
        hour, minute, second = int(match["h"]), int(match["mi"] or 0), int(match["s"] or 0)
        ampm = (match["ampm"] or "").lower().replace(".", "").replace(" ", "")
        if ampm:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        if hour < 24 and minute < 60 and second < 60:
            return hour, minute, second
    return None


def _find_zone(text: str) -> tzinfo | None:
    match = _TZ.search(text)
    if not match:
        return None
    if match["off2"]:
        return _offset(match["off2"])
    name = match["name"].lower()
    if name in _REGION_ZONES:
        return ZoneInfo(_REGION_ZONES[name])
    base = timedelta(minutes=_FIXED_ZONES[name])
    extra = _offset(match["off1"]) if match["off1"] else None
    if extra is not None:
        base += extra.utcoffset(None)  # "GMT+2"
    return timezone(base)


def _offset(text: str) -> timezone | None:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2] if len(digits) >= 3 else digits), int(digits[2:4] or 0) if len(digits) >= 3 else 0
    if hours > 14 or minutes >= 60:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
