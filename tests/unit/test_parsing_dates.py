"""Dates as news pages print them, to UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.nlp.parsing import dates
from pipelines.nlp.parsing.dates import at_time_of, find_datetime, is_relative_time, parse_datetime, parse_epoch


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("10 November 2024 - 14:13", utc(2024, 11, 10, 14, 13)),
    ("Published 3:05 PM GMT, March 4, 2025", utc(2025, 3, 4, 15, 5)),
    ("Updated 4:10 PM EST, March 4, 2025", utc(2025, 3, 4, 21, 10)),
    ("Updated 6:30 PM EDT, June 12, 2024", utc(2024, 6, 12, 22, 30)),
    ("March 9, 2025 8:45 PM ET", utc(2025, 3, 10, 0, 45)),        # ET on the first day of DST
    ("January 9, 2025 8:45 PM ET", utc(2025, 1, 10, 1, 45)),
    ("March 4, 2025 3:05 PM GMT+2", utc(2025, 3, 4, 13, 5)),
    ("Tue 4 Mar 2025 15.05 GMT", utc(2025, 3, 4, 15, 5)),
    ("Wed 2 Jul 2025 09.00 BST", utc(2025, 7, 2, 8, 0)),
    ("04.03.2025, 15:05 Uhr", utc(2025, 3, 4, 15, 5)),
    ("4. März 2025, 15:05 Uhr", utc(2025, 3, 4, 15, 5)),
    ("Publié le 04 mars 2025 à 15h05", utc(2025, 3, 4, 15, 5)),
    ("1er mars 2025 à 9 h 30", utc(2025, 3, 1, 9, 30)),
    ("2025-03-04T15:05:00Z", utc(2025, 3, 4, 15, 5)),
    ("2025-03-04T15:05:00+01:00", utc(2025, 3, 4, 14, 5)),
    ("2025-02-20T01:45:00+0000", utc(2025, 2, 20, 1, 45)),
    ("2025-03-11 15:20:00+09", utc(2025, 3, 11, 6, 20)),
    ("Tue, 04 Mar 2025 15:05:00 +0000", utc(2025, 3, 4, 15, 5)),
    ("March 4, 2025 at 8 a.m. EST", utc(2025, 3, 4, 13, 0)),
    ("2024-11-10", utc(2024, 11, 10)),
])
def test_formats(text, expected):
    assert parse_datetime(text) == expected


def test_time_of_day_is_reported():
    assert find_datetime("2024-11-10")[1] is False
    assert find_datetime("10 November 2024 - 14:13")[1] is True


@pytest.mark.parametrize("text", ["", "hello 12", "31 February 2025", "3:05 PM", "Year 1066", "x" * 400])
def test_no_full_date_is_none(text):
    assert parse_datetime(text) is None


@pytest.mark.parametrize("text", ["2 days ago", "an hour ago", "Updated 3 hours ago", "vor 3 Stunden",
                                  "il y a 5 heures", "yesterday", "18 hours ago"])
def test_relative_times(text):
    assert is_relative_time(text)


@pytest.mark.parametrize("text", ["2 days ago the president said", "Ago", "10 November 2024"])
def test_not_relative_times(text):
    assert not is_relative_time(text)


@pytest.mark.parametrize(("value", "expected"), [
    (1741237200000, utc(2025, 3, 6, 5, 0)),
    (1741334400, utc(2025, 3, 7, 8, 0)),
    (float("nan"), None),
    (1e20, None),
])
def test_epoch_seconds_and_millis(value, expected):
    assert parse_epoch(value) == expected


@pytest.mark.parametrize("text", ["vor 2 Std.", "Markets · 3h ago",
                                  "Phone repair shops get new consumer rules · 4 hours ago"])
def test_relative_times_after_a_teaser_label(text):
    assert is_relative_time(text)


@pytest.mark.parametrize("text", ["4 March 2025 | Updated 2 hours ago", "She left · 2 days ago the talks stalled"])
def test_stamp_lines_and_prose_are_not_teaser_times(text):
    assert not is_relative_time(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("12 mrt 2025 om 14:13", utc(2025, 3, 12, 14, 13)),
    ("3 maart 2025", utc(2025, 3, 3)),
    ("12 de março de 2025, 08:47", utc(2025, 3, 12, 8, 47)),
    ("1 outubro 2024", utc(2024, 10, 1)),
])
def test_dutch_and_portuguese_month_names(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Publicerad 3 maj 2024 kl. 08.05", utc(2024, 5, 3, 8, 5)),
    ("7 augusti 2025", utc(2025, 8, 7)),
    ("2. marts 2025 kl. 16.20", utc(2025, 3, 2, 16, 20)),
    ("12 marca 2025, 09:30", utc(2025, 3, 12, 9, 30)),
    ("1 grudnia 2024", utc(2024, 12, 1)),
    ("4 października 2024", utc(2024, 10, 4)),
])
def test_nordic_and_polish_month_names(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("January 7, 2025 04:15 PM Pacific Standard Time", utc(2025, 1, 8, 0, 15)),
    ("June 3, 2025 11:00 Central European Summer Time", utc(2025, 6, 3, 9, 0)),
    ("July 1, 2025 8:00 AM Eastern Time", utc(2025, 7, 1, 12, 0)),  # the place's civil time: daylight in July
    ("November 4, 2024 10:30 AM Mountain Daylight Time", utc(2024, 11, 4, 16, 30)),
])
def test_zone_names_spelled_out(text, expected):
    assert parse_datetime(text) == expected


def test_a_time_on_its_own_line_completes_a_date():
    day = utc(2025, 5, 6)
    assert at_time_of(day, "09.45") == utc(2025, 5, 6, 9, 45)
    assert at_time_of(day, "9:45 pm CET") == utc(2025, 5, 6, 20, 45)
    assert at_time_of(day, "no time here") is None


@pytest.mark.parametrize(("text", "expected"), [
    # Romanian, Hungarian (year first), Indonesian with WIB, Malay month before the day
    ("Publicat: joi, 6 februarie 2025, 09:05", datetime(2025, 2, 6, 9, 5, tzinfo=UTC)),
    ("2024. október 3., csütörtök 18:40", datetime(2024, 10, 3, 18, 40, tzinfo=UTC)),
    ("Kamis, 3 Oktober 2024 18:40 WIB", datetime(2024, 10, 3, 11, 40, tzinfo=UTC)),
    ("Ogos 9, 2024 @ 7:05am", datetime(2024, 8, 9, 7, 5, tzinfo=UTC)),
    ("Disember 1, 2024 @ 11:30pm MYT", datetime(2024, 12, 1, 15, 30, tzinfo=UTC)),
])
def test_ro_hu_id_ms_dates(text, expected):
    assert parse_datetime(text) == expected


def test_iso_time_followed_by_a_zone_name_is_read_in_that_zone():
    assert parse_datetime("2024-11-02 08:30 KST | Updated : 2024-11-02 10:00 KST") == datetime(
        2024, 11, 1, 23, 30, tzinfo=UTC)
    assert parse_datetime("2024-11-02 08:30 with the council") == datetime(2024, 11, 2, 8, 30, tzinfo=UTC)


def test_hungarian_year_first_needs_the_dot_after_the_year():
    assert parse_datetime("2024 október 3") is None


def _relative_time_before_the_mark_test(line: str) -> bool:
    """is_relative_time as it was before _SEPARATOR_MARK gated the separator search."""
    if len(line) < 40 and dates._RELATIVE.match(line.strip()) is not None:
        return True
    if len(line) > 160 or dates._TIME_SEPARATOR.search(line, max(0, len(line) - 42)) is None:
        return False
    parts = dates._TIME_SEPARATOR.split(line)
    return (len(parts) > 1 and len(parts[-1]) < 40 and dates._RELATIVE.match(parts[-1].strip()) is not None
            and not any(dates.YEAR.search(p) for p in parts[:-1]))


_time_pieces = st.sampled_from(["Markets", "rules", "2025", "3h ago", "4 hours ago", "vor 3 Stunden", "x", "é",
                                " ", "\u00a0", "\t", "\u2003", "·", "|", "•", "–", "-", " - ", " · ", " | ", "\n"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_time_pieces, max_size=40).map("".join))
def test_separator_mark_gate_keeps_every_relative_time(line):
    start = max(0, len(line) - 42)
    if dates._TIME_SEPARATOR.search(line, start) is not None:
        assert dates._SEPARATOR_MARK.search(line, start + 1) is not None
    assert is_relative_time(line) == _relative_time_before_the_mark_test(line)
