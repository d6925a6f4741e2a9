"""/mycenter and the «کانون من» button: the card that fits who is asking.

Leader or assistant: the managing card (bot/views/centers.py). A member, or someone whose
request is pending: the member's card (bot/views/joining.py), with «leave» or «withdraw».
A supporter (حامی) of other centers: a card per center they back, with «ترک حمایت» (issue 13).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot.actions import charity, joining, registration
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import button, main_menu, reply
from bot.services.users import id_of
from bot.views import centers as views
from bot.views import charity as charity_views


async def my_center(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    deps = context.deps
    card = await registration.card_of(deps, context.me)
    member = None if card is not None else await joining.member_card(deps, context.me)
    if card is not None:  # leader or assistant: the managing card
        await reply(update, context, *views.card_message(card, id_of(context.me), deps.clock(), deps.settings.tz))
    elif member is not None:  # a member, or someone whose request is pending
        await reply(update, context, *member)
    # The centers this person backs from outside (issue 13), each with «ترک حمایت».
    supported = await charity.supported_centers(deps, context.me)
    for row, center in supported:
        await reply(update, context, *charity_views.supporter_card(row, center, deps.settings.tz))
    if card is None and member is None and not supported:
        await reply(update, context, t("mycenter-none"), main_menu())


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [
        CommandHandler("mycenter", my_center),
        MessageHandler(button("menu-mycenter"), my_center),
        MessageHandler(IntentIs(Intent.MY_CENTER), my_center),  # «کانون من کجاست»، «لغو عضویت»
    ]
