"""The center's card for its leader and assistant (/mycenter). Issue: registering a center."""

from __future__ import annotations

from telegram import Update

from bot.context import KanoonContext
from bot.db.models import Center
from bot.i18n import t
from bot.ui import reply


async def show(update: Update, context: KanoonContext, center: Center) -> None:
    # Minimal card until the registration feature fills it in.
    await reply(update, context, t("center-card-minimal", name=center.name, code=str(center.code or "")))
