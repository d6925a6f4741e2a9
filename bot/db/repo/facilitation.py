"""Queries about facilitators (رهیار): their invitations, their centers and how those fare,
questions asked of them, their messages, the weekly digest's changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import (
    CampaignKind, CenterStatus, DeliveryStatus, InvitationStatus, MembershipStatus, Purpose, QuestionStatus,
)
from bot.db.models import (
    Campaign, CampaignAnswer, Center, Delivery, Facilitator, FacilitatorInvitation, FacilitatorMessage, Membership,
    Question,
)

LIVE = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE, CenterStatus.SUSPENDED)


# --- facilitators -------------------------------------------------------------------------------


async def of_user(session: AsyncSession, user_id: int) -> Facilitator | None:
    return (await session.exec(select(Facilitator).where(Facilitator.user_id == user_id))).first()


async def by_user_ids(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, Facilitator]:
    if not user_ids:
        return {}
    rows = await session.exec(select(Facilitator).where(Facilitator.user_id.in_(list(user_ids))))  # type: ignore[attr-defined]
    return {row.user_id: row for row in rows}


async def serves_any(session: AsyncSession, user_id: int) -> bool:
    query = select(exists().where(Center.facilitator_id == user_id, Center.status.in_(LIVE)))  # type: ignore[attr-defined]
    return bool((await session.exec(query)).one())


async def centers_of(session: AsyncSession, user_id: int) -> list[Center]:
    query = select(Center).where(Center.facilitator_id == user_id, Center.status.in_(LIVE))  # type: ignore[attr-defined]
    return list((await session.exec(query.order_by(Center.name, Center.id))).all())


async def facilitator_ids_with_centers(session: AsyncSession) -> list[int]:
    query = (
        select(Center.facilitator_id)
        .where(Center.facilitator_id.is_not(None), Center.status.in_(LIVE))  # type: ignore[union-attr, attr-defined]
        .distinct()
    )
    return sorted(i for i in (await session.exec(query)).all() if i is not None)


async def set_facilitator(session: AsyncSession, center_ids: Sequence[int], user_id: int | None) -> int:
    """centers.facilitator_id = user_id for these live centers (no commit); how many changed."""
    if not center_ids:
        return 0
    result = await session.exec(
        update(Center)  # type: ignore[call-overload]
        .where(Center.id.in_(list(center_ids)), Center.status.in_(LIVE))  # type: ignore[union-attr, attr-defined]
        .values(facilitator_id=user_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def remove_if(session: AsyncSession, center_id: int, user_id: int) -> bool:
    """Take this facilitator off the center, only if they still serve it (no commit)."""
    result = await session.exec(
        update(Center)  # type: ignore[call-overload]
        .where(Center.id == center_id, Center.facilitator_id == user_id)
        .values(facilitator_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- invitations --------------------------------------------------------------------------------


async def invitation_by_token(session: AsyncSession, token: str) -> FacilitatorInvitation | None:
    query = select(FacilitatorInvitation).where(FacilitatorInvitation.token == token)
    return (await session.exec(query)).first()


async def invitation_by_key(session: AsyncSession, request_key: str) -> FacilitatorInvitation | None:
    query = select(FacilitatorInvitation).where(FacilitatorInvitation.request_key == request_key)
    return (await session.exec(query)).first()


async def invitation_by_id(session: AsyncSession, invitation_id: int) -> FacilitatorInvitation | None:
    return await session.get(FacilitatorInvitation, invitation_id)


async def close_invitation_if_open(session: AsyncSession, invitation_id: int, **values: object) -> bool:
    """open → values["status"], once (no commit): of two taps on the link, one wins."""
    result = await session.exec(
        update(FacilitatorInvitation)  # type: ignore[call-overload]
        .where(FacilitatorInvitation.id == invitation_id, FacilitatorInvitation.status == InvitationStatus.OPEN)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- how a facilitator's centers fare -------------------------------------------------------------


async def oldest_pending_by_center(session: AsyncSession, center_ids: Sequence[int]) -> dict[int, datetime]:
    if not center_ids:
        return {}
    query = (
        select(Membership.center_id, func.min(Membership.requested_at))
        .where(Membership.center_id.in_(list(center_ids)), Membership.status == MembershipStatus.PENDING)  # type: ignore[attr-defined]
        .group_by(Membership.center_id)
    )
    return {center_id: oldest for center_id, oldest in (await session.exec(query)).all()}


async def last_campaign_by_center(session: AsyncSession, center_ids: Sequence[int]) -> dict[int, datetime]:
    if not center_ids:
        return {}
    query = (
        select(Campaign.center_id, func.max(Campaign.created_at))
        .where(Campaign.center_id.in_(list(center_ids)), Campaign.kind == CampaignKind.CAMPAIGN)  # type: ignore[attr-defined]
        .group_by(Campaign.center_id)
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
        Campaign.center_id.in_(list(center_ids)), Campaign.kind == CampaignKind.CAMPAIGN,  # type: ignore[attr-defined]
        Campaign.created_at >= since, Campaign.created_at < until,  # type: ignore[operator]
    )
    delivered = dict((await session.exec(
        select(Campaign.center_id, func.count())
        .join(Delivery, and_(Delivery.ref_id == Campaign.id, Delivery.purpose == Purpose.CAMPAIGN_CALL))
        .where(window, Delivery.status == DeliveryStatus.SENT)
        .group_by(Campaign.center_id)
    )).all())
    answered = dict((await session.exec(
        select(Campaign.center_id, func.count())
        .join(CampaignAnswer, CampaignAnswer.campaign_id == Campaign.id)  # type: ignore[arg-type]
        .where(window, CampaignAnswer.answer.is_not(None))  # type: ignore[union-attr]
        .group_by(Campaign.center_id)
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

    def between(column):  # noqa: ANN001, ANN202
        return and_(column >= since, column < until)

    rows = (await session.exec(
        select(
            Membership.center_id,
            func.sum(case((and_(
                Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.REMOVED)),  # type: ignore[attr-defined]
                between(Membership.decided_at)), 1), else_=0)),
            func.sum(case((and_(
                Membership.status.in_((MembershipStatus.LEFT, MembershipStatus.REMOVED)),  # type: ignore[attr-defined]
                between(Membership.ended_at)), 1), else_=0)),
            func.sum(case((between(Membership.requested_at), 1), else_=0)),
        )
        .where(Membership.center_id.in_(ids))  # type: ignore[attr-defined]
        .group_by(Membership.center_id)
    )).all()
    campaigns = dict((await session.exec(
        select(Campaign.center_id, func.count())
        .where(Campaign.center_id.in_(ids), between(Campaign.created_at))  # type: ignore[attr-defined]
        .group_by(Campaign.center_id)
    )).all())
    found = {cid: Changes(int(j or 0), int(lf or 0), int(r or 0), campaigns.get(cid, 0)) for cid, j, lf, r in rows}
    for cid, n in campaigns.items():
        found.setdefault(cid, Changes(campaigns=n))
    return found


# --- questions ----------------------------------------------------------------------------------


async def question(session: AsyncSession, question_id: int) -> Question | None:
    return await session.get(Question, question_id, populate_existing=True)


async def question_by_key(session: AsyncSession, request_key: str) -> Question | None:
    return (await session.exec(select(Question).where(Question.request_key == request_key))).first()


async def open_questions(session: AsyncSession, facilitator_id: int, limit: int) -> list[Question]:
    query = (
        select(Question)
        .where(Question.facilitator_id == facilitator_id, Question.status == QuestionStatus.OPEN)
        .order_by(Question.asked_at, Question.id).limit(limit)
    )
    return list((await session.exec(query)).all())


async def count_open(session: AsyncSession, facilitator_id: int) -> int:
    query = select(func.count()).select_from(Question).where(
        Question.facilitator_id == facilitator_id, Question.status == QuestionStatus.OPEN,
    )
    return (await session.exec(query)).one()


async def answer_if_open(session: AsyncSession, question_id: int, facilitator_id: int, answer: str,
                         when: datetime) -> bool:
    """open → answered, once, by the facilitator it was asked of (no commit)."""
    result = await session.exec(
        update(Question)  # type: ignore[call-overload]
        .where(Question.id == question_id, Question.facilitator_id == facilitator_id,
               Question.status == QuestionStatus.OPEN)
        .values(status=QuestionStatus.ANSWERED, answer=answer, answered_at=when)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def unanswered_since(session: AsyncSession, asked_before: datetime) -> list[Question]:
    """Open questions asked before `asked_before` whose facilitator has not been reminded yet."""
    query = (
        select(Question)
        .where(Question.status == QuestionStatus.OPEN, Question.asked_at <= asked_before,
               Question.reminded_at.is_(None))  # type: ignore[union-attr]
        .order_by(Question.asked_at, Question.id)
    )
    return list((await session.exec(query)).all())


async def mark_reminded(session: AsyncSession, question_id: int, when: datetime) -> bool:
    result = await session.exec(
        update(Question)  # type: ignore[call-overload]
        .where(Question.id == question_id, Question.reminded_at.is_(None))  # type: ignore[union-attr]
        .values(reminded_at=when)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- messages -----------------------------------------------------------------------------------


async def message(session: AsyncSession, message_id: int) -> FacilitatorMessage | None:
    return await session.get(FacilitatorMessage, message_id)


async def message_by_key(session: AsyncSession, request_key: str) -> FacilitatorMessage | None:
    query = select(FacilitatorMessage).where(FacilitatorMessage.request_key == request_key)
    return (await session.exec(query)).first()


async def delivery_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    query = select(Delivery.status).where(
        Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.user_id == user_id,
    )
    return (await session.exec(query)).first()
