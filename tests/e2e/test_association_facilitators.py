"""Facilitators over HTTP, on both platforms: appointed by a one-time link (reuse and expiry
refused), replaced and removed with everyone told, their centers needing help first, a
message to a center's leader, and the weekly digest sent once, also across a restart."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from bot import callbacks as cb
from bot.actions import facilitation
from bot.db.models import Delivery, FacilitationOrg, Facilitator, FacilitatorInvitation, Membership
from bot.platforms import Platform
from tests.e2e.association_helpers import (  # noqa: F401  (harness: the fixture with admins)
    ASK, admin, appoint, backdate, center_row, harness, world,
)
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import person
from bot.emulator import FakeUser

pytestmark = pytest.mark.e2e

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _link(forward: str, platform: Platform) -> str:
    base = "https://t.me/" if platform is Platform.TELEGRAM else "https://ble.ir/"
    match = re.search(re.escape(base) + r"\S+\?start=(f-[A-Za-z0-9_-]+)", forward)
    assert match, forward
    return match.group(1)


async def _make_link(boss: FakeUser, codes: str, org: str | None, name: str) -> str:
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "🧭 تعیین رهیار")
    await boss.expect("کد کانون‌هایی")
    await boss.send(codes)
    orgs = await boss.expect("از کدام سازمان رهیاری")
    if org is None:
        await boss.tap(orgs, "بدون سازمان")
    elif orgs.has_button(org):
        await boss.tap(orgs, org)
    else:
        await boss.tap(orgs, "➕ سازمان تازه")
        await boss.expect("نام سازمان رهیاری")
        await boss.send(org)
    await boss.wait_edit(orgs)  # its buttons taken off
    await boss.expect("نام رهیار را بنویسید")
    await boss.send(name)
    summary = await boss.expect(f"رهیار: {name}")
    await boss.tap(summary, "✅ ساختن لینک دعوت")
    await boss.wait_edit(summary)
    await boss.expect("لینک دعوت")
    return (await boss.expect("دعوت کرده است")).text


async def test_appointing_by_link_tells_everyone_and_the_link_works_once(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    codes = f"{w.staffed.center.code}، {str(w.other.center.code).translate(PERSIAN)} 1234567 abc"
    forward = await _make_link(boss, codes, "سازمان رهیاری کرمان", "زینب رهیار")
    assert "https://t.me/kanoon_tg_bot?start=f-" in forward and "https://ble.ir/kanoon_bale_bot?start=f-" in forward
    # The person opens it on the other platform.
    other = Platform.BALE if platform is Platform.TELEGRAM else Platform.TELEGRAM
    chosen = await person(harness, other, None, None, first_name="زینب")
    await chosen.fake.send(f"/start {_link(forward, other)}")
    offer = await chosen.fake.expect("دعوت به رهیاری")
    assert "کانون صاحب‌الزمان" in offer.text and "کانون شهدای هوتک" in offer.text and "۲ کانون" in offer.text
    assert "سازمان رهیاری کرمان" in offer.text
    accept_data = offer.buttons[0][1]
    await chosen.fake.tap(offer, "✅ می‌پذیرم")
    welcome = await chosen.fake.expect("شما اکنون رهیار ۲ کانون هستید")
    assert "🧭 رهیاری" in welcome.keyboard_buttons
    await boss.expect("«زینب رهیار» رهیاری ۲ کانون را پذیرفت")
    await harness.deps.background.join(timeout=10)
    for staff in (w.staffed.leader, w.staffed.assistant, w.other.leader, w.other.assistant):
        told = await staff.fake.expect("رهیار کانون")
        assert "«زینب رهیار»" in told.text
    assert (await center_row(harness, w.staffed.center.id)).facilitator_id == chosen.id
    # The member's card shows the facilitator and the button to ask.
    await w.member.fake.send("/mycenter")
    card = await w.member.fake.expect("کانون صاحب‌الزمان")
    assert "🧭 رهیار: زینب رهیار" in card.text and card.has_button(ASK)
    # The same link again, by someone else or by the same person: refused.
    late = await person(harness, platform, None, None, first_name="دیرکرد")
    await late.fake.send(f"/start {_link(forward, platform)}")
    assert "پیش‌تر به کار رفته" in (await late.fake.next_message()).text
    query = await chosen.fake.forge_tap(offer, accept_data)
    assert "پیش‌تر به کار رفته" in (await chosen.fake.callback_answer(query))
    async with harness.sessions() as session:
        [org] = (await session.exec(select(FacilitationOrg))).all()
        [row] = (await session.exec(select(Facilitator))).all()
        assert (row.user_id, row.name, row.org_id, org.name) == (chosen.id, "زینب رهیار", org.id, "سازمان رهیاری کرمان")


async def test_an_expired_link_is_refused_and_a_declined_one_is_reported(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    forward = await _make_link(boss, str(w.staffed.center.code), None, "رهیار یکم")
    harness.clock.advance(days=8)
    chosen = await person(harness, platform, None, None, first_name="یکم")
    await chosen.fake.send(f"/start {_link(forward, platform)}")
    assert "مهلت این لینک دعوت گذشته" in (await chosen.fake.next_message()).text
    forward = await _make_link(boss, str(w.staffed.center.code), None, "رهیار دوم")
    await chosen.fake.send(f"/start {_link(forward, platform)}")
    offer = await chosen.fake.expect("دعوت به رهیاری")
    await chosen.fake.tap(offer, "❌ نمی‌پذیرم")
    await chosen.fake.expect("نپذیرفتید")
    await boss.expect("«رهیار دوم» دعوت رهیاری (۱ کانون) را نپذیرفت")
    assert (await center_row(harness, w.staffed.center.id)).facilitator_id is None


async def test_a_repeated_make_link_gives_the_same_link(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.forge_tap(home, cb.ADMIN_APPOINT_CENTER.build(w.staffed.center.id))
    orgs = await boss.expect("از کدام سازمان رهیاری")
    await boss.tap(orgs, "بدون سازمان")
    await boss.expect("نام رهیار را بنویسید")
    await boss.send("🙂🙂")  # no letters: no name
    await boss.expect("دست‌کم دو حرف")
    await boss.send("رهیار یکتا")
    summary = await boss.expect("رهیار: رهیار یکتا")
    first = await boss.tap(summary, "✅ ساختن لینک دعوت")
    second = await boss.forge_tap(summary, cb.ADMIN_APPOINT_CONFIRM.build())
    await harness.settle()
    await boss.callback_answer(first)
    await boss.callback_answer(second)
    async with harness.sessions() as session:
        assert len((await session.exec(select(FacilitatorInvitation))).all()) == 1


async def test_appointing_for_an_area_replacing_and_removing(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    first = await person(harness, platform, None, None, first_name="نخست")
    await appoint(harness, first, w.other.center, name="رهیار نخست")
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "🧭 تعیین رهیار")
    await boss.expect("کد کانون‌هایی")
    area = await boss.expect("کانون‌های یک منطقه")
    await boss.tap(area, "📍 کانون‌های یک منطقه")
    await boss.expect("نام منطقه را بنویسید")
    await boss.send("هوتک")
    found = await boss.expect("۱ کانون هست")
    assert "کانون شهدای هوتک" in found.text
    await boss.tap(found, "✅ همین کانون‌ها")
    orgs = await boss.expect("از کدام سازمان رهیاری")
    await boss.tap(orgs, "بدون سازمان")
    await boss.expect("نام رهیار را بنویسید")
    await boss.send("رهیار دوم")
    summary = await boss.expect("رهیار: رهیار دوم")
    await boss.tap(summary, "✅ ساختن لینک دعوت")
    forward = (await boss.expect("دعوت کرده است")).text
    second = await person(harness, platform, None, None, first_name="دوم")
    await second.fake.send(f"/start {_link(forward, platform)}")
    await second.fake.tap(await second.fake.expect("دعوت به رهیاری"), "✅ می‌پذیرم")
    await first.fake.expect("رهیار دیگری تعیین کرد")
    await harness.deps.background.join(timeout=10)
    await w.other.leader.fake.expect("«رهیار دوم»")
    # Removal from the center's card: leader, assistant and the facilitator are told.
    await boss.forge_tap(home, cb.ADMIN_CENTER.build(w.other.center.id))
    card = await boss.wait_edit(home)
    assert "رهیار: رهیار دوم" in card.text
    await boss.tap(card, "✖️ برداشتن رهیار")
    confirm = await boss.wait_edit(home)
    await boss.tap(confirm, "✖️ بله، برداشته شود")
    await second.fake.expect("شما را از رهیاری کانون «کانون شهدای هوتک» برداشت")
    await w.other.leader.fake.expect("«رهیار دوم» را از رهیاری")
    await w.other.assistant.fake.expect("«رهیار دوم» را از رهیاری")
    assert (await center_row(harness, w.other.center.id)).facilitator_id is None
    await second.fake.send("/rahyar")
    assert "رهیار هیچ کانونی نیستید" in (await second.fake.next_message()).text


async def test_the_facilitators_list_puts_the_center_needing_help_first(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    guide = await person(harness, platform, None, None, first_name="راهنما")
    await appoint(harness, guide, w.staffed.center, w.other.center, name="رهیار راهنما")
    # A request waiting three days in the second center (alphabetically after the first).
    async with harness.sessions() as session:
        session.add(Membership(center_id=w.other.center.id, user_id=w.stranger.id, status="pending",
                               requested_at=harness.clock() - timedelta(days=3)))
        await session.commit()
    await guide.fake.send("/start")
    assert "🧭 رهیاری" in (await guide.fake.next_message()).keyboard_buttons
    await guide.fake.tap_keyboard("🧭 رهیاری")
    listing = await guide.fake.expect("کانون‌های شما: ۲")
    labels = [text for text, _ in listing.buttons]
    assert labels[0].startswith("⏳") and "کانون شهدای هوتک" in labels[0]
    await guide.fake.tap(listing, labels[0])
    card = await guide.fake.wait_edit(listing)
    assert "درخواست بیش" not in card.text and "قدیمی‌ترین: ۳ روز" in card.text
    assert not re.search(r"09\d{9}", card.text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
    await guide.fake.tap(card, "✉️ پیام به راهبر و همیار")
    await guide.fake.expect("پیام خود را")
    await guide.fake.send("لطفاً درخواست‌های مانده را بررسی کنید.")
    await guide.fake.expect("فرستاده شد")
    for staff in (w.other.leader, w.other.assistant):
        told = await staff.fake.expect("پیام رهیار کانون")
        assert "رهیار راهنما" in told.text and "درخواست‌های مانده" in told.text
    # Someone else's center, by forged data: refused.
    stranger_center = await person(harness, platform, None, None, first_name="دیگر")
    await appoint(harness, stranger_center, name="رهیار دیگر")
    query = await guide.fake.forge_tap(listing, cb.FACILITATOR_CENTER.build(w.staffed.center.id + 100))
    assert await guide.fake.callback_answer(query) == "شما رهیار این کانون نیستید."


async def test_the_weekly_digest_goes_once_even_after_a_restart_across_its_time(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    guide = await person(harness, platform, None, None, first_name="راهنما")
    await appoint(harness, guide, w.staffed.center, name="رهیار راهنما")
    # Friday evening in Tehran: nothing due yet.
    harness.clock.now = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)  # جمعه ۱۳ آذر، ۱۸:۳۰
    await backdate(harness, days=2)  # the member joined within the week
    assert await facilitation.send_digests(harness.deps) == 0
    await harness.stop()
    harness.clock.now = datetime(2026, 12, 5, 6, 0, tzinfo=timezone.utc)  # شنبه ۱۴ آذر، ۹:۳۰
    await harness.start()  # the digest that fell due while the bot was down goes at start
    digest = await guide.fake.expect("گزارش هفته‌ی رهیاری")
    assert "کانون صاحب‌الزمان: عضو تازه ۱" in digest.text
    assert await facilitation.send_digests(harness.deps) == 0
    await harness.restart()
    harness.clock.advance(hours=5)
    assert await facilitation.send_digests(harness.deps) == 0
    await harness.settle()
    assert len([m for m in guide.fake.messages if "گزارش هفته‌ی رهیاری" in m.text]) == 1
    async with harness.sessions() as session:
        rows = (await session.exec(select(Delivery).where(Delivery.purpose == "facilitator_digest"))).all()
        assert [(r.user_id, r.status) for r in rows] == [(guide.id, "sent")]
    # The next Saturday, the next one.
    harness.clock.advance(days=7)
    assert await facilitation.send_digests(harness.deps) == 1
