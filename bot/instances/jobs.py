"""One scheduler in the cluster: the leader's (APScheduler job stores are never shared).

Actions arm one-off jobs (a campaign's reminders) through `deps.scheduler` on whichever
instance handled the update. On PostgreSQL that is this proxy: on the leader it arms the
local scheduler; on a follower it asks the leader (NOTIFY) to re-arm from the rows — every
job works from rows, so "look at the rows again" is all the leader needs to know. A disarm
on a follower needs nothing: the job finds its row cancelled when it fires.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.deps import Deps
from bot.instances.coordination import JOBS_CHANNEL, Coordinator
from bot.jobs.scheduler import Scheduler

log = logging.getLogger(__name__)


class LeaderJobs:
    def __init__(self, scheduler: Scheduler, coordinator: Coordinator, leading: Callable[[], bool]) -> None:
        self.scheduler = scheduler
        self.coordinator = coordinator
        self.leading = leading
        self._pending: asyncio.Task[None] | None = None

    @property
    def aps(self) -> Any:  # tests look at the armed jobs
        return self.scheduler.aps

    def at(self, job_id: str, when: datetime, job: Callable[[Deps], Awaitable[None]]) -> None:
        if self.leading():
            self.scheduler.at(job_id, when, job)
            return
        if self._pending is None or self._pending.done():  # one wake-up for a burst of arms
            self._pending = asyncio.get_running_loop().create_task(self._ask_leader(), name="re-arm request")

    def cancel(self, job_id: str) -> None:
        if self.leading():
            self.scheduler.cancel(job_id)

    async def _ask_leader(self) -> None:
        await asyncio.sleep(0)  # after the arming action's other arms
        try:
            await self.coordinator.notify(JOBS_CHANNEL, "re-arm")
        except Exception:  # the leader's periodic check still finds due reminders
            log.warning("could not ask the leader to re-arm jobs", exc_info=True)
