"""The loan fund through the real bot (issue 16): opening it step by step (back and cancel on
every step), members opting in, the due-day reminder once across a restart, «واریز کردم»,
confirmation by another person only, thanks, the late reminder and the staff's late list,
forged buttons from another center refused, the ledger's balance the sum of its entries."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.db.enums import FundPurpose
from bot.db.models import Fund, FundClaim, FundEntry, FundLoan, FundLoanType
from bot.db.repo import fund as fund_repo
from bot.jobs import fund as fund_jobs
from bot.platforms import Platform
from bot.services import fund_draw
from tests.e2e.association_helpers import appoint
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import Person, Staffed, center, deliveries, person
from tests.factories import add_member

FUND_BUTTON = "💰 صندوق قرض‌الحسنه"
BACK = "🔙 مرحله‌ی قبل"
CANCEL = "❌ انصراف"
PAID = "✅ واریز کردم"
CONFIRM = "✅ تأیید واریز"
REMINDER = "امروز روز سهم ماهانه"
NO_MONEY = "ربات پولی نگه نمی‌دارد"


def _other(platform: Platform) -> Platform:
    return Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM


async def _open_fund_page(who: Person, expect: str):  # noqa: ANN202
    while any(m.message_id not in who.fake._seen for m in who.fake.messages):  # scroll down first:
        await who.fake.next_message()  # the card is the first message after /mycenter
    await who.fake.send("/mycenter")
    card = await who.fake.next_message()
    await who.fake.tap(card, FUND_BUTTON)
    return await who.fake.expect(expect)


async def open_fund(harness: Harness, staffed: Staffed) -> Fund:
    """The leader answers every step; a wrong day, «🔙 مرحله‌ی قبل» and a second loan type on the way."""
    leader = staffed.leader.fake
    page = await _open_fund_page(staffed.leader, "هنوز صندوق قرض‌الحسنه ندارد")
    assert NO_MONEY in page.text
    await leader.tap(page, "➕ راه‌اندازی صندوق")
    question = await leader.expect("سهم ماهانه‌ی هر عضو")
    assert [text for text, _ in question.buttons] == [BACK, CANCEL]
    await leader.send("۱۵۰ هزار تومان")
    day = await leader.expect("چه روزی از ماه")
    await leader.tap(day, BACK)  # back: the amount is asked again
    await leader.expect("سهم ماهانه‌ی هر عضو")
    await leader.send("200 هزار تومن")
    await leader.expect("چه روزی از ماه")
    await leader.send("۳۵")
    await leader.expect("عددی از ۱ تا ۲۹")
    await leader.send("۱۰")
    await leader.expect("نام یک نوع وام")
    await leader.send("ازدواج")
    await leader.expect("بیشترین مبلغ وام «ازدواج»")
    await leader.send("۲۰ میلیون")
    await leader.expect("چند قسط")
    await leader.send("10")
    guarantor = await leader.expect("ضامن لازم دارد")
    await leader.tap(guarantor, "بله")
    more = await leader.expect("نوع دیگری از وام هم دارید")
    await leader.tap(more, "➕ نوع دیگری از وام")
    await leader.send("درمان")
    await leader.send("۵ میلیون")
    await leader.send("۵")
    guarantor = await leader.expect("وام «درمان» ضامن لازم دارد")
    await leader.tap(guarantor, "خیر")
    more = await leader.expect("• درمان")
    assert "ازدواج" in more.text and "نوع دیگری از وام هم دارید" in more.text
    await leader.tap(more, "ادامه ◀️")
    queue = await leader.expect("نوبت وام‌ها")
    await leader.tap(queue, "با قرعه‌کشی")
    confirmers = await leader.expect("چه کسانی واریزها را تأیید کنند")
    await leader.tap(confirmers, "راهبر و همیار")
    preview = await leader.expect("پیش‌نمایش صندوق")
    assert NO_MONEY in preview.text and "۲۰۰٬۰۰۰ تومان" in preview.text
    await leader.tap(preview, "✅ راه‌اندازی صندوق")
    await leader.expect("راه‌اندازی شد")
    async with harness.sessions() as session:
        fund = (await session.exec(select(Fund).where(Fund.center_id == staffed.center.id))).one()
        types = (await session.exec(select(FundLoanType).where(FundLoanType.fund_id == fund.id))).all()
    assert (fund.contribution, fund.due_day, fund.queue_rule) == (200_000, 10, "draw")
    assert [(lt.name, lt.max_amount, lt.instalments, lt.needs_guarantor) for lt in types] == [
        ("ازدواج", 20_000_000, 10, True), ("درمان", 5_000_000, 5, False)]
    return fund


async def join(who: Person, button: str) -> None:
    page = await _open_fund_page(who, "می‌خواهید عضو صندوق شوید")
    await who.fake.tap(page, button)
    await who.fake.expect("عضو صندوق شدید")
    await who.fake.expect("عضو صندوق هستید")  # the page after it: sent before the clock moves on


async def balance(harness: Harness, fund: Fund) -> int:
    async with harness.sessions() as session:
        total = await fund_repo.balance(session, fund.id)
        entries = (await session.exec(select(FundEntry).where(FundEntry.fund_id == fund.id))).all()
    assert total == sum(e.amount for e in entries)
    return total


def count(who: Person, text: str) -> int:
    return sum(text in m.text for m in who.fake.messages)


async def test_a_fund_opened_joined_paid_and_confirmed_by_another_person(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform, assistant_platform=_other(platform))
    member = await person(harness, platform, "مریم احمدی", "09121234567")
    await add_member(harness.sessions, staffed.center, member.row)
    fund = await open_fund(harness, staffed)
    await join(member, "عضویت با نیم سهم")
    await join(staffed.leader, "عضویت با یک سهم کامل")

    harness.clock.advance(days=2)  # 10 آذر, after 09:00 Tehran: the due day
    await fund_jobs.contributions(harness.deps)
    reminder = await member.fake.expect(REMINDER)
    assert "۱۰۰٬۰۰۰ تومان" in reminder.text
    leader_reminder = await staffed.leader.fake.expect(REMINDER)
    await harness.restart()  # the start-up run and a second periodic run send nothing again
    await fund_jobs.contributions(harness.deps)
    await harness.settle()
    assert count(member, REMINDER) == 1 and count(staffed.leader, REMINDER) == 1

    await member.fake.tap(reminder, PAID)
    await member.fake.expect("ثبت شد")
    await member.fake.send_photo()  # the receipt, kept with the pending claim
    await member.fake.expect("عکس رسید کنار واریز شما ثبت شد")
    to_leader = await staffed.leader.fake.expect("مریم احمدی می‌گوید")
    await staffed.assistant.fake.expect("مریم احمدی می‌گوید")
    await staffed.leader.fake.tap(leader_reminder, PAID)  # the leader pays too: only the assistant is asked
    own = await staffed.assistant.fake.expect("حسن جمالی می‌گوید")
    assert count(staffed.leader, "حسن جمالی می‌گوید") == 0

    async with harness.sessions() as session:
        leaders_claim = (await session.exec(select(FundClaim).where(FundClaim.payer_id == staffed.leader.id))).one()
    query = await staffed.leader.fake.forge_tap(to_leader, f"fd:c:y:{leaders_claim.id}")
    assert "واریز خودش" in (await staffed.leader.fake.callback_answer(query) or "")
    assert await balance(harness, fund) == 0

    await staffed.leader.fake.tap(to_leader, CONFIRM)
    await staffed.leader.fake.wait_edit(to_leader)
    thanks = await member.fake.expect("سپاس")
    assert "۱۰۰٬۰۰۰ تومان" in thanks.text
    await staffed.assistant.fake.tap(own, CONFIRM)
    await staffed.leader.fake.expect("سپاس")
    assert await balance(harness, fund) == 300_000

    # Someone else's center: its leader's forged tap on this fund's claim changes nothing.
    other = await center(harness, platform, name="کانون نور")
    await other.leader.fake.send("/mycenter")
    message = await other.leader.fake.expect("کانون نور")
    async with harness.sessions() as session:
        members_claim = (await session.exec(select(FundClaim).where(FundClaim.payer_id == member.id))).one()
    query = await other.leader.fake.forge_tap(message, f"fd:c:n:{members_claim.id}")
    assert "تأییدکننده" in (await other.leader.fake.callback_answer(query) or "")
    query = await other.leader.fake.forge_tap(message, f"fd:p:{members_claim.due_id}")
    assert "مال شما نیست" in (await other.leader.fake.callback_answer(query) or "")
    assert await balance(harness, fund) == 300_000

    statement = await _open_fund_page(member, "شما با نیم سهم عضو صندوق هستید")
    await member.fake.tap(statement, "📄 صورت‌حساب من")
    own_statement = await member.fake.expect("صورت‌حساب شما")
    assert "۱ ماه" in own_statement.text and NO_MONEY in own_statement.text and "حسن" not in own_statement.text

    # Staff: the 12-month report, its chart, the ledger as CSV; the facilitator: figures only.
    page = await _open_fund_page(staffed.assistant, "موجودی ثبت‌شده: ۳۰۰٬۰۰۰ تومان")
    await staffed.assistant.fake.tap(page, "📈 گزارش ۱۲ ماه و نمودار")
    report = await staffed.assistant.fake.expect("۱۲ ماه اخیر")
    assert "آذر ۱۴۰۵: ۳۰۰٬۰۰۰ تومان" in report.text
    chart = await staffed.assistant.fake.next_message()
    assert chart.photo is not None and chart.photo.content is not None and chart.photo.content[:4] == b"\x89PNG"
    await staffed.assistant.fake.tap(page, "📄 دفتر صندوق (CSV)")
    ledger = await staffed.assistant.fake.expect("دفتر صندوق: ۲ ردیف")
    assert ledger.document is not None and "مریم احمدی" in (ledger.document.content or b"").decode("utf-8-sig")
    facilitator = await person(harness, platform, "رهیار رضایی", "09125556666", first_name="رهیار")
    await appoint(harness, facilitator, staffed.center)
    await facilitator.fake.send("/fund")
    seen = await facilitator.fake.expect("فقط ارقام")
    assert "۳۰۰٬۰۰۰ تومان" in seen.text and "مریم" not in seen.text and "حسن" not in seen.text


async def test_a_late_member_is_reminded_once_then_listed_for_staff(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    late = await person(harness, platform, "رضا کریمی", "09123334444", first_name="رضا")
    await add_member(harness.sessions, staffed.center, late.row)
    await open_fund(harness, staffed)
    await join(late, "عضویت با یک سهم کامل")
    harness.clock.advance(days=2)
    await fund_jobs.contributions(harness.deps)
    await late.fake.expect(REMINDER)
    harness.clock.advance(days=2)
    await fund_jobs.contributions(harness.deps)
    await harness.settle()
    assert count(late, "هنوز ثبت نشده") == 0  # two days late: not yet
    harness.clock.advance(days=1, hours=1)
    await harness.restart()  # the late reminder goes at start, once
    await fund_jobs.contributions(harness.deps)
    await late.fake.expect("هنوز ثبت نشده")
    await harness.settle()
    assert count(late, "هنوز ثبت نشده") == 1 and count(late, REMINDER) == 1
    page = await _open_fund_page(staffed.assistant, "عقب‌افتاده: ۱")
    await staffed.assistant.fake.tap(page, "⏰ عقب‌افتاده‌ها")
    listed = await staffed.assistant.fake.expect("سهم‌های عقب‌افتاده")
    assert "رضا کریمی" in listed.text and "۲۰۰٬۰۰۰ تومان" in listed.text
    # A member sees no one's arrears: the button is not theirs, and a forged tap is refused.
    member_page = await _open_fund_page(late, "شما با یک سهم کامل")
    assert "⏰ عقب‌افتاده‌ها" not in [text for text, _ in member_page.buttons]
    query = await late.fake.forge_tap(member_page, "fd:late")
    assert "فقط برای راهبر" in (await late.fake.callback_answer(query) or "")


async def test_a_loan_with_a_guarantor_on_the_other_platform_and_its_overdue_steps_once(
    harness: Harness, platform: Platform,
) -> None:
    staffed = await center(harness, platform)
    borrower = await person(harness, platform, "مریم احمدی", "09121234567")
    guarantor = await person(harness, _other(platform), "رضا کریمی", "09123334444", first_name="رضا")
    for who in (borrower, guarantor):
        await add_member(harness.sessions, staffed.center, who.row)
    fund = await open_fund(harness, staffed)
    await join(borrower, "عضویت با یک سهم کامل")
    await join(guarantor, "عضویت با یک سهم کامل")

    # The request: type, amount, reason, guarantor; «🔙 مرحله‌ی قبل» once on the way.
    page = await _open_fund_page(borrower, "شما با یک سهم کامل")
    await borrower.fake.tap(page, "🤝 درخواست وام")
    kinds = await borrower.fake.expect("چه نوع وامی")
    await borrower.fake.tap(kinds, "ازدواج (تا ۲۰٬۰۰۰٬۰۰۰ تومان)")
    await borrower.fake.expect("چه مبلغی")
    await borrower.fake.send("۲۵ میلیون")
    await borrower.fake.expect("بیشتر است")
    await borrower.fake.send("۳ میلیون")
    reason = await borrower.fake.expect("برای چه می‌خواهید")
    await borrower.fake.tap(reason, BACK)
    await borrower.fake.expect("چه مبلغی")
    await borrower.fake.send("۲ میلیون")
    await borrower.fake.expect("برای چه می‌خواهید")
    await borrower.fake.send("هزینه‌ی عروسی دخترم")
    pick = await borrower.fake.expect("ضامن لازم دارد")
    assert "مریم احمدی" not in [text for text, _ in pick.buttons]  # nobody guarantees their own loan
    await borrower.fake.tap(pick, "رضا کریمی")
    preview = await borrower.fake.expect("درخواست وام ازدواج")
    await borrower.fake.tap(preview, "✅ ارسال درخواست")
    await borrower.fake.expect("اول از رضا کریمی می‌پرسیم")

    question = await guarantor.fake.expect("شما را ضامن خود معرفی کرده")
    await guarantor.fake.tap(question, "✅ ضامن می‌شوم")
    await guarantor.fake.expect("ضمانت شما ثبت شد")
    to_leader = await staffed.leader.fake.expect("درخواست وام: مریم احمدی")
    to_assistant = await staffed.assistant.fake.expect("درخواست وام: مریم احمدی")
    await staffed.leader.fake.tap(to_leader, "✅ تأیید وام")
    await staffed.leader.fake.expect("یک نفر دیگر هم باید تأیید کند")
    await staffed.assistant.fake.tap(to_assistant, "✅ تأیید وام")
    await borrower.fake.expect("در نوبت پرداخت است")

    page = await _open_fund_page(staffed.leader, "موجودی ثبت‌شده")
    await staffed.leader.fake.tap(page, "📋 نوبت وام‌ها")
    queue = await staffed.leader.fake.expect("نوبت وام‌ها:")
    # The draw: the seed's hash is published to every fund member first, then the seed and the order.
    await staffed.leader.fake.tap(queue, "🎲 اعلام قرعه‌کشی")
    announced = await guarantor.fake.expect("قرعه‌کشی اعلام شد")
    published_hash = re.search(r"[0-9a-f]{64}", announced.text).group(0)  # type: ignore[union-attr]
    queue = await staffed.leader.fake.expect("قرعه‌کشی اعلام شد")
    await staffed.leader.fake.tap(queue, "🎲 انجام قرعه‌کشی")
    made = await borrower.fake.expect("نتیجه‌ی قرعه‌کشی")
    seed = re.search(r"رمز قرعه: ([0-9a-f]{64})", made.text).group(1)  # type: ignore[union-attr]
    async with harness.sessions() as session:
        loan = (await session.exec(select(FundLoan))).one()
    assert fund_draw.verify(seed, published_hash, [loan.id], [loan.id])
    for purpose in (FundPurpose.DRAW_ANNOUNCED, FundPurpose.DRAW_MADE):  # rows first: one per fund member
        assert sorted(d.user_id for d in await deliveries(harness, purpose)) == sorted([borrower.id, guarantor.id])
    await staffed.leader.fake.tap(page, "📋 نوبت وام‌ها")
    queue = await staffed.leader.fake.expect("(درخواست")
    await staffed.leader.fake.tap(queue, "💸 پرداخت شد به مریم احمدی")
    await staffed.leader.fake.expect("تأییدکننده‌ی دیگر")
    payout = await staffed.assistant.fake.expect("به او پرداخت شد")
    await staffed.assistant.fake.tap(payout, CONFIRM)
    await borrower.fake.expect("پرداخت وام شما")
    assert await balance(harness, fund) == -2_000_000  # nothing paid in yet: the ledger says so

    # First instalment: 8 دی. Two days before, on the day, then overdue steps, across restarts.
    async def run_and_count() -> tuple[int, int, int, int, int]:
        await fund_jobs.instalments(harness.deps)
        await harness.settle()
        return (count(borrower, "دو روز دیگر"), count(borrower, "امروز روز قسط"), count(borrower, "قسط ۱ وام شما"),
                count(guarantor, "ده روز است"), count(staffed.assistant, "پانزده روز است"))

    harness.clock.advance(days=28)  # 6 دی, after 09:00
    assert await run_and_count() == (1, 0, 0, 0, 0)
    await harness.restart()
    assert await run_and_count() == (1, 0, 0, 0, 0)
    harness.clock.advance(days=2)
    assert await run_and_count() == (1, 1, 0, 0, 0)
    harness.clock.advance(days=3)
    await harness.restart()  # the day-3 step falls due while the bot is down: sent at start, once
    assert await run_and_count() == (1, 1, 1, 0, 0)
    harness.clock.advance(days=7)
    assert await run_and_count() == (1, 1, 1, 1, 0)
    told = await guarantor.fake.expect("ده روز است")
    assert "مریم احمدی" in told.text
    harness.clock.advance(days=5)
    await harness.restart()
    counts = await run_and_count()
    assert counts == (1, 1, 1, 1, 1)
    assert count(staffed.leader, "پانزده روز است") == 1
    assert await run_and_count() == (1, 1, 1, 1, 1)

    # In arrears: a new request is refused before its first question.
    page = await _open_fund_page(borrower, "شما با یک سهم کامل")
    query = await borrower.fake.tap(page, "🤝 درخواست وام")
    assert "عقب‌افتاده" in (await borrower.fake.callback_answer(query) or "")
