"""Queries about people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User


async def by_platform_id(session: AsyncSession, platform: str, platform_user_id: int) -> User | None:
    result = await session.exec(
        select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
    )
    return result.first()


async def by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def by_ids(session: AsyncSession, user_ids: list[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    rows = await session.exec(select(User).where(col(User.id).in_(user_ids)))
    return {user.id: user for user in rows if user.id is not None}


async def mark_blocked(session: AsyncSession, user_id: int, when: datetime) -> None:
    await session.exec(update(User).where(col(User.id) == user_id).values(blocked_at=when))


async def mark_blocked_by_platform_id(session: AsyncSession, platform: str, platform_user_id: int, when: datetime) -> bool:
    """The same, for a person known by their messenger id; False if we have no row for them."""
    statement = (
        update(User)
        .where(col(User.platform) == platform, col(User.platform_user_id) == platform_user_id)
        .values(blocked_at=when)
    )
    return (await session.exec(statement)).rowcount == 1
