"""Reading a Jalali date and time as villagers type it (docs/campaigns.md, «Dates»).

Accepted, in Persian, Arabic-Indic or Latin digits:
  ۱۴۰۵/۹/۱۵ ۱۸:۳۰ · 1405-09-15 18:30 · 1405.9.15 · ۱۵/۹/۱۴۰۵ · ۹/۱۵ (the next one)
  ۱۵ آذر ۱۴۰۵ ساعت ۱۸ · ۱۵ آذر ۶ عصر · فردا ساعت ۱۰ صبح · پس‌فردا ۱۸:۳۰ · شنبه ۱۵ آذر
  پنجشنبه عصر (the coming Thursday) · پنجشنبه هفته بعد ساعت ۱۰ · دیروز ساعت ۱۰ (read, then refused as past)
A date without a time gets DEFAULT_HOUR, or the period's hour (PERIOD_HOURS: «عصر» is 17:00),
and the bot says so.

The words (month names, «فردا», «عصر», …) come from the catalog, so no Persian lives here.
Pure functions: no database, no clock; "now" is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import jdatetime

from bot.persian.catalog import t
from bot.persian.text import ascii_digits, clean

DEFAULT_HOUR = 9
# «صبح/ظهر/عصر/شب» without a number: the hour people mean by it (docs/villager.md).
PERIOD_HOURS = {"@am@": 9, "@noon@": 12, "@pm@": 17, "@night@": 20}
MAX_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class WhenParts:
    year: int
    month: int
    day: int
    hour: int  # 24 means midnight at the end of that day («۱۲ شب»)
    minute: int
    hour_given: bool = True


@dataclass(frozen=True)
class WhenProblem:
    """Why a typed time was refused; `code` picks the catalog message."""

    code: str  # unreadable, need_date, gregorian, year, month, day, esfand, time, past, too_far
    year: int | None = None
    month: int | None = None
    days: int | None = None


def is_leap(year: int) -> bool:
    return jdatetime.date(year, 1, 1).isleap()


def month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


# ------------------------------------------------------------------ vocabulary


def _fold(text: str) -> str:
    """Lower case, ZWNJ as a space, single spaces: «پس‌فردا» and «پس فردا» meet."""
    return re.sub(r"\s+", " ", text.replace("\u200c", " ").lower()).strip()


@lru_cache(maxsize=1)
def _vocabulary() -> list[tuple[str, str]]:
    """(folded word, token) pairs, longest words first so «بعد از ظهر» wins over «ظهر»."""
    groups = {
        "@today@": t("when-words-today"), "@tomorrow@": t("when-words-tomorrow"),
        "@yesterday@": t("when-words-yesterday"), "@daybefore@": t("when-words-day-before"),
        "@nextweek@": t("when-words-next-week"),
        "@dayafter@": t("when-words-day-after"), "@am@": t("when-words-morning"),
        "@noon@": t("when-words-noon"), "@pm@": t("when-words-afternoon"),
        "@night@": t("when-words-night"), "@hour@": t("when-words-hour"),
        "": t("when-words-filler"),
    }
    pairs = [(_fold(word), token) for token, words in groups.items() for word in str(words).split("|") if word.strip()]
    pairs += [(_fold(str(t(f"month-{m}"))), f"@m{m}@") for m in range(1, 13)]
    # Python's weekday(): Monday 0 … Sunday 6, as the catalog's weekday-N; spellings with and without a space.
    pairs += [(_fold(word), f"@wd{d}@") for d in range(7) for word in _weekday_spellings(d)]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _weekday_spellings(day: int) -> set[str]:
    """The catalog's name, without ZWNJ, and with a space before the Saturday word it ends in
    («پنجشنبه», «پنج‌شنبه», «پنج شنبه» are one day)."""
    name, saturday = str(t(f"weekday-{day}")), str(t("weekday-5"))
    joined = name.replace("\u200c", "")
    found = {name, joined}
    if joined.endswith(saturday) and joined != saturday:
        found.add(joined[: -len(saturday)] + " " + saturday)
    return found


def _tokenise(text: str) -> str:
    folded = " " + _fold(ascii_digits(clean(text)).replace("٫", ":").replace("،", " ").replace(",", " ")) + " "
    for word, token in _vocabulary():
        # Whole words only: «شب» must not eat the end of «یکشنبه».
        folded = re.sub(rf"(?<![^\s\d]){re.escape(word)}(?![^\s\d@])", f" {token} ", folded)
    return re.sub(r"\s+", " ", folded).strip()


# ------------------------------------------------------------------ parsing

_TIME_RE = re.compile(r"(?<![\d/.\-])(\d{1,2})\s*[:.]\s*(\d{2})(?![\d/.\-])")
_HOUR_WORD_RE = re.compile(r"@hour@\s*(\d{1,2})(?![\d/:.\-])")
_DATE3_RE = re.compile(r"(?<!\d)(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})(?!\d)")
_DATE2_RE = re.compile(r"(?<![\d:])(\d{1,2})\s*[/\-]\s*(\d{1,2})(?![\d:])")
_NAMED_RE = re.compile(r"(?<!\d)(\d{1,2})\s*@m(\d{1,2})@(?:\s*(\d{4}))?(?!\d)")
_LONE_NUMBER_RE = re.compile(r"(?<![\d@])(\d{1,2})(?![\d@])")
_PERIODS = ("@am@", "@noon@", "@pm@", "@night@")


def parse_time(text: str) -> tuple[int, int] | WhenProblem:
    """A time alone: «۱۸:۳۰», «۱۸», «ساعت ۶ عصر», «عصر» → (hour, minute)."""
    rest = _tokenise(text)
    found = _take_time(rest)
    if found is None:
        period = _period_alone(rest)
        return (PERIOD_HOURS[period], 0) if period else WhenProblem("unreadable")
    if isinstance(found, WhenProblem):
        return found
    hour, minute, rest = found
    if re.search(r"\d", rest):
        return WhenProblem("unreadable")
    return hour, minute


def _take_time(rest: str) -> tuple[int, int, str] | WhenProblem | None:
    period = next((p for p in _PERIODS if p in rest), None)
    rest = rest.replace(period, " ") if period else rest
    match = _TIME_RE.search(rest) or _HOUR_WORD_RE.search(rest) or _LONE_NUMBER_RE.search(rest)
    if match is None:
        return None
    hour = int(match.group(1))
    minute = int(match.group(2)) if match.re is _TIME_RE else 0
    rest = (rest[: match.start()] + " " + rest[match.end():]).replace("@hour@", " ")
    if minute > 59 or hour > 24:
        return WhenProblem("time")
    if period == "@noon@" and 1 <= hour <= 5:
        hour += 12
    elif period == "@pm@" and hour < 12:
        hour += 12
    elif period == "@night@":
        if 5 <= hour < 12:
            hour += 12
        elif hour == 12:
            hour = 24
    elif period == "@am@" and hour == 12:
        hour = 0
    if hour == 24 and minute:
        return WhenProblem("time")
    if hour == 24 and period != "@night@":
        return WhenProblem("time")
    return hour, minute, rest


def _period_alone(rest: str) -> str | None:
    """«عصر» with no number and nothing else: the period's token."""
    period = next((p for p in _PERIODS if p in rest), None)
    return period if period and not rest.replace(period, " ").replace("@hour@", " ").strip() else None


def _weekday(rest: str) -> tuple[int | None, str]:
    """A weekday named (Python's numbering), and the text without weekday tokens."""
    found = re.search(r"@wd(\d)@", rest)
    return (int(found.group(1)) if found else None), re.sub(r"@wd\d@", " ", rest)


def parse_when(text: str, now_local: datetime) -> WhenParts | WhenProblem:
    """A typed date (and maybe time) → its parts, checked to be a real Jalali date.

    `now_local` (Asia/Tehran) is only used for «فردا» and for dates typed without a year.
    """
    weekday, rest = _weekday(_tokenise(text))
    next_week = "@nextweek@" in rest
    rest = rest.replace("@nextweek@", " ")
    today = jdatetime.date.fromgregorian(date=now_local.date())
    year: int | None
    match: re.Match[str] | None
    if match := _DATE3_RE.search(rest):
        a, b, c = match.group(1), int(match.group(2)), match.group(3)
        if len(a) >= 3:
            year, month, day = int(a), b, int(c)
        elif len(c) >= 3:
            year, month, day = int(c), b, int(a)
        else:
            return WhenProblem("unreadable")
    elif match := _NAMED_RE.search(rest):
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else None
    elif match := _DATE2_RE.search(rest):
        first, second = int(match.group(1)), int(match.group(2))
        month, day = (second, first) if first > 12 >= second else (first, second)
        year = None
    elif match := re.search(r"@(today|tomorrow|dayafter|yesterday|daybefore)@", rest):
        shift = {"today": 0, "tomorrow": 1, "dayafter": 2, "yesterday": -1, "daybefore": -2}[match.group(1)]
        target = today + jdatetime.timedelta(days=shift)
        year, month, day = target.year, target.month, target.day
    elif weekday is not None:  # «پنجشنبه عصر»: the coming one (today if its hour is still ahead)
        target = today + jdatetime.timedelta(days=(weekday - today.togregorian().weekday()) % 7 + (7 if next_week else 0))
        year, month, day = target.year, target.month, target.day
    else:
        return WhenProblem("need_date" if _take_time(rest) is not None else "unreadable")
    if match is not None:
        rest = rest[: match.start()] + " " + rest[match.end():]

    found = _take_time(rest)
    if isinstance(found, WhenProblem):
        return found
    hour_given = found is not None
    if found is None:
        period = next((p for p in _PERIODS if p in rest), None)
        hour, minute = PERIOD_HOURS.get(period or "", DEFAULT_HOUR), 0
        rest = rest.replace(period, " ") if period else rest
    else:
        hour, minute, rest = found
    if weekday is not None and match is None and not next_week and year is not None:
        # The named weekday is today but its hour has passed: the same day next week.
        moment = to_datetime(WhenParts(year, month, day, hour, minute), now_local.tzinfo)
        if moment <= now_local:
            target = jdatetime.date(year, month, day) + jdatetime.timedelta(days=7)
            year, month, day = target.year, target.month, target.day
    if re.search(r"\d|@m\d+@", rest):  # numbers or months left over: we would be guessing
        return WhenProblem("unreadable")

    if year is not None:
        problem = _check_date(year, month, day)
        if problem:
            return problem
        return WhenParts(year, month, day, hour, minute, hour_given)
    # No year: the next time this day comes round.
    if not 1 <= month <= 12:
        return WhenProblem("month")
    for candidate in (today.year, today.year + 1):
        if day > month_length(candidate, month):
            continue
        parts = WhenParts(candidate, month, day, hour, minute, hour_given)
        if to_datetime(parts, now_local.tzinfo) > now_local:
            return parts
    return _check_date(today.year + 1, month, day) or WhenProblem("unreadable")


def _check_date(year: int, month: int, day: int) -> WhenProblem | None:
    if not 1300 <= year <= 1500:
        return WhenProblem("gregorian" if 1900 <= year <= 2200 else "year", year=year)
    if not 1 <= month <= 12:
        return WhenProblem("month", year=year, month=month)
    if month == 12 and day == 30 and not is_leap(year):
        return WhenProblem("esfand", year=year, month=month, days=29)
    if not 1 <= day <= month_length(year, month):
        return WhenProblem("day", year=year, month=month, days=month_length(year, month))
    return None


def to_datetime(parts: WhenParts, tz: tzinfo | None) -> datetime:
    """The moment in `tz` (aware; naive only for a naive `now_local` in parse_when)."""
    day = jdatetime.date(parts.year, parts.month, parts.day).togregorian()
    local = datetime(day.year, day.month, day.day, tzinfo=tz)
    return local + timedelta(hours=parts.hour, minutes=parts.minute)


def to_utc(parts: WhenParts, tz: ZoneInfo) -> datetime:
    return to_datetime(parts, tz).astimezone(timezone.utc)


def check_window(moment: datetime, now: datetime) -> WhenProblem | None:
    """A campaign starts in the future, and within a year."""
    if moment <= now:
        return WhenProblem("past")
    if moment - now > MAX_AHEAD:
        return WhenProblem("too_far")
    return None


def read_when(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, bool] | WhenProblem:
    """Typed text → (UTC moment, whether the hour was given), or why not."""
    parsed = parse_when(text, now.astimezone(tz))
    if isinstance(parsed, WhenProblem):
        return parsed
    moment = to_utc(parsed, tz)
    return check_window(moment, now) or (moment, parsed.hour_given)
