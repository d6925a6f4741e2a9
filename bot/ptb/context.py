"""The typed context handlers receive (PTB's `contexttypesbot` pattern)."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.db.models import User
from bot.deps import Deps
from bot.platforms import Messenger, Platform


class KanoonContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        # Set by the middleware for each update that has a user.
        self.me: User | None = None

    @property
    def deps(self) -> Deps:
        return self.application.bot_data["deps"]

    @property
    def platform(self) -> Platform:
        return self.application.bot_data["platform"]

    @property
    def messenger(self) -> Messenger:
        return self.deps.messengers[self.platform]

    @property
    def sessions(self):  # noqa: ANN201
        return self.deps.sessions
