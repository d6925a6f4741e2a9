"""Timed work: one APScheduler for the whole process (jobs span both platforms).

The database is the source of truth: jobs only say *when to look*; what to send is read from
rows at that moment, so a restart re-arms everything from the database (see `arm_from_db`).
Jobs call plain async functions that take `Deps`, and use `deps.clock` for "now", so tests
drive them by moving the clock and calling the same functions.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.deps import Deps

log = logging.getLogger(__name__)

Job = Callable[[Deps], Awaitable[None]]


@dataclass(frozen=True)
class Periodic:
    """A job run every `every_seconds` (a sweep: it looks at rows and does what is due)."""

    name: str
    every_seconds: int
    job: Job


# Run once at start, after the bots: arms one-off jobs from rows, resumes unfinished work.
AtStart = Callable[["Scheduler"], Awaitable[None]]


class Scheduler:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.aps = AsyncIOScheduler(timezone="UTC")

    async def _run(self, name: str, job: Job) -> None:
        try:
            await job(self.deps)
        except Exception:  # one failed run must not stop the next ones
            log.exception("scheduled job %s failed", name)

    def at(self, job_id: str, when: datetime, job: Job) -> None:
        """Run `job` once at `when` (replacing an earlier arming of the same id)."""
        self.aps.add_job(
            self._run, "date", run_date=when, args=[job_id, job], id=job_id, replace_existing=True,
            misfire_grace_time=None,
        )

    def cancel(self, job_id: str) -> None:
        if self.aps.get_job(job_id):
            self.aps.remove_job(job_id)

    async def start(self, periodic: Sequence[Periodic], at_start: Sequence[AtStart]) -> None:
        """Arm the periodic jobs, then run the start-up ones in order (the composition root,
        bot/runner.py, lists both)."""
        for item in periodic:
            self.aps.add_job(
                self._run, "interval", seconds=item.every_seconds, args=[item.name, item.job], id=item.name,
                replace_existing=True, coalesce=True, max_instances=1,
            )
        self.aps.start()
        for arm in at_start:
            await arm(self)

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)
