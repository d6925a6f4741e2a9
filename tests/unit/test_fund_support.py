"""A loan funded by a supporter, and a correction to a given amount: the rules over a real
database (the flows through the bot: tests/e2e/test_fund_more.py)."""

from __future__ import annotations

import pytest

from bot.db.charity_models import Supporter
from bot.db.engine import SessionFactory
from bot.db.models import FundEntry
from bot.services import fund_ledger, fund_loans, fund_support
from bot.services.fund import FundProblem
from tests.factories import make_active_center, make_user
from tests.unit.test_fund_ledger import NOW, TEHRAN, assert_invariant, fund_with_members
from tests.unit.test_fund_loans import _pay_dues, _types


async def _supporter_of(sessions: SessionFactory, center_id: int):  # noqa: ANN202
    user = await make_user(sessions)
    async with sessions() as session:
        session.add(Supporter(center_id=center_id, user_id=user.id, joined_at=NOW))
        await session.commit()
    return user


async def test_a_confirmer_marks_a_loan_funded_by_one_of_the_centers_supporters_once(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    supporter, second = await _supporter_of(sessions, fund.center_id), await _supporter_of(sessions, fund.center_id)
    other_leader, other_assistant = await make_user(sessions), await make_user(sessions)
    other_center = await make_active_center(sessions, other_leader, other_assistant, name="کانون نور")
    elsewhere = await _supporter_of(sessions, other_center.id)
    _, treatment = await _types(sessions, fund.id)
    async with sessions() as session:
        loan = await fund_loans.request_loan(session, fund.id, full.id, treatment.id, 500_000, "دارو", None, NOW)
        with pytest.raises(FundProblem) as waiting:  # not approved yet
            await fund_support.mark(session, loan.id, leader.id, supporter.id)
        await fund_loans.approve(session, loan.id, leader.id, NOW)
        await fund_loans.approve(session, loan.id, assistant.id, NOW)
        await session.commit()
    assert waiting.value.code == "not-supportable"
    refusals = []
    for by, whom in ((full, supporter.id), (half, supporter.id), (other_leader, supporter.id),
                     (leader, elsewhere.id), (leader, half.id), (leader, full.id)):
        async with sessions() as session:
            with pytest.raises(FundProblem) as refused:
                await fund_support.mark(session, loan.id, by.id, whom)
        refusals.append(refused.value.code)
    # the borrower, a member, another center's leader: not confirmers; another center's supporter,
    # a member, the borrower: not supporters of this center
    assert refusals == ["not-confirmer"] * 3 + ["not-supporter"] * 3
    async with sessions() as session:
        _, _, new = await fund_support.mark(session, loan.id, leader.id, supporter.id)
        await session.commit()
    async with sessions() as session:
        _, _, again = await fund_support.mark(session, loan.id, assistant.id, supporter.id)
        with pytest.raises(FundProblem) as taken:
            await fund_support.mark(session, loan.id, assistant.id, second.id)
        page, total = await fund_support.supporters_page(session, fund.center_id, 0)
        told = await fund_support.supported_loan(session, loan.id)
    assert new and not again and taken.value.code == "already-supported"
    assert {u.id for u in page} == {supporter.id, second.id} and total == 2
    assert told is not None and (told.paid_count, told.paid_amount, told.loan.supporter_id) == (0, 0, supporter.id)


async def test_a_correction_to_the_right_amount_is_a_new_entry_and_keeps_the_invariant(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    await _pay_dues(sessions, fund, [full, half], leader)
    assert await assert_invariant(sessions, fund.id) == 300_000
    async with sessions() as session:
        entries = await fund_ledger.repo.entries(session, fund.id)
    paid_full = next(e for e in entries if e.person_id == full.id)
    async with sessions() as session:
        with pytest.raises(FundProblem) as own:
            await fund_ledger.correct_to(session, paid_full.id, 150_000, full.id, "x", NOW)
        with pytest.raises(FundProblem) as member:
            await fund_ledger.correct_to(session, paid_full.id, 150_000, half.id, "x", NOW)
        first = await fund_ledger.correct_to(session, paid_full.id, 150_000, assistant.id, "رسید ۱۵۰ بود", NOW)
        await session.commit()
    assert own.value.code == "not-confirmer" and member.value.code == "not-confirmer"
    assert (first.amount, first.corrects_id) == (-50_000, paid_full.id)
    assert await assert_invariant(sessions, fund.id) == 250_000
    async with sessions() as session:
        _, now_counts = await fund_ledger.entry_to_correct(session, paid_full.id, leader.id)
        second = await fund_ledger.correct_to(session, paid_full.id, 0, leader.id, "اصلاً نرسیده بود", NOW)
        with pytest.raises(FundProblem) as of_correction:  # a correction is not corrected; its entry is
            await fund_ledger.entry_to_correct(session, first.id, leader.id)
        with pytest.raises(FundProblem) as same:
            await fund_ledger.correct_to(session, paid_full.id, 0, leader.id, "دوباره", NOW)
        await session.commit()
    assert now_counts == 150_000 and second.amount == -150_000
    assert of_correction.value.code == "no-entry" and same.value.code == "correction-zero"
    assert await assert_invariant(sessions, fund.id) == 100_000
    async with sessions() as session:
        untouched = await session.get(FundEntry, paid_full.id)
    assert untouched is not None and untouched.amount == 200_000  # the corrected entry is as it was


async def test_a_payout_is_corrected_in_positive_toman(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    await _pay_dues(sessions, fund, [full, half], leader)
    _, treatment = await _types(sessions, fund.id)
    async with sessions() as session:
        loan = await fund_loans.request_loan(session, fund.id, full.id, treatment.id, 250_000, "دارو", None, NOW)
        await fund_loans.approve(session, loan.id, leader.id, NOW)
        await fund_loans.approve(session, loan.id, assistant.id, NOW)
        claim = await fund_loans.record_payout(session, loan.id, leader.id, NOW)
        decided = await fund_ledger.decide_claim(session, claim.id, assistant.id, True, NOW, TEHRAN)
        await session.commit()
    assert decided.entry is not None and await assert_invariant(sessions, fund.id) == 50_000
    async with sessions() as session:
        _, shown = await fund_ledger.entry_to_correct(session, decided.entry.id, leader.id)
        fixed = await fund_ledger.correct_to(session, decided.entry.id, 200_000, leader.id, "۲۰۰ پرداخت شد", NOW)
        await session.commit()
    assert shown == 250_000 and fixed.amount == 50_000
    assert await assert_invariant(sessions, fund.id) == 100_000
