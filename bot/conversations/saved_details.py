"""Offering a person the full name and mobile they declared before (registration, invitations)."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.callbacks import Codec
from bot.persian.catalog import t
from bot.persian.digits import persian_digits
from bot.ptb.context import KanoonContext
from bot.ptb.ui import inline, label, reply
from bot.views import steps


def should_offer(draft: dict[str, Any], context: KanoonContext) -> bool:
    """Once per conversation, when neither answer is given yet and both are on file."""
    me = context.me
    return (
        "full_name" not in draft and "mobile" not in draft and not draft.get("reuse_asked")
        and me is not None and bool(me.full_name) and bool(me.mobile)
    )


async def offer(update: Update, context: KanoonContext, draft: dict[str, Any], buttons: Codec, back: bool = True) -> None:
    """Ask «use these?»; the buttons answer `buttons.build("yes")` / `buttons.build("no")`."""
    draft["reuse_asked"] = True
    me = context.me
    assert me is not None and me.full_name and me.mobile
    await reply(
        update, context, t("reg-reuse", name=me.full_name, mobile=persian_digits(me.mobile)),
        inline([(label("reg-btn-reuse-yes"), buttons.build("yes"))], [(label("reg-btn-reuse-no"), buttons.build("no"))],
               steps.inline_row(back)),
    )


def take(draft: dict[str, Any], context: KanoonContext) -> None:
    me = context.me
    assert me is not None
    draft["full_name"], draft["mobile"] = me.full_name, me.mobile
