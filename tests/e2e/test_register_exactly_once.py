"""Registration's finishing steps happen once: a «تأیید» or an acceptance repeated after a crash
finds what it made; a mobile that arrives at the full-name step is kept; notices a crash or
passing errors left unsent go out at the next start, from the state then; names need letters."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import AuditEvent, Center, Delivery
from bot.persian.text import persian_digits
from bot.platforms import Platform
from bot.sending import delivery
from tests.e2e.harness import Harness
from tests.e2e.registration_steps import (
    ACCEPT,
    CONFIRM,
    DECLINE,
    SHARE,
    SKIP,
    accept,
    center_of,
    crash_back_to,
    fill_leader_answers,
    invitations,
    invite_token,
    register,
    saved_state,
    user_row,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "BACKOFF", (0.01, 0.02))


async def _centers(harness: Harness) -> list[Center]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Center))).all())


async def _deliveries(harness: Harness, purpose: str) -> list[Delivery]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Delivery).where(Delivery.purpose == purpose))).all())


def _received(user, text: str) -> list:  # noqa: ANN001
    return [m for m in user.messages if text in m.text]


async def test_confirm_again_after_a_crash_shows_the_center_it_made(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform)
    review = await fill_leader_answers(leader)
    before = await saved_state(harness)
    await leader.tap(review, CONFIRM)
    token = invite_token(await leader.expect("از شما دعوت کرده است"))
    await crash_back_to(harness, before)  # the center was made, but the step was not saved
    query = await leader.forge_tap(review, "rg:ok")  # the same «تأیید» again
    await leader.callback_answer(query)
    await leader.expect("پیش‌تر با همین مشخصات ثبت شده است")
    assert invite_token(await leader.expect("از شما دعوت کرده است")) == token  # the same link
    [center] = await _centers(harness)
    assert len(await invitations(harness, center.id)) == 1
    await leader.send("/register")  # the conversation is over
    await leader.expect("هر نفر فقط می‌تواند یک کانون")


async def test_confirm_again_after_the_assistant_accepted_shows_the_card(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform)
    review = await fill_leader_answers(leader)
    before = await saved_state(harness)
    await leader.tap(review, CONFIRM)
    token = invite_token(await leader.expect("از شما دعوت کرده است"))
    await accept(assistant, token)
    await crash_back_to(harness, before)
    await leader.forge_tap(review, "rg:ok")
    await leader.expect("پیش‌تر با همین مشخصات ثبت شده است")
    card = await leader.expect("🏠")
    assert "وضعیت: فعال" in card.text
    assert len(await _centers(harness)) == 1


async def test_a_contact_at_the_full_name_step_is_kept_and_the_name_asked_again(
    harness: Harness, platform: Platform,
) -> None:
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون یاران")
    await leader.tap(await leader.expect("در چه چیزی با هم مشترک‌اند"), "همکار")
    await leader.expect("کدام استان")
    await leader.tap_keyboard(SKIP)
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard(SKIP)
    await leader.expect("نام و نام خانوادگی خود را")
    at_full_name = await saved_state(harness)
    await leader.send("علی رضایی")
    await leader.expect("شماره موبایل")
    await crash_back_to(harness, at_full_name)  # the mobile question was seen; the step was not saved
    await leader.send_contact(phone="+989121112233")
    await leader.expect("شماره‌ی موبایل شما را گرفتیم")
    await leader.expect("نام و نام خانوادگی خود را")
    await leader.send("علی رضایی")
    review = await leader.expect("بررسی مشخصات کانون")  # the mobile is not asked again
    assert "۰۹۱۲۱۱۱۲۲۳۳" in review.text and "علی رضایی" in review.text
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")
    assert (await user_row(harness, leader, platform)).mobile == "09121112233"


async def test_a_typed_mobile_at_the_full_name_step_is_kept_too(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    await assistant.send(f"/start a-{token}")
    await assistant.tap(await assistant.expect("دعوت به همیاری کانون"), ACCEPT)
    await assistant.expect("نام و نام خانوادگی خود را")
    await assistant.send("۰۹۱۷ ۱۲۳ ۴۵۶۷")
    await assistant.expect("شماره‌ی موبایل شما را گرفتیم")
    await assistant.expect("نام و نام خانوادگی خود را")
    await assistant.send_contact(contact_user_id=assistant.user_id + 1)  # now a name is wanted: not a second number
    await assistant.expect("به صورت متن بنویسید")
    await assistant.tap_keyboard("زهرا احمدی")
    await assistant.expect("✅ شما همیار «")
    assert (await user_row(harness, assistant, platform)).mobile == "09171234567"


async def test_accepting_again_after_a_crash_says_already_accepted(harness: Harness, platform: Platform) -> None:
    leader, assistant = harness.user(platform), harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    await assistant.send(f"/start a-{token}")
    await assistant.tap(await assistant.expect("دعوت به همیاری کانون"), ACCEPT)
    await assistant.expect("نام و نام خانوادگی خود را")
    await assistant.send("زهرا احمدی")
    await assistant.expect("شماره موبایل")
    at_mobile = await saved_state(harness)
    await assistant.tap_keyboard(SHARE)
    first = await assistant.expect("✅ شما همیار «")
    await crash_back_to(harness, at_mobile)
    await assistant.send_contact()  # the same answer again
    again = await assistant.expect("پیش‌تر این دعوت را پذیرفته‌اید")
    center = await center_of(harness, leader, platform)
    assert center.status == "active"
    assert persian_digits(center.code) in first.text and persian_digits(center.code) in again.text
    await harness.settle()
    assert len(_received(leader, "کانون شما فعال شد")) == 1 and len(_received(leader, "شما را به عضویت در")) == 1
    async with harness.sessions() as session:
        activations = (await session.exec(select(AuditEvent).where(AuditEvent.action == "center.activated"))).all()
    assert len(activations) == 1
    # Opening their own link again: they are the assistant already.
    await assistant.send(f"/start a-{token}")
    await assistant.expect("شما همین الان همیار این کانون هستید")


async def test_declining_twice_gives_the_same_answer_and_one_notice(harness: Harness, platform: Platform) -> None:
    leader, declining = harness.user(platform), harness.user(platform, first_name="حسن", last_name="کریمی")
    token = await register(leader)
    await declining.send(f"/start a-{token}")
    card = await declining.expect("دعوت به همیاری کانون")
    await declining.tap(card, DECLINE)
    assert "شما این دعوت را رد کردید" in (await declining.wait_edit(card)).text
    query = await declining.forge_tap(card, f"iv:no:{token}")  # a late double tap
    await declining.callback_answer(query)
    await harness.settle()
    assert "شما این دعوت را رد کردید" in card.text and _received(declining, "قبلاً رد شده") == []
    assert len(_received(leader, "حسن کریمی دعوت شما برای همیاری")) == 1
    assert [d.status for d in await _deliveries(harness, "inv-declined")] == ["sent"]


async def test_registration_notices_that_met_passing_errors_go_out_after_a_restart(
    harness: Harness, platform: Platform,
) -> None:
    leader, assistant = harness.user(platform), harness.user(platform)
    token = await register(leader)
    api = harness.apis[platform]
    api.fail_next("sendMessage", status=502, count=2 * delivery.ATTEMPTS, chat_id=leader.user_id)
    await accept(assistant, token)
    await harness.settle()
    assert _received(leader, "کانون شما فعال شد") == [] and _received(leader, "شما را به عضویت در") == []
    assert [d.status for d in await _deliveries(harness, "inv-accepted")] == ["pending"]
    assert [d.status for d in await _deliveries(harness, "member-links")] == ["pending"]
    await harness.restart()
    await harness.settle()
    await harness.deps.background.join(timeout=10)
    code = (await center_of(harness, leader, platform)).code
    [activated] = _received(leader, "کانون شما فعال شد")
    [links] = _received(leader, "شما را به عضویت در")
    assert f"c-{code}" in links.text and activated.text
    await harness.restart()  # nothing goes twice
    await harness.settle()
    await harness.deps.background.join(timeout=10)
    assert len(_received(leader, "کانون شما فعال شد")) == 1
    assert {d.status for d in await _deliveries(harness, "inv-accepted")} == {"sent"}


async def test_a_decline_notice_left_unsent_is_skipped_once_the_center_has_its_assistant(
    harness: Harness, platform: Platform,
) -> None:
    leader = harness.user(platform)
    declining, second = harness.user(platform, first_name="حسن", last_name="کریمی"), harness.user(platform)
    token = await register(leader)
    harness.apis[platform].fail_next("sendMessage", status=500, count=delivery.ATTEMPTS, chat_id=leader.user_id)
    await declining.send(f"/start a-{token}")
    invitation = await declining.expect("دعوت به همیاری کانون")
    await declining.tap(invitation, DECLINE)
    await declining.wait_edit(invitation)
    await harness.settle()
    assert [d.status for d in await _deliveries(harness, "inv-declined")] == ["pending"]
    await leader.send("/mycenter")
    card = await leader.expect("🏠")
    await leader.tap(card, "📨 دعوت از همیار")
    await accept(second, invite_token(await leader.expect("از شما دعوت کرده است")))
    await harness.restart()
    await harness.settle()
    await harness.deps.background.join(timeout=10)
    assert _received(leader, "دعوت شما برای همیاری") == []  # no longer news
    assert [d.status for d in await _deliveries(harness, "inv-declined")] == ["skipped"]


async def test_names_need_two_letters(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform, first_name="🎉🎉🎉", last_name=None)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    for name in ("🎉🎉🎉", "...!!", "🌱 ۱"):
        await leader.send(name)
        await leader.expect("دست‌کم دو حرف")
    await leader.send("کانون 🌱")
    await leader.tap(await leader.expect("در چه چیزی"), "همکار")
    await leader.expect("کدام استان")
    await leader.tap_keyboard(SKIP)
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard(SKIP)
    asked = await leader.expect("نام و نام خانوادگی خود را")
    assert asked.keyboard_buttons == ["🔙 مرحله‌ی قبل", "❌ انصراف"]  # the emoji profile name is not offered
    await leader.send("🙂🙂🙂")
    await leader.expect("نام دست‌کم دو حرف لازم دارد")
    await leader.send("علی رضایی")
    await leader.expect("شماره موبایل")


async def test_a_link_in_the_middle_of_registration_gets_the_way_out(harness: Harness, platform: Platform) -> None:
    leader, other = harness.user(platform), harness.user(platform)
    token = await register(other)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    for text in (f"/start a-{token}", "/start c-1234567", "/start"):
        await leader.send(text)
        stray = await leader.expect("در میانه‌ی یک کار هستید")
        assert "«❌ انصراف»" in stray.text and "/" not in stray.text
    await leader.send("کانون یاران")
    await leader.expect("در چه چیزی")


async def test_a_review_tapped_while_a_crash_kept_the_mobile_step_asks_for_the_mobile(
    harness: Harness, platform: Platform,
) -> None:
    leader = harness.user(platform)
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون یاران")
    await leader.tap(await leader.expect("در چه چیزی"), "همکار")
    await leader.expect("کدام استان")
    await leader.tap_keyboard(SKIP)
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard(SKIP)
    await leader.expect("نام و نام خانوادگی خود را")
    await leader.send("علی رضایی")
    await leader.expect("شماره موبایل")
    at_mobile = await saved_state(harness)
    await leader.tap_keyboard(SHARE)
    review = await leader.expect("بررسی مشخصات کانون")
    await crash_back_to(harness, at_mobile)  # the review was seen; the mobile was never saved
    query = await leader.tap(review, CONFIRM)
    assert await leader.callback_answer(query) == "اول به این پرسش پاسخ دهید."
    await leader.expect("شماره موبایل")
    await leader.tap_keyboard(SHARE)
    review = await leader.expect("بررسی مشخصات کانون")
    await leader.tap(review, CONFIRM)
    await leader.expect("از شما دعوت کرده است")
    assert len(await _centers(harness)) == 1
