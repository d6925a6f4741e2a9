"""The two buttons under every question of a conversation (bot/conversations/navigation.py):
«🔙 مرحله‌ی قبل» where a previous step exists, and «❌ انصراف»."""

from __future__ import annotations

from telegram import ReplyKeyboardMarkup

from bot import callbacks
from bot.ptb.ui import label, reply_keyboard


BUTTON_LIMIT = 32  # characters a button label may have (issue 10, item 5)


def fit(text: str, limit: int = BUTTON_LIMIT) -> str:
    """A label cut to `limit` characters, «…» marking the cut (the whole text goes in the message)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nav_labels(back: bool = True) -> list[str]:
    return ([label("btn-step-back")] if back else []) + [label("btn-cancel")]


def keyboard(*rows: list[str], back: bool = True, contact_button: str | None = None) -> ReplyKeyboardMarkup:
    """A text question's keyboard: its own rows, then «🔙 مرحله‌ی قبل» «❌ انصراف»."""
    return reply_keyboard(*rows, nav_labels(back), contact_button=contact_button)


def inline_row(back: bool = True) -> list[tuple[str, str]]:
    """The last row of an inline question: «🔙 مرحله‌ی قبل» «❌ انصراف» as buttons."""
    row = [(label("btn-step-back"), callbacks.STEP_BACK.build())] if back else []
    return row + [(label("btn-cancel"), callbacks.CANCEL.build())]
