"""Queries about memberships. Feature work adds its own functions here."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Row, and_, case, exists, text, update
from sqlalchemy.orm import aliased
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, MembershipStatus
from bot.db.members_file_query import active_member_rows_sql
from bot.db.models import Center, Delivery, Membership, User
from bot.db.repo import select_many
from bot.db.repo.due import pending_membership

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


# What the members file shows of each member: full_name, first_name, last_name, mobile,
# platform, decided_at, requested_at.
# Plain rows, the dates as the driver gives them (SQLite's text, PostgreSQL's datetime): the
# file's maker reads them in its worker thread or process (bot/exports/members_sheet.py).
MemberRow = Row[str | None, str, str | None, str | None, str, datetime | str | None, datetime | str]


async def active_member_rows(session: AsyncSession, center_id: int, batch: int) -> AsyncIterator[Sequence[MemberRow]]:
    """A center's members in the order they joined, as plain rows (no objects), `batch` at a
    time from an open cursor: a big center's file costs memory for its text only. The SQL is
    shared with the export worker, which runs it on the bare driver (bot/db/members_file_query.py)."""
    query = text(active_member_rows_sql(":center_id", ":status"))
    result = await session.stream(query, {"center_id": center_id, "status": MembershipStatus.ACTIVE.value})
    async for rows in result.partitions(batch):
        yield cast(Sequence[MemberRow], rows)


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


@dataclass(frozen=True)
class WaitingAt:
    """One active center with requests waiting since before the reminder cut-off."""

    center: Center
    assistant: User | None
    leader: User
    overdue: int  # requests waiting since before remind_before
    last_reminded: datetime | None  # the assistant's latest reminder about any of them
    unalerted: int  # of those, waiting since before alert_before, the leader not yet told


async def waiting(
    session: AsyncSession, remind_before: datetime, alert_before: datetime, not_since: datetime,
) -> list[WaitingAt]:
    """The centers with something to say about waiting requests, in one grouped query: those
    whose assistant was not reminded since `not_since`, or whose leader has not heard of some
    request older than `alert_before` (≤ remind_before). Reads the pending requests only
    (ix_memberships_pending), then each such center and its staff by key."""
    assert alert_before <= remind_before
    to_alert = case((and_(col(Membership.requested_at) <= alert_before, col(Membership.leader_alerted_at).is_(None)), 1),
                    else_=0)
    last_reminded = func.max(Membership.last_reminded_at)
    grouped = (
        select(
            col(Membership.center_id).label("center_id"), func.count().label("overdue"),
            last_reminded.label("last_reminded"), func.sum(to_alert).label("unalerted"),
        )
        .where(pending_membership(), col(Membership.requested_at) <= remind_before)
        .group_by(col(Membership.center_id))
        .having(or_(last_reminded.is_(None), last_reminded <= not_since, func.sum(to_alert) > 0))
        .subquery("waiting")
    )
    assistant, leader = aliased(User, name="assistant"), aliased(User, name="leader")
    query = (
        select_many(Center, assistant, leader, grouped.c.overdue, grouped.c.last_reminded, grouped.c.unalerted)
        .select_from(grouped)
        .join(Center, col(Center.id) == grouped.c.center_id)
        .outerjoin(assistant, col(assistant.id) == col(Center.assistant_id))
        .join(leader, col(leader.id) == col(Center.leader_id))
        .where(Center.status == CenterStatus.ACTIVE)
        .order_by(col(Center.id))
    )
    return [WaitingAt(*row) for row in (await session.exec(query)).all()]


async def claim_reminded(
    session: AsyncSession, center_id: int, remind_before: datetime, when: datetime, not_since: datetime,
) -> int:
    """Mark a center's requests waiting since before `remind_before` as reminded now, unless a
    reminder about them went out after `not_since` (then another run sent it)."""
    statement = (
        update(Membership)
        .where(
            col(Membership.center_id) == center_id, pending_membership(),
            col(Membership.requested_at) <= remind_before,
            or_(col(Membership.last_reminded_at).is_(None), col(Membership.last_reminded_at) <= not_since),
        )
        .values(last_reminded_at=when)
        .execution_options(synchronize_session=False)
    )
    return (await session.exec(statement)).rowcount


async def claim_leader_alerted(session: AsyncSession, center_id: int, alert_before: datetime, when: datetime) -> int:
    """Mark a center's requests waiting since before `alert_before` as told to the leader; how many."""
    statement = (
        update(Membership)
        .where(
            col(Membership.center_id) == center_id, pending_membership(),
            col(Membership.requested_at) <= alert_before, col(Membership.leader_alerted_at).is_(None),
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
