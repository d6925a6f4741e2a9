"""/mycenter and the «کانون من» button: the card that fits who is asking."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler

from bot.ptb.context import KanoonContext
from bot.db.repo import centers as centers_repo
from bot.db.repo import memberships as memberships_repo
from bot.handlers import center_card, member_card
from bot.persian.catalog import t
from bot.ptb.ui import button, main_menu, reply


async def my_center(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        center = await centers_repo.run_by(session, context.me.id)
        membership = None if center else await memberships_repo.current_for(session, context.me.id)
    if center is not None:  # leader or assistant: the managing card
        await center_card.show(update, context, center)
    elif membership is not None:  # a member, or someone whose request is pending
        await member_card.show(update, context, membership)
    else:
        await reply(update, context, t("mycenter-none"), main_menu())


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("mycenter", my_center),
        MessageHandler(button("menu-mycenter"), my_center),
    ]
