"""Registering a center and its assistant; the center's details; its ID.

The rules (docs/registration.md):
- A center is registered by its leader in the state *awaiting_assistant*, with one open
  assistant invitation. It becomes *active* and gets its ID only when the invited person
  accepts and declares their name and mobile: both must be known before the ID exists.
- An invitation is valid for seven days and can be used once (accepted or declined). A new
  invitation cancels the center's older open ones.
- One person runs at most one live center, as leader or as assistant, not both.
- The leader cannot be their own assistant (same account, or the same mobile number).

Plain async functions over an AsyncSession; no Telegram types. They flush, never commit: the
caller's unit of work (bot/actions/registration.py) commits everything an intent wrote at
once. The "at most one" rules are also unique indexes (migration 0002); a clash there is
caught in a SAVEPOINT and becomes the same Problem as the check in code.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterKind, CenterStatus, InvitationStatus, MembershipStatus
from bot.db.models import AssistantInvitation, Center, User
from bot.db.repo import audit
from bot.db.repo import centers as centers_repo
from bot.db.repo import charity as charity_repo
from bot.db.repo import invitations as invitations_repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.persian.digits import ascii_digits
from bot.persian.text import name_search_key, search_key
from bot.services import center_codes, users
from bot.services.refusals import Refusal

# Kept for the catalog test and older callers; the values are the enums'.
KINDS = tuple(CenterKind)
OTHER = CenterKind.OTHER
AWAITING, ACTIVE = CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE
SUSPENDED, CANCELLED = CenterStatus.SUSPENDED, CenterStatus.CANCELLED
LIVE = centers_repo.LIVE_STATUSES
# States in which the leader still manages the center (edits, invitations).
MANAGED = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE)

NAME_MIN, NAME_MAX = 2, 64
KIND_LABEL_MIN, KIND_LABEL_MAX = 2, 32
AREA_MAX = 100
DESCRIPTION_MAX = 500
EDITABLE = ("name", "area", "description")

INVITATION_VALIDITY = timedelta(days=7)
CODE_ATTEMPTS = 20


class Problem(Refusal):
    """A registration rule said no; `code` picks «reg-problem-<code>»."""

    feature = "reg"

    # Reasons, each with a catalog message «reg-problem-<reason>».
    NOT_FOUND = "not_found"  # no such invitation
    USED = "used"  # already accepted
    DECLINED = "declined"  # already declined
    CANCELLED = "cancelled"  # the leader cancelled it, or issued a newer one
    EXPIRED = "expired"
    SELF = "self"  # the leader opened their own invitation
    SAME_MOBILE = "same_mobile"  # the invitee declared the leader's own mobile
    ALREADY_ASSISTANT = "already_assistant"  # already the assistant of this very center
    BUSY = "busy"  # already leads or assists another center
    CENTER_GONE = "center_gone"  # the center was cancelled or suspended meanwhile
    RUNS_CENTER = "runs_center"  # registering while already leading or assisting a center
    NOT_LEADER = "not_leader"  # only the leader may do this
    NOT_ALLOWED = "not_allowed"  # not in the center's current state
    NO_CENTER = "no_center"  # a card button, from someone who runs no center (any more)
    HAS_ASSISTANT = "has_assistant"  # «invite someone else» after the center got its assistant
    NOT_ACTIVE_YET = "not_active_yet"  # the member link before the center has its ID

    @property
    def reason(self) -> str:
        return self.code


# Why an invitation that is no longer open cannot be used, by its status.
_ANSWERED: dict[str, str] = {InvitationStatus.ACCEPTED: Problem.USED, InvitationStatus.DECLINED: Problem.DECLINED}


def id_of(row: Center | AssistantInvitation) -> int:
    """The id of a row that has been flushed."""
    assert row.id is not None, "a row that was never flushed"
    return row.id


def is_expired(invitation: AssistantInvitation, now: datetime) -> bool:
    return invitation.expires_at <= now


def name_is_only_digits(name: str) -> bool:
    compact = "".join(ascii_digits(name).split())
    return compact.isdigit()


def name_fault(name: str) -> str | None:
    """Why a center's name cannot be used: "digits" (only digits), "letters" (fewer than two
    letters: «🎉🎉🎉», «...»), or None when it is a name."""
    if name_is_only_digits(name):
        return "digits"
    if not users.has_name_letters(name):
        return "letters"
    return None


def area_key(area: str | None) -> str | None:
    return search_key(area) or None if area else None


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters of [A-Za-z0-9_-]: fits a deep link


# --- looking --------------------------------------------------------------------------------


async def run_by(session: AsyncSession, user_id: int) -> Center | None:
    """The live center this person leads or assists, if any."""
    return await centers_repo.run_by(session, user_id)


async def find_duplicate(
    session: AsyncSession, name: str, area: str | None, exclude_id: int | None = None,
) -> Center | None:
    """Another active center with the same name in the same area (both compared folded)."""
    return await centers_repo.active_named(session, search_key(name), area_key(area), exclude_id)


async def led_center(session: AsyncSession, user_id: int) -> Center:
    """The center this person leads and still manages; Problem if none (or only assists one)."""
    center = await centers_repo.run_by(session, user_id)
    if center is None:
        raise Problem(Problem.NO_CENTER)
    if center.leader_id != user_id:
        raise Problem(Problem.NOT_LEADER)
    if center.status not in MANAGED:
        raise Problem(Problem.NOT_ALLOWED)
    return center


# --- registering ----------------------------------------------------------------------------


async def find_registration(session: AsyncSession, leader_id: int, request_key: str) -> Center | None:
    """The center this registration draft already made (a repeated «تأیید»), if any."""
    return await centers_repo.by_request_key(session, leader_id, request_key)


async def register(
    session: AsyncSession, leader_id: int, *, name: str, kind: str, kind_label: str | None,
    area: str | None, description: str | None, full_name: str, mobile: str, now: datetime,
    request_key: str | None = None,
) -> tuple[Center, AssistantInvitation]:
    """The center awaiting its assistant, and the first invitation for the leader to forward."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if name_fault(name):
        raise ValueError(f"not a center name: {name!r}")
    if await centers_repo.run_by(session, leader_id) is not None:
        raise Problem(Problem.RUNS_CENTER)
    await users.set_contact_details(session, leader_id, full_name, mobile)
    center = Center(
        name=name, name_key=search_key(name), search_key=name_search_key(name), kind=kind,
        kind_label=kind_label if kind == OTHER else None, area=area, area_key=area_key(area),
        description=description, status=AWAITING, leader_id=leader_id, created_at=now, request_key=request_key,
    )
    try:
        async with session.begin_nested():
            session.add(center)
            await session.flush()
    except IntegrityError:  # uq_centers_live_leader: another registration of theirs won the race
        raise Problem(Problem.RUNS_CENTER) from None
    center_id = id_of(center)
    audit.add(
        session, leader_id, "center.registered", "center", center_id, now,
        name=name, kind=kind, kind_label=center.kind_label, area=area, description=description,
        leader_name=full_name, leader_mobile=mobile,
    )
    invitation = await _add_invitation(session, center_id, leader_id, now)
    audit.add(session, leader_id, "invitation.created", "invitation", id_of(invitation), now, center_id=center_id)
    return center, invitation


async def _add_invitation(session: AsyncSession, center_id: int, by: int, now: datetime) -> AssistantInvitation:
    """A new open invitation, flushed; IntegrityError if the center has another open one."""
    invitation = AssistantInvitation(
        token=_new_token(), center_id=center_id, created_by=by, status=InvitationStatus.OPEN, created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def _leaders_center(session: AsyncSession, center_id: int, by: int) -> Center:
    center = await centers_repo.by_id(session, center_id)
    if center is None or center.status not in MANAGED:
        raise Problem(Problem.CENTER_GONE)
    if center.leader_id != by:
        raise Problem(Problem.NOT_LEADER)
    return center


async def _cancel_open(session: AsyncSession, center_id: int, by: int, now: datetime) -> int:
    cancelled = 0
    for invitation in await invitations_repo.open_for(session, center_id):
        if await invitations_repo.set_status_if(
            session, id_of(invitation), InvitationStatus.OPEN, status=InvitationStatus.CANCELLED, used_at=now,
        ):
            audit.add(session, by, "invitation.cancelled", "invitation", invitation.id, now, center_id=center_id)
            cancelled += 1
    return cancelled


async def issue_invitation(session: AsyncSession, center_id: int, by: int, now: datetime) -> AssistantInvitation:
    """An invitation for the center's assistant (first one, after a decline or expiry, or to
    replace the assistant).

    If a still-valid open one exists it is returned as it is, so a double tap does not make
    the link just forwarded useless; expired open ones are cancelled. The leader who wants a
    different link cancels the open one first.
    """
    center = await _leaders_center(session, center_id, by)
    current = await current_invitation(session, center_id)
    if current is not None and not is_expired(current, now):
        return current
    await _cancel_open(session, center_id, by, now)
    try:
        async with session.begin_nested():
            invitation = await _add_invitation(session, center_id, by, now)
    except IntegrityError:  # uq_invitations_open: a request at the same moment issued one first
        current = await current_invitation(session, center_id)
        if current is None:
            raise
        return current
    audit.add(
        session, by, "invitation.created", "invitation", id_of(invitation), now, center_id=center_id,
        replacing_assistant=center.assistant_id,
    )
    return invitation


async def current_invitation(session: AsyncSession, center_id: int) -> AssistantInvitation | None:
    """The newest open invitation (it may have expired: see is_expired)."""
    open_ones = await invitations_repo.open_for(session, center_id)
    return open_ones[0] if open_ones else None


async def cancel_invitation(session: AsyncSession, center_id: int, by: int, now: datetime) -> bool:
    await _leaders_center(session, center_id, by)
    return await _cancel_open(session, center_id, by, now) > 0


async def drop_registration(session: AsyncSession, center_id: int, by: int, now: datetime) -> Center:
    """The leader gives up a registration still awaiting its assistant."""
    center = await _leaders_center(session, center_id, by)
    if center.status != AWAITING:
        raise Problem(Problem.NOT_ALLOWED)
    await _cancel_open(session, center_id, by, now)
    if not await centers_repo.update_if(session, center_id, {"status": AWAITING}, status=CANCELLED):
        raise Problem(Problem.NOT_ALLOWED)
    audit.add(session, by, "center.dropped", "center", center_id, now)
    await session.refresh(center)
    return center


# --- the invited person ---------------------------------------------------------------------


@dataclass
class InvitationView:
    invitation: AssistantInvitation
    center: Center
    leader: User
    already: bool = False  # declining: this person had declined it already (a repeated tap)


def _not_open(invitation: AssistantInvitation) -> Problem:
    return Problem(_ANSWERED.get(invitation.status, Problem.CANCELLED))


async def inspect_invitation(
    session: AsyncSession, token: str, user_id: int, now: datetime, *, accepting: bool = True,
) -> InvitationView:
    """What the person who opened the link may do with it; raises Problem when nothing.

    `accepting=False` (declining) skips the checks that only matter to someone taking the role.
    """
    invitation = await invitations_repo.by_token(session, token) if token else None
    if invitation is None:
        raise Problem(Problem.NOT_FOUND)
    center = await centers_repo.by_id(session, invitation.center_id)
    if invitation.status != InvitationStatus.OPEN:
        if (invitation.status == InvitationStatus.ACCEPTED and invitation.used_by == user_id
                and center is not None and center.assistant_id == user_id):
            raise Problem(Problem.ALREADY_ASSISTANT)  # their own link again, after accepting it
        raise _not_open(invitation)
    if is_expired(invitation, now):
        raise Problem(Problem.EXPIRED)
    if center is None or center.status not in MANAGED:
        raise Problem(Problem.CENTER_GONE)
    if center.leader_id == user_id:
        raise Problem(Problem.SELF)
    if accepting:
        if center.assistant_id == user_id:
            raise Problem(Problem.ALREADY_ASSISTANT)
        if await centers_repo.run_by(session, user_id) is not None:
            raise Problem(Problem.BUSY)
    return InvitationView(invitation, center, await users.get(session, center.leader_id))


@dataclass
class Accepted:
    center: Center
    leader: User
    assistant: User
    invitation_id: int
    activated: bool  # True: the center just got its ID; False: an assistant was replaced
    previous_assistant: User | None
    already: bool = False  # this person had accepted it already (a repeated finishing step)


async def acceptance(session: AsyncSession, invitation_id: int) -> Accepted | None:
    """An accepted invitation as it was accepted (for a repeated finishing step, and for the
    notices sent again); None if it was not accepted or its center is gone."""
    invitation = await invitations_repo.by_id(session, invitation_id)
    if invitation is None or invitation.status != InvitationStatus.ACCEPTED or invitation.used_by is None:
        return None
    center = await centers_repo.by_id(session, invitation.center_id)
    if center is None or center.status not in LIVE:
        return None
    recorded = await audit.details_of_last(session, "invitation.accepted", "invitation", invitation_id) or {}
    previous_id = recorded.get("previous_assistant_id")
    previous = await users_repo.by_id(session, previous_id) if isinstance(previous_id, int) else None
    return Accepted(
        center=center, leader=await users.get(session, center.leader_id),
        assistant=await users.get(session, invitation.used_by), invitation_id=invitation_id,
        activated=bool(recorded.get("activated", previous_id is None)), previous_assistant=previous, already=True,
    )


async def _take_role(
    session: AsyncSession, center: Center, user_id: int, now: datetime, new_code: Callable[[], int],
) -> bool:
    """Make `user_id` the center's assistant; True if that activated it (with a new ID)."""
    center_id = id_of(center)
    activating = center.status == AWAITING
    for _ in range(CODE_ATTEMPTS):
        code = new_code() if activating else center.code
        if activating:
            if code is None or await centers_repo.by_code(session, code) is not None:
                continue  # the unlikely collision: draw again
            where: dict[str, object] = {"status": AWAITING, "assistant_id": None}
            values: dict[str, object] = {
                "status": ACTIVE, "assistant_id": user_id, "code": code, "activated_at": now,
            }
        else:
            where, values = {"status": ACTIVE, "assistant_id": center.assistant_id}, {"assistant_id": user_id}
        try:
            async with session.begin_nested():
                moved = await centers_repo.update_if(session, center_id, where, **values)
        except IntegrityError:
            if activating and code is not None and await centers_repo.by_code(session, code) is not None:
                continue  # another activation took the same code a moment ago
            raise Problem(Problem.BUSY) from None  # uq_centers_live_assistant: they took a role meanwhile
        if not moved:
            raise Problem(Problem.CENTER_GONE)
        return activating
    raise RuntimeError("could not issue a unique center ID")


async def accept_invitation(
    session: AsyncSession, token: str, user_id: int, *, full_name: str, mobile: str, now: datetime,
    new_code: Callable[[], int] = center_codes.new_code,
) -> Accepted:
    """The invited person takes the role: the center becomes active with its ID, or its assistant
    changes. The token is the key: accepting again what they accepted finds it (`already`)."""
    invitation = await invitations_repo.by_token(session, token) if token else None
    if invitation is not None and invitation.status == InvitationStatus.ACCEPTED and invitation.used_by == user_id:
        replay = await acceptance(session, id_of(invitation))
        if replay is not None:
            return replay
    view = await inspect_invitation(session, token, user_id, now)
    center, leader, invitation = view.center, view.leader, view.invitation
    if leader.mobile and leader.mobile == mobile:
        raise Problem(Problem.SAME_MOBILE)
    invitation_id, center_id, previous_id = id_of(invitation), id_of(center), center.assistant_id
    if not await invitations_repo.set_status_if(
        session, invitation_id, InvitationStatus.OPEN, status=InvitationStatus.ACCEPTED, used_by=user_id, used_at=now,
    ):
        await session.refresh(invitation)  # someone answered first: say how
        raise _not_open(invitation)
    activated = await _take_role(session, center, user_id, now, new_code)
    await session.refresh(center)  # the conditional UPDATE went around the loaded row
    assistant = await users.set_contact_details(session, user_id, full_name, mobile)
    audit.add(
        session, user_id, "invitation.accepted", "invitation", invitation_id, now,
        center_id=center_id, assistant_name=full_name, assistant_mobile=mobile,
        activated=activated, previous_assistant_id=previous_id,
    )
    if activated:
        audit.add(session, user_id, "center.activated", "center", center_id, now, code=center.code, assistant_id=user_id)
    else:
        audit.add(
            session, user_id, "center.assistant_replaced", "center", center_id, now,
            previous_assistant_id=previous_id, assistant_id=user_id,
        )
    await session.flush()
    previous = await users_repo.by_id(session, previous_id) if previous_id else None
    return Accepted(center, leader, assistant, invitation_id, activated, previous)


async def decline_invitation(session: AsyncSession, token: str, user_id: int, now: datetime) -> InvitationView:
    invitation = await invitations_repo.by_token(session, token) if token else None
    if invitation is not None and invitation.status == InvitationStatus.DECLINED and invitation.used_by == user_id:
        center = await centers_repo.by_id(session, invitation.center_id)
        if center is not None:  # their own «❌ رد» again: the same answer
            return InvitationView(invitation, center, await users.get(session, center.leader_id), already=True)
    view = await inspect_invitation(session, token, user_id, now, accepting=False)
    invitation_id = id_of(view.invitation)
    if not await invitations_repo.set_status_if(
        session, invitation_id, InvitationStatus.OPEN, status=InvitationStatus.DECLINED, used_by=user_id, used_at=now,
    ):
        await session.refresh(view.invitation)
        raise _not_open(view.invitation)
    audit.add(session, user_id, "invitation.declined", "invitation", invitation_id, now, center_id=view.center.id)
    await session.refresh(view.invitation)
    return view


async def declined(session: AsyncSession, invitation_id: int) -> tuple[InvitationView, User] | None:
    """A declined invitation and who declined it (for the leader's notice sent again)."""
    invitation = await invitations_repo.by_id(session, invitation_id)
    if invitation is None or invitation.status != InvitationStatus.DECLINED or invitation.used_by is None:
        return None
    center = await centers_repo.by_id(session, invitation.center_id)
    if center is None:
        return None
    view = InvitationView(invitation, center, await users.get(session, center.leader_id))
    return view, await users.get(session, invitation.used_by)


# --- the center's details -------------------------------------------------------------------


async def update_details(
    session: AsyncSession, center_id: int, by: int, field: str, value: str | None, now: datetime,
) -> Center:
    """The leader edits the name, area or description (None clears area or description)."""
    if field not in EDITABLE:
        raise ValueError(field)
    if field == "name" and (not value or name_fault(value)):
        raise ValueError(f"not a center name: {value!r}")
    center = await _leaders_center(session, center_id, by)
    old = getattr(center, field)
    setattr(center, field, value)
    if field == "name":
        center.name_key = search_key(value or "")
        center.search_key = name_search_key(value or "")
    elif field == "area":
        center.area_key = area_key(value)
    session.add(center)
    audit.add(session, by, f"center.{field}_changed", "center", center_id, now, old=old, new=value)
    await session.flush()
    return center


@dataclass
class Card:
    center: Center
    leader: User
    assistant: User | None
    facilitator: User | None
    members: int
    pending: int
    invitation: AssistantInvitation | None  # the newest open one, if any
    supporters: int = 0  # حامیان (issue 13)


async def card(session: AsyncSession, center_id: int) -> Card:
    center = await centers_repo.by_id(session, center_id)
    assert center is not None
    people = await users_repo.by_ids(
        session, [i for i in (center.leader_id, center.assistant_id, center.facilitator_id) if i]
    )
    return Card(
        center=center,
        leader=people[center.leader_id],
        assistant=people.get(center.assistant_id) if center.assistant_id else None,
        facilitator=people.get(center.facilitator_id) if center.facilitator_id else None,
        members=await memberships_repo.count(session, center_id, MembershipStatus.ACTIVE),
        pending=await memberships_repo.count(session, center_id, MembershipStatus.PENDING),
        invitation=await current_invitation(session, center_id),
        supporters=await charity_repo.supporter_count(session, [center_id]),
    )
