"""A loan funded by a supporter (حامی): staff pick one of the center's supporters for a loan;
the supporter is told (rows first: the notice's row commits with the mark), and gets the
loan's short report when its last instalment is confirmed (actions/fund.decide writes that row)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundLoanStatus, FundPurpose
from bot.db.models import Delivery, FundLoan, User, id_of
from bot.db.repo import users as users_repo
from bot.deps import Deps, Rendered, Resender
from bot.sending.delivery import expect_notice, notify
from bot.services import fund_support as svc
from bot.views import fund_support as views


@dataclass(frozen=True)
class SupportersPage:
    loan: FundLoan
    supporters: list[User]
    page: int
    total: int


async def supporters(deps: Deps, me: User, loan_id: int, page: int) -> SupportersPage:
    async with deps.unit() as session:
        loan, place = await svc.loan_for_staff(session, loan_id, id_of(me))
        found, total = await svc.supporters_page(session, id_of(place.center), page)
    return SupportersPage(loan, found, page, total)


async def picked(deps: Deps, me: User, loan_id: int, supporter_id: int) -> tuple[FundLoan, User]:
    """The confirmation step: checked now as it will be at the mark."""
    async with deps.unit() as session:
        loan, place = await svc.loan_for_staff(session, loan_id, id_of(me))
        return loan, await svc.check_supporter(session, loan, place, supporter_id)


async def mark(deps: Deps, me: User, loan_id: int, supporter_id: int) -> tuple[FundLoan, User, bool]:
    async with deps.unit() as session:
        loan, supporter, new = await svc.mark(session, loan_id, id_of(me), supporter_id)
        told = await svc.supported_loan(session, loan_id) if new else None
        if told is not None:
            await expect_notice(session, supporter, FundPurpose.SUPPORTED, loan_id, deps.clock())  # rows first
    if told is not None:
        await notify(deps, supporter, views.supporter_told(told), purpose=FundPurpose.SUPPORTED, ref_id=loan_id)
    return loan, supporter, new


async def expect_closed_report(session: AsyncSession, loan: FundLoan, deps: Deps) -> User | None:
    """Inside the unit that confirmed the last instalment: the supporter's report row, if any."""
    if loan.status != FundLoanStatus.CLOSED or loan.supporter_id is None:
        return None
    supporter = await users_repo.by_id(session, loan.supporter_id)
    if supporter is not None:
        await expect_notice(session, supporter, FundPurpose.SUPPORTED_CLOSED, id_of(loan), deps.clock())
    return supporter


async def send_closed_report(deps: Deps, supporter: User, loan_id: int) -> None:
    rendered = await _closed_report(deps, loan_id, supporter)
    if rendered is not None:
        await notify(deps, supporter, rendered, purpose=FundPurpose.SUPPORTED_CLOSED, ref_id=loan_id)


async def _closed_report(deps: Deps, loan_id: int, supporter: User) -> str | None:
    async with deps.unit() as session:
        found = await svc.supported_loan(session, loan_id)
    if found is None or found.loan.supporter_id != supporter.id or found.loan.status != FundLoanStatus.CLOSED:
        return None
    return views.supporter_report(found, deps.settings.tz)


async def _told_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.supported_loan(session, row.ref_id)
    if found is None or found.loan.supporter_id != user.id:
        return None
    return views.supporter_told(found), None


async def _report_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    text = await _closed_report(deps, row.ref_id, user)
    return (text, None) if text is not None else None


RESENDERS: dict[str, Resender] = {
    FundPurpose.SUPPORTED: _told_again,
    FundPurpose.SUPPORTED_CLOSED: _report_again,
}
