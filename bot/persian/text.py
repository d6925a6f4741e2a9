"""Input normalisation and output rendering for Persian text.

Input: users type on Persian, Arabic or Latin keyboards; we accept all of them.
Output: Persian digits, Jalali dates, Asia/Tehran times.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import jdatetime

# The catalog (and with it telegram) is imported where a date is spelled out, not here: the
# export worker (bot/exports/members_worker.py) formats numeric dates and names with this module
# alone, and its start-up is most of a small file's cost.
from bot.persian.digits import (  # re-exported: most callers read digits from here
    ARABIC_INDIC_DIGITS as ARABIC_INDIC_DIGITS,
    PERSIAN_DIGITS as PERSIAN_DIGITS,
    ascii_digits as ascii_digits,
    format_number as format_number,
    persian_digits as persian_digits,
)

# Arabic letter forms that Arabic keyboards produce for Persian ی and ک.
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

ZWNJ = "\u200c"
# Invisible characters that users' keyboards leave at the edges of what they type.
_EDGE_MARKS = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat and tatweel
_SEARCH_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی", "ة": "ه", "ۀ": "ه"})

TEHRAN = ZoneInfo("Asia/Tehran")


def clean(text: str | None) -> str:
    """What we store from free text: Persian letters, edges trimmed, runs of spaces folded.

    Zero-width non-joiners *inside* words are kept: they are part of correct Persian.
    Line breaks are kept (a description may have paragraphs), blank runs folded.
    """
    if not text:
        return ""
    text = text.translate(_ARABIC_LETTERS).replace("\r\n", "\n")
    lines = [_SPACES_RE.sub(" ", line).strip(" " + _EDGE_MARKS) for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n " + _EDGE_MARKS)


def one_line(text: str | None) -> str:
    """Like clean(), for names and titles: a single line."""
    return " ".join(clean(text).split("\n")).strip()


def name_of(full_name: str | None, first_name: str | None, last_name: str | None) -> str:
    """A person's name from their row's columns: the one they declared, else their messenger
    profile's (bot/views/centers.person_name; the members file reads no User objects)."""
    return full_name or one_line(" ".join(filter(None, [first_name, last_name])))


def search_key(text: str) -> str:
    """A folded form for matching names: «صاحب الزمان» and «صاحب‌الزمان» meet here."""
    text = ascii_digits(clean(text)).lower()
    text = _DIACRITICS_RE.sub("", text).translate(_SEARCH_FOLD)
    return re.sub(r"[\s\u200b-\u200f\u00a0\-_.،,]+", "", text)


# Words in almost every center's name; a name search matches what is left («کانون همیاری X» ≡ «X»).
GENERIC_NAME_WORDS = ("کانون", "همیاری", "اجتماعی", "روستای", "روستا")
_GENERIC_KEYS = frozenset(search_key(word) for word in GENERIC_NAME_WORDS)


def name_search_key(text: str) -> str:
    """search_key() without the generic words: what a center search compares, typed or stored.

    A name made only of generic words keeps them all, so it can still be found.
    """
    kept = [word for word in clean(text).split() if search_key(word) not in _GENERIC_KEYS]
    return search_key(" ".join(kept)) or search_key(text)


def parse_int(text: str | None) -> int | None:
    """An integer typed in any digits (spaces and separators allowed), or None."""
    if not text:
        return None
    digits = re.sub(r"[\s,٬،_-]", "", ascii_digits(clean(text)))
    return int(digits) if digits.isdigit() else None


def to_tehran(moment: datetime, tz: ZoneInfo = TEHRAN) -> datetime:
    if moment.tzinfo is None:  # stored datetimes are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz)


def jalali(moment: datetime, tz: ZoneInfo = TEHRAN) -> jdatetime.datetime:
    return jdatetime.datetime.fromgregorian(datetime=to_tehran(moment, tz))


def format_date(moment: datetime, tz: ZoneInfo = TEHRAN) -> str:
    """«۱۵ آذر ۱۴۰۵» — month names come from the catalog."""
    from bot.persian.catalog import t

    local = jalali(moment, tz)
    return t("date", day=local.day, month=t(f"month-{local.month}"), year=persian_digits(local.year))


def format_datetime(moment: datetime, tz: ZoneInfo = TEHRAN, weekday: bool = False) -> str:
    """«۱۵ آذر ۱۴۰۵، ساعت ۱۸:۳۰», optionally led by the weekday («شنبه …»)."""
    from bot.persian.catalog import t

    local = to_tehran(moment, tz)
    text = t("date-time", date=format_date(local, tz), time=persian_digits(local.strftime("%H:%M")))
    if weekday:
        text = t("weekday-date", weekday=t(f"weekday-{local.weekday()}"), date=text)
    return text


def format_jalali_date_numeric(moment: datetime, tz: ZoneInfo = TEHRAN) -> str:
    """«۱۴۰۵/۰۹/۱۵» — for tables and CSV."""
    local = jdatetime.datetime.fromgregorian(datetime=to_tehran(moment, tz))
    return persian_digits(local.strftime("%Y/%m/%d"))


class NumericDates:
    """format_jalali_date_numeric for a file's many rows: each local day formatted once. Takes a
    datetime or the stored text SQLite gives for one (naive UTC, ISO 8601).

    The local day comes from the UTC moment plus the zone's offset, which is asked once per UTC
    day (converting each moment through the zone was most of a 100,000-center file's dates: issue 14);
    a day on which the offset changes takes the zone's own conversion."""

    def __init__(self, tz: ZoneInfo = TEHRAN) -> None:
        self.tz = tz
        self._days: dict[date, str] = {}
        self._offsets: dict[date, timedelta | None] = {}

    def __call__(self, stored: datetime | str) -> str:
        moment = datetime.fromisoformat(stored) if isinstance(stored, str) else stored
        if moment.tzinfo is not None and moment.tzinfo is not timezone.utc:  # asyncpg's are in UTC already
            moment = moment.astimezone(timezone.utc)
        utc_day = moment.date()
        offset = self._offsets.get(utc_day, _UNKNOWN)
        if offset is _UNKNOWN:
            offset = self._offsets[utc_day] = self._offset_all_day(utc_day)
        day = (moment + offset).date() if offset is not None else to_tehran(moment, self.tz).date()
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = format_jalali_date_numeric(moment, self.tz)
        return found

    def _offset_all_day(self, utc_day: date) -> timedelta | None:
        start = datetime.combine(utc_day, time(), timezone.utc)
        offsets = {(start + timedelta(hours=hours)).astimezone(self.tz).utcoffset() for hours in (0, 12, 24)}
        return offsets.pop() if len(offsets) == 1 else None


_UNKNOWN = timedelta(days=-1)  # not yet asked (None: the offset changes that day)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


_MOBILE_RE = re.compile(r"^(?:\+?98|0098|0)?(9\d{9})$")


def normalize_mobile(typed: str | None) -> str | None:
    """An Iranian mobile in any common form and any digits → «09xxxxxxxxx», else None.

    Accepts 09121234567, 9121234567, +989121234567, 989121234567, 00989121234567, with
    spaces or dashes, in Persian, Arabic-Indic or Latin digits.
    """
    if not typed:
        return None
    compact = re.sub(r"[\s\-().]", "", ascii_digits(clean(typed)))
    match = _MOBILE_RE.match(compact)
    return "0" + match.group(1) if match else None
