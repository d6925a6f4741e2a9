"""Charitable campaigns' rules over a real database: the database's own rules (one live
pledge per person and need, no one confirms their own), pledges, receipts, progress, the
deadline's reminder and close, privacy, and forged ids from another center."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.db.charity_models import HelpNeed, Pledge
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.enums import CharityPurpose, NeedSort, PledgeStatus
from bot.db.models import Delivery
from bot.persian.catalog import t
from bot.db.repo import memberships as memberships_repo
from bot.services import charity as service
from bot.services import memberships as memberships_service
from bot.services.charity import CharityError, NeedDraft
from bot.views import charity as views
from tests.factories import add_member, make_active_center, make_user

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
DEADLINE = NOW + timedelta(days=7)


@pytest.fixture
async def center(sessions: SessionFactory):  # noqa: ANN201
    leader = await make_user(sessions, first_name="راهبر")
    assistant = await make_user(sessions, "bale", first_name="همیار")
    center = await make_active_center(sessions, leader, assistant)
    members = [await make_user(sessions, first_name=f"عضو{i}") for i in range(3)]
    for member in members:
        await add_member(sessions, center, member)
    return center, leader, assistant, members


NEEDS = [NeedDraft(NeedSort.MONEY, target=5_000_000), NeedDraft(NeedSort.GOODS, target=20, name="برنج", unit="کیسه"),
         NeedDraft(NeedSort.WORK)]


async def create(sessions: SessionFactory, leader_id: int, **kwargs: object) -> service.Created:
    values = {"title": "کمک به سیل‌زدگان", "body": "برای خانه‌های پایین روستا.", "deadline": DEADLINE,
              "needs": NEEDS, "now": NOW} | kwargs
    async with unit_of_work(sessions) as session:
        return await service.create(session, creator_id=leader_id, **values)  # type: ignore[arg-type]


async def needs_of(sessions: SessionFactory, campaign_id: int) -> list[HelpNeed]:
    async with sessions() as session:
        return list((await session.exec(select(HelpNeed).where(HelpNeed.campaign_id == campaign_id)
                                        .order_by(HelpNeed.position))).all())


async def pledge(sessions: SessionFactory, need_id: int, user_id: int, amount: int, **kwargs: object) -> Pledge:
    async with unit_of_work(sessions) as session:
        row, _ = await service.pledge(session, need_id, user_id, amount, NOW, **kwargs)  # type: ignore[arg-type]
        return row


async def test_a_help_campaign_writes_its_needs_and_one_call_per_recipient_once_per_key(sessions, center) -> None:
    c, leader, assistant, members = center
    made = await create(sessions, leader.id, request_key="k1")
    again = await create(sessions, leader.id, request_key="k1")
    assert again.already and again.campaign.id == made.campaign.id
    needs = await needs_of(sessions, made.campaign.id)
    assert [(n.sort, n.target, n.name, n.unit) for n in needs] == [
        ("money", 5_000_000, None, None), ("goods", 20, "برنج", "کیسه"), ("work", None, None, None)]
    async with sessions() as session:
        calls = (await session.exec(select(Delivery).where(Delivery.purpose == CharityPurpose.HELP_CALL))).all()
    assert sorted(d.user_id for d in calls) == sorted([assistant.id, *(m.id for m in members)])
    with pytest.raises(CharityError) as refused:
        await create(sessions, leader.id, needs=[])
    assert refused.value.code == "no_needs"
    with pytest.raises(CharityError) as refused:
        await create(sessions, leader.id, deadline=NOW - timedelta(minutes=1))
    assert refused.value.code == "when_past"


async def test_the_database_keeps_one_live_pledge_per_person_and_need(sessions, center) -> None:
    c, leader, _, members = center
    made = await create(sessions, leader.id)
    money = (await needs_of(sessions, made.campaign.id))[0]
    first = await pledge(sessions, money.id, members[0].id, 500_000)
    async with sessions() as session:
        session.add(Pledge(need_id=money.id, campaign_id=made.campaign.id, user_id=members[0].id, amount=1000,
                           status=PledgeStatus.PROMISED, created_at=NOW))
        with pytest.raises(IntegrityError):
            await session.commit()
    # A withdrawn one does not count: a new pledge may follow it.
    async with unit_of_work(sessions) as session:
        await service.withdraw(session, first.id, members[0].id, NOW)
    second = await pledge(sessions, money.id, members[0].id, 700_000)
    assert second.id != first.id and second.status == PledgeStatus.PROMISED


async def test_the_database_refuses_a_giver_confirming_their_own_pledge(sessions, center) -> None:
    c, leader, _, members = center
    made = await create(sessions, leader.id)
    money = (await needs_of(sessions, made.campaign.id))[0]
    row = await pledge(sessions, money.id, members[0].id, 500_000)
    async with sessions() as session:
        stored = await session.get(Pledge, row.id)
        stored.confirmed_by = members[0].id
        stored.status = PledgeStatus.DELIVERED
        session.add(stored)
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_change_withdraw_report_and_confirm_by_staff_who_is_not_the_giver(sessions, center) -> None:
    c, leader, assistant, members = center
    made = await create(sessions, leader.id)
    money, rice, work = await needs_of(sessions, made.campaign.id)
    row = await pledge(sessions, money.id, members[0].id, 500_000)
    async with unit_of_work(sessions) as session:
        changed, created = await service.pledge(session, money.id, members[0].id, 2_000_000, NOW)
    assert not created and changed.id == row.id and changed.amount == 2_000_000
    async with unit_of_work(sessions) as session:
        with pytest.raises(CharityError) as refused:
            await service.report_delivered(session, row.id, members[1].id, NOW)
    assert refused.value.code == "not_yours"
    async with unit_of_work(sessions) as session:
        reported = await service.report_delivered(session, row.id, members[0].id, NOW)
    assert reported.changed and reported.pledge.status == PledgeStatus.REPORTED
    assert sorted(reported.staff) == sorted([leader.id, assistant.id])
    for outsider in (members[1].id, members[0].id):
        async with unit_of_work(sessions) as session:
            with pytest.raises(CharityError) as refused:
                await service.confirm(session, row.id, outsider, NOW)
        assert refused.value.code in ("not_staff",)
    async with unit_of_work(sessions) as session:
        done = await service.confirm(session, row.id, assistant.id, NOW)
    assert done.changed and done.pledge.status == PledgeStatus.DELIVERED and done.pledge.confirmed_by == assistant.id
    async with unit_of_work(sessions) as session:
        again = await service.confirm(session, row.id, leader.id, NOW)
    assert not again.changed and again.pledge.confirmed_by == assistant.id
    for act in (service.withdraw,):
        async with unit_of_work(sessions) as session:
            with pytest.raises(CharityError) as refused:
                await act(session, row.id, members[0].id, NOW)
        assert refused.value.code == "delivered"
    async with unit_of_work(sessions) as session:
        with pytest.raises(CharityError) as refused:
            await service.pledge(session, money.id, members[0].id, 100_000, NOW)
    assert refused.value.code == "delivered"


async def test_the_assistant_pledging_is_confirmed_by_the_leader_never_by_themself(sessions, center) -> None:
    c, leader, assistant, _ = center
    made = await create(sessions, leader.id)
    rice = (await needs_of(sessions, made.campaign.id))[1]
    row = await pledge(sessions, rice.id, assistant.id, 6)
    async with unit_of_work(sessions) as session:
        reported = await service.report_delivered(session, row.id, assistant.id, NOW)
    assert reported.staff == [leader.id]
    async with unit_of_work(sessions) as session:
        with pytest.raises(CharityError) as refused:
            await service.confirm(session, row.id, assistant.id, NOW)
    assert refused.value.code == "own_pledge"
    async with unit_of_work(sessions) as session:
        assert (await service.confirm(session, row.id, leader.id, NOW)).changed


async def test_another_centers_people_cannot_pledge_or_confirm(sessions, center) -> None:
    c, leader, assistant, members = center
    made = await create(sessions, leader.id)
    money = (await needs_of(sessions, made.campaign.id))[0]
    row = await pledge(sessions, money.id, members[0].id, 500_000)
    other_leader = await make_user(sessions, first_name="راهبر دیگر")
    other_assistant = await make_user(sessions, first_name="همیار دیگر")
    other = await make_active_center(sessions, other_leader, other_assistant, name="کانون دیگر")
    stranger = await make_user(sessions, first_name="غریبه")
    await add_member(sessions, other, stranger)
    async with unit_of_work(sessions) as session:
        with pytest.raises(CharityError) as refused:
            await service.pledge(session, money.id, stranger.id, 500_000, NOW)
    assert refused.value.code == "not_recipient"
    for person in (other_leader, other_assistant):
        async with unit_of_work(sessions) as session:
            with pytest.raises(CharityError) as refused:
                await service.confirm(session, row.id, person.id, NOW)
        assert refused.value.code == "not_staff"
        async with unit_of_work(sessions) as session:
            with pytest.raises(CharityError):
                await service.progress(session, made.campaign.id, person.id)


async def test_progress_counts_live_pledges_and_hides_anonymous_names_from_members(sessions, center) -> None:
    c, leader, assistant, members = center
    made = await create(sessions, leader.id)
    money = (await needs_of(sessions, made.campaign.id))[0]
    named = await pledge(sessions, money.id, members[0].id, 2_000_000)
    await pledge(sessions, money.id, members[1].id, 600_000, anonymous=True)
    withdrawn = await pledge(sessions, money.id, members[2].id, 900_000)
    async with unit_of_work(sessions) as session:
        await service.withdraw(session, withdrawn.id, members[2].id, NOW)
        await service.confirm(session, named.id, leader.id, NOW)
    async with sessions() as session:
        public = await service.progress(session, made.campaign.id, members[2].id)
        full = await service.progress(session, made.campaign.id, leader.id)
    item = public.needs[0]
    assert (item.promised, item.delivered) == (2_600_000, 2_000_000)
    assert [g.name for g in item.givers] == ["عضو0"] and not public.full
    assert sorted(g.name for g in full.needs[0].givers) == ["عضو0", "عضو1"]
    text = views.progress_text(public, NOW)
    assert "عضو1" not in text
    assert ": ۶۰۰٬۰۰۰" not in text and ": ۶۰۰٬۰۰۰" in views.progress_text(full, NOW)
    assert "▓▓▓▓▓░░░░░ ۵۲٪" in text  # promised 2.6 of 5 million
    assert "▓▓▓▓░░░░░░ ۴۰٪" in text  # delivered 2 of 5 million
    assert "عضو1 (بی‌نام)" in views.progress_text(full, NOW)


def test_bars() -> None:
    assert views.bar(52, 100) == "▓▓▓▓▓░░░░░ ۵۲٪"
    assert views.bar(0, 100) == "░░░░░░░░░░ ۰٪"
    assert views.bar(150, 100) == "▓▓▓▓▓▓▓▓▓▓ ۱۵۰٪"


async def test_the_deadline_reminds_undelivered_promisers_once_and_closes(sessions, center) -> None:
    c, leader, assistant, members = center
    made = await create(sessions, leader.id)
    money = (await needs_of(sessions, made.campaign.id))[0]
    await pledge(sessions, money.id, members[0].id, 500_000)
    delivered = await pledge(sessions, money.id, members[1].id, 500_000)
    async with unit_of_work(sessions) as session:
        await service.confirm(session, delivered.id, leader.id, NOW)
        assert await service.write_due_reminders(session, NOW) == []  # a week ahead: not yet
    soon = DEADLINE - timedelta(hours=3)
    for _ in range(2):  # the second sweep (a restart) finds it done
        async with unit_of_work(sessions) as session:
            await service.write_due_reminders(session, soon)
    async with sessions() as session:
        reminders = (await session.exec(select(Delivery).where(Delivery.purpose == CharityPurpose.HELP_REMINDER))).all()
    assert [d.user_id for d in reminders] == [members[0].id]
    async with unit_of_work(sessions) as session:
        assert await service.close_due(session, DEADLINE) == [made.campaign.id]
        assert await service.close_due(session, DEADLINE) == []
    async with unit_of_work(sessions) as session:
        with pytest.raises(CharityError) as refused:
            await service.pledge(session, money.id, members[2].id, 500_000, DEADLINE)
    assert refused.value.code == "closed"


def test_every_refusal_has_a_message() -> None:
    for code in service.ERROR_CODES:
        assert t(f"charity-error-{code}")


async def test_one_who_left_the_center_cannot_pledge_on_the_call_they_were_sent(sessions, center) -> None:
    c, leader, _, members = center
    stays, leaves = members[0], members[1]
    made = await create(sessions, leader.id)
    need = (await needs_of(sessions, made.campaign.id))[0]
    async with unit_of_work(sessions) as session:
        membership = await memberships_repo.active_for(session, leaves.id)
        assert membership is not None
        await memberships_service.leave(session, membership.id, leaves.id, NOW)
    async with sessions() as session:
        with pytest.raises(CharityError) as refused:
            await service.start_pledge(session, need.id, leaves.id, NOW)
        assert refused.value.code == "left" and "دیگر عضو" in t("charity-error-left")
        assert (await service.start_pledge(session, need.id, stays.id, NOW)).existing is None
