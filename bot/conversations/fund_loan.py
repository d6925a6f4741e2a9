"""«🤝 درخواست وام»: a fund member asks for a loan: type → amount → reason → guarantor (when
the type needs one) → preview → send. «🔙 مرحله‌ی قبل» and «❌ انصراف» on every step; going
back restores the draft as it was when that step was asked. A member in arrears is refused
before the first question."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import fund_loans as actions
from bot.conversations import common
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, TextRule, read_text
from bot.db.enums import FundShare
from bot.views.fund import problem_text
from bot.persian.amounts import format_toman, parse_toman
from bot.persian.catalog import t
from bot.persian.text import search_key
from bot.ptb.context import Draft, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, main_menu, reply
from bot.services.fund import FundProblem
from bot.views.centers import person_name
from bot.views import fund_loans as views

DRAFT = "fund_loan"
TYPE, AMOUNT, REASON, GUARANTOR, PREVIEW = "fl_type", "fl_amount", "fl_reason", "fl_guarantor", "fl_preview"
REASON_RULE = TextRule(max_len=300, min_len=3, multiline=True)
AMOUNT_RULE = TextRule(max_len=80)
NAME_RULE = TextRule(max_len=64, min_len=2)


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


async def _ask(update: Update, context: KanoonContext, state: str) -> str:
    draft = _draft(context)
    draft["state"] = state
    if state == TYPE:
        rendered = views.ask_type([(lt["id"], lt["name"], lt["max_amount"]) for lt in draft["types"]], draft["half"])
    elif state == AMOUNT:
        rendered = views.ask_amount(draft["type_name"], draft["max"])
    elif state == REASON:
        rendered = views.ask_reason()
    elif state == GUARANTOR:
        rendered = views.ask_guarantor([(p["id"], p["full_name"]) for p in draft["others"]])
    else:
        guarantor = next((p["full_name"] for p in draft["others"] if p["id"] == draft.get("guarantor")), None)
        rendered = views.preview(draft["type_name"], draft["amount"], draft["reason"], guarantor)
    await reply(update, context, *rendered)
    return state


async def _advance(update: Update, context: KanoonContext, state: str) -> str:
    draft = _draft(context)
    draft.setdefault("history", []).append(copy.deepcopy({k: v for k, v in draft.items() if k != "history"}))
    return await _ask(update, context, state)


async def back(update: Update, context: KanoonContext) -> str:
    await answer(update, context)
    await drop_buttons(update)
    return await step_back(update, context)


async def step_back(update: Update, context: KanoonContext) -> str:
    """The step before, with the answers as they were there (also «🔙» typed: bot/conversations/navigation.py)."""
    draft = _draft(context)
    history = draft.get("history") or []
    if not history:
        await reply(update, context, t("fund-no-earlier-step"))
        return await _ask(update, context, draft.get("state", TYPE))
    snapshot = history.pop()
    draft.clear()
    draft.update({**snapshot, "history": history})
    return await _ask(update, context, snapshot["state"])


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    try:
        place, types, others = await actions.request_choices(context.deps, context.me)
    except FundProblem as problem:
        await answer(update, context, problem_text(problem), alert=True)
        return END
    await answer(update, context)
    assert context.user_data is not None
    context.user_data[DRAFT] = {
        "key": secrets.token_urlsafe(12), "history": [],
        "half": place.member is not None and place.member.share == FundShare.HALF,
        "types": [{"id": lt.id, "name": lt.name, "max_amount": lt.max_amount, "guarantor": lt.needs_guarantor}
                  for lt in types],
        "others": [{"id": user.id, "full_name": person_name(user)} for _, user in others],
    }
    return await _ask(update, context, TYPE)


async def on_type(update: Update, context: KanoonContext) -> str | None:
    parsed = callbacks.FUND_LOAN_TYPE.parse(button_data(update))
    draft = _draft(context)
    chosen = next((lt for lt in draft.get("types", []) if parsed and lt["id"] == parsed[0]), None)
    if chosen is None:
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    draft.update(type_id=chosen["id"], type_name=chosen["name"], needs_guarantor=chosen["guarantor"],
                 max=chosen["max_amount"] // 2 if draft["half"] else chosen["max_amount"])
    return await _advance(update, context, AMOUNT)


async def on_amount(update: Update, context: KanoonContext) -> str | None:
    text, error = read_text(update, AMOUNT_RULE)
    if text is None:
        await reply(update, context, error or t("input-empty"))
        return None
    parsed = parse_toman(text)
    draft = _draft(context)
    if parsed.value is None:
        await reply(update, context, t(f"amount-problem-{parsed.problem}"))
        return None
    if parsed.value > draft["max"]:
        await reply(update, context, t("fund-loan-over-max", amount=format_toman(draft["max"])))
        return None
    draft["amount"] = parsed.value
    return await _advance(update, context, REASON)


async def on_reason(update: Update, context: KanoonContext) -> str | int | None:
    text, _ = read_text(update, REASON_RULE)
    if text is None:
        await reply(update, context, t("fund-loan-reason-wrong"))
        return None
    draft = _draft(context)
    draft["reason"] = text
    if draft["needs_guarantor"]:
        if not draft["others"]:
            await reply(update, context, t("fund-loan-no-guarantors"), main_menu())
            common.clear_draft(context, DRAFT)
            return END
        return await _advance(update, context, GUARANTOR)
    draft["guarantor"] = None
    return await _advance(update, context, PREVIEW)


async def on_guarantor(update: Update, context: KanoonContext) -> str | None:
    parsed = callbacks.FUND_LOAN_GUARANTOR_PICK.parse(button_data(update))
    draft = _draft(context)
    if parsed is None or not any(p["id"] == parsed[0] for p in draft.get("others", [])):
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    draft["guarantor"] = parsed[0]
    return await _advance(update, context, PREVIEW)


async def on_guarantor_name(update: Update, context: KanoonContext) -> None:
    """A typed name (part of it, any spelling of ی/ک, spaces or not): the members it matches, as buttons."""
    text, error = read_text(update, NAME_RULE)
    if text is None:
        await reply(update, context, error or t("input-empty"))
        return
    typed = search_key(text)
    found = [(p["id"], p["full_name"]) for p in _draft(context).get("others", []) if typed in search_key(p["full_name"])]
    if not found:
        await reply(update, context, t("fund-loan-guarantor-not-found", typed=text))
        return
    await reply(update, context, *views.ask_guarantor(found, found_for=text))


async def on_send(update: Update, context: KanoonContext) -> int:
    assert context.me is not None
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    try:
        view = await actions.request(context.deps, context.me, draft["type_id"], draft["amount"], draft["reason"],
                                     draft.get("guarantor"), draft["key"])
    except FundProblem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, problem_text(problem), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, views.requested(view), main_menu())
    return END


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("fund-use-buttons"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    back_button = CallbackQueryHandler(back, pattern=callbacks.FUND_SETUP_BACK.matches)
    tap_only = MessageHandler(ANY_INPUT, use_buttons)
    conversation = common.conversation(
        name="fund_loan",
        back={TYPE: None, AMOUNT: step_back, REASON: step_back, GUARANTOR: step_back, PREVIEW: step_back},
        entry_points=[CallbackQueryHandler(start, pattern=callbacks.FUND_LOAN_REQUEST.matches)],
        states={
            TYPE: [back_button, CallbackQueryHandler(on_type, pattern=callbacks.FUND_LOAN_TYPE.matches), tap_only],
            AMOUNT: [back_button, MessageHandler(FREE_TEXT, on_amount)],
            REASON: [back_button, MessageHandler(FREE_TEXT, on_reason)],
            GUARANTOR: [back_button, CallbackQueryHandler(on_guarantor, pattern=callbacks.FUND_LOAN_GUARANTOR_PICK.matches),
                        MessageHandler(FREE_TEXT, on_guarantor_name), tap_only],
            PREVIEW: [back_button, CallbackQueryHandler(on_send, pattern=callbacks.FUND_LOAN_SEND.matches), tap_only],
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
