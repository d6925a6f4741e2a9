"""Leader election: one instance runs the scheduler, polls (or sets the webhook) and tidies up.

Every LEADER_CHECK_SECONDS each instance asks for the leader lock (a PostgreSQL advisory lock,
coordination.py) unless it holds it, and the leader checks that it still does. The lock lives
as long as the leader's connection: if the leader's process dies the lock is free at once, if
its machine vanishes within ~25 s (TCP keepalives); the next check of a survivor takes it.
Failover therefore takes at most LEADER_CHECK_SECONDS (default 5) plus that detection time.

A new leader starts the scheduler, which runs the start-up work again (bot/runner.py
AT_START: resume unfinished broadcasts, resend notices, arm reminders from rows) — every job
works from rows, so nothing due is lost, and nothing is sent twice because every send claims
its row first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.instances.coordination import Coordinator

log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[None]]


class Leadership:
    def __init__(self, coordinator: Coordinator, every_seconds: float, *,
                 on_lead: Step, on_lose: Step, on_tick: Step) -> None:
        self.coordinator = coordinator
        self.every_seconds = every_seconds
        self.on_lead = on_lead
        self.on_lose = on_lose
        self.on_tick = on_tick
        self.leading = False
        self.changed = asyncio.Event()  # set once leadership is taken up or lost (tests wait on it)
        self._task: asyncio.Task[None] | None = None
        self._check_now = asyncio.Event()

    async def start(self) -> None:
        """The first check happens here, so a lone instance leads before start() returns."""
        await self.check()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="leadership")

    def check_soon(self) -> None:
        self._check_now.set()

    async def check(self) -> None:
        if self.leading:
            if not await self.coordinator.still_leading():
                log.warning("%s lost the leadership (its database connection broke)", self.coordinator.instance)
                await self._lose()
            return
        if await self.coordinator.try_lead():
            self.leading = True  # before on_lead: jobs armed at start go to the local scheduler
            log.info("%s leads: runs the scheduler and receives updates", self.coordinator.instance)
            try:
                await self.on_lead()
            except Exception:
                log.exception("taking up the leadership failed; giving it back")
                await self._lose()
                await self.coordinator.resign()
                return
            self.changed.set()

    async def _lose(self) -> None:
        self.leading = False
        self.changed.set()
        try:
            await self.on_lose()
        except Exception:
            log.exception("stepping down failed")

    async def _run(self) -> None:
        while True:
            self._check_now.clear()
            try:
                await asyncio.wait_for(self._check_now.wait(), self.every_seconds)
            except TimeoutError:
                pass
            try:
                await self.check()
                if self.leading:
                    await self.on_tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("leadership check failed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        if self.leading:
            await self._lose()
            await self.coordinator.resign()
