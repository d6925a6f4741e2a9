"""The assistant's side of registration, and the center's card for its leader and assistant."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import Center, Delivery
from bot.platforms import Platform
from bot.persian.text import persian_digits
from tests.e2e.harness import Harness
from tests.e2e.registration_steps import (
    ACCEPT,
    DECLINE,
    accept,
    center_of,
    invitations,
    invite_token,
    register,
    user_row,
)
from tests.factories import add_member, make_user

pytestmark = pytest.mark.e2e

LEADER_BUTTONS = [
    ("👥 اعضا", "ml:list:0"), ("📥 درخواست‌ها", "rq:list"), ("📣 پویش تازه", "cp:new"), ("📋 پویش‌ها", "cp:all"),
    ("📢 اعلان به اعضا", "cp:announce"), ("🤝 دعوت حامی", "hp:si"), ("🔗 لینک عضویت", "cc:link"),
    ("💰 صندوق قرض‌الحسنه", "fd:h"), ("✏️ ویرایش کانون", "cc:edit"),
    ("🔄 تعویض همیار", "cc:inv:new"), ("🔄 به‌روزرسانی", "cc:show"),
]
ASSISTANT_BUTTONS = [
    ("👥 اعضا", "ml:list:0"), ("📥 درخواست‌ها", "rq:list"), ("📋 پویش‌ها", "cp:all"), ("🔗 لینک عضویت", "cc:link"),
    ("💰 صندوق قرض‌الحسنه", "fd:h"), ("🔄 به‌روزرسانی", "cc:show"),
]


async def _active_center(harness: Harness, platform: Platform):  # noqa: ANN202
    leader = harness.user(platform, first_name="علی", last_name="رضایی")
    assistant = harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    await accept(assistant, token)
    await leader.expect("شما را به عضویت در")
    return leader, assistant


async def _card(user):  # noqa: ANN001, ANN202
    await user.send("/mycenter")
    return await user.expect("🏠")


async def test_decline_and_invite_again(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    declining = harness.user(platform, first_name="حسن", last_name="کریمی")
    second = harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    await declining.send(f"/start a-{token}")
    card = await declining.expect("دعوت به همیاری کانون")
    await declining.tap(card, DECLINE)
    assert "شما این دعوت را رد کردید" in (await declining.wait_edit(card)).text
    told = await leader.expect("حسن کریمی دعوت شما برای همیاری")
    center = await center_of(harness, leader, platform)
    assert center.status == "awaiting_assistant"
    # The same link again: already answered.
    await declining.send(f"/start a-{token}")
    await declining.expect("این دعوت قبلاً رد شده است")
    await leader.tap(told, "📨 دعوت تازه از همیار")
    forward = await leader.expect("از شما دعوت کرده است")
    new_token = invite_token(forward)
    assert new_token != token
    await accept(second, new_token)
    assert (await center_of(harness, leader, platform)).status == "active"
    assert [i.status for i in await invitations(harness, center.id)] == ["declined", "accepted"]
    # The old notice's button no longer starts an invitation once the center has its assistant.
    query = await leader.tap(told, "📨 دعوت تازه از همیار")
    assert "همیار دارد" in await leader.callback_answer(query)
    assert len(await invitations(harness, center.id)) == 2


async def test_an_expired_invitation(harness: Harness, platform: Platform) -> None:
    leader, late, later = harness.user(platform), harness.user(platform), harness.user(platform)
    token = await register(leader)
    await late.send(f"/start a-{token}")
    card = await late.expect("دعوت به همیاری کانون")
    harness.clock.advance(days=7, minutes=1)
    await late.tap(card, ACCEPT)
    assert "اعتبار این دعوت (هفت روز) تمام شده است" in (await late.wait_edit(card)).text
    await later.send(f"/start a-{token}")
    await later.expect("اعتبار این دعوت (هفت روز) تمام شده است")
    assert (await center_of(harness, leader, platform)).status == "awaiting_assistant"
    # The leader's card says so and offers a new invitation.
    card = await _card(leader)
    assert "اعتبارش تمام شده" in card.text
    assert ("📨 دعوت از همیار", "cc:inv:new") in card.buttons
    await leader.tap(card, "📨 دعوت از همیار")
    forward = await leader.expect("از شما دعوت کرده است")
    await accept(later, invite_token(forward))
    assert (await center_of(harness, leader, platform)).status == "active"


async def test_an_invitation_accepted_once_cannot_be_reused(harness: Harness, platform: Platform) -> None:
    leader, assistant, intruder = harness.user(platform), harness.user(platform), harness.user(platform)
    token = await register(leader)
    await accept(assistant, token)
    await intruder.send(f"/start a-{token}")
    await intruder.expect("این دعوت قبلاً پذیرفته شده است")
    assert (await center_of(harness, leader, platform)).assistant_id == (await user_row(harness, assistant, platform)).id


async def test_the_leader_cannot_accept_their_own_invitation(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    token = await register(leader)
    await leader.send(f"/start a-{token}")
    await leader.expect("نمی‌توانید همیار خودتان باشید")
    assert (await center_of(harness, leader, platform)).status == "awaiting_assistant"


async def test_the_leaders_number_on_another_account_is_refused_and_asked_again(harness: Harness) -> None:
    leader = harness.user(Platform.TELEGRAM)
    same_person_on_bale = harness.user(Platform.BALE)
    token = await register(leader, mobile="09121234567")
    await same_person_on_bale.send(f"/start a-{token}")
    card = await same_person_on_bale.expect("دعوت به همیاری کانون")
    await same_person_on_bale.tap(card, ACCEPT)
    await same_person_on_bale.expect("نام و نام خانوادگی")
    await same_person_on_bale.send("علی رضایی")
    await same_person_on_bale.expect("شماره موبایل")
    await same_person_on_bale.send("0912 123 4567")
    await same_person_on_bale.expect("این شماره‌ی موبایل راهبر همین کانون است")
    await same_person_on_bale.expect("شماره موبایل خود را بفرستید")
    assert (await center_of(harness, leader, Platform.TELEGRAM)).status == "awaiting_assistant"


async def test_someone_running_another_center_is_told_why_not(harness: Harness, platform: Platform) -> None:
    leader, assistant = await _active_center(harness, platform)
    other_leader = harness.user(platform)
    token = await register(other_leader, name="کانون دیگر")
    await assistant.send(f"/start a-{token}")
    await assistant.expect("راهبر یا همیار کانون دیگری هستید")


async def test_a_cancelled_invitation_and_a_broken_link(harness: Harness, platform: Platform) -> None:
    leader, invitee = harness.user(platform), harness.user(platform)
    token = await register(leader)
    card = await _card(leader)
    assert "فرستاده شده، معتبر تا" in card.text
    await leader.tap(card, "✖️ لغو دعوت")
    card = await leader.wait_edit(card)
    assert ("📨 دعوت از همیار", "cc:inv:new") in card.buttons
    await invitee.send(f"/start a-{token}")
    await invitee.expect("این دعوت را لغو کرده")
    await invitee.send("/start a-NoSuchToken123")
    await invitee.expect("این لینک دعوت معتبر نیست")


async def test_resend_gives_the_same_link(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    token = await register(leader)
    card = await _card(leader)
    await leader.tap(card, "📨 فرستادن دوباره‌ی دعوت")
    assert invite_token(await leader.expect("از شما دعوت کرده است")) == token


async def test_restart_before_the_assistant_accepts_and_in_the_middle(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    await harness.restart()
    await assistant.send(f"/start a-{token}")
    card = await assistant.expect("دعوت به همیاری کانون")
    await harness.restart()
    await assistant.tap(card, ACCEPT)
    await assistant.expect("نام و نام خانوادگی")
    await harness.restart()
    await assistant.tap_keyboard("زهرا احمدی")
    await assistant.expect("شماره موبایل")
    await harness.restart()
    await assistant.send_contact()
    await assistant.expect("✅ شما همیار «")
    center = await center_of(harness, leader, platform)
    assert center.status == "active"
    await leader.expect(persian_digits(center.code))


async def test_accept_tapped_twice_and_cancel_mid_acceptance(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform)
    token = await register(leader)
    await assistant.send(f"/start a-{token}")
    card = await assistant.expect("دعوت به همیاری کانون")
    await assistant.tap(card, ACCEPT)
    await assistant.wait_edit(card)
    await assistant.expect("نام و نام خانوادگی")
    query = await assistant.forge_tap(card, f"iv:ok:{token}")  # a double tap that arrives late
    assert "در میانه‌ی یک کار" in await assistant.callback_answer(query)  # answer the question above
    await assistant.send("/cancel")
    await assistant.expect("لغو شد")
    # Nothing was used: the link still works.
    await accept(assistant, token)
    assert (await center_of(harness, leader, platform)).status == "active"


async def test_replacing_the_assistant(harness: Harness, platform: Platform) -> None:
    leader, old = await _active_center(harness, platform)
    new = harness.user(platform, first_name="حسن", last_name="یوسفی")
    code = (await center_of(harness, leader, platform)).code
    card = await _card(leader)
    await leader.tap(card, "🔄 تعویض همیار")
    intro = await leader.expect("دعوت از همیار تازه")
    assert "زهرا احمدی همیار کانون می‌ماند" in intro.text
    forward = await leader.expect("از شما دعوت کرده است")
    await new.send(f"/start a-{invite_token(forward)}")
    offer = await new.expect("همیار تازه‌ی این کانون")
    assert persian_digits(code) in offer.text
    await new.tap(offer, ACCEPT)
    await new.expect("نام و نام خانوادگی")
    await new.send("حسن یوسفی")
    await new.expect("شماره موبایل")
    await new.send("09351112233")
    await new.expect("✅ شما همیار «")
    await old.expect("شما دیگر همیار این کانون نیستید")
    await leader.expect("حسن یوسفی دعوت شما را پذیرفت و همیار تازه")
    center = await center_of(harness, leader, platform)
    assert center.code == code and center.assistant_id == (await user_row(harness, new, platform)).id
    await old.send("/mycenter")
    await old.expect("هنوز عضو هیچ کانونی نیستید")
    card = await _card(leader)
    assert "همیار: حسن یوسفی" in card.text


async def test_the_card_for_the_leader_and_for_the_assistant(harness: Harness, platform: Platform) -> None:
    leader, assistant = await _active_center(harness, platform)
    center = await center_of(harness, leader, platform)
    card = await _card(leader)
    assert card.buttons == LEADER_BUTTONS
    for line in (f"کد کانون: {persian_digits(center.code)}", "نوع: هم‌مسجدی", "محل: بوشهر، روستای نظرآقا",
                 "همیار: زهرا احمدی", "اعضا: ۰ نفر", "درخواست‌های در انتظار: ۰"):
        assert line in card.text
    assistant_card = await _card(assistant)
    assert assistant_card.buttons == ASSISTANT_BUTTONS
    # A leader-only action forged by the assistant is refused.
    query = await assistant.forge_tap(assistant_card, "cc:inv:new")
    assert await assistant.callback_answer(query) == "این کار فقط از راهبر کانون برمی‌آید."
    query = await assistant.forge_tap(assistant_card, "cc:edit")
    assert await assistant.callback_answer(query) == "این کار فقط از راهبر کانون برمی‌آید."
    # The member link again, for both.
    await assistant.tap(assistant_card, "🔗 لینک عضویت")
    link = await assistant.expect("شما را به عضویت در")
    assert f"c-{center.code}" in link.text
    # A request arrives; the refresh button shows it on the same message.
    await add_member(harness.sessions, center, await make_user(harness.sessions), status="pending")
    facilitator = await make_user(harness.sessions, full_name="رهیار انجمن")
    async with harness.sessions() as session:
        row = await session.get(Center, center.id)
        row.facilitator_id = facilitator.id
        session.add(row)
        await session.commit()
    await leader.tap(card, "🔄 به‌روزرسانی")
    refreshed = await leader.wait_edit(card)
    assert "درخواست‌های در انتظار: ۱" in refreshed.text and "رهیار: رهیار انجمن" in refreshed.text


async def test_the_card_of_a_center_awaiting_its_assistant(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    await register(leader)
    card = await _card(leader)
    assert "پس از پذیرش همیار صادر می‌شود" in card.text and "منتظر همیار" in card.text
    assert [data for _, data in card.buttons] == ["cc:edit", "cc:inv:send", "cc:inv:cancel", "cc:drop", "cc:show"]
    query = await leader.forge_tap(card, "cc:link")
    assert "پس از فعال شدن کانون" in await leader.callback_answer(query)


async def test_the_leader_edits_name_area_and_description_from_the_card(harness: Harness, platform: Platform) -> None:
    leader, _ = await _active_center(harness, platform)
    card = await _card(leader)
    await leader.tap(card, "✏️ ویرایش کانون")
    menu = await leader.expect("کدام را می‌خواهید تغییر دهید")
    await leader.tap(menu, "نام کانون")
    await leader.expect("نام تازه‌ی کانون")
    await leader.send("ن" * 70)
    await leader.expect("حداکثر ۶۴ حرف")
    await leader.send("کانون <x> & الغدیر 🌱")
    await leader.expect("تغییر ذخیره شد")
    card = await leader.expect("🏠")
    assert "کانون <x> & الغدیر 🌱" in card.text
    await leader.tap(card, "✏️ ویرایش کانون")
    menu = await leader.expect("کدام را می‌خواهید تغییر دهید")
    await leader.tap(menu, "محل")
    await leader.expect("محل تازه‌ی کانون")
    await leader.tap_keyboard("🧹 پاک کردن")
    card = await leader.expect("🏠")
    assert "محل: بدون محل" in card.text
    await leader.tap(card, "✏️ ویرایش کانون")
    menu = await leader.expect("کدام را می‌خواهید تغییر دهید")
    await leader.tap(menu, "توضیح")
    await leader.expect("توضیح تازه")
    await harness.restart()
    await leader.send("خط اول\nخط دوم")
    card = await leader.expect("🏠")
    assert "خط اول\nخط دوم" in card.text
    center = await center_of(harness, leader, platform)
    assert (center.name, center.area, center.description) == ("کانون <x> & الغدیر 🌱", None, "خط اول\nخط دوم")


async def test_a_leader_who_blocked_the_bot_does_not_stop_the_activation(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform)
    token = await register(leader)
    harness.apis[platform].block(leader.user_id)
    await accept(assistant, token)
    await harness.settle()
    center = await center_of(harness, leader, platform)
    assert center.status == "active"
    async with harness.sessions() as session:
        rows = (await session.exec(select(Delivery).where(Delivery.purpose == "inv-accepted"))).all()
    assert [r.status for r in rows] == ["unreachable"]
    assert (await user_row(harness, leader, platform)).blocked_at is not None


async def test_renaming_after_a_duplicate_warning_shows_the_stored_name(harness: Harness, platform: Platform) -> None:
    from tests.factories import make_active_center, make_user

    leader, _ = await _active_center(harness, platform)
    others = [await make_user(harness.sessions) for _ in range(2)]
    await make_active_center(harness.sessions, *others, name="کانون الغدیر", area="بوشهر، روستای نظرآقا")
    card = await _card(leader)
    await leader.tap(card, "✏️ ویرایش کانون")
    await leader.tap(await leader.expect("کدام را می‌خواهید تغییر دهید"), "نام کانون")
    await leader.expect("نام تازه‌ی کانون")
    await leader.send("كانون الغدير")  # Arabic letters: still the same name
    warning = await leader.expect("کانون فعال دیگری")
    await leader.tap(warning, "✏️ تغییر نام")
    asked = await leader.expect("نام تازه‌ی کانون")
    assert "نام فعلی: کانون صاحب‌الزمان" in asked.text  # what is stored, not the refused name
