"""Queries about the inbox of updates (bot/instances/inbox.py; docs/instances.md).

A row's life: pending → claimed (by one instance, with a lease) → done | failed; a claimed
row whose lease ran out, or whose instance is gone, is claimed again. Of one user's open rows
only the one with the lowest update_id can be claimed, so a user's updates are handled one at
a time and in order, whichever instance takes them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, delete, exists, func, or_, select, text, tuple_, update
from sqlmodel import select as select_typed
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import InboxUpdate, table_of

PENDING, CLAIMED, DONE, FAILED = "pending", "claimed", "done", "failed"
OPEN = (PENDING, CLAIMED)

_table = table_of(InboxUpdate)


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
    alone. Returns how many were new. On PostgreSQL, `notify` (channel, payload) is sent by the
    same statement when some were new (at its commit: the listeners find the rows there)."""
    if not updates:
        return 0
    if _dialect(session) == "postgresql":
        found = (await (await session.connection()).execute(
            _STORE_AND_NOTIFY if notify else _STORE,
            {"platform": platform, "now": now, "update_ids": [u.update_id for u in updates],
             "user_keys": [u.user_key for u in updates], "payloads": [u.payload for u in updates],
             "channel": notify[0] if notify else None, "sender": notify[1] if notify else None},
        )).first()
        return int(found[0]) if found is not None else 0
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
    return len((await session.exec(statement)).all())


async def claim(
    session: AsyncSession, instance: str, now: datetime, lease_until: datetime, limit: int,
) -> list[Claimed]:
    """Claim up to `limit` rows for `instance` (no commit): pending ones, and claimed ones whose
    lease has run out, each the first open row of its user. On PostgreSQL rows another
    instance is claiming at this moment are skipped (FOR UPDATE SKIP LOCKED), not waited for."""
    values = {"now": now, "limit": limit, "instance": instance, "lease_until": lease_until}
    rows = (await (await session.connection()).execute(_claim_statement(), values)).all()
    return sorted((Claimed(*r) for r in rows), key=lambda c: c.id)


@functools.cache
def _claim_statement() -> Any:
    # Built once, its values bound at each call: building it (aliases, a CTE) cost SQLite's inbox
    # look more CPU than running it.
    now = bindparam("now", type_=_table.c.lease_until.type)
    row, earlier = _table.alias("row"), _table.alias("earlier")
    claimable = or_(row.c.status == PENDING, row.c.lease_until < now)
    earlier_open = exists().where(
        earlier.c.platform == row.c.platform, earlier.c.user_key == row.c.user_key,
        earlier.c.update_id < row.c.update_id, earlier.c.status.in_(OPEN),
    )
    # A materialised CTE: as a plain `IN (subquery … LIMIT)` PostgreSQL may run the subquery
    # more than once and claim more than `limit` rows.
    candidates = (
        select(row.c.id)
        .where(row.c.status.in_(OPEN), claimable, ~earlier_open)
        .order_by(row.c.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)  # SQLite has one writer at a time and ignores this
        .cte("claimable")
        .prefix_with("MATERIALIZED")
    )
    return (
        update(_table)
        .where(_table.c.id.in_(select(candidates.c.id)), _table.c.status.in_(OPEN),
               or_(_table.c.status == PENDING, _table.c.lease_until < now))
        .values(status=CLAIMED, claimed_by=bindparam("instance", type_=_table.c.claimed_by.type),
                lease_until=bindparam("lease_until", type_=_table.c.lease_until.type), attempts=_table.c.attempts + 1)
        .returning(_table.c.id, _table.c.platform, _table.c.update_id, _table.c.user_key, _table.c.payload,
                   _table.c.attempts, _table.c.received_at)
    )


@dataclass
class Look:
    """What one look did: the rows it marked done, those it claimed, and — when read by the same
    statement (PostgreSQL) — each claimed row's user's rows, read as if the user wrote from
    their private chat (conversation key [user, user]); the caller checks that guess."""

    done: set[int]
    claimed: list[Claimed]
    read: bool = False  # False: `states` and `user_data` were not read (SQLite): read them apart
    states: dict[int, dict[str, str]] = field(default_factory=dict)  # row id → conversation name → state JSON
    user_data: dict[int, str] = field(default_factory=dict)  # row id → user_data JSON (none: no row)


def private_key(user_key: int) -> str:
    """The JSON of PTB's conversation key (chat, user) in a user's private chat with the bot
    (bot/ptb/persistence.py dump_key); _LOOK builds the same in SQL."""
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
        marked = await finish_many(session, finished, instance, now)
        return Look(marked, await claim(session, instance, now, lease_until, limit) if limit > 0 else [])
    result = await (await session.connection()).execute(_LOOK, {
        "ids": [row.id for row in finished], "attempts": [row.attempts for row in finished],
        "instance": instance, "now": now, "lease_until": lease_until, "limit": limit,
        "names": sorted(set(conversations)),
    })
    found = Look(set(), [], read=True)
    for *columns, states, data in result.all():
        if columns[1] is None:  # a done mark: only the id
            found.done.add(columns[0])
            continue
        row = Claimed(*columns)
        found.claimed.append(row)
        if states is not None:
            found.states[row.id] = json.loads(states)
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


async def finish_many(session: AsyncSession, rows: Sequence[Claimed], instance: str, now: datetime) -> set[int]:
    """Mark done every row of `rows` that `instance` still holds, in one statement (no commit);
    returns their ids (a row missing was taken over meanwhile)."""
    if not rows:
        return set()
    values = {"held": [(row.id, row.attempts) for row in rows], "instance": instance, "now": now}
    result = await (await session.connection()).execute(_finish_many_statement(), values)
    return {row_id for (row_id,) in result.all()}


@functools.cache
def _finish_many_statement() -> Any:
    # Built once, like the claim's: the inbox marks rows done at nearly every look.
    return (
        update(_table)
        .where(tuple_(_table.c.id, _table.c.attempts).in_(bindparam("held", expanding=True)),
               _table.c.status == CLAIMED, _table.c.claimed_by == bindparam("instance", type_=_table.c.claimed_by.type))
        .values(status=DONE, done_at=bindparam("now", type_=_table.c.done_at.type), lease_until=None, error=None)
        .returning(_table.c.id)
    )


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


async def release(
    session: AsyncSession, *, instance: str | None = None, alive: Iterable[str] | None = None,
    ids: Iterable[int] | None = None,
) -> int:
    """Claimed rows back to pending: those of `instance` (it stops without handling them), or
    of every instance not in `alive` (they are gone), or all (at start, on SQLite)."""
    statement = update(_table).where(_table.c.status == CLAIMED)
    if instance is not None:
        statement = statement.where(_table.c.claimed_by == instance)
    if alive is not None:
        statement = statement.where(_table.c.claimed_by.not_in(list(alive)))
    if ids is not None:  # only these
        statement = statement.where(_table.c.id.in_(list(ids)))
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


# --- PostgreSQL: the store and the look as fixed statements -------------------------------------
# Written out rather than built: they run for every update, and building and compiling a statement
# of this size through SQLAlchemy costs more CPU than the database spends on it. Lists travel as
# arrays (unnest, ANY), so the text never changes and its prepared statement is reused.

_INSERT = f"""
INSERT INTO inbox_updates (platform, update_id, user_key, payload, status, attempts, received_at)
SELECT :platform, u.update_id, u.user_key, u.payload, '{PENDING}', 0, :now
FROM unnest(CAST(:update_ids AS BIGINT[]), CAST(:user_keys AS BIGINT[]), CAST(:payloads AS TEXT[]))
     AS u(update_id, user_key, payload)
ON CONFLICT (platform, update_id) DO NOTHING
RETURNING id"""

_STORE = text(f"WITH stored AS ({_INSERT}) SELECT count(*) FROM stored")

# The NOTIFY only when something was new (no row then); it is delivered at the commit.
_STORE_AND_NOTIFY = text(f"""
WITH stored AS ({_INSERT}), counted AS (SELECT count(*) AS new FROM stored)
SELECT new, pg_notify(:channel, :sender) FROM counted WHERE new > 0""")

# One look: the done marks (`done`), the claim (`claimable`, `claimed`: as `claim` above) and the
# claimed users' rows (under the key of their private chat, see private_key) in one statement.
# Every CTE sees the statement's one snapshot, in which the rows marked done are still open: the
# claim counts them done (`NOT IN done`), else a user's next update would wait for another look.
# The last branch returns no row: it makes this statement's commit asynchronous (SET LOCAL
# synchronous_commit, for the statement's own transaction), not waiting for the WAL to reach the
# disk (~10 ms an fsync here, and a worker's looks follow one another). What it commits is visible
# to everyone at once, as always; only a crash of the database server itself can lose the last
# such commits (a fraction of a second's), whole and in commit order, and never one followed by
# a synchronous commit (which flushes the WAL up to itself: an action's unit of work, a store).
# That loss is a replay the design already survives: a claim lost is a row pending again, a done
# mark lost an update handled again from the state it started from, as after the instance's own
# crash before its done mark (docs/instances.md). The store is never relaxed: it is acknowledged.
_LOOK = text(f"""
WITH done AS (
    UPDATE inbox_updates SET status = '{DONE}', done_at = :now, lease_until = NULL, error = NULL
    FROM unnest(CAST(:ids AS BIGINT[]), CAST(:attempts AS INTEGER[])) AS finished(id, attempts)
    WHERE inbox_updates.id = finished.id AND inbox_updates.attempts = finished.attempts
      AND inbox_updates.status = '{CLAIMED}' AND inbox_updates.claimed_by = :instance
    RETURNING inbox_updates.id
), claimable AS MATERIALIZED (
    SELECT candidate.id FROM inbox_updates AS candidate
    WHERE candidate.status IN ('{PENDING}', '{CLAIMED}')
      AND (candidate.status = '{PENDING}' OR candidate.lease_until < :now)
      AND candidate.id NOT IN (SELECT id FROM done)
      AND NOT EXISTS (
          SELECT 1 FROM inbox_updates AS earlier
          WHERE earlier.platform = candidate.platform AND earlier.user_key = candidate.user_key
            AND earlier.update_id < candidate.update_id AND earlier.status IN ('{PENDING}', '{CLAIMED}')
            AND earlier.id NOT IN (SELECT id FROM done))
    ORDER BY candidate.id LIMIT :limit
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE inbox_updates
    SET status = '{CLAIMED}', claimed_by = :instance, lease_until = :lease_until, attempts = attempts + 1
    WHERE id IN (SELECT id FROM claimable) AND status IN ('{PENDING}', '{CLAIMED}')
      AND (status = '{PENDING}' OR lease_until < :now)
    RETURNING id, platform, update_id, user_key, payload, attempts, received_at
)
SELECT claimed.id, claimed.platform, claimed.update_id, claimed.user_key, claimed.payload, claimed.attempts,
       claimed.received_at,
       (SELECT json_object_agg(state.name, state.state) FROM conversation_states AS state
        WHERE state.platform = claimed.platform AND state.name = ANY(CAST(:names AS VARCHAR[]))
          AND state.key = concat('[', claimed.user_key, ', ', claimed.user_key, ']'))::text,
       (SELECT user_data.data FROM user_data
        WHERE user_data.platform = claimed.platform AND user_data.user_id = claimed.user_key)
FROM claimed
UNION ALL SELECT id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM done
UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
WHERE set_config('synchronous_commit', 'off', true) IS NULL""")
