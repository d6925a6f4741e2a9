"""Moving a campaign to a new time («⏰ تغییر زمان» on its report: cr:t:<id>).

New date and time (typed or calendar, same rules as creating) → confirm → the members who
were told get the new time with their answer buttons, and the reminders are re-planned.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot.jobs import reminders
from bot.sending import broadcast
from bot.ptb.context import KanoonContext
from bot.conversations import common, when_step
from bot.conversations.common import END, FREE_TEXT
from bot.persian.catalog import Raw, t
from bot.services import campaigns as service
from bot.services.campaigns import P_MOVED, CampaignError
from bot.ptb.ui import answer, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.views import campaigns as views

DRAFT = "campaign_move"
WHEN, WHEN_TIME, CONFIRM = "mv_when", "mv_when_time", "mv_confirm"


def _draft(context: KanoonContext) -> dict:
    return context.user_data.setdefault(DRAFT, {})


async def begin(update: Update, context: KanoonContext) -> str | int:
    data = update.callback_query.data if update.callback_query else ""
    tail = (data or "").rsplit(":", 1)[-1]
    assert context.me is not None
    async with context.sessions() as session:
        try:
            campaign = await service.changeable_campaign(
                session, int(tail) if tail.isdigit() else 0, context.me.id, context.deps.clock(),  # type: ignore[arg-type]
            )
        except CampaignError as error:
            await answer(update, context, views.error_text(error), alert=True)
            return END
    await answer(update, context)
    context.user_data[DRAFT] = {"id": campaign.id}
    tz = context.deps.settings.tz
    await reply(update, context, t("campaign-move-intro", title=campaign.title or "", when=Raw(views.when(campaign.starts_at, tz))),
                reply_keyboard([label("btn-cancel")]))
    await when_step.ask(update, context, t("campaign-move-ask"))
    return WHEN


async def _got_moment(update: Update, context: KanoonContext, moment: datetime) -> str | int | None:
    draft = _draft(context)
    assert context.me is not None
    async with context.sessions() as session:
        try:
            campaign = await service.changeable_campaign(session, draft["id"], context.me.id, context.deps.clock())  # type: ignore[arg-type]
        except CampaignError as error:
            common.clear_draft(context, DRAFT)
            await reply(update, context, views.error_text(error), main_menu())
            return END
        told = await service.reached_count(session, campaign.id)  # type: ignore[arg-type]
    if campaign.starts_at is not None and service.as_utc(campaign.starts_at) == moment:
        await reply(update, context, t("campaign-error-same_time"))
        return None
    draft["starts_at"] = moment.isoformat()
    draft.pop("day", None)
    tz = context.deps.settings.tz
    await reply(update, context, t(
        "campaign-move-confirm", title=campaign.title or "", previous=Raw(views.when(campaign.starts_at, tz)),
        when=Raw(views.when(moment, tz)), told=told,
    ), inline([(label("campaign-btn-move-yes"), "cr:ty"), (label("campaign-btn-discard"), "cr:tn")]))
    return CONFIRM


async def typed_when(update: Update, context: KanoonContext) -> str | int | None:
    moment = await when_step.read_typed(update, context)
    return None if moment is None else await _got_moment(update, context, moment)


async def typed_time(update: Update, context: KanoonContext) -> str | int | None:
    moment = await when_step.read_time(update, context, _draft(context))
    return None if moment is None else await _got_moment(update, context, moment)


async def calendar(update: Update, context: KanoonContext) -> str | int | None:
    outcome = await when_step.on_calendar(update, context, _draft(context))
    if isinstance(outcome, datetime):
        return await _got_moment(update, context, outcome)
    if outcome == when_step.PICK_TIME:
        return WHEN_TIME
    if outcome == when_step.BACK_TO_MONTH:
        return WHEN
    return None


async def confirm(update: Update, context: KanoonContext) -> int | str:
    await answer(update, context)
    await drop_buttons(update)
    draft = context.user_data.get(DRAFT) or {}
    assert context.me is not None
    deps = context.deps
    if "starts_at" not in draft:
        await reply(update, context, t("button-stale"), main_menu())
        return END
    async with context.sessions() as session:
        try:
            moved = await service.reschedule(
                session, draft["id"], context.me.id, datetime.fromisoformat(draft["starts_at"]), deps.clock(),  # type: ignore[arg-type]
            )
        except CampaignError as error:
            await reply(update, context, views.error_text(error))
            if error.code.startswith("when_") or error.code == "same_time":
                await when_step.ask(update, context, t("campaign-move-ask"))
                return WHEN
            common.clear_draft(context, DRAFT)
            return END
    common.clear_draft(context, DRAFT)
    reminders.disarm(deps, moved.cancelled_reminders)
    for reminder in moved.reminders:
        reminders.arm(deps, reminder)
    broadcast.follow_up(deps, P_MOVED, moved.event_id, moved.campaign.id)  # type: ignore[arg-type]
    await reply(update, context, t("campaign-moved-done", when=Raw(views.when(moved.campaign.starts_at, deps.settings.tz)),
                                   notices=moved.notices), main_menu())
    broadcast.report_soon(deps, moved.campaign.id)  # type: ignore[arg-type]
    return END


discard = common.discard_with(DRAFT, t("campaign-move-discarded"))


use_buttons = common.say(t("campaign-use-buttons"))


def handlers() -> list[BaseHandler]:
    return [common.conversation(
        name="campaign_time",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=r"^cr:t:\d+$")],
        states={
            WHEN: [MessageHandler(FREE_TEXT, typed_when), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            WHEN_TIME: [MessageHandler(FREE_TEXT, typed_time), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=r"^cr:ty$"),
                CallbackQueryHandler(discard, pattern=r"^cr:tn$"),
                MessageHandler(FREE_TEXT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
