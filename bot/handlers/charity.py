"""One-tap buttons of charitable campaigns (docs/charity.md): «تحویل دادم», a receipt by the
leader or assistant, taking a pledge back, «وضعیت پویش», the staff's report and pledges, the
progress to everyone, the export. They work in the middle of any conversation.

Each parses its typed data and lets the action decide from who is tapping (a forged id of
another center is refused there), then renders.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks, links
from bot.actions import charity as actions
from bot.callbacks import Codec
from bot.conversations.admin_common import is_admin
from bot.db.enums import PledgeStatus
from bot.db.models import User
from bot.persian.catalog import t
from bot.platforms import parse_mode
from bot.ptb.context import Handler, KanoonContext
from bot.ptb.ui import answer, button_data, drop_buttons, main_menu, reply
from bot.services.refusals import Refusal
from bot.services import charity as service
from bot.services.campaigns import CampaignError
from bot.services.charity import CharityError
from bot.views import campaigns as campaign_views
from bot.views import charity as views


def _me(context: KanoonContext) -> User:
    assert context.me is not None
    return context.me


# What a tap does, given the values its codec parsed (how many depends on the codec).
TapAction = Callable[..., Coroutine[Any, Any, None]]


def _tap(codec: Codec, handle: TapAction) -> Handler:
    """Parse with the codec (anything else is a stale button), run, answer refusals as alerts."""

    async def on_tap(update: Update, context: KanoonContext) -> None:
        parsed = codec.parse(button_data(update))
        if parsed is None:
            await answer(update, context, t("button-stale"))
            return
        try:
            await handle(update, context, *parsed)
        except Refusal as refusal:  # charity-, campaign- or supporter-error-<code>
            await answer(update, context, t(f"{refusal.feature}-error-{refusal.code}"), alert=True)

    return CallbackQueryHandler(on_tap, pattern=codec.matches)


async def delivered(update: Update, context: KanoonContext, pledge_id: int) -> None:
    reported = await actions.report_delivered(context.deps, _me(context), pledge_id)
    await answer(update, context)
    if reported.pledge.status == PledgeStatus.DELIVERED:
        await reply(update, context, t("charity-confirmed-already"))
        return
    await reply(update, context, t("charity-reported") if reported.changed else t("charity-reported-again"))


async def withdraw(update: Update, context: KanoonContext, pledge_id: int) -> None:
    row = await actions.withdraw(context.deps, _me(context), pledge_id)
    await answer(update, context)
    need = await actions.need_by_id(context.deps, row.need_id)
    await reply(update, context, t("charity-withdrawn", need=views.need_label(need) if need else ""))


async def confirm(update: Update, context: KanoonContext, pledge_id: int) -> None:
    done = await actions.confirm(context.deps, _me(context), pledge_id)
    await answer(update, context)
    if not done.changed:
        await reply(update, context, t("charity-confirmed-already"))
        return
    need = next((n for n in done.help.needs if n.id == done.pledge.need_id), None)
    async with context.deps.unit() as session:
        giver = await service.user(session, done.pledge.user_id)
    await reply(update, context, t("charity-confirmed", amount=views.amount(need, done.pledge.amount) if need else "",
                                   name=service.display_name(giver)))


async def status(update: Update, context: KanoonContext, campaign_id: int) -> None:
    """«وضعیت پویش»: the progress, then this person's own pledges with their buttons."""
    found = await actions.status(context.deps, _me(context), campaign_id)
    await answer(update, context)
    now = context.deps.clock()
    if found.full:
        is_leader = found.help.center.leader_id == _me(context).id
        await reply(update, context, views.progress_text(found, now), views.report_markup(campaign_id, is_leader))
    else:
        await reply(update, context, views.progress_text(found, now), views.status_markup(found, now))
    for row in await actions.my_pledges(context.deps, _me(context), campaign_id):
        need = next((n for n in found.help.needs if n.id == row.need_id), None)
        if need is not None and row.status != PledgeStatus.DELIVERED:
            await reply(update, context, t("charity-my-pledge", amount=views.amount(need, row.amount),
                                           need=views.need_label(need), status=views.status_of(row)),
                        views.pledge_markup(row))


async def report(update: Update, context: KanoonContext, campaign_id: int) -> None:
    found = await actions.staff_progress(context.deps, _me(context), campaign_id)
    await answer(update, context)
    is_leader = found.help.center.leader_id == _me(context).id
    await reply(update, context, views.progress_text(found, context.deps.clock()), views.report_markup(campaign_id, is_leader))


async def pledges(update: Update, context: KanoonContext, campaign_id: int) -> None:
    found = await actions.staff_progress(context.deps, _me(context), campaign_id)
    await answer(update, context)
    await reply(update, context, *views.pledges_list(found, _me(context).id or 0))


async def share(update: Update, context: KanoonContext, campaign_id: int) -> None:
    count = await actions.share_progress(context.deps, _me(context), campaign_id)
    await answer(update, context)
    await reply(update, context, t("charity-shared", count=count))


async def export(update: Update, context: KanoonContext, campaign_id: int, kind: str) -> None:
    made = await actions.export(context.deps, _me(context), campaign_id, kind)
    await answer(update, context)
    assert update.effective_chat is not None
    await context.bot.send_document(
        update.effective_chat.id, document=made.content, filename=made.filename,
        caption=context.messenger.render(t("charity-export-caption", title=made.title)),
        parse_mode=parse_mode(context.platform),
    )


async def attendance(update: Update, context: KanoonContext, campaign_id: int) -> None:
    try:
        found = await actions.attendance(context.deps, _me(context), campaign_id)
    except CampaignError as error:
        await answer(update, context, campaign_views.error_text(error), alert=True)
        return
    await answer(update, context)
    await reply(update, context, *views.attendance(found))


async def toggle_attendance(update: Update, context: KanoonContext, campaign_id: int, member_id: int) -> None:
    try:
        found = await actions.toggle_attendance(context.deps, _me(context), campaign_id, member_id)
    except CampaignError as error:
        await answer(update, context, campaign_views.error_text(error), alert=True)
        return
    await answer(update, context)
    query = update.callback_query
    message = query.message if query else None
    if message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, *views.attendance(found))


# --- supporters ---------------------------------------------------------------------------------------


async def invite_supporter(update: Update, context: KanoonContext) -> None:
    center, invitation = await actions.invite_supporter(context.deps, _me(context))
    await answer(update, context)
    await reply(update, context, views.supporter_invitation_for_leader(context.deps, center, invitation))


async def admin_invites_supporter(update: Update, context: KanoonContext, center_id: int) -> None:
    if not is_admin(update, context):
        await answer(update, context, t("button-stale"))
        return
    center, invitation = await actions.invite_supporter(context.deps, _me(context), admin_center_id=center_id)
    await answer(update, context)
    await reply(update, context, views.supporter_invitation_for_leader(context.deps, center, invitation))


async def open_supporter_link(update: Update, context: KanoonContext) -> None:
    token = links.payload_after(links.SUPPORTER_INVITE, context.args) or ""
    try:
        invitation, center = await actions.open_supporter_invitation(context.deps, token)
    except Refusal as refusal:
        await reply(update, context, t(f"{refusal.feature}-error-{refusal.code}"), main_menu())
        return
    await reply(update, context, *views.supporter_invitation_card(center, invitation.token))


async def accept_support(update: Update, context: KanoonContext, token: str) -> None:
    accepted = await actions.accept_support(context.deps, _me(context), token)
    await answer(update, context)
    await drop_buttons(update)
    key = "supporter-already" if accepted.already else "supporter-accepted"
    await reply(update, context, t(key, center=accepted.center.name), main_menu())


async def decline_support(update: Update, context: KanoonContext, token: str) -> None:
    await actions.decline_support(context.deps, token)
    await answer(update, context)
    await drop_buttons(update)
    await reply(update, context, t("supporter-declined"), main_menu())


async def _edit(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """The tapped message, changed in place."""
    query = update.callback_query
    message = query.message if query else None
    if message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)


async def leave_support(update: Update, context: KanoonContext, step: str, center_id: int) -> None:
    """A supporter's card: «ترک حمایت» asks first; yes leaves (the leader is told); back shows
    the card again; no changes nothing. A replayed yes finds them no longer a supporter."""
    me = _me(context)
    if step == "no":
        await answer(update, context)
        await _edit(update, context, t("supporter-kept"))
        return
    if step == "yes":
        center = await actions.leave_support(context.deps, me, center_id)
        await answer(update, context)
        await _edit(update, context, t("supporter-left", center=center.name))
        return
    row, center = await actions.own_support(context.deps, me, center_id)
    await answer(update, context)
    if step == "ask":
        await _edit(update, context, *views.supporter_confirm_leave(center))
    else:
        await _edit(update, context, *views.supporter_card(row, center, context.deps.settings.tz))


async def supporters_list(update: Update, context: KanoonContext) -> None:
    """«👥 حامیان» on the leader's card: the list, a «remove» button each."""
    center, rows = await actions.supporters_of_my_center(context.deps, _me(context))
    await answer(update, context)
    await reply(update, context, *views.supporters_list(center, rows, context.deps.settings.tz))


async def remove_supporter(update: Update, context: KanoonContext, step: str, supporter_id: int) -> None:
    """The leader takes a supporter off: ask first; yes removes (the supporter is told); back
    and no show the list as it is now. A forged id of another center's supporter is refused."""
    me, tz = _me(context), context.deps.settings.tz
    note = None
    if step == "ask":
        row, center, person = await actions.supporter_to_remove(context.deps, me, supporter_id)
        await answer(update, context)
        await _edit(update, context, *views.supporter_confirm_remove(row, person, center))
        return
    if step == "yes":
        person = await actions.remove_supporter(context.deps, me, supporter_id)
        note = t("supporters-removed", name=service.display_name(person))
    elif step == "no":
        note = t("supporter-kept")
    center, rows = await actions.supporters_of_my_center(context.deps, me)
    await answer(update, context)
    await _edit(update, context, *views.supporters_list(center, rows, tz, note))


def link_handlers() -> list[Handler]:
    """The supporter's invitation link; registered before /start itself."""
    return [CommandHandler("start", open_supporter_link,
                           filters=filters.Regex(links.start_pattern(links.SUPPORTER_INVITE)))]


def one_tap_buttons() -> list[Handler]:
    return [
        _tap(callbacks.HELP_DELIVERED, delivered),
        _tap(callbacks.HELP_WITHDRAW, withdraw),
        _tap(callbacks.HELP_CONFIRM, confirm),
        _tap(callbacks.HELP_STATUS, status),
        _tap(callbacks.HELP_REPORT, report),
        _tap(callbacks.HELP_PLEDGES, pledges),
        _tap(callbacks.HELP_SHARE, share),
        _tap(callbacks.HELP_EXPORT, export),
        _tap(callbacks.ATTENDANCE_OPEN, attendance),
        _tap(callbacks.ATTENDANCE_TOGGLE, toggle_attendance),
        _tap(callbacks.SUPPORTER_INVITE, invite_supporter),
        _tap(callbacks.SUPPORTER_INVITE_FOR, admin_invites_supporter),
        _tap(callbacks.SUPPORTER_ACCEPT, accept_support),
        _tap(callbacks.SUPPORTER_DECLINE, decline_support),
        _tap(callbacks.SUPPORTER_LEAVE, leave_support),
        _tap(callbacks.SUPPORTERS_LIST, supporters_list),
        _tap(callbacks.SUPPORTER_REMOVE, remove_supporter),
    ]


def handlers() -> list[Handler]:
    return one_tap_buttons()
