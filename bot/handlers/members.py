"""Members of a center: the list for its leader and assistant, removal, the CSV file; and a
member leaving or an applicant taking their request back.

Callback data: the MEMBER(S)_* codecs in bot/callbacks.py (prefix ml:); who may act is worked
out from the tapping user, never from the data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.actions import joining
from bot.callbacks import (
    MEMBER_KEEP,
    MEMBER_LEAVE,
    MEMBER_REMOVE,
    MEMBER_REMOVE_CONFIRM,
    MEMBERS_CSV,
    MEMBERS_XLSX,
    MEMBERS_LIST,
    MEMBERS_PAGE,
    Codec,
    Prefix,
)
from bot.db.models import Center, User
from bot.persian.catalog import t
from bot.platforms import parse_mode
from bot.ptb.context import Handler, KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import answer, reply
from bot.services.memberships import EndOutcome
from bot.views import joining as views


def _me(context: KanoonContext) -> User:
    assert context.me is not None  # the middleware sets it for every update with a user
    return context.me


async def _edit(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    message = query.message if query else None
    if message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)


async def show_list(update: Update, context: KanoonContext, page_number: int, in_place: bool,
                    note: str | None = None) -> None:
    try:
        center, page = await joining.members_page(context.deps, _me(context), page_number)
    except joining.NotStaff:
        if update.callback_query:
            await answer(update, context, t("ml-not-staff"))
        else:
            await reply(update, context, t("ml-not-staff"))
        return
    await answer(update, context)
    text, markup = views.members_list(center, page, context.deps.settings.tz, note)
    if in_place and update.callback_query and update.callback_query.message is not None:
        await _edit(update, context, text, markup)
    else:
        await reply(update, context, text, markup)


async def members_command(update: Update, context: KanoonContext) -> None:
    await show_list(update, context, 0, in_place=False)


async def _list(update: Update, context: KanoonContext, page: int) -> None:
    """The center card's «اعضا»: the list as a new message."""
    await show_list(update, context, page, in_place=False)


async def _page(update: Update, context: KanoonContext, page: int) -> None:
    await show_list(update, context, page, in_place=True)


async def _export(update: Update, context: KanoonContext, workbook: bool = False) -> None:
    """The member list as a file: CSV, or (workbook) an Excel sheet."""
    me = _me(context)
    if not await joining.is_staff(context.deps, me):
        await answer(update, context, t("ml-not-staff"))
        return
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id

    async def send(file: views.MembersFile) -> None:
        await context.bot.send_document(
            chat_id, document=file.content(), filename=file.filename,
            caption=context.messenger.render(file.caption(context.deps.clock())), parse_mode=parse_mode(context.platform),
        )

    async def failed() -> None:
        await context.messenger.send(chat_id, t("ml-export-failed"))

    started = joining.send_members_file(context.deps, me, send, failed, workbook=workbook)
    await answer(update, context, None if started else t("ml-export-busy"))


async def _export_workbook(update: Update, context: KanoonContext) -> None:
    await _export(update, context, workbook=True)


async def _ask_remove(update: Update, context: KanoonContext, membership_id: int, page: int) -> None:
    try:
        center, member = await joining.member_to_remove(context.deps, _me(context), membership_id)
    except joining.MembershipChanged as refusal:
        if refusal.outcome is EndOutcome.GONE:  # no longer a member: the list as it is now
            await show_list(update, context, page, in_place=True)
        else:
            await answer(update, context, t("ml-answer-not-allowed"))
        return
    await answer(update, context)
    await _edit(update, context, *views.confirm_remove(membership_id, page, member, center))


async def _remove(update: Update, context: KanoonContext, membership_id: int, page: int) -> None:
    try:
        ending = await joining.remove_member(context.deps, _me(context), membership_id)
    except joining.MembershipChanged as refusal:
        if refusal.outcome is EndOutcome.GONE:  # removed meanwhile (or left): show the list as it is
            await show_list(update, context, page, in_place=True, note=t("ml-answer-gone"))
        else:
            await answer(update, context, t("ml-answer-not-allowed"))
        return
    assert ending.member is not None
    await show_list(update, context, page, in_place=True, note=views.removed_note(ending.member))


async def _leave_or_withdraw(update: Update, context: KanoonContext, step: str, membership_id: int) -> None:
    """lv / wd ask first; lvy / wdy leave the center / take the request back."""
    leaving = step.startswith("lv")
    center: Center | None
    try:
        if step in ("lv", "wd"):
            center = await joining.own_membership(context.deps, _me(context), membership_id, leaving)
        elif leaving:
            center = (await joining.leave_center(context.deps, _me(context), membership_id)).center
        else:
            center = (await joining.withdraw_request(context.deps, _me(context), membership_id)).center
    except joining.MembershipChanged:
        await answer(update, context, t("ml-answer-changed"))
        return
    assert center is not None
    await answer(update, context)
    if step in ("lv", "wd"):
        await _edit(update, context, *views.confirm_end(membership_id, center, leaving))
    else:
        await _edit(update, context, views.ended(center, leaving))


async def _keep(update: Update, context: KanoonContext, membership_id: int) -> None:
    """«خیر»: changed their mind; the card again."""
    card = await joining.membership_card(context.deps, _me(context), membership_id)
    await answer(update, context)
    if card is None:
        await _edit(update, context, t("ml-kept"))
        return
    text, markup = card
    await _edit(update, context, views.lines(t("ml-kept"), "", text), markup)


Step = Callable[..., Awaitable[None]]
_BUTTONS: tuple[tuple[Codec, Step], ...] = (
    (MEMBERS_LIST, _list),
    (MEMBERS_PAGE, _page),
    (MEMBERS_CSV, _export),
    (MEMBERS_XLSX, _export_workbook),
    (MEMBER_REMOVE, _ask_remove),
    (MEMBER_REMOVE_CONFIRM, _remove),
    (MEMBER_LEAVE, _leave_or_withdraw),
    (MEMBER_KEEP, _keep),
)


async def on_callback(update: Update, context: KanoonContext) -> None:
    data: Any = update.callback_query.data if update.callback_query else None
    for codec, step in _BUTTONS:
        values = codec.parse(data)
        if values is not None:
            await step(update, context, *values)
            return
    await answer(update, context, t("button-stale"))


def _ours(data: object) -> bool:
    return isinstance(data, str) and data.startswith(f"{Prefix.MEMBERS}:")


def one_tap_buttons() -> list[Handler]:
    """Member actions stay possible in the middle of any conversation."""
    return [CallbackQueryHandler(on_callback, pattern=_ours)]


def handlers() -> list[Handler]:
    return [
        CommandHandler("members", members_command),
        MessageHandler(IntentIs(Intent.MEMBERS), members_command),  # «اعضای کانون» typed
        *one_tap_buttons(),
    ]
