"""Supporters' rules over a real database (issue 13): a gathering or an announcement reaches them
only when the leader chooses so; leaving and being taken off free the unique key for a later
invitation; a forged id of another center's supporter is refused; every refusal has words."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlmodel import select

from bot.db.charity_models import Supporter
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.enums import CampaignKind, Purpose
from bot.db.models import AuditEvent, Delivery
from bot.persian.catalog import t
from bot.services import campaigns
from bot.services import supporters as service
from bot.services.supporters import SupporterError
from tests.factories import add_member, make_active_center, make_user

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
async def center(sessions: SessionFactory):  # noqa: ANN201
    leader = await make_user(sessions, first_name="راهبر")
    assistant = await make_user(sessions, "bale", first_name="همیار")
    center = await make_active_center(sessions, leader, assistant)
    member = await make_user(sessions, first_name="عضو")
    await add_member(sessions, center, member)
    supporter = await make_user(sessions, "bale", first_name="حامی")
    return center, leader, member, supporter


async def support(sessions: SessionFactory, leader_id: int, user_id: int) -> service.Accepted:
    async with unit_of_work(sessions) as session:
        _, invitation = await service.invite(session, leader_id, NOW)
    async with unit_of_work(sessions) as session:
        return await service.accept(session, invitation.token, user_id, NOW)


async def calls(sessions: SessionFactory, campaign_id: int) -> set[int]:
    async with sessions() as session:
        query = select(Delivery.user_id).where(Delivery.purpose == Purpose.CAMPAIGN_CALL, Delivery.ref_id == campaign_id)
        return set((await session.exec(query)).all())


async def test_an_announcement_reaches_supporters_only_when_the_leader_chooses(sessions, center) -> None:
    c, leader, member, supporter = center
    await support(sessions, leader.id, supporter.id)
    made = {}
    for chosen in (False, True):
        async with unit_of_work(sessions) as session:
            made[chosen] = await campaigns.create(session, creator_id=leader.id, kind=CampaignKind.ANNOUNCEMENT,
                                                  body="جلسه", now=NOW, to_supporters=chosen)
    assert await calls(sessions, made[False].campaign.id) == {member.id, c.assistant_id}
    assert await calls(sessions, made[True].campaign.id) == {member.id, c.assistant_id, supporter.id}
    assert (made[False].campaign.to_supporters, made[True].campaign.to_supporters) == (False, True)
    async with sessions() as session:
        _, people, extra = await campaigns.preview_audience(session, leader.id)
    assert people == {member.id, c.assistant_id} and extra == {supporter.id}


async def test_leaving_then_a_new_invitation_attaches_again(sessions, center) -> None:
    c, leader, _, supporter = center
    await support(sessions, leader.id, supporter.id)
    async with unit_of_work(sessions) as session:
        ended = await service.leave(session, c.id, supporter.id, NOW)
    assert (ended.center.id, ended.user_id) == (c.id, supporter.id)
    async with unit_of_work(sessions) as session:
        with pytest.raises(SupporterError) as refused:
            await service.leave(session, c.id, supporter.id, NOW)  # the same tap again
    assert refused.value.code == "not_supporter"
    async with sessions() as session:
        assert await service.ended_event(session, ended.event.id, service.LEFT) == (ended.center, supporter.id)
        assert await service.ended_event(session, ended.event.id, service.REMOVED) is None
        assert await service.supported(session, supporter.id) == []
    again = await support(sessions, leader.id, supporter.id)
    assert not again.already
    async with sessions() as session:
        assert [r.user_id for r in (await session.exec(select(Supporter))).all()] == [supporter.id]


async def test_the_leader_takes_a_supporter_off_and_no_other_leader_can(sessions, center) -> None:
    c, leader, _, supporter = center
    await support(sessions, leader.id, supporter.id)
    other_leader = await make_user(sessions, first_name="راهبر دیگر")
    await make_active_center(sessions, other_leader, await make_user(sessions, first_name="همیار دیگر"), name="کانون دیگر")
    async with sessions() as session:
        (row,) = (await session.exec(select(Supporter))).all()
    async with unit_of_work(sessions) as session:
        with pytest.raises(SupporterError) as refused:
            await service.remove(session, row.id, other_leader.id, NOW)  # a forged id: another center's
    assert refused.value.code == "gone"
    async with unit_of_work(sessions) as session:
        ended = await service.remove(session, row.id, leader.id, NOW)
    async with unit_of_work(sessions) as session:
        with pytest.raises(SupporterError) as refused:
            await service.remove(session, row.id, leader.id, NOW)
    assert refused.value.code == "gone"
    async with sessions() as session:
        event = await session.get(AuditEvent, ended.event.id)
        assert (event.actor_id, event.action, json.loads(event.details)) == (leader.id, service.REMOVED, {"supporter": supporter.id})
        assert (await session.exec(select(Supporter))).all() == []


def test_every_refusal_has_a_message() -> None:
    for code in service.ERROR_CODES:
        assert t(f"supporter-error-{code}")
