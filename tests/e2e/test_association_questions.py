"""Asking the facilitator over HTTP: the question and the answer both ways across platforms
(member on Bale, facilitator on Telegram), never a phone number, the 72-hour reminder once,
and a side that blocked the bot reported instead of retried."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from bot import callbacks as cb
from bot.actions import facilitation
from bot.db.models import Delivery, Question
from bot.platforms import Platform
from tests.e2e.association_helpers import ASK, appoint, harness, world  # noqa: F401  (harness: the fixture)
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import Person, person
from tests.factories import add_member

pytestmark = pytest.mark.e2e

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _has_mobile(text: str) -> bool:
    return re.search(r"09\d{9}", text.translate(_DIGITS)) is not None


async def _ask(asker: Person, question: str) -> None:
    await asker.fake.send("/mycenter")
    card = await asker.fake.expect("رهیار: زینب رهیار")  # «🧭 رهیار:» for members
    await asker.fake.tap(card, ASK)
    await asker.fake.expect("پرسش خود را")
    await asker.fake.send(question)


async def test_a_member_on_bale_asks_a_facilitator_on_telegram_and_gets_the_answer(harness: Harness) -> None:
    w = await world(harness, Platform.TELEGRAM)
    member = await person(harness, Platform.BALE, "فاطمه بلوچی", "09351234567", first_name="فاطمه")
    await add_member(harness.sessions, w.staffed.center, member.row)
    guide = await person(harness, Platform.TELEGRAM, "زینب رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, guide, w.staffed.center, name="زینب رهیار")
    await _ask(member, "x" * 1001)
    assert "۱٬۰۰۰" in (await member.fake.next_message()).text  # too long: said so, still asking
    await member.fake.send("برای وام قرض‌الحسنه‌ی اعضا از کجا شروع کنیم؟")
    await member.fake.expect("پرسش شما برای زینب رهیار فرستاده شد")
    asked = await guide.fake.expect("پرسش از فاطمه بلوچی")
    assert "(عضو کانون «کانون صاحب‌الزمان»)" in asked.text and "وام قرض‌الحسنه" in asked.text
    assert not _has_mobile(asked.text)
    await guide.fake.tap(asked, "✍️ پاسخ")
    await guide.fake.expect("پاسخ خود را به فاطمه بلوچی")
    await guide.fake.send("با صندوق کوچک از پس‌انداز ماهانه‌ی اعضا شروع کنید.")
    await guide.fake.expect("پاسخ شما برای فاطمه بلوچی فرستاده شد")
    answer = await member.fake.expect("پاسخ رهیار")
    assert "زینب رهیار" in answer.text and "صندوق کوچک" in answer.text and "وام قرض‌الحسنه" in answer.text
    assert not _has_mobile(answer.text)
    # Answered once: the same button again is refused.
    query = await guide.fake.forge_tap(asked, asked.buttons[0][1])
    assert await guide.fake.callback_answer(query) == "به این پرسش پیش‌تر پاسخ داده شده است."
    async with harness.sessions() as session:
        [row] = (await session.exec(select(Question))).all()
        assert (row.status, row.asker_role, row.facilitator_id) == ("answered", "member", guide.id)


async def test_leader_and_assistant_ask_too_and_open_questions_are_listed(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    guide = await person(harness, platform, "زینب رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, guide, w.staffed.center, name="زینب رهیار")
    await _ask(w.staffed.leader, "پرسش راهبر")
    await w.staffed.leader.fake.expect("فرستاده شد")
    await _ask(w.staffed.assistant, "پرسش همیار")
    await w.staffed.assistant.fake.expect("فرستاده شد")
    await guide.fake.send("/rahyar")
    listing = await guide.fake.expect("کانون‌های شما: ۱")
    await guide.fake.tap(listing, "❓ پرسش‌های باز (۲)")
    await guide.fake.expect("۲ پرسش بی‌پاسخ")
    first = await guide.fake.expect("پرسش راهبر")
    assert "(راهبر کانون" in first.text and first.has_button("✍️ پاسخ")
    second = await guide.fake.expect("پرسش همیار")
    assert "(همیار کانون" in second.text
    # Someone else's question, by forged data: refused, nothing asked of them.
    outsider = await person(harness, platform, "رهیار دیگر", "09140000001", first_name="دیگر")
    await appoint(harness, outsider, w.other.center, name="رهیار دیگر")
    query = await outsider.fake.forge_tap(first, first.buttons[0][1])
    assert await outsider.fake.callback_answer(query) == "این پرسش پیدا نشد یا برای شما نیست."


async def test_no_facilitator_no_button_and_a_forged_tap_is_told_why(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    await w.member.fake.send("/mycenter")
    card = await w.member.fake.expect("کانون صاحب‌الزمان")
    assert not card.has_button(ASK) and "رهیار:" not in card.text
    query = await w.member.fake.forge_tap(card, cb.QUESTION_ASK.build())
    assert await w.member.fake.callback_answer(query) == "کانون شما هنوز رهیاری ندارد."
    query = await w.stranger.fake.forge_tap(card, cb.QUESTION_ASK.build())
    assert await w.stranger.fake.callback_answer(query) == "شما عضو هیچ کانونی نیستید."


async def test_an_unanswered_question_reminds_the_facilitator_once_after_72_hours(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    guide = await person(harness, platform, "زینب رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, guide, w.staffed.center, name="زینب رهیار")
    await _ask(w.member, "پرسشی که می‌ماند")
    await guide.fake.expect("پرسشی که می‌ماند")
    harness.clock.advance(hours=71)
    assert await facilitation.remind_unanswered(harness.deps) == 0
    harness.clock.advance(hours=2)
    assert await facilitation.remind_unanswered(harness.deps) == 1
    reminder = await guide.fake.expect("سه روز است بی‌پاسخ")
    assert "پرسشی که می‌ماند" in reminder.text and reminder.has_button("✍️ پاسخ")
    harness.clock.advance(days=3)
    assert await facilitation.remind_unanswered(harness.deps) == 0
    await harness.restart()
    assert await facilitation.remind_unanswered(harness.deps) == 0
    await harness.settle()
    assert len([m for m in guide.fake.messages if "سه روز است" in m.text]) == 1


async def test_a_blocked_side_is_reported_not_retried(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    guide = await person(harness, platform, "زینب رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, guide, w.staffed.center, name="زینب رهیار")
    harness.apis[platform].block(guide.fake.user_id)
    await _ask(w.member, "آیا کسی هست؟")
    await w.member.fake.expect("به زینب رهیار نرسید")
    harness.apis[platform].unblock(guide.fake.user_id)
    async with harness.sessions() as session:
        [row] = (await session.exec(select(Delivery).where(Delivery.purpose == "question_asked"))).all()
        assert row.status == "unreachable" and row.attempts == 1
    # The other way: the asker blocked the bot before the answer.
    await _ask(w.staffed.leader, "پرسش دوم")
    asked = await guide.fake.expect("پرسش دوم")
    harness.apis[platform].block(w.staffed.leader.fake.user_id)
    await guide.fake.tap(asked, "✍️ پاسخ")
    await guide.fake.expect("پاسخ خود را")
    await guide.fake.send("پاسخی که نمی‌رسد")
    await guide.fake.expect("به حسن جمالی نرسید")
