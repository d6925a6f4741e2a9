"""Registering a center and its assistant; the center's details; its ID.

The rules (docs/registration.md):
- A center is registered by its leader in the state *awaiting_assistant*, with one open
  assistant invitation. It becomes *active* and gets its ID only when the invited person
  accepts and declares their name and mobile: both must be known before the ID exists.
- An invitation is valid for seven days and can be used once (accepted or declined). A new
  invitation cancels the center's older open ones.
- One person runs at most one live center, as leader or as assistant, not both.
- The leader cannot be their own assistant (same account, or the same mobile number).

Plain async functions over an AsyncSession; no Telegram types. Each public function that
changes something commits its own transaction and records AuditEvents.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AssistantInvitation, Center, User
from bot.db.repo import audit
from bot.db.repo import centers as centers_repo
from bot.db.repo import invitations as invitations_repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.services import center_codes
from bot.persian.text import ascii_digits, name_search_key, search_key

KINDS = ("family", "neighbourhood", "tribe", "hometown", "mosque", "workplace", "other")
OTHER = "other"

NAME_MIN, NAME_MAX = 2, 64
KIND_LABEL_MIN, KIND_LABEL_MAX = 2, 32
AREA_MAX = 100
DESCRIPTION_MAX = 500
EDITABLE = ("name", "area", "description")

INVITATION_VALIDITY = timedelta(days=7)
CODE_ATTEMPTS = 20

AWAITING, ACTIVE, SUSPENDED, CANCELLED = "awaiting_assistant", "active", "suspended", "cancelled"


class Problem(Exception):
    """A rule said no; `reason` picks the message the user sees."""

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

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_expired(invitation: AssistantInvitation, now: datetime) -> bool:
    return invitation.expires_at <= now


def name_is_only_digits(name: str) -> bool:
    compact = "".join(ascii_digits(name).split())
    return compact.isdigit()


def area_key(area: str | None) -> str | None:
    return search_key(area) or None if area else None


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters of [A-Za-z0-9_-]: fits a deep link


# --- duplicates ------------------------------------------------------------------------------


async def find_duplicate(
    session: AsyncSession, name: str, area: str | None, exclude_id: int | None = None,
) -> Center | None:
    """Another active center with the same name in the same area (both compared folded)."""
    return await centers_repo.active_named(session, search_key(name), area_key(area), exclude_id)


# --- registering ----------------------------------------------------------------------------


async def register(
    session: AsyncSession, leader_id: int, *, name: str, kind: str, kind_label: str | None,
    area: str | None, description: str | None, full_name: str, mobile: str, now: datetime,
) -> tuple[Center, AssistantInvitation]:
    """The center awaiting its assistant, and the first invitation for the leader to forward."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if await centers_repo.run_by(session, leader_id) is not None:
        raise Problem(Problem.RUNS_CENTER)
    leader = await users_repo.by_id(session, leader_id)
    assert leader is not None
    leader.full_name, leader.mobile = full_name, mobile
    session.add(leader)
    center = Center(
        name=name, name_key=search_key(name), search_key=name_search_key(name), kind=kind,
        kind_label=kind_label if kind == OTHER else None, area=area, area_key=area_key(area),
        description=description, status=AWAITING, leader_id=leader_id, created_at=now,
    )
    session.add(center)
    await session.flush()
    audit.add(
        session, leader_id, "center.registered", "center", center.id, now,
        name=name, kind=kind, kind_label=center.kind_label, area=area, description=description,
        leader_name=full_name, leader_mobile=mobile,
    )
    invitation = _invitation(session, center, leader_id, now)
    await session.flush()
    audit.add(session, leader_id, "invitation.created", "invitation", invitation.id, now, center_id=center.id)
    await session.commit()
    return center, invitation


def _invitation(session: AsyncSession, center: Center, by: int, now: datetime) -> AssistantInvitation:
    invitation = AssistantInvitation(
        token=_new_token(), center_id=center.id, created_by=by, status="open", created_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    session.add(invitation)
    return invitation


async def _leaders_center(session: AsyncSession, center_id: int, by: int) -> Center:
    center = await centers_repo.by_id(session, center_id)
    if center is None or center.status not in (AWAITING, ACTIVE):
        raise Problem(Problem.CENTER_GONE)
    if center.leader_id != by:
        raise Problem(Problem.NOT_LEADER)
    return center


async def _cancel_open(session: AsyncSession, center_id: int, by: int, now: datetime) -> int:
    cancelled = 0
    for invitation in await invitations_repo.open_for(session, center_id):
        if await invitations_repo.set_status_if(session, invitation.id, "open", status="cancelled", used_at=now):
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
    invitation = _invitation(session, center, by, now)
    await session.flush()
    audit.add(
        session, by, "invitation.created", "invitation", invitation.id, now, center_id=center_id,
        replacing_assistant=center.assistant_id,
    )
    await session.commit()
    return invitation


async def current_invitation(session: AsyncSession, center_id: int) -> AssistantInvitation | None:
    """The newest open invitation (it may have expired: see is_expired)."""
    open_ones = await invitations_repo.open_for(session, center_id)
    return open_ones[0] if open_ones else None


async def cancel_invitation(session: AsyncSession, center_id: int, by: int, now: datetime) -> bool:
    await _leaders_center(session, center_id, by)
    cancelled = await _cancel_open(session, center_id, by, now)
    await session.commit()
    return cancelled > 0


async def drop_registration(session: AsyncSession, center_id: int, by: int, now: datetime) -> None:
    """The leader gives up a registration still awaiting its assistant."""
    center = await _leaders_center(session, center_id, by)
    if center.status != AWAITING:
        raise Problem(Problem.NOT_ALLOWED)
    await _cancel_open(session, center_id, by, now)
    if not await centers_repo.update_if(session, center_id, {"status": AWAITING}, status=CANCELLED):
        await session.rollback()
        raise Problem(Problem.NOT_ALLOWED)
    audit.add(session, by, "center.dropped", "center", center_id, now)
    await session.commit()


# --- the invited person ---------------------------------------------------------------------


@dataclass
class InvitationView:
    invitation: AssistantInvitation
    center: Center
    leader: User


async def inspect_invitation(
    session: AsyncSession, token: str, user_id: int, now: datetime, *, accepting: bool = True,
) -> InvitationView:
    """What the person who opened the link may do with it; raises Problem when nothing.

    `accepting=False` (declining) skips the checks that only matter to someone taking the role.
    """
    invitation = await invitations_repo.by_token(session, token) if token else None
    if invitation is None:
        raise Problem(Problem.NOT_FOUND)
    if invitation.status != "open":
        answered = {"accepted": Problem.USED, "declined": Problem.DECLINED}
        raise Problem(answered.get(invitation.status, Problem.CANCELLED))
    if is_expired(invitation, now):
        raise Problem(Problem.EXPIRED)
    center = await centers_repo.by_id(session, invitation.center_id)
    if center is None or center.status not in (AWAITING, ACTIVE):
        raise Problem(Problem.CENTER_GONE)
    if center.leader_id == user_id:
        raise Problem(Problem.SELF)
    if accepting:
        if center.assistant_id == user_id:
            raise Problem(Problem.ALREADY_ASSISTANT)
        if await centers_repo.run_by(session, user_id) is not None:
            raise Problem(Problem.BUSY)
    leader = await users_repo.by_id(session, center.leader_id)
    assert leader is not None
    return InvitationView(invitation, center, leader)


@dataclass
class Accepted:
    center: Center
    leader: User
    assistant: User
    invitation_id: int
    activated: bool  # True: the center just got its ID; False: an assistant was replaced
    previous_assistant: User | None


async def accept_invitation(
    session: AsyncSession, token: str, user_id: int, *, full_name: str, mobile: str, now: datetime,
    new_code: Callable[[], int] = center_codes.new_code,
) -> Accepted:
    """The invited person takes the role: the center becomes active with its ID, or its assistant changes."""
    for _ in range(CODE_ATTEMPTS):
        view = await inspect_invitation(session, token, user_id, now)
        center, leader = view.center, view.leader
        if leader.mobile and leader.mobile == mobile:
            raise Problem(Problem.SAME_MOBILE)
        activating = center.status == AWAITING
        code = new_code() if activating else center.code
        if activating and await centers_repo.by_code(session, code) is not None:
            continue  # the unlikely collision: draw again
        invitation_id, center_id, previous_id = view.invitation.id, center.id, center.assistant_id
        if not await invitations_repo.set_status_if(
            session, invitation_id, "open", status="accepted", used_by=user_id, used_at=now,
        ):
            await session.rollback()
            session.expire_all()
            continue  # someone answered first: the next round says how
        if activating:
            moved = await centers_repo.update_if(
                session, center_id, {"status": AWAITING, "assistant_id": None},
                status=ACTIVE, assistant_id=user_id, code=code, activated_at=now,
            )
        else:
            moved = await centers_repo.update_if(
                session, center_id, {"status": ACTIVE, "assistant_id": previous_id}, assistant_id=user_id,
            )
        if not moved:
            await session.rollback()
            raise Problem(Problem.CENTER_GONE)
        assistant = await users_repo.by_id(session, user_id)
        assert assistant is not None
        assistant.full_name, assistant.mobile = full_name, mobile
        session.add(assistant)
        audit.add(
            session, user_id, "invitation.accepted", "invitation", invitation_id, now,
            center_id=center_id, assistant_name=full_name, assistant_mobile=mobile,
        )
        if activating:
            audit.add(session, user_id, "center.activated", "center", center_id, now, code=code, assistant_id=user_id)
        else:
            audit.add(
                session, user_id, "center.assistant_replaced", "center", center_id, now,
                previous_assistant_id=previous_id, assistant_id=user_id,
            )
        try:
            await session.commit()
        except IntegrityError:  # another center took the same code between our check and commit
            await session.rollback()
            session.expire_all()
            continue
        center = await centers_repo.by_id(session, center_id)
        await session.refresh(center)
        previous = await users_repo.by_id(session, previous_id) if previous_id else None
        leader = await users_repo.by_id(session, center.leader_id)
        return Accepted(center, leader, assistant, invitation_id, activating, previous)
    raise RuntimeError("could not issue a unique center ID")


async def decline_invitation(session: AsyncSession, token: str, user_id: int, now: datetime) -> InvitationView:
    view = await inspect_invitation(session, token, user_id, now, accepting=False)
    if not await invitations_repo.set_status_if(
        session, view.invitation.id, "open", status="declined", used_by=user_id, used_at=now,
    ):
        await session.rollback()
        raise Problem(Problem.USED)
    audit.add(session, user_id, "invitation.declined", "invitation", view.invitation.id, now, center_id=view.center.id)
    await session.commit()
    return view


# --- the center's details -------------------------------------------------------------------


async def update_details(
    session: AsyncSession, center_id: int, by: int, field: str, value: str | None, now: datetime,
) -> Center:
    """The leader edits the name, area or description (None clears area or description)."""
    if field not in EDITABLE:
        raise ValueError(field)
    if field == "name" and not value:
        raise ValueError("a center needs a name")
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
    await session.commit()
    await session.refresh(center)
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
        members=await memberships_repo.count(session, center_id, "active"),
        pending=await memberships_repo.count(session, center_id, "pending"),
        invitation=await current_invitation(session, center_id),
    )
