"""Asking for a person's full name and mobile — shared by registration, invitations and joining.

Each conversation owns its states; these functions ask the question and read the answer, so
every flow behaves the same: the messenger's profile name offered as a one-tap choice, the
number by a «share my number» button or typed in any form and any digits, and someone
else's shared contact refused. A name needs at least two letters and no digits.

A mobile that arrives while the step is still the full name (the mobile question was shown,
but a crash kept the step from being saved) is kept, and the name is asked again
(`take_mobile_early`): the person loses nothing and is not told their number is a bad name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update

from bot.conversations import navigation
from bot.conversations.common import TextRule, read_text
from bot.persian.catalog import t
from bot.persian.text import normalize_mobile, one_line
from bot.ptb.context import KanoonContext
from bot.ptb.ui import label, reply
from bot.services.users import has_name_letters

FULL_NAME = TextRule(min_len=3, max_len=64)

Reader = Callable[[Update], tuple[str | None, str | None]]


def _profile_name(update: Update) -> str:
    sender = update.effective_user
    return one_line(" ".join(filter(None, [sender.first_name, sender.last_name]))) if sender else ""


def full_name_fault(value: str) -> str | None:
    """The catalog key saying why this is no person's name, or None if it is one."""
    if any(ch.isdigit() for ch in value):
        return "profile-name-has-digits"
    if not has_name_letters(value):
        return "profile-name-letters"
    return None


async def ask_full_name(update: Update, context: KanoonContext, question_key: str = "profile-ask-name",
                        back: bool = True) -> None:
    suggestion = _profile_name(update)
    # Offer the profile name only if tapping it would be accepted, and only a whole name (two
    # words at least): «مریم» alone would end up as the name in every list (issue 10, item 6).
    acceptable = (FULL_NAME.min_len <= len(suggestion) <= FULL_NAME.max_len and full_name_fault(suggestion) is None
                  and len(suggestion.split()) >= 2 and len(suggestion) <= 32)
    rows = [[suggestion]] if acceptable else []
    await reply(update, context, t(question_key), navigation.keyboard(*rows, back=back))


def read_full_name(update: Update) -> tuple[str | None, str | None]:
    value, error = read_text(update, FULL_NAME)
    if value is not None:
        fault = full_name_fault(value)
        if fault is not None:
            return None, t(fault)
    return value, error


async def ask_mobile(update: Update, context: KanoonContext, question_key: str = "profile-ask-mobile",
                     back: bool = True) -> None:
    keyboard = navigation.keyboard(back=back, contact_button=label("profile-share-contact"))
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


async def take(update: Update, context: KanoonContext, draft: dict[str, Any], key: str, read: Reader) -> bool:
    """Read one answer with `read` (read_full_name / read_mobile) into draft[key]; say what
    was wrong and return False if it is not acceptable (the step then asks again)."""
    value, error = read(update)
    if error:
        await reply(update, context, error)
        return False
    draft[key] = value
    return True


async def take_mobile_early(update: Update, context: KanoonContext, draft: dict[str, Any]) -> bool:
    """At the full-name step: a shared contact or a typed mobile is the next step's answer.
    If the draft has no mobile yet, keep it (or say why not) and return True; the caller then
    asks for the name again. False: the message is to be read as a name."""
    message = update.effective_message
    if "mobile" in draft or message is None:
        return False
    if message.contact is None and not (message.text and normalize_mobile(message.text)):
        return False
    if await take(update, context, draft, "mobile", read_mobile):
        await reply(update, context, t("profile-mobile-early"))
    return True
