"""The association's seat for its admins: /admin and «🏛 انجمن» (figures at a glance), the
weekly chart, figures by facilitation organisation, a center's full card, taking a
facilitator off a center, the export, an announcement's report.

Callback data ad:… (bot/callbacks.py). Every handler here, and every entry of the admin
conversations, first checks that the *person tapping or typing* is in ADMIN_IDS; an admin's
button forwarded to or replayed by anyone else is refused. docs/association.md.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from functools import wraps

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import association
from bot.conversations.admin_common import is_admin, refuse
from bot.persian.catalog import t
from bot.platforms import parse_mode
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button, button_data, reply
from bot.services.refusals import Refusal
from bot.views import association as views
from bot.views.association import refusal_text

Callback = Callable[[Update, KanoonContext], Coroutine[Any, Any, object]]


def admins_only(handler: Callback) -> Callback:
    @wraps(handler)
    async def guarded(update: Update, context: KanoonContext) -> object:
        if not is_admin(update, context):
            await refuse(update, context)
            return None
        return await handler(update, context)

    return guarded


async def _show(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """In place of the tapped message, or as a new one for a command or a menu button."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


# --- figures ----------------------------------------------------------------------------------------


async def _figures(update: Update, context: KanoonContext, org_id: int | None) -> None:
    try:
        found = await association.figures(context.deps, org_id)
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    await answer(update, context)
    now, tz = context.deps.clock(), context.deps.settings.tz
    await _show(update, context, views.figures_text(found, now, tz), views.figures_buttons(org_id))


@admins_only
async def home(update: Update, context: KanoonContext) -> None:
    await _figures(update, context, None)


@admins_only
async def figures(update: Update, context: KanoonContext) -> None:
    parsed = cb.ADMIN_FIGURES.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    await _figures(update, context, parsed[0] or None)


@admins_only
async def chart(update: Update, context: KanoonContext) -> None:
    parsed, chat = cb.ADMIN_CHART.parse(button_data(update)), update.effective_chat
    if parsed is None or chat is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        png, caption = await association.chart(context.deps, parsed[0] or None)
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    await answer(update, context)
    await context.bot.send_photo(
        chat.id, photo=png, caption=context.messenger.render(caption),
        parse_mode=parse_mode(context.platform),
    )


@admins_only
async def orgs(update: Update, context: KanoonContext) -> None:
    found = await association.orgs(context.deps)
    await answer(update, context)
    text = t("adm-orgs-title") if found else t("adm-orgs-none")
    await _show(update, context, text, views.orgs_buttons(found))


# --- a center -----------------------------------------------------------------------------------------


async def show_card(update: Update, context: KanoonContext, center_id: int) -> None:
    try:
        card = await association.card(context.deps, center_id)
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    await answer(update, context)
    deps = context.deps
    text = views.admin_card_text(card, deps.clock(), deps.settings.tz)
    await _show(update, context, text, views.admin_card_buttons(card))


@admins_only
async def center(update: Update, context: KanoonContext) -> None:
    parsed = cb.ADMIN_CENTER.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    await show_card(update, context, parsed[0])


@admins_only
async def ask_remove_facilitator(update: Update, context: KanoonContext) -> None:
    parsed = cb.ADMIN_REMOVE_FACILITATOR.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        card = await association.card(context.deps, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    if card.facilitator is None:
        await answer(update, context, t("adm-refusal-no_facilitator"), alert=True)
        return
    await answer(update, context)
    await _show(update, context, *views.remove_confirm(card))


@admins_only
async def remove_facilitator(update: Update, context: KanoonContext) -> None:
    parsed = cb.ADMIN_REMOVE_FACILITATOR_CONFIRM.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        removed = await association.remove_facilitator(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    await answer(update, context, t("adm-removed", name=removed.name))
    await show_card(update, context, parsed[0])


# --- the export and the announcement's report ---------------------------------------------------------------


@admins_only
async def export(update: Update, context: KanoonContext) -> None:
    """The every-center file, made and sent in the background (bot/actions/association.send_export)."""
    parsed, chat = cb.ADMIN_EXPORT.parse(button_data(update)), update.effective_chat
    if parsed is None or context.me is None or chat is None:
        await answer(update, context, t("button-stale"))
        return
    deps, kind, chat_id = context.deps, parsed[0], chat.id

    async def send(made: association.Export) -> None:
        caption = views.export_caption(kind.upper(), made.count, deps.clock(), deps.settings.tz)
        await context.bot.send_document(
            chat_id, document=made.content, filename=made.filename,
            caption=context.messenger.render(caption), parse_mode=parse_mode(context.platform),
        )

    async def failed() -> None:
        await context.messenger.send(chat_id, t("adm-export-failed"))

    started = association.send_export(deps, context.me, kind, send, failed)
    await answer(update, context, t("adm-export-wait" if started else "adm-export-busy"))


@admins_only
async def report(update: Update, context: KanoonContext) -> None:
    parsed = cb.ADMIN_ANNOUNCE_REPORT.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    await answer(update, context)
    await association.refresh_report(context.deps, parsed[0])


@admins_only
async def stale(update: Update, context: KanoonContext) -> None:
    """An admin's button whose data no handler took (an old or broken one)."""
    await answer(update, context, t("button-stale"))


def handlers() -> list[Handler]:
    return [
        CommandHandler("admin", home),
        MessageHandler(button("menu-admin"), home),
        CallbackQueryHandler(figures, pattern=cb.ADMIN_FIGURES.matches),
        CallbackQueryHandler(chart, pattern=cb.ADMIN_CHART.matches),
        CallbackQueryHandler(orgs, pattern=cb.ADMIN_ORGS.matches),
        CallbackQueryHandler(center, pattern=cb.ADMIN_CENTER.matches),
        CallbackQueryHandler(ask_remove_facilitator, pattern=cb.ADMIN_REMOVE_FACILITATOR.matches),
        CallbackQueryHandler(remove_facilitator, pattern=cb.ADMIN_REMOVE_FACILITATOR_CONFIRM.matches),
        CallbackQueryHandler(export, pattern=cb.ADMIN_EXPORT.matches),
        CallbackQueryHandler(report, pattern=cb.ADMIN_ANNOUNCE_REPORT.matches),
        # Last: any other ad:… data (a conversation's button outside it, a forged one): refused
        # for anyone but an admin, stale for an admin.
        CallbackQueryHandler(stale, pattern=r"^ad:"),
    ]
