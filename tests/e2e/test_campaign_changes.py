"""After the call: cancelling, moving the time, reminders (on time, muted, declined, overdue
after a restart inside and outside the grace window) — end to end, time moved by the clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.jobs import reminders
from bot.sending import broadcast
from bot.platforms import Platform
from bot.services.campaigns import as_utc
from tests.e2e.campaign_helpers import (
    CALL_QUESTION,
    CHOSEN,
    NO,
    Hold,
    YES,
    calls_received,
    center_with_members,
    create_campaign,
    deliveries,
    reminder_rows,
    sent_out,
)
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

REMINDER = "⏰ یادآوری پویش"


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "ANSWER_REPORT_DELAY", 0.0)


def reminders_of(user) -> list:  # noqa: ANN001
    return [m for m in user.messages if REMINDER in m.text]


async def test_the_leader_cancels_and_members_who_were_told_hear_of_it(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=1)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    member = people.members[0]
    call = await member.expect(CALL_QUESTION)
    await member.tap(call, YES)
    await sent_out(harness)

    await people.leader.tap(report, "❌ لغو پویش")
    confirm = await people.leader.expect("لغو شود؟")
    assert "به ۴ نفری که پیام پویش را گرفته‌اند" in confirm.text
    await people.leader.tap(confirm, "بازگشت")
    assert "لغو نشد" in (await people.leader.wait_edit(confirm)).text
    await people.leader.tap(report, "❌ لغو پویش")
    confirm = await people.leader.expect("لغو شود؟")
    await people.leader.tap(confirm, "✅ بله، لغو شود")
    done = await people.leader.wait_edit(confirm)
    assert "لغو شد" in done.text and "۴ نفر" in done.text
    await sent_out(harness)

    for recipient in people.recipients:
        notices = [m for m in recipient.messages if "لغو شد" in m.text]
        assert len(notices) == 1 and "۱۵ آذر ۱۴۰۵" in notices[0].text
    assert {r.status for r in await reminder_rows(harness)} == {"cancelled"}
    assert harness.deps.scheduler.aps.get_jobs() == [j for j in harness.deps.scheduler.aps.get_jobs()
                                                     if not j.id.startswith("reminder-")]
    assert "❌ این پویش لغو شده است." in report.text  # the report was refreshed
    assert [text for text, _ in report.buttons] == ["🔄 به‌روزرسانی", "👥 چه کسانی می‌آیند؟"]

    # Old buttons: an answer, a second cancel.
    query = await member.tap(call, NO)
    assert await member.callback_answer(query) == "این پویش لغو شده است."
    query = await people.leader.forge_tap(report, report.buttons[0][1].replace("cr:r:", "cr:xy:"))
    assert await people.leader.callback_answer(query) == "این پویش لغو شده است."
    await sent_out(harness)
    assert len(await deliveries(harness, "campaign_cancel")) == 4  # told once each


async def test_moving_the_time_tells_members_and_replans_reminders(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=1, bale=2)
    report = await create_campaign(people.leader)
    await sent_out(harness)
    declined = people.members[1]
    call = await declined.expect(CALL_QUESTION)
    await declined.tap(call, NO)
    await sent_out(harness)
    before = await reminder_rows(harness)
    assert [r.offset_minutes for r in before] == [1440, 120, 0]

    await people.leader.tap(report, "⏰ تغییر زمان")
    await people.leader.expect("تغییر زمان پویش")
    await people.leader.expect("زمان تازه را بنویسید")
    await people.leader.send("۱۴۰۵/۹/۳ ۱۸:۰۰")
    assert "گذشته است" in (await people.leader.next_message()).text
    await people.leader.send("۱۴۰۵/۹/۱۵ ۱۸:۳۰")  # the same time
    await people.leader.expect("🗓 زمان:")
    assert "با زمان کنونی یکی است" in (await people.leader.next_message()).text
    await people.leader.send("۱۴۰۵/۹/۲۰ ۱۹:۰۰")
    confirm = await people.leader.expect("تغییر کند؟")
    assert "از: یکشنبه ۱۵ آذر ۱۴۰۵، ساعت ۱۸:۳۰" in confirm.text and "به: جمعه ۲۰ آذر ۱۴۰۵، ساعت ۱۹:۰۰" in confirm.text
    await people.leader.tap(confirm, "✅ تأیید")
    await people.leader.expect("زمان پویش تغییر کرد")
    await sent_out(harness)

    for recipient in people.recipients:
        moved = [m for m in recipient.messages if "تغییر کرد" in m.text]
        assert len(moved) == 1, recipient
        assert "زمان تازه: جمعه ۲۰ آذر ۱۴۰۵، ساعت ۱۹:۰۰" in moved[0].text
    moved_buttons = [m for m in declined.messages if "تغییر کرد" in m.text][0].buttons
    assert [text for text, _ in moved_buttons] == [YES, CHOSEN + NO]  # their answer, changeable
    after = await reminder_rows(harness)
    old, new = after[:3], after[3:]
    assert {r.status for r in old} == {"cancelled"} and {r.status for r in new} == {"pending"}
    start = datetime(2026, 12, 11, 15, 30, tzinfo=timezone.utc)  # 20 Azar 1405, 19:00 in Tehran
    assert [as_utc(r.due_at) for r in new] == [start - timedelta(days=1), start - timedelta(hours=2), start]
    jobs = {job.id for job in harness.deps.scheduler.aps.get_jobs()}
    assert {f"reminder-{r.id}" for r in new} <= jobs and not {f"reminder-{r.id}" for r in old} & jobs
    assert "۲۰ آذر ۱۴۰۵" in report.text


async def test_reminders_go_once_to_those_who_did_not_decline_or_mute(harness: Harness, platform: Platform) -> None:
    people = await center_with_members(harness, platform, telegram=2, bale=2)
    await create_campaign(people.leader)
    await sent_out(harness)
    coming, declining, muting, silent = people.members
    await coming.tap(await coming.expect(CALL_QUESTION), YES)
    await declining.tap(await declining.expect(CALL_QUESTION), NO)
    call = await muting.expect(CALL_QUESTION)
    query = await muting.tap(call, "🔕 یادآوری نفرست")
    assert "دیگر برای شما فرستاده نمی‌شود" in await muting.callback_answer(query)
    await sent_out(harness)
    assert [text for text, _ in call.buttons][-1] == "🔔 یادآوری بفرست"

    day_before, two_hours, at_start = await reminder_rows(harness)
    assert await reminders.fire(harness.deps, day_before.id) == "not_due"  # the clock has not got there
    harness.clock.now = as_utc(day_before.due_at) + timedelta(seconds=30)
    assert await reminders.fire(harness.deps, day_before.id) == "fired"
    assert await reminders.fire(harness.deps, day_before.id) == "done"  # a second run sends nothing
    await sent_out(harness)
    for user in (coming, silent, people.assistant):
        got = reminders_of(user)
        assert len(got) == 1 and "یک روز دیگر" in got[0].text, user
    assert reminders_of(declining) == [] and reminders_of(muting) == []
    unanswered = reminders_of(silent)[0]
    assert [text for text, _ in unanswered.buttons] == [YES, NO, "🔕 یادآوری نفرست"]

    # The silent member mutes from the reminder itself; the next one skips them.
    await silent.tap(unanswered, "🔕 یادآوری نفرست")
    await sent_out(harness)
    harness.clock.now = as_utc(two_hours.due_at) + timedelta(minutes=1)
    assert await reminders.fire_due(harness.deps) == [(two_hours.id, "fired")]
    await sent_out(harness)
    assert len(reminders_of(coming)) == 2 and "۲ ساعت دیگر" in reminders_of(coming)[1].text
    assert len(reminders_of(silent)) == 1 and reminders_of(declining) == []
    # The muting member changes their mind.
    await muting.tap(call, "🔔 یادآوری بفرست")
    await sent_out(harness)
    harness.clock.now = as_utc(at_start.due_at)
    await reminders.fire_due(harness.deps)
    await sent_out(harness)
    assert "همین حالا آغاز می‌شود" in reminders_of(muting)[0].text
    assert [len(reminders_of(u)) for u in people.members] == [3, 0, 1, 1]
    assert {r.status for r in await reminder_rows(harness)} == {"sent"}
    # Answering after the start is refused.
    harness.clock.advance(minutes=10)
    query = await coming.tap(reminders_of(coming)[0], NO)
    assert await coming.callback_answer(query) == "زمان این پویش رسیده یا گذشته است."


async def test_overdue_reminders_after_a_restart_within_and_beyond_the_grace(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=1, bale=1)
    await create_campaign(people.leader)
    await sent_out(harness)
    day_before, two_hours, at_start = await reminder_rows(harness)

    await harness.stop()  # the bot is down while the day-before reminder falls due
    harness.clock.now = as_utc(day_before.due_at) + timedelta(hours=5)  # within the 6 hours of grace
    await harness.start()
    await sent_out(harness)
    for user in people.recipients:
        assert len(reminders_of(user)) == 1

    await harness.stop()  # down again, past two-hours-before (7 h late) and the start (5 h late)
    harness.clock.now = as_utc(at_start.due_at) + timedelta(hours=5)
    await harness.start()
    await sent_out(harness)
    statuses = {r.id: r.status for r in await reminder_rows(harness)}
    assert statuses == {day_before.id: "sent", two_hours.id: "skipped", at_start.id: "sent"}
    for user in people.recipients:
        got = reminders_of(user)
        assert len(got) == 2 and "آغاز شده است" in got[1].text
    assert len(await deliveries(harness, "reminder")) == 2 * len(people.recipients)

    await harness.restart()  # nothing is sent twice
    await sent_out(harness)
    assert [len(reminders_of(u)) for u in people.recipients] == [2, 2, 2]
    assert [len(calls_received(u)) for u in people.recipients] == [1, 1, 1]


async def test_upcoming_reminders_are_armed_again_at_start_and_their_job_sends_them(harness: Harness) -> None:
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=1, bale=1)
    await create_campaign(people.leader, reminders_off=("دو ساعت قبل",))
    await sent_out(harness)
    await harness.restart()  # a new process: only the database remembers the reminders

    pending = await reminder_rows(harness)
    assert len(pending) == 2 and {r.status for r in pending} == {"pending"}
    jobs = {job.id: job for job in harness.kanoon.scheduler.aps.get_jobs() if job.id.startswith("reminder-")}
    assert set(jobs) == {reminders.job_id(r.id) for r in pending}
    day_before = pending[0]
    job = jobs[reminders.job_id(day_before.id)]
    assert harness.kanoon.scheduler.due_at(job.id) == as_utc(day_before.due_at)  # by deps.clock

    harness.clock.now = as_utc(day_before.due_at) + timedelta(seconds=5)
    await job.func(*job.args, **job.kwargs)  # what the scheduler runs at that moment
    await sent_out(harness)
    for user in people.recipients:
        got = reminders_of(user)
        assert len(got) == 1 and "یک روز دیگر" in got[0].text, user
    assert [r.status for r in await reminder_rows(harness)] == ["sent", "pending"]


async def test_a_member_who_declines_while_reminders_go_out_gets_none(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broadcast, "WORKERS", 1)  # one send at a time, in the rows' order
    people = await center_with_members(harness, Platform.TELEGRAM, telegram=2, bale=1)
    await create_campaign(people.leader)
    await sent_out(harness)
    day_before = (await reminder_rows(harness))[0]
    hold = Hold(harness.apis, {people.assistant.user_id})  # the first row: the assistant's reminder
    harness.clock.now = as_utc(day_before.due_at) + timedelta(seconds=30)
    assert await reminders.fire(harness.deps, day_before.id) == "fired"  # nobody has declined yet
    await hold.until_held(1)
    declining, muting, silent = people.members
    await declining.tap(calls_received(declining)[0], NO)  # while the reminders are on their way
    await muting.tap(calls_received(muting)[0], "🔕 یادآوری نفرست")
    await harness.settle()
    hold.release.set()
    await sent_out(harness)

    assert reminders_of(declining) == [] and reminders_of(muting) == []
    assert len(reminders_of(silent)) == 1 and len(reminders_of(people.assistant)) == 1
    statuses = {d.user_id: d.status for d in await deliveries(harness, "reminder")}
    assert statuses[people.rows[declining.user_id].id] == "skipped"
    assert statuses[people.rows[muting.user_id].id] == "skipped"
