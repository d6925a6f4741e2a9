"""The loan fund, continued (issue 16) through the real bot: a loan funded by a supporter on the
other platform (told once, the short report at its close, never the borrower's name); a
confirmer's correction of a ledger entry (a new entry; the ledger invariant holds; forged taps
refused); the receipt photo reaching the confirmer on the payer's platform, a line to the other."""

from __future__ import annotations

from sqlmodel import select

from bot.actions import fund_loans as loan_actions
from bot.db.charity_models import Supporter
from bot.db.enums import FundPurpose, FundQueueRule, FundRole, FundShare
from bot.db.models import Center, Fund, FundClaim, FundEntry, FundInstalment, FundLoan, FundLoanType
from bot.jobs import fund as fund_jobs
from bot.persian.text import utcnow
from bot.platforms import Platform
from bot.services import fund as fund_svc
from bot.services import fund_ledger, fund_loans
from bot.services.fund import FundDraft, LoanTypeDraft
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import Person, center, deliveries, person
from tests.e2e.test_fund import CONFIRM, PAID, REMINDER, _open_fund_page, _other, balance, count
from tests.factories import add_member
from tests.unit.test_fund_ledger import expected_balance

TWO_INSTALMENTS = "درمان"


async def _fund(harness: Harness, leader: Person, members: list[Person], center_row: Center,
                guarantor: bool = False) -> Fund:
    """Opened and joined through the services (the steps have their own test in test_fund.py)."""
    draft = FundDraft(contribution=100_000, due_day=10, queue_rule=FundQueueRule.FIRST_COME,
                      confirmers=(FundRole.LEADER, FundRole.ASSISTANT),
                      loan_types=[LoanTypeDraft(TWO_INSTALMENTS, 5_000_000, 2, guarantor)])
    now = harness.clock()
    async with harness.sessions() as session:
        fund = await fund_svc.open_fund(session, leader.id, draft, now)
        await session.commit()
    for who in members:
        await add_member(harness.sessions, center_row, who.row)
        async with harness.sessions() as session:
            await fund_svc.join_fund(session, fund.id, who.id, FundShare.FULL, now)
            await session.commit()
    return fund


async def _queued_loan(harness: Harness, fund: Fund, borrower: Person, staff: tuple[Person, Person]) -> FundLoan:
    async with harness.sessions() as session:
        loan_type = (await session.exec(select(FundLoanType).where(FundLoanType.fund_id == fund.id))).one()
        loan = await fund_loans.request_loan(session, fund.id, borrower.id, loan_type.id, 1_000_000,
                                             "درمان پدرم", None, harness.clock())
        for approver in staff:
            loan = await fund_loans.approve(session, loan.id, approver.id, harness.clock())
        await session.commit()
    return loan


async def test_a_loan_funded_by_a_supporter_on_the_other_platform(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    borrower = await person(harness, platform, "مریم احمدی", "09121234567")
    supporter = await person(harness, _other(platform), "نیکوکار بوشهری", None, first_name="نیکوکار")
    member = await person(harness, platform, "رضا کریمی", "09123334444", first_name="رضا")
    fund = await _fund(harness, staffed.leader, [borrower, member], staffed.center)
    async with harness.sessions() as session:
        session.add(Supporter(center_id=staffed.center.id, user_id=supporter.id, joined_at=utcnow()))
        await session.commit()
    loan = await _queued_loan(harness, fund, borrower, (staffed.leader, staffed.assistant))

    # A member who is not staff: no such button, and a forged one is refused.
    page = await _open_fund_page(member, "شما با یک سهم کامل")
    query = await member.fake.forge_tap(page, f"fd:sl:{loan.id}:0")
    assert "تأییدکننده" in (await member.fake.callback_answer(query) or "")

    page = await _open_fund_page(staffed.leader, "موجودی ثبت‌شده")
    await staffed.leader.fake.tap(page, "📋 نوبت وام‌ها")
    queue = await staffed.leader.fake.expect("نوبت وام‌ها:")
    await staffed.leader.fake.tap(queue, f"🤝 حامی وام {loan.id}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))
    listed = await staffed.leader.fake.wait_edit(queue)
    assert "کدام حامی" in listed.text
    assert [text for text, _ in listed.buttons] == ["نیکوکار بوشهری", "🔙 مرحله‌ی قبل", "❌ انصراف"]
    await staffed.leader.fake.tap(listed, "نیکوکار بوشهری")
    confirm = await staffed.leader.fake.wait_edit(listed)
    await staffed.leader.fake.tap(confirm, "🔙 مرحله‌ی قبل")  # back to the list, then forward again
    listed = await staffed.leader.fake.wait_edit(confirm)
    await staffed.leader.fake.tap(listed, "نیکوکار بوشهری")
    confirm = await staffed.leader.fake.wait_edit(listed)
    await staffed.leader.fake.tap(confirm, "✅ ثبت حامی")
    await staffed.leader.fake.wait_edit(confirm)
    assert "ثبت شد" in confirm.text

    told = await supporter.fake.expect("از پشتیبانی شما سپاسگزاریم")
    assert "۱٬۰۰۰٬۰۰۰ تومان" in told.text and TWO_INSTALMENTS in told.text
    assert "مریم" not in told.text and "پدرم" not in told.text  # neither the borrower's name nor the reason
    # A forged tap naming someone who is not a supporter is refused; the loan keeps its supporter.
    query = await staffed.leader.fake.forge_tap(confirm, f"fd:ss:{loan.id}:{member.id}")
    assert "حامی این کانون نیست" in (await staffed.leader.fake.callback_answer(query) or "")

    # Paid out, then both instalments claimed and confirmed: the last one closes it.
    async with harness.sessions() as session:
        claim = await fund_loans.record_payout(session, loan.id, staffed.leader.id, harness.clock())
        await fund_ledger.decide_claim(session, claim.id, staffed.assistant.id, True, harness.clock(),
                                       harness.deps.settings.tz)
        await session.commit()
        instalments = (await session.exec(select(FundInstalment).where(FundInstalment.loan_id == loan.id)
                                          .order_by(FundInstalment.number))).all()
    for instalment in instalments:
        await loan_actions.report_instalment(harness.deps, borrower.row, instalment.id)
        claim_message = await staffed.leader.fake.expect("قسط وام خود را واریز کرده")
        await staffed.leader.fake.tap(claim_message, CONFIRM)
        await staffed.leader.fake.wait_edit(claim_message)
    report = await supporter.fake.expect("گزارش وامی که تأمین کردید")
    assert "۲ از ۲" in report.text and "بسته شد" in report.text and "مریم" not in report.text
    await harness.restart()  # the notices' rows: nothing is sent twice
    await harness.settle()
    assert count(supporter, "از پشتیبانی شما") == 1 and count(supporter, "گزارش وامی") == 1
    assert len(await deliveries(harness, FundPurpose.SUPPORTED)) == 1
    assert [d.status for d in await deliveries(harness, FundPurpose.SUPPORTED_CLOSED)] == ["sent"]
    async with harness.sessions() as session:
        assert (await session.get(FundLoan, loan.id)).supporter_id == supporter.id  # type: ignore[union-attr]
    assert await balance(harness, fund) == await expected_balance(harness.sessions, fund.id)


async def test_a_confirmer_corrects_an_entry_and_the_ledger_stays_whole(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform, "مریم احمدی", "09121234567")
    fund = await _fund(harness, staffed.leader, [member], staffed.center)
    harness.clock.advance(days=2)  # 10 آذر: the due day
    await fund_jobs.contributions(harness.deps)
    reminder = await member.fake.expect(REMINDER)
    await member.fake.tap(reminder, PAID)
    to_assistant = await staffed.assistant.fake.expect("مریم احمدی می‌گوید")
    await staffed.assistant.fake.tap(to_assistant, CONFIRM)
    await member.fake.expect("سپاس")
    assert await balance(harness, fund) == 100_000
    async with harness.sessions() as session:
        paid = (await session.exec(select(FundEntry).where(FundEntry.fund_id == fund.id))).one()

    # A member is not a confirmer: the button is not theirs, and a forged one is refused.
    member_page = await _open_fund_page(member, "شما با یک سهم کامل")
    assert "✏️ اصلاح یک ردیف دفتر" not in [text for text, _ in member_page.buttons]
    query = await member.fake.forge_tap(member_page, "fd:cr")
    assert "تأییدکننده" in (await member.fake.callback_answer(query) or "")

    page = await _open_fund_page(staffed.leader, "موجودی ثبت‌شده: ۱۰۰٬۰۰۰ تومان")
    await staffed.leader.fake.tap(page, "✏️ اصلاح یک ردیف دفتر")
    pick = await staffed.leader.fake.expect("کدام ردیف دفتر")
    [entry_button] = [text for text, _ in pick.buttons if "مریم" in text]
    assert len(entry_button) <= 32 and [text for text, _ in pick.buttons][-2:] == ["🔙 مرحله‌ی قبل", "❌ انصراف"]
    await staffed.leader.fake.tap(pick, entry_button)
    await staffed.leader.fake.wait_edit(pick)  # its buttons taken off
    amount = await staffed.leader.fake.expect("مبلغ درست چقدر بود")
    await staffed.leader.fake.tap(amount, "🔙 مرحله‌ی قبل")  # back to the entries, then the same one again
    await staffed.leader.fake.wait_edit(amount)
    pick = await staffed.leader.fake.expect("کدام ردیف دفتر")
    await staffed.leader.fake.tap(pick, entry_button)
    await staffed.leader.fake.expect("مبلغ درست چقدر بود")
    await staffed.leader.fake.send("۱۰۰ هزار تومان")
    await staffed.leader.fake.expect("همان مبلغی است")  # the same as recorded: asked again
    await staffed.leader.fake.send("۸۰ هزار تومان")
    reason = await staffed.leader.fake.expect("دلیل اصلاح")
    await staffed.leader.fake.tap(reason, "🔙 مرحله‌ی قبل")
    await staffed.leader.fake.expect("مبلغ درست چقدر بود")
    await staffed.leader.fake.send("۸۰ هزار")
    await staffed.leader.fake.expect("دلیل اصلاح")
    await staffed.leader.fake.send("رسید بانک ۸۰ هزار تومان بود")
    preview = await staffed.leader.fake.expect("پیش‌نمایش اصلاحیه")
    assert "۸۰٬۰۰۰ تومان" in preview.text
    await staffed.leader.fake.tap(preview, "✅ ثبت اصلاحیه")
    await staffed.leader.fake.expect("اصلاحیه ثبت شد")
    told = await staffed.assistant.fake.expect("را اصلاح کرد")
    assert "رسید بانک" in told.text and "۸۰٬۰۰۰ تومان" in told.text
    await member.fake.expect("را اصلاح کرد")

    async with harness.sessions() as session:
        entries = (await session.exec(select(FundEntry).where(FundEntry.fund_id == fund.id)
                                      .order_by(FundEntry.id))).all()
    assert [(e.kind, e.amount, e.corrects_id) for e in entries] == [
        ("contribution", 100_000, None), ("correction", -20_000, paid.id)]
    assert entries[0].at == paid.at and entries[0].confirmed_by == paid.confirmed_by  # untouched
    assert await balance(harness, fund) == 80_000 == await expected_balance(harness.sessions, fund.id)

    # Another center's confirmer, in their own correction steps, taps this fund's entry: refused.
    other = await center(harness, platform, name="کانون نور")
    await _fund(harness, other.leader, [], other.center)
    await other.leader.fake.send("/mycenter")
    card = await other.leader.fake.expect("کانون نور")
    await other.leader.fake.forge_tap(card, "fd:cr")  # their own page's button
    empty = await other.leader.fake.expect("هنوز ردیفی ندارد")
    query = await other.leader.fake.forge_tap(empty, f"fd:cre:{paid.id}")
    assert "تأییدکننده" in (await other.leader.fake.callback_answer(query) or "")
    await other.leader.fake.tap(empty, "❌ انصراف")
    await other.leader.fake.expect("لغو شد")
    assert await balance(harness, fund) == 80_000


async def test_the_receipt_photo_reaches_the_confirmer_on_its_platform(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform, assistant_platform=_other(platform))
    member = await person(harness, platform, "مریم احمدی", "09121234567")
    await _fund(harness, staffed.leader, [member], staffed.center)
    harness.clock.advance(days=2)
    await fund_jobs.contributions(harness.deps)
    await member.fake.tap(await member.fake.expect(REMINDER), PAID)
    await staffed.leader.fake.expect("مریم احمدی می‌گوید")
    sent = await member.fake.send_photo()
    await member.fake.expect("عکس رسید کنار واریز شما ثبت شد")
    receipt = await staffed.leader.fake.expect("رسید واریز مریم احمدی")
    assert receipt.photo is not None and receipt.photo.file_id == sent["photo"][-1]["file_id"]
    elsewhere = await staffed.assistant.fake.expect("عکس رسید را در")
    assert elsewhere.photo is None
    await member.fake.send_photo()  # a second photo: kept out, and nothing sent again
    await member.fake.expect("پیش‌تر رسیده")
    await harness.settle()
    assert count(staffed.leader, "رسید واریز مریم") == 1 and count(staffed.assistant, "عکس رسید را در") == 1
    async with harness.sessions() as session:
        claim = (await session.exec(select(FundClaim).where(FundClaim.payer_id == member.id))).one()
    assert claim.receipt_file_id == sent["photo"][-1]["file_id"]
    # The staff's pending list: the claim, then its photo (on the payer's platform only).
    page = await _open_fund_page(staffed.leader, "موجودی ثبت‌شده")
    await staffed.leader.fake.tap(page, "📥 واریزهای منتظر تأیید")
    await staffed.leader.fake.expect("مریم احمدی می‌گوید")
    again = await staffed.leader.fake.next_message()
    assert again.photo is not None and again.photo.file_id == claim.receipt_file_id
    page = await _open_fund_page(staffed.assistant, "موجودی ثبت‌شده")
    await staffed.assistant.fake.tap(page, "📥 واریزهای منتظر تأیید")
    listed = await staffed.assistant.fake.expect("مریم احمدی می‌گوید")
    assert "عکس رسید فرستاده شده" in listed.text
    await harness.settle()
    assert not [m for m in staffed.assistant.fake.messages if m.photo is not None]


async def test_a_guarantor_beyond_the_first_forty_is_found_by_a_typed_name(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    borrower = await person(harness, platform, "مریم احمدی", "09121234567")
    crowd = [await person(harness, platform, f"عضو شماره {n:02d}", None, first_name="عضو") for n in range(40)]
    last = await person(harness, platform, "رضا کریمی", "09123334444", first_name="رضا")
    fund = await _fund(harness, staffed.leader, [borrower, *crowd, last], staffed.center, guarantor=True)
    page = await _open_fund_page(borrower, "شما با یک سهم کامل")
    await borrower.fake.tap(page, "🤝 درخواست وام")
    await borrower.fake.tap(await borrower.fake.expect("چه نوع وامی"), "درمان (تا ۵٬۰۰۰٬۰۰۰ تومان)")
    await borrower.fake.expect("چه مبلغی")
    await borrower.fake.send("۱ میلیون")
    await borrower.fake.expect("برای چه می‌خواهید")
    await borrower.fake.send("خرید دارو")
    pick = await borrower.fake.expect("بخشی از نامش را بنویسید")
    names = [text for text, _ in pick.buttons]
    assert len(names) == 40 + 2 and "رضا کریمی" not in names  # forty members, then back and cancel
    await borrower.fake.send("كريمي")  # an Arabic keyboard's ي and ك
    found = await borrower.fake.expect("«کریمی»")  # read as Persian letters
    assert [text for text, _ in found.buttons] == ["رضا کریمی", "🔙 مرحله‌ی قبل", "❌ انصراف"]
    await borrower.fake.send("حسینی")
    await borrower.fake.expect("پیدا نشد")
    await borrower.fake.tap(found, "رضا کریمی")
    preview = await borrower.fake.expect("ضامن")
    await borrower.fake.tap(preview, "✅ ارسال درخواست")
    await borrower.fake.expect("اول از رضا کریمی می‌پرسیم")
    await last.fake.expect("شما را ضامن خود معرفی کرده")
    async with harness.sessions() as session:
        loan = (await session.exec(select(FundLoan).where(FundLoan.fund_id == fund.id))).one()
    assert loan.guarantor_id == last.id
