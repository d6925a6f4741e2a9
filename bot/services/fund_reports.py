"""The fund's figures over time, worked out from the ledger alone (no stored totals): the
balance at the end of each Jalali month and what was lent in it. The text report and the
PNG chart are drawn from the same series, so their numbers are the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.db.enums import FundEntryKind
from bot.db.models import FundEntry
from bot.services import fund_dues


@dataclass(frozen=True)
class MonthFigures:
    period: int  # Jalali YYYYMM
    balance: int  # at the end of the month (or now, for the current one)
    lent: int  # loans paid out in the month (a positive number)
    paid_in: int  # contributions and instalments confirmed in the month


def monthly_series(entries: Sequence[FundEntry], now: datetime, tz: ZoneInfo, months: int = 12) -> list[MonthFigures]:
    last = fund_dues.period_of(now, tz)
    periods = [last]
    while len(periods) < months:
        year, month = divmod(periods[0], 100)
        periods.insert(0, (year - 1) * 100 + 12 if month == 1 else periods[0] - 1)
    by_period: dict[int, list[FundEntry]] = {}
    before = 0
    for entry in entries:
        period = fund_dues.period_of(entry.at, tz)
        if period < periods[0]:
            before += entry.amount
        elif period <= last:
            by_period.setdefault(period, []).append(entry)
    series, balance = [], before
    for period in periods:
        rows = by_period.get(period, [])
        balance += sum(e.amount for e in rows)
        lent = -sum(e.amount for e in rows if e.kind == FundEntryKind.PAYOUT)
        paid_in = sum(e.amount for e in rows if e.kind in (FundEntryKind.CONTRIBUTION, FundEntryKind.INSTALMENT))
        series.append(MonthFigures(period, balance, lent, paid_in))
    return series
