"""Campaigns end to end: creating one (typed dates, the calendar, bad input), sending it to
members on both platforms, answers, the report, the list, and who may do what."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.actions import campaigns as actions
from bot.sending import broadcast
from bot.services import campaigns as service
from bot.db.models import AuditEvent, CampaignAnswer
from bot.persian.catalog import t
from bot.platforms import Platform
from tests.e2e.campaign_helpers import (
    start_gathering,
    CALL_QUESTION,
    CHOSEN,
    NO,
    YES,
    calls_received,
    campaign_rows,
    center_with_members,
    create_campaign,
    deliveries,
    draft_campaign,
    person,
    put_back,
    saved_state,
    sent_out,
)
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Report edits after answers at once, instead of gathering them for a few seconds."""
    monkeypatch.setattr(broadcast, "ANSWER_REPORT_DELAY", 0.0)


async def test_a_campaign_reaches_members_on_both_platforms_and_they_answer(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=2)
    leader = people.leader
    await start_gathering(leader)
    await leader.expect("عنوان پویش")
    await leader.send("ک" * 101)
    assert "حداکثر ۱۰۰ حرف" in (await leader.next_message()).text
    await leader.send("کمک به <سیل‌زدگان> & روستا")
    await leader.expect("توضیح پویش")
    await leader.send("خانه‌های پایین روستا را گل گرفته است.\nبیل و چکمه بیاورید.")
    await leader.expect("زمان پویش را بنویسید")

    # Bad dates: each gets its own reason, and the step stays where it was.
    await leader.send("۱۴۰۵/۹/۱ ۱۰:۰۰")
    assert "گذشته است (یکشنبه ۱ آذر ۱۴۰۵، ساعت ۱۰:۰۰)" in (await leader.next_message()).text
    await leader.send("۱۴۰۵/۱۲/۳۰ ۱۰:۰۰")
    assert "۳۰ اسفند ۱۴۰۵ وجود ندارد" in (await leader.next_message()).text
    await leader.send("یه روزی بعد از برداشت")
    assert "نفهمیدم" in (await leader.next_message()).text
    await leader.send("2026-12-06 18:30")
    assert "شمسی" in (await leader.next_message()).text
    await leader.send("۱۴۰۵/۷/۳۱")
    assert "مهر ۱۴۰۵ فقط ۳۰ روز دارد" in (await leader.next_message()).text
    await leader.send("۱۴۰۶/۱۰/۱ ۱۰:۰۰")
    assert "تا یک سال آینده" in (await leader.next_message()).text

    await leader.send("١٤٠٥/٩/١٥ ١٨:٣٠")  # Arabic-Indic digits from an Arabic keyboard
    assert "یکشنبه ۱۵ آذر ۱۴۰۵، ساعت ۱۸:۳۰" in (await leader.expect("🗓 زمان:")).text
    await leader.expect("مکان پویش")
    await leader.send("مسجد جامع")
    toggles = await leader.expect("یادآوری")
    assert [text for text, _ in toggles.buttons] == ["✅ یک روز قبل", "✅ دو ساعت قبل", "✅ هنگام شروع", "ادامه ◀️", "🔙 مرحله‌ی قبل", "❌ انصراف"]
    await leader.tap(toggles, "✅ دو ساعت قبل")
    toggles = await leader.wait_edit(toggles)
    assert "⬜ دو ساعت قبل" in [text for text, _ in toggles.buttons]
    await leader.tap(toggles, "ادامه ◀️")
    preview = await leader.expect(CALL_QUESTION)
    control = await leader.expect("پیام بالا همان است")
    assert "گیرندگان: ۵ نفر" in control.text  # four members and the assistant
    assert "یادآوری‌ها: یک روز قبل، هنگام شروع" in control.text
    await leader.tap(control, "📤 ارسال")
    await leader.expect("ارسال پویش آغاز شد")
    report = await leader.expect("📊 گزارش پویش")
    await sent_out(harness)

    calls = {}
    for member in people.recipients:
        call = await member.expect(CALL_QUESTION)
        assert call.text == preview.text  # the preview is exactly what members see
        assert "کمک به <سیل‌زدگان> & روستا" in call.text and "📍 مکان: مسجد جامع" in call.text
        assert "🏠 کانون صاحب‌الزمان" in call.text
        assert [text for text, _ in call.buttons] == [YES, NO, "🔕 یادآوری نفرست"]
        calls[member.user_id] = call
    assert not calls_received(leader)[1:]  # the leader has only the preview, no call

    first, second, third = people.members[0], people.members[2], people.members[3]  # telegram, bale, bale
    query = await first.tap(calls[first.user_id], YES)
    assert await first.callback_answer(query) == "پاسخ شما ثبت شد: شرکت می‌کنم. سپاسگزاریم! 🌱"
    await second.tap(calls[second.user_id], NO)
    await third.tap(calls[third.user_id], YES)
    await harness.settle()
    assert calls[first.user_id].buttons[0][0] == CHOSEN + YES
    assert [text for text, _ in calls[second.user_id].buttons] == [YES, CHOSEN + NO]  # no reminder switch after «no»
    # A member changes their mind.
    query = await third.tap(calls[third.user_id], NO)
    assert "نمی‌توانم" in await third.callback_answer(query)
    await harness.settle()
    query = await third.tap(calls[third.user_id], CHOSEN + NO)  # the same answer again
    assert await third.callback_answer(query) == "همین پاسخ پیش‌تر ثبت شده است."
    await sent_out(harness)

    assert "رسید: ۵ از ۵ نفر" in report.text
    assert "شرکت می‌کنند: ۱" in report.text and "نمی‌توانند: ۲" in report.text
    assert "هنوز پاسخ نداده‌اند: ۲" in report.text and "هنوز فرستاده نشده" not in report.text  # zero lines hidden
    async with harness.sessions() as session:
        answers = {a.user_id: a.answer for a in (await session.exec(select(CampaignAnswer))).all()}
        audit = [e.action for e in (await session.exec(select(AuditEvent))).all()]
    assert answers == {people.rows[first.user_id].id: "yes", people.rows[second.user_id].id: "no",
                       people.rows[third.user_id].id: "no"}
    assert audit.count("campaign.sent") == 1 and audit.count("campaign.answered") == 4
    assert {d.status for d in await deliveries(harness, "campaign")} == {"sent"}


async def test_the_calendar_picks_a_day_and_an_hour(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    await start_gathering(leader)
    await leader.send("پویش درختکاری")
    await leader.expect("توضیح پویش")
    await leader.send("نهال‌ها را با هم بکاریم.")
    calendar = await leader.expect("زمان پویش را بنویسید")
    texts = [text for text, _ in calendar.buttons]
    assert "آذر ۱۴۰۵" in texts and "ماه بعد ◀️" in texts and "▶️ ماه قبل" not in texts  # no going back in time
    assert texts[:3] == ["پس‌فردا", "فردا", "امروز"]  # one-tap days, read right to left
    assert texts[5:12] == ["ج", "پ", "چ", "س", "د", "ی", "ش"]  # read right to left: Saturday on the right
    query = await leader.tap(calendar, "·")  # a day that has passed
    assert await leader.callback_answer(query) == "یک روز از تقویم انتخاب کنید."
    query = await leader.forge_tap(calendar, "cl:d:14050901")  # an old keyboard's past day
    assert "بازه‌ی مجاز نیست" in await leader.callback_answer(query)

    await leader.tap(calendar, "ماه بعد ◀️")
    calendar = await leader.wait_edit(calendar)
    assert "دی ۱۴۰۵" in [text for text, _ in calendar.buttons]
    await leader.tap(calendar, "▶️ ماه قبل")
    calendar = await leader.wait_edit(calendar)
    await leader.tap(calendar, "ماه بعد ◀️")
    calendar = await leader.wait_edit(calendar)
    await leader.tap(calendar, "۱۰")
    hours = await leader.expect("روز ۱۰ دی ۱۴۰۵ را انتخاب کردید")
    await leader.tap(hours, "🗓 بازگشت به تقویم")
    again = await leader.expect("روز را از تقویم انتخاب کنید")
    await leader.tap(again, "۱۲")
    await leader.expect("روز ۱۲ دی ۱۴۰۵ را انتخاب کردید")
    await leader.send("ساعت هفت")  # words for numbers are not understood
    assert "ساعت را نفهمیدم" in (await leader.next_message()).text
    await leader.send("۶ عصر")
    assert "۱۲ دی ۱۴۰۵، ساعت ۱۸:۰۰" in (await leader.expect("🗓 زمان:")).text
    await leader.expect("مکان پویش")


async def test_an_hour_from_the_calendar_buttons_and_a_date_without_hour(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=0)
    leader = people.leader
    await start_gathering(leader)
    await leader.send("پویش نان")
    await leader.expect("توضیح پویش")
    await leader.send("نان برای خانواده‌های نیازمند.")
    calendar = await leader.expect("زمان پویش را بنویسید")
    await leader.tap(calendar, "۸")  # today (8 Azar, 11:30 in Tehran)
    hours = await leader.expect("روز ۸ آذر ۱۴۰۵ را انتخاب کردید")
    await leader.tap(hours, "۹ صبح")  # earlier today: gone
    assert "گذشته است" in (await leader.next_message()).text
    await leader.tap(hours, "۸ شب")
    assert "۸ آذر ۱۴۰۵، ساعت ۲۰:۰۰" in (await leader.expect("🗓 زمان:")).text
    await leader.expect("مکان پویش")
    await leader.tap_keyboard("بدون مکان")
    toggles = await leader.expect("یادآوری")
    # 8½ hours ahead: the day-before reminder is already past and not offered.
    assert [text for text, _ in toggles.buttons] == ["✅ دو ساعت قبل", "✅ هنگام شروع", "ادامه ◀️", "🔙 مرحله‌ی قبل", "❌ انصراف"]
    query = await leader.forge_tap(toggles, "cp:r:1440")
    assert await leader.callback_answer(query) == "زمان این یادآوری پیش از اکنون است."
    await leader.tap(toggles, "ادامه ◀️")
    await leader.expect(CALL_QUESTION)
    control = await leader.expect("پیام بالا همان است")
    # Edit the time: a date alone gets 09:00, and the bot says so.
    await leader.tap(control, "✏️ ویرایش")
    assert (await leader.wait_edit(control)).buttons == []  # a used control loses its buttons
    which = await leader.expect("کدام بخش")
    await leader.tap(which, "زمان")
    await leader.expect("زمان پویش را بنویسید")
    await leader.send("۱۴۰۵/۹/۲۰")
    confirmed = await leader.expect("🗓 زمان:")
    assert "ساعت ۰۹:۰۰ گذاشته شد" in confirmed.text
    preview = await leader.expect(CALL_QUESTION)
    assert "۲۰ آذر ۱۴۰۵، ساعت ۰۹:۰۰" in preview.text and "📍" not in preview.text
    control = await leader.expect("پیام بالا همان است")
    query = await leader.tap(preview, YES)  # the preview's buttons only say what they are
    assert await leader.callback_answer(query) == "این فقط پیش‌نمایش است."
    await leader.tap(control, "❌ انصراف")
    await leader.expect("پیش‌نویس آن پاک شد")
    assert await campaign_rows(harness) == []


async def test_bad_input_mid_conversation_loses_nothing_and_survives_a_restart(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    await start_gathering(leader)
    await leader.send("پویش کتاب")
    await leader.expect("توضیح پویش")
    await leader.send_photo()
    assert "به صورت متن" in (await leader.next_message()).text
    await leader.send("/help")
    assert "در میانه‌ی یک کار" in (await leader.next_message()).text
    await leader.send("کتاب‌های کهنه را برای کتابخانه‌ی روستا بیاورید.")
    await leader.expect("زمان پویش را بنویسید")
    await leader.send("فردا ساعت ۱۰ صبح")
    assert "۹ آذر ۱۴۰۵، ساعت ۱۰:۰۰" in (await leader.expect("🗓 زمان:")).text
    await leader.expect("مکان پویش")

    await harness.restart()
    await leader.send("کتابخانه")
    toggles = await leader.expect("یادآوری")  # resumed at the same step with what was typed
    await leader.tap(toggles, "ادامه ◀️")
    preview = await leader.expect(CALL_QUESTION)
    assert "پویش کتاب" in preview.text and "کتابخانه" in preview.text
    control = await leader.expect("پیام بالا همان است")
    await leader.tap(control, "📤 ارسال")
    await leader.expect("ارسال پویش آغاز شد")
    query = await leader.tap(control, "📤 ارسال") if control.buttons else None  # buttons were removed
    assert query is None
    await sent_out(harness)
    assert len(await campaign_rows(harness)) == 1
    for member in people.recipients:
        assert len(calls_received(member)) == 1

    # «لغو» on the keyboard cancels a new one.
    await start_gathering(leader)
    await leader.expect("عنوان پویش")
    await leader.tap_keyboard("❌ انصراف")
    assert "لغو شد" in (await leader.next_message()).text
    assert len(await campaign_rows(harness)) == 1


async def test_who_may_call_a_campaign(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    await people.assistant.send("/campaign")
    assert "فقط راهبر کانون" in (await people.assistant.next_message()).text
    await people.assistant.send("/announce")
    assert "فقط راهبر کانون" in (await people.assistant.next_message()).text
    member = people.members[0]
    await member.send("/campaign")
    assert "راهبر هیچ کانونی نیستید" in (await member.next_message()).text

    waiting = await center_with_members(harness, platform, telegram=1, bale=0, status="awaiting_assistant")
    await waiting.leader.send("/campaign")
    assert "هنوز فعال نشده" in (await waiting.leader.next_message()).text
    assert await campaign_rows(harness) == []

    # The leader's center card carries cp:new, cp:all and cp:announce (another feature draws it).
    await people.leader.send("/start")
    welcome = await people.leader.next_message()
    query = await people.leader.forge_tap(welcome, "cp:new")
    await people.leader.callback_answer(query)
    await people.leader.expect("نوع پویش")
    query = await people.leader.forge_tap(welcome, "cp:announce")  # another flow, mid-way through this one
    assert "در میانه‌ی یک کار" in await people.leader.callback_answer(query)
    await people.leader.send("/cancel")
    await people.leader.expect("لغو شد")
    await people.leader.forge_tap(welcome, "cp:announce")
    await people.leader.expect("متن اعلان را بنویسید")
    await people.leader.tap_keyboard("❌ انصراف")
    await people.leader.expect("لغو شد")
    query = await people.leader.forge_tap(welcome, "cp:all")
    await people.leader.expect("هنوز پویش یا اعلانی نفرستاده‌اید")


async def test_the_lists_for_leader_assistant_and_member(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    await create_campaign(people.leader, title="پویش اول")
    await sent_out(harness)
    member = people.members[1]
    call = await member.expect(CALL_QUESTION)
    await member.tap(call, YES)
    await sent_out(harness)

    await people.leader.send("/campaigns")
    listing = await people.leader.expect("📋 پویش‌ها و اعلان‌ها — کانون صاحب‌الزمان")
    assert "۱. 📣 پویش اول" in listing.text and "رسید ۳ از ۳" in listing.text
    assert "👍 ۱ شرکت می‌کنند" in listing.text and "/" not in listing.text
    assert listing.has_button("📣 پویش تازه") and listing.has_button("📢 اعلان به اعضا")
    await people.leader.tap(listing, "📊 ۱. پویش اول")
    report = await people.leader.expect("📊 گزارش پویش")
    assert [text for text, _ in report.buttons] == ["🔄 به‌روزرسانی", "👥 چه کسانی می‌آیند؟", "⏰ تغییر زمان", "❌ لغو پویش"]

    await people.assistant.send("/campaigns")  # the assistant sees the figures, read-only
    listing = await people.assistant.expect("📋 پویش‌ها")
    assert not listing.has_button("📢 اعلان به اعضا")  # sending is the leader's
    await people.assistant.tap(listing, "📊 ۱. پویش اول")
    report = await people.assistant.expect("📊 گزارش پویش")
    assert [text for text, _ in report.buttons] == ["🔄 به‌روزرسانی", "👥 چه کسانی می‌آیند؟"]
    query = await people.assistant.forge_tap(report, f"cr:x:{(await campaign_rows(harness))[0].id}")
    assert await people.assistant.callback_answer(query) == "فقط راهبر همین کانون می‌تواند این کار را بکند."

    await member.send("پویش‌ها")  # the main menu button
    mine = await member.expect("پویش‌های پیش روی شما")
    assert "پویش اول" in mine.text and "پاسخ شما: شرکت می‌کنم" in mine.text
    await member.tap(mine, "📣 پویش اول")
    copy = await member.expect(CALL_QUESTION)
    assert copy.buttons[0][0] == CHOSEN + YES

    outsider, _ = await person(harness, platform, "غریبه")
    await outsider.send("/campaigns")
    refusal = await outsider.next_message()
    assert "عضو هیچ کانونی نیستید" in refusal.text
    query = await outsider.forge_tap(refusal, f"ca:y:{(await campaign_rows(harness))[0].id}")
    assert await outsider.callback_answer(query) == "این پویش برای شما فرستاده نشده است."


async def test_many_campaigns_page_through_the_list(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=1, bale=0)
    async with harness.deps.unit() as session:
        for n in range(7):
            await service.create(session, creator_id=people.leader_row.id, kind="announcement",
                                 body=f"اعلان شماره {n}", now=harness.clock())
    await people.leader.send("/campaigns")
    page = await people.leader.expect("(همه: ۷)")
    assert "۵. 📢" in page.text and "۶." not in page.text
    await people.leader.tap(page, "بعدی ◀️")
    page = await people.leader.wait_edit(page)
    assert "۶. 📢" in page.text and "۷. 📢" in page.text and "۵." not in page.text
    assert [t for t, _ in page.buttons][-3:] == ["▶️ قبلی", "📣 پویش تازه", "📢 اعلان به اعضا"]


async def test_a_whole_date_typed_at_the_hour_step_is_taken(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=0)
    leader = people.leader
    await start_gathering(leader)
    await leader.send("پویش آب")
    await leader.expect("توضیح پویش")
    await leader.send("لوله‌کشی آب.")
    calendar = await leader.expect("زمان پویش را بنویسید")
    await leader.tap(calendar, "۲۰")
    await leader.expect("روز ۲۰ آذر ۱۴۰۵ را انتخاب کردید")
    await leader.send("۲۵:۰۰")
    assert "ساعت درست نیست" in (await leader.next_message()).text
    await leader.send("۱۴۰۵/۹/۲۲ ۱۷:۰۰")  # changed their mind about the day too
    assert "۲۲ آذر ۱۴۰۵، ساعت ۱۷:۰۰" in (await leader.expect("🗓 زمان:")).text
    await leader.expect("مکان پویش")


async def test_a_draft_lost_from_storage_is_said_plainly(harness: Harness, sessions) -> None:  # noqa: ANN001
    import json

    from bot.db.models import UserData

    people = await center_with_members(harness, Platform.TELEGRAM, telegram=1, bale=0)
    leader = people.leader
    await start_gathering(leader)
    await leader.send("پویش آب")
    await leader.expect("توضیح پویش")
    await leader.send("لوله‌کشی آب.")
    await leader.expect("زمان پویش را بنویسید")
    await leader.send("۱۴۰۵/۹/۲۲ ۱۷:۰۰")
    await leader.expect("مکان پویش")
    await leader.tap_keyboard("بدون مکان")
    toggles = await leader.expect("یادآوری")
    await harness.stop()
    async with sessions() as session:
        row = (await session.exec(select(UserData).where(UserData.user_id == leader.user_id))).one()
        data = json.loads(row.data)
        data.pop("campaign_draft")
        row.data = json.dumps(data)
        session.add(row)
        await session.commit()
    await harness.start()
    await leader.tap(toggles, "ادامه ◀️")
    assert "«📣 پویش تازه» را بزنید" in (await leader.expect("پیش‌نویس")).text
    assert await campaign_rows(harness) == []


async def test_a_double_send_tap_makes_one_campaign_and_one_call_each(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=2)
    leader = people.leader
    control = await draft_campaign(leader)
    await leader.tap(control, "📤 ارسال")
    again = await leader.forge_tap(control, "cp:send")  # the same button again, before the first is handled
    await leader.expect("ارسال پویش آغاز شد")
    await sent_out(harness)
    late = await leader.forge_tap(control, "cp:send")  # and once more from the old message, later
    await sent_out(harness)

    assert await leader.callback_answer(again) == str(t("button-stale"))
    assert await leader.callback_answer(late) == str(t("button-stale"))
    assert len(await campaign_rows(harness)) == 1
    rows = await deliveries(harness)
    assert sorted(d.user_id for d in rows) == sorted(people.rows[u.user_id].id for u in people.recipients)
    assert {(d.purpose, d.status) for d in rows} == {("campaign", "sent")}
    for member in people.recipients:
        assert len(calls_received(member)) == 1, member
    assert len([m for m in leader.messages if "ارسال پویش آغاز شد" in m.text]) == 1
    assert len([m for m in leader.messages if "📊 گزارش پویش" in m.text]) == 1


async def test_a_send_delivered_again_after_a_crash_makes_no_second_campaign(
    harness: Harness, platform: Platform, sessions,  # noqa: ANN001
) -> None:
    """The process dies after «ارسال» did its work (committed, sending) but before the
    conversation's next step was stored; at the next start the same tap arrives again while
    the stored step is still the preview, with the same draft."""
    people = await center_with_members(harness, platform, telegram=2, bale=2)
    leader = people.leader
    control = await draft_campaign(leader)
    await harness.settle()
    at_preview = await saved_state(sessions, leader)
    await leader.tap(control, "📤 ارسال")
    await leader.expect("ارسال پویش آغاز شد")
    report = await leader.expect("📊 گزارش پویش")
    await sent_out(harness)
    await harness.stop()
    await put_back(sessions, leader, at_preview)
    await harness.start()

    query = await leader.forge_tap(control, "cp:send")  # the same tap, delivered again
    await leader.callback_answer(query)
    told = await leader.expect("این پویش قبلاً فرستاده شده است")
    assert told.keyboard_buttons  # the main menu: the conversation is over
    await sent_out(harness)
    late = await leader.forge_tap(control, "cp:send")
    assert await leader.callback_answer(late) == str(t("button-stale"))

    (campaign,) = await campaign_rows(harness)
    assert campaign.request_key is not None
    rows = await deliveries(harness)
    assert sorted(d.user_id for d in rows) == sorted(people.rows[u.user_id].id for u in people.recipients)
    assert {(d.purpose, d.status) for d in rows} == {("campaign", "sent")}
    for member in people.recipients:
        assert len(calls_received(member)) == 1, member
    assert len([m for m in leader.messages if "ارسال پویش آغاز شد" in m.text]) == 1
    assert len([m for m in leader.messages if "📊 گزارش پویش" in m.text]) == 1
    assert "رسید: ۵ از ۵ نفر" in report.text


async def test_callback_data_that_does_not_parse_gets_the_stale_answer(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=0)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    member = people.members[0]
    call = await member.expect(CALL_QUESTION)
    campaign_id = (await campaign_rows(harness))[0].id
    hostile = [
        "ca:y:²", f"ca:y:{campaign_id}0000000000000000000000", "ca:q:1", "ca:y:0", "ca:y:-1", "ca:y", "ca:",
        f"ca:y:{campaign_id}:x", "ca:y:٣", "cp:all:x", "cp:all:-1", "cr:o:abc", "cr:xy:0", "cr:r:99999999999999999999",
        "cl:d:99999999", "cp:r:7", "cp:e:nothing", "cr:ty",
    ]
    for data in hostile:
        query = await member.forge_tap(call, data)
        assert await member.callback_answer(query) == str(t("button-stale")), data
    for data in ("cr:x:²", f"cr:t:{campaign_id}0000000000000000000000"):
        query = await people.leader.forge_tap(report, data)
        assert await people.leader.callback_answer(query) == str(t("button-stale")), data
    await harness.settle()
    apology = str(t("error-apology"))
    assert not [m for m in [*member.messages, *people.leader.messages] if apology in m.text]
    query = await member.tap(call, YES)  # the real buttons still work
    assert "پاسخ شما ثبت شد" in await member.callback_answer(query)


async def test_two_sends_of_one_draft_at_once_make_one_announcement(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Had two «ارسال» of one draft raced past the check for what it already made, the
    database's unique key refuses the second, and it gets the same answer as a late one."""
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=1, bale=1)
    first = await actions.send_announcement(harness.deps, people.leader_row, "جلسه‌ی کانون فردا است.", "one-draft")
    await sent_out(harness)
    checks: list[str] = []
    made_with = service.made_with

    async def before_the_first_committed(session, key: str, creator_id: int):  # noqa: ANN001, ANN202
        checks.append(key)
        return None if len(checks) == 1 else await made_with(session, key, creator_id)

    monkeypatch.setattr(service, "made_with", before_the_first_committed)
    second = await actions.send_announcement(harness.deps, people.leader_row, "جلسه‌ی کانون فردا است.", "one-draft")
    assert second.already and second.campaign.id == first.campaign.id and checks == ["one-draft", "one-draft"]
    await sent_out(harness)
    assert len(await campaign_rows(harness)) == 1 and len(await deliveries(harness)) == len(people.recipients)
    for member in people.recipients:
        assert len([m for m in member.messages if "جلسه‌ی کانون فردا است" in m.text]) == 1


async def test_a_title_holding_the_start_phrase_is_the_title(harness: Harness) -> None:
    """«پویش جدید کمک به سیل‌زدگان» at the title step is the title, not a fresh start."""
    people = await center_with_members(harness, Platform.BALE, telegram=0, bale=1)
    leader = people.leader
    await start_gathering(leader)
    await leader.expect("عنوان پویش")
    await leader.send("پویش جدید کمک به سیل‌زدگان")
    await leader.expect("توضیح پویش")
