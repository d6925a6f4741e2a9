"""Reading Jalali dates and times as people type them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jdatetime
import pytest

from bot.persian.dates import (
    DEFAULT_HOUR,
    WhenParts,
    WhenProblem,
    check_window,
    is_leap,
    month_length,
    parse_time,
    parse_when,
    read_when,
    to_utc,
)
from bot.persian.text import TEHRAN

# Sunday 8 Azar 1405, 11:30 in Tehran.
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
LOCAL = NOW.astimezone(TEHRAN)


def parts(text: str) -> WhenParts | WhenProblem:
    return parse_when(text, LOCAL)


@pytest.mark.parametrize(
    "typed",
    [
        "۱۴۰۵/۹/۱۵ ۱۸:۳۰", "۱۴۰۵/۰۹/۱۵ ۱۸:۳۰", "1405-09-15 18:30", "1405/9/15 18:30", "١٤٠٥/٩/١٥ ١٨:٣٠",
        "1405.9.15 18.30", "۱۵/۹/۱۴۰۵ ۱۸:۳۰", "۱۵-۰۹-۱۴۰۵ ساعت ۱۸:۳۰", "۱۵ آذر ۱۴۰۵ ساعت ۱۸:۳۰",
        "۱۵ آذر ۱۴۰۵، ۶:۳۰ عصر", "یکشنبه ۱۵ آذر ساعت ۱۸:۳۰", "۱۵آذر ۱۸:۳۰", "9/15 18:30", "۱۵ آذر ۶:۳۰ بعد از ظهر",
        "  ۱۴۰۵/۹/۱۵   ۱۸:۳۰  ", "تاریخ ۱۴۰۵/۹/۱۵ ساعت ۱۸٫۳۰", "۱۸:۳۰ ۱۴۰۵/۹/۱۵",
    ],
)
def test_common_forms_of_the_same_moment(typed: str) -> None:
    assert parts(typed) == WhenParts(1405, 9, 15, 18, 30, True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("فردا ساعت ۱۰ صبح", WhenParts(1405, 9, 9, 10, 0)),
        ("فردا ۱۸", WhenParts(1405, 9, 9, 18, 0)),
        ("پس‌فردا ۱۸:۳۰", WhenParts(1405, 9, 10, 18, 30)),
        ("پس فردا ساعت ۷ شب", WhenParts(1405, 9, 10, 19, 0)),
        ("امروز ساعت ۸ شب", WhenParts(1405, 9, 8, 20, 0)),
        ("۲۰ دی ۲ ظهر", WhenParts(1405, 10, 20, 14, 0)),
        ("۲۰ دی ۱۲ ظهر", WhenParts(1405, 10, 20, 12, 0)),
        ("۲۰ دی ۱۲ شب", WhenParts(1405, 10, 20, 24, 0)),
        ("۲۰ دی ۲ شب", WhenParts(1405, 10, 20, 2, 0)),
        ("۲۰ دی ۱۲ صبح", WhenParts(1405, 10, 20, 0, 0)),
        ("۱ فروردین ۹ صبح", WhenParts(1406, 1, 1, 9, 0)),  # no year: the next 1 Farvardin
        ("۸ آذر ۱۰:۰۰", WhenParts(1406, 9, 8, 10, 0)),  # today at 10 has passed: next year's
        ("۸ آذر ۱۲:۰۰", WhenParts(1405, 9, 8, 12, 0)),  # today at noon is still ahead
        ("۵/۲۰ ۱۰", WhenParts(1406, 5, 20, 10, 0)),  # month/day
        ("۲۰/۵ ۱۰", WhenParts(1406, 5, 20, 10, 0)),  # day/month when the day cannot be a month
    ],
)
def test_relative_words_periods_and_dates_without_a_year(typed: str, expected: WhenParts) -> None:
    assert parts(typed) == expected


def test_a_date_alone_gets_the_default_hour_and_says_so() -> None:
    assert parts("۱۴۰۵/۹/۱۵") == WhenParts(1405, 9, 15, DEFAULT_HOUR, 0, hour_given=False)
    assert parts("فردا") == WhenParts(1405, 9, 9, DEFAULT_HOUR, 0, hour_given=False)


def test_leap_years_follow_jdatetime() -> None:
    assert jdatetime.date(1403, 1, 1).isleap() and is_leap(1403)
    assert [y for y in range(1399, 1413) if is_leap(y)] == [1399, 1403, 1408, 1412]
    assert month_length(1403, 12) == 30 and month_length(1404, 12) == 29 and month_length(1405, 12) == 29
    assert [month_length(1405, m) for m in range(1, 12)] == [31] * 6 + [30] * 5


def test_esfand_30_exists_only_in_leap_years() -> None:
    assert parts("۱۴۰۳/۱۲/۳۰ ۱۰:۰۰") == WhenParts(1403, 12, 30, 10, 0)  # a real date (in the past)
    assert parts("۱۴۰۵/۱۲/۳۰ ۱۰:۰۰") == WhenProblem("esfand", year=1405, month=12, days=29)
    assert parts("۳۰ اسفند ۱۴۰۴") == WhenProblem("esfand", year=1404, month=12, days=29)
    assert parts("۱۴۰۸/۱۲/۳۰") == WhenParts(1408, 12, 30, DEFAULT_HOUR, 0, hour_given=False)
    # Without a year, 30 Esfand is the next leap year's only if that falls within reach.
    assert parts("۳۰ اسفند").code == "esfand"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("فلان روز", "unreadable"), ("", "unreadable"), ("۱۴۰۵", "unreadable"), ("ساعت ۱۸", "need_date"),
        ("۱۸:۳۰", "need_date"), ("2026-12-06 18:30", "gregorian"), ("06/12/2026", "gregorian"),
        ("1205/9/15", "year"), ("۱۴۰۵/۱۳/۱", "month"), ("۱۴۰۵/۰/۱", "month"), ("۱۴۰۵/۷/۳۱", "day"),
        ("۱۴۰۵/۹/۰", "day"), ("۱۴۰۵/۹/۱۵ ۲۵:۰۰", "time"), ("۱۴۰۵/۹/۱۵ ۱۸:۷۵", "time"), ("۱۴۰۵/۹/۱۵ ۲۴:۰۰", "time"),
        ("۱۴۰۵/۹/۱۵ ۱۸:۳۰ ۱۲", "unreadable"), ("۱۵ آذر ۲۰ دی", "unreadable"), ("۱۳/۱۳", "month"),
    ],
)
def test_what_is_refused_and_why(typed: str, code: str) -> None:
    result = parts(typed)
    assert isinstance(result, WhenProblem) and result.code == code, result


def test_the_day_problem_names_the_month_length() -> None:
    assert parts("۱۴۰۵/۷/۳۱") == WhenProblem("day", year=1405, month=7, days=30)


def test_times_alone() -> None:
    assert parse_time("۱۸:۳۰") == (18, 30)
    assert parse_time("18") == (18, 0)
    assert parse_time("ساعت ۶ عصر") == (18, 0)
    assert parse_time("۹:۱۵ صبح") == (9, 15)
    assert parse_time("١٨٫٣٠") == (18, 30)
    assert parse_time("ساعت هفت") == WhenProblem("unreadable")
    assert parse_time("۲۶:۰۰") == WhenProblem("time")
    assert parse_time("۱۸ و ۲۰") == WhenProblem("unreadable")


def test_conversion_to_utc_uses_tehran_time() -> None:
    assert to_utc(WhenParts(1405, 9, 15, 18, 30), TEHRAN) == datetime(2026, 12, 6, 15, 0, tzinfo=timezone.utc)
    assert to_utc(WhenParts(1405, 10, 20, 24, 0), TEHRAN) == datetime(2027, 1, 10, 20, 30, tzinfo=timezone.utc)
    # Summer: Iran has kept standard time (+03:30) all year since 1402.
    assert to_utc(WhenParts(1406, 4, 1, 12, 0), TEHRAN) == datetime(2027, 6, 22, 8, 30, tzinfo=timezone.utc)


def test_the_window_is_the_future_and_within_a_year() -> None:
    assert check_window(NOW, NOW) == WhenProblem("past")
    assert check_window(NOW + timedelta(minutes=1), NOW) is None
    assert check_window(NOW + timedelta(days=366), NOW) is None
    assert check_window(NOW + timedelta(days=367), NOW) == WhenProblem("too_far")
    assert read_when("۱۴۰۵/۹/۱ ۱۰:۰۰", NOW, TEHRAN) == WhenProblem("past")
    assert read_when("۱۴۰۶/۱۰/۱ ۱۰:۰۰", NOW, TEHRAN) == WhenProblem("too_far")
    assert read_when("۱۴۰۵/۹/۱۵", NOW, TEHRAN) == (datetime(2026, 12, 6, 5, 30, tzinfo=timezone.utc), False)
