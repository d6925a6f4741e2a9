"""Offering a person the full name and mobile they declared before (registration, invitations)."""

from __future__ import annotations

from telegram import Update

from bot.ptb.context import KanoonContext
from bot.persian.catalog import t
from bot.persian.text import persian_digits
from bot.ptb.ui import inline, label, reply


def should_offer(draft: dict, context: KanoonContext) -> bool:
    """Once per conversation, when neither answer is given yet and both are on file."""
    me = context.me
    return (
        "full_name" not in draft and "mobile" not in draft and not draft.get("reuse_asked")
        and me is not None and bool(me.full_name) and bool(me.mobile)
    )


async def offer(update: Update, context: KanoonContext, draft: dict, prefix: str) -> None:
    """Ask «use these?»; the buttons answer `<prefix>:me:yes` / `<prefix>:me:no`."""
    draft["reuse_asked"] = True
    me = context.me
    await reply(
        update, context, t("reg-reuse", name=me.full_name, mobile=persian_digits(me.mobile)),
        inline([(label("reg-btn-reuse-yes"), f"{prefix}:me:yes")], [(label("reg-btn-reuse-no"), f"{prefix}:me:no")]),
    )


def take(draft: dict, context: KanoonContext) -> None:
    draft["full_name"], draft["mobile"] = context.me.full_name, context.me.mobile
