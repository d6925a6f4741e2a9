"""What the admins' conversations (and bot/handlers/admin.py) share: who is an admin, the
refusal everyone else gets, and the draft key that makes a finishing step happen once."""

from __future__ import annotations

from uuid import uuid4

from telegram import Update

from bot.actions import association
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, reply


def is_admin(update: Update, context: KanoonContext) -> bool:
    """From the person tapping or typing, never from anything in the data."""
    sender = update.effective_user
    return sender is not None and association.is_admin(context.deps, context.platform, sender.id)


async def refuse(update: Update, context: KanoonContext) -> None:
    """What anyone but an admin gets for anything of the association's."""
    if update.callback_query is not None:
        await answer(update, context, t("adm-only"), alert=True)
    else:
        await reply(update, context, t("adm-only"))


def new_key() -> str:
    """A draft's key, made when the draft starts: its finishing step passes it as request_key."""
    return uuid4().hex


def has_letters(text: str, at_least: int = 2) -> bool:
    """A name needs letters: emoji or punctuation alone is no name."""
    return sum(ch.isalpha() for ch in text) >= at_least
