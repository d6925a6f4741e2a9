"""An admin suspends or reactivates a center with a reason (callbacks ad:sus:<id>, ad:re:<id>
on its full card). One step, REASON; the leader and assistant are told why."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import association
from bot.conversations import common
from bot.conversations.admin_common import is_admin, refuse
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button_data, inline, label, main_menu, reply, reply_keyboard
from bot.services.association import REASON_MAX, REASON_MIN
from bot.services.refusals import Refusal
from bot.views.association import refusal_text

REASON = "adm_reason"
DRAFT = "center_status"  # user_data: {"center_id", "action": "suspend" | "reactivate"}
RULE = TextRule(max_len=REASON_MAX, min_len=REASON_MIN, multiline=True)


async def begin(update: Update, context: KanoonContext) -> str | int:
    if not is_admin(update, context):
        await refuse(update, context)
        return END
    data = button_data(update)
    suspend, reactivate = cb.ADMIN_SUSPEND.parse(data), cb.ADMIN_REACTIVATE.parse(data)
    parsed = suspend or reactivate
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        card = await association.card(context.deps, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return END
    await answer(update, context)
    action = "suspend" if suspend else "reactivate"
    context.person_data[DRAFT] = {"center_id": parsed[0], "action": action}
    await reply(update, context, t(f"adm-{action}-ask", name=card.center.name), reply_keyboard([label("btn-cancel")]))
    return REASON


async def on_reason(update: Update, context: KanoonContext) -> str | int:
    if not is_admin(update, context) or context.me is None:
        await refuse(update, context)
        return END
    reason, problem = read_text(update, RULE)
    if reason is None:
        assert problem is not None
        await reply(update, context, problem)
        return REASON
    draft = context.person_data.get(DRAFT) or {}
    clear_draft(context, DRAFT)
    if not draft.get("center_id"):
        await reply(update, context, t("button-stale"), main_menu())
        return END
    act = association.suspend if draft.get("action") == "suspend" else association.reactivate
    try:
        change = await act(context.deps, context.me, draft["center_id"], reason)
    except Refusal as refusal:
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    done = "adm-suspended" if draft.get("action") == "suspend" else "adm-reactivated"
    await reply(update, context, t(done, name=change.center.name), main_menu())
    await reply(update, context, t("adm-open-card-hint"),
                inline([(label("adm-btn-open-card"), cb.ADMIN_CENTER.build(draft["center_id"]))]))
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="center_status",
        allow_reentry=True,
        entry_points=[
            CallbackQueryHandler(begin, pattern=cb.ADMIN_SUSPEND.matches),
            CallbackQueryHandler(begin, pattern=cb.ADMIN_REACTIVATE.matches),
        ],
        back={REASON: None},  # one question: «❌ انصراف» only
        states={REASON: [MessageHandler(FREE_TEXT, on_reason)]},
        fallbacks=common.fallbacks(DRAFT),
    )]
