"""Facilitators' timed work: the weekly digest (Saturday morning, local time) and the one
reminder of a question unanswered for 72 hours. Both read rows and do what is due, so an
hourly run and a run at start (after a restart that spanned the time) are enough; the
Delivery rows' unique key makes each happen once (bot/actions/facilitation.py)."""

from __future__ import annotations

from bot.actions import facilitation
from bot.deps import Deps
from bot.jobs.scheduler import Scheduler


async def weekly_digest(deps: Deps) -> None:
    await facilitation.send_digests(deps)


async def question_reminders(deps: Deps) -> None:
    await facilitation.remind_unanswered(deps)


async def digest_at_start(scheduler: Scheduler) -> None:
    await facilitation.send_digests(scheduler.deps)
