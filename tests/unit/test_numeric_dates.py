"""NumericDates (bot/persian/text.py), the files' dates: the local day from the UTC moment and
the zone's offset asked once per UTC day (issue 14), is format_jalali_date_numeric's day for
every moment, across Tehran's last clock changes (2022) and its midnight, from SQLite's stored
text, naive and aware datetimes alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.persian.text import NumericDates, format_jalali_date_numeric

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.mark.parametrize("start", [datetime(2022, 3, 20), datetime(2022, 9, 20), datetime(2026, 11, 19)],
                         ids=["clocks-forward", "clocks-back", "no-change"])
def test_each_moment_has_the_day_the_zone_gives(start: datetime) -> None:
    dates = NumericDates(TEHRAN)
    moments = [start + timedelta(minutes=7 * step) for step in range(4 * 24 * 60 // 7)]
    for moment in moments:
        expected = format_jalali_date_numeric(moment, TEHRAN)
        assert dates(moment.isoformat(sep=" ")) == expected, moment
        assert dates(moment) == expected, moment
        assert dates(moment.replace(tzinfo=timezone.utc)) == expected, moment  # asyncpg's
        assert dates(moment.replace(tzinfo=timezone.utc).astimezone(TEHRAN)) == expected, moment


def test_half_past_eight_utc_is_midnight_in_tehran() -> None:
    dates = NumericDates(TEHRAN)
    assert dates("2026-11-20 20:15:00.000000") == "۱۴۰۵/۰۸/۲۹"
    assert dates("2026-11-20 20:45:00.000000") == "۱۴۰۵/۰۸/۳۰"
