"""/register and «ثبت کانون»: the leader registers a center and gets the assistant invitation.

Steps (each a named state; the answers live in user_data["register"], so a restart resumes at
the same step): name → kind (→ the «other» label) → area (optional) → a duplicate-name warning
when needed → description (optional) → the leader's saved details or full name → mobile →
review («تأیید» / «ویرایش» / «لغو»). Editing a field removes it from the draft and asks again;
`proceed` always asks for the first missing answer, so after an edit it comes back to review.
"""

from __future__ import annotations


from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
)

from bot.ptb.context import KanoonContext
from bot.conversations import common, profile_steps, saved_details
from bot.conversations.common import ANY_INPUT, END, FREE_TEXT, TextRule, read_text
from bot.db.models import User
from bot.db.repo import centers as centers_repo
from bot.handlers import center_card
from bot.views.centers import area_text, invitation_messages, kind_text
from bot.persian.catalog import Raw, t
from bot.services import centers
from bot.services.centers import Problem
from bot.persian.text import persian_digits, search_key
from bot.ptb.ui import answer, button, inline, label, main_menu, reply, reply_keyboard

DRAFT = "register"

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


def _draft(context: KanoonContext) -> dict:
    return context.user_data.setdefault(DRAFT, {})


def _text_keyboard(skip: bool = False):  # noqa: ANN202
    rows = [[label("btn-skip")]] if skip else []
    return reply_keyboard(*rows, [label("btn-cancel")])


def _kind_keyboard():  # noqa: ANN202
    buttons = [(kind_text(kind), f"rg:kind:{kind}") for kind in centers.KINDS]
    return inline(*[buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def _dup_key(draft: dict) -> list:
    return [search_key(draft["name"]), centers.area_key(draft.get("area"))]


def _review_text(draft: dict) -> Raw:
    empty = t("reg-empty-value")
    return t(
        "reg-review", name=draft["name"], kind=kind_text(draft["kind"], draft.get("kind_label")),
        area=draft.get("area") or empty, description=draft.get("description") or empty,
        full_name=draft["full_name"], mobile=persian_digits(draft["mobile"]),
    )


def _review_markup():  # noqa: ANN202
    return inline(
        [(label("reg-btn-confirm"), "rg:ok")],
        [(label("reg-btn-edit"), "rg:edit")],
        [(label("btn-cancel"), "cancel")],
    )


# --- asking -----------------------------------------------------------------------------------


async def proceed(update: Update, context: KanoonContext) -> str:
    """Ask for the first thing the draft still lacks; the review when nothing is missing."""
    draft = _draft(context)
    if "name" not in draft:
        await reply(update, context, t("reg-ask-name"), _text_keyboard())
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
        async with context.sessions() as session:
            duplicate = await centers.find_duplicate(session, draft["name"], draft.get("area"))
        if duplicate is not None:
            await reply(
                update, context, t("reg-duplicate", name=duplicate.name, area=area_text(duplicate.area)),
                inline([(label("reg-btn-dup-keep"), "rg:dup:keep")], [(label("reg-btn-dup-rename"), "rg:dup:rename")]),
            )
            return DUPLICATE
    if "description" not in draft:
        await reply(update, context, t("reg-ask-description"), _text_keyboard(skip=True))
        return DESCRIPTION
    if saved_details.should_offer(draft, context):
        await saved_details.offer(update, context, draft, "rg")
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


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    async with context.sessions() as session:
        center = await centers_repo.run_by(session, context.me.id)
    if center is not None:
        await reply(update, context, t("reg-already-runs", name=center.name), main_menu())
        await center_card.show(update, context, center)
        return END
    context.user_data[DRAFT] = {}
    await reply(update, context, t("reg-intro"))
    return await proceed(update, context)


# --- answers ----------------------------------------------------------------------------------


async def _edit_pressed(update: Update, context: KanoonContext, text: str) -> None:
    """Show the choice on the message whose button was tapped, without its buttons."""
    query = update.callback_query
    await answer(update, context)
    await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)


async def on_name(update: Update, context: KanoonContext) -> str | None:
    value, error = read_text(update, NAME_RULE)
    if value is not None and centers.name_is_only_digits(value):
        value, error = None, t("reg-name-digits")
    if error:
        await reply(update, context, error)
        return None
    _draft(context)["name"] = value
    return await proceed(update, context)


async def on_kind(update: Update, context: KanoonContext) -> str:
    kind = update.callback_query.data.removeprefix("rg:kind:")
    if kind not in centers.KINDS:
        await answer(update, context, t("button-stale"))
        return KIND
    draft = _draft(context)
    draft["kind"] = kind
    draft.pop("kind_label", None)
    await _edit_pressed(update, context, t("reg-kind-chosen", kind=kind_text(kind)))
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
    draft = _draft(context)
    if update.callback_query.data == "rg:dup:keep":
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
    draft = _draft(context)
    if update.callback_query.data == "rg:me:yes":
        saved_details.take(draft, context)
        await _edit_pressed(update, context, t("reg-btn-reuse-yes"))
    else:
        await _edit_pressed(update, context, t("reg-btn-reuse-no"))
    return await proceed(update, context)


async def on_full_name(update: Update, context: KanoonContext) -> str | None:
    if not await profile_steps.take(update, context, _draft(context), "full_name", profile_steps.read_full_name):
        return None
    return await proceed(update, context)


async def on_mobile(update: Update, context: KanoonContext) -> str | None:
    if not await profile_steps.take(update, context, _draft(context), "mobile", profile_steps.read_mobile):
        return None
    return await proceed(update, context)


# --- review -----------------------------------------------------------------------------------


async def on_edit(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    await answer(update, context)
    fields = [(label(key), f"rg:ed:{field}") for field, (key, _) in EDIT_FIELDS.items()]
    rows = [fields[i:i + 2] for i in range(0, len(fields), 2)] + [[(label("btn-back"), "rg:back")]]
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, t("reg-edit-which"), inline(*rows)
    )
    return REVIEW


async def on_back(update: Update, context: KanoonContext) -> str:
    query = update.callback_query
    await answer(update, context)
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, _review_text(_draft(context)), _review_markup()
    )
    return REVIEW


async def on_edit_field(update: Update, context: KanoonContext) -> str:
    field = update.callback_query.data.removeprefix("rg:ed:")
    if field not in EDIT_FIELDS:
        await answer(update, context, t("button-stale"))
        return REVIEW
    key, draft_keys = EDIT_FIELDS[field]
    draft = _draft(context)
    for draft_key in draft_keys:
        draft.pop(draft_key, None)
    await _edit_pressed(update, context, t("reg-edit-which") + "\n" + label(key))
    return await proceed(update, context)


async def on_confirm(update: Update, context: KanoonContext) -> int:
    query = update.callback_query
    await answer(update, context)
    draft = dict(_draft(context))
    deps, me = context.deps, context.me
    try:
        async with context.sessions() as session:
            center, invitation = await centers.register(
                session, me.id, name=draft["name"], kind=draft["kind"], kind_label=draft.get("kind_label"),
                area=draft.get("area"), description=draft.get("description"),
                full_name=draft["full_name"], mobile=draft["mobile"], now=deps.clock(),
            )
            leader = await session.get(User, me.id)
    except Problem as problem:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t(f"reg-problem-{problem.reason}"), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, t("reg-confirmed", review=_review_text(draft))
    )
    await reply(update, context, t("reg-done", name=center.name), main_menu())
    intro, forward = invitation_messages(deps, center, invitation, leader)
    await reply(update, context, intro)
    await reply(update, context, forward)
    return END


def handlers() -> list[BaseHandler]:
    conversation = common.conversation(
        name="register",
        entry_points=[
            CommandHandler("register", start),
            MessageHandler(button("menu-register"), start),
        ],
        states={
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            KIND: [
                CallbackQueryHandler(on_kind, pattern=r"^rg:kind:\w+$"),
                MessageHandler(ANY_INPUT, kind_by_text),
            ],
            KIND_LABEL: [MessageHandler(FREE_TEXT, on_kind_label)],
            AREA: [MessageHandler(SKIP_TEXT, skip_area), MessageHandler(FREE_TEXT, on_area)],
            DUPLICATE: [
                CallbackQueryHandler(on_duplicate, pattern=r"^rg:dup:(keep|rename)$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            DESCRIPTION: [MessageHandler(SKIP_TEXT, skip_description), MessageHandler(FREE_TEXT, on_description)],
            REUSE: [
                CallbackQueryHandler(on_reuse, pattern=r"^rg:me:(yes|no)$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
            FULL_NAME: [MessageHandler(FREE_TEXT, on_full_name)],
            MOBILE: [MessageHandler(ANY_INPUT, on_mobile)],
            REVIEW: [
                CallbackQueryHandler(on_confirm, pattern=r"^rg:ok$"),
                CallbackQueryHandler(on_edit, pattern=r"^rg:edit$"),
                CallbackQueryHandler(on_back, pattern=r"^rg:back$"),
                CallbackQueryHandler(on_edit_field, pattern=r"^rg:ed:\w+$"),
                MessageHandler(ANY_INPUT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )
    return [conversation]
