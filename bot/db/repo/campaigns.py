"""Queries about campaigns, their answers and reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Campaign, CampaignAnswer, Membership, Reminder


async def by_id(session: AsyncSession, campaign_id: int) -> Campaign | None:
    return await session.get(Campaign, campaign_id)


async def of_center(session: AsyncSession, center_id: int, limit: int, offset: int = 0) -> list[Campaign]:
    query = (
        select(Campaign).where(Campaign.center_id == center_id)
        .order_by(Campaign.id.desc()).limit(limit).offset(offset)  # type: ignore[union-attr]
    )
    return list((await session.exec(query)).all())


async def count_of_center(session: AsyncSession, center_id: int) -> int:
    query = select(func.count()).select_from(Campaign).where(Campaign.center_id == center_id)
    return (await session.exec(query)).one()


async def by_ids(session: AsyncSession, campaign_ids: list[int]) -> list[Campaign]:
    if not campaign_ids:
        return []
    query = select(Campaign).where(Campaign.id.in_(campaign_ids)).order_by(Campaign.id.desc())  # type: ignore[union-attr]
    return list((await session.exec(query)).all())


async def set_status(session: AsyncSession, campaign_id: int, from_statuses: tuple[str, ...], to: str, **values: object) -> bool:
    """Conditional change (no commit): True if this call made it."""
    result = await session.exec(
        update(Campaign)  # type: ignore[call-overload]
        .where(Campaign.id == campaign_id, Campaign.status.in_(from_statuses))  # type: ignore[attr-defined]
        .values(status=to, **values)
    )
    return result.rowcount == 1


async def active_member_ids(session: AsyncSession, center_id: int) -> set[int]:
    query = select(Membership.user_id).where(Membership.center_id == center_id, Membership.status == "active")
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
        select(CampaignAnswer.campaign_id, CampaignAnswer.answer, func.count())
        .where(CampaignAnswer.campaign_id.in_(campaign_ids), CampaignAnswer.answer.is_not(None))  # type: ignore[attr-defined, union-attr]
        .group_by(CampaignAnswer.campaign_id, CampaignAnswer.answer)
    )
    found: dict[int, dict[str, int]] = {cid: {} for cid in campaign_ids}
    for campaign_id, answer, n in (await session.exec(query)).all():
        found[campaign_id][answer] = n
    return found


async def declined_or_muted(session: AsyncSession, campaign_id: int) -> set[int]:
    """Members who get no reminders: they said «نمی‌توانم» or muted this campaign."""
    query = select(CampaignAnswer.user_id).where(
        CampaignAnswer.campaign_id == campaign_id,
        (CampaignAnswer.answer == "no") | (CampaignAnswer.muted == True),  # noqa: E712
    )
    return set((await session.exec(query)).all())


# --- reminders ---------------------------------------------------------------------------


async def reminder(session: AsyncSession, reminder_id: int) -> Reminder | None:
    return await session.get(Reminder, reminder_id)


async def reminders_of(session: AsyncSession, campaign_id: int) -> list[Reminder]:
    query = select(Reminder).where(Reminder.campaign_id == campaign_id).order_by(Reminder.due_at)
    return list((await session.exec(query)).all())


async def pending_reminders(session: AsyncSession, due_by: datetime | None = None) -> list[Reminder]:
    query = select(Reminder).where(Reminder.status == "pending").order_by(Reminder.due_at)
    if due_by is not None:
        query = query.where(Reminder.due_at <= due_by)
    return list((await session.exec(query)).all())


async def set_reminder_status(
    session: AsyncSession, reminder_id: int, to: str, fired_at: datetime | None = None,
) -> bool:
    """pending → `to` (no commit); False if someone else changed it first."""
    result = await session.exec(
        update(Reminder)  # type: ignore[call-overload]
        .where(Reminder.id == reminder_id, Reminder.status == "pending")
        .values(status=to, fired_at=fired_at)
    )
    return result.rowcount == 1


async def cancel_pending_reminders(session: AsyncSession, campaign_id: int) -> list[int]:
    """Every pending reminder of the campaign → cancelled (no commit); their ids."""
    ids = [r.id for r in await reminders_of(session, campaign_id) if r.status == "pending"]
    if ids:
        await session.exec(
            update(Reminder)  # type: ignore[call-overload]
            .where(Reminder.id.in_(ids), Reminder.status == "pending")  # type: ignore[union-attr]
            .values(status="cancelled")
        )
    return ids  # type: ignore[return-value]
