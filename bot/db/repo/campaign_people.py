"""Who answered a campaign how: names for «👥 چه کسانی می‌آیند؟» (one page at a time)."""

from __future__ import annotations

from sqlalchemy import and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import Answer, DeliveryStatus, Purpose
from bot.db.models import CampaignAnswer, Delivery, User


async def answered(session: AsyncSession, campaign_id: int, answer: Answer, offset: int, limit: int) -> list[User]:
    """People who answered `answer`, in the order they answered."""
    query = (
        select(User).join(CampaignAnswer, col(CampaignAnswer.user_id) == col(User.id))
        .where(CampaignAnswer.campaign_id == campaign_id, CampaignAnswer.answer == answer.value)
        .order_by(col(CampaignAnswer.answered_at), col(CampaignAnswer.id)).offset(offset).limit(limit)
    )
    return list((await session.exec(query)).all())


async def not_answered(session: AsyncSession, campaign_id: int, offset: int, limit: int) -> list[User]:
    """People the call reached who have said neither yes nor no."""
    query = (
        select(User).join(Delivery, col(Delivery.user_id) == col(User.id))
        .outerjoin(CampaignAnswer, and_(col(CampaignAnswer.campaign_id) == campaign_id,
                                        col(CampaignAnswer.user_id) == col(User.id)))
        .where(Delivery.purpose == Purpose.CAMPAIGN_CALL.value, Delivery.ref_id == campaign_id,
               Delivery.status == DeliveryStatus.SENT.value,
               or_(col(CampaignAnswer.answer).is_(None),
                   col(CampaignAnswer.answer).not_in([Answer.YES.value, Answer.NO.value])))
        .order_by(col(Delivery.id)).offset(offset).limit(limit)
    )
    return list((await session.exec(query)).all())
