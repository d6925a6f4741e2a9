"""Supporters (حامی, issue 13) beyond help campaigns, on both platforms: the leader chooses on
the preview whether a gathering or an announcement reaches the supporters too (default no);
a supporter who said «شرکت می‌کنم» gets the gathering's reminders; a supporter leaves from their
own card (confirm, back, cancel), the leader is told once, nothing more reaches them, and a new
invitation later attaches them again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db.charity_models import Supporter
from bot.db.enums import CharityPurpose
from bot.emulator import FakeUser
from bot.emulator.server import BotMessage
from bot.jobs import reminders
from bot.platforms import Platform
from bot.sending import broadcast
from bot.services.campaigns import as_utc
from tests.e2e.campaign_helpers import (
    CALL_QUESTION, YES, campaign_rows, center_with_members, deliveries, draft_campaign, fresh, invite_supporter, person,
    reminder_rows, sent_out,
)
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

REMINDER = "⏰ یادآوری پویش"
ANNOUNCEMENT = "📢 اعلان"
TOGGLE_NO, TOGGLE_YES = "🤝 حامیان هم ببینند: خیر", "🤝 حامیان هم ببینند: بله"


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "ANSWER_REPORT_DELAY", 0.0)


async def tapped(user: FakeUser, message: BotMessage, text: str) -> BotMessage:
    """Taps a button of `message` and returns it as the bot edited it in place."""
    await user.tap(message, text)
    return await user.wait_edit(message)


def received(user: FakeUser, text: str) -> int:
    return len([m for m in user.messages if text in m.text])


async def test_the_leader_chooses_supporters_for_a_gathering_and_an_announcement_and_a_supporter_leaves(
    harness: Harness, platform: Platform,
) -> None:
    other = Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    supporter, supporter_row = await person(harness, other, "حامی")
    await invite_supporter(leader, supporter)

    # A gathering: the preview offers the supporters (default no); the leader says yes.
    control = await draft_campaign(leader)
    assert "گیرندگان: ۳ نفر" in control.text and "۱ حامی دارد" in control.text
    assert TOGGLE_NO in [text for text, _ in control.buttons]
    control = await tapped(leader, control, TOGGLE_NO)
    assert "گیرندگان: ۴ نفر" in control.text and "برای ۱ حامی کانون هم" in control.text
    control = await tapped(leader, control, TOGGLE_YES)  # changed their mind twice
    control = await tapped(leader, control, TOGGLE_NO)
    await leader.tap(control, "📤 ارسال")
    await leader.expect("ارسال پویش آغاز شد")
    await sent_out(harness)
    (gathering,) = await campaign_rows(harness)
    assert gathering.to_supporters
    call = await supporter.expect(CALL_QUESTION)
    await supporter.tap(call, YES)
    await sent_out(harness)

    # An announcement without them (the default), then one with them.
    for choose, text in ((False, "جلسه‌ی اول کانون"), (True, "جلسه‌ی دوم کانون")):
        await leader.send("/announce")
        await leader.expect("متن اعلان را بنویسید")
        await leader.send(text)
        control = await fresh(leader, "آیا ارسال شود؟")
        if choose:
            await leader.tap(control, TOGGLE_NO)
            control = await leader.wait_edit(control)
        await leader.tap(control, "📤 ارسال")
        await leader.expect("📊 گزارش اعلان")
        await sent_out(harness)
    assert received(supporter, "جلسه‌ی دوم کانون") == 1 and received(supporter, "جلسه‌ی اول کانون") == 0
    assert [row.to_supporters for row in await campaign_rows(harness)] == [True, False, True]

    # The day-before reminder reaches the supporter who said «شرکت می‌کنم».
    day_before, two_hours, _ = await reminder_rows(harness)
    harness.clock.now = as_utc(day_before.due_at) + timedelta(seconds=30)
    assert await reminders.fire(harness.deps, day_before.id) == "fired"
    await sent_out(harness)
    assert received(supporter, REMINDER) == 1

    # The supporter leaves from their own card: asks, goes back, asks again, confirms.
    await supporter.send("/mycenter")
    card = await supporter.expect("شما حامی «کانون صاحب‌الزمان» هستید")
    card = await tapped(supporter, card, "🚪 ترک حمایت")
    assert "آیا می‌خواهید حمایت از «کانون صاحب‌الزمان» را ترک کنید" in card.text
    assert [text for text, _ in card.buttons] == ["بله، حمایت را ترک می‌کنم", "🔙 مرحله‌ی قبل", "❌ انصراف"]
    card = await tapped(supporter, card, "🔙 مرحله‌ی قبل")
    assert "شما حامی" in card.text
    card = await tapped(supporter, card, "🚪 ترک حمایت")
    card = await tapped(supporter, card, "❌ انصراف")
    assert card.text == "چیزی تغییر نکرد."
    async with harness.sessions() as session:
        assert len((await session.exec(select(Supporter))).all()) == 1
    await supporter.send("/mycenter")
    card = await supporter.expect("شما حامی «کانون صاحب‌الزمان» هستید")
    confirm = await tapped(supporter, card, "🚪 ترک حمایت")
    confirm_data = dict(confirm.buttons)["بله، حمایت را ترک می‌کنم"]
    await supporter.tap(confirm, "بله، حمایت را ترک می‌کنم")
    assert "شما دیگر حامی «کانون صاحب‌الزمان» نیستید" in (await supporter.wait_edit(confirm)).text
    notice = await leader.expect("دیگر حامی «کانون صاحب‌الزمان» نیست")
    assert "حامی" in notice.text
    # The same tap again (a double tap, a redelivery): refused, the leader is not told twice.
    query = await supporter.forge_tap(confirm, confirm_data)
    assert await supporter.callback_answer(query) == "شما حامی این کانون نیستید."
    await sent_out(harness)
    assert received(leader, "دیگر حامی") == 1
    (left,) = await deliveries(harness, CharityPurpose.SUPPORTER_LEFT)
    assert (left.user_id, left.status) == (people.leader_row.id, "sent")
    await supporter.send("/mycenter")
    assert "عضو هیچ کانونی نیستید" in (await supporter.next_message()).text
    await leader.send("/mycenter")
    assert "حامیان: ۰ نفر" in (await leader.expect("حامیان:")).text

    # Nothing more reaches them: the next reminder skips them, a new announcement too.
    harness.clock.now = as_utc(two_hours.due_at) + timedelta(seconds=30)
    assert await reminders.fire(harness.deps, two_hours.id) == "fired"
    await sent_out(harness)
    assert received(supporter, REMINDER) == 1 and received(people.members[0], REMINDER) == 2
    await leader.send("/announce")
    await leader.expect("متن اعلان را بنویسید")
    await leader.send("جلسه‌ی سوم کانون")
    control = await fresh(leader, "آیا ارسال شود؟")
    assert "حامی" not in control.text and TOGGLE_NO not in [text for text, _ in control.buttons]

    # Invited again later, they are a supporter again (the old link is gone, a new one is made).
    await leader.tap(control, "❌ انصراف")
    await invite_supporter(leader, supporter)
    async with harness.sessions() as session:
        rows = (await session.exec(select(Supporter))).all()
    assert [(r.center_id, r.user_id) for r in rows] == [(people.center.id, supporter_row.id)]

    # The leader takes them off from the list on the card (asks, back, confirms); they are told.
    await leader.send("/mycenter")
    await leader.tap(await fresh(leader, "حامیان: ۱ نفر"), "👥 حامیان")
    listing = await leader.expect("حامیان «کانون صاحب‌الزمان»")
    assert "• حامی" in listing.text and [text for text, _ in listing.buttons] == ["✖️ برداشتن حامی"]
    remove_data = dict(listing.buttons)["✖️ برداشتن حامی"]
    member = people.members[0]
    query = await member.forge_tap(member.messages[-1], remove_data)  # not the leader: refused
    assert "راهبر" in (await member.callback_answer(query) or "")
    listing = await tapped(leader, listing, "✖️ برداشتن حامی")
    assert "آیا حامی را از حامیان «کانون صاحب‌الزمان» برمی‌دارید؟" in listing.text
    listing = await tapped(leader, listing, "🔙 مرحله‌ی قبل")
    listing = await tapped(leader, listing, "✖️ برداشتن حامی")
    yes = dict(listing.buttons)["بله، برمی‌دارم"]
    listing = await tapped(leader, listing, "بله، برمی‌دارم")
    assert "حامی از حامیان کانون برداشته شد" in listing.text and "اکنون حامی ندارد" in listing.text
    await supporter.expect("شما را از حامیان کانون برداشت")
    query = await leader.forge_tap(listing, yes)  # the same tap again: nothing more
    assert await leader.callback_answer(query) == "این حامی دیگر در فهرست حامیان کانون نیست."
    await sent_out(harness)
    assert received(supporter, "از حامیان کانون برداشت") == 1
    async with harness.sessions() as session:
        assert (await session.exec(select(Supporter))).all() == []
