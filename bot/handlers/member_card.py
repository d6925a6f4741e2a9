"""The center's card for a member, or for someone whose request is pending (/mycenter)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.actions import facilitation
from bot.ptb.context import KanoonContext
from bot.db.models import Membership
from bot.views import joining as views
from bot.views.facilitation import with_association
from bot.persian.catalog import Raw, t
from bot.services import memberships as svc
from bot.persian.text import format_date
from bot.ptb.ui import inline, label, reply


async def render(context: KanoonContext, membership: Membership) -> tuple[Raw, InlineKeyboardMarkup | None]:
    async with context.sessions() as session:
        view = await svc.membership_view(session, membership.id)  # type: ignore[arg-type]
        info = await svc.center_info(session, view[1]) if view else None
    if view is None or info is None or view[0].status not in ("active", "pending"):
        return t("ml-answer-changed"), None
    membership, center = view[0], info.center
    card = views.center_card(info)
    state = {"suspended": t("ml-card-suspended"), "cancelled": t("ml-card-cancelled")}.get(center.status)
    if membership.status == "pending":
        pending = t("ml-card-pending", center=center.name, date=format_date(membership.requested_at))
        markup = inline([(label("ml-btn-withdraw"), f"ml:wd:{membership.id}")])
        return views.lines(pending, "", card, state), markup
    since = membership.decided_at or membership.requested_at
    text = views.lines(card, "", t("ml-card-since", date=format_date(since)), state)
    # The association (issue 11): suspension reason, the facilitator's line and «💬 پرسش از رهیار».
    return with_association(text, inline([(label("ml-btn-leave"), f"ml:lv:{membership.id}")]),
                            await facilitation.card_extras(context.deps, center.id))


async def show(update: Update, context: KanoonContext, membership: Membership) -> None:
    text, markup = await render(context, membership)
    await reply(update, context, text, markup)
