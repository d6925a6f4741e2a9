"""Charitable campaigns end to end, on both platforms. The first test walks the issue's test
paragraph (issue 13) as one scenario: a help campaign with money, goods and work needs; three
members and a supporter on the other platform pledge, one changes, one withdraws, two deliver,
the assistant confirms one and the leader the other; a pledger cannot confirm their own; the
progress text and the report agree with the rows; the deadline's reminder reaches exactly the
undelivered promisers once across a restart; a member never sees an anonymous pledger's name;
forged pledge and confirm buttons from another center are refused. Attendance of a gathering
and the supporter's invitation have their own tests below (and tests/e2e/test_supporters.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.actions import charity as charity_actions
from bot.db.charity_models import HelpNeed, Pledge
from bot.db.enums import CharityPurpose
from bot.emulator import FakeUser
from bot.emulator.server import BotMessage
from bot.platforms import Platform
from bot.sending import broadcast
from tests.e2e.campaign_helpers import center_with_members, deliveries, fresh, invite_supporter, person, sent_out
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Report edits after answers at once, instead of gathering them for a few seconds."""
    monkeypatch.setattr(broadcast, "ANSWER_REPORT_DELAY", 0.0)

CALL = "برای هر نیازی که می‌توانید"
MONEY, RICE, WORK = "🤝 کمک می‌کنم: کمک نقدی", "🤝 کمک می‌کنم: برنج (کیسه)", "🤝 کمک می‌کنم: روز کار"


async def create_help_campaign(leader: FakeUser) -> BotMessage:
    """Plays the creation of a help campaign with three needs; returns the leader's report buttons."""
    await leader.send("/campaign")
    await leader.tap(await fresh(leader, "نوع پویش"), "🤝 نیکوکارانه")
    await leader.expect("عنوان پویش")
    await leader.send("کمک به سیل‌زدگان")
    await leader.expect("توضیح پویش")
    await leader.send("خانه‌های پایین روستا را آب برده است.")
    await leader.expect("تا چه روزی")
    await leader.send("۱۴۰۵/۹/۲۰ ۱۸:۰۰")
    await leader.tap(await fresh(leader, "چه چیزی لازم است"), "💰 پول")
    await leader.expect("چقدر لازم است")
    await leader.send("خیلی زیاد")  # not a number we can read: asked again, nothing lost
    assert "متوجه نشدم" in (await leader.next_message()).text
    await leader.send("۵ میلیون تومان")
    await leader.expect("اضافه شد: کمک نقدی — ۵٬۰۰۰٬۰۰۰ تومان")
    await leader.tap(await fresh(leader, "نیازهای تا اینجا: ۱"), "📦 کالا")
    await leader.expect("نام کالا")
    await leader.tap_keyboard("🔙 مرحله‌ی قبل")  # back to the kind of need, then goods again
    await leader.tap(await fresh(leader, "نیازهای تا اینجا: ۱"), "📦 کالا")
    await leader.expect("نام کالا")
    await leader.send("برنج")
    await leader.expect("واحد آن")
    await leader.send("کیسه")
    await leader.expect("چند کیسه لازم است")
    await leader.send("۲۰ کیسه")
    await leader.tap(await fresh(leader, "نیازهای تا اینجا: ۲"), "🛠 روز کار")
    await leader.expect("چند روز کار لازم است")
    await leader.tap_keyboard("بدون مقدار")
    await leader.tap(await fresh(leader, "نیازهای تا اینجا: ۳"), "ادامه ◀️")
    preview = await leader.expect(CALL)
    assert "هدف: ۲۰ کیسه" in preview.text and "ربات پولی نگه نمی‌دارد" in preview.text
    assert [text for text, _ in preview.buttons] == [MONEY, RICE, WORK]
    control = await fresh(leader, "پیام بالا همان است")
    await leader.tap(control, "📤 ارسال")
    return await leader.expect("ارسال پویش نیکوکارانه آغاز شد")


async def pledge(user: FakeUser, call: BotMessage, need: str, typed: str, read_back: str, *,
                 note: str | None = None, anonymous: bool = False, changing: bool = False) -> BotMessage:
    await user.tap(call, need)
    await user.expect("پیش‌تر قول داده‌اید" if changing else "کمک می‌کنید" if "نقدی" in need else "می‌دهید")
    await user.send(typed)
    check = await fresh(user, "درست است؟")
    assert f"{read_back}؛ درست است؟" in check.text
    await user.tap(check, "✅ درست است")
    await user.expect("یادداشتی")
    if note is None:
        await user.tap_keyboard("بدون یادداشت")
    else:
        await user.send(note)
    await user.tap(await fresh(user, "نام شما کنار قولتان"), "🙈 بی‌نام" if anonymous else "👤 با نام من")
    await user.expect("قول شما تغییر کرد" if changing else "قول شما ثبت شد")
    return await fresh(user, "قول‌های شما")


async def rows(harness: Harness, model):  # noqa: ANN001, ANN201
    async with harness.sessions() as session:
        return list((await session.exec(select(model).order_by(model.id))).all())


async def agree_with_rows(harness: Harness, text: str) -> None:
    """Each need's promised and delivered totals in a progress text are the sums of the rows."""
    from bot.views import charity as views

    live = [p for p in await rows(harness, Pledge) if p.status != "withdrawn"]
    for need in await rows(harness, HelpNeed):
        mine = [p for p in live if p.need_id == need.id]
        promised = views.amount(need, sum(p.amount for p in mine))
        delivered = views.amount(need, sum(p.amount for p in mine if p.status == "delivered"))
        block = text.split(str(views.need_label(need)), 1)[1].split("\n\n", 1)[0]  # up to the next need
        assert f"قول: {promised}" in block and f"رسیده: {delivered}" in block, (need.sort, promised, delivered)


async def test_a_help_campaign_from_pledges_to_receipts_progress_and_deadline(harness: Harness, platform: Platform) -> None:
    other = Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM
    people = await center_with_members(harness, platform, telegram=2 if platform is Platform.TELEGRAM else 1,
                                       bale=1 if platform is Platform.TELEGRAM else 2)
    leader, assistant = people.leader, people.assistant
    givers = sorted(people.members, key=lambda m: m.api.flavour != platform.value)  # two here, one on the other platform
    first, second, third = givers
    assert third.api.flavour == other.value
    supporter, supporter_row = await person(harness, other, "بهروز")  # outside the center, on the other platform
    await invite_supporter(leader, supporter)
    started = await create_help_campaign(leader)
    await sent_out(harness)
    everyone = (*givers, assistant, supporter)
    calls = {user.user_id: await user.expect(CALL) for user in everyone}
    assert {len([m for m in u.messages if CALL in m.text]) for u in everyone} == {1}

    # Pledges: typed as people write them, read back; one changes, one withdraws.
    await pledge(first, calls[first.user_id], MONEY, "۲ میلیون تومان", "۲٬۰۰۰٬۰۰۰ تومان")
    mine_first = await pledge(first, calls[first.user_id], MONEY, "یک و نیم میلیون", "۱٬۵۰۰٬۰۰۰ تومان",
                              note="فردا می‌آورم", changing=True)
    mine_second = await pledge(second, calls[second.user_id], RICE, "۳ کیسه", "۳ کیسه", anonymous=True)
    work = await pledge(third, calls[third.user_id], WORK, "دو روز", "۲ روز کار")
    await pledge(third, calls[third.user_id], MONEY, "۵۰۰ هزار", "۵۰۰٬۰۰۰ تومان")
    await third.tap(work, "↩️ پس گرفتن قول")
    await third.expect("پس گرفته شد")
    mine_assistant = await pledge(assistant, calls[assistant.user_id], MONEY, "1000000", "۱٬۰۰۰٬۰۰۰ تومان")
    await pledge(supporter, calls[supporter.user_id], WORK, "سه روز", "۳ روز کار", anonymous=True)
    pledges = await rows(harness, Pledge)
    assert [(p.amount, p.status, p.anonymous) for p in pledges] == [
        (1_500_000, "promised", False), (6, "promised", True), (4, "withdrawn", False),
        (500_000, "promised", False), (1_000_000, "promised", False), (6, "promised", True)]
    assert pledges[5].user_id == supporter_row.id
    assert pledges[0].note == "فردا می‌آورم"

    # Two deliver: the assistant confirms the first, the leader the second.
    await first.tap(mine_first, "📦 تحویل دادم")
    await first.expect("به راهبر و همیار گفته شد")
    to_confirm = await fresh(assistant, "می‌گوید «۱٬۵۰۰٬۰۰۰ تومان»")
    assert "عضو" in to_confirm.text
    await assistant.tap(to_confirm, "✅ رسید، تأیید می‌کنم")
    await assistant.expect("ثبت شد: «۱٬۵۰۰٬۰۰۰ تومان»")
    await first.expect("🌷 سپاس! رسیدن «۱٬۵۰۰٬۰۰۰ تومان»")
    await second.tap(mine_second, "📦 تحویل دادم")
    leader_notice = await fresh(leader, "می‌گوید «۳ کیسه»")
    await leader.tap(leader_notice, "✅ رسید، تأیید می‌کنم")
    await leader.expect("ثبت شد: «۳ کیسه»")
    await second.expect("🌷 سپاس! رسیدن «۳ کیسه»")

    # The assistant cannot confirm their own pledge, even with a forged button.
    await assistant.tap(mine_assistant, "📦 تحویل دادم")
    query = await assistant.forge_tap(mine_assistant, f"hp:c:{pledges[4].id}")
    assert "خودتان را نمی‌توانید تأیید کنید" in await assistant.callback_answer(query)
    leader_notice = await fresh(leader, "می‌گوید «۱٬۰۰۰٬۰۰۰ تومان»")  # the leader is asked instead
    assert "همیار" in leader_notice.text
    statuses = [p.status for p in await rows(harness, Pledge)]
    assert statuses == ["delivered", "delivered", "withdrawn", "promised", "reported", "promised"]

    # Forged buttons from another center are refused.
    stranger_center = await center_with_members(harness, other, telegram=1, bale=1)
    stranger, stranger_leader = stranger_center.members[0], stranger_center.leader
    await stranger.send("/start")
    welcome = await stranger.next_message()
    needs = await rows(harness, HelpNeed)
    query = await stranger.forge_tap(welcome, f"hp:p:{needs[0].id}")
    assert "برای شما فرستاده نشده" in await stranger.callback_answer(query)
    await stranger_leader.send("/start")
    welcome = await stranger_leader.next_message()
    query = await stranger_leader.forge_tap(welcome, f"hp:c:{pledges[3].id}")
    assert "فقط راهبر و همیار" in await stranger_leader.callback_answer(query)
    query = await stranger_leader.forge_tap(welcome, "hp:c:²")
    assert await stranger_leader.callback_answer(query) == "این دکمه دیگر معتبر نیست."
    assert [p.status for p in await rows(harness, Pledge)][3] == "promised"

    # Progress: members see totals and the names of those not anonymous; the leader sees all.
    await third.tap(calls[third.user_id], "📊 وضعیت پویش")
    status = await third.expect("📊 وضعیت پویش")
    money_promised = 1_500_000 + 500_000 + 1_000_000
    assert "قول: ۳٬۰۰۰٬۰۰۰ تومان" in status.text and money_promised == 3_000_000
    assert "▓▓▓▓▓▓░░░░ ۶۰٪" in status.text  # promised: 3 of 5 million
    assert "رسیده: ۱٬۵۰۰٬۰۰۰ تومان" in status.text and "▓▓▓░░░░░░░ ۳۰٪" in status.text
    assert "قول: ۳ کیسه" in status.text and "▓░░░░░░░░░ ۱۵٪" in status.text  # 3 of 20 sacks
    names = {user.user_id: people.rows[user.user_id].first_name for user in givers}
    names[supporter.user_id] = supporter_row.first_name
    assert names[first.user_id] in status.text and names[second.user_id] not in status.text
    assert names[supporter.user_id] not in status.text and "قول: ۳ روز کار" in status.text
    assert "۶ کیسه" not in status.text
    await agree_with_rows(harness, status.text)
    await leader.tap(started, "🔄 تازه کن")
    report = await leader.expect("📊 وضعیت پویش")
    assert f"{names[second.user_id]} (بی‌نام): ۳ کیسه — رسیده" in report.text
    assert f"{names[supporter.user_id]} (بی‌نام): ۳ روز کار — قول" in report.text
    assert "قول: ۳٬۰۰۰٬۰۰۰ تومان" in report.text and "رسیده: ۱٬۵۰۰٬۰۰۰ تومان" in report.text
    await agree_with_rows(harness, report.text)
    # The leader's export has every name and amount; a member's forged tap is refused.
    await leader.tap(report, "📄 فایل CSV")
    exported = await leader.expect("قول‌های پویش «کمک به سیل‌زدگان»")
    assert exported.document is not None and exported.document.filename.endswith(".csv")
    table = exported.document.content.decode("utf-8-sig")
    assert f"{names[second.user_id]},برنج (کیسه),۳ کیسه,رسیده,بله" in table
    assert table.count("\r\n") == 1 + 5  # the header and the five live pledges
    await leader.tap(report, "📊 فایل اکسل")
    assert (await leader.expect("قول‌های پویش «کمک به سیل‌زدگان»")).document.filename.endswith(".xlsx")
    query = await third.forge_tap(status, f"hp:x:{pledges[0].campaign_id}:csv")
    assert "فقط راهبر و همیار" in await third.callback_answer(query)

    await leader.tap(report, "📣 فرستادن وضعیت به همه")
    await leader.expect("وضعیت پویش برای ۵ نفر فرستاده می‌شود")
    await sent_out(harness)
    for user in everyone:
        update = await user.expect("خبر تازه از پویش")
        assert names[second.user_id] not in update.text and names[supporter.user_id] not in update.text

    # The deadline: one reminder to the undelivered promisers, once, also across a restart.
    async with harness.sessions() as session:
        details = await session.get(charity_actions.service.HelpCampaign, pledges[0].campaign_id)
    harness.clock.now = details.deadline - charity_actions.service.REMINDER_BEFORE / 8
    await charity_actions.deadlines(harness.deps)
    await sent_out(harness)
    await harness.restart()
    await charity_actions.deadlines(harness.deps)
    await sent_out(harness)
    reminded = await deliveries(harness, CharityPurpose.HELP_REMINDER)
    undelivered = {p.user_id for p in await rows(harness, Pledge) if p.status in ("promised", "reported")}
    assert undelivered == {people.rows[third.user_id].id, people.rows[assistant.user_id].id, supporter_row.id}
    assert sorted(d.user_id for d in reminded) == sorted(undelivered)
    assert {d.status for d in reminded} == {"sent"}
    for user, count in ((third, 1), (assistant, 1), (supporter, 1), (first, 0), (second, 0)):
        assert len([m for m in user.messages if "یادآوری: مهلت پویش" in m.text]) == count

    # At the deadline: closed for pledges, the final report to the leader, thanks to the rest.
    harness.clock.now = details.deadline
    await charity_actions.deadlines(harness.deps)
    await sent_out(harness)
    final = await leader.expect("گزارش پایانی پویش")
    assert names[second.user_id] in final.text
    chart = await leader.expect("نمودار پیشرفت پویش")
    assert chart.photo
    await charity_actions.deadlines(harness.deps)  # the next sweep: nothing new
    await sent_out(harness)
    assert len([m for m in leader.messages if "نمودار پیشرفت" in m.text]) == 1
    thanks = await first.expect("به پایان رسید")
    assert "قول: ۳٬۰۰۰٬۰۰۰ تومان" in thanks.text
    assert "قول: ۳٬۰۰۰٬۰۰۰ تومان" in (await supporter.expect("به پایان رسید")).text  # supporters get the totals too
    query = await first.tap(calls[first.user_id], RICE)
    assert "مهلت این پویش تمام شده" in await first.callback_answer(query)


async def test_attendance_of_a_gathering_after_its_start(harness: Harness, platform: Platform) -> None:
    from bot.services.campaigns import as_utc
    from tests.e2e.campaign_helpers import CALL_QUESTION, NO, YES, campaign_rows, create_campaign

    people = await center_with_members(harness, platform, telegram=2, bale=1)
    leader = people.leader
    report = await create_campaign(leader, reminders_off=("یک روز قبل", "دو ساعت قبل", "هنگام شروع"))
    await sent_out(harness)
    first, second, third = people.members
    for member, choice in ((first, YES), (second, YES), (third, NO)):
        await member.tap(await member.expect(CALL_QUESTION), choice)
    await harness.settle()
    names = {m.user_id: people.rows[m.user_id].first_name for m in people.members}

    # Before the start there is nothing to mark.
    campaign = (await campaign_rows(harness))[0]
    query = await leader.forge_tap(report, f"hp:ao:{campaign.id}")
    assert "پس از آغاز پویش" in await leader.callback_answer(query)

    harness.clock.now = as_utc(campaign.starts_at) + timedelta(minutes=30)
    await leader.tap(report, "🔄 به‌روزرسانی")
    report = await leader.expect("🙋 آمدند: ۰ از ۲ نفر")
    await leader.tap(report, "🙋 حضور و غیاب")
    listing = await leader.expect("🙋 حضور در")
    assert "آمدند: ۰ از ۲ نفر" in listing.text
    assert [text for text, _ in listing.buttons] == [f"⬜ {names[first.user_id]}", f"⬜ {names[second.user_id]}"]
    await leader.tap(listing, f"⬜ {names[first.user_id]}")
    listing = await leader.wait_edit(listing)
    await leader.tap(listing, f"⬜ {names[second.user_id]}")
    listing = await leader.wait_edit(listing)
    await leader.tap(listing, f"✅ {names[second.user_id]}")  # a wrong tap, taken back
    listing = await leader.wait_edit(listing)
    assert "آمدند: ۱ از ۲ نفر" in listing.text
    assert [text for text, _ in listing.buttons] == [f"✅ {names[first.user_id]}", f"⬜ {names[second.user_id]}"]
    await leader.tap(report, "🔄 به‌روزرسانی")
    report = await leader.expect("🙋 آمدند: ۱ از ۲ نفر که گفتند «شرکت می‌کنم»")

    # A member cannot mark, nor can a person who said «نمی‌توانم» be marked.
    query = await first.forge_tap(first.messages[0], f"hp:at:{campaign.id}:{people.rows[first.user_id].id}")
    assert "فقط راهبر" in await first.callback_answer(query)
    query = await leader.forge_tap(listing, f"hp:at:{campaign.id}:{people.rows[third.user_id].id}")
    assert "پیدا نشد" in await leader.callback_answer(query)


async def test_a_supporter_on_the_other_platform_joins_by_link_and_gets_help_campaigns_only(
    harness: Harness, platform: Platform,
) -> None:
    import re

    from tests.e2e.campaign_helpers import CALL_QUESTION, create_campaign, person

    other = Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM
    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    await leader.send("/mycenter")
    card = await leader.expect("حامیان: ۰ نفر")
    await leader.tap(card, "🤝 دعوت حامی")
    invitation = await leader.expect("دعوت حامی برای")
    payloads = re.findall(r"start=(s-[A-Za-z0-9_-]+)", invitation.text)
    assert len(payloads) == 2 and len(set(payloads)) == 1  # one link per platform, one invitation

    supporter, supporter_row = await person(harness, other, "حامی")
    await supporter.send(f"/start {payloads[0]}")
    await supporter.tap(await supporter.expect("دعوت شده‌اید حامی"), "✅ می‌پذیرم")
    await supporter.expect("شما حامی «کانون صاحب‌الزمان» شدید")
    latecomer, _ = await person(harness, platform, "دیرآمده")
    await latecomer.send(f"/start {payloads[0]}")  # one time only
    assert "پیش‌تر به کار رفته" in (await latecomer.next_message()).text
    member = people.members[0]
    await leader.tap(card, "🤝 دعوت حامی")
    second_link = re.findall(r"start=(s-[A-Za-z0-9_-]+)", (await leader.expect("دعوت حامی برای")).text)[0]
    await member.send(f"/start {second_link}")
    query = await member.tap(await member.expect("دعوت شده‌اید حامی"), "✅ می‌پذیرم")
    assert "عضو همین کانون" in await member.callback_answer(query)  # a member is not also a supporter
    await leader.send("/mycenter")
    assert "حامیان: ۱ نفر" in (await leader.expect("حامیان:")).text

    # A gathering does not reach the supporter; a help campaign does, and they pledge.
    await create_campaign(leader, reminders_off=("یک روز قبل", "دو ساعت قبل", "هنگام شروع"))
    await sent_out(harness)
    assert not [m for m in supporter.messages if CALL_QUESTION in m.text]
    await create_help_campaign(leader)
    await sent_out(harness)
    call = await supporter.expect(CALL)
    await pledge(supporter, call, MONEY, "۲۰۰ هزار تومن", "۲۰۰٬۰۰۰ تومان", anonymous=True)
    async with harness.sessions() as session:
        rows_ = (await session.exec(select(Pledge))).all()
    assert [(p.user_id, p.amount, p.anonymous) for p in rows_] == [(supporter_row.id, 200_000, True)]
    await member.tap(await member.expect(CALL), "📊 وضعیت پویش")
    status = await member.expect("📊 وضعیت پویش «")
    assert "قول: ۲۰۰٬۰۰۰ تومان" in status.text and "حامی" not in status.text.split("کسانی")[1]


async def test_cancel_and_back_in_a_help_draft_lose_nothing_sent(harness: Harness, platform: Platform) -> None:
    from tests.e2e.campaign_helpers import campaign_rows

    people = await center_with_members(harness, platform, telegram=1, bale=1)
    leader = people.leader
    await leader.send("/campaign")
    await leader.tap(await fresh(leader, "نوع پویش"), "🤝 نیکوکارانه")
    await leader.expect("عنوان پویش")
    await leader.tap_keyboard("🔙 مرحله‌ی قبل")  # back to the kind question
    await leader.tap(await fresh(leader, "نوع پویش"), "🤝 نیکوکارانه")
    await leader.expect("عنوان پویش")
    await leader.send("کمک به خانواده‌ی نیازمند")
    await leader.expect("توضیح پویش")
    await leader.tap_keyboard("🔙 مرحله‌ی قبل")
    await leader.expect("عنوان پویش")
    await leader.send("کمک به خانواده‌ی نیازمند")
    await leader.expect("توضیح پویش")
    await leader.send("تعمیر سقف خانه.")
    await leader.expect("تا چه روزی")
    await leader.tap_keyboard("بدون مهلت")
    need = await fresh(leader, "نیازهای تا اینجا: ۰")
    assert "ادامه ◀️" not in [text for text, _ in need.buttons]  # no needs yet: nothing to send
    await leader.tap(need, "❌ انصراف")
    await leader.expect("لغو شد")
    assert await campaign_rows(harness) == []
    for member in people.members:
        assert not [m for m in member.messages if CALL in m.text]
