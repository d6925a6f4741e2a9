"""Everything one instance runs besides its Applications, started and stopped by bot/runner.py.

    open()   after the migrations: take the coordination connection (PostgreSQL) or the
             lock file (SQLite: a second instance refuses to start); on SQLite hand back
             what a stopped or crashed run left claimed.
    start()  after the Applications: the inbox worker, the HTTP server (webhooks, /healthz,
             /metrics), then leadership — the leader polls (or sets the webhooks) and runs the
             scheduler. A lone instance leads before start() returns.
    stop()   stop receiving, step down, finish or hand back the updates in hand.
    close()  last: release the coordination connection / lock file.

docs/instances.md has the design.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.repo import cluster as cluster_repo
from bot.ptb.context import KanoonApp
from bot.db.repo import inbox as inbox_repo
from bot.deps import Deps
from bot.instances.background import NOTICES, ClusterBackground
from bot.instances.coordination import INBOX_CHANNEL, JOBS_CHANNEL, coordinator_for
from bot.instances.inbox import Intake, Worker, prune
from bot.instances.jobs import LeaderJobs
from bot.instances.leader import Leadership
from bot.instances.metrics import Labels, new_metrics
from bot.instances.pace import SharedPace
from bot.instances.receive import Poller, set_webhook
from bot.jobs.scheduler import AtStart, Periodic, Scheduler
from bot.persian.text import utcnow
from bot.platforms import Platform
from bot.sending import delivery
from bot.db.enums import BATCH_PURPOSES
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.instances.web import WebServer

log = logging.getLogger(__name__)

# Periodic jobs the leader runs at once when it sees an instance gone: they resume the
# broadcasts and notices that instance was sending (their rows say what is left).
SWEEPS_AFTER_LOSS = ("broadcast-sweep", "notice-sweep")
# A single notice still claimed this long after it was made was being sent by a process that is gone.
NOTICE_ABANDONED_AFTER = timedelta(minutes=10)
PRUNE_EVERY = timedelta(hours=1)
# Port of the HTTP server in webhook mode when HTTP_PORT is not set.
DEFAULT_PORT = 8080


class Instances:
    def __init__(
        self, settings: Settings, deps: Deps, engine: AsyncEngine, scheduler: Scheduler,
        periodic: Sequence[Periodic], at_start: Sequence[AtStart], rearm: Sequence[AtStart],
    ) -> None:
        self.settings = settings
        self.deps = deps
        self.scheduler = scheduler
        self.periodic = periodic
        self.at_start = at_start
        self.rearm = rearm
        self.coordinator = coordinator_for(engine, settings.database_url)
        self.distributed = self.coordinator.distributed
        self.metrics = new_metrics()
        self.applications: dict[Platform, KanoonApp] = {}
        self.worker: Worker | None = None
        self.intake: Intake | None = None
        self.web: WebServer | None = None
        self.pollers: dict[Platform, asyncio.Task[None]] = {}
        self.leadership = Leadership(
            self.coordinator, settings.leader_check_seconds,
            on_lead=self._lead, on_lose=self._step_down, on_tick=self._tidy,
        )
        self._known_alive: set[str] | None = None
        self._last_prune: datetime | None = None
        if self.distributed:
            # Broadcast batches and the notice resender run once in the cluster; one-off jobs
            # are armed on the leader's scheduler.
            deps.background = ClusterBackground(self.coordinator)
            deps.scheduler = LeaderJobs(scheduler, self.coordinator, lambda: self.leadership.leading)

    @property
    def instance(self) -> str:
        return self.coordinator.instance

    @property
    def leading(self) -> bool:
        return self.leadership.leading

    # ------------------------------------------------------------------ lifecycle

    async def open(self) -> None:
        await self.coordinator.open()
        if not self.distributed:
            # The only instance: whatever is still claimed was left by a run that is gone.
            async with self.deps.sessions() as session:
                released = await inbox_repo.release(session)
                await session.commit()
            if released:
                log.info("%d update(s) claimed before the last stop are pending again", released)
            await delivery.release_abandoned(self.deps)  # before anything can send

    async def start(self, applications: dict[Platform, KanoonApp]) -> None:
        self.applications = applications
        for platform, application in applications.items():
            limiter = application.bot.rate_limiter
            if self.distributed and limiter is not None and hasattr(limiter, "shared"):
                limiter.shared = SharedPace(self.deps.sessions, platform)
            application.add_error_handler(self._count_failure)
        self.worker = Worker(
            sessions=self.deps.sessions, instance=self.instance, applications=applications, metrics=self.metrics,
            slots=self.settings.updates_in_flight, lease=timedelta(seconds=self.settings.inbox_lease_seconds),
        )
        self.intake = Intake(self.deps.sessions, self.coordinator, self.metrics, on_stored=self.worker.wake)
        self.coordinator.listen(INBOX_CHANNEL, self.worker.wake)
        if self.distributed:
            self.worker.on_freed = lambda: self.coordinator.notify(INBOX_CHANNEL, self.instance)
        self.coordinator.listen(JOBS_CHANNEL, self._rearm_requested)
        self.worker.start()
        port = self.settings.http_port
        if port is None and self.settings.webhook_url:
            port = DEFAULT_PORT
        if port is not None:
            from bot.instances.web import WebServer  # aiohttp: loaded only when a server runs

            self.web = WebServer(
                self.settings, list(applications), self.intake, self.deps.sessions, self.metrics_text, self.status,
                webhooks=bool(self.settings.webhook_url),
            )
            await self.web.start(self.settings.http_host, port)
        await self.leadership.start()
        if self.web is not None:
            self.web.ready = True
        log.info("instance %s up (%s, %s)", self.instance, "webhooks" if self.settings.webhook_url else "polling",
                 "leader" if self.leading else "follower")

    async def stop(self) -> None:
        """Stop receiving and scheduling, then finish (or hand back) the updates in hand."""
        if self.web is not None:
            await self.web.stop()
        await self.leadership.stop()
        if self.worker is not None:
            await self.worker.stop()

    async def close(self) -> None:
        await self.coordinator.close()

    async def settled(self, timeout: float = 10.0) -> None:
        """Until the inbox is empty and nothing is in hand (tests, the benchmark)."""
        assert self.worker is not None
        await self.worker.settled(timeout)

    # ------------------------------------------------------------------ leadership

    async def _lead(self) -> None:
        assert self.intake is not None
        for platform, application in self.applications.items():
            if self.settings.webhook_url:
                await set_webhook(self.settings, platform, application.bot)
            else:
                poller = Poller(platform, application.bot, self.intake)
                self.pollers[platform] = asyncio.get_running_loop().create_task(poller.run(), name=f"poll {platform}")
        if self.distributed:
            if await self.coordinator.live_instances() == {self.instance}:
                # Alone (a restart of the only instance): nobody else can be sending, so what is
                # still claimed was left by processes that are gone — as on SQLite at start.
                await delivery.release_abandoned(self.deps)
            await self._tidy()
        # After the bots: armed jobs may send as soon as they are armed (overdue reminders).
        await self.scheduler.start(self.periodic, self.at_start)

    async def _step_down(self) -> None:
        for task in self.pollers.values():
            task.cancel()
        for task in self.pollers.values():
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self.pollers.clear()
        await self.scheduler.finish_start()
        self.scheduler.stop()
        # APScheduler does not start again after a shutdown; a fresh one for the next term.
        self.scheduler.aps = AsyncIOScheduler(timezone="UTC")

    def _rearm_requested(self, _payload: str) -> None:
        if not self.leading:
            return

        async def rearm() -> None:
            for arm in self.rearm:
                try:
                    await arm(self.scheduler)
                except Exception:
                    log.exception("re-arming jobs failed")

        asyncio.get_running_loop().create_task(rearm(), name="re-arm")

    async def _tidy(self) -> None:
        """The leader's housekeeping, every LEADER_CHECK_SECONDS."""
        now = utcnow()
        if self.distributed:
            await self._after_lost_instances()
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            self._last_prune = now
            gone = await prune(self.deps.sessions, now)
            if gone:
                log.info("%d handled update(s) older than two days forgotten", gone)

    async def _after_lost_instances(self) -> None:
        alive = await self.coordinator.live_instances()
        async with self.deps.sessions() as session:
            released = await inbox_repo.release(session, alive=alive)
            await session.commit()
        if released:
            log.warning("%d update(s) claimed by instances that are gone are pending again", released)
            assert self.worker is not None
            self.worker.wake()
            await self.coordinator.notify(INBOX_CHANNEL)
        lost = (self._known_alive or set()) - alive
        self._known_alive = alive
        if await self.coordinator.try_lock(NOTICES):  # no resender runs anywhere now
            try:
                async with self.deps.sessions() as session:
                    stale = await cluster_repo.unclaim_stale_notices(
                        session, BATCH_PURPOSES, self.deps.clock() - NOTICE_ABANDONED_AFTER)
                    await session.commit()
            finally:
                await self.coordinator.unlock(NOTICES)
            if stale:
                log.warning("%d notice(s) left claimed by an instance that is gone are pending again", stale)
                lost.add("(notices)")
        if lost:
            log.warning("instance(s) gone: %s; resuming what they were sending", ", ".join(sorted(lost)))
            for item in self.periodic:
                if item.name in SWEEPS_AFTER_LOSS:
                    try:
                        await item.job(self.deps)
                    except Exception:
                        log.exception("%s after an instance was lost failed", item.name)

    # ------------------------------------------------------------------ figures

    async def _count_failure(self, update: object, context: object) -> None:
        platform = getattr(context, "platform", None)
        self.metrics.count("kanoon_updates_failed_total", platform=str(platform or "unknown"))

    def status(self) -> dict[str, object]:
        return {
            "instance": self.instance, "leader": self.leading,
            "mode": "webhook" if self.settings.webhook_url else "polling",
            "in_flight": len(self.worker.in_flight) if self.worker else 0,
        }

    async def metrics_text(self) -> str:
        for platform, application in self.applications.items():
            limiter = application.bot.rate_limiter
            for outcome, n in getattr(limiter, "outcomes", {}).items():
                self.metrics.counters["kanoon_sends_total"][(("outcome", outcome), ("platform", platform.value))] = n
            retry_afters = getattr(limiter, "retry_afters", 0)
            self.metrics.counters["kanoon_retry_after_total"][(("platform", platform.value),)] = retry_afters
        gauges: dict[str, dict[Labels, float]] = {
            "kanoon_scheduler_leader": {(("instance", self.instance),): 1.0 if self.leading else 0.0},
            "kanoon_updates_in_flight": {(): float(len(self.worker.in_flight) if self.worker else 0)},
        }
        try:
            async with self.deps.sessions() as session:
                depth, oldest = await inbox_repo.open_figures(session)
                deliveries = await cluster_repo.open_deliveries(session)
        except Exception:
            log.warning("metrics: the database did not answer", exc_info=True)
        else:
            age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
            gauges["kanoon_inbox_depth"] = {(): float(depth)}
            gauges["kanoon_inbox_oldest_age_seconds"] = {(): max(age, 0.0)}
            gauges["kanoon_deliveries_open"] = {(("status", s),): float(n) for s, n in deliveries.items()}
        return self.metrics.render(gauges)
