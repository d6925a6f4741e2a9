"""Creating a campaign (/campaign, or «📣 پویش تازه» on the leader's card: cp:new).

Title → description → date and time (typed, or the Jalali calendar) → place (optional) →
reminders (toggles) → preview exactly as members will see it → «ارسال» / «ویرایش» / «لغو».
On «ارسال» the campaign, a pending delivery per recipient and the reminders are written in
one transaction, and the sending runs in the background (bot/sending/broadcast.py).
"""

from __future__ import annotations

from datetime import datetime

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.jobs import reminders
from bot.ptb.context import KanoonContext
from bot.conversations import common, when_step
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.db.models import Campaign
from bot.handlers import campaigns as campaign_handlers
from bot.persian.catalog import t
from bot.services import campaigns as service
from bot.services.campaigns import KIND_CAMPAIGN, OFFSETS, CampaignError
from bot.ptb.ui import answer, button, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.views import campaigns as views

DRAFT = "campaign_draft"

TITLE, BODY, WHEN, WHEN_TIME, PLACE, REMINDERS, PREVIEW, EDIT = (
    "cp_title", "cp_body", "cp_when", "cp_when_time", "cp_place", "cp_reminders", "cp_preview", "cp_edit",
)

TITLE_RULE = TextRule(max_len=service.TITLE_MAX, min_len=3)
BODY_RULE = TextRule(max_len=service.BODY_MAX, min_len=3, multiline=True)
PLACE_RULE = TextRule(max_len=service.PLACE_MAX, min_len=2)


def _draft(context: KanoonContext) -> dict:
    return context.user_data.setdefault(DRAFT, {})


def _cancel_keyboard():  # noqa: ANN202
    return reply_keyboard([label("btn-cancel")])


async def _refuse(update: Update, context: KanoonContext, error: CampaignError) -> int:
    await reply(update, context, views.error_text(error), main_menu())
    common.clear_draft(context, DRAFT)
    return END


# --- entry -----------------------------------------------------------------------------------


async def begin(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    assert context.me is not None
    async with context.sessions() as session:
        try:
            center = await service.leader_center(session, context.me.id)  # type: ignore[arg-type]
        except CampaignError as error:
            return await _refuse(update, context, error)
        people = await service.audience(session, center, context.me.id)  # type: ignore[arg-type]
    if not people:
        await reply(update, context, t("campaign-no-recipients"), main_menu())
        return END
    context.user_data[DRAFT] = {"offsets": list(OFFSETS)}
    await reply(update, context, t("campaign-ask-title"), _cancel_keyboard())
    return TITLE


# --- the steps -------------------------------------------------------------------------------


async def _next_or_preview(update: Update, context: KanoonContext, ask_next) -> str:  # noqa: ANN001
    if _draft(context).get("editing"):
        return await show_preview(update, context)
    return await ask_next(update, context)


async def got_title(update: Update, context: KanoonContext) -> str | None:
    value, problem = read_text(update, TITLE_RULE)
    if value is None:
        await reply(update, context, problem)
        return None
    _draft(context)["title"] = value
    return await _next_or_preview(update, context, ask_body)


async def ask_body(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("campaign-ask-body"), _cancel_keyboard())
    return BODY


async def got_body(update: Update, context: KanoonContext) -> str | None:
    value, problem = read_text(update, BODY_RULE)
    if value is None:
        await reply(update, context, problem)
        return None
    _draft(context)["body"] = value
    return await _next_or_preview(update, context, ask_when)


async def ask_when(update: Update, context: KanoonContext) -> str:
    _draft(context).pop("day", None)
    await when_step.ask(update, context, t("campaign-ask-when"))
    return WHEN


async def _got_moment(update: Update, context: KanoonContext, moment: datetime) -> str:
    draft = _draft(context)
    draft["starts_at"] = moment.isoformat()
    draft.pop("day", None)
    return await _next_or_preview(update, context, ask_place)


async def typed_when(update: Update, context: KanoonContext) -> str | None:
    moment = await when_step.read_typed(update, context)
    return None if moment is None else await _got_moment(update, context, moment)


async def typed_time(update: Update, context: KanoonContext) -> str | None:
    moment = await when_step.read_time(update, context, _draft(context))
    return None if moment is None else await _got_moment(update, context, moment)


async def calendar(update: Update, context: KanoonContext) -> str | None:
    outcome = await when_step.on_calendar(update, context, _draft(context))
    if isinstance(outcome, datetime):
        return await _got_moment(update, context, outcome)
    if outcome == when_step.PICK_TIME:
        return WHEN_TIME
    if outcome == when_step.BACK_TO_MONTH:
        return WHEN
    return None


async def ask_place(update: Update, context: KanoonContext) -> str:
    keyboard = reply_keyboard([label("campaign-btn-no-place")], [label("btn-cancel")])
    await reply(update, context, t("campaign-ask-place"), keyboard)
    return PLACE


async def no_place(update: Update, context: KanoonContext) -> str:
    _draft(context)["place"] = None
    return await _next_or_preview(update, context, ask_reminders)


async def got_place(update: Update, context: KanoonContext) -> str | None:
    value, problem = read_text(update, PLACE_RULE)
    if value is None:
        await reply(update, context, problem)
        return None
    _draft(context)["place"] = value
    return await _next_or_preview(update, context, ask_reminders)


REQUIRED = ("title", "body", "starts_at")


def _incomplete(context: KanoonContext) -> bool:
    """A draft that lost its answers (cleared by another flow) cannot be previewed or sent."""
    return any(key not in (context.user_data.get(DRAFT) or {}) for key in REQUIRED)


async def _start_over(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("campaign-draft-lost"), main_menu())
    return END


def _possible_offsets(context: KanoonContext) -> list[int]:
    starts_at = datetime.fromisoformat(_draft(context)["starts_at"])
    return [offset for offset, _ in service.reminder_plan(starts_at, list(OFFSETS), context.deps.clock())]


def _reminders_markup(context: KanoonContext):  # noqa: ANN202
    chosen = _draft(context).get("offsets", [])
    rows = []
    for offset in _possible_offsets(context):
        name = label(f"campaign-reminder-{offset}")
        text = label("campaign-toggle-on", label=name) if offset in chosen else label("campaign-toggle-off", label=name)
        rows.append([(text, f"cp:r:{offset}")])
    rows.append([(label("campaign-btn-reminders-done"), "cp:r:ok")])
    return inline(*rows)


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
    assert query is not None and query.data is not None
    choice = query.data.split(":")[2]
    if choice == "ok":
        await answer(update, context)
        await drop_buttons(update)
        return await show_preview(update, context)
    offset = int(choice) if choice.isdigit() else -1
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


def _draft_campaign(draft: dict) -> Campaign:
    return Campaign(
        center_id=0, created_by=0, kind=KIND_CAMPAIGN, title=draft["title"], body=draft["body"],
        starts_at=datetime.fromisoformat(draft["starts_at"]), place=draft.get("place"),
    )


async def show_preview(update: Update, context: KanoonContext) -> str | int:
    if _incomplete(context):
        return await _start_over(update, context)
    draft = _draft(context)
    draft["editing"] = True
    assert context.me is not None
    async with context.sessions() as session:
        try:
            center = await service.leader_center(session, context.me.id)  # type: ignore[arg-type]
        except CampaignError as error:
            return await _refuse(update, context, error)  # type: ignore[return-value]
        people = await service.audience(session, center, context.me.id)  # type: ignore[arg-type]
    chosen = [o for o in draft.get("offsets", []) if o in _possible_offsets(context)]
    tz = context.deps.settings.tz
    await reply(update, context, views.call_text(_draft_campaign(draft), center.name, tz), views.preview_markup())
    control = t("campaign-preview-control", recipients=len(people), reminders=views.reminders_summary(chosen))
    await reply(update, context, control, inline(
        [(label("campaign-btn-send"), "cp:send")],
        [(label("campaign-btn-edit"), "cp:edit"), (label("campaign-btn-discard"), "cp:discard")],
    ))
    return PREVIEW


async def choose_edit(update: Update, context: KanoonContext) -> str:
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("campaign-edit-which"), inline(
        [(label("campaign-edit-title"), "cp:e:title"), (label("campaign-edit-body"), "cp:e:body")],
        [(label("campaign-edit-when"), "cp:e:when"), (label("campaign-edit-place"), "cp:e:place")],
        [(label("campaign-edit-reminders"), "cp:e:rem")],
        [(label("btn-back"), "cp:e:back")],
    ))
    return EDIT


async def edit_field(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await answer(update, context)
    await drop_buttons(update)
    field = query.data.split(":")[2]
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
    if _incomplete(context):
        return await _start_over(update, context)
    await answer(update, context)
    await drop_buttons(update)
    draft = context.user_data.get(DRAFT) or {}
    assert context.me is not None
    deps = context.deps
    async with context.sessions() as session:
        try:
            created = await service.create(
                session, creator_id=context.me.id, kind=KIND_CAMPAIGN, title=draft["title"],  # type: ignore[arg-type]
                body=draft["body"], starts_at=datetime.fromisoformat(draft["starts_at"]),
                place=draft.get("place"), offsets=draft.get("offsets", []), now=deps.clock(),
            )
        except CampaignError as error:
            if error.code.startswith("when_"):  # the moment passed while the leader was reviewing
                await reply(update, context, views.error_text(error))
                return await ask_when(update, context)
            return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    await campaign_handlers.start_sending(update, context, created.campaign.id, t("campaign-sending-started"))  # type: ignore[arg-type]
    for reminder in created.reminders:
        reminders.arm(deps, reminder)
    return END


discard = common.discard_with(DRAFT, t("campaign-discarded"))


use_buttons = common.say(t("campaign-use-buttons"))


def handlers() -> list[BaseHandler]:
    text = FREE_TEXT
    no_place_button = button("campaign-btn-no-place")
    return [common.conversation(
        name="campaign",
        allow_reentry=True,
        entry_points=[
            CommandHandler("campaign", begin),
            CallbackQueryHandler(begin, pattern=r"^cp:new$"),
        ],
        states={
            TITLE: [MessageHandler(text, got_title)],
            BODY: [MessageHandler(text, got_body)],
            WHEN: [MessageHandler(text, typed_when), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            WHEN_TIME: [MessageHandler(text, typed_time), CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)],
            PLACE: [MessageHandler(no_place_button, no_place), MessageHandler(text, got_place)],
            REMINDERS: [CallbackQueryHandler(toggle_reminder, pattern=r"^cp:r:(\d+|ok)$"), MessageHandler(text, use_buttons)],
            PREVIEW: [
                CallbackQueryHandler(send, pattern=r"^cp:send$"),
                CallbackQueryHandler(choose_edit, pattern=r"^cp:edit$"),
                CallbackQueryHandler(discard, pattern=r"^cp:discard$"),
                MessageHandler(text, use_buttons),
            ],
            EDIT: [CallbackQueryHandler(edit_field, pattern=r"^cp:e:\w+$"), MessageHandler(text, use_buttons)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]

