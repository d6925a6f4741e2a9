"""/mycenter and the «کانون من» button: the card that fits who is asking.

Leader or assistant: the managing card (bot/views/centers.py). A member, or someone whose
request is pending: the member's card, which the joining feature renders.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot.actions import registration
# Until the joining feature renders the member's card in bot/views/joining.py (with an action
# that loads it), its handler module shows it; see member_card.show below.
from bot.handlers import member_card
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import button, main_menu, reply
from bot.services import memberships
from bot.services.users import id_of
from bot.views import centers as views


async def my_center(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    deps = context.deps
    card = await registration.card_of(deps, context.me)
    if card is not None:  # leader or assistant: the managing card
        await reply(update, context, *views.card_message(card, id_of(context.me), deps.clock(), deps.settings.tz))
        return
    async with deps.unit() as session:  # a read-only look, through the joining feature's service
        current = await memberships.current_membership(session, id_of(context.me))
    if current is not None:  # a member, or someone whose request is pending
        await member_card.show(update, context, current[0])
    else:
        await reply(update, context, t("mycenter-none"), main_menu())


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("mycenter", my_center),
        MessageHandler(button("menu-mycenter"), my_center),
    ]
