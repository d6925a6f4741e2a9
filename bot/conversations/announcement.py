"""An announcement to all members (/announce, or «📢 اعلان به اعضا» on the leader's card:
cp:announce): text → preview exactly as members see it → «ارسال» / «ویرایش» / «لغو».

Same delivery machinery and report as a campaign (Campaign.kind = "announcement"), without
answers or reminders.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.ptb.context import KanoonContext
from bot.conversations import common
from bot.conversations.common import END, FREE_TEXT, TextRule, read_text
from bot.handlers import campaigns as campaign_handlers
from bot.persian.catalog import t
from bot.services import campaigns as service
from bot.services.campaigns import KIND_ANNOUNCEMENT, CampaignError
from bot.ptb.ui import answer, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.views import campaigns as views

DRAFT = "announcement_draft"
TEXT, PREVIEW = "an_text", "an_preview"
TEXT_RULE = TextRule(max_len=service.ANNOUNCEMENT_MAX, min_len=3, multiline=True)


async def _refuse(update: Update, context: KanoonContext, error: CampaignError) -> int:
    common.clear_draft(context, DRAFT)
    await reply(update, context, views.error_text(error), main_menu())
    return END


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
    context.user_data[DRAFT] = {}
    await reply(update, context, t("announce-ask-text"), reply_keyboard([label("btn-cancel")]))
    return TEXT


async def got_text(update: Update, context: KanoonContext) -> str | int | None:
    value, problem = read_text(update, TEXT_RULE)
    if value is None:
        await reply(update, context, problem)
        return None
    context.user_data[DRAFT] = {"body": value}
    assert context.me is not None
    async with context.sessions() as session:
        try:
            center = await service.leader_center(session, context.me.id)  # type: ignore[arg-type]
        except CampaignError as error:
            return await _refuse(update, context, error)
        people = await service.audience(session, center, context.me.id)  # type: ignore[arg-type]
    await reply(update, context, views.announcement_text(value, center.name))
    await reply(update, context, t("announce-preview-control", recipients=len(people)), inline(
        [(label("campaign-btn-send"), "cp:as")],
        [(label("campaign-btn-edit"), "cp:ae"), (label("campaign-btn-discard"), "cp:ad")],
    ))
    return PREVIEW


async def edit(update: Update, context: KanoonContext) -> str:
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("announce-ask-text-again"), reply_keyboard([label("btn-cancel")]))
    return TEXT


async def send(update: Update, context: KanoonContext) -> int:
    await answer(update, context)
    await drop_buttons(update)
    body = (context.user_data.get(DRAFT) or {}).get("body")
    assert context.me is not None
    if not body:
        await reply(update, context, t("button-stale"), main_menu())
        return END
    async with context.sessions() as session:
        try:
            created = await service.create(
                session, creator_id=context.me.id, kind=KIND_ANNOUNCEMENT, body=body, now=context.deps.clock(),  # type: ignore[arg-type]
            )
        except CampaignError as error:
            return await _refuse(update, context, error)
    common.clear_draft(context, DRAFT)
    await campaign_handlers.start_sending(update, context, created.campaign.id, t("announce-sending-started"))  # type: ignore[arg-type]
    return END


discard = common.discard_with(DRAFT, t("announce-discarded"))


use_buttons = common.say(t("campaign-use-buttons"))


def handlers() -> list[BaseHandler]:
    return [common.conversation(
        name="announcement",
        allow_reentry=True,
        entry_points=[
            CommandHandler("announce", begin),
            CallbackQueryHandler(begin, pattern=r"^cp:announce$"),
        ],
        states={
            TEXT: [MessageHandler(FREE_TEXT, got_text)],
            PREVIEW: [
                CallbackQueryHandler(send, pattern=r"^cp:as$"),
                CallbackQueryHandler(edit, pattern=r"^cp:ae$"),
                CallbackQueryHandler(discard, pattern=r"^cp:ad$"),
                MessageHandler(FREE_TEXT, use_buttons),
            ],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
