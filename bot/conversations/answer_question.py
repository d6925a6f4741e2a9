"""A facilitator answers a question («✍️ پاسخ», callback qa:ans:<id>): one step, TEXT. The
answer reaches the asker; a question already answered is not answered twice (a conditional
UPDATE), and an asker who blocked the bot is reported, not retried."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import facilitation
from bot.conversations import common
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button_data, label, main_menu, reply, reply_keyboard
from bot.services.facilitation import ANSWER_MAX, TEXT_MIN
from bot.services.refusals import Refusal
from bot.views.association import refusal_text
from bot.views.centers import person_name

TEXT = "qa_answer"
DRAFT = "answer_draft"  # user_data: {"question_id"}
RULE = TextRule(max_len=ANSWER_MAX, min_len=TEXT_MIN, multiline=True)


async def begin(update: Update, context: KanoonContext) -> str | int:
    parsed = cb.QUESTION_ANSWER.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        view = await facilitation.answerable(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return END
    await answer(update, context)
    context.person_data[DRAFT] = {"question_id": parsed[0]}
    await reply(update, context, t("qa-answer-ask", name=person_name(view.asker)),
                reply_keyboard([label("btn-cancel")]))
    return TEXT


async def on_text(update: Update, context: KanoonContext) -> str | int:
    text, problem = read_text(update, RULE)
    if text is None:
        assert problem is not None
        await reply(update, context, problem)
        return TEXT
    draft = context.person_data.get(DRAFT) or {}
    clear_draft(context, DRAFT)
    if not draft.get("question_id") or context.me is None:
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        done = await facilitation.answer(context.deps, context.me, draft["question_id"], text)
    except Refusal as refusal:
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    name = person_name(done.view.asker)
    await reply(update, context, t("qa-answer-sent" if done.reached else "qa-unreachable-asker", name=name),
                main_menu())
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="answer_question",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=cb.QUESTION_ANSWER.matches)],
        back={TEXT: None},  # one question: «❌ انصراف» only
        states={TEXT: [MessageHandler(FREE_TEXT, on_text)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
