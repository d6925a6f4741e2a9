"""Queries about the shared send pace (PostgreSQL only; bot/instances/pace.py).

One row per platform holds the start of the next free send slot, in seconds since the epoch
by the database's clock, so every instance reads the same time.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_NOW = "extract(epoch from clock_timestamp())"


async def take_slot(session: AsyncSession, platform: str, interval: float) -> float:
    """Reserve the next free slot (no commit); seconds from now until it starts (≤ 0: now)."""
    # Raw SQL goes through the session's connection (same transaction): exec() takes statements.
    connection = await session.connection()
    result = await connection.execute(text(
        f"INSERT INTO send_pace (platform, next_at) VALUES (:platform, {_NOW} + :interval) "
        f"ON CONFLICT (platform) DO UPDATE SET next_at = GREATEST(send_pace.next_at, {_NOW}) + :interval "
        f"RETURNING next_at - :interval - {_NOW}"
    ), {"platform": platform, "interval": interval})
    return float(result.scalar_one())


async def hold_back(session: AsyncSession, platform: str, seconds: float) -> None:
    """No slot starts before `seconds` from now (a 429's retry_after), on any instance."""
    connection = await session.connection()
    await connection.execute(text(
        f"INSERT INTO send_pace (platform, next_at) VALUES (:platform, {_NOW} + :seconds) "
        f"ON CONFLICT (platform) DO UPDATE SET next_at = GREATEST(send_pace.next_at, {_NOW} + :seconds)"
    ), {"platform": platform, "seconds": seconds})
