"""Playing the registration through the fake Bot API: shared by the registration e2e tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import select

from bot.db.engine import create_engine, session_factory
from bot.db.models import AssistantInvitation, Center, ConversationState, User, UserData
from bot.platforms import Platform
from tests.e2e.harness import USERNAMES, Harness
from bot.emulator import FakeUser
from bot.emulator.server import BotMessage

CONFIRM = "✅ تأیید"
ACCEPT = "✅ قبول"
DECLINE = "❌ رد"
SKIP = "رد شدن"
CANCEL = "❌ انصراف"
SHARE = "📱 ارسال شماره من"

_LINK_RE = re.compile(r"https://(?:t\.me|ble\.ir)/(\w+)\?start=(a-[A-Za-z0-9_-]+)")


def invite_links(message: BotMessage) -> dict[str, str]:
    """{bot username: payload} of the invitation links in a forwardable message."""
    return dict(_LINK_RE.findall(message.text))


def invite_token(message: BotMessage) -> str:
    payloads = set(invite_links(message).values())
    assert len(payloads) == 1, message.text
    return payloads.pop().removeprefix("a-")


async def fill_leader_answers(
    leader: FakeUser, *, name: str = "کانون صاحب‌الزمان", kind: str = "هم‌مسجدی", area: str | None = "بوشهر، روستای نظرآقا",
    description: str | None = None, full_name: str | None = None, mobile: str | None = None,
) -> BotMessage:
    """From /register to the review card (a leader with no saved details)."""
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await leader.send(name)
    kinds = await leader.expect("در چه چیزی با هم مشترک‌اند")
    await leader.tap(kinds, kind)
    await leader.expect("کدام استان، شهر یا روستا")
    await (leader.send(area) if area is not None else leader.tap_keyboard(SKIP))
    await leader.expect("توضیح کوتاه")
    await (leader.send(description) if description is not None else leader.tap_keyboard(SKIP))
    await leader.expect("نام و نام خانوادگی خود را")
    await (leader.send(full_name) if full_name else leader.tap_keyboard(f"{leader.first_name} {leader.last_name}"))
    await leader.expect("شماره موبایل")
    await (leader.send(mobile) if mobile else leader.tap_keyboard(SHARE))
    return await leader.expect("بررسی مشخصات کانون")


async def register(leader: FakeUser, **answers: object) -> str:
    """The whole leader's conversation; returns the assistant invitation's token."""
    review = await fill_leader_answers(leader, **answers)  # type: ignore[arg-type]
    await leader.tap(review, CONFIRM)
    assert "✅ ثبت شد" in (await leader.wait_edit(review)).text
    await leader.expect("منتظر همیار است")
    await leader.expect("پیام بعدی را برای")
    forward = await leader.expect("از شما دعوت کرده است که همیار")
    return invite_token(forward)


async def accept(assistant: FakeUser, token: str, *, full_name: str = "زهرا احمدی", mobile: str = "۰۹۱۷۱۲۳۴۵۶۷") -> BotMessage:
    """The invited person opens the link, accepts and gives their details; returns the final message."""
    await assistant.send(f"/start a-{token}")
    card = await assistant.expect("دعوت به همیاری کانون")
    await assistant.tap(card, ACCEPT)
    await assistant.expect("نام و نام خانوادگی خود را")
    await assistant.send(full_name)
    await assistant.expect("شماره موبایل")
    await assistant.send(mobile)
    return await assistant.expect("✅ شما همیار «")


async def center_of(harness: Harness, leader: FakeUser, platform: Platform | str) -> Center:
    async with harness.sessions() as session:
        user = (await session.exec(select(User).where(
            User.platform == str(platform), User.platform_user_id == leader.user_id,
        ))).one()
        return (await session.exec(select(Center).where(Center.leader_id == user.id).order_by(Center.id.desc()))).first()


async def user_row(harness: Harness, fake: FakeUser, platform: Platform | str) -> User:
    async with harness.sessions() as session:
        return (await session.exec(select(User).where(
            User.platform == str(platform), User.platform_user_id == fake.user_id,
        ))).one()


async def invitations(harness: Harness, center_id: int) -> list[AssistantInvitation]:
    async with harness.sessions() as session:
        query = select(AssistantInvitation).where(AssistantInvitation.center_id == center_id)
        return list((await session.exec(query.order_by(AssistantInvitation.id))).all())


def bot_links(message: BotMessage) -> set[str]:
    """The bots the message links to, e.g. {kanoon_tg_bot, kanoon_bale_bot}."""
    return set(invite_links(message))


ALL_BOTS = set(USERNAMES.values())


# --- a crash before the step was saved ---------------------------------------------------------


@dataclass
class SavedState:
    """Conversation steps and user_data as persisted at one moment."""

    conversations: list[tuple[str, str, str, str]]
    user_data: list[tuple[str, int, str]]


async def saved_state(harness: Harness) -> SavedState:
    """What the database holds of every conversation now (after every update was handled)."""
    await harness.settle()
    async with harness.sessions() as session:
        conversations = [(r.platform, r.name, r.key, r.state) for r in (await session.exec(select(ConversationState))).all()]
        user_data = [(r.platform, r.user_id, r.data) for r in (await session.exec(select(UserData))).all()]
    return SavedState(conversations, user_data)


async def crash_back_to(harness: Harness, saved: SavedState) -> None:
    """Stop the bot and start it again with the conversations as they were in `saved`: as if the
    process had died after doing the work of the updates since, but before saving their steps."""
    await harness.settle()
    await harness.stop()
    engine = create_engine(harness.database_url)
    async with session_factory(engine)() as session:
        await session.exec(delete(ConversationState))
        await session.exec(delete(UserData))
        session.add_all([ConversationState(platform=p, name=n, key=k, state=s) for p, n, k, s in saved.conversations])
        session.add_all([UserData(platform=p, user_id=u, data=d) for p, u, d in saved.user_data])
        await session.commit()
    await engine.dispose()
    await harness.start()
