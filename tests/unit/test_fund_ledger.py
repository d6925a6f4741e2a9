"""The fund's ledger: append-only on both databases, the balance is the sum of its entries,
the two-person rule in the service and in the database, the draw reproducible from its seed."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.db.engine import SessionFactory
from bot.db.enums import FundDueStatus, FundEntryKind, FundQueueRule, FundRole, FundShare
from bot.db.models import FundEntry
from bot.db.repo import fund as repo
from bot.services import fund as svc
from bot.services import fund_draw, fund_dues, fund_ledger
from bot.services.fund import FundDraft, FundProblem, LoanTypeDraft
from tests.factories import add_member, make_active_center, make_user

TEHRAN = ZoneInfo("Asia/Tehran")
# 10 آذر ۱۴۰۵, 12:00 Tehran
NOW = datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)


def draft(**changes: object) -> FundDraft:
    values: dict[str, object] = dict(
        contribution=200_000, due_day=5, queue_rule=FundQueueRule.FIRST_COME,
        confirmers=(FundRole.LEADER, FundRole.ASSISTANT),
        loan_types=[LoanTypeDraft("ازدواج", 20_000_000, 10, True), LoanTypeDraft("درمان", 5_000_000, 5, False)],
    )
    values.update(changes)
    return FundDraft(**values)  # type: ignore[arg-type]


async def fund_with_members(sessions: SessionFactory, shares: tuple[FundShare, ...] = (FundShare.FULL, FundShare.HALF)):
    leader, assistant = await make_user(sessions), await make_user(sessions)
    center = await make_active_center(sessions, leader, assistant)
    people = []
    async with sessions() as session:
        fund = await svc.open_fund(session, leader.id, draft(), NOW - timedelta(days=30))
        await session.commit()
    for share in shares:
        person = await make_user(sessions)
        await add_member(sessions, center, person)
        async with sessions() as session:
            await svc.join_fund(session, fund.id, person.id, share, NOW - timedelta(days=20))
            await session.commit()
        people.append(person)
    return fund, leader, assistant, people


async def expected_balance(sessions: SessionFactory, fund_id: int) -> int:
    """What the domain rows say came in and went out, worked out without the ledger's sum:
    paid dues + paid instalments − loans paid out + corrections."""
    async def total(sql: str) -> int:
        async with sessions() as session:
            return int((await (await session.connection()).execute(text(sql), {"f": fund_id})).scalar() or 0)

    return (
        await total("SELECT SUM(amount) FROM fund_dues WHERE fund_id = :f AND status = 'paid'")
        + await total("SELECT SUM(i.amount) FROM fund_instalments i JOIN fund_loans l ON l.id = i.loan_id "
                      "WHERE l.fund_id = :f AND i.status = 'paid'")
        - await total("SELECT SUM(amount) FROM fund_loans WHERE fund_id = :f AND status IN ('paid_out', 'closed')")
        + await total("SELECT SUM(amount) FROM fund_entries WHERE fund_id = :f AND kind = 'correction'")
    )


async def assert_invariant(sessions: SessionFactory, fund_id: int) -> int:
    async with sessions() as session:
        entries = await repo.entries(session, fund_id)
        total = await fund_ledger.balance(session, fund_id)
    assert total == sum(entry.amount for entry in entries) == await expected_balance(sessions, fund_id)
    return total


async def test_contributions_confirmed_by_another_person_make_the_balance(sessions: SessionFactory) -> None:
    fund, leader, assistant, (full, half) = await fund_with_members(sessions)
    async with sessions() as session:
        dues = await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        again = await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        await session.commit()
    assert sorted(d.amount for d in dues) == [100_000, 200_000] and again == []
    assert await assert_invariant(sessions, fund.id) == 0
    by_payer = {}
    for due in dues:
        payer = full if due.amount == 200_000 else half
        async with sessions() as session:
            claim = await fund_ledger.claim_contribution(session, due.id, payer.id, NOW)
            twice = await fund_ledger.claim_contribution(session, due.id, payer.id, NOW)
            await session.commit()
        assert twice.id == claim.id
        by_payer[payer.id] = claim
    async with sessions() as session:
        decided = await fund_ledger.decide_claim(session, by_payer[full.id].id, assistant.id, True, NOW)
        await session.commit()
    assert decided.entry is not None and decided.entry.amount == 200_000
    assert await assert_invariant(sessions, fund.id) == 200_000
    async with sessions() as session:  # the other confirmer taps too late: nothing doubles
        late = await fund_ledger.decide_claim(session, by_payer[full.id].id, leader.id, True, NOW)
        await fund_ledger.decide_claim(session, by_payer[half.id].id, leader.id, True, NOW)
        await session.commit()
    assert late.already and late.entry is None
    assert await assert_invariant(sessions, fund.id) == 300_000
    async with sessions() as session:  # a correction is a new entry pointing at the corrected one
        entry = (await repo.entries(session, fund.id))[0]
        correction = await fund_ledger.correct(session, entry.id, -50_000, leader.id, "دو بار ثبت شد", NOW)
        await session.commit()
    assert correction.corrects_id == entry.id and correction.kind == FundEntryKind.CORRECTION
    async with sessions() as session:
        entries = await repo.entries(session, fund.id)
    assert [e.amount for e in entries] == [200_000, 100_000, -50_000]
    assert await assert_invariant(sessions, fund.id) == 250_000


async def test_nobody_confirms_their_own_payment(sessions: SessionFactory) -> None:
    fund, leader, assistant, _ = await fund_with_members(sessions, shares=())
    async with sessions() as session:  # the leader pays into the fund too
        member = await svc.join_fund(session, fund.id, leader.id, FundShare.FULL, NOW - timedelta(days=20))
        (due,) = await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        claim = await fund_ledger.claim_contribution(session, due.id, leader.id, NOW)
        await session.commit()
    async with sessions() as session:
        with pytest.raises(FundProblem) as refused:
            await fund_ledger.decide_claim(session, claim.id, leader.id, True, NOW)
    assert refused.value.code == "own-payment"
    async with sessions() as session:  # and the database refuses it if the service were bypassed
        session.add(FundEntry(fund_id=fund.id, kind="contribution", amount=1000, member_id=member.id,
                              person_id=leader.id, confirmed_by=leader.id, at=NOW))
        with pytest.raises(IntegrityError):
            await session.flush()
    async with sessions() as session:
        decided = await fund_ledger.decide_claim(session, claim.id, assistant.id, True, NOW)
        await session.commit()
        assert decided.entry is not None and decided.entry.confirmed_by == assistant.id
        assert (await repo.due_of(session, member.id, due.period)).status == FundDueStatus.PAID  # type: ignore[union-attr]


async def test_a_confirmer_of_another_center_is_refused(sessions: SessionFactory) -> None:
    fund, _, _, (payer, _) = await fund_with_members(sessions)
    other_leader, other_assistant = await make_user(sessions), await make_user(sessions)
    await make_active_center(sessions, other_leader, other_assistant, name="کانون دیگر")
    async with sessions() as session:
        due = (await fund_dues.make_dues(session, fund, NOW, TEHRAN))[0]
        claim = await fund_ledger.claim_contribution(session, due.id, payer.id, NOW)
        await session.commit()
    async with sessions() as session:
        with pytest.raises(FundProblem) as refused:
            await fund_ledger.decide_claim(session, claim.id, other_leader.id, True, NOW)
        with pytest.raises(FundProblem) as not_theirs:
            await fund_ledger.claim_contribution(session, due.id, other_assistant.id, NOW)
    assert refused.value.code == "not-confirmer" and not_theirs.value.code == "not-yours"


@pytest.mark.parametrize("statement", [
    "UPDATE fund_entries SET amount = amount + 1",
    "UPDATE fund_entries SET note = 'x'",
    "DELETE FROM fund_entries",
])
async def test_the_database_refuses_to_change_or_remove_an_entry(sessions: SessionFactory, statement: str) -> None:
    fund, leader, _, (payer, _) = await fund_with_members(sessions)
    async with sessions() as session:
        due = (await fund_dues.make_dues(session, fund, NOW, TEHRAN))[0]
        claim = await fund_ledger.claim_contribution(session, due.id, payer.id, NOW)
        await fund_ledger.decide_claim(session, claim.id, leader.id, True, NOW)
        await session.commit()
    async with sessions() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await (await session.connection()).execute(text(statement))
    async with sessions() as session:
        entries = await repo.entries(session, fund.id)
    assert [(e.amount, e.note) for e in entries] == [(due.amount, None)]
    assert await assert_invariant(sessions, fund.id) == due.amount


def test_a_draw_is_reproduced_from_its_published_seed_and_entrants() -> None:
    seed = "5f2b8c0e6a1d4f3b9e7c2a5d8f1b4e6c9a3d7f0b2e5c8a1d4f7b0e3c6a9d2f5b"
    entrants = [14, 3, 27, 8, 19]
    published_hash = hashlib.sha256(seed.encode()).hexdigest()
    order = fund_draw.draw_order(seed, entrants)
    # Anyone re-runs it: sort by sha256("seed:entrant").
    by_hand = sorted(entrants, key=lambda e: hashlib.sha256(f"{seed}:{e}".encode()).hexdigest())
    assert order == by_hand and sorted(order) == sorted(entrants)
    assert fund_draw.commitment(seed) == published_hash
    assert fund_draw.verify(seed, published_hash, list(reversed(entrants)), order)  # the list's order does not matter
    assert not fund_draw.verify(fund_draw.new_seed(), published_hash, entrants, order)
    assert not fund_draw.verify(seed, published_hash, entrants, list(reversed(order)))
    assert fund_draw.draw_order(seed, entrants) == order  # the same every time


async def test_a_half_share_pays_half_and_late_joiners_start_next_month(sessions: SessionFactory) -> None:
    fund, _, _, (full, half) = await fund_with_members(sessions)
    late = await make_user(sessions)
    async with sessions() as session:
        center = await repo.center_of(session, fund)
    await add_member(sessions, center, late)
    async with sessions() as session:
        await svc.join_fund(session, fund.id, late.id, FundShare.FULL, NOW)  # after this month's due day
        dues = await fund_dues.make_dues(session, fund, NOW, TEHRAN)
        await session.commit()
    assert fund_dues.period_of(NOW, TEHRAN) == 140509
    assert {d.member_id for d in dues} == {m.id for m in [
        await _member(sessions, fund.id, full.id), await _member(sessions, fund.id, half.id)]}
    assert fund_dues.due_moment(140509, 5, TEHRAN) == datetime(2026, 11, 26, 5, 30, tzinfo=timezone.utc)


async def _member(sessions: SessionFactory, fund_id: int, user_id: int):
    async with sessions() as session:
        return await repo.member_of(session, fund_id, user_id)


async def test_opening_twice_and_bad_drafts_are_refused(sessions: SessionFactory) -> None:
    leader, assistant = await make_user(sessions), await make_user(sessions)
    await make_active_center(sessions, leader, assistant)
    async with sessions() as session:
        for bad, code in ((draft(due_day=30), "due-day"), (draft(loan_types=[]), "loan-types"),
                          (draft(confirmers=(FundRole.LEADER, FundRole.LEADER)), "confirmers")):
            with pytest.raises(FundProblem) as refused:
                await svc.open_fund(session, leader.id, bad, NOW)
            assert refused.value.code == code
        first = await svc.open_fund(session, leader.id, draft(request_key="k1"), NOW)
        assert (await svc.open_fund(session, leader.id, draft(request_key="k1"), NOW)).id == first.id
        with pytest.raises(FundProblem) as again:
            await svc.open_fund(session, leader.id, draft(request_key="k2"), NOW)
        with pytest.raises(FundProblem) as not_leader:
            await svc.open_fund(session, assistant.id, draft(), NOW)
    assert again.value.code == "already-open" and not_leader.value.code == "not-leader"


def test_every_fund_refusal_has_a_message() -> None:
    import re
    from pathlib import Path

    from bot.persian.catalog import t

    root = Path(__file__).resolve().parents[2] / "bot"
    codes = {code for path in root.rglob("*.py") for code in re.findall(r'FundProblem\("([a-z-]+)"', path.read_text("utf-8"))}
    assert len(codes) > 20
    for code in codes:
        assert t(f"fund-problem-{code}")  # raises KeyError when missing
