"""A loan funded by a supporter (حامی) of the center (issue 16, docs/fund.md).

A confirmer of the fund marks an approved loan (queued or being repaid) as funded by one of
the center's supporters; once, by a conditional UPDATE: a double tap finds it done, another
supporter is refused. The supporter is told of that loan only, and when it closes gets its
short report (amount, instalments paid, closed): never the borrower's other debts, and never
the borrower's name (the «Privacy» decision in docs/fund.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundDueStatus, FundLoanStatus
from bot.db.models import Center, FundLoan, FundLoanType, User
from bot.db.repo import charity as charity_repo
from bot.db.repo import fund as repo
from bot.services import fund_loans
from bot.services.fund import FundPlace, FundProblem, place_by_fund

SUPPORTABLE = (FundLoanStatus.QUEUED, FundLoanStatus.PAID_OUT)
SUPPORTERS_PAGE = 8  # supporters offered as buttons on one page


@dataclass(frozen=True)
class SupportedLoan:
    """What a supporter may know of the loan they fund: no name, no reason, no other debt."""

    loan: FundLoan
    loan_type: FundLoanType
    center: Center
    paid_count: int
    paid_amount: int


async def loan_for_staff(session: AsyncSession, loan_id: int, user_id: int) -> tuple[FundLoan, FundPlace]:
    """The loan, if the tapping person confirms money in its fund (a forged id of another center's
    loan is refused here) and it may still be marked."""
    loan = await session.get(FundLoan, loan_id)
    place = await place_by_fund(session, loan.fund_id, user_id) if loan else None
    if loan is None or place is None or not place.can_confirm:
        raise FundProblem("not-confirmer")
    if loan.status not in SUPPORTABLE:
        raise FundProblem("not-supportable")
    return loan, place


async def supporters_page(session: AsyncSession, center_id: int, page: int) -> tuple[list[User], int]:
    """One page of the center's supporters (by name), and how many there are."""
    return (await repo.supporters_page(session, center_id, page * SUPPORTERS_PAGE, SUPPORTERS_PAGE),
            await repo.supporters_count(session, center_id))


async def check_supporter(session: AsyncSession, loan: FundLoan, place: FundPlace, supporter_id: int) -> User:
    if supporter_id == loan.borrower_id or await charity_repo.supporter(session, place.center.id or 0, supporter_id) is None:
        raise FundProblem("not-supporter")
    user = await session.get(User, supporter_id)
    if user is None:
        raise FundProblem("not-supporter")
    return user


async def mark(session: AsyncSession, loan_id: int, user_id: int, supporter_id: int) -> tuple[FundLoan, User, bool]:
    """(loan, supporter, newly marked?). Once per loan: the same supporter again changes nothing."""
    loan, place = await loan_for_staff(session, loan_id, user_id)
    supporter = await check_supporter(session, loan, place, supporter_id)
    result = await session.exec(update(FundLoan).where(
        col(FundLoan.id) == loan_id, col(FundLoan.supporter_id).is_(None)).values(supporter_id=supporter_id))
    await session.refresh(loan)
    if loan.supporter_id != supporter_id:
        raise FundProblem("already-supported")
    return loan, supporter, bool(result.rowcount)


async def supported_loan(session: AsyncSession, loan_id: int) -> SupportedLoan | None:
    loan = await session.get(FundLoan, loan_id)
    if loan is None or loan.supporter_id is None:
        return None
    loan_type = await session.get(FundLoanType, loan.loan_type_id)
    fund = await repo.by_id(session, loan.fund_id)
    assert loan_type is not None and fund is not None
    paid = [i for i in await fund_loans.instalments_of(session, loan_id) if i.status == FundDueStatus.PAID]
    return SupportedLoan(loan, loan_type, await repo.center_of(session, fund), len(paid), sum(i.amount for i in paid))
