"""The invited person accepts: their full name and mobile, then the center becomes active.

Entered by «✅ قبول» on the invitation card (iv:ok:<token>). The token is kept in
user_data["invite"] with the answers, so a restart resumes at the same step; the invitation
is checked again at the end (it may have expired or been cancelled meanwhile). The token is
also the finishing step's key: the same answer again (a crash before the step was saved)
finds the acceptance already made and says so.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import callbacks
from bot.actions import registration
from bot.conversations import common, navigation, profile_steps, saved_details
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT
from bot.conversations.register import stale_buttons
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, label, main_menu, reply
from bot.services.centers import Problem
from bot.views import centers as views

DRAFT = "invite"

REUSE = "iv_reuse"
FULL_NAME = "iv_full_name"
MOBILE = "iv_mobile"

BUTTONS = (callbacks.INVITATION_ACCEPT, callbacks.INVITATION_DECLINE, callbacks.INVITATION_SAVED_DETAILS)


def _draft(context: KanoonContext) -> dict[str, Any]:
    draft: dict[str, Any] = _user_data(context).setdefault(DRAFT, {})
    return draft


def _user_data(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None  # every update here has a user
    return context.user_data


async def _show_on_tapped(update: Update, context: KanoonContext, text: str) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)


async def accept(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    query = update.callback_query
    parsed = callbacks.INVITATION_ACCEPT.parse(query.data) if query is not None else None
    await answer(update, context, None if parsed else t("button-stale"))
    if parsed is None:
        return END
    (token,) = parsed
    try:
        view = await registration.open_invitation(context.deps, context.me, token)
    except Problem as problem:
        await _show_on_tapped(update, context, views.problem_text(problem))
        return END
    await _show_on_tapped(
        update, context, t("reg-invitation-accepting", card=views.invitation_card(view.center, view.leader))
    )
    _user_data(context)[DRAFT] = {"token": token}
    return await proceed(update, context)


async def proceed(update: Update, context: KanoonContext) -> str | int:
    draft = _draft(context)
    if saved_details.should_offer(draft, context):
        await saved_details.offer(update, context, draft, callbacks.INVITATION_SAVED_DETAILS, back=False)
        return REUSE
    if "full_name" not in draft:
        await profile_steps.ask_full_name(update, context, "reg-ask-assistant-name", back="reuse_asked" in draft)
        return FULL_NAME
    if "mobile" not in draft:
        await profile_steps.ask_mobile(update, context)
        return MOBILE
    return await finish(update, context)


async def on_reuse(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.INVITATION_SAVED_DETAILS.parse(query.data) if query is not None else None
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return REUSE
    draft = _draft(context)
    await answer(update, context)
    if parsed == ("yes",):
        saved_details.take(draft, context)
        chosen = label("reg-btn-reuse-yes")
    else:
        chosen = label("reg-btn-reuse-no")
    await _show_on_tapped(update, context, chosen)
    return await proceed(update, context)


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("reg-use-buttons"))


async def on_full_name(update: Update, context: KanoonContext) -> str | int | None:
    draft = _draft(context)
    if await profile_steps.take_mobile_early(update, context, draft):
        return await proceed(update, context)  # the number is kept; the name is asked again
    if not await profile_steps.take(update, context, draft, "full_name", profile_steps.read_full_name):
        return None
    return await proceed(update, context)


async def on_mobile(update: Update, context: KanoonContext) -> str | int | None:
    if not await profile_steps.take(update, context, _draft(context), "mobile", profile_steps.read_mobile):
        return None
    return await proceed(update, context)


async def finish(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    draft = _draft(context)
    try:
        accepted = await registration.accept_invitation(
            context.deps, context.me, draft["token"], full_name=draft["full_name"], mobile=draft["mobile"],
        )
    except Problem as problem:
        if problem.reason == Problem.SAME_MOBILE:  # a typing slip, or the leader's own number: ask again
            draft.pop("mobile", None)
            await reply(update, context, views.problem_text(problem))
            return await proceed(update, context)
        common.clear_draft(context, DRAFT)
        await reply(update, context, views.problem_text(problem), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    done = "reg-accepted-already" if accepted.already else "reg-accepted-assistant"
    await reply(
        update, context, t(done, name=accepted.center.name, code=views.code_text(accepted.center.code)), main_menu(),
    )
    return END


async def step_back(update: Update, context: KanoonContext) -> str | int:
    """«🔙»: take back the last answer (the mobile's step shows the name again, the name's the
    offer of saved details); with nothing before, it leaves like «❌ انصراف»."""
    draft = _draft(context)
    for key in ("mobile", "full_name", "reuse_asked"):
        if key in draft:
            earlier = draft.pop(key)
            await navigation.show_earlier(update, context, earlier)
            return await proceed(update, context)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("cancel-done"), main_menu())
    return END


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    conversation = common.conversation(
        name="assistant_invite",
        back={REUSE: None, FULL_NAME: step_back, MOBILE: step_back},
        entry_points=[CallbackQueryHandler(accept, pattern=callbacks.INVITATION_ACCEPT.matches)],
        states={
            REUSE: [
                CallbackQueryHandler(on_reuse, pattern=callbacks.INVITATION_SAVED_DETAILS.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            # A contact here is the next step's answer (see profile_steps.take_mobile_early).
            FULL_NAME: [MessageHandler(FREE_TEXT | filters.CONTACT, on_full_name)],
            MOBILE: [MessageHandler(ANY_INPUT, on_mobile)],
        },
        fallbacks=[stale_buttons(callbacks.Prefix.INVITATION, BUTTONS), *common.fallbacks(DRAFT)],
    )
    return [conversation]
