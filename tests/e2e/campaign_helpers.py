"""Shared set-up for the campaign e2e tests: an active center with members on both platforms,
made with tests/factories.py (the registration and joining flows are other features)."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import delete
from sqlmodel import select

from bot.db.engine import SessionFactory
from bot.db.models import Campaign, Center, ConversationState, Delivery, Reminder, User, UserData
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.factories import add_member, make_active_center, make_user
from bot.emulator import FakeBotApi, FakeUser
from bot.emulator.server import BotMessage

CALL_QUESTION = "آیا در این پویش شرکت می‌کنید؟"
YES, NO = "شرکت می‌کنم", "نمی‌توانم"
CHOSEN = "✔️ "


@dataclass
class People:
    center: Center
    leader: FakeUser
    leader_row: User
    assistant: FakeUser
    members: list[FakeUser] = field(default_factory=list)
    rows: dict[int, User] = field(default_factory=dict)  # FakeUser id -> row

    @property
    def recipients(self) -> list[FakeUser]:
        """Who receives the leader's calls: the members and the assistant."""
        return [*self.members, self.assistant]


async def person(harness: Harness, platform: Platform, name: str, started: bool = True) -> tuple[FakeUser, User]:
    fake = harness.user(platform, first_name=name, last_name=None)
    fake.started = started
    row = await make_user(harness.sessions, platform.value, fake.user_id, first_name=name)
    return fake, row


async def center_with_members(
    harness: Harness, leader_platform: Platform, telegram: int = 2, bale: int = 2, status: str = "active",
) -> People:
    leader, leader_row = await person(harness, leader_platform, "راهبر")
    other = Platform.BALE if leader_platform is Platform.TELEGRAM else Platform.TELEGRAM
    assistant, assistant_row = await person(harness, other, "همیار")
    center = await make_active_center(harness.sessions, leader_row, assistant_row)
    if status != "active":
        async with harness.sessions() as session:
            row = await session.get(Center, center.id)
            row.status = status
            session.add(row)
            await session.commit()
            center = row
    people = People(center, leader, leader_row, assistant)
    people.rows[assistant.user_id] = assistant_row
    for platform, count in ((Platform.TELEGRAM, telegram), (Platform.BALE, bale)):
        for i in range(count):
            fake, row = await person(harness, platform, f"عضو{platform.value[0]}{i}")
            await add_member(harness.sessions, center, row)
            people.members.append(fake)
            people.rows[fake.user_id] = row
    return people


async def create_campaign(
    leader: FakeUser, title: str = "کمک به سیل‌زدگان", body: str = "برای پاک‌سازی خانه‌های روستا بیایید.",
    when: str = "۱۴۰۵/۹/۱۵ ۱۸:۳۰", place: str | None = "مسجد جامع روستا", reminders_off: tuple[str, ...] = (),
) -> BotMessage:
    """Plays the whole creation conversation; returns the report message."""
    control = await draft_campaign(leader, title, body, when, place, reminders_off)
    await leader.tap(control, "📤 ارسال")
    await leader.expect("ارسال پویش آغاز شد")
    return await leader.expect("📊 گزارش پویش")


async def draft_campaign(
    leader: FakeUser, title: str = "کمک به سیل‌زدگان", body: str = "برای پاک‌سازی خانه‌های روستا بیایید.",
    when: str = "۱۴۰۵/۹/۱۵ ۱۸:۳۰", place: str | None = "مسجد جامع روستا", reminders_off: tuple[str, ...] = (),
) -> BotMessage:
    """Plays the creation conversation up to the preview; returns the message with «ارسال»."""
    await start_gathering(leader)
    await leader.expect("عنوان پویش")
    await leader.send(title)
    await leader.expect("توضیح پویش")
    await leader.send(body)
    await leader.expect("زمان پویش را بنویسید")
    await leader.send(when)
    await leader.expect("🗓 زمان:")
    await leader.expect("مکان پویش")
    if place is None:
        await leader.tap_keyboard("بدون مکان")
    else:
        await leader.send(place)
    toggles = await leader.expect("یادآوری")
    for name in reminders_off:
        await leader.tap(toggles, f"✅ {name}")
        toggles = await leader.wait_edit(toggles)
    await leader.tap(toggles, "ادامه ◀️")
    return await leader.expect("پیام بالا همان است")


async def start_gathering(leader: FakeUser) -> None:
    """/campaign, then «📅 گردهمایی» (a gathering: a time and a place) on the kind question."""
    await leader.send("/campaign")
    question = await leader.expect("نوع پویش")
    while not question.buttons:  # an earlier question, edited when its buttons were taken off
        question = await leader.expect("نوع پویش")
    await leader.tap(question, "📅 گردهمایی")


async def fresh(user: FakeUser, text: str) -> BotMessage:
    """The newest message with `text` that still has its buttons (earlier ones were edited)."""
    message = await user.expect(text)
    while not message.buttons:
        message = await user.expect(text)
    return message


async def invite_supporter(leader: FakeUser, supporter: FakeUser, center: str = "کانون صاحب‌الزمان") -> None:
    """The leader's «🤝 دعوت حامی» on their card; the supporter opens the link and accepts (issue 13)."""
    await leader.send("/mycenter")
    await leader.tap(await fresh(leader, "حامیان:"), "🤝 دعوت حامی")
    payload = re.findall(r"start=(s-[A-Za-z0-9_-]+)", (await leader.expect("دعوت حامی برای")).text)[0]
    await supporter.send(f"/start {payload}")
    await supporter.tap(await fresh(supporter, "دعوت شده‌اید حامی"), "✅ می‌پذیرم")
    await supporter.expect(f"شما حامی «{center}» شدید")


async def sent_out(harness: Harness, timeout: float = 15.0) -> None:
    """Wait until every broadcast (and pending report edit) has finished."""
    await harness.settle()
    await harness.deps.background.join(timeout=timeout)


async def campaign_rows(harness: Harness) -> list[Campaign]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Campaign).order_by(Campaign.id))).all())


async def deliveries(source: Harness | SessionFactory, purpose: str | None = None) -> list[Delivery]:
    """The delivery rows, read through the running bot or (while it is stopped) a session factory."""
    sessions = source.sessions if isinstance(source, Harness) else source
    async with sessions() as session:
        query = select(Delivery).order_by(Delivery.id)
        if purpose:
            query = query.where(Delivery.purpose == purpose)
        return list((await session.exec(query)).all())


async def reminder_rows(harness: Harness) -> list[Reminder]:
    async with harness.sessions() as session:
        return list((await session.exec(select(Reminder).order_by(Reminder.id))).all())


def calls_received(user: FakeUser, text: str = CALL_QUESTION) -> list[BotMessage]:
    return [m for m in user.messages if text in m.text]


class Hold:
    """Lets the first `pass_first` calls of `method` (sendMessage) to `chat_ids` through, then
    holds the rest at the fake API (the request is in flight) until `release` is set."""

    def __init__(self, apis: dict[Platform, FakeBotApi], chat_ids: set[int], pass_first: int = 0,
                 method: str = "sendMessage") -> None:
        self.release = asyncio.Event()
        self.passed = self.held = 0
        self._changed = asyncio.Event()
        for api in apis.values():
            original = api._methods[method]

            async def send(params: dict, original=original) -> dict:  # noqa: ANN001
                if params.get("chat_id") in chat_ids and not self.release.is_set():
                    if self.passed < pass_first:
                        self.passed += 1
                    else:
                        self.held += 1
                        self._changed.set()
                        await self.release.wait()
                return await original(params)

            api._methods[method] = send

    async def until_held(self, count: int) -> None:
        async with asyncio.timeout(10):
            while self.held < count:
                self._changed.clear()
                await self._changed.wait()


@dataclass
class SavedState:
    """A person's stored conversation steps and user_data (drafts) at one moment."""

    conversations: list[ConversationState]
    user_data: UserData | None


def _is_theirs(user: FakeUser):  # noqa: ANN202
    # PTB's key in a private chat: (chat, user).
    key = json.dumps([user.chat_id, user.user_id])
    return (ConversationState.platform == user.api.flavour) & (ConversationState.key == key)


async def saved_state(sessions: SessionFactory, user: FakeUser) -> SavedState:
    async with sessions() as session:
        steps = (await session.exec(select(ConversationState).where(_is_theirs(user)))).all()
        data = await session.get(UserData, (user.api.flavour, user.user_id))
        return SavedState([ConversationState(**s.model_dump()) for s in steps],
                          UserData(**data.model_dump()) if data else None)


async def put_back(sessions: SessionFactory, user: FakeUser, saved: SavedState) -> None:
    """Store a person's conversation steps and drafts as they were when `saved` was taken, as
    if the process had died before it wrote what the updates since then changed."""
    async with sessions() as session:
        await session.exec(delete(ConversationState).where(_is_theirs(user)))
        await session.exec(delete(UserData).where(UserData.platform == user.api.flavour,
                                                  UserData.user_id == user.user_id))
        session.add_all(saved.conversations)
        if saved.user_data is not None:
            session.add(saved.user_data)
        await session.commit()
