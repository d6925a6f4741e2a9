"""bot/services/centers.py without HTTP: registering, invitations, the ID, details, the card."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import AssistantInvitation, AuditEvent, Center, User
from bot.services import center_codes, centers
from bot.services.centers import Problem
from tests.factories import add_member, make_active_center, make_user

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


async def _register(sessions: SessionFactory, leader: User, name: str = "کانون صاحب‌الزمان", area: str | None = "نظرآقا",
                    mobile: str = "09120000001") -> tuple[Center, AssistantInvitation]:
    async with unit_of_work(sessions) as session:
        return await centers.register(
            session, leader.id, name=name, kind="mosque", kind_label=None, area=area, description=None,
            full_name="علی رضایی", mobile=mobile, now=NOW,
        )


async def _events(sessions: SessionFactory, action: str) -> list[AuditEvent]:
    async with unit_of_work(sessions) as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def _reload(sessions: SessionFactory, model: type, row_id: int):  # noqa: ANN202
    async with unit_of_work(sessions) as session:
        return await session.get(model, row_id)


async def _accept(sessions: SessionFactory, token: str, user: User, mobile: str = "09170000002", now: datetime = NOW,
                  **kwargs: object) -> centers.Accepted:
    async with unit_of_work(sessions) as session:
        return await centers.accept_invitation(
            session, token, user.id, full_name="زهرا احمدی", mobile=mobile, now=now, **kwargs,  # type: ignore[arg-type]
        )


async def _problem(coroutine) -> str:  # noqa: ANN001
    with pytest.raises(Problem) as caught:
        await coroutine
    return caught.value.reason


# --- registering -----------------------------------------------------------------------------


async def test_register_creates_a_center_awaiting_its_assistant_and_one_invitation(sessions: SessionFactory) -> None:
    leader = await make_user(sessions)
    center, invitation = await _register(sessions, leader, name="کانون <b>&\u200cما 🌱")
    center = await _reload(sessions, Center, center.id)
    assert (center.status, center.code, center.assistant_id) == ("awaiting_assistant", None, None)
    assert center.name == "کانون <b>&\u200cما 🌱" and center.leader_id == leader.id
    assert invitation.status == "open" and invitation.center_id == center.id
    assert invitation.expires_at == NOW + timedelta(days=7)
    assert len(invitation.token) >= 20
    stored = await _reload(sessions, User, leader.id)
    assert (stored.full_name, stored.mobile) == ("علی رضایی", "09120000001")
    [registered] = await _events(sessions, "center.registered")
    assert registered.actor_id == leader.id and registered.entity_id == center.id
    assert json.loads(registered.details)["name"] == "کانون <b>&\u200cما 🌱"
    assert len(await _events(sessions, "invitation.created")) == 1


@pytest.mark.parametrize("role", ["leader", "assistant"])
async def test_one_person_runs_one_center(sessions: SessionFactory, role: str) -> None:
    person, other = await make_user(sessions), await make_user(sessions)
    if role == "leader":
        await _register(sessions, person)
    else:
        await make_active_center(sessions, other, person)
    assert await _problem(_register(sessions, person, name="کانون دوم")) == Problem.RUNS_CENTER


async def test_a_dropped_registration_frees_the_leader(sessions: SessionFactory) -> None:
    leader = await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        await centers.drop_registration(session, center.id, leader.id, NOW)
    assert (await _reload(sessions, Center, center.id)).status == "cancelled"
    assert (await _reload(sessions, AssistantInvitation, invitation.id)).status == "cancelled"
    await _register(sessions, leader, name="کانون تازه")  # allowed again


async def test_an_active_center_cannot_be_dropped_by_its_leader(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, assistant)
    async with unit_of_work(sessions) as session:
        assert await _problem(centers.drop_registration(session, center.id, leader.id, NOW)) == Problem.NOT_ALLOWED


# --- duplicate names ---------------------------------------------------------------------------


async def test_duplicates_are_active_centers_with_the_same_folded_name_in_the_same_area(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    existing = await make_active_center(sessions, leader, assistant, name="کانون صاحب‌الزمان", area="بوشهر، نظرآقا")
    async with unit_of_work(sessions) as session:
        found = await centers.find_duplicate(session, "كانون صاحب الزمان", "بوشهر نظر آقا")
        assert found is not None and found.id == existing.id
        assert await centers.find_duplicate(session, "کانون صاحب الزمان", "کرمان، هوتک") is None
        assert await centers.find_duplicate(session, "کانون صاحب الزمان", None) is None
        assert await centers.find_duplicate(session, "کانون صاحب الزمان", "بوشهر، نظرآقا", exclude_id=existing.id) is None


async def test_no_area_is_an_area_of_its_own(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    await make_active_center(sessions, leader, assistant, name="کانون خانواده‌ی رضایی", area=None)
    async with unit_of_work(sessions) as session:
        assert await centers.find_duplicate(session, "کانون خانواده ی رضایی", None) is not None
        assert await centers.find_duplicate(session, "کانون خانواده‌ی رضایی", "یزد") is None


async def test_centers_awaiting_their_assistant_are_not_duplicates(sessions: SessionFactory) -> None:
    await _register(sessions, await make_user(sessions))
    async with unit_of_work(sessions) as session:
        assert await centers.find_duplicate(session, "کانون صاحب‌الزمان", "نظرآقا") is None


@pytest.mark.parametrize(("name", "digits"), [("۱۲۳۴", True), ("12 34", True), ("٣٤٥", True), ("کانون ۱۲", False)])
def test_names_of_only_digits_are_recognised(name: str, digits: bool) -> None:
    assert centers.name_is_only_digits(name) is digits


# --- the invitation ---------------------------------------------------------------------------


async def test_accepting_activates_the_center_with_a_valid_id(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    accepted = await _accept(sessions, invitation.token, invitee, now=NOW + timedelta(days=6, hours=23))
    assert accepted.activated and accepted.previous_assistant is None
    assert accepted.leader.id == leader.id and accepted.assistant.id == invitee.id
    stored = await _reload(sessions, Center, center.id)
    assert stored.status == "active" and stored.assistant_id == invitee.id
    assert center_codes.is_valid(stored.code) and stored.code == accepted.center.code
    used = await _reload(sessions, AssistantInvitation, invitation.id)
    assert (used.status, used.used_by) == ("accepted", invitee.id)
    assert (await _reload(sessions, User, invitee.id)).mobile == "09170000002"
    [activated] = await _events(sessions, "center.activated")
    assert activated.actor_id == invitee.id and json.loads(activated.details)["code"] == stored.code


async def test_a_code_collision_draws_again(sessions: SessionFactory) -> None:
    first_leader, first_assistant = await make_user(sessions), await make_user(sessions)
    taken = await make_active_center(sessions, first_leader, first_assistant)
    leader, invitee = await make_user(sessions), await make_user(sessions)
    _, invitation = await _register(sessions, leader, name="کانون دیگر")
    fresh = center_codes.new_code()
    while fresh == taken.code:
        fresh = center_codes.new_code()
    draws = iter([taken.code, fresh])
    accepted = await _accept(sessions, invitation.token, invitee, new_code=lambda: next(draws))
    assert accepted.center.code == fresh


@pytest.mark.parametrize("moment", [timedelta(days=7), timedelta(days=30)])
async def test_an_expired_invitation_cannot_be_used(sessions: SessionFactory, moment: timedelta) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    _, invitation = await _register(sessions, leader)
    assert await _problem(_accept(sessions, invitation.token, invitee, now=NOW + moment)) == Problem.EXPIRED


async def test_an_invitation_is_used_once(sessions: SessionFactory) -> None:
    leader, first, second = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    _, invitation = await _register(sessions, leader)
    await _accept(sessions, invitation.token, first)
    assert await _problem(_accept(sessions, invitation.token, second, mobile="09350000003")) == Problem.USED
    async with unit_of_work(sessions) as session:
        assert await _problem(centers.decline_invitation(session, invitation.token, second.id, NOW)) == Problem.USED


async def test_two_people_accepting_at_once_make_one_assistant(sessions: SessionFactory) -> None:
    leader, first, second = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    results = await asyncio.gather(
        _accept(sessions, invitation.token, first), _accept(sessions, invitation.token, second, mobile="09350000003"),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, centers.Accepted)]
    losers = [r for r in results if isinstance(r, Problem)]
    assert len(winners) == 1 and len(losers) == 1 and losers[0].reason == Problem.USED
    assert (await _reload(sessions, Center, center.id)).assistant_id == winners[0].assistant.id


async def test_the_leader_cannot_be_their_own_assistant(sessions: SessionFactory) -> None:
    leader, other_account = await make_user(sessions), await make_user(sessions, platform="bale")
    _, invitation = await _register(sessions, leader, mobile="09120000001")
    assert await _problem(_accept(sessions, invitation.token, leader)) == Problem.SELF
    # The same person on their other messenger: caught by the mobile number.
    assert await _problem(_accept(sessions, invitation.token, other_account, mobile="09120000001")) == Problem.SAME_MOBILE
    assert (await _reload(sessions, AssistantInvitation, invitation.id)).status == "open"


async def test_someone_running_another_center_cannot_accept(sessions: SessionFactory) -> None:
    leader, busy_leader, busy_assistant = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    await make_active_center(sessions, busy_leader, busy_assistant, name="کانون دیگر")
    _, invitation = await _register(sessions, leader)
    assert await _problem(_accept(sessions, invitation.token, busy_leader)) == Problem.BUSY
    assert await _problem(_accept(sessions, invitation.token, busy_assistant)) == Problem.BUSY
    # …but may still say no.
    async with unit_of_work(sessions) as session:
        view = await centers.decline_invitation(session, invitation.token, busy_assistant.id, NOW)
    assert view.leader.id == leader.id


async def test_unknown_tokens_are_not_found(sessions: SessionFactory) -> None:
    someone = await make_user(sessions)
    async with unit_of_work(sessions) as session:
        assert await _problem(centers.inspect_invitation(session, "no-such-token-here", someone.id, NOW)) == Problem.NOT_FOUND
        assert await _problem(centers.inspect_invitation(session, "", someone.id, NOW)) == Problem.NOT_FOUND


async def test_declining_tells_who_to_notify_and_closes_the_invitation(sessions: SessionFactory) -> None:
    leader, invitee, later = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        view = await centers.decline_invitation(session, invitation.token, invitee.id, NOW)
    assert view.center.id == center.id and view.leader.id == leader.id
    assert await _problem(_accept(sessions, invitation.token, later)) == Problem.DECLINED
    assert (await _reload(sessions, Center, center.id)).status == "awaiting_assistant"
    [declined] = await _events(sessions, "invitation.declined")
    assert declined.actor_id == invitee.id


async def test_asking_again_while_one_is_valid_gives_the_same_link(sessions: SessionFactory) -> None:
    """A double tap must not make the link the leader just forwarded useless."""
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, old = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        again = await centers.issue_invitation(session, center.id, leader.id, NOW + timedelta(days=1))
    assert again.id == old.id
    accepted = await _accept(sessions, old.token, invitee)
    assert accepted.activated


async def test_a_new_invitation_after_expiry_cancels_the_old_one(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, old = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        new = await centers.issue_invitation(session, center.id, leader.id, NOW + timedelta(days=8))
    assert new.token != old.token
    assert await _problem(_accept(sessions, old.token, invitee, now=NOW + timedelta(days=8))) == Problem.CANCELLED
    async with unit_of_work(sessions) as session:
        current = await centers.current_invitation(session, center.id)
    assert current is not None and current.id == new.id


async def test_only_the_leader_manages_invitations(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, assistant)
    async with unit_of_work(sessions) as session:
        assert await _problem(centers.issue_invitation(session, center.id, assistant.id, NOW)) == Problem.NOT_LEADER
        assert await _problem(centers.cancel_invitation(session, center.id, assistant.id, NOW)) == Problem.NOT_LEADER
        assert await centers.cancel_invitation(session, center.id, leader.id, NOW) is False  # nothing open


async def test_a_cancelled_invitation_says_so(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        assert await centers.cancel_invitation(session, center.id, leader.id, NOW) is True
    assert await _problem(_accept(sessions, invitation.token, invitee)) == Problem.CANCELLED


async def test_replacing_the_assistant_keeps_the_id_and_names_the_previous_one(sessions: SessionFactory) -> None:
    leader, old, new = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, old)
    async with unit_of_work(sessions) as session:
        invitation = await centers.issue_invitation(session, center.id, leader.id, NOW)
    assert await _problem(_accept(sessions, invitation.token, old)) == Problem.ALREADY_ASSISTANT
    accepted = await _accept(sessions, invitation.token, new)
    assert not accepted.activated and accepted.previous_assistant.id == old.id
    stored = await _reload(sessions, Center, center.id)
    assert (stored.code, stored.assistant_id, stored.status) == (center.code, new.id, "active")
    [replaced] = await _events(sessions, "center.assistant_replaced")
    assert json.loads(replaced.details)["previous_assistant_id"] == old.id
    # The previous assistant is free to run a center of their own now.
    await _register(sessions, old, name="کانون دیگر", mobile="09130000009")


async def test_an_invitation_to_a_cancelled_center_is_refused(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        stored = await session.get(Center, center.id)
        stored.status = "cancelled"  # e.g. by an admin; the invitation itself is still open
        session.add(stored)
        await session.commit()
    assert await _problem(_accept(sessions, invitation.token, invitee)) == Problem.CENTER_GONE


# --- details and card -------------------------------------------------------------------------


async def test_the_leader_edits_details_and_the_change_is_audited(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, assistant, name="کانون قدیم", area="یزد")
    async with unit_of_work(sessions) as session:
        updated = await centers.update_details(session, center.id, leader.id, "name", "کانون تازه", NOW)
        assert updated.name == "کانون تازه" and updated.name_key == "کانونتازه"
        updated = await centers.update_details(session, center.id, leader.id, "area", None, NOW)
        assert updated.area is None and updated.area_key is None
        assert await _problem(centers.update_details(session, center.id, assistant.id, "name", "x y", NOW)) == Problem.NOT_LEADER
    [renamed] = await _events(sessions, "center.name_changed")
    assert json.loads(renamed.details) == {"old": "کانون قدیم", "new": "کانون تازه"}
    assert renamed.actor_id == leader.id


async def test_card_counts_members_and_pending_requests(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, assistant)
    for status in ("active", "active", "pending", "rejected"):
        await add_member(sessions, center, await make_user(sessions), status=status)
    async with unit_of_work(sessions) as session:
        card = await centers.card(session, center.id)
    assert (card.members, card.pending) == (2, 1)
    assert card.leader.id == leader.id and card.assistant.id == assistant.id and card.facilitator is None
    assert card.invitation is None


# --- exactly once: repeated finishing steps, and the database's own "at most one" rules -------------


async def test_a_registration_is_found_again_by_its_draft_key(sessions: SessionFactory) -> None:
    leader, other = await make_user(sessions), await make_user(sessions)
    async with unit_of_work(sessions) as session:
        center, _ = await centers.register(
            session, leader.id, name="کانون یاران", kind="mosque", kind_label=None, area=None, description=None,
            full_name="علی رضایی", mobile="09120000001", now=NOW, request_key="k" * 32,
        )
    async with unit_of_work(sessions) as session:
        found = await centers.find_registration(session, leader.id, "k" * 32)
        assert found is not None and found.id == center.id
        assert await centers.find_registration(session, other.id, "k" * 32) is None  # someone else's key
        assert await centers.find_registration(session, leader.id, "x" * 32) is None


async def test_a_second_live_center_is_refused_by_the_database_too(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the check in code misses it (a race), uq_centers_live_leader says the same, and only
    the refused insert is undone: the rest of the unit of work commits."""
    leader = await make_user(sessions)
    first, _ = await _register(sessions, leader)
    monkeypatch.setattr(centers.centers_repo, "run_by", _nobody)
    async with unit_of_work(sessions) as session:
        assert await _problem(centers.register(
            session, leader.id, name="کانون دوم", kind="mosque", kind_label=None, area=None, description=None,
            full_name="علی رضایی", mobile="09120000001", now=NOW,
        )) == Problem.RUNS_CENTER
        centers.audit.add(session, leader.id, "test.after_refusal", "center", first.id, NOW)
    async with sessions() as session:
        assert [c.id for c in (await session.exec(select(Center))).all()] == [first.id]
    assert len(await _events(sessions, "test.after_refusal")) == 1


async def _nobody(*_args: object) -> None:
    return None


async def test_a_second_live_assistant_role_is_refused_by_the_database_too(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader, busy_leader, busy_assistant = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    await make_active_center(sessions, busy_leader, busy_assistant, name="کانون دیگر")
    center, invitation = await _register(sessions, leader)
    monkeypatch.setattr(centers.centers_repo, "run_by", _nobody)  # the check in code misses it
    assert await _problem(_accept(sessions, invitation.token, busy_assistant)) == Problem.BUSY
    assert (await _reload(sessions, AssistantInvitation, invitation.id)).status == "open"  # nothing kept
    assert (await _reload(sessions, Center, center.id)).status == "awaiting_assistant"


async def test_two_invitations_at_once_leave_one_open(sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    leader = await make_user(sessions)
    center, first = await _register(sessions, leader)
    real = centers.current_invitation
    calls = []

    async def not_yet_visible(session, center_id):  # noqa: ANN001, ANN202
        calls.append(center_id)
        return None if len(calls) == 1 else await real(session, center_id)

    monkeypatch.setattr(centers, "current_invitation", not_yet_visible)
    monkeypatch.setattr(centers.invitations_repo, "open_for", _no_open_ones(centers.invitations_repo.open_for))
    async with unit_of_work(sessions) as session:
        again = await centers.issue_invitation(session, center.id, leader.id, NOW)
    assert again.id == first.id  # uq_invitations_open refused a second one: the open one is the answer
    async with sessions() as session:
        rows = (await session.exec(select(AssistantInvitation))).all()
    assert [(i.id, i.status) for i in rows] == [(first.id, "open")]


def _no_open_ones(real):  # noqa: ANN001, ANN202
    """open_for that sees nothing the first time (the other request's row not yet visible)."""
    seen = []

    async def open_for(session, center_id):  # noqa: ANN001, ANN202
        seen.append(center_id)
        return [] if len(seen) == 1 else await real(session, center_id)

    return open_for


async def test_accepting_again_finds_the_first_acceptance(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    center, invitation = await _register(sessions, leader)
    first = await _accept(sessions, invitation.token, invitee)
    again = await _accept(sessions, invitation.token, invitee, now=NOW + timedelta(hours=1))
    assert not first.already and again.already
    assert (again.center.id, again.center.code, again.activated) == (center.id, first.center.code, True)
    assert again.assistant.id == invitee.id and again.leader.id == leader.id and again.previous_assistant is None
    assert len(await _events(sessions, "center.activated")) == 1
    assert len(await _events(sessions, "invitation.accepted")) == 1
    async with unit_of_work(sessions) as session:  # their own link again: they are the assistant
        assert await _problem(centers.inspect_invitation(session, invitation.token, invitee.id, NOW)) == Problem.ALREADY_ASSISTANT


async def test_accepting_again_after_replacing_names_the_previous_assistant(sessions: SessionFactory) -> None:
    leader, old, new = await make_user(sessions), await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, old)
    async with unit_of_work(sessions) as session:
        invitation = await centers.issue_invitation(session, center.id, leader.id, NOW)
    await _accept(sessions, invitation.token, new)
    again = await _accept(sessions, invitation.token, new)
    assert again.already and not again.activated and again.previous_assistant.id == old.id


async def test_declining_again_gives_the_same_answer(sessions: SessionFactory) -> None:
    leader, invitee = await make_user(sessions), await make_user(sessions)
    _, invitation = await _register(sessions, leader)
    async with unit_of_work(sessions) as session:
        first = await centers.decline_invitation(session, invitation.token, invitee.id, NOW)
    async with unit_of_work(sessions) as session:
        again = await centers.decline_invitation(session, invitation.token, invitee.id, NOW)
    assert not first.already and again.already and again.invitation.id == invitation.id
    assert len(await _events(sessions, "invitation.declined")) == 1


@pytest.mark.parametrize(("name", "fault"), [
    ("🎉🎉🎉", "letters"), ("...!!", "letters"), ("🌱 ۱", "letters"), ("ک 🌱", "letters"), ("۱۲۳", "digits"),
    ("کانون", None), ("AB", None), ("کانون ۱۲ 🌱", None),
])
def test_center_names_need_two_letters(name: str, fault: str | None) -> None:
    assert centers.name_fault(name) == fault
