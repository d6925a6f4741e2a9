"""Finding a center (link, ID, name) and sending the join request, through the fake Bot API."""

from __future__ import annotations

import pytest

from bot.db.models import Center, Membership
from bot.platforms import Platform
from bot.persian.text import persian_digits
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import SEND, ask_by_link, center, deliveries, memberships_of, person, set_row

pytestmark = pytest.mark.e2e


def _mistype(code: int) -> str:
    digits = str(code)
    return digits[:-1] + str((int(digits[-1]) + 1) % 10)


async def test_join_by_link_asks_name_and_mobile_then_the_assistant_gets_the_request(
    harness: Harness, platform: Platform,
) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform, full_name=None, mobile=None)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.next_message()
    for shown in ("کانون صاحب‌الزمان", "هم‌مسجدی", "بوشهر، روستای نظرآقا", "راهبر: حسن جمالی", "تعداد اعضا: ۰ نفر",
                  persian_digits(staffed.center.code)):
        assert shown in card.text
    assert "۰۹۱۷" not in card.text  # nobody's mobile on a public card
    await member.fake.tap(card, SEND)
    asked_name = await member.fake.next_message()
    # «مریم» alone is not offered as the full name (issue 10, item 6); back and out are.
    assert "نام و نام خانوادگی" in asked_name.text and asked_name.keyboard_buttons == ["🔙 مرحله‌ی قبل", "❌ انصراف"]
    await member.fake.send("مريم احمدي")  # Arabic ي from the keyboard
    asked_mobile = await member.fake.next_message()
    assert "شماره موبایل" in asked_mobile.text
    await member.fake.tap_keyboard("📱 ارسال شماره من")
    sent = await member.fake.next_message()
    assert "درخواست عضویت شما در «کانون صاحب‌الزمان» ثبت شد" in sent.text
    assert "عضویت در کانون" in sent.keyboard_buttons  # back to the main menu

    request = await staffed.assistant.fake.next_message()
    mobile = persian_digits("0" + member.fake.phone.removeprefix("+98"))
    for shown in ("درخواست عضویت", "مریم احمدی", mobile, "لینک دعوت کانون", "۸ آذر ۱۴۰۵، ساعت ۱۱:۳۰"):
        assert shown in request.text, shown
    assert [b for b, _ in request.buttons] == ["✅ تأیید", "❌ رد"]
    assert all(len(data.encode()) <= 64 and data.isascii() for _, data in request.buttons)
    [row] = await memberships_of(harness, member)
    assert (row.status, row.source) == ("pending", "link")


async def test_join_by_id_in_persian_digits_and_a_mistyped_id(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send("/join")
    assert "کد کانون" in (await member.fake.next_message()).text
    await member.fake.send(persian_digits(_mistype(staffed.center.code)))
    assert "اشتباه نوشته شده" in (await member.fake.next_message()).text
    await member.fake.send("۱۲۳۴۵۶۷" if staffed.center.code != 1234567 else "۷۶۵۴۳۲۱")
    reply = await member.fake.next_message()
    assert "اشتباه" in reply.text or "پیدا نشد" in reply.text
    await member.fake.send(" ".join(persian_digits(staffed.center.code)))  # spaced out, Persian digits
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, SEND)
    await member.fake.expect("ثبت شد")
    request = await staffed.assistant.fake.next_message()
    assert "کد کانون" in request.text
    assert (await memberships_of(harness, member))[0].source == "code"


async def test_a_valid_id_of_no_center_says_so(harness: Harness, platform: Platform) -> None:
    from bot.services import center_codes

    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send("عضویت در کانون")
    await member.fake.next_message()
    other = center_codes.new_code()
    while other == staffed.center.code:
        other = center_codes.new_code()
    await member.fake.send(str(other))
    assert f"کد {persian_digits(other)} پیدا نشد" in (await member.fake.next_message()).text


async def test_search_by_name_pages_and_tells_same_names_apart(harness: Harness, platform: Platform) -> None:
    areas = [f"روستای شماره {n}" for n in range(1, 8)]
    centers = [await center(harness, platform, name="کانون صاحب‌الزمان", area=area) for area in areas]
    member = await person(harness, platform)
    await member.fake.send("/join")
    await member.fake.next_message()
    await member.fake.send("صاحب الزمان")
    results = await member.fake.next_message()
    assert "«صاحب الزمان»" in results.text and "صفحه‌ی ۱" in results.text
    result_buttons = [b for b, data in results.buttons if data.startswith("jn:c:")]
    assert len(result_buttons) == 5
    # Short buttons «۱. name» (≤ 32); the kind and the area tell the same names apart on the lines above.
    assert all(len(b) <= 32 and b.startswith(f"{persian_digits(n)}. ") for n, b in enumerate(result_buttons, 1))
    assert sum("هم‌مسجدی، روستای شماره" in line for line in results.text.splitlines()) == 5
    assert not results.has_button("▶️ قبلی")

    await member.fake.tap(results, "بعدی ◀️")
    page_two = await member.fake.wait_edit(results)
    assert "صفحه‌ی ۲" in page_two.text and not page_two.has_button("بعدی ◀️")  # the last page
    assert len([d for _, d in page_two.buttons if d.startswith("jn:c:")]) == 2
    await member.fake.tap(page_two, "▶️ قبلی")
    page_one = await member.fake.wait_edit(results)
    assert "صفحه‌ی ۱" in page_one.text and page_one.has_button("بعدی ◀️")
    await member.fake.tap(page_one, "بعدی ◀️")
    page_two = await member.fake.wait_edit(results)

    # The buttons carry the number and the name; the area is on the numbered line above.
    line = next(line for line in page_two.text.splitlines() if "روستای شماره 7" in line or "روستای شماره ۷" in line)
    pick = next(b for b, _ in page_two.buttons if b.startswith(line.split(".")[0] + ". "))
    await member.fake.tap(page_two, pick)
    card = await member.fake.wait_edit(results)
    assert "روستای شماره 7" in card.text and card.has_button("بازگشت به نتایج")
    await member.fake.tap(card, "بازگشت به نتایج")
    back = await member.fake.wait_edit(results)
    assert "صفحه‌ی ۲" in back.text
    await member.fake.tap(back, pick)
    card = await member.fake.wait_edit(results)
    await member.fake.tap(card, SEND)
    await member.fake.expect("ثبت شد")
    chosen = next(c for c in centers if c.center.area == "روستای شماره 7")
    request = await chosen.assistant.fake.next_message()
    assert "جستجوی نام کانون" in request.text
    [row] = await memberships_of(harness, member)
    assert (row.center_id, row.source) == (chosen.center.id, "search")


async def test_no_search_result_offers_the_other_ways(harness: Harness, platform: Platform) -> None:
    await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send("/join")
    await member.fake.next_message()
    await member.fake.send("ا")
    assert "دست‌کم دو حرف" in (await member.fake.next_message()).text
    await member.fake.send("کانون شهدای هوتک")
    none = await member.fake.next_message()
    assert "پیدا نشد" in none.text and "کد" in none.text and "لینک" in none.text
    await member.fake.send_photo()
    assert "متن" in (await member.fake.next_message()).text
    await member.fake.send("کانون صاحب الزمان")  # still searching: nothing was lost
    found = await member.fake.next_message()
    assert [b for b, d in found.buttons if d.startswith("jn:c:")] == ["۱. کانون صاحب‌الزمان"]


async def test_a_misspelt_name_asks_did_you_mean(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform, name="کانون همیاری صاحب‌الزمان روستای قورچای")
    member = await person(harness, platform)
    await member.fake.send("/join")
    await member.fake.next_message()
    await member.fake.send("کانون قورچائی")
    guess = await member.fake.next_message()
    assert "آیا منظورتان «کانون همیاری صاحب‌الزمان روستای قورچای» بود؟" in guess.text
    await member.fake.tap(guess, data=f"jn:c:{staffed.center.id}:s")
    card = await member.fake.wait_edit(guess)
    await member.fake.tap(card, SEND)
    await member.fake.expect("ثبت شد")
    assert [(m.center_id, m.source) for m in await memberships_of(harness, member)] == [(staffed.center.id, "search")]


@pytest.mark.parametrize("status", ["suspended", "awaiting_assistant"])
async def test_a_center_that_cannot_take_members_says_why(harness: Harness, platform: Platform, status: str) -> None:
    staffed = await center(harness, platform)
    await set_row(harness, Center, staffed.center.id, status=status)
    member = await person(harness, platform)
    await member.fake.send("/join")
    await member.fake.next_message()
    await member.fake.send("صاحب‌الزمان")
    results = await member.fake.next_message()
    await member.fake.tap(results, data=f"jn:c:{staffed.center.id}:s")
    card = await member.fake.wait_edit(results)
    assert ("متوقف" if status == "suspended" else "همیار آن هنوز دعوت را نپذیرفته") in card.text
    assert not card.has_button(SEND)
    # An old card's button, tapped anyway, is refused with the same reason.
    query = await member.fake.forge_tap(card, f"jn:s:{staffed.center.id}:s")
    await member.fake.callback_answer(query)
    assert ("متوقف" if status == "suspended" else "نپذیرفته") in (await member.fake.next_message()).text
    assert await memberships_of(harness, member) == []


async def test_a_bad_or_dead_center_link(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send("/start c-1234")
    assert "لینک کانون درست نیست" in (await member.fake.next_message()).text
    await set_row(harness, Center, staffed.center.id, status="cancelled")
    await member.fake.send(f"/start c-{staffed.center.code}")
    assert "لینک کانون درست نیست" in (await member.fake.next_message()).text
    await member.fake.send("/start a-sometoken")  # the registration feature's link is not ours
    await harness.settle()
    assert all("لینک کانون" not in m.text for m in member.fake.messages[2:])


async def test_a_second_request_while_pending_makes_no_duplicate(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await ask_by_link(harness, member, staffed)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, SEND)
    assert "درخواست دوباره لازم نیست" in (await member.fake.next_message()).text
    assert len(await memberships_of(harness, member)) == 1
    await harness.settle()
    assert len([m for m in staffed.assistant.fake.messages if "درخواست عضویت" in m.text]) == 1


async def test_a_member_elsewhere_is_told_and_can_leave_first(harness: Harness, platform: Platform) -> None:
    first = await center(harness, platform, name="کانون الغدیر")
    second = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, first)
    await first.assistant.fake.tap(request, "✅ تأیید")
    await member.fake.expect("خوش آمدید")

    await member.fake.send(f"/start c-{second.center.code}")
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, SEND)
    told = await member.fake.next_message()
    assert "شما عضو «کانون الغدیر» هستید" in told.text and "فقط عضو یک کانون" in told.text
    await member.fake.tap(told, "🚪 خروج از کانون")
    confirm = await member.fake.wait_edit(told)
    await member.fake.tap(confirm, "بله، خارج می‌شوم")
    assert "خارج شدید" in (await member.fake.wait_edit(told)).text
    await member.fake.tap(card, SEND)  # the card's button still works
    await member.fake.expect("ثبت شد")
    statuses = [(m.center_id, m.status) for m in await memberships_of(harness, member)]
    assert statuses == [(first.center.id, "left"), (second.center.id, "pending")]


async def test_a_pending_applicant_asking_elsewhere_can_withdraw_first(harness: Harness, platform: Platform) -> None:
    first = await center(harness, platform, name="کانون الغدیر")
    second = await center(harness, platform)
    member = await person(harness, platform)
    await ask_by_link(harness, member, first)
    await member.fake.send(f"/start c-{second.center.code}")
    card = await member.fake.expect("کانون صاحب‌الزمان")
    await member.fake.tap(card, SEND)
    told = await member.fake.next_message()
    assert "درخواست عضویت در «کانون الغدیر» دارید" in told.text
    await member.fake.tap(told, "↩️ پس گرفتن درخواست")
    confirm = await member.fake.wait_edit(told)
    await member.fake.tap(confirm, "بله، پس می‌گیرم")
    assert "پس گرفته شد" in (await member.fake.wait_edit(told)).text
    await member.fake.tap(card, SEND)
    await member.fake.expect("ثبت شد")
    assert [m.status for m in await memberships_of(harness, member)] == ["withdrawn", "pending"]


@pytest.mark.parametrize("role", ["leader", "assistant"])
async def test_the_centers_own_leader_and_assistant_need_no_request(
    harness: Harness, platform: Platform, role: str,
) -> None:
    staffed = await center(harness, platform)
    other = await center(harness, platform, name="کانون الغدیر")
    who = staffed.leader if role == "leader" else staffed.assistant
    await who.fake.send(f"/start c-{staffed.center.code}")
    card = await who.fake.expect("کانون صاحب‌الزمان")
    await who.fake.tap(card, SEND)
    word = "راهبر" if role == "leader" else "همیار"
    assert f"شما {word} همین کانون هستید" in (await who.fake.next_message()).text
    await who.fake.send(f"/start c-{other.center.code}")
    card = await who.fake.expect("کانون الغدیر")
    await who.fake.tap(card, SEND)
    assert f"شما {word} «کانون صاحب‌الزمان» هستید" in (await who.fake.next_message()).text
    await who.fake.send("/join")
    assert "عضو کانون دیگری نمی‌شوند" in (await who.fake.next_message()).text
    assert await memberships_of(harness, who) == []


async def test_join_by_someone_who_already_has_a_center(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await ask_by_link(harness, member, staffed)
    await member.fake.send("/join")
    pending = await member.fake.next_message()
    assert "منتظر بررسی همیار" in pending.text and pending.has_button("↩️ پس گرفتن درخواست")
    await set_row(harness, Membership, (await memberships_of(harness, member))[0].id, status="active")
    await member.fake.send("عضویت در کانون")
    active = await member.fake.next_message()
    assert "شما عضو «کانون صاحب‌الزمان» هستید" in active.text and active.has_button("🚪 خروج از کانون")


async def test_cancel_and_stray_input_in_the_middle(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform, full_name=None, mobile=None)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.next_message()
    await member.fake.tap(card, SEND)
    await member.fake.next_message()  # the name, please
    await member.fake.send("/help")
    assert "میانه‌ی یک کار" in (await member.fake.next_message()).text
    await member.fake.send("علی ۱۲")
    assert "عدد" in (await member.fake.next_message()).text
    await member.fake.send("مریم احمدی")
    await member.fake.next_message()  # the mobile, please
    await member.fake.send_contact(contact_user_id=999)
    assert "خود شما نیست" in (await member.fake.next_message()).text
    await member.fake.send("12345")
    assert "درست نیست" in (await member.fake.next_message()).text
    await member.fake.send("لغو")
    assert "لغو شد" in (await member.fake.next_message()).text
    assert await memberships_of(harness, member) == []


async def test_restart_in_the_middle_of_joining_resumes_at_the_same_step(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform, full_name=None, mobile=None)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.next_message()
    await member.fake.tap(card, SEND)
    await member.fake.next_message()
    await harness.settle()
    await harness.restart()
    await member.fake.send("مریم احمدی")
    assert "شماره موبایل" in (await member.fake.next_message()).text
    await harness.settle()
    await harness.restart()
    await member.fake.send("۰۹۱۲ ۳۴۵ ۶۷۸۹")
    assert "ثبت شد" in (await member.fake.next_message()).text
    request = await staffed.assistant.fake.next_message()
    assert "مریم احمدی" in request.text and "۰۹۱۲۳۴۵۶۷۸۹" in request.text


async def test_a_command_or_link_while_name_or_mobile_is_asked_keeps_what_was_typed(
    harness: Harness, platform: Platform,
) -> None:
    """Once the name or mobile is being asked, /join, a center's link or the menu's «عضویت در
    کانون» get «you are in the middle of something» (as in registration), never a silent restart."""
    staffed = await center(harness, platform)
    other = await center(harness, platform, name="کانون الغدیر")
    member = await person(harness, platform, full_name=None, mobile=None)
    await member.fake.send(f"/start c-{staffed.center.code}")
    await member.fake.tap(await member.fake.next_message(), SEND)
    assert "نام و نام خانوادگی" in (await member.fake.next_message()).text
    for interruption in ("/join", f"/start c-{other.center.code}", "عضویت در کانون"):
        await member.fake.send(interruption)
        stray = await member.fake.next_message()
        assert "میانه‌ی یک کار" in stray.text and "«❌ انصراف»" in stray.text and "/" not in stray.text, interruption
    await member.fake.send("مریم احمدی")
    assert "شماره موبایل" in (await member.fake.next_message()).text
    await member.fake.send(f"/start c-{other.center.code}")
    assert "میانه‌ی یک کار" in (await member.fake.next_message()).text
    await member.fake.send("09121234567")
    assert "«کانون صاحب‌الزمان» ثبت شد" in (await member.fake.next_message()).text
    request = await staffed.assistant.fake.next_message()
    assert "مریم احمدی" in request.text and "۰۹۱۲۱۲۳۴۵۶۷" in request.text
    assert [(m.center_id, m.status) for m in await memberships_of(harness, member)] == [(staffed.center.id, "pending")]


async def test_a_replayed_send_tap_finds_the_request_already_pending(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.expect(staffed.center.name)
    await member.fake.tap(card, SEND)
    await member.fake.tap(card, SEND)  # a double tap, or the update delivered again
    await harness.settle()
    answers = [m.text for m in member.fake.messages[1:]]
    assert len(answers) == 2 and "ثبت شد" in answers[0] and "درخواست دوباره لازم نیست" in answers[1]
    assert len(await memberships_of(harness, member)) == 1
    assert len([m for m in staffed.assistant.fake.messages if "درخواست عضویت" in m.text]) == 1
    assert len(await deliveries(harness, "join_request")) == 1
