"""Coordination through PostgreSQL: one leader, who is alive, task locks, wake-ups, the shared
send pace. Real sessions on the test server; nothing waits on a clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SessionFactory, create_engine
from bot.instances.coordination import INBOX_CHANNEL, LocalCoordinator, PostgresCoordinator
from bot.instances.pace import SharedPace
from bot.platforms import Platform
from tests.conftest import POSTGRES_URL

postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL coordination (TEST_DATABASE_URL)")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@postgres_only
async def test_one_leader_and_the_next_takes_over_when_its_session_ends(engine: AsyncEngine) -> None:
    first, second = PostgresCoordinator(engine), PostgresCoordinator(engine)
    await first.open()
    await second.open()
    try:
        assert await first.try_lead() and not await second.try_lead()
        assert await first.still_leading()
        assert await first.live_instances() == {first.instance, second.instance}
        await first.close()  # as a killed process: its session, and every lock on it, is gone
        assert await second.live_instances() == {second.instance}
        assert await second.try_lead() and await second.still_leading()
    finally:
        await first.close()
        await second.close()


@postgres_only
async def test_a_leader_whose_connection_broke_knows_it_no_longer_leads(engine: AsyncEngine) -> None:
    leader, other = PostgresCoordinator(engine), PostgresCoordinator(engine)
    await leader.open()
    await other.open()
    try:
        assert await leader.try_lead()
        leader._connection.terminate()  # the network dropped it: the server released the lock
        assert not await leader.still_leading()
        assert await other.try_lead()
        assert not await leader.try_lead()  # reconnected, but the other leads now
    finally:
        await leader.close()
        await other.close()


@postgres_only
async def test_task_locks_run_a_task_once_in_the_cluster(engine: AsyncEngine) -> None:
    first, second = PostgresCoordinator(engine), PostgresCoordinator(engine)
    await first.open()
    await second.open()
    try:
        assert await first.try_lock("campaign:7")
        assert not await second.try_lock("campaign:7") and not await first.try_lock("campaign:7")
        assert await second.try_lock("campaign:8")
        await first.unlock("campaign:7")
        assert await second.try_lock("campaign:7")
    finally:
        await first.close()
        await second.close()


@postgres_only
async def test_notify_wakes_the_other_instances(engine: AsyncEngine) -> None:
    sender, listener = PostgresCoordinator(engine), PostgresCoordinator(engine)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener.listen(INBOX_CHANNEL, heard.put_nowait)
    await listener.open()
    await sender.open()
    try:
        await sender.notify(INBOX_CHANNEL, "new")
        assert await asyncio.wait_for(heard.get(), 10) == "new"
    finally:
        await sender.close()
        await listener.close()


@postgres_only
async def test_the_send_pace_is_shared_between_instances(sessions: SessionFactory) -> None:
    first, second = SharedPace(sessions, Platform.TELEGRAM), SharedPace(sessions, Platform.TELEGRAM)
    interval = 2.0  # long enough that the queries' own time hardly counts
    waits = [await pace.take(interval) for pace in (first, second, first, second)]
    assert [round(w / interval) for w in waits] == [0, 1, 2, 3]  # one slot after the other, whoever asks
    assert await SharedPace(sessions, Platform.BALE).take(interval) <= 0.5  # each bot has its own pace
    first.pause(30)  # a 429 seen by one holds back the other
    await asyncio.gather(*first._tasks)
    assert await second.take(interval) >= 29


async def test_sqlite_refuses_a_second_instance_on_the_same_file(tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite+aiosqlite:///{tmp_path}/k.db"
    first, second = LocalCoordinator(url), LocalCoordinator(url)
    await first.open()
    try:
        from bot.settings import ConfigError

        with pytest.raises(ConfigError, match="already running"):
            await second.open()
        assert await first.try_lead() and await first.live_instances() == {first.instance}
    finally:
        await first.close()
    await second.open()  # free again once the first is gone
    await second.close()
