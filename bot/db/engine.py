"""Engine and session factory for SQLite (default) and PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

SessionFactory = async_sessionmaker[AsyncSession]


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers work during a broadcast's writes; busy_timeout waits instead of failing
    # when two writers meet; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_before_savepoint(connection: Connection, _name: str) -> None:
    # Python's sqlite3 (under aiosqlite) opens a transaction only before a write, so a SAVEPOINT
    # after reads would open one of its own, and its RELEASE would commit it: the unit of work
    # could no longer roll back what the savepoint wrote. A real BEGIN first keeps it in the unit.
    driver = connection.connection.driver_connection
    assert driver is not None  # an open connection has its driver's
    if not driver.in_transaction:
        connection.exec_driver_sql("BEGIN")


def create_engine(url: str) -> AsyncEngine:
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
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "savepoint", _begin_before_savepoint)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


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
