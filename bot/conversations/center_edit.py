"""«✏️ ویرایش کانون» on the center's card: the leader changes the name, area or description.

A new name (or area) that matches another active center in the same area gets the same
warning and choice as at registration.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import registration
from bot.conversations import common, navigation
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, read_text
from bot.conversations.register import AREA_RULE, DESCRIPTION_RULE, NAME_RULE, name_error, stale_buttons
from bot.db.models import Center
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, button, inline, label, main_menu, reply
from bot.services.centers import Problem
from bot.services.users import id_of
from bot.views import centers as views

DRAFT = "center_edit"

MENU = "ce_menu"
NAME = "ce_name"
AREA = "ce_area"
DESCRIPTION = "ce_description"
DUPLICATE = "ce_duplicate"

CLEAR_TEXT = button("cedit-btn-clear")
# The menu's choices, by the word their button carries, and the service's field names.
CHOICES = {"name": "cedit-btn-name", "area": "cedit-btn-area", "desc": "cedit-btn-description"}
FIELDS = {"name": "name", "area": "area", "desc": "description"}
# Every card button (cc:); data with that prefix that none of them reads is stale.
BUTTONS = (
    callbacks.CARD_SHOW, callbacks.CARD_LINK, callbacks.CARD_EDIT, callbacks.CARD_EDIT_FIELD,
    callbacks.CARD_EDIT_DUPLICATE, callbacks.CARD_DROP, callbacks.CARD_DROP_CONFIRM, callbacks.CARD_INVITATION,
)


def _user_data(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None  # every update here has a user
    return context.user_data


async def _leaders_center(context: KanoonContext) -> Center | None:
    assert context.me is not None
    try:
        return await registration.led_center(context.deps, context.me)
    except Problem:
        return None


async def _show_card(update: Update, context: KanoonContext) -> None:
    """The card again: in place of the tapped message (a button), else as a new message."""
    assert context.me is not None
    card = await registration.card_of(context.deps, context.me)
    if card is None:
        return
    deps = context.deps
    text, markup = views.card_message(card, id_of(context.me), deps.clock(), deps.settings.tz)
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


async def start(update: Update, context: KanoonContext) -> str | int:
    if await _leaders_center(context) is None:
        await answer(update, context, t("reg-problem-not_leader"), alert=True)
        return END
    await answer(update, context)
    _user_data(context)[DRAFT] = {}
    return await _ask_which(update, context)


async def _ask_which(update: Update, context: KanoonContext) -> str:
    await reply(
        update, context, t("cedit-which"),
        inline(
            [(label("cedit-btn-name"), callbacks.CARD_EDIT_FIELD.build("name")),
             (label("cedit-btn-area"), callbacks.CARD_EDIT_FIELD.build("area"))],
            [(label("cedit-btn-description"), callbacks.CARD_EDIT_FIELD.build("desc"))],
            [(label("btn-back"), callbacks.CARD_EDIT_FIELD.build("back"))],
            navigation.inline_row(back=False),
        ),
    )
    return MENU


async def back_to_which(update: Update, context: KanoonContext) -> str:
    """«🔙» while a new value is asked: the choice of what to change, again."""
    _user_data(context)[DRAFT] = {}
    return await _ask_which(update, context)


async def choose(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.CARD_EDIT_FIELD.parse(query.data) if query is not None else None
    if parsed is None or query is None or query.message is None:
        await answer(update, context, t("button-stale"))
        return MENU
    (choice,) = parsed
    center = await _leaders_center(context)
    if center is None:
        await answer(update, context, t("reg-problem-not_leader"), alert=True)
        common.clear_draft(context, DRAFT)
        return END
    await answer(update, context)
    if choice == "back":
        common.clear_draft(context, DRAFT)
        await _show_card(update, context)
        return END
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, label(CHOICES[choice]))
    return await _ask(update, context, FIELDS[choice], center)


async def _ask(update: Update, context: KanoonContext, field: str, center: Center) -> str:
    """Ask for the new value, showing what is stored now."""
    if field == "name":
        await reply(update, context, t("cedit-ask-name", current=center.name), navigation.keyboard())
        return NAME
    clear = navigation.keyboard([label("cedit-btn-clear")])
    if field == "area":
        await reply(update, context, t("cedit-ask-area", current=views.area_text(center.area)), clear)
        return AREA
    await reply(update, context, t("cedit-ask-description"), clear)
    return DESCRIPTION


async def _save(
    update: Update, context: KanoonContext, field: str, value: str | None, checked: bool = False,
) -> str | int:
    assert context.me is not None
    center = await _leaders_center(context)
    if center is None:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("reg-problem-not_leader"), main_menu())
        return END
    if field in ("name", "area") and not checked:
        name = value if field == "name" and value else center.name
        area = value if field == "area" else center.area
        duplicate = await registration.duplicate_of(context.deps, name, area, exclude_id=center.id)
        if duplicate is not None:
            _user_data(context)[DRAFT] = {"field": field, "value": value}
            await reply(
                update, context, t("reg-duplicate", name=duplicate.name, area=views.area_text(duplicate.area)),
                inline([(label("reg-btn-dup-keep"), callbacks.CARD_EDIT_DUPLICATE.build("keep"))],
                       [(label("reg-btn-dup-rename"), callbacks.CARD_EDIT_DUPLICATE.build("rename"))],
                       navigation.inline_row()),
            )
            return DUPLICATE
    try:
        await registration.update_details(context.deps, context.me, field, value)
    except Problem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, views.problem_text(problem), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("cedit-saved"), main_menu())
    await _show_card(update, context)
    return END


async def on_name(update: Update, context: KanoonContext) -> str | int | None:
    value, error = read_text(update, NAME_RULE)
    if value is None or (error := name_error(value)):
        await reply(update, context, error or t("input-empty"))
        return None
    return await _save(update, context, "name", value)


async def on_area(update: Update, context: KanoonContext) -> str | int | None:
    value, error = read_text(update, AREA_RULE)
    if error:
        await reply(update, context, error)
        return None
    return await _save(update, context, "area", value)


async def clear_area(update: Update, context: KanoonContext) -> str | int:
    return await _save(update, context, "area", None)


async def on_description(update: Update, context: KanoonContext) -> str | int | None:
    value, error = read_text(update, DESCRIPTION_RULE)
    if error:
        await reply(update, context, error)
        return None
    return await _save(update, context, "description", value)


async def clear_description(update: Update, context: KanoonContext) -> str | int:
    return await _save(update, context, "description", None)


async def on_duplicate(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.CARD_EDIT_DUPLICATE.parse(query.data) if query is not None else None
    if parsed is None or query is None or query.message is None:
        await answer(update, context, t("button-stale"))
        return DUPLICATE
    draft = _user_data(context).get(DRAFT) or {}
    await answer(update, context)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if parsed == ("keep",) and "field" in draft:
        await context.messenger.edit_or_send(chat_id, message_id, label("reg-btn-dup-keep"))
        return await _save(update, context, draft["field"], draft["value"], checked=True)
    await context.messenger.edit_or_send(chat_id, message_id, label("reg-btn-dup-rename"))
    center = await _leaders_center(context)
    if center is None:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("reg-problem-not_leader"), main_menu())
        return END
    return await _ask(update, context, draft.get("field", "name"), center)


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("reg-use-buttons"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    conversation = common.conversation(
        name="center_edit",
        entry_points=[CallbackQueryHandler(start, pattern=callbacks.CARD_EDIT.matches)],
        back={MENU: None, NAME: back_to_which, AREA: back_to_which, DESCRIPTION: back_to_which,
              DUPLICATE: back_to_which},
        states={
            MENU: [
                CallbackQueryHandler(choose, pattern=callbacks.CARD_EDIT_FIELD.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            AREA: [MessageHandler(CLEAR_TEXT, clear_area), MessageHandler(FREE_TEXT, on_area)],
            DESCRIPTION: [MessageHandler(CLEAR_TEXT, clear_description), MessageHandler(FREE_TEXT, on_description)],
            DUPLICATE: [
                CallbackQueryHandler(on_duplicate, pattern=callbacks.CARD_EDIT_DUPLICATE.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
        },
        fallbacks=[stale_buttons(callbacks.Prefix.CARD, BUTTONS), *common.fallbacks(DRAFT)],
    )
    return [conversation]
