"""Loans from the fund: arrears block a request, nobody guarantees or approves their own loan,
two different staff approve, the draw follows its committed seed, the payout is confirmed by a
second person, the Jalali schedule, the loan closes when paid; the ledger invariant after each step."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.engine import SessionFactory
from bot.db.enums import FundLoanStatus, FundQueueRule, FundShare
from bot.db.models import FundLoan
from bot.db.repo import fund as repo
from bot.persian.text import jalali
from bot.services import fund as svc
from bot.services import fund_draw, fund_dues, fund_ledger, fund_loans
from bot.services.fund import FundProblem
from tests.factories import add_member, make_user
from tests.unit.test_fund_ledger import NOW, TEHRAN, assert_invariant, fund_with_members


async def _types(sessions: SessionFactory, fund_id: int):  # noqa: ANN202
    async with sessions() as session:
        marriage, treatment = await repo.loan_types(session, fund_id)
    return marriage, treatment


async def _pay_dues(sessions: SessionFactory, fund, payers, confirmer) -> None:  # noqa: ANN001
    async with sessions() as session:
        await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        await session.commit()
        dues = await repo.dues_of_period(session, fund.id, fund_dues.period_of(NOW, TEHRAN))
    by_member = {}
    async with sessions() as session:
        for payer in payers:
            by_member[(await repo.member_of(session, fund.id, payer.id)).id] = payer
    for due in dues:
        payer = by_member.get(due.member_id)
        if payer is None:
            continue
        async with sessions() as session:
            claim = await fund_ledger.claim_contribution(session, due.id, payer.id, NOW)
            await fund_ledger.decide_claim(session, claim.id, confirmer.id, True, NOW)
            await session.commit()


async def test_arrears_block_a_new_request(sessions: SessionFactory) -> None:
    fund, leader, _, (full, half) = await fund_with_members(sessions)
    marriage, treatment = await _types(sessions, fund.id)
    async with sessions() as session:
        await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        await session.commit()
    later = NOW + timedelta(days=2)  # this month's due (5 آذر) is now more than three days late
    async with sessions() as session:
        with pytest.raises(FundProblem) as refused:
            await fund_loans.request_loan(session, fund.id, full.id, treatment.id, 1_000_000, "درمان", None, later)
    assert refused.value.code == "arrears"
    await _pay_dues(sessions, fund, [full], leader)
    async with sessions() as session:
        loan = await fund_loans.request_loan(session, fund.id, full.id, treatment.id, 1_000_000, "درمان", None, later)
        with pytest.raises(FundProblem) as too_much:  # a half share borrows half the maximum
            await fund_loans.request_loan(session, fund.id, half.id, treatment.id, 3_000_000, "درمان", None, NOW)
    assert loan.status == FundLoanStatus.APPROVAL and too_much.value.code in ("arrears", "loan-amount")


async def test_nobody_guarantees_or_approves_their_own_loan(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    marriage, _ = await _types(sessions, fund.id)
    async with sessions() as session:
        with pytest.raises(FundProblem) as own:
            await fund_loans.request_loan(session, fund.id, full.id, marriage.id, 5_000_000, "عروسی", full.id, NOW)
        with pytest.raises(FundProblem) as needed:
            await fund_loans.request_loan(session, fund.id, full.id, marriage.id, 5_000_000, "عروسی", None, NOW)
    assert own.value.code == "own-guarantor" and needed.value.code == "guarantor-needed"
    async with sessions() as session:  # the database says no too
        member = await repo.member_of(session, fund.id, full.id)
        session.add(FundLoan(fund_id=fund.id, member_id=member.id, borrower_id=full.id, loan_type_id=marriage.id,
                             amount=1000, instalments=2, reason="x", guarantor_id=full.id, requested_at=NOW))
        with pytest.raises(IntegrityError):
            await session.flush()
    # The leader borrows: the leader cannot approve it, two others must.
    async with sessions() as session:
        await svc.join_fund(session, fund.id, leader.id, FundShare.FULL, NOW - timedelta(days=20))
        loan = await fund_loans.request_loan(session, fund.id, leader.id, marriage.id, 5_000_000, "عروسی", half.id, NOW)
        with pytest.raises(FundProblem) as not_guarantor:
            await fund_loans.answer_as_guarantor(session, loan.id, full.id, True)
        await fund_loans.answer_as_guarantor(session, loan.id, half.id, True)
        with pytest.raises(FundProblem) as own_approval:
            await fund_loans.approve(session, loan.id, leader.id, NOW)
        with pytest.raises(FundProblem) as member_approval:
            await fund_loans.approve(session, loan.id, full.id, NOW)
        once = await fund_loans.approve(session, loan.id, assistant.id, NOW)
        twice = await fund_loans.approve(session, loan.id, assistant.id, NOW)  # the same person again: still one
        await session.commit()
    assert (not_guarantor.value.code, own_approval.value.code, member_approval.value.code) == (
        "not-guarantor", "own-loan", "not-staff")
    assert once.status == twice.status == FundLoanStatus.APPROVAL and twice.approved_by_two is None


async def test_a_loan_from_request_to_closed_keeps_the_ledger_whole(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    treasurer = await make_user(sessions)
    async with sessions() as session:  # a treasurer approves as staff
        row = await repo.by_id(session, fund.id)
        row.treasurer_id = treasurer.id
        session.add(row)
        await session.commit()
    await _pay_dues(sessions, fund, [full, half], leader)
    assert await assert_invariant(sessions, fund.id) == 300_000
    _, treatment = await _types(sessions, fund.id)
    async with sessions() as session:
        loan = await fund_loans.request_loan(session, fund.id, half.id, treatment.id, 250_000, "دارو", None, NOW)
        await fund_loans.approve(session, loan.id, treasurer.id, NOW)
        loan = await fund_loans.approve(session, loan.id, leader.id, NOW)
        await session.commit()
    assert loan.status == FundLoanStatus.QUEUED and {loan.approved_by_one, loan.approved_by_two} == {treasurer.id, leader.id}
    async with sessions() as session:
        claim = await fund_loans.record_payout(session, loan.id, leader.id, NOW)
        with pytest.raises(FundProblem) as own_record:
            await fund_ledger.decide_claim(session, claim.id, leader.id, True, NOW)
        with pytest.raises(FundProblem) as borrower:
            await fund_ledger.decide_claim(session, claim.id, half.id, True, NOW)
        decided = await fund_ledger.decide_claim(session, claim.id, assistant.id, True, NOW, TEHRAN)
        await session.commit()
    assert own_record.value.code == "own-record" and borrower.value.code == "not-confirmer"
    assert decided.entry is not None and decided.entry.amount == -250_000
    assert await assert_invariant(sessions, fund.id) == 50_000
    async with sessions() as session:
        instalments = await fund_loans.instalments_to_tell(session, "x", NOW, NOW + timedelta(days=400))
    # 10 آذر ۱۴۰۵ payout → 10 دی, 10 بهمن, … at 09:00 Tehran; 250,000 in 5: 50,000 each.
    dates = [jalali(i.due_at, TEHRAN) for i, _ in instalments]
    assert [(d.year, d.month, d.day, d.hour) for d in dates] == [
        (1405, 10, 10, 9), (1405, 11, 10, 9), (1405, 12, 10, 9), (1406, 1, 10, 9), (1406, 2, 10, 9)]
    assert [i.amount for i, _ in instalments] == [50_000] * 5
    for instalment, _ in instalments:
        async with sessions() as session:
            claim = await fund_loans.claim_instalment(session, instalment.id, half.id, NOW)
            with pytest.raises(FundProblem):
                await fund_ledger.decide_claim(session, claim.id, half.id, True, NOW)
            await fund_ledger.decide_claim(session, claim.id, assistant.id, True, NOW)
            await session.commit()
        await assert_invariant(sessions, fund.id)
    async with sessions() as session:
        closed = await session.get(FundLoan, loan.id)
    assert closed.status == FundLoanStatus.CLOSED and closed.closed_at == NOW
    assert await assert_invariant(sessions, fund.id) == 300_000


def test_the_schedule_keeps_whole_toman_and_the_29th() -> None:
    payout = datetime(2027, 3, 20, 20, 0, tzinfo=timezone.utc)  # 30 اسفند ۱۴۰۵ in Tehran (a leap year)
    rows = fund_loans.schedule(1_000_000, 3, payout, TEHRAN)
    assert [r[2] for r in rows] == [333_333, 333_333, 333_334]
    assert [(jalali(r[1], TEHRAN).month, jalali(r[1], TEHRAN).day) for r in rows] == [(1, 29), (2, 29), (3, 29)]


async def test_the_draw_uses_the_seed_it_committed_to(sessions: SessionFactory) -> None:
    fund, leader, assistant, people = await fund_with_members(sessions, shares=(FundShare.FULL,) * 4)
    async with sessions() as session:
        row = await repo.by_id(session, fund.id)
        row.queue_rule = FundQueueRule.DRAW
        session.add(row)
        await session.commit()
    _, treatment = await _types(sessions, fund.id)
    loans = []
    for borrower in people:
        async with sessions() as session:
            loan = await fund_loans.request_loan(session, fund.id, borrower.id, treatment.id, 1_000_000, "دارو", None, NOW)
            await fund_loans.approve(session, loan.id, leader.id, NOW)
            loans.append((await fund_loans.approve(session, loan.id, assistant.id, NOW)).id)
            await session.commit()
    async with sessions() as session:
        fund = await repo.by_id(session, fund.id)
        draw = await fund_loans.announce_draw(session, fund, NOW)
        await session.commit()
    published_hash, entrants = draw.seed_hash, json.loads(draw.entrants)
    assert sorted(entrants) == sorted(loans)
    async with sessions() as session:
        drawn = await fund_loans.make_draw(session, draw.id, NOW)
        again = await fund_loans.make_draw(session, draw.id, NOW + timedelta(hours=1))  # drawing twice changes nothing
        order = [loan.id for loan in await fund_loans.queue(session, fund)]
        await session.commit()
    assert json.loads(drawn.order) == order == json.loads(again.order)
    assert fund_draw.verify(drawn.seed, published_hash, entrants, order)
