"""Queries about centers. Feature work adds its own functions here."""

from __future__ import annotations

from sqlalchemy import case
from sqlmodel import func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Center

# A center still counts for its leader and assistant until it is cancelled.
LIVE_STATUSES = ("awaiting_assistant", "active", "suspended")


async def by_id(session: AsyncSession, center_id: int) -> Center | None:
    return await session.get(Center, center_id)


async def by_code(session: AsyncSession, code: int) -> Center | None:
    return (await session.exec(select(Center).where(Center.code == code))).first()


async def led_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.leader_id == user_id, Center.status.in_(LIVE_STATUSES))  # type: ignore[attr-defined]
    return (await session.exec(query)).first()


async def assisted_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.assistant_id == user_id, Center.status.in_(LIVE_STATUSES))  # type: ignore[attr-defined]
    return (await session.exec(query)).first()


async def run_by(session: AsyncSession, user_id: int) -> Center | None:
    """The center this person leads or assists, if any."""
    query = select(Center).where(
        or_(Center.leader_id == user_id, Center.assistant_id == user_id),
        Center.status.in_(LIVE_STATUSES),  # type: ignore[attr-defined]
    )
    return (await session.exec(query)).first()


# --- joining: finding a center by name (feature: joining) ------------------------------


def _name_matches(key: str):  # noqa: ANN202
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return Center.name_key.like(pattern, escape="\\")  # type: ignore[attr-defined]


async def search_by_name_key(session: AsyncSession, key: str, offset: int, limit: int) -> list[Center]:
    """Live centers whose folded name contains `key`: active ones first, then by name."""
    query = (
        select(Center)
        .where(_name_matches(key), Center.status.in_(LIVE_STATUSES))  # type: ignore[attr-defined]
        .order_by(case((Center.status == "active", 0), else_=1), Center.name, Center.id)
        .offset(offset)
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def count_by_name_key(session: AsyncSession, key: str) -> int:
    query = select(func.count()).select_from(Center).where(
        _name_matches(key), Center.status.in_(LIVE_STATUSES)  # type: ignore[attr-defined]
    )
    return (await session.exec(query)).one()
