"""An admin appoints a facilitator (callback ad:ap from the figures, ad:ap:<id> from a center's
card): which centers (a list of codes, or all centers of an area) → the facilitation
organisation (one of those named before, a new one, or none) → the person's name →
«✅ ساختن لینک»: a one-time link per platform for the admin to forward to that person, who
opens it and accepts or declines (bot/handlers/facilitator.py).

The draft carries a key made when it starts, passed as the invitation's request_key: a
repeated «ساختن لینک» shows the same link instead of making a second one.
"""

from __future__ import annotations

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot import callbacks as cb
from bot.actions import association
from bot.conversations import common, navigation
from bot.conversations.admin_common import has_letters, is_admin, new_key, refuse
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.persian.catalog import t
from bot.persian.text import persian_digits
from bot.ptb.context import Draft, Handler, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, inline, label, main_menu, reply, reply_keyboard
from bot.services import facilitation as rules
from bot.services.association import ORG_NAME_MAX, ORG_NAME_MIN
from bot.services.refusals import Refusal
from bot.views import association as views
from bot.views.association import refusal_text

CENTERS, AREA, AREA_CONFIRM, ORG, ORG_NAME, NAME, CONFIRM = (
    "ap_centers", "ap_area", "ap_area_ok", "ap_org", "ap_org_name", "ap_name", "ap_confirm",
)
DRAFT = "appoint_draft"  # user_data: {"key", "center_ids", "area_ids", "org_id", "new_org", "org_name", "name"}
CODES_RULE = TextRule(max_len=4000, multiline=True)
AREA_RULE = TextRule(max_len=100, min_len=2)
ORG_RULE = TextRule(max_len=ORG_NAME_MAX, min_len=ORG_NAME_MIN)
NAME_RULE = TextRule(max_len=rules.NAME_MAX, min_len=rules.NAME_MIN)
ORGS_SHOWN = 20


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


def _cancel_keyboard(back: bool = True) -> ReplyKeyboardMarkup:
    return navigation.keyboard(back=back)


async def _guard(update: Update, context: KanoonContext) -> bool:
    if is_admin(update, context):
        return True
    await refuse(update, context)
    clear_draft(context, DRAFT)
    return False


async def begin(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    context.person_data[DRAFT] = {"key": new_key()}
    parsed = cb.ADMIN_APPOINT_CENTER.parse(button_data(update))
    if parsed is not None:  # from a center's card: that center
        try:
            card = await association.card(context.deps, parsed[0])
        except Refusal as refusal:
            await reply(update, context, refusal_text(refusal), main_menu())
            return END
        _draft(context)["center_ids"] = [parsed[0]]
        await reply(update, context, t("adm-appoint-for", name=card.center.name), _cancel_keyboard())
        return await _ask_org(update, context)
    return await _ask_codes(update, context)


async def _ask_codes(update: Update, context: KanoonContext) -> str:
    await reply(update, context, t("adm-appoint-ask-codes"), _cancel_keyboard(back=False))
    await reply(update, context, t("adm-appoint-or-area"),
                inline([(label("adm-btn-area"), cb.ADMIN_APPOINT_AREA.build())]))
    return CENTERS


# «🔙»: the question before, again (the centers, the organisation, the name).
async def back_to_codes(update: Update, context: KanoonContext) -> str:
    _draft(context).pop("area_ids", None)
    return await _ask_codes(update, context)


async def back_to_org(update: Update, context: KanoonContext) -> str:
    return await _ask_org(update, context)


async def back_to_name(update: Update, context: KanoonContext) -> str:
    await navigation.show_earlier(update, context, _draft(context).get("name"))
    await reply(update, context, t("adm-appoint-ask-name"), _cancel_keyboard())
    return NAME


async def on_codes(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    typed, problem = read_text(update, CODES_RULE)
    if typed is None:
        assert problem is not None
        await reply(update, context, problem)
        return CENTERS
    codes, bad = rules.parse_codes(typed)
    async with context.deps.unit() as session:  # read-only
        found, missing = await rules.centers_by_codes(session, codes)
    notes = []
    if bad:
        notes.append(t("adm-appoint-not-codes", pieces=str(t("adm-fig-separator")).join(bad[:10])))
    if missing:
        notes.append(t("adm-appoint-unknown-codes", codes=str(t("adm-fig-separator")).join(persian_digits(c) for c in missing[:20])))
    if not found:
        await reply(update, context, views.lines(*notes, t("adm-appoint-no-centers")))
        return CENTERS
    if notes:
        await reply(update, context, views.lines(*notes))
    _draft(context)["center_ids"] = [c.id for c in found]
    await reply(update, context, views.lines(t("adm-appoint-centers", count=len(found)), views.centers_list(found)))
    return await _ask_org(update, context)


async def ask_area(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("adm-appoint-ask-area"), _cancel_keyboard())
    return AREA


async def on_area(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    typed, problem = read_text(update, AREA_RULE)
    if typed is None:
        assert problem is not None
        await reply(update, context, problem)
        return AREA
    async with context.deps.unit() as session:  # read-only
        found = await rules.centers_in_area(session, typed)
    if not found:
        await reply(update, context, t("adm-appoint-area-none", area=typed))
        return AREA
    _draft(context)["area_ids"] = [c.id for c in found]
    await reply(update, context, views.lines(t("adm-appoint-area-found", area=typed, count=len(found)),
                                             views.centers_list(found)),
                inline([(label("adm-btn-area-ok"), cb.ADMIN_APPOINT_AREA_OK.build())]))
    return AREA_CONFIRM


async def area_ok(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    if not draft.get("area_ids"):
        await reply(update, context, t("button-stale"), main_menu())
        return END
    draft["center_ids"] = draft.pop("area_ids")
    return await _ask_org(update, context)


async def _ask_org(update: Update, context: KanoonContext) -> str:
    orgs = await association.orgs(context.deps)
    rows = [[(org.name[:30], cb.ADMIN_APPOINT_ORG.build(org.id))] for org in orgs[:ORGS_SHOWN]]
    rows.append([(label("adm-btn-new-org"), cb.ADMIN_APPOINT_NEW_ORG.build())])
    rows.append([(label("adm-btn-no-org"), cb.ADMIN_APPOINT_ORG.build(0))])
    rows.append(navigation.inline_row())
    await reply(update, context, t("adm-appoint-ask-org"), inline(*rows))
    return ORG


async def on_org(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    parsed = cb.ADMIN_APPOINT_ORG.parse(button_data(update))
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    draft["org_id"], draft["new_org"], draft["org_name"] = (parsed[0] or None) if parsed else None, None, None
    if draft["org_id"]:
        orgs = {org.id: org.name for org in await association.orgs(context.deps)}
        draft["org_name"] = orgs.get(draft["org_id"])
        if draft["org_name"] is None:
            draft["org_id"] = None
    await reply(update, context, t("adm-appoint-ask-name"), _cancel_keyboard())
    return NAME


async def ask_new_org(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("adm-appoint-ask-org-name"), _cancel_keyboard())
    return ORG_NAME


async def on_org_name(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    typed, problem = read_text(update, ORG_RULE)
    if typed is None or not has_letters(typed):
        await reply(update, context, problem or t("adm-name-needs-letters"))
        return ORG_NAME
    draft = _draft(context)
    draft["org_id"], draft["new_org"], draft["org_name"] = None, typed, typed
    await reply(update, context, t("adm-appoint-ask-name"), _cancel_keyboard())
    return NAME


async def on_name(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context):
        return END
    typed, problem = read_text(update, NAME_RULE)
    if typed is None or not has_letters(typed):
        await reply(update, context, problem or t("adm-name-needs-letters"))
        return NAME
    draft = _draft(context)
    draft["name"] = typed
    async with context.deps.unit() as session:  # read-only
        centers = await rules.centers_by_ids(session, draft.get("center_ids") or [])
    if not centers:
        clear_draft(context, DRAFT)
        await reply(update, context, t("adm-appoint-no-centers"), main_menu())
        return END
    await reply(update, context, views.appoint_summary(typed, draft.get("org_name"), centers),
                inline([(label("adm-btn-make-link"), cb.ADMIN_APPOINT_CONFIRM.build())], navigation.inline_row()))
    return CONFIRM


async def confirm(update: Update, context: KanoonContext) -> str | int:
    if not await _guard(update, context) or context.me is None:
        return END
    await answer(update, context)
    await drop_buttons(update)
    draft = _draft(context)
    if not draft.get("name") or not draft.get("center_ids"):
        await reply(update, context, t("button-stale"), main_menu())
        return END
    try:
        made = await association.appoint(
            context.deps, context.me, name=draft["name"], org_id=draft.get("org_id"), new_org=draft.get("new_org"),
            center_ids=draft["center_ids"], request_key=draft["key"],
        )
    except Refusal as refusal:
        await reply(update, context, refusal_text(refusal), main_menu())
        return END
    clear_draft(context, DRAFT)
    intro, forward = views.appoint_links(context.deps, made.invitation, context.deps.settings.tz)
    await reply(update, context, intro if made.made else views.lines(t("adm-appoint-already"), intro), main_menu())
    await reply(update, context, forward)
    return END


use_buttons = common.say(t("adm-use-buttons"))


def handlers() -> list[Handler]:
    return [common.conversation(
        name="appoint_facilitator",
        allow_reentry=True,
        entry_points=[
            CallbackQueryHandler(begin, pattern=cb.ADMIN_APPOINT.matches),
            CallbackQueryHandler(begin, pattern=cb.ADMIN_APPOINT_CENTER.matches),
        ],
        back={CENTERS: None, AREA: back_to_codes, AREA_CONFIRM: back_to_codes, ORG: back_to_codes,
              ORG_NAME: back_to_org, NAME: back_to_org, CONFIRM: back_to_name},
        states={
            CENTERS: [MessageHandler(FREE_TEXT, on_codes),
                      CallbackQueryHandler(ask_area, pattern=cb.ADMIN_APPOINT_AREA.matches)],
            AREA: [MessageHandler(FREE_TEXT, on_area)],
            AREA_CONFIRM: [CallbackQueryHandler(area_ok, pattern=cb.ADMIN_APPOINT_AREA_OK.matches),
                           MessageHandler(FREE_TEXT, on_area)],
            ORG: [CallbackQueryHandler(on_org, pattern=cb.ADMIN_APPOINT_ORG.matches),
                  CallbackQueryHandler(ask_new_org, pattern=cb.ADMIN_APPOINT_NEW_ORG.matches),
                  MessageHandler(FREE_TEXT, use_buttons)],
            ORG_NAME: [MessageHandler(FREE_TEXT, on_org_name)],
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=cb.ADMIN_APPOINT_CONFIRM.matches),
                      MessageHandler(FREE_TEXT, use_buttons)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
