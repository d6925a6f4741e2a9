"""«➕ راه‌اندازی صندوق»: the leader opens the center's loan fund, step by step.

Steps: monthly contribution (toman) → its day of the Jalali month → loan types (name, maximum,
number of instalments, guarantor; as many as wanted) → queue rule → who confirms money →
preview → open. Every step has «🔙 مرحله‌ی قبل» and «❌ انصراف»; going back restores the
draft as it was when that step was asked (a snapshot per step), so nothing typed is lost.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot import callbacks, links
from bot.actions import fund as actions
from bot.conversations import common
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, TextRule, read_text
from bot.db.enums import FundQueueRule, FundRole
from bot.deps import Rendered
from bot.persian.amounts import parse_toman
from bot.persian.catalog import t
from bot.persian.text import parse_int
from bot.ptb.context import Draft, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, label, main_menu, reply
from bot.services import fund as fund_svc
from bot.services.fund import FundDraft, FundProblem, LoanTypeDraft
from bot.views import centers as center_views
from bot.views import fund as views

DRAFT = "fund_open"

CONTRIBUTION = "fo_contribution"
DAY = "fo_day"
TYPE_NAME = "fo_type_name"
TYPE_MAX = "fo_type_max"
TYPE_COUNT = "fo_type_count"
TYPE_GUARANTOR = "fo_type_guarantor"
MORE_TYPES = "fo_more_types"
QUEUE = "fo_queue"
CONFIRMERS = "fo_confirmers"
PREVIEW = "fo_preview"

TYPE_NAME_RULE = TextRule(max_len=fund_svc.LOAN_TYPE_NAME_MAX, min_len=fund_svc.LOAN_TYPE_NAME_MIN)
NUMBER_RULE = TextRule(max_len=12)
AMOUNT_RULE = TextRule(max_len=80)
CONFIRMER_PAIRS = {
    "la": (FundRole.LEADER, FundRole.ASSISTANT),
    "lt": (FundRole.LEADER, FundRole.TREASURER),
    "at": (FundRole.ASSISTANT, FundRole.TREASURER),
}


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


# --- asking each step (also when coming back to it) -----------------------------------------------


def _question(state: str, draft: Draft) -> Rendered:
    name = draft.get("lt", {}).get("name", "")
    if state == CONTRIBUTION:
        return t("fund-ask-contribution"), views.step_buttons()
    if state == DAY:
        return t("fund-ask-day"), views.step_buttons()
    if state == TYPE_NAME:
        return t("fund-ask-type-name"), views.step_buttons()
    if state == TYPE_MAX:
        return t("fund-ask-type-max", name=name), views.step_buttons()
    if state == TYPE_COUNT:
        return t("fund-ask-type-count", name=name), views.step_buttons()
    if state == TYPE_GUARANTOR:
        return t("fund-ask-type-guarantor", name=name), views.step_buttons(
            [(label("fund-btn-yes"), callbacks.FUND_SETUP_GUARANTOR.build("y")),
             (label("fund-btn-no"), callbacks.FUND_SETUP_GUARANTOR.build("n"))])
    if state == MORE_TYPES:
        rows = [[(label("fund-btn-types-done"), callbacks.FUND_SETUP_MORE_TYPES.build("done"))]]
        if len(draft["types"]) < fund_svc.LOAN_TYPES_MAX:
            rows.insert(0, [(label("fund-btn-more-types"), callbacks.FUND_SETUP_MORE_TYPES.build("more"))])
        return t("fund-ask-more-types", types=views.loan_type_lines(draft["types"])), views.step_buttons(*rows)
    if state == QUEUE:
        return t("fund-ask-queue"), views.step_buttons(
            [(label("fund-btn-first-come"), callbacks.FUND_SETUP_QUEUE.build("first_come")),
             (label("fund-btn-draw"), callbacks.FUND_SETUP_QUEUE.build("draw"))])
    if state == CONFIRMERS:
        return t("fund-ask-confirmers"), views.step_buttons(*(
            [(label(f"fund-btn-confirmers-{key}"), callbacks.FUND_SETUP_CONFIRMERS.build(key))] for key in CONFIRMER_PAIRS))
    return views.preview(draft)


async def _ask(update: Update, context: KanoonContext, state: str) -> str:
    draft = _draft(context)
    draft["state"] = state
    await reply(update, context, *_question(state, draft))
    return state


async def _advance(update: Update, context: KanoonContext, state: str) -> str:
    """Remember the step being left and the draft as it was then, and ask `state`."""
    draft = _draft(context)
    snapshot = copy.deepcopy({k: v for k, v in draft.items() if k != "history"})
    draft.setdefault("history", []).append(snapshot)
    return await _ask(update, context, state)


async def back(update: Update, context: KanoonContext) -> str | None:
    await answer(update, context)
    await drop_buttons(update)
    return await step_back(update, context)


async def step_back(update: Update, context: KanoonContext) -> str | None:
    """The step before, with the answers as they were there (also «🔙» typed: bot/conversations/navigation.py)."""
    draft = _draft(context)
    history = draft.get("history") or []
    if not history:
        await reply(update, context, t("fund-no-earlier-step"))
        return await _ask(update, context, draft.get("state", CONTRIBUTION))
    snapshot = history.pop()
    restored = {**snapshot, "history": history}
    draft.clear()
    draft.update(restored)
    return await _ask(update, context, snapshot["state"])


# --- the steps ------------------------------------------------------------------------------------


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    await answer(update, context)
    home = await actions.home(context.deps, context.me)
    if not home.is_leader or home.center is None:
        await reply(update, context, t("fund-problem-not-leader"))
        return END
    if home.place is not None:
        await reply(update, context, t("fund-problem-already-open"))
        return END
    assert context.user_data is not None
    context.user_data[DRAFT] = {"types": [], "lt": {}, "history": [], "key": secrets.token_urlsafe(12)}
    await reply(update, context, t("fund-open-intro"))
    return await _ask(update, context, CONTRIBUTION)


async def _amount(update: Update, context: KanoonContext) -> int | None:
    text, error = read_text(update, AMOUNT_RULE)
    if text is None:
        await reply(update, context, error or t("input-empty"))
        return None
    parsed = parse_toman(text)
    if parsed.value is None:
        await reply(update, context, t(f"amount-problem-{parsed.problem}"))
        return None
    return parsed.value


async def on_contribution(update: Update, context: KanoonContext) -> str | None:
    value = await _amount(update, context)
    if value is None:
        return None
    _draft(context)["contribution"] = value
    return await _advance(update, context, DAY)


async def on_day(update: Update, context: KanoonContext) -> str | None:
    text, _ = read_text(update, NUMBER_RULE)
    day = parse_int(text)
    if day is None or not fund_svc.DUE_DAY_MIN <= day <= fund_svc.DUE_DAY_MAX:
        await reply(update, context, t("fund-day-wrong"))
        return None
    _draft(context)["due_day"] = day
    return await _advance(update, context, TYPE_NAME)


async def on_type_name(update: Update, context: KanoonContext) -> str | None:
    name, error = read_text(update, TYPE_NAME_RULE)
    if name is None:
        await reply(update, context, t("fund-type-name-wrong") if error != t("input-need-text") else error)
        return None
    _draft(context)["lt"] = {"name": name}
    return await _advance(update, context, TYPE_MAX)


async def on_type_max(update: Update, context: KanoonContext) -> str | None:
    value = await _amount(update, context)
    if value is None:
        return None
    draft = _draft(context)
    draft["lt"] = {**draft["lt"], "max_amount": value}
    return await _advance(update, context, TYPE_COUNT)


async def on_type_count(update: Update, context: KanoonContext) -> str | None:
    text, _ = read_text(update, NUMBER_RULE)
    count = parse_int(text)
    if count is None or not fund_svc.INSTALMENTS_MIN <= count <= fund_svc.INSTALMENTS_MAX:
        await reply(update, context, t("fund-type-count-wrong"))
        return None
    draft = _draft(context)
    draft["lt"] = {**draft["lt"], "instalments": count}
    return await _advance(update, context, TYPE_GUARANTOR)


def _tapped(update: Update, codec: callbacks.Codec) -> tuple[Any, ...] | None:
    return codec.parse(button_data(update))


async def on_guarantor(update: Update, context: KanoonContext) -> str | None:
    parsed = _tapped(update, callbacks.FUND_SETUP_GUARANTOR)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    draft["types"] = [*draft["types"], {**draft["lt"], "needs_guarantor": parsed[0] == "y"}]
    draft["lt"] = {}
    return await _advance(update, context, MORE_TYPES)


async def on_more_types(update: Update, context: KanoonContext) -> str | None:
    parsed = _tapped(update, callbacks.FUND_SETUP_MORE_TYPES)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    return await _advance(update, context, TYPE_NAME if parsed[0] == "more" else QUEUE)


async def on_queue(update: Update, context: KanoonContext) -> str | None:
    parsed = _tapped(update, callbacks.FUND_SETUP_QUEUE)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    _draft(context)["queue_rule"] = parsed[0]
    return await _advance(update, context, CONFIRMERS)


async def on_confirmers(update: Update, context: KanoonContext) -> str | None:
    parsed = _tapped(update, callbacks.FUND_SETUP_CONFIRMERS)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    await answer(update, context)
    await drop_buttons(update)
    _draft(context)["confirmers"] = list(CONFIRMER_PAIRS[parsed[0]])
    return await _advance(update, context, PREVIEW)


async def on_open(update: Update, context: KanoonContext) -> str | int | None:
    assert context.me is not None
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    one, two = draft["confirmers"]
    fund_draft = FundDraft(
        contribution=draft["contribution"], due_day=draft["due_day"], queue_rule=FundQueueRule(draft["queue_rule"]),
        confirmers=(FundRole(one), FundRole(two)), request_key=draft["key"],
        loan_types=[LoanTypeDraft(lt["name"], lt["max_amount"], lt["instalments"], lt["needs_guarantor"])
                    for lt in draft["types"]],
    )
    try:
        _, token = await actions.open_fund(context.deps, context.me, fund_draft)
    except FundProblem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t(f"fund-problem-{problem.code}"), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("fund-opened"), main_menu())
    if token is not None:
        links_block = center_views.links_block(context.deps, links.fund_treasurer_invite(token))
        await reply(update, context, views.treasurer_link(links_block))
    await reply(update, context, *views.home(await actions.home(context.deps, context.me)))
    return END


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("fund-use-buttons"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    back_button = CallbackQueryHandler(back, pattern=callbacks.FUND_SETUP_BACK.matches)
    tap_only = MessageHandler(ANY_INPUT, use_buttons)

    def text_step(on_text: Any) -> list[BaseHandler[Any, Any, Any]]:  # noqa: ANN401
        return [back_button, MessageHandler(FREE_TEXT, on_text)]

    def button_step(codec: callbacks.Codec, on_tap: Any) -> list[BaseHandler[Any, Any, Any]]:  # noqa: ANN401
        return [back_button, CallbackQueryHandler(on_tap, pattern=codec.matches), tap_only]

    conversation = common.conversation(
        name="fund_open",
        back={CONTRIBUTION: None, DAY: step_back, TYPE_NAME: step_back, TYPE_MAX: step_back, TYPE_COUNT: step_back, TYPE_GUARANTOR: step_back, MORE_TYPES: step_back, QUEUE: step_back, CONFIRMERS: step_back, PREVIEW: step_back},
        entry_points=[CallbackQueryHandler(start, pattern=callbacks.FUND_OPEN.matches)],
        states={
            CONTRIBUTION: text_step(on_contribution),
            DAY: text_step(on_day),
            TYPE_NAME: text_step(on_type_name),
            TYPE_MAX: text_step(on_type_max),
            TYPE_COUNT: text_step(on_type_count),
            TYPE_GUARANTOR: button_step(callbacks.FUND_SETUP_GUARANTOR, on_guarantor),
            MORE_TYPES: button_step(callbacks.FUND_SETUP_MORE_TYPES, on_more_types),
            QUEUE: button_step(callbacks.FUND_SETUP_QUEUE, on_queue),
            CONFIRMERS: button_step(callbacks.FUND_SETUP_CONFIRMERS, on_confirmers),
            PREVIEW: button_step(callbacks.FUND_SETUP_OPEN, on_open),
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
