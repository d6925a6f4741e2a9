"""The invited person's side: opening the link (`/start a-<token>`) and declining.

Accepting is a conversation (bot/conversations/assistant_invite.py): the name and mobile.
The token in the link is the capability; the buttons carry it back, and every tap is checked
again against the database (used, expired, cancelled, the leader themself…).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import links
from bot.ptb.context import KanoonContext
from bot.sending.delivery import notify
from bot.views.centers import invitation_card, person_name
from bot.persian.catalog import t
from bot.services import centers
from bot.services.centers import Problem
from bot.ptb.ui import answer, inline, label, main_menu, reply

log = logging.getLogger(__name__)

TOKEN_RE = r"[A-Za-z0-9_-]{8,40}"


def decision_buttons(token: str):  # noqa: ANN201
    return inline([(label("reg-btn-accept"), f"iv:ok:{token}"), (label("reg-btn-decline"), f"iv:no:{token}")])


async def open_invitation(update: Update, context: KanoonContext) -> None:
    token = links.payload_after(links.ASSISTANT_INVITE, context.args) or ""
    try:
        async with context.sessions() as session:
            view = await centers.inspect_invitation(session, token, context.me.id, context.deps.clock())
    except Problem as problem:
        await reply(update, context, t(f"reg-problem-{problem.reason}"), main_menu())
        return
    await reply(update, context, invitation_card(view.center, view.leader), decision_buttons(token))


async def decline(update: Update, context: KanoonContext) -> None:
    query = update.callback_query
    token = query.data.removeprefix("iv:no:")
    deps = context.deps
    try:
        async with context.sessions() as session:
            view = await centers.decline_invitation(session, token, context.me.id, deps.clock())
    except Problem as problem:
        await answer(update, context)
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, t(f"reg-problem-{problem.reason}")
        )
        return
    await answer(update, context)
    card = invitation_card(view.center, view.leader)
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, t("reg-invitation-declined", card=card)
    )
    await notify(
        deps, view.leader,
        t("reg-declined-leader", person=person_name(context.me), name=view.center.name),
        inline([(label("reg-btn-new-invitation"), "cc:inv:again")]),
        purpose="inv-declined", ref_id=view.invitation.id,
    )


def handlers() -> list[BaseHandler]:
    """Registered before /start's own handler, which would otherwise take the link."""
    return [
        CommandHandler(
            "start", open_invitation, filters=filters.Regex(links.start_pattern(links.ASSISTANT_INVITE))
        ),
        CallbackQueryHandler(decline, pattern=rf"^iv:no:{TOKEN_RE}$"),
    ]
