"""Asking for a person's full name and mobile — shared by registration, invitations and joining.

Each conversation owns its states; these functions ask the question and read the answer, so
every flow behaves the same: the messenger's profile name offered as a one-tap choice, the
number by a «share my number» button or typed in any form and any digits, and someone
else's shared contact refused.
"""

from __future__ import annotations

from telegram import Update

from bot.ptb.context import KanoonContext
from bot.conversations.common import TextRule, read_text
from bot.persian.catalog import t
from bot.persian.text import normalize_mobile, one_line
from bot.ptb.ui import label, reply, reply_keyboard

FULL_NAME = TextRule(min_len=3, max_len=64)


def _profile_name(update: Update) -> str:
    sender = update.effective_user
    return one_line(" ".join(filter(None, [sender.first_name, sender.last_name]))) if sender else ""


async def ask_full_name(update: Update, context: KanoonContext, question_key: str = "profile-ask-name") -> None:
    suggestion = _profile_name(update)
    # Offer the profile name only if tapping it would be accepted (no digits, within limits).
    acceptable = FULL_NAME.min_len <= len(suggestion) <= FULL_NAME.max_len and not any(c.isdigit() for c in suggestion)
    rows = [[suggestion]] if acceptable else []
    await reply(update, context, t(question_key), reply_keyboard(*rows, [label("btn-cancel")]))


def read_full_name(update: Update) -> tuple[str | None, str | None]:
    value, error = read_text(update, FULL_NAME)
    if value is not None and any(ch.isdigit() for ch in value):
        return None, t("profile-name-has-digits")
    return value, error


async def ask_mobile(update: Update, context: KanoonContext, question_key: str = "profile-ask-mobile") -> None:
    keyboard = reply_keyboard([label("btn-cancel")], contact_button=label("profile-share-contact"))
    await reply(update, context, t(question_key), keyboard)


def read_mobile(update: Update) -> tuple[str | None, str | None]:
    """A shared contact (only the sender's own) or a typed number."""
    message = update.effective_message
    if message is not None and message.contact is not None:
        contact = message.contact
        if contact.user_id is None or update.effective_user is None or contact.user_id != update.effective_user.id:
            return None, t("profile-contact-not-yours")
        mobile = normalize_mobile(contact.phone_number)
        return (mobile, None) if mobile else (None, t("profile-mobile-not-iranian"))
    if message is None or message.text is None:
        return None, t("profile-mobile-need")
    mobile = normalize_mobile(message.text)
    return (mobile, None) if mobile else (None, t("profile-mobile-invalid"))


async def take(update: Update, context: KanoonContext, draft: dict, key: str, read) -> bool:  # noqa: ANN001
    """Read one answer with `read` (read_full_name / read_mobile) into draft[key]; say what
    was wrong and return False if it is not acceptable (the step then asks again)."""
    value, error = read(update)
    if error:
        await reply(update, context, error)
        return False
    draft[key] = value
    return True
