"""Monthly contributions: one FundDue row per member and Jalali month, made when its due day
comes (at DUE_HOUR, Tehran time); the rows say what is owed, the Delivery rows say who was
told (docs/fund.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import jdatetime
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundDueStatus
from bot.db.models import Fund, FundDue, id_of
from bot.db.repo import fund as repo
from bot.services.fund import share_amount

DUE_HOUR = 9  # local time of a due day's reminder
LATE_AFTER = timedelta(days=3)  # the one late reminder, then the staff's late list


def period_of(moment: datetime, tz: ZoneInfo) -> int:
    local = jdatetime.datetime.fromgregorian(datetime=moment.astimezone(tz))
    return local.year * 100 + local.month


def due_moment(period: int, day: int, tz: ZoneInfo) -> datetime:
    """The UTC moment of `day` of the Jalali month `period` (YYYYMM) at DUE_HOUR local time."""
    gregorian = jdatetime.date(period // 100, period % 100, day).togregorian()
    local = datetime(gregorian.year, gregorian.month, gregorian.day, DUE_HOUR, tzinfo=tz)
    return local.astimezone(timezone.utc)


def next_period(period: int) -> int:
    year, month = divmod(period, 100)
    return (year + 1) * 100 + 1 if month == 12 else period + 1


def add_months(period: int, months: int) -> int:
    for _ in range(months):
        period = next_period(period)
    return period


async def make_dues(session: AsyncSession, fund: Fund, now: datetime, tz: ZoneInfo) -> list[FundDue]:
    """This month's dues of a fund whose due day has come, for members who had joined by then.
    Idempotent: the unique (member, period) makes a second run add nothing."""
    period = period_of(now, tz)
    due_at = due_moment(period, fund.due_day, tz)
    if now < due_at:
        return []
    made = []
    for member in await repo.active_members(session, id_of(fund)):
        if member.joined_at > due_at or await repo.due_of(session, id_of(member), period) is not None:
            continue
        due = FundDue(fund_id=id_of(fund), member_id=id_of(member), period=period, status=FundDueStatus.DUE,
                      amount=share_amount(fund.contribution, member.share), due_at=due_at, created_at=now)
        try:
            async with session.begin_nested():
                session.add(due)
                await session.flush()
        except IntegrityError:  # another instance made it
            continue
        made.append(due)
    return made


async def reminders_due(session: AsyncSession, purpose: str, now: datetime, after: timedelta = timedelta(0)) -> list[FundDue]:
    """Unpaid dues (with no claim pending) that `purpose` was not yet sent for, `after` their due time."""
    return await repo.dues_without_notice(session, purpose, now - after)
