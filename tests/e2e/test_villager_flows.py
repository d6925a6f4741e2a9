"""A villager can do it alone (issue 10), walked over real HTTP on both platforms: «🔙 مرحله‌ی قبل»
and «❌ انصراف» under every question, back showing the earlier answer, control words never taken
as answers, the report without zero lines and with names, the leader's empty «پویش‌ها»."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db.models import Center
from bot.emulator.server import BotMessage
from bot.platforms import Platform
from tests.e2e.campaign_helpers import CALL_QUESTION, NO, YES, center_with_members, create_campaign, sent_out
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

BACK, CANCEL = "🔙 مرحله‌ی قبل", "❌ انصراف"
EARLIER = "پاسخ قبلی شما"


def labels(message: BotMessage) -> list[str]:
    """Every button under a message: the reply keyboard's or the inline ones."""
    return message.keyboard_buttons or [text for text, _ in message.buttons]


def assert_way_out(message: BotMessage, back: bool = True) -> None:
    shown = labels(message)
    assert CANCEL in shown, (message.text[:60], shown)
    assert (BACK in shown) == back, (message.text[:60], shown)


async def test_registering_back_and_out_at_every_step(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform, first_name="حسن", last_name="جمالی")
    await leader.send("ثبت کانون")
    assert_way_out(await leader.expect("نام کانون را بنویسید"), back=False)
    await leader.send("کانون چشمه")
    kinds = await leader.expect("در چه چیزی با هم مشترک‌اند")
    assert_way_out(kinds)
    await leader.tap(kinds, BACK)  # back to the name, showing it
    assert (await leader.wait_edit(kinds)).buttons == []  # the answered question loses its buttons
    assert "«کانون چشمه»" in (await leader.expect(EARLIER)).text
    await leader.expect("نام کانون را بنویسید")
    await leader.send("کانون چشمه روستا")
    await leader.tap(await leader.expect("در چه چیزی با هم مشترک‌اند"), "هم‌محلی")
    area = await leader.expect("کدام استان، شهر یا روستا")
    assert_way_out(area)
    await leader.send("برگشت")  # typed: a step back, not an area called «برگشت»
    assert "هم‌محلی" in (await leader.expect(EARLIER)).text
    await leader.tap(await leader.expect("در چه چیزی با هم مشترک‌اند"), "هم‌طایفه")
    await leader.expect("کدام استان، شهر یا روستا")
    await leader.send("گلستان، روستای قورچای")
    assert_way_out(await leader.expect("توضیح کوتاه"))
    await leader.send("قبلی")
    assert "«گلستان، روستای قورچای»" in (await leader.expect(EARLIER)).text
    await leader.expect("کدام استان، شهر یا روستا")
    await leader.send("گلستان")
    await leader.expect("توضیح کوتاه")
    await leader.tap_keyboard("رد شدن")
    assert_way_out(await leader.expect("نام و نام خانوادگی خود را"))
    await leader.tap_keyboard("حسن جمالی")
    assert_way_out(await leader.expect("شماره موبایل"))
    await leader.tap_keyboard(BACK)
    assert "«حسن جمالی»" in (await leader.expect(EARLIER)).text
    await leader.send("حسن جمالی")
    await leader.expect("شماره موبایل")
    await leader.send("۰۹۱۷۱۱۱۲۲۳۳")
    review = await leader.expect("بررسی مشخصات کانون")
    assert_way_out(review)
    assert "هم‌طایفه" in review.text and "گلستان" in review.text
    await leader.tap(review, CANCEL)
    await leader.expect("لغو شد")
    async with harness.sessions() as session:
        assert (await session.exec(select(Center))).all() == []


async def test_campaign_steps_have_back_and_out(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    await leader.send("پویش تازه")  # typed, no command
    kind = await leader.expect("نوع پویش")
    assert_way_out(kind, back=False)  # the first question
    await leader.tap(kind, "📅 گردهمایی")
    assert_way_out(await leader.expect("عنوان پویش"))  # «🔙» goes back to the kind
    await leader.send("پاک‌سازی چشمه")
    assert_way_out(await leader.expect("توضیح پویش"))
    await leader.send("برگشت")
    assert "«پاک‌سازی چشمه»" in (await leader.expect(EARLIER)).text
    await leader.send("پاک‌سازی چشمه‌ی روستا")
    await leader.expect("توضیح پویش")
    await leader.send("همه بیایید، با بیل و کیسه.")
    assert_way_out(await leader.expect("زمان پویش را بنویسید"))
    await leader.send("۱۴۰۵/۹/۱۵ ۱۸:۳۰")
    assert_way_out(await leader.expect("مکان پویش"))
    await leader.send("مسجد")
    toggles = await leader.expect("یادآوری")
    assert_way_out(toggles)
    await leader.tap(toggles, BACK)
    await leader.wait_edit(toggles)
    assert "«مسجد»" in (await leader.expect(EARLIER)).text
    await leader.tap_keyboard("بدون مکان")
    toggles = await leader.expect("یادآوری")
    await leader.tap(toggles, "ادامه ◀️")
    control = await leader.expect("پیام بالا همان است")
    assert_way_out(control)
    await leader.send("منو")  # leaves, like «❌ انصراف»
    await leader.expect("لغو شد")
    assert not [m for m in people.members[0].messages if CALL_QUESTION in m.text]


async def test_joining_never_searches_control_words(harness: Harness, platform: Platform) -> None:
    member = harness.user(platform)
    await member.send("عضویت")
    asked = await member.expect("کانون خود را چطور پیدا کنیم")
    assert_way_out(asked, back=False)
    await member.send("برگشت")  # the first step: back leaves
    left = await member.expect("لغو شد")
    assert "برگشت" not in left.text
    await member.send("عضویت")
    await member.expect("کانون خود را چطور پیدا کنیم")
    await member.send("سلام")  # a greeting is no center's name: the question again
    again = await member.next_message()
    assert "کانون خود را چطور پیدا کنیم" in again.text and "سلام" not in again.text
    await member.send("منو")
    await member.expect("لغو شد")


async def test_the_report_hides_zero_lines_and_lists_who_comes(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=1)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    first, second = people.members[0], people.members[1]
    first_call = await first.expect(CALL_QUESTION)
    await first.tap(first_call, YES)
    await second.tap(await second.expect(CALL_QUESTION), NO)
    await harness.settle()
    await people.leader.tap(report, "🔄 به‌روزرسانی")
    report = await people.leader.expect("شرکت می‌کنند: ۱")
    assert "رسید: ۴ از ۴ نفر" in report.text
    assert "ربات را بسته‌اند" not in report.text and "نرسید" not in report.text and "هنوز فرستاده نشده" not in report.text
    assert "شرکت می‌کنند: ۱" in report.text and "نمی‌توانند: ۱" in report.text and "هنوز پاسخ نداده‌اند: ۲" in report.text
    await people.leader.tap(report, "👥 چه کسانی می‌آیند؟")
    listing = await people.leader.expect("👥 پویش")
    assert "می‌آیند" in listing.text and "۱. عضوt0" in listing.text and "عضوt1" not in listing.text
    assert all(len(text) <= 32 for text in labels(listing))
    await people.leader.tap(listing, "نمی‌آیند")
    listing = await people.leader.expect("— نمی‌آیند")
    assert "۱. عضوt1" in listing.text and "عضوt0" not in listing.text
    await people.leader.tap(listing, "بی‌پاسخ")
    listing = await people.leader.expect("— بی‌پاسخ")
    assert "عضوb0" in listing.text and "همیار" in listing.text and "۰۹" not in listing.text
    # A member cannot open the names, whatever the data.
    query = await first.forge_tap(first_call, listing.buttons[0][1])
    assert await first.callback_answer(query) == "فقط راهبر همین کانون می‌تواند این کار را بکند."


async def test_the_leaders_empty_campaigns_offer_two_buttons(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=0)
    await people.leader.send("پویش‌ها")
    empty = await people.leader.expect("هنوز پویش یا اعلانی نفرستاده‌اید")
    assert "/" not in empty.text and empty.text.count("\n") == 0
    assert [text for text, _ in empty.buttons] == ["📣 پویش تازه", "📢 اعلان به اعضا"]
    await people.leader.tap(empty, "📢 اعلان به اعضا")
    await people.leader.expect("متن اعلان")
