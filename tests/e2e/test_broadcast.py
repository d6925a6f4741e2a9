"""The delivery machinery end to end: rows before sends, 429 / 403 / 5xx / 400 from the API,
a stop or crash in the middle of a broadcast, a cancel while sends are in flight, and other
users served while a broadcast runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from bot.sending import broadcast, delivery
from bot.db.engine import SessionFactory
from bot.db.models import Campaign, Delivery, User
from bot.platforms import Platform
from bot.services import campaigns as service
from tests.e2e.campaign_helpers import (
    YES,
    Hold,
    calls_received,
    center_with_members,
    create_campaign,
    deliveries,
    person,
    sent_out,
)
from tests.e2e.harness import Harness
from bot.emulator import FakeBotApi

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "ANSWER_REPORT_DELAY", 0.0)
    monkeypatch.setattr(delivery, "BACKOFF", (0.01, 0.02))


def sends_to(api: FakeBotApi, chat_id: int) -> int:
    return len([p for p in api.calls_to("sendMessage") if p.get("chat_id") == chat_id])


async def test_a_stop_in_the_middle_resumes_without_loss_or_duplicates(harness: Harness, sessions: SessionFactory) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=6, bale=6)
    recipients = people.recipients  # 13: more than the 8 sends a broadcast keeps in flight
    hold = Hold(harness.apis, {u.user_id for u in recipients}, pass_first=3)
    report = await create_campaign(people.leader)
    await hold.until_held(broadcast.WORKERS)
    stopping = harness.deps.background.stopping
    stopped = asyncio.create_task(harness.stop())
    await asyncio.wait_for(stopping.wait(), 5)
    hold.release.set()  # the sends in flight complete while the bot stops
    await stopped

    rows = await deliveries(sessions, "campaign")
    assert [r.status for r in rows].count("sent") == 3 + broadcast.WORKERS
    assert [r.status for r in rows].count("pending") == len(recipients) - 3 - broadcast.WORKERS

    await harness.start()  # the armer resumes the pending ones
    await sent_out(harness)
    for user in recipients:
        assert len(calls_received(user)) == 1, user
    assert {r.status for r in await deliveries(harness, "campaign")} == {"sent"}
    assert "رسید: ۱۳ از ۱۳ نفر" in report.text and "ارسال به پایان رسید" in report.text


async def test_rows_left_pending_by_a_crash_are_sent_at_start_and_sent_ones_never_again(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.BALE, telegram=2, bale=2)
    async with harness.sessions() as session:  # as if the process died right after «ارسال»
        created = await service.create(
            session, creator_id=people.leader_row.id, kind="campaign", title="پویش آب", body="لوله‌کشی آب روستا.",
            starts_at=harness.clock() + timedelta(days=3), now=harness.clock(), offsets=[],
        )
        already = [people.rows[m.user_id].id for m in people.members[:2]]
        await session.exec(update(Delivery).where(Delivery.user_id.in_(already)).values(status="sent"))
        in_flight = people.rows[people.members[2].user_id].id  # claimed, the process died mid-send
        await session.exec(update(Delivery).where(Delivery.user_id == in_flight).values(status="sending"))
        await session.commit()
    await harness.restart()
    await sent_out(harness)
    for member in people.members[:2]:
        assert calls_received(member) == []  # marked sent before the crash: never sent twice
    for user in [*people.members[2:], people.assistant]:  # the one claimed too: a lost call is worse
        assert len(calls_received(user)) == 1
    async with harness.sessions() as session:
        campaign = await session.get(Campaign, created.campaign.id)
    assert campaign.status == "sent" and campaign.report_message_id is not None
    report = await people.leader.expect("📊 گزارش پویش")  # the report is posted when there was none
    assert "رسید: ۵ از ۵ نفر" in report.text


async def test_429_waits_retry_after_and_403_marks_the_member_unreachable(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=2)
    api = harness.apis[platform]
    other = harness.apis[Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM]
    slowed = next(m for m in people.members if m.api is api)
    blocked = next(m for m in people.members if m.api is other)
    api.fail_next("sendMessage", status=429, retry_after=0.05, chat_id=slowed.user_id)  # 50 ms, not a real second
    other.block(blocked.user_id)
    never_started, row = await person(harness, platform, "بی‌خبر", started=False)
    from tests.factories import add_member

    await add_member(harness.sessions, people.center, row)
    report = await create_campaign(people.leader)
    await sent_out(harness)

    assert len(calls_received(slowed)) == 1
    assert sends_to(api, slowed.user_id) == 2  # refused once with 429, then sent
    assert [e.code for m, p, e in api.errors if p.get("chat_id") == slowed.user_id] == [429]
    limiter = harness.kanoon.applications[platform].bot.rate_limiter
    assert limiter.retry_afters == 1
    assert sends_to(other, blocked.user_id) == 1 and calls_received(blocked) == []  # 403: not retried
    by_user = {d.user_id: d for d in await deliveries(harness, "campaign")}
    assert by_user[people.rows[slowed.user_id].id].status == "sent"
    assert by_user[people.rows[slowed.user_id].id].attempts == 1  # the limiter's retry is inside one attempt
    assert by_user[people.rows[blocked.user_id].id].status == "unreachable"
    assert by_user[row.id].status == "unreachable"
    async with harness.sessions() as session:
        blocked_row = await session.get(User, people.rows[blocked.user_id].id)
    assert blocked_row.blocked_at is not None
    assert "ربات را بسته‌اند و پیام به آن‌ها نمی‌رسد: ۲" in report.text and "رسید: ۴ از ۶ نفر" in report.text


async def test_other_errors_are_retried_a_few_times_and_bad_requests_are_not(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=3, bale=3)
    api = harness.apis[platform]
    flaky, broken, refused = [m for m in people.recipients if m.api is api][:3]
    api.fail_next("sendMessage", status=500, count=2, chat_id=flaky.user_id)
    api.fail_next("sendMessage", status=502, count=3, chat_id=broken.user_id)
    api.fail_next("sendMessage", status=400, description="Bad Request: message is too long", chat_id=refused.user_id)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    by_user = {d.user_id: d for d in await deliveries(harness, "campaign")}
    assert len(calls_received(flaky)) == 1 and by_user[people.rows[flaky.user_id].id].attempts == 3
    assert calls_received(broken) == [] and by_user[people.rows[broken.user_id].id].status == "failed"
    assert sends_to(api, broken.user_id) == delivery.ATTEMPTS
    assert sends_to(api, refused.user_id) == 1 and by_user[people.rows[refused.user_id].id].status == "failed"
    assert "نرسید، دوباره تلاش می‌شود: ۲" in report.text and "رسید: ۵ از ۷ نفر" in report.text


async def test_a_cancel_while_sends_are_in_flight(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=6, bale=6)
    hold = Hold(harness.apis, {u.user_id for u in people.recipients}, pass_first=3)
    report = await create_campaign(people.leader)
    await hold.until_held(broadcast.WORKERS)
    await people.leader.tap(report, "❌ لغو پویش")
    confirm = await people.leader.expect("لغو شود؟")
    assert "به ۳ نفری" in confirm.text
    await people.leader.tap(confirm, "✅ بله، لغو شود")
    await people.leader.wait_edit(confirm)
    hold.release.set()
    await sent_out(harness)

    got_call = [u for u in people.recipients if calls_received(u)]
    assert len(got_call) == 3 + broadcast.WORKERS
    for user in people.recipients:  # whoever got the call hears it is off; nobody else hears anything
        notices = [m for m in user.messages if "لغو شد" in m.text]
        assert len(notices) == (1 if user in got_call else 0), user
        assert len(calls_received(user)) <= 1
    statuses = [d.status for d in await deliveries(harness, "campaign")]
    assert statuses.count("skipped") == len(people.recipients) - len(got_call)
    assert "فرستاده نشد (پویش لغو شد یا زمانش گذشت): ۲" in report.text


async def test_other_users_are_answered_while_a_broadcast_runs(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=40, bale=20)
    hold = Hold(harness.apis, {u.user_id for u in people.recipients}, pass_first=3)
    await create_campaign(people.leader)
    await hold.until_held(broadcast.WORKERS)  # the broadcast is mid-way: 3 sent, 8 in flight, 50 waiting
    visitor = harness.user(Platform.TELEGRAM, first_name="مهمان")
    await visitor.send("/start")
    await visitor.expect("خوش آمدید")
    statuses = [d.status for d in await deliveries(harness, "campaign")]
    assert statuses.count("sent") == 3  # answered before the rest of the broadcast went
    hold.release.set()
    await sent_out(harness)
    assert all(len(calls_received(u)) == 1 for u in people.recipients)


async def test_the_report_is_edited_as_the_broadcast_proceeds(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "REPORT_EVERY", 3600.0)  # no edit by the clock: by progress only
    monkeypatch.setattr(broadcast, "REPORT_EVERY_SENDS", 3)
    people = await center_with_members(harness, Platform.BALE, telegram=6, bale=6)
    hold = Hold(harness.apis, {u.user_id for u in people.recipients}, pass_first=3)
    report = await create_campaign(people.leader)
    assert "رسید: ۰ از ۱۳ نفر" in report.text
    await hold.until_held(broadcast.WORKERS)
    while "رسید: ۳ از ۱۳ نفر" not in report.text:  # three settled, eight in flight, two waiting
        report = await people.leader.wait_edit(report)
    assert "هنوز فرستاده نشده: ۱۰" in report.text and "در حال ارسال" in report.text
    hold.release.set()
    await sent_out(harness)
    assert "رسید: ۱۳ از ۱۳ نفر" in report.text and "هنوز فرستاده نشده" not in report.text
    assert "ارسال به پایان رسید" in report.text


async def test_an_answer_that_comes_while_the_report_is_being_edited_is_not_lost(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=2, bale=1)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    first, second = people.members[:2]
    hold = Hold(harness.apis, {people.leader.user_id}, method="editMessageText")
    await first.tap(calls_received(first)[0], YES)
    await hold.until_held(1)  # the report edit for the first answer is on its way
    await second.tap(calls_received(second)[0], YES)
    await harness.settle()
    hold.release.set()
    await sent_out(harness)
    assert "شرکت می‌کنند: ۲" in report.text and "هنوز پاسخ نداده‌اند: ۲" in report.text


def late_stop(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """The signal that stops a batch's senders after a cancel or a move comes from another task;
    hold it back until the returned event is set, as a busy event loop might."""
    arrives = asyncio.Event()
    stop_one = harness.deps.background.stop_one

    async def late(key: str, timeout: float = 10.0) -> None:
        await arrives.wait()
        await stop_one(key, timeout)

    monkeypatch.setattr(harness.deps.background, "stop_one", late)
    return arrives


async def test_nothing_goes_out_after_a_cancel_even_before_the_senders_hear_of_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=6, bale=6)
    hold = Hold(harness.apis, {u.user_id for u in people.recipients}, pass_first=3)
    report = await create_campaign(people.leader)
    await hold.until_held(broadcast.WORKERS)
    stop_arrives = late_stop(harness, monkeypatch)
    await people.leader.tap(report, "❌ لغو پویش")
    confirm = await people.leader.expect("لغو شود؟")
    await people.leader.tap(confirm, "✅ بله، لغو شود")
    await people.leader.wait_edit(confirm)  # the cancel is committed
    skipped = {d.user_id for d in await deliveries(harness, "campaign") if d.status == "skipped"}
    hold.release.set()  # the sends in flight end, and the senders are free before the stop reaches them
    campaign_id = (await deliveries(harness, "campaign"))[0].ref_id
    await harness.deps.background.join(broadcast.key("campaign", campaign_id), timeout=10)
    stop_arrives.set()
    await sent_out(harness)

    by_user = {d.user_id: d for d in await deliveries(harness, "campaign")}
    for user in people.recipients:
        row = by_user[people.rows[user.user_id].id]
        if row.user_id in skipped:
            assert row.status == "skipped" and calls_received(user) == [], user
            assert not [m for m in user.messages if "لغو شد" in m.text]
        else:  # sent before the cancel, or in flight at that moment: the call and the notice
            assert row.status == "sent" and len(calls_received(user)) == 1, user
            assert len([m for m in user.messages if "لغو شد" in m.text]) == 1, user
    assert len(skipped) == len(people.recipients) - 3 - broadcast.WORKERS  # the two nobody had taken yet


async def test_calls_sent_after_a_move_carry_the_new_time_even_before_the_senders_hear_of_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = await center_with_members(harness, Platform.BALE, telegram=6, bale=6)
    hold = Hold(harness.apis, {u.user_id for u in people.recipients}, pass_first=3)
    report = await create_campaign(people.leader)
    await hold.until_held(broadcast.WORKERS)
    stop_arrives = late_stop(harness, monkeypatch)
    leader = people.leader
    await leader.tap(report, "⏰ تغییر زمان")
    await leader.expect("زمان تازه را بنویسید")
    await leader.send("۱۴۰۵/۹/۲۰ ۱۹:۰۰")
    await leader.tap(await leader.expect("تغییر کند؟"), "✅ تأیید")
    await leader.expect("زمان پویش تغییر کرد")
    hold.release.set()
    campaign_id = (await deliveries(harness, "campaign"))[0].ref_id
    await harness.deps.background.join(broadcast.key("campaign", campaign_id), timeout=10)
    stop_arrives.set()
    await sent_out(harness)

    old_time, new_time = "۱۵ آذر ۱۴۰۵", "۲۰ آذر ۱۴۰۵"
    told_old = [u for u in people.recipients if old_time in calls_received(u)[0].text]
    assert len(told_old) == 3 + broadcast.WORKERS  # sent before the move, or in flight at that moment
    for user in people.recipients:
        assert len(calls_received(user)) == 1, user
        call = calls_received(user)[0]
        moved = [m for m in user.messages if "تغییر کرد" in m.text]
        if user in told_old:
            assert len(moved) == 1 and new_time in moved[0].text, user
        else:  # taken after the move: the new time in the call itself
            assert new_time in call.text and old_time not in call.text, user
    assert {d.status for d in await deliveries(harness, "campaign")} == {"sent"}


async def test_a_busy_database_mid_broadcast_is_waited_out_and_no_one_is_called_twice(
    harness: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seen in the bench (bench/RESULTS.md, 200 newcomers mid-broadcast): SQLite's lock wait ran
    # out on one row's outcome and the whole batch stopped until the sweep.
    monkeypatch.setattr(broadcast, "DB_RETRY_PAUSES", (0.0, 0.0))
    record, claim, failures = broadcast.bookkeeping.record, broadcast.bookkeeping.claim, []

    async def busy_once(kind: str, real: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any) -> Any:
        if kind not in failures:
            failures.append(kind)
            raise OperationalError("UPDATE deliveries …", {}, Exception("database is locked"))
        return await real(*args, **kwargs)

    monkeypatch.setattr(broadcast.bookkeeping, "record", lambda *a, **k: busy_once("record", record, *a, **k))
    monkeypatch.setattr(broadcast.bookkeeping, "claim", lambda *a, **k: busy_once("claim", claim, *a, **k))
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=3, bale=2)
    report = await create_campaign(people.leader)
    await sent_out(harness)

    assert failures == ["claim", "record"]
    for user in people.recipients:
        assert len(calls_received(user)) == 1, user
    assert {r.status for r in await deliveries(harness, "campaign")} == {"sent"}
    assert "ارسال به پایان رسید" in report.text
