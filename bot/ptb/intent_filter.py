"""A message filter over bot/persian/intents.py: «does this text mean one of these things?».

Handlers and conversations use it to take free text at the main menu («میخوام عضو بشم» starts
joining) and to keep control words («برگشت», «لغو», «منو») out of a step's answers.
"""

from __future__ import annotations

from telegram import Message
from telegram.ext import filters

from bot.persian.intents import Intent, Reading, read_intent


class IntentIs(filters.MessageFilter):
    """A text message whose reading (bot/persian/intents.read_intent) is one of `intents`."""

    def __init__(self, *intents: Intent) -> None:
        self.intents = frozenset(intents)
        super().__init__(name=f"intent{sorted(self.intents)}")

    def filter(self, message: Message) -> bool:
        return message.text is not None and not message.text.startswith("/") and read_intent(message.text).intent in self.intents


def reading_of(message: Message | None) -> Reading:
    """The reading of a message's text (UNKNOWN for anything that is not text)."""
    if message is None or message.text is None:
        return Reading(Intent.UNKNOWN)
    return read_intent(message.text)
