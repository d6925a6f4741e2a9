"""Queries of charitable campaigns: needs, pledges, deadlines (bot/services/charity.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.charity_models import Attendance, HelpCampaign, HelpNeed, Pledge, Supporter, SupporterInvitation
from bot.db.models import CampaignAnswer, Center, User
from bot.db.enums import Answer
from bot.db.enums import LIVE_PLEDGE, PledgeStatus


async def details(session: AsyncSession, campaign_id: int) -> HelpCampaign | None:
    return await session.get(HelpCampaign, campaign_id)


async def needs_of(session: AsyncSession, campaign_id: int) -> list[HelpNeed]:
    query = select(HelpNeed).where(HelpNeed.campaign_id == campaign_id).order_by(col(HelpNeed.position))
    return list((await session.exec(query)).all())


async def need(session: AsyncSession, need_id: int) -> HelpNeed | None:
    return await session.get(HelpNeed, need_id)


async def pledge(session: AsyncSession, pledge_id: int) -> Pledge | None:
    return await session.get(Pledge, pledge_id)


async def live_pledge(session: AsyncSession, need_id: int, user_id: int) -> Pledge | None:
    query = select(Pledge).where(Pledge.need_id == need_id, Pledge.user_id == user_id,
                                 col(Pledge.status).in_(LIVE_PLEDGE))
    return (await session.exec(query)).first()


async def live_pledges_of_campaign(session: AsyncSession, campaign_id: int) -> list[Pledge]:
    query = (select(Pledge).where(Pledge.campaign_id == campaign_id, col(Pledge.status).in_(LIVE_PLEDGE))
             .order_by(col(Pledge.id)))
    return list((await session.exec(query)).all())


async def live_pledges_of_user(session: AsyncSession, campaign_id: int, user_id: int) -> list[Pledge]:
    query = (select(Pledge).where(Pledge.campaign_id == campaign_id, Pledge.user_id == user_id,
                                  col(Pledge.status).in_(LIVE_PLEDGE)).order_by(col(Pledge.id)))
    return list((await session.exec(query)).all())


async def move_status(session: AsyncSession, pledge_id: int, from_statuses: tuple[str, ...], to: str,
                      **values: object) -> bool:
    """A conditional UPDATE: True if this call moved the pledge (a replayed tap finds it moved)."""
    result = await session.exec(
        update(Pledge).where(col(Pledge.id) == pledge_id, col(Pledge.status).in_(from_statuses))
        .values(status=to, **values)
    )
    return bool(result.rowcount)


async def undelivered_promisers(session: AsyncSession, campaign_id: int) -> set[int]:
    query = select(Pledge.user_id).where(
        Pledge.campaign_id == campaign_id,
        col(Pledge.status).in_((PledgeStatus.PROMISED, PledgeStatus.REPORTED)),
    )
    return set((await session.exec(query)).all())


async def due_for_reminder(session: AsyncSession, now: datetime, before: datetime) -> list[HelpCampaign]:
    """Open campaigns whose deadline is within `before` of now, not yet reminded."""
    query = select(HelpCampaign).where(
        col(HelpCampaign.deadline).is_not(None), col(HelpCampaign.reminded_at).is_(None),
        col(HelpCampaign.closed_at).is_(None), col(HelpCampaign.deadline) <= before,
        col(HelpCampaign.deadline) > now,
    )
    return list((await session.exec(query)).all())


async def due_to_close(session: AsyncSession, now: datetime) -> list[HelpCampaign]:
    query = select(HelpCampaign).where(
        col(HelpCampaign.deadline).is_not(None), col(HelpCampaign.closed_at).is_(None),
        col(HelpCampaign.deadline) <= now,
    )
    return list((await session.exec(query)).all())


async def claim_reminded(session: AsyncSession, campaign_id: int, now: datetime) -> bool:
    result = await session.exec(
        update(HelpCampaign).where(col(HelpCampaign.campaign_id) == campaign_id,
                                   col(HelpCampaign.reminded_at).is_(None)).values(reminded_at=now)
    )
    return bool(result.rowcount)


async def claim_closed(session: AsyncSession, campaign_id: int, now: datetime) -> bool:
    result = await session.exec(
        update(HelpCampaign).where(col(HelpCampaign.campaign_id) == campaign_id,
                                   col(HelpCampaign.closed_at).is_(None)).values(closed_at=now)
    )
    return bool(result.rowcount)


async def count_pledgers(session: AsyncSession, campaign_id: int) -> int:
    query = select(func.count(func.distinct(Pledge.user_id))).where(
        Pledge.campaign_id == campaign_id, col(Pledge.status).in_(LIVE_PLEDGE))
    return int((await session.exec(query)).one())


# --- attendance of gatherings ---------------------------------------------------------------------


async def said_yes(session: AsyncSession, campaign_id: int) -> list[int]:
    query = (select(CampaignAnswer.user_id).where(CampaignAnswer.campaign_id == campaign_id,
                                                   CampaignAnswer.answer == Answer.YES)
             .order_by(col(CampaignAnswer.answered_at), col(CampaignAnswer.id)))
    return list((await session.exec(query)).all())


async def came(session: AsyncSession, campaign_id: int) -> set[int]:
    query = select(Attendance.user_id).where(Attendance.campaign_id == campaign_id)
    return set((await session.exec(query)).all())


async def came_counts(session: AsyncSession, campaign_ids: list[int]) -> dict[int, int]:
    if not campaign_ids:
        return {}
    query = (select(col(Attendance.campaign_id), func.count()).where(col(Attendance.campaign_id).in_(campaign_ids))
             .group_by(col(Attendance.campaign_id)))
    return {campaign_id: n for campaign_id, n in (await session.exec(query)).all()}


async def attendance_of(session: AsyncSession, campaign_id: int, user_id: int) -> Attendance | None:
    query = select(Attendance).where(Attendance.campaign_id == campaign_id, Attendance.user_id == user_id)
    return (await session.exec(query)).first()


# --- supporters -------------------------------------------------------------------------------------


async def supporter_invitation(session: AsyncSession, token: str) -> SupporterInvitation | None:
    query = select(SupporterInvitation).where(SupporterInvitation.token == token)
    return (await session.exec(query)).first()


async def use_invitation(session: AsyncSession, invitation_id: int, user_id: int, now: datetime) -> bool:
    """open → accepted, once: a conditional UPDATE (a second tap finds it used)."""
    result = await session.exec(
        update(SupporterInvitation).where(col(SupporterInvitation.id) == invitation_id,
                                          col(SupporterInvitation.status) == "open")
        .values(status="accepted", used_by=user_id, used_at=now)
    )
    return bool(result.rowcount)


async def supporter(session: AsyncSession, center_id: int, user_id: int) -> Supporter | None:
    query = select(Supporter).where(Supporter.center_id == center_id, Supporter.user_id == user_id)
    return (await session.exec(query)).first()


async def supported_by(session: AsyncSession, user_id: int, limit: int) -> list[tuple[Supporter, Center]]:
    """The centers this person supports, the earliest first."""
    query = (select(Supporter, Center).join(Center, col(Center.id) == col(Supporter.center_id))
             .where(Supporter.user_id == user_id).order_by(col(Supporter.joined_at), col(Supporter.id)).limit(limit))
    return [(row, center) for row, center in (await session.exec(query)).all()]


async def supporters_of_center(session: AsyncSession, center_id: int, limit: int) -> list[tuple[Supporter, User]]:
    """A center's supporters with their people, the earliest first."""
    query = (select(Supporter, User).join(User, col(User.id) == col(Supporter.user_id))
             .where(Supporter.center_id == center_id).order_by(col(Supporter.joined_at), col(Supporter.id)).limit(limit))
    return [(row, person) for row, person in (await session.exec(query)).all()]


async def supporter_by_id(session: AsyncSession, supporter_id: int) -> Supporter | None:
    return await session.get(Supporter, supporter_id)


async def remove_supporter(session: AsyncSession, center_id: int, user_id: int) -> bool:
    """The link goes (a later invitation makes a new one); True if this call removed it."""
    result = await session.exec(
        delete(Supporter).where(col(Supporter.center_id) == center_id, col(Supporter.user_id) == user_id))
    return bool(result.rowcount)


async def supporter_ids(session: AsyncSession, center_id: int) -> set[int]:
    return set((await session.exec(select(Supporter.user_id).where(Supporter.center_id == center_id))).all())


async def supporter_count(session: AsyncSession, center_ids: list[int] | None = None) -> int:
    query = select(func.count()).select_from(Supporter)
    if center_ids is not None:
        query = query.where(col(Supporter.center_id).in_(center_ids))
    return int((await session.exec(query)).one())


async def supporter_count_of_org(session: AsyncSession, org_id: int | None) -> int:
    """Supporters of every center (None), or of the centers whose facilitator is in one organisation."""
    if org_id is None:
        return await supporter_count(session)
    from bot.db.models import Center, Facilitator  # noqa: PLC0415

    query = (select(func.count()).select_from(Supporter)
             .join(Center, col(Center.id) == col(Supporter.center_id))
             .join(Facilitator, col(Facilitator.user_id) == col(Center.facilitator_id))
             .where(Facilitator.org_id == org_id))
    return int((await session.exec(query)).one())
