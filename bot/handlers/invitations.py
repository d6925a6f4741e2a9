"""The invited person's side: opening the link (`/start a-<token>`) and declining.

Accepting is a conversation (bot/conversations/assistant_invite.py): the name and mobile.
The token in the link is the capability; the buttons carry it back, and every tap is checked
again against the database (used, expired, cancelled, the leader themself…).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, links
from bot.actions import registration
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, main_menu, reply
from bot.services.centers import Problem
from bot.views import centers as views


async def open_invitation(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    token = links.payload_after(links.ASSISTANT_INVITE, context.args) or ""
    try:
        view = await registration.open_invitation(context.deps, context.me, token)
    except Problem as problem:
        await reply(update, context, views.problem_text(problem), main_menu())
        return
    await reply(update, context, views.invitation_card(view.center, view.leader), views.invitation_buttons(token))


async def decline(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    query = update.callback_query
    parsed = callbacks.INVITATION_DECLINE.parse(query.data) if query is not None else None
    await answer(update, context, None if parsed else t("button-stale"))
    if query is None or query.message is None or parsed is None:
        return
    (token,) = parsed
    try:
        view = await registration.decline_invitation(context.deps, context.me, token)
    except Problem as problem:
        text = views.problem_text(problem)
    else:
        text = t("reg-invitation-declined", card=views.invitation_card(view.center, view.leader))
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)


def handlers() -> list[BaseHandler]:
    """Registered before /start's own handler, which would otherwise take the link."""
    return [
        CommandHandler(
            "start", open_invitation, filters=filters.Regex(links.start_pattern(links.ASSISTANT_INVITE))
        ),
        CallbackQueryHandler(decline, pattern=callbacks.INVITATION_DECLINE.matches),
    ]
