"""Creating a help campaign (پویش نیکوکارانه): steps of the campaign conversation
(bot/conversations/campaign.py) after the leader chose «🤝 نیکوکارانه».

Title → description → deadline (typed, the calendar, or «بدون مهلت») → needs, one at a time
(money; goods with a name and a unit; work in person-days; each with an optional target) →
preview exactly as members will see it → «ارسال» (one campaign per draft: its key) / «لغو».
Every step has «🔙 مرحله‌ی قبل» and «❌ انصراف».
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Hashable
from datetime import datetime
from typing import Any
from uuid import uuid4

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.actions import charity as actions
from bot.actions.charity import HelpDraft
from bot.conversations import common, navigation, when_step
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.conversations.help_amounts import read_amount
from bot.db.charity_models import HelpNeed
from bot.db.enums import CampaignKind, NeedSort
from bot.db.models import Campaign, User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.services import campaigns as campaigns_service
from bot.services import charity as service
from bot.services.campaigns import CampaignError
from bot.services.charity import CharityError, NeedDraft
from bot.views import campaigns as campaign_views
from bot.views import charity as views

DRAFT = "help_draft"

TITLE, BODY, DEADLINE, DEADLINE_TIME, NEED, GOODS_NAME, GOODS_UNIT, TARGET, PREVIEW = (
    "hp_title", "hp_body", "hp_deadline", "hp_deadline_time", "hp_need", "hp_goods_name", "hp_goods_unit",
    "hp_target", "hp_preview",
)

TITLE_RULE = TextRule(max_len=service.TITLE_MAX, min_len=3)
BODY_RULE = TextRule(max_len=service.BODY_MAX, min_len=3, multiline=True)
NAME_RULE = TextRule(max_len=service.GOODS_NAME_MAX, min_len=2)
UNIT_RULE = TextRule(max_len=service.UNIT_MAX, min_len=1)

BACK = button("charity-btn-back")
CANCEL = button("charity-btn-cancel")
NO_DEADLINE = button("charity-btn-no-deadline")
NO_TARGET = button("charity-btn-no-target")
TEXT = FREE_TEXT & ~BACK & ~CANCEL


def _draft(context: KanoonContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {})
    return draft


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


def keyboard(*extra: str) -> ReplyKeyboardMarkup:
    """A step's reply keyboard: its own buttons, then «🔙 مرحله‌ی قبل» and «❌ انصراف»."""
    return reply_keyboard(*[[label(key)] for key in extra], [label("charity-btn-back"), label("charity-btn-cancel")])


async def cancel(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("cancel-done"), main_menu())
    return END


async def _text(update: Update, context: KanoonContext, rule: TextRule) -> str | None:
    value, problem = read_text(update, rule)
    if value is None:
        assert problem is not None
        await reply(update, context, problem)
    return value


# --- the steps ---------------------------------------------------------------------------------


async def begin(update: Update, context: KanoonContext) -> str:
    """After «🤝 نیکوکارانه»: a fresh draft (its key makes «ارسال» count once)."""
    assert context.user_data is not None
    context.user_data[DRAFT] = {"key": uuid4().hex, "needs": []}
    return await ask_title(update, context)


async def ask_title(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("charity-ask-title"), keyboard())
    return TITLE


async def got_title(update: Update, context: KanoonContext) -> str | None:
    value = await _text(update, context, TITLE_RULE)
    if value is None:
        return None
    _draft(context)["title"] = value
    return await ask_body(update, context)


async def ask_body(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("charity-ask-body"), keyboard())
    return BODY


async def got_body(update: Update, context: KanoonContext) -> str | None:
    value = await _text(update, context, BODY_RULE)
    if value is None:
        return None
    _draft(context)["body"] = value
    return await ask_deadline(update, context)


async def ask_deadline(update: Update, context: KanoonContext) -> str:
    _draft(context).pop("day", None)
    await reply(update, context, t("charity-ask-deadline"), keyboard("charity-btn-no-deadline"))
    await when_step.ask(update, context, t("when-ask-day"))
    return DEADLINE


async def _got_deadline(update: Update, context: KanoonContext, moment: datetime | None) -> str:
    draft = _draft(context)
    draft["deadline"] = moment.isoformat() if moment else None
    draft.pop("day", None)
    return await ask_need(update, context)


async def no_deadline(update: Update, context: KanoonContext) -> str:
    return await _got_deadline(update, context, None)


async def typed_deadline(update: Update, context: KanoonContext) -> str | None:
    moment = await when_step.read_typed(update, context)
    return None if moment is None else await _got_deadline(update, context, moment)


async def typed_deadline_time(update: Update, context: KanoonContext) -> str | None:
    moment = await when_step.read_time(update, context, _draft(context))
    return None if moment is None else await _got_deadline(update, context, moment)


async def calendar(update: Update, context: KanoonContext) -> str | None:
    outcome = await when_step.on_calendar(update, context, _draft(context))
    if isinstance(outcome, datetime):
        return await _got_deadline(update, context, outcome)
    if outcome == when_step.PICK_TIME:
        return DEADLINE_TIME
    if outcome == when_step.BACK_TO_MONTH:
        return DEADLINE
    return None


def _need_markup(count: int) -> Any:  # noqa: ANN401 (an inline keyboard)
    rows = [[(label("charity-need-money"), callbacks.HELP_NEED_SORT.build("money")),
             (label("charity-need-goods"), callbacks.HELP_NEED_SORT.build("goods")),
             (label("charity-need-work"), callbacks.HELP_NEED_SORT.build("work"))]]
    if count:
        rows.append([(label("charity-needs-done"), callbacks.HELP_NEED_SORT.build("done"))])
    rows.append([(label("charity-btn-back"), callbacks.HELP_BACK.build()),
                 (label("charity-btn-cancel"), callbacks.CANCEL.build())])
    return inline(*rows)


async def ask_need(update: Update, context: KanoonContext) -> str:
    draft = _draft(context)
    draft.pop("pending", None)
    count = len(draft.get("needs", []))
    await reply(update, context, t("charity-ask-need", count=count), _need_markup(count))
    return NEED


async def chose_need(update: Update, context: KanoonContext) -> str | int | None:
    query = update.callback_query
    parsed = callbacks.HELP_NEED_SORT.parse(query.data if query else None)
    await answer(update, context)
    if parsed is None:
        return None
    await drop_buttons(update)
    draft = _draft(context)
    if parsed[0] == "done":
        if not draft.get("needs"):
            await reply(update, context, t("charity-need-first"))
            return await ask_need(update, context)
        return await show_preview(update, context)
    if len(draft.get("needs", [])) >= service.MAX_NEEDS:
        await reply(update, context, t("charity-too-many-needs"))
        return await ask_need(update, context)
    draft["pending"] = {"sort": parsed[0]}
    if parsed[0] == NeedSort.GOODS:
        return await ask_goods_name(update, context)
    return await ask_target(update, context)


async def ask_goods_name(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("charity-ask-goods-name"), keyboard())
    return GOODS_NAME


async def got_goods_name(update: Update, context: KanoonContext) -> str | None:
    value = await _text(update, context, NAME_RULE)
    if value is None:
        return None
    _draft(context).setdefault("pending", {"sort": NeedSort.GOODS})["name"] = value
    await reply(update, context, t("charity-ask-goods-unit"), keyboard())
    return GOODS_UNIT


async def got_goods_unit(update: Update, context: KanoonContext) -> str | None:
    value = await _text(update, context, UNIT_RULE)
    if value is None:
        return None
    _draft(context).setdefault("pending", {"sort": NeedSort.GOODS})["unit"] = value
    return await ask_target(update, context)


def _pending_need(context: KanoonContext) -> HelpNeed:
    pending = _draft(context).get("pending") or {"sort": NeedSort.MONEY}
    return HelpNeed(campaign_id=0, sort=pending["sort"], name=pending.get("name"), unit=pending.get("unit"))


async def ask_target(update: Update, context: KanoonContext) -> str:
    need = _pending_need(context)
    text = (t("charity-ask-target-money") if need.sort == NeedSort.MONEY
            else t("charity-ask-target-quantity", unit=views.unit_of(need)))
    await reply(update, context, text, keyboard("charity-btn-no-target"))
    return TARGET


async def _add_need(update: Update, context: KanoonContext, target: int | None) -> str:
    draft = _draft(context)
    need = _pending_need(context)
    need.target = target
    draft.setdefault("needs", []).append({"sort": need.sort, "name": need.name, "unit": need.unit, "target": target})
    draft.pop("pending", None)
    shown = views.need_label(need) if not target else f"{views.need_label(need)} — {views.amount(need, target)}"
    await reply(update, context, t("charity-need-added", need=shown))
    return await ask_need(update, context)


async def no_target(update: Update, context: KanoonContext) -> str:
    return await _add_need(update, context, None)


async def got_target(update: Update, context: KanoonContext) -> str | None:
    need = _pending_need(context)
    read = await read_amount(update, context, NeedSort(need.sort), need.name, need.unit)
    if read is None:
        return None
    value, notice = read
    if notice:
        await reply(update, context, notice)
    return await _add_need(update, context, value)


# --- preview and send --------------------------------------------------------------------------------


def _needs(draft: dict[str, Any]) -> list[NeedDraft]:
    return [NeedDraft(NeedSort(n["sort"]), n.get("target"), n.get("name"), n.get("unit")) for n in draft.get("needs", [])]


def _complete(context: KanoonContext) -> bool:
    draft = (context.user_data or {}).get(DRAFT) or {}
    return all(key in draft for key in ("title", "body", "deadline", "key")) and bool(draft.get("needs"))


async def _start_over(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("charity-draft-lost"), main_menu())
    return END


async def show_preview(update: Update, context: KanoonContext) -> str | int:
    if not _complete(context):
        return await _start_over(update, context)
    draft = _draft(context)
    try:
        async with context.deps.unit() as session:
            center, _ = await campaigns_service.sending_audience(session, _me(context).id or 0)
            people = await service.audience(session, center, _me(context).id or 0)  # with the supporters
    except CampaignError as error:
        common.clear_draft(context, DRAFT)
        await reply(update, context, campaign_views.error_text(error), main_menu())
        return END
    deadline = datetime.fromisoformat(draft["deadline"]) if draft["deadline"] else None
    campaign = Campaign(center_id=0, created_by=0, kind=CampaignKind.HELP, title=draft["title"], body=draft["body"])
    needs = [HelpNeed(campaign_id=0, sort=n.sort, name=n.name, unit=n.unit, target=n.target) for n in _needs(draft)]
    preview_buttons = inline(*[[(label("charity-btn-pledge", need=campaign_views.snippet(views.need_label(n), views.BUTTON_NAME)),
                                 callbacks.CREATE_PREVIEW_BUTTON.build())] for n in needs])
    await reply(update, context, views.call_text(campaign, center.name, deadline, needs, context.deps.settings.tz),
                preview_buttons)
    control = inline(
        [(label("charity-btn-send"), callbacks.HELP_SEND.build())],
        [(label("charity-btn-back"), callbacks.HELP_BACK.build()),
         (label("charity-btn-discard"), callbacks.HELP_DISCARD.build())],
    )
    await reply(update, context, t("charity-preview-control", recipients=len(people)), control)
    return PREVIEW


async def send(update: Update, context: KanoonContext) -> str | int:
    """«ارسال»: one campaign per draft, however often the tap arrives (the draft's key)."""
    if not _complete(context):
        return await _start_over(update, context)
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    deadline = datetime.fromisoformat(draft["deadline"]) if draft["deadline"] else None
    try:
        created = await actions.create_help(context.deps, _me(context), HelpDraft(
            title=draft["title"], body=draft["body"], deadline=deadline, needs=_needs(draft), key=draft["key"]))
    except CharityError as error:
        await reply(update, context, views.error_text(error))
        if error.code.startswith("when_"):  # the deadline passed while the leader was reviewing
            return await ask_deadline(update, context)
        common.clear_draft(context, DRAFT)
        return END
    except CampaignError as error:
        common.clear_draft(context, DRAFT)
        await reply(update, context, campaign_views.error_text(error), main_menu())
        return END
    common.clear_draft(context, DRAFT)
    await reply(update, context, t("charity-already-sent") if created.already else t("charity-sent-menu"),
                main_menu())
    return END


discard = common.discard_with(DRAFT, t("charity-discarded"))
use_buttons = common.say(t("charity-use-buttons"))


# A step that asks its question (again) and returns its state.
Ask = Callable[[Update, KanoonContext], Awaitable[str | int]]


# «🔙 مرحله‌ی قبل»: from each step to the one before it.
def _back_to(previous: Ask) -> Callable[[Update, KanoonContext], Coroutine[Any, Any, str | int]]:
    async def go_back(update: Update, context: KanoonContext) -> str | int:
        await answer(update, context)
        await drop_buttons(update)
        return await previous(update, context)

    return go_back


def back_steps(ask_kind: navigation.Step) -> dict[Hashable, navigation.Step | None]:
    """Where «🔙 مرحله‌ی قبل» (tapped or typed) goes from each step, for common.conversation(back=…)."""
    return {TITLE: ask_kind, BODY: ask_title, DEADLINE: ask_body, DEADLINE_TIME: ask_body, NEED: ask_deadline,
            GOODS_NAME: ask_need, GOODS_UNIT: ask_goods_name, TARGET: ask_need, PREVIEW: ask_need}


def states(ask_kind: Ask) -> dict[str, list[Handler]]:
    """The steps, for the campaign conversation; `ask_kind` (the campaign conversation's first
    step) is where «مرحله‌ی قبل» of the title goes."""
    calendar_handler = CallbackQueryHandler(calendar, pattern=when_step.CALENDAR)
    back_button = callbacks.HELP_BACK.matches

    def with_exits(previous: Ask, *handlers: Handler) -> list[Handler]:
        # «❌ انصراف» and «🔙» (tapped or typed) are the conversation's own: common.fallbacks and
        # back_steps() below, through bot/conversations/navigation.py.
        return [*handlers]

    return {
        TITLE: with_exits(ask_kind, MessageHandler(TEXT, got_title)),
        BODY: with_exits(ask_title, MessageHandler(TEXT, got_body)),
        DEADLINE: with_exits(ask_body, MessageHandler(NO_DEADLINE, no_deadline), MessageHandler(TEXT, typed_deadline),
                             calendar_handler),
        DEADLINE_TIME: with_exits(ask_body, MessageHandler(NO_DEADLINE, no_deadline),
                                  MessageHandler(TEXT, typed_deadline_time), calendar_handler),
        NEED: with_exits(ask_deadline, CallbackQueryHandler(chose_need, pattern=callbacks.HELP_NEED_SORT.matches),
                         CallbackQueryHandler(_back_to(ask_deadline), pattern=back_button),
                         MessageHandler(TEXT, use_buttons)),
        GOODS_NAME: with_exits(ask_need, MessageHandler(TEXT, got_goods_name)),
        GOODS_UNIT: with_exits(ask_goods_name, MessageHandler(TEXT, got_goods_unit)),
        TARGET: with_exits(ask_need, MessageHandler(NO_TARGET, no_target), MessageHandler(TEXT, got_target)),
        PREVIEW: with_exits(ask_need, CallbackQueryHandler(send, pattern=callbacks.HELP_SEND.matches),
                            CallbackQueryHandler(discard, pattern=callbacks.HELP_DISCARD.matches),
                            CallbackQueryHandler(_back_to(ask_need), pattern=back_button),
                            MessageHandler(TEXT, use_buttons)),
    }
