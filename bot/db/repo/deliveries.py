"""Queries about deliveries: one row per (purpose, ref_id, user), written before the send.

A row's life: pending → sending (claimed just before the send, by a conditional UPDATE) →
sent | unreachable | failed, or back to pending (a stop before it went); pending → skipped
(no longer worth sending: a cancel, a decline). Only a pending row can be skipped or claimed,
and only a claimed one records an outcome, so a skipped row never becomes sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import DeliveryStatus
from bot.db.models import Delivery, User
from bot.db.repo.due import open_delivery

# Old names, still used by bot/sending/delivery.py (another feature's file).
PENDING, SENDING, SENT = DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT
UNREACHABLE, FAILED, SKIPPED = DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED


async def existing_user_ids(session: AsyncSession, purpose: str, ref_id: int) -> set[int]:
    query = select(Delivery.user_id).where(Delivery.purpose == purpose, Delivery.ref_id == ref_id)
    return set((await session.exec(query)).all())


async def enqueue(session: AsyncSession, purpose: str, ref_id: int, user_ids: Iterable[int], now: datetime) -> int:
    """Pending rows for these users, skipping any who already have one."""
    wanted = set(user_ids) - await existing_user_ids(session, purpose, ref_id)
    if not wanted:
        return 0
    rows = [
        {"purpose": purpose, "ref_id": ref_id, "user_id": uid, "status": DeliveryStatus.PENDING, "attempts": 0,
         "created_at": now}
        for uid in sorted(wanted)
    ]
    await session.exec(insert(Delivery), params=rows)
    return len(rows)


async def pending_with_users(session: AsyncSession, purpose: str, ref_id: int) -> list[tuple[int, User]]:
    query = (
        select(col(Delivery.id), User)
        .join(User, col(User.id) == col(Delivery.user_id))
        .where(Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.status == DeliveryStatus.PENDING)
        .order_by(col(Delivery.id))
    )
    return [(delivery_id, user) for delivery_id, user in (await session.exec(query)).all() if delivery_id is not None]


async def claim(session: AsyncSession, delivery_id: int) -> bool:
    """pending → sending, just before the send; False if the row is no longer pending (a
    cancel skipped it, or it was sent)."""
    result = await session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.status) == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SENDING)
    )
    return result.rowcount == 1


async def claim_expected(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> int | None:
    """pending → sending for the one row of (purpose, ref_id, user): a notice its change committed
    (bot/sending/delivery.expect_notice); its id, or None if there is none pending."""
    row = await of_user(session, purpose, ref_id, user_id)
    if row is None or row.status != DeliveryStatus.PENDING or row.id is None:
        return None
    return row.id if await claim(session, row.id) else None


async def record(
    session: AsyncSession, delivery_id: int, status: str, *, attempts: int, error: str | None,
    message_id: int | None, sent_at: datetime | None, expected: str = DeliveryStatus.SENDING,
) -> bool:
    """The outcome of a send: only a row in the `expected` state (the one this sender claimed)
    changes. PENDING as `status` gives a claimed row back (a stop)."""
    result = await session.exec(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.status) == expected)
        .values(
            status=status, attempts=col(Delivery.attempts) + attempts, last_error=error,
            message_id=message_id, sent_at=sent_at,
        )
    )
    return result.rowcount == 1


async def unclaim(session: AsyncSession, purpose: str, ref_id: int) -> int:
    """sending → pending for a batch's rows left claimed by a sender that is gone (a stop or a
    crash mid-send); only the batch's one sender may call this, before it claims anything."""
    result = await session.exec(
        update(Delivery)
        .where(col(Delivery.purpose) == purpose, col(Delivery.ref_id) == ref_id,
               col(Delivery.status) == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING)
    )
    return result.rowcount


async def unclaim_all(session: AsyncSession) -> int:
    """sending → pending for every row: only at start, before anything can send."""
    result = await session.exec(
        update(Delivery).where(open_delivery(), col(Delivery.status) == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING)
    )
    return result.rowcount


async def pending_with_recipients(session: AsyncSession, purposes: list[str]) -> list[tuple[Delivery, User]]:
    """Pending rows of these purposes with their recipients, oldest first."""
    if not purposes:
        return []
    query = (
        select(Delivery, User)
        .join(User, col(User.id) == col(Delivery.user_id))
        .where(open_delivery(), col(Delivery.purpose).in_(purposes), Delivery.status == DeliveryStatus.PENDING)
        .order_by(col(Delivery.id))
    )
    return [(row, user) for row, user in (await session.exec(query)).all()]


async def skip_pending(session: AsyncSession, purpose: str, ref_id: int, user_ids: Iterable[int] | None = None) -> int:
    query = update(Delivery).where(
        col(Delivery.purpose) == purpose, col(Delivery.ref_id) == ref_id, col(Delivery.status) == DeliveryStatus.PENDING,
    )
    if user_ids is not None:
        query = query.where(col(Delivery.user_id).in_(list(user_ids)))
    result = await session.exec(query.values(status=DeliveryStatus.SKIPPED))
    return result.rowcount


async def counts(session: AsyncSession, purpose: str, ref_ids: list[int]) -> dict[int, dict[str, int]]:
    """{ref_id: {status: n}}"""
    if not ref_ids:
        return {}
    query = (
        select(col(Delivery.ref_id), col(Delivery.status), func.count())
        .where(Delivery.purpose == purpose, col(Delivery.ref_id).in_(ref_ids))
        .group_by(col(Delivery.ref_id), col(Delivery.status))
    )
    found: dict[int, dict[str, int]] = {ref: {} for ref in ref_ids}
    for ref_id, status, n in (await session.exec(query)).all():
        found[ref_id][status] = n
    return found


async def user_ids_with_status(session: AsyncSession, purpose: str, ref_id: int, status: str) -> set[int]:
    query = select(Delivery.user_id).where(
        Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.status == status
    )
    return set((await session.exec(query)).all())


async def of_user(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> Delivery | None:
    query = select(Delivery).where(
        Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.user_id == user_id
    )
    return (await session.exec(query)).first()


async def open_batches(session: AsyncSession, purposes: Iterable[str]) -> list[tuple[str, int]]:
    """Every (purpose, ref_id) of these purposes that still has rows to send (pending, or
    claimed by a sender that may be gone), oldest first."""
    query = (
        select(col(Delivery.purpose), col(Delivery.ref_id), func.min(Delivery.id))
        .where(open_delivery(), col(Delivery.purpose).in_(list(purposes)))
        .group_by(col(Delivery.purpose), col(Delivery.ref_id))
        .order_by(func.min(Delivery.id))
    )
    return [(purpose, ref_id) for purpose, ref_id, _ in (await session.exec(query)).all()]


async def refs_received(session: AsyncSession, purpose: str, user_id: int) -> list[int]:
    query = select(Delivery.ref_id).where(
        Delivery.purpose == purpose, Delivery.user_id == user_id, Delivery.status == DeliveryStatus.SENT
    )
    return list((await session.exec(query)).all())
