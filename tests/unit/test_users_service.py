"""bot/services/users.py: the sender's row, kept in step with their profile, written only on change."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import User
from bot.services import users
from bot.services.users import Profile

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def _writes(sessions: SessionFactory) -> list[str]:
    """The INSERT/UPDATE statements the engine runs from now on."""
    written: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            written.append(statement)

    event.listen(sessions.kw["bind"].sync_engine, "before_cursor_execute", seen)
    return written


async def test_touch_creates_once_and_writes_only_what_changed(sessions: SessionFactory) -> None:
    profile = Profile(platform="telegram", platform_user_id=42, first_name="زهرا", last_name=None, username="zahra")
    written = _writes(sessions)
    async with unit_of_work(sessions) as session:
        created = await users.touch(session, profile)
    assert created.id is not None and len(written) == 1
    async with unit_of_work(sessions) as session:
        again = await users.touch(session, profile)
    assert again.id == created.id and len(written) == 1  # nothing changed: nothing written
    async with unit_of_work(sessions) as session:
        await users.touch(session, Profile("telegram", 42, "زهرا", "احمدی", "zahra"))
    assert len(written) == 2
    async with sessions() as session:
        [row] = (await session.exec(select(User))).all()
    assert (row.first_name, row.last_name, row.username) == ("زهرا", "احمدی", "zahra")


async def test_someone_who_blocked_the_bot_and_writes_again_is_reachable(sessions: SessionFactory) -> None:
    profile = Profile(platform="bale", platform_user_id=7, first_name="علی")
    async with unit_of_work(sessions) as session:
        await users.touch(session, profile)
        assert await users.note_blocked(session, "bale", 7, NOW)
        assert not await users.note_blocked(session, "bale", 8, NOW)  # nobody we know
    async with unit_of_work(sessions) as session:
        user = await users.touch(session, profile)
    assert user.blocked_at is None
    async with sessions() as session:
        assert (await session.get(User, user.id)).blocked_at is None


async def test_two_first_updates_racing_make_one_row(sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = Profile(platform="telegram", platform_user_id=9, first_name="رضا")
    async with unit_of_work(sessions) as session:
        theirs = await users.touch(session, profile)
    real, looks = users.repo.by_platform_id, []

    async def before_theirs_landed(*args):  # noqa: ANN002, ANN202
        looks.append(args)
        return None if len(looks) == 1 else await real(*args)

    monkeypatch.setattr(users.repo, "by_platform_id", before_theirs_landed)
    async with unit_of_work(sessions) as session:
        mine = await users.touch(session, profile)  # its insert is refused; theirs is the row
    assert mine.id == theirs.id and len(looks) == 2
    async with sessions() as session:
        assert len((await session.exec(select(User))).all()) == 1


def test_person_names_need_two_letters() -> None:
    assert users.has_name_letters("علی") and users.has_name_letters("Al")
    assert not users.has_name_letters("🎉🎉🎉") and not users.has_name_letters("ع ۱۲ !") and not users.has_name_letters("...")
