"""Queries about centers. Feature work adds its own functions here."""

from __future__ import annotations

from sqlalchemy import case, update
from sqlmodel import col, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus
from bot.db.models import Center

# A center still counts for its leader and assistant until it is cancelled.
LIVE_STATUSES = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE, CenterStatus.SUSPENDED)


async def by_id(session: AsyncSession, center_id: int) -> Center | None:
    return await session.get(Center, center_id)


async def by_code(session: AsyncSession, code: int) -> Center | None:
    return (await session.exec(select(Center).where(Center.code == code))).first()


async def by_request_key(session: AsyncSession, leader_id: int, request_key: str) -> Center | None:
    """The center a registration draft made (whatever its status now), if it made one."""
    query = select(Center).where(Center.request_key == request_key, Center.leader_id == leader_id)
    return (await session.exec(query)).first()


def _live():  # noqa: ANN202
    return col(Center.status).in_(LIVE_STATUSES)


async def led_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.leader_id == user_id, _live())
    return (await session.exec(query)).first()


async def assisted_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.assistant_id == user_id, _live())
    return (await session.exec(query)).first()


async def run_by(session: AsyncSession, user_id: int) -> Center | None:
    """The center this person leads or assists, if any."""
    query = select(Center).where(or_(Center.leader_id == user_id, Center.assistant_id == user_id), _live())
    return (await session.exec(query)).first()


# --- registration ------------------------------------------------------------------------


async def active_named(
    session: AsyncSession, name_key: str, area_key: str | None, exclude_id: int | None = None,
) -> Center | None:
    """An active center with this folded name in this folded area («no area» is an area too)."""
    area = col(Center.area_key)
    query = select(Center).where(
        Center.status == CenterStatus.ACTIVE, Center.name_key == name_key,
        area == area_key if area_key is not None else area.is_(None),
    )
    if exclude_id is not None:
        query = query.where(Center.id != exclude_id)
    return (await session.exec(query.order_by(col(Center.id)))).first()


async def update_if(session: AsyncSession, center_id: int, where: dict[str, object], **values: object) -> bool:
    """UPDATE centers SET values WHERE id = center_id AND each `where` column equals its value.

    True when the row was changed: the race-safe way to move a center between states.
    """
    statement = update(Center).where(col(Center.id) == center_id)
    for column, expected in where.items():
        attribute = col(getattr(Center, column))
        statement = statement.where(attribute.is_(None) if expected is None else attribute == expected)
    result = await session.exec(statement.values(**values))
    return result.rowcount == 1


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
