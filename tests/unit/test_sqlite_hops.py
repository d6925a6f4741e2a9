"""SQLite statements in one hop to aiosqlite's thread (bot/db/sqlite_hops.py), with everything
SQLAlchemy reads from a cursor still right. SQLite-only code: these run on a SQLite file of
their own whatever TEST_DATABASE_URL says."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import greenlet_spawn
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.engine import autocommit, create_engine, session_factory, unit_of_work
from bot.db.sqlite_hops import OneHopConnection, OneHopCursor


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/hops.db")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, n INT)"))
    yield engine
    await engine.dispose()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What went to aiosqlite's thread: the name of each function queued there."""
    queued: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        queued.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    yield queued


async def test_the_adapter_is_in_place_and_aiosqlite_has_what_it_uses(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.dbapi_connection, OneHopConnection)
    assert callable(aiosqlite.Connection._execute) and isinstance(aiosqlite.Connection._conn, property)


async def test_a_read_is_one_hop_in_a_unit_and_in_autocommit(engine: AsyncEngine, hops: list[str]) -> None:
    sessions = session_factory(engine)
    async with unit_of_work(sessions) as session:
        await session.connection()  # checked out (and returned) once before, so no connect below
    hops.clear()
    async with unit_of_work(sessions) as session:
        assert (await (await session.connection()).execute(text("SELECT count(*) FROM t"))).scalar() == 0
    async with autocommit(sessions) as session:
        assert (await (await session.connection()).execute(text("SELECT count(*) FROM t"))).scalar() == 0
    # One each: the statement. No cursor made or closed apart, no isolation level set apart,
    # no COMMIT or ROLLBACK of a transaction that never began.
    assert hops == ["_run", "_run"], hops


async def test_rollback_goes_to_the_thread_when_something_may_be_open(engine: AsyncEngine, hops: list[str]) -> None:
    sessions = session_factory(engine)
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessions) as session:
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('a')"))
            raise RuntimeError("the intent fails")
    assert hops.count("rollback") == 1  # a transaction was open
    async with engine.connect() as connection:
        adapted = (await connection.get_raw_connection()).dbapi_connection
        assert isinstance(adapted, OneHopConnection)
        hops.clear()
        adapted._queued += 1  # as if a cancelled statement were still on its way
        await greenlet_spawn(adapted.rollback)
        adapted._queued -= 1
        await greenlet_spawn(adapted.rollback)
    assert hops == ["rollback"]
    async with sessions() as session:
        assert (await (await session.connection()).execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_rows_rowcount_and_lastrowid_are_what_sqlite_says(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO t (name, n) VALUES ('a', 1)"))
        assert inserted.lastrowid == 1
        await connection.execute(text("INSERT INTO t (name, n) VALUES (:name, :n)"),
                                 [{"name": "b", "n": 2}, {"name": "c", "n": 3}])  # executemany
        updated = await connection.execute(text("UPDATE t SET n = n + 10 WHERE n >= 2"))
        assert updated.rowcount == 2
        returned = await connection.execute(text("UPDATE t SET n = n + 1 WHERE n > 10 RETURNING name"))
        assert sorted(r.name for r in returned) == ["b", "c"]
        rows = (await connection.execute(text("SELECT name, n FROM t ORDER BY id"))).all()
        assert [tuple(r) for r in rows] == [("a", 1), ("b", 13), ("c", 14)]
        assert (await connection.execute(text("SELECT name FROM t WHERE n = -1"))).first() is None


async def test_a_failed_statement_raises_and_the_connection_goes_on(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    with pytest.raises(IntegrityError):
        async with unit_of_work(sessions) as session:
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('a')"))
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('a')"))
    with pytest.raises(OperationalError):
        async with unit_of_work(sessions) as session:
            await (await session.connection()).execute(text("SELECT nothing FROM nowhere"))
    async with unit_of_work(sessions) as session:
        await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('b')"))
    async with sessions() as session:
        assert (await (await session.connection()).execute(text("SELECT group_concat(name) FROM t"))).scalar() == "b"  # 'a' rolled back


async def _driver(session: AsyncSession) -> int:
    return id((await (await session.connection()).get_raw_connection()).driver_connection)


async def test_autocommit_and_a_unit_on_one_connection_keep_their_own_rules(engine: AsyncEngine) -> None:
    """The isolation level is set by the next statement's hop: a write under AUTOCOMMIT commits
    by itself, and the unit that takes the same connection next still rolls back as one."""
    sessions = session_factory(engine)
    drivers: set[int] = set()
    for _ in range(2):
        async with autocommit(sessions) as session:
            drivers.add(await _driver(session))
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('by itself')"))
            await (await session.connection()).execute(text("DELETE FROM t WHERE name = 'by itself'"))
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('kept')"))
        async with engine.connect() as other:  # another connection sees it: nothing left open
            assert (await other.execute(text("SELECT count(*) FROM t WHERE name = 'kept'"))).scalar() == 1
        with pytest.raises(RuntimeError):
            async with unit_of_work(sessions) as session:
                drivers.add(await _driver(session))
                await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('undone')"))
                await (await session.connection()).execute(text("UPDATE t SET n = 7 WHERE name = 'kept'"))
                raise RuntimeError("the intent fails")
        async with sessions() as session:
            assert (await (await session.connection()).execute(text("SELECT name, n FROM t"))).all() == [("kept", None)]
            await (await session.connection()).execute(text("DELETE FROM t"))
            await session.commit()
    assert len(drivers) == 1  # the same pooled connection every time


async def test_a_streamed_read_after_autocommit_still_works(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    async with autocommit(sessions) as session:
        for i in range(5):
            await (await session.connection()).execute(text("INSERT INTO t (name) VALUES (:n)"), {"n": f"r{i}"})
    async with unit_of_work(sessions) as session:  # server-side cursor: SQLAlchemy's own, a batch per hop
        result = await session.stream(text("SELECT name FROM t ORDER BY id"))
        names = [row.name async for row in result]
        await (await session.connection()).execute(text("INSERT INTO t (name) VALUES ('after')"))
    assert names == [f"r{i}" for i in range(5)]


async def test_a_cancelled_write_still_queued_is_rolled_back(engine: AsyncEngine, hops: list[str]) -> None:
    """The case that kept ROLLBACK's hop before (bench/RESULTS.md 18:14): a statement cancelled
    while queued on aiosqlite's thread runs later and opens a transaction; the ROLLBACK that
    comes meanwhile is not skipped, and ends it."""
    gate = threading.Event()
    async with engine.connect() as connection:
        adapted = (await connection.get_raw_connection()).dbapi_connection
        assert isinstance(adapted, OneHopConnection)
        driver = cast(aiosqlite.Connection, adapted._connection)
        adapted.isolation_level = ""  # as in a unit of work: the INSERT begins a transaction
        held = asyncio.ensure_future(driver._execute(gate.wait))  # the thread busy: what comes next waits
        write = asyncio.ensure_future(OneHopCursor(adapted)._execute_async("INSERT INTO t (name) VALUES ('late')", None))
        while adapted._queued == adapted._ran:  # until the INSERT is in aiosqlite's queue
            await asyncio.sleep(0)
        write.cancel()
        rollback = asyncio.ensure_future(greenlet_spawn(adapted.rollback))
        while not rollback.done() and "rollback" not in hops:  # skipped, or queued behind the INSERT
            await asyncio.sleep(0)
        gate.set()
        await held
        await rollback
        assert adapted._queued == adapted._ran and not driver.in_transaction
    async with engine.connect() as other:
        assert (await other.execute(text("SELECT count(*) FROM t"))).scalar() == 0
