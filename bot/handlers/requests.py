"""The assistant's side of joining: the request's ✅/❌, reasons, /requests, approve-all.

Callback data: the REQUEST_* codecs in bot/callbacks.py (prefix rq:); rejecting in the
assistant's own words (rq:o:) is the conversation in bot/conversations/reject_reason.py.
Who may act is always worked out from the tapping user, never from the data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.actions import joining
from bot.callbacks import (
    REQUEST_APPROVE,
    REQUEST_APPROVE_ALL,
    REQUEST_LIST,
    REQUEST_REJECT,
    REQUEST_REJECT_BACK,
    REQUEST_REJECT_OWN_WORDS,
    REQUEST_REJECT_REASON,
    Codec,
    Prefix,
)
from bot.db.models import User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import answer, reply
from bot.views import joining as views

# Requests shown one message each by /requests; the rest wait for the next look.
LIST_LIMIT = 10
LEADER_LIST_LIMIT = 30


def _me(context: KanoonContext) -> User:
    assert context.me is not None  # the middleware sets it for every update with a user
    return context.me


async def _edit_tapped(update: Update, context: KanoonContext, text: str,
                       markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    message = query.message if query else None
    if message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)


async def _not_decided(update: Update, context: KanoonContext, refusal: joining.NotDecided) -> None:
    """Say why nothing changed; a stale tap by the assistant also brings the message up to date."""
    await answer(update, context, views.decision_answer(refusal.decision.outcome))
    refreshed = views.refreshed_request(refusal.decision, context.deps.settings.tz)
    if refreshed is not None:
        await _edit_tapped(update, context, refreshed)


# --- the buttons -----------------------------------------------------------------------------


async def _decide(update: Update, context: KanoonContext, membership_id: int, approve: bool,
                  reason: str | None = None) -> None:
    try:
        decided = await joining.decide_request(context.deps, _me(context), membership_id, approve, reason=reason)
    except joining.NotDecided as refusal:
        await _not_decided(update, context, refusal)
        return
    await answer(update, context, views.decision_answer(decided.decision.outcome))
    await _edit_tapped(update, context, views.decided_text(decided.decision, context.deps.settings.tz,
                                                           unreachable=not decided.reached))


async def _approve(update: Update, context: KanoonContext, membership_id: int) -> None:
    await _decide(update, context, membership_id, approve=True)


async def _reject(update: Update, context: KanoonContext, membership_id: int, reason: str) -> None:
    await _decide(update, context, membership_id, approve=False, reason=None if reason == "none" else reason)


async def _show_request(update: Update, context: KanoonContext, membership_id: int, asking_reason: bool) -> None:
    """Switch the message between ✅/❌ and the reasons, if this person may still decide."""
    try:
        membership, applicant, center = await joining.request_to_decide(context.deps, _me(context), membership_id)
    except joining.NotDecided as refusal:
        await _not_decided(update, context, refusal)
        return
    await answer(update, context)
    text, markup = views.request_message(membership, applicant, center, context.deps.settings.tz, asking_reason)
    await _edit_tapped(update, context, text, markup)


async def _ask_reason(update: Update, context: KanoonContext, membership_id: int) -> None:
    await _show_request(update, context, membership_id, asking_reason=True)


async def _back(update: Update, context: KanoonContext, membership_id: int) -> None:
    await _show_request(update, context, membership_id, asking_reason=False)


async def _approve_all(update: Update, context: KanoonContext, step: str, ms: int) -> None:
    """«تأیید همه» (all) asks first; then yes (ally) or no (alln). `ms`: when the list was shown."""
    shown_at = views.list_moment(ms)
    try:
        if step == "ally":
            decisions = await joining.approve_all_shown(context.deps, _me(context), shown_at)
        else:
            count = await joining.requests_shown(context.deps, _me(context), shown_at)
    except joining.NotStaff:
        await answer(update, context, t("rq-answer-not-assistant"))
        return
    if step == "all":
        await answer(update, context)
        await _edit_tapped(update, context, *views.approve_all_confirm(count, ms))
    elif step == "alln":
        await answer(update, context)
        await _edit_tapped(update, context, t("rq-all-cancelled"))
    else:
        done = views.approved_all(len(decisions))
        await answer(update, context, done)
        await _edit_tapped(update, context, done)


async def _list(update: Update, context: KanoonContext) -> None:
    await answer(update, context)
    await show_requests(update, context)


Step = Callable[..., Awaitable[None]]
_BUTTONS: tuple[tuple[Codec, Step], ...] = (
    (REQUEST_APPROVE, _approve),
    (REQUEST_REJECT, _ask_reason),
    (REQUEST_REJECT_REASON, _reject),
    (REQUEST_REJECT_BACK, _back),
    (REQUEST_APPROVE_ALL, _approve_all),
    (REQUEST_LIST, _list),
)


async def on_callback(update: Update, context: KanoonContext) -> None:
    data: Any = update.callback_query.data if update.callback_query else None
    for codec, step in _BUTTONS:
        values = codec.parse(data)
        if values is not None:
            await step(update, context, *values)
            return
    await answer(update, context, t("button-stale"))  # rq:a:², an id past BIGINT, a time past 2100…


# --- /requests ---------------------------------------------------------------------------------


async def show_requests(update: Update, context: KanoonContext) -> None:
    now = context.deps.clock()  # «approve all» takes only what this list shows
    tz = context.deps.settings.tz
    try:
        waiting = await joining.waiting_requests(context.deps, _me(context))
    except joining.NotStaff:
        await reply(update, context, t("rq-not-staff"))
        return
    rows = waiting.rows
    if not rows:
        await reply(update, context, t("rq-none"))
        return
    if not waiting.staff.is_assistant:  # the leader sees who is waiting; deciding is the assistant's
        await reply(update, context, views.waiting_for_assistant(rows, waiting.assistant, LEADER_LIST_LIMIT, tz))
        return
    await reply(update, context, t("rq-list-header", count=len(rows)))
    for membership, user in rows[:LIST_LIMIT]:
        await reply(update, context, *views.request_message(membership, user, waiting.staff.center, tz))
    if len(rows) > LIST_LIMIT:
        await reply(update, context, t("rq-list-more", rest=len(rows) - LIST_LIMIT))
    if len(rows) > 1:
        await reply(update, context, *views.approve_all_offer(len(rows), now))


def _ours(data: object) -> bool:
    return isinstance(data, str) and data.startswith(f"{Prefix.REQUEST}:")


def _one_tap(data: object) -> bool:
    """Every rq: tap but a well-formed «دلیل دیگر», which starts a conversation."""
    return _ours(data) and not REQUEST_REJECT_OWN_WORDS.matches(data)


def one_tap_buttons() -> list[Handler]:
    """Deciding stays possible in the middle of any conversation."""
    return [CallbackQueryHandler(on_callback, pattern=_one_tap)]


def handlers() -> list[Handler]:
    return [
        CommandHandler("requests", show_requests),
        MessageHandler(IntentIs(Intent.REQUESTS), show_requests),  # «درخواست‌ها» typed
        CallbackQueryHandler(on_callback, pattern=_ours),
    ]
