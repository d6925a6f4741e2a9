"""The fund's ledger: claims of payment, their confirmation by someone else, corrections.

Two people for every amount: the member says «واریز کردم» (a claim), a confirmer who is not
the payer turns it into a ledger entry. The database holds the rule too (CHECK
confirmed_by <> person_id on fund_entries, decided_by <> payer_id on fund_claims), and the
ledger itself refuses UPDATE and DELETE (migration 0007_fund). The balance is the sum of
the entries; nothing else stores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundClaimStatus, FundDueStatus, FundEntryKind
from bot.db.models import FundClaim, FundDue, FundEntry, FundMember, id_of
from bot.db.repo import fund as repo
from bot.persian.text import TEHRAN
from bot.services import fund_loans
from bot.services.fund import FundPlace, FundProblem, place_by_fund

NOTE_MAX = 300


@dataclass(frozen=True)
class Decided:
    claim: FundClaim
    entry: FundEntry | None  # None when rejected
    already: bool = False  # someone had decided it before this tap


async def claim_contribution(
    session: AsyncSession, due_id: int, user_id: int, now: datetime, receipt_file_id: str | None = None,
) -> FundClaim:
    """The member's «واریز کردم» for one month's due; a second tap finds the first claim."""
    due = await session.get(FundDue, due_id)
    member = await session.get(FundMember, due.member_id) if due else None
    if due is None or member is None or member.user_id != user_id:
        raise FundProblem("not-yours")
    if due.status == FundDueStatus.PAID:
        raise FundProblem("already-paid")
    pending = await repo.pending_claim_for_due(session, due_id)
    if pending is not None:
        if receipt_file_id and not pending.receipt_file_id:
            pending.receipt_file_id = receipt_file_id
            session.add(pending)
            await session.flush()
        return pending
    claim = FundClaim(
        fund_id=due.fund_id, kind=FundEntryKind.CONTRIBUTION, member_id=id_of(member), payer_id=user_id,
        claimed_by=user_id, amount=due.amount, due_id=due_id, receipt_file_id=receipt_file_id,
        status=FundClaimStatus.PENDING, created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(claim)
            await session.flush()
    except IntegrityError:  # a double tap: the other one made it
        found = await repo.pending_claim_for_due(session, due_id)
        assert found is not None
        return found
    return claim


async def _confirmer_place(session: AsyncSession, claim: FundClaim, user_id: int) -> FundPlace:
    place = await place_by_fund(session, claim.fund_id, user_id)
    if place is None or not place.can_confirm:  # a button of another center's fund, or not a confirmer
        raise FundProblem("not-confirmer")
    return place


async def decide_claim(
    session: AsyncSession, claim_id: int, user_id: int, confirm: bool, now: datetime, tz: ZoneInfo = TEHRAN,
) -> Decided:
    """A confirmer other than the payer confirms (an entry is written) or rejects a claim. A
    payout is also confirmed by someone other than the staff member who recorded it."""
    claim = await session.get(FundClaim, claim_id)
    if claim is None:
        raise FundProblem("not-confirmer")
    await _confirmer_place(session, claim, user_id)
    if claim.payer_id == user_id:
        raise FundProblem("own-payment")
    if claim.kind == FundEntryKind.PAYOUT and claim.claimed_by == user_id:
        raise FundProblem("own-record")
    if claim.status != FundClaimStatus.PENDING:
        return Decided(claim, None, already=True)
    status = FundClaimStatus.CONFIRMED if confirm else FundClaimStatus.REJECTED
    if not await repo.decide_claim(session, claim_id, status, user_id, now):
        await session.refresh(claim)
        return Decided(claim, None, already=True)
    await session.refresh(claim)
    if not confirm:
        return Decided(claim, None)
    entry = FundEntry(
        fund_id=claim.fund_id, kind=claim.kind, amount=claim.amount if claim.kind != FundEntryKind.PAYOUT else -claim.amount,
        member_id=claim.member_id, person_id=claim.payer_id, confirmed_by=user_id, claim_id=claim.id,
        due_id=claim.due_id, instalment_id=claim.instalment_id, loan_id=claim.loan_id, at=now,
    )
    session.add(entry)
    await session.flush()
    if claim.due_id is not None:
        await repo.set_due_paid(session, claim.due_id)
    elif claim.kind == FundEntryKind.INSTALMENT and claim.instalment_id is not None:
        await fund_loans.after_instalment(session, claim.instalment_id, now)
    elif claim.kind == FundEntryKind.PAYOUT and claim.loan_id is not None:
        await fund_loans.after_payout(session, claim.loan_id, now, tz)
    return Decided(claim, entry)


async def _may_correct(session: AsyncSession, entry_id: int, user_id: int, corrections_too: bool = True) -> FundEntry:
    """The entry, if this person confirms money in its fund and it was not their own money."""
    entry = await session.get(FundEntry, entry_id)
    if entry is None or (not corrections_too and entry.kind == FundEntryKind.CORRECTION):
        raise FundProblem("no-entry")
    place = await place_by_fund(session, entry.fund_id, user_id)
    if place is None or not place.can_confirm:
        raise FundProblem("not-confirmer")
    if entry.person_id == user_id:
        raise FundProblem("own-payment")
    return entry


async def correct(
    session: AsyncSession, entry_id: int, amount: int, user_id: int, note: str, now: datetime,
) -> FundEntry:
    """A correction: a new entry of `amount` (signed) pointing at the one it corrects, recorded
    by a confirmer who is not the person whose money the corrected entry was."""
    corrected = await _may_correct(session, entry_id, user_id)
    if amount == 0:
        raise FundProblem("correction-zero")
    entry = FundEntry(
        fund_id=corrected.fund_id, kind=FundEntryKind.CORRECTION, amount=amount, member_id=corrected.member_id,
        person_id=corrected.person_id, confirmed_by=user_id, corrects_id=corrected.id,
        due_id=corrected.due_id, instalment_id=corrected.instalment_id, loan_id=corrected.loan_id,
        note=note[:NOTE_MAX], at=now,
    )
    session.add(entry)
    await session.flush()
    return entry


CORRECTIONS_PAGE = 8  # entries offered as buttons on one page of the corrections picker


def _shown_sign(entry: FundEntry) -> int:
    """Amounts are typed as positive toman; a payout is stored negative."""
    return -1 if entry.kind == FundEntryKind.PAYOUT else 1


async def entry_to_correct(session: AsyncSession, entry_id: int, user_id: int) -> tuple[FundEntry, int]:
    """An entry this confirmer may correct, and what it counts for now (its amount plus the
    corrections already made to it), as a positive toman amount. Corrections themselves are not
    corrected: the entry they point at is, again."""
    entry = await _may_correct(session, entry_id, user_id, corrections_too=False)
    current = entry.amount + await repo.corrections_total(session, entry.fund_id, entry_id)
    return entry, current * _shown_sign(entry)


async def correct_to(
    session: AsyncSession, entry_id: int, corrected: int, user_id: int, note: str, now: datetime,
) -> FundEntry:
    """The entry should have been `corrected` toman (0: it never happened): the difference from
    what it counts for now is written as a correction."""
    entry, current = await entry_to_correct(session, entry_id, user_id)
    if corrected < 0:
        raise FundProblem("correction-zero")
    return await correct(session, entry_id, (corrected - current) * _shown_sign(entry), user_id, note, now)


async def balance(session: AsyncSession, fund_id: int) -> int:
    return await repo.balance(session, fund_id)
