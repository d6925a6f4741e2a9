"""IDs of both lengths: new centers get 8 digits, IDs issued before (7 digits) still work,
typed in any digits or followed from a link; a mistyped one of either length is reported."""

from __future__ import annotations

import pytest

from bot import links
from bot.db.models import Center
from bot.persian.text import persian_digits
from bot.platforms import Platform
from bot.services import center_codes
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import center, person, set_row

pytestmark = pytest.mark.e2e

SEVEN_DIGITS = center_codes.with_check_digit(192489)  # issued under the 7-digit scheme


@pytest.mark.parametrize("code", [SEVEN_DIGITS, center_codes.with_check_digit(1_924_893)], ids=["7", "8"])
async def test_a_center_is_found_by_its_id_of_either_length(harness: Harness, platform: Platform, code: int) -> None:
    staffed = await center(harness, platform)
    await set_row(harness, Center, staffed.center.id, code=code)
    seeker = await person(harness, platform, first_name="رضا")
    await seeker.fake.send("/join")
    await seeker.fake.next_message()
    await seeker.fake.send(persian_digits(code))
    assert "کانون صاحب‌الزمان" in (await seeker.fake.next_message()).text
    await seeker.fake.send("/cancel")
    await seeker.fake.next_message()
    await seeker.fake.send(f"/start {links.CENTER}{code}")
    assert "کانون صاحب‌الزمان" in (await seeker.fake.next_message()).text
    mistyped = str(code)[:-1] + str((code + 1) % 10)
    await seeker.fake.send(mistyped)
    assert "درست به نظر نمی‌رسد" in (await seeker.fake.next_message()).text
