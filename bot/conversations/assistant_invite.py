"""The invited person accepts: their full name and mobile, then the center becomes active.

Entered by «✅ قبول» on the invitation card (iv:ok:<token>). The token is kept in
user_data["invite"] with the answers, so a restart resumes at the same step; the invitation
is checked again at the end (it may have expired or been cancelled meanwhile).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot.ptb.context import KanoonContext
from bot.conversations import common, profile_steps, saved_details
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT
from bot.sending.delivery import notify
from bot.views.centers import (
    code_text,
    invitation_card,
    member_invitation,
    person_name,
)
from bot.handlers.invitations import TOKEN_RE
from bot.persian.catalog import t
from bot.services import centers
from bot.services.centers import Problem
from bot.ptb.ui import answer, label, main_menu, reply

DRAFT = "invite"

REUSE = "iv_reuse"
FULL_NAME = "iv_full_name"
MOBILE = "iv_mobile"



def _draft(context: KanoonContext) -> dict:
    return context.user_data.setdefault(DRAFT, {})


async def accept(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    token = query.data.removeprefix("iv:ok:")
    try:
        async with context.sessions() as session:
            view = await centers.inspect_invitation(session, token, context.me.id, context.deps.clock())
    except Problem as problem:
        await answer(update, context)
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, t(f"reg-problem-{problem.reason}")
        )
        return END
    await answer(update, context)
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id,
        t("reg-invitation-accepting", card=invitation_card(view.center, view.leader)),
    )
    context.user_data[DRAFT] = {"token": token}
    return await proceed(update, context)


async def proceed(update: Update, context: KanoonContext) -> str | int:
    draft = _draft(context)
    if saved_details.should_offer(draft, context):
        await saved_details.offer(update, context, draft, "iv")
        return REUSE
    if "full_name" not in draft:
        await profile_steps.ask_full_name(update, context, "reg-ask-assistant-name")
        return FULL_NAME
    if "mobile" not in draft:
        await profile_steps.ask_mobile(update, context)
        return MOBILE
    return await finish(update, context)


async def on_reuse(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    draft = _draft(context)
    await answer(update, context)
    if query.data == "iv:me:yes":
        saved_details.take(draft, context)
        chosen = label("reg-btn-reuse-yes")
    else:
        chosen = label("reg-btn-reuse-no")
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, chosen)
    return await proceed(update, context)


async def use_buttons(update: Update, context: KanoonContext) -> None:
    await reply(update, context, t("reg-use-buttons"))


async def on_full_name(update: Update, context: KanoonContext) -> str | int | None:
    if not await profile_steps.take(update, context, _draft(context), "full_name", profile_steps.read_full_name):
        return None
    return await proceed(update, context)


async def on_mobile(update: Update, context: KanoonContext) -> str | int | None:
    if not await profile_steps.take(update, context, _draft(context), "mobile", profile_steps.read_mobile):
        return None
    return await proceed(update, context)


async def finish(update: Update, context: KanoonContext) -> str | int:
    draft = _draft(context)
    deps = context.deps
    try:
        async with context.sessions() as session:
            accepted = await centers.accept_invitation(
                session, draft["token"], context.me.id, full_name=draft["full_name"], mobile=draft["mobile"],
                now=deps.clock(),
            )
    except Problem as problem:
        if problem.reason == Problem.SAME_MOBILE:  # a typing slip, or the leader's own number: ask again
            draft.pop("mobile", None)
            await reply(update, context, t("reg-problem-same_mobile"))
            return await proceed(update, context)
        common.clear_draft(context, DRAFT)
        await reply(update, context, t(f"reg-problem-{problem.reason}"), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    center, code = accepted.center, code_text(accepted.center.code)
    await reply(update, context, t("reg-accepted-assistant", name=center.name, code=code), main_menu())
    assistant = person_name(accepted.assistant)
    ref = accepted.invitation_id
    if accepted.activated:
        await notify(
            deps, accepted.leader, t("reg-activated-leader", assistant=assistant, name=center.name, code=code),
            purpose="inv-accepted", ref_id=ref,
        )
        await notify(deps, accepted.leader, member_invitation(deps, center), purpose="member-links", ref_id=ref)
    else:
        await notify(
            deps, accepted.leader, t("reg-replaced-leader", assistant=assistant, name=center.name),
            purpose="inv-accepted", ref_id=ref,
        )
        if accepted.previous_assistant is not None:
            await notify(
                deps, accepted.previous_assistant, t("reg-replaced-old", name=center.name, assistant=assistant),
                main_menu(), purpose="inv-replaced", ref_id=ref,
            )
    return END


def handlers() -> list[BaseHandler]:
    conversation = common.conversation(
        name="assistant_invite",
        entry_points=[CallbackQueryHandler(accept, pattern=rf"^iv:ok:{TOKEN_RE}$")],
        states={
            REUSE: [
                CallbackQueryHandler(on_reuse, pattern=r"^iv:me:(yes|no)$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            FULL_NAME: [MessageHandler(FREE_TEXT, on_full_name)],
            MOBILE: [MessageHandler(ANY_INPUT, on_mobile)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
