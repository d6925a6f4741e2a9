"""Rejecting a join request with the assistant's own words («دلیل دیگر», callback rq:o:<id>).

One step, NOTE: the assistant writes the reason; the request is rejected with it, the
applicant is told, and the request message (remembered by id) shows the decision.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot.ptb.context import KanoonContext
from bot.conversations import common
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.views import joining as views
from bot.handlers import requests
from bot.persian.catalog import t
from bot.services import memberships as svc
from bot.ptb.ui import answer, label, main_menu, reply, reply_keyboard

NOTE = "note"
DRAFT = "reject_note"  # user_data key: {"membership_id", "chat_id", "message_id"}
RULE = TextRule(max_len=svc.NOTE_MAX, min_len=2)


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    membership_id = int(update.callback_query.data.split(":")[2])
    async with context.sessions() as session:
        blocker = await svc.why_not_decide(session, membership_id, context.me.id)
    if blocker is not None:
        await requests.show_outcome(update, context, blocker)
        clear_draft(context, DRAFT)
        return END
    await answer(update, context)
    message = update.callback_query.message
    context.user_data[DRAFT] = {"membership_id": membership_id, "chat_id": message.chat.id,
                                "message_id": message.message_id}
    await reply(update, context, t("rq-ask-note"), reply_keyboard([label("btn-cancel")]))
    return NOTE


async def on_note(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    note, error = read_text(update, RULE)
    if error is not None:
        await reply(update, context, error)
        return NOTE
    draft = context.user_data.get(DRAFT) or {}
    clear_draft(context, DRAFT)
    async with context.sessions() as session:
        decision = await svc.decide(session, draft["membership_id"], context.me.id, False, context.deps.clock(),
                                    reason=svc.REJECT_OTHER, note=note)
    if decision.made:
        await reply(update, context, t("rq-note-saved"), main_menu())
        await requests.settle(context, decision, draft["chat_id"], draft["message_id"])
    else:  # decided meanwhile (another device), or no longer theirs to decide
        await reply(update, context, views.decision_answer(decision.outcome), main_menu())
    return END


def handlers() -> list[BaseHandler]:
    return [common.conversation(
        name="reject_note",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(start, pattern=r"^rq:o:\d+$")],
        states={NOTE: [MessageHandler(FREE_TEXT, on_note)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
