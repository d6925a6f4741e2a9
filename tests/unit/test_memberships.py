"""The joining rules (bot/services/memberships.py) without HTTP."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from sqlmodel import select

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import AuditEvent, Center, Membership, User
from bot.services import memberships as svc
from bot.services.members_export import to_csv
from bot.services.memberships import DecisionOutcome, EndOutcome, JoinOutcome
from tests.factories import add_member, make_active_center, make_user

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


async def _person(sessions: SessionFactory, name: str = "مریم احمدی", mobile: str | None = "09121234567") -> User:
    return await make_user(sessions, full_name=name, mobile=mobile)


async def _center(sessions: SessionFactory, name: str = "کانون صاحب‌الزمان", **kw: object) -> tuple[Center, User, User]:
    leader = await _person(sessions, "راهبر کانون", "09120000001")
    assistant = await _person(sessions, "همیار کانون", "09120000002")
    center = await make_active_center(sessions, leader, assistant, name=name, **kw)
    return center, leader, assistant


async def _set(sessions: SessionFactory, model: type, row_id: int, **values: object) -> None:
    async with sessions() as session:
        row = await session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        await session.commit()


async def _join(sessions: SessionFactory, user: User, center: Center, source: str = "code",
                now: datetime = NOW) -> svc.JoinResult:
    async with unit_of_work(sessions) as session:
        return await svc.request_join(session, user.id, center.id, source, now)


async def _decide(sessions: SessionFactory, membership_id: int, actor: User, approve: bool = True,
                  now: datetime = NOW, **kw: object) -> svc.Decision:
    async with unit_of_work(sessions) as session:
        return await svc.decide(session, membership_id, actor.id, approve, now, **kw)


async def _rows(sessions: SessionFactory, user: User) -> list[Membership]:
    async with sessions() as session:
        return list((await session.exec(select(Membership).where(Membership.user_id == user.id))).all())


# --- the request -----------------------------------------------------------------------------


async def test_a_request_is_saved_pending_with_its_source_and_audited(sessions: SessionFactory) -> None:
    center, _, _ = await _center(sessions)
    member = await _person(sessions)
    result = await _join(sessions, member, center, "link")
    assert result.outcome is JoinOutcome.SENT
    [row] = await _rows(sessions, member)
    assert (row.status, row.source, row.center_id) == ("pending", "link", center.id)
    async with sessions() as session:
        events = (await session.exec(select(AuditEvent))).all()
    assert [(e.action, e.actor_id, e.entity_id) for e in events] == [("membership.requested", member.id, row.id)]


@pytest.mark.parametrize("missing", ["full_name", "mobile"])
async def test_a_profile_without_name_or_mobile_is_asked_first(sessions: SessionFactory, missing: str) -> None:
    center, _, _ = await _center(sessions)
    member = await _person(sessions)
    await _set(sessions, User, member.id, **{missing: None})
    assert (await _join(sessions, member, center)).outcome is JoinOutcome.NEEDS_PROFILE
    assert await _rows(sessions, member) == []


async def test_a_second_request_to_the_same_center_makes_no_duplicate(sessions: SessionFactory) -> None:
    center, _, _ = await _center(sessions)
    member = await _person(sessions)
    first = await _join(sessions, member, center)
    again = await _join(sessions, member, center, "search")
    assert again.outcome is JoinOutcome.ALREADY_PENDING
    assert again.membership.id == first.membership.id
    assert len(await _rows(sessions, member)) == 1


async def test_one_center_per_member(sessions: SessionFactory) -> None:
    first, _, _ = await _center(sessions, "کانون الغدیر")
    second, _, _ = await _center(sessions, "کانون شهدای هوتک")
    member = await _person(sessions)
    pending = await _join(sessions, member, first)
    elsewhere = await _join(sessions, member, second)
    assert elsewhere.outcome is JoinOutcome.PENDING_ELSEWHERE
    assert elsewhere.other_center.id == first.id and elsewhere.membership.id == pending.membership.id
    await _set(sessions, Membership, pending.membership.id, status="active")
    assert (await _join(sessions, member, second)).outcome is JoinOutcome.MEMBER_ELSEWHERE
    assert (await _join(sessions, member, first)).outcome is JoinOutcome.ALREADY_MEMBER
    # After leaving, the other center can be asked.
    async with unit_of_work(sessions) as session:
        assert (await svc.leave(session, pending.membership.id, member.id, NOW)).outcome is EndOutcome.DONE
    assert (await _join(sessions, member, second)).outcome is JoinOutcome.SENT


async def test_leaders_and_assistants_belong_to_their_own_center(sessions: SessionFactory) -> None:
    own, leader, assistant = await _center(sessions, "کانون الغدیر")
    other, _, _ = await _center(sessions, "کانون شهدای هوتک")
    for person, role in ((leader, "leader"), (assistant, "assistant")):
        here = await _join(sessions, person, own)
        assert (here.outcome, here.role) == (JoinOutcome.RUNS_THIS, role)
        there = await _join(sessions, person, other)
        assert (there.outcome, there.role, there.other_center.id) == (JoinOutcome.RUNS_OTHER, role, own.id)
        assert await _rows(sessions, person) == []


@pytest.mark.parametrize("status", ["suspended", "awaiting_assistant"])
async def test_only_active_centers_take_requests(sessions: SessionFactory, status: str) -> None:
    center, _, _ = await _center(sessions)
    await _set(sessions, Center, center.id, status=status)
    result = await _join(sessions, await _person(sessions), center)
    assert (result.outcome, result.center.status) == (JoinOutcome.NOT_JOINABLE, status)


async def test_a_cancelled_center_is_not_found(sessions: SessionFactory) -> None:
    center, _, _ = await _center(sessions)
    await _set(sessions, Center, center.id, status="cancelled")
    assert (await _join(sessions, await _person(sessions), center)).outcome is JoinOutcome.NOT_FOUND
    async with unit_of_work(sessions) as session:
        assert await svc.card_by_code(session, center.code) is None
        assert await svc.card_by_id(session, center.id) is None


async def test_a_centers_card_is_read_with_its_people_and_active_members(sessions: SessionFactory) -> None:
    center, leader, assistant = await _center(sessions)
    for status in ("active", "active", "pending", "left"):
        await add_member(sessions, center, await _person(sessions), status=status)
    other, _, _ = await _center(sessions, "کانون دیگر")
    await add_member(sessions, other, await _person(sessions))
    facilitator = await _person(sessions, "رهیار", "09120000009")
    async with unit_of_work(sessions) as session:
        by_code = await svc.card_by_code(session, center.code)
        by_id = await svc.card_by_id(session, center.id)
    assert by_code is not None and by_id is not None
    for card in (by_code, by_id):
        assert (card.center.id, card.members, card.facilitator) == (center.id, 2, None)
        assert (card.leader and card.leader.id, card.assistant and card.assistant.id) == (leader.id, assistant.id)
    await _set(sessions, Center, center.id, assistant_id=None, status="awaiting_assistant", facilitator_id=facilitator.id)
    async with unit_of_work(sessions) as session:
        card = await svc.card_by_code(session, center.code)
        assert await svc.card_by_code(session, 1) is None and await svc.card_by_id(session, 10**9) is None
    assert card is not None and card.assistant is None and card.facilitator is not None
    assert (card.leader and card.leader.id, card.facilitator.id, card.members) == (leader.id, facilitator.id, 2)


async def test_after_a_rejection_the_same_center_may_be_asked_again_after_a_day(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    other, _, _ = await _center(sessions, "کانون الغدیر")
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    await _decide(sessions, request.membership.id, assistant, approve=False, reason="unknown")
    soon = await _join(sessions, member, center, now=NOW + timedelta(hours=23))
    assert soon.outcome is JoinOutcome.TOO_SOON and soon.retry_at == NOW + svc.REASK_AFTER
    assert (await _join(sessions, member, other, now=NOW + timedelta(hours=1))).outcome is JoinOutcome.SENT


async def test_after_a_day_a_rejected_applicant_may_ask_again(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    await _decide(sessions, request.membership.id, assistant, approve=False)
    assert (await _join(sessions, member, center, now=NOW + timedelta(hours=24))).outcome is JoinOutcome.SENT



@pytest.mark.parametrize("second", ["same center", "other center"])
async def test_two_racing_requests_by_one_person_keep_one(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch, second: str,
) -> None:
    """Two units of work (two devices, a replayed tap) both pass the in-code checks before
    either inserts; the database keeps one request (uq_memberships_current), and the other
    caller hears what the checks would say now."""
    center, _, _ = await _center(sessions)
    other, _, _ = await _center(sessions, "کانون الغدیر")
    member = await _person(sessions)
    both_checked = asyncio.Barrier(2)
    save = svc.save_request

    async def save_once_both_checked(*args: Any, **kw: Any) -> svc.JoinResult:
        await both_checked.wait()
        return await save(*args, **kw)

    monkeypatch.setattr(svc, "save_request", save_once_both_checked)

    async def join(target: Center) -> svc.JoinResult:
        async with unit_of_work(sessions) as session:
            return await svc.request_join(session, member.id, target.id, "link", NOW)

    results = await asyncio.gather(join(center), join(center if second == "same center" else other))
    expected = JoinOutcome.ALREADY_PENDING if second == "same center" else JoinOutcome.PENDING_ELSEWHERE
    assert sorted(r.outcome for r in results) == sorted([JoinOutcome.SENT, expected])
    [row] = await _rows(sessions, member)
    assert (row.status, row.user_id) == ("pending", member.id)
    assert all(r.membership.id == row.id for r in results)  # the loser is told about the winner's request
    async with sessions() as session:
        audited = (await session.exec(select(AuditEvent).where(AuditEvent.action == "membership.requested"))).all()
    assert [e.entity_id for e in audited] == [row.id]


# --- the decision ----------------------------------------------------------------------------


async def test_approval_makes_the_membership_active_and_records_who_and_when(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    decision = await _decide(sessions, request.membership.id, assistant, now=NOW + timedelta(minutes=5))
    assert decision.outcome is DecisionOutcome.APPROVED and decision.made
    assert decision.decider.id == assistant.id and decision.applicant.id == member.id
    [row] = await _rows(sessions, member)
    assert (row.status, row.decided_by) == ("active", assistant.id)
    assert row.decided_at == NOW + timedelta(minutes=5)
    again = await _decide(sessions, request.membership.id, assistant, approve=False)
    assert again.outcome is DecisionOutcome.ALREADY_DECIDED and again.membership.status == "active"


async def test_rejection_keeps_the_reason_and_note(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    decision = await _decide(sessions, request.membership.id, assistant, approve=False, reason="other",
                             note="لطفاً اول با راهبر صحبت کنید")
    assert decision.outcome is DecisionOutcome.REJECTED
    [row] = await _rows(sessions, member)
    assert (row.status, row.reject_reason, row.reject_note) == ("rejected", "other", "لطفاً اول با راهبر صحبت کنید")


async def test_unknown_reasons_and_stray_notes_are_refused(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    request = await _join(sessions, await _person(sessions), center)
    with pytest.raises(ValueError):
        await _decide(sessions, request.membership.id, assistant, approve=False, reason="rude")
    with pytest.raises(ValueError):
        await _decide(sessions, request.membership.id, assistant, approve=False, reason="unknown", note="x")


async def test_only_the_current_assistant_decides(sessions: SessionFactory) -> None:
    center, leader, assistant = await _center(sessions)
    stranger = await _person(sessions, "غریبه")
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    mid = request.membership.id
    assert (await _decide(sessions, mid, stranger)).outcome is DecisionOutcome.NOT_ASSISTANT
    assert (await _decide(sessions, mid, leader)).outcome is DecisionOutcome.LEADER_NOT_ASSISTANT
    replacement = await _person(sessions, "همیار تازه")
    await _set(sessions, Center, center.id, assistant_id=replacement.id)
    old = await _decide(sessions, mid, assistant)
    assert old.outcome is DecisionOutcome.NOT_ASSISTANT and old.membership is None  # learns nothing
    assert (await _rows(sessions, member))[0].status == "pending"
    assert (await _decide(sessions, mid, replacement)).outcome is DecisionOutcome.APPROVED


async def test_a_suspended_center_decides_nothing(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    request = await _join(sessions, await _person(sessions), center)
    await _set(sessions, Center, center.id, status="suspended")
    assert (await _decide(sessions, request.membership.id, assistant)).outcome is DecisionOutcome.CENTER_INACTIVE


async def test_a_withdrawn_request_cannot_be_decided(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    member = await _person(sessions)
    request = await _join(sessions, member, center)
    async with unit_of_work(sessions) as session:
        assert (await svc.withdraw(session, request.membership.id, member.id, NOW)).outcome is EndOutcome.DONE
    assert (await _decide(sessions, request.membership.id, assistant)).outcome is DecisionOutcome.WITHDRAWN


async def test_simultaneous_decisions_give_exactly_one(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    requests = [await _join(sessions, await _person(sessions, f"عضو {i}"), center) for i in range(3)]
    for request in requests:
        outcomes = await asyncio.gather(
            _decide(sessions, request.membership.id, assistant, approve=True),
            _decide(sessions, request.membership.id, assistant, approve=False, reason="unknown"),
            _decide(sessions, request.membership.id, assistant, approve=True),
        )
        made = [d for d in outcomes if d.made]
        assert len(made) == 1, [d.outcome for d in outcomes]
        assert all(d.outcome is DecisionOutcome.ALREADY_DECIDED for d in outcomes if not d.made)
    async with unit_of_work(sessions) as session:
        audited = (await session.exec(select(AuditEvent).where(AuditEvent.action != "membership.requested"))).all()
    assert len(audited) == 3


async def test_approve_all_takes_only_what_the_assistant_was_shown(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    shown = [await _join(sessions, await _person(sessions, f"عضو {i}"), center) for i in range(3)]
    later = await _join(sessions, await _person(sessions, "دیرآمده"), center, now=NOW + timedelta(minutes=1))
    async with unit_of_work(sessions) as session:
        decisions = await svc.approve_all(session, assistant.id, NOW, NOW + timedelta(minutes=2))
    assert sorted(d.membership.id for d in decisions) == sorted(r.membership.id for r in shown)
    assert all(d.membership.status == "active" for d in decisions)
    async with unit_of_work(sessions) as session:
        assert (await session.get(Membership, later.membership.id)).status == "pending"
        assert await svc.approve_all(session, assistant.id, NOW, NOW) == []  # nothing left to approve


async def test_approve_all_is_the_assistants_only(sessions: SessionFactory) -> None:
    center, leader, _ = await _center(sessions)
    await _join(sessions, await _person(sessions), center)
    async with unit_of_work(sessions) as session:
        assert await svc.approve_all(session, leader.id, NOW, NOW) == []
        assert await svc.pending_count(session, center.id) == 1


# --- members -----------------------------------------------------------------------------------


async def test_remove_is_for_the_centers_leader_and_assistant(sessions: SessionFactory) -> None:
    center, leader, assistant = await _center(sessions)
    other, other_leader, _ = await _center(sessions, "کانون الغدیر")
    member = await _person(sessions)
    membership = await add_member(sessions, center, member)
    async with unit_of_work(sessions) as session:
        assert (await svc.remove(session, membership.id, other_leader.id, NOW)).outcome is EndOutcome.NOT_ALLOWED
        assert (await svc.remove(session, membership.id, member.id, NOW)).outcome is EndOutcome.NOT_ALLOWED
        done = await svc.remove(session, membership.id, leader.id, NOW)
        assert (done.outcome, done.extra["role"], done.membership.status) == (EndOutcome.DONE, "leader", "removed")
        assert (await svc.remove(session, membership.id, assistant.id, NOW)).outcome is EndOutcome.GONE


async def test_leave_and_withdraw_are_the_members_own(sessions: SessionFactory) -> None:
    center, leader, _ = await _center(sessions)
    member = await _person(sessions)
    membership = await add_member(sessions, center, member)
    async with unit_of_work(sessions) as session:
        assert (await svc.leave(session, membership.id, leader.id, NOW)).outcome is EndOutcome.NOT_FOUND
        assert (await svc.withdraw(session, membership.id, member.id, NOW)).outcome is EndOutcome.GONE
        left = await svc.leave(session, membership.id, member.id, NOW)
        assert (left.outcome, left.membership.status) == (EndOutcome.DONE, "left")
        assert (await svc.leave(session, membership.id, member.id, NOW)).outcome is EndOutcome.GONE


async def test_members_page_by_page(sessions: SessionFactory) -> None:
    center, _, _ = await _center(sessions)
    for i in range(5):
        await add_member(sessions, center, await _person(sessions, f"عضو {i}"))
    await add_member(sessions, center, await _person(sessions, "منتظر"), status="pending")
    async with unit_of_work(sessions) as session:
        first = await svc.members_page(session, center.id, 0, 2)
        last = await svc.members_page(session, center.id, 7, 2)  # past the end: the last page
    assert (first.total, first.pages, [u.full_name for _, u in first.rows]) == (5, 3, ["عضو 0", "عضو 1"])
    assert (last.page, [u.full_name for _, u in last.rows]) == (2, ["عضو 4"])


# Finding a center by name: tests/unit/test_search.py.


# --- reminders -------------------------------------------------------------------------------------


async def test_assistant_reminders_once_a_day_after_two_days(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    await _join(sessions, await _person(sessions), center)

    async def due(at: datetime) -> list[svc.Overdue]:
        async with unit_of_work(sessions) as session:
            found = await svc.assistant_reminders_due(session, at)
            for overdue in found:
                assert await svc.claim_assistant_reminder(session, overdue, at)
        return found

    assert await due(NOW + timedelta(hours=47)) == []
    [first] = await due(NOW + timedelta(hours=49))
    assert (first.recipient.id, first.center.id, first.count) == (assistant.id, center.id, 1)
    # A request crossing 48 hours later the same day waits for tomorrow's reminder.
    await _join(sessions, await _person(sessions, "دومی"), center, now=NOW + timedelta(hours=2))
    assert await due(NOW + timedelta(hours=51)) == []
    [second] = await due(NOW + timedelta(hours=73))
    assert second.count == 2


async def test_a_blocked_assistant_is_not_reminded(sessions: SessionFactory) -> None:
    center, _, assistant = await _center(sessions)
    await _join(sessions, await _person(sessions), center)
    await _set(sessions, User, assistant.id, blocked_at=NOW)
    async with unit_of_work(sessions) as session:
        assert await svc.assistant_reminders_due(session, NOW + timedelta(days=3)) == []


async def test_the_leader_hears_once_of_requests_waiting_a_week(sessions: SessionFactory) -> None:
    center, leader, _ = await _center(sessions)
    await _join(sessions, await _person(sessions), center)
    async with unit_of_work(sessions) as session:
        assert await svc.leader_alerts_due(session, NOW + timedelta(days=6)) == []
        [alert] = await svc.leader_alerts_due(session, NOW + timedelta(days=7, minutes=1))
        assert alert.recipient.id == leader.id
        assert await svc.claim_leader_alert(session, alert, NOW + timedelta(days=7)) == 1
        assert await svc.claim_leader_alert(session, alert, NOW + timedelta(days=7)) == 0
        assert await svc.leader_alerts_due(session, NOW + timedelta(days=30)) == []


# --- the CSV file -----------------------------------------------------------------------------------


def test_csv_has_a_bom_crlf_and_defuses_formulas() -> None:
    content = to_csv(["نام", "موبایل"], [["مریم احمدی", "۰۹۱۲"], ["=HYPERLINK(1)", "+98"]])
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["نام", "موبایل"], ["مریم احمدی", "۰۹۱۲"], ["'=HYPERLINK(1)", "'+98"]]


# --- notices sent again: do they still hold? ------------------------------------------------


async def test_a_notice_sent_again_tells_only_what_still_holds(sessions: SessionFactory) -> None:
    center, leader, assistant = await _center(sessions)
    member, other = await _person(sessions), await _person(sessions, "رضا کریمی", "09123334444")
    asked = (await _join(sessions, member, center)).membership
    async with unit_of_work(sessions) as session:
        found = await svc.request_to_tell(session, asked.id, assistant.id, "assistant")
        assert found is not None and found[3].id == assistant.id
        assert await svc.request_to_tell(session, asked.id, leader.id, "leader") is not None
        assert await svc.request_to_tell(session, asked.id, leader.id, "assistant") is None  # not the assistant
        assert await svc.decision_to_tell(session, asked.id, member.id) is None  # not decided yet
    await _decide(sessions, asked.id, assistant)
    async with unit_of_work(sessions) as session:
        assert await svc.request_to_tell(session, asked.id, assistant.id, "assistant") is None  # decided
        decision = await svc.decision_to_tell(session, asked.id, member.id)
        assert decision is not None and decision.outcome is DecisionOutcome.APPROVED
        assert await svc.decision_to_tell(session, asked.id, other.id) is None  # not theirs
        await svc.leave(session, asked.id, member.id, NOW)
        assert await svc.decision_to_tell(session, asked.id, member.id) is None  # the welcome is stale
        assert await svc.ending_to_tell(session, asked.id, "left", assistant.id) is not None
        assert await svc.ending_to_tell(session, asked.id, "removed", member.id) is None
    refused = (await _join(sessions, other, center)).membership
    await _decide(sessions, refused.id, assistant, approve=False, reason="unknown")
    async with unit_of_work(sessions) as session:
        decision = await svc.decision_to_tell(session, refused.id, other.id)
        assert decision is not None and decision.outcome is DecisionOutcome.REJECTED
    other_center, _, _ = await _center(sessions, "کانون دیگر")
    await _join(sessions, other, other_center)  # asked elsewhere since: the refusal is old news
    async with unit_of_work(sessions) as session:
        assert await svc.decision_to_tell(session, refused.id, other.id) is None


# --- rendering in the configured zone -----------------------------------------------------


def test_join_messages_show_times_in_the_configured_zone() -> None:
    from zoneinfo import ZoneInfo

    from bot.views import joining as views

    center = Center(id=1, name="کانون صاحب‌الزمان", name_key="x", kind="mosque", leader_id=1, status="active")
    applicant = User(id=2, platform="telegram", platform_user_id=5, first_name="مریم", full_name="مریم احمدی")
    asked = Membership(id=3, center_id=1, user_id=2, status="pending", source="link", requested_at=NOW)
    assert "۸ آذر ۱۴۰۵، ساعت ۱۱:۳۰" in views.request_text(asked, applicant, center, ZoneInfo("Asia/Tehran"))
    assert "۸ آذر ۱۴۰۵، ساعت ۰۸:۰۰" in views.request_text(asked, applicant, center, ZoneInfo("UTC"))
    late = Membership(id=4, center_id=1, user_id=2, status="pending", source="link",
                      requested_at=NOW.replace(hour=22))  # 22:00 UTC is the next day in Tehran
    text, _ = views.member_card(late, svc.CenterInfo(center, None, None, 0), ZoneInfo("Asia/Tehran"))
    assert "۹ آذر ۱۴۰۵" in text
    text, _ = views.member_card(late, svc.CenterInfo(center, None, None, 0), ZoneInfo("UTC"))
    assert "۸ آذر ۱۴۰۵" in text
