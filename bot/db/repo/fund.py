"""Queries of the loan fund (issue 16). The ledger is only ever inserted into (fund_entries)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundClaimStatus, FundDueStatus, FundEntryKind, FundMemberStatus, FundStatus, InvitationStatus
from bot.db.models import (
    Center, Delivery, Fund, FundClaim, FundDue, FundEntry, FundLoanType, FundMember, FundTreasurerInvitation, User,
)


async def by_id(session: AsyncSession, fund_id: int) -> Fund | None:
    return await session.get(Fund, fund_id)


async def of_center(session: AsyncSession, center_id: int) -> Fund | None:
    return (await session.exec(select(Fund).where(Fund.center_id == center_id))).first()


async def by_request_key(session: AsyncSession, request_key: str) -> Fund | None:
    return (await session.exec(select(Fund).where(Fund.request_key == request_key))).first()


async def open_funds(session: AsyncSession) -> list[Fund]:
    return list((await session.exec(select(Fund).where(Fund.status == FundStatus.OPEN).order_by(col(Fund.id)))).all())


async def loan_types(session: AsyncSession, fund_id: int) -> list[FundLoanType]:
    query = select(FundLoanType).where(FundLoanType.fund_id == fund_id).order_by(col(FundLoanType.id))
    return list((await session.exec(query)).all())


async def member_of(session: AsyncSession, fund_id: int, user_id: int) -> FundMember | None:
    query = select(FundMember).where(FundMember.fund_id == fund_id, FundMember.user_id == user_id)
    return (await session.exec(query)).first()


async def active_members(session: AsyncSession, fund_id: int) -> list[FundMember]:
    query = select(FundMember).where(
        FundMember.fund_id == fund_id, FundMember.status == FundMemberStatus.ACTIVE,
    ).order_by(col(FundMember.id))
    return list((await session.exec(query)).all())


async def count_members(session: AsyncSession, fund_id: int) -> int:
    query = select(func.count()).select_from(FundMember).where(
        FundMember.fund_id == fund_id, FundMember.status == FundMemberStatus.ACTIVE)
    return (await session.exec(query)).one()


async def due_of(session: AsyncSession, member_id: int, period: int) -> FundDue | None:
    query = select(FundDue).where(FundDue.member_id == member_id, FundDue.period == period)
    return (await session.exec(query)).first()


async def dues_of_member(session: AsyncSession, member_id: int) -> list[FundDue]:
    query = select(FundDue).where(FundDue.member_id == member_id).order_by(col(FundDue.period))
    return list((await session.exec(query)).all())


async def dues_without_notice(
    session: AsyncSession, purpose: str, before: datetime, limit: int = 500, not_before: datetime | None = None,
) -> list[FundDue]:
    """Unpaid dues due between `not_before` and `before`, with no claim pending and no `purpose`
    notice written yet (the Delivery row is written before the send: it is the claim)."""
    noticed = exists().where(col(Delivery.purpose) == purpose, col(Delivery.ref_id) == FundDue.id)
    pending_claim = exists().where(
        col(FundClaim.due_id) == FundDue.id, col(FundClaim.status) == FundClaimStatus.PENDING)
    query = select(FundDue).where(
        FundDue.status == FundDueStatus.DUE, col(FundDue.due_at) <= before, ~noticed, ~pending_claim,
    ).order_by(col(FundDue.id)).limit(limit)
    if not_before is not None:
        query = query.where(col(FundDue.due_at) > not_before)
    return list((await session.exec(query)).all())


async def dues_of_period(session: AsyncSession, fund_id: int, period: int) -> list[FundDue]:
    query = select(FundDue).where(FundDue.fund_id == fund_id, FundDue.period == period).order_by(col(FundDue.id))
    return list((await session.exec(query)).all())


async def late_dues(session: AsyncSession, fund_id: int, before: datetime) -> list[tuple[FundDue, User]]:
    query = (
        select(FundDue, User)
        .join(FundMember, col(FundMember.id) == FundDue.member_id)
        .join(User, col(User.id) == FundMember.user_id)
        .where(FundDue.fund_id == fund_id, FundDue.status == FundDueStatus.DUE, col(FundDue.due_at) <= before)
        .order_by(col(FundDue.period), col(FundDue.id))
    )
    return [(due, user) for due, user in (await session.exec(query)).all()]


async def has_late_dues(session: AsyncSession, member_id: int, before: datetime) -> bool:
    query = select(func.count()).select_from(FundDue).where(
        FundDue.member_id == member_id, FundDue.status == FundDueStatus.DUE, col(FundDue.due_at) <= before)
    return (await session.exec(query)).one() > 0


async def set_due_paid(session: AsyncSession, due_id: int) -> None:
    await session.exec(update(FundDue).where(col(FundDue.id) == due_id).values(status=FundDueStatus.PAID))


async def pending_claim_for_due(session: AsyncSession, due_id: int) -> FundClaim | None:
    query = select(FundClaim).where(FundClaim.due_id == due_id, FundClaim.status == FundClaimStatus.PENDING)
    return (await session.exec(query)).first()


async def decide_claim(session: AsyncSession, claim_id: int, status: str, by: int, now: datetime) -> bool:
    """Pending → `status`, by someone other than the payer; False if it was not pending (or was theirs)."""
    result = await session.exec(
        update(FundClaim)
        .where(col(FundClaim.id) == claim_id, col(FundClaim.status) == FundClaimStatus.PENDING,
               col(FundClaim.payer_id) != by)
        .values(status=status, decided_by=by, decided_at=now)
    )
    return bool(result.rowcount)


async def pending_claims(session: AsyncSession, fund_id: int) -> list[FundClaim]:
    query = select(FundClaim).where(FundClaim.fund_id == fund_id, FundClaim.status == FundClaimStatus.PENDING)
    return list((await session.exec(query.order_by(col(FundClaim.id)))).all())


async def balance(session: AsyncSession, fund_id: int) -> int:
    query = select(func.coalesce(func.sum(FundEntry.amount), 0)).where(FundEntry.fund_id == fund_id)
    return int((await session.exec(query)).one())


async def entries(session: AsyncSession, fund_id: int) -> list[FundEntry]:
    query = select(FundEntry).where(FundEntry.fund_id == fund_id).order_by(col(FundEntry.id))
    return list((await session.exec(query)).all())


async def entries_of_member(session: AsyncSession, member_id: int) -> list[FundEntry]:
    query = select(FundEntry).where(FundEntry.member_id == member_id).order_by(col(FundEntry.id))
    return list((await session.exec(query)).all())


async def center_of(session: AsyncSession, fund: Fund) -> Center:
    center = await session.get(Center, fund.center_id)
    assert center is not None
    return center


async def treasured_by(session: AsyncSession, user_id: int) -> Fund | None:
    query = select(Fund).where(Fund.treasurer_id == user_id, Fund.status == FundStatus.OPEN)
    return (await session.exec(query)).first()


async def treasurer_invitation(session: AsyncSession, token: str) -> FundTreasurerInvitation | None:
    query = select(FundTreasurerInvitation).where(FundTreasurerInvitation.token == token)
    return (await session.exec(query)).first()


async def open_treasurer_invitation_of(session: AsyncSession, fund_id: int) -> FundTreasurerInvitation | None:
    query = select(FundTreasurerInvitation).where(
        FundTreasurerInvitation.fund_id == fund_id, FundTreasurerInvitation.status == InvitationStatus.OPEN)
    return (await session.exec(query)).first()


async def cancel_open_treasurer_invitations(session: AsyncSession, fund_id: int) -> None:
    await session.exec(update(FundTreasurerInvitation).where(
        col(FundTreasurerInvitation.fund_id) == fund_id, col(FundTreasurerInvitation.status) == InvitationStatus.OPEN,
    ).values(status=InvitationStatus.CANCELLED))
    await session.flush()


async def funds_facilitated_by(session: AsyncSession, user_id: int) -> list[Fund]:
    query = select(Fund).join(Center, col(Center.id) == Fund.center_id).where(
        Center.facilitator_id == user_id, Fund.status == FundStatus.OPEN).order_by(col(Fund.id))
    return list((await session.exec(query)).all())


async def loans_outstanding(session: AsyncSession, fund_id: int) -> tuple[int, int]:
    """(loans paid out and not closed, the sum of their unpaid instalments)."""
    from bot.db.enums import FundLoanStatus
    from bot.db.models import FundInstalment, FundLoan

    count = (await session.exec(select(func.count()).select_from(FundLoan).where(
        FundLoan.fund_id == fund_id, FundLoan.status == FundLoanStatus.PAID_OUT))).one()
    left = (await session.exec(select(func.coalesce(func.sum(FundInstalment.amount), 0))
                               .join(FundLoan, col(FundLoan.id) == FundInstalment.loan_id)
                               .where(FundLoan.fund_id == fund_id, FundInstalment.status == FundDueStatus.DUE))).one()
    return int(count), int(left)


async def overdue_instalments(session: AsyncSession, fund_id: int, now: datetime) -> int:
    from bot.db.models import FundInstalment, FundLoan

    query = select(func.count()).select_from(FundInstalment).join(FundLoan, col(FundLoan.id) == FundInstalment.loan_id).where(
        FundLoan.fund_id == fund_id, FundInstalment.status == FundDueStatus.DUE, col(FundInstalment.due_at) < now)
    return int((await session.exec(query)).one())


# --- a loan funded by a supporter (services/fund_support.py) ---------------------------------------


async def supporters_page(session: AsyncSession, center_id: int, offset: int, limit: int) -> list[User]:
    from bot.db.charity_models import Supporter

    query = (select(User).join(Supporter, col(Supporter.user_id) == User.id).where(Supporter.center_id == center_id)
             .order_by(col(User.full_name), col(User.id)).offset(offset).limit(limit))
    return list((await session.exec(query)).all())


async def supporters_count(session: AsyncSession, center_id: int) -> int:
    from bot.db.charity_models import Supporter

    query = select(func.count()).select_from(Supporter).where(Supporter.center_id == center_id)
    return int((await session.exec(query)).one())


async def recent_entries(session: AsyncSession, fund_id: int, offset: int, limit: int) -> list[FundEntry]:
    """The ledger's entries other than corrections, newest first, one page (the corrections picker)."""
    query = select(FundEntry).where(FundEntry.fund_id == fund_id, FundEntry.kind != FundEntryKind.CORRECTION)
    return list((await session.exec(query.order_by(col(FundEntry.id).desc()).offset(offset).limit(limit))).all())


async def corrections_total(session: AsyncSession, fund_id: int, entry_id: int) -> int:
    """What the corrections of one entry add up to (within its fund: the fund's index is used)."""
    query = select(func.coalesce(func.sum(FundEntry.amount), 0)).where(
        FundEntry.fund_id == fund_id, FundEntry.corrects_id == entry_id)
    return int((await session.exec(query)).one())
