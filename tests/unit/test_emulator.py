"""The fake Bot API enforces the real API's rules, seen through python-telegram-bot and raw HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import ApiError, FakeBotApi, FakeUser
from bot.emulator.rules import check_markdown_v2, parse_html

TOKEN = "123456:TEST-token_x"
ALI = 1001


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


@pytest.fixture
def ali(api: FakeBotApi) -> FakeUser:
    return api.user(ALI, "علی", "رضایی", started=True)


async def raw(api: FakeBotApi, method: str, token: str = TOKEN, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """A request without PTB in between: POST, or GET when ``params=`` is given."""
    url = f"{api.base_url}{token}/{method}"
    async with aiohttp.ClientSession() as session:
        verb = session.get if "params" in kwargs else session.post
        async with verb(url, **kwargs) as response:
            return response.status, await response.json()


def keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(buttons)])


# ------------------------------------------------------------------ protocol


async def test_get_me_describes_the_bot_with_the_token_id(bot: Bot) -> None:
    assert (bot.username, bot.id) == ("kanoon_bot", 123456)


async def test_unknown_method_is_404_and_still_recorded(api: FakeBotApi) -> None:
    status, body = await raw(api, "sendPoll", json={"chat_id": ALI})
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    assert api.calls == [("sendPoll", {"chat_id": ALI})]


async def test_malformed_token_is_404(api: FakeBotApi) -> None:
    status, body = await raw(api, "getMe", token="not-a-token")
    assert (status, body["description"]) == (404, "Not Found")


async def test_json_form_and_query_bodies_and_any_method_case(api: FakeBotApi, ali: FakeUser) -> None:
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    assert (await raw(api, "sendMessage", json={"chat_id": ALI, "text": "json"}))[0] == 200
    assert (await raw(api, "sendmessage", data={"chat_id": str(ALI), "text": "form", "reply_markup": markup}))[0] == 200
    status, body = await raw(api, "SENDMESSAGE", params={"chat_id": str(ALI), "text": "123"})
    assert status == 200 and body["result"]["text"] == "123"  # a numeric text stays a string
    assert [m.text for m in ali.messages] == ["json", "form", "123"]
    assert ali.messages[1].buttons == [("A", "a")]
    assert [name for name, _ in api.calls] == ["sendMessage"] * 3


# ------------------------------------------------------------------ HTML and text


@pytest.mark.parametrize(
    "html",
    [
        "<b>&",  # unclosed tag and a bare &
        "<b>bold",
        "AT&T",
        "a < b",
        "2 > 1",
        "<p>paragraph</p>",
        "<b><i>x</b></i>",
        "x</b>",
        "<span>no class</span>",
        '<a href="https://x.ir">unclosed',
        "<br/>",
    ],
)
async def test_html_that_telegram_refuses(bot: Bot, ali: FakeUser, html: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(ALI, html, parse_mode="HTML")
    assert ali.messages == []


async def test_html_that_telegram_accepts_is_stored_as_the_user_sees_it(bot: Bot, ali: FakeUser) -> None:
    html = (
        '<b>ب</b> &lt;&gt;&amp;&quot; &#1587;&#x645; <a href="https://kanoon.ir/?a=1&amp;b=2">L</a> '
        '<tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">S</span> <STRONG>x</STRONG> '
        '<pre><code class="language-python">p</code></pre> <blockquote expandable>q</blockquote>'
    )
    sent = await bot.send_message(ALI, html, parse_mode="HTML")
    message = ali.messages[0]
    assert message.text == sent.text == 'ب <>&" سم L s S x p q'
    assert message.source == html and message.parse_mode == "HTML"
    types = [e["type"] for e in message.entities]
    assert types == ["bold", "text_link", "spoiler", "spoiler", "bold", "pre", "expandable_blockquote"]
    assert message.entities[1]["url"] == "https://kanoon.ir/?a=1&b=2"
    assert message.entities[5]["language"] == "python"


async def test_text_length_is_measured_after_parsing(bot: Bot, ali: FakeUser) -> None:
    await bot.send_message(ALI, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(ALI, "&amp;" * 4096, parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(ALI, "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(ALI, "<b></b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(ALI, "  ")
    assert [len(m.text) for m in ali.messages] == [4096, 4096]


def test_parse_html_offsets_are_utf16_and_errors_count_utf8_bytes() -> None:
    text, entities = parse_html("<b>سلام</b> 😀<i>x</i>")
    assert text == "سلام 😀x"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 7, "length": 1},  # the emoji is two UTF-16 units
    ]
    with pytest.raises(ApiError) as error:
        parse_html("سلام <p>")
    assert error.value.code == 400
    assert error.value.description == 'Bad Request: can\'t parse entities: Unsupported start tag "p" at byte offset 9'
    with pytest.raises(ApiError, match="Can't find end tag corresponding to start tag i"):
        parse_html("<b><i>x")
    assert parse_html("AT&T > x", strict=False)[0] == "AT&T > x"  # what TDLib itself lets through


async def test_markdown_v2_needs_reserved_characters_escaped(bot: Bot, ali: FakeUser) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities: Character '.' is reserved"):
        await bot.send_message(ALI, "Hello.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match="(?i)can't find end of Bold entity"):
        await bot.send_message(ALI, "*bold", parse_mode="MarkdownV2")
    await bot.send_message(ALI, r"*bold* \- done\.", parse_mode="MarkdownV2")
    assert check_markdown_v2(r"*bold* \- done\.") == "bold - done."


async def test_caption_limit_and_documents_keep_their_bytes(bot: Bot, ali: FakeUser) -> None:
    with pytest.raises(BadRequest, match="(?i)message caption is too long"):
        await bot.send_document(ALI, b"%PDF", filename="r.pdf", caption="x" * 1025)
    caption = "<i>" + "x" * 1024 + "</i>"
    await bot.send_document(ALI, b"%PDF-1.4", filename="report.pdf", caption=caption, parse_mode="HTML")
    (message,) = ali.messages
    assert message.document is not None
    assert (message.document.filename, message.document.content, message.document.mime_type) == (
        "report.pdf", b"%PDF-1.4", "application/pdf",
    )
    assert message.caption == "x" * 1024


# ------------------------------------------------------------------ keyboards


@pytest.mark.parametrize(
    ("data", "ok"),
    [("a" * 64, True), ("a" * 65, False), ("س" * 32, True), ("س" * 33, False)],  # bytes, not characters
)
async def test_callback_data_is_1_to_64_bytes(bot: Bot, ali: FakeUser, data: str, ok: bool) -> None:
    markup = keyboard(InlineKeyboardButton("B", callback_data=data))
    if ok:
        await bot.send_message(ALI, "x", reply_markup=markup)
        assert ali.messages[0].buttons == [("B", data)]
    else:
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            await bot.send_message(ALI, "x", reply_markup=markup)


@pytest.mark.parametrize(
    ("button", "error"),
    [
        ({"text": "no action"}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "empty data", "callback_data": ""}, "Text buttons are unallowed in the inline keyboard"),
        ({"text": "both", "callback_data": "a", "url": "https://x.ir"}, "exactly one of the fields"),
        ({"text": "", "callback_data": "a"}, "BUTTON_TEXT_INVALID"),
        ({"text": "bad url", "url": "javascript:alert(1)"}, "is invalid: Wrong HTTP URL"),
    ],
)
async def test_inline_buttons_need_text_and_exactly_one_action(
    api: FakeBotApi, ali: FakeUser, button: dict[str, str], error: str
) -> None:
    markup = {"inline_keyboard": [[button]]}
    status, body = await raw(api, "sendMessage", json={"chat_id": ALI, "text": "x", "reply_markup": markup})
    assert status == 400 and error in body["description"]


async def test_reply_keyboard_with_request_contact_shares_the_users_own_contact(bot: Bot, ali: FakeUser) -> None:
    markup = ReplyKeyboardMarkup([[KeyboardButton("📱 شماره", request_contact=True)], ["ثبت کانون"]])
    await bot.send_message(ALI, "menu", reply_markup=markup)
    assert ali.messages[0].keyboard_buttons == ["📱 شماره", "ثبت کانون"]
    assert ali.messages[0].has_button("ثبت کانون") and not ali.messages[0].has_button("x")
    shared = await ali.tap_keyboard("📱 شماره")
    assert shared["contact"] == {"phone_number": ali.phone, "first_name": "علی", "user_id": ALI}
    assert (await ali.tap_keyboard("ثبت کانون"))["text"] == "ثبت کانون"
    with pytest.raises(AssertionError, match="no reply-keyboard button 'x'"):
        await ali.tap_keyboard("x")


# ------------------------------------------------------------------ edits and deletions


async def test_edit_with_nothing_changed_is_not_modified(bot: Bot, ali: FakeUser) -> None:
    markup = keyboard(InlineKeyboardButton("✅", callback_data="ok"))
    sent = await bot.send_message(ALI, "<b>a</b>", parse_mode="HTML", reply_markup=markup)
    not_modified = "(?i)message is not modified: specified new message content and reply markup are exactly the same"
    with pytest.raises(BadRequest, match=not_modified):
        await bot.edit_message_text("<b>a</b>", ALI, sent.message_id, parse_mode="HTML", reply_markup=markup)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_reply_markup(ALI, sent.message_id, reply_markup=markup)
    # Same text without the markup is a change: Telegram drops the keyboard.
    await bot.edit_message_text("<b>a</b>", ALI, sent.message_id, parse_mode="HTML")
    (message,) = ali.messages
    assert message.buttons == [] and message.edits == ["a"] and message.edit_date is not None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("a", ALI, sent.message_id, entities=[MessageEntity("bold", 0, 1)])


async def test_editing_or_deleting_what_is_not_there(bot: Bot, ali: FakeUser) -> None:
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", ALI, 999)
    sent = await bot.send_message(ALI, "x")
    assert await bot.delete_message(ALI, sent.message_id)
    assert ali.messages[0].deleted
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("y", ALI, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(ALI, sent.message_id)
    incoming = await ali.send("hello")
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("y", ALI, incoming["message_id"])


# ------------------------------------------------------------------ callback queries


async def test_callback_queries_are_answered_once(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    with pytest.raises(BadRequest, match="(?i)query is too old and response timeout expired or query ID is invalid"):
        await bot.answer_callback_query("12345")
    await bot.send_message(ALI, "x", reply_markup=keyboard(InlineKeyboardButton("A", callback_data="a")))
    first = await ali.tap(ali.messages[0], "A")
    second = await ali.tap(ali.messages[0], data="a")
    assert api.unanswered_callbacks() == [first, second]
    with pytest.raises(BadRequest, match="(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(first, text="x" * 201)
    await bot.answer_callback_query(first, text="x" * 200, show_alert=True)
    assert api.callback_answers[first] == {"text": "x" * 200, "show_alert": True, "url": None, "cache_time": None}
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(first)
    with pytest.raises(AssertionError, match=f"callback queries never answered: {second}"):
        api.assert_callbacks_answered()


async def test_tapping_needs_a_live_button_with_callback_data(bot: Bot, ali: FakeUser) -> None:
    markup = keyboard(InlineKeyboardButton("A", callback_data="a"), InlineKeyboardButton("site", url="https://x.ir"))
    sent = await bot.send_message(ALI, "x", reply_markup=markup)
    with pytest.raises(AssertionError, match=r"has no button 'B'; it has \[\('A', 'a'\), \('site', 'https://x.ir'\)\]"):
        await ali.tap(ali.messages[0], "B")
    with pytest.raises(AssertionError, match="has no callback_data"):
        await ali.tap(ali.messages[0], "site")
    await bot.delete_message(ALI, sent.message_id)
    with pytest.raises(AssertionError, match="was deleted"):
        await ali.tap(ali.messages[0], "A")


# ------------------------------------------------------------------ chats


async def test_unknown_blocked_and_never_started_chats(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(999, "x")
    api.block(ALI)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(ALI, "x")
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_document(ALI, b"x", filename="a.txt")
    assert (await bot.get_chat(ALI)).first_name == "علی"  # still readable
    api.unblock(ALI)
    await bot.send_message(ALI, "back")
    stranger = api.user(2002, "زهرا")
    with pytest.raises(Forbidden, match="(?i)bot can't initiate conversation with a user"):
        await bot.send_message(stranger.id, "x")
    await stranger.send("/start")
    await bot.send_message(stranger.id, "now I can")
    chat = await bot.get_chat(ALI)
    assert (chat.type, chat.first_name, chat.last_name) == ("private", "علی", "رضایی")


async def test_chat_actions(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    await bot.send_chat_action(ALI, "typing")
    with pytest.raises(BadRequest, match="(?i)wrong parameter action"):
        await bot.send_chat_action(ALI, "dancing")
    assert api.chat_actions == [(ALI, "typing")]


# ------------------------------------------------------------------ rate limit and injected failures


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
async def test_rate_limit_uses_a_sliding_second_on_the_injected_clock() -> None:
    now = [100.0]
    async with FakeBotApi(rate_limit_per_second=2, clock=lambda: now[0]) as api:
        api.user(ALI, "علی", started=True)
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            first = await bot.send_message(ALI, "1")
            now[0] += 0.5
            await bot.edit_message_text("1!", ALI, first.message_id)  # edits count too
            with pytest.raises(RetryAfter, match="Flood control exceeded"):
                await bot.send_message(ALI, "2")
            status, body = await raw(api, "sendMessage", json={"chat_id": ALI, "text": "2"})
            assert status == 429
            assert body == {
                "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            now[0] += 0.5  # the first send leaves the window
            await bot.send_message(ALI, "2")
            await bot.send_chat_action(ALI, "typing")  # not a send
            assert [m.text for m in api.messages(ALI)] == ["1!", "2"]


async def test_injected_failures_come_first_and_are_used_up(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    other = api.user(2002, "زهرا", started=True)
    api.fail_next("sendMessage", status=500, count=2, chat_id=ALI)
    await bot.send_message(other.id, "not for this chat")
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(ALI, "<b>broken", parse_mode="HTML")  # the injected error wins over the rules
    await bot.send_message(ALI, "x")
    api.fail_next("answerCallbackQuery", status=400, description="Bad Request: injected")
    with pytest.raises(BadRequest, match="(?i)injected"):
        await bot.answer_callback_query("no such query")
    api.fail_next("sendMessage", status=429, retry_after=7)
    status, body = await raw(api, "sendMessage", json={"chat_id": other.id, "text": "y"})
    assert (status, body["parameters"]) == (429, {"retry_after": 7})
    assert [m.text for m in ali.messages] == ["x"] and [m.text for m in other.messages] == ["not for this chat"]
    assert [name for name, _ in api.calls] == ["getMe"] + ["sendMessage"] * 4 + ["answerCallbackQuery", "sendMessage"]
    assert [error.code for _, _, error in api.errors] == [500, 500, 400, 429]


# ------------------------------------------------------------------ Bale


async def test_bale_refuses_command_menus_and_shows_html_literally() -> None:
    async with FakeBotApi(flavour="bale", bot_username="kanoon_bale_bot") as api:
        big_id = 1_800_000_001
        api.user(big_id, "علی", started=True)
        for method in ("setMyCommands", "getMyCommands", "deleteMyCommands", "setChatMenuButton"):
            status, body = await raw(api, method, json={"commands": [{"command": "start", "description": "s"}]})
            assert (status, body["description"]) == (404, "Not Found: method not found"), method
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            with pytest.raises(TelegramError, match="method not found"):
                await bot.set_my_commands([("start", "شروع")])
            await bot.send_message(big_id, "<b>x</b> & y", parse_mode="HTML")
        (message,) = api.messages(big_id)
        assert (message.text, message.entities, message.parse_mode) == ("<b>x</b> & y", [], "HTML")


async def test_telegram_keeps_command_menus(bot: Bot, api: FakeBotApi) -> None:
    await bot.set_my_commands([("start", "شروع"), ("help", "راهنما")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start-Now", "x")])
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.set_chat_menu_button()


# ------------------------------------------------------------------ updates


async def test_long_poll_returns_as_soon_as_an_update_is_pushed(bot: Bot, api: FakeBotApi) -> None:
    ali = api.user(ALI, "علی")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for_call("getUpdates")
    started = time.monotonic()
    sent = await ali.send("/start c_ABC")
    (update,) = await poll
    assert time.monotonic() - started < 1.0  # not the 5 s timeout
    assert update.message.text == "/start c_ABC" and update.message.message_id == sent["message_id"]
    assert update.message.entities[0].type == "bot_command" and update.message.entities[0].length == 6
    assert update.message.from_user.first_name == "علی" and update.message.chat.id == ALI


async def test_offset_confirms_updates_and_wait_delivered_waits_for_it(bot: Bot, api: FakeBotApi) -> None:
    ali = api.user(ALI, "علی")
    for text in ("1", "2", "3"):
        await ali.send(text)
    first = await bot.get_updates(limit=2, timeout=5)  # pending: returns at once
    assert [u.message.text for u in first] == ["1", "2"]
    with pytest.raises(AssertionError, match=r"did not take 3 update\(s\).*fetched"):
        await api.wait_delivered(timeout=0.05)
    rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=5)
    assert [u.message.text for u in rest] == ["3"] and api.pending_updates_count == 1
    await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0)
    await api.wait_delivered(timeout=1)
    assert api.pending_updates_count == 0
    assert (await ali.send("4"))["message_id"] == 4


async def test_a_second_poller_ends_the_first_with_409(bot: Bot, api: FakeBotApi) -> None:
    first = asyncio.create_task(raw(api, "getUpdates", json={"timeout": 5}))
    await api.wait_for_call("getUpdates")
    second = asyncio.create_task(bot.get_updates(timeout=5))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    await api.user(ALI, "علی").send("hi")
    assert [u.message.text for u in await second] == ["hi"]


async def test_allowed_updates_and_dropping_pending_updates(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    await bot.send_message(ALI, "x", reply_markup=keyboard(InlineKeyboardButton("A", callback_data="a")))
    await ali.tap(ali.messages[0], "A")
    await ali.send("text")
    updates = await bot.get_updates(allowed_updates=["message"], timeout=0)
    assert [u.message.text for u in updates] == ["text"]
    assert [list(u)[1] for u in api.dropped_updates] == ["callback_query"]
    await ali.send("old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert api.pending_updates_count == 0


# ------------------------------------------------------------------ the driver with a real Application


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    markup = keyboard(
        InlineKeyboardButton("✅ تأیید", callback_data="ok"), InlineKeyboardButton("سایت", url="https://kanoon.ir")
    )
    code = " ".join(context.args or [])
    await update.message.reply_text(f"کد: <code>{code}</code>", parse_mode="HTML", reply_markup=markup)


async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("ثبت شد")
    await query.edit_message_text("تأیید شد ✅")


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.contact is not None
    owner = "خودتان" if update.message.contact.user_id == update.effective_user.id else "دیگری"
    await update.message.reply_text(f"شماره {update.message.contact.phone_number} از {owner}")


async def other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    message = update.message
    kind = "photo" if message.photo else "sticker" if message.sticker else "location" if message.location else "text"
    await update.message.reply_text(f"نوع: {kind}")


@pytest.fixture
async def app(api: FakeBotApi) -> AsyncIterator[Application]:
    application = Application.builder().token(TOKEN).base_url(api.base_url).base_file_url(api.base_file_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(confirm))
    application.add_handler(MessageHandler(filters.CONTACT, contact))
    application.add_handler(MessageHandler(~filters.COMMAND, other))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0)
        yield application
        await application.updater.stop()
        await application.stop()


async def test_a_conversation_through_a_real_application(app: Application, api: FakeBotApi) -> None:
    ali = api.user(ALI, "علی", "رضایی")
    sent = await ali.send("/start c_ABC")
    reply = await ali.next_message()
    assert reply.message_id == sent["message_id"] + 1  # one id counter per chat
    assert reply.text == "کد: c_ABC" and reply.has_button("✅ تأیید")

    query_id = await ali.tap(reply, "✅ تأیید")
    assert await ali.callback_answer(query_id) == "ثبت شد"
    edited = await ali.wait_edit(reply)
    assert edited is reply and reply.text == "تأیید شد ✅" and reply.buttons == []

    await ali.send_contact()
    assert "از خودتان" in (await ali.expect(contains="شماره")).text
    await ali.send_contact(phone="+989121111111", contact_user_id=2002)
    assert (await ali.next_message()).text == "شماره +989121111111 از دیگری"

    for send, kind in ((ali.send_photo, "photo"), (ali.send_sticker, "sticker"), (ali.send_location, "location")):
        await send()
        assert (await ali.next_message()).text == f"نوع: {kind}"
    await api.wait_delivered()
    api.assert_callbacks_answered()
    assert ali.last_message is not None and ali.last_message.text == "نوع: location"


async def test_waiting_fails_with_what_the_chat_did_receive(bot: Bot, api: FakeBotApi, ali: FakeUser) -> None:
    await bot.send_message(ALI, "سلام", reply_markup=keyboard(InlineKeyboardButton("A", callback_data="a")))
    with pytest.raises(BadRequest):
        await bot.send_message(ALI, "<b>oops", parse_mode="HTML")
    assert (await ali.next_message()).text == "سلام"
    with pytest.raises(AssertionError) as failure:
        await ali.next_message(timeout=0.05)
    report = str(failure.value)
    assert "got no new message from the bot within 0.05s" in report
    assert "#1 'سلام' buttons: 'A'→'a'" in report
    assert "sendMessage: 400 Bad Request: can't parse entities" in report
    with pytest.raises(AssertionError, match="got no new or edited message containing 'nothing'"):
        await ali.expect(contains="nothing", timeout=0.05)
    with pytest.raises(AssertionError, match="did not answer callback query"):
        await ali.callback_answer(await ali.tap(ali.messages[0], "A"), timeout=0.05)


async def test_expect_sees_new_and_edited_messages_and_skips_what_was_seen(bot: Bot, ali: FakeUser) -> None:
    first = await bot.send_message(ALI, "one")
    await bot.send_message(ALI, "two")
    assert (await ali.expect(contains="two")).text == "two"  # "one" counts as read on the way
    with pytest.raises(AssertionError):
        await ali.next_message(timeout=0.05)
    with pytest.raises(AssertionError):
        await ali.expect(contains="two", timeout=0.05)  # already seen, not news
    await bot.edit_message_text("one, edited", ALI, first.message_id)
    assert (await ali.expect(contains="edited")).message_id == first.message_id
    waiter = asyncio.create_task(ali.wait_edit(ali.messages[1]))
    await bot.edit_message_text("two, edited", ALI, first.message_id + 1)
    assert (await waiter).text == "two, edited"


# ------------------------------------------------------------------ what the playground reads


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def test_send_photo_takes_pictures_only_and_keeps_the_file(api: FakeBotApi, bot: Bot, ali: FakeUser) -> None:
    sent = await bot.send_photo(ALI, photo=PNG, caption="<b>نمودار</b>", parse_mode="HTML")
    assert sent.photo and sent.caption == "نمودار"
    message = ali.last_message
    assert message is not None and message.photo is not None
    assert api.sent_file(message.photo.file_id).content == PNG  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="(?i)image_process_failed"):
        await bot.send_photo(ALI, photo=b"GIF? no")
    with pytest.raises(BadRequest, match="(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=ALI, message_id=message.message_id)


async def test_what_a_user_sent_and_what_was_refused_are_kept_per_chat(api: FakeBotApi, bot: Bot, ali: FakeUser) -> None:
    changes: list[int] = []
    api.add_listener(lambda: changes.append(api.version))
    await ali.send("سلام")
    await ali.send_contact()
    with pytest.raises(BadRequest):
        await bot.send_message(ALI, "<b>unclosed", parse_mode="HTML")
    sent = api.user_messages(ALI)
    assert [("text" in m, "contact" in m) for m in sent] == [(True, False), (False, True)]
    assert sent[1]["contact"]["phone_number"] == ali.phone and not api.user_message_deleted(ALI, sent[0]["message_id"])
    await bot.delete_message(ALI, sent[0]["message_id"])
    assert api.user_message_deleted(ALI, sent[0]["message_id"])
    [(after, method, error)] = api.chat_errors(ALI)
    assert (after, method, error.code) == (sent[1]["message_id"], "sendMessage", 400)
    assert changes and changes == sorted(changes)


async def test_callback_queries_and_their_answers_per_user(api: FakeBotApi, bot: Bot, ali: FakeUser) -> None:
    await bot.send_message(ALI, "?", reply_markup=keyboard(InlineKeyboardButton("بله", callback_data="y")))
    query_id = await ali.tap(ali.last_message, "بله")  # type: ignore[arg-type]
    assert api.callback_queries(ALI) == [(query_id, "y", None)]
    await bot.answer_callback_query(query_id, text="ثبت شد", show_alert=True)
    [(_, _, answer)] = api.callback_queries(ALI)
    assert answer is not None and (answer["text"], answer["show_alert"]) == ("ثبت شد", True)
    assert api.callback_queries(ALI + 1) == []


async def test_a_file_id_is_sent_again_only_by_the_bot_that_knows_it(api: FakeBotApi, bot: Bot, ali: FakeUser) -> None:
    """"file_id is unique for each individual bot": a user's photo or the bot's own upload may be
    sent again by its id; another bot's (another platform's) is refused, as by the real API."""
    sent_by_ali = await ali.send_photo()
    biggest = sent_by_ali["photo"][-1]["file_id"]
    again = await bot.send_photo(ALI, photo=biggest, caption="رسید")
    assert again.caption == "رسید" and ali.last_message is not None and ali.last_message.photo is not None
    assert ali.last_message.photo.file_id == biggest
    uploaded = await bot.send_photo(ALI, photo=PNG)
    await bot.send_document(ALI, document=uploaded.photo[-1].file_id)
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_photo(ALI, photo="AgACother-bot_1280")
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_document(ALI, document="BQADnever")
    await bot.send_photo(ALI, photo="https://example.org/a.png")  # a URL is fetched by the API
