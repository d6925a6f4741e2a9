"""The foundation through real HTTP: /start, /help, /cancel, unknown input, errors, restart."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import User
from bot.platforms import Platform
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

MENU = ["ثبت کانون", "عضویت در کانون", "کانون من", "پویش‌ها", "راهنما"]


async def test_start_welcomes_with_the_main_menu(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, first_name="<ali>&co")
    await user.send("/start")
    welcome = await user.next_message()
    assert "کانون همیاری اجتماعی" in welcome.text
    assert "<ali>&co" in welcome.text  # unsupported tag and bare & show literally on both
    assert [b for row in welcome.reply_markup["keyboard"] for b in row] == [{"text": t} for t in MENU]


async def test_start_records_the_user_by_platform_and_id(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, first_name="زهرا", last_name=None)
    await user.send("/start")
    await user.next_message()
    async with harness.sessions() as session:
        rows = (await session.exec(select(User))).all()
    assert [(r.platform, r.platform_user_id, r.first_name) for r in rows] == [(platform.value, user.user_id, "زهرا")]


async def test_help_by_command_and_by_button(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("/help")
    by_command = await user.next_message()
    # A newcomer's help (issue 10): short, what a center is, how to join or register, no command.
    assert "عضویت در کانون" in by_command.text and "راهبر" in by_command.text and "/" not in by_command.text
    await user.send("راهنما")
    by_button = await user.next_message()
    assert by_button.text == by_command.text


async def test_cancel_with_nothing_in_progress(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("/cancel")
    assert "کار نیمه‌تمامی نبود" in (await user.next_message()).text


@pytest.mark.parametrize("kind", ["text", "photo", "sticker", "unknown_command"])
async def test_anything_not_understood_gets_a_hint_toward_help(harness: Harness, platform: Platform, kind: str) -> None:
    user = harness.user(platform)
    if kind == "text":
        await user.send("سلام، این چیه؟")
    elif kind == "photo":
        await user.send_photo()
    elif kind == "sticker":
        await user.send_sticker()
    else:
        await user.send("/foo")
    hint = await user.next_message()
    # Said kindly, with the menu, never as a slash command to type (issue 10).
    assert ("متوجه نشدم" in hint.text or "نمی‌توانم بخوانم" in hint.text) and "/" not in hint.text
    assert "keyboard" in (hint.reply_markup or {})


async def test_unknown_start_payload_says_so_and_still_welcomes(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("/start zz-unknown")
    assert "لینک معتبر نیست" in (await user.next_message()).text
    assert "خوش آمدید" in (await user.next_message()).text


async def test_a_failing_handler_is_logged_and_the_user_gets_an_apology(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("bot.handlers.basic.main_menu", broken)
    user = harness.user(platform)
    await user.send("/help")
    assert "متأسفیم" in (await user.next_message()).text
    errors = [r for r in caplog.records if r.levelname == "ERROR" and "boom" in str(r.exc_info)]
    assert errors and errors[0].actor == f"{platform}:{user.user_id}"


async def test_a_user_who_blocked_the_bot_is_recorded_and_nothing_breaks(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    harness.apis[platform].block(user.user_id)
    await user.send("/start")
    await harness.settle()
    async with harness.sessions() as session:
        row = (await session.exec(select(User).where(User.platform_user_id == user.user_id))).one()
    assert row.blocked_at is not None
    harness.apis[platform].unblock(user.user_id)
    await user.send("/start")
    assert "خوش آمدید" in (await user.next_message()).text


async def test_the_bot_survives_api_errors_and_answers_again(harness: Harness, platform: Platform) -> None:
    api = harness.apis[platform]
    user = harness.user(platform)
    api.fail_next("sendMessage", status=500, description="Internal Server Error", count=1)
    await user.send("/help")
    assert "متأسفیم" in (await user.next_message()).text  # the reply failed: a short apology
    await user.send("/help")
    assert "راهبر" in (await user.next_message()).text


async def test_restart_keeps_users_and_answers_on_both_platforms(harness: Harness) -> None:
    on_telegram = harness.user(Platform.TELEGRAM)
    on_bale = harness.user(Platform.BALE)
    await on_telegram.send("/start")
    await on_telegram.next_message()
    await harness.restart()
    await on_bale.send("/start")
    await on_bale.next_message()
    await on_telegram.send("/help")
    assert "راهبر" in (await on_telegram.next_message()).text
    async with harness.sessions() as session:
        assert len((await session.exec(select(User))).all()) == 2


async def test_command_menu_is_set_on_telegram_only(harness: Harness) -> None:
    telegram_calls = [m for m, _ in harness.apis[Platform.TELEGRAM].calls]
    bale_calls = [m for m, _ in harness.apis[Platform.BALE].calls]
    assert "setMyCommands" in telegram_calls
    assert "setMyCommands" not in bale_calls


async def test_a_button_nobody_handles_is_answered_as_stale(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("/start")
    welcome = await user.next_message()
    # A leftover inline button from an older version of the bot, pressed today.
    query_id = await user.forge_tap(welcome, "old:button:1")
    assert await user.callback_answer(query_id) == "این دکمه دیگر معتبر نیست."


async def test_the_bot_stays_silent_in_groups(harness: Harness, platform: Platform) -> None:
    api = harness.apis[platform]
    user = harness.user(platform)
    group = {"id": -100123, "type": "group", "title": "روستا"}
    api._push_update("message", {
        "message_id": 1, "date": 1, "chat": group, "from": user.to_json(), "text": "/register",
        "entities": [{"type": "bot_command", "offset": 0, "length": 9}],
    })
    await harness.settle()
    assert [m for m, p in api.calls if m == "sendMessage"] == []
    await user.send("/start")  # the same person in private is served as usual
    assert "خوش آمدید" in (await user.next_message()).text


async def test_one_conversation_at_a_time(harness: Harness, platform: Platform) -> None:
    """Mid-join, «ثبت کانون» does not open a second conversation; after /cancel it does."""
    user = harness.user(platform)
    await user.send("/join")
    await user.expect("کانون خود را چطور پیدا کنیم")
    await user.send("ثبت کانون")
    assert "در میانه‌ی یک کار" in (await user.next_message()).text
    await user.send("/register")
    assert "در میانه‌ی یک کار" in (await user.next_message()).text
    await user.send("/cancel")
    await user.expect("لغو شد")
    await user.send("ثبت کانون")
    await user.expect("نام کانون را بنویسید")


async def test_menu_buttons_typed_with_arabic_letters_and_stray_spaces(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("  راهنما\u200f ")
    assert "راهبر" in (await user.next_message()).text
    await user.send("كانون  من")  # Arabic ك, two spaces
    assert "هنوز عضو هیچ کانونی نیستید" in (await user.next_message()).text


async def test_a_name_like_b_amp_shows_literally_on_both(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, first_name="<b>&", last_name=None)
    await user.send("/start")
    assert (await user.next_message()).text.startswith("سلام <b>& ")


async def test_a_message_that_can_no_longer_be_edited_is_sent_anew(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform)
    await user.send("/start")
    welcome = await user.next_message()
    harness.apis[platform].fail_next("editMessageText", status=400, description="Bad Request: message to edit not found")
    await harness.deps.messenger(platform).edit_or_send(user.chat_id, welcome.message_id, "<b>تازه</b>")
    fresh = await user.next_message()
    assert fresh.message_id != welcome.message_id and "تازه" in fresh.text


async def test_a_failing_command_menu_does_not_stop_the_bot(database_url: str, apis) -> None:  # noqa: ANN001
    apis[Platform.TELEGRAM].fail_next("setMyCommands", status=400, description="Bad Request: BOT_COMMAND_INVALID")
    running = Harness(database_url, apis)
    await running.start()
    try:
        user = running.user(Platform.TELEGRAM)
        await user.send("/start")
        assert "خوش آمدید" in (await user.next_message()).text
    finally:
        await running.stop()
