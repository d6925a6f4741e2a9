"""Joining a center: finding it, the request, the assistant's decision, leaving and removal.

Plain async functions over a session; no Telegram types; they never commit (the caller's unit
of work does, bot/db/engine.unit_of_work). Every state change is one conditional UPDATE
(… WHERE status = 'pending'/'active'), so two taps, two devices or two processes can never
decide the same request twice; one pending-or-active membership per person is the database's
rule (uq_memberships_current). See docs/joining.md for the rules.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, JoinSource, MembershipStatus
from bot.db.models import AuditEvent, Center, Membership, User
from bot.db.repo import centers as centers_repo
from bot.db.repo import memberships as repo
from bot.db.repo import users as users_repo

# A rejected applicant may ask the same center again after this long (another center at once).
REASK_AFTER = timedelta(hours=24)
# The assistant is reminded of requests older than this, at most once per REMIND_EVERY.
REMIND_AFTER = timedelta(hours=48)
REMIND_EVERY = timedelta(hours=24)
# The leader hears (once per request) of requests still waiting after this long.
ALERT_LEADER_AFTER = timedelta(days=7)

SOURCES = tuple(JoinSource)
# Preset reasons; "other" carries the assistant's own words; None is "no reason given".
REJECT_PRESETS = ("unknown", "notours", "info")
REJECT_OTHER = "other"
NOTE_MAX = 200


class StaffRole(StrEnum):
    """Who runs a center (the catalog's join-role-*)."""

    LEADER = "leader"
    ASSISTANT = "assistant"


def id_of(row: Membership | Center | User) -> int:
    """The id of a row that has been flushed (typed: never None past this point)."""
    assert row.id is not None, f"{type(row).__name__} not flushed yet"
    return row.id


def _audit(session: AsyncSession, actor_id: int | None, action: str, membership_id: int | None,
           when: datetime, **details: object) -> None:
    session.add(AuditEvent(
        actor_id=actor_id, action=action, entity="membership", entity_id=membership_id,
        details=json.dumps(details, ensure_ascii=False) if details else None, at=when,
    ))


# --- finding a center ----------------------------------------------------------------


async def center_by_id(session: AsyncSession, center_id: int) -> Center | None:
    center = await centers_repo.by_id(session, center_id)
    return center if center is not None and center.status != CenterStatus.CANCELLED else None


@dataclass
class CenterInfo:
    center: Center
    leader: User | None
    assistant: User | None
    members: int
    facilitator: User | None = None  # the association's facilitator (رهیار), shown to members


async def card_by_code(session: AsyncSession, code: int) -> CenterInfo | None:
    """The card of the center with this public ID (unless it was cancelled): the center and
    what center_info adds, in one read."""
    return _card(await centers_repo.with_people(session, code=code))


async def card_by_id(session: AsyncSession, center_id: int) -> CenterInfo | None:
    return _card(await centers_repo.with_people(session, center_id=center_id))


def _card(found: centers_repo.WithPeople | None) -> CenterInfo | None:
    if found is None or found.center.status == CenterStatus.CANCELLED:
        return None
    return CenterInfo(center=found.center, leader=found.leader, assistant=found.assistant, members=found.members,
                      facilitator=found.facilitator)


async def center_info(session: AsyncSession, center: Center) -> CenterInfo:
    people = await users_repo.by_ids(
        session, [i for i in (center.leader_id, center.assistant_id, center.facilitator_id) if i])
    return CenterInfo(
        center=center, leader=people.get(center.leader_id),
        assistant=people.get(center.assistant_id) if center.assistant_id else None,
        members=await repo.count(session, id_of(center), MembershipStatus.ACTIVE),
        facilitator=people.get(center.facilitator_id) if center.facilitator_id else None,
    )


# --- the request -----------------------------------------------------------------------


class JoinOutcome(StrEnum):
    SENT = "sent"
    NOT_FOUND = "not_found"
    RUNS_THIS = "runs_this"  # the center's own leader or assistant
    RUNS_OTHER = "runs_other"  # leads or assists another center
    ALREADY_PENDING = "already_pending"
    ALREADY_MEMBER = "already_member"
    PENDING_ELSEWHERE = "pending_elsewhere"
    MEMBER_ELSEWHERE = "member_elsewhere"
    NOT_JOINABLE = "not_joinable"  # awaiting its assistant, or suspended
    TOO_SOON = "too_soon"  # rejected here less than REASK_AFTER ago
    NEEDS_PROFILE = "needs_profile"  # full name or mobile missing


@dataclass
class JoinResult:
    outcome: JoinOutcome
    center: Center | None = None
    membership: Membership | None = None  # the new request, or the one the outcome is about
    other_center: Center | None = None
    retry_at: datetime | None = None
    role: StaffRole | None = None  # for RUNS_*


async def request_join(session: AsyncSession, user_id: int, center_id: int, source: str, now: datetime) -> JoinResult:
    """Save a pending request, unless a rule says otherwise (the outcome says which)."""
    source = JoinSource(source)  # ValueError for anything else
    center = await center_by_id(session, center_id)
    if center is None:
        return JoinResult(JoinOutcome.NOT_FOUND)
    refused = await _why_not_request(session, user_id, center, now)
    if refused is not None:
        return refused
    user = await users_repo.by_id(session, user_id)
    if user is None or not user.full_name or not user.mobile:
        return JoinResult(JoinOutcome.NEEDS_PROFILE, center)
    return await save_request(session, user_id, center, source, now)


async def _why_not_request(session: AsyncSession, user_id: int, center: Center, now: datetime) -> JoinResult | None:
    """The rules a new request must pass, as the outcome that refuses it; None when it may be saved."""
    runs = await centers_repo.run_by(session, user_id)
    if runs is not None:
        outcome = JoinOutcome.RUNS_THIS if runs.id == center.id else JoinOutcome.RUNS_OTHER
        role = StaffRole.ASSISTANT if runs.assistant_id == user_id else StaffRole.LEADER
        return JoinResult(outcome, center, other_center=runs, role=role)
    current = await repo.current_for(session, user_id)
    if current is not None:
        pending = current.status == MembershipStatus.PENDING
        if current.center_id == center.id:
            outcome = JoinOutcome.ALREADY_PENDING if pending else JoinOutcome.ALREADY_MEMBER
            return JoinResult(outcome, center, current)
        outcome = JoinOutcome.PENDING_ELSEWHERE if pending else JoinOutcome.MEMBER_ELSEWHERE
        return JoinResult(outcome, center, current, await centers_repo.by_id(session, current.center_id))
    if center.status != CenterStatus.ACTIVE:
        return JoinResult(JoinOutcome.NOT_JOINABLE, center)
    rejected = await repo.latest(session, user_id, id_of(center), MembershipStatus.REJECTED)
    if rejected is not None and rejected.decided_at is not None:
        retry_at = rejected.decided_at + REASK_AFTER
        if retry_at > now:
            return JoinResult(JoinOutcome.TOO_SOON, center, rejected, retry_at=retry_at)
    return None


async def save_request(session: AsyncSession, user_id: int, center: Center, source: JoinSource,
                       now: datetime) -> JoinResult:
    """Insert the pending request the checks allowed (a step of its own, so a test can line two up).

    Two requests by one person can pass the checks at the same moment (two devices, a
    replayed tap); the database keeps one (uq_memberships_current), and the other is answered
    as the checks answer it now: already pending, or pending elsewhere.
    """
    membership = Membership(center_id=id_of(center), user_id=user_id, status=MembershipStatus.PENDING,
                            source=source, requested_at=now)
    try:
        async with session.begin_nested():  # a savepoint: the unit of work goes on after a refusal
            session.add(membership)
            await session.flush()
    except IntegrityError:
        refused = await _why_not_request(session, user_id, center, now)
        if refused is None:  # not the one-current-membership rule: a real error
            raise
        return refused
    _audit(session, user_id, "membership.requested", id_of(membership), now, center_id=center.id, source=source)
    return JoinResult(JoinOutcome.SENT, center, membership)


# --- the assistant's decision -------------------------------------------------------------


class DecisionOutcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    NOT_FOUND = "not_found"
    NOT_ASSISTANT = "not_assistant"  # a stranger, or an assistant since replaced
    LEADER_NOT_ASSISTANT = "leader_not_assistant"
    ALREADY_DECIDED = "already_decided"
    WITHDRAWN = "withdrawn"  # the applicant took the request back
    CENTER_INACTIVE = "center_inactive"


@dataclass
class Decision:
    outcome: DecisionOutcome
    membership: Membership | None = None
    center: Center | None = None
    applicant: User | None = None
    decider: User | None = None

    @property
    def made(self) -> bool:
        """True for the one call that changed the request."""
        return self.outcome in (DecisionOutcome.APPROVED, DecisionOutcome.REJECTED)


async def _decision(session: AsyncSession, outcome: DecisionOutcome, membership: Membership) -> Decision:
    center = await centers_repo.by_id(session, membership.center_id)
    people = await users_repo.by_ids(session, [i for i in (membership.user_id, membership.decided_by) if i])
    decider = people.get(membership.decided_by) if membership.decided_by else None
    return Decision(outcome, membership, center, people.get(membership.user_id), decider)


async def why_not_decide(session: AsyncSession, membership_id: int, actor_id: int) -> Decision | None:
    """Why `actor_id` cannot decide this request now; None when they can."""
    membership = await repo.by_id(session, membership_id)
    if membership is None:
        return Decision(DecisionOutcome.NOT_FOUND)
    center = await centers_repo.by_id(session, membership.center_id)
    assert center is not None
    if center.assistant_id != actor_id:
        # The leader is told who decides; anyone else learns nothing about the request.
        if center.leader_id == actor_id:
            return Decision(DecisionOutcome.LEADER_NOT_ASSISTANT, center=center)
        return Decision(DecisionOutcome.NOT_ASSISTANT)
    if membership.status == MembershipStatus.WITHDRAWN:
        return await _decision(session, DecisionOutcome.WITHDRAWN, membership)
    if membership.status != MembershipStatus.PENDING:
        return await _decision(session, DecisionOutcome.ALREADY_DECIDED, membership)
    if center.status != CenterStatus.ACTIVE:
        return Decision(DecisionOutcome.CENTER_INACTIVE, membership, center)
    return None


async def decide(
    session: AsyncSession, membership_id: int, actor_id: int, approve: bool, now: datetime,
    reason: str | None = None, note: str | None = None,
) -> Decision:
    """Approve or reject a pending request; only the center's current assistant may.

    Exactly one of any number of simultaneous calls gets APPROVED/REJECTED; the others get
    the reason nothing changed.
    """
    if approve:
        reason = note = None
    elif reason is not None and reason not in (*REJECT_PRESETS, REJECT_OTHER):
        raise ValueError(f"unknown reason {reason!r}")
    if note is not None and reason != REJECT_OTHER:
        raise ValueError("a note goes with the reason 'other'")
    status = MembershipStatus.ACTIVE if approve else MembershipStatus.REJECTED
    if await repo.decide_if_pending(session, membership_id, actor_id, status, now, reason, note):
        _audit(session, actor_id, "membership.approved" if approve else "membership.rejected", membership_id, now,
               **({} if approve else {"reason": reason, "note": note}))
        membership = await repo.by_id(session, membership_id)
        assert membership is not None
        outcome = DecisionOutcome.APPROVED if approve else DecisionOutcome.REJECTED
        return await _decision(session, outcome, membership)
    blocker = await why_not_decide(session, membership_id, actor_id)
    # A decision that lost a race finds the request already decided by the winner.
    return blocker or Decision(DecisionOutcome.ALREADY_DECIDED)


async def approve_all(session: AsyncSession, actor_id: int, up_to: datetime, now: datetime) -> list[Decision]:
    """Approve the assistant's pending requests made at or before `up_to` (what they were shown)."""
    center = await centers_repo.assisted_by(session, actor_id)
    if center is None or center.status != CenterStatus.ACTIVE:
        return []
    ids = [id_of(m) for m in await repo.pending_for_center(session, id_of(center), up_to=up_to)]
    decisions = []
    for membership_id in ids:
        decision = await decide(session, membership_id, actor_id, True, now)
        if decision.made:
            decisions.append(decision)
    return decisions


# --- who runs a center ------------------------------------------------------------------


@dataclass
class Staff:
    center: Center
    role: StaffRole

    @property
    def is_assistant(self) -> bool:
        return self.role == StaffRole.ASSISTANT


async def staff_of(session: AsyncSession, user_id: int) -> Staff | None:
    """The center this person leads or assists (the assistant role wins if somehow both)."""
    center = await centers_repo.run_by(session, user_id)
    if center is None:
        return None
    return Staff(center, StaffRole.ASSISTANT if center.assistant_id == user_id else StaffRole.LEADER)


async def pending_requests(session: AsyncSession, center_id: int, limit: int | None = None) -> list[tuple[Membership, User]]:
    rows = await repo.pending_for_center(session, center_id, limit=limit)
    people = await users_repo.by_ids(session, [m.user_id for m in rows])
    return [(m, people[m.user_id]) for m in rows]


async def pending_count(session: AsyncSession, center_id: int) -> int:
    return await repo.count(session, center_id, MembershipStatus.PENDING)


async def member_count(session: AsyncSession, center_id: int) -> int:
    return await repo.count(session, center_id, MembershipStatus.ACTIVE)


async def pending_up_to(session: AsyncSession, center_id: int, up_to: datetime) -> list[Membership]:
    return await repo.pending_for_center(session, center_id, up_to=up_to)


async def notice_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    """How a recorded notice went: sent, unreachable, failed (None: never attempted)."""
    return await repo.delivery_status(session, purpose, ref_id, user_id)


# --- notices sent again (bot/sending/delivery.resend_notices): do they still hold? -------------


async def decision_to_tell(session: AsyncSession, membership_id: int, applicant_id: int) -> Decision | None:
    """The decision a join_decision notice tells, if it still holds now: approved and still a
    member, or rejected with no request or membership since."""
    membership = await repo.by_id(session, membership_id)
    if membership is None or membership.user_id != applicant_id:
        return None
    if membership.status == MembershipStatus.ACTIVE:
        outcome = DecisionOutcome.APPROVED
    elif membership.status == MembershipStatus.REJECTED and await repo.current_for(session, applicant_id) is None:
        outcome = DecisionOutcome.REJECTED
    else:
        return None
    return await _decision(session, outcome, membership)


async def request_to_tell(session: AsyncSession, membership_id: int, recipient_id: int,
                          role: StaffRole) -> tuple[Membership, Center, User, User | None] | None:
    """(request, center, applicant, assistant) for a notice about a request to the center's
    assistant or leader (`role`): only while it waits and they hold that role."""
    view = await membership_view(session, membership_id)
    if view is None:
        return None
    membership, center, applicant = view
    holder = center.assistant_id if role == StaffRole.ASSISTANT else center.leader_id
    if membership.status != MembershipStatus.PENDING or holder != recipient_id:
        return None
    assistant = await users_repo.by_id(session, center.assistant_id) if center.assistant_id else None
    return membership, center, applicant, assistant


async def ending_to_tell(session: AsyncSession, membership_id: int, status: MembershipStatus,
                         recipient_id: int) -> tuple[Membership, Center, User] | None:
    """(membership, center, member) for a notice that a member was removed (to them) or left
    (to the center's assistant), while that is still so."""
    view = await membership_view(session, membership_id)
    if view is None:
        return None
    membership, center, member = view
    recipient = member.id if status == MembershipStatus.REMOVED else center.assistant_id
    if membership.status != status or recipient != recipient_id:
        return None
    return view


async def current_membership(session: AsyncSession, user_id: int) -> tuple[Membership, Center] | None:
    """The person's active membership, else their pending request, with its center."""
    membership = await repo.current_for(session, user_id)
    if membership is None:
        return None
    center = await centers_repo.by_id(session, membership.center_id)
    assert center is not None
    return membership, center


async def card_of(session: AsyncSession, membership_id: int, user_id: int) -> tuple[Membership, CenterInfo] | None:
    """A person's own membership (in whatever state) with its center's card; None if not theirs."""
    membership = await repo.by_id(session, membership_id)
    if membership is None or membership.user_id != user_id:
        return None
    center = await centers_repo.by_id(session, membership.center_id)
    assert center is not None
    return membership, await center_info(session, center)


# --- members: list, leave, withdraw, remove -------------------------------------------------


@dataclass
class MembersPage:
    rows: list[tuple[Membership, User]]
    page: int
    pages: int
    total: int


async def members_page(session: AsyncSession, center_id: int, page: int, size: int) -> MembersPage:
    total = await repo.count(session, center_id, MembershipStatus.ACTIVE)
    pages = max(1, math.ceil(total / size))
    page = min(max(page, 0), pages - 1)
    rows = await repo.active_with_users(session, center_id, page * size, size)
    return MembersPage(rows, page, pages, total)


MemberRow = repo.MemberRow  # full_name, first_name, last_name, mobile, platform, decided_at, requested_at


def member_rows(session: AsyncSession, center_id: int, batch: int = 1000) -> AsyncIterator[Sequence[MemberRow]]:
    """Every member of the center, for the file: plain rows, a batch at a time."""
    return repo.active_member_rows(session, center_id, batch)


class EndOutcome(StrEnum):
    DONE = "done"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"
    GONE = "gone"  # no longer in the state the button was for


@dataclass
class Ending:
    outcome: EndOutcome
    membership: Membership | None = None
    center: Center | None = None
    member: User | None = None
    extra: dict[str, object] = field(default_factory=dict)


async def _end(session: AsyncSession, membership: Membership, from_status: MembershipStatus,
               to_status: MembershipStatus, actor_id: int, now: datetime, by: int | None = None) -> Ending:
    center = await centers_repo.by_id(session, membership.center_id)
    member = await users_repo.by_id(session, membership.user_id)
    membership_id = id_of(membership)
    if not await repo.end_if(session, membership_id, from_status, to_status, now, by=by):
        return Ending(EndOutcome.GONE, membership, center, member)
    _audit(session, actor_id, f"membership.{to_status}", membership_id, now)
    return Ending(EndOutcome.DONE, await repo.by_id(session, membership_id), center, member)


async def withdraw(session: AsyncSession, membership_id: int, user_id: int, now: datetime) -> Ending:
    """The applicant takes back a pending request."""
    membership = await repo.by_id(session, membership_id)
    if membership is None or membership.user_id != user_id:
        return Ending(EndOutcome.NOT_FOUND)
    return await _end(session, membership, MembershipStatus.PENDING, MembershipStatus.WITHDRAWN, user_id, now)


async def leave(session: AsyncSession, membership_id: int, user_id: int, now: datetime) -> Ending:
    """A member leaves their center."""
    membership = await repo.by_id(session, membership_id)
    if membership is None or membership.user_id != user_id:
        return Ending(EndOutcome.NOT_FOUND)
    return await _end(session, membership, MembershipStatus.ACTIVE, MembershipStatus.LEFT, user_id, now)


async def remove(session: AsyncSession, membership_id: int, actor_id: int, now: datetime) -> Ending:
    """The center's leader or assistant removes a member."""
    membership = await repo.by_id(session, membership_id)
    if membership is None:
        return Ending(EndOutcome.NOT_FOUND)
    staff = await staff_of(session, actor_id)
    if staff is None or staff.center.id != membership.center_id:
        return Ending(EndOutcome.NOT_ALLOWED)
    ending = await _end(session, membership, MembershipStatus.ACTIVE, MembershipStatus.REMOVED, actor_id, now,
                        by=actor_id)
    ending.extra["role"] = staff.role
    return ending


async def membership_view(session: AsyncSession, membership_id: int) -> tuple[Membership, Center, User] | None:
    membership = await repo.by_id(session, membership_id)
    if membership is None:
        return None
    center = await centers_repo.by_id(session, membership.center_id)
    member = await users_repo.by_id(session, membership.user_id)
    assert center is not None and member is not None
    return membership, center, member


# --- reminders of requests left waiting ------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    center: Center
    recipient: User
    count: int  # the requests the notice is about
    assistant: User | None = None  # named in the leader's alert


async def waiting_requests_due(session: AsyncSession, now: datetime) -> tuple[list[Overdue], list[Overdue]]:
    """(assistants to remind, leaders to alert) about requests left waiting, from one grouped
    query over the pending requests.

    An assistant hears of requests waiting over REMIND_AFTER at most once per REMIND_EVERY,
    and not while they have blocked the bot (so nothing is retried forever); a leader hears
    once of each request waiting over ALERT_LEADER_AFTER.
    """
    not_since = now - REMIND_EVERY
    reminders, alerts = [], []
    for found in await repo.waiting(session, now - REMIND_AFTER, now - ALERT_LEADER_AFTER, not_since):
        assistant = found.assistant
        quiet = found.last_reminded is None or found.last_reminded <= not_since
        if quiet and assistant is not None and assistant.blocked_at is None:
            reminders.append(Overdue(found.center, assistant, found.overdue))
        if found.unalerted:
            alerts.append(Overdue(found.center, found.leader, found.unalerted, assistant))
    return reminders, alerts


async def assistant_reminders_due(session: AsyncSession, now: datetime) -> list[Overdue]:
    return (await waiting_requests_due(session, now))[0]


async def claim_assistant_reminder(session: AsyncSession, overdue: Overdue, now: datetime) -> bool:
    """True if this call claimed the reminder (False: another run sent it meanwhile)."""
    claimed = await repo.claim_reminded(session, id_of(overdue.center), now - REMIND_AFTER, now, now - REMIND_EVERY)
    return claimed > 0


async def leader_alerts_due(session: AsyncSession, now: datetime) -> list[Overdue]:
    return (await waiting_requests_due(session, now))[1]


async def claim_leader_alert(session: AsyncSession, overdue: Overdue, now: datetime) -> int:
    """How many of the requests this call claimed (0: another run already told the leader)."""
    return await repo.claim_leader_alerted(session, id_of(overdue.center), now - ALERT_LEADER_AFTER, now)
