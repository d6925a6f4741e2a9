"""The association's admins over HTTP, on both platforms: figures and chart, search and the
full card, suspension, the export, announcements to leaders; and everybody else refused."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import select

from bot import callbacks as cb
from bot.db.models import Campaign, Delivery, FacilitatorInvitation, LeaderAnnouncement
from bot.platforms import Platform
from tests.e2e.association_helpers import (  # noqa: F401  (harness: the fixture with admins)
    ADMIN_ONLY, appoint, admin, audit_of, center_row, harness, memberships, world,
)
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import person
from tests.factories import add_member, make_active_center
from tests.workbooks import read_back

pytestmark = pytest.mark.e2e

CHART = "📈 نمودار هفتگی"


async def test_the_admin_sees_the_figures_and_a_chart_with_the_same_numbers(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    await boss.send("/start")
    welcome = await boss.next_message()
    assert "🏛 انجمن" in welcome.keyboard_buttons
    await boss.tap_keyboard("🏛 انجمن")
    figures = await boss.expect("نگاه کلی")
    assert "کانون‌ها: ۲" in figures.text and "فعال ۲" in figures.text
    assert "اعضا: ۱" in figures.text  # the member; leaders and assistants are not members
    assert "بله ۰، تلگرام ۱" in figures.text if platform is Platform.TELEGRAM else "بله ۱، تلگرام ۰" in figures.text
    assert "درخواست عضویتی در انتظار نیست" in figures.text and "بدون همیار: ۰" in figures.text
    assert "مسجد ۱" in figures.text or "هم‌مسجدی ۱" in figures.text
    await boss.tap(figures, CHART)
    picture = await boss.expect("اکنون ۲ کانون و ۱ عضو")
    assert picture.photo is not None and picture.photo.content.startswith(b"\x89PNG")
    assert (picture.photo.content[16:24]) == (1000).to_bytes(4, "big") + (640).to_bytes(4, "big")
    # A pending request shows with its age.
    harness.clock.advance(hours=1)
    async with harness.sessions() as session:
        from bot.db.models import Membership

        session.add(Membership(center_id=w.other.center.id, user_id=w.stranger.id, status="pending",
                               requested_at=harness.clock()))
        await session.commit()
    harness.clock.advance(hours=50)
    await boss.tap(figures, "🔄 تازه کردن")
    refreshed = await boss.wait_edit(figures)
    assert "درخواست عضویت در انتظار: ۱ (قدیمی‌ترین: ۲ روز و ۲ ساعت)" in refreshed.text


async def test_the_menu_button_is_only_the_admins(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    await w.stranger.fake.send("/start")
    assert "🏛 انجمن" not in (await w.stranger.fake.next_message()).keyboard_buttons
    await w.stranger.fake.send("🏛 انجمن")  # typed by hand
    assert (await w.stranger.fake.next_message()).text == ADMIN_ONLY


def _every_admin_button(center_id: int, token_like: str = "x" * 22) -> list[str]:
    """Data of every admin button, with real ids: what a forwarded or replayed button carries."""
    return [
        cb.ADMIN_FIGURES.build(0), cb.ADMIN_CHART.build(0), cb.ADMIN_ORGS.build(), cb.ADMIN_SEARCH.build(),
        cb.ADMIN_CENTER.build(center_id), cb.ADMIN_SUSPEND.build(center_id), cb.ADMIN_REACTIVATE.build(center_id),
        cb.ADMIN_REMOVE_FACILITATOR.build(center_id), cb.ADMIN_REMOVE_FACILITATOR_CONFIRM.build(center_id),
        cb.ADMIN_APPOINT.build(), cb.ADMIN_APPOINT_CENTER.build(center_id), cb.ADMIN_APPOINT_AREA.build(),
        cb.ADMIN_APPOINT_AREA_OK.build(), cb.ADMIN_APPOINT_ORG.build(0), cb.ADMIN_APPOINT_NEW_ORG.build(),
        cb.ADMIN_APPOINT_CONFIRM.build(), cb.ADMIN_ANNOUNCE.build(), cb.ADMIN_ANNOUNCE_AUDIENCE.build("all"),
        cb.ADMIN_ANNOUNCE_ORG.build(1), cb.ADMIN_ANNOUNCE_SEND.build(), cb.ADMIN_ANNOUNCE_EDIT.build(),
        cb.ADMIN_ANNOUNCE_REPORT.build(1), cb.ADMIN_EXPORT.build("csv"), cb.ADMIN_EXPORT.build("xlsx"),
    ]


@pytest.mark.parametrize("who", ["leader", "assistant", "member", "facilitator", "stranger"])
async def test_everyone_but_an_admin_is_refused_everything(harness: Harness, platform: Platform, who: str) -> None:
    w = await world(harness, platform)
    facilitator = await person(harness, platform, "رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, facilitator, w.staffed.center)
    tapper = {"leader": w.staffed.leader, "assistant": w.staffed.assistant, "member": w.member,
              "facilitator": facilitator, "stranger": w.stranger}[who].fake
    # The admin's own card of the center, with its buttons: replayed by someone else.
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    for typed in ("/admin", "🏛 انجمن"):
        await tapper.send(typed)
        assert (await tapper.next_message()).text == ADMIN_ONLY, typed
    for data in _every_admin_button(w.staffed.center.id):
        query = await tapper.forge_tap(home, data)
        assert await tapper.callback_answer(query) == ADMIN_ONLY, data
    await harness.settle()
    assert (await center_row(harness, w.staffed.center.id)).status == "active"
    assert (await center_row(harness, w.staffed.center.id)).facilitator_id == facilitator.id
    async with harness.sessions() as session:
        assert (await session.exec(select(FacilitatorInvitation))).all() == []
        assert (await session.exec(select(LeaderAnnouncement))).all() == []
    assert [m for m in tapper.messages if m.photo or m.document] == []
    assert home.edits == []


async def test_search_by_name_or_code_opens_the_full_card(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    facilitator = await person(harness, platform, "رهیار", "09140000000", first_name="رهیار")
    await appoint(harness, facilitator, w.staffed.center, name="خانم رهیار کرمانی")
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "🔎 جستجوی کانون")
    await boss.expect("نام یا کد کانون")
    await boss.send("صاحب الزمان")  # no ZWNJ, as typed on many phones
    found = await boss.expect("۱ کانون پیدا شد")
    await boss.tap(found, found.buttons[0][0])
    card = await boss.expect("کد کانون")
    assert "کانون صاحب‌الزمان" in card.text and "راهبر: حسن جمالی (۰۹۱۷۱۱۱۱۱۱۱)" in card.text
    assert "همیار: زهرا قادری (۰۹۱۷۲۲۲۲۲۲۲)" in card.text and "رهیار: خانم رهیار کرمانی" in card.text
    assert "اعضا: ۱" in card.text
    # By code, in Persian digits.
    await boss.tap(home, "🔎 جستجوی کانون")
    await boss.expect("نام یا کد کانون")
    code = str(w.other.center.code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    await boss.send(code)
    found = await boss.expect("۱ کانون پیدا شد")
    await boss.tap(found, found.buttons[0][0])
    assert "کانون شهدای هوتک" in (await boss.expect("کد کانون")).text


async def test_suspension_blocks_joins_and_campaigns_until_reactivated(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, Platform.TELEGRAM)
    center_id = w.staffed.center.id
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.forge_tap(home, cb.ADMIN_CENTER.build(center_id))
    card = await boss.wait_edit(home)
    await boss.tap(card, "⏸ تعلیق کانون")
    await boss.expect("دلیل تعلیق")
    await boss.send("گزارش تخلف در جمع‌آوری کمک‌ها")
    await boss.expect("معلق شد")
    for staff in (w.staffed.leader, w.staffed.assistant):
        told = await staff.fake.expect("متوقف کرد")
        assert "دلیل: گزارش تخلف در جمع‌آوری کمک‌ها" in told.text
    [event] = await audit_of(harness, "center.suspended")
    assert json.loads(event.details)["admin"] == f"telegram:{boss.user_id}"
    # No join request.
    await w.stranger.fake.send(f"/start c-{w.staffed.center.code}")
    shown = await w.stranger.fake.expect("کانون صاحب‌الزمان")
    assert "عضو تازه نمی‌پذیرد" in shown.text and not shown.has_button("📨 ارسال درخواست عضویت")
    await w.stranger.fake.forge_tap(shown, f"jn:s:{center_id}:l")
    await harness.settle()
    assert [m.user_id for m in await memberships(harness, center_id)] == [w.member.id]
    # No campaign.
    await w.staffed.leader.fake.send("/mycenter")
    leader_card = await w.staffed.leader.fake.expect("کانون صاحب‌الزمان")
    await w.staffed.leader.fake.forge_tap(leader_card, "cp:new")
    await w.staffed.leader.fake.expect("معلق است")
    async with harness.sessions() as session:
        assert (await session.exec(select(Campaign))).all() == []
    # The member sees it on their card, with the reason.
    await w.member.fake.send("/mycenter")
    member_card = await w.member.fake.expect("کانون صاحب‌الزمان")
    assert "متوقف شده" in member_card.text and "دلیل توقف: گزارش تخلف" in member_card.text
    # Reactivated: told, and joining works again.
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.forge_tap(home, cb.ADMIN_REACTIVATE.build(center_id))
    await boss.expect("دلیل فعال کردن دوباره")
    await boss.send("بررسی شد و مشکلی نبود.")
    await boss.expect("دوباره فعال شد")
    await w.staffed.leader.fake.expect("دوباره فعال شد")
    await w.stranger.fake.send(f"/start c-{w.staffed.center.code}")
    shown = await w.stranger.fake.expect("کانون صاحب‌الزمان")
    await w.stranger.fake.tap(shown, "📨 ارسال درخواست عضویت")
    await w.stranger.fake.expect("ثبت شد")
    assert (await center_row(harness, center_id)).status == "active"


async def test_suspending_twice_says_it_already_is(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    for expected in ("معلق شد", "فقط کانون فعال را می‌توان معلق کرد"):
        await boss.forge_tap(home, cb.ADMIN_SUSPEND.build(w.staffed.center.id))
        await boss.expect("دلیل تعلیق")
        await boss.send("دلیل آزمایشی")
        await boss.expect(expected)
    assert len(await audit_of(harness, "center.suspended")) == 1


async def test_the_export_as_csv_and_xlsx(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    leader, assistant = (await person(harness, platform, "=HYPERLINK(\"x\")", "09150000001", first_name="x"),
                         await person(harness, platform, "همیار سوم", "09150000002", first_name="y"))
    await make_active_center(harness.sessions, leader.row, assistant.row, name="=cmd کانون", area="-2+3")
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "📄 فایل CSV")
    sent = await boss.expect("فهرست ۳ کانون")
    content = sent.document.content
    assert content.startswith("\ufeff".encode()) and b"\r\n" in content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["کد کانون", "نام", "نوع"] and len(rows) == 4
    by_name = {row[1]: row for row in rows[1:]}
    saheb = by_name["کانون صاحب‌الزمان"]
    assert saheb[0] == str(w.staffed.center.code) and saheb[5] == "حسن جمالی" and saheb[6] == "۰۹۱۷۱۱۱۱۱۱۱"
    assert saheb[11] == "1" and saheb[12] == "0" and saheb[13].startswith("۱۴۰۵/")
    assert "'=cmd کانون" in by_name and by_name["'=cmd کانون"][3] == "'-2+3"
    assert by_name["'=cmd کانون"][5] == "'=HYPERLINK(\"x\")"
    await boss.tap(home, "📊 فایل اکسل")
    sent = await boss.expect("(XLSX)")
    values = read_back(sent.document.content)  # right to left, a bold frozen header
    assert values[0][0] == "کد کانون" and len(values) == 4
    assert [list(row) for row in rows] == [[_as_csv(value) for value in row] for row in values]  # the CSV's cells
    assert {tuple(v[:2]) for v in values[1:]} >= {(w.staffed.center.code, "کانون صاحب‌الزمان")}
    assert any(v[1] == "'=cmd کانون" for v in values[1:])
    exported = await audit_of(harness, "centers.exported")
    assert [(json.loads(e.details)["format"], json.loads(e.details)["admin"]) for e in exported] == [
        ("csv", f"{platform.value}:{boss.user_id}"), ("xlsx", f"{platform.value}:{boss.user_id}"),
    ]


def _as_csv(value: object) -> str:
    return "" if value is None else str(value)


async def test_an_announcement_reaches_each_leader_and_assistant_once(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    # One person leads a third center and assists a fourth: two roles, one message.
    both = await person(harness, platform, "دونقشه", "09160000000", first_name="دونقشه")
    other_leader = await person(harness, platform, "راهبر چهارم", "09160000001", first_name="چهارم")
    third_assistant = await person(harness, platform, "همیار سوم", "09160000002", first_name="سوم")
    await make_active_center(harness.sessions, both.row, third_assistant.row, name="کانون سوم", area="یزد")
    await make_active_center(harness.sessions, other_leader.row, both.row, name="کانون چهارم", area="یزد")
    harness.apis[platform].block(w.other.leader.fake.user_id)
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "📣 پیام به راهبران")
    audience = await boss.expect("کدام کانون‌ها")
    await boss.tap(audience, "همه‌ی کانون‌ها")
    await boss.expect("۷ راهبر و همیار")
    await boss.send("جلسه‌ی راهبران روز جمعه در مسجد جامع برگزار می‌شود.")
    preview = await boss.expect("پیش‌نمایش بالا")
    await boss.tap(preview, "✅ ارسال")
    await boss.expect("ارسال به ۷ نفر آغاز شد")
    await harness.deps.background.join(timeout=10)
    report = await boss.expect("گزارش پیام به راهبران")
    final = report if "ارسال تمام شد" in report.text else await boss.wait_edit(report)
    assert "همه: ۷" in final.text and "رسید: ۶" in final.text and "ربات را بسته‌اند: ۱" in final.text
    received = [m for m in both.fake.messages if "پیام انجمن حامیان" in m.text]
    assert len(received) == 1 and "مسجد جامع" in received[0].text
    for fake in (w.staffed.leader.fake, w.staffed.assistant.fake, other_leader.fake, third_assistant.fake):
        assert len([m for m in fake.messages if "پیام انجمن حامیان" in m.text]) == 1
    assert not [m for m in w.member.fake.messages if "پیام انجمن حامیان" in m.text]
    # A second «ارسال» on the same preview sends nothing more.
    await boss.forge_tap(preview, cb.ADMIN_ANNOUNCE_SEND.build())
    await harness.settle()
    async with harness.sessions() as session:
        rows = (await session.exec(select(Delivery).where(Delivery.purpose == "leader_announcement"))).all()
        assert len(rows) == 7
        [announcement] = (await session.exec(select(LeaderAnnouncement))).all()
        assert announcement.status == "sent"


async def test_an_announcement_to_one_area(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "📣 پیام به راهبران")
    audience = await boss.expect("کدام کانون‌ها")
    await boss.tap(audience, "کانون‌های یک منطقه")
    await boss.expect("نام منطقه")
    await boss.send("كرمان")  # Arabic ك, as some keyboards type it
    await boss.expect("۲ راهبر و همیار")
    await boss.send("پیام ویژه‌ی کرمان")
    preview = await boss.expect("پیش‌نمایش بالا")
    await boss.tap(preview, "✅ ارسال")
    await boss.expect("ارسال به ۲ نفر")
    await harness.deps.background.join(timeout=10)
    await w.other.leader.fake.expect("پیام ویژه‌ی کرمان")
    await w.other.assistant.fake.expect("پیام ویژه‌ی کرمان")
    assert not [m for m in w.staffed.leader.fake.messages if "پیام ویژه" in m.text]


async def test_figures_and_announcements_for_one_organisation(harness: Harness, platform: Platform) -> None:
    w = await world(harness, platform)
    async with harness.sessions() as session:
        from bot.db.models import FacilitationOrg

        org = FacilitationOrg(name="سازمان رهیاری یزد", name_key="سازمانرهیارییزد")
        session.add(org)
        await session.commit()
    guide = await person(harness, platform, None, None, first_name="راهنما")
    await appoint(harness, guide, w.staffed.center, org_id=org.id)
    boss = admin(harness, platform)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    await boss.tap(home, "🏢 به تفکیک سازمان")
    choice = await boss.wait_edit(home)
    await boss.tap(choice, "سازمان رهیاری یزد")
    scoped = await boss.wait_edit(home)
    assert "کانون‌های سازمان رهیاری «سازمان رهیاری یزد»" in scoped.text
    assert "کانون‌ها: ۱" in scoped.text and "اعضا: ۱" in scoped.text
    await boss.tap(scoped, "📣 پیام به راهبران")
    audience = await boss.expect("کدام کانون‌ها")
    await boss.tap(audience, "کانون‌های یک سازمان")
    orgs = await boss.expect("کدام سازمان رهیاری")
    await boss.tap(orgs, "سازمان رهیاری یزد")
    await boss.expect("۲ راهبر و همیار")
    await boss.send("ویژه‌ی سازمان یزد")
    preview = await boss.expect("پیش‌نمایش بالا")
    await boss.tap(preview, "✅ ارسال")
    await harness.deps.background.join(timeout=10)
    await w.staffed.leader.fake.expect("ویژه‌ی سازمان یزد")
    assert not [m for m in w.other.leader.fake.messages if "ویژه‌ی سازمان" in m.text]
