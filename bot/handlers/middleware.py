"""Runs around every update: who is this (group -1), and persist what changed (last group)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.actions import association, users
from bot.logs import current_actor
from bot.ptb.context import KanoonContext
from bot.ptb.ui import MENU_EXTRAS
from bot.services.users import Profile

FIRST_GROUP = -1
LAST_GROUP = 100


async def identify(update: Update, context: KanoonContext) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        # Everything here is one person and the bot (mobiles, decisions); in a group the bot
        # would show them to everyone, so it stays silent there.
        raise ApplicationHandlerStop
    sender = update.effective_user
    if sender is None or sender.is_bot:
        return
    current_actor.set(f"{context.platform}:{sender.id}")
    profile = Profile(
        platform=context.platform, platform_user_id=sender.id, first_name=sender.first_name or "",
        last_name=sender.last_name, username=sender.username,
    )
    context.me, facilitates = await users.identify(context.deps, profile)
    MENU_EXTRAS.set(association.menu_extras_of(context.deps, context.me, facilitates))  # «🏛 انجمن», «🧭 رهیاری»


async def persist(update: Update, context: KanoonContext) -> None:
    # PTB only writes persistence every `update_interval`; writing after each update means a
    # crash loses nothing the user already saw acknowledged. Only changed entries are written.
    await context.application.update_persistence()


def handlers() -> list[tuple[int, BaseHandler[Any, Any, Any]]]:
    return [
        (FIRST_GROUP, TypeHandler(Update, identify)),
        (LAST_GROUP, TypeHandler(Update, persist)),
    ]
