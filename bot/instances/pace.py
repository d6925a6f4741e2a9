"""One send rate per bot across instances: the slots come from a row in PostgreSQL.

Each instance's PacedRateLimiter (bot/sending/ratelimit.py) still orders its own waiters
(replies before broadcasts) and still spaces them; with this attached, before it releases a
message it also reserves the platform's next free slot in the database (one short UPDATE) and
waits until that slot starts — with several messages waiting, the next few slots at once (at
most 0.2 s of sending: one statement for a burst of replies, not one each). Two instances
sending at full speed therefore share SEND_RATE between them instead of doubling it, and a 429
seen by one holds back all of them.

If the database cannot be asked, the limiter paces locally, as one instance would.
"""

from __future__ import annotations

import asyncio
import logging

from bot.db.engine import SessionFactory, autocommit
from bot.db.repo import send_pace as repo
from bot.platforms import Platform

log = logging.getLogger(__name__)


class SharedPace:
    def __init__(self, sessions: SessionFactory, platform: Platform) -> None:
        self.sessions = sessions
        self.platform = platform
        self._tasks: set[asyncio.Task[None]] = set()

    async def take(self, interval: float, count: int = 1) -> float:
        """Seconds to wait before the first of `count` back-to-back slots in the cluster starts."""
        try:
            # One UPDATE … RETURNING, atomic alone: no BEGIN/COMMIT around it (every reply pays it).
            async with autocommit(self.sessions) as session:
                delay = await repo.take_slot(session, self.platform.value, interval, count)
        except Exception:
            log.warning("shared send pace unavailable; pacing locally", exc_info=True)
            return 0.0
        return delay

    def pause(self, seconds: float) -> None:
        """A 429: tell every instance (in the background; the local pause is already set)."""

        async def hold_back() -> None:
            try:
                async with self.sessions() as session:
                    await repo.hold_back(session, self.platform.value, seconds)
                    await session.commit()
            except Exception:
                log.warning("could not share a 429 pause", exc_info=True)

        task = asyncio.get_running_loop().create_task(hold_back())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
