"""Moving a campaign to a new time («⏰ تغییر زمان» on its report: cr:t:<id>).

New date and time (typed or calendar, same rules as creating) → confirm → the members who
were told get the new time with their answer buttons, and the reminders are re-planned.
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import campaigns as actions
from bot.conversations import common, navigation, when_step
from bot.conversations.common import END, FREE_TEXT
from bot.conversations.when_step import Draft
from bot.db.models import User
from bot.persian.catalog import Raw, t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, drop_buttons, label, main_menu, reply, reply_keyboard
from bot.services import campaigns as service
from bot.services.campaigns import CampaignError, as_utc, id_of
from bot.views import campaigns as views

DRAFT = "campaign_move"
WHEN, WHEN_TIME, CONFIRM = "mv_when", "mv_when_time", "mv_confirm"


def _draft(context: KanoonContext) -> Draft:
    assert context.user_data is not None  # a private chat with a person
    draft: Draft = context.user_data.setdefault(DRAFT, {})
    return draft


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


async def begin(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.REPORT_MOVE.parse(query.data if query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return END
    try:
        async with context.deps.unit() as session:
            campaign = await service.changeable_campaign(session, parsed[0], id_of(_me(context)), context.deps.clock())
    except CampaignError as error:
        await answer(update, context, views.error_text(error), alert=True)
        return END
    await answer(update, context)
    common.clear_draft(context, DRAFT)
    _draft(context).update({"id": id_of(campaign), when_step.FIRST_STEP: True})
    tz = context.deps.settings.tz
    await reply(update, context, t("campaign-move-intro", title=campaign.title or "", when=Raw(views.when(campaign.starts_at, tz))),
                navigation.keyboard(back=False))
    await when_step.ask(update, context, t("campaign-move-ask"), back=False)
    return WHEN


async def back_to_day(update: Update, context: KanoonContext) -> str:
    """«🔙» at the hour or the confirmation: the calendar again."""
    _draft(context).pop("day", None)
    await when_step.ask(update, context, t("campaign-move-ask"), back=False)
    return WHEN


async def _got_moment(update: Update, context: KanoonContext, moment: datetime) -> str | int | None:
    draft = _draft(context)
    try:
        async with context.deps.unit() as session:
            campaign = await service.changeable_campaign(session, draft["id"], id_of(_me(context)), context.deps.clock())
            told = await service.reached_count(session, id_of(campaign))
    except CampaignError as error:
        common.clear_draft(context, DRAFT)
        await reply(update, context, views.error_text(error), main_menu())
        return END
    if campaign.starts_at is not None and as_utc(campaign.starts_at) == moment:
        await reply(update, context, t("campaign-error-same_time"))
        return None
    draft["starts_at"] = moment.isoformat()
    draft.pop("day", None)
    await reply(update, context, *views.move_confirm(campaign, moment, told, context.deps.settings.tz))
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
    draft = _draft(context)
    if "starts_at" not in draft or "id" not in draft:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("button-stale"), main_menu())
        return END
    deps = context.deps
    try:
        moved = await actions.move_campaign(deps, _me(context), draft["id"], datetime.fromisoformat(draft["starts_at"]))
    except CampaignError as error:
        await reply(update, context, views.error_text(error))
        if error.code.startswith("when_") or error.code == "same_time":
            await when_step.ask(update, context, t("campaign-move-ask"), back=False)
            return WHEN
        common.clear_draft(context, DRAFT)
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("campaign-moved-done", when=Raw(views.when(moved.campaign.starts_at, deps.settings.tz)),
                                   notices=moved.notices), main_menu())
    return END


discard = common.discard_with(DRAFT, t("campaign-move-discarded"))


use_buttons = common.say(t("campaign-use-buttons"))


def _discarding(data: object) -> bool:
    parsed = callbacks.REPORT_MOVE_CONFIRM.parse(data)
    return parsed is not None and parsed[0] == "tn"


def _confirming(data: object) -> bool:
    parsed = callbacks.REPORT_MOVE_CONFIRM.parse(data)
    return parsed is not None and parsed[0] == "ty"


def handlers() -> list[Handler]:
    return [common.conversation(
        name="campaign_time",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=callbacks.REPORT_MOVE.matches)],
        back={WHEN: None, WHEN_TIME: back_to_day, CONFIRM: back_to_day},
        states={
            WHEN: [MessageHandler(FREE_TEXT, typed_when), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            WHEN_TIME: [MessageHandler(FREE_TEXT, typed_time), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=_confirming),
                CallbackQueryHandler(discard, pattern=_discarding),
                MessageHandler(FREE_TEXT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
