"""Start and stop the whole bot: database, one Application per platform, the scheduler."""

from __future__ import annotations

import asyncio
import sys
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.actions import association, charity, joining, registration
from bot.actions import fund_loans, fund_support
from bot.ptb.context import KanoonApp
from bot.jobs import facilitation as facilitation_jobs
from bot.jobs import join_reminders, reminders
from bot.jobs import fund as fund_jobs
from bot.jobs.scheduler import AtStart, Periodic
from bot.sending import broadcast, delivery
from bot.db.enums import Purpose
from bot.deps import Resender
from bot.app import build_application
from bot.db import maintenance, migrate
from bot.db.engine import create_engine, session_factory
from bot.deps import Deps
from bot.persian.catalog import t
from bot.platforms import Messenger, Platform
from bot.jobs.scheduler import Scheduler
from bot.instances.cluster import Instances
from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)

# The command menu (where the platform has one); descriptions come from the catalog.
COMMANDS = ("start", "mycenter", "join", "register", "campaigns", "requests", "help", "cancel")

# Waits between attempts to reach a Bot API at start: 1, 2, 4 … seconds, at most 30.
FIRST_RETRY_WAIT, LONGEST_RETRY_WAIT = 1.0, 30.0


def _drop_parse_traceback(record: logging.LogRecord) -> bool:
    # PTB logs a traceback for a body that is not JSON; at start the runner says it in one line instead.
    return not record.getMessage().startswith("Can not load invalid JSON data")


class NetworkUnavailable(Exception):
    """A Bot API could not be reached at start for settings.connect_retry_seconds (exit code 3)."""


def _wrong_url(exc: TelegramError) -> bool:
    """An answer that is not the Bot API's: a 404 without a JSON description, or a body that is not JSON.

    The Bot API answers a rejected token with JSON ({"description": "Unauthorized"} or "Not Found");
    any other web server answers a path it does not know with HTML or nothing.
    """
    if isinstance(exc, InvalidToken):
        return exc.__cause__ is not None or exc.message.startswith("Not Found (404)")
    return not isinstance(exc, NetworkError)  # e.g. "Invalid server response" to a 200 that is not JSON


# Timed work. Every job reads rows and does what is due, so a missed run is caught up by the next.
PERIODIC = (
    Periodic("broadcast-sweep", 300, broadcast.sweep),  # batches a stop or crash left unfinished
    Periodic("notice-sweep", 300, delivery.sweep),  # single notices that met passing errors
    Periodic("reminders-due", 60, reminders.check_due),  # a reminder whose armed job was lost
    Periodic("join-requests-waiting", 3600, join_reminders.check_waiting_requests),
    # The association (issue 11): its batches left unfinished, the facilitators' weekly digest
    # (sent once its Saturday morning has come), the 72-hour reminder of unanswered questions.
    Periodic("association-batches", 300, association.resume_batches),
    Periodic("facilitator-digest", 3600, facilitation_jobs.weekly_digest),
    Periodic("question-reminders", 3600, facilitation_jobs.question_reminders),
    # Charitable campaigns (issue 13): the reminder before a deadline and the close at it;
    # their batches (calls, progress, reminders, thanks) left unfinished.
    Periodic("help-deadlines", 60, charity.deadlines),
    Periodic("help-batches", 300, charity.resume_batches),
    Periodic("database-statistics", 86400, maintenance.refresh_statistics_job),  # SQLite's planner
    # The loan fund (issue 16): dues on their day, the due-day and the three-days-late reminders.
    Periodic("fund-contributions", 600, fund_jobs.contributions),
    Periodic("fund-instalments", 600, fund_jobs.instalments),  # reminders and overdue steps
    Periodic("fund-batches", 300, fund_loans.resume_batches),  # draw notices a stop left unsent
)
# Once at start, in this order, after the bots are up (armed jobs may send at once); they run
# while the bot already answers (Scheduler.start), a failed one does not stop the next.
AT_START: tuple[AtStart, ...] = (
    broadcast.resume_at_start,
    delivery.resend_at_start,
    reminders.arm_at_start,
    association.resume_batches_at_start,  # the association's batches (issue 11)
    facilitation_jobs.digest_at_start,  # a digest that fell due while the bot was down
    fund_jobs.contributions_at_start,
    fund_jobs.instalments_at_start,  # the fund's dues and reminders that fell due meanwhile (issue 16)
    fund_loans.resume_batches_at_start,  # the fund's draw notices (issue 16)
    charity.resume_batches_at_start,  # help campaigns' batches (issue 13)
)
# What the leader runs when another instance armed a job (bot/instances/jobs.py): re-arm from rows.
REARM: tuple[AtStart, ...] = (reminders.arm_at_start,)
# Single notices that are sent again, rendered from the state then, if a crash or passing
# errors left them unsent (bot/sending/delivery.resend_notices).
RESENDERS: dict[str, Resender] = {
    Purpose.JOIN_REQUEST: joining.request_again,
    Purpose.JOIN_REQUEST_LEADER: joining.leader_alert_again,
    Purpose.JOIN_DECISION: joining.decision_again,
    Purpose.MEMBER_REMOVED: joining.removed_again,
    Purpose.MEMBER_LEFT: joining.left_again,
    Purpose.INVITATION_ACCEPTED: registration.accepted_again,
    Purpose.INVITATION_DECLINED: registration.declined_again,
    Purpose.INVITATION_REPLACED: registration.replaced_again,
    Purpose.MEMBER_LINKS: registration.member_links_again,
    **association.RESENDERS,  # the association's notices (issue 11)
    **charity.RESENDERS,  # «please confirm» and the giver's thank-you (issue 13)
    **fund_support.RESENDERS,  # a loan's supporter: told, and the report at its close (issue 16)
}


GIL_SWITCH_SECONDS = 0.001


class Kanoon:
    def __init__(
        self, settings: Settings, deps: Deps | None = None,
        *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep, self._monotonic = sleep, monotonic  # injectable: tests never wait for real
        self.engine: AsyncEngine = create_engine(settings.database_url, settings.updates_in_flight)
        self.deps = deps or Deps(settings=settings, sessions=session_factory(self.engine))
        self.applications: dict[Platform, KanoonApp] = {}
        self.scheduler = Scheduler(self.deps)
        self.deps.scheduler = self.scheduler
        self.deps.resenders = dict(RESENDERS)
        # The inbox, leadership, webhooks, /healthz and /metrics (bot/instances/, docs/instances.md).
        # On PostgreSQL it also makes deps.background and deps.scheduler cluster-aware.
        self.instances = Instances(settings, self.deps, self.engine, self.scheduler, PERIODIC, AT_START, REARM)

    async def start(self, poll_interval: float = 0.0) -> None:
        # Every database call is a hop to a driver thread and back (aiosqlite), and a CPU-bound
        # thread (a members file being written) holds the GIL up to the switch interval each
        # time a hop wants it: at the default 5 ms, everyone's updates crawl while a big file is
        # made. 1 ms keeps the hops prompt (docs/scale.md «Exports stream»).
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        await migrate.upgrade_or_explain(self.engine)
        # A second instance on SQLite stops here; on SQLite what a crash left claimed is released.
        await self.instances.open()
        await maintenance.refresh_statistics(self.deps.sessions)  # SQLite plans the sweeps from these
        for platform in self.settings.platforms:  # in applications at once: a failed start shuts them down
            self.applications[platform] = build_application(platform, self.deps)
        await self._connect_all(self.applications)  # both platforms' getMe at once: a start waits for the slower
        for platform, application in self.applications.items():
            self.deps.messengers[platform] = Messenger(platform, application.bot)
            self.deps.bot_usernames[platform] = application.bot.username
        for platform, application in self.applications.items():
            await self.deps.messengers[platform].set_commands(
                [BotCommand(c, str(t(f"cmd-{c}"))) for c in COMMANDS]
            )
            await application.start()
            log.info("serving %s as @%s", platform, application.bot.username)
        # Updates reach the handlers through the inbox (polling or webhooks); the leader, which a
        # lone instance is at once, also runs the scheduler (PERIODIC; AT_START in the background,
        # after this returns: `caught_up()` waits for it).
        await self.instances.start(self.applications)

    async def caught_up(self) -> None:
        """Until the start-up jobs (AT_START), which run after start() returns, are done."""
        await self.scheduler.caught_up()

    async def _connect_all(self, applications: dict[Platform, KanoonApp]) -> None:
        """application.initialize() of each (its getMe checks the token), retrying while the network fails."""
        ptb_request_log = logging.getLogger("telegram.request.BaseRequest")
        ptb_request_log.addFilter(_drop_parse_traceback)
        connecting = [asyncio.ensure_future(self._connect(p, a)) for p, a in applications.items()]
        try:
            await asyncio.gather(*connecting)
        except BaseException:
            for task in connecting:  # one platform's error ends the start: the other stops trying
                task.cancel()
            await asyncio.gather(*connecting, return_exceptions=True)
            raise
        finally:
            ptb_request_log.removeFilter(_drop_parse_traceback)

    async def _connect(self, platform: Platform, application: KanoonApp) -> None:
        url = self.settings.api_url_for(platform)
        deadline = self._monotonic() + self.settings.connect_retry_seconds
        await self._connect_attempts(platform, application, url, platform.upper(), deadline)

    async def _connect_attempts(
        self, platform: Platform, application: KanoonApp, url: str, variable: str, deadline: float,
    ) -> None:
        wait = FIRST_RETRY_WAIT
        attempt = 1
        while True:
            log.info("connecting to the %s Bot API at %s (attempt %d)", platform, url, attempt)
            try:
                await application.initialize()
                return
            except TelegramError as exc:
                if _wrong_url(exc):
                    raise ConfigError(
                        f"{variable}_API_URL={url} does not answer as a Bot API (its answer to getMe is "
                        f"not a Bot API reply); "
                        f"check {variable}_API_URL in .env (the default is right for most people)."
                    ) from None
                if isinstance(exc, InvalidToken):
                    raise ConfigError(
                        f"{variable}_TOKEN was rejected by the {platform} Bot API ({exc.message}); "
                        "check the token in .env."
                    ) from None
                if not isinstance(exc, NetworkError):
                    raise
                left = deadline - self._monotonic()
                if left <= 0:
                    raise NetworkUnavailable(
                        f"Cannot reach the {platform} Bot API at {url} after {attempt} attempt(s) ({exc.message}); "
                        f"check the network or {variable}_API_URL (CONNECT_RETRY_SECONDS sets how long to try)."
                    ) from None
                log.warning("cannot reach the %s Bot API (%s); trying again in %.0f s", platform, exc.message, min(wait, left))
                await self._sleep(min(wait, left))
                wait = min(wait * 2, LONGEST_RETRY_WAIT)
                attempt += 1

    async def stop(self) -> None:
        # First let broadcasts finish their in-flight sends (the rest stays pending for next start).
        await self.deps.background.stop()
        # Stops receiving and the scheduler, finishes or hands back the updates in hand.
        await self.instances.stop()
        for platform, application in self.applications.items():
            try:
                if application.running:
                    await application.stop()
                await application.shutdown()  # flushes persistence
            except Exception:  # one platform failing to stop must not keep the other running
                log.exception("stopping %s failed", platform)
        self.applications.clear()
        await self.instances.close()
        await self.engine.dispose()
