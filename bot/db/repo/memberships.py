"""Queries about memberships. Feature work adds its own functions here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Center, Delivery, Membership, User


async def active_for(session: AsyncSession, user_id: int) -> Membership | None:
    query = select(Membership).where(Membership.user_id == user_id, Membership.status == "active")
    return (await session.exec(query)).first()


async def count(session: AsyncSession, center_id: int, status: str) -> int:
    query = select(func.count()).select_from(Membership).where(
        Membership.center_id == center_id, Membership.status == status
    )
    return (await session.exec(query)).one()


async def current_for(session: AsyncSession, user_id: int) -> Membership | None:
    """The active membership, else a pending request, else None."""
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.status.in_(("active", "pending")))  # type: ignore[attr-defined]
        .order_by(Membership.status)  # 'active' sorts before 'pending'
    )
    return (await session.exec(query)).first()


# --- joining: requests, decisions, members (feature: joining) ---------------------------


async def by_id(session: AsyncSession, membership_id: int) -> Membership | None:
    # Fresh from the database: a conditional UPDATE elsewhere may have changed it.
    return await session.get(Membership, membership_id, populate_existing=True)


async def latest(session: AsyncSession, user_id: int, center_id: int, status: str) -> Membership | None:
    query = (
        select(Membership)
        .where(Membership.user_id == user_id, Membership.center_id == center_id, Membership.status == status)
        .order_by(Membership.id.desc())  # type: ignore[union-attr]
    )
    return (await session.exec(query)).first()


async def pending_for_center(
    session: AsyncSession, center_id: int, up_to: datetime | None = None, limit: int | None = None,
) -> list[Membership]:
    """A center's pending requests, oldest first; `up_to` keeps those made at or before it."""
    query = select(Membership).where(Membership.center_id == center_id, Membership.status == "pending")
    if up_to is not None:
        query = query.where(Membership.requested_at <= up_to)
    query = query.order_by(Membership.requested_at, Membership.id)
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


async def active_with_users(
    session: AsyncSession, center_id: int, offset: int = 0, limit: int | None = None,
) -> list[tuple[Membership, User]]:
    """A center's members with their user rows, in the order they joined."""
    query = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)  # type: ignore[arg-type]
        .where(Membership.center_id == center_id, Membership.status == "active")
        .order_by(Membership.decided_at, Membership.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(m, u) for m, u in (await session.exec(query)).all()]


async def decide_if_pending(
    session: AsyncSession, membership_id: int, assistant_id: int, status: str, when: datetime,
    reason: str | None = None, note: str | None = None,
) -> bool:
    """pending → `status`, only if still pending and `assistant_id` is the active center's assistant.

    One conditional UPDATE: of two simultaneous decisions exactly one changes the row.
    """
    center_ok = exists(
        select(Center.id).where(
            Center.id == Membership.center_id, Center.assistant_id == assistant_id, Center.status == "active",
        )
    )
    statement = (
        update(Membership)
        .where(Membership.id == membership_id, Membership.status == "pending", center_ok)
        .values(status=status, decided_at=when, decided_by=assistant_id, reject_reason=reason, reject_note=note)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)  # type: ignore[call-overload]
    return result.rowcount == 1


async def end_if(session: AsyncSession, membership_id: int, from_status: str, to_status: str, when: datetime,
                 by: int | None = None) -> bool:
    """from_status → to_status (withdrawn, left, removed), only if the row is still in from_status."""
    values: dict = {"status": to_status, "ended_at": when}
    if by is not None:
        values["decided_by"] = by
    statement = (
        update(Membership)
        .where(Membership.id == membership_id, Membership.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = await session.exec(statement)  # type: ignore[call-overload]
    return result.rowcount == 1


async def pending_in_active_centers(session: AsyncSession, requested_before: datetime) -> list[Membership]:
    query = (
        select(Membership)
        .join(Center, Center.id == Membership.center_id)  # type: ignore[arg-type]
        .where(Membership.status == "pending", Membership.requested_at <= requested_before, Center.status == "active")
        .order_by(Membership.center_id, Membership.requested_at, Membership.id)
    )
    return list((await session.exec(query)).all())


async def claim_reminded(session: AsyncSession, ids: list[int], when: datetime, not_since: datetime) -> int:
    """Mark requests as reminded now, unless a reminder about them went out after `not_since`."""
    statement = (
        update(Membership)
        .where(
            Membership.id.in_(ids),  # type: ignore[union-attr]
            Membership.status == "pending",
            or_(Membership.last_reminded_at.is_(None), Membership.last_reminded_at <= not_since),  # type: ignore[union-attr]
        )
        .values(last_reminded_at=when)
        .execution_options(synchronize_session=False)
    )
    return (await session.exec(statement)).rowcount  # type: ignore[call-overload]


async def claim_leader_alerted(session: AsyncSession, ids: list[int], when: datetime) -> int:
    statement = (
        update(Membership)
        .where(
            Membership.id.in_(ids),  # type: ignore[union-attr]
            Membership.status == "pending",
            Membership.leader_alerted_at.is_(None),  # type: ignore[union-attr]
        )
        .values(leader_alerted_at=when)
        .execution_options(synchronize_session=False)
    )
    return (await session.exec(statement)).rowcount  # type: ignore[call-overload]


async def delivery_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    query = select(Delivery.status).where(
        Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.user_id == user_id
    )
    return (await session.exec(query)).first()
