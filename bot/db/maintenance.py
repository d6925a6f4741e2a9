"""Keeping the query planner informed on SQLite: table statistics, at start and daily.

SQLite plans from sqlite_stat1, which only ANALYZE writes; without it the planner guesses,
and with millions of rows a guess can read every row (docs/scale.md). ANALYZE is bounded by
`analysis_limit` (it samples that many rows per index), so it takes a fraction of a second at
national scale. PostgreSQL's autovacuum keeps its own statistics: nothing to do there.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy import text

from bot.db.engine import SessionFactory

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)

# Rows sampled per index: enough for the planner's estimates, bounded at any size.
ANALYSIS_LIMIT = 1000


async def refresh_statistics(sessions: SessionFactory) -> bool:
    """ANALYZE (sampled) on SQLite; False on other databases, which keep their own."""
    async with sessions() as session:
        if session.bind.dialect.name != "sqlite":
            return False
        started = time.perf_counter()
        await session.exec(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))  # type: ignore[call-overload]
        await session.exec(text("ANALYZE"))  # type: ignore[call-overload]
        await session.commit()
    log.info("database statistics refreshed in %.2f s", time.perf_counter() - started)
    return True


async def refresh_statistics_job(deps: Deps) -> None:
    """The daily job (bot/runner.py's PERIODIC): the data changes; so do the best plans."""
    await refresh_statistics(deps.sessions)
