"""Queries about campaigns, their answers and reminders. None of them commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import Answer, CampaignStatus, MembershipStatus, ReminderStatus
from bot.db.models import Campaign, CampaignAnswer, Membership, Reminder
from bot.db.repo.due import pending_reminder


async def by_id(session: AsyncSession, campaign_id: int) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def by_request_key(session: AsyncSession, request_key: str) -> Campaign | None:
    """The campaign a draft with this key already made, if any (a repeated «ارسال»)."""
    return (await session.exec(select(Campaign).where(Campaign.request_key == request_key))).first()


async def of_center(session: AsyncSession, center_id: int, limit: int, offset: int = 0) -> list[Campaign]:
    query = (
        select(Campaign).where(Campaign.center_id == center_id)
        .order_by(col(Campaign.id).desc()).limit(limit).offset(offset)
    )
    return list((await session.exec(query)).all())


async def count_of_center(session: AsyncSession, center_id: int) -> int:
    query = select(func.count()).select_from(Campaign).where(Campaign.center_id == center_id)
    return (await session.exec(query)).one()


async def by_ids(session: AsyncSession, campaign_ids: list[int]) -> list[Campaign]:
    if not campaign_ids:
        return []
    query = select(Campaign).where(col(Campaign.id).in_(campaign_ids)).order_by(col(Campaign.id).desc())
    return list((await session.exec(query)).all())


async def set_status(
    session: AsyncSession, campaign_id: int, from_statuses: tuple[CampaignStatus, ...], to: CampaignStatus,
    **values: object,
) -> bool:
    """Conditional change: True if this call made it."""
    result = await session.exec(
        update(Campaign)
        .where(col(Campaign.id) == campaign_id, col(Campaign.status).in_(from_statuses))
        .values(status=to, **values)
    )
    return result.rowcount == 1


async def active_member_ids(session: AsyncSession, center_id: int) -> set[int]:
    query = select(Membership.user_id).where(
        Membership.center_id == center_id, Membership.status == MembershipStatus.ACTIVE,
    )
    return set((await session.exec(query)).all())


# --- answers -----------------------------------------------------------------------------


async def answer_of(session: AsyncSession, campaign_id: int, user_id: int) -> CampaignAnswer | None:
    query = select(CampaignAnswer).where(CampaignAnswer.campaign_id == campaign_id, CampaignAnswer.user_id == user_id)
    return (await session.exec(query)).first()


async def answer_counts(session: AsyncSession, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """{campaign_id: {"yes": n, "no": n}}"""
    if not campaign_ids:
        return {}
    query = (
        select(col(CampaignAnswer.campaign_id), col(CampaignAnswer.answer), func.count())
        .where(col(CampaignAnswer.campaign_id).in_(campaign_ids), col(CampaignAnswer.answer).is_not(None))
        .group_by(col(CampaignAnswer.campaign_id), col(CampaignAnswer.answer))
    )
    found: dict[int, dict[str, int]] = {cid: {} for cid in campaign_ids}
    for campaign_id, answer, n in (await session.exec(query)).all():
        if answer is not None:
            found[campaign_id][answer] = n
    return found


async def declined_or_muted(session: AsyncSession, campaign_id: int) -> set[int]:
    """Members who get no reminders: they said «نمی‌توانم» or muted this campaign."""
    query = select(CampaignAnswer.user_id).where(
        CampaignAnswer.campaign_id == campaign_id,
        (col(CampaignAnswer.answer) == Answer.NO) | col(CampaignAnswer.muted).is_(True),
    )
    return set((await session.exec(query)).all())


# --- reminders ---------------------------------------------------------------------------


async def reminder(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def pending_reminders(session: AsyncSession, due_by: datetime | None = None) -> list[Reminder]:
    query = select(Reminder).where(pending_reminder()).order_by(col(Reminder.due_at))
    if due_by is not None:
        query = query.where(col(Reminder.due_at) <= due_by)
    return list((await session.exec(query)).all())


async def set_reminder_status(
    session: AsyncSession, reminder_id: int, to: ReminderStatus, fired_at: datetime | None = None,
) -> bool:
    """pending → `to`; False if someone else changed it first."""
    result = await session.exec(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.status) == ReminderStatus.PENDING)
        .values(status=to, fired_at=fired_at)
    )
    return result.rowcount == 1


async def cancel_pending_reminders(session: AsyncSession, campaign_id: int) -> list[int]:
    """Every pending reminder of the campaign → cancelled; their ids (to disarm their jobs)."""
    pending = select(Reminder.id).where(
        Reminder.campaign_id == campaign_id, Reminder.status == ReminderStatus.PENDING,
    ).order_by(col(Reminder.due_at))
    ids = [reminder_id for reminder_id in (await session.exec(pending)).all() if reminder_id is not None]
    if ids:
        await session.exec(
            update(Reminder)
            .where(col(Reminder.id).in_(ids), col(Reminder.status) == ReminderStatus.PENDING)
            .values(status=ReminderStatus.CANCELLED)
        )
    return ids
