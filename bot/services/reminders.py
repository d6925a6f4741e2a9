"""A campaign's reminders falling due: each is turned into pending deliveries once.

Planning them (which offsets, when) is a campaign rule (bot/services/campaigns.py); arming
them with the scheduler and sending what a fired one wrote is bot/jobs/reminders.py. Nothing
here commits: the job's unit of work does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CampaignStatus, Purpose, ReminderStatus
from bot.db.models import Reminder
from bot.db.repo import campaigns as repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.services.campaigns import as_utc, audience, audit, id_of, reached


class Fired(StrEnum):
    """What firing a reminder found."""

    FIRED = "fired"  # its deliveries are written, to be sent
    SKIPPED = "skipped"  # overdue beyond the grace window (the bot was down)
    CANCELLED = "cancelled"  # its campaign is cancelled or gone
    NOT_DUE = "not_due"
    DONE = "done"  # fired, skipped or cancelled before (by another run)
    GONE = "gone"  # no such reminder


async def fire_reminder(session: AsyncSession, reminder_id: int, now: datetime, grace: timedelta) -> Fired:
    """Turn a due reminder into pending deliveries, once (pending → sent by one conditional
    UPDATE: a second run, or two at once, find it done and write nothing)."""
    reminder = await repo.reminder(session, reminder_id)
    if reminder is None:
        return Fired.GONE
    if reminder.status != ReminderStatus.PENDING:
        return Fired.DONE
    due = as_utc(reminder.due_at)
    if due > now:
        return Fired.NOT_DUE
    campaign = await repo.by_id(session, reminder.campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or campaign.status == CampaignStatus.CANCELLED:
        changed = await repo.set_reminder_status(session, reminder_id, ReminderStatus.CANCELLED)
        return Fired.CANCELLED if changed else Fired.DONE
    campaign_id = id_of(campaign)
    if now - due > grace:
        if not await repo.set_reminder_status(session, reminder_id, ReminderStatus.SKIPPED):
            return Fired.DONE
        audit(session, None, "campaign.reminder_skipped", campaign_id, now, reminder=reminder_id, due_at=due.isoformat())
        return Fired.SKIPPED
    if not await repo.set_reminder_status(session, reminder_id, ReminderStatus.SENT, fired_at=now):
        return Fired.DONE
    # Those the call reached, still in the audience (supporters too if the leader chose them and
    # they still support the center), who neither declined nor muted.
    people = await reached(session, campaign_id) & await audience(session, center, campaign.created_by,
                                                                  campaign.to_supporters)
    people -= await repo.declined_or_muted(session, campaign_id)
    await deliveries_repo.enqueue(session, Purpose.CAMPAIGN_REMINDER, reminder_id, people, now)
    return Fired.FIRED


async def pending_reminders(session: AsyncSession) -> list[Reminder]:
    return await repo.pending_reminders(session)


async def due_reminders(session: AsyncSession, now: datetime) -> list[Reminder]:
    return await repo.pending_reminders(session, due_by=now)
