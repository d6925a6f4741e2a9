"""The center's card for a member, or for someone whose request is pending (/mycenter)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import KanoonContext
from bot.db.models import Membership
from bot.handlers import join_views as views
from bot.i18n import Raw, t
from bot.services import memberships as svc
from bot.text import format_date
from bot.ui import inline, label, reply


async def render(context: KanoonContext, membership: Membership) -> tuple[Raw, InlineKeyboardMarkup | None]:
    async with context.sessions() as session:
        center = await svc.center_by_id(session, membership.center_id)
        info = await svc.center_info(session, center) if center else None
    if info is None or membership.status not in ("active", "pending"):
        return t("ml-answer-changed"), None
    card = views.center_card(info)
    if membership.status == "pending":
        pending = t("ml-card-pending", center=info.center.name, date=format_date(svc.aware(membership.requested_at)))
        return views.lines(pending, "", card), inline([(label("ml-btn-withdraw"), f"ml:wd:{membership.id}")])
    since = membership.decided_at or membership.requested_at
    text = views.lines(card, "", t("ml-card-since", date=format_date(svc.aware(since))))
    return text, inline([(label("ml-btn-leave"), f"ml:lv:{membership.id}")])


async def show(update: Update, context: KanoonContext, membership: Membership) -> None:
    text, markup = await render(context, membership)
    await reply(update, context, text, markup)
