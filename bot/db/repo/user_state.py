"""Queries about one user's conversation states and user_data (bot/instances/state.py).

The rows are the ones bot/ptb/persistence.py has always written (same keys, same JSON), read
and written here: read for every claimed user at once, written for one user at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BigInteger, cast, delete, null, select as core_select, tuple_, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ConversationState, UserData, table_of

_states = table_of(ConversationState)
_user_data = table_of(UserData)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


StateRows = dict[tuple[str, str, str], str]  # (platform, conversation name, key JSON) → state JSON
UserDataRows = dict[tuple[str, int], str]  # (platform, user id) → user_data JSON


async def states_of_users(
    session: AsyncSession, names: Iterable[str], keys: Iterable[tuple[str, str]], users: Iterable[tuple[str, int]],
) -> tuple[StateRows, UserDataRows]:
    """The conversation states (of these conversations, under these (platform, key JSON)) and
    the user_data of these (platform, user id), for several users in one statement: the inbox
    reads every claimed user's rows at once. Rows are matched in Python, so an id known on
    both platforms costs at most an extra row."""
    names_in, keys_in, users_in = sorted(set(names)), set(keys), set(users)
    platforms = sorted({p for p, _ in keys_in} | {p for p, _ in users_in})
    parts = []
    if names_in and keys_in:
        parts.append(
            core_select(_states.c.platform, _states.c.name, _states.c.key, cast(null(), BigInteger).label("user_id"),
                        _states.c.state)
            .where(_states.c.platform.in_(platforms), _states.c.name.in_(names_in),
                   _states.c.key.in_(sorted({k for _, k in keys_in})))
        )
    if users_in:
        parts.append(
            core_select(_user_data.c.platform, null().label("name"), null().label("key"), _user_data.c.user_id,
                        _user_data.c.data)
            .where(_user_data.c.platform.in_(platforms), _user_data.c.user_id.in_(sorted({u for _, u in users_in})))
        )
    states: StateRows = {}
    user_data: UserDataRows = {}
    if not parts:
        return states, user_data
    statement = union_all(*parts) if len(parts) > 1 else parts[0]
    # On the session's connection (same transaction): session.exec takes no UNION.
    rows = await (await session.connection()).execute(statement)
    for platform, name, key, user_id, value in rows.all():
        if name is None:
            if (platform, user_id) in users_in:
                user_data[(platform, user_id)] = value
        elif (platform, key) in keys_in:
            states[(platform, name, key)] = value
    return states, user_data


async def user_data(session: AsyncSession, platform: str, user_id: int) -> str | None:
    data: str | None = (await session.exec(
        select(_user_data.c.data).where(_user_data.c.platform == platform, _user_data.c.user_id == user_id)
    )).one_or_none()
    return data


async def save_states(session: AsyncSession, rows: Sequence[tuple[str, str, str, str | None]]) -> None:
    """Write conversations' states, (platform, name, key JSON, state JSON or None: the
    conversation ended), of any number of users in at most two statements; no commit."""
    latest = {(platform, name, key): state for platform, name, key, state in rows}  # one row per key
    ended = [pk for pk, state in latest.items() if state is None]
    if ended:
        await session.exec(delete(_states).where(tuple_(_states.c.platform, _states.c.name, _states.c.key).in_(ended)))
    kept = [{"platform": p, "name": n, "key": k, "state": s} for (p, n, k), s in latest.items() if s is not None]
    if kept:
        statement = _insert(session, _states).values(kept)
        await session.exec(statement.on_conflict_do_update(
            index_elements=["platform", "name", "key"], set_={"state": statement.excluded.state},
        ))


async def save_user_data(session: AsyncSession, rows: Sequence[tuple[str, int, str | None]]) -> None:
    """Write users' user_data, (platform, user id, JSON or None: empty, the row goes), in at most
    two statements; no commit."""
    latest = {(platform, user_id): data for platform, user_id, data in rows}
    emptied = [pk for pk, data in latest.items() if data is None]
    if emptied:
        await session.exec(delete(_user_data).where(tuple_(_user_data.c.platform, _user_data.c.user_id).in_(emptied)))
    kept = [{"platform": p, "user_id": u, "data": d} for (p, u), d in latest.items() if d is not None]
    if kept:
        statement = _insert(session, _user_data).values(kept)
        await session.exec(statement.on_conflict_do_update(
            index_elements=["platform", "user_id"], set_={"data": statement.excluded.data},
        ))
