"""An admin finds a center (callback ad:s): by its code, or by name with the same tolerant
search members use. One step; the results are buttons to each center's full card (ad:c:…)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import association
from bot.conversations import common
from bot.conversations.admin_common import is_admin, refuse
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, label, main_menu, reply, reply_keyboard
from bot.views import association as views

QUERY = "adm_query"
RULE = TextRule(max_len=64, min_len=2)


async def begin(update: Update, context: KanoonContext) -> str | int:
    if not is_admin(update, context):
        await refuse(update, context)
        return END
    await answer(update, context)
    await reply(update, context, t("adm-search-ask"), reply_keyboard([label("btn-cancel")]))
    return QUERY


async def on_query(update: Update, context: KanoonContext) -> str | int:
    if not is_admin(update, context):
        await refuse(update, context)
        return END
    typed, problem = read_text(update, RULE)
    if typed is None:
        assert problem is not None
        await reply(update, context, problem)
        return QUERY
    found = await association.search(context.deps, typed)
    if not found.centers:
        await reply(update, context, t("adm-search-none"))
        return QUERY
    await reply(update, context, t("adm-search-done"), main_menu())
    await reply(update, context, *views.search_results(found.centers, found.more))
    return END


def handlers() -> list[Handler]:
    return [common.conversation(
        name="admin_search",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=cb.ADMIN_SEARCH.matches)],
        back={QUERY: None},  # one question: «❌ انصراف» only
        states={QUERY: [MessageHandler(FREE_TEXT, on_query)]},
        fallbacks=common.fallbacks(),
    )]
