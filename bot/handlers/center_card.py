"""The center's card for its leader and assistant (/mycenter), and the leader's actions on it.

The card carries the buttons of other features by contract (members, requests, campaigns,
announcement); their handlers live with those features. Actions here (cc:…) work out the
center from the tapping user, never from the callback data.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.actions import facilitation
from bot.ptb.context import KanoonContext
from bot.db.models import Center
from bot.db.repo import centers as centers_repo
from bot.db.repo import users as users_repo
from bot.views.centers import (
    area_text,
    code_text,
    invitation_messages,
    kind_text,
    member_invitation,
    person_name,
)
from bot.persian.catalog import Raw, t
from bot.views.facilitation import with_association
from bot.services import centers
from bot.services.centers import ACTIVE, AWAITING, Card, Problem
from bot.persian.text import format_datetime
from bot.ptb.ui import answer, inline, label, reply


def card_text(card: Card, now) -> Raw:  # noqa: ANN001
    center = card.center
    lines = [t("ccard-title", name=center.name)]
    lines.append(t("ccard-code", code=code_text(center.code)) if center.code else t("ccard-code-pending"))
    lines.append(t(f"ccard-status-{center.status}"))
    lines.append(t("ccard-kind", kind=kind_text(center.kind, center.kind_label)))
    lines.append(t("ccard-area", area=area_text(center.area)))
    if center.description:
        lines.append(t("ccard-description", description=center.description))
    lines.append(t("ccard-leader", name=person_name(card.leader)))
    if card.assistant is not None:
        lines.append(t("ccard-assistant", name=person_name(card.assistant)))
    elif card.invitation is None:
        lines.append(t("ccard-assistant-none"))
    invitation = card.invitation
    if invitation is not None:
        if centers.is_expired(invitation, now):
            lines.append(t("ccard-invitation-expired"))
        else:
            lines.append(t("ccard-invitation-open", expires=format_datetime(invitation.expires_at)))
    if center.status == ACTIVE:
        lines.append(t("ccard-members", count=card.members))
        lines.append(t("ccard-pending", count=card.pending))
    return Raw("\n".join(lines))


def card_buttons(card: Card, viewer_id: int, now):  # noqa: ANN001, ANN201
    center = card.center
    is_leader = viewer_id == center.leader_id
    rows: list[list[tuple[str, str]]] = []
    if center.status == ACTIVE:
        rows.append([(label("ccard-btn-members"), "ml:list:0"), (label("ccard-btn-requests"), "rq:list")])
        if is_leader:
            rows.append([(label("ccard-btn-new-campaign"), "cp:new"), (label("ccard-btn-campaigns"), "cp:all")])
            rows.append([(label("ccard-btn-announce"), "cp:announce")])
        else:
            rows.append([(label("ccard-btn-campaigns"), "cp:all")])
        rows.append([(label("ccard-btn-link"), "cc:link")])
    if is_leader and center.status in (ACTIVE, AWAITING):
        rows.append([(label("ccard-btn-edit"), "cc:edit")])
        invitation = card.invitation
        if invitation is not None and not centers.is_expired(invitation, now):
            rows.append([
                (label("ccard-btn-resend"), "cc:inv:send"), (label("ccard-btn-cancel-invitation"), "cc:inv:cancel"),
            ])
        else:
            rows.append([(label("ccard-btn-replace" if center.status == ACTIVE else "ccard-btn-invite"), "cc:inv:new")])
        if center.status == AWAITING:
            rows.append([(label("ccard-btn-drop"), "cc:drop")])
    rows.append([(label("ccard-btn-refresh"), "cc:show")])
    return inline(*rows)


async def show(update: Update, context: KanoonContext, center: Center) -> None:
    """The card, as a new message (a command) or in place of the tapped message (a button)."""
    now = context.deps.clock()
    async with context.sessions() as session:
        card = await centers.card(session, center.id)
    text, markup = card_text(card, now), card_buttons(card, context.me.id, now)
    # The association (issue 11): suspension reason, the facilitator's line and «💬 پرسش از رهیار».
    text, markup = with_association(text, markup, await facilitation.card_extras(context.deps, center.id))
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


# --- actions ---------------------------------------------------------------------------------


async def _my_center(update: Update, context: KanoonContext) -> Center | None:
    async with context.sessions() as session:
        center = await centers_repo.run_by(session, context.me.id)
    if center is None:
        await answer(update, context, t("ccard-no-center"), alert=True)
    return center


async def _leaders_center(update: Update, context: KanoonContext) -> Center | None:
    center = await _my_center(update, context)
    if center is not None and center.leader_id != context.me.id:
        await answer(update, context, t("reg-problem-not_leader"), alert=True)
        return None
    return center


async def refresh(update: Update, context: KanoonContext) -> None:
    center = await _my_center(update, context)
    if center is not None:
        await answer(update, context)
        await show(update, context, center)


async def _send_invitation(update: Update, context: KanoonContext, center_id: int, invitation) -> None:  # noqa: ANN001
    async with context.sessions() as session:
        center = await centers_repo.by_id(session, center_id)
        leader = await users_repo.by_id(session, center.leader_id)
        assistant = await users_repo.by_id(session, center.assistant_id) if center.assistant_id else None
    intro, forward = invitation_messages(context.deps, center, invitation, leader, assistant)
    await reply(update, context, intro)
    await reply(update, context, forward)


async def new_invitation(update: Update, context: KanoonContext) -> None:
    center = await _leaders_center(update, context)
    if center is None:
        return
    try:
        async with context.sessions() as session:
            invitation = await centers.issue_invitation(session, center.id, context.me.id, context.deps.clock())
    except Problem as problem:
        await answer(update, context, t(f"reg-problem-{problem.reason}"), alert=True)
        return
    await answer(update, context)
    await _send_invitation(update, context, center.id, invitation)


async def invite_again(update: Update, context: KanoonContext) -> None:
    """The button under «… declined your invitation»: only while the center still has no assistant."""
    center = await _leaders_center(update, context)
    if center is None:
        return
    if center.status != AWAITING:
        await answer(update, context, t("ccard-has-assistant"), alert=True)
        return
    await new_invitation(update, context)


async def resend_invitation(update: Update, context: KanoonContext) -> None:
    center = await _leaders_center(update, context)
    if center is None:
        return
    async with context.sessions() as session:
        invitation = await centers.current_invitation(session, center.id)
    if invitation is None or centers.is_expired(invitation, context.deps.clock()):
        await answer(update, context, t("ccard-no-invitation"), alert=True)
        await show(update, context, center)
        return
    await answer(update, context)
    await _send_invitation(update, context, center.id, invitation)


async def cancel_invitation(update: Update, context: KanoonContext) -> None:
    center = await _leaders_center(update, context)
    if center is None:
        return
    try:
        async with context.sessions() as session:
            cancelled = await centers.cancel_invitation(session, center.id, context.me.id, context.deps.clock())
    except Problem as problem:
        await answer(update, context, t(f"reg-problem-{problem.reason}"), alert=True)
        return
    await answer(update, context, t("ccard-invitation-cancelled" if cancelled else "ccard-no-invitation"))
    await show(update, context, center)


async def member_link(update: Update, context: KanoonContext) -> None:
    center = await _my_center(update, context)
    if center is None:
        return
    if center.status != ACTIVE or center.code is None:
        await answer(update, context, t("ccard-link-not-yet"), alert=True)
        return
    await answer(update, context)
    await reply(update, context, member_invitation(context.deps, center))


async def drop(update: Update, context: KanoonContext) -> None:
    center = await _leaders_center(update, context)
    if center is None:
        return
    if center.status != AWAITING:
        await answer(update, context, t("reg-problem-not_allowed"), alert=True)
        return
    await answer(update, context)
    query = update.callback_query
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, t("ccard-drop-confirm", name=center.name),
        inline([(label("ccard-btn-drop-yes"), "cc:drop:ok")], [(label("btn-back"), "cc:show")]),
    )


async def drop_confirmed(update: Update, context: KanoonContext) -> None:
    center = await _leaders_center(update, context)
    if center is None:
        return
    try:
        async with context.sessions() as session:
            await centers.drop_registration(session, center.id, context.me.id, context.deps.clock())
    except Problem as problem:
        await answer(update, context, t(f"reg-problem-{problem.reason}"), alert=True)
        return
    await answer(update, context)
    query = update.callback_query
    await context.messenger.edit_or_send(
        query.message.chat.id, query.message.message_id, t("ccard-dropped", name=center.name)
    )


def handlers() -> list[BaseHandler]:
    return [
        CallbackQueryHandler(refresh, pattern=r"^cc:show$"),
        CallbackQueryHandler(new_invitation, pattern=r"^cc:inv:new$"),
        CallbackQueryHandler(invite_again, pattern=r"^cc:inv:again$"),
        CallbackQueryHandler(resend_invitation, pattern=r"^cc:inv:send$"),
        CallbackQueryHandler(cancel_invitation, pattern=r"^cc:inv:cancel$"),
        CallbackQueryHandler(member_link, pattern=r"^cc:link$"),
        CallbackQueryHandler(drop, pattern=r"^cc:drop$"),
        CallbackQueryHandler(drop_confirmed, pattern=r"^cc:drop:ok$"),
    ]
