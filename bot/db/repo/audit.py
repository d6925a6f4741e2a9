"""The audit trail: who did what, when."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import AuditEvent


def add(
    session: AsyncSession, actor_id: int | None, action: str, entity: str, entity_id: int | None,
    at: datetime, **details: object,
) -> AuditEvent:
    """Adds an event to the session; it is written with the change it describes (same commit)."""
    event = AuditEvent(
        actor_id=actor_id, action=action, entity=entity, entity_id=entity_id, at=at,
        details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
    )
    session.add(event)
    return event


async def for_entity(session: AsyncSession, entity: str, entity_id: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
    return list((await session.exec(query.order_by(col(AuditEvent.id)))).all())


async def details_of_last(session: AsyncSession, action: str, entity: str, entity_id: int) -> dict[str, object] | None:
    """The details recorded with the latest `action` on this entity; None if it never happened."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(col(AuditEvent.id).desc())
    )
    event = (await session.exec(query)).first()
    if event is None:
        return None
    return json.loads(event.details) if event.details else {}
