"""Pledging to a need (🤝 کمک می‌کنم under a help campaign: hp:p:<need>).

Amount (typed as people write it; bot/persian/amounts.py) → read back «۲٬۰۰۰٬۰۰۰ تومان؛ درست
است؟» → an optional note → named or anonymous to other members → saved. A person with a live
pledge to the need changes it the same way, or takes it back. Every step has «🔙 مرحله‌ی قبل»
and «❌ انصراف». The pledge itself is one row (bot/services/charity.py).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import charity as actions
from bot.conversations import common
from bot.conversations.common import END, TextRule, read_text
from bot.conversations.help_amounts import read_amount
from bot.conversations.help_steps import BACK, CANCEL, TEXT, Ask, cancel, keyboard
from bot.db.charity_models import HelpNeed
from bot.db.enums import NeedSort
from bot.db.models import User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button, drop_buttons, inline, label, main_menu, reply
from bot.services import charity as service
from bot.services.charity import CharityError
from bot.views import charity as views

DRAFT = "pledge_draft"
AMOUNT, CHECK, NOTE, NAMED = "pl_amount", "pl_check", "pl_note", "pl_named"
NOTE_RULE = TextRule(max_len=service.NOTE_MAX, min_len=1)
NO_NOTE = button("charity-btn-no-note")
WITHDRAW = button("charity-btn-withdraw")


def _draft(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {})
    return draft


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


def _need(context: KanoonContext) -> HelpNeed:
    draft = _draft(context)
    return HelpNeed(id=draft.get("need"), campaign_id=0, sort=draft.get("sort", NeedSort.MONEY),
                    name=draft.get("name"), unit=draft.get("unit"))


async def _refuse(update: Update, context: KanoonContext, error: CharityError) -> int:
    common.clear_draft(context, DRAFT)
    await reply(update, context, views.error_text(error), main_menu())
    return END


async def begin(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.HELP_PLEDGE.parse(query.data if query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        start = await actions.start_pledge(context.deps, _me(context), parsed[0])
    except CharityError as error:
        await answer(update, context, views.error_text(error), alert=True)
        return END
    await answer(update, context)
    need = start.need
    assert context.user_data is not None
    context.user_data[DRAFT] = {"need": need.id, "sort": need.sort, "name": need.name, "unit": need.unit,
                                "pledge": start.existing.id if start.existing else None,
                                "current": start.existing.amount if start.existing else None}
    return await ask_amount(update, context)


async def ask_amount(update: Update, context: KanoonContext) -> str:
    draft, need = _draft(context), _need(context)
    if need.sort == NeedSort.MONEY:
        text = t("charity-ask-amount-money", need=views.need_label(need))
    else:
        text = t("charity-ask-amount-quantity", need=views.need_label(need), unit=views.unit_of(need))
    if draft.get("pledge") and draft.get("current"):
        text = t("charity-existing-pledge", amount=views.amount(need, draft["current"]))
        await reply(update, context, text, keyboard("charity-btn-withdraw"))
    else:
        await reply(update, context, text, keyboard())
    return AMOUNT


async def got_amount(update: Update, context: KanoonContext) -> str | None:
    need = _need(context)
    read = await read_amount(update, context, NeedSort(need.sort), need.name, need.unit)
    if read is None:
        return None
    value, notice = read
    if notice:
        await reply(update, context, notice)
    _draft(context)["amount"] = value
    await reply(update, context, t("charity-amount-check", amount=views.amount(need, value)), inline(
        [(label("charity-btn-yes"), callbacks.HELP_PLEDGE_AMOUNT_OK.build("yes")),
         (label("charity-btn-no"), callbacks.HELP_PLEDGE_AMOUNT_OK.build("no"))],
        [(label("charity-btn-back"), callbacks.HELP_BACK.build()),
         (label("charity-btn-cancel"), callbacks.CANCEL.build())],
    ))
    return CHECK


async def checked(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    parsed = callbacks.HELP_PLEDGE_AMOUNT_OK.parse(query.data if query else None)
    await answer(update, context)
    await drop_buttons(update)
    if parsed is None or parsed[0] == "no" or "amount" not in _draft(context):
        return await ask_amount(update, context)
    return await ask_note(update, context)


async def ask_note(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("charity-ask-note"), keyboard("charity-btn-no-note"))
    return NOTE


async def got_note(update: Update, context: KanoonContext) -> str | None:
    value, problem = read_text(update, NOTE_RULE)
    if value is None:
        await reply(update, context, problem or t("input-need-text"))
        return None
    _draft(context)["note"] = value
    return await ask_named(update, context)


async def no_note(update: Update, context: KanoonContext) -> str:
    _draft(context)["note"] = None
    return await ask_named(update, context)


async def ask_named(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("charity-ask-named"), inline(
        [(label("charity-btn-named"), callbacks.HELP_PLEDGE_NAMED.build("named")),
         (label("charity-btn-anonymous"), callbacks.HELP_PLEDGE_NAMED.build("anon"))],
        [(label("charity-btn-back"), callbacks.HELP_BACK.build()),
         (label("charity-btn-cancel"), callbacks.CANCEL.build())],
    ))
    return NAMED


async def chose_named(update: Update, context: KanoonContext) -> int:
    query = update.callback_query
    parsed = callbacks.HELP_PLEDGE_NAMED.parse(query.data if query else None)
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    if parsed is None or "amount" not in draft or "need" not in draft:
        return await _refuse(update, context, CharityError("not_found"))
    need = _need(context)
    try:
        row, created = await actions.pledge(context.deps, _me(context), draft["need"], draft["amount"],
                                            draft.get("note"), anonymous=parsed[0] == "anon")
    except CharityError as error:
        return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    key = "charity-pledge-saved" if created else "charity-pledge-changed"
    await reply(update, context, t(key, amount=views.amount(need, row.amount), need=views.need_label(need)), main_menu())
    await reply(update, context, t("charity-my-pledges"), views.pledge_markup(row))
    return END


async def withdraw(update: Update, context: KanoonContext) -> str | int:
    draft = _draft(context)
    need = _need(context)
    if not draft.get("pledge"):
        return await ask_amount(update, context)
    try:
        await actions.withdraw(context.deps, _me(context), draft["pledge"])
    except CharityError as error:
        return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("charity-withdrawn", need=views.need_label(need)), main_menu())
    return END


def _back_to(previous: Ask) -> Callable[[Update, KanoonContext], Coroutine[Any, Any, str | int]]:
    async def go_back(update: Update, context: KanoonContext) -> str | int:
        await answer(update, context)
        await drop_buttons(update)
        return await previous(update, context)

    return go_back


use_buttons = common.say(t("charity-use-buttons"))


def handlers() -> list[Handler]:
    back_button = callbacks.HELP_BACK.matches
    exits: list[Handler] = []  # «❌ انصراف» and «🔙»: common.fallbacks and back= (navigation)
    return [common.conversation(
        name="pledge",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=callbacks.HELP_PLEDGE.matches)],
        states={
            AMOUNT: [*exits, MessageHandler(WITHDRAW, withdraw),
                     MessageHandler(TEXT, got_amount)],
            CHECK: [*exits, CallbackQueryHandler(checked, pattern=callbacks.HELP_PLEDGE_AMOUNT_OK.matches),
                    CallbackQueryHandler(_back_to(ask_amount), pattern=back_button), MessageHandler(TEXT, use_buttons)],
            NOTE: [*exits, MessageHandler(BACK, _back_to(ask_amount)), MessageHandler(NO_NOTE, no_note),
                   MessageHandler(TEXT, got_note)],
            NAMED: [*exits, CallbackQueryHandler(chose_named, pattern=callbacks.HELP_PLEDGE_NAMED.matches),
                    CallbackQueryHandler(_back_to(ask_note), pattern=back_button), MessageHandler(TEXT, use_buttons)],
        },
        back={AMOUNT: None, CHECK: ask_amount, NOTE: ask_amount, NAMED: ask_note},
        fallbacks=common.fallbacks(DRAFT),
    )]
