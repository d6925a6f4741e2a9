"""Everything that differs between Telegram and Bale lives here.

Handlers and services never ask "which messenger is this?"; they call these functions,
which keep the user's experience the same on both.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from telegram import BotCommand, InlineKeyboardMarkup, LinkPreviewOptions, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.sending.ratelimit import SendArgs

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None

_PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TAG_RE = re.compile(r"<[^>]+>")


class Platform(StrEnum):
    TELEGRAM = "telegram"
    BALE = "bale"


@dataclass(frozen=True)
class Profile:
    deep_link_base: str
    # Bale renders HTML unreliably, so it gets plain text with the tags taken out.
    html: bool
    # Bale does not document setMyCommands and friends.
    command_menu: bool


PROFILES: dict[Platform, Profile] = {
    Platform.TELEGRAM: Profile(deep_link_base="https://t.me/", html=True, command_menu=True),
    Platform.BALE: Profile(deep_link_base="https://ble.ir/", html=False, command_menu=False),
}


def webhook_secret_header(platform: Platform) -> bool:
    """Whether the platform sends setWebhook's secret_token back in a header (Telegram does;
    Bale documents no such field, so its webhook path is the only secret)."""
    return platform is Platform.TELEGRAM


def deep_link(platform: Platform, bot_username: str, payload: str) -> str:
    if not _PAYLOAD_RE.match(payload):
        raise ValueError(f"deep-link payload must be 1-64 chars of [A-Za-z0-9_-]: {payload!r}")
    return f"{PROFILES[platform].deep_link_base}{bot_username}?start={payload}"


def parse_mode(platform: Platform) -> str | None:
    return ParseMode.HTML if PROFILES[platform].html else None


def plain(rendered_html: str) -> str:
    """Catalog HTML as the plain text a reader should see: tags out, entities back."""
    return html.unescape(_TAG_RE.sub("", rendered_html))


# A bold title ending a line right after a word («یادآوری پویش <b>توزیع بسته‌ها</b>»): without bold
# it would run into its label, so plain text puts it in «» (issue 10, item 11). A bold heading alone
# on its line or after an emoji, and a bold word inside a sentence, need nothing.
_INLINE_TITLE_RE = re.compile(r"(?<=[^\W\d_] )<b>(?!«)([^<\n]+?)</b>(?=\n|$)")


def finish_markup(platform: Platform, rendered_html: str) -> str:
    """Catalog messages are rendered as HTML (user values escaped); Bale gets plain text, with
    titles that follow a word put in «»."""
    if PROFILES[platform].html:
        return rendered_html
    return plain(_INLINE_TITLE_RE.sub(r"«\1»", rendered_html))


def escape(value: str) -> str:
    """Escape a user-supplied value before it goes into a catalog message."""
    return html.escape(value, quote=False)


def is_unreachable(error: TelegramError) -> bool:
    """The user blocked the bot, deleted their account, or never started it."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and "chat not found" in error.message.lower()


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the API accepted: its id is all the bot keeps (to edit it, or to record it)."""

    message_id: int


# What PTB's send_message(disable_web_page_preview=True) sends (Bot API 7's replacement field).
NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)


class Messenger:
    """Sends to users of one platform; the only place that knows its formatting rules."""

    def __init__(self, platform: Platform, bot: ExtBot[SendArgs]) -> None:
        self.platform = platform
        self.bot = bot

    def render(self, rendered_html: str) -> str:
        return finish_markup(self.platform, rendered_html)

    async def send(
        self, chat_id: int, text: str, markup: ReplyMarkup = None, *, rate_limit_args: SendArgs | None = None,
        photo: str | None = None,
    ) -> Sent:
        """A message, or with `photo` (a file_id of *this* bot: ids are per bot) a picture with `text` as caption."""
        if photo is not None:
            message = await self.bot.send_photo(
                chat_id, photo, caption=self.render(text), parse_mode=parse_mode(self.platform),
                reply_markup=markup, rate_limit_args=rate_limit_args,
            )
            return Sent(message.message_id)
        return await self._post_text("sendMessage", {"chat_id": chat_id}, text, markup, rate_limit_args)

    async def edit_or_send(
        self, chat_id: int, message_id: int | None, text: str,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Sent:
        """Edit a message in place; if it can't be edited any more, send a new one. The message
        that shows the text now is returned (the same one when nothing had changed)."""
        if message_id is not None:
            try:
                return await self._post_text(
                    "editMessageText", {"chat_id": chat_id, "message_id": message_id}, text, markup, None)
            except BadRequest as exc:
                if "not modified" in exc.message.lower():
                    return Sent(message_id)
                log.info("edit of %s/%s failed (%s); sending anew", chat_id, message_id, exc)
        return await self.send(chat_id, text, markup)

    async def _post_text(self, endpoint: str, data: dict[str, object], text: str, markup: ReplyMarkup,
                         rate_limit_args: SendArgs | None) -> Sent:
        # The request PTB's send_message / edit_message_text make, through the same path (the bot's
        # defaults, its rate limiter, its errors), without building PTB's Message from the answer:
        # a fifth of a reply's CPU, for one field. tests/unit/test_messenger_send.py checks the
        # requests are PTB's.
        data.update({
            "text": self.render(text), "parse_mode": parse_mode(self.platform), "reply_markup": markup,
            "link_preview_options": NO_LINK_PREVIEW,
        })
        answer = await self.bot._post(  # noqa: SLF001
            endpoint, data, api_kwargs=self.bot._merge_api_rl_kwargs(None, rate_limit_args),  # noqa: SLF001
        )
        return Sent(int(answer["message_id"]))

    async def answer_callback(self, query_id: str, text: str | None = None, alert: bool = False) -> None:
        """Every callback query is answered, so the user's button stops spinning."""
        try:
            await self.bot.answer_callback_query(
                query_id, text=plain(text) if text else None, show_alert=alert
            )
        except TelegramError as exc:  # a late answer is harmless; the tap itself was handled
            log.info("answerCallbackQuery failed: %s", exc)

    async def set_commands(self, commands: Sequence[BotCommand | tuple[str, str]]) -> None:
        """Best-effort: a command menu is a nicety, never a reason not to start."""
        if not PROFILES[self.platform].command_menu:
            return
        try:
            await self.bot.set_my_commands(commands)
        except TelegramError as exc:
            log.warning("setMyCommands failed on %s: %s", self.platform, exc)
