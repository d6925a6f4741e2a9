"""Campaign buttons and commands outside the creation conversations.

Members: «شرکت می‌کنم» / «نمی‌توانم» (ca:y / ca:n, changeable until the start), the reminder
switch (ca:m), a fresh copy of a call (ca:v). The leader (and assistant, read-only): /campaigns,
the «پویش‌ها» menu button and cp:all list the center's campaigns with their figures; cr:o opens
a report, cr:r refreshes it, cr:x / cr:xy cancel a campaign (cr:t, moving it, is a conversation).
The center is always worked out from the tapping user, never from the callback data; data that
does not parse gets the stale-button answer.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot import callbacks
from bot.actions import campaigns as actions
from bot.callbacks import Codec
from bot.db.enums import Answer
from bot.db.models import User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import answer, button, main_menu, reply
from bot.services import campaign_people
from bot.services import campaigns as service
from bot.services.campaign_people import Who
from bot.services.campaigns import CampaignError, id_of
from bot.views import campaigns as views

PER_PAGE = 5

_CHOICES = {"y": Answer.YES, "n": Answer.NO}


def _me(context: KanoonContext) -> User:
    assert context.me is not None  # set by the middleware for every update with a sender
    return context.me


async def _campaign_id(update: Update, context: KanoonContext, codec: Codec) -> int | None:
    """The campaign id a report button carries; None (after the stale answer) if it does not parse."""
    query = update.callback_query
    parsed = codec.parse(query.data if query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    campaign_id: int = parsed[0]
    return campaign_id


async def _edit_markup(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest:  # not modified, or too old: the answer itself is recorded
        pass


async def _edit_text(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    message_id = query.message.message_id if query and query.message else None
    chat = update.effective_chat
    assert chat is not None
    await context.messenger.edit_or_send(chat.id, message_id, text, markup)


async def _refused(update: Update, context: KanoonContext, error: CampaignError) -> None:
    await answer(update, context, views.error_text(error), alert=True)


# --- members' answers ------------------------------------------------------------------------


async def on_answer(update: Update, context: KanoonContext) -> None:
    query = update.callback_query
    parsed = callbacks.ANSWER.parse(query.data if query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    action, campaign_id = parsed
    if action == "v":
        await _show_call(update, context, campaign_id)
        return
    deps, me = context.deps, _me(context)
    try:
        if action == "m":
            done = await actions.mute_campaign(deps, me, campaign_id)
            toast = t("campaign-muted") if done.muted else t("campaign-unmuted")
        else:
            done = await actions.answer_campaign(deps, me, campaign_id, _CHOICES[action])
            if not done.changed:
                toast = t("campaign-answer-same")
            else:
                toast = t("campaign-answered-yes") if done.answer == Answer.YES else t("campaign-answered-no")
    except CampaignError as error:
        await _refused(update, context, error)
        if error.code in ("cancelled", "started"):
            await _edit_markup(update, None)  # its buttons no longer do anything
        return
    await answer(update, context, toast)
    await _edit_markup(update, views.answer_markup(campaign_id, done.answer, done.muted))


async def _show_call(update: Update, context: KanoonContext, campaign_id: int) -> None:
    """A member asks to see a call again (from their list of campaigns)."""
    async with context.deps.unit() as session:
        try:
            campaign, center, answer_, muted = await service.call_for(session, campaign_id, id_of(_me(context)))
        except CampaignError as error:
            await _refused(update, context, error)
            return
    await answer(update, context)
    await reply(update, context, views.call_text(campaign, center.name, context.deps.settings.tz),
                views.answer_markup(campaign_id, answer_, muted))


async def preview_only(update: Update, context: KanoonContext) -> None:
    await answer(update, context, t("campaign-preview-only"))


# --- lists -----------------------------------------------------------------------------------


async def list_campaigns(update: Update, context: KanoonContext) -> None:
    """/campaigns, «پویش‌ها», cp:all[:page]: the center's campaigns for its leader/assistant;
    a member sees the calls ahead of them."""
    await answer(update, context)
    query = update.callback_query
    paged = callbacks.CAMPAIGNS_PAGE.parse(query.data if query else None)
    page = paged[0] if paged else 0
    deps, me = context.deps, _me(context)
    now, tz = deps.clock(), deps.settings.tz
    async with deps.unit() as session:
        listing = await service.center_list(session, id_of(me), page, PER_PAGE)
        members = await service.member_list(session, id_of(me), now) if listing is None else None
    if listing is not None:
        text, markup = views.center_list(listing, page, PER_PAGE, now, tz)
        if paged:  # paging: turn the page in place
            await _edit_text(update, context, text, markup)
        else:
            await reply(update, context, text, markup)
    elif members is not None and members.upcoming:
        await reply(update, context, *views.member_list(members.upcoming, tz))
    elif members is not None and members.is_member:
        await reply(update, context, t("campaigns-member-empty"), main_menu())
    else:
        await reply(update, context, t("campaigns-not-member"), main_menu())


# --- reports and cancelling --------------------------------------------------------------------


async def open_report(update: Update, context: KanoonContext) -> None:
    campaign_id = await _campaign_id(update, context, callbacks.REPORT_OPEN)
    if campaign_id is None:
        return
    try:
        await actions.show_report(context.deps, _me(context), campaign_id)
    except CampaignError as error:
        await _refused(update, context, error)
        return
    await answer(update, context)


async def refresh_report(update: Update, context: KanoonContext) -> None:
    campaign_id = await _campaign_id(update, context, callbacks.REPORT_REFRESH)
    if campaign_id is None:
        return
    me, deps = _me(context), context.deps
    async with deps.unit() as session:
        try:
            found = await service.report(session, campaign_id, id_of(me))
        except CampaignError as error:
            await _refused(update, context, error)
            return
    await answer(update, context, t("campaign-refreshed"))
    text, markup = views.report(found.campaign, found.figures, deps.clock(), deps.settings.tz,
                                can_manage=found.center.leader_id == me.id)
    await _edit_text(update, context, text, markup)


async def ask_cancel(update: Update, context: KanoonContext) -> None:
    campaign_id = await _campaign_id(update, context, callbacks.REPORT_CANCEL)
    if campaign_id is None:
        return
    async with context.deps.unit() as session:
        try:
            campaign = await service.changeable_campaign(session, campaign_id, id_of(_me(context)), context.deps.clock())
        except CampaignError as error:
            await _refused(update, context, error)
            return
        told = await service.reached_count(session, campaign_id)
    await answer(update, context)
    await reply(update, context, *views.cancel_confirm(campaign, told))


async def confirm_cancel(update: Update, context: KanoonContext) -> None:
    campaign_id = await _campaign_id(update, context, callbacks.REPORT_CANCEL_CONFIRM)
    if campaign_id is None:
        return
    try:
        done = await actions.cancel_campaign(context.deps, _me(context), campaign_id)
    except CampaignError as error:
        await _refused(update, context, error)
        await _edit_markup(update, None)
        return
    await answer(update, context)
    await _edit_text(update, context, t("campaign-cancelled-done", title=done.campaign.title or "", notices=done.notices))


async def keep(update: Update, context: KanoonContext) -> None:
    await answer(update, context)
    await _edit_text(update, context, t("campaign-cancel-kept"))


# --- registration ------------------------------------------------------------------------------


async def show_people(update: Update, context: KanoonContext) -> None:
    """«👥 چه کسانی می‌آیند؟» and its tabs and pages: the names, in place of the tapped message."""
    query = update.callback_query
    parsed = callbacks.REPORT_PEOPLE.parse(query.data if query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    campaign_id, who, page = parsed
    async with context.deps.unit() as session:  # a read-only look
        try:
            found = await campaign_people.people(session, campaign_id, id_of(_me(context)), Who(who), page)
        except CampaignError as error:
            await _refused(update, context, error)
            return
    await answer(update, context)
    await _edit_text(update, context, *views.people_card(found))


def one_tap_buttons() -> list[Handler]:
    """Answers, reports and cancelling work in the middle of any conversation too."""
    return [
        CallbackQueryHandler(on_answer, pattern=callbacks.ANSWER.matches),
        CallbackQueryHandler(preview_only, pattern=callbacks.CREATE_PREVIEW_BUTTON.matches),
        CallbackQueryHandler(list_campaigns, pattern=callbacks.CAMPAIGNS_LIST.matches),
        CallbackQueryHandler(list_campaigns, pattern=callbacks.CAMPAIGNS_PAGE.matches),
        CallbackQueryHandler(open_report, pattern=callbacks.REPORT_OPEN.matches),
        CallbackQueryHandler(refresh_report, pattern=callbacks.REPORT_REFRESH.matches),
        CallbackQueryHandler(show_people, pattern=callbacks.REPORT_PEOPLE.matches),
        CallbackQueryHandler(ask_cancel, pattern=callbacks.REPORT_CANCEL.matches),
        CallbackQueryHandler(confirm_cancel, pattern=callbacks.REPORT_CANCEL_CONFIRM.matches),
        CallbackQueryHandler(keep, pattern=callbacks.REPORT_CANCEL_KEEP.matches),
    ]


def handlers() -> list[Handler]:
    return [
        *one_tap_buttons(),
        CommandHandler("campaigns", list_campaigns),
        MessageHandler(button("menu-campaigns"), list_campaigns),
        MessageHandler(IntentIs(Intent.CAMPAIGNS), list_campaigns),  # «پویش‌ها»، «برنامه‌ها» typed
    ]
