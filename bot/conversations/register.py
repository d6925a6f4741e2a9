"""/register and «ثبت کانون»: the leader registers a center and gets the assistant invitation.

Steps (each a named state; the answers live in user_data["register"], so a restart resumes at
the same step): name → kind (→ the «other» label) → area (optional) → a duplicate-name warning
when needed → description (optional) → the leader's saved details or full name → mobile →
review («تأیید» / «ویرایش» / «لغو»). Editing a field removes it from the draft and asks again;
`proceed` always asks for the first missing answer, so after an edit it comes back to review.

The draft carries a key made when it starts; «تأیید» registers with it, so the same «تأیید»
again (a double tap, or a crash before the step was saved) shows the center it already made.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks
from bot.actions import registration
from bot.actions.registration import Answers, Registered
from bot.callbacks import Codec
from bot.conversations import common, navigation, profile_steps, saved_details
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, TextRule, read_text
from bot.persian.catalog import Raw, t
from bot.persian.digits import persian_digits
from bot.persian.text import search_key
from bot.ptb.context import KanoonContext
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import answer, button, inline, label, main_menu, reply
from bot.services import centers
from bot.services.centers import Problem
from bot.services.users import id_of
from bot.views import centers as views

DRAFT = "register"
DRAFT_KEY = "key"  # the draft's request key (see the module's docstring)

NAME = "rg_name"
KIND = "rg_kind"
KIND_LABEL = "rg_kind_label"
AREA = "rg_area"
DUPLICATE = "rg_duplicate"
DESCRIPTION = "rg_description"
REUSE = "rg_reuse"
FULL_NAME = "rg_full_name"
MOBILE = "rg_mobile"
REVIEW = "rg_review"

NAME_RULE = TextRule(min_len=centers.NAME_MIN, max_len=centers.NAME_MAX)
KIND_LABEL_RULE = TextRule(min_len=centers.KIND_LABEL_MIN, max_len=centers.KIND_LABEL_MAX)
AREA_RULE = TextRule(max_len=centers.AREA_MAX)
DESCRIPTION_RULE = TextRule(max_len=centers.DESCRIPTION_MAX, multiline=True)

SKIP_TEXT = button("btn-skip")

# Fields the review can send the leader back to, in the order they are shown.
EDIT_FIELDS = {
    "name": ("reg-field-name", ("name", "dup_ok")),
    "kind": ("reg-field-kind", ("kind", "kind_label")),
    "area": ("reg-field-area", ("area", "dup_ok")),
    "desc": ("reg-field-description", ("description",)),
    "fname": ("reg-field-full-name", ("full_name",)),
    "mobile": ("reg-field-mobile", ("mobile",)),
}

# Every button of this conversation; data with its prefix that none of them reads is stale.
BUTTONS: tuple[Codec, ...] = (
    callbacks.REGISTER_KIND, callbacks.REGISTER_DUPLICATE, callbacks.REGISTER_SAVED_DETAILS,
    callbacks.REGISTER_CONFIRM, callbacks.REGISTER_EDIT, callbacks.REGISTER_EDIT_FIELD, callbacks.REGISTER_BACK,
)


def name_error(value: str) -> Raw | None:
    """Why this is no center's name (shared with editing the name from the card)."""
    fault = centers.name_fault(value)
    return t(f"reg-name-{fault}") if fault else None


def stale_buttons(prefix: callbacks.Prefix, codecs: tuple[Codec, ...]) -> CallbackQueryHandler[KanoonContext, None]:
    """A tap on data with this prefix that no codec reads (forged, or from an old version)."""

    def unreadable(data: object) -> bool:
        return isinstance(data, str) and data.startswith(f"{prefix}:") and not any(c.matches(data) for c in codecs)

    async def stale(update: Update, context: KanoonContext) -> None:
        await answer(update, context, t("button-stale"))

    return CallbackQueryHandler(stale, pattern=unreadable)


def _draft(context: KanoonContext) -> dict[str, Any]:
    draft: dict[str, Any] = _user_data(context).setdefault(DRAFT, {})
    return draft


def _user_data(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None  # every update here has a user
    return context.user_data


def _text_keyboard(skip: bool = False, back: bool = True) -> ReplyKeyboardMarkup:
    rows = [[label("btn-skip")]] if skip else []
    return navigation.keyboard(*rows, back=back)


def _kind_keyboard() -> InlineKeyboardMarkup:
    buttons = [(views.kind_text(kind), callbacks.REGISTER_KIND.build(kind)) for kind in centers.KINDS]
    return inline(*[buttons[i:i + 2] for i in range(0, len(buttons), 2)], navigation.inline_row())


def _dup_key(draft: dict[str, Any]) -> list[str | None]:
    return [search_key(draft["name"]), centers.area_key(draft.get("area"))]


def _review_text(draft: dict[str, Any]) -> Raw:
    empty = t("reg-empty-value")
    return t(
        "reg-review", name=draft["name"], kind=views.kind_text(draft["kind"], draft.get("kind_label")),
        area=draft.get("area") or empty, description=draft.get("description") or empty,
        full_name=draft["full_name"], mobile=persian_digits(draft["mobile"]),
    )


def _review_markup() -> InlineKeyboardMarkup:
    return inline(
        [(label("reg-btn-confirm"), callbacks.REGISTER_CONFIRM.build())],
        [(label("reg-btn-edit"), callbacks.REGISTER_EDIT.build())],
        navigation.inline_row(),
    )


# --- asking -----------------------------------------------------------------------------------


async def proceed(update: Update, context: KanoonContext) -> str:
    """Ask for the first thing the draft still lacks; the review when nothing is missing."""
    draft = _draft(context)
    if "name" not in draft:
        await reply(update, context, t("reg-ask-name"), _text_keyboard(back=False))
        return NAME
    if "kind" not in draft:
        await reply(update, context, t("reg-ask-kind"), _kind_keyboard())
        return KIND
    if draft["kind"] == centers.OTHER and not draft.get("kind_label"):
        await reply(update, context, t("reg-ask-kind-label"), _text_keyboard())
        return KIND_LABEL
    if "area" not in draft:
        await reply(update, context, t("reg-ask-area"), _text_keyboard(skip=True))
        return AREA
    if draft.get("dup_ok") != _dup_key(draft):
        duplicate = await registration.duplicate_of(context.deps, draft["name"], draft.get("area"))
        if duplicate is not None:
            await reply(
                update, context, t("reg-duplicate", name=duplicate.name, area=views.area_text(duplicate.area)),
                inline([(label("reg-btn-dup-keep"), callbacks.REGISTER_DUPLICATE.build("keep"))],
                       [(label("reg-btn-dup-rename"), callbacks.REGISTER_DUPLICATE.build("rename"))],
                       navigation.inline_row()),
            )
            return DUPLICATE
    if "description" not in draft:
        await reply(update, context, t("reg-ask-description"), _text_keyboard(skip=True))
        return DESCRIPTION
    if saved_details.should_offer(draft, context):
        await saved_details.offer(update, context, draft, callbacks.REGISTER_SAVED_DETAILS)
        return REUSE
    if "full_name" not in draft:
        await profile_steps.ask_full_name(update, context, "reg-ask-full-name")
        return FULL_NAME
    if "mobile" not in draft:
        await profile_steps.ask_mobile(update, context, "reg-ask-mobile")
        return MOBILE
    await reply(update, context, t("reg-review-intro"), ReplyKeyboardRemove())
    await reply(update, context, _review_text(draft), _review_markup())
    return REVIEW


async def _show_card(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    card = await registration.card_of(context.deps, context.me)
    if card is not None:
        deps = context.deps
        await reply(update, context, *views.card_message(card, id_of(context.me), deps.clock(), deps.settings.tz))


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    center = await registration.center_run_by(context.deps, context.me)
    if center is not None:
        await reply(update, context, t("reg-already-runs", name=center.name), main_menu())
        await _show_card(update, context)
        return END
    _user_data(context)[DRAFT] = {DRAFT_KEY: uuid4().hex}
    await reply(update, context, t("reg-intro"))
    return await proceed(update, context)


# --- answers ----------------------------------------------------------------------------------


async def _edit_pressed(update: Update, context: KanoonContext, text: str) -> None:
    """Show the choice on the message whose button was tapped, without its buttons."""
    query = update.callback_query
    await answer(update, context)
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)


def _tapped(update: Update, codec: Codec) -> tuple[Any, ...] | None:
    query = update.callback_query
    return codec.parse(query.data) if query is not None else None


async def _stale(update: Update, context: KanoonContext) -> None:
    await answer(update, context, t("button-stale"))


async def on_name(update: Update, context: KanoonContext) -> str | None:
    value, error = read_text(update, NAME_RULE)
    if value is None or (error := name_error(value)):
        await reply(update, context, error or t("input-empty"))
        return None
    _draft(context)["name"] = value
    return await proceed(update, context)


async def on_kind(update: Update, context: KanoonContext) -> str:
    parsed = _tapped(update, callbacks.REGISTER_KIND)
    if parsed is None:
        await _stale(update, context)
        return KIND
    (kind,) = parsed
    draft = _draft(context)
    draft["kind"] = kind
    draft.pop("kind_label", None)
    await _edit_pressed(update, context, t("reg-kind-chosen", kind=views.kind_text(kind)))
    return await proceed(update, context)


async def kind_by_text(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("reg-kind-need-button"), _kind_keyboard())
    return KIND


async def on_kind_label(update: Update, context: KanoonContext) -> str | None:
    value, error = read_text(update, KIND_LABEL_RULE)
    if error:
        await reply(update, context, error)
        return None
    _draft(context)["kind_label"] = value
    return await proceed(update, context)


async def on_area(update: Update, context: KanoonContext) -> str | None:
    value, error = read_text(update, AREA_RULE)
    if error:
        await reply(update, context, error)
        return None
    _draft(context)["area"] = value
    return await proceed(update, context)


async def skip_area(update: Update, context: KanoonContext) -> str:
    _draft(context)["area"] = None
    return await proceed(update, context)


async def on_duplicate(update: Update, context: KanoonContext) -> str:
    parsed = _tapped(update, callbacks.REGISTER_DUPLICATE)
    if parsed is None:
        await _stale(update, context)
        return DUPLICATE
    draft = _draft(context)
    if parsed == ("keep",):
        draft["dup_ok"] = _dup_key(draft)
        await _edit_pressed(update, context, t("reg-btn-dup-keep"))
    else:
        draft.pop("name", None)
        await _edit_pressed(update, context, t("reg-btn-dup-rename"))
    return await proceed(update, context)


async def use_buttons(update: Update, context: KanoonContext) -> None:
    """A message where a button was expected: point at the buttons, stay in the step."""
    await reply(update, context, t("reg-use-buttons"))


async def on_description(update: Update, context: KanoonContext) -> str | None:
    value, error = read_text(update, DESCRIPTION_RULE)
    if error:
        await reply(update, context, error)
        return None
    _draft(context)["description"] = value
    return await proceed(update, context)


async def skip_description(update: Update, context: KanoonContext) -> str:
    _draft(context)["description"] = None
    return await proceed(update, context)


async def on_reuse(update: Update, context: KanoonContext) -> str:
    parsed = _tapped(update, callbacks.REGISTER_SAVED_DETAILS)
    if parsed is None:
        await _stale(update, context)
        return REUSE
    draft = _draft(context)
    if parsed == ("yes",):
        saved_details.take(draft, context)
        await _edit_pressed(update, context, t("reg-btn-reuse-yes"))
    else:
        await _edit_pressed(update, context, t("reg-btn-reuse-no"))
    return await proceed(update, context)


async def on_full_name(update: Update, context: KanoonContext) -> str | None:
    draft = _draft(context)
    if await profile_steps.take_mobile_early(update, context, draft):
        return await proceed(update, context)  # the number is kept; the name is asked again
    if not await profile_steps.take(update, context, draft, "full_name", profile_steps.read_full_name):
        return None
    return await proceed(update, context)


async def on_mobile(update: Update, context: KanoonContext) -> str | None:
    if not await profile_steps.take(update, context, _draft(context), "mobile", profile_steps.read_mobile):
        return None
    return await proceed(update, context)


# --- a step back -------------------------------------------------------------------------------

# The answers in the order `proceed` asks for them: (the state that asks, the draft keys it fills).
# «🔙» at a step takes back the last answer given before it, and `proceed` asks that again.
ANSWER_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NAME, ("name",)), (KIND, ("kind",)), (KIND_LABEL, ("kind_label",)), (AREA, ("area",)),
    (DUPLICATE, ("dup_ok",)), (DESCRIPTION, ("description",)), (REUSE, ("reuse_asked",)),
    (FULL_NAME, ("full_name",)), (MOBILE, ("mobile",)),
)


def _earlier_text(draft: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    value = draft.get(keys[0])
    if keys[0] == "kind" and value:
        return str(views.kind_text(value, draft.get("kind_label")))
    if keys[0] == "mobile" and value:
        return persian_digits(value)
    return value if isinstance(value, str) and keys[0] not in ("reuse_asked",) else None


def back_from(state: str) -> navigation.Step:
    """«🔙» at `state`: forget the last answer before it and ask that question again."""
    position = next(n for n, (asking, _) in enumerate(ANSWER_ORDER) if asking == state) if state != REVIEW else len(ANSWER_ORDER)

    async def step_back(update: Update, context: KanoonContext) -> str:
        draft = _draft(context)
        for _, keys in reversed(ANSWER_ORDER[:position]):
            if keys[0] in draft:
                earlier = _earlier_text(draft, keys)
                for key in keys:
                    draft.pop(key, None)
                await navigation.show_earlier(update, context, earlier)
                break
        return await proceed(update, context)

    return step_back


# --- review -----------------------------------------------------------------------------------


async def on_edit(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    await answer(update, context)
    fields = [(label(key), callbacks.REGISTER_EDIT_FIELD.build(field)) for field, (key, _) in EDIT_FIELDS.items()]
    rows = [fields[i:i + 2] for i in range(0, len(fields), 2)] + [[(label("btn-back"), callbacks.REGISTER_BACK.build())]]
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, t("reg-edit-which"), inline(*rows)
        )
    return REVIEW


async def on_back(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    await answer(update, context)
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, _review_text(_draft(context)), _review_markup()
        )
    return REVIEW


async def on_edit_field(update: Update, context: KanoonContext) -> str:
    parsed = _tapped(update, callbacks.REGISTER_EDIT_FIELD)
    if parsed is None or parsed[0] not in EDIT_FIELDS:
        await _stale(update, context)
        return REVIEW
    key, draft_keys = EDIT_FIELDS[parsed[0]]
    draft = _draft(context)
    for draft_key in draft_keys:
        draft.pop(draft_key, None)
    await _edit_pressed(update, context, t("reg-edit-which") + "\n" + label(key))
    return await proceed(update, context)


async def on_confirm(update: Update, context: KanoonContext) -> int:
    assert context.me is not None
    query = update.callback_query
    await answer(update, context)
    draft = _draft(context)
    request_key = draft.setdefault(DRAFT_KEY, uuid4().hex)  # a draft from before keys: one of its own now
    answers = Answers(
        name=draft["name"], kind=draft["kind"], kind_label=draft.get("kind_label"), area=draft.get("area"),
        description=draft.get("description"), full_name=draft["full_name"], mobile=draft["mobile"],
    )
    review = _review_text(draft)
    try:
        registered = await registration.register_center(context.deps, context.me, answers, request_key)
    except Problem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, views.problem_text(problem), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(
            query.message.chat.id, query.message.message_id, t("reg-confirmed", review=review)
        )
    await _tell_registered(update, context, registered)
    return END


async def _tell_registered(update: Update, context: KanoonContext, registered: Registered) -> None:
    """«Registered», then the invitation to forward (or, if none is open any more, the card)."""
    deps, center, invitation = context.deps, registered.center, registered.invitation
    done = "reg-already-registered" if registered.already else "reg-done"
    await reply(update, context, t(done, name=center.name), main_menu())
    if invitation is None or centers.is_expired(invitation, deps.clock()):
        await _show_card(update, context)
        return
    intro, forward = views.invitation_messages(deps, center, invitation, registered.leader)
    await reply(update, context, intro)
    await reply(update, context, forward)


async def out_of_step(update: Update, context: KanoonContext) -> str:
    """A button of this conversation tapped at a step that does not take it: e.g. «تأیید» on a
    review the person saw, while a crash kept the step at the mobile. Ask what is missing."""
    await answer(update, context, t("reg-answer-first"))
    return await proceed(update, context)


def _ours(data: object) -> bool:
    return any(codec.matches(data) for codec in BUTTONS)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    conversation = common.conversation(
        name="register",
        entry_points=[
            CommandHandler("register", start),
            MessageHandler(button("menu-register"), start),
            MessageHandler(IntentIs(Intent.REGISTER), start),  # «میخوام کانون ثبت کنم»
        ],
        back={NAME: None, **{state: back_from(state) for state in (
            KIND, KIND_LABEL, AREA, DUPLICATE, DESCRIPTION, REUSE, FULL_NAME, MOBILE, REVIEW)}},
        states={
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            KIND: [
                CallbackQueryHandler(on_kind, pattern=callbacks.REGISTER_KIND.matches),
                MessageHandler(ANY_INPUT, kind_by_text),
            ],
            KIND_LABEL: [MessageHandler(FREE_TEXT, on_kind_label)],
            AREA: [MessageHandler(SKIP_TEXT, skip_area), MessageHandler(FREE_TEXT, on_area)],
            DUPLICATE: [
                CallbackQueryHandler(on_duplicate, pattern=callbacks.REGISTER_DUPLICATE.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            DESCRIPTION: [MessageHandler(SKIP_TEXT, skip_description), MessageHandler(FREE_TEXT, on_description)],
            REUSE: [
                CallbackQueryHandler(on_reuse, pattern=callbacks.REGISTER_SAVED_DETAILS.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            # A contact here is the next step's answer (see profile_steps.take_mobile_early).
            FULL_NAME: [MessageHandler(FREE_TEXT | filters.CONTACT, on_full_name)],
            MOBILE: [MessageHandler(ANY_INPUT, on_mobile)],
            REVIEW: [
                CallbackQueryHandler(on_confirm, pattern=callbacks.REGISTER_CONFIRM.matches),
                CallbackQueryHandler(on_edit, pattern=callbacks.REGISTER_EDIT.matches),
                CallbackQueryHandler(on_back, pattern=callbacks.REGISTER_BACK.matches),
                CallbackQueryHandler(on_edit_field, pattern=callbacks.REGISTER_EDIT_FIELD.matches),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
        },
        fallbacks=[
            stale_buttons(callbacks.Prefix.REGISTER, BUTTONS),
            CallbackQueryHandler(out_of_step, pattern=_ours),
            *common.fallbacks(DRAFT),
        ],
    )
    return [conversation]
