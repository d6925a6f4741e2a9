"""The center's card for a member (/mycenter). Issue: joining a center."""

from __future__ import annotations

from telegram import Update

from bot.context import KanoonContext
from bot.db.models import Membership
from bot.i18n import t
from bot.ui import reply


async def show(update: Update, context: KanoonContext, membership: Membership) -> None:
    # Minimal card until the joining feature fills it in.
    await reply(update, context, t("member-card-minimal"))
