"""The center's card for a member, or for someone whose request is pending (/mycenter).

Only bot/handlers/mycenter.py uses this, until it calls `bot.actions.joining.member_card`
itself (the card is rendered by bot/views/joining.member_card); then this file goes.
"""

from __future__ import annotations

from telegram import Update

from bot.actions import joining
from bot.db.models import Membership
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import reply


async def show(update: Update, context: KanoonContext, membership: Membership) -> None:
    assert context.me is not None and membership.id is not None
    card = await joining.membership_card(context.deps, context.me, membership.id)
    text, markup = card or (t("ml-answer-changed"), None)
    await reply(update, context, text, markup)
