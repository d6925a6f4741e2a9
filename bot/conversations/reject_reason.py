"""Rejecting a join request with the assistant's own words («دلیل دیگر», REQUEST_REJECT_OWN_WORDS).

One step, NOTE: the assistant writes the reason; the request is rejected with it, the
applicant is told, and the request message (remembered by id) shows the decision.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot.actions import joining
from bot.callbacks import REQUEST_REJECT_OWN_WORDS
from bot.conversations import common
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.db.models import User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, label, main_menu, reply, reply_keyboard
from bot.services.memberships import NOTE_MAX, REJECT_OTHER
from bot.views import joining as views

NOTE = "note"
DRAFT = "reject_note"  # user_data key: {"membership_id", "chat_id", "message_id"}
RULE = TextRule(max_len=NOTE_MAX, min_len=2)


def _me(context: KanoonContext) -> User:
    assert context.me is not None  # the middleware sets it for every update with a user
    return context.me


async def start(update: Update, context: KanoonContext) -> str | int | None:
    query = update.callback_query
    parsed = REQUEST_REJECT_OWN_WORDS.parse(query.data if query else None)
    if query is None or parsed is None:  # the entry's pattern parsed it already
        await answer(update, context, t("button-stale"))
        return None
    membership_id = parsed[0]
    try:
        await joining.request_to_decide(context.deps, _me(context), membership_id)
    except joining.NotDecided as refusal:
        # Why nothing changed; a stale tap by the assistant also brings the message up to date.
        await answer(update, context, views.decision_answer(refusal.decision.outcome))
        refreshed = views.refreshed_request(refusal.decision, context.deps.settings.tz)
        if refreshed is not None and query.message is not None:
            await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, refreshed)
        clear_draft(context, DRAFT)
        return END
    await answer(update, context)
    message = query.message
    assert message is not None and context.user_data is not None
    context.user_data[DRAFT] = {"membership_id": membership_id, "chat_id": message.chat.id,
                                "message_id": message.message_id}
    await reply(update, context, t("rq-ask-note"), reply_keyboard([label("btn-cancel")]))
    return NOTE


async def on_note(update: Update, context: KanoonContext) -> str | int:
    note, error = read_text(update, RULE)
    if error is not None:
        await reply(update, context, error)
        return NOTE
    draft = (context.user_data or {}).get(DRAFT) or {}
    clear_draft(context, DRAFT)
    try:
        decided = await joining.decide_request(context.deps, _me(context), draft["membership_id"], False,
                                               reason=REJECT_OTHER, note=note)
    except joining.NotDecided as refusal:  # decided meanwhile (another device), or no longer theirs
        await reply(update, context, views.decision_answer(refusal.decision.outcome), main_menu())
        return END
    await reply(update, context, t("rq-note-saved"), main_menu())
    text = views.decided_text(decided.decision, context.deps.settings.tz, unreachable=not decided.reached)
    await context.messenger.edit_or_send(draft["chat_id"], draft["message_id"], text)
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="reject_note",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(start, pattern=REQUEST_REJECT_OWN_WORDS.matches)],
        back={NOTE: None},  # one question: «❌ انصراف» only
        states={NOTE: [MessageHandler(FREE_TEXT, on_note)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
