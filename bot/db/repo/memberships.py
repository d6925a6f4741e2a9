"""Queries about memberships. Feature work adds its own functions here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, MembershipStatus
from bot.db.models import Center, Delivery, Membership, User

# The statuses the partial unique index uq_memberships_current allows once per person.
CURRENT = (MembershipStatus.ACTIVE, MembershipStatus.PENDING)


async def active_for(session: AsyncSession, user_id: int) -> Membership | None:
    query = select(Membership).where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
    return (await session.exec(query)).first()


async def count(session: AsyncSession, center_id: int, status: MembershipStatus) -> int:
    query = select(func.count()).select_from(Membership).where(
        Membership.center_id == center_id, Membership.status == status
    )
    return (await session.exec(query)).one()


async def current_for(session: AsyncSession, user_id: int) -> Membership | None:
    """The active membership, else a pending request, else None."""
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, col(Membership.status).in_(CURRENT))
        .order_by(col(Membership.status))  # 'active' sorts before 'pending'
    )
    return (await session.exec(query)).first()


# --- joining: requests, decisions, members (feature: joining) ---------------------------


async def by_id(session: AsyncSession, membership_id: int) -> Membership | None:
    # Fresh from the database: a conditional UPDATE elsewhere may have changed it.
    return await session.get(Membership, membership_id, populate_existing=True)


async def latest(session: AsyncSession, user_id: int, center_id: int, status: MembershipStatus) -> Membership | None:
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.center_id == center_id, Membership.status == status)
        .order_by(col(Membership.id).desc())
    )
    return (await session.exec(query)).first()


async def pending_for_center(
    session: AsyncSession, center_id: int, up_to: datetime | None = None, limit: int | None = None,
) -> list[Membership]:
    """A center's pending requests, oldest first; `up_to` keeps those made at or before it."""
    query = select(Membership).where(Membership.center_id == center_id, Membership.status == MembershipStatus.PENDING)
    if up_to is not None:
        query = query.where(col(Membership.requested_at) <= up_to)
    query = query.order_by(col(Membership.requested_at), col(Membership.id))
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


async def active_with_users(
    session: AsyncSession, center_id: int, offset: int = 0, limit: int | None = None,
) -> list[tuple[Membership, User]]:
    """A center's members with their user rows, in the order they joined."""
    query = (
        select(Membership, User)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(Membership.center_id == center_id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(col(Membership.decided_at), col(Membership.id))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(m, u) for m, u in (await session.exec(query)).all()]


async def decide_if_pending(
    session: AsyncSession, membership_id: int, assistant_id: int, status: MembershipStatus, when: datetime,
    reason: str | None = None, note: str | None = None,
) -> bool:
    """pending → `status`, only if still pending and `assistant_id` is the active center's assistant.

    One conditional UPDATE: of two simultaneous decisions exactly one changes the row.
    """
    center_ok = exists(
        select(Center.id).where(
            Center.id == Membership.center_id, Center.assistant_id == assistant_id,
            Center.status == CenterStatus.ACTIVE,
        )
    )
    statement = (
        update(Membership)
        .where(col(Membership.id) == membership_id, col(Membership.status) == MembershipStatus.PENDING, center_ok)
        .values(status=status, decided_at=when, decided_by=assistant_id, reject_reason=reason, reject_note=note)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return result.rowcount == 1


async def end_if(session: AsyncSession, membership_id: int, from_status: MembershipStatus,
                 to_status: MembershipStatus, when: datetime, by: int | None = None) -> bool:
    """from_status → to_status (withdrawn, left, removed), only if the row is still in from_status."""
    values: dict[str, object] = {"status": to_status, "ended_at": when}
    if by is not None:
        values["decided_by"] = by
    statement = (
        update(Membership)
        .where(col(Membership.id) == membership_id, col(Membership.status) == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)
    return result.rowcount == 1


async def pending_in_active_centers(session: AsyncSession, requested_before: datetime) -> list[Membership]:
    query = (
        select(Membership)
        .join(Center, col(Center.id) == col(Membership.center_id))
        .where(
            Membership.status == MembershipStatus.PENDING, col(Membership.requested_at) <= requested_before,
            Center.status == CenterStatus.ACTIVE,
        )
        .order_by(col(Membership.center_id), col(Membership.requested_at), col(Membership.id))
    )
    return list((await session.exec(query)).all())


async def claim_reminded(session: AsyncSession, ids: list[int], when: datetime, not_since: datetime) -> int:
    """Mark requests as reminded now, unless a reminder about them went out after `not_since`."""
    statement = (
        update(Membership)
        .where(
            col(Membership.id).in_(ids),
            col(Membership.status) == MembershipStatus.PENDING,
            or_(col(Membership.last_reminded_at).is_(None), col(Membership.last_reminded_at) <= not_since),
        )
        .values(last_reminded_at=when)
        .execution_options(synchronize_session=False)
    )
    return (await session.exec(statement)).rowcount


async def claim_leader_alerted(session: AsyncSession, ids: list[int], when: datetime) -> int:
    statement = (
        update(Membership)
        .where(
            col(Membership.id).in_(ids),
            col(Membership.status) == MembershipStatus.PENDING,
            col(Membership.leader_alerted_at).is_(None),
        )
        .values(leader_alerted_at=when)
        .execution_options(synchronize_session=False)
    )
    return (await session.exec(statement)).rowcount


async def delivery_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    query = select(Delivery.status).where(
        Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.user_id == user_id
    )
    return (await session.exec(query)).first()
