"""Queries about assistant invitations (a leader inviting their assistant)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AssistantInvitation


async def by_token(session: AsyncSession, token: str) -> AssistantInvitation | None:
    query = select(AssistantInvitation).where(AssistantInvitation.token == token)
    return (await session.exec(query)).first()


async def open_for(session: AsyncSession, center_id: int) -> list[AssistantInvitation]:
    """The center's open invitations, newest first (expired ones included: expiry is read, not written)."""
    query = (
        select(AssistantInvitation)
        .where(AssistantInvitation.center_id == center_id, AssistantInvitation.status == "open")
        .order_by(AssistantInvitation.id.desc())  # type: ignore[union-attr]
    )
    return list((await session.exec(query)).all())


async def set_status_if(session: AsyncSession, invitation_id: int, expected: str, **values: object) -> bool:
    """Move an invitation out of `expected` status; False if someone else moved it first."""
    statement = (
        update(AssistantInvitation)
        .where(AssistantInvitation.id == invitation_id, AssistantInvitation.status == expected)
        .values(**values)
    )
    result = await session.exec(statement)  # type: ignore[call-overload]
    return result.rowcount == 1
