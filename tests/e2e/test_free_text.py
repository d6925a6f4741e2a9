"""Free text at the main menu reaches the right place (issue 10, item 1): one table of what
people type, each phrase sent by a new person on both platforms, over real HTTP."""

from __future__ import annotations

import pytest

from bot.persian.digits import persian_digits
from bot.platforms import Platform
from tests.e2e import join_helpers
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e

GREETED = "سلام، خوش آمدید"
THANKED = "خواهش می‌کنم"
JOINING = "کانون خود را چطور پیدا کنیم"
REGISTERING = "نام کانون را بنویسید"
NO_CENTER = "هنوز عضو هیچ کانونی نیستید"
NO_CAMPAIGNS = "برای پیوستن «عضویت در کانون» را بزنید"
HELPED = "اگر می‌خواهید کانون تازه‌ای راه بیندازید"  # the newcomer's help
MENU = "منوی اصلی"
NOTHING_TO_CANCEL = "کار نیمه‌تمامی نبود"
NOT_STAFF = "این بخش برای راهبر و همیار کانون است"
NOT_UNDERSTOOD = "متوجه نشدم"
CENTER = "کانون صاحب‌الزمان روستای قورچای"
CARD = "اگر این کانون شماست"
FOUND = "صاحب‌الزمان روستای قورچای"

# (what a person types, what the answer contains). «{code}» is the test center's code.
PHRASES: list[tuple[str, str]] = [
    # Greetings, thanks: answered kindly, with the menu.
    ("سلام", GREETED), ("سلاااام", GREETED), ("درود", GREETED), ("صبح بخیر", GREETED),
    ("سلام علیکم", GREETED), ("خسته نباشید", GREETED),
    ("ممنون", THANKED), ("مرسی", THANKED), ("دستتون درد نکنه", THANKED),
    # Joining: spoken and written, with and without ZWNJ or spaces, Arabic letters.
    ("می‌خوام عضو بشم", JOINING), ("میخوام عضو بشم", JOINING), ("می خوام عضو بشم", JOINING),
    ("عضویت", JOINING), ("عضو", JOINING), ("سلام میخوام عضو کانون بشم", JOINING), ("ثبت نام", JOINING),
    ("چطوری عضو شم؟", JOINING), ("عضويت در كانون", JOINING),
    # Registering a center.
    ("میخوام کانون ثبت کنم", REGISTERING), ("ثبت کانون جدید", REGISTERING), ("كانون بسازم", REGISTERING),
    ("راه‌اندازی کانون", REGISTERING), ("می‌خوام راهبر بشم", REGISTERING),
    # My center, campaigns, requests.
    ("کانون من", NO_CENTER), ("کانونم", NO_CENTER), ("كانون من", NO_CENTER), ("وضعیت درخواستم", NO_CENTER),
    ("لغو عضویت", NO_CENTER),
    ("پویش", NO_CAMPAIGNS), ("پویش‌ها", NO_CAMPAIGNS), ("پویشها", NO_CAMPAIGNS), ("برنامه ها", NO_CAMPAIGNS),
    ("درخواست‌ها", NOT_STAFF),
    # Help, the menu, cancel and back with nothing to cancel.
    ("کمک", HELPED), ("راهنما", HELPED), ("راهنمایی", HELPED), ("help", HELPED), ("چیکار کنم", HELPED), ("؟", HELPED),
    ("منو", MENU), ("منوی اصلی", MENU), ("صفحه اصلی", MENU), ("شروع", MENU), ("برگشت", MENU),
    ("لغو", NOTHING_TO_CANCEL), ("انصراف", NOTHING_TO_CANCEL), ("بیخیال", NOTHING_TO_CANCEL),
    # A center's code alone, in any digits and spacing, and its name alone (typos forgiven).
    ("{code}", CARD), ("{persian_code}", CARD), ("کد کانون {code}", CARD),
    ("صاحب الزمان", FOUND), ("صاحب زمان قورچای", FOUND), ("کانون قورچائی", FOUND),
    # A name nothing matches, a mobile number: not understood, said kindly.
    ("کلاغ سفید آسمان", NOT_UNDERSTOOD), ("09121234567", NOT_UNDERSTOOD),
]


def test_the_table_is_large_enough() -> None:
    assert len(PHRASES) >= 40


async def test_each_phrase_reaches_its_place(harness: Harness, platform: Platform) -> None:
    staffed = await join_helpers.center(harness, platform, name=CENTER, area="گلستان")
    code = str(staffed.center.code)
    wrong = []
    for typed, expected in PHRASES:
        user = harness.user(platform, first_name="رضا", last_name=None)
        await user.send(typed.format(code=code, persian_code=persian_digits(code[:3]) + " " + persian_digits(code[3:])))
        try:
            await user.expect(expected, timeout=5)
        except AssertionError:
            wrong.append((typed, expected, [m.text[:80] for m in user.messages]))
    assert wrong == []


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice"])
async def test_a_photo_sticker_or_voice_gets_one_friendly_line_and_the_menu(
    harness: Harness, platform: Platform, kind: str,
) -> None:
    user = harness.user(platform)
    if kind == "photo":
        await user.send_photo()
    elif kind == "sticker":
        await user.send_sticker()
    else:
        user._send_message(voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3})
    answer = await user.next_message()
    assert "نمی‌توانم بخوانم" in answer.text and "/" not in answer.text
    assert answer.reply_markup and "keyboard" in answer.reply_markup
