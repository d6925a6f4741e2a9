"""What the association adds to the center card its leader, assistant and members see: why the
center is suspended, its facilitator (رهیار) and «💬 پرسش از رهیار». Kept apart from the cards'
own views (bot/views/centers.py, bot/views/joining.py), which call it once each."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.db.enums import CenterStatus
from bot.db.models import Center
from bot.persian.catalog import Raw, t
from bot.ptb.ui import label


def with_association(
    text: str, markup: InlineKeyboardMarkup | None, center: Center, facilitator_name: str | None, *,
    line: bool = True,
) -> tuple[Raw, InlineKeyboardMarkup | None]:
    """The card with the suspension's reason, the line «🧭 رهیار: …» (unless the card already has
    one: `line=False`) and, when the center has a facilitator, «💬 پرسش از رهیار» on top."""
    added = [text]
    if center.status == CenterStatus.SUSPENDED and center.status_reason:
        added.append(t("fac-card-suspended-reason", reason=center.status_reason))
    if facilitator_name and line:
        added.append(t("fac-card-line", name=facilitator_name))
    text = Raw("\n".join(added))
    if not facilitator_name or center.status == CenterStatus.CANCELLED:
        return text, markup
    rows = [[InlineKeyboardButton(label("qa-btn-ask"), callback_data=cb.QUESTION_ASK.build())]]
    if markup is not None:
        rows += [list(row) for row in markup.inline_keyboard]
    return text, InlineKeyboardMarkup(rows)
