"""A batch's bookkeeping while bot/sending/broadcast.py sends it (docs/sending.md).

A batch is every Delivery row with one (purpose, ref_id): a campaign's call (or an
announcement), a reminder, a cancel notice, a change-of-time notice. Here: what a batch is
about and whether it is still worth sending, claiming one row just before its send, recording
its outcome, skipping what is no longer worth it, and the leader's report message. Nothing
here commits: the sender opens a unit of work per step, because a claim must be committed
before its send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import BATCH_PURPOSES, Answer, CampaignStatus, DeliveryStatus, Purpose, ReminderStatus
from bot.db.models import Campaign, Center, Reminder, User
from bot.db.repo import campaigns as campaigns_repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import users as users_repo
from bot.services.campaigns import Figures, answer_state, as_utc, figures, has_started, move_event, reached


@dataclass
class Batch:
    """What a pending batch of deliveries is about, for rendering; see batch()."""

    purpose: Purpose
    campaign: Campaign
    center: Center
    previous_start: datetime | None = None  # campaign_moved
    reminder: Reminder | None = None


@dataclass
class Claimed:
    """One delivery taken for sending, with the campaign and the member's answer as they are
    at that moment (a cancel, a move, an answer or a mute since the batch began counts)."""

    campaign: Campaign
    answer: str | None = None
    muted: bool = False


def _not_worth(purpose: str, campaign: Campaign | None, now: datetime, answer: str | None = None,
               muted: bool = False) -> bool:
    if campaign is None:
        return True
    if purpose != Purpose.CAMPAIGN_CANCEL and campaign.status == CampaignStatus.CANCELLED:
        return True
    if purpose in (Purpose.CAMPAIGN_CALL, Purpose.CAMPAIGN_MOVED) and has_started(campaign, now):
        return True
    return purpose == Purpose.CAMPAIGN_REMINDER and (answer == Answer.NO or muted)  # declined or muted since it fired


async def batch(session: AsyncSession, purpose: str, ref_id: int, now: datetime, grace: timedelta) -> Batch | None:
    """The context of a pending batch, or None when it is no longer worth sending (the
    campaign was cancelled or has started, the reminder is overdue beyond grace); the caller
    then marks the rest skipped."""
    if purpose not in BATCH_PURPOSES:
        return None
    purpose = Purpose(purpose)
    previous = None
    reminder = None
    if purpose in (Purpose.CAMPAIGN_CALL, Purpose.CAMPAIGN_CANCEL):
        campaign = await campaigns_repo.by_id(session, ref_id)
    elif purpose == Purpose.CAMPAIGN_REMINDER:
        reminder = await campaigns_repo.reminder(session, ref_id)
        campaign = await campaigns_repo.by_id(session, reminder.campaign_id) if reminder else None
    else:
        moved = await move_event(session, ref_id)
        campaign, previous = (moved[0], moved[1]) if moved else (None, None)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or _not_worth(purpose, campaign, now):
        return None
    if reminder is not None and (reminder.status != ReminderStatus.SENT or now - as_utc(reminder.due_at) > grace):
        return None
    return Batch(purpose, campaign, center, previous, reminder)


async def release_left_claimed(session: AsyncSession, purpose: str, ref_id: int) -> int:
    """Rows of this batch still claimed by a sender that is gone (a stop or a crash mid-send)
    are pending again: a lost call is worse than a repeated one. Only the batch's one sender
    calls this, before it claims anything."""
    return await deliveries_repo.unclaim(session, purpose, ref_id)


async def pending_rows(session: AsyncSession, purpose: str, ref_id: int) -> list[tuple[int, User]]:
    """(delivery id, recipient) of every row still to send, oldest first."""
    return await deliveries_repo.pending_with_users(session, purpose, ref_id)


async def claim(
    session: AsyncSession, purpose: str, delivery_id: int, campaign_id: int, user_id: int, now: datetime,
) -> Claimed | None:
    """Take one pending delivery for sending, just before the send (pending → sending, one
    conditional UPDATE; the caller commits it before sending). None if it is no longer pending
    (a cancel skipped it) or no longer worth sending (then it is skipped here): a reminder to
    someone who has answered «نمی‌توانم» or muted since it fired is not sent."""
    if not await deliveries_repo.claim(session, delivery_id):
        return None
    campaign = await campaigns_repo.by_id(session, campaign_id)
    answer, muted = None, False
    if purpose in (Purpose.CAMPAIGN_CALL, Purpose.CAMPAIGN_REMINDER, Purpose.CAMPAIGN_MOVED):
        answer, muted = await answer_state(session, campaign_id, user_id)
    if campaign is None or _not_worth(purpose, campaign, now, answer, muted):
        await deliveries_repo.record(session, delivery_id, DeliveryStatus.SKIPPED, attempts=0, error=None,
                                     message_id=None, sent_at=None)
        return None
    return Claimed(campaign, answer, muted)


async def record(
    session: AsyncSession, delivery_id: int, user_id: int, status: DeliveryStatus, *, attempts: int,
    error: str | None, message_id: int | None, now: datetime,
) -> None:
    """The outcome of a claimed row's send (PENDING gives it back: stopped before it went);
    someone unreachable is marked as having blocked the bot."""
    await deliveries_repo.record(session, delivery_id, status, attempts=attempts, error=error,
                                 message_id=message_id, sent_at=now if message_id is not None else None)
    if status == DeliveryStatus.UNREACHABLE:
        await users_repo.mark_blocked(session, user_id, now)


async def skip_rest(session: AsyncSession, purpose: str, ref_id: int, user_ids: list[int] | None = None) -> int:
    return await deliveries_repo.skip_pending(session, purpose, ref_id, user_ids)


async def tell_those_reached(session: AsyncSession, purpose: str, ref_id: int, campaign_id: int, now: datetime) -> int:
    """Add a pending notice for anyone whose call went out since the notice rows were written
    (a send that was in flight while the leader cancelled or moved the campaign)."""
    return await deliveries_repo.enqueue(session, purpose, ref_id, await reached(session, campaign_id), now)


async def finish_sending(session: AsyncSession, campaign_id: int) -> None:
    """The call has gone to everyone it could: sending → sent (a cancel meanwhile stays)."""
    await campaigns_repo.set_status(session, campaign_id, (CampaignStatus.SENDING,), CampaignStatus.SENT)


async def open_batches(session: AsyncSession) -> list[tuple[str, int]]:
    """Every batch a stop or crash left with rows to send, oldest first."""
    return await deliveries_repo.open_batches(session, BATCH_PURPOSES)


# --- the leader's report message -------------------------------------------------------------


@dataclass
class ReportTarget:
    """A campaign's report as it stands, and the person who watches it (its creator)."""

    campaign: Campaign
    creator: User
    figures: Figures


async def report_target(session: AsyncSession, campaign_id: int) -> ReportTarget | None:
    campaign = await campaigns_repo.by_id(session, campaign_id)
    creator = await users_repo.by_id(session, campaign.created_by) if campaign else None
    if campaign is None or creator is None:
        return None
    return ReportTarget(campaign, creator, (await figures(session, [campaign_id]))[campaign_id])


async def set_report_message(session: AsyncSession, campaign_id: int, message_id: int) -> None:
    """The message the creator watches: edited as the figures change."""
    campaign = await campaigns_repo.by_id(session, campaign_id)
    if campaign is not None and campaign.report_message_id != message_id:
        campaign.report_message_id = message_id
        session.add(campaign)
