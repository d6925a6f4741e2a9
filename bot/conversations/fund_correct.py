"""«✏️ اصلاح دفتر»: a confirmer corrects a ledger entry: pick a recent entry → the amount it
should have been (the amount parser; «۰» if it never happened) → why → preview → record. The
correction is a new entry (the ledger is append-only); «🔙 مرحله‌ی قبل» and «❌ انصراف» on every
step. A tap by anyone but a confirmer, or on another fund's entry, is refused with its reason."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import fund_correct as actions
from bot.conversations import common
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, TextRule, read_text
from bot.conversations.fund_loan import use_buttons
from bot.persian.amounts import AmountProblem, parse_toman
from bot.persian.catalog import t
from bot.ptb.context import Draft, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, main_menu, reply
from bot.services.fund import FundProblem
from bot.views import fund_correct as views
from bot.views.fund import problem_text

DRAFT = "fund_correct"
PICK, AMOUNT, REASON, PREVIEW = "fc_pick", "fc_amount", "fc_reason", "fc_preview"
AMOUNT_RULE = TextRule(max_len=80)
REASON_RULE = TextRule(max_len=300, min_len=3, multiline=True)


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


async def _refused(update: Update, context: KanoonContext, problem: FundProblem) -> int:
    common.clear_draft(context, DRAFT)
    if update.callback_query is not None:
        await answer(update, context, problem_text(problem), alert=True)
    else:
        await reply(update, context, problem_text(problem), main_menu())
    return END


async def _ask_pick(update: Update, context: KanoonContext) -> str | int:
    """The tap is answered here: with the refusal's reason (not a confirmer), or silently."""
    assert context.me is not None
    try:
        found = await actions.entries_page(context.deps, context.me, _draft(context).get("page", 0))
    except FundProblem as problem:
        return await _refused(update, context, problem)
    await answer(update, context)
    await reply(update, context, *views.entries(found, context.deps.settings.tz))
    return PICK


async def _ask_amount(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    try:
        line = await actions.entry(context.deps, context.me, _draft(context)["entry"])
    except FundProblem as problem:
        return await _refused(update, context, problem)
    await reply(update, context, *views.ask_amount(line, context.deps.settings.tz))
    return AMOUNT


async def _ask_reason(update: Update, context: KanoonContext) -> str:
    await reply(update, context, *views.ask_reason())
    return REASON


async def start(update: Update, context: KanoonContext) -> str | int:
    context.person_data[DRAFT] = {"page": 0}
    return await _ask_pick(update, context)


async def on_page(update: Update, context: KanoonContext) -> str | int | None:
    parsed = callbacks.FUND_CORRECT_PAGE.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    await drop_buttons(update)
    _draft(context)["page"] = parsed[0]
    return await _ask_pick(update, context)


async def on_pick(update: Update, context: KanoonContext) -> str | int | None:
    parsed = callbacks.FUND_CORRECT_PICK.parse(button_data(update))
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    assert context.me is not None
    try:  # checked at once: a forged id of another fund's entry is refused here
        await actions.entry(context.deps, context.me, parsed[0])
    except FundProblem as problem:
        await answer(update, context, problem_text(problem), alert=True)
        return None
    await answer(update, context)
    await drop_buttons(update)
    _draft(context)["entry"] = parsed[0]
    return await _ask_amount(update, context)


def _read_amount(text: str) -> int | None | str:
    """The corrected amount: what the amount parser reads, «۰» included (it never happened); else the problem key."""
    parsed = parse_toman(text)
    if parsed.problem == AmountProblem.ZERO_OR_NEGATIVE and parse_toman(text, minimum=0).value == 0:
        return 0
    return parsed.value if parsed.value is not None else f"amount-problem-{parsed.problem}"


async def on_amount(update: Update, context: KanoonContext) -> str | int | None:
    text, error = read_text(update, AMOUNT_RULE)
    if text is None:
        await reply(update, context, error or t("input-empty"))
        return None
    value = _read_amount(text)
    if isinstance(value, str) or value is None:
        await reply(update, context, t(value or "input-empty"))
        return None
    assert context.me is not None
    try:
        line = await actions.entry(context.deps, context.me, _draft(context)["entry"])
    except FundProblem as problem:
        return await _refused(update, context, problem)
    if value == line.current:
        await reply(update, context, t("fund-correct-same"))
        return None
    _draft(context)["amount"] = value
    return await _ask_reason(update, context)


async def on_reason(update: Update, context: KanoonContext) -> str | int | None:
    text, error = read_text(update, REASON_RULE)
    if text is None:
        await reply(update, context, error or t("input-empty"))
        return None
    draft = _draft(context)
    draft["reason"] = text
    assert context.me is not None
    try:
        line = await actions.entry(context.deps, context.me, draft["entry"])
    except FundProblem as problem:
        return await _refused(update, context, problem)
    await reply(update, context, *views.preview(line, draft["amount"], text, context.deps.settings.tz))
    return PREVIEW


async def on_save(update: Update, context: KanoonContext) -> int | None:
    assert context.me is not None
    draft = _draft(context)
    try:
        _, line = await actions.correct(context.deps, context.me, draft["entry"], draft["amount"], draft["reason"])
    except FundProblem as problem:
        if problem.code == "correction-zero":  # the same as it counts for now: ask the amount again
            await answer(update, context, problem_text(problem), alert=True)
            return None
        return await _refused(update, context, problem)
    await answer(update, context)
    await drop_buttons(update)
    common.clear_draft(context, DRAFT)
    await reply(update, context, views.done(line), main_menu())
    return END


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    tap_only = MessageHandler(ANY_INPUT, use_buttons)
    conversation = common.conversation(
        name="fund_correct",
        back={PICK: None, AMOUNT: _ask_pick, REASON: _ask_amount, PREVIEW: _ask_reason},
        entry_points=[CallbackQueryHandler(start, pattern=callbacks.FUND_CORRECT.matches)],
        states={
            PICK: [CallbackQueryHandler(on_page, pattern=callbacks.FUND_CORRECT_PAGE.matches),
                   CallbackQueryHandler(on_pick, pattern=callbacks.FUND_CORRECT_PICK.matches), tap_only],
            AMOUNT: [MessageHandler(FREE_TEXT, on_amount)],
            REASON: [MessageHandler(FREE_TEXT, on_reason)],
            PREVIEW: [CallbackQueryHandler(on_save, pattern=callbacks.FUND_CORRECT_SAVE.matches), tap_only],
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
