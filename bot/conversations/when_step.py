"""Asking for a campaign's date and time — shared by creating a campaign and moving it.

The user types it (any digits, common forms: bot/persian/dates.py) or picks a day on an inline
Jalali calendar (callback `cl:`) and then an hour (buttons, or typed). Whatever the way, the
moment must be a real Jalali date, in the future (deps.clock) and within a year; otherwise
the answer says which and the step stays where it was.

Calendar data: cl:m:YYYYMM (show a month), cl:d:YYYYMMDD (a day), cl:h:HHMM (an hour),
cl:b (back to the month), cl:x (a cell that does nothing: past day, blank, title).
Under the month, «امروز / فردا / پس‌فردا» chips pick those days in one tap; hours read «۶ عصر».

The calendar reads right to left like a printed Persian one: Saturday on the right. Every row
goes through `_rtl`, the ONE place that decides the order of buttons in a row: whether Bale
mirrors inline rows for right-to-left users is unknown (docs/villager.md), and if it does,
`_rtl` is what to change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jdatetime
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import callbacks
from bot.callbacks import Prefix
from bot.persian.catalog import Raw, t
from bot.persian.dates import (
    MAX_AHEAD, WhenParts, WhenProblem, check_window, month_length, parse_time, parse_when, read_when, to_utc,
)
from bot.persian.digits import persian_digits
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, inline, label, reply
from bot.views import steps
from bot.views.campaigns import problem_text, when

# Every calendar tap reaches on_calendar, which parses it (anything else: «choose a day»).
CALENDAR = f"^{Prefix.CALENDAR}:"
# A conversation's draft in user_data (JSON values); the date step keeps the picked day there.
Draft = dict[str, Any]
HOURS = tuple(range(7, 22))  # 07:00 … 21:00; other times are typed
NOOP = callbacks.CALENDAR_NOTHING.build()


def _month_data(year: int, month: int) -> str:
    return callbacks.CALENDAR_MONTH.build(year * 100 + month)


def _today(context: KanoonContext) -> jdatetime.date:
    now = context.deps.clock().astimezone(context.deps.settings.tz)
    return jdatetime.date.fromgregorian(date=now.date())


def _last_day(context: KanoonContext) -> jdatetime.date:
    latest = (context.deps.clock() + MAX_AHEAD).astimezone(context.deps.settings.tz)
    return jdatetime.date.fromgregorian(date=latest.date())


def _rtl(row: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A row in reading order (first item on the right): the clients lay rows out left to right."""
    return list(reversed(row))


def hour_label(hour: int) -> str:
    """«۶ عصر», «۱۱ صبح», «۱۲ ظهر», «۸ شب»: as people say it (dates.parse_time reads it back)."""
    period = "am" if hour < 12 else "noon" if hour <= 14 else "pm" if hour <= 18 else "night"
    return label("cal-hour", hour=persian_digits(hour if hour <= 12 else hour - 12), period=t(f"cal-period-{period}"))


def _day_data(day: jdatetime.date) -> str:
    return callbacks.CALENDAR_DAY.build(day.year * 10000 + day.month * 100 + day.day)


def _chips(today: jdatetime.date, last: jdatetime.date) -> list[tuple[str, str]]:
    """«امروز» «فردا» «پس‌فردا»: one tap to the hour step."""
    days = [(key, today + jdatetime.timedelta(days=shift)) for shift, key in enumerate(("cal-today", "cal-tomorrow", "cal-day-after"))]
    return _rtl([(label(key), _day_data(day)) for key, day in days if day <= last])


def month_keyboard(year: int, month: int, today: jdatetime.date, last: jdatetime.date,
                   back: bool = True) -> InlineKeyboardMarkup:
    title = label("cal-title", month=t(f"month-{month}"), year=persian_digits(year))
    prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    next_month = (year, month + 1) if month < 12 else (year + 1, 1)
    header = []
    if prev_month >= (today.year, today.month):
        header.append((label("cal-prev"), _month_data(*prev_month)))
    header.append((title, NOOP))
    if next_month <= (last.year, last.month):
        header.append((label("cal-next"), _month_data(*next_month)))
    rows = [_chips(today, last), _rtl(header), _rtl([(label(f"cal-wd-{d}"), NOOP) for d in range(7)])]
    first = jdatetime.date(year, month, 1)
    week: list[tuple[str, str]] = [("·", NOOP)] * first.weekday()  # jdatetime: Saturday is 0
    for day in range(1, month_length(year, month) + 1):
        date = jdatetime.date(year, month, day)
        if today <= date <= last:
            week.append((persian_digits(day), callbacks.CALENDAR_DAY.build(year * 10000 + month * 100 + day)))
        else:
            week.append(("·", NOOP))
        if len(week) == 7:
            rows.append(_rtl(week))
            week = []
    if week:
        rows.append(_rtl(week + [("·", NOOP)] * (7 - len(week))))
    rows.append(steps.inline_row(back))
    return inline(*rows)


def hours_keyboard() -> InlineKeyboardMarkup:
    buttons = [(hour_label(h), callbacks.CALENDAR_HOUR.build(h * 100)) for h in HOURS]
    rows = [_rtl(buttons[i:i + 4]) for i in range(0, len(buttons), 4)]
    rows.append([(label("cal-back"), callbacks.CALENDAR_BACK.build())])
    rows.append(steps.inline_row(back=False))  # «back» is the row above: to the month
    return inline(*rows)


# In the draft: the date is the conversation's first question (no «🔙» under the calendar).
FIRST_STEP = "when_first"


async def ask(update: Update, context: KanoonContext, question: str, back: bool = True) -> None:
    today = _today(context)
    await reply(update, context, question, month_keyboard(today.year, today.month, today, _last_day(context), back))


async def _confirm(update: Update, context: KanoonContext, moment: datetime, hour_given: bool) -> None:
    tz = context.deps.settings.tz
    text = t("when-set", when=Raw(when(moment, tz)))
    if not hour_given:
        text = Raw(text + "\n" + t("when-default-hour", hour=persian_digits(moment.astimezone(tz).strftime("%H:%M"))))
    await reply(update, context, text)


async def read_typed(update: Update, context: KanoonContext) -> datetime | None:
    """A typed date and time, checked; None (after saying why) if it can't be used."""
    message = update.effective_message
    if message is None or not message.text:
        await reply(update, context, t("input-need-text"))
        return None
    tz = context.deps.settings.tz
    result = read_when(message.text, context.deps.clock(), tz)
    if isinstance(result, WhenProblem):
        moment = None
        if result.code == "past":  # say which moment we understood, so the mistake is visible
            parsed = parse_when(message.text, context.deps.clock().astimezone(tz))
            moment = to_utc(parsed, tz) if isinstance(parsed, WhenParts) else None
        await reply(update, context, problem_text(result, moment, tz))
        return None
    moment, hour_given = result
    await _confirm(update, context, moment, hour_given)
    return moment


def _day_of(draft: Draft) -> jdatetime.date | None:
    raw = draft.get("day")
    if not raw:
        return None
    return jdatetime.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))


async def _finish_time(update: Update, context: KanoonContext, draft: Draft, hour: int, minute: int) -> datetime | None:
    day = _day_of(draft)
    if day is None:
        return None
    tz = context.deps.settings.tz
    moment = to_utc(WhenParts(day.year, day.month, day.day, hour, minute), tz)
    problem = check_window(moment, context.deps.clock())
    if problem is not None:
        await reply(update, context, problem_text(problem, moment, tz))
        return None
    await _confirm(update, context, moment, True)
    return moment


async def read_time(update: Update, context: KanoonContext, draft: Draft) -> datetime | None:
    """After a day was picked: a typed time («۱۸:۳۰», «۶ عصر») — or a whole new date and time."""
    message = update.effective_message
    if message is None or not message.text:
        await reply(update, context, t("input-need-text"))
        return None
    parsed = parse_time(message.text)
    if isinstance(parsed, WhenProblem) or parsed[0] == 24:
        if isinstance(parse_when(message.text, context.deps.clock().astimezone(context.deps.settings.tz)), WhenParts):
            return await read_typed(update, context)  # they typed a full date instead: take it
        await reply(update, context, t("when-ask-time-again") if isinstance(parsed, WhenProblem) and parsed.code == "unreadable"
                    else problem_text(WhenProblem("time")))
        return None
    hour, minute = parsed
    return await _finish_time(update, context, draft, hour, minute)


# What a calendar tap leads to.
STAY, PICK_TIME, BACK_TO_MONTH = "stay", "time", "month"


async def on_calendar(update: Update, context: KanoonContext, draft: Draft) -> str | datetime:
    """A calendar tap: a new month (STAY), a day (PICK_TIME), an hour (the moment, or STAY
    if it has passed), back (BACK_TO_MONTH). Always answers the callback query."""
    query = update.callback_query
    data = query.data if query else None
    today, last = _today(context), _last_day(context)
    if (month := callbacks.CALENDAR_MONTH.parse(data)) is not None:
        year, month_number = divmod(month[0], 100)
        if not 1 <= month_number <= 12 or not (today.year, today.month) <= (year, month_number) <= (last.year, last.month):
            await answer(update, context, t("cal-out-of-range"))
            return STAY
        await answer(update, context)
        await _edit_markup(update, month_keyboard(year, month_number, today, last, not draft.get(FIRST_STEP)))
        return STAY
    if (picked := callbacks.CALENDAR_DAY.parse(data)) is not None:
        raw = f"{picked[0]:08d}"
        try:
            day = jdatetime.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        except ValueError:
            await answer(update, context, t("button-stale"))
            return STAY
        if not today <= day <= last:
            await answer(update, context, t("cal-past"))
            return STAY
        draft["day"] = raw
        await answer(update, context)
        date_text = t("date", day=day.day, month=t(f"month-{day.month}"), year=persian_digits(day.year))
        await reply(update, context, t("when-ask-time", date=date_text), hours_keyboard())
        return PICK_TIME
    if (hour := callbacks.CALENDAR_HOUR.parse(data)) is not None:
        hours, minutes = divmod(hour[0], 100)
        if minutes > 59:  # no button carries it
            await answer(update, context, t("button-stale"))
            return STAY
        await answer(update, context)
        moment = await _finish_time(update, context, draft, hours, minutes)
        return moment if moment is not None else STAY
    if callbacks.CALENDAR_BACK.matches(data):
        await answer(update, context)
        day = _day_of(draft) or today
        await reply(update, context, t("when-ask-day"), month_keyboard(day.year, day.month, today, last, not draft.get(FIRST_STEP)))
        return BACK_TO_MONTH
    await answer(update, context, t("cal-nothing"))
    return STAY


async def _edit_markup(update: Update, markup: InlineKeyboardMarkup) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest:  # not modified, or too old to edit: the user can still type the date
        pass
