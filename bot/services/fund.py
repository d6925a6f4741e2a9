"""A center's interest-free loan fund: opening it, who runs it, who is in it (docs/fund.md).

The bot holds no money. A fund records what members say they paid and what a confirmer
other than the payer confirmed (services/fund_ledger.py). Plain async functions over a
session with an explicit `now`; they flush, never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, InvitationStatus, FundMemberStatus, FundQueueRule, FundRole, FundShare, FundStatus
from bot.db.models import Center, Fund, FundLoanType, FundMember, FundTreasurerInvitation, id_of
from bot.db.repo import centers as centers_repo
from bot.db.repo import fund as repo
from bot.db.repo import memberships as memberships_repo
from bot.services.refusals import Refusal

DUE_DAY_MIN, DUE_DAY_MAX = 1, 29  # every Jalali month has a 29th (Esfand in a common year)
LOAN_TYPE_NAME_MIN, LOAN_TYPE_NAME_MAX = 2, 32
INSTALMENTS_MIN, INSTALMENTS_MAX = 1, 120
LOAN_TYPES_MAX = 8


class FundProblem(Refusal):
    """A fund rule said no; `code` picks «fund-problem-<code>»."""

    feature = "fund"


@dataclass
class LoanTypeDraft:
    name: str
    max_amount: int
    instalments: int
    needs_guarantor: bool


@dataclass
class FundDraft:
    contribution: int
    due_day: int
    queue_rule: FundQueueRule
    confirmers: tuple[FundRole, FundRole]
    loan_types: list[LoanTypeDraft] = field(default_factory=list)
    request_key: str | None = None


@dataclass(frozen=True)
class FundPlace:
    """A fund with its center, and what the asking person is in it."""

    fund: Fund
    center: Center
    role: FundRole | None  # staff role if any (leader, assistant, treasurer)
    member: FundMember | None  # their own share, if they opted in

    @property
    def confirmer_ids(self) -> list[int]:
        return confirmer_ids(self.fund, self.center)

    @property
    def is_staff(self) -> bool:
        return self.role is not None

    @property
    def can_confirm(self) -> bool:
        return self.role is not None and self.role in (self.fund.confirmer_one, self.fund.confirmer_two)


def person_of(fund: Fund, center: Center, role: str) -> int | None:
    if role == FundRole.LEADER:
        return center.leader_id
    if role == FundRole.ASSISTANT:
        return center.assistant_id
    return fund.treasurer_id


def confirmer_ids(fund: Fund, center: Center) -> list[int]:
    """The people who confirm money, in the fund's order, without gaps (a treasurer not yet named)."""
    ids = [person_of(fund, center, role) for role in (fund.confirmer_one, fund.confirmer_two)]
    return [i for i in dict.fromkeys(ids) if i is not None]


def role_in(fund: Fund, center: Center, user_id: int) -> FundRole | None:
    if center.leader_id == user_id:
        return FundRole.LEADER
    if center.assistant_id == user_id:
        return FundRole.ASSISTANT
    if fund.treasurer_id == user_id:
        return FundRole.TREASURER
    return None


def check_draft(draft: FundDraft) -> None:
    if draft.contribution <= 0:
        raise FundProblem("contribution")
    if not DUE_DAY_MIN <= draft.due_day <= DUE_DAY_MAX:
        raise FundProblem("due-day")
    if len(set(draft.confirmers)) != 2:
        raise FundProblem("confirmers")
    if not draft.loan_types or len(draft.loan_types) > LOAN_TYPES_MAX:
        raise FundProblem("loan-types")


async def center_run_by(session: AsyncSession, user_id: int) -> Center | None:
    return await centers_repo.run_by(session, user_id)


async def center_of_person(session: AsyncSession, user_id: int) -> Center | None:
    """The center this person runs (leader, assistant) or is an active member of."""
    center = await centers_repo.run_by(session, user_id)
    if center is not None:
        return center
    membership = await memberships_repo.active_for(session, user_id)
    return await centers_repo.by_id(session, membership.center_id) if membership else None


async def place_of(session: AsyncSession, user_id: int) -> tuple[Center | None, FundPlace | None]:
    """The person's center and, if it has a fund, where they stand in it (also the treasurer's)."""
    center = await center_of_person(session, user_id)
    fund = await repo.of_center(session, id_of(center)) if center else None
    if fund is None:
        treasured = await repo.treasured_by(session, user_id)
        if treasured is None:
            return center, None
        fund = treasured
        center = await repo.center_of(session, fund)
    assert center is not None
    return center, await place_in(session, fund, center, user_id)


async def place_in(session: AsyncSession, fund: Fund, center: Center, user_id: int) -> FundPlace:
    member = await repo.member_of(session, id_of(fund), user_id)
    if member is not None and member.status != FundMemberStatus.ACTIVE:
        member = None
    return FundPlace(fund, center, role_in(fund, center, user_id), member)


async def place_by_fund(session: AsyncSession, fund_id: int, user_id: int) -> FundPlace | None:
    fund = await repo.by_id(session, fund_id)
    if fund is None:
        return None
    return await place_in(session, fund, await repo.center_of(session, fund), user_id)


async def open_fund(session: AsyncSession, leader_id: int, draft: FundDraft, now: datetime) -> Fund:
    """The leader opens their active center's fund. A repeated «ثبت» (same request_key) finds it."""
    if draft.request_key:
        existing = await repo.by_request_key(session, draft.request_key)
        if existing is not None:
            return existing
    center = await centers_repo.led_by(session, leader_id)
    if center is None:
        raise FundProblem("not-leader")
    if center.status != CenterStatus.ACTIVE:
        raise FundProblem("center-not-active")
    if await repo.of_center(session, id_of(center)) is not None:
        raise FundProblem("already-open")
    check_draft(draft)
    fund = Fund(
        center_id=id_of(center), created_by=leader_id, contribution=draft.contribution, due_day=draft.due_day,
        queue_rule=draft.queue_rule, confirmer_one=draft.confirmers[0], confirmer_two=draft.confirmers[1],
        status=FundStatus.OPEN, opened_at=now, request_key=draft.request_key,
    )
    try:
        async with session.begin_nested():
            session.add(fund)
            await session.flush()
    except IntegrityError:  # another tap opened it meanwhile
        raise FundProblem("already-open") from None
    for loan_type in draft.loan_types:
        session.add(FundLoanType(fund_id=id_of(fund), name=loan_type.name, max_amount=loan_type.max_amount,
                                 instalments=loan_type.instalments, needs_guarantor=loan_type.needs_guarantor))
    await session.flush()
    return fund


async def may_join(session: AsyncSession, fund: Fund, center: Center, user_id: int) -> bool:
    """Active members of the center may opt in; so may its leader and assistant."""
    if user_id in (center.leader_id, center.assistant_id):
        return True
    membership = await memberships_repo.active_for(session, user_id)
    return membership is not None and membership.center_id == center.id


async def join_fund(session: AsyncSession, fund_id: int, user_id: int, share: FundShare, now: datetime) -> FundMember:
    """Opt in with a full or half share; joining again changes nothing (the first answer stands)."""
    fund = await repo.by_id(session, fund_id)
    if fund is None or fund.status != FundStatus.OPEN:
        raise FundProblem("no-fund")
    center = await repo.center_of(session, fund)
    if not await may_join(session, fund, center, user_id):
        raise FundProblem("not-member")
    existing = await repo.member_of(session, fund_id, user_id)
    if existing is not None and existing.status == FundMemberStatus.ACTIVE:
        return existing
    if existing is not None:  # had left: back in, with the share chosen now
        existing.status, existing.share, existing.joined_at = FundMemberStatus.ACTIVE, share, now
        session.add(existing)
        await session.flush()
        return existing
    member = FundMember(fund_id=fund_id, user_id=user_id, share=share, status=FundMemberStatus.ACTIVE, joined_at=now)
    try:
        async with session.begin_nested():
            session.add(member)
            await session.flush()
    except IntegrityError:  # a double tap: the other one made it
        found = await repo.member_of(session, fund_id, user_id)
        assert found is not None
        return found
    return member


def share_amount(full: int, share: str) -> int:
    """A half share pays (and borrows) half, rounded down to a whole toman."""
    return full if share == FundShare.FULL else full // 2


# --- the treasurer's invitation (the assistant's invitation's shape: a one-time link) ---------------

TREASURER_INVITATION_VALIDITY = timedelta(days=7)


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters of [A-Za-z0-9_-]: fits a deep link


async def issue_treasurer_invitation(session: AsyncSession, fund: Fund, by: int, now: datetime) -> FundTreasurerInvitation:
    """A new link cancels the fund's older open one (at most one open: a partial unique index)."""
    await repo.cancel_open_treasurer_invitations(session, id_of(fund))
    invitation = FundTreasurerInvitation(
        token=_new_token(), fund_id=id_of(fund), created_by=by, status=InvitationStatus.OPEN,
        created_at=now, expires_at=now + TREASURER_INVITATION_VALIDITY,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def open_treasurer_invitation(
    session: AsyncSession, token: str, user_id: int, now: datetime,
) -> tuple[FundTreasurerInvitation, Fund, Center]:
    invitation = await repo.treasurer_invitation(session, token) if token else None
    if invitation is None or invitation.status != InvitationStatus.OPEN or invitation.expires_at <= now:
        raise FundProblem("invitation")
    fund = await repo.by_id(session, invitation.fund_id)
    if fund is None or fund.status != FundStatus.OPEN:
        raise FundProblem("invitation")
    center = await repo.center_of(session, fund)
    if user_id in (center.leader_id, center.assistant_id):
        raise FundProblem("treasurer-self")
    return invitation, fund, center


async def answer_treasurer_invitation(
    session: AsyncSession, token: str, user_id: int, accept: bool, now: datetime,
) -> tuple[FundTreasurerInvitation, Fund, Center]:
    invitation, fund, center = await open_treasurer_invitation(session, token, user_id, now)
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.used_by, invitation.used_at = user_id, now
    session.add(invitation)
    if accept:
        fund.treasurer_id = user_id
        session.add(fund)
    await session.flush()
    return invitation, fund, center
