"""An announcement to all members (/announce, or «📢 اعلان به اعضا» on the leader's card:
cp:announce): text → preview exactly as members see it → «ارسال» / «ویرایش» / «لغو».

Same delivery machinery and report as a campaign (Campaign.kind = "announcement"), without
answers or reminders.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot import callbacks
from bot.actions import campaigns as actions
from bot.conversations import common, navigation, supporters_choice
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.conversations.when_step import Draft
from bot.db.enums import CampaignKind
from bot.db.models import User
from bot.persian.catalog import t
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, drop_buttons, label, main_menu, reply, reply_keyboard
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs
from bot.services import campaigns as service
from bot.services.campaigns import CampaignError, id_of
from bot.views import campaigns as views

DRAFT = "announcement_draft"
TEXT, PREVIEW = "an_text", "an_preview"
TEXT_RULE = TextRule(max_len=service.ANNOUNCEMENT_MAX, min_len=3, multiline=True)


def _draft(context: KanoonContext) -> Draft:
    assert context.user_data is not None  # a private chat with a person
    draft: Draft = context.user_data.setdefault(DRAFT, {})
    return draft


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


async def _refuse(update: Update, context: KanoonContext, error: CampaignError) -> int:
    common.clear_draft(context, DRAFT)
    await reply(update, context, views.error_text(error), main_menu())
    return END


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
    common.clear_draft(context, DRAFT)
    # The key makes this draft's «ارسال» count once, however often it arrives.
    _draft(context)["key"] = uuid4().hex
    await reply(update, context, t("announce-ask-text"), navigation.keyboard(back=False))
    return TEXT


async def got_text(update: Update, context: KanoonContext) -> str | int | None:
    value, problem = read_text(update, TEXT_RULE)
    if value is None:
        assert problem is not None
        await reply(update, context, problem)
        return None
    _draft(context)["body"] = value
    try:
        center, members, supporters = await supporters_choice.audience(context, _draft(context))
    except CampaignError as error:
        return await _refuse(update, context, error)
    await reply(update, context, views.announcement_text(value, center.name))
    await reply(update, context, *views.announcement_control(members, supporters))
    return PREVIEW


async def toggle_supporters(update: Update, context: KanoonContext) -> int | None:
    """«🤝 حامیان هم ببینند: بله/خیر» on the preview's control message (issue 13)."""
    if not _draft(context).get("body"):
        common.clear_draft(context, DRAFT)
        await answer(update, context)
        await reply(update, context, t("button-stale"), main_menu())
        return END
    supporters_choice.flip(_draft(context))
    try:
        _, members, supporters = await supporters_choice.audience(context, _draft(context))
    except CampaignError as error:
        return await _refuse(update, context, error)
    await supporters_choice.show_again(update, context, views.announcement_control(members, supporters))
    return None


async def edit(update: Update, context: KanoonContext) -> str:
    await answer(update, context)
    await drop_buttons(update)
    await navigation.show_earlier(update, context, _draft(context).get("body"))
    await reply(update, context, t("announce-ask-text-again"), navigation.keyboard(back=False))
    return TEXT


async def send(update: Update, context: KanoonContext) -> int:
    """«ارسال»: one announcement per draft, however often the tap arrives (the draft's key)."""
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    body = draft.get("body")
    if not body:
        common.clear_draft(context, DRAFT)
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        sent = await actions.send_announcement(context.deps, _me(context), body, draft.get("key"),
                                               to_supporters=supporters_choice.chosen(draft))
    except CampaignError as error:
        return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    if sent.already:  # the leader was told and shown the report the first time
        await reply(update, context, *views.already_sent(CampaignKind.ANNOUNCEMENT))
    return END


discard = common.discard_with(DRAFT, t("announce-discarded"))


use_buttons = common.say(t("campaign-use-buttons"))


def handlers() -> list[Handler]:
    return [common.conversation(
        name="announcement",
        allow_reentry=True,
        entry_points=[
            CommandHandler("announce", begin),
            MessageHandler(IntentIs(Intent.ANNOUNCE), begin),  # «اعلان به اعضا» typed
            CallbackQueryHandler(begin, pattern=callbacks.CREATE_ANNOUNCEMENT.matches),
        ],
        back={TEXT: None, PREVIEW: edit},
        states={
            TEXT: [MessageHandler(FREE_TEXT, got_text)],
            PREVIEW: [
                CallbackQueryHandler(send, pattern=callbacks.ANNOUNCEMENT_SEND.matches),
                CallbackQueryHandler(edit, pattern=callbacks.ANNOUNCEMENT_EDIT.matches),
                CallbackQueryHandler(discard, pattern=callbacks.ANNOUNCEMENT_DISCARD.matches),
                CallbackQueryHandler(toggle_supporters, pattern=callbacks.CREATE_SUPPORTERS.matches),
                MessageHandler(FREE_TEXT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
