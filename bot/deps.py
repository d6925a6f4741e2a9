"""What every handler and job needs, shared by the Telegram and Bale applications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.sending.background import Background
from bot.db.engine import SessionFactory
from bot.platforms import Messenger, Platform, deep_link
from bot.settings import Settings
from bot.persian.text import utcnow


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
    scheduler: Any = None
    # Broadcasts and other work that outlives an update; stopped first when the bot stops.
    background: Background = field(default_factory=Background)

    def links(self, payload: str) -> dict[Platform, str]:
        """A deep link per platform the bot serves, for invitations to forward anywhere."""
        return {p: deep_link(p, name, payload) for p, name in self.bot_usernames.items()}

    def messenger(self, platform: str | Platform) -> Messenger:
        return self.messengers[Platform(platform)]
