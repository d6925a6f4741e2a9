"""People and centers for the joining tests: database rows tied to fake users who can be messaged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from bot.db.models import Center, Delivery, Membership, User
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.factories import make_active_center, make_user
from bot.emulator import FakeUser
from bot.emulator.server import BotMessage

SEND = "📨 ارسال درخواست عضویت"
APPROVE = "✅ تأیید"
REJECT = "❌ رد"


@dataclass
class Person:
    fake: FakeUser
    row: User

    @property
    def id(self) -> int:
        assert self.row.id is not None
        return self.row.id


async def person(harness: Harness, platform: Platform, full_name: str | None = "مریم احمدی",
                 mobile: str | None = "09121234567", first_name: str = "مریم") -> Person:
    """Someone who has already used the bot (so it may message them), with a profile or without."""
    fake = harness.user(platform, first_name=first_name, last_name=None)
    fake.started = True
    row = await make_user(harness.sessions, platform=platform.value, platform_user_id=fake.user_id,
                          first_name=first_name, full_name=full_name, mobile=mobile)
    return Person(fake, row)


@dataclass
class Staffed:
    center: Center
    leader: Person
    assistant: Person


async def center(harness: Harness, platform: Platform, name: str = "کانون صاحب‌الزمان",
                 area: str | None = "بوشهر، روستای نظرآقا", assistant_platform: Platform | None = None,
                 kind: str = "mosque") -> Staffed:
    leader = await person(harness, platform, "حسن جمالی", "09171111111", first_name="حسن")
    assistant = await person(harness, assistant_platform or platform, "زهرا قادری", "09172222222", first_name="زهرا")
    row = await make_active_center(harness.sessions, leader.row, assistant.row, name=name, kind=kind, area=area)
    return Staffed(row, leader, assistant)


async def set_row(harness: Harness, model: type, row_id: int, **values: object) -> None:
    async with harness.sessions() as session:
        row = await session.get(model, row_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        await session.commit()


async def memberships_of(harness: Harness, who: Person) -> list[Membership]:
    async with harness.sessions() as session:
        query = select(Membership).where(Membership.user_id == who.id).order_by(Membership.id)
        return list((await session.exec(query)).all())


async def deliveries(harness: Harness, purpose: str) -> list[Delivery]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Delivery).where(Delivery.purpose == purpose))).all())


async def ask_by_link(harness: Harness, member: Person, staffed: Staffed) -> BotMessage:
    """The member opens the center's link and sends the request (profile already complete)."""
    await member.fake.send(f"/start c-{staffed.center.code}")
    card = await member.fake.expect(staffed.center.name)
    await member.fake.tap(card, SEND)
    await member.fake.expect("ثبت شد")
    return await staffed.assistant.fake.expect("درخواست عضویت")


def texts_since(user: FakeUser, count_before: int) -> list[str]:
    return [m.text for m in user.messages[count_before:]]
