"""The loan fund's intents (issue 16): one unit of work each, then the notices it causes.

The two-person rule lives in services/fund_ledger.py and in the database; here a claim is
shown to every confirmer who is not the payer, and the payer is thanked once it is confirmed.
Every notice is a Delivery row keyed by (purpose, row, person): sent at most once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundEntryKind, FundPurpose, FundRole, FundShare
from bot.db.models import (
    Center, Fund, FundClaim, FundDue, FundEntry, FundInstalment, FundLoan, FundLoanType, FundMember, User, id_of,
)
from bot.db.repo import fund as repo
from bot.actions import fund_support
from bot.db.repo import users as users_repo
from bot.deps import Deps
from bot.sending.delivery import notify
from bot.services import fund as svc
from bot.services import fund_dues, fund_ledger, fund_reports
from bot.services.fund import FundDraft, FundPlace, FundProblem
from bot.views import fund as views


@dataclass(frozen=True)
class Home:
    """What the fund's page shows to one person."""

    center: Center | None
    is_leader: bool
    place: FundPlace | None
    loan_types: list[FundLoanType]
    members: int
    balance: int
    pending: int
    late: int
    due: FundDue | None  # the person's unpaid due of this month, if any
    due_claimed: bool
    treasurer_missing: bool


async def _home(session: AsyncSession, me: User, now: datetime, deps: Deps) -> Home:
    center, place = await svc.place_of(session, id_of(me))
    is_leader = center is not None and center.leader_id == id_of(me)
    if place is None:
        return Home(center, is_leader, None, [], 0, 0, 0, 0, None, False, False)
    fund_id = place.fund.id
    assert fund_id is not None
    due, claimed = None, False
    if place.member is not None:
        due = await repo.due_of(session, id_of(place.member), fund_dues.period_of(now, deps.settings.tz))
        if due is not None and due.status != "due":
            due = None
        claimed = due is not None and await repo.pending_claim_for_due(session, id_of(due)) is not None
    staff = place.is_staff
    return Home(
        center, is_leader, place, await repo.loan_types(session, fund_id), await repo.count_members(session, fund_id),
        await repo.balance(session, fund_id) if staff else 0,
        len(await repo.pending_claims(session, fund_id)) if staff else 0,
        len(await repo.late_dues(session, fund_id, now - fund_dues.LATE_AFTER)) if staff else 0,
        due, claimed,
        FundRole.TREASURER in (place.fund.confirmer_one, place.fund.confirmer_two) and place.fund.treasurer_id is None,
    )


async def home(deps: Deps, me: User) -> Home:
    async with deps.unit() as session:
        return await _home(session, me, deps.clock(), deps)


async def open_fund(deps: Deps, me: User, draft: FundDraft) -> tuple[Fund, str | None]:
    """The leader opens the fund; with a treasurer among the confirmers, their one-time link token."""
    now = deps.clock()
    async with deps.unit() as session:
        fund = await svc.open_fund(session, id_of(me), draft, now)
        token = None
        if FundRole.TREASURER in (fund.confirmer_one, fund.confirmer_two) and fund.treasurer_id is None:
            existing = await repo.open_treasurer_invitation_of(session, id_of(fund))
            invitation = existing or await svc.issue_treasurer_invitation(session, fund, id_of(me), now)
            token = invitation.token
    return fund, token


async def new_treasurer_link(deps: Deps, me: User) -> str:
    now = deps.clock()
    async with deps.unit() as session:
        center = await svc.center_run_by(session, id_of(me))
        fund = await repo.of_center(session, id_of(center)) if center and center.leader_id == id_of(me) else None
        if fund is None:
            raise FundProblem("not-leader")
        return (await svc.issue_treasurer_invitation(session, fund, id_of(me), now)).token


async def treasurer_invitation(deps: Deps, me: User, token: str) -> Center:
    async with deps.unit() as session:
        _, _, center = await svc.open_treasurer_invitation(session, token, id_of(me), deps.clock())
    return center


async def answer_treasurer(deps: Deps, me: User, token: str, accept: bool) -> Center:
    async with deps.unit() as session:
        invitation, fund, center = await svc.answer_treasurer_invitation(session, token, id_of(me), accept, deps.clock())
        leader = await users_repo.by_id(session, center.leader_id)
    if leader is not None:
        await notify(deps, leader, views.treasurer_told(me, accept), purpose=FundPurpose.TREASURER_ACCEPTED,
                     ref_id=invitation.id)
    return center


async def join(deps: Deps, me: User, fund_id: int, share: FundShare) -> tuple[FundMember, Fund]:
    async with deps.unit() as session:
        member = await svc.join_fund(session, fund_id, id_of(me), share, deps.clock())
        fund = await repo.by_id(session, fund_id)
    assert fund is not None
    return member, fund


@dataclass(frozen=True)
class ClaimView:
    claim: FundClaim
    payer: User
    center: Center
    period: int | None
    confirmers: list[User]  # those who are told (never the payer)


async def _claim_view(session: AsyncSession, claim: FundClaim) -> ClaimView:
    fund = await repo.by_id(session, claim.fund_id)
    assert fund is not None
    center = await repo.center_of(session, fund)
    payer = await users_repo.by_id(session, claim.payer_id)
    assert payer is not None
    due = await session.get(FundDue, claim.due_id) if claim.due_id else None
    confirmers = []
    for user_id in svc.confirmer_ids(fund, center):
        if user_id != claim.payer_id and (user := await users_repo.by_id(session, user_id)) is not None:
            confirmers.append(user)
    return ClaimView(claim, payer, center, due.period if due else None, confirmers)


async def report_paid(deps: Deps, me: User, due_id: int, receipt_file_id: str | None = None) -> tuple[ClaimView, bool]:
    """«واریز کردم»: a claim, shown to each confirmer who is not the payer. (view, new?)"""
    async with deps.unit() as session:
        before = await repo.pending_claim_for_due(session, due_id)
        claim = await fund_ledger.claim_contribution(session, due_id, id_of(me), deps.clock(), receipt_file_id)
        view = await _claim_view(session, claim)
    for confirmer in view.confirmers:
        await notify(deps, confirmer, *views.claim_to_confirm(view), purpose=FundPurpose.CLAIM_TO_CONFIRM,
                     ref_id=claim.id)
    return view, before is None


async def add_receipt(deps: Deps, me: User, file_id: str) -> Literal["kept", "had-one", "no-claim"]:
    """A photo sent after «واریز کردم»: kept with this month's pending claim, if there is one
    (the first photo only: a claim has one receipt). The photo itself goes to each confirmer on
    the payer's platform (a file_id works only for the bot that received it); a confirmer on the
    other platform is told a receipt was sent there. Once per claim and confirmer (Delivery rows)."""
    now = deps.clock()
    async with deps.unit() as session:
        _, place = await svc.place_of(session, id_of(me))
        if place is None or place.member is None:
            return "no-claim"
        due = await repo.due_of(session, id_of(place.member), fund_dues.period_of(now, deps.settings.tz))
        claim = await repo.pending_claim_for_due(session, id_of(due)) if due else None
        if claim is None:
            return "no-claim"
        if claim.receipt_file_id is not None:
            return "had-one"
        claim.receipt_file_id = file_id
        session.add(claim)
        view = await _claim_view(session, claim)
    for confirmer in view.confirmers:
        same_platform = confirmer.platform == me.platform
        await notify(deps, confirmer, views.receipt_caption(view, same_platform), purpose=FundPurpose.CLAIM_RECEIPT,
                     ref_id=claim.id, photo=file_id if same_platform else None)
    return "kept"


async def decide(deps: Deps, me: User, claim_id: int, confirm: bool) -> tuple[fund_ledger.Decided, ClaimView]:
    supporter = None
    async with deps.unit() as session:
        decided = await fund_ledger.decide_claim(session, claim_id, id_of(me), confirm, deps.clock(), deps.settings.tz)
        view = await _claim_view(session, decided.claim)
        loan_id = decided.claim.loan_id
        if decided.entry is not None and decided.claim.kind == FundEntryKind.INSTALMENT and loan_id is not None:
            loan = await session.get(FundLoan, loan_id)  # the last instalment closes it: its supporter's report
            supporter = await fund_support.expect_closed_report(session, loan, deps) if loan else None
    if not decided.already and (confirm or decided.claim.kind != "payout"):
        purpose = FundPurpose.CLAIM_CONFIRMED if confirm else FundPurpose.CLAIM_REJECTED
        await notify(deps, view.payer, views.payer_told(view, confirm), purpose=purpose, ref_id=claim_id)
    if supporter is not None and loan_id is not None:
        await fund_support.send_closed_report(deps, supporter, loan_id)
    return decided, view


async def _staff_place(session: AsyncSession, me: User) -> FundPlace:
    _, place = await svc.place_of(session, id_of(me))
    if place is None or not place.is_staff:
        raise FundProblem("not-staff")
    return place


async def pending_claims(deps: Deps, me: User) -> list[ClaimView]:
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        return [await _claim_view(session, c) for c in await repo.pending_claims(session, id_of(place.fund))]


async def late_list(deps: Deps, me: User) -> tuple[Center, list[tuple[FundDue, User]]]:
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        return place.center, await repo.late_dues(session, id_of(place.fund), deps.clock() - fund_dues.LATE_AFTER)


@dataclass(frozen=True)
class Statement:
    center: Center
    member: FundMember
    dues: list[FundDue]
    entries: list[FundEntry]
    loan: FundLoan | None
    loan_type: FundLoanType | None
    instalments: list[FundInstalment]


async def statement(deps: Deps, me: User) -> Statement:
    """The person's own statement; nobody else's rows are read."""
    async with deps.unit() as session:
        _, place = await svc.place_of(session, id_of(me))
        if place is None or place.member is None:
            raise FundProblem("not-member")
        member_id = place.member.id
        assert member_id is not None
        from bot.services import fund_loans

        loan = await fund_loans.latest_loan(session, member_id)
        loan_type = await session.get(FundLoanType, loan.loan_type_id) if loan else None
        instalments = await fund_loans.instalments_of(session, id_of(loan)) if loan else []
        return Statement(place.center, place.member, await repo.dues_of_member(session, member_id),
                         await repo.entries_of_member(session, member_id), loan, loan_type, instalments)


@dataclass(frozen=True)
class Figures:
    center: Center
    balance: int
    members: int
    month_total: int
    month_paid: int
    month_amount: int
    late: int
    loans_out: int
    loans_left: int  # toman still to be repaid on loans paid out
    overdue: int  # instalments past their day


async def figures_of(session: AsyncSession, fund: Fund, now: datetime, deps: Deps) -> Figures:
    """The fund's figures, without anyone's name: for staff, and for the center's facilitator."""
    fund_id = fund.id
    assert fund_id is not None
    center = await repo.center_of(session, fund)
    month = await repo.dues_of_period(session, fund_id, fund_dues.period_of(now, deps.settings.tz))
    paid = [d for d in month if d.status == "paid"]
    return Figures(center, await repo.balance(session, fund_id), await repo.count_members(session, fund_id),
                   len(month), len(paid), sum(d.amount for d in paid),
                   len(await repo.late_dues(session, fund_id, now - fund_dues.LATE_AFTER)),
                   *await repo.loans_outstanding(session, fund_id), await repo.overdue_instalments(session, fund_id, now))


async def figures(deps: Deps, me: User) -> Figures:
    async with deps.unit() as session:
        place = await _staff_place(session, me)
        return await figures_of(session, place.fund, deps.clock(), deps)


# --- timed work (bot/jobs/fund.py) ---------------------------------------------------------------


async def make_dues(deps: Deps) -> None:
    now = deps.clock()
    async with deps.unit() as session:
        funds = await repo.open_funds(session)
    for fund in funds:  # one unit per fund: a failure in one leaves the others' rows
        async with deps.unit() as session:
            await fund_dues.make_dues(session, fund, now, deps.settings.tz)


async def remind(deps: Deps, purpose: FundPurpose, late: bool) -> int:
    """One notice per due for `purpose`: the Delivery row is the claim, written before the send."""
    now = deps.clock()
    async with deps.unit() as session:
        if late:
            dues = await repo.dues_without_notice(session, purpose, now - fund_dues.LATE_AFTER)
        else:
            dues = await repo.dues_without_notice(session, purpose, now, not_before=now - fund_dues.LATE_AFTER)
        targets = []
        for due in dues:
            member = await session.get(FundMember, due.member_id)
            fund = await repo.by_id(session, due.fund_id)
            assert member is not None and fund is not None
            user = await users_repo.by_id(session, member.user_id)
            targets.append((due, user, await repo.center_of(session, fund)))
    sent = 0
    for due, user, center in targets:
        if user is None:
            continue
        text, markup = views.due_late(due, center) if late else views.due_reminder(due, center)
        if await notify(deps, user, text, markup, purpose=purpose, ref_id=due.id) is not None:
            sent += 1
    return sent


# --- reports, exports, the facilitator's figures ------------------------------------------------------


@dataclass(frozen=True)
class Report:
    center: Center
    series: list[fund_reports.MonthFigures]
    entries: list[FundEntry]
    names: dict[int, str]  # user id → name, for the staff's export only


async def report(deps: Deps, me: User) -> Report:
    from bot.views.centers import person_name

    async with deps.unit() as session:
        place = await _staff_place(session, me)
        entries = await repo.entries(session, id_of(place.fund))
        ids = list({e.person_id for e in entries} | {e.confirmed_by for e in entries})
        users = await users_repo.by_ids(session, ids)
    return Report(place.center, fund_reports.monthly_series(entries, deps.clock(), deps.settings.tz), entries,
                  {i: person_name(u) for i, u in users.items()})


async def facilitator_figures(deps: Deps, me: User) -> list[Figures]:
    """The funds of the centers this person facilitates: figures only, no one's entries."""
    async with deps.unit() as session:
        funds = await repo.funds_facilitated_by(session, id_of(me))
        return [await figures_of(session, fund, deps.clock(), deps) for fund in funds]
