"""The campaign rules over a real database (no HTTP): who may, what rows are written,
answers, cancel, move, reminders, figures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import AuditEvent, Campaign, Center, Delivery, Reminder
from bot.db.repo import deliveries as deliveries_repo
from bot.services import broadcasts
from bot.services import campaigns as service
from bot.services import reminders
from bot.services.campaigns import CampaignError, as_utc
from tests.factories import add_member, make_active_center, make_user

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
START = NOW + timedelta(days=7)
GRACE = timedelta(hours=6)


@pytest.fixture
async def center(sessions: SessionFactory):  # noqa: ANN201
    leader = await make_user(sessions, first_name="راهبر")
    assistant = await make_user(sessions, "bale", first_name="همیار")
    center = await make_active_center(sessions, leader, assistant)
    members = [await make_user(sessions, first_name=f"عضو{i}") for i in range(4)]
    for member in members:
        await add_member(sessions, center, member)
    pending = await make_user(sessions, first_name="منتظر")
    await add_member(sessions, center, pending, status="pending")
    left = await make_user(sessions, first_name="رفته")
    await add_member(sessions, center, left, status="left")
    return center, leader, assistant, members


async def create(sessions: SessionFactory, leader_id: int, **kwargs: object) -> service.Created:
    values = {"kind": "campaign", "title": "کمک به سیل‌زدگان", "body": "بیایید.", "starts_at": START,
              "offsets": [1440, 120, 0], "now": NOW} | kwargs
    async with unit_of_work(sessions) as session:
        return await service.create(session, creator_id=leader_id, **values)  # type: ignore[arg-type]


async def rows(sessions: SessionFactory, model, *where):  # noqa: ANN001, ANN201
    async with sessions() as session:
        return list((await session.exec(select(model).where(*where).order_by(model.id))).all())


async def mark_sent(sessions: SessionFactory, purpose: str, ref_id: int, user_ids: list[int] | None = None) -> None:
    async with sessions() as session:
        for row in (await session.exec(select(Delivery).where(Delivery.purpose == purpose, Delivery.ref_id == ref_id))).all():
            if user_ids is None or row.user_id in user_ids:
                row.status = "sent"
                session.add(row)
        await session.commit()


async def test_creating_writes_the_campaign_a_pending_row_per_recipient_and_reminders(sessions, center) -> None:  # noqa: ANN001
    center, leader, assistant, members = center
    created = await create(sessions, leader.id)
    assert created.recipients == 5 and created.campaign.status == "sending"
    deliveries = await rows(sessions, Delivery)
    assert {d.user_id for d in deliveries} == {m.id for m in members} | {assistant.id}  # not the leader, pending or left
    assert {(d.purpose, d.ref_id, d.status) for d in deliveries} == {("campaign", created.campaign.id, "pending")}
    reminders = await rows(sessions, Reminder)
    assert [(r.offset_minutes, as_utc(r.due_at)) for r in reminders] == [
        (1440, START - timedelta(days=1)), (120, START - timedelta(hours=2)), (0, START)]
    assert created.campaign.reminder_offsets == "1440,120,0"
    (event,) = await rows(sessions, AuditEvent)
    assert (event.actor_id, event.action, event.entity_id) == (leader.id, "campaign.sent", created.campaign.id)


async def test_reminders_already_due_are_not_planned(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, _ = center
    await create(sessions, leader.id, starts_at=NOW + timedelta(hours=3))
    assert [r.offset_minutes for r in await rows(sessions, Reminder)] == [120, 0]


async def test_only_the_leader_of_an_active_center_may_call(sessions, center) -> None:  # noqa: ANN001
    center, leader, assistant, members = center
    with pytest.raises(CampaignError) as refused:
        await create(sessions, assistant.id)
    assert refused.value.code == "assistant"
    with pytest.raises(CampaignError) as refused:
        await create(sessions, members[0].id)
    assert refused.value.code == "no_center"
    async with sessions() as session:
        row = await session.get(Center, center.id)
        row.status = "suspended"
        session.add(row)
        await session.commit()
    with pytest.raises(CampaignError) as refused:
        await create(sessions, leader.id)
    assert (refused.value.code, refused.value.details) == ("center_inactive", {"status": "suspended"})
    assert await rows(sessions, Campaign) == []


async def test_the_start_must_be_in_the_window(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, _ = center
    for starts_at, code in ((NOW - timedelta(minutes=1), "when_past"), (NOW + timedelta(days=400), "when_too_far")):
        with pytest.raises(CampaignError) as refused:
            await create(sessions, leader.id, starts_at=starts_at)
        assert refused.value.code == code


async def test_answers_can_change_until_the_start_and_only_recipients_answer(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    campaign = (await create(sessions, leader.id)).campaign
    outsider = await make_user(sessions)
    async with unit_of_work(sessions) as session:
        row, changed = await service.answer(session, campaign.id, members[0].id, "yes", NOW)
        assert (row.answer, changed) == ("yes", True)
        row, changed = await service.answer(session, campaign.id, members[0].id, "yes", NOW)
        assert changed is False
        row, changed = await service.answer(session, campaign.id, members[0].id, "no", NOW + timedelta(hours=1))
        assert (row.answer, changed) == ("no", True)
        muted = await service.toggle_mute(session, campaign.id, members[1].id, NOW)
        assert muted.muted is True and muted.answer is None
        for user_id, when, code in ((outsider.id, NOW, "not_recipient"), (members[2].id, START, "started")):
            with pytest.raises(CampaignError) as refused:
                await service.answer(session, campaign.id, user_id, "yes", when)
            assert refused.value.code == code
    actions = [e.action for e in await rows(sessions, AuditEvent)]
    assert actions.count("campaign.answered") == 2 and "campaign.muted" in actions


async def test_cancel_skips_unsent_calls_and_tells_only_those_reached(sessions, center) -> None:  # noqa: ANN001
    _, leader, assistant, members = center
    campaign = (await create(sessions, leader.id)).campaign
    await mark_sent(sessions, "campaign", campaign.id, [members[0].id, members[1].id])
    async with unit_of_work(sessions) as session:
        with pytest.raises(CampaignError) as refused:
            await service.cancel(session, campaign.id, assistant.id, NOW)
        assert refused.value.code == "not_leader"
        done = await service.cancel(session, campaign.id, leader.id, NOW)
    assert done.notices == 2 and len(done.cancelled_reminders) == 3 and done.campaign.status == "cancelled"
    calls = {d.user_id: d.status for d in await rows(sessions, Delivery, Delivery.purpose == "campaign")}
    assert sorted(calls.values()) == ["sent", "sent", "skipped", "skipped", "skipped"]
    notices = await rows(sessions, Delivery, Delivery.purpose == "campaign_cancel")
    assert {n.user_id for n in notices} == {members[0].id, members[1].id}
    assert {r.status for r in await rows(sessions, Reminder)} == {"cancelled"}
    async with unit_of_work(sessions) as session:
        with pytest.raises(CampaignError) as refused:
            await service.cancel(session, campaign.id, leader.id, NOW)
        assert refused.value.code == "cancelled"
        with pytest.raises(CampaignError):
            await service.answer(session, campaign.id, members[0].id, "yes", NOW)
        # A send that was in flight during the cancel landed afterwards: it is told too, once.
        await mark_sent(sessions, "campaign", campaign.id, [members[2].id])
        assert await broadcasts.tell_those_reached(session, "campaign_cancel", campaign.id, campaign.id, NOW) == 1
        assert await broadcasts.tell_those_reached(session, "campaign_cancel", campaign.id, campaign.id, NOW) == 0


async def test_moving_replans_reminders_and_tells_each_change_once(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    campaign = (await create(sessions, leader.id, offsets=[1440, 0])).campaign
    await mark_sent(sessions, "campaign", campaign.id)
    later = START + timedelta(days=2)
    async with unit_of_work(sessions) as session:
        moved = await service.reschedule(session, campaign.id, leader.id, later, NOW)
        with pytest.raises(CampaignError) as refused:
            await service.reschedule(session, campaign.id, leader.id, later, NOW)
        assert refused.value.code == "same_time"
        with pytest.raises(CampaignError) as refused:
            await service.reschedule(session, campaign.id, leader.id, NOW - timedelta(hours=1), NOW)
        assert refused.value.code == "when_past"
        again = await service.reschedule(session, campaign.id, leader.id, later + timedelta(hours=1), NOW)
        assert await service.move_event(session, moved.event_id) == (moved.campaign, START, later)
    assert moved.previous == START and moved.notices == 5 and len(moved.cancelled_reminders) == 2
    reminders = await rows(sessions, Reminder)
    assert [r.status for r in reminders] == ["cancelled", "cancelled", "cancelled", "cancelled", "pending", "pending"]
    assert [as_utc(r.due_at) for r in reminders[-2:]] == [later + timedelta(hours=1) - timedelta(days=1), later + timedelta(hours=1)]
    notices = await rows(sessions, Delivery, Delivery.purpose == "campaign_moved")
    assert {n.ref_id for n in notices} == {moved.event_id, again.event_id} and len(notices) == 10


async def test_a_reminder_fires_once_for_those_who_neither_declined_nor_muted(sessions, center) -> None:  # noqa: ANN001
    center_row, leader, assistant, members = center
    campaign = (await create(sessions, leader.id)).campaign
    await mark_sent(sessions, "campaign", campaign.id, [m.id for m in members])  # the assistant's call failed
    async with unit_of_work(sessions) as session:
        await service.answer(session, campaign.id, members[0].id, "no", NOW)
        await service.toggle_mute(session, campaign.id, members[1].id, NOW)
        await service.answer(session, campaign.id, members[2].id, "yes", NOW)
    day_before = (await rows(sessions, Reminder))[0]
    due = as_utc(day_before.due_at)
    async with unit_of_work(sessions) as session:
        assert await reminders.fire_reminder(session, day_before.id, due - timedelta(seconds=1), GRACE) == "not_due"
        assert await reminders.fire_reminder(session, day_before.id, due, GRACE) == "fired"
        assert await reminders.fire_reminder(session, day_before.id, due, GRACE) == "done"
    sent = await rows(sessions, Delivery, Delivery.purpose == "reminder")
    assert {d.user_id for d in sent} == {members[2].id, members[3].id}
    (fired,) = await rows(sessions, Reminder, Reminder.id == day_before.id)
    assert fired.status == "sent" and as_utc(fired.fired_at) == due


async def test_overdue_reminders_within_grace_fire_and_beyond_are_skipped(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, _ = center
    campaign = (await create(sessions, leader.id)).campaign
    await mark_sent(sessions, "campaign", campaign.id)
    day_before, two_hours, _ = await rows(sessions, Reminder)
    async with unit_of_work(sessions) as session:
        assert await reminders.fire_reminder(session, day_before.id, as_utc(day_before.due_at) + GRACE, GRACE) == "fired"
        late = as_utc(two_hours.due_at) + GRACE + timedelta(minutes=1)
        assert await reminders.fire_reminder(session, two_hours.id, late, GRACE) == "skipped"
        assert [r.id for r in await reminders.due_reminders(session, late)] == [r.id for r in (await rows(sessions, Reminder))[2:]]
    assert [r.status for r in await rows(sessions, Reminder)] == ["sent", "skipped", "pending"]
    assert await rows(sessions, Delivery, Delivery.purpose == "reminder", Delivery.ref_id == two_hours.id) == []
    assert "campaign.reminder_skipped" in [e.action for e in await rows(sessions, AuditEvent)]


async def test_a_batch_stops_being_worth_sending(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, _ = center
    campaign = (await create(sessions, leader.id)).campaign
    async with unit_of_work(sessions) as session:
        assert (await broadcasts.batch(session, "campaign", campaign.id, NOW, GRACE)) is not None
        assert await broadcasts.batch(session, "campaign", campaign.id, START, GRACE) is None  # it has started
        assert await broadcasts.batch(session, "nonsense", 1, NOW, GRACE) is None
        assert await broadcasts.skip_rest(session, "campaign", campaign.id) == 5
    announcement = (await create(sessions, leader.id, kind="announcement", title=None, starts_at=None, offsets=[])).campaign
    async with unit_of_work(sessions) as session:
        assert await broadcasts.batch(session, "campaign", announcement.id, NOW + timedelta(days=900), GRACE) is not None
    assert await rows(sessions, Reminder, Reminder.campaign_id == announcement.id) == []


async def test_a_row_is_claimed_before_its_send_and_a_skipped_one_never_becomes_sent(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    campaign = (await create(sessions, leader.id)).campaign
    by_user = {d.user_id: d.id for d in await rows(sessions, Delivery, Delivery.purpose == "campaign")}
    first, second = by_user[members[0].id], by_user[members[1].id]
    async with unit_of_work(sessions) as session:
        claimed = await broadcasts.claim(session, "campaign", first, campaign.id, members[0].id, NOW)
        assert claimed is not None and claimed.campaign.status == "sending"
        assert await broadcasts.claim(session, "campaign", first, campaign.id, members[0].id, NOW) is None  # taken once only
        await service.cancel(session, campaign.id, leader.id, NOW)
        assert await broadcasts.claim(session, "campaign", second, campaign.id, members[1].id, NOW) is None  # the cancel skipped it
        # The send in flight during the cancel lands; the skipped row's outcome is refused.
        assert await deliveries_repo.record(session, first, "sent", attempts=1, error=None, message_id=7, sent_at=NOW)
        assert not await deliveries_repo.record(session, second, "sent", attempts=1, error=None, message_id=8, sent_at=NOW)
        await session.commit()
    statuses = {d.id: d.status for d in await rows(sessions, Delivery, Delivery.purpose == "campaign")}
    assert statuses[first] == "sent" and statuses[second] == "skipped"


async def test_figures_count_a_claimed_row_as_waiting(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    campaign = (await create(sessions, leader.id)).campaign
    row = next(d for d in await rows(sessions, Delivery) if d.user_id == members[0].id)
    async with unit_of_work(sessions) as session:
        assert await broadcasts.claim(session, "campaign", row.id, campaign.id, members[0].id, NOW) is not None
        figures = (await service.figures(session, [campaign.id]))[campaign.id]
    assert (figures.pending, figures.total) == (5, 5)
    async with unit_of_work(sessions) as session:  # a claimed row of a cancelled campaign is no longer worth it
        await deliveries_repo.record(session, row.id, "pending", attempts=0, error=None, message_id=None, sent_at=None)
        await session.commit()
        await service.cancel(session, campaign.id, leader.id, NOW)
    assert {d.status for d in await rows(sessions, Delivery, Delivery.purpose == "campaign")} == {"skipped"}


async def test_figures_count_deliveries_and_answers(sessions, center) -> None:  # noqa: ANN001
    _, leader, assistant, members = center
    campaign = (await create(sessions, leader.id)).campaign
    async with unit_of_work(sessions) as session:
        for row in (await session.exec(select(Delivery))).all():
            row.status = {members[0].id: "unreachable", members[1].id: "failed", assistant.id: "pending"}.get(row.user_id, "sent")
            session.add(row)
        await session.commit()
        await service.answer(session, campaign.id, members[2].id, "yes", NOW)
        figures = (await service.figures(session, [campaign.id]))[campaign.id]
    assert (figures.sent, figures.unreachable, figures.failed, figures.pending, figures.total) == (2, 1, 1, 1, 5)
    assert (figures.yes, figures.no, figures.no_answer) == (1, 0, 1)


async def test_a_member_sees_the_calls_ahead_of_them(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    soon = (await create(sessions, leader.id, title="زود", starts_at=NOW + timedelta(days=1))).campaign
    later = (await create(sessions, leader.id, title="دیر", starts_at=NOW + timedelta(days=9))).campaign
    gone = (await create(sessions, leader.id, title="لغو", starts_at=NOW + timedelta(days=2))).campaign
    for campaign in (soon, later, gone):
        await mark_sent(sessions, "campaign", campaign.id)
    async with unit_of_work(sessions) as session:
        await service.cancel(session, gone.id, leader.id, NOW)
        await service.answer(session, later.id, members[0].id, "yes", NOW)
        upcoming = await service.received_upcoming(session, members[0].id, NOW)
    assert [(c.title, a.answer if a else None) for c, a in upcoming] == [("زود", None), ("دیر", "yes")]


async def test_a_draft_makes_one_campaign_however_often_it_is_sent(sessions, center) -> None:  # noqa: ANN001
    _, leader, _, members = center
    first = await create(sessions, leader.id, request_key="draft-1")
    again = await create(sessions, leader.id, request_key="draft-1", title="عنوان دیگر")
    assert (first.already, again.already) == (False, True)
    assert again.campaign.id == first.campaign.id and again.recipients == first.recipients == 5
    assert again.campaign.title == "کمک به سیل‌زدگان"  # what was sent the first time
    assert len(await rows(sessions, Campaign)) == 1 and len(await rows(sessions, Delivery)) == 5
    assert len(await rows(sessions, Reminder)) == 3
    other = await create(sessions, leader.id, request_key="draft-2")  # another draft: another campaign
    assert not other.already and len(await rows(sessions, Campaign)) == 2
    outsider = await make_user(sessions)  # someone else's key is not theirs to find
    async with unit_of_work(sessions) as session:
        assert await service.made_with(session, "draft-1", outsider.id) is None
