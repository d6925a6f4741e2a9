"""Timed work: one APScheduler for the whole process (jobs span both platforms).

The database is the source of truth: jobs only say *when to look*; what to send is read from
rows at that moment, so a restart re-arms everything from the database (see `arm_from_db`).
Jobs call plain async functions that take `Deps`, and use `deps.clock` for "now", so tests
drive them by moving the clock and calling the same functions.

deps.clock may run ahead of the wall clock (the playground's «⏩», tests): one-off jobs are armed
at their time by deps.clock, and after the clock jumps `catch_up` runs what the jump made due.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

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

# At a stop, the start-up job in progress is let finish this long (then cancelled): cancelled
# mid-statement, a job could leave SQLite's write lock held for the stop's own writes.
AT_START_FINISH_SECONDS = 10.0


class Scheduler:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.aps = AsyncIOScheduler(timezone="UTC")
        self._periodic: Sequence[Periodic] = ()
        # One-off jobs by id: (when by deps.clock, job), so catch_up can find those a clock jump made due.
        self._one_off: dict[str, tuple[datetime, Job]] = {}
        self._at_start: asyncio.Task[None] | None = None  # the start-up jobs, while they run
        self._stopping = False

    def _wall_time(self, when: datetime) -> datetime:
        """APScheduler waits on the wall clock; deps.clock may be ahead of it."""
        return when - (self.deps.clock() - datetime.now(timezone.utc))

    async def _run(self, name: str, job: Job) -> None:
        try:
            await job(self.deps)
        except Exception:  # one failed run must not stop the next ones
            log.exception("scheduled job %s failed", name)

    async def _run_once(self, job_id: str, job: Job) -> None:
        self._one_off.pop(job_id, None)
        await self._run(job_id, job)

    def at(self, job_id: str, when: datetime, job: Job) -> None:
        """Run `job` once at `when` by deps.clock (replacing an earlier arming of the same id)."""
        self._one_off[job_id] = (when, job)
        self.aps.add_job(
            self._run_once, "date", run_date=self._wall_time(when), args=[job_id, job], id=job_id,
            replace_existing=True, misfire_grace_time=None,
        )

    def cancel(self, job_id: str) -> None:
        self._one_off.pop(job_id, None)
        if self.aps.get_job(job_id):
            self.aps.remove_job(job_id)

    def due_at(self, job_id: str) -> datetime | None:
        """When (by deps.clock) that one-off job is armed to run; None if it is not armed."""
        entry = self._one_off.get(job_id)
        return entry[0] if entry else None

    def next_due(self) -> datetime | None:
        """When (by deps.clock) the earliest armed one-off job is due; None if none is armed."""
        return min((when for when, _ in self._one_off.values()), default=None)

    async def catch_up(self) -> None:
        """After deps.clock jumped forward: run every one-off job now due (in time order), re-arm
        the rest by the wall clock, then run each periodic job once."""
        now = self.deps.clock()
        due = sorted((when, job_id) for job_id, (when, _) in self._one_off.items() if when <= now)
        for _, job_id in due:
            entry = self._one_off.get(job_id)
            if entry is not None:  # an earlier job may have cancelled it
                self.cancel(job_id)
                await self._run(job_id, entry[1])
        for job_id, (when, job) in list(self._one_off.items()):
            self.at(job_id, when, job)
        for item in self._periodic:
            await self._run(item.name, item.job)

    async def start(self, periodic: Sequence[Periodic], at_start: Sequence[AtStart]) -> None:
        """Arm the periodic jobs, then begin the start-up ones (the composition root, bot/runner.py,
        lists both). Those run in order in a task of their own: the bot answers, and says it is
        ready, while they catch up on what fell due meanwhile (docs/scale.md «Start-up»);
        `caught_up()` waits for them."""
        self._periodic = tuple(periodic)
        self._stopping = False
        for item in periodic:
            self.aps.add_job(
                self._run, "interval", seconds=item.every_seconds, args=[item.name, item.job], id=item.name,
                replace_existing=True, coalesce=True, max_instances=1,
            )
        self.aps.start()
        self._at_start = asyncio.get_running_loop().create_task(self._run_at_start(tuple(at_start)), name="at-start")

    async def _run_at_start(self, jobs: tuple[AtStart, ...]) -> None:
        for arm in jobs:
            if self._stopping:
                return  # the next start (or the job's periodic sweep) does the rest
            try:
                await arm(self)
            except Exception:  # one failed job must not keep the next from running; its sweep retries
                log.exception("start-up job %s failed", getattr(arm, "__qualname__", arm))

    async def caught_up(self) -> None:
        """Until the start-up jobs have run (at once if none are running)."""
        if self._at_start is not None:
            await asyncio.shield(self._at_start)

    async def finish_start(self, timeout: float = AT_START_FINISH_SECONDS) -> None:
        """Before a stop: the start-up job in progress finishes (cancelled if it overruns
        `timeout`), the ones after it do not begin."""
        self._stopping = True
        task, self._at_start = self._at_start, None
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("a start-up job was still running after %.0f s; cancelled", timeout)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)
