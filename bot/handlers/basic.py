"""/start, /help, /cancel, the help button, and the hint for anything not understood."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.ptb.context import KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import reading_of
from bot.persian.catalog import t
from bot import callbacks
from bot.actions import joining
from bot.ptb.ui import answer, button, inline, label, main_menu, reply

log = logging.getLogger(__name__)


async def start(update: Update, context: KanoonContext) -> None:
    # Payloads with a known prefix are taken by their feature's handler, registered earlier;
    # what reaches here is a plain /start or a link we do not (or no longer) understand.
    if context.args:
        log.info("unrecognised start payload %r", context.args[0][:64])
        await reply(update, context, t("start-bad-link"))
    await reply(update, context, t("welcome", name=context.me.first_name if context.me else ""), main_menu())


async def help_(update: Update, context: KanoonContext) -> None:
    """A short help for who this person is: newcomer, member, assistant or leader (buttons, no commands)."""
    place = await joining.place_of(context.deps, context.me) if context.me else None
    if place is not None and place.staff is not None and not place.staff.is_assistant:
        await reply(update, context, t("help-leader"), main_menu())
        await reply(update, context, t("help-leader-buttons"), inline(
            [(label("campaigns-btn-new"), callbacks.CREATE_CAMPAIGN.build()),
             (label("campaigns-btn-announce"), callbacks.CREATE_ANNOUNCEMENT.build())]))
        return
    key = ("help-assistant" if place and place.staff else "help-member" if place and place.current else "help-newcomer")
    await reply(update, context, t(key), main_menu())


async def cancel_outside(update: Update, context: KanoonContext) -> None:
    # Conversations handle /cancel themselves; here there was nothing in progress.
    await reply(update, context, t("cancel-nothing"), main_menu())


async def unknown(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("unknown"), main_menu())


async def free_text(update: Update, context: KanoonContext) -> None:
    """Text no feature took: greet back, thank back, help, the menu; else «not understood».
    (Joining, registering, «کانون من»، «پویش‌ها»… are read by their own features' handlers,
    registered earlier with IntentIs; what reaches here means none of those.)"""
    intent = reading_of(update.effective_message).intent
    if intent is Intent.HELP:
        await help_(update, context)
    elif intent in REPLIES:
        await reply(update, context, t(REPLIES[intent]), main_menu())
    else:
        await unknown(update, context)


async def not_text(update: Update, context: KanoonContext) -> None:
    """A voice note, a photo, a sticker… at the main menu: one friendly line and the menu."""
    await reply(update, context, t("menu-not-text"), main_menu())


# What the main menu answers to words that need no feature (catalog keys).
REPLIES = {
    Intent.GREETING: "menu-greeting",
    Intent.THANKS: "menu-thanks",
    Intent.MENU: "menu-shown",
    Intent.CANCEL: "cancel-nothing",
    Intent.BACK: "menu-shown",
}


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
        MessageHandler(filters.TEXT & ~filters.COMMAND, free_text),
        MessageHandler(filters.COMMAND, unknown),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, not_text),
    ]
