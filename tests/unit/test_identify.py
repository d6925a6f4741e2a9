"""bot/actions/users.py identify: who is writing, read ahead by the inbox for a batch of claimed
updates (one statement for all), else read alone; a read-ahead that no longer says what the
profile says is not trusted."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import event

from bot.actions import users as actions
from bot.db.engine import SessionFactory, autocommit, unit_of_work
from bot.deps import Deps
from bot.services import users
from bot.services.users import Profile
from bot.settings import Settings

T = TypeVar("T")


def _statements(sessions: SessionFactory) -> list[str]:
    seen: list[str] = []
    event.listen(sessions.kw["bind"].sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


def _deps(sessions: SessionFactory) -> Deps:
    return Deps(settings=Settings(_env_file=None, telegram_token="111111:identify-test-token"), sessions=sessions)


async def _in_a_task_with(ahead: actions.Identified | None, call: Callable[[], Awaitable[T]]) -> T:
    """As the inbox worker does: the read-ahead set in the update's own context."""
    context = contextvars.copy_context()
    context.run(actions.READ_AHEAD.set, ahead)
    return await asyncio.get_running_loop().create_task(call(), context=context)


async def _known(sessions: SessionFactory, *profiles: Profile) -> None:
    async with unit_of_work(sessions) as session:
        for profile in profiles:
            await users.touch(session, profile)


async def test_a_batch_of_senders_is_read_in_one_statement(sessions: SessionFactory) -> None:
    zahra, ali = Profile("telegram", 1, "زهرا"), Profile("telegram", 2, "علی")
    await _known(sessions, zahra, ali, Profile("bale", 1, "حسن"))
    seen = _statements(sessions)
    async with autocommit(sessions) as session:
        ahead = await actions.read_ahead(session, "telegram", [1, 2, 3])
    assert len([s for s in seen if s.lstrip().startswith("SELECT")]) == 1
    assert sorted(ahead) == [1, 2]  # 3 has never written; bale's 1 is another person
    assert (ahead[1].user.first_name, ahead[2].user.first_name) == ("زهرا", "علی")
    assert (ahead[1].facilitates, ahead[2].facilitates) == (False, False)


async def test_a_sender_read_ahead_costs_no_statement(sessions: SessionFactory) -> None:
    zahra = Profile("telegram", 1, "زهرا")
    await _known(sessions, zahra)
    async with autocommit(sessions) as session:
        ahead = (await actions.read_ahead(session, "telegram", [1]))[1]
    seen = _statements(sessions)
    found = await _in_a_task_with(ahead, lambda: actions.identify(_deps(sessions), zahra))
    assert found is ahead and seen == []


async def test_a_changed_name_or_another_person_is_not_taken_from_the_read_ahead(sessions: SessionFactory) -> None:
    zahra = Profile("telegram", 1, "زهرا")
    await _known(sessions, zahra, Profile("telegram", 2, "علی"))
    async with autocommit(sessions) as session:
        ahead = await actions.read_ahead(session, "telegram", [1, 2])
    renamed = Profile("telegram", 1, "زهرا", "احمدی")
    found = await _in_a_task_with(ahead[1], lambda: actions.identify(_deps(sessions), renamed))
    assert found.user.last_name == "احمدی"  # written, not the stale read-ahead
    async with autocommit(sessions) as session:
        again = await actions.read_ahead(session, "telegram", [1])
    assert again[1].user.last_name == "احمدی"
    other = await _in_a_task_with(ahead[2], lambda: actions.identify(_deps(sessions), renamed))
    assert other.user.platform_user_id == 1  # another update's sender is never used


async def test_without_a_read_ahead_the_sender_is_read(sessions: SessionFactory) -> None:
    zahra = Profile("telegram", 1, "زهرا")
    await _known(sessions, zahra)
    seen = _statements(sessions)
    found = await _in_a_task_with(None, lambda: actions.identify(_deps(sessions), zahra))
    assert found.user.first_name == "زهرا" and len(seen) == 1
