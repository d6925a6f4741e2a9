"""/start, /help, /cancel, the help button, and the hint for anything not understood."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.ptb.context import KanoonContext
from bot.persian.catalog import t
from bot.ptb.ui import answer, button, main_menu, reply

log = logging.getLogger(__name__)


async def start(update: Update, context: KanoonContext) -> None:
    # Payloads with a known prefix are taken by their feature's handler, registered earlier;
    # what reaches here is a plain /start or a link we do not (or no longer) understand.
    if context.args:
        log.info("unrecognised start payload %r", context.args[0][:64])
        await reply(update, context, t("start-bad-link"))
    await reply(update, context, t("welcome", name=context.me.first_name if context.me else ""), main_menu())


async def help_(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("help"), main_menu())


async def cancel_outside(update: Update, context: KanoonContext) -> None:
    # Conversations handle /cancel themselves; here there was nothing in progress.
    await reply(update, context, t("cancel-nothing"), main_menu())


async def unknown(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("unknown"), main_menu())


async def stale_button(update: Update, context: KanoonContext) -> None:
    # A button from an old message, or from a conversation that has ended.
    await answer(update, context, t("button-stale"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_),
        MessageHandler(button("menu-help"), help_),
        CommandHandler("cancel", cancel_outside),
    ]


def fallback_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered last: whatever no feature took."""
    return [
        CallbackQueryHandler(stale_button),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, unknown),
    ]
