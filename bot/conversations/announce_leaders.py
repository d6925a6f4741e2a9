"""An admin's announcement to leaders (callback ad:an): whom (all leaders, one facilitation
organisation's, one area's) → the text → a preview exactly as leaders see it, with how many
it goes to → «ارسال» / «ویرایش» / «لغو». Leaders and assistants receive it once each, paced
like a campaign, and the admin watches a delivery report (bot/actions/association.announce).

The draft's key (made at the start) is the announcement's request_key: a repeated «ارسال»
sends nothing more.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import association
from bot.conversations import common, navigation
from bot.conversations.admin_common import is_admin, new_key, refuse
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.db.enums import AudienceKind
from bot.persian.catalog import Raw, t
from bot.ptb.context import Draft, Handler, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.services.association import ANNOUNCEMENT_MAX, ANNOUNCEMENT_MIN, AREA_MIN
from bot.services.refusals import Refusal
from bot.views import association as views
from bot.views.association import refusal_text

AUDIENCE, ORG, AREA, TEXT, PREVIEW = "an_audience", "an_org", "an_area", "an_body", "an_preview"
DRAFT = "leader_announcement"  # user_data: {"key", "kind", "org_id", "org_name", "area", "body"}
AREA_RULE = TextRule(max_len=100, min_len=AREA_MIN)
TEXT_RULE = TextRule(max_len=ANNOUNCEMENT_MAX, min_len=ANNOUNCEMENT_MIN, multiline=True)
ORGS_SHOWN = 20


async def _guard(update: Update, context: KanoonContext) -> bool:
    if is_admin(update, context):
        return True
    await refuse(update, context)
    clear_draft(context, DRAFT)
    return False


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


async def begin(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    context.person_data[DRAFT] = {"key": new_key()}
    await reply(update, context, t("adm-announce-ask-audience"), inline(
        [(label("adm-btn-audience-all"), cb.ADMIN_ANNOUNCE_AUDIENCE.build("all"))],
        [(label("adm-btn-audience-org"), cb.ADMIN_ANNOUNCE_AUDIENCE.build("org"))],
        [(label("adm-btn-audience-area"), cb.ADMIN_ANNOUNCE_AUDIENCE.build("area"))],
        navigation.inline_row(back=False),
    ))
    await reply(update, context, t("adm-announce-cancel-hint"), navigation.keyboard(back=False))
    return AUDIENCE


async def on_audience(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    parsed = cb.ADMIN_ANNOUNCE_AUDIENCE.parse(button_data(update))
    await answer(update, context)
    await drop_buttons(update)
    kind = AudienceKind(parsed[0]) if parsed else AudienceKind.ALL
    _draft(context)["kind"] = kind.value
    if kind == AudienceKind.ORG:
        orgs = await association.orgs(context.deps)
        if not orgs:
            await reply(update, context, t("adm-orgs-none"))
            return await begin(update, context)
        rows = [[(org.name[:30], cb.ADMIN_ANNOUNCE_ORG.build(org.id))] for org in orgs[:ORGS_SHOWN]]
        await reply(update, context, t("adm-announce-ask-org"), inline(*rows, navigation.inline_row()))
        return ORG
    if kind == AudienceKind.AREA:
        await reply(update, context, t("adm-announce-ask-area"), navigation.keyboard())
        return AREA
    return await _ask_text(update, context)


async def on_org(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    parsed = cb.ADMIN_ANNOUNCE_ORG.parse(button_data(update))
    await answer(update, context)
    await drop_buttons(update)
    orgs = {org.id: org.name for org in await association.orgs(context.deps)}
    if parsed is None or parsed[0] not in orgs:
        await reply(update, context, t("adm-refusal-org_not_found"))
        return ORG
    draft = _draft(context)
    draft["org_id"], draft["org_name"] = parsed[0], orgs[parsed[0]]
    return await _ask_text(update, context)


async def on_area(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    typed, problem = read_text(update, AREA_RULE)
    if typed is None:
        assert problem is not None
        await reply(update, context, problem)
        return AREA
    _draft(context)["area"] = typed
    return await _ask_text(update, context)


async def _ask_text(update: Update, context: KanoonContext) -> str:
    draft = _draft(context)
    count = await association.audience_size(context.deps, AudienceKind(draft["kind"]), draft.get("org_id"), draft.get("area"))
    await reply(update, context, t("adm-announce-ask-text", audience=_audience(draft), count=count),
                navigation.keyboard())
    return TEXT


def _audience(draft: Draft) -> Raw:
    kind = draft.get("kind")
    if kind == AudienceKind.ORG:
        return t("adm-audience-org", org=draft.get("org_name") or "")
    if kind == AudienceKind.AREA:
        return t("adm-audience-area", area=draft.get("area") or "")
    return t("adm-audience-all")


async def on_text(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    body, problem = read_text(update, TEXT_RULE)
    if body is None:
        assert problem is not None
        await reply(update, context, problem)
        return TEXT
    draft = _draft(context)
    draft["body"] = body
    count = await association.audience_size(context.deps, AudienceKind(draft["kind"]), draft.get("org_id"), draft.get("area"))
    await reply(update, context, views.announcement_text(body))
    await reply(update, context, t("adm-announce-preview", audience=_audience(draft), count=count), inline(
        [(label("adm-btn-send"), cb.ADMIN_ANNOUNCE_SEND.build())],
        [(label("adm-btn-edit"), cb.ADMIN_ANNOUNCE_EDIT.build())],
        navigation.inline_row(),
    ))
    return PREVIEW


async def edit(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    await drop_buttons(update)
    await navigation.show_earlier(update, context, _draft(context).get("body"))
    await reply(update, context, t("adm-announce-ask-again"), navigation.keyboard())
    return TEXT


async def send(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context) or context.me is None:
        return END
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    if not draft.get("body") or not draft.get("kind"):
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        announced = await association.announce(
            context.deps, context.me, AudienceKind(draft["kind"]), draft.get("org_id"), draft.get("area"),
            draft["body"], draft["key"],
        )
    except Refusal as refusal:
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    clear_draft(context, DRAFT)
    key = "adm-announce-started" if announced.made else "adm-announce-already"
    await reply(update, context, t(key, count=announced.recipients), main_menu())
    return END


use_buttons = common.say(t("adm-use-buttons"))


def handlers() -> list[Handler]:
    return [common.conversation(
        name="announce_leaders",
        allow_reentry=True,
        entry_points=[CallbackQueryHandler(begin, pattern=cb.ADMIN_ANNOUNCE.matches)],
        # «🔙» from the organisation, the area or the text: the audience again; from the preview: the text.
        back={AUDIENCE: None, ORG: begin, AREA: begin, TEXT: begin, PREVIEW: edit},
        states={
            AUDIENCE: [CallbackQueryHandler(on_audience, pattern=cb.ADMIN_ANNOUNCE_AUDIENCE.matches),
                       MessageHandler(FREE_TEXT, use_buttons)],
            ORG: [CallbackQueryHandler(on_org, pattern=cb.ADMIN_ANNOUNCE_ORG.matches),
                  MessageHandler(FREE_TEXT, use_buttons)],
            AREA: [MessageHandler(FREE_TEXT, on_area)],
            TEXT: [MessageHandler(FREE_TEXT, on_text)],
            PREVIEW: [CallbackQueryHandler(send, pattern=cb.ADMIN_ANNOUNCE_SEND.matches),
                      CallbackQueryHandler(edit, pattern=cb.ADMIN_ANNOUNCE_EDIT.matches),
                      MessageHandler(FREE_TEXT, use_buttons)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
