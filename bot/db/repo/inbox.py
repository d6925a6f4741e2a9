"""Queries about the inbox of updates (bot/instances/inbox.py; docs/instances.md).

A row's life: pending → claimed (by one instance, with a lease) → done | failed; a claimed
row whose lease ran out, or whose instance is gone, is claimed again. Of one user's open rows
only the one with the lowest update_id can be claimed, so a user's updates are handled one at
a time and in order, whichever instance takes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, exists, func, null, or_, select, tuple_, union_all, update
from sqlmodel import select as select_typed
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import ConversationState, InboxUpdate, UserData, table_of

PENDING, CLAIMED, DONE, FAILED = "pending", "claimed", "done", "failed"
OPEN = (PENDING, CLAIMED)

_table = table_of(InboxUpdate)
_states = table_of(ConversationState)
_user_data = table_of(UserData)


@dataclass(frozen=True)
class Received:
    """An update to store: its id, the user whose order it keeps, its JSON."""

    update_id: int
    user_key: int | None
    payload: str


@dataclass(frozen=True)
class Claimed:
    id: int
    platform: str
    update_id: int
    user_key: int | None
    payload: str
    attempts: int  # with the instance's name, the claim's fencing token
    received_at: datetime


def _insert(session: AsyncSession) -> Any:
    return (postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert)(_table)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


async def store(
    session: AsyncSession, platform: str, updates: Sequence[Received], now: datetime,
    notify: tuple[str, str] | None = None,
) -> int:
    """Insert these updates as pending (no commit); one already there (a redelivery) is left
    alone. Returns how many were new. On PostgreSQL, `notify` (channel, payload) is sent in the
    same statement when some were new (at its commit: the listeners find the rows there)."""
    if not updates:
        return 0
    rows = [
        {"platform": platform, "update_id": u.update_id, "user_key": u.user_key, "payload": u.payload,
         "status": PENDING, "attempts": 0, "received_at": now}
        for u in updates
    ]
    statement = (
        _insert(session).values(rows)
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
        .returning(_table.c.id)
    )
    if notify is None or _dialect(session) != "postgresql":
        return len((await session.exec(statement)).all())
    stored = statement.cte("stored")
    new = select(func.count().label("new")).select_from(stored).subquery("new")
    # No row when nothing was new (and then no NOTIFY).
    woken = select(new.c.new, func.pg_notify(*notify)).where(new.c.new > 0)
    found = (await (await session.connection()).execute(woken)).first()
    return int(found[0]) if found is not None else 0


_CLAIMED_COLUMNS = (_table.c.id, _table.c.platform, _table.c.update_id, _table.c.user_key, _table.c.payload,
                    _table.c.attempts, _table.c.received_at)


def _claiming(instance: str, now: datetime, lease_until: datetime, limit: int, done: Any = None) -> Any:
    """The claim: an UPDATE … RETURNING of up to `limit` rows, each the first open row of its
    user. `done`: the ids (a CTE) the same statement marks done, counted as no longer open."""
    row, earlier = _table.alias("row"), _table.alias("earlier")
    claimable = or_(row.c.status == PENDING, row.c.lease_until < now)
    earlier_open = exists().where(
        earlier.c.platform == row.c.platform, earlier.c.user_key == row.c.user_key,
        earlier.c.update_id < row.c.update_id, earlier.c.status.in_(OPEN),
        *([earlier.c.id.not_in(select(done.c.id))] if done is not None else []),
    )
    # A materialised CTE: as a plain `IN (subquery … LIMIT)` PostgreSQL may run the subquery
    # more than once and claim more than `limit` rows.
    candidates = (
        select(row.c.id)
        .where(row.c.status.in_(OPEN), claimable, ~earlier_open,
               # every CTE sees the statement's one snapshot: a row marked done in it still looks open
               *([row.c.id.not_in(select(done.c.id))] if done is not None else []))
        .order_by(row.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # SQLite has one writer at a time and ignores this
        .cte("claimable")
        .prefix_with("MATERIALIZED")
    )
    return (
        update(_table)
        .where(_table.c.id.in_(select(candidates.c.id)), _table.c.status.in_(OPEN),
               or_(_table.c.status == PENDING, _table.c.lease_until < now))
        .values(status=CLAIMED, claimed_by=instance, lease_until=lease_until, attempts=_table.c.attempts + 1)
        .returning(*_CLAIMED_COLUMNS)
    )


async def claim(
    session: AsyncSession, instance: str, now: datetime, lease_until: datetime, limit: int,
) -> list[Claimed]:
    """Claim up to `limit` rows for `instance` (no commit): pending ones, and claimed ones whose
    lease has run out, each the first open row of its user. On PostgreSQL rows another
    instance is claiming at this moment are skipped (FOR UPDATE SKIP LOCKED), not waited for."""
    claimed = [Claimed(*r) for r in (await session.exec(_claiming(instance, now, lease_until, limit))).all()]
    return sorted(claimed, key=lambda c: c.id)


@dataclass
class Look:
    """What one look did: the rows it marked done, those it claimed, and — when read in the same
    statement (PostgreSQL) — each claimed row's user's rows, read as if the user were in a
    private chat (conversation key [user, user]); the caller checks that guess."""

    done: set[int]
    claimed: list[Claimed]
    read: bool = False  # False: `states` and `user_data` were not read (SQLite): read them apart
    states: dict[int, dict[str, str]] = field(default_factory=dict)  # row id → conversation name → state JSON
    user_data: dict[int, str] = field(default_factory=dict)  # row id → user_data JSON (none: no row)


def private_key(user_key: int) -> str:
    """The JSON of PTB's conversation key (chat, user) in a user's private chat with the bot
    (bot/ptb/persistence.py dump_key)."""
    return f"[{user_key}, {user_key}]"


async def look(
    session: AsyncSession, finished: Sequence[Claimed], instance: str, now: datetime, lease_until: datetime,
    limit: int, conversations: Iterable[str],
) -> Look:
    """Mark done the `finished` rows `instance` still holds, then claim up to `limit` rows (no
    commit; atomic alone on an autocommit session). On PostgreSQL one statement does both and
    reads the claimed users' rows (`conversations`: the names of the persistent ones); on
    SQLite (no data-modifying CTEs) the done marks and the claim are two statements."""
    if limit <= 0 or _dialect(session) != "postgresql":
        marked_ids = await finish_many(session, finished, instance, now)
        return Look(marked_ids, await claim(session, instance, now, lease_until, limit) if limit > 0 else [])
    names = sorted(set(conversations))
    marked = _finishing(finished, instance, now).returning(_table.c.id).cte("done") if finished else None
    claimed = _claiming(instance, now, lease_until, limit, done=marked).cte("claimed")
    states = select(func.json_object_agg(_states.c.name, _states.c.state)).where(
        _states.c.platform == claimed.c.platform, _states.c.name.in_(names),
        _states.c.key == func.concat("[", claimed.c.user_key, ", ", claimed.c.user_key, "]"),
    ).scalar_subquery() if names else null()
    user_data = select(_user_data.c.data).where(
        _user_data.c.platform == claimed.c.platform, _user_data.c.user_id == claimed.c.user_key,
    ).scalar_subquery()
    # The claimed rows first: the union's columns take their types (received_at's UTC) from it.
    rows: Select[Any] = select(*claimed.c, states.label("states"), user_data.label("user_data"))
    if marked is not None:  # the done marks' ids, padded to the claimed rows' columns
        statement: Any = union_all(rows, select(marked.c.id, *(null() for _ in range(len(_CLAIMED_COLUMNS) + 1))))
    else:
        statement = rows
    result = await (await session.connection()).execute(statement)
    found = Look(set(), [], read=True)
    for *columns, states_json, data in result.all():
        if columns[1] is None:  # a done mark: only the id
            found.done.add(columns[0])
            continue
        row = Claimed(*columns)
        found.claimed.append(row)
        if states_json is not None:
            found.states[row.id] = json.loads(states_json) if isinstance(states_json, str) else dict(states_json)
        if data is not None:
            found.user_data[row.id] = data
    found.claimed.sort(key=lambda c: c.id)
    return found


def _held(row: Claimed, instance: str) -> tuple[ColumnElement[bool], ...]:
    """This claim and no later one: the row was not taken over after a lease ran out."""
    return (_table.c.id == row.id, _table.c.status == CLAIMED, _table.c.claimed_by == instance,
            _table.c.attempts == row.attempts)


async def finish(
    session: AsyncSession, row: Claimed, instance: str, now: datetime, *, failed: str | None = None,
) -> bool:
    """done (or failed, with the reason) if `instance` still holds this claim (no commit).
    False: the claim was lost meanwhile; the caller rolls back what it meant to commit with it."""
    result = await session.exec(
        update(_table).where(*_held(row, instance)).values(
            status=FAILED if failed else DONE, done_at=now, lease_until=None, error=failed[:300] if failed else None,
        )
    )
    return result.rowcount == 1


def _finishing(rows: Sequence[Claimed], instance: str, now: datetime) -> Any:
    return (
        update(_table)
        .where(tuple_(_table.c.id, _table.c.attempts).in_([(row.id, row.attempts) for row in rows]),
               _table.c.status == CLAIMED, _table.c.claimed_by == instance)
        .values(status=DONE, done_at=now, lease_until=None, error=None)
    )


async def finish_many(session: AsyncSession, rows: Sequence[Claimed], instance: str, now: datetime) -> set[int]:
    """Mark done every row of `rows` that `instance` still holds, in one statement (no commit);
    returns their ids (a row missing was taken over meanwhile)."""
    if not rows:
        return set()
    result = await session.exec(_finishing(rows, instance, now).returning(_table.c.id))
    return {row_id for (row_id,) in result.all()}


async def retry_at(session: AsyncSession, row: Claimed, instance: str, when: datetime, error: str) -> bool:
    """Leave the row claimed until `when`, then let any instance take it again (a backoff)."""
    result = await session.exec(
        update(_table).where(*_held(row, instance)).values(lease_until=when, error=error[:300])
    )
    return result.rowcount == 1


async def renew(session: AsyncSession, ids: Iterable[int], instance: str, lease_until: datetime) -> int:
    """Extend the lease of rows this instance is still handling."""
    ids = list(ids)
    if not ids:
        return 0
    result = await session.exec(
        update(_table)
        .where(_table.c.id.in_(ids), _table.c.status == CLAIMED, _table.c.claimed_by == instance)
        .values(lease_until=lease_until)
    )
    return result.rowcount


async def release(session: AsyncSession, *, instance: str | None = None, alive: Iterable[str] | None = None) -> int:
    """Claimed rows back to pending: those of `instance` (it stops without handling them), or
    of every instance not in `alive` (they are gone), or all (at start, on SQLite)."""
    statement = update(_table).where(_table.c.status == CLAIMED)
    if instance is not None:
        statement = statement.where(_table.c.claimed_by == instance)
    if alive is not None:
        statement = statement.where(_table.c.claimed_by.not_in(list(alive)))
    result = await session.exec(statement.values(status=PENDING, lease_until=None))
    return result.rowcount


async def open_figures(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many rows are open, and when the oldest of them was received."""
    count, oldest = (await session.exec(
        select_typed(func.count(), func.min(_table.c.received_at)).where(_table.c.status.in_(OPEN))
    )).one()
    return int(count), oldest


async def open_count(session: AsyncSession) -> int:
    return (await open_figures(session))[0]


async def prune(session: AsyncSession, before: datetime) -> int:
    """Forget rows handled before `before` (no commit). They are kept that long so that a
    redelivery of the same update is still recognised."""
    result = await session.exec(
        delete(_table).where(_table.c.status.in_((DONE, FAILED)), _table.c.done_at < before)
    )
    return result.rowcount
