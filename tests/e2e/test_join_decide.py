"""The assistant's ✅/❌ on join requests, /requests, approve-all and the reminders, over HTTP."""

from __future__ import annotations

import pytest

from bot.db.models import Center, Membership
from bot.jobs.join_reminders import check_waiting_requests
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import (
    APPROVE,
    REJECT,
    ask_by_link,
    center,
    deliveries,
    memberships_of,
    person,
    set_row,
)

pytestmark = pytest.mark.e2e


async def test_approve_welcomes_the_member_and_shows_who_decided_when(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    harness.clock.advance(hours=3)
    query = await staffed.assistant.fake.tap(request, APPROVE)
    assert await staffed.assistant.fake.callback_answer(query) == "✅ تأیید شد."
    welcome = await member.fake.expect("خوش آمدید")
    assert "کانون صاحب‌الزمان" in welcome.text and "کانون من" in welcome.text and "پویش" in welcome.text
    decided = await staffed.assistant.fake.wait_edit(request)
    assert "✅ تأیید شد؛ زهرا قادری، ۸ آذر ۱۴۰۵، ساعت ۱۴:۳۰" in decided.text
    assert "مریم احمدی" in decided.text and decided.buttons == []
    [row] = await memberships_of(harness, member)
    assert (row.status, row.decided_by) == ("active", staffed.assistant.id)
    # The member's /mycenter now shows their center.
    await member.fake.send("/mycenter")
    card = await member.fake.next_message()
    assert "کانون صاحب‌الزمان" in card.text and "عضو این کانون هستید" in card.text


@pytest.mark.parametrize("reason", ["unknown", "notours", "info", "none", "other"])
async def test_reject_with_each_kind_of_reason(harness: Harness, platform: Platform, reason: str) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    assistant = staffed.assistant.fake
    await assistant.tap(request, REJECT)
    asking = await assistant.wait_edit(request)
    assert "دلیل رد" in asking.text and "مریم احمدی" in asking.text
    labels = {"unknown": "این فرد را نمی‌شناسیم", "notours": "از اعضای این جمع نیست",
              "info": "نام یا شماره درست نیست", "none": "رد بدون دلیل"}
    if reason == "other":
        await assistant.tap(asking, "✏️ دلیل دیگر")
        assert "کوتاه بنویسید" in (await assistant.next_message()).text
        await assistant.send("x" * 201)
        assert "۲۰۰" in (await assistant.next_message()).text  # the limit, and still asking
        await assistant.send("لطفاً اول با راهبر کانون حضوری صحبت کنید.")
        assert "رد شد" in (await assistant.next_message()).text
        shown = "لطفاً اول با راهبر کانون حضوری صحبت کنید."
    else:
        # «بازگشت» first: the approve/reject buttons come back, nothing decided.
        await assistant.tap(asking, "بازگشت")
        back = await assistant.wait_edit(request)
        assert [b for b, _ in back.buttons] == [APPROVE, REJECT]
        await assistant.tap(back, REJECT)
        asking = await assistant.wait_edit(request)
        query = await assistant.tap(asking, labels[reason])
        assert await assistant.callback_answer(query) == "❌ رد شد."
        shown = labels.get(reason) if reason != "none" else None
    told = await member.fake.expect("نپذیرفت")
    assert "۹ آذر ۱۴۰۵، ساعت ۱۱:۳۰" in told.text  # may ask again a day later
    decided = await assistant.wait_edit(request)
    assert "❌ رد شد؛ زهرا قادری" in decided.text
    if shown:
        assert f"دلیل: {shown}" in told.text and f"دلیل: {shown}" in decided.text
    else:
        assert "دلیل:" not in told.text and "بدون ذکر دلیل" in decided.text
    [row] = await memberships_of(harness, member)
    assert (row.status, row.reject_reason) == ("rejected", None if reason == "none" else reason)


async def test_a_rejected_member_may_ask_again_after_a_day(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    await staffed.assistant.fake.tap(request, REJECT)
    asking = await staffed.assistant.fake.wait_edit(request)
    await staffed.assistant.fake.tap(asking, "رد بدون دلیل")
    await member.fake.expect("نپذیرفت")
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, "📨 ارسال درخواست عضویت")
    assert "از ۹ آذر ۱۴۰۵، ساعت ۱۱:۳۰ دوباره درخواست بدهید" in (await member.fake.next_message()).text
    harness.clock.advance(hours=24)
    await member.fake.tap(card, "📨 ارسال درخواست عضویت")
    await member.fake.expect("ثبت شد")
    assert [m.status for m in await memberships_of(harness, member)] == ["rejected", "pending"]


async def test_a_double_tap_gives_one_decision_and_one_message(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    before = len(member.fake.messages)
    first = await staffed.assistant.fake.tap(request, APPROVE)
    second = await staffed.assistant.fake.tap(request, APPROVE)  # pushed before the bot saw the first
    await harness.settle()
    answers = {await staffed.assistant.fake.callback_answer(q) for q in (first, second)}
    assert answers == {"✅ تأیید شد.", "این درخواست قبلاً بررسی شده است و تغییری نکرد."}
    assert len(member.fake.messages) == before + 1 and "خوش آمدید" in member.fake.messages[-1].text
    assert len(await deliveries(harness, "join_decision")) == 1


async def test_two_simultaneous_opposite_taps_give_exactly_one_decision(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    assistant = staffed.assistant.fake
    await assistant.tap(request, REJECT)
    asking = await assistant.wait_edit(request)
    before = len(member.fake.messages)
    membership_id = (await memberships_of(harness, member))[0].id
    # One device rejects, the other (still showing the old buttons) approves, at the same moment.
    reject = await assistant.tap(asking, "این فرد را نمی‌شناسیم")
    approve = await assistant.forge_tap(asking, f"rq:a:{membership_id}")
    await harness.settle()
    assert await assistant.callback_answer(reject) == "❌ رد شد."
    assert await assistant.callback_answer(approve) == "این درخواست قبلاً بررسی شده است و تغییری نکرد."
    assert len(member.fake.messages) == before + 1 and "نپذیرفت" in member.fake.messages[-1].text
    assert (await memberships_of(harness, member))[0].status == "rejected"


async def test_a_tap_on_an_old_copy_changes_nothing_and_updates_it(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    assistant = staffed.assistant.fake
    await assistant.send("/requests")
    await assistant.expect("۱ درخواست عضویت منتظر بررسی شماست")
    copy = await assistant.next_message()
    assert "مریم احمدی" in copy.text and copy.has_button(APPROVE)
    await assistant.tap(copy, APPROVE)
    await member.fake.expect("خوش آمدید")
    before = len(member.fake.messages)
    query = await assistant.tap(request, REJECT)  # the first message, still with its buttons
    assert await assistant.callback_answer(query) == "این درخواست قبلاً بررسی شده است و تغییری نکرد."
    refreshed = await assistant.wait_edit(request)
    assert "تأیید شد" in refreshed.text and refreshed.buttons == []
    await harness.settle()
    assert len(member.fake.messages) == before
    assert (await memberships_of(harness, member))[0].status == "active"


@pytest.mark.parametrize("who", ["stranger", "leader", "replaced assistant"])
async def test_a_tap_by_anyone_but_the_current_assistant_changes_nothing(
    harness: Harness, platform: Platform, who: str,
) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    membership_id = (await memberships_of(harness, member))[0].id
    if who == "stranger":
        tapper = (await person(harness, platform, "غریبه", first_name="غریبه")).fake
        expected = "فقط همیار فعلی این کانون می‌تواند این درخواست را بررسی کند."
    elif who == "leader":
        tapper = staffed.leader.fake
        expected = "بررسی درخواست‌های عضویت با همیار کانون است، نه راهبر."
    else:
        replacement = await person(harness, platform, "همیار تازه", "09173333333", first_name="تازه")
        await set_row(harness, Center, staffed.center.id, assistant_id=replacement.id)
        tapper = staffed.assistant.fake
        expected = "فقط همیار فعلی این کانون می‌تواند این درخواست را بررسی کند."
    for data in (f"rq:a:{membership_id}", f"rq:r:{membership_id}", f"rq:x:{membership_id}:none",
                 f"rq:o:{membership_id}"):
        query = await tapper.forge_tap(request, data)
        assert await tapper.callback_answer(query) == expected, data
    await harness.settle()
    assert request.edits == [] and (await memberships_of(harness, member))[0].status == "pending"
    assert [m.text for m in member.fake.messages if "خوش آمدید" in m.text or "نپذیرفت" in m.text] == []
    if who == "replaced assistant":  # the new assistant finds it in /requests and decides
        await replacement.fake.send("/requests")
        await replacement.fake.expect("۱ درخواست")
        copy = await replacement.fake.next_message()
        await replacement.fake.tap(copy, APPROVE)
        await member.fake.expect("خوش آمدید")


async def test_the_leader_sees_waiting_requests_but_cannot_decide(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await ask_by_link(harness, member, staffed)
    await staffed.leader.fake.send("/requests")
    listed = await staffed.leader.fake.next_message()
    assert "منتظر بررسی همیار کانون (زهرا قادری)" in listed.text and "مریم احمدی" in listed.text
    assert "۰۹۱۲۱۲۳۴۵۶۷" in listed.text and listed.buttons == []  # the leader may see mobiles
    # The center card's «درخواست‌ها» button (rq:list) gives the same.
    query = await staffed.leader.fake.forge_tap(listed, "rq:list")
    await staffed.leader.fake.callback_answer(query)
    assert "مریم احمدی" in (await staffed.leader.fake.next_message()).text
    outsider = await person(harness, platform, "غریبه", first_name="غریبه")
    await outsider.fake.send("/requests")
    assert "برای راهبر و همیار" in (await outsider.fake.next_message()).text


async def test_requests_list_and_approve_all_with_confirmation(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    members = [await person(harness, platform, f"عضو شماره {n}", f"0912000000{n}") for n in range(1, 4)]
    for member in members:
        await ask_by_link(harness, member, staffed)
    assistant = staffed.assistant.fake
    await assistant.send("/requests")
    await assistant.expect("۳ درخواست عضویت منتظر بررسی شماست")
    copies = [await assistant.next_message() for _ in members]
    assert all(c.has_button(APPROVE) for c in copies)
    summary = await assistant.next_message()
    await assistant.tap(summary, "✅ تأیید همه (۳)")
    confirm = await assistant.wait_edit(summary)
    assert "همه‌ی ۳ درخواست" in confirm.text
    await assistant.tap(confirm, "خیر، بازگشت")
    assert "چیزی تغییر نکرد" in (await assistant.wait_edit(summary)).text
    for who in members:
        assert [m.status for m in await memberships_of(harness, who)] == ["pending"]

    # A request that arrives after the list was shown is not approved by its «تأیید همه».
    late = await person(harness, platform, "دیرآمده", "09120000009")
    await assistant.send("/requests")
    await assistant.expect("۳ درخواست عضویت")
    for _ in members:
        await assistant.next_message()
    summary = await assistant.next_message()
    harness.clock.advance(seconds=5)
    await ask_by_link(harness, late, staffed)
    await assistant.tap(summary, "✅ تأیید همه (۳)")
    confirm = await assistant.wait_edit(summary)
    await assistant.tap(confirm, "بله، همه را تأیید کن")
    assert "۳ درخواست تأیید شد" in (await assistant.wait_edit(summary)).text
    for member in members:
        await member.fake.expect("خوش آمدید")
        assert (await memberships_of(harness, member))[0].status == "active"
    assert (await memberships_of(harness, late))[0].status == "pending"
    query = await assistant.tap(copies[0], APPROVE)
    assert "قبلاً" in await assistant.callback_answer(query)


async def test_a_member_on_telegram_joins_a_center_whose_assistant_is_on_bale(harness: Harness) -> None:
    staffed = await center(harness, Platform.TELEGRAM, assistant_platform=Platform.BALE)
    member = await person(harness, Platform.TELEGRAM)
    request = await ask_by_link(harness, member, staffed)
    assert request.parse_mode is None and "<b>" not in request.text  # Bale: plain text
    assert "درخواست عضویت در «کانون صاحب‌الزمان»" in request.text
    await staffed.assistant.fake.tap(request, APPROVE)
    welcome = await member.fake.expect("خوش آمدید")
    assert welcome.parse_mode == "HTML"
    assert "تأیید شد" in (await staffed.assistant.fake.wait_edit(request)).text
    assert harness.apis[Platform.BALE].calls_to("editMessageText")
    assert not harness.apis[Platform.TELEGRAM].calls_to("editMessageText")


async def test_a_member_who_blocked_the_bot_still_gets_the_decision_recorded(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    harness.apis[platform].block(member.fake.user_id)
    await staffed.assistant.fake.tap(request, APPROVE)
    decided = await staffed.assistant.fake.wait_edit(request)
    assert "تأیید شد" in decided.text and "پیام به متقاضی نرسید" in decided.text
    assert (await memberships_of(harness, member))[0].status == "active"
    [notice] = await deliveries(harness, "join_decision")
    assert (notice.status, notice.attempts) == ("unreachable", 1)
    sends = len(harness.apis[platform].calls_to("sendMessage"))
    harness.clock.advance(days=8)
    await check_waiting_requests(harness.deps)  # nothing retries the notice
    await harness.settle()
    assert len(harness.apis[platform].calls_to("sendMessage")) == sends


async def test_an_unreachable_assistant_means_the_leader_is_told(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    harness.apis[platform].block(staffed.assistant.fake.user_id)
    member = await person(harness, platform)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, "📨 ارسال درخواست عضویت")
    await member.fake.expect("ثبت شد")
    told = await staffed.leader.fake.next_message()
    assert "پیام به همیار (زهرا قادری) نرسید" in told.text and "مریم احمدی" in told.text
    assert [d.status for d in await deliveries(harness, "join_request")] == ["unreachable"]


async def test_reminders_of_waiting_requests(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await ask_by_link(harness, member, staffed)
    assistant, leader = staffed.assistant.fake, staffed.leader.fake
    base_assistant, base_leader = len(assistant.messages), len(leader.messages)

    harness.clock.advance(hours=47)
    await check_waiting_requests(harness.deps)
    await harness.settle()
    assert len(assistant.messages) == base_assistant

    harness.clock.advance(hours=2)  # 49 hours
    await check_waiting_requests(harness.deps)
    reminder = await assistant.next_message()
    assert "۱ درخواست عضویت" in reminder.text and "بیش از دو روز" in reminder.text
    await check_waiting_requests(harness.deps)  # the next hourly run: not again today
    harness.clock.advance(hours=23)
    await check_waiting_requests(harness.deps)
    await harness.settle()
    assert len(assistant.messages) == base_assistant + 1
    harness.clock.advance(hours=1, minutes=1)  # a day after the first reminder
    await check_waiting_requests(harness.deps)
    assert "بیش از دو روز" in (await assistant.next_message()).text
    assert len(leader.messages) == base_leader

    harness.clock.advance(days=5)  # over 7 days: the leader hears, once
    await check_waiting_requests(harness.deps)
    alert = await leader.next_message()
    assert "بیش از یک هفته" in alert.text and "زهرا قادری" in alert.text
    harness.clock.advance(days=1)
    await check_waiting_requests(harness.deps)
    await harness.settle()
    assert len(leader.messages) == base_leader + 1

    # The reminder's button opens the list, where the request can be approved.
    await assistant.tap(reminder, "📥 دیدن درخواست‌ها")
    await assistant.expect("۱ درخواست عضویت منتظر بررسی شماست")
    copy = await assistant.next_message()
    await assistant.tap(copy, APPROVE)
    await member.fake.expect("خوش آمدید")
    harness.clock.advance(days=3)
    before = len(assistant.messages)
    await check_waiting_requests(harness.deps)
    await harness.settle()
    assert len(assistant.messages) == before


async def test_a_decision_survives_a_restart_of_the_bot(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    await staffed.assistant.fake.tap(request, REJECT)
    asking = await staffed.assistant.fake.wait_edit(request)
    await staffed.assistant.fake.tap(asking, "✏️ دلیل دیگر")
    await staffed.assistant.fake.next_message()
    await harness.settle()
    await harness.restart()
    await staffed.assistant.fake.send("شما را در جلسه‌ی کانون ندیده‌ایم.")
    assert "رد شد" in (await staffed.assistant.fake.next_message()).text
    assert "شما را در جلسه‌ی کانون ندیده‌ایم." in (await member.fake.expect("نپذیرفت")).text
    assert "رد شد" in (await staffed.assistant.fake.wait_edit(request)).text
    async with harness.sessions() as session:
        row = await session.get(Membership, (await memberships_of(harness, member))[0].id)
    assert (row.reject_reason, row.reject_note) == ("other", "شما را در جلسه‌ی کانون ندیده‌ایم.")


async def test_deciding_another_request_while_writing_a_reason(harness: Harness, platform: Platform) -> None:
    """One-tap decisions work in the middle of a conversation, which then carries on."""
    staffed = await center(harness, platform)
    first = await person(harness, platform, full_name="مریم احمدی", mobile="09121234567")
    second = await person(harness, platform, full_name="رضا کریمی", mobile="09351234567", first_name="رضا")
    request_a = await ask_by_link(harness, first, staffed)
    request_b = await ask_by_link(harness, second, staffed)
    assistant = staffed.assistant.fake
    await assistant.tap(request_a, REJECT)
    await assistant.tap(await assistant.wait_edit(request_a), "✏️ دلیل دیگر")
    assert "کوتاه بنویسید" in (await assistant.next_message()).text
    query = await assistant.tap(request_b, APPROVE)  # mid-conversation
    assert await assistant.callback_answer(query) == "✅ تأیید شد."
    await second.fake.expect("خوش آمدید")
    await assistant.send("شما را نمی‌شناسیم.")
    assert "رد شد" in (await assistant.next_message()).text
    await first.fake.expect("نپذیرفت")
    assert [m.status for m in await memberships_of(harness, first)] == ["rejected"]
    assert [m.status for m in await memberships_of(harness, second)] == ["active"]


async def test_a_replayed_approve_tap_says_already_decided_and_tells_the_member_once(
    harness: Harness, platform: Platform,
) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    membership_id = (await memberships_of(harness, member))[0].id
    assistant = staffed.assistant.fake
    first = await assistant.tap(request, APPROVE)
    assert await assistant.callback_answer(first) == "✅ تأیید شد."
    await member.fake.expect("خوش آمدید")
    await assistant.wait_edit(request)
    replayed = await assistant.forge_tap(request, f"rq:a:{membership_id}")  # the same update again
    assert await assistant.callback_answer(replayed) == "این درخواست قبلاً بررسی شده است و تغییری نکرد."
    await harness.settle()
    assert len([m for m in member.fake.messages if "خوش آمدید" in m.text]) == 1
    assert len(await deliveries(harness, "join_decision")) == 1
    assert (await memberships_of(harness, member))[0].status == "active"


async def test_buttons_with_broken_data_are_answered_as_stale(harness: Harness, platform: Platform) -> None:
    """Data a modified client could send: digits Python calls digits (²), ids past BIGINT, a list
    time past the year 2100, unknown words. Each gets the stale-button answer, nothing more."""
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    assistant = staffed.assistant.fake
    before = len(assistant.messages)
    for data in ("rq:a:²", "rq:a:" + "9" * 20, "rq:r:12345678901234567890", "rq:x:1:rude", "rq:o:²",
                 "rq:ally:99999999999999999", "rq:all:-1", "rq:list:1", "ml:rm:²:0", "ml:lvy:" + "9" * 20,
                 "ml:pg:99999999", "ml:csv:1", "jn:s:²:s", "jn:c:1:x", "jn:p:abc"):
        query = await assistant.forge_tap(request, data)
        assert await assistant.callback_answer(query) == "این دکمه دیگر معتبر نیست.", data
    await harness.settle()
    assert len(assistant.messages) == before and request.edits == []  # no apology, no change
    assert (await memberships_of(harness, member))[0].status == "pending"
