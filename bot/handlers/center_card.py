"""The leader's actions on the center's card (cc:…): refresh, the member link, the assistant's
invitation (new, again, resend, cancel), and dropping a registration still awaiting its assistant.

The card itself is rendered by bot/views/centers.py and carries other features' buttons by
contract (members, requests, campaigns, announcement); their handlers live with those
features. Every action works out the center from the tapping user, never from the data.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.actions import registration
from bot.actions.registration import ToForward
from bot.db.enums import CenterStatus
from bot.persian.catalog import t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, reply
from bot.services.centers import Problem
from bot.services.users import id_of
from bot.views import centers as views


# A message shown in place of the tapped one: text and inline buttons (or none).
InPlace = tuple[str, InlineKeyboardMarkup | None]


async def _card(context: KanoonContext) -> InPlace | None:
    assert context.me is not None
    card = await registration.card_of(context.deps, context.me)
    if card is None:
        return None
    deps = context.deps
    return views.card_message(card, id_of(context.me), deps.clock(), deps.settings.tz)


async def _show_in_place(update: Update, context: KanoonContext, rendered: InPlace) -> None:
    """In place of the tapped message (or as a new one if it can no longer be edited)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, *rendered)
    else:
        await reply(update, context, *rendered)


async def _refused(update: Update, context: KanoonContext, problem: Problem) -> None:
    await answer(update, context, views.problem_text(problem), alert=True)


async def refresh(update: Update, context: KanoonContext) -> None:
    rendered = await _card(context)
    if rendered is None:
        await _refused(update, context, Problem(Problem.NO_CENTER))
        return
    await answer(update, context)
    await _show_in_place(update, context, rendered)


async def _forward(update: Update, context: KanoonContext, sent: ToForward) -> None:
    intro, forward = views.invitation_messages(context.deps, sent.center, sent.invitation, sent.leader, sent.assistant)
    await reply(update, context, intro)
    await reply(update, context, forward)


async def on_invitation(update: Update, context: KanoonContext) -> None:
    """cc:inv:new (invite or replace), cc:inv:again (under «… declined»), cc:inv:send, cc:inv:cancel."""
    assert context.me is not None
    query = update.callback_query
    parsed = callbacks.CARD_INVITATION.parse(query.data) if query is not None else None
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    (what,) = parsed
    deps, me = context.deps, context.me
    try:
        if what == "cancel":
            cancelled = await registration.cancel_invitation(deps, me)
            await answer(update, context, t("ccard-invitation-cancelled" if cancelled else "ccard-no-invitation"))
            if (rendered := await _card(context)) is not None:
                await _show_in_place(update, context, rendered)
            return
        if what == "send":
            sent = await registration.invitation_to_resend(deps, me)
            if sent is None:
                await answer(update, context, t("ccard-no-invitation"), alert=True)
                if (rendered := await _card(context)) is not None:
                    await _show_in_place(update, context, rendered)
                return
        else:
            sent = await registration.invite_assistant(deps, me, only_while_awaiting=what == "again")
    except Problem as problem:
        await _refused(update, context, problem)
        return
    await answer(update, context)
    await _forward(update, context, sent)


async def member_link(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    try:
        center = await registration.member_link_center(context.deps, context.me)
    except Problem as problem:
        await _refused(update, context, problem)
        return
    await answer(update, context)
    await reply(update, context, views.member_invitation(context.deps, center))


async def drop(update: Update, context: KanoonContext) -> None:
    """«🗑 لغو ثبت کانون»: asks to be sure first."""
    assert context.me is not None
    try:
        center = await registration.led_center(context.deps, context.me)
        if center.status != CenterStatus.AWAITING_ASSISTANT:
            raise Problem(Problem.NOT_ALLOWED)
    except Problem as problem:
        await _refused(update, context, problem)
        return
    await answer(update, context)
    await _show_in_place(update, context, views.drop_confirmation(center))


async def drop_confirmed(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    try:
        center = await registration.drop_registration(context.deps, context.me)
    except Problem as problem:
        await _refused(update, context, problem)
        return
    await answer(update, context)
    await _show_in_place(update, context, (t("ccard-dropped", name=center.name), None))


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(refresh, pattern=callbacks.CARD_SHOW.matches),
        CallbackQueryHandler(on_invitation, pattern=callbacks.CARD_INVITATION.matches),
        CallbackQueryHandler(member_link, pattern=callbacks.CARD_LINK.matches),
        CallbackQueryHandler(drop, pattern=callbacks.CARD_DROP.matches),
        CallbackQueryHandler(drop_confirmed, pattern=callbacks.CARD_DROP_CONFIRM.matches),
    ]
