"""People as the bot knows them: one row per (platform, user id).

Functions here flush at most; the caller's unit of work commits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import User
from bot.db.repo import facilitation as facilitation_repo
from bot.db.repo import users as repo
from bot.persian.text import one_line

# A name (a person's or a center's) needs this many letters: «🎉🎉🎉» or «...» is no name.
NAME_LETTERS_MIN = 2


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


def id_of(user: User) -> int:
    """The row id of a user that has been written (every User a handler or action sees)."""
    assert user.id is not None, "a user row that was never flushed"
    return user.id


def letters_in(text: str) -> int:
    """How many letters (of any script) the text has; digits, emoji and punctuation are not."""
    return sum(1 for ch in text if unicodedata.category(ch).startswith("L"))


def has_name_letters(text: str) -> bool:
    return letters_in(text) >= NAME_LETTERS_MIN


async def find(session: AsyncSession, profile: Profile) -> User | None:
    return await repo.by_platform_id(session, profile.platform, profile.platform_user_id)


async def find_facilitating(session: AsyncSession, profile: Profile) -> tuple[User, bool] | None:
    """The person's row and whether they facilitate a live center (one read)."""
    return await facilitation_repo.person_serving(session, profile.platform, profile.platform_user_id)


async def find_many_facilitating(session: AsyncSession, platform: str,
                                 platform_user_ids: Sequence[int]) -> dict[int, tuple[User, bool]]:
    """find_facilitating for several people of one platform (one read), by platform user id."""
    return await facilitation_repo.people_serving(session, platform, platform_user_ids)


def in_step(user: User, profile: Profile) -> bool:
    """True when the row says what the profile says and the person is not marked as having
    blocked the bot: touch() would write nothing."""
    first_name = (profile.first_name or "")[:128]
    last_name = profile.last_name[:128] if profile.last_name else None
    return (user.blocked_at is None and user.first_name == first_name and user.last_name == last_name
            and user.username == profile.username)


async def touch(session: AsyncSession, profile: Profile) -> User:
    """The sender's row, created on first contact and kept in step with their profile.

    A user who writes to us has evidently not blocked the bot (any more). Nothing is written
    when nothing changed (the common case: one SELECT per update).
    """
    user = await repo.by_platform_id(session, profile.platform, profile.platform_user_id)
    first_name = (profile.first_name or "")[:128]
    last_name = profile.last_name[:128] if profile.last_name else None
    if user is None:
        user = User(platform=profile.platform, platform_user_id=profile.platform_user_id,
                    first_name=first_name, last_name=last_name, username=profile.username)
        try:
            async with session.begin_nested():  # the same person's two first updates may race
                session.add(user)
                await session.flush()
        except IntegrityError:  # the other insert won: theirs is the row
            found = await repo.by_platform_id(session, profile.platform, profile.platform_user_id)
            assert found is not None
            return found
        return user
    changed = user.blocked_at is not None
    for attr, value in (("first_name", first_name), ("last_name", last_name), ("username", profile.username)):
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    if changed:
        user.blocked_at = None
        session.add(user)
    return user


async def get(session: AsyncSession, user_id: int) -> User:
    user = await repo.by_id(session, user_id)
    assert user is not None, f"no user {user_id}"
    return user


async def set_contact_details(session: AsyncSession, user_id: int, full_name: str, mobile: str) -> User:
    """The name and mobile a person declared in a conversation (kept for their next flows)."""
    user = await get(session, user_id)
    user.full_name, user.mobile = full_name, mobile
    session.add(user)
    await session.flush()
    return user


async def note_blocked(session: AsyncSession, platform: str, platform_user_id: int, when: datetime) -> bool:
    """The person blocked the bot: broadcasts skip them until they write again."""
    return await repo.mark_blocked_by_platform_id(session, platform, platform_user_id, when)
