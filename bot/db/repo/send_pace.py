"""Queries about the shared send pace (PostgreSQL only; bot/instances/pace.py).

One row per platform holds the start of the next free send slot, in seconds since the epoch
by the database's clock, so every instance reads the same time.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_NOW = "extract(epoch from clock_timestamp())"


async def take_slot(session: AsyncSession, platform: str, interval: float, count: int = 1) -> float:
    """Reserve the next `count` free slots, back to back (no commit); seconds from now until the
    first starts (≤ 0: now)."""
    # Raw SQL goes through the session's connection (same transaction): exec() takes statements.
    connection = await session.connection()
    # Every reply takes a slot: its commit does not wait for the WAL to reach the disk (set_config:
    # for this statement's transaction). Only a crash of the database server can lose it, and a
    # slot lost is only a message sent a little sooner.
    result = await connection.execute(_TAKE_SLOT, {"platform": platform, "span": interval * count})
    return float(result.one()[0])


# Made once: every burst of sends takes slots, and parsing the text each time showed in the CPU.
_TAKE_SLOT = text(
    f"WITH slot AS (INSERT INTO send_pace (platform, next_at) VALUES (:platform, {_NOW} + :span) "
    f"ON CONFLICT (platform) DO UPDATE SET next_at = GREATEST(send_pace.next_at, {_NOW}) + :span "
    f"RETURNING next_at - :span - {_NOW} AS delay) "
    f"SELECT (SELECT delay FROM slot), set_config('synchronous_commit', 'off', true)"
)


async def hold_back(session: AsyncSession, platform: str, seconds: float) -> None:
    """No slot starts before `seconds` from now (a 429's retry_after), on any instance."""
    connection = await session.connection()
    await connection.execute(text(
        f"INSERT INTO send_pace (platform, next_at) VALUES (:platform, {_NOW} + :seconds) "
        f"ON CONFLICT (platform) DO UPDATE SET next_at = GREATEST(send_pace.next_at, {_NOW} + :seconds)"
    ), {"platform": platform, "seconds": seconds})
