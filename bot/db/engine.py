"""Engine and session factory for SQLite (default) and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection, IsolationLevel
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.sqlite_hops import OneHopDBAPI

SessionFactory = async_sessionmaker[AsyncSession]


# Each SQLite connection has its own page cache (2 MB by default), and the bot keeps one connection
# per update in flight: 256 KB holds a statement's pages, and the operating system caches the file for
# all of them. At the default, 200 people at once took the bot to 193 MB (154 MB at 256 KB).
SQLITE_CACHE_KB = 256


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers work during a broadcast's writes; busy_timeout waits instead of failing
    # when two writers meet; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")  # negative: in KB
    cursor.close()


def _begin_before_savepoint(connection: Connection, _name: str) -> None:
    # Python's sqlite3 (under aiosqlite) opens a transaction only before a write, so a SAVEPOINT
    # after reads would open one of its own, and its RELEASE would commit it: the unit of work
    # could no longer roll back what the savepoint wrote. A real BEGIN first keeps it in the unit.
    driver = connection.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    if not driver.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _in_transaction(dbapi_connection: Any) -> bool:
    try:
        return bool(dbapi_connection.driver_connection.in_transaction)
    except Exception:  # closed or invalidated: let the driver say so
        return True


def _skip_idle_commits(engine: AsyncEngine) -> None:
    """COMMIT only when SQLite has a transaction open. Python's sqlite3 opens one only before a
    write, so a unit of work that only read has none, and its COMMIT is a no-op in sqlite3 — but
    through aiosqlite still a hop to the connection's thread and back. The check reads sqlite3's
    own flag; SQLAlchemy commits only once every statement before has finished, so no statement
    of this connection can still be on its way. (ROLLBACK keeps its hop: after a cancelled
    statement, one may still be queued behind it and open a transaction that must be ended.)"""
    dialect = engine.sync_engine.dialect
    commit = dialect.do_commit

    def do_commit(dbapi_connection: Any) -> None:
        if _in_transaction(dbapi_connection):
            commit(dbapi_connection)

    setattr(dialect, "do_commit", do_commit)  # this engine's dialect object only


def _cheap_autocommit(engine: AsyncEngine) -> None:
    """AUTOCOMMIT (bot.db.engine.autocommit, every update's read of who is writing) switches
    sqlite3's isolation_level on checkout and back on return. Back is SQLite's default,
    SERIALIZABLE, for which SQLAlchemy also runs `PRAGMA read_uncommitted = 0`: a statement, three
    more hops to aiosqlite's thread. Nothing here ever sets read_uncommitted, unless a connection
    was asked for READ UNCOMMITTED: those (remembered) still get the PRAGMA."""
    dialect = engine.sync_engine.dialect
    original = dialect.set_isolation_level
    read_uncommitted: weakref.WeakSet[Any] = weakref.WeakSet()

    def set_isolation_level(dbapi_connection: Any, level: IsolationLevel) -> None:
        driver = dbapi_connection.driver_connection
        if level == "AUTOCOMMIT" or (level == "SERIALIZABLE" and driver not in read_uncommitted):
            dbapi_connection.isolation_level = None if level == "AUTOCOMMIT" else ""
            return
        original(dbapi_connection, level)
        if level == "READ UNCOMMITTED":
            read_uncommitted.add(driver)
        else:
            read_uncommitted.discard(driver)

    setattr(dialect, "set_isolation_level", set_isolation_level)


# A pooled PostgreSQL connection given back less than this long ago is handed out unpinged.
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_only_idle(engine: AsyncEngine) -> None:
    """pool_pre_ping checks a pooled connection before handing it out, so that one a restarted
    server closed is replaced instead of failing a statement. Through SQLAlchemy's asyncpg adapter
    that check is three round trips (BEGIN, `;`, ROLLBACK), for every checkout — and the inbox
    checks out several per update. A connection given back moments ago worked moments ago: only
    those idle longer are pinged. (A server restart within those moments fails one statement,
    which SQLAlchemy sees as a disconnect: it drops the pool's connections, and the caller retries
    as after any database error — an inbox row is claimed again, a webhook answered 503.)"""
    dialect = engine.sync_engine.dialect
    ping = dialect.do_ping
    returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def checked_in(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        if dbapi_connection is not None:  # None: invalidated, never handed out again
            returned[dbapi_connection.driver_connection] = time.monotonic()

    def do_ping(dbapi_connection: Any) -> bool:
        given_back = returned.pop(dbapi_connection.driver_connection, None)
        if given_back is not None and time.monotonic() - given_back < PING_AFTER_IDLE_SECONDS:
            return True
        return bool(ping(dbapi_connection))

    event.listen(engine.sync_engine, "checkin", checked_in)
    setattr(dialect, "do_ping", do_ping)  # this engine's dialect object only


# Connections kept open. One past the pool is closed when given back, so a pool smaller than a peak's
# needs opens and closes one for many of its updates: on SQLite an aiosqlite thread and its pragmas, on
# PostgreSQL a server process and its log-in (bench/interactive.py, 200 people at once, the join step:
# 243 connections opened with 10 + 10 against 103 with 32 + 8, and 9.2 → 6.4 ms of CPU per answer).
# The pool fills only as far as the peak needs.
# SQLite: one per update handled at once (settings.updates_in_flight), plus a few for the inbox, the
# sweeps and the sends.
SPARE_CONNECTIONS = 8
# PostgreSQL: an update holds its connection only for its statements, so half the updates in flight is
# enough; at most 40 per instance, as the server's default of 100 connections must serve several
# instances and the export worker too (docs/instances.md).
POSTGRES_POOL, POSTGRES_OVERFLOW = 32, 8


def create_engine(url: str, in_flight: int = 64) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                from bot.settings import ConfigError

                raise ConfigError(
                    f"Cannot create the folder for DATABASE_URL's SQLite file ({exc}); choose a writable path."
                ) from None
        # One hop to aiosqlite's thread per statement (OneHopDBAPI); the pool's size: SPARE_CONNECTIONS.
        in_memory = not parsed.database or parsed.database == ":memory:" or parsed.query.get("mode") == "memory"
        sizes = {} if in_memory else {"pool_size": in_flight + SPARE_CONNECTIONS, "max_overflow": SPARE_CONNECTIONS}
        engine = create_async_engine(url, module=OneHopDBAPI(), **sizes)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "savepoint", _begin_before_savepoint)
        _skip_idle_commits(engine)
        _cheap_autocommit(engine)
        return engine
    engine = create_async_engine(url, pool_pre_ping=True, pool_size=min(POSTGRES_POOL, in_flight),
                                 max_overflow=POSTGRES_OVERFLOW)
    _ping_only_idle(engine)
    return engine


def session_factory(engine: AsyncEngine) -> SessionFactory:
    # expire_on_commit=False: objects stay readable after commit without a lazy reload.
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def unit_of_work(sessions: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One transaction for one intent: services flush, this commits once at the end (or rolls
    back if the block raises), so every row an intent writes lands together or not at all."""
    async with sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


@asynccontextmanager
async def autocommit(sessions: SessionFactory) -> AsyncIterator[AsyncSession]:
    """A session whose every statement commits by itself: one round trip per statement, no
    BEGIN or COMMIT (for single statements that are atomic alone: a read, a conditional UPDATE,
    a multi-row INSERT). Never for two writes that must land together: use unit_of_work."""
    async with sessions() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session
