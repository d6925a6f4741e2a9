"""A facilitator writes to a center's leader and assistant (callback fc:m:<center_id> on the
center's card): one step, TEXT; the bot delivers it and says if someone could not be reached.
The draft's key (made at the start) is the message's request_key: sent once."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import facilitation
from bot.conversations import common
from bot.conversations.admin_common import new_key
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button_data, label, main_menu, reply, reply_keyboard
from bot.services.facilitation import MESSAGE_MAX, TEXT_MIN
from bot.services.refusals import Refusal
from bot.views.association import refusal_text
from bot.views.centers import person_name

TEXT = "fc_text"
DRAFT = "facilitator_message"  # user_data: {"key", "center_id"}
RULE = TextRule(max_len=MESSAGE_MAX, min_len=TEXT_MIN, multiline=True)


async def begin(update: Update, context: KanoonContext) -> str | int:
    parsed = cb.FACILITATOR_MESSAGE.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        found = await facilitation.center(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return END
    await answer(update, context)
    context.person_data[DRAFT] = {"key": new_key(), "center_id": parsed[0]}
    await reply(update, context, t("fac-message-ask", center=found.health.center.name),
                reply_keyboard([label("btn-cancel")]))
    return TEXT


async def on_text(update: Update, context: KanoonContext) -> str | int:
    body, problem = read_text(update, RULE)
    if body is None:
        assert problem is not None
        await reply(update, context, problem)
        return TEXT
    draft = context.person_data.get(DRAFT) or {}
    if not draft.get("center_id") or context.me is None:
        clear_draft(context, DRAFT)
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        done = await facilitation.message_center(context.deps, context.me, draft["center_id"], body, draft["key"])
    except Refusal as refusal:
        clear_draft(context, DRAFT)
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    clear_draft(context, DRAFT)
    text = t("fac-message-sent" if done.sent.made else "fac-message-already", center=done.sent.center.name)
    await reply(update, context, text, main_menu())
    for person in done.unreachable:
        await reply(update, context, t("fac-message-unreachable", name=person_name(person)))
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="message_center",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=cb.FACILITATOR_MESSAGE.matches)],
        back={TEXT: None},  # one question: «❌ انصراف» only
        states={TEXT: [MessageHandler(FREE_TEXT, on_text)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
