"""Queries about memberships. Feature work adds its own functions here."""

from __future__ import annotations

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Membership


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
