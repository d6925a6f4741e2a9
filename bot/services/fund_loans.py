"""Loans from the fund: request, the guarantor's acceptance, two staff approvals, the queue
(first come, or a draw with a committed seed), the payout, the Jalali instalment schedule,
instalments paid and the loan closed (docs/fund.md).

Rules also held by the database: nobody guarantees their own loan, two different approvers,
neither the borrower (CHECKs on fund_loans); one payout entry per loan and one entry per
instalment (partial unique indexes on fund_entries).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import (
    FundClaimStatus, FundDrawStatus, FundDueStatus, FundEntryKind, FundLoanStatus, FundMemberStatus, FundQueueRule,
)
from bot.db.models import Fund, FundClaim, FundDraw, FundInstalment, FundLoan, FundLoanType, id_of
from bot.db.repo import fund as repo
from bot.services import fund_draw, fund_dues
from bot.services.fund import FundProblem, place_by_fund, share_amount

REASON_MAX = 300
OPEN_LOAN = (FundLoanStatus.GUARANTOR, FundLoanStatus.APPROVAL, FundLoanStatus.QUEUED, FundLoanStatus.PAID_OUT)


async def in_arrears(session: AsyncSession, member_id: int, now: datetime) -> bool:
    """A month's contribution late beyond LATE_AFTER, or an instalment past its day."""
    if await repo.has_late_dues(session, member_id, now - fund_dues.LATE_AFTER):
        return True
    query = select(FundInstalment).join(FundLoan, col(FundLoan.id) == FundInstalment.loan_id).where(
        FundLoan.member_id == member_id, FundInstalment.status == FundDueStatus.DUE, col(FundInstalment.due_at) < now)
    return (await session.exec(query)).first() is not None


async def request_loan(
    session: AsyncSession, fund_id: int, user_id: int, loan_type_id: int, amount: int, reason: str,
    guarantor_id: int | None, now: datetime, request_key: str | None = None,
) -> FundLoan:
    if request_key:
        found = (await session.exec(select(FundLoan).where(FundLoan.request_key == request_key))).first()
        if found is not None:
            return found
    place = await place_by_fund(session, fund_id, user_id)
    if place is None or place.member is None:
        raise FundProblem("not-member")
    member = place.member
    loan_type = await session.get(FundLoanType, loan_type_id)
    if loan_type is None or loan_type.fund_id != fund_id:
        raise FundProblem("no-loan-type")
    if await in_arrears(session, id_of(member), now):
        raise FundProblem("arrears")
    if await _open_loan_of(session, id_of(member)) is not None:
        raise FundProblem("open-loan")
    if not 0 < amount <= share_amount(loan_type.max_amount, member.share):
        raise FundProblem("loan-amount")
    if loan_type.needs_guarantor:
        if guarantor_id is None:
            raise FundProblem("guarantor-needed")
        if guarantor_id == user_id:
            raise FundProblem("own-guarantor")
        guarantor = await repo.member_of(session, fund_id, guarantor_id)
        if guarantor is None or guarantor.status != FundMemberStatus.ACTIVE:
            raise FundProblem("guarantor-not-member")
    else:
        guarantor_id = None
    loan = FundLoan(
        fund_id=fund_id, member_id=id_of(member), borrower_id=user_id, loan_type_id=loan_type_id, amount=amount,
        instalments=loan_type.instalments, reason=reason[:REASON_MAX], guarantor_id=guarantor_id,
        status=FundLoanStatus.GUARANTOR if guarantor_id else FundLoanStatus.APPROVAL, requested_at=now,
        request_key=request_key,
    )
    session.add(loan)
    await session.flush()
    return loan


async def _open_loan_of(session: AsyncSession, member_id: int) -> FundLoan | None:
    query = select(FundLoan).where(FundLoan.member_id == member_id, col(FundLoan.status).in_(OPEN_LOAN))
    return (await session.exec(query)).first()


async def _set_if(session: AsyncSession, loan_id: int, when: str, **values: object) -> bool:
    """A conditional UPDATE: only a loan still in status `when` changes (a double tap finds it done)."""
    result = await session.exec(update(FundLoan).where(
        col(FundLoan.id) == loan_id, col(FundLoan.status) == when).values(**values))
    return bool(result.rowcount)


async def answer_as_guarantor(session: AsyncSession, loan_id: int, user_id: int, accept: bool) -> FundLoan:
    loan = await session.get(FundLoan, loan_id)
    if loan is None or loan.guarantor_id != user_id:
        raise FundProblem("not-guarantor")
    new = FundLoanStatus.APPROVAL if accept else FundLoanStatus.REFUSED
    await _set_if(session, loan_id, FundLoanStatus.GUARANTOR, status=new)
    await session.refresh(loan)
    return loan


async def approve(session: AsyncSession, loan_id: int, user_id: int, now: datetime) -> FundLoan:
    """Two different staff members approve (never the borrower); the second puts it in the queue."""
    loan = await session.get(FundLoan, loan_id)
    place = await place_by_fund(session, loan.fund_id, user_id) if loan else None
    if loan is None or place is None or not place.is_staff:
        raise FundProblem("not-staff")
    if loan.borrower_id == user_id:
        raise FundProblem("own-loan")
    if loan.status != FundLoanStatus.APPROVAL or user_id == loan.approved_by_one:
        return loan
    if loan.approved_by_one is None:
        await session.exec(update(FundLoan).where(
            col(FundLoan.id) == loan_id, col(FundLoan.approved_by_one).is_(None)).values(approved_by_one=user_id))
    else:
        await _set_if(session, loan_id, FundLoanStatus.APPROVAL, approved_by_two=user_id,
                      status=FundLoanStatus.QUEUED, queued_at=now)
    await session.refresh(loan)
    return loan


async def queue(session: AsyncSession, fund: Fund) -> list[FundLoan]:
    """Queued loans in their order: by approval time, or by the draw's order (undrawn ones last)."""
    loans = list((await session.exec(select(FundLoan).where(
        FundLoan.fund_id == fund.id, FundLoan.status == FundLoanStatus.QUEUED).order_by(col(FundLoan.queued_at), col(FundLoan.id)))).all())
    if fund.queue_rule != FundQueueRule.DRAW:
        return loans
    draws = (await session.exec(select(FundDraw).where(FundDraw.fund_id == fund.id, FundDraw.status == FundDrawStatus.DRAWN)
                                .order_by(col(FundDraw.id)))).all()
    rank = {loan_id: (n, i) for n, draw in enumerate(draws) for i, loan_id in enumerate(json.loads(draw.order or "[]"))}
    return sorted(loans, key=lambda loan: rank.get(loan.id, (len(draws), 0)))


async def announce_draw(session: AsyncSession, fund: Fund, now: datetime) -> FundDraw:
    """Commit to a seed (its hash is published with the entrants) before anything is drawn."""
    entrants = [loan.id for loan in (await session.exec(select(FundLoan).where(
        FundLoan.fund_id == fund.id, FundLoan.status == FundLoanStatus.QUEUED, col(FundLoan.draw_id).is_(None),
    ).order_by(col(FundLoan.id)))).all()]
    if not entrants:
        raise FundProblem("no-entrants")
    seed = fund_draw.new_seed()
    draw = FundDraw(fund_id=id_of(fund), seed=seed, seed_hash=fund_draw.commitment(seed), entrants=json.dumps(entrants),
                    status=FundDrawStatus.ANNOUNCED, announced_at=now)
    session.add(draw)
    await session.flush()
    await session.exec(update(FundLoan).where(col(FundLoan.id).in_(entrants)).values(draw_id=draw.id))
    return draw


async def make_draw(session: AsyncSession, draw_id: int, now: datetime) -> FundDraw:
    draw = await session.get(FundDraw, draw_id)
    if draw is None:
        raise FundProblem("no-entrants")
    if draw.status == FundDrawStatus.ANNOUNCED:
        draw.order = json.dumps(fund_draw.draw_order(draw.seed, json.loads(draw.entrants)))
        draw.status, draw.drawn_at = FundDrawStatus.DRAWN, now
        session.add(draw)
        await session.flush()
    return draw


def schedule(amount: int, count: int, paid_out_at: datetime, tz: ZoneInfo) -> list[tuple[int, datetime, int]]:
    """(number, due moment, amount) for each monthly instalment: the payout's Jalali day (at most
    the 29th) of each following month, at the due hour; whole toman, the remainder in the last."""
    local = jdatetime.datetime.fromgregorian(datetime=paid_out_at.astimezone(tz))
    period, day = local.year * 100 + local.month, min(local.day, 29)
    base, remainder = divmod(amount, count)
    return [(n, fund_dues.due_moment(fund_dues.add_months(period, n), day, tz), base + (remainder if n == count else 0))
            for n in range(1, count + 1)]


async def record_payout(session: AsyncSession, loan_id: int, user_id: int, now: datetime) -> FundClaim:
    """A staff member says the loan was paid to the borrower; another confirmer confirms it."""
    loan = await session.get(FundLoan, loan_id)
    place = await place_by_fund(session, loan.fund_id, user_id) if loan else None
    if loan is None or place is None or not place.can_confirm:
        raise FundProblem("not-confirmer")
    if loan.status != FundLoanStatus.QUEUED:
        raise FundProblem("not-queued")
    pending = (await session.exec(select(FundClaim).where(
        FundClaim.loan_id == loan_id, FundClaim.kind == FundEntryKind.PAYOUT, FundClaim.status == FundClaimStatus.PENDING))).first()
    if pending is not None:
        return pending
    claim = FundClaim(fund_id=loan.fund_id, kind=FundEntryKind.PAYOUT, member_id=loan.member_id, payer_id=loan.borrower_id,
                      claimed_by=user_id, amount=loan.amount, loan_id=loan_id, status=FundClaimStatus.PENDING, created_at=now)
    session.add(claim)
    await session.flush()
    return claim


async def after_payout(session: AsyncSession, loan_id: int, now: datetime, tz: ZoneInfo) -> list[FundInstalment]:
    """The payout's entry exists: the loan is paid out and its instalments are scheduled."""
    loan = await session.get(FundLoan, loan_id)
    assert loan is not None
    if not await _set_if(session, loan_id, FundLoanStatus.QUEUED, status=FundLoanStatus.PAID_OUT, paid_out_at=now):
        return []
    rows = [FundInstalment(loan_id=loan_id, number=n, amount=amount, due_at=due_at, status=FundDueStatus.DUE)
            for n, due_at, amount in schedule(loan.amount, loan.instalments, now, tz)]
    session.add_all(rows)
    await session.flush()
    return rows


async def claim_instalment(session: AsyncSession, instalment_id: int, user_id: int, now: datetime) -> FundClaim:
    instalment = await session.get(FundInstalment, instalment_id)
    loan = await session.get(FundLoan, instalment.loan_id) if instalment else None
    if instalment is None or loan is None or loan.borrower_id != user_id:
        raise FundProblem("not-yours")
    if instalment.status == FundDueStatus.PAID:
        raise FundProblem("already-paid")
    pending = (await session.exec(select(FundClaim).where(
        FundClaim.instalment_id == instalment_id, FundClaim.status == FundClaimStatus.PENDING))).first()
    if pending is not None:
        return pending
    claim = FundClaim(fund_id=loan.fund_id, kind=FundEntryKind.INSTALMENT, member_id=loan.member_id, payer_id=user_id,
                      claimed_by=user_id, amount=instalment.amount, instalment_id=instalment_id, loan_id=loan.id,
                      status=FundClaimStatus.PENDING, created_at=now)
    session.add(claim)
    await session.flush()
    return claim


async def after_instalment(session: AsyncSession, instalment_id: int, now: datetime) -> FundLoan:
    """The instalment's entry exists: it is paid; the loan closes when none is left."""
    instalment = await session.get(FundInstalment, instalment_id)
    assert instalment is not None
    await session.exec(update(FundInstalment).where(col(FundInstalment.id) == instalment_id)
                       .values(status=FundDueStatus.PAID))
    left = (await session.exec(select(FundInstalment).where(
        FundInstalment.loan_id == instalment.loan_id, FundInstalment.status == FundDueStatus.DUE))).first()
    if left is None:
        await _set_if(session, instalment.loan_id, FundLoanStatus.PAID_OUT, status=FundLoanStatus.CLOSED, closed_at=now)
    loan = await session.get(FundLoan, instalment.loan_id)
    assert loan is not None
    await session.refresh(loan)
    return loan


# Overdue steps after an instalment's day: (days, who is told).
OVERDUE_STEPS = ((3, "borrower"), (10, "guarantor"), (15, "staff"))
REMIND_BEFORE = timedelta(days=2)


async def instalments_to_tell(
    session: AsyncSession, purpose: str, earliest: datetime, latest: datetime, limit: int = 500,
    with_guarantor: bool = False,
) -> list[tuple[FundInstalment, FundLoan]]:
    """Unpaid instalments due between `earliest` and `latest` (exclusive, inclusive) with no
    pending claim and no `purpose` notice written yet."""
    from bot.db.models import Delivery  # the notice rows are the claim of each send

    noticed = select(Delivery.id).where(Delivery.purpose == purpose, Delivery.ref_id == FundInstalment.id).exists()
    pending = select(FundClaim.id).where(FundClaim.instalment_id == FundInstalment.id,
                                         FundClaim.status == FundClaimStatus.PENDING).exists()
    query = (select(FundInstalment, FundLoan).join(FundLoan, col(FundLoan.id) == FundInstalment.loan_id).where(
        FundInstalment.status == FundDueStatus.DUE, col(FundInstalment.due_at) > earliest,
        col(FundInstalment.due_at) <= latest, ~noticed, ~pending,
    ).order_by(col(FundInstalment.id)).limit(limit))
    if with_guarantor:
        query = query.where(col(FundLoan.guarantor_id).is_not(None))
    return [(i, loan) for i, loan in (await session.exec(query)).all()]


async def refuse(session: AsyncSession, loan_id: int, user_id: int, now: datetime) -> FundLoan:
    """A staff member (not the borrower) refuses a loan waiting for approval."""
    loan = await session.get(FundLoan, loan_id)
    place = await place_by_fund(session, loan.fund_id, user_id) if loan else None
    if loan is None or place is None or not place.is_staff:
        raise FundProblem("not-staff")
    if loan.borrower_id == user_id:
        raise FundProblem("own-loan")
    await _set_if(session, loan_id, FundLoanStatus.APPROVAL, status=FundLoanStatus.REFUSED)
    await session.refresh(loan)
    return loan


async def announced_draw(session: AsyncSession, fund_id: int) -> FundDraw | None:
    query = select(FundDraw).where(FundDraw.fund_id == fund_id, FundDraw.status == FundDrawStatus.ANNOUNCED)
    return (await session.exec(query.order_by(col(FundDraw.id)))).first()


async def latest_loan(session: AsyncSession, member_id: int) -> FundLoan | None:
    query = select(FundLoan).where(FundLoan.member_id == member_id).order_by(col(FundLoan.id).desc())
    return (await session.exec(query)).first()


async def instalments_of(session: AsyncSession, loan_id: int) -> list[FundInstalment]:
    query = select(FundInstalment).where(FundInstalment.loan_id == loan_id).order_by(col(FundInstalment.number))
    return list((await session.exec(query)).all())
