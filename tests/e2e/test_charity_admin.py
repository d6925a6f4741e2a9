"""An admin invites a supporter (حامی) for any active center; the admin's figures count them."""

from __future__ import annotations

import re

import pytest

from bot import callbacks as cb
from bot.platforms import Platform
from tests.e2e.association_helpers import admin, harness, world  # noqa: F401  (harness: the fixture with admins)
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e


async def test_an_admin_invites_a_supporter_and_the_figures_count_them(harness: Harness, platform: Platform) -> None:  # noqa: F811
    w = await world(harness, platform)
    boss = admin(harness, Platform.TELEGRAM)
    await boss.send("/admin")
    home = await boss.expect("نگاه کلی")
    assert "🤝 حامیان: ۰" in home.text
    await boss.forge_tap(home, cb.ADMIN_CENTER.build(w.other.center.id))
    card = await boss.wait_edit(home)
    await boss.tap(card, "🤝 دعوت حامی")
    invitation = await boss.expect("دعوت حامی برای «کانون شهدای هوتک»")
    payload = re.findall(r"start=(s-[A-Za-z0-9_-]+)", invitation.text)[0]
    stranger = w.stranger.fake
    await stranger.send(f"/start {payload}")
    await stranger.tap(await stranger.expect("دعوت شده‌اید حامی"), "✅ می‌پذیرم")
    await stranger.expect("شما حامی «کانون شهدای هوتک» شدید")
    await boss.send("/admin")
    assert "🤝 حامیان: ۱" in (await boss.expect("نگاه کلی")).text
    # Not an admin: the same button is refused.
    member = w.member.fake
    await member.send("/start")
    query = await member.forge_tap(await member.next_message(), cb.SUPPORTER_INVITE_FOR.build(w.other.center.id))
    assert await member.callback_answer(query) == "این دکمه دیگر معتبر نیست."
