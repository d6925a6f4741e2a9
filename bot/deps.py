"""What every handler, action and job needs, shared by the Telegram and Bale applications."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import Delivery, User
from bot.persian.text import utcnow
from bot.platforms import Messenger, Platform, ReplyMarkup, deep_link
from bot.sending.background import Background
from bot.settings import Settings

# A notice as it should read now: (text, buttons).
Rendered = tuple[str, ReplyMarkup]
# How to send a notice again that a crash or passing errors left unsent: from the row and its
# recipient, the notice as it should read *now*, or None if it no longer holds (then skipped).
Resender = Callable[["Deps", Delivery, User], Awaitable[Rendered | None]]


class Jobs(Protocol):
    """What actions need of the scheduler (bot/jobs/scheduler.py): arm and disarm one-off jobs."""

    def at(self, job_id: str, when: datetime, job: Callable[["Deps"], Awaitable[None]]) -> None: ...

    def cancel(self, job_id: str) -> None: ...


@dataclass
class Deps:
    settings: Settings
    sessions: SessionFactory
    # One per running platform: a message to a user goes through that user's platform.
    messengers: dict[Platform, Messenger] = field(default_factory=dict)
    bot_usernames: dict[Platform, str] = field(default_factory=dict)
    # Tests replace the clock to make reminders and expiry fall due without waiting.
    clock: Callable[[], datetime] = utcnow
    # The process-wide scheduler (bot/jobs/scheduler.py), set by the runner.
    scheduler: Jobs | None = None
    # Broadcasts and other work that outlives an update; stopped first when the bot stops.
    background: Background = field(default_factory=Background)
    # Delivery purpose → its resender; listed by the composition root (bot/runner.py).
    resenders: dict[str, Resender] = field(default_factory=dict)

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: a session whose changes commit together when the block ends."""
        async with unit_of_work(self.sessions) as session:
            yield session

    def links(self, payload: str) -> dict[Platform, str]:
        """A deep link per platform the bot serves, for invitations to forward anywhere."""
        return {p: deep_link(p, name, payload) for p, name in self.bot_usernames.items()}

    def messenger(self, platform: str | Platform) -> Messenger:
        return self.messengers[Platform(platform)]
