"""People as the bot knows them: one row per (platform, user id)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User
from bot.db.repo import users as repo
from bot.persian.text import one_line


@dataclass(frozen=True)
class Profile:
    """What the messenger tells us about the sender; no Telegram types past this point."""

    platform: str
    platform_user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None

    @property
    def display_name(self) -> str:
        return one_line(" ".join(filter(None, [self.first_name, self.last_name])))


async def touch(session: AsyncSession, profile: Profile) -> User:
    """The sender's row, created on first contact and kept in step with their profile.

    A user who writes to us has evidently not blocked the bot (any more).
    """
    user = await repo.by_platform_id(session, profile.platform, profile.platform_user_id)
    if user is None:
        user = User(platform=profile.platform, platform_user_id=profile.platform_user_id)
    changed = user.id is None or user.blocked_at is not None
    for attr, value in (
        ("first_name", (profile.first_name or "")[:128]),
        ("last_name", profile.last_name[:128] if profile.last_name else None),
        ("username", profile.username),
    ):
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    if not changed:
        return user
    user.blocked_at = None
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:  # the same user's two first updates raced; the other insert won
        await session.rollback()
        user = await repo.by_platform_id(session, profile.platform, profile.platform_user_id)
        assert user is not None
    return user


async def set_contact_details(session: AsyncSession, user_id: int, full_name: str, mobile: str) -> User:
    """The name and mobile a person declared in a conversation (kept for their next flows)."""
    user = await repo.by_id(session, user_id)
    assert user is not None
    user.full_name, user.mobile = full_name, mobile
    session.add(user)
    await session.commit()
    return user
