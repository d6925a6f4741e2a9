"""Anyone in a center (its leader, its assistant, a member) asks its facilitator (callback
qa:ask, «💬 پرسش از رهیار» on the center card): one step, TEXT (at most 1,000 letters). The
question reaches the facilitator with the asker's name, role and center — never a phone
number — and a «✍️ پاسخ» button. The draft's key is the question's request_key: asked once."""

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
from bot.ptb.ui import answer, label, main_menu, reply, reply_keyboard
from bot.services.facilitation import QUESTION_MAX, TEXT_MIN
from bot.services.refusals import Refusal
from bot.views.association import refusal_text

TEXT = "qa_text"
DRAFT = "question_draft"  # user_data: {"key"}
RULE = TextRule(max_len=QUESTION_MAX, min_len=TEXT_MIN, multiline=True)


async def begin(update: Update, context: KanoonContext) -> str | int:
    if context.me is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        where = await facilitation.asking(context.deps, context.me)
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return END
    await answer(update, context)
    context.person_data[DRAFT] = {"key": new_key()}
    await reply(update, context, t("qa-ask", name=where.name, limit=QUESTION_MAX),
                reply_keyboard([label("btn-cancel")]))
    return TEXT


async def on_text(update: Update, context: KanoonContext) -> str | int:
    body, problem = read_text(update, RULE)
    if body is None:
        assert problem is not None
        await reply(update, context, problem)
        return TEXT
    draft = context.person_data.get(DRAFT) or {}
    if not draft.get("key") or context.me is None:
        clear_draft(context, DRAFT)
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        done = await facilitation.ask(context.deps, context.me, body, draft["key"])
    except Refusal as refusal:
        clear_draft(context, DRAFT)
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    clear_draft(context, DRAFT)
    name = done.asked.asking.name
    if not done.reached:
        text = t("qa-unreachable-facilitator", name=name)
    else:
        text = t("qa-sent" if done.asked.made else "qa-already", name=name)
    await reply(update, context, text, main_menu())
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="ask_facilitator",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=cb.QUESTION_ASK.matches)],
        back={TEXT: None},  # one question: «❌ انصراف» only
        states={TEXT: [MessageHandler(FREE_TEXT, on_text)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
