"""Registering a center end to end: the leader's conversation, the assistant's acceptance, the ID."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import select

from bot.db.models import AuditEvent
from bot.platforms import Platform
from bot.services import center_codes
from bot.persian.text import persian_digits
from tests.e2e.harness import Harness
from tests.e2e.registration_steps import (
    ALL_BOTS,
    CANCEL,
    CONFIRM,
    SKIP,
    accept,
    bot_links,
    center_of,
    fill_leader_answers,
    invite_token,
    register,
    user_row,
)
from tests.factories import make_active_center, make_user

pytestmark = pytest.mark.e2e


async def test_happy_path_from_register_to_an_active_center_with_an_id(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform, first_name="علی", last_name="رضایی")
    assistant = harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    center = await center_of(harness, leader, platform)
    assert center.status == "awaiting_assistant" and center.code is None
    done = await accept(assistant, token)
    center = await center_of(harness, leader, platform)
    assert center.status == "active"
    assert center_codes.is_valid(center.code)
    assert persian_digits(center.code) in done.text
    activated = await leader.expect("کانون شما فعال شد")
    assert persian_digits(center.code) in activated.text
    members = await leader.expect("شما را به عضویت در «")
    assert f"c-{center.code}" in members.text
    row = await user_row(harness, assistant, platform)
    assert center.assistant_id == row.id
    assert (row.full_name, row.mobile) == ("زهرا احمدی", "09171234567")


async def test_every_step_is_recorded_with_who_and_when(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    harness.clock.advance(hours=3)
    await accept(assistant, token)
    await harness.settle()
    async with harness.sessions() as session:
        events = (await session.exec(select(AuditEvent).order_by(AuditEvent.id))).all()
    leader_row, assistant_row = await user_row(harness, leader, platform), await user_row(harness, assistant, platform)
    assert [(e.action, e.actor_id) for e in events] == [
        ("center.registered", leader_row.id), ("invitation.created", leader_row.id),
        ("invitation.accepted", assistant_row.id), ("center.activated", assistant_row.id),
    ]
    assert events[0].at == datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
    assert events[-1].at == datetime(2026, 11, 29, 11, 0, tzinfo=timezone.utc)


async def test_a_leader_on_bale_with_an_assistant_on_telegram(harness: Harness) -> None:
    leader = harness.user(Platform.BALE, first_name="مریم", last_name="قادری")
    assistant = harness.user(Platform.TELEGRAM, first_name="حسن", last_name="یوسفی")
    review = await fill_leader_answers(leader)
    await leader.tap(review, CONFIRM)
    forward = await leader.expect("از شما دعوت کرده است")
    assert bot_links(forward) == ALL_BOTS  # one link per platform, to forward anywhere
    await accept(assistant, invite_token(forward), full_name="حسن یوسفی", mobile="+98 917 765 4321")
    center = await center_of(harness, leader, Platform.BALE)
    assert center.status == "active"
    activated = await leader.expect("حسن یوسفی دعوت شما را پذیرفت")  # on Bale, sent by the Bale bot
    assert persian_digits(center.code) in activated.text
    assert (await user_row(harness, assistant, Platform.TELEGRAM)).mobile == "09177654321"


async def test_restart_in_the_middle_of_the_leaders_conversation(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون هم‌محله‌ای‌های قورچای")
    await harness.restart()
    kinds = await leader.expect("در چه چیزی با هم مشترک‌اند")
    await leader.tap(kinds, "سایر")
    await leader.expect("در یک یا دو کلمه")
    await harness.restart()
    await leader.send("هم‌کلاسی")
    await leader.expect("کدام استان")
    await leader.send("گلستان، روستای قورچای")
    await harness.restart()
    await leader.tap_keyboard(SKIP)
    await leader.expect("نام و نام خانوادگی")
    await leader.send("علی بهاردوست")
    await harness.restart()
    await leader.send_contact()
    review = await leader.expect("بررسی مشخصات کانون")
    assert "هم‌کلاسی" in review.text and "علی بهاردوست" in review.text and "گلستان، روستای قورچای" in review.text
    await harness.restart()
    await leader.tap(review, CONFIRM)
    forward = await leader.expect("از شما دعوت کرده است")
    center = await center_of(harness, leader, platform)
    assert (center.name, center.kind, center.kind_label, center.area, center.description) == (
        "کانون هم‌محله‌ای‌های قورچای", "other", "هم‌کلاسی", "گلستان، روستای قورچای", None,
    )
    assert invite_token(forward)


async def test_user_text_is_stored_and_shown_exactly(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    name = "کانون <x> & یاران\u200cمسجد 🌱 \u200fالغدیر"
    description = "ما اعضای <مسجد> & محله هستیم 🤝\nخط دوم با نیم\u200cفاصله"
    review = await fill_leader_answers(leader, name=name, description=description, area="سیستان و بلوچستان، ارباب")
    assert name in review.text and description in review.text
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")
    center = await center_of(harness, leader, platform)
    assert (center.name, center.description) == (name, description)
    await leader.send("/mycenter")
    card = await leader.expect("کد کانون")
    assert name in card.text and description in card.text


async def test_the_review_can_send_the_leader_back_to_any_field(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    review = await fill_leader_answers(leader, name="کانون اول", full_name="علی رضایی")
    await leader.tap(review, "✏️ ویرایش")
    menu = await leader.wait_edit(review)
    await leader.tap(menu, "نام کانون")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون دوم")
    review = await leader.expect("بررسی مشخصات کانون")
    assert "کانون دوم" in review.text and "کانون اول" not in review.text
    await leader.tap(review, "✏️ ویرایش")
    menu = await leader.wait_edit(review)
    await leader.tap(menu, "نوع کانون")
    kinds = await leader.expect("در چه چیزی با هم مشترک‌اند")
    await leader.tap(kinds, "هم‌طایفه")
    review = await leader.expect("بررسی مشخصات کانون")
    assert "هم‌طایفه" in review.text
    await leader.tap(review, "✏️ ویرایش")
    menu = await leader.wait_edit(review)
    await leader.tap(menu, "موبایل راهبر")
    await leader.expect("شماره موبایل")
    await leader.send("۰۹۱۳ ۱۱۱ ۲۲۳۳")
    review = await leader.expect("بررسی مشخصات کانون")
    assert "۰۹۱۳۱۱۱۲۲۳۳" in review.text
    await leader.tap(review, "✏️ ویرایش")
    menu = await leader.wait_edit(review)
    await leader.tap(menu, "بازگشت")
    review = await leader.wait_edit(menu)
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")
    center = await center_of(harness, leader, platform)
    assert (center.name, center.kind) == ("کانون دوم", "tribe")
    assert (await user_row(harness, leader, platform)).mobile == "09131112233"


async def test_cancel_works_at_every_step_and_forgets_the_draft(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("/cancel")
    await leader.expect("لغو شد")
    await leader.send("ثبت کانون")  # the main-menu button
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون یک")
    await leader.expect("در چه چیزی با هم مشترک‌اند")
    await leader.send("/cancel")
    await leader.expect("لغو شد")
    review = await fill_leader_answers(leader, name="کانون دو")
    await leader.tap(review, CANCEL)
    await leader.expect("لغو شد")
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون سه")
    await leader.expect("در چه چیزی")
    await leader.tap_keyboard(CANCEL)  # the «لغو» reply button
    await leader.expect("لغو شد")
    assert await center_of(harness, leader, platform) is None
    # «❌ انصراف» took the review's buttons off; its «تأیید» sent anyway (an old client) is stale.
    assert review.buttons == []
    query = await leader.forge_tap(review, "rg:ok")
    assert await leader.callback_answer(query) == "این دکمه دیگر معتبر نیست."
    assert await center_of(harness, leader, platform) is None


async def test_bad_inputs_at_free_text_steps_are_explained_and_nothing_is_lost(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("ک" * 65)
    assert "۶۵ حرف" in (reply := await leader.next_message()).text and "۶۴" in reply.text
    await leader.send("   \u200c ")
    await leader.expect("پیام شما خالی بود")
    await leader.send("ک")
    await leader.expect("دست‌کم ۲ حرف")
    await leader.send("۱۲۳۴۵")
    await leader.expect("نمی‌تواند فقط عدد باشد")
    await leader.send_photo()
    await leader.expect("به صورت متن بنویسید")
    await leader.send("/help")
    await leader.expect("در میانه‌ی یک کار هستید")
    await leader.send("کانون")
    kinds = await leader.expect("در چه چیزی با هم مشترک‌اند")
    await leader.send("مسجد")
    await leader.expect("با یکی از دکمه‌های زیر انتخاب کنید")
    await leader.tap(kinds, "هم‌مسجدی")
    await leader.expect("کدام استان")
    await leader.send("ب" * 101)
    await leader.expect("حداکثر ۱۰۰ حرف")
    await leader.send_sticker()
    await leader.expect("به صورت متن بنویسید")
    await leader.tap_keyboard(SKIP)
    await leader.expect("توضیح کوتاه")
    await leader.send("ت" * 501)
    await leader.expect("حداکثر ۵۰۰ حرف")
    await leader.send("توضیح کوتاه و درست")
    await leader.expect("نام و نام خانوادگی")
    await leader.send("علی ۱۲")
    await leader.expect("نام نباید عدد داشته باشد")
    await leader.send("علی رضایی")
    await leader.expect("شماره موبایل")
    await leader.send_contact(phone="+989121111111", contact_user_id=leader.user_id + 1)
    await leader.expect("این شماره‌ی خود شما نیست")
    await leader.send("12345")
    await leader.expect("این شماره درست نیست")
    await leader.send_photo()
    await leader.expect("لطفاً شماره موبایل را بنویسید")
    await leader.send("/register")
    await leader.expect("در میانه‌ی یک کار هستید")
    await leader.send("٠٩١٢٣٤٥٦٧٨٩")
    review = await leader.expect("بررسی مشخصات کانون")
    for kept in ("کانون", "هم‌مسجدی", "توضیح کوتاه و درست", "علی رضایی", "۰۹۱۲۳۴۵۶۷۸۹"):
        assert kept in review.text
    await leader.send("تأیید")
    await leader.expect("یکی از دکمه‌های پیام بالا را بزنید")
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")


async def test_a_name_used_by_an_active_center_in_the_same_area_gets_a_warning(harness: Harness, platform: Platform) -> None:
    someone, other = await make_user(harness.sessions), await make_user(harness.sessions)
    existing = await make_active_center(harness.sessions, someone, other, name="کانون صاحب‌الزمان", area="بوشهر، نظرآقا")
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("كانون صاحب الزمان")  # Arabic kaf, a space instead of the ZWNJ
    kinds = await leader.expect("در چه چیزی")
    await leader.tap(kinds, "هم‌محلی")
    await leader.expect("کدام استان")
    await leader.send("بوشهر نظرآقا")
    warning = await leader.expect("کانون فعال دیگری با نام")
    assert existing.name in warning.text
    await leader.tap(warning, "✏️ تغییر نام")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون صاحب‌الزمان")  # the same again: warned again
    warning = await leader.expect("کانون فعال دیگری با نام")
    await leader.tap(warning, "ادامه با همین نام")
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard(SKIP)
    await leader.expect("نام و نام خانوادگی")
    await leader.send("علی رضایی")
    await leader.expect("شماره موبایل")
    await leader.send_contact()
    review = await leader.expect("بررسی مشخصات کانون")
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")
    mine = await center_of(harness, leader, platform)
    assert mine.name == "کانون صاحب‌الزمان" and mine.id != existing.id


async def test_someone_already_running_a_center_cannot_register_another(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await register(leader)
    await leader.send("/register")
    await leader.expect("هر نفر فقط می‌تواند یک کانون")
    card = await leader.expect("🏠")
    assert "منتظر همیار" in card.text


async def test_saved_details_are_offered_after_a_dropped_registration(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await register(leader, full_name="علی رضایی", mobile="09121234567")
    await leader.send("/mycenter")
    card = await leader.expect("🏠")
    await leader.tap(card, "🗑 لغو ثبت کانون")
    confirm = await leader.wait_edit(card)
    await leader.tap(confirm, "🗑 بله، لغو شود")
    await leader.expect("لغو شد")
    assert (await center_of(harness, leader, platform)).status == "cancelled"
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون تازه")
    kinds = await leader.expect("در چه چیزی")
    await leader.tap(kinds, "همکار")
    await leader.expect("کدام استان")
    await leader.tap_keyboard(SKIP)
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard(SKIP)
    offer = await leader.expect("این مشخصات را قبلاً از شما گرفته‌ایم")
    assert "علی رضایی" in offer.text and "۰۹۱۲۱۲۳۴۵۶۷" in offer.text
    await leader.tap(offer, "✅ بله، همین‌ها")
    review = await leader.expect("بررسی مشخصات کانون")
    assert "علی رضایی" in review.text and "۰۹۱۲۱۲۳۴۵۶۷" in review.text and "همکار" in review.text


async def test_register_is_in_the_telegram_command_menu(harness: Harness) -> None:
    call = await harness.apis[Platform.TELEGRAM].wait_for_call("setMyCommands")
    assert {"command": "register", "description": "ثبت کانون تازه"} in call["commands"]
