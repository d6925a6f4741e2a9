"""Keyboards and reply helpers shared by handlers. Every label comes from the catalog."""

from __future__ import annotations

import functools
from contextvars import ContextVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import filters

from bot.ptb.context import KanoonContext
from bot.persian.catalog import t
from bot.platforms import ReplyMarkup, Sent, plain
from bot.persian.text import one_line

# The main menu's buttons, by catalog key; a row per line of the keyboard.
MAIN_MENU_ROWS = (
    ("menu-register", "menu-join"),
    ("menu-mycenter", "menu-campaigns"),
    ("menu-help",),
)


# Buttons some people have besides everyone's (admins «🏛 انجمن», facilitators «🧭 رهیاری»), by
# catalog key: set for each update's sender by the middleware, read by main_menu().
ROLE_MENU_KEYS = ("menu-admin", "menu-facilitator")
MENU_EXTRAS: ContextVar[tuple[str, ...]] = ContextVar("menu_extras", default=())


def label(key: str, **args: object) -> str:
    """A button label: plain text (buttons carry no markup), so «A&B» stays «A&B»."""
    return plain(t(key, **args))


class _ButtonText(filters.MessageFilter):
    """A message whose text is one of these labels, as typed on any keyboard (ي/ك, extra
    spaces or invisible marks): someone may type «كانون من» instead of tapping it."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = frozenset(one_line(text) for text in texts)
        super().__init__(name=f"button{sorted(self.texts)}")

    def filter(self, message: Message) -> bool:
        return message.text is not None and one_line(message.text) in self.texts


def button(*keys: str) -> filters.MessageFilter:
    """Matches a reply-keyboard button (or its text typed by hand) by catalog key."""
    return _ButtonText([label(key) for key in keys])


def main_menu() -> ReplyKeyboardMarkup:
    return _main_menu(MENU_EXTRAS.get())


@functools.lru_cache(maxsize=8)
def _main_menu(extras: tuple[str, ...]) -> ReplyKeyboardMarkup:
    # Built once per set of extra buttons (PTB's objects are frozen, so one is safely shared): after
    # nearly every step, building it anew was a tenth of a reply's CPU.
    rows = [*MAIN_MENU_ROWS, extras] if extras else MAIN_MENU_ROWS
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label(key)) for key in row] for row in rows],
        resize_keyboard=True,
        is_persistent=True,
    )


def reply_keyboard(*rows: list[str], contact_button: str | None = None) -> ReplyKeyboardMarkup:
    buttons = [[KeyboardButton(text) for text in row] for row in rows]
    if contact_button:
        buttons.insert(0, [KeyboardButton(contact_button, request_contact=True)])
    return ReplyKeyboardMarkup(buttons, resize_keyboard=True, one_time_keyboard=True)


def inline(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback data). Callback data is short ASCII (≤ 64 bytes)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def url_buttons(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url) for text, url in row] for row in rows])


def button_data(update: Update) -> str | None:
    """The data of the tapped button (None when the update is no tap): what a Codec parses."""
    query = update.callback_query
    return query.data if query is not None else None


async def reply(update: Update, context: KanoonContext, text: str, markup: ReplyMarkup = None) -> Sent:
    """Answer in the chat the update came from, formatted for this platform."""
    chat = update.effective_chat
    assert chat is not None, "an update without a chat has nowhere to be answered"
    return await context.messenger.send(chat.id, text, markup)


async def drop_buttons(update: Update) -> None:
    """Take the inline buttons off the message that was tapped (it has been answered)."""
    if update.callback_query is None:
        return
    try:
        await update.callback_query.edit_message_reply_markup(None)
    except BadRequest:  # already without buttons, or too old to edit: nothing to take off
        pass


async def answer(update: Update, context: KanoonContext, text: str | None = None, alert: bool = False) -> None:
    if update.callback_query:
        await context.messenger.answer_callback(update.callback_query.id, text, alert)
