"""Queries the instances' housekeeping needs outside the inbox (bot/instances/cluster.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Delivery

PENDING, SENDING = "pending", "sending"


async def open_deliveries(session: AsyncSession) -> dict[str, int]:
    """How many deliveries are pending and being sent (the status index answers this)."""
    rows = await session.exec(
        select(col(Delivery.status), func.count()).where(col(Delivery.status).in_((PENDING, SENDING)))
        .group_by(col(Delivery.status))
    )
    found = {PENDING: 0, SENDING: 0}
    found.update({status: int(n) for status, n in rows.all()})
    return found


async def unclaim_stale_notices(session: AsyncSession, batch_purposes: Iterable[str], before: datetime) -> int:
    """sending → pending for single notices (not broadcast batches) claimed when made before
    `before` (no commit). Only call it holding the notice resender's task lock: then no
    resender runs anywhere, and a notice being sent by delivery.notify is younger than that."""
    result = await session.exec(
        update(Delivery)
        .where(col(Delivery.status) == SENDING, col(Delivery.purpose).not_in(list(batch_purposes)),
               col(Delivery.created_at) < before)
        .values(status=PENDING)
    )
    return result.rowcount
