"""Supporters (حامی, issue 13): people outside a center who back it. The leader hands out a
one-time link per platform; whoever opens it and accepts is attached at once (no assistant's
approval), is not a member, receives the center's help campaigns (not its gatherings or
announcements) and their final reports, and may pledge. A person may support several centers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.charity_models import Supporter, SupporterInvitation
from bot.db.enums import CenterStatus, InvitationStatus
from bot.db.models import Center
from bot.db.repo import centers as centers_repo
from bot.db.repo import charity as repo
from bot.db.repo import memberships as memberships_repo
from bot.services.campaigns import audit, id_of, leader_center
from bot.services.refusals import Refusal

INVITATION_LIFETIME = timedelta(days=7)


class SupporterError(Refusal):
    """A supporter rule said no; `code` picks «supporter-error-<code>»."""

    feature = "supporter"


ERROR_CODES = ("invalid", "expired", "used", "own_center", "member", "inactive")


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
