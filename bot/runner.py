"""Start and stop the whole bot: database, one Application per platform, the scheduler."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommand
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot.actions import association
from bot.handlers import members, requests
from bot.jobs import facilitation as facilitation_jobs
from bot.jobs import join_reminders, reminders
from bot.jobs.scheduler import AtStart, Periodic
from bot.sending import broadcast, delivery
from bot.db.enums import Purpose
from bot.deps import Resender
from bot.app import build_application
from bot.db import migrate
from bot.db.engine import create_engine, session_factory
from bot.deps import Deps
from bot.persian.catalog import t
from bot.platforms import Messenger, Platform
from bot.jobs.scheduler import Scheduler
from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)

# The command menu (where the platform has one); descriptions come from the catalog.
COMMANDS = ("start", "mycenter", "join", "register", "campaigns", "requests", "help", "cancel")


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
)
# Once at start, in this order, after the bots are up (armed jobs may send at once).
AT_START: tuple[AtStart, ...] = (
    broadcast.resume_at_start,
    delivery.resend_at_start,
    reminders.arm_at_start,
    association.resume_batches_at_start,  # the association's batches (issue 11)
    facilitation_jobs.digest_at_start,  # a digest that fell due while the bot was down
)
# Single notices that are sent again, rendered from the state then, if a crash or passing
# errors left them unsent (bot/sending/delivery.resend_notices).
RESENDERS: dict[str, Resender] = {
    Purpose.JOIN_REQUEST: requests.request_again,
    Purpose.JOIN_REQUEST_LEADER: requests.leader_alert_again,
    Purpose.JOIN_DECISION: requests.decision_again,
    Purpose.MEMBER_REMOVED: members.removed_again,
    Purpose.MEMBER_LEFT: members.left_again,
    **association.RESENDERS,  # the association's notices (issue 11)
}


class Kanoon:
    def __init__(self, settings: Settings, deps: Deps | None = None) -> None:
        self.settings = settings
        self.engine: AsyncEngine = create_engine(settings.database_url)
        self.deps = deps or Deps(settings=settings, sessions=session_factory(self.engine))
        self.applications: dict[Platform, Application] = {}
        self.scheduler = Scheduler(self.deps)
        self.deps.scheduler = self.scheduler
        self.deps.resenders = dict(RESENDERS)

    async def start(self, poll_interval: float = 0.0) -> None:
        await migrate.upgrade_or_explain(self.engine)
        await delivery.release_abandoned(self.deps)  # before anything can send
        for platform in self.settings.platforms:
            application = build_application(platform, self.deps)
            try:
                await application.initialize()  # calls getMe: the token is checked here
            except InvalidToken:
                raise ConfigError(
                    f"{platform.upper()}_TOKEN was rejected by the {platform} Bot API; check the token in .env."
                ) from None
            except NetworkError as exc:
                raise ConfigError(
                    f"Cannot reach the {platform} Bot API at {self.settings.api_url_for(platform)} ({exc}); "
                    f"check the network or {platform.upper()}_API_URL."
                ) from None
            self.applications[platform] = application
            self.deps.messengers[platform] = Messenger(platform, application.bot)
            self.deps.bot_usernames[platform] = application.bot.username
        for platform, application in self.applications.items():
            await self.deps.messengers[platform].set_commands(
                [BotCommand(c, str(t(f"cmd-{c}"))) for c in COMMANDS]
            )
            await application.start()
            await application.updater.start_polling(
                poll_interval=poll_interval, timeout=30, drop_pending_updates=False,
                allowed_updates=["message", "callback_query"],
            )
            log.info("serving %s as @%s", platform, application.bot.username)
        # After the bots: armed jobs may send as soon as they are armed (overdue reminders).
        await self.scheduler.start(PERIODIC, AT_START)

    async def stop(self) -> None:
        # First let broadcasts finish their in-flight sends (the rest stays pending for next start).
        await self.deps.background.stop()
        self.scheduler.stop()
        for platform, application in self.applications.items():
            try:
                if application.updater and application.updater.running:
                    await application.updater.stop()
                if application.running:
                    await application.stop()
                await application.shutdown()  # flushes persistence
            except Exception:  # one platform failing to stop must not keep the other running
                log.exception("stopping %s failed", platform)
        self.applications.clear()
        await self.engine.dispose()
