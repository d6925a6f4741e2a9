"""Messenger.send posts sendMessage itself (bot/platforms.py) so PTB does not build a Message from
every answer. The request must stay exactly the one PTB's send_message made, through the same
path: the bot's defaults, its rate limiter (with the send's arguments) and PTB's errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from telegram.error import Forbidden
from telegram.ext import BaseRateLimiter, ExtBot

from bot.emulator import FakeBotApi
from bot.platforms import Messenger, Platform, ReplyMarkup, parse_mode
from bot.sending.ratelimit import BULK_SEND, SendArgs

TOKEN = "123456:TEST-token_x"
ALI = 1001


class RecordingLimiter(BaseRateLimiter[SendArgs]):
    """Lets every request through, noting the arguments each send gave it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, SendArgs | None]] = []

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self, callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],  # noqa: ANN401 (PTB's signature)
        rate_limit_args: SendArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        self.seen.append((endpoint, rate_limit_args))
        return await callback(*args, **kwargs)


World = tuple[FakeBotApi, RecordingLimiter, ExtBot[SendArgs], Messenger]


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE])
async def world(request: pytest.FixtureRequest) -> AsyncIterator[World]:
    platform = request.param
    limiter = RecordingLimiter()
    async with FakeBotApi(flavour=str(platform)) as api:
        api.user(ALI, "علی", started=True)
        async with ExtBot(TOKEN, base_url=api.base_url, rate_limiter=limiter) as bot:
            yield api, limiter, bot, Messenger(platform, bot)


MARKUPS: list[ReplyMarkup] = [
    None,
    InlineKeyboardMarkup([[InlineKeyboardButton("عضویت", callback_data="j:1")]]),
    ReplyKeyboardMarkup([[KeyboardButton("❌ انصراف")]], resize_keyboard=True),
]


@pytest.mark.parametrize("markup", MARKUPS)
async def test_the_request_is_send_messages_and_the_id_is_the_new_messages(world: World, markup: ReplyMarkup) -> None:
    api, limiter, bot, messenger = world
    text = "<b>کانون</b> &amp; «ده» *ستاره*"
    sent = await messenger.send(ALI, text, markup, rate_limit_args=BULK_SEND)
    await bot.send_message(ALI, messenger.render(text), parse_mode=parse_mode(messenger.platform),
                           reply_markup=markup, disable_web_page_preview=True, rate_limit_args=BULK_SEND)

    (mine, ptbs) = api.calls[-2:]
    assert mine == ptbs
    assert mine[0] == "sendMessage"
    first, second = api.messages(ALI)[-2:]
    assert sent.message_id == first.message_id != second.message_id
    assert limiter.seen[-2:] == [("sendMessage", BULK_SEND)] * 2


async def test_no_send_arguments_reach_the_limiter_as_none(world: World) -> None:
    _, limiter, _, messenger = world
    await messenger.send(ALI, "سلام")
    assert limiter.seen[-1] == ("sendMessage", None)


async def test_a_person_who_blocked_the_bot_is_the_same_error(world: World) -> None:
    api, _, _, messenger = world
    api.block(ALI)
    with pytest.raises(Forbidden):
        await messenger.send(ALI, "سلام")


async def test_an_edit_is_edit_message_texts_request_and_keeps_the_id(world: World) -> None:
    api, _, bot, messenger = world
    first = await messenger.send(ALI, "یک")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("تأیید", callback_data="a:1")]])
    edited = await messenger.edit_or_send(ALI, first.message_id, "دو", markup)
    await bot.edit_message_text(messenger.render("سه"), chat_id=ALI, message_id=first.message_id,
                                parse_mode=parse_mode(messenger.platform), reply_markup=markup,
                                disable_web_page_preview=True)

    (mine, ptbs) = api.calls[-2:]
    assert mine[0] == ptbs[0] == "editMessageText"
    assert {**mine[1], "text": "سه"} == ptbs[1]
    assert edited == first
    assert [m.text for m in api.messages(ALI)] == ["سه"]


async def test_an_edit_that_changes_nothing_is_the_same_message(world: World) -> None:
    api, _, _, messenger = world
    first = await messenger.send(ALI, "یک")
    assert await messenger.edit_or_send(ALI, first.message_id, "یک") == first
    assert len(api.messages(ALI)) == 1


async def test_a_message_that_cannot_be_edited_is_sent_anew_with_its_new_id(world: World) -> None:
    api, _, _, messenger = world
    again = await messenger.edit_or_send(ALI, 999_999, "دوباره")
    (message,) = api.messages(ALI)
    assert (again.message_id, message.text) == (message.message_id, "دوباره")
