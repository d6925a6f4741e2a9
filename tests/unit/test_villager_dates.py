"""Dates as villagers say them (issue 10, item 9): weekdays, «صبح/ظهر/عصر/شب» alone, «دیروز»
refused as past, and hour buttons that read back to their hour."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.conversations.when_step import HOURS, hour_label
from bot.persian.dates import PERIOD_HOURS, WhenParts, WhenProblem, parse_time, parse_when, read_when

TZ = ZoneInfo("Asia/Tehran")
TUESDAY_3PM = datetime(2026, 12, 1, 15, 0, tzinfo=TZ)  # سه‌شنبه ۱۰ آذر ۱۴۰۵


@pytest.mark.parametrize(("typed", "day", "hour", "hour_given"), [
    ("پنجشنبه عصر", 12, 17, False),
    ("پنج‌شنبه ساعت ۱۰", 12, 10, True),
    ("پنج شنبه شب", 12, 20, False),
    ("پنجشنبه هفته بعد", 19, 9, False),
    ("سه‌شنبه عصر", 10, 17, False),  # today, the hour still ahead
    ("سه شنبه صبح", 17, 9, False),  # today's morning has passed: next week
    ("شنبه", 14, 9, False),
    ("يکشنبه ظهر", 15, 12, False),  # Arabic ي
    ("جمعه ۶ عصر", 13, 18, True),
    ("فردا عصر", 11, 17, False),
    ("شنبه ۱۵ آذر", 15, 9, False),  # a date wins over its weekday
])
def test_weekdays_and_periods(typed: str, day: int, hour: int, hour_given: bool) -> None:
    assert parse_when(typed, TUESDAY_3PM) == WhenParts(1405, 9, day, hour, 0, hour_given)


def test_yesterday_is_read_and_refused_as_past() -> None:
    assert read_when("دیروز ساعت ۱۰", TUESDAY_3PM, TZ) == WhenProblem("past")
    assert read_when("امروز ساعت ۱۰ صبح", TUESDAY_3PM, TZ) == WhenProblem("past")


def test_a_period_alone_is_its_hour() -> None:
    assert PERIOD_HOURS == {"@am@": 9, "@noon@": 12, "@pm@": 17, "@night@": 20}
    assert [parse_time(word) for word in ("صبح", "ظهر", "عصر", "شب")] == [(9, 0), (12, 0), (17, 0), (20, 0)]


def test_hour_buttons_say_it_as_people_do_and_read_back() -> None:
    labels = [hour_label(h) for h in HOURS]
    assert labels[0] == "۷ صبح" and "۶ عصر" in labels and "۱۲ ظهر" in labels and labels[-1] == "۹ شب"
    assert [parse_time(text) for text in labels] == [(h, 0) for h in HOURS]
