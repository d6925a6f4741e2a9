"""Queries about centers. Feature work adds its own functions here."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, ColumnClause, ColumnElement, Integer, bindparam, case, column, literal_column, table, update
from sqlalchemy.orm import Mapped, aliased
from sqlmodel import col, func, or_, select, union
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, MembershipStatus
from bot.db.models import Center, Membership, User
from bot.db.repo import select_many

# A center still counts for its leader and assistant until it is cancelled.
LIVE_STATUSES = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE, CenterStatus.SUSPENDED)


async def by_id(session: AsyncSession, center_id: int) -> Center | None:
    return await session.get(Center, center_id)


async def by_code(session: AsyncSession, code: int) -> Center | None:
    return (await session.exec(select(Center).where(Center.code == code))).first()


class WithPeople(NamedTuple):
    center: Center
    leader: User | None
    assistant: User | None
    facilitator: User | None
    members: int  # active memberships


@cache
def _with_people_query(by_code: bool) -> Any:
    """with_people's statement, built once: three aliases of users and their joins cost about
    4 ms of CPU to build each time (SQLAlchemy adapts every column of the alias), far more
    than the read. The code or id is a bound parameter, «key»."""
    leader, assistant, facilitator = aliased(User), aliased(User), aliased(User)
    members = (
        select(func.count()).select_from(Membership)
        .where(col(Membership.center_id) == col(Center.id), col(Membership.status) == MembershipStatus.ACTIVE)
        .scalar_subquery()
    )
    key: BindParameter[int] = bindparam("key", type_=Integer)
    return (
        select_many(Center, leader, assistant, facilitator, members)
        .outerjoin(leader, col(leader.id) == col(Center.leader_id))
        .outerjoin(assistant, col(assistant.id) == col(Center.assistant_id))
        .outerjoin(facilitator, col(facilitator.id) == col(Center.facilitator_id))
        .where(col(Center.code) == key if by_code else col(Center.id) == key)
    )


async def with_people(session: AsyncSession, *, code: int | None = None, center_id: int | None = None) -> WithPeople | None:
    """The center with this code (or id), its leader, assistant and facilitator, and how many
    members it has: everything its card shows, in one statement (a join step's one read)."""
    query = _with_people_query(code is not None)
    row = (await session.exec(query, params={"key": code if code is not None else center_id})).first()
    return WithPeople(*row) if row is not None else None


async def by_request_key(session: AsyncSession, leader_id: int, request_key: str) -> Center | None:
    """The center a registration draft made (whatever its status now), if it made one."""
    query = select(Center).where(Center.request_key == request_key, Center.leader_id == leader_id)
    return (await session.exec(query)).first()


def _is_live() -> ColumnElement[bool]:
    """Live centers (the index on status may be used; see _live below for the name search)."""
    return col(Center.status).in_(LIVE_STATUSES)


async def led_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.leader_id == user_id, _is_live())
    return (await session.exec(query)).first()


async def assisted_by(session: AsyncSession, user_id: int) -> Center | None:
    query = select(Center).where(Center.assistant_id == user_id, _is_live())
    return (await session.exec(query)).first()


async def run_by(session: AsyncSession, user_id: int) -> Center | None:
    """The center this person leads or assists, if any."""
    query = select(Center).where(or_(Center.leader_id == user_id, Center.assistant_id == user_id), _is_live())
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


# --- joining: finding a center by name (docs/search.md) -----------------------------------

# The FTS5 table migration 0003 made on SQLite (rowid = centers.id); no model describes it.
_FTS = table("center_search", column("rowid"))
_FTS_QUERY: ColumnClause[str] = literal_column("center_search")
# The shortest key the trigram indexes look up inside names; shorter keys match by prefix only.
TRIGRAM = 3
# Names containing a key that are ranked at most (besides those equal to it): 200 pages of 5.
CONTAINING_CAP = 1000


def _live() -> ColumnElement[bool]:
    """Live centers, checked row by row: `status || ''` keeps the planner off ix_centers_status,
    which would otherwise walk every live center instead of the few the name index finds."""
    return col(Center.status).op("||")(literal_column("''")).in_(LIVE_STATUSES)


def _on_sqlite(session: AsyncSession) -> bool:
    assert session.bind is not None  # the engine's sessions are bound (bot/db/engine.py)
    return session.bind.dialect.name == "sqlite"


def _like_escaped(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _closest_first(key: str) -> tuple[ColumnElement[Any] | Mapped[Any], ...]:
    """Equal, then starting with the key, then containing it; active before not yet joinable;
    shorter (closer) names first; then by name."""
    search_key = col(Center.search_key)
    tier = case((search_key == key, 0), (func.substr(search_key, 1, len(key)) == key, 1), else_=2)
    return (tier, case((col(Center.status) == "active", 0), else_=1), func.length(search_key), col(Center.name),
            col(Center.id))


async def named_containing(session: AsyncSession, key: str, offset: int, limit: int) -> list[Center]:
    """Live centers whose search key contains `key` (starts with it, when shorter than a
    trigram), closest first; one indexed query.

    Names equal to the key are all looked at; the others at most CONTAINING_CAP, so that a
    fragment in half the country's names («آباد») costs no more than a rarer one.
    """
    holding: tuple[ColumnElement[bool], ...]
    if len(key) < TRIGRAM:
        if _on_sqlite(session):  # a range on the B-tree: the FTS5 trigram index cannot look it up
            after = key[:-1] + chr(ord(key[-1]) + 1)
            holding = col(Center.search_key) >= key, col(Center.search_key) < after
        else:
            holding = (col(Center.search_key).like(_like_escaped(key) + "%", escape="\\"),)
        some = select(Center.id).where(*holding, _live()).limit(CONTAINING_CAP).subquery()
    elif _on_sqlite(session):
        some = select(_FTS.c.rowid.label("id")).where(_FTS_QUERY.match(_fts_phrase(key))).limit(CONTAINING_CAP).subquery()
    else:
        holding = (col(Center.search_key).like("%" + _like_escaped(key) + "%", escape="\\"),)
        some = select(Center.id).where(*holding, _live()).limit(CONTAINING_CAP).subquery()
    equal = select(Center.id).where(Center.search_key == key)
    found = union(equal, select(some.c.id)).subquery()
    query = (
        select(Center).join(found, found.c.id == Center.id).where(_live())
        .order_by(*_closest_first(key)).offset(offset).limit(limit)
    )
    return list((await session.exec(query)).all())


class NearName(NamedTuple):
    """A light row for ranking names by distance (bot/services/search.py)."""

    id: int
    search_key: str
    status: str
    name: str


async def named_near(session: AsyncSession, key: str, pieces: list[str], per_piece: int) -> list[NearName]:
    """Candidates for a typo-tolerant match: live centers whose search key holds one of `pieces`
    (each three letters or more) but not `key` itself, at most `per_piece` for each piece, so
    the work stays bounded however common a piece is. Light rows (id, search_key, status,
    name): the caller ranks them and loads only the few it shows (by_ids)."""
    if not pieces:
        return []
    if _on_sqlite(session):
        found = [
            select(_FTS.c.rowid.label("id"))
            .where(_FTS_QUERY.match(_fts_phrase(piece) + " NOT " + _fts_phrase(key))).limit(per_piece).subquery()
            for piece in pieces
        ]
    else:
        outside = ~col(Center.search_key).like("%" + _like_escaped(key) + "%", escape="\\")
        found = [
            select(Center.id).where(col(Center.search_key).like("%" + _like_escaped(piece) + "%", escape="\\"), outside,
                                    _live())
            .limit(per_piece).subquery()
            for piece in pieces
        ]
    near = union(*(select(piece.c.id) for piece in found)).subquery()
    query = select(Center.id, Center.search_key, Center.status, Center.name).join(near, near.c.id == Center.id)
    return [NearName(*row) for row in (await session.exec(query.where(_live()))).all()]


async def by_ids(session: AsyncSession, ids: list[int]) -> list[Center]:
    """These centers, in this order."""
    if not ids:
        return []
    found = {c.id: c for c in (await session.exec(select(Center).where(col(Center.id).in_(ids)))).all()}
    return [found[i] for i in ids if i in found]
