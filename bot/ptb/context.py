"""The typed context handlers receive (PTB's `contexttypesbot` pattern), and the PTB generics
spelled once: the Application, its handlers and conversations as this bot builds them."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import Application, BaseHandler, CallbackContext, ConversationHandler, ExtBot

from bot.db.engine import SessionFactory
from bot.db.models import User
from bot.deps import Deps
from bot.platforms import Messenger, Platform
from bot.sending.ratelimit import SendArgs

# PTB's default dicts (ContextTypes(context=KanoonContext)); user_data is kept as JSON in the
# database (bot/ptb/persistence.py), bot_data holds "deps" and "platform" (bot/app.py).
UserData: TypeAlias = dict[Any, Any]
ChatData: TypeAlias = dict[Any, Any]
BotData: TypeAlias = dict[Any, Any]
# One conversation's answers so far, kept in user_data under the conversation's key.
Draft: TypeAlias = dict[str, Any]
# The bot of every Application here: an ExtBot whose rate limiter reads SendArgs.
KanoonBot: TypeAlias = ExtBot[SendArgs]


class KanoonContext(CallbackContext[KanoonBot, UserData, ChatData, BotData]):
    def __init__(self, application: KanoonApp, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        # Set by the middleware for each update that has a user.
        self.me: User | None = None

    @property
    def deps(self) -> Deps:
        deps = self.application.bot_data["deps"]
        assert isinstance(deps, Deps)
        return deps

    @property
    def platform(self) -> Platform:
        return Platform(self.application.bot_data["platform"])

    @property
    def messenger(self) -> Messenger:
        return self.deps.messengers[self.platform]

    @property
    def sessions(self) -> SessionFactory:
        return self.deps.sessions

    @property
    def person_data(self) -> UserData:
        """user_data, in handlers that only see a person's updates (conversation steps, buttons,
        commands in a private chat): PTB types it Optional for updates without a user."""
        data = self.user_data
        assert data is not None, "an update without a user"
        return data


# The job queue: PTB's default, unused here (bot/jobs/scheduler.py runs the timed work); the
# builder types it over a plain CallbackContext, so it is left open.
KanoonApp: TypeAlias = Application[KanoonBot, KanoonContext, UserData, ChatData, BotData, Any]
# What handler modules return for bot/app.py to register.
Handler: TypeAlias = BaseHandler[Update, KanoonContext, Any]
Conversation: TypeAlias = ConversationHandler[KanoonContext]
