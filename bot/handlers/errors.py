"""The global error handler: log the failure with its context, apologise to the user."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.actions import users
from bot.persian.catalog import t
from bot.platforms import is_unreachable
from bot.ptb.context import KanoonContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: KanoonContext) -> None:
    sender = update.effective_user if isinstance(update, Update) else None
    if isinstance(context.error, TelegramError) and is_unreachable(context.error) and sender:
        # The user blocked the bot: nothing to apologise to; remember it so broadcasts skip them.
        log.info("user has blocked the bot: %s", context.error)
        await users.note_blocked(context.deps, context.platform, sender.id)
        return
    log.error("unhandled error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query:
            await context.messenger.answer_callback(update.callback_query.id)
        await context.messenger.send(update.effective_chat.id, t("error-apology"))
    except TelegramError as exc:  # the apology itself failed (blocked, API down): nothing more to do
        log.warning("could not send the apology: %s", exc)
