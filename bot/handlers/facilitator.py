"""Facilitators (رهیار): the appointment link (/start f-<token>, accept or decline), /rahyar
and «🧭 رهیاری» (their centers, those needing help first), a center's card, open questions.

Callback data fc:… (bot/callbacks.py). A center is shown only to the facilitator who serves
it now, worked out from the person tapping, never from the data. docs/association.md.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks as cb
from bot import links
from bot.actions import association, facilitation
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button, button_data, drop_buttons, main_menu, MENU_EXTRAS, reply
from bot.services.refusals import Refusal
from bot.views import facilitation as views
from bot.views.association import refusal_text


async def _show(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


# --- the appointment link ------------------------------------------------------------------------------


async def open_invitation(update: Update, context: KanoonContext) -> None:
    token = links.payload_after(links.FACILITATOR_INVITE, context.args)
    try:
        view = await facilitation.invitation(context.deps, token or "")
    except Refusal as refusal:
        await reply(update, context, refusal_text(refusal), main_menu())
        return
    await reply(update, context, *views.invitation_card(view))


async def accept(update: Update, context: KanoonContext) -> None:
    parsed = cb.FACILITATOR_ACCEPT.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        appointed = await facilitation.accept(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        await drop_buttons(update)
        return
    await answer(update, context)
    await drop_buttons(update)
    MENU_EXTRAS.set(await association.menu_extras(context.deps, context.me))  # «🧭 رهیاری» from now on
    await reply(update, context, views.welcome(appointed.facilitator.name, len(appointed.view.centers)), main_menu())


async def decline(update: Update, context: KanoonContext) -> None:
    parsed = cb.FACILITATOR_DECLINE.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        await facilitation.decline(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        await drop_buttons(update)
        return
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("fac-declined"), main_menu())


# --- the facilitator's centers -------------------------------------------------------------------------


async def _home(update: Update, context: KanoonContext, page: int) -> None:
    assert context.me is not None
    found = await facilitation.home(context.deps, context.me)
    if not found.centers and not found.open_questions:
        if update.callback_query is not None:
            await answer(update, context, t("fac-not-facilitator"), alert=True)
        else:
            await reply(update, context, t("fac-not-facilitator"))
        return
    await answer(update, context)
    await _show(update, context, *views.home(found.centers, page, found.open_questions))


async def home(update: Update, context: KanoonContext) -> None:
    await _home(update, context, 0)


async def home_page(update: Update, context: KanoonContext) -> None:
    parsed = cb.FACILITATOR_HOME.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    await _home(update, context, parsed[0])


async def center(update: Update, context: KanoonContext) -> None:
    parsed = cb.FACILITATOR_CENTER.parse(button_data(update))
    if parsed is None or context.me is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        found = await facilitation.center(context.deps, context.me, parsed[0])
    except Refusal as refusal:
        await answer(update, context, refusal_text(refusal), alert=True)
        return
    await answer(update, context)
    deps = context.deps
    await _show(update, context, *views.center_card(found, deps.clock(), deps.settings.tz))


async def questions(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    await answer(update, context)
    for text, markup in await facilitation.open_questions(context.deps, context.me):
        await reply(update, context, text, markup)


def link_handlers() -> list[Handler]:
    """The appointment link; registered before /start itself (bot/handlers/basic.py)."""
    return [
        CommandHandler("start", open_invitation, filters=filters.Regex(links.start_pattern(links.FACILITATOR_INVITE))),
    ]


def handlers() -> list[Handler]:
    return [
        CallbackQueryHandler(accept, pattern=cb.FACILITATOR_ACCEPT.matches),
        CallbackQueryHandler(decline, pattern=cb.FACILITATOR_DECLINE.matches),
        CommandHandler("rahyar", home),
        MessageHandler(button("menu-facilitator"), home),
        CallbackQueryHandler(home_page, pattern=cb.FACILITATOR_HOME.matches),
        CallbackQueryHandler(center, pattern=cb.FACILITATOR_CENTER.matches),
        CallbackQueryHandler(questions, pattern=cb.FACILITATOR_QUESTIONS.matches),
    ]
