"""A big center's members file is made in the background: the person who asked is answered
meanwhile, and a second tap while it is being made sends no second file."""

from __future__ import annotations

import asyncio

import pytest

from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import center, person
from tests.factories import add_member

pytestmark = pytest.mark.e2e


async def test_the_file_does_not_hold_up_the_person_who_asked(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    for n in range(3):
        member = await person(harness, platform, f"عضو {n}", f"0912000000{n}", first_name=f"عضو{n}")
        await add_member(harness.sessions, staffed.center, member.row)
    api = harness.apis[platform]
    release = asyncio.Event()
    original = api._methods["sendDocument"]

    async def held(params: dict) -> dict:  # the file is on its way for as long as the test says
        await release.wait()
        return await original(params)

    api._methods["sendDocument"] = held
    leader = staffed.leader.fake
    await leader.send("/members")
    listing = await leader.next_message()
    first = await leader.tap(listing, "📄 دریافت فایل اعضا")
    assert await leader.callback_answer(first) is None
    # While the file is being made, the same person is answered.
    await leader.send("/help")
    assert "راهنمای" in (await leader.next_message()).text
    again = await leader.tap(listing, "📄 دریافت فایل اعضا")
    assert "در حال آماده شدن" in (await leader.callback_answer(again) or "")
    release.set()
    sent = await leader.expect("فهرست اعضای")
    assert sent.document is not None and "۳ نفر" in sent.caption
    await harness.deps.background.join(timeout=10)
    assert sum(1 for m in leader.messages if m.document is not None) == 1
