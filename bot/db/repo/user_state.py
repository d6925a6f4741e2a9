"""Queries about one user's conversation states and user_data (bot/instances/state.py).

The rows are the ones bot/ptb/persistence.py has always written (same keys, same JSON), read
and written here for one user at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, null, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ConversationState, UserData, table_of

_states = table_of(ConversationState)
_user_data = table_of(UserData)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


async def states(session: AsyncSession, platform: str, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(name, key JSON): state JSON} for these (conversation name, key JSON) pairs."""
    wanted = list(wanted)
    if not wanted:
        return {}
    names = sorted({name for name, _ in wanted})
    keys = sorted({key for _, key in wanted})
    rows = await session.exec(
        select(_states.c.name, _states.c.key, _states.c.state)
        .where(_states.c.platform == platform, _states.c.name.in_(names), _states.c.key.in_(keys))
    )
    found = {(name, key): state for name, key, state in rows.all()}
    return {pair: found[pair] for pair in wanted if pair in found}


async def states_and_user_data(
    session: AsyncSession, platform: str, wanted: Iterable[tuple[str, str]], user_id: int | None,
) -> tuple[dict[tuple[str, str], str], str | None]:
    """`states` and `user_data` in one statement (one round trip for every update): the
    conversations' rows, and the user_data row marked by a NULL name."""
    wanted = list(wanted)
    parts = []
    if wanted:
        parts.append(
            select(_states.c.name, _states.c.key, _states.c.state).where(
                _states.c.platform == platform, _states.c.name.in_(sorted({n for n, _ in wanted})),
                _states.c.key.in_(sorted({k for _, k in wanted})),
            )
        )
    if user_id is not None:
        parts.append(
            select(null().label("name"), null().label("key"), _user_data.c.data)
            .where(_user_data.c.platform == platform, _user_data.c.user_id == user_id)
        )
    if not parts:
        return {}, None
    statement = union_all(*parts) if len(parts) > 1 else parts[0]
    found: dict[tuple[str, str], str] = {}
    data: str | None = None
    # On the session's connection (same transaction): session.exec takes no UNION. Its one
    # caller (bot/instances/state.py) reads in a session of its own: nothing to flush first.
    rows = await (await session.connection()).execute(statement)
    for name, key, value in rows.all():
        if name is None:
            data = value
        else:
            found[(name, key)] = value
    return {pair: found[pair] for pair in wanted if pair in found}, data


async def user_data(session: AsyncSession, platform: str, user_id: int) -> str | None:
    data: str | None = (await session.exec(
        select(_user_data.c.data).where(_user_data.c.platform == platform, _user_data.c.user_id == user_id)
    )).one_or_none()
    return data


async def save_state(session: AsyncSession, platform: str, name: str, key: str, state: str | None) -> None:
    """Write one conversation's state (None: the conversation ended); no commit."""
    if state is None:
        await session.exec(delete(_states).where(
            _states.c.platform == platform, _states.c.name == name, _states.c.key == key,
        ))
        return
    statement = _insert(session, _states).values(platform=platform, name=name, key=key, state=state)
    await session.exec(statement.on_conflict_do_update(
        index_elements=["platform", "name", "key"], set_={"state": statement.excluded.state},
    ))


async def save_user_data(session: AsyncSession, platform: str, user_id: int, data: str | None) -> None:
    """Write one user's user_data (None: empty, the row goes); no commit."""
    if data is None:
        await session.exec(delete(_user_data).where(
            _user_data.c.platform == platform, _user_data.c.user_id == user_id,
        ))
        return
    statement = _insert(session, _user_data).values(platform=platform, user_id=user_id, data=data)
    await session.exec(statement.on_conflict_do_update(
        index_elements=["platform", "user_id"], set_={"data": statement.excluded.data},
    ))
