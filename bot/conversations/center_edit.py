"""«✏️ ویرایش کانون» on the center's card: the leader changes the name, area or description.

A new name (or area) that matches another active center in the same area gets the same
warning and choice as at registration.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot.ptb.context import KanoonContext
from bot.conversations import common
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, read_text
from bot.conversations.register import (
    AREA_RULE,
    DESCRIPTION_RULE,
    NAME_RULE,
)
from bot.db.models import Center
from bot.db.repo import centers as centers_repo
from bot.handlers import center_card
from bot.views.centers import area_text
from bot.persian.catalog import t
from bot.services import centers
from bot.services.centers import Problem
from bot.ptb.ui import answer, button, inline, label, main_menu, reply, reply_keyboard

DRAFT = "center_edit"

MENU = "ce_menu"
NAME = "ce_name"
AREA = "ce_area"
DESCRIPTION = "ce_description"
DUPLICATE = "ce_duplicate"

CLEAR_TEXT = button("cedit-btn-clear")


async def _leaders_center(update: Update, context: KanoonContext) -> Center | None:
    async with context.sessions() as session:
        center = await centers_repo.run_by(session, context.me.id)
    if center is None or center.leader_id != context.me.id or center.status not in (centers.ACTIVE, centers.AWAITING):
        return None
    return center


async def start(update: Update, context: KanoonContext) -> str | int:
    center = await _leaders_center(update, context)
    if center is None:
        await answer(update, context, t("reg-problem-not_leader"), alert=True)
        return END
    await answer(update, context)
    context.user_data[DRAFT] = {}
    await reply(
        update, context, t("cedit-which"),
        inline(
            [(label("cedit-btn-name"), "cc:ed:name"), (label("cedit-btn-area"), "cc:ed:area")],
            [(label("cedit-btn-description"), "cc:ed:desc")],
            [(label("btn-back"), "cc:ed:back")],
        ),
    )
    return MENU


async def choose(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    field = query.data.removeprefix("cc:ed:")
    center = await _leaders_center(update, context)
    if center is None:
        await answer(update, context, t("reg-problem-not_leader"), alert=True)
        common.clear_draft(context, DRAFT)
        return END
    await answer(update, context)
    if field == "back":
        common.clear_draft(context, DRAFT)
        await center_card.show(update, context, center)
        return END
    chosen = {"name": "cedit-btn-name", "area": "cedit-btn-area", "desc": "cedit-btn-description"}[field]
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, label(chosen))
    return await _ask(update, context, field, center)


async def _ask(update: Update, context: KanoonContext, field: str, center: Center) -> str:
    """Ask for the new value, showing what is stored now."""
    cancel_row = [label("btn-cancel")]
    if field == "name":
        await reply(update, context, t("cedit-ask-name", current=center.name), reply_keyboard(cancel_row))
        return NAME
    clear = reply_keyboard([label("cedit-btn-clear")], cancel_row)
    if field == "area":
        await reply(update, context, t("cedit-ask-area", current=area_text(center.area)), clear)
        return AREA
    await reply(update, context, t("cedit-ask-description"), clear)
    return DESCRIPTION


async def _save(
    update: Update, context: KanoonContext, field: str, value: str | None, checked: bool = False,
) -> str | int:
    center = await _leaders_center(update, context)
    if center is None:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("reg-problem-not_leader"), main_menu())
        return END
    if field in ("name", "area") and not checked:
        name = value if field == "name" else center.name
        area = value if field == "area" else center.area
        async with context.sessions() as session:
            duplicate = await centers.find_duplicate(session, name, area, exclude_id=center.id)
        if duplicate is not None:
            context.user_data[DRAFT] = {"field": field, "value": value}
            await reply(
                update, context, t("reg-duplicate", name=duplicate.name, area=area_text(duplicate.area)),
                inline([(label("reg-btn-dup-keep"), "cc:ed:keep")], [(label("reg-btn-dup-rename"), "cc:ed:rename")]),
            )
            return DUPLICATE
    try:
        async with context.sessions() as session:
            center = await centers.update_details(session, center.id, context.me.id, field, value, context.deps.clock())
    except Problem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t(f"reg-problem-{problem.reason}"), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("cedit-saved"), main_menu())
    await center_card.show(update, context, center)
    return END


async def on_name(update: Update, context: KanoonContext) -> str | int | None:
    value, error = read_text(update, NAME_RULE)
    if value is not None and centers.name_is_only_digits(value):
        value, error = None, t("reg-name-digits")
    if error:
        await reply(update, context, error)
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
    draft = context.user_data.get(DRAFT) or {}
    await answer(update, context)
    if query.data == "cc:ed:keep" and "field" in draft:
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, label("reg-btn-dup-keep")
        )
        return await _save(update, context, draft["field"], draft["value"], checked=True)
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, label("reg-btn-dup-rename"))
    center = await _leaders_center(update, context)
    if center is None:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("reg-problem-not_leader"), main_menu())
        return END
    return await _ask(update, context, draft.get("field", "name"), center)


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("reg-use-buttons"))


def handlers() -> list[BaseHandler]:
    conversation = common.conversation(
        name="center_edit",
        entry_points=[CallbackQueryHandler(start, pattern=r"^cc:edit$")],
        states={
            MENU: [
                CallbackQueryHandler(choose, pattern=r"^cc:ed:(name|area|desc|back)$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            AREA: [MessageHandler(CLEAR_TEXT, clear_area), MessageHandler(FREE_TEXT, on_area)],
            DESCRIPTION: [MessageHandler(CLEAR_TEXT, clear_description), MessageHandler(FREE_TEXT, on_description)],
            DUPLICATE: [
                CallbackQueryHandler(on_duplicate, pattern=r"^cc:ed:(keep|rename)$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
