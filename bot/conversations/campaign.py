"""Creating a campaign (/campaign, or «📣 پویش تازه» on the leader's card: cp:new).

Title → description → date and time (typed, or the Jalali calendar) → place (optional) →
reminders (toggles) → preview exactly as members will see it → «ارسال» / «ویرایش» / «لغو».
On «ارسال» the campaign, a pending delivery per recipient and the reminders are written in
one transaction, and the sending runs in the background (bot/sending/broadcast.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from typing import Any
from uuid import uuid4

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot import callbacks
from bot.actions import campaigns as actions
from bot.actions.campaigns import CampaignDraft
from bot.conversations import common, help_steps, navigation, supporters_choice, when_step
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.conversations.when_step import Draft
from bot.db.enums import CampaignKind
from bot.db.models import Campaign, User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.services import campaigns as service
from bot.services.campaigns import OFFSETS, CampaignError, id_of
from bot.views import campaigns as views

DRAFT = "campaign_draft"

KIND = "cp_kind"  # gathering or help (issue 13); help goes on in bot/conversations/help_steps.py
TITLE, BODY, WHEN, WHEN_TIME, PLACE, REMINDERS, PREVIEW, EDIT = (
    "cp_title", "cp_body", "cp_when", "cp_when_time", "cp_place", "cp_reminders", "cp_preview", "cp_edit",
)

TITLE_RULE = TextRule(max_len=service.TITLE_MAX, min_len=3)
BODY_RULE = TextRule(max_len=service.BODY_MAX, min_len=3, multiline=True)
PLACE_RULE = TextRule(max_len=service.PLACE_MAX, min_len=2)


def _user_data(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None  # a private chat with a person
    return context.user_data


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = _user_data(context).setdefault(DRAFT, {})
    return draft


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


def _cancel_keyboard(back: bool = True) -> ReplyKeyboardMarkup:
    return navigation.keyboard(back=back)


async def _refuse(update: Update, context: KanoonContext, error: CampaignError) -> int:
    await reply(update, context, views.error_text(error), main_menu())
    common.clear_draft(context, DRAFT)
    return END


# --- entry -----------------------------------------------------------------------------------


async def begin(update: Update, context: KanoonContext) -> str | int:
    await answer(update, context)
    try:
        async with context.deps.unit() as session:
            _, people = await service.sending_audience(session, id_of(_me(context)))
    except CampaignError as error:
        return await _refuse(update, context, error)
    if not people:
        await reply(update, context, t("campaign-no-recipients"), main_menu())
        return END
    return await ask_kind(update, context)


async def ask_kind(update: Update, context: KanoonContext) -> str:
    """Gathering (a time and a place) or help (needs and pledges: docs/charity.md)."""
    await reply(update, context, t("campaign-ask-kind"), inline(
        [(label("campaign-kind-gathering"), callbacks.CREATE_KIND.build("gather"))],
        [(label("campaign-kind-help"), callbacks.CREATE_KIND.build("help"))],
        [(label("charity-btn-cancel"), callbacks.CANCEL.build())],
    ))
    return KIND


async def chose_kind(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    parsed = callbacks.CREATE_KIND.parse(query.data if query else None)
    await answer(update, context)
    await drop_buttons(update)
    if parsed is not None and parsed[0] == "help":
        common.clear_draft(context, DRAFT)
        return await help_steps.begin(update, context)
    common.clear_draft(context, help_steps.DRAFT)
    # The key makes this draft's «ارسال» count once, however often it arrives.
    _user_data(context)[DRAFT] = {"offsets": list(OFFSETS), "key": uuid4().hex}
    await reply(update, context, t("campaign-ask-title"), _cancel_keyboard())
    return TITLE


# --- the steps -------------------------------------------------------------------------------


async def _answer_to(update: Update, context: KanoonContext, rule: TextRule) -> str | None:
    """The typed answer if it is acceptable; otherwise None, after saying what was wrong."""
    value, problem = read_text(update, rule)
    if value is None:
        assert problem is not None
        await reply(update, context, problem)
    return value


async def _next_or_preview(
    update: Update, context: KanoonContext, ask_next: Callable[[Update, KanoonContext], Awaitable[str]],
) -> str | int:
    if _draft(context).get("editing"):
        return await show_preview(update, context)
    return await ask_next(update, context)


async def got_title(update: Update, context: KanoonContext) -> str | int | None:
    value = await _answer_to(update, context, TITLE_RULE)
    if value is None:
        return None
    _draft(context)["title"] = value
    return await _next_or_preview(update, context, ask_body)


async def ask_body(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("campaign-ask-body"), _cancel_keyboard())
    return BODY


async def got_body(update: Update, context: KanoonContext) -> str | int | None:
    value = await _answer_to(update, context, BODY_RULE)
    if value is None:
        return None
    _draft(context)["body"] = value
    return await _next_or_preview(update, context, ask_when)


async def ask_when(update: Update, context: KanoonContext) -> str:
    _draft(context).pop("day", None)
    await when_step.ask(update, context, t("campaign-ask-when"))
    return WHEN


async def _got_moment(update: Update, context: KanoonContext, moment: datetime) -> str | int:
    draft = _draft(context)
    draft["starts_at"] = moment.isoformat()
    draft.pop("day", None)
    return await _next_or_preview(update, context, ask_place)


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


async def ask_place(update: Update, context: KanoonContext) -> str:
    keyboard = navigation.keyboard([label("campaign-btn-no-place")])
    await reply(update, context, t("campaign-ask-place"), keyboard)
    return PLACE


async def no_place(update: Update, context: KanoonContext) -> str | int:
    _draft(context)["place"] = None
    return await _next_or_preview(update, context, ask_reminders)


async def got_place(update: Update, context: KanoonContext) -> str | int | None:
    value = await _answer_to(update, context, PLACE_RULE)
    if value is None:
        return None
    _draft(context)["place"] = value
    return await _next_or_preview(update, context, ask_reminders)


REQUIRED = ("title", "body", "starts_at")


def _incomplete(context: KanoonContext) -> bool:
    """A draft that lost its answers (cleared by another flow) cannot be previewed or sent."""
    return any(key not in (_user_data(context).get(DRAFT) or {}) for key in REQUIRED)


async def _start_over(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("campaign-draft-lost"), main_menu())
    return END


def _possible_offsets(context: KanoonContext) -> list[int]:
    starts_at = datetime.fromisoformat(_draft(context)["starts_at"])
    return [offset for offset, _ in service.reminder_plan(starts_at, list(OFFSETS), context.deps.clock())]


def _reminders_markup(context: KanoonContext) -> InlineKeyboardMarkup:
    return views.reminders_markup(_possible_offsets(context), _draft(context).get("offsets", []))


async def ask_reminders(update: Update, context: KanoonContext) -> str:
    possible = _possible_offsets(context)
    text = t("campaign-ask-reminders")
    if len(possible) < len(OFFSETS):
        text = t("campaign-ask-reminders-some-passed") if possible else t("campaign-ask-reminders-none-possible")
    await reply(update, context, text, _reminders_markup(context))
    return REMINDERS


async def toggle_reminder(update: Update, context: KanoonContext) -> str | int | None:
    if _incomplete(context):
        return await _start_over(update, context)
    query = update.callback_query
    parsed = callbacks.CREATE_REMINDER_TOGGLE.parse(query.data if query else None)
    if query is None or parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    choice = parsed[0]
    if choice == "ok":
        await answer(update, context)
        await drop_buttons(update)
        return await show_preview(update, context)
    offset = int(choice)
    if offset not in _possible_offsets(context):
        await answer(update, context, t("campaign-reminder-not-possible"))
        return None
    chosen = _draft(context).setdefault("offsets", [])
    if offset in chosen:
        chosen.remove(offset)
    else:
        chosen.append(offset)
    await answer(update, context)
    try:
        await query.edit_message_reply_markup(_reminders_markup(context))
    except BadRequest:
        pass
    return None


# --- preview, edit, send --------------------------------------------------------------------


def _draft_campaign(draft: Draft) -> Campaign:
    """The draft as the campaign it will be, for the preview (never stored)."""
    return Campaign(
        center_id=0, created_by=0, kind=CampaignKind.CAMPAIGN, title=draft["title"], body=draft["body"],
        starts_at=datetime.fromisoformat(draft["starts_at"]), place=draft.get("place"),
    )


async def show_preview(update: Update, context: KanoonContext) -> str | int:
    if _incomplete(context):
        return await _start_over(update, context)
    draft = _draft(context)
    draft["editing"] = True
    try:
        center, members, supporters = await supporters_choice.audience(context, draft)
    except CampaignError as error:
        return await _refuse(update, context, error)
    tz = context.deps.settings.tz
    await reply(update, context, views.call_text(_draft_campaign(draft), center.name, tz), views.preview_markup())
    await reply(update, context, *views.campaign_control(members, _chosen_offsets(context), supporters))
    return PREVIEW


def _chosen_offsets(context: KanoonContext) -> list[int]:
    return [o for o in _draft(context).get("offsets", []) if o in _possible_offsets(context)]


async def toggle_supporters(update: Update, context: KanoonContext) -> str | int | None:
    """«🤝 حامیان هم ببینند: بله/خیر» on the preview's control message (issue 13)."""
    if _incomplete(context):
        return await _start_over(update, context)
    supporters_choice.flip(_draft(context))
    try:
        _, members, supporters = await supporters_choice.audience(context, _draft(context))
    except CampaignError as error:
        return await _refuse(update, context, error)
    await supporters_choice.show_again(update, context, views.campaign_control(members, _chosen_offsets(context), supporters))
    return None


async def choose_edit(update: Update, context: KanoonContext) -> str:
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, *views.edit_which())
    return EDIT


async def edit_field(update: Update, context: KanoonContext) -> str | int:
    query = update.callback_query
    parsed = callbacks.CREATE_EDIT_FIELD.parse(query.data if query else None)
    await answer(update, context)
    await drop_buttons(update)
    field = parsed[0] if parsed else "back"
    if field == "title":
        await reply(update, context, t("campaign-ask-title-again"), _cancel_keyboard())
        return TITLE
    if field == "body":
        return await ask_body(update, context)
    if field == "when":
        return await ask_when(update, context)
    if field == "place":
        return await ask_place(update, context)
    if field == "rem":
        return await ask_reminders(update, context)
    return await show_preview(update, context)


async def send(update: Update, context: KanoonContext) -> str | int:
    """«ارسال»: one campaign per draft, however often the tap arrives (the draft's key)."""
    if _incomplete(context):
        return await _start_over(update, context)
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    try:
        sent = await actions.create_campaign(context.deps, _me(context), CampaignDraft(
            title=draft["title"], body=draft["body"], starts_at=datetime.fromisoformat(draft["starts_at"]),
            place=draft.get("place"), offsets=draft.get("offsets", []), key=draft.get("key"),
            to_supporters=supporters_choice.chosen(draft),
        ))
    except CampaignError as error:
        if error.code.startswith("when_"):  # the moment passed while the leader was reviewing
            await reply(update, context, views.error_text(error))
            return await ask_when(update, context)
        return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    if sent.already:  # the leader was told and shown the report the first time
        await reply(update, context, *views.already_sent(CampaignKind.CAMPAIGN))
    return END


discard = common.discard_with(DRAFT, t("campaign-discarded"))


# --- a step back: ask the previous question again, showing the answer given to it -------------


async def back_to_title(update: Update, context: KanoonContext) -> str:
    await navigation.show_earlier(update, context, _draft(context).get("title"))
    await reply(update, context, t("campaign-ask-title-again"), _cancel_keyboard(back=False))
    return TITLE


async def back_to_body(update: Update, context: KanoonContext) -> str:
    await navigation.show_earlier(update, context, _draft(context).get("body"))
    return await ask_body(update, context)


async def back_to_when(update: Update, context: KanoonContext) -> str:
    starts_at = _draft(context).get("starts_at")
    if starts_at:
        await navigation.show_earlier(update, context, views.when(datetime.fromisoformat(starts_at), context.deps.settings.tz))
    return await ask_when(update, context)


async def back_to_place(update: Update, context: KanoonContext) -> str:
    await navigation.show_earlier(update, context, _draft(context).get("place"))
    return await ask_place(update, context)


async def back_to_reminders(update: Update, context: KanoonContext) -> str | int:
    if _incomplete(context):
        return await _start_over(update, context)
    return await ask_reminders(update, context)


BACK: dict[Hashable, navigation.Step | None] = {
    KIND: None, TITLE: ask_kind, BODY: back_to_title, WHEN: back_to_body, WHEN_TIME: back_to_when, PLACE: back_to_when,
    REMINDERS: back_to_place, PREVIEW: back_to_reminders, EDIT: show_preview,
}


use_buttons = common.say(t("campaign-use-buttons"))


def handlers() -> list[Handler]:
    text = FREE_TEXT
    no_place_button = button("campaign-btn-no-place")
    return [common.conversation(
        name="campaign",
        allow_reentry=True,
        back={**BACK, **help_steps.back_steps(ask_kind)},
        entry_points=[
            CommandHandler("campaign", begin),
            MessageHandler(IntentIs(Intent.NEW_CAMPAIGN), begin),  # «پویش تازه» typed
            CallbackQueryHandler(begin, pattern=callbacks.CREATE_CAMPAIGN.matches),
        ],
        states={
            KIND: [CallbackQueryHandler(chose_kind, pattern=callbacks.CREATE_KIND.matches), MessageHandler(text, use_buttons)],
            **help_steps.states(ask_kind),
            TITLE: [MessageHandler(text, got_title)],
            BODY: [MessageHandler(text, got_body)],
            WHEN: [MessageHandler(text, typed_when), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            WHEN_TIME: [MessageHandler(text, typed_time), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            PLACE: [MessageHandler(no_place_button, no_place), MessageHandler(text, got_place)],
            REMINDERS: [
                CallbackQueryHandler(toggle_reminder, pattern=callbacks.CREATE_REMINDER_TOGGLE.matches),
                MessageHandler(text, use_buttons),
            ],
            PREVIEW: [
                CallbackQueryHandler(send, pattern=callbacks.CREATE_SEND.matches),
                CallbackQueryHandler(choose_edit, pattern=callbacks.CREATE_EDIT.matches),
                CallbackQueryHandler(discard, pattern=callbacks.CREATE_DISCARD.matches),
                CallbackQueryHandler(toggle_supporters, pattern=callbacks.CREATE_SUPPORTERS.matches),
                MessageHandler(text, use_buttons),
            ],
            EDIT: [
                CallbackQueryHandler(edit_field, pattern=callbacks.CREATE_EDIT_FIELD.matches),
                MessageHandler(text, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT, help_steps.DRAFT),
    )]
