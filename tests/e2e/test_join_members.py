"""Members of a center: the member's card, leaving, withdrawing; the list, removal and CSV file."""

from __future__ import annotations

import csv
import io

import openpyxl

import pytest

from bot.db.models import Center, Membership
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import APPROVE, Person, Staffed, ask_by_link, center, memberships_of, person, set_row
from tests.factories import add_member
from tests.workbooks import read_back

pytestmark = pytest.mark.e2e


async def _members(harness: Harness, staffed: Staffed, count: int, platform: Platform) -> list[Person]:
    people = []
    for n in range(1, count + 1):
        other = Platform.BALE if n % 2 == 0 else platform
        who = await person(harness, other, f"عضو شماره {n}", f"091200000{n:02d}", first_name=f"عضو{n}")
        await add_member(harness.sessions, staffed.center, who.row)
        people.append(who)
    return people


async def test_a_members_card_and_leaving_with_confirmation(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await add_member(harness.sessions, staffed.center, member.row)
    await member.fake.send("کانون من")
    card = await member.fake.next_message()
    for shown in ("کانون صاحب‌الزمان", "راهبر: حسن جمالی", "همیار: زهرا قادری", "تعداد اعضا: ۱ نفر",
                  "عضو این کانون هستید"):
        assert shown in card.text
    assert "۰۹۱۷" not in card.text  # the leader's and assistant's mobiles are not for members
    await member.fake.tap(card, "🚪 خروج از کانون")
    confirm = await member.fake.wait_edit(card)
    assert "خارج شوید" in confirm.text
    await member.fake.tap(confirm, "خیر")
    kept = await member.fake.wait_edit(card)
    assert "چیزی تغییر نکرد" in kept.text and kept.has_button("🚪 خروج از کانون")
    await member.fake.tap(kept, "🚪 خروج از کانون")
    confirm = await member.fake.wait_edit(card)
    await member.fake.tap(confirm, "بله، خارج می‌شوم")
    assert "شما از «کانون صاحب‌الزمان» خارج شدید" in (await member.fake.wait_edit(card)).text
    assert "مریم احمدی از «کانون صاحب‌الزمان» خارج شد" in (await staffed.assistant.fake.next_message()).text
    assert [m.status for m in await memberships_of(harness, member)] == ["left"]
    # The confirmation, tapped again from an old copy, changes nothing.
    query = await member.fake.forge_tap(card, f"ml:lvy:{(await memberships_of(harness, member))[0].id}")
    assert "وضعیت عضویت شما تغییر کرده" in await member.fake.callback_answer(query)
    await member.fake.send("/mycenter")
    assert "هنوز عضو هیچ کانونی نیستید" in (await member.fake.next_message()).text


async def test_a_pending_applicant_sees_the_request_and_can_withdraw_it(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    await member.fake.send("/mycenter")
    card = await member.fake.next_message()
    assert "منتظر بررسی همیار" in card.text and "کانون صاحب‌الزمان" in card.text
    await member.fake.tap(card, "↩️ پس گرفتن درخواست")
    confirm = await member.fake.wait_edit(card)
    await member.fake.tap(confirm, "بله، پس می‌گیرم")
    assert "پس گرفته شد" in (await member.fake.wait_edit(card)).text
    query = await staffed.assistant.fake.tap(request, APPROVE)
    assert await staffed.assistant.fake.callback_answer(query) == "متقاضی این درخواست را پس گرفته است."
    assert "پس گرفت" in (await staffed.assistant.fake.wait_edit(request)).text
    assert [m.status for m in await memberships_of(harness, member)] == ["withdrawn"]


async def test_someone_elses_leave_button_does_nothing(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    membership = await add_member(harness.sessions, staffed.center, member.row)
    intruder = await person(harness, platform, "غریبه", first_name="غریبه")
    await intruder.fake.send("/help")
    message = await intruder.fake.next_message()
    for data in (f"ml:lv:{membership.id}", f"ml:lvy:{membership.id}", f"ml:wdy:{membership.id}"):
        query = await intruder.fake.forge_tap(message, data)
        assert "تغییر کرده" in await intruder.fake.callback_answer(query)
    assert [m.status for m in await memberships_of(harness, member)] == ["active"]


@pytest.mark.parametrize("who", ["leader", "assistant"])
async def test_the_member_list_a_page_at_a_time_with_removal(harness: Harness, platform: Platform, who: str) -> None:
    staffed = await center(harness, platform)
    people = await _members(harness, staffed, 10, platform)
    await add_member(harness.sessions, staffed.center, (await person(harness, platform, "منتظر")).row, "pending")
    viewer = staffed.leader if who == "leader" else staffed.assistant
    await viewer.fake.send("/members")
    listing = await viewer.fake.next_message()
    assert "اعضای «کانون صاحب‌الزمان»: ۱۰ نفر (صفحه‌ی ۱ از ۲)" in listing.text
    assert "۱. عضو شماره 1 — ۰۹۱۲۰۰۰۰۰۰۱ — " in listing.text  # mobiles: for the leader and assistant
    platforms = {line.split(" — ")[2] for line in listing.text.splitlines() if " — " in line}
    # «پیام‌رسان بله», never a bare «بله» that reads as "yes" (issue 10, item 11).
    assert platforms == ({"پیام‌رسان بله"} if platform is Platform.BALE else {"پیام‌رسان بله", "تلگرام"})
    assert "منتظر" not in listing.text and "عضو شماره 9" not in listing.text
    await viewer.fake.tap(listing, "بعدی ◀️")
    page_two = await viewer.fake.wait_edit(listing)
    assert "۹. عضو شماره 9" in page_two.text and "۱۰. عضو شماره 10" in page_two.text

    await viewer.fake.tap(page_two, "❌ حذف عضو شماره 9")
    confirm = await viewer.fake.wait_edit(listing)
    assert "عضو شماره 9 را از «کانون صاحب‌الزمان» حذف می‌کنید" in confirm.text
    await viewer.fake.tap(confirm, "بازگشت")
    again = await viewer.fake.wait_edit(listing)
    assert "عضو شماره 9" in again.text
    await viewer.fake.tap(again, "❌ حذف عضو شماره 9")
    confirm = await viewer.fake.wait_edit(listing)
    await viewer.fake.tap(confirm, "بله، حذف شود")
    after = await viewer.fake.wait_edit(listing)
    assert "عضو شماره 9 از کانون حذف شد" in after.text and "۹ نفر" in after.text
    removed = people[8]
    word = "راهبر" if who == "leader" else "همیار"
    told = await removed.fake.next_message()
    assert "دیگر عضو «کانون صاحب‌الزمان» نیستید" in told.text and f"{word} کانون" in told.text
    assert [m.status for m in await memberships_of(harness, removed)] == ["removed"]
    # The same confirmation again (another device): nothing more happens.
    query = await viewer.fake.forge_tap(after, f"ml:rmy:{(await memberships_of(harness, removed))[0].id}:1")
    await viewer.fake.callback_answer(query)
    await harness.settle()
    assert len(removed.fake.messages) == 1


async def test_the_center_cards_members_button_and_outsiders(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    await _members(harness, staffed, 2, platform)
    await staffed.assistant.fake.send("/help")
    message = await staffed.assistant.fake.next_message()
    query = await staffed.assistant.fake.forge_tap(message, "ml:list:0")  # «👥 اعضا» on the center card
    await staffed.assistant.fake.callback_answer(query)
    assert "۲ نفر" in (await staffed.assistant.fake.next_message()).text
    member = await person(harness, platform, "یک عضو")
    await add_member(harness.sessions, staffed.center, member.row)
    await member.fake.send("/members")
    assert "فقط راهبر و همیار" in (await member.fake.next_message()).text
    await member.fake.send("/help")
    help_message = await member.fake.next_message()
    for data in ("ml:list:0", "ml:csv", "ml:pg:1"):
        query = await member.fake.forge_tap(help_message, data)
        assert "فقط راهبر و همیار" in await member.fake.callback_answer(query)
    membership_id = (await memberships_of(harness, member))[0].id
    query = await member.fake.forge_tap(help_message, f"ml:rmy:{membership_id}:0")
    assert "فقط راهبر و همیار" in await member.fake.callback_answer(query)
    assert [m.status for m in await memberships_of(harness, member)] == ["active"]


async def test_the_members_file_opens_in_excel_with_persian_text(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    people = await _members(harness, staffed, 3, platform)
    await set_row(harness, Membership, (await memberships_of(harness, people[0]))[0].id, decided_at=harness.clock())
    await staffed.leader.fake.send("/members")
    listing = await staffed.leader.fake.next_message()
    await staffed.leader.fake.tap(listing, "📄 دریافت فایل اعضا")
    sent = await staffed.leader.fake.expect("فهرست اعضای")
    assert sent.document is not None and sent.document.filename == f"members-{staffed.center.code}.csv"
    content = sent.document.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Persian correctly
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["نام و نام خانوادگی", "موبایل", "پیام‌رسان", "تاریخ عضویت"]
    assert rows[1] == ["عضو شماره 1", "۰۹۱۲۰۰۰۰۰۰۱", "تلگرام" if platform is Platform.TELEGRAM else "پیام‌رسان بله",
                       "۱۴۰۵/۰۹/۰۸"]
    assert [r[0] for r in rows[1:]] == ["عضو شماره 1", "عضو شماره 2", "عضو شماره 3"]
    assert rows[2][2] == "پیام‌رسان بله"
    assert "۳ نفر" in sent.caption
    if platform is Platform.BALE:
        assert sent.parse_mode is None


async def test_the_members_workbook_is_right_to_left_with_mobiles_as_text(harness: Harness, platform: Platform) -> None:
    """«📊 فایل اکسل اعضا» (issue 10, item 13): one right-to-left sheet; the mobile in Persian digits
    and again in Latin digits, both text cells (leading zero kept) for an SMS panel."""
    staffed = await center(harness, platform)
    await _members(harness, staffed, 2, platform)
    await staffed.leader.fake.send("/members")
    listing = await staffed.leader.fake.next_message()
    await staffed.leader.fake.tap(listing, "📊 فایل اکسل اعضا")
    sent = await staffed.leader.fake.expect("فهرست اعضای")
    assert sent.document is not None and sent.document.filename == f"members-{staffed.center.code}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(sent.document.content)).active
    assert sheet.sheet_view.rightToLeft
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["نام و نام خانوادگی", "موبایل", "موبایل (برای پنل پیامک)", "پیام‌رسان", "تاریخ عضویت"]
    assert rows[1][:3] == ["عضو شماره 1", "۰۹۱۲۰۰۰۰۰۰۱", "09120000001"]
    assert sheet["C2"].data_type == "s" and sheet["C2"].number_format == "@"
    assert len(rows) == 3
    assert read_back(sent.document.content, text_columns=(1, 2)) == [tuple(row) for row in rows]


async def test_a_members_card_says_when_the_center_is_suspended(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await add_member(harness.sessions, staffed.center, member.row)
    await set_row(harness, Center, staffed.center.id, status="suspended")
    await member.fake.send("/mycenter")
    card = await member.fake.next_message()
    assert "کانون صاحب‌الزمان" in card.text and "متوقف" in card.text and card.has_button("🚪 خروج از کانون")
