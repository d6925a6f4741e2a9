"""The loan fund's timed work (issue 16): this month's dues on their day, the due-day reminder,
the one late reminder three days later. Rows first: the dues are rows, and each notice is a
Delivery row (purpose, due, person) written before its send, so a restart or a second run
sends nothing twice and misses nothing (docs/fund.md)."""

from __future__ import annotations

from bot.actions import fund as actions
from bot.actions import fund_loans
from bot.db.enums import FundPurpose
from bot.deps import Deps
from bot.jobs.scheduler import Scheduler


async def contributions(deps: Deps) -> None:
    await actions.make_dues(deps)
    await actions.remind(deps, FundPurpose.DUE_REMINDER, late=False)
    await actions.remind(deps, FundPurpose.DUE_LATE, late=True)


async def instalments(deps: Deps) -> None:
    """Two days before each instalment, on its day, then day 3 (borrower), day 10 (guarantor),
    day 15 (staff): each once per person (a Delivery row written before the send)."""
    await fund_loans.instalment_reminders(deps)


async def instalments_at_start(scheduler: Scheduler) -> None:
    await instalments(scheduler.deps)


async def contributions_at_start(scheduler: Scheduler) -> None:
    await contributions(scheduler.deps)
