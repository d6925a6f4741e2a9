"""Queries about facilitators (رهیار): their invitations, their centers and how those fare,
questions asked of them, their messages, the weekly digest's changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, update
from sqlalchemy.orm import Mapped
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import (
    CampaignKind, CenterStatus, DeliveryStatus, InvitationStatus, MembershipStatus, Purpose, QuestionStatus,
)
from bot.db.models import (
    Campaign, CampaignAnswer, Center, Delivery, Facilitator, FacilitatorInvitation, FacilitatorMessage, Membership,
    Question, User,
)

LIVE = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE, CenterStatus.SUSPENDED)


# --- facilitators -------------------------------------------------------------------------------


async def of_user(session: AsyncSession, user_id: int) -> Facilitator | None:
    return (await session.exec(select(Facilitator).where(col(Facilitator.user_id) == user_id))).first()


async def by_user_ids(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Facilitator]:
    if not user_ids:
        return {}
    rows = await session.exec(select(Facilitator).where(col(Facilitator.user_id).in_(list(user_ids))))
    return {row.user_id: row for row in rows}


async def person_serving(session: AsyncSession, platform: str, platform_user_id: int) -> tuple[User, bool] | None:
    """A person's row and whether they facilitate a live center, in one statement: every update
    asks both (who is writing; the main menu's «🧭 رهیاری»)."""
    return (await people_serving(session, platform, [platform_user_id])).get(platform_user_id)


async def people_serving(session: AsyncSession, platform: str, platform_user_ids: Sequence[int]) -> dict[int, tuple[User, bool]]:
    """person_serving for several people of one platform in one statement (the inbox reads
    ahead for a batch of claimed updates), by platform user id; those with no row are absent."""
    serves = exists().where(col(Center.facilitator_id) == col(User.id), col(Center.status).in_(LIVE))
    rows = await session.exec(
        select(User, serves).where(col(User.platform) == platform, col(User.platform_user_id).in_(platform_user_ids))
    )
    return {user.platform_user_id: (user, bool(facilitates)) for user, facilitates in rows.all()}


async def serves_any(session: AsyncSession, user_id: int) -> bool:
    query = select(exists().where(col(Center.facilitator_id) == user_id, col(Center.status).in_(LIVE)))
    return bool((await session.exec(query)).one())


async def centers_of(session: AsyncSession, user_id: int) -> list[Center]:
    query = select(Center).where(col(Center.facilitator_id) == user_id, col(Center.status).in_(LIVE))
    return list((await session.exec(query.order_by(col(Center.name), col(Center.id)))).all())


async def facilitator_ids_with_centers(session: AsyncSession) -> list[int]:
    query = (
        select(col(Center.facilitator_id))
        .where(col(Center.facilitator_id).is_not(None), col(Center.status).in_(LIVE))
        .distinct()
    )
    return sorted(i for i in (await session.exec(query)).all() if i is not None)


async def set_facilitator(session: AsyncSession, center_ids: Sequence[int], user_id: int | None) -> int:
    """centers.facilitator_id = user_id for these live centers (no commit); how many changed."""
    if not center_ids:
        return 0
    result = await session.exec(
        update(Center)
        .where(col(Center.id).in_(list(center_ids)), col(Center.status).in_(LIVE))
        .values(facilitator_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def remove_if(session: AsyncSession, center_id: int, user_id: int) -> bool:
    """Take this facilitator off the center, only if they still serve it (no commit)."""
    result = await session.exec(
        update(Center)
        .where(col(Center.id) == center_id, col(Center.facilitator_id) == user_id)
        .values(facilitator_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- invitations --------------------------------------------------------------------------------


async def invitation_by_token(session: AsyncSession, token: str) -> FacilitatorInvitation | None:
    query = select(FacilitatorInvitation).where(col(FacilitatorInvitation.token) == token)
    return (await session.exec(query)).first()


async def invitation_by_key(session: AsyncSession, request_key: str) -> FacilitatorInvitation | None:
    query = select(FacilitatorInvitation).where(col(FacilitatorInvitation.request_key) == request_key)
    return (await session.exec(query)).first()


async def invitation_by_id(session: AsyncSession, invitation_id: int) -> FacilitatorInvitation | None:
    return await session.get(FacilitatorInvitation, invitation_id)


async def close_invitation_if_open(session: AsyncSession, invitation_id: int, **values: object) -> bool:
    """open → values["status"], once (no commit): of two taps on the link, one wins."""
    result = await session.exec(
        update(FacilitatorInvitation)
        .where(col(FacilitatorInvitation.id) == invitation_id,
               col(FacilitatorInvitation.status) == InvitationStatus.OPEN)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- how a facilitator's centers fare -------------------------------------------------------------


async def oldest_pending_by_center(session: AsyncSession, center_ids: Sequence[int]) -> dict[int, datetime]:
    if not center_ids:
        return {}
    query = (
        select(col(Membership.center_id), func.min(col(Membership.requested_at)))
        .where(col(Membership.center_id).in_(list(center_ids)), col(Membership.status) == MembershipStatus.PENDING)
        .group_by(col(Membership.center_id))
    )
    return {center_id: oldest for center_id, oldest in (await session.exec(query)).all()}


async def last_campaign_by_center(session: AsyncSession, center_ids: Sequence[int]) -> dict[int, datetime]:
    if not center_ids:
        return {}
    query = (
        select(col(Campaign.center_id), func.max(col(Campaign.created_at)))
        .where(col(Campaign.center_id).in_(list(center_ids)), col(Campaign.kind) == CampaignKind.CAMPAIGN)
        .group_by(col(Campaign.center_id))
    )
    return {center_id: last for center_id, last in (await session.exec(query)).all()}


@dataclass(frozen=True)
class Reach:
    """Campaign calls delivered and answers given, for one center in one time window."""

    delivered: int = 0
    answered: int = 0


async def answers_by_center(
    session: AsyncSession, center_ids: Sequence[int], since: datetime, until: datetime,
) -> dict[int, Reach]:
    """For campaigns made in [since, until): calls delivered and answered, per center."""
    if not center_ids:
        return {}
    window = and_(
        col(Campaign.center_id).in_(list(center_ids)), col(Campaign.kind) == CampaignKind.CAMPAIGN,
        col(Campaign.created_at) >= since, col(Campaign.created_at) < until,
    )
    delivered = dict((await session.exec(
        select(col(Campaign.center_id), func.count())
        .join(Delivery, and_(col(Delivery.ref_id) == col(Campaign.id), col(Delivery.purpose) == Purpose.CAMPAIGN_CALL))
        .where(window, col(Delivery.status) == DeliveryStatus.SENT)
        .group_by(col(Campaign.center_id))
    )).all())
    answered = dict((await session.exec(
        select(col(Campaign.center_id), func.count())
        .join(CampaignAnswer, col(CampaignAnswer.campaign_id) == col(Campaign.id))
        .where(window, col(CampaignAnswer.answer).is_not(None))
        .group_by(col(Campaign.center_id))
    )).all())
    return {cid: Reach(delivered.get(cid, 0), answered.get(cid, 0)) for cid in set(delivered) | set(answered)}


@dataclass(frozen=True)
class Changes:
    """What happened in one center during a week."""

    joined: int = 0
    left: int = 0
    requests: int = 0
    campaigns: int = 0

    @property
    def any(self) -> bool:
        return bool(self.joined or self.left or self.requests or self.campaigns)


async def changes_by_center(
    session: AsyncSession, center_ids: Sequence[int], since: datetime, until: datetime,
) -> dict[int, Changes]:
    if not center_ids:
        return {}
    ids = list(center_ids)

    def between(column: Mapped[datetime | None]) -> ColumnElement[bool]:
        return and_(column >= since, column < until)

    rows = (await session.exec(
        select(
            col(Membership.center_id),
            func.sum(case((and_(
                col(Membership.status).in_((MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.REMOVED)),
                between(col(Membership.decided_at))), 1), else_=0)),
            func.sum(case((and_(
                col(Membership.status).in_((MembershipStatus.LEFT, MembershipStatus.REMOVED)),
                between(col(Membership.ended_at))), 1), else_=0)),
            func.sum(case((between(col(Membership.requested_at)), 1), else_=0)),
        )
        .where(col(Membership.center_id).in_(ids))
        .group_by(col(Membership.center_id))
    )).all()
    campaigns = dict((await session.exec(
        select(col(Campaign.center_id), func.count())
        .where(col(Campaign.center_id).in_(ids), between(col(Campaign.created_at)))
        .group_by(col(Campaign.center_id))
    )).all())
    found = {cid: Changes(int(j or 0), int(lf or 0), int(r or 0), campaigns.get(cid, 0)) for cid, j, lf, r in rows}
    for cid, n in campaigns.items():
        found.setdefault(cid, Changes(campaigns=n))
    return found


# --- questions ----------------------------------------------------------------------------------


async def question(session: AsyncSession, question_id: int) -> Question | None:
    return await session.get(Question, question_id, populate_existing=True)


async def question_by_key(session: AsyncSession, request_key: str) -> Question | None:
    return (await session.exec(select(Question).where(col(Question.request_key) == request_key))).first()


async def open_questions(session: AsyncSession, facilitator_id: int, limit: int) -> list[Question]:
    query = (
        select(Question)
        .where(col(Question.facilitator_id) == facilitator_id, col(Question.status) == QuestionStatus.OPEN)
        .order_by(col(Question.asked_at), col(Question.id)).limit(limit)
    )
    return list((await session.exec(query)).all())


async def count_open(session: AsyncSession, facilitator_id: int) -> int:
    query = select(func.count()).select_from(Question).where(
        col(Question.facilitator_id) == facilitator_id, col(Question.status) == QuestionStatus.OPEN,
    )
    return (await session.exec(query)).one()


async def answer_if_open(session: AsyncSession, question_id: int, facilitator_id: int, answer: str,
                         when: datetime) -> bool:
    """open → answered, once, by the facilitator it was asked of (no commit)."""
    result = await session.exec(
        update(Question)
        .where(col(Question.id) == question_id, col(Question.facilitator_id) == facilitator_id,
               col(Question.status) == QuestionStatus.OPEN)
        .values(status=QuestionStatus.ANSWERED, answer=answer, answered_at=when)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def unanswered_since(session: AsyncSession, asked_before: datetime) -> list[Question]:
    """Open questions asked before `asked_before` whose facilitator has not been reminded yet."""
    query = (
        select(Question)
        .where(col(Question.status) == QuestionStatus.OPEN, col(Question.asked_at) <= asked_before,
               col(Question.reminded_at).is_(None))
        .order_by(col(Question.asked_at), col(Question.id))
    )
    return list((await session.exec(query)).all())


async def mark_reminded(session: AsyncSession, question_id: int, when: datetime) -> bool:
    result = await session.exec(
        update(Question)
        .where(col(Question.id) == question_id, col(Question.reminded_at).is_(None))
        .values(reminded_at=when)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- messages -----------------------------------------------------------------------------------


async def message(session: AsyncSession, message_id: int) -> FacilitatorMessage | None:
    return await session.get(FacilitatorMessage, message_id)


async def message_by_key(session: AsyncSession, request_key: str) -> FacilitatorMessage | None:
    query = select(FacilitatorMessage).where(col(FacilitatorMessage.request_key) == request_key)
    return (await session.exec(query)).first()


async def delivery_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    query = select(col(Delivery.status)).where(
        col(Delivery.purpose) == purpose, col(Delivery.ref_id) == ref_id, col(Delivery.user_id) == user_id,
    )
    return (await session.exec(query)).first()
