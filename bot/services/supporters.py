"""Supporters (حامی, issue 13): people outside a center who back it. The leader hands out a
one-time link per platform; whoever opens it and accepts is attached at once (no assistant's
approval), is not a member, receives the center's help campaigns (and the gatherings and
announcements its leader chooses to send them) and their final reports, and may pledge. A person
may support several centers, and leave any of them (the leader is told)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.charity_models import Supporter, SupporterInvitation
from bot.db.enums import CenterStatus, InvitationStatus
from bot.db.models import AuditEvent, Center, User
from bot.db.repo import audit as audit_repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import charity as repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.services.campaigns import audit, id_of, leader_center
from bot.services.refusals import Refusal

INVITATION_LIFETIME = timedelta(days=7)


class SupporterError(Refusal):
    """A supporter rule said no; `code` picks «supporter-error-<code>»."""

    feature = "supporter"


ERROR_CODES = ("invalid", "expired", "used", "own_center", "member", "inactive", "not_supporter", "gone")
# Supported centers shown on «کانون من» (one card each).
MAX_SHOWN = 10
MAX_LISTED = 20  # supporters on the leader's list, each with a «remove» button
# Audit events of a supporter's link going; the notice it causes is keyed by the event.
LEFT, REMOVED = "supporter.left", "supporter.removed"


async def invite(session: AsyncSession, leader_id: int, now: datetime,
                 admin_center_id: int | None = None) -> tuple[Center, SupporterInvitation]:
    """A new one-time invitation of the center this person leads, or (for an admin, whom the
    caller has checked) of the named active center."""
    if admin_center_id is None:
        center = await leader_center(session, leader_id)
    else:
        found = await centers_repo.by_id(session, admin_center_id)
        if found is None or found.status != CenterStatus.ACTIVE:
            raise SupporterError("inactive")
        center = found
    invitation = SupporterInvitation(token=secrets.token_urlsafe(16), center_id=id_of(center), created_by=leader_id,
                                     created_at=now, expires_at=now + INVITATION_LIFETIME)
    session.add(invitation)
    await session.flush()
    audit(session, leader_id, "supporter.invited", id_of(center), now, invitation=id_of(invitation))
    return center, invitation


async def opened(session: AsyncSession, token: str, now: datetime) -> tuple[SupporterInvitation, Center]:
    invitation = await repo.supporter_invitation(session, token)
    center = await centers_repo.by_id(session, invitation.center_id) if invitation else None
    if invitation is None or center is None:
        raise SupporterError("invalid")
    if invitation.status != InvitationStatus.OPEN:
        raise SupporterError("used")
    if invitation.expires_at <= now:
        raise SupporterError("expired")
    if center.status != CenterStatus.ACTIVE:
        raise SupporterError("inactive")
    return invitation, center


@dataclass
class Accepted:
    center: Center
    already: bool


async def accept(session: AsyncSession, token: str, user_id: int, now: datetime) -> Accepted:
    """Attach this person as a supporter (the link is used up); a second tap finds it done."""
    invitation = await repo.supporter_invitation(session, token)
    if invitation is not None and invitation.used_by == user_id:
        center = await centers_repo.by_id(session, invitation.center_id)
        assert center is not None
        return Accepted(center, already=True)
    invitation, center = await opened(session, token, now)
    if user_id in (center.leader_id, center.assistant_id):
        raise SupporterError("own_center")
    membership = await memberships_repo.active_for(session, user_id)
    if membership is not None and membership.center_id == center.id:
        raise SupporterError("member")
    if not await repo.use_invitation(session, id_of(invitation), user_id, now):
        raise SupporterError("used")
    if await repo.supporter(session, id_of(center), user_id) is not None:
        return Accepted(center, already=True)
    # Two links used at the same moment by one person meet the unique key: the action says «already».
    session.add(Supporter(center_id=id_of(center), user_id=user_id, invitation_id=invitation.id, joined_at=now))
    await session.flush()
    audit(session, user_id, "supporter.joined", id_of(center), now, invitation=id_of(invitation))
    return Accepted(center, already=False)


async def decline(session: AsyncSession, token: str, now: datetime) -> None:
    invitation, _ = await opened(session, token, now)
    invitation.status = InvitationStatus.DECLINED
    session.add(invitation)


async def supporter_ids(session: AsyncSession, center_id: int) -> set[int]:
    return await repo.supporter_ids(session, center_id)


async def count(session: AsyncSession, center_ids: list[int] | None = None) -> int:
    return await repo.supporter_count(session, center_ids)


async def supported(session: AsyncSession, user_id: int) -> list[tuple[Supporter, Center]]:
    """The centers this person supports (for their «کانون من»)."""
    return await repo.supported_by(session, user_id, MAX_SHOWN)


async def support_of(session: AsyncSession, center_id: int, user_id: int) -> tuple[Supporter, Center]:
    """This person's support of this center; SupporterError("not_supporter") if there is none
    (never was, or left: a replayed «ترک حمایت» lands here)."""
    row = await repo.supporter(session, center_id, user_id)
    center = await centers_repo.by_id(session, center_id) if row is not None else None
    if row is None or center is None:
        raise SupporterError("not_supporter")
    return row, center


@dataclass
class Ended:
    """A supporter's link that went: by the supporter (left) or by the leader (removed)."""

    center: Center
    user_id: int  # the supporter
    event: AuditEvent  # the notice (to the leader, or to the supporter) is keyed by it


async def _end(session: AsyncSession, center: Center, user_id: int, actor_id: int, action: str, now: datetime,
               gone: str) -> Ended:
    """The link goes (the unique key per center and person is free again for a later
    invitation); from now on nothing of the center reaches them. One conditional DELETE: the
    same tap twice finds it gone."""
    if not await repo.remove_supporter(session, id_of(center), user_id):
        raise SupporterError(gone)
    event = audit_repo.add(session, actor_id, action, "center", id_of(center), now, supporter=user_id)
    await session.flush()
    return Ended(center, user_id, event)


async def leave(session: AsyncSession, center_id: int, user_id: int, now: datetime) -> Ended:
    """The supporter stops backing this center."""
    _, center = await support_of(session, center_id, user_id)
    return await _end(session, center, user_id, user_id, LEFT, now, "not_supporter")


async def of_my_center(session: AsyncSession, leader_id: int) -> tuple[Center, list[tuple[Supporter, User]]]:
    """The leader's list of their center's supporters (the first MAX_LISTED)."""
    center = await leader_center(session, leader_id)
    return center, await repo.supporters_of_center(session, id_of(center), MAX_LISTED)


async def removable(session: AsyncSession, supporter_id: int, leader_id: int) -> tuple[Supporter, Center, User]:
    """A supporter of the center this person leads; SupporterError("gone") otherwise (taken off
    already, left, or another center's: a forged id)."""
    center = await leader_center(session, leader_id)
    row = await repo.supporter_by_id(session, supporter_id)
    person = await users_repo.by_id(session, row.user_id) if row is not None else None
    if row is None or person is None or row.center_id != center.id:
        raise SupporterError("gone")
    return row, center, person


async def remove(session: AsyncSession, supporter_id: int, leader_id: int, now: datetime) -> Ended:
    """The leader takes a supporter off their center."""
    row, center, _ = await removable(session, supporter_id, leader_id)
    return await _end(session, center, row.user_id, leader_id, REMOVED, now, "gone")


async def ended_event(session: AsyncSession, event_id: int, action: str) -> tuple[Center, int] | None:
    """The center and the supporter of a «left» or «removed» event (for its notice sent again)."""
    event = await session.get(AuditEvent, event_id)
    if event is None or event.action != action or event.entity_id is None or not event.details:
        return None
    center = await centers_repo.by_id(session, event.entity_id)
    supporter = json.loads(event.details).get("supporter")
    return (center, int(supporter)) if center is not None and supporter is not None else None
