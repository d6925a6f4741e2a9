"""Campaign buttons and commands outside the creation conversations.

Members: «شرکت می‌کنم» / «نمی‌توانم» (ca:y / ca:n, changeable until the start), the reminder
switch (ca:m), a fresh copy of a call (ca:v). The leader (and assistant, read-only): /campaigns,
the «پویش‌ها» menu button and cp:all list the center's campaigns with their figures; cr:o opens
a report, cr:r refreshes it, cr:x / cr:xy cancel a campaign (cr:t, moving it, is a conversation).
The center is always worked out from the tapping user, never from the callback data.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.jobs import reminders
from bot.sending import broadcast
from bot.ptb.context import KanoonContext
from bot.db.repo import centers as centers_repo
from bot.db.repo import memberships as memberships_repo
from bot.persian.catalog import Raw, t
from bot.services import campaigns as service
from bot.services.campaigns import NO, P_CALL, P_CANCEL, YES, CampaignError
from bot.ptb.ui import answer, button, inline, label, main_menu, reply
from bot.views import campaigns as views

PER_PAGE = 5


def _id(update: Update) -> int | None:
    data = update.callback_query.data if update.callback_query else None
    tail = (data or "").rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


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
    await context.messenger.edit_or_send(update.effective_chat.id, message_id, text, markup)  # type: ignore[union-attr]


# --- starting a broadcast (used by the creation conversations) ------------------------------


async def start_sending(update: Update, context: KanoonContext, campaign_id: int, intro: str) -> None:
    """Tell the leader, post the report message they will watch, and start sending."""
    deps = context.deps
    await reply(update, context, intro, main_menu())
    async with context.sessions() as session:
        campaign, _ = await service.viewable_campaign(session, campaign_id, context.me.id)  # type: ignore[union-attr, arg-type]
        figures = (await service.figures(session, [campaign_id]))[campaign_id]
    now = deps.clock()
    report = await reply(update, context, views.report_text(campaign, figures, now, deps.settings.tz),
                         views.report_markup(campaign, now, can_manage=True))
    async with context.sessions() as session:
        await service.set_report_message(session, campaign_id, report.message_id)
    broadcast.start(deps, P_CALL, campaign_id)


# --- members' answers ------------------------------------------------------------------------


async def on_answer(update: Update, context: KanoonContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and context.me is not None
    parts = query.data.split(":")
    campaign_id = _id(update)
    if len(parts) != 3 or campaign_id is None or parts[1] not in ("y", "n", "m", "v"):
        await answer(update, context, t("button-stale"))
        return
    deps, action = context.deps, parts[1]
    if action == "v":
        await _show_call(update, context, campaign_id)
        return
    async with context.sessions() as session:
        try:
            if action == "m":
                row = await service.toggle_mute(session, campaign_id, context.me.id, deps.clock())  # type: ignore[arg-type]
                toast = t("campaign-muted") if row.muted else t("campaign-unmuted")
            else:
                row, changed = await service.answer(
                    session, campaign_id, context.me.id, YES if action == "y" else NO, deps.clock(),  # type: ignore[arg-type]
                )
                if not changed:
                    toast = t("campaign-answer-same")
                else:
                    toast = t("campaign-answered-yes") if row.answer == YES else t("campaign-answered-no")
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
            if error.code in ("cancelled", "started"):
                await _edit_markup(update, None)  # its buttons no longer do anything
            return
    await answer(update, context, toast)
    await _edit_markup(update, views.answer_markup(campaign_id, row.answer, row.muted))
    if action != "m":
        broadcast.report_soon(deps, campaign_id)


async def _show_call(update: Update, context: KanoonContext, campaign_id: int) -> None:
    """A member asks to see a call again (from their list of campaigns)."""
    assert context.me is not None
    async with context.sessions() as session:
        try:
            campaign, center, answer_, muted = await service.call_for(session, campaign_id, context.me.id)  # type: ignore[arg-type]
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
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
    assert context.me is not None
    data = update.callback_query.data if update.callback_query else None
    page = int(data.split(":")[2]) if data and data.count(":") == 2 and data.split(":")[2].isdigit() else 0
    deps = context.deps
    async with context.sessions() as session:
        center = await centers_repo.run_by(session, context.me.id)  # type: ignore[arg-type]
        if center is None:
            await _member_list(update, context)
            return
        campaigns, total = await service.center_campaigns(session, center.id, page, PER_PAGE)  # type: ignore[arg-type]
        figures = await service.figures(session, [c.id for c in campaigns])  # type: ignore[misc]
    first = page * PER_PAGE + 1
    text = views.list_text(center.name, campaigns, figures, total, first, deps.clock(), deps.settings.tz)
    if center.leader_id == context.me.id and center.status == "active":
        text = Raw(text + "\n\n" + t("campaigns-list-how"))
    markup = views.list_markup(campaigns, first, page, has_more=first - 1 + len(campaigns) < total)
    if update.callback_query and data and data.count(":") == 2:  # paging: turn the page in place
        await _edit_text(update, context, text, markup)
    else:
        await reply(update, context, text, markup)


async def _member_list(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        membership = await memberships_repo.active_for(session, context.me.id)  # type: ignore[arg-type]
        upcoming = await service.received_upcoming(session, context.me.id, context.deps.clock())  # type: ignore[arg-type]
    if membership is None and not upcoming:
        await reply(update, context, t("campaigns-not-member"), main_menu())
        return
    if not upcoming:
        await reply(update, context, t("campaigns-member-empty"), main_menu())
        return
    tz = context.deps.settings.tz
    lines = [t("campaigns-member-title")]
    for campaign, row in upcoming:
        answer_text = {YES: t("campaigns-member-yes"), NO: t("campaigns-member-no")}.get(
            row.answer if row else None, t("campaigns-member-none"))
        lines.append(t("campaigns-member-item", title=campaign.title or "", when=Raw(views.when(campaign.starts_at, tz)),
                       answer=answer_text))
    markup = inline(*[[(label("campaigns-member-open", title=views.snippet(c.title or "", 30)), f"ca:v:{c.id}")]
                      for c, _ in upcoming[:10]])
    await reply(update, context, Raw("\n\n".join(lines)), markup)


# --- reports and cancelling --------------------------------------------------------------------


async def _report(update: Update, context: KanoonContext, campaign_id: int):  # noqa: ANN202
    """(text, markup, is_creator) of a campaign's report for the tapping user, or None if refused."""
    assert context.me is not None
    async with context.sessions() as session:
        try:
            campaign, center = await service.viewable_campaign(session, campaign_id, context.me.id)  # type: ignore[arg-type]
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
            return None
        figures = (await service.figures(session, [campaign_id]))[campaign_id]
    now = context.deps.clock()
    is_leader = center.leader_id == context.me.id
    text = views.report_text(campaign, figures, now, context.deps.settings.tz)
    return text, views.report_markup(campaign, now, can_manage=is_leader), campaign.created_by == context.me.id


async def open_report(update: Update, context: KanoonContext) -> None:
    campaign_id = _id(update)
    found = await _report(update, context, campaign_id) if campaign_id else None
    if found is None:
        if campaign_id is None:
            await answer(update, context, t("button-stale"))
        return
    text, markup, is_creator = found
    await answer(update, context)
    message = await reply(update, context, text, markup)
    if is_creator:  # the live report follows the leader to the newest copy
        async with context.sessions() as session:
            await service.set_report_message(session, campaign_id, message.message_id)  # type: ignore[arg-type]


async def refresh_report(update: Update, context: KanoonContext) -> None:
    campaign_id = _id(update)
    found = await _report(update, context, campaign_id) if campaign_id else None
    if found is None:
        if campaign_id is None:
            await answer(update, context, t("button-stale"))
        return
    text, markup, _ = found
    await answer(update, context, t("campaign-refreshed"))
    await _edit_text(update, context, text, markup)


async def ask_cancel(update: Update, context: KanoonContext) -> None:
    campaign_id = _id(update)
    assert context.me is not None
    async with context.sessions() as session:
        try:
            campaign = await service.changeable_campaign(session, campaign_id or 0, context.me.id, context.deps.clock())  # type: ignore[arg-type]
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
            return
        told = await service.reached_count(session, campaign_id)  # type: ignore[arg-type]
    await answer(update, context)
    await reply(update, context, t("campaign-cancel-confirm", title=campaign.title or "", told=told), inline(
        [(label("campaign-btn-cancel-yes"), f"cr:xy:{campaign_id}"), (label("campaign-btn-keep"), f"cr:xn:{campaign_id}")],
    ))


async def confirm_cancel(update: Update, context: KanoonContext) -> None:
    campaign_id = _id(update)
    assert context.me is not None
    deps = context.deps
    async with context.sessions() as session:
        try:
            done = await service.cancel(session, campaign_id or 0, context.me.id, deps.clock())  # type: ignore[arg-type]
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
            await _edit_markup(update, None)
            return
    reminders.disarm(deps, done.cancelled_reminders)
    broadcast.follow_up(deps, P_CANCEL, campaign_id, campaign_id)  # type: ignore[arg-type]
    await answer(update, context)
    await _edit_text(update, context, t("campaign-cancelled-done", title=done.campaign.title or "", notices=done.notices))


async def keep(update: Update, context: KanoonContext) -> None:
    await answer(update, context)
    await _edit_text(update, context, t("campaign-cancel-kept"))


# --- registration ------------------------------------------------------------------------------


def one_tap_buttons() -> list[BaseHandler]:
    """Answers, reports and cancelling work in the middle of any conversation too."""
    return [
        CallbackQueryHandler(on_answer, pattern=r"^ca:"),
        CallbackQueryHandler(preview_only, pattern=r"^cp:pv$"),
        CallbackQueryHandler(list_campaigns, pattern=r"^cp:all(:\d+)?$"),
        CallbackQueryHandler(open_report, pattern=r"^cr:o:\d+$"),
        CallbackQueryHandler(refresh_report, pattern=r"^cr:r:\d+$"),
        CallbackQueryHandler(ask_cancel, pattern=r"^cr:x:\d+$"),
        CallbackQueryHandler(confirm_cancel, pattern=r"^cr:xy:\d+$"),
        CallbackQueryHandler(keep, pattern=r"^cr:xn:\d+$"),
    ]


def handlers() -> list[BaseHandler]:
    return [
        *one_tap_buttons(),
        CommandHandler("campaigns", list_campaigns),
        MessageHandler(button("menu-campaigns"), list_campaigns),
    ]
