"""Loan intents (issue 16): request, the guarantor's answer, approvals, the queue and the draw,
the payout, instalments paid; and the instalment reminders and overdue steps (rows first)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.actions.fund import ClaimView, _claim_view, _staff_place
from bot.db.enums import FundLoanStatus, FundPurpose
from bot.db.models import Center, FundDraw, FundInstalment, FundLoan, FundLoanType, FundMember, User, id_of
from bot.db.repo import fund as repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import users as users_repo
from bot.deps import Deps
from bot.sending import batches
from bot.sending.delivery import notify
from bot.services import fund as svc
from bot.services import fund_loans
from bot.services.fund import FundPlace, FundProblem
from bot.views import fund as fund_views
from bot.views import fund_loans as views


@dataclass(frozen=True)
class LoanView:
    loan: FundLoan
    loan_type: FundLoanType
    borrower: User
    guarantor: User | None
    center: Center
    staff: list[User]  # who decides: the center's staff, never the borrower
    supporter: User | None = None  # a supporter (حامی) who funds it, shown to staff only


async def _loan_view(session: AsyncSession, loan: FundLoan) -> LoanView:
    fund = await repo.by_id(session, loan.fund_id)
    assert fund is not None
    center = await repo.center_of(session, fund)
    loan_type = await session.get(FundLoanType, loan.loan_type_id)
    borrower = await users_repo.by_id(session, loan.borrower_id)
    guarantor = await users_repo.by_id(session, loan.guarantor_id) if loan.guarantor_id else None
    assert loan_type is not None and borrower is not None
    staff_ids = [i for i in dict.fromkeys([center.leader_id, center.assistant_id, fund.treasurer_id])
                 if i is not None and i != loan.borrower_id]
    staff = [u for i in staff_ids if (u := await users_repo.by_id(session, i)) is not None]
    supporter = await users_repo.by_id(session, loan.supporter_id) if loan.supporter_id else None
    return LoanView(loan, loan_type, borrower, guarantor, center, staff, supporter)


async def _member_place(session: AsyncSession, me: User) -> tuple[FundPlace, FundMember]:
    """Where a member stands, and their share (refused for anyone who has not opted in)."""
    _, place = await svc.place_of(session, id_of(me))
    if place is None or place.member is None:
        raise FundProblem("not-member")
    return place, place.member


async def request_choices(deps: Deps, me: User) -> tuple[FundPlace, list[FundLoanType], list[tuple[FundMember, User]]]:
    """What the request conversation offers: the fund's loan types and the possible guarantors.
    Refused at once for a member in arrears or with an open loan."""
    async with deps.unit() as session:
        place, member = await _member_place(session, me)
        if await fund_loans.in_arrears(session, id_of(member), deps.clock()):
            raise FundProblem("arrears")
        fund_id = id_of(place.fund)
        others = []
        for member in await repo.active_members(session, fund_id):
            if member.user_id != id_of(me) and (user := await users_repo.by_id(session, member.user_id)) is not None:
                others.append((member, user))
        return place, await repo.loan_types(session, fund_id), others


async def request(
    deps: Deps, me: User, loan_type_id: int, amount: int, reason: str, guarantor_id: int | None, request_key: str,
) -> LoanView:
    async with deps.unit() as session:
        place, _ = await _member_place(session, me)
        loan = await fund_loans.request_loan(session, id_of(place.fund), id_of(me), loan_type_id, amount, reason,
                                             guarantor_id, deps.clock(), request_key)
        view = await _loan_view(session, loan)
    await _tell_next(deps, view)
    return view


async def _tell_next(deps: Deps, view: LoanView) -> None:
    """The guarantor is asked, or the staff are asked to approve: once each (Delivery rows)."""
    loan = view.loan
    assert loan.id is not None
    if loan.status == FundLoanStatus.GUARANTOR and view.guarantor is not None:
        await notify(deps, view.guarantor, *views.guarantor_question(view), purpose=FundPurpose.LOAN_GUARANTOR, ref_id=loan.id)
    elif loan.status == FundLoanStatus.APPROVAL:
        for person in view.staff:
            await notify(deps, person, *views.approval_question(view), purpose=FundPurpose.LOAN_APPROVAL, ref_id=loan.id)


async def answer_as_guarantor(deps: Deps, me: User, loan_id: int, accept: bool) -> LoanView:
    async with deps.unit() as session:
        loan = await fund_loans.answer_as_guarantor(session, loan_id, id_of(me), accept)
        view = await _loan_view(session, loan)
    if loan.status == FundLoanStatus.REFUSED:
        await notify(deps, view.borrower, views.guarantor_declined(view), purpose=FundPurpose.LOAN_DECIDED, ref_id=loan_id)
    await _tell_next(deps, view)
    return view


async def approve(deps: Deps, me: User, loan_id: int, accept: bool) -> LoanView:
    async with deps.unit() as session:
        if accept:
            loan = await fund_loans.approve(session, loan_id, id_of(me), deps.clock())
        else:
            loan = await fund_loans.refuse(session, loan_id, id_of(me), deps.clock())
        view = await _loan_view(session, loan)
    if loan.status in (FundLoanStatus.QUEUED, FundLoanStatus.REFUSED):
        await notify(deps, view.borrower, views.loan_decided(view), purpose=FundPurpose.LOAN_DECIDED, ref_id=loan_id)
    return view


@dataclass(frozen=True)
class QueueView:
    place: FundPlace
    loans: list[LoanView]
    draw: FundDraw | None  # the announced draw not yet made


async def queue(deps: Deps, me: User) -> QueueView:
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        loans = [await _loan_view(session, loan) for loan in await fund_loans.queue(session, place.fund)]
        return QueueView(place, loans, await fund_loans.announced_draw(session, id_of(place.fund)))


async def announce_draw(deps: Deps, me: User) -> FundDraw:
    """Commit to a seed; every fund member is told the entrants (loan numbers) and the seed's hash:
    a batch of rows written with the draw (rows first), sent in the background, paced."""
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        draw = await fund_loans.announce_draw(session, place.fund, deps.clock())
        await _write_rows(session, FundPurpose.DRAW_ANNOUNCED, id_of(draw), id_of(place.fund), deps)
    batches.start(deps, DRAW_ANNOUNCED_BATCH, id_of(draw))
    return draw


async def make_draw(deps: Deps, me: User, draw_id: int) -> tuple[FundDraw, list[int]]:
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        draw = await session.get(FundDraw, draw_id)
        if draw is None or draw.fund_id != place.fund.id:
            raise FundProblem("no-entrants")
        draw = await fund_loans.make_draw(session, draw_id, deps.clock())
        await _write_rows(session, FundPurpose.DRAW_MADE, draw_id, id_of(place.fund), deps)
    batches.start(deps, DRAW_MADE_BATCH, draw_id)
    return draw, json.loads(draw.order or "[]")


async def _write_rows(session: AsyncSession, purpose: FundPurpose, draw_id: int, fund_id: int, deps: Deps) -> None:
    """A pending row per active fund member (a second tap adds none: one row per person)."""
    ids = [m.user_id for m in await repo.active_members(session, fund_id)]
    await deliveries_repo.enqueue(session, purpose, draw_id, ids, deps.clock())


async def _prepare_announced(deps: Deps, draw_id: int) -> batches.Renderer | None:
    async with deps.unit() as session:
        draw = await session.get(FundDraw, draw_id)
    if draw is None:
        return None
    text = views.draw_announced(draw)
    return lambda user: (text, None)


async def _prepare_made(deps: Deps, draw_id: int) -> batches.Renderer | None:
    async with deps.unit() as session:
        draw = await session.get(FundDraw, draw_id)
    if draw is None or draw.order is None:
        return None
    text = views.draw_made(draw, json.loads(draw.order))
    return lambda user: (text, None)


DRAW_ANNOUNCED_BATCH = batches.Kind(FundPurpose.DRAW_ANNOUNCED, _prepare_announced)
DRAW_MADE_BATCH = batches.Kind(FundPurpose.DRAW_MADE, _prepare_made)
BATCHES: dict[str, batches.Kind] = {kind.purpose: kind for kind in (DRAW_ANNOUNCED_BATCH, DRAW_MADE_BATCH)}


async def resume_batches(deps: Deps) -> None:
    await batches.resume(deps, BATCHES)


resume_batches_at_start = batches.resumer(BATCHES)


async def record_payout(deps: Deps, me: User, loan_id: int) -> ClaimView:
    async with deps.unit() as session:
        claim = await fund_loans.record_payout(session, loan_id, id_of(me), deps.clock())
        view = await _claim_view(session, claim)
    for confirmer in view.confirmers:
        if id_of(confirmer) != id_of(me):
            await notify(deps, confirmer, *fund_views.claim_to_confirm(view), purpose=FundPurpose.CLAIM_TO_CONFIRM,
                         ref_id=claim.id)
    return view


async def report_instalment(deps: Deps, me: User, instalment_id: int) -> ClaimView:
    async with deps.unit() as session:
        claim = await fund_loans.claim_instalment(session, instalment_id, id_of(me), deps.clock())
        view = await _claim_view(session, claim)
    for confirmer in view.confirmers:
        await notify(deps, confirmer, *fund_views.claim_to_confirm(view), purpose=FundPurpose.CLAIM_TO_CONFIRM,
                     ref_id=claim.id)
    return view


# --- instalment reminders and overdue steps (bot/jobs/fund.py) -----------------------------------
# (purpose, days after the due day it goes — negative: before —, days after which it is no
# longer news, who is told). Each is one Delivery row per (purpose, instalment, person).
DAY = timedelta(days=1)
INSTALMENT_STEPS: tuple[tuple[FundPurpose, int, int | None, str], ...] = (
    (FundPurpose.INSTALMENT_BEFORE, -2, 0, "borrower"),
    (FundPurpose.INSTALMENT_DAY, 0, 3, "borrower"),
    (FundPurpose.INSTALMENT_LATE_3, 3, 10, "borrower"),
    (FundPurpose.INSTALMENT_LATE_10, 10, 15, "guarantor"),
    (FundPurpose.INSTALMENT_LATE_15, 15, None, "staff"),
)
LONG_AGO = timedelta(days=3650)


async def instalment_reminders(deps: Deps) -> None:
    now = deps.clock()
    for purpose, starts, ends, audience in INSTALMENT_STEPS:
        latest = now - starts * DAY
        earliest = now - (ends * DAY if ends is not None else LONG_AGO)
        async with deps.unit() as session:
            found = await fund_loans.instalments_to_tell(session, purpose, earliest, latest,
                                                          with_guarantor=audience == "guarantor")
            targets = [(instalment, await _loan_view(session, loan)) for instalment, loan in found]
        for instalment, view in targets:
            people = {"borrower": [view.borrower], "guarantor": [view.guarantor] if view.guarantor else [],
                      "staff": view.staff}[audience]
            for person in people:
                await notify(deps, person, *views.instalment_notice(purpose, instalment, view, deps.settings.tz),
                             purpose=purpose, ref_id=instalment.id)


async def my_instalments(deps: Deps, me: User) -> tuple[LoanView, list[FundInstalment]] | None:
    async with deps.unit() as session:
        _, member = await _member_place(session, me)
        loan = await fund_loans.latest_loan(session, id_of(member))
        if loan is None:
            return None
        return await _loan_view(session, loan), await fund_loans.instalments_of(session, id_of(loan))
