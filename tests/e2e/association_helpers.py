"""Set-up for the association's e2e tests: a bot with admins (ADMIN_IDS), one per platform,
and facilitators appointed straight in the database when the appointment is not the subject."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.db.models import AuditEvent, Center, Facilitator, Membership
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import Person, Staffed, center, person
from tests.factories import add_member
from bot.emulator import FakeBotApi, FakeUser

ADMIN_IDS = {Platform.TELEGRAM: 9_000_001, Platform.BALE: 1_900_000_001}
ADMIN_ONLY = "این بخش فقط برای کارکنان انجمن حامیان است."
ASK = "💬 پرسش از رهیار"


@pytest.fixture
async def harness(database_url: str, apis: dict[Platform, FakeBotApi]) -> AsyncIterator[Harness]:
    """The bot with one admin on each platform (overrides tests/e2e/conftest.py's)."""
    running = Harness(database_url, apis, admin_ids=",".join(f"{p.value}:{i}" for p, i in ADMIN_IDS.items()))
    await running.start()
    yield running
    await running.settle()
    await running.stop()
    running.check_platform_rules()


def admin(harness: Harness, platform: Platform) -> FakeUser:
    fake = harness.user(platform, first_name="مدیر", last_name="انجمن", user_id=ADMIN_IDS[platform])
    fake.started = True
    return fake


@dataclass
class World:
    """Two active centers, a member of the first, and a person outside everything."""

    staffed: Staffed
    other: Staffed
    member: Person
    stranger: Person


async def world(harness: Harness, platform: Platform) -> World:
    staffed = await center(harness, platform)
    other = await center(harness, platform, name="کانون شهدای هوتک", area="کرمان، هوتک", kind="tribe")
    member = await person(harness, platform, "مریم احمدی", "09121234567", first_name="مریم")
    await add_member(harness.sessions, staffed.center, member.row)
    stranger = await person(harness, platform, "غریبه", "09130000000", first_name="غریبه")
    await backdate(harness, days=3)
    return World(staffed, other, member, stranger)


async def backdate(harness: Harness, days: float) -> None:
    """The factories stamp rows with the real time; the bot runs on the harness clock. Move
    every center's and membership's times to `days` before the clock."""
    when = harness.clock() - timedelta(days=days)
    async with harness.sessions() as session:
        await session.exec(update(Center).values(created_at=when, activated_at=when))  # type: ignore[call-overload]
        await session.exec(update(Membership).values(requested_at=when, decided_at=when))  # type: ignore[call-overload]
        await session.commit()


async def appoint(harness: Harness, facilitator: Person, *centers: Center, name: str = "رهیار رضایی",
                  org_id: int | None = None) -> None:
    """A facilitator serving these centers, written straight in the database."""
    async with harness.sessions() as session:
        session.add(Facilitator(user_id=facilitator.id, name=name, org_id=org_id, appointed_at=harness.clock()))
        for item in centers:
            row = await session.get(Center, item.id)
            row.facilitator_id = facilitator.id
            session.add(row)
        await session.commit()


async def center_row(harness: Harness, center_id: int) -> Center:
    async with harness.sessions() as session:
        row = await session.get(Center, center_id)
        assert row is not None
        return row


async def audit_of(harness: Harness, action: str) -> list[AuditEvent]:
    async with harness.sessions() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def memberships(harness: Harness, center_id: int) -> list[Membership]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Membership).where(Membership.center_id == center_id))).all())
