"""Queries about assistant invitations (a leader inviting their assistant)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import InvitationStatus
from bot.db.models import AssistantInvitation


async def by_id(session: AsyncSession, invitation_id: int) -> AssistantInvitation | None:
    return await session.get(AssistantInvitation, invitation_id)


async def by_token(session: AsyncSession, token: str) -> AssistantInvitation | None:
    query = select(AssistantInvitation).where(AssistantInvitation.token == token)
    return (await session.exec(query)).first()


async def open_for(session: AsyncSession, center_id: int) -> list[AssistantInvitation]:
    """The center's open invitations, newest first (expired ones included: expiry is read, not written)."""
    query = (
        select(AssistantInvitation)
        .where(AssistantInvitation.center_id == center_id, AssistantInvitation.status == InvitationStatus.OPEN)
        .order_by(col(AssistantInvitation.id).desc())
    )
    return list((await session.exec(query)).all())


async def set_status_if(
    session: AsyncSession, invitation_id: int, expected: InvitationStatus, **values: object,
) -> bool:
    """Move an invitation out of `expected` status; False if someone else moved it first."""
    statement = (
        update(AssistantInvitation)
        .where(col(AssistantInvitation.id) == invitation_id, col(AssistantInvitation.status) == expected)
        .values(**values)
    )
    result = await session.exec(statement)
    return result.rowcount == 1
