"""A plain step costs the database at most two round trips (statements and commits): who is
writing (one read while nothing about them changed), then the step's own work; persistence
writes nothing when nothing changed."""

from __future__ import annotations

import pytest

from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.roundtrips import counting

pytestmark = pytest.mark.e2e


async def test_a_returning_persons_start_and_help_cost_one_read_each(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, "مریم", "احمدی")
    await user.send("/start")  # first contact: the row is written
    await user.next_message()
    await harness.settle()
    assert harness.kanoon is not None
    for command in ("/start", "/help", "/start"):
        with counting(harness.kanoon.engine) as trips:
            await user.send(command)
            await user.next_message()
            await harness.settle()
        assert trips.total <= 2, trips.statements
        assert trips.commits == 0 and len(trips.statements) == 1, trips.statements  # the read of who is writing


async def test_a_changed_profile_is_written_once(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, "مریم", "احمدی")
    await user.send("/start")
    await user.next_message()
    await harness.settle()
    user.first_name = "مریم‌السادات"
    assert harness.kanoon is not None
    with counting(harness.kanoon.engine) as trips:
        await user.send("/start")
        await user.next_message()
        await harness.settle()
    assert trips.commits == 1, trips.statements
    async with harness.sessions() as session:
        from sqlmodel import select

        from bot.db.models import User

        row = (await session.exec(select(User).where(User.platform_user_id == user.id))).one()
    assert row.first_name == "مریم‌السادات"
