"""Registering a center end to end: the leader's conversation, the assistant's acceptance, the ID."""

from __future__ import annotations

import pytest

from bot.platforms import Platform
from bot.services import center_codes
from bot.text import persian_digits
from tests.e2e.harness import Harness
from tests.e2e.registration_steps import ALL_BOTS, accept, bot_links, center_of, register, user_row

pytestmark = pytest.mark.e2e


async def test_happy_path_from_register_to_an_active_center_with_an_id(harness: Harness, platform: Platform) -> None:
    leader = harness.user(platform, first_name="علی", last_name="رضایی")
    assistant = harness.user(platform, first_name="زهرا", last_name="احمدی")
    token = await register(leader)
    center = await center_of(harness, leader, platform)
    assert center.status == "awaiting_assistant" and center.code is None
    done = await accept(assistant, token)
    center = await center_of(harness, leader, platform)
    assert center.status == "active"
    assert center_codes.is_valid(center.code)
    assert persian_digits(center.code) in done.text
    activated = await leader.expect("کانون شما فعال شد")
    assert persian_digits(center.code) in activated.text
    members = await leader.expect("شما را به عضویت در «")
    assert f"c-{center.code}" in members.text
    row = await user_row(harness, assistant, platform)
    assert center.assistant_id == row.id
    assert (row.full_name, row.mobile) == ("زهرا احمدی", "09171234567")
