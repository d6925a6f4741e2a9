"""Campaign reminders in time: armed from the database at start, fired once each.

Each reminder is a row (pending → sent | skipped | cancelled). At start every pending one is
armed with the scheduler; one that fell due while the bot was down is fired at once if it is
within settings.reminder_grace_hours, otherwise recorded as skipped. Firing writes a pending
delivery per member (purpose "reminder", ref_id = the reminder: the unique key makes a second
copy to anyone impossible) and bot/sending/broadcast.py sends them.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.db.enums import Purpose
from bot.db.models import Reminder
from bot.deps import Deps
from bot.jobs.scheduler import Scheduler
from bot.sending import broadcast
from bot.services import reminders as service
from bot.services.campaigns import as_utc, id_of
from bot.services.reminders import Fired

log = logging.getLogger(__name__)


def job_id(reminder_id: int) -> str:
    return f"reminder-{reminder_id}"


async def fire(deps: Deps, reminder_id: int) -> Fired:
    """The reminder job: if it is due (by deps.clock), write its deliveries and send them."""
    grace = timedelta(hours=deps.settings.reminder_grace_hours)
    async with deps.unit() as session:
        outcome = await service.fire_reminder(session, reminder_id, deps.clock(), grace)
    if outcome == Fired.FIRED:
        broadcast.start(deps, Purpose.CAMPAIGN_REMINDER, reminder_id)
    if outcome in (Fired.FIRED, Fired.SKIPPED):
        log.info("reminder %s %s", reminder_id, outcome)
    return outcome


def arm(deps: Deps, reminder: Reminder) -> None:
    if deps.scheduler is None:
        return
    reminder_id = id_of(reminder)

    async def job(job_deps: Deps) -> None:
        await fire(job_deps, reminder_id)

    deps.scheduler.at(job_id(reminder_id), as_utc(reminder.due_at), job)


def disarm(deps: Deps, reminder_ids: list[int]) -> None:
    if deps.scheduler is None:
        return
    for reminder_id in reminder_ids:
        deps.scheduler.cancel(job_id(reminder_id))


async def fire_due(deps: Deps) -> list[tuple[int, Fired]]:
    """Every pending reminder that is due now (by deps.clock): fire it, or skip it if overdue."""
    async with deps.unit() as session:
        due = [id_of(reminder) for reminder in await service.due_reminders(session, deps.clock())]
    return [(reminder_id, await fire(deps, reminder_id)) for reminder_id in due]


async def arm_at_start(scheduler: Scheduler) -> None:
    deps = scheduler.deps
    await fire_due(deps)  # fell due while the bot was down: within grace → sent, else skipped
    async with deps.unit() as session:
        ahead = await service.pending_reminders(session)
    for reminder in ahead:
        arm(deps, reminder)


async def check_due(deps: Deps) -> None:
    """A safety net for a job lost between arming and firing (the fire is idempotent)."""
    await fire_due(deps)
